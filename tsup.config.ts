import { copyFileSync, cpSync, existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', danfo: 'src/danfo.ts', duckdb: 'src/duckdb.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    onSuccess: async () => {
      copyFileSync('src/findings/findings.schema.json', 'dist/findings.schema.json');
      // the bundled demo dataset: what `nps-gaming detect` / `report` run on without data arguments
      if (existsSync('datasets/demo'))
        cpSync('datasets/demo', 'dist/demo', {
          recursive: true,
          filter: (src) => !src.endsWith('truth.json'),
        });
    },
  },
  {
    // the worker threads of loadLedgers (src/ledger/load-in-worker.ts) and analyzeAsync
    // (src/detectors/detect-in-worker.ts): ESM only (top-level await)
    entry: { 'load-worker': 'src/ledger/load-worker.ts', 'detect-worker': 'src/detectors/detect-worker.ts' },
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'node20',
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
