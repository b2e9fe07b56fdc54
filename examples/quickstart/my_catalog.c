/*
 * my_catalog.c -- unifies the declared tables into one catalog.
 *
 * The blueprint's my_catalog.py, in C. A program links this file and calls
 * my_catalog_new(); built into a shared object (libmycatalog.so), the same
 * catalog is what `neuralake --catalog ./libmycatalog.so ...` loads, through
 * the one entry point below.
 */
#include <stdio.h>

#include "my_catalog.h"

nl_catalog *my_catalog_new(void) {
    nl_catalog *catalog = nl_catalog_new();
    if (!catalog) {
        fprintf(stderr, "my_catalog: out of memory\n");
        return NULL;
    }
    nl_error err = {0};
    if (nl_catalog_add_database(catalog, "tpch", MY_TABLES, &err) != NL_OK) {
        fprintf(stderr, "my_catalog: %s\n", err.message);
        nl_catalog_free(catalog);
        return NULL;
    }
    return catalog;
}

/* The entry point the neuralake command looks for (NL_CATALOG_ENTRY_POINT). */
nl_catalog *neuralake_catalog(void);
nl_catalog *neuralake_catalog(void) { return my_catalog_new(); }
