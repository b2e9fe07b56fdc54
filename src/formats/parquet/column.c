/*
 * column.c -- Arrow arrays from decoded leaves: physical-to-logical value
 * conversion, spreading dense values over null slots, and rebuilding struct
 * validity and list offsets from definition and repetition levels (the
 * thresholds are explained in schema.h).
 */
#include "formats/parquet/column.h"

#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* Julian day of 1970-01-01, for INT96 timestamps. */
#define PQ_JULIAN_EPOCH 2440588LL
#define PQ_MICROS_PER_DAY 86400000000LL

static nl_buffer *wrap(void *ptr, int64_t size) {
    nl_buffer *b = nl_buffer_wrap(ptr, size, nl_aligned_free, ptr);
    if (!b) nl_aligned_free(ptr);
    return b;
}

static void *alloc_zero(size_t n) {
    void *p = nl_aligned_alloc(n ? n : 1);
    if (p) memset(p, 0, n ? n : 1);
    return p;
}

static inline int16_t def_at(const pq_leaf_data *d, const pq_leaf_info *li, int64_t k) {
    return d->def ? d->def[k] : li->max_def;
}
static inline int16_t rep_at(const pq_leaf_data *d, int64_t k) { return d->rep ? d->rep[k] : 0; }

/* ---- slots and validity ---- */

typedef struct slots {
    int64_t n;
    int64_t nulls;
    uint8_t *validity; /* NULL when nulls == 0 */
} slots;

static nl_status find_slots(const pq_anode *a, const pq_leaf_info *li, const pq_leaf_data *d,
                            slots *s, nl_error *err) {
    memset(s, 0, sizeof *s);
    int64_t n = d->n_levels;
    if (!d->rep && (!d->def || a->valid_def == 0)) {
        s->n = n; /* every entry is a slot and every slot is valid */
        return NL_OK;
    }
    uint8_t *bits = alloc_zero((size_t)(n + 7) / 8 + 8);
    NL_CHECK_ALLOC(bits, err);
    int64_t m = 0, nulls = 0;
    if (!d->rep) {
        const int16_t *def = d->def;
        const int16_t vd = a->valid_def;
        for (int64_t k = 0; k < n; k++) {
            bool v = def[k] >= vd;
            bits[k >> 3] |= (uint8_t)(v << (k & 7));
            nulls += !v;
        }
        m = n;
    } else {
        for (int64_t k = 0; k < n; k++) {
            int16_t dv = def_at(d, li, k);
            if (rep_at(d, k) <= a->slot_rep && dv >= a->slot_def) {
                bool v = dv >= a->valid_def;
                bits[m >> 3] |= (uint8_t)(v << (m & 7));
                nulls += !v;
                m++;
            }
        }
    }
    s->n = m;
    s->nulls = nulls;
    if (nulls == 0) {
        nl_aligned_free(bits);
    } else {
        s->validity = bits;
    }
    return NL_OK;
}

static inline bool slot_valid(const slots *s, int64_t i) {
    return !s->validity || ((s->validity[i >> 3] >> (i & 7)) & 1);
}

/* ---- leaf values ---- */

static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    float v;
    if (exp == 0) v = ldexpf((float)mant, -24);
    else if (exp == 31) v = mant ? NAN : INFINITY;
    else v = ldexpf((float)(mant | 0x400), (int)exp - 25);
    return sign ? -v : v;
}

static __int128 big_endian_int(const uint8_t *p, int len) {
    /* Sign-extend from the first byte. */
    unsigned __int128 v = (len > 0 && (p[0] & 0x80)) ? ~(unsigned __int128)0 : 0;
    for (int i = 0; i < len; i++) v = (v << 8) | p[i];
    return (__int128)v;
}

