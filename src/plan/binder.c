/*
 * binder.c -- binding queries: WITH, set operations, SELECT (FROM, WHERE,
 * GROUP BY, HAVING, the SELECT list, DISTINCT, ORDER BY, LIMIT), table
 * references, and the decorrelation of subqueries into joins.
 *
 * A subquery is bound with the enclosing query's scope as its parent. The
 * conjuncts of its WHERE that refer to the enclosing query are taken out:
 * `inner = outer` conjuncts become join keys (and, when the subquery
 * aggregates, extra GROUP BY columns), anything else becomes the join's
 * residual condition. The subquery is then joined to the enclosing plan as a
 * SEMI/ANTI join (EXISTS, IN and their negations in WHERE), a SINGLE join
 * (a scalar subquery) or a MARK join (IN/EXISTS used as a value).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/cast.h"
#include "plan/binder_int.h"
#include "sql/parser.h"

static nl_status err_at(binder *b, int32_t line, int32_t col, nl_status code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static nl_status err_at(binder *b, int32_t line, int32_t col, nl_status code, const char *fmt, ...) {
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nl_error_set(b->err, code, "line %d:%d: %s", line, col, msg);
}

static nl_status bind_query(binder *b, bscope *outer, const sql_query *q, bcorr *corr,
                            pl_node **out, int32_t *n_visible);

/* ---- scopes ---- */

static nl_status scope_add(binder *b, bscope *sc, const char *qual, const char *name, int32_t id,
                           nl_type *type) {
    bcol *cols = pl_arena_grow(b->ctx, sc->cols, sc->n, &sc->cap, 16, sizeof *cols);
    NL_CHECK_ALLOC(cols, b->err);
    sc->cols = cols;
    sc->cols[sc->n++] = (bcol){qual, name, id, type, false};
    return NL_OK;
}

nl_status bind_pending_push(binder *b, bpend_list *p, bpending item) {
    bpending *items = pl_arena_grow(b->ctx, p->items, p->n, &p->cap, 4, sizeof *items);
    NL_CHECK_ALLOC(items, b->err);
    p->items = items;
    p->items[p->n++] = item;
    return NL_OK;
}

static nl_status corr_push(binder *b, bcorr *c, pl_expr *outer, pl_expr *inner) {
    if (c->n == c->cap) {
        int32_t cap = c->cap ? c->cap * 2 : 4;
        pl_expr **no = nl_arena_alloc(b->ctx->arena, sizeof(pl_expr *) * (size_t)cap);
        pl_expr **nn = nl_arena_alloc(b->ctx->arena, sizeof(pl_expr *) * (size_t)cap);
        int32_t *ni = nl_arena_alloc(b->ctx->arena, sizeof(int32_t) * (size_t)cap);
        NL_CHECK_ALLOC(no, b->err);
        NL_CHECK_ALLOC(nn, b->err);
        NL_CHECK_ALLOC(ni, b->err);
        if (c->n) {
            memcpy(no, c->outer, sizeof(pl_expr *) * (size_t)c->n);
            memcpy(nn, c->inner, sizeof(pl_expr *) * (size_t)c->n);
            memcpy(ni, c->inner_ids, sizeof(int32_t) * (size_t)c->n);
        }
        c->outer = no;
        c->inner = nn;
        c->inner_ids = ni;
        c->cap = cap;
    }
    c->outer[c->n] = outer;
    c->inner[c->n] = inner;
    c->inner_ids[c->n++] = -1;
    return NL_OK;
}

/* ---- sets of column ids (correlation) ---- */

typedef struct idset {
    int32_t *v;
    int32_t n, cap;
} idset;

static nl_status ids_add(binder *b, idset *s, int32_t id) {
    for (int32_t i = 0; i < s->n; i++)
        if (s->v[i] == id) return NL_OK;
    int32_t *v = pl_arena_grow(b->ctx, s->v, s->n, &s->cap, 8, sizeof *v);
    NL_CHECK_ALLOC(v, b->err);
    s->v = v;
    s->v[s->n++] = id;
    return NL_OK;
}

static bool ids_has(const idset *s, int32_t id) {
    for (int32_t i = 0; i < s->n; i++)
        if (s->v[i] == id) return true;
    return false;
}

/* Collects the ids an expression reads that are not available here. */
typedef struct foreign_ctx {
    binder *b;
    const idset *avail;
    idset *out;
    nl_status st;
} foreign_ctx;

static void foreign_id(void *ctx, int32_t id) {
    foreign_ctx *f = ctx;
    if (f->st || ids_has(f->avail, id)) return;
    f->st = ids_add(f->b, f->out, id);
}

static nl_status add_foreign(binder *b, const pl_expr *e, const idset *avail, idset *out) {
    if (!e) return NL_OK;
    foreign_ctx f = {b, avail, out, NL_OK};
    pl_expr_ids(e, foreign_id, &f);
    return f.st;
}

/* What the conditions and items of a query may read once its pending
 * subqueries are joined: its plan's columns and the subqueries' values. */
static nl_status avail_ids(binder *b, const pl_node *plan, const bpend_list *p, idset *avail) {
    for (int32_t i = 0; i < plan->n_out; i++) NL_TRY(ids_add(b, avail, plan->out_ids[i]));
    for (int32_t i = 0; p && i < p->n; i++) {
        const bpending *it = &p->items[i];
        if (it->lateral || it->kind == PL_JOIN_MARK) NL_TRY(ids_add(b, avail, it->mark_id));
        if (it->kind == PL_JOIN_SINGLE)
            for (int32_t k = 0; k < it->sub->n_out; k++) NL_TRY(ids_add(b, avail, it->sub->out_ids[k]));
    }
    return NL_OK;
}

/* The columns a grouped query's aggregates, SELECT items and HAVING read that
 * are not in `avail` (the aggregates' own values count as available for the
 * items and HAVING): its outer columns. */
static nl_status grouped_foreign(binder *b, const bagg *agg, pl_expr *const *items, int32_t n_items,
                                 const pl_expr *having, idset *avail, idset *far) {
    for (int32_t i = 0; i < agg->n; i++) {
        NL_TRY(add_foreign(b, agg->aggs[i].arg, avail, far));
        NL_TRY(add_foreign(b, agg->aggs[i].filter, avail, far));
    }
    for (int32_t i = 0; i < agg->n; i++) NL_TRY(ids_add(b, avail, agg->aggs[i].id));
    for (int32_t i = 0; i < n_items; i++) NL_TRY(add_foreign(b, items[i], avail, far));
    return add_foreign(b, having, avail, far);
}

/* The ids a pending subquery's join reads that neither side makes. */
static nl_status pending_foreign(binder *b, const idset *avail, const bpending *it, idset *out) {
    idset own = {0};
    for (int32_t i = 0; i < avail->n; i++) NL_TRY(ids_add(b, &own, avail->v[i]));
    for (int32_t i = 0; i < it->sub->n_out; i++) NL_TRY(ids_add(b, &own, it->sub->out_ids[i]));
    for (int32_t a = 0; a < it->n_aggs; a++) NL_TRY(ids_add(b, &own, it->aggs[a].id));
    for (int32_t k = 0; k < it->n_keys; k++) NL_TRY(add_foreign(b, it->lkeys[k], &own, out));
    NL_TRY(add_foreign(b, it->residual, &own, out));
    NL_TRY(add_foreign(b, it->item, &own, out));
    NL_TRY(add_foreign(b, it->having, &own, out));
    for (int32_t a = 0; a < it->n_aggs; a++) {
        NL_TRY(add_foreign(b, it->aggs[a].arg, &own, out));
        NL_TRY(add_foreign(b, it->aggs[a].filter, &own, out));
    }
    return NL_OK;
}

static nl_status pend_foreign(binder *b, const pl_node *plan, const bpend_list *p, idset *out) {
    idset avail = {0};
    NL_TRY(avail_ids(b, plan, p, &avail));
    for (int32_t i = 0; i < p->n; i++) NL_TRY(pending_foreign(b, &avail, &p->items[i], out));
    return NL_OK;
}

/* ---- plan node helpers ---- */

static nl_status join_node(binder *b, pl_join_kind kind, pl_node *l, pl_node *r, pl_node **out) {
    pl_node *j = pl_node_new(b->ctx, PL_JOIN, 2);
    NL_CHECK_ALLOC(j, b->err);
    j->join = kind;
    j->kids[0] = l;
    j->kids[1] = r;
    bool right_cols = kind != PL_JOIN_SEMI && kind != PL_JOIN_ANTI && kind != PL_JOIN_MARK;
    int32_t n = l->n_out + (right_cols ? r->n_out : 0) + (kind == PL_JOIN_MARK ? 1 : 0);
    NL_TRY(pl_node_outputs(b->ctx, j, n, b->err));
    int32_t k = 0;
    for (int32_t i = 0; i < l->n_out; i++, k++) {
        j->out_ids[k] = l->out_ids[i];
        j->out_types[k] = l->out_types[i];
        j->out_names[k] = l->out_names[i];
    }
    if (right_cols)
        for (int32_t i = 0; i < r->n_out; i++, k++) {
            j->out_ids[k] = r->out_ids[i];
            j->out_types[k] = r->out_types[i];
            j->out_names[k] = r->out_names[i];
        }
    *out = j;
    return NL_OK;
}

static nl_status filter_node(binder *b, pl_node *in, pl_expr *pred, pl_node **out) {
    pl_node *f = pl_node_new(b->ctx, PL_FILTER, 1);
    NL_CHECK_ALLOC(f, b->err);
    f->kids[0] = in;
    f->pred = pred;
    NL_TRY(pl_node_outputs_from(b->ctx, f, in, 0, b->err));
    *out = f;
    return NL_OK;
}

typedef struct out_col {
    pl_expr *expr;
    const char *name;
    int32_t id;
    bool passthrough; /* keep the input id */
} out_col;

typedef struct out_list {
    out_col *items;
    int32_t n, cap;
} out_list;

static nl_status out_push(binder *b, out_list *o, pl_expr *e, const char *name, bool passthrough) {
    out_col *items = pl_arena_grow(b->ctx, o->items, o->n, &o->cap, 16, sizeof *items);
    NL_CHECK_ALLOC(items, b->err);
    o->items = items;
    o->items[o->n++] = (out_col){e, name, passthrough ? e->id : pl_new_id(b->ctx), passthrough};
    return NL_OK;
}

