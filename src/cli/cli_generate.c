/*
 * cli_generate.c -- the 'neuralake generate' command: benchmark data.
 *
 *   neuralake generate tpch --scale N --out DIR [--tables LIST] [--format F]
 *
 * writes the eight TPC-H tables (or those listed) as DIR/<table>.parquet, or
 * as dbgen's DIR/<table>.tbl text, row for row what dbgen writes
 * (src/datagen/tpch.h). Tables are generated in parallel chunks and written
 * in order; on a terminal, a progress line per table shows on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/threadpool.h"
#include "cli/commands.h"
#include "datagen/tpch.h"
#include "formats/parquet/writer.h"
#include "io/store.h"

static void generate_usage(FILE *out) {
    fprintf(out,
            "usage: neuralake generate tpch --out DIR [options]\n\n"
            "Writes the TPC-H tables, row for row what the reference dbgen produces.\n\n"
            "options:\n"
            "  -s, --scale N      scale factor (default 1: about 1 GB of text, 6M line items)\n"
            "  -o, --out DIR      output directory (created if missing), or an object\n"
            "                     store prefix such as s3://bucket/tpch\n"
            "  -t, --tables LIST  comma-separated tables (default all): region, nation,\n"
            "                     supplier, customer, part, partsupp, orders, lineitem\n"
            "  -f, --format F     parquet (default) or tbl (dbgen's '|'-separated text)\n"
            "  -j, --threads N    worker threads (default: the cores)\n"
            "  -q, --quiet        no progress, even on a terminal\n"
            "  -h, --help         this help\n\n"
            "Files are named DIR/<table>.parquet (or .tbl). Exit status: 0 done, 1 failed,\n"
            "2 usage error.\n");
}

typedef enum gen_format { FORMAT_PARQUET, FORMAT_TBL } gen_format;

typedef struct gen_args {
    double scale;
    const char *out;
    bool tables[TPCH_TABLE_COUNT];
    gen_format format;
    int threads;
    bool quiet;
} gen_args;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- arguments ---- */

/* The value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"); NULL when
 * argv[*i] is not that option. Sets *missing when the value is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *shrt, const char *lng,
                             bool *missing) {
    const char *a = argv[*i];
    size_t n = strlen(lng);
    if (strncmp(a, lng, n) == 0 && a[n] == '=') return a + n + 1;
    if (strcmp(a, lng) != 0 && strcmp(a, shrt) != 0) return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static bool parse_tables(const char *list, bool *tables) {
    char name[32];
    memset(tables, 0, sizeof(bool) * TPCH_TABLE_COUNT);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        tpch_table t;
        if (n == 0 || n >= sizeof name) return false;
        memcpy(name, p, n);
        name[n] = 0;
        if (!tpch_table_lookup(name, &t)) {
            fprintf(stderr, "neuralake generate: no TPC-H table '%s'\n", name);
            return false;
        }
        tables[t] = true;
        p += n + (end != NULL);
    }
    return true;
}

/* Returns 0 or an exit code. */
static int parse_args(int argc, char **argv, gen_args *a) {
    memset(a, 0, sizeof *a);
    a->scale = 1;
    for (int t = 0; t < TPCH_TABLE_COUNT; t++)
        a->tables[t] = true;
    for (int i = 2; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = opt_value(argc, argv, &i, "-s", "--scale", &missing)) != NULL) {
            char *end;
            a->scale = strtod(v, &end);
            if (*end || !(a->scale > 0) || a->scale > TPCH_MAX_SCALE) {
                fprintf(stderr, "neuralake generate: --scale wants a number in (0, %g], not '%s'\n",
                        TPCH_MAX_SCALE, v);
                return CLI_EXIT_USAGE;
            }
        } else if (!missing && (v = opt_value(argc, argv, &i, "-o", "--out", &missing)) != NULL) {
            a->out = v;
        } else if (!missing &&
                   (v = opt_value(argc, argv, &i, "-t", "--tables", &missing)) != NULL) {
            if (!parse_tables(v, a->tables)) {
                fprintf(stderr, "neuralake generate: bad --tables '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
        } else if (!missing &&
                   (v = opt_value(argc, argv, &i, "-f", "--format", &missing)) != NULL) {
            if (strcmp(v, "parquet") == 0) {
                a->format = FORMAT_PARQUET;
            } else if (strcmp(v, "tbl") == 0) {
                a->format = FORMAT_TBL;
            } else {
                fprintf(stderr, "neuralake generate: --format is parquet or tbl, not '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
        } else if (!missing &&
                   (v = opt_value(argc, argv, &i, "-j", "--threads", &missing)) != NULL) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 1024) {
                fprintf(stderr, "neuralake generate: --threads wants 1..1024, not '%s'\n", v);
                return CLI_EXIT_USAGE;
            }
            a->threads = (int)n;
        } else if (!missing && (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)) {
            a->quiet = true;
        } else if (missing) {
            fprintf(stderr, "neuralake generate: %s needs a value\n", argv[i]);
            return CLI_EXIT_USAGE;
        } else {
            fprintf(stderr, "neuralake generate: unknown option '%s' (try --help)\n", argv[i]);
            return CLI_EXIT_USAGE;
        }
    }
    if (a->out == NULL) {
        fprintf(stderr, "neuralake generate: --out DIR is required (try --help)\n");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* mkdir -p for a local directory. */
static bool make_dirs(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) return false;
            buf[i] = c;
        }
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- writing one table ---- */

typedef struct gen_sink {
    tpch_table table;
    pq_writer *writer; /* Parquet, or */
    FILE *tbl;         /* .tbl text */
    int64_t rows;
    int64_t rows_expected;
    bool progress;
    double started, last_shown;
} gen_sink;

static void show_progress(gen_sink *s, bool done) {
    double now = now_seconds();
    if (!done && now - s->last_shown < 0.1) return;
    s->last_shown = now;
    if (done) {
        fprintf(stderr, "\r\033[K  %-9s %12lld rows  %6.2f s\n", tpch_table_name(s->table),
                (long long)s->rows, now - s->started);
    } else {
        double pct = s->rows_expected > 0 ? 100.0 * (double)s->rows / (double)s->rows_expected : 0;
        fprintf(stderr, "\r\033[K  %-9s %12lld rows  %3.0f%%", tpch_table_name(s->table),
                (long long)s->rows, pct > 100 ? 100 : pct);
    }
    fflush(stderr);
}

static nl_status sink_batch(void *ctx, nl_batch *batch, nl_error *err) {
    gen_sink *s = ctx;
    if (s->writer != NULL)
        NL_TRY(pq_writer_write_batch(s->writer, batch, err));
    else
        NL_TRY(tpch_write_tbl(s->tbl, batch, err));
    s->rows += batch->num_rows;
    if (s->progress) show_progress(s, false);
    return NL_OK;
}

static nl_status generate_parquet(const tpch_gen *gen, nl_pool *pool, const char *uri, gen_sink *s,
                                  nl_error *err) {
    nl_store *store = NULL;
    NL_TRY(nl_store_open(uri, &store, err));
    nl_schema *schema = tpch_schema(s->table);
    nl_status st = schema ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK) st = pq_writer_open(store, uri, schema, NULL, &s->writer, err);
    if (schema != NULL) nl_schema_unref(schema); /* the writer holds its own */
    if (st == NL_OK) st = tpch_gen_table(gen, s->table, pool, 0, sink_batch, s, err);
    if (st == NL_OK)
        st = pq_writer_close(s->writer, err);
    else
        pq_writer_abort(s->writer); /* leaves nothing at the URI */
    s->writer = NULL;
    nl_store_close(store);
    return st;
}

