/*
 * test_parquet_encoding.c -- Parquet's encodings on hand-made bytes: the
 * RLE/bit-packed hybrid, levels, PLAIN byte arrays, DELTA_BINARY_PACKED (the
 * spec's examples), DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT, and their bounds checks on truncated input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/encoding.h"
#include "formats/parquet/metadata.h"

static void test_unpack(void **state) {
    (void)state;
    /* 0..7 at 3 bits: the spec's bit-packing example. */
    const uint8_t packed[] = {0x88, 0xC6, 0xFA};
    uint32_t out[8];
    pq_unpack32(packed, sizeof packed, 3, 0, out, 8);
    for (uint32_t i = 0; i < 8; i++) assert_int_equal(out[i], i);
    pq_unpack32(packed, sizeof packed, 3, 5, out, 3);
    assert_int_equal(out[0], 5);
    assert_int_equal(out[2], 7);
    uint64_t o64[2];
    const uint8_t wide[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                              0x01, 0, 0, 0, 0, 0, 0, 0};
    pq_unpack64(wide, sizeof wide, 64, 0, o64, 2);
    assert_true(o64[0] == UINT64_MAX);
    assert_true(o64[1] == 1);
    assert_int_equal(pq_bit_width(0), 0);
    assert_int_equal(pq_bit_width(1), 1);
    assert_int_equal(pq_bit_width(255), 8);
}

static void test_rle_hybrid(void **state) {
    (void)state;
    /* RLE run of 5 x 3 (width 2), then a bit-packed group of 8: 0,1,2,3,0,1,2,3. */
    const uint8_t data[] = {0x0A, 0x03, 0x03, 0xE4, 0xE4};
    pq_rle d;
    pq_rle_init(&d, data, sizeof data, 2);
    uint32_t out[16];
    assert_int_equal(pq_rle_get_u32(&d, out, 13), 13);
    for (int i = 0; i < 5; i++) assert_int_equal(out[i], 3);
    for (int i = 0; i < 8; i++) assert_int_equal(out[5 + i], (uint32_t)(i % 4));
    assert_int_equal(pq_rle_get_u32(&d, out, 1), 0); /* the end */
    assert_false(d.failed);
    /* A bit-packed run claiming more groups than bytes reads what is there. */
    const uint8_t cut[] = {0x07, 0xE4};
    pq_rle_init(&d, cut, sizeof cut, 2);
    assert_int_equal(pq_rle_get_u32(&d, out, 16), 4);
    /* Truncated repeated value. */
    const uint8_t bad[] = {0x04};
    pq_rle_init(&d, bad, sizeof bad, 8);
    assert_int_equal(pq_rle_get_u32(&d, out, 2), 0);
    assert_true(d.failed);
}

static void test_levels(void **state) {
    (void)state;
    /* v1: a 4-byte length, then RLE 4 x 1. */
    const uint8_t v1[] = {2, 0, 0, 0, 0x08, 0x01, 0xAA};
    int16_t lv[4];
    size_t used;
    nl_error err = {0};
    assert_int_equal(pq_decode_levels(PQ_ENC_RLE, true, v1, sizeof v1, 1, lv, 4, &used, &err), NL_OK);
    assert_int_equal(used, 6);
    assert_int_equal(lv[3], 1);
    /* A level above the maximum. */
    const uint8_t hi[] = {2, 0, 0, 0, 0x08, 0x03};
    assert_int_equal(pq_decode_levels(PQ_ENC_RLE, true, hi, sizeof hi, 1, lv, 4, &used, &err), NL_ECORRUPT);
    /* Length prefix beyond the data. */
    const uint8_t lp[] = {9, 0, 0, 0, 0x08};
    assert_int_equal(pq_decode_levels(PQ_ENC_RLE, true, lp, sizeof lp, 1, lv, 4, &used, &err), NL_ECORRUPT);
    /* Deprecated BIT_PACKED, MSB first: 1,0,1,1 at width 1. */
    const uint8_t bp[] = {0xB0};
    assert_int_equal(pq_decode_levels(PQ_ENC_BIT_PACKED, false, bp, 1, 1, lv, 4, &used, &err), NL_OK);
    assert_int_equal(lv[0], 1);
    assert_int_equal(lv[1], 0);
    assert_int_equal(lv[3], 1);
}

