/*
 * parser.c -- recursive descent from tokens to the AST (ast.h).
 *
 * Expression precedence, loosest first: OR, AND, NOT, comparison (= <> < <= >
 * >= IS LIKE IN BETWEEN), || and + -, * / %, unary minus, :: casts, primaries.
 * Every error names the line and column of the token it stopped at and what it
 * expected there.
 */
#include "sql/parser.h"

#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "sql/lexer.h"

typedef struct parser {
    nl_arena *arena;
    const char *src;
    sql_token *t;
    int32_t n, i;
    nl_error *err;
    int depth;
} parser;

#define MAX_DEPTH 200

static sql_token *peek(parser *p) { return &p->t[p->i]; }
static sql_token *peek_at(parser *p, int k) {
    int32_t j = p->i + k;
    return &p->t[j < p->n ? j : p->n - 1];
}
static sql_token *next(parser *p) {
    sql_token *t = &p->t[p->i];
    if (p->i < p->n - 1) p->i++;
    return t;
}
static bool is_kw(parser *p, const char *w) { return sql_tok_is(peek(p), w); }
static bool is_op(parser *p, const char *o) { return sql_tok_op(peek(p), o); }
static bool accept_kw(parser *p, const char *w) {
    if (is_kw(p, w)) {
        next(p);
        return true;
    }
    return false;
}
static bool accept_op(parser *p, const char *o) {
    if (is_op(p, o)) {
        next(p);
        return true;
    }
    return false;
}

static const char *tok_desc(parser *p, const sql_token *t) {
    switch (t->kind) {
    case SQL_TOK_EOF: return "end of input";
    case SQL_TOK_STRING: return nl_arena_sprintf(p->arena, "string '%.40s'", t->text);
    default: return nl_arena_sprintf(p->arena, "'%.40s'", t->text);
    }
}

static nl_status fail(parser *p, const char *expected) {
    sql_token *t = peek(p);
    if (p->err && p->err->code != NL_OK) return p->err->code;
    return nl_error_set(p->err, NL_ESQL, "line %d:%d: expected %s, found %s", t->line, t->col,
                        expected, tok_desc(p, t));
}

static nl_status expect_kw(parser *p, const char *w) {
    if (accept_kw(p, w)) return NL_OK;
    return fail(p, nl_arena_sprintf(p->arena, "%s", w));
}
static nl_status expect_op(parser *p, const char *o) {
    if (accept_op(p, o)) return NL_OK;
    return fail(p, nl_arena_sprintf(p->arena, "'%s'", o));
}

/* Words that end an expression or a table reference, so they are never taken
 * as an implicit alias. */
static const char *const RESERVED[] = {
    "select", "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect",
    "except", "join", "inner", "left", "right", "full", "cross", "on", "using", "as", "and", "or",
    "not", "with", "natural", "outer", "then", "else", "end", "when", "is", "in", "like", "ilike",
    "between", "asc", "desc", "nulls", "values", "case", "window", "filter", "escape", "semi",
    "anti", "into", "set", "by", "all", "distinct", "null", "true", "false", "exists", NULL};

static bool is_reserved(const sql_token *t) {
    if (t->kind != SQL_TOK_IDENT || t->quoted) return false;
    for (int i = 0; RESERVED[i]; i++)
        if (sql_tok_is(t, RESERVED[i])) return true;
    return false;
}

static nl_status ident(parser *p, const char **out) {
    sql_token *t = peek(p);
    if (t->kind != SQL_TOK_IDENT || is_reserved(t)) return fail(p, "a name");
    next(p);
    *out = t->text;
    return NL_OK;
}

/* Any identifier, reserved or not (after a dot, or a function name). */
static nl_status any_ident(parser *p, const char **out) {
    sql_token *t = peek(p);
    if (t->kind != SQL_TOK_IDENT) return fail(p, "a name");
    next(p);
    *out = t->text;
    return NL_OK;
}

/* ---- growable arrays in the arena ---- */

typedef struct vec {
    void **items;
    int32_t n, cap;
} vec;

static nl_status vec_push(parser *p, vec *v, void *x) {
    if (v->n == v->cap) {
        int32_t cap = v->cap ? v->cap * 2 : 4;
        void **ni = nl_arena_alloc(p->arena, sizeof(void *) * (size_t)cap);
        NL_CHECK_ALLOC(ni, p->err);
        if (v->n) memcpy(ni, v->items, sizeof(void *) * (size_t)v->n);
        v->items = ni;
        v->cap = cap;
    }
    v->items[v->n++] = x;
    return NL_OK;
}

static sql_expr *new_expr(parser *p, sql_expr_kind kind, const sql_token *at) {
    sql_expr *e = nl_arena_calloc(p->arena, 1, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->line = at->line;
    e->col = at->col;
    return e;
}

#define NEW_EXPR(var, kind, at)                                                                    \
    sql_expr *var = new_expr(p, kind, at);                                                         \
    NL_CHECK_ALLOC(var, p->err)

static nl_status parse_expr(parser *p, sql_expr **out);
static nl_status parse_query(parser *p, sql_query **out);

static nl_status set_args(parser *p, sql_expr *e, sql_expr **args, int32_t n) {
    e->args = nl_arena_alloc(p->arena, sizeof(sql_expr *) * (size_t)(n ? n : 1));
    NL_CHECK_ALLOC(e->args, p->err);
    if (n) memcpy(e->args, args, sizeof(sql_expr *) * (size_t)n);
    e->n_args = n;
    return NL_OK;
}

/* A type name: words, then optional (n[, m]); "DOUBLE PRECISION", "TIMESTAMP
 * WITH TIME ZONE", "CHARACTER VARYING(10)". */
static nl_status parse_type_name(parser *p, const char **out) {
    sql_token *t = peek(p);
    if (t->kind != SQL_TOK_IDENT) return fail(p, "a type name");
    char buf[128];
    size_t n = 0;
    buf[0] = 0;
    for (int words = 0; peek(p)->kind == SQL_TOK_IDENT && words < 4; words++) {
        sql_token *w = peek(p);
        if (words > 0 && !(sql_tok_is(w, "precision") || sql_tok_is(w, "varying") ||
                           sql_tok_is(w, "with") || sql_tok_is(w, "without") ||
                           sql_tok_is(w, "time") || sql_tok_is(w, "zone")))
            break;
        next(p);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", words ? " " : "", w->text);
        if (n >= sizeof buf) n = sizeof buf - 1;
    }
    if (accept_op(p, "(")) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "(");
        for (;;) {
            sql_token *a = peek(p);
            if (a->kind != SQL_TOK_INT) return fail(p, "a number in the type's parameters");
            next(p);
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", a->text);
            if (n >= sizeof buf) n = sizeof buf - 1;
            if (accept_op(p, ",")) {
                n += (size_t)snprintf(buf + n, sizeof buf - n, ",");
                continue;
            }
            NL_TRY(expect_op(p, ")"));
            break;
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, ")");
    }
    if (n >= sizeof buf) n = sizeof buf - 1;
    *out = nl_arena_strndup(p->arena, buf, n);
    NL_CHECK_ALLOC(*out, p->err);
    return NL_OK;
}

