/** Numbers at or above this take the hash table: the direct table stays within 8 MB. */
const DIRECT_LIMIT = 1 << 21;
/** Int32 cells per slot of the hash table: hash, value + 1, key start, key length. */
const SLOT = 4;

/**
 * A hash table keyed by byte strings (ranges of a Uint8Array) with an int32
 * value per key: the loader's cache of dictionary codes and its duplicate-id
 * check for CSV files, looked up straight from the file's bytes, so that no
 * JavaScript string is built for a cell whose key was seen before.
 *
 * Open addressing with linear probing over one Int32Array of slots (hash,
 * value + 1, key start, key length), kept at most 3/4 full; the keys are
 * appended to one byte arena. A lookup reads its slot and then the key's
 * bytes: two random reads. No per-key object: at 20M keys of ~10 bytes it
 * holds ~0.8 GB, against ~1 GB for a `LargeMap` of the same keys as strings,
 * and it has no 2^24-entry limit.
 *
 * The slot holds the value and where the key is, rather than an entry number
 * into arrays of key offsets and values (four random reads a lookup), and the
 * hash takes 4 bytes a step. Measured on the 1M-survey benchmark file's cells
 * (3 alternating processes each, medians of 7 rounds): its customer ids
 * rewritten as 32-hex MD5 digests, as hashed ids in real ledgers often are
 * (254,501 distinct in 997,704), 324-359 -> 224-259 ms; the 18-byte `contact`
 * ids (249,656 distinct) 223-263 -> 159-212 ms. `detect` with every detector on
 * those files (1M surveys + 2M concessions, digest customer ids): 7.8-7.9 ->
 * 6.9-7.5 s (3 alternating pairs); on the benchmark's own files ~0.1 s less.
 *
 * Measured on the 1M-survey benchmark file (cells of one column read from its
 * bytes, 4 rounds in one process, medians): encoding the 997,704 customer ids
 * (254k distinct) 0.21 s against 0.73 s with `Map.get`/`set` on a string built
 * per cell (3.5× faster); the duplicate check of the 997,704 survey ids 0.35 s
 * against 1.03 s with a `Map` (2.9×).
 *
 * Keys of one shape — the first key's text up to its trailing digits, then as many digits
 * ("C035721": "C" and 6 digits) — skip the hash: their number indexes a table of values
 * directly (one read, where a hash lookup reads four arrays at random). A number at or above
 * 2^21 (an 8 MB table at most), or a key of another shape, takes the hash table; which way a key
 * goes depends only on its bytes, so no key is ever in both. Measured on the same file (7 rounds,
 * medians): the customer ids 0.22 s -> 0.03 s, the survey ids' duplicate check ("S0000001")
 * 0.28 s -> 0.05 s, ids of other shapes unchanged.
 *
 * @example
 * const t = new ByteTable(); const b = Buffer.from('K1,K2');
 * t.get(b, 0, 2); // -1
 * t.set(b, 0, 2, 7); t.get(b, 0, 2); // 7
 */
