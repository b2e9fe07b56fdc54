// gen_print_cases.mjs -- writes the table printer's reference cases from Polars itself.
//
// Each case is a small table described in a plain JSON form (column names, a type
// spelling, physical values) plus the environment it prints under. The script
// builds the same DataFrame in nodejs-polars, prints it, and writes
//   tests/data/print/<case>.json   the input, for tests/unit/test_print.c to rebuild
//   tests/data/print/<case>.txt    what Polars printed (the expected output)
//
//   node tests/tools/gen_print_cases.mjs            (peers from ~/.cache/neuralake-peers)
//
// Type spellings: i8..i64, u8..u64, f32, f64, bool, str, date (days), time (ns),
// datetime[us] / datetime[ms,UTC] (integers in the unit), duration[ms],
// decimal[p,s] (values are unscaled integers as strings), list[T], struct[a:T,b:T].
// Integers beyond 2^53 are written as strings. Floats may be "NaN", "inf", "-inf".
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const peers = process.env.NEURALAKE_PEERS || path.join(os.homedir(), '.cache/neuralake-peers');
const require = createRequire(path.join(peers, 'package.json'));
const pl = require('nodejs-polars');
const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', 'data', 'print');
fs.mkdirSync(outDir, { recursive: true });

// ---- type spellings -> Polars dtypes -------------------------------------

