/*
 * opt_cse.c -- a filter computes each repeated subexpression once.
 *
 * `substring(c_phone, 1, 2) IN ('13', '31', ...)` binds to an OR of seven
 * equalities, and the evaluator computes every branch over the whole batch:
 * seven substrings a row (TPC-H q22 does it in four places). When a filter's
 * predicate holds the same computed expression (a call, cast or arithmetic
 * over columns) more than once, a projection under the filter computes it
 * once as a new column and the predicate reads that column:
 *
 *     FILTER (p with f(x)) -> X   becomes
 *     FILTER (p with t) -> PROJECT (X's columns, f(x) AS t) -> FILTER (the
 *     conjuncts without f(x)) -> X
 *
 * The conjuncts that do not read f(x) stay right above X, so they still
 * reach a scan's provider and run first, on all rows; f(x) is computed only
 * for the rows they keep. The projection passes X's columns through under
 * their own ids, so the nodes above see the same columns (plus t).
 */
#include <string.h>

#include "base/error.h"
#include "functions/functions.h"
#include "plan/opt_int.h"

#define MAX_SHARED 4

static bool computed(const pl_expr *e) {
    if (e->kind != PL_CALL && e->kind != PL_CAST && e->kind != PL_ARITH) return false;
    if (e->kind == PL_CALL && (e->fn == FN_RANDOM || e->fn == FN_ORDER_PACK)) return false;
    return pl_expr_has_cols(e);
}

/* (not inside a CASE: what it guards must not run on every row) */
static int32_t occurrences(const pl_expr *e, const pl_expr *t) {
    if (pl_expr_equal(e, t)) return 1;
    if (e->kind == PL_CASE) return 0;
    int32_t n = 0;
    for (int32_t i = 0; i < e->n_args; i++) n += occurrences(e->args[i], t);
    return n;
}

/* the outermost computed subexpressions of e that occur twice in root */
static void repeated(const pl_expr *root, const pl_expr *e, const pl_expr **found, int32_t *n) {
    if (*n == MAX_SHARED) return;
    if (computed(e) && occurrences(root, e) >= 2) {
        for (int32_t i = 0; i < *n; i++)
            if (pl_expr_equal(found[i], e)) return;
        found[(*n)++] = e;
        return;
    }
    /* CASE evaluates its branches only where chosen: not shared across them */
    if (e->kind == PL_CASE) return;
    for (int32_t i = 0; i < e->n_args; i++) repeated(root, e->args[i], found, n);
}

static pl_expr *replace(pl_ctx *ctx, const pl_expr *e, const pl_expr **found, const int32_t *ids, int32_t n) {
    for (int32_t i = 0; i < n; i++)
        if (pl_expr_equal(e, found[i])) return pl_col(ctx, ids[i], found[i]->type);
    pl_expr *c = pl_copy(ctx, e);
    if (!c || e->kind == PL_CASE) return c;
    for (int32_t i = 0; i < e->n_args; i++) {
        c->args[i] = replace(ctx, e->args[i], found, ids, n);
        if (!c->args[i]) return NULL;
    }
    return c;
}

static bool reads_any(const pl_expr *e, const pl_expr **found, int32_t n) {
    for (int32_t i = 0; i < n; i++)
        if (occurrences(e, found[i])) return true;
    return false;
}

static nl_status share_in_filter(pl_ctx *ctx, pl_node *f, nl_error *err) {
    if (!f->pred || pl_expr_volatile(f->pred)) return NL_OK;
    const pl_expr *found[MAX_SHARED];
    int32_t nf = 0;
    repeated(f->pred, f->pred, found, &nf);
    if (nf == 0) return NL_OK;
    pl_node *x = f->kids[0];
    /* the conjuncts: which read a shared expression */
    int32_t nc = f->pred->kind == PL_AND ? f->pred->n_args : 1;
    pl_expr **cs = f->pred->kind == PL_AND ? f->pred->args : &f->pred;
    pl_expr **lower = nl_arena_calloc(ctx->arena, (size_t)nc, sizeof(pl_expr *));
    pl_expr **upper = nl_arena_calloc(ctx->arena, (size_t)nc, sizeof(pl_expr *));
    NL_CHECK_ALLOC(lower, err);
    NL_CHECK_ALLOC(upper, err);
    int32_t nl_ = 0, nu = 0;
    int32_t ids[MAX_SHARED];
    for (int32_t i = 0; i < nf; i++) ids[i] = pl_new_id(ctx);
    for (int32_t i = 0; i < nc; i++) {
        if (reads_any(cs[i], found, nf)) {
            upper[nu] = replace(ctx, cs[i], found, ids, nf);
            NL_CHECK_ALLOC(upper[nu], err);
            nu++;
        } else {
            lower[nl_++] = cs[i];
        }
    }
    pl_node *below = x;
    if (nl_) {
        pl_node *lf = pl_node_new(ctx, PL_FILTER, 1);
        NL_CHECK_ALLOC(lf, err);
        lf->kids[0] = x;
        lf->pred = pl_and(ctx, lower, nl_);
        NL_CHECK_ALLOC(lf->pred, err);
        NL_TRY(pl_node_outputs_from(ctx, lf, x, 0, err));
        below = lf;
    }
    pl_node *p = pl_node_new(ctx, PL_PROJECT, 1);
    NL_CHECK_ALLOC(p, err);
    p->kids[0] = below;
    NL_TRY(pl_node_outputs_from(ctx, p, x, nf, err));
    p->exprs = nl_arena_calloc(ctx->arena, (size_t)(x->n_out + nf), sizeof(pl_expr *));
    NL_CHECK_ALLOC(p->exprs, err);
    for (int32_t i = 0; i < x->n_out; i++) {
        p->exprs[i] = pl_col(ctx, x->out_ids[i], x->out_types[i]);
        NL_CHECK_ALLOC(p->exprs[i], err);
    }
    for (int32_t i = 0; i < nf; i++) {
        p->exprs[x->n_out + i] = pl_copy(ctx, found[i]);
        NL_CHECK_ALLOC(p->exprs[x->n_out + i], err);
        p->out_ids[x->n_out + i] = ids[i];
        p->out_types[x->n_out + i] = found[i]->type;
        p->out_names[x->n_out + i] = "shared";
    }
    f->kids[0] = p;
    f->pred = pl_and(ctx, upper, nu);
    NL_CHECK_ALLOC(f->pred, err);
    return pl_node_outputs_from(ctx, f, p, 0, err);
}

static nl_status share(pl_ctx *ctx, pl_node *n, nl_error *err) {
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(share(ctx, n->kids[i], err));
    if (n->kind == PL_FILTER) NL_TRY(share_in_filter(ctx, n, err));
    return NL_OK;
}

nl_status opt_share_subexprs(pl_ctx *ctx, pl_node **root, nl_error *err) { return share(ctx, *root, err); }