static nl_status parse_expr_list(parser *p, vec *v) {
    for (;;) {
        sql_expr *e;
        NL_TRY(parse_expr(p, &e));
        NL_TRY(vec_push(p, v, e));
        if (!accept_op(p, ",")) return NL_OK;
    }
}

static bool starts_query(parser *p) {
    return is_kw(p, "select") || is_kw(p, "with") || is_kw(p, "values");
}

static nl_status parse_case(parser *p, const sql_token *at, sql_expr **out) {
    NEW_EXPR(e, SQL_E_CASE, at);
    vec args = {0};
    if (!is_kw(p, "when")) {
        sql_expr *op;
        NL_TRY(parse_expr(p, &op));
        NL_TRY(vec_push(p, &args, op));
        e->has_operand = true;
    }
    if (!is_kw(p, "when")) return fail(p, "WHEN");
    while (accept_kw(p, "when")) {
        sql_expr *w, *t;
        NL_TRY(parse_expr(p, &w));
        NL_TRY(expect_kw(p, "then"));
        NL_TRY(parse_expr(p, &t));
        NL_TRY(vec_push(p, &args, w));
        NL_TRY(vec_push(p, &args, t));
    }
    if (accept_kw(p, "else")) {
        sql_expr *el;
        NL_TRY(parse_expr(p, &el));
        NL_TRY(vec_push(p, &args, el));
        e->has_else = true;
    }
    NL_TRY(expect_kw(p, "end"));
    NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
    *out = e;
    return NL_OK;
}

static nl_status parse_add(parser *p, sql_expr **out);

static nl_status parse_func(parser *p, const sql_token *name, sql_expr **out) {
    NEW_EXPR(e, SQL_E_FUNC, name);
    e->name = name->text;
    vec args = {0};
    /* special forms */
    if (sql_tok_is(name, "substring") || sql_tok_is(name, "substr")) {
        sql_expr *a;
        NL_TRY(parse_expr(p, &a));
        NL_TRY(vec_push(p, &args, a));
        if (is_kw(p, "for")) { /* SUBSTRING(x FOR n): from the first character */
            next(p);
            NEW_EXPR(one, SQL_E_INT, name);
            one->text = "1";
            sql_expr *c;
            NL_TRY(parse_expr(p, &c));
            NL_TRY(vec_push(p, &args, one));
            NL_TRY(vec_push(p, &args, c));
        } else if (accept_kw(p, "from")) {
            sql_expr *b;
            NL_TRY(parse_expr(p, &b));
            NL_TRY(vec_push(p, &args, b));
            if (accept_kw(p, "for")) {
                sql_expr *c;
                NL_TRY(parse_expr(p, &c));
                NL_TRY(vec_push(p, &args, c));
            }
        } else {
            while (accept_op(p, ",")) {
                sql_expr *b;
                NL_TRY(parse_expr(p, &b));
                NL_TRY(vec_push(p, &args, b));
            }
        }
        NL_TRY(expect_op(p, ")"));
        e->name = "substring";
        NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
        *out = e;
        return NL_OK;
    }
    if (sql_tok_is(name, "position")) {
        sql_expr *a, *b;
        /* POSITION(needle IN haystack): the needle stops before IN; position(a, b) too */
        NL_TRY(parse_add(p, &a));
        if (accept_op(p, ",")) {
            NL_TRY(parse_expr(p, &b));
            e->name = "strpos"; /* position(haystack, needle) as DuckDB's strpos */
        } else {
            NL_TRY(expect_kw(p, "in"));
            NL_TRY(parse_expr(p, &b));
        }
        NL_TRY(expect_op(p, ")"));
        NL_TRY(vec_push(p, &args, a));
        NL_TRY(vec_push(p, &args, b));
        NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
        *out = e;
        return NL_OK;
    }
    if (sql_tok_is(name, "trim") &&
        (is_kw(p, "both") || is_kw(p, "leading") || is_kw(p, "trailing"))) {
        sql_token *mode = next(p);
        e->name = sql_tok_is(mode, "leading") ? "ltrim" : sql_tok_is(mode, "trailing") ? "rtrim"
                                                                                       : "trim";
        sql_expr *chars = NULL, *s;
        if (!is_kw(p, "from")) NL_TRY(parse_expr(p, &chars));
        NL_TRY(expect_kw(p, "from"));
        NL_TRY(parse_expr(p, &s));
        NL_TRY(expect_op(p, ")"));
        NL_TRY(vec_push(p, &args, s));
        if (chars) NL_TRY(vec_push(p, &args, chars));
        NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
        *out = e;
        return NL_OK;
    }
    if (accept_op(p, "*")) {
        e->star = true;
    } else if (!is_op(p, ")")) {
        if (accept_kw(p, "distinct")) e->distinct = true;
        else accept_kw(p, "all");
        NL_TRY(parse_expr_list(p, &args));
        if (accept_kw(p, "order")) { /* string_agg(x, ',' ORDER BY y [DESC] [NULLS FIRST]) */
            NL_TRY(expect_kw(p, "by"));
            vec v = {0};
            for (;;) {
                sql_order_item *o = nl_arena_calloc(p->arena, 1, sizeof *o);
                NL_CHECK_ALLOC(o, p->err);
                NL_TRY(parse_expr(p, &o->expr));
                if (accept_kw(p, "desc")) o->desc = true;
                else accept_kw(p, "asc");
                if (accept_kw(p, "nulls")) {
                    if (accept_kw(p, "first")) o->nulls = 1;
                    else if (accept_kw(p, "last")) o->nulls = 2;
                    else return fail(p, "FIRST or LAST after NULLS");
                }
                NL_TRY(vec_push(p, &v, o));
                if (!accept_op(p, ",")) break;
            }
            e->agg_order = nl_arena_alloc(p->arena, sizeof(sql_order_item) * (size_t)v.n);
            NL_CHECK_ALLOC(e->agg_order, p->err);
            for (int32_t i = 0; i < v.n; i++) e->agg_order[i] = *(sql_order_item *)v.items[i];
            e->n_agg_order = v.n;
        }
    }
    NL_TRY(expect_op(p, ")"));
    NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
    if (accept_kw(p, "filter")) {
        NL_TRY(expect_op(p, "("));
        NL_TRY(expect_kw(p, "where"));
        NL_TRY(parse_expr(p, &e->filter));
        NL_TRY(expect_op(p, ")"));
    }
    if (is_kw(p, "over"))
        return nl_error_set(p->err, NL_ENOTSUP, "line %d:%d: window functions (OVER) are not supported yet",
                            peek(p)->line, peek(p)->col);
    *out = e;
    return NL_OK;
}

