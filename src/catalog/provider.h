/*
 * provider.h -- what a table is to the engine: a schema and a scan.
 *
 * Every table kind (Parquet, CSV, NDJSON, function, in-memory, later Delta and
 * HTTP) implements this interface. The engine asks for the columns a query
 * needs, the filters it can push down and an optional row limit; the provider
 * uses them to read less (prune partitions, files, row groups) and may ignore
 * any of them -- the engine re-applies every filter it pushed, so a provider
 * never has to be exact, only never wrong (it may return more rows, never fewer).
 *
 * A scan is split into independent parts (files, row groups) so the engine can
 * read them in parallel: scan_plan lists them, scan_part streams one.
 */
#ifndef NL_CATALOG_PROVIDER_H
#define NL_CATALOG_PROVIDER_H

#include "columnar/scalar.h"
#include "columnar/stream.h"

/* ---- filters: column OP value, an OR of ANDs (the blueprint's platform) ---- */

typedef enum nl_filter_op {
    NL_OP_EQ = 0,       /* =  */
    NL_OP_NE,           /* != */
    NL_OP_LT,           /* <  */
    NL_OP_LE,           /* <= */
    NL_OP_GT,           /* >  */
    NL_OP_GE,           /* >= */
    NL_OP_IN,           /* in: value is a LIST scalar */
    NL_OP_NOT_IN,       /* not in: value is a LIST scalar */
    NL_OP_CONTAINS,     /* contains: string column contains the substring */
    NL_OP_INCLUDES,     /* includes: list column includes the value */
    NL_OP_INCLUDES_ANY, /* includes any: list column shares an item with the LIST value */
    NL_OP_INCLUDES_ALL, /* includes all: list column holds every item of the LIST value */
    NL_OP_IS_NULL,      /* value ignored */
    NL_OP_IS_NOT_NULL   /* value ignored */
} nl_filter_op;

typedef struct nl_filter {
    char *column;     /* owned */
    nl_filter_op op;
    nl_scalar value;  /* owned */
} nl_filter;

/* A conjunction: every filter must hold. */
typedef struct nl_filter_and {
    int32_t n;
    nl_filter *filters;
} nl_filter_and;

/* A disjunction of conjunctions; n == 0 means "no filter". */
typedef struct nl_filter_set {
    int32_t n;
    nl_filter_and *ands;
} nl_filter_set;

void nl_filter_set_clear(nl_filter_set *set);
nl_status nl_filter_set_copy(nl_filter_set *dst, const nl_filter_set *src, nl_error *err);
/* "=", "!=", "<", ... "includes any"; and the reverse (-1 if unknown). */
const char *nl_filter_op_name(nl_filter_op op);
int nl_filter_op_parse(const char *name);

/* ---- scans ---- */

typedef struct nl_scan_request {
    /* Column indices into the provider's schema, in the order wanted; NULL
     * with n_columns -1 means all columns. */
    const int32_t *columns;
    int32_t n_columns;
    const nl_filter_set *filters; /* may be NULL */
    int64_t limit;                /* -1 = no limit */
} nl_scan_request;

typedef struct nl_provider nl_provider;

/* Statistics for planning; -1 = unknown. */
typedef struct nl_provider_stats {
    int64_t num_rows;
    int64_t total_bytes;
} nl_provider_stats;

typedef struct nl_provider_vtable {
    const char *kind; /* "parquet", "csv", "ndjson", "function", "memory", "delta", "http" */
    /* Decides the parts of a scan (after pruning); *n_parts >= 0. The plan is
     * opaque state owned by the provider until scan_free. */
    nl_status (*scan_plan)(nl_provider *p, const nl_scan_request *req, void **plan,
                           int64_t *n_parts, nl_error *err);
    /* Streams part `part` of a plan; may be called from several threads at once
     * for different parts. The stream's schema is the projected schema. */
    nl_status (*scan_part)(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                           nl_error *err);
    void (*scan_free)(nl_provider *p, void *plan);
    nl_status (*stats)(nl_provider *p, nl_provider_stats *out, nl_error *err);
    void (*free)(nl_provider *p);
} nl_provider_vtable;

struct nl_provider {
    const nl_provider_vtable *vt;
    nl_schema *schema; /* one reference: the table's full schema */
    void *impl;
};

/* Convenience: plans, then streams every part one after the other. */
nl_status nl_provider_scan(nl_provider *p, const nl_scan_request *req, nl_stream **out,
                           nl_error *err);

#endif
