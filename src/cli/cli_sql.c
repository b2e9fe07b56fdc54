/*
 * cli_sql.c -- what 'neuralake query' and 'neuralake shell' share (see
 * cli_sql.h): running SQL, printing and writing results, reporting errors
 * with a caret under the place in the SQL, and finding where statements end.
 */
#include "cli/cli_sql.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/print.h"
#include "exec/query_int.h"
#include "formats/parquet/writer.h"
#include "io/store.h"

static const struct {
    const char *name;
    cli_format f;
} FORMATS[] = {
    {"table", CLI_FMT_TABLE},   {"csv", CLI_FMT_CSV},           {"json", CLI_FMT_JSON},
    {"ndjson", CLI_FMT_NDJSON}, {"markdown", CLI_FMT_MARKDOWN}, {"md", CLI_FMT_MARKDOWN},
    {"parquet", CLI_FMT_PARQUET},
};

bool cli_parse_format(const char *name, cli_format *out) {
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (strcasecmp(name, FORMATS[i].name) == 0) {
            *out = FORMATS[i].f;
            return true;
        }
    return false;
}

const char *cli_format_name(cli_format f) {
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (FORMATS[i].f == f) return FORMATS[i].name;
    return "?";
}

bool cli_parse_limit(const char *s, int *out) {
    if (strcasecmp(s, "all") == 0 || strcasecmp(s, "none") == 0) {
        *out = INT_MAX;
        return true;
    }
    char *end;
    long long n = strtoll(s, &end, 10);
    if (!*s || *end) return false;
    *out = n < 0 || n > INT_MAX ? INT_MAX : (int)n;
    return true;
}

double cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- errors ---- */

void cli_report_error(FILE *to, const char *sql, const nl_error *err) {
    const char *msg = err->message[0] ? err->message : nl_status_name(err->code);
    fprintf(to, "%s\n", msg);
    int line = 0, col = 0;
    if (!sql || sscanf(msg, "line %d:%d:", &line, &col) != 2 || line < 1 || col < 1) return;
    const char *p = sql;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || !*p) return;
    size_t len = strcspn(p, "\r\n");
    if (len > 400) return; /* a caret under a very long line helps nobody */
    fprintf(to, "  %.*s\n  ", (int)len, p);
    /* the column counts bytes; the caret goes under the character */
    for (size_t i = 0; i + 1 < (size_t)col && i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if ((c & 0xC0) == 0x80) continue;
        fputc(c == '\t' ? '\t' : ' ', to);
    }
    fputs("^\n", to);
}

nl_status cli_run(nl_session *session, const char *sql, nl_table **out) {
    nl_error err = {0};
    nl_status st = nl_session_run(session, sql, out, &err);
    if (st != NL_OK) {
        if (!err.message[0]) err.code = st;
        cli_report_error(stderr, sql, &err);
    }
    return st;
}

/* ---- results ---- */

/* EXPLAIN's plan, one text per row, printed as it is. */
static nl_status print_plan(FILE *out, const nl_table *t) {
    for (int64_t b = 0; b < t->n_batches; b++) {
        const nl_array *a = t->batches[b]->columns[0];
        for (int64_t r = 0; r < a->length; r++) {
            if (!nl_array_is_valid(a, r)) continue;
            int32_t len;
            const char *s = nl_array_str(a, r, &len);
            fwrite(s, 1, (size_t)len, out);
            if (len == 0 || s[len - 1] != '\n') fputc('\n', out);
        }
    }
    return NL_OK;
}

static bool is_plan(const nl_table *t, const char *sql) {
    return sql && t->schema->n_fields == 1 && t->schema->fields[0].type->id == NL_TYPE_UTF8 &&
           cli_sql_last_is(sql, "explain");
}

/* A FILE that writes into an upload (fopencookie). */
typedef struct up_cookie {
    nl_upload *up;
    nl_error *err;
    nl_status st;
} up_cookie;

static ssize_t up_write(void *c, const char *buf, size_t size) {
    up_cookie *u = c;
    if (u->st != NL_OK) return -1;
    u->st = u->up->write(u->up, buf, (int64_t)size, u->err);
    return u->st == NL_OK ? (ssize_t)size : -1;
}

