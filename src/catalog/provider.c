/*
 * provider.c -- machinery every table provider shares: a whole scan as one
 * stream (nl_provider_scan), projected schemas, conforming batches to a schema
 * by name, and small stream adapters (map, one batch).
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

/* ---- nl_provider_scan: plan, then every part in order ---- */

typedef struct seq_state {
    nl_provider *p;
    void *plan;
    int64_t n_parts;
    int64_t next_part;
    nl_stream *cur;
} seq_state;

static nl_status seq_next(nl_stream *self, nl_batch **out, nl_error *err) {
    seq_state *s = self->private_data;
    *out = NULL;
    for (;;) {
        if (!s->cur) {
            if (s->next_part >= s->n_parts) return NL_OK;
            NL_TRY(s->p->vt->scan_part(s->p, s->plan, s->next_part++, &s->cur, err));
        }
        NL_TRY(nl_stream_next(s->cur, out, err));
        if (*out) return NL_OK;
        nl_stream_free(s->cur);
        s->cur = NULL;
    }
}

static void seq_release(nl_stream *self) {
    seq_state *s = self->private_data;
    if (!s) return;
    nl_stream_free(s->cur);
    if (s->p->vt->scan_free) s->p->vt->scan_free(s->p, s->plan);
    nl_free(s);
    self->private_data = NULL;
}

