/*
 * codec.h -- the page compression codecs of Parquet (parquet.thrift,
 * CompressionCodec), both directions, over Debian's libraries: snappy, zlib,
 * zstd, brotli and lz4.
 *
 * LZ4 (codec 5) is ambiguous in the wild: parquet-mr wrote the Hadoop framing
 * (big-endian uncompressed and compressed sizes before each block) while older
 * Arrow wrote a bare LZ4 block. Decompression tries the Hadoop framing and falls
 * back to a bare block; compression writes the Hadoop framing, which every
 * reader accepts. LZ4_RAW (codec 7) is always a bare block. LZO is not
 * supported (NL_ENOTSUP).
 *
 * All functions are thread-safe and keep no state between calls.
 */
#ifndef NL_FORMATS_PARQUET_CODEC_H
#define NL_FORMATS_PARQUET_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "neuralake.h"

/* The values of parquet.thrift's CompressionCodec. */
typedef enum pq_codec {
    PQ_CODEC_UNCOMPRESSED = 0,
    PQ_CODEC_SNAPPY = 1,
    PQ_CODEC_GZIP = 2,
    PQ_CODEC_LZO = 3,
    PQ_CODEC_BROTLI = 4,
    PQ_CODEC_LZ4 = 5,
    PQ_CODEC_ZSTD = 6,
    PQ_CODEC_LZ4_RAW = 7
} pq_codec;

#define PQ_CODEC_COUNT 8

/* "UNCOMPRESSED", "SNAPPY", ... ("UNKNOWN(n)" is not produced: "UNKNOWN"). */
const char *pq_codec_name(int codec);
/* Case-insensitive "none"/"uncompressed", "snappy", "gzip", "brotli", "lz4",
 * "lz4_raw", "zstd"; -1 when unknown. */
int pq_codec_parse(const char *name);
/* True when this build can compress and decompress the codec. */
bool pq_codec_supported(int codec);

/* Decompresses `src` into exactly `dst_len` bytes at dst. Anything else (a
 * codec error, fewer or more bytes than dst_len) is NL_ECORRUPT; an unknown or
 * unsupported codec is NL_ENOTSUP. */
nl_status pq_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
                        size_t dst_len, nl_error *err);

/* The largest compressed size `src_len` bytes can produce with `codec`. */
size_t pq_compress_bound(int codec, size_t src_len);

/* Compresses `src` into dst (capacity dst_cap >= pq_compress_bound) and sets
 * *out_len. `level` <= 0 picks the codec's default (zstd 3, gzip 6, brotli 5);
 * levels beyond the codec's range are clamped. */
nl_status pq_compress(int codec, int level, const uint8_t *src, size_t src_len, uint8_t *dst,
                      size_t dst_cap, size_t *out_len, nl_error *err);

#endif
