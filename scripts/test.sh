#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: installs what it
# needs (npm packages from the lockfile; Debian packages through the
# scripts/setup-*.sh hooks, each a no-op when its packages are present), then
# lints, type-checks, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

for setup in scripts/setup-*.sh; do
  [ -e "$setup" ] && bash "$setup"
done

# a symlinked node_modules (a git worktree sharing another checkout's) is left alone: npm ci would
# empty the checkout it belongs to
if [ ! -L node_modules ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund
fi

npx biome check .
npx tsc --noEmit -p .
npx tsup --silent
results="$(mktemp -d)/vitest.json"
status=0
# The suite takes 2-5 minutes. A hang (a stuck child process, an endless loop) fails it after 30,
# naming the test files still running, instead of running out CI's clock; the hanging-process
# reporter lists what keeps vitest alive if it cannot exit.
running="$(dirname "$results")/running.txt"
VITEST_RUNNING_FILE="$running" timeout --signal=INT --kill-after=60 1800 \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$results" \
  --reporter=hanging-process --reporter=./test/reporters/running-files.ts || status=$?
if [ "$status" -eq 124 ]; then
  echo "the test suite did not finish within 30 minutes; still running:" >&2
  # (no file when no test file had started)
  cat "$running" >&2 2>/dev/null || true
fi
# one plain closing line for CI: "N passed, N failed"
node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || true
exit "$status"
