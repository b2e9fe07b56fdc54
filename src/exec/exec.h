/*
 * exec.h -- running a logical plan.
 *
 * Execution is morsel-driven: a pipeline is a chain of streaming operators
 * (filter, projection, hash-join probe) over a source split into morsels
 * (the parts of a scan, or the batches of a materialised input); the thread
 * pool pulls morsels and each worker pushes its batches through the chain
 * into a sink. Pipeline breakers (hash build, aggregation, sort, limit,
 * union) materialise their input through such a pipeline, keep per-worker
 * state where it pays (aggregation) and merge it.
 */
#ifndef NL_EXEC_EXEC_H
#define NL_EXEC_EXEC_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/threadpool.h"
#include "plan/plan.h"

typedef struct exec_ctx {
    nl_pool *pool;
    int n_workers;
    bool analyze;
    atomic_int failed;
    pthread_mutex_t lock;
    nl_error first_err;
    pl_ctx *plan;
} exec_ctx;

typedef struct exec_batches {
    nl_batch **b;
    int64_t n, cap;
} exec_batches;

nl_status exec_batches_push(exec_batches *v, nl_batch *b /* takes the reference */, nl_error *err);
void exec_batches_clear(exec_batches *v);
int64_t exec_batches_rows(const exec_batches *v);

/* Resolves every expression's columns to positions and gives each node its
 * batch schema. Call once before exec_run. */
nl_status exec_prepare(pl_ctx *ctx, pl_node *root, nl_error *err);
/* Runs the plan; the result is a table whose schema carries the root's
 * output names. */
nl_status exec_run(pl_node *root, bool analyze, nl_table **out, nl_error *err);
/* Frees executor state left on the nodes (after a failure, too). */
void exec_release(pl_node *root);

/* ---- for the operators ---- */

nl_status exec_materialize(exec_ctx *x, pl_node *node, exec_batches *out, nl_error *err);

typedef struct exec_sink {
    /* called from any worker; `morsel` orders the output */
    nl_status (*consume)(void *ctx, nl_batch *b, int64_t morsel, int worker, nl_error *err);
    void *ctx;
    int64_t n_morsels; /* set by exec_pipeline before the first consume */
    nl_status (*start)(void *ctx, int64_t n_morsels, nl_error *err);
} exec_sink;

/* Runs the streaming chain ending at `top` into the sink. */
nl_status exec_pipeline(exec_ctx *x, pl_node *top, exec_sink *sink, nl_error *err);
/* Collects `top`'s output in order. */
nl_status exec_collect(exec_ctx *x, pl_node *top, exec_batches *out, nl_error *err);
/* Records the first error of a parallel task. */
void exec_fail(exec_ctx *x, const nl_error *err);

/* Concatenates batches into one (columns concatenated); NULL schema: the first batch's. */
nl_status exec_concat(const exec_batches *in, nl_schema *schema, nl_batch **out, nl_error *err);
/* A batch of the given columns with `schema` (a new reference is taken). */
nl_status exec_batch_with(nl_schema *schema, nl_array **cols, int64_t rows, nl_batch **out,
                          nl_error *err);

/* operators (op_*.c) */
nl_status exec_join_build(exec_ctx *x, pl_node *join, nl_error *err);
nl_status exec_join_probe(exec_ctx *x, pl_node *join, nl_batch *in, nl_batch **out, nl_error *err);
nl_status exec_join_unmatched(exec_ctx *x, pl_node *join, nl_batch **out, nl_error *err);
void exec_join_free(pl_node *join);
nl_status exec_agg(exec_ctx *x, pl_node *agg, exec_batches *out, nl_error *err);
nl_status exec_sort(exec_ctx *x, pl_node *sort, exec_batches *out, nl_error *err);

#endif
