/*
 * cli_shell.c -- 'neuralake shell': an interactive SQL shell over one session
 * and the command's catalog. Statements may span lines and run when a line
 * ends with ';'; lines starting with '.' are shell commands (.help). On a
 * terminal it reads through libedit, with history kept in
 * $NEURALAKE_HISTORY (default ~/.neuralake_history) and tab completion;
 * otherwise it reads standard input without prompts, so scripts can drive
 * it. Errors are reported and the shell goes on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <editline/readline.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "cli/cli_catalog.h"
#include "cli/cli_complete.h"
#include "cli/cli_sql.h"
#include "cli/commands.h"
#include "columnar/print.h"
#include "exec/query_int.h"

typedef struct shell {
    nl_session *session;
    nl_catalog *catalog;
    cli_format mode;
    nl_print_options opts;
    bool timer;
    bool interactive;
    bool quit;
    int errors;     /* statements that failed */
    int read_depth; /* .read nesting */
} shell;

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake [--catalog LIB.so] shell [--mode MODE] [--timer]\n\n"
            "An interactive SQL shell over the catalog's tables and files read in\n"
            "place. End statements with ';' (they may span lines); type .help for the\n"
            "shell's own commands. History is kept in $NEURALAKE_HISTORY (default\n"
            "~/.neuralake_history). When standard input is not a terminal, statements\n"
            "are read from it without prompts and the exit status is 1 if any failed.\n\n"
            "options:\n"
            "  --mode MODE   output: table (default), csv, json, ndjson, markdown\n"
            "  --timer       print how long each statement took\n"
            "  -h, --help    this help\n");
}

static const char HELP[] =
    ".help                  this help\n"
    ".tables [PATTERN]      the session's tables and views and the catalog's tables\n"
    ".schema TABLE          a table's columns (a catalog table's documentation too)\n"
    ".describe TABLE        the same as .schema\n"
    ".mode [MODE]           output format: table, csv, json, ndjson, markdown\n"
    ".timer on|off          print how long each statement took\n"
    ".maxrows N|all         rows shown before the middle is elided\n"
    ".maxcols N|all         columns shown before the middle is elided\n"
    ".read FILE             run the SQL in FILE\n"
    ".quit, .exit           leave (so does Ctrl-D)\n"
    "\n"
    "SQL statements end with ';' and may span lines. Catalog tables are db.table\n"
    "(or just table in the default database); files are read in place:\n"
    "  SELECT * FROM 'data/*.parquet';  SELECT * FROM read_csv('x.csv.gz');\n"
    "CREATE VIEW / CREATE TABLE AS keep results for the rest of the session.\n";

/* ---- running SQL ---- */

static void run_one(shell *sh, const char *sql) {
    double t0 = cli_now();
    nl_table *result = NULL;
    if (cli_run(sh->session, sql, &result) != NL_OK) {
        sh->errors++;
    } else {
        /* statements without rows (CREATE, DROP) print nothing */
        bool quiet = result->num_rows == 0 && result->schema->n_fields == 1 &&
                     strcmp(result->schema->fields[0].name, "Success") == 0;
        nl_error err = {0};
        if (!quiet && cli_emit(result, sql, sh->mode, &sh->opts, stdout, NULL, &err) != NL_OK) {
            fprintf(stderr, "%s\n", err.message);
            sh->errors++;
        }
        fflush(stdout);
    }
    nl_table_free(result);
    if (sh->timer) fprintf(stderr, "Run Time (s): real %.3f\n", cli_now() - t0);
}

/* Runs the statements of `sql` one by one, printing each one's result; the
 * first error ends the text (as a script's later lines may need it). */
static void run_sql(shell *sh, const char *sql) {
    int errors = sh->errors;
    while (!cli_sql_blank(sql) && sh->errors == errors) {
        size_t n = cli_sql_first(sql);
        /* start the statement on its own line so errors point into it */
        while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') {
            sql++;
            n--;
        }
        char *one = nl_strndup(sql, n);
        if (!one) {
            fprintf(stderr, "out of memory\n");
            sh->errors++;
            break;
        }
        if (!cli_sql_blank(one)) run_one(sh, one);
        nl_free(one);
        sql += n;
    }
    cli_complete_forget();
}

/* ---- dot commands ---- */

typedef struct name_acc {
    nl_strbuf *sb;
    const char *pattern;
    int n;
} name_acc;

static bool matches(const char *name, const char *pattern) {
    if (!pattern) return true;
    /* a plain substring match, case-insensitively */
    size_t n = strlen(pattern);
    for (const char *p = name; *p; p++)
        if (strncasecmp(p, pattern, n) == 0) return true;
    return false;
}

