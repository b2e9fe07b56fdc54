/*
 * catalog.c -- the catalog: databases of table definitions, checked and
 * copied when added, and resolved to providers on first use.
 *
 * Declarations are checked when they are added, so a mistake (no uri, a name
 * used twice, a type that does not parse) is reported with the table's name
 * before anything runs. Checks that need the data's schema (does a unique
 * column exist in a Parquet file?) run when the table's provider is first
 * created, with the same kind of message.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "catalog/catalog_impl.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"

/* ---- copying definitions into the catalog's arena ---- */

static const char *astr(nl_arena *a, const char *s, bool *ok) {
    if (!s) return NULL;
    char *c = nl_arena_strdup(a, s);
    if (!c) *ok = false;
    return c;
}

static const char *const *copy_names(nl_arena *a, const char *const *names, bool *ok) {
    if (!names) return NULL;
    size_t n = 0;
    while (names[n]) n++;
    const char **c = nl_arena_calloc(a, n + 1, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) c[i] = astr(a, names[i], ok);
    return c;
}

static void copy_value(nl_arena *a, nl_value *dst, const nl_value *src, bool *ok) {
    *dst = *src;
    dst->s = astr(a, src->s, ok);
    if (src->kind == NL_VALUE_LIST && src->items && src->n_items > 0) {
        nl_value *items = nl_arena_calloc(a, (size_t)src->n_items, sizeof *items);
        if (!items) {
            *ok = false;
            dst->items = NULL;
            dst->n_items = 0;
            return;
        }
        for (int32_t i = 0; i < src->n_items; i++) copy_value(a, &items[i], &src->items[i], ok);
        dst->items = items;
    } else {
        dst->items = NULL;
        if (src->kind != NL_VALUE_LIST) dst->n_items = 0;
    }
}

static bool term_is_end(const nl_filter_term *t) { return !t->column && !t->op; }

static const nl_filter_term *copy_terms(nl_arena *a, const nl_filter_term *terms, bool *ok) {
    if (!terms) return NULL;
    size_t n = 0;
    while (!term_is_end(&terms[n])) n++;
    nl_filter_term *c = nl_arena_calloc(a, n + 1, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        c[i].column = astr(a, terms[i].column, ok);
        c[i].op = astr(a, terms[i].op, ok);
        copy_value(a, &c[i].value, &terms[i].value, ok);
    }
    return c;
}

static const nl_column_def *copy_columns(nl_arena *a, const nl_column_def *cols, bool *ok) {
    if (!cols) return NULL;
    size_t n = 0;
    while (cols[n].name) n++;
    nl_column_def *c = nl_arena_calloc(a, n + 1, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        c[i].name = astr(a, cols[i].name, ok);
        c[i].type = astr(a, cols[i].type, ok);
        c[i].description = astr(a, cols[i].description, ok);
    }
    return c;
}

static const nl_extra_column *copy_extras(nl_arena *a, const nl_extra_column *x, bool *ok) {
    if (!x) return NULL;
    size_t n = 0;
    while (x[n].name) n++;
    nl_extra_column *c = nl_arena_calloc(a, n + 1, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        c[i] = x[i];
        c[i].name = astr(a, x[i].name, ok);
        c[i].type = astr(a, x[i].type, ok);
        copy_value(a, &c[i].value, &x[i].value, ok);
        c[i].inputs = copy_names(a, x[i].inputs, ok);
    }
    return c;
}

/* Expands ${VAR} and ${VAR:-default} from the environment, so one declaration
 * serves a laptop and production ("${NEURALAKE_DATA:-data}/parts.parquet"). */
static nl_status expand_env(nl_arena *a, const char *s, const char **out, nl_error *err) {
    *out = NULL;
    if (!s) return NL_OK;
    nl_strbuf sb = NL_STRBUF_INIT;
    for (const char *p = s; *p;) {
        if (p[0] != '$' || p[1] != '{') {
            nl_strbuf_putc(&sb, *p++);
            continue;
        }
        const char *close = strchr(p + 2, '}');
        if (!close) {
            nl_strbuf_free(&sb);
            return nl_error_set(err, NL_EINVAL, "unterminated ${ in '%s'", s);
        }
        const char *name = p + 2;
        const char *dflt = NULL;
        size_t name_len = (size_t)(close - name);
        const char *sep = strstr(name, ":-");
        if (sep && sep < close) {
            name_len = (size_t)(sep - name);
            dflt = sep + 2;
        }
        char var[128];
        if (name_len == 0 || name_len >= sizeof var) {
            nl_strbuf_free(&sb);
            return nl_error_set(err, NL_EINVAL, "bad variable name in '%s'", s);
        }
        memcpy(var, name, name_len);
        var[name_len] = '\0';
        const char *val = getenv(var);
        if (val && *val) nl_strbuf_puts(&sb, val);
        else if (dflt) nl_strbuf_append(&sb, dflt, (size_t)(close - dflt));
        p = close + 1;
    }
    char *r = sb.data ? nl_strbuf_take(&sb) : (sb.failed ? NULL : nl_strdup(""));
    NL_CHECK_ALLOC(r, err);
    *out = nl_arena_strdup(a, r);
    nl_free(r);
    NL_CHECK_ALLOC(*out, err);
    return NL_OK;
}

