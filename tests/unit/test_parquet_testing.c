/*
 * test_parquet_testing.c -- reads every file of parquet-testing/data and
 * compares what it reads with what DuckDB reads (tests/data/parquet-testing/
 * *.txt, made by tests/tools/parquet_expected.sh, in the canonical text this
 * file prints); reads every file of bad_data expecting a clean error or a
 * clean read, never a crash; and checks the TPC-H sf0.01 files. Files listed
 * in tests/data/parquet-testing/UNSUPPORTED.md may fail, with the reason there.
 * Skips when NL_SHARED_DIR is missing.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "formats/parquet/reader.h"

/* ---- the canonical text ---- */

static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static void put_decimal(nl_strbuf *sb, __int128 v, int32_t scale) {
    char digits[64];
    int n = 0;
    bool neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n <= scale) digits[n++] = '0';
    if (neg) nl_strbuf_putc(sb, '-');
    for (int i = n - 1; i >= 0; i--) {
        nl_strbuf_putc(sb, digits[i]);
        if (i == scale && scale > 0) nl_strbuf_putc(sb, '.');
    }
}

static void put_shortest(nl_strbuf *sb, double v) {
    if (isnan(v)) {
        nl_strbuf_puts(sb, "nan");
        return;
    }
    if (isinf(v)) {
        nl_strbuf_puts(sb, v < 0 ? "-inf" : "inf");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e21) {
        nl_strbuf_printf(sb, "%.1f", v);
        return;
    }
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    nl_strbuf_puts(sb, buf);
}

static void put_json_string(nl_strbuf *sb, const char *s, int32_t len) {
    nl_strbuf_putc(sb, '"');
    for (int32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') nl_strbuf_puts(sb, "\\\"");
        else if (c == '\\') nl_strbuf_puts(sb, "\\\\");
        else if (c == '\n') nl_strbuf_puts(sb, "\\n");
        else if (c == '\t') nl_strbuf_puts(sb, "\\t");
        else if (c == '\r') nl_strbuf_puts(sb, "\\r");
        else if (c < 0x20) nl_strbuf_printf(sb, "\\u%04x", c);
        else nl_strbuf_putc(sb, (char)c);
    }
    nl_strbuf_putc(sb, '"');
}

static int64_t unit_factor(nl_time_unit u) {
    return u == NL_UNIT_SECOND ? 1000000000LL : u == NL_UNIT_MILLI ? 1000000LL : u == NL_UNIT_MICRO ? 1000LL : 1;
}

static void put_value(nl_strbuf *sb, const nl_array *a, int64_t i, bool json);

static bool is_map_item(const nl_type *item) {
    return item->id == NL_TYPE_STRUCT && item->n_children == 2 &&
           strcmp(item->children[0].name, "key") == 0;
}

static void put_nested(nl_strbuf *sb, const nl_array *a, int64_t i) {
    if (a->type->id == NL_TYPE_LIST) {
        int64_t s, e;
        nl_array_list_range(a, i, &s, &e);
        const nl_array *c = a->children[0];
        if (is_map_item(a->type->children[0].type)) {
            nl_strbuf_putc(sb, '{');
            for (int64_t k = s; k < e; k++) {
                if (k > s) nl_strbuf_putc(sb, ',');
                const nl_array *key = c->children[0], *val = c->children[1];
                int64_t ki = c->offset + k - key->offset; /* children share the struct's offset */
                (void)ki;
                if (key->type->id == NL_TYPE_UTF8) {
                    put_value(sb, key, k, true);
                } else {
                    nl_strbuf t = NL_STRBUF_INIT;
                    put_value(&t, key, k, false);
                    put_json_string(sb, t.data ? t.data : "", (int32_t)t.len);
                    nl_strbuf_free(&t);
                }
                nl_strbuf_putc(sb, ':');
                put_value(sb, val, k, true);
            }
            nl_strbuf_putc(sb, '}');
            return;
        }
        nl_strbuf_putc(sb, '[');
        for (int64_t k = s; k < e; k++) {
            if (k > s) nl_strbuf_putc(sb, ',');
            put_value(sb, c, k, true);
        }
        nl_strbuf_putc(sb, ']');
        return;
    }
    /* STRUCT */
    nl_strbuf_putc(sb, '{');
    for (int32_t f = 0; f < a->n_children; f++) {
        if (f) nl_strbuf_putc(sb, ',');
        const char *name = a->type->children[f].name;
        put_json_string(sb, name, (int32_t)strlen(name));
        nl_strbuf_putc(sb, ':');
        put_value(sb, a->children[f], a->offset + i - a->children[f]->offset, true);
    }
    nl_strbuf_putc(sb, '}');
}

