/*
 * store.h -- the object store interface every reader and writer goes through,
 * so local files, S3 and HTTP behave the same (docs/ARCHITECTURE.md).
 *
 * A store is opened for a URI (plain path, file://, s3://bucket/key,
 * http(s)://...) and addresses objects by their full URI. Backends implement the
 * vtable; callers use the nl_store_* wrappers. Stores are thread-safe: a scan
 * issues ranged reads from many workers at once.
 */
#ifndef NL_IO_STORE_H
#define NL_IO_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buffer.h"
#include "neuralake.h"

typedef struct nl_store nl_store;

typedef struct nl_object_info {
    char *uri;          /* full URI of the object (owned) */
    int64_t size;       /* bytes */
    int64_t mtime_ms;   /* last modified, ms since the epoch; 0 when unknown */
    bool is_prefix;     /* a "directory" (common prefix) when listing with a delimiter */
} nl_object_info;

typedef struct nl_object_list {
    nl_object_info *items;
    int64_t count;
    int64_t cap;
} nl_object_list;

void nl_object_list_free(nl_object_list *list);

/* A byte range of one object. */
typedef struct nl_range {
    int64_t offset;
    int64_t length;
} nl_range;

/* A streamed upload: write parts in order, then commit (the object appears
 * whole, atomically) or abort (nothing is left behind). */
typedef struct nl_upload nl_upload;

typedef struct nl_store_vtable {
    const char *scheme; /* "file", "s3", "http", "memory" */
    /* Reads exactly [offset, offset + length) -- a short read is an error. */
    nl_status (*get_range)(nl_store *s, const char *uri, int64_t offset, int64_t length,
                           nl_buffer **out, nl_error *err);
    /* Reads the whole object. */
    nl_status (*get)(nl_store *s, const char *uri, nl_buffer **out, nl_error *err);
    nl_status (*head)(nl_store *s, const char *uri, nl_object_info *out, nl_error *err);
    /* Objects under `prefix_uri`; with `delimiter` ("/") the next level only,
     * sub-levels reported as is_prefix entries. Follows every page. */
    nl_status (*list)(nl_store *s, const char *prefix_uri, const char *delimiter,
                      nl_object_list *out, nl_error *err);
    nl_status (*put)(nl_store *s, const char *uri, const void *data, int64_t size, nl_error *err);
    /* Creates the object only if it does not exist: NL_EEXISTS when it does. */
    nl_status (*put_if_absent)(nl_store *s, const char *uri, const void *data, int64_t size,
                               nl_error *err);
    nl_status (*delete_object)(nl_store *s, const char *uri, nl_error *err);
    nl_status (*upload_begin)(nl_store *s, const char *uri, nl_upload **out, nl_error *err);
    void (*close)(nl_store *s);
} nl_store_vtable;

struct nl_store {
    const nl_store_vtable *vt;
    void *impl;
};

struct nl_upload {
    nl_status (*write)(nl_upload *u, const void *data, int64_t size, nl_error *err);
    nl_status (*commit)(nl_upload *u, nl_error *err);
    void (*abort)(nl_upload *u); /* also frees the upload */
    void *impl;
};

/* Opens the store that serves `uri` (its scheme decides the backend). */
nl_status nl_store_open(const char *uri, nl_store **out, nl_error *err);
void nl_store_close(nl_store *s);

/* The local file system and an in-memory store (for tests). */
nl_store *nl_store_local_new(void);
nl_store *nl_store_memory_new(void);

static inline nl_status nl_store_get_range(nl_store *s, const char *uri, int64_t offset,
                                           int64_t length, nl_buffer **out, nl_error *err) {
    return s->vt->get_range(s, uri, offset, length, out, err);
}
static inline nl_status nl_store_get(nl_store *s, const char *uri, nl_buffer **out, nl_error *err) {
    return s->vt->get(s, uri, out, err);
}
static inline nl_status nl_store_head(nl_store *s, const char *uri, nl_object_info *out,
                                      nl_error *err) {
    return s->vt->head(s, uri, out, err);
}
static inline nl_status nl_store_list(nl_store *s, const char *prefix_uri, const char *delimiter,
                                      nl_object_list *out, nl_error *err) {
    return s->vt->list(s, prefix_uri, delimiter, out, err);
}
static inline nl_status nl_store_put(nl_store *s, const char *uri, const void *data, int64_t size,
                                     nl_error *err) {
    return s->vt->put(s, uri, data, size, err);
}
static inline nl_status nl_store_put_if_absent(nl_store *s, const char *uri, const void *data,
                                               int64_t size, nl_error *err) {
    return s->vt->put_if_absent(s, uri, data, size, err);
}
static inline nl_status nl_store_delete(nl_store *s, const char *uri, nl_error *err) {
    return s->vt->delete_object(s, uri, err);
}
static inline nl_status nl_store_upload_begin(nl_store *s, const char *uri, nl_upload **out,
                                              nl_error *err) {
    return s->vt->upload_begin(s, uri, out, err);
}

/* Reads several ranges of one object: ranges closer than `coalesce_gap` bytes
 * are merged into one request, independent requests run in parallel. out[i]
 * receives the bytes of ranges[i] (zero-copy slices where merged). */
nl_status nl_store_get_ranges(nl_store *s, const char *uri, const nl_range *ranges, int32_t n,
                              int64_t coalesce_gap, nl_buffer **out, nl_error *err);

#endif
