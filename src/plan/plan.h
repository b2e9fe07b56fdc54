/*
 * plan.h -- bound expressions and the logical plan.
 *
 * Every column a plan node produces has a plan-wide unique id; expressions
 * refer to columns by id, never by position, so optimizer rules can move
 * filters and reorder joins without renumbering anything. The executor
 * resolves ids to batch positions once per node (exec_prepare).
 *
 * All nodes and expressions live in the plan's arena; types are borrowed from
 * the plan context, which owns one reference to every parameterised type it
 * made.
 */
#ifndef NL_PLAN_PLAN_H
#define NL_PLAN_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "catalog/provider.h"
#include "columnar/scalar.h"

typedef enum pl_expr_kind {
    PL_COL = 0, /* id (pos after exec_prepare) */
    PL_LIT,     /* lit */
    PL_CALL,    /* fn (functions.h) over args */
    PL_CAST,    /* args[0] to type; try_cast */
    PL_AND,     /* n-ary */
    PL_OR,      /* n-ary */
    PL_NOT,
    PL_CMP,     /* op: PL_EQ .. PL_GE; args[0], args[1] of one type */
    PL_ARITH,   /* op: PL_ADD .. PL_MOD; args of one numeric type (or date +- int) */
    PL_NEG,
    PL_IS_NULL, /* negated: IS NOT NULL */
    PL_CASE,    /* args: (when, then)* else -- always an else (a null literal when absent) */
    PL_IN_LIST, /* args[0] IN args[1..]; negated */
    PL_LIKE     /* args[0] LIKE args[1] (args[2] escape); negated, ilike */
} pl_expr_kind;

enum { PL_EQ = 0, PL_NE, PL_LT, PL_LE, PL_GT, PL_GE, PL_DISTINCT, PL_NOT_DISTINCT };
enum { PL_ADD = 0, PL_SUB, PL_MUL, PL_DIV, PL_MOD, PL_IDIV };

typedef struct pl_expr pl_expr;
struct pl_expr {
    pl_expr_kind kind;
    nl_type *type; /* borrowed */
    int32_t id, pos;
    int32_t op;
    int32_t fn;
    nl_scalar lit;
    pl_expr **args;
    int32_t n_args;
    bool negated, try_cast, ilike;
};

typedef enum pl_agg_fn {
    PL_AGG_COUNT_STAR = 0,
    PL_AGG_COUNT,
    PL_AGG_SUM,
    PL_AGG_AVG,
    PL_AGG_MIN,
    PL_AGG_MAX,
    PL_AGG_BOOL_AND,
    PL_AGG_BOOL_OR,
    PL_AGG_STDDEV_SAMP,
    PL_AGG_STDDEV_POP,
    PL_AGG_VAR_SAMP,
    PL_AGG_VAR_POP,
    PL_AGG_STRING_AGG,
    PL_AGG_ANY_VALUE
} pl_agg_fn;

typedef struct pl_agg {
    pl_agg_fn fn;
    pl_expr *arg;    /* NULL for count(*) */
    pl_expr *arg2;   /* string_agg separator (a literal) */
    pl_expr *filter; /* FILTER (WHERE ...) or NULL */
    bool distinct;
    bool ordered;    /* string_agg(... ORDER BY ...): arg is FN_ORDER_PACK's value and key */
    nl_type *type;   /* result type */
    int32_t id;      /* output column */
} pl_agg;

typedef enum pl_node_kind {
    PL_SCAN = 0,
    PL_VALUES,
    PL_FILTER,
    PL_PROJECT,
    PL_JOIN,
    PL_AGG,
    PL_SORT,
    PL_LIMIT,
    PL_UNION,
    PL_ROWID /* the input's columns plus a unique INT64 per row (decorrelation) */
} pl_node_kind;

typedef enum pl_join_kind {
    PL_JOIN_INNER = 0,
    PL_JOIN_LEFT,
    PL_JOIN_RIGHT,
    PL_JOIN_FULL,
    PL_JOIN_SEMI,
    PL_JOIN_ANTI,
    PL_JOIN_SINGLE, /* left join that must find at most one match (scalar subquery) */
    PL_JOIN_MARK    /* left rows + a BOOL column: did a match exist (IN/EXISTS as a value) */
} pl_join_kind;

typedef struct pl_sort_key {
    pl_expr *expr;
    bool desc;
    bool nulls_first;
} pl_sort_key;

typedef struct pl_node pl_node;
struct pl_node {
    pl_node_kind kind;
    pl_node **kids;
    int32_t n_kids;
    /* output columns */
    int32_t n_out;
    int32_t *out_ids;
    nl_type **out_types;
    const char **out_names;
    double est_rows; /* cardinality estimate, -1 unknown */