static nl_status project_node(binder *b, pl_node *in, out_list *o, pl_node **out) {
    pl_node *p = pl_node_new(b->ctx, PL_PROJECT, 1);
    NL_CHECK_ALLOC(p, b->err);
    p->kids[0] = in;
    NL_TRY(pl_node_outputs(b->ctx, p, o->n, b->err));
    p->exprs = nl_arena_calloc(b->ctx->arena, (size_t)o->n + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(p->exprs, b->err);
    for (int32_t i = 0; i < o->n; i++) {
        p->exprs[i] = o->items[i].expr;
        p->out_ids[i] = o->items[i].id;
        p->out_types[i] = o->items[i].expr->type;
        p->out_names[i] = o->items[i].name;
    }
    *out = p;
    return NL_OK;
}

/* A lateral aggregate subquery (bcorr): every row of `plan` gets a row id and
 * LEFT JOINs the subquery's input rows that satisfy the correlation; the
 * aggregates are computed per row id (a matched-row marker filters them, so
 * count() is 0 and the others NULL for a row nothing matched); the value is
 * the subquery's SELECT item (NULL where its HAVING is not true). The outer
 * columns pass through the aggregation as group keys under their own ids. */
static nl_status attach_lateral(binder *b, pl_node *plan, bpending *it, pl_node **out) {
    pl_ctx *ctx = b->ctx;
    pl_node *rn = pl_node_new(ctx, PL_ROWID, 1);
    NL_CHECK_ALLOC(rn, b->err);
    rn->kids[0] = plan;
    NL_TRY(pl_node_outputs_from(ctx, rn, plan, 1, b->err));
    int32_t rid = pl_new_id(ctx);
    rn->out_ids[plan->n_out] = rid;
    rn->out_types[plan->n_out] = nl_type_get(NL_TYPE_INT64);
    rn->out_names[plan->n_out] = "rowid";
    /* the subquery's rows with a marker */
    out_list mo = {0};
    for (int32_t i = 0; i < it->sub->n_out; i++) {
        pl_expr *c = pl_col(ctx, it->sub->out_ids[i], it->sub->out_types[i]);
        NL_CHECK_ALLOC(c, b->err);
        NL_TRY(out_push(b, &mo, c, it->sub->out_names[i], true));
    }
    pl_expr *t = pl_lit(ctx, nl_scalar_bool(true));
    NL_CHECK_ALLOC(t, b->err);
    NL_TRY(out_push(b, &mo, t, "matched", false));
    int32_t marker = mo.items[mo.n - 1].id;
    pl_node *sub;
    NL_TRY(project_node(b, it->sub, &mo, &sub));
    pl_node *j;
    NL_TRY(join_node(b, PL_JOIN_LEFT, rn, sub, &j));
    j->lkeys = it->lkeys;
    j->rkeys = it->rkeys;
    j->n_keys = it->n_keys;
    j->residual = it->residual;
    j->null_eq = it->null_eq;
    /* aggregate per row id; the outer columns ride along as group keys */
    pl_node *an = pl_node_new(ctx, PL_AGG, 1);
    NL_CHECK_ALLOC(an, b->err);
    an->kids[0] = j;
    int32_t ng = plan->n_out + 1;
    an->n_groups = ng;
    an->groups = nl_arena_calloc(ctx->arena, (size_t)ng + 1, sizeof(pl_expr *));
    an->aggs = nl_arena_calloc(ctx->arena, (size_t)it->n_aggs + 1, sizeof(pl_agg));
    NL_CHECK_ALLOC(an->groups, b->err);
    NL_CHECK_ALLOC(an->aggs, b->err);
    an->n_aggs = it->n_aggs;
    NL_TRY(pl_node_outputs(ctx, an, ng + it->n_aggs, b->err));
    for (int32_t i = 0; i < ng; i++) {
        an->groups[i] = pl_col(ctx, rn->out_ids[i], rn->out_types[i]);
        NL_CHECK_ALLOC(an->groups[i], b->err);
        an->out_ids[i] = i < plan->n_out ? rn->out_ids[i] : pl_new_id(ctx);
        an->out_types[i] = rn->out_types[i];
        an->out_names[i] = rn->out_names[i];
    }
    for (int32_t a = 0; a < it->n_aggs; a++) {
        pl_agg ag = it->aggs[a];
        pl_expr *m = pl_col(ctx, marker, nl_type_get(NL_TYPE_BOOL));
        NL_CHECK_ALLOC(m, b->err);
        if (ag.filter) {
            pl_expr *both = pl_new(ctx, PL_AND, nl_type_get(NL_TYPE_BOOL), 2);
            NL_CHECK_ALLOC(both, b->err);
            both->args[0] = m;
            both->args[1] = ag.filter;
            ag.filter = both;
        } else {
            ag.filter = m;
        }
        an->aggs[a] = ag;
        an->out_ids[ng + a] = ag.id;
        an->out_types[ng + a] = ag.type;
        an->out_names[ng + a] = "agg";
    }
    /* the value */
    out_list po = {0};
    for (int32_t i = 0; i < plan->n_out; i++) {
        pl_expr *c = pl_col(ctx, plan->out_ids[i], plan->out_types[i]);
        NL_CHECK_ALLOC(c, b->err);
        NL_TRY(out_push(b, &po, c, plan->out_names[i], true));
    }
    pl_expr *v = it->item;
    if (it->having) {
        pl_expr *cs = pl_new(ctx, PL_CASE, v->type, 3);
        NL_CHECK_ALLOC(cs, b->err);
        cs->args[0] = it->having;
        cs->args[1] = v;
        cs->args[2] = pl_lit_null(ctx, v->type);
        NL_CHECK_ALLOC(cs->args[2], b->err);
        v = cs;
    }
    NL_TRY(out_push(b, &po, v, "subquery", false));
    po.items[po.n - 1].id = it->mark_id;
    return project_node(b, an, &po, out);
}

/* Joins every pending subquery to `plan`. */
static nl_status attach_pending(binder *b, pl_node *plan, bpend_list *p, pl_node **out) {
    for (int32_t i = 0; i < p->n; i++) {
        bpending *it = &p->items[i];
        idset avail = {0}, foreign = {0};
        NL_TRY(avail_ids(b, plan, NULL, &avail));
        NL_TRY(pending_foreign(b, &avail, it, &foreign));
        if (foreign.n)
            return err_at(b, it->line, it->col, NL_ENOTSUP,
                          "a subquery refers to a query more than one level out; not supported here");
        if (it->lateral) {
            NL_TRY(attach_lateral(b, plan, it, &plan));
            continue;
        }
        pl_node *j;
        NL_TRY(join_node(b, it->kind, plan, it->sub, &j));
        j->lkeys = it->lkeys;
        j->rkeys = it->rkeys;
        j->n_keys = it->n_keys;
        j->residual = it->residual;
        j->null_aware = it->null_aware;
        j->null_eq = it->null_eq;
        if (it->kind == PL_JOIN_MARK) {
            j->out_ids[j->n_out - 1] = it->mark_id;
            j->out_types[j->n_out - 1] = nl_type_get(NL_TYPE_BOOL);
            j->out_names[j->n_out - 1] = "mark";
        }
        plan = j;
    }
    p->n = 0;
    *out = plan;
    return NL_OK;
}

/* ---- FROM ---- */

static nl_status scan_node(binder *b, nl_provider *prov, const char *table, const char *qual,
                           bscope *sc, pl_node **out) {
    pl_node *s = pl_node_new(b->ctx, PL_SCAN, 0);
    NL_CHECK_ALLOC(s, b->err);
    s->provider = prov;
    s->table_name = nl_arena_strdup(b->ctx->arena, table);
    nl_schema *schema = prov->schema;
    NL_TRY(pl_node_outputs(b->ctx, s, schema->n_fields, b->err));
    s->scan_cols = nl_arena_calloc(b->ctx->arena, (size_t)schema->n_fields + 1, sizeof(int32_t));
    NL_CHECK_ALLOC(s->scan_cols, b->err);
    for (int32_t i = 0; i < schema->n_fields; i++) {
        s->scan_cols[i] = i;
        s->out_ids[i] = pl_new_id(b->ctx);
        s->out_types[i] = schema->fields[i].type;
        s->out_names[i] = nl_arena_strdup(b->ctx->arena, schema->fields[i].name);
        NL_TRY(scope_add(b, sc, qual, s->out_names[i], s->out_ids[i], s->out_types[i]));
    }
    if (prov->vt->stats) {
        nl_provider_stats st = {-1, -1};
        nl_error e2 = {0};
        if (prov->vt->stats(prov, &st, &e2) == NL_OK) s->est_rows = (double)st.num_rows;
    }
    *out = s;
    return NL_OK;
}

/* Binds a query that stands for a table (a subquery in FROM, a CTE, a view)
 * and adds its columns to the scope under `qual`. */
static nl_status derived(binder *b, bscope *outer, const sql_query *q, const char *qual,
                         const char **aliases, int32_t n_aliases, int32_t line, int32_t col,
                         bscope *sc, pl_node **out) {
    pl_node *p;
    int32_t nv;
    NL_TRY(bind_query(b, outer, q, NULL, &p, &nv));
    if (n_aliases > nv)
        return err_at(b, line, col, NL_ESQL, "%d column names given for '%s', which has %d columns",
                      n_aliases, qual ? qual : "subquery", nv);
    for (int32_t i = 0; i < nv; i++) {
        if (i < n_aliases) p->out_names[i] = aliases[i];
        NL_TRY(scope_add(b, sc, qual, p->out_names[i], p->out_ids[i], p->out_types[i]));
    }
    *out = p;
    return NL_OK;
}

static nl_status bind_from(binder *b, bscope *outer, const sql_table_ref *r, bscope *sc,
                           pl_node **out);

static nl_status bind_join_ref(binder *b, bscope *outer, const sql_table_ref *r, bscope *sc,
                               pl_node **out) {
    pl_node *l, *rt;
    int32_t start = sc->n;
    NL_TRY(bind_from(b, outer, r->left, sc, &l));
    int32_t mid = sc->n;
    NL_TRY(bind_from(b, outer, r->right, sc, &rt));
    pl_join_kind k = r->join == SQL_JOIN_LEFT ? PL_JOIN_LEFT : r->join == SQL_JOIN_RIGHT ? PL_JOIN_RIGHT
                     : r->join == SQL_JOIN_FULL ? PL_JOIN_FULL : PL_JOIN_INNER;
    pl_node *j;
    NL_TRY(join_node(b, k, l, rt, &j));
    if (r->on) {
        bscope js = *sc;
        js.parent = outer;
        js.barrier = "an ON condition";
        /* an inner join's ON is a filter over the pair, so its subqueries
         * join the pairs first; an outer join's would need them per pair */
        bpend_list pend = {0};
        bx x = {.pend = k == PL_JOIN_INNER ? &pend : NULL,
                .clause = k == PL_JOIN_INNER ? "ON" : "the ON condition of an outer join"};
        pl_expr *cond;
        NL_TRY(bx_expr(b, &js, r->on, &x, &cond));
        if (cond->type->id != NL_TYPE_BOOL)
            return err_at(b, r->on->line, r->on->col, NL_ETYPE, "ON needs a boolean condition");
        if (pend.n) {
            pl_node *outs_of = j;
            NL_TRY(attach_pending(b, j, &pend, &j));
            NL_TRY(filter_node(b, j, cond, &j));
            /* the pair's columns only, not the subqueries' */
            out_list keep = {0};
            for (int32_t i = 0; i < outs_of->n_out; i++) {
                pl_expr *c = pl_col(b->ctx, outs_of->out_ids[i], outs_of->out_types[i]);
                NL_CHECK_ALLOC(c, b->err);
                NL_TRY(out_push(b, &keep, c, outs_of->out_names[i], true));
            }
            NL_TRY(project_node(b, j, &keep, &j));
        } else {
            j->residual = cond;
        }
    } else if (r->n_using || r->natural) {
        /* the USING columns: given, or (NATURAL) every visible name both sides have */
        const char **names = r->using_cols;
        int32_t n_using = r->n_using;
        if (r->natural) {
            names = nl_arena_calloc(b->ctx->arena, (size_t)(mid - start) + 1, sizeof(char *));
            NL_CHECK_ALLOC(names, b->err);
            n_using = 0;
            for (int32_t i = start; i < mid; i++) {
                if (sc->cols[i].hidden) continue;
                bool dup = false;
                for (int32_t k = 0; k < n_using; k++) dup |= strcasecmp(names[k], sc->cols[i].name) == 0;
                for (int32_t k = mid; k < sc->n && !dup; k++)
                    if (!sc->cols[k].hidden && strcasecmp(sc->cols[k].name, sc->cols[i].name) == 0) {
                        names[n_using++] = sc->cols[i].name;
                        break;
                    }
            }
        }
        pl_expr **conj = nl_arena_calloc(b->ctx->arena, (size_t)n_using + 1, sizeof(pl_expr *));
        bcol *merged = nl_arena_calloc(b->ctx->arena, (size_t)n_using + 1, sizeof(bcol));
        NL_CHECK_ALLOC(conj, b->err);
        NL_CHECK_ALLOC(merged, b->err);
        out_list proj = {0};
        for (int32_t u = 0; u < n_using; u++) {
            int32_t li = -1, ri = -1;
            for (int32_t i = start; i < mid; i++)
                if (!sc->cols[i].hidden && strcasecmp(sc->cols[i].name, names[u]) == 0) {
                    if (li >= 0)
                        return err_at(b, r->line, r->col, NL_ESQL, "USING column '%s' is ambiguous on the left",
                                      names[u]);
                    li = i;
                }
            for (int32_t i = mid; i < sc->n; i++)
                if (!sc->cols[i].hidden && strcasecmp(sc->cols[i].name, names[u]) == 0) {
                    if (ri >= 0)
                        return err_at(b, r->line, r->col, NL_ESQL, "USING column '%s' is ambiguous on the right",
                                      names[u]);
                    ri = i;
                }
            if (li < 0 || ri < 0)
                return err_at(b, r->line, r->col, NL_ESQL, "USING column '%s' is not in both tables", names[u]);
            bcol lc = sc->cols[li], rc = sc->cols[ri];
            pl_expr *le = pl_col(b->ctx, lc.id, lc.type), *re = pl_col(b->ctx, rc.id, rc.type);
            NL_CHECK_ALLOC(le, b->err);
            NL_CHECK_ALLOC(re, b->err);
            nl_type *t = bind_common_type(b->ctx, le, re);
            if (!t) return err_at(b, r->line, r->col, NL_ETYPE, "USING column '%s' has incompatible types", names[u]);
            pl_expr *lt = bind_cast(b->ctx, le, t, b->err), *rt2 = bind_cast(b->ctx, re, t, b->err);
            NL_CHECK_ALLOC(lt, b->err);
            NL_CHECK_ALLOC(rt2, b->err);
            conj[u] = pl_binary(b->ctx, PL_CMP, PL_EQ, nl_type_get(NL_TYPE_BOOL), lt, rt2);
            NL_CHECK_ALLOC(conj[u], b->err);
            /* the unqualified name: the left copy (INNER, LEFT), the right one
             * (RIGHT), or the first that is not NULL (FULL) */
            sc->cols[li].hidden = sc->cols[ri].hidden = true;
            merged[u] = (bcol){NULL, lc.name, lc.id, lc.type, false};
            if (k == PL_JOIN_RIGHT) merged[u] = (bcol){NULL, rc.name, rc.id, rc.type, false};
            if (k == PL_JOIN_FULL) {
                pl_expr *cs = pl_new(b->ctx, PL_CASE, t, 3);
                NL_CHECK_ALLOC(cs, b->err);
                cs->args[0] = pl_new(b->ctx, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
                NL_CHECK_ALLOC(cs->args[0], b->err);
                cs->args[0]->args[0] = lt;
                cs->args[0]->negated = true;
                cs->args[1] = lt;
                cs->args[2] = rt2;
                NL_TRY(out_push(b, &proj, cs, lc.name, false));
                merged[u] = (bcol){NULL, lc.name, proj.items[proj.n - 1].id, t, false};
            }
        }
        j->residual = pl_and(b->ctx, conj, n_using);
        if (proj.n) {
            /* FULL: the merged columns are computed above the join */
            int32_t nm = proj.n;
            for (int32_t i = 0; i < j->n_out; i++) {
                pl_expr *c = pl_col(b->ctx, j->out_ids[i], j->out_types[i]);
                NL_CHECK_ALLOC(c, b->err);
                NL_TRY(out_push(b, &proj, c, j->out_names[i], true));
            }
            (void)nm;
            NL_TRY(project_node(b, j, &proj, &j));
        }
        /* the merged columns come first (SELECT * lists them first) */
        bcol *cols = nl_arena_alloc(b->ctx->arena, sizeof(bcol) * (size_t)(sc->n + n_using + 1));
        NL_CHECK_ALLOC(cols, b->err);
        memcpy(cols, sc->cols, sizeof(bcol) * (size_t)start);
        memcpy(cols + start, merged, sizeof(bcol) * (size_t)n_using);
        memcpy(cols + start + n_using, sc->cols + start, sizeof(bcol) * (size_t)(sc->n - start));
        sc->cols = cols;
        sc->n += n_using;
        sc->cap = sc->n + 1;
    }
    *out = j;
    return NL_OK;
}

/* Two tables of one FROM clause may not have the same name. */
static nl_status check_qual(binder *b, const bscope *sc, const char *qual, int32_t line, int32_t col) {
    if (!qual) return NL_OK;
    for (int32_t i = 0; i < sc->n; i++)
        if (sc->cols[i].qual && strcasecmp(sc->cols[i].qual, qual) == 0)
            return err_at(b, line, col, NL_ESQL, "table name '%s' is used twice in FROM; give one an alias", qual);
    return NL_OK;
}

static nl_status bind_from(binder *b, bscope *outer, const sql_table_ref *r, bscope *sc,
                           pl_node **out) {
    switch (r->kind) {
    case SQL_T_JOIN: return bind_join_ref(b, outer, r, sc, out);
    case SQL_T_SUBQUERY:
        NL_TRY(check_qual(b, sc, r->alias, r->line, r->col));
        return derived(b, outer, r->query, r->alias, r->col_aliases, r->n_col_aliases, r->line,
                       r->col, sc, out);
    case SQL_T_FILE:
    case SQL_T_FUNC: {
        const char *path = r->text;
        const char *fn = r->kind == SQL_T_FUNC ? r->name : NULL;
        if (r->kind == SQL_T_FUNC) {
            if (r->n_args < 1 || r->args[0]->kind != SQL_E_STRING)
                return err_at(b, r->line, r->col, NL_ESQL, "%s() needs a file name or glob as a string",
                              r->name);
            path = r->args[0]->text;
        }
        if (!b->env->open)
            return err_at(b, r->line, r->col, NL_ENOTSUP, "reading files is not available here");
        nl_provider *p;
        nl_status st = b->env->open(b->env->ctx, fn, path, &p, b->err);
        if (st) {
            nl_error_prefix(b->err, "line %d:%d", r->line, r->col);
            return st;
        }
        const char *qual = r->alias;
        if (!qual) {
            /* 'dir/x.parquet' is known as x */
            const char *base = strrchr(path, '/');
            base = base ? base + 1 : path;
            const char *dot = strchr(base, '.');
            qual = nl_arena_strndup(b->ctx->arena, base, dot ? (size_t)(dot - base) : strlen(base));
        }
        NL_TRY(check_qual(b, sc, qual, r->line, r->col));
        NL_TRY(scan_node(b, p, path, qual, sc, out));
        if (r->n_col_aliases) {
            for (int32_t i = 0; i < r->n_col_aliases && i < (*out)->n_out; i++) {
                (*out)->out_names[i] = r->col_aliases[i];
                sc->cols[sc->n - (*out)->n_out + i].name = r->col_aliases[i];
            }
        }
        return NL_OK;
    }
    case SQL_T_NAME: {
        const char *name = r->names[r->n_names - 1];
        const char *db = r->n_names >= 2 ? r->names[r->n_names - 2] : NULL;
        const char *qual = r->alias ? r->alias : name;
        NL_TRY(check_qual(b, sc, qual, r->line, r->col));
        if (!db) {
            for (bcte *c = b->ctes; c; c = c->next) {
                if (strcasecmp(c->cte->name, name) != 0) continue;
                /* a CTE is bound afresh at every use, outside the current scope */
                bcte *saved = b->ctes;
                const sql_cte *outer_cte = b->binding_cte;
                b->ctes = c->next;
                b->binding_cte = c->cte;
                const char **al = r->n_col_aliases ? r->col_aliases : c->cte->col_aliases;
                int32_t nal = r->n_col_aliases ? r->n_col_aliases : c->cte->n_col_aliases;
                nl_status st = derived(b, NULL, c->cte->query, qual, al, nal, r->line, r->col, sc, out);
                b->ctes = saved;
                b->binding_cte = outer_cte;
                return st;
            }
        }
        nl_provider *prov = NULL;
        const char *view = NULL;
        nl_status st = b->env->lookup(b->env->ctx, db, name, &prov, &view, b->err);
        if (st && !db && b->binding_cte && strcasecmp(b->binding_cte->name, name) == 0)
            return err_at(b, r->line, r->col, NL_ENOTSUP,
                          "WITH query '%s' refers to itself; recursive queries are not supported", name);
        if (st) {
            nl_error_prefix(b->err, "line %d:%d", r->line, r->col);
            return st;
        }
        if (view) {
            sql_query *vq;
            if (++b->depth > 64) return err_at(b, r->line, r->col, NL_ESQL, "views nest too deeply");
            NL_TRY(sql_parse_query_text(b->ctx->arena, view, &vq, b->err));
            bcte *saved = b->ctes;
            b->ctes = NULL;
            st = derived(b, NULL, vq, qual, r->col_aliases, r->n_col_aliases, r->line, r->col, sc, out);
            b->ctes = saved;
            b->depth--;
            return st;
        }
        NL_TRY(scan_node(b, prov, db ? nl_arena_sprintf(b->ctx->arena, "%s.%s", db, name) : name, qual, sc, out));
        for (int32_t i = 0; i < r->n_col_aliases && i < (*out)->n_out; i++) {
            (*out)->out_names[i] = r->col_aliases[i];
            sc->cols[sc->n - (*out)->n_out + i].name = r->col_aliases[i];
        }
        return NL_OK;
    }
    default: return err_at(b, r->line, r->col, NL_ENOTSUP, "this kind of table reference is not supported");
    }
}

/* ---- SELECT ---- */

/* replaces group expressions by their output columns; then every remaining
 * column must be a group column, an aggregate or an outer reference */
typedef struct grp_ctx {
    pl_expr **groups;
    int32_t *ids;
    int32_t n;
    const int32_t *from_ids;
    int32_t n_from;
    bscope *sc;
} grp_ctx;

static pl_expr *replace_groups(binder *b, pl_expr *e, grp_ctx *g) {
    for (int32_t i = 0; i < g->n; i++)
        if (pl_expr_equal(e, g->groups[i])) return pl_col(b->ctx, g->ids[i], e->type);
    if (e->n_args) {
        pl_expr *c = pl_copy(b->ctx, e);
        if (!c) return NULL;
        c->args = nl_arena_alloc(b->ctx->arena, sizeof(pl_expr *) * (size_t)e->n_args);
        if (!c->args) return NULL;
        for (int32_t i = 0; i < e->n_args; i++) {
            c->args[i] = replace_groups(b, e->args[i], g);
            if (!c->args[i]) return NULL;
        }
        return c;
    }
    return e;
}

static const char *ungrouped(const pl_expr *e, grp_ctx *g) {
    if (e->kind == PL_COL) {
        for (int32_t i = 0; i < g->n_from; i++)
            if (g->from_ids[i] == e->id) {
                for (int32_t k = 0; k < g->sc->n; k++)
                    if (g->sc->cols[k].id == e->id) return g->sc->cols[k].name;
                return "?";
            }
        return NULL;
    }
    for (int32_t i = 0; i < e->n_args; i++) {
        const char *n = ungrouped(e->args[i], g);
        if (n) return n;
    }
    return NULL;
}

static bool ast_has_agg(const sql_expr *e) {
    if (!e) return false;
    if (bind_is_aggregate_call(e)) return true;
    if (e->kind == SQL_E_SUBQUERY || e->kind == SQL_E_EXISTS) return false;
    for (int32_t i = 0; i < e->n_args; i++)
        if (ast_has_agg(e->args[i])) return true;
    return false;
}

static bool parse_int_literal(const sql_expr *e, int64_t *v) {
    if (!e || e->kind != SQL_E_INT) return false;
    return nl_parse_int64(e->text, strlen(e->text), v);
}

/* Adds a pass-through column for every id of e that is among `avail` and not yet in o. */
typedef struct pt_ctx {
    binder *b;
    out_list *o;
    const pl_node *avail;
    nl_status st;
} pt_ctx;

static void passthrough_id(void *ctx, int32_t id) {
    pt_ctx *p = ctx;
    if (p->st) return;
    int32_t pos = pl_node_find(p->avail, id);
    if (pos < 0) return;
    for (int32_t i = 0; i < p->o->n; i++)
        if (p->o->items[i].id == id) return;
    pl_expr *c = pl_col(p->b->ctx, id, p->avail->out_types[pos]);
    if (!c) {
        p->st = nl_error_set(p->b->err, NL_ENOMEM, "out of memory");
        return;
    }
    p->st = out_push(p->b, p->o, c, p->avail->out_names[pos], true);
}

static nl_status parse_limit(binder *b, const sql_expr *e, const char *what, int64_t *out) {
    if (!e || e->kind == SQL_E_NULL) return NL_OK; /* LIMIT NULL is no limit (as LIMIT ALL) */
    int64_t v;
    if (!parse_int_literal(e, &v) || v < 0)
        return err_at(b, e->line, e->col, NL_ESQL, "%s must be a non-negative integer", what);
    *out = v;
    return NL_OK;
}

static nl_status sort_limit(binder *b, pl_node *plan, pl_sort_key *keys, int32_t n_keys,
                            const sql_query *q, pl_node **out) {
    int64_t limit = -1, offset = 0;
    NL_TRY(parse_limit(b, q->limit, "LIMIT", &limit));
    NL_TRY(parse_limit(b, q->offset, "OFFSET", &offset));
    if (n_keys) {
        pl_node *s = pl_node_new(b->ctx, PL_SORT, 1);
        NL_CHECK_ALLOC(s, b->err);
        s->kids[0] = plan;
        s->keys = keys;
        s->n_sort = n_keys;
        s->limit = limit;
        s->offset = offset;
        NL_TRY(pl_node_outputs_from(b->ctx, s, plan, 0, b->err));
        plan = s;
    } else if (limit >= 0 || offset > 0) {
        pl_node *l = pl_node_new(b->ctx, PL_LIMIT, 1);
        NL_CHECK_ALLOC(l, b->err);
        l->kids[0] = plan;
        l->limit = limit;
        l->offset = offset;
        NL_TRY(pl_node_outputs_from(b->ctx, l, plan, 0, b->err));
        plan = l;
    }
    *out = plan;
    return NL_OK;
}

static nl_status bind_values(binder *b, const sql_select *s, pl_node **out) {
    pl_node *v = pl_node_new(b->ctx, PL_VALUES, 0);
    NL_CHECK_ALLOC(v, b->err);
    int32_t w = s->n_items;
    NL_TRY(pl_node_outputs(b->ctx, v, w, b->err));
    v->rows = nl_arena_calloc(b->ctx->arena, (size_t)s->n_values + 1, sizeof(pl_expr **));
    NL_CHECK_ALLOC(v->rows, b->err);
    v->n_rows = s->n_values;
    bscope empty = {0};
    bx x = {.clause = "VALUES"};
    for (int32_t r = 0; r < s->n_values; r++) {
        v->rows[r] = nl_arena_calloc(b->ctx->arena, (size_t)w + 1, sizeof(pl_expr *));
        NL_CHECK_ALLOC(v->rows[r], b->err);
        for (int32_t c = 0; c < w; c++) {
            NL_TRY(bx_expr(b, &empty, s->values[r][c], &x, &v->rows[r][c]));
            pl_expr *e = v->rows[r][c];
            if (r == 0) v->out_types[c] = e->type;
            else {
                pl_expr tmp = *v->rows[0][c];
                tmp.type = v->out_types[c];
                nl_type *t = bind_common_type(b->ctx, &tmp, e);
                char b1[64], b2[64];
                if (!t)
                    return err_at(b, s->values[r][c]->line, s->values[r][c]->col, NL_ETYPE,
                                  "VALUES column %d has types %s and %s", c + 1,
                                  nl_type_name(v->out_types[c], b1, sizeof b1),
                                  nl_type_name(e->type, b2, sizeof b2));
                v->out_types[c] = t;
            }
        }
    }
    for (int32_t c = 0; c < w; c++) {
        if (v->out_types[c]->id == NL_TYPE_NULL) v->out_types[c] = nl_type_get(NL_TYPE_INT32);
        for (int32_t r = 0; r < s->n_values; r++) {
            v->rows[r][c] = bind_cast(b->ctx, v->rows[r][c], v->out_types[c], b->err);
            NL_CHECK_ALLOC(v->rows[r][c], b->err);
        }
        v->out_ids[c] = pl_new_id(b->ctx);
        v->out_names[c] = nl_arena_sprintf(b->ctx->arena, "col%d", c);
    }
    *out = v;
    return NL_OK;
}

/* Is `e` (an ORDER BY or GROUP BY item) a select alias? */
static int32_t find_alias(const sql_select *s, const sql_expr *e) {
    if (e->kind != SQL_E_COLUMN || e->n_names != 1) return -1;
    for (int32_t i = 0; i < s->n_items; i++)
        if (s->items[i].alias && strcasecmp(s->items[i].alias, e->names[0]) == 0) return i;
    return -1;
}

static bool name_in_scope(const bscope *sc, const sql_expr *e) {
    if (e->kind != SQL_E_COLUMN) return false;
    const char *name = e->names[e->n_names - 1];
    for (int32_t i = 0; i < sc->n; i++)
        if (strcasecmp(sc->cols[i].name, name) == 0) return true;
    return false;
}


static bool refs_any(const pl_expr *e, const pl_node *n) {
    if (e->kind == PL_COL) return pl_node_find(n, e->id) >= 0;
    for (int32_t i = 0; i < e->n_args; i++)
        if (refs_any(e->args[i], n)) return true;
    return false;
}

/* ---- multi-level correlation: the domain ----
 *
 * The joins above decorrelate a subquery that reads columns of the query
 * right around it. When a subquery two levels in reads a column of the
 * outermost query, the middle query cannot join it: that column is not in
 * its plan. The middle query then joins the distinct values of the outer
 * columns it needs (their domain: the outer query's FROM bound again), reads
 * those copies instead, and its correlation becomes "outer column = domain
 * column" with NULL equal to NULL -- the subquery is computed once per outer
 * value, NULL included, as in "Unnesting Arbitrary Queries" (Neumann and
 * Kemper, 2015). */

static nl_status distinct_node(binder *b, pl_node *plan, pl_node **out);

/* A copy of e reading to[i] wherever it read from[i]. */
static void subst_walk(pl_expr *e, const int32_t *from, const int32_t *to, int32_t n) {
    if (e->kind == PL_COL)
        for (int32_t i = 0; i < n; i++)
            if (e->id == from[i]) {
                e->id = to[i];
                break;
            }
    for (int32_t i = 0; i < e->n_args; i++) subst_walk(e->args[i], from, to, n);
}

static nl_status subst(binder *b, pl_expr **ep, const int32_t *from, const int32_t *to, int32_t n) {
    if (!*ep) return NL_OK;
    pl_expr *c = pl_copy(b->ctx, *ep);
    NL_CHECK_ALLOC(c, b->err);
    subst_walk(c, from, to, n);
    *ep = c;
    return NL_OK;
}

/* Joins the domain of the outer columns `cols` (all of scope `a`) to *plan;
 * to[i] gets the id of cols[i]'s copy. */
static nl_status domain_join(binder *b, const bscope *a, const int32_t *cols, int32_t n, int32_t *to,
                             pl_node **plan) {
    bscope sc2 = {.parent = a->parent, .sel = a->sel, .ctes = a->ctes, .barrier = a->barrier};
    pl_node *from = NULL;
    bcte *saved = b->ctes;
    b->ctes = a->ctes;
    nl_status st = NL_OK;
    for (int32_t i = 0; st == NL_OK && i < a->sel->n_from; i++) {
        pl_node *t;
        st = bind_from(b, a->parent, a->sel->from[i], &sc2, &t);
        if (st == NL_OK) {
            if (!from) from = t;
            else st = join_node(b, PL_JOIN_INNER, from, t, &from);
        }
    }
    b->ctes = saved;
    NL_TRY(st);
    out_list o = {0};
    for (int32_t k = 0; k < n; k++) {
        int32_t idx = -1;
        for (int32_t i = 0; i < a->n && idx < 0; i++)
            if (a->cols[i].id == cols[k]) idx = i;
        if (idx < 0 || idx >= sc2.n || !from || strcasecmp(sc2.cols[idx].name, a->cols[idx].name) != 0)
            return nl_error_set(b->err, NL_EINTERNAL, "the domain of a correlated column was not found");
        pl_expr *c = pl_col(b->ctx, sc2.cols[idx].id, sc2.cols[idx].type);
        NL_CHECK_ALLOC(c, b->err);
        NL_TRY(out_push(b, &o, c, sc2.cols[idx].name, true));
        to[k] = sc2.cols[idx].id;
    }
    pl_node *d;
    NL_TRY(project_node(b, from, &o, &d));
    NL_TRY(distinct_node(b, d, &d));
    return join_node(b, PL_JOIN_INNER, *plan, d, plan);
}

/* Makes the correlated query being bound (scope sc, plan *plan) read the
 * domain of every outer column it reads -- in its pending subqueries, its
 * conditions `exprs` and its keys so far -- so that all of it is local; its
 * correlation becomes those columns alone (corr->null_eq). */
static nl_status domainize(binder *b, bscope *sc, pl_node **plan, bpend_list *pend, bpend_list *pend2,
                           pl_expr ***exprs, int32_t n_exprs, const bagg *agg, bcorr *corr, int32_t line,
                           int32_t col) {
    if (!corr || !corr->active || corr->lateral)
        return err_at(b, line, col, NL_ENOTSUP, "a subquery here refers to a query more than one level out; "
                                                "not supported");
    if (corr->n_dom) return err_at(b, line, col, NL_ENOTSUP, "this correlated subquery is not supported");
    idset avail = {0}, outer = {0};
    NL_TRY(avail_ids(b, *plan, pend, &avail));
    NL_TRY(pend_foreign(b, *plan, pend, &outer));
    if (pend2) {
        NL_TRY(avail_ids(b, *plan, pend2, &avail));
        NL_TRY(pend_foreign(b, *plan, pend2, &outer));
    }
    for (int32_t i = 0; agg && i < agg->n; i++) NL_TRY(ids_add(b, &avail, agg->aggs[i].id));
    for (int32_t i = 0; i < n_exprs; i++) NL_TRY(add_foreign(b, *exprs[i], &avail, &outer));
    for (int32_t k = 0; k < corr->n; k++) NL_TRY(add_foreign(b, corr->outer[k], &avail, &outer));
    NL_TRY(add_foreign(b, corr->residual, &avail, &outer));
    int32_t n = outer.n;
    int32_t *from = nl_arena_calloc(b->ctx->arena, (size_t)n + 1, sizeof(int32_t));
    int32_t *to = nl_arena_calloc(b->ctx->arena, (size_t)n + 1, sizeof(int32_t));
    int32_t *grp = nl_arena_calloc(b->ctx->arena, (size_t)n + 1, sizeof(int32_t));
    nl_type **types = nl_arena_calloc(b->ctx->arena, (size_t)n + 1, sizeof(nl_type *));
    NL_CHECK_ALLOC(from, b->err);
    NL_CHECK_ALLOC(to, b->err);
    NL_CHECK_ALLOC(grp, b->err);
    NL_CHECK_ALLOC(types, b->err);
    /* one domain per enclosing query that owns some of the columns */
    int32_t done = 0;
    for (bscope *a = sc->parent; a && done < n; a = a->parent) {
        int32_t ng = 0;
        for (int32_t k = 0; k < n; k++)
            for (int32_t i = 0; i < a->n; i++)
                if (a->cols[i].id == outer.v[k]) {
                    grp[ng] = outer.v[k];
                    types[done + ng] = a->cols[i].type;
                    ng++;
                    break;
                }
        if (!ng) continue;
        if (!a->sel || a->sel->n_from == 0)
            return err_at(b, line, col, NL_ENOTSUP, "this correlated subquery is not supported");
        memcpy(from + done, grp, sizeof(int32_t) * (size_t)ng);
        NL_TRY(domain_join(b, a, grp, ng, to + done, plan));
        done += ng;
    }
    if (done < n) return err_at(b, line, col, NL_ENOTSUP, "this correlated subquery is not supported");
    /* everything reads the copies */
    for (int32_t i = 0; i < pend->n + (pend2 ? pend2->n : 0); i++) {
        bpending *it = i < pend->n ? &pend->items[i] : &pend2->items[i - pend->n];
        for (int32_t k = 0; k < it->n_keys; k++) NL_TRY(subst(b, &it->lkeys[k], from, to, n));
        NL_TRY(subst(b, &it->residual, from, to, n));
        NL_TRY(subst(b, &it->item, from, to, n));
        NL_TRY(subst(b, &it->having, from, to, n));
        for (int32_t a = 0; a < it->n_aggs; a++) {
            NL_TRY(subst(b, &it->aggs[a].arg, from, to, n));
            NL_TRY(subst(b, &it->aggs[a].filter, from, to, n));
        }
    }
    for (int32_t i = 0; i < n_exprs; i++) NL_TRY(subst(b, exprs[i], from, to, n));
    /* the keys and residual found so far become conditions on the copies */
    pl_expr **conds = nl_arena_calloc(b->ctx->arena, (size_t)corr->n + 2, sizeof(pl_expr *));
    NL_CHECK_ALLOC(conds, b->err);
    int32_t nc = 0;
    for (int32_t k = 0; k < corr->n; k++) {
        pl_expr *o = corr->outer[k];
        NL_TRY(subst(b, &o, from, to, n));
        conds[nc] = pl_binary(b->ctx, PL_CMP, PL_EQ, nl_type_get(NL_TYPE_BOOL), corr->inner[k], o);
        NL_CHECK_ALLOC(conds[nc], b->err);
        nc++;
    }
    if (corr->residual) {
        conds[nc] = corr->residual;
        NL_TRY(subst(b, &conds[nc], from, to, n));
        nc++;
    }
    if (nc) NL_TRY(filter_node(b, *plan, pl_and(b->ctx, conds, nc), plan));
    corr->n = 0;
    corr->residual = NULL;
    for (int32_t k = 0; k < n; k++) {
        pl_expr *o = pl_col(b->ctx, from[k], types[k]), *i = pl_col(b->ctx, to[k], types[k]);
        NL_CHECK_ALLOC(o, b->err);
        NL_CHECK_ALLOC(i, b->err);
        NL_TRY(corr_push(b, corr, o, i));
    }
    corr->null_eq = true;
    corr->dom_from = from;
    corr->dom_to = to;
    corr->n_dom = n;
    return NL_OK;
}

nl_status bind_lateral_pending(binder *b, bcorr *corr, pl_node *sub, int32_t line, int32_t col,
                               bpend_list *pend, pl_expr **value) {
    if (!corr->item) return err_at(b, line, col, NL_ESQL, "a subquery used as a value must return one column");
    bpending p = {.kind = PL_JOIN_LEFT, .sub = sub, .line = line, .col = col, .lateral = true,
                  .aggs = corr->aggs, .n_aggs = corr->n_aggs, .item = corr->item, .having = corr->having,
                  .residual = corr->residual, .null_eq = corr->null_eq};
    p.n_keys = corr->n;
    p.lkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    p.rkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(p.lkeys, b->err);
    NL_CHECK_ALLOC(p.rkeys, b->err);
    for (int32_t k = 0; k < corr->n; k++) {
        pl_expr *l = corr->outer[k], *r = corr->inner[k];
        nl_type *t = bind_common_type(b->ctx, l, r);
        if (!t) return err_at(b, line, col, NL_ETYPE, "correlated subquery compares incompatible types");
        p.lkeys[k] = bind_cast(b->ctx, l, t, b->err);
        p.rkeys[k] = bind_cast(b->ctx, r, t, b->err);
        NL_CHECK_ALLOC(p.lkeys[k], b->err);
        NL_CHECK_ALLOC(p.rkeys[k], b->err);
    }
    p.mark_id = pl_new_id(b->ctx);
    NL_TRY(bind_pending_push(b, pend, p));
    *value = pl_col(b->ctx, p.mark_id, corr->item->type);
    NL_CHECK_ALLOC(*value, b->err);
    return NL_OK;
}

nl_status bind_lateral_exists(binder *b, bcorr *corr, pl_node *sub, int32_t line, int32_t col,
                              bpend_list *pend, bool negated, pl_expr **cond) {
    corr->item = pl_lit(b->ctx, nl_scalar_bool(true));
    NL_CHECK_ALLOC(corr->item, b->err);
    pl_expr *v;
    NL_TRY(bind_lateral_pending(b, corr, sub, line, col, pend, &v));
    pl_expr *nn = pl_new(b->ctx, PL_IS_NULL, nl_type_get(NL_TYPE_BOOL), 1);
    NL_CHECK_ALLOC(nn, b->err);
    nn->args[0] = v;
    nn->negated = !negated;
    *cond = nn;
    return NL_OK;
}

/* A subquery condition in WHERE: EXISTS, IN (query), or their negations.
 * Usually a SEMI or ANTI join; a lateral aggregate gives a condition on its
 * value instead (*cond). */
static nl_status where_subquery(binder *b, bscope *sc, const sql_expr *e, bool neg, bpend_list *pend,
                                pl_expr **cond) {
    *cond = NULL;
    if (e->kind == SQL_E_EXISTS && bind_query_one_row(e->query)) {
        /* EXISTS of an aggregate without GROUP BY: always one row */
        if (neg) *cond = pl_lit(b->ctx, nl_scalar_bool(false));
        return NL_OK;
    }
    bcorr c = {.active = true};
    pl_node *sub;
    int32_t nv;
    NL_TRY(bind_subquery(b, sc, e->query, &c, &sub, &nv));
    if (c.lateral && e->kind == SQL_E_EXISTS) {
        /* EXISTS of a correlated aggregate with HAVING: is there a row, that
         * is, did HAVING hold (the value is TRUE then, NULL otherwise) */
        pl_expr *v;
        NL_TRY(bind_lateral_exists(b, &c, sub, e->line, e->col, pend, neg, &v));
        *cond = v;
        return NL_OK;
    }
    if (c.lateral) {
        /* x IN (one value v) is x = v */
        if (nv != 1)
            return err_at(b, e->line, e->col, NL_ESQL, "the subquery of IN must return one column, not %d", nv);
        pl_expr *v, *l;
        NL_TRY(bind_lateral_pending(b, &c, sub, e->line, e->col, pend, &v));
        bx xi = {.clause = "the left side of IN"};
        NL_TRY(bx_expr(b, sc, e->args[0], &xi, &l));
        nl_type *t = bind_common_type(b->ctx, l, v);
        char b1[64], b2[64];
        if (!t)
            return err_at(b, e->line, e->col, NL_ETYPE, "IN compares %s with %s",
                          nl_type_name(l->type, b1, sizeof b1), nl_type_name(v->type, b2, sizeof b2));
        pl_expr *eq = pl_binary(b->ctx, PL_CMP, PL_EQ, nl_type_get(NL_TYPE_BOOL), bind_cast(b->ctx, l, t, b->err),
                                bind_cast(b->ctx, v, t, b->err));
        NL_CHECK_ALLOC(eq, b->err);
        if (neg) {
            pl_expr *n = pl_new(b->ctx, PL_NOT, nl_type_get(NL_TYPE_BOOL), 1);
            NL_CHECK_ALLOC(n, b->err);
            n->args[0] = eq;
            eq = n;
        }
        *cond = eq;
        return NL_OK;
    }
    int32_t extra = e->kind == SQL_E_IN_QUERY ? 1 : 0;
    bpending p = {.kind = neg ? PL_JOIN_ANTI : PL_JOIN_SEMI, .sub = sub, .line = e->line, .col = e->col};
    p.n_keys = c.n + extra;
    p.lkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    p.rkeys = nl_arena_calloc(b->ctx->arena, (size_t)p.n_keys + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(p.lkeys, b->err);
    NL_CHECK_ALLOC(p.rkeys, b->err);
    if (extra) {
        if (nv != 1)
            return err_at(b, e->line, e->col, NL_ESQL, "the subquery of IN must return one column, not %d", nv);
        pl_expr *l, *r;
        bx xi = {.clause = "the left side of IN"};
        NL_TRY(bx_expr(b, sc, e->args[0], &xi, &l));
        r = pl_col(b->ctx, sub->out_ids[0], sub->out_types[0]);
        NL_CHECK_ALLOC(r, b->err);
        nl_type *t = bind_common_type(b->ctx, l, r);
        char b1[64], b2[64];
        if (!t)
            return err_at(b, e->line, e->col, NL_ETYPE, "IN compares %s with %s",
                          nl_type_name(l->type, b1, sizeof b1), nl_type_name(r->type, b2, sizeof b2));
        p.lkeys[0] = bind_cast(b->ctx, l, t, b->err);
        p.rkeys[0] = bind_cast(b->ctx, r, t, b->err);
        NL_CHECK_ALLOC(p.lkeys[0], b->err);
        NL_CHECK_ALLOC(p.rkeys[0], b->err);
        p.null_aware = neg;
    }
    for (int32_t k = 0; k < c.n; k++) {
        int32_t pos = pl_node_find(sub, c.inner_ids[k]);
        if (pos < 0) return nl_error_set(b->err, NL_EINTERNAL, "correlation key lost");
        pl_expr *l = c.outer[k];
        pl_expr *r = pl_col(b->ctx, c.inner_ids[k], sub->out_types[pos]);
        NL_CHECK_ALLOC(r, b->err);
        nl_type *t = bind_common_type(b->ctx, l, r);
        if (!t) return err_at(b, e->line, e->col, NL_ETYPE, "correlated subquery compares incompatible types");
        p.lkeys[extra + k] = bind_cast(b->ctx, l, t, b->err);
        p.rkeys[extra + k] = bind_cast(b->ctx, r, t, b->err);
        NL_CHECK_ALLOC(p.lkeys[extra + k], b->err);
        NL_CHECK_ALLOC(p.rkeys[extra + k], b->err);
    }
    p.residual = c.residual;
    p.null_eq = c.null_eq;
    if (extra && c.null_eq && !neg) {
        /* the domain keys match NULLs; x IN (...) must not: it filters the pairs */
        pl_expr *in = pl_binary(b->ctx, PL_CMP, PL_EQ, nl_type_get(NL_TYPE_BOOL), p.lkeys[0], p.rkeys[0]);
        NL_CHECK_ALLOC(in, b->err);
        pl_expr *both[2] = {in, p.residual};
        p.residual = pl_and(b->ctx, both, p.residual ? 2 : 1);
        NL_CHECK_ALLOC(p.residual, b->err);
        p.lkeys++;
        p.rkeys++;
        p.n_keys--;
    }
    return bind_pending_push(b, pend, p);
}

static nl_status bind_where(binder *b, bscope *sc, const sql_expr *where, bcorr *corr, pl_node **plan) {
    const sql_expr *stack[256];
    const sql_expr *conjs[256];
    int32_t ns = 0, nc = 0;
    stack[ns++] = where;
    while (ns) {
        const sql_expr *e = stack[--ns];
        if (e->kind == SQL_E_BINARY && strcmp(e->op, "AND") == 0 && ns < 254) {
            stack[ns++] = e->args[1];
            stack[ns++] = e->args[0];
        } else if (nc < 256) {
            conjs[nc++] = e;
        } else {
            return err_at(b, e->line, e->col, NL_ENOTSUP, "WHERE has too many conditions");
        }
    }
    bpend_list pend = {0};
    pl_expr **bound = nl_arena_calloc(b->ctx->arena, (size_t)nc + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(bound, b->err);
    int32_t nb = 0;
    bx x = {.pend = &pend, .clause = "WHERE"};
    for (int32_t i = 0; i < nc; i++) {
        const sql_expr *e = conjs[i];
        bool neg = false;
        if (e->kind == SQL_E_UNARY && strcmp(e->op, "NOT") == 0 &&
            (e->args[0]->kind == SQL_E_EXISTS || e->args[0]->kind == SQL_E_IN_QUERY)) {
            neg = true;
            e = e->args[0];
        }
        if (e->kind == SQL_E_EXISTS || e->kind == SQL_E_IN_QUERY) {
            pl_expr *cond = NULL;
            NL_TRY(where_subquery(b, sc, e, neg ^ e->negated, &pend, &cond));
            if (cond) bound[nb++] = cond;
            continue;
        }
        pl_expr *be;
        NL_TRY(bx_expr(b, sc, e, &x, &be));
        if (be->type->id != NL_TYPE_BOOL && be->type->id != NL_TYPE_NULL) {
            char buf[64];
            return err_at(b, e->line, e->col, NL_ETYPE, "WHERE needs a boolean, not %s",
                          nl_type_name(be->type, buf, sizeof buf));
        }
        bound[nb++] = be;
    }
    if (corr && corr->active) {
        idset far = {0};
        NL_TRY(pend_foreign(b, *plan, &pend, &far));
        if (far.n) {
            pl_expr ***ex = nl_arena_calloc(b->ctx->arena, (size_t)nb + 1, sizeof(pl_expr **));
            NL_CHECK_ALLOC(ex, b->err);
            for (int32_t i = 0; i < nb; i++) ex[i] = &bound[i];
            NL_TRY(domainize(b, sc, plan, &pend, NULL, ex, nb, NULL, corr, where->line, where->col));
        }
    }
    NL_TRY(attach_pending(b, *plan, &pend, plan));
    pl_expr **local = nl_arena_calloc(b->ctx->arena, (size_t)nb + 1, sizeof(pl_expr *));
    pl_expr **resid = nl_arena_calloc(b->ctx->arena, (size_t)nb + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(local, b->err);
    NL_CHECK_ALLOC(resid, b->err);
    int32_t n_local = 0, n_resid = 0;
    for (int32_t i = 0; i < nb; i++) {
        pl_expr *c = bound[i];
        if (pl_expr_within(c, (*plan)->out_ids, (*plan)->n_out)) {
            local[n_local++] = c;
            continue;
        }
        if (!corr || !corr->active)
            return err_at(b, where->line, where->col, NL_EINTERNAL, "a WHERE condition reads an unknown column");
        if (c->kind == PL_CMP && c->op == PL_EQ) {
            pl_expr *l = c->args[0], *r = c->args[1];
            bool l_local = pl_expr_has_cols(l) && pl_expr_within(l, (*plan)->out_ids, (*plan)->n_out);
            bool r_local = pl_expr_has_cols(r) && pl_expr_within(r, (*plan)->out_ids, (*plan)->n_out);
            if (l_local && !refs_any(r, *plan)) {
                NL_TRY(corr_push(b, corr, r, l));
                continue;
            }
            if (r_local && !refs_any(l, *plan)) {
                NL_TRY(corr_push(b, corr, l, r));
                continue;
            }
        }
        resid[n_resid++] = c;
    }
    if (corr && corr->active) corr->residual = pl_and(b->ctx, resid, n_resid);
    if (n_local) NL_TRY(filter_node(b, *plan, pl_and(b->ctx, local, n_local), plan));
    return NL_OK;
}

static nl_status expand_star(binder *b, bscope *sc, const sql_expr *e, out_list *outs) {
    const char *qual = e->n_names ? e->names[e->n_names - 1] : NULL;
    int32_t added = 0;
    for (int32_t i = 0; i < sc->n; i++) {
        const bcol *c = &sc->cols[i];
        if (c->hidden && !qual) continue;
        if (qual && (!c->qual || strcasecmp(c->qual, qual) != 0)) continue;
        pl_expr *ce = pl_col(b->ctx, c->id, c->type);
        NL_CHECK_ALLOC(ce, b->err);
        NL_TRY(out_push(b, outs, ce, c->name, false));
        added++;
    }
    if (!added) {
        if (qual) return err_at(b, e->line, e->col, NL_ESQL, "table '%s' is not in the FROM clause", qual);
        return err_at(b, e->line, e->col, NL_ESQL, "SELECT * with no FROM clause");
    }
    return NL_OK;
}

/* Does a correlated aggregate subquery (inner = outer keys only) need the
 * per-row form? Yes when a count() would be NULL instead of 0 for an outer
 * row no inner row matches (so too any item not NULL over no rows), or when
 * the SELECT list reads outer columns. */
typedef struct outer_ref_ctx {
    const pl_node *plan;
    const bagg *agg;
    bool found;
} outer_ref_ctx;

static void outer_ref_id(void *ctx, int32_t id) {
    outer_ref_ctx *c = ctx;
    if (pl_node_find(c->plan, id) >= 0) return;
    for (int32_t i = 0; i < c->agg->n; i++)
        if (c->agg->aggs[i].id == id) return;
    c->found = true;
}

/* Is e NULL whenever the aggregates are (over no rows)? Only then may the
 * value of an outer row with no group be the NULL a SINGLE join gives it:
 * coalesce(sum(x), 0), CASE and count() are not. Unknown kinds say no. */
static bool null_on_empty(const pl_expr *e, const bagg *agg) {
    switch (e->kind) {
    case PL_COL:
        for (int32_t i = 0; i < agg->n; i++)
            if (agg->aggs[i].id == e->id) return true;
        return false;
    case PL_CAST:
    case PL_NEG:
    case PL_ARITH:
    case PL_CMP:
        if (e->kind == PL_CMP && (e->op == PL_DISTINCT || e->op == PL_NOT_DISTINCT)) return false;
        for (int32_t i = 0; i < e->n_args; i++)
            if (null_on_empty(e->args[i], agg)) return true;
        return false;
    default: return false;
    }
}

static bool lateral_needed(const pl_node *plan, const bagg *agg, pl_expr **items, int32_t n_items,
                           const pl_expr *having) {
    for (int32_t i = 0; i < agg->n; i++)
        if (agg->aggs[i].fn == PL_AGG_COUNT || agg->aggs[i].fn == PL_AGG_COUNT_STAR) return true;
    for (int32_t i = 0; i < n_items; i++)
        if (!null_on_empty(items[i], agg)) return true;
    /* HAVING max(x) IS NULL holds over no rows: that row exists */
    if (having && !null_on_empty(having, agg)) return true;
    outer_ref_ctx c = {plan, agg, false};
    for (int32_t i = 0; i < n_items; i++) pl_expr_ids(items[i], outer_ref_id, &c);
    if (having) pl_expr_ids(having, outer_ref_id, &c);
    return c.found;
}

bool bind_query_one_row(const sql_query *q) {
    if (q->setop != SQL_SET_NONE || q->limit || q->offset || !q->select || q->select->values) return false;
    const sql_select *s = q->select;
    if (s->n_group_by || s->having) return false;
    bool agg = false;
    for (int32_t i = 0; i < s->n_items; i++) agg |= ast_has_agg(s->items[i].expr);
    return agg;
}

static nl_status bind_select(binder *b, bscope *outer, const sql_query *q, const sql_select *s,
                             bcorr *corr, pl_node **out, int32_t *n_visible) {
    if (s->values) {
        NL_TRY(bind_values(b, s, out));
        *n_visible = (*out)->n_out;
        if (q->n_order_by || q->limit || q->offset) {
            pl_sort_key *keys = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(pl_sort_key));
            NL_CHECK_ALLOC(keys, b->err);
            for (int32_t i = 0; i < q->n_order_by; i++) {
                int64_t ord;
                if (!parse_int_literal(q->order_by[i].expr, &ord) || ord < 1 || ord > (*out)->n_out)
                    return err_at(b, q->order_by[i].expr->line, q->order_by[i].expr->col, NL_ESQL,
                                  "ORDER BY over VALUES must name a column by number");
                keys[i].expr = pl_col(b->ctx, (*out)->out_ids[ord - 1], (*out)->out_types[ord - 1]);
                keys[i].desc = q->order_by[i].desc;
                keys[i].nulls_first = q->order_by[i].nulls == 1; /* NULLS LAST unless told (as DuckDB) */
            }
            NL_TRY(sort_limit(b, *out, keys, q->n_order_by, q, out));
        }
        return NL_OK;
    }
    /* only a subquery bound for decorrelation (corr) may read outer columns */
    bscope sc = {.parent = outer, .sel = s, .ctes = b->ctes,
                 .barrier = outer && !corr ? (q == b->setop_left || q == b->setop_right ? "a branch of a set operation"
                                                                                     : "a subquery in FROM")
                                           : NULL};
    pl_node *plan = NULL;
    if (s->n_from == 0) {
        pl_node *v = pl_node_new(b->ctx, PL_VALUES, 0);
        NL_CHECK_ALLOC(v, b->err);
        NL_TRY(pl_node_outputs(b->ctx, v, 0, b->err));
        v->rows = nl_arena_calloc(b->ctx->arena, 1, sizeof(pl_expr **));
        NL_CHECK_ALLOC(v->rows, b->err);
        v->n_rows = 1;
        plan = v;
    }
    for (int32_t i = 0; i < s->n_from; i++) {
        pl_node *t;
        NL_TRY(bind_from(b, outer, s->from[i], &sc, &t));
        if (!plan) plan = t;
        else NL_TRY(join_node(b, PL_JOIN_INNER, plan, t, &plan));
    }
    if (s->where) NL_TRY(bind_where(b, &sc, s->where, corr, &plan));
    bool use_corr = corr && corr->active && (corr->n || corr->residual);
    if (use_corr && (q->limit || q->offset))
        return err_at(b, q->line, q->col, NL_ENOTSUP, "LIMIT in a correlated subquery is not supported");

    bool has_agg = s->n_group_by > 0 || ast_has_agg(s->having);
    for (int32_t i = 0; i < s->n_items; i++) has_agg |= ast_has_agg(s->items[i].expr);
    for (int32_t i = 0; i < q->n_order_by; i++) has_agg |= ast_has_agg(q->order_by[i].expr);

    bpend_list pend = {0};
    out_list outs = {0};
    pl_expr **order_exprs = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(pl_expr *));
    int32_t *order_out = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(int32_t));
    NL_CHECK_ALLOC(order_exprs, b->err);
    NL_CHECK_ALLOC(order_out, b->err);
    bool bind_order = !use_corr;
    /* With * in the SELECT list, an ORDER BY number counts the expanded
     * columns (checked once they are known) and an alias maps through
     * item_out, each item's first output. */
    bool has_star = false;
    for (int32_t i = 0; i < s->n_items; i++) has_star |= s->items[i].expr->kind == SQL_E_STAR;
    bool *order_num = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(bool));
    int32_t *item_out = nl_arena_calloc(b->ctx->arena, (size_t)s->n_items + 1, sizeof(int32_t));
    NL_CHECK_ALLOC(order_num, b->err);
    NL_CHECK_ALLOC(item_out, b->err);
    for (int32_t i = 0; i < s->n_items; i++) item_out[i] = i;
    /* ORDER BY items that name an output by number or alias */
    for (int32_t i = 0; i < q->n_order_by; i++) {
        order_out[i] = -1;
        int64_t ord;
        const sql_expr *oe = q->order_by[i].expr;
        if (parse_int_literal(oe, &ord)) {
            if (ord < 1 || (!has_star && ord > s->n_items) || ord > INT32_MAX)
                return err_at(b, oe->line, oe->col, NL_ESQL, "ORDER BY %lld is not a column of the SELECT list",
                              (long long)ord);
            order_out[i] = (int32_t)ord - 1;
            order_num[i] = true;
        } else {
            int32_t a = find_alias(s, oe);
            if (a >= 0) order_out[i] = a;
        }
    }
    pl_expr *having = NULL;
    if (has_agg) {
        int32_t ng = s->n_group_by + (use_corr ? corr->n : 0);
        pl_expr **groups = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(pl_expr *));
        int32_t *gids = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(int32_t));
        const char **gnames = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(char *));
        NL_CHECK_ALLOC(groups, b->err);
        NL_CHECK_ALLOC(gids, b->err);
        NL_CHECK_ALLOC(gnames, b->err);
        bx xg = {.clause = "GROUP BY"};
        for (int32_t i = 0; i < s->n_group_by; i++) {
            const sql_expr *g = s->group_by[i];
            int64_t ord;
            if (parse_int_literal(g, &ord)) {
                if (ord < 1 || ord > s->n_items || s->items[ord - 1].expr->kind == SQL_E_STAR)
                    return err_at(b, g->line, g->col, NL_ESQL, "GROUP BY %lld is not a column of the SELECT list",
                                  (long long)ord);
                g = s->items[ord - 1].expr;
            } else {
                int32_t a = find_alias(s, g);
                if (a >= 0 && !name_in_scope(&sc, g)) g = s->items[a].expr;
            }
            if (ast_has_agg(g)) return err_at(b, g->line, g->col, NL_ESQL, "GROUP BY cannot contain an aggregate");
            NL_TRY(bx_expr(b, &sc, g, &xg, &groups[i]));
            gnames[i] = bind_expr_name(b, g);
        }
        for (int32_t k = 0; use_corr && k < corr->n; k++) {
            groups[s->n_group_by + k] = corr->inner[k];
            gnames[s->n_group_by + k] = "key";
        }
        for (int32_t i = 0; i < ng; i++) gids[i] = pl_new_id(b->ctx);
        bagg agg = {0};
        /* subqueries inside aggregate arguments join the rows before they are grouped */
        bpend_list apend = {0};
        bx xa = {.agg = &agg, .pend = &pend, .arg_pend = &apend, .clause = "SELECT"};
        pl_expr **items = nl_arena_calloc(b->ctx->arena, (size_t)s->n_items + 1, sizeof(pl_expr *));
        NL_CHECK_ALLOC(items, b->err);
        for (int32_t i = 0; i < s->n_items; i++) {
            if (s->items[i].expr->kind == SQL_E_STAR)
                return err_at(b, s->items[i].expr->line, s->items[i].expr->col, NL_ESQL,
                              "SELECT * cannot be used with GROUP BY or aggregates");
            NL_TRY(bx_expr(b, &sc, s->items[i].expr, &xa, &items[i]));
        }
        if (s->having) {
            bx xh = {.agg = &agg, .pend = &pend, .arg_pend = &apend, .clause = "HAVING"};
            NL_TRY(bx_expr(b, &sc, s->having, &xh, &having));
            if (having->type->id != NL_TYPE_BOOL)
                return err_at(b, s->having->line, s->having->col, NL_ETYPE, "HAVING needs a boolean");
        }
        for (int32_t i = 0; bind_order && i < q->n_order_by; i++) {
            if (order_out[i] >= 0) continue;
            bx xo = {.agg = &agg, .pend = &pend, .arg_pend = &apend, .clause = "ORDER BY"};
            NL_TRY(bx_expr(b, &sc, q->order_by[i].expr, &xo, &order_exprs[i]));
        }
        if (corr && corr->active && !corr->n_dom && (s->n_group_by > 0 || !use_corr)) {
            /* A grouped subquery (or one correlated nowhere else) that reads
             * outer columns in its SELECT list, HAVING or aggregates: the
             * outer columns' domain joins its input and groups it too. */
            idset avail = {0}, far = {0};
            NL_TRY(avail_ids(b, plan, &pend, &avail));
            NL_TRY(avail_ids(b, plan, &apend, &avail));
            NL_TRY(pend_foreign(b, plan, &apend, &far));
            NL_TRY(grouped_foreign(b, &agg, items, s->n_items, having, &avail, &far));
            for (int32_t i = 0; bind_order && i < q->n_order_by; i++)
                NL_TRY(add_foreign(b, order_exprs[i], &avail, &far));
            /* (and a grouped subquery correlated by more than inner = outer keys) */
            if (far.n || (use_corr && corr->residual)) {
                int32_t nx = s->n_items + 1 + q->n_order_by + 2 * agg.n;
                pl_expr ***ex = nl_arena_calloc(b->ctx->arena, (size_t)nx + 1, sizeof(pl_expr **));
                NL_CHECK_ALLOC(ex, b->err);
                int32_t k = 0;
                for (int32_t i = 0; i < s->n_items; i++) ex[k++] = &items[i];
                ex[k++] = &having;
                for (int32_t i = 0; i < q->n_order_by; i++) ex[k++] = &order_exprs[i];
                for (int32_t i = 0; i < agg.n; i++) {
                    ex[k++] = &agg.aggs[i].arg;
                    ex[k++] = &agg.aggs[i].filter;
                }
                NL_TRY(domainize(b, &sc, &plan, &pend, &apend, ex, k, &agg, corr, q->line, q->col));
                if (q->limit || q->offset)
                    return err_at(b, q->line, q->col, NL_ENOTSUP, "LIMIT in a correlated subquery is not supported");
                use_corr = true;
                bind_order = false;
                ng = s->n_group_by + corr->n;
                pl_expr **g2 = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(pl_expr *));
                int32_t *gi2 = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(int32_t));
                const char **gn2 = nl_arena_calloc(b->ctx->arena, (size_t)ng + 1, sizeof(char *));
                NL_CHECK_ALLOC(g2, b->err);
                NL_CHECK_ALLOC(gi2, b->err);
                NL_CHECK_ALLOC(gn2, b->err);
                for (int32_t i = 0; i < s->n_group_by; i++) {
                    g2[i] = groups[i];
                    gi2[i] = gids[i];
                    gn2[i] = gnames[i];
                }
                for (int32_t i = s->n_group_by; i < ng; i++) {
                    g2[i] = corr->inner[i - s->n_group_by];
                    gi2[i] = pl_new_id(b->ctx);
                    gn2[i] = "key";
                }
                groups = g2;
                gids = gi2;
                gnames = gn2;
            }
        }
        for (int32_t i = 0; corr && corr->n_dom && i < apend.n; i++) {
            bpending *it = &apend.items[i];
            for (int32_t k = 0; k < it->n_keys; k++)
                NL_TRY(subst(b, &it->lkeys[k], corr->dom_from, corr->dom_to, corr->n_dom));
            NL_TRY(subst(b, &it->residual, corr->dom_from, corr->dom_to, corr->n_dom));
        }
        if (apend.n) NL_TRY(attach_pending(b, plan, &apend, &plan));
        if (use_corr && corr->n_dom) {
            /* outer columns the WHERE made local (domainize) are local here too */
            for (int32_t i = 0; i < s->n_items; i++)
                NL_TRY(subst(b, &items[i], corr->dom_from, corr->dom_to, corr->n_dom));
            NL_TRY(subst(b, &having, corr->dom_from, corr->dom_to, corr->n_dom));
            for (int32_t i = 0; i < agg.n; i++) {
                NL_TRY(subst(b, &agg.aggs[i].arg, corr->dom_from, corr->dom_to, corr->n_dom));
                NL_TRY(subst(b, &agg.aggs[i].filter, corr->dom_from, corr->dom_to, corr->n_dom));
            }
            idset avail = {0}, far = {0};
            NL_TRY(avail_ids(b, plan, &pend, &avail));
            NL_TRY(grouped_foreign(b, &agg, items, s->n_items, having, &avail, &far));
            if (far.n && s->n_group_by)
                return err_at(b, q->line, q->col, NL_ENOTSUP,
                              "this grouped subquery reads outer columns in SELECT or HAVING that its WHERE "
                              "does not; not supported");
        }
        if (use_corr && s->n_group_by == 0 &&
            (corr->residual || lateral_needed(plan, &agg, items, s->n_items, having))) {
            /* aggregated per outer row by the caller (attach_lateral) */
            if (pend.n)
                return err_at(b, q->line, q->col, NL_ENOTSUP,
                              "a subquery inside this correlated aggregate subquery is not supported");
            grp_ctx g = {NULL, NULL, 0, plan->out_ids, plan->n_out, &sc};
            for (int32_t i = 0; i < s->n_items; i++) {
                const char *bad = ungrouped(items[i], &g);
                if (bad)
                    return err_at(b, s->items[i].expr->line, s->items[i].expr->col, NL_ESQL,
                                  "column '%s' must appear in the GROUP BY clause or be used in an aggregate "
                                  "function",
                                  bad);
            }
            if (having && ungrouped(having, &g))
                return err_at(b, s->having->line, s->having->col, NL_ESQL,
                              "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
                              ungrouped(having, &g));
            corr->lateral = true;
            corr->aggs = agg.aggs;
            corr->n_aggs = agg.n;
            corr->item = s->n_items ? items[0] : NULL;
            corr->having = having;
            *out = plan;
            *n_visible = s->n_items;
            return NL_OK;
        }
        pl_node *an = pl_node_new(b->ctx, PL_AGG, 1);
        NL_CHECK_ALLOC(an, b->err);
        an->kids[0] = plan;
        an->groups = groups;
        an->n_groups = ng;
        an->aggs = agg.aggs;
        an->n_aggs = agg.n;
        NL_TRY(pl_node_outputs(b->ctx, an, ng + agg.n, b->err));
        for (int32_t i = 0; i < ng; i++) {
            an->out_ids[i] = gids[i];
            an->out_types[i] = groups[i]->type;
            an->out_names[i] = gnames[i];
        }
        for (int32_t i = 0; i < agg.n; i++) {
            an->out_ids[ng + i] = agg.aggs[i].id;
            an->out_types[ng + i] = agg.aggs[i].type;
            an->out_names[ng + i] = "agg";
        }
        grp_ctx g = {groups, gids, ng, plan->out_ids, plan->n_out, &sc};
        for (int32_t i = 0; i < s->n_items; i++) {
            items[i] = replace_groups(b, items[i], &g);
            NL_CHECK_ALLOC(items[i], b->err);
            const char *bad = ungrouped(items[i], &g);
            if (bad)
                return err_at(b, s->items[i].expr->line, s->items[i].expr->col, NL_ESQL,
                              "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
                              bad);
        }
        if (having) {
            having = replace_groups(b, having, &g);
            NL_CHECK_ALLOC(having, b->err);
            const char *bad = ungrouped(having, &g);
            if (bad)
                return err_at(b, s->having->line, s->having->col, NL_ESQL,
                              "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
                              bad);
        }
        for (int32_t i = 0; bind_order && i < q->n_order_by; i++) {
            if (!order_exprs[i]) continue;
            order_exprs[i] = replace_groups(b, order_exprs[i], &g);
            NL_CHECK_ALLOC(order_exprs[i], b->err);
            const char *bad = ungrouped(order_exprs[i], &g);
            if (bad)
                return err_at(b, q->order_by[i].expr->line, q->order_by[i].expr->col, NL_ESQL,
                              "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
                              bad);
        }
        for (int32_t k = 0; use_corr && k < corr->n; k++) corr->inner_ids[k] = gids[s->n_group_by + k];
        plan = an;
        /* subqueries in the SELECT list and HAVING see the groups, not the rows */
        for (int32_t i = 0; i < pend.n; i++) {
            bpending *it = &pend.items[i];
            for (int32_t k = 0; k < it->n_keys; k++) {
                it->lkeys[k] = replace_groups(b, it->lkeys[k], &g);
                NL_CHECK_ALLOC(it->lkeys[k], b->err);
            }
            if (it->residual) {
                it->residual = replace_groups(b, it->residual, &g);
                NL_CHECK_ALLOC(it->residual, b->err);
            }
            if (it->item) {
                it->item = replace_groups(b, it->item, &g);
                NL_CHECK_ALLOC(it->item, b->err);
            }
            const char *bad = NULL;
            for (int32_t k = 0; k < it->n_keys && !bad; k++) bad = ungrouped(it->lkeys[k], &g);
            if (!bad && it->residual) bad = ungrouped(it->residual, &g);
            if (!bad && it->item) bad = ungrouped(it->item, &g);
            if (bad)
                return err_at(b, it->line, it->col, NL_ESQL,
                              "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
                              bad);
        }
        NL_TRY(attach_pending(b, plan, &pend, &plan));
        if (having) NL_TRY(filter_node(b, plan, having, &plan));
        for (int32_t i = 0; i < s->n_items; i++)
            NL_TRY(out_push(b, &outs, items[i],
                            s->items[i].alias ? s->items[i].alias : bind_expr_name(b, s->items[i].expr), false));
    } else {
        bx xs = {.pend = &pend, .clause = "SELECT"};
        for (int32_t i = 0; i < s->n_items; i++) {
            const sql_expr *ie = s->items[i].expr;
            item_out[i] = outs.n;
            if (ie->kind == SQL_E_STAR) {
                NL_TRY(expand_star(b, &sc, ie, &outs));
                continue;
            }
            pl_expr *e;
            NL_TRY(bx_expr(b, &sc, ie, &xs, &e));
            NL_TRY(out_push(b, &outs, e, s->items[i].alias ? s->items[i].alias : bind_expr_name(b, ie), false));
        }
        for (int32_t i = 0; bind_order && i < q->n_order_by; i++) {
            if (order_out[i] >= 0) continue;
            bx xo = {.pend = &pend, .clause = "ORDER BY"};
            NL_TRY(bx_expr(b, &sc, q->order_by[i].expr, &xo, &order_exprs[i]));
        }
        if (corr && corr->active) {
            /* outer columns in the SELECT list, or in its subqueries from further out */
            for (int32_t i = 0; i < outs.n && corr->n_dom; i++)
                NL_TRY(subst(b, &outs.items[i].expr, corr->dom_from, corr->dom_to, corr->n_dom));
            idset avail = {0}, far = {0};
            NL_TRY(avail_ids(b, plan, &pend, &avail));
            NL_TRY(pend_foreign(b, plan, &pend, &far));
            for (int32_t i = 0; i < outs.n; i++) NL_TRY(add_foreign(b, outs.items[i].expr, &avail, &far));
            for (int32_t i = 0; bind_order && i < q->n_order_by; i++)
                NL_TRY(add_foreign(b, order_exprs[i], &avail, &far));
            if (far.n) {
                pl_expr ***ex = nl_arena_calloc(b->ctx->arena, (size_t)(outs.n + q->n_order_by) + 1, sizeof(pl_expr **));
                NL_CHECK_ALLOC(ex, b->err);
                for (int32_t i = 0; i < outs.n; i++) ex[i] = &outs.items[i].expr;
                for (int32_t i = 0; i < q->n_order_by; i++) ex[outs.n + i] = &order_exprs[i];
                NL_TRY(domainize(b, &sc, &plan, &pend, NULL, ex, outs.n + q->n_order_by, NULL, corr, q->line, q->col));
                use_corr = true;
                bind_order = false;
                if (q->limit || q->offset)
                    return err_at(b, q->line, q->col, NL_ENOTSUP, "LIMIT in a correlated subquery is not supported");
            }
        }
        NL_TRY(attach_pending(b, plan, &pend, &plan));
    }
    int32_t nvis = outs.n;
    /* hidden columns: ORDER BY expressions not in the SELECT list */
    pl_sort_key *keys = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(pl_sort_key));
    NL_CHECK_ALLOC(keys, b->err);
    int32_t n_keys = 0;
    for (int32_t i = 0; bind_order && i < q->n_order_by; i++) {
        int32_t pos = -1;
        if (order_out[i] >= 0) {
            pos = order_num[i] ? order_out[i] : item_out[order_out[i]];
            if (pos >= nvis)
                return err_at(b, q->order_by[i].expr->line, q->order_by[i].expr->col, NL_ESQL,
                              "ORDER BY %d is not a column of the SELECT list", pos + 1);
        } else {
            for (int32_t k = 0; k < outs.n && pos < 0; k++)
                if (pl_expr_equal(outs.items[k].expr, order_exprs[i])) pos = k;
            if (pos < 0) {
                if (s->distinct)
                    return err_at(b, q->order_by[i].expr->line, q->order_by[i].expr->col, NL_ESQL,
                                  "with SELECT DISTINCT, ORDER BY expressions must appear in the SELECT list");
                NL_TRY(out_push(b, &outs, order_exprs[i], "order", false));
                pos = outs.n - 1;
            }
        }
        keys[n_keys].expr = pl_col(b->ctx, outs.items[pos].id, outs.items[pos].expr->type);
        NL_CHECK_ALLOC(keys[n_keys].expr, b->err);
        keys[n_keys].desc = q->order_by[i].desc;
        keys[n_keys].nulls_first = q->order_by[i].nulls == 1; /* NULLS LAST unless told (as DuckDB) */
        n_keys++;
    }
    int32_t n_order_hidden = outs.n - nvis;
    /* correlation: the inner keys (and what the residual reads) leave the subquery too */
    if (use_corr) {
        if (has_agg) {
            for (int32_t k = 0; k < corr->n; k++) {
                int32_t pos = pl_node_find(plan, corr->inner_ids[k]);
                pl_expr *c = pl_col(b->ctx, corr->inner_ids[k], plan->out_types[pos]);
                NL_CHECK_ALLOC(c, b->err);
                NL_TRY(out_push(b, &outs, c, "key", true));
            }
        } else {
            for (int32_t k = 0; k < corr->n; k++) {
                NL_TRY(out_push(b, &outs, corr->inner[k], "key", false));
                corr->inner_ids[k] = outs.items[outs.n - 1].id;
            }
            if (corr->residual) {
                pt_ctx pc = {b, &outs, plan, NL_OK};
                pl_expr_ids(corr->residual, passthrough_id, &pc);
                NL_TRY(pc.st);
            }
        }
    }
    NL_TRY(project_node(b, plan, &outs, &plan));
    if (s->distinct) {
        pl_node *an = pl_node_new(b->ctx, PL_AGG, 1);
        NL_CHECK_ALLOC(an, b->err);
        an->kids[0] = plan;
        an->n_groups = plan->n_out;
        an->groups = nl_arena_calloc(b->ctx->arena, (size_t)plan->n_out + 1, sizeof(pl_expr *));
        NL_CHECK_ALLOC(an->groups, b->err);
        NL_TRY(pl_node_outputs(b->ctx, an, plan->n_out, b->err));
        for (int32_t i = 0; i < plan->n_out; i++) {
            an->groups[i] = pl_col(b->ctx, plan->out_ids[i], plan->out_types[i]);
            NL_CHECK_ALLOC(an->groups[i], b->err);
            an->out_ids[i] = plan->out_ids[i];
            an->out_types[i] = plan->out_types[i];
            an->out_names[i] = plan->out_names[i];
        }
        plan = an;
    }
    if (!use_corr) NL_TRY(sort_limit(b, plan, keys, n_keys, q, &plan));
    if (n_order_hidden > 0) {
        out_list keep = {0};
        for (int32_t i = 0; i < plan->n_out; i++) {
            if (i >= nvis && i < nvis + n_order_hidden) continue;
            pl_expr *c = pl_col(b->ctx, plan->out_ids[i], plan->out_types[i]);
            NL_CHECK_ALLOC(c, b->err);
            NL_TRY(out_push(b, &keep, c, plan->out_names[i], true));
        }
        NL_TRY(project_node(b, plan, &keep, &plan));
    }
    *out = plan;
    *n_visible = nvis;
    return NL_OK;
}

