/*
 * tpch_bench.c -- times the 22 TPC-H queries in neuralake over Parquet files.
 *
 *   build/release/bench/tpch_bench [--data DIR] [--queries QDIR] [--runs N]
 *                                  [--only q01,q06] [--explain | --analyze]
 *                                  [--mem-gb G]
 *
 * DIR (default /work/data/sf1, else $NL_TPCH_DIR) holds <table>.parquet for the
 * eight TPC-H tables; make scale factor 1 with
 *   neuralake generate tpch --scale 1 --out DIR
 * QDIR defaults to ../shared/tpch/queries beside the source tree. Creates one
 * view per table, then runs each query once to warm up and N times (default 3)
 * timed. Prints one line per query, "qNN <median wall ms> <median cpu ms>
 * <rows> rows", then the total and geometric mean of the medians and the peak
 * resident set (getrusage ru_maxrss). --explain / --analyze print each
 * query's plan (EXPLAIN / EXPLAIN ANALYZE) instead of timing it. The
 * address space is capped at G GB (default 10, 0 = no cap) so that a query
 * that runs away fails with "out of memory" instead of starving the machine. bench/tpch_bench.sh sets these beside
 * DuckDB's and Polars' on the same files. Not a ctest: run it by hand.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "exec/query_int.h"
#include "neuralake.h"

static const char *TABLES[] = {"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"};

static double wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return NULL;
    }
    long n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = 0;
    fclose(f);
    return s;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static bool wanted(const char *only, const char *name) {
    if (!only || !*only) return true;
    size_t len = strlen(name);
    for (const char *p = only; (p = strstr(p, name)) != NULL; p += len)
        if ((p == only || p[-1] == ',') && (p[len] == 0 || p[len] == ',')) return true;
    return false;
}

/* One run; returns wall ms (or -1 on error) and fills *cpu and *rows. */
static double run_once(nl_session *s, const char *sql, double *cpu, int64_t *rows, nl_error *err) {
    nl_table *t = NULL;
    double c0 = cpu_ms(), t0 = wall_ms();
    nl_status st = nl_session_run(s, sql, &t, err);
    double ms = wall_ms() - t0;
    *cpu = cpu_ms() - c0;
    *rows = 0;
    for (int64_t b = 0; t && b < t->n_batches; b++) *rows += t->batches[b]->num_rows;
    nl_table_free(t);
    return st == NL_OK ? ms : -1;
}

