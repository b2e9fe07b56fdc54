/*
 * optimizer.c -- the optimizer rules (see optimizer.h), applied in order:
 *
 *   1. fold      constant subexpressions become literals (CAST('1994-01-01'
 *                AS DATE) is a date before anything looks at it);
 *   2. push      filters move down through projections, sorts, aggregates
 *                (on group columns) and joins; a conjunct `l = r` across an
 *                inner join becomes a join key; ON conditions split the same way;
 *                an OR across both inputs also leaves each input the OR of its
 *                own conjuncts (implied_by_or);
 *   3. reorder   each cluster of inner joins is rebuilt by greedy operator
 *                ordering: the connected pair making the fewest rows joins
 *                first (bushy trees), the smaller side hashed; then semi and
 *                anti joins sink into the input they filter (sink_semi), build
 *                sides of semi/anti/single/mark/left joins are cut down to the
 *                probe side's keys (opt_reduce.c), and a filter's repeated
 *                subexpressions are computed once (opt_cse.c);
 *   4. scans     filters right above a scan are handed to the provider as an
 *                nl_filter_set (it prunes files and row groups; the engine still
 *                applies them), and a LIMIT right above a scan becomes the scan's;
 *   5. prune     every node keeps only the columns its parents read, so scans
 *                read only the columns the query needs.
 */
#include "plan/optimizer.h"

#include "plan/opt_int.h"

#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "exec/eval.h"

/* ---- helpers ---- */

typedef struct elist {
    pl_expr **v;
    int32_t n, cap;
} elist;

static nl_status el_push(pl_ctx *ctx, elist *l, pl_expr *e, nl_error *err) {
    pl_expr **v = pl_arena_grow(ctx, l->v, l->n, &l->cap, 8, sizeof *v);
    NL_CHECK_ALLOC(v, err);
    l->v = v;
    l->v[l->n++] = e;
    return NL_OK;
}

static nl_status split_and(pl_ctx *ctx, pl_expr *e, elist *out, nl_error *err);

/* (a AND x) OR (a AND y) is a AND (x OR y): the common conjuncts of every
 * branch of an OR come out (join keys hide in such ORs, TPC-H Q19). */
static nl_status factor_or(pl_ctx *ctx, pl_expr *e, elist *out, nl_error *err) {
    int32_t nb = e->n_args;
    elist *br = nl_arena_calloc(ctx->arena, (size_t)nb, sizeof(elist));
    NL_CHECK_ALLOC(br, err);
    for (int32_t b = 0; b < nb; b++) NL_TRY(split_and(ctx, e->args[b], &br[b], err));
    elist common = {0};
    for (int32_t i = 0; i < br[0].n; i++) {
        bool everywhere = true;
        for (int32_t b = 1; b < nb && everywhere; b++) {
            bool found = false;
            for (int32_t k = 0; k < br[b].n && !found; k++) found = pl_expr_equal(br[0].v[i], br[b].v[k]);
            everywhere = found;
        }
        if (everywhere) NL_TRY(el_push(ctx, &common, br[0].v[i], err));
    }
    if (common.n == 0) return el_push(ctx, out, e, err);
    pl_expr *rest = pl_new(ctx, PL_OR, e->type, nb);
    NL_CHECK_ALLOC(rest, err);
    bool some_branch_empty = false;
    for (int32_t b = 0; b < nb; b++) {
        elist keep = {0};
        for (int32_t k = 0; k < br[b].n; k++) {
            bool is_common = false;
            for (int32_t c = 0; c < common.n && !is_common; c++) is_common = pl_expr_equal(br[b].v[k], common.v[c]);
            if (!is_common) NL_TRY(el_push(ctx, &keep, br[b].v[k], err));
        }
        if (keep.n == 0) some_branch_empty = true;
        rest->args[b] = pl_and(ctx, keep.v, keep.n);
    }
    for (int32_t c = 0; c < common.n; c++) NL_TRY(el_push(ctx, out, common.v[c], err));
    /* a branch that was only common conjuncts makes the rest true */
    if (!some_branch_empty) NL_TRY(el_push(ctx, out, rest, err));
    return NL_OK;
}

static nl_status split_and(pl_ctx *ctx, pl_expr *e, elist *out, nl_error *err) {
    if (!e) return NL_OK;
    if (e->kind == PL_AND) {
        for (int32_t i = 0; i < e->n_args; i++) NL_TRY(split_and(ctx, e->args[i], out, err));
        return NL_OK;
    }
    if (e->kind == PL_OR && e->n_args > 1) return factor_or(ctx, e, out, err);
    return el_push(ctx, out, e, err);
}

static bool within(const pl_expr *e, const pl_node *n) { return pl_expr_within(e, n->out_ids, n->n_out); }

static nl_status wrap_filter(pl_ctx *ctx, pl_node *n, elist *conds, pl_node **out, nl_error *err) {
    if (conds->n == 0) {
        *out = n;
        return NL_OK;
    }
    pl_node *f = pl_node_new(ctx, PL_FILTER, 1);
    NL_CHECK_ALLOC(f, err);
    f->kids[0] = n;
    f->pred = pl_and(ctx, conds->v, conds->n);
    NL_CHECK_ALLOC(f->pred, err);
    NL_TRY(pl_node_outputs_from(ctx, f, n, 0, err));
    *out = f;
    return NL_OK;
}

/* ---- 1. constant folding ---- */

static bool foldable(const pl_expr *e) {
    if (e->kind == PL_COL) return false;
    for (int32_t i = 0; i < e->n_args; i++)
        if (!foldable(e->args[i])) return false;
    return true;
}

