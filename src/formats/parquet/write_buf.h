/*
 * write_buf.h -- the growable byte buffer the Parquet writer encodes into:
 * thrift structures, levels, values, pages and the footer.
 *
 * Appends never fail one by one: an allocation failure sets `failed`, later
 * appends do nothing, and the owner checks once (pq_buf_ok) after a run of
 * appends. The hot encoders reserve once and then write through `data + len`.
 */
#ifndef NL_FORMATS_PARQUET_WRITE_BUF_H
#define NL_FORMATS_PARQUET_WRITE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"

typedef struct pq_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool failed;
} pq_buf;

static inline void pq_buf_init(pq_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

static inline void pq_buf_free(pq_buf *b) {
    nl_free(b->data);
    pq_buf_init(b);
}

/* Makes room for `extra` more bytes; false (and `failed` set) on OOM. */
static inline bool pq_buf_reserve(pq_buf *b, size_t extra) {
    if (b->failed) return false;
    if (b->len + extra <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    uint8_t *p = (uint8_t *)nl_realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

static inline void pq_buf_append(pq_buf *b, const void *src, size_t n) {
    if (n == 0 || !pq_buf_reserve(b, n)) return;
    memcpy(b->data + b->len, src, n);
    b->len += n;
}

static inline void pq_buf_byte(pq_buf *b, uint8_t v) {
    if (!pq_buf_reserve(b, 1)) return;
    b->data[b->len++] = v;
}

static inline void pq_buf_u32le(pq_buf *b, uint32_t v) {
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    pq_buf_append(b, t, 4);
}

/* Unsigned LEB128, as thrift's compact protocol and Parquet's encodings use. */
static inline void pq_buf_uvarint(pq_buf *b, uint64_t v) {
    if (!pq_buf_reserve(b, 10)) return;
    uint8_t *p = b->data + b->len;
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    b->len = (size_t)(p - b->data);
}

static inline uint64_t pq_zigzag64(int64_t v) {
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline void pq_buf_zvarint(pq_buf *b, int64_t v) {
    pq_buf_uvarint(b, pq_zigzag64(v));
}

static inline bool pq_buf_ok(const pq_buf *b) {
    return !b->failed;
}

#endif
