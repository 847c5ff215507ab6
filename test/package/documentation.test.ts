import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../src/detectors/registry.js';
import { DETECTOR_IDS } from '../../src/findings/types.js';
import * as library from '../../src/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `concession-before-survey` → `detectConcessionBeforeSurvey` */
const functionName = (id: string) =>
  `detect${id.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase())}`;

describe('every detector is registered, exported and documented', () => {
  it.each(DETECTOR_IDS)('%s', (id) => {
    expect(DETECTORS[id].id).toBe(id);
    expect(DETECTORS[id].description.length).toBeGreaterThan(40);
    expect(typeof (library as Record<string, unknown>)[functionName(id)]).toBe('function');
    expect(readme).toContain(`| \`${id}\` |`);
  });
});
