#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh machine: installs what it
# needs (npm packages from the lockfile; Debian packages only when missing),
# then lints, type-checks, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# (Debian packages for the browser and notebook suites are added here by those suites.)
if ((${#need_apt[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

npx biome check .
npx tsc --noEmit -p .
npx tsup --silent
npx vitest run