#define SPREAD(OUT_T, IN_T, EXPR)                                                                  \
    do {                                                                                           \
        OUT_T *o_ = (OUT_T *)out;                                                                  \
        const IN_T *in_ = (const IN_T *)(const void *)d->fixed;                                    \
        if (!s->validity) {                                                                        \
            for (int64_t i = 0; i < s->n; i++) {                                                   \
                IN_T v = in_[i];                                                                   \
                o_[i] = (EXPR);                                                                    \
            }                                                                                      \
        } else {                                                                                   \
            int64_t vi = 0;                                                                        \
            for (int64_t i = 0; i < s->n; i++) {                                                   \
                if (slot_valid(s, i)) {                                                            \
                    IN_T v = in_[vi++];                                                            \
                    o_[i] = (EXPR);                                                                \
                } else {                                                                           \
                    o_[i] = 0;                                                                     \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* Fixed-width byte groups (INT96, FLBA): `v` points at the value. */
#define SPREAD_BYTES(OUT_T, W, EXPR)                                                               \
    do {                                                                                           \
        OUT_T *o_ = (OUT_T *)out;                                                                  \
        int64_t vi = 0;                                                                            \
        for (int64_t i = 0; i < s->n; i++) {                                                       \
            if (slot_valid(s, i)) {                                                                \
                const uint8_t *v = d->fixed + (size_t)(vi++) * (size_t)(W);                        \
                o_[i] = (EXPR);                                                                    \
            } else {                                                                               \
                o_[i] = 0;                                                                         \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static int64_t int96_micros(const uint8_t *v) {
    int64_t nanos;
    int32_t day;
    memcpy(&nanos, v, 8);
    memcpy(&day, v + 8, 4);
    return (int64_t)((uint64_t)((int64_t)day - PQ_JULIAN_EPOCH) * (uint64_t)PQ_MICROS_PER_DAY +
                     (uint64_t)(nanos / 1000));
}

/* Offsets over slots for dense byte values with per-value lengths taken from
 * `dense_offs` (NULL: fixed width w). */
static int32_t *spread_offsets(const slots *s, const int32_t *dense_offs, int w, nl_error *err) {
    int32_t *o = nl_aligned_alloc((size_t)(s->n + 1) * 4);
    if (!o) {
        nl_error_set(err, NL_ENOMEM, "out of memory assembling a column");
        return NULL;
    }
    int64_t vi = 0;
    int64_t cur = 0;
    o[0] = 0;
    for (int64_t i = 0; i < s->n; i++) {
        if (slot_valid(s, i)) {
            cur = dense_offs ? dense_offs[vi + 1] : (vi + 1) * (int64_t)w;
            vi++;
        }
        o[i + 1] = (int32_t)cur;
    }
    return o;
}

static nl_status assemble_leaf(const pq_anode *a, const pq_leaf_info *li, pq_leaf_data *d,
                               nl_array **out_array, nl_error *err) {
    slots sl;
    NL_TRY(find_slots(a, li, d, &sl, err));
    const slots *s = &sl;
    if (li->conv == PQ_CONV_NULL) {
        nl_aligned_free(sl.validity);
        return nl_array_new_nulls(li->type, s->n, out_array, err);
    }
    if (s->n - s->nulls != d->n_values) {
        nl_aligned_free(sl.validity);
        return nl_error_set(err, NL_ECORRUPT, "column '%s': %lld values for %lld non-null slots",
                            li->path, (long long)d->n_values, (long long)(s->n - s->nulls));
    }
    nl_buffer *validity = NULL, *values = NULL, *data = NULL;
    if (sl.validity) {
        validity = wrap(sl.validity, (s->n + 7) / 8);
        if (!validity) return nl_error_set(err, NL_ENOMEM, "out of memory assembling a column");
    }
    void *out = NULL;
    int out_width = nl_type_byte_width(li->type->id);
    nl_status st = NL_OK;
    switch (li->conv) {
    case PQ_CONV_COPY:
        if (!s->validity) {
            void *p = d->fixed ? d->fixed : alloc_zero(1);
            d->fixed = NULL;
            if (p) values = wrap(p, s->n * out_width); /* zero-copy */
            break;
        }
        out = nl_aligned_alloc((size_t)s->n * (size_t)out_width + 1);
        if (!out) break;
        if (out_width == 4) SPREAD(uint32_t, uint32_t, v);
        else SPREAD(uint64_t, uint64_t, v);
        break;
    case PQ_CONV_BOOL: {
        uint8_t *bits = alloc_zero((size_t)(s->n + 7) / 8);
        if (!bits) break;
        int64_t vi = 0;
        for (int64_t i = 0; i < s->n; i++)
            if (slot_valid(s, i) && d->fixed[vi++]) bits[i >> 3] |= (uint8_t)(1u << (i & 7));
        values = wrap(bits, (s->n + 7) / 8);
        break;
    }
    default:
        if (out_width > 0) out = nl_aligned_alloc((size_t)s->n * (size_t)out_width + 1);
        else out = (void *)1; /* variable width below */
        if (!out) break;
        switch (li->conv) {
        case PQ_CONV_I32_I8: SPREAD(int8_t, int32_t, (int8_t)v); break;
        case PQ_CONV_I32_I16: SPREAD(int16_t, int32_t, (int16_t)v); break;
        case PQ_CONV_I32_U8: SPREAD(uint8_t, uint32_t, (uint8_t)v); break;
        case PQ_CONV_I32_U16: SPREAD(uint16_t, uint32_t, (uint16_t)v); break;
        case PQ_CONV_I32_TIME_MS: SPREAD(int64_t, int32_t, (int64_t)v * 1000); break;
        case PQ_CONV_I32_DEC: SPREAD(__int128, int32_t, (__int128)v); break;
        case PQ_CONV_I64_DEC: SPREAD(__int128, int64_t, (__int128)v); break;
        case PQ_CONV_FLBA_DEC: SPREAD_BYTES(__int128, d->width, big_endian_int(v, d->width)); break;
        case PQ_CONV_INT96_TS: SPREAD_BYTES(int64_t, 12, int96_micros(v)); break;
        case PQ_CONV_FLOAT16: {
            float *o = out;
            int64_t vi = 0;
            for (int64_t i = 0; i < s->n; i++) {
                if (slot_valid(s, i)) {
                    uint16_t h;
                    memcpy(&h, d->fixed + 2 * vi++, 2);
                    o[i] = half_to_float(h);
                } else {
                    o[i] = 0;
                }
            }
            break;
        }
        case PQ_CONV_BYTES_DEC: {
            __int128 *o = out;
            int64_t vi = 0;
            const int32_t *offs = d->bytes.offsets;
            for (int64_t i = 0; i < s->n && st == NL_OK; i++) {
                if (!slot_valid(s, i)) {
                    o[i] = 0;
                    continue;
                }
                int32_t a0 = offs[vi], len = offs[vi + 1] - a0;
                vi++;
                if (len > 16) {
                    st = nl_error_set(err, NL_ENOTSUP, "column '%s': a %d-byte decimal", li->path, len);
                    break;
                }
                o[i] = big_endian_int(d->bytes.data + a0, len);
            }
            break;
        }
        case PQ_CONV_BYTES: {
            out = NULL;
            int32_t *offs;
            if (!s->validity) {
                offs = d->bytes.offsets;
                d->bytes.offsets = NULL;
                if (!offs) { /* no values at all */
                    offs = alloc_zero(4);
                    if (!offs) break;
                }
            } else {
                offs = spread_offsets(s, d->bytes.offsets, 0, err);
                if (!offs) break;
            }
            values = wrap(offs, (s->n + 1) * 4);
            uint8_t *bytes = d->bytes.data ? d->bytes.data : alloc_zero(1);
            d->bytes.data = NULL;
            if (bytes) data = wrap(bytes, d->bytes.data_len);
            break;
        }
        case PQ_CONV_FLBA_BIN: {
            out = NULL;
            int32_t *offs = spread_offsets(s, NULL, d->width, err);
            if (!offs) break;
            if (d->n_values * (int64_t)d->width > INT32_MAX) {
                nl_aligned_free(offs);
                st = nl_error_set(err, NL_ENOTSUP, "column '%s': over 2 GiB of bytes", li->path);
                break;
            }
            values = wrap(offs, (s->n + 1) * 4);
            uint8_t *bytes = d->fixed ? d->fixed : alloc_zero(1);
            d->fixed = NULL;
            if (bytes) data = wrap(bytes, d->n_values * d->width);
            break;
        }
        case PQ_CONV_UUID: {
            out = NULL;
            int32_t *offs = spread_offsets(s, NULL, 36, err);
            uint8_t *text = nl_aligned_alloc((size_t)d->n_values * 36 + 1);
            if (!offs || !text) {
                nl_aligned_free(offs);
                nl_aligned_free(text);
                break;
            }
            static const char hex[] = "0123456789abcdef";
            for (int64_t vi = 0; vi < d->n_values; vi++) {
                const uint8_t *u = d->fixed + vi * 16;
                char *t = (char *)text + vi * 36;
                for (int b = 0, j = 0; b < 16; b++) {
                    if (b == 4 || b == 6 || b == 8 || b == 10) t[j++] = '-';
                    t[j++] = hex[u[b] >> 4];
                    t[j++] = hex[u[b] & 15];
                }
            }
            values = wrap(offs, (s->n + 1) * 4);
            data = wrap(text, d->n_values * 36);
            break;
        }
        default: st = nl_error_set(err, NL_EINTERNAL, "column '%s': unknown conversion", li->path);
        }
        break;
    }
    if (out && out != (void *)1) {
        if (st == NL_OK) values = wrap(out, s->n * out_width);
        else nl_aligned_free(out);
    }
    if (st == NL_OK && (!values || (nl_type_is_string_like(li->type->id) && !data))) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory assembling column '%s'", li->path);
    }
    if (st != NL_OK) {
        nl_buffer_unref(validity);
        nl_buffer_unref(values);
        nl_buffer_unref(data);
        return st;
    }
    return nl_array_new(nl_type_ref(li->type), s->n, 0, s->nulls, validity, values, data, NULL, 0,
                        out_array, err);
}

/* ---- nested ---- */

static nl_status assemble_node(const pq_schema_map *map, const pq_anode *a, pq_leaf_data *leaves,
                               nl_array **out, nl_error *err);

static nl_status assemble_struct(const pq_schema_map *map, const pq_anode *a,
                                 pq_leaf_data *leaves, nl_array **out, nl_error *err) {
    const pq_leaf_info *li = &map->leaves[a->first_leaf];
    slots s;
    NL_TRY(find_slots(a, li, &leaves[a->first_leaf], &s, err));
    nl_array **children = nl_calloc((size_t)a->n_children + 1, sizeof *children);
    if (!children) {
        nl_aligned_free(s.validity);
        return nl_error_set(err, NL_ENOMEM, "out of memory assembling a struct");
    }
    nl_status st = NL_OK;
    for (int32_t i = 0; i < a->n_children && st == NL_OK; i++) {
        st = assemble_node(map, &a->children[i], leaves, &children[i], err);
        if (st == NL_OK && children[i]->length != s.n)
            st = nl_error_set(err, NL_ECORRUPT,
                              "column '%s': its levels disagree with its sibling's (%lld vs %lld rows)",
                              map->leaves[a->children[i].first_leaf].path,
                              (long long)children[i]->length, (long long)s.n);
    }
    if (st != NL_OK) {
        for (int32_t i = 0; i < a->n_children; i++) nl_array_unref(children[i]);
        nl_free(children);
        nl_aligned_free(s.validity);
        return st;
    }
    nl_buffer *validity = NULL;
    if (s.validity) {
        validity = wrap(s.validity, (s.n + 7) / 8);
        if (!validity) st = nl_error_set(err, NL_ENOMEM, "out of memory assembling a struct");
    }
    if (st == NL_OK)
        st = nl_array_new(nl_type_ref(a->type), s.n, 0, s.nulls, validity, NULL, NULL, children,
                          a->n_children, out, err);
    else
        for (int32_t i = 0; i < a->n_children; i++) nl_array_unref(children[i]);
    nl_free(children);
    return st;
}

static nl_status assemble_list(const pq_schema_map *map, const pq_anode *a, pq_leaf_data *leaves,
                               nl_array **out, nl_error *err) {
    const pq_leaf_info *li = &map->leaves[a->first_leaf];
    const pq_leaf_data *d = &leaves[a->first_leaf];
    int64_t n = d->n_levels;
    /* Slots are at most the entries. */
    int32_t *offs = nl_aligned_alloc((size_t)(n + 1) * 4);
    uint8_t *bits = alloc_zero((size_t)(n + 7) / 8 + 8);
    if (!offs || !bits) {
        nl_aligned_free(offs);
        nl_aligned_free(bits);
        return nl_error_set(err, NL_ENOMEM, "out of memory assembling a list");
    }
    int64_t m = 0, nulls = 0, elems = 0;
    for (int64_t k = 0; k < n; k++) {
        int16_t dv = def_at(d, li, k), rv = rep_at(d, k);
        if (rv <= a->slot_rep && dv >= a->slot_def) {
            offs[m] = (int32_t)elems;
            bool v = dv >= a->valid_def;
            bits[m >> 3] |= (uint8_t)(v << (m & 7));
            nulls += !v;
            m++;
        }
        if (rv <= a->elem_rep && dv >= a->elem_def) {
            elems++;
            if (elems > INT32_MAX) {
                nl_aligned_free(offs);
                nl_aligned_free(bits);
                return nl_error_set(err, NL_ENOTSUP, "column '%s': over 2^31 list items", li->path);
            }
        }
    }
    offs[m] = (int32_t)elems;
    nl_array *child = NULL;
    nl_status st = assemble_node(map, &a->children[0], leaves, &child, err);
    if (st == NL_OK && child->length != elems)
        st = nl_error_set(err, NL_ECORRUPT, "column '%s': %lld list items but %lld values", li->path,
                          (long long)elems, (long long)child->length);
    nl_buffer *validity = NULL, *values = NULL;
    if (st == NL_OK) {
        values = wrap(offs, (m + 1) * 4);
        offs = NULL;
        if (nulls) {
            validity = wrap(bits, (m + 7) / 8);
            bits = NULL;
        }
        if (!values || (nulls && !validity)) st = nl_error_set(err, NL_ENOMEM, "out of memory assembling a list");
    }
    nl_aligned_free(offs);
    nl_aligned_free(bits);
    if (st != NL_OK) {
        nl_array_unref(child);
        nl_buffer_unref(values);
        nl_buffer_unref(validity);
        return st;
    }
    return nl_array_new(nl_type_ref(a->type), m, 0, nulls, validity, values, NULL, &child, 1, out,
                        err);
}

static nl_status assemble_node(const pq_schema_map *map, const pq_anode *a, pq_leaf_data *leaves,
                               nl_array **out, nl_error *err) {
    switch (a->kind) {
    case PQ_ANODE_LEAF: return assemble_leaf(a, &map->leaves[a->leaf], &leaves[a->leaf], out, err);
    case PQ_ANODE_STRUCT: return assemble_struct(map, a, leaves, out, err);
    case PQ_ANODE_LIST: return assemble_list(map, a, leaves, out, err);
    }
    return nl_error_set(err, NL_EINTERNAL, "unknown assembly node");
}

nl_status pq_assemble(const pq_schema_map *map, const pq_anode *node, pq_leaf_data *leaves,
                      nl_array **out, nl_error *err) {
    *out = NULL;
    return assemble_node(map, node, leaves, out, err);
}
