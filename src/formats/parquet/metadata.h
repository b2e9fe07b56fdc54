/*
 * metadata.h -- Parquet's metadata structures (parquet.thrift) and their
 * decoding from the Thrift compact protocol: the footer (FileMetaData with its
 * schema, row groups, column chunks and statistics), page headers, and the
 * page index (ColumnIndex, OffsetIndex).
 *
 * Decoding checks what the format requires (required fields present, enums in
 * range, counts non-negative); the reader checks offsets and sizes against the
 * file. Strings are copied into the metadata's arena, NUL-terminated; binary
 * values (statistics) point into the decoded bytes, which the owner keeps alive
 * (pq_file_meta holds a reference to its footer buffer).
 */
#ifndef NL_FORMATS_PARQUET_METADATA_H
#define NL_FORMATS_PARQUET_METADATA_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buffer.h"
#include "neuralake.h"

/* parquet.thrift enums. */
typedef enum pq_type {
    PQ_BOOLEAN = 0,
    PQ_INT32 = 1,
    PQ_INT64 = 2,
    PQ_INT96 = 3,
    PQ_FLOAT = 4,
    PQ_DOUBLE = 5,
    PQ_BYTE_ARRAY = 6,
    PQ_FIXED_LEN_BYTE_ARRAY = 7
} pq_type;
#define PQ_TYPE_COUNT 8

typedef enum pq_converted {
    PQ_CONV_NONE = -1,
    PQ_CONV_UTF8 = 0,
    PQ_CONV_MAP = 1,
    PQ_CONV_MAP_KEY_VALUE = 2,
    PQ_CONV_LIST = 3,
    PQ_CONV_ENUM = 4,
    PQ_CONV_DECIMAL = 5,
    PQ_CONV_DATE = 6,
    PQ_CONV_TIME_MILLIS = 7,
    PQ_CONV_TIME_MICROS = 8,
    PQ_CONV_TIMESTAMP_MILLIS = 9,
    PQ_CONV_TIMESTAMP_MICROS = 10,
    PQ_CONV_UINT_8 = 11,
    PQ_CONV_UINT_16 = 12,
    PQ_CONV_UINT_32 = 13,
    PQ_CONV_UINT_64 = 14,
    PQ_CONV_INT_8 = 15,
    PQ_CONV_INT_16 = 16,
    PQ_CONV_INT_32 = 17,
    PQ_CONV_INT_64 = 18,
    PQ_CONV_JSON = 19,
    PQ_CONV_BSON = 20,
    PQ_CONV_INTERVAL = 21
} pq_converted;

typedef enum pq_repetition { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 } pq_repetition;

typedef enum pq_encoding {
    PQ_ENC_PLAIN = 0,
    PQ_ENC_PLAIN_DICTIONARY = 2,
    PQ_ENC_RLE = 3,
    PQ_ENC_BIT_PACKED = 4,
    PQ_ENC_DELTA_BINARY_PACKED = 5,
    PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
    PQ_ENC_DELTA_BYTE_ARRAY = 7,
    PQ_ENC_RLE_DICTIONARY = 8,
    PQ_ENC_BYTE_STREAM_SPLIT = 9
} pq_encoding;
#define PQ_ENCODING_COUNT 10

typedef enum pq_page_type {
    PQ_PAGE_DATA = 0,
    PQ_PAGE_INDEX = 1,
    PQ_PAGE_DICTIONARY = 2,
    PQ_PAGE_DATA_V2 = 3
} pq_page_type;

/* LogicalType union members (parquet.thrift field ids). */
typedef enum pq_logical_kind {
    PQ_LT_NONE = 0,
    PQ_LT_STRING = 1,
    PQ_LT_MAP = 2,
    PQ_LT_LIST = 3,
    PQ_LT_ENUM = 4,
    PQ_LT_DECIMAL = 5,
    PQ_LT_DATE = 6,
    PQ_LT_TIME = 7,
    PQ_LT_TIMESTAMP = 8,
    PQ_LT_INTEGER = 10,
    PQ_LT_UNKNOWN = 11, /* the NULL type */
    PQ_LT_JSON = 12,
    PQ_LT_BSON = 13,
    PQ_LT_UUID = 14,
    PQ_LT_FLOAT16 = 15,
    PQ_LT_VARIANT = 16,
    PQ_LT_GEOMETRY = 17,
    PQ_LT_GEOGRAPHY = 18,
    PQ_LT_UNRECOGNISED = 99 /* a member this reader does not know */
} pq_logical_kind;

typedef enum pq_time_unit { PQ_MILLIS = 1, PQ_MICROS = 2, PQ_NANOS = 3 } pq_time_unit;

typedef struct pq_logical {
    pq_logical_kind kind;
    int32_t scale, precision; /* DECIMAL */
    bool utc;                 /* TIME, TIMESTAMP: isAdjustedToUTC */
    pq_time_unit unit;        /* TIME, TIMESTAMP */
    int8_t bit_width;         /* INTEGER */
    bool is_signed;           /* INTEGER */
} pq_logical;

/* A byte string pointing into decoded metadata. */
typedef struct pq_bytes {
    const uint8_t *ptr;
    int32_t len;
} pq_bytes;

typedef struct pq_statistics {
    bool has_min, has_max, has_null_count, has_distinct_count;
    /* min_value/max_value when present; else the deprecated min/max (whose
     * sort order is only trustworthy for signed types), flagged legacy. */
    bool legacy_min_max;
    pq_bytes min, max;
    int64_t null_count, distinct_count;
    bool min_exact, max_exact;
} pq_statistics;

