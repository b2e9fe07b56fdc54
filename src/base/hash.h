/*
 * hash.h -- hashing for hash joins, aggregation and dictionaries, through
 * xxHash (XXH3), plus a cheap mixer for fixed-width keys.
 */
#ifndef NL_BASE_HASH_H
#define NL_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static inline uint64_t nl_hash_bytes(const void *data, size_t len, uint64_t seed) {
    return XXH3_64bits_withSeed(data, len, seed);
}

/* A strong 64-bit finaliser (the murmur3 fmix64 constants) for integer keys. */
static inline uint64_t nl_hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Combines a running hash with the hash of the next key column. */
static inline uint64_t nl_hash_combine(uint64_t h, uint64_t next) {
    return nl_hash_u64(h ^ (next + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

#endif
