/*
 * test_builder.c -- builders of every type: nulls, bit-packed booleans across
 * byte boundaries, strings, decimals, temporal values, nested lists and
 * structs, append_from, reuse after finish, and the remembered errors (wrong
 * type, mismatched struct fields, out of memory) reported by finish.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "columnar/builder.h"

static nl_array *finish(nl_builder *b) {
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    assert_non_null(a);
    return a;
}

static void test_ints_and_nulls(void **state) {
    (void)state;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_INT16), 2);
    for (int i = 0; i < 1000; i++) {
        if (i % 7 == 0) nl_builder_append_null(b);
        else nl_builder_append_int(b, i - 500);
    }
    assert_int_equal(nl_builder_length(b), 1000);
    assert_int_equal(nl_builder_type(b)->id, NL_TYPE_INT16);
    nl_array *a = finish(b);
    assert_int_equal(a->length, 1000);
    assert_int_equal(a->null_count, 143);
    for (int i = 0; i < 1000; i++) {
        if (i % 7 == 0) assert_true(nl_array_is_null(a, i));
        else assert_int_equal(NL_ARRAY_VALUES(a, int16_t)[i], i - 500);
    }
    nl_array_unref(a);
    /* the builder is reusable, and empty after finish */
    assert_int_equal(nl_builder_length(b), 0);
    nl_builder_append_int(b, 5);
    a = finish(b);
    assert_int_equal(a->length, 1);
    assert_null(a->validity);
    assert_int_equal(NL_ARRAY_VALUES(a, int16_t)[0], 5);
    nl_array_unref(a);
    a = finish(b);
    assert_int_equal(a->length, 0);
    nl_array_unref(a);
    nl_builder_free(b);
    nl_builder_free(NULL);
}

static void test_every_fixed_type(void **state) {
    (void)state;
    nl_builder *u = nl_builder_new(nl_type_get(NL_TYPE_UINT64), 0);
    nl_builder_append_uint(u, UINT64_MAX);
    nl_builder_append_nulls(u, 3);
    nl_array *a = finish(u);
    assert_int_equal(a->null_count, 3);
    assert_true(NL_ARRAY_VALUES(a, uint64_t)[0] == UINT64_MAX);
    nl_array_unref(a);
    nl_builder_free(u);

    nl_builder *f = nl_builder_new(nl_type_get(NL_TYPE_FLOAT32), 0);
    nl_builder_append_double(f, 1.5);
    nl_builder_append_int(f, 3);
    a = finish(f);
    assert_true(NL_ARRAY_VALUES(a, float)[0] == 1.5f);
    assert_true(NL_ARRAY_VALUES(a, float)[1] == 3.0f);
    nl_array_unref(a);
    nl_builder_free(f);

    nl_type *dt = nl_type_decimal(38, 4);
    nl_builder *d = nl_builder_new(dt, 0);
    __int128 big = (__int128)INT64_MAX * 1000000;
    nl_builder_append_decimal(d, big);
    nl_builder_append_decimal(d, -big);
    nl_builder_append_null(d);
    a = finish(d);
    assert_true(nl_array_decimal(a, 0) == big);
    assert_true(nl_array_decimal(a, 1) == -big);
    assert_true(nl_array_is_null(a, 2));
    nl_array_unref(a);
    nl_builder_free(d);
    nl_type_unref(dt);

    nl_type *ts = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
    nl_builder *t = nl_builder_new(ts, 0);
    nl_builder_append_int(t, -1);
    nl_builder_append_int(t, INT64_MAX);
    a = finish(t);
    assert_true(nl_type_equals(a->type, ts));
    assert_int_equal(NL_ARRAY_VALUES(a, int64_t)[0], -1);
    assert_int_equal(NL_ARRAY_VALUES(a, int64_t)[1], INT64_MAX);
    nl_array_unref(a);
    nl_builder_free(t);
    nl_type_unref(ts);

    nl_builder *date = nl_builder_new(nl_type_get(NL_TYPE_DATE32), 0);
    nl_builder_append_int(date, 19723);
    a = finish(date);
    assert_int_equal(NL_ARRAY_VALUES(a, int32_t)[0], 19723);
    nl_array_unref(a);
    nl_builder_free(date);

    nl_builder *nb = nl_builder_new(nl_type_get(NL_TYPE_NULL), 0);
    nl_builder_append_nulls(nb, 4);
    a = finish(nb);
    assert_int_equal(a->length, 4);
    assert_int_equal(a->null_count, 4);
    nl_array_unref(a);
    nl_builder_free(nb);
}