typedef struct pq_schema_element {
    int32_t type;        /* pq_type, -1 for groups */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY */
    int32_t repetition;  /* pq_repetition, -1 when absent (root) */
    char *name;
    int32_t num_children; /* 0 for leaves */
    int32_t converted;    /* pq_converted or -1 */
    int32_t scale, precision; /* -1 when absent */
    int32_t field_id;         /* -1 when absent */
    pq_logical logical;
} pq_schema_element;

typedef struct pq_kv {
    char *key;
    char *value; /* NULL when absent */
} pq_kv;

typedef struct pq_encoding_stats {
    int32_t page_type, encoding, count;
} pq_encoding_stats;

typedef struct pq_column_meta {
    int32_t type;
    int32_t n_encodings;
    int32_t *encodings;
    int32_t n_path;
    char **path;
    int32_t codec;
    int64_t num_values;
    int64_t total_uncompressed_size;
    int64_t total_compressed_size;
    int32_t n_kv;
    pq_kv *kv;
    int64_t data_page_offset;
    int64_t index_page_offset;      /* -1 when absent */
    int64_t dictionary_page_offset; /* -1 when absent */
    bool has_statistics;
    pq_statistics statistics;
    int32_t n_encoding_stats;
    pq_encoding_stats *encoding_stats;
    int64_t bloom_filter_offset; /* -1 when absent */
    int32_t bloom_filter_length; /* -1 when absent */
} pq_column_meta;

typedef struct pq_column_chunk {
    char *file_path; /* NULL: this file */
    int64_t file_offset;
    bool has_meta;
    pq_column_meta meta;
    int64_t offset_index_offset; /* -1 when absent */
    int32_t offset_index_length;
    int64_t column_index_offset; /* -1 when absent */
    int32_t column_index_length;
    bool encrypted; /* crypto_metadata or encrypted_column_metadata present */
} pq_column_chunk;

typedef struct pq_sorting_column {
    int32_t column_idx;
    bool descending, nulls_first;
} pq_sorting_column;

typedef struct pq_row_group {
    int32_t n_columns;
    pq_column_chunk *columns;
    int64_t total_byte_size;
    int64_t num_rows;
    int32_t n_sorting;
    pq_sorting_column *sorting;
    int64_t file_offset;           /* -1 when absent */
    int64_t total_compressed_size; /* -1 when absent */
    int32_t ordinal;               /* -1 when absent */
} pq_row_group;

typedef struct pq_file_meta {
    nl_arena *arena;     /* owns everything below */
    nl_buffer *footer;   /* the bytes binary values point into (one reference) */
    int32_t version;
    int32_t n_schema;
    pq_schema_element *schema;
    int64_t num_rows;
    int32_t n_row_groups;
    pq_row_group *row_groups;
    int32_t n_kv;
    pq_kv *kv;
    char *created_by; /* NULL when absent */
    int32_t n_column_orders;
    bool encrypted; /* encryption_algorithm present (plaintext footer mode) */
} pq_file_meta;

typedef struct pq_page_header {
    int32_t type; /* pq_page_type */
    int32_t uncompressed_size;
    int32_t compressed_size;
    bool has_crc;
    uint32_t crc;
    /* DATA_PAGE and DATA_PAGE_V2 */
    int32_t num_values;
    int32_t encoding;
    int32_t def_encoding, rep_encoding; /* v1 */
    int32_t num_nulls, num_rows;        /* v2 */
    int32_t def_length, rep_length;     /* v2: bytes of levels, uncompressed */
    bool is_compressed;                 /* v2 (default true) */
    bool has_statistics;
    pq_statistics statistics;
    /* DICTIONARY_PAGE: num_values and encoding above, and: */
    bool is_sorted;
    /* Bytes the header took. */
    int32_t header_size;
} pq_page_header;

typedef struct pq_page_location {
    int64_t offset;
    int32_t compressed_size;
    int64_t first_row;
} pq_page_location;

typedef struct pq_offset_index {
    int32_t n_pages;
    pq_page_location *pages; /* arena */
} pq_offset_index;

typedef struct pq_column_index {
    int32_t n_pages;
    bool *null_pages;
    pq_bytes *min, *max;
    int32_t boundary_order; /* 0 unordered, 1 ascending, 2 descending */
    int64_t *null_counts;   /* NULL when absent */
} pq_column_index;

/* Decodes a footer from `footer` (the FileMetaData bytes only, without the
 * length and magic); takes a reference to it. *out is freed with
 * pq_file_meta_free. Errors are NL_ECORRUPT (or NL_ENOMEM) naming what was
 * wrong and at which byte of the footer. */
nl_status pq_file_meta_decode(nl_buffer *footer, pq_file_meta **out, nl_error *err);
void pq_file_meta_free(pq_file_meta *meta);

/* Decodes one page header from data[0..len); sets header_size. Statistics
 * point into data. NL_ECORRUPT on malformed or truncated input. */
nl_status pq_page_header_decode(const uint8_t *data, size_t len, pq_page_header *out,
                                nl_error *err);

/* Page index structures, allocated from `arena`. */
nl_status pq_offset_index_decode(const uint8_t *data, size_t len, nl_arena *arena,
                                 pq_offset_index *out, nl_error *err);
nl_status pq_column_index_decode(const uint8_t *data, size_t len, nl_arena *arena,
                                 pq_column_index *out, nl_error *err);

/* Names for messages and `parquet meta`. */
const char *pq_type_name(int32_t type);
const char *pq_encoding_name(int32_t encoding);
const char *pq_converted_name(int32_t converted);
const char *pq_repetition_name(int32_t repetition);
const char *pq_page_type_name(int32_t type);
/* "STRING", "DECIMAL(10,2)", "TIMESTAMP(MICROS,true)", "INTEGER(8,false)" ... */
const char *pq_logical_name(const pq_logical *lt, char *buf, size_t size);

#endif
