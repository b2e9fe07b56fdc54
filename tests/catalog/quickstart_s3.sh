#!/bin/sh
# quickstart_s3.sh NEURALAKE QUERY_DATA EXPECTED -- the quickstart against the
# local S3 test server: sample data written into s3://neuralake-bucket, then
# `query_data --s3` prints the same text as from local files. Skips (77) when
# no server answers.
set -u
nl="$1"; qd="$2"; expected="$3"
[ -n "${NL_S3_ENV_FILE:-}" ] && [ -f "$NL_S3_ENV_FILE" ] && . "$NL_S3_ENV_FILE"
[ -n "${AWS_ENDPOINT_URL:-}" ] || { echo "no S3 server: skipping"; exit 77; }
curl -s -o /dev/null -m 2 "$AWS_ENDPOINT_URL/" || { echo "no S3 server: skipping"; exit 77; }
unset POLARS_FMT_MAX_ROWS POLARS_FMT_MAX_COLS POLARS_FMT_STR_LEN POLARS_TABLE_WIDTH NEURALAKE_DATA || true
out=$(mktemp)
trap 'rm -f "$out"; "$nl" s3 rm s3://neuralake-bucket/parts.parquet >/dev/null 2>&1' EXIT
"$nl" sample-data s3://neuralake-bucket >/dev/null || { echo "sample-data into the bucket failed"; exit 1; }
"$qd" --s3 >"$out" || { echo "query_data --s3 failed"; cat "$out"; exit 1; }
cmp -s "$out" "$expected" || { diff "$expected" "$out"; exit 1; }
echo "quickstart from S3 matches"
