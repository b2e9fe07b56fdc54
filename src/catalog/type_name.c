/*
 * type_name.c -- reading the type names that declarations use ("i64",
 * "BIGINT", "decimal(15,2)", "list[str]", "datetime[us, UTC]") into types,
 * and building a schema from column definitions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"

typedef struct type_alias {
    const char *name;
    nl_type_id id;
} type_alias;

static const type_alias ALIASES[] = {
    {"null", NL_TYPE_NULL},       {"bool", NL_TYPE_BOOL},       {"boolean", NL_TYPE_BOOL},
    {"i8", NL_TYPE_INT8},         {"int8", NL_TYPE_INT8},       {"tinyint", NL_TYPE_INT8},
    {"i16", NL_TYPE_INT16},       {"int16", NL_TYPE_INT16},     {"smallint", NL_TYPE_INT16},
    {"i32", NL_TYPE_INT32},       {"int32", NL_TYPE_INT32},     {"int", NL_TYPE_INT32},
    {"integer", NL_TYPE_INT32},   {"i64", NL_TYPE_INT64},       {"int64", NL_TYPE_INT64},
    {"bigint", NL_TYPE_INT64},    {"long", NL_TYPE_INT64},      {"u8", NL_TYPE_UINT8},
    {"uint8", NL_TYPE_UINT8},     {"u16", NL_TYPE_UINT16},      {"uint16", NL_TYPE_UINT16},
    {"u32", NL_TYPE_UINT32},      {"uint32", NL_TYPE_UINT32},   {"u64", NL_TYPE_UINT64},
    {"uint64", NL_TYPE_UINT64},   {"ubigint", NL_TYPE_UINT64},  {"f32", NL_TYPE_FLOAT32},
    {"float32", NL_TYPE_FLOAT32}, {"float", NL_TYPE_FLOAT32},   {"real", NL_TYPE_FLOAT32},
    {"f64", NL_TYPE_FLOAT64},     {"float64", NL_TYPE_FLOAT64}, {"double", NL_TYPE_FLOAT64},
    {"str", NL_TYPE_UTF8},        {"string", NL_TYPE_UTF8},     {"utf8", NL_TYPE_UTF8},
    {"varchar", NL_TYPE_UTF8},    {"text", NL_TYPE_UTF8},       {"binary", NL_TYPE_BINARY},
    {"blob", NL_TYPE_BINARY},     {"bytes", NL_TYPE_BINARY},    {"date", NL_TYPE_DATE32},
    {"date32", NL_TYPE_DATE32},
};

static bool unit_parse(const char *s, size_t n, nl_time_unit *u) {
    static const struct { const char *name; nl_time_unit unit; } UNITS[] = {
        {"s", NL_UNIT_SECOND}, {"ms", NL_UNIT_MILLI}, {"us", NL_UNIT_MICRO},
        {"μs", NL_UNIT_MICRO}, {"ns", NL_UNIT_NANO},
    };
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (strlen(UNITS[i].name) == n && strncasecmp(UNITS[i].name, s, n) == 0) {
            *u = UNITS[i].unit;
            return true;
        }
    return false;
}

static void trim(const char **s, size_t *n) {
    while (*n > 0 && isspace((unsigned char)**s)) (*s)++, (*n)--;
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

static nl_status parse_range(const char *s, size_t n, nl_type **out, nl_error *err);

/* Splits "A, B" at the top-level comma. */
static bool split_args(const char *s, size_t n, size_t *comma) {
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '[' || s[i] == '(' || s[i] == '<') depth++;
        else if (s[i] == ']' || s[i] == ')' || s[i] == '>') depth--;
        else if (s[i] == ',' && depth == 0) {
            *comma = i;
            return true;
        }
    }
    return false;
}

