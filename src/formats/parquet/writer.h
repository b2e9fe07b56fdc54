/*
 * writer.h -- writing record batches to a Parquet file.
 *
 * A writer streams row groups through the object store's upload
 * (nl_store_upload_begin): nothing is visible at the URI until
 * pq_writer_close commits, and pq_writer_abort (or any failed call) leaves
 * nothing behind -- a local file is a temporary that is renamed at the end, an
 * S3 object is a multipart upload completed only at the end.
 *
 * What it writes (parquet.thrift, Encodings.md, LogicalTypes.md, PageIndex.md):
 *   - every column type of columnar/type.h, flat and nested (LIST as the
 *     three-level list, STRUCT as a group), with definition and repetition
 *     levels in the RLE/bit-packed hybrid;
 *   - dictionary encoding (a PLAIN dictionary page, RLE_DICTIONARY data pages)
 *     when the dictionary stays under `dictionary_bytes` and pays; otherwise
 *     PLAIN, or DELTA_BINARY_PACKED for integers when that is clearly smaller;
 *   - data pages v1 of about `page_bytes` (and at most `page_rows` rows),
 *     starting on row boundaries, compressed with the chosen codec;
 *   - statistics (null_count, min_value/max_value; min/max for signed orders)
 *     for every column chunk, and a page index (ColumnIndex, OffsetIndex);
 *   - logical types (and the matching converted types) so types round-trip,
 *     and an "ARROW:schema" key so Arrow readers see the exact types.
 *
 * A writer is not thread-safe (one thread drives it); it encodes the columns
 * of a row group in parallel on the library's thread pool.
 */
#ifndef NL_FORMATS_PARQUET_WRITER_H
#define NL_FORMATS_PARQUET_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "columnar/array.h"
#include "io/store.h"
#include "neuralake.h"

typedef struct pq_write_options {
    int codec;                /* pq_codec value; default ZSTD (6) */
    int compression_level;    /* <= 0: the codec's default */
    int64_t row_group_rows;   /* rows per row group; default 1048576 */
    int64_t page_bytes;       /* target uncompressed data page size; default 1 MiB */
    int64_t page_rows;        /* at most this many rows per page; default 20000 */
    int64_t dictionary_bytes; /* dictionary page limit; 0 disables; default 1 MiB */
    bool delta_integers;      /* allow DELTA_BINARY_PACKED; default true */
    bool statistics;          /* chunk statistics; default true */
    bool page_index;          /* ColumnIndex and OffsetIndex; default true */
    bool arrow_schema;        /* the "ARROW:schema" key; default true */
    int threads;              /* 0: the library's pool; 1: encode on the caller */
    /* Extra key-value metadata (borrowed until pq_writer_close). */
    const char *const *kv_keys;
    const char *const *kv_values;
    int32_t n_kv;
    const char *created_by;   /* NULL: "neuralake version <v>" */
} pq_write_options;

/* Fills `o` with the defaults above. */
void pq_write_options_init(pq_write_options *o);

typedef struct pq_writer pq_writer;

/* Starts writing `uri` in `store` (borrowed; must outlive the writer) with
 * columns `schema` (the writer takes its own reference). opts may be NULL for
 * the defaults. Fails on a type Parquet cannot hold (an empty struct, nesting
 * deeper than 255 levels) or when the upload cannot start. */
nl_status pq_writer_open(nl_store *store, const char *uri, nl_schema *schema,
                         const pq_write_options *opts, pq_writer **out, nl_error *err);

/* Appends the rows of `batch` (borrowed; its schema must match the writer's by
 * types). Full row groups are encoded and uploaded as they fill. On failure
 * the writer is poisoned: only pq_writer_abort remains. */
nl_status pq_writer_write_batch(pq_writer *w, nl_batch *batch, nl_error *err);

/* Writes the last row group, the page index and the footer, commits the
 * upload and frees the writer (also on failure, after aborting the upload). */
nl_status pq_writer_close(pq_writer *w, nl_error *err);

/* Drops everything written so far (nothing is left at the URI) and frees the
 * writer. Safe on NULL. */
void pq_writer_abort(pq_writer *w);

/* Rows written so far (in completed row groups and pending). */
int64_t pq_writer_rows(const pq_writer *w);

/* Writes a whole table in one call. */
nl_status pq_write_table(nl_store *store, const char *uri, const nl_table *table,
                         const pq_write_options *opts, nl_error *err);

#endif
