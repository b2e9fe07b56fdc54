/*
 * memtable.c -- the in-memory table provider (see memtable.h).
 */
#include "exec/memtable.h"

#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

typedef struct memtable {
    nl_batch **batches;
    int64_t n, cap;
    int64_t rows;
} memtable;

typedef struct mt_plan {
    int32_t *cols;
    int32_t n_cols;
    nl_schema *schema;
    int64_t limit;
} mt_plan;

typedef struct mt_stream {
    nl_batch *b;
} mt_stream;

static nl_status mt_next(nl_stream *s, nl_batch **out, nl_error *err) {
    mt_stream *m = s->private_data;
    (void)err;
    *out = m->b;
    m->b = NULL;
    return NL_OK;
}

static void mt_release(nl_stream *s) {
    mt_stream *m = s->private_data;
    if (m) nl_batch_unref(m->b);
    nl_free(m);
}

static nl_status mt_scan_plan(nl_provider *p, const nl_scan_request *req, void **plan, int64_t *n_parts,
                              nl_error *err) {
    memtable *t = p->impl;
    mt_plan *pl = nl_calloc(1, sizeof *pl);
    NL_CHECK_ALLOC(pl, err);
    int32_t n = req->n_columns < 0 ? p->schema->n_fields : req->n_columns;
    pl->cols = nl_calloc((size_t)(n + 1), sizeof(int32_t));
    nl_field *fs = nl_calloc((size_t)(n + 1), sizeof(nl_field));
    if (!pl->cols || !fs) {
        nl_free(pl->cols);
        nl_free(fs);
        nl_free(pl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t c = req->n_columns < 0 ? i : req->columns[i];
        if (c < 0 || c >= p->schema->n_fields) {
            nl_free(pl->cols);
            nl_free(fs);
            nl_free(pl);
            return nl_error_set(err, NL_EINVAL, "column %d out of range", c);
        }
        pl->cols[i] = c;
        fs[i].name = p->schema->fields[c].name;
        fs[i].type = nl_type_ref(p->schema->fields[c].type);
        fs[i].nullable = true;
    }
    pl->n_cols = n;
    pl->schema = nl_schema_new(fs, n);
    nl_free(fs);
    pl->limit = req->limit;
    if (!pl->schema) {
        nl_free(pl->cols);
        nl_free(pl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    *plan = pl;
    *n_parts = t->n;
    if (req->limit >= 0) {
        int64_t rows = 0, k = 0;
        while (k < t->n && rows < req->limit) rows += t->batches[k++]->num_rows;
        *n_parts = k;
    }
    return NL_OK;
}

static nl_status mt_scan_part(nl_provider *p, void *plan, int64_t part, nl_stream **out, nl_error *err) {
    memtable *t = p->impl;
    mt_plan *pl = plan;
    if (part < 0 || part >= t->n) return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    nl_batch *src = t->batches[part];
    nl_array **cols = nl_calloc((size_t)(pl->n_cols + 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    for (int32_t i = 0; i < pl->n_cols; i++) cols[i] = nl_array_ref(src->columns[pl->cols[i]]);
    nl_batch *b;
    nl_status st = nl_batch_new(nl_schema_ref(pl->schema), cols, src->num_rows, &b, err);
    nl_free(cols);
    NL_TRY(st);
    nl_stream *s = nl_calloc(1, sizeof *s);
    mt_stream *m = nl_calloc(1, sizeof *m);
    if (!s || !m) {
        nl_free(s);
        nl_free(m);
        nl_batch_unref(b);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    m->b = b;
    s->schema = nl_schema_ref(pl->schema);
    s->next = mt_next;
    s->release = mt_release;
    s->private_data = m;
    *out = s;
    return NL_OK;
}

static void mt_scan_free(nl_provider *p, void *plan) {
    (void)p;
    mt_plan *pl = plan;
    if (!pl) return;
    nl_schema_unref(pl->schema);
    nl_free(pl->cols);
    nl_free(pl);
}

static nl_status mt_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    (void)err;
    memtable *t = p->impl;
    out->num_rows = t->rows;
    out->total_bytes = -1;
    return NL_OK;
}

static void mt_free(nl_provider *p) {
    if (!p) return;
    memtable *t = p->impl;
    for (int64_t i = 0; t && i < t->n; i++) nl_batch_unref(t->batches[i]);
    if (t) nl_free(t->batches);
    nl_free(t);
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable MT_VT = {
    .kind = "memory",
    .scan_plan = mt_scan_plan,
    .scan_part = mt_scan_part,
    .scan_free = mt_scan_free,
    .stats = mt_stats,
    .free = mt_free,
};

bool exec_is_memtable(const nl_provider *p) { return p && p->vt == &MT_VT; }

nl_status exec_memtable_new(nl_schema *schema, nl_provider **out, nl_error *err) {
    nl_provider *p = nl_calloc(1, sizeof *p);
    memtable *t = nl_calloc(1, sizeof *t);
    if (!p || !t) {
        nl_free(p);
        nl_free(t);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = &MT_VT;
    p->schema = nl_schema_ref(schema);
    p->impl = t;
    *out = p;
    return NL_OK;
}

nl_status exec_memtable_append(nl_provider *p, nl_batch *b, nl_error *err) {
    memtable *t = p->impl;
    if (b->n_columns != p->schema->n_fields)
        return nl_error_set(err, NL_EINVAL, "a batch of %d columns for a table of %d", b->n_columns,
                            p->schema->n_fields);
    if (b->num_rows == 0) return NL_OK;
    /* keep the table's schema on its batches */
    nl_array **cols = nl_calloc((size_t)(b->n_columns + 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    for (int32_t i = 0; i < b->n_columns; i++) cols[i] = nl_array_ref(b->columns[i]);
    nl_batch *own;
    nl_status st = nl_batch_new(nl_schema_ref(p->schema), cols, b->num_rows, &own, err);
    nl_free(cols);
    NL_TRY(st);
    if (t->n == t->cap) {
        int64_t cap = t->cap ? t->cap * 2 : 8;
        nl_batch **nb = nl_realloc(t->batches, sizeof(nl_batch *) * (size_t)cap);
        if (!nb) {
            nl_batch_unref(own);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        t->batches = nb;
        t->cap = cap;
    }
    t->batches[t->n++] = own;
    t->rows += own->num_rows;
    return NL_OK;
}

int64_t exec_memtable_rows(const nl_provider *p) { return ((const memtable *)p->impl)->rows; }
