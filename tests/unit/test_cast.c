/*
 * test_cast.c -- casts between types (overflow and bad text as errors in
 * STRICT mode and nulls in TRY mode, rounding rules), and the single-value
 * parsers and formatters, with float text checked against what Polars prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columnar/builder.h"
#include "columnar/cast.h"

static nl_array *finish(nl_builder *b) {
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    return a;
}

static nl_array *int64s(const int64_t *v, int n, int null_at) {
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_INT64), n);
    for (int i = 0; i < n; i++) {
        if (i == null_at) nl_builder_append_null(b);
        else nl_builder_append_int(b, v[i]);
    }
    return finish(b);
}

static nl_array *doubles(const double *v, int n) {
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_FLOAT64), n);
    for (int i = 0; i < n; i++) nl_builder_append_double(b, v[i]);
    return finish(b);
}

static nl_array *texts(const char *const *v, int n) {
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), n);
    for (int i = 0; i < n; i++) {
        if (v[i]) nl_builder_append_string(b, v[i], (int64_t)strlen(v[i]));
        else nl_builder_append_null(b);
    }
    return finish(b);
}

static nl_array *cast_ok(const nl_array *in, nl_type *to, nl_cast_mode mode) {
    nl_array *out = NULL;
    nl_error err = {0};
    nl_status st = nl_cast(in, to, mode, &out, &err);
    if (st != NL_OK) fail_msg("cast failed: %s", err.message);
    assert_true(nl_type_equals(out->type, to));
    assert_int_equal(out->length, in->length);
    return out;
}

static void assert_text(const nl_array *a, int64_t i, const char *want) {
    if (!want) {
        assert_true(nl_array_is_null(a, i));
        return;
    }
    assert_false(nl_array_is_null(a, i));
    int32_t len;
    const char *s = nl_array_str(a, i, &len);
    char got[256];
    snprintf(got, sizeof got, "%.*s", len, s);
    assert_string_equal(got, want);
}

static void test_integer_narrowing(void **state) {
    (void)state;
    int64_t v[5] = {1, -128, 127, 300, 5};
    nl_array *in = int64s(v, 5, -1);
    nl_array *out = NULL;
    nl_error err = {0};
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_INT8), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_null(out);
    assert_non_null(strstr(err.message, "300"));
    assert_non_null(strstr(err.message, "row 3"));
    out = cast_ok(in, nl_type_get(NL_TYPE_INT8), NL_CAST_TRY);
    assert_int_equal(out->null_count, 1);
    assert_true(nl_array_is_null(out, 3));
    assert_int_equal(NL_ARRAY_VALUES(out, int8_t)[1], -128);
    assert_int_equal(NL_ARRAY_VALUES(out, int8_t)[4], 5);
    nl_array_unref(out);
    /* a bad value under a null is not an error */
    nl_array *with_null = int64s(v, 5, 3);
    out = cast_ok(with_null, nl_type_get(NL_TYPE_INT8), NL_CAST_STRICT);
    assert_int_equal(out->null_count, 1);
    nl_array_unref(out);
    nl_array_unref(with_null);
    /* negative to unsigned */
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_UINT32), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_non_null(strstr(err.message, "-128"));
    /* widening and floats always fit */
    out = cast_ok(in, nl_type_get(NL_TYPE_FLOAT64), NL_CAST_STRICT);
    assert_true(NL_ARRAY_VALUES(out, double)[3] == 300.0);
    nl_array_unref(out);
    nl_array_unref(in);

    /* a long array: the failing row is found inside a later block */
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UINT64), 0);
    for (int i = 0; i < 5000; i++) nl_builder_append_uint(b, i == 4321 ? (uint64_t)1 << 63 : (uint64_t)i);
    in = finish(b);
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_non_null(strstr(err.message, "row 4321"));
    out = cast_ok(in, nl_type_get(NL_TYPE_UINT16), NL_CAST_TRY);
    assert_int_equal(out->null_count, 1);
    assert_int_equal(NL_ARRAY_VALUES(out, uint16_t)[4999], 4999);
    nl_array_unref(out);
    /* slices keep their offset */
    nl_array *sl = nl_array_slice(in, 4000, 10);
    out = cast_ok(sl, nl_type_get(NL_TYPE_INT32), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[9], 4009);
    nl_array_unref(out);
    nl_array_unref(sl);
    nl_array_unref(in);
}

