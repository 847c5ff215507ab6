/** Strings packed for transfer: chunks of ≤ 2^20 strings, each one buffer plus end offsets. */
export interface PackedStrings {
  chunks: { bytes: Uint8Array; ends: Int32Array; wide: boolean }[];
}

const CHUNK = 1 << 20;

/** Pack strings: latin1 bytes when every character is ASCII, else UTF-16 code units (exact round trip). */
export function packStrings(strings: readonly string[]): PackedStrings {
  const chunks: PackedStrings['chunks'] = [];
  for (let from = 0; from < strings.length; from += CHUNK) {
    const part = strings.slice(from, from + CHUNK);
    chunks.push(packAscii(part) ?? packWide(part));
  }
  return { chunks };
}

/**
 * The strings as one latin1 byte per character, copied code by code, or undefined when a
 * character is not ASCII. For 2M 8-character ids: ~60 ms, against ~400 ms for one
 * `Buffer.write` per string and ~100 ms more to check each with `Buffer.byteLength` first.
 */
function packAscii(part: readonly string[]): PackedStrings['chunks'][number] | undefined {
  let total = 0;
  for (const s of part) total += s.length;
  // not Buffer.from: a small one would share Node's pool, whose ArrayBuffer cannot be transferred
  const bytes = Buffer.allocUnsafeSlow(total);
  const ends = new Int32Array(part.length);
  let end = 0;
  let seen = 0; // every code OR-ed: ASCII while below 128
  for (let i = 0; i < part.length; i++) {
    const s = part[i];
    for (let k = 0; k < s.length; k++) {
      const code = s.charCodeAt(k);
      seen |= code;
      bytes[end++] = code;
    }
    ends[i] = end;
  }
  return seen < 128 ? { bytes, ends, wide: false } : undefined;
}

function packWide(part: readonly string[]): PackedStrings['chunks'][number] {
  const joined = part.join('');
  const ends = new Int32Array(part.length);
  let end = 0;
  for (let i = 0; i < part.length; i++) {
    end += part[i].length;
    ends[i] = end;
  }
  const bytes = Buffer.allocUnsafeSlow(2 * joined.length);
  bytes.write(joined, 'utf16le');
  return { bytes, ends, wide: true };
}

/**
 * The strings of `packed`. Each chunk is decoded as one string and cut with `slice`: for 2M
 * 8-character ids ~0.25-0.33 s, against ~0.43-0.50 s for one `Buffer.toString` per string (a call
 * into C++ each); a chunk longer than `longestWhole` characters (V8's limit for one string is
 * 2^29 - 24) is decoded string by string.
 */
export function unpackStrings(packed: PackedStrings, longestWhole = 1 << 28): string[] {
  const out: string[] = [];
  for (const { bytes, ends, wide } of packed.chunks) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const encoding = wide ? 'utf16le' : 'latin1';
    const unit = wide ? 2 : 1;
    const whole = wholeText(bytes, ends, wide, longestWhole);
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      out.push(whole?.slice(start, ends[i]) ?? buffer.toString(encoding, unit * start, unit * ends[i]));
      start = ends[i];
    }
  }
  return out;
}

/**
 * Builds {@link PackedStrings} string by string, from the bytes of an ASCII cell (no string is
 * made: the loader's ids) or from a string. A chunk stays ASCII bytes until a string with another
 * character arrives; the chunk so far is then decoded and the rest of it collected as strings,
 * packed as UTF-16 when the chunk is full. Measured on the 1M + 2M benchmark files: see
 * `loadConcessionsPacked` (load.ts).
 */
export class StringPacker {
  private readonly chunks: PackedStrings['chunks'] = [];
  private bytes = Buffer.allocUnsafeSlow(1 << 16);
  private used = 0;
  private ends = new Int32Array(1 << 12);
  /** strings in the current chunk */
  private count = 0;
  /** the current chunk as strings, once one of them is not ASCII */
  private strings: string[] | undefined;
  /** strings appended */
  length = 0;

  /** `chunkSize`: strings per chunk (a parameter so that tests can cross chunks) */
  constructor(private readonly chunkSize = CHUNK) {}

  /** Append the ASCII text `bytes[start, end)`. */
  pushAscii(bytes: Uint8Array, start: number, end: number): void {
    if (this.strings) {
      this.strings.push(Buffer.from(bytes.buffer, bytes.byteOffset).toString('latin1', start, end));
    } else {
      this.reserve(end - start);
      for (let i = start; i < end; i++) this.bytes[this.used++] = bytes[i];
      this.ends[this.count] = this.used;
    }
    this.appended();
  }

  /** Append a string. */
  push(text: string): void {
    if (!this.strings) {
      this.reserve(text.length);
      let seen = 0; // every code OR-ed: ASCII while below 128
      for (let k = 0; k < text.length; k++) {
        const code = text.charCodeAt(k);
        seen |= code;
        this.bytes[this.used + k] = code;
      }
      if (seen < 128) {
        this.used += text.length;
        this.ends[this.count] = this.used;
        this.appended();
        return;
      }
      this.strings = this.count > 0 ? unpackStrings({ chunks: [this.asciiChunk()] }) : [];
    }
    this.strings.push(text);
    this.appended();
  }

