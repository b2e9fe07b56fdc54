/*
 * test_parquet_codec.c -- every Parquet codec round-trips, rejects corrupt and
 * wrongly sized input cleanly, and reads the Hadoop-framed and bare LZ4 forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/parquet/codec.h"

static const int ALL_CODECS[] = {PQ_CODEC_UNCOMPRESSED, PQ_CODEC_SNAPPY, PQ_CODEC_GZIP,
                                 PQ_CODEC_BROTLI,       PQ_CODEC_LZ4,    PQ_CODEC_ZSTD,
                                 PQ_CODEC_LZ4_RAW};
#define N_CODECS (sizeof ALL_CODECS / sizeof ALL_CODECS[0])

static uint8_t *make_input(size_t n) {
    uint8_t *p = malloc(n ? n : 1);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)((i % 7 == 0) ? (x >> 24) : (i & 0x3f)); /* compressible-ish */
    }
    return p;
}

static void roundtrip(int codec, size_t n) {
    uint8_t *in = make_input(n);
    size_t cap = pq_compress_bound(codec, n);
    uint8_t *comp = malloc(cap);
    uint8_t *out = malloc(n ? n : 1);
    size_t clen = 0;
    nl_error err = {0};
    assert_int_equal(pq_compress(codec, 0, in, n, comp, cap, &clen, &err), NL_OK);
    assert_true(clen <= cap);
    assert_int_equal(pq_decompress(codec, comp, clen, out, n, &err), NL_OK);
    assert_memory_equal(in, out, n);
    /* A wrong expected size is an error, never an overflow. */
    if (n > 1) {
        assert_int_equal(pq_decompress(codec, comp, clen, out, n - 1, &err), NL_ECORRUPT);
    }
    free(in);
    free(comp);
    free(out);
}

static void test_roundtrip_all(void **state) {
    (void)state;
    const size_t sizes[] = {0, 1, 100, 65536, 1000003};
    for (size_t c = 0; c < N_CODECS; c++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) roundtrip(ALL_CODECS[c], sizes[s]);
}

static void test_corrupt_input(void **state) {
    (void)state;
    uint8_t junk[64];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 37 + 11);
    uint8_t out[256];
    nl_error err = {0};
    for (size_t c = 1; c < N_CODECS; c++) {
        nl_status st = pq_decompress(ALL_CODECS[c], junk, sizeof junk, out, sizeof out, &err);
        assert_int_not_equal(st, NL_OK);
        assert_true(err.message[0] != '\0');
    }
    /* Truncated valid streams. */
    uint8_t *in = make_input(5000);
    for (size_t c = 1; c < N_CODECS; c++) {
        int codec = ALL_CODECS[c];
        size_t cap = pq_compress_bound(codec, 5000), clen = 0;
        uint8_t *comp = malloc(cap);
        uint8_t *dst = malloc(5000);
        assert_int_equal(pq_compress(codec, 0, in, 5000, comp, cap, &clen, &err), NL_OK);
        assert_int_not_equal(pq_decompress(codec, comp, clen / 2, dst, 5000, &err), NL_OK);
        free(comp);
        free(dst);
    }
    free(in);
}

static void test_lz4_bare_block_fallback(void **state) {
    (void)state;
    uint8_t *in = make_input(4096);
    size_t cap = pq_compress_bound(PQ_CODEC_LZ4_RAW, 4096), clen = 0;
    uint8_t *comp = malloc(cap);
    uint8_t out[4096];
    nl_error err = {0};
    assert_int_equal(pq_compress(PQ_CODEC_LZ4_RAW, 0, in, 4096, comp, cap, &clen, &err), NL_OK);
    /* A bare block under codec LZ4 (old Arrow files) still reads. */
    assert_int_equal(pq_decompress(PQ_CODEC_LZ4, comp, clen, out, 4096, &err), NL_OK);
    assert_memory_equal(in, out, 4096);
    free(in);
    free(comp);
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(pq_codec_name(PQ_CODEC_ZSTD), "ZSTD");
    assert_int_equal(pq_codec_parse("zstd"), PQ_CODEC_ZSTD);
    assert_int_equal(pq_codec_parse("none"), PQ_CODEC_UNCOMPRESSED);
    assert_int_equal(pq_codec_parse("lz4_raw"), PQ_CODEC_LZ4_RAW);
    assert_int_equal(pq_codec_parse("bogus"), -1);
    assert_false(pq_codec_supported(PQ_CODEC_LZO));
    nl_error err = {0};
    uint8_t b[4] = {0};
    assert_int_equal(pq_decompress(PQ_CODEC_LZO, b, 4, b, 4, &err), NL_ENOTSUP);
    assert_int_equal(pq_decompress(99, b, 4, b, 4, &err), NL_ENOTSUP);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_corrupt_input),
        cmocka_unit_test(test_lz4_bare_block_fallback),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
