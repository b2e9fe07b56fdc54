/*
 * write_levels.c -- shredding: turns the rows of a top-level column into one
 * leaf's definition levels, repetition levels and dense physical values
 * (Dremel's record shredding, as parquet-format's README describes levels).
 *
 * A flat column takes a fast path: its definition levels are its validity
 * bits and its values are copied (and widened or converted) in one loop. A
 * nested column walks the steps of the leaf's path per row: a null node
 * stops at its parent's level, an empty list stops at the list's level, and
 * the items of a list repeat at the list's repetition level.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/write_internal.h"

void pqw_column_init(pqw_column *c) {
    memset(c, 0, sizeof *c);
    pq_buf_init(&c->def);
    pq_buf_init(&c->rep);
    pq_buf_init(&c->vals);
    pq_buf_init(&c->bptr);
    pq_buf_init(&c->blen);
    pq_buf_init(&c->idx);
    c->def_implicit = true;
}

void pqw_column_reset(pqw_column *c) {
    c->n_levels = c->n_values = c->n_rows = 0;
    c->def_implicit = true;
    c->def.len = c->rep.len = c->vals.len = c->bptr.len = c->blen.len = c->idx.len = 0;
}

void pqw_column_free(pqw_column *c) {
    pq_buf_free(&c->def);
    pq_buf_free(&c->rep);
    pq_buf_free(&c->vals);
    pq_buf_free(&c->bptr);
    pq_buf_free(&c->blen);
    pq_buf_free(&c->idx);
}

void pqw_column_reserve(pqw_column *c, const pqw_leaf *leaf, int64_t rows) {
    size_t n = (size_t)rows;
    if (leaf->max_def > 0) pq_buf_reserve(&c->def, n);
    if (leaf->max_rep > 0) pq_buf_reserve(&c->rep, n);
    if (leaf->conv == PQW_CONV_BYTES) {
        pq_buf_reserve(&c->bptr, n * sizeof(const uint8_t *));
        pq_buf_reserve(&c->blen, n * sizeof(uint32_t));
    } else if (leaf->conv != PQW_CONV_NONE) {
        pq_buf_reserve(&c->vals, n * (size_t)leaf->width);
    }
    /* A failed hint is not an error here; the appends report it. */
    c->def.failed = c->rep.failed = c->bptr.failed = c->blen.failed = c->vals.failed = false;
}

static inline bool slot_valid(const nl_array *a, int64_t i) {
    if (a->type->id == NL_TYPE_NULL) return false;
    return a->validity == NULL || nl_bit_get(a->validity->data, a->offset + i);
}

/* Copies `count` values of leaf array `a` into dense physical form at the end
 * of the column: the values at logical indices idx[0..count) or, when idx is
 * NULL, [start, start + count). */
