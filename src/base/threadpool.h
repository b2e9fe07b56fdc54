/*
 * threadpool.h -- a fixed pool of worker threads, sized to the cores, for
 * morsel-driven parallelism: a parallel loop hands out indices (row groups,
 * files, partitions) from an atomic counter, and the calling thread works too.
 *
 * A parallel_for called from inside a task runs inline on that worker, so
 * nested parallelism never deadlocks.
 */
#ifndef NL_BASE_THREADPOOL_H
#define NL_BASE_THREADPOOL_H

#include <stdint.h>

typedef struct nl_pool nl_pool;

/* `threads` workers in all, counting the caller; 0 = the number of cores
 * (or NEURALAKE_THREADS when set). NULL on failure. */
nl_pool *nl_pool_new(int threads);
void nl_pool_free(nl_pool *pool);
/* Workers including the caller (>= 1). */
int nl_pool_size(const nl_pool *pool);

/* The library's shared pool, created on first use. */
nl_pool *nl_pool_default(void);

/* Calls fn(ctx, i, worker) for every i in [0, n), spread over the pool; returns
 * when all calls have finished. `worker` is in [0, nl_pool_size) and is unique
 * among calls running at the same time, so tasks can index per-worker state. */
typedef void (*nl_task_fn)(void *ctx, int64_t index, int worker);
void nl_pool_parallel_for(nl_pool *pool, int64_t n, nl_task_fn fn, void *ctx);

/* The number of cores this process may use. */
int nl_cpu_count(void);

#endif
