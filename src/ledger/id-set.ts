import { ByteTable } from './byte-table.js';
import { isPlainText } from './cells.js';
import { LargeMap } from './large-map.js';

/**
 * The ids a load has accepted, with the row of each, for the duplicate-id
 * check (the first occurrence wins). Printable-ASCII ids — nearly all of
 * them — live in a {@link ByteTable}, looked up straight from a CSV cell's
 * bytes; any other id in a {@link LargeMap}. Which store an id goes to
 * depends on the id alone, so the same id found by either path (bytes, or a
 * string from a quoted cell or an in-memory row) is found again.
 *
 * Neither store has V8's 2^24-entry limit of one `Map` (the SPEC's scale is
 * 20M concessions). Measured against the `LargeMap` of strings it replaces,
 * on the 1M + 2M benchmark files: `LargeMap.get` + `set` took ~5.5 s of the
 * load's CPU profile, `claimBytes` ~0.9-1.5 s.
 *
 * @example const seen = new IdSet(); seen.claim('K1', 1); seen.claim('K1', 9); // 0, then 1
 */
export class IdSet {
  private readonly table = new ByteTable();
  private readonly others = new LargeMap<number>();
  private scratch = Buffer.allocUnsafe(64);

  /**
   * Claim the printable-ASCII id `bytes[start, end)` for `row` (>= 1): returns the row that
   * claimed it first, or 0 when it is new (and is now claimed).
   */
  claimBytes(bytes: Uint8Array, start: number, end: number, row: number): number {
    const first = this.table.get(bytes, start, end);
    if (first >= 0) return first;
    this.table.set(bytes, start, end, row);
    return 0;
  }

  /** {@link claimBytes} for an id as a string (as `parseId` returns it). */
  claim(id: string, row: number): number {
    if (isPlainText(id)) {
      if (id.length > this.scratch.length) this.scratch = Buffer.allocUnsafe(2 * id.length);
      const n = this.scratch.write(id, 0, 'latin1');
      return this.claimBytes(this.scratch, 0, n, row);
    }
    const first = this.others.get(id);
    if (first !== undefined) return first;
    this.others.set(id, row);
    return 0;
  }
}
