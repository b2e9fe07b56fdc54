/*
 * cli_parquet.c -- the 'neuralake parquet' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_parquet(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake parquet: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
