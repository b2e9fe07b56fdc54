/*
 * table_memory.c -- in-memory tables: batches held by the catalog, from C
 * arrays in a declaration or from an Arrow stream. Each batch is one part of a
 * scan, served zero-copy.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"

typedef struct mem_plan {
    nl_scan_request req;
    int32_t *columns;
    nl_schema *projected;
} mem_plan;

static nl_status mem_plan_new(nl_provider *p, const nl_scan_request *req, void **plan,
                              int64_t *n_parts, nl_error *err) {
    nl_table *t = p->impl;
    mem_plan *m = nl_calloc(1, sizeof *m);
    NL_CHECK_ALLOC(m, err);
    m->req.n_columns = -1;
    m->req.limit = -1;
    if (req && req->n_columns >= 0 && req->columns) {
        m->columns = nl_malloc(sizeof(int32_t) * ((size_t)req->n_columns + 1));
        if (!m->columns) {
            nl_free(m);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        memcpy(m->columns, req->columns, sizeof(int32_t) * (size_t)req->n_columns);
        m->req.columns = m->columns;
        m->req.n_columns = req->n_columns;
    }
    nl_status st = cat_project_schema(p->schema, &m->req, &m->projected, err);
    if (st != NL_OK) {
        nl_free(m->columns);
        nl_free(m);
        return st;
    }
    *plan = m;
    *n_parts = t->n_batches;
    return NL_OK;
}

static nl_status mem_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                          nl_error *err) {
    nl_table *t = p->impl;
    mem_plan *m = plan;
    if (part < 0 || part >= t->n_batches)
        return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    nl_batch *b = NULL;
    NL_TRY(cat_batch_project(t->batches[part], &m->req, m->projected, &b, err));
    nl_status st = cat_stream_of_batch(b, out, err);
    nl_batch_unref(b);
    return st;
}

static void mem_plan_free(nl_provider *p, void *plan) {
    (void)p;
    mem_plan *m = plan;
    if (!m) return;
    nl_schema_unref(m->projected);
    nl_free(m->columns);
    nl_free(m);
}

static nl_status mem_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    (void)err;
    nl_table *t = p->impl;
    out->num_rows = t->num_rows;
    out->total_bytes = -1;
    return NL_OK;
}

static void mem_free(nl_provider *p) {
    if (!p) return;
    nl_table_free(p->impl);
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable MEM_VT = {
    .kind = "memory",
    .scan_plan = mem_plan_new,
    .scan_part = mem_part,
    .scan_free = mem_plan_free,
    .stats = mem_stats,
    .free = mem_free,
};

nl_status cat_memory_new(nl_table *table, nl_provider **out, nl_error *err) {
    nl_provider *p = nl_calloc(1, sizeof *p);
    if (!p) {
        nl_table_free(table);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = &MEM_VT;
    p->schema = nl_schema_ref(table->schema);
    p->impl = table;
    *out = p;
    return NL_OK;
}

/* Conforms every batch of `t` to `schema` (by name, with casts). */
static nl_status conform_table(nl_table *t, nl_schema *schema, nl_table **out, nl_error *err) {
    nl_table *r = nl_table_new(nl_schema_ref(schema));
    NL_CHECK_ALLOC(r, err);
    for (int64_t i = 0; i < t->n_batches; i++) {
        nl_batch *b = NULL;
        nl_status st = cat_batch_conform(t->batches[i], schema, &b, err);
        if (st == NL_OK) {
            st = nl_table_append(r, b, err);
            nl_batch_unref(b);
        }
        if (st != NL_OK) {
            nl_table_free(r);
            return st;
        }
    }
    *out = r;
    return NL_OK;
}

nl_status cat_memory_from_def(const nl_table_def *def, nl_provider **out, nl_error *err) {
    nl_table *t = NULL;
    if (def->data) {
        NL_TRY(cat_columns_table(def->data, def->num_rows, &t, err));
    } else {
        nl_schema *schema = NULL;
        NL_TRY(cat_schema_from_defs(def->columns, &schema, err));
        t = nl_table_new(schema);
        NL_CHECK_ALLOC(t, err);
    }
    if (def->columns && def->data) {
        nl_schema *schema = NULL;
        nl_status st = cat_schema_from_defs(def->columns, &schema, err);
        nl_table *c = NULL;
        if (st == NL_OK) st = conform_table(t, schema, &c, err);
        nl_schema_unref(schema);
        nl_table_free(t);
        NL_TRY(st);
        t = c;
    }
    return cat_memory_new(t, out, err);
}

nl_status cat_memory_from_arrow(struct ArrowArrayStream *data, nl_provider **out, nl_error *err) {
    nl_stream *s = NULL;
    NL_TRY(nl_stream_import(data, &s, err));
    nl_table *t = NULL;
    NL_TRY(nl_stream_collect(s, &t, err));
    return cat_memory_new(t, out, err);
}