nl_status nl_provider_scan(nl_provider *p, const nl_scan_request *req, nl_stream **out,
                           nl_error *err) {
    *out = NULL;
    nl_scan_request all = {.columns = NULL, .n_columns = -1, .filters = NULL, .limit = -1};
    if (!req) req = &all;
    nl_schema *schema = NULL;
    NL_TRY(cat_project_schema(p->schema, req, &schema, err));
    seq_state *s = nl_calloc(1, sizeof *s);
    nl_stream *st = nl_calloc(1, sizeof *st);
    if (!s || !st) {
        nl_free(s);
        nl_free(st);
        nl_schema_unref(schema);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    s->p = p;
    nl_status rc = p->vt->scan_plan(p, req, &s->plan, &s->n_parts, err);
    if (rc != NL_OK) {
        nl_free(s);
        nl_free(st);
        nl_schema_unref(schema);
        return rc;
    }
    st->schema = schema;
    st->next = seq_next;
    st->release = seq_release;
    st->private_data = s;
    *out = st;
    return NL_OK;
}

/* ---- schemas and batches ---- */

nl_status cat_project_schema(nl_schema *full, const nl_scan_request *req, nl_schema **out,
                             nl_error *err) {
    if (!req || req->n_columns < 0 || !req->columns) {
        *out = nl_schema_ref(full);
        return NL_OK;
    }
    nl_field *fields = nl_calloc((size_t)req->n_columns + 1, sizeof *fields);
    NL_CHECK_ALLOC(fields, err);
    for (int32_t i = 0; i < req->n_columns; i++) {
        int32_t c = req->columns[i];
        if (c < 0 || c >= full->n_fields) {
            nl_free(fields);
            return nl_error_set(err, NL_EINVAL, "column index %d out of range (%d columns)", c,
                                full->n_fields);
        }
        fields[i] = full->fields[c];
        nl_type_ref(fields[i].type); /* nl_schema_new takes ownership of each type */
    }
    *out = nl_schema_new(fields, req->n_columns);
    if (!*out)
        for (int32_t i = 0; i < req->n_columns; i++) nl_type_unref(fields[i].type);
    nl_free(fields);
    NL_CHECK_ALLOC(*out, err);
    return NL_OK;
}

nl_status cat_batch_conform(nl_batch *batch, nl_schema *want, nl_batch **out, nl_error *err) {
    if (batch->schema == want || nl_schema_equals(batch->schema, want)) {
        *out = nl_batch_ref(batch);
        return NL_OK;
    }
    nl_array **cols = nl_calloc((size_t)want->n_fields + 1, sizeof *cols);
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    for (int32_t i = 0; i < want->n_fields && st == NL_OK; i++) {
        const nl_field *f = &want->fields[i];
        int32_t idx = nl_schema_find(batch->schema, f->name);
        if (idx < 0) idx = nl_schema_find_ci(batch->schema, f->name);
        if (idx < 0) {
            st = nl_error_set(err, NL_ENOTFOUND, "column '%s' is missing from the data", f->name);
            break;
        }
        nl_array *a = batch->columns[idx];
        if (nl_type_equals(a->type, f->type)) {
            cols[i] = nl_array_ref(a);
        } else {
            st = nl_cast(a, f->type, NL_CAST_STRICT, &cols[i], err);
            if (st != NL_OK) nl_error_prefix(err, "column '%s'", f->name);
        }
    }
    if (st != NL_OK) {
        for (int32_t i = 0; i < want->n_fields; i++) nl_array_unref(cols[i]);
        nl_free(cols);
        return st;
    }
    st = nl_batch_new(nl_schema_ref(want), cols, batch->num_rows, out, err);
    nl_free(cols);
    return st;
}

/* ---- map stream ---- */

typedef struct map_state {
    nl_stream *in;
    cat_map_fn fn;
    void *ctx;
    void (*ctx_free)(void *);
    bool done;
} map_state;

static nl_status map_next(nl_stream *self, nl_batch **out, nl_error *err) {
    map_state *m = self->private_data;
    *out = NULL;
    while (!m->done) {
        nl_batch *b = NULL;
        NL_TRY(nl_stream_next(m->in, &b, err));
        if (!b) {
            m->done = true;
            break;
        }
        nl_batch *r = NULL;
        nl_status st = m->fn(m->ctx, b, &r, &m->done, err);
        nl_batch_unref(b);
        NL_TRY(st);
        if (r) {
            *out = r;
            return NL_OK;
        }
    }
    return NL_OK;
}

static void map_release(nl_stream *self) {
    map_state *m = self->private_data;
    if (!m) return;
    nl_stream_free(m->in);
    if (m->ctx_free) m->ctx_free(m->ctx);
    nl_free(m);
    self->private_data = NULL;
}

nl_status cat_stream_map(nl_stream *in, nl_schema *schema, cat_map_fn fn, void *ctx,
                         void (*ctx_free)(void *), nl_stream **out, nl_error *err) {
    map_state *m = nl_calloc(1, sizeof *m);
    nl_stream *s = nl_calloc(1, sizeof *s);
    if (!m || !s) {
        nl_free(m);
        nl_free(s);
        nl_stream_free(in);
        nl_schema_unref(schema);
        if (ctx_free) ctx_free(ctx);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    m->in = in;
    m->fn = fn;
    m->ctx = ctx;
    m->ctx_free = ctx_free;
    s->schema = schema;
    s->next = map_next;
    s->release = map_release;
    s->private_data = m;
    *out = s;
    return NL_OK;
}

/* ---- one-batch stream ---- */

static nl_status one_next(nl_stream *self, nl_batch **out, nl_error *err) {
    (void)err;
    *out = self->private_data; /* hands over our reference */
    self->private_data = NULL;
    return NL_OK;
}

static void one_release(nl_stream *self) {
    nl_batch_unref(self->private_data);
    self->private_data = NULL;
}

nl_status cat_stream_of_batch(nl_batch *batch, nl_stream **out, nl_error *err) {
    nl_stream *s = nl_calloc(1, sizeof *s);
    NL_CHECK_ALLOC(s, err);
    s->schema = nl_schema_ref(batch->schema);
    s->next = one_next;
    s->release = one_release;
    s->private_data = nl_batch_ref(batch);
    *out = s;
    return NL_OK;
}

nl_status cat_batch_project(nl_batch *batch, const nl_scan_request *req, nl_schema *projected,
                            nl_batch **out, nl_error *err) {
    if (!req || req->n_columns < 0 || !req->columns) {
        *out = nl_batch_ref(batch);
        return NL_OK;
    }
    nl_array **cols = nl_calloc((size_t)req->n_columns + 1, sizeof *cols);
    NL_CHECK_ALLOC(cols, err);
    for (int32_t i = 0; i < req->n_columns; i++) {
        int32_t c = req->columns[i];
        if (c < 0 || c >= batch->n_columns) {
            for (int32_t j = 0; j < i; j++) nl_array_unref(cols[j]);
            nl_free(cols);
            return nl_error_set(err, NL_EINVAL, "column index %d out of range", c);
        }
        cols[i] = nl_array_ref(batch->columns[c]);
    }
    nl_status st = nl_batch_new(nl_schema_ref(projected), cols, batch->num_rows, out, err);
    nl_free(cols);
    return st;
}

nl_status cat_array_repeat(const nl_scalar *v, nl_type *type, int64_t n, nl_array **out,
                           nl_error *err) {
    if (v->is_null || !v->type) return nl_array_new_nulls(type, n, out, err);
    nl_builder *b = nl_builder_new(type, n);
    NL_CHECK_ALLOC(b, err);
    nl_type_id id = type->id;
    for (int64_t i = 0; i < n; i++) {
        if (id == NL_TYPE_BOOL) nl_builder_append_bool(b, v->v.b);
        else if (nl_type_is_unsigned_integer(id)) nl_builder_append_uint(b, v->v.u);
        else if (nl_type_is_floating(id)) nl_builder_append_double(b, v->v.d);
        else if (id == NL_TYPE_DECIMAL128) nl_builder_append_decimal(b, v->v.dec);
        else if (nl_type_is_string_like(id)) nl_builder_append_string(b, v->v.str.ptr, v->v.str.len);
        else nl_builder_append_int(b, v->v.i);
    }
    nl_status st = nl_builder_finish(b, out, err);
    nl_builder_free(b);
    return st;
}
