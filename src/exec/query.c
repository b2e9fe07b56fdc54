/*
 * query.c -- sessions: the statements of a SQL text run one after the other
 * through parse, bind, optimize and execute; the session keeps in-memory
 * tables, views and files opened by queries. The public face is
 * include/neuralake/query.h.
 */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "columnar/arrow_c.h"
#include "columnar/builder.h"
#include "columnar/cast.h"
#include "exec/exec.h"
#include "catalog/catalog.h"
#include "exec/file_table.h"
#include "exec/memtable.h"
#include "neuralake.h"
#include "plan/binder.h"
#include "plan/optimizer.h"
#include "sql/parser.h"
#include "exec/query_int.h"

/* The Arrow C stream bridge lives in columnar/arrow_c.c; until it is part of
 * the build the public entry points report NL_ENOTSUP instead of failing to
 * link. */
#pragma weak nl_stream_export
#pragma weak nl_stream_import

typedef struct sess_table {
    char *name;
    nl_provider *provider; /* owned */
    char *view_sql;        /* a view when set */
} sess_table;

struct nl_session {
    nl_catalog *catalog;
    sess_table *tables;
    int32_t n, cap;
    nl_provider **opened; /* files opened by queries */
    char **opened_paths;
    int *opened_kinds;
    int32_t n_opened, cap_opened;
};

nl_session *nl_session_new(nl_catalog *catalog) {
    nl_session *s = nl_calloc(1, sizeof *s);
    if (s) s->catalog = catalog;
    return s;
}

void nl_session_free(nl_session *s) {
    if (!s) return;
    for (int32_t i = 0; i < s->n; i++) {
        nl_free(s->tables[i].name);
        nl_free(s->tables[i].view_sql);
        if (s->tables[i].provider) s->tables[i].provider->vt->free(s->tables[i].provider);
    }
    nl_free(s->tables);
    for (int32_t i = 0; i < s->n_opened; i++) {
        s->opened[i]->vt->free(s->opened[i]);
        nl_free(s->opened_paths[i]);
    }
    nl_free(s->opened);
    nl_free(s->opened_paths);
    nl_free(s->opened_kinds);
    nl_free(s);
}

void nl_session_names(nl_session *s, void (*fn)(const char *, void *), void *ctx) {
    for (int32_t i = 0; i < s->n; i++) fn(s->tables[i].name, ctx);
}

static int32_t find_table(nl_session *s, const char *name) {
    for (int32_t i = 0; i < s->n; i++)
        if (strcasecmp(s->tables[i].name, name) == 0) return i;
    return -1;
}

