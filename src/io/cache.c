/*
 * cache.c -- a small read cache in front of a remote store, for the reads
 * that repeat: Parquet footers and metadata, read by every query that touches
 * a file. Ranged reads up to max_entry bytes are kept (max_bytes in all,
 * least recently used evicted first); a read inside a cached range is served
 * from it as a zero-copy slice. Whole-object gets are not cached (they are
 * how mutable objects such as Delta's _last_checkpoint are read), and every
 * write through the cache drops that object's entries.
 *
 * The cache assumes objects do not change behind its back while it lives,
 * which holds for data files (written once); it lives as long as its store.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "io/http_client.h"
#include "io/io_internal.h"
#include "io/s3.h"
#include "io/store.h"

typedef struct cache_entry {
    char *uri;
    int64_t offset;
    nl_buffer *data;
    uint64_t used; /* recency stamp */
} cache_entry;

typedef struct cache_store {
    nl_store base;
    nl_store *inner;
    nl_store_vtable vt; /* the inner scheme's name with the cache's functions */
    pthread_mutex_t lock;
    cache_entry *entries;
    int64_t count, cap;
    int64_t bytes, max_bytes, max_entry;
    uint64_t clock;
} cache_store;

/* Caller holds the lock. */
static void cache_drop(cache_store *c, int64_t i) {
    c->bytes -= c->entries[i].data->size;
    nl_free(c->entries[i].uri);
    nl_buffer_unref(c->entries[i].data);
    c->entries[i] = c->entries[--c->count];
}

static void cache_invalidate(cache_store *c, const char *uri) {
    pthread_mutex_lock(&c->lock);
    for (int64_t i = 0; i < c->count;) {
        if (strcmp(c->entries[i].uri, uri) == 0)
            cache_drop(c, i);
        else
            i++;
    }
    pthread_mutex_unlock(&c->lock);
}