static void put_value(nl_strbuf *sb, const nl_array *a, int64_t i, bool json) {
    if (nl_array_is_null(a, i)) {
        nl_strbuf_puts(sb, json ? "null" : "\\N");
        return;
    }
    const nl_type *t = a->type;
    switch (t->id) {
    case NL_TYPE_BOOL: nl_strbuf_puts(sb, nl_array_bool(a, i) ? "true" : "false"); break;
    case NL_TYPE_INT8: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int8_t)[i]); break;
    case NL_TYPE_INT16: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int16_t)[i]); break;
    case NL_TYPE_INT32: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int32_t)[i]); break;
    case NL_TYPE_INT64:
    case NL_TYPE_DURATION: /* DuckDB reads a duration as the INT64 it is stored as */
        nl_strbuf_printf(sb, "%lld", (long long)NL_ARRAY_VALUES(a, int64_t)[i]);
        break;
    case NL_TYPE_UINT8: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint8_t)[i]); break;
    case NL_TYPE_UINT16: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint16_t)[i]); break;
    case NL_TYPE_UINT32: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint32_t)[i]); break;
    case NL_TYPE_UINT64: nl_strbuf_printf(sb, "%llu", (unsigned long long)NL_ARRAY_VALUES(a, uint64_t)[i]); break;
    case NL_TYPE_FLOAT32: {
        float f = NL_ARRAY_VALUES(a, float)[i];
        if (json) put_shortest(sb, (double)f);
        else if (isnan(f)) nl_strbuf_puts(sb, signbit(f) ? "-nan" : "nan");
        else nl_strbuf_printf(sb, "%.9g", (double)f);
        break;
    }
    case NL_TYPE_FLOAT64: {
        double d = NL_ARRAY_VALUES(a, double)[i];
        if (json) put_shortest(sb, d);
        else if (isnan(d)) nl_strbuf_puts(sb, signbit(d) ? "-nan" : "nan");
        else nl_strbuf_printf(sb, "%.17g", d);
        break;
    }
    case NL_TYPE_DECIMAL128: {
        if (json) {
            nl_strbuf tmp = NL_STRBUF_INIT;
            put_decimal(&tmp, nl_array_decimal(a, i), t->scale);
            put_shortest(sb, strtod(tmp.data, NULL));
            nl_strbuf_free(&tmp);
        } else {
            put_decimal(sb, nl_array_decimal(a, i), t->scale);
        }
        break;
    }
    case NL_TYPE_UTF8: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        if (json) put_json_string(sb, s, len);
        else nl_strbuf_append(sb, s, (size_t)len);
        break;
    }
    case NL_TYPE_BINARY: {
        int32_t len;
        const unsigned char *s = (const unsigned char *)nl_array_str(a, i, &len);
        if (json) {
            nl_strbuf t2 = NL_STRBUF_INIT;
            for (int32_t k = 0; k < len; k++) {
                if (s[k] >= 0x20 && s[k] < 0x7f && s[k] != '\\') nl_strbuf_putc(&t2, (char)s[k]);
                else nl_strbuf_printf(&t2, "\\x%02X", s[k]);
            }
            put_json_string(sb, t2.data ? t2.data : "", (int32_t)t2.len);
            nl_strbuf_free(&t2);
        } else {
            for (int32_t k = 0; k < len; k++) nl_strbuf_printf(sb, "%02X", s[k]);
        }
        break;
    }
    case NL_TYPE_DATE32: {
        int64_t y;
        unsigned m, d;
        civil(NL_ARRAY_VALUES(a, int32_t)[i], &y, &m, &d);
        nl_strbuf_printf(sb, json ? "\"%04lld-%02u-%02u\"" : "%04lld-%02u-%02u", (long long)y, m, d);
        break;
    }
    case NL_TYPE_TIMESTAMP: {
        int64_t v = NL_ARRAY_VALUES(a, int64_t)[i];
        if (!json) {
            __int128 ns = (__int128)v * unit_factor(t->unit);
            bool neg = ns < 0;
            unsigned __int128 u = neg ? (unsigned __int128)(-ns) : (unsigned __int128)ns;
            char digits[48];
            int nd = 0;
            do {
                digits[nd++] = (char)('0' + (int)(u % 10));
                u /= 10;
            } while (u);
            if (neg) nl_strbuf_putc(sb, '-');
            while (nd) nl_strbuf_putc(sb, digits[--nd]);
        } else {
            int64_t us = t->unit == NL_UNIT_NANO ? v / 1000 : v * (unit_factor(t->unit) / 1000);
            int64_t days = us >= 0 ? us / 86400000000LL : -((-us + 86400000000LL - 1) / 86400000000LL);
            int64_t rem = us - days * 86400000000LL;
            int64_t y;
            unsigned m, d;
            civil(days, &y, &m, &d);
            nl_strbuf_printf(sb, "\"%04lld-%02u-%02u %02lld:%02lld:%02lld", (long long)y, m, d,
                             (long long)(rem / 3600000000LL), (long long)(rem / 60000000LL % 60),
                             (long long)(rem / 1000000LL % 60));
            if (rem % 1000000LL) nl_strbuf_printf(sb, ".%06lld", (long long)(rem % 1000000LL));
            nl_strbuf_putc(sb, '"');
        }
        break;
    }
    case NL_TYPE_TIME64: {
        int64_t v = NL_ARRAY_VALUES(a, int64_t)[i];
        nl_strbuf_printf(sb, "%lld", (long long)(t->unit == NL_UNIT_NANO ? v / 1000 : v));
        break;
    }
    case NL_TYPE_LIST:
    case NL_TYPE_STRUCT: {
        if (json) {
            put_nested(sb, a, i);
        } else {
            put_nested(sb, a, i);
        }
        break;
    }
    default: nl_strbuf_puts(sb, "?"); break;
    }
}

