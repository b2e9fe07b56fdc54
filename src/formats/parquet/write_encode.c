/*
 * write_encode.c -- the value and level encodings the writer produces
 * (parquet-format Encodings.md): the RLE/bit-packed hybrid (levels and
 * dictionary indices), DELTA_BINARY_PACKED (integers), PLAIN booleans and
 * byte arrays, and the hash table that builds a column chunk's dictionary.
 *
 * Bit packing is little-endian, least significant bit first, for both the
 * hybrid and the delta encoding.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/hash.h"
#include "formats/parquet/write_internal.h"

int pqw_bit_width(uint64_t max_value) {
    return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

static inline void store64le(uint8_t *p, uint64_t v) {
    memcpy(p, &v, 8); /* the project targets little-endian hosts */
}

/* ---- RLE / bit-packed hybrid ----
 *
 * A run of 8 or more equal values becomes an RLE run (header count << 1,
 * then the value in ceil(bit_width / 8) bytes); everything else is packed in
 * groups of 8 values (header groups << 1 | 1). A literal section must hold
 * whole groups, so before a run starts, the section takes up to 7 of the
 * run's values to round itself up; only the last group may be padded. */

static void rle_run(pq_buf *out, uint64_t count, uint32_t value, int bw) {
    pq_buf_uvarint(out, count << 1);
    int nbytes = (bw + 7) / 8;
    for (int b = 0; b < nbytes; b++) pq_buf_byte(out, (uint8_t)(value >> (8 * b)));
}

#define PQW_DEFINE_LITERAL(NAME, T)                                                                \
    static void NAME(pq_buf *out, const T *v, int64_t n, int bw) {                                \
        if (n <= 0) return;                                                                        \
        int64_t groups = (n + 7) / 8;                                                              \
        pq_buf_uvarint(out, ((uint64_t)groups << 1) | 1);                                         \
        if (!pq_buf_reserve(out, (size_t)(groups * bw) + 8)) return;                              \
        uint8_t *p = out->data + out->len;                                                         \
        if (bw <= 8) {                                                                             \
            /* A group of 8 fits one 64-bit word: pack it whole. */                                \
            for (int64_t g = 0; g < groups; g++) {                                                 \
                uint64_t w = 0;                                                                    \
                int64_t base = g * 8;                                                              \
                if (base + 8 <= n) {                                                               \
                    for (int k = 0; k < 8; k++) w |= (uint64_t)v[base + k] << (k * bw);            \
                } else {                                                                           \
                    for (int k = 0; base + k < n; k++) w |= (uint64_t)v[base + k] << (k * bw);     \
                }                                                                                  \
                memcpy(p, &w, 8);                                                                  \
                p += bw;                                                                           \
            }                                                                                      \
            out->len = (size_t)(p - out->data);                                                    \
            return;                                                                                \
        }                                                                                          \
        uint64_t acc = 0;                                                                          \
        int nb = 0;                                                                                \
        for (int64_t k = 0; k < groups * 8; k++) {                                                 \
            uint64_t x = k < n ? (uint64_t)v[k] : 0;                                              \
            acc |= x << nb;                                                                        \
            nb += bw;                                                                              \
            while (nb >= 8) {                                                                      \
                *p++ = (uint8_t)acc;                                                               \
                acc >>= 8;                                                                         \
                nb -= 8;                                                                           \
            }                                                                                      \
        }                                                                                          \
        out->len = (size_t)(p - out->data);                                                        \
    }

PQW_DEFINE_LITERAL(literal_u8, uint8_t)
PQW_DEFINE_LITERAL(literal_u32, uint32_t)

#define PQW_DEFINE_RLE(NAME, LITERAL, T)                                                           \
    void NAME(pq_buf *out, const T *v, int64_t n, int bw) {                                        \
        int64_t lit = 0, i = 0;                                                                    \
        while (i < n) {                                                                            \
            T x = v[i];                                                                            \
            int64_t j = i + 1;                                                                     \
            while (j < n && v[j] == x) j++;                                                        \
            if (j - i >= 8) {                                                                      \
                int64_t pending = i - lit;                                                         \
                int64_t run_start = i;                                                             \
                if (pending % 8) run_start += 8 - pending % 8;                                     \
                if (run_start > lit) LITERAL(out, v + lit, run_start - lit, bw);                   \
                if (j - run_start >= 8) {                                                          \
                    rle_run(out, (uint64_t)(j - run_start), (uint32_t)x, bw);                      \
                    lit = j;                                                                       \
                } else {                                                                           \
                    lit = run_start;                                                               \
                }                                                                                  \
            }                                                                                      \
            i = j;                                                                                 \
        }                                                                                          \
        if (n > lit) LITERAL(out, v + lit, n - lit, bw);                                           \
    }

