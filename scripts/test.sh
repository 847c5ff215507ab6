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
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" || status=$?
# one plain closing line for CI: "N passed, N failed"
node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || true
exit "$status"
