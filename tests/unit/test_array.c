/*
 * test_array.c -- arrays from buffers (and the validation that makes untrusted
 * buffers safe), all-null arrays, slices, concat, take, equality, batches,
 * tables and table streams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/buffer.h"
#include "columnar/array.h"
#include "columnar/builder.h"
#include "columnar/stream.h"

/* int32 array of n values; valid[i] == 0 marks a null (valid may be NULL). */
static nl_array *ints(const int32_t *v, const int *valid, int64_t n) {
    nl_buffer *values = nl_buffer_copy_of(v, n * 4);
    nl_buffer *bits = NULL;
    if (valid) {
        uint8_t b[64] = {0};
        for (int64_t i = 0; i < n; i++)
            if (valid[i]) nl_bit_set(b, i);
        bits = nl_buffer_copy_of(b, (n + 7) / 8);
    }
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_array_new(nl_type_get(NL_TYPE_INT32), n, 0, -1, bits, values, NULL, NULL, 0,
                                  &a, &err),
                     NL_OK);
    return a;
}

static nl_array *strs(const char *const *s, int64_t n) {
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), n);
    for (int64_t i = 0; i < n; i++) {
        if (s[i]) nl_builder_append_string(b, s[i], (int64_t)strlen(s[i]));
        else nl_builder_append_null(b);
    }
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    return a;
}

static void assert_str_at(const nl_array *a, int64_t i, const char *want) {
    if (!want) {
        assert_true(nl_array_is_null(a, i));
        return;
    }
    assert_false(nl_array_is_null(a, i));
    int32_t len;
    const char *s = nl_array_str(a, i, &len);
    assert_int_equal(len, (int32_t)strlen(want));
    assert_memory_equal(s, want, (size_t)len);
}

static void test_new_and_null_count(void **state) {
    (void)state;
    int32_t v[5] = {1, 2, 3, 4, 5};
    int valid[5] = {1, 0, 1, 0, 1};
    nl_array *a = ints(v, valid, 5);
    assert_int_equal(a->null_count, 2);
    assert_true(nl_array_is_null(a, 1));
    assert_true(nl_array_is_valid(a, 2));
    assert_int_equal(NL_ARRAY_VALUES(a, int32_t)[4], 5);
    nl_array_unref(a);
    /* all valid bits: the validity buffer is dropped */
    int all[5] = {1, 1, 1, 1, 1};
    a = ints(v, all, 5);
    assert_int_equal(a->null_count, 0);
    assert_null(a->validity);
    nl_array_unref(a);
}

static nl_status try_new(nl_type *t, int64_t len, int64_t off, int64_t nulls, nl_buffer *validity,
                         nl_buffer *values, nl_buffer *data, nl_array **children, int32_t nc,
                         nl_error *err) {
    nl_array *a = NULL;
    nl_status st = nl_array_new(t, len, off, nulls, validity, values, data, children, nc, &a, err);
    if (st == NL_OK) nl_array_unref(a);
    else assert_null(a);
    return st;
}

