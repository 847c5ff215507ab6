/**
 * `nps-gaming/danfo`: danfojs-node interop, kept behind its own subpath
 * because danfojs is an optional peer and costs ~1.5 s to import. It is loaded
 * lazily; when it is not installed the functions throw a MissingPeerError
 * saying how to install it.
 *
 * Note for consumers: danfojs-node's own install needs npm overrides on some
 * machines (see the README, "danfojs").
 */
import type { LedgerInput } from './ledger/read-input.js';
import { MissingPeerError, messages } from './log/errors.js';

type DanfoModule = typeof import('danfojs-node');
type DataFrame = InstanceType<DanfoModule['DataFrame']>;

let danfo: Promise<DanfoModule> | undefined;

/** Import danfojs-node once, with a clear error when it is missing. */
export function loadDanfo(): Promise<DanfoModule> {
  danfo ??= import('danfojs-node').catch((error: unknown) => {
    danfo = undefined;
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingPeerError(messages.missingPeer('danfojs-node', 'nps-gaming/danfo'));
    }
    throw error;
  });
  return danfo;
}

/**
 * A danfojs DataFrame as ledger input (rows of plain objects; timestamps may
 * be strings or Dates). The loaders also accept a DataFrame directly; this
 * makes the conversion explicit and checks the argument.
 *
 * @example const { ledger } = await loadSurveys(fromDanfo(df));
 */
export function fromDanfo(frame: DataFrame): LedgerInput {
  const { columns, values } = frame as unknown as { columns: string[]; values: unknown[][] };
  if (!Array.isArray(columns) || !Array.isArray(values)) {
    throw new TypeError('fromDanfo expects a danfojs DataFrame');
  }
  return values.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

/**
 * Rows of plain objects (findings, a per-entity table, a CSV export) as a
 * danfojs DataFrame. Nested values (objects, arrays) become JSON text.
 *
 * @example const df = await toDanfo(result.findings.map(f => ({ id: f.entity.id, q: f.qValue })));
 */
export async function toDanfo(rows: readonly Record<string, unknown>[]): Promise<DataFrame> {
  const { DataFrame } = await loadDanfo();
  const flat = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
    ),
  );
  return new DataFrame(flat);
}
