/*
 * bind_expr.c -- binding expressions: names to column ids, literals to typed
 * scalars, operators to typed nodes with the implicit casts SQL users expect
 * (integers widen to BIGINT, integers meet decimals as DECIMAL(p,0), anything
 * meets a float as DOUBLE, a string literal meets a date as a DATE), and
 * aggregate calls to aggregate slots. Subqueries become pending joins.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/cast.h"
#include "functions/functions.h"
#include "plan/binder_int.h"

#define ERR_AT(e, code, ...)                                                                       \
    bind_err_at(b, (e)->line, (e)->col, code, __VA_ARGS__)

static nl_status bind_err_at(binder *b, int32_t line, int32_t col, nl_status code, const char *fmt,
                             ...) __attribute__((format(printf, 5, 6)));
static nl_status bind_err_at(binder *b, int32_t line, int32_t col, nl_status code, const char *fmt,
                             ...) {
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nl_error_set(b->err, code, "line %d:%d: %s", line, col, msg);
}

static const char *tname(const nl_type *t, char *buf, size_t n) { return nl_type_name(t, buf, n); }

/* ---- types ---- */

nl_status bind_type_name(pl_ctx *ctx, const char *name, nl_type **out, nl_error *err) {
    char base[64];
    size_t i = 0;
    while (name[i] && name[i] != '(' && i < sizeof base - 1) {
        base[i] = (char)tolower((unsigned char)name[i]);
        i++;
    }
    base[i] = 0;
    while (i > 0 && base[i - 1] == ' ') base[--i] = 0;
    int p = -1, s = -1;
    const char *par = strchr(name, '(');
    if (par) {
        if (sscanf(par, "(%d,%d)", &p, &s) < 1) p = -1;
    }
    static const struct {
        const char *n;
        nl_type_id id;
    } T[] = {{"integer", NL_TYPE_INT32},   {"int", NL_TYPE_INT32},        {"int4", NL_TYPE_INT32},
             {"signed", NL_TYPE_INT32},    {"bigint", NL_TYPE_INT64},     {"int8", NL_TYPE_INT64},
             {"long", NL_TYPE_INT64},      {"smallint", NL_TYPE_INT16},   {"int2", NL_TYPE_INT16},
             {"short", NL_TYPE_INT16},     {"tinyint", NL_TYPE_INT8},     {"int1", NL_TYPE_INT8},
             {"ubigint", NL_TYPE_UINT64},  {"uinteger", NL_TYPE_UINT32},  {"usmallint", NL_TYPE_UINT16},
             {"utinyint", NL_TYPE_UINT8},  {"real", NL_TYPE_FLOAT32},     {"float4", NL_TYPE_FLOAT32},
             {"double", NL_TYPE_FLOAT64},  {"double precision", NL_TYPE_FLOAT64},
             {"float", NL_TYPE_FLOAT32},   {"float8", NL_TYPE_FLOAT64},   {"varchar", NL_TYPE_UTF8},
             {"text", NL_TYPE_UTF8},       {"string", NL_TYPE_UTF8},      {"char", NL_TYPE_UTF8},
             {"character", NL_TYPE_UTF8},  {"character varying", NL_TYPE_UTF8}, {"bpchar", NL_TYPE_UTF8},
             {"date", NL_TYPE_DATE32},     {"boolean", NL_TYPE_BOOL},     {"bool", NL_TYPE_BOOL},
             {"blob", NL_TYPE_BINARY},     {"bytea", NL_TYPE_BINARY},     {"binary", NL_TYPE_BINARY},
             {"varbinary", NL_TYPE_BINARY}, {"i8", NL_TYPE_INT8},         {"i16", NL_TYPE_INT16},
             {"i32", NL_TYPE_INT32},       {"i64", NL_TYPE_INT64},        {"f32", NL_TYPE_FLOAT32},
             {"f64", NL_TYPE_FLOAT64},     {"str", NL_TYPE_UTF8},         {"utf8", NL_TYPE_UTF8}};
    for (size_t k = 0; k < sizeof T / sizeof T[0]; k++) {
        if (strcmp(base, T[k].n) == 0) {
            *out = nl_type_get(T[k].id);
            return NL_OK;
        }
    }
    if (strcmp(base, "decimal") == 0 || strcmp(base, "numeric") == 0 || strcmp(base, "dec") == 0) {
        if (p < 0) {
            p = 18;
            s = 3;
        }
        if (s < 0) s = 0;
        if (p < 1 || p > 38 || s > p)
            return nl_error_set(err, NL_ESQL, "bad type %s: precision must be 1..38 and scale 0..precision",
                                name);
        *out = pl_decimal(ctx, p, s);
        return *out ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (strncmp(base, "timestamp", 9) == 0 || strcmp(base, "datetime") == 0) {
        bool tz = strstr(base, "with time zone") != NULL || strcmp(base, "timestamptz") == 0;
        *out = pl_keep_type(ctx, nl_type_timestamp(NL_UNIT_MICRO, tz ? "UTC" : NULL));
        return *out ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (strcmp(base, "time") == 0) {
        *out = pl_keep_type(ctx, nl_type_time64(NL_UNIT_MICRO));
        return *out ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    return nl_error_set(err, NL_ESQL, "unknown type '%s'", name);
}

static int int_digits(const pl_expr *e) {
    if (e->kind != PL_LIT || e->lit.is_null) return -1;
    int64_t v = e->lit.v.i;
    int d = 1;
    while (v >= 10 || v <= -10) {
        v /= 10;
        d++;
    }
    return d;
}

/* integer type as a decimal: digits it needs */
static int int_precision(const pl_expr *e) {
    int d = int_digits(e);
    if (d > 0 && e->type->id == NL_TYPE_INT64) return d;
    switch (e->type->id) {
    case NL_TYPE_INT8:
    case NL_TYPE_UINT8: return 3;
    case NL_TYPE_INT16:
    case NL_TYPE_UINT16: return 5;
    case NL_TYPE_INT32:
    case NL_TYPE_UINT32: return 10;
    case NL_TYPE_UINT64: return 20;
    default: return 19;
    }
}

static void dec_ps(const pl_expr *e, int *p, int *s) {
    if (e->type->id == NL_TYPE_DECIMAL128) {
        *p = e->type->precision;
        *s = e->type->scale;
    } else {
        *p = int_precision(e);
        *s = 0;
    }
}

static bool is_temporal(nl_type_id id) { return id == NL_TYPE_DATE32 || id == NL_TYPE_TIMESTAMP; }

nl_type *bind_common_type(pl_ctx *ctx, const pl_expr *a, const pl_expr *b) {
    nl_type *x = a->type, *y = b->type;
    if (x->id == NL_TYPE_NULL) return y;
    if (y->id == NL_TYPE_NULL) return x;
    if (nl_type_equals(x, y)) return x;
    bool nx = nl_type_is_numeric(x->id), ny = nl_type_is_numeric(y->id);
    if (nx && ny) {
        if (nl_type_is_floating(x->id) || nl_type_is_floating(y->id)) return nl_type_get(NL_TYPE_FLOAT64);
        if (x->id == NL_TYPE_DECIMAL128 || y->id == NL_TYPE_DECIMAL128) {
            int p1, s1, p2, s2;
            dec_ps(a, &p1, &s1);
            dec_ps(b, &p2, &s2);
            int s = s1 > s2 ? s1 : s2;
            int ip = (p1 - s1) > (p2 - s2) ? (p1 - s1) : (p2 - s2);
            return pl_decimal(ctx, ip + s, s);
        }
        if (x->id == NL_TYPE_INT32 && y->id == NL_TYPE_INT64 && int_digits(b) > 0 && int_digits(b) <= 9)
            return x; /* int32 column vs small literal: stay int32 */
        if (y->id == NL_TYPE_INT32 && x->id == NL_TYPE_INT64 && int_digits(a) > 0 && int_digits(a) <= 9)
            return y;
        return nl_type_get(NL_TYPE_INT64);
    }
    if (is_temporal(x->id) && is_temporal(y->id))
        return x->id == NL_TYPE_TIMESTAMP ? x : y;
    /* a string literal meets anything: it becomes that type */
    if (x->id == NL_TYPE_UTF8 && a->kind == PL_LIT && y->id != NL_TYPE_UTF8) return y;
    if (y->id == NL_TYPE_UTF8 && b->kind == PL_LIT && x->id != NL_TYPE_UTF8) return x;
    if (x->id == NL_TYPE_UTF8 && is_temporal(y->id)) return y;
    if (y->id == NL_TYPE_UTF8 && is_temporal(x->id)) return x;
    if (nl_type_is_string_like(x->id) && nl_type_is_string_like(y->id)) return nl_type_get(NL_TYPE_UTF8);
    if (nl_type_is_integer(x->id) && y->id == NL_TYPE_BOOL) return NULL;
    return NULL;
}

pl_expr *bind_cast(pl_ctx *ctx, pl_expr *e, nl_type *t, nl_error *err) {
    if (!e) return NULL;
    if (nl_type_equals(e->type, t)) return e;
    if (e->kind == PL_LIT && e->lit.is_null) return pl_lit_null(ctx, t);
    pl_expr *c = pl_new(ctx, PL_CAST, t, 1);
    if (!c) {
        nl_error_set(err, NL_ENOMEM, "out of memory");
        return NULL;
    }
    c->args[0] = e;
    return c;
}

/* ---- names ---- */

typedef struct resolved {
    const bcol *col;
    int depth; /* 0 = this query, 1 = the enclosing one ... */
} resolved;

static nl_status resolve(binder *b, bscope *sc, const sql_expr *e, resolved *out) {
    const char *name = e->names[e->n_names - 1];
    const char *qual = e->n_names >= 2 ? e->names[e->n_names - 2] : NULL;
    int depth = 0;
    const bscope *barrier = NULL; /* the first scope left through a barrier */
    for (bscope *s = sc; s; barrier = barrier ? barrier : (s->barrier ? s : NULL), s = s->parent, depth++) {
        const bcol *found = NULL;
        for (int32_t i = 0; i < s->n; i++) {
            const bcol *c = &s->cols[i];
            if (strcasecmp(c->name, name) != 0) continue;
            if (!qual && c->hidden) continue;
            if (qual && (!c->qual || strcasecmp(c->qual, qual) != 0)) continue;
            if (found && found->id != c->id)
                return ERR_AT(e, NL_ESQL, "column name '%s' is ambiguous (it is in %s and %s)", name,
                              found->qual ? found->qual : "?", c->qual ? c->qual : "?");
            found = c;
        }
        if (found && barrier)
            return ERR_AT(e, NL_ENOTSUP, "%s cannot read column '%s' of an enclosing query (not supported)",
                          barrier->barrier, name);
        if (found) {
            out->col = found;
            out->depth = depth;
            return NL_OK;
        }
    }
    if (qual) {
        bool qual_known = false;
        for (bscope *s = sc; s && !qual_known; s = s->parent)
            for (int32_t i = 0; i < s->n; i++)
                if (s->cols[i].qual && strcasecmp(s->cols[i].qual, qual) == 0) qual_known = true;
        if (!qual_known) return ERR_AT(e, NL_ESQL, "table '%s' is not in the FROM clause", qual);
        return ERR_AT(e, NL_ESQL, "column '%s' not found in table '%s'", name, qual);
    }
    /* suggest a close name */
    const char *near = NULL;
    for (int32_t i = 0; sc && i < sc->n && !near; i++)
        if (strncasecmp(sc->cols[i].name, name, 3) == 0) near = sc->cols[i].name;
    if (near) return ERR_AT(e, NL_ESQL, "column '%s' not found (did you mean '%s'?)", name, near);
    return ERR_AT(e, NL_ESQL, "column '%s' not found", name);
}

/* ---- literals ---- */

static nl_status bind_number(binder *b, const sql_expr *e, pl_expr **out) {
    const char *t = e->text;
    size_t len = strlen(t);
    if (e->kind == SQL_E_INT) {
        int64_t v;
        if (nl_parse_int64(t, len, &v)) {
            *out = pl_lit(b->ctx, nl_scalar_int64(v));
            NL_CHECK_ALLOC(*out, b->err);
            return NL_OK;
        }
    }
    bool has_exp = strchr(t, 'e') || strchr(t, 'E');
    int digits = 0, scale = 0;
    bool after = false;
    for (const char *c = t; *c; c++) {
        if (*c == '.') after = true;
        else if (isdigit((unsigned char)*c)) {
            digits++;
            if (after) scale++;
        }
    }
    if (!has_exp && digits <= 38) {
        int p = digits < 1 ? 1 : digits;
        __int128 v;
        if (nl_parse_decimal(t, len, p, scale, &v)) {
            *out = pl_lit(b->ctx, nl_scalar_decimal(v, p, scale));
            NL_CHECK_ALLOC(*out, b->err);
            return NL_OK;
        }
    }
    double d;
    if (!nl_parse_double(t, len, &d)) return ERR_AT(e, NL_ESQL, "bad number '%s'", t);
    *out = pl_lit(b->ctx, nl_scalar_double(d));
    NL_CHECK_ALLOC(*out, b->err);
    return NL_OK;
}

/* ---- aggregates ---- */

bool bind_is_aggregate_call(const sql_expr *e) {
    pl_agg_fn f;
    return e->kind == SQL_E_FUNC && fn_agg_lookup(e->name, &f);
}

static nl_status bind_call_fn(binder *b, const sql_expr *at, int fn, pl_expr **args, int32_t n,
                              pl_expr **out);

static nl_status bind_agg(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    pl_agg_fn fn;
    fn_agg_lookup(e->name, &fn);
    if (!x->agg)
        return ERR_AT(e, NL_ESQL, "aggregate function %s() is not allowed in %s", e->name,
                      x->clause ? x->clause : "this place");
    bx inner = {.agg = NULL, .pend = x->arg_pend, .clause = "the argument of an aggregate"};
    pl_agg a = {.fn = fn, .distinct = e->distinct};
    if (e->star) {
        if (fn != PL_AGG_COUNT) return ERR_AT(e, NL_ESQL, "%s(*) is not allowed; only count(*)", e->name);
        a.fn = PL_AGG_COUNT_STAR;
    } else {
        int32_t want = fn == PL_AGG_STRING_AGG ? 2 : 1;
        if (e->n_args == 0 && fn == PL_AGG_COUNT) {
            a.fn = PL_AGG_COUNT_STAR;
        } else if (e->n_args != want && !(fn == PL_AGG_STRING_AGG && e->n_args == 1)) {
            return ERR_AT(e, NL_ESQL, "%s() takes %d argument%s, not %d", e->name, want,
                          want == 1 ? "" : "s", e->n_args);
        } else {
            NL_TRY(bx_expr(b, sc, e->args[0], &inner, &a.arg));
            if (fn == PL_AGG_STRING_AGG) {
                if (e->n_args > 1) {
                    NL_TRY(bx_expr(b, sc, e->args[1], &inner, &a.arg2));
                    if (a.arg2->kind != PL_LIT)
                        return ERR_AT(e, NL_ENOTSUP, "string_agg() needs a constant separator");
                } else {
                    a.arg2 = pl_lit(b->ctx, nl_scalar_string(",", 1));
                    NL_CHECK_ALLOC(a.arg2, b->err);
                }
                a.arg = bind_cast(b->ctx, a.arg, nl_type_get(NL_TYPE_UTF8), b->err);
                NL_CHECK_ALLOC(a.arg, b->err);
                if (e->n_agg_order > 0) {
                    /* ORDER BY inside: each value travels with its sort key
                     * (functions.h FN_ORDER_PACK); the aggregate sorts at the end */
                    int32_t na = 1 + 2 * e->n_agg_order;
                    if (na > 64) return ERR_AT(e, NL_ENOTSUP, "too many ORDER BY keys in %s()", e->name);
                    pl_expr *pk[64];
                    pk[0] = a.arg;
                    for (int32_t k = 0; k < e->n_agg_order; k++) {
                        const sql_order_item *o = &e->agg_order[k];
                        /* DuckDB's default: NULLS LAST */
                        int64_t flags = (o->desc ? 1 : 0) | (o->nulls == 1 ? 2 : 0);
                        pk[1 + 2 * k] = pl_lit(b->ctx, nl_scalar_int64(flags));
                        NL_CHECK_ALLOC(pk[1 + 2 * k], b->err);
                        NL_TRY(bx_expr(b, sc, o->expr, &inner, &pk[2 + 2 * k]));
                    }
                    NL_TRY(bind_call_fn(b, e, FN_ORDER_PACK, pk, na, &a.arg));
                    a.ordered = true;
                }
            }
        }
    }
    char buf[64];
    nl_type *t = a.arg ? a.arg->type : NULL;
    switch (a.fn) {
    case PL_AGG_COUNT_STAR:
    case PL_AGG_COUNT: a.type = nl_type_get(NL_TYPE_INT64); break;
    case PL_AGG_SUM:
        if (t->id == NL_TYPE_DECIMAL128) a.type = pl_decimal(b->ctx, 38, t->scale);
        else if (nl_type_is_floating(t->id)) a.type = nl_type_get(NL_TYPE_FLOAT64);
        else if (nl_type_is_integer(t->id) || t->id == NL_TYPE_NULL || t->id == NL_TYPE_BOOL) {
            a.type = nl_type_get(NL_TYPE_INT64);
        } else return ERR_AT(e, NL_ETYPE, "sum() of %s is not defined", tname(t, buf, sizeof buf));
        if (a.type->id == NL_TYPE_INT64 && t->id != NL_TYPE_INT64) a.arg = bind_cast(b->ctx, a.arg, a.type, b->err);
        if (a.type->id == NL_TYPE_FLOAT64 && t->id != NL_TYPE_FLOAT64) a.arg = bind_cast(b->ctx, a.arg, a.type, b->err);
        break;
    case PL_AGG_AVG:
    case PL_AGG_STDDEV_SAMP:
    case PL_AGG_STDDEV_POP:
    case PL_AGG_VAR_SAMP:
    case PL_AGG_VAR_POP:
        if (!nl_type_is_numeric(t->id) && t->id != NL_TYPE_NULL)
            return ERR_AT(e, NL_ETYPE, "%s() of %s is not defined", e->name, tname(t, buf, sizeof buf));
        a.type = nl_type_get(NL_TYPE_FLOAT64);
        if (t->id != NL_TYPE_DECIMAL128 || a.fn != PL_AGG_AVG) a.arg = bind_cast(b->ctx, a.arg, a.type, b->err);
        break;
    case PL_AGG_MIN:
    case PL_AGG_MAX:
    case PL_AGG_ANY_VALUE:
        if (nl_type_is_nested(t->id))
            return ERR_AT(e, NL_ETYPE, "%s() of %s is not supported", e->name, tname(t, buf, sizeof buf));
        a.type = t;
        break;
    case PL_AGG_BOOL_AND:
    case PL_AGG_BOOL_OR:
        if (t->id != NL_TYPE_BOOL && t->id != NL_TYPE_NULL)
            return ERR_AT(e, NL_ETYPE, "%s() needs a boolean, not %s", e->name, tname(t, buf, sizeof buf));
        a.type = nl_type_get(NL_TYPE_BOOL);
        a.arg = bind_cast(b->ctx, a.arg, a.type, b->err);
        break;
    case PL_AGG_STRING_AGG: a.type = nl_type_get(NL_TYPE_UTF8); break;
    }
    NL_CHECK_ALLOC(a.type, b->err);
    if (a.arg == NULL && a.fn != PL_AGG_COUNT_STAR) NL_CHECK_ALLOC(a.arg, b->err);
    if (e->filter) {
        NL_TRY(bx_expr(b, sc, e->filter, &inner, &a.filter));
        if (a.filter->type->id != NL_TYPE_BOOL && a.filter->type->id != NL_TYPE_NULL)
            return ERR_AT(e->filter, NL_ETYPE, "FILTER (WHERE ...) must be a boolean");
    }
    /* the same aggregate twice is computed once */
    for (int32_t i = 0; i < x->agg->n; i++) {
        pl_agg *o = &x->agg->aggs[i];
        if (o->fn == a.fn && o->distinct == a.distinct && o->ordered == a.ordered &&
            ((!o->arg2 && !a.arg2) || (o->arg2 && a.arg2 && pl_expr_equal(o->arg2, a.arg2))) &&
            ((!o->arg && !a.arg) || (o->arg && a.arg && pl_expr_equal(o->arg, a.arg))) &&
            ((!o->filter && !a.filter) || (o->filter && a.filter && pl_expr_equal(o->filter, a.filter)))) {
            *out = pl_col(b->ctx, o->id, o->type);
            NL_CHECK_ALLOC(*out, b->err);
            return NL_OK;
        }
    }
    a.id = pl_new_id(b->ctx);
    pl_agg *aggs = pl_arena_grow(b->ctx, x->agg->aggs, x->agg->n, &x->agg->cap, 8, sizeof *aggs);
    NL_CHECK_ALLOC(aggs, b->err);
    x->agg->aggs = aggs;
    x->agg->aggs[x->agg->n++] = a;
    *out = pl_col(b->ctx, a.id, a.type);
    NL_CHECK_ALLOC(*out, b->err);
    return NL_OK;
}

/* ---- operators ---- */

static pl_expr *mk(binder *b, pl_expr_kind k, nl_type *t, int32_t n) { return pl_new(b->ctx, k, t, n); }

static nl_status bind_compare(binder *b, const sql_expr *at, int op, pl_expr *l, pl_expr *r,
                              pl_expr **out) {
    nl_type *t = bind_common_type(b->ctx, l, r);
    char b1[64], b2[64];
    if (!t)
        return ERR_AT(at, NL_ETYPE, "cannot compare %s with %s", tname(l->type, b1, sizeof b1),
                      tname(r->type, b2, sizeof b2));
    l = bind_cast(b->ctx, l, t, b->err);
    r = bind_cast(b->ctx, r, t, b->err);
    NL_CHECK_ALLOC(l, b->err);
    NL_CHECK_ALLOC(r, b->err);
    *out = pl_binary(b->ctx, PL_CMP, op, nl_type_get(NL_TYPE_BOOL), l, r);
    NL_CHECK_ALLOC(*out, b->err);
    return NL_OK;
}

static nl_status bind_call_fn(binder *b, const sql_expr *at, int fn, pl_expr **args, int32_t n,
                              pl_expr **out) {
    nl_type *want[64], *ret;
    if (n > 64) return ERR_AT(at, NL_ESQL, "too many arguments");
    nl_status st = fn_bind(b->ctx, fn, args, n, want, &ret, b->err);
    if (st) {
        nl_error_prefix(b->err, "line %d:%d", at->line, at->col);
        return st;
    }
    pl_expr *c = mk(b, PL_CALL, ret, n);
    NL_CHECK_ALLOC(c, b->err);
    c->fn = fn;
    for (int32_t i = 0; i < n; i++) {
        c->args[i] = want[i] ? bind_cast(b->ctx, args[i], want[i], b->err) : args[i];
        NL_CHECK_ALLOC(c->args[i], b->err);
    }
    *out = c;
    return NL_OK;
}

/* An INTERVAL literal as months, days and microseconds: INTERVAL '3' DAY,
 * INTERVAL 3 DAY, INTERVAL '3 days', INTERVAL '1 year 2 months 4 hours'. */
static nl_status interval_parts(binder *b, const sql_expr *e, int64_t *months, int64_t *days,
                                int64_t *micros) {
    *months = 0;
    *days = 0;
    *micros = 0;
    const char *s = e->text;
    const char *unit_kw = e->name;
    while (*s) {
        while (*s == ' ') s++;
        if (!*s) break;
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s) return ERR_AT(e, NL_ESQL, "bad interval '%s'", e->text);
        s = end;
        while (*s == ' ') s++;
        char unit[32];
        int k = 0;
        while (*s && *s != ' ' && k < 31) unit[k++] = (char)tolower((unsigned char)*s++);
        unit[k] = 0;
        if (k == 0) {
            if (!unit_kw) return ERR_AT(e, NL_ESQL, "interval '%s' needs a unit", e->text);
            for (const char *u = unit_kw; *u && k < 31; u++) unit[k++] = (char)tolower((unsigned char)*u);
            unit[k] = 0;
        }
        if (k > 1 && unit[k - 1] == 's' && strcmp(unit, "ms") != 0 && strcmp(unit, "us") != 0)
            unit[--k] = 0;
        static const struct {
            const char *name;
            int64_t months, days, us;
        } U[] = {{"year", 12, 0, 0},        {"y", 12, 0, 0},         {"yr", 12, 0, 0},
                 {"decade", 120, 0, 0},     {"century", 1200, 0, 0}, {"millennium", 12000, 0, 0},
                 {"quarter", 3, 0, 0},      {"month", 1, 0, 0},      {"mon", 1, 0, 0},
                 {"week", 0, 7, 0},         {"w", 0, 7, 0},          {"day", 0, 1, 0},
                 {"d", 0, 1, 0},            {"hour", 0, 0, 3600000000LL},
                 {"h", 0, 0, 3600000000LL}, {"hr", 0, 0, 3600000000LL},
                 {"minute", 0, 0, 60000000LL}, {"min", 0, 0, 60000000LL}, {"m", 0, 0, 60000000LL},
                 {"second", 0, 0, 1000000LL}, {"sec", 0, 0, 1000000LL}, {"s", 0, 0, 1000000LL},
                 {"millisecond", 0, 0, 1000}, {"ms", 0, 0, 1000}, {"msec", 0, 0, 1000},
                 {"microsecond", 0, 0, 1},  {"us", 0, 0, 1},         {"usec", 0, 0, 1}};
        size_t i = 0;
        while (i < sizeof U / sizeof U[0] && strcmp(U[i].name, unit) != 0) i++;
        if (i == sizeof U / sizeof U[0])
            return ERR_AT(e, NL_ESQL,
                          "unknown interval unit '%s' (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, "
                          "SECOND, MILLISECOND, MICROSECOND)", unit);
        int64_t us;
        if (U[i].us && __builtin_mul_overflow((int64_t)v, U[i].us, &us))
            return ERR_AT(e, NL_EOVERFLOW, "interval '%s' is out of range", e->text);
        if (U[i].us) *micros += us;
        else if (U[i].days) *days += v * U[i].days;
        else *months += v * U[i].months;
    }
    return NL_OK;
}

static nl_status bind_date_interval(binder *b, const sql_expr *at, pl_expr *d, const sql_expr *iv,
                                    bool minus, pl_expr **out) {
    int64_t months, days, micros;
    NL_TRY(interval_parts(b, iv, &months, &days, &micros));
    if (minus) {
        months = -months;
        days = -days;
        micros = -micros;
    }
    pl_expr *cur = d;
    if (cur->type->id == NL_TYPE_UTF8)
        cur = bind_cast(b->ctx, cur, nl_type_get(micros ? NL_TYPE_DATE32 : NL_TYPE_DATE32), b->err);
    NL_CHECK_ALLOC(cur, b->err);
    if (cur->type->id == NL_TYPE_NULL) {
        cur = pl_lit_null(b->ctx, nl_type_get(NL_TYPE_DATE32));
        NL_CHECK_ALLOC(cur, b->err);
    }
    if (cur->type->id == NL_TYPE_DATE32 && micros) {
        /* a time of day makes the result a TIMESTAMP */
        nl_type *ts = pl_keep_type(b->ctx, nl_type_timestamp(NL_UNIT_MICRO, NULL));
        NL_CHECK_ALLOC(ts, b->err);
        cur = bind_cast(b->ctx, cur, ts, b->err);
        NL_CHECK_ALLOC(cur, b->err);
    }
    if (cur->type->id == NL_TYPE_TIMESTAMP) {
        int64_t total = micros;
        if (__builtin_mul_overflow(days, 86400000000LL, &days) || __builtin_add_overflow(total, days, &total))
            return ERR_AT(at, NL_EOVERFLOW, "interval is out of range");
        pl_expr *args[3] = {cur, pl_lit(b->ctx, nl_scalar_int64(months)), pl_lit(b->ctx, nl_scalar_int64(total))};
        NL_CHECK_ALLOC(args[1], b->err);
        NL_CHECK_ALLOC(args[2], b->err);
        return bind_call_fn(b, at, FN_TS_ADD, args, 3, out);
    }
    if (cur->type->id != NL_TYPE_DATE32) {
        char buf[64];
        return ERR_AT(at, NL_ETYPE, "cannot add an INTERVAL to %s (only to a DATE or a TIMESTAMP)",
                      tname(cur->type, buf, sizeof buf));
    }
    if (months) {
        pl_expr *args[2] = {cur, pl_lit(b->ctx, nl_scalar_int64(months))};
        NL_CHECK_ALLOC(args[1], b->err);
        NL_TRY(bind_call_fn(b, at, FN_DATE_ADD_MONTHS, args, 2, &cur));
    }
    if (days || !months) {
        pl_expr *args[2] = {cur, pl_lit(b->ctx, nl_scalar_int64(days))};
        NL_CHECK_ALLOC(args[1], b->err);
        NL_TRY(bind_call_fn(b, at, FN_DATE_ADD_DAYS, args, 2, &cur));
    }
    *out = cur;
    return NL_OK;
}

/* The integer type an operand takes in arithmetic, as DuckDB types it: an
 * integer literal is an INTEGER when it fits (a BIGINT otherwise) and takes
 * the other operand's narrower integer type when its value fits there. */
static nl_type_id int_operand_type(const pl_expr *e, const pl_expr *other) {
    nl_type_id id = e->type->id;
    if (id != NL_TYPE_INT64 || e->kind != PL_LIT || e->lit.is_null) return id;
    int64_t v = e->lit.v.i;
    nl_type_id o = other->type->id;
    bool other_lit = other->kind == PL_LIT;
    if (!other_lit && o == NL_TYPE_INT8 && v >= INT8_MIN && v <= INT8_MAX) return NL_TYPE_INT8;
    if (!other_lit && o == NL_TYPE_INT16 && v >= INT16_MIN && v <= INT16_MAX) return NL_TYPE_INT16;
    return v >= INT32_MIN && v <= INT32_MAX ? NL_TYPE_INT32 : NL_TYPE_INT64;
}

static int int_rank(nl_type_id id) {
    switch (id) {
    case NL_TYPE_INT8: return 1;
    case NL_TYPE_INT16:
    case NL_TYPE_UINT8: return 2;
    case NL_TYPE_INT32:
    case NL_TYPE_UINT16: return 3;
    default: return 4;
    }
}

/* precision of an integer operand seen as a DECIMAL(p,0) in arithmetic */
static int int_dec_width(nl_type_id id) {
    switch (id) {
    case NL_TYPE_INT8:
    case NL_TYPE_UINT8: return 3;
    case NL_TYPE_INT16:
    case NL_TYPE_UINT16: return 5;
    case NL_TYPE_INT32:
    case NL_TYPE_UINT32: return 10;
    case NL_TYPE_UINT64: return 20;
    default: return 19;
    }
}

static nl_status bind_arith(binder *b, const sql_expr *e, int op, pl_expr *l, pl_expr *r,
                            pl_expr **out) {
    char b1[64], b2[64];
    nl_type *lt = l->type, *rt = r->type;
    /* dates */
    if (lt->id == NL_TYPE_DATE32 && (op == PL_ADD || op == PL_SUB) && nl_type_is_integer(rt->id)) {
        if (op == PL_SUB) {
            pl_expr *neg = mk(b, PL_NEG, nl_type_get(NL_TYPE_INT64), 1);
            NL_CHECK_ALLOC(neg, b->err);
            neg->args[0] = bind_cast(b->ctx, r, nl_type_get(NL_TYPE_INT64), b->err);
            r = neg;
        }
        pl_expr *args[2] = {l, r};
        return bind_call_fn(b, e, FN_DATE_ADD_DAYS, args, 2, out);
    }
    if (rt->id == NL_TYPE_DATE32 && op == PL_ADD && nl_type_is_integer(lt->id)) {
        pl_expr *args[2] = {r, l};
        return bind_call_fn(b, e, FN_DATE_ADD_DAYS, args, 2, out);
    }
    if (lt->id == NL_TYPE_DATE32 && rt->id == NL_TYPE_DATE32 && op == PL_SUB) {
        pl_expr *args[2] = {l, r};
        return bind_call_fn(b, e, FN_DATE_DIFF_DAYS, args, 2, out);
    }
    if (lt->id == NL_TYPE_UTF8 && l->kind == PL_LIT && nl_type_is_numeric(rt->id)) lt = rt;
    if (rt->id == NL_TYPE_UTF8 && r->kind == PL_LIT && nl_type_is_numeric(lt->id)) rt = lt;
    bool ln = nl_type_is_numeric(lt->id) || lt->id == NL_TYPE_NULL;
    bool rn = nl_type_is_numeric(rt->id) || rt->id == NL_TYPE_NULL;
    if (!ln || !rn)
        return ERR_AT(e, NL_ETYPE, "cannot apply '%s' to %s and %s", e->op, tname(l->type, b1, sizeof b1),
                      tname(r->type, b2, sizeof b2));
    if (lt->id == NL_TYPE_NULL && rt->id == NL_TYPE_NULL) lt = rt = nl_type_get(NL_TYPE_INT32);
    if (lt->id == NL_TYPE_NULL) lt = rt;
    if (rt->id == NL_TYPE_NULL) rt = lt;
    nl_type *F64 = nl_type_get(NL_TYPE_FLOAT64);
    nl_type *res, *cl, *cr, *final = NULL;
    bool lf = nl_type_is_floating(lt->id), rf = nl_type_is_floating(rt->id);
    bool ld = lt->id == NL_TYPE_DECIMAL128, rd = rt->id == NL_TYPE_DECIMAL128;
    if (lf || rf) {
        /* REAL op (REAL, integer or decimal) stays REAL; it is computed in DOUBLE */
        res = cl = cr = F64;
        if ((lt->id == NL_TYPE_FLOAT32 || !lf) && (rt->id == NL_TYPE_FLOAT32 || !rf))
            final = nl_type_get(NL_TYPE_FLOAT32);
        if (op == PL_IDIV) op = PL_DIV; /* // on non-integers divides (DuckDB) */
    } else if (op == PL_DIV || (op == PL_IDIV && (ld || rd))) {
        res = cl = cr = F64;
        op = PL_DIV;
    } else if (ld || rd) {
        int p1, s1, p2, s2;
        if (ld) {
            p1 = lt->precision;
            s1 = lt->scale;
        } else {
            p1 = int_dec_width(int_operand_type(l, r));
            s1 = 0;
        }
        if (rd) {
            p2 = rt->precision;
            s2 = rt->scale;
        } else {
            p2 = int_dec_width(int_operand_type(r, l));
            s2 = 0;
        }
        int maxw = p1 > p2 ? p1 : p2;
        int s = s1 > s2 ? s1 : s2;
        int ip = (p1 - s1) > (p2 - s2) ? (p1 - s1) : (p2 - s2);
        if (op == PL_MUL) {
            int p = p1 + p2;
            s = s1 + s2;
            if (s > 38)
                return ERR_AT(e, NL_EOVERFLOW, "DECIMAL multiplication needs a scale of %d, over 38", s);
            if (p > 18 && maxw <= 18 && s < 18) p = 18;
            if (p > 38) p = 38;
            res = pl_decimal(b->ctx, p, s);
            cl = pl_decimal(b->ctx, p1, s1);
            cr = pl_decimal(b->ctx, p2, s2);
        } else if (op == PL_MOD) {
            int p = ip + s > 38 ? 38 : ip + s;
            res = cl = cr = pl_decimal(b->ctx, p, s);
        } else {
            int p = (s + ip > maxw ? s + ip : maxw) + 1;
            if (p > 18 && maxw <= 18) p = 18;
            if (p > 38) p = 38;
            res = pl_decimal(b->ctx, p, s);
            cl = pl_decimal(b->ctx, ip + s > 38 ? 38 : ip + s, s);
            cr = cl;
        }
    } else {
        nl_type_id a = int_operand_type(l, r), c = int_operand_type(r, l);
        nl_type_id w = int_rank(a) >= int_rank(c) ? a : c;
        if (int_rank(w) == 4) w = NL_TYPE_INT64;
        else if (w == NL_TYPE_UINT8) w = NL_TYPE_INT16;
        else if (w == NL_TYPE_UINT16) w = NL_TYPE_INT32;
        res = cl = cr = nl_type_get(w);
    }
    NL_CHECK_ALLOC(res, b->err);
    NL_CHECK_ALLOC(cl, b->err);
    NL_CHECK_ALLOC(cr, b->err);
    l = bind_cast(b->ctx, l, cl, b->err);
    r = bind_cast(b->ctx, r, cr, b->err);
    NL_CHECK_ALLOC(l, b->err);
    NL_CHECK_ALLOC(r, b->err);
    pl_expr *ar = pl_binary(b->ctx, PL_ARITH, op, res, l, r);
    NL_CHECK_ALLOC(ar, b->err);
    *out = final ? bind_cast(b->ctx, ar, final, b->err) : ar;
    NL_CHECK_ALLOC(*out, b->err);
    return NL_OK;
}

static nl_status need_bool(binder *b, const sql_expr *at, pl_expr **e, const char *what) {
    if ((*e)->type->id == NL_TYPE_BOOL) return NL_OK;
    if ((*e)->type->id == NL_TYPE_NULL) {
        *e = pl_lit_null(b->ctx, nl_type_get(NL_TYPE_BOOL));
        NL_CHECK_ALLOC(*e, b->err);
        return NL_OK;
    }
    char buf[64];
    return ERR_AT(at, NL_ETYPE, "%s needs a boolean, not %s", what, tname((*e)->type, buf, sizeof buf));
}

static nl_status bind_case(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    int32_t i = 0;
    pl_expr *operand = NULL;
    if (e->has_operand) NL_TRY(bx_expr(b, sc, e->args[i++], x, &operand));
    int32_t n_when = (e->n_args - i - (e->has_else ? 1 : 0)) / 2;
    pl_expr *c = mk(b, PL_CASE, NULL, n_when * 2 + 1);
    NL_CHECK_ALLOC(c, b->err);
    nl_type *t = NULL;
    pl_expr *first_val = NULL;
    for (int32_t w = 0; w < n_when; w++) {
        pl_expr *cond, *val;
        NL_TRY(bx_expr(b, sc, e->args[i + 2 * w], x, &cond));
        if (operand) NL_TRY(bind_compare(b, e->args[i + 2 * w], PL_EQ, operand, cond, &cond));
        NL_TRY(need_bool(b, e->args[i + 2 * w], &cond, "CASE WHEN"));
        NL_TRY(bx_expr(b, sc, e->args[i + 2 * w + 1], x, &val));
        c->args[2 * w] = cond;
        c->args[2 * w + 1] = val;
        if (!first_val) {
            first_val = val;
            t = val->type;
        } else {
            pl_expr tmp = *first_val;
            tmp.type = t;
            nl_type *ct = bind_common_type(b->ctx, &tmp, val);
            char b1[64], b2[64];
            if (!ct)
                return ERR_AT(e->args[i + 2 * w + 1], NL_ETYPE, "CASE branches have types %s and %s",
                              tname(t, b1, sizeof b1), tname(val->type, b2, sizeof b2));
            t = ct;
        }
    }
    pl_expr *els;
    if (e->has_else) {
        NL_TRY(bx_expr(b, sc, e->args[e->n_args - 1], x, &els));
        pl_expr tmp = *first_val;
        tmp.type = t;
        nl_type *ct = bind_common_type(b->ctx, &tmp, els);
        char b1[64], b2[64];
        if (!ct)
            return ERR_AT(e->args[e->n_args - 1], NL_ETYPE, "CASE branches have types %s and %s",
                          tname(t, b1, sizeof b1), tname(els->type, b2, sizeof b2));
        t = ct;
    } else {
        els = pl_lit_null(b->ctx, t);
        NL_CHECK_ALLOC(els, b->err);
    }
    if (t->id == NL_TYPE_NULL) t = nl_type_get(NL_TYPE_INT64);
    for (int32_t w = 0; w < n_when; w++) {
        c->args[2 * w + 1] = bind_cast(b->ctx, c->args[2 * w + 1], t, b->err);
        NL_CHECK_ALLOC(c->args[2 * w + 1], b->err);
    }
    c->args[2 * n_when] = bind_cast(b->ctx, els, t, b->err);
    NL_CHECK_ALLOC(c->args[2 * n_when], b->err);
    c->type = t;
    *out = c;
    return NL_OK;
}

/* COALESCE(a, b, ...) as CASE WHEN a IS NOT NULL THEN a ... ELSE last END */
static nl_status bind_coalesce(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    if (e->n_args < 1) return ERR_AT(e, NL_ESQL, "coalesce() needs at least one argument");
    pl_expr *args[64];
    if (e->n_args > 64) return ERR_AT(e, NL_ESQL, "too many arguments");
    nl_type *t = NULL;
    for (int32_t i = 0; i < e->n_args; i++) {
        NL_TRY(bx_expr(b, sc, e->args[i], x, &args[i]));
        if (!t) t = args[i]->type;
        else {
            pl_expr tmp = *args[0];
            tmp.type = t;
            nl_type *ct = bind_common_type(b->ctx, &tmp, args[i]);
            char b1[64], b2[64];
            if (!ct)
                return ERR_AT(e, NL_ETYPE, "coalesce() arguments have types %s and %s",
                              tname(t, b1, sizeof b1), tname(args[i]->type, b2, sizeof b2));
            t = ct;
        }
    }
    pl_expr *c = mk(b, PL_CASE, t, (e->n_args - 1) * 2 + 1);
    NL_CHECK_ALLOC(c, b->err);
    for (int32_t i = 0; i < e->n_args; i++) {
        pl_expr *v = bind_cast(b->ctx, args[i], t, b->err);
        NL_CHECK_ALLOC(v, b->err);
        if (i == e->n_args - 1) {
            c->args[2 * i] = v;
        } else {
            pl_expr *nn = mk(b, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
            NL_CHECK_ALLOC(nn, b->err);
            nn->negated = true;
            nn->args[0] = v;
            c->args[2 * i] = nn;
            c->args[2 * i + 1] = v;
        }
    }
    *out = c;
    return NL_OK;
}

static nl_status bind_func(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    if (bind_is_aggregate_call(e)) return bind_agg(b, sc, e, x, out);
    if (e->filter) return ERR_AT(e, NL_ESQL, "FILTER is only allowed on aggregate functions");
    if (e->distinct) return ERR_AT(e, NL_ESQL, "DISTINCT is only allowed in aggregate functions");
    if (strcasecmp(e->name, "coalesce") == 0 || strcasecmp(e->name, "ifnull") == 0)
        return bind_coalesce(b, sc, e, x, out);
    if (strcasecmp(e->name, "nullif") == 0) {
        if (e->n_args != 2) return ERR_AT(e, NL_ESQL, "nullif() takes 2 arguments, not %d", e->n_args);
        pl_expr *a, *c, *eq;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &a));
        NL_TRY(bx_expr(b, sc, e->args[1], x, &c));
        NL_TRY(bind_compare(b, e, PL_EQ, a, c, &eq));
        pl_expr *r = mk(b, PL_CASE, a->type, 3);
        NL_CHECK_ALLOC(r, b->err);
        r->args[0] = eq;
        r->args[1] = pl_lit_null(b->ctx, a->type);
        r->args[2] = a;
        NL_CHECK_ALLOC(r->args[1], b->err);
        *out = r;
        return NL_OK;
    }
    if (strcasecmp(e->name, "if") == 0 || strcasecmp(e->name, "iif") == 0) {
        if (e->n_args != 3) return ERR_AT(e, NL_ESQL, "if() takes 3 arguments, not %d", e->n_args);
        sql_expr c = *e;
        c.kind = SQL_E_CASE;
        c.has_operand = false;
        c.has_else = true;
        return bind_case(b, sc, &c, x, out);
    }
    if (strcasecmp(e->name, "typeof") == 0) {
        if (e->n_args != 1) return ERR_AT(e, NL_ESQL, "typeof() takes 1 argument, not %d", e->n_args);
        pl_expr *a;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &a));
        char buf[96];
        const nl_type *t = a->type;
        if (t->id == NL_TYPE_NULL) snprintf(buf, sizeof buf, "\"NULL\"");
        else if (t->id == NL_TYPE_INT64 && a->kind == PL_LIT && !a->lit.is_null &&
                 a->lit.v.i >= INT32_MIN && a->lit.v.i <= INT32_MAX)
            snprintf(buf, sizeof buf, "INTEGER"); /* an integer literal, as DuckDB types it */
        else if (t->id == NL_TYPE_TIMESTAMP)
            snprintf(buf, sizeof buf, "%s", t->timezone ? "TIMESTAMP WITH TIME ZONE"
                                            : t->unit == NL_UNIT_SECOND ? "TIMESTAMP_S"
                                            : t->unit == NL_UNIT_MILLI  ? "TIMESTAMP_MS"
                                            : t->unit == NL_UNIT_NANO   ? "TIMESTAMP_NS"
                                                                        : "TIMESTAMP");
        else tname(t, buf, sizeof buf);
        *out = pl_lit(b->ctx, nl_scalar_string(buf, (int64_t)strlen(buf)));
        NL_CHECK_ALLOC(*out, b->err);
        return NL_OK;
    }
    static const char *const PARTS[] = {"year", "month", "day", "quarter", "week", "weekofyear",
                                        "dayofweek", "dayofyear", "dayofmonth", "isodow", "hour",
                                        "minute", "second", "millisecond", "microsecond", "decade",
                                        "century", "millennium", "weekday", NULL};
    for (int k = 0; PARTS[k]; k++) {
        if (strcasecmp(e->name, PARTS[k]) != 0 || e->n_args != 1) continue;
        /* year(x) ... as date_part('year', x) */
        pl_expr *a;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &a));
        const char *part = strcasecmp(PARTS[k], "weekofyear") == 0 ? "week" : PARTS[k];
        pl_expr *lit = pl_lit(b->ctx, nl_scalar_string(part, (int64_t)strlen(part)));
        NL_CHECK_ALLOC(lit, b->err);
        pl_expr *args[2] = {lit, a};
        return bind_call_fn(b, e, FN_DATE_PART, args, 2, out);
    }
    if (strcasecmp(e->name, "mod") == 0 || strcasecmp(e->name, "fmod") == 0 ||
        strcasecmp(e->name, "divide") == 0) {
        if (e->n_args != 2) return ERR_AT(e, NL_ESQL, "%s() takes 2 arguments, not %d", e->name, e->n_args);
        pl_expr *l, *r;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &l));
        NL_TRY(bx_expr(b, sc, e->args[1], x, &r));
        if (strcasecmp(e->name, "fmod") == 0) {
            l = bind_cast(b->ctx, l, nl_type_get(NL_TYPE_FLOAT64), b->err);
            NL_CHECK_ALLOC(l, b->err);
        }
        return bind_arith(b, e, strcasecmp(e->name, "divide") == 0 ? PL_IDIV : PL_MOD, l, r, out);
    }
    int fn = fn_lookup(e->name);
    if (fn < 0) {
        if (strcasecmp(e->name, "read_parquet") == 0 || strcasecmp(e->name, "read_csv") == 0)
            return ERR_AT(e, NL_ESQL, "%s() is a table function: use it in FROM", e->name);
        return ERR_AT(e, NL_ESQL, "unknown function %s()", e->name);
    }
    if (e->star) return ERR_AT(e, NL_ESQL, "%s(*) is not allowed", e->name);
    if ((fn == FN_CURRENT_DATE || fn == FN_NOW) && e->n_args == 0) {
        /* the statement's start time: one value for the whole query */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        *out = pl_lit(b->ctx, fn == FN_NOW ? nl_scalar_timestamp(us, NL_UNIT_MICRO, NULL)
                                           : nl_scalar_date((int32_t)(ts.tv_sec / 86400)));
        NL_CHECK_ALLOC(*out, b->err);
        return NL_OK;
    }
    pl_expr *args[64];
    if (e->n_args > 64) return ERR_AT(e, NL_ESQL, "too many arguments");
    for (int32_t i = 0; i < e->n_args; i++) NL_TRY(bx_expr(b, sc, e->args[i], x, &args[i]));
    return bind_call_fn(b, e, fn, args, e->n_args, out);
}

