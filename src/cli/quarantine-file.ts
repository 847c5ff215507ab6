import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirectory } from '../files/makeDirectory.js';
import { csvField, spreadsheetSafe } from '../findings/to-csv.js';
import type { QuarantinedRow } from '../ledger/load.js';
import { UsageError } from './errors.js';

const HEADER = ['ledger', 'file', 'row', 'reason', 'column', 'value', 'message'];
/** Bytes gathered before a write. */
const BLOCK = 1 << 20;

/**
 * Every quarantined row of a load as CSV (`validate --quarantine`), written as the rows come, so
 * that millions of them need no memory: the ledger, the file and its row number (data rows,
 * header excluded, as the data-quality report counts them), the reason, the column and cell at
 * fault and the message. Cells from the data are spreadsheet-safe (no formula runs).
 */
export function quarantineFile(path: string): { add(row: QuarantinedRow): void; close(): number } {
  let fd: number;
  try {
    makeDirectory(dirname(path));
    fd = openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let pending = `${HEADER.join(',')}\n`;
  let rows = 0;
  const flush = () => {
    writeSync(fd, pending);
    pending = '';
  };
  return {
    add(r) {
      rows++;
      const cells = [r.ledger, r.file ?? r.source, r.row, r.reason, r.column ?? '', r.value ?? '', r.message];
      pending += `${cells.map((c) => csvField(typeof c === 'number' ? c : spreadsheetSafe(c))).join(',')}\n`;
      if (pending.length >= BLOCK) flush();
    },
    close() {
      flush();
      closeSync(fd);
      return rows;
    },
  };
}
