/*
 * plan.c -- the plan context, expression and node constructors, structural
 * equality, and EXPLAIN text.
 */
#include "plan/plan.h"

#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "functions/functions.h"

/* provider.h's helpers live with the catalog; the plan keeps its own copies
 * so it does not depend on the catalog module */
static void filter_set_clear(nl_filter_set *set) {
    for (int32_t a = 0; a < set->n; a++) {
        for (int32_t f = 0; f < set->ands[a].n; f++) {
            nl_free(set->ands[a].filters[f].column);
            nl_scalar_clear(&set->ands[a].filters[f].value);
        }
        nl_free(set->ands[a].filters);
    }
    nl_free(set->ands);
    set->n = 0;
    set->ands = NULL;
}

static const char *filter_op_name(nl_filter_op op) {
    static const char *const N[] = {"=", "!=", "<", "<=", ">", ">=", "in", "not in", "contains",
                                    "includes", "includes any", "includes all", "is null", "is not null"};
    return (unsigned)op < sizeof N / sizeof N[0] ? N[op] : "?";
}

nl_status pl_ctx_init(pl_ctx *ctx, nl_error *err) {
    memset(ctx, 0, sizeof *ctx);
    ctx->arena = nl_arena_new(0);
    NL_CHECK_ALLOC(ctx->arena, err);
    ctx->next_id = 1;
    return NL_OK;
}

void pl_ctx_clear(pl_ctx *ctx) {
    for (int32_t i = 0; i < ctx->n_types; i++) nl_type_unref(ctx->types[i]);
    nl_free(ctx->types);
    for (int32_t i = 0; i < ctx->n_fsets; i++) filter_set_clear(ctx->filter_sets[i]);
    nl_free(ctx->filter_sets);
    nl_arena_free(ctx->arena);
    memset(ctx, 0, sizeof *ctx);
}

nl_type *pl_keep_type(pl_ctx *ctx, nl_type *t) {
    if (!t) return NULL;
    if (t->refcount < 0) return t;
    if (ctx->n_types == ctx->cap_types) {
        int32_t cap = ctx->cap_types ? ctx->cap_types * 2 : 16;
        nl_type **nt = nl_realloc(ctx->types, sizeof(nl_type *) * (size_t)cap);
        if (!nt) {
            nl_type_unref(t);
            return NULL;
        }
        ctx->types = nt;
        ctx->cap_types = cap;
    }
    ctx->types[ctx->n_types++] = t;
    return t;
}

nl_type *pl_decimal(pl_ctx *ctx, int32_t precision, int32_t scale) {
    if (precision > 38) precision = 38;
    if (precision < 1) precision = 1;
    if (scale > precision) scale = precision;
    for (int32_t i = 0; i < ctx->n_types; i++) {
        nl_type *t = ctx->types[i];
        if (t->id == NL_TYPE_DECIMAL128 && t->precision == precision && t->scale == scale) return t;
    }
    return pl_keep_type(ctx, nl_type_decimal(precision, scale));
}

nl_type *pl_type(nl_type_id id) { return nl_type_get(id); }

int32_t pl_new_id(pl_ctx *ctx) { return ctx->next_id++; }

pl_expr *pl_and(pl_ctx *ctx, pl_expr *const *c, int32_t n) {
    if (n == 0) return NULL;
    if (n == 1) return c[0];
    pl_expr *a = pl_new(ctx, PL_AND, nl_type_get(NL_TYPE_BOOL), n);
    if (a) memcpy(a->args, c, sizeof(pl_expr *) * (size_t)n);
    return a;
}

void *pl_arena_grow(pl_ctx *ctx, void *items, int32_t n, int32_t *cap, int32_t first_cap, size_t elem) {
    if (n < *cap) return items;
    int32_t grown = *cap ? *cap * 2 : first_cap;
    void *more = nl_arena_alloc(ctx->arena, elem * (size_t)grown);
    if (!more) return NULL;
    if (n) memcpy(more, items, elem * (size_t)n);
    *cap = grown;
    return more;
}

pl_expr *pl_new(pl_ctx *ctx, pl_expr_kind kind, nl_type *type, int32_t n_args) {
    pl_expr *e = nl_arena_calloc(ctx->arena, 1, sizeof *e);
    if (!e) return NULL;
    e->kind = kind;
    e->type = type;
    e->pos = -1;
    if (n_args > 0) {
        e->args = nl_arena_calloc(ctx->arena, (size_t)n_args, sizeof(pl_expr *));
        if (!e->args) return NULL;
    }
    e->n_args = n_args;
    return e;
}

