import { describe, expect, it } from 'vitest';
import { derSimonianLaird } from '../../src/stats/derSimonianLaird.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

// References: `dl_tau2` in test/reference/stats.R, the estimator written out in R.
describe('derSimonianLaird', () => {
  it.each(ref.derSimonianLaird)('$call', (c) => {
    expectClose(derSimonianLaird(c.y, c.v), c.value, 1e-12, 1e-15, c.call);
  });
  it('is 0 for fewer than 2 units', () => {
    expect(derSimonianLaird([1], [0.1])).toBe(0);
    expect(derSimonianLaird([], [])).toBe(0);
  });
});
