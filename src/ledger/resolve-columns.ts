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
 * one, else the canonical name (case and surrounding spaces ignored); failing
 * that, a column spelt like it ({@link spellingKey}; said in a warning). Throws
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
  const bySpelling = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (!byName.has(key)) byName.set(key, i);
    const spelling = spellingKey(h);
    // two columns spelt alike ("Sent At" and "sent-at") are ambiguous: neither is read by spelling
    bySpelling.set(spelling, bySpelling.has(spelling) ? -1 : i);
  });
  const find = (name: string) => byName.get(name.trim().toLowerCase()) ?? spelt(name);
  const spelt = (name: string) => {
    const i = bySpelling.get(spellingKey(name));
    return i === undefined || i < 0 ? undefined : i;
  };
  const index: ColumnIndex = new Map();
  const missing: string[] = [];
  const respelt: string[] = [];
  for (const spec of specs) {
    const mapped = flat[spec.name];
    const i = (mapped === undefined ? undefined : find(mapped)) ?? find(spec.name);
    if (i === undefined) {
      if (spec.required) missing.push(spec.name);
      continue;
    }
    index.set(spec.name, i);
    const wanted = (mapped ?? spec.name).trim().toLowerCase();
    if (header[i].trim().toLowerCase() !== wanted && mapped === undefined)
      respelt.push(`"${header[i].trim()}" as ${spec.name}`);
  }
  if (missing.length) throw new LedgerError(messages.missingColumns(source, missing, header), { source });
  const used = new Set(index.values());
  const extra = header.filter((_, i) => !used.has(i));
  const warnings = extra.length ? [`ignored column(s) not used by nps-gaming: ${extra.join(', ')}`] : [];
  if (respelt.length) warnings.push(`column(s) read by their spelling: ${respelt.join(', ')}`);
  return { index, warnings };
}

/**
 * A column name without case and separators, camelCase split: `Customer ID`, `CUSTOMER_ID`,
 * `customer-id` and `customerId` are `customer_id`, as BI tools, Snowflake (upper case) and
 * JavaScript exports spell it. Only the spelling: `customer` or `cust_id` are other names.
 */
function spellingKey(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '_');
}