PQW_DEFINE_RLE(pqw_rle_u8, literal_u8, uint8_t)
PQW_DEFINE_RLE(pqw_rle_u32, literal_u32, uint32_t)

/* ---- DELTA_BINARY_PACKED ----
 *
 * Header: block size (128), miniblocks per block (4), value count, first
 * value (zigzag). Each block: its minimum delta (zigzag), one bit-width byte
 * per miniblock, then the miniblocks of 32 (delta - min) values. Miniblocks
 * past the last value are not written (their width byte is 0). Deltas wrap
 * in the column's width, as readers undo them in that width. */

#define PQW_DELTA_BLOCK 128
#define PQW_DELTA_MINIBLOCKS 4
#define PQW_DELTA_MINI (PQW_DELTA_BLOCK / PQW_DELTA_MINIBLOCKS)

/* Packs 32 values of bw bits (0..64) into 4 * bw bytes at p. */
static uint8_t *pack32(uint8_t *p, const uint64_t *v, int bw) {
    if (bw == 0) return p;
    uint64_t acc = 0;
    int nb = 0;
    for (int k = 0; k < PQW_DELTA_MINI; k++) {
        uint64_t x = v[k];
        acc |= x << nb;
        if (nb + bw >= 64) {
            store64le(p, acc);
            p += 8;
            int used = 64 - nb;
            acc = used >= 64 ? 0 : x >> used;
            nb = nb + bw - 64;
        } else {
            nb += bw;
        }
    }
    for (int b = 0; b < nb; b += 8) {
        *p++ = (uint8_t)acc;
        acc >>= 8;
    }
    return p;
}

/* One block of m (1..128) deltas, already widened to uint64 with their
 * signed minimum min (as it was in the column's width). */
static void delta_block(pq_buf *out, uint64_t *d, int m, int64_t min) {
    pq_buf_zvarint(out, min);
    int widths[PQW_DELTA_MINIBLOCKS];
    for (int k = 0; k < m; k++) d[k] -= (uint64_t)min;
    for (int k = m; k < PQW_DELTA_BLOCK; k++) d[k] = 0;
    for (int mb = 0; mb < PQW_DELTA_MINIBLOCKS; mb++) {
        uint64_t orv = 0;
        int lo = mb * PQW_DELTA_MINI, hi = lo + PQW_DELTA_MINI;
        for (int k = lo; k < hi; k++) orv |= d[k];
        widths[mb] = lo < m ? pqw_bit_width(orv) : 0;
    }
    if (!pq_buf_reserve(out, PQW_DELTA_MINIBLOCKS + PQW_DELTA_BLOCK * 8 + 8)) return;
    uint8_t *p = out->data + out->len;
    for (int mb = 0; mb < PQW_DELTA_MINIBLOCKS; mb++) *p++ = (uint8_t)widths[mb];
    for (int mb = 0; mb < PQW_DELTA_MINIBLOCKS && mb * PQW_DELTA_MINI < m; mb++)
        p = pack32(p, d + mb * PQW_DELTA_MINI, widths[mb]);
    out->len = (size_t)(p - out->data);
}

void pqw_delta_i32(pq_buf *out, const int32_t *v, int64_t n) {
    pq_buf_uvarint(out, PQW_DELTA_BLOCK);
    pq_buf_uvarint(out, PQW_DELTA_MINIBLOCKS);
    pq_buf_uvarint(out, (uint64_t)n);
    pq_buf_zvarint(out, n > 0 ? v[0] : 0);
    uint64_t d[PQW_DELTA_BLOCK];
    for (int64_t i = 1; i < n; i += PQW_DELTA_BLOCK) {
        int m = (int)(n - i < PQW_DELTA_BLOCK ? n - i : PQW_DELTA_BLOCK);
        int32_t min = INT32_MAX;
        for (int k = 0; k < m; k++) {
            int32_t dk = (int32_t)((uint32_t)v[i + k] - (uint32_t)v[i + k - 1]);
            min = dk < min ? dk : min;
            /* Sign-extended: dk - min then fits 32 bits without wrapping. */
            d[k] = (uint64_t)(int64_t)dk;
        }
        delta_block(out, d, m, min);
    }
}

