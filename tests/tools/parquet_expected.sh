#!/usr/bin/env bash
# parquet_expected.sh -- regenerates tests/data/parquet-testing/*.txt, the values
# DuckDB reads from each file of parquet-testing/data, in the canonical text that
# tests/unit/test_parquet_testing.c prints from our reader:
#   line 1: column names joined by '|'; then one line per row, values joined by '|'
#   NULL -> \N; FLOAT printf %.9g; DOUBLE %.17g; BLOB upper-case hex;
#   TIMESTAMP* -> epoch nanoseconds (at DuckDB's precision); TIME -> microseconds since midnight;
#   DATE, DECIMAL, integers, booleans, strings, UUID -> DuckDB's text;
#   nested (LIST, STRUCT, MAP) -> DuckDB's to_json.
# Usage: tests/tools/parquet_expected.sh [SHARED_DIR [DATA_DIR OUT_DIR]]
#   (default ../shared, its parquet-testing/data, tests/data/parquet-testing)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=${1:-${NL_SHARED_DIR:-$here/../shared}}
data=${2:-$shared/testdata/parquet-testing/data}
out=${3:-$here/tests/data/parquet-testing}
sql="node $shared/tools/peers/sql.mjs"
mkdir -p "$out"
for f in "$data"/*.parquet; do
  name=$(basename "$f")
  if ! desc=$($sql "DESCRIBE SELECT * FROM read_parquet('$f')" 2>/dev/null); then
    echo "duckdb cannot read $name" > "$out/$name.duckdb-error"
    rm -f "$out/$name.txt"
    echo "skip $name (DuckDB fails)"; continue
  fi
  exprs=()
  while IFS='|' read -r col type _rest; do
    q="\"${col//\"/\"\"}\""
    case "$type" in
      FLOAT) e="printf('%.9g', $q)" ;;
      DOUBLE) e="printf('%.17g', $q)" ;;
      BLOB) e="hex($q)" ;;
      TIMESTAMP_NS) e="epoch_ns($q)::VARCHAR" ;;
      TIMESTAMP_MS) e="(epoch_ms($q)::HUGEINT * 1000000)::VARCHAR" ;;
      TIMESTAMP_S) e="(epoch($q)::HUGEINT * 1000000000)::VARCHAR" ;;
      TIMESTAMP*) e="(epoch_us($q)::HUGEINT * 1000)::VARCHAR" ;;
      TIME) e="epoch_us(DATE '1970-01-01' + $q)::VARCHAR" ;;
      TIME_NS) e="epoch_us(DATE '1970-01-01' + $q::TIME)::VARCHAR" ;;
      *'['*|STRUCT*|MAP*) e="to_json($q)::VARCHAR" ;;
      *) e="$q::VARCHAR" ;;
    esac
    exprs+=("coalesce($e, '\\N') AS $q")
  done < <(echo "$desc" | tail -n +2)
  list=$(IFS=,; echo "${exprs[*]}")
  if $sql "SELECT $list FROM read_parquet('$f')" > "$out/$name.txt.tmp" 2>/dev/null; then
    mv "$out/$name.txt.tmp" "$out/$name.txt"
    rm -f "$out/$name.duckdb-error"
    echo "ok $name"
  else
    rm -f "$out/$name.txt.tmp"
    echo "duckdb cannot read $name" > "$out/$name.duckdb-error"
    echo "skip $name (DuckDB fails on SELECT)"
  fi
done