int main(int argc, char **argv) {
    const char *data = getenv("NL_TPCH_DIR");
    if (!data) data = "/work/data/sf1";
    const char *qdir = NULL, *only = NULL;
    int runs = 3;
    const char *explain = NULL;
    double mem_gb = 10;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--data") == 0) data = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--queries") == 0) qdir = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0) runs = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--only") == 0) only = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--mem-gb") == 0) mem_gb = atof(argv[++i]);
        else if (strcmp(argv[i], "--explain") == 0) explain = "EXPLAIN ";
        else if (strcmp(argv[i], "--analyze") == 0) explain = "EXPLAIN ANALYZE ";
        else {
            fprintf(stderr, "usage: tpch_bench [--data DIR] [--queries QDIR] [--runs N] [--only q01,q06]"
                            " [--explain | --analyze] [--mem-gb G]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 100) runs = 3;
    if (mem_gb > 0) {
        struct rlimit rl = {.rlim_cur = (rlim_t)(mem_gb * 1073741824.0), .rlim_max = RLIM_INFINITY};
        if (getrlimit(RLIMIT_AS, &rl) == 0) {
            rl.rlim_cur = (rlim_t)(mem_gb * 1073741824.0);
            if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_AS, &rl);
        }
    }
    char path[4096], qbuf[4096];
    if (!qdir) {
        /* this file lives in <src>/bench; the queries in <src>/../shared/tpch/queries */
        const char *shared = getenv("NL_SHARED_DIR");
        if (shared) snprintf(qbuf, sizeof qbuf, "%s/tpch/queries", shared);
        else {
            snprintf(qbuf, sizeof qbuf, "%s", __FILE__);
            char *slash = strrchr(qbuf, '/');
            if (slash) *slash = 0;
            else snprintf(qbuf, sizeof qbuf, ".");
            size_t len = strlen(qbuf);
            snprintf(qbuf + len, sizeof qbuf - len, "/../../shared/tpch/queries");
        }
        qdir = qbuf;
    }
    struct stat sb;
    for (size_t t = 0; t < sizeof TABLES / sizeof *TABLES; t++) {
        snprintf(path, sizeof path, "%s/%s.parquet", data, TABLES[t]);
        if (stat(path, &sb) != 0) {
            fprintf(stderr,
                    "tpch_bench: %s is missing.\nMake TPC-H scale factor 1 with:\n"
                    "  neuralake generate tpch --scale 1 --out %s\n",
                    path, data);
            return 2;
        }
    }
    if (snprintf(path, sizeof path, "%s/q01.sql", qdir) >= (int)sizeof path || stat(path, &sb) != 0) {
        fprintf(stderr, "tpch_bench: no queries in %s (use --queries QDIR)\n", qdir);
        return 2;
    }
    nl_session *s = nl_session_new(NULL);
    for (size_t t = 0; t < sizeof TABLES / sizeof *TABLES; t++) {
        char sql[8192];
        snprintf(sql, sizeof sql, "CREATE VIEW %s AS SELECT * FROM '%s/%s.parquet'", TABLES[t], data, TABLES[t]);
        nl_error err = {0};
        if (nl_session_execute(s, sql, NULL, &err) != NL_OK) {
            fprintf(stderr, "tpch_bench: %s: %s\n", TABLES[t], err.message);
            nl_session_free(s);
            return 1;
        }
    }
    printf("# neuralake  data=%s  runs=%d after 1 warm-up\n", data, runs);
    double total = 0, total_cpu = 0, logsum = 0;
    int ok = 0, failed = 0;
    double *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
    for (int q = 1; q <= 22; q++) {
        char name[16];
        snprintf(name, sizeof name, "q%02d", q % 100);
        if (!wanted(only, name)) continue;
        char *sql = snprintf(path, sizeof path, "%s/%s.sql", qdir, name) < (int)sizeof path ? slurp(path) : NULL;
        if (!sql) {
            printf("%s FAILED cannot read %s\n", name, path);
            failed++;
            continue;
        }
        nl_error err = {0};
        if (explain) {
            size_t len = strlen(explain) + strlen(sql) + 1;
            char *e = malloc(len);
            snprintf(e, len, "%s%s", explain, sql);
            printf("-- %s\n", name);
            fflush(stdout);
            nl_table *t = NULL;
            if (nl_session_run(s, e, &t, &err) != NL_OK) printf("%s FAILED %s\n", name, err.message);
            for (int64_t b = 0; t && b < t->n_batches; b++)
                for (int64_t r = 0; r < t->batches[b]->num_rows; r++) {
                    int32_t len = 0;
                    const char *line = nl_array_str(t->batches[b]->columns[0], r, &len);
                    printf("%.*s\n", (int)len, line);
                }
            nl_table_free(t);
            fflush(stdout);
            free(e);
            free(sql);
            continue;
        }
        int64_t rows = 0;
        double c;
        if (run_once(s, sql, &c, &rows, &err) < 0) {
            printf("%s FAILED %s\n", name, err.message);
            fflush(stdout);
            failed++;
            free(sql);
            continue;
        }
        bool bad = false;
        for (int r = 0; r < runs && !bad; r++) {
            int64_t n;
            wall[r] = run_once(s, sql, &cpu[r], &n, &err);
            bad = wall[r] < 0;
        }
        free(sql);
        if (bad) {
            printf("%s FAILED %s\n", name, err.message);
            failed++;
            continue;
        }
        double w = median(wall, runs), cm = median(cpu, runs);
        printf("%s %9.1f ms %9.1f cpu-ms %7lld rows\n", name, w, cm, (long long)rows);
        fflush(stdout);
        total += w;
        total_cpu += cm;
        logsum += log(w > 0.01 ? w : 0.01);
        ok++;
    }
    free(wall);
    free(cpu);
    nl_session_free(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (ok)
        printf("total %.1f ms  geomean %.2f ms  (%d/%d queries)  cpu %.1f ms  peak-rss %.0f MB\n", total,
               exp(logsum / ok), ok, ok + failed, total_cpu, (double)ru.ru_maxrss / 1024.0);
    return failed ? 1 : 0;
}
