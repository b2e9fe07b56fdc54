/*
 * scan.c -- the public scan (nl_catalog_scan): a table read with projection,
 * filters and a limit, through the table's provider, with the filters
 * applied exactly at the end (providers only prune), as an Arrow stream.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/catalog_impl.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"

typedef struct scan_ctx {
    nl_filter_set filters;
    int32_t *out_idx; /* positions in the scanned batch of the output columns */
    int32_t n_out;
    nl_schema *out_schema;
    int64_t remaining; /* -1: no limit */
} scan_ctx;

static void scan_ctx_free(void *p) {
    scan_ctx *c = p;
    if (!c) return;
    nl_filter_set_clear(&c->filters);
    nl_free(c->out_idx);
    nl_schema_unref(c->out_schema);
    nl_free(c);
}

static nl_status scan_map(void *p, nl_batch *in, nl_batch **out, bool *done, nl_error *err) {
    scan_ctx *c = p;
    *out = NULL;
    if (c->remaining == 0) {
        *done = true;
        return NL_OK;
    }
    nl_batch *f = NULL;
    NL_TRY(cat_filter_batch(&c->filters, in, &f, err));
    if (f->num_rows == 0) {
        nl_batch_unref(f);
        return NL_OK;
    }
    nl_array **cols = nl_calloc((size_t)c->n_out + 1, sizeof *cols);
    if (!cols) {
        nl_batch_unref(f);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int32_t i = 0; i < c->n_out; i++) cols[i] = nl_array_ref(f->columns[c->out_idx[i]]);
    nl_batch *r = NULL;
    nl_status st = nl_batch_new(nl_schema_ref(c->out_schema), cols, f->num_rows, &r, err);
    nl_free(cols);
    nl_batch_unref(f);
    NL_TRY(st);
    if (c->remaining > 0 && r->num_rows >= c->remaining) {
        if (r->num_rows > c->remaining) {
            nl_batch *s = nl_batch_slice(r, 0, c->remaining);
            nl_batch_unref(r);
            if (!s) return nl_error_set(err, NL_ENOMEM, "out of memory");
            r = s;
        }
        c->remaining = 0;
        *done = true;
    } else if (c->remaining > 0) {
        c->remaining -= r->num_rows;
    }
    *out = r;
    return NL_OK;
}

static int32_t find_col(const nl_schema *s, const char *name) {
    int32_t i = nl_schema_find(s, name);
    return i >= 0 ? i : nl_schema_find_ci(s, name);
}

static nl_status unknown_column(const char *table, const nl_schema *s, const char *name,
                                nl_error *err) {
    char cols[512];
    size_t n = 0;
    cols[0] = '\0';
    for (int32_t i = 0; i < s->n_fields && n + 4 < sizeof cols; i++) {
        int w = snprintf(cols + n, sizeof cols - n, "%s%s", i ? ", " : "", s->fields[i].name);
        if (w < 0) break;
        n += (size_t)w;
    }
    return nl_error_set(err, NL_ENOTFOUND, "table '%s' has no column '%s' (columns: %s)", table,
                        name, cols);
}

/* Adds index c to the list if absent; returns its position. */
static int32_t add_index(int32_t *list, int32_t *n, int32_t c) {
    for (int32_t i = 0; i < *n; i++)
        if (list[i] == c) return i;
    list[*n] = c;
    return (*n)++;
}

nl_status nl_catalog_scan(nl_catalog *cat, const char *name, const char *const *columns,
                          const nl_filter_term *filters, int64_t limit,
                          struct ArrowArrayStream *out, nl_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!out) return nl_error_set(err, NL_EINVAL, "nl_catalog_scan needs an output stream");
    cat_table *t = NULL;
    NL_TRY(cat_resolve_name(cat, name, &t, err));
    nl_provider *p = NULL;
    NL_TRY(cat_table_provider(cat, t, &p, err));
    nl_schema *full = p->schema;
    char qname[512];
    snprintf(qname, sizeof qname, "%s.%s", t->db, t->def.name);

    scan_ctx *c = nl_calloc(1, sizeof *c);
    NL_CHECK_ALLOC(c, err);
    c->remaining = limit < 0 ? -1 : limit;
    nl_status st = cat_filter_bind(filters, full, &c->filters, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "scanning '%s'", qname);
        scan_ctx_free(c);
        return st;
    }
    /* The scanned columns: the output ones, then those only the filters need. */
    int32_t n_out = 0;
    while (columns && columns[n_out]) n_out++;
    if (!columns) n_out = full->n_fields;
    int32_t n_filter = 0;
    for (int32_t a = 0; a < c->filters.n; a++) n_filter += c->filters.ands[a].n;
    int32_t *needed = nl_malloc(sizeof(int32_t) * ((size_t)(n_out + n_filter) + 1));
    c->out_idx = nl_malloc(sizeof(int32_t) * ((size_t)n_out + 1));
    nl_field *fields = nl_calloc((size_t)n_out + 1, sizeof *fields);
    if (!needed || !c->out_idx || !fields) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    int32_t n_needed = 0;
    for (int32_t i = 0; st == NL_OK && i < n_out; i++) {
        int32_t idx = columns ? find_col(full, columns[i]) : i;
        if (idx < 0) {
            st = unknown_column(qname, full, columns[i], err);
            break;
        }
        c->out_idx[i] = add_index(needed, &n_needed, idx);
        fields[i] = full->fields[idx];
        nl_type_ref(fields[i].type);
        c->n_out = i + 1;
    }
    for (int32_t a = 0; st == NL_OK && a < c->filters.n; a++)
        for (int32_t k = 0; k < c->filters.ands[a].n; k++)
            add_index(needed, &n_needed, find_col(full, c->filters.ands[a].filters[k].column));
    if (st == NL_OK) {
        c->out_schema = nl_schema_new(fields, n_out);
        if (!c->out_schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    } else {
        for (int32_t i = 0; i < c->n_out; i++) nl_type_unref(fields[i].type);
    }
    nl_free(fields);
    nl_stream *s = NULL;
    if (st == NL_OK) {
        nl_scan_request req = {
            .columns = needed,
            .n_columns = n_needed,
            .filters = c->filters.n ? &c->filters : NULL,
            .limit = c->filters.n ? -1 : limit,
        };
        st = nl_provider_scan(p, &req, &s, err);
        if (st != NL_OK) nl_error_prefix(err, "scanning '%s'", qname);
    }
    nl_free(needed);
    if (st != NL_OK) {
        scan_ctx_free(c);
        return st;
    }
    nl_stream *mapped = NULL;
    NL_TRY(cat_stream_map(s, nl_schema_ref(c->out_schema), scan_map, c, scan_ctx_free, &mapped, err));
    return nl_stream_export(mapped, out, err);
}

nl_status nl_catalog_schema(nl_catalog *cat, const char *name, struct ArrowSchema *out,
                            nl_error *err) {
    if (out) memset(out, 0, sizeof *out);
    cat_table *t = NULL;
    NL_TRY(cat_resolve_name(cat, name, &t, err));
    nl_provider *p = NULL;
    NL_TRY(cat_table_provider(cat, t, &p, err));
    return nl_schema_export(p->schema, out, err);
}
