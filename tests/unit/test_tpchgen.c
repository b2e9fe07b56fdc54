/*
 * test_tpchgen.c -- the TPC-H generator: the random streams and their
 * skip-ahead, the distributions, the .tbl format, and whole tables checked
 * against dbgen's output.
 *
 * dbgen's rows are pinned two ways: by digests of the .tbl text of every table
 * at scale factors 0.01 and 0.1 (computed from dbgen's own output, so the
 * test needs no data files), and, when ../shared is present, by comparing
 * with the reference Parquet files value for value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "datagen/tpch.h"
#include "datagen/tpch_internal.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"
#include "io/store.h"

/* One generator per scale factor for the whole run: the text pool takes a
 * while to build. */
static tpch_gen *gen_001;

static int setup(void **state) {
    (void)state;
    nl_error err = {0};
    if (tpch_gen_new(0.01, &gen_001, &err) != NL_OK) {
        fprintf(stderr, "tpch_gen_new: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tpch_gen_free(gen_001);
    return 0;
}

/* ---- random streams ---- */

static void test_rng_sequence(void **state) {
    (void)state;
    tpch_rng r;
    tpch_rng_init(&r, 1, 1);
    /* Park-Miller: 16807^n mod 2^31-1 */
    assert_int_equal(tpch_rng_next(&r), 16807);
    assert_int_equal(tpch_rng_next(&r), 282475249);
    assert_int_equal(tpch_rng_next(&r), 1622650073);
    assert_int_equal(tpch_rng_next(&r), 984943658);
}

static void test_rng_skip_matches_drawing(void **state) {
    (void)state;
    tpch_rng a, b;
    tpch_rng_init(&a, 933588178, 1);
    tpch_rng_init(&b, 933588178, 1);
    for (int i = 0; i < 12345; i++)
        tpch_rng_next(&a);
    tpch_rng_skip(&b, 12345);
    assert_int_equal(a.seed, b.seed);
    tpch_rng_skip(&b, 0);
    tpch_rng_skip(&b, -5);
    assert_int_equal(a.seed, b.seed);
}

static void test_rng_row_budget(void **state) {
    (void)state;
    /* However many draws a row takes, the next row starts at the boundary. */
    tpch_rng a, b;
    tpch_rng_init(&a, 709314158, 9);
    tpch_rng_init(&b, 709314158, 9);
    tpch_rng_int(&a, 0, 10);
    tpch_rng_int(&a, 0, 10);
    tpch_rng_row_done(&a);
    tpch_rng_int(&a, 0, 10);
    tpch_rng_row_done(&a);
    tpch_rng_skip_rows(&b, 2);
    assert_int_equal(a.seed, b.seed);
    /* skip_rows finishes a row in progress first */
    tpch_rng_int(&b, 0, 10);
    tpch_rng_skip_rows(&b, 1);
    tpch_rng_skip_rows(&a, 2);
    assert_int_equal(a.seed, b.seed);
}

static void test_rng_ranges(void **state) {
    (void)state;
    tpch_rng r;
    tpch_rng_init(&r, 1234567, 1);
    bool negative = false;
    for (int i = 0; i < 10000; i++) {
        int32_t v = tpch_rng_int(&r, 3, 7);
        assert_true(v >= 3 && v <= 7);
        v = tpch_rng_int(&r, -99999, 999999);
        assert_true(v >= -99999 && v <= 999999);
        /* dbgen's full 31-bit range wraps in 32 bits: values come out <= 0 */
        v = tpch_rng_int(&r, 0, INT32_MAX);
        assert_true(v <= 0);
        negative |= v < 0;
    }
    assert_true(negative);
}

/* ---- distributions ---- */

static void test_dists_consistent(void **state) {
    (void)state;
    for (int id = 0; id < TPCH_DIST_COUNT_; id++) {
        const tpch_dist *d = tpch_dist_get((tpch_dist_id)id);
        assert_true(d->count > 0);
        for (int i = 0; i < d->count; i++)
            assert_int_equal(strlen(d->values[i]), d->lengths[i]);
        if (d->pick == NULL) {
            assert_int_equal(d->total, d->count);
            continue;
        }
        /* the pick table is the cumulative weights spelled out */
        assert_int_equal(d->total, d->weights[d->count - 1]);
        for (int i = 0; i < d->count; i++) {
            int32_t lo = i == 0 ? 0 : d->weights[i - 1];
            for (int32_t k = lo; k < d->weights[i]; k++)
                assert_int_equal(d->pick[k], i);
        }
    }
    assert_int_equal(tpch_dist_get(TPCH_DIST_P_TYPES)->count, 150);
    assert_string_equal(tpch_dist_get(TPCH_DIST_P_TYPES)->values[149], "PROMO BRUSHED COPPER");
    assert_string_equal(tpch_dist_get(TPCH_DIST_P_CNTR)->values[12], "LG PACK");
    /* nations carry their region keys */
    const tpch_dist *nations = tpch_dist_get(TPCH_DIST_NATIONS);
    assert_string_equal(nations->values[24], "UNITED STATES");
    assert_int_equal(nations->weights[24], 1);
    assert_int_equal(nations->weights[4], 4);
}

/* ---- the API ---- */

static void test_table_names(void **state) {
    (void)state;
    tpch_table t;
    for (int i = 0; i < TPCH_TABLE_COUNT; i++) {
        assert_true(tpch_table_lookup(tpch_table_name((tpch_table)i), &t));
        assert_int_equal(t, i);
    }
    assert_false(tpch_table_lookup("lineitems", &t));
    assert_false(tpch_table_lookup("", &t));
}

static void test_schema_types(void **state) {
    (void)state;
    nl_schema *s = tpch_schema(TPCH_LINEITEM);
    assert_non_null(s);
    assert_int_equal(s->n_fields, 16);
    assert_string_equal(s->fields[0].name, "l_orderkey");
    assert_int_equal(s->fields[0].type->id, NL_TYPE_INT64);
    assert_int_equal(s->fields[5].type->id, NL_TYPE_DECIMAL128);
    assert_int_equal(s->fields[5].type->precision, 15);
    assert_int_equal(s->fields[5].type->scale, 2);
    assert_int_equal(s->fields[10].type->id, NL_TYPE_DATE32);
    assert_int_equal(s->fields[15].type->id, NL_TYPE_UTF8);
    nl_schema_unref(s);
    s = tpch_schema(TPCH_REGION);
    assert_int_equal(s->fields[0].type->id, NL_TYPE_INT32);
    nl_schema_unref(s);
}

static void test_bad_arguments(void **state) {
    (void)state;
    nl_error err = {0};
    tpch_gen *g = (tpch_gen *)&err;
    assert_int_equal(tpch_gen_new(0, &g, &err), NL_EINVAL);
    assert_null(g);
    assert_int_equal(tpch_gen_new(-1, &g, &err), NL_EINVAL);
    assert_int_equal(tpch_gen_new(1e9, &g, &err), NL_EINVAL);
    assert_int_equal(tpch_gen_new(0.0001, &g, &err), NL_EINVAL); /* 1 supplier: too few */
    assert_non_null(strstr(err.message, "too small"));

    nl_batch *b = NULL;
    assert_int_equal(tpch_gen_batch(gen_001, TPCH_PART, 1999, 2, &b, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "part"));
    assert_int_equal(tpch_gen_batch(gen_001, TPCH_PART, -1, 1, &b, &err), NL_EINVAL);
    assert_int_equal(tpch_gen_batch(gen_001, TPCH_TABLE_COUNT, 0, 1, &b, &err), NL_EINVAL);
    assert_null(b);
    tpch_gen_free(NULL);
}

static void test_units(void **state) {
    (void)state;
    assert_int_equal(tpch_gen_units(gen_001, TPCH_REGION), 5);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_NATION), 25);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_SUPPLIER), 100);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_CUSTOMER), 1500);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_PART), 2000);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_PARTSUPP), 2000);
    assert_int_equal(tpch_gen_rows_estimate(gen_001, TPCH_PARTSUPP), 8000);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_ORDERS), 15000);
    assert_int_equal(tpch_gen_units(gen_001, TPCH_LINEITEM), 15000);
}

