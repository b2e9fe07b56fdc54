/*
 * cast.h -- converting arrays between types.
 *
 * Casts never wrap or guess: a value that does not fit (300 to INT8, 1e20 to
 * INT64, 12.345 to DECIMAL(4,2) losing digits is rounded half away from zero
 * as SQL does, but 123.4 to DECIMAL(3,2) overflows) or a string that does not
 * parse is an error naming the row and the value -- or, in TRY mode, a null.
 *
 * Supported: between all numeric types (integers, floats, decimals); numbers,
 * booleans, dates, times and timestamps to and from UTF8 (ISO 8601 text);
 * durations to UTF8 (Polars' display text); BINARY <-> UTF8 (checked UTF-8);
 * DATE32 <-> TIMESTAMP; TIMESTAMP unit changes; NULL to anything.
 */
#ifndef NL_COLUMNAR_CAST_H
#define NL_COLUMNAR_CAST_H

#include "columnar/array.h"

typedef enum nl_cast_mode {
    NL_CAST_STRICT = 0, /* failure is an error */
    NL_CAST_TRY         /* failure is a null */
} nl_cast_mode;

/* `to` is borrowed. */
nl_status nl_cast(const nl_array *in, nl_type *to, nl_cast_mode mode, nl_array **out,
                  nl_error *err);
bool nl_can_cast(const nl_type *from, const nl_type *to);

/* Parsing and formatting of single values, shared with CSV, JSON and SQL
 * literals. Parsers return false on bad text or overflow. */
bool nl_parse_int64(const char *s, size_t len, int64_t *out);
bool nl_parse_uint64(const char *s, size_t len, uint64_t *out);
bool nl_parse_double(const char *s, size_t len, double *out);
/* "12.34", "-0.5", "1e3" into an unscaled value at `scale`, rounding half away
 * from zero; false when it does not fit `precision` digits. */
bool nl_parse_decimal(const char *s, size_t len, int32_t precision, int32_t scale, __int128 *out);
/* "YYYY-MM-DD" to days since the epoch. */
bool nl_parse_date(const char *s, size_t len, int32_t *days);
/* "YYYY-MM-DD[ T]HH:MM:SS[.fff...][Z|+HH:MM]" to `unit` since the epoch (UTC). */
bool nl_parse_timestamp(const char *s, size_t len, nl_time_unit unit, int64_t *out);
bool nl_parse_bool(const char *s, size_t len, bool *out);
/* "HH:MM[:SS[.fff...]]" to `unit` since midnight. */
bool nl_parse_time_of_day(const char *s, size_t len, nl_time_unit unit, int64_t *out);

/* Formatting writes NUL-terminated text into buf and returns its length
 * (the full length, as snprintf does, when buf is too small). */
int nl_format_int64(int64_t v, char *buf, size_t size);
int nl_format_uint64(uint64_t v, char *buf, size_t size);
int nl_format_decimal(__int128 v, int32_t scale, char *buf, size_t size);
int nl_format_date(int32_t days, char *buf, size_t size);
/* "YYYY-MM-DD HH:MM:SS[.fraction]" with the fraction at the unit's digits,
 * trailing zero groups kept as Polars shows them. */
int nl_format_timestamp(int64_t v, nl_time_unit unit, char *buf, size_t size);
int nl_format_time(int64_t v, nl_time_unit unit, char *buf, size_t size);
/* A duration as Polars displays it: "2d 1h 2m 3s 4ms", "1500µs", "0ns". */
int nl_format_duration(int64_t v, nl_time_unit unit, char *buf, size_t size);
/* Shortest text that reads back as the same double, as Polars' cast to str
 * writes it: positional with ".0" for integral values when the decimal
 * exponent is small ("10.0", "0.1", "0.00001", "1000000000000000.0"), else
 * scientific with a signed exponent ("1e-6", "2.5e-7", "1e+20"); "NaN", "inf". */
int nl_format_double(double v, char *buf, size_t size);
int nl_format_float(float v, char *buf, size_t size);
/* A double as Polars' DataFrame display shows it (fewer digits, fixed width
 * habits): "10.0", "0.333333", "1.2346e8", "1.0000e20", "9.99999e5". */
int nl_format_double_table(double v, char *buf, size_t size);

/* Civil date helpers (proleptic Gregorian). */
int32_t nl_days_from_civil(int64_t y, unsigned m, unsigned d);
void nl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
