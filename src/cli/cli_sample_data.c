/*
 * cli_sample_data.c -- 'neuralake sample-data DIR': writes the quickstart's
 * sample data, the blueprint's parts.parquet (5 parts, 4 columns), through
 * the Parquet writer and the object store (so DIR may be s3://bucket/prefix).
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"
#include "cli/commands.h"
#include "formats/parquet/writer.h"
#include "io/store.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake sample-data DIR\n\n"
            "Writes the quickstart's sample data into DIR (created if needed; a local\n"
            "path or s3://bucket/prefix):\n"
            "  parts.parquet   p_partkey i64, p_name str, p_brand str, p_retailprice f64 (5 rows;\n"
            "                  names are 8 characters, \"Part#1  \", as the blueprint's table shows)\n");
}

static const int64_t KEYS[] = {1, 2, 3, 4, 5};
/* The blueprint's table is exactly what Polars prints when each name is 8
 * characters wide, "Part#1" and two spaces (checked against Polars itself;
 * for a bare "Part#1" Polars draws the column two narrower). The sample data
 * is the data that table shows, so the quickstart prints it byte for byte. */
static const char *const NAMES[] = {"Part#1  ", "Part#2  ", "Part#3  ", "Part#4  ", "Part#5  "};
static const char *const BRANDS[] = {"Brand#1", "Brand#2", "Brand#3", "Brand#1", "Brand#2"};
static const double PRICES[] = {10.0, 20.0, 30.0, 40.0, 50.0};

static const nl_column_data PARTS[] = {
    {"p_partkey", "i64", KEYS, NULL},
    {"p_name", "str", NAMES, NULL},
    {"p_brand", "str", BRANDS, NULL},
    {"p_retailprice", "f64", PRICES, NULL},
    {0},
};

static nl_status write_parts(const char *dir, char **written, nl_error *err) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    char *uri = nl_asprintf("%.*s/parts.parquet", (int)n, dir);
    NL_CHECK_ALLOC(uri, err);
    nl_table *t = NULL;
    nl_store *store = NULL;
    nl_status st = cat_columns_table(PARTS, 5, &t, err);
    if (st == NL_OK) st = nl_store_open(uri, &store, err);
    if (st == NL_OK) st = pq_write_table(store, uri, t, NULL, err);
    nl_store_close(store);
    nl_table_free(t);
    if (st != NL_OK) {
        nl_free(uri);
        return st;
    }
    *written = uri;
    return NL_OK;
}

int cli_sample_data(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc != 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    nl_error err = {0};
    char *uri = NULL;
    if (write_parts(argv[1], &uri, &err) != NL_OK) {
        fprintf(stderr, "neuralake sample-data: %s\n", err.message);
        return CLI_EXIT_FAILURE;
    }
    printf("wrote %s (5 rows)\n", uri);
    nl_free(uri);
    return CLI_EXIT_OK;
}
