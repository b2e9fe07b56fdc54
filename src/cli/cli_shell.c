/*
 * cli_shell.c -- the 'neuralake shell' command. Not built yet: it says so and exits 2.
 */
#include <stdio.h>

#include "cli/commands.h"

int cli_shell(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "neuralake shell: not implemented yet\n");
    return CLI_EXIT_USAGE;
}