static nl_status fold_expr(pl_ctx *ctx, pl_expr **ep, nl_error *err) {
    pl_expr *e = *ep;
    if (!e || e->kind == PL_LIT || e->kind == PL_COL) return NL_OK;
    if (foldable(e)) {
        nl_scalar v;
        NL_TRY(exec_eval_const(e, &v, err));
        pl_expr *l;
        if (v.is_null || !v.type) {
            nl_scalar_clear(&v);
            l = pl_lit_null(ctx, e->type);
        } else {
            l = pl_lit(ctx, v);
            if (l) l->type = e->type;
        }
        NL_CHECK_ALLOC(l, err);
        *ep = l;
        return NL_OK;
    }
    for (int32_t i = 0; i < e->n_args; i++) NL_TRY(fold_expr(ctx, &e->args[i], err));
    return NL_OK;
}

static nl_status fold_node(pl_ctx *ctx, pl_node *n, nl_error *err) {
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(fold_node(ctx, n->kids[i], err));
    switch (n->kind) {
    case PL_FILTER: NL_TRY(fold_expr(ctx, &n->pred, err)); break;
    case PL_PROJECT:
        for (int32_t i = 0; i < n->n_out; i++) NL_TRY(fold_expr(ctx, &n->exprs[i], err));
        break;
    case PL_JOIN:
        for (int32_t k = 0; k < n->n_keys; k++) {
            NL_TRY(fold_expr(ctx, &n->lkeys[k], err));
            NL_TRY(fold_expr(ctx, &n->rkeys[k], err));
        }
        NL_TRY(fold_expr(ctx, &n->residual, err));
        break;
    case PL_AGG:
        for (int32_t i = 0; i < n->n_groups; i++) NL_TRY(fold_expr(ctx, &n->groups[i], err));
        for (int32_t i = 0; i < n->n_aggs; i++) {
            NL_TRY(fold_expr(ctx, &n->aggs[i].arg, err));
            NL_TRY(fold_expr(ctx, &n->aggs[i].filter, err));
        }
        break;
    case PL_SORT:
        for (int32_t i = 0; i < n->n_sort; i++) NL_TRY(fold_expr(ctx, &n->keys[i].expr, err));
        break;
    default: break;
    }
    return NL_OK;
}

/* ---- 2. filter pushdown ---- */

/* replaces COL(out id of n) by the projection's expression */
pl_expr *opt_subst(pl_ctx *ctx, const pl_expr *e, const int32_t *ids, pl_expr *const *exprs, int32_t n) {
    if (e->kind == PL_COL) {
        for (int32_t i = 0; i < n; i++)
            if (ids[i] == e->id) return pl_copy(ctx, exprs[i]);
        return pl_copy(ctx, e);
    }
    pl_expr *c = pl_copy(ctx, e);
    if (!c) return NULL;
    for (int32_t i = 0; i < e->n_args; i++) {
        c->args[i] = opt_subst(ctx, e->args[i], ids, exprs, n);
        if (!c->args[i]) return NULL;
    }
    return c;
}

static nl_status push(pl_ctx *ctx, pl_node *n, elist *conds, pl_node **out, nl_error *err);

static nl_status push_kid(pl_ctx *ctx, pl_node *n, int32_t k, elist *conds, nl_error *err) {
    return push(ctx, n->kids[k], conds, &n->kids[k], err);
}

static bool is_equi(const pl_expr *c, const pl_node *l, const pl_node *r, pl_expr **le, pl_expr **re) {
    if (c->kind != PL_CMP || c->op != PL_EQ) return false;
    pl_expr *a = c->args[0], *b = c->args[1];
    if (!pl_expr_has_cols(a) || !pl_expr_has_cols(b)) return false;
    if (within(a, l) && within(b, r)) {
        *le = a;
        *re = b;
        return true;
    }
    if (within(b, l) && within(a, r)) {
        *le = b;
        *re = a;
        return true;
    }
    return false;
}

static nl_status add_key(pl_ctx *ctx, pl_node *j, pl_expr *l, pl_expr *r, nl_error *err) {
    pl_expr **nl_ = nl_arena_alloc(ctx->arena, sizeof(pl_expr *) * (size_t)(j->n_keys + 1));
    pl_expr **nr = nl_arena_alloc(ctx->arena, sizeof(pl_expr *) * (size_t)(j->n_keys + 1));
    NL_CHECK_ALLOC(nl_, err);
    NL_CHECK_ALLOC(nr, err);
    if (j->n_keys) {
        memcpy(nl_, j->lkeys, sizeof(pl_expr *) * (size_t)j->n_keys);
        memcpy(nr, j->rkeys, sizeof(pl_expr *) * (size_t)j->n_keys);
    }
    nl_[j->n_keys] = l;
    nr[j->n_keys] = r;
    j->lkeys = nl_;
    j->rkeys = nr;
    j->n_keys++;
    return NL_OK;
}

/* From an OR whose every branch has conjuncts reading only `side`, the OR of
 * those conjuncts: implied by the OR, so it may filter that side early while
 * the OR itself stays where it was (TPC-H q07: (n1 = 'FRANCE' AND n2 =
 * 'GERMANY') OR (n1 = 'GERMANY' AND n2 = 'FRANCE') gives n1 IN (...) and
 * n2 IN (...); q19 the same for lineitem and part). NULL when it cannot. */
