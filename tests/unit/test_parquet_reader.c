/*
 * test_parquet_reader.c -- the reader's API on real files: projection,
 * row-group reads, streams split into batches, pruning by statistics (never
 * dropping a matching row group), the same file read through the in-memory
 * store, concurrent reads of one pq_file, and clean errors for bad arguments
 * and truncated files. Skips when NL_SHARED_DIR is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/threadpool.h"
#include "formats/parquet/reader.h"

static char g_lineitem[2048];

static int setup(void **state) {
    (void)state;
    const char *s = getenv("NL_SHARED_DIR");
    struct stat st;
    g_lineitem[0] = 0;
    if (s) {
        snprintf(g_lineitem, sizeof g_lineitem, "%s/testdata/tpch/sf0.1/lineitem.parquet", s);
        if (stat(g_lineitem, &st) != 0) g_lineitem[0] = 0;
    }
    return 0;
}

static pq_file *open_lineitem(void) {
    pq_file *f = NULL;
    nl_error err = {0};
    assert_int_equal(pq_file_open_path(g_lineitem, NULL, &f, &err), NL_OK);
    return f;
}

static void test_projection(void **state) {
    (void)state;
    if (!g_lineitem[0]) skip();
    pq_file *f = open_lineitem();
    const nl_schema *s = pq_file_schema(f);
    assert_int_equal(s->n_fields, 16);
    int32_t ship = nl_schema_find(s, "l_shipdate"), key = nl_schema_find(s, "l_orderkey");
    int32_t cols[2] = {ship, key};
    nl_batch *b = NULL;
    nl_error err = {0};
    assert_int_equal(pq_read_row_group(f, 0, cols, 2, &b, &err), NL_OK);
    assert_int_equal(b->n_columns, 2);
    assert_string_equal(b->schema->fields[0].name, "l_shipdate");
    assert_int_equal(b->columns[0]->type->id, NL_TYPE_DATE32);
    assert_int_equal(b->columns[1]->type->id, NL_TYPE_INT64);
    assert_int_equal(b->num_rows, pq_file_row_group_rows(f, 0));
    assert_int_equal(NL_ARRAY_VALUES(b->columns[1], int64_t)[0], 1);
    nl_batch_unref(b);
    /* Out-of-range row group and column. */
    assert_int_equal(pq_read_row_group(f, 999, NULL, -1, &b, &err), NL_EINVAL);
    int32_t bad = 99;
    assert_int_equal(pq_read_row_group(f, 0, &bad, 1, &b, &err), NL_EINVAL);
    pq_file_close(f);
}

static void test_stream_batches(void **state) {
    (void)state;
    if (!g_lineitem[0]) skip();
    pq_options o;
    pq_options_init(&o);
    o.batch_rows = 10000;
    pq_file *f = NULL;
    nl_error err = {0};
    assert_int_equal(pq_file_open_path(g_lineitem, &o, &f, &err), NL_OK);
    int32_t col = 0;
    nl_stream *s = NULL;
    assert_int_equal(pq_file_stream(f, NULL, -1, &col, 1, &s, &err), NL_OK);
    pq_file_close(f); /* the stream keeps the file alive */
    int64_t rows = 0, batches = 0, last_key = 0;
    bool sorted = true;
    for (;;) {
        nl_batch *b = NULL;
        assert_int_equal(nl_stream_next(s, &b, &err), NL_OK);
        if (!b) break;
        assert_true(b->num_rows <= 10000);
        const int64_t *k = NL_ARRAY_VALUES(b->columns[0], int64_t);
        for (int64_t i = 0; i < b->num_rows; i++) {
            sorted &= k[i] >= last_key;
            last_key = k[i];
        }
        rows += b->num_rows;
        batches++;
        nl_batch_unref(b);
    }
    nl_stream_free(s);
    assert_int_equal(rows, 600572);
    assert_true(batches >= 61);
    assert_true(sorted); /* batches come in file order */
}

static nl_filter_set *make_filter(const char *col, nl_filter_op op, nl_scalar v) {
    nl_filter_set *set = nl_calloc(1, sizeof *set);
    set->n = 1;
    set->ands = nl_calloc(1, sizeof *set->ands);
    set->ands[0].n = 1;
    set->ands[0].filters = nl_calloc(1, sizeof(nl_filter));
    set->ands[0].filters[0].column = nl_strdup(col);
    set->ands[0].filters[0].op = op;
    set->ands[0].filters[0].value = v;
    return set;
}

static void free_filter(nl_filter_set *set) {
    nl_filter_set_clear(set);
    nl_free(set);
}

