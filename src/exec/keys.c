/*
 * keys.c -- row key encoding and the open-addressing table (see keys.h).
 */
#include "exec/keys.h"

#include <sys/mman.h>

#include "base/alloc.h"
#include "base/error.h"

static int key_width(nl_type_id id) {
    switch (id) {
    case NL_TYPE_BOOL:
    case NL_TYPE_NULL: return 1;
    case NL_TYPE_DECIMAL128: return 16;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: return -1;
    default: return 8;
    }
}

void exec_keys_free(exec_keys *k) {
    nl_free(k->buf);
    nl_free(k->off);
    nl_free(k->hash);
    nl_free(k->null);
    memset(k, 0, sizeof *k);
}

static inline int64_t int_at(const nl_array *a, int64_t i) {
    int64_t j = a->offset + i;
    switch (a->type->id) {
    case NL_TYPE_INT8: return ((const int8_t *)a->values->data)[j];
    case NL_TYPE_INT16: return ((const int16_t *)a->values->data)[j];
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: return ((const int32_t *)a->values->data)[j];
    case NL_TYPE_UINT8: return ((const uint8_t *)a->values->data)[j];
    case NL_TYPE_UINT16: return ((const uint16_t *)a->values->data)[j];
    case NL_TYPE_UINT32: return ((const uint32_t *)a->values->data)[j];
    default: return ((const int64_t *)a->values->data)[j];
    }
}

/* The common join key: one integer column without nulls, written as
 * 8-byte values in one typed loop. False when the column is not such. */
static bool one_int_key(const nl_array *a, uint8_t *buf, int64_t n) {
    if (a->validity && a->null_count > 0) return false;
    int64_t *o = (int64_t *)buf; /* nl_malloc'd: 16-byte aligned */
    switch (a->type->id) {
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: {
        const int32_t *x = (const int32_t *)a->values->data + a->offset;
        for (int64_t i = 0; i < n; i++) o[i] = x[i];
        return true;
    }
    case NL_TYPE_INT64:
    case NL_TYPE_UINT64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_TIME64:
    case NL_TYPE_DURATION:
        if (n > 0) memcpy(o, a->values->data + a->offset * 8, (size_t)n * 8); /* buf is NULL when n is 0 */
        return true;
    default: return false;
    }
}

