/*
 * thrift_write.h -- an encoder for thrift's compact protocol, enough for the
 * structures Parquet writes: page headers, the footer (FileMetaData), column
 * and offset indexes.
 *
 * Wire format (apache/thrift doc/specs/thrift-compact-protocol.md): a struct
 * is a sequence of field headers (id delta and type in one byte when the delta
 * is 1..15) and values, ended by a 0 byte; integers are zigzag varints; bool
 * fields carry their value in the field type; a list header packs the size
 * (when < 15) and the element type in one byte.
 *
 * The encoder remembers the last field id of every open struct, so callers
 * write fields in increasing id order and open or close structs around them:
 *
 *     pq_tw_struct_begin(w);          // the top-level struct
 *     pq_tw_field_i32(w, 1, 42);
 *     pq_tw_field_struct(w, 5);       // a struct-valued field...
 *     pq_tw_field_i32(w, 1, 7);
 *     pq_tw_struct_end(w);            // ...closed
 *     pq_tw_struct_end(w);
 *
 * Errors (out of memory, nesting beyond PQ_TW_MAX_DEPTH) are sticky: check
 * pq_tw_ok once at the end.
 */
#ifndef NL_FORMATS_PARQUET_THRIFT_WRITE_H
#define NL_FORMATS_PARQUET_THRIFT_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/parquet/write_buf.h"

/* Compact protocol type codes (field types; list element types alike, except
 * that a bool element is PQ_TW_T_BOOL_FALSE). */
enum {
    PQ_TW_T_STOP = 0,
    PQ_TW_T_BOOL_TRUE = 1,
    PQ_TW_T_BOOL_FALSE = 2,
    PQ_TW_T_I8 = 3,
    PQ_TW_T_I16 = 4,
    PQ_TW_T_I32 = 5,
    PQ_TW_T_I64 = 6,
    PQ_TW_T_DOUBLE = 7,
    PQ_TW_T_BINARY = 8,
    PQ_TW_T_LIST = 9,
    PQ_TW_T_SET = 10,
    PQ_TW_T_MAP = 11,
    PQ_TW_T_STRUCT = 12
};

#define PQ_TW_MAX_DEPTH 32

typedef struct pq_tw {
    pq_buf *out;                          /* bytes are appended here (not owned) */
    int depth;                            /* open structs */
    int16_t last_id[PQ_TW_MAX_DEPTH + 1]; /* last field id per open struct */
    bool failed;                          /* nesting error (OOM is out->failed) */
} pq_tw;

void pq_tw_init(pq_tw *w, pq_buf *out);
bool pq_tw_ok(const pq_tw *w);

/* Opens a struct that is a top-level value or a list element. */
void pq_tw_struct_begin(pq_tw *w);
/* Writes the stop byte and closes the innermost struct. */
void pq_tw_struct_end(pq_tw *w);

/* Fields of the innermost open struct (ids strictly increasing). */
void pq_tw_field_bool(pq_tw *w, int16_t id, bool v);
void pq_tw_field_i8(pq_tw *w, int16_t id, int8_t v);
void pq_tw_field_i16(pq_tw *w, int16_t id, int16_t v);
void pq_tw_field_i32(pq_tw *w, int16_t id, int32_t v);
void pq_tw_field_i64(pq_tw *w, int16_t id, int64_t v);
void pq_tw_field_binary(pq_tw *w, int16_t id, const void *data, int64_t len);
void pq_tw_field_string(pq_tw *w, int16_t id, const char *s);
/* A struct-valued field: opens the struct (close with pq_tw_struct_end). */
void pq_tw_field_struct(pq_tw *w, int16_t id);
/* A field that is an empty struct (a union member with no payload, such as
 * LogicalType.STRING). */
void pq_tw_field_empty_struct(pq_tw *w, int16_t id);
/* A list-valued field: the header; then `count` elements follow, written with
 * the element writers below (or pq_tw_struct_begin/end for structs). */
void pq_tw_field_list(pq_tw *w, int16_t id, int elem_type, int64_t count);

/* List elements. */
void pq_tw_elem_bool(pq_tw *w, bool v);
void pq_tw_elem_i32(pq_tw *w, int32_t v);
void pq_tw_elem_i64(pq_tw *w, int64_t v);
void pq_tw_elem_binary(pq_tw *w, const void *data, int64_t len);

#endif