/* ---- set operations and queries ---- */

static nl_status order_outputs(binder *b, const sql_query *q, pl_node *plan, int32_t nvis, pl_node **out) {
    pl_sort_key *keys = nl_arena_calloc(b->ctx->arena, (size_t)q->n_order_by + 1, sizeof(pl_sort_key));
    NL_CHECK_ALLOC(keys, b->err);
    for (int32_t i = 0; i < q->n_order_by; i++) {
        const sql_expr *oe = q->order_by[i].expr;
        int32_t pos = -1;
        int64_t ord;
        if (parse_int_literal(oe, &ord)) {
            if (ord >= 1 && ord <= nvis) pos = (int32_t)ord - 1;
        } else if (oe->kind == SQL_E_COLUMN) {
            for (int32_t k = 0; k < nvis && pos < 0; k++)
                if (plan->out_names[k] && strcasecmp(plan->out_names[k], oe->names[oe->n_names - 1]) == 0) pos = k;
        }
        if (pos < 0)
            return err_at(b, oe->line, oe->col, NL_ESQL,
                          "ORDER BY here must name an output column (by name or number)");
        keys[i].expr = pl_col(b->ctx, plan->out_ids[pos], plan->out_types[pos]);
        NL_CHECK_ALLOC(keys[i].expr, b->err);
        keys[i].desc = q->order_by[i].desc;
        keys[i].nulls_first = q->order_by[i].nulls == 1; /* NULLS LAST unless told (as DuckDB) */
    }
    return sort_limit(b, plan, keys, q->n_order_by, q, out);
}