static void test_pruning(void **state) {
    (void)state;
    if (!g_lineitem[0]) skip();
    pq_file *f = open_lineitem();
    int32_t n_rg = pq_file_num_row_groups(f);
    assert_true(n_rg > 1);
    /* l_orderkey is sorted: = 1 keeps only the first row group. */
    nl_filter_set *eq = make_filter("l_orderkey", NL_OP_EQ, nl_scalar_int64(1));
    int32_t *keep = NULL, n = 0;
    nl_error err = {0};
    assert_int_equal(pq_file_prune(f, eq, &keep, &n, &err), NL_OK);
    assert_int_equal(n, 1);
    assert_int_equal(keep[0], 0);
    nl_free(keep);
    free_filter(eq);
    /* > max keeps nothing; < min keeps nothing; a date filter keeps every group. */
    nl_filter_set *gt = make_filter("L_ORDERKEY", NL_OP_GT, nl_scalar_int64(100000000));
    assert_int_equal(pq_file_prune(f, gt, &keep, &n, &err), NL_OK);
    assert_int_equal(n, 0);
    nl_free(keep);
    free_filter(gt);
    nl_filter_set *dt = make_filter("l_shipdate", NL_OP_GE, nl_scalar_date(9000));
    assert_int_equal(pq_file_prune(f, dt, &keep, &n, &err), NL_OK);
    assert_int_equal(n, n_rg);
    nl_free(keep);
    free_filter(dt);
    /* Strings: no row has l_shipmode 'ZZZ' (above max), or 'AAA' (below min). */
    nl_filter_set *sm = make_filter("l_shipmode", NL_OP_EQ, nl_scalar_string("ZZZ", 3));
    assert_int_equal(pq_file_prune(f, sm, &keep, &n, &err), NL_OK);
    assert_int_equal(n, 0);
    nl_free(keep);
    free_filter(sm);
    /* Unknown columns and nulls never prune. */
    nl_filter_set *unk = make_filter("nope", NL_OP_EQ, nl_scalar_int64(1));
    assert_int_equal(pq_file_prune(f, unk, &keep, &n, &err), NL_OK);
    assert_int_equal(n, n_rg);
    nl_free(keep);
    free_filter(unk);
    nl_filter_set *isnull = make_filter("l_comment", NL_OP_IS_NULL, nl_scalar_null(nl_type_get(NL_TYPE_UTF8)));
    assert_int_equal(pq_file_prune(f, isnull, &keep, &n, &err), NL_OK);
    assert_int_equal(n, 0); /* null counts are 0 */
    nl_free(keep);
    free_filter(isnull);
    pq_file_close(f);
}

static void test_memory_store_and_truncation(void **state) {
    (void)state;
    if (!g_lineitem[0]) skip();
    const char *s = getenv("NL_SHARED_DIR");
    char path[2048];
    snprintf(path, sizeof path, "%s/testdata/tpch/sf0.01/nation.parquet", s);
    FILE *fp = fopen(path, "rb");
    if (!fp) skip();
    uint8_t buf[65536];
    size_t len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    nl_store *store = nl_store_memory_new();
    nl_error err = {0};
    assert_int_equal(nl_store_put(store, "memory://n.parquet", buf, (int64_t)len, &err), NL_OK);
    pq_file *f = NULL;
    assert_int_equal(pq_file_open(store, "memory://n.parquet", NULL, &f, &err), NL_OK);
    nl_table *t = NULL;
    assert_int_equal(pq_read_table(f, &t, &err), NL_OK);
    assert_int_equal(t->num_rows, 25);
    nl_table_free(t);
    pq_file_close(f);
    /* Every truncation is a clean error (or, never, a crash). */
    for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : 97)) {
        assert_int_equal(nl_store_put(store, "memory://cut.parquet", buf, (int64_t)cut, &err), NL_OK);
        f = NULL;
        nl_status st = pq_file_open(store, "memory://cut.parquet", NULL, &f, &err);
        if (st == NL_OK) {
            st = pq_read_table(f, &t, &err);
            if (st == NL_OK) nl_table_free(t);
            pq_file_close(f);
        }
        assert_int_not_equal(st, NL_OK);
        assert_non_null(strstr(err.message, "cut.parquet"));
    }
    nl_store_close(store);
}

typedef struct conc {
    pq_file *f;
    int failures;
} conc;

static void read_rg(void *ctx, int64_t i, int worker) {
    (void)worker;
    conc *c = ctx;
    nl_batch *b = NULL;
    nl_error err = {0};
    int32_t rg = (int32_t)(i % pq_file_num_row_groups(c->f));
    if (pq_read_row_group(c->f, rg, NULL, -1, &b, &err) != NL_OK) __atomic_add_fetch(&c->failures, 1, __ATOMIC_RELAXED);
    else nl_batch_unref(b);
}

static void test_concurrent_reads(void **state) {
    (void)state;
    if (!g_lineitem[0]) skip();
    pq_file *f = open_lineitem();
    conc c = {.f = f};
    nl_pool_parallel_for(nl_pool_default(), 8, read_rg, &c);
    assert_int_equal(c.failures, 0);
    pq_file_close(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_projection),
        cmocka_unit_test(test_stream_batches),
        cmocka_unit_test(test_pruning),
        cmocka_unit_test(test_memory_store_and_truncation),
        cmocka_unit_test(test_concurrent_reads),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
