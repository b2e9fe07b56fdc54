/*
 * test_parquet_write.c -- the Parquet writer, end to end: random batches of
 * every type (nulls, empty strings and lists, extreme values, nesting) are
 * written with every codec and a spread of options, read back with the
 * reader and compared value for value; the types Parquet stores differently
 * come back as documented; statistics, the page index and the encodings
 * chosen are checked in the footer; a failed or aborted write leaves nothing.
 *
 * The property tests are seeded and reproducible: NL_PQ_SEEDS=N runs N seeds
 * (default 400 in an optimised build, 60 under the sanitizers), NL_PQ_SEED=S
 * runs only seed S; a failure names its seed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "columnar/builder.h"
#include "columnar/stream.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"

/* ---- a small deterministic random generator ---- */

static uint64_t rng;
static uint64_t current_seed; /* named in failure messages */
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static bool chance(int percent) { return (int)(rnd() % 100) < percent; }

/* ---- schemas ---- */

static nl_type *T(nl_type_id id) { return nl_type_get(id); }

static nl_type *struct_of(int n, const char **names, nl_type **types, const bool *nullable) {
    nl_field f[8];
    for (int i = 0; i < n; i++) {
        f[i].name = (char *)names[i];
        f[i].type = types[i];
        f[i].nullable = nullable ? nullable[i] : true;
    }
    return nl_type_struct(f, n);
}

/* Every type that reads back as itself. */
static nl_schema *full_schema(void) {
    nl_field f[64];
    int n = 0;
    nl_error err = {0};
#define ADD(name, type, nullable) assert_int_equal(nl_field_init(&f[n++], name, type, nullable, &err), NL_OK)
    ADD("bool", T(NL_TYPE_BOOL), true);
    ADD("i8", T(NL_TYPE_INT8), true);
    ADD("i16", T(NL_TYPE_INT16), true);
    ADD("i32", T(NL_TYPE_INT32), true);
    ADD("i64", T(NL_TYPE_INT64), true);
    ADD("u8", T(NL_TYPE_UINT8), true);
    ADD("u16", T(NL_TYPE_UINT16), true);
    ADD("u32", T(NL_TYPE_UINT32), true);
    ADD("u64", T(NL_TYPE_UINT64), true);
    ADD("f32", T(NL_TYPE_FLOAT32), true);
    ADD("f64", T(NL_TYPE_FLOAT64), true);
    ADD("dec5_2", nl_type_decimal(5, 2), true);
    ADD("dec18_4", nl_type_decimal(18, 4), true);
    ADD("dec25_0", nl_type_decimal(25, 0), true);
    ADD("dec38_10", nl_type_decimal(38, 10), true);
    ADD("utf8", T(NL_TYPE_UTF8), true);
    ADD("binary", T(NL_TYPE_BINARY), true);
    ADD("date", T(NL_TYPE_DATE32), true);
    ADD("time_us", nl_type_time64(NL_UNIT_MICRO), true);
    ADD("time_ns", nl_type_time64(NL_UNIT_NANO), true);
    ADD("ts_ms", nl_type_timestamp(NL_UNIT_MILLI, NULL), true);
    ADD("ts_us_utc", nl_type_timestamp(NL_UNIT_MICRO, "UTC"), true);
    ADD("ts_ns", nl_type_timestamp(NL_UNIT_NANO, NULL), true);
    /* these two come back through the ARROW:schema entry */
    ADD("ts_paris", nl_type_timestamp(NL_UNIT_MICRO, "Europe/Paris"), true);
    ADD("dur_ns", nl_type_duration(NL_UNIT_NANO), true);
    ADD("null", T(NL_TYPE_NULL), true);
    ADD("req_i64", T(NL_TYPE_INT64), false);
    ADD("req_utf8", T(NL_TYPE_UTF8), false);
    ADD("list_i32", nl_type_list(T(NL_TYPE_INT32), true), true);
    ADD("list_utf8_req", nl_type_list(T(NL_TYPE_UTF8), false), true);
    ADD("list_list_i64", nl_type_list(nl_type_list(T(NL_TYPE_INT64), true), true), true);
    {
        const char *names[] = {"a", "b", "c", "d"};
        nl_type *types[] = {T(NL_TYPE_INT32), T(NL_TYPE_UTF8),
                            nl_type_list(T(NL_TYPE_FLOAT64), true), nl_type_duration(NL_UNIT_MILLI)};
        ADD("struct", struct_of(4, names, types, NULL), true);
    }
    {
        const char *names[] = {"x", "y"};
        nl_type *types[] = {T(NL_TYPE_INT16), T(NL_TYPE_BOOL)};
        bool nullable[] = {false, true};
        ADD("list_struct", nl_type_list(struct_of(2, names, types, nullable), true), true);
    }
    {
        const char *inner_names[] = {"d"};
        nl_type *inner_types[] = {nl_type_decimal(30, 5)};
        const char *names[] = {"inner", "n"};
        nl_type *types[] = {struct_of(1, inner_names, inner_types, NULL), T(NL_TYPE_DATE32)};
        ADD("struct_struct", struct_of(2, names, types, NULL), false);
    }
#undef ADD
    nl_schema *s = nl_schema_new(f, n);
    for (int i = 0; i < n; i++) nl_free(f[i].name);
    assert_non_null(s);
    return s;
}

