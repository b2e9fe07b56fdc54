/*
 * encoding.c -- decoders for Parquet's encodings (see encoding.h): bit
 * unpacking, the RLE/bit-packed hybrid, levels, PLAIN, the DELTA family and
 * BYTE_STREAM_SPLIT.
 */
#include "formats/parquet/encoding.h"

#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/metadata.h"

/* ---- bit unpacking ---- */

static inline uint64_t load64_safe(const uint8_t *p, size_t len, size_t at) {
    uint64_t w = 0;
    if (at + 8 <= len) {
        memcpy(&w, p + at, 8);
    } else if (at < len) {
        memcpy(&w, p + at, len - at);
    }
    return w;
}

void pq_unpack32(const uint8_t *packed, size_t len, int width, int64_t first, uint32_t *out,
                 int64_t n) {
    if (width == 0) {
        memset(out, 0, (size_t)n * sizeof *out);
        return;
    }
    const uint64_t mask = width == 32 ? 0xffffffffull : ((1ull << width) - 1);
    uint64_t bit = (uint64_t)first * (uint64_t)width;
    int64_t i = 0;
    /* Fast path while a full 8-byte load stays in bounds. */
    size_t safe_end = len >= 8 ? len - 8 : 0;
    if (len >= 8) {
        for (; i < n; i++) {
            size_t byte = (size_t)(bit >> 3);
            if (byte > safe_end) break;
            uint64_t w;
            memcpy(&w, packed + byte, 8);
            out[i] = (uint32_t)((w >> (bit & 7)) & mask);
            bit += (uint64_t)width;
        }
    }
    for (; i < n; i++) {
        size_t byte = (size_t)(bit >> 3);
        out[i] = (uint32_t)((load64_safe(packed, len, byte) >> (bit & 7)) & mask);
        bit += (uint64_t)width;
    }
}

void pq_unpack64(const uint8_t *packed, size_t len, int width, int64_t first, uint64_t *out,
                 int64_t n) {
    if (width == 0) {
        memset(out, 0, (size_t)n * sizeof *out);
        return;
    }
    const uint64_t mask = width == 64 ? ~0ull : ((1ull << width) - 1);
    uint64_t bit = (uint64_t)first * (uint64_t)width;
    for (int64_t i = 0; i < n; i++) {
        size_t byte = (size_t)(bit >> 3);
        unsigned shift = (unsigned)(bit & 7);
        uint64_t v = load64_safe(packed, len, byte) >> shift;
        if (shift + (unsigned)width > 64) {
            uint64_t hi = byte + 8 < len ? packed[byte + 8] : 0;
            v |= hi << (64 - shift);
        }
        out[i] = v & mask;
        bit += (uint64_t)width;
    }
}

int pq_bit_width(uint64_t max_value) {
    int w = 0;
    while (max_value) {
        w++;
        max_value >>= 1;
    }
    return w;
}

/* ---- the hybrid ---- */

static bool read_uleb(const uint8_t **pp, const uint8_t *end, uint64_t *out) {
    const uint8_t *p = *pp;
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end) return false;
        uint8_t b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *pp = p;
            *out = v;
            return true;
        }
    }
    return false;
}

void pq_rle_init(pq_rle *d, const uint8_t *data, size_t len, int width) {
    memset(d, 0, sizeof *d);
    d->p = data;
    d->end = data + len;
    d->width = width;
}

static void rle_fail(pq_rle *d, const char *why) {
    d->failed = true;
    d->why = why;
    d->run_left = 0;
    d->p = d->end;
}