/* Prints a table as the canonical text, header included. */
static char *table_text(const nl_table *t) {
    nl_strbuf sb = NL_STRBUF_INIT;
    for (int32_t c = 0; c < t->schema->n_fields; c++) {
        if (c) nl_strbuf_putc(&sb, '|');
        nl_strbuf_puts(&sb, t->schema->fields[c].name);
    }
    nl_strbuf_putc(&sb, '\n');
    for (int64_t b = 0; b < t->n_batches; b++) {
        const nl_batch *batch = t->batches[b];
        for (int64_t r = 0; r < batch->num_rows; r++) {
            for (int32_t c = 0; c < batch->n_columns; c++) {
                if (c) nl_strbuf_putc(&sb, '|');
                put_value(&sb, batch->columns[c], r, false);
            }
            nl_strbuf_putc(&sb, '\n');
        }
    }
    return nl_strbuf_take(&sb);
}

/* ---- helpers ---- */

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    return b;
}

static nl_status read_path(const char *path, nl_table **out, nl_error *err) {
    pq_file *f = NULL;
    *out = NULL;
    nl_status st = pq_file_open_path(path, NULL, &f, err);
    if (st != NL_OK) return st;
    st = pq_read_table(f, out, err);
    pq_file_close(f);
    return st;
}