static nl_status parse_primary(parser *p, sql_expr **out) {
    sql_token *t = peek(p);
    if (++p->depth > MAX_DEPTH)
        return nl_error_set(p->err, NL_ESQL, "line %d:%d: expression nested too deeply", t->line,
                            t->col);
    nl_status st = NL_OK;
    switch (t->kind) {
    case SQL_TOK_INT:
    case SQL_TOK_NUMBER: {
        next(p);
        NEW_EXPR(e, t->kind == SQL_TOK_INT ? SQL_E_INT : SQL_E_NUMBER, t);
        e->text = t->text;
        *out = e;
        break;
    }
    case SQL_TOK_STRING: {
        next(p);
        NEW_EXPR(e, SQL_E_STRING, t);
        e->text = t->text;
        *out = e;
        break;
    }
    case SQL_TOK_PARAM:
        return nl_error_set(p->err, NL_ENOTSUP, "line %d:%d: query parameters are not supported yet",
                            t->line, t->col);
    case SQL_TOK_OP:
        if (sql_tok_op(t, "(")) {
            next(p);
            if (starts_query(p)) {
                NEW_EXPR(e, SQL_E_SUBQUERY, t);
                NL_TRY(parse_query(p, &e->query));
                NL_TRY(expect_op(p, ")"));
                *out = e;
            } else {
                NL_TRY(parse_expr(p, out));
                if (is_op(p, ","))
                    return nl_error_set(p->err, NL_ENOTSUP,
                                        "line %d:%d: row values (a, b) are not supported", t->line,
                                        t->col);
                NL_TRY(expect_op(p, ")"));
            }
            break;
        }
        if (sql_tok_op(t, "*")) {
            next(p);
            NEW_EXPR(e, SQL_E_STAR, t);
            *out = e;
            break;
        }
        return fail(p, "an expression");
    case SQL_TOK_IDENT: {
        if (!t->quoted) {
            if (sql_tok_is(t, "null")) {
                next(p);
                NEW_EXPR(e, SQL_E_NULL, t);
                *out = e;
                break;
            }
            if (sql_tok_is(t, "true") || sql_tok_is(t, "false")) {
                next(p);
                NEW_EXPR(e, SQL_E_BOOL, t);
                e->negated = sql_tok_is(t, "false");
                *out = e;
                break;
            }
            if (sql_tok_is(t, "case")) {
                next(p);
                NL_TRY(parse_case(p, t, out));
                break;
            }
            if ((sql_tok_is(t, "cast") || sql_tok_is(t, "try_cast")) &&
                sql_tok_op(peek_at(p, 1), "(")) {
                next(p);
                next(p);
                NEW_EXPR(e, SQL_E_CAST, t);
                e->try_cast = sql_tok_is(t, "try_cast");
                sql_expr *a;
                NL_TRY(parse_expr(p, &a));
                NL_TRY(expect_kw(p, "as"));
                NL_TRY(parse_type_name(p, &e->type_name));
                NL_TRY(expect_op(p, ")"));
                NL_TRY(set_args(p, e, &a, 1));
                *out = e;
                break;
            }
            if (sql_tok_is(t, "exists") && sql_tok_op(peek_at(p, 1), "(")) {
                next(p);
                next(p);
                NEW_EXPR(e, SQL_E_EXISTS, t);
                NL_TRY(parse_query(p, &e->query));
                NL_TRY(expect_op(p, ")"));
                *out = e;
                break;
            }
            if (sql_tok_is(t, "extract") && sql_tok_op(peek_at(p, 1), "(")) {
                next(p);
                next(p);
                NEW_EXPR(e, SQL_E_EXTRACT, t);
                sql_token *f = peek(p);
                if (f->kind != SQL_TOK_IDENT && f->kind != SQL_TOK_STRING)
                    return fail(p, "a date part (YEAR, MONTH, DAY ...)");
                next(p);
                e->name = f->text;
                NL_TRY(expect_kw(p, "from"));
                sql_expr *a;
                NL_TRY(parse_expr(p, &a));
                NL_TRY(expect_op(p, ")"));
                NL_TRY(set_args(p, e, &a, 1));
                *out = e;
                break;
            }
            if ((sql_tok_is(t, "date") || sql_tok_is(t, "timestamp") || sql_tok_is(t, "time") ||
                 sql_tok_is(t, "decimal") || sql_tok_is(t, "numeric")) &&
                peek_at(p, 1)->kind == SQL_TOK_STRING) {
                next(p);
                sql_token *s = next(p);
                NEW_EXPR(e, SQL_E_TYPED, t);
                e->type_name = t->text;
                e->text = s->text;
                *out = e;
                break;
            }
            if (sql_tok_is(t, "interval")) {
                next(p);
                NEW_EXPR(e, SQL_E_INTERVAL, t);
                sql_token *s = peek(p);
                if (s->kind != SQL_TOK_STRING && s->kind != SQL_TOK_INT)
                    return fail(p, "an interval value ('3' or 3)");
                next(p);
                e->text = s->text;
                if (peek(p)->kind == SQL_TOK_IDENT && !is_reserved(peek(p))) e->name = next(p)->text;
                *out = e;
                break;
            }
            if ((sql_tok_is(t, "current_date") || sql_tok_is(t, "current_timestamp") ||
                 sql_tok_is(t, "localtimestamp") || sql_tok_is(t, "current_time")) &&
                !sql_tok_op(peek_at(p, 1), "(")) {
                /* niladic SQL functions: CURRENT_DATE, CURRENT_TIMESTAMP ... */
                next(p);
                NEW_EXPR(e, SQL_E_FUNC, t);
                e->name = t->text;
                *out = e;
                break;
            }
            if (is_reserved(t) && !sql_tok_is(t, "left") && !sql_tok_is(t, "right"))
                return fail(p, "an expression");
        }
        next(p);
        if (sql_tok_op(peek(p), "(")) {
            next(p);
            NL_TRY(parse_func(p, t, out));
            break;
        }
        /* a, t.a, db.t.a, t.* */
        vec names = {0};
        NL_TRY(vec_push(p, &names, (void *)t->text));
        while (accept_op(p, ".")) {
            if (accept_op(p, "*")) {
                NEW_EXPR(e, SQL_E_STAR, t);
                e->names = (const char **)names.items;
                e->n_names = names.n;
                *out = e;
                p->depth--;
                return NL_OK;
            }
            const char *n = NULL;
            NL_TRY(any_ident(p, &n));
            NL_TRY(vec_push(p, &names, (void *)n));
        }
        NEW_EXPR(e, SQL_E_COLUMN, t);
        e->names = (const char **)names.items;
        e->n_names = names.n;
        *out = e;
        break;
    }
    default:
        return fail(p, "an expression");
    }
    p->depth--;
    return st;
}

