/*
 * opt_reduce.c -- semi-join reduction of join build sides (a plan-level
 * "magic set", DuckDB's delim join in spirit).
 *
 * A semi, anti, single, mark or left join builds its hash table on the right
 * input, whatever the sizes: TPC-H q17's decorrelated subquery aggregates all
 * 6M lineitem rows by l_partkey although the outer side holds 204 parts, q04
 * hashes 3.8M lineitem rows for 57K orders. Only the build rows whose keys
 * the probe side can have matter to such a join, so the rule puts
 *
 *     build' = build SEMI JOIN copy(K) ON build key = K key
 *
 * as low in the build side as the keys reach (through projections, group
 * keys of aggregates and the big side of inner joins), where K is a cheap
 * subtree of the probe side whose key values are a superset of the probe
 * side's: the probe side itself, or what is below it through filters,
 * projections, group keys and the preserved side of joins. K is copied
 * (fresh column ids) and so runs twice; the rule fires only when the build
 * side is estimated much larger than K and K reads no more than twice what
 * the build side reads.
 *
 * Why it is exact: such a join pairs a probe row only with build rows of an
 * equal, non-NULL key (non-null-aware, non-null-equal joins only), so
 * dropping build rows whose key no probe row has changes no pair; below an
 * aggregate the filter is on group keys, so it drops whole groups.
 */
#include <string.h>

#include "base/error.h"
#include "plan/opt_int.h"

#define MAX_RKEYS 8
/* fire when the build input is this many times K's estimate ... */
#define REDUCE_RATIO 4.0
/* ... and at least this large (a small build costs nothing to hash) */
#define REDUCE_MIN_ROWS 10000.0
/* scanning a row again weighs this much against a row K lets through */
#define READ_WEIGHT 0.05

/* ---- copying a subtree under fresh column ids ---- */

typedef struct idmap {
    int32_t *to; /* old id -> new id, -1 none */
    int32_t n;
} idmap;

static pl_expr *remap(pl_ctx *ctx, const pl_expr *e, const idmap *m) {
    if (!e) return NULL;
    pl_expr *c = pl_copy(ctx, e);
    if (!c) return NULL;
    if (c->kind == PL_COL && c->id >= 0 && c->id < m->n && m->to[c->id] >= 0) c->id = m->to[c->id];
    for (int32_t i = 0; i < e->n_args; i++) {
        c->args[i] = remap(ctx, e->args[i], m);
        if (!c->args[i]) return NULL;
    }
    return c;
}

/* Can the subtree run a second time with the same rows? */
static bool copyable(const pl_node *n) {
    switch (n->kind) {
    case PL_SCAN: if (n->scan_limit >= 0 || n->pushed.n) return false; break;
    case PL_VALUES:
        for (int64_t r = 0; r < n->n_rows; r++)
            for (int32_t c = 0; c < n->n_out; c++)
                if (pl_expr_volatile(n->rows[r][c])) return false;
        break;
    case PL_FILTER: if (pl_expr_volatile(n->pred)) return false; break;
    case PL_PROJECT:
        for (int32_t i = 0; i < n->n_out; i++)
            if (pl_expr_volatile(n->exprs[i])) return false;
        break;
    case PL_JOIN:
        if (pl_expr_volatile(n->residual)) return false;
        for (int32_t k = 0; k < n->n_keys; k++)
            if (pl_expr_volatile(n->lkeys[k]) || pl_expr_volatile(n->rkeys[k])) return false;
        break;
    case PL_AGG:
        for (int32_t i = 0; i < n->n_groups; i++)
            if (pl_expr_volatile(n->groups[i])) return false;
        for (int32_t i = 0; i < n->n_aggs; i++)
            if (pl_expr_volatile(n->aggs[i].arg) || pl_expr_volatile(n->aggs[i].filter)) return false;
        break;
    default: return false; /* ROWID, SORT, LIMIT, UNION */
    }
    for (int32_t i = 0; i < n->n_kids; i++)
        if (!copyable(n->kids[i])) return false;
    return true;
}

#define DUP(dst, src, count, type)                                                                                 \
    do {                                                                                                           \
        if (src) {                                                                                                 \
            size_t bytes_ = sizeof(type) * (size_t)((count) > 0 ? (count) : 1);                                    \
            (dst) = nl_arena_alloc(ctx->arena, bytes_);                                                            \
            if (!(dst)) return NULL;                                                                               \
            memcpy((dst), (src), sizeof(type) * (size_t)((count) > 0 ? (count) : 0));                              \
        }                                                                                                          \
    } while (0)

static pl_expr **remap_all(pl_ctx *ctx, pl_expr **v, int32_t n, const idmap *m) {
    pl_expr **out = nl_arena_calloc(ctx->arena, (size_t)(n > 0 ? n : 1), sizeof(pl_expr *));
    if (!out) return NULL;
    for (int32_t i = 0; i < n; i++) {
        out[i] = remap(ctx, v[i], m);
        if (v[i] && !out[i]) return NULL;
    }
    return out;
}

