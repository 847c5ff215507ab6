/**
 * `nps-gaming/duckdb`: the scale path. The same per-survey / per-rep feature
 * extraction as the in-memory detectors, as SQL on DuckDB (embedded) over
 * CSV/Parquet files or the tables of an existing database; statistics in JS
 * on the aggregated rows. Covers `concession-before-survey` (peer-share basis)
 * and `concession-during-survey`; see docs/warehouse-sql.md for the SQL and
 * how to port it to PostgreSQL, Spark SQL, BigQuery and Snowflake.
 *
 * `@duckdb/node-api` is an optional peer, loaded lazily: without it these
 * functions throw a MissingPeerError saying how to install it.
 */
export {
  analyzeWithDuckDb,
  type DuckDbAnalyzeOptions,
  SQL_DETECTORS,
  type SqlDetectorId,
  type SqlLedgerInput,
} from './duckdb/analyze.js';
export { connectDuckDb, type DuckDbConnection, loadDuckDb, queryRows } from './duckdb/connect.js';
export {
  beforeSurveyAggregatesSql,
  beforeSurveySql,
  duringSurveySql,
  type JoinStrategy,
  repOrderSql,
  type SqlSource,
  stageSql,
} from './duckdb/sql.js';
export { DUCKDB_STEPS, type DuckDbProgress, type DuckDbStep } from './duckdb/statements.js';
export {
  type BeforeSurveyAggregate,
  beforeSurveyTests,
  type DuringSurveyAggregate,
  duringSurveyTests,
} from './duckdb/tests.js';
