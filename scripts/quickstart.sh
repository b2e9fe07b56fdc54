#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the release
# preset, and runs the blueprint's demo end to end -- sample data, a local S3
# bucket (the blueprint's setup_minio.sh), the upload of parts.parquet into it,
# and query_data reading it back from the bucket. The server is stopped at the
# end. If no S3 server can start here, the demo reads the local files instead
# and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
NL=./build/release/neuralake
QD=./build/release/examples/quickstart/query_data
$NL --version
mkdir -p data
$NL sample-data data

# The demo's own server: its own port and state, so it never touches a server
# the tests or the user started.
export NL_S3_PORT=${NL_S3_PORT:-7479}
export NL_S3_STATE=${NL_S3_STATE:-${TMPDIR:-/tmp}/neuralake-quickstart-s3}
echo "--- starting a local S3 server (scripts/s3-server.sh) ---" >&2
if scripts/s3-server.sh start >/dev/null 2>"$NL_S3_STATE.log"; then
    trap 'scripts/s3-server.sh stop >/dev/null 2>&1 || true' EXIT
    eval "$(scripts/s3-server.sh env)"
    $NL s3 cp data/parts.parquet s3://neuralake-bucket/parts.parquet
    $QD --s3
else
    echo "quickstart: no local S3 server could start (see $NL_S3_STATE.log);" \
         "querying data/parts.parquet from disk instead" >&2
    $QD --data data
fi
