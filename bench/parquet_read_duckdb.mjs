// parquet_read_duckdb.mjs -- DuckDB's side of bench/parquet_read_bench.sh: the
// same two measurements as parquet_read_bench.c, timed inside one DuckDB
// process (start-up excluded), best of RUNS:
//   all_columns  max() of every column (DuckDB decodes each one)
//   two_columns  max() of two columns
// Prints "name wall_seconds cpu_seconds" lines.  node parquet_read_duckdb.mjs FILE RUNS COL1,COL2
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const peers = process.env.NEURALAKE_PEERS || path.join(os.homedir(), '.cache/neuralake-peers');
const require = createRequire(path.join(peers, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const [file, runsArg, colsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const con = await (await DuckDBInstance.create(':memory:')).connect();
const src = `read_parquet('${file}')`;
const desc = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`);
const names = desc.getRowsJS().map((r) => r[0]);
// FILTER keeps DuckDB from answering max() from the footer's statistics.
const q = (cols) => `SELECT ${cols.map((c) => `max("${c}") FILTER (WHERE true)`).join(', ')} FROM ${src}`;
const two = (colsArg || 'l_extendedprice,l_shipdate').split(',').filter((c) => names.includes(c));
// Best wall time and best CPU time (all threads) of RUNS.
async function best(sql) {
  let b = Infinity, bc = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await con.run(sql);
    b = Math.min(b, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    bc = Math.min(bc, (c.user + c.system) / 1e6);
  }
  return `${b.toFixed(4)} ${bc.toFixed(4)}`;
}
// NL_BENCH_ONLY=two_columns skips the long full decode (for repeated short runs).
if (process.env.NL_BENCH_ONLY !== 'two_columns') console.log(`all_columns ${await best(q(names))}`);
console.log(`two_columns ${await best(q(two.length === 2 ? two : names.slice(0, 2)))}`);
