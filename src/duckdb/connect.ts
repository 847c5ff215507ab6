import { MissingPeerError, messages } from '../log/errors.js';

type DuckDbModule = typeof import('@duckdb/node-api');
/** A DuckDB connection (from `@duckdb/node-api`). */
export type DuckDbConnection = Awaited<ReturnType<InstanceType<DuckDbModule['DuckDBInstance']>['connect']>>;

let duckdb: Promise<DuckDbModule> | undefined;

/** Import `@duckdb/node-api` once, with a clear error when it is missing (it is an optional peer). */
export function loadDuckDb(): Promise<DuckDbModule> {
  duckdb ??= import('@duckdb/node-api').catch((error: unknown) => {
    duckdb = undefined;
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingPeerError(messages.missingPeer('@duckdb/node-api', 'nps-gaming/duckdb'));
    }
    throw error;
  });
  return duckdb;
}

/**
 * Open a DuckDB database (`':memory:'` by default, or a database file whose
 * tables the ledgers can name) and connect to it.
 */
export async function connectDuckDb(database = ':memory:'): Promise<DuckDbConnection> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(database);
  return instance.connect();
}

/** Run a query and return its rows as JSON-safe objects (BIGINT as strings: cast in SQL when numbers are wanted). */
export async function queryRows(
  connection: DuckDbConnection,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
