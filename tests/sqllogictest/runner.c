/*
 * runner.c -- nl-sqllogictest FILE...: runs SQL logic test files against a
 * fresh neuralake session per file.
 *
 * The format is SQLite's: records separated by blank lines;
 *   statement ok | statement error [expected message]
 *   query <types I/R/T> [nosort|rowsort|valuesort] [label]  ... ---- results
 *   hash-threshold N, halt, skipif THIS_ENGINE, onlyif THIS_ENGINE, # comments
 * plus DuckDB's and DataFusion's `statement error` followed by the SQL, a
 * `----` line and the text the error message must contain. Results may be
 * written one value per line (SQLite) or one row per line with values
 * separated by tabs (DuckDB); NULL is "NULL", the empty string "(empty)",
 * R values print with 3 decimals. Prints failures with FILE:LINE and ends
 * with "N passed, N failed".
 */
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columnar/arrow_c.h"
#include "columnar/cast.h"
#include "columnar/scalar.h"
#include "exec/query_int.h"
#include "neuralake.h"

static const char *THIS_ENGINE = "neuralake";

typedef struct lines {
    char **v;
    int n, cap;
} lines;

static void lines_push(lines *l, char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, sizeof(char *) * (size_t)l->cap);
        if (!l->v) abort();
    }
    l->v[l->n++] = s;
}