/* ---- random values ---- */

static __int128 pow10_128(int p) {
    __int128 v = 1;
    for (int i = 0; i < p; i++) v *= 10;
    return v;
}

static int64_t pick_i64(int64_t lo, int64_t hi) {
    switch (rnd() % 8) {
    case 0: return lo;
    case 1: return hi;
    case 2: return 0;
    case 3: return lo <= -1 ? -1 : 1;
    default: {
        uint64_t span = (uint64_t)hi - (uint64_t)lo;
        uint64_t r = span == UINT64_MAX ? rnd() : rnd() % (span + 1);
        return (int64_t)((uint64_t)lo + r);
    }
    }
}

static void gen(nl_builder *b, const nl_type *t, bool nullable, int null_pct, int low_card) {
    if (nullable && t->id != NL_TYPE_NULL && chance(null_pct)) {
        nl_builder_append_null(b);
        return;
    }
    switch (t->id) {
    case NL_TYPE_NULL: nl_builder_append_null(b); break;
    case NL_TYPE_BOOL: nl_builder_append_bool(b, rnd() & 1); break;
    case NL_TYPE_INT8: nl_builder_append_int(b, pick_i64(INT8_MIN, INT8_MAX)); break;
    case NL_TYPE_INT16: nl_builder_append_int(b, pick_i64(INT16_MIN, INT16_MAX)); break;
    case NL_TYPE_INT32: nl_builder_append_int(b, pick_i64(INT32_MIN, INT32_MAX)); break;
    case NL_TYPE_INT64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_DURATION:
        if (low_card) nl_builder_append_int(b, (int64_t)(rnd() % 10) * 1000);
        else nl_builder_append_int(b, pick_i64(INT64_MIN, INT64_MAX));
        break;
    case NL_TYPE_UINT8: nl_builder_append_uint(b, (uint64_t)pick_i64(0, UINT8_MAX)); break;
    case NL_TYPE_UINT16: nl_builder_append_uint(b, (uint64_t)pick_i64(0, UINT16_MAX)); break;
    case NL_TYPE_UINT32: nl_builder_append_uint(b, (uint64_t)pick_i64(0, UINT32_MAX)); break;
    case NL_TYPE_UINT64: nl_builder_append_uint(b, rnd() % 4 ? rnd() : UINT64_MAX); break;
    case NL_TYPE_DATE32: nl_builder_append_int(b, pick_i64(-800000, 3000000)); break;
    case NL_TYPE_TIME64:
        nl_builder_append_int(b, pick_i64(0, t->unit == NL_UNIT_NANO ? 86399999999999LL
                                                                      : 86399999999LL));
        break;
    case NL_TYPE_FLOAT32:
    case NL_TYPE_FLOAT64: {
        static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e-310, -1e300,
                                          3.4028234e38, 1.5};
        double v = chance(30) ? specials[rnd() % 9]
                              : (double)(int64_t)(rnd() % 2000000) / 64.0 - 10000.0;
        if (low_card) v = (double)(rnd() % 16) / 4;
        nl_builder_append_double(b, v);
        break;
    }
    case NL_TYPE_DECIMAL128: {
        __int128 lim = pow10_128(t->precision) - 1;
        __int128 v;
        switch (rnd() % 5) {
        case 0: v = lim; break;
        case 1: v = -lim; break;
        case 2: v = 0; break;
        default: {
            unsigned __int128 r = ((unsigned __int128)rnd() << 64) | rnd();
            v = (__int128)(r % (unsigned __int128)(lim + 1));
            if (rnd() & 1) v = -v;
        }
        }
        nl_builder_append_decimal(b, v);
        break;
    }
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        static const char *words[] = {"", "a", "é€𝄞", "hello world", "zzzz", "Ünïcödé"};
        char buf[300];
        int len;
        int k = (int)(rnd() % 10);
        if (low_card || k < 6) {
            const char *w = words[rnd() % 6];
            len = (int)strlen(w);
            memcpy(buf, w, (size_t)len);
        } else if (k < 8) {
            len = (int)(rnd() % 200) + 65; /* longer than the statistics limit */
            for (int i = 0; i < len; i++) buf[i] = (char)('a' + rnd() % 26);
            if (k == 7) buf[0] = '~';
        } else {
            len = (int)(rnd() % 20);
            for (int i = 0; i < len; i++)
                buf[i] = t->id == NL_TYPE_BINARY ? (char)rnd() : (char)('0' + rnd() % 10);
        }
        nl_builder_append_string(b, buf, len);
        break;
    }
    case NL_TYPE_LIST: {
        nl_builder_list_begin(b);
        int n = chance(25) ? 0 : (int)(rnd() % 5);
        for (int i = 0; i < n; i++)
            gen(nl_builder_child(b, 0), t->children[0].type, t->children[0].nullable, null_pct,
                low_card);
        nl_builder_list_end(b);
        break;
    }
    case NL_TYPE_STRUCT:
        for (int32_t i = 0; i < t->n_children; i++)
            gen(nl_builder_child(b, i), t->children[i].type, t->children[i].nullable, null_pct,
                low_card);
        nl_builder_struct_append(b, true);
        break;
    default: fail_msg("type %d not generated", (int)t->id);
    }
}