/* ---- subqueries in expressions ---- */

static nl_status bind_subquery_expr(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    if (!x->pend)
        return ERR_AT(e, NL_ENOTSUP, "subqueries are not supported in %s", x->clause ? x->clause : "this place");
    if (e->kind == SQL_E_EXISTS && bind_query_one_row(e->query)) {
        /* EXISTS of an aggregate without GROUP BY: always one row */
        *out = pl_lit(b->ctx, nl_scalar_bool(!e->negated));
        NL_CHECK_ALLOC(*out, b->err);
        return NL_OK;
    }
    bcorr corr = {.active = true};
    pl_node *sub;
    int32_t nv;
    NL_TRY(bind_subquery(b, sc, e->query, &corr, &sub, &nv));
    if (corr.lateral && e->kind == SQL_E_EXISTS)
        return bind_lateral_exists(b, &corr, sub, e->line, e->col, x->pend, e->negated, out);
    if (corr.lateral) {
        if (nv != 1) return ERR_AT(e, NL_ESQL, "a subquery used as a value must return one column, not %d", nv);
        pl_expr *v;
        NL_TRY(bind_lateral_pending(b, &corr, sub, e->line, e->col, x->pend, &v));
        if (e->kind == SQL_E_SUBQUERY) {
            *out = v;
            return NL_OK;
        }
        /* x IN (one value v) is x = v */
        pl_expr *l, *eq;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &l));
        NL_TRY(bind_compare(b, e, PL_EQ, l, v, &eq));
        if (e->negated) {
            pl_expr *n = mk(b, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
            NL_CHECK_ALLOC(n, b->err);
            n->args[0] = eq;
            eq = n;
        }
        *out = eq;
        return NL_OK;
    }
    bpending p = {.sub = sub, .line = e->line, .col = e->col};
    int32_t extra = e->kind == SQL_E_IN_QUERY ? 1 : 0;
    p.n_keys = corr.n + extra;
    p.lkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    p.rkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(p.lkeys, b->err);
    NL_CHECK_ALLOC(p.rkeys, b->err);
    for (int32_t k = 0; k < corr.n; k++) {
        int32_t pos = pl_node_find(sub, corr.inner_ids[k]);
        p.lkeys[extra + k] = corr.outer[k];
        p.rkeys[extra + k] = pl_col(b->ctx, corr.inner_ids[k], sub->out_types[pos]);
        NL_CHECK_ALLOC(p.rkeys[extra + k], b->err);
        pl_expr *l = p.lkeys[extra + k], *r = p.rkeys[extra + k];
        nl_type *t = bind_common_type(b->ctx, l, r);
        if (!t) return ERR_AT(e, NL_ETYPE, "correlated subquery compares incompatible types");
        p.lkeys[extra + k] = bind_cast(b->ctx, l, t, b->err);
        p.rkeys[extra + k] = bind_cast(b->ctx, r, t, b->err);
    }
    p.residual = corr.residual;
    p.null_eq = corr.null_eq;
    if (e->kind == SQL_E_SUBQUERY) {
        if (nv != 1) return ERR_AT(e, NL_ESQL, "a subquery used as a value must return one column, not %d", nv);
        p.kind = PL_JOIN_SINGLE;
        NL_TRY(bind_pending_push(b, x->pend, p));
        *out = pl_col(b->ctx, sub->out_ids[0], sub->out_types[0]);
        NL_CHECK_ALLOC(*out, b->err);
        return NL_OK;
    }
    /* IN / EXISTS as a value: a mark join */
    if (e->kind == SQL_E_IN_QUERY) {
        if (nv != 1) return ERR_AT(e, NL_ESQL, "the subquery of IN must return one column, not %d", nv);
        pl_expr *l;
        NL_TRY(bx_expr(b, sc, e->args[0], x, &l));
        pl_expr *r = pl_col(b->ctx, sub->out_ids[0], sub->out_types[0]);
        NL_CHECK_ALLOC(r, b->err);
        nl_type *t = bind_common_type(b->ctx, l, r);
        char b1[64], b2[64];
        if (!t)
            return ERR_AT(e, NL_ETYPE, "IN compares %s with %s", tname(l->type, b1, sizeof b1),
                          tname(r->type, b2, sizeof b2));
        p.lkeys[0] = bind_cast(b->ctx, l, t, b->err);
        p.rkeys[0] = bind_cast(b->ctx, r, t, b->err);
        NL_CHECK_ALLOC(p.lkeys[0], b->err);
        NL_CHECK_ALLOC(p.rkeys[0], b->err);
        p.null_aware = true;
    }
    p.kind = PL_JOIN_MARK;
    p.mark_id = pl_new_id(b->ctx);
    NL_TRY(bind_pending_push(b, x->pend, p));
    pl_expr *m = pl_col(b->ctx, p.mark_id, nl_type_get(NL_TYPE_BOOL));
    NL_CHECK_ALLOC(m, b->err);
    if (e->negated) {
        pl_expr *n = mk(b, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
        NL_CHECK_ALLOC(n, b->err);
        n->args[0] = m;
        m = n;
    }
    *out = m;
    return NL_OK;
}

