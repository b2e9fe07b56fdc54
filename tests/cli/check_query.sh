#!/bin/sh
# check_query.sh NEURALAKE CATALOG_SO SOURCE_DIR -- 'neuralake query': SQL from
# the argument, -f FILE and standard input; every output format; -o FILE
# (Parquet read back); EXPLAIN as plain text and EXPLAIN ANALYZE's rows and
# times; exit codes 0 / 1 (SQL errors, with line:col) / 2 (usage); --catalog
# with SQL joining catalog tables.
set -u
nl="$1"; so="$2"; src="$3"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
data="$src/tests/data/sql"

# --- where the SQL comes from
out=$("$nl" query --format csv "SELECT 1 AS a, 'x' AS b") || fail "argument exited $?"
[ "$out" = "$(printf 'a,b\n1,x')" ] || fail "argument: $out"
printf 'CREATE TABLE t AS SELECT 2 AS n;\n-- the last result is printed\nSELECT n * 10 AS m FROM t;\n' > "$tmp/q.sql"
out=$("$nl" query -f "$tmp/q.sql" --format csv) || fail "-f exited $?"
[ "$out" = "$(printf 'm\n20')" ] || fail "-f: $out"
out=$("$nl" query --file="$tmp/q.sql" --format=csv) || fail "--file= exited $?"
[ "$out" = "$(printf 'm\n20')" ] || fail "--file=: $out"
out=$("$nl" query --format csv < "$tmp/q.sql") || fail "stdin exited $?"
[ "$out" = "$(printf 'm\n20')" ] || fail "stdin: $out"
out=$(echo "SELECT 3 AS x" | "$nl" query --format csv -) || fail "'-' exited $?"
[ "$out" = "$(printf 'x\n3')" ] || fail "'-': $out"
out=$(echo "SELECT 4 AS y" | "$nl" query -f - --format csv) || fail "-f - exited $?"
[ "$out" = "$(printf 'y\n4')" ] || fail "-f -: $out"

# --- formats
q="SELECT * FROM (VALUES (1, 'a'), (2, NULL)) AS t(id, name) ORDER BY id"
out=$("$nl" query "$q") || fail "table exited $?"
echo "$out" | grep -q '^shape: (2, 2)$' || fail "table: $out"
echo "$out" | grep -q '│ 2   ┆ null │' || fail "table null: $out"
out=$("$nl" query --format json "$q") || fail "json exited $?"
[ "$out" = '[{"id":1,"name":"a"},{"id":2,"name":null}]' ] || fail "json: $out"
out=$("$nl" query --format ndjson "$q") || fail "ndjson exited $?"
[ "$out" = "$(printf '{"id":1,"name":"a"}\n{"id":2,"name":null}')" ] || fail "ndjson: $out"
out=$("$nl" query --format markdown "$q") || fail "markdown exited $?"
echo "$out" | grep -q '^| id  | name |$' || fail "markdown: $out"
out=$("$nl" query --format csv "$q") || fail "csv exited $?"
[ "$out" = "$(printf 'id,name\n1,a\n2,')" ] || fail "csv: $out"

# --- limits: rows and columns elided in the table
d="(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
hundred="SELECT a.i * 10 + b.i AS i FROM $d AS a(i), $d AS b(i) ORDER BY 1"
out=$("$nl" query --max-rows 4 "$hundred" 2>&1) || fail "--max-rows exited $?"
echo "$out" | grep -q '│ …' || fail "--max-rows 4 should elide rows: $out"
[ "$(echo "$out" | grep -c '^│ [0-9]')" -eq 4 ] || fail "--max-rows 4 shows 4 rows: $out"
out=$(POLARS_FMT_MAX_ROWS=3 "$nl" query "$hundred" 2>&1) || fail "POLARS_FMT_MAX_ROWS exited $?"
[ "$(echo "$out" | grep -c '^│ [0-9]')" -eq 3 ] || fail "POLARS_FMT_MAX_ROWS=3: $out"
out=$("$nl" query --max-rows all "$hundred LIMIT 30") || fail "--max-rows all exited $?"
[ "$(echo "$out" | grep -c '^│ [0-9]')" -eq 30 ] || fail "--max-rows all: $out"
out=$("$nl" query --max-cols 2 "SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS d") || fail "--max-cols exited $?"
echo "$out" | grep -q '…' || fail "--max-cols 2: $out"

# --- -o: text and Parquet, read back
"$nl" query --format csv -o "$tmp/out.csv" "$q" > "$tmp/stdout" || fail "-o csv exited $?"
[ ! -s "$tmp/stdout" ] || fail "-o should print nothing"
[ "$(cat "$tmp/out.csv")" = "$(printf 'id,name\n1,a\n2,')" ] || fail "-o csv: $(cat "$tmp/out.csv")"
"$nl" query --format parquet -o "$tmp/out.parquet" "SELECT id, name, id * 1.5 AS f FROM ($q)" || fail "-o parquet exited $?"
out=$("$nl" query --format csv "SELECT * FROM '$tmp/out.parquet' ORDER BY id") || fail "reading back exited $?"
[ "$out" = "$(printf 'id,name,f\n1,a,1.5\n2,,3.0')" ] || fail "parquet read back: $out"
"$nl" query -o "$tmp/plain.txt" "SELECT 42 AS answer" || fail "-o table exited $?"
grep -q '│ 42     │' "$tmp/plain.txt" || fail "-o table: $(cat "$tmp/plain.txt")"
# a failing query leaves no file behind
"$nl" query --format csv -o "$tmp/none.csv" "SELECT nope" 2>/dev/null; [ $? -eq 1 ] || fail "failing -o should exit 1"
[ ! -e "$tmp/none.csv" ] || fail "a failed query left a file"
ls "$tmp" | grep -v -e '^q.sql$' -e '^out.csv$' -e '^out.parquet$' -e '^plain.txt$' -e '^stdout$' | grep -q . &&
    fail "temporary files left: $(ls "$tmp")"

