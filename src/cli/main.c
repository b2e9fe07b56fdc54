/*
 * main.c -- the neuralake command: global options, then one subcommand.
 *
 *   neuralake [--catalog LIB.so] COMMAND [ARGS...]
 *
 * Each subcommand lives in its own cli_<name>.c (see commands.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "neuralake.h"

static const cli_command COMMANDS[] = {
    {"query", "run SQL statements and print the last result", cli_query},
    {"shell", "an interactive SQL shell", cli_shell},
    {"tables", "list the catalog's databases and tables", cli_tables},
    {"describe", "show a table's schema and documentation", cli_describe},
    {"sample-data", "write the quickstart's sample data", cli_sample_data},
    {"generate", "generate benchmark data (TPC-H) as Parquet", cli_generate},
    {"parquet", "inspect Parquet files: schema, meta, cat", cli_parquet},
    {"s3", "list, copy and remove objects in S3-compatible stores", cli_s3},
};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

int cli_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) return 1;
    }
    return 0;
}

static void usage(FILE *out) {
    fprintf(out,
            "neuralake %s -- a code-first data platform: catalog as code, SQL in place\n\n"
            "usage: neuralake [--catalog LIB.so] COMMAND [ARGS...]\n\n"
            "commands:\n",
            nl_version());
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-12s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out,
            "\noptions:\n"
            "  --catalog LIB.so  load a compiled catalog (see docs/catalog.md)\n"
            "  --version         print the version\n"
            "  -h, --help        this help; COMMAND --help for a command's own\n");
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
            printf("neuralake %s\n", nl_version());
            return CLI_EXIT_OK;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(argv[i], "--catalog") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "neuralake: --catalog needs a path\n");
                return CLI_EXIT_USAGE;
            }
            int rc = cli_load_catalog(argv[++i]);
            if (rc != 0) return rc;
        } else if (strncmp(argv[i], "--catalog=", 10) == 0) {
            int rc = cli_load_catalog(argv[i] + 10);
            if (rc != 0) return rc;
        } else {
            fprintf(stderr, "neuralake: unknown option '%s' (try --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    for (size_t c = 0; c < N_COMMANDS; c++)
        if (strcmp(argv[i], COMMANDS[c].name) == 0) return COMMANDS[c].run(argc - i, argv + i);
    fprintf(stderr, "neuralake: unknown command '%s' (try --help)\n", argv[i]);
    return CLI_EXIT_USAGE;
}