static nl_status copy_def(nl_arena *a, const nl_table_def *src, nl_table_def *dst, nl_error *err) {
    bool ok = true;
    *dst = *src;
    dst->name = astr(a, src->name, &ok);
    NL_TRY(expand_env(a, src->uri, &dst->uri, err));
    dst->partition_columns = copy_columns(a, src->partition_columns, &ok);
    dst->columns = copy_columns(a, src->columns, &ok);
    dst->csv.null_values = copy_names(a, src->csv.null_values, &ok);
    dst->data = NULL; /* memory tables hold their data in the provider */
    dst->extra_columns = copy_extras(a, src->extra_columns, &ok);
    dst->description = astr(a, src->description, &ok);
    dst->example_filters = copy_terms(a, src->example_filters, &ok);
    dst->selected_columns = copy_names(a, src->selected_columns, &ok);
    dst->unique_columns = copy_names(a, src->unique_columns, &ok);
    dst->data_input = astr(a, src->data_input, &ok);
    dst->latency_info = astr(a, src->latency_info, &ok);
    dst->example_link = astr(a, src->example_link, &ok);
    dst->owner = astr(a, src->owner, &ok);
    dst->deprecation_message = astr(a, src->deprecation_message, &ok);
    if (!ok) return nl_error_set(err, NL_ENOMEM, "out of memory copying table '%s'", src->name);
    return NL_OK;
}

/* ---- checking definitions ---- */

static const char *kind_name(nl_table_kind k) {
    switch (k) {
    case NL_TABLE_END: return "end";
    case NL_TABLE_PARQUET: return "parquet";
    case NL_TABLE_CSV: return "csv";
    case NL_TABLE_NDJSON: return "ndjson";
    case NL_TABLE_FUNCTION: return "function";
    case NL_TABLE_MEMORY: return "memory";
    case NL_TABLE_DELTA: return "delta";
    case NL_TABLE_HTTP: return "http";
    }
    return "unknown";
}

const char *cat_kind_name(nl_table_kind kind) { return kind_name(kind); }

static nl_status check_types(const nl_column_def *cols, const char *what, bool need_type,
                             nl_error *err) {
    for (size_t i = 0; cols && cols[i].name; i++) {
        if (!cols[i].name[0]) return nl_error_set(err, NL_EINVAL, "%s %zu has an empty name", what, i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcasecmp(cols[i].name, cols[j].name) == 0)
                return nl_error_set(err, NL_EINVAL, "%s '%s' is declared twice", what, cols[i].name);
        if (!cols[i].type) {
            if (need_type)
                return nl_error_set(err, NL_EINVAL, "%s '%s' needs a type", what, cols[i].name);
            continue;
        }
        nl_type *t = NULL;
        nl_status st = cat_type_parse(cols[i].type, &t, err);
        if (st != NL_OK) {
            nl_error_prefix(err, "%s '%s'", what, cols[i].name);
            return st;
        }
        nl_type_unref(t);
    }
    return NL_OK;
}

static bool has_name(const char *const *names, const char *name) {
    for (size_t i = 0; names && names[i]; i++)
        if (strcasecmp(names[i], name) == 0) return true;
    return false;
}

/* Column names a definition declares (columns, partition columns, extras);
 * NULL when the schema is only known from the data. */
