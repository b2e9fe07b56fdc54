/*
 * cli_parquet.c -- 'neuralake parquet': inspect Parquet files as people use
 * parquet-tools.
 *
 *   neuralake parquet schema FILE        the Parquet schema tree and the columns it reads as
 *   neuralake parquet meta FILE          row groups, column chunks, encodings, codecs, sizes,
 *                                        statistics, key-value metadata
 *   neuralake parquet cat FILE [--format table|csv|json|ndjson|markdown]
 *                             [--limit N] [--columns a,b,...]
 *
 * FILE is a path or any URI the object store opens (s3://, https://).
 * Exit codes follow commands.h: 0 ok, 1 the file could not be read, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "cli/commands.h"
#include "columnar/print.h"
#include "columnar/scalar.h"
#include "formats/parquet/codec.h"
#include "formats/parquet/prune.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/schema.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: neuralake parquet schema FILE\n"
            "       neuralake parquet meta FILE\n"
            "       neuralake parquet cat FILE [--format table|csv|json|ndjson|markdown]\n"
            "                                  [--limit N] [--columns a,b,...]\n\n"
            "Inspect a Parquet file (a path, s3://bucket/key or https://...):\n"
            "  schema  the Parquet schema tree and the type each column reads as\n"
            "  meta    row groups, column chunks, encodings, codecs, sizes, statistics\n"
            "  cat     the rows, printed as a table (default) or csv, json, ndjson, markdown\n");
}

typedef struct opened {
    nl_store *store;
    pq_file *file;
} opened;

static int open_file(const char *uri, opened *o) {
    nl_error err = {0};
    memset(o, 0, sizeof *o);
    if (nl_store_open(uri, &o->store, &err) != NL_OK ||
        pq_file_open(o->store, uri, NULL, &o->file, &err) != NL_OK) {
        fprintf(stderr, "neuralake parquet: %s\n", err.message);
        if (o->store) nl_store_close(o->store);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

static void close_file(opened *o) {
    pq_file_close(o->file);
    nl_store_close(o->store);
}

/* ---- schema ---- */

static int print_element(const pq_file_meta *m, int32_t idx, int depth, FILE *out) {
    if (idx >= m->n_schema) return idx;
    const pq_schema_element *e = &m->schema[idx];
    char lt[128];
    fprintf(out, "%*s", depth * 2, "");
    if (e->num_children > 0) {
        fprintf(out, "%s group %s", pq_repetition_name(e->repetition < 0 ? 0 : e->repetition), e->name);
    } else {
        fprintf(out, "%s %s", pq_repetition_name(e->repetition < 0 ? 0 : e->repetition), pq_type_name(e->type));
        if (e->type == PQ_FIXED_LEN_BYTE_ARRAY) fprintf(out, "(%d)", e->type_length);
        fprintf(out, " %s", e->name);
    }
    if (e->logical.kind != PQ_LT_NONE) fprintf(out, " (%s)", pq_logical_name(&e->logical, lt, sizeof lt));
    else if (e->converted >= 0) {
        fprintf(out, " (%s", pq_converted_name(e->converted));
        if (e->converted == PQ_CONV_DECIMAL) fprintf(out, "(%d,%d)", e->precision, e->scale);
        fprintf(out, ")");
    }
    if (e->field_id >= 0) fprintf(out, " = %d", e->field_id);
    int32_t next = idx + 1;
    if (e->num_children > 0) {
        fprintf(out, " {\n");
        for (int32_t c = 0; c < e->num_children && next < m->n_schema; c++)
            next = print_element(m, next, depth + 1, out);
        fprintf(out, "%*s}\n", depth * 2, "");
    } else {
        fprintf(out, ";\n");
    }
    return next;
}

static int cmd_schema(const char *uri) {
    opened o;
    int rc = open_file(uri, &o);
    if (rc) return rc;
    const pq_file_meta *m = pq_file_metadata(o.file);
    printf("message %s {\n", m->schema[0].name);
    int32_t next = 1;
    for (int32_t c = 0; c < m->schema[0].num_children && next < m->n_schema; c++)
        next = print_element(m, next, 1, stdout);
    printf("}\n\ncolumns:\n");
    const nl_schema *s = pq_file_schema(o.file);
    for (int32_t i = 0; i < s->n_fields; i++) {
        char tn[256];
        printf("  %-30s %s%s\n", s->fields[i].name, nl_type_name(s->fields[i].type, tn, sizeof tn),
               s->fields[i].nullable ? "" : " NOT NULL");
    }
    close_file(&o);
    return CLI_EXIT_OK;
}

/* ---- meta ---- */

