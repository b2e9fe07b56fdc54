// parquet_interop.mjs -- Parquet interoperability with the peer engines.
//
//   node parquet_interop.mjs PARQUET_INTEROP_BINARY WORK_DIR
//
// 1. Files this writer writes (every codec) read back equal in DuckDB (types
//    and every value, checked against the formulas below) and in Polars
//    (Polars reads each file and writes it again; DuckDB checks that copy).
// 2. Files DuckDB and Polars write (every codec, several row group sizes) read
//    back equal in our reader: it reads each file, our writer writes it again,
//    and DuckDB checks that copy against the formulas.
// Exits 77 (skipped) when the peers are not installed
// (../shared/tools/peers/install.sh puts them in ~/.cache/neuralake-peers).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, work] = process.argv.slice(2);
if (!bin || !work) { console.error('usage: node parquet_interop.mjs BINARY WORK_DIR'); process.exit(2); }
const peers = process.env.NEURALAKE_PEERS || path.join(os.homedir(), '.cache/neuralake-peers');
let duckdb, pl;
try {
  const require = createRequire(path.join(peers, 'package.json'));
  duckdb = require('@duckdb/node-api');
  pl = require('nodejs-polars');
} catch (e) {
  console.log(`peers not installed (${peers}): skipping`);
  process.exit(77);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const ROWS = 5000;
// Every column as a formula of the row number i (parquet_interop.c writes the
// same), the DuckDB type our files must read as, and the Polars dtype.
const COLUMNS = [
  ['i32', 'i::INTEGER', 'INTEGER', 'Int32'],
  ['b', 'i % 3 = 0', 'BOOLEAN', 'Bool'],
  ['i8', '((i*7 + 128) % 256 - 128)::TINYINT', 'TINYINT', 'Int8'],
  ['i16', '((i*31) % 65536 - 32768)::SMALLINT', 'SMALLINT', 'Int16'],
  ['i64', 'i*1000003 - 500', 'BIGINT', 'Int64'],
  ['u8', '(i % 256)::UTINYINT', 'UTINYINT', 'UInt8'],
  ['u16', '(i*13 % 65536)::USMALLINT', 'USMALLINT', 'UInt16'],
  ['u32', '(4000000000 + i)::UINTEGER', 'UINTEGER', 'UInt32'],
  ['u64', '18000000000000000000::UBIGINT + i::UBIGINT', 'UBIGINT', 'UInt64'],
  ['f32', '(i*0.5 - 3)::FLOAT', 'FLOAT', 'Float32'],
  ['f64', '(i*0.25 - 3)::DOUBLE', 'DOUBLE', 'Float64'],
  ['s', "CASE WHEN i % 11 = 0 THEN '' ELSE 'str' || (i % 50)::VARCHAR END", 'VARCHAR', 'String'],
  ['bin', "('b' || i::VARCHAR)::BLOB", 'BLOB', 'Binary'],
  ['d', '((i*12345 - 99999)::DECIMAL(18,0) * 0.01)::DECIMAL(12,2)', 'DECIMAL(12,2)', 'Decimal(12,2)'],
  ['d38', '((i::HUGEINT*100000000000000000000 - 7)::DECIMAL(26,0) * 0.001)::DECIMAL(30,3)',
    'DECIMAL(30,3)', 'Decimal(30,3)'],
  ['date', "DATE '1970-01-01' + (19000 + i)::INTEGER", 'DATE', 'Date'],
  ['ts', 'make_timestamp(1700000000000000 + i*1000001)', 'TIMESTAMP', 'Datetime(us)'],
  ['ts_utc', 'to_timestamp(1700000000 + i)', 'TIMESTAMP WITH TIME ZONE', 'Datetime(us,UTC)'],
  // DuckDB reads TIMESTAMP(MILLIS) as microseconds.
  ['ts_ms', 'make_timestamp(1700000000000000 + i*1001000)::TIMESTAMP_MS', 'TIMESTAMP', 'Datetime(ms)'],
  ['ts_ns', 'make_timestamp(1700000000000000 + i*7)::TIMESTAMP_NS', 'TIMESTAMP_NS', 'Datetime(ns)'],
  ['tm', "'00:00:00'::TIME + to_microseconds(i*1000003 % 86400000000)", 'TIME', 'Time'],
  ['dur', 'i*1000 - 5', 'BIGINT', 'Int64'],
  ['l', 'CASE i % 4 WHEN 0 THEN []::BIGINT[] WHEN 1 THEN [i] WHEN 2 THEN [i, i+1] ELSE [i, i+1, NULL] END',
    'BIGINT[]', 'List(Int64)'],
  ['st', "{'x': i::INTEGER, 'y': CASE WHEN i % 5 = 0 THEN NULL ELSE 'abc' END}",
    'STRUCT(x INTEGER, y VARCHAR)', 'Struct'],
  ['ls', "CASE i % 3 WHEN 0 THEN []::VARCHAR[] WHEN 1 THEN ['e' || (i % 17)::VARCHAR] " +
    "ELSE ['e' || (i % 17)::VARCHAR, CASE WHEN i % 2 = 1 THEN '' ELSE 'e' || (i % 17 + 1)::VARCHAR END] END",
    'VARCHAR[]', 'List(String)'],
  ['d9', '((i*1001 - 50000)::DECIMAL(18,0) * 0.001)::DECIMAL(9,3)', 'DECIMAL(9,3)', 'Decimal(9,3)'],
  // A duration is INT64 in Parquet; its unit travels in ARROW:schema, which Polars reads.
  ['dur_us', 'i*1000003 - 7', 'BIGINT', 'Duration*'], // (node-polars 0.26 names every duration unit 'ms', even its own us files)
  ['tm_ns', "('00:00:00'::TIME + to_microseconds(i*1000003 % 86400000000))::TIME_NS", 'TIME_NS', 'Time'],
  ['ll', 'CASE i % 3 WHEN 0 THEN []::INTEGER[][] WHEN 1 THEN [[i::INTEGER], [i::INTEGER, NULL]] ' +
    'ELSE [[]::INTEGER[], NULL] END', 'INTEGER[][]', 'List(List(Int32))'],
  ['lst_st', "CASE WHEN i % 4 = 0 THEN []::STRUCT(k BIGINT, v VARCHAR)[] ELSE " +
    "[{'k': i, 'v': 'v' || (i % 9)::VARCHAR}, {'k': NULL, 'v': NULL}]::STRUCT(k BIGINT, v VARCHAR)[] END",
    'STRUCT(k BIGINT, v VARCHAR)[]', 'List(Struct*'],
  // An all-null column (logical type UNKNOWN): DuckDB reads INTEGER, Polars Null.
  ['nul', 'NULL::INTEGER', 'INTEGER', 'Null'],
  ['ts_ms_utc', 'make_timestamp(1700000000000000 + i*1001000)::TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE', 'Datetime(ms,UTC)'],
  // DuckDB reads TIMESTAMP(NANOS, UTC) at microseconds: compared at that precision.
  ['ts_ns_utc', 'make_timestamp(1700000000000000 + i*7)::TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE', 'Datetime(ns,UTC)'],
];
const expected = (name, expr) => (name === 'i32' ? expr : `CASE WHEN i % 7 = 3 THEN NULL ELSE ${expr} END`);

const con = await (await duckdb.DuckDBInstance.create(':memory:')).connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowsJS();
let failures = 0;
const fail = (what) => { failures++; console.log(`FAIL ${what}`); };

// Every value of `file` against the formulas (columns the file lacks are skipped).
async function checkValues(file, label, only = null) {
  const have = new Set((await rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((r) => r[0]));
  const cols = COLUMNS.filter(([n]) => have.has(n) && (!only || only.includes(n)));
  const sums = cols.map(([n, e]) => `sum(CASE WHEN "${n}" IS DISTINCT FROM (${expected(n, e)}) THEN 1 ELSE 0 END)`);
  const r = (await rows(`SELECT count(*), ${sums.join(', ')} FROM (SELECT *, i32::BIGINT AS i FROM read_parquet('${file}'))`))[0];
  if (Number(r[0]) !== ROWS) fail(`${label}: ${r[0]} rows, want ${ROWS}`);
  cols.forEach(([n], k) => { if (Number(r[k + 1]) !== 0) fail(`${label}: column ${n}: ${r[k + 1]} values differ`); });
  return cols.length;
}

// Filters DuckDB prunes row groups with (by our statistics) give the counts
// the formulas give: wrong min/max would drop rows.
const FILTERED = ['i8', 'i16', 'i64', 'u8', 'u32', 'u64', 'f32', 'f64', 's', 'bin', 'd', 'd38', 'date',
  'ts', 'ts_utc', 'ts_ms', 'ts_ns', 'tm'];
async function checkPruning(file, label) {
  for (const n of FILTERED) {
    const e = expected(n, COLUMNS.find((c) => c[0] === n)[1]);
    for (const op of ['>=', '=', '<']) {
      const t = `(SELECT ${e} FROM (SELECT 2501::BIGINT AS i))`;
      const want = (await rows(`SELECT count(*) FROM (SELECT ${e} AS v FROM range(${ROWS}) t(i)) WHERE v ${op} ${t}`))[0][0];
      const got = (await rows(`SELECT count(*) FROM read_parquet('${file}') WHERE "${n}" ${op} ${t}`))[0][0];
      if (Number(got) !== Number(want)) fail(`${label}: ${n} ${op} x counts ${got}, want ${want}`);
    }
  }
}

async function checkDuckTypes(file, label) {
  const types = new Map((await rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((r) => [r[0], r[1]]));
  for (const [n, , t] of COLUMNS) if (types.get(n) !== t) fail(`${label}: column ${n} reads as ${types.get(n)}, want ${t}`);
}

function checkPolarsTypes(df, label) {
  for (const [n, , , t] of COLUMNS) {
    let got;
    try { got = String(df.getColumn(n).dtype); } catch (e) { continue; } /* e.g. Binary: no JS dtype */
    const norm = (x) => x.replace(/DataType\(|[()\s,]/g, '');
    const prefix = t.endsWith('*') ? norm(t.slice(0, -1)) : t === 'Struct' ? 'Struct' : null;
    if (norm(got) !== norm(t) && !(prefix && norm(got).startsWith(prefix)))
      fail(`${label}: Polars reads ${n} as ${got}, want ${t}`);
  }
}

const run = (...args) => execFileSync(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });

// ---- 1. our files in DuckDB and Polars ----
for (const codec of ['zstd', 'snappy', 'gzip', 'lz4_raw', 'none']) {
  const ours = path.join(work, `nl_${codec}.parquet`);
  run('write', ours, codec, String(ROWS));
  await checkDuckTypes(ours, `duckdb reading ${path.basename(ours)}`);
  const n = await checkValues(ours, `duckdb reading ${path.basename(ours)}`);
  await checkPruning(ours, `duckdb filtering ${path.basename(ours)}`);
  const df = pl.readParquet(ours);
  checkPolarsTypes(df, `polars reading ${path.basename(ours)}`);
  const copy = path.join(work, `polars_copy_of_nl_${codec}.parquet`);
  df.writeParquet(copy, { compression: 'zstd' });
  const m = await checkValues(copy, `polars reading ${path.basename(ours)}`);
  console.log(`ok: ${path.basename(ours)}: DuckDB ${n} columns, Polars ${m} columns equal`);
}

// ---- 2. peers' files through our reader ----
const gen = COLUMNS.map(([n, e]) => `${expected(n, e)} AS "${n}"`).join(', ');
const source = `(SELECT ${gen} FROM range(${ROWS}) t(i))`;
for (const codec of ['zstd', 'snappy', 'gzip', 'brotli', 'lz4_raw', 'uncompressed']) {
  for (const rg of [1000, 122880]) {
    const duck = path.join(work, `duck_${codec}_${rg}.parquet`);
    await con.run(`COPY ${source} TO '${duck}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rg})`);
    const again = path.join(work, `nl_copy_of_duck_${codec}_${rg}.parquet`);
    run('rewrite', duck, again);
    const n = await checkValues(again, `our reader on ${path.basename(duck)}`);
    console.log(`ok: ${path.basename(duck)}: ${n} columns equal through our reader`);
  }
}
const polarsSource = pl.readParquet(path.join(work, 'duck_zstd_1000.parquet'));
for (const codec of ['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'uncompressed']) {
  for (const rg of [700, 100000]) {
    const pol = path.join(work, `polars_${codec}_${rg}.parquet`);
    // DataFrame.writeParquet ignores rowGroupSize; the lazy sink honours it.
    polarsSource.lazy().sinkParquet(pol, { compression: codec, rowGroupSize: rg }).collectSync();
    const groups = (await rows(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${pol}')`))[0][0];
    if (Number(groups) !== Math.ceil(ROWS / rg)) fail(`${path.basename(pol)}: ${groups} row groups`);
    const again = path.join(work, `nl_copy_of_polars_${codec}_${rg}.parquet`);
    run('rewrite', pol, again);
    const n = await checkValues(again, `our reader on ${path.basename(pol)}`);
    console.log(`ok: ${path.basename(pol)}: ${n} columns equal through our reader`);
  }
}

if (failures) { console.log(`${failures} failures`); process.exit(1); }
console.log('all equal');