/* ---- the dispatcher ---- */

static int cmp_op(const char *op) {
    if (strcmp(op, "=") == 0) return PL_EQ;
    if (strcmp(op, "<>") == 0) return PL_NE;
    if (strcmp(op, "<") == 0) return PL_LT;
    if (strcmp(op, "<=") == 0) return PL_LE;
    if (strcmp(op, ">") == 0) return PL_GT;
    if (strcmp(op, ">=") == 0) return PL_GE;
    return -1;
}

nl_status bx_expr(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out) {
    if (++b->depth > 400) return ERR_AT(e, NL_ESQL, "expression nested too deeply");
    nl_status st = NL_OK;
    char b1[64], b2[64];
    switch (e->kind) {
    case SQL_E_NULL:
        *out = pl_lit_null(b->ctx, nl_type_get(NL_TYPE_NULL));
        break;
    case SQL_E_BOOL:
        *out = pl_lit(b->ctx, nl_scalar_bool(!e->negated));
        break;
    case SQL_E_INT:
    case SQL_E_NUMBER:
        st = bind_number(b, e, out);
        break;
    case SQL_E_STRING:
        *out = pl_lit(b->ctx, nl_scalar_string(e->text, (int64_t)strlen(e->text)));
        break;
    case SQL_E_TYPED: {
        nl_type *t;
        st = bind_type_name(b->ctx, e->type_name, &t, b->err);
        if (st) break;
        pl_expr *s = pl_lit(b->ctx, nl_scalar_string(e->text, (int64_t)strlen(e->text)));
        NL_CHECK_ALLOC(s, b->err);
        *out = bind_cast(b->ctx, s, t, b->err);
        break;
    }
    case SQL_E_INTERVAL:
        st = ERR_AT(e, NL_ENOTSUP, "an INTERVAL can only be added to or subtracted from a date");
        break;
    case SQL_E_COLUMN: {
        resolved r = {0};
        st = resolve(b, sc, e, &r);
        if (st) break;
        *out = pl_col(b->ctx, r.col->id, r.col->type);
        break;
    }
    case SQL_E_STAR:
        st = ERR_AT(e, NL_ESQL, "'*' is only allowed in the SELECT list or in count(*)");
        break;
    case SQL_E_UNARY: {
        pl_expr *a;
        st = bx_expr(b, sc, e->args[0], x, &a);
        if (st) break;
        if (strcmp(e->op, "NOT") == 0) {
            st = need_bool(b, e, &a, "NOT");
            if (st) break;
            *out = mk(b, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
            if (*out) (*out)->args[0] = a;
        } else {
            if (!nl_type_is_numeric(a->type->id) && a->type->id != NL_TYPE_NULL) {
                st = ERR_AT(e, NL_ETYPE, "cannot negate %s", tname(a->type, b1, sizeof b1));
                break;
            }
            nl_type *t = a->type;
            if (t->id == NL_TYPE_NULL) t = nl_type_get(NL_TYPE_INT32);
            else if (t->id == NL_TYPE_UINT8) t = nl_type_get(NL_TYPE_INT16);
            else if (t->id == NL_TYPE_UINT16) t = nl_type_get(NL_TYPE_INT32);
            else if (t->id == NL_TYPE_UINT32 || t->id == NL_TYPE_UINT64) t = nl_type_get(NL_TYPE_INT64);
            if (t->id == NL_TYPE_FLOAT32) t = nl_type_get(NL_TYPE_FLOAT64);
            *out = mk(b, PL_NEG, t, 1);
            if (*out) (*out)->args[0] = bind_cast(b->ctx, a, t, b->err);
        }
        break;
    }
    case SQL_E_BINARY: {
        const char *op = e->op;
        if (strcmp(op, "AND") == 0 || strcmp(op, "OR") == 0) {
            pl_expr *l, *r;
            if ((st = bx_expr(b, sc, e->args[0], x, &l))) break;
            if ((st = bx_expr(b, sc, e->args[1], x, &r))) break;
            if ((st = need_bool(b, e->args[0], &l, op))) break;
            if ((st = need_bool(b, e->args[1], &r, op))) break;
            pl_expr_kind k = op[0] == 'A' ? PL_AND : PL_OR;
            /* flatten */
            int32_t n = (l->kind == k ? l->n_args : 1) + (r->kind == k ? r->n_args : 1);
            pl_expr *c = mk(b, k, nl_type_get(NL_TYPE_BOOL), n);
            NL_CHECK_ALLOC(c, b->err);
            int32_t i = 0;
            if (l->kind == k)
                for (int32_t j = 0; j < l->n_args; j++) c->args[i++] = l->args[j];
            else c->args[i++] = l;
            if (r->kind == k)
                for (int32_t j = 0; j < r->n_args; j++) c->args[i++] = r->args[j];
            else c->args[i++] = r;
            *out = c;
            break;
        }
        /* date +- interval */
        if ((strcmp(op, "+") == 0 || strcmp(op, "-") == 0) && e->args[1]->kind == SQL_E_INTERVAL) {
            pl_expr *l;
            if ((st = bx_expr(b, sc, e->args[0], x, &l))) break;
            st = bind_date_interval(b, e, l, e->args[1], op[0] == '-', out);
            break;
        }
        if (strcmp(op, "+") == 0 && e->args[0]->kind == SQL_E_INTERVAL) {
            pl_expr *r;
            if ((st = bx_expr(b, sc, e->args[1], x, &r))) break;
            st = bind_date_interval(b, e, r, e->args[0], false, out);
            break;
        }
        pl_expr *l, *r;
        if ((st = bx_expr(b, sc, e->args[0], x, &l))) break;
        if ((st = bx_expr(b, sc, e->args[1], x, &r))) break;
        int c = cmp_op(op);
        if (c >= 0) {
            st = bind_compare(b, e, c, l, r, out);
        } else if (strcmp(op, "||") == 0) {
            pl_expr *args[2] = {l, r};
            st = bind_call_fn(b, e, FN_CONCAT, args, 2, out);
            /* || is null when either side is */
            if (!st) {
                pl_expr *nn1 = mk(b, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
                pl_expr *nn2 = mk(b, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
                pl_expr *either = mk(b, PL_OR, nl_type_get(NL_TYPE_BOOL), 2);
                pl_expr *cs = mk(b, PL_CASE, (*out)->type, 3);
                NL_CHECK_ALLOC(cs, b->err);
                NL_CHECK_ALLOC(either, b->err);
                NL_CHECK_ALLOC(nn1, b->err);
                NL_CHECK_ALLOC(nn2, b->err);
                nn1->args[0] = l;
                nn2->args[0] = r;
                either->args[0] = nn1;
                either->args[1] = nn2;
                cs->args[0] = either;
                cs->args[1] = pl_lit_null(b->ctx, (*out)->type);
                cs->args[2] = *out;
                *out = cs;
            }
        } else {
            int a = strcmp(op, "+") == 0 ? PL_ADD : strcmp(op, "-") == 0 ? PL_SUB
                    : strcmp(op, "*") == 0 ? PL_MUL : strcmp(op, "/") == 0 ? PL_DIV
                    : strcmp(op, "//") == 0 ? PL_IDIV : PL_MOD;
            st = bind_arith(b, e, a, l, r, out);
        }
        break;
    }
    case SQL_E_FUNC: st = bind_func(b, sc, e, x, out); break;
    case SQL_E_CASE: st = bind_case(b, sc, e, x, out); break;
    case SQL_E_CAST: {
        pl_expr *a;
        nl_type *t;
        if ((st = bx_expr(b, sc, e->args[0], x, &a))) break;
        if ((st = bind_type_name(b->ctx, e->type_name, &t, b->err))) {
            nl_error_prefix(b->err, "line %d:%d", e->line, e->col);
            break;
        }
        if (!nl_can_cast(a->type, t)) {
            st = ERR_AT(e, NL_ETYPE, "cannot cast %s to %s", tname(a->type, b1, sizeof b1),
                        tname(t, b2, sizeof b2));
            break;
        }
        /* an integer literal cast to BIGINT stays a cast: it is no longer an
         * INTEGER literal that may narrow in arithmetic */
        if (nl_type_equals(a->type, t) && !(a->kind == PL_LIT && t->id == NL_TYPE_INT64)) {
            *out = a;
            break;
        }
        *out = mk(b, PL_CAST, t, 1);
        if (*out) {
            (*out)->args[0] = a;
            (*out)->try_cast = e->try_cast;
        }
        break;
    }
    case SQL_E_BETWEEN: {
        pl_expr *v, *lo, *hi, *c1, *c2;
        if ((st = bx_expr(b, sc, e->args[0], x, &v))) break;
        if ((st = bx_expr(b, sc, e->args[1], x, &lo))) break;
        if ((st = bx_expr(b, sc, e->args[2], x, &hi))) break;
        if ((st = bind_compare(b, e, PL_GE, v, lo, &c1))) break;
        if ((st = bind_compare(b, e, PL_LE, pl_copy(b->ctx, v), hi, &c2))) break;
        pl_expr *a = mk(b, PL_AND, nl_type_get(NL_TYPE_BOOL), 2);
        NL_CHECK_ALLOC(a, b->err);
        a->args[0] = c1;
        a->args[1] = c2;
        if (e->negated) {
            *out = mk(b, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
            if (*out) (*out)->args[0] = a;
        } else {
            *out = a;
        }
        break;
    }
    case SQL_E_IN_LIST: {
        pl_expr *v;
        if ((st = bx_expr(b, sc, e->args[0], x, &v))) break;
        pl_expr *o = mk(b, PL_OR, nl_type_get(NL_TYPE_BOOL), e->n_args - 1);
        NL_CHECK_ALLOC(o, b->err);
        for (int32_t i = 1; i < e->n_args && !st; i++) {
            pl_expr *item;
            if ((st = bx_expr(b, sc, e->args[i], x, &item))) break;
            st = bind_compare(b, e->args[i], PL_EQ, i == 1 ? v : pl_copy(b->ctx, v), item, &o->args[i - 1]);
        }
        if (st) break;
        pl_expr *r = o->n_args == 1 ? o->args[0] : o;
        if (e->negated) {
            *out = mk(b, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
            if (*out) (*out)->args[0] = r;
        } else {
            *out = r;
        }
        break;
    }
    case SQL_E_IN_QUERY:
    case SQL_E_EXISTS:
    case SQL_E_SUBQUERY: st = bind_subquery_expr(b, sc, e, x, out); break;
    case SQL_E_LIKE: {
        pl_expr *s, *p, *esc = NULL;
        if ((st = bx_expr(b, sc, e->args[0], x, &s))) break;
        if ((st = bx_expr(b, sc, e->args[1], x, &p))) break;
        if (e->n_args > 2 && (st = bx_expr(b, sc, e->args[2], x, &esc))) break;
        if (!nl_type_is_string_like(s->type->id) && s->type->id != NL_TYPE_NULL) {
            st = ERR_AT(e, NL_ETYPE, "LIKE needs text, not %s", tname(s->type, b1, sizeof b1));
            break;
        }
        pl_expr *l = mk(b, PL_LIKE, nl_type_get(NL_TYPE_BOOL), esc ? 3 : 2);
        NL_CHECK_ALLOC(l, b->err);
        l->args[0] = bind_cast(b->ctx, s, nl_type_get(NL_TYPE_UTF8), b->err);
        l->args[1] = bind_cast(b->ctx, p, nl_type_get(NL_TYPE_UTF8), b->err);
        if (esc) l->args[2] = bind_cast(b->ctx, esc, nl_type_get(NL_TYPE_UTF8), b->err);
        /* a constant escape: one character, and not the pattern's last (as
         * PostgreSQL and DuckDB; it escapes nothing there) */
        const pl_expr *pe = l->args[1], *ee = esc ? l->args[2] : NULL;
        if (ee && ee->kind == PL_LIT && !ee->lit.is_null) {
            if (ee->lit.v.str.len > 1) {
                st = ERR_AT(e->args[2], NL_ESQL, "LIKE ESCAPE must be one character, not '%s'", ee->lit.v.str.ptr);
                break;
            }
            if (ee->lit.v.str.len == 1 && pe && pe->kind == PL_LIT && !pe->lit.is_null) {
                char ec = ee->lit.v.str.ptr[0];
                bool dangling = false;
                for (int64_t k = 0; k < pe->lit.v.str.len; k++)
                    if (pe->lit.v.str.ptr[k] == ec) {
                        if (k + 1 == pe->lit.v.str.len) dangling = true;
                        k++;
                    }
                if (dangling) {
                    st = ERR_AT(e->args[1], NL_ESQL, "LIKE pattern must not end with the escape character '%c'", ec);
                    break;
                }
            }
        }
        l->negated = e->negated;
        l->ilike = e->ilike;
        *out = l;
        break;
    }
    case SQL_E_IS: {
        pl_expr *a;
        if ((st = bx_expr(b, sc, e->args[0], x, &a))) break;
        if (strcmp(e->op, "NULL") == 0) {
            *out = mk(b, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
            if (*out) {
                (*out)->args[0] = a;
                (*out)->negated = e->negated;
            }
        } else if (strcmp(e->op, "DISTINCT") == 0) {
            pl_expr *r;
            if ((st = bx_expr(b, sc, e->args[1], x, &r))) break;
            st = bind_compare(b, e, e->negated ? PL_NOT_DISTINCT : PL_DISTINCT, a, r, out);
        } else {
            if ((st = need_bool(b, e, &a, "IS TRUE/FALSE"))) break;
            /* a IS TRUE: coalesce(a = true, false) */
            pl_expr *lit = pl_lit(b->ctx, nl_scalar_bool(strcmp(e->op, "TRUE") == 0));
            NL_CHECK_ALLOC(lit, b->err);
            st = bind_compare(b, e, e->negated ? PL_DISTINCT : PL_NOT_DISTINCT, a, lit, out);
        }
        break;
    }
    case SQL_E_EXTRACT: {
        pl_expr *a;
        if ((st = bx_expr(b, sc, e->args[0], x, &a))) break;
        pl_expr *part = pl_lit(b->ctx, nl_scalar_string(e->name, (int64_t)strlen(e->name)));
        NL_CHECK_ALLOC(part, b->err);
        pl_expr *args[2] = {part, a};
        st = bind_call_fn(b, e, FN_DATE_PART, args, 2, out);
        break;
    }
    }
    b->depth--;
    if (st == NL_OK && !*out) return nl_error_set(b->err, NL_ENOMEM, "out of memory binding an expression");
    return st;
}

const char *bind_expr_name(binder *b, const sql_expr *e) {
    switch (e->kind) {
    case SQL_E_COLUMN: return e->names[e->n_names - 1];
    case SQL_E_FUNC:
        if (e->star || (e->n_args == 0 && strcasecmp(e->name, "count") == 0)) return "count_star()";
        if (e->n_args >= 1 && e->args[0]->kind == SQL_E_COLUMN)
            return nl_arena_sprintf(b->ctx->arena, "%s(%s%s)", e->name, e->distinct ? "DISTINCT " : "",
                                    e->args[0]->names[e->args[0]->n_names - 1]);
        return nl_arena_sprintf(b->ctx->arena, "%s(...)", e->name);
    case SQL_E_CAST: return bind_expr_name(b, e->args[0]);
    case SQL_E_INT:
    case SQL_E_NUMBER:
    case SQL_E_STRING: return e->text;
    case SQL_E_NULL: return "NULL";
    case SQL_E_BOOL: return e->negated ? "false" : "true";
    case SQL_E_EXTRACT: return nl_arena_sprintf(b->ctx->arena, "extract(%s)", e->name);
    case SQL_E_CASE: return "CASE";
    case SQL_E_SUBQUERY: return "(subquery)";
    case SQL_E_EXISTS: return "exists";
    case SQL_E_BINARY:
        return nl_arena_sprintf(b->ctx->arena, "(%s %s %s)", bind_expr_name(b, e->args[0]), e->op,
                                bind_expr_name(b, e->args[1]));
    default: return "?column?";
    }
}
