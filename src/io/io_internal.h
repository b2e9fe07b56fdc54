/*
 * io_internal.h -- helpers the object store backends share: building object
 * lists, grouping a flat listing by a delimiter, and the I/O thread pool.
 * Not part of the store interface (that is store.h).
 */
#ifndef NL_IO_INTERNAL_H
#define NL_IO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "io/store.h"

/* Appends an entry; takes ownership of `uri` (freed on failure too). */
nl_status io_list_add(nl_object_list *list, char *uri, int64_t size, int64_t mtime_ms,
                      bool is_prefix, nl_error *err);
/* Sorts a listing by URI. */
void io_list_sort(nl_object_list *list);
/* Turns a sorted, flat listing of everything under `prefix` into the view
 * with `delimiter`: entries whose remainder after the prefix holds the
 * delimiter collapse into one is_prefix entry each. */
nl_status io_list_group(nl_object_list *list, const char *prefix, const char *delimiter,
                        nl_error *err);

static inline bool io_starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Runs fn(ctx, i, worker) for i in [0, n) on the I/O pool: more threads than
 * cores, since I/O tasks mostly wait on the network. */
typedef void (*io_task_fn)(void *ctx, int64_t index, int worker);
void io_parallel_for(int64_t n, io_task_fn fn, void *ctx);

/* Constructors of the backends that need settings (see s3.h, http.h). */
nl_status io_s3_store_open_default(nl_store **out, nl_error *err);
nl_status io_http_store_new(nl_store **out, nl_error *err);

/* The HTTP engine behind an S3 or HTTP store (for request counters). */
struct io_http;
struct io_http *io_s3_http(nl_store *s);
struct io_http *io_http_store_engine(nl_store *s);

/* A read cache in front of `inner` (which it owns): ranged reads up to
 * max_entry bytes are kept, max_bytes in all, least recently used first out;
 * writes through the cache drop the object's entries. */
nl_store *io_cache_new(nl_store *inner, int64_t max_bytes, int64_t max_entry);
/* The store under a cache, or NULL when `s` is not a cache. */
nl_store *io_cache_inner(nl_store *s);

#endif