static nl_status parse_range(const char *s, size_t n, nl_type **out, nl_error *err) {
    trim(&s, &n);
    size_t base = 0;
    while (base < n && s[base] != '[' && s[base] != '(' && s[base] != '<') base++;
    const char *args = NULL;
    size_t n_args = 0;
    if (base < n) {
        char close = s[base] == '[' ? ']' : s[base] == '(' ? ')' : '>';
        if (s[n - 1] != close) goto bad;
        args = s + base + 1;
        n_args = n - base - 2;
        trim(&args, &n_args);
    }
    size_t bn = base;
    const char *b = s;
    trim(&b, &bn);
    if (!args) {
        for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
            if (strlen(ALIASES[i].name) == bn && strncasecmp(ALIASES[i].name, b, bn) == 0) {
                *out = nl_type_get(ALIASES[i].id);
                return NL_OK;
            }
        if ((bn == 9 && strncasecmp(b, "timestamp", 9) == 0) ||
            (bn == 8 && strncasecmp(b, "datetime", 8) == 0)) {
            *out = nl_type_timestamp(NL_UNIT_MICRO, NULL);
            NL_CHECK_ALLOC(*out, err);
            return NL_OK;
        }
        if ((bn == 11 && strncasecmp(b, "timestamptz", 11) == 0)) {
            *out = nl_type_timestamp(NL_UNIT_MICRO, "UTC");
            NL_CHECK_ALLOC(*out, err);
            return NL_OK;
        }
        if (bn == 4 && strncasecmp(b, "time", 4) == 0) {
            *out = nl_type_time64(NL_UNIT_MICRO);
            NL_CHECK_ALLOC(*out, err);
            return NL_OK;
        }
        if (bn == 7 && strncasecmp(b, "decimal", 7) == 0) {
            *out = nl_type_decimal(38, 0);
            NL_CHECK_ALLOC(*out, err);
            return NL_OK;
        }
        goto bad;
    }
    if ((bn == 4 && strncasecmp(b, "list", 4) == 0) || (bn == 5 && strncasecmp(b, "array", 5) == 0)) {
        nl_type *item = NULL;
        NL_TRY(parse_range(args, n_args, &item, err));
        *out = nl_type_list(item, true);
        NL_CHECK_ALLOC(*out, err);
        return NL_OK;
    }
    if ((bn == 7 && strncasecmp(b, "decimal", 7) == 0) || (bn == 7 && strncasecmp(b, "numeric", 7) == 0)) {
        char tmp[64];
        if (n_args >= sizeof tmp) goto bad;
        memcpy(tmp, args, n_args);
        tmp[n_args] = '\0';
        char *end;
        long p = strtol(tmp, &end, 10), sc = 0;
        while (isspace((unsigned char)*end)) end++;
        if (*end == ',') sc = strtol(end + 1, &end, 10);
        while (isspace((unsigned char)*end)) end++;
        if (*end || p < 1 || p > 38 || sc < 0 || sc > p) goto bad;
        *out = nl_type_decimal((int32_t)p, (int32_t)sc);
        NL_CHECK_ALLOC(*out, err);
        return NL_OK;
    }
    bool is_ts = (bn == 9 && strncasecmp(b, "timestamp", 9) == 0) ||
                 (bn == 8 && strncasecmp(b, "datetime", 8) == 0);
    bool is_dur = bn == 8 && strncasecmp(b, "duration", 8) == 0;
    bool is_time = bn == 4 && strncasecmp(b, "time", 4) == 0;
    if (is_ts || is_dur || is_time) {
        size_t comma = n_args;
        const char *tz = NULL;
        size_t tzn = 0;
        if (split_args(args, n_args, &comma)) {
            tz = args + comma + 1;
            tzn = n_args - comma - 1;
            trim(&tz, &tzn);
        }
        const char *u = args;
        size_t un = comma;
        trim(&u, &un);
        nl_time_unit unit;
        if (!unit_parse(u, un, &unit)) goto bad;
        if (is_ts) {
            char tzbuf[64];
            if (tzn >= sizeof tzbuf) goto bad;
            if (tz) {
                memcpy(tzbuf, tz, tzn);
                tzbuf[tzn] = '\0';
            }
            *out = nl_type_timestamp(unit, tz ? tzbuf : NULL);
        } else if (tz) {
            goto bad;
        } else {
            *out = is_dur ? nl_type_duration(unit) : nl_type_time64(unit);
        }
        NL_CHECK_ALLOC(*out, err);
        return NL_OK;
    }
bad:
    return nl_error_set(err, NL_ETYPE,
                        "unknown type '%.*s' (try i64, f64, str, bool, date, datetime[us], "
                        "decimal(15,2), list[str], or SQL names like BIGINT)",
                        (int)n, s);
}

nl_status cat_type_parse(const char *name, nl_type **out, nl_error *err) {
    *out = NULL;
    if (!name || !*name) return nl_error_set(err, NL_ETYPE, "empty type name");
    return parse_range(name, strlen(name), out, err);
}

nl_status cat_schema_from_defs(const nl_column_def *columns, nl_schema **out, nl_error *err) {
    *out = NULL;
    int32_t n = 0;
    while (columns && columns[n].name) n++;
    nl_field *fields = nl_calloc((size_t)n + 1, sizeof *fields);
    NL_CHECK_ALLOC(fields, err);
    nl_status st = NL_OK;
    for (int32_t i = 0; i < n && st == NL_OK; i++) {
        if (!columns[i].type) {
            st = nl_error_set(err, NL_EINVAL, "column '%s' has no type", columns[i].name);
            break;
        }
        st = cat_type_parse(columns[i].type, &fields[i].type, err);
        if (st != NL_OK) nl_error_prefix(err, "column '%s'", columns[i].name);
        fields[i].name = (char *)columns[i].name;
        fields[i].nullable = true;
    }
    if (st == NL_OK) {
        *out = nl_schema_new(fields, n);
        if (!*out) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (st != NL_OK)
        for (int32_t i = 0; i < n; i++) nl_type_unref(fields[i].type);
    nl_free(fields);
    return st;
}