    /* SCAN */
    nl_provider *provider;
    const char *table_name;
    int32_t *scan_cols; /* provider column index of each output */
    nl_filter_set pushed; /* owned by the plan context's cleanup list */
    int64_t scan_limit;
    /* VALUES: rows of n_out literal expressions */
    pl_expr ***rows;
    int64_t n_rows;
    /* FILTER */
    pl_expr *pred;
    /* PROJECT: one expression per output */
    pl_expr **exprs;
    /* JOIN */
    pl_join_kind join;
    pl_expr **lkeys, **rkeys;
    int32_t n_keys;
    pl_expr *residual;
    bool null_aware; /* NOT IN semantics for ANTI */
    bool null_eq;    /* NULL keys match each other (INTERSECT, EXCEPT) */
    bool set_all;    /* SEMI/ANTI: each build row matches one probe row (INTERSECT ALL, EXCEPT ALL) */
    /* AGG: outputs are the groups' ids then the aggregates' ids */
    pl_expr **groups;
    int32_t n_groups;
    pl_agg *aggs;
    int32_t n_aggs;
    /* SORT (limit >= 0: top-N) and LIMIT */
    pl_sort_key *keys;
    int32_t n_sort;
    int64_t limit, offset;
    /* UNION ALL: kids' outputs map position by position */

    /* ROWID: the next id to hand out (executor state) */
    int64_t next_rowid;

    /* EXPLAIN ANALYZE: rows out; wall time of a materialising run (inclusive
     * of its inputs); streaming operators' own time, summed over workers */
    int64_t stat_rows;
    double stat_ms;
    int64_t stat_self_ns;
    /* executor state (exec/exec.c owns it) */
    nl_schema *schema;
    void *xstate;
};

/* The plan context: arena, id counter and owned types. */
typedef struct pl_ctx {
    nl_arena *arena;
    int32_t next_id;
    nl_type **types;
    int32_t n_types, cap_types;
    nl_filter_set **filter_sets;
    int32_t n_fsets, cap_fsets;
} pl_ctx;

nl_status pl_ctx_init(pl_ctx *ctx, nl_error *err);
void pl_ctx_clear(pl_ctx *ctx);
/* Keeps `t` (a reference it takes over) alive as long as the context; returns it. */
nl_type *pl_keep_type(pl_ctx *ctx, nl_type *t);
nl_type *pl_decimal(pl_ctx *ctx, int32_t precision, int32_t scale);
nl_type *pl_type(nl_type_id id);
int32_t pl_new_id(pl_ctx *ctx);
/* Room for one more element in an arena array of n elements of `elem` bytes:
 * returns `items` while n < *cap, else a copy with twice the room (first_cap
 * when empty) and updates *cap. The old array stays in the arena (freed with
 * it). NULL on OOM. */
void *pl_arena_grow(pl_ctx *ctx, void *items, int32_t n, int32_t *cap, int32_t first_cap, size_t elem);

/* Constructors (NULL on OOM). */
pl_expr *pl_col(pl_ctx *ctx, int32_t id, nl_type *type);
pl_expr *pl_lit(pl_ctx *ctx, nl_scalar v); /* takes the scalar (its type must outlive ctx or be kept) */
pl_expr *pl_lit_null(pl_ctx *ctx, nl_type *type);
pl_expr *pl_new(pl_ctx *ctx, pl_expr_kind kind, nl_type *type, int32_t n_args);
pl_expr *pl_binary(pl_ctx *ctx, pl_expr_kind kind, int32_t op, nl_type *type, pl_expr *a, pl_expr *b);
pl_expr *pl_copy(pl_ctx *ctx, const pl_expr *e);
/* The conjunction of c[0..n): c[0] alone when n is 1, NULL when n is 0. */
pl_expr *pl_and(pl_ctx *ctx, pl_expr *const *c, int32_t n);
bool pl_expr_equal(const pl_expr *a, const pl_expr *b);
/* Calls fn on every column id the expression reads. */
void pl_expr_ids(const pl_expr *e, void (*fn)(void *, int32_t), void *ctx);
/* True when every column the expression reads is among ids[0..n). */
bool pl_expr_within(const pl_expr *e, const int32_t *ids, int32_t n);
bool pl_expr_has_cols(const pl_expr *e);

pl_node *pl_node_new(pl_ctx *ctx, pl_node_kind kind, int32_t n_kids);
/* Allocates the output arrays for n columns. */
nl_status pl_node_outputs(pl_ctx *ctx, pl_node *n, int32_t n_out, nl_error *err);
/* dst's outputs: src's, then `extra` slots for the caller to fill. */
nl_status pl_node_outputs_from(pl_ctx *ctx, pl_node *dst, const pl_node *src, int32_t extra, nl_error *err);
/* Whether the expression calls a volatile function (random()): it cannot be
 * computed once for two places, nor run twice with the same result. */
bool pl_expr_volatile(const pl_expr *e);
/* Index of id among the node's outputs, or -1. */
int32_t pl_node_find(const pl_node *n, int32_t id);

/* Text of a plan for EXPLAIN (analyze: with rows and times). nl_free it. */
char *pl_explain(const pl_node *root, bool analyze);
/* Text of an expression into sb-like buffer; returns the arena string. */
const char *pl_expr_text(pl_ctx *ctx, const pl_expr *e);

#endif