static nl_batch *random_batch(nl_schema *schema, int64_t n, int null_pct, int low_card) {
    nl_array *cols[64];
    nl_error err = {0};
    for (int32_t c = 0; c < schema->n_fields; c++) {
        const nl_field *f = &schema->fields[c];
        nl_builder *b = nl_builder_new(f->type, n);
        for (int64_t i = 0; i < n; i++) gen(b, f->type, f->nullable, null_pct, low_card);
        assert_int_equal(nl_builder_finish(b, &cols[c], &err), NL_OK);
        nl_builder_free(b);
    }
    nl_batch *batch;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, n, &batch, &err), NL_OK);
    return batch;
}

/* ---- comparison ---- */

static nl_array *column_of(const nl_table *t, int32_t c) {
    nl_array *parts[4096];
    int32_t n = 0;
    for (int64_t b = 0; b < t->n_batches && n < 4096; b++) parts[n++] = t->batches[b]->columns[c];
    nl_array *out = NULL;
    nl_error err = {0};
    if (n == 0) {
        assert_int_equal(nl_array_new_nulls(t->schema->fields[c].type, 0, &out, &err), NL_OK);
        return out;
    }
    assert_int_equal(nl_array_concat(parts, n, &out, &err), NL_OK);
    return out;
}

static void assert_tables_equal(const nl_table *want, const nl_table *got) {
    assert_int_equal(got->num_rows, want->num_rows);
    assert_int_equal(got->schema->n_fields, want->schema->n_fields);
    for (int32_t c = 0; c < want->schema->n_fields; c++) {
        const nl_field *wf = &want->schema->fields[c], *gf = &got->schema->fields[c];
        assert_string_equal(gf->name, wf->name);
        char a[128], b[128];
        if (!nl_type_equals(gf->type, wf->type))
            fail_msg("seed %llu: column %s: wrote %s, read %s", (unsigned long long)current_seed, wf->name, nl_type_name(wf->type, a, sizeof a),
                     nl_type_name(gf->type, b, sizeof b));
        nl_array *x = column_of(want, c), *y = column_of(got, c);
        if (!nl_array_equals(x, y)) {
            int64_t i = 0;
            while (i < x->length && i < y->length) {
                nl_array *xs = nl_array_slice(x, i, 1), *ys = nl_array_slice(y, i, 1);
                bool eq = nl_array_equals(xs, ys);
                nl_array_unref(xs);
                nl_array_unref(ys);
                if (!eq) break;
                i++;
            }
            fail_msg("seed %llu: column %s differs at row %lld", (unsigned long long)current_seed,
                     wf->name, (long long)i);
        }
        nl_array_unref(x);
        nl_array_unref(y);
    }
}

static nl_table *read_back(nl_store *store, const char *uri, pq_file **file_out) {
    pq_file *f = NULL;
    nl_error err = {0};
    nl_status st = pq_file_open(store, uri, NULL, &f, &err);
    if (st != NL_OK) fail_msg("open: %s", err.message);
    nl_table *t = NULL;
    st = pq_read_table(f, &t, &err);
    if (st != NL_OK) fail_msg("read: %s", err.message);
    if (file_out)
        *file_out = f;
    else
        pq_file_close(f);
    return t;
}