void pqw_delta_i64(pq_buf *out, const int64_t *v, int64_t n) {
    pq_buf_uvarint(out, PQW_DELTA_BLOCK);
    pq_buf_uvarint(out, PQW_DELTA_MINIBLOCKS);
    pq_buf_uvarint(out, (uint64_t)n);
    pq_buf_zvarint(out, n > 0 ? v[0] : 0);
    uint64_t d[PQW_DELTA_BLOCK];
    for (int64_t i = 1; i < n; i += PQW_DELTA_BLOCK) {
        int m = (int)(n - i < PQW_DELTA_BLOCK ? n - i : PQW_DELTA_BLOCK);
        int64_t min = INT64_MAX;
        for (int k = 0; k < m; k++) {
            int64_t dk = (int64_t)((uint64_t)v[i + k] - (uint64_t)v[i + k - 1]);
            min = dk < min ? dk : min;
            d[k] = (uint64_t)dk;
        }
        delta_block(out, d, m, min);
    }
}

/* ---- PLAIN ---- */

void pqw_plain_bool(pq_buf *out, const uint8_t *v, int64_t n) {
    size_t nbytes = (size_t)((n + 7) / 8);
    if (!pq_buf_reserve(out, nbytes)) return;
    uint8_t *p = out->data + out->len;
    memset(p, 0, nbytes);
    for (int64_t k = 0; k < n; k++) p[k >> 3] |= (uint8_t)(v[k] << (k & 7));
    out->len += nbytes;
}

void pqw_plain_bytes(pq_buf *out, const uint8_t *const *ptr, const uint32_t *len, int64_t n) {
    size_t total = 0;
    for (int64_t k = 0; k < n; k++) total += 4 + (size_t)len[k];
    if (!pq_buf_reserve(out, total)) return;
    uint8_t *p = out->data + out->len;
    for (int64_t k = 0; k < n; k++) {
        uint32_t l = len[k];
        memcpy(p, &l, 4);
        memcpy(p + 4, ptr[k], l);
        p += 4 + l;
    }
    out->len += total;
}

/* ---- dictionary ---- */

void pqw_dict_init(pqw_dict *d) {
    memset(d, 0, sizeof *d);
    pq_buf_init(&d->indices);
    pq_buf_init(&d->entries);
}

void pqw_dict_free(pqw_dict *d) {
    pq_buf_free(&d->indices);
    pq_buf_free(&d->entries);
    nl_free(d->table);
    pqw_dict_init(d);
}

/* Grows the table to twice its size and rehashes the entries. */
static bool dict_grow(pqw_dict *d, const uint64_t *hashes_of_entries) {
    uint64_t cap = d->table_cap ? d->table_cap * 2 : 1024;
    uint32_t *t = nl_calloc((size_t)cap, sizeof *t);
    if (!t) return false;
    for (int64_t e = 0; e < d->n_entries; e++) {
        uint64_t s = hashes_of_entries[e] & (cap - 1);
        while (t[s]) s = (s + 1) & (cap - 1);
        t[s] = (uint32_t)(e + 1);
    }
    nl_free(d->table);
    d->table = t;
    d->table_cap = cap;
    return true;
}

/* After a fair sample, gives up on a dictionary that, extrapolated, would
 * outgrow its limit or would hold nearly every value (and so not pay). */
static bool dict_hopeless(const pqw_dict *d, int64_t seen, int64_t n, int64_t max_bytes) {
    if (d->n_entries * 10 > seen * 9) return true;
    return (double)d->bytes * (double)n > (double)max_bytes * (double)seen * 1.1;
}

/* The common loop: H(k) hashes value k, EQ(a, b) compares values a and b,
 * SZ(k) is the PLAIN size of value k. */
