/*
 * filter.h -- filters between the public API, providers and batches.
 *
 * Three jobs: binding the public (column, op, value) terms to a typed
 * nl_filter_set against a schema; evaluating a set on a batch (the exact
 * filter the public scan applies, and that providers may use); and deciding
 * from partition values whether a file can hold a matching row at all.
 */
#ifndef NL_CATALOG_FILTER_H
#define NL_CATALOG_FILTER_H

#include "base/arena.h"
#include "catalog/provider.h"

/* Public terms (ending with {0}, NL_OR between conjunctions) to a filter set;
 * each value converted to the type of its column in `schema`. Unknown
 * columns, unknown operators and values that do not fit the column are
 * errors naming the column. terms NULL or empty gives an empty set. */
nl_status cat_filter_bind(const nl_filter_term *terms, const nl_schema *schema,
                          nl_filter_set *out, nl_error *err);

/* One public value converted to a scalar of `type` (borrowed). */
nl_status cat_value_to_scalar(const nl_value *value, nl_type *type, nl_scalar *out,
                              nl_error *err);

/* Checks an operator against a column type and value, as cat_filter_bind does. */
nl_status cat_filter_check(const nl_filter *filter, const nl_type *column_type, nl_error *err);

/* sel[i] = 1 when row i of `batch` satisfies the set (all ones for an empty
 * set). Columns are found by name in the batch's schema. */
nl_status cat_filter_eval(const nl_filter_set *set, const nl_batch *batch, uint8_t *sel,
                          nl_error *err);

/* The rows of `batch` that satisfy the set: a new reference (to `batch` itself
 * when every row does). */
nl_status cat_filter_batch(const nl_filter_set *set, nl_batch *batch, nl_batch **out,
                           nl_error *err);

/* Whether one value satisfies one filter; for values that cannot be compared
 * with the filter's value the answer is "maybe" (true). */
bool cat_filter_holds(const nl_filter *filter, const nl_scalar *value);

/* Partition pruning: false only when no row with these values of the named
 * columns can satisfy the set. Filters on other columns count as "maybe". */
bool cat_filter_may_match(const nl_filter_set *set, const char *const *names,
                          const nl_scalar *values, int32_t n);

/* A weaker set that keeps only the filters for which keep(column, ctx) holds
 * (a conjunction left empty makes the whole set empty: "no filter"). */
nl_status cat_filter_restrict(const nl_filter_set *set, bool (*keep)(const char *column, void *ctx),
                              void *ctx, nl_filter_set *out, nl_error *err);

/* The set as public terms, for function tables; the memory comes from `arena`.
 * *out is NULL for an empty set. */
nl_status cat_filter_to_terms(const nl_filter_set *set, nl_arena *arena,
                              const nl_filter_term **out, nl_error *err);

#endif
