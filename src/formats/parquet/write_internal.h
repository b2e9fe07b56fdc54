/*
 * write_internal.h -- what the Parquet writer's files share: the leaf column
 * plan made from the schema (write_schema.c), a column chunk's levels and
 * values in their physical form (write_levels.c), the encoders
 * (write_encode.c), statistics (write_stats.c), and the chunk encoder that
 * turns them into pages (write_chunk.c). writer.c drives them.
 *
 * Names here carry the pqw_ prefix (Parquet writer) so they never collide with
 * the reader's pq_ internals in the same folder.
 */
#ifndef NL_FORMATS_PARQUET_WRITE_INTERNAL_H
#define NL_FORMATS_PARQUET_WRITE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "columnar/array.h"
#include "formats/parquet/thrift_write.h"
#include "formats/parquet/write_buf.h"
#include "formats/parquet/writer.h"

/* parquet.thrift: Type */
enum {
    PQW_BOOLEAN = 0,
    PQW_INT32 = 1,
    PQW_INT64 = 2,
    PQW_INT96 = 3,
    PQW_FLOAT = 4,
    PQW_DOUBLE = 5,
    PQW_BYTE_ARRAY = 6,
    PQW_FLBA = 7
};

/* parquet.thrift: Encoding */
enum {
    PQW_ENC_PLAIN = 0,
    PQW_ENC_PLAIN_DICTIONARY = 2,
    PQW_ENC_RLE = 3,
    PQW_ENC_DELTA_BINARY_PACKED = 5,
    PQW_ENC_RLE_DICTIONARY = 8
};

/* parquet.thrift: PageType */
enum { PQW_PAGE_DATA = 0, PQW_PAGE_DICTIONARY = 2 };

/* The order statistics are computed in (parquet.thrift, ColumnOrder). */
typedef enum pqw_order {
    PQW_ORDER_NONE = 0, /* no min/max (NULL columns) */
    PQW_ORDER_BOOL,
    PQW_ORDER_I32,
    PQW_ORDER_U32,
    PQW_ORDER_I64,
    PQW_ORDER_U64,
    PQW_ORDER_FLOAT,
    PQW_ORDER_DOUBLE,
    PQW_ORDER_BYTES,   /* unsigned byte-wise */
    PQW_ORDER_DECIMAL  /* FIXED_LEN_BYTE_ARRAY, signed big-endian */
} pqw_order;

/* How a leaf's values become physical values. */
typedef enum pqw_conv {
    PQW_CONV_NONE = 0, /* NULL type: no values */
    PQW_CONV_BOOL,     /* bit -> one byte 0/1 */
    PQW_CONV_I8, PQW_CONV_I16, PQW_CONV_I32,  /* sign-extend to int32 */
    PQW_CONV_U8, PQW_CONV_U16, PQW_CONV_U32,  /* zero-extend to int32 */
    PQW_CONV_COPY4,    /* 4 bytes as they are (FLOAT32) */
    PQW_CONV_COPY8,    /* 8 bytes as they are (64-bit ints, FLOAT64, times) */
    PQW_CONV_SEC_TO_MS,/* TIMESTAMP(s) -> milliseconds */
    PQW_CONV_DEC_I32, PQW_CONV_DEC_I64, PQW_CONV_DEC_FLBA,
    PQW_CONV_BYTES     /* UTF8/BINARY */
} pqw_conv;

/* One step on the way from a top-level column to a leaf. */
typedef enum pqw_step_kind { PQW_STEP_LEAF = 0, PQW_STEP_STRUCT, PQW_STEP_LIST } pqw_step_kind;

typedef struct pqw_step {
    pqw_step_kind kind;
    bool nullable;     /* the node adds a definition level when present */
    int32_t child;     /* STRUCT: the field followed */
    int16_t rep_level; /* LIST: the repetition level of its items */
} pqw_step;

#define PQW_MAX_STEPS 64