static nl_status add_table(nl_session *s, const char *name, nl_provider *p, const char *view_sql,
                           nl_error *err) {
    if (s->n == s->cap) {
        int32_t cap = s->cap ? s->cap * 2 : 8;
        sess_table *nt = nl_realloc(s->tables, sizeof(sess_table) * (size_t)cap);
        if (!nt) {
            if (p) p->vt->free(p);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        s->tables = nt;
        s->cap = cap;
    }
    sess_table t = {nl_strdup(name), p, view_sql ? nl_strdup(view_sql) : NULL};
    if (!t.name || (view_sql && !t.view_sql)) {
        nl_free(t.name);
        nl_free(t.view_sql);
        if (p) p->vt->free(p);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    s->tables[s->n++] = t;
    return NL_OK;
}

static void drop_table(nl_session *s, int32_t i) {
    nl_free(s->tables[i].name);
    nl_free(s->tables[i].view_sql);
    if (s->tables[i].provider) s->tables[i].provider->vt->free(s->tables[i].provider);
    memmove(&s->tables[i], &s->tables[i + 1], sizeof(sess_table) * (size_t)(s->n - i - 1));
    s->n--;
}

/* ---- the binder's environment ---- */

/* Names resolve to the session first (its tables and views shadow the
 * catalog's), then to the catalog: "db.table", or a bare "table" in the
 * catalog's default database. "memory" and "main" name the session. */
static nl_status env_lookup(void *ctx, const char *db, const char *name, nl_provider **provider,
                            const char **view_sql, nl_error *err) {
    nl_session *s = ctx;
    *provider = NULL;
    *view_sql = NULL;
    bool session_db = !db || strcasecmp(db, "memory") == 0 || strcasecmp(db, "main") == 0;
    if (session_db) {
        int32_t i = find_table(s, name);
        if (i >= 0) {
            *provider = s->tables[i].provider;
            *view_sql = s->tables[i].view_sql;
            return NL_OK;
        }
    }
    if (s->catalog && nl_catalog_database_count(s->catalog) > 0) {
        bool ask = !db ? nl_catalog_default_database(s->catalog) != NULL : !session_db;
        for (int32_t d = 0; !ask && db && d < nl_catalog_database_count(s->catalog); d++)
            ask = strcasecmp(nl_catalog_database_name(s->catalog, d), db) == 0;
        /* the catalog's message names what is missing and what exists */
        if (ask) return nl_catalog_lookup(s->catalog, db, name, provider, err);
    }
    if (db) return nl_error_set(err, NL_ENOTFOUND, "table '%s.%s' not found", db, name);
    return nl_error_set(err, NL_ENOTFOUND, "table '%s' not found", name);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* The file kind of a name: its extension, looked at under a compression
 * suffix (.gz, .zst). -1 when it says nothing. */
static int file_kind(const char *path) {
    size_t n = strlen(path);
    static const char *const squeezed[] = {".gz", ".gzip", ".zst", ".zstd", NULL};
    for (int i = 0; squeezed[i]; i++)
        if (ends_with(path, squeezed[i])) {
            n -= strlen(squeezed[i]);
            break;
        }
    static const struct {
        const char *ext;
        int kind;
    } exts[] = {
        {".parquet", NL_TABLE_PARQUET}, {".parq", NL_TABLE_PARQUET}, {".pq", NL_TABLE_PARQUET},
        {".csv", NL_TABLE_CSV},         {".tsv", NL_TABLE_CSV},      {".txt", NL_TABLE_CSV},
        {".ndjson", NL_TABLE_NDJSON},   {".jsonl", NL_TABLE_NDJSON}, {".json", NL_TABLE_NDJSON},
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i].ext);
        if (n >= e && strncasecmp(path + n - e, exts[i].ext, e) == 0) return exts[i].kind;
    }
    return -1;
}

/* A local file or a glob of local files (not a directory, not a URI). */
static bool local_files(const char *path) {
    if (strstr(path, "://")) return false;
    struct stat sb;
    if (stat(path, &sb) == 0) return S_ISREG(sb.st_mode);
    return strpbrk(path, "*?[") != NULL && path[strlen(path) - 1] != '/';
}

static bool is_tsv(const char *path) {
    return ends_with(path, ".tsv") || ends_with(path, ".tsv.gz") || ends_with(path, ".tsv.zst");
}

/* Opens a file, a glob, a directory or an s3:// / https:// URI named in a
 * query: read_parquet / parquet_scan, read_csv / read_csv_auto, read_ndjson /
 * read_json / read_json_auto, or FROM 'x.parquet' | 'x.csv[.gz]' |
 * 'x.ndjson' | 'x.json' by its extension. The same text opened twice in a
 * session is the same table. */
static nl_status env_open(void *ctx, const char *fn, const char *path, nl_provider **provider,
                          nl_error *err) {
    nl_session *s = ctx;
    int kind;
    if (fn) {
        if (strcasecmp(fn, "read_parquet") == 0 || strcasecmp(fn, "parquet_scan") == 0)
            kind = NL_TABLE_PARQUET;
        else if (strcasecmp(fn, "read_csv") == 0 || strcasecmp(fn, "read_csv_auto") == 0)
            kind = NL_TABLE_CSV;
        else if (strcasecmp(fn, "read_ndjson") == 0 || strcasecmp(fn, "read_json") == 0 ||
                 strcasecmp(fn, "read_json_auto") == 0 || strcasecmp(fn, "read_ndjson_auto") == 0)
            kind = NL_TABLE_NDJSON;
        else
            return nl_error_set(err, NL_ESQL, "unknown table function %s()", fn);
    } else {
        kind = file_kind(path);
        struct stat sb;
        if (kind < 0 && ((path[0] && path[strlen(path) - 1] == '/') ||
                         (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))))
            kind = NL_TABLE_PARQUET; /* a directory of Parquet files, maybe partitioned */
        if (kind < 0)
            return nl_error_set(err, NL_ESQL,
                                "cannot tell the format of '%s' from its name (use read_parquet, "
                                "read_csv or read_ndjson)",
                                path);
    }
    for (int32_t i = 0; i < s->n_opened; i++)
        if (s->opened_kinds[i] == kind && strcmp(s->opened_paths[i], path) == 0) {
            *provider = s->opened[i];
            return NL_OK;
        }
    if (s->n_opened == s->cap_opened) {
        int32_t cap = s->cap_opened ? s->cap_opened * 2 : 4;
        nl_provider **np = nl_realloc(s->opened, sizeof(nl_provider *) * (size_t)cap);
        if (np) s->opened = np;
        char **pp = np ? nl_realloc(s->opened_paths, sizeof(char *) * (size_t)cap) : NULL;
        if (pp) s->opened_paths = pp;
        int *kp = pp ? nl_realloc(s->opened_kinds, sizeof(int) * (size_t)cap) : NULL;
        if (kp) s->opened_kinds = kp;
        if (!np || !pp || !kp) return nl_error_set(err, NL_ENOMEM, "out of memory");
        s->cap_opened = cap;
    }
    char *copy = nl_strdup(path);
    NL_CHECK_ALLOC(copy, err);
    nl_provider *p = NULL;
    nl_status st;
    if (kind == NL_TABLE_CSV && is_tsv(path)) {
        nl_csv_options csv = {.delimiter = '\t'};
        st = nl_catalog_open_uri(NL_TABLE_CSV, path, &csv, false, &p, err);
    } else if (kind == NL_TABLE_PARQUET && local_files(path)) {
        /* keeps its files open across queries: faster for repeated scans
         * (TPC-H SF1 q06 0.19 s against 0.31 s through the catalog's) */
        st = exec_parquet_provider(path, &p, err);
    } else {
        st = nl_catalog_open_uri((nl_table_kind)kind, path, NULL, kind == NL_TABLE_PARQUET, &p, err);
    }
    if (st) {
        nl_free(copy);
        return st;
    }
    s->opened[s->n_opened] = p;
    s->opened_paths[s->n_opened] = copy;
    s->opened_kinds[s->n_opened] = kind;
    s->n_opened++;
    *provider = p;
    return NL_OK;
}