static nl_status gather(pqw_column *c, const pqw_leaf *leaf, const nl_array *a,
                        const int64_t *idx, int64_t start, int64_t count, nl_error *err) {
    if (count == 0 || leaf->conv == PQW_CONV_NONE) return NL_OK;
    const int64_t base = a->offset;
#define PQW_AT(k) (base + (idx ? idx[k] : start + (k)))
    if (leaf->conv == PQW_CONV_BYTES) {
        if (!pq_buf_reserve(&c->bptr, (size_t)count * sizeof(const uint8_t *)) ||
            !pq_buf_reserve(&c->blen, (size_t)count * sizeof(uint32_t)))
            return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
        const uint8_t **bp = (const uint8_t **)(void *)(c->bptr.data + c->bptr.len);
        uint32_t *bl = (uint32_t *)(void *)(c->blen.data + c->blen.len);
        const int32_t *offs = (const int32_t *)(const void *)a->values->data;
        const uint8_t *data = a->data ? a->data->data : NULL;
        for (int64_t k = 0; k < count; k++) {
            int64_t i = PQW_AT(k);
            int32_t o0 = offs[i], o1 = offs[i + 1];
            bp[k] = data + o0;
            bl[k] = (uint32_t)(o1 - o0);
        }
        c->bptr.len += (size_t)count * sizeof(const uint8_t *);
        c->blen.len += (size_t)count * sizeof(uint32_t);
        c->n_values += count;
        return NL_OK;
    }
    size_t w = (size_t)leaf->width;
    if (!pq_buf_reserve(&c->vals, (size_t)count * w))
        return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
    uint8_t *dst = c->vals.data + c->vals.len;
    const uint8_t *src = a->values->data;
    switch (leaf->conv) {
    case PQW_CONV_BOOL:
        for (int64_t k = 0; k < count; k++) dst[k] = (uint8_t)nl_bit_get(src, PQW_AT(k));
        break;
#define PQW_WIDEN(SRC_T, DST_T)                                                                    \
    do {                                                                                           \
        const SRC_T *s = (const SRC_T *)(const void *)src;                                         \
        DST_T *d = (DST_T *)(void *)dst;                                                           \
        if (!idx) {                                                                                \
            s += base + start;                                                                     \
            for (int64_t k = 0; k < count; k++) d[k] = (DST_T)s[k];                                \
        } else {                                                                                   \
            for (int64_t k = 0; k < count; k++) d[k] = (DST_T)s[base + idx[k]];                    \
        }                                                                                          \
    } while (0)
    case PQW_CONV_I8: PQW_WIDEN(int8_t, int32_t); break;
    case PQW_CONV_I16: PQW_WIDEN(int16_t, int32_t); break;
    case PQW_CONV_I32: PQW_WIDEN(int32_t, int32_t); break;
    case PQW_CONV_U8: PQW_WIDEN(uint8_t, uint32_t); break;
    case PQW_CONV_U16: PQW_WIDEN(uint16_t, uint32_t); break;
    case PQW_CONV_U32: PQW_WIDEN(uint32_t, uint32_t); break;
    case PQW_CONV_COPY4: PQW_WIDEN(uint32_t, uint32_t); break;
    case PQW_CONV_COPY8: PQW_WIDEN(uint64_t, uint64_t); break;
#undef PQW_WIDEN
    case PQW_CONV_SEC_TO_MS: {
        const uint64_t *s = (const uint64_t *)(const void *)src;
        uint64_t *d = (uint64_t *)(void *)dst;
        for (int64_t k = 0; k < count; k++) d[k] = s[PQW_AT(k)] * 1000u;
        break;
    }
    case PQW_CONV_DEC_I32: case PQW_CONV_DEC_I64: case PQW_CONV_DEC_FLBA:
        for (int64_t k = 0; k < count; k++) {
            __int128 v;
            memcpy(&v, src + PQW_AT(k) * 16, 16);
            if (leaf->conv == PQW_CONV_DEC_I32) {
                int32_t x = (int32_t)v;
                memcpy(dst + k * 4, &x, 4);
            } else if (leaf->conv == PQW_CONV_DEC_I64) {
                int64_t x = (int64_t)v;
                memcpy(dst + k * 8, &x, 8);
            } else {
                /* Big-endian two's complement, the low type_length bytes. */
                uint8_t le[16];
                memcpy(le, &v, 16);
                uint8_t *d = dst + (size_t)k * w;
                for (size_t b = 0; b < w; b++) d[b] = le[w - 1 - b];
            }
        }
        break;
    default:
        return nl_error_set(err, NL_EINTERNAL, "unexpected conversion %d", (int)leaf->conv);
    }
#undef PQW_AT
    c->vals.len += (size_t)count * w;
    c->n_values += count;
    return NL_OK;
}

/* ---- nested shredding ---- */

typedef struct shred_ctx {
    pqw_column *c;
    const pqw_leaf *leaf;
    const nl_array *leaf_array; /* the array the leaf's values live in */
    bool failed;
} shred_ctx;

static inline void emit(shred_ctx *s, int16_t def, int16_t rep) {
    if (s->leaf->max_def > 0) pq_buf_byte(&s->c->def, (uint8_t)def);
    if (s->leaf->max_rep > 0) pq_buf_byte(&s->c->rep, (uint8_t)rep);
    s->c->n_levels++;
}

