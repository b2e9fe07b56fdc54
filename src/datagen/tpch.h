/*
 * tpch.h -- the TPC-H data generator: the eight tables of the benchmark, row
 * for row what the reference dbgen produces, as record batches.
 *
 * The column types are those of the Parquet files the project checks against
 * (../shared/testdata/tpch): keys BIGINT (region and nation keys, p_size and
 * o_shippriority INTEGER), money and quantities DECIMAL(15,2), dates DATE,
 * text UTF8.
 *
 * Generation is by chunks of "units", so that chunks can be generated in
 * parallel and written in order: a unit is a row of the table, except for
 * partsupp (a unit is a part: 4 rows) and lineitem (an order: 1 to 7 rows).
 * Any split of the units gives the same rows.
 *
 *     tpch_gen *g;
 *     NL_TRY(tpch_gen_new(1.0, &g, err));           // builds the text pool
 *     int64_t n = tpch_gen_units(g, TPCH_LINEITEM);
 *     ... tpch_gen_batch(g, TPCH_LINEITEM, start, count, &batch, err) ...
 *     tpch_gen_free(g);
 */
#ifndef NL_DATAGEN_TPCH_H
#define NL_DATAGEN_TPCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/threadpool.h"
#include "columnar/array.h"

typedef enum tpch_table {
    TPCH_REGION = 0,
    TPCH_NATION,
    TPCH_SUPPLIER,
    TPCH_CUSTOMER,
    TPCH_PART,
    TPCH_PARTSUPP,
    TPCH_ORDERS,
    TPCH_LINEITEM,
    TPCH_TABLE_COUNT
} tpch_table;

/* "region", "nation", ... "lineitem". */
const char *tpch_table_name(tpch_table table);
/* The table called `name` (exact, lower case); false when there is none. */
bool tpch_table_lookup(const char *name, tpch_table *out);

/* The table's schema: a new reference (release with nl_schema_unref), NULL on
 * OOM. */
nl_schema *tpch_schema(tpch_table table);

/* Largest scale factor accepted: keys stay within dbgen's 32-bit streams. */
#define TPCH_MAX_SCALE 1000.0

typedef struct tpch_gen tpch_gen;

/* A generator for scale factor `scale` (> 0, <= TPCH_MAX_SCALE; 1 is about
 * 1 GB of text data). Builds the 300 MiB text pool that comments are cut from,
 * which takes about a second. Immutable afterwards: tpch_gen_batch may be
 * called from many threads at once. */
nl_status tpch_gen_new(double scale, tpch_gen **out, nl_error *err);
void tpch_gen_free(tpch_gen *gen);

double tpch_gen_scale(const tpch_gen *gen);

/* Units of `table` at the generator's scale (see above). */
int64_t tpch_gen_units(const tpch_gen *gen, tpch_table table);

/* Rows in the table: exact for all tables but lineitem, for which it is the
 * expected count (4 per order); for progress and size estimates. */
int64_t tpch_gen_rows_estimate(const tpch_gen *gen, tpch_table table);

/* Generates units [start, start + count) of `table` into a new batch (the
 * caller owns the reference). 0 <= start, start + count <= units. */
nl_status tpch_gen_batch(const tpch_gen *gen, tpch_table table, int64_t start, int64_t count,
                         nl_batch **out, nl_error *err);

/* ---- whole tables (tpch_run.c) ---- */

/* Receives the batches of a table in order; the batch is borrowed. A status
 * other than NL_OK stops the generation and is returned. */
typedef nl_status (*tpch_sink_fn)(void *ctx, nl_batch *batch, nl_error *err);

/* The chunk size tpch_gen_table uses by default: about 64K rows. */
int64_t tpch_default_chunk_units(tpch_table table);

/* Generates all of `table` in chunks of `chunk_units` units (<= 0: the
 * default), in parallel on `pool` (NULL: nl_pool_default()), and hands the
 * batches to `sink` on the calling thread, in order. */
nl_status tpch_gen_table(const tpch_gen *gen, tpch_table table, nl_pool *pool, int64_t chunk_units,
                         tpch_sink_fn sink, void *ctx, nl_error *err);

/* ---- dbgen's text format (tpch_tbl.c) ---- */

/* Writes the rows of `batch` as dbgen's .tbl lines: values separated and
 * ended by '|', decimals with two digits, dates as YYYY-MM-DD. */
nl_status tpch_write_tbl(FILE *out, const nl_batch *batch, nl_error *err);

#endif
