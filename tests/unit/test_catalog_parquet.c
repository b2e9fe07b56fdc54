/*
 * test_catalog_parquet.c -- Parquet tables: one file, a glob, hive and plain
 * directory partitioning with typed partition columns, partition pruning
 * proved by counting the files a scan opens, row-group pruning, columns
 * missing from some files, and computed columns over Parquet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"
#include "formats/parquet/writer.h"

static char root[64];

/* Writes rows [first, first + n) of (id i64, amount f64) to path, in row
 * groups of rg_rows. */
static void write_part(const char *rel, int64_t first, int64_t n, int64_t rg_rows) {
    int64_t *ids = malloc(sizeof(int64_t) * (size_t)n);
    double *amounts = malloc(sizeof(double) * (size_t)n);
    for (int64_t i = 0; i < n; i++) {
        ids[i] = first + i;
        amounts[i] = (double)(first + i) * 0.5;
    }
    const nl_column_data cols[] = {{"id", "i64", ids, NULL}, {"amount", "f64", amounts, NULL}, {0}};
    nl_table *t = NULL;
    nl_error err = {0};
    assert_int_equal(cat_columns_table(cols, n, &t, &err), NL_OK);
    char uri[256];
    snprintf(uri, sizeof uri, "%s/%s", root, rel);
    nl_store *store = NULL;
    assert_int_equal(nl_store_open(uri, &store, &err), NL_OK);
    pq_write_options o;
    pq_write_options_init(&o);
    o.row_group_rows = rg_rows;
    if (pq_write_table(store, uri, t, &o, &err) != NL_OK) fail_msg("write %s: %s", uri, err.message);
    nl_store_close(store);
    nl_table_free(t);
    free(ids);
    free(amounts);
}

