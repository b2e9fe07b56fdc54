/*
 * cli_query.c -- the 'neuralake query' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_query(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake query: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
