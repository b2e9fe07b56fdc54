/*
 * tables.h -- the table kinds behind the catalog: one provider constructor per
 * kind (table_<kind>.c), the wrapper that adds computed columns and
 * de-duplication (table_wrap.c), and the machinery they share (provider.c,
 * type_name.c).
 */
#ifndef NL_CATALOG_TABLES_H
#define NL_CATALOG_TABLES_H

#include "base/arena.h"
#include "catalog/provider.h"
#include "io/store.h"

/* ---- types and schemas from declarations (type_name.c) ---- */

/* Parses "i64", "BIGINT", "decimal(15,2)", "list[str]", "datetime[us, UTC]" ... */
nl_status cat_type_parse(const char *name, nl_type **out, nl_error *err);
/* A schema from column definitions ({0}-terminated); every column needs a type. */
nl_status cat_schema_from_defs(const nl_column_def *columns, nl_schema **out, nl_error *err);

/* ---- shared provider machinery (provider.c) ---- */

/* The schema of a request's columns (all of them when n_columns < 0). */
nl_status cat_project_schema(nl_schema *full, const nl_scan_request *req, nl_schema **out,
                             nl_error *err);
/* The batch's columns named by `want`, in its order, cast to its types
 * (matched by name: exactly, then ignoring case). */
nl_status cat_batch_conform(nl_batch *batch, nl_schema *want, nl_batch **out, nl_error *err);

/* The columns of a request from a batch that has every column of the
 * provider's schema (zero-copy); `projected` is the request's schema. */
nl_status cat_batch_project(nl_batch *batch, const nl_scan_request *req, nl_schema *projected,
                            nl_batch **out, nl_error *err);

/* A stream that passes each batch of `in` through fn (which may set *out to
 * NULL to drop a batch, or set *done to end the stream early). Takes
 * ownership of `in`, of one reference to `schema` and of ctx (freed with
 * ctx_free, which may be NULL). */
typedef nl_status (*cat_map_fn)(void *ctx, nl_batch *in, nl_batch **out, bool *done,
                                nl_error *err);
nl_status cat_stream_map(nl_stream *in, nl_schema *schema, cat_map_fn fn, void *ctx,
                         void (*ctx_free)(void *), nl_stream **out, nl_error *err);
/* A stream of one batch (a reference is taken); schema from the batch. */
nl_status cat_stream_of_batch(nl_batch *batch, nl_stream **out, nl_error *err);

/* One column of C data as an array (column_data.c). */
nl_status cat_column_build(const nl_column_data *column, int64_t num_rows, nl_array **out,
                           nl_error *err);

/* Columns of C data ({0}-terminated) as a one-batch table. */
nl_status cat_columns_table(const nl_column_data *columns, int64_t num_rows, nl_table **out,
                            nl_error *err);

/* ---- the kinds ---- */

/* In-memory: takes ownership of `table`. */
nl_status cat_memory_new(nl_table *table, nl_provider **out, nl_error *err);
/* In-memory from a definition's .data (copied). */
nl_status cat_memory_from_def(const nl_table_def *def, nl_provider **out, nl_error *err);
/* In-memory from an Arrow stream (consumed). */
nl_status cat_memory_from_arrow(struct ArrowArrayStream *data, nl_provider **out, nl_error *err);

/* A function table; `def` must outlive the provider (the catalog's copy). */
nl_status cat_function_new(const char *db, const nl_table_def *def, nl_provider **out,
                           nl_error *err);

/* Parquet: one file, a glob or a (partitioned) directory. */
nl_status cat_parquet_new(const nl_table_def *def, nl_provider **out, nl_error *err);
/* Data files a Parquet provider has opened so far (tests prove pruning with it). */
int64_t cat_parquet_files_opened(const nl_provider *provider);

/* Text file tables (CSV, NDJSON): files parsed whole by `parse`, columns
 * typed from the first file (or the declaration) and fixed for the others.
 * (table_text.c) */
typedef nl_status (*cat_parse_fn)(const nl_table_def *def, const char *text, size_t len,
                                  const nl_schema *types, const char *what, nl_table **out,
                                  nl_error *err);
nl_status cat_text_table_new(const nl_table_def *def, const char *kind,
                             const char *const *exts, cat_parse_fn parse, nl_provider **out,
                             nl_error *err);

/* CSV and NDJSON files. */
nl_status cat_csv_new(const nl_table_def *def, nl_provider **out, nl_error *err);
nl_status cat_ndjson_new(const nl_table_def *def, nl_provider **out, nl_error *err);

/* Adds computed columns and de-duplication to `base` (taken). */
nl_status cat_wrap_new(const nl_table_def *def, nl_provider *base, nl_provider **out,
                       nl_error *err);

/* Listing the data files of a table (files.c): `uri` is a file, a glob
 * ("dir/part-*.csv", "dir/year=2024/part-?.parquet") or a directory (every file under it whose
 * name ends with one of `exts` -- NULL: any -- skipping names that start with
 * '.' or '_'). `prefix` (may be NULL) narrows a directory listing to the
 * objects under uri + "/" + prefix. Sorted by URI. *is_dir tells whether uri
 * named a directory (or a glob): partition paths are relative to *root then. */
nl_status cat_list_files(nl_store *store, const char *uri, const char *prefix,
                         const char *const *exts, nl_object_list *out, char **root,
                         nl_error *err);

/* Reads a whole object, decompressing .gz and .zst by the name's suffix. */
nl_status cat_read_object(nl_store *store, const char *uri, nl_buffer **out, nl_error *err);

/* An array of n copies of scalar v (converted to `type`, borrowed). */
nl_status cat_array_repeat(const nl_scalar *v, nl_type *type, int64_t n, nl_array **out,
                           nl_error *err);

#endif
