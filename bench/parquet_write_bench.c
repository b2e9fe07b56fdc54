/*
 * parquet_write_bench.c -- how fast the Parquet writer writes TPC-H lineitem,
 * against DuckDB's COPY ... TO (FORMAT parquet) of the same rows in the same
 * run.
 *
 *   parquet_write_bench [LINEITEM.parquet] [CODEC] [RUNS]
 *
 * Defaults: $NL_SHARED_DIR/testdata/tpch/sf1/lineitem.parquet when present,
 * else sf0.1 (NL_SHARED_DIR defaults to ../shared from the working
 * directory), zstd, 3 runs. The file is read once with the reader (not
 * timed); each run writes it to a temporary file and the best run counts.
 * DuckDB loads the same file into a table and times its COPY the same way
 * (through node and ../shared/tools/peers; skipped when missing). MB/s is the
 * table's in-memory data size over the write time, for both engines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/parquet/codec.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const nl_error *err) {
    fprintf(stderr, "parquet_write_bench: %s: %s\n", what, err->message);
    exit(1);
}

/* Bytes of values, offsets, string data and validity of rows in use. */
static int64_t array_bytes(const nl_array *a) {
    int64_t n = a->length, b = a->validity ? (n + 7) / 8 : 0;
    switch (a->type->id) {
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        const int32_t *o = (const int32_t *)(const void *)a->values->data + a->offset;
        return b + (n + 1) * 4 + (o[n] - o[0]);
    }
    case NL_TYPE_LIST: return b + (n + 1) * 4 + array_bytes(a->children[0]);
    case NL_TYPE_STRUCT:
        for (int32_t i = 0; i < a->n_children; i++) b += array_bytes(a->children[i]);
        return b;
    case NL_TYPE_BOOL: return b + (n + 7) / 8;
    default: return b + n * nl_type_byte_width(a->type->id);
    }
}

static int64_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

/* Times DuckDB's COPY; returns the best seconds, or -1 when it cannot run. */
static double duckdb_copy(const char *shared, const char *in, const char *out, const char *codec,
                          int runs) {
    char script[] = "/tmp/nl_pqw_bench_XXXXXX.mjs";
    int fd = mkstemps(script, 4);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    fprintf(f,
            "import { createRequire } from 'node:module';\n"
            "import os from 'node:os'; import path from 'node:path';\n"
            "const peers = process.env.NEURALAKE_PEERS || path.join(os.homedir(), "
            "'.cache/neuralake-peers');\n"
            "const require = createRequire(path.join(peers, 'package.json'));\n"
            "const { DuckDBInstance } = require('@duckdb/node-api');\n"
            "const con = await (await DuckDBInstance.create(':memory:')).connect();\n"
            "await con.run(\"CREATE TABLE t AS SELECT * FROM read_parquet('%s')\");\n"
            "let best = 1e9;\n"
            "for (let r = 0; r < %d; r++) { const t0 = performance.now();\n"
            "  await con.run(\"COPY t TO '%s' (FORMAT parquet, COMPRESSION %s)\");\n"
            "  best = Math.min(best, (performance.now() - t0) / 1000); }\n"
            "console.log(best);\n",
            in, runs, out, strcmp(codec, "none") == 0 ? "uncompressed" : codec);
    fclose(f);
    (void)shared;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "node %s 2>/dev/null", script);
    FILE *p = popen(cmd, "r");
    double best = -1;
    if (p) {
        if (fscanf(p, "%lf", &best) != 1) best = -1;
        pclose(p);
    }
    unlink(script);
    return best;
}

int main(int argc, char **argv) {
    const char *shared = getenv("NL_SHARED_DIR") ? getenv("NL_SHARED_DIR") : "../shared";
    char def[512];
    snprintf(def, sizeof def, "%s/testdata/tpch/sf1/lineitem.parquet", shared);
    if (access(def, R_OK) != 0)
        snprintf(def, sizeof def, "%s/testdata/tpch/sf0.1/lineitem.parquet", shared);
    const char *in = argc > 1 ? argv[1] : def;
    const char *codec = argc > 2 ? argv[2] : "zstd";
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    if (runs < 1) runs = 1;

    nl_error err = {0};
    pq_file *f;
    if (pq_file_open_path(in, NULL, &f, &err) != NL_OK) die(in, &err);
    nl_table *t;
    if (pq_read_table(f, &t, &err) != NL_OK) die(in, &err);
    pq_file_close(f);
    int64_t bytes = 0;
    for (int64_t b = 0; b < t->n_batches; b++)
        for (int32_t c = 0; c < t->batches[b]->n_columns; c++)
            bytes += array_bytes(t->batches[b]->columns[c]);

    pq_write_options o;
    pq_write_options_init(&o);
    o.codec = pq_codec_parse(codec);
    if (o.codec < 0) {
        fprintf(stderr, "parquet_write_bench: unknown codec '%s'\n", codec);
        return 2;
    }
    char ours[] = "/tmp/nl_pqw_bench_ours_XXXXXX.parquet";
    int fd = mkstemps(ours, 8);
    if (fd >= 0) close(fd);
    nl_store *store = nl_store_local_new();
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        double t0 = now_s();
        if (pq_write_table(store, ours, t, &o, &err) != NL_OK) die(ours, &err);
        double dt = now_s() - t0;
        if (dt < best) best = dt;
    }
    nl_store_close(store);
    int64_t our_size = file_size(ours);

    char theirs[] = "/tmp/nl_pqw_bench_duck_XXXXXX.parquet";
    fd = mkstemps(theirs, 8);
    if (fd >= 0) close(fd);
    double duck = duckdb_copy(shared, in, theirs, codec, runs);
    int64_t duck_size = file_size(theirs);

    double mb = (double)bytes / 1e6;
    printf("parquet write: %s, %lld rows, %.1f MB in memory, codec %s, best of %d\n", in,
           (long long)t->num_rows, mb, codec, runs);
    printf("  neuralake  %7.3f s  %8.1f MB/s  file %6.1f MB\n", best, mb / best,
           (double)our_size / 1e6);
    if (duck > 0) {
        printf("  duckdb     %7.3f s  %8.1f MB/s  file %6.1f MB\n", duck, mb / duck,
               (double)duck_size / 1e6);
        printf("  ratio (duckdb time / neuralake time): %.2fx\n", duck / best);
    } else {
        printf("  duckdb     not available (node and ../shared/tools/peers needed)\n");
    }
    unlink(ours);
    unlink(theirs);
    nl_table_free(t);
    return 0;
}
