/*
 * eval.h -- vectorized evaluation of bound expressions over a batch.
 *
 * Every operator is a loop over whole arrays specialised by type (no function
 * pointer per value). Literals are kept as one-value arrays and broadcast, so
 * `x < 10` never materialises a column of tens. Column references must have
 * been resolved to positions (exec_prepare sets pl_expr.pos).
 */
#ifndef NL_EXEC_EVAL_H
#define NL_EXEC_EVAL_H

#include "functions/functions.h"
#include "plan/plan.h"

/* Evaluates e over `in`; *out has in->num_rows values (a new reference). */
nl_status exec_eval(const pl_expr *e, nl_batch *in, nl_array **out, nl_error *err);
/* The same, but a constant result stays a one-value scalar. */
nl_status exec_eval_arg(const pl_expr *e, nl_batch *in, fn_arg *out, nl_error *err);
/* Evaluates an expression without columns to a scalar (constant folding). */
nl_status exec_eval_const(const pl_expr *e, nl_scalar *out, nl_error *err);

/* A predicate over `in`: the rows where it is TRUE, as a new batch (shares
 * `in` when all pass). *out may be a 0-row batch. `need` (NULL: all) marks
 * the columns the caller will read; the others are left uncopied and hold
 * meaningless values. */
nl_status exec_filter_batch(const pl_expr *pred, nl_batch *in, const bool *need, nl_batch **out,
                            nl_error *err);
/* Marks in use[0..n) the input positions the expression reads. */
void exec_expr_columns(const pl_expr *e, bool *use, int32_t n);
/* Keeps the rows whose bit is set in `mask` (a BOOL array; nulls drop). */
nl_status exec_filter_by_mask(nl_batch *in, const nl_array *mask, nl_batch **out, nl_error *err);

/* Helpers for kernels: a fixed-width output array of `n` values of `type`
 * whose values buffer the caller fills; validity computed by the caller. */
nl_status exec_alloc_fixed(nl_type *type, int64_t n, nl_buffer **values, nl_error *err);
/* The AND of the validity of up to 3 arrays (scalars broadcast), or NULL when
 * all are valid; *all_null set when a scalar argument is null. */
nl_status exec_validity_and(const fn_arg *args, int32_t n, int64_t rows, nl_buffer **out,
                            bool *all_null, nl_error *err);
/* Wraps a finished values buffer (and validity) into an array. */
nl_status exec_make_array(nl_type *type, int64_t n, nl_buffer *validity, nl_buffer *values,
                          nl_buffer *data, nl_array **out, nl_error *err);
/* A batch with the given columns and a schema of placeholder names. */
nl_status exec_batch_from(nl_array **cols, int32_t n_cols, int64_t rows, nl_batch **out,
                          nl_error *err);
/* Broadcasts a scalar argument to `rows` values. */
nl_status exec_broadcast(const fn_arg *a, int64_t rows, nl_array **out, nl_error *err);

#endif
