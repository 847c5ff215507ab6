import { LedgerError } from '../log/errors.js';
import { withCorrectDictionaryNulls } from './dictionary-nulls.js';
import type { ArqueroLike } from './read-input.js';

/**
 * Rows per Arrow record batch read from a Parquet file. parquet-wasm's default, 1024, made the
 * first read of a process slow: on the 1M-survey benchmark file (41 MB, 975 batches) it
 * took 7.7-8.3 s, and 0.2-0.3 s when called again in the same process; with 2^17 rows a batch,
 * 1.0-1.8 s (2^16: 1.3 s; 2^20: 0.7 s but 30% more WebAssembly memory), on a busy machine.
 */
export const PARQUET_BATCH_ROWS = 1 << 17;

/** A Parquet file opened for reading one row group at a time. */
export interface ParquetGroups {
  /** how many row groups the file has */
  groups: number;
  /** Row group `group` as an arquero table (dictionary nulls repaired). */
  read(group: number): Promise<ArqueroLike>;
  /** Free the reader's WebAssembly memory. */
  close(): void;
}

/**
 * Open a Parquet file (`openAsBlob(path)`) to read row group by row group: parquet-wasm reads the file's bytes
 * through a Blob as each group needs them, so memory holds one decoded group, not the file and
 * its whole decoded table. Measured on the 1M-survey benchmark's concession file (2M rows, 17
 * row groups written by DuckDB, 43 MB), reading it into arquero tables: 0.53-0.58 s at 204-210 MB
 * peak RSS, against 0.95-1.05 s at 841-851 MB when read whole (`readParquet`), 2 runs each.
 */
export async function openParquetGroups(blob: Blob, path: string): Promise<ParquetGroups> {
  const [parquet, aq] = await Promise.all([import('parquet-wasm'), import('arquero')]);
  const invalid = (error: unknown) =>
    new LedgerError(`${path}: invalid Parquet file (${String(error)})`, { source: path });
  let file: Awaited<ReturnType<typeof parquet.ParquetFile.fromFile>>;
  let groups: number;
  try {
    file = await parquet.ParquetFile.fromFile(blob);
    groups = file.metadata().numRowGroups();
  } catch (error) {
    throw invalid(error);
  }
  return {
    groups,
    async read(group) {
      let ipc: Uint8Array;
      try {
        const table = await file.read({ rowGroups: [group], batchSize: PARQUET_BATCH_ROWS });
        ipc = table.intoIPCStream();
      } catch (error) {
        throw invalid(error);
      }
      return withCorrectDictionaryNulls(aq.fromArrow(ipc) as unknown as ArqueroLike);
    },
    close: () => file.free(),
  };
}
