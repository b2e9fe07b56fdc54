// parquet_peer_files_polars.mjs -- regenerates tests/data/parquet-peers/polars:
// one table of every type Polars writes (integers of each width and sign,
// floats, decimals, strings, categoricals, binary, booleans, dates, datetimes
// in ms/us/ns with and without a time zone, durations, times, lists, lists of
// lists, structs, lists of structs, an all-null column, nulls everywhere)
// written by Polars with each codec it offers and several row group sizes.
// The expected text (expected.txt, the same for every file) is what DuckDB
// reads from the files (tests/tools/parquet_expected.sh); before keeping it,
// this script checks that Polars reads every file back equal to the table it
// wrote, and that all files read the same in DuckDB.
//
//   node tests/tools/parquet_peer_files_polars.mjs [SHARED_DIR]
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = process.argv[2] || process.env.NL_SHARED_DIR || path.join(here, '../shared');
const out = path.join(here, 'tests/data/parquet-peers/polars');
const peers = process.env.NEURALAKE_PEERS || path.join(os.homedir(), '.cache/neuralake-peers');
const require = createRequire(path.join(peers, 'package.json'));
const pl = require('nodejs-polars');
const duckdb = require('@duckdb/node-api');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const ROWS = 200;

// Binary columns and lists of lists are awkward to build from JavaScript: DuckDB writes them to a
// scratch file Polars reads (the files below are still written by Polars).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-polars-'));
const con = await (await duckdb.DuckDBInstance.create(':memory:')).connect();
await con.run(`COPY (SELECT CASE WHEN i % 9 = 4 THEN NULL WHEN i % 9 = 5 THEN ''::BLOB
  ELSE ('\\x' || lpad(to_hex(i % 256), 2, '0') || '\\x00z')::BLOB END AS bin,
  CASE WHEN i % 6 = 0 THEN NULL ELSE [[i, i + 1], [], NULL, [NULL, i * 3]][1:(i % 5)] END AS lst_lst
  FROM range(${ROWS}) t(i) ORDER BY i) TO '${tmp}/bin.parquet' (FORMAT parquet)`);
const bin = pl.readParquet(`${tmp}/bin.parquet`);

