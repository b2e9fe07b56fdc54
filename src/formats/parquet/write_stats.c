/*
 * write_stats.c -- min/max statistics of column chunks and pages, in the
 * column's sort order (parquet.thrift, ColumnOrder TYPE_ORDER): signed or
 * unsigned integers, floats (NaN ignored; a zero minimum written as -0.0 and
 * a zero maximum as +0.0), unsigned byte-wise for byte arrays, and signed
 * big-endian for decimals in fixed-length byte arrays.
 *
 * Values are kept PLAIN-encoded (little-endian numbers, raw bytes). Byte
 * arrays longer than PQW_STAT_MAX are truncated: the minimum to a prefix,
 * the maximum to a prefix whose last byte is incremented (for UTF-8, an
 * ASCII byte, so the bound stays valid UTF-8).
 */
#include <string.h>

#include "formats/parquet/write_internal.h"

int pqw_stat_cmp(const pqw_leaf *leaf, const uint8_t *a, uint32_t alen, const uint8_t *b,
                 uint32_t blen) {
#define PQW_CMP_AS(T)                                                                              \
    do {                                                                                           \
        T x, y;                                                                                    \
        memcpy(&x, a, sizeof x);                                                                   \
        memcpy(&y, b, sizeof y);                                                                   \
        return (x > y) - (x < y);                                                                  \
    } while (0)
    switch (leaf->order) {
    case PQW_ORDER_BOOL: return (int)a[0] - (int)b[0];
    case PQW_ORDER_I32: PQW_CMP_AS(int32_t);
    case PQW_ORDER_U32: PQW_CMP_AS(uint32_t);
    case PQW_ORDER_I64: PQW_CMP_AS(int64_t);
    case PQW_ORDER_U64: PQW_CMP_AS(uint64_t);
    case PQW_ORDER_FLOAT: PQW_CMP_AS(float);
    case PQW_ORDER_DOUBLE: PQW_CMP_AS(double);
    case PQW_ORDER_DECIMAL: {
        int8_t sa = (int8_t)a[0], sb = (int8_t)b[0];
        if (sa != sb) return sa < sb ? -1 : 1;
        int c = memcmp(a + 1, b + 1, alen - 1);
        return c;
    }
    case PQW_ORDER_BYTES: {
        uint32_t m = alen < blen ? alen : blen;
        int c = m ? memcmp(a, b, m) : 0;
        if (c) return c;
        return (alen > blen) - (alen < blen);
    }
    default: return 0;
    }
#undef PQW_CMP_AS
}

static int bytes_cmp(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen) {
    uint32_t m = alen < blen ? alen : blen;
    int c = m ? memcmp(a, b, m) : 0;
    if (c) return c;
    return (alen > blen) - (alen < blen);
}

/* Stores a byte-array bound, truncated when long. Returns false when no
 * valid upper bound of the allowed length exists. */
static bool set_bytes_bound(uint8_t *dst, uint32_t *dst_len, const uint8_t *v, uint32_t len,
                            bool is_max, bool utf8) {
    if (len <= PQW_STAT_MAX) {
        memcpy(dst, v, len);
        *dst_len = len;
        return true;
    }
    uint32_t cut = PQW_STAT_MAX;
    if (!is_max) {
        /* For UTF-8, do not split a character. */
        if (utf8)
            while (cut > 0 && (v[cut] & 0xC0) == 0x80) cut--;
        memcpy(dst, v, cut);
        *dst_len = cut;
        return true;
    }
    for (uint32_t k = cut; k-- > 0;) {
        uint8_t limit = utf8 ? 0x7F : 0xFF;
        if (v[k] < limit && (!utf8 || v[k] < 0x80)) {
            memcpy(dst, v, k + 1);
            dst[k]++;
            *dst_len = k + 1;
            return true;
        }
    }
    return false;
}

