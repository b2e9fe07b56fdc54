/*
 * functions.h -- the one registry of scalar functions: names, argument and
 * result types (used by the binder), and vectorized kernels (used by the
 * evaluator). Aggregates are named here too; their state machines live in the
 * hash aggregation operator (exec/op_agg.c).
 */
#ifndef NL_FUNCTIONS_FUNCTIONS_H
#define NL_FUNCTIONS_FUNCTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "columnar/array.h"
#include "plan/plan.h"

typedef enum fn_id {
    FN_LENGTH = 0,
    FN_LOWER,
    FN_UPPER,
    FN_SUBSTRING,
    FN_TRIM,
    FN_LTRIM,
    FN_RTRIM,
    FN_CONCAT,
    FN_REPLACE,
    FN_STARTS_WITH,
    FN_ENDS_WITH,
    FN_CONTAINS,
    FN_SPLIT_PART,
    FN_POSITION,
    FN_STRPOS,
    FN_LEFT,
    FN_RIGHT,
    FN_REVERSE,
    FN_REPEAT,
    FN_LPAD,
    FN_RPAD,
    FN_REGEXP_MATCHES,
    FN_REGEXP_REPLACE,
    FN_REGEXP_EXTRACT,
    FN_ABS,
    FN_ROUND,
    FN_FLOOR,
    FN_CEIL,
    FN_POWER,
    FN_SQRT,
    FN_LN,
    FN_LOG10,
    FN_LOG2,
    FN_EXP,
    FN_SIGN,
    FN_DATE_PART,  /* (part text literal, date or timestamp) -> BIGINT */
    FN_DATE_TRUNC, /* (part text literal, date or timestamp) -> same type */
    FN_DATE_ADD_DAYS, /* (date, BIGINT days) -> DATE (date + int, date + interval days) */
    FN_DATE_ADD_MONTHS, /* (date, BIGINT months) -> DATE */
    FN_DATE_DIFF_DAYS, /* (date, date) -> BIGINT */
    FN_CURRENT_DATE,
    FN_GREATEST,
    FN_LEAST,
    FN_HASH,
    FN_STRLEN,     /* bytes, as DuckDB's strlen / octet_length */
    FN_ASCII,
    FN_CHR,
    FN_MD5,
    FN_CONCAT_WS,
    FN_NOW,        /* current timestamp; folded to a literal by the binder */
    FN_TRUNC,
    FN_CBRT,
    FN_PI,
    FN_LOG,        /* log(x) = log10, log(b, x) */
    FN_RANDOM,
    FN_MAKE_DATE,
    FN_STRFTIME,
    FN_STRPTIME,
    FN_EPOCH,      /* epoch(date or timestamp) -> seconds (DOUBLE) */
    FN_ISNAN,
    FN_ISINF,
    FN_TS_ADD,     /* (timestamp, BIGINT months, BIGINT microseconds) -> timestamp */
    FN_ORDER_PACK, /* (value, (flags, key)*) -> a value with its sort key, for ordered
                      string_agg: [u32 key length][key bytes][value]; flags 1 desc,
                      2 nulls first. Key bytes compare with memcmp in the wanted order. */
    FN_COUNT_
} fn_id;

/* A kernel argument: an array of the batch's length, or one value (length 1)
 * broadcast to every row. */
typedef struct fn_arg {
    nl_array *arr;
    bool scalar;
} fn_arg;

/* Writes s (UTF-8, len bytes) in lower or upper case to out, which must hold
 * 2 * len + 4 bytes; returns the bytes written. Code points map one to one
 * (utf8proc's simple case mapping); invalid bytes are copied as they are. */
int32_t fn_utf8_case(const char *s, int32_t len, bool upper, char *out);

/* Splits a FN_ORDER_PACK value into its key and its value. */
static inline void fn_order_unpack(const char *s, int32_t len, const char **key, int32_t *klen,
                                   const char **val, int32_t *vlen) {
    uint32_t k = 0;
    if (len >= 4) memcpy(&k, s, 4);
    if ((int64_t)k > (int64_t)len - 4) k = len >= 4 ? (uint32_t)(len - 4) : 0;
    *key = s + 4;
    *klen = (int32_t)k;
    *val = s + 4 + k;
    *vlen = len - 4 - (int32_t)k;
}

/* -1 when `name` is no scalar function. */
int fn_lookup(const char *name);
const char *fn_name(int fn);

/* Aggregate names: count, sum, avg, min, max, ... true when `name` is one. */
bool fn_agg_lookup(const char *name, pl_agg_fn *out);

/* Decides a call's result type and the type each argument must be cast to
 * (want[i] NULL: as it is). Errors name the function and the bad argument. */
nl_status fn_bind(pl_ctx *ctx, int fn, pl_expr **args, int32_t n, nl_type **want,
                  nl_type **ret, nl_error *err);

/* Evaluates fn over `rows` rows; *out is a new array (scalar when every
 * argument is). */
nl_status fn_eval(int fn, const fn_arg *args, int32_t n, int64_t rows, nl_type *ret, fn_arg *out,
                  nl_error *err);

#endif
