#!/usr/bin/env bash
# parquet_peer_files.sh -- regenerates tests/data/parquet-peers: the same table
# of every type DuckDB writes (integers of each width and sign, floats,
# decimals on INT32/INT64/FIXED_LEN_BYTE_ARRAY, strings, blobs, dates, times,
# timestamps with and without time zone, UUIDs, booleans, nulls, lists,
# structs, maps) written by DuckDB with each codec, with small and default row
# groups, and as Parquet v2 (delta encodings, data pages v2); then the
# expected text through parquet_expected.sh (expected.txt, the same for every
# file). The reader must match it for all of them.
# Usage: tests/tools/parquet_peer_files.sh [SHARED_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shared=${1:-${NL_SHARED_DIR:-$here/../shared}}
out=$here/tests/data/parquet-peers
sql="node $shared/tools/peers/sql.mjs"
mkdir -p "$out"
rm -f "$out"/*.parquet "$out"/*.txt
q="SELECT ((i % 256) - 128)::TINYINT AS i8, ((i * 7) % 32768)::SMALLINT AS i16, (i * 1000003 % 2000000000 - 1000000000)::INTEGER AS i32,
  (i * 1000000007 - 3)::BIGINT AS i64, (i % 250)::UTINYINT AS u8, (i * 11)::USMALLINT AS u16,
  (i * 100003)::UINTEGER AS u32, (i * 9000000000000)::UBIGINT AS u64,
  (i / 3)::FLOAT AS f32, (i / 7)::DOUBLE AS f64,
  (i * 3.14)::DECIMAL(9,2) AS d9, (i * -1.5)::DECIMAL(18,3) AS d18, (i * 12345.6789)::DECIMAL(30,4) AS d30,
  CASE WHEN i % 4 = 0 THEN NULL ELSE 'str' || i END AS s, repeat('x', i % 17) AS s_var,
  CASE i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'green' ELSE 'blue' END AS s_dict,
  ('\\x' || lpad(to_hex(i % 256), 2, '0'))::BLOB AS b,
  DATE '1969-12-25' + i::INTEGER AS dt, TIME '00:00:00' + INTERVAL (i * 37) SECOND AS tm,
  TIMESTAMP '2020-02-28 23:00:00' + INTERVAL (i * 3601) SECOND AS ts,
  (TIMESTAMP '2021-01-01 00:00:00.123456' + INTERVAL (i) MINUTE)::TIMESTAMPTZ AS tstz,
  ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS id, i % 2 = 0 AS flag,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS maybe,
  CASE WHEN i % 6 = 0 THEN NULL ELSE [i, i + 1, NULL][1:(i % 4)] END AS lst,
  {'x': i, 'y': CASE WHEN i % 3 = 0 THEN NULL ELSE 'y' || i END} AS st,
  CASE WHEN i % 7 = 0 THEN NULL ELSE MAP {'k' || i: i, 'z': NULL} END AS mp,
  [[i], [], NULL, [i, i]] AS nested
FROM range(0, 2100) t(i)"
q=$(echo "$q" | tr '\n' ' ')
for codec in uncompressed snappy gzip zstd brotli lz4; do
  $sql "COPY ($q) TO '$out/duckdb_$codec.parquet' (FORMAT parquet, COMPRESSION $codec, ROW_GROUP_SIZE 1000)" >/dev/null
done
$sql "COPY ($q) TO '$out/duckdb_zstd_one_group.parquet' (FORMAT parquet, COMPRESSION zstd)" >/dev/null
$sql "COPY ($q) TO '$out/duckdb_v2_snappy.parquet' (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION V2, ROW_GROUP_SIZE 700)" >/dev/null
bash "$here/tests/tools/parquet_expected.sh" "$shared" "$out" "$out"
# Every file holds the same table: keep one expected text, and check they agree.
first=""
for t in "$out"/*.parquet.txt; do
  if [ -z "$first" ]; then first=$t; elif ! cmp -s "$first" "$t"; then echo "DuckDB reads $t differently" >&2; exit 1; fi
done
mv "$first" "$out/expected.txt"
rm -f "$out"/*.parquet.txt