static pl_expr *implied_by_or(pl_ctx *ctx, const pl_expr *c, const pl_node *side) {
    if (c->kind != PL_OR || c->n_args < 2 || within(c, side)) return NULL;
    pl_expr *o = pl_new(ctx, PL_OR, c->type, c->n_args);
    if (!o) return NULL;
    for (int32_t b = 0; b < c->n_args; b++) {
        const pl_expr *br = c->args[b];
        int32_t nc = br->kind == PL_AND ? br->n_args : 1;
        pl_expr *const *cs = br->kind == PL_AND ? br->args : (pl_expr *const *)&c->args[b];
        elist keep = {0};
        for (int32_t i = 0; i < nc; i++) {
            pl_expr *sub = NULL;
            if (within(cs[i], side) && pl_expr_has_cols(cs[i])) sub = cs[i];
            else if (cs[i]->kind == PL_OR) sub = implied_by_or(ctx, cs[i], side);
            if (sub && el_push(ctx, &keep, sub, NULL) != NL_OK) return NULL;
        }
        if (keep.n == 0) return NULL;
        o->args[b] = pl_and(ctx, keep.v, keep.n);
        if (!o->args[b]) return NULL;
    }
    return o;
}

/* Adds to `to` what an OR condition implies for `side` (see implied_by_or). */
static nl_status push_implied(pl_ctx *ctx, const pl_expr *c, const pl_node *side, elist *to, nl_error *err) {
    pl_expr *d = implied_by_or(ctx, c, side);
    return d ? el_push(ctx, to, d, err) : NL_OK;
}

static nl_status push_join(pl_ctx *ctx, pl_node *n, elist *conds, pl_node **out, nl_error *err) {
    pl_node *l = n->kids[0], *r = n->kids[1];
    elist lc = {0}, rc = {0}, above = {0}, resid = {0}, own = {0};
    NL_TRY(split_and(ctx, n->residual, &own, err));
    n->residual = NULL;
    bool inner = n->join == PL_JOIN_INNER;
    /* conditions from above */
    for (int32_t i = 0; i < conds->n; i++) {
        pl_expr *c = conds->v[i], *le, *re;
        if (inner) {
            if (within(c, l)) NL_TRY(el_push(ctx, &lc, c, err));
            else if (within(c, r)) NL_TRY(el_push(ctx, &rc, c, err));
            else if (is_equi(c, l, r, &le, &re)) NL_TRY(add_key(ctx, n, le, re, err));
            else {
                NL_TRY(push_implied(ctx, c, l, &lc, err));
                NL_TRY(push_implied(ctx, c, r, &rc, err));
                NL_TRY(el_push(ctx, &resid, c, err));
            }
        } else if (n->join != PL_JOIN_RIGHT && n->join != PL_JOIN_FULL && within(c, l)) {
            NL_TRY(el_push(ctx, &lc, c, err));
        } else {
            NL_TRY(el_push(ctx, &above, c, err));
        }
    }
    /* the join's own condition (not into keys that match NULLs: binder.c domainize) */
    for (int32_t i = 0; i < own.n; i++) {
        pl_expr *c = own.v[i], *le, *re;
        if (!n->null_eq && is_equi(c, l, r, &le, &re)) {
            NL_TRY(add_key(ctx, n, le, re, err));
        } else if (inner && within(c, l)) {
            NL_TRY(el_push(ctx, &lc, c, err));
        } else if ((inner || n->join == PL_JOIN_LEFT || n->join == PL_JOIN_SEMI || n->join == PL_JOIN_ANTI ||
                    n->join == PL_JOIN_SINGLE || n->join == PL_JOIN_MARK) &&
                   within(c, r) && pl_expr_has_cols(c)) {
            NL_TRY(el_push(ctx, &rc, c, err));
        } else if (n->join == PL_JOIN_SEMI && within(c, l) && pl_expr_has_cols(c)) {
            NL_TRY(el_push(ctx, &lc, c, err));
        } else {
            if (inner || n->join == PL_JOIN_SEMI) NL_TRY(push_implied(ctx, c, l, &lc, err));
            if (inner || n->join == PL_JOIN_LEFT || n->join == PL_JOIN_SEMI || n->join == PL_JOIN_ANTI ||
                n->join == PL_JOIN_SINGLE || n->join == PL_JOIN_MARK)
                NL_TRY(push_implied(ctx, c, r, &rc, err));
            NL_TRY(el_push(ctx, &resid, c, err));
        }
    }
    n->residual = pl_and(ctx, resid.v, resid.n);
    NL_TRY(push_kid(ctx, n, 0, &lc, err));
    NL_TRY(push_kid(ctx, n, 1, &rc, err));
    return wrap_filter(ctx, n, &above, out, err);
}

static nl_status push(pl_ctx *ctx, pl_node *n, elist *conds, pl_node **out, nl_error *err) {
    elist none = {0};
    switch (n->kind) {
    case PL_FILTER: {
        elist all = {0};
        for (int32_t i = 0; i < conds->n; i++) NL_TRY(el_push(ctx, &all, conds->v[i], err));
        NL_TRY(split_and(ctx, n->pred, &all, err));
        return push(ctx, n->kids[0], &all, out, err);
    }
    case PL_PROJECT: {
        elist down = {0}, above = {0};
        for (int32_t i = 0; i < conds->n; i++) {
            pl_expr *s = opt_subst(ctx, conds->v[i], n->out_ids, n->exprs, n->n_out);
            NL_CHECK_ALLOC(s, err);
            if (within(s, n->kids[0])) NL_TRY(el_push(ctx, &down, s, err));
            else NL_TRY(el_push(ctx, &above, conds->v[i], err));
        }
        NL_TRY(push_kid(ctx, n, 0, &down, err));
        return wrap_filter(ctx, n, &above, out, err);
    }
    case PL_SORT:
        if (n->limit >= 0 || n->offset > 0) {
            /* a top-N: filtering first would change which rows are kept */
            NL_TRY(push_kid(ctx, n, 0, &none, err));
            return wrap_filter(ctx, n, conds, out, err);
        }
        NL_TRY(push_kid(ctx, n, 0, conds, err));
        *out = n;
        return NL_OK;
    case PL_AGG: {
        elist down = {0}, above = {0};
        for (int32_t i = 0; i < conds->n; i++) {
            bool ok = n->n_groups > 0 && pl_expr_within(conds->v[i], n->out_ids, n->n_groups);
            if (ok) {
                pl_expr *s = opt_subst(ctx, conds->v[i], n->out_ids, n->groups, n->n_groups);
                NL_CHECK_ALLOC(s, err);
                NL_TRY(el_push(ctx, &down, s, err));
            } else {
                NL_TRY(el_push(ctx, &above, conds->v[i], err));
            }
        }
        NL_TRY(push_kid(ctx, n, 0, &down, err));
        return wrap_filter(ctx, n, &above, out, err);
    }
    case PL_JOIN: return push_join(ctx, n, conds, out, err);
    case PL_ROWID: {
        elist down = {0}, above = {0};
        for (int32_t i = 0; i < conds->n; i++)
            NL_TRY(el_push(ctx, within(conds->v[i], n->kids[0]) ? &down : &above, conds->v[i], err));
        NL_TRY(push_kid(ctx, n, 0, &down, err));
        return wrap_filter(ctx, n, &above, out, err);
    }
    case PL_LIMIT:
    case PL_UNION:
        for (int32_t k = 0; k < n->n_kids; k++) NL_TRY(push_kid(ctx, n, k, &none, err));
        return wrap_filter(ctx, n, conds, out, err);
    default: return wrap_filter(ctx, n, conds, out, err);
    }
}

