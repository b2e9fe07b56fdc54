#!/bin/sh
# test_quickstart.sh NEURALAKE QUERY_DATA LIBMYCATALOG EXPECTED DATADIR
# Writes the sample data, runs the quickstart and compares its output byte for
# byte with the blueprint's (expected_output.txt); then loads the same catalog
# into the command.
set -eu
nl="$1"; qd="$2"; lib="$3"; expected="$4"; data="$5"
unset POLARS_FMT_MAX_ROWS POLARS_FMT_MAX_COLS POLARS_FMT_STR_LEN POLARS_TABLE_WIDTH NEURALAKE_S3 || true
rm -rf "$data"
"$nl" sample-data "$data" >/dev/null
out=$(mktemp)
trap 'rm -f "$out" "$out.tables"' EXIT
NEURALAKE_DATA="$data" "$qd" >"$out" 2>/dev/null
if ! cmp -s "$out" "$expected"; then
  echo "query_data output differs from $expected:"
  diff "$expected" "$out" || true
  exit 1
fi
NEURALAKE_DATA="$data" "$nl" --catalog "$lib" tables >"$out.tables"
grep -q '^tpch.part  *parquet  *Parts sold by the company' "$out.tables" || { cat "$out.tables"; exit 1; }
grep -q '^tpch.supplier  *function' "$out.tables" || { cat "$out.tables"; exit 1; }
echo "quickstart output matches the blueprint"
