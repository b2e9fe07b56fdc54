/*
 * builder.h -- building arrays value by value.
 *
 * For readers that produce values one at a time (CSV, JSON, the TPC-H
 * generator, VALUES lists, tests). Hot decoders that know their sizes write
 * buffers directly and call nl_array_new instead.
 *
 * Appends never fail one by one: an allocation failure is remembered and
 * reported by nl_builder_finish, so a loop of appends needs no checks.
 *
 * Nested types: a LIST builder appends a list with nl_builder_list_begin, then
 * items through nl_builder_child(b, 0), then nl_builder_list_end. A STRUCT
 * builder appends each field to nl_builder_child(b, i), then
 * nl_builder_struct_append(b, valid) once per row.
 */
#ifndef NL_COLUMNAR_BUILDER_H
#define NL_COLUMNAR_BUILDER_H

#include "columnar/array.h"

typedef struct nl_builder nl_builder;

/* type is borrowed (the builder takes its own reference). capacity is a hint. */
nl_builder *nl_builder_new(nl_type *type, int64_t capacity);
void nl_builder_free(nl_builder *b);

int64_t nl_builder_length(const nl_builder *b);
const nl_type *nl_builder_type(const nl_builder *b);

void nl_builder_append_null(nl_builder *b);
void nl_builder_append_nulls(nl_builder *b, int64_t n);
void nl_builder_append_bool(nl_builder *b, bool v);
/* Any signed integer type, DATE32, TIME64, TIMESTAMP, DURATION (the value is
 * stored at the type's width; the caller ensures it fits). */
void nl_builder_append_int(nl_builder *b, int64_t v);
/* Any unsigned integer type. */
void nl_builder_append_uint(nl_builder *b, uint64_t v);
/* FLOAT32 or FLOAT64. */
void nl_builder_append_double(nl_builder *b, double v);
/* DECIMAL128: the unscaled value. */
void nl_builder_append_decimal(nl_builder *b, __int128 v);
/* UTF8 or BINARY. */
void nl_builder_append_string(nl_builder *b, const char *s, int64_t len);
/* Appends element i of `src` (same type), nulls included. */
void nl_builder_append_from(nl_builder *b, const nl_array *src, int64_t i);

nl_builder *nl_builder_child(nl_builder *b, int32_t i);
void nl_builder_list_begin(nl_builder *b);
void nl_builder_list_end(nl_builder *b);
void nl_builder_struct_append(nl_builder *b, bool valid);

/* Produces the array and resets the builder for reuse. */
nl_status nl_builder_finish(nl_builder *b, nl_array **out, nl_error *err);

#endif
