/*
 * array.h -- columns in Arrow layout, and record batches.
 *
 * An nl_array is immutable and reference-counted; slicing is zero-copy (it
 * shares the buffers and moves `offset`). The element at logical index i lives
 * at physical index offset + i in every buffer, as in Arrow.
 *
 *   validity  bit-packed, 1 = valid; NULL means every value is valid
 *   values    fixed-width values, or the int32 offsets of UTF8/BINARY/LIST
 *   data      the bytes of UTF8/BINARY
 *   children  LIST: the item array; STRUCT: one per field
 *
 * The inline accessors below are for hot loops: they do no checking.
 */
#ifndef NL_COLUMNAR_ARRAY_H
#define NL_COLUMNAR_ARRAY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/buffer.h"
#include "columnar/type.h"

typedef struct nl_array nl_array;

struct nl_array {
    atomic_int_fast64_t refcount;
    nl_type *type;       /* one reference */
    int64_t length;
    int64_t offset;
    int64_t null_count;  /* exact; nl_array_new computes it when given -1 */
    nl_buffer *validity; /* may be NULL */
    nl_buffer *values;
    nl_buffer *data;
    int32_t n_children;
    nl_array **children; /* each one reference */
};

/* Assembles an array from buffers; takes ownership of the type reference, of
 * each buffer reference and of each child reference (the children array itself
 * is copied). null_count -1 means "count it". Checks that the buffers are big
 * enough for offset + length (and that offsets are in range for UTF8/BINARY/
 * LIST), so arrays built from untrusted input are safe to read. On failure
 * everything passed in is released. */
nl_status nl_array_new(nl_type *type, int64_t length, int64_t offset, int64_t null_count,
                       nl_buffer *validity, nl_buffer *values, nl_buffer *data,
                       nl_array **children, int32_t n_children, nl_array **out, nl_error *err);

/* An array of `length` nulls of any type (validity all zero, zeroed values,
 * offsets all zero, children of length 0 or `length` as the layout needs). */
nl_status nl_array_new_nulls(nl_type *type /* borrowed */, int64_t length, nl_array **out,
                             nl_error *err);

nl_array *nl_array_ref(nl_array *array);
void nl_array_unref(nl_array *array);

/* Zero-copy view of [offset, offset + length); NULL on OOM. Range must be
 * within the array. */
nl_array *nl_array_slice(nl_array *array, int64_t offset, int64_t length);

/* Concatenates arrays of one type into a new array (copies). */
nl_status nl_array_concat(nl_array *const *arrays, int32_t n, nl_array **out, nl_error *err);

/* Gathers rows by index into a new array; an index of -1 yields a null. */
nl_status nl_array_take(const nl_array *array, const int64_t *indices, int64_t n,
                        nl_array **out, nl_error *err);

/* Deep equality of values and validity (not of layout): for tests. */
bool nl_array_equals(const nl_array *a, const nl_array *b);

/* ---- inline access ---- */

static inline bool nl_bit_get(const uint8_t *bits, int64_t i) {
    return (bits[i >> 3] >> (i & 7)) & 1;
}
static inline void nl_bit_set(uint8_t *bits, int64_t i) {
    bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}
static inline void nl_bit_clear(uint8_t *bits, int64_t i) {
    bits[i >> 3] &= (uint8_t)~(1u << (i & 7));
}
static inline void nl_bit_put(uint8_t *bits, int64_t i, bool v) {
    if (v) nl_bit_set(bits, i); else nl_bit_clear(bits, i);
}

static inline bool nl_array_is_valid(const nl_array *a, int64_t i) {
    return a->validity == NULL || nl_bit_get(a->validity->data, a->offset + i);
}
static inline bool nl_array_is_null(const nl_array *a, int64_t i) {
    return a->type->id == NL_TYPE_NULL || !nl_array_is_valid(a, i);
}

/* Pointer to the first logical value of a fixed-width array, as T. */
#define NL_ARRAY_VALUES(a, T) (((const T *)(a)->values->data) + (a)->offset)

static inline bool nl_array_bool(const nl_array *a, int64_t i) {
    return nl_bit_get(a->values->data, a->offset + i);
}

/* UTF8/BINARY value i: pointer and length (not NUL-terminated). */
static inline const char *nl_array_str(const nl_array *a, int64_t i, int32_t *len) {
    const int32_t *offs = (const int32_t *)a->values->data + a->offset;
    *len = offs[i + 1] - offs[i];
    return (const char *)a->data->data + offs[i];
}

/* LIST value i: the range [*start, *end) of the child array. */
static inline void nl_array_list_range(const nl_array *a, int64_t i, int64_t *start, int64_t *end) {
    const int32_t *offs = (const int32_t *)a->values->data + a->offset;
    *start = offs[i];
    *end = offs[i + 1];
}

static inline __int128 nl_array_decimal(const nl_array *a, int64_t i) {
    __int128 v;
    memcpy(&v, a->values->data + (a->offset + i) * 16, 16);
    return v;
}

/* ---- record batches ---- */

/* A set of equal-length columns with a schema. Immutable, reference-counted. */
typedef struct nl_batch {
    atomic_int_fast64_t refcount;
    nl_schema *schema;   /* one reference */
    int64_t num_rows;
    int32_t n_columns;
    nl_array **columns;  /* each one reference */
} nl_batch;

/* Takes ownership of the schema reference and of every column reference (the
 * columns array itself is copied). Checks lengths and types against the schema;
 * on failure releases what it was given. */
nl_status nl_batch_new(nl_schema *schema, nl_array **columns, int64_t num_rows, nl_batch **out,
                       nl_error *err);
nl_batch *nl_batch_ref(nl_batch *batch);
void nl_batch_unref(nl_batch *batch);
/* Zero-copy row slice; NULL on OOM. */
nl_batch *nl_batch_slice(nl_batch *batch, int64_t offset, int64_t length);

/* ---- tables: a schema and a list of batches (a materialised result) ---- */

typedef struct nl_table {
    nl_schema *schema;
    int64_t num_rows;
    int64_t n_batches;
    int64_t cap_batches;
    nl_batch **batches;
} nl_table;

/* Takes ownership of the schema reference. NULL on OOM. */
nl_table *nl_table_new(nl_schema *schema);
/* Appends a reference to `batch` (the caller keeps its own). */
nl_status nl_table_append(nl_table *table, nl_batch *batch, nl_error *err);
void nl_table_free(nl_table *table);
/* The batch and row within it of global row `row`. */
void nl_table_locate(const nl_table *table, int64_t row, int64_t *batch, int64_t *row_in_batch);

#endif