static void test_float_to_integer(void **state) {
    (void)state;
    double v[6] = {2.5, 3.5, -2.5, -0.4, 1e20, NAN};
    nl_array *in = doubles(v, 6);
    nl_array *out = cast_ok(in, nl_type_get(NL_TYPE_INT64), NL_CAST_TRY);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[0], 2); /* half to even, as DuckDB */
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], 4);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[2], -2);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[3], 0);
    assert_true(nl_array_is_null(out, 4));
    assert_true(nl_array_is_null(out, 5));
    nl_array_unref(out);
    nl_error err = {0};
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_non_null(strstr(err.message, "1e+20"));
    nl_array_unref(in);

    double edge[3] = {9223372036854775807.0 /* 2^63 */, -9223372036854775808.0, 255.4};
    in = doubles(edge, 3);
    out = cast_ok(in, nl_type_get(NL_TYPE_INT64), NL_CAST_TRY);
    assert_true(nl_array_is_null(out, 0));
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], INT64_MIN);
    nl_array_unref(out);
    out = cast_ok(in, nl_type_get(NL_TYPE_UINT8), NL_CAST_TRY);
    assert_int_equal(NL_ARRAY_VALUES(out, uint8_t)[2], 255);
    assert_int_equal(out->null_count, 2);
    nl_array_unref(out);
    /* double to float overflow */
    double big[2] = {1e300, 1.5};
    nl_array *bin = doubles(big, 2);
    assert_int_equal(nl_cast(bin, nl_type_get(NL_TYPE_FLOAT32), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    out = cast_ok(bin, nl_type_get(NL_TYPE_FLOAT32), NL_CAST_TRY);
    assert_true(nl_array_is_null(out, 0));
    assert_true(NL_ARRAY_VALUES(out, float)[1] == 1.5f);
    nl_array_unref(out);
    nl_array_unref(bin);
    nl_array_unref(in);
}

static nl_array *decimals(const __int128 *v, int n, int p, int s) {
    nl_type *t = nl_type_decimal(p, s);
    nl_builder *b = nl_builder_new(t, n);
    nl_type_unref(t);
    for (int i = 0; i < n; i++) nl_builder_append_decimal(b, v[i]);
    return finish(b);
}

static void test_decimals(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *out = NULL;
    /* DECIMAL(5,3) 12.345, -12.345, 0.005 to DECIMAL(4,2): half away from zero */
    __int128 v[3] = {12345, -12345, 5};
    nl_array *in = decimals(v, 3, 5, 3);
    nl_type *d42 = nl_type_decimal(4, 2);
    out = cast_ok(in, d42, NL_CAST_STRICT);
    assert_true(nl_array_decimal(out, 0) == 1235);
    assert_true(nl_array_decimal(out, 1) == -1235);
    assert_true(nl_array_decimal(out, 2) == 1);
    nl_array_unref(out);
    /* to DECIMAL(3,2): 12.35 needs 4 digits */
    nl_type *d32 = nl_type_decimal(3, 2);
    assert_int_equal(nl_cast(in, d32, NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_non_null(strstr(err.message, "12.345"));
    out = cast_ok(in, d32, NL_CAST_TRY);
    assert_int_equal(out->null_count, 2);
    assert_true(nl_array_decimal(out, 2) == 1);
    nl_array_unref(out);
    /* to integers (half away) and to doubles */
    out = cast_ok(in, nl_type_get(NL_TYPE_INT32), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[0], 12);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[2], 0);
    nl_array_unref(out);
    out = cast_ok(in, nl_type_get(NL_TYPE_FLOAT64), NL_CAST_STRICT);
    assert_true(NL_ARRAY_VALUES(out, double)[1] == -12.345);
    nl_array_unref(out);
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(out, 0, "12.345");
    assert_text(out, 1, "-12.345");
    assert_text(out, 2, "0.005");
    nl_array_unref(out);
    nl_array_unref(in);

    __int128 halves[2] = {25, -25};
    in = decimals(halves, 2, 2, 1);
    out = cast_ok(in, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[0], 3);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], -3);
    nl_array_unref(out);
    nl_array_unref(in);

    /* integers to decimals: scale up, precision checked */
    int64_t iv[3] = {12, 99, 100};
    in = int64s(iv, 3, -1);
    assert_int_equal(nl_cast(in, d42, NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    out = cast_ok(in, d42, NL_CAST_TRY);
    assert_true(nl_array_decimal(out, 0) == 1200);
    assert_true(nl_array_decimal(out, 1) == 9900);
    assert_true(nl_array_is_null(out, 2));
    nl_array_unref(out);
    nl_array_unref(in);

    /* doubles to decimals */
    double dv[4] = {1.005, 0.125, -0.125, 1e30};
    in = doubles(dv, 4);
    out = cast_ok(in, d42, NL_CAST_TRY);
    assert_true(nl_array_decimal(out, 0) == 100); /* 1.005 is 1.00499999... */
    assert_true(nl_array_decimal(out, 1) == 13);
    assert_true(nl_array_decimal(out, 2) == -13);
    assert_true(nl_array_is_null(out, 3));
    nl_array_unref(out);
    nl_array_unref(in);

    /* wide decimals keep all 38 digits */
    nl_type *d38 = nl_type_decimal(38, 0);
    __int128 max38 = 1;
    for (int i = 0; i < 38; i++) max38 *= 10;
    max38 -= 1;
    __int128 w[1] = {max38};
    in = decimals(w, 1, 38, 0);
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(out, 0, "99999999999999999999999999999999999999");
    nl_array *back = cast_ok(out, d38, NL_CAST_STRICT);
    assert_true(nl_array_decimal(back, 0) == max38);
    nl_array_unref(back);
    nl_array_unref(out);
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    nl_array_unref(in);

    nl_type_unref(d38);
    nl_type_unref(d32);
    nl_type_unref(d42);
}

static void test_from_text(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *out = NULL;
    nl_array *in = texts((const char *const[]){"42", " -7 ", "12.0", "abc", NULL, "300", "1e3"}, 7);
    out = cast_ok(in, nl_type_get(NL_TYPE_INT16), NL_CAST_TRY);
    assert_int_equal(NL_ARRAY_VALUES(out, int16_t)[0], 42);
    assert_int_equal(NL_ARRAY_VALUES(out, int16_t)[1], -7);
    assert_int_equal(NL_ARRAY_VALUES(out, int16_t)[2], 12);
    assert_true(nl_array_is_null(out, 3));
    assert_true(nl_array_is_null(out, 4));
    assert_int_equal(NL_ARRAY_VALUES(out, int16_t)[5], 300);
    assert_int_equal(NL_ARRAY_VALUES(out, int16_t)[6], 1000);
    nl_array_unref(out);
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT, &out, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "'abc'"));
    assert_non_null(strstr(err.message, "row 3"));
    out = cast_ok(in, nl_type_get(NL_TYPE_INT8), NL_CAST_TRY);
    assert_true(nl_array_is_null(out, 5)); /* 300 does not fit */
    nl_array_unref(out);
    out = cast_ok(in, nl_type_get(NL_TYPE_FLOAT64), NL_CAST_TRY);
    assert_true(NL_ARRAY_VALUES(out, double)[2] == 12.0);
    assert_true(NL_ARRAY_VALUES(out, double)[6] == 1000.0);
    nl_array_unref(out);
    nl_array_unref(in);

    in = texts((const char *const[]){"2024-02-29", "1969-12-31", "2023-02-29", "2024-13-01", "x"}, 5);
    out = cast_ok(in, nl_type_get(NL_TYPE_DATE32), NL_CAST_TRY);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[0], 19782);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[1], -1);
    assert_int_equal(out->null_count, 3);
    nl_array_unref(out);
    nl_array_unref(in);

    nl_type *ts = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
    in = texts((const char *const[]){"2024-01-01 00:00:00", "2024-01-01T01:02:03.5Z",
                                      "2024-01-01 02:00:00+02:00", "2024-01-01", "2024-01-01 25:00:00"},
               5);
    out = cast_ok(in, ts, NL_CAST_TRY);
    const int64_t base = 1704067200LL * 1000000;
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[0], base);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], base + 3723500000LL);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[2], base);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[3], base);
    assert_true(nl_array_is_null(out, 4));
    nl_array_unref(out);
    nl_array_unref(in);
    nl_type_unref(ts);

    in = texts((const char *const[]){"true", "F", "yes", "0", "maybe"}, 5);
    out = cast_ok(in, nl_type_get(NL_TYPE_BOOL), NL_CAST_TRY);
    assert_true(nl_array_bool(out, 0));
    assert_false(nl_array_bool(out, 1));
    assert_true(nl_array_bool(out, 2));
    assert_false(nl_array_bool(out, 3));
    assert_true(nl_array_is_null(out, 4));
    nl_array_unref(out);
    nl_array_unref(in);

    nl_type *dec = nl_type_decimal(6, 2);
    in = texts((const char *const[]){"1234.565", "-0.005", "9999.995", ".5", "1e2", "1.2.3"}, 6);
    out = cast_ok(in, dec, NL_CAST_TRY);
    assert_true(nl_array_decimal(out, 0) == 123457);
    assert_true(nl_array_decimal(out, 1) == -1);
    assert_true(nl_array_is_null(out, 2));
    assert_true(nl_array_decimal(out, 3) == 50);
    assert_true(nl_array_decimal(out, 4) == 10000);
    assert_true(nl_array_is_null(out, 5));
    nl_array_unref(out);
    nl_array_unref(in);
    nl_type_unref(dec);

    nl_type *tm = nl_type_time64(NL_UNIT_MICRO);
    in = texts((const char *const[]){"12:34:56.789", "23:59", "24:00:00"}, 3);
    out = cast_ok(in, tm, NL_CAST_TRY);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[0], 45296789000LL);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], 86340000000LL);
    assert_true(nl_array_is_null(out, 2));
    nl_array *txt = cast_ok(out, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(txt, 0, "12:34:56.789");
    assert_text(txt, 1, "23:59:00");
    nl_array_unref(txt);
    nl_array_unref(out);
    nl_array_unref(in);
    nl_type_unref(tm);

    /* text to binary shares the buffers; invalid UTF-8 back to text fails */
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_BINARY), 0);
    nl_builder_append_string(b, "ok", 2);
    nl_builder_append_string(b, "\xff\xfe", 2);
    nl_builder_append_string(b, "\xc3\xa9", 2);
    nl_builder_append_string(b, "\xed\xa0\x80", 3); /* a surrogate */
    in = finish(b);
    assert_int_equal(nl_cast(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT, &out, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "UTF-8"));
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_TRY);
    assert_text(out, 0, "ok");
    assert_text(out, 1, NULL);
    assert_text(out, 2, "\xc3\xa9");
    assert_text(out, 3, NULL);
    nl_array *bin = cast_ok(out, nl_type_get(NL_TYPE_BINARY), NL_CAST_STRICT);
    assert_ptr_equal(bin->data, out->data);
    nl_array_unref(bin);
    nl_array_unref(out);
    nl_array_unref(in);
}

