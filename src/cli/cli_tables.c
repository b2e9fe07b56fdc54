/*
 * cli_tables.c -- the 'neuralake tables' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_tables(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake tables: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
