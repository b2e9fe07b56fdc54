/*
 * codec.c -- Parquet page compression and decompression through snappy, zlib,
 * zstd, brotli and lz4 (see codec.h for the LZ4 framing story).
 */
#include "formats/parquet/codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <limits.h>
#include <lz4.h>
#include <snappy-c.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <zstd.h>

#include "base/error.h"

#define PQ_ZSTD_DEFAULT_LEVEL 3
#define PQ_GZIP_DEFAULT_LEVEL 6
#define PQ_BROTLI_DEFAULT_QUALITY 5
/* The Hadoop LZ4 framing: a big-endian uint32 uncompressed size and a
 * big-endian uint32 compressed size before each block. */
#define PQ_HADOOP_HEADER 8

static const char *const CODEC_NAMES[PQ_CODEC_COUNT] = {
    "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};

const char *pq_codec_name(int codec) {
    if (codec < 0 || codec >= PQ_CODEC_COUNT) return "UNKNOWN";
    return CODEC_NAMES[codec];
}

int pq_codec_parse(const char *name) {
    if (!name) return -1;
    if (strcasecmp(name, "none") == 0) return PQ_CODEC_UNCOMPRESSED;
    for (int i = 0; i < PQ_CODEC_COUNT; i++)
        if (strcasecmp(name, CODEC_NAMES[i]) == 0) return i;
    return -1;
}

bool pq_codec_supported(int codec) {
    return codec >= 0 && codec < PQ_CODEC_COUNT && codec != PQ_CODEC_LZO;
}

static uint32_t read_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void write_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ---- decompression ---- */

/* gzip or zlib streams; several concatenated gzip members are one page (some
 * writers emit them), so inflation restarts after each member's end. */
static nl_status gzip_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                                 nl_error *err) {
    if (src_len > UINT_MAX || dst_len > UINT_MAX)
        return nl_error_set(err, NL_ENOTSUP, "gzip page larger than 4 GiB");
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) /* 32: detect gzip or zlib headers */
        return nl_error_set(err, NL_ENOMEM, "gzip: cannot initialise zlib");
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)src_len;
    zs.next_out = dst;
    zs.avail_out = (uInt)dst_len;
    nl_status st = NL_OK;
    for (;;) {
        int rc = inflate(&zs, Z_FINISH);
        if (rc == Z_STREAM_END) {
            /* Another member follows? Skip trailing zero padding. */
            while (zs.avail_in > 0 && *zs.next_in == 0) {
                zs.next_in++;
                zs.avail_in--;
            }
            if (zs.avail_in == 0) break;
            if (inflateReset(&zs) != Z_OK) {
                st = nl_error_set(err, NL_ECORRUPT, "gzip: cannot restart after a member");
                break;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && zs.avail_out == 0 && zs.avail_in > 0) {
            st = nl_error_set(err, NL_ECORRUPT,
                              "gzip: page decompresses to more than the %zu bytes its header says",
                              dst_len);
        } else {
            st = nl_error_set(err, NL_ECORRUPT, "gzip: %s",
                              zs.msg ? zs.msg : "truncated or malformed stream");
        }
        break;
    }
    /* total_out restarts with each member: count what the output received. */
    size_t produced = dst_len - zs.avail_out;
    if (st == NL_OK && produced != dst_len)
        st = nl_error_set(err, NL_ECORRUPT, "gzip: page decompressed to %zu bytes, expected %zu",
                          produced, dst_len);
    inflateEnd(&zs);
    return st;
}

static nl_status lz4_block(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                           int *produced) {
    if (src_len > INT_MAX || dst_len > INT_MAX) return NL_ENOTSUP;
    int n = LZ4_decompress_safe((const char *)src, (char *)dst, (int)src_len, (int)dst_len);
    *produced = n;
    return n < 0 ? NL_ECORRUPT : NL_OK;
}

/* Tries the Hadoop framing: a sequence of [be32 raw][be32 compressed][block],
 * each block filling the output in turn. Returns false if the input does not
 * parse as such, without side effects worth keeping. */
static bool lz4_hadoop(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len) {
    size_t in = 0, out = 0;
    while (in < src_len) {
        if (src_len - in < PQ_HADOOP_HEADER) return false;
        uint32_t raw = read_be32(src + in);
        uint32_t comp = read_be32(src + in + 4);
        in += PQ_HADOOP_HEADER;
        if (comp > src_len - in || raw > dst_len - out) return false;
        int produced = 0;
        if (lz4_block(src + in, comp, dst + out, raw, &produced) != NL_OK) return false;
        if ((uint32_t)produced != raw) return false;
        in += comp;
        out += raw;
    }
    return out == dst_len;
}

