/*
 * prune.c -- row-group pruning by min/max/null-count statistics (see prune.h).
 */
#include "formats/parquet/prune.h"

#include <math.h>
#include <string.h>

static int32_t rd32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}
static int64_t rd64(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

static __int128 be_int(const uint8_t *p, int32_t len) {
    unsigned __int128 v = (len > 0 && (p[0] & 0x80)) ? ~(unsigned __int128)0 : 0;
    for (int32_t i = 0; i < len; i++) v = (v << 8) | p[i];
    return (__int128)v;
}

bool pq_stat_scalar(const pq_leaf_info *li, pq_bytes b, bool legacy, nl_scalar *out) {
    memset(out, 0, sizeof *out);
    nl_type_id id = li->type->id;
    bool unsigned_or_bytes = nl_type_is_unsigned_integer(id) || li->physical == PQ_BYTE_ARRAY ||
                             li->physical == PQ_FIXED_LEN_BYTE_ARRAY;
    if (legacy && unsigned_or_bytes) return false; /* old writers sorted these signed */
    switch (li->conv) {
    case PQ_CONV_COPY:
    case PQ_CONV_I32_I8:
    case PQ_CONV_I32_I16:
    case PQ_CONV_I32_U8:
    case PQ_CONV_I32_U16:
        if (li->physical == PQ_INT32) {
            if (b.len != 4) return false;
            int32_t v = rd32(b.ptr);
            if (nl_type_is_unsigned_integer(id)) out->v.u = (uint32_t)v;
            else out->v.i = v;
        } else if (li->physical == PQ_INT64) {
            if (b.len != 8) return false;
            int64_t v = rd64(b.ptr);
            if (nl_type_is_unsigned_integer(id)) out->v.u = (uint64_t)v;
            else out->v.i = v;
        } else if (li->physical == PQ_FLOAT) {
            if (b.len != 4) return false;
            float f;
            memcpy(&f, b.ptr, 4);
            if (isnan(f)) return false;
            out->v.d = f;
        } else if (li->physical == PQ_DOUBLE) {
            if (b.len != 8) return false;
            double d;
            memcpy(&d, b.ptr, 8);
            if (isnan(d)) return false;
            out->v.d = d;
        } else {
            return false;
        }
        break;
    case PQ_CONV_I32_DEC:
        if (b.len != 4) return false;
        out->v.dec = rd32(b.ptr);
        break;
    case PQ_CONV_I64_DEC:
        if (b.len != 8) return false;
        out->v.dec = rd64(b.ptr);
        break;
    case PQ_CONV_FLBA_DEC:
    case PQ_CONV_BYTES_DEC:
        if (b.len < 1 || b.len > 16) return false;
        out->v.dec = be_int(b.ptr, b.len);
        break;
    case PQ_CONV_BOOL:
        if (b.len != 1) return false;
        out->v.b = b.ptr[0] != 0;
        break;
    case PQ_CONV_BYTES:
        if (id != NL_TYPE_UTF8) return false;
        *out = nl_scalar_string((const char *)b.ptr, b.len);
        return out->type != NULL;
    default: return false;
    }
    out->type = nl_type_ref(li->type);
    out->is_null = false;
    return true;
}

/* May some row of the chunk satisfy `f`? */
static bool filter_may_match(const pq_file_meta *meta, const pq_schema_map *map, int32_t rg,
                             const nl_filter *f) {
    int32_t idx = nl_schema_find(map->schema, f->column);
    if (idx < 0) idx = nl_schema_find_ci(map->schema, f->column);
    if (idx < 0) return true;
    const pq_anode *a = &map->fields[idx];
    if (a->kind != PQ_ANODE_LEAF) return true;
    const pq_leaf_info *li = &map->leaves[a->leaf];
    const pq_row_group *g = &meta->row_groups[rg];
    if (a->leaf >= g->n_columns) return true;
    const pq_column_chunk *cc = &g->columns[a->leaf];
    if (!cc->has_meta || !cc->meta.has_statistics) return true;
    const pq_statistics *st = &cc->meta.statistics;
    switch (f->op) {
    case NL_OP_IS_NULL: return !(st->has_null_count && st->null_count == 0);
    case NL_OP_IS_NOT_NULL: return !(st->has_null_count && st->null_count >= g->num_rows);
    default: break;
    }
    /* Every other operator is false on nulls: a chunk of only nulls matches nothing. */
    if (st->has_null_count && g->num_rows > 0 && st->null_count >= g->num_rows) return false;
    if (!st->has_min || !st->has_max) return true;
    nl_scalar mn, mx;
    if (!pq_stat_scalar(li, st->min, st->legacy_min_max, &mn)) return true;
    if (!pq_stat_scalar(li, st->max, st->legacy_min_max, &mx)) {
        nl_scalar_clear(&mn);
        return true;
    }
    bool keep = true, ok1 = true, ok2 = true;
    const nl_scalar *v = &f->value;
    if (v->is_null || !v->type) {
        keep = true;
    } else {
        switch (f->op) {
        case NL_OP_EQ: {
            int c1 = nl_scalar_compare(v, &mn, &ok1), c2 = nl_scalar_compare(v, &mx, &ok2);
            if (ok1 && ok2) keep = c1 >= 0 && c2 <= 0;
            break;
        }
        case NL_OP_NE: {
            int c1 = nl_scalar_compare(&mn, &mx, &ok1), c2 = nl_scalar_compare(v, &mn, &ok2);
            if (ok1 && ok2) keep = !(c1 == 0 && c2 == 0);
            break;
        }
        case NL_OP_LT: {
            int c = nl_scalar_compare(&mn, v, &ok1);
            if (ok1) keep = c < 0;
            break;
        }
        case NL_OP_LE: {
            int c = nl_scalar_compare(&mn, v, &ok1);
            if (ok1) keep = c <= 0;
            break;
        }
        case NL_OP_GT: {
            int c = nl_scalar_compare(&mx, v, &ok1);
            if (ok1) keep = c > 0;
            break;
        }
        case NL_OP_GE: {
            int c = nl_scalar_compare(&mx, v, &ok1);
            if (ok1) keep = c >= 0;
            break;
        }
        case NL_OP_IN: {
            if (v->type->id != NL_TYPE_LIST || !v->v.list) break;
            const nl_array *items = v->v.list;
            keep = false;
            for (int64_t i = 0; i < items->length && !keep; i++) {
                nl_scalar it;
                nl_error e;
                if (nl_scalar_from_array(items, i, &it, &e) != NL_OK) {
                    keep = true;
                    break;
                }
                if (!it.is_null) {
                    bool a1 = true, a2 = true;
                    int c1 = nl_scalar_compare(&it, &mn, &a1), c2 = nl_scalar_compare(&it, &mx, &a2);
                    if (!a1 || !a2 || (c1 >= 0 && c2 <= 0)) keep = true;
                }
                nl_scalar_clear(&it);
            }
            break;
        }
        default: keep = true;
        }
    }
    nl_scalar_clear(&mn);
    nl_scalar_clear(&mx);
    return keep;
}

bool pq_prune_row_group(const pq_file_meta *meta, const pq_schema_map *map, int32_t rg,
                        const nl_filter_set *filters) {
    if (!filters || filters->n == 0) return true;
    for (int32_t o = 0; o < filters->n; o++) {
        const nl_filter_and *and = &filters->ands[o];
        bool all = true;
        for (int32_t i = 0; i < and->n && all; i++)
            all = filter_may_match(meta, map, rg, &and->filters[i]);
        if (all) return true;
    }
    return false;
}
