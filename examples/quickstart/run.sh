#!/bin/sh
# run.sh -- builds Neuralake (release preset), writes the sample data and runs
# the quickstart, from any directory:
#
#   examples/quickstart/run.sh          # local sample data in ./data
#   examples/quickstart/run.sh --s3     # the same file from the local S3 server
#                                       # (scripts/s3-server.sh start, then env)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
if [ "${1:-}" = "--s3" ]; then
    ./build/release/neuralake sample-data s3://neuralake-bucket >/dev/null
    exec ./build/release/examples/quickstart/query_data --s3
fi
./build/release/neuralake sample-data data >/dev/null
exec ./build/release/examples/quickstart/query_data --data data