export class ByteTable {
  /** (hash, value + 1, key start in `arena`, key length) per slot; value + 1 = 0 marks an empty slot */
  private slots: Int32Array;
  private mask: number;
  private arena: Buffer;
  private used = 0;
  /** how many keys the table holds */
  size = 0;
  /** how many of them are in the hash table (not in `direct`) */
  private entries = 0;
  /** the slot of the last missed `get` and the hash of its key, for the `set` that usually follows */
  private missSlot = -1;
  private missHash = 0;
  /** the number of the last missed `get` when its key had the shape (see the class doc), else -1 */
  private missNumber = -1;
  /** the shape: its text before the digits, and how many digits (0: no shape, every key is hashed) */
  private prefix: Uint8Array | undefined;
  private digits = 0;
  /** value + 1 by number (0: absent), grown as numbers arrive, up to `DIRECT_LIMIT` entries */
  private direct = new Int32Array(0);

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * 3 < capacity * 4) slots *= 2;
    this.slots = new Int32Array(SLOT * slots);
    this.mask = slots - 1;
    this.arena = Buffer.allocUnsafe(Math.max(64, capacity * 8));
  }

  /** The value of the key `bytes[start, end)`, or -1 when absent. */
  get(bytes: Uint8Array, start: number, end: number): number {
    if (this.prefix === undefined) this.learnShape(bytes, start, end);
    const number = this.digits > 0 ? this.numberOf(bytes, start, end) : -1;
    if (number >= 0) {
      const value = number < this.direct.length ? this.direct[number] - 1 : -1;
      this.missNumber = value < 0 ? number : -1;
      this.missSlot = -1;
      return value;
    }
    this.missNumber = -1;
    const length = end - start;
    // FNV-1a's step over 4-byte words (then the bytes left), each word's high bits folded down
    let h = 0x811c9dc5 ^ length;
    let i = start;
    for (; i + 4 <= end; i += 4) {
      h = Math.imul(
        h ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)),
        0x01000193,
      );
      h ^= h >>> 15;
    }
    for (; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    // murmur3's finalizer: the slot index takes the low bits, which FNV alone mixes poorly
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const slots = this.slots;
    const mask = this.mask;
    let k = h & mask;
    for (;;) {
      const at = SLOT * k;
      const value = slots[at + 1] - 1;
      if (value < 0) break;
      if (slots[at] === h && slots[at + 3] === length) {
        const from = slots[at + 2];
        const arena = this.arena;
        let j = 0;
        while (j < length && arena[from + j] === bytes[start + j]) j++;
        if (j === length) return value;
      }
      k = (k + 1) & mask;
    }
    this.missSlot = k;
    this.missHash = h;
    return -1;
  }

  /** Add the key `bytes[start, end)` with `value` (≥ 0). Call only for a key that `get` just missed. */
  set(bytes: Uint8Array, start: number, end: number, value: number): void {
    if (this.missNumber >= 0) {
      this.setDirect(this.missNumber, value);
      return;
    }
    if (this.missSlot < 0) throw new Error('ByteTable.set without a missed get');
    this.entries++;
    this.size++;
    const length = end - start;
    if (this.used + length > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + length));
      this.arena.copy(arena, 0, 0, this.used);
      this.arena = arena;
    }
    for (let i = 0; i < length; i++) this.arena[this.used + i] = bytes[start + i];
    const at = SLOT * this.missSlot;
    this.slots[at] = this.missHash;
    this.slots[at + 1] = value + 1;
    this.slots[at + 2] = this.used;
    this.slots[at + 3] = length;
    this.used += length;
    this.missSlot = -1;
    if (this.entries * 4 > (this.mask + 1) * 3) this.grow();
  }

  private setDirect(number: number, value: number): void {
    if (number >= this.direct.length) {
      let length = Math.max(1024, this.direct.length);
      while (length <= number) length *= 2;
      const direct = new Int32Array(length);
      direct.set(this.direct);
      this.direct = direct;
    }
    this.direct[number] = value + 1;
    this.size++;
    this.missNumber = -1;
  }

  /** The shape of the first key: its text up to its trailing digits (1 to 9 of them), and their count. */
  private learnShape(bytes: Uint8Array, start: number, end: number): void {
    let digitsFrom = end;
    while (digitsFrom > start && bytes[digitsFrom - 1] >= 48 && bytes[digitsFrom - 1] <= 57) digitsFrom--;
    this.prefix = Uint8Array.from(bytes.subarray(start, digitsFrom));
    const digits = end - digitsFrom;
    this.digits = digits <= 9 ? digits : 0;
  }

  /** The number of a key of the shape when below `DIRECT_LIMIT`, else -1. */
  private numberOf(bytes: Uint8Array, start: number, end: number): number {
    const prefix = this.prefix as Uint8Array;
    if (end - start !== prefix.length + this.digits) return -1;
    for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return -1;
    let number = 0;
    for (let i = start + prefix.length; i < end; i++) {
      const digit = bytes[i] - 48;
      if (digit < 0 || digit > 9) return -1;
      number = number * 10 + digit;
    }
    return number < DIRECT_LIMIT ? number : -1;
  }

  /** Double the slots and re-place every key (hashes are kept, keys are not re-read). */
  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / SLOT - 1;
    for (let i = 0; i < old.length; i += SLOT) {
      if (old[i + 1] === 0) continue;
      let k = old[i] & mask;
      while (slots[SLOT * k + 1] !== 0) k = (k + 1) & mask;
      // four stores, not slots.set(old.subarray(…)): a subarray per key took 0.18 s of a 1M-survey load
      const at = SLOT * k;
      slots[at] = old[i];
      slots[at + 1] = old[i + 1];
      slots[at + 2] = old[i + 2];
      slots[at + 3] = old[i + 3];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