nl_status exec_keys_encode(nl_array *const *cols, int32_t n_cols, int64_t n, bool nulls_as_values,
                           exec_keys *k, nl_error *err) {
    k->n = n;
    k->any_null = false;
    if (n + 1 > k->cap_rows) {
        int64_t cap = n + 1 > 1024 ? n + 1 : 1024;
        nl_free(k->off);
        nl_free(k->hash);
        nl_free(k->null);
        k->off = nl_malloc(sizeof(int64_t) * (size_t)cap);
        k->hash = nl_malloc(sizeof(uint64_t) * (size_t)cap);
        k->null = nl_malloc((size_t)cap);
        if (!k->off || !k->hash || !k->null) return nl_error_set(err, NL_ENOMEM, "out of memory encoding keys");
        k->cap_rows = cap;
    }
    /* row sizes */
    int64_t fixed = 0;
    bool var = false;
    for (int32_t c = 0; c < n_cols; c++) {
        int w = key_width(cols[c]->type->id);
        if (w < 0) {
            var = true;
            fixed += 4;
        } else {
            fixed += w;
        }
        if (nulls_as_values) fixed += 1;
    }
    memset(k->null, 0, (size_t)n);
    if (!var) {
        for (int64_t i = 0; i <= n; i++) k->off[i] = i * fixed;
    } else {
        k->off[0] = 0;
        for (int64_t i = 0; i < n; i++) k->off[i + 1] = fixed;
        for (int32_t c = 0; c < n_cols; c++) {
            const nl_array *a = cols[c];
            if (key_width(a->type->id) >= 0) continue;
            const int32_t *o = (const int32_t *)a->values->data + a->offset;
            for (int64_t i = 0; i < n; i++) k->off[i + 1] += o[i + 1] - o[i];
        }
        for (int64_t i = 0; i < n; i++) k->off[i + 1] += k->off[i];
    }
    int64_t total = k->off[n];
    if (total > k->cap_buf) {
        int64_t cap = total > 4096 ? total : 4096;
        nl_free(k->buf);
        k->buf = nl_malloc((size_t)cap);
        if (!k->buf) return nl_error_set(err, NL_ENOMEM, "out of memory encoding keys");
        k->cap_buf = cap;
    }
    if (n_cols == 1 && !nulls_as_values && fixed == 8 && one_int_key(cols[0], k->buf, n)) {
        k->hash_is_key = true;
        const uint64_t *v = (const uint64_t *)k->buf;
        for (int64_t i = 0; i < n; i++) k->hash[i] = nl_hash_u64(v[i]);
        return NL_OK;
    }
    /* write column by column; `pos` is the write cursor of each row */
    int64_t *pos = nl_malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    if (!pos) return nl_error_set(err, NL_ENOMEM, "out of memory encoding keys");
    for (int64_t i = 0; i < n; i++) pos[i] = k->off[i];
    uint8_t *buf = k->buf;
    for (int32_t c = 0; c < n_cols; c++) {
        const nl_array *a = cols[c];
        nl_type_id id = a->type->id;
        bool has_nulls = id == NL_TYPE_NULL || (a->validity && a->null_count > 0);
        for (int64_t i = 0; i < n; i++) {
            bool valid = !has_nulls || (id != NL_TYPE_NULL && nl_array_is_valid(a, i));
            if (nulls_as_values) buf[pos[i]++] = valid ? 1 : 0;
            if (!valid) {
                if (!nulls_as_values) {
                    k->null[i] = 1;
                    k->any_null = true;
                }
                /* keep the row's length: zero-fill the value */
                int w = key_width(id);
                if (w < 0) w = 4;
                memset(buf + pos[i], 0, (size_t)w);
                pos[i] += w;
                continue;
            }
            switch (id) {
            case NL_TYPE_BOOL: buf[pos[i]++] = nl_array_bool(a, i); break;
            case NL_TYPE_NULL: buf[pos[i]++] = 0; break;
            case NL_TYPE_FLOAT32:
            case NL_TYPE_FLOAT64: {
                double d = id == NL_TYPE_FLOAT32 ? (double)NL_ARRAY_VALUES(a, float)[i] : NL_ARRAY_VALUES(a, double)[i];
                if (d == 0) d = 0; /* -0.0 */
                if (d != d) d = __builtin_nan("");
                memcpy(buf + pos[i], &d, 8);
                pos[i] += 8;
                break;
            }
            case NL_TYPE_DECIMAL128:
                memcpy(buf + pos[i], a->values->data + (a->offset + i) * 16, 16);
                pos[i] += 16;
                break;
            case NL_TYPE_UTF8:
            case NL_TYPE_BINARY: {
                int32_t len;
                const char *s = nl_array_str(a, i, &len);
                memcpy(buf + pos[i], &len, 4);
                memcpy(buf + pos[i] + 4, s, (size_t)len);
                pos[i] += 4 + len;
                break;
            }
            case NL_TYPE_UINT64:
            case NL_TYPE_INT64:
            case NL_TYPE_TIMESTAMP:
            case NL_TYPE_TIME64:
            case NL_TYPE_DURATION:
                memcpy(buf + pos[i], a->values->data + (a->offset + i) * 8, 8);
                pos[i] += 8;
                break;
            default: {
                int64_t v = int_at(a, i);
                memcpy(buf + pos[i], &v, 8);
                pos[i] += 8;
                break;
            }
            }
        }
    }
    nl_free(pos);
    k->hash_is_key = !var && fixed == 8;
    if (!var && fixed == 8) {
        for (int64_t i = 0; i < n; i++) {
            uint64_t v;
            memcpy(&v, buf + i * 8, 8);
            k->hash[i] = nl_hash_u64(v);
        }
    } else {
        for (int64_t i = 0; i < n; i++)
            k->hash[i] = nl_hash_bytes(buf + k->off[i], (size_t)(k->off[i + 1] - k->off[i]), 0);
    }
    return NL_OK;
}

