#!/bin/sh
# test_quickstart.sh NEURALAKE QUERY_DATA LIBMYCATALOG EXPECTED DATADIR [SEED_README]
# Writes the sample data, runs the quickstart and compares its output byte for
# byte with expected_output.txt, and its first block with the blueprint's README
# (when SEED_README exists); then loads the same catalog into the command and
# queries it in SQL.
set -eu
nl="$1"; qd="$2"; lib="$3"; expected="$4"; data="$5"; seed="${6:-}"
unset POLARS_FMT_MAX_ROWS POLARS_FMT_MAX_COLS POLARS_FMT_STR_LEN POLARS_TABLE_WIDTH NEURALAKE_S3 || true
rm -rf "$data"
"$nl" sample-data "$data" >/dev/null
out=$(mktemp)
trap 'rm -f "$out" "$out.tables" "$out.seed" "$out.head"' EXIT
NEURALAKE_DATA="$data" "$qd" >"$out" 2>/dev/null
if ! cmp -s "$out" "$expected"; then
  echo "query_data output differs from $expected:"
  diff "$expected" "$out" || true
  exit 1
fi
if [ -n "$seed" ] && [ -f "$seed" ]; then
  # The blueprint's block: from the heading to the table's last line.
  sed -n '/^--- Querying/,/└/p' "$seed" >"$out.seed"
  lines=$(wc -l <"$out.seed")
  head -n "$lines" "$out" >"$out.head"
  if ! cmp -s "$out.head" "$out.seed"; then
    echo "query_data does not print the blueprint's block byte for byte:"
    diff "$out.seed" "$out.head" || true
    exit 1
  fi
  echo "blueprint block: $lines lines, identical"
fi
NEURALAKE_DATA="$data" "$nl" --catalog "$lib" tables >"$out.tables"
grep -q '^tpch.part  *parquet  *Parts sold by the company' "$out.tables" || { cat "$out.tables"; exit 1; }
grep -q '^tpch.supplier  *function' "$out.tables" || { cat "$out.tables"; exit 1; }
# the same catalog in SQL from the command: the Parquet table joined with the function table
sql="SELECT s_nation, p_retailprice FROM part JOIN tpch.supplier ON s_partkey = p_partkey WHERE p_retailprice > 35 ORDER BY 2"
got=$(NEURALAKE_DATA="$data" "$nl" --catalog "$lib" query --format csv "$sql")
[ "$got" = "$(printf 's_nation,p_retailprice\nCANADA,40.0\nKENYA,50.0')" ] || { echo "SQL over the catalog: $got"; exit 1; }
echo "quickstart output matches the blueprint"