  /** The strings appended, packed (the packer is then empty). */
  finish(): PackedStrings {
    if (this.count > 0) this.seal();
    return { chunks: this.chunks.splice(0) };
  }

  private appended(): void {
    this.length++;
    if (++this.count === this.chunkSize) this.seal();
  }

  /** Room for `n` more bytes and one more end. */
  private reserve(n: number): void {
    if (this.used + n > this.bytes.length) {
      const bytes = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.used + n));
      this.bytes.copy(bytes, 0, 0, this.used);
      this.bytes = bytes;
    }
    if (this.count === this.ends.length) {
      const ends = new Int32Array(2 * this.ends.length);
      ends.set(this.ends);
      this.ends = ends;
    }
  }

  private asciiChunk(): PackedStrings['chunks'][number] {
    return { bytes: this.bytes.subarray(0, this.used), ends: this.ends.subarray(0, this.count), wide: false };
  }

  /** Close the current chunk and start an empty one. */
  private seal(): void {
    if (this.strings) this.chunks.push(packWide(this.strings));
    else this.chunks.push(this.asciiChunk());
    this.strings = undefined;
    this.bytes = Buffer.allocUnsafeSlow(1 << 16);
    this.used = 0;
    this.ends = new Int32Array(1 << 12);
    this.count = 0;
  }
}

/** The packed source and the by-index reader of each property defined by {@link defineLazyStrings}, until it is decoded. */
const SOURCES = new WeakMap<
  object,
  Map<string, { packed: PackedStrings; at: (i: number) => string | undefined }>
>();

/**
 * Defines `object[key]` as the strings of `packed`, decoded into a plain array when the property
 * is first read (the accessor then makes way for a plain property holding it: the array can be
 * iterated, changed, posted to a worker or cloned as any other). Until then {@link stringAt} reads
 * single strings from the packed source: a ledger's own ids (`surveyId`, `concessionId`,
 * `interactionId`) are read a few at a time, for the examples in the findings' evidence, so
 * decoding them all after the load was spent for nothing (at 1M surveys + 2M concessions ~0.5 s,
 * and as much again in the garbage collector copying 3M young strings, on the main thread between
 * the load and the first detector).
 */
export function defineLazyStrings<T extends object>(
  object: T,
  key: string,
  packed: PackedStrings,
  longestWhole = 1 << 28,
): T {
  const settle = (value: unknown) => {
    SOURCES.get(object)?.delete(key);
    Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
    return value;
  };
  let sources = SOURCES.get(object);
  if (!sources) {
    sources = new Map();
    SOURCES.set(object, sources);
  }
  sources.set(key, { packed, at: reader(packed, longestWhole) });
  return Object.defineProperty(object, key, {
    enumerable: true,
    configurable: true,
    get: () => settle(unpackStrings(packed, longestWhole)),
    set: settle,
  });
}

/**
 * `object[key][i]`, read from the packed source while the array is not decoded
 * ({@link defineLazyStrings}); typed as the array's element is (undefined outside it, as there).
 */
export function stringAt(object: object, key: string, i: number): string {
  const source = SOURCES.get(object)?.get(key);
  if (source) return source.at(i) as string;
  return (object as Record<string, readonly string[]>)[key][i];
}

/** `object[key]` packed: its source as it is while not decoded ({@link defineLazyStrings}), else {@link packStrings}. */
export function packedStringsOf(object: object, key: string): PackedStrings {
  return (
    SOURCES.get(object)?.get(key)?.packed ?? packStrings((object as Record<string, readonly string[]>)[key])
  );
}

/**
 * String i of `packed` (undefined outside), without decoding the others: a chunk read from is
 * decoded as one string and each string read is cut from it, as {@link unpackStrings} does
 * (account-extraction reads ~0.5M survey ids at 1M surveys when its evidence is written: ~170 ms
 * with one Buffer and one toString per read).
 */
function reader(packed: PackedStrings, longestWhole: number): (i: number) => string | undefined {
  const starts = [0];
  for (const chunk of packed.chunks) starts.push(starts[starts.length - 1] + chunk.ends.length);
  const length = starts[starts.length - 1];
  const texts: (string | undefined)[] = [];
  return (i) => {
    if (!(Number.isInteger(i) && i >= 0 && i < length)) return undefined;
    let c = 0;
    while (i >= starts[c + 1]) c++;
    const { bytes, ends, wide } = packed.chunks[c];
    const k = i - starts[c];
    const from = k === 0 ? 0 : ends[k - 1];
    texts[c] ??= wholeText(bytes, ends, wide, longestWhole);
    const text = texts[c];
    if (text !== undefined) return text.slice(from, ends[k]);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return wide
      ? buffer.toString('utf16le', 2 * from, 2 * ends[k])
      : buffer.toString('latin1', from, ends[k]);
  };
}

/** A chunk's strings as one string, or undefined when it is longer than `longestWhole` characters (see {@link unpackStrings}). */
function wholeText(
  bytes: Uint8Array,
  ends: Int32Array,
  wide: boolean,
  longestWhole: number,
): string | undefined {
  if (ends.length === 0 || ends[ends.length - 1] > longestWhole) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(wide ? 'utf16le' : 'latin1');
}
