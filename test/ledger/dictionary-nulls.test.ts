import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as flechette from '@uwdata/flechette';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { loadSurveys } from '../../src/ledger/load.js';

describe('dictionary-encoded Arrow columns with nulls', () => {
  // arquero 8.0.3 reads rows after a batch whose length is not a multiple of 8 as null
  // (src/ledger/dictionary-nulls.ts); the reps below would vanish without the repair
  const reps = ['R1', null, 'R2', 'R1', 'R3', 'R4', null, 'R2'];
  const data = {
    survey_id: reps.map((_, i) => `S${i}`),
    customer_id: reps.map((_, i) => `C${i}`),
    rep_id: reps,
    sent_at: reps.map((_, i) => `2025-03-0${i + 1}T10:00:00Z`),
  };
  const utf8 = flechette.utf8();
  const types = { survey_id: utf8, customer_id: utf8, rep_id: flechette.dictionary(utf8), sent_at: utf8 };
  const ipc = flechette.tableToIPC(flechette.tableFromArrays(data, { types, maxBatchRows: 3 }), {
    format: 'stream',
  }) as Uint8Array;

  it('keeps every id, read from an arquero table or an Arrow file', async () => {
    const table = aq.fromArrow(ipc);
    expect(table.column('rep_id')?.at(3)).toBeNull(); // the arquero bug this guards against
    const { ledger, ids } = await loadSurveys(table as never);
    expect(Array.from(ledger.rep, (code) => (code < 0 ? null : ids.rep.values[code]))).toEqual(reps);
    // a filtered and reordered table: the repaired columns follow its rows
    const shown = table
      .filter((d: { survey_id: string }) => d.survey_id !== 'S0')
      .orderby(aq.desc('survey_id'));
    const filtered = await loadSurveys(shown as never);
    expect(
      Array.from(filtered.ledger.rep, (code) => (code < 0 ? null : filtered.ids.rep.values[code])),
    ).toEqual(reps.slice(1).reverse());
    const file = join(mkdtempSync(join(tmpdir(), 'nps-dict-')), 'surveys.arrow');
    writeFileSync(file, ipc);
    const fromFile = await loadSurveys(file);
    expect(
      Array.from(fromFile.ledger.rep, (code) => (code < 0 ? null : fromFile.ids.rep.values[code])),
    ).toEqual(reps);
  });
});
