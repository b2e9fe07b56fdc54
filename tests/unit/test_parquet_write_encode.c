/*
 * test_parquet_write_encode.c -- the Parquet writer's encoders checked
 * against the reader's independent decoders: the RLE/bit-packed hybrid,
 * DELTA_BINARY_PACKED, PLAIN booleans, the thrift compact encoder (through
 * the page header and page index decoders), dictionaries and statistics.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "formats/parquet/encoding.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/write_internal.h"

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Values with runs of every length, literals and their mixtures. */
static void fill_levels(uint32_t *v, int64_t n, int bw, int pattern) {
    uint32_t mask = bw >= 32 ? 0xFFFFFFFFu : (1u << bw) - 1;
    int64_t i = 0;
    while (i < n) {
        int64_t run = pattern == 0 ? 1 : pattern == 1 ? (int64_t)(rnd() % 20) + 1
                                                       : (int64_t)(rnd() % 300) + 1;
        uint32_t x = (uint32_t)rnd() & mask;
        for (int64_t k = 0; k < run && i < n; k++) v[i++] = x;
    }
}

static void check_rle_u32(const uint32_t *v, int64_t n, int bw) {
    pq_buf b;
    pq_buf_init(&b);
    pqw_rle_u32(&b, v, n, bw);
    assert_true(pq_buf_ok(&b));
    pq_rle d;
    pq_rle_init(&d, b.data, b.len, bw);
    uint32_t *out = calloc((size_t)n + 1, 4);
    assert_int_equal(pq_rle_get_u32(&d, out, n), n);
    assert_false(d.failed);
    assert_memory_equal(v, out, (size_t)n * 4);
    free(out);
    pq_buf_free(&b);
}

static void test_rle_hybrid(void **state) {
    (void)state;
    static const int64_t sizes[] = {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 4099};
    for (int bw = 1; bw <= 32; bw++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            for (int pattern = 0; pattern < 3; pattern++) {
                int64_t n = sizes[s];
                uint32_t *v = calloc((size_t)n + 1, 4);
                fill_levels(v, n, bw, pattern);
                check_rle_u32(v, n, bw);
                free(v);
            }
        }
    }
    /* Levels as bytes, including the all-equal case of a flat column. */
    for (int bw = 1; bw <= 8; bw++) {
        int64_t n = 5000;
        uint8_t *v = calloc((size_t)n, 1);
        uint32_t *w = calloc((size_t)n, 4);
        for (int pattern = 0; pattern < 4; pattern++) {
            uint32_t tmp[5000];
            fill_levels(tmp, n, bw, pattern % 3);
            for (int64_t i = 0; i < n; i++) v[i] = pattern == 3 ? 1 : (uint8_t)tmp[i];
            pq_buf b;
            pq_buf_init(&b);
            pqw_rle_u8(&b, v, n, bw);
            pq_rle d;
            pq_rle_init(&d, b.data, b.len, bw);
            assert_int_equal(pq_rle_get_u32(&d, w, n), n);
            for (int64_t i = 0; i < n; i++) assert_int_equal(w[i], v[i]);
            if (pattern == 3) assert_true(b.len < 8); /* one RLE run */
            pq_buf_free(&b);
        }
        free(v);
        free(w);
    }
}

static void check_delta64(const int64_t *v, int64_t n) {
    pq_buf b;
    pq_buf_init(&b);
    pqw_delta_i64(&b, v, n);
    assert_true(pq_buf_ok(&b));
    int64_t *out = calloc((size_t)n + 1, 8);
    int64_t got = -1;
    size_t used = 0;
    nl_error err = {0};
    assert_int_equal(pq_delta_decode(b.data, b.len, out, n, &got, &used, &err), NL_OK);
    assert_int_equal(got, n);
    assert_int_equal(used, b.len);
    assert_memory_equal(v, out, (size_t)n * 8);
    free(out);
    pq_buf_free(&b);
}

static void check_delta32(const int32_t *v, int64_t n) {
    pq_buf b;
    pq_buf_init(&b);
    pqw_delta_i32(&b, v, n);
    int64_t *out = calloc((size_t)n + 1, 8);
    int64_t got = -1;
    size_t used = 0;
    nl_error err = {0};
    assert_int_equal(pq_delta_decode(b.data, b.len, out, n, &got, &used, &err), NL_OK);
    assert_int_equal(got, n);
    for (int64_t i = 0; i < n; i++) assert_int_equal((int32_t)out[i], v[i]);
    free(out);
    pq_buf_free(&b);
}