static void print_session_name(const char *name, void *ctx) {
    name_acc *a = ctx;
    if (!matches(name, a->pattern)) return;
    printf("%s\n", name);
    a->n++;
}

static void cmd_tables(shell *sh, const char *pattern) {
    name_acc acc = {.pattern = pattern};
    nl_session_names(sh->session, print_session_name, &acc);
    for (int32_t d = 0; sh->catalog && d < nl_catalog_database_count(sh->catalog); d++) {
        const char *db = nl_catalog_database_name(sh->catalog, d);
        for (int32_t t = 0; t < nl_catalog_table_count(sh->catalog, d); t++) {
            const nl_table_def *def = nl_catalog_table(sh->catalog, d, t);
            char name[512];
            snprintf(name, sizeof name, "%s.%s", db, def->name);
            if (!matches(name, pattern)) continue;
            printf("%s%s\n", name, def->deprecated ? "  (deprecated)" : "");
            acc.n++;
        }
    }
    if (acc.n == 0 && sh->interactive)
        printf(pattern ? "(no table matches '%s')\n" : "(no tables yet%s)\n",
               pattern ? pattern : ": CREATE TABLE, CREATE VIEW, or --catalog LIB.so");
}

typedef struct has_name {
    const char *name;
    bool found;
} has_name;

static void check_name(const char *name, void *ctx) {
    has_name *h = ctx;
    if (strcasecmp(name, h->name) == 0) h->found = true;
}

/* The columns of anything a query can read: name, type, nullable. */
static void print_columns(shell *sh, const char *what) {
    nl_strbuf sb;
    nl_strbuf_init(&sb);
    nl_strbuf_printf(&sb, "SELECT * FROM %s LIMIT 0", what);
    if (sb.failed) {
        nl_strbuf_free(&sb);
        return;
    }
    nl_table *t = NULL;
    if (cli_run(sh->session, sb.data, &t) != NL_OK) {
        sh->errors++;
        nl_strbuf_free(&sb);
        return;
    }
    nl_strbuf_free(&sb);
    int32_t n = t->schema->n_fields;
    const char **names = nl_calloc((size_t)n + 1, sizeof(char *));
    const char **types = nl_calloc((size_t)n + 1, sizeof(char *));
    char *bufs = nl_calloc((size_t)n + 1, 64);
    bool *nullable = nl_calloc((size_t)n + 1, sizeof(bool));
    if (names && types && bufs && nullable) {
        for (int32_t i = 0; i < n; i++) {
            names[i] = t->schema->fields[i].name;
            types[i] = nl_type_name(t->schema->fields[i].type, bufs + 64 * i, 64);
            nullable[i] = t->schema->fields[i].nullable;
        }
        const nl_column_data cols[] = {{"column_name", "str", names, NULL},
                                       {"column_type", "str", types, NULL},
                                       {"null", "bool", nullable, NULL},
                                       {0}};
        struct ArrowArrayStream s;
        nl_error err = {0};
        nl_print_options o = sh->opts;
        o.max_rows = -1 == o.max_rows ? 1000 : o.max_rows;
        if (nl_columns_to_stream(cols, n, &s, &err) != NL_OK ||
            nl_print_stream(stdout, &s, sh->mode == CLI_FMT_PARQUET ? NL_OUTPUT_TABLE : (nl_output_format)sh->mode,
                            &o, &err) != NL_OK)
            fprintf(stderr, "%s\n", err.message);
    }
    nl_free(names);
    nl_free(types);
    nl_free(bufs);
    nl_free(nullable);
    nl_table_free(t);
}

static void cmd_schema(shell *sh, const char *name) {
    if (!name) {
        fprintf(stderr, "usage: .schema TABLE (a table, a view, db.table or 'file.parquet')\n");
        sh->errors++;
        return;
    }
    has_name h = {name, false};
    nl_session_names(sh->session, check_name, &h);
    const nl_table_def *def = NULL;
    nl_error err = {0};
    if (!h.found && sh->catalog && nl_catalog_find(sh->catalog, name, &def, &err) == NL_OK) {
        if (nl_catalog_describe(sh->catalog, name, stdout, &err) != NL_OK) {
            fprintf(stderr, "%s\n", err.message);
            sh->errors++;
        }
        return;
    }
    print_columns(sh, name);
}

