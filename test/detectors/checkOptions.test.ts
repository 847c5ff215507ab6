import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { OptionError } from '../../src/log/errors.js';
import { simulateRows } from '../../src/simulate/simulate.js';

const world = simulateRows({ scenario: 'demo', seed: 3, scale: 0.1 });
const ledgers = await loadLedgers({ surveys: world.surveys, concessions: world.concessions });
const run = (detectorOptions: Record<string, unknown>) =>
  // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong shapes
  analyze(ledgers, { detectors: ['concession-during-survey'], detectorOptions: detectorOptions as any });

describe('detector options that no detector reads are errors, before anything runs', () => {
  it('a misspelt option name, with the closest one suggested and the list', () => {
    expect(() => run({ 'account-extraction': { windowDay: 10 } })).toThrow(
      new OptionError(
        'unknown option "windowDay" for account-extraction (did you mean "windowDays"?); its options: seed, windowDays, minSurveys, minConcessionWindows, minInteractions, placeboMonths, nonRecoveryReasons, lowScore, highScore, hostageDays, repAttribution',
      ),
    );
    expect(() => run({ 'score-shift': { permutation: 99 } })).toThrow(/did you mean "permutations"\?/);
    expect(() => run({ 'score-shift': { colour: 'red' } })).toThrow(
      /^unknown option "colour" for score-shift; its/,
    );
  });

  it('an unknown detector id, and options that are not an object', () => {
    expect(() => run({ 'acount-extraction': {} })).toThrow(
      'detectorOptions: unknown detector "acount-extraction" (did you mean "account-extraction"?)',
    );
    expect(() => run({ 'score-shift': 5 })).toThrow(
      'detectorOptions.score-shift must be an object of options, got 5',
    );
  });

  it('every documented option and seed is accepted, for a detector that is not even run', () => {
    const result = run({
      'account-extraction': { windowDays: 10, hostageDays: 5, seed: 2 },
      'top-box-inflation': { link: 'logit' },
    });
    expect(result.run.tested['concession-during-survey']).toBeGreaterThan(0);
  });
});