static const char **declared_names(const nl_table_def *def, size_t *n_out) {
    bool need_data = def->kind == NL_TABLE_PARQUET || def->kind == NL_TABLE_CSV ||
                     def->kind == NL_TABLE_NDJSON || def->kind == NL_TABLE_DELTA ||
                     def->kind == NL_TABLE_HTTP || def->kind == NL_TABLE_FUNCTION;
    if (need_data && !def->columns) return NULL;
    if (def->kind == NL_TABLE_MEMORY && !def->columns && !def->data) return NULL;
    size_t n = 0;
    for (size_t i = 0; def->columns && def->columns[i].name; i++) n++;
    for (size_t i = 0; !def->columns && def->data && def->data[i].name; i++) n++;
    for (size_t i = 0; def->partition_columns && def->partition_columns[i].name; i++) n++;
    for (size_t i = 0; def->extra_columns && def->extra_columns[i].name; i++) n++;
    const char **names = nl_calloc(n + 1, sizeof *names);
    if (!names) return NULL;
    size_t w = 0;
    for (size_t i = 0; def->columns && def->columns[i].name; i++) names[w++] = def->columns[i].name;
    for (size_t i = 0; !def->columns && def->data && def->data[i].name; i++) names[w++] = def->data[i].name;
    for (size_t i = 0; def->partition_columns && def->partition_columns[i].name; i++)
        names[w++] = def->partition_columns[i].name;
    for (size_t i = 0; def->extra_columns && def->extra_columns[i].name; i++)
        names[w++] = def->extra_columns[i].name;
    *n_out = w;
    return names;
}

static nl_status check_names_against(const char *const *names, const char *const *cols,
                                     const char *what, nl_error *err) {
    for (size_t i = 0; names && names[i]; i++)
        if (!has_name(cols, names[i]))
            return nl_error_set(err, NL_ENOTFOUND, "%s '%s' is not a column of the table", what,
                                names[i]);
    return NL_OK;
}

static nl_status check_filter_terms(const nl_filter_term *terms, const char *const *cols,
                                    nl_error *err) {
    for (size_t i = 0; terms && !term_is_end(&terms[i]); i++) {
        const nl_filter_term *t = &terms[i];
        if (!t->column) {
            if (t->op && strcasecmp(t->op, "or") == 0) continue;
            return nl_error_set(err, NL_EINVAL, "example filter %zu has no column", i + 1);
        }
        if (nl_filter_op_parse(t->op) < 0)
            return nl_error_set(err, NL_EINVAL, "example filter on '%s': unknown operator '%s'",
                                t->column, t->op ? t->op : "(null)");
        if (cols && !has_name(cols, t->column))
            return nl_error_set(err, NL_ENOTFOUND,
                                "example filter on '%s': not a column of the table", t->column);
    }
    return NL_OK;
}

nl_status cat_check_columns(const nl_table_def *def, const char *const *cols, nl_error *err) {
    NL_TRY(check_names_against(def->unique_columns, cols, "unique column", err));
    NL_TRY(check_names_against(def->selected_columns, cols, "selected column", err));
    NL_TRY(check_filter_terms(def->example_filters, cols, err));
    for (size_t i = 0; def->extra_columns && def->extra_columns[i].name; i++)
        NL_TRY(check_names_against(def->extra_columns[i].inputs, cols, "computed column input", err));
    return NL_OK;
}

