/*
 * test_scalar.c -- scalars: constructors, copies, reading from arrays (nulls,
 * strings, lists), comparison across numeric and temporal types, SQL text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "columnar/builder.h"
#include "columnar/scalar.h"

static int cmp(nl_scalar a, nl_scalar b, bool *ok) {
    int c = nl_scalar_compare(&a, &b, ok);
    nl_scalar_clear(&a);
    nl_scalar_clear(&b);
    return c;
}

static void test_compare(void **state) {
    (void)state;
    bool ok;
    assert_int_equal(cmp(nl_scalar_int64(3), nl_scalar_double(2.5), &ok), 1);
    assert_true(ok);
    assert_int_equal(cmp(nl_scalar_int64(3), nl_scalar_decimal(300, 5, 2), &ok), 0);
    assert_int_equal(cmp(nl_scalar_decimal(1999, 6, 3), nl_scalar_decimal(200, 5, 2), &ok), -1);
    assert_int_equal(cmp(nl_scalar_decimal(-5, 3, 1), nl_scalar_double(-0.6), &ok), 1);
    nl_scalar u = nl_scalar_of(nl_type_get(NL_TYPE_UINT64), -1); /* UINT64_MAX */
    assert_int_equal(cmp(u, nl_scalar_int64(-1), &ok), 1);
    assert_int_equal(cmp(nl_scalar_double(NAN), nl_scalar_double(1), &ok), 1);
    assert_int_equal(cmp(nl_scalar_string("abc", 3), nl_scalar_string("abd", 3), &ok), -1);
    assert_int_equal(cmp(nl_scalar_string("ab", 2), nl_scalar_string("abc", 3), &ok), -1);
    assert_int_equal(cmp(nl_scalar_string("", 0), nl_scalar_string("", 0), &ok), 0);
    assert_int_equal(cmp(nl_scalar_bool(true), nl_scalar_bool(false), &ok), 1);
    /* 2024-01-02 vs 2024-01-01 23:00 (us) and vs the same instant in ns */
    assert_int_equal(cmp(nl_scalar_date(19724), nl_scalar_timestamp(19723LL * 86400000000LL + 82800000000LL,
                                                                    NL_UNIT_MICRO, NULL),
                         &ok),
                     1);
    assert_true(ok);
    assert_int_equal(cmp(nl_scalar_timestamp(1, NL_UNIT_SECOND, "UTC"),
                         nl_scalar_timestamp(1000000000, NL_UNIT_NANO, NULL), &ok),
                     0);
    cmp(nl_scalar_int64(1), nl_scalar_string("1", 1), &ok);
    assert_false(ok);
    cmp(nl_scalar_date(1), nl_scalar_int64(1), &ok);
    assert_false(ok);
    cmp(nl_scalar_null(nl_type_get(NL_TYPE_INT64)), nl_scalar_int64(1), &ok);
    assert_false(ok);
}

static void test_format(void **state) {
    (void)state;
    char buf[128];
    nl_scalar s = nl_scalar_string("it's", 4);
    assert_int_equal(nl_scalar_format(&s, true, buf, sizeof buf), 7);
    assert_string_equal(buf, "'it''s'");
    nl_scalar_format(&s, false, buf, sizeof buf);
    assert_string_equal(buf, "it's");
    char small[4];
    assert_int_equal(nl_scalar_format(&s, true, small, sizeof small), 7);
    assert_string_equal(small, "'it");
    nl_scalar c = nl_scalar_copy(&s);
    nl_scalar_clear(&s);
    assert_string_equal(c.v.str.ptr, "it's");
    nl_scalar_clear(&c);
    assert_null(c.type);

    nl_scalar d = nl_scalar_decimal(-12345, 10, 2);
    nl_scalar_format(&d, true, buf, sizeof buf);
    assert_string_equal(buf, "-123.45");
    nl_scalar_clear(&d);
    nl_scalar dt = nl_scalar_date(19723);
    nl_scalar_format(&dt, true, buf, sizeof buf);
    assert_string_equal(buf, "DATE '2024-01-01'");
    nl_scalar_format(&dt, false, buf, sizeof buf);
    assert_string_equal(buf, "2024-01-01");
    nl_scalar ts = nl_scalar_timestamp(1704067200000000LL, NL_UNIT_MICRO, "UTC");
    nl_scalar_format(&ts, false, buf, sizeof buf);
    assert_string_equal(buf, "2024-01-01 00:00:00");
    nl_scalar_clear(&ts);
    nl_scalar n = nl_scalar_null(nl_type_get(NL_TYPE_UTF8));
    nl_scalar_format(&n, true, buf, sizeof buf);
    assert_string_equal(buf, "NULL");
    nl_scalar f = nl_scalar_double(10);
    nl_scalar_format(&f, true, buf, sizeof buf);
    assert_string_equal(buf, "10.0");
    nl_scalar b = nl_scalar_of(nl_type_get(NL_TYPE_BOOL), 5);
    assert_true(b.v.b);
    nl_scalar_format(&b, true, buf, sizeof buf);
    assert_string_equal(buf, "true");
    nl_scalar i = nl_scalar_of(nl_type_get(NL_TYPE_INT16), -3);
    nl_scalar_format(&i, true, buf, sizeof buf);
    assert_string_equal(buf, "-3");
    nl_scalar bad = nl_scalar_decimal(1, 40, 2);
    assert_true(bad.is_null);
    nl_scalar_clear(&bad);
}