void pqw_stat_compute(pqw_stat *st, const pqw_leaf *leaf, const pqw_column *col, int64_t v0,
                      int64_t v1) {
    st->has_minmax = false;
    st->all_nan = false;
    st->unbounded = false;
    st->min_len = st->max_len = 0;
    if (v1 <= v0 || leaf->order == PQW_ORDER_NONE) return;
    const uint8_t *vals = col->vals.data;
#define PQW_MINMAX(T)                                                                              \
    do {                                                                                           \
        const T *p = (const T *)(const void *)vals;                                                \
        T mn = p[v0], mx = p[v0];                                                                  \
        for (int64_t k = v0 + 1; k < v1; k++) {                                                    \
            T x = p[k];                                                                            \
            mn = x < mn ? x : mn;                                                                  \
            mx = x > mx ? x : mx;                                                                  \
        }                                                                                          \
        memcpy(st->min, &mn, sizeof mn);                                                           \
        memcpy(st->max, &mx, sizeof mx);                                                           \
        st->min_len = st->max_len = sizeof mn;                                                     \
        st->has_minmax = true;                                                                     \
    } while (0)
#define PQW_MINMAX_FLOAT(T)                                                                        \
    do {                                                                                           \
        const T *p = (const T *)(const void *)vals;                                                \
        int64_t k = v0;                                                                            \
        while (k < v1 && p[k] != p[k]) k++;                                                        \
        if (k == v1) {                                                                             \
            st->all_nan = true;                                                                    \
            return;                                                                                \
        }                                                                                          \
        T mn = p[k], mx = p[k];                                                                    \
        for (; k < v1; k++) {                                                                      \
            T x = p[k];                                                                            \
            if (x != x) continue;                                                                  \
            mn = x < mn ? x : mn;                                                                  \
            mx = x > mx ? x : mx;                                                                  \
        }                                                                                          \
        if (mn == 0) mn = -(T)0.0;                                                                 \
        if (mx == 0) mx = (T)0.0;                                                                  \
        memcpy(st->min, &mn, sizeof mn);                                                           \
        memcpy(st->max, &mx, sizeof mx);                                                           \
        st->min_len = st->max_len = sizeof mn;                                                     \
        st->has_minmax = true;                                                                     \
    } while (0)
    switch (leaf->order) {
    case PQW_ORDER_BOOL: {
        uint8_t mn = 1, mx = 0;
        for (int64_t k = v0; k < v1; k++) {
            mn &= vals[k];
            mx |= vals[k];
        }
        st->min[0] = mn;
        st->max[0] = mx;
        st->min_len = st->max_len = 1;
        st->has_minmax = true;
        break;
    }
    case PQW_ORDER_I32: PQW_MINMAX(int32_t); break;
    case PQW_ORDER_U32: PQW_MINMAX(uint32_t); break;
    case PQW_ORDER_I64: PQW_MINMAX(int64_t); break;
    case PQW_ORDER_U64: PQW_MINMAX(uint64_t); break;
    case PQW_ORDER_FLOAT: PQW_MINMAX_FLOAT(float); break;
    case PQW_ORDER_DOUBLE: PQW_MINMAX_FLOAT(double); break;
    case PQW_ORDER_DECIMAL: {
        uint32_t w = (uint32_t)leaf->width;
        const uint8_t *mn = vals + (size_t)v0 * w, *mx = mn;
        for (int64_t k = v0 + 1; k < v1; k++) {
            const uint8_t *x = vals + (size_t)k * w;
            if (pqw_stat_cmp(leaf, x, w, mn, w) < 0) mn = x;
            if (pqw_stat_cmp(leaf, x, w, mx, w) > 0) mx = x;
        }
        memcpy(st->min, mn, w);
        memcpy(st->max, mx, w);
        st->min_len = st->max_len = w;
        st->has_minmax = true;
        break;
    }
    case PQW_ORDER_BYTES: {
        const uint8_t *const *bp = (const uint8_t *const *)(const void *)col->bptr.data;
        const uint32_t *bl = (const uint32_t *)(const void *)col->blen.data;
        int64_t mn = v0, mx = v0;
        for (int64_t k = v0 + 1; k < v1; k++) {
            if (bytes_cmp(bp[k], bl[k], bp[mn], bl[mn]) < 0) mn = k;
            if (bytes_cmp(bp[k], bl[k], bp[mx], bl[mx]) > 0) mx = k;
        }
        bool utf8 = leaf->type->id == NL_TYPE_UTF8;
        set_bytes_bound(st->min, &st->min_len, bp[mn], bl[mn], false, utf8);
        st->has_minmax = set_bytes_bound(st->max, &st->max_len, bp[mx], bl[mx], true, utf8);
        st->unbounded = !st->has_minmax;
        break;
    }
    default: break;
    }
#undef PQW_MINMAX
#undef PQW_MINMAX_FLOAT
}

void pqw_stat_merge(pqw_stat *chunk, const pqw_stat *page, const pqw_leaf *leaf) {
    chunk->null_count += page->null_count;
    if (page->unbounded) chunk->unbounded = true;
    if (!page->has_minmax) return;
    if (!chunk->has_minmax) {
        chunk->has_minmax = true;
        chunk->min_len = page->min_len;
        chunk->max_len = page->max_len;
        memcpy(chunk->min, page->min, page->min_len);
        memcpy(chunk->max, page->max, page->max_len);
        return;
    }
    if (pqw_stat_cmp(leaf, page->min, page->min_len, chunk->min, chunk->min_len) < 0) {
        chunk->min_len = page->min_len;
        memcpy(chunk->min, page->min, page->min_len);
    }
    if (pqw_stat_cmp(leaf, page->max, page->max_len, chunk->max, chunk->max_len) > 0) {
        chunk->max_len = page->max_len;
        memcpy(chunk->max, page->max, page->max_len);
    }
}
