/*
 * buffer.c -- reference-counted byte buffers: owned, sliced and wrapped.
 */
#include "base/buffer.h"

#include <string.h>

#include "base/alloc.h"

static nl_buffer *buffer_alloc(void) {
    nl_buffer *b = nl_calloc(1, sizeof *b);
    if (b) atomic_init(&b->refcount, 1);
    return b;
}

nl_buffer *nl_buffer_new(int64_t capacity) {
    if (capacity < 0) return NULL;
    nl_buffer *b = buffer_alloc();
    if (!b) return NULL;
    b->data = nl_aligned_alloc((size_t)capacity);
    if (!b->data) {
        nl_free(b);
        return NULL;
    }
    /* Zero the whole rounded block so padding is defined for vector loops. */
    size_t rounded = ((size_t)capacity + NL_ALIGNMENT - 1) / NL_ALIGNMENT * NL_ALIGNMENT;
    memset(b->data, 0, rounded ? rounded : NL_ALIGNMENT);
    b->capacity = capacity;
    return b;
}

nl_buffer *nl_buffer_copy_of(const void *data, int64_t size) {
    nl_buffer *b = nl_buffer_new(size);
    if (!b) return NULL;
    if (size > 0) memcpy(b->data, data, (size_t)size);
    b->size = size;
    return b;
}

nl_buffer *nl_buffer_wrap(const void *data, int64_t size, void (*release)(void *), void *ctx) {
    nl_buffer *b = buffer_alloc();
    if (!b) return NULL;
    b->data = (uint8_t *)data;
    b->size = size;
    b->capacity = size;
    b->release = release;
    b->release_ctx = ctx;
    return b;
}

nl_buffer *nl_buffer_slice(nl_buffer *parent, int64_t offset, int64_t length) {
    if (!parent || offset < 0 || length < 0 || offset > parent->size ||
        length > parent->size - offset)
        return NULL;
    nl_buffer *b = buffer_alloc();
    if (!b) return NULL;
    b->data = parent->data + offset;
    b->size = length;
    b->capacity = length;
    b->parent = nl_buffer_ref(parent);
    return b;
}

bool nl_buffer_reserve(nl_buffer *buf, int64_t capacity) {
    if (capacity <= buf->capacity) return true;
    if (buf->parent || buf->release) return false; /* not ours to grow */
    int64_t grown = buf->capacity * 2;
    if (grown < capacity) grown = capacity;
    uint8_t *p = nl_aligned_realloc(buf->data, (size_t)buf->capacity, (size_t)grown);
    if (!p) return false;
    /* The realloc copied the old capacity; zero everything after it, padding
     * included, as nl_buffer_new does. */
    size_t new_rounded = ((size_t)grown + NL_ALIGNMENT - 1) / NL_ALIGNMENT * NL_ALIGNMENT;
    memset(p + buf->capacity, 0, new_rounded - (size_t)buf->capacity);
    buf->data = p;
    buf->capacity = grown;
    return true;
}

void nl_buffer_unref(nl_buffer *buf) {
    if (!buf) return;
    if (atomic_fetch_sub_explicit(&buf->refcount, 1, memory_order_acq_rel) != 1) return;
    if (buf->parent) {
        nl_buffer_unref(buf->parent);
    } else if (buf->release) {
        buf->release(buf->release_ctx);
    } else {
        nl_aligned_free(buf->data);
    }
    nl_free(buf);
}