/* ---- the round-trip property ---- */


#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
#define DEFAULT_SEEDS 60
#else
#define DEFAULT_SEEDS 400
#endif

/* The seeds to run: [*first, *first + *count). */
static void seed_range(uint64_t *first, uint64_t *count, uint64_t dflt) {
    const char *one = getenv("NL_PQ_SEED"), *n = getenv("NL_PQ_SEEDS");
    *first = 0;
    *count = dflt;
    if (n && *n) *count = strtoull(n, NULL, 10);
    if (one && *one) {
        *first = strtoull(one, NULL, 10);
        *count = 1;
    }
}

static const int CODECS[] = {6 /* zstd */, 1 /* snappy */, 2 /* gzip */, 7 /* lz4_raw */,
                             0 /* none */};

static void roundtrip_once(uint64_t seed, nl_schema *schema) {
    current_seed = seed;
    rng = seed * 2654435761u + 1;
    pq_write_options o;
    pq_write_options_init(&o);
    o.codec = CODECS[seed % 5];
    o.dictionary_bytes = (seed / 5) % 3 == 0 ? 1 << 20 : (seed / 5) % 3 == 1 ? 0 : 300;
    o.page_rows = seed % 2 ? 20000 : 7;
    o.page_bytes = seed % 3 ? 1 << 20 : 100;
    o.row_group_rows = seed % 4 == 1 ? 37 : 1 << 20;
    o.threads = (int)(seed % 2);
    o.delta_integers = seed % 7 != 3;
    int null_pct = seed % 6 == 0 ? 0 : seed % 6 == 1 ? 100 : 15;
    int low_card = seed % 5 == 2;

    nl_table *want = nl_table_new(nl_schema_ref(schema));
    nl_error err = {0};
    int n_batches = (int)(rnd() % 4) + 1;
    for (int b = 0; b < n_batches; b++) {
        int64_t n = b == 1 ? 0 : (int64_t)(rnd() % 300);
        nl_batch *batch = random_batch(schema, n + 10, null_pct, low_card);
        /* A slice, so arrays with offsets are written too. */
        nl_batch *sl = nl_batch_slice(batch, 5, n);
        assert_int_equal(nl_table_append(want, sl, &err), NL_OK);
        nl_batch_unref(sl);
        nl_batch_unref(batch);
    }
    nl_store *store = nl_store_memory_new();
    nl_status st = pq_write_table(store, "memory://t.parquet", want, &o, &err);
    if (st != NL_OK) fail_msg("seed %llu: write: %s", (unsigned long long)seed, err.message);
    nl_table *got = read_back(store, "memory://t.parquet", NULL);
    assert_tables_equal(want, got);
    nl_table_free(want);
    nl_table_free(got);
    nl_store_close(store);
}

static void test_roundtrip_random(void **state) {
    (void)state;
    nl_schema *schema = full_schema();
    uint64_t first, count;
    seed_range(&first, &count, DEFAULT_SEEDS);
    for (uint64_t seed = first; seed < first + count; seed++) roundtrip_once(seed, schema);
    nl_schema_unref(schema);
}

/* A random type: any leaf the writer round-trips, or a list or struct of
 * random types, nested up to `depth` more levels. */
static nl_type *random_type(int depth) {
    int k = (int)(rnd() % (depth > 0 ? 26 : 20));
    switch (k) {
    case 0: return T(NL_TYPE_BOOL);
    case 1: return T(NL_TYPE_INT8);
    case 2: return T(NL_TYPE_INT16);
    case 3: return T(NL_TYPE_INT32);
    case 4: return T(NL_TYPE_INT64);
    case 5: return T(NL_TYPE_UINT8);
    case 6: return T(NL_TYPE_UINT16);
    case 7: return T(NL_TYPE_UINT32);
    case 8: return T(NL_TYPE_UINT64);
    case 9: return T(NL_TYPE_FLOAT32);
    case 10: return T(NL_TYPE_FLOAT64);
    case 11: {
        int32_t p = (int32_t)(rnd() % 38) + 1;
        return nl_type_decimal(p, (int32_t)(rnd() % (uint64_t)(p + 1)));
    }
    case 12: return T(NL_TYPE_UTF8);
    case 13: return T(NL_TYPE_BINARY);
    case 14: return T(NL_TYPE_DATE32);
    case 15: return nl_type_time64(rnd() & 1 ? NL_UNIT_MICRO : NL_UNIT_NANO);
    case 16: return nl_type_timestamp(NL_UNIT_MILLI, rnd() & 1 ? "UTC" : NULL);
    case 17: return nl_type_timestamp(NL_UNIT_MICRO, rnd() & 1 ? "UTC" : NULL);
    case 18: return nl_type_timestamp(NL_UNIT_NANO, rnd() & 1 ? "UTC" : NULL);
    case 19: return T(NL_TYPE_UTF8);
    case 20: case 21: case 22: return nl_type_list(random_type(depth - 1), rnd() % 3 != 0);
    default: {
        nl_field f[4];
        static const char *names[] = {"f0", "f1", "f2", "f3"};
        int n = (int)(rnd() % 4) + 1;
        for (int i = 0; i < n; i++) {
            f[i].name = (char *)names[i];
            f[i].type = random_type(depth - 1);
            f[i].nullable = rnd() % 3 != 0;
        }
        return nl_type_struct(f, n);
    }
    }
}