/* ---- known rows (dbgen, scale factor 0.01) ---- */

static char *batch_tbl(nl_batch *b) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    nl_error err = {0};
    assert_int_equal(tpch_write_tbl(f, b, &err), NL_OK);
    fclose(f);
    return text;
}

static void expect_rows(tpch_table t, int64_t start, int64_t count, const char *expected) {
    nl_batch *b = NULL;
    nl_error err = {0};
    assert_int_equal(tpch_gen_batch(gen_001, t, start, count, &b, &err), NL_OK);
    char *text = batch_tbl(b);
    assert_string_equal(text, expected);
    free(text);
    nl_batch_unref(b);
}

static void test_known_rows(void **state) {
    (void)state;
    expect_rows(TPCH_SUPPLIER, 2, 1,
                "3|Supplier#000000003|q1,G3Pj6OjIuUYfUoH18BFTKP5aU9bEV3|1|11-383-516-1199|"
                "4192.40|blithely silent requests after the express dependencies are sl|\n");
    expect_rows(TPCH_PART, 0, 1,
                "1|goldenrod lavender spring chocolate lace|Manufacturer#1|Brand#13|"
                "PROMO BURNISHED COPPER|7|JUMBO PKG|901.00|ly. slyly ironi|\n");
    expect_rows(TPCH_ORDERS, 2, 1,
                "3|1234|F|205654.30|1993-10-14|5-LOW|Clerk#000000955|0|"
                "sly final accounts boost. carefully regular ideas cajole carefully. depos|\n");
    expect_rows(TPCH_LINEITEM, 0, 1,
                "1|1552|93|1|17.00|24710.35|0.04|0.02|N|O|1996-03-13|1996-02-12|1996-03-22|"
                "DELIVER IN PERSON|TRUCK|egular courts above the|\n"
                "1|674|75|2|36.00|56688.12|0.09|0.06|N|O|1996-04-12|1996-02-28|1996-04-20|"
                "TAKE BACK RETURN|MAIL|ly final dependencies: slyly bold |\n"
                "1|637|38|3|8.00|12301.04|0.10|0.02|N|O|1996-01-29|1996-03-05|1996-01-31|"
                "TAKE BACK RETURN|REG AIR|riously. regular, express dep|\n"
                "1|22|48|4|28.00|25816.56|0.09|0.06|N|O|1996-04-21|1996-03-30|1996-05-16|"
                "NONE|AIR|lites. fluffily even de|\n"
                "1|241|23|5|24.00|27389.76|0.10|0.04|N|O|1996-03-30|1996-03-14|1996-04-01|"
                "NONE|FOB| pending foxes. slyly re|\n"
                "1|157|10|6|32.00|33828.80|0.07|0.02|N|O|1996-01-30|1996-02-07|1996-02-03|"
                "DELIVER IN PERSON|MAIL|arefully slyly ex|\n");
}