/* Starts the next run; false at the end of the data or on failure. */
static bool rle_next_run(pq_rle *d) {
    if (d->p >= d->end) return false;
    uint64_t h;
    if (!read_uleb(&d->p, d->end, &h)) {
        rle_fail(d, "truncated run header");
        return false;
    }
    if (h & 1) {
        uint64_t groups = h >> 1;
        size_t avail = (size_t)(d->end - d->p);
        uint64_t bytes = groups * (uint64_t)d->width;
        if (groups > (UINT64_C(1) << 40)) {
            rle_fail(d, "bit-packed run too long");
            return false;
        }
        /* Writers may stop the last run short of its groups: read what is there. */
        if (bytes > avail) bytes = avail;
        int64_t values = d->width ? (int64_t)(bytes * 8 / (uint64_t)d->width) : (int64_t)groups * 8;
        if (values > (int64_t)groups * 8) values = (int64_t)groups * 8;
        d->run_is_literal = true;
        d->lit = d->p;
        d->lit_len = (size_t)bytes;
        d->lit_pos = 0;
        d->run_left = values;
        d->p += bytes;
        if (values == 0 && groups > 0) {
            rle_fail(d, "bit-packed run beyond the end of the data");
            return false;
        }
    } else {
        uint64_t count = h >> 1;
        size_t nbytes = (size_t)((d->width + 7) / 8);
        if ((size_t)(d->end - d->p) < nbytes) {
            rle_fail(d, "truncated repeated value");
            return false;
        }
        uint32_t v = 0;
        for (size_t i = 0; i < nbytes; i++) v |= (uint32_t)d->p[i] << (8 * i);
        d->p += nbytes;
        if (count > INT64_MAX / 2) {
            rle_fail(d, "run too long");
            return false;
        }
        d->run_is_literal = false;
        d->value = v;
        d->run_left = (int64_t)count;
    }
    return true;
}

int64_t pq_rle_get_u32(pq_rle *d, uint32_t *out, int64_t n) {
    int64_t done = 0;
    while (done < n) {
        if (d->run_left == 0) {
            if (!rle_next_run(d)) break;
            continue;
        }
        int64_t k = n - done < d->run_left ? n - done : d->run_left;
        if (d->run_is_literal) {
            pq_unpack32(d->lit, d->lit_len, d->width, d->lit_pos, out + done, k);
            d->lit_pos += k;
        } else {
            uint32_t v = d->value;
            for (int64_t i = 0; i < k; i++) out[done + i] = v;
        }
        d->run_left -= k;
        done += k;
    }
    return done;
}

int64_t pq_rle_get_i16(pq_rle *d, int16_t *out, int64_t n) {
    uint32_t tmp[512];
    int64_t done = 0;
    while (done < n) {
        if (d->run_left == 0) {
            if (!rle_next_run(d)) break;
            continue;
        }
        int64_t k = n - done < d->run_left ? n - done : d->run_left;
        if (d->run_is_literal) {
            if (k > 512) k = 512;
            pq_unpack32(d->lit, d->lit_len, d->width, d->lit_pos, tmp, k);
            for (int64_t i = 0; i < k; i++) out[done + i] = (int16_t)tmp[i];
            d->lit_pos += k;
        } else {
            int16_t v = (int16_t)d->value;
            if (d->value > INT16_MAX) {
                rle_fail(d, "level out of range");
                break;
            }
            for (int64_t i = 0; i < k; i++) out[done + i] = v;
        }
        d->run_left -= k;
        done += k;
    }
    return done;
}

/* ---- levels ---- */