static nl_buffer *cache_lookup(cache_store *c, const char *uri, int64_t offset, int64_t length) {
    nl_buffer *hit = NULL;
    pthread_mutex_lock(&c->lock);
    for (int64_t i = 0; i < c->count; i++) {
        cache_entry *e = &c->entries[i];
        if (offset >= e->offset && offset + length <= e->offset + e->data->size &&
            strcmp(e->uri, uri) == 0) {
            e->used = ++c->clock;
            hit = nl_buffer_slice(e->data, offset - e->offset, length);
            break;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

static void cache_insert(cache_store *c, const char *uri, int64_t offset, nl_buffer *data) {
    char *u = nl_strdup(uri);
    if (!u) return;
    pthread_mutex_lock(&c->lock);
    while (c->count > 0 && c->bytes + data->size > c->max_bytes) {
        int64_t oldest = 0;
        for (int64_t i = 1; i < c->count; i++)
            if (c->entries[i].used < c->entries[oldest].used) oldest = i;
        cache_drop(c, oldest);
    }
    if (c->count == c->cap) {
        int64_t cap = c->cap ? c->cap * 2 : 32;
        cache_entry *e = nl_realloc(c->entries, (size_t)cap * sizeof *e);
        if (e) {
            c->entries = e;
            c->cap = cap;
        }
    }
    if (c->count < c->cap) {
        c->entries[c->count++] = (cache_entry){u, offset, nl_buffer_ref(data), ++c->clock};
        c->bytes += data->size;
        u = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    nl_free(u);
}

static nl_status cache_get_range(nl_store *s, const char *uri, int64_t offset, int64_t length,
                                 nl_buffer **out, nl_error *err) {
    cache_store *c = s->impl;
    if (length > 0 && length <= c->max_entry) {
        *out = cache_lookup(c, uri, offset, length);
        if (*out) return NL_OK;
    }
    NL_TRY(nl_store_get_range(c->inner, uri, offset, length, out, err));
    if (length > 0 && length <= c->max_entry) cache_insert(c, uri, offset, *out);
    return NL_OK;
}

static nl_status cache_get(nl_store *s, const char *uri, nl_buffer **out, nl_error *err) {
    return nl_store_get(((cache_store *)s->impl)->inner, uri, out, err);
}

static nl_status cache_head(nl_store *s, const char *uri, nl_object_info *out, nl_error *err) {
    return nl_store_head(((cache_store *)s->impl)->inner, uri, out, err);
}

static nl_status cache_list(nl_store *s, const char *prefix, const char *delim,
                            nl_object_list *out, nl_error *err) {
    return nl_store_list(((cache_store *)s->impl)->inner, prefix, delim, out, err);
}

static nl_status cache_put(nl_store *s, const char *uri, const void *d, int64_t n, nl_error *err) {
    cache_store *c = s->impl;
    cache_invalidate(c, uri);
    return nl_store_put(c->inner, uri, d, n, err);
}

static nl_status cache_put_if_absent(nl_store *s, const char *uri, const void *d, int64_t n,
                                     nl_error *err) {
    cache_store *c = s->impl;
    cache_invalidate(c, uri);
    return nl_store_put_if_absent(c->inner, uri, d, n, err);
}

static nl_status cache_delete(nl_store *s, const char *uri, nl_error *err) {
    cache_store *c = s->impl;
    cache_invalidate(c, uri);
    return nl_store_delete(c->inner, uri, err);
}

/* Uploads pass through, dropping the object's entries again on commit. */
typedef struct cache_upload {
    nl_upload base;
    nl_upload *inner;
    cache_store *cache;
    char *uri;
} cache_upload;

static nl_status cup_write(nl_upload *u, const void *d, int64_t n, nl_error *err) {
    cache_upload *cu = u->impl;
    return cu->inner->write(cu->inner, d, n, err);
}

static nl_status cup_commit(nl_upload *u, nl_error *err) {
    cache_upload *cu = u->impl;
    nl_status st = cu->inner->commit(cu->inner, err);
    cache_invalidate(cu->cache, cu->uri);
    nl_free(cu->uri);
    nl_free(cu);
    return st;
}

static void cup_abort(nl_upload *u) {
    if (!u) return;
    cache_upload *cu = u->impl;
    cu->inner->abort(cu->inner);
    nl_free(cu->uri);
    nl_free(cu);
}

static nl_status cache_upload_begin(nl_store *s, const char *uri, nl_upload **out, nl_error *err) {
    cache_store *c = s->impl;
    *out = NULL;
    cache_invalidate(c, uri);
    cache_upload *cu = nl_calloc(1, sizeof *cu);
    if (cu) cu->uri = nl_strdup(uri);
    if (!cu || !cu->uri) {
        nl_free(cu);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_status st = nl_store_upload_begin(c->inner, uri, &cu->inner, err);
    if (st != NL_OK) {
        nl_free(cu->uri);
        nl_free(cu);
        return st;
    }
    cu->cache = c;
    cu->base = (nl_upload){cup_write, cup_commit, cup_abort, cu};
    *out = &cu->base;
    return NL_OK;
}

static void cache_close(nl_store *s) {
    cache_store *c = s->impl;
    for (int64_t i = 0; i < c->count; i++) {
        nl_free(c->entries[i].uri);
        nl_buffer_unref(c->entries[i].data);
    }
    nl_free(c->entries);
    nl_store_close(c->inner);
    pthread_mutex_destroy(&c->lock);
    nl_free(c);
}

nl_store *io_cache_new(nl_store *inner, int64_t max_bytes, int64_t max_entry) {
    if (!inner) return NULL;
    cache_store *c = nl_calloc(1, sizeof *c);
    if (!c) {
        nl_store_close(inner);
        return NULL;
    }
    c->inner = inner;
    c->max_bytes = max_bytes;
    c->max_entry = max_entry < max_bytes ? max_entry : max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    /* Callers see the backend's scheme: the cache is transparent. */
    c->vt = (nl_store_vtable){inner->vt->scheme, cache_get_range, cache_get, cache_head,
                              cache_list, cache_put, cache_put_if_absent, cache_delete,
                              cache_upload_begin, cache_close};
    c->base.vt = &c->vt;
    c->base.impl = c;
    return &c->base;
}

nl_store *io_cache_inner(nl_store *s) {
    return s && s->vt->close == cache_close ? ((cache_store *)s->impl)->inner : NULL;
}

/* ---- request counters of remote stores ---- */

static io_http *engine_of(nl_store *s) {
    nl_store *inner = io_cache_inner(s);
    if (inner) s = inner;
    if (strcmp(s->vt->scheme, "s3") == 0) return io_s3_http(s);
    if (strcmp(s->vt->scheme, "http") == 0) return io_http_store_engine(s);
    return NULL;
}

nl_status nl_store_http_stats(nl_store *s, io_http_stats *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    io_http *h = engine_of(s);
    if (!h) return nl_error_set(err, NL_EINVAL, "a %s store has no request counters", s->vt->scheme);
    io_http_stats_get(h, out);
    return NL_OK;
}

void nl_store_http_stats_reset(nl_store *s) {
    io_http *h = engine_of(s);
    if (h) io_http_stats_reset(h);
}