static nl_status check_def_body(const nl_table_def *def, nl_error *err) {
    switch (def->kind) {
    case NL_TABLE_PARQUET: case NL_TABLE_CSV: case NL_TABLE_NDJSON: case NL_TABLE_DELTA:
    case NL_TABLE_HTTP:
        if (!def->uri || !def->uri[0])
            return nl_error_set(err, NL_EINVAL, "a %s table needs a uri", kind_name(def->kind));
        break;
    case NL_TABLE_FUNCTION:
        if (!def->function)
            return nl_error_set(err, NL_EINVAL, "a function table needs .function");
        break;
    case NL_TABLE_MEMORY:
        if (!def->data && !def->columns)
            return nl_error_set(err, NL_EINVAL, "a memory table needs .data or .columns");
        if (def->data && def->num_rows < 0)
            return nl_error_set(err, NL_EINVAL, "negative num_rows %lld", (long long)def->num_rows);
        break;
    default:
        return nl_error_set(err, NL_EINVAL, "unknown table kind %d", (int)def->kind);
    }
    if (def->kind != NL_TABLE_PARQUET && (def->partitioning || def->partition_columns))
        return nl_error_set(err, NL_EINVAL, "partitioning applies to parquet tables only");
    if (def->partitioning == NL_PARTITION_DIRECTORY && !def->partition_columns)
        return nl_error_set(err, NL_EINVAL,
                            "directory partitioning needs .partition_columns to name the levels");
    if (def->partition_columns && def->partitioning == NL_PARTITION_NONE)
        return nl_error_set(err, NL_EINVAL, "partition columns given without .partitioning");
    bool need_types = def->kind == NL_TABLE_MEMORY || def->kind == NL_TABLE_FUNCTION ||
                      def->kind == NL_TABLE_PARQUET;
    NL_TRY(check_types(def->columns, "column", need_types && !(def->kind == NL_TABLE_MEMORY && def->data), err));
    NL_TRY(check_types(def->partition_columns, "partition column", false, err));
    for (size_t i = 0; def->extra_columns && def->extra_columns[i].name; i++) {
        const nl_extra_column *x = &def->extra_columns[i];
        nl_type *t = NULL;
        nl_status st = cat_type_parse(x->type, &t, err);
        if (st != NL_OK) {
            nl_error_prefix(err, "computed column '%s'", x->name);
            return st;
        }
        nl_type_unref(t);
        if (!x->compute && x->value.kind == NL_VALUE_NONE)
            return nl_error_set(err, NL_EINVAL, "computed column '%s' needs .compute or .value",
                                x->name);
    }
    if (def->deduplicate && (!def->unique_columns || !def->unique_columns[0]))
        return nl_error_set(err, NL_EINVAL, "deduplicate needs .unique_columns");
    size_t n_names = 0;
    const char **names = declared_names(def, &n_names);
    nl_status st = cat_check_columns(def, names, err);
    if (st == NL_OK && names) {
        for (size_t i = 0; i < n_names && st == NL_OK; i++)
            for (size_t j = 0; j < i; j++)
                if (strcasecmp(names[i], names[j]) == 0) {
                    st = nl_error_set(err, NL_EINVAL, "column '%s' is declared twice", names[i]);
                    break;
                }
    }
    nl_free(names);
    return st;
}

static bool valid_name(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (*s == '.' || *s == ' ' || *s == '"' || *s == '\'' || *s == '\n') return false;
    return true;
}

/* ---- the registry ---- */

static cat_db *find_db(const nl_catalog *cat, const char *name) {
    for (int32_t i = 0; i < cat->n_dbs; i++)
        if (strcmp(cat->dbs[i]->name, name) == 0) return cat->dbs[i];
    for (int32_t i = 0; i < cat->n_dbs; i++)
        if (strcasecmp(cat->dbs[i]->name, name) == 0) return cat->dbs[i];
    return NULL;
}

static cat_table *find_table(const cat_db *db, const char *name) {
    for (int32_t i = 0; i < db->n; i++)
        if (strcmp(db->tables[i]->def.name, name) == 0) return db->tables[i];
    for (int32_t i = 0; i < db->n; i++)
        if (strcasecmp(db->tables[i]->def.name, name) == 0) return db->tables[i];
    return NULL;
}

nl_catalog *nl_catalog_new(void) {
    nl_catalog *cat = nl_calloc(1, sizeof *cat);
    if (!cat) return NULL;
    cat->arena = nl_arena_new(0);
    if (!cat->arena) {
        nl_free(cat);
        return NULL;
    }
    pthread_mutex_init(&cat->mu, NULL);
    cat->default_db = -1;
    return cat;
}

static void table_free(cat_table *t) {
    if (!t) return;
    if (t->provider && t->provider->vt->free) t->provider->vt->free(t->provider);
    nl_free(t);
}

void nl_catalog_free(nl_catalog *cat) {
    if (!cat) return;
    for (int32_t i = 0; i < cat->n_dbs; i++) {
        for (int32_t j = 0; j < cat->dbs[i]->n; j++) table_free(cat->dbs[i]->tables[j]);
        nl_free(cat->dbs[i]->tables);
        nl_free(cat->dbs[i]);
    }
    nl_free(cat->dbs);
    nl_arena_free(cat->arena);
    pthread_mutex_destroy(&cat->mu);
    void *handle = cat->dl_handle;
    nl_free(cat);
    cat_unload(handle);
}

