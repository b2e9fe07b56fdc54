/*
 * cli_catalog.c -- loading a compiled catalog for --catalog. Not built yet.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_load_catalog(const char *path) {
    fprintf(stderr, "neuralake: --catalog %s: loading catalogs is not implemented yet\n", path);
    return CLI_EXIT_USAGE;
}