/* ---- whole tables: digests of dbgen's .tbl output ---- */

typedef struct digest_sink {
    XXH64_state_t *state;
    int64_t rows;
} digest_sink;

static nl_status digest_batch(void *ctx, nl_batch *batch, nl_error *err) {
    digest_sink *d = ctx;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) return NL_EIO;
    nl_status st = tpch_write_tbl(f, batch, err);
    fclose(f);
    XXH64_update(d->state, text, len);
    free(text);
    d->rows += batch->num_rows;
    return st;
}

typedef struct table_digest {
    tpch_table table;
    int64_t rows;
    unsigned long long xxh64;
} table_digest;

/* XXH64 (seed 0) of each table as dbgen writes it, '|'-terminated lines. */
static const table_digest DIGESTS_001[] = {
    {TPCH_REGION, 5, 0xa4d50f8c0268e7b3ULL},     {TPCH_NATION, 25, 0xf1f488706598e3d3ULL},
    {TPCH_SUPPLIER, 100, 0x24538d5ed561ba8aULL}, {TPCH_CUSTOMER, 1500, 0xf188ddf863dff549ULL},
    {TPCH_PART, 2000, 0x48b7019981877c69ULL},    {TPCH_PARTSUPP, 8000, 0x6bf574d2c6acbbf8ULL},
    {TPCH_ORDERS, 15000, 0x11a9a4329e02039eULL}, {TPCH_LINEITEM, 60175, 0x0d5e12760bc969e2ULL},
};
static const table_digest DIGESTS_01[] = {
    {TPCH_REGION, 5, 0xa4d50f8c0268e7b3ULL},      {TPCH_NATION, 25, 0xf1f488706598e3d3ULL},
    {TPCH_SUPPLIER, 1000, 0x3a8170d80019d579ULL}, {TPCH_CUSTOMER, 15000, 0x11843a4e2a673d08ULL},
    {TPCH_PART, 20000, 0x908736355af2aa44ULL},    {TPCH_PARTSUPP, 80000, 0x9f16fe6d3bf6059dULL},
    {TPCH_ORDERS, 150000, 0xc68b798b6fdb7edeULL}, {TPCH_LINEITEM, 600572, 0x0af4fcb48cf157c7ULL},
};

