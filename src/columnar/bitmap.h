/*
 * bitmap.h -- small helpers over Arrow's bit-packed buffers (validity bitmaps
 * and boolean values), shared by the columnar files: counting set bits in a
 * range and copying a run of bits between arbitrary bit offsets.
 */
#ifndef NL_COLUMNAR_BITMAP_H
#define NL_COLUMNAR_BITMAP_H

#include <stdint.h>
#include <string.h>

/* Number of set bits in bits[offset, offset + length). */
static inline int64_t nl_bitmap_count(const uint8_t *bits, int64_t offset, int64_t length) {
    int64_t count = 0, i = offset, end = offset + length;
    for (; i < end && (i & 7); i++) count += (bits[i >> 3] >> (i & 7)) & 1;
    for (; i + 64 <= end; i += 64) {
        uint64_t w;
        memcpy(&w, bits + (i >> 3), 8);
        count += __builtin_popcountll(w);
    }
    for (; i + 8 <= end; i += 8) count += __builtin_popcount(bits[i >> 3]);
    for (; i < end; i++) count += (bits[i >> 3] >> (i & 7)) & 1;
    return count;
}

/* Copies `length` bits from src at bit src_off to dst at bit dst_off. */
static inline void nl_bitmap_copy(uint8_t *dst, int64_t dst_off, const uint8_t *src,
                                  int64_t src_off, int64_t length) {
    if (length <= 0) return;
    if (((dst_off | src_off) & 7) == 0) {
        int64_t whole = length >> 3;
        memcpy(dst + (dst_off >> 3), src + (src_off >> 3), (size_t)whole);
        for (int64_t i = whole << 3; i < length; i++) {
            int64_t s = src_off + i, d = dst_off + i;
            uint8_t bit = (uint8_t)((src[s >> 3] >> (s & 7)) & 1);
            dst[d >> 3] = (uint8_t)((dst[d >> 3] & ~(1u << (d & 7))) | (bit << (d & 7)));
        }
        return;
    }
    for (int64_t i = 0; i < length; i++) {
        int64_t s = src_off + i, d = dst_off + i;
        uint8_t bit = (uint8_t)((src[s >> 3] >> (s & 7)) & 1);
        dst[d >> 3] = (uint8_t)((dst[d >> 3] & ~(1u << (d & 7))) | (bit << (d & 7)));
    }
}

/* Sets bits [offset, offset + length) to one. */
static inline void nl_bitmap_set_range(uint8_t *bits, int64_t offset, int64_t length) {
    int64_t i = offset, end = offset + length;
    for (; i < end && (i & 7); i++) bits[i >> 3] |= (uint8_t)(1u << (i & 7));
    if (i + 8 <= end) {
        memset(bits + (i >> 3), 0xff, (size_t)((end - i) >> 3));
        i += ((end - i) >> 3) << 3;
    }
    for (; i < end; i++) bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

#endif
