/*
 * keys.h -- row keys for hashing: the key columns of each row encoded as one
 * byte string (integers as 8 bytes, decimals as 16, strings length-prefixed),
 * so hash joins and hash aggregation compare and hash a row's keys with one
 * memcmp and one XXH3 call whatever their types.
 *
 * Also the open-addressing hash table both operators use: slots hold the
 * hash and an index (a group id or the first build row).
 */
#ifndef NL_EXEC_KEYS_H
#define NL_EXEC_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/hash.h"
#include "columnar/array.h"
#include "columnar/builder.h"

typedef struct exec_keys {
    uint8_t *buf;
    int64_t *off;  /* n + 1 */
    uint64_t *hash;
    uint8_t *null; /* any key null (only when nulls are not values) */
    int64_t n;
    int64_t cap_rows, cap_buf;
    bool any_null;
    /* one 8-byte key hashed by nl_hash_u64, a bijection: equal hashes mean
     * equal keys, so lookups need not compare the bytes */
    bool hash_is_key;
} exec_keys;

/* Compares two encoded keys of `len` bytes: short keys (most) with word
 * loads instead of a call to memcmp. */
static inline bool exec_key_eq(const uint8_t *a, const uint8_t *b, int64_t len) {
    uint64_t x, y;
    if (len == 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        return x == y;
    }
    if (len > 8 && len <= 16) {
        uint64_t x2, y2;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&x2, a + len - 8, 8);
        memcpy(&y2, b + len - 8, 8);
        return x == y && x2 == y2;
    }
    return memcmp(a, b, (size_t)len) == 0;
}

/* Encodes rows [0, n) of the columns. With nulls_as_values, NULL is a value
 * (GROUP BY); otherwise a row with a null key is flagged in `null`. */
nl_status exec_keys_encode(nl_array *const *cols, int32_t n_cols, int64_t n, bool nulls_as_values,
                           exec_keys *k, nl_error *err);
void exec_keys_free(exec_keys *k);

/* Appends the values of one encoded key (made with nulls_as_values) to one
 * builder per column. */
void exec_keys_decode(const uint8_t *key, nl_type *const *types, int32_t n_cols, nl_builder **out);

/* ---- the hash table ---- */

typedef struct exec_ht {
    uint64_t *hashes;
    int64_t *idx; /* -1 = empty */
    uint64_t mask;
    int64_t count;
} exec_ht;

nl_status exec_ht_init(exec_ht *t, int64_t expected, nl_error *err);
void exec_ht_free(exec_ht *t);
/* Doubles the table (rehashing from the stored hashes). */
nl_status exec_ht_grow(exec_ht *t, nl_error *err);

#endif