static const char *shared_dir(void) {
    const char *s = getenv("NL_SHARED_DIR");
    struct stat st;
    if (!s || stat(s, &st) != 0) return NULL;
    return s;
}

static bool listed_unsupported(const char *list, const char *name) {
    if (!list) return false;
    char pat[512];
    snprintf(pat, sizeof pat, "`%s`", name);
    return strstr(list, pat) != NULL;
}

/* First differing line, for the failure message. */
static void report_diff(const char *name, const char *want, const char *got) {
    int line = 1;
    const char *w = want, *g = got;
    while (*w && *g && *w == *g) {
        if (*w == '\n') line++;
        w++, g++;
    }
    const char *ws = w, *gs = g;
    while (ws > want && ws[-1] != '\n') ws--;
    while (gs > got && gs[-1] != '\n') gs--;
    fprintf(stderr, "%s: differs at line %d\n  duckdb: %.300s\n  ours:   %.300s\n", name, line, ws, gs);
}

/* ---- tests ---- */

static void test_data_files(void **state) {
    (void)state;
    const char *shared = shared_dir();
    const char *src = getenv("NL_SOURCE_DIR");
    if (!shared || !src) skip();
    char dir[1024], exp_dir[1024], path[2048];
    snprintf(dir, sizeof dir, "%s/testdata/parquet-testing/data", shared);
    snprintf(exp_dir, sizeof exp_dir, "%s/tests/data/parquet-testing", src);
    snprintf(path, sizeof path, "%s/UNSUPPORTED.md", exp_dir);
    char *unsupported = slurp(path);
    DIR *d = opendir(dir);
    if (!d) skip();
    struct dirent *e;
    int ok = 0, failed = 0, expected_fail = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".parquet") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        nl_table *t = NULL;
        nl_error err = {0};
        nl_status st = read_path(path, &t, &err);
        bool allowed = listed_unsupported(unsupported, e->d_name);
        char exp_path[2048];
        snprintf(exp_path, sizeof exp_path, "%s/%s.txt", exp_dir, e->d_name);
        char *want = slurp(exp_path);
        if (st != NL_OK) {
            if (allowed) {
                expected_fail++;
            } else {
                fprintf(stderr, "FAIL %s: %s\n", e->d_name, err.message);
                failed++;
            }
        } else if (want) {
            char *got = table_text(t);
            const char *dump = getenv("PQ_DUMP_DIR"); /* for debugging: our text per file */
            if (dump) {
                char dp[2048];
                snprintf(dp, sizeof dp, "%s/%s.txt", dump, e->d_name);
                FILE *df = fopen(dp, "wb");
                if (df) {
                    fputs(got, df);
                    fclose(df);
                }
            }
            if (strcmp(want, got) == 0) {
                ok++;
            } else if (allowed) {
                expected_fail++;
            } else {
                report_diff(e->d_name, want, got);
                failed++;
            }
            nl_free(got);
        } else {
            ok++; /* DuckDB cannot read it: we read it, checked by hand (UNSUPPORTED.md notes) */
            const char *dump = getenv("PQ_DUMP_DIR");
            if (dump) {
                char *got = table_text(t), dp[2048];
                snprintf(dp, sizeof dp, "%s/%s.txt", dump, e->d_name);
                FILE *df = fopen(dp, "wb");
                if (df) {
                    fputs(got, df);
                    fclose(df);
                }
                nl_free(got);
            }
        }
        free(want);
        nl_table_free(t);
    }
    closedir(d);
    free(unsupported);
    fprintf(stderr, "parquet-testing: %d match DuckDB, %d listed unsupported, %d failed\n", ok,
            expected_fail, failed);
    assert_int_equal(failed, 0);
}