static void test_delta_binary_packed(void **state) {
    (void)state;
    /* The spec's examples: 1..5, and 7,5,3,1,2,3,4,5. */
    const uint8_t ex1[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0};
    int64_t out[8];
    int64_t n;
    size_t used;
    nl_error err = {0};
    assert_int_equal(pq_delta_decode(ex1, sizeof ex1, out, 8, &n, &used, &err), NL_OK);
    assert_int_equal(n, 5);
    for (int i = 0; i < 5; i++) assert_int_equal(out[i], i + 1);
    const uint8_t ex2[] = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0,
                           0xC0, 0x3F, 0, 0, 0, 0, 0, 0};
    assert_int_equal(pq_delta_decode(ex2, sizeof ex2, out, 8, &n, &used, &err), NL_OK);
    const int64_t want[] = {7, 5, 3, 1, 2, 3, 4, 5};
    assert_memory_equal(out, want, sizeof want);
    assert_int_equal(used, sizeof ex2);
    /* More values than the page may hold, a bad block size, a truncated miniblock. */
    assert_int_equal(pq_delta_decode(ex2, sizeof ex2, out, 4, &n, &used, &err), NL_ECORRUPT);
    const uint8_t badblock[] = {0x07, 0x04, 0x05, 0x02};
    assert_int_equal(pq_delta_decode(badblock, sizeof badblock, out, 8, &n, &used, &err), NL_ECORRUPT);
    assert_int_equal(pq_delta_decode(ex2, 10, out, 8, &n, &used, &err), NL_ECORRUPT);
}

static void test_byte_arrays(void **state) {
    (void)state;
    nl_error err = {0};
    pq_bytes_out o = {0};
    const uint8_t plain[] = {2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c'};
    assert_int_equal(pq_plain_byte_array(plain, sizeof plain, 3, &o, NULL, &err), NL_OK);
    assert_int_equal(o.count, 3);
    assert_int_equal(o.offsets[3], 5);
    assert_memory_equal(o.data, "hiabc", 5);
    assert_int_equal(pq_plain_byte_array(plain, sizeof plain - 1, 3, &o, NULL, &err), NL_ECORRUPT);
    pq_bytes_out_free(&o);
    /* DELTA_LENGTH_BYTE_ARRAY: lengths 2,3 (delta: first 2, min delta 1, width 0). */
    const uint8_t dlba[] = {0x80, 0x01, 0x04, 0x02, 0x04, 0x02, 0, 0, 0, 0, 'h', 'i', 'a', 'b', 'c'};
    assert_int_equal(pq_delta_length_byte_array(dlba, sizeof dlba, 2, &o, &err), NL_OK);
    assert_int_equal(o.offsets[2], 5);
    assert_memory_equal(o.data, "hiabc", 5);
    pq_bytes_out_free(&o);
    assert_int_equal(pq_delta_length_byte_array(dlba, sizeof dlba - 1, 2, &o, &err), NL_ECORRUPT);
    pq_bytes_out_free(&o);
    /* DELTA_BYTE_ARRAY: "axis","axle" = prefixes 0,2; suffixes "axis","le". */
    const uint8_t dba[] = {0x80, 0x01, 0x04, 0x02, 0x00, 0x04, 0, 0, 0, 0,  /* prefixes 0, 2 */
                           0x80, 0x01, 0x04, 0x02, 0x08, 0x03, 0, 0, 0, 0,  /* suffixes 4, 2 */
                           'a', 'x', 'i', 's', 'l', 'e'};
    assert_int_equal(pq_delta_byte_array(dba, sizeof dba, 2, &o, &err), NL_OK);
    assert_int_equal(o.offsets[2], 8);
    assert_memory_equal(o.data, "axisaxle", 8);
    pq_bytes_out_free(&o);
    /* A prefix longer than the previous value. */
    const uint8_t badp[] = {0x80, 0x01, 0x04, 0x02, 0x02, 0x02, 0, 0, 0, 0,
                            0x80, 0x01, 0x04, 0x02, 0x08, 0x03, 0, 0, 0, 0, 'a', 'x', 'i', 's', 'l', 'e'};
    assert_int_equal(pq_delta_byte_array(badp, sizeof badp, 2, &o, &err), NL_ECORRUPT);
    pq_bytes_out_free(&o);
}

static void test_byte_stream_split(void **state) {
    (void)state;
    const uint8_t data[] = {0x01, 0x05, 0x02, 0x06, 0x03, 0x07, 0x04, 0x08};
    uint32_t out[2];
    nl_error err = {0};
    assert_int_equal(pq_byte_stream_split(data, sizeof data, 4, 2, out, &err), NL_OK);
    assert_int_equal(out[0], 0x04030201);
    assert_int_equal(out[1], 0x08070605);
    assert_int_equal(pq_byte_stream_split(data, 7, 4, 2, out, &err), NL_ECORRUPT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpack),
        cmocka_unit_test(test_rle_hybrid),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_delta_binary_packed),
        cmocka_unit_test(test_byte_arrays),
        cmocka_unit_test(test_byte_stream_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
