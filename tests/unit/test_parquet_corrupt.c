/*
 * test_parquet_corrupt.c -- the reader on damaged files, in every build: each
 * file of the fuzzer's seed corpus (tests/fuzz/corpus/parquet, where crashers
 * the fuzzer finds are kept) is read as it is, then truncated and with bytes
 * flipped (seeded, reproducible mutations), and read the way the fuzz target
 * reads (open, prune against a filter, read every row group). Each read must
 * end in success or a clean error with a message: never a crash, a leak or a
 * sanitizer report (the debug build runs this under ASan and UBSan). The
 * ARROW:schema entry (a base64 flatbuffer the reader takes type hints from)
 * is also damaged on its own, byte by byte.
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

#include "base/alloc.h"
#include "formats/parquet/arrow_schema.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/reader.h"

#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
#define MUTATIONS 150
#else
#define MUTATIONS 1000
#endif

static uint64_t rng;
static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Reads `data` as the fuzz target does; returns whether it read cleanly. */
static bool read_all(const uint8_t *data, size_t size, const char *what) {
    nl_store *store = nl_store_memory_new();
    assert_non_null(store);
    nl_error err = {0};
    const char *uri = "memory://corrupt.parquet";
    bool ok = true;
    assert_int_equal(nl_store_put(store, uri, data, (int64_t)size, &err), NL_OK);
    pq_options opt;
    pq_options_init(&opt);
    opt.parallel = rnd() & 1;
    pq_file *f = NULL;
    if (pq_file_open(store, uri, &opt, &f, &err) == NL_OK) {
        nl_filter flt = {.column = (char *)"a", .op = NL_OP_GT, .value = nl_scalar_int64(3)};
        nl_filter_and and = {.n = 1, .filters = &flt};
        nl_filter_set set = {.n = 1, .ands = &and};
        for (int32_t rg = 0; rg < pq_file_num_row_groups(f); rg++) {
            (void)pq_row_group_may_match(f, rg, &set);
            nl_batch *b = NULL;
            if (pq_read_row_group(f, rg, NULL, -1, &b, &err) == NL_OK) {
                nl_batch_unref(b);
            } else {
                if (err.message[0] == '\0') fail_msg("%s: an error without a message", what);
                ok = false;
            }
        }
        pq_file_close(f);
    } else {
        if (err.message[0] == '\0') fail_msg("%s: an error without a message", what);
        ok = false;
    }
    nl_store_close(store);
    return ok;
}

static uint8_t *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static void test_corpus_mutations(void **state) {
    (void)state;
    const char *src = getenv("NL_SOURCE_DIR");
    if (!src) skip();
    char dir[1024], path[2048];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/parquet", src);
    DIR *d = opendir(dir);
    if (!d) skip();
    struct dirent *e;
    int files = 0, clean = 0, errors = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n = 0;
        uint8_t *orig = slurp(path, &n);
        if (!orig) continue;
        files++;
        uint64_t h = 1469598103934665603ull;
        for (const char *c = e->d_name; *c; c++) h = (h ^ (uint8_t)*c) * 1099511628211ull;
        rng = h | 1;
        (void)read_all(orig, n, e->d_name);
        uint8_t *buf = malloc(n + 1);
        for (int m = 0; m < MUTATIONS; m++) {
            memcpy(buf, orig, n);
            size_t len = n;
            char what[600];
            switch (m % 4) {
            case 0: /* truncated, footer kept or not */
                len = n ? (size_t)(rnd() % n) : 0;
                if (m % 8 == 0 && len >= 8) memcpy(buf + len - 8, orig + n - 8, 8);
                break;
            case 1: /* a few bytes anywhere */
                for (int k = 0; k < 1 + (int)(rnd() % 4) && n; k++) buf[rnd() % n] = (uint8_t)rnd();
                break;
            default: /* a few bytes in the footer (the thrift metadata) */ {
                size_t tail = n < 512 ? n : 512;
                for (int k = 0; k < 1 + (int)(rnd() % 3) && tail > 8; k++)
                    buf[n - 8 - 1 - rnd() % (tail - 8)] = (uint8_t)rnd();
                break;
            }
            }
            snprintf(what, sizeof what, "%s mutation %d", e->d_name, m);
            if (read_all(buf, len, what)) clean++;
            else errors++;
        }
        free(buf);
        free(orig);
    }
    closedir(d);
    fprintf(stderr, "%d corpus files, %d mutations read, %d clean errors\n", files, clean, errors);
    assert_true(files >= 9);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const uint8_t *p, size_t n) {
    char *out = malloc(n / 3 * 4 + 8), *o = out;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        for (int k = 3; k >= 0; k--) *o++ = B64[(v >> (6 * k)) & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = B64[v >> 18];
        *o++ = B64[(v >> 12) & 63];
        *o++ = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o = 0;
    return out;
}

static uint8_t *b64_decode_plain(const char *s, size_t *n) {
    size_t len = strlen(s);
    uint8_t *out = malloc(len), *o = out;
    uint32_t acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        const char *at = strchr(B64, *s);
        assert_non_null(at);
        acc = acc << 6 | (uint32_t)(at - B64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (uint8_t)(acc >> bits);
        }
    }
    *n = (size_t)(o - out);
    return out;
}

/* The ARROW:schema of files with durations and time zones (ours and
 * Polars'), damaged: hints or none, never a bad read. */
static void test_arrow_schema_mutations(void **state) {
    (void)state;
    const char *src = getenv("NL_SOURCE_DIR");
    if (!src) skip();
    static const char *files[] = {"tests/fuzz/corpus/parquet/neuralake_all_types.parquet",
                                  "tests/data/parquet-peers/polars/polars_zstd_rg200.parquet"};
    for (int fi = 0; fi < 2; fi++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", src, files[fi]);
        pq_file *f = NULL;
        nl_error err = {0};
        assert_int_equal(pq_file_open_path(path, NULL, &f, &err), NL_OK);
        const pq_file_meta *m = pq_file_metadata(f);
        const char *b64 = NULL;
        for (int32_t k = 0; k < m->n_kv; k++)
            if (strcmp(m->kv[k].key, "ARROW:schema") == 0) b64 = m->kv[k].value;
        assert_non_null(b64);
        pq_arrow_hints h;
        pq_arrow_hints_read(m, &h);
        assert_true(h.n >= 1); /* the intact schema gives hints */
        pq_arrow_hints_free(&h);
        size_t n;
        uint8_t *raw = b64_decode_plain(b64, &n);
        uint8_t *buf = malloc(n);
        rng = 77 + (uint64_t)fi;
        for (int mu = 0; mu < MUTATIONS * 4; mu++) {
            memcpy(buf, raw, n);
            size_t len = n;
            if (mu % 5 == 0) len = (size_t)(rnd() % n);
            for (int k = 0; k < 1 + (int)(rnd() % 3); k++) buf[rnd() % n] = (uint8_t)rnd();
            char *enc = b64_encode(buf, len);
            pq_kv kv = {.key = (char *)"ARROW:schema", .value = enc};
            pq_file_meta copy = *m;
            copy.n_kv = 1;
            copy.kv = &kv;
            pq_arrow_hints_read(&copy, &h);
            for (int32_t k = 0; k < h.n; k++) assert_non_null(h.hints[k].path);
            pq_arrow_hints_free(&h);
            free(enc);
        }
        free(buf);
        free(raw);
        pq_file_close(f);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_mutations),
        cmocka_unit_test(test_arrow_schema_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
