/*
 * cli_tables.c -- 'neuralake tables [DATABASE]': the catalog's databases and
 * tables with their kind and the first line of their description, as aligned
 * text, or in any output format for scripts (--format csv|json|...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "cli/cli_catalog.h"
#include "cli/commands.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake [--catalog LIB.so] tables [--format FORMAT] [DATABASE]\n\n"
            "Lists the tables of the catalog (or of one database): name, kind and\n"
            "description; deprecated tables are marked. FORMAT is text (default),\n"
            "table, csv, json, ndjson or markdown.\n");
}

static const char *kind_name(nl_table_kind k) {
    static const char *const NAMES[] = {"", "parquet", "csv", "ndjson", "function", "memory", "delta", "http"};
    return (unsigned)k < sizeof NAMES / sizeof NAMES[0] ? NAMES[k] : "?";
}

static int parse_format(const char *s, nl_output_format *out) {
    static const struct { const char *name; nl_output_format f; } F[] = {
        {"table", NL_OUTPUT_TABLE}, {"csv", NL_OUTPUT_CSV}, {"json", NL_OUTPUT_JSON},
        {"ndjson", NL_OUTPUT_NDJSON}, {"markdown", NL_OUTPUT_MARKDOWN},
    };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (strcasecmp(s, F[i].name) == 0) {
            *out = F[i].f;
            return 1;
        }
    return 0;
}

/* The listing as columns, printed in `format`. */
static int print_formatted(nl_catalog *cat, const char *only, nl_output_format format) {
    int32_t n = 0;
    for (int32_t d = 0; d < nl_catalog_database_count(cat); d++) n += nl_catalog_table_count(cat, d);
    const char **db = nl_calloc((size_t)n + 1, sizeof *db);
    const char **name = nl_calloc((size_t)n + 1, sizeof *name);
    const char **kind = nl_calloc((size_t)n + 1, sizeof *kind);
    const char **desc = nl_calloc((size_t)n + 1, sizeof *desc);
    bool *deprecated = nl_calloc((size_t)n + 1, sizeof *deprecated);
    int rc = CLI_EXIT_OK;
    if (!db || !name || !kind || !desc || !deprecated) {
        fprintf(stderr, "neuralake tables: out of memory\n");
        rc = CLI_EXIT_FAILURE;
    }
    int64_t rows = 0;
    for (int32_t d = 0; rc == CLI_EXIT_OK && d < nl_catalog_database_count(cat); d++) {
        const char *dbname = nl_catalog_database_name(cat, d);
        if (only && strcasecmp(only, dbname) != 0) continue;
        for (int32_t t = 0; t < nl_catalog_table_count(cat, d); t++) {
            const nl_table_def *def = nl_catalog_table(cat, d, t);
            db[rows] = dbname;
            name[rows] = def->name;
            kind[rows] = kind_name(def->kind);
            desc[rows] = def->description;
            deprecated[rows] = def->deprecated;
            rows++;
        }
    }
    if (rc == CLI_EXIT_OK) {
        const nl_column_data cols[] = {
            {"database", "str", db, NULL},       {"table", "str", name, NULL},
            {"kind", "str", kind, NULL},         {"description", "str", desc, NULL},
            {"deprecated", "bool", deprecated, NULL}, {0},
        };
        struct ArrowArrayStream s;
        nl_error err = {0};
        if (nl_columns_to_stream(cols, rows, &s, &err) != NL_OK ||
            nl_print_stream(stdout, &s, format, NULL, &err) != NL_OK) {
            fprintf(stderr, "neuralake tables: %s\n", err.message);
            rc = CLI_EXIT_FAILURE;
        }
    }
    nl_free(db);
    nl_free(name);
    nl_free(kind);
    nl_free(desc);
    nl_free(deprecated);
    return rc;
}

int cli_tables(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    const char *only = NULL;
    int formatted = 0;
    nl_output_format format = NL_OUTPUT_TABLE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (strcasecmp(argv[i], "text") == 0) {
                formatted = 0;
            } else if (parse_format(argv[i], &format)) {
                formatted = 1;
            } else {
                fprintf(stderr, "neuralake tables: unknown format '%s'\n", argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else if (argv[i][0] == '-' || only) {
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else {
            only = argv[i];
        }
    }
    nl_catalog *cat = cli_catalog();
    if (!cat) {
        fprintf(stderr, "neuralake tables: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    int32_t n_db = nl_catalog_database_count(cat);
    if (n_db == 0) {
        fprintf(stderr, "neuralake tables: the catalog is empty (load one with --catalog LIB.so)\n");
        return CLI_EXIT_OK;
    }
    int found = !only;
    size_t width = 5;
    for (int32_t d = 0; d < n_db; d++) {
        const char *db = nl_catalog_database_name(cat, d);
        if (only && strcasecmp(only, db) != 0) continue;
        found = 1;
        for (int32_t t = 0; t < nl_catalog_table_count(cat, d); t++) {
            size_t w = strlen(db) + 1 + strlen(nl_catalog_table(cat, d, t)->name);
            if (w > width) width = w;
        }
    }
    if (!found) {
        fprintf(stderr, "neuralake tables: no database '%s'\n", only);
        return CLI_EXIT_FAILURE;
    }
    if (formatted) return print_formatted(cat, only, format);
    printf("%-*s  %-8s  %s\n", (int)width, "table", "kind", "description");
    for (int32_t d = 0; d < n_db; d++) {
        const char *db = nl_catalog_database_name(cat, d);
        if (only && strcasecmp(only, db) != 0) continue;
        for (int32_t t = 0; t < nl_catalog_table_count(cat, d); t++) {
            const nl_table_def *def = nl_catalog_table(cat, d, t);
            char name[512];
            snprintf(name, sizeof name, "%s.%s", db, def->name);
            const char *desc = def->description ? def->description : "";
            size_t dl = strcspn(desc, "\n");
            printf("%-*s  %-8s  %s%.*s\n", (int)width, name, kind_name(def->kind),
                   def->deprecated ? "[deprecated] " : "", (int)dl, desc);
        }
    }
    return CLI_EXIT_OK;
}
