/**
 * A string-keyed map for more entries than one V8 `Map` holds (2^24 =
 * 16,777,216: past that `set` throws a RangeError). The SPEC's in-memory
 * scale is 20M concessions, and the loader's duplicate-id check keeps every
 * id it has accepted, so its map must grow past that limit. Entries are
 * spread over 16 maps by a hash of the key (FNV-1a over its UTF-16 code
 * units), which costs one pass over the key and leaves lookups O(1).
 *
 * Found by the 10M-survey + 20M-concession benchmark: with one `Map`, every
 * concession after the 16,777,216th was quarantined.
 *
 * @example const seen = new LargeMap<number>(); seen.set('K0000001', 1); seen.get('K0000001'); // 1
 */
export class LargeMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map());

  private shard(key: string): Map<string, V> {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return this.shards[(h >>> 0) & (SHARDS - 1)];
  }

  get(key: string): V | undefined {
    return this.shard(key).get(key);
  }

  set(key: string, value: V): this {
    this.shard(key).set(key, value);
    return this;
  }

  get size(): number {
    return this.shards.reduce((n, m) => n + m.size, 0);
  }
}

const SHARDS = 16;