static nl_status get_db(nl_catalog *cat, const char *name, cat_db **out, nl_error *err) {
    if (!valid_name(name))
        return nl_error_set(err, NL_EINVAL, "invalid database name '%s'", name ? name : "(null)");
    cat_db *db = find_db(cat, name);
    if (!db) {
        cat_db **dbs = nl_realloc(cat->dbs, sizeof *dbs * ((size_t)cat->n_dbs + 1));
        NL_CHECK_ALLOC(dbs, err);
        cat->dbs = dbs;
        db = nl_calloc(1, sizeof *db);
        NL_CHECK_ALLOC(db, err);
        db->name = nl_arena_strdup(cat->arena, name);
        if (!db->name) {
            nl_free(db);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        cat->dbs[cat->n_dbs++] = db;
        if (cat->default_db < 0) cat->default_db = cat->n_dbs - 1;
    }
    *out = db;
    return NL_OK;
}

static nl_status db_append(cat_db *db, cat_table *t, nl_error *err) {
    if (db->n == db->cap) {
        int32_t cap = db->cap ? db->cap * 2 : 8;
        cat_table **tables = nl_realloc(db->tables, sizeof *tables * (size_t)cap);
        NL_CHECK_ALLOC(tables, err);
        db->tables = tables;
        db->cap = cap;
    }
    db->tables[db->n++] = t;
    return NL_OK;
}

/* Adds checked definitions; `providers[i]` (may be NULL) goes with defs[i]. */
static nl_status add_tables(nl_catalog *cat, const char *dbname, const nl_table_def *defs,
                            size_t n, nl_provider **providers, nl_error *err) {
    cat_db *db = NULL;
    NL_TRY(get_db(cat, dbname, &db, err));
    for (size_t i = 0; i < n; i++) {
        cat_table *t = nl_calloc(1, sizeof *t);
        NL_CHECK_ALLOC(t, err);
        nl_status st = copy_def(cat->arena, &defs[i], &t->def, err);
        if (st == NL_OK) {
            t->db = db->name;
            t->provider = providers ? providers[i] : NULL;
            if (providers) providers[i] = NULL;
            /* Data held in memory gets its computed columns now. */
            if (t->provider && (t->def.extra_columns || t->def.deduplicate)) {
                st = cat_wrap_new(&t->def, t->provider, &t->provider, err);
                if (st != NL_OK) {
                    t->provider = NULL;
                    nl_error_prefix(err, "table '%s.%s'", dbname, t->def.name);
                }
            }
        }
        if (st == NL_OK) st = db_append(db, t, err);
        if (st != NL_OK) {
            table_free(t);
            return st;
        }
    }
    return NL_OK;
}

static nl_status check_defs(const nl_catalog *cat, const char *dbname, const nl_table_def *defs,
                            size_t n, nl_error *err) {
    const cat_db *db = find_db(cat, dbname);
    for (size_t i = 0; i < n; i++) {
        const nl_table_def *d = &defs[i];
        if (!valid_name(d->name))
            return nl_error_set(err, NL_EINVAL,
                                "database '%s': table %zu has %s name '%s' (no dots or spaces)",
                                dbname, i + 1, d->name && d->name[0] ? "an invalid" : "no",
                                d->name ? d->name : "");
        bool dup = db && find_table(db, d->name);
        for (size_t j = 0; j < i && !dup; j++) dup = strcasecmp(defs[j].name, d->name) == 0;
        if (dup)
            return nl_error_set(err, NL_EEXISTS, "table '%s.%s' is declared twice", dbname, d->name);
        nl_status st = check_def_body(d, err);
        if (st != NL_OK) {
            nl_error_prefix(err, "table '%s.%s'", dbname, d->name);
            return st;
        }
    }
    return NL_OK;
}

nl_status nl_catalog_add_database(nl_catalog *cat, const char *name, const nl_table_def *tables,
                                  nl_error *err) {
    if (!cat) return nl_error_set(err, NL_EINVAL, "no catalog");
    if (!valid_name(name))
        return nl_error_set(err, NL_EINVAL, "invalid database name '%s'", name ? name : "(null)");
    size_t n = 0;
    while (tables && (tables[n].kind != NL_TABLE_END || tables[n].name)) n++;
    NL_TRY(check_defs(cat, name, tables, n, err));
    nl_provider **providers = nl_calloc(n + 1, sizeof *providers);
    NL_CHECK_ALLOC(providers, err);
    nl_status st = NL_OK;
    for (size_t i = 0; i < n && st == NL_OK; i++) {
        if (tables[i].kind != NL_TABLE_MEMORY) continue;
        st = cat_memory_from_def(&tables[i], &providers[i], err);
        if (st != NL_OK) nl_error_prefix(err, "table '%s.%s'", name, tables[i].name);
    }
    if (st == NL_OK) st = add_tables(cat, name, tables, n, providers, err);
    for (size_t i = 0; i < n; i++)
        if (providers[i]) providers[i]->vt->free(providers[i]);
    nl_free(providers);
    return st;
}

nl_status nl_catalog_add_table(nl_catalog *cat, const char *db, const nl_table_def *table,
                               nl_error *err) {
    if (!table) return nl_error_set(err, NL_EINVAL, "no table definition");
    nl_table_def defs[2];
    memset(defs, 0, sizeof defs);
    defs[0] = *table;
    return nl_catalog_add_database(cat, db, defs, err);
}

nl_status nl_catalog_add_memory_table(nl_catalog *cat, const char *db, const nl_table_def *table,
                                      struct ArrowArrayStream *data, nl_error *err) {
    if (!cat || !table || !data) {
        if (data && data->release) data->release(data);
        return nl_error_set(err, NL_EINVAL, "nl_catalog_add_memory_table needs a catalog, a table and data");
    }
    nl_table_def def = *table;
    def.kind = NL_TABLE_MEMORY;
    def.data = NULL;
    nl_status st = NL_OK;
    if (!valid_name(db))
        st = nl_error_set(err, NL_EINVAL, "invalid database name '%s'", db ? db : "(null)");
    else if (!valid_name(def.name))
        st = nl_error_set(err, NL_EINVAL, "invalid table name '%s'", def.name ? def.name : "(null)");
    else {
        const cat_db *d = find_db(cat, db);
        if (d && find_table(d, def.name))
            st = nl_error_set(err, NL_EEXISTS, "table '%s.%s' is declared twice", db, def.name);
    }
    if (st != NL_OK) {
        if (data->release) data->release(data);
        return st;
    }
    nl_provider *p = NULL;
    st = cat_memory_from_arrow(data, &p, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "table '%s.%s'", db, def.name);
        return st;
    }
    nl_provider *ps[1] = {p};
    st = add_tables(cat, db, &def, 1, ps, err);
    if (ps[0]) ps[0]->vt->free(ps[0]);
    return st;
}

