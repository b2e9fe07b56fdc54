#!/bin/sh
# check_query_s3.sh NEURALAKE SOURCE_DIR -- files read in place from S3 in SQL:
# a Parquet file, a glob, a hive-partitioned prefix, gzipped CSV and NDJSON in
# the local test server's bucket, joined in one query; and a result written
# to the bucket with -o. Skips (77) when no server answers.
set -u
nl="$1"; src="$2"
[ -n "${NL_S3_ENV_FILE:-}" ] && [ -f "$NL_S3_ENV_FILE" ] && . "$NL_S3_ENV_FILE"
[ -n "${AWS_ENDPOINT_URL:-}" ] || { echo "no S3 server: skipping"; exit 77; }
curl -s -o /dev/null -m 2 "$AWS_ENDPOINT_URL/" || { echo "no S3 server: skipping"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
b=s3://neuralake-bucket/cli-sql-test
trap '"$nl" s3 rm -r "$b/" >/dev/null 2>&1' EXIT
data="$src/tests/data/sql"
for f in cities.csv.gz events.ndjson parts/region=eu/part-0.parquet parts/region=eu/part-1.parquet \
         parts/region=us/part-0.parquet; do
    "$nl" s3 cp -q "$data/$f" "$b/$f" || fail "uploading $f"
done
out=$("$nl" query --format csv "SELECT count(*) AS n FROM '$b/parts/region=eu/part-0.parquet'") || fail "one file exited $?"
[ "$out" = "$(printf 'n\n2')" ] || fail "one file: $out"
out=$("$nl" query --format csv "SELECT sum(id) AS s FROM read_parquet('$b/parts/*/*.parquet')") || fail "glob exited $?"
[ "$out" = "$(printf 's\n15')" ] || fail "glob: $out"
out=$("$nl" query --format csv "SELECT region, count(*) AS n FROM read_parquet('$b/parts/') GROUP BY region ORDER BY region") ||
    fail "partitioned prefix exited $?"
[ "$out" = "$(printf 'region,n\neu,3\nus,2')" ] || fail "partitioned prefix: $out"
out=$("$nl" query --format csv "SELECT c.name, e.kind FROM '$b/cities.csv.gz' c JOIN read_ndjson('$b/events.ndjson') e
    ON e.city_id = c.id JOIN read_parquet('$b/parts/') p ON p.id = e.id WHERE p.region = 'eu' ORDER BY e.id") ||
    fail "join exited $?"
[ "$out" = "$(printf 'name,kind\nParis,concert\nBerlin,expo\nBerlin,concert')" ] || fail "join: $out"
"$nl" query --format parquet -o "$b/out/result.parquet" "SELECT * FROM '$b/cities.csv.gz' WHERE country = 'DE'" ||
    fail "-o s3:// exited $?"
out=$("$nl" query --format csv "SELECT name FROM '$b/out/result.parquet' ORDER BY id") || fail "reading -o back exited $?"
[ "$out" = "$(printf 'name\nBerlin\nHamburg')" ] || fail "-o s3:// read back: $out"
"$nl" query "SELECT * FROM '$b/nothing/*.parquet'" 2>/dev/null; [ $? -eq 1 ] || fail "a missing S3 glob should exit 1"
echo "SQL over S3 ok"
