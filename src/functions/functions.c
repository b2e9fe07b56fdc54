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
    [FN_REGEXP_MATCHES] = {"regexp_matches", 2, 2},
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
};

static const struct {
    const char *alias;
    int fn;
} ALIASES[] = {{"char_length", FN_LENGTH}, {"character_length", FN_LENGTH}, {"strlen", FN_LENGTH},
               {"lcase", FN_LOWER},        {"ucase", FN_UPPER},             {"substr", FN_SUBSTRING},
               {"ceiling", FN_CEIL},       {"pow", FN_POWER},               {"log", FN_LOG10},
               {"prefix", FN_STARTS_WITH}, {"suffix", FN_ENDS_WITH},        {"datepart", FN_DATE_PART},
               {"instr", FN_STRPOS},       {"regexp_like", FN_REGEXP_MATCHES},
               {"today", FN_CURRENT_DATE}};

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
        NEED_STR(0);
        *ret = I64;
        break;
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
        NEED_STR(0);
        NEED_STR(1);
        *ret = BOOL;
        break;
    case FN_REGEXP_EXTRACT:
        NEED_STR(0);
        NEED_STR(1);
        if (n > 2) NEED_INT(2);
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
    case FN_FLOOR:
    case FN_CEIL: {
        NEED_NUM(0);
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
        nl_type *t = args[0]->type;
        for (int32_t i = 1; i < n; i++)
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

static nl_status regex_compile(const fn_arg *p, pcre2_code **out, nl_error *err) {
    if (!p->scalar) return nl_error_set(err, NL_ENOTSUP, "regular expressions must be constants");
    int32_t plen;
    const char *pat = as(p, 0, &plen);
    int ecode;
    PCRE2_SIZE eoff;
    *out = pcre2_compile((PCRE2_SPTR)pat, (PCRE2_SIZE)plen, PCRE2_UTF, &ecode, &eoff, NULL);
    if (!*out) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ecode, msg, sizeof msg);
        return nl_error_set(err, NL_EINVAL, "bad regular expression '%.*s' at offset %zu: %s",
                            plen, pat, (size_t)eoff, (const char *)msg);
    }
    return NL_OK;
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
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
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
    if (fn == FN_REGEXP_MATCHES || fn == FN_REGEXP_REPLACE || fn == FN_REGEXP_EXTRACT) {
        if (!av(&args[1], 0) && args[1].scalar) {
            nl_builder_append_nulls(b, rows);
            goto done;
        }
        st = regex_compile(&args[1], &re, err);
        if (st) goto done;
        md = pcre2_match_data_create_from_pattern(re, NULL);
        if (!md) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (int64_t i = 0; i < rows; i++) {
        if (fn != FN_CONCAT && fn != FN_GREATEST && fn != FN_LEAST && fn != FN_CURRENT_DATE &&
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
            int64_t end = len == INT64_MAX ? INT64_MAX : start + len; /* exclusive, 1-based */
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
                memcpy(tmp + o, s, (size_t)l);
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
            for (int64_t r = 0; r < padn; r++) tmp[o++] = fill[r % fl];
            if (fn == FN_LPAD) {
                memcpy(tmp + o, s0, (size_t)l0);
                o += (size_t)l0;
            }
            nl_builder_append_string(b, tmp, (int64_t)o);
            break;
        }
        case FN_REGEXP_MATCHES: {
            int rc = pcre2_match(re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0, 0, md, NULL);
            nl_builder_append_bool(b, rc >= 0);
            break;
        }
        case FN_REGEXP_EXTRACT: {
            int64_t g = n > 2 ? ai(&args[2], i) : 0;
            int rc = pcre2_match(re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0, 0, md, NULL);
            if (rc < 0 || g < 0 || g >= rc) {
                nl_builder_append_string(b, "", 0);
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            nl_builder_append_string(b, s0 + ov[2 * g], (int64_t)(ov[2 * g + 1] - ov[2 * g]));
            break;
        }
        case FN_REGEXP_REPLACE: {
            bool global = n > 3 && av(&args[3], i) && s2 != NULL;
            if (n > 3) {
                int32_t fl;
                const char *f = as(&args[3], i, &fl);
                global = memchr(f, 'g', (size_t)fl) != NULL;
            }
            PCRE2_SIZE outlen = (PCRE2_SIZE)l0 * 2 + (PCRE2_SIZE)l2 * 4 + 64;
            for (int attempt = 0; attempt < 8; attempt++) {
                TMP_RESERVE(outlen);
                PCRE2_SIZE ol = tmp_cap;
                int rc = pcre2_substitute(re, (PCRE2_SPTR)s0, (PCRE2_SIZE)l0, 0,
                                          (global ? PCRE2_SUBSTITUTE_GLOBAL : 0) |
                                              PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                          md, NULL, (PCRE2_SPTR)s2, (PCRE2_SIZE)l2,
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
        case FN_FLOOR:
        case FN_CEIL:
            if (ret->id == NL_TYPE_INT64) {
                nl_builder_append_int(b, ai(&args[0], i));
            } else if (ret->id == NL_TYPE_FLOAT64) {
                double v = ad(&args[0], i);
                if (fn == FN_FLOOR) v = floor(v);
                else if (fn == FN_CEIL) v = ceil(v);
                else {
                    int64_t dg = n > 1 ? ai(&args[1], i) : 0;
                    double p = pow(10.0, (double)dg);
                    v = round(v * p) / p;
                }
                nl_builder_append_double(b, v);
            } else {
                const nl_type *in = args[0].arr->type;
                __int128 v = nl_array_decimal(args[0].arr, args[0].scalar ? 0 : i);
                __int128 p = 1;
                for (int32_t k = 0; k < in->scale - ret->scale; k++) p *= 10;
                __int128 q = v / p, r = v % p;
                if (fn == FN_FLOOR) {
                    if (r < 0) q--;
                } else if (fn == FN_CEIL) {
                    if (r > 0) q++;
                } else {
                    if (r * 2 >= p) q++;
                    else if (r * 2 <= -p) q--;
                }
                nl_builder_append_decimal(b, q);
            }
            break;
        case FN_POWER: nl_builder_append_double(b, pow(ad(&args[0], i), ad(&args[1], i))); break;
        case FN_SQRT:
        case FN_LN:
        case FN_LOG10:
        case FN_LOG2: {
            double v = ad(&args[0], i);
            if (v < 0 || (v == 0 && fn != FN_SQRT)) {
                st = nl_error_set(err, NL_EINVAL, "%s() of %s %g", fn_name(fn),
                                  v == 0 ? "zero" : "a negative number", v);
                goto done;
            }
            nl_builder_append_double(b, fn == FN_SQRT ? sqrt(v) : fn == FN_LN ? log(v)
                                                              : fn == FN_LOG10 ? log10(v)
                                                                               : log2(v));
            break;
        }
        case FN_EXP: nl_builder_append_double(b, exp(ad(&args[0], i))); break;
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
    if (md) pcre2_match_data_free(md);
    if (re) pcre2_code_free(re);
    nl_free(tmp);
    if (st == NL_OK) st = nl_builder_finish(b, &out->arr, err);
    nl_builder_free(b);
    return st;
#undef TMP_RESERVE
}
