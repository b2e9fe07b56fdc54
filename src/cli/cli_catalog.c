/*
 * cli_catalog.c -- loading a compiled catalog for --catalog LIB.so (or the
 * NEURALAKE_CATALOG environment variable) through the one documented entry
 * point, neuralake_catalog() (see docs/catalog.md), and handing it to the
 * commands that need it.
 */
#include "cli/cli_catalog.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"

static nl_catalog *g_catalog;
static int g_loaded;
static int g_atexit;

static void free_catalog(void) {
    nl_catalog_free(g_catalog);
    g_catalog = NULL;
}

static void remember(nl_catalog *cat) {
    if (g_catalog) nl_catalog_free(g_catalog);
    g_catalog = cat;
    if (!g_atexit) {
        atexit(free_catalog);
        g_atexit = 1;
    }
}

int cli_load_catalog(const char *path) {
    nl_error err = {0};
    nl_catalog *cat = NULL;
    if (nl_catalog_load(path, &cat, &err) != NL_OK) {
        fprintf(stderr, "neuralake: %s\n", err.message);
        return CLI_EXIT_FAILURE;
    }
    remember(cat);
    g_loaded = 1;
    return CLI_EXIT_OK;
}

nl_catalog *cli_catalog(void) {
    if (!g_catalog) {
        const char *env = getenv("NEURALAKE_CATALOG");
        if (env && *env && cli_load_catalog(env) == CLI_EXIT_OK) return g_catalog;
        remember(nl_catalog_new());
    }
    return g_catalog;
}

int cli_catalog_loaded(void) { return g_loaded; }