static void test_new_rejects_bad_buffers(void **state) {
    (void)state;
    nl_error err = {0};
    int32_t v[4] = {1, 2, 3, 4};
    nl_type *i32 = nl_type_get(NL_TYPE_INT32);
    /* values too small for offset + length */
    assert_int_equal(try_new(i32, 4, 1, -1, NULL, nl_buffer_copy_of(v, 16), NULL, NULL, 0, &err),
                     NL_ECORRUPT);
    assert_non_null(strstr(err.message, "values buffer"));
    /* negative length, and offset + length overflowing */
    assert_int_equal(try_new(i32, -1, 0, -1, NULL, nl_buffer_copy_of(v, 16), NULL, NULL, 0, &err),
                     NL_EINVAL);
    assert_int_equal(try_new(i32, INT64_MAX, 2, -1, NULL, nl_buffer_copy_of(v, 16), NULL, NULL, 0,
                             &err),
                     NL_EINVAL);
    /* validity too short */
    uint8_t bits[1] = {0xff};
    assert_int_equal(try_new(i32, 4, 0, -1, nl_buffer_copy_of(bits, 0), nl_buffer_copy_of(v, 16),
                             NULL, NULL, 0, &err),
                     NL_ECORRUPT);
    /* nulls claimed without a bitmap */
    assert_int_equal(try_new(i32, 4, 0, 2, NULL, nl_buffer_copy_of(v, 16), NULL, NULL, 0, &err),
                     NL_ECORRUPT);
    /* missing values */
    assert_int_equal(try_new(i32, 4, 0, 0, NULL, NULL, NULL, NULL, 0, &err), NL_ECORRUPT);
    /* ok with exact sizes */
    assert_int_equal(try_new(i32, 3, 1, -1, nl_buffer_copy_of(bits, 1), nl_buffer_copy_of(v, 16),
                             NULL, NULL, 0, &err),
                     NL_OK);

    nl_type *utf8 = nl_type_get(NL_TYPE_UTF8);
    const char *text = "abcdef";
    int32_t good[4] = {0, 2, 2, 6};
    int32_t decreasing[4] = {0, 3, 2, 6};
    int32_t past_end[4] = {0, 2, 4, 7};
    int32_t negative[4] = {-1, 2, 4, 6};
    assert_int_equal(try_new(utf8, 3, 0, -1, NULL, nl_buffer_copy_of(good, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_OK);
    assert_int_equal(try_new(utf8, 3, 0, -1, NULL, nl_buffer_copy_of(decreasing, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_ECORRUPT);
    assert_non_null(strstr(err.message, "decrease"));
    assert_int_equal(try_new(utf8, 3, 0, -1, NULL, nl_buffer_copy_of(past_end, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_ECORRUPT);
    assert_int_equal(try_new(utf8, 3, 0, -1, NULL, nl_buffer_copy_of(negative, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_ECORRUPT);
    /* offsets buffer too short for length + 1 entries */
    assert_int_equal(try_new(utf8, 4, 0, -1, NULL, nl_buffer_copy_of(good, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_ECORRUPT);
    /* a slice (offset 1) only checks its own range: [2, 2, 6] is fine */
    assert_int_equal(try_new(utf8, 2, 1, -1, NULL, nl_buffer_copy_of(good, 16),
                             nl_buffer_copy_of(text, 6), NULL, 0, &err),
                     NL_OK);

    /* lists: child type and length */
    nl_type *list = nl_type_list(nl_type_get(NL_TYPE_INT32), true);
    int32_t loffs[3] = {0, 2, 5};
    nl_array *child = ints(v, NULL, 4);
    nl_array *kids[1] = {child};
    assert_int_equal(try_new(nl_type_ref(list), 2, 0, -1, NULL, nl_buffer_copy_of(loffs, 12), NULL,
                             kids, 1, &err),
                     NL_ECORRUPT); /* 5 > 4 items */
    kids[0] = strs((const char *const[]){"x"}, 1);
    int32_t loffs2[3] = {0, 1, 1};
    assert_int_equal(try_new(nl_type_ref(list), 2, 0, -1, NULL, nl_buffer_copy_of(loffs2, 12), NULL,
                             kids, 1, &err),
                     NL_ETYPE);
    assert_int_equal(try_new(nl_type_ref(list), 2, 0, -1, NULL, nl_buffer_copy_of(loffs2, 12), NULL,
                             NULL, 0, &err),
                     NL_ECORRUPT);
    nl_type_unref(list);

    /* struct: a child shorter than the struct */
    nl_field f[1] = {{"a", nl_type_get(NL_TYPE_INT32), true}};
    nl_type *st = nl_type_struct(f, 1);
    kids[0] = ints(v, NULL, 2);
    assert_int_equal(try_new(nl_type_ref(st), 3, 0, -1, NULL, NULL, NULL, kids, 1, &err),
                     NL_ECORRUPT);
    kids[0] = ints(v, NULL, 4);
    assert_int_equal(try_new(nl_type_ref(st), 3, 1, -1, NULL, NULL, NULL, kids, 1, &err), NL_OK);
    nl_type_unref(st);
    assert_int_equal(try_new(NULL, 0, 0, 0, NULL, NULL, NULL, NULL, 0, &err), NL_EINVAL);
}

static void test_misaligned_values_are_copied(void **state) {
    (void)state;
    uint8_t *raw = malloc(64);
    int64_t want[3] = {7, -8, 9};
    memcpy(raw + 1, want, 24);
    nl_buffer *wrapped = nl_buffer_wrap(raw + 1, 24, free, raw);
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_array_new(nl_type_get(NL_TYPE_INT64), 3, 0, 0, NULL, wrapped, NULL, NULL, 0,
                                  &a, &err),
                     NL_OK);
    assert_int_equal((uintptr_t)a->values->data % 8, 0);
    assert_int_equal(NL_ARRAY_VALUES(a, int64_t)[1], -8);
    nl_array_unref(a);
}

static void test_nulls_of_every_type(void **state) {
    (void)state;
    nl_field f[2] = {{"a", nl_type_get(NL_TYPE_INT64), true},
                     {"b", nl_type_list(nl_type_get(NL_TYPE_UTF8), true), true}};
    nl_type *types[] = {nl_type_get(NL_TYPE_NULL),       nl_type_get(NL_TYPE_BOOL),
                        nl_type_get(NL_TYPE_INT8),       nl_type_get(NL_TYPE_UINT64),
                        nl_type_get(NL_TYPE_FLOAT64),    nl_type_decimal(10, 2),
                        nl_type_get(NL_TYPE_UTF8),       nl_type_get(NL_TYPE_BINARY),
                        nl_type_get(NL_TYPE_DATE32),     nl_type_timestamp(NL_UNIT_NANO, "UTC"),
                        nl_type_list(nl_type_get(NL_TYPE_INT32), true),
                        nl_type_struct(f, 2)};
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        nl_array *a = NULL;
        nl_error err = {0};
        assert_int_equal(nl_array_new_nulls(types[k], 11, &a, &err), NL_OK);
        assert_int_equal(a->length, 11);
        assert_int_equal(a->null_count, 11);
        for (int64_t i = 0; i < 11; i++) assert_true(nl_array_is_null(a, i));
        nl_array *s = nl_array_slice(a, 3, 5);
        assert_int_equal(s->null_count, 5);
        nl_array *empty = NULL;
        assert_int_equal(nl_array_new_nulls(types[k], 0, &empty, &err), NL_OK);
        assert_int_equal(empty->length, 0);
        nl_array_unref(empty);
        nl_array_unref(s);
        nl_array_unref(a);
        nl_type_unref(types[k]);
    }
}

static void test_slice(void **state) {
    (void)state;
    int32_t v[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    int valid[10] = {1, 0, 1, 1, 1, 1, 1, 1, 1, 0};
    nl_array *a = ints(v, valid, 10);
    nl_array *s = nl_array_slice(a, 2, 7);
    assert_int_equal(s->length, 7);
    assert_int_equal(s->null_count, 0);
    assert_null(s->validity);
    assert_int_equal(NL_ARRAY_VALUES(s, int32_t)[0], 2);
    nl_array *s2 = nl_array_slice(s, 5, 2);
    assert_int_equal(NL_ARRAY_VALUES(s2, int32_t)[1], 8);
    nl_array *s3 = nl_array_slice(a, 8, 2);
    assert_int_equal(s3->null_count, 1);
    assert_true(nl_array_is_null(s3, 1));
    assert_null(nl_array_slice(a, 8, 3));
    assert_null(nl_array_slice(a, -1, 1));
    assert_null(nl_array_slice(a, 11, 0));
    nl_array *end = nl_array_slice(a, 10, 0);
    assert_int_equal(end->length, 0);
    nl_array_unref(end);
    nl_array_unref(s3);
    nl_array_unref(s2);
    nl_array_unref(s);
    nl_array_unref(a);
}

static void test_concat(void **state) {
    (void)state;
    nl_error err = {0};
    int32_t v[5] = {1, 2, 3, 4, 5};
    int valid[5] = {1, 1, 0, 1, 1};
    nl_array *a = ints(v, valid, 5), *b = ints(v, NULL, 3);
    nl_array *sa = nl_array_slice(a, 1, 4); /* 2 null 4 5 */
    nl_array *parts[3] = {sa, b, sa};
    nl_array *c = NULL;
    assert_int_equal(nl_array_concat(parts, 3, &c, &err), NL_OK);
    assert_int_equal(c->length, 11);
    assert_int_equal(c->null_count, 2);
    const int32_t want[11] = {2, 0, 4, 5, 1, 2, 3, 2, 0, 4, 5};
    for (int i = 0; i < 11; i++) {
        if (i == 1 || i == 8) assert_true(nl_array_is_null(c, i));
        else assert_int_equal(NL_ARRAY_VALUES(c, int32_t)[i], want[i]);
    }
    nl_array_unref(c);

    /* strings, sliced */
    nl_array *s1 = strs((const char *const[]){"alpha", NULL, "", "delta"}, 4);
    nl_array *s2 = strs((const char *const[]){"x", "yz"}, 2);
    nl_array *s1s = nl_array_slice(s1, 1, 3);
    nl_array *sp[2] = {s1s, s2};
    assert_int_equal(nl_array_concat(sp, 2, &c, &err), NL_OK);
    assert_int_equal(c->length, 5);
    assert_str_at(c, 0, NULL);
    assert_str_at(c, 1, "");
    assert_str_at(c, 2, "delta");
    assert_str_at(c, 4, "yz");
    nl_array_unref(c);

    /* type mismatch */
    nl_array *bad[2] = {a, s2};
    assert_int_equal(nl_array_concat(bad, 2, &c, &err), NL_ETYPE);
    assert_null(c);
    assert_int_equal(nl_array_concat(bad, 0, &c, &err), NL_EINVAL);

    /* booleans at odd bit offsets */
    nl_builder *bb = nl_builder_new(nl_type_get(NL_TYPE_BOOL), 0);
    for (int i = 0; i < 13; i++) nl_builder_append_bool(bb, i % 3 == 0);
    nl_array *bools = NULL;
    assert_int_equal(nl_builder_finish(bb, &bools, &err), NL_OK);
    nl_builder_free(bb);
    nl_array *b1 = nl_array_slice(bools, 1, 7), *b2 = nl_array_slice(bools, 5, 8);
    nl_array *bp[2] = {b1, b2};
    assert_int_equal(nl_array_concat(bp, 2, &c, &err), NL_OK);
    for (int i = 0; i < 7; i++) assert_int_equal(nl_array_bool(c, i), (i + 1) % 3 == 0);
    for (int i = 0; i < 8; i++) assert_int_equal(nl_array_bool(c, 7 + i), (i + 5) % 3 == 0);
    nl_array_unref(c);
    nl_array_unref(b1), nl_array_unref(b2), nl_array_unref(bools);

    nl_array_unref(s1s), nl_array_unref(s1), nl_array_unref(s2);
    nl_array_unref(sa), nl_array_unref(a), nl_array_unref(b);
}

/* list<int64>: [[1,2], null, [], [3]] */
static nl_array *make_list(void) {
    nl_type *t = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_builder *b = nl_builder_new(t, 0);
    nl_type_unref(t);
    nl_builder_list_begin(b);
    nl_builder_append_int(nl_builder_child(b, 0), 1);
    nl_builder_append_int(nl_builder_child(b, 0), 2);
    nl_builder_list_end(b);
    nl_builder_append_null(b);
    nl_builder_list_begin(b);
    nl_builder_list_end(b);
    nl_builder_list_begin(b);
    nl_builder_append_int(nl_builder_child(b, 0), 3);
    nl_builder_list_end(b);
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    return a;
}

static void test_nested_concat_and_take(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *l = make_list();
    nl_array *tail = nl_array_slice(l, 2, 2);
    nl_array *parts[2] = {tail, l};
    nl_array *c = NULL;
    assert_int_equal(nl_array_concat(parts, 2, &c, &err), NL_OK);
    assert_int_equal(c->length, 6);
    int64_t s, e;
    nl_array_list_range(c, 1, &s, &e);
    assert_int_equal(e - s, 1);
    assert_int_equal(NL_ARRAY_VALUES(c->children[0], int64_t)[s], 3);
    assert_true(nl_array_is_null(c, 3));
    nl_array_list_range(c, 2, &s, &e);
    assert_int_equal(NL_ARRAY_VALUES(c->children[0], int64_t)[s + 1], 2);

    int64_t idx[4] = {3, -1, 0, 1};
    nl_array *t = NULL;
    assert_int_equal(nl_array_take(l, idx, 4, &t, &err), NL_OK);
    assert_int_equal(t->null_count, 2);
    nl_array_list_range(t, 2, &s, &e);
    assert_int_equal(e - s, 2);
    assert_int_equal(NL_ARRAY_VALUES(t->children[0], int64_t)[s], 1);
    nl_array_unref(t);

    int64_t bad[1] = {4};
    assert_int_equal(nl_array_take(l, bad, 1, &t, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "out of range"));
    bad[0] = -2;
    assert_int_equal(nl_array_take(l, bad, 1, &t, &err), NL_EINVAL);

    /* struct {a: i64, s: str}, sliced, then taken */
    nl_field f[2] = {{"a", nl_type_get(NL_TYPE_INT64), true}, {"s", nl_type_get(NL_TYPE_UTF8), true}};
    nl_type *st = nl_type_struct(f, 2);
    nl_builder *b = nl_builder_new(st, 0);
    const char *words[4] = {"zero", "one", "two", "three"};
    for (int i = 0; i < 4; i++) {
        nl_builder_append_int(nl_builder_child(b, 0), i);
        nl_builder_append_string(nl_builder_child(b, 1), words[i], (int64_t)strlen(words[i]));
        nl_builder_struct_append(b, i != 2);
    }
    nl_array *sa = NULL;
    assert_int_equal(nl_builder_finish(b, &sa, &err), NL_OK);
    nl_builder_free(b);
    nl_array *ss = nl_array_slice(sa, 1, 3); /* one, null, three */
    int64_t sidx[3] = {2, 0, 1};
    assert_int_equal(nl_array_take(ss, sidx, 3, &t, &err), NL_OK);
    assert_true(nl_array_is_valid(t, 0));
    assert_str_at(t->children[1], t->offset + 0, "three");
    assert_int_equal(NL_ARRAY_VALUES(t->children[0], int64_t)[1], 1);
    assert_true(nl_array_is_null(t, 2));
    nl_array *sp[2] = {ss, t};
    nl_array *sc = NULL;
    assert_int_equal(nl_array_concat(sp, 2, &sc, &err), NL_OK);
    assert_int_equal(sc->length, 6);
    assert_str_at(sc->children[1], 3, "three");
    assert_true(nl_array_is_null(sc, 1));
    assert_true(nl_array_is_null(sc, 5));
    nl_array_unref(sc);
    nl_array_unref(t);
    nl_array_unref(ss);
    nl_array_unref(sa);
    nl_type_unref(st);

    nl_array_unref(c);
    nl_array_unref(tail);
    nl_array_unref(l);
}

static void test_take_and_equals(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *s = strs((const char *const[]){"a", "bb", NULL, "dddd"}, 4);
    int64_t idx[5] = {3, 3, -1, 2, 0};
    nl_array *t = NULL;
    assert_int_equal(nl_array_take(s, idx, 5, &t, &err), NL_OK);
    assert_str_at(t, 0, "dddd");
    assert_str_at(t, 1, "dddd");
    assert_str_at(t, 2, NULL);
    assert_str_at(t, 3, NULL);
    assert_str_at(t, 4, "a");
    int64_t back[2] = {4, 0};
    nl_array *tt = NULL;
    assert_int_equal(nl_array_take(t, back, 2, &tt, &err), NL_OK);
    nl_array *expect = strs((const char *const[]){"a", "dddd"}, 2);
    assert_true(nl_array_equals(tt, expect));
    nl_array *other = strs((const char *const[]){"a", "ddd"}, 2);
    assert_false(nl_array_equals(tt, other));
    nl_array_unref(other), nl_array_unref(expect), nl_array_unref(tt), nl_array_unref(t);

    int32_t v[4] = {10, 20, 30, 40};
    nl_array *a = ints(v, NULL, 4);
    int64_t i2[3] = {1, -1, 3};
    assert_int_equal(nl_array_take(a, i2, 3, &t, &err), NL_OK);
    assert_int_equal(NL_ARRAY_VALUES(t, int32_t)[2], 40);
    assert_true(nl_array_is_null(t, 1));
    assert_int_equal(t->null_count, 1);
    assert_false(nl_array_equals(t, a));
    nl_array *sl = nl_array_slice(a, 1, 1);
    nl_array *first = nl_array_slice(t, 0, 1);
    assert_true(nl_array_equals(sl, first));
    nl_array_unref(first), nl_array_unref(sl), nl_array_unref(t);
    assert_int_equal(nl_array_take(a, NULL, 0, &t, &err), NL_OK);
    assert_int_equal(t->length, 0);
    nl_array_unref(t);
    nl_array_unref(a);
    nl_array_unref(s);
}

static nl_schema *two_col_schema(void) {
    nl_field f[2] = {{"id", nl_type_get(NL_TYPE_INT32), false}, {"name", nl_type_get(NL_TYPE_UTF8), true}};
    return nl_schema_new(f, 2);
}

static void test_batches_tables_streams(void **state) {
    (void)state;
    nl_error err = {0};
    int32_t v[3] = {1, 2, 3};
    nl_schema *schema = two_col_schema();
    nl_array *cols[2] = {ints(v, NULL, 3), strs((const char *const[]){"a", "b", "c"}, 3)};
    nl_batch *batch = NULL;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, 3, &batch, &err), NL_OK);
    assert_int_equal(batch->n_columns, 2);

    /* wrong length, wrong type */
    nl_array *bad[2] = {ints(v, NULL, 2), strs((const char *const[]){"a", "b", "c"}, 3)};
    nl_batch *nb = NULL;
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), bad, 3, &nb, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "'id'"));
    nl_array *bad2[2] = {strs((const char *const[]){"a", "b", "c"}, 3), ints(v, NULL, 3)};
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), bad2, 3, &nb, &err), NL_ETYPE);
    assert_null(nb);

    nl_batch *tail = nl_batch_slice(batch, 1, 2);
    assert_int_equal(tail->num_rows, 2);
    assert_int_equal(NL_ARRAY_VALUES(tail->columns[0], int32_t)[0], 2);
    assert_null(nl_batch_slice(batch, 2, 2));

    nl_table *table = nl_table_new(nl_schema_ref(schema));
    assert_int_equal(nl_table_append(table, batch, &err), NL_OK);
    assert_int_equal(nl_table_append(table, tail, &err), NL_OK);
    for (int i = 0; i < 20; i++) assert_int_equal(nl_table_append(table, tail, &err), NL_OK);
    assert_int_equal(table->num_rows, 3 + 21 * 2);
    int64_t bi, ri;
    nl_table_locate(table, 4, &bi, &ri);
    assert_int_equal(bi, 1);
    assert_int_equal(ri, 1);
    nl_table_locate(table, 0, &bi, &ri);
    assert_int_equal(bi, 0);
    assert_int_equal(ri, 0);

    /* a batch of another schema is refused */
    nl_field f[1] = {{"x", nl_type_get(NL_TYPE_INT32), true}};
    nl_schema *other = nl_schema_new(f, 1);
    nl_array *oc[1] = {ints(v, NULL, 3)};
    nl_batch *ob = NULL;
    assert_int_equal(nl_batch_new(other, oc, 3, &ob, &err), NL_OK);
    assert_int_equal(nl_table_append(table, ob, &err), NL_ETYPE);
    nl_batch_unref(ob);

    nl_stream *stream = NULL;
    assert_int_equal(nl_stream_from_table(table, &stream, &err), NL_OK);
    assert_true(nl_schema_equals(stream->schema, schema));
    nl_table *back = NULL;
    assert_int_equal(nl_stream_collect(stream, &back, &err), NL_OK);
    assert_int_equal(back->n_batches, 22);
    assert_int_equal(back->num_rows, 45);
    nl_table_free(back);
    nl_table_free(NULL);
    nl_stream_free(NULL);

    nl_batch_unref(tail);
    nl_batch_unref(batch);
    nl_schema_unref(schema);
}

/* Random geometry over random buffers: nl_array_new either refuses or gives
 * an array whose every value can be read (ASan checks the reads), sliced,
 * taken and concatenated. */
static uint64_t fz_state = 0x243f6a8885a308d3ULL;
static uint64_t fz_next(void) {
    fz_state ^= fz_state << 13;
    fz_state ^= fz_state >> 7;
    fz_state ^= fz_state << 17;
    return fz_state;
}

static nl_buffer *fz_buffer(int64_t max) {
    if (fz_next() % 8 == 0) return NULL;
    int64_t n = (int64_t)(fz_next() % (uint64_t)(max + 1));
    nl_buffer *b = nl_buffer_new(n);
    for (int64_t i = 0; i < n; i++) b->data[i] = (uint8_t)fz_next();
    /* offsets often look plausible: small and growing */
    if (fz_next() % 2 && n >= 4) {
        int32_t acc = 0;
        for (int64_t i = 0; i + 4 <= n; i += 4) {
            acc += (int32_t)(fz_next() % 4) - (fz_next() % 16 == 0);
            memcpy(b->data + i, &acc, 4);
        }
    }
    b->size = n;
    return b;
}

static void fz_read_all(const nl_array *a) {
    volatile uint64_t sink = 0;
    for (int64_t i = 0; i < a->length; i++) {
        if (nl_array_is_null(a, i)) continue;
        switch (a->type->id) {
        case NL_TYPE_BOOL: sink += nl_array_bool(a, i); break;
        case NL_TYPE_UTF8:
        case NL_TYPE_BINARY: {
            int32_t len;
            const char *p = nl_array_str(a, i, &len);
            for (int32_t k = 0; k < len; k++) sink += (uint8_t)p[k];
            break;
        }
        case NL_TYPE_LIST: {
            int64_t s, e;
            nl_array_list_range(a, i, &s, &e);
            assert_true(s >= 0 && s <= e && e <= a->children[0]->length);
            for (int64_t k = s; k < e; k++)
                sink += (uint64_t)NL_ARRAY_VALUES(a->children[0], int32_t)[k];
            break;
        }
        case NL_TYPE_INT64: sink += (uint64_t)NL_ARRAY_VALUES(a, int64_t)[i]; break;
        case NL_TYPE_DECIMAL128: sink += (uint64_t)nl_array_decimal(a, i); break;
        default: sink += (uint64_t)NL_ARRAY_VALUES(a, int32_t)[i]; break;
        }
    }
    (void)sink;
}

static void test_random_buffers(void **state) {
    (void)state;
    nl_type *list = nl_type_list(nl_type_get(NL_TYPE_INT32), true);
    nl_type *dec = nl_type_decimal(20, 2);
    nl_type *types[] = {nl_type_get(NL_TYPE_BOOL), nl_type_get(NL_TYPE_INT32),
                        nl_type_get(NL_TYPE_INT64), nl_type_get(NL_TYPE_UTF8),
                        nl_type_get(NL_TYPE_BINARY), dec, list};
    int accepted = 0;
    for (int round = 0; round < 4000; round++) {
        nl_type *t = types[fz_next() % (sizeof types / sizeof types[0])];
        int64_t length = (int64_t)(fz_next() % 40) - (fz_next() % 50 == 0);
        int64_t offset = (int64_t)(fz_next() % 8);
        int64_t nulls = (int64_t)(fz_next() % 6) - 1;
        nl_buffer *validity = fz_next() % 2 ? fz_buffer(8) : NULL;
        nl_buffer *values = fz_buffer(t->id == NL_TYPE_DECIMAL128 ? 800 : 200);
        nl_buffer *data = t->id == NL_TYPE_UTF8 || t->id == NL_TYPE_BINARY ? fz_buffer(64) : NULL;
        nl_array *kids[1] = {NULL};
        int32_t nk = 0;
        if (t->id == NL_TYPE_LIST && fz_next() % 8) {
            int32_t v[64];
            for (int k = 0; k < 64; k++) v[k] = (int32_t)fz_next();
            nl_error e2 = {0};
            int64_t cl = (int64_t)(fz_next() % 64);
            assert_int_equal(nl_array_new(nl_type_get(NL_TYPE_INT32), cl, 0, 0, NULL,
                                          nl_buffer_copy_of(v, cl * 4), NULL, NULL, 0, &kids[0], &e2),
                             NL_OK);
            nk = 1;
        }
        nl_array *a = NULL;
        nl_error err = {0};
        nl_status st = nl_array_new(nl_type_ref(t), length, offset, nulls, validity, values, data,
                                    nk ? kids : NULL, nk, &a, &err);
        if (st != NL_OK) {
            assert_null(a);
            assert_true(err.message[0] != '\0');
            continue;
        }
        accepted++;
        fz_read_all(a);
        nl_array *s = nl_array_slice(a, a->length / 3, a->length / 2);
        fz_read_all(s);
        int64_t idx[8];
        for (int k = 0; k < 8; k++) idx[k] = a->length ? (int64_t)(fz_next() % (uint64_t)a->length) : -1;
        nl_array *tk = NULL;
        assert_int_equal(nl_array_take(a, idx, 8, &tk, &err), NL_OK);
        fz_read_all(tk);
        nl_array *parts[3] = {a, s, tk};
        nl_array *c = NULL;
        assert_int_equal(nl_array_concat(parts, 3, &c, &err), NL_OK);
        assert_int_equal(c->length, a->length + s->length + 8);
        fz_read_all(c);
        nl_array_unref(c);
        nl_array_unref(tk);
        nl_array_unref(s);
        nl_array_unref(a);
    }
    assert_true(accepted > 100);
    nl_type_unref(list);
    nl_type_unref(dec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_null_count),
        cmocka_unit_test(test_new_rejects_bad_buffers),
        cmocka_unit_test(test_misaligned_values_are_copied),
        cmocka_unit_test(test_nulls_of_every_type),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_nested_concat_and_take),
        cmocka_unit_test(test_take_and_equals),
        cmocka_unit_test(test_batches_tables_streams),
        cmocka_unit_test(test_random_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