static int setup(void **state) {
    (void)state;
    snprintf(root, sizeof root, "/tmp/nl_pqt_XXXXXX");
    if (!mkdtemp(root)) return -1;
    /* hive/year=Y/month=M/part-0.parquet: 10 rows each, ids by (year, month). */
    int64_t id = 0;
    for (int y = 2022; y <= 2024; y++)
        for (int m = 1; m <= 3; m++) {
            char rel[128];
            snprintf(rel, sizeof rel, "hive/year=%d/month=%d/part-0.parquet", y, m);
            write_part(rel, id, 10, 1 << 20);
            id += 10;
        }
    /* The same layout without names: plain/Y/M/data.parquet. */
    write_part("plain/2023/1/data.parquet", 0, 4, 1 << 20);
    write_part("plain/2023/2/data.parquet", 4, 4, 1 << 20);
    write_part("plain/2024/1/data.parquet", 8, 4, 1 << 20);
    /* One file with many row groups. */
    write_part("big.parquet", 0, 1000, 100);
    /* Files a glob picks. */
    write_part("glob/a-1.parquet", 0, 3, 1 << 20);
    write_part("glob/a-2.parquet", 3, 3, 1 << 20);
    write_part("glob/b-1.parquet", 6, 3, 1 << 20);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

static nl_table *scan(nl_catalog *cat, const char *name, const char *const *cols,
                      const nl_filter_term *filters) {
    struct ArrowArrayStream s;
    nl_error err = {0};
    if (nl_catalog_scan(cat, name, cols, filters, -1, &s, &err) != NL_OK) fail_msg("%s", err.message);
    nl_stream *in = NULL;
    assert_int_equal(nl_stream_import(&s, &in, &err), NL_OK);
    nl_table *t = NULL;
    if (nl_stream_collect(in, &t, &err) != NL_OK) fail_msg("%s", err.message);
    return t;
}

static int64_t opened(nl_catalog *cat, const char *name) {
    nl_provider *p = NULL;
    nl_error err = {0};
    assert_int_equal(nl_catalog_lookup_name(cat, name, &p, &err), NL_OK);
    return cat_parquet_files_opened(p);
}

static nl_catalog *make(void) {
    static char hive[128], hive2[128], plain[128], big[128], glob[128];
    snprintf(hive, sizeof hive, "%s/hive", root);
    snprintf(hive2, sizeof hive2, "%s/hive/", root);
    snprintf(plain, sizeof plain, "%s/plain", root);
    snprintf(big, sizeof big, "%s/big.parquet", root);
    snprintf(glob, sizeof glob, "%s/glob/a-*.parquet", root);
    const nl_table_def defs[] = {
        {
            .kind = NL_TABLE_PARQUET,
            .name = "sales",
            .uri = hive,
            .partitioning = NL_PARTITION_HIVE,
            .partition_columns = (const nl_column_def[]){{"year", "i32", "calendar year"},
                                                         {"month", "i64", NULL},
                                                         {0}},
            .columns = (const nl_column_def[]){{"id", "i64", NULL}, {"amount", "f64", NULL}, {0}},
        },
        {
            /* Nothing declared: the schema comes from a file, the partition
             * columns from the paths (as strings). */
            .kind = NL_TABLE_PARQUET,
            .name = "sales_discovered",
            .uri = hive2,
            .partitioning = NL_PARTITION_HIVE,
        },
        {
            .kind = NL_TABLE_PARQUET,
            .name = "plain",
            .uri = plain,
            .partitioning = NL_PARTITION_DIRECTORY,
            .partition_columns = (const nl_column_def[]){{"year", "i64", NULL}, {"month", "i64", NULL}, {0}},
            .columns = (const nl_column_def[]){{"id", "i64", NULL}, {"amount", "f64", NULL}, {0}},
        },
        {
            .kind = NL_TABLE_PARQUET,
            .name = "big",
            .uri = big,
            .extra_columns = (const nl_extra_column[]){
                {.name = "source", .type = "str", .value = NL_STR("big")}, {0}},
        },
        {.kind = NL_TABLE_PARQUET, .name = "globbed", .uri = glob},
        {0},
    };
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    if (nl_catalog_add_database(cat, "lake", defs, &err) != NL_OK) fail_msg("%s", err.message);
    return cat;
}

static void test_hive_pruning_counts_files(void **state) {
    (void)state;
    nl_catalog *cat = make();
    assert_int_equal(opened(cat, "lake.sales"), 0); /* declared: nothing opened yet */
    nl_table *t = scan(cat, "lake.sales", NULL, NULL);
    assert_int_equal(t->num_rows, 90);
    assert_int_equal(t->schema->n_fields, 4);
    assert_string_equal(t->schema->fields[2].name, "year");
    assert_int_equal(t->schema->fields[2].type->id, NL_TYPE_INT32);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 9);

    /* year = 2024: the listing is narrowed to year=2024/, three files opened. */
    t = scan(cat, "lake.sales", (const char *[]){"id", "month", NULL},
             (const nl_filter_term[]){{"year", "=", NL_INT(2024)}, {0}});
    assert_int_equal(t->num_rows, 30);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 9 + 3);

    /* year = 2023 AND month >= 2: narrowed, then pruned: two files. */
    t = scan(cat, "lake.sales", NULL,
             (const nl_filter_term[]){{"year", "=", NL_INT(2023)}, {"month", ">=", NL_INT(2)}, {0}});
    assert_int_equal(t->num_rows, 20);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 12 + 2);

    /* A non-leading partition filter prunes without narrowing: month = 3 in
     * every year, three files. OR of conjunctions: both prefixes. */
    t = scan(cat, "lake.sales", NULL, (const nl_filter_term[]){{"month", "=", NL_INT(3)}, {0}});
    assert_int_equal(t->num_rows, 30);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 14 + 3);
    t = scan(cat, "lake.sales", NULL,
             (const nl_filter_term[]){{"year", "=", NL_INT(2022)}, {"month", "=", NL_INT(1)},
                                      NL_OR,
                                      {"year", "=", NL_INT(2024)}, {"month", "in", NL_LIST(NL_INT(2), NL_INT(3))},
                                      {0}});
    assert_int_equal(t->num_rows, 30);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 17 + 3);

    /* No match at all: no file opened. */
    t = scan(cat, "lake.sales", NULL, (const nl_filter_term[]){{"year", "=", NL_INT(1999)}, {0}});
    assert_int_equal(t->num_rows, 0);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales"), 20);

    /* A filter on data columns reads every file but returns the right rows. */
    t = scan(cat, "lake.sales", (const char *[]){"id", NULL},
             (const nl_filter_term[]){{"id", ">=", NL_INT(85)}, {0}});
    assert_int_equal(t->num_rows, 5);
    nl_table_free(t);
    nl_catalog_free(cat);
}

static void test_discovered_and_plain(void **state) {
    (void)state;
    nl_catalog *cat = make();
    nl_table *t = scan(cat, "lake.sales_discovered", NULL,
                       (const nl_filter_term[]){{"year", "=", NL_STR("2022")}, {"month", "=", NL_STR("2")}, {0}});
    assert_int_equal(t->num_rows, 10);
    assert_int_equal(t->schema->n_fields, 4);
    assert_int_equal(t->schema->fields[2].type->id, NL_TYPE_UTF8);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.sales_discovered"), 1 + 1); /* the schema, then one file */

    t = scan(cat, "lake.plain", (const char *[]){"id", "year", "month", NULL},
             (const nl_filter_term[]){{"year", "=", NL_INT(2023)}, {0}});
    assert_int_equal(t->num_rows, 8);
    assert_int_equal(NL_ARRAY_VALUES(t->batches[0]->columns[1], int64_t)[0], 2023);
    nl_table_free(t);
    assert_int_equal(opened(cat, "lake.plain"), 2);
    nl_catalog_free(cat);
}