nl_status pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, nl_error *err) {
    /* An empty page (Polars writes empty dictionaries as a 20-byte gzip
     * member) may come with no output buffer; zlib refuses a NULL one. */
    uint8_t none[1];
    if (dst_len == 0 && !dst) dst = none;
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        if (src_len != dst_len)
            return nl_error_set(err, NL_ECORRUPT,
                                "uncompressed page of %zu bytes where the header says %zu", src_len,
                                dst_len);
        if (dst_len) memcpy(dst, src, dst_len);
        return NL_OK;
    case PQ_CODEC_SNAPPY: {
        size_t n = 0;
        if (snappy_uncompressed_length((const char *)src, src_len, &n) != SNAPPY_OK)
            return nl_error_set(err, NL_ECORRUPT, "snappy: malformed page header");
        if (n != dst_len)
            return nl_error_set(err, NL_ECORRUPT,
                                "snappy: page decompresses to %zu bytes, expected %zu", n, dst_len);
        n = dst_len;
        if (snappy_uncompress((const char *)src, src_len, (char *)dst, &n) != SNAPPY_OK ||
            n != dst_len)
            return nl_error_set(err, NL_ECORRUPT, "snappy: malformed compressed data");
        return NL_OK;
    }
    case PQ_CODEC_GZIP: return gzip_decompress(src, src_len, dst, dst_len, err);
    case PQ_CODEC_BROTLI: {
        size_t n = dst_len;
        BrotliDecoderResult rc = BrotliDecoderDecompress(src_len, src, &n, dst);
        if (rc != BROTLI_DECODER_RESULT_SUCCESS)
            return nl_error_set(err, NL_ECORRUPT, "brotli: malformed or oversized page");
        if (n != dst_len)
            return nl_error_set(err, NL_ECORRUPT,
                                "brotli: page decompressed to %zu bytes, expected %zu", n, dst_len);
        return NL_OK;
    }
    case PQ_CODEC_ZSTD: {
        size_t n = ZSTD_decompress(dst, dst_len, src, src_len);
        if (ZSTD_isError(n))
            return nl_error_set(err, NL_ECORRUPT, "zstd: %s", ZSTD_getErrorName(n));
        if (n != dst_len)
            return nl_error_set(err, NL_ECORRUPT,
                                "zstd: page decompressed to %zu bytes, expected %zu", n, dst_len);
        return NL_OK;
    }
    case PQ_CODEC_LZ4: {
        if (lz4_hadoop(src, src_len, dst, dst_len)) return NL_OK;
        int produced = 0;
        nl_status st = lz4_block(src, src_len, dst, dst_len, &produced);
        if (st == NL_OK && (size_t)produced == dst_len) return NL_OK;
        return nl_error_set(err, NL_ECORRUPT,
                            "lz4: page is neither Hadoop-framed nor a bare block of %zu bytes",
                            dst_len);
    }
    case PQ_CODEC_LZ4_RAW: {
        int produced = 0;
        nl_status st = lz4_block(src, src_len, dst, dst_len, &produced);
        if (st == NL_ENOTSUP) return nl_error_set(err, st, "lz4_raw: page larger than 2 GiB");
        if (st != NL_OK) return nl_error_set(err, st, "lz4_raw: malformed compressed data");
        if ((size_t)produced != dst_len)
            return nl_error_set(err, NL_ECORRUPT,
                                "lz4_raw: page decompressed to %d bytes, expected %zu", produced,
                                dst_len);
        return NL_OK;
    }
    case PQ_CODEC_LZO: return nl_error_set(err, NL_ENOTSUP, "the LZO codec is not supported");
    default: return nl_error_set(err, NL_ENOTSUP, "unknown compression codec %d", codec);
    }
}

/* ---- compression ---- */

size_t pq_compress_bound(int codec, size_t src_len) {
    switch (codec) {
    case PQ_CODEC_SNAPPY: return snappy_max_compressed_length(src_len);
    case PQ_CODEC_GZIP: return (size_t)compressBound((uLong)src_len) + 32; /* + gzip header */
    case PQ_CODEC_BROTLI: return BrotliEncoderMaxCompressedSize(src_len) + 16;
    case PQ_CODEC_ZSTD: return ZSTD_compressBound(src_len);
    case PQ_CODEC_LZ4:
        return (size_t)LZ4_compressBound(src_len > INT_MAX ? INT_MAX : (int)src_len) +
               PQ_HADOOP_HEADER;
    case PQ_CODEC_LZ4_RAW:
        return (size_t)LZ4_compressBound(src_len > INT_MAX ? INT_MAX : (int)src_len);
    default: return src_len;
    }
}

