/*
 * reader.h -- reading Parquet files into record batches: the footer, the
 * schema as an nl_schema, row-group pruning against pushed-down filters, and
 * decoding the projected columns of a row group (in parallel on the thread
 * pool) from only the byte ranges they occupy, fetched through the object
 * store so local files and S3 behave the same.
 *
 * Ownership: a pq_file is reference-counted (pq_file_ref / pq_file_close) so a
 * stream can outlive its opener. Everything here is thread-safe: several
 * threads may read different (or the same) row groups of one pq_file at once.
 *
 * Columns are addressed by the index of a top-level field of pq_file_schema;
 * a nested field (struct, list, map) is read whole. MAP<K,V> reads as
 * LIST<STRUCT<key: K, value: V>>.
 */
#ifndef NL_FORMATS_PARQUET_READER_H
#define NL_FORMATS_PARQUET_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/threadpool.h"
#include "catalog/provider.h"
#include "columnar/stream.h"
#include "formats/parquet/metadata.h"
#include "io/store.h"

typedef struct pq_options {
    bool verify_crc;          /* check page CRCs when present (default true) */
    bool use_statistics;      /* prune row groups by column statistics (default true) */
    bool use_page_index;      /* prune by the page index where present (default true) */
    bool use_dictionary;      /* prune by dictionaries for = and IN (default true) */
    bool parallel;            /* decode columns on the pool (default true) */
    nl_pool *pool;            /* NULL: nl_pool_default() */
    int64_t coalesce_gap;     /* merge column-chunk ranges closer than this (default 1 MiB) */
    int64_t batch_rows;       /* streams: split row groups into batches of at most this
                                 many rows; 0 = one batch per row group (default 0) */
} pq_options;

/* The defaults above. */
void pq_options_init(pq_options *options);

typedef struct pq_file pq_file;

/* Opens `uri` on `store` (borrowed: it must outlive the file): reads the
 * footer with ranged reads, decodes it and maps the schema. `options` may be
 * NULL for the defaults. Errors name the file. */
nl_status pq_file_open(nl_store *store, const char *uri, const pq_options *options,
                       pq_file **out, nl_error *err);
/* The same when the size is already known (a listing), saving a HEAD. */
nl_status pq_file_open_sized(nl_store *store, const char *uri, int64_t size,
                             const pq_options *options, pq_file **out, nl_error *err);
/* Opens a local path with a private local store (for the command and tests). */
nl_status pq_file_open_path(const char *path, const pq_options *options, pq_file **out,
                            nl_error *err);

pq_file *pq_file_ref(pq_file *file);
/* Drops a reference; the last one frees the file. Safe on NULL. */
void pq_file_close(pq_file *file);

/* The file's schema (borrowed; take a reference to keep it). */
nl_schema *pq_file_schema(const pq_file *file);
const pq_file_meta *pq_file_metadata(const pq_file *file);
const char *pq_file_uri(const pq_file *file);
int64_t pq_file_size(const pq_file *file);
int32_t pq_file_num_row_groups(const pq_file *file);
int64_t pq_file_num_rows(const pq_file *file);
int64_t pq_file_row_group_rows(const pq_file *file, int32_t row_group);

/* True unless the statistics (and, when enabled, the page index and the
 * dictionaries) prove that no row of the row group can satisfy `filters`.
 * Never wrong: unknown columns, types or operators keep the row group.
 * Reading a page index or a dictionary may do I/O; an I/O error keeps the row
 * group. */
bool pq_row_group_may_match(pq_file *file, int32_t row_group, const nl_filter_set *filters);

/* Row groups that may match (all when filters is NULL or empty): fills
 * *out (nl_malloc'd, free with nl_free) and *n. */
nl_status pq_file_prune(pq_file *file, const nl_filter_set *filters, int32_t **out, int32_t *n,
                        nl_error *err);

/* Reads row group `row_group`, fields `columns` (indices into the schema, in
 * the order wanted; NULL with n_columns -1 for all) into one batch whose schema
 * is the projection. */
nl_status pq_read_row_group(pq_file *file, int32_t row_group, const int32_t *columns,
                            int32_t n_columns, nl_batch **out, nl_error *err);

/* A stream over row groups `row_groups` (NULL with n -1 for all, in order),
 * projected to `columns` as above. The stream holds a reference to the file;
 * batches come one row group (or batch_rows) at a time, in order. */
nl_status pq_file_stream(pq_file *file, const int32_t *row_groups, int32_t n_row_groups,
                         const int32_t *columns, int32_t n_columns, nl_stream **out,
                         nl_error *err);

/* Reads the whole file (all columns) into a table: for the command and tests. */
nl_status pq_read_table(pq_file *file, nl_table **out, nl_error *err);

#endif
