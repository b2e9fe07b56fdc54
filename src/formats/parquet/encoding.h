/*
 * encoding.h -- Parquet's value and level encodings (the Encodings section of
 * the format spec): PLAIN, the RLE/bit-packed hybrid (levels, dictionary
 * indices, RLE booleans), the deprecated BIT_PACKED levels,
 * DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT.
 *
 * Decoders read untrusted bytes: every run length, bit width and count is
 * checked against the bytes present, and a failure is NL_ECORRUPT with a
 * message saying what was wrong (the caller adds the file, column and page).
 * Outputs go to caller-provided memory sized for the values requested.
 */
#ifndef NL_FORMATS_PARQUET_ENCODING_H
#define NL_FORMATS_PARQUET_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "neuralake.h"

/* ---- bit unpacking (little-endian bit order, as the hybrid uses) ---- */

/* Unpacks n values of `width` bits (0..32) starting at value index `first`
 * from packed[0..len). Bits beyond len read as zero. */
void pq_unpack32(const uint8_t *packed, size_t len, int width, int64_t first, uint32_t *out,
                 int64_t n);
/* Same for widths 0..64. */
void pq_unpack64(const uint8_t *packed, size_t len, int width, int64_t first, uint64_t *out,
                 int64_t n);

/* ---- the RLE / bit-packed hybrid ---- */

typedef struct pq_rle {
    const uint8_t *p, *end;
    int width;
    int64_t run_left;       /* values left in the current run */
    bool run_is_literal;    /* bit-packed run (else a repeated value) */
    uint32_t value;         /* the repeated value */
    const uint8_t *lit;     /* the bit-packed run's bytes */
    size_t lit_len;
    int64_t lit_pos;        /* next value index within the run */
    bool failed;
    const char *why;
} pq_rle;

/* `width` 0..32 (checked by the caller). data holds the runs only (no length
 * prefix). */
void pq_rle_init(pq_rle *d, const uint8_t *data, size_t len, int width);
/* Decodes up to n values; returns how many (fewer at the end of the data or
 * on failure: check d->failed). */
int64_t pq_rle_get_u32(pq_rle *d, uint32_t *out, int64_t n);
int64_t pq_rle_get_i16(pq_rle *d, int16_t *out, int64_t n);

/* Bits needed for values 0..max_value. */
int pq_bit_width(uint64_t max_value);

/* ---- levels ---- */

/* Decodes n levels (max level `max_level` > 0) encoded as RLE (hybrid, with
 * the v1 4-byte length prefix when `length_prefixed`) or BIT_PACKED. Sets
 * *consumed to the bytes used. Checks every level <= max_level. */
nl_status pq_decode_levels(int32_t encoding, bool length_prefixed, const uint8_t *data,
                           size_t len, int max_level, int16_t *out, int64_t n, size_t *consumed,
                           nl_error *err);

/* ---- PLAIN ---- */

/* Fixed-width values: n * width bytes copied. */
nl_status pq_plain_fixed(const uint8_t *data, size_t len, int width, void *out, int64_t n,
                         size_t *consumed, nl_error *err);
/* Booleans bit-packed LSB first, into an Arrow bitmap at bit `out_bit`. */
nl_status pq_plain_bool(const uint8_t *data, size_t len, uint8_t *out_bits, int64_t out_bit,
                        int64_t n, nl_error *err);

/* A growable byte-array column under construction: int32 offsets (count + 1
 * entries, offsets[0] = 0) and the bytes. Memory from nl_aligned_alloc. */
typedef struct pq_bytes_out {
    int32_t *offsets;
    int64_t count, offsets_cap; /* entries used (values) and capacity in values */
    uint8_t *data;
    int64_t data_len, data_cap;
} pq_bytes_out;

nl_status pq_bytes_out_reserve(pq_bytes_out *o, int64_t values, int64_t bytes, nl_error *err);
void pq_bytes_out_free(pq_bytes_out *o);

/* BYTE_ARRAY PLAIN: n values of 4-byte length + bytes, appended to o. */
nl_status pq_plain_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                              size_t *consumed, nl_error *err);
/* FIXED_LEN_BYTE_ARRAY PLAIN as byte arrays of `width` bytes. */
nl_status pq_plain_flba(const uint8_t *data, size_t len, int width, int64_t n, pq_bytes_out *o,
                        nl_error *err);

/* ---- DELTA_BINARY_PACKED ---- */

/* Decodes up to `max_n` values into out (as 64-bit; INT32 callers narrow).
 * Sets *n_out to the header's total count (an error if > max_n) and
 * *consumed to the bytes the encoding took. */
nl_status pq_delta_decode(const uint8_t *data, size_t len, int64_t *out, int64_t max_n,
                          int64_t *n_out, size_t *consumed, nl_error *err);

/* DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: n values appended to o. */
nl_status pq_delta_length_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                                     nl_error *err);
nl_status pq_delta_byte_array(const uint8_t *data, size_t len, int64_t n, pq_bytes_out *o,
                              nl_error *err);

/* ---- BYTE_STREAM_SPLIT ---- */

/* n values of `width` bytes: byte k of value i is at data[k * n + i]. */
nl_status pq_byte_stream_split(const uint8_t *data, size_t len, int width, int64_t n, void *out,
                               nl_error *err);

#endif
