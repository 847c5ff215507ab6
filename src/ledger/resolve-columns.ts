import { LedgerError, messages } from '../log/errors.js';
import { CANONICAL_COLUMNS, type ColumnSpec } from './schema.js';

/** Canonical column name → the name it has in the user's input. */
export type ColumnMapping = Partial<Record<string, string>>;

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
  mapping: ColumnMapping = {},
): { index: ColumnIndex; warnings: string[] } {
  for (const key of Object.keys(mapping)) {
    if (!CANONICAL_COLUMNS.has(key)) throw new LedgerError(messages.badMapping(key), { source: 'columns' });
  }
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, i);
  });
  const index: ColumnIndex = new Map();
  const missing: string[] = [];
  for (const spec of specs) {
    const wanted = (mapping[spec.name] ?? spec.name).trim().toLowerCase();
    const i = byName.get(wanted);
    if (i !== undefined) index.set(spec.name, i);
    else if (spec.required) missing.push(spec.name);
  }
  if (missing.length) throw new LedgerError(messages.missingColumns(source, missing, header), { source });
  const used = new Set(index.values());
  const extra = header.filter((_, i) => !used.has(i));
  const warnings = extra.length ? [`ignored column(s) not used by nps-gaming: ${extra.join(', ')}`] : [];
  return { index, warnings };
}