/* A leaf column of the Parquet schema. */
typedef struct pqw_leaf {
    int32_t top;            /* top-level field index */
    int32_t n_steps;
    pqw_step steps[PQW_MAX_STEPS];
    int32_t n_path;
    char **path;            /* path_in_schema (owned) */
    int16_t max_def, max_rep;
    const nl_type *type;    /* the leaf's type (borrowed from the schema) */
    int phys;               /* PQW_BOOLEAN ... */
    int32_t type_length;    /* FLBA width */
    int32_t width;          /* bytes per dense value (1 for BOOLEAN); 0 for BYTE_ARRAY */
    pqw_conv conv;
    pqw_order order;
} pqw_leaf;

typedef struct pqw_plan {
    int32_t n_leaves;
    pqw_leaf *leaves;
    pq_buf schema_elems; /* the serialised list<SchemaElement> (without header) */
    int32_t n_schema_elems;
} pqw_plan;

nl_status pqw_plan_build(const nl_schema *schema, pqw_plan *plan, nl_error *err);
void pqw_plan_free(pqw_plan *plan);
/* The FileMetaData.schema list, field 2. */
void pqw_plan_write_schema(const pqw_plan *plan, pq_tw *tw);

/* A column chunk's data before encoding: levels and dense physical values. */
typedef struct pqw_column {
    int64_t n_levels;
    pq_buf def;     /* uint8 per level (empty when max_def == 0 or def_implicit) */
    bool def_implicit; /* flat and no nulls so far: every level is max_def, not stored */
    pq_buf rep;     /* uint8 per level (empty when max_rep == 0) */
    int64_t n_values;
    pq_buf vals;    /* fixed width: width bytes per value */
    pq_buf bptr;    /* BYTE_ARRAY: const uint8_t * per value */
    pq_buf blen;    /* BYTE_ARRAY: uint32_t per value */
    int64_t n_rows;
    pq_buf idx;     /* scratch: int64 leaf indices of non-null values (nested) */
} pqw_column;

void pqw_column_init(pqw_column *c);
void pqw_column_reset(pqw_column *c);
void pqw_column_free(pqw_column *c);
/* Makes room for `rows` more rows (a hint: failures surface on append). */
void pqw_column_reserve(pqw_column *c, const pqw_leaf *leaf, int64_t rows);
/* Appends rows [start, start + n) of top-level column `a` for `leaf`. */
nl_status pqw_column_append(pqw_column *c, const pqw_leaf *leaf, const nl_array *a, int64_t start,
                            int64_t n, nl_error *err);

/* ---- encoders (write_encode.c) ---- */

/* Bits needed for values up to max_value. */
int pqw_bit_width(uint64_t max_value);
/* The RLE/bit-packed hybrid of n values < 2^bit_width (no length prefix). */
void pqw_rle_u8(pq_buf *out, const uint8_t *v, int64_t n, int bit_width);
void pqw_rle_u32(pq_buf *out, const uint32_t *v, int64_t n, int bit_width);
/* DELTA_BINARY_PACKED of n int32 / int64 values. */
void pqw_delta_i32(pq_buf *out, const int32_t *v, int64_t n);
void pqw_delta_i64(pq_buf *out, const int64_t *v, int64_t n);
/* PLAIN booleans: bit-packed, LSB first. */
void pqw_plain_bool(pq_buf *out, const uint8_t *v, int64_t n);
/* PLAIN byte arrays: 4-byte little-endian length, then the bytes. */
void pqw_plain_bytes(pq_buf *out, const uint8_t *const *ptr, const uint32_t *len, int64_t n);

/* A dictionary over a chunk's values: the index of each value and the
 * distinct values in first-seen order. */
typedef struct pqw_dict {
    int64_t n_entries;
    int64_t bytes;      /* PLAIN size of the dictionary page */
    pq_buf indices;     /* uint32 per value */
    pq_buf entries;     /* value indices (uint32) of the first occurrence of each entry */
    uint32_t *table;    /* hash slots: entry + 1, 0 = empty */
    uint64_t table_cap;
} pqw_dict;