static pl_node *copy_tree(pl_ctx *ctx, const pl_node *n, idmap *m) {
    pl_node *c = nl_arena_alloc(ctx->arena, sizeof *c);
    if (!c) return NULL;
    *c = *n;
    c->pushed = (nl_filter_set){0};
    c->schema = NULL;
    c->xstate = NULL;
    c->stat_rows = 0;
    c->stat_ms = 0;
    c->stat_self_ns = 0;
    if (n->n_kids) {
        c->kids = nl_arena_calloc(ctx->arena, (size_t)n->n_kids, sizeof(pl_node *));
        if (!c->kids) return NULL;
        for (int32_t i = 0; i < n->n_kids; i++) {
            c->kids[i] = copy_tree(ctx, n->kids[i], m);
            if (!c->kids[i]) return NULL;
        }
    }
    /* expressions read the kids' (already renamed) columns */
    if (n->pred && !(c->pred = remap(ctx, n->pred, m))) return NULL;
    if (n->exprs && !(c->exprs = remap_all(ctx, n->exprs, n->n_out, m))) return NULL;
    if (n->n_keys) {
        if (!(c->lkeys = remap_all(ctx, n->lkeys, n->n_keys, m))) return NULL;
        if (!(c->rkeys = remap_all(ctx, n->rkeys, n->n_keys, m))) return NULL;
    }
    if (n->residual && !(c->residual = remap(ctx, n->residual, m))) return NULL;
    if (n->groups && !(c->groups = remap_all(ctx, n->groups, n->n_groups, m))) return NULL;
    if (n->aggs) {
        DUP(c->aggs, n->aggs, n->n_aggs, pl_agg);
        for (int32_t i = 0; i < n->n_aggs; i++) {
            c->aggs[i].arg = remap(ctx, n->aggs[i].arg, m);
            c->aggs[i].arg2 = remap(ctx, n->aggs[i].arg2, m);
            c->aggs[i].filter = remap(ctx, n->aggs[i].filter, m);
            if ((n->aggs[i].arg && !c->aggs[i].arg) || (n->aggs[i].arg2 && !c->aggs[i].arg2) ||
                (n->aggs[i].filter && !c->aggs[i].filter))
                return NULL;
        }
    }
    DUP(c->scan_cols, n->scan_cols, n->n_out, int32_t);
    /* outputs: a kid's column keeps its new name, a column made here gets one */
    DUP(c->out_ids, n->out_ids, n->n_out, int32_t);
    DUP(c->out_types, n->out_types, n->n_out, nl_type *);
    DUP(c->out_names, n->out_names, n->n_out, const char *);
    for (int32_t i = 0; i < n->n_out; i++) {
        int32_t id = n->out_ids[i];
        if (id < 0 || id >= m->n) continue;
        if (m->to[id] < 0) m->to[id] = pl_new_id(ctx);
        c->out_ids[i] = m->to[id];
    }
    for (int32_t i = 0; i < n->n_aggs; i++)
        if (n->aggs[i].id >= 0 && n->aggs[i].id < m->n && m->to[n->aggs[i].id] >= 0)
            c->aggs[i].id = m->to[n->aggs[i].id];
    return c;
}

/* ---- where the probe side's keys come from ---- */

/* Scan rows a subtree reads: what running it again costs. */
static double read_cost(const pl_node *n) {
    if (n->kind == PL_SCAN) return opt_estimate(n);
    double s = 0;
    for (int32_t i = 0; i < n->n_kids; i++) s += read_cost(n->kids[i]);
    return s;
}

static bool all_within(pl_expr **keys, int32_t nk, const pl_node *n) {
    for (int32_t k = 0; k < nk; k++)
        if (!pl_expr_within(keys[k], n->out_ids, n->n_out)) return false;
    return true;
}

/* Moves keys (over n's outputs) to the input below n that makes them; false
 * where they do not pass or the input's values would not be a superset. */
static bool keys_below(pl_ctx *ctx, const pl_node *n, pl_expr **keys, int32_t nk, const pl_node **kid) {
    switch (n->kind) {
    case PL_FILTER: *kid = n->kids[0]; return true;
    case PL_PROJECT:
        for (int32_t k = 0; k < nk; k++) {
            pl_expr *s = opt_subst(ctx, keys[k], n->out_ids, n->exprs, n->n_out);
            if (!s) return false;
            keys[k] = s;
        }
        *kid = n->kids[0];
        return all_within(keys, nk, *kid);
    case PL_AGG:
        for (int32_t k = 0; k < nk; k++) {
            if (keys[k]->kind != PL_COL) return false;
            int32_t i = pl_node_find(n, keys[k]->id);
            if (i < 0 || i >= n->n_groups) return false;
            keys[k] = n->groups[i];
        }
        *kid = n->kids[0];
        return true;
    case PL_JOIN:
        if (n->join == PL_JOIN_RIGHT || n->join == PL_JOIN_FULL) return false;
        if (all_within(keys, nk, n->kids[0])) {
            *kid = n->kids[0];
            return true;
        }
        if (n->join == PL_JOIN_INNER && all_within(keys, nk, n->kids[1])) {
            *kid = n->kids[1];
            return true;
        }
        return false;
    default: return false;
    }
}

