/*
 * test_catalog_types.c -- the small parsers of declarations: type names
 * (Polars' and SQL's), ${VAR} expansion in URIs, and the CSV and NDJSON
 * readers on garbage (errors, never crashes: run under the sanitizers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/tables.h"
#include "formats/csv/csv.h"
#include "formats/ndjson/ndjson.h"

static void type_is(const char *name, const char *want) {
    nl_type *t = NULL;
    nl_error err = {0};
    if (cat_type_parse(name, &t, &err) != NL_OK) fail_msg("%s: %s", name, err.message);
    char buf[64];
    nl_type_polars_name(t, buf, sizeof buf);
    if (strcmp(buf, want) != 0) fail_msg("%s: expected %s, got %s", name, want, buf);
    nl_type_unref(t);
}

static void test_type_names(void **state) {
    (void)state;
    type_is("i64", "i64");
    type_is("BIGINT", "i64");
    type_is("integer", "i32");
    type_is("u8", "u8");
    type_is("f32", "f32");
    type_is("DOUBLE", "f64");
    type_is("str", "str");
    type_is("VARCHAR", "str");
    type_is("bool", "bool");
    type_is("date", "date");
    type_is("binary", "binary");
    type_is("decimal(15,2)", "decimal[15,2]");
    type_is("DECIMAL(15, 2)", "decimal[15,2]");
    type_is("list[str]", "list[str]");
    type_is("list<i64>", "list[i64]");
    type_is("list[list[f64]]", "list[list[f64]]");
    nl_type *t = NULL;
    nl_error err = {0};
    assert_int_equal(cat_type_parse("datetime[ns, UTC]", &t, &err), NL_OK);
    assert_int_equal(t->id, NL_TYPE_TIMESTAMP);
    assert_int_equal(t->unit, NL_UNIT_NANO);
    assert_string_equal(t->timezone, "UTC");
    nl_type_unref(t);
    assert_int_equal(cat_type_parse("timestamp", &t, &err), NL_OK);
    assert_int_equal(t->unit, NL_UNIT_MICRO);
    assert_null(t->timezone);
    nl_type_unref(t);
    const char *bad[] = {"", "int99", "decimal(0,1)", "decimal(5,6)", "list[", "list[nope]",
                         "datetime[parsecs]", "decimal(x)"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (cat_type_parse(bad[i], &t, &err) == NL_OK) fail_msg("'%s' parsed", bad[i]);
        assert_int_equal(err.code, NL_ETYPE);
    }
}

static void test_uri_variables(void **state) {
    (void)state;
    setenv("NL_TEST_LAKE", "s3://bucket/lake", 1);
    unsetenv("NL_TEST_UNSET");
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    const nl_table_def defs[] = {
        {.kind = NL_TABLE_PARQUET, .name = "a", .uri = "${NL_TEST_LAKE}/a.parquet"},
        {.kind = NL_TABLE_PARQUET, .name = "b", .uri = "${NL_TEST_UNSET:-data}/b.parquet"},
        {.kind = NL_TABLE_PARQUET, .name = "c", .uri = "${NL_TEST_LAKE:-data}/c/${NL_TEST_UNSET}x"},
        {0},
    };
    assert_int_equal(nl_catalog_add_database(cat, "db", defs, &err), NL_OK);
    assert_string_equal(nl_catalog_table(cat, 0, 0)->uri, "s3://bucket/lake/a.parquet");
    assert_string_equal(nl_catalog_table(cat, 0, 1)->uri, "data/b.parquet");
    assert_string_equal(nl_catalog_table(cat, 0, 2)->uri, "s3://bucket/lake/c/x");
    const nl_table_def bad[] = {{.kind = NL_TABLE_PARQUET, .name = "d", .uri = "${OOPS/x"}, {0}};
    assert_int_equal(nl_catalog_add_database(cat, "db", bad, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "unterminated ${"));
    nl_catalog_free(cat);
}

static uint32_t rng = 12345;
static uint32_t next(void) {
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static void test_garbage_never_crashes(void **state) {
    (void)state;
    static const char alphabet[] = "a1,\"\n\r;{}[]:.-eE \t\\x";
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t n = next() % sizeof buf;
        for (size_t i = 0; i < n; i++) buf[i] = alphabet[next() % (sizeof alphabet - 1)];
        if (round % 7 == 0 && n > 0) buf[next() % n] = (char)(next() & 0xff);
        nl_table *t = NULL;
        nl_error err = {0};
        csv_options o;
        csv_options_init(&o);
        o.header = round % 2 == 0;
        if (csv_read(buf, n, &o, NULL, "fuzz.csv", &t, &err) == NL_OK) {
            assert_non_null(t);
            nl_table_free(t);
        } else {
            assert_null(t);
            assert_true(err.message[0] != '\0');
        }
        t = NULL;
        if (ndjson_read(buf, n, NULL, "fuzz.ndjson", &t, &err) == NL_OK) nl_table_free(t);
        else assert_null(t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_uri_variables),
        cmocka_unit_test(test_garbage_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
