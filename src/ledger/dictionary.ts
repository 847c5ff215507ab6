import { ByteTable } from './byte-table.js';
import { isPlainText } from './cells.js';
import type { Dictionary, IdDictionaries } from './types.js';

/** Dictionaries made by {@link createDictionary}, whose `index` is brought up to date when read. */
const LAZY = new WeakSet<Dictionary>();

/**
 * An empty dictionary. Its `index` (id → code) is built from `values` when it
 * is read, so a load that appends codes through a {@link DictionaryCache}
 * does not also fill a `Map` of every id that nothing may ever read (the
 * detectors work on codes; reports look a few ids up). Measured on the
 * 1M-survey + 2M-concession benchmark files: the Map.get + Map.set of the
 * ~0.8M new ids (customers, contacts, devices) took ~1.4 s of the load's CPU
 * profile; see the commit for the totals.
 */
export function createDictionary(): Dictionary {
  const values: string[] = [];
  const index = new Map<string, number>();
  let synced = 0;
  const dictionary = { values } as { values: string[]; index: Map<string, number> };
  Object.defineProperty(dictionary, 'index', {
    enumerable: true,
    get() {
      // re-setting an id encode() has just added is harmless: same id, same code
      for (; synced < values.length; synced++) index.set(values[synced], synced);
      return index;
    },
  });
  LAZY.add(dictionary);
  return dictionary;
}

/** The integer code of `id`, adding it when new. */
export function encode(dictionary: Dictionary, id: string): number {
  let code = dictionary.index.get(id);
  if (code === undefined) {
    code = dictionary.values.length;
    dictionary.values.push(id);
    dictionary.index.set(id, code);
  }
  return code;
}

export function createIdDictionaries(): IdDictionaries {
  return {
    customer: createDictionary(),
    rep: createDictionary(),
    team: createDictionary(),
    channel: createDictionary(),
    category: createDictionary(),
    contact: createDictionary(),
    device: createDictionary(),
    reason: createDictionary(),
    issue: createDictionary(),
  };
}

/**
 * {@link encode} for ids read from a CSV file's bytes: a {@link ByteTable}
 * from an id's bytes to its code, so that an id seen before costs one hash of
 * its bytes and no string. `values` stays the one source of codes: the table
 * first takes in the printable-ASCII ids the dictionary already holds
 * (from an earlier load, or added by `encode`), and any other id goes
 * through `encode`; so codes are those of `encode` in the same order of
 * calls, whichever path an id takes. A dictionary not made by
 * {@link createDictionary} (a plain `{ values, index }`) has its `index` kept
 * up to date as ids are added.
 */
export class DictionaryCache {
  private readonly table = new ByteTable();
  /** `values[0, synced)` are in the table (the printable-ASCII ones) */
  private synced = 0;
  private readonly lazy: boolean;
  private scratch = Buffer.allocUnsafe(64);
  private syncScratch = Buffer.allocUnsafe(64);

  constructor(readonly dictionary: Dictionary) {
    this.lazy = LAZY.has(dictionary);
  }

  /** `encode(dictionary, id)` for the id whose latin1 text is `bytes[start, end)` (see `isPlainId`). */
  bytes(bytes: Buffer, start: number, end: number): number {
    const hit = this.table.get(bytes, start, end);
    if (hit >= 0) return hit;
    const values = this.dictionary.values;
    if (this.synced < values.length) {
      this.sync();
      return this.bytes(bytes, start, end);
    }
    const code = values.length;
    const id = bytes.toString('latin1', start, end);
    values.push(id);
    if (!this.lazy) (this.dictionary.index as Map<string, number>).set(id, code);
    this.table.set(bytes, start, end, code);
    this.synced = values.length;
    return code;
  }

  /** `encode(dictionary, id)`. */
  text(id: string): number {
    if (!isPlainText(id)) return encode(this.dictionary, id);
    if (id.length > this.scratch.length) this.scratch = Buffer.allocUnsafe(2 * id.length);
    const n = this.scratch.write(id, 0, 'latin1');
    return this.bytes(this.scratch, 0, n);
  }

  /** Take in the ids added to the dictionary since the last look. */
  private sync(): void {
    const values = this.dictionary.values;
    for (; this.synced < values.length; this.synced++) {
      const id = values[this.synced];
      if (!isPlainText(id)) continue;
      if (id.length > this.syncScratch.length) this.syncScratch = Buffer.allocUnsafe(2 * id.length);
      const n = this.syncScratch.write(id, 0, 'latin1');
      if (this.table.get(this.syncScratch, 0, n) < 0) this.table.set(this.syncScratch, 0, n, this.synced);
    }
  }
}