nl_status pq_decode_levels(int32_t encoding, bool length_prefixed, const uint8_t *data,
                           size_t len, int max_level, int16_t *out, int64_t n, size_t *consumed,
                           nl_error *err) {
    int width = pq_bit_width((uint64_t)max_level);
    if (encoding == PQ_ENC_RLE) {
        size_t run_len = len, start = 0;
        if (length_prefixed) {
            if (len < 4) return nl_error_set(err, NL_ECORRUPT, "levels: truncated length prefix");
            uint32_t l;
            memcpy(&l, data, 4);
            if (l > len - 4)
                return nl_error_set(err, NL_ECORRUPT,
                                    "levels: length %u beyond the %zu bytes of the page", l, len - 4);
            run_len = l;
            start = 4;
        }
        pq_rle d;
        pq_rle_init(&d, data + start, run_len, width);
        int64_t got = pq_rle_get_i16(&d, out, n);
        if (d.failed) return nl_error_set(err, NL_ECORRUPT, "levels: %s", d.why);
        if (got < n)
            return nl_error_set(err, NL_ECORRUPT, "levels: %lld of %lld levels present",
                                (long long)got, (long long)n);
        *consumed = start + run_len;
    } else if (encoding == PQ_ENC_BIT_PACKED) {
        /* Deprecated: packed from the most significant bit of each byte. */
        uint64_t bits = (uint64_t)n * (uint64_t)width;
        size_t bytes = (size_t)((bits + 7) / 8);
        if (bytes > len) return nl_error_set(err, NL_ECORRUPT, "levels: BIT_PACKED levels truncated");
        uint64_t bit = 0;
        for (int64_t i = 0; i < n; i++) {
            uint32_t v = 0;
            for (int b = 0; b < width; b++, bit++)
                v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
            out[i] = (int16_t)v;
        }
        *consumed = bytes;
    } else {
        return nl_error_set(err, NL_ENOTSUP, "levels: unsupported encoding %s",
                            pq_encoding_name(encoding));
    }
    int16_t bad = 0;
    for (int64_t i = 0; i < n; i++) bad |= (int16_t)(out[i] > max_level || out[i] < 0);
    if (bad) return nl_error_set(err, NL_ECORRUPT, "levels: a level exceeds the maximum %d", max_level);
    return NL_OK;
}

/* ---- PLAIN ---- */

nl_status pq_plain_fixed(const uint8_t *data, size_t len, int width, void *out, int64_t n,
                         size_t *consumed, nl_error *err) {
    uint64_t need = (uint64_t)n * (uint64_t)width;
    if (need > len)
        return nl_error_set(err, NL_ECORRUPT, "PLAIN: %lld values of %d bytes need %llu bytes, page has %zu",
                            (long long)n, width, (unsigned long long)need, len);
    if (need) memcpy(out, data, (size_t)need);
    if (consumed) *consumed = (size_t)need;
    return NL_OK;
}

nl_status pq_plain_bool(const uint8_t *data, size_t len, uint8_t *out_bits, int64_t out_bit,
                        int64_t n, nl_error *err) {
    if ((uint64_t)(n + 7) / 8 > len)
        return nl_error_set(err, NL_ECORRUPT, "PLAIN booleans: %lld values need %lld bytes, page has %zu",
                            (long long)n, (long long)((n + 7) / 8), len);
    if ((out_bit & 7) == 0) {
        memcpy(out_bits + (out_bit >> 3), data, (size_t)(n / 8));
        for (int64_t i = n & ~7LL; i < n; i++)
            if ((data[i >> 3] >> (i & 7)) & 1) out_bits[(out_bit + i) >> 3] |= (uint8_t)(1u << ((out_bit + i) & 7));
        return NL_OK;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t o = out_bit + i;
        if ((data[i >> 3] >> (i & 7)) & 1) out_bits[o >> 3] |= (uint8_t)(1u << (o & 7));
        else out_bits[o >> 3] &= (uint8_t)~(1u << (o & 7));
    }
    return NL_OK;
}