static nl_schema *random_schema(void) {
    nl_field f[8];
    nl_error err = {0};
    int n = (int)(rnd() % 6) + 1;
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "c%d", i);
        assert_int_equal(nl_field_init(&f[i], name, random_type(3), rnd() % 4 != 0, &err), NL_OK);
    }
    nl_schema *s = nl_schema_new(f, n);
    for (int i = 0; i < n; i++) nl_free(f[i].name);
    assert_non_null(s);
    return s;
}

/* Random schemas (nesting to depth 4, required and optional levels mixed)
 * of random batches, each with the options its seed picks. */
static void test_roundtrip_random_schemas(void **state) {
    (void)state;
    uint64_t first, count;
    seed_range(&first, &count, DEFAULT_SEEDS);
    for (uint64_t seed = first; seed < first + count; seed++) {
        rng = (seed + 1000003) * 0x9E3779B97F4A7C15ull;
        nl_schema *schema = random_schema();
        roundtrip_once(seed + 1000000, schema);
        nl_schema_unref(schema);
    }
}

/* A larger table: many pages, several row groups, dictionary and delta. */
static void test_roundtrip_large(void **state) {
    (void)state;
    nl_field f[4];
    nl_error err = {0};
    nl_field_init(&f[0], "sorted", T(NL_TYPE_INT64), false, &err);
    nl_field_init(&f[1], "few", T(NL_TYPE_UTF8), true, &err);
    nl_field_init(&f[2], "many", T(NL_TYPE_UTF8), true, &err);
    nl_field_init(&f[3], "x", T(NL_TYPE_FLOAT64), true, &err);
    nl_schema *schema = nl_schema_new(f, 4);
    for (int i = 0; i < 4; i++) nl_free(f[i].name);
    int64_t n = 300000;
    nl_builder *b[4];
    for (int c = 0; c < 4; c++) b[c] = nl_builder_new(schema->fields[c].type, n);
    for (int64_t i = 0; i < n; i++) {
        char s[32];
        nl_builder_append_int(b[0], i * 3);
        int l = snprintf(s, sizeof s, "k%d", (int)(i % 13));
        nl_builder_append_string(b[1], s, l);
        l = snprintf(s, sizeof s, "unique-%lld", (long long)i * 7919);
        nl_builder_append_string(b[2], s, l);
        if (i % 10 == 0) nl_builder_append_null(b[3]);
        else nl_builder_append_double(b[3], (double)i / 7);
    }
    nl_array *cols[4];
    for (int c = 0; c < 4; c++) {
        assert_int_equal(nl_builder_finish(b[c], &cols[c], &err), NL_OK);
        nl_builder_free(b[c]);
    }
    nl_batch *batch;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, n, &batch, &err), NL_OK);
    nl_table *want = nl_table_new(nl_schema_ref(schema));
    nl_table_append(want, batch, &err);
    nl_batch_unref(batch);
    nl_store *store = nl_store_memory_new();
    pq_write_options o;
    pq_write_options_init(&o);
    o.row_group_rows = 100000;
    assert_int_equal(pq_write_table(store, "memory://big.parquet", want, &o, &err), NL_OK);
    pq_file *file;
    nl_table *got = read_back(store, "memory://big.parquet", &file);
    assert_tables_equal(want, got);

    /* The footer: three row groups; encodings as chosen; statistics; page index. */
    const pq_file_meta *m = pq_file_metadata(file);
    assert_int_equal(m->n_row_groups, 3);
    assert_int_equal(m->num_rows, n);
    for (int32_t r = 0; r < 3; r++) {
        const pq_row_group *rg = &m->row_groups[r];
        assert_int_equal(rg->num_rows, 100000);
        for (int32_t c = 0; c < 4; c++) {
            const pq_column_chunk *cc = &rg->columns[c];
            assert_true(cc->has_meta);
            assert_int_equal(cc->meta.codec, 6);
            assert_true(cc->meta.has_statistics);
            assert_true(cc->meta.statistics.has_null_count);
            assert_true(cc->offset_index_offset > 0);
            assert_true(cc->column_index_offset > 0);
            bool dict = false, delta = false;
            for (int32_t e = 0; e < cc->meta.n_encodings; e++) {
                dict |= cc->meta.encodings[e] == 8;
                delta |= cc->meta.encodings[e] == 5;
            }
            if (c == 0) assert_true(delta);
            if (c == 1) assert_true(dict);
            if (c == 2) assert_false(dict);
            if (c == 0) {
                const pq_statistics *s = &cc->meta.statistics;
                int64_t mn, mx;
                assert_true(s->has_min && s->has_max && !s->legacy_min_max);
                memcpy(&mn, s->min.ptr, 8);
                memcpy(&mx, s->max.ptr, 8);
                assert_int_equal(mn, (int64_t)r * 300000);
                assert_int_equal(mx, ((int64_t)r * 100000 + 99999) * 3);
            }
            if (c == 1) {
                /* Dictionary-ranked statistics: "k0" .. "k9" in byte order. */
                const pq_statistics *s = &cc->meta.statistics;
                assert_true(s->has_min && s->has_max);
                assert_int_equal(s->min.len, 2);
                assert_memory_equal(s->min.ptr, "k0", 2);
                assert_int_equal(s->max.len, 2);
                assert_memory_equal(s->max.ptr, "k9", 2);
            }
            if (c == 1) {
                /* encoding_stats: one dictionary page, data pages all RLE_DICTIONARY. */
                int dict_pages = 0, other = 0;
                for (int32_t e = 0; e < cc->meta.n_encoding_stats; e++) {
                    const pq_encoding_stats *es = &cc->meta.encoding_stats[e];
                    if (es->page_type == 2) dict_pages += es->count;
                    else if (es->encoding != 8) other += es->count;
                }
                assert_int_equal(dict_pages, 1);
                assert_int_equal(other, 0);
            }
            if (c == 3) assert_int_equal(cc->meta.statistics.null_count, 10000);
        }
    }
    bool has_arrow = false;
    for (int32_t k = 0; k < m->n_kv; k++) has_arrow |= strcmp(m->kv[k].key, "ARROW:schema") == 0;
    assert_true(has_arrow);
    pq_file_close(file);
    nl_table_free(want);
    nl_table_free(got);
    nl_schema_unref(schema);
    nl_store_close(store);
}

