/*
 * opt_int.h -- what the optimizer's rule files share: row estimates,
 * substitution through projections, and the rules kept in their own files.
 */
#ifndef NL_PLAN_OPT_INT_H
#define NL_PLAN_OPT_INT_H

#include "plan/plan.h"

/* Estimated output rows of a node (at least 1). */
double opt_estimate(const pl_node *n);
/* e with every COL(ids[i]) replaced by a copy of exprs[i]; NULL on OOM. */
pl_expr *opt_subst(pl_ctx *ctx, const pl_expr *e, const int32_t *ids, pl_expr *const *exprs, int32_t n);
/* Is column `id` of n likely unique where it is made (*base: that node's rows)? */
bool opt_key_like(const pl_node *n, int32_t id, double *base);

/* opt_reduce.c: the build side of a semi, anti, single, mark or left join is
 * cut down to the rows whose keys the probe side can have. */
nl_status opt_reduce_builds(pl_ctx *ctx, pl_node **root, nl_error *err);

/* opt_cse.c: a filter computes each repeated subexpression once, in a
 * projection below it. */
nl_status opt_share_subexprs(pl_ctx *ctx, pl_node **root, nl_error *err);

#endif