static nl_status reduce_join(pl_ctx *ctx, pl_node *j, nl_error *err) {
    int32_t nk = j->n_keys < MAX_RKEYS ? j->n_keys : MAX_RKEYS;
    /* the build side: how low the keys reach, and what it reads there */
    pl_expr *bk[MAX_RKEYS];
    memcpy(bk, j->rkeys, sizeof(pl_expr *) * (size_t)nk);
    pl_node **slot = &j->kids[1];
    for (;;) {
        pl_node *x = *slot;
        pl_expr *t[MAX_RKEYS];
        memcpy(t, bk, sizeof(pl_expr *) * (size_t)nk);
        const pl_node *kid = NULL;
        if (x->kind == PL_FILTER || !keys_below(ctx, x, t, nk, &kid)) break;
        /* through an inner join only into its big (probe) side */
        if (x->kind == PL_JOIN) {
            if (x->join != PL_JOIN_INNER && x->join != PL_JOIN_LEFT) break;
            const pl_node *other = kid == x->kids[0] ? x->kids[1] : x->kids[0];
            if (x->join == PL_JOIN_LEFT && kid != x->kids[0]) break;
            if (opt_estimate(kid) < opt_estimate(other)) break;
        }
        if (x->kind == PL_AGG && x->n_groups == 0) break;
        memcpy(bk, t, sizeof(pl_expr *) * (size_t)nk);
        slot = kid == x->kids[0] ? &x->kids[0] : &x->kids[1];
    }
    pl_node *x = *slot;
    double bx = opt_estimate(x);
    if (bx < REDUCE_MIN_ROWS) return NL_OK;
    /* the probe side: the cheapest-looking node on the way down to the keys */
    pl_expr *pk[MAX_RKEYS], *best_keys[MAX_RKEYS];
    memcpy(pk, j->lkeys, sizeof(pl_expr *) * (size_t)nk);
    const pl_node *p = j->kids[0], *best = NULL;
    double best_rows = 0, limit = 2 * read_cost(x);
    for (int depth = 0; depth < 64; depth++) {
        if (read_cost(p) <= limit && copyable(p)) {
            /* its rows, and a little for reading its inputs a second time */
            double r = opt_estimate(p) + READ_WEIGHT * read_cost(p);
            if (!best || r <= best_rows) {
                best = p;
                best_rows = r;
                memcpy(best_keys, pk, sizeof(pl_expr *) * (size_t)nk);
            }
        }
        const pl_node *kid;
        if (!keys_below(ctx, p, pk, nk, &kid)) break;
        p = kid;
    }
    if (!best || bx < REDUCE_RATIO * opt_estimate(best)) return NL_OK;

    idmap m = {NULL, ctx->next_id};
    m.to = nl_arena_alloc(ctx->arena, sizeof(int32_t) * (size_t)(m.n ? m.n : 1));
    NL_CHECK_ALLOC(m.to, err);
    memset(m.to, 0xff, sizeof(int32_t) * (size_t)m.n);
    pl_node *k = copy_tree(ctx, best, &m);
    NL_CHECK_ALLOC(k, err);
    pl_node *s = pl_node_new(ctx, PL_JOIN, 2);
    NL_CHECK_ALLOC(s, err);
    s->join = PL_JOIN_SEMI;
    s->kids[0] = x;
    s->kids[1] = k;
    s->n_keys = nk;
    s->lkeys = nl_arena_calloc(ctx->arena, (size_t)nk, sizeof(pl_expr *));
    s->rkeys = nl_arena_calloc(ctx->arena, (size_t)nk, sizeof(pl_expr *));
    NL_CHECK_ALLOC(s->lkeys, err);
    NL_CHECK_ALLOC(s->rkeys, err);
    for (int32_t i = 0; i < nk; i++) {
        s->lkeys[i] = bk[i];
        s->rkeys[i] = remap(ctx, best_keys[i], &m);
        NL_CHECK_ALLOC(s->rkeys[i], err);
    }
    NL_TRY(pl_node_outputs_from(ctx, s, x, 0, err));
    *slot = s;
    return NL_OK;
}

static bool reducible(const pl_node *n) {
    if (n->kind != PL_JOIN || n->n_keys == 0 || n->null_eq || n->set_all || n->null_aware) return false;
    switch (n->join) {
    case PL_JOIN_SEMI:
    case PL_JOIN_ANTI:
    case PL_JOIN_SINGLE:
    case PL_JOIN_MARK:
    case PL_JOIN_LEFT: return true;
    default: return false;
    }
}

static nl_status reduce(pl_ctx *ctx, pl_node *n, nl_error *err) {
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(reduce(ctx, n->kids[i], err));
    if (reducible(n)) NL_TRY(reduce_join(ctx, n, err));
    return NL_OK;
}

nl_status opt_reduce_builds(pl_ctx *ctx, pl_node **root, nl_error *err) { return reduce(ctx, *root, err); }