static void test_from_array(void **state) {
    (void)state;
    nl_error err = {0};
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 0);
    nl_builder_append_string(b, "hello", 5);
    nl_builder_append_null(b);
    nl_array *a = NULL;
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    nl_scalar s;
    assert_int_equal(nl_scalar_from_array(a, 0, &s, &err), NL_OK);
    assert_false(s.is_null);
    assert_string_equal(s.v.str.ptr, "hello");
    nl_scalar_clear(&s);
    assert_int_equal(nl_scalar_from_array(a, 1, &s, &err), NL_OK);
    assert_true(s.is_null);
    assert_int_equal(s.type->id, NL_TYPE_UTF8);
    nl_scalar_clear(&s);
    assert_int_equal(nl_scalar_from_array(a, 2, &s, &err), NL_EINVAL);
    nl_array_unref(a);

    nl_type *lt = nl_type_list(nl_type_get(NL_TYPE_INT32), true);
    b = nl_builder_new(lt, 0);
    nl_builder_list_begin(b);
    nl_builder_append_int(nl_builder_child(b, 0), 4);
    nl_builder_append_null(nl_builder_child(b, 0));
    nl_builder_list_end(b);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    assert_int_equal(nl_scalar_from_array(a, 0, &s, &err), NL_OK);
    assert_int_equal(s.v.list->length, 2);
    char buf[64];
    nl_scalar_format(&s, true, buf, sizeof buf);
    assert_string_equal(buf, "[4, NULL]");
    nl_scalar c = nl_scalar_copy(&s);
    nl_scalar_clear(&s);
    assert_int_equal(c.v.list->length, 2);
    nl_scalar_clear(&c);
    nl_array_unref(a);
    nl_type_unref(lt);

    nl_type *dt = nl_type_decimal(20, 4);
    b = nl_builder_new(dt, 0);
    nl_builder_append_decimal(b, 123456);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    assert_int_equal(nl_scalar_from_array(a, 0, &s, &err), NL_OK);
    assert_true(s.v.dec == 123456);
    assert_int_equal(s.type->scale, 4);
    nl_scalar_format(&s, false, buf, sizeof buf);
    assert_string_equal(buf, "12.3456");
    nl_scalar_clear(&s);
    nl_array_unref(a);
    nl_type_unref(dt);

    nl_field f[1] = {{"x", nl_type_get(NL_TYPE_INT8), true}};
    nl_type *st = nl_type_struct(f, 1);
    assert_int_equal(nl_array_new_nulls(st, 1, &a, &err), NL_OK);
    assert_int_equal(nl_scalar_from_array(a, 0, &s, &err), NL_ENOTSUP);
    nl_array_unref(a);
    nl_type_unref(st);

    b = nl_builder_new(nl_type_get(NL_TYPE_UINT8), 0);
    nl_builder_append_uint(b, 250);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    assert_int_equal(nl_scalar_from_array(a, 0, &s, &err), NL_OK);
    assert_true(s.v.u == 250);
    nl_scalar_clear(&s);
    nl_array_unref(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_from_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
