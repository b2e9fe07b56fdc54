/*
 * test_type.c -- types, fields and schemas: singletons, constructors and their
 * bad parameters, equality, SQL and Polars names, schema look-ups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "columnar/type.h"

static void test_singletons(void **state) {
    (void)state;
    nl_type *t = nl_type_get(NL_TYPE_INT64);
    assert_non_null(t);
    assert_int_equal(t->id, NL_TYPE_INT64);
    assert_ptr_equal(nl_type_get(NL_TYPE_INT64), t);
    assert_ptr_equal(nl_type_ref(t), t); /* no-op on singletons */
    nl_type_unref(t);
    nl_type_unref(t);
    assert_int_equal(nl_type_get(NL_TYPE_INT64)->id, NL_TYPE_INT64);
    assert_null(nl_type_get(NL_TYPE_DECIMAL128));
    assert_null(nl_type_get(NL_TYPE_TIMESTAMP));
    assert_null(nl_type_get(NL_TYPE_LIST));
    assert_null(nl_type_get(NL_TYPE_COUNT_));
    assert_null(nl_type_get((nl_type_id)-1));
    assert_non_null(nl_type_get(NL_TYPE_DATE32));
    assert_non_null(nl_type_get(NL_TYPE_NULL));
}

static void test_bad_parameters(void **state) {
    (void)state;
    assert_null(nl_type_decimal(0, 0));
    assert_null(nl_type_decimal(39, 2));
    assert_null(nl_type_decimal(5, 6));
    assert_null(nl_type_decimal(5, -1));
    assert_null(nl_type_time64(NL_UNIT_SECOND));
    assert_null(nl_type_timestamp((nl_time_unit)9, NULL));
    assert_null(nl_type_duration((nl_time_unit)-1));
    assert_null(nl_type_list(NULL, true));
    nl_type *d = nl_type_decimal(38, 38);
    assert_non_null(d);
    nl_type_unref(d);
}

static const char *pname(nl_type *t, char *buf) {
    nl_type_polars_name(t, buf, 64);
    nl_type_unref(t);
    return buf;
}

static const char *sname(nl_type *t, char *buf) {
    nl_type_name(t, buf, 128);
    nl_type_unref(t);
    return buf;
}

static void test_polars_names(void **state) {
    (void)state;
    char b[64];
    assert_string_equal(pname(nl_type_get(NL_TYPE_INT64), b), "i64");
    assert_string_equal(pname(nl_type_get(NL_TYPE_UINT32), b), "u32");
    assert_string_equal(pname(nl_type_get(NL_TYPE_FLOAT64), b), "f64");
    assert_string_equal(pname(nl_type_get(NL_TYPE_FLOAT32), b), "f32");
    assert_string_equal(pname(nl_type_get(NL_TYPE_UTF8), b), "str");
    assert_string_equal(pname(nl_type_get(NL_TYPE_BOOL), b), "bool");
    assert_string_equal(pname(nl_type_get(NL_TYPE_DATE32), b), "date");
    assert_string_equal(pname(nl_type_get(NL_TYPE_BINARY), b), "binary");
    assert_string_equal(pname(nl_type_get(NL_TYPE_NULL), b), "null");
    assert_string_equal(pname(nl_type_get(NL_TYPE_INT8), b), "i8");
    assert_string_equal(pname(nl_type_timestamp(NL_UNIT_MICRO, NULL), b), "datetime[μs]");
    assert_string_equal(pname(nl_type_timestamp(NL_UNIT_MICRO, "UTC"), b), "datetime[μs, UTC]");
    assert_string_equal(pname(nl_type_timestamp(NL_UNIT_NANO, "Europe/Paris"), b),
                        "datetime[ns, Europe/Paris]");
    assert_string_equal(pname(nl_type_decimal(15, 2), b), "decimal[15,2]");
    assert_string_equal(pname(nl_type_list(nl_type_get(NL_TYPE_INT64), true), b), "list[i64]");
    assert_string_equal(
        pname(nl_type_list(nl_type_list(nl_type_get(NL_TYPE_UTF8), true), true), b),
        "list[list[str]]");
    nl_field f[2] = {{"a", nl_type_get(NL_TYPE_INT64), true}, {"b", nl_type_get(NL_TYPE_UTF8), true}};
    assert_string_equal(pname(nl_type_struct(f, 2), b), "struct[2]");
    assert_string_equal(pname(nl_type_time64(NL_UNIT_NANO), b), "time");
    assert_string_equal(pname(nl_type_duration(NL_UNIT_MILLI), b), "duration[ms]");
    assert_string_equal(pname(nl_type_duration(NL_UNIT_MICRO), b), "duration[μs]");
}

