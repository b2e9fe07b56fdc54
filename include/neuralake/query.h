/*
 * neuralake/query.h -- the public query API (a section of neuralake.h; include that).
 *
 * A session runs SQL against a catalog (or none): SELECT with joins,
 * aggregates, subqueries, CTEs and set operations; CREATE TABLE [AS], INSERT,
 * DROP TABLE for in-memory tables; CREATE VIEW / DROP VIEW; EXPLAIN [ANALYZE];
 * and files read in place: FROM 'data/x.parquet', read_parquet('dir/part-*.parquet') (globs).
 *
 *     nl_session *s = nl_session_new(catalog);          // catalog may be NULL
 *     struct ArrowArrayStream result;
 *     if (nl_session_execute(s, "SELECT count(*) FROM 'x.parquet'", &result, &err) != NL_OK)
 *         fprintf(stderr, "%s\n", err.message);
 *     nl_print_stream(stdout, &result, NL_OUTPUT_TABLE, NULL, &err);
 *     nl_session_free(s);
 *
 * Errors in SQL say where: "line 1:8: column 'x' not found".
 * Thread-safety: a session runs one statement at a time; use one session per
 * thread (queries themselves run on all cores).
 */
#ifndef NEURALAKE_QUERY_H
#define NEURALAKE_QUERY_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nl_catalog nl_catalog; /* neuralake/catalog.h */
typedef struct nl_session nl_session;

/* A new session over `catalog` (borrowed: it must outlive the session; NULL
 * for none). NULL when out of memory. */
nl_session *nl_session_new(nl_catalog *catalog);
/* Frees the session, its tables and views. Safe on NULL. */
void nl_session_free(nl_session *session);

/* Runs every statement of `sql` (separated by semicolons) in order and hands
 * the last statement's result to `out` (which the caller then owns and
 * releases); statements without rows (CREATE, INSERT, DROP) give an empty
 * result with a "Count" column where it makes sense. `out` may be NULL when
 * the caller wants no result. On an error, statements before the failing one
 * have taken effect. */
nl_status nl_session_execute(nl_session *session, const char *sql, struct ArrowArrayStream *out,
                             nl_error *err);

/* Registers the rows of `data` (consumed and released) as in-memory table
 * `name` of the session. NL_EEXISTS when the name is taken. */
nl_status nl_session_register(nl_session *session, const char *name,
                              struct ArrowArrayStream *data, nl_error *err);

/* Names of the session's tables and views, for completion in a shell: calls
 * fn(name, ctx) for each. */
void nl_session_names(nl_session *session, void (*fn)(const char *name, void *ctx), void *ctx);

/* One-shot: a temporary session over `catalog` runs `sql`. */
nl_status nl_query(nl_catalog *catalog, const char *sql, struct ArrowArrayStream *out,
                   nl_error *err);

#ifdef __cplusplus
}
#endif

#endif
