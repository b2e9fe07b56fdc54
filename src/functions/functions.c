/*
 * functions.c -- the scalar function registry: names and arity, type rules
 * (fn_bind) and kernels (fn_eval). String functions count characters, not
 * bytes (UTF-8); date parts follow the proleptic Gregorian calendar.
 */
#include "functions/functions.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <openssl/evp.h>
#include <utf8proc.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "columnar/cast.h"
#include "exec/eval.h"

typedef struct fn_def {
    const char *name;
    int8_t min_args, max_args;
} fn_def;

static const fn_def FNS[FN_COUNT_] = {
    [FN_LENGTH] = {"length", 1, 1},
    [FN_LOWER] = {"lower", 1, 1},
    [FN_UPPER] = {"upper", 1, 1},
    [FN_SUBSTRING] = {"substring", 2, 3},
    [FN_TRIM] = {"trim", 1, 2},
    [FN_LTRIM] = {"ltrim", 1, 2},
    [FN_RTRIM] = {"rtrim", 1, 2},
    [FN_CONCAT] = {"concat", 1, 64},
    [FN_REPLACE] = {"replace", 3, 3},
    [FN_STARTS_WITH] = {"starts_with", 2, 2},
    [FN_ENDS_WITH] = {"ends_with", 2, 2},
    [FN_CONTAINS] = {"contains", 2, 2},
    [FN_SPLIT_PART] = {"split_part", 3, 3},
    [FN_POSITION] = {"position", 2, 2},
    [FN_STRPOS] = {"strpos", 2, 2},
    [FN_LEFT] = {"left", 2, 2},
    [FN_RIGHT] = {"right", 2, 2},
    [FN_REVERSE] = {"reverse", 1, 1},
    [FN_REPEAT] = {"repeat", 2, 2},
    [FN_LPAD] = {"lpad", 2, 3},
    [FN_RPAD] = {"rpad", 2, 3},
    [FN_REGEXP_MATCHES] = {"regexp_matches", 2, 3},
    [FN_REGEXP_REPLACE] = {"regexp_replace", 3, 4},
    [FN_REGEXP_EXTRACT] = {"regexp_extract", 2, 3},
    [FN_ABS] = {"abs", 1, 1},
    [FN_ROUND] = {"round", 1, 2},
    [FN_FLOOR] = {"floor", 1, 1},
    [FN_CEIL] = {"ceil", 1, 1},
    [FN_POWER] = {"power", 2, 2},
    [FN_SQRT] = {"sqrt", 1, 1},
    [FN_LN] = {"ln", 1, 1},
    [FN_LOG10] = {"log10", 1, 1},
    [FN_LOG2] = {"log2", 1, 1},
    [FN_EXP] = {"exp", 1, 1},
    [FN_SIGN] = {"sign", 1, 1},
    [FN_DATE_PART] = {"date_part", 2, 2},
    [FN_DATE_TRUNC] = {"date_trunc", 2, 2},
    [FN_DATE_ADD_DAYS] = {"date_add_days", 2, 2},
    [FN_DATE_ADD_MONTHS] = {"date_add_months", 2, 2},
    [FN_DATE_DIFF_DAYS] = {"date_diff_days", 2, 2},
    [FN_CURRENT_DATE] = {"current_date", 0, 0},
    [FN_GREATEST] = {"greatest", 1, 64},
    [FN_LEAST] = {"least", 1, 64},
    [FN_HASH] = {"hash", 1, 1},
    [FN_STRLEN] = {"strlen", 1, 1},
    [FN_ASCII] = {"ascii", 1, 1},
    [FN_CHR] = {"chr", 1, 1},
    [FN_MD5] = {"md5", 1, 1},
    [FN_CONCAT_WS] = {"concat_ws", 2, 64},
    [FN_NOW] = {"now", 0, 0},
    [FN_TRUNC] = {"trunc", 1, 2},
    [FN_CBRT] = {"cbrt", 1, 1},
    [FN_PI] = {"pi", 0, 0},
    [FN_LOG] = {"log", 1, 2},
    [FN_RANDOM] = {"random", 0, 0},
    [FN_MAKE_DATE] = {"make_date", 3, 3},
    [FN_STRFTIME] = {"strftime", 2, 2},
    [FN_STRPTIME] = {"strptime", 2, 2},
    [FN_EPOCH] = {"epoch", 1, 1},
    [FN_ISNAN] = {"isnan", 1, 1},
    [FN_ISINF] = {"isinf", 1, 1},
    [FN_TS_ADD] = {"ts_add", 3, 3},
    [FN_ORDER_PACK] = {"order_pack", 3, 63},
};

static const struct {
    const char *alias;
    int fn;
} ALIASES[] = {{"char_length", FN_LENGTH}, {"character_length", FN_LENGTH}, {"octet_length", FN_STRLEN},
               {"lcase", FN_LOWER},        {"ucase", FN_UPPER},             {"substr", FN_SUBSTRING},
               {"ceiling", FN_CEIL},       {"pow", FN_POWER},
               {"prefix", FN_STARTS_WITH}, {"suffix", FN_ENDS_WITH},        {"datepart", FN_DATE_PART},
               {"instr", FN_STRPOS},       {"regexp_like", FN_REGEXP_MATCHES},
               {"today", FN_CURRENT_DATE}, {"current_timestamp", FN_NOW},
               {"localtimestamp", FN_NOW}, {"get_current_timestamp", FN_NOW},
               {"len", FN_LENGTH}, {"ord", FN_ASCII}, {"truncate", FN_TRUNC}};

int32_t fn_utf8_case(const char *s, int32_t len, bool upper, char *out) {
    int32_t o = 0;
    for (int32_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)(upper ? toupper(c) : tolower(c));
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, len - i, &cp);
        if (k <= 0) {
            out[o++] = s[i++];
            continue;
        }
        cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
        o += (int32_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
        i += (int32_t)k;
    }
    return o;
}

int fn_lookup(const char *name) {
    for (int i = 0; i < FN_COUNT_; i++)
        if (FNS[i].name && strcasecmp(FNS[i].name, name) == 0) return i;
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strcasecmp(ALIASES[i].alias, name) == 0) return ALIASES[i].fn;
    return -1;
}

const char *fn_name(int fn) { return fn >= 0 && fn < FN_COUNT_ ? FNS[fn].name : "?"; }

bool fn_agg_lookup(const char *name, pl_agg_fn *out) {
    static const struct {
        const char *n;
        pl_agg_fn f;
    } A[] = {{"count", PL_AGG_COUNT},        {"sum", PL_AGG_SUM},
             {"avg", PL_AGG_AVG},            {"mean", PL_AGG_AVG},
             {"min", PL_AGG_MIN},            {"max", PL_AGG_MAX},
             {"bool_and", PL_AGG_BOOL_AND},  {"bool_or", PL_AGG_BOOL_OR},
             {"every", PL_AGG_BOOL_AND},     {"stddev", PL_AGG_STDDEV_SAMP},
             {"stddev_samp", PL_AGG_STDDEV_SAMP}, {"stddev_pop", PL_AGG_STDDEV_POP},
             {"variance", PL_AGG_VAR_SAMP},  {"var_samp", PL_AGG_VAR_SAMP},
             {"var_pop", PL_AGG_VAR_POP},    {"string_agg", PL_AGG_STRING_AGG},
             {"group_concat", PL_AGG_STRING_AGG}, {"listagg", PL_AGG_STRING_AGG},
             {"any_value", PL_AGG_ANY_VALUE}, {"first", PL_AGG_ANY_VALUE},
             {"arbitrary", PL_AGG_ANY_VALUE}};
    for (size_t i = 0; i < sizeof A / sizeof A[0]; i++)
        if (strcasecmp(A[i].n, name) == 0) {
            *out = A[i].f;
            return true;
        }
    return false;
}

/* ---- binding ---- */

static bool is_str(const nl_type *t) { return t->id == NL_TYPE_UTF8 || t->id == NL_TYPE_NULL; }
static bool is_num(const nl_type *t) { return nl_type_is_numeric(t->id) || t->id == NL_TYPE_NULL; }

