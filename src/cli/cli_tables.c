/*
 * cli_tables.c -- 'neuralake tables [DATABASE]': the catalog's databases and
 * tables with their kind and the first line of their description.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli_catalog.h"
#include "cli/commands.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake [--catalog LIB.so] tables [DATABASE]\n\n"
            "Lists the tables of the catalog (or of one database): name, kind and\n"
            "description. Deprecated tables are marked.\n");
}

static const char *kind_name(nl_table_kind k) {
    static const char *const NAMES[] = {"", "parquet", "csv", "ndjson", "function", "memory", "delta", "http"};
    return (unsigned)k < sizeof NAMES / sizeof NAMES[0] ? NAMES[k] : "?";
}

int cli_tables(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *only = argc == 2 ? argv[1] : NULL;
    nl_catalog *cat = cli_catalog();
    if (!cat) {
        fprintf(stderr, "neuralake tables: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    int32_t n_db = nl_catalog_database_count(cat);
    if (n_db == 0) {
        fprintf(stderr, "neuralake tables: the catalog is empty (load one with --catalog LIB.so)\n");
        return CLI_EXIT_OK;
    }
    size_t width = 5;
    int found = 0;
    for (int32_t d = 0; d < n_db; d++) {
        const char *db = nl_catalog_database_name(cat, d);
        if (only && strcasecmp(only, db) != 0) continue;
        found = 1;
        for (int32_t t = 0; t < nl_catalog_table_count(cat, d); t++) {
            size_t w = strlen(db) + 1 + strlen(nl_catalog_table(cat, d, t)->name);
            if (w > width) width = w;
        }
    }
    if (!found) {
        fprintf(stderr, "neuralake tables: no database '%s'\n", only);
        return CLI_EXIT_FAILURE;
    }
    printf("%-*s  %-8s  %s\n", (int)width, "table", "kind", "description");
    for (int32_t d = 0; d < n_db; d++) {
        const char *db = nl_catalog_database_name(cat, d);
        if (only && strcasecmp(only, db) != 0) continue;
        for (int32_t t = 0; t < nl_catalog_table_count(cat, d); t++) {
            const nl_table_def *def = nl_catalog_table(cat, d, t);
            char name[512];
            snprintf(name, sizeof name, "%s.%s", db, def->name);
            const char *desc = def->description ? def->description : "";
            size_t dl = strcspn(desc, "\n");
            printf("%-*s  %-8s  %s%.*s\n", (int)width, name, kind_name(def->kind),
                   def->deprecated ? "[deprecated] " : "", (int)dl, desc);
        }
    }
    return CLI_EXIT_OK;
}