static nl_status parse_postfix(parser *p, sql_expr **out) {
    NL_TRY(parse_primary(p, out));
    while (is_op(p, "::")) {
        sql_token *t = next(p);
        NEW_EXPR(e, SQL_E_CAST, t);
        NL_TRY(parse_type_name(p, &e->type_name));
        NL_TRY(set_args(p, e, out, 1));
        *out = e;
    }
    return NL_OK;
}

static nl_status parse_unary(parser *p, sql_expr **out) {
    if (is_op(p, "-") || is_op(p, "+")) {
        sql_token *t = next(p);
        sql_expr *a;
        NL_TRY(parse_unary(p, &a));
        if (sql_tok_op(t, "+")) {
            *out = a;
            return NL_OK;
        }
        if ((a->kind == SQL_E_INT || a->kind == SQL_E_NUMBER) && a->text[0] != '-') {
            a->text = nl_arena_sprintf(p->arena, "-%s", a->text);
            NL_CHECK_ALLOC(a->text, p->err);
            a->line = t->line;
            a->col = t->col;
            *out = a;
            return NL_OK;
        }
        NEW_EXPR(e, SQL_E_UNARY, t);
        e->op = "-";
        NL_TRY(set_args(p, e, &a, 1));
        *out = e;
        return NL_OK;
    }
    return parse_postfix(p, out);
}

static nl_status binary(parser *p, const sql_token *t, const char *op, sql_expr *l, sql_expr *r,
                        sql_expr **out) {
    NEW_EXPR(e, SQL_E_BINARY, t);
    e->op = op;
    sql_expr *a[2] = {l, r};
    NL_TRY(set_args(p, e, a, 2));
    e->line = l->line;
    e->col = l->col;
    *out = e;
    return NL_OK;
}

static nl_status parse_mul(parser *p, sql_expr **out) {
    NL_TRY(parse_unary(p, out));
    while (is_op(p, "*") || is_op(p, "/") || is_op(p, "//") || is_op(p, "%")) {
        sql_token *t = next(p);
        sql_expr *r;
        NL_TRY(parse_unary(p, &r));
        NL_TRY(binary(p, t, t->text, *out, r, out));
    }
    return NL_OK;
}

static nl_status parse_add(parser *p, sql_expr **out) {
    NL_TRY(parse_mul(p, out));
    while (is_op(p, "+") || is_op(p, "-") || is_op(p, "||")) {
        sql_token *t = next(p);
        sql_expr *r;
        NL_TRY(parse_mul(p, &r));
        NL_TRY(binary(p, t, t->text, *out, r, out));
    }
    return NL_OK;
}

static nl_status parse_cmp(parser *p, sql_expr **out) {
    NL_TRY(parse_add(p, out));
    for (;;) {
        sql_token *t = peek(p);
        if (is_op(p, "=") || is_op(p, "<>") || is_op(p, "<") || is_op(p, "<=") || is_op(p, ">") ||
            is_op(p, ">=")) {
            next(p);
            sql_expr *r;
            if ((is_kw(p, "any") || is_kw(p, "some") || is_kw(p, "all")) && sql_tok_op(peek_at(p, 1), "(")) {
                /* x = ANY (query) is x IN (query); x <> ALL (query) is x NOT IN (query) */
                sql_token *q = next(p);
                bool all = sql_tok_is(q, "all");
                bool eq = strcmp(t->text, "=") == 0, ne = strcmp(t->text, "<>") == 0;
                if (!(eq && !all) && !(ne && all))
                    return nl_error_set(p->err, NL_ENOTSUP,
                                        "line %d:%d: %s %s (...) is not supported; only = ANY and <> ALL are",
                                        t->line, t->col, t->text, all ? "ALL" : "ANY");
                next(p);
                if (!starts_query(p)) return fail(p, "a query after ANY/ALL (");
                NEW_EXPR(e, SQL_E_IN_QUERY, t);
                e->negated = all;
                NL_TRY(parse_query(p, &e->query));
                NL_TRY(set_args(p, e, out, 1));
                NL_TRY(expect_op(p, ")"));
                *out = e;
                continue;
            }
            NL_TRY(parse_add(p, &r));
            NL_TRY(binary(p, t, t->text, *out, r, out));
            continue;
        }
        if (is_kw(p, "is")) {
            next(p);
            NEW_EXPR(e, SQL_E_IS, t);
            e->negated = accept_kw(p, "not");
            if (accept_kw(p, "null")) e->op = "NULL";
            else if (accept_kw(p, "true")) e->op = "TRUE";
            else if (accept_kw(p, "false")) e->op = "FALSE";
            else if (accept_kw(p, "distinct")) {
                NL_TRY(expect_kw(p, "from"));
                e->op = "DISTINCT";
                sql_expr *r;
                NL_TRY(parse_add(p, &r));
                sql_expr *a[2] = {*out, r};
                NL_TRY(set_args(p, e, a, 2));
                *out = e;
                continue;
            } else return fail(p, "NULL, TRUE, FALSE or DISTINCT FROM after IS");
            NL_TRY(set_args(p, e, out, 1));
            *out = e;
            continue;
        }
        bool neg = false;
        int save = p->i;
        if (is_kw(p, "not") && (sql_tok_is(peek_at(p, 1), "in") || sql_tok_is(peek_at(p, 1), "like") ||
                                sql_tok_is(peek_at(p, 1), "ilike") ||
                                sql_tok_is(peek_at(p, 1), "between"))) {
            next(p);
            neg = true;
        }
        if (accept_kw(p, "between")) {
            NEW_EXPR(e, SQL_E_BETWEEN, t);
            e->negated = neg;
            sql_expr *lo, *hi;
            NL_TRY(parse_add(p, &lo));
            NL_TRY(expect_kw(p, "and"));
            NL_TRY(parse_add(p, &hi));
            sql_expr *a[3] = {*out, lo, hi};
            NL_TRY(set_args(p, e, a, 3));
            *out = e;
            continue;
        }
        if (is_kw(p, "like") || is_kw(p, "ilike")) {
            sql_token *k = next(p);
            NEW_EXPR(e, SQL_E_LIKE, t);
            e->negated = neg;
            e->ilike = sql_tok_is(k, "ilike");
            sql_expr *a[3] = {*out, NULL, NULL};
            NL_TRY(parse_add(p, &a[1]));
            int n = 2;
            if (accept_kw(p, "escape")) {
                NL_TRY(parse_add(p, &a[2]));
                n = 3;
            }
            NL_TRY(set_args(p, e, a, n));
            *out = e;
            continue;
        }
        if (accept_kw(p, "in")) {
            NL_TRY(expect_op(p, "("));
            if (starts_query(p)) {
                NEW_EXPR(e, SQL_E_IN_QUERY, t);
                e->negated = neg;
                NL_TRY(parse_query(p, &e->query));
                NL_TRY(set_args(p, e, out, 1));
                NL_TRY(expect_op(p, ")"));
                *out = e;
                continue;
            }
            NEW_EXPR(e, SQL_E_IN_LIST, t);
            e->negated = neg;
            vec args = {0};
            NL_TRY(vec_push(p, &args, *out));
            NL_TRY(parse_expr_list(p, &args));
            NL_TRY(expect_op(p, ")"));
            NL_TRY(set_args(p, e, (sql_expr **)args.items, args.n));
            *out = e;
            continue;
        }
        p->i = save;
        return NL_OK;
    }
}

