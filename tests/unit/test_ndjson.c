/*
 * test_ndjson.c -- the NDJSON reader (key order, type inference, lists,
 * objects and mixed values as JSON text, overrides, errors with lines) and
 * NDJSON tables in a catalog, compressed input included.
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
#include <zlib.h>

#include "catalog/tables.h"
#include "columnar/arrow_c.h"
#include "formats/ndjson/ndjson.h"

static void str_is(const nl_array *a, int64_t i, const char *want) {
    int32_t len;
    const char *s = nl_array_str(a, i, &len);
    if ((size_t)len != strlen(want) || memcmp(s, want, (size_t)len) != 0)
        fail_msg("row %lld: expected '%s', got '%.*s'", (long long)i, want, len, s);
}

static void test_inference(void **state) {
    (void)state;
    const char *text = "{\"id\": 1, \"name\": \"a\", \"score\": 1, \"tags\": [\"x\", \"y\"], \"meta\": {\"k\": 1}}\n"
                       "\n"
                       "{\"id\": 2, \"score\": 2.5, \"tags\": [], \"ok\": true, \"mixed\": 1}\r\n"
                       "{\"name\": null, \"id\": 3, \"mixed\": \"two\", \"tags\": null}\n";
    nl_table *t = NULL;
    nl_error err = {0};
    assert_int_equal(ndjson_read(text, strlen(text), NULL, "t.ndjson", &t, &err), NL_OK);
    assert_int_equal(t->num_rows, 3);
    const nl_schema *s = t->schema;
    assert_int_equal(s->n_fields, 7);
    assert_string_equal(s->fields[0].name, "id");
    assert_int_equal(s->fields[0].type->id, NL_TYPE_INT64);
    assert_int_equal(s->fields[1].type->id, NL_TYPE_UTF8);
    assert_int_equal(s->fields[2].type->id, NL_TYPE_FLOAT64); /* 1 and 2.5 */
    assert_int_equal(s->fields[3].type->id, NL_TYPE_LIST);
    assert_int_equal(s->fields[3].type->children[0].type->id, NL_TYPE_UTF8);
    assert_int_equal(s->fields[4].type->id, NL_TYPE_UTF8); /* objects as JSON text */
    assert_string_equal(s->fields[5].name, "ok");
    assert_int_equal(s->fields[5].type->id, NL_TYPE_BOOL);
    assert_int_equal(s->fields[6].type->id, NL_TYPE_UTF8); /* 1 and "two" */
    nl_batch *b = t->batches[0];
    str_is(b->columns[4], 0, "{\"k\":1}");
    str_is(b->columns[6], 1, "1");
    str_is(b->columns[6], 2, "two");
    assert_int_equal(b->columns[1]->null_count, 2); /* missing and null */
    assert_int_equal(b->columns[3]->null_count, 1);
    nl_table_free(t);

    /* Overrides: strings into dates and decimals. */
    nl_field f[2] = {{"d", nl_type_get(NL_TYPE_DATE32), true}, {"m", nl_type_decimal(9, 2), true}};
    nl_schema *types = nl_schema_new(f, 2);
    const char *t2 = "{\"d\": \"2024-03-01\", \"m\": \"1.25\"}\n{\"d\": \"1970-01-02\", \"m\": 3}\n";
    assert_int_equal(ndjson_read(t2, strlen(t2), types, "t2", &t, &err), NL_OK);
    assert_int_equal(NL_ARRAY_VALUES(t->batches[0]->columns[0], int32_t)[1], 1);
    assert_true(nl_array_decimal(t->batches[0]->columns[1], 1) == 300);
    nl_table_free(t);
    nl_schema_unref(types);
}

static void test_errors(void **state) {
    (void)state;
    nl_table *t = NULL;
    nl_error err = {0};
    const char *bad = "{\"a\": 1}\n{\"a\": \n";
    assert_int_equal(ndjson_read(bad, strlen(bad), NULL, "bad.ndjson", &t, &err), NL_ECORRUPT);
    assert_non_null(strstr(err.message, "bad.ndjson: line 2: bad JSON"));
    const char *arr = "[1, 2]\n";
    assert_int_equal(ndjson_read(arr, strlen(arr), NULL, "arr", &t, &err), NL_ECORRUPT);
    assert_non_null(strstr(err.message, "line 1: expected a JSON object"));
    nl_field f[1] = {{"a", nl_type_get(NL_TYPE_INT64), true}};
    nl_schema *types = nl_schema_new(f, 1);
    const char *s = "{\"a\": 1}\n{\"a\": true}\n";
    assert_int_equal(ndjson_read(s, strlen(s), types, "s", &t, &err), NL_ETYPE);
    assert_non_null(strstr(err.message, "s: line 2, column 'a': a JSON boolean is not a BIGINT"));
    nl_schema_unref(types);
    assert_null(t);
}

static void test_ndjson_table(void **state) {
    (void)state;
    char dir[] = "/tmp/nl_ndjson_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/events.ndjson.gz", dir);
    gzFile g = gzopen(path, "wb");
    const char *rows = "{\"user\": \"ann\", \"n\": 3, \"tags\": [\"a\", \"b\"]}\n"
                       "{\"user\": \"bob\", \"n\": 5, \"tags\": [\"b\"]}\n"
                       "{\"user\": \"cid\", \"n\": 7, \"tags\": [\"c\"]}\n";
    gzwrite(g, rows, (unsigned)strlen(rows));
    gzclose(g);
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    const nl_table_def defs[] = {{.kind = NL_TABLE_NDJSON, .name = "events", .uri = dir}, {0}};
    assert_int_equal(nl_catalog_add_database(cat, "logs", defs, &err), NL_OK);
    struct ArrowArrayStream s;
    assert_int_equal(nl_catalog_scan(cat, "logs.events", (const char *[]){"user", NULL},
                                     (const nl_filter_term[]){{"tags", "includes", NL_STR("b")},
                                                              {"n", ">", NL_INT(3)},
                                                              {0}},
                                     -1, &s, &err),
                     NL_OK);
    nl_stream *in = NULL;
    assert_int_equal(nl_stream_import(&s, &in, &err), NL_OK);
    nl_table *t = NULL;
    assert_int_equal(nl_stream_collect(in, &t, &err), NL_OK);
    assert_int_equal(t->num_rows, 1);
    str_is(t->batches[0]->columns[0], 0, "bob");
    nl_table_free(t);
    nl_catalog_free(cat);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inference),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ndjson_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