nl_status pq_bytes_out_reserve(pq_bytes_out *o, int64_t values, int64_t bytes, nl_error *err) {
    if (values < 0 || bytes < 0) return nl_error_set(err, NL_EINTERNAL, "negative reserve");
    if (o->count + values > o->offsets_cap || !o->offsets) {
        int64_t cap = o->offsets_cap ? o->offsets_cap : 1024;
        while (cap < o->count + values) cap *= 2;
        int32_t *p = nl_aligned_realloc(o->offsets, o->offsets ? (size_t)(o->offsets_cap + 1) * 4 : 0,
                                        (size_t)(cap + 1) * 4);
        NL_CHECK_ALLOC(p, err);
        if (!o->offsets) p[0] = 0;
        o->offsets = p;
        o->offsets_cap = cap;
    }
    if (o->data_len + bytes > o->data_cap || !o->data) {
        if (o->data_len + bytes > INT32_MAX)
            return nl_error_set(err, NL_ENOTSUP,
                                "byte array column chunk over 2 GiB (32-bit offsets)");
        int64_t cap = o->data_cap ? o->data_cap : 4096;
        while (cap < o->data_len + bytes) cap *= 2;
        uint8_t *p = nl_aligned_realloc(o->data, (size_t)o->data_cap, (size_t)cap);
        NL_CHECK_ALLOC(p, err);
        o->data = p;
        o->data_cap = cap;
    }
    return NL_OK;
}

void pq_bytes_out_free(pq_bytes_out *o) {
    nl_aligned_free(o->offsets);
    nl_aligned_free(o->data);
    memset(o, 0, sizeof *o);
}

nl_status pq_plain_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                              size_t *consumed, nl_error *err) {
    /* The bytes of n values are at most len - 4n. */
    if ((uint64_t)n * 4 > len)
        return nl_error_set(err, NL_ECORRUPT, "PLAIN byte arrays: %lld values cannot fit in %zu bytes",
                            (long long)n, len);
    NL_TRY(pq_bytes_out_reserve(o, n, (int64_t)(len - (size_t)n * 4), err));
    size_t pos = 0;
    int32_t *offs = o->offsets + o->count;
    int64_t dl = o->data_len;
    for (int64_t i = 0; i < n; i++) {
        if (len - pos < 4)
            return nl_error_set(err, NL_ECORRUPT, "PLAIN byte arrays: value %lld truncated", (long long)i);
        uint32_t l;
        memcpy(&l, data + pos, 4);
        pos += 4;
        if (l > len - pos)
            return nl_error_set(err, NL_ECORRUPT,
                                "PLAIN byte arrays: value %lld of %u bytes beyond the page", (long long)i, l);
        memcpy(o->data + dl, data + pos, l);
        pos += l;
        dl += l;
        offs[i + 1] = (int32_t)dl;
    }
    o->data_len = dl;
    o->count += n;
    if (consumed) *consumed = pos;
    return NL_OK;
}

nl_status pq_plain_flba(const uint8_t *data, size_t len, int width, int64_t n, pq_bytes_out *o,
                        nl_error *err) {
    uint64_t need = (uint64_t)n * (uint64_t)width;
    if (need > len)
        return nl_error_set(err, NL_ECORRUPT, "PLAIN fixed-length byte arrays: %llu bytes needed, page has %zu",
                            (unsigned long long)need, len);
    NL_TRY(pq_bytes_out_reserve(o, n, (int64_t)need, err));
    memcpy(o->data + o->data_len, data, (size_t)need);
    for (int64_t i = 0; i < n; i++) o->offsets[o->count + i + 1] = (int32_t)(o->data_len + (i + 1) * width);
    o->data_len += (int64_t)need;
    o->count += n;
    return NL_OK;
}

/* ---- DELTA_BINARY_PACKED ---- */

#define PQ_DELTA_MAX_BLOCK 65536
#define PQ_DELTA_MAX_MINIBLOCKS 1024

