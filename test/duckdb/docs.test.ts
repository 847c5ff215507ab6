import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blocksIn, sqlBlocks } from './sqlBlocks.js';

describe('docs/warehouse-sql.md', () => {
  it('shows the SQL the DuckDB path runs (default options), verbatim', () => {
    const docs = blocksIn(readFileSync(new URL('../../docs/warehouse-sql.md', import.meta.url), 'utf8'));
    expect(docs).toEqual(sqlBlocks());
  });
});
