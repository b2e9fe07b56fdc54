#!/usr/bin/env bash
# fuzz-parquet.sh -- builds the Parquet reader's libFuzzer target with clang and
# runs it. New inputs go to build/fuzz/corpus-parquet; the seeds in
# tests/fuzz/corpus/parquet are read but never written.
#
#   scripts/fuzz-parquet.sh [SECONDS]     (default 60; extra libFuzzer flags via FUZZ_FLAGS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
build=$root/build/fuzz
command -v clang >/dev/null || { echo "fuzz-parquet: needs clang (libFuzzer): apt-get install clang" >&2; exit 1; }
# Warnings only clang gives (the project builds with gcc) are reported but
# must not stop the fuzz build.
CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNL_FUZZ=ON \
  -DNL_SANITIZE=ON -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link -Wno-error=bitwise-instead-of-logical" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" >/dev/null
cmake --build "$build" --target fuzz_parquet -j2
mkdir -p "$build/corpus-parquet"
exec "$build/tests/fuzz_parquet" -max_total_time="$secs" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 ${FUZZ_FLAGS:-} "$build/corpus-parquet" "$root/tests/fuzz/corpus/parquet"