static nl_status gzip_compress(int level, const uint8_t *src, size_t src_len, uint8_t *dst,
                               size_t dst_cap, size_t *out_len, nl_error *err) {
    if (src_len > UINT_MAX || dst_cap > UINT_MAX)
        return nl_error_set(err, NL_ENOTSUP, "gzip page larger than 4 GiB");
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (level <= 0) level = PQ_GZIP_DEFAULT_LEVEL;
    if (level > 9) level = 9;
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16 /* gzip wrapper */, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return nl_error_set(err, NL_ENOMEM, "gzip: cannot initialise zlib");
    zs.next_in = (Bytef *)(uintptr_t)src;
    zs.avail_in = (uInt)src_len;
    zs.next_out = dst;
    zs.avail_out = (uInt)dst_cap;
    int rc = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return nl_error_set(err, NL_EINTERNAL, "gzip: output buffer too small");
    return NL_OK;
}

nl_status pq_compress(int codec, int level, const uint8_t *src, size_t src_len, uint8_t *dst,
                      size_t dst_cap, size_t *out_len, nl_error *err) {
    if (dst_cap < pq_compress_bound(codec, src_len))
        return nl_error_set(err, NL_EINVAL, "compress: output capacity below the bound");
    switch (codec) {
    case PQ_CODEC_UNCOMPRESSED:
        if (src_len) memcpy(dst, src, src_len);
        *out_len = src_len;
        return NL_OK;
    case PQ_CODEC_SNAPPY: {
        size_t n = dst_cap;
        if (snappy_compress((const char *)src, src_len, (char *)dst, &n) != SNAPPY_OK)
            return nl_error_set(err, NL_EINTERNAL, "snappy: compression failed");
        *out_len = n;
        return NL_OK;
    }
    case PQ_CODEC_GZIP: return gzip_compress(level, src, src_len, dst, dst_cap, out_len, err);
    case PQ_CODEC_BROTLI: {
        int q = level <= 0 ? PQ_BROTLI_DEFAULT_QUALITY : level;
        if (q > BROTLI_MAX_QUALITY) q = BROTLI_MAX_QUALITY;
        size_t n = dst_cap;
        if (!BrotliEncoderCompress(q, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, src_len, src, &n,
                                   dst))
            return nl_error_set(err, NL_EINTERNAL, "brotli: compression failed");
        *out_len = n;
        return NL_OK;
    }
    case PQ_CODEC_ZSTD: {
        int lv = level <= 0 ? PQ_ZSTD_DEFAULT_LEVEL : level;
        if (lv > ZSTD_maxCLevel()) lv = ZSTD_maxCLevel();
        size_t n = ZSTD_compress(dst, dst_cap, src, src_len, lv);
        if (ZSTD_isError(n)) return nl_error_set(err, NL_EINTERNAL, "zstd: %s", ZSTD_getErrorName(n));
        *out_len = n;
        return NL_OK;
    }
    case PQ_CODEC_LZ4:
    case PQ_CODEC_LZ4_RAW: {
        if (src_len > INT_MAX - PQ_HADOOP_HEADER)
            return nl_error_set(err, NL_ENOTSUP, "lz4: page larger than 2 GiB");
        size_t hdr = codec == PQ_CODEC_LZ4 ? PQ_HADOOP_HEADER : 0;
        size_t room = dst_cap - hdr;
        int n = LZ4_compress_default((const char *)src, (char *)dst + hdr, (int)src_len,
                                     room > INT_MAX ? INT_MAX : (int)room);
        if (n <= 0 && src_len > 0) return nl_error_set(err, NL_EINTERNAL, "lz4: compression failed");
        if (hdr) {
            write_be32(dst, (uint32_t)src_len);
            write_be32(dst + 4, (uint32_t)n);
        }
        *out_len = hdr + (size_t)n;
        return NL_OK;
    }
    case PQ_CODEC_LZO: return nl_error_set(err, NL_ENOTSUP, "the LZO codec is not supported");
    default: return nl_error_set(err, NL_ENOTSUP, "unknown compression codec %d", codec);
    }
}
