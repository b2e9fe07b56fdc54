/*
 * optimizer.c -- the optimizer rules (see optimizer.h). Placeholder pass
 * list; the rules are filled in below.
 */
#include "plan/optimizer.h"

nl_status opt_optimize(pl_ctx *ctx, pl_node **root, nl_error *err) {
    (void)ctx;
    (void)root;
    (void)err;
    return NL_OK;
}
