/*
 * thrift.h -- a decoder for the Thrift compact protocol, the encoding of every
 * Parquet footer, page header and page index.
 *
 * It reads from untrusted bytes: every length and count is checked against the
 * bytes left, nesting is limited to PQ_THRIFT_MAX_DEPTH, and the first error
 * sticks (later reads return zeros), so a decoder can read a whole struct and
 * check `failed` once at the end. Binary values point into the input.
 */
#ifndef NL_FORMATS_PARQUET_THRIFT_H
#define NL_FORMATS_PARQUET_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The compact protocol's type codes. */
enum {
    PQ_CT_STOP = 0,
    PQ_CT_BOOL_TRUE = 1,
    PQ_CT_BOOL_FALSE = 2,
    PQ_CT_BYTE = 3,
    PQ_CT_I16 = 4,
    PQ_CT_I32 = 5,
    PQ_CT_I64 = 6,
    PQ_CT_DOUBLE = 7,
    PQ_CT_BINARY = 8,
    PQ_CT_LIST = 9,
    PQ_CT_SET = 10,
    PQ_CT_MAP = 11,
    PQ_CT_STRUCT = 12,
    PQ_CT_UUID = 13
};

#define PQ_THRIFT_MAX_DEPTH 64

typedef struct pq_thrift {
    const uint8_t *start;
    const uint8_t *p;
    const uint8_t *end;
    int depth;
    bool failed;
    const char *why; /* what failed, for the error message (static text) */
} pq_thrift;

/* The state of one struct being read: the last field id, for delta ids. */
typedef struct pq_tstruct {
    int16_t last_id;
    uint8_t bool_value; /* a BOOL field carries its value in its type */
} pq_tstruct;

void pq_thrift_init(pq_thrift *t, const void *data, size_t len);
/* Bytes consumed so far. */
static inline size_t pq_thrift_pos(const pq_thrift *t) { return (size_t)(t->p - t->start); }
/* Marks failure with a reason (keeps the first). */
void pq_thrift_fail(pq_thrift *t, const char *why);

/* Struct framing: begin (depth check), then pq_thrift_field until it returns
 * false (STOP or failure), then end. */
void pq_thrift_struct_begin(pq_thrift *t, pq_tstruct *s);
bool pq_thrift_field(pq_thrift *t, pq_tstruct *s, int16_t *id, uint8_t *type);
void pq_thrift_struct_end(pq_thrift *t);

/* Values. A field's value is read with the reader of its type; a type
 * mismatch should be skipped with pq_thrift_skip (readers check with
 * pq_thrift_expect). */
bool pq_thrift_expect(pq_thrift *t, uint8_t type, uint8_t want);
/* The value of a BOOL field (its type code) or a bool list element. */
bool pq_thrift_bool(pq_thrift *t, pq_tstruct *s, uint8_t type);
int8_t pq_thrift_byte(pq_thrift *t);
int32_t pq_thrift_i32(pq_thrift *t); /* also reads I16 */
int64_t pq_thrift_i64(pq_thrift *t);
double pq_thrift_double(pq_thrift *t);
/* BINARY/STRING: pointer into the input and its length. */
const uint8_t *pq_thrift_binary(pq_thrift *t, int32_t *len);
/* LIST/SET header: element type and count (count checked against the bytes
 * left, at least one byte per element unless BOOL). */
int32_t pq_thrift_list(pq_thrift *t, uint8_t *elem_type);
/* Skips a value of any type (depth-limited). */
void pq_thrift_skip(pq_thrift *t, uint8_t type);

/* Reads an i32 field value that must be in [lo, hi]; fails otherwise. */
int32_t pq_thrift_i32_in(pq_thrift *t, int32_t lo, int32_t hi, const char *what);

#endif