const i = pl.col('i');
// 64-bit constants beyond 2^53 (JavaScript numbers and BigInt literals reach Polars as doubles)
const big = (text) => pl.lit(text).cast(pl.Int64);
const nullIf = (k, e) => pl.when(i.modulo(k).eq(k - 1)).then(pl.lit(null)).otherwise(e);
let df = pl.DataFrame({ i: Array.from({ length: ROWS }, (_, k) => k) }).select(i.cast(pl.Int64));
df = df.select(
  nullIf(10, i.modulo(256).sub(128)).cast(pl.Int8).alias('i8'),
  i.mul(109).modulo(65536).sub(32768).cast(pl.Int16).alias('i16'),
  nullIf(13, i.mul(7158271).sub(2147483648).cast(pl.Int32)).alias('i32'),
  i.mul(big('30744573456182583')).sub(big('9223372036854775807')).alias('i64'),
  i.modulo(256).cast(pl.UInt8).alias('u8'),
  i.mul(109).modulo(65536).cast(pl.UInt16).alias('u16'),
  i.mul(7158278).cast(pl.UInt32).alias('u32'),
  nullIf(11, i.mul(big('30744573456182583')).cast(pl.UInt64).mul(pl.lit(2).cast(pl.UInt64))).alias('u64'),
  i.cast(pl.Float32).div(3).sub(50).cast(pl.Float32).alias('f32'),
  nullIf(7, i.cast(pl.Float64).div(7).sub(40)).alias('f64'),
  i.mul(12345).sub(3000000).cast(pl.Decimal(10, 2)).alias('dec10'),
  nullIf(5, i.mul(-987654321).cast(pl.Decimal(30, 4))).alias('dec30'),
  pl.when(i.modulo(4).eq(0)).then(pl.lit(null)).when(i.modulo(4).eq(1)).then(pl.lit(''))
    .otherwise(pl.lit('s').add(i.cast(pl.Utf8))).alias('s'),
  pl.when(i.modulo(3).eq(0)).then(pl.lit('red')).when(i.modulo(3).eq(1)).then(pl.lit('grün'))
    .otherwise(pl.lit(null)).cast(pl.Categorical).alias('cat'),
  nullIf(6, i.modulo(2).eq(0)).alias('b'),
  nullIf(8, i.mul(97).sub(25000)).cast(pl.Date).alias('date'),
  i.mul(86400123).add(1600000000000).cast(pl.Datetime('ms')).alias('dt_ms'),
  nullIf(9, i.mul(3600000001).sub(1000000000)).cast(pl.Datetime('us')).alias('dt_us'),
  i.mul(big('1234567890123')).add(big('1700000000000000000')).cast(pl.Datetime('ns')).alias('dt_ns'),
  i.mul(86400123).add(1600000000000).cast(pl.Datetime('ms', 'UTC')).alias('dt_ms_utc'),
  nullIf(9, i.mul(3600000001)).cast(pl.Datetime('us', 'Asia/Tokyo')).alias('dt_us_tokyo'),
  i.mul(big('1234567890000')).add(big('1700000000000000000')).cast(pl.Datetime('ns', 'UTC')).alias('dt_ns_utc'),
  i.mul(1001).sub(300000).cast(pl.Duration('ms')).alias('dur_ms'),
  nullIf(4, i.mul(1000001)).cast(pl.Duration('us')).alias('dur_us'),
  i.mul(999999937).cast(pl.Duration('ns')).alias('dur_ns'),
  nullIf(12, i.mul(143999000000).modulo(86400000000000)).cast(pl.Time).alias('tm'),
  // null lists, empty lists, null elements
  pl.when(i.modulo(5).eq(0)).then(pl.lit(null))
    .when(i.modulo(5).eq(1)).then(pl.concatList([i]).list.head(0))
    .otherwise(pl.concatList([i, nullIf(3, i.add(1)), i.mul(2)]).cast(pl.List(pl.Int64))).alias('lst3'),
  pl.concatList([pl.lit('a').add(i.cast(pl.Utf8)), pl.lit('')]).alias('lst_s'),
  pl.struct([i.cast(pl.Int32).alias('x'), nullIf(3, pl.lit('y').add(i.cast(pl.Utf8))).alias('y')]).alias('st'),
  nullIf(7, pl.struct([i.cast(pl.Float64).div(4).alias('f'), pl.struct([i.modulo(2).eq(0).alias('z')]).alias('inner')]))
    .alias('st_nested'),
  pl.concatList([pl.struct([i.alias('k'), pl.lit('v').add(i.cast(pl.Utf8)).alias('v')])]).alias('lst_st'),
  pl.lit(null).alias('nul'),
  // all null but typed: an empty dictionary page (20 bytes of gzip for nothing)
  pl.lit(null).cast(pl.Int32).alias('nul_i32'),
);
df = df.hstack(bin);

// codec and row group size of each file
const FILES = [
  ['uncompressed', ROWS], ['snappy', 50], ['gzip', 70], ['brotli', 120],
  ['lz4', 32], ['zstd', 80], ['zstd', ROWS],
];
for (const [codec, rg] of FILES) {
  const name = `polars_${codec}_rg${rg}.parquet`;
  const file = path.join(out, name);
  // (DataFrame.writeParquet ignores rowGroupSize; the lazy sink honours it)
  // (small pages for the small row groups: several pages per column chunk)
  const opts = { compression: codec, rowGroupSize: rg };
  if (rg < 40) opts.dataPagesizeLimit = 1024;
  df.lazy().sinkParquet(file, opts).collectSync();
  const back = pl.readParquet(file);
  if (!back.frameEqual(df, true)) throw new Error(`Polars reads ${name} differently from what it wrote`);
}
fs.rmSync(tmp, { recursive: true, force: true });

execFileSync('bash', [path.join(here, 'tests/tools/parquet_expected.sh'), shared, out, out], { stdio: 'inherit' });
let first = null;
for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.parquet.txt')).sort()) {
  const text = fs.readFileSync(path.join(out, f), 'utf8');
  if (first === null) first = text;
  else if (text !== first) throw new Error(`DuckDB reads ${f} differently`);
  fs.rmSync(path.join(out, f));
}
fs.writeFileSync(path.join(out, 'expected.txt'), first);
for (const f of fs.readdirSync(out)) if (f.endsWith('.duckdb-error')) throw new Error(`DuckDB cannot read ${f}`);
console.log(`wrote ${FILES.length} files to ${out}`);
