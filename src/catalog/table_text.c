/*
 * table_text.c -- tables of text files parsed whole (CSV, NDJSON): one file,
 * a glob or a directory; .gz and .zst decompressed on the way. The first file
 * fixes the column types (unless the declaration gives them all), and every
 * file is then parsed with those types, so files agree. Each file is one part
 * of a scan.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"

#define TEXT_BATCH_ROWS 65536

typedef struct text_impl {
    const nl_table_def *def;
    const char *kind;
    const char *const *exts;
    cat_parse_fn parse;
    nl_store *store;
    nl_schema *types; /* declared column types (may be partial), or NULL */
} text_impl;

typedef struct text_plan {
    nl_object_list files;
    nl_schema *projected;
} text_plan;

static nl_status read_file(text_impl *impl, const char *uri, const nl_schema *types,
                           nl_table **out, nl_error *err) {
    nl_buffer *buf = NULL;
    NL_TRY(cat_read_object(impl->store, uri, &buf, err));
    nl_status st = impl->parse(impl->def, (const char *)buf->data, (size_t)buf->size, types, uri,
                               out, err);
    nl_buffer_unref(buf);
    return st;
}

static void text_plan_free(nl_provider *p, void *plan) {
    (void)p;
    text_plan *tp = plan;
    if (!tp) return;
    nl_object_list_free(&tp->files);
    nl_schema_unref(tp->projected);
    nl_free(tp);
}

static nl_status text_plan_new(nl_provider *p, const nl_scan_request *req, void **plan,
                               int64_t *n_parts, nl_error *err) {
    text_impl *impl = p->impl;
    text_plan *tp = nl_calloc(1, sizeof *tp);
    NL_CHECK_ALLOC(tp, err);
    char *root = NULL;
    nl_status st = cat_list_files(impl->store, impl->def->uri, NULL, impl->exts, &tp->files, &root, err);
    nl_free(root);
    if (st == NL_OK) st = cat_project_schema(p->schema, req, &tp->projected, err);
    if (st != NL_OK) {
        text_plan_free(p, tp);
        return st;
    }
    *plan = tp;
    *n_parts = tp->files.count;
    return NL_OK;
}

static nl_status conform_map(void *ctx, nl_batch *in, nl_batch **out, bool *done, nl_error *err) {
    (void)done;
    return cat_batch_conform(in, ctx, out, err);
}

static void schema_unref_ctx(void *ctx) { nl_schema_unref(ctx); }

static nl_status text_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                           nl_error *err) {
    text_impl *impl = p->impl;
    text_plan *tp = plan;
    if (part < 0 || part >= tp->files.count)
        return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    nl_table *t = NULL;
    NL_TRY(read_file(impl, tp->files.items[part].uri, p->schema, &t, err));
    /* Big files go downstream in slices (zero-copy). */
    nl_table *sliced = nl_table_new(nl_schema_ref(t->schema));
    nl_status st = sliced ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int64_t b = 0; st == NL_OK && b < t->n_batches; b++) {
        nl_batch *batch = t->batches[b];
        for (int64_t off = 0; st == NL_OK && off < batch->num_rows; off += TEXT_BATCH_ROWS) {
            int64_t n = batch->num_rows - off < TEXT_BATCH_ROWS ? batch->num_rows - off : TEXT_BATCH_ROWS;
            nl_batch *s = nl_batch_slice(batch, off, n);
            st = s ? nl_table_append(sliced, s, err) : nl_error_set(err, NL_ENOMEM, "out of memory");
            nl_batch_unref(s);
        }
    }
    nl_table_free(t);
    if (st != NL_OK) {
        nl_table_free(sliced);
        return st;
    }
    nl_stream *s = NULL;
    NL_TRY(nl_stream_from_table(sliced, &s, err));
    return cat_stream_map(s, nl_schema_ref(tp->projected), conform_map, nl_schema_ref(tp->projected),
                          schema_unref_ctx, out, err);
}

static nl_status text_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    (void)p;
    (void)err;
    out->num_rows = -1;
    out->total_bytes = -1;
    return NL_OK;
}

static void text_free(nl_provider *p) {
    if (!p) return;
    text_impl *impl = p->impl;
    if (impl) {
        nl_store_close(impl->store);
        nl_schema_unref(impl->types);
        nl_free(impl);
    }
    nl_schema_unref(p->schema);
    nl_free(p);
}

static nl_status text_scan_plan(nl_provider *p, const nl_scan_request *req, void **plan,
                                int64_t *n_parts, nl_error *err) {
    return text_plan_new(p, req, plan, n_parts, err);
}

static const nl_provider_vtable CSV_VT = {
    .kind = "csv", .scan_plan = text_scan_plan, .scan_part = text_part,
    .scan_free = text_plan_free, .stats = text_stats, .free = text_free,
};
static const nl_provider_vtable NDJSON_VT = {
    .kind = "ndjson", .scan_plan = text_scan_plan, .scan_part = text_part,
    .scan_free = text_plan_free, .stats = text_stats, .free = text_free,
};

nl_status cat_text_table_new(const nl_table_def *def, const char *kind,
                             const char *const *exts, cat_parse_fn parse, nl_provider **out,
                             nl_error *err) {
    *out = NULL;
    nl_provider *p = nl_calloc(1, sizeof *p);
    text_impl *impl = nl_calloc(1, sizeof *impl);
    if (!p || !impl) {
        nl_free(p);
        nl_free(impl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = strcmp(kind, "csv") == 0 ? &CSV_VT : &NDJSON_VT;
    p->impl = impl;
    impl->def = def;
    impl->kind = kind;
    impl->exts = exts;
    impl->parse = parse;
    nl_status st = nl_store_open(def->uri, &impl->store, err);
    /* Declared types, for the columns that have one. */
    size_t n = 0, typed = 0;
    while (def->columns && def->columns[n].name) typed += def->columns[n++].type != NULL;
    if (st == NL_OK && typed > 0) {
        nl_column_def *cols = nl_calloc(typed + 1, sizeof *cols);
        if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (size_t i = 0, w = 0; cols && i < n; i++)
            if (def->columns[i].type) cols[w++] = def->columns[i];
        if (st == NL_OK) st = cat_schema_from_defs(cols, &impl->types, err);
        nl_free(cols);
    }
    /* Declared types may cover only some columns: the first file decides the
     * columns (and the types not declared). */
    if (st == NL_OK) {
        nl_object_list files;
        char *root = NULL;
        st = cat_list_files(impl->store, def->uri, NULL, exts, &files, &root, err);
        nl_free(root);
        if (st == NL_OK && files.count == 0)
            st = nl_error_set(err, NL_ENOTFOUND, "no %s files at '%s'", kind, def->uri);
        nl_table *t = NULL;
        if (st == NL_OK) st = read_file(impl, files.items[0].uri, impl->types, &t, err);
        if (st == NL_OK) p->schema = nl_schema_ref(t->schema);
        nl_table_free(t);
        nl_object_list_free(&files);
    }
    if (st != NL_OK) {
        text_free(p);
        return st;
    }
    *out = p;
    return NL_OK;
}