static void test_delta_binary_packed(void **state) {
    (void)state;
    static const int64_t sizes[] = {0, 1, 2, 31, 32, 33, 127, 128, 129, 1000, 5000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int64_t n = sizes[s];
        int64_t *v = calloc((size_t)n + 1, 8);
        int32_t *w = calloc((size_t)n + 1, 4);
        for (int kind = 0; kind < 6; kind++) {
            for (int64_t i = 0; i < n; i++) {
                switch (kind) {
                case 0: v[i] = i * 3 + 100; break;                      /* sorted */
                case 1: v[i] = (int64_t)rnd(); break;                   /* random 64-bit */
                case 2: v[i] = i % 2 ? INT64_MAX : INT64_MIN; break;    /* extremes */
                case 3: v[i] = 42; break;                               /* constant */
                case 4: v[i] = (int64_t)(rnd() % 1000) - 500; break;    /* small */
                default: v[i] = -i * 1000003; break;                    /* descending */
                }
                w[i] = kind == 2 ? (i % 2 ? INT32_MAX : INT32_MIN) : (int32_t)v[i];
            }
            check_delta64(v, n);
            check_delta32(w, n);
        }
        free(v);
        free(w);
    }
}

static void test_plain_bool(void **state) {
    (void)state;
    uint8_t v[77];
    for (int i = 0; i < 77; i++) v[i] = (uint8_t)(rnd() & 1);
    pq_buf b;
    pq_buf_init(&b);
    pqw_plain_bool(&b, v, 77);
    assert_int_equal(b.len, 10);
    for (int i = 0; i < 77; i++) assert_int_equal((b.data[i / 8] >> (i % 8)) & 1, v[i]);
    pq_buf_free(&b);
}

/* A page header and the page index structures decode to what was encoded,
 * including field ids that need the long form and lists of 15+ items. */
static void test_thrift_encoder(void **state) {
    (void)state;
    pq_buf b;
    pq_buf_init(&b);
    pq_tw tw;
    pq_tw_init(&tw, &b);
    pq_tw_struct_begin(&tw);
    pq_tw_field_i32(&tw, 1, 0);      /* DATA_PAGE */
    pq_tw_field_i32(&tw, 2, 123456);
    pq_tw_field_i32(&tw, 3, 654321);
    pq_tw_field_i32(&tw, 4, -7);     /* crc */
    pq_tw_field_struct(&tw, 5);
    pq_tw_field_i32(&tw, 1, 1000);
    pq_tw_field_i32(&tw, 2, 8);
    pq_tw_field_i32(&tw, 3, 3);
    pq_tw_field_i32(&tw, 4, 3);
    pq_tw_field_struct(&tw, 5);
    pq_tw_field_i64(&tw, 3, 17);
    pq_tw_field_binary(&tw, 5, "zz", 2);
    pq_tw_field_binary(&tw, 6, "aa", 2);
    pq_tw_struct_end(&tw);
    pq_tw_struct_end(&tw);
    pq_tw_field_i64(&tw, 99, 5); /* an unknown field, long form: skipped */
    pq_tw_struct_end(&tw);
    assert_true(pq_tw_ok(&tw));
    pq_page_header h;
    nl_error err = {0};
    assert_int_equal(pq_page_header_decode(b.data, b.len, &h, &err), NL_OK);
    assert_int_equal(h.type, 0);
    assert_int_equal(h.uncompressed_size, 123456);
    assert_int_equal(h.compressed_size, 654321);
    assert_true(h.has_crc);
    assert_int_equal((int32_t)h.crc, -7);
    assert_int_equal(h.num_values, 1000);
    assert_int_equal(h.encoding, 8);
    assert_true(h.has_statistics);
    assert_int_equal(h.statistics.null_count, 17);
    assert_int_equal(h.statistics.max.len, 2);
    assert_memory_equal(h.statistics.min.ptr, "aa", 2);
    assert_int_equal(h.header_size, (int32_t)b.len);

    /* ColumnIndex with 20 pages (a long list header) and bool elements. */
    b.len = 0;
    pq_tw_init(&tw, &b);
    pq_tw_struct_begin(&tw);
    pq_tw_field_list(&tw, 1, PQ_TW_T_BOOL_FALSE, 20);
    for (int i = 0; i < 20; i++) pq_tw_elem_bool(&tw, i % 3 == 0);
    for (int k = 0; k < 2; k++) {
        pq_tw_field_list(&tw, (int16_t)(2 + k), PQ_TW_T_BINARY, 20);
        for (int i = 0; i < 20; i++) pq_tw_elem_binary(&tw, k ? "max" : "mi", k ? 3 : 2);
    }
    pq_tw_field_i32(&tw, 4, 1);
    pq_tw_field_list(&tw, 5, PQ_TW_T_I64, 20);
    for (int i = 0; i < 20; i++) pq_tw_elem_i64(&tw, (int64_t)i * -1000000000000LL);
    pq_tw_struct_end(&tw);
    assert_true(pq_tw_ok(&tw));
    nl_arena *arena = nl_arena_new(0);
    pq_column_index ci;
    assert_int_equal(pq_column_index_decode(b.data, b.len, arena, &ci, &err), NL_OK);
    assert_int_equal(ci.n_pages, 20);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(ci.null_pages[i], i % 3 == 0);
        assert_int_equal(ci.max[i].len, 3);
        assert_int_equal(ci.null_counts[i], (int64_t)i * -1000000000000LL);
    }
    assert_int_equal(ci.boundary_order, 1);
    nl_arena_free(arena);
    pq_buf_free(&b);
}