static void shred(shred_ctx *s, int32_t k, const nl_array *a, int64_t i, int16_t def,
                  int16_t rep) {
    const pqw_step *st = &s->leaf->steps[k];
    if (st->nullable) {
        if (!slot_valid(a, i)) {
            emit(s, def, rep);
            return;
        }
        def++;
    }
    switch (st->kind) {
    case PQW_STEP_LEAF: {
        emit(s, def, rep);
        s->leaf_array = a;
        int64_t v = i;
        pq_buf_append(&s->c->idx, &v, sizeof v);
        return;
    }
    case PQW_STEP_STRUCT:
        shred(s, k + 1, a->children[st->child], a->offset + i, def, rep);
        return;
    case PQW_STEP_LIST: {
        const int32_t *offs = (const int32_t *)(const void *)a->values->data + a->offset;
        int64_t b = offs[i], e = offs[i + 1];
        if (b >= e) {
            emit(s, def, rep); /* an empty list */
            return;
        }
        const nl_array *child = a->children[0];
        for (int64_t j = b; j < e; j++)
            shred(s, k + 1, child, j, (int16_t)(def + 1), j == b ? rep : st->rep_level);
        return;
    }
    }
}

nl_status pqw_column_append(pqw_column *c, const pqw_leaf *leaf, const nl_array *a, int64_t start,
                            int64_t n, nl_error *err) {
    c->n_rows += n;
    if (leaf->n_steps == 1) {
        /* Flat: definition levels are the validity bits. */
        bool any_null = a->type->id == NL_TYPE_NULL || (a->validity != NULL && a->null_count != 0);
        if (leaf->max_def > 0 && c->def_implicit && any_null) {
            /* The first nulls: store the levels so far. */
            if (!pq_buf_reserve(&c->def, (size_t)c->n_levels + (size_t)n))
                return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
            memset(c->def.data, (int)leaf->max_def, (size_t)c->n_levels);
            c->def.len = (size_t)c->n_levels;
            c->def_implicit = false;
        }
        if (leaf->max_def > 0 && !c->def_implicit) {
            if (!pq_buf_reserve(&c->def, (size_t)n))
                return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
            uint8_t *d = c->def.data + c->def.len;
            if (a->type->id == NL_TYPE_NULL) {
                memset(d, 0, (size_t)n);
            } else if (!any_null) {
                memset(d, 1, (size_t)n);
            } else {
                const uint8_t *bits = a->validity->data;
                for (int64_t k = 0; k < n; k++) d[k] = nl_bit_get(bits, a->offset + start + k);
            }
            c->def.len += (size_t)n;
        }
        c->n_levels += n;
        if (!any_null || leaf->max_def == 0) return gather(c, leaf, a, NULL, start, n, err);
        if (a->type->id == NL_TYPE_NULL) return NL_OK;
        c->idx.len = 0;
        if (!pq_buf_reserve(&c->idx, (size_t)n * sizeof(int64_t)))
            return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
        int64_t *ix = (int64_t *)(void *)c->idx.data;
        int64_t m = 0;
        const uint8_t *d = c->def.data + c->def.len - n;
        for (int64_t k = 0; k < n; k++) {
            ix[m] = start + k;
            m += d[k];
        }
        return gather(c, leaf, a, ix, 0, m, err);
    }
    c->def_implicit = false;
    shred_ctx s = {c, leaf, NULL, false};
    c->idx.len = 0;
    for (int64_t r = 0; r < n; r++) shred(&s, 0, a, start + r, 0, 0);
    if (!pq_buf_ok(&c->def) || !pq_buf_ok(&c->rep) || !pq_buf_ok(&c->idx))
        return nl_error_set(err, NL_ENOMEM, "out of memory shredding a column");
    int64_t m = (int64_t)(c->idx.len / sizeof(int64_t));
    if (m == 0) return NL_OK;
    /* Values all come from one leaf array: list items share one child array. */
    return gather(c, leaf, s.leaf_array, (const int64_t *)(void *)c->idx.data, 0, m, err);
}
