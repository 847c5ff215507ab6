import { ByteTable } from './byte-table.js';
import type { Dictionary, IdDictionaries } from './types.js';

export function createDictionary(): Dictionary {
  return { values: [], index: new Map() };
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
 * from the id's bytes to its code in front of the dictionary, so that an id
 * seen before costs one hash of its bytes and no string. The dictionary
 * stays the one source of codes (an id is looked up there, and added when
 * new, the first time the cache meets its bytes), so codes are those of
 * `encode` in the same order of calls, whichever path an id takes.
 */
export class DictionaryCache {
  private readonly table = new ByteTable();
  constructor(readonly dictionary: Dictionary) {}

  /** `encode(dictionary, id)` for the id whose latin1 text is `bytes[start, end)` (see `isPlainId`). */
  bytes(bytes: Buffer, start: number, end: number): number {
    const hit = this.table.get(bytes, start, end);
    if (hit >= 0) return hit;
    const code = encode(this.dictionary, bytes.toString('latin1', start, end));
    this.table.set(bytes, start, end, code);
    return code;
  }

  /** `encode(dictionary, id)`. */
  text(id: string): number {
    return encode(this.dictionary, id);
  }
}
