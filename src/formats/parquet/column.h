/*
 * column.h -- one leaf column of one row group, from pages to Arrow.
 *
 * page.c decodes the pages of a column chunk into a pq_leaf_data: the
 * definition and repetition levels and the dense (non-null) physical values.
 * column.c then assembles Arrow arrays from it: converts physical values to
 * the leaf's Arrow type, spreads them over their slots (nulls in between) and,
 * for nested fields, rebuilds struct validity and list offsets from the levels
 * (the thresholds are explained in schema.h).
 */
#ifndef NL_FORMATS_PARQUET_COLUMN_H
#define NL_FORMATS_PARQUET_COLUMN_H

#include "columnar/array.h"
#include "formats/parquet/encoding.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/schema.h"

typedef struct pq_leaf_data {
    int64_t n_levels;    /* level entries (= slots of a flat column) */
    int64_t levels_cap;
    int16_t *def;        /* NULL when max_def == 0 */
    int16_t *rep;        /* NULL when max_rep == 0 */
    int64_t n_values;    /* dense values: entries with def == max_def */
    int width;           /* bytes per fixed value; 0 for BYTE_ARRAY */
    uint8_t *fixed;      /* dense fixed-width values (booleans one byte each) */
    int64_t fixed_cap;   /* in values */
    pq_bytes_out bytes;  /* dense BYTE_ARRAY values */
} pq_leaf_data;

void pq_leaf_data_free(pq_leaf_data *d);

/* Where a chunk's bytes came from, for messages. */
typedef struct pq_chunk_ctx {
    const char *uri;
    int32_t row_group;
    const pq_leaf_info *leaf;
    const pq_column_meta *meta;
    int64_t chunk_offset; /* file offset of chunk[0] */
    bool verify_crc;
} pq_chunk_ctx;

/* Decodes every page of a column chunk (chunk[0..len) starts at its first
 * page) into *out. Errors name the file, row group, column and page offset. */
nl_status pq_decode_chunk(const pq_chunk_ctx *ctx, const uint8_t *chunk, size_t len,
                          pq_leaf_data *out, nl_error *err);

/* Builds the array of assembly node `node` (a top-level field) from decoded
 * leaves (indexed by leaf number). Consumes nothing: leaves are freed by the
 * caller. */
nl_status pq_assemble(const pq_schema_map *map, const pq_anode *node, pq_leaf_data *leaves,
                      nl_array **out, nl_error *err);

#endif
