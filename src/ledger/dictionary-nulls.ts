import type { ArqueroLike } from './read-input.js';

/** The parts of an arquero table the repair uses (a `ColumnTable`). */
interface RepairableTable extends ArqueroLike {
  column(name: string): unknown;
  assign(other: unknown): RepairableTable;
  /** the rows the table shows, in its order, as positions in its columns */
  indices(): ArrayLike<number>;
  /** a copy holding only the rows shown, in order */
  reify(): RepairableTable;
}

/** arquero's stand-in for a dictionary-encoded Arrow column. */
interface DictionaryStandIn {
  key(row: number): number;
  nullCount: number;
  toArray(): ArrayLike<unknown>;
}

/**
 * The table with its dictionary-encoded columns that hold nulls replaced by the values the Arrow
 * library itself decodes.
 *
 * Why: arquero 8.0.3's stand-in for such a column (`fromArrow`, `nullKeys` in
 * format/from-arrow.js) writes a record batch's last validity byte whole, so when a batch's length
 * is not a multiple of 8, rows at the start of the next batch read as null: `a, null, b | a, c, d`
 * in batches of 3 read `a, null, b, null, null, null`. Rep ids would vanish without a trace.
 * flechette's own `toArray` decodes them right. Costs the once-per-key reading of such a column
 * (`DictionaryReader`); columns without nulls are left as they are.
 */
export async function withCorrectDictionaryNulls(table: ArqueroLike): Promise<ArqueroLike> {
  const t = table as RepairableTable;
  if (
    !['column', 'assign', 'indices', 'reify'].every(
      (m) => typeof t[m as keyof RepairableTable] === 'function',
    )
  )
    return table;
  const repaired: Record<string, unknown[]> = {};
  let rows: ArrayLike<number> | undefined;
  for (const name of t.columnNames()) {
    const column = t.column(name) as Partial<DictionaryStandIn> | undefined;
    if (typeof column?.key !== 'function' || !column.nullCount || typeof column.toArray !== 'function')
      continue;
    rows ??= t.indices();
    const values = column.toArray();
    repaired[name] = Array.from(rows, (row) => values[row]);
  }
  if (!rows) return table;
  const aq = await import('arquero');
  // a filtered or ordered table is made plain first, so that its rows line up with the repaired columns
  return t.reify().assign(aq.table(repaired));
}