static nl_status generate_tbl(const tpch_gen *gen, nl_pool *pool, const char *path, gen_sink *s,
                              nl_error *err) {
    s->tbl = fopen(path, "wb");
    if (s->tbl == NULL)
        return nl_error_set(err, NL_EIO, "cannot create '%s': %s", path, strerror(errno));
    nl_status st = tpch_gen_table(gen, s->table, pool, 0, sink_batch, s, err);
    if (fclose(s->tbl) != 0 && st == NL_OK)
        st = nl_error_set(err, NL_EIO, "writing '%s': %s", path, strerror(errno));
    if (st != NL_OK) remove(path);
    return st;
}

static nl_status generate_table(const tpch_gen *gen, const gen_args *a, nl_pool *pool, tpch_table t,
                                bool progress, nl_error *err) {
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.%s", a->out, tpch_table_name(t),
                     a->format == FORMAT_PARQUET ? "parquet" : "tbl");
    if (n < 0 || (size_t)n >= sizeof path)
        return nl_error_set(err, NL_EINVAL, "output path too long");
    gen_sink s = {.table = t,
                  .rows_expected = tpch_gen_rows_estimate(gen, t),
                  .progress = progress,
                  .started = now_seconds()};
    nl_status st = a->format == FORMAT_PARQUET ? generate_parquet(gen, pool, path, &s, err)
                                               : generate_tbl(gen, pool, path, &s, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "%s", path);
        return st;
    }
    if (progress) show_progress(&s, true);
    return NL_OK;
}

/* True for a local directory (a plain path or file://), which is created if
 * missing; object store URIs (s3://...) need no directories. */
static const char *local_dir(const char *out) {
    if (strncmp(out, "file://", 7) == 0) return out + 7;
    return strstr(out, "://") ? NULL : out;
}

static int generate_tpch(const gen_args *a) {
    const char *dir = local_dir(a->out);
    if (dir != NULL && !make_dirs(dir)) {
        fprintf(stderr, "neuralake generate: cannot create directory '%s': %s\n", dir,
                strerror(errno));
        return CLI_EXIT_FAILURE;
    }
    bool progress = !a->quiet && isatty(STDERR_FILENO);
    nl_pool *own_pool = NULL;
    if (a->threads > 0) {
        own_pool = nl_pool_new(a->threads);
        if (own_pool == NULL) {
            fprintf(stderr, "neuralake generate: cannot start %d threads\n", a->threads);
            return CLI_EXIT_FAILURE;
        }
    }
    nl_pool *pool = own_pool ? own_pool : nl_pool_default();
    nl_error err = {0};
    double started = now_seconds();
    if (progress) fprintf(stderr, "TPC-H scale factor %g into %s\n", a->scale, a->out);
    tpch_gen *gen = NULL;
    nl_status st = tpch_gen_new(a->scale, &gen, &err);
    for (int t = 0; st == NL_OK && t < TPCH_TABLE_COUNT; t++)
        if (a->tables[t]) st = generate_table(gen, a, pool, (tpch_table)t, progress, &err);
    tpch_gen_free(gen);
    if (own_pool != NULL) nl_pool_free(own_pool);
    if (st != NL_OK) {
        if (progress) fputc('\n', stderr);
        fprintf(stderr, "neuralake generate: %s\n", err.message);
        return CLI_EXIT_FAILURE;
    }
    if (progress) fprintf(stderr, "done in %.2f s\n", now_seconds() - started);
    return CLI_EXIT_OK;
}

int cli_generate(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        generate_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2) {
        generate_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "tpch") != 0) {
        fprintf(stderr, "neuralake generate: unknown benchmark '%s' (only tpch)\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    gen_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) return rc;
    return generate_tpch(&a);
}
