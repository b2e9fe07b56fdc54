/*
 * query_data.c -- the main entry point: query the catalog's tables in place.
 *
 * The blueprint's query_data.py, in C. It reads the `part` table (a Parquet
 * file: local sample data by default, or the same file in a local S3 bucket
 * with --s3 or NEURALAKE_S3=1) and prints it as Polars does, then runs a
 * federated query that joins `part` with `supplier`, a table produced by C
 * code in my_tables.c.
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

/* ---- reading Arrow results (the C Data Interface, as any consumer would) ---- */

static int64_t view_i64(const struct ArrowArray *a, int64_t i) {
    return ((const int64_t *)a->buffers[1])[a->offset + i];
}

static double view_f64(const struct ArrowArray *a, int64_t i) {
    return ((const double *)a->buffers[1])[a->offset + i];
}

/* String i of a UTF-8 array, copied into buf. */
static const char *view_str(const struct ArrowArray *a, int64_t i, char *buf, size_t size) {
    const int32_t *offs = (const int32_t *)a->buffers[1] + a->offset;
    const char *data = (const char *)a->buffers[2];
    size_t len = (size_t)(offs[i + 1] - offs[i]);
    if (len >= size) len = size - 1;
    memcpy(buf, data + offs[i], len);
    buf[len] = '\0';
    return buf;
}

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

/* ---- federation: a Parquet table joined with a function table ---- */

#define MAX_ROWS 1024

static int federated_query(nl_catalog *catalog) {
    printf("\n--- Federated query: parts from $20 joined with their suppliers ---\n");
    nl_error err = {0};
    struct ArrowArrayStream parts, suppliers;
    static const char *const part_cols[] = {"p_partkey", "p_name", "p_retailprice", NULL};
    static const nl_filter_term from_20[] = {{"p_retailprice", ">=", NL_DOUBLE(20.0)}, {0}};
    static const char *const supp_cols[] = {"s_partkey", "s_name", "s_nation", NULL};
    if (nl_catalog_scan(catalog, "tpch.part", part_cols, from_20, -1, &parts, &err) != NL_OK ||
        nl_catalog_scan(catalog, "tpch.supplier", supp_cols, NULL, -1, &suppliers, &err) != NL_OK) {
        fprintf(stderr, "query_data: %s\n", err.message);
        return 1;
    }
    /* A hash join would be the engine's job; a nested loop over the batches
     * is enough for five parts. The supplier batches are kept while the parts
     * stream by. */
    static int64_t keys[MAX_ROWS];
    static double prices[MAX_ROWS];
    static char names[MAX_ROWS][64], snames[MAX_ROWS][64], nations[MAX_ROWS][64];
    static const char *name_ptr[MAX_ROWS], *sname_ptr[MAX_ROWS], *nation_ptr[MAX_ROWS];
    struct ArrowArray sup[16];
    int n_sup = 0;
    while (n_sup < 16 && suppliers.get_next(&suppliers, &sup[n_sup]) == 0 && sup[n_sup].release)
        n_sup++;
    int64_t n = 0;
    struct ArrowArray pb;
    while (parts.get_next(&parts, &pb) == 0 && pb.release) {
        for (int64_t i = 0; i < pb.length; i++)
            for (int s = 0; s < n_sup; s++)
                for (int64_t j = 0; j < sup[s].length && n < MAX_ROWS; j++) {
                    if (view_i64(pb.children[0], i) != view_i64(sup[s].children[0], j)) continue;
                    keys[n] = view_i64(pb.children[0], i);
                    prices[n] = view_f64(pb.children[2], i);
                    name_ptr[n] = view_str(pb.children[1], i, names[n], sizeof names[n]);
                    sname_ptr[n] = view_str(sup[s].children[1], j, snames[n], sizeof snames[n]);
                    nation_ptr[n] = view_str(sup[s].children[2], j, nations[n], sizeof nations[n]);
                    n++;
                }
        pb.release(&pb);
    }
    for (int s = 0; s < n_sup; s++) sup[s].release(&sup[s]);
    parts.release(&parts);
    suppliers.release(&suppliers);
    const nl_column_data joined[] = {
        {"p_partkey", "i64", keys, NULL},
        {"p_name", "str", name_ptr, NULL},
        {"p_retailprice", "f64", prices, NULL},
        {"s_name", "str", sname_ptr, NULL},
        {"s_nation", "str", nation_ptr, NULL},
        {0},
    };
    struct ArrowArrayStream result;
    if (nl_columns_to_stream(joined, n, &result, &err) != NL_OK ||
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