static nl_status write_text(const nl_table *t, const char *sql, cli_format format,
                            const nl_print_options *opts, nl_store *store, const char *path,
                            nl_error *err) {
    nl_upload *up;
    NL_TRY(nl_store_upload_begin(store, path, &up, err));
    up_cookie c = {up, err, NL_OK};
    cookie_io_functions_t fns = {.write = up_write};
    FILE *f = fopencookie(&c, "w", fns);
    if (!f) {
        up->abort(up);
        return nl_error_set(err, NL_EIO, "cannot write '%s'", path);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    nl_status st = format == CLI_FMT_TABLE && is_plan(t, sql)
                       ? print_plan(f, t)
                       : nl_print_table(f, t, (nl_output_format)format, opts, err);
    if (fclose(f) != 0 && st == NL_OK)
        st = c.st != NL_OK ? c.st : nl_error_set(err, NL_EIO, "cannot write '%s'", path);
    if (st == NL_OK && c.st != NL_OK) st = c.st;
    if (st != NL_OK) {
        up->abort(up);
        return st;
    }
    return up->commit(up, err);
}

nl_status cli_emit(const nl_table *t, const char *sql, cli_format format,
                   const nl_print_options *opts, FILE *out, const char *path, nl_error *err) {
    if (!path) {
        if (format == CLI_FMT_PARQUET)
            return nl_error_set(err, NL_EINVAL, "the parquet format needs an output file (-o FILE)");
        if (format == CLI_FMT_TABLE && is_plan(t, sql)) return print_plan(out, t);
        return nl_print_table(out, t, (nl_output_format)format, opts, err);
    }
    nl_store *store;
    NL_TRY(nl_store_open(path, &store, err));
    nl_status st = format == CLI_FMT_PARQUET ? pq_write_table(store, path, t, NULL, err)
                                             : write_text(t, sql, format, opts, store, path, err);
    nl_store_close(store);
    if (st != NL_OK) nl_error_prefix(err, "writing '%s'", path);
    return st;
}

/* ---- where statements end ---- */

typedef struct scan_result {
    const char *last; /* first significant character of the last statement */
    const char *first_end; /* the ';' ending the first statement, or NULL */
    bool open;        /* inside a quote or a block comment at the end */
    bool trailing;    /* a statement without its ';' at the end */
} scan_result;

static scan_result scan(const char *text) {
    scan_result r = {0};
    const char *cur = NULL;
    enum { NORMAL, SQUOTE, DQUOTE, LINE, BLOCK } state = NORMAL;
    for (const char *p = text; *p; p++) {
        char c = *p;
        switch (state) {
        case NORMAL:
            if (c == '-' && p[1] == '-') {
                state = LINE;
                p++;
            } else if (c == '/' && p[1] == '*') {
                state = BLOCK;
                p++;
            } else if (c == ';') {
                if (cur && !r.first_end) r.first_end = p;
                if (cur) r.last = cur;
                cur = NULL;
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
                if (!cur) cur = p;
                if (c == '\'') state = SQUOTE;
                else if (c == '"') state = DQUOTE;
            }
            break;
        case SQUOTE:
            if (c == '\'') state = NORMAL; /* '' reopens at once */
            break;
        case DQUOTE:
            if (c == '"') state = NORMAL;
            break;
        case LINE:
            if (c == '\n') state = NORMAL;
            break;
        case BLOCK:
            if (c == '*' && p[1] == '/') {
                state = NORMAL;
                p++;
            }
            break;
        }
    }
    r.open = state == SQUOTE || state == DQUOTE || state == BLOCK;
    r.trailing = cur != NULL;
    if (cur) r.last = cur;
    return r;
}

bool cli_sql_complete(const char *text) {
    scan_result r = scan(text);
    return !r.open && !r.trailing && r.last;
}

size_t cli_sql_first(const char *text) {
    scan_result r = scan(text);
    return r.first_end ? (size_t)(r.first_end - text) + 1 : strlen(text);
}

bool cli_sql_blank(const char *text) { return scan(text).last == NULL; }

bool cli_sql_last_is(const char *text, const char *keyword) {
    scan_result r = scan(text);
    if (!r.last) return false;
    size_t n = strlen(keyword);
    if (strncasecmp(r.last, keyword, n) != 0) return false;
    char c = r.last[n];
    return !(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}