/* ---- statements ---- */

/* The text of a plan as a table: one row per line, in a column `plan`. */
static nl_status plan_table(char *text, nl_table **out, nl_error *err) {
    *out = NULL;
    if (!text) return nl_error_set(err, NL_ENOMEM, "out of memory");
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 16);
    if (!b) return nl_error_set(err, NL_ENOMEM, "out of memory");
    int64_t rows = 0;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        nl_builder_append_string(b, p, (int64_t)len);
        rows++;
        p += len + (e ? 1 : 0);
    }
    nl_array *a;
    nl_status st = nl_builder_finish(b, &a, err);
    nl_builder_free(b);
    NL_TRY(st);
    nl_field f = {.name = "plan", .type = nl_type_get(NL_TYPE_UTF8), .nullable = false};
    nl_schema *sc = nl_schema_new(&f, 1);
    if (!sc) {
        nl_array_unref(a);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_batch *batch = NULL;
    NL_TRY(nl_batch_new(sc, &a, rows, &batch, err));
    *out = nl_table_new(nl_schema_ref(batch->schema));
    if (!*out) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    else st = nl_table_append(*out, batch, err);
    nl_batch_unref(batch);
    if (st) {
        nl_table_free(*out);
        *out = NULL;
    }
    return st;
}

static nl_status run_query(nl_session *s, const sql_query *q, bool explain, bool analyze,
                           nl_table **out, nl_error *err) {
    pl_ctx ctx;
    NL_TRY(pl_ctx_init(&ctx, err));
    bind_env env = {.ctx = s, .lookup = env_lookup, .open = env_open};
    pl_node *plan = NULL;
    nl_status st = bind_query_plan(&ctx, &env, q, &plan, err);
    if (st == NL_OK) st = opt_optimize(&ctx, &plan, err);
    if (st == NL_OK) st = exec_prepare(&ctx, plan, err);
    if (st == NL_OK && explain && !analyze) {
        exec_release(plan);
        char *text = pl_explain(plan, false);
        st = plan_table(text, out, err);
        nl_free(text);
    } else if (st == NL_OK) {
        st = exec_run(plan, analyze, out, err);
        if (st == NL_OK && analyze) {
            nl_table_free(*out);
            *out = NULL;
            char *text = pl_explain(plan, true);
            st = plan_table(text, out, err);
            nl_free(text);
        }
    } else if (plan) {
        exec_release(plan);
    }
    pl_ctx_clear(&ctx);
    return st;
}

