/*
 * s3_read_bench.c -- how fast a Parquet file reads from the local S3 bucket
 * against the same file on disk, through the object store interface, and how
 * many requests it takes.
 *
 *   s3_read_bench FILE.parquet s3://bucket/key.parquet [COLUMN_INDEX...]
 *
 * The object must already be in the bucket (bench/s3_read_bench.sh uploads
 * it). Three reads per store, each on a fresh store so nothing is cached:
 *   whole    the whole object in 8 MiB ranged reads, 8 at a time
 *   footer   the 8-byte tail and the footer (what opening a file costs)
 *   columns  footer, then the column chunks of the given columns (default
 *            lineitem's l_quantity, l_extendedprice, l_discount, l_shipdate)
 *            in every row group, coalesced (1 MiB gap) and in parallel:
 *            the reads a projected scan makes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "formats/parquet/metadata.h"
#include "io/s3.h"
#include "io/store.h"

#define CHUNK ((int64_t)8 << 20)
#define GAP ((int64_t)1 << 20)

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const nl_error *err) {
    fprintf(stderr, "s3_read_bench: %s: %s\n", what, err->message);
    exit(1);
}

static nl_store *fresh(const char *uri) {
    nl_error err = {0};
    nl_store *s;
    if (strncmp(uri, "s3://", 5) == 0) {
        if (nl_s3_store_new(NULL, &s, &err) != NL_OK) die("opening the S3 store", &err);
        /* S3 stores with the same settings share one HTTP engine and its
         * counters: start each measurement from zero. */
        nl_store_http_stats_reset(s);
    } else {
        s = nl_store_local_new();
    }
    return s;
}

typedef struct result {
    double seconds;
    int64_t bytes;
    int64_t requests;
} result;

static void stats(nl_store *s, result *r) {
    io_http_stats st;
    nl_error err = {0};
    r->requests = nl_store_http_stats(s, &st, &err) == NL_OK ? st.requests : -1;
}

static result read_whole(const char *uri) {
    nl_store *s = fresh(uri);
    nl_error err = {0};
    double t0 = now_s();
    nl_object_info info;
    if (nl_store_head(s, uri, &info, &err) != NL_OK) die(uri, &err);
    int32_t n = (int32_t)((info.size + CHUNK - 1) / CHUNK);
    nl_range *r = nl_calloc((size_t)n, sizeof *r);
    nl_buffer **out = nl_calloc((size_t)n, sizeof *out);
    for (int32_t i = 0; i < n; i++)
        r[i] = (nl_range){(int64_t)i * CHUNK,
                          info.size - (int64_t)i * CHUNK < CHUNK ? info.size - (int64_t)i * CHUNK
                                                                 : CHUNK};
    if (nl_store_get_ranges(s, uri, r, n, 0, out, &err) != NL_OK) die(uri, &err);
    result res = {now_s() - t0, info.size, 0};
    for (int32_t i = 0; i < n; i++) nl_buffer_unref(out[i]);
    stats(s, &res);
    nl_free(r);
    nl_free(out);
    nl_free(info.uri);
    nl_store_close(s);
    return res;
}

static pq_file_meta *read_footer(nl_store *s, const char *uri, int64_t *bytes) {
    nl_error err = {0};
    nl_object_info info;
    if (nl_store_head(s, uri, &info, &err) != NL_OK) die(uri, &err);
    nl_free(info.uri);
    nl_buffer *tail;
    if (nl_store_get_range(s, uri, info.size - 8, 8, &tail, &err) != NL_OK) die(uri, &err);
    uint32_t flen = (uint32_t)tail->data[0] | (uint32_t)tail->data[1] << 8 |
                    (uint32_t)tail->data[2] << 16 | (uint32_t)tail->data[3] << 24;
    if (memcmp(tail->data + 4, "PAR1", 4) != 0 || flen > info.size - 8) {
        fprintf(stderr, "s3_read_bench: %s is not Parquet\n", uri);
        exit(1);
    }
    nl_buffer_unref(tail);
    nl_buffer *footer;
    if (nl_store_get_range(s, uri, info.size - 8 - flen, flen, &footer, &err) != NL_OK)
        die(uri, &err);
    pq_file_meta *meta;
    if (pq_file_meta_decode(footer, &meta, &err) != NL_OK) die(uri, &err);
    nl_buffer_unref(footer);
    *bytes = 8 + flen;
    return meta;
}

static result read_footer_only(const char *uri) {
    nl_store *s = fresh(uri);
    double t0 = now_s();
    result res = {0};
    pq_file_meta *meta = read_footer(s, uri, &res.bytes);
    res.seconds = now_s() - t0;
    stats(s, &res);
    pq_file_meta_free(meta);
    nl_store_close(s);
    return res;
}

static result read_columns(const char *uri, const int *cols, int n_cols) {
    nl_store *s = fresh(uri);
    nl_error err = {0};
    double t0 = now_s();
    result res = {0};
    pq_file_meta *meta = read_footer(s, uri, &res.bytes);
    int32_t cap = meta->n_row_groups * n_cols, n = 0;
    nl_range *r = nl_calloc((size_t)cap, sizeof *r);
    for (int32_t g = 0; g < meta->n_row_groups; g++) {
        const pq_row_group *rg = &meta->row_groups[g];
        for (int c = 0; c < n_cols; c++) {
            if (cols[c] < 0 || cols[c] >= rg->n_columns) continue;
            const pq_column_meta *m = &rg->columns[cols[c]].meta;
            int64_t start = m->dictionary_page_offset > 0 && m->dictionary_page_offset < m->data_page_offset
                                ? m->dictionary_page_offset
                                : m->data_page_offset;
            r[n++] = (nl_range){start, m->total_compressed_size};
        }
    }
    nl_buffer **out = nl_calloc((size_t)(n ? n : 1), sizeof *out);
    if (nl_store_get_ranges(s, uri, r, n, GAP, out, &err) != NL_OK) die(uri, &err);
    res.seconds = now_s() - t0;
    for (int32_t i = 0; i < n; i++) {
        res.bytes += r[i].length;
        nl_buffer_unref(out[i]);
    }
    stats(s, &res);
    nl_free(out);
    nl_free(r);
    pq_file_meta_free(meta);
    nl_store_close(s);
    return res;
}

static void report(const char *store, const char *what, result r) {
    char req[32] = "-";
    if (r.requests >= 0) snprintf(req, sizeof req, "%lld", (long long)r.requests);
    printf("%-6s %-8s %10.1f MB %8.3f s %9.1f MB/s %8s requests\n", store, what,
           (double)r.bytes / 1e6, r.seconds,
           (double)r.bytes / 1e6 / (r.seconds > 0 ? r.seconds : 1e-9), req);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: s3_read_bench FILE.parquet s3://bucket/key.parquet [COLUMN...]\n");
        return 2;
    }
    int cols[64] = {4, 5, 6, 10};
    int n_cols = 4;
    if (argc > 3) {
        n_cols = 0;
        for (int i = 3; i < argc && n_cols < 64; i++) cols[n_cols++] = atoi(argv[i]);
    }
    const char *uris[2] = {argv[1], argv[2]};
    const char *names[2] = {"disk", "s3"};
    for (int k = 0; k < 2; k++) {
        /* one untimed pass so the disk cache and the server are warm alike */
        result warm = read_whole(uris[k]);
        (void)warm;
        report(names[k], "whole", read_whole(uris[k]));
        report(names[k], "footer", read_footer_only(uris[k]));
        report(names[k], "columns", read_columns(uris[k], cols, n_cols));
    }
    return 0;
}
