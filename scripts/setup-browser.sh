#!/usr/bin/env bash
# Debian packages for the report renderers and the browser test:
# fonts-dejavu-core (PNG text through resvg) and chromium (test/report/browser.test.ts).
# A no-op when both are installed; otherwise apt-get update and a minimal install.
set -euo pipefail

packages=(fonts-dejavu-core chromium)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg -s "$p" >/dev/null 2>&1; then missing+=("$p"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup-browser: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
