#!/bin/sh
# check_shell.sh NEURALAKE CATALOG_SO SOURCE_DIR -- 'neuralake shell' driven
# through standard input: no prompts, multi-line statements, a view kept
# across statements, dot commands (.help .tables .schema .mode .timer .read
# .maxrows .quit), errors that do not end the shell, and the exit status.
set -u
nl="$1"; so="$2"; src="$3"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
data="$src/tests/data/sql"

# statements over several lines, a view used by later statements, modes
cat > "$tmp/in.sql" <<EOF
.mode csv
CREATE VIEW big AS
  SELECT name, population
  FROM '$data/cities.csv'
  WHERE population > 1000000;
SELECT name
FROM big
ORDER BY population DESC;
-- a comment line between statements
SELECT count(*) AS n FROM big; SELECT 'x' AS y;
.mode json
SELECT max(population) AS top FROM big;
EOF
out=$("$nl" shell < "$tmp/in.sql" 2>"$tmp/err") || fail "shell exited $?: $(cat "$tmp/err")"
expected='name
Berlin
Paris
Hamburg
n
3
y
x
[{"top":3677472}]'
[ "$out" = "$expected" ] || fail "multi-line statements and a view: $out"
[ ! -s "$tmp/err" ] || fail "unexpected stderr: $(cat "$tmp/err")"

# errors are reported and the shell goes on; the exit status says one failed
out=$(printf "SELECT nope;\n.mode csv\nSELECT 1 AS still_here;\n" | "$nl" shell 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] || fail "a failed statement in a script should exit 1, not $rc"
echo "$out" | grep -q '^still_here$' || fail "the shell stopped after an error: $out"
grep -q "^line 1:8: column 'nope' not found" "$tmp/err" || fail "error message: $(cat "$tmp/err")"
out=$(printf ".bogus\n.mode yaml\n.mode csv\nSELECT 2 AS two;\n" | "$nl" shell 2>"$tmp/err"); [ $? -eq 1 ] || fail ".bogus should count as an error"
echo "$out" | grep -q '^two$' || fail "after a bad dot command: $out"
grep -q "unknown command '.bogus'" "$tmp/err" || fail ".bogus message: $(cat "$tmp/err")"
grep -q "unknown mode 'yaml'" "$tmp/err" || fail ".mode yaml message: $(cat "$tmp/err")"

# dot commands
out=$(printf ".help\n" | "$nl" shell) || fail ".help exited $?"
echo "$out" | grep -q '^.tables' || fail ".help: $out"
out=$(printf "CREATE TABLE t (a INTEGER, b VARCHAR);\n.tables\n.mode csv\n.schema t\n.mode\n" | "$nl" --catalog "$so" shell) ||
    fail ".tables exited $?"
echo "$out" | grep -q '^t$' || fail ".tables lacks the session table: $out"
echo "$out" | grep -q '^sample.squares$' || fail ".tables lacks the catalog's tables: $out"
echo "$out" | grep -q '^a,INTEGER,true$' || fail ".schema t: $out"
echo "$out" | tail -1 | grep -q '^csv$' || fail ".mode without argument: $out"
out=$(printf ".describe sample.squares\n" | "$nl" --catalog "$so" shell) || fail ".describe exited $?"
echo "$out" | grep -q 'Squares, computed in C.' || fail ".describe of a catalog table: $out"
out=$(printf ".tables squ\n" | "$nl" --catalog "$so" shell) || fail ".tables PATTERN exited $?"
[ "$out" = "sample.squares" ] || fail ".tables squ: $out"
out=$(printf ".schema '$data/cities.csv'\n" | "$nl" shell) || fail ".schema of a file exited $?"
echo "$out" | grep -q 'population' || fail ".schema of a file: $out"
err=$(printf ".timer on\nSELECT 1;\n.timer off\nSELECT 2;\n" | "$nl" shell 2>&1 >/dev/null) || fail ".timer exited $?"
[ "$(echo "$err" | grep -c '^Run Time (s): real')" -eq 1 ] || fail ".timer: $err"
printf "CREATE TABLE r AS SELECT 7 AS seven;\n" > "$tmp/read.sql"
out=$(printf ".read $tmp/read.sql\n.mode csv\nSELECT * FROM r;\n" | "$nl" shell) || fail ".read exited $?"
echo "$out" | grep -q '^7$' || fail ".read: $out"
out=$(printf ".mode csv\nSELECT 1 AS a;\n.quit\nSELECT 2 AS b;\n" | "$nl" shell) || fail ".quit exited $?"
[ "$out" = "$(printf 'a\n1')" ] || fail ".quit should stop reading: $out"
d="(VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9))"
out=$(printf ".maxrows 3\nSELECT a.i * 10 + b.i AS i FROM $d AS a(i), $d AS b(i);\n" | "$nl" shell) || fail ".maxrows exited $?"
[ "$(echo "$out" | grep -c '^│ [0-9]')" -eq 3 ] || fail ".maxrows 3: $out"

# the catalog in SQL, and a last statement without ';'
out=$(printf ".mode csv\nSELECT n.word, s.square\nFROM sample.numbers n JOIN squares s ON s.n * 10 = n.id\nORDER BY n.id" |
    "$nl" --catalog "$so" shell) || fail "catalog join exited $?"
[ "$out" = "$(printf 'word,square\nten,1\ntwenty,4\nthirty,9')" ] || fail "catalog join: $out"

# EXPLAIN prints its plan as text
out=$(printf "EXPLAIN SELECT * FROM '$data/cities.csv';\n" | "$nl" shell) || fail "explain exited $?"
echo "$out" | grep -q 'SCAN' || fail "explain: $out"

# usage
"$nl" shell --bogus < /dev/null 2>/dev/null; [ $? -eq 2 ] || fail "shell --bogus should exit 2"
"$nl" shell --help | grep -q '^usage: neuralake' || fail "shell --help"
out=$(printf "SELECT 1 AS one;\n" | "$nl" shell --mode csv) || fail "--mode exited $?"
[ "$out" = "$(printf 'one\n1')" ] || fail "--mode csv: $out"
# on a terminal (script(1) gives it one): Tab completes tables and columns,
# and the statements land in the history file
if command -v script >/dev/null 2>&1; then
    out=$(printf 'SELECT * FROM sample.squ\t WHERE squ\t > 5;\nSELECT 1\n + 1 AS two;\n.quit\n' |
        NEURALAKE_HISTORY="$tmp/history" timeout 20 script -qec "'$nl' --catalog '$so' shell" /dev/null) ||
        fail "the shell on a terminal exited $?: $out"
    echo "$out" | grep -q '│ 4   ┆ 16     │' || fail "completion on a terminal: $out"
    grep -q 'SELECT.040\*.040FROM.040sample.squares.040.040WHERE.040square.040>.0405;' "$tmp/history" ||
        grep -q 'SELECT \* FROM sample.squares  WHERE square > 5;' "$tmp/history" ||
        fail "history: $(cat "$tmp/history")"
    grep -q 'two;' "$tmp/history" || fail "a multi-line statement in the history: $(cat "$tmp/history")"
else
    echo "no script(1): the terminal part is skipped"
fi
echo "shell ok"