static void test_sql_names(void **state) {
    (void)state;
    char b[128];
    assert_string_equal(sname(nl_type_get(NL_TYPE_INT64), b), "BIGINT");
    assert_string_equal(sname(nl_type_get(NL_TYPE_UTF8), b), "VARCHAR");
    assert_string_equal(sname(nl_type_decimal(15, 2), b), "DECIMAL(15,2)");
    assert_string_equal(sname(nl_type_timestamp(NL_UNIT_MICRO, "UTC"), b), "TIMESTAMP(us, UTC)");
    assert_string_equal(sname(nl_type_timestamp(NL_UNIT_NANO, NULL), b), "TIMESTAMP(ns)");
    assert_string_equal(sname(nl_type_list(nl_type_get(NL_TYPE_INT64), true), b), "LIST<BIGINT>");
    nl_field f[2] = {{"x", nl_type_get(NL_TYPE_INT32), true}, {"y", nl_type_get(NL_TYPE_FLOAT64), true}};
    assert_string_equal(sname(nl_type_struct(f, 2), b), "STRUCT<x: INTEGER, y: DOUBLE>");
    /* a small buffer truncates, NUL-terminated */
    char small[6];
    nl_type *d = nl_type_decimal(15, 2);
    assert_string_equal(nl_type_name(d, small, sizeof small), "DECIM");
    assert_string_equal(nl_type_polars_name(d, small, sizeof small), "decim");
    nl_type_unref(d);
}

static void test_equality(void **state) {
    (void)state;
    nl_type *a = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
    nl_type *b = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
    nl_type *c = nl_type_timestamp(NL_UNIT_MICRO, NULL);
    nl_type *d = nl_type_timestamp(NL_UNIT_NANO, "UTC");
    assert_true(nl_type_equals(a, b));
    assert_false(nl_type_equals(a, c));
    assert_false(nl_type_equals(c, a));
    assert_false(nl_type_equals(a, d));
    nl_type_unref(a), nl_type_unref(b), nl_type_unref(c), nl_type_unref(d);

    nl_type *l1 = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_type *l2 = nl_type_list(nl_type_get(NL_TYPE_INT64), false);
    nl_type *l3 = nl_type_list(nl_type_get(NL_TYPE_INT32), true);
    assert_true(nl_type_equals(l1, l2)); /* nullability is not part of the type */
    assert_false(nl_type_equals(l1, l3));
    nl_type_unref(l1), nl_type_unref(l2), nl_type_unref(l3);

    nl_field f1[2] = {{"a", nl_type_get(NL_TYPE_INT64), true}, {"b", nl_type_get(NL_TYPE_UTF8), true}};
    nl_field f2[2] = {{"a", nl_type_get(NL_TYPE_INT64), true}, {"c", nl_type_get(NL_TYPE_UTF8), true}};
    nl_type *s1 = nl_type_struct(f1, 2), *s2 = nl_type_struct(f2, 2), *s3 = nl_type_struct(f1, 1);
    assert_false(nl_type_equals(s1, s2));
    assert_false(nl_type_equals(s1, s3));
    assert_true(nl_type_equals(s1, s1));
    assert_string_equal(s1->children[1].name, "b");
    nl_type_unref(s1), nl_type_unref(s2), nl_type_unref(s3);

    nl_type *d1 = nl_type_decimal(10, 2), *d2 = nl_type_decimal(10, 3);
    assert_false(nl_type_equals(d1, d2));
    assert_false(nl_type_equals(d1, NULL));
    assert_false(nl_type_equals(nl_type_get(NL_TYPE_INT32), nl_type_get(NL_TYPE_UINT32)));
    nl_type_unref(d1), nl_type_unref(d2);
}

