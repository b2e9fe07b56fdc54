/*
 * query_data.c -- the main entry point: query the catalog's tables in place.
 *
 * The blueprint's query_data.py, in C. It reads the `part` table (a Parquet
 * file: local sample data by default, or the same file in a local S3 bucket
 * with --s3 or NEURALAKE_S3=1) and prints it as Polars does, then runs one
 * federated SQL query that joins `part` with `supplier`, a table produced by
 * C code in my_tables.c, and aggregates the result by brand.
 *
 *   query_data [--s3] [--data DIR]
 *
 * The local data comes from `neuralake sample-data data` (DIR defaults to
 * $NEURALAKE_DATA, else ./data).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "my_catalog.h"

/* ---- the blueprint's query ---- */

static int query_part(nl_catalog *catalog) {
    printf("--- Querying 'part' table from S3 ---\n");
    nl_error err = {0};
    struct ArrowArrayStream stream;
    /* Print into memory first, so a failure half way never follows a
     * "successful" line. */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    nl_status st = mem ? nl_catalog_scan(catalog, "tpch.part", NULL, NULL, -1, &stream, &err)
                       : NL_ENOMEM;
    if (st == NL_OK) st = nl_print_stream(mem, &stream, NL_OUTPUT_TABLE, NULL, &err);
    if (mem) fclose(mem);
    if (st != NL_OK) {
        printf("\nAn error occurred: %s\n", err.message[0] ? err.message : nl_status_name(st));
        free(text);
        return 1;
    }
    printf("\nQuery successful! Fetched data from S3:\n");
    fputs(text, stdout);
    free(text);
    return 0;
}

/* ---- federation: a Parquet table joined with a function table, in SQL ---- */

/* One SQL query over the catalog: `tpch.part` is read from Parquet (local or
 * S3), `tpch.supplier` is produced by supplier_rows() in my_tables.c. The
 * engine pushes the price filter into the Parquet scan, joins the two on
 * the part key and aggregates by brand. */
static const char FEDERATED_SQL[] =
    "SELECT p.p_brand,\n"
    "       count(*)             AS parts,\n"
    "       sum(p.p_retailprice) AS retail_value,\n"
    "       avg(s.s_acctbal)     AS avg_supplier_balance\n"
    "FROM tpch.part AS p\n"
    "JOIN tpch.supplier AS s ON s.s_partkey = p.p_partkey\n"
    "WHERE p.p_retailprice >= 20\n"
    "GROUP BY p.p_brand\n"
    "ORDER BY retail_value DESC";

static int federated_query(nl_catalog *catalog) {
    printf("\n--- Federated query: parts from $20 by brand, with their suppliers (SQL) ---\n");
    nl_error err = {0};
    struct ArrowArrayStream result;
    if (nl_query(catalog, FEDERATED_SQL, &result, &err) != NL_OK ||
        nl_print_stream(stdout, &result, NL_OUTPUT_TABLE, NULL, &err) != NL_OK) {
        fprintf(stderr, "query_data: %s\n", err.message);
        return 1;
    }
    return 0;
}

static void usage(FILE *out) {
    fprintf(out, "usage: query_data [--s3] [--data DIR]\n"
                 "  --s3        read s3://neuralake-bucket/parts.parquet (also NEURALAKE_S3=1)\n"
                 "  --data DIR  local data directory (default $NEURALAKE_DATA, else ./data)\n");
}

int main(int argc, char **argv) {
    const char *env_s3 = getenv("NEURALAKE_S3");
    int s3 = env_s3 && strcmp(env_s3, "1") == 0;
    const char *data = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--s3") == 0) {
            s3 = 1;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    /* my_tables.c declares the part table at ${NEURALAKE_DATA:-data}. */
    if (s3) setenv("NEURALAKE_DATA", "s3://neuralake-bucket", 1);
    else if (data) setenv("NEURALAKE_DATA", data, 1);
    if (!s3) {
        const char *dir = getenv("NEURALAKE_DATA");
        fprintf(stderr, "(reading local sample data from %s/parts.parquet; --s3 reads the bucket)\n",
                dir && *dir ? dir : "data");
    }
    nl_catalog *catalog = my_catalog_new();
    if (!catalog) return 1;
    int rc = query_part(catalog);
    if (rc == 0) rc = federated_query(catalog);
    nl_catalog_free(catalog);
    return rc;
}