static void test_to_text(void **state) {
    (void)state;
    double v[8] = {10.0, 0.1, 1e-6, 1e20, -2.5, 0.00001, 1e15, 1e16};
    nl_array *in = doubles(v, 8);
    nl_array *out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    const char *want[8] = {"10.0", "0.1", "1e-6", "1e+20", "-2.5", "0.00001", "1000000000000000.0", "1e+16"};
    for (int i = 0; i < 8; i++) assert_text(out, i, want[i]);
    nl_array_unref(out);
    nl_array_unref(in);

    int64_t iv[3] = {INT64_MIN, 0, 7};
    in = int64s(iv, 3, 1);
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(out, 0, "-9223372036854775808");
    assert_text(out, 1, NULL);
    assert_text(out, 2, "7");
    nl_array_unref(out);
    nl_array_unref(in);

    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_BOOL), 0);
    nl_builder_append_bool(b, true);
    nl_builder_append_bool(b, false);
    in = finish(b);
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(out, 0, "true");
    assert_text(out, 1, "false");
    nl_array_unref(out);
    /* booleans to numbers and back */
    out = cast_ok(in, nl_type_get(NL_TYPE_INT32), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int32_t)[0], 1);
    nl_array *back = cast_ok(out, nl_type_get(NL_TYPE_BOOL), NL_CAST_STRICT);
    assert_true(nl_array_equals(back, in));
    nl_array_unref(back);
    nl_array_unref(out);
    nl_array_unref(in);

    nl_type *ts = nl_type_timestamp(NL_UNIT_MILLI, NULL);
    b = nl_builder_new(ts, 0);
    nl_builder_append_int(b, 1704112496500LL);
    nl_builder_append_int(b, -1);
    in = finish(b);
    out = cast_ok(in, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(out, 0, "2024-01-01 12:34:56.500");
    assert_text(out, 1, "1969-12-31 23:59:59.999");
    /* and back */
    back = cast_ok(out, ts, NL_CAST_STRICT);
    assert_true(nl_array_equals(back, in));
    nl_array_unref(back);
    nl_array_unref(out);
    nl_array_unref(in);
    nl_type_unref(ts);
}