/* Types Parquet stores differently come back as documented in writer.h:
 * seconds as milliseconds; a named time zone and a duration's unit travel in
 * the ARROW:schema entry and come back from it (outside lists). */
static void test_mapped_types(void **state) {
    (void)state;
    nl_field f[3];
    nl_error err = {0};
    nl_field_init(&f[0], "ts_s", nl_type_timestamp(NL_UNIT_SECOND, "UTC"), true, &err);
    nl_field_init(&f[1], "ts_paris", nl_type_timestamp(NL_UNIT_MICRO, "Europe/Paris"), true, &err);
    nl_field_init(&f[2], "dur", nl_type_duration(NL_UNIT_MILLI), true, &err);
    nl_schema *schema = nl_schema_new(f, 3);
    for (int i = 0; i < 3; i++) nl_free(f[i].name);
    nl_builder *b[3];
    for (int c = 0; c < 3; c++) b[c] = nl_builder_new(schema->fields[c].type, 4);
    int64_t vals[] = {0, -1, 1700000000, 123456};
    for (int i = 0; i < 4; i++)
        for (int c = 0; c < 3; c++) {
            if (i == 1 && c == 2) nl_builder_append_null(b[c]);
            else nl_builder_append_int(b[c], vals[i]);
        }
    nl_array *cols[3];
    for (int c = 0; c < 3; c++) {
        assert_int_equal(nl_builder_finish(b[c], &cols[c], &err), NL_OK);
        nl_builder_free(b[c]);
    }
    nl_batch *batch;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, 4, &batch, &err), NL_OK);
    nl_table *t = nl_table_new(nl_schema_ref(schema));
    nl_table_append(t, batch, &err);
    nl_batch_unref(batch);
    nl_store *store = nl_store_memory_new();
    assert_int_equal(pq_write_table(store, "m.parquet", t, NULL, &err), NL_OK);
    nl_table *got = read_back(store, "m.parquet", NULL);
    nl_array *c0 = column_of(got, 0), *c1 = column_of(got, 1), *c2 = column_of(got, 2);
    assert_int_equal(c0->type->id, NL_TYPE_TIMESTAMP);
    assert_int_equal(c0->type->unit, NL_UNIT_MILLI);
    assert_int_equal(c1->type->id, NL_TYPE_TIMESTAMP);
    assert_string_equal(c1->type->timezone, "Europe/Paris");
    assert_int_equal(c2->type->id, NL_TYPE_DURATION);
    assert_int_equal(c2->type->unit, NL_UNIT_MILLI);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(NL_ARRAY_VALUES(c0, int64_t)[i], vals[i] * 1000);
        assert_int_equal(NL_ARRAY_VALUES(c1, int64_t)[i], vals[i]);
        if (i == 1) assert_true(nl_array_is_null(c2, i));
        else assert_int_equal(NL_ARRAY_VALUES(c2, int64_t)[i], vals[i]);
    }
    nl_array_unref(c0);
    nl_array_unref(c1);
    nl_array_unref(c2);
    nl_table_free(got);
    /* Without the ARROW:schema entry: what Parquet's own types say. */
    pq_write_options o;
    pq_write_options_init(&o);
    o.arrow_schema = false;
    assert_int_equal(pq_write_table(store, "m2.parquet", t, &o, &err), NL_OK);
    got = read_back(store, "m2.parquet", NULL);
    c1 = column_of(got, 1);
    c2 = column_of(got, 2);
    assert_string_equal(c1->type->timezone, "UTC");
    assert_int_equal(c2->type->id, NL_TYPE_INT64);
    nl_array_unref(c1);
    nl_array_unref(c2);
    nl_table_free(got);
    nl_table_free(t);
    nl_schema_unref(schema);
    nl_store_close(store);
}

