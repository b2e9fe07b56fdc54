/*
 * test_parquet_metadata.c -- the Thrift compact decoder and footer decoding:
 * every footer of parquet-testing decodes, every truncation and many byte
 * flips of a real footer fail cleanly, and hand-made Thrift checks limits.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buffer.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/thrift.h"

static char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)*size + 1);
    if (fread(b, 1, (size_t)*size, f) != (size_t)*size) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static const char *data_dir(char *buf, size_t n) {
    const char *shared = getenv("NL_SHARED_DIR");
    if (!shared) return NULL;
    snprintf(buf, n, "%s/testdata/parquet-testing/data", shared);
    DIR *d = opendir(buf);
    if (!d) return NULL;
    closedir(d);
    return buf;
}

/* Decodes the footer of a file image; returns the status. */
static nl_status decode_image(const char *img, long size, pq_file_meta **meta, nl_error *err) {
    *meta = NULL;
    if (size < 12 || memcmp(img + size - 4, "PAR1", 4) != 0) return NL_ECORRUPT;
    uint32_t flen;
    memcpy(&flen, img + size - 8, 4);
    if ((long)flen + 12 > size) return NL_ECORRUPT;
    nl_buffer *b = nl_buffer_copy_of(img + size - 8 - flen, flen);
    nl_status st = pq_file_meta_decode(b, meta, err);
    nl_buffer_unref(b);
    return st;
}

static void test_all_footers(void **state) {
    (void)state;
    char dir[1024];
    if (!data_dir(dir, sizeof dir)) skip();
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".parquet") != 0) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        long size;
        char *img = slurp(path, &size);
        assert_non_null(img);
        pq_file_meta *m;
        nl_error err = {0};
        nl_status st = decode_image(img, size, &m, &err);
        if (st != NL_OK) fprintf(stderr, "%s: %s\n", e->d_name, err.message);
        assert_int_equal(st, NL_OK);
        assert_true(m->n_schema >= 1);
        pq_file_meta_free(m);
        free(img);
        n++;
    }
    closedir(d);
    assert_true(n > 40);
}

static void test_truncations_and_flips(void **state) {
    (void)state;
    char dir[1024];
    if (!data_dir(dir, sizeof dir)) skip();
    char path[2048];
    snprintf(path, sizeof path, "%s/alltypes_plain.parquet", dir);
    long size;
    char *img = slurp(path, &size);
    assert_non_null(img);
    uint32_t flen;
    memcpy(&flen, img + size - 8, 4);
    const char *footer = img + size - 8 - flen;
    nl_error err = {0};
    /* Every truncation fails or decodes; none crashes. Most must fail. */
    int failed = 0;
    for (uint32_t cut = 0; cut < flen; cut++) {
        nl_buffer *b = nl_buffer_copy_of(footer, cut);
        pq_file_meta *m = NULL;
        if (pq_file_meta_decode(b, &m, &err) != NL_OK) {
            failed++;
            assert_true(err.message[0] != '\0');
        }
        pq_file_meta_free(m);
        nl_buffer_unref(b);
    }
    assert_true(failed > (int)flen / 2);
    /* Byte flips. */
    char *copy = malloc(flen);
    for (uint32_t i = 0; i < flen; i++) {
        memcpy(copy, footer, flen);
        copy[i] ^= (char)0xA5;
        nl_buffer *b = nl_buffer_copy_of(copy, flen);
        pq_file_meta *m = NULL;
        (void)pq_file_meta_decode(b, &m, &err);
        pq_file_meta_free(m);
        nl_buffer_unref(b);
    }
    free(copy);
    free(img);
}

static void test_thrift_limits(void **state) {
    (void)state;
    /* 100 nested structs (field 1, type STRUCT, delta 1) exceed the depth limit. */
    uint8_t deep[200];
    for (int i = 0; i < 100; i++) deep[i] = 0x1c;
    memset(deep + 100, 0, 100);
    pq_thrift t;
    pq_thrift_init(&t, deep, sizeof deep);
    pq_thrift_skip(&t, PQ_CT_STRUCT);
    assert_true(t.failed);
    /* A list claiming a billion elements in three bytes. */
    uint8_t big[] = {0xf5, 0x80, 0x94, 0xeb, 0xdc, 0x03};
    pq_thrift_init(&t, big, sizeof big);
    uint8_t et;
    assert_int_equal(pq_thrift_list(&t, &et), 0);
    assert_true(t.failed);
    /* A binary longer than the data. */
    uint8_t bin[] = {0x10, 'a', 'b'};
    pq_thrift_init(&t, bin, sizeof bin);
    int32_t len;
    (void)pq_thrift_binary(&t, &len);
    assert_true(t.failed);
    /* Zigzag varints. */
    uint8_t v[] = {0x03, 0x04, 0xfe, 0xff, 0xff, 0xff, 0x0f};
    pq_thrift_init(&t, v, sizeof v);
    assert_int_equal(pq_thrift_i32(&t), -2);
    assert_int_equal(pq_thrift_i32(&t), 2);
    assert_int_equal(pq_thrift_i64(&t), 2147483647);
    assert_false(t.failed);
    /* A page header that is not one. */
    pq_page_header h;
    nl_error err = {0};
    uint8_t junk[] = {0x15, 0x00, 0x00};
    assert_int_equal(pq_page_header_decode(junk, sizeof junk, &h, &err), NL_ECORRUPT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_footers),
        cmocka_unit_test(test_truncations_and_flips),
        cmocka_unit_test(test_thrift_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