static void check_digests(tpch_gen *g, const table_digest *digests, int n, int64_t chunk) {
    for (int i = 0; i < n; i++) {
        digest_sink d = {XXH64_createState(), 0};
        XXH64_reset(d.state, 0);
        nl_error err = {0};
        nl_status st = tpch_gen_table(g, digests[i].table, NULL, chunk, digest_batch, &d, &err);
        if (st != NL_OK) fail_msg("%s", err.message);
        unsigned long long h = XXH64_digest(d.state);
        XXH64_freeState(d.state);
        if (d.rows != digests[i].rows || h != digests[i].xxh64)
            fail_msg("%s (chunks of %lld): %lld rows, digest %016llx; dbgen: %lld rows, %016llx",
                     tpch_table_name(digests[i].table), (long long)chunk, (long long)d.rows, h,
                     (long long)digests[i].rows, digests[i].xxh64);
    }
}

static void test_matches_dbgen_sf001(void **state) {
    (void)state;
    int n = (int)(sizeof DIGESTS_001 / sizeof DIGESTS_001[0]);
    check_digests(gen_001, DIGESTS_001, n, 0);
    /* odd chunk sizes exercise the skip-ahead at every kind of boundary */
    check_digests(gen_001, DIGESTS_001, n, 7);
    check_digests(gen_001, DIGESTS_001, n, 333);
}

/* Scale factor 0.1 takes a few seconds optimised, many more under the
 * sanitizers: the sanitizer build checks 0.01 only. */
#ifdef NDEBUG
#define SKIP_IF_SANITIZED()
#else
#define SKIP_IF_SANITIZED() skip()
#endif

static void test_matches_dbgen_sf01(void **state) {
    (void)state;
    SKIP_IF_SANITIZED();
    tpch_gen *g = NULL;
    nl_error err = {0};
    assert_int_equal(tpch_gen_new(0.1, &g, &err), NL_OK);
    check_digests(g, DIGESTS_01, (int)(sizeof DIGESTS_01 / sizeof DIGESTS_01[0]), 0);
    tpch_gen_free(g);
}

/* ---- against the reference Parquet files, value for value ---- */

/* All of a table's rows as one batch per column: concatenates `batches`. */
static nl_array *column_of(nl_batch *const *batches, int64_t n, int32_t col) {
    nl_array *parts[4096];
    assert_true(n > 0 && n <= 4096);
    for (int64_t i = 0; i < n; i++)
        parts[i] = batches[i]->columns[col];
    if (n == 1) return nl_array_ref(parts[0]);
    nl_array *out = NULL;
    nl_error err = {0};
    assert_int_equal(nl_array_concat(parts, (int32_t)n, &out, &err), NL_OK);
    return out;
}

/* Compares generated `table` with the reference table `ref` read from
 * Parquet: same column names, types and values. */
static void compare_tables(tpch_table t, const nl_table *ref, const nl_table *gen) {
    const char *name = tpch_table_name(t);
    if (ref->num_rows != gen->num_rows)
        fail_msg("%s: %lld rows, reference %lld", name, (long long)gen->num_rows,
                 (long long)ref->num_rows);
    assert_int_equal(ref->schema->n_fields, gen->schema->n_fields);
    for (int32_t c = 0; c < gen->schema->n_fields; c++) {
        const nl_field *gf = &gen->schema->fields[c], *rf = &ref->schema->fields[c];
        assert_string_equal(gf->name, rf->name);
        if (!nl_type_equals(gf->type, rf->type)) {
            char a[64], b[64];
            fail_msg("%s.%s: type %s, reference %s", name, gf->name,
                     nl_type_name(gf->type, a, sizeof a), nl_type_name(rf->type, b, sizeof b));
        }
        nl_array *g = column_of(gen->batches, gen->n_batches, c);
        nl_array *r = column_of(ref->batches, ref->n_batches, c);
        if (!nl_array_equals(g, r)) fail_msg("%s.%s: values differ from dbgen's", name, gf->name);
        nl_array_unref(g);
        nl_array_unref(r);
    }
}

static nl_status append_batch(void *ctx, nl_batch *batch, nl_error *err) {
    return nl_table_append(ctx, batch, err);
}

static nl_table *generate_all(tpch_gen *g, tpch_table t) {
    nl_table *table = nl_table_new(tpch_schema(t));
    assert_non_null(table);
    nl_error err = {0};
    if (tpch_gen_table(g, t, NULL, 0, append_batch, table, &err) != NL_OK)
        fail_msg("%s", err.message);
    return table;
}

