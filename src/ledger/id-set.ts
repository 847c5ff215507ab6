import { ByteTable } from './byte-table.js';
import { isPlainText } from './cells.js';
import { grow } from './column-builder.js';
import { LargeMap } from './large-map.js';
import { compareNatural } from './natural-order.js';

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
   * While every byte id so far came in strictly ascending order, by bytes or naturally (ledgers
   * are often exported sorted by id), none can repeat: they are only logged (`log`), and the
   * table is built from the log when the order first breaks. On the 1M + 2M benchmark files a
   * single-threaded load took 14.6-15.2 s of CPU against 14.9-16.2 s (the survey ids sorted by
   * bytes; 3 alternating runs each on a busy machine), and loading the 2M concessions (numbered
   * "KB0_9", "KB0_10": natural order) 3.8-3.9 s against 4.0-4.3 s; the log holds an id in ~12
   * bytes + its length where the table takes ~40 (its slots, offsets, values and key bytes at 3/4
   * load): ~0.5 GB less at 20M concessions.
   */
  private log: IdLog | undefined = new IdLog();

  /**
   * Claim the printable-ASCII id `bytes[start, end)` for `row` (>= 1): returns the row that
   * claimed it first, or 0 when it is new (and is now claimed).
   */
  claimBytes(bytes: Uint8Array, start: number, end: number, row: number): number {
    if (this.log) {
      if (this.log.appendIfAscending(bytes, start, end, row)) return 0;
      this.log.replay(this.table);
      this.log = undefined;
    }
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

/**
 * Ids claimed in strictly ascending order, with their rows, in one growable arena. The order is
 * byte order or natural order ({@link compareNatural}: "K9" < "K10"), whichever every id so far
 * ascends in: the benchmark's concession ids ("KB0_9", "KB0_10", ...) ascend only naturally.
 *
 * While the ids ascend in byte order, natural order is not checked id by id: it is checked over
 * every logged pair once, when byte order first fails (the same answer, later). Zero-padded ids
 * ("K0000001", the simulator's and many exports') ascend in both, and the natural comparison had
 * cost ~110 ms per 2M ids (CPU profile of the 1M-survey benchmark's concession load).
 */
class IdLog {
  private arena = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** entry i is `arena[ends[i - 1] ?? 0, ends[i])`, claimed by `rows[i]` */
  private ends = new Int32Array(1 << 12);
  private rows = new Int32Array(1 << 12);
  private size = 0;
  private inByteOrder = true;
  /** whether the logged ids ascend in natural order; checked only once byte order has failed */
  private inNaturalOrder = true;

  /** Log the id and return true when the ids still ascend in some order; else log nothing, false. */
  appendIfAscending(bytes: Uint8Array, start: number, end: number, row: number): boolean {
    const length = end - start;
    if (this.size > 0) {
      const from = this.size > 1 ? this.ends[this.size - 2] : 0;
      if (this.inByteOrder && compareBytes(bytes, start, end, this.arena, from, this.used) > 0) {
        // still in byte order: natural order waits
      } else {
        if (this.inByteOrder) {
          this.inByteOrder = false;
          this.inNaturalOrder = this.loggedInNaturalOrder();
        }
        if (!this.inNaturalOrder || !(compareNatural(bytes, start, end, this.arena, from, this.used) > 0))
          return false;
      }
    }
    if (this.used + length > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(2 * this.arena.length, this.used + length));
      this.arena.copy(arena, 0, 0, this.used);
      this.arena = arena;
    }
    if (this.size === this.ends.length) {
      this.ends = grow(this.ends);
      this.rows = grow(this.rows);
    }
    for (let i = 0; i < length; i++) this.arena[this.used + i] = bytes[start + i];
    this.used += length;
    this.ends[this.size] = this.used;
    this.rows[this.size++] = row;
    return true;
  }

  /** Whether every logged id is after the one before it in natural order. */
  private loggedInNaturalOrder(): boolean {
    let from = 0;
    for (let i = 1; i < this.size; i++) {
      const previous = from;
      from = this.ends[i - 1];
      if (!(compareNatural(this.arena, from, this.ends[i], this.arena, previous, from) > 0)) return false;
    }
    return true;
  }

  /** Put every logged id into `table` (all distinct, so each `get` misses). */
  replay(table: ByteTable): void {
    let from = 0;
    for (let i = 0; i < this.size; i++) {
      const to = this.ends[i];
      table.get(this.arena, from, to);
      table.set(this.arena, from, to, this.rows[i]);
      from = to;
    }
  }
}

/** Sign of `a[aStart, aEnd)` - `b[bStart, bEnd)` in byte order (a prefix first). */
function compareBytes(
  a: Uint8Array,
  aStart: number,
  aEnd: number,
  b: Uint8Array,
  bStart: number,
  bEnd: number,
): number {
  const common = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < common; i++) {
    const difference = a[aStart + i] - b[bStart + i];
    if (difference !== 0) return difference;
  }
  return aEnd - aStart - (bEnd - bStart);
}
