#!/usr/bin/env bash
# Usage: apt-install-missing.sh <who> <package>...
# The shared body of the scripts/setup-*.sh hooks: a no-op when every Debian package is installed;
# otherwise apt-get update and a minimal install of the missing ones (with sudo when not root).
set -euo pipefail

who="$1"
shift
missing=()
for p in "$@"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then missing+=("$p"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "$who: installing ${missing[*]}" >&2
# Other set-up hooks may hold the dpkg lock: wait for it instead of failing.
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
