/*
 * catalog_impl.h -- the catalog's own structures, shared by the files of the
 * catalog module (catalog.c, scan.c, describe.c, load.c) and nothing else.
 */
#ifndef NL_CATALOG_CATALOG_IMPL_H
#define NL_CATALOG_CATALOG_IMPL_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/arena.h"
#include "catalog/catalog.h"

typedef struct cat_table {
    nl_table_def def;       /* the catalog's copy (strings in the catalog's arena) */
    const char *db;         /* the database's name */
    nl_provider *provider;  /* created on first use (memory tables: when added) */
    atomic_bool warned;     /* the deprecation warning was printed */
} cat_table;

typedef struct cat_db {
    const char *name;
    cat_table **tables;
    int32_t n, cap;
} cat_db;

struct nl_catalog {
    nl_arena *arena;
    cat_db **dbs;
    int32_t n_dbs;
    int32_t default_db;    /* -1 while empty */
    pthread_mutex_t mu;    /* guards provider creation */
    void *dl_handle;       /* the shared object the catalog came from, if any */
};

/* "db.table" / (db, table) to the catalog's entry. */
nl_status cat_resolve(nl_catalog *cat, const char *db, const char *table, cat_table **out,
                      nl_error *err);
nl_status cat_resolve_name(nl_catalog *cat, const char *name, cat_table **out, nl_error *err);
/* The entry's provider, created on first use; warns once if deprecated. */
nl_status cat_table_provider(nl_catalog *cat, cat_table *t, nl_provider **out, nl_error *err);
/* Checks that the names a definition uses are among `cols` (NULL: skip). */
nl_status cat_check_columns(const nl_table_def *def, const char *const *cols, nl_error *err);
const char *cat_kind_name(nl_table_kind kind);
/* The text of nl_catalog_describe (free with nl_free). */
nl_status cat_describe_text(nl_catalog *cat, const char *name, char **out, nl_error *err);
/* Filter terms as readable text. */
struct nl_strbuf;
void cat_format_terms(struct nl_strbuf *sb, const nl_filter_term *terms);
/* Closes a shared object opened by nl_catalog_load (safe on NULL). */
void cat_unload(void *handle);

#endif