/* ---- 3. join order ---- */

static double sel(const pl_expr *e) {
    switch (e->kind) {
    case PL_AND: {
        double s = 1;
        for (int32_t i = 0; i < e->n_args; i++) s *= sel(e->args[i]);
        return s;
    }
    case PL_OR: {
        double s = 0;
        for (int32_t i = 0; i < e->n_args; i++) s += sel(e->args[i]);
        return s > 1 ? 1 : s;
    }
    case PL_CMP: return e->op == PL_EQ ? 0.05 : e->op == PL_NE ? 0.9 : 0.35;
    case PL_LIKE: return e->negated ? 0.9 : 0.1;
    case PL_NOT: return 1 - sel(e->args[0]) * 0.5;
    default: return 0.5;
    }
}

double opt_estimate(const pl_node *n) {
    double r;
    switch (n->kind) {
    case PL_SCAN: r = n->est_rows >= 0 ? n->est_rows : 1e6; break;
    case PL_VALUES: r = (double)n->n_rows; break;
    case PL_FILTER: r = opt_estimate(n->kids[0]) * sel(n->pred); break;
    case PL_AGG: r = n->n_groups ? opt_estimate(n->kids[0]) * 0.1 : 1; break;
    case PL_LIMIT: r = opt_estimate(n->kids[0]); if (n->limit >= 0 && n->limit < r) r = (double)n->limit; break;
    case PL_JOIN: {
        if (n->join == PL_JOIN_INNER && n->est_rows >= 1) return n->est_rows;
        double a = opt_estimate(n->kids[0]), b = opt_estimate(n->kids[1]);
        if (n->join == PL_JOIN_INNER) r = n->n_keys ? (a > b ? a : b) : a * b;
        else if (n->join == PL_JOIN_SEMI && n->n_keys && n->rkeys[0]->kind == PL_COL) {
            /* into a key of the other side: as selective as that side's filters */
            double base;
            r = a * 0.5;
            if (opt_key_like(n->kids[1], n->rkeys[0]->id, &base) && base >= 1) r = a * (b / base < 1 ? b / base : 1);
        } else if (n->join == PL_JOIN_SEMI || n->join == PL_JOIN_ANTI) r = a * 0.5;
        else r = a;
        break;
    }
    case PL_UNION: r = 0; for (int32_t i = 0; i < n->n_kids; i++) r += opt_estimate(n->kids[i]); break;
    default: r = n->n_kids ? opt_estimate(n->kids[0]) : 1; break;
    }
    return r < 1 ? 1 : r;
}

typedef struct cluster {
    pl_node **rels;
    int32_t n, cap;
    elist conds; /* equality keys as l = r, and other conditions */
} cluster;

static nl_status flatten(pl_ctx *ctx, pl_node *n, cluster *c, nl_error *err) {
    if (n->kind == PL_JOIN && n->join == PL_JOIN_INNER) {
        NL_TRY(flatten(ctx, n->kids[0], c, err));
        NL_TRY(flatten(ctx, n->kids[1], c, err));
        for (int32_t k = 0; k < n->n_keys; k++) {
            pl_expr *eq = pl_binary(ctx, PL_CMP, PL_EQ, nl_type_get(NL_TYPE_BOOL), n->lkeys[k], n->rkeys[k]);
            NL_CHECK_ALLOC(eq, err);
            NL_TRY(el_push(ctx, &c->conds, eq, err));
        }
        NL_TRY(split_and(ctx, n->residual, &c->conds, err));
        return NL_OK;
    }
    pl_node **rels = pl_arena_grow(ctx, c->rels, c->n, &c->cap, 8, sizeof *rels);
    NL_CHECK_ALLOC(rels, err);
    c->rels = rels;
    c->rels[c->n++] = n;
    return NL_OK;
}

/* Follows column `id` down through projections, filters and joins to the
 * node that makes it and says whether it is likely unique there: the first
 * column of a table (a key by convention, as in TPC-H) or the only group key
 * of an aggregate. *base gets that node's row estimate before filters. */