nl_status nl_catalog_add_arrow_table(nl_catalog *cat, const char *db, const nl_table_def *table,
                                     const struct ArrowSchema *schema, struct ArrowArray *batches,
                                     int32_t n_batches, nl_error *err) {
    nl_status st = NL_OK;
    nl_schema *s = NULL;
    nl_table *t = NULL;
    if (!cat || !table || !schema || (n_batches > 0 && !batches) || n_batches < 0)
        st = nl_error_set(err, NL_EINVAL, "nl_catalog_add_arrow_table needs a catalog, a table, a schema and batches");
    if (st == NL_OK) st = nl_schema_import(schema, &s, err);
    if (st == NL_OK) {
        t = nl_table_new(nl_schema_ref(s));
        if (!t) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int32_t i = 0; i < n_batches; i++) {
        nl_batch *b = NULL;
        if (st == NL_OK) {
            st = nl_batch_import(&batches[i], s, &b, err);
            if (st != NL_OK) nl_error_prefix(err, "batch %d", i);
        }
        if (st == NL_OK) st = nl_table_append(t, b, err);
        nl_batch_unref(b);
        /* Every array is moved, also the ones after a failure. */
        if (batches && batches[i].release) batches[i].release(&batches[i]);
    }
    nl_schema_unref(s);
    nl_provider *p = NULL;
    if (st == NL_OK) {
        st = cat_memory_new(t, &p, err);
        t = NULL;
    }
    nl_table_free(t);
    if (st == NL_OK) {
        nl_table_def def = *table;
        def.kind = NL_TABLE_MEMORY;
        def.data = NULL;
        if (!valid_name(db))
            st = nl_error_set(err, NL_EINVAL, "invalid database name '%s'", db ? db : "(null)");
        else if (!valid_name(def.name))
            st = nl_error_set(err, NL_EINVAL, "invalid table name '%s'", def.name ? def.name : "(null)");
        else if (find_db(cat, db) && find_table(find_db(cat, db), def.name))
            st = nl_error_set(err, NL_EEXISTS, "table '%s.%s' is declared twice", db, def.name);
        nl_provider *ps[1] = {p};
        if (st == NL_OK) st = add_tables(cat, db, &def, 1, ps, err);
        p = ps[0];
    }
    if (p) p->vt->free(p);
    if (st != NL_OK && table && table->name) nl_error_prefix(err, "table '%s.%s'", db ? db : "?", table->name);
    return st;
}

nl_status nl_catalog_set_default_database(nl_catalog *cat, const char *name, nl_error *err) {
    for (int32_t i = 0; i < cat->n_dbs; i++)
        if (strcasecmp(cat->dbs[i]->name, name) == 0) {
            cat->default_db = i;
            return NL_OK;
        }
    return nl_error_set(err, NL_ENOTFOUND, "no database '%s'", name);
}