/* A stream of batches writes like the table they make. */
static void test_write_stream(void **state) {
    (void)state;
    nl_schema *schema = full_schema();
    rng = 99;
    nl_table *want = nl_table_new(nl_schema_ref(schema));
    nl_table *feed = nl_table_new(nl_schema_ref(schema));
    nl_error err = {0};
    for (int b = 0; b < 3; b++) {
        nl_batch *batch = random_batch(schema, 100 + b, 20, 0);
        nl_table_append(want, batch, &err);
        nl_table_append(feed, batch, &err);
        nl_batch_unref(batch);
    }
    nl_stream *stream;
    assert_int_equal(nl_stream_from_table(feed, &stream, &err), NL_OK);
    nl_store *store = nl_store_memory_new();
    pq_write_options o;
    pq_write_options_init(&o);
    o.row_group_rows = 150;
    assert_int_equal(pq_write_stream(store, "s.parquet", stream, &o, &err), NL_OK);
    nl_stream_free(stream);
    pq_file *f;
    nl_table *got = read_back(store, "s.parquet", &f);
    assert_int_equal(pq_file_num_row_groups(f), 3);
    assert_tables_equal(want, got);
    pq_file_close(f);
    nl_table_free(got);
    nl_table_free(want);
    nl_schema_unref(schema);
    nl_store_close(store);
}

/* Zero rows: a valid file with the schema and no row groups. */
static void test_empty(void **state) {
    (void)state;
    nl_schema *schema = full_schema();
    nl_table *t = nl_table_new(nl_schema_ref(schema));
    nl_store *store = nl_store_memory_new();
    nl_error err = {0};
    assert_int_equal(pq_write_table(store, "e.parquet", t, NULL, &err), NL_OK);
    pq_file *f;
    nl_table *got = read_back(store, "e.parquet", &f);
    assert_int_equal(pq_file_num_row_groups(f), 0);
    assert_int_equal(got->num_rows, 0);
    assert_true(nl_schema_equals(pq_file_schema(f), schema));
    pq_file_close(f);
    nl_table_free(got);
    nl_table_free(t);
    nl_schema_unref(schema);
    nl_store_close(store);
}

