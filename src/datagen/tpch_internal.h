/*
 * tpch_internal.h -- the pieces the TPC-H generator is built from, shared by
 * the files of src/datagen: dbgen's random number streams (tpch_rng.c), the
 * distributions of dists.dss (tpch_dists.c) and the text pool
 * (tpch_text.c). The table generators (tpch_tables.c) use them; nothing
 * outside this folder should.
 *
 * Why the odd arithmetic: the reference generator, dbgen, draws every column
 * from its own Park-Miller stream (x' = 16807 x mod 2^31-1, TPC-H
 * specification, Appendix D / dbgen rnd.c) and maps a draw into a range with
 * double arithmetic and a deliberate 32-bit overflow. Each stream also has a
 * fixed budget of draws per row: after a row, the stream is skipped to the
 * next row's boundary whatever it used. That budget is what makes the output
 * independent of how rows are split into chunks: chunk k starts every stream
 * by skipping budget * first_row draws (a modular power, O(log n)).
 */
#ifndef NL_DATAGEN_TPCH_INTERNAL_H
#define NL_DATAGEN_TPCH_INTERNAL_H

#include <stdint.h>

#include "datagen/tpch.h"

/* ---- random number streams (TPC-H Appendix D, dbgen rnd.c) ---- */

#define TPCH_RNG_MULTIPLIER 16807
#define TPCH_RNG_MODULUS    2147483647

typedef struct tpch_rng {
    int64_t seed;    /* the last value drawn, in [1, 2^31-2] */
    int32_t usage;   /* draws taken in the current row */
    int32_t per_row; /* draws reserved for each row */
} tpch_rng;

static inline void tpch_rng_init(tpch_rng *r, int64_t seed, int32_t per_row) {
    r->seed = seed;
    r->usage = 0;
    r->per_row = per_row;
}

static inline int64_t tpch_rng_next(tpch_rng *r) {
    r->seed = (r->seed * TPCH_RNG_MULTIPLIER) % TPCH_RNG_MODULUS;
    r->usage++;
    return r->seed;
}

/* A uniform value in [lo, hi]. The range is computed in 32-bit arithmetic and
 * may wrap (dbgen does the same for [0, 2^31-1], which the address generator
 * uses), so keep the operations in this order: the output must match dbgen
 * bit for bit. */
static inline int32_t tpch_rng_int(tpch_rng *r, int32_t lo, int32_t hi) {
    tpch_rng_next(r);
    double range = (double)(int32_t)((uint32_t)hi - (uint32_t)lo + 1u);
    return lo + (int32_t)((1.0 * (double)r->seed / TPCH_RNG_MODULUS) * range);
}

/* Skips `count` draws (count <= 0: nothing). */
void tpch_rng_skip(tpch_rng *r, int64_t count);

/* Ends the current row: skips to the next row's first draw. */
static inline void tpch_rng_row_done(tpch_rng *r) {
    if (r->usage < r->per_row) tpch_rng_skip(r, r->per_row - r->usage);
    r->usage = 0;
}

/* Skips `rows` whole rows (to start a chunk in the middle of a table). */
void tpch_rng_skip_rows(tpch_rng *r, int64_t rows);

/* ---- distributions (dists.dss, part of the TPC-H specification) ---- */

typedef struct tpch_dist {
    const char *name;
    int32_t count;             /* number of values */
    const char *const *values; /* count entries */
    const uint8_t *lengths;    /* strlen of each value */
    const int32_t *weights;    /* cumulative (NULL when uniform); for "nations",
                                  the region key of each nation */
    int32_t total;             /* sum of weights: draws are in [0, total) */
    const uint8_t *pick;       /* total entries: draw -> value index; NULL when
                                  uniform (the draw is the index) */
} tpch_dist;

typedef enum tpch_dist_id {
    TPCH_DIST_NATIONS,
    TPCH_DIST_REGIONS,
    TPCH_DIST_COLORS,
    TPCH_DIST_P_TYPES,
    TPCH_DIST_P_CNTR,
    TPCH_DIST_MSEGMNT,
    TPCH_DIST_O_OPRIO,
    TPCH_DIST_INSTRUCT,
    TPCH_DIST_SMODE,
    TPCH_DIST_RFLAG,
    TPCH_DIST_NOUNS,
    TPCH_DIST_VERBS,
    TPCH_DIST_ADJECTIVES,
    TPCH_DIST_ADVERBS,
    TPCH_DIST_ARTICLES,
    TPCH_DIST_PREPOSITIONS,
    TPCH_DIST_AUXILIARIES,
    TPCH_DIST_TERMINATORS,
    TPCH_DIST_GRAMMAR,
    TPCH_DIST_NP,
    TPCH_DIST_VP,
    TPCH_DIST_COUNT_
} tpch_dist_id;

/* The distributions, built on first use (thread-safe, immutable after). */
const tpch_dist *tpch_dist_get(tpch_dist_id id);

/* A weighted random value index (dbgen pick_str). */
static inline int32_t tpch_dist_pick(const tpch_dist *d, tpch_rng *r) {
    int32_t draw = tpch_rng_int(r, 0, d->total - 1);
    return d->pick ? d->pick[draw] : draw;
}

/* ---- the text pool (TPC-H 4.2.2.10) ---- */

/* dbgen draws every comment from one 300 MiB block of generated sentences. */
#define TPCH_TEXT_POOL_SIZE (300 * 1024 * 1024)

/* Generates the pool into a new buffer of TPCH_TEXT_POOL_SIZE bytes (plus
 * slack); NULL on OOM. Takes about a second. Free with nl_free. */
char *tpch_text_pool_new(void);

#endif
