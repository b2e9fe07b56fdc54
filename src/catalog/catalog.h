/*
 * catalog.h -- the catalog as the engine sees it: names resolved to providers.
 *
 * The public side (include/neuralake/catalog.h) declares tables; this side hands
 * the SQL binder an nl_provider for "db.table". Providers are created on first
 * lookup (a Parquet table lists its files then, not when it is declared) and
 * live as long as the catalog, so the binder never frees them.
 */
#ifndef NL_CATALOG_CATALOG_H
#define NL_CATALOG_CATALOG_H

#include "catalog/provider.h"
#include "neuralake.h"

/* Resolves `table` in database `db` (NULL: the default database). Names are
 * matched exactly first, then case-insensitively (SQL folds unquoted names).
 * *out is borrowed from the catalog. NL_ENOTFOUND names what is missing and
 * lists the tables of the database. A deprecated table warns on stderr, once. */
nl_status nl_catalog_lookup(nl_catalog *catalog, const char *db, const char *table,
                            nl_provider **out, nl_error *err);

/* Resolves "db.table" or "table". */
nl_status nl_catalog_lookup_name(nl_catalog *catalog, const char *name, nl_provider **out,
                                 nl_error *err);

/* Registers a ready-made provider as table `db.name` (database created if
 * needed); takes ownership of `provider` (freed with the catalog, or at once
 * on failure). For session tables (CREATE TABLE) and tests. NL_EEXISTS when
 * the name is taken. */
nl_status nl_catalog_register(nl_catalog *catalog, const char *db, const char *name,
                              nl_provider *provider, nl_error *err);

/* Removes table `db.name` (DROP TABLE); NL_ENOTFOUND when absent. Not safe
 * while another thread scans that table. */
nl_status nl_catalog_drop(nl_catalog *catalog, const char *db, const char *name, nl_error *err);

/* A provider for files named in a query rather than declared (FROM
 * 'x.parquet', read_parquet('dir/part-*.parquet'), read_csv(...), read_ndjson(...)):
 * the table of `kind` (NL_TABLE_PARQUET, NL_TABLE_CSV or NL_TABLE_NDJSON) over
 * `uri` -- a file, a glob or a directory, local or s3:// or https:// -- with
 * the CSV options `csv` (NULL: defaults). Hive partitions in a directory are
 * found when `hive` is true. The provider owns everything it needs; free it
 * with provider->vt->free(provider). */
nl_status nl_catalog_open_uri(nl_table_kind kind, const char *uri, const nl_csv_options *csv,
                              bool hive, nl_provider **out, nl_error *err);

#endif