static nl_status parse_not(parser *p, sql_expr **out) {
    if (is_kw(p, "not")) {
        sql_token *t = next(p);
        sql_expr *a;
        NL_TRY(parse_not(p, &a));
        NEW_EXPR(e, SQL_E_UNARY, t);
        e->op = "NOT";
        NL_TRY(set_args(p, e, &a, 1));
        *out = e;
        return NL_OK;
    }
    return parse_cmp(p, out);
}

static nl_status parse_and(parser *p, sql_expr **out) {
    NL_TRY(parse_not(p, out));
    while (is_kw(p, "and")) {
        sql_token *t = next(p);
        sql_expr *r;
        NL_TRY(parse_not(p, &r));
        NL_TRY(binary(p, t, "AND", *out, r, out));
    }
    return NL_OK;
}

static nl_status parse_expr(parser *p, sql_expr **out) {
    if (++p->depth > MAX_DEPTH)
        return nl_error_set(p->err, NL_ESQL, "line %d:%d: expression nested too deeply",
                            peek(p)->line, peek(p)->col);
    NL_TRY(parse_and(p, out));
    while (is_kw(p, "or")) {
        sql_token *t = next(p);
        sql_expr *r;
        NL_TRY(parse_and(p, &r));
        NL_TRY(binary(p, t, "OR", *out, r, out));
    }
    p->depth--;
    return NL_OK;
}

/* ---- table references ---- */

static nl_status parse_alias(parser *p, sql_table_ref *r) {
    bool as = accept_kw(p, "as");
    sql_token *t = peek(p);
    if (t->kind == SQL_TOK_IDENT && !is_reserved(t)) {
        next(p);
        r->alias = t->text;
    } else if (as) {
        return fail(p, "an alias after AS");
    } else {
        return NL_OK;
    }
    if (accept_op(p, "(")) {
        vec cols = {0};
        for (;;) {
            const char *c = NULL;
            NL_TRY(ident(p, &c));
            NL_TRY(vec_push(p, &cols, (void *)c));
            if (!accept_op(p, ",")) break;
        }
        NL_TRY(expect_op(p, ")"));
        r->col_aliases = (const char **)cols.items;
        r->n_col_aliases = cols.n;
    }
    return NL_OK;
}

static sql_table_ref *new_ref(parser *p, sql_table_kind kind, const sql_token *at) {
    sql_table_ref *r = nl_arena_calloc(p->arena, 1, sizeof *r);
    if (!r) return NULL;
    r->kind = kind;
    r->line = at->line;
    r->col = at->col;
    return r;
}

static nl_status parse_table_ref(parser *p, sql_table_ref **out);

static nl_status parse_table_primary(parser *p, sql_table_ref **out) {
    sql_token *t = peek(p);
    sql_table_ref *r;
    if (accept_op(p, "(")) {
        if (starts_query(p)) {
            r = new_ref(p, SQL_T_SUBQUERY, t);
            NL_CHECK_ALLOC(r, p->err);
            NL_TRY(parse_query(p, &r->query));
            NL_TRY(expect_op(p, ")"));
        } else {
            /* a parenthesised table or join: (a JOIN b ON ...) */
            NL_TRY(parse_table_ref(p, &r));
            NL_TRY(expect_op(p, ")"));
        }
    } else if (t->kind == SQL_TOK_STRING) {
        next(p);
        r = new_ref(p, SQL_T_FILE, t);
        NL_CHECK_ALLOC(r, p->err);
        r->text = t->text;
    } else if (t->kind == SQL_TOK_IDENT && !is_reserved(t)) {
        next(p);
        vec names = {0};
        NL_TRY(vec_push(p, &names, (void *)t->text));
        while (accept_op(p, ".")) {
            const char *n = NULL;
            NL_TRY(any_ident(p, &n));
            NL_TRY(vec_push(p, &names, (void *)n));
        }
        if (accept_op(p, "(")) {
            r = new_ref(p, SQL_T_FUNC, t);
            NL_CHECK_ALLOC(r, p->err);
            r->name = t->text;
            vec args = {0};
            if (!is_op(p, ")")) NL_TRY(parse_expr_list(p, &args));
            NL_TRY(expect_op(p, ")"));
            r->args = (sql_expr **)args.items;
            r->n_args = args.n;
        } else {
            r = new_ref(p, SQL_T_NAME, t);
            NL_CHECK_ALLOC(r, p->err);
            r->names = (const char **)names.items;
            r->n_names = names.n;
        }
    } else {
        return fail(p, "a table name, a 'file' or a (subquery)");
    }
    NL_TRY(parse_alias(p, r));
    *out = r;
    return NL_OK;
}