bool opt_key_like(const pl_node *n, int32_t id, double *base) {
    for (int depth = 0; depth < 64; depth++) {
        int32_t i = pl_node_find(n, id);
        if (i < 0) return false;
        switch (n->kind) {
        case PL_SCAN:
            *base = opt_estimate(n);
            return n->scan_cols && n->scan_cols[i] == 0;
        case PL_AGG:
            *base = opt_estimate(n);
            return n->n_groups == 1 && i == 0;
        case PL_FILTER: n = n->kids[0]; break;
        case PL_PROJECT:
            if (!n->exprs || n->exprs[i]->kind != PL_COL) return false;
            id = n->exprs[i]->id;
            n = n->kids[0];
            break;
        case PL_JOIN:
            if (n->join != PL_JOIN_INNER && n->join != PL_JOIN_SEMI && n->join != PL_JOIN_ANTI) return false;
            n = pl_node_find(n->kids[0], id) >= 0 ? n->kids[0] : n->kids[1];
            break;
        default: return false;
        }
    }
    return false;
}

/* Rows of joining `r` (estimate er) to `cur` (estimate ec) on condition c.
 * A key on one side (foreign key to primary key) keeps at most the other
 * side's rows, scaled by how much of the key side survives its filters;
 * a join on no known key may multiply rows, so it comes last. */
static double join_rows(const pl_expr *le, const pl_expr *re, const pl_node *cur, double ec, const pl_node *r,
                        double er) {
    double base;
    double best = (ec > er ? ec : er) * 8;
    if (re->kind == PL_COL && opt_key_like(r, re->id, &base) && base >= 1) {
        double v = ec * (er / base < 1 ? er / base : 1);
        if (v < best) best = v;
    }
    if (le->kind == PL_COL && opt_key_like(cur, le->id, &base) && base >= 1) {
        double v = er * (ec / base < 1 ? ec / base : 1);
        /* both sides look like keys: the first column of a table is not
         * always unique (l_orderkey), and the larger estimate is the one of
         * the real key (the side with fewer rows before filters) */
        if (best < (ec > er ? ec : er) * 8) best = v > best ? v : best;
        else if (v < best) best = v;
    }
    return best;
}

static nl_status reorder(pl_ctx *ctx, pl_node **np, nl_error *err);

/* Joins two parts of a cluster: the larger estimate probes, the smaller is
 * built; every unused condition the pair can now evaluate goes on the join. */
static nl_status join_pair(pl_ctx *ctx, cluster *c, bool *cused, pl_node *x, double ex, pl_node *y, double ey,
                           double rows, pl_node **out, nl_error *err) {
    pl_node *j = pl_node_new(ctx, PL_JOIN, 2);
    NL_CHECK_ALLOC(j, err);
    j->join = PL_JOIN_INNER;
    j->kids[0] = ex >= ey ? x : y;
    j->kids[1] = ex >= ey ? y : x;
    NL_TRY(pl_node_outputs(ctx, j, x->n_out + y->n_out, err));
    int32_t o = 0;
    for (int32_t s = 0; s < 2; s++) {
        pl_node *k = j->kids[s];
        for (int32_t i = 0; i < k->n_out; i++, o++) {
            j->out_ids[o] = k->out_ids[i];
            j->out_types[o] = k->out_types[i];
            j->out_names[o] = k->out_names[i];
        }
    }
    elist resid = {0};
    for (int32_t k = 0; k < c->conds.n; k++) {
        if (cused[k]) continue;
        pl_expr *le, *re;
        if (is_equi(c->conds.v[k], j->kids[0], j->kids[1], &le, &re)) {
            NL_TRY(add_key(ctx, j, le, re, err));
            cused[k] = true;
        } else if (within(c->conds.v[k], j) && pl_expr_has_cols(c->conds.v[k])) {
            NL_TRY(el_push(ctx, &resid, c->conds.v[k], err));
            cused[k] = true;
        }
    }
    j->residual = pl_and(ctx, resid.v, resid.n);
    if (!j->n_keys) rows = ex * ey;
    j->est_rows = rows < 1 ? 1 : rows;
    *out = j;
    return NL_OK;
}

/* Greedy operator ordering: of all pairs of parts connected by an equality,
 * join the one that makes the fewest rows (plus the hash table it builds),
 * until one part is left. Unlike a left-deep order from the largest input,
 * this builds bushy trees, so a small filtered dimension first cuts down the
 * table it hangs off (q07: supplier x nation and customer x nation before
 * either meets lineitem or orders). Parts nothing connects meet last, the
 * smallest first. */
static nl_status build_cluster(pl_ctx *ctx, cluster *c, pl_node **out, nl_error *err) {
    int32_t n = c->n;
    double *est = nl_arena_alloc(ctx->arena, sizeof(double) * (size_t)n);
    pl_node **part = nl_arena_alloc(ctx->arena, sizeof(pl_node *) * (size_t)n);
    bool *cused = nl_arena_calloc(ctx->arena, (size_t)c->conds.n + 1, 1);
    NL_CHECK_ALLOC(est, err);
    NL_CHECK_ALLOC(part, err);
    NL_CHECK_ALLOC(cused, err);
    for (int32_t i = 0; i < n; i++) {
        part[i] = c->rels[i];
        est[i] = opt_estimate(part[i]);
    }
    int32_t live = n;
    while (live > 1) {
        int32_t bi = -1, bj = -1;
        double best_rows = 0, best_cost = 0;
        for (int32_t i = 0; i < live; i++) {
            for (int32_t j = i + 1; j < live; j++) {
                bool connected = false;
                double rows = 0;
                for (int32_t k = 0; k < c->conds.n; k++) {
                    pl_expr *le, *re;
                    if (cused[k] || !is_equi(c->conds.v[k], part[i], part[j], &le, &re)) continue;
                    double v = join_rows(le, re, part[i], est[i], part[j], est[j]);
                    if (!connected || v < rows) rows = v;
                    connected = true;
                }
                if (!connected) continue;
                double cost = rows + (est[i] < est[j] ? est[i] : est[j]);
                if (bi < 0 || cost < best_cost) {
                    bi = i;
                    bj = j;
                    best_rows = rows;
                    best_cost = cost;
                }
            }
        }
        if (bi < 0) {
            /* nothing connected: the two smallest parts */
            for (int32_t i = 0; i < live; i++)
                if (bi < 0 || est[i] < est[bi]) bi = i;
            for (int32_t i = 0; i < live; i++)
                if (i != bi && (bj < 0 || est[i] < est[bj])) bj = i;
            best_rows = est[bi] * est[bj];
        }
        pl_node *j = NULL;
        NL_TRY(join_pair(ctx, c, cused, part[bi], est[bi], part[bj], est[bj], best_rows, &j, err));
        part[bi] = j;
        est[bi] = j->est_rows;
        part[bj] = part[live - 1];
        est[bj] = est[live - 1];
        live--;
    }
    elist rest = {0};
    for (int32_t k = 0; k < c->conds.n; k++)
        if (!cused[k]) NL_TRY(el_push(ctx, &rest, c->conds.v[k], err));
    return wrap_filter(ctx, part[0], &rest, out, err);
}

