/*
 * tpch_check.c -- nl-tpch-check SHARED_DIR SF [QUERY...]: runs the 22 TPC-H
 * queries (SHARED_DIR/tpch/queries) on SHARED_DIR/testdata/tpch/SF and
 * compares each result with the answer stored beside the data: strings and
 * dates exactly, decimals to the cent, floats within 1e-9 relative. Exits
 * 77 (skipped) when the shared folder is absent. Prints one line per query
 * with its time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "columnar/arrow_c.h"
#include "columnar/cast.h"
#include "columnar/scalar.h"
#include "exec/query_int.h"
#include "neuralake.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = 0;
    fclose(f);
    return s;
}

static char *cell(const nl_array *a, int64_t i) {
    char buf[256];
    if (a->type->id == NL_TYPE_NULL || !nl_array_is_valid(a, i)) return strdup("");
    switch (a->type->id) {
    case NL_TYPE_UTF8: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        char *r = malloc((size_t)len + 1);
        memcpy(r, s, (size_t)len);
        r[len] = 0;
        return r;
    }
    case NL_TYPE_DATE32: nl_format_date(NL_ARRAY_VALUES(a, int32_t)[i], buf, sizeof buf); break;
    case NL_TYPE_DECIMAL128: nl_format_decimal(nl_array_decimal(a, i), a->type->scale, buf, sizeof buf); break;
    case NL_TYPE_FLOAT64: snprintf(buf, sizeof buf, "%.17g", NL_ARRAY_VALUES(a, double)[i]); break;
    case NL_TYPE_INT64: snprintf(buf, sizeof buf, "%lld", (long long)NL_ARRAY_VALUES(a, int64_t)[i]); break;
    case NL_TYPE_INT32: snprintf(buf, sizeof buf, "%d", NL_ARRAY_VALUES(a, int32_t)[i]); break;
    default: {
        nl_scalar s;
        nl_error e = {0};
        if (nl_scalar_from_array(a, i, &s, &e)) return strdup("?");
        nl_scalar_format(&s, false, buf, sizeof buf);
        nl_scalar_clear(&s);
    }
    }
    return strdup(buf);
}

/* splits a '|' line, removing "quotes" */
static int split(char *line, char **out, int max) {
    int n = 0;
    char *p = line;
    while (n < max) {
        char *start = p, *w = p;
        if (*p == '"') {
            p++;
            start = w = p;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') p++;
                *w++ = *p++;
            }
            if (*p == '"') p++;
        } else {
            while (*p && *p != '|') *w++ = *p++;
        }
        char *end = p;
        out[n++] = start;
        if (*end == '|') {
            *w = 0;
            p = end + 1;
        } else {
            *w = 0;
            break;
        }
    }
    return n;
}

