#!/usr/bin/env bash
# Debian packages for the benchmark's pandas engines (bench/engines/*.py, run by `npm run bench`
# and checked in test/bench/window-engines.test.ts): python3-pandas, for /usr/bin/python3.
set -euo pipefail
bash "$(dirname "$0")/apt-install-missing.sh" setup-bench python3-pandas