/* Unbalanced begin/end is reported, not silently written. */
static void test_thrift_misuse(void **state) {
    (void)state;
    pq_buf b;
    pq_buf_init(&b);
    pq_tw tw;
    pq_tw_init(&tw, &b);
    pq_tw_struct_end(&tw);
    assert_false(pq_tw_ok(&tw));
    pq_tw_init(&tw, &b);
    pq_tw_field_i32(&tw, 1, 1); /* a field outside any struct */
    assert_false(pq_tw_ok(&tw));
    pq_tw_init(&tw, &b);
    pq_tw_struct_begin(&tw);
    assert_false(pq_tw_ok(&tw)); /* still open */
    pq_buf_free(&b);
}

/* Types without the columnar module: only the id is read. */
static nl_type type_ids[NL_TYPE_COUNT_];

static pqw_leaf leaf_of(int phys, int width, pqw_order order, nl_type_id id) {
    pqw_leaf l;
    type_ids[id].id = id;
    memset(&l, 0, sizeof l);
    l.phys = phys;
    l.width = width;
    l.order = order;
    l.conv = phys == PQW_BYTE_ARRAY ? PQW_CONV_BYTES : PQW_CONV_COPY8;
    l.type = &type_ids[id];
    return l;
}

static void test_dictionary(void **state) {
    (void)state;
    pqw_leaf leaf = leaf_of(PQW_INT64, 8, PQW_ORDER_I64, NL_TYPE_INT64);
    pqw_column col;
    pqw_column_init(&col);
    int64_t n = 10000;
    pq_buf_reserve(&col.vals, (size_t)n * 8);
    int64_t *v = (int64_t *)(void *)col.vals.data;
    for (int64_t i = 0; i < n; i++) v[i] = (int64_t)(rnd() % 3000) * 7919;
    col.vals.len = (size_t)n * 8;
    col.n_values = n;
    pqw_dict d;
    pqw_dict_init(&d);
    bool oom;
    assert_true(pqw_dict_build(&d, &leaf, &col, 1 << 20, &oom));
    assert_true(d.n_entries <= 3000 && d.n_entries > 2500);
    const uint32_t *idx = (const uint32_t *)(const void *)d.indices.data;
    const uint32_t *first = (const uint32_t *)(const void *)d.entries.data;
    for (int64_t i = 0; i < n; i++) {
        assert_true(idx[i] < d.n_entries);
        assert_int_equal(v[first[idx[i]]], v[i]);
    }
    /* Past the limit: no dictionary (the fallback to PLAIN). */
    assert_false(pqw_dict_build(&d, &leaf, &col, 1000, &oom));
    assert_false(oom);
    pqw_dict_free(&d);
    pqw_column_free(&col);
}