/* Files DuckDB cannot read check themselves: the BYTE_STREAM_SPLIT columns
 * equal their PLAIN twins, and the Hadoop-framed and bare LZ4 files agree. */
static void test_self_checks(void **state) {
    (void)state;
    const char *shared = shared_dir();
    if (!shared) skip();
    char path[2048];
    nl_table *t = NULL;
    nl_error err = {0};
    snprintf(path, sizeof path, "%s/testdata/parquet-testing/data/byte_stream_split_extended.gzip.parquet", shared);
    assert_int_equal(read_path(path, &t, &err), NL_OK);
    assert_int_equal(t->schema->n_fields % 2, 0);
    for (int64_t b = 0; b < t->n_batches; b++)
        for (int32_t c = 0; c < t->schema->n_fields; c += 2)
            assert_true(nl_array_equals(t->batches[b]->columns[c], t->batches[b]->columns[c + 1]));
    nl_table_free(t);
    nl_table *h = NULL, *n = NULL;
    snprintf(path, sizeof path, "%s/testdata/parquet-testing/data/hadoop_lz4_compressed.parquet", shared);
    assert_int_equal(read_path(path, &h, &err), NL_OK);
    snprintf(path, sizeof path, "%s/testdata/parquet-testing/data/non_hadoop_lz4_compressed.parquet", shared);
    assert_int_equal(read_path(path, &n, &err), NL_OK);
    char *a = table_text(h), *b2 = table_text(n);
    assert_string_equal(a, b2);
    assert_non_null(strstr(a, "42.125"));
    nl_free(a);
    nl_free(b2);
    nl_table_free(h);
    nl_table_free(n);
}

/* Reads every .parquet file of DIR and compares it with DIR/expected.txt;
 * returns how many files it read (-1 when DIR has no expected.txt). */
static int check_peer_dir(const char *dir, int *failed) {
    char path[2048];
    snprintf(path, sizeof path, "%s/expected.txt", dir);
    char *want = slurp(path);
    if (!want) return -1;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".parquet") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        nl_table *t = NULL;
        nl_error err = {0};
        n++;
        if (read_path(path, &t, &err) != NL_OK) {
            fprintf(stderr, "FAIL %s: %s\n", e->d_name, err.message);
            (*failed)++;
            continue;
        }
        char *got = table_text(t);
        if (strcmp(got, want) != 0) {
            report_diff(e->d_name, want, got);
            (*failed)++;
        }
        nl_free(got);
        nl_table_free(t);
    }
    closedir(d);
    free(want);
    return n;
}

/* tests/data/parquet-peers: one table of every type written by DuckDB with
 * each codec, row group size and format version (tests/tools/
 * parquet_peer_files.sh); each must read as DuckDB reads it. Needs only the
 * source tree. */
static void test_peer_files(void **state) {
    (void)state;
    const char *src = getenv("NL_SOURCE_DIR");
    if (!src) skip();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data/parquet-peers", src);
    int failed = 0;
    int n = check_peer_dir(dir, &failed);
    if (n < 0) skip();
    assert_int_equal(failed, 0);
    assert_true(n >= 8);
}

/* tests/data/parquet-peers/polars: one table of every type Polars writes
 * (durations, time zones, categoricals, nested lists and structs, an all-null
 * column ...) written by Polars with each of its codecs and several row group
 * and page sizes (tests/tools/parquet_peer_files_polars.mjs); each must read
 * as DuckDB reads it (Polars reads each back equal to what it wrote). */
