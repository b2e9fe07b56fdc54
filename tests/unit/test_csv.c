/*
 * test_csv.c -- the CSV reader (quoting, line ends, inference, overrides,
 * nulls, errors with lines) and CSV tables in a catalog: a glob of files,
 * .gz and .zst input, declared types, no header, delimiters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "catalog/tables.h"
#include "columnar/arrow_c.h"
#include "formats/csv/csv.h"

static nl_table *parse(const char *text, const csv_options *o, const nl_schema *types) {
    nl_table *t = NULL;
    nl_error err = {0};
    if (csv_read(text, strlen(text), o, types, "test.csv", &t, &err) != NL_OK)
        fail_msg("csv_read: %s", err.message);
    return t;
}

static nl_array *col(nl_table *t, int c) { return t->batches[0]->columns[c]; }

static void str_is(const nl_array *a, int64_t i, const char *want) {
    int32_t len;
    const char *s = nl_array_str(a, i, &len);
    if ((size_t)len != strlen(want) || memcmp(s, want, (size_t)len) != 0)
        fail_msg("row %lld: expected '%s', got '%.*s'", (long long)i, want, len, s);
}

static void test_quoting_and_inference(void **state) {
    (void)state;
    const char *text = "id,name,price,ok,day,at\r\n"
                       "1,\"Smith, John\",1.5,true,2024-01-02,2024-01-02 03:04:05\r\n"
                       "2,\"say \"\"hi\"\"\",2,false,2024-02-03,2024-01-02T00:00:00\r\n"
                       "3,\"two\nlines\",,,,\r\n"
                       "\n";
    nl_table *t = parse(text, NULL, NULL);
    assert_int_equal(t->num_rows, 3);
    assert_int_equal(t->schema->n_fields, 6);
    assert_int_equal(t->schema->fields[0].type->id, NL_TYPE_INT64);
    assert_int_equal(t->schema->fields[1].type->id, NL_TYPE_UTF8);
    assert_int_equal(t->schema->fields[2].type->id, NL_TYPE_FLOAT64);
    assert_int_equal(t->schema->fields[3].type->id, NL_TYPE_BOOL);
    assert_int_equal(t->schema->fields[4].type->id, NL_TYPE_DATE32);
    assert_int_equal(t->schema->fields[5].type->id, NL_TYPE_TIMESTAMP);
    str_is(col(t, 1), 0, "Smith, John");
    str_is(col(t, 1), 1, "say \"hi\"");
    str_is(col(t, 1), 2, "two\nlines");
    assert_true(NL_ARRAY_VALUES(col(t, 2), double)[1] == 2.0);
    assert_int_equal(col(t, 2)->null_count, 1);
    assert_int_equal(col(t, 3)->null_count, 1);
    nl_table_free(t);
}

static void test_options_and_overrides(void **state) {
    (void)state;
    csv_options o;
    csv_options_init(&o);
    o.delimiter = ';';
    o.header = false;
    const char *const names[] = {"code", "amount", NULL};
    o.names = names;
    nl_field f[1] = {{"code", nl_type_get(NL_TYPE_UTF8), true}};
    nl_schema *types = nl_schema_new(f, 1);
    nl_table *t = parse("007;12.50\n010;NA\n", &o, types);
    assert_string_equal(t->schema->fields[0].name, "code");
    assert_int_equal(t->schema->fields[0].type->id, NL_TYPE_UTF8); /* kept as text: "007" */
    str_is(col(t, 0), 0, "007");
    /* "NA" is not a null by default: the column is text. */
    assert_int_equal(t->schema->fields[1].type->id, NL_TYPE_UTF8);
    nl_table_free(t);
    const char *const nulls[] = {"NA", NULL};
    o.null_values = nulls;
    t = parse("007;12.50\n010;NA\n", &o, types);
    assert_int_equal(t->schema->fields[1].type->id, NL_TYPE_FLOAT64);
    assert_int_equal(col(t, 1)->null_count, 1);
    nl_table_free(t);
    nl_schema_unref(types);
    /* A decimal override. */
    nl_field g[1] = {{"amount", nl_type_decimal(10, 2), true}};
    types = nl_schema_new(g, 1);
    csv_options_init(&o);
    t = parse("amount\n12.5\n-0.01\n", &o, types);
    assert_true(nl_array_decimal(col(t, 0), 0) == 1250);
    assert_true(nl_array_decimal(col(t, 0), 1) == -1);
    nl_table_free(t);
    nl_schema_unref(types);
    /* Header only: no rows, string columns. */
    t = parse("a,b\n", NULL, NULL);
    assert_int_equal(t->num_rows, 0);
    assert_int_equal(t->schema->n_fields, 2);
    nl_table_free(t);
}

static void expect_error(const char *text, int64_t infer, nl_status code, const char *needle) {
    csv_options o;
    csv_options_init(&o);
    o.infer_rows = infer;
    nl_table *t = NULL;
    nl_error err = {0};
    nl_status st = csv_read(text, strlen(text), &o, NULL, "bad.csv", &t, &err);
    if (st != code || !strstr(err.message, needle))
        fail_msg("expected %d '%s', got %d: %s", code, needle, st, err.message);
    assert_null(t);
}

