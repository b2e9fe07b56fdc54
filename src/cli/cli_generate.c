/*
 * cli_generate.c -- the 'neuralake generate' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_generate(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake generate: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
