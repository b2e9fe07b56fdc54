/*
 * type.h -- data types, fields and schemas.
 *
 * A type is an immutable, reference-counted object. The parameterless types are
 * static singletons (nl_type_get(NL_INT64)) whose ref/unref do nothing, so the
 * common case allocates nothing. Parameterised types (decimal, timestamp, list,
 * struct ...) are built by their constructors and freed with the last unref.
 *
 * Physical layout of each type follows Arrow (docs/ARCHITECTURE.md, decision 1):
 *   NULL        no buffers
 *   BOOL        bit-packed values
 *   INT*, UINT*, FLOAT*   fixed width, native little-endian
 *   DECIMAL128  16-byte little-endian two's complement (__int128), scaled by 10^scale
 *   UTF8/BINARY int32 offsets (length + 1) and a data buffer
 *   DATE32      int32 days since 1970-01-01
 *   TIME64      int64 in `unit` since midnight (MICRO or NANO)
 *   TIMESTAMP   int64 in `unit` since the epoch; `timezone` NULL = naive
 *   DURATION    int64 in `unit`
 *   LIST        int32 offsets (length + 1) and one child array
 *   STRUCT      no buffers but validity, one child per field
 */
#ifndef NL_COLUMNAR_TYPE_H
#define NL_COLUMNAR_TYPE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "neuralake.h"

typedef enum nl_type_id {
    NL_TYPE_NULL = 0,
    NL_TYPE_BOOL,
    NL_TYPE_INT8,
    NL_TYPE_INT16,
    NL_TYPE_INT32,
    NL_TYPE_INT64,
    NL_TYPE_UINT8,
    NL_TYPE_UINT16,
    NL_TYPE_UINT32,
    NL_TYPE_UINT64,
    NL_TYPE_FLOAT32,
    NL_TYPE_FLOAT64,
    NL_TYPE_DECIMAL128,
    NL_TYPE_UTF8,
    NL_TYPE_BINARY,
    NL_TYPE_DATE32,
    NL_TYPE_TIME64,
    NL_TYPE_TIMESTAMP,
    NL_TYPE_DURATION,
    NL_TYPE_LIST,
    NL_TYPE_STRUCT,
    NL_TYPE_COUNT_ /* number of type ids, not a type */
} nl_type_id;

typedef enum nl_time_unit {
    NL_UNIT_SECOND = 0,
    NL_UNIT_MILLI,
    NL_UNIT_MICRO,
    NL_UNIT_NANO
} nl_time_unit;

typedef struct nl_type nl_type;

/* A named, typed slot: a column of a schema, a field of a struct, the item of a
 * list. Owns its name and one reference to its type. */
typedef struct nl_field {
    char *name;
    nl_type *type;
    bool nullable;
} nl_field;

struct nl_type {
    atomic_int_fast64_t refcount; /* < 0 for static singletons */
    nl_type_id id;
    int32_t precision;     /* DECIMAL128: 1..38 */
    int32_t scale;         /* DECIMAL128: 0..precision */
    nl_time_unit unit;     /* TIME64, TIMESTAMP, DURATION */
    char *timezone;        /* TIMESTAMP: NULL when naive, else "UTC", "Europe/Paris" ... */
    int32_t n_children;    /* LIST: 1, STRUCT: number of fields */
    nl_field *children;
};

/* The singleton for a parameterless id (NULL, BOOL, integers, floats, UTF8,
 * BINARY, DATE32). Returns NULL for ids that need parameters. */
nl_type *nl_type_get(nl_type_id id);

/* Constructors return a new reference, or NULL on OOM or bad parameters. */
nl_type *nl_type_decimal(int32_t precision, int32_t scale);
nl_type *nl_type_time64(nl_time_unit unit);
nl_type *nl_type_timestamp(nl_time_unit unit, const char *timezone /* may be NULL */);
nl_type *nl_type_duration(nl_time_unit unit);
/* list<item>; takes ownership of `item` (a reference). */
nl_type *nl_type_list(nl_type *item, bool item_nullable);
/* struct<fields>; copies the names and takes ownership of each field's type. */
nl_type *nl_type_struct(const nl_field *fields, int32_t n_fields);

nl_type *nl_type_ref(nl_type *type);
void nl_type_unref(nl_type *type);

bool nl_type_equals(const nl_type *a, const nl_type *b);

/* Bytes per value for fixed-width types (BOOL counts as 0: bit-packed); -1
 * for variable-width and nested types. */
int nl_type_byte_width(nl_type_id id);
bool nl_type_is_integer(nl_type_id id);
bool nl_type_is_signed_integer(nl_type_id id);
bool nl_type_is_unsigned_integer(nl_type_id id);
bool nl_type_is_floating(nl_type_id id);
bool nl_type_is_numeric(nl_type_id id); /* integers, floats, decimal */
bool nl_type_is_string_like(nl_type_id id); /* UTF8, BINARY */
bool nl_type_is_nested(nl_type_id id);

/* SQL-ish name of the type for messages and DESCRIBE: "BIGINT",
 * "DECIMAL(15,2)", "TIMESTAMP(us, UTC)", "LIST<BIGINT>". Writes into buf. */
const char *nl_type_name(const nl_type *type, char *buf, size_t bufsize);
/* Polars' dtype name, as the table printer shows it: "i64", "u32", "f64",
 * "str", "bool", "date", "datetime[μs]", "datetime[μs, UTC]",
 * "decimal[15,2]", "list[i64]", "struct[2]", "binary", "time", "duration[ms]". */
const char *nl_type_polars_name(const nl_type *type, char *buf, size_t bufsize);
/* "s", "ms", "us", "ns" */
const char *nl_time_unit_name(nl_time_unit unit);

/* Fields: copy owns a new name and a new type reference. */
nl_status nl_field_init(nl_field *field, const char *name, nl_type *type /* takes ownership */,
                        bool nullable, nl_error *err);
nl_status nl_field_copy(nl_field *dst, const nl_field *src, nl_error *err);
void nl_field_clear(nl_field *field);

/* A schema: an ordered list of fields, immutable and reference-counted. */
typedef struct nl_schema {
    atomic_int_fast64_t refcount;
    int32_t n_fields;
    nl_field *fields;
} nl_schema;

/* Copies the field names and takes ownership of each field's type. */
nl_schema *nl_schema_new(const nl_field *fields, int32_t n_fields);
nl_schema *nl_schema_ref(nl_schema *schema);
void nl_schema_unref(nl_schema *schema);
/* Index of the field named `name` (exact match), or -1. */
int32_t nl_schema_find(const nl_schema *schema, const char *name);
/* Case-insensitive variant, as SQL identifiers are matched; -1 when absent,
 * -2 when ambiguous. */
int32_t nl_schema_find_ci(const nl_schema *schema, const char *name);
bool nl_schema_equals(const nl_schema *a, const nl_schema *b);

#endif
