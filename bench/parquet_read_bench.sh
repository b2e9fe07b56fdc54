#!/bin/bash
# parquet_read_bench.sh -- the Parquet reader against DuckDB on the same file in
# the same run: decoding every column, and a scan of two projected columns.
#
#   bench/parquet_read_bench.sh [FILE] [BUILD_DIR]
#
# FILE defaults to TPC-H lineitem at scale factor 1 from ../shared, else an
# SF1-sized stand-in (SF 0.1 repeated ten times, made once by DuckDB and cached in
# BUILD_DIR/bench-data, as bench/s3_read_bench.sh does). Prints MB/s and the ratio
# to DuckDB (> 1 means faster than DuckDB), by wall time and by CPU time (the
# second is steadier when other work shares the machine).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${2:-$ROOT/build/release}
SHARED=${NL_SHARED_DIR:-$ROOT/../shared}
[ -d "$SHARED" ] || SHARED=$ROOT/../../shared
PEERS=$SHARED/tools/peers
FILE=${1:-$SHARED/testdata/tpch/sf1/lineitem.parquet}
if [ ! -f "$FILE" ]; then
    FILE=$BUILD/bench-data/lineitem_sf1.parquet
    if [ ! -f "$FILE" ]; then
        mkdir -p "$BUILD/bench-data"
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
RUNS=${RUNS:-3}
SIZE=$(stat -c %s "$FILE")
echo "file: $FILE ($((SIZE / 1000000)) MB), best of $RUNS, $(nproc) cores"
OURS=$("$BUILD/bench/parquet_read_bench" "$FILE" "$RUNS")
DUCK=$(node "$ROOT/bench/parquet_read_duckdb.mjs" "$FILE" "$RUNS")
python3 - "$OURS" "$DUCK" <<'PY'
import sys
ours = {l.split()[0]: l.split()[1:] for l in sys.argv[1].splitlines()}
duck = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in sys.argv[2].splitlines()}
for name in ("all_columns", "two_columns"):
    t, c, mbs, mrows = ours[name]
    t, c = float(t), float(c)
    dt, dc = duck[name]
    print(f"{name:12s} neuralake {t:6.3f} s wall {c:6.3f} s cpu {float(mbs):7.1f} MB/s "
          f"{float(mrows):6.2f} Mrows/s | duckdb {dt:6.3f} s wall {dc:6.3f} s cpu | "
          f"ratio {dt / t:4.2f}x wall {dc / c:4.2f}x cpu")
PY
