#!/usr/bin/env bash
# Debian packages for the report renderers and the browser test:
# fonts-dejavu-core (PNG text through resvg) and chromium (test/report/browser.test.ts).
set -euo pipefail
bash "$(dirname "$0")/apt-install-missing.sh" setup-browser fonts-dejavu-core chromium
