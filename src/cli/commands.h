/*
 * commands.h -- the subcommands of the neuralake command. Each lives in its own
 * cli_<name>.c and takes the arguments after its name (argv[0] is the
 * command's name). Exit codes scripts can rely on:
 *   0 success, 1 the operation failed (bad data, query error, I/O), 2 usage error.
 */
#ifndef NL_CLI_COMMANDS_H
#define NL_CLI_COMMANDS_H

#include <stdio.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

int cli_query(int argc, char **argv);
int cli_shell(int argc, char **argv);
int cli_tables(int argc, char **argv);
int cli_describe(int argc, char **argv);
int cli_sample_data(int argc, char **argv);
int cli_generate(int argc, char **argv);
int cli_parquet(int argc, char **argv);
int cli_s3(int argc, char **argv);

/* Loads a compiled catalog (a shared object) named by --catalog; the commands
 * that use the catalog find it through cli_catalog(). Returns 0 or an exit code. */
int cli_load_catalog(const char *path);

/* True when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
