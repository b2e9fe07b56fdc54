/*
 * table_function.c -- function tables: a C callback produces the rows as an
 * Arrow C stream. The callback is told the columns, filters and limit of the
 * scan (as public terms), may use them or not; its output is matched to the
 * table's columns by name and cast to their declared types.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"

typedef struct fn_impl {
    const char *db;
    const nl_table_def *def;
} fn_impl;

typedef struct fn_plan {
    nl_arena *arena;
    const char **columns; /* NULL-terminated, or NULL for all */
    const nl_filter_term *filters;
    int64_t limit;
    nl_schema *projected;
} fn_plan;

static void fn_plan_free(nl_provider *p, void *plan) {
    (void)p;
    fn_plan *f = plan;
    if (!f) return;
    nl_schema_unref(f->projected);
    nl_arena_free(f->arena);
    nl_free(f);
}

static nl_status fn_plan_new(nl_provider *p, const nl_scan_request *req, void **plan,
                             int64_t *n_parts, nl_error *err) {
    fn_plan *f = nl_calloc(1, sizeof *f);
    NL_CHECK_ALLOC(f, err);
    f->arena = nl_arena_new(0);
    f->limit = req ? req->limit : -1;
    nl_status st = f->arena ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK && req && req->n_columns >= 0 && req->columns) {
        f->columns = nl_arena_calloc(f->arena, (size_t)req->n_columns + 1, sizeof(char *));
        if (!f->columns) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t i = 0; st == NL_OK && i < req->n_columns; i++) {
            int32_t c = req->columns[i];
            if (c < 0 || c >= p->schema->n_fields)
                st = nl_error_set(err, NL_EINVAL, "column index %d out of range", c);
            else
                f->columns[i] = p->schema->fields[c].name;
        }
    }
    if (st == NL_OK && req && req->filters)
        st = cat_filter_to_terms(req->filters, f->arena, &f->filters, err);
    if (st == NL_OK) st = cat_project_schema(p->schema, req, &f->projected, err);
    if (st != NL_OK) {
        fn_plan_free(p, f);
        return st;
    }
    *plan = f;
    *n_parts = 1;
    return NL_OK;
}

static nl_status conform_map(void *ctx, nl_batch *in, nl_batch **out, bool *done, nl_error *err) {
    (void)done;
    return cat_batch_conform(in, ctx, out, err);
}

static void schema_unref_ctx(void *ctx) { nl_schema_unref(ctx); }

/* Calls the function and imports its stream. */
static nl_status call_function(nl_provider *p, const char *const *columns,
                               const nl_filter_term *filters, int64_t limit, nl_stream **out,
                               nl_error *err) {
    fn_impl *impl = p->impl;
    const nl_table_def *def = impl->def;
    nl_table_call call = {
        .database = impl->db,
        .table = def->name,
        .columns = columns,
        .filters = filters,
        .limit = limit,
        .user_data = def->user_data,
    };
    struct ArrowArrayStream arrow;
    memset(&arrow, 0, sizeof arrow);
    nl_error ferr = {0};
    nl_status st = def->function(&call, &arrow, &ferr);
    if (st != NL_OK) {
        if (arrow.release) arrow.release(&arrow);
        return nl_error_set(err, st, "function table '%s.%s' failed: %s", impl->db, def->name,
                            ferr.message[0] ? ferr.message : nl_status_name(st));
    }
    if (!arrow.release)
        return nl_error_set(err, NL_EINVAL,
                            "function table '%s.%s' returned NL_OK without a stream", impl->db,
                            def->name);
    st = nl_stream_import(&arrow, out, err);
    if (st != NL_OK) nl_error_prefix(err, "function table '%s.%s'", impl->db, def->name);
    return st;
}

static nl_status fn_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                         nl_error *err) {
    fn_plan *f = plan;
    if (part != 0) return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    nl_stream *s = NULL;
    NL_TRY(call_function(p, (const char *const *)f->columns, f->filters, f->limit, &s, err));
    return cat_stream_map(s, nl_schema_ref(f->projected), conform_map, nl_schema_ref(f->projected),
                          schema_unref_ctx, out, err);
}

static nl_status fn_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    (void)p;
    (void)err;
    out->num_rows = -1;
    out->total_bytes = -1;
    return NL_OK;
}

static void fn_free(nl_provider *p) {
    if (!p) return;
    nl_free(p->impl);
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable FN_VT = {
    .kind = "function",
    .scan_plan = fn_plan_new,
    .scan_part = fn_part,
    .scan_free = fn_plan_free,
    .stats = fn_stats,
    .free = fn_free,
};

nl_status cat_function_new(const char *db, const nl_table_def *def, nl_provider **out,
                           nl_error *err) {
    nl_provider *p = nl_calloc(1, sizeof *p);
    fn_impl *impl = nl_calloc(1, sizeof *impl);
    if (!p || !impl) {
        nl_free(p);
        nl_free(impl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    impl->db = db;
    impl->def = def;
    p->vt = &FN_VT;
    p->impl = impl;
    nl_status st;
    if (def->columns) {
        st = cat_schema_from_defs(def->columns, &p->schema, err);
    } else {
        /* No declared columns: ask the function once, for everything. */
        nl_stream *s = NULL;
        st = call_function(p, NULL, NULL, 0, &s, err);
        if (st == NL_OK) {
            p->schema = nl_schema_ref(s->schema);
            nl_stream_free(s);
        }
    }
    if (st != NL_OK) {
        fn_free(p);
        return st;
    }
    *out = p;
    return NL_OK;
}
