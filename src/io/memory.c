/*
 * memory.c -- an object store held in memory, for tests: the same semantics
 * as the other backends (exact ranged reads, prefix/delimiter listing, atomic
 * put_if_absent, uploads visible only on commit) without touching a disk.
 *
 * Objects are keyed by their URI with any "memory://" stripped, so
 * "memory://a/b" and "a/b" name the same object; listings report keys in the
 * form the prefix was given. One mutex guards the table; object bytes are
 * immutable buffers, so reads hand out zero-copy slices.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "io/io_internal.h"
#include "io/store.h"

typedef struct mem_object {
    char *key;
    nl_buffer *data;
    int64_t mtime_ms;
} mem_object;

typedef struct mem_store {
    nl_store base;
    pthread_mutex_t lock;
    mem_object *objects;
    int64_t count, cap;
} mem_store;

#define MEM_SCHEME "memory://"

static const char *mem_key(const char *uri) {
    return io_starts_with(uri, MEM_SCHEME) ? uri + strlen(MEM_SCHEME) : uri;
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Caller holds the lock. */
static mem_object *mem_find(mem_store *m, const char *key) {
    for (int64_t i = 0; i < m->count; i++)
        if (strcmp(m->objects[i].key, key) == 0) return &m->objects[i];
    return NULL;
}

/* Looks up and references an object's bytes. */
static nl_status mem_lookup(nl_store *s, const char *uri, nl_buffer **data, int64_t *mtime,
                            nl_error *err) {
    mem_store *m = s->impl;
    pthread_mutex_lock(&m->lock);
    mem_object *o = mem_find(m, mem_key(uri));
    if (o) {
        *data = nl_buffer_ref(o->data);
        if (mtime) *mtime = o->mtime_ms;
    }
    pthread_mutex_unlock(&m->lock);
    if (!o) return nl_error_set(err, NL_ENOTFOUND, "no object '%s'", uri);
    return NL_OK;
}