static nl_status visible_only(binder *b, pl_node *plan, int32_t nvis, pl_node **out) {
    if (plan->n_out == nvis) {
        *out = plan;
        return NL_OK;
    }
    out_list keep = {0};
    for (int32_t i = 0; i < nvis; i++) {
        pl_expr *c = pl_col(b->ctx, plan->out_ids[i], plan->out_types[i]);
        NL_CHECK_ALLOC(c, b->err);
        NL_TRY(out_push(b, &keep, c, plan->out_names[i], true));
    }
    return project_node(b, plan, &keep, out);
}

static nl_status distinct_node(binder *b, pl_node *plan, pl_node **out) {
    pl_node *an = pl_node_new(b->ctx, PL_AGG, 1);
    NL_CHECK_ALLOC(an, b->err);
    an->kids[0] = plan;
    an->n_groups = plan->n_out;
    an->groups = nl_arena_calloc(b->ctx->arena, (size_t)plan->n_out + 1, sizeof(pl_expr *));
    NL_CHECK_ALLOC(an->groups, b->err);
    NL_TRY(pl_node_outputs(b->ctx, an, plan->n_out, b->err));
    for (int32_t i = 0; i < plan->n_out; i++) {
        an->groups[i] = pl_col(b->ctx, plan->out_ids[i], plan->out_types[i]);
        NL_CHECK_ALLOC(an->groups[i], b->err);
        an->out_ids[i] = plan->out_ids[i];
        an->out_types[i] = plan->out_types[i];
        an->out_names[i] = plan->out_names[i];
    }
    *out = an;
    return NL_OK;
}