void pqw_dict_init(pqw_dict *d);
void pqw_dict_free(pqw_dict *d);
/* Builds the dictionary of `col`; false when it would exceed max_bytes (or on
 * OOM, which `*oom` reports). */
bool pqw_dict_build(pqw_dict *d, const pqw_leaf *leaf, const pqw_column *col, int64_t max_bytes,
                    bool *oom);

/* ---- statistics (write_stats.c) ---- */

#define PQW_STAT_MAX 64 /* byte-array statistics are truncated to this length */

typedef struct pqw_stat {
    bool has_minmax;
    bool all_nan;     /* float column whose values were all NaN */
    bool unbounded;   /* values exist but no short upper bound does: no min/max */
    int64_t null_count;
    uint32_t min_len, max_len;
    uint8_t min[PQW_STAT_MAX + 8];
    uint8_t max[PQW_STAT_MAX + 8];
} pqw_stat;

/* Min and max of dense values [v0, v1) of `col`, encoded as PLAIN (without a
 * length for byte arrays). */
void pqw_stat_compute(pqw_stat *st, const pqw_leaf *leaf, const pqw_column *col, int64_t v0,
                      int64_t v1);
/* Folds `page` into `chunk`. */
void pqw_stat_merge(pqw_stat *chunk, const pqw_stat *page, const pqw_leaf *leaf);
/* Three-way comparison of encoded values in the leaf's order. */
int pqw_stat_cmp(const pqw_leaf *leaf, const uint8_t *a, uint32_t alen, const uint8_t *b,
                 uint32_t blen);

/* ---- the Arrow schema (write_arrow.c) ---- */

/* The base64 of an Arrow IPC Schema message for `schema`, as Arrow writers
 * store under "ARROW:schema"; *out is NULL when it is not produced. */
nl_status pqw_arrow_schema_b64(const nl_schema *schema, char **out, nl_error *err);

/* ---- chunk encoding (write_chunk.c) ---- */

typedef struct pqw_page_info {
    int64_t offset;      /* relative to the chunk's start until placed */
    int32_t size;        /* header + compressed body */
    int64_t first_row;
    pqw_stat stat;
} pqw_page_info;

/* An encoded column chunk, and what the footer and page index need of it. */
typedef struct pqw_chunk {
    pq_buf bytes;          /* dictionary page and data pages, headers included */
    int64_t num_values;    /* levels */
    int64_t uncompressed;  /* total_uncompressed_size */
    int64_t dict_offset;   /* relative; -1 without a dictionary page */
    int64_t data_offset;   /* relative offset of the first data page */
    uint32_t encodings;    /* bit set of PQW_ENC_* used */
    pqw_stat stat;
    int64_t n_pages;
    pqw_page_info *pages;
    bool column_index;     /* false when a page's min/max cannot be written */
    /* Placement in the file, set by the writer. */
    int64_t file_offset;
    int64_t column_index_offset, offset_index_offset;
    int32_t column_index_length, offset_index_length;
} pqw_chunk;

/* Buffers one encoding thread reuses from chunk to chunk. */
typedef struct pqw_scratch {
    pq_buf body;    /* a page's uncompressed bytes */
    pq_buf zbody;   /* compressed */
    pq_buf header;  /* its PageHeader */
    pq_buf trial;   /* trial encodings */
    pqw_dict dict;
} pqw_scratch;

void pqw_scratch_init(pqw_scratch *s);
void pqw_scratch_free(pqw_scratch *s);

void pqw_chunk_free(pqw_chunk *c);
nl_status pqw_chunk_encode(const pqw_leaf *leaf, const pqw_column *col,
                           const pq_write_options *opts, pqw_scratch *scratch, pqw_chunk *out,
                           nl_error *err);

#endif