/* ---- 3b. semi and anti joins sink into the inner join input they filter ---- */

typedef struct in_two {
    const pl_node *a, *b;
    bool ok;
} in_two;

static void in_two_id(void *ctx, int32_t id) {
    in_two *t = ctx;
    if (pl_node_find(t->a, id) < 0 && (!t->b || pl_node_find(t->b, id) < 0)) t->ok = false;
}

static bool within_two(const pl_expr *e, const pl_node *a, const pl_node *b) {
    if (!e) return true;
    in_two t = {a, b, true};
    pl_expr_ids(e, in_two_id, &t);
    return t.ok;
}

/* A SEMI or ANTI join over an inner join whose keys and condition read only
 * one input of that inner join moves down onto that input, so it filters
 * before the join multiplies rows (TPC-H q18: orders IN (big orders) before
 * joining lineitem). Its outputs become that input's. */
static nl_status sink_semi(pl_ctx *ctx, pl_node **np, nl_error *err) {
    pl_node *n = *np;
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(sink_semi(ctx, &n->kids[i], err));
    if (n->kind != PL_JOIN || (n->join != PL_JOIN_SEMI && n->join != PL_JOIN_ANTI) || n->null_aware) return NL_OK;
    pl_node *l = n->kids[0], *r = n->kids[1];
    if (l->kind != PL_JOIN || l->join != PL_JOIN_INNER) return NL_OK;
    for (int32_t side = 0; side < 2; side++) {
        pl_node *t = l->kids[side];
        bool ok = true;
        for (int32_t k = 0; k < n->n_keys && ok; k++) ok = within_two(n->lkeys[k], t, NULL);
        ok = ok && within_two(n->residual, t, r);
        /* only where it sees fewer rows than above the join */
        if (!ok || opt_estimate(t) > opt_estimate(l)) continue;
        NL_TRY(pl_node_outputs(ctx, n, t->n_out, err));
        for (int32_t i = 0; i < t->n_out; i++) {
            n->out_ids[i] = t->out_ids[i];
            n->out_types[i] = t->out_types[i];
            n->out_names[i] = t->out_names[i];
        }
        n->kids[0] = t;
        l->kids[side] = n;
        *np = l;
        /* and further down, when it can */
        return sink_semi(ctx, &l->kids[side], err);
    }
    return NL_OK;
}

static nl_status reorder(pl_ctx *ctx, pl_node **np, nl_error *err) {
    pl_node *n = *np;
    if (n->kind == PL_JOIN && n->join == PL_JOIN_INNER) {
        cluster c = {0};
        NL_TRY(flatten(ctx, n, &c, err));
        for (int32_t i = 0; i < c.n; i++) NL_TRY(reorder(ctx, &c.rels[i], err));
        if (c.n > 2 || (c.n == 2 && n->n_keys == 0)) return build_cluster(ctx, &c, np, err);
        /* two inputs: build the smaller */
        if (c.n == 2 && opt_estimate(n->kids[1]) > opt_estimate(n->kids[0]) * 1.5) {
            pl_node *t = n->kids[0];
            n->kids[0] = n->kids[1];
            n->kids[1] = t;
            pl_expr **tk = n->lkeys;
            n->lkeys = n->rkeys;
            n->rkeys = tk;
            /* outputs: ids are looked up by id, order does not matter */
        }
        return NL_OK;
    }
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(reorder(ctx, &n->kids[i], err));
    return NL_OK;
}

/* ---- 4. scans ---- */

static nl_filter_op flip(int op) {
    switch (op) {
    case PL_LT: return NL_OP_GT;
    case PL_LE: return NL_OP_GE;
    case PL_GT: return NL_OP_LT;
    case PL_GE: return NL_OP_LE;
    case PL_NE: return NL_OP_NE;
    default: return NL_OP_EQ;
    }
}

static nl_filter_op as_op(int op) {
    switch (op) {
    case PL_LT: return NL_OP_LT;
    case PL_LE: return NL_OP_LE;
    case PL_GT: return NL_OP_GT;
    case PL_GE: return NL_OP_GE;
    case PL_NE: return NL_OP_NE;
    default: return NL_OP_EQ;
    }
}

