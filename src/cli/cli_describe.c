/*
 * cli_describe.c -- 'neuralake describe DB.TABLE': a table's schema and
 * documentation (nl_catalog_describe).
 */
#include <stdio.h>

#include "cli/cli_catalog.h"
#include "cli/commands.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake [--catalog LIB.so] describe DB.TABLE...\n\n"
            "Shows each table's description, key, example filters, data input, latency,\n"
            "deprecation and columns (with their types). A bare TABLE is looked up in\n"
            "the default database.\n");
}

int cli_describe(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    nl_catalog *cat = cli_catalog();
    int rc = CLI_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        nl_error err = {0};
        if (i > 1) printf("\n");
        fflush(stdout);
        if (nl_catalog_describe(cat, argv[i], stdout, &err) != NL_OK) {
            fprintf(stderr, "neuralake describe: %s\n", err.message);
            rc = CLI_EXIT_FAILURE;
        }
    }
    return rc;
}