static bool set_limit(shell *sh, const char *arg, int *field, const char *cmd) {
    int n;
    if (!arg || !cli_parse_limit(arg, &n)) {
        fprintf(stderr, "usage: %s N|all\n", cmd);
        sh->errors++;
        return false;
    }
    *field = n;
    return true;
}

static void run_file(shell *sh, const char *path);

/* Runs a line starting with '.'. */
static void dot_command(shell *sh, char *line) {
    char *save = NULL;
    char *cmd = strtok_r(line, " \t\r\n", &save);
    char *arg = strtok_r(NULL, " \t\r\n", &save);
    char *extra = strtok_r(NULL, " \t\r\n", &save);
    if (arg && (arg[0] == '"' || arg[0] == '\'') && strlen(arg) >= 2 && arg[strlen(arg) - 1] == arg[0] &&
        strcmp(cmd, ".schema") != 0 && strcmp(cmd, ".describe") != 0) {
        arg[strlen(arg) - 1] = 0;
        arg++;
    }
    if (strcmp(cmd, ".quit") == 0 || strcmp(cmd, ".exit") == 0 || strcmp(cmd, ".q") == 0) {
        sh->quit = true;
    } else if (strcmp(cmd, ".help") == 0) {
        fputs(HELP, stdout);
    } else if (strcmp(cmd, ".tables") == 0) {
        cmd_tables(sh, arg);
    } else if (strcmp(cmd, ".schema") == 0 || strcmp(cmd, ".describe") == 0) {
        cmd_schema(sh, arg);
    } else if (strcmp(cmd, ".mode") == 0) {
        cli_format f;
        if (!arg) {
            printf("%s\n", cli_format_name(sh->mode));
        } else if (!cli_parse_format(arg, &f) || f == CLI_FMT_PARQUET) {
            fprintf(stderr, "unknown mode '%s' (table, csv, json, ndjson, markdown)\n", arg);
            sh->errors++;
        } else {
            sh->mode = f;
        }
    } else if (strcmp(cmd, ".timer") == 0) {
        if (arg && (strcasecmp(arg, "on") == 0 || strcmp(arg, "1") == 0)) sh->timer = true;
        else if (arg && (strcasecmp(arg, "off") == 0 || strcmp(arg, "0") == 0)) sh->timer = false;
        else {
            fprintf(stderr, "usage: .timer on|off\n");
            sh->errors++;
        }
    } else if (strcmp(cmd, ".maxrows") == 0) {
        set_limit(sh, arg, &sh->opts.max_rows, ".maxrows");
    } else if (strcmp(cmd, ".maxcols") == 0) {
        set_limit(sh, arg, &sh->opts.max_cols, ".maxcols");
    } else if (strcmp(cmd, ".read") == 0) {
        if (!arg) {
            fprintf(stderr, "usage: .read FILE\n");
            sh->errors++;
        } else {
            run_file(sh, arg);
        }
    } else {
        fprintf(stderr, "unknown command '%s' (try .help)\n", cmd);
        sh->errors++;
        return;
    }
    if (extra && strcmp(cmd, ".tables") != 0)
        fprintf(stderr, "(ignored '%s' after %s %s)\n", extra, cmd, arg ? arg : "");
}

/* ---- reading lines ---- */

/* The statement typed so far, for the prompt and for completion. */
static nl_strbuf g_pending;

static const char *pending_text(void) { return g_pending.data ? g_pending.data : ""; }

static volatile sig_atomic_t g_interrupted;

static void on_sigint(int sig) {
    (void)sig;
    g_interrupted = 1;
}

