#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the release
# preset, and runs the main job (the version, then the quickstart demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
./build/release/neuralake --version
if [ -x build/release/examples/quickstart/query_data ]; then
  mkdir -p data
  ./build/release/neuralake sample-data data
  ./build/release/examples/quickstart/query_data --data data
fi