static void test_bools_bit_packed(void **state) {
    (void)state;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_BOOL), 0);
    for (int i = 0; i < 77; i++) {
        if (i == 40) nl_builder_append_null(b);
        else nl_builder_append_bool(b, (i * 5) % 3 == 1);
    }
    nl_array *a = finish(b);
    assert_int_equal(a->length, 77);
    assert_int_equal(a->null_count, 1);
    assert_int_equal(a->values->size, 10);
    for (int i = 0; i < 77; i++) {
        if (i == 40) assert_true(nl_array_is_null(a, i));
        else assert_int_equal(nl_array_bool(a, i), (i * 5) % 3 == 1);
    }
    nl_array_unref(a);
    nl_builder_free(b);
}

static void test_strings(void **state) {
    (void)state;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 1);
    char buf[32];
    for (int i = 0; i < 300; i++) {
        int n = snprintf(buf, sizeof buf, "value-%d", i);
        if (i % 10 == 3) nl_builder_append_null(b);
        else nl_builder_append_string(b, buf, n);
    }
    nl_builder_append_string(b, "", 0);
    nl_builder_append_string(b, NULL, 0);
    nl_array *a = finish(b);
    assert_int_equal(a->length, 302);
    assert_int_equal(a->null_count, 30);
    int32_t len;
    const char *s = nl_array_str(a, 299, &len);
    assert_int_equal(len, 9);
    assert_memory_equal(s, "value-299", 9);
    nl_array_str(a, 300, &len);
    assert_int_equal(len, 0);
    assert_true(nl_array_is_null(a, 13));
    nl_array_unref(a);
    nl_builder_free(b);

    nl_builder *bin = nl_builder_new(nl_type_get(NL_TYPE_BINARY), 0);
    nl_builder_append_string(bin, "\0\1\2", 3);
    a = finish(bin);
    s = nl_array_str(a, 0, &len);
    assert_int_equal(len, 3);
    assert_int_equal(s[2], 2);
    nl_array_unref(a);
    nl_builder_free(bin);
}

static void test_lists_and_structs(void **state) {
    (void)state;
    /* list<list<str>>: [["a"], []], null, [null] */
    nl_type *inner = nl_type_list(nl_type_get(NL_TYPE_UTF8), true);
    nl_type *outer = nl_type_list(inner, true);
    nl_builder *b = nl_builder_new(outer, 0);
    nl_builder *mid = nl_builder_child(b, 0);
    nl_builder *leaf = nl_builder_child(mid, 0);
    assert_null(nl_builder_child(b, 1));
    nl_builder_list_begin(b);
    nl_builder_list_begin(mid);
    nl_builder_append_string(leaf, "a", 1);
    nl_builder_list_end(mid);
    nl_builder_list_begin(mid);
    nl_builder_list_end(mid);
    nl_builder_list_end(b);
    nl_builder_append_null(b);
    nl_builder_list_begin(b);
    nl_builder_append_null(mid);
    nl_builder_list_end(b);
    nl_array *a = finish(b);
    assert_int_equal(a->length, 3);
    assert_int_equal(a->null_count, 1);
    int64_t s, e;
    nl_array_list_range(a, 0, &s, &e);
    assert_int_equal(e - s, 2);
    nl_array_list_range(a, 2, &s, &e);
    assert_int_equal(e - s, 1);
    assert_true(nl_array_is_null(a->children[0], s));
    assert_int_equal(a->children[0]->children[0]->length, 1);

    /* append_from copies nested values, nulls included */
    nl_builder *copy = nl_builder_new(outer, 0);
    for (int64_t i = 2; i >= 0; i--) nl_builder_append_from(copy, a, i);
    nl_array *c = finish(copy);
    int64_t rev[3] = {2, 1, 0};
    nl_array *want = NULL;
    nl_error err = {0};
    assert_int_equal(nl_array_take(a, rev, 3, &want, &err), NL_OK);
    assert_true(nl_array_equals(c, want));
    nl_array_unref(want);
    nl_array_unref(c);
    nl_builder_free(copy);
    nl_array_unref(a);
    nl_builder_free(b);
    nl_type_unref(outer);

    /* struct {x: i32, tags: list<i64>} with a null row */
    nl_field f[2] = {{"x", nl_type_get(NL_TYPE_INT32), true},
                     {"tags", nl_type_list(nl_type_get(NL_TYPE_INT64), true), true}};
    nl_type *st = nl_type_struct(f, 2);
    b = nl_builder_new(st, 0);
    for (int i = 0; i < 5; i++) {
        if (i == 3) {
            nl_builder_append_null(b);
            continue;
        }
        nl_builder_append_int(nl_builder_child(b, 0), i);
        nl_builder *tags = nl_builder_child(b, 1);
        nl_builder_list_begin(tags);
        for (int k = 0; k < i; k++) nl_builder_append_int(nl_builder_child(tags, 0), k);
        nl_builder_list_end(tags);
        nl_builder_struct_append(b, true);
    }
    a = finish(b);
    assert_int_equal(a->length, 5);
    assert_int_equal(a->null_count, 1);
    assert_true(nl_array_is_null(a, 3));
    assert_int_equal(NL_ARRAY_VALUES(a->children[0], int32_t)[4], 4);
    nl_array_list_range(a->children[1], 4, &s, &e);
    assert_int_equal(e - s, 4);

    copy = nl_builder_new(st, 0);
    nl_array *sl = nl_array_slice(a, 2, 3);
    for (int64_t i = 0; i < 3; i++) nl_builder_append_from(copy, sl, i);
    c = finish(copy);
    assert_true(nl_array_equals(c, sl));
    nl_array_unref(c);
    nl_array_unref(sl);
    nl_builder_free(copy);
    nl_array_unref(a);
    nl_builder_free(b);
    nl_type_unref(st);
}

