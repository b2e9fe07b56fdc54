#!/bin/bash
# s3_read_bench.sh -- runs bench/s3_read_bench.c: reading TPC-H lineitem from
# the local S3 bucket against reading it from disk (and DuckDB on disk).
#
#   bench/s3_read_bench.sh [BUILD_DIR [FILE]]   (default build/release)
#
# The data: lineitem at scale factor 1 when ../shared has it; otherwise an
# SF1-sized stand-in made once by DuckDB from the SF 0.1 file repeated ten
# times with shifted order keys (cached in BUILD_DIR/bench-data). Uses the S3 server from the
# environment (AWS_ENDPOINT_URL) or starts a private one on port 7482 and
# stops it afterwards. DuckDB reading through S3 needs its httpfs extension,
# which it downloads on first use: without a network it is reported as
# unavailable.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
SHARED=${NL_SHARED_DIR:-$ROOT/../shared}
[ -d "$SHARED" ] || SHARED=$ROOT/../../shared   # from a git worktree
PEERS=$SHARED/tools/peers
DATA=$BUILD/bench-data
mkdir -p "$DATA"

FILE=${2:-$SHARED/testdata/tpch/sf1/lineitem.parquet}
if [ ! -f "$FILE" ]; then
    FILE=$DATA/lineitem_sf1.parquet
    if [ ! -f "$FILE" ]; then
        echo "making an SF1-sized lineitem from SF 0.1 x 10 with DuckDB (once) ..." >&2
        SRC=$SHARED/testdata/tpch/sf0.1/lineitem.parquet
        Q=""
        for k in 0 1 2 3 4 5 6 7 8 9; do
            [ -n "$Q" ] && Q="$Q UNION ALL "
            Q="${Q}SELECT * REPLACE (l_orderkey + $k * 600000 AS l_orderkey) FROM read_parquet('$SRC')"
        done
        node "$PEERS/sql.mjs" "COPY ($Q) TO '$FILE' (FORMAT parquet, COMPRESSION snappy)" >/dev/null
    fi
fi

STARTED=
if [ -z "${AWS_ENDPOINT_URL:-}" ]; then
    export NL_S3_PORT=7482 NL_S3_STATE=$BUILD/bench-s3-server
    eval "$("$ROOT/scripts/s3-server.sh" start)"
    STARTED=1
    trap '"$ROOT/scripts/s3-server.sh" stop' EXIT
fi
BUCKET=${NEURALAKE_S3_BUCKET:-neuralake-bucket}
KEY=s3://$BUCKET/bench/lineitem.parquet

SIZE=$(stat -c %s "$FILE")
echo "file: $FILE ($((SIZE / 1000000)) MB)"
echo "uploading to $KEY ..."
T0=$(date +%s.%N)
"$BUILD/neuralake" s3 cp -q "$FILE" "$KEY"
T1=$(date +%s.%N)
python3 -c "print('upload: %.1f MB/s (multipart, 8 MiB parts, 4 in flight)' % ($SIZE/1e6/($T1-$T0)))"

"$BUILD/bench/s3_read_bench" "$FILE" "$KEY"

if [ -f "$PEERS/sql.mjs" ]; then
    T0=$(date +%s.%N)
    node "$PEERS/sql.mjs" "SELECT sum(l_quantity), sum(l_extendedprice * (1 - l_discount)), max(l_shipdate) FROM read_parquet('$FILE')" >/dev/null
    T1=$(date +%s.%N)
    python3 -c "print('duckdb disk  query on the 4 columns: %.3f s (including node start-up)' % ($T1-$T0))"
    if node "$PEERS/sql.mjs" "LOAD httpfs; SELECT 1" >/dev/null 2>&1; then
        echo "duckdb httpfs: available (not measured by this script yet)"
    else
        echo "duckdb httpfs: unavailable here (the extension cannot be downloaded offline)"
    fi
fi
