/*
 * binder.h -- from the AST to a logical plan: names resolved against the
 * environment (session tables and views, CTEs, the catalog, files), every
 * expression typed with the implicit casts people expect, aggregates split
 * out, and subqueries decorrelated into joins.
 *
 * The binder knows no catalog implementation: it asks the environment
 * (bind_env) to resolve a name or open a file.
 */
#ifndef NL_PLAN_BINDER_H
#define NL_PLAN_BINDER_H

#include "plan/plan.h"
#include "sql/ast.h"

typedef struct bind_env {
    void *ctx;
    /* Resolves a table or view: db may be NULL. Sets *provider (borrowed) or
     * *view_sql (a query text, borrowed); NL_ENOTFOUND when neither exists. */
    nl_status (*lookup)(void *ctx, const char *db, const char *name, nl_provider **provider,
                        const char **view_sql, nl_error *err);
    /* Opens a table function or a quoted file name ('x.parquet' has fn NULL):
     * read_parquet('glob'), read_csv(...), read_ndjson(...). The provider is
     * owned by the environment (kept until the session ends). */
    nl_status (*open)(void *ctx, const char *fn, const char *path, nl_provider **provider,
                      nl_error *err);
} bind_env;

/* Binds a query; the plan's outputs are the query's columns, named. */
nl_status bind_query_plan(pl_ctx *ctx, const bind_env *env, const sql_query *q, pl_node **out,
                          nl_error *err);

/* Parses a SQL type name ("DECIMAL(15,2)", "VARCHAR", "BIGINT"...). */
nl_status bind_type_name(pl_ctx *ctx, const char *name, nl_type **out, nl_error *err);

/* Wraps e in a cast to t unless it already has that type; literals are
 * converted at once. */
pl_expr *bind_cast(pl_ctx *ctx, pl_expr *e, nl_type *t, nl_error *err);

#endif