pl_expr *pl_col(pl_ctx *ctx, int32_t id, nl_type *type) {
    pl_expr *e = pl_new(ctx, PL_COL, type, 0);
    if (e) e->id = id;
    return e;
}

pl_expr *pl_lit(pl_ctx *ctx, nl_scalar v) {
    /* literals' scalars own heap memory (strings); keep them in the arena by
     * copying the string and dropping the heap copy */
    pl_expr *e = pl_new(ctx, PL_LIT, NULL, 0);
    if (!e) {
        nl_scalar_clear(&v);
        return NULL;
    }
    if (v.type) pl_keep_type(ctx, nl_type_ref(v.type));
    e->type = v.type;
    if (v.type && !v.is_null && nl_type_is_string_like(v.type->id)) {
        char *s = nl_arena_alloc(ctx->arena, (size_t)v.v.str.len + 1);
        if (!s) {
            nl_scalar_clear(&v);
            return NULL;
        }
        memcpy(s, v.v.str.ptr, (size_t)v.v.str.len);
        s[v.v.str.len] = 0;
        nl_free(v.v.str.ptr);
        v.v.str.ptr = s;
    }
    /* the scalar's type reference is now owned by ctx (kept above); drop the scalar's own */
    if (v.type) nl_type_unref(v.type);
    e->lit = v;
    return e;
}

pl_expr *pl_lit_null(pl_ctx *ctx, nl_type *type) {
    pl_expr *e = pl_new(ctx, PL_LIT, type, 0);
    if (!e) return NULL;
    e->lit.type = type;
    e->lit.is_null = true;
    return e;
}

pl_expr *pl_binary(pl_ctx *ctx, pl_expr_kind kind, int32_t op, nl_type *type, pl_expr *a, pl_expr *b) {
    pl_expr *e = pl_new(ctx, kind, type, 2);
    if (!e) return NULL;
    e->op = op;
    e->args[0] = a;
    e->args[1] = b;
    return e;
}

pl_expr *pl_copy(pl_ctx *ctx, const pl_expr *e) {
    pl_expr *c = nl_arena_alloc(ctx->arena, sizeof *c);
    if (!c) return NULL;
    *c = *e;
    if (e->n_args) {
        c->args = nl_arena_alloc(ctx->arena, sizeof(pl_expr *) * (size_t)e->n_args);
        if (!c->args) return NULL;
        for (int32_t i = 0; i < e->n_args; i++) {
            c->args[i] = pl_copy(ctx, e->args[i]);
            if (!c->args[i]) return NULL;
        }
    }
    return c;
}

bool pl_expr_equal(const pl_expr *a, const pl_expr *b) {
    if (a->kind != b->kind || a->op != b->op || a->fn != b->fn || a->n_args != b->n_args ||
        a->negated != b->negated || a->ilike != b->ilike || a->try_cast != b->try_cast)
        return false;
    if (a->type && b->type && !nl_type_equals(a->type, b->type)) return false;
    if (a->kind == PL_COL && a->id != b->id) return false;
    if (a->kind == PL_LIT) {
        if (a->lit.is_null != b->lit.is_null) return false;
        if (!a->lit.is_null) {
            bool ok = false;
            if (nl_scalar_compare(&a->lit, &b->lit, &ok) != 0 || !ok) return false;
        }
    }
    for (int32_t i = 0; i < a->n_args; i++)
        if (!pl_expr_equal(a->args[i], b->args[i])) return false;
    return true;
}

void pl_expr_ids(const pl_expr *e, void (*fn)(void *, int32_t), void *ctx) {
    if (e->kind == PL_COL) fn(ctx, e->id);
    for (int32_t i = 0; i < e->n_args; i++) pl_expr_ids(e->args[i], fn, ctx);
}