static bool reference_dir(const char *sf, char *dir, size_t size) {
    const char *shared = getenv("NL_SHARED_DIR");
    if (shared == NULL) return false;
    snprintf(dir, size, "%s/testdata/tpch/sf%s", shared, sf);
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

static void compare_with_reference(tpch_gen *g, const char *dir) {
    for (int t = 0; t < TPCH_TABLE_COUNT; t++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.parquet", dir, tpch_table_name((tpch_table)t));
        pq_file *file = NULL;
        nl_table *ref = NULL;
        nl_error err = {0};
        if (pq_file_open_path(path, NULL, &file, &err) != NL_OK ||
            pq_read_table(file, &ref, &err) != NL_OK)
            fail_msg("%s: %s", path, err.message);
        pq_file_close(file);
        nl_table *gen = generate_all(g, (tpch_table)t);
        compare_tables((tpch_table)t, ref, gen);
        nl_table_free(gen);
        nl_table_free(ref);
    }
}

static void test_reference_parquet_sf001(void **state) {
    (void)state;
    char dir[4096];
    if (!reference_dir("0.01", dir, sizeof dir)) skip();
    compare_with_reference(gen_001, dir);
}

static void test_reference_parquet_sf01(void **state) {
    (void)state;
    SKIP_IF_SANITIZED();
    char dir[4096];
    if (!reference_dir("0.1", dir, sizeof dir)) skip();
    tpch_gen *g = NULL;
    nl_error err = {0};
    assert_int_equal(tpch_gen_new(0.1, &g, &err), NL_OK);
    compare_with_reference(g, dir);
    tpch_gen_free(g);
}

/* Generated tables survive a round trip through the Parquet writer and
 * reader with their types. */
static void test_parquet_round_trip(void **state) {
    (void)state;
    char dir[] = "/tmp/nl_tpchgen_XXXXXX";
    assert_non_null(mkdtemp(dir));
    nl_store *store = nl_store_local_new();
    assert_non_null(store);
    const tpch_table tables[] = {TPCH_NATION, TPCH_LINEITEM};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s.parquet", dir, tpch_table_name(tables[i]));
        nl_table *gen = generate_all(gen_001, tables[i]);
        nl_error err = {0};
        if (pq_write_table(store, path, gen, NULL, &err) != NL_OK) fail_msg("%s", err.message);
        pq_file *file = NULL;
        nl_table *back = NULL;
        if (pq_file_open_path(path, NULL, &file, &err) != NL_OK ||
            pq_read_table(file, &back, &err) != NL_OK)
            fail_msg("%s: %s", path, err.message);
        pq_file_close(file);
        compare_tables(tables[i], back, gen);
        nl_table_free(back);
        nl_table_free(gen);
        unlink(path);
    }
    nl_store_close(store);
    rmdir(dir);
}

/* ---- the .tbl format ---- */

static void test_tbl_format(void **state) {
    (void)state;
    nl_batch *b = NULL;
    nl_error err = {0};
    assert_int_equal(tpch_gen_batch(gen_001, TPCH_REGION, 0, 0, &b, &err), NL_OK);
    assert_int_equal(b->num_rows, 0);
    char *text = batch_tbl(b);
    assert_string_equal(text, "");
    free(text);
    nl_batch_unref(b);
    /* negative balances keep their sign and two digits */
    expect_rows(TPCH_CUSTOMER, 10, 1,
                "11|Customer#000000011|PkWS 3HlXqwTuzrKg633BEi|23|33-464-151-3439|-272.60|"
                "BUILDING|ckages. requests sleep slyly. quickly even pinto beans promise above "
                "the slyly regular pinto beans. |\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_sequence),
        cmocka_unit_test(test_rng_skip_matches_drawing),
        cmocka_unit_test(test_rng_row_budget),
        cmocka_unit_test(test_rng_ranges),
        cmocka_unit_test(test_dists_consistent),
        cmocka_unit_test(test_table_names),
        cmocka_unit_test(test_schema_types),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_known_rows),
        cmocka_unit_test(test_tbl_format),
        cmocka_unit_test(test_matches_dbgen_sf001),
        cmocka_unit_test(test_matches_dbgen_sf01),
        cmocka_unit_test(test_reference_parquet_sf001),
        cmocka_unit_test(test_reference_parquet_sf01),
        cmocka_unit_test(test_parquet_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
