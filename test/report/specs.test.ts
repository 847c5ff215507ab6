import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { DETECTOR_IDS } from '../../src/findings/types.js';
import { DETECTOR_VIEWS, specs } from '../../src/report/specs.js';
import type { ReportView } from '../../src/report/types.js';
import { demoFixture, type Fixture, NOW } from './fixtures.js';

const GOLDEN = new URL('./golden/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const schema = JSON.parse(
  readFileSync(new URL('../../node_modules/vega-lite/build/vega-lite-schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ allowUnionTypes: true, strict: false, validateFormats: false });
const validate = ajv.compile(schema);

/** Floats rounded to 6 significant digits, so that golden files do not churn on the last bits. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(6));
  if (Array.isArray(value)) return value.map(rounded);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function expectValid(view: ReportView): void {
  const ok = validate(view.spec);
  expect(ok, `${view.id}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
  expect(view.spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
}

let demo: Fixture;
let withLedgers: ReportView[];
let withoutLedgers: ReportView[];

beforeAll(async () => {
  demo = await demoFixture();
  withLedgers = specs(demo.result, { ledgers: demo.ledgers });
  withoutLedgers = specs(demo.result);
});

describe('report views', () => {
  it('every detector id has a view in the registry and in specs()', () => {
    expect(Object.keys(DETECTOR_VIEWS).sort()).toEqual([...DETECTOR_IDS].sort());
    for (const id of DETECTOR_IDS) {
      const views = withLedgers.filter((v) => v.detector === id);
      expect(views, id).toHaveLength(1);
      expect(views[0].description.length, id).toBeGreaterThan(40);
    }
    expect(withLedgers.map((v) => v.id)).toEqual([
      'summary-table',
      'overview-funnel',
      ...DETECTOR_IDS,
      'data-quality',
    ]);
  });

  it('every spec validates against vega-lite’s JSON schema, with and without the ledgers', () => {
    for (const view of [...withLedgers, ...withoutLedgers]) expectValid(view);
  });

  it('a detector that did not run still has a valid view that says why', () => {
    const { ledgers } = demo;
    const result = analyze(
      { ...ledgers, interactions: undefined, quality: { ...ledgers.quality, interactions: undefined } },
      {
        now: NOW,
        detectors: ['concession-before-survey', 'survey-suppression', 'top-box-inflation'],
      },
    );
    const views = specs(result);
    for (const view of views) expectValid(view);
    const suppression = views.find((v) => v.detector === 'survey-suppression')!;
    expect(JSON.stringify(suppression.spec)).toContain('Did not run');
    const notSelected = views.find((v) => v.detector === 'score-shift')!;
    expect(JSON.stringify(notSelected.spec)).toContain('not selected');
  });

  it('a bare findings document (no tables, no ledgers) still gives valid views', () => {
    const { tables: _tables, ...document } = demo.result;
    for (const view of specs(document)) expectValid(view);
  });

  it('is pure: the same input gives the same specs', () => {
    expect(JSON.stringify(specs(demo.result, { ledgers: demo.ledgers }))).toBe(JSON.stringify(withLedgers));
  });

  it('never puts data into Vega expressions (ids are matched with field predicates)', () => {
    for (const view of withLedgers) {
      const text = JSON.stringify(view.spec);
      for (const match of text.matchAll(/"(?:filter|test|calculate)":"([^"]*)"/g))
        expect(match[1], view.id).not.toMatch(/R\d{4}|C\d{6}/);
    }
  });

  it('highlights what was flagged', () => {
    const funnel = JSON.stringify(withLedgers.find((v) => v.id === 'overview-funnel')!.spec);
    for (const f of demo.result.findings.filter((x) => x.entity.type === 'rep'))
      expect(funnel).toContain(`"id":"${f.entity.id}","n"`);
    const accounts = JSON.stringify(withLedgers.find((v) => v.id === 'account-extraction')!.spec);
    expect(accounts).toContain('C000565');
    const lags = JSON.stringify(withLedgers.find((v) => v.id === 'concession-before-survey')!.spec);
    expect(lags).toContain('R0016');
    expect(lags).toContain('peers (all other reps)');
  });
});

describe('golden specs on the demo dataset', () => {
  it.each(['summary-table', 'overview-funnel', ...DETECTOR_IDS, 'data-quality'])('%s', (id) => {
    const view = withLedgers.find((v) => v.id === id)!;
    const actual = rounded({ title: view.title, description: view.description, spec: view.spec });
    const file = new URL(`${id}.json`, GOLDEN);
    if (UPDATE || !existsSync(file)) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    // compared as values: the files may be reformatted (biome formats JSON under test/)
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