static nl_status parse_table_ref(parser *p, sql_table_ref **out) {
    NL_TRY(parse_table_primary(p, out));
    for (;;) {
        sql_token *t = peek(p);
        sql_join_kind kind;
        bool natural = accept_kw(p, "natural");
        if (natural && (is_kw(p, "cross") || is_kw(p, "natural"))) return fail(p, "JOIN after NATURAL");
        if (accept_kw(p, "cross")) {
            NL_TRY(expect_kw(p, "join"));
            kind = SQL_JOIN_CROSS;
        } else if (accept_kw(p, "join")) {
            kind = SQL_JOIN_INNER;
        } else if (accept_kw(p, "inner")) {
            NL_TRY(expect_kw(p, "join"));
            kind = SQL_JOIN_INNER;
        } else if (is_kw(p, "left") || is_kw(p, "right") || is_kw(p, "full")) {
            sql_token *k = next(p);
            kind = sql_tok_is(k, "left") ? SQL_JOIN_LEFT : sql_tok_is(k, "right") ? SQL_JOIN_RIGHT
                                                                                 : SQL_JOIN_FULL;
            accept_kw(p, "outer");
            NL_TRY(expect_kw(p, "join"));
        } else if (natural) {
            return fail(p, "JOIN after NATURAL");
        } else {
            return NL_OK;
        }
        sql_table_ref *j = new_ref(p, SQL_T_JOIN, t);
        NL_CHECK_ALLOC(j, p->err);
        j->join = kind;
        j->left = *out;
        j->natural = natural;
        NL_TRY(parse_table_primary(p, &j->right));
        if (kind != SQL_JOIN_CROSS && !natural) {
            if (accept_kw(p, "on")) {
                NL_TRY(parse_expr(p, &j->on));
            } else if (accept_kw(p, "using")) {
                NL_TRY(expect_op(p, "("));
                vec cols = {0};
                for (;;) {
                    const char *c = NULL;
                    NL_TRY(ident(p, &c));
                    NL_TRY(vec_push(p, &cols, (void *)c));
                    if (!accept_op(p, ",")) break;
                }
                NL_TRY(expect_op(p, ")"));
                j->using_cols = (const char **)cols.items;
                j->n_using = cols.n;
            } else {
                return fail(p, "ON or USING after the joined table");
            }
        }
        *out = j;
    }
}

/* ---- queries ---- */

static nl_status parse_values(parser *p, sql_select *s) {
    vec rows = {0};
    int32_t width = -1;
    do {
        sql_token *t = peek(p);
        NL_TRY(expect_op(p, "("));
        vec row = {0};
        NL_TRY(parse_expr_list(p, &row));
        NL_TRY(expect_op(p, ")"));
        if (width >= 0 && row.n != width)
            return nl_error_set(p->err, NL_ESQL,
                                "line %d:%d: VALUES rows must have the same number of values (%d, "
                                "then %d)",
                                t->line, t->col, width, row.n);
        width = row.n;
        NL_TRY(vec_push(p, &rows, row.items));
    } while (accept_op(p, ","));
    s->values = (sql_expr ***)rows.items;
    s->n_values = rows.n;
    s->n_items = width;
    return NL_OK;
}

static nl_status parse_select_core(parser *p, sql_query **out) {
    sql_token *t = peek(p);
    sql_query *q = nl_arena_calloc(p->arena, 1, sizeof *q);
    NL_CHECK_ALLOC(q, p->err);
    q->line = t->line;
    q->col = t->col;
    sql_select *s = nl_arena_calloc(p->arena, 1, sizeof *s);
    NL_CHECK_ALLOC(s, p->err);
    q->select = s;
    if (accept_op(p, "(")) {
        sql_query *inner;
        NL_TRY(parse_query(p, &inner));
        NL_TRY(expect_op(p, ")"));
        *out = inner;
        return NL_OK;
    }
    if (accept_kw(p, "values")) {
        NL_TRY(parse_values(p, s));
        *out = q;
        return NL_OK;
    }
    NL_TRY(expect_kw(p, "select"));
    if (accept_kw(p, "distinct")) {
        s->distinct = true;
        if (is_kw(p, "on") && sql_tok_op(peek_at(p, 1), "("))
            return nl_error_set(p->err, NL_ENOTSUP, "line %d:%d: SELECT DISTINCT ON (...) is not supported",
                                peek(p)->line, peek(p)->col);
    } else {
        accept_kw(p, "all");
    }
    vec items = {0};
    for (;;) {
        sql_select_item *it = nl_arena_calloc(p->arena, 1, sizeof *it);
        NL_CHECK_ALLOC(it, p->err);
        NL_TRY(parse_expr(p, &it->expr));
        if (accept_kw(p, "as")) {
            NL_TRY(any_ident(p, &it->alias));
        } else if (peek(p)->kind == SQL_TOK_IDENT && !is_reserved(peek(p))) {
            it->alias = next(p)->text;
        }
        NL_TRY(vec_push(p, &items, it));
        if (!accept_op(p, ",")) break;
    }
    s->items = nl_arena_alloc(p->arena, sizeof(sql_select_item) * (size_t)items.n);
    NL_CHECK_ALLOC(s->items, p->err);
    for (int32_t i = 0; i < items.n; i++) s->items[i] = *(sql_select_item *)items.items[i];
    s->n_items = items.n;
    if (accept_kw(p, "from")) {
        vec from = {0};
        for (;;) {
            sql_table_ref *r;
            NL_TRY(parse_table_ref(p, &r));
            NL_TRY(vec_push(p, &from, r));
            if (!accept_op(p, ",")) break;
        }
        s->from = (sql_table_ref **)from.items;
        s->n_from = from.n;
    }
    if (accept_kw(p, "where")) NL_TRY(parse_expr(p, &s->where));
    if (accept_kw(p, "group")) {
        NL_TRY(expect_kw(p, "by"));
        vec g = {0};
        NL_TRY(parse_expr_list(p, &g));
        s->group_by = (sql_expr **)g.items;
        s->n_group_by = g.n;
    }
    if (accept_kw(p, "having")) NL_TRY(parse_expr(p, &s->having));
    *out = q;
    return NL_OK;
}

static nl_status parse_set_term(parser *p, sql_query **out) {
    NL_TRY(parse_select_core(p, out));
    while (is_kw(p, "intersect")) {
        sql_token *t = next(p);
        sql_query *q = nl_arena_calloc(p->arena, 1, sizeof *q);
        NL_CHECK_ALLOC(q, p->err);
        q->line = t->line;
        q->col = t->col;
        q->setop = SQL_SET_INTERSECT;
        q->set_all = accept_kw(p, "all");
        if (!q->set_all) accept_kw(p, "distinct");
        q->left = *out;
        NL_TRY(parse_select_core(p, &q->right));
        *out = q;
    }
    return NL_OK;
}