static void print_stat(const pq_leaf_info *li, pq_bytes b, bool legacy) {
    nl_scalar s;
    if (pq_stat_scalar(li, b, legacy, &s)) {
        char buf[256];
        nl_scalar_format(&s, false, buf, sizeof buf);
        printf("%s", buf);
        nl_scalar_clear(&s);
        return;
    }
    /* Raw bytes: text when printable, else hex. */
    bool printable = true;
    for (int32_t i = 0; i < b.len; i++) printable &= b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f;
    if (printable) printf("\"%.*s\"", b.len > 64 ? 64 : b.len, (const char *)b.ptr);
    else {
        printf("0x");
        for (int32_t i = 0; i < b.len && i < 32; i++) printf("%02X", b.ptr[i]);
    }
    if (b.len > 64) printf("...");
}

static int cmd_meta(const char *uri) {
    opened o;
    int rc = open_file(uri, &o);
    if (rc) return rc;
    const pq_file_meta *m = pq_file_metadata(o.file);
    pq_schema_map map;
    nl_error err = {0};
    if (pq_schema_map_build(m, &map, &err) != NL_OK) {
        fprintf(stderr, "neuralake parquet: %s\n", err.message);
        close_file(&o);
        return CLI_EXIT_FAILURE;
    }
    printf("file:        %s\n", pq_file_uri(o.file));
    printf("size:        %lld bytes\n", (long long)pq_file_size(o.file));
    printf("created by:  %s\n", m->created_by ? m->created_by : "(unknown)");
    printf("version:     %d\n", m->version);
    printf("rows:        %lld\n", (long long)m->num_rows);
    printf("row groups:  %d\n", m->n_row_groups);
    printf("columns:     %d leaf columns\n", map.n_leaves);
    for (int32_t i = 0; i < m->n_kv; i++) {
        const char *v = m->kv[i].value ? m->kv[i].value : "";
        size_t l = strlen(v);
        printf("metadata:    %s = %.*s%s\n", m->kv[i].key, l > 100 ? 100 : (int)l, v, l > 100 ? "..." : "");
    }
    for (int32_t r = 0; r < m->n_row_groups; r++) {
        const pq_row_group *g = &m->row_groups[r];
        printf("\nrow group %d: %lld rows, %lld bytes uncompressed", r, (long long)g->num_rows,
               (long long)g->total_byte_size);
        if (g->total_compressed_size >= 0) printf(", %lld compressed", (long long)g->total_compressed_size);
        printf("\n");
        for (int32_t c = 0; c < g->n_columns && c < map.n_leaves; c++) {
            const pq_column_chunk *cc = &g->columns[c];
            const pq_leaf_info *li = &map.leaves[c];
            printf("  %s: ", li->path);
            if (!cc->has_meta) {
                printf("(no metadata%s)\n", cc->encrypted ? ", encrypted" : "");
                continue;
            }
            const pq_column_meta *cm = &cc->meta;
            printf("%s %s", pq_type_name(cm->type), pq_codec_name(cm->codec));
            printf(" [");
            for (int32_t e = 0; e < cm->n_encodings; e++)
                printf("%s%s", e ? "," : "", pq_encoding_name(cm->encodings[e]));
            printf("] values=%lld compressed=%lld uncompressed=%lld", (long long)cm->num_values,
                   (long long)cm->total_compressed_size, (long long)cm->total_uncompressed_size);
            printf(" data@%lld", (long long)cm->data_page_offset);
            if (cm->dictionary_page_offset >= 0) printf(" dict@%lld", (long long)cm->dictionary_page_offset);
            if (cc->column_index_offset >= 0) printf(" column_index@%lld", (long long)cc->column_index_offset);
            if (cc->offset_index_offset >= 0) printf(" offset_index@%lld", (long long)cc->offset_index_offset);
            if (cm->bloom_filter_offset >= 0) printf(" bloom@%lld", (long long)cm->bloom_filter_offset);
            printf("\n");
            if (cm->has_statistics) {
                const pq_statistics *st = &cm->statistics;
                printf("    stats:");
                if (st->has_min) {
                    printf(" min=");
                    print_stat(li, st->min, st->legacy_min_max);
                }
                if (st->has_max) {
                    printf(" max=");
                    print_stat(li, st->max, st->legacy_min_max);
                }
                if (st->has_null_count) printf(" nulls=%lld", (long long)st->null_count);
                if (st->has_distinct_count) printf(" distinct=%lld", (long long)st->distinct_count);
                if (st->legacy_min_max) printf(" (legacy min/max)");
                printf("\n");
            }
        }
    }
    pq_schema_map_free(&map);
    close_file(&o);
    return CLI_EXIT_OK;
}

