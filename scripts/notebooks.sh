#!/usr/bin/env bash
# Type-check and execute the notebooks headlessly (npm run notebooks; CI runs it
# through test/notebooks/notebooks.test.ts).
#
#   bash scripts/notebooks.sh [notebook.ipynb ...]   # default: notebooks/*.ipynb
#
# 1. installs Deno's Jupyter kernel (`deno jupyter --install --force`, idempotent; the
#    `deno` binary comes from the npm devDependency, nothing is downloaded);
# 2. type-checks the code of every notebook: its code cells, concatenated in
#    order, become one TypeScript module for `deno check` (Jupyter does not
#    type-check cells; relative imports are resolved against the notebook);
# 3. executes every notebook with `jupyter nbconvert --to notebook` (an
#    ExecutePreprocessor that waits for late outputs, see below) into
#    $NOTEBOOKS_OUT (default notebooks/.executed/, git-ignored), failing on the
#    first cell error.
# Needs the Debian packages of scripts/setup-notebooks.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

notebooks=()
for nb in "$@"; do notebooks+=("$(cd "$(dirname "$nb")" && pwd)/$(basename "$nb")"); done
cd "$root"
if [ ${#notebooks[@]} -eq 0 ]; then
  for nb in notebooks/*.ipynb; do notebooks+=("$root/$nb"); done
fi
out="${NOTEBOOKS_OUT:-$root/notebooks/.executed}"
mkdir -p "$out" "$root/notebooks/.executed"
out="$(cd "$out" && pwd)"
# The extracted code lives inside the project (git-ignored), so that bare imports
# resolve through its package.json and node_modules; one directory per run.
check="$(mktemp -d "$root/notebooks/.executed/check.XXXXXX")"
trap 'rm -rf "$check"' EXIT

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "notebooks: jupyter nbconvert is missing; run: bash scripts/setup-notebooks.sh" >&2
  exit 1
fi
deno="$root/node_modules/.bin/deno"
if [ ! -x "$deno" ]; then
  echo "notebooks: $deno is missing; run: npm ci" >&2
  exit 1
fi
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 PYDEVD_DISABLE_FILE_VALIDATION=1

# --force: (re)point the kernel at this checkout's deno; the same result on every run.
"$deno" jupyter --install --force >/dev/null 2>&1 || "$deno" jupyter --install --force

# 2. Extract and type-check.
checks=()
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  node --input-type=module - "$nb" "$check/$name.ts" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
const [nbPath, target] = process.argv.slice(2);
const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
const base = pathToFileURL(`${dirname(nbPath)}/`);
// relative module specifiers (import … from './x', import('../y')) become absolute file URLs
const absolute = (code) =>
  code.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\2/g, (_, head, q, spec) => `${head}${q}${new URL(spec, base).href}${q}`);
const parts = nb.cells
  .map((cell, i) => ({ cell, i }))
  .filter(({ cell }) => cell.cell_type === 'code')
  .map(({ cell, i }) => {
    const code = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    return `// ---- cell ${i + 1} (${cell.id ?? 'no id'}) ----\n${absolute(code)}\n`;
  });
writeFileSync(target, `// Code cells of ${nbPath}, for deno check.\nexport {};\n${parts.join('\n')}`);
JS
  checks+=("$check/$name.ts")
done
echo "notebooks: deno check ${#checks[@]} notebook(s)" >&2
"$deno" check --quiet "${checks[@]}"

# 3. Execute. Deno's kernel can report a cell idle before the cell's last
# outputs reach iopub, and nbconvert then drops them (now and then a table or a
# chart went missing): this ExecutePreprocessor keeps reading the cell's
# messages until none came for a short grace period.
cat >"$check/deno_execute.py" <<'PY'
from queue import Empty

from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor


class DenoExecutePreprocessor(ExecutePreprocessor):
    grace = 0.3  # seconds without a message after idle

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        idle = False
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=self.grace if idle else None))
            except Empty:
                return
            if msg['parent_header'].get('msg_id') != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True
PY
for nb in "${notebooks[@]}"; do
  start=$(date +%s)
  PYTHONPATH="$check${PYTHONPATH:+:$PYTHONPATH}" jupyter nbconvert --to notebook "$nb" --output-dir "$out" \
    --NotebookExporter.preprocessors deno_execute.DenoExecutePreprocessor \
    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=deno --log-level=WARN
  echo "notebooks: $(basename "$nb") executed in $(($(date +%s) - start)) s -> $out/$(basename "$nb")" >&2
done