static void test_refcounts(void **state) {
    (void)state;
    nl_type *item = nl_type_decimal(9, 3);
    nl_type *list = nl_type_list(nl_type_ref(item), true);
    assert_ptr_equal(list->children[0].type, item);
    nl_type_unref(item);
    nl_type *again = nl_type_ref(list);
    nl_type_unref(list);
    assert_int_equal(again->children[0].type->scale, 3);
    nl_type_unref(again); /* frees both; ASan would see a leak or a double free */
    nl_type_unref(NULL);
}

static void test_widths(void **state) {
    (void)state;
    assert_int_equal(nl_type_byte_width(NL_TYPE_BOOL), 0);
    assert_int_equal(nl_type_byte_width(NL_TYPE_INT16), 2);
    assert_int_equal(nl_type_byte_width(NL_TYPE_DATE32), 4);
    assert_int_equal(nl_type_byte_width(NL_TYPE_TIMESTAMP), 8);
    assert_int_equal(nl_type_byte_width(NL_TYPE_DECIMAL128), 16);
    assert_int_equal(nl_type_byte_width(NL_TYPE_UTF8), -1);
    assert_int_equal(nl_type_byte_width(NL_TYPE_STRUCT), -1);
    assert_true(nl_type_is_integer(NL_TYPE_UINT8));
    assert_false(nl_type_is_signed_integer(NL_TYPE_UINT8));
    assert_true(nl_type_is_numeric(NL_TYPE_DECIMAL128));
    assert_false(nl_type_is_numeric(NL_TYPE_DATE32));
    assert_true(nl_type_is_string_like(NL_TYPE_BINARY));
    assert_true(nl_type_is_nested(NL_TYPE_LIST));
    assert_true(nl_type_is_floating(NL_TYPE_FLOAT32));
    assert_string_equal(nl_time_unit_name(NL_UNIT_NANO), "ns");
}

static void test_fields_and_schemas(void **state) {
    (void)state;
    nl_error err = {0};
    nl_field f;
    assert_int_equal(nl_field_init(&f, "Amount", nl_type_decimal(12, 2), true, &err), NL_OK);
    nl_field g;
    assert_int_equal(nl_field_copy(&g, &f, &err), NL_OK);
    assert_string_equal(g.name, "Amount");
    assert_ptr_equal(g.type, f.type);
    nl_field_clear(&g);
    assert_null(g.name);

    nl_field fields[4] = {{"id", nl_type_get(NL_TYPE_INT64), false},
                          {"Name", nl_type_get(NL_TYPE_UTF8), true},
                          {"name", nl_type_get(NL_TYPE_UTF8), true},
                          {f.name, nl_type_ref(f.type), true}};
    nl_schema *s = nl_schema_new(fields, 4);
    nl_field_clear(&f);
    assert_non_null(s);
    assert_int_equal(s->n_fields, 4);
    assert_int_equal(nl_schema_find(s, "id"), 0);
    assert_int_equal(nl_schema_find(s, "ID"), -1);
    assert_int_equal(nl_schema_find_ci(s, "ID"), 0);
    assert_int_equal(nl_schema_find_ci(s, "NAME"), -2);  /* Name and name */
    assert_int_equal(nl_schema_find_ci(s, "name"), 2);   /* an exact match wins */
    assert_int_equal(nl_schema_find_ci(s, "amount"), 3);
    assert_int_equal(nl_schema_find_ci(s, "missing"), -1);
    assert_int_equal(nl_schema_find(s, "missing"), -1);

    nl_field same[4] = {{"id", nl_type_get(NL_TYPE_INT64), true},
                        {"Name", nl_type_get(NL_TYPE_UTF8), true},
                        {"name", nl_type_get(NL_TYPE_UTF8), true},
                        {"Amount", nl_type_decimal(12, 2), true}};
    nl_schema *t = nl_schema_new(same, 4);
    assert_true(nl_schema_equals(s, t));
    nl_schema *u = nl_schema_new(same, 0);
    assert_non_null(u);
    assert_false(nl_schema_equals(s, u));
    nl_schema_unref(u);
    nl_schema_unref(t);
    assert_ptr_equal(nl_schema_ref(s), s);
    nl_schema_unref(s);
    nl_schema_unref(s);
    nl_schema_unref(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singletons),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_polars_names),
        cmocka_unit_test(test_sql_names),
        cmocka_unit_test(test_equality),
        cmocka_unit_test(test_refcounts),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_fields_and_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
