import {
  beforeSurveyAggregatesSql,
  beforeSurveySql,
  DAY_US,
  duringSurveySql,
  repOrderSql,
  stageSql,
} from '../../src/duckdb/sql.js';
import {
  DEFAULT_NON_RECOVERY_REASONS,
  DEFAULT_NON_REVENUE_CATEGORIES,
} from '../../src/features/concessionKinds.js';

/** The SQL that docs/warehouse-sql.md shows, by marker name, for the default options. */
export function sqlBlocks(): Record<string, string> {
  return {
    stage: `${stageSql({ file: 'surveys.csv' }, { file: 'concessions.csv' }, {}, DEFAULT_NON_RECOVERY_REASONS).join(';\n\n')};`,
    'rep-order': `${repOrderSql.trim()};`,
    'before-bucket': `${beforeSurveySql(7 * DAY_US, 'bucket')};`,
    'before-range': `${beforeSurveySql(7 * DAY_US, 'range')};`,
    'before-aggregates': `${beforeSurveyAggregatesSql(7, DEFAULT_NON_REVENUE_CATEGORIES)};`,
    'during-bucket': `${duringSurveySql(30, 'bucket')};`,
    'during-range': `${duringSurveySql(30, 'range')};`,
  };
}

/** The SQL blocks of a Markdown text: a `<!-- sql:name -->` line, then a fenced sql block. */
export function blocksIn(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of markdown.matchAll(/<!-- sql:([a-z-]+) -->\n```sql\n([\s\S]*?)\n```/g)) out[m[1]] = m[2];
  return out;
}
