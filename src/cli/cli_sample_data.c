/*
 * cli_sample_data.c -- the 'neuralake sample-data' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_sample_data(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake sample-data: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