static nl_status parse_query(parser *p, sql_query **out) {
    if (++p->depth > MAX_DEPTH)
        return nl_error_set(p->err, NL_ESQL, "line %d:%d: query nested too deeply", peek(p)->line,
                            peek(p)->col);
    sql_cte *ctes = NULL;
    int32_t n_ctes = 0;
    if (accept_kw(p, "with")) {
        accept_kw(p, "recursive");
        vec v = {0};
        for (;;) {
            sql_cte *c = nl_arena_calloc(p->arena, 1, sizeof *c);
            NL_CHECK_ALLOC(c, p->err);
            NL_TRY(ident(p, &c->name));
            if (accept_op(p, "(")) {
                vec cols = {0};
                for (;;) {
                    const char *n = NULL;
                    NL_TRY(ident(p, &n));
                    NL_TRY(vec_push(p, &cols, (void *)n));
                    if (!accept_op(p, ",")) break;
                }
                NL_TRY(expect_op(p, ")"));
                c->col_aliases = (const char **)cols.items;
                c->n_col_aliases = cols.n;
            }
            NL_TRY(expect_kw(p, "as"));
            accept_kw(p, "materialized");
            NL_TRY(expect_op(p, "("));
            NL_TRY(parse_query(p, &c->query));
            NL_TRY(expect_op(p, ")"));
            NL_TRY(vec_push(p, &v, c));
            if (!accept_op(p, ",")) break;
        }
        ctes = nl_arena_alloc(p->arena, sizeof(sql_cte) * (size_t)v.n);
        NL_CHECK_ALLOC(ctes, p->err);
        for (int32_t i = 0; i < v.n; i++) ctes[i] = *(sql_cte *)v.items[i];
        n_ctes = v.n;
    }
    sql_query *q;
    NL_TRY(parse_set_term(p, &q));
    while (is_kw(p, "union") || is_kw(p, "except")) {
        sql_token *t = next(p);
        sql_query *u = nl_arena_calloc(p->arena, 1, sizeof *u);
        NL_CHECK_ALLOC(u, p->err);
        u->line = t->line;
        u->col = t->col;
        u->setop = sql_tok_is(t, "union") ? SQL_SET_UNION : SQL_SET_EXCEPT;
        u->set_all = accept_kw(p, "all");
        if (!u->set_all) accept_kw(p, "distinct");
        u->left = q;
        NL_TRY(parse_set_term(p, &u->right));
        q = u;
    }
    /* ORDER BY / LIMIT belong to the whole query; wrap when q already has them */
    if (is_kw(p, "order") || is_kw(p, "limit") || is_kw(p, "offset") || n_ctes) {
        if (q->n_order_by || q->limit || q->offset || q->n_ctes) {
            sql_query *w = nl_arena_calloc(p->arena, 1, sizeof *w);
            NL_CHECK_ALLOC(w, p->err);
            w->line = q->line;
            w->col = q->col;
            w->setop = SQL_SET_UNION; /* a one-armed wrapper: left only */
            w->left = q;
            w->right = NULL;
            q = w;
        }
    }
    q->ctes = ctes;
    q->n_ctes = n_ctes;
    if (accept_kw(p, "order")) {
        NL_TRY(expect_kw(p, "by"));
        vec v = {0};
        for (;;) {
            sql_order_item *o = nl_arena_calloc(p->arena, 1, sizeof *o);
            NL_CHECK_ALLOC(o, p->err);
            NL_TRY(parse_expr(p, &o->expr));
            if (accept_kw(p, "desc")) o->desc = true;
            else accept_kw(p, "asc");
            if (accept_kw(p, "nulls")) {
                if (accept_kw(p, "first")) o->nulls = 1;
                else if (accept_kw(p, "last")) o->nulls = 2;
                else return fail(p, "FIRST or LAST after NULLS");
            }
            NL_TRY(vec_push(p, &v, o));
            if (!accept_op(p, ",")) break;
        }
        q->order_by = nl_arena_alloc(p->arena, sizeof(sql_order_item) * (size_t)v.n);
        NL_CHECK_ALLOC(q->order_by, p->err);
        for (int32_t i = 0; i < v.n; i++) q->order_by[i] = *(sql_order_item *)v.items[i];
        q->n_order_by = v.n;
    }
    for (int k = 0; k < 2; k++) {
        if (!q->limit && accept_kw(p, "limit")) {
            if (!accept_kw(p, "all")) NL_TRY(parse_expr(p, &q->limit));
        }
        if (!q->offset && accept_kw(p, "offset")) {
            NL_TRY(parse_expr(p, &q->offset));
            if (!accept_kw(p, "rows")) accept_kw(p, "row");
        }
    }
    p->depth--;
    *out = q;
    return NL_OK;
}

/* ---- statements ---- */

static nl_status parse_qualified(parser *p, sql_stmt *s) {
    vec names = {0};
    const char *n = NULL;
    NL_TRY(ident(p, &n));
    NL_TRY(vec_push(p, &names, (void *)n));
    while (accept_op(p, ".")) {
        NL_TRY(any_ident(p, &n));
        NL_TRY(vec_push(p, &names, (void *)n));
    }
    if (names.n > 2)
        return nl_error_set(p->err, NL_ESQL, "line %d:%d: a table name is 'table' or 'db.table'",
                            s->line, s->col);
    s->names = (const char **)names.items;
    s->n_names = names.n;
    return NL_OK;
}