# --- files in place
out=$("$nl" query --format csv "SELECT count(*) AS n FROM '$data/cities.csv' c JOIN '$data/parts' p ON p.id = c.id") ||
    fail "files exited $?"
[ "$out" = "$(printf 'n\n5')" ] || fail "files: $out"

# --- EXPLAIN prints the plan as text, not in a box
out=$("$nl" query "EXPLAIN SELECT count(*) FROM '$data/cities.csv' WHERE population > 1") || fail "explain exited $?"
echo "$out" | grep -q 'SCAN' || fail "explain: $out"
echo "$out" | grep -q '┌' && fail "explain printed a box: $out"
# EXPLAIN ANALYZE runs the plan: rows per operator, wall time of the
# materialising steps, own CPU time of the streaming ones
out=$("$nl" query "EXPLAIN ANALYZE SELECT country, count(*) FROM '$data/cities.csv' WHERE population > 1000000 GROUP BY country") \
    || fail "explain analyze exited $?"
echo "$out" | grep -Eq '^  AGGREGATE BY country .*\(rows=2, [0-9]+\.[0-9]{2} ms\)$' || fail "analyze aggregate: $out"
echo "$out" | grep -Eq '^    FILTER .*\(rows=3, cpu [0-9]+\.[0-9]{2} ms\)$' || fail "analyze filter: $out"
echo "$out" | grep -Eq '^ *SCAN .*\(rows=6, cpu [0-9]+\.[0-9]{2} ms\)$' || fail "analyze scan: $out"

# --- errors: 1 with the place, 2 for usage
err=$("$nl" query "SELECT nope FROM (SELECT 1 AS a)" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] || fail "SQL error exited $rc"
echo "$err" | head -1 | grep -q "^line 1:8: column 'nope' not found" || fail "SQL error message: $err"
echo "$err" | grep -q '^         ^$' || fail "no caret: $err"
err=$("$nl" query "SELEC 1" 2>&1 >/dev/null); [ $? -eq 1 ] || fail "syntax error should exit 1"
echo "$err" | grep -q '^line 1:1' || fail "syntax error message: $err"
"$nl" query "SELECT * FROM '$tmp/missing.parquet'" 2>/dev/null; [ $? -eq 1 ] || fail "a missing file should exit 1"
"$nl" query -f "$tmp/missing.sql" 2>/dev/null; [ $? -eq 1 ] || fail "a missing -f file should exit 1"
# statements before the failing one ran; nothing is printed
out=$("$nl" query "SELECT 1; SELECT nope" 2>/dev/null); [ $? -eq 1 ] && [ -z "$out" ] || fail "partial output: $out"
"$nl" query --bogus "SELECT 1" 2>/dev/null; [ $? -eq 2 ] || fail "unknown option should exit 2"
"$nl" query --format yaml "SELECT 1" 2>/dev/null; [ $? -eq 2 ] || fail "unknown format should exit 2"
"$nl" query --format parquet "SELECT 1" 2>/dev/null; [ $? -eq 2 ] || fail "parquet without -o should exit 2"
"$nl" query --max-rows many "SELECT 1" 2>/dev/null; [ $? -eq 2 ] || fail "bad --max-rows should exit 2"
"$nl" query -f "$tmp/q.sql" "SELECT 1" 2>/dev/null; [ $? -eq 2 ] || fail "-f and SQL should exit 2"
"$nl" query "SELECT 1" "SELECT 2" 2>/dev/null; [ $? -eq 2 ] || fail "two SQL arguments should exit 2"
"$nl" query -o 2>/dev/null; [ $? -eq 2 ] || fail "-o without a file should exit 2"
echo "-- nothing" | "$nl" query 2>/dev/null; [ $? -eq 2 ] || fail "no SQL should exit 2"
"$nl" query --help | grep -q '^usage: neuralake' || fail "--help"
err=$("$nl" query --timer "SELECT 1" 2>&1 >/dev/null) || fail "--timer exited $?"
echo "$err" | grep -q '^Run Time (s): real [0-9.]*$' || fail "--timer: $err"

# --- the catalog: SQL joins its tables
out=$("$nl" --catalog "$so" query --format csv \
    "SELECT n.word, s.square FROM sample.numbers n JOIN sample.squares s ON s.n * 10 = n.id ORDER BY n.id") ||
    fail "catalog join exited $?"
[ "$out" = "$(printf 'word,square\nten,1\ntwenty,4\nthirty,9')" ] || fail "catalog join: $out"
out=$("$nl" --catalog "$so" query --format csv "SELECT count(*) AS n FROM numbers") || fail "bare name exited $?"
[ "$out" = "$(printf 'n\n3')" ] || fail "bare name: $out"
out=$(NEURALAKE_CATALOG="$so" "$nl" query --format csv "SELECT max(square) AS m FROM squares") || fail "NEURALAKE_CATALOG exited $?"
[ "$out" = "$(printf 'm\n16')" ] || fail "NEURALAKE_CATALOG: $out"
err=$("$nl" --catalog "$so" query "SELECT * FROM sample.nope" 2>&1 >/dev/null); [ $? -eq 1 ] || fail "missing catalog table should exit 1"
echo "$err" | grep -q "numbers" || fail "missing catalog table should list the tables: $err"
err=$("$nl" --catalog "$so" query --format csv "SELECT count(*) FROM sample.old_numbers" 2>&1 >/dev/null) ||
    fail "deprecated table exited $?"
echo "$err" | grep -q "deprecated" || fail "no deprecation warning: $err"
echo "query command ok"