static void test_row_groups_glob_extras(void **state) {
    (void)state;
    nl_catalog *cat = make();
    nl_table *t = scan(cat, "lake.big", (const char *[]){"id", "source", NULL},
                       (const nl_filter_term[]){{"id", ">=", NL_INT(950)}, {0}});
    assert_int_equal(t->num_rows, 50);
    int32_t len;
    const char *s = nl_array_str(t->batches[0]->columns[1], 0, &len);
    assert_memory_equal(s, "big", 3);
    nl_table_free(t);
    /* Row groups are the parts of a scan, and statistics prune them. */
    nl_provider *p = NULL;
    nl_error err = {0};
    assert_int_equal(nl_catalog_lookup_name(cat, "lake.big", &p, &err), NL_OK);
    void *plan = NULL;
    int64_t n_parts = -1;
    assert_int_equal(p->vt->scan_plan(p, NULL, &plan, &n_parts, &err), NL_OK);
    assert_int_equal(n_parts, 10);
    p->vt->scan_free(p, plan);
    nl_filter_set set;
    assert_int_equal(cat_filter_bind((const nl_filter_term[]){{"id", ">=", NL_INT(950)}, {0}},
                                     p->schema, &set, &err),
                     NL_OK);
    nl_scan_request req = {.columns = NULL, .n_columns = -1, .filters = &set, .limit = -1};
    assert_int_equal(p->vt->scan_plan(p, &req, &plan, &n_parts, &err), NL_OK);
    assert_int_equal(n_parts, 1);
    p->vt->scan_free(p, plan);
    nl_filter_set_clear(&set);
    nl_scan_request lim = {.columns = NULL, .n_columns = -1, .filters = NULL, .limit = 150};
    assert_int_equal(p->vt->scan_plan(p, &lim, &plan, &n_parts, &err), NL_OK);
    assert_int_equal(n_parts, 2); /* 100 rows per row group */
    p->vt->scan_free(p, plan);
    nl_provider_stats stats;
    assert_int_equal(p->vt->stats(p, &stats, &err), NL_OK);
    assert_int_equal(stats.num_rows, 1000);
    assert_true(stats.total_bytes > 0);
    t = scan(cat, "lake.globbed", NULL, NULL);
    assert_int_equal(t->num_rows, 6); /* a-1 and a-2, not b-1 */
    nl_table_free(t);
    nl_catalog_free(cat);
}

static int64_t count_rows(nl_provider *p) {
    nl_stream *s = NULL;
    nl_error err = {0};
    if (nl_provider_scan(p, NULL, &s, &err) != NL_OK) fail_msg("%s", err.message);
    nl_table *t = NULL;
    assert_int_equal(nl_stream_collect(s, &t, &err), NL_OK);
    int64_t n = t->num_rows;
    nl_table_free(t);
    return n;
}

static void test_open_uri(void **state) {
    (void)state;
    char uri[128];
    snprintf(uri, sizeof uri, "%s/hive", root);
    nl_provider *p = NULL;
    nl_error err = {0};
    assert_int_equal(nl_catalog_open_uri(NL_TABLE_PARQUET, uri, NULL, true, &p, &err), NL_OK);
    assert_int_equal(p->schema->n_fields, 4); /* id, amount, year, month */
    assert_string_equal(p->vt->kind, "parquet");
    assert_int_equal(count_rows(p), 90);
    p->vt->free(p);
    snprintf(uri, sizeof uri, "%s/glob/*.parquet", root);
    assert_int_equal(nl_catalog_open_uri(NL_TABLE_PARQUET, uri, NULL, false, &p, &err), NL_OK);
    assert_int_equal(count_rows(p), 9);
    p->vt->free(p);
    assert_int_equal(nl_catalog_open_uri(NL_TABLE_PARQUET, "/nonexistent/x.parquet", NULL, false, &p, &err),
                     NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "reading '/nonexistent/x.parquet'"));
}

/* The filters agree with DuckDB on TPC-H lineitem (dates, decimals, strings,
 * an OR of ANDs): 2603 rows, checked with DuckDB's SQL. */
static void test_tpch_filter_matches_duckdb(void **state) {
    (void)state;
    const char *shared = getenv("NL_SHARED_DIR");
    char uri[512];
    if (!shared) skip();
    snprintf(uri, sizeof uri, "%s/testdata/tpch/sf0.01/lineitem.parquet", shared);
    if (access(uri, R_OK) != 0) skip();
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    const nl_table_def defs[] = {{.kind = NL_TABLE_PARQUET, .name = "lineitem", .uri = uri}, {0}};
    assert_int_equal(nl_catalog_add_database(cat, "tpch", defs, &err), NL_OK);
    nl_table *t = scan(cat, "lineitem", (const char *[]){"l_orderkey", NULL},
                       (const nl_filter_term[]){{"l_shipdate", ">=", NL_STR("1998-01-01")},
                                                {"l_quantity", "<", NL_INT(10)},
                                                NL_OR,
                                                {"l_returnflag", "in", NL_LIST(NL_STR("A"))},
                                                {"l_discount", "=", NL_STR("0.05")},
                                                {0}});
    assert_int_equal(t->num_rows, 2603);
    nl_table_free(t);
    nl_catalog_free(cat);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hive_pruning_counts_files),
        cmocka_unit_test(test_discovered_and_plain),
        cmocka_unit_test(test_row_groups_glob_extras),
        cmocka_unit_test(test_open_uri),
        cmocka_unit_test(test_tpch_filter_matches_duckdb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
