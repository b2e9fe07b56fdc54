/*
 * cli_catalog.h -- the catalog the neuralake command works with: the one
 * loaded with --catalog LIB.so (or named by NEURALAKE_CATALOG), else an empty
 * catalog that session tables can still be added to.
 */
#ifndef NL_CLI_CLI_CATALOG_H
#define NL_CLI_CLI_CATALOG_H

#include "neuralake.h"

/* The command's catalog (never NULL unless out of memory); owned by the
 * command, freed at exit. */
nl_catalog *cli_catalog(void);

/* True when a catalog was loaded from a shared object. */
int cli_catalog_loaded(void);

#endif