static void test_errors_reported_at_finish(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *a = NULL;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_INT32), 0);
    nl_builder_append_int(b, 1);
    nl_builder_append_string(b, "x", 1);
    nl_builder_append_int(b, 2);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_ETYPE);
    assert_null(a);
    assert_non_null(strstr(err.message, "INTEGER"));
    /* the builder is clean again */
    nl_builder_append_int(b, 9);
    a = finish(b);
    assert_int_equal(a->length, 1);
    nl_array_unref(a);
    nl_builder_append_bool(b, true);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_ETYPE);
    nl_builder_append_decimal(b, 1);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_ETYPE);
    nl_builder_list_begin(b);
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_ETYPE);
    nl_builder_free(b);

    nl_builder *s = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 0);
    nl_builder_append_int(s, 1);
    assert_int_equal(nl_builder_finish(s, &a, &err), NL_ETYPE);
    nl_builder_append_string(s, "x", -4);
    assert_int_equal(nl_builder_finish(s, &a, &err), NL_EINVAL);
    nl_builder_free(s);

    /* a struct row whose fields were not all appended */
    nl_field f[2] = {{"a", nl_type_get(NL_TYPE_INT32), true}, {"b", nl_type_get(NL_TYPE_INT32), true}};
    nl_type *st = nl_type_struct(f, 2);
    nl_builder *sb = nl_builder_new(st, 0);
    nl_builder_append_int(nl_builder_child(sb, 0), 1);
    nl_builder_struct_append(sb, true);
    assert_int_equal(nl_builder_finish(sb, &a, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "'b'"));
    /* fields appended without struct rows */
    nl_builder_append_int(nl_builder_child(sb, 0), 1);
    nl_builder_append_int(nl_builder_child(sb, 1), 1);
    assert_int_equal(nl_builder_finish(sb, &a, &err), NL_EINVAL);
    /* an error inside a child surfaces at the parent's finish */
    nl_builder_append_string(nl_builder_child(sb, 1), "x", 1);
    assert_int_equal(nl_builder_finish(sb, &a, &err), NL_ETYPE);
    nl_builder_free(sb);
    nl_type_unref(st);

    nl_builder *sb2 = nl_builder_new(nl_type_get(NL_TYPE_INT8), 0);
    nl_builder_struct_append(sb2, true);
    assert_int_equal(nl_builder_finish(sb2, &a, &err), NL_ETYPE);
    nl_builder_free(sb2);
    assert_null(nl_builder_new(NULL, 0));
}

static void test_out_of_memory(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *a = NULL;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_INT64), 0);
    nl_memory_set_limit(nl_memory_in_use() + 4096);
    for (int i = 0; i < 100000; i++) nl_builder_append_int(b, i);
    nl_status st = nl_builder_finish(b, &a, &err);
    nl_memory_set_limit(0);
    assert_int_equal(st, NL_ENOMEM);
    assert_null(a);
    /* and it recovers once memory is available again */
    nl_builder_append_int(b, 1);
    a = finish(b);
    assert_int_equal(a->length, 1);
    nl_array_unref(a);
    nl_builder_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ints_and_nulls),
        cmocka_unit_test(test_every_fixed_type),
        cmocka_unit_test(test_bools_bit_packed),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_lists_and_structs),
        cmocka_unit_test(test_errors_reported_at_finish),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
