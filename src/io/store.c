/*
 * store.c -- the object store front door: nl_store_open picks the backend from
 * the URI's scheme, and nl_store_get_ranges turns many small reads of one
 * object into few requests (coalescing near ranges) issued in parallel.
 * Also the listing helpers the backends share (io_internal.h).
 */
#include "io/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/threadpool.h"
#include "io/io_internal.h"
#include "io/uri.h"

/* ---- opening ------------------------------------------------------------ */

/* Remote stores opened by URI get the small read cache (cache.c):
 * NEURALAKE_IO_CACHE_BYTES sets its size, 0 turns it off. */
#define IO_CACHE_DEFAULT_BYTES ((int64_t)16 << 20)
#define IO_CACHE_MAX_ENTRY ((int64_t)1 << 20)

static nl_status remote_cached(nl_store **s, nl_error *err) {
    int64_t bytes = IO_CACHE_DEFAULT_BYTES;
    const char *env = getenv("NEURALAKE_IO_CACHE_BYTES");
    if (env && *env) bytes = strtoll(env, NULL, 10);
    if (bytes <= 0) return NL_OK;
    *s = io_cache_new(*s, bytes, IO_CACHE_MAX_ENTRY);
    if (!*s) return nl_error_set(err, NL_ENOMEM, "out of memory opening a store");
    return NL_OK;
}

nl_status nl_store_open(const char *uri, nl_store **out, nl_error *err) {
    *out = NULL;
    nl_uri u;
    NL_TRY(nl_uri_parse(uri, &u, err));
    nl_uri_kind kind = u.kind;
    nl_uri_free(&u);
    switch (kind) {
    case NL_URI_FILE: *out = nl_store_local_new(); break;
    case NL_URI_MEMORY: *out = nl_store_memory_new(); break;
    case NL_URI_S3: NL_TRY(io_s3_store_open_default(out, err)); return remote_cached(out, err);
    case NL_URI_HTTP: NL_TRY(io_http_store_new(out, err)); return remote_cached(out, err);
    }
    if (!*out) return nl_error_set(err, NL_ENOMEM, "out of memory opening a store for '%s'", uri);
    return NL_OK;
}

void nl_store_close(nl_store *s) {
    if (s) s->vt->close(s);
}

