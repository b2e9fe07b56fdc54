/*
 * tpch_rng.c -- skipping ahead in dbgen's random number streams.
 *
 * A Park-Miller stream is x_n = 16807^n x_0 mod (2^31 - 1), so skipping n
 * draws is one modular power: square-and-multiply in O(log n). This is what
 * lets the generator start any chunk of rows without producing the rows
 * before it (dbgen's NthElement does the same), and so generate in parallel.
 */
#include "datagen/tpch_internal.h"

void tpch_rng_skip(tpch_rng *r, int64_t count) {
    int64_t mult = TPCH_RNG_MULTIPLIER;
    int64_t seed = r->seed;
    while (count > 0) {
        if (count & 1) seed = (mult * seed) % TPCH_RNG_MODULUS;
        count >>= 1;
        mult = (mult * mult) % TPCH_RNG_MODULUS;
    }
    r->seed = seed;
}

void tpch_rng_skip_rows(tpch_rng *r, int64_t rows) {
    if (r->usage != 0) tpch_rng_row_done(r);
    tpch_rng_skip(r, (int64_t)r->per_row * rows);
}