static void test_polars_files(void **state) {
    (void)state;
    const char *src = getenv("NL_SOURCE_DIR");
    if (!src) skip();
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/data/parquet-peers/polars", src);
    int failed = 0;
    int n = check_peer_dir(dir, &failed);
    if (n < 0) skip();
    assert_int_equal(failed, 0);
    assert_true(n >= 7);
    /* What only Polars' ARROW:schema entry says: durations and their units,
     * a named time zone. */
    char path[2048];
    snprintf(path, sizeof path, "%s/polars_zstd_rg200.parquet", dir);
    nl_table *t = NULL;
    nl_error err = {0};
    assert_int_equal(read_path(path, &t, &err), NL_OK);
    static const char *durs[] = {"dur_ms", "dur_us", "dur_ns"};
    static const nl_time_unit units[] = {NL_UNIT_MILLI, NL_UNIT_MICRO, NL_UNIT_NANO};
    for (int i = 0; i < 3; i++) {
        int32_t c = nl_schema_find(t->schema, durs[i]);
        assert_true(c >= 0);
        assert_int_equal(t->schema->fields[c].type->id, NL_TYPE_DURATION);
        assert_int_equal(t->schema->fields[c].type->unit, units[i]);
    }
    int32_t c = nl_schema_find(t->schema, "dt_us_tokyo");
    assert_true(c >= 0);
    assert_string_equal(t->schema->fields[c].type->timezone, "Asia/Tokyo");
    nl_table_free(t);
}

static void test_bad_data(void **state) {
    (void)state;
    const char *shared = shared_dir();
    if (!shared) skip();
    char dir[1024], path[2048];
    snprintf(dir, sizeof dir, "%s/testdata/parquet-testing/bad_data", shared);
    DIR *d = opendir(dir);
    if (!d) skip();
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 8, ".parquet") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        nl_table *t = NULL;
        nl_error err = {0};
        nl_status st = read_path(path, &t, &err);
        fprintf(stderr, "bad_data %s: %s\n", e->d_name, st == NL_OK ? "read" : err.message);
        if (strcmp(e->d_name, "ARROW-GH-43605.parquet") == 0) {
            /* Dictionary indices of bit width 0 with a one-entry dictionary:
             * valid (every index is 0), read as Arrow and DuckDB do: 21186 zeros. */
            assert_int_equal(st, NL_OK);
            assert_int_equal(t->num_rows, 21186);
            for (int64_t b = 0; b < t->n_batches; b++) {
                const nl_array *a = t->batches[b]->columns[0];
                for (int64_t r = 0; r < a->length; r++) {
                    assert_false(nl_array_is_null(a, r));
                    assert_int_equal(NL_ARRAY_VALUES(a, uint16_t)[r], 0);
                }
            }
        } else {
            /* Every other file is corrupt: a clean error naming the file. */
            if (st == NL_OK) fail_msg("bad_data %s: read without an error", e->d_name);
            assert_non_null(strstr(err.message, e->d_name));
        }
        nl_table_free(t);
    }
    closedir(d);
}

static void test_tpch(void **state) {
    (void)state;
    const char *shared = shared_dir();
    if (!shared) skip();
    static const char *tables[] = {"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"};
    static const int64_t rows[] = {5, 25, 100, 1500, 2000, 8000, 15000, 60175};
    for (int i = 0; i < 8; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/testdata/tpch/sf0.01/%s.parquet", shared, tables[i]);
        struct stat sst;
        if (stat(path, &sst) != 0) continue;
        nl_table *t = NULL;
        nl_error err = {0};
        nl_status st = read_path(path, &t, &err);
        if (st != NL_OK) fprintf(stderr, "%s: %s\n", tables[i], err.message);
        assert_int_equal(st, NL_OK);
        if (rows[i] > 0 && t->num_rows != rows[i])
            fprintf(stderr, "%s: %lld rows\n", tables[i], (long long)t->num_rows);
        assert_true(t->num_rows > 0);
        nl_table_free(t);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_files),
        cmocka_unit_test(test_self_checks),
        cmocka_unit_test(test_peer_files),
        cmocka_unit_test(test_polars_files),
        cmocka_unit_test(test_bad_data),
        cmocka_unit_test(test_tpch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