void nl_object_list_free(nl_object_list *list) {
    if (!list) return;
    for (int64_t i = 0; i < list->count; i++) nl_free(list->items[i].uri);
    nl_free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

/* ---- listing helpers ---------------------------------------------------- */

nl_status io_list_add(nl_object_list *list, char *uri, int64_t size, int64_t mtime_ms,
                      bool is_prefix, nl_error *err) {
    if (!uri) return nl_error_set(err, NL_ENOMEM, "out of memory listing objects");
    if (list->count == list->cap) {
        int64_t cap = list->cap ? list->cap * 2 : 16;
        nl_object_info *items = nl_realloc(list->items, (size_t)cap * sizeof *items);
        if (!items) {
            nl_free(uri);
            return nl_error_set(err, NL_ENOMEM, "out of memory listing objects");
        }
        list->items = items;
        list->cap = cap;
    }
    list->items[list->count++] =
        (nl_object_info){.uri = uri, .size = size, .mtime_ms = mtime_ms, .is_prefix = is_prefix};
    return NL_OK;
}

static int list_cmp(const void *a, const void *b) {
    return strcmp(((const nl_object_info *)a)->uri, ((const nl_object_info *)b)->uri);
}

void io_list_sort(nl_object_list *list) {
    if (list->count > 1) qsort(list->items, (size_t)list->count, sizeof *list->items, list_cmp);
}

nl_status io_list_group(nl_object_list *list, const char *prefix, const char *delimiter,
                        nl_error *err) {
    if (!delimiter || !*delimiter) return NL_OK;
    size_t plen = strlen(prefix), dlen = strlen(delimiter);
    int64_t w = 0;
    for (int64_t r = 0; r < list->count; r++) {
        nl_object_info it = list->items[r];
        const char *rest = it.uri + plen;
        const char *d = strlen(it.uri) >= plen ? strstr(rest, delimiter) : NULL;
        if (!d || it.is_prefix) {
            list->items[w++] = it;
            continue;
        }
        size_t cut = (size_t)(d - it.uri) + dlen;
        /* Sorted input keeps every key under one common prefix together. */
        if (w > 0 && list->items[w - 1].is_prefix && strlen(list->items[w - 1].uri) == cut &&
            strncmp(list->items[w - 1].uri, it.uri, cut) == 0) {
            nl_free(it.uri);
            continue;
        }
        char *p = nl_strndup(it.uri, cut);
        nl_free(it.uri);
        if (!p) {
            /* Leave the list consistent: drop the rest. */
            for (int64_t k = r + 1; k < list->count; k++) nl_free(list->items[k].uri);
            list->count = w;
            return nl_error_set(err, NL_ENOMEM, "out of memory listing objects");
        }
        list->items[w++] = (nl_object_info){.uri = p, .size = 0, .mtime_ms = 0, .is_prefix = true};
    }
    list->count = w;
    return NL_OK;
}

/* ---- the I/O pool ------------------------------------------------------- */

/* Network reads wait far more than they compute, so the I/O pool has more
 * threads than cores. It is created once, on first use, like nl_pool_default. */
#define IO_POOL_THREADS 8

static nl_pool *io_pool;
static pthread_once_t io_pool_once = PTHREAD_ONCE_INIT;

static void io_pool_create(void) { io_pool = nl_pool_new(IO_POOL_THREADS); }

void io_parallel_for(int64_t n, io_task_fn fn, void *ctx) {
    pthread_once(&io_pool_once, io_pool_create);
    if (!io_pool || n <= 1) {
        for (int64_t i = 0; i < n; i++) fn(ctx, i, 0);
        return;
    }
    nl_pool_parallel_for(io_pool, n, fn, ctx);
}

/* ---- coalesced, parallel ranged reads ------------------------------------ */

/* Merging stops growing a request at IO_COALESCE_MAX (ranges that overlap
 * merge regardless, so no byte is fetched twice), and on remote stores a
 * request longer than IO_SPLIT_PIECE runs as pieces in parallel: one large
 * GET is limited by one connection, several are not. */
#define IO_COALESCE_MAX ((int64_t)16 << 20)
#define IO_SPLIT_PIECE ((int64_t)8 << 20)

typedef struct range_group {
    int64_t offset, length;
    nl_buffer *buf;
    int32_t first_piece, n_pieces;
} range_group;

typedef struct range_piece {
    int64_t offset, length;
    nl_buffer *buf;
    nl_status status;
    nl_error err;
} range_piece;

typedef struct ranges_job {
    nl_store *store;
    const char *uri;
    range_piece *pieces;
} ranges_job;

static void fetch_piece(void *ctx, int64_t i, int worker) {
    (void)worker;
    ranges_job *job = ctx;
    range_piece *p = &job->pieces[i];
    p->status = nl_store_get_range(job->store, job->uri, p->offset, p->length, &p->buf, &p->err);
    if (p->status == NL_OK && p->buf->size != p->length)
        p->status = nl_error_set(&p->err, NL_EIO, "short read of '%s': %lld of %lld bytes at %lld",
                                 job->uri, (long long)p->buf->size, (long long)p->length,
                                 (long long)p->offset);
}

typedef struct range_ref {
    int64_t offset, length;
    int32_t index;
} range_ref;

static int range_ref_cmp(const void *a, const void *b) {
    const range_ref *x = a, *y = b;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Remote stores pay a round trip per request, so independent requests run
 * in parallel there; local reads are cheap enough to run in order. */
static bool store_is_remote(const nl_store *s) {
    const char *sc = s->vt->scheme;
    return strcmp(sc, "file") != 0 && strcmp(sc, "memory") != 0;
}

/* Joins a group's pieces into one buffer (or takes the only piece's). */
static nl_status assemble(range_group *g, range_piece *pieces, const char *uri, nl_error *err) {
    if (g->n_pieces == 1) {
        g->buf = pieces[g->first_piece].buf;
        pieces[g->first_piece].buf = NULL;
        return NL_OK;
    }
    g->buf = nl_buffer_new(g->length);
    if (!g->buf) return nl_error_set(err, NL_ENOMEM, "out of memory reading '%s'", uri);
    for (int32_t k = 0; k < g->n_pieces; k++) {
        range_piece *p = &pieces[g->first_piece + k];
        memcpy(g->buf->data + (p->offset - g->offset), p->buf->data, (size_t)p->length);
    }
    g->buf->size = g->length;
    return NL_OK;
}

nl_status nl_store_get_ranges(nl_store *s, const char *uri, const nl_range *ranges, int32_t n,
                              int64_t coalesce_gap, nl_buffer **out, nl_error *err) {
    if (n < 0) return nl_error_set(err, NL_EINVAL, "negative range count");
    for (int32_t i = 0; i < n; i++) {
        out[i] = NULL;
        if (ranges[i].offset < 0 || ranges[i].length < 0 ||
            ranges[i].length > INT64_MAX - ranges[i].offset)
            return nl_error_set(err, NL_EINVAL, "bad range %d [%lld, +%lld) of '%s'", i,
                                (long long)ranges[i].offset, (long long)ranges[i].length, uri);
    }
    if (n == 0) return NL_OK;
    if (coalesce_gap < 0) coalesce_gap = 0;
    bool remote = store_is_remote(s);

    range_ref *refs = nl_malloc((size_t)n * sizeof *refs);
    range_group *groups = nl_calloc((size_t)n, sizeof *groups);
    int32_t *group_of = nl_malloc((size_t)n * sizeof *group_of);
    if (!refs || !groups || !group_of) {
        nl_free(refs);
        nl_free(groups);
        nl_free(group_of);
        return nl_error_set(err, NL_ENOMEM, "out of memory planning reads of '%s'", uri);
    }
    for (int32_t i = 0; i < n; i++)
        refs[i] = (range_ref){ranges[i].offset, ranges[i].length, i};
    qsort(refs, (size_t)n, sizeof *refs, range_ref_cmp);

    /* Merge ranges in offset order while the next starts within the gap of
     * the current group's end. */
    int32_t ng = 0;
    int64_t gend = 0;
    for (int32_t k = 0; k < n; k++) {
        int64_t end = refs[k].offset + refs[k].length;
        bool join = false;
        if (ng > 0) {
            int64_t merged_end = end > gend ? end : gend;
            join = refs[k].offset < gend ||
                   (refs[k].offset - gend <= coalesce_gap &&
                    merged_end - groups[ng - 1].offset <= IO_COALESCE_MAX);
        }
        if (join) {
            if (end > gend) gend = end;
            groups[ng - 1].length = gend - groups[ng - 1].offset;
        } else {
            groups[ng++] = (range_group){.offset = refs[k].offset, .length = refs[k].length};
            gend = end;
        }
        group_of[refs[k].index] = ng - 1;
    }

    /* Cut groups into the requests that will be sent. */
    int64_t np = 0;
    for (int32_t g = 0; g < ng; g++) {
        int64_t pieces = 1;
        if (remote && groups[g].length > IO_SPLIT_PIECE)
            pieces = (groups[g].length + IO_SPLIT_PIECE - 1) / IO_SPLIT_PIECE;
        groups[g].first_piece = (int32_t)np;
        groups[g].n_pieces = (int32_t)pieces;
        np += pieces;
    }
    range_piece *pieces = np <= INT32_MAX ? nl_calloc((size_t)np, sizeof *pieces) : NULL;
    nl_status st = NL_OK;
    if (!pieces) st = nl_error_set(err, NL_ENOMEM, "out of memory planning reads of '%s'", uri);
    for (int32_t g = 0; g < ng && pieces; g++) {
        for (int32_t k = 0; k < groups[g].n_pieces; k++) {
            int64_t off = groups[g].offset + (int64_t)k * IO_SPLIT_PIECE;
            int64_t left = groups[g].offset + groups[g].length - off;
            pieces[groups[g].first_piece + k] = (range_piece){
                .offset = off, .length = groups[g].n_pieces == 1 ? groups[g].length
                                        : left < IO_SPLIT_PIECE ? left
                                                                : IO_SPLIT_PIECE};
        }
    }

    if (st == NL_OK) {
        ranges_job job = {s, uri, pieces};
        if (np > 1 && remote)
            io_parallel_for(np, fetch_piece, &job);
        else
            for (int64_t p = 0; p < np; p++) fetch_piece(&job, p, 0);
        for (int64_t p = 0; p < np && st == NL_OK; p++) {
            if (pieces[p].status != NL_OK) {
                st = pieces[p].status;
                if (err) *err = pieces[p].err;
            }
        }
    }
    for (int32_t g = 0; g < ng && st == NL_OK; g++) st = assemble(&groups[g], pieces, uri, err);
    for (int32_t i = 0; i < n && st == NL_OK; i++) {
        range_group *g = &groups[group_of[i]];
        out[i] = nl_buffer_slice(g->buf, ranges[i].offset - g->offset, ranges[i].length);
        if (!out[i]) st = nl_error_set(err, NL_ENOMEM, "out of memory slicing reads of '%s'", uri);
    }
    if (st != NL_OK)
        for (int32_t i = 0; i < n; i++) {
            nl_buffer_unref(out[i]);
            out[i] = NULL;
        }
    for (int64_t p = 0; p < np && pieces; p++) nl_buffer_unref(pieces[p].buf);
    for (int32_t g = 0; g < ng; g++) nl_buffer_unref(groups[g].buf);
    nl_free(pieces);
    nl_free(refs);
    nl_free(groups);
    nl_free(group_of);
    return st;
}