/* One line of input, without its newline (free with free()); NULL at the end. */
static char *next_line(shell *sh, FILE *in, bool continuing) {
    if (in == stdin && sh->interactive) {
        for (;;) {
            g_interrupted = 0;
            char *line = readline(continuing ? "      ...> " : "neuralake> ");
            if (line || !g_interrupted) return line;
            /* Ctrl-C: drop the statement being typed, keep the shell */
            printf("\n");
            nl_strbuf_clear(&g_pending);
            continuing = false;
        }
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    return line;
}

static void remember(shell *sh, const char *text) {
    if (!sh->interactive) return;
    /* one history entry per statement, on one line */
    char *flat = nl_strdup(text);
    if (!flat) return;
    for (char *p = flat; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    size_t n = strlen(flat);
    while (n && flat[n - 1] == ' ') flat[--n] = 0;
    if (n) add_history(flat);
    nl_free(flat);
}

/* Reads and runs statements and dot commands from `in` until its end or
 * .quit. */
static void run_input(shell *sh, FILE *in) {
    nl_strbuf saved = g_pending;
    nl_strbuf_init(&g_pending);
    while (!sh->quit) {
        bool continuing = g_pending.len > 0;
        char *line = next_line(sh, in, continuing);
        if (!line) break;
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!continuing && *p == '.') {
            remember(sh, line);
            char *copy = nl_strdup(p);
            if (copy) dot_command(sh, copy);
            nl_free(copy);
            free(line);
            continue;
        }
        if (!continuing && !*p) {
            free(line);
            continue;
        }
        nl_strbuf_puts(&g_pending, line);
        nl_strbuf_putc(&g_pending, '\n');
        free(line);
        if (g_pending.failed) {
            fprintf(stderr, "out of memory\n");
            nl_strbuf_clear(&g_pending);
            continue;
        }
        if (cli_sql_complete(g_pending.data)) {
            remember(sh, g_pending.data);
            char *sql = nl_strbuf_take(&g_pending);
            if (sql) run_sql(sh, sql);
            nl_free(sql);
        } else if (cli_sql_blank(g_pending.data)) {
            nl_strbuf_clear(&g_pending); /* only comments so far */
        }
    }
    /* a last statement without its ';' still runs */
    if (!sh->quit && g_pending.len && !cli_sql_blank(g_pending.data)) {
        remember(sh, g_pending.data);
        run_sql(sh, g_pending.data);
    }
    nl_strbuf_free(&g_pending);
    g_pending = saved;
}

static void run_file(shell *sh, const char *path) {
    if (sh->read_depth >= 16) {
        fprintf(stderr, ".read: files read each other too deep ('%s')\n", path);
        sh->errors++;
        return;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, ".read: cannot open '%s': %s\n", path, strerror(errno));
        sh->errors++;
        return;
    }
    bool interactive = sh->interactive;
    sh->interactive = false; /* a file's lines are not history */
    sh->read_depth++;
    run_input(sh, f);
    sh->read_depth--;
    sh->interactive = interactive;
    fclose(f);
}

static char *history_path(void) {
    const char *env = getenv("NEURALAKE_HISTORY");
    if (env && *env) return nl_strdup(env);
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    return nl_asprintf("%s/.neuralake_history", home);
}

int cli_shell(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    shell sh = {.mode = CLI_FMT_TABLE, .opts = nl_print_options_default()};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--timer") == 0) {
            sh.timer = true;
        } else if (strcmp(a, "--mode") == 0 || strcmp(a, "--format") == 0 || strncmp(a, "--mode=", 7) == 0 ||
                   strncmp(a, "--format=", 9) == 0) {
            const char *v = strchr(a, '=') ? strchr(a, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || !cli_parse_format(v, &sh.mode) || sh.mode == CLI_FMT_PARQUET) {
                fprintf(stderr, "neuralake shell: --mode needs table, csv, json, ndjson or markdown\n");
                return CLI_EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "neuralake shell: unknown argument '%s' (try --help)\n", a);
            return CLI_EXIT_USAGE;
        }
    }
    sh.catalog = cli_catalog();
    sh.session = sh.catalog ? nl_session_new(sh.catalog) : NULL;
    if (!sh.session) {
        fprintf(stderr, "neuralake shell: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    sh.interactive = isatty(STDIN_FILENO);
    char *hist = NULL;
    struct sigaction old_int;
    if (sh.interactive) {
        rl_readline_name = "neuralake";
        using_history();
        stifle_history(2000);
        hist = history_path();
        if (hist) read_history(hist);
        cli_complete_install(sh.session, sh.catalog, pending_text);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint; /* no SA_RESTART: readline returns */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        int32_t n_tables = 0;
        for (int32_t d = 0; d < nl_catalog_database_count(sh.catalog); d++)
            n_tables += nl_catalog_table_count(sh.catalog, d);
        printf("neuralake %s shell. End statements with ';'; .help for help, .quit to leave.\n",
               nl_version());
        if (n_tables)
            printf("The catalog has %d table%s (.tables lists them).\n", (int)n_tables, n_tables == 1 ? "" : "s");
        fflush(stdout);
    }
    run_input(&sh, stdin);
    if (sh.interactive) {
        if (!sh.quit) printf("\n");
        if (hist && write_history(hist) != 0)
            fprintf(stderr, "neuralake shell: cannot save the history in '%s'\n", hist);
        sigaction(SIGINT, &old_int, NULL);
        cli_complete_free();
        clear_history();
    }
    nl_free(hist);
    nl_session_free(sh.session);
    return !sh.interactive && sh.errors ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}