/* Nothing is visible until close; abort and failures leave nothing. */
static void test_atomic(void **state) {
    (void)state;
    char dir[] = "/tmp/nl_pqw_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.parquet", dir);
    nl_schema *schema = full_schema();
    rng = 7;
    nl_batch *batch = random_batch(schema, 50, 10, 0);
    nl_store *store = nl_store_local_new();
    nl_error err = {0};

    pq_writer *w;
    assert_int_equal(pq_writer_open(store, path, schema, NULL, &w, &err), NL_OK);
    assert_int_equal(pq_writer_write_batch(w, batch, &err), NL_OK);
    assert_int_equal(access(path, F_OK), -1);
    pq_writer_abort(w);
    assert_int_equal(access(path, F_OK), -1);

    /* A batch of the wrong shape poisons the writer; close then fails. */
    assert_int_equal(pq_writer_open(store, path, schema, NULL, &w, &err), NL_OK);
    assert_int_equal(pq_writer_write_batch(w, batch, &err), NL_OK);
    nl_batch *wrong = nl_batch_ref(batch);
    nl_schema *other = nl_schema_new(schema->fields, 1);
    nl_type_ref(schema->fields[0].type);
    nl_array *one = nl_array_ref(batch->columns[0]);
    nl_batch *bad;
    assert_int_equal(nl_batch_new(other, &one, batch->num_rows, &bad, &err), NL_OK);
    assert_int_not_equal(pq_writer_write_batch(w, bad, &err), NL_OK);
    assert_int_not_equal(pq_writer_close(w, &err), NL_OK);
    assert_int_equal(access(path, F_OK), -1);
    nl_batch_unref(bad);
    nl_batch_unref(wrong);

    /* An unsupported codec fails at open, before anything exists. */
    pq_write_options o;
    pq_write_options_init(&o);
    o.codec = 3; /* LZO */
    assert_int_equal(pq_writer_open(store, path, schema, &o, &w, &err), NL_ENOTSUP);
    assert_int_equal(access(path, F_OK), -1);

    /* And a good write appears whole. */
    assert_int_equal(pq_writer_open(store, path, schema, NULL, &w, &err), NL_OK);
    assert_int_equal(pq_writer_write_batch(w, batch, &err), NL_OK);
    assert_int_equal(pq_writer_rows(w), 50);
    assert_int_equal(pq_writer_close(w, &err), NL_OK);
    assert_int_equal(access(path, F_OK), 0);
    pq_file *f;
    assert_int_equal(pq_file_open_path(path, NULL, &f, &err), NL_OK);
    assert_int_equal(pq_file_num_rows(f), 50);
    pq_file_close(f);
    unlink(path);
    rmdir(dir);
    nl_batch_unref(batch);
    nl_schema_unref(schema);
    nl_store_close(store);
}

/* Types Parquet cannot hold are refused at open with a message. */
static void test_unsupported(void **state) {
    (void)state;
    nl_error err = {0};
    nl_type *empty = nl_type_struct(NULL, 0);
    assert_non_null(empty);
    nl_field f;
    nl_field_init(&f, "e", empty, true, &err);
    nl_schema *schema = nl_schema_new(&f, 1);
    nl_free(f.name);
    nl_store *store = nl_store_memory_new();
    pq_writer *w = NULL;
    assert_int_equal(pq_writer_open(store, "x.parquet", schema, NULL, &w, &err), NL_ENOTSUP);
    assert_null(w);
    assert_non_null(strstr(err.message, "'e'"));
    nl_schema_unref(schema);

    /* A null in a column declared not nullable (REQUIRED) is refused. */
    nl_field_init(&f, "r", T(NL_TYPE_INT64), false, &err);
    schema = nl_schema_new(&f, 1);
    nl_free(f.name);
    nl_builder *b = nl_builder_new(schema->fields[0].type, 3);
    nl_builder_append_int(b, 1);
    nl_builder_append_null(b);
    nl_builder_append_int(b, 3);
    nl_array *col;
    assert_int_equal(nl_builder_finish(b, &col, &err), NL_OK);
    nl_builder_free(b);
    nl_batch *batch;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), &col, 3, &batch, &err), NL_OK);
    nl_table *t = nl_table_new(nl_schema_ref(schema));
    nl_table_append(t, batch, &err);
    nl_batch_unref(batch);
    assert_int_equal(pq_write_table(store, "r.parquet", t, NULL, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "'r'"));
    nl_object_info info;
    assert_int_not_equal(nl_store_head(store, "r.parquet", &info, &err), NL_OK);
    nl_table_free(t);
    nl_schema_unref(schema);
    nl_store_close(store);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_random), cmocka_unit_test(test_roundtrip_random_schemas),
        cmocka_unit_test(test_roundtrip_large),
        cmocka_unit_test(test_mapped_types),     cmocka_unit_test(test_empty),
        cmocka_unit_test(test_atomic),           cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_write_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