static nl_status mem_get_range(nl_store *s, const char *uri, int64_t offset, int64_t length,
                               nl_buffer **out, nl_error *err) {
    *out = NULL;
    if (offset < 0 || length < 0 || length > INT64_MAX - offset)
        return nl_error_set(err, NL_EINVAL, "bad range offset %lld length %lld of '%s'",
                            (long long)offset, (long long)length, uri);
    nl_buffer *data;
    NL_TRY(mem_lookup(s, uri, &data, NULL, err));
    nl_status st = NL_OK;
    if (offset > data->size || length > data->size - offset) {
        st = nl_error_set(err, NL_EINVAL, "range [%lld, %lld) is past the end of '%s' (%lld bytes)",
                          (long long)offset, (long long)(offset + length), uri,
                          (long long)data->size);
    } else {
        *out = nl_buffer_slice(data, offset, length);
        if (!*out) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_buffer_unref(data);
    return st;
}

static nl_status mem_get(nl_store *s, const char *uri, nl_buffer **out, nl_error *err) {
    *out = NULL;
    return mem_lookup(s, uri, out, NULL, err);
}

static nl_status mem_head(nl_store *s, const char *uri, nl_object_info *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    nl_buffer *data;
    int64_t mtime = 0;
    NL_TRY(mem_lookup(s, uri, &data, &mtime, err));
    out->size = data->size;
    out->mtime_ms = mtime;
    nl_buffer_unref(data);
    out->uri = nl_strdup(uri);
    if (!out->uri) return nl_error_set(err, NL_ENOMEM, "out of memory");
    return NL_OK;
}

static nl_status mem_list(nl_store *s, const char *prefix_uri, const char *delimiter,
                          nl_object_list *out, nl_error *err) {
    mem_store *m = s->impl;
    memset(out, 0, sizeof *out);
    const char *prefix = mem_key(prefix_uri);
    const char *head = prefix == prefix_uri ? "" : MEM_SCHEME;
    nl_status st = NL_OK;
    pthread_mutex_lock(&m->lock);
    for (int64_t i = 0; i < m->count && st == NL_OK; i++) {
        mem_object *o = &m->objects[i];
        if (!io_starts_with(o->key, prefix)) continue;
        st = io_list_add(out, nl_asprintf("%s%s", head, o->key), o->data->size, o->mtime_ms, false,
                         err);
    }
    pthread_mutex_unlock(&m->lock);
    if (st == NL_OK) {
        io_list_sort(out);
        st = io_list_group(out, prefix_uri, delimiter, err);
    }
    if (st != NL_OK) nl_object_list_free(out);
    return st;
}

/* Stores `data` (taking the reference) under the key; exclusive fails when
 * the key exists. */
static nl_status mem_store_buffer(nl_store *s, const char *uri, nl_buffer *data, bool exclusive,
                                  nl_error *err) {
    mem_store *m = s->impl;
    const char *key = mem_key(uri);
    nl_status st = NL_OK;
    pthread_mutex_lock(&m->lock);
    mem_object *o = mem_find(m, key);
    if (o && exclusive) {
        st = nl_error_set(err, NL_EEXISTS, "'%s' already exists", uri);
    } else if (o) {
        nl_buffer_unref(o->data);
        o->data = data;
        o->mtime_ms = now_ms();
        data = NULL;
    } else {
        if (m->count == m->cap) {
            int64_t cap = m->cap ? m->cap * 2 : 16;
            mem_object *objs = nl_realloc(m->objects, (size_t)cap * sizeof *objs);
            if (objs) {
                m->objects = objs;
                m->cap = cap;
            }
        }
        char *k = nl_strdup(key);
        if (m->count == m->cap || !k) {
            nl_free(k);
            st = nl_error_set(err, NL_ENOMEM, "out of memory storing '%s'", uri);
        } else {
            m->objects[m->count++] = (mem_object){k, data, now_ms()};
            data = NULL;
        }
    }
    pthread_mutex_unlock(&m->lock);
    nl_buffer_unref(data);
    return st;
}

static nl_status mem_write(nl_store *s, const char *uri, const void *data, int64_t size,
                           bool exclusive, nl_error *err) {
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", uri);
    nl_buffer *b = nl_buffer_copy_of(data, size);
    if (!b) return nl_error_set(err, NL_ENOMEM, "out of memory writing '%s'", uri);
    return mem_store_buffer(s, uri, b, exclusive, err);
}

static nl_status mem_put(nl_store *s, const char *uri, const void *data, int64_t size,
                         nl_error *err) {
    return mem_write(s, uri, data, size, false, err);
}

static nl_status mem_put_if_absent(nl_store *s, const char *uri, const void *data, int64_t size,
                                   nl_error *err) {
    return mem_write(s, uri, data, size, true, err);
}

static nl_status mem_delete(nl_store *s, const char *uri, nl_error *err) {
    (void)err;
    mem_store *m = s->impl;
    pthread_mutex_lock(&m->lock);
    mem_object *o = mem_find(m, mem_key(uri));
    if (o) {
        nl_free(o->key);
        nl_buffer_unref(o->data);
        *o = m->objects[--m->count];
    }
    pthread_mutex_unlock(&m->lock);
    return NL_OK;
}

/* ---- uploads: bytes gather in a buffer stored whole on commit ---- */

typedef struct mem_upload {
    nl_upload base;
    nl_store *store;
    char *uri;
    nl_buffer *data;
} mem_upload;

static void mem_upload_free(mem_upload *u) {
    nl_buffer_unref(u->data);
    nl_free(u->uri);
    nl_free(u);
}

static nl_status mem_upload_write(nl_upload *up, const void *data, int64_t size, nl_error *err) {
    mem_upload *u = up->impl;
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", u->uri);
    if (size == 0) return NL_OK;
    nl_buffer *b = u->data;
    if (b->size + size > b->capacity) {
        int64_t cap = b->capacity * 2;
        if (cap < b->size + size) cap = b->size + size;
        if (!nl_buffer_reserve(b, cap))
            return nl_error_set(err, NL_ENOMEM, "out of memory writing '%s'", u->uri);
    }
    memcpy(b->data + b->size, data, (size_t)size);
    b->size += size;
    return NL_OK;
}

/* Commits and frees the upload (whether or not the commit succeeds). */
static nl_status mem_upload_commit(nl_upload *up, nl_error *err) {
    mem_upload *u = up->impl;
    nl_buffer *data = u->data;
    u->data = NULL;
    nl_status st = mem_store_buffer(u->store, u->uri, data, false, err);
    mem_upload_free(u);
    return st;
}

static void mem_upload_abort(nl_upload *up) {
    if (up) mem_upload_free(up->impl);
}

static nl_status mem_upload_begin(nl_store *s, const char *uri, nl_upload **out, nl_error *err) {
    *out = NULL;
    mem_upload *u = nl_calloc(1, sizeof *u);
    if (u) {
        u->store = s;
        u->uri = nl_strdup(uri);
        u->data = nl_buffer_new(4096);
    }
    if (!u || !u->uri || !u->data) {
        if (u) mem_upload_free(u);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    u->base = (nl_upload){mem_upload_write, mem_upload_commit, mem_upload_abort, u};
    *out = &u->base;
    return NL_OK;
}

static void mem_close(nl_store *s) {
    mem_store *m = s->impl;
    for (int64_t i = 0; i < m->count; i++) {
        nl_free(m->objects[i].key);
        nl_buffer_unref(m->objects[i].data);
    }
    nl_free(m->objects);
    pthread_mutex_destroy(&m->lock);
    nl_free(m);
}

static const nl_store_vtable MEMORY_VTABLE = {
    .scheme = "memory",
    .get_range = mem_get_range,
    .get = mem_get,
    .head = mem_head,
    .list = mem_list,
    .put = mem_put,
    .put_if_absent = mem_put_if_absent,
    .delete_object = mem_delete,
    .upload_begin = mem_upload_begin,
    .close = mem_close,
};

nl_store *nl_store_memory_new(void) {
    mem_store *m = nl_calloc(1, sizeof *m);
    if (!m) return NULL;
    pthread_mutex_init(&m->lock, NULL);
    m->base.vt = &MEMORY_VTABLE;
    m->base.impl = m;
    return &m->base;
}