static void test_statistics(void **state) {
    (void)state;
    pqw_column col;
    pqw_column_init(&col);
    /* Doubles: NaN ignored, zero bounds signed as the spec asks. */
    pqw_leaf dl = leaf_of(PQW_DOUBLE, 8, PQW_ORDER_DOUBLE, NL_TYPE_FLOAT64);
    double dv[] = {NAN, 0.0, 3.5, -0.0, NAN};
    pq_buf_append(&col.vals, dv, sizeof dv);
    col.n_values = 5;
    pqw_stat st;
    memset(&st, 0, sizeof st);
    pqw_stat_compute(&st, &dl, &col, 0, 5);
    assert_true(st.has_minmax);
    double mn, mx;
    memcpy(&mn, st.min, 8);
    memcpy(&mx, st.max, 8);
    assert_true(mn == 0.0 && signbit(mn));
    assert_true(mx == 3.5);
    pqw_stat_compute(&st, &dl, &col, 4, 5);
    assert_false(st.has_minmax);
    assert_true(st.all_nan);
    pqw_stat_compute(&st, &dl, &col, 1, 2);
    memcpy(&mx, st.max, 8);
    assert_false(signbit(mx));
    /* Unsigned order on INT32 storage. */
    pqw_leaf ul = leaf_of(PQW_INT32, 4, PQW_ORDER_U32, NL_TYPE_UINT32);
    uint32_t uv[] = {5, 4000000000u, 7};
    col.vals.len = 0;
    pq_buf_append(&col.vals, uv, sizeof uv);
    pqw_stat_compute(&st, &ul, &col, 0, 3);
    uint32_t umin, umax;
    memcpy(&umin, st.min, 4);
    memcpy(&umax, st.max, 4);
    assert_int_equal(umin, 5);
    assert_int_equal(umax, 4000000000u);
    /* Byte arrays: long values truncated to valid bounds. */
    pqw_leaf sl = leaf_of(PQW_BYTE_ARRAY, 0, PQW_ORDER_BYTES, NL_TYPE_UTF8);
    char lo[200], hi[200];
    memset(lo, 'b', sizeof lo);
    memset(hi, 'y', sizeof hi);
    const uint8_t *ptrs[3] = {(const uint8_t *)lo, (const uint8_t *)hi, (const uint8_t *)"c"};
    uint32_t lens[3] = {200, 200, 1};
    pq_buf_append(&col.bptr, ptrs, sizeof ptrs);
    pq_buf_append(&col.blen, lens, sizeof lens);
    pqw_stat_compute(&st, &sl, &col, 0, 3);
    assert_true(st.has_minmax);
    assert_true(st.min_len <= PQW_STAT_MAX && st.max_len <= PQW_STAT_MAX);
    assert_true(pqw_stat_cmp(&sl, st.min, st.min_len, (const uint8_t *)lo, 200) <= 0);
    assert_true(pqw_stat_cmp(&sl, st.max, st.max_len, (const uint8_t *)hi, 200) > 0);
    /* Decimals in FIXED_LEN_BYTE_ARRAY compare as signed big-endian. */
    pqw_leaf fl = leaf_of(PQW_FLBA, 2, PQW_ORDER_DECIMAL, NL_TYPE_DECIMAL128);
    uint8_t fv[] = {0xFF, 0x00 /* -256 */, 0x00, 0x05 /* 5 */, 0x80, 0x00 /* -32768 */};
    col.vals.len = 0;
    pq_buf_append(&col.vals, fv, sizeof fv);
    pqw_stat_compute(&st, &fl, &col, 0, 3);
    assert_int_equal(st.min[0], 0x80);
    assert_int_equal(st.max[1], 0x05);
    pqw_column_free(&col);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rle_hybrid),       cmocka_unit_test(test_delta_binary_packed),
        cmocka_unit_test(test_plain_bool),       cmocka_unit_test(test_thrift_encoder),
        cmocka_unit_test(test_thrift_misuse),    cmocka_unit_test(test_dictionary),
        cmocka_unit_test(test_statistics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