static void lines_free(lines *l) {
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static char *trim_right(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
    return s;
}

/* ---- formatting values ---- */

static char *format_value(const nl_array *a, int64_t i, char letter) {
    char buf[512];
    if (a->type->id == NL_TYPE_NULL || !nl_array_is_valid(a, i)) return strdup("NULL");
    nl_type_id id = a->type->id;
    double d = 0;
    bool numeric = true;
    switch (id) {
    case NL_TYPE_BOOL:
        if (letter == 'I' || letter == 'R') {
            snprintf(buf, sizeof buf, "%d", nl_array_bool(a, i) ? 1 : 0);
            return strdup(buf);
        }
        return strdup(nl_array_bool(a, i) ? "true" : "false");
    case NL_TYPE_INT8: d = NL_ARRAY_VALUES(a, int8_t)[i]; break;
    case NL_TYPE_INT16: d = NL_ARRAY_VALUES(a, int16_t)[i]; break;
    case NL_TYPE_INT32: d = NL_ARRAY_VALUES(a, int32_t)[i]; break;
    case NL_TYPE_INT64: {
        int64_t v = NL_ARRAY_VALUES(a, int64_t)[i];
        if (letter == 'R') snprintf(buf, sizeof buf, "%.3f", (double)v);
        else snprintf(buf, sizeof buf, "%lld", (long long)v);
        return strdup(buf);
    }
    case NL_TYPE_UINT8: d = NL_ARRAY_VALUES(a, uint8_t)[i]; break;
    case NL_TYPE_UINT16: d = NL_ARRAY_VALUES(a, uint16_t)[i]; break;
    case NL_TYPE_UINT32: d = NL_ARRAY_VALUES(a, uint32_t)[i]; break;
    case NL_TYPE_UINT64: {
        uint64_t v = NL_ARRAY_VALUES(a, uint64_t)[i];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
        return strdup(buf);
    }
    case NL_TYPE_FLOAT32: d = NL_ARRAY_VALUES(a, float)[i]; break;
    case NL_TYPE_FLOAT64: d = NL_ARRAY_VALUES(a, double)[i]; break;
    case NL_TYPE_DECIMAL128: {
        __int128 v = nl_array_decimal(a, i);
        if (letter == 'R') {
            double x = (double)v;
            for (int k = 0; k < a->type->scale; k++) x /= 10;
            snprintf(buf, sizeof buf, "%.3f", x);
        } else if (letter == 'I') {
            __int128 p = 1;
            for (int k = 0; k < a->type->scale; k++) p *= 10;
            nl_format_decimal(v / p, 0, buf, sizeof buf);
        } else {
            nl_format_decimal(v, a->type->scale, buf, sizeof buf);
        }
        return strdup(buf);
    }
    default: numeric = false; break;
    }
    if (numeric) {
        bool integral = nl_type_is_integer(id);
        if (letter == 'R' || (!integral && letter != 'I' && letter != 'T')) snprintf(buf, sizeof buf, "%.3f", d);
        else if (letter == 'I' && !integral) snprintf(buf, sizeof buf, "%lld", (long long)d);
        else if (!integral) nl_format_double(d, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "%lld", (long long)d);
        return strdup(buf);
    }
    if (id == NL_TYPE_UTF8 || id == NL_TYPE_BINARY) {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        if (len == 0) return strdup("(empty)");
        char *r = malloc((size_t)len + 1);
        if (!r) abort();
        memcpy(r, s, (size_t)len);
        r[len] = 0;
        for (int32_t k = 0; k < len; k++)
            if (r[k] == '\n' || r[k] == '\t' || r[k] == '\r') r[k] = ' ';
        return r;
    }
    if (id == NL_TYPE_DATE32) {
        nl_format_date(NL_ARRAY_VALUES(a, int32_t)[i], buf, sizeof buf);
        return strdup(buf);
    }
    if (id == NL_TYPE_TIMESTAMP) {
        nl_format_timestamp(NL_ARRAY_VALUES(a, int64_t)[i], a->type->unit, buf, sizeof buf);
        return strdup(buf);
    }
    nl_scalar s;
    nl_error err = {0};
    if (nl_scalar_from_array(a, i, &s, &err) != NL_OK) return strdup("?");
    nl_scalar_format(&s, false, buf, sizeof buf);
    nl_scalar_clear(&s);
    return strdup(buf);
}

/* ---- running ---- */

typedef struct result {
    int ncols;
    lines vals; /* row-major */
} result;

static nl_status run_sql(nl_session *s, const char *sql, const char *types, result *res, nl_error *err) {
    nl_table *t = NULL;
    nl_status st = nl_session_run(s, sql, res ? &t : NULL, err);
    if (st || !res) return st;
    res->ncols = t->schema->n_fields;
    for (int64_t bi = 0; bi < t->n_batches; bi++) {
        nl_batch *b = t->batches[bi];
        for (int64_t r = 0; r < b->num_rows; r++)
            for (int32_t c = 0; c < b->n_columns; c++) {
                char letter = types && c < (int)strlen(types) ? types[c] : 'T';
                lines_push(&res->vals, format_value(b->columns[c], r, letter));
            }
    }
    nl_table_free(t);
    return st;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct row {
    char **v;
    int n;
} row;

static int cmp_row(const void *a, const void *b) {
    const row *x = a, *y = b;
    for (int i = 0; i < x->n && i < y->n; i++) {
        int c = strcmp(x->v[i], y->v[i]);
        if (c) return c;
    }
    return x->n - y->n;
}

static void md5_values(lines *vals, char *hex) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
    for (int i = 0; i < vals->n; i++) {
        EVP_DigestUpdate(ctx, vals->v[i], strlen(vals->v[i]));
        EVP_DigestUpdate(ctx, "\n", 1);
    }
    unsigned char md[16];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", md[i]);
}

typedef struct stats {
    int passed, failed, skipped;
} stats;

static void fail(stats *st, const char *file, int line, const char *fmt, const char *a, const char *b) {
    st->failed++;
    fprintf(stderr, "%s:%d: ", file, line);
    fprintf(stderr, fmt, a ? a : "", b ? b : "");
    fprintf(stderr, "\n");
}

static bool has_word(const char *line, const char *w) {
    size_t n = strlen(w);
    return strncmp(line, w, n) == 0 && (line[n] == 0 || line[n] == ' ' || line[n] == '\t');
}

/* `query ... label`: every result with the same label must hash the same */
typedef struct label_map {
    char **names, **hashes;
    int n, cap;
} label_map;

static const char *label_find(const label_map *m, const char *name) {
    for (int i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0) return m->hashes[i];
    return NULL;
}

static void label_add(label_map *m, const char *name, const char *hash) {
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->names = realloc(m->names, sizeof(char *) * (size_t)m->cap);
        m->hashes = realloc(m->hashes, sizeof(char *) * (size_t)m->cap);
        if (!m->names || !m->hashes) abort();
    }
    m->names[m->n] = strdup(name);
    m->hashes[m->n++] = strdup(hash);
}

static void label_free(label_map *m) {
    for (int i = 0; i < m->n; i++) {
        free(m->names[i]);
        free(m->hashes[i]);
    }
    free(m->names);
    free(m->hashes);
    memset(m, 0, sizeof *m);
}

