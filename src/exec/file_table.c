/*
 * file_table.c -- a Parquet provider over local files and globs (see
 * file_table.h). Filters reach the reader's row-group pruning; the engine
 * re-applies them to the rows.
 */
#include "exec/file_table.h"

#include <glob.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/reader.h"

typedef struct pq_table {
    pq_file **files;
    int32_t n;
} pq_table;

typedef struct pq_part {
    int32_t file, rg;
} pq_part;

typedef struct pq_plan {
    pq_part *parts;
    int64_t n;
    int32_t *cols;
    int32_t n_cols;
} pq_plan;

typedef struct pq_one {
    nl_batch *b;
} pq_one;

static nl_status one_next(nl_stream *s, nl_batch **out, nl_error *err) {
    (void)err;
    pq_one *o = s->private_data;
    *out = o->b;
    o->b = NULL;
    return NL_OK;
}

static void one_release(nl_stream *s) {
    pq_one *o = s->private_data;
    if (o) nl_batch_unref(o->b);
    nl_free(o);
}

static nl_status pt_plan(nl_provider *p, const nl_scan_request *req, void **plan, int64_t *n_parts,
                         nl_error *err) {
    pq_table *t = p->impl;
    pq_plan *pl = nl_calloc(1, sizeof *pl);
    NL_CHECK_ALLOC(pl, err);
    int32_t nc = req->n_columns < 0 ? p->schema->n_fields : req->n_columns;
    pl->cols = nl_calloc((size_t)nc + 1, sizeof(int32_t));
    if (!pl->cols) {
        nl_free(pl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int32_t i = 0; i < nc; i++) pl->cols[i] = req->n_columns < 0 ? i : req->columns[i];
    pl->n_cols = nc;
    int64_t cap = 0;
    for (int32_t f = 0; f < t->n; f++) cap += pq_file_num_row_groups(t->files[f]);
    pl->parts = nl_calloc((size_t)cap + 1, sizeof(pq_part));
    if (!pl->parts) {
        nl_free(pl->cols);
        nl_free(pl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    int64_t rows = 0;
    for (int32_t f = 0; f < t->n; f++) {
        int32_t *rgs = NULL, nr = 0;
        nl_status st = pq_file_prune(t->files[f], req->filters, &rgs, &nr, err);
        if (st) {
            nl_free(pl->parts);
            nl_free(pl->cols);
            nl_free(pl);
            return st;
        }
        for (int32_t i = 0; i < nr; i++) {
            if (req->limit >= 0 && rows >= req->limit) break;
            pl->parts[pl->n++] = (pq_part){f, rgs[i]};
            rows += pq_file_row_group_rows(t->files[f], rgs[i]);
        }
        nl_free(rgs);
    }
    *plan = pl;
    *n_parts = pl->n;
    return NL_OK;
}

static nl_status pt_part(nl_provider *p, void *plan, int64_t part, nl_stream **out, nl_error *err) {
    pq_table *t = p->impl;
    pq_plan *pl = plan;
    if (part < 0 || part >= pl->n) return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    nl_batch *b;
    NL_TRY(pq_read_row_group(t->files[pl->parts[part].file], pl->parts[part].rg, pl->cols, pl->n_cols, &b, err));
    nl_stream *s = nl_calloc(1, sizeof *s);
    pq_one *o = nl_calloc(1, sizeof *o);
    if (!s || !o) {
        nl_free(s);
        nl_free(o);
        nl_batch_unref(b);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    o->b = b;
    s->schema = nl_schema_ref(b->schema);
    s->next = one_next;
    s->release = one_release;
    s->private_data = o;
    *out = s;
    return NL_OK;
}

static void pt_free_plan(nl_provider *p, void *plan) {
    (void)p;
    pq_plan *pl = plan;
    if (!pl) return;
    nl_free(pl->parts);
    nl_free(pl->cols);
    nl_free(pl);
}

static nl_status pt_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    (void)err;
    pq_table *t = p->impl;
    out->num_rows = 0;
    out->total_bytes = 0;
    for (int32_t f = 0; f < t->n; f++) {
        out->num_rows += pq_file_num_rows(t->files[f]);
        out->total_bytes += pq_file_size(t->files[f]);
    }
    return NL_OK;
}

static void pt_free(nl_provider *p) {
    if (!p) return;
    pq_table *t = p->impl;
    for (int32_t f = 0; t && f < t->n; f++) pq_file_close(t->files[f]);
    if (t) nl_free(t->files);
    nl_free(t);
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable PT_VT = {
    .kind = "parquet",
    .scan_plan = pt_plan,
    .scan_part = pt_part,
    .scan_free = pt_free_plan,
    .stats = pt_stats,
    .free = pt_free,
};

nl_status exec_parquet_provider(const char *pattern, nl_provider **out, nl_error *err) {
    glob_t g;
    memset(&g, 0, sizeof g);
    int rc = glob(pattern, 0, NULL, &g);
    if (rc != 0 || g.gl_pathc == 0) {
        globfree(&g);
        return nl_error_set(err, NL_ENOTFOUND, "no file matches '%s'", pattern);
    }
    pq_table *t = nl_calloc(1, sizeof *t);
    nl_provider *p = nl_calloc(1, sizeof *p);
    if (t) t->files = nl_calloc(g.gl_pathc, sizeof(pq_file *));
    if (!t || !p || !t->files) {
        if (t) nl_free(t->files);
        nl_free(t);
        nl_free(p);
        globfree(&g);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = &PT_VT;
    p->impl = t;
    nl_status st = NL_OK;
    for (size_t i = 0; i < g.gl_pathc && st == NL_OK; i++) {
        pq_options o;
        pq_options_init(&o);
        st = pq_file_open_path(g.gl_pathv[i], &o, &t->files[t->n], err);
        if (st == NL_OK) {
            t->n++;
            nl_schema *s = pq_file_schema(t->files[t->n - 1]);
            if (!p->schema) p->schema = nl_schema_ref(s);
            else if (!nl_schema_equals(p->schema, s))
                st = nl_error_set(err, NL_ETYPE, "'%s' has a different schema from '%s'", g.gl_pathv[i],
                                  g.gl_pathv[0]);
        }
    }
    globfree(&g);
    if (st) {
        pt_free(p);
        return st;
    }
    *out = p;
    return NL_OK;
}
