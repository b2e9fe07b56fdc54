/*
 * cli_describe.c -- the 'neuralake describe' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_describe(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake describe: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