static nl_status push_scan_filters(pl_ctx *ctx, pl_node *f, nl_error *err) {
    pl_node *s = f->kids[0];
    elist conj = {0};
    NL_TRY(split_and(ctx, f->pred, &conj, err));
    nl_filter *fs = nl_calloc((size_t)conj.n + 1, sizeof(nl_filter));
    NL_CHECK_ALLOC(fs, err);
    int32_t nf = 0;
    for (int32_t i = 0; i < conj.n; i++) {
        pl_expr *c = conj.v[i];
        pl_expr *col = NULL, *lit = NULL;
        nl_filter_op op;
        if (c->kind == PL_CMP && c->op <= PL_GE) {
            if (c->args[0]->kind == PL_COL && c->args[1]->kind == PL_LIT) {
                col = c->args[0];
                lit = c->args[1];
                op = as_op(c->op);
            } else if (c->args[1]->kind == PL_COL && c->args[0]->kind == PL_LIT) {
                col = c->args[1];
                lit = c->args[0];
                op = flip(c->op);
            } else continue;
            if (lit->lit.is_null) continue;
        } else if (c->kind == PL_IS_NULL && c->args[0]->kind == PL_COL) {
            col = c->args[0];
            op = c->negated ? NL_OP_IS_NOT_NULL : NL_OP_IS_NULL;
        } else {
            continue;
        }
        int32_t pos = pl_node_find(s, col->id);
        if (pos < 0 || !nl_type_equals(s->out_types[pos], col->type)) continue;
        if (lit && !nl_type_equals(lit->lit.type ? lit->lit.type : lit->type, col->type)) continue;
        const char *name = s->provider->schema->fields[s->scan_cols[pos]].name;
        fs[nf].column = nl_strdup(name);
        fs[nf].op = op;
        if (lit) {
            fs[nf].value = nl_scalar_copy(&lit->lit);
        } else {
            fs[nf].value = nl_scalar_null(col->type);
        }
        if (!fs[nf].column) {
            nl_scalar_clear(&fs[nf].value);
            continue;
        }
        nf++;
    }
    if (nf == 0) {
        nl_free(fs);
        return NL_OK;
    }
    nl_filter_and *a = nl_calloc(1, sizeof *a);
    if (!a) {
        for (int32_t i = 0; i < nf; i++) {
            nl_free(fs[i].column);
            nl_scalar_clear(&fs[i].value);
        }
        nl_free(fs);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    a->n = nf;
    a->filters = fs;
    s->pushed.n = 1;
    s->pushed.ands = a;
    /* the context frees the set with the plan */
    if (ctx->n_fsets == ctx->cap_fsets) {
        int32_t cap = ctx->cap_fsets ? ctx->cap_fsets * 2 : 8;
        nl_filter_set **nv = nl_realloc(ctx->filter_sets, sizeof(nl_filter_set *) * (size_t)cap);
        NL_CHECK_ALLOC(nv, err);
        ctx->filter_sets = nv;
        ctx->cap_fsets = cap;
    }
    ctx->filter_sets[ctx->n_fsets++] = &s->pushed;
    return NL_OK;
}

static nl_status scans(pl_ctx *ctx, pl_node *n, nl_error *err) {
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(scans(ctx, n->kids[i], err));
    if (n->kind == PL_FILTER && n->kids[0]->kind == PL_SCAN && n->kids[0]->pushed.n == 0)
        NL_TRY(push_scan_filters(ctx, n, err));
    if (n->kind == PL_LIMIT && n->limit >= 0) {
        pl_node *k = n->kids[0];
        if (k->kind == PL_PROJECT) k = k->kids[0];
        if (k->kind == PL_SCAN) k->scan_limit = n->limit + n->offset;
    }
    return NL_OK;
}

/* ---- 5. pruning ---- */

typedef struct need {
    uint8_t *v;
    int32_t n;
} need;

static void need_id(void *ctx, int32_t id) {
    need *s = ctx;
    if (id >= 0 && id < s->n) s->v[id] = 1;
}

static void need_expr(need *s, const pl_expr *e) {
    if (e) pl_expr_ids(e, need_id, s);
}

static nl_status prune(pl_ctx *ctx, pl_node *n, const uint8_t *req, nl_error *err);

static nl_status prune_kid(pl_ctx *ctx, pl_node *n, int32_t k, need *s, nl_error *err) {
    return prune(ctx, n->kids[k], s->v, err);
}

static nl_status new_need(pl_ctx *ctx, need *s, nl_error *err) {
    s->n = ctx->next_id + 1;
    s->v = nl_arena_calloc(ctx->arena, (size_t)s->n, 1);
    NL_CHECK_ALLOC(s->v, err);
    return NL_OK;
}

static void keep_outputs_of_kids(pl_node *n, bool mark) {
    int32_t o = 0;
    for (int32_t s = 0; s < n->n_kids && s < 2; s++) {
        if (s == 1 && (n->join == PL_JOIN_SEMI || n->join == PL_JOIN_ANTI || n->join == PL_JOIN_MARK)) break;
        pl_node *k = n->kids[s];
        for (int32_t i = 0; i < k->n_out; i++, o++) {
            n->out_ids[o] = k->out_ids[i];
            n->out_types[o] = k->out_types[i];
            n->out_names[o] = k->out_names[i];
        }
    }
    if (mark) o++;
    n->n_out = o;
}

static nl_status prune(pl_ctx *ctx, pl_node *n, const uint8_t *req, nl_error *err) {
    need s;
    NL_TRY(new_need(ctx, &s, err));
    for (int32_t i = 0; i < s.n; i++) s.v[i] = req[i];
    switch (n->kind) {
    case PL_SCAN: {
        int32_t k = 0;
        for (int32_t i = 0; i < n->n_out; i++) {
            if (!req[n->out_ids[i]]) continue;
            n->out_ids[k] = n->out_ids[i];
            n->out_types[k] = n->out_types[i];
            n->out_names[k] = n->out_names[i];
            n->scan_cols[k] = n->scan_cols[i];
            k++;
        }
        if (k == 0 && n->n_out > 0) k = 1; /* keep one column for the row count */
        n->n_out = k;
        return NL_OK;
    }
    case PL_VALUES:
    case PL_UNION:
        for (int32_t k = 0; k < n->n_kids; k++) {
            need all;
            NL_TRY(new_need(ctx, &all, err));
            for (int32_t i = 0; i < n->kids[k]->n_out; i++) all.v[n->kids[k]->out_ids[i]] = 1;
            NL_TRY(prune_kid(ctx, n, k, &all, err));
        }
        return NL_OK;
    case PL_PROJECT: {
        int32_t k = 0;
        for (int32_t i = 0; i < n->n_out; i++) {
            if (!req[n->out_ids[i]] && !(k == 0 && i == n->n_out - 1)) continue;
            n->out_ids[k] = n->out_ids[i];
            n->out_types[k] = n->out_types[i];
            n->out_names[k] = n->out_names[i];
            n->exprs[k] = n->exprs[i];
            k++;
        }
        n->n_out = k;
        need below;
        NL_TRY(new_need(ctx, &below, err));
        for (int32_t i = 0; i < n->n_out; i++) need_expr(&below, n->exprs[i]);
        return prune_kid(ctx, n, 0, &below, err);
    }
    case PL_ROWID: {
        int32_t rid = n->out_ids[n->n_out - 1];
        nl_type *rt = n->out_types[n->n_out - 1];
        const char *rn = n->out_names[n->n_out - 1];
        NL_TRY(prune_kid(ctx, n, 0, &s, err));
        pl_node *k = n->kids[0];
        n->n_out = k->n_out + 1;
        memcpy(n->out_ids, k->out_ids, sizeof(int32_t) * (size_t)k->n_out);
        memcpy(n->out_types, k->out_types, sizeof(nl_type *) * (size_t)k->n_out);
        memcpy(n->out_names, k->out_names, sizeof(char *) * (size_t)k->n_out);
        n->out_ids[k->n_out] = rid;
        n->out_types[k->n_out] = rt;
        n->out_names[k->n_out] = rn;
        return NL_OK;
    }
    case PL_FILTER:
    case PL_SORT:
    case PL_LIMIT: {
        if (n->kind == PL_FILTER) need_expr(&s, n->pred);
        for (int32_t i = 0; n->kind == PL_SORT && i < n->n_sort; i++) need_expr(&s, n->keys[i].expr);
        NL_TRY(prune_kid(ctx, n, 0, &s, err));
        pl_node *k = n->kids[0];
        n->n_out = k->n_out;
        memcpy(n->out_ids, k->out_ids, sizeof(int32_t) * (size_t)k->n_out);
        memcpy(n->out_types, k->out_types, sizeof(nl_type *) * (size_t)k->n_out);
        memcpy(n->out_names, k->out_names, sizeof(char *) * (size_t)k->n_out);
        return NL_OK;
    }
    case PL_AGG: {
        int32_t k = 0;
        pl_agg *aggs = n->aggs;
        for (int32_t i = 0; i < n->n_aggs; i++) {
            if (!req[aggs[i].id] && !(n->n_groups == 0 && k == 0 && i == n->n_aggs - 1)) continue;
            aggs[k++] = aggs[i];
        }
        n->n_aggs = k;
        n->n_out = n->n_groups + k;
        for (int32_t i = 0; i < k; i++) {
            n->out_ids[n->n_groups + i] = aggs[i].id;
            n->out_types[n->n_groups + i] = aggs[i].type;
        }
        need below;
        NL_TRY(new_need(ctx, &below, err));
        for (int32_t i = 0; i < n->n_groups; i++) need_expr(&below, n->groups[i]);
        for (int32_t i = 0; i < n->n_aggs; i++) {
            need_expr(&below, aggs[i].arg);
            need_expr(&below, aggs[i].filter);
        }
        return prune_kid(ctx, n, 0, &below, err);
    }
    case PL_JOIN: {
        for (int32_t k = 0; k < n->n_keys; k++) {
            need_expr(&s, n->lkeys[k]);
            need_expr(&s, n->rkeys[k]);
        }
        need_expr(&s, n->residual);
        int32_t mark_id = n->join == PL_JOIN_MARK ? n->out_ids[n->n_out - 1] : -1;
        nl_type *mark_t = n->join == PL_JOIN_MARK ? n->out_types[n->n_out - 1] : NULL;
        NL_TRY(prune_kid(ctx, n, 0, &s, err));
        NL_TRY(prune_kid(ctx, n, 1, &s, err));
        keep_outputs_of_kids(n, mark_id >= 0);
        if (mark_id >= 0) {
            n->out_ids[n->n_out - 1] = mark_id;
            n->out_types[n->n_out - 1] = mark_t;
            n->out_names[n->n_out - 1] = "mark";
        }
        return NL_OK;
    }
    }
    return NL_OK;
}

/* Every node gets its row estimate (EXPLAIN shows it). */
static void annotate(pl_node *n) {
    for (int32_t i = 0; i < n->n_kids; i++) annotate(n->kids[i]);
    if (n->kind != PL_SCAN || n->est_rows < 0) n->est_rows = opt_estimate(n);
}

nl_status opt_optimize(pl_ctx *ctx, pl_node **root, nl_error *err) {
    NL_TRY(fold_node(ctx, *root, err));
    elist none = {0};
    NL_TRY(push(ctx, *root, &none, root, err));
    NL_TRY(reorder(ctx, root, err));
    NL_TRY(sink_semi(ctx, root, err));
    NL_TRY(opt_reduce_builds(ctx, root, err));
    NL_TRY(opt_share_subexprs(ctx, root, err));
    NL_TRY(scans(ctx, *root, err));
    need all;
    NL_TRY(new_need(ctx, &all, err));
    for (int32_t i = 0; i < (*root)->n_out; i++) all.v[(*root)->out_ids[i]] = 1;
    NL_TRY(prune(ctx, *root, all.v, err));
    annotate(*root);
    return NL_OK;
}