static bool same(const char *exp, const char *got) {
    if (strcmp(exp, got) == 0) return true;
    char *e1, *e2;
    double a = strtod(exp, &e1), b = strtod(got, &e2);
    if (*exp == 0 || *got == 0 || *e1 || *e2) return false;
    const char *dot = strchr(exp, '.');
    int frac = dot ? (int)strlen(dot + 1) : 0;
    if (frac <= 6 && dot) {
        if (fabs(a - b) <= 0.005 + 1e-9 * fabs(a)) return true;
    }
    double tol = fmax(1e-9 * fabs(a), 1e-12);
    if (!dot) tol = fmax(tol, 1e-9);
    return fabs(a - b) <= tol;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: nl-tpch-check SHARED_DIR SF [QUERY...]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/testdata/tpch/%s/lineitem.parquet", argv[1], argv[2]);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        printf("skipped: %s is absent\n", path);
        return 77;
    }
    nl_session *s = nl_session_new(NULL);
    static const char *TABLES[] = {"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"};
    for (size_t t = 0; t < 8; t++) {
        char sql[4096];
        snprintf(sql, sizeof sql, "CREATE VIEW %s AS SELECT * FROM '%s/testdata/tpch/%s/%s.parquet'", TABLES[t],
                 argv[1], argv[2], TABLES[t]);
        nl_error err = {0};
        if (nl_session_execute(s, sql, NULL, &err) != NL_OK) {
            fprintf(stderr, "%s: %s\n", TABLES[t], err.message);
            return 1;
        }
    }
    int failed = 0, passed = 0;
    double total = 0;
    for (int q = 1; q <= 22; q++) {
        if (argc > 3) {
            bool want = false;
            for (int k = 3; k < argc; k++) want |= atoi(argv[k]) == q;
            if (!want) continue;
        }
        snprintf(path, sizeof path, "%s/tpch/queries/q%02d.sql", argv[1], q);
        char *sql = slurp(path);
        snprintf(path, sizeof path, "%s/testdata/tpch/%s/answers/q%02d.csv", argv[1], argv[2], q);
        char *ans = slurp(path);
        if (!sql || !ans) {
            printf("q%02d: missing query or answer\n", q);
            failed++;
            free(sql);
            free(ans);
            continue;
        }
        nl_error err = {0};
        double t0 = now_ms();
        nl_table *t = NULL;
        nl_status st = nl_session_run(s, sql, &t, &err);
        /* rows as text */
        char **cells = NULL;
        int64_t ncells = 0, cap = 0;
        int ncols = t ? t->schema->n_fields : 0;
        for (int64_t bi = 0; t && bi < t->n_batches; bi++) {
            nl_batch *b = t->batches[bi];
            for (int64_t r = 0; r < b->num_rows; r++)
                for (int c = 0; c < b->n_columns; c++) {
                    if (ncells == cap) {
                        cap = cap ? cap * 2 : 256;
                        cells = realloc(cells, sizeof(char *) * (size_t)cap);
                    }
                    cells[ncells++] = cell(b->columns[c], r);
                }
        }
        double ms = now_ms() - t0;
        total += ms;
        nl_table_free(t);
        bool ok = st == NL_OK;
        char why[1024] = "";
        if (!ok) snprintf(why, sizeof why, "%s", err.message);
        /* compare */
        int64_t rows = ncols ? ncells / ncols : 0, erow = 0;
        /* lines, empty ones included (a NULL alone on its row) */
        size_t alen = strlen(ans);
        if (alen && ans[alen - 1] == '\n') ans[--alen] = 0;
        char *cursor = strchr(ans, '\n');
        if (cursor) cursor++;
        char *line;
        while (ok && cursor && (line = strsep(&cursor, "\n"))) {
            char *f[64];
            int nf = split(line, f, 64);
            if (erow >= rows) {
                snprintf(why, sizeof why, "fewer rows than expected (%lld)", (long long)rows);
                ok = false;
                break;
            }
            if (nf != ncols) {
                snprintf(why, sizeof why, "%d columns, expected %d", ncols, nf);
                ok = false;
                break;
            }
            for (int c = 0; c < nf && ok; c++) {
                if (!same(f[c], cells[erow * ncols + c])) {
                    snprintf(why, sizeof why, "row %lld column %d: got '%s', expected '%s'", (long long)erow + 1,
                             c + 1, cells[erow * ncols + c], f[c]);
                    ok = false;
                }
            }
            erow++;
        }
        if (ok && erow != rows) {
            snprintf(why, sizeof why, "%lld rows, expected %lld", (long long)rows, (long long)erow);
            ok = false;
        }
        printf("q%02d %s %8.1f ms %s\n", q, ok ? "ok  " : "FAIL", ms, why);
        fflush(stdout);
        if (ok) passed++;
        else failed++;
        for (int64_t k = 0; k < ncells; k++) free(cells[k]);
        free(cells);
        free(sql);
        free(ans);
    }
    printf("%d passed, %d failed (%.1f ms in all)\n", passed, failed, total);
    nl_session_free(s);
    return failed ? 1 : 0;
}