static void test_errors(void **state) {
    (void)state;
    expect_error("a,b\n1,2\n3\n", 1000, NL_ECORRUPT, "bad.csv: line 3 has 1 fields, expected 2");
    expect_error("a\n\"open\n", 1000, NL_ECORRUPT, "line 2: unterminated quoted field");
    expect_error("a\n\"x\"y\n", 1000, NL_ECORRUPT, "unexpected 'y' after a closing quote");
    expect_error("a\n1\n2\nx\n", 2, NL_ETYPE, "bad.csv: line 4, column 'a': 'x' is not a valid BIGINT");
}

/* ---- CSV tables ---- */

static char dir[64];

static void write_file(const char *name, const char *data, size_t len, int how) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (how == 1) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, data, (unsigned)len);
        gzclose(g);
        return;
    }
    FILE *f = fopen(path, "wb");
    if (how == 2) {
        size_t cap = ZSTD_compressBound(len);
        void *buf = malloc(cap);
        size_t n = ZSTD_compress(buf, cap, data, len, 3);
        fwrite(buf, 1, n, f);
        free(buf);
    } else {
        fwrite(data, 1, len, f);
    }
    fclose(f);
}

static nl_table *scan(nl_catalog *cat, const char *name, const nl_filter_term *filters) {
    struct ArrowArrayStream s;
    nl_error err = {0};
    if (nl_catalog_scan(cat, name, NULL, filters, -1, &s, &err) != NL_OK) fail_msg("%s", err.message);
    nl_stream *in = NULL;
    assert_int_equal(nl_stream_import(&s, &in, &err), NL_OK);
    nl_table *t = NULL;
    if (nl_stream_collect(in, &t, &err) != NL_OK) fail_msg("%s", err.message);
    return t;
}

static void test_csv_tables(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/nl_csv_XXXXXX");
    assert_non_null(mkdtemp(dir));
    const char *a = "id,city,when\n1,Paris,2024-01-01\n2,Oslo,2024-01-02\n";
    const char *b = "id,city,when\n3,Rome,2024-02-01\n";
    const char *c = "id,city,when\n4,Lima,2024-03-01\n5,Kyiv,2024-03-02\n";
    write_file("a.csv", a, strlen(a), 0);
    write_file("b.csv.gz", b, strlen(b), 1);
    write_file("c.csv.zst", c, strlen(c), 2);
    write_file("notes.md", "ignore me", 9, 0);
    char uri_dir[128], uri_glob[128], uri_one[128], uri_tsv[128];
    snprintf(uri_dir, sizeof uri_dir, "%s", dir);
    snprintf(uri_glob, sizeof uri_glob, "%s/*.csv*", dir);
    snprintf(uri_one, sizeof uri_one, "%s/b.csv.gz", dir);
    snprintf(uri_tsv, sizeof uri_tsv, "%s/x.dat", dir);
    write_file("x.dat", "7\tseven\n8\teight\n", 16, 0);
    const nl_table_def defs[] = {
        {.kind = NL_TABLE_CSV, .name = "cities", .uri = uri_dir,
         .columns = (const nl_column_def[]){{"id", "i32", "declared narrower"}, {0}}},
        {.kind = NL_TABLE_CSV, .name = "globbed", .uri = uri_glob},
        {.kind = NL_TABLE_CSV, .name = "one", .uri = uri_one},
        {.kind = NL_TABLE_CSV,
         .name = "tsv",
         .uri = uri_tsv,
         .csv = {.delimiter = '\t', .no_header = true},
         .columns = (const nl_column_def[]){{"n", "i64", NULL}, {"word", "str", NULL}, {0}}},
        {.kind = NL_TABLE_CSV, .name = "missing", .uri = "/nonexistent/nl/x.csv"},
        {0},
    };
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    if (nl_catalog_add_database(cat, "files", defs, &err) != NL_OK) fail_msg("%s", err.message);

    nl_table *t = scan(cat, "cities", NULL);
    assert_int_equal(t->num_rows, 5); /* notes.md is not a data file */
    assert_int_equal(t->schema->fields[0].type->id, NL_TYPE_INT32);
    assert_int_equal(t->schema->fields[2].type->id, NL_TYPE_DATE32);
    nl_table_free(t);
    t = scan(cat, "globbed", (const nl_filter_term[]){{"when", ">=", NL_STR("2024-02-01")}, {0}});
    assert_int_equal(t->num_rows, 3);
    nl_table_free(t);
    t = scan(cat, "one", NULL);
    assert_int_equal(t->num_rows, 1);
    nl_table_free(t);
    t = scan(cat, "tsv", (const nl_filter_term[]){{"word", "=", NL_STR("eight")}, {0}});
    assert_int_equal(t->num_rows, 1);
    assert_int_equal(NL_ARRAY_VALUES(t->batches[0]->columns[0], int64_t)[0], 8);
    nl_table_free(t);
    struct ArrowArrayStream s;
    assert_int_equal(nl_catalog_scan(cat, "missing", NULL, NULL, -1, &s, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "table 'files.missing'"));
    nl_catalog_free(cat);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_and_inference),
        cmocka_unit_test(test_options_and_overrides),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_csv_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