nl_status pq_delta_decode(const uint8_t *data, size_t len, int64_t *out, int64_t max_n,
                          int64_t *n_out, size_t *consumed, nl_error *err) {
    const uint8_t *p = data, *end = data + len;
    uint64_t block_size, n_mini, total, first_zz;
    if (!read_uleb(&p, end, &block_size) || !read_uleb(&p, end, &n_mini) ||
        !read_uleb(&p, end, &total) || !read_uleb(&p, end, &first_zz))
        return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: truncated header");
    if (block_size == 0 || block_size % 128 != 0 || block_size > PQ_DELTA_MAX_BLOCK ||
        n_mini == 0 || n_mini > PQ_DELTA_MAX_MINIBLOCKS || block_size % n_mini != 0 ||
        (block_size / n_mini) % 32 != 0)
        return nl_error_set(err, NL_ECORRUPT,
                            "DELTA_BINARY_PACKED: bad block size %llu / %llu miniblocks",
                            (unsigned long long)block_size, (unsigned long long)n_mini);
    if (total > (uint64_t)max_n)
        return nl_error_set(err, NL_ECORRUPT,
                            "DELTA_BINARY_PACKED: %llu values where at most %lld are expected",
                            (unsigned long long)total, (long long)max_n);
    uint64_t per_mini = block_size / n_mini;
    uint64_t cur = (first_zz >> 1) ^ (~(first_zz & 1) + 1);
    int64_t done = 0;
    if (total > 0) out[done++] = (int64_t)cur;
    uint64_t buf[PQ_DELTA_MAX_BLOCK / PQ_DELTA_MAX_MINIBLOCKS > 64 ? 64 : 64];
    (void)buf;
    while ((uint64_t)done < total) {
        uint64_t md_zz;
        if (!read_uleb(&p, end, &md_zz))
            return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: truncated block header");
        uint64_t min_delta = (md_zz >> 1) ^ (~(md_zz & 1) + 1);
        if ((uint64_t)(end - p) < n_mini)
            return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: truncated bit widths");
        const uint8_t *widths = p;
        p += n_mini;
        for (uint64_t m = 0; m < n_mini && (uint64_t)done < total; m++) {
            int w = widths[m];
            if (w > 64)
                return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: bit width %d", w);
            uint64_t bytes = per_mini * (uint64_t)w / 8;
            uint64_t take = total - (uint64_t)done < per_mini ? total - (uint64_t)done : per_mini;
            /* The last miniblock may be cut short by the end of the page. */
            size_t avail = (size_t)(end - p);
            if ((uint64_t)take * (uint64_t)w > (uint64_t)avail * 8)
                return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: truncated miniblock");
            uint64_t deltas[64];
            uint64_t i = 0;
            while (i < take) {
                uint64_t k = take - i < 64 ? take - i : 64;
                pq_unpack64(p, bytes < avail ? (size_t)bytes : avail, w, (int64_t)i, deltas, (int64_t)k);
                for (uint64_t j = 0; j < k; j++) {
                    cur += min_delta + deltas[j];
                    out[done++] = (int64_t)cur;
                }
                i += k;
            }
            p += bytes < avail ? bytes : avail;
        }
    }
    *n_out = (int64_t)total;
    *consumed = (size_t)(p - data);
    return NL_OK;
}

nl_status pq_delta_length_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                                     nl_error *err) {
    int64_t *lens = nl_malloc((size_t)(n ? n : 1) * sizeof *lens);
    NL_CHECK_ALLOC(lens, err);
    int64_t cnt = 0;
    size_t used = 0;
    nl_status st = pq_delta_decode(data, len, lens, n, &cnt, &used, err);
    if (st == NL_OK && cnt != n)
        st = nl_error_set(err, NL_ECORRUPT, "DELTA_LENGTH_BYTE_ARRAY: %lld lengths for %lld values",
                          (long long)cnt, (long long)n);
    uint64_t sum = 0;
    for (int64_t i = 0; st == NL_OK && i < n; i++) {
        if (lens[i] < 0 || (uint64_t)lens[i] > len) {
            st = nl_error_set(err, NL_ECORRUPT, "DELTA_LENGTH_BYTE_ARRAY: bad length %lld", (long long)lens[i]);
            break;
        }
        sum += (uint64_t)lens[i];
    }
    if (st == NL_OK && sum > len - used)
        st = nl_error_set(err, NL_ECORRUPT, "DELTA_LENGTH_BYTE_ARRAY: %llu bytes of values, %zu present",
                          (unsigned long long)sum, len - used);
    if (st == NL_OK) st = pq_bytes_out_reserve(o, n, (int64_t)sum, err);
    if (st == NL_OK) {
        memcpy(o->data + o->data_len, data + used, (size_t)sum);
        int64_t dl = o->data_len;
        for (int64_t i = 0; i < n; i++) {
            dl += lens[i];
            o->offsets[o->count + i + 1] = (int32_t)dl;
        }
        o->data_len = dl;
        o->count += n;
    }
    nl_free(lens);
    return st;
}

