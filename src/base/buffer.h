/*
 * buffer.h -- reference-counted byte buffers, the storage under every column.
 *
 * A buffer owns 64-byte aligned memory (or wraps foreign memory with a release
 * callback, as an imported Arrow array does). Slices share the parent's memory
 * and keep it alive. A buffer is immutable once shared (refcount > 1); only its
 * sole owner may grow or write it. Reference counts are atomic, so buffers can
 * cross threads.
 */
#ifndef NL_BASE_BUFFER_H
#define NL_BASE_BUFFER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct nl_buffer nl_buffer;

struct nl_buffer {
    atomic_int_fast64_t refcount;
    uint8_t *data;
    int64_t size;     /* bytes in use */
    int64_t capacity; /* bytes allocated (owned buffers only) */
    /* Exactly one of these says who frees `data`: */
    nl_buffer *parent;                 /* a slice: data points into parent */
    void (*release)(void *release_ctx); /* foreign memory */
    void *release_ctx;
};

/* A new owned buffer of `capacity` bytes, zero-filled, size 0. NULL on OOM. */
nl_buffer *nl_buffer_new(int64_t capacity);
/* A new owned buffer holding a copy of `size` bytes. */
nl_buffer *nl_buffer_copy_of(const void *data, int64_t size);
/* Wraps memory the library does not own; release(ctx) runs when the last
 * reference goes. */
nl_buffer *nl_buffer_wrap(const void *data, int64_t size, void (*release)(void *), void *ctx);
/* A zero-copy view of [offset, offset + length) that keeps `parent` alive.
 * The range must lie within parent->size. */
nl_buffer *nl_buffer_slice(nl_buffer *parent, int64_t offset, int64_t length);

/* Grows an owned, unshared buffer to hold at least `capacity` bytes (new bytes
 * zeroed). Returns false on OOM. */
bool nl_buffer_reserve(nl_buffer *buf, int64_t capacity);

static inline nl_buffer *nl_buffer_ref(nl_buffer *buf) {
    if (buf) atomic_fetch_add_explicit(&buf->refcount, 1, memory_order_relaxed);
    return buf;
}
/* Drops one reference; frees on the last. Safe on NULL. */
void nl_buffer_unref(nl_buffer *buf);

#endif
