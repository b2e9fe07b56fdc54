#!/bin/bash
# s3_cli.sh -- 'neuralake s3 ls|cp|rm' against the local test server: a round
# trip of a file through the bucket, listings, removal, and the exit codes
# (0 done, 1 failed, 2 usage). Skips (77) when no server answers.
set -u
NL=${1:?usage: s3_cli.sh path/to/neuralake}
[ -n "${NL_S3_ENV_FILE:-}" ] && [ -f "$NL_S3_ENV_FILE" ] && . "$NL_S3_ENV_FILE"
[ -n "${AWS_ENDPOINT_URL:-}" ] || { echo "no S3 server: skipping"; exit 77; }
B=s3://${NEURALAKE_S3_BUCKET:-neuralake-bucket}/cli-test-$$
curl -s -o /dev/null -m 2 "$AWS_ENDPOINT_URL/" || { echo "no S3 server: skipping"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() { # name, expected, actual
    if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2] got [$3]"; fails=$((fails+1)); fi
}
head -c 12345678 /dev/urandom > "$T/data.bin"

"$NL" s3 cp -q "$T/data.bin" "$B/dir/data.bin"; check "cp up" 0 $?
"$NL" s3 cp -q "$T/data.bin" "$B/dir/"; check "cp up into a prefix" 0 $?
"$NL" s3 cp -q "$B/dir/data.bin" "$T/back.bin"; check "cp down" 0 $?
cmp -s "$T/data.bin" "$T/back.bin"; check "same bytes" 0 $?
mkdir "$T/d"; "$NL" s3 cp -q "$B/dir/data.bin" "$T/d"; check "cp down into a directory" 0 $?
cmp -s "$T/data.bin" "$T/d/data.bin"; check "same bytes again" 0 $?
out=$("$NL" s3 ls "$B/"); check "ls shows the prefix" "PRE $B/dir/" "$(echo "$out" | awk '{print $1, $2}')"
out=$("$NL" s3 ls -r "$B/" | awk '{print $3, $4}'); check "ls -r" "12345678 $B/dir/data.bin" "$out"
"$NL" s3 cp -q "$B/dir/missing.bin" "$T/x" 2>"$T/err"; check "cp of a missing object fails" 1 $?
grep -q "no object $B/dir/missing.bin" "$T/err"; check "and says which" 0 $?
"$NL" s3 ls s3://no-such-bucket-nl/ 2>"$T/err"; check "ls of a missing bucket fails" 1 $?
grep -q NoSuchBucket "$T/err"; check "and says so" 0 $?
"$NL" s3 cp -q only-one-arg; check "usage error" 2 $?
"$NL" s3 frobnicate 2>/dev/null; check "unknown subcommand" 2 $?
"$NL" s3 --help >/dev/null; check "--help" 0 $?
"$NL" s3 rm -r "$B/" >/dev/null; check "rm -r" 0 $?
check "empty after rm" "" "$("$NL" s3 ls -r "$B/")"
"$NL" s3 rm "$B/dir/data.bin" 2>/dev/null; check "rm of a missing object fails" 1 $?
[ $fails = 0 ]
