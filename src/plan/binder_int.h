/*
 * binder_int.h -- the binder's internal state, shared by binder.c (queries,
 * FROM, SELECT, subqueries) and bind_expr.c (expressions and types).
 */
#ifndef NL_PLAN_BINDER_INT_H
#define NL_PLAN_BINDER_INT_H

#include "plan/binder.h"

typedef struct bcol {
    const char *qual; /* table alias (may be NULL) */
    const char *name;
    int32_t id;
    nl_type *type;
    bool hidden; /* a USING/NATURAL join's input copy: found only when qualified */
} bcol;

typedef struct bcte bcte;

typedef struct bscope {
    bcol *cols;
    int32_t n, cap;
    struct bscope *parent; /* the enclosing query's scope (correlation) */
    /* The SELECT whose FROM made these columns, and the CTEs it saw: binding
     * that FROM again gives the domain of a multi-level correlation (binder.c
     * domainize). NULL for scopes that are not a SELECT's. */
    const sql_select *sel;
    bcte *ctes;
    /* Set for what is bound without decorrelation (a subquery in FROM, a
     * branch of a set operation, an ON condition): names what it is, for the
     * error when something inside reads a column of `parent` or beyond. */
    const char *barrier;
} bscope;

/* A subquery waiting to be joined to the plan being built. */
typedef struct bpending {
    pl_join_kind kind;
    pl_node *sub;
    pl_expr **lkeys, **rkeys;
    int32_t n_keys;
    pl_expr *residual;
    bool null_aware;
    int32_t mark_id;
    int32_t line, col;
    /* a lateral aggregate (see bcorr): `sub` is its input, mark_id its value */
    bool lateral;
    pl_agg *aggs;
    int32_t n_aggs;
    pl_expr *item, *having;
    bool null_eq; /* the keys are a correlation domain's: NULL matches NULL */
} bpending;

typedef struct bpend_list {
    bpending *items;
    int32_t n, cap;
} bpend_list;

/* Aggregates found while binding a SELECT list, HAVING or ORDER BY. */
typedef struct bagg {
    pl_agg *aggs;
    int32_t n, cap;
} bagg;

/* What an expression may contain where it is bound. */
typedef struct bx {
    bagg *agg;        /* NULL: aggregates not allowed here */
    bpend_list *pend; /* NULL: subqueries not allowed here */
    bpend_list *arg_pend; /* where subqueries in aggregate arguments go (NULL: not allowed) */
    const char *clause;
} bx;

/* Correlation of a subquery: equality keys (outer expression = inner output
 * column) and whatever else refers to the outer query. */
typedef struct bcorr {
    bool active;
    pl_expr **outer;    /* outer side of each key */
    pl_expr **inner;    /* inner side (over the subquery's FROM columns) */
    int32_t *inner_ids; /* the subquery output column of each inner key */
    int32_t n, cap;
    pl_expr *residual;
    /* Lateral: a correlated aggregate that cannot group by the correlation
     * keys (a non-equality correlation, or count() whose empty group must be
     * 0). The subquery's plan is then its input (FROM and WHERE); the caller
     * joins it per outer row and aggregates by row (binder.c attach_lateral). */
    bool lateral;
    pl_agg *aggs;
    int32_t n_aggs;
    pl_expr *item;   /* the value, over the aggregates' ids and outer columns */
    pl_expr *having; /* or NULL */
    /* Domain decorrelation (binder.c domainize): the subquery joined the
     * distinct values of the outer columns dom_from[] under the ids dom_to[];
     * its keys are then those pairs, compared with NULL equal to NULL. */
    bool null_eq;
    int32_t *dom_from, *dom_to;
    int32_t n_dom;
} bcorr;

struct bcte {
    const sql_cte *cte;
    struct bcte *next;
};

typedef struct binder {
    pl_ctx *ctx;
    const bind_env *env;
    nl_error *err;
    bcte *ctes;
    int depth;
    const sql_query *setop_left, *setop_right; /* the branches being bound (error messages) */
    const sql_cte *binding_cte;                /* the WITH query being bound (error messages) */
} binder;

nl_status bx_expr(binder *b, bscope *sc, const sql_expr *e, bx *x, pl_expr **out);
/* Binds a subquery for use in an expression (scalar, IN, EXISTS). */
nl_status bind_subquery(binder *b, bscope *outer, const sql_query *q, bcorr *corr, pl_node **plan,
                        int32_t *n_visible);
nl_status bind_pending_push(binder *b, bpend_list *p, bpending item);
/* Queues a lateral aggregate subquery (corr->lateral) and returns its value. */
nl_status bind_lateral_pending(binder *b, bcorr *corr, pl_node *sub, int32_t line, int32_t col,
                               bpend_list *pend, pl_expr **value);
/* EXISTS (or NOT EXISTS) of a lateral aggregate subquery with HAVING: a
 * condition true when HAVING holds for the row's aggregates. */
nl_status bind_lateral_exists(binder *b, bcorr *corr, pl_node *sub, int32_t line, int32_t col,
                              bpend_list *pend, bool negated, pl_expr **cond);
/* Common type for comparing/combining a and b (NULL when there is none). */
nl_type *bind_common_type(pl_ctx *ctx, const pl_expr *a, const pl_expr *b);
bool bind_is_aggregate_call(const sql_expr *e);
/* A query that returns exactly one row whatever its input: aggregates with no
 * GROUP BY, HAVING or LIMIT (EXISTS of it is true). */
bool bind_query_one_row(const sql_query *q);
const char *bind_expr_name(binder *b, const sql_expr *e);

#endif