/* ---- cat ---- */

static int parse_format(const char *s, nl_output_format *f) {
    static const struct {
        const char *name;
        nl_output_format f;
    } names[] = {{"table", NL_OUTPUT_TABLE}, {"csv", NL_OUTPUT_CSV}, {"json", NL_OUTPUT_JSON},
                 {"ndjson", NL_OUTPUT_NDJSON}, {"markdown", NL_OUTPUT_MARKDOWN}, {"md", NL_OUTPUT_MARKDOWN}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *f = names[i].f;
            return 0;
        }
    return -1;
}

static int cmd_cat(const char *uri, nl_output_format format, int64_t limit, const char *columns) {
    opened o;
    int rc = open_file(uri, &o);
    if (rc) return rc;
    nl_error err = {0};
    const nl_schema *schema = pq_file_schema(o.file);
    int32_t *cols = NULL, n_cols = -1;
    if (columns) {
        cols = nl_calloc((size_t)schema->n_fields + strlen(columns) + 1, sizeof *cols);
        n_cols = 0;
        char *copy = nl_strdup(columns), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            int32_t idx = nl_schema_find(schema, tok);
            if (idx < 0) idx = nl_schema_find_ci(schema, tok);
            if (idx < 0) {
                fprintf(stderr, "neuralake parquet: no column '%s' in %s\n", tok, uri);
                nl_free(copy);
                nl_free(cols);
                close_file(&o);
                return CLI_EXIT_USAGE;
            }
            cols[n_cols++] = idx;
        }
        nl_free(copy);
    }
    nl_stream *stream = NULL;
    nl_status st = pq_file_stream(o.file, NULL, -1, cols, n_cols, &stream, &err);
    nl_table *table = NULL;
    if (st == NL_OK) {
        table = nl_table_new(nl_schema_ref(stream->schema));
        if (!table) st = nl_error_set(&err, NL_ENOMEM, "out of memory");
    }
    while (st == NL_OK && (limit < 0 || table->num_rows < limit)) {
        nl_batch *b = NULL;
        st = nl_stream_next(stream, &b, &err);
        if (st != NL_OK || !b) break;
        if (limit >= 0 && table->num_rows + b->num_rows > limit) {
            nl_batch *s = nl_batch_slice(b, 0, limit - table->num_rows);
            nl_batch_unref(b);
            b = s;
            if (!b) {
                st = nl_error_set(&err, NL_ENOMEM, "out of memory");
                break;
            }
        }
        st = nl_table_append(table, b, &err);
        nl_batch_unref(b);
    }
    nl_stream_free(stream);
    if (st == NL_OK) {
        nl_print_options opts = nl_print_options_default();
        st = nl_print_table(stdout, table, format, &opts, &err);
    }
    nl_table_free(table);
    nl_free(cols);
    close_file(&o);
    if (st != NL_OK) {
        fprintf(stderr, "neuralake parquet: %s\n", err.message);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

int cli_parquet(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 3) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[1], *file = argv[2];
    if (strcmp(sub, "schema") == 0 && argc == 3) return cmd_schema(file);
    if (strcmp(sub, "meta") == 0 && argc == 3) return cmd_meta(file);
    if (strcmp(sub, "cat") == 0) {
        nl_output_format format = NL_OUTPUT_TABLE;
        int64_t limit = -1;
        const char *columns = NULL;
        for (int i = 3; i < argc; i++) {
            const char *a = argv[i];
            const char *val = i + 1 < argc ? argv[i + 1] : NULL;
            if (strcmp(a, "--format") == 0 && val) {
                if (parse_format(val, &format) != 0) {
                    fprintf(stderr, "neuralake parquet: unknown format '%s'\n", val);
                    return CLI_EXIT_USAGE;
                }
                i++;
            } else if (strcmp(a, "--limit") == 0 && val) {
                char *end;
                errno = 0;
                long long v = strtoll(val, &end, 10);
                if (errno || *end || v < 0) {
                    fprintf(stderr, "neuralake parquet: bad --limit '%s'\n", val);
                    return CLI_EXIT_USAGE;
                }
                limit = v;
                i++;
            } else if (strcmp(a, "--columns") == 0 && val) {
                columns = val;
                i++;
            } else {
                fprintf(stderr, "neuralake parquet: unknown option '%s' (try --help)\n", a);
                return CLI_EXIT_USAGE;
            }
        }
        return cmd_cat(file, format, limit, columns);
    }
    usage(stderr);
    return CLI_EXIT_USAGE;
}
