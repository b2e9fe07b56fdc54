/*
 * cli_s3.c -- the 'neuralake s3' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_s3(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake s3: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