static nl_status bind_setop(binder *b, bscope *outer, const sql_query *q, pl_node **out, int32_t *nv) {
    pl_node *l, *r;
    int32_t nl_, nr;
    const sql_query *sl = b->setop_left, *sr = b->setop_right;
    b->setop_left = q->left;
    b->setop_right = q->right;
    nl_status st = bind_query(b, outer, q->left, NULL, &l, &nl_);
    if (st == NL_OK) st = bind_query(b, outer, q->right, NULL, &r, &nr);
    b->setop_left = sl;
    b->setop_right = sr;
    NL_TRY(st);
    const char *name = q->setop == SQL_SET_UNION ? "UNION" : q->setop == SQL_SET_INTERSECT ? "INTERSECT" : "EXCEPT";
    if (nl_ != nr)
        return err_at(b, q->line, q->col, NL_ESQL, "%s needs the same number of columns on both sides (%d and %d)",
                      name, nl_, nr);
    out_list lo = {0}, ro = {0};
    for (int32_t i = 0; i < nl_; i++) {
        pl_expr *le = pl_col(b->ctx, l->out_ids[i], l->out_types[i]);
        pl_expr *re = pl_col(b->ctx, r->out_ids[i], r->out_types[i]);
        NL_CHECK_ALLOC(le, b->err);
        NL_CHECK_ALLOC(re, b->err);
        nl_type *t = bind_common_type(b->ctx, le, re);
        char b1[64], b2[64];
        if (!t)
            return err_at(b, q->line, q->col, NL_ETYPE, "%s column %d has types %s and %s", name, i + 1,
                          nl_type_name(le->type, b1, sizeof b1), nl_type_name(re->type, b2, sizeof b2));
        if (t->id == NL_TYPE_NULL) t = nl_type_get(NL_TYPE_INT32);
        NL_TRY(out_push(b, &lo, bind_cast(b->ctx, le, t, b->err), l->out_names[i], false));
        NL_TRY(out_push(b, &ro, bind_cast(b->ctx, re, t, b->err), l->out_names[i], false));
    }
    NL_TRY(project_node(b, l, &lo, &l));
    NL_TRY(project_node(b, r, &ro, &r));
    pl_node *plan;
    if (q->setop == SQL_SET_UNION) {
        pl_node *u = pl_node_new(b->ctx, PL_UNION, 2);
        NL_CHECK_ALLOC(u, b->err);
        u->kids[0] = l;
        u->kids[1] = r;
        NL_TRY(pl_node_outputs(b->ctx, u, nl_, b->err));
        for (int32_t i = 0; i < nl_; i++) {
            u->out_ids[i] = pl_new_id(b->ctx);
            u->out_types[i] = l->out_types[i];
            u->out_names[i] = l->out_names[i];
        }
        plan = u;
        if (!q->set_all) NL_TRY(distinct_node(b, plan, &plan));
    } else {
        /* INTERSECT and EXCEPT compare rows as DISTINCT does: NULL equals NULL.
         * Without ALL the left side is made distinct; with ALL each right row
         * cancels one left row. */
        if (!q->set_all) NL_TRY(distinct_node(b, l, &l));
        NL_TRY(join_node(b, q->setop == SQL_SET_INTERSECT ? PL_JOIN_SEMI : PL_JOIN_ANTI, l, r, &plan));
        plan->null_eq = true;
        plan->set_all = q->set_all;
        plan->n_keys = nl_;
        plan->lkeys = nl_arena_calloc(b->ctx->arena, (size_t)nl_ + 1, sizeof(pl_expr *));
        plan->rkeys = nl_arena_calloc(b->ctx->arena, (size_t)nl_ + 1, sizeof(pl_expr *));
        NL_CHECK_ALLOC(plan->lkeys, b->err);
        NL_CHECK_ALLOC(plan->rkeys, b->err);
        for (int32_t i = 0; i < nl_; i++) {
            plan->lkeys[i] = pl_col(b->ctx, l->out_ids[i], l->out_types[i]);
            plan->rkeys[i] = pl_col(b->ctx, r->out_ids[i], r->out_types[i]);
        }
    }
    *out = plan;
    *nv = nl_;
    return NL_OK;
}

