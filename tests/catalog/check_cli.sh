#!/bin/sh
# check_cli.sh NEURALAKE CATALOG_SO OTHER_SO -- the catalog commands on a
# catalog loaded with --catalog: tables, describe (with the deprecation
# warning on stderr), help, and exit codes for mistakes.
set -u
nl="$1"; so="$2"; other="$3"
fail() { echo "FAIL: $*"; exit 1; }
out=$("$nl" --catalog "$so" tables) || fail "tables exited $?"
echo "$out" | grep -q '^sample.numbers  *memory  *Three numbers and their names.$' || fail "tables: $out"
echo "$out" | grep -q '^sample.squares  *function  *Squares, computed in C.$' || fail "tables: $out"
echo "$out" | grep -q '^sample.old_numbers  *memory  *\[deprecated\] The numbers' || fail "tables: $out"
out=$("$nl" --catalog "$so" tables --format csv sample) || fail "tables --format csv exited $?"
echo "$out" | grep -q '^sample,squares,function,"Squares, computed in C.",false$' || fail "tables csv: $out"
"$nl" --catalog "$so" tables --format yaml 2>/dev/null; [ $? -eq 2 ] || fail "an unknown format should exit 2"
out=$("$nl" --catalog "$so" describe sample.squares) || fail "describe exited $?"
echo "$out" | grep -q '^sample.squares (function table)$' || fail "describe: $out"
echo "$out" | grep -q '^  square  *i64$' || fail "describe columns: $out"
err=$("$nl" --catalog "$so" describe sample.old_numbers 2>&1 >/dev/null)
echo "$err" | grep -q "warning: table 'sample.old_numbers' is deprecated: use sample.numbers" || fail "no deprecation warning: $err"
NEURALAKE_CATALOG="$so" "$nl" tables sample | grep -q '^sample.numbers' || fail "NEURALAKE_CATALOG"
"$nl" --catalog "$so" describe sample.nope 2>/dev/null; [ $? -eq 1 ] || fail "describe of a missing table should exit 1"
"$nl" --catalog "$so" describe 2>/dev/null; [ $? -eq 2 ] || fail "describe without a table should exit 2"
"$nl" --catalog "$other" tables 2>/dev/null; [ $? -eq 1 ] || fail "a non-catalog .so should exit 1"
"$nl" --catalog /nonexistent.so tables 2>/dev/null; [ $? -eq 1 ] || fail "a missing .so should exit 1"
"$nl" tables --help | grep -q 'usage: neuralake' || fail "tables --help"
"$nl" describe --help | grep -q 'usage: neuralake' || fail "describe --help"
"$nl" sample-data --help | grep -q 'usage: neuralake sample-data' || fail "sample-data --help"
echo "catalog commands ok"
