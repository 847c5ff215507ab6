import { compressionOf, fileHead, formatExtension, unsupportedCompression } from '../files/byte-source.js';
import { isUtf16, utf16 } from '../ledger/csv-stream.js';
import { FORMATS, filesOf } from '../ledger/file-set.js';
import { CSV_EXTENSIONS, causeOf, gzippedBinary } from '../ledger/read-input.js';
import { LedgerError, messages } from '../log/errors.js';
import type { SqlSource } from './sql.js';

/**
 * The loader's errors, before DuckDB starts, for a ledger file that is missing or unreadable,
 * empty, compressed otherwise than with gzip (or a gzipped Parquet file), or UTF-16 text, and the
 * SQL path's for a type it does not read. DuckDB's own were an internal error ("IO Error: No files
 * found …") or misleading (a JSON file read as CSV; an empty file's "columns found: column0").
 */
export function checkSourceFiles(sources: { surveys: SqlSource; concessions: SqlSource }): void {
  for (const source of Object.values(sources)) {
    if ('table' in source) continue;
    for (const file of filesOf(source.file) ?? [source.file]) {
      const format = formatExtension(file);
      if (!CSV_EXTENSIONS.has(format) && format !== '.parquet') {
        const message = FORMATS.has(format)
          ? `${file}: the SQL path reads CSV, TSV and Parquet files (also gzipped CSV and TSV), not ${format}; use the in-memory engine for it`
          : messages.unknownFormat(file);
        throw new LedgerError(message, { source: file });
      }
      let head: Buffer;
      try {
        head = fileHead(file, 16);
      } catch (error) {
        throw new LedgerError(messages.unreadable(file, causeOf(error)), { source: file });
      }
      if (head.length === 0)
        throw new LedgerError(`${file}: the file is empty, without even a header`, { source: file });
      const compression = compressionOf(head);
      if (compression === 'gzip' && format === '.parquet') throw gzippedBinary(file, format);
      if (compression !== undefined && compression !== 'gzip')
        throw unsupportedCompression(file, compression);
      if (format !== '.parquet' && compression === undefined && isUtf16(head, 0, head.length))
        throw utf16(file);
    }
  }
}