bool pl_expr_within(const pl_expr *e, const int32_t *ids, int32_t n) {
    if (e->kind == PL_COL) {
        for (int32_t i = 0; i < n; i++)
            if (ids[i] == e->id) return true;
        return false;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        if (!pl_expr_within(e->args[i], ids, n)) return false;
    return true;
}

bool pl_expr_has_cols(const pl_expr *e) {
    if (e->kind == PL_COL) return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (pl_expr_has_cols(e->args[i])) return true;
    return false;
}

pl_node *pl_node_new(pl_ctx *ctx, pl_node_kind kind, int32_t n_kids) {
    pl_node *n = nl_arena_calloc(ctx->arena, 1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->est_rows = -1;
    n->scan_limit = -1;
    n->limit = -1;
    if (n_kids) {
        n->kids = nl_arena_calloc(ctx->arena, (size_t)n_kids, sizeof(pl_node *));
        if (!n->kids) return NULL;
    }
    n->n_kids = n_kids;
    return n;
}

nl_status pl_node_outputs(pl_ctx *ctx, pl_node *n, int32_t n_out, nl_error *err) {
    size_t k = (size_t)(n_out ? n_out : 1);
    n->out_ids = nl_arena_calloc(ctx->arena, k, sizeof(int32_t));
    n->out_types = nl_arena_calloc(ctx->arena, k, sizeof(nl_type *));
    n->out_names = nl_arena_calloc(ctx->arena, k, sizeof(char *));
    if (!n->out_ids || !n->out_types || !n->out_names)
        return nl_error_set(err, NL_ENOMEM, "out of memory building a plan");
    n->n_out = n_out;
    return NL_OK;
}

nl_status pl_node_outputs_from(pl_ctx *ctx, pl_node *dst, const pl_node *src, int32_t extra, nl_error *err) {
    NL_TRY(pl_node_outputs(ctx, dst, src->n_out + extra, err));
    memcpy(dst->out_ids, src->out_ids, sizeof(int32_t) * (size_t)src->n_out);
    memcpy(dst->out_types, src->out_types, sizeof(nl_type *) * (size_t)src->n_out);
    memcpy(dst->out_names, src->out_names, sizeof(char *) * (size_t)src->n_out);
    return NL_OK;
}

bool pl_expr_volatile(const pl_expr *e) {
    if (!e) return false;
    if (e->kind == PL_CALL && e->fn == FN_RANDOM) return true;
    for (int32_t i = 0; i < e->n_args; i++)
        if (pl_expr_volatile(e->args[i])) return true;
    return false;
}

int32_t pl_node_find(const pl_node *n, int32_t id) {
    for (int32_t i = 0; i < n->n_out; i++)
        if (n->out_ids[i] == id) return i;
    return -1;
}

/* ---- EXPLAIN ---- */

static const char *CMP_OPS[] = {"=", "<>", "<", "<=", ">", ">=", "IS DISTINCT FROM",
                                "IS NOT DISTINCT FROM"};
static const char *ARITH_OPS[] = {"+", "-", "*", "/", "%", "//"};

/* Column names for EXPLAIN: the name each id was given where it was made;
 * a name shared by several ids is written name#id. */
typedef struct col_names {
    int32_t *ids;
    int32_t *group; /* the id this one copies under the same name (a projection), or itself */
    const char **names;
    bool *shared;
    int32_t n, cap;
} col_names;

static int32_t names_find(const col_names *cn, int32_t id) {
    for (int32_t i = 0; i < cn->n; i++)
        if (cn->ids[i] == id) return i;
    return -1;
}

static void names_add(col_names *cn, int32_t id, const char *name, int32_t copy_of) {
    if (!name || !*name || names_find(cn, id) >= 0) return;
    if (cn->n == cn->cap) {
        int32_t cap = cn->cap ? cn->cap * 2 : 64;
        int32_t *ni = nl_realloc(cn->ids, sizeof(int32_t) * (size_t)cap);
        if (!ni) return;
        cn->ids = ni;
        int32_t *ng = nl_realloc(cn->group, sizeof(int32_t) * (size_t)cap);
        if (!ng) return;
        cn->group = ng;
        const char **nn = nl_realloc(cn->names, sizeof(char *) * (size_t)cap);
        if (!nn) return;
        cn->names = nn;
        bool *ns = nl_realloc(cn->shared, sizeof(bool) * (size_t)cap);
        if (!ns) return;
        cn->shared = ns;
        cn->cap = cap;
    }
    int32_t group = id;
    int32_t src = copy_of >= 0 ? names_find(cn, copy_of) : -1;
    if (src >= 0 && strcmp(cn->names[src], name) == 0) group = cn->group[src];
    cn->ids[cn->n] = id;
    cn->group[cn->n] = group;
    cn->names[cn->n] = name;
    cn->shared[cn->n] = false;
    for (int32_t i = 0; i < cn->n; i++)
        if (strcmp(cn->names[i], name) == 0 && cn->group[i] != group) cn->shared[i] = cn->shared[cn->n] = true;
    cn->n++;
    /* a shared name marks every id of its groups */
    for (int32_t i = 0; i < cn->n; i++)
        for (int32_t k = 0; k < cn->n; k++)
            if (cn->shared[k] && cn->group[i] == cn->group[k]) cn->shared[i] = true;
}

static void names_collect(col_names *cn, const pl_node *n) {
    for (int32_t i = 0; i < n->n_kids; i++) names_collect(cn, n->kids[i]);
    for (int32_t i = 0; i < n->n_out; i++) {
        int32_t copy_of = -1;
        if (n->kind == PL_PROJECT && n->exprs[i]->kind == PL_COL) copy_of = n->exprs[i]->id;
        if (n->kind == PL_AGG && i < n->n_groups && n->groups[i]->kind == PL_COL) copy_of = n->groups[i]->id;
        names_add(cn, n->out_ids[i], n->out_names[i], copy_of);
    }
}

static void names_free(col_names *cn) {
    nl_free(cn->ids);
    nl_free(cn->group);
    nl_free(cn->names);
    nl_free(cn->shared);
}

static void col_text(nl_strbuf *sb, const col_names *cn, int32_t id) {
    for (int32_t i = 0; cn && i < cn->n; i++)
        if (cn->ids[i] == id) {
            if (cn->shared[i]) nl_strbuf_printf(sb, "%s#%d", cn->names[i], id);
            else nl_strbuf_puts(sb, cn->names[i]);
            return;
        }
    nl_strbuf_printf(sb, "#%d", id);
}

static void expr_text(nl_strbuf *sb, const col_names *cn, const pl_expr *e) {
    char buf[128];
    switch (e->kind) {
    case PL_COL: col_text(sb, cn, e->id); break;
    case PL_LIT:
        if (e->lit.is_null) nl_strbuf_puts(sb, "NULL");
        else {
            nl_scalar_format(&e->lit, true, buf, sizeof buf);
            nl_strbuf_puts(sb, buf);
        }
        break;
    case PL_CALL:
        nl_strbuf_printf(sb, "%s(", fn_name(e->fn));
        for (int32_t i = 0; i < e->n_args; i++) {
            if (i) nl_strbuf_puts(sb, ", ");
            expr_text(sb, cn, e->args[i]);
        }
        nl_strbuf_putc(sb, ')');
        break;
    case PL_CAST:
        nl_strbuf_puts(sb, e->try_cast ? "TRY_CAST(" : "CAST(");
        expr_text(sb, cn, e->args[0]);
        nl_strbuf_printf(sb, " AS %s)", nl_type_name(e->type, buf, sizeof buf));
        break;
    case PL_AND:
    case PL_OR:
        nl_strbuf_putc(sb, '(');
        for (int32_t i = 0; i < e->n_args; i++) {
            if (i) nl_strbuf_puts(sb, e->kind == PL_AND ? " AND " : " OR ");
            expr_text(sb, cn, e->args[i]);
        }
        nl_strbuf_putc(sb, ')');
        break;
    case PL_NOT:
        nl_strbuf_puts(sb, "NOT ");
        expr_text(sb, cn, e->args[0]);
        break;
    case PL_CMP:
    case PL_ARITH:
        nl_strbuf_putc(sb, '(');
        expr_text(sb, cn, e->args[0]);
        nl_strbuf_printf(sb, " %s ", e->kind == PL_CMP ? CMP_OPS[e->op] : ARITH_OPS[e->op]);
        expr_text(sb, cn, e->args[1]);
        nl_strbuf_putc(sb, ')');
        break;
    case PL_NEG:
        nl_strbuf_puts(sb, "-");
        expr_text(sb, cn, e->args[0]);
        break;
    case PL_IS_NULL:
        expr_text(sb, cn, e->args[0]);
        nl_strbuf_puts(sb, e->negated ? " IS NOT NULL" : " IS NULL");
        break;
    case PL_CASE:
        nl_strbuf_puts(sb, "CASE");
        for (int32_t i = 0; i + 1 < e->n_args; i += 2) {
            nl_strbuf_puts(sb, " WHEN ");
            expr_text(sb, cn, e->args[i]);
            nl_strbuf_puts(sb, " THEN ");
            expr_text(sb, cn, e->args[i + 1]);
        }
        nl_strbuf_puts(sb, " ELSE ");
        expr_text(sb, cn, e->args[e->n_args - 1]);
        nl_strbuf_puts(sb, " END");
        break;
    case PL_IN_LIST:
        expr_text(sb, cn, e->args[0]);
        nl_strbuf_puts(sb, e->negated ? " NOT IN (" : " IN (");
        for (int32_t i = 1; i < e->n_args; i++) {
            if (i > 1) nl_strbuf_puts(sb, ", ");
            expr_text(sb, cn, e->args[i]);
        }
        nl_strbuf_putc(sb, ')');
        break;
    case PL_LIKE:
        expr_text(sb, cn, e->args[0]);
        nl_strbuf_printf(sb, " %s%s ", e->negated ? "NOT " : "", e->ilike ? "ILIKE" : "LIKE");
        expr_text(sb, cn, e->args[1]);
        break;
    }
}

const char *pl_expr_text(pl_ctx *ctx, const pl_expr *e) {
    nl_strbuf sb = NL_STRBUF_INIT;
    expr_text(&sb, NULL, e);
    char *s = nl_strbuf_take(&sb);
    const char *r = s ? nl_arena_strdup(ctx->arena, s) : "?";
    nl_free(s);
    return r;
}

static const char *JOIN_NAMES[] = {"INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI", "SINGLE", "MARK"};
static const char *AGG_NAMES[] = {"count_star", "count", "sum", "avg", "min", "max", "bool_and",
                                  "bool_or", "stddev_samp", "stddev_pop", "var_samp", "var_pop",
                                  "string_agg", "any_value"};

static void list_cols(nl_strbuf *sb, const col_names *cn, const pl_node *n) {
    for (int32_t i = 0; i < n->n_out; i++) {
        if (i) nl_strbuf_puts(sb, ", ");
        col_text(sb, cn, n->out_ids[i]);
    }
}

static void explain_node(nl_strbuf *sb, const col_names *cn, const pl_node *n, int depth, bool analyze) {
    nl_strbuf_repeat(sb, "  ", (size_t)depth);
    switch (n->kind) {
    case PL_SCAN:
        nl_strbuf_printf(sb, "SCAN %s columns=[", n->table_name ? n->table_name : "?");
        list_cols(sb, cn, n);
        nl_strbuf_putc(sb, ']');
        if (n->pushed.n) {
            nl_strbuf_puts(sb, " filters=[");
            for (int32_t a = 0; a < n->pushed.n; a++) {
                if (a) nl_strbuf_puts(sb, " OR ");
                for (int32_t f = 0; f < n->pushed.ands[a].n; f++) {
                    const nl_filter *fl = &n->pushed.ands[a].filters[f];
                    char buf[96];
                    buf[0] = 0;
                    if (fl->value.type && !fl->value.is_null)
                        nl_scalar_format(&fl->value, true, buf, sizeof buf);
                    nl_strbuf_printf(sb, "%s%s %s %s", f ? " AND " : "", fl->column,
                                     filter_op_name(fl->op), buf);
                }
            }
            nl_strbuf_putc(sb, ']');
        }
        if (n->scan_limit >= 0) nl_strbuf_printf(sb, " limit=%lld", (long long)n->scan_limit);
        break;
    case PL_VALUES:
        nl_strbuf_printf(sb, "VALUES rows=%lld", (long long)n->n_rows);
        if (n->n_out) {
            nl_strbuf_puts(sb, " columns=[");
            list_cols(sb, cn, n);
            nl_strbuf_putc(sb, ']');
        }
        break;
    case PL_FILTER:
        nl_strbuf_puts(sb, "FILTER ");
        expr_text(sb, cn, n->pred);
        break;
    case PL_PROJECT:
        nl_strbuf_puts(sb, "PROJECT ");
        for (int32_t i = 0; i < n->n_out; i++) {
            if (i) nl_strbuf_puts(sb, ", ");
            expr_text(sb, cn, n->exprs[i]);
            bool same = n->exprs[i]->kind == PL_COL && n->out_names[i] && names_find(cn, n->exprs[i]->id) >= 0 &&
                        strcmp(cn->names[names_find(cn, n->exprs[i]->id)], n->out_names[i]) == 0;
            if (!same) {
                nl_strbuf_puts(sb, " AS ");
                col_text(sb, cn, n->out_ids[i]);
            }
        }
        break;
    case PL_JOIN:
        nl_strbuf_printf(sb, "%s %s JOIN%s%s%s", n->n_keys ? "HASH" : "NESTED LOOP", JOIN_NAMES[n->join],
                         n->null_aware ? " (null-aware)" : "", n->null_eq ? " (nulls equal)" : "",
                         n->set_all ? " (ALL)" : "");
        for (int32_t k = 0; k < n->n_keys; k++) {
            nl_strbuf_puts(sb, k ? " AND " : " ON ");
            expr_text(sb, cn, n->lkeys[k]);
            nl_strbuf_puts(sb, " = ");
            expr_text(sb, cn, n->rkeys[k]);
        }
        if (n->residual) {
            nl_strbuf_puts(sb, n->n_keys ? " AND " : " ON ");
            expr_text(sb, cn, n->residual);
        }
        break;
    case PL_AGG:
        nl_strbuf_puts(sb, "AGGREGATE");
        if (n->n_groups) {
            nl_strbuf_puts(sb, " BY ");
            for (int32_t i = 0; i < n->n_groups; i++) {
                if (i) nl_strbuf_puts(sb, ", ");
                expr_text(sb, cn, n->groups[i]);
            }
        }
        for (int32_t i = 0; i < n->n_aggs; i++) {
            nl_strbuf_printf(sb, "%s%s(%s", i ? ", " : " : ", AGG_NAMES[n->aggs[i].fn],
                             n->aggs[i].distinct ? "DISTINCT " : "");
            if (n->aggs[i].arg) expr_text(sb, cn, n->aggs[i].arg);
            else nl_strbuf_putc(sb, '*');
            nl_strbuf_puts(sb, ") AS ");
            col_text(sb, cn, n->aggs[i].id);
        }
        break;
    case PL_SORT:
        nl_strbuf_puts(sb, n->limit >= 0 ? "TOP-N " : "SORT ");
        for (int32_t i = 0; i < n->n_sort; i++) {
            if (i) nl_strbuf_puts(sb, ", ");
            expr_text(sb, cn, n->keys[i].expr);
            nl_strbuf_puts(sb, n->keys[i].desc ? " DESC" : " ASC");
            if (n->keys[i].nulls_first) nl_strbuf_puts(sb, " NULLS FIRST");
        }
        if (n->limit >= 0) nl_strbuf_printf(sb, " limit=%lld", (long long)n->limit);
        if (n->offset > 0) nl_strbuf_printf(sb, " offset=%lld", (long long)n->offset);
        break;
    case PL_LIMIT:
        nl_strbuf_printf(sb, "LIMIT %lld", (long long)n->limit);
        if (n->offset > 0) nl_strbuf_printf(sb, " OFFSET %lld", (long long)n->offset);
        break;
    case PL_UNION: nl_strbuf_puts(sb, "UNION ALL"); break;
    case PL_ROWID:
        nl_strbuf_puts(sb, "ROW ID AS ");
        col_text(sb, cn, n->out_ids[n->n_out - 1]);
        break;
    }
    if (analyze) {
        /* wall time where the node ran as a materialising step (inclusive of
         * its inputs); own CPU time where it streamed (summed over workers) */
        nl_strbuf_printf(sb, "  (rows=%lld", (long long)n->stat_rows);
        if (n->stat_ms > 0 || n->stat_self_ns == 0) nl_strbuf_printf(sb, ", %.2f ms", n->stat_ms);
        if (n->stat_self_ns > 0) nl_strbuf_printf(sb, ", cpu %.2f ms", (double)n->stat_self_ns / 1e6);
        nl_strbuf_putc(sb, ')');
    }
    else if (n->est_rows >= 0) nl_strbuf_printf(sb, "  (~%.0f rows)", n->est_rows);
    nl_strbuf_putc(sb, '\n');
    for (int32_t i = 0; i < n->n_kids; i++) explain_node(sb, cn, n->kids[i], depth + 1, analyze);
}

char *pl_explain(const pl_node *root, bool analyze) {
    nl_strbuf sb = NL_STRBUF_INIT;
    col_names cn = {0};
    names_collect(&cn, root);
    explain_node(&sb, &cn, root, 0, analyze);
    names_free(&cn);
    return nl_strbuf_take(&sb);
}
