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