#define PQW_DICT_LOOP(H, EQ, SZ)                                                                   \
    for (int64_t k = 0; k < n; k++) {                                                              \
        uint64_t h = (H);                                                                          \
        uint64_t s = h & (d->table_cap - 1);                                                       \
        uint32_t e;                                                                                \
        for (;;) {                                                                                 \
            e = d->table[s];                                                                       \
            if (e == 0) break;                                                                     \
            if (EQ(first[e - 1], k)) break;                                                        \
            s = (s + 1) & (d->table_cap - 1);                                                      \
        }                                                                                          \
        if (e == 0) {                                                                              \
            d->bytes += (SZ);                                                                      \
            if (d->bytes > max_bytes) goto too_big;                                                \
            if ((uint64_t)(d->n_entries + 1) * 2 > d->table_cap) {                                 \
                if (!pq_buf_reserve(&hashes, 8)) goto oom;                                         \
                if (!dict_grow(d, (const uint64_t *)(void *)hashes.data)) goto oom;                \
                s = h & (d->table_cap - 1);                                                        \
                while (d->table[s]) s = (s + 1) & (d->table_cap - 1);                              \
            }                                                                                      \
            pq_buf_append(&d->entries, &(uint32_t){(uint32_t)k}, 4);                               \
            pq_buf_append(&hashes, &h, 8);                                                         \
            if (!pq_buf_ok(&d->entries) || !pq_buf_ok(&hashes)) goto oom;                          \
            first = (const uint32_t *)(void *)d->entries.data;                                     \
            d->n_entries++;                                                                        \
            e = (uint32_t)d->n_entries;                                                            \
            d->table[s] = e;                                                                       \
        }                                                                                          \
        idx[k] = e - 1;                                                                            \
        if ((k & 16383) == 16383 && k >= n / 8 && dict_hopeless(d, k + 1, n, max_bytes))          \
            goto too_big;                                                                          \
    }

bool pqw_dict_build(pqw_dict *d, const pqw_leaf *leaf, const pqw_column *col, int64_t max_bytes,
                    bool *oom) {
    *oom = false;
    int64_t n = col->n_values;
    d->n_entries = 0;
    d->bytes = 0;
    d->indices.len = d->entries.len = 0;
    if (leaf->phys == PQW_BOOLEAN || leaf->conv == PQW_CONV_NONE || n == 0 || max_bytes <= 0)
        return false;
    pq_buf hashes;
    pq_buf_init(&hashes);
    if (d->table) memset(d->table, 0, (size_t)d->table_cap * sizeof *d->table);
    if (!d->table && !dict_grow(d, NULL)) goto oom;
    if (!pq_buf_reserve(&d->indices, (size_t)n * 4)) goto oom;
    uint32_t *idx = (uint32_t *)(void *)d->indices.data;
    const uint32_t *first = NULL;
    if (leaf->phys == PQW_BYTE_ARRAY) {
        const uint8_t *const *bp = (const uint8_t *const *)(const void *)col->bptr.data;
        const uint32_t *bl = (const uint32_t *)(const void *)col->blen.data;
#define PQW_EQ_BYTES(a, b) (bl[a] == bl[b] && memcmp(bp[a], bp[b], bl[a]) == 0)
        PQW_DICT_LOOP(nl_hash_bytes(bp[k], bl[k], 0), PQW_EQ_BYTES, 4 + (int64_t)bl[k])
#undef PQW_EQ_BYTES
    } else if (leaf->width == 4) {
        const uint32_t *v = (const uint32_t *)(const void *)col->vals.data;
#define PQW_EQ_VAL(a, b) (v[a] == v[b])
        PQW_DICT_LOOP(nl_hash_u64(v[k]), PQW_EQ_VAL, 4)
    } else if (leaf->width == 8) {
        const uint64_t *v = (const uint64_t *)(const void *)col->vals.data;
        PQW_DICT_LOOP(nl_hash_u64(v[k]), PQW_EQ_VAL, 8)
#undef PQW_EQ_VAL
    } else {
        const uint8_t *v = col->vals.data;
        size_t w = (size_t)leaf->width;
#define PQW_EQ_FIXED(a, b) (memcmp(v + (size_t)(a) * w, v + (size_t)(b) * w, w) == 0)
        PQW_DICT_LOOP(nl_hash_bytes(v + (size_t)k * w, w, 0), PQW_EQ_FIXED, (int64_t)w)
#undef PQW_EQ_FIXED
    }
    d->indices.len = (size_t)n * 4;
    pq_buf_free(&hashes);
    return true;
too_big:
    pq_buf_free(&hashes);
    return false;
oom:
    pq_buf_free(&hashes);
    *oom = true;
    return false;
}
