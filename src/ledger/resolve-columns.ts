import { LedgerError, messages } from '../log/errors.js';
import { CANONICAL_COLUMNS, type ColumnSpec } from './schema.js';

/**
 * Canonical column name → the name it has in the user's input. A mapped
 * name that a ledger does not have falls back to the canonical name, so one
 * flat mapping serves all three ledgers; per-ledger mappings nest under
 * `surveys`, `concessions` or `interactions`.
 *
 * @example { customer_id: "acct_no", surveys: { sent_at: "invited" } }
 */
export type ColumnMapping = { [canonical: string]: string | ColumnMapping | undefined };

/** The flat mapping for one ledger: shared entries, overridden by the ledger's own. */
export function mappingFor(mapping: ColumnMapping = {}, ledger: string): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(mapping)) if (typeof value === 'string') flat[key] = value;
  const own = mapping[ledger];
  if (own && typeof own === 'object') {
    for (const [key, value] of Object.entries(own)) if (typeof value === 'string') flat[key] = value;
  }
  return flat;
}

const LEDGER_KEYS = new Set(['surveys', 'concessions', 'interactions']);

/** Canonical column name → its index in the input header (absent columns are left out). */
export type ColumnIndex = Map<string, number>;

/**
 * Find each canonical column in `header`: the mapped name if a mapping gives
 * one, else the canonical name (case and surrounding spaces ignored). Throws
 * one LedgerError listing every missing required column, the columns found
 * and near matches. Extra columns come back as warnings.
 */
export function resolveColumns(
  source: string,
  header: readonly string[],
  specs: readonly ColumnSpec[],
  ledger: string,
  mapping: ColumnMapping = {},
): { index: ColumnIndex; warnings: string[] } {
  for (const [key, value] of Object.entries(mapping)) {
    const nested = LEDGER_KEYS.has(key) && typeof value === 'object';
    if (!nested && !CANONICAL_COLUMNS.has(key))
      throw new LedgerError(messages.badMapping(key), { source: 'columns' });
    if (nested)
      for (const inner of Object.keys(value)) {
        if (!CANONICAL_COLUMNS.has(inner))
          throw new LedgerError(messages.badMapping(`${key}.${inner}`), { source: 'columns' });
      }
  }
  const flat = mappingFor(mapping, ledger);
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, i);
  });
  const index: ColumnIndex = new Map();
  const missing: string[] = [];
  for (const spec of specs) {
    const mapped = flat[spec.name]?.trim().toLowerCase();
    const i = (mapped === undefined ? undefined : byName.get(mapped)) ?? byName.get(spec.name);
    if (i !== undefined) index.set(spec.name, i);
    else if (spec.required) missing.push(spec.name);
  }
  if (missing.length) throw new LedgerError(messages.missingColumns(source, missing, header), { source });
  const used = new Set(index.values());
  const extra = header.filter((_, i) => !used.has(i));
  const warnings = extra.length ? [`ignored column(s) not used by nps-gaming: ${extra.join(', ')}`] : [];
  return { index, warnings };
}
