/*
 * threadpool.c -- the fixed worker pool behind every parallel loop.
 *
 * One job runs at a time per pool: parallel_for posts it, every worker wakes,
 * pulls indices from an atomic counter until they run out, and checks out; the
 * caller works too and returns once every worker has checked out, so nothing
 * touches the job's context after the call returns. Callers from different
 * threads take turns (the submit lock); a parallel_for issued from inside a
 * task runs inline on that worker, which keeps nesting deadlock-free and the
 * `worker` index unique among running calls.
 */
#include "base/threadpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/alloc.h"

struct nl_pool {
    int size; /* workers including the caller */
    pthread_t *threads;
    pthread_mutex_t submit; /* one job at a time */
    pthread_mutex_t lock;
    pthread_cond_t work_cv;
    pthread_cond_t done_cv;
    uint64_t generation;
    int pending; /* workers that have not checked out of the current job */
    bool stop;
    nl_task_fn fn;
    void *ctx;
    int64_t n;
    atomic_int_fast64_t next;
};

typedef struct worker_arg {
    nl_pool *pool;
    int id;
} worker_arg;

/* The worker index of the task this thread is running, or -1. */
static _Thread_local int tl_worker = -1;

int nl_cpu_count(void) {
    const char *env = getenv("NEURALAKE_THREADS");
    if (env && *env) {
        long v = strtol(env, NULL, 10);
        if (v >= 1 && v <= 1024) return (int)v;
    }
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n >= 1) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)n : 1;
}

static void run_indices(nl_pool *pool, int id) {
    int saved = tl_worker;
    tl_worker = id;
    for (;;) {
        int64_t i = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
        if (i >= pool->n) break;
        pool->fn(pool->ctx, i, id);
    }
    tl_worker = saved;
}

static void *worker_main(void *p) {
    worker_arg *arg = p;
    nl_pool *pool = arg->pool;
    int id = arg->id;
    nl_free(arg);
    uint64_t seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->generation == seen) pthread_cond_wait(&pool->work_cv, &pool->lock);
        if (pool->stop) break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        run_indices(pool, id);
        pthread_mutex_lock(&pool->lock);
        if (--pool->pending == 0) pthread_cond_signal(&pool->done_cv);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

nl_pool *nl_pool_new(int threads) {
    if (threads <= 0) threads = nl_cpu_count();
    nl_pool *pool = nl_calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->size = threads;
    pthread_mutex_init(&pool->submit, NULL);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->done_cv, NULL);
    atomic_init(&pool->next, 0);
    if (threads > 1) {
        pool->threads = nl_calloc((size_t)threads - 1, sizeof(pthread_t));
        if (!pool->threads) {
            nl_pool_free(pool);
            return NULL;
        }
    }
    for (int i = 1; i < threads; i++) {
        worker_arg *arg = nl_malloc(sizeof *arg);
        if (arg) {
            arg->pool = pool;
            arg->id = i;
        }
        if (!arg || pthread_create(&pool->threads[i - 1], NULL, worker_main, arg) != 0) {
            nl_free(arg);
            pool->size = i; /* only these many started; shut them down */
            nl_pool_free(pool);
            return NULL;
        }
    }
    return pool;
}

void nl_pool_free(nl_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = true;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 1; i < pool->size && pool->threads; i++) pthread_join(pool->threads[i - 1], NULL);
    nl_free(pool->threads);
    pthread_mutex_destroy(&pool->submit);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->work_cv);
    pthread_cond_destroy(&pool->done_cv);
    nl_free(pool);
}

int nl_pool_size(const nl_pool *pool) { return pool->size; }

void nl_pool_parallel_for(nl_pool *pool, int64_t n, nl_task_fn fn, void *ctx) {
    if (n <= 0) return;
    if (tl_worker >= 0 || pool == NULL || pool->size == 1 || n == 1) {
        int id = tl_worker >= 0 ? tl_worker : 0;
        int saved = tl_worker;
        tl_worker = id;
        for (int64_t i = 0; i < n; i++) fn(ctx, i, id);
        tl_worker = saved;
        return;
    }
    pthread_mutex_lock(&pool->submit);
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->n = n;
    atomic_store(&pool->next, 0);
    pool->pending = pool->size - 1;
    pool->generation++;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);

    run_indices(pool, 0);

    pthread_mutex_lock(&pool->lock);
    while (pool->pending > 0) pthread_cond_wait(&pool->done_cv, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
    pthread_mutex_unlock(&pool->submit);
}

static nl_pool *g_default_pool;
static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;

static void default_pool_free(void) {
    nl_pool_free(g_default_pool);
    g_default_pool = NULL;
}

static void default_pool_init(void) {
    g_default_pool = nl_pool_new(0);
    if (g_default_pool) atexit(default_pool_free);
}

nl_pool *nl_pool_default(void) {
    pthread_once(&g_default_once, default_pool_init);
    return g_default_pool;
}
