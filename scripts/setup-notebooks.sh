#!/usr/bin/env bash
# Debian packages for executing the notebooks headlessly (scripts/notebooks.sh,
# test/notebooks/notebooks.test.ts): jupyter-nbconvert, python3-ipykernel and
# jupyter-client. The TypeScript kernel itself is Deno's, from the `deno` npm
# devDependency (installed by scripts/notebooks.sh).
# A no-op when every package is installed; otherwise apt-get update and a minimal install.
set -euo pipefail

packages=(jupyter-nbconvert python3-ipykernel jupyter-client)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then missing+=("$p"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup-notebooks: installing ${missing[*]}" >&2
# Other set-up hooks may hold the dpkg lock: wait for it instead of failing.
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