static nl_status bind_query(binder *b, bscope *outer, const sql_query *q, bcorr *corr,
                            pl_node **out, int32_t *n_visible) {
    if (++b->depth > 128) return err_at(b, q->line, q->col, NL_ESQL, "query nested too deeply");
    bcte *saved = b->ctes;
    for (int32_t i = 0; i < q->n_ctes; i++) {
        bcte *c = nl_arena_calloc(b->ctx->arena, 1, sizeof *c);
        NL_CHECK_ALLOC(c, b->err);
        c->cte = &q->ctes[i];
        c->next = b->ctes;
        b->ctes = c;
    }
    nl_status st;
    if (q->setop == SQL_SET_NONE) {
        st = bind_select(b, outer, q, q->select, corr, out, n_visible);
    } else if (!q->right) {
        st = bind_query(b, outer, q->left, corr, out, n_visible);
        if (!st && (q->n_order_by || q->limit || q->offset)) {
            st = visible_only(b, *out, *n_visible, out);
            if (!st) st = order_outputs(b, q, *out, *n_visible, out);
        }
    } else {
        st = bind_setop(b, outer, q, out, n_visible);
        if (!st && (q->n_order_by || q->limit || q->offset)) st = order_outputs(b, q, *out, *n_visible, out);
    }
    b->ctes = saved;
    b->depth--;
    return st;
}

nl_status bind_subquery(binder *b, bscope *outer, const sql_query *q, bcorr *corr, pl_node **plan,
                        int32_t *n_visible) {
    return bind_query(b, outer, q, corr, plan, n_visible);
}

nl_status bind_query_plan(pl_ctx *ctx, const bind_env *env, const sql_query *q, pl_node **out,
                          nl_error *err) {
    binder b = {.ctx = ctx, .env = env, .err = err};
    pl_node *plan;
    int32_t nv;
    NL_TRY(bind_query(&b, NULL, q, NULL, &plan, &nv));
    return visible_only(&b, plan, nv, out);
}