nl_status fn_bind(pl_ctx *ctx, int fn, pl_expr **args, int32_t n, nl_type **want, nl_type **ret,
                  nl_error *err) {
    const fn_def *d = &FNS[fn];
    if (n < d->min_args || n > d->max_args) {
        if (d->min_args == d->max_args)
            return nl_error_set(err, NL_ESQL, "%s() takes %d argument%s, not %d", d->name,
                                d->min_args, d->min_args == 1 ? "" : "s", n);
        return nl_error_set(err, NL_ESQL, "%s() takes %d to %d arguments, not %d", d->name,
                            d->min_args, d->max_args, n);
    }
    nl_type *UTF8 = nl_type_get(NL_TYPE_UTF8), *I64 = nl_type_get(NL_TYPE_INT64),
            *F64 = nl_type_get(NL_TYPE_FLOAT64), *BOOL = nl_type_get(NL_TYPE_BOOL),
            *DATE = nl_type_get(NL_TYPE_DATE32);
    for (int32_t i = 0; i < n; i++) want[i] = NULL;
    char buf[64];
#define NEED_STR(i)                                                                                \
    do {                                                                                           \
        if (!is_str(args[i]->type)) {                                                              \
            if (args[i]->type->id == NL_TYPE_BINARY || nl_type_is_nested(args[i]->type->id))       \
                return nl_error_set(err, NL_ETYPE, "%s(): argument %d must be text, not %s",       \
                                    d->name, (i) + 1, nl_type_name(args[i]->type, buf, sizeof buf)); \
            want[i] = UTF8;                                                                        \
        }                                                                                          \
    } while (0)
#define NEED_INT(i)                                                                                \
    do {                                                                                           \
        if (args[i]->type->id != NL_TYPE_INT64) {                                                  \
            if (!is_num(args[i]->type))                                                            \
                return nl_error_set(err, NL_ETYPE, "%s(): argument %d must be an integer, not %s", \
                                    d->name, (i) + 1, nl_type_name(args[i]->type, buf, sizeof buf)); \
            want[i] = I64;                                                                         \
        }                                                                                          \
    } while (0)
#define NEED_NUM(i)                                                                                \
    do {                                                                                           \
        if (!is_num(args[i]->type))                                                                \
            return nl_error_set(err, NL_ETYPE, "%s(): argument %d must be a number, not %s",       \
                                d->name, (i) + 1, nl_type_name(args[i]->type, buf, sizeof buf));   \
    } while (0)
    switch (fn) {
    case FN_LENGTH:
    case FN_STRLEN:
        NEED_STR(0);
        *ret = I64;
        break;
    case FN_ASCII:
        NEED_STR(0);
        *ret = nl_type_get(NL_TYPE_INT32);
        break;
    case FN_CHR:
        NEED_INT(0);
        *ret = UTF8;
        break;
    case FN_MD5:
        NEED_STR(0);
        *ret = UTF8;
        break;
    case FN_CONCAT_WS:
        for (int32_t i = 0; i < n; i++)
            if (!is_str(args[i]->type)) want[i] = UTF8;
        *ret = UTF8;
        break;
    case FN_NOW: *ret = pl_keep_type(ctx, nl_type_timestamp(NL_UNIT_MICRO, NULL)); break;
    case FN_LOWER:
    case FN_UPPER:
    case FN_REVERSE:
        NEED_STR(0);
        *ret = UTF8;
        break;
    case FN_TRIM:
    case FN_LTRIM:
    case FN_RTRIM:
        for (int32_t i = 0; i < n; i++) NEED_STR(i);
        *ret = UTF8;
        break;
    case FN_SUBSTRING:
        NEED_STR(0);
        for (int32_t i = 1; i < n; i++) NEED_INT(i);
        *ret = UTF8;
        break;
    case FN_CONCAT:
        for (int32_t i = 0; i < n; i++)
            if (!is_str(args[i]->type)) want[i] = UTF8;
        *ret = UTF8;
        break;
    case FN_REPLACE:
    case FN_REGEXP_REPLACE:
        for (int32_t i = 0; i < n; i++) NEED_STR(i);
        *ret = UTF8;
        break;
    case FN_STARTS_WITH:
    case FN_ENDS_WITH:
    case FN_CONTAINS:
    case FN_REGEXP_MATCHES:
        for (int32_t i = 0; i < n; i++) NEED_STR(i);
        *ret = BOOL;
        break;
    case FN_REGEXP_EXTRACT:
        NEED_STR(0);
        NEED_STR(1);
        if (n > 2) NEED_INT(2);
        if (n > 2 && (args[2]->kind != PL_LIT || args[2]->lit.is_null || args[2]->lit.v.i < 0))
            return nl_error_set(err, NL_ESQL, "regexp_extract(): the group must be a constant >= 0");
        *ret = UTF8;
        break;
    case FN_SPLIT_PART:
        NEED_STR(0);
        NEED_STR(1);
        NEED_INT(2);
        *ret = UTF8;
        break;
    case FN_POSITION:
    case FN_STRPOS:
        NEED_STR(0);
        NEED_STR(1);
        *ret = I64;
        break;
    case FN_LEFT:
    case FN_RIGHT:
    case FN_REPEAT:
        NEED_STR(0);
        NEED_INT(1);
        *ret = UTF8;
        break;
    case FN_LPAD:
    case FN_RPAD:
        NEED_STR(0);
        NEED_INT(1);
        if (n > 2) NEED_STR(2);
        *ret = UTF8;
        break;
    case FN_ABS:
        NEED_NUM(0);
        *ret = args[0]->type->id == NL_TYPE_NULL ? I64 : args[0]->type;
        if (nl_type_is_integer((*ret)->id) && (*ret)->id != NL_TYPE_INT64) *ret = want[0] = I64;
        if ((*ret)->id == NL_TYPE_FLOAT32) *ret = want[0] = F64;
        break;
    case FN_SIGN:
        NEED_NUM(0);
        want[0] = F64;
        *ret = I64;
        break;
    case FN_ROUND:
    case FN_TRUNC:
    case FN_FLOOR:
    case FN_CEIL: {
        NEED_NUM(0);
        if (n > 1 && fn != FN_ROUND && fn != FN_TRUNC)
            return nl_error_set(err, NL_ESQL, "%s() takes 1 argument, not %d", d->name, n);
        if (n > 1) NEED_INT(1);
        nl_type *t = args[0]->type;
        if (t->id == NL_TYPE_DECIMAL128) {
            int32_t digits = 0;
            if (n > 1) {
                if (args[1]->kind != PL_LIT || args[1]->lit.is_null)
                    return nl_error_set(err, NL_ENOTSUP, "round(decimal, n) needs a constant n");
                digits = (int32_t)args[1]->lit.v.i;
                if (digits < 0) digits = 0;
            }
            if (digits > t->scale) digits = t->scale;
            *ret = pl_decimal(ctx, t->precision, digits);
        } else if (nl_type_is_integer(t->id) || t->id == NL_TYPE_NULL) {
            want[0] = *ret = I64;
        } else {
            want[0] = *ret = F64;
        }
        break;
    }
    case FN_CBRT:
    case FN_ISNAN:
    case FN_ISINF:
        NEED_NUM(0);
        want[0] = F64;
        *ret = fn == FN_CBRT ? F64 : BOOL;
        break;
    case FN_PI:
    case FN_RANDOM: *ret = F64; break;
    case FN_LOG:
        for (int32_t i = 0; i < n; i++) {
            NEED_NUM(i);
            want[i] = F64;
        }
        *ret = F64;
        break;
    case FN_MAKE_DATE:
        for (int32_t i = 0; i < 3; i++) NEED_INT(i);
        *ret = DATE;
        break;
    case FN_STRFTIME: {
        nl_type *t = args[0]->type;
        if (t->id == NL_TYPE_UTF8) want[0] = pl_keep_type(ctx, nl_type_timestamp(NL_UNIT_MICRO, NULL));
        else if (t->id != NL_TYPE_DATE32 && t->id != NL_TYPE_TIMESTAMP && t->id != NL_TYPE_NULL)
            return nl_error_set(err, NL_ETYPE, "strftime(): argument 1 must be a date or timestamp, not %s",
                                nl_type_name(t, buf, sizeof buf));
        NEED_STR(1);
        *ret = UTF8;
        break;
    }
    case FN_STRPTIME:
        NEED_STR(0);
        NEED_STR(1);
        *ret = pl_keep_type(ctx, nl_type_timestamp(NL_UNIT_MICRO, NULL));
        break;
    case FN_EPOCH: {
        nl_type *t = args[0]->type;
        if (t->id == NL_TYPE_UTF8) want[0] = pl_keep_type(ctx, nl_type_timestamp(NL_UNIT_MICRO, NULL));
        else if (t->id != NL_TYPE_DATE32 && t->id != NL_TYPE_TIMESTAMP && t->id != NL_TYPE_NULL)
            return nl_error_set(err, NL_ETYPE, "epoch(): argument 1 must be a date or timestamp, not %s",
                                nl_type_name(t, buf, sizeof buf));
        *ret = F64;
        break;
    }
    case FN_ORDER_PACK:
        NEED_STR(0);
        *ret = UTF8;
        break;
    case FN_TS_ADD:
        if (args[0]->type->id != NL_TYPE_TIMESTAMP)
            return nl_error_set(err, NL_ETYPE, "ts_add(): argument 1 must be a timestamp");
        NEED_INT(1);
        NEED_INT(2);
        *ret = args[0]->type;
        break;
    case FN_POWER:
        NEED_NUM(0);
        NEED_NUM(1);
        want[0] = want[1] = F64;
        *ret = F64;
        break;
    case FN_SQRT:
    case FN_LN:
    case FN_LOG10:
    case FN_LOG2:
    case FN_EXP:
        NEED_NUM(0);
        want[0] = F64;
        *ret = F64;
        break;
    case FN_DATE_PART:
    case FN_DATE_TRUNC: {
        NEED_STR(0);
        nl_type *t = args[1]->type;
        if (t->id == NL_TYPE_UTF8) {
            want[1] = t = DATE;
        } else if (t->id != NL_TYPE_DATE32 && t->id != NL_TYPE_TIMESTAMP && t->id != NL_TYPE_NULL)
            return nl_error_set(err, NL_ETYPE, "%s(): argument 2 must be a date or timestamp, not %s",
                                d->name, nl_type_name(t, buf, sizeof buf));
        *ret = fn == FN_DATE_PART ? I64 : t->id == NL_TYPE_NULL ? DATE : t;
        break;
    }
    case FN_DATE_ADD_DAYS:
    case FN_DATE_ADD_MONTHS:
        if (args[0]->type->id != NL_TYPE_DATE32) want[0] = DATE;
        NEED_INT(1);
        *ret = DATE;
        break;
    case FN_DATE_DIFF_DAYS:
        if (args[0]->type->id != NL_TYPE_DATE32) want[0] = DATE;
        if (args[1]->type->id != NL_TYPE_DATE32) want[1] = DATE;
        *ret = I64;
        break;
    case FN_CURRENT_DATE: *ret = DATE; break;
    case FN_GREATEST:
    case FN_LEAST: {
        /* one type for all: DOUBLE when a float is among numbers, else a
         * DECIMAL wide enough for every decimal and integer, else BIGINT;
         * otherwise the first argument's type that is not NULL */
        nl_type *t = NULL;
        bool all_num = true, any_float = false, any_dec = false;
        int ip = 0, sc = 0;
        for (int32_t i = 0; i < n; i++) {
            const nl_type *a = args[i]->type;
            if (a->id == NL_TYPE_NULL) continue;
            if (!t) t = args[i]->type;
            if (!nl_type_is_numeric(a->id)) {
                all_num = false;
                continue;
            }
            any_float |= nl_type_is_floating(a->id);
            int p = a->id == NL_TYPE_DECIMAL128 ? a->precision : 19, s2 = a->id == NL_TYPE_DECIMAL128 ? a->scale : 0;
            if (a->id == NL_TYPE_DECIMAL128) any_dec = true;
            else if (args[i]->kind == PL_LIT || a->id == NL_TYPE_INT32 || a->id == NL_TYPE_INT16 || a->id == NL_TYPE_INT8)
                p = 10;
            if (p - s2 > ip) ip = p - s2;
            if (s2 > sc) sc = s2;
        }
        if (!t) t = I64;
        else if (all_num && any_float) t = F64;
        else if (all_num && any_dec) t = pl_decimal(ctx, ip + sc > 38 ? 38 : ip + sc, sc);
        else if (all_num && nl_type_is_integer(t->id)) t = I64;
        for (int32_t i = 0; i < n; i++)
            if (!nl_type_equals(args[i]->type, t)) want[i] = t;
        *ret = t;
        break;
    }
    case FN_HASH: *ret = nl_type_get(NL_TYPE_UINT64); break;
    default: return nl_error_set(err, NL_EINTERNAL, "function %d has no binding", fn);
    }
    return NL_OK;
#undef NEED_STR
#undef NEED_INT
#undef NEED_NUM
}