const char *nl_catalog_default_database(const nl_catalog *cat) {
    if (!cat || cat->default_db < 0) return NULL;
    return cat->dbs[cat->default_db]->name;
}

int32_t nl_catalog_database_count(const nl_catalog *cat) { return cat ? cat->n_dbs : 0; }

const char *nl_catalog_database_name(const nl_catalog *cat, int32_t db) {
    if (!cat || db < 0 || db >= cat->n_dbs) return NULL;
    return cat->dbs[db]->name;
}

int32_t nl_catalog_table_count(const nl_catalog *cat, int32_t db) {
    if (!cat || db < 0 || db >= cat->n_dbs) return 0;
    return cat->dbs[db]->n;
}

const nl_table_def *nl_catalog_table(const nl_catalog *cat, int32_t db, int32_t table) {
    if (!cat || db < 0 || db >= cat->n_dbs || table < 0 || table >= cat->dbs[db]->n) return NULL;
    return &cat->dbs[db]->tables[table]->def;
}

/* ---- resolving names ---- */

static void list_tables(const cat_db *db, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = '\0';
    for (int32_t i = 0; i < db->n && n + 4 < size; i++) {
        int w = snprintf(buf + n, size - n, "%s%s", i ? ", " : "", db->tables[i]->def.name);
        if (w < 0) break;
        n += (size_t)w;
    }
    if (db->n == 0) snprintf(buf, size, "none");
}

nl_status cat_resolve(nl_catalog *cat, const char *dbname, const char *table, cat_table **out,
                      nl_error *err) {
    *out = NULL;
    if (!cat) return nl_error_set(err, NL_EINVAL, "no catalog");
    if (!table || !*table) return nl_error_set(err, NL_EINVAL, "no table name");
    const cat_db *db = NULL;
    if (dbname) {
        db = find_db(cat, dbname);
        if (!db) {
            char names[512];
            size_t n = 0;
            names[0] = '\0';
            for (int32_t i = 0; i < cat->n_dbs && n + 4 < sizeof names; i++) {
                int w = snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", cat->dbs[i]->name);
                if (w < 0) break;
                n += (size_t)w;
            }
            return nl_error_set(err, NL_ENOTFOUND, "no database '%s' (databases: %s)", dbname,
                                cat->n_dbs ? names : "none");
        }
    } else {
        if (cat->default_db < 0)
            return nl_error_set(err, NL_ENOTFOUND, "no table '%s': the catalog is empty", table);
        db = cat->dbs[cat->default_db];
    }
    cat_table *t = find_table(db, table);
    if (!t) {
        char names[512];
        list_tables(db, names, sizeof names);
        return nl_error_set(err, NL_ENOTFOUND, "no table '%s.%s' (tables: %s)", db->name, table,
                            names);
    }
    *out = t;
    return NL_OK;
}

nl_status cat_resolve_name(nl_catalog *cat, const char *name, cat_table **out, nl_error *err) {
    if (!name) return nl_error_set(err, NL_EINVAL, "no table name");
    const char *dot = strchr(name, '.');
    if (!dot) return cat_resolve(cat, NULL, name, out, err);
    char db[256];
    size_t n = (size_t)(dot - name);
    if (n == 0 || n >= sizeof db) return nl_error_set(err, NL_EINVAL, "bad table name '%s'", name);
    memcpy(db, name, n);
    db[n] = '\0';
    return cat_resolve(cat, db, dot + 1, out, err);
}