function splitTop(s) { // "a:i64,b:list[i64]" -> ["a:i64", "b:list[i64]"]
  const out = []; let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function dtype(t) {
  const simple = { i8: pl.Int8, i16: pl.Int16, i32: pl.Int32, i64: pl.Int64, u8: pl.UInt8,
    u16: pl.UInt16, u32: pl.UInt32, u64: pl.UInt64, f32: pl.Float32, f64: pl.Float64,
    bool: pl.Bool, str: pl.String, date: pl.Date, time: pl.Time };
  if (simple[t]) return simple[t];
  let m;
  if ((m = /^datetime\[(\w+)(?:,(.+))?\]$/.exec(t))) return pl.Datetime(m[1], m[2]);
  if ((m = /^duration\[(\w+)\]$/.exec(t))) return pl.Duration(m[1]);
  if ((m = /^decimal\[(\d+),(\d+)\]$/.exec(t))) return pl.Decimal(+m[1], +m[2]);
  if ((m = /^list\[(.+)\]$/.exec(t))) return pl.List(dtype(m[1]));
  throw new Error('unknown type ' + t);
}

function physical(t) { // the type the values are built in before a cast
  if (t === 'date') return pl.Int32;
  if (t === 'time' || t.startsWith('datetime') || t.startsWith('duration')) return pl.Int64;
  return null;
}

function decText(unscaled, scale) {
  let v = BigInt(unscaled); const neg = v < 0n; if (neg) v = -v;
  let s = v.toString().padStart(scale + 1, '0');
  if (scale > 0) s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  return (neg ? '-' : '') + s;
}

function jsValue(t, v) {
  if (v === null) return null;
  if (t === 'f32' || t === 'f64') {
    if (v === 'NaN') return NaN; if (v === 'inf') return Infinity; if (v === '-inf') return -Infinity;
    return v;
  }
  return v;
}

function series(name, t, values) {
  let m;
  if ((m = /^struct\[(.+)\]$/.exec(t))) {
    const fields = splitTop(m[1]).map((f) => { const i = f.indexOf(':'); return [f.slice(0, i), f.slice(i + 1)]; });
    const cols = fields.map(([fname, ftype], k) => series(fname, ftype, values.map((row) => (row === null ? null : row[k]))));
    return pl.DataFrame(cols).select(pl.struct(fields.map(([fname]) => pl.col(fname))).alias(name)).getColumn(name);
  }
  if (t === 'binary') { // text -> its UTF-8 bytes, through hex
    const str = pl.Series(name, values, pl.String);
    return pl.DataFrame([str]).select(pl.col(name).str.encode('hex').str.decode('hex')).getColumn(name);
  }
  if ((m = /^decimal\[(\d+),(\d+)\]$/.exec(t))) {
    const scale = +m[2];
    return pl.Series(name, values.map((v) => (v === null ? null : decText(v, scale))), pl.String).cast(dtype(t));
  }
  if ((m = /^list\[(.+)\]$/.exec(t))) {
    // Lists with nulls inside do not go through the Series constructor: read
    // them as NDJSON, then cast to the exact type.
    const prep = (tt, v) => {
      let mm;
      if (v === null) return null;
      if ((mm = /^decimal\[(\d+),(\d+)\]$/.exec(tt))) return decText(v, +mm[2]);
      if ((mm = /^list\[(.+)\]$/.exec(tt))) return v.map((x) => prep(mm[1], x));
      return v;
    };
    const ndjson = values.map((v) => JSON.stringify({ [name]: prep(t, v) })).join('\n') + '\n';
    return pl.readJSON(Buffer.from(ndjson), { format: 'lines' }).getColumn(name).cast(dtype(t));
  }
  const big = values.some((v) => typeof v === 'string' && /^-?\d+$/.test(v));
  const phys = physical(t);
  if (big) {
    const ints = pl.Series(name, values.map((v) => (v === null ? null : String(v))), pl.String)
      .cast(t.startsWith('u') ? pl.UInt64 : pl.Int64);
    return ints.cast(dtype(t));
  }
  if (phys) return pl.Series(name, values, phys).cast(dtype(t));
  return pl.Series(name, values.map((v) => jsValue(t, v)), dtype(t));
}

// ---- the cases -----------------------------------------------------------

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const cases = [];
const add = (name, columns, env = {}) => cases.push({ name, env, columns });

add('seed', [
  { name: 'p_partkey', type: 'i64', values: [1, 2, 3, 4, 5] },
  { name: 'p_name', type: 'str', values: range(5, (i) => `Part#${i + 1}`) },
  { name: 'p_brand', type: 'str', values: ['Brand#1', 'Brand#2', 'Brand#3', 'Brand#1', 'Brand#2'] },
  { name: 'p_retailprice', type: 'f64', values: [10, 20, 30, 40, 50] },
]);
add('long', [
  { name: 'id', type: 'i64', values: range(100, (i) => i) },
  { name: 'name', type: 'str', values: range(100, (i) => `row ${i}`) },
  { name: 'x', type: 'f64', values: range(100, (i) => i * 1.5) },
]);
add('long_odd_rows', [{ name: 'id', type: 'i32', values: range(25, (i) => i * 7) }], { POLARS_FMT_MAX_ROWS: '7' });
add('all_rows', [{ name: 'id', type: 'u16', values: range(15, (i) => i) }], { POLARS_FMT_MAX_ROWS: '-1' });
add('wide', range(20, (c) => ({ name: `col_${c}`, type: 'i64', values: range(3, (r) => r * 100 + c) })));
add('wide_and_long', range(12, (c) => ({ name: `c${c}`, type: c % 2 ? 'str' : 'i32', values: range(30, (r) => (c % 2 ? `s${r}` : r * c)) })));
add('wide_max_cols_5', range(9, (c) => ({ name: `column_${c}`, type: 'f64', values: range(2, (r) => r + c / 4) })), { POLARS_FMT_MAX_COLS: '5' });
add('nulls_every_type', [
  { name: 'b', type: 'bool', values: [true, null, false] },
  { name: 'i8', type: 'i8', values: [-128, null, 127] },
  { name: 'i16', type: 'i16', values: [null, -32768, 32767] },
  { name: 'i32', type: 'i32', values: [1, 2, null] },
  { name: 'i64', type: 'i64', values: [null, null, 1] },
  { name: 'u8', type: 'u8', values: [255, null, 0] },
  { name: 'u16', type: 'u16', values: [null, 65535, 0] },
  { name: 'u32', type: 'u32', values: [4294967295, null, 1] },
  { name: 'u64', type: 'u64', values: [null, '18446744073709551615', 0] },
  { name: 'f32', type: 'f32', values: [1.5, null, -0.25] },
  { name: 'f64', type: 'f64', values: [null, 2.5, 1e100] },
  { name: 's', type: 'str', values: ['a', null, ''] },
  { name: 'd', type: 'date', values: [0, null, 19000] },
  { name: 'dec', type: 'decimal[10,3]', values: [null, '12345', '-1'] },
], { POLARS_FMT_MAX_COLS: '-1' });
add('nulls_temporal_nested', [
  { name: 'ts', type: 'datetime[us]', values: [null, 1700000000000000, 0] },
  { name: 'tm', type: 'time', values: [3723000000000, null, 0] },
  { name: 'dur', type: 'duration[us]', values: [null, 1500000, 0] },
  { name: 'li', type: 'list[i64]', values: [[1, null, 3], null, []] },
  { name: 'st', type: 'struct[a:i64,b:str]', values: [[1, 'x'], [null, null], [3, null]] },
]);
add('unicode', [
  { name: '名前', type: 'str', values: ['日本語', '中文字符', '한국어', 'Ελληνικά', 'ümlaut é', null] },
  { name: 'emoji', type: 'str', values: ['😀', '👍🏽 ok', '🎉🎉🎉', 'x', 'café', 'naïve'] },
  { name: 'n', type: 'i64', values: [1, 2, 3, 4, 5, 6] },
]);
add('unicode_long', [
  { name: 'text', type: 'str', values: ['これは非常に長い日本語の文字列で、切り捨てられるべきです。まだ続きます', 'short', '🙂'.repeat(40)] },
]);
add('numbers', [
  { name: 'neg', type: 'i64', values: [-1, -1000000, '-9223372036854775808', '9223372036854775807', 0] },
  { name: 'u64', type: 'u64', values: ['18446744073709551615', 0, 1, 42, '9223372036854775808'] },
  { name: 'f', type: 'f64', values: [-0.5, 1234567.891, 1e-7, 'NaN', 'inf'] },
  { name: 'g', type: 'f64', values: ['-inf', -0.0, 0.1 + 0.2, 123456.0, 1e21] },
  { name: 'h', type: 'f64', values: [999999.0, 1000000.0, 3.141592653589793, 2.5e-10, -7e15] },
  { name: 'f32', type: 'f32', values: [0.1, 16777216, -3.5, 1e-3, 100.25] },
]);
add('floats_more', [
  { name: 'a', type: 'f64', values: [0.000001, 0.0000012345, 12.0000000001, 99999.99999, 1e15, -123456.7] },
  { name: 'b', type: 'f64', values: [1.0, 10.0, 100.5, 0.3333333333333333, 2 / 3, 1e300] },
]);
add('decimals', [
  { name: 'price', type: 'decimal[15,2]', values: ['1000', '-5', '0', '123456789012345', '-99', null] },
  { name: 'rate', type: 'decimal[38,10]', values: ['1', '-12345678901234567890', '10000000000', '0', null, '5'] },
  { name: 'whole', type: 'decimal[5,0]', values: ['99999', '-1', '0', '42', '7', null] },
]);
add('temporal', [
  { name: 'date', type: 'date', values: [0, -1, 19723, -719162, 2932896, null] },
  { name: 'ts_us', type: 'datetime[us]', values: [0, 1704067200000000, 1704067200123456, -1, 1704067200100000, null] },
  { name: 'ts_ms', type: 'datetime[ms]', values: [0, 1704067200000, 1704067200123, -1500, 1704067200100, null] },
  { name: 'ts_ns', type: 'datetime[ns]', values: [0, 1704067200000000000, '1704067200123456789', 1704067200000001000, -1, null] },
]);
add('temporal_tz', [
  { name: 'utc', type: 'datetime[us,UTC]', values: [0, 1704067200000000, 1720000000123456, null] },
  { name: 'paris', type: 'datetime[ms,Europe/Paris]', values: [0, 1704067200000, 1720000000123, null] },
  { name: 'ny', type: 'datetime[us,America/New_York]', values: [0, 1704067200000000, 1720000000000000, -1000000] },
]);
add('temporal_tz_history', [
  { name: 'paris', type: 'datetime[ms,Europe/Paris]', values: [-3786825600000, -2208988800000, 1893456000000, 1277942400000] },
  { name: 'kolkata', type: 'datetime[ms,Asia/Kolkata]', values: [-3786825600000, -2208988800000, 1893456000000, 1277942400000] },
  { name: 'sao_paulo', type: 'datetime[us,America/Sao_Paulo]', values: [-3786825600000000, -2208988800000000, 1893456000000000, 1277942400000000] },
]);
{
  const far = [Date.UTC(2037, 6, 1), Date.UTC(2038, 6, 1), Date.UTC(2099, 6, 1), Date.UTC(2099, 11, 1), Date.UTC(2100, 6, 1),
    Date.UTC(2200, 6, 1), Date.UTC(2050, 2, 27, 0, 59, 59), Date.UTC(2050, 2, 27, 1, 0, 0), Date.UTC(2045, 9, 29, 0, 59, 59), Date.UTC(2045, 9, 29, 1, 0, 0)];
  add('temporal_tz_future', [
    { name: 'paris', type: 'datetime[ms,Europe/Paris]', values: far },
    { name: 'ny', type: 'datetime[ms,America/New_York]', values: far },
    { name: 'sydney', type: 'datetime[ms,Australia/Sydney]', values: far },
  ], { POLARS_FMT_MAX_ROWS: '-1' });
}
add('time_duration', [
  { name: 'time', type: 'time', values: [0, 1000, 45296789000000, 86399999999999, 1000000, null] },
  { name: 'dur_ms', type: 'duration[ms]', values: [0, 1, 1000, 90061001, -3600000, null] },
  { name: 'dur_us', type: 'duration[us]', values: [0, 1, 1500, 86400000000, -1, 61000001] },
  { name: 'dur_ns', type: 'duration[ns]', values: [0, 1, 1000, 1000000, 3600000000000, '-86400000000001'] },
]);
add('lists', [
  { name: 'ints', type: 'list[i64]', values: [[1, 2, 3], [4, 5, 6, 7, 8], [], null, [null], [-1, null]] },
  { name: 'strs', type: 'list[str]', values: [['a', 'b'], ['c', null, 'e', 'f'], ['quote"d'], null, [], ['x']] },
  { name: 'floats', type: 'list[f64]', values: [[1, 2.5], [], null, [0.1, 0.2, 0.3], [1e10], [-2.5e-9]] },
  { name: 'nested', type: 'list[list[i64]]', values: [[[1, 2], [3]], [[]], null, [[1], [2], [3], [4]], [null], [[5, 6, 7, 8]]] },
]);
add('structs', [
  { name: 'point', type: 'struct[x:i64,y:f64]', values: [[1, 2.5], [-3, 0], [null, 1e10]] },
  { name: 'person', type: 'struct[name:str,age:i32,tags:list[str]]', values: [['Ann', 30, ['a', 'b']], ['Bob', null, []], [null, 5, null]] },
]);
add('long_strings', [
  { name: 'short', type: 'str', values: ['a', 'bb', 'ccc'] },
  { name: 'exactly_30', type: 'str', values: ['x'.repeat(30), 'y'.repeat(31), 'z'.repeat(29)] },
  { name: 'sentence', type: 'str', values: ['The quick brown fox jumps over the lazy dog and keeps on running', 'tiny', null] },
]);
add('a_very_long_column_name_that_goes_on_and_on', [
  { name: 'a_very_long_column_name_that_goes_on_and_on', type: 'i64', values: [1] },
  { name: 'b', type: 'str', values: ['v'] },
]);
add('str_len_10', [
  { name: 'text', type: 'str', values: ['hello world, this is long', 'short', 'exactly10!'] },
  { name: 'more_than_ten_chars_name', type: 'i64', values: [1, 2, 3] },
], { POLARS_FMT_STR_LEN: '10' });
add('narrow_40', [
  { name: 'id', type: 'i64', values: [1, 2] },
  { name: 'description', type: 'str', values: ['a fairly long description of the row', 'short one'] },
  { name: 'value', type: 'f64', values: [1.5, -2.25] },
], { POLARS_TABLE_WIDTH: '40' });
add('wrap_default_width', range(7, (c) => ({ name: `column_number_${c}`, type: 'str', values: range(2, (r) => `value ${r} of column ${c} here`) })));
add('wrap_wide_numbers', range(10, (c) => ({ name: `measurement_${c}`, type: 'f64', values: range(3, (r) => (r + 1) * 1234.5678 * (c + 1)) })), { POLARS_FMT_MAX_COLS: '10' });
add('width_200', range(7, (c) => ({ name: `column_number_${c}`, type: 'str', values: range(2, (r) => `value ${r} of column ${c} here`) })), { POLARS_TABLE_WIDTH: '200' });
add('narrow_20_many', range(6, (c) => ({ name: `c${c}`, type: 'str', values: ['abcdefghij klmnop', 'x'] })), { POLARS_TABLE_WIDTH: '20' });
add('narrow_cjk', [
  { name: 'id', type: 'i64', values: [1, 2] },
  { name: 'text', type: 'str', values: ['日本語のテキストがここにあります 長い', 'emoji 😀😀😀😀😀😀😀😀😀😀 and words'] },
], { POLARS_TABLE_WIDTH: '30' });
add('narrow_long_word', [
  { name: 'word', type: 'str', values: ['supercalifragilisticexpialidocious', 'tiny'] },
  { name: 'n', type: 'f64', values: [1.5, 2] },
], { POLARS_TABLE_WIDTH: '25' });
add('wide_many_long', range(14, (c) => ({ name: `a_rather_long_column_name_${c}`, type: c % 3 ? 'i64' : 'str', values: range(4, (r) => (c % 3 ? r * 1000003 * c : `text value ${r} in column ${c} with several words`)) })), { POLARS_FMT_MAX_COLS: '-1' });
add('nested_more', [
  { name: 'bools', type: 'list[bool]', values: [[true, false, null], [], null] },
  { name: 'dates', type: 'list[date]', values: [[0, 19723], null, [-1]] },
  { name: 'stamps', type: 'list[datetime[ms]]', values: [[0, 1704067200123], [], [null]] },
  { name: 'decs', type: 'list[decimal[6,2]]', values: [['100', '-5'], null, []] },
  { name: 'deep', type: 'struct[p:struct[x:i64,y:str],q:list[f64]]', values: [[[1, 'a'], [0.5, 1]], [[null, null], []], [[3, 'c'], null]] },
]);
add('extremes', [
  { name: 'date', type: 'date', values: [-1000000, 3000000, -719163, 0] },
  { name: 'f64', type: 'f64', values: [5e-324, 1.7976931348623157e308, -1e-6, 0.0000009999] },
  { name: 'f32', type: 'f32', values: [3.4028234663852886e38, 1.401298464324817e-45, -0.1, 1e7] },
  { name: 'i8', type: 'i8', values: [-128, 127, 0, -1] },
]);
add('binary', [
  { name: 'bytes', type: 'binary', values: ['hello', 'tab\there', 'é ü', '', null, '0123456789'.repeat(7), 'quote" back\\ ~{}'] },
]);
add('unicode_edge', [
  { name: 'a', type: 'str', values: ['a\tb', 'xxxxxxxx', '👨‍👩‍👧 f', '❤️x', 'a\u0301b', '\u00ad-', '👍🏽👍🏽'] },
]);
add('odd_names', [
  { name: 'i', type: 'i64', values: [1, 2] },
  { name: '日本語の列名はとても長いのでここで切り捨てられるはずですよね', type: 'str', values: ['a', 'b'] },
  { name: 'all null', type: 'str', values: [null, null] },
  { name: 'x y', type: 'bool', values: [true, null] },
]);
{
  const small = () => [
    { name: 'id', type: 'i64', values: [1, 22, 333] },
    { name: 'name', type: 'str', values: ['a', 'bb', null] },
    { name: 'price', type: 'decimal[8,2]', values: ['150', '-2', '99999'] },
    { name: 'x', type: 'f64', values: [0.5, -1, 1e10] },
  ];
  add('style_hide_dtypes', small(), { POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES: '1' });
  add('style_hide_names', small(), { POLARS_FMT_TABLE_HIDE_COLUMN_NAMES: '1' });
  add('style_hide_both', small(), { POLARS_FMT_TABLE_HIDE_COLUMN_NAMES: '1', POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES: '1' });
  add('style_hide_separator', small(), { POLARS_FMT_TABLE_HIDE_COLUMN_SEPARATOR: '1' });
  add('style_inline_dtype', small(), { POLARS_FMT_TABLE_INLINE_COLUMN_DATA_TYPE: '1' });
  add('style_shape_below_rounded', small(), { POLARS_FMT_TABLE_DATAFRAME_SHAPE_BELOW: '1', POLARS_FMT_TABLE_ROUNDED_CORNERS: '1' });
  add('style_hide_shape', small(), { POLARS_FMT_TABLE_HIDE_DATAFRAME_SHAPE_INFORMATION: '1' });
  add('style_align_right', small(), { POLARS_FMT_TABLE_CELL_ALIGNMENT: 'RIGHT' });
  add('style_align_numeric_center', small(), { POLARS_FMT_TABLE_CELL_NUMERIC_ALIGNMENT: 'CENTER' });
  add('style_align_mixed_wide', range(10, (c) => ({ name: `c${c}`, type: c % 2 ? 'str' : 'i32', values: [c, c * 100] .map((v) => (c % 2 ? `s${v}` : v)) })),
    { POLARS_FMT_TABLE_CELL_ALIGNMENT: 'CENTER', POLARS_FMT_TABLE_CELL_NUMERIC_ALIGNMENT: 'RIGHT', POLARS_FMT_MAX_COLS: '4' });
  const presets = ['ASCII_FULL', 'ASCII_FULL_CONDENSED', 'ASCII_NO_BORDERS', 'ASCII_BORDERS_ONLY',
    'ASCII_BORDERS_ONLY_CONDENSED', 'ASCII_HORIZONTAL_ONLY', 'ASCII_MARKDOWN', 'MARKDOWN', 'UTF8_FULL',
    'UTF8_NO_BORDERS', 'UTF8_BORDERS_ONLY', 'UTF8_HORIZONTAL_ONLY', 'NOTHING'];
  const withLong = () => [...small(),
    { name: 'tags', type: 'list[str]', values: [['a', 'b', 'c', 'd'], [], null] },
    { name: 'long', type: 'str', values: ['x'.repeat(40), 'short', 'y'] }];
  for (const p of presets) add(`preset_${p.toLowerCase()}`, withLong(), { POLARS_FMT_TABLE_FORMATTING: p, POLARS_FMT_MAX_COLS: '4', POLARS_FMT_MAX_ROWS: '2' });
  add('preset_nothing_rounded_hidden', small(), { POLARS_FMT_TABLE_FORMATTING: 'NOTHING', POLARS_FMT_TABLE_ROUNDED_CORNERS: '1', POLARS_FMT_TABLE_HIDE_COLUMN_NAMES: '1', POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES: '1' });
  add('preset_ascii_full_no_header', small(), { POLARS_FMT_TABLE_FORMATTING: 'ASCII_FULL', POLARS_FMT_TABLE_HIDE_COLUMN_NAMES: '1', POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES: '1' });
  add('list_len_5', [{ name: 'l', type: 'list[i64]', values: [[1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5], []] }], { POLARS_FMT_TABLE_CELL_LIST_LEN: '5' });
}
add('empty_rows', [
  { name: 'a', type: 'i64', values: [] },
  { name: 'b', type: 'str', values: [] },
]);
add('one_cell', [{ name: 'x', type: 'bool', values: [false] }]);
add('max_rows_0', [{ name: 'a', type: 'i64', values: [1, 2, 3] }], { POLARS_FMT_MAX_ROWS: '0' });
add('max_rows_1', [{ name: 'a', type: 'i64', values: [1, 2, 3] }, { name: 'b', type: 'str', values: ['x', 'y', 'z'] }], { POLARS_FMT_MAX_ROWS: '1' });
add('multiline_value', [{ name: 's', type: 'str', values: ['line one\nline two', 'single'] }]);
add('thousands_rows', [{ name: 'n', type: 'i64', values: range(1234, (i) => i * i) }]);

// ---- run -----------------------------------------------------------------

const ENV_KEYS = ['POLARS_FMT_MAX_ROWS', 'POLARS_FMT_MAX_COLS', 'POLARS_FMT_STR_LEN', 'POLARS_TABLE_WIDTH',
  'POLARS_FMT_TABLE_CELL_LIST_LEN', 'POLARS_FMT_TABLE_HIDE_COLUMN_NAMES', 'POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES',
  'POLARS_FMT_TABLE_HIDE_COLUMN_SEPARATOR', 'POLARS_FMT_TABLE_INLINE_COLUMN_DATA_TYPE',
  'POLARS_FMT_TABLE_HIDE_DATAFRAME_SHAPE_INFORMATION', 'POLARS_FMT_TABLE_DATAFRAME_SHAPE_BELOW',
  'POLARS_FMT_TABLE_ROUNDED_CORNERS', 'POLARS_FMT_TABLE_CELL_ALIGNMENT', 'POLARS_FMT_TABLE_CELL_NUMERIC_ALIGNMENT',
  'POLARS_FMT_TABLE_FORMATTING'];
for (const c of cases) {
  for (const k of ENV_KEYS) delete process.env[k];
  for (const [k, v] of Object.entries(c.env)) process.env[k] = v;
  const df = pl.DataFrame(c.columns.map((col) => series(col.name, col.type, col.values)));
  const text = df.toString();
  fs.writeFileSync(path.join(outDir, `${c.name}.json`), JSON.stringify(c, (k, v) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? (Object.is(v, -0) ? '-0.0' : String(v)) : v), 1) + '\n');
  fs.writeFileSync(path.join(outDir, `${c.name}.txt`), text + '\n');
}
for (const k of ENV_KEYS) delete process.env[k];
console.log(`wrote ${cases.length} cases to ${outDir}`);