/* ---- evaluation helpers ---- */

static inline bool av(const fn_arg *a, int64_t i) {
    if (a->arr->type->id == NL_TYPE_NULL) return false;
    return nl_array_is_valid(a->arr, a->scalar ? 0 : i);
}
static inline int64_t ai(const fn_arg *a, int64_t i) {
    return NL_ARRAY_VALUES(a->arr, int64_t)[a->scalar ? 0 : i];
}
static inline double ad(const fn_arg *a, int64_t i) {
    return NL_ARRAY_VALUES(a->arr, double)[a->scalar ? 0 : i];
}
static inline const char *as(const fn_arg *a, int64_t i, int32_t *len) {
    return nl_array_str(a->arr, a->scalar ? 0 : i, len);
}

static bool all_valid(const fn_arg *args, int32_t n, int64_t i) {
    for (int32_t k = 0; k < n; k++)
        if (!av(&args[k], i)) return false;
    return true;
}

/* byte offset of UTF-8 character `chars` into s (clamped to len) */
static int32_t utf8_skip(const char *s, int32_t len, int64_t chars) {
    int32_t i = 0;
    while (i < len && chars > 0) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        chars--;
    }
    return i;
}
static int64_t utf8_len(const char *s, int32_t len) {
    int64_t n = 0;
    for (int32_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static bool in_set(char c, const char *set, int32_t n) {
    for (int32_t i = 0; i < n; i++)
        if (set[i] == c) return true;
    return false;
}

static const char *const PART_NAMES[] = {"year", "month", "day", "quarter", "week", "dow",
                                         "doy", "hour", "minute", "second", "epoch", "decade",
                                         "century", "millennium", "isodow", "millisecond",
                                         "microsecond", NULL};
enum { P_YEAR, P_MONTH, P_DAY, P_QUARTER, P_WEEK, P_DOW, P_DOY, P_HOUR, P_MINUTE, P_SECOND,
       P_EPOCH, P_DECADE, P_CENTURY, P_MILLENNIUM, P_ISODOW, P_MS, P_US };

static int part_lookup(const char *s, int32_t len) {
    char buf[32];
    if (len >= (int32_t)sizeof buf) return -1;
    for (int32_t i = 0; i < len; i++) buf[i] = (char)tolower((unsigned char)s[i]);
    buf[len] = 0;
    if (len > 1 && buf[len - 1] == 's' && strcmp(buf, "dows") != 0) buf[len - 1] = 0; /* years */
    if (strcmp(buf, "dayofweek") == 0 || strcmp(buf, "weekday") == 0) return P_DOW;
    if (strcmp(buf, "dayofyear") == 0) return P_DOY;
    if (strcmp(buf, "dayofmonth") == 0) return P_DAY;
    for (int i = 0; PART_NAMES[i]; i++)
        if (strcmp(buf, PART_NAMES[i]) == 0) return i;
    return -1;
}

static int64_t unit_per_sec(nl_time_unit u) {
    return u == NL_UNIT_SECOND ? 1 : u == NL_UNIT_MILLI ? 1000 : u == NL_UNIT_MICRO ? 1000000
                                                                                    : 1000000000;
}

static int64_t floordiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int64_t date_part_of(int part, int64_t days, int64_t secs_of_day, int64_t frac_us) {
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    switch (part) {
    case P_YEAR: return y;
    case P_MONTH: return m;
    case P_DAY: return d;
    case P_QUARTER: return (m - 1) / 3 + 1;
    case P_DOW: return ((days % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4) */
    case P_ISODOW: {
        int64_t w = ((days % 7) + 11) % 7;
        return w == 0 ? 7 : w;
    }
    case P_DOY: return days - nl_days_from_civil(y, 1, 1) + 1;
    case P_WEEK: {
        /* ISO week number */
        int64_t wd = ((days % 7) + 10) % 7; /* Monday = 0 */
        int64_t thursday = days - wd + 3;
        int64_t ty;
        unsigned tm, td;
        nl_civil_from_days(thursday, &ty, &tm, &td);
        return (thursday - nl_days_from_civil(ty, 1, 1)) / 7 + 1;
    }
    case P_HOUR: return secs_of_day / 3600;
    case P_MINUTE: return (secs_of_day / 60) % 60;
    case P_SECOND: return secs_of_day % 60;
    case P_MS: return (secs_of_day % 60) * 1000 + frac_us / 1000;
    case P_US: return (secs_of_day % 60) * 1000000 + frac_us;
    case P_EPOCH: return days * 86400 + secs_of_day;
    case P_DECADE: return floordiv(y, 10);
    case P_CENTURY: return y > 0 ? (y + 99) / 100 : -((-y + 99) / 100);
    case P_MILLENNIUM: return y > 0 ? (y + 999) / 1000 : -((-y + 999) / 1000);
    default: return 0;
    }
}

static int64_t add_months(int64_t days, int64_t months) {
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = floordiv(total, 12);
    unsigned nm = (unsigned)(total - ny * 12) + 1;
    static const unsigned MDAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned last = MDAYS[nm - 1];
    if (nm == 2 && ((ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0)) last = 29;
    if (d > last) d = last;
    return nl_days_from_civil(ny, nm, d);
}

static int64_t trunc_days(int part, int64_t days) {
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    switch (part) {
    case P_YEAR: return nl_days_from_civil(y, 1, 1);
    case P_QUARTER: return nl_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    case P_MONTH: return nl_days_from_civil(y, m, 1);
    case P_WEEK: return days - (((days % 7) + 10) % 7);
    case P_DECADE: return nl_days_from_civil(floordiv(y, 10) * 10, 1, 1);
    default: return days;
    }
}

/* A compiled regular expression, kept while the pattern and the options stay
 * the same: a constant pattern compiles once per call (per batch), a pattern
 * column recompiles only when the value changes. */
typedef struct rx_cache {
    pcre2_code *re;
    pcre2_match_data *md;
    char *pat;
    int32_t plen;
    uint32_t opts;
} rx_cache;

static void rx_clear(rx_cache *c) {
    if (c->md) pcre2_match_data_free(c->md);
    if (c->re) pcre2_code_free(c->re);
    nl_free(c->pat);
    memset(c, 0, sizeof *c);
}

/* DuckDB's option letters: c (case-sensitive), i (insensitive), g (global,
 * regexp_replace only), m / n / p (newline-sensitive), s (dot matches newline). */
static nl_status rx_options(const char *f, int32_t fl, bool allow_g, uint32_t *opts, bool *global,
                            nl_error *err) {
    *opts = PCRE2_UTF;
    *global = false;
    for (int32_t k = 0; k < fl; k++) {
        switch (f[k]) {
        case 'i': *opts |= PCRE2_CASELESS; break;
        case 'c': *opts &= ~(uint32_t)PCRE2_CASELESS; break;
        case 'm':
        case 'n':
        case 'p': break; /* RE2's newline-sensitive mode is PCRE2's default */
        case 's': *opts |= PCRE2_DOTALL; break;
        case 'g':
            if (allow_g) {
                *global = true;
                break;
            }
            /* fall through */
        default:
            return nl_error_set(err, NL_EINVAL, "unknown regular expression option '%c'", f[k]);
        }
    }
    return NL_OK;
}

static nl_status rx_get(rx_cache *c, const char *pat, int32_t plen, uint32_t opts, nl_error *err) {
    if (c->re && c->opts == opts && c->plen == plen && memcmp(c->pat, pat, (size_t)plen) == 0)
        return NL_OK;
    rx_clear(c);
    int ecode;
    PCRE2_SIZE eoff;
    c->re = pcre2_compile((PCRE2_SPTR)pat, (PCRE2_SIZE)plen, opts, &ecode, &eoff, NULL);
    if (!c->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ecode, msg, sizeof msg);
        return nl_error_set(err, NL_EINVAL, "bad regular expression '%.*s' at offset %zu: %s",
                            plen, pat, (size_t)eoff, (const char *)msg);
    }
    c->md = pcre2_match_data_create_from_pattern(c->re, NULL);
    c->pat = nl_malloc((size_t)plen + 1);
    if (!c->md || !c->pat) {
        rx_clear(c);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    memcpy(c->pat, pat, (size_t)plen);
    c->plen = plen;
    c->opts = opts;
    return NL_OK;
}

/* DuckDB writes groups in a replacement as \1; PCRE2 wants ${1} and $$ for $. */
static int32_t rx_replacement(const char *r, int32_t rl, char *out) {
    int32_t o = 0;
    for (int32_t k = 0; k < rl; k++) {
        if (r[k] == '\\' && k + 1 < rl && r[k + 1] >= '0' && r[k + 1] <= '9') {
            out[o++] = '$';
            out[o++] = '{';
            out[o++] = r[++k];
            out[o++] = '}';
        } else if (r[k] == '\\' && k + 1 < rl && r[k + 1] == '\\') {
            out[o++] = r[++k];
        } else if (r[k] == '$') {
            out[o++] = '$';
            out[o++] = '$';
        } else {
            out[o++] = r[k];
        }
    }
    return o;
}

static void md5_hex(const char *s, int32_t len, char out[33]) {
    unsigned char dig[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    EVP_Digest(s, (size_t)len, dig, &dl, EVP_md5(), NULL);
    static const char HEX[] = "0123456789abcdef";
    for (unsigned k = 0; k < 16; k++) {
        out[2 * k] = HEX[dig[k] >> 4];
        out[2 * k + 1] = HEX[dig[k] & 15];
    }
    out[32] = 0;
}

/* strftime's format over microseconds since the epoch; -1 on an unknown
 * specifier or a full buffer. Supports %Y %m %d %H %M %S %f %j %y %b %B %a %A
 * %e %p %I %w %u %Z %z %%. */
static int64_t ts_format(int64_t us, const char *f, int32_t fl, char *out, size_t cap) {
    static const char *const MON[] = {"January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December"};
    static const char *const DAY[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                      "Friday", "Saturday"};
    int64_t secs = floordiv(us, 1000000), frac = us - secs * 1000000;
    int64_t days = floordiv(secs, 86400), sod = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    int64_t dow = ((days % 7) + 11) % 7;
    size_t o = 0;
    for (int32_t k = 0; k < fl; k++) {
        if (cap - o < 64) return -1;
        if (f[k] != '%' || k + 1 == fl) {
            out[o++] = f[k];
            continue;
        }
        char c = f[++k];
        int w = 0;
        switch (c) {
        case 'Y': w = snprintf(out + o, cap - o, "%lld", (long long)y); break;
        case 'y': w = snprintf(out + o, cap - o, "%02lld", (long long)((y % 100 + 100) % 100)); break;
        case 'm': w = snprintf(out + o, cap - o, "%02u", m); break;
        case 'd': w = snprintf(out + o, cap - o, "%02u", d); break;
        case 'e': w = snprintf(out + o, cap - o, "%u", d); break;
        case 'H': w = snprintf(out + o, cap - o, "%02lld", (long long)(sod / 3600)); break;
        case 'I': {
            int64_t h = sod / 3600 % 12;
            w = snprintf(out + o, cap - o, "%02lld", (long long)(h ? h : 12));
            break;
        }
        case 'p': w = snprintf(out + o, cap - o, "%s", sod < 43200 ? "AM" : "PM"); break;
        case 'M': w = snprintf(out + o, cap - o, "%02lld", (long long)(sod / 60 % 60)); break;
        case 'S': w = snprintf(out + o, cap - o, "%02lld", (long long)(sod % 60)); break;
        case 'f': w = snprintf(out + o, cap - o, "%06lld", (long long)frac); break;
        case 'j': w = snprintf(out + o, cap - o, "%03lld", (long long)(days - nl_days_from_civil(y, 1, 1) + 1)); break;
        case 'b': w = snprintf(out + o, cap - o, "%.3s", MON[m - 1]); break;
        case 'B': w = snprintf(out + o, cap - o, "%s", MON[m - 1]); break;
        case 'a': w = snprintf(out + o, cap - o, "%.3s", DAY[dow]); break;
        case 'A': w = snprintf(out + o, cap - o, "%s", DAY[dow]); break;
        case 'w': w = snprintf(out + o, cap - o, "%lld", (long long)dow); break;
        case 'u': w = snprintf(out + o, cap - o, "%lld", (long long)(dow ? dow : 7)); break;
        case 'Z': w = 0; break;
        case 'z': w = snprintf(out + o, cap - o, "+00"); break;
        case '%': w = snprintf(out + o, cap - o, "%%"); break;
        default: return -1;
        }
        o += (size_t)w;
    }
    return (int64_t)o;
}

static bool ts_num(const char *s, int32_t l, int32_t *k, int maxd, int64_t *v) {
    int dn = 0;
    bool neg = false;
    if (*k < l && (s[*k] == '-' || s[*k] == '+') && maxd > 4) neg = s[(*k)++] == '-';
    *v = 0;
    while (*k < l && dn < maxd && isdigit((unsigned char)s[*k])) {
        *v = *v * 10 + (s[(*k)++] - '0');
        dn++;
    }
    if (neg) *v = -*v;
    return dn > 0;
}

/* strptime: the same specifiers as ts_format (names in English); true when
 * the whole string matched a valid date and time. */
static bool ts_parse(const char *s, int32_t l, const char *f, int32_t fl, int64_t *us) {
    static const char *const MON[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    int64_t y = 1900, m = 1, d = 1, H = 0, M = 0, S = 0, frac = 0, v;
    bool pm = false, has_p = false;
    int32_t k = 0;
    for (int32_t j = 0; j < fl; j++) {
        if (f[j] != '%' || j + 1 == fl) {
            if (isspace((unsigned char)f[j])) {
                while (k < l && isspace((unsigned char)s[k])) k++;
                continue;
            }
            if (k >= l || s[k] != f[j]) return false;
            k++;
            continue;
        }
        char c = f[++j];
        switch (c) {
        case 'Y': if (!ts_num(s, l, &k, 6, &y)) return false; break;
        case 'y': if (!ts_num(s, l, &k, 2, &v)) return false; y = v < 69 ? 2000 + v : 1900 + v; break;
        case 'm': if (!ts_num(s, l, &k, 2, &m)) return false; break;
        case 'd':
        case 'e': if (!ts_num(s, l, &k, 2, &d)) return false; break;
        case 'H':
        case 'I': if (!ts_num(s, l, &k, 2, &H)) return false; break;
        case 'M': if (!ts_num(s, l, &k, 2, &M)) return false; break;
        case 'S': if (!ts_num(s, l, &k, 2, &S)) return false; break;
        case 'f': {
            int32_t st = k;
            if (!ts_num(s, l, &k, 6, &frac)) return false;
            for (int32_t q = k - st; q < 6; q++) frac *= 10;
            break;
        }
        case 'p':
            if (k + 2 > l) return false;
            has_p = true;
            pm = tolower((unsigned char)s[k]) == 'p';
            if (!pm && tolower((unsigned char)s[k]) != 'a') return false;
            k += 2;
            break;
        case 'b':
        case 'B': {
            int mi = -1;
            for (int q = 0; q < 12 && mi < 0; q++)
                if (k + 3 <= l && strncasecmp(s + k, MON[q], 3) == 0) mi = q;
            if (mi < 0) return false;
            m = mi + 1;
            k += 3;
            while (k < l && isalpha((unsigned char)s[k])) k++;
            break;
        }
        case '%': if (k >= l || s[k++] != '%') return false; break;
        default: return false;
        }
    }
    if (k != l) return false;
    if (has_p) {
        if (H < 1 || H > 12) return false;
        H = H % 12 + (pm ? 12 : 0);
    }
    static const int MD[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > MD[m - 1] || (m == 2 && d == 29 && !leap) || H > 23 ||
        M > 59 || S > 60)
        return false;
    *us = (nl_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + H * 3600 + M * 60 + S) * 1000000 + frac;
    return true;
}

/* ---- evaluation ---- */

nl_status fn_eval(int fn, const fn_arg *args, int32_t n, int64_t rows, nl_type *ret, fn_arg *out,
                  nl_error *err) {
    bool all_scalar = true;
    for (int32_t i = 0; i < n; i++) all_scalar &= args[i].scalar;
    out->scalar = all_scalar && fn != FN_CURRENT_DATE ? true : all_scalar;
    nl_builder *b = nl_builder_new(ret, rows);
    NL_CHECK_ALLOC(b, err);
    nl_status st = NL_OK;
    char *tmp = NULL;
    size_t tmp_cap = 0;
#define TMP_RESERVE(sz)                                                                            \
    do {                                                                                           \
        if ((size_t)(sz) > tmp_cap) {                                                              \
            size_t nc = (size_t)(sz) * 2 + 16;                                                     \
            char *nt = nl_realloc(tmp, nc);                                                        \
            if (!nt) {                                                                             \
                st = nl_error_set(err, NL_ENOMEM, "out of memory");                                \
                goto done;                                                                         \
            }                                                                                      \
            tmp = nt;                                                                              \
            tmp_cap = nc;                                                                          \
        }                                                                                          \
    } while (0)
    rx_cache rx = {0};
    char *rtmp = NULL;
    int part = -1;
    if (fn == FN_DATE_PART || fn == FN_DATE_TRUNC) {
        if (!args[0].scalar) {
            st = nl_error_set(err, NL_ENOTSUP, "%s() needs a constant part name", fn_name(fn));
            goto done;
        }
        if (av(&args[0], 0)) {
            int32_t l;
            const char *s = as(&args[0], 0, &l);
            part = part_lookup(s, l);
            if (part < 0) {
                st = nl_error_set(err, NL_EINVAL, "%s(): unknown date part '%.*s'", fn_name(fn), l, s);
                goto done;
            }
        }
    }
    for (int64_t i = 0; i < rows; i++) {
        if (fn != FN_CONCAT && fn != FN_CONCAT_WS && fn != FN_GREATEST && fn != FN_LEAST &&
            fn != FN_CURRENT_DATE && fn != FN_NOW && !(fn == FN_ORDER_PACK && av(&args[0], i)) &&
            !all_valid(args, n, i)) {
            nl_builder_append_null(b);
            continue;
        }
        int32_t l0 = 0, l1 = 0, l2 = 0;
        const char *s0 = NULL, *s1 = NULL, *s2 = NULL;
        if (n > 0 && nl_type_is_string_like(args[0].arr->type->id) && av(&args[0], i)) s0 = as(&args[0], i, &l0);
        if (n > 1 && nl_type_is_string_like(args[1].arr->type->id) && av(&args[1], i)) s1 = as(&args[1], i, &l1);
        if (n > 2 && nl_type_is_string_like(args[2].arr->type->id) && av(&args[2], i)) s2 = as(&args[2], i, &l2);
        switch (fn) {
        case FN_LENGTH: nl_builder_append_int(b, utf8_len(s0, l0)); break;
        case FN_LOWER:
        case FN_UPPER:
            TMP_RESERVE((size_t)l0 * 2 + 4);
            nl_builder_append_string(b, tmp, fn_utf8_case(s0, l0, fn == FN_UPPER, tmp));
            break;
        case FN_REVERSE: {
            TMP_RESERVE(l0);
            int32_t o = l0;
            for (int32_t k = 0; k < l0;) {
                int32_t e = k + 1;
                while (e < l0 && ((unsigned char)s0[e] & 0xC0) == 0x80) e++;
                o -= e - k;
                memcpy(tmp + o, s0 + k, (size_t)(e - k));
                k = e;
            }
            nl_builder_append_string(b, tmp, l0);
            break;
        }
        case FN_SUBSTRING: {
            int64_t start = ai(&args[1], i), len = n > 2 ? ai(&args[2], i) : INT64_MAX;
            if (n > 2 && len < 0) {
                st = nl_error_set(err, NL_EINVAL, "substring(): negative length %lld", (long long)len);
                goto done;
            }
            if (start < 0) { /* from the end, as DuckDB */
                start = utf8_len(s0, l0) + start + 1;
                if (start < 1) {
                    if (len != INT64_MAX) len = len + start - 1 < 0 ? 0 : len + start - 1;
                    start = 1;
                }
            }
            int64_t end = len == INT64_MAX || start > INT64_MAX - len ? INT64_MAX : start + len; /* exclusive, 1-based */
            if (start < 1) start = 1;
            if (end <= start) {
                nl_builder_append_string(b, "", 0);
                break;
            }
            int32_t bs = utf8_skip(s0, l0, start - 1);
            int32_t be = end == INT64_MAX ? l0 : bs + utf8_skip(s0 + bs, l0 - bs, end - start);
            nl_builder_append_string(b, s0 + bs, be - bs);
            break;
        }
        case FN_LEFT: {
            int64_t k = ai(&args[1], i);
            int64_t total = utf8_len(s0, l0);
            if (k < 0) k = total + k < 0 ? 0 : total + k;
            nl_builder_append_string(b, s0, utf8_skip(s0, l0, k));
            break;
        }
        case FN_RIGHT: {
            int64_t k = ai(&args[1], i);
            int64_t total = utf8_len(s0, l0);
            if (k < 0) k = total + k < 0 ? 0 : total + k;
            if (k > total) k = total;
            int32_t bs = utf8_skip(s0, l0, total - k);
            nl_builder_append_string(b, s0 + bs, l0 - bs);
            break;
        }
        case FN_TRIM:
        case FN_LTRIM:
        case FN_RTRIM: {
            const char *set = n > 1 ? s1 : " ";
            int32_t sl = n > 1 ? l1 : 1;
            int32_t a = 0, e = l0;
            if (fn != FN_RTRIM)
                while (a < e && in_set(s0[a], set, sl)) a++;
            if (fn != FN_LTRIM)
                while (e > a && in_set(s0[e - 1], set, sl)) e--;
            nl_builder_append_string(b, s0 + a, e - a);
            break;
        }
        case FN_CONCAT: {
            size_t total = 0;
            for (int32_t k = 0; k < n; k++) {
                if (!av(&args[k], i)) continue;
                int32_t l;
                as(&args[k], i, &l);
                total += (size_t)l;
            }
            TMP_RESERVE(total);
            size_t o = 0;
            for (int32_t k = 0; k < n; k++) {
                if (!av(&args[k], i)) continue;
                int32_t l;
                const char *s = as(&args[k], i, &l);
                if (l) memcpy(tmp + o, s, (size_t)l); /* all empty: tmp may be NULL */
                o += (size_t)l;
            }
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_REPLACE: {
            if (l1 == 0) {
                nl_builder_append_string(b, s0, l0);
                break;
            }
            size_t o = 0;
            TMP_RESERVE((size_t)l0 * (l2 > l1 ? (size_t)(l2 / l1 + 1) : 1) + (size_t)l2 + 1);
            for (int32_t k = 0; k < l0;) {
                if (k + l1 <= l0 && memcmp(s0 + k, s1, (size_t)l1) == 0) {
                    memcpy(tmp + o, s2, (size_t)l2);
                    o += (size_t)l2;
                    k += l1;
                } else {
                    tmp[o++] = s0[k++];
                }
            }
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_STARTS_WITH: nl_builder_append_bool(b, l1 <= l0 && memcmp(s0, s1, (size_t)l1) == 0); break;
        case FN_ENDS_WITH:
            nl_builder_append_bool(b, l1 <= l0 && memcmp(s0 + l0 - l1, s1, (size_t)l1) == 0);
            break;
        case FN_CONTAINS:
            nl_builder_append_bool(b, l1 == 0 || memmem(s0, (size_t)l0, s1, (size_t)l1) != NULL);
            break;
        case FN_POSITION:
        case FN_STRPOS: {
            /* position(needle IN hay) has the needle first; strpos(hay, needle) */
            const char *hay = fn == FN_POSITION ? s1 : s0, *nd = fn == FN_POSITION ? s0 : s1;
            int32_t hl = fn == FN_POSITION ? l1 : l0, nlen = fn == FN_POSITION ? l0 : l1;
            const char *f = nlen == 0 ? hay : memmem(hay, (size_t)hl, nd, (size_t)nlen);
            nl_builder_append_int(b, f ? utf8_len(hay, (int32_t)(f - hay)) + 1 : 0);
            break;
        }
        case FN_SPLIT_PART: {
            int64_t idx = ai(&args[2], i);
            if (idx == 0) {
                st = nl_error_set(err, NL_EINVAL, "split_part(): the field index starts at 1");
                goto done;
            }
            /* collect fields */
            int32_t starts[1024], ends[1024], nf = 0, k = 0;
            if (l1 == 0) {
                starts[0] = 0;
                ends[0] = l0;
                nf = 1;
            } else {
                while (nf < 1024) {
                    const char *f = memmem(s0 + k, (size_t)(l0 - k), s1, (size_t)l1);
                    starts[nf] = k;
                    if (!f) {
                        ends[nf++] = l0;
                        break;
                    }
                    ends[nf++] = (int32_t)(f - s0);
                    k = (int32_t)(f - s0) + l1;
                }
            }
            int64_t pick = idx > 0 ? idx - 1 : nf + idx;
            if (pick < 0 || pick >= nf) nl_builder_append_string(b, "", 0);
            else nl_builder_append_string(b, s0 + starts[pick], ends[pick] - starts[pick]);
            break;
        }
        case FN_REPEAT: {
            int64_t k = ai(&args[1], i);
            if (k < 0) k = 0;
            if ((int64_t)l0 * k > (1 << 28)) {
                st = nl_error_set(err, NL_EINVAL, "repeat(): result too long");
                goto done;
            }
            TMP_RESERVE((size_t)(l0 * k) + 1);
            for (int64_t r = 0; r < k; r++) memcpy(tmp + r * l0, s0, (size_t)l0);
            nl_builder_append_string(b, tmp, l0 * k);
            break;
        }
        case FN_LPAD:
        case FN_RPAD: {
            int64_t want = ai(&args[1], i);
            const char *fill = n > 2 ? s2 : " ";
            int32_t fl = n > 2 ? l2 : 1;
            if (want < 0) want = 0;
            if (want > (1 << 24)) {
                st = nl_error_set(err, NL_EINVAL, "%s(): result too long", fn_name(fn));
                goto done;
            }
            int64_t have = utf8_len(s0, l0);
            if (have >= want || fl == 0) {
                nl_builder_append_string(b, s0, utf8_skip(s0, l0, want));
                break;
            }
            int64_t padn = want - have;
            TMP_RESERVE((size_t)(l0 + padn * 4 + 4));
            size_t o = 0;
            if (fn == FN_RPAD) {
                memcpy(tmp, s0, (size_t)l0);
                o = (size_t)l0;
            }
            for (int64_t r = 0, f = 0; r < padn; r++) { /* whole UTF-8 characters of the fill */
                int32_t e = f + 1;
                while (e < fl && ((unsigned char)fill[e] & 0xC0) == 0x80) e++;
                memcpy(tmp + o, fill + f, (size_t)(e - f));
                o += (size_t)(e - f);
                f = e < fl ? e : 0;
            }
            if (fn == FN_LPAD) {
                memcpy(tmp + o, s0, (size_t)l0);
                o += (size_t)l0;
            }
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_REGEXP_MATCHES:
        case FN_REGEXP_EXTRACT:
        case FN_REGEXP_REPLACE: {
            int fi = fn == FN_REGEXP_MATCHES ? 2 : fn == FN_REGEXP_REPLACE ? 3 : -1;
            uint32_t opts = PCRE2_UTF;
            bool global = false;
            if (fi >= 0 && n > fi) {
                int32_t fl;
                const char *f = as(&args[fi], i, &fl);
                st = rx_options(f, fl, fn == FN_REGEXP_REPLACE, &opts, &global, err);
                if (st) goto done;
            }
            st = rx_get(&rx, s1, l1, opts, err);
            if (st) goto done;
            if (fn == FN_REGEXP_MATCHES) {
                int rc = pcre2_match(rx.re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0, 0, rx.md, NULL);
                nl_builder_append_bool(b, rc >= 0);
                break;
            }
            if (fn == FN_REGEXP_EXTRACT) {
                int64_t g = n > 2 ? ai(&args[2], i) : 0;
                int rc = pcre2_match(rx.re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0, 0, rx.md, NULL);
                uint32_t groups = 0;
                pcre2_pattern_info(rx.re, PCRE2_INFO_CAPTURECOUNT, &groups);
                if (g > (int64_t)groups) {
                    st = nl_error_set(err, NL_EINVAL,
                                      "regexp_extract(): group %lld is out of range (the pattern has %u)",
                                      (long long)g, groups);
                    goto done;
                }
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rx.md);
                if (rc < 0 || g >= rc || ov[2 * g] == PCRE2_UNSET) {
                    nl_builder_append_string(b, "", 0);
                    break;
                }
                nl_builder_append_string(b, s0 + ov[2 * g], (int64_t)(ov[2 * g + 1] - ov[2 * g]));
                break;
            }
            char *nr = nl_realloc(rtmp, (size_t)l2 * 2 + 8);
            if (!nr) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                goto done;
            }
            rtmp = nr;
            int32_t rl = rx_replacement(s2, l2, rtmp);
            PCRE2_SIZE outlen = (PCRE2_SIZE)l0 * 2 + (PCRE2_SIZE)rl * 4 + 64;
            for (int attempt = 0; attempt < 8; attempt++) {
                TMP_RESERVE(outlen);
                PCRE2_SIZE ol = tmp_cap;
                int rc = pcre2_substitute(rx.re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0,
                                          (global ? PCRE2_SUBSTITUTE_GLOBAL : 0) |
                                              PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                          rx.md, NULL, (PCRE2_SPTR)rtmp, (PCRE2_SIZE)rl,
                                          (PCRE2_UCHAR *)tmp, &ol);
                if (rc == PCRE2_ERROR_NOMEMORY) {
                    outlen = ol + 1;
                    continue;
                }
                if (rc < 0) {
                    PCRE2_UCHAR msg[256];
                    pcre2_get_error_message(rc, msg, sizeof msg);
                    st = nl_error_set(err, NL_EINVAL, "regexp_replace(): %s", (const char *)msg);
                    goto done;
                }
                nl_builder_append_string(b, tmp, (int64_t)ol);
                break;
            }
            break;
        }
        case FN_STRLEN: nl_builder_append_int(b, l0); break;
        case FN_ASCII: {
            utf8proc_int32_t cp = 0;
            if (l0 > 0 && utf8proc_iterate((const utf8proc_uint8_t *)s0, l0, &cp) <= 0) cp = (unsigned char)s0[0];
            nl_builder_append_int(b, cp);
            break;
        }
        case FN_CHR: {
            int64_t cp = ai(&args[0], i);
            if (cp < 0 || cp > 0x10FFFF || !utf8proc_codepoint_valid((utf8proc_int32_t)cp)) {
                st = nl_error_set(err, NL_EINVAL, "chr(): %lld is not a valid code point", (long long)cp);
                goto done;
            }
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, enc);
            nl_builder_append_string(b, (const char *)enc, k);
            break;
        }
        case FN_MD5: {
            char hex[33];
            md5_hex(s0, l0, hex);
            nl_builder_append_string(b, hex, 32);
            break;
        }
        case FN_CONCAT_WS: {
            if (!av(&args[0], i)) {
                nl_builder_append_null(b);
                break;
            }
            size_t total = 0;
            for (int32_t k = 1; k < n; k++) {
                if (!av(&args[k], i)) continue;
                int32_t l;
                as(&args[k], i, &l);
                total += (size_t)l + (size_t)l0;
            }
            TMP_RESERVE(total + 1);
            size_t o = 0;
            bool first = true;
            for (int32_t k = 1; k < n; k++) {
                if (!av(&args[k], i)) continue;
                int32_t l;
                const char *sv = as(&args[k], i, &l);
                if (!first && l0) {
                    memcpy(tmp + o, s0, (size_t)l0);
                    o += (size_t)l0;
                }
                first = false;
                if (l) memcpy(tmp + o, sv, (size_t)l);
                o += (size_t)l;
            }
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_ABS:
            if (ret->id == NL_TYPE_INT64) {
                int64_t v = ai(&args[0], i);
                if (v == INT64_MIN) {
                    st = nl_error_set(err, NL_EOVERFLOW, "abs(): BIGINT overflow");
                    goto done;
                }
                nl_builder_append_int(b, v < 0 ? -v : v);
            } else if (ret->id == NL_TYPE_FLOAT64) {
                nl_builder_append_double(b, fabs(ad(&args[0], i)));
            } else {
                __int128 v = nl_array_decimal(args[0].arr, args[0].scalar ? 0 : i);
                nl_builder_append_decimal(b, v < 0 ? -v : v);
            }
            break;
        case FN_SIGN: {
            double v = ad(&args[0], i);
            nl_builder_append_int(b, (v > 0) - (v < 0));
            break;
        }
        case FN_ROUND:
        case FN_TRUNC:
        case FN_FLOOR:
        case FN_CEIL:
            if (ret->id == NL_TYPE_INT64) {
                /* round(x, -n) and trunc(x, -n) clear the last n digits */
                int64_t v = ai(&args[0], i), dg = n > 1 ? ai(&args[1], i) : 0;
                if (dg < -19) dg = -19; /* clears every digit; and -dg must not overflow */
                if (dg < 0) {
                    int64_t p = 1;
                    for (int64_t k = 0; k < -dg && p <= INT64_MAX / 10; k++) p *= 10;
                    int64_t q = v / p, r = v % p;
                    if (-dg > 18) q = 0, r = 0;
                    if (fn == FN_ROUND && r > 0 && r >= p - r) q++;
                    else if (fn == FN_ROUND && r < 0 && -r >= p + r) q--;
                    if (__builtin_mul_overflow(q, p, &v)) {
                        st = nl_error_set(err, NL_EOVERFLOW, "%s(): BIGINT overflow", fn == FN_ROUND ? "round" : "trunc");
                        goto done;
                    }
                }
                nl_builder_append_int(b, v);
            } else if (ret->id == NL_TYPE_FLOAT64) {
                double v = ad(&args[0], i);
                if (fn == FN_FLOOR) v = floor(v);
                else if (fn == FN_CEIL) v = ceil(v);
                else if (fn == FN_TRUNC) {
                    int64_t dg = n > 1 ? ai(&args[1], i) : 0;
                    double p = pow(10.0, (double)dg);
                    v = trunc(v * p) / p;
                } else {
                    int64_t dg = n > 1 ? ai(&args[1], i) : 0;
                    double p = pow(10.0, (double)dg);
                    v = round(v * p) / p;
                }
                nl_builder_append_double(b, v);
            } else {
                const nl_type *in = args[0].arr->type;
                __int128 v = nl_array_decimal(args[0].arr, args[0].scalar ? 0 : i);
                /* digits < 0 (round(x, -2)): clear that many integer digits too */
                int64_t dg = (fn == FN_ROUND || fn == FN_TRUNC) && n > 1 ? ai(&args[1], i) : 0;
                int32_t sdiff = in->scale - ret->scale;
                if (dg < -38) dg = -38; /* (-dg must not overflow) */
                int32_t clear = dg < 0 ? (int32_t)-dg : 0;
                if (clear + sdiff > 38) {
                    /* every digit cleared: 10^(clear + sdiff) would not fit */
                    nl_builder_append_decimal(b, 0);
                    break;
                }
                __int128 p = 1, unit = 1;
                for (int32_t k = 0; k < clear; k++) unit *= 10;
                for (int32_t k = 0; k < sdiff; k++) p *= 10;
                p *= unit;
                __int128 q = v / p, r = v % p;
                if (fn == FN_TRUNC) {
                    /* toward zero: q already is */
                } else if (fn == FN_FLOOR) {
                    if (r < 0) q--;
                } else if (fn == FN_CEIL) {
                    if (r > 0) q++;
                } else {
                    /* half away from zero; r < p, so compare without doubling r */
                    if (r >= p - r) q++;
                    else if (-r >= p + r) q--;
                }
                __int128 out = q * unit, lim = 1;
                for (int32_t k = 0; k < ret->precision; k++) lim *= 10;
                if (out >= lim || out <= -lim) {
                    st = nl_error_set(err, NL_EOVERFLOW, "%s(): the result does not fit DECIMAL(%d,%d)",
                                      fn_name(fn), ret->precision, ret->scale);
                    goto done;
                }
                nl_builder_append_decimal(b, out);
            }
            break;
        case FN_POWER: nl_builder_append_double(b, pow(ad(&args[0], i), ad(&args[1], i))); break;
        case FN_SQRT:
        case FN_LN:
        case FN_LOG10:
        case FN_LOG2: {
            double v = ad(&args[0], i);
            if (v < 0 || (v == 0 && fn != FN_SQRT)) {
                st = nl_error_set(err, NL_EINVAL, "%s(): cannot take %s of %s", fn_name(fn),
                                  fn == FN_SQRT ? "the square root" : "the logarithm",
                                  v == 0 ? "zero" : "a negative number");
                goto done;
            }
            nl_builder_append_double(b, fn == FN_SQRT ? sqrt(v) : fn == FN_LN ? log(v)
                                                              : fn == FN_LOG10 ? log10(v)
                                                                               : log2(v));
            break;
        }
        case FN_EXP: nl_builder_append_double(b, exp(ad(&args[0], i))); break;
        case FN_CBRT: nl_builder_append_double(b, cbrt(ad(&args[0], i))); break;
        case FN_ISNAN: nl_builder_append_bool(b, isnan(ad(&args[0], i))); break;
        case FN_ISINF: nl_builder_append_bool(b, isinf(ad(&args[0], i))); break;
        case FN_PI: nl_builder_append_double(b, M_PI); break;
        case FN_RANDOM: nl_builder_append_double(b, (double)random() / ((double)RAND_MAX + 1.0)); break;
        case FN_LOG: {
            double v = ad(&args[n - 1], i), base = n > 1 ? ad(&args[0], i) : 10.0;
            if (v <= 0 || base <= 0 || base == 1) {
                st = nl_error_set(err, NL_EINVAL, "log(): cannot take the logarithm of %s",
                                  v == 0 ? "zero" : v < 0 ? "a negative number" : "a base of 1 or less than 0");
                goto done;
            }
            nl_builder_append_double(b, n > 1 ? log(v) / log(base) : log10(v));
            break;
        }
        case FN_MAKE_DATE: {
            int64_t y = ai(&args[0], i), m = ai(&args[1], i), dd = ai(&args[2], i);
            static const unsigned MD[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (y < -290000 || y > 290000 || m < 1 || m > 12 || dd < 1 || dd > (int64_t)MD[m - 1] ||
                (m == 2 && dd == 29 && !leap)) {
                st = nl_error_set(err, NL_EINVAL, "make_date(): %lld-%lld-%lld is not a valid date",
                                  (long long)y, (long long)m, (long long)dd);
                goto done;
            }
            nl_builder_append_int(b, nl_days_from_civil(y, (unsigned)m, (unsigned)dd));
            break;
        }
        case FN_EPOCH: {
            const nl_array *a = args[0].arr;
            int64_t j = args[0].scalar ? 0 : i;
            if (a->type->id == NL_TYPE_DATE32)
                nl_builder_append_double(b, (double)NL_ARRAY_VALUES(a, int32_t)[j] * 86400.0);
            else
                nl_builder_append_double(b, (double)NL_ARRAY_VALUES(a, int64_t)[j] /
                                                (double)unit_per_sec(a->type->unit));
            break;
        }
        case FN_STRFTIME: {
            const nl_array *a = args[0].arr;
            int64_t j = args[0].scalar ? 0 : i, us;
            if (a->type->id == NL_TYPE_DATE32) us = (int64_t)NL_ARRAY_VALUES(a, int32_t)[j] * 86400000000LL;
            else {
                int64_t v = NL_ARRAY_VALUES(a, int64_t)[j], ups = unit_per_sec(a->type->unit);
                us = ups >= 1000000 ? v / (ups / 1000000) : v * (1000000 / ups);
            }
            TMP_RESERVE((size_t)l1 * 16 + 64);
            int64_t w = ts_format(us, s1, l1, tmp, tmp_cap);
            if (w < 0) {
                st = nl_error_set(err, NL_EINVAL, "strftime(): unsupported format '%.*s'", l1, s1);
                goto done;
            }
            nl_builder_append_string(b, tmp, w);
            break;
        }
        case FN_STRPTIME: {
            int64_t us;
            if (!ts_parse(s0, l0, s1, l1, &us)) {
                st = nl_error_set(err, NL_EINVAL, "strptime(): could not parse '%.*s' with format '%.*s'",
                                  l0, s0, l1, s1);
                goto done;
            }
            nl_builder_append_int(b, us);
            break;
        }
        case FN_TS_ADD: {
            const nl_type *t = args[0].arr->type;
            int64_t v = ai(&args[0], i), months = ai(&args[1], i), us = ai(&args[2], i);
            int64_t ups = unit_per_sec(t->unit);
            if (months) {
                int64_t secs = floordiv(v, ups), dd = floordiv(secs, 86400);
                int64_t rest = v - dd * 86400 * ups;
                v = add_months(dd, months) * 86400 * ups + rest;
            }
            int64_t delta = ups >= 1000000 ? us * (ups / 1000000) : us / (1000000 / ups), r;
            if (__builtin_add_overflow(v, delta, &r)) {
                st = nl_error_set(err, NL_EOVERFLOW, "timestamp out of range");
                goto done;
            }
            nl_builder_append_int(b, r);
            break;
        }
        case FN_ORDER_PACK: {
            size_t need = 4 + (size_t)l0;
            for (int32_t k = 2; k < n; k += 2) {
                if (!av(&args[k], i)) {
                    need += 1;
                    continue;
                }
                if (nl_type_is_string_like(args[k].arr->type->id)) {
                    int32_t kl;
                    as(&args[k], i, &kl);
                    need += 3 + 2 * (size_t)kl;
                } else {
                    need += 17;
                }
            }
            TMP_RESERVE(need);
            size_t o = 4;
            for (int32_t k = 2; k < n; k += 2) {
                int64_t flags = ai(&args[k - 1], i);
                bool desc = flags & 1, nfirst = flags & 2;
                size_t start = o;
                if (!av(&args[k], i)) {
                    tmp[o++] = (char)(nfirst ? 0x00 : 0xFF);
                    continue; /* the null byte is not inverted by DESC */
                }
                tmp[o++] = (char)(nfirst ? 0x01 : 0x00);
                size_t vstart = o;
                const nl_array *ka = args[k].arr;
                int64_t j = args[k].scalar ? 0 : i;
                uint64_t u = 0;
                int w = 8;
                switch (ka->type->id) {
                case NL_TYPE_BOOL: u = nl_array_bool(ka, j); w = 1; break;
                case NL_TYPE_INT8: u = (uint64_t)(int64_t)NL_ARRAY_VALUES(ka, int8_t)[j] ^ (1ULL << 63); break;
                case NL_TYPE_INT16: u = (uint64_t)(int64_t)NL_ARRAY_VALUES(ka, int16_t)[j] ^ (1ULL << 63); break;
                case NL_TYPE_INT32:
                case NL_TYPE_DATE32: u = (uint64_t)(int64_t)NL_ARRAY_VALUES(ka, int32_t)[j] ^ (1ULL << 63); break;
                case NL_TYPE_UINT8: u = NL_ARRAY_VALUES(ka, uint8_t)[j]; break;
                case NL_TYPE_UINT16: u = NL_ARRAY_VALUES(ka, uint16_t)[j]; break;
                case NL_TYPE_UINT32: u = NL_ARRAY_VALUES(ka, uint32_t)[j]; break;
                case NL_TYPE_UINT64: u = NL_ARRAY_VALUES(ka, uint64_t)[j]; break;
                case NL_TYPE_FLOAT32:
                case NL_TYPE_FLOAT64: {
                    double dv = ka->type->id == NL_TYPE_FLOAT32 ? NL_ARRAY_VALUES(ka, float)[j] : NL_ARRAY_VALUES(ka, double)[j];
                    if (dv == 0) dv = 0; /* -0 sorts as 0 */
                    memcpy(&u, &dv, 8);
                    u = (u >> 63) ? ~u : u ^ (1ULL << 63);
                    break;
                }
                case NL_TYPE_DECIMAL128: {
                    __int128 dv = nl_array_decimal(ka, j);
                    unsigned __int128 uv = (unsigned __int128)dv ^ ((unsigned __int128)1 << 127);
                    for (int q = 15; q >= 0; q--) tmp[o++] = (char)(uint8_t)(uv >> (8 * q));
                    w = 0;
                    break;
                }
                default:
                    if (nl_type_is_string_like(ka->type->id)) {
                        int32_t kl;
                        const char *ks = as(&args[k], i, &kl);
                        for (int32_t q = 0; q < kl; q++) {
                            tmp[o++] = ks[q];
                            if (ks[q] == 0) tmp[o++] = (char)0xFF;
                        }
                        tmp[o++] = 0;
                        tmp[o++] = 0;
                        w = 0;
                    } else {
                        u = (uint64_t)NL_ARRAY_VALUES(ka, int64_t)[j] ^ (1ULL << 63); /* int64, timestamps */
                    }
                    break;
                }
                for (int q = w - 1; q >= 0; q--) tmp[o++] = (char)(uint8_t)(u >> (8 * q));
                if (desc)
                    for (size_t q = vstart; q < o; q++) tmp[q] = (char)~(uint8_t)tmp[q];
                (void)start;
            }
            uint32_t klen = (uint32_t)(o - 4);
            memcpy(tmp, &klen, 4);
            memcpy(tmp + o, s0, (size_t)l0);
            o += (size_t)l0;
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_NOW: {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            nl_builder_append_int(b, (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
            break;
        }
        case FN_DATE_PART:
        case FN_DATE_TRUNC: {
            const nl_array *a = args[1].arr;
            int64_t j = args[1].scalar ? 0 : i;
            int64_t days, sod = 0, frac = 0, v = 0, ups = 1;
            if (a->type->id == NL_TYPE_DATE32) {
                days = NL_ARRAY_VALUES(a, int32_t)[j];
            } else {
                v = NL_ARRAY_VALUES(a, int64_t)[j];
                ups = unit_per_sec(a->type->unit);
                int64_t secs = floordiv(v, ups);
                frac = (v - secs * ups) * 1000000 / ups;
                days = floordiv(secs, 86400);
                sod = secs - days * 86400;
            }
            if (fn == FN_DATE_PART) {
                nl_builder_append_int(b, date_part_of(part, days, sod, frac));
            } else if (a->type->id == NL_TYPE_DATE32) {
                nl_builder_append_int(b, trunc_days(part, days));
            } else {
                int64_t td = trunc_days(part, days);
                int64_t secs = td * 86400;
                if (td == days) {
                    if (part == P_HOUR) secs += sod / 3600 * 3600;
                    else if (part == P_MINUTE) secs += sod / 60 * 60;
                    else if (part == P_SECOND || part == P_MS || part == P_US) secs += sod;
                }
                int64_t r = secs * ups;
                if (part == P_MS) r += frac / 1000 * (ups / 1000 ? ups / 1000 : 1) ;
                nl_builder_append_int(b, r);
            }
            break;
        }
        case FN_DATE_ADD_DAYS:
        case FN_DATE_ADD_MONTHS: {
            int64_t d = NL_ARRAY_VALUES(args[0].arr, int32_t)[args[0].scalar ? 0 : i];
            int64_t k = ai(&args[1], i);
            int64_t r = fn == FN_DATE_ADD_DAYS ? d + k : add_months(d, k);
            if (r < INT32_MIN || r > INT32_MAX) {
                st = nl_error_set(err, NL_EOVERFLOW, "date out of range");
                goto done;
            }
            nl_builder_append_int(b, r);
            break;
        }
        case FN_DATE_DIFF_DAYS:
            nl_builder_append_int(b, (int64_t)NL_ARRAY_VALUES(args[0].arr, int32_t)[args[0].scalar ? 0 : i] -
                                         NL_ARRAY_VALUES(args[1].arr, int32_t)[args[1].scalar ? 0 : i]);
            break;
        case FN_CURRENT_DATE: {
            time_t now = time(NULL);
            nl_builder_append_int(b, (int64_t)(now / 86400));
            break;
        }
        case FN_GREATEST:
        case FN_LEAST: {
            int best = -1;
            for (int32_t k = 0; k < n; k++) {
                if (!av(&args[k], i)) continue;
                if (best < 0) {
                    best = k;
                    continue;
                }
                nl_scalar x, y;
                if (nl_scalar_from_array(args[k].arr, args[k].scalar ? 0 : i, &x, err)) goto done;
                if (nl_scalar_from_array(args[best].arr, args[best].scalar ? 0 : i, &y, err)) {
                    nl_scalar_clear(&x);
                    goto done;
                }
                bool ok;
                int c = nl_scalar_compare(&x, &y, &ok);
                nl_scalar_clear(&x);
                nl_scalar_clear(&y);
                if ((fn == FN_GREATEST && c > 0) || (fn == FN_LEAST && c < 0)) best = k;
            }
            if (best < 0) nl_builder_append_null(b);
            else nl_builder_append_from(b, args[best].arr, args[best].scalar ? 0 : i);
            break;
        }
        default:
            st = nl_error_set(err, NL_ENOTSUP, "%s() is not implemented yet", fn_name(fn));
            goto done;
        }
    }
done:
    rx_clear(&rx);
    nl_free(rtmp);
    nl_free(tmp);
    if (st == NL_OK) st = nl_builder_finish(b, &out->arr, err);
    nl_builder_free(b);
    return st;
#undef TMP_RESERVE
}
