import { type ColumnMapping, resolveColumns } from '../ledger/resolve-columns.js';
import { SCHEMAS } from '../ledger/schema.js';
import { LedgerError } from '../log/errors.js';
import { type DuckDbConnection, queryRows } from './connect.js';
import { relationOf, type SqlColumns, type SqlSource } from './sql.js';

/**
 * The SQL path's column names, found as the in-memory loader finds them
 * (`resolveColumns`): the mapping's name, else the canonical name whatever its
 * case, else a column spelt like it (`Customer ID`, `CUSTOMER_ID`); an optional
 * column the source lacks (a concession file without `reason`) reads as NULL,
 * and a missing required one is the loader's error, naming the source, what is
 * missing and near matches, rather than DuckDB's binder error. A source DuckDB
 * cannot read at all is a LedgerError naming it.
 */
export async function resolveSqlColumns(
  connection: DuckDbConnection,
  sources: { surveys: SqlSource; concessions: SqlSource },
  mapping: ColumnMapping = {},
  maxRecordBytes?: number,
): Promise<SqlColumns> {
  const names = async (ledger: 'surveys' | 'concessions') => {
    const source = sources[ledger];
    const label = 'table' in source ? source.table : source.file;
    let described: Record<string, unknown>[];
    try {
      described = await queryRows(
        connection,
        `DESCRIBE SELECT * FROM ${relationOf(source, undefined, maxRecordBytes)}`,
      );
    } catch (error) {
      // a file DuckDB cannot take as CSV or Parquet, a table that is not there: one line naming it
      throw new LedgerError(`${label}: ${unreadable(String((error as Error).message))}`, { source: label });
    }
    const header = described.map((row) => String(row.column_name));
    const { index } = resolveColumns(label, header, SCHEMAS[ledger], ledger, mapping);
    return Object.fromEntries(
      SCHEMAS[ledger].map((spec) => {
        const i = index.get(spec.name);
        return [spec.name, i === undefined ? null : header[i]];
      }),
    );
  };
  return { surveys: await names('surveys'), concessions: await names('concessions') };
}

/** What to do about a record over DuckDB's line limit. */
export const RAISE_LIMIT =
  'if the record is genuine, raise the limit (--max-record-mib on the command line, option maxRecordBytes)';

/** Why DuckDB could not read a source, from its message, in one line. */
function unreadable(message: string): string {
  const lines = message.split('\n');
  // its sniffer's error lists the dialects it tried and generic fixes, not the record at fault
  if (lines[0].includes('Error when sniffing file'))
    return 'DuckDB cannot read it as CSV (a malformed record, such as a quote that never closes, or not a CSV file); `nps-gaming validate` names the first bad record';
  // its first line says "CSV Error on Line: 1" for a record over its line limit: say the limit
  const limit = lines.find((line) => line.startsWith('Maximum line size'));
  if (limit) return `DuckDB cannot read it (${limit.trim()}); ${RAISE_LIMIT}`;
  return `DuckDB cannot read it (${lines[0].trim()})`;
}