static void test_temporal(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *out = NULL;
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_DATE32), 0);
    nl_builder_append_int(b, 19723);
    nl_builder_append_int(b, -1);
    nl_builder_append_int(b, 200000); /* year 2517: past what nanoseconds hold */
    nl_array *dates = finish(b);
    nl_type *us = nl_type_timestamp(NL_UNIT_MICRO, NULL);
    nl_type *ns = nl_type_timestamp(NL_UNIT_NANO, "UTC");
    nl_type *sec = nl_type_timestamp(NL_UNIT_SECOND, NULL);
    nl_array *t = cast_ok(dates, us, NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(t, int64_t)[0], 19723LL * 86400000000LL);
    assert_int_equal(NL_ARRAY_VALUES(t, int64_t)[1], -86400000000LL);
    assert_int_equal(nl_cast(dates, ns, NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    out = cast_ok(dates, ns, NL_CAST_TRY);
    assert_true(nl_array_is_null(out, 2));
    nl_array_unref(out);

    /* back to dates; and a pre-epoch instant falls on the day before */
    nl_array *d = cast_ok(t, nl_type_get(NL_TYPE_DATE32), NL_CAST_STRICT);
    assert_true(nl_array_equals(d, dates));
    nl_array_unref(d);
    nl_array_unref(dates);

    b = nl_builder_new(us, 0);
    nl_builder_append_int(b, -1);       /* 1969-12-31 23:59:59.999999 */
    nl_builder_append_int(b, 1500000);  /* 1.5 s */
    nl_builder_append_int(b, INT64_MAX);
    nl_array *u = finish(b);
    d = cast_ok(u, nl_type_get(NL_TYPE_DATE32), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(d, int32_t)[0], -1);
    nl_array_unref(d);
    nl_array *s = cast_ok(u, sec, NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(s, int64_t)[0], -1); /* floor */
    assert_int_equal(NL_ARRAY_VALUES(s, int64_t)[1], 1);
    nl_array_unref(s);
    assert_int_equal(nl_cast(u, ns, NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    nl_type *tm = nl_type_time64(NL_UNIT_NANO);
    nl_array *times = cast_ok(u, tm, NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(times, int64_t)[0], 86399999999000LL);
    assert_int_equal(NL_ARRAY_VALUES(times, int64_t)[1], 1500000000LL);
    nl_array_unref(times);
    nl_type_unref(tm);
    /* changing only the zone keeps the values and the buffers */
    nl_type *us_utc = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
    out = cast_ok(u, us_utc, NL_CAST_STRICT);
    assert_ptr_equal(out->values, u->values);
    nl_array_unref(out);
    nl_type_unref(us_utc);
    /* to and from integers */
    out = cast_ok(u, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], 1500000);
    nl_array_unref(out);
    assert_int_equal(nl_cast(u, nl_type_get(NL_TYPE_FLOAT64), NL_CAST_STRICT, &out, &err), NL_ENOTSUP);
    nl_array_unref(u);

    nl_type *dms = nl_type_duration(NL_UNIT_MILLI), *dsec = nl_type_duration(NL_UNIT_SECOND);
    b = nl_builder_new(dms, 0);
    nl_builder_append_int(b, -1500);
    nl_array *dur = finish(b);
    out = cast_ok(dur, dsec, NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[0], -1); /* toward zero */
    nl_array_unref(out);
    nl_array_unref(dur);
    nl_type_unref(dms);
    nl_type_unref(dsec);

    /* zoned instants to text say they are UTC, and read back */
    nl_array *zoned = cast_ok(t, ns, NL_CAST_TRY);
    nl_array *text = cast_ok(zoned, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT);
    assert_text(text, 0, "2024-01-01 00:00:00+00:00");
    nl_array *again = cast_ok(text, ns, NL_CAST_STRICT);
    assert_true(nl_array_equals(again, zoned));
    nl_array_unref(again);
    nl_array_unref(text);
    nl_array_unref(zoned);

    nl_array_unref(t);
    nl_type_unref(us);
    nl_type_unref(ns);
    nl_type_unref(sec);
}

static void test_null_nested_and_unsupported(void **state) {
    (void)state;
    nl_error err = {0};
    nl_array *nulls = NULL;
    assert_int_equal(nl_array_new_nulls(nl_type_get(NL_TYPE_NULL), 4, &nulls, &err), NL_OK);
    nl_type *lt = nl_type_list(nl_type_get(NL_TYPE_INT32), true);
    nl_array *out = cast_ok(nulls, lt, NL_CAST_STRICT);
    assert_int_equal(out->null_count, 4);
    nl_array_unref(out);
    out = cast_ok(nulls, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT);
    assert_int_equal(out->null_count, 4);
    nl_array_unref(out);
    nl_array_unref(nulls);

    /* list<i32> to list<i64> and list<str> */
    nl_builder *b = nl_builder_new(lt, 0);
    nl_builder_list_begin(b);
    nl_builder_append_int(nl_builder_child(b, 0), 1);
    nl_builder_append_int(nl_builder_child(b, 0), 200);
    nl_builder_list_end(b);
    nl_builder_append_null(b);
    nl_array *l = finish(b);
    nl_type *l64 = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_type *l8 = nl_type_list(nl_type_get(NL_TYPE_INT8), true);
    out = cast_ok(l, l64, NL_CAST_STRICT);
    assert_int_equal(NL_ARRAY_VALUES(out->children[0], int64_t)[1], 200);
    assert_true(nl_array_is_null(out, 1));
    nl_array_unref(out);
    assert_int_equal(nl_cast(l, l8, NL_CAST_STRICT, &out, &err), NL_EOVERFLOW);
    assert_true(nl_can_cast(lt, l64));
    assert_false(nl_can_cast(lt, nl_type_get(NL_TYPE_UTF8)));
    assert_int_equal(nl_cast(l, nl_type_get(NL_TYPE_UTF8), NL_CAST_STRICT, &out, &err), NL_ENOTSUP);
    assert_non_null(strstr(err.message, "LIST<INTEGER>"));
    nl_array_unref(l);
    nl_type_unref(l8);
    nl_type_unref(l64);
    nl_type_unref(lt);

    assert_true(nl_can_cast(nl_type_get(NL_TYPE_UTF8), nl_type_get(NL_TYPE_DATE32)));
    assert_true(nl_can_cast(nl_type_get(NL_TYPE_INT8), nl_type_get(NL_TYPE_FLOAT32)));
    assert_false(nl_can_cast(nl_type_get(NL_TYPE_DATE32), nl_type_get(NL_TYPE_FLOAT32)));
    assert_false(nl_can_cast(nl_type_get(NL_TYPE_INT64), nl_type_get(NL_TYPE_NULL)));
}

static void test_parse_numbers(void **state) {
    (void)state;
    int64_t i;
    uint64_t u;
    double d;
    assert_true(nl_parse_int64("9223372036854775807", 19, &i));
    assert_true(i == INT64_MAX);
    assert_true(nl_parse_int64("-9223372036854775808", 20, &i));
    assert_true(i == INT64_MIN);
    assert_false(nl_parse_int64("9223372036854775808", 19, &i));
    assert_false(nl_parse_int64("-9223372036854775809", 20, &i));
    assert_true(nl_parse_int64("+5", 2, &i));
    assert_int_equal(i, 5);
    assert_false(nl_parse_int64("", 0, &i));
    assert_false(nl_parse_int64("-", 1, &i));
    assert_false(nl_parse_int64("1 2", 3, &i));
    assert_false(nl_parse_int64("12a", 3, &i));
    assert_true(nl_parse_int64("123456", 3, &i)); /* only len bytes are read */
    assert_int_equal(i, 123);
    assert_true(nl_parse_uint64("18446744073709551615", 20, &u));
    assert_true(u == UINT64_MAX);
    assert_false(nl_parse_uint64("18446744073709551616", 20, &u));
    assert_false(nl_parse_uint64("-1", 2, &u));
    assert_true(nl_parse_double(" 1.5e3 ", 7, &d));
    assert_true(d == 1500.0);
    assert_true(nl_parse_double("-inf", 4, &d));
    assert_true(isinf(d) && d < 0);
    assert_true(nl_parse_double("NaN", 3, &d));
    assert_true(isnan(d));
    assert_false(nl_parse_double("1e999", 5, &d));
    assert_false(nl_parse_double("0x10", 4, &d));
    assert_false(nl_parse_double("1.5x", 4, &d));
    assert_false(nl_parse_double("", 0, &d));
    assert_true(nl_parse_double("1e-400", 6, &d)); /* underflow reads as zero */

    __int128 x;
    assert_true(nl_parse_decimal("12.345", 6, 5, 2, &x));
    assert_true(x == 1235);
    assert_true(nl_parse_decimal("-12.345", 7, 5, 2, &x));
    assert_true(x == -1235);
    assert_true(nl_parse_decimal("5e-4", 4, 5, 2, &x));
    assert_true(x == 0);
    assert_true(nl_parse_decimal("0.005", 5, 5, 2, &x));
    assert_true(x == 1);
    assert_true(nl_parse_decimal("1.5E+2", 6, 5, 0, &x));
    assert_true(x == 150);
    assert_true(nl_parse_decimal("5.", 2, 3, 1, &x));
    assert_true(x == 50);
    assert_true(nl_parse_decimal("0e999999999", 11, 3, 1, &x));
    assert_true(x == 0);
    assert_false(nl_parse_decimal("1e999999999", 11, 38, 1, &x));
    assert_false(nl_parse_decimal("99.995", 6, 4, 2, &x));
    assert_false(nl_parse_decimal("123.4", 5, 3, 2, &x));
    assert_false(nl_parse_decimal(".", 1, 3, 1, &x));
    assert_false(nl_parse_decimal("1e", 2, 3, 1, &x));
    assert_false(nl_parse_decimal("1", 1, 39, 1, &x));
    assert_true(nl_parse_decimal("0.00000000000000000000000000000000000000000000001", 49, 38, 2, &x));
    assert_true(x == 0);
    char buf[64];
    assert_int_equal(nl_format_decimal(-5, 2, buf, sizeof buf), 5);
    assert_string_equal(buf, "-0.05");
    nl_format_decimal(123, 0, buf, sizeof buf);
    assert_string_equal(buf, "123");
    nl_format_decimal(0, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.000");
    char tiny[4];
    assert_int_equal(nl_format_decimal(123456, 2, tiny, sizeof tiny), 7);
    assert_string_equal(tiny, "123");

    bool bv;
    assert_true(nl_parse_bool(" TRUE ", 6, &bv) && bv);
    assert_true(nl_parse_bool("n", 1, &bv) && !bv);
    assert_false(nl_parse_bool("tru", 3, &bv));
}

static void test_dates_and_times(void **state) {
    (void)state;
    int32_t days;
    char buf[64];
    assert_true(nl_parse_date("1970-01-01", 10, &days));
    assert_int_equal(days, 0);
    assert_true(nl_parse_date("2000-03-01", 10, &days));
    assert_int_equal(days, 11017);
    assert_true(nl_parse_date("2024-1-5", 8, &days));
    assert_false(nl_parse_date("1900-02-29", 10, &days)); /* not a leap year */
    assert_true(nl_parse_date("2000-02-29", 10, &days));
    assert_false(nl_parse_date("2024-01-32", 10, &days));
    assert_false(nl_parse_date("2024-01", 7, &days));
    assert_false(nl_parse_date("24-01-01", 8, &days));
    assert_false(nl_parse_date("2024-01-01x", 11, &days));
    nl_format_date(-719528, buf, sizeof buf);
    assert_string_equal(buf, "0000-01-01");
    nl_format_date(2932897, buf, sizeof buf);
    assert_string_equal(buf, "+10000-01-01");
    nl_format_date(-719529, buf, sizeof buf);
    assert_string_equal(buf, "-0001-12-31");
    for (int32_t dd = -800000; dd < 800000; dd += 997) {
        int64_t y;
        unsigned m, d;
        nl_civil_from_days(dd, &y, &m, &d);
        assert_int_equal(nl_days_from_civil(y, m, d), dd);
    }

    int64_t v;
    assert_true(nl_parse_timestamp("1970-01-01 00:00:01.123456789", 29, NL_UNIT_NANO, &v));
    assert_int_equal(v, 1123456789LL);
    assert_true(nl_parse_timestamp("1970-01-01 00:00:01.123456789", 29, NL_UNIT_MILLI, &v));
    assert_int_equal(v, 1123);
    assert_true(nl_parse_timestamp("1970-01-01T00:00:00-01:30", 25, NL_UNIT_SECOND, &v));
    assert_int_equal(v, 5400);
    assert_true(nl_parse_timestamp("1970-01-01 00:00+0100", 21, NL_UNIT_SECOND, &v));
    assert_int_equal(v, -3600);
    assert_false(nl_parse_timestamp("1970-01-01 00:00:60", 19, NL_UNIT_SECOND, &v));
    assert_false(nl_parse_timestamp("3000-01-01", 10, NL_UNIT_NANO, &v)); /* past 2262 */
    assert_false(nl_parse_timestamp("1970-01-01 00:00:00.", 20, NL_UNIT_SECOND, &v));

    nl_format_timestamp(0, NL_UNIT_MICRO, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01 00:00:00");
    nl_format_timestamp(1500, NL_UNIT_MICRO, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01 00:00:00.001500");
    nl_format_timestamp(1, NL_UNIT_NANO, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01 00:00:00.000000001");
    nl_format_timestamp(-1, NL_UNIT_SECOND, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31 23:59:59");
    nl_format_timestamp(INT64_MIN, NL_UNIT_NANO, buf, sizeof buf);
    assert_string_equal(buf, "1677-09-21 00:12:43.145224192");
    nl_format_time(45296789000LL, NL_UNIT_MICRO, buf, sizeof buf);
    assert_string_equal(buf, "12:34:56.789");
    assert_true(nl_parse_time_of_day("01:02:03.000004", 15, NL_UNIT_NANO, &v));
    assert_int_equal(v, 3723000004000LL);
    assert_false(nl_parse_time_of_day("1:2:3", 5, NL_UNIT_NANO, &v));

    /* durations as nodejs-polars displays them */
    static const struct {
        int64_t v;
        nl_time_unit unit;
        const char *want;
    } durs[] = {
        {0, NL_UNIT_MILLI, "0ms"},
        {0, NL_UNIT_MICRO, "0\xc2\xb5s"},
        {0, NL_UNIT_NANO, "0ns"},
        {1500, NL_UNIT_MILLI, "1s 500ms"},
        {1500, NL_UNIT_MICRO, "1500\xc2\xb5s"},
        {1500, NL_UNIT_NANO, "1500ns"},
        {86400000LL * 2 + 3723004, NL_UNIT_MILLI, "2d 1h 2m 3s 4ms"},
        {86400000LL * 2 + 3723004, NL_UNIT_MICRO, "2m 56s 523004\xc2\xb5s"},
        {86400000LL * 2 + 3723004, NL_UNIT_NANO, "176523004ns"},
        {-1500, NL_UNIT_MILLI, "-1s -500ms"},
        {3600000, NL_UNIT_MILLI, "1h"},
        {3600000, NL_UNIT_MICRO, "3s 600ms"},
        {3600000, NL_UNIT_NANO, "3600\xc2\xb5s"},
        {123, NL_UNIT_MILLI, "123ms"},
        {90, NL_UNIT_SECOND, "1m 30s"},
    };
    for (size_t k = 0; k < sizeof durs / sizeof durs[0]; k++) {
        nl_format_duration(durs[k].v, durs[k].unit, buf, sizeof buf);
        assert_string_equal(buf, durs[k].want);
    }
}

/* What nodejs-polars gives for cast(pl.Utf8) and for DataFrame display. */
static void test_float_text_like_polars(void **state) {
    (void)state;
    static const struct {
        double v;
        const char *cast, *table;
    } cases[] = {
        {10.0, "10.0", "10.0"},
        {0.1, "0.1", "0.1"},
        {1.5e-05, "0.000015", "0.000015"},
        {1e20, "1e+20", "1.0000e20"},
        {123456789.125, "123456789.125", "1.2346e8"},
        {1e15, "1000000000000000.0", "1.0000e15"},
        {1e16, "1e+16", "1.0000e16"},
        {-0.0, "-0.0", "-0.0"},
        {3.0e-4, "0.0003", "0.0003"},
        {1.0 / 3.0, "0.3333333333333333", "0.333333"},
        {1e-5, "0.00001", "0.00001"},
        {123456.0, "123456.0", "123456.0"},
        {1234567.0, "1234567.0", "1.234567e6"},
        {1e9, "1000000000.0", "1.0000e9"},
        {2.5e-7, "2.5e-7", "2.5000e-7"},
        {NAN, "NaN", "NaN"},
        {INFINITY, "inf", "inf"},
        {-INFINITY, "-inf", "-inf"},
        {1.7976931348623157e308, "1.7976931348623157e+308", "1.7977e308"},
        {5e-324, "5e-324", "4.9407e-324"},
        {0.30000000000000004, "0.30000000000000004", "0.3"},
        {9.5, "9.5", "9.5"},
        {999999.0, "999999.0", "9.99999e5"},
        {1000000.0, "1000000.0", "1e6"},
        {12.0000000001, "12.0000000001", "12.0"},
        {0.000001, "1e-6", "0.000001"},
        {0.0000012345, "1.2345e-6", "0.000001"},
        {-1234.5, "-1234.5", "-1234.5"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n = nl_format_double(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].cast);
        assert_int_equal(n, (int)strlen(cases[i].cast));
        nl_format_double_table(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].table);
    }
    static const struct {
        float v;
        const char *cast;
    } fcases[] = {{1e15f, "1e+15"}, {1e12f, "1000000000000.0"}, {1.5e-6f, "0.0000015"},
                  {1.5e-7f, "1.5e-7"}, {123456789.0f, "123456790.0"}, {1.0f / 3.0f, "0.33333334"},
                  {3.4e38f, "3.4e+38"}, {0.1f, "0.1"}};
    for (size_t i = 0; i < sizeof fcases / sizeof fcases[0]; i++) {
        nl_format_float(fcases[i].v, buf, sizeof buf);
        assert_string_equal(buf, fcases[i].cast);
    }
    /* random bit patterns: the text reads back to the same double, and no
     * shorter text would (checked by trying every length) */
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 3000; k++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        double x;
        memcpy(&x, &seed, 8);
        if (!isfinite(x)) continue;
        int n = nl_format_double(x, buf, sizeof buf);
        double back;
        assert_true(nl_parse_double(buf, (size_t)n, &back));
        assert_true(back == x);
        /* significant digits: from the first non-zero to the last non-zero */
        char ds[64];
        int nds = 0;
        for (const char *c = buf; *c && *c != 'e'; c++)
            if (*c >= '0' && *c <= '9') ds[nds++] = *c;
        int first = 0, last = nds - 1;
        while (first < nds && ds[first] == '0') first++;
        while (last > first && ds[last] == '0') last--;
        int digits = last - first + 1;
        char shorter[64];
        for (int p = 1; p < 17; p++) {
            snprintf(shorter, sizeof shorter, "%.*e", p - 1, x);
            if (strtod(shorter, NULL) == x) {
                assert_true(digits <= p);
                break;
            }
        }
        float fx = (float)x;
        if (isfinite(fx)) {
            n = nl_format_float(fx, buf, sizeof buf);
            assert_true(strtof(buf, NULL) == fx);
        }
    }
    /* values in the exact fast path's range, clean and noisy: the digits are
     * the shortest that read back (every length tried), and the value is the
     * one printf gives at that length */
    for (int k = 0; k < 4000; k++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        double x;
        switch (k % 4) {
        case 0: x = (double)(seed % 100000000) / 100.0; break;             /* prices */
        case 1: x = (double)(seed % 1000) / 1e7; break;                    /* small */
        case 2: x = (double)(seed >> 11) * 0x1p-53 * 1e6; break;          /* noisy */
        default: x = (double)(seed % 9007199254740991ULL); break;          /* integers */
        }
        if (x == 0) continue;
        int n = nl_format_double(x, buf, sizeof buf);
        double back;
        assert_true(nl_parse_double(buf, (size_t)n, &back));
        assert_true(back == x);
        int best = 17;
        char shortest[64];
        for (int p = 1; p <= 17; p++) {
            snprintf(shortest, sizeof shortest, "%.*e", p - 1, x);
            if (strtod(shortest, NULL) == x) {
                best = p;
                break;
            }
        }
        char ds[64];
        int nds = 0;
        for (const char *c = buf; *c && *c != 'e'; c++)
            if (*c >= '0' && *c <= '9') ds[nds++] = *c;
        int first = 0, last = nds - 1;
        while (first < nds && ds[first] == '0') first++;
        while (last > first && ds[last] == '0') last--;
        if (last - first + 1 != best) fail_msg("%.17g printed as %s, shortest has %d digits", x, buf, best);
    }
    /* round trip of awkward doubles */
    double awk[4] = {0.1 + 0.2, 1.0 / 7.0, 2.2250738585072014e-308, 123.456e100};
    for (int i = 0; i < 4; i++) {
        double back;
        int n = nl_format_double(awk[i], buf, sizeof buf);
        assert_true(nl_parse_double(buf, (size_t)n, &back));
        assert_true(back == awk[i]);
    }
}

/* Random text into every parser and random arrays through casts to text and
 * back: nothing reads out of bounds (ASan), parsers accept only what reads
 * back, and STRICT and TRY agree on which rows fail. */
static void test_random_text(void **state) {
    (void)state;
    static const char alphabet[] = "0123456789+-.eE: TZ-x";
    uint64_t seed = 0x13198a2e03707344ULL;
    char s[24];
    for (int round = 0; round < 20000; round++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        size_t len = seed % sizeof s;
        for (size_t k = 0; k < len; k++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            s[k] = alphabet[seed % (sizeof alphabet - 1)];
        }
        int64_t i;
        uint64_t u;
        double d;
        __int128 x;
        int32_t days;
        bool b;
        if (nl_parse_int64(s, len, &i)) {
            char back[32];
            nl_format_int64(i, back, sizeof back);
            int64_t again;
            assert_true(nl_parse_int64(back, strlen(back), &again) && again == i);
        }
        (void)nl_parse_uint64(s, len, &u);
        if (nl_parse_double(s, len, &d) && isfinite(d)) {
            char back[64];
            int n = nl_format_double(d, back, sizeof back);
            double again;
            assert_true(nl_parse_double(back, (size_t)n, &again) && again == d);
        }
        if (nl_parse_decimal(s, len, 10, 3, &x)) {
            char back[64];
            int n = nl_format_decimal(x, 3, back, sizeof back);
            __int128 again;
            assert_true(nl_parse_decimal(back, (size_t)n, 10, 3, &again) && again == x);
        }
        if (nl_parse_date(s, len, &days)) {
            char back[32];
            int n = nl_format_date(days, back, sizeof back);
            int32_t again;
            assert_true(nl_parse_date(back, (size_t)n, &again) && again == days);
        }
        (void)nl_parse_timestamp(s, len, NL_UNIT_NANO, &i);
        (void)nl_parse_time_of_day(s, len, NL_UNIT_MICRO, &i);
        (void)nl_parse_bool(s, len, &b);
    }

    /* random int64 through every numeric type, STRICT vs TRY */
    nl_builder *bld = nl_builder_new(nl_type_get(NL_TYPE_INT64), 0);
    for (int k = 0; k < 3000; k++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        if (k % 17 == 0) nl_builder_append_null(bld);
        else nl_builder_append_int(bld, (int64_t)seed >> (seed % 64));
    }
    nl_array *in = finish(bld);
    nl_type *dec = nl_type_decimal(12, 3);
    nl_type *targets[] = {nl_type_get(NL_TYPE_INT8),   nl_type_get(NL_TYPE_INT16),
                          nl_type_get(NL_TYPE_INT32),  nl_type_get(NL_TYPE_UINT8),
                          nl_type_get(NL_TYPE_UINT32), nl_type_get(NL_TYPE_UINT64),
                          nl_type_get(NL_TYPE_FLOAT32), nl_type_get(NL_TYPE_FLOAT64), dec,
                          nl_type_get(NL_TYPE_UTF8),    nl_type_get(NL_TYPE_BOOL)};
    for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
        nl_array *tried = cast_ok(in, targets[k], NL_CAST_TRY);
        nl_array *strict = NULL;
        nl_error err = {0};
        nl_status st = nl_cast(in, targets[k], NL_CAST_STRICT, &strict, &err);
        if (tried->null_count == in->null_count) {
            assert_int_equal(st, NL_OK);
            assert_true(nl_array_equals(strict, tried));
            /* back to int64: the values that fit come back unchanged */
            nl_array *back = NULL;
            if (nl_type_is_integer(targets[k]->id) || targets[k]->id == NL_TYPE_UTF8) {
                back = cast_ok(tried, nl_type_get(NL_TYPE_INT64), NL_CAST_STRICT);
                assert_true(nl_array_equals(back, in));
                nl_array_unref(back);
            }
            nl_array_unref(strict);
        } else {
            assert_int_not_equal(st, NL_OK);
            assert_null(strict);
            /* every row TRY nulled but the input had is a row STRICT rejects */
            for (int64_t r = 0; r < in->length; r++)
                if (nl_array_is_valid(in, r) && nl_array_is_null(tried, r)) {
                    nl_array *one = nl_array_slice(in, r, 1);
                    nl_array *o = NULL;
                    assert_int_not_equal(nl_cast(one, targets[k], NL_CAST_STRICT, &o, &err), NL_OK);
                    nl_array_unref(one);
                    break;
                }
        }
        nl_array_unref(tried);
    }
    nl_type_unref(dec);
    nl_array_unref(in);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_narrowing),
        cmocka_unit_test(test_float_to_integer),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_from_text),
        cmocka_unit_test(test_to_text),
        cmocka_unit_test(test_temporal),
        cmocka_unit_test(test_null_nested_and_unsupported),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_dates_and_times),
        cmocka_unit_test(test_float_text_like_polars),
        cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
