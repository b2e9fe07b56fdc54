/*
 * parquet_read_bench.c -- how fast the Parquet reader decodes a file.
 *
 *   build/release/bench/parquet_read_bench FILE [RUNS] [COL1,COL2]
 *
 * With NL_BENCH_MALLOC_TUNED=1 it first raises glibc's mmap and trim
 * thresholds (mallopt), which keeps freed column buffers in the heap instead
 * of returning them to the kernel: on 2 cores this halves the CPU time, since
 * every fresh page otherwise costs a page fault and the faults serialise the
 * threads. The library does not do this itself (process-wide allocator
 * tuning belongs to src/base/alloc.c or the program).
 *
 * Measures, best of RUNS (default 3): decoding every column of every row group
 * (row groups spread over the pool, columns inside each one too), and a scan of
 * two projected columns (default l_extendedprice,l_shipdate, else the first
 * two; NL_BENCH_ONLY=two_columns measures only this one). Prints wall and CPU seconds, MB/s of file bytes and million rows/s, one
 * line each, as "name wall cpu mb_per_s mrows_per_s" so bench/parquet_read_bench.sh can
 * set them beside DuckDB's. Not a ctest: run it by hand or through the script.
 */
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/threadpool.h"
#include "formats/parquet/reader.h"

typedef struct job {
    pq_file *file;
    const int32_t *cols;
    int32_t n_cols;
    atomic_int failures;
    atomic_llong rows;
} job;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void read_one(void *ctx, int64_t rg, int worker) {
    (void)worker;
    job *j = ctx;
    nl_batch *b = NULL;
    nl_error err = {0};
    if (pq_read_row_group(j->file, (int32_t)rg, j->cols, j->n_cols, &b, &err) != NL_OK) {
        if (atomic_fetch_add(&j->failures, 1) == 0) fprintf(stderr, "%s\n", err.message);
        return;
    }
    atomic_fetch_add(&j->rows, b->num_rows);
    nl_batch_unref(b);
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Best wall time of `runs`; *cpu gets the best CPU time (all threads). */
static double run(pq_file *f, const int32_t *cols, int32_t n, int runs, int64_t *rows,
                  double *cpu) {
    double best = 1e30;
    *cpu = 1e30;
    for (int r = 0; r < runs; r++) {
        job j = {.file = f, .cols = cols, .n_cols = n};
        atomic_init(&j.failures, 0);
        atomic_init(&j.rows, 0);
        double t0 = now(), c0 = cpu_now();
        nl_pool_parallel_for(nl_pool_default(), pq_file_num_row_groups(f), read_one, &j);
        double t = now() - t0, c = cpu_now() - c0;
        if (c < *cpu) *cpu = c;
        if (atomic_load(&j.failures)) exit(1);
        *rows = atomic_load(&j.rows);
        if (t < best) best = t;
    }
    return best;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: parquet_read_bench FILE [RUNS] [COL1,COL2]\n");
        return 2;
    }
    const char *tuned = getenv("NL_BENCH_MALLOC_TUNED");
    if (tuned && *tuned == '1') {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (runs < 1) runs = 1;
    pq_file *f = NULL;
    nl_error err = {0};
    double t0 = now();
    if (pq_file_open_path(argv[1], NULL, &f, &err) != NL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    double t_open = now() - t0;
    double mb = (double)pq_file_size(f) / 1e6;
    int64_t rows = 0;
    double c_all, c_two;
    printf("open %.4f - - -\n", t_open);
    const char *only = getenv("NL_BENCH_ONLY"); /* two_columns: skip the full decode */
    if (!only || strcmp(only, "two_columns") != 0) {
        double t_all = run(f, NULL, -1, runs, &rows, &c_all);
        printf("all_columns %.4f %.4f %.1f %.2f\n", t_all, c_all, mb / t_all, (double)rows / t_all / 1e6);
    }
    const nl_schema *s = pq_file_schema(f);
    int32_t cols[2] = {0, s->n_fields > 1 ? 1 : 0};
    const char *names = argc > 3 ? argv[3] : "l_extendedprice,l_shipdate";
    char *copy = nl_strdup(names), *save = NULL;
    int k = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && k < 2; tok = strtok_r(NULL, ",", &save)) {
        int32_t idx = nl_schema_find(s, tok);
        if (idx >= 0) cols[k++] = idx;
    }
    nl_free(copy);
    double t_two = run(f, cols, 2, runs, &rows, &c_two);
    /* MB/s of the two columns' compressed bytes. */
    const pq_file_meta *m = pq_file_metadata(f);
    double bytes = 0;
    for (int32_t g = 0; g < m->n_row_groups; g++)
        for (int i = 0; i < 2; i++) bytes += (double)m->row_groups[g].columns[cols[i]].meta.total_compressed_size;
    printf("two_columns %.4f %.4f %.1f %.2f\n", t_two, c_two, bytes / 1e6 / t_two,
           (double)rows / t_two / 1e6);
    pq_file_close(f);
    return 0;
}
