/*
 * scalar.h -- a single typed value: SQL literals, filter operands, statistics
 * (min/max of a Parquet column chunk), partition values.
 */
#ifndef NL_COLUMNAR_SCALAR_H
#define NL_COLUMNAR_SCALAR_H

#include "columnar/array.h"

typedef struct nl_scalar {
    nl_type *type; /* one reference; NULL only for the zero-initialised "no value" */
    bool is_null;
    union {
        bool b;
        int64_t i;   /* signed integers, DATE32, TIME64, TIMESTAMP, DURATION */
        uint64_t u;  /* unsigned integers */
        double d;    /* FLOAT32, FLOAT64 */
        __int128 dec; /* DECIMAL128, unscaled */
        struct {
            char *ptr; /* owned, NUL-terminated for convenience */
            int64_t len;
        } str;       /* UTF8, BINARY */
        nl_array *list; /* LIST: the items (one reference) */
    } v;
} nl_scalar;

/* Constructors: the scalar owns what they give it; clear with nl_scalar_clear. */
nl_scalar nl_scalar_null(nl_type *type /* borrowed */);
nl_scalar nl_scalar_bool(bool v);
nl_scalar nl_scalar_int64(int64_t v);
nl_scalar nl_scalar_double(double v);
nl_scalar nl_scalar_string(const char *s, int64_t len); /* copies; type UTF8 */
nl_scalar nl_scalar_decimal(__int128 unscaled, int32_t precision, int32_t scale);
nl_scalar nl_scalar_date(int32_t days);
nl_scalar nl_scalar_timestamp(int64_t v, nl_time_unit unit, const char *tz);
/* Any type with a fixed-width payload: int / uint / double / dec / bool by id. */
nl_scalar nl_scalar_of(nl_type *type /* borrowed */, int64_t i);

nl_scalar nl_scalar_copy(const nl_scalar *s);
void nl_scalar_clear(nl_scalar *s);

/* Element i of an array as a scalar (copies strings). */
nl_status nl_scalar_from_array(const nl_array *a, int64_t i, nl_scalar *out, nl_error *err);

/* Three-way comparison of two non-null scalars of comparable types (numbers of
 * any kind with each other, strings, dates and timestamps, booleans). Sets
 * *ok false when the types cannot be compared. */
int nl_scalar_compare(const nl_scalar *a, const nl_scalar *b, bool *ok);

/* Text of the value as SQL would print it ('text' quoted when `quote`). */
int nl_scalar_format(const nl_scalar *s, bool quote, char *buf, size_t size);

#endif