void exec_keys_decode(const uint8_t *key, nl_type *const *types, int32_t n_cols, nl_builder **out) {
    size_t p = 0;
    for (int32_t c = 0; c < n_cols; c++) {
        nl_type_id id = types[c]->id;
        bool valid = key[p++] != 0;
        int w = key_width(id);
        if (!valid) {
            nl_builder_append_null(out[c]);
            p += (size_t)(w < 0 ? 4 : w);
            continue;
        }
        switch (id) {
        case NL_TYPE_BOOL: nl_builder_append_bool(out[c], key[p] != 0); break;
        case NL_TYPE_NULL: nl_builder_append_null(out[c]); break;
        case NL_TYPE_FLOAT32:
        case NL_TYPE_FLOAT64: {
            double d;
            memcpy(&d, key + p, 8);
            nl_builder_append_double(out[c], d);
            break;
        }
        case NL_TYPE_DECIMAL128: {
            __int128 v;
            memcpy(&v, key + p, 16);
            nl_builder_append_decimal(out[c], v);
            break;
        }
        case NL_TYPE_UTF8:
        case NL_TYPE_BINARY: {
            int32_t len;
            memcpy(&len, key + p, 4);
            nl_builder_append_string(out[c], (const char *)key + p + 4, len);
            p += (size_t)len;
            break;
        }
        case NL_TYPE_UINT8:
        case NL_TYPE_UINT16:
        case NL_TYPE_UINT32:
        case NL_TYPE_UINT64: {
            uint64_t v;
            memcpy(&v, key + p, 8);
            nl_builder_append_uint(out[c], v);
            break;
        }
        default: {
            int64_t v;
            memcpy(&v, key + p, 8);
            nl_builder_append_int(out[c], v);
            break;
        }
        }
        p += (size_t)(w < 0 ? 4 : w);
    }
}

/* A large table is probed at random: on 4 KiB pages nearly every probe
 * misses the TLB too, and filling it faults page by page. Transparent huge
 * pages (where the system offers them on request) avoid both. */
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void advise_huge(void *p, size_t len) {
#ifdef MADV_HUGEPAGE
    if (len < 4 * HUGE_PAGE) return;
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);
    if (to > from) (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

nl_status exec_ht_init(exec_ht *t, int64_t expected, nl_error *err) {
    uint64_t cap = 1024;
    while (cap < (uint64_t)expected * 2) cap <<= 1;
    t->hashes = nl_malloc(sizeof(uint64_t) * cap);
    t->idx = nl_malloc(sizeof(int64_t) * cap);
    if (!t->hashes || !t->idx) {
        nl_free(t->hashes);
        nl_free(t->idx);
        return nl_error_set(err, NL_ENOMEM, "out of memory for a hash table");
    }
    advise_huge(t->hashes, sizeof(uint64_t) * cap);
    advise_huge(t->idx, sizeof(int64_t) * cap);
    memset(t->idx, 0xff, sizeof(int64_t) * cap);
    t->mask = cap - 1;
    t->count = 0;
    return NL_OK;
}

void exec_ht_free(exec_ht *t) {
    nl_free(t->hashes);
    nl_free(t->idx);
    memset(t, 0, sizeof *t);
}

nl_status exec_ht_grow(exec_ht *t, nl_error *err) {
    exec_ht n;
    NL_TRY(exec_ht_init(&n, (int64_t)(t->mask + 1), err));
    for (uint64_t s = 0; s <= t->mask; s++) {
        if (t->idx[s] < 0) continue;
        uint64_t slot = t->hashes[s] & n.mask;
        while (n.idx[slot] >= 0) slot = (slot + 1) & n.mask;
        n.hashes[slot] = t->hashes[s];
        n.idx[slot] = t->idx[s];
    }
    n.count = t->count;
    exec_ht_free(t);
    *t = n;
    return NL_OK;
}
