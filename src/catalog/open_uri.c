/*
 * open_uri.c -- tables over files named in a query instead of declared in
 * the catalog (read_parquet, read_csv, read_ndjson, FROM 'x.parquet'). The
 * table kinds keep a pointer to their declaration, so the provider handed out
 * here owns a copy of one and forwards every call to the kind's provider.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/catalog.h"
#include "catalog/tables.h"

typedef struct uri_impl {
    nl_provider *inner;
    nl_table_def def;
    char *uri;
} uri_impl;

static nl_status uri_plan(nl_provider *p, const nl_scan_request *req, void **plan,
                          int64_t *n_parts, nl_error *err) {
    uri_impl *u = p->impl;
    return u->inner->vt->scan_plan(u->inner, req, plan, n_parts, err);
}

static nl_status uri_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                          nl_error *err) {
    uri_impl *u = p->impl;
    return u->inner->vt->scan_part(u->inner, plan, part, out, err);
}

static void uri_plan_free(nl_provider *p, void *plan) {
    uri_impl *u = p->impl;
    if (u->inner->vt->scan_free) u->inner->vt->scan_free(u->inner, plan);
}

static nl_status uri_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    uri_impl *u = p->impl;
    if (u->inner->vt->stats) return u->inner->vt->stats(u->inner, out, err);
    out->num_rows = -1;
    out->total_bytes = -1;
    return NL_OK;
}

static void uri_free(nl_provider *p) {
    if (!p) return;
    uri_impl *u = p->impl;
    if (u) {
        if (u->inner) u->inner->vt->free(u->inner);
        nl_free(u->uri);
        nl_free(u);
    }
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable URI_PARQUET_VT = {
    .kind = "parquet", .scan_plan = uri_plan, .scan_part = uri_part,
    .scan_free = uri_plan_free, .stats = uri_stats, .free = uri_free,
};
static const nl_provider_vtable URI_CSV_VT = {
    .kind = "csv", .scan_plan = uri_plan, .scan_part = uri_part,
    .scan_free = uri_plan_free, .stats = uri_stats, .free = uri_free,
};
static const nl_provider_vtable URI_NDJSON_VT = {
    .kind = "ndjson", .scan_plan = uri_plan, .scan_part = uri_part,
    .scan_free = uri_plan_free, .stats = uri_stats, .free = uri_free,
};

nl_status nl_catalog_open_uri(nl_table_kind kind, const char *uri, const nl_csv_options *csv,
                              bool hive, nl_provider **out, nl_error *err) {
    *out = NULL;
    if (!uri || !*uri) return nl_error_set(err, NL_EINVAL, "no file name");
    const nl_provider_vtable *vt = kind == NL_TABLE_PARQUET ? &URI_PARQUET_VT
                                   : kind == NL_TABLE_CSV   ? &URI_CSV_VT
                                   : kind == NL_TABLE_NDJSON ? &URI_NDJSON_VT
                                                             : NULL;
    if (!vt) return nl_error_set(err, NL_ENOTSUP, "files of kind %d cannot be read directly", (int)kind);
    nl_provider *p = nl_calloc(1, sizeof *p);
    uri_impl *u = nl_calloc(1, sizeof *u);
    char *copy = nl_strdup(uri);
    if (!p || !u || !copy) {
        nl_free(p);
        nl_free(u);
        nl_free(copy);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = vt;
    p->impl = u;
    u->uri = copy;
    u->def.kind = kind;
    u->def.name = "file";
    u->def.uri = copy;
    if (kind == NL_TABLE_PARQUET && hive) u->def.partitioning = NL_PARTITION_HIVE;
    if (csv && kind == NL_TABLE_CSV) {
        u->def.csv = *csv;
        u->def.csv.null_values = NULL; /* not copied: the defaults */
    }
    nl_status st = kind == NL_TABLE_PARQUET ? cat_parquet_new(&u->def, &u->inner, err)
                   : kind == NL_TABLE_CSV   ? cat_csv_new(&u->def, &u->inner, err)
                                            : cat_ndjson_new(&u->def, &u->inner, err);
    if (st != NL_OK) {
        uri_free(p);
        nl_error_prefix(err, "reading '%s'", uri);
        return st;
    }
    p->schema = nl_schema_ref(u->inner->schema);
    *out = p;
    return NL_OK;
}