static nl_status parse_stmt(parser *p, sql_stmt **out) {
    sql_token *t = peek(p);
    sql_stmt *s = nl_arena_calloc(p->arena, 1, sizeof *s);
    NL_CHECK_ALLOC(s, p->err);
    s->line = t->line;
    s->col = t->col;
    if (accept_kw(p, "explain")) {
        s->kind = SQL_S_EXPLAIN;
        s->analyze = accept_kw(p, "analyze");
        NL_TRY(parse_stmt(p, &s->inner));
    } else if (starts_query(p) || is_op(p, "(")) {
        s->kind = SQL_S_QUERY;
        NL_TRY(parse_query(p, &s->query));
    } else if (accept_kw(p, "create")) {
        if (accept_kw(p, "or")) {
            NL_TRY(expect_kw(p, "replace"));
            s->or_replace = true;
        }
        if (accept_kw(p, "temporary") || accept_kw(p, "temp")) s->temporary = true;
        if (accept_kw(p, "view")) {
            s->kind = SQL_S_CREATE_VIEW;
            if (accept_kw(p, "if")) {
                NL_TRY(expect_kw(p, "not"));
                NL_TRY(expect_kw(p, "exists"));
                s->if_not_exists = true;
            }
            NL_TRY(parse_qualified(p, s));
            if (accept_op(p, "(")) {
                vec cols = {0};
                for (;;) {
                    const char *c = NULL;
                    NL_TRY(ident(p, &c));
                    NL_TRY(vec_push(p, &cols, (void *)c));
                    if (!accept_op(p, ",")) break;
                }
                NL_TRY(expect_op(p, ")"));
                s->insert_cols = (const char **)cols.items;
                s->n_insert_cols = cols.n;
            }
            NL_TRY(expect_kw(p, "as"));
            s->body_offset = peek(p)->offset;
            NL_TRY(parse_query(p, &s->query));
        } else if (accept_kw(p, "table")) {
            s->kind = SQL_S_CREATE_TABLE;
            if (accept_kw(p, "if")) {
                NL_TRY(expect_kw(p, "not"));
                NL_TRY(expect_kw(p, "exists"));
                s->if_not_exists = true;
            }
            NL_TRY(parse_qualified(p, s));
            if (accept_kw(p, "as")) {
                NL_TRY(parse_query(p, &s->query));
            } else {
                NL_TRY(expect_op(p, "("));
                vec cols = {0};
                for (;;) {
                    sql_column_def *c = nl_arena_calloc(p->arena, 1, sizeof *c);
                    NL_CHECK_ALLOC(c, p->err);
                    c->line = peek(p)->line;
                    c->col = peek(p)->col;
                    NL_TRY(ident(p, &c->name));
                    NL_TRY(parse_type_name(p, &c->type_name));
                    /* constraints are accepted and ignored */
                    for (;;) {
                        if (accept_kw(p, "not")) {
                            NL_TRY(expect_kw(p, "null"));
                        } else if (accept_kw(p, "null") || accept_kw(p, "unique")) {
                        } else if (accept_kw(p, "primary")) {
                            NL_TRY(expect_kw(p, "key"));
                        } else break;
                    }
                    NL_TRY(vec_push(p, &cols, c));
                    if (!accept_op(p, ",")) break;
                }
                NL_TRY(expect_op(p, ")"));
                s->columns = nl_arena_alloc(p->arena, sizeof(sql_column_def) * (size_t)cols.n);
                NL_CHECK_ALLOC(s->columns, p->err);
                for (int32_t i = 0; i < cols.n; i++) s->columns[i] = *(sql_column_def *)cols.items[i];
                s->n_columns = cols.n;
            }
        } else {
            return fail(p, "TABLE or VIEW after CREATE");
        }
    } else if (accept_kw(p, "insert")) {
        s->kind = SQL_S_INSERT;
        NL_TRY(expect_kw(p, "into"));
        NL_TRY(parse_qualified(p, s));
        if (accept_op(p, "(")) {
            vec cols = {0};
            for (;;) {
                const char *c = NULL;
                NL_TRY(ident(p, &c));
                NL_TRY(vec_push(p, &cols, (void *)c));
                if (!accept_op(p, ",")) break;
            }
            NL_TRY(expect_op(p, ")"));
            s->insert_cols = (const char **)cols.items;
            s->n_insert_cols = cols.n;
        }
        if (!starts_query(p) && !is_op(p, "(")) return fail(p, "VALUES or SELECT");
        NL_TRY(parse_query(p, &s->query));
    } else if (accept_kw(p, "drop")) {
        if (accept_kw(p, "table")) s->kind = SQL_S_DROP_TABLE;
        else if (accept_kw(p, "view")) s->kind = SQL_S_DROP_VIEW;
        else return fail(p, "TABLE or VIEW after DROP");
        if (accept_kw(p, "if")) {
            NL_TRY(expect_kw(p, "exists"));
            s->if_exists = true;
        }
        NL_TRY(parse_qualified(p, s));
    } else if (accept_kw(p, "set")) {
        s->kind = SQL_S_SET;
        NL_TRY(parse_qualified(p, s));
        if (!accept_op(p, "=")) NL_TRY(expect_kw(p, "to"));
        sql_token *v = next(p);
        if (v->kind == SQL_TOK_EOF || v->kind == SQL_TOK_OP) return fail(p, "a value");
        s->set_value = v->text;
    } else {
        return fail(p, "a statement (SELECT, WITH, VALUES, CREATE, INSERT, DROP, EXPLAIN, SET)");
    }
    *out = s;
    return NL_OK;
}

nl_status sql_parse(nl_arena *arena, const char *sql, sql_stmt ***out, int32_t *n_out,
                    nl_error *err) {
    sql_tokens toks;
    NL_TRY(sql_lex(arena, sql, &toks, err));
    parser p = {.arena = arena, .src = sql, .t = toks.toks, .n = toks.n, .err = err};
    vec stmts = {0};
    for (;;) {
        while (accept_op(&p, ";")) {
        }
        if (peek(&p)->kind == SQL_TOK_EOF) break;
        int32_t start = peek(&p)->offset;
        sql_stmt *s;
        p.depth = 0;
        NL_TRY(parse_stmt(&p, &s));
        int32_t end = peek(&p)->offset;
        s->text = nl_arena_strndup(arena, sql + start, (size_t)(end - start));
        NL_CHECK_ALLOC(s->text, err);
        if (s->kind == SQL_S_CREATE_VIEW) {
            s->body = nl_arena_strndup(arena, sql + s->body_offset, (size_t)(end - s->body_offset));
            NL_CHECK_ALLOC(s->body, err);
        }
        NL_TRY(vec_push(&p, &stmts, s));
        if (peek(&p)->kind == SQL_TOK_EOF) break;
        if (!accept_op(&p, ";")) return fail(&p, "';' or the end of the statement");
    }
    *out = (sql_stmt **)stmts.items;
    *n_out = stmts.n;
    return NL_OK;
}

nl_status sql_parse_query_text(nl_arena *arena, const char *sql, sql_query **out, nl_error *err) {
    sql_stmt **stmts;
    int32_t n;
    NL_TRY(sql_parse(arena, sql, &stmts, &n, err));
    if (n != 1 || stmts[0]->kind != SQL_S_QUERY)
        return nl_error_set(err, NL_ESQL, "a view must be defined by one query");
    *out = stmts[0]->query;
    return NL_OK;
}
