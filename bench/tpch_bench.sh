#!/bin/bash
# tpch_bench.sh -- the 22 TPC-H queries in neuralake, DuckDB and Polars on the
# same Parquet files in the same run, side by side.
#
#   bench/tpch_bench.sh [DATA_DIR] [BUILD_DIR]      (env RUNS=3, ONLY=q01,q06)
#
# DATA_DIR defaults to /work/data/sf1 (TPC-H scale factor 1; make it with
# `neuralake generate tpch --scale 1 --out DIR`). Runs bench/tpch_bench (one
# warm-up, then RUNS timed runs per query, median), then
# ../shared/tools/peers/tpch.mjs with --engine duckdb and --engine polars, and
# prints per-query medians in ms, the ratio to DuckDB (ours / DuckDB: lower is
# better), whether the row counts agree with DuckDB, the totals and geometric
# means, and each engine's peak resident memory over the whole run (measured
# alike for all three; the peers' includes node's own). The machine is shared
# and noisy: compare the ratios, not the times.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${1:-${NL_TPCH_DIR:-/work/data/sf1}}
BUILD=${2:-$ROOT/build/release}
SHARED=${NL_SHARED_DIR:-$ROOT/../shared}
[ -d "$SHARED" ] || SHARED=$ROOT/../../shared
PEERS=$SHARED/tools/peers
RUNS=${RUNS:-3}
ONLY=${ONLY:-}
if [ ! -f "$DATA/lineitem.parquet" ]; then
    echo "no TPC-H data in $DATA; make scale factor 1 with:" >&2
    echo "  $BUILD/neuralake generate tpch --scale 1 --out $DATA" >&2
    exit 2
fi
if [ ! -x "$BUILD/bench/tpch_bench" ]; then
    echo "build first: cmake --preset release && cmake --build --preset release" >&2
    exit 2
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ONLYARG=()
[ -n "$ONLY" ] && ONLYARG=(--only "$ONLY")
echo "TPC-H $DATA, $RUNS runs after 1 warm-up, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
# peak_rss NAME CMD...: runs CMD and records the peak resident set of the
# process tree's largest process (getrusage of the children) in $OUT/NAME.rss,
# measured the same way for every engine (the peers' figure includes node).
peak_rss() {
    local name=$1; shift
    python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
sys.exit(rc)' "$OUT/$name.rss" "$@"
}
peak_rss ours "$BUILD/bench/tpch_bench" --data "$DATA" --queries "$SHARED/tpch/queries" --runs "$RUNS" "${ONLYARG[@]}" \
    | tee "$OUT/ours" || true
peak_rss duckdb node "$PEERS/tpch.mjs" --data "$DATA" --engine duckdb --runs "$RUNS" "${ONLYARG[@]}" | tee "$OUT/duckdb" || true
peak_rss polars node "$PEERS/tpch.mjs" --data "$DATA" --engine polars --runs "$RUNS" "${ONLYARG[@]}" | tee "$OUT/polars" || true
python3 - "$OUT" <<'PY'
import math, os, sys
d = sys.argv[1]
def load(name):
    r = {}
    for line in open(os.path.join(d, name)):
        f = line.split()
        if len(f) >= 3 and f[0].startswith("q") and f[0][1:].isdigit():
            if f[1] == "FAILED":
                r[f[0]] = None
            else:
                rows = f[f.index("rows") - 1] if "rows" in f else "?"
                r[f[0]] = (float(f[1]), rows, float(f[3]) if f[4:5] == ["cpu-ms"] else None)
    return r
ours, duck, pol = load("ours"), load("duckdb"), load("polars")
def cell(x): return f"{x[0]:9.1f}" if x else "   failed"
print()
print("query  neuralake   cpu-ms     duckdb     polars  ours/duckdb  rows")
lo, ld, lp = [], [], []
for q in sorted(set(ours) | set(duck)):
    o, dk, p = ours.get(q), duck.get(q), pol.get(q)
    ratio = f"{o[0] / dk[0]:10.2f}x" if o and dk else "          -"
    rows = "-" if not (o and dk) else ("same" if o[1] == dk[1] else f"DIFFER ({o[1]} vs {dk[1]})")
    cpu = f"{o[2]:8.1f}" if o and o[2] is not None else "       -"
    print(f"{q}    {cell(o)} {cpu}  {cell(dk)}  {cell(p)}  {ratio}  {rows}")
    if o and dk:
        lo.append(o[0]); ld.append(dk[0])
        if p: lp.append((o[0], p[0]))
geo = lambda xs: math.exp(sum(math.log(max(x, 0.01)) for x in xs) / len(xs)) if xs else float("nan")
if lo:
    print(f"total  {sum(lo):9.1f}           {sum(ld):9.1f}             {sum(lo) / sum(ld):10.2f}x  ({len(lo)} queries both ran)")
    print(f"geomean{geo(lo):9.1f}           {geo(ld):9.1f}             {geo(lo) / geo(ld):10.2f}x")
if lp:
    print(f"polars ({len(lp)} queries it runs): geomean ours {geo([a for a, _ in lp]):.1f} ms, "
          f"polars {geo([b for _, b in lp]):.1f} ms, ratio {geo([a for a, _ in lp]) / geo([b for _, b in lp]):.2f}x")
for line in open(os.path.join(d, "ours")):
    if line.startswith("total"): print("neuralake:", line.strip())
def rss(name):
    try: return open(os.path.join(d, name + ".rss")).read().strip() + " MB"
    except OSError: return "?"
print(f"peak memory (max RSS of the whole run): neuralake {rss('ours')}, duckdb {rss('duckdb')}, polars {rss('polars')}")
PY