static int run_file(const char *path, stats *total) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        total->failed++;
        return 1;
    }
    lines all = {0};
    char *buf = NULL;
    size_t cap = 0;
    while (getline(&buf, &cap, f) >= 0) lines_push(&all, strdup(trim_right(buf)));
    free(buf);
    fclose(f);
    nl_session *s = nl_session_new(NULL);
    int hash_threshold = 0;
    label_map labels = {0};
    int i = 0;
    while (i < all.n) {
        char *l = all.v[i];
        if (l[0] == 0 || l[0] == '#') {
            i++;
            continue;
        }
        int rec_line = i + 1;
        bool skip = false;
        while (has_word(all.v[i], "skipif") || has_word(all.v[i], "onlyif")) {
            char eng[64] = "";
            sscanf(all.v[i] + 6, " %63s", eng);
            if (has_word(all.v[i], "skipif") && strcmp(eng, THIS_ENGINE) == 0) skip = true;
            if (has_word(all.v[i], "onlyif") && strcmp(eng, THIS_ENGINE) != 0) skip = true;
            i++;
            if (i >= all.n) break;
        }
        if (i >= all.n) break;
        l = all.v[i];
        if (has_word(l, "halt")) {
            if (!skip) break;
            i++;
            continue;
        }
        if (has_word(l, "hash-threshold")) {
            hash_threshold = atoi(l + 14);
            i++;
            continue;
        }
        bool is_stmt = has_word(l, "statement"), is_query = has_word(l, "query");
        if (!is_stmt && !is_query) {
            /* unknown record (require, mode, loop ...): skip it */
            while (i < all.n && all.v[i][0]) i++;
            continue;
        }
        char kind[32] = "", types[64] = "", sort[32] = "", label[128] = "";
        char header[1024];
        snprintf(header, sizeof header, "%s", l);
        sscanf(l, "%31s %63s %31s %127s", kind, types, sort, label);
        i++;
        /* the SQL */
        size_t sqlcap = 256, sqllen = 0;
        char *sql = malloc(sqlcap);
        sql[0] = 0;
        while (i < all.n && all.v[i][0] && strcmp(all.v[i], "----") != 0) {
            size_t n = strlen(all.v[i]);
            if (sqllen + n + 2 > sqlcap) {
                sqlcap = (sqllen + n + 2) * 2;
                sql = realloc(sql, sqlcap);
            }
            memcpy(sql + sqllen, all.v[i], n);
            sqllen += n;
            sql[sqllen++] = '\n';
            sql[sqllen] = 0;
            i++;
        }
        lines expected = {0};
        bool has_results = false;
        if (i < all.n && strcmp(all.v[i], "----") == 0) {
            has_results = true;
            i++;
            while (i < all.n && all.v[i][0]) lines_push(&expected, strdup(all.v[i++]));
        }
        if (skip) {
            total->skipped++;
            free(sql);
            lines_free(&expected);
            continue;
        }
        nl_error err = {0};
        if (is_stmt) {
            bool want_error = strcmp(types, "error") == 0;
            nl_status st = run_sql(s, sql, NULL, NULL, &err);
            if (!want_error) {
                if (st) fail(total, path, rec_line, "statement failed: %s%s", err.message, "");
                else total->passed++;
            } else {
                /* expected message: after `statement error` on the line, or after ---- */
                const char *msg = NULL;
                const char *after = header + strlen("statement error");
                while (*after == ' ') after++;
                if (*after) msg = after;
                if (has_results && expected.n) msg = expected.v[0];
                if (st == NL_OK) fail(total, path, rec_line, "statement should have failed%s%s", "", "");
                else if (msg && !strstr(err.message, msg))
                    fail(total, path, rec_line, "error message '%s' does not contain '%s'", err.message, msg);
                else total->passed++;
            }
            free(sql);
            lines_free(&expected);
            continue;
        }
        /* a query */
        if (strcmp(types, "error") == 0) {
            result r = {0};
            nl_status st = run_sql(s, sql, NULL, &r, &err);
            /* the expected message: after `query error` on the line (DataFusion), or after ---- */
            const char *msg = NULL;
            const char *after = header + strlen("query error");
            while (*after == ' ') after++;
            if (*after) msg = after;
            if (expected.n) msg = expected.v[0];
            if (st == NL_OK) fail(total, path, rec_line, "query should have failed%s%s", "", "");
            else if (msg && !strstr(err.message, msg))
                fail(total, path, rec_line, "error message '%s' does not contain '%s'", err.message, msg);
            else total->passed++;
            lines_free(&r.vals);
            free(sql);
            lines_free(&expected);
            continue;
        }
        result r = {0};
        nl_status st = run_sql(s, sql, types, &r, &err);
        if (st) {
            fail(total, path, rec_line, "query failed: %s%s", err.message, "");
            free(sql);
            lines_free(&expected);
            lines_free(&r.vals);
            continue;
        }
        int ncols = r.ncols ? r.ncols : 1;
        int nrows = r.vals.n / ncols;
        if ((int)strlen(types) != r.ncols) {
            char got[32], want[32];
            snprintf(got, sizeof got, "%d", r.ncols);
            snprintf(want, sizeof want, "%d", (int)strlen(types));
            fail(total, path, rec_line, "the query returns %s columns but its types name %s", got, want);
            free(sql);
            lines_free(&expected);
            lines_free(&r.vals);
            continue;
        }
        if (strcmp(sort, "rowsort") == 0 && nrows > 1) {
            row *rows = malloc(sizeof(row) * (size_t)nrows);
            for (int k = 0; k < nrows; k++) rows[k] = (row){r.vals.v + k * ncols, ncols};
            qsort(rows, (size_t)nrows, sizeof(row), cmp_row);
            char **sorted = malloc(sizeof(char *) * (size_t)r.vals.n);
            for (int k = 0; k < nrows; k++) memcpy(sorted + k * ncols, rows[k].v, sizeof(char *) * (size_t)ncols);
            memcpy(r.vals.v, sorted, sizeof(char *) * (size_t)r.vals.n);
            free(sorted);
            free(rows);
        } else if (strcmp(sort, "valuesort") == 0) {
            qsort(r.vals.v, (size_t)r.vals.n, sizeof(char *), cmp_str);
        }
        bool ok;
        char detail[4096] = "";
        char hex[33];
        md5_values(&r.vals, hex);
        char got_hash[128];
        snprintf(got_hash, sizeof got_hash, "%d values hashing to %s", r.vals.n, hex);
        if (expected.n == 1 && strstr(expected.v[0], " values hashing to ")) {
            ok = strcmp(got_hash, expected.v[0]) == 0;
            snprintf(detail, sizeof detail, "got '%s'", got_hash);
        } else {
            /* value-per-line, or row-per-line with tabs */
            ok = false;
            if (expected.n == r.vals.n) {
                ok = true;
                for (int k = 0; k < r.vals.n && ok; k++) ok = strcmp(expected.v[k], r.vals.v[k]) == 0;
            }
            if (!ok && expected.n == nrows) {
                ok = true;
                for (int k = 0; k < nrows && ok; k++) {
                    char rowbuf[8192];
                    size_t o = 0;
                    for (int c = 0; c < ncols; c++)
                        o += (size_t)snprintf(rowbuf + o, sizeof rowbuf - o, "%s%s", c ? "\t" : "", r.vals.v[k * ncols + c]);
                    char *e = expected.v[k];
                    /* tabs or runs of spaces separate values in the expectation */
                    char norm[8192];
                    size_t q = 0;
                    for (size_t z = 0; e[z] && q < sizeof norm - 1; z++) norm[q++] = e[z];
                    norm[q] = 0;
                    ok = strcmp(rowbuf, norm) == 0;
                    if (!ok && ncols > 1) {
                        /* spaces instead of tabs */
                        for (size_t z = 0; rowbuf[z]; z++)
                            if (rowbuf[z] == '\t') rowbuf[z] = ' ';
                        ok = strcmp(rowbuf, norm) == 0;
                    }
                }
            }
            size_t o = 0;
            if (hash_threshold > 0 && r.vals.n > hash_threshold)
                o += (size_t)snprintf(detail + o, sizeof detail - o, "got '%s', ", got_hash);
            o += (size_t)snprintf(detail + o, sizeof detail - o, "got %d rows:", nrows);
            for (int k = 0; k < nrows && k < 20 && o < sizeof detail - 200; k++) {
                o += (size_t)snprintf(detail + o, sizeof detail - o, "\n    ");
                for (int c = 0; c < ncols && o < sizeof detail - 200; c++)
                    o += (size_t)snprintf(detail + o, sizeof detail - o, "%s%s", c ? "\t" : "", r.vals.v[k * ncols + c]);
            }
        }
        if (ok && label[0]) {
            const char *prev = label_find(&labels, label);
            if (!prev) {
                label_add(&labels, label, got_hash);
            } else if (strcmp(prev, got_hash) != 0) {
                ok = false;
                snprintf(detail, sizeof detail, "label '%s': '%s' differs from the earlier '%s'", label, got_hash,
                         prev);
            }
        }
        if (ok) total->passed++;
        else fail(total, path, rec_line, "wrong result for:\n%s  %s", sql, detail);
        free(sql);
        lines_free(&expected);
        lines_free(&r.vals);
    }
    nl_session_free(s);
    label_free(&labels);
    lines_free(&all);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: nl-sqllogictest FILE...\n");
        return 2;
    }
    stats st = {0};
    for (int i = 1; i < argc; i++) run_file(argv[i], &st);
    if (st.skipped) printf("%d passed, %d failed, %d skipped\n", st.passed, st.failed, st.skipped);
    else printf("%d passed, %d failed\n", st.passed, st.failed);
    return st.failed ? 1 : 0;
}
