/*
 * optimizer.h -- rewriting a bound plan into a faster equivalent one:
 * constant folding, filter pushdown (through projections and joins, into
 * join keys, and into the providers as nl_filter_set), join ordering from
 * cardinality estimates (bushy), semi-join reduction of build sides,
 * repeated filter subexpressions computed once, projection pruning down to
 * the scans, and limits pushed into top-N sorts and scans.
 */
#ifndef NL_PLAN_OPTIMIZER_H
#define NL_PLAN_OPTIMIZER_H

#include "plan/plan.h"

nl_status opt_optimize(pl_ctx *ctx, pl_node **root, nl_error *err);

#endif