static nl_status count_table(int64_t n, const char *name, nl_table **out, nl_error *err) {
    nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_INT64), 1);
    NL_CHECK_ALLOC(b, err);
    nl_builder_append_int(b, n);
    nl_array *a;
    nl_status st = nl_builder_finish(b, &a, err);
    nl_builder_free(b);
    NL_TRY(st);
    nl_field f = {.name = (char *)name, .type = nl_type_get(NL_TYPE_INT64), .nullable = false};
    nl_schema *sc = nl_schema_new(&f, 1);
    if (!sc) {
        nl_array_unref(a);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_batch *batch;
    NL_TRY(nl_batch_new(sc, &a, 1, &batch, err));
    *out = nl_table_new(nl_schema_ref(batch->schema));
    if (!*out) {
        nl_batch_unref(batch);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    st = nl_table_append(*out, batch, err);
    nl_batch_unref(batch);
    return st;
}

/* Casts a result's columns to the table's types and appends them (INSERT):
 * all of them or, when a value does not cast, none. */
static nl_status conform(nl_table *rows, nl_schema *to, const int32_t *map, nl_provider *dst,
                         nl_error *err) {
    nl_batch **done = nl_calloc((size_t)rows->n_batches + 1, sizeof(nl_batch *));
    NL_CHECK_ALLOC(done, err);
    nl_status st = NL_OK;
    for (int64_t bi = 0; bi < rows->n_batches && st == NL_OK; bi++) {
        nl_batch *b = rows->batches[bi];
        nl_array **cols = nl_calloc((size_t)to->n_fields + 1, sizeof(nl_array *));
        if (!cols) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        for (int32_t c = 0; c < to->n_fields && st == NL_OK; c++) {
            int32_t src = map ? map[c] : c;
            if (src < 0) {
                st = nl_array_new_nulls(to->fields[c].type, b->num_rows, &cols[c], err);
            } else if (nl_type_equals(b->columns[src]->type, to->fields[c].type)) {
                cols[c] = nl_array_ref(b->columns[src]);
            } else {
                st = nl_cast(b->columns[src], to->fields[c].type, NL_CAST_STRICT, &cols[c], err);
                if (st) nl_error_prefix(err, "column '%s'", to->fields[c].name);
            }
        }
        if (st == NL_OK) st = nl_batch_new(nl_schema_ref(to), cols, b->num_rows, &done[bi], err);
        else
            for (int32_t c = 0; c < to->n_fields; c++) nl_array_unref(cols[c]);
        nl_free(cols);
    }
    for (int64_t bi = 0; bi < rows->n_batches && st == NL_OK; bi++) st = exec_memtable_append(dst, done[bi], err);
    for (int64_t bi = 0; bi < rows->n_batches; bi++) nl_batch_unref(done[bi]);
    nl_free(done);
    return st;
}

static const char *stmt_name(const sql_stmt *st) { return st->names[st->n_names - 1]; }

static nl_status check_db(const sql_stmt *st, nl_error *err) {
    if (st->n_names == 2 && strcasecmp(st->names[0], "memory") != 0 && strcasecmp(st->names[0], "main") != 0)
        return nl_error_set(err, NL_ENOTSUP,
                            "line %d:%d: tables can only be created in the session (not in '%s')",
                            st->line, st->col, st->names[0]);
    return NL_OK;
}

static nl_status run_stmt(nl_session *s, const sql_stmt *st, nl_table **out, nl_error *err) {
    *out = NULL;
    switch (st->kind) {
    case SQL_S_QUERY: return run_query(s, st->query, false, false, out, err);
    case SQL_S_EXPLAIN:
        if (st->inner->kind != SQL_S_QUERY)
            return nl_error_set(err, NL_ENOTSUP, "line %d:%d: EXPLAIN works on queries only", st->line, st->col);
        return run_query(s, st->inner->query, true, st->analyze, out, err);
    case SQL_S_SET: return NL_OK;
    case SQL_S_CREATE_VIEW: {
        NL_TRY(check_db(st, err));
        int32_t i = find_table(s, stmt_name(st));
        if (i >= 0) {
            if (st->if_not_exists) return NL_OK;
            if (!st->or_replace || !s->tables[i].view_sql)
                return nl_error_set(err, NL_EEXISTS, "line %d:%d: '%s' already exists", st->line, st->col,
                                    stmt_name(st));
        }
        /* check that it binds now; store the query's own text (with its
         * column names: SELECT * FROM (query) AS name(columns)) */
        if (!st->body) return nl_error_set(err, NL_ESQL, "line %d:%d: CREATE VIEW needs AS", st->line, st->col);
        nl_strbuf sb = NL_STRBUF_INIT;
        if (st->n_insert_cols) {
            nl_strbuf_puts(&sb, "SELECT * FROM (");
            nl_strbuf_puts(&sb, st->body);
            nl_strbuf_puts(&sb, "\n) AS \"view\"(");
            for (int32_t c = 0; c < st->n_insert_cols; c++) {
                nl_strbuf_puts(&sb, c ? ", \"" : "\"");
                for (const char *q = st->insert_cols[c]; *q; q++) {
                    if (*q == '"') nl_strbuf_putc(&sb, '"');
                    nl_strbuf_putc(&sb, *q);
                }
                nl_strbuf_putc(&sb, '"');
            }
            nl_strbuf_putc(&sb, ')');
        } else {
            nl_strbuf_puts(&sb, st->body);
        }
        char *as = nl_strbuf_take(&sb);
        if (!as) return nl_error_set(err, NL_ENOMEM, "out of memory");
        pl_ctx ctx;
        nl_status rc = pl_ctx_init(&ctx, err);
        if (rc == NL_OK) {
            bind_env env = {.ctx = s, .lookup = env_lookup, .open = env_open};
            pl_node *plan;
            sql_query *vq = NULL;
            rc = sql_parse_query_text(ctx.arena, as, &vq, err);
            if (rc == NL_OK) rc = bind_query_plan(&ctx, &env, vq, &plan, err);
            if (rc) nl_error_prefix(err, "line %d:%d: in view '%s'", st->line, st->col, stmt_name(st));
            pl_ctx_clear(&ctx);
        }
        if (rc == NL_OK && i >= 0) drop_table(s, i);
        if (rc == NL_OK) rc = add_table(s, stmt_name(st), NULL, as, err);
        nl_free(as);
        return rc;
    }
    case SQL_S_DROP_TABLE:
    case SQL_S_DROP_VIEW: {
        int32_t i = find_table(s, stmt_name(st));
        bool is_view = st->kind == SQL_S_DROP_VIEW;
        if (i < 0 || (s->tables[i].view_sql != NULL) != is_view) {
            if (st->if_exists) return NL_OK;
            return nl_error_set(err, NL_ENOTFOUND, "line %d:%d: %s '%s' not found", st->line, st->col,
                                is_view ? "view" : "table", stmt_name(st));
        }
        drop_table(s, i);
        return NL_OK;
    }
    case SQL_S_CREATE_TABLE: {
        NL_TRY(check_db(st, err));
        int32_t i = find_table(s, stmt_name(st));
        if (i >= 0) {
            if (st->if_not_exists) return NL_OK;
            if (!st->or_replace)
                return nl_error_set(err, NL_EEXISTS, "line %d:%d: table '%s' already exists", st->line,
                                    st->col, stmt_name(st));
        }
        nl_provider *p = NULL;
        if (st->query) {
            nl_table *rows;
            NL_TRY(run_query(s, st->query, false, false, &rows, err));
            nl_status rc = exec_memtable_new(rows->schema, &p, err);
            for (int64_t b = 0; rc == NL_OK && b < rows->n_batches; b++)
                rc = exec_memtable_append(p, rows->batches[b], err);
            nl_table_free(rows);
            if (rc) {
                if (p) p->vt->free(p);
                return rc;
            }
        } else {
            pl_ctx ctx;
            NL_TRY(pl_ctx_init(&ctx, err));
            nl_field *fs = nl_calloc((size_t)st->n_columns + 1, sizeof(nl_field));
            nl_status rc = fs ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
            for (int32_t c = 0; rc == NL_OK && c < st->n_columns; c++) {
                for (int32_t k = 0; k < c; k++)
                    if (strcasecmp(st->columns[k].name, st->columns[c].name) == 0)
                        rc = nl_error_set(err, NL_ESQL, "line %d:%d: column '%s' is defined twice",
                                          st->columns[c].line, st->columns[c].col, st->columns[c].name);
                nl_type *t = NULL;
                if (rc == NL_OK) rc = bind_type_name(&ctx, st->columns[c].type_name, &t, err);
                if (rc) {
                    if (err->message[0] != 'l')
                        nl_error_prefix(err, "line %d:%d", st->columns[c].line, st->columns[c].col);
                    break;
                }
                fs[c].name = (char *)st->columns[c].name;
                fs[c].type = nl_type_ref(t);
                fs[c].nullable = true;
            }
            nl_schema *sc = NULL;
            if (rc == NL_OK) {
                sc = nl_schema_new(fs, st->n_columns);
                if (!sc) rc = nl_error_set(err, NL_ENOMEM, "out of memory");
            } else if (fs) {
                for (int32_t c = 0; c < st->n_columns; c++)
                    if (fs[c].type) nl_type_unref(fs[c].type);
            }
            nl_free(fs);
            pl_ctx_clear(&ctx);
            NL_TRY(rc);
            rc = exec_memtable_new(sc, &p, err);
            nl_schema_unref(sc);
            NL_TRY(rc);
        }
        if (i >= 0) drop_table(s, i);
        NL_TRY(add_table(s, stmt_name(st), p, NULL, err));
        return NL_OK;
    }
    case SQL_S_INSERT: {
        int32_t i = find_table(s, stmt_name(st));
        if (i < 0 || !s->tables[i].provider || !exec_is_memtable(s->tables[i].provider))
            return nl_error_set(err, NL_ENOTFOUND, "line %d:%d: table '%s' not found (INSERT works on session tables)",
                                st->line, st->col, stmt_name(st));
        nl_provider *p = s->tables[i].provider;
        nl_schema *to = p->schema;
        int32_t *map = NULL;
        int32_t want = to->n_fields;
        if (st->n_insert_cols) {
            map = nl_calloc((size_t)to->n_fields + 1, sizeof(int32_t));
            NL_CHECK_ALLOC(map, err);
            for (int32_t c = 0; c < to->n_fields; c++) map[c] = -1;
            for (int32_t k = 0; k < st->n_insert_cols; k++) {
                int32_t c = nl_schema_find_ci(to, st->insert_cols[k]);
                if (c < 0) {
                    nl_free(map);
                    return nl_error_set(err, NL_ESQL, "line %d:%d: table '%s' has no column '%s'",
                                        st->line, st->col, stmt_name(st), st->insert_cols[k]);
                }
                if (map[c] >= 0) {
                    nl_free(map);
                    return nl_error_set(err, NL_ESQL, "line %d:%d: column '%s' is named twice in INSERT",
                                        st->line, st->col, st->insert_cols[k]);
                }
                map[c] = k;
            }
            want = st->n_insert_cols;
        }
        nl_table *rows;
        nl_status rc = run_query(s, st->query, false, false, &rows, err);
        if (rc) {
            nl_free(map);
            return rc;
        }
        if (rows->schema->n_fields != want) {
            rc = nl_error_set(err, NL_ESQL, "line %d:%d: INSERT gives %d values for %d columns", st->line,
                              st->col, rows->schema->n_fields, want);
        } else {
            rc = conform(rows, to, map, p, err);
            if (rc) nl_error_prefix(err, "line %d:%d: INSERT into '%s'", st->line, st->col, stmt_name(st));
        }
        int64_t n = rows->num_rows;
        nl_table_free(rows);
        nl_free(map);
        NL_TRY(rc);
        return count_table(n, "Count", out, err);
    }
    }
    return nl_error_set(err, NL_EINTERNAL, "unknown statement");
}

nl_status nl_session_run(nl_session *s, const char *sql, nl_table **out, nl_error *err) {
    if (!s || !sql) return nl_error_set(err, NL_EINVAL, "nl_session_execute: no session or no SQL");
    nl_error local = {0};
    if (!err) err = &local;
    nl_arena *arena = nl_arena_new(0);
    NL_CHECK_ALLOC(arena, err);
    sql_stmt **stmts;
    int32_t n;
    nl_status st = sql_parse(arena, sql, &stmts, &n, err);
    nl_table *last = NULL;
    for (int32_t i = 0; st == NL_OK && i < n; i++) {
        nl_table *t = NULL;
        st = run_stmt(s, stmts[i], &t, err);
        if (st == NL_OK) {
            nl_table_free(last);
            last = t;
        }
    }
    nl_arena_free(arena);
    if (st) {
        nl_table_free(last);
        return st;
    }
    if (!out) {
        nl_table_free(last);
        return NL_OK;
    }
    if (!last) {
        nl_field f = {.name = "Success", .type = nl_type_get(NL_TYPE_BOOL), .nullable = true};
        nl_schema *sc = nl_schema_new(&f, 1);
        if (!sc) return nl_error_set(err, NL_ENOMEM, "out of memory");
        last = nl_table_new(sc);
        if (!last) return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    *out = last;
    return NL_OK;
}

nl_status nl_session_execute(nl_session *s, const char *sql, struct ArrowArrayStream *out,
                             nl_error *err) {
    nl_table *t = NULL;
    NL_TRY(nl_session_run(s, sql, out ? &t : NULL, err));
    if (!out) return NL_OK;
    if (!nl_stream_export) {
        nl_table_free(t);
        return nl_error_set(err, NL_ENOTSUP, "the Arrow C stream interface is not built in yet");
    }
    nl_stream *stream;
    NL_TRY(nl_stream_from_table(t, &stream, err));
    return nl_stream_export(stream, out, err);
}

nl_status nl_session_register(nl_session *s, const char *name, struct ArrowArrayStream *data,
                              nl_error *err) {
    if (find_table(s, name) >= 0) {
        if (data && data->release) data->release(data);
        return nl_error_set(err, NL_EEXISTS, "table '%s' already exists", name);
    }
    if (!nl_stream_import) {
        if (data && data->release) data->release(data);
        return nl_error_set(err, NL_ENOTSUP, "the Arrow C stream interface is not built in yet");
    }
    nl_stream *in;
    NL_TRY(nl_stream_import(data, &in, err));
    nl_provider *p;
    nl_status st = exec_memtable_new(in->schema, &p, err);
    if (st) {
        nl_stream_free(in);
        return st;
    }
    for (;;) {
        nl_batch *b = NULL;
        st = nl_stream_next(in, &b, err);
        if (st || !b) break;
        st = exec_memtable_append(p, b, err);
        nl_batch_unref(b);
        if (st) break;
    }
    nl_stream_free(in);
    if (st) {
        p->vt->free(p);
        return st;
    }
    return add_table(s, name, p, NULL, err);
}

nl_status nl_query(nl_catalog *catalog, const char *sql, struct ArrowArrayStream *out, nl_error *err) {
    nl_session *s = nl_session_new(catalog);
    if (!s) return nl_error_set(err, NL_ENOMEM, "out of memory");
    nl_status st = nl_session_execute(s, sql, out, err);
    /* the result holds its own references; the session's tables may go */
    nl_session_free(s);
    return st;
}
