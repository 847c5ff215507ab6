#!/usr/bin/env bash
# Debian packages for executing the notebooks headlessly (scripts/notebooks.sh,
# test/notebooks/notebooks.test.ts): jupyter-nbconvert, python3-ipykernel and
# jupyter-client. The TypeScript kernel itself is Deno's, from the `deno` npm
# devDependency (installed by scripts/notebooks.sh).
set -euo pipefail
bash "$(dirname "$0")/apt-install-missing.sh" setup-notebooks jupyter-nbconvert python3-ipykernel jupyter-client