static nl_status make_provider(nl_catalog *cat, cat_table *t, nl_error *err) {
    const nl_table_def *def = &t->def;
    nl_provider *base = NULL;
    nl_status st;
    switch (def->kind) {
    case NL_TABLE_PARQUET: st = cat_parquet_new(def, &base, err); break;
    case NL_TABLE_CSV: st = cat_csv_new(def, &base, err); break;
    case NL_TABLE_NDJSON: st = cat_ndjson_new(def, &base, err); break;
    case NL_TABLE_FUNCTION: st = cat_function_new(t->db, def, &base, err); break;
    case NL_TABLE_DELTA:
        st = nl_error_set(err, NL_ENOTSUP, "Delta Lake tables are not supported by this build yet");
        break;
    case NL_TABLE_HTTP:
        st = nl_error_set(err, NL_ENOTSUP, "HTTP tables are not supported by this build yet");
        break;
    default: st = nl_error_set(err, NL_EINTERNAL, "table of kind %s has no provider", kind_name(def->kind)); break;
    }
    (void)cat;
    if (st == NL_OK) {
        /* The data's schema is known now: check the names the declaration uses. */
        int32_t n = base->schema->n_fields;
        size_t nx = 0;
        while (def->extra_columns && def->extra_columns[nx].name) nx++;
        const char **names = nl_calloc((size_t)n + nx + 1, sizeof *names);
        if (!names) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t i = 0; names && i < n; i++) names[i] = base->schema->fields[i].name;
        for (size_t i = 0; names && i < nx; i++) names[n + (int32_t)i] = def->extra_columns[i].name;
        if (st == NL_OK) st = cat_check_columns(def, names, err);
        nl_free(names);
        if (st != NL_OK) base->vt->free(base);
    }
    if (st == NL_OK && (def->extra_columns || def->deduplicate)) st = cat_wrap_new(def, base, &base, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "table '%s.%s'", t->db, def->name);
        return st;
    }
    t->provider = base;
    return NL_OK;
}

nl_status cat_table_provider(nl_catalog *cat, cat_table *t, nl_provider **out, nl_error *err) {
    nl_status st = NL_OK;
    pthread_mutex_lock(&cat->mu);
    if (!t->provider) st = make_provider(cat, t, err);
    *out = t->provider;
    pthread_mutex_unlock(&cat->mu);
    if (st == NL_OK && t->def.deprecated && !atomic_exchange(&t->warned, true))
        fprintf(stderr, "neuralake: warning: table '%s.%s' is deprecated%s%s\n", t->db, t->def.name,
                t->def.deprecation_message ? ": " : "",
                t->def.deprecation_message ? t->def.deprecation_message : "");
    return st;
}

nl_status nl_catalog_lookup(nl_catalog *cat, const char *db, const char *table, nl_provider **out,
                            nl_error *err) {
    *out = NULL;
    cat_table *t = NULL;
    NL_TRY(cat_resolve(cat, db, table, &t, err));
    return cat_table_provider(cat, t, out, err);
}

nl_status nl_catalog_lookup_name(nl_catalog *cat, const char *name, nl_provider **out,
                                 nl_error *err) {
    *out = NULL;
    cat_table *t = NULL;
    NL_TRY(cat_resolve_name(cat, name, &t, err));
    return cat_table_provider(cat, t, out, err);
}

nl_status nl_catalog_find(const nl_catalog *cat, const char *name, const nl_table_def **out,
                          nl_error *err) {
    *out = NULL;
    cat_table *t = NULL;
    NL_TRY(cat_resolve_name((nl_catalog *)cat, name, &t, err));
    *out = &t->def;
    return NL_OK;
}

nl_status nl_catalog_register(nl_catalog *cat, const char *db, const char *name,
                              nl_provider *provider, nl_error *err) {
    nl_status st = NL_OK;
    if (!cat || !provider) st = nl_error_set(err, NL_EINVAL, "nl_catalog_register needs a catalog and a provider");
    else if (!valid_name(name)) st = nl_error_set(err, NL_EINVAL, "invalid table name '%s'", name ? name : "(null)");
    else if (!valid_name(db)) st = nl_error_set(err, NL_EINVAL, "invalid database name '%s'", db ? db : "(null)");
    else {
        const cat_db *d = find_db(cat, db);
        if (d && find_table(d, name))
            st = nl_error_set(err, NL_EEXISTS, "table '%s.%s' already exists", db, name);
    }
    if (st == NL_OK) {
        nl_table_def def;
        memset(&def, 0, sizeof def);
        def.kind = NL_TABLE_MEMORY;
        def.name = name;
        nl_provider *ps[1] = {provider};
        st = add_tables(cat, db, &def, 1, ps, err);
        provider = ps[0];
    }
    if (provider && st != NL_OK && provider->vt->free) provider->vt->free(provider);
    return st;
}

nl_status nl_catalog_drop(nl_catalog *cat, const char *db, const char *name, nl_error *err) {
    cat_table *t = NULL;
    NL_TRY(cat_resolve(cat, db, name, &t, err));
    cat_db *d = find_db(cat, t->db);
    for (int32_t i = 0; d && i < d->n; i++)
        if (d->tables[i] == t) {
            memmove(&d->tables[i], &d->tables[i + 1], sizeof *d->tables * (size_t)(d->n - i - 1));
            d->n--;
            break;
        }
    table_free(t);
    return NL_OK;
}
