#!/usr/bin/env bash
# The README's second command: builds the release preset (installing what is
# missing first) and runs every test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
