/*
 * cli_query.c -- 'neuralake query': runs SQL statements (from the argument,
 * a file or standard input) in one session over the command's catalog and
 * prints the last statement's result, or writes it to a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "cli/cli_catalog.h"
#include "cli/cli_sql.h"
#include "cli/commands.h"
#include "exec/query_int.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake [--catalog LIB.so] query [OPTIONS] [SQL | -]\n"
            "       neuralake query -f FILE [OPTIONS]\n\n"
            "Runs SQL statements separated by semicolons and prints the last one's\n"
            "result. The SQL comes from the argument, from -f FILE, or from standard\n"
            "input (no SQL argument, or '-'). Catalog tables are named db.table (or\n"
            "just table in the default database); files are read in place:\n"
            "FROM 'data/*.parquet', read_csv('x.csv.gz'), read_ndjson('s3://b/k.json').\n\n"
            "options:\n"
            "  -f, --file FILE     read the SQL from FILE ('-': standard input)\n"
            "  --format FORMAT     table (default), csv, json, ndjson, markdown, or\n"
            "                      parquet (with -o)\n"
            "  -o, --output FILE   write the result to FILE (or an s3:// URI) instead of\n"
            "                      standard output; nothing appears there unless whole\n"
            "  --max-rows N        rows the table shows before eliding the middle\n"
            "                      ('all' for every row; default $POLARS_FMT_MAX_ROWS or 10)\n"
            "  --max-cols N        columns shown ('all'; default $POLARS_FMT_MAX_COLS or 8)\n"
            "  --max-str-len N     characters of a cell before it is cut (default 32)\n"
            "  --width N           width of the table in columns (default: the terminal's)\n"
            "  --timer             print the time the statements took on standard error\n"
            "  -h, --help          this help\n\n"
            "exit status: 0 ok, 1 the query failed (the message starts with line:col),\n"
            "2 a usage mistake.\n");
}

/* Reads all of `f` into a string (NULL on a read error). */
static char *slurp(FILE *f) {
    nl_strbuf sb;
    nl_strbuf_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) nl_strbuf_append(&sb, buf, n);
    if (ferror(f) || sb.failed) {
        nl_strbuf_free(&sb);
        return NULL;
    }
    return nl_strbuf_take(&sb);
}

static int bad_usage(const char *fmt, const char *arg) {
    fprintf(stderr, "neuralake query: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return CLI_EXIT_USAGE;
}

/* The value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *name) {
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') return argv[*i] + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static bool is_opt(const char *arg, const char *name) {
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == 0 || (arg[n] == '=' && name[1] == '-'));
}

int cli_query(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    const char *sql_arg = NULL, *file = NULL, *output = NULL;
    cli_format format = CLI_FMT_TABLE;
    nl_print_options opts = nl_print_options_default();
    bool timer = false, no_more_options = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!no_more_options && strcmp(a, "--") == 0) {
            no_more_options = true;
        } else if (no_more_options || a[0] != '-' || strcmp(a, "-") == 0) {
            if (sql_arg) return bad_usage("give the SQL as one argument (quote it): '%s'", a);
            sql_arg = a;
        } else if (is_opt(a, "-f") || is_opt(a, "--file")) {
            if (!(file = option_value(argc, argv, &i, "--file"))) return bad_usage("%s needs a file", a);
        } else if (is_opt(a, "-o") || is_opt(a, "--output")) {
            if (!(output = option_value(argc, argv, &i, "--output")))
                return bad_usage("%s needs a file", a);
        } else if (is_opt(a, "--format")) {
            const char *v = option_value(argc, argv, &i, "--format");
            if (!v) return bad_usage("%s needs a format", a);
            if (!cli_parse_format(v, &format))
                return bad_usage("unknown format '%s' (table, csv, json, ndjson, markdown, parquet)", v);
        } else if (is_opt(a, "--max-rows") || is_opt(a, "--max-cols") || is_opt(a, "--max-str-len") ||
                   is_opt(a, "--width")) {
            const char *name = is_opt(a, "--max-rows")   ? "--max-rows"
                               : is_opt(a, "--max-cols") ? "--max-cols"
                               : is_opt(a, "--width")    ? "--width"
                                                         : "--max-str-len";
            const char *v = option_value(argc, argv, &i, name);
            int n;
            if (!v || !cli_parse_limit(v, &n)) return bad_usage("%s needs a number", name);
            if (strcmp(name, "--max-rows") == 0) opts.max_rows = n;
            else if (strcmp(name, "--max-cols") == 0) opts.max_cols = n;
            else if (strcmp(name, "--width") == 0) opts.table_width = n;
            else opts.max_str_len = n;
        } else if (strcmp(a, "--timer") == 0) {
            timer = true;
        } else {
            return bad_usage("unknown option '%s'", a);
        }
    }
    if (file && sql_arg) return bad_usage("give the SQL either as an argument or with -f, not both%s", "");
    if (format == CLI_FMT_PARQUET && !output)
        return bad_usage("--format parquet writes a file: add -o FILE%s", "");

    char *sql = NULL;
    const char *from = file ? file : sql_arg;
    if (!from && isatty(STDIN_FILENO)) {
        fprintf(stderr, "neuralake query: no SQL given (an argument, -f FILE, or standard input; "
                        "'neuralake shell' is interactive)\n");
        return CLI_EXIT_USAGE;
    }
    if (!from || strcmp(from, "-") == 0) {
        sql = slurp(stdin);
        if (!sql) {
            fprintf(stderr, "neuralake query: cannot read standard input\n");
            return CLI_EXIT_FAILURE;
        }
    } else if (file) {
        FILE *f = fopen(file, "rb");
        if (!f) {
            fprintf(stderr, "neuralake query: cannot open '%s'\n", file);
            return CLI_EXIT_FAILURE;
        }
        sql = slurp(f);
        fclose(f);
        if (!sql) {
            fprintf(stderr, "neuralake query: cannot read '%s'\n", file);
            return CLI_EXIT_FAILURE;
        }
    } else {
        sql = nl_strdup(sql_arg);
    }
    if (!sql) {
        fprintf(stderr, "neuralake query: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    if (cli_sql_blank(sql)) {
        /* nothing but blanks and comments */
        nl_free(sql);
        fprintf(stderr, "neuralake query: no SQL to run\n");
        return CLI_EXIT_USAGE;
    }

    nl_catalog *cat = cli_catalog();
    nl_session *s = cat ? nl_session_new(cat) : NULL;
    if (!s) {
        nl_free(sql);
        fprintf(stderr, "neuralake query: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    double t0 = cli_now();
    nl_table *result = NULL;
    int rc = CLI_EXIT_OK;
    if (cli_run(s, sql, &result) != NL_OK) rc = CLI_EXIT_FAILURE;
    double t1 = cli_now();
    if (rc == CLI_EXIT_OK) {
        nl_error err = {0};
        fflush(stdout);
        if (cli_emit(result, sql, format, &opts, stdout, output, &err) != NL_OK) {
            fprintf(stderr, "neuralake query: %s\n", err.message);
            rc = CLI_EXIT_FAILURE;
        } else if (fflush(stdout) != 0) {
            fprintf(stderr, "neuralake query: cannot write the result\n");
            rc = CLI_EXIT_FAILURE;
        }
    }
    if (timer) fprintf(stderr, "Run Time (s): real %.3f\n", t1 - t0);
    nl_table_free(result);
    nl_session_free(s);
    nl_free(sql);
    return rc;
}