nl_status pq_delta_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                              nl_error *err) {
    int64_t *pre = nl_malloc((size_t)(n ? n : 1) * 2 * sizeof *pre);
    NL_CHECK_ALLOC(pre, err);
    int64_t *suf = pre + (n ? n : 1);
    int64_t c1 = 0, c2 = 0;
    size_t u1 = 0, u2 = 0;
    nl_status st = pq_delta_decode(data, len, pre, n, &c1, &u1, err);
    if (st == NL_OK) st = pq_delta_decode(data + u1, len - u1, suf, n, &c2, &u2, err);
    if (st == NL_OK && (c1 != n || c2 != n))
        st = nl_error_set(err, NL_ECORRUPT, "DELTA_BYTE_ARRAY: %lld/%lld lengths for %lld values",
                          (long long)c1, (long long)c2, (long long)n);
    size_t pos = u1 + u2;
    uint64_t total = 0;
    int64_t prev_len = 0;
    for (int64_t i = 0; st == NL_OK && i < n; i++) {
        if (pre[i] < 0 || suf[i] < 0 || pre[i] > prev_len || (uint64_t)suf[i] > len) {
            st = nl_error_set(err, NL_ECORRUPT, "DELTA_BYTE_ARRAY: bad prefix/suffix length at value %lld",
                              (long long)i);
            break;
        }
        prev_len = pre[i] + suf[i];
        total += (uint64_t)prev_len;
        if (total > INT32_MAX) st = nl_error_set(err, NL_ENOTSUP, "DELTA_BYTE_ARRAY: over 2 GiB");
    }
    if (st == NL_OK) st = pq_bytes_out_reserve(o, n, (int64_t)total, err);
    for (int64_t i = 0; st == NL_OK && i < n; i++) {
        if ((uint64_t)suf[i] > len - pos) {
            st = nl_error_set(err, NL_ECORRUPT, "DELTA_BYTE_ARRAY: suffix of value %lld beyond the page",
                              (long long)i);
            break;
        }
        uint8_t *dst = o->data + o->data_len;
        if (pre[i] > 0) memmove(dst, dst - (o->offsets[o->count] - o->offsets[o->count - 1]), (size_t)pre[i]);
        memcpy(dst + pre[i], data + pos, (size_t)suf[i]);
        pos += (size_t)suf[i];
        o->data_len += pre[i] + suf[i];
        o->offsets[o->count + 1] = (int32_t)o->data_len;
        o->count++;
    }
    nl_free(pre);
    return st;
}

/* ---- BYTE_STREAM_SPLIT ---- */

nl_status pq_byte_stream_split(const uint8_t *data, size_t len, int width, int64_t n, void *out,
                               nl_error *err) {
    uint64_t need = (uint64_t)n * (uint64_t)width;
    if (need > len)
        return nl_error_set(err, NL_ECORRUPT, "BYTE_STREAM_SPLIT: %llu bytes needed, page has %zu",
                            (unsigned long long)need, len);
    uint8_t *o = out;
    for (int k = 0; k < width; k++) {
        const uint8_t *s = data + (size_t)k * (size_t)n;
        for (int64_t i = 0; i < n; i++) o[i * width + k] = s[i];
    }
    return NL_OK;
}
