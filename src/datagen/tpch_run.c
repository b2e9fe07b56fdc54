/*
 * tpch_run.c -- generating a whole TPC-H table in parallel, in order.
 *
 * The table is cut into chunks of units; a wave of chunks (two per worker, so
 * a slow chunk does not idle the others) is generated at once on the thread
 * pool, then handed to the sink one batch at a time, in order. The sink (a
 * Parquet writer, a .tbl file, a test) runs on the calling thread and may use
 * the pool itself between waves. Memory stays bounded by one wave.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/threadpool.h"
#include "datagen/tpch.h"

/* Chunks of about 64K rows: big enough to amortise the per-chunk skip-ahead
 * and buffers, small enough to spread over the workers. */
#define RUN_CHUNK_ROWS        65536
#define RUN_CHUNKS_PER_WORKER 2

typedef struct run_wave {
    const tpch_gen *gen;
    tpch_table table;
    int64_t first; /* first unit of the wave */
    int64_t chunk; /* units per chunk */
    int64_t end;   /* units in the table */
    nl_batch **batches;
    nl_status *status;
    nl_error *errors;
} run_wave;

static void run_chunk(void *ctx, int64_t i, int worker) {
    (void)worker;
    run_wave *w = ctx;
    int64_t start = w->first + i * w->chunk;
    int64_t n = w->end - start < w->chunk ? w->end - start : w->chunk;
    w->status[i] = tpch_gen_batch(w->gen, w->table, start, n, &w->batches[i], &w->errors[i]);
}

int64_t tpch_default_chunk_units(tpch_table table) {
    switch (table) {
    case TPCH_PARTSUPP:
    case TPCH_LINEITEM: return RUN_CHUNK_ROWS / 4; /* about 4 rows per unit */
    default: return RUN_CHUNK_ROWS;
    }
}

nl_status tpch_gen_table(const tpch_gen *gen, tpch_table table, nl_pool *pool, int64_t chunk_units,
                         tpch_sink_fn sink, void *ctx, nl_error *err) {
    if (pool == NULL) pool = nl_pool_default();
    if (pool == NULL) return nl_error_set(err, NL_ENOMEM, "tpch: no thread pool");
    if (chunk_units <= 0) chunk_units = tpch_default_chunk_units(table);
    int64_t units = tpch_gen_units(gen, table);
    int64_t wave_chunks = (int64_t)nl_pool_size(pool) * RUN_CHUNKS_PER_WORKER;

    run_wave w = {.gen = gen, .table = table, .chunk = chunk_units, .end = units};
    w.batches = nl_calloc((size_t)wave_chunks, sizeof *w.batches);
    w.status = nl_calloc((size_t)wave_chunks, sizeof *w.status);
    w.errors = nl_calloc((size_t)wave_chunks, sizeof *w.errors);
    nl_status st = NL_OK;
    if (w.batches == NULL || w.status == NULL || w.errors == NULL) {
        st = nl_error_set(err, NL_ENOMEM, "tpch: out of memory");
        goto done;
    }
    for (w.first = 0; w.first < units && st == NL_OK; w.first += wave_chunks * chunk_units) {
        int64_t left = (units - w.first + chunk_units - 1) / chunk_units;
        int64_t n = left < wave_chunks ? left : wave_chunks;
        nl_pool_parallel_for(pool, n, run_chunk, &w);
        for (int64_t i = 0; i < n; i++) {
            if (st == NL_OK && w.status[i] != NL_OK) {
                st = w.status[i];
                if (err) *err = w.errors[i];
            }
            if (st == NL_OK) st = sink(ctx, w.batches[i], err);
            if (w.batches[i] != NULL) nl_batch_unref(w.batches[i]);
            w.batches[i] = NULL;
        }
    }
    if (st != NL_OK) nl_error_prefix(err, "generating %s", tpch_table_name(table));
done:
    nl_free(w.batches);
    nl_free(w.status);
    nl_free(w.errors);
    return st;
}
