/*
 * schema.c -- Parquet schema to nl_schema and the level-assembly tree (see
 * schema.h for the rules).
 */
#include "formats/parquet/schema.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/arrow_schema.h"

#define PQ_MAX_NESTING 64
#define PQ_MAX_DECIMAL_PRECISION 38

/* ---- leaves ---- */

static bool is_string_annotated(const pq_schema_element *e) {
    switch (e->logical.kind) {
    case PQ_LT_STRING:
    case PQ_LT_ENUM:
    case PQ_LT_JSON: return true;
    case PQ_LT_NONE:
        return e->converted == PQ_CONV_UTF8 || e->converted == PQ_CONV_ENUM ||
               e->converted == PQ_CONV_JSON;
    default: return false;
    }
}

static nl_status decimal_type(const pq_schema_element *e, int32_t precision, int32_t scale,
                              nl_type **type, nl_error *err) {
    if (precision < 1 || precision > PQ_MAX_DECIMAL_PRECISION || scale < 0 || scale > precision)
        return nl_error_set(err, NL_ENOTSUP, "column '%s': DECIMAL(%d,%d) is not supported",
                            e->name, precision, scale);
    *type = nl_type_decimal(precision, scale);
    NL_CHECK_ALLOC(*type, err);
    return NL_OK;
}

static nl_time_unit unit_of(pq_time_unit u) {
    return u == PQ_MILLIS ? NL_UNIT_MILLI : u == PQ_MICROS ? NL_UNIT_MICRO : NL_UNIT_NANO;
}

nl_status pq_leaf_type(const pq_schema_element *e, nl_type **type, pq_conv *conv, nl_error *err) {
    *type = NULL;
    *conv = PQ_CONV_COPY;
    const pq_logical *lt = &e->logical;
    int32_t c = lt->kind == PQ_LT_NONE ? e->converted : -1;
    bool is_decimal = lt->kind == PQ_LT_DECIMAL || c == PQ_CONV_DECIMAL;
    int32_t precision = lt->kind == PQ_LT_DECIMAL ? lt->precision : e->precision;
    int32_t scale = lt->kind == PQ_LT_DECIMAL ? lt->scale : (e->scale < 0 ? 0 : e->scale);
    if (lt->kind == PQ_LT_UNKNOWN) {
        *conv = PQ_CONV_NULL;
        *type = nl_type_get(NL_TYPE_NULL);
        return NL_OK;
    }
    switch (e->type) {
    case PQ_BOOLEAN:
        *conv = PQ_CONV_BOOL;
        *type = nl_type_get(NL_TYPE_BOOL);
        return NL_OK;
    case PQ_INT32:
        if (is_decimal) {
            *conv = PQ_CONV_I32_DEC;
            return decimal_type(e, precision, scale, type, err);
        }
        if (lt->kind == PQ_LT_DATE || c == PQ_CONV_DATE) {
            *type = nl_type_get(NL_TYPE_DATE32);
            return NL_OK;
        }
        if ((lt->kind == PQ_LT_TIME && lt->unit == PQ_MILLIS) || c == PQ_CONV_TIME_MILLIS) {
            *conv = PQ_CONV_I32_TIME_MS;
            *type = nl_type_time64(NL_UNIT_MICRO);
            NL_CHECK_ALLOC(*type, err);
            return NL_OK;
        }
        {
            int bits = 32;
            bool sign = true;
            if (lt->kind == PQ_LT_INTEGER) bits = lt->bit_width, sign = lt->is_signed;
            else if (c == PQ_CONV_INT_8) bits = 8;
            else if (c == PQ_CONV_INT_16) bits = 16;
            else if (c == PQ_CONV_UINT_8) bits = 8, sign = false;
            else if (c == PQ_CONV_UINT_16) bits = 16, sign = false;
            else if (c == PQ_CONV_UINT_32) sign = false;
            nl_type_id id;
            if (bits == 8) id = sign ? NL_TYPE_INT8 : NL_TYPE_UINT8, *conv = sign ? PQ_CONV_I32_I8 : PQ_CONV_I32_U8;
            else if (bits == 16) id = sign ? NL_TYPE_INT16 : NL_TYPE_UINT16, *conv = sign ? PQ_CONV_I32_I16 : PQ_CONV_I32_U16;
            else id = sign ? NL_TYPE_INT32 : NL_TYPE_UINT32;
            *type = nl_type_get(id);
            return NL_OK;
        }
    case PQ_INT64:
        if (is_decimal) {
            *conv = PQ_CONV_I64_DEC;
            return decimal_type(e, precision, scale, type, err);
        }
        if (lt->kind == PQ_LT_TIMESTAMP) {
            *type = nl_type_timestamp(unit_of(lt->unit), lt->utc ? "UTC" : NULL);
        } else if (c == PQ_CONV_TIMESTAMP_MILLIS || c == PQ_CONV_TIMESTAMP_MICROS) {
            /* The converted types imply isAdjustedToUTC = true. */
            *type = nl_type_timestamp(c == PQ_CONV_TIMESTAMP_MILLIS ? NL_UNIT_MILLI : NL_UNIT_MICRO,
                                      "UTC");
        } else if (lt->kind == PQ_LT_TIME || c == PQ_CONV_TIME_MICROS) {
            nl_time_unit u = lt->kind == PQ_LT_TIME ? unit_of(lt->unit) : NL_UNIT_MICRO;
            if (u == NL_UNIT_MILLI) u = NL_UNIT_MICRO; /* invalid on INT64; read as micros */
            *type = nl_type_time64(u);
        } else {
            bool sign = true;
            if (lt->kind == PQ_LT_INTEGER) sign = lt->is_signed;
            else if (c == PQ_CONV_UINT_64) sign = false;
            *type = nl_type_get(sign ? NL_TYPE_INT64 : NL_TYPE_UINT64);
        }
        NL_CHECK_ALLOC(*type, err);
        return NL_OK;
    case PQ_INT96:
        /* Microseconds, as Spark and DuckDB read them: nanoseconds would
         * overflow past the year 2262, a range Spark writes. */
        *conv = PQ_CONV_INT96_TS;
        *type = nl_type_timestamp(NL_UNIT_MICRO, NULL);
        NL_CHECK_ALLOC(*type, err);
        return NL_OK;
    case PQ_FLOAT: *type = nl_type_get(NL_TYPE_FLOAT32); return NL_OK;
    case PQ_DOUBLE: *type = nl_type_get(NL_TYPE_FLOAT64); return NL_OK;
    case PQ_BYTE_ARRAY:
        if (is_decimal) {
            *conv = PQ_CONV_BYTES_DEC;
            return decimal_type(e, precision, scale, type, err);
        }
        *conv = PQ_CONV_BYTES;
        *type = nl_type_get(is_string_annotated(e) ? NL_TYPE_UTF8 : NL_TYPE_BINARY);
        return NL_OK;
    case PQ_FIXED_LEN_BYTE_ARRAY:
        if (e->type_length < 0)
            return nl_error_set(err, NL_ECORRUPT, "column '%s': negative fixed length", e->name);
        if (is_decimal) {
            if (e->type_length < 1 || e->type_length > 16)
                return nl_error_set(err, NL_ENOTSUP, "column '%s': %d-byte decimals are not supported",
                                    e->name, e->type_length);
            *conv = PQ_CONV_FLBA_DEC;
            return decimal_type(e, precision, scale, type, err);
        }
        if (lt->kind == PQ_LT_FLOAT16 && e->type_length == 2) {
            *conv = PQ_CONV_FLOAT16;
            *type = nl_type_get(NL_TYPE_FLOAT32);
            return NL_OK;
        }
        if (lt->kind == PQ_LT_UUID && e->type_length == 16) {
            *conv = PQ_CONV_UUID;
            *type = nl_type_get(NL_TYPE_UTF8);
            return NL_OK;
        }
        *conv = PQ_CONV_FLBA_BIN;
        *type = nl_type_get(is_string_annotated(e) ? NL_TYPE_UTF8 : NL_TYPE_BINARY);
        return NL_OK;
    default:
        return nl_error_set(err, NL_ECORRUPT, "column '%s': unknown physical type %d", e->name,
                            e->type);
    }
}

/* ---- the tree ---- */

typedef struct builder {
    const pq_file_meta *meta;
    int32_t cur; /* next schema element */
    pq_schema_map *map;
    int32_t cap_leaves;
    nl_error *err;
    pq_arrow_hints hints; /* from ARROW:schema: durations, time zone names */
    char path[1024];
} builder;

static void path_push(builder *b, const char *name, size_t *saved) {
    size_t n = strlen(b->path);
    *saved = n;
    snprintf(b->path + n, sizeof b->path - n, "%s%s", n ? "." : "", name);
}

static void anode_clear(pq_anode *a) {
    for (int32_t i = 0; i < a->n_children; i++) anode_clear(&a->children[i]);
    nl_free(a->children);
    nl_type_unref(a->type);
    memset(a, 0, sizeof *a);
}

static nl_status add_leaf(builder *b, int32_t element, int16_t d, int16_t r, pq_anode *a) {
    const pq_schema_element *e = &b->meta->schema[element];
    pq_schema_map *m = b->map;
    if (m->n_leaves == b->cap_leaves) {
        int32_t cap = b->cap_leaves ? b->cap_leaves * 2 : 16;
        pq_leaf_info *p = nl_realloc(m->leaves, (size_t)cap * sizeof *p);
        NL_CHECK_ALLOC(p, b->err);
        m->leaves = p;
        b->cap_leaves = cap;
    }
    pq_leaf_info *li = &m->leaves[m->n_leaves];
    memset(li, 0, sizeof *li);
    li->element = element;
    li->physical = e->type;
    li->type_length = e->type_length;
    li->max_def = d;
    li->max_rep = r;
    li->path = nl_strdup(b->path);
    NL_CHECK_ALLOC(li->path, b->err);
    m->n_leaves++;
    nl_status st = pq_leaf_type(e, &li->type, &li->conv, b->err);
    if (st != NL_OK) return st;
    /* What Parquet's types lose, from the Arrow schema (outside lists). */
    const pq_arrow_hint *h = r == 0 ? pq_arrow_hint_find(&b->hints, b->path) : NULL;
    nl_type *better = NULL;
    if (h && h->kind == PQ_HINT_DURATION && e->type == PQ_INT64 && li->conv == PQ_CONV_COPY &&
        li->type->id == NL_TYPE_INT64)
        better = nl_type_duration(h->unit);
    else if (h && h->kind == PQ_HINT_TIMEZONE && li->type->id == NL_TYPE_TIMESTAMP && li->type->timezone)
        better = nl_type_timestamp(li->type->unit, h->timezone);
    if (better) {
        nl_type_unref(li->type);
        li->type = better;
    }
    if (e->type == PQ_FIXED_LEN_BYTE_ARRAY && e->type_length == 0 && li->conv != PQ_CONV_FLBA_BIN)
        return nl_error_set(b->err, NL_ECORRUPT, "column '%s': zero fixed length", b->path);
    a->kind = PQ_ANODE_LEAF;
    a->leaf = m->n_leaves - 1;
    a->first_leaf = a->leaf;
    a->n_leaves = 1;
    a->type = nl_type_ref(li->type);
    return NL_OK;
}

static bool is_list_annotated(const pq_schema_element *e) {
    return e->logical.kind == PQ_LT_LIST || (e->logical.kind == PQ_LT_NONE && e->converted == PQ_CONV_LIST);
}
static bool is_map_annotated(const pq_schema_element *e) {
    return e->logical.kind == PQ_LT_MAP ||
           (e->logical.kind == PQ_LT_NONE &&
            (e->converted == PQ_CONV_MAP || e->converted == PQ_CONV_MAP_KEY_VALUE));
}

static nl_status build_field(builder *b, int16_t def_parent, int16_t rep_parent, int16_t slot_rep,
                             int16_t slot_def, int depth, pq_anode *a, nl_field *f);

/* Builds element b->cur whose own repetition is already counted in d and r. */
static nl_status build_body(builder *b, int16_t d, int16_t r, int16_t slot_rep, int16_t slot_def,
                            int16_t valid_def, int depth, pq_anode *a) {
    if (depth > PQ_MAX_NESTING)
        return nl_error_set(b->err, NL_ENOTSUP, "column '%s': nested more than %d levels", b->path,
                            PQ_MAX_NESTING);
    if (b->cur >= b->meta->n_schema)
        return nl_error_set(b->err, NL_ECORRUPT, "schema ends inside '%s'", b->path);
    int32_t idx = b->cur++;
    const pq_schema_element *e = &b->meta->schema[idx];
    memset(a, 0, sizeof *a);
    a->slot_rep = slot_rep;
    a->slot_def = slot_def;
    a->valid_def = valid_def;
    a->first_leaf = b->map->n_leaves;
    if (e->num_children == 0) {
        if (e->type < 0)
            return nl_error_set(b->err, NL_ENOTSUP, "column '%s': a group without fields", b->path);
        return add_leaf(b, idx, d, r, a);
    }
    const pq_schema_element *c = b->cur < b->meta->n_schema ? &b->meta->schema[b->cur] : NULL;
    bool one_repeated = e->num_children == 1 && c && c->repetition == PQ_REPEATED;
    if (one_repeated && (is_list_annotated(e) || is_map_annotated(e))) {
        int16_t dr = (int16_t)(d + 1), rr = (int16_t)(r + 1);
        a->kind = PQ_ANODE_LIST;
        a->elem_rep = rr;
        a->elem_def = dr;
        a->children = nl_calloc(1, sizeof *a->children);
        NL_CHECK_ALLOC(a->children, b->err);
        a->n_children = 1;
        size_t saved;
        path_push(b, c->name, &saved);
        nl_status st;
        bool item_nullable = false;
        char tuple[300];
        snprintf(tuple, sizeof tuple, "%s_tuple", e->name);
        bool two_level = is_map_annotated(e) || c->num_children == 0 || c->num_children > 1 ||
                         strcmp(c->name, "array") == 0 || strcmp(c->name, tuple) == 0;
        if (two_level) {
            st = build_body(b, dr, rr, rr, dr, dr, depth + 1, &a->children[0]);
        } else {
            b->cur++; /* the repeated group is only the list's frame */
            if (b->cur >= b->meta->n_schema)
                return nl_error_set(b->err, NL_ECORRUPT, "schema ends inside list '%s'", b->path);
            const pq_schema_element *g = &b->meta->schema[b->cur];
            size_t saved2;
            path_push(b, g->name, &saved2);
            nl_field f = {0};
            st = build_field(b, dr, rr, rr, dr, depth + 1, &a->children[0], &f);
            item_nullable = f.nullable;
            nl_free(f.name);
            b->path[saved2] = '\0';
        }
        b->path[saved] = '\0';
        if (st != NL_OK) return st;
        a->n_leaves = b->map->n_leaves - a->first_leaf;
        a->type = nl_type_list(nl_type_ref(a->children[0].type), item_nullable);
        NL_CHECK_ALLOC(a->type, b->err);
        return NL_OK;
    }
    /* A plain group: a struct. */
    a->kind = PQ_ANODE_STRUCT;
    a->children = nl_calloc((size_t)e->num_children, sizeof *a->children);
    nl_field *fields = nl_calloc((size_t)e->num_children, sizeof *fields);
    if (!a->children || !fields) {
        nl_free(fields);
        return nl_error_set(b->err, NL_ENOMEM, "out of memory mapping the schema");
    }
    a->n_children = e->num_children;
    nl_status st = NL_OK;
    int32_t built = 0;
    for (; built < e->num_children && st == NL_OK; built++) {
        if (b->cur >= b->meta->n_schema) {
            st = nl_error_set(b->err, NL_ECORRUPT, "schema ends inside '%s'", b->path);
            break;
        }
        size_t saved;
        path_push(b, b->meta->schema[b->cur].name, &saved);
        st = build_field(b, d, r, slot_rep, slot_def, depth + 1, &a->children[built], &fields[built]);
        b->path[saved] = '\0';
    }
    if (st == NL_OK) {
        /* nl_type_struct takes the field types: give it references of its own. */
        for (int32_t i = 0; i < e->num_children; i++) nl_type_ref(fields[i].type);
        a->type = nl_type_struct(fields, e->num_children);
        if (!a->type) {
            for (int32_t i = 0; i < e->num_children; i++) nl_type_unref(fields[i].type);
            st = nl_error_set(b->err, NL_ENOMEM, "out of memory mapping the schema");
        }
    }
    for (int32_t i = 0; i < built; i++) nl_free(fields[i].name); /* types are borrowed */
    nl_free(fields);
    a->n_leaves = b->map->n_leaves - a->first_leaf;
    return st;
}

/* Builds element b->cur as a field of a parent at levels (def_parent,
 * rep_parent) whose slots start at (slot_rep, slot_def). Fills f with the
 * field's name, type (one reference) and nullability. */
static nl_status build_field(builder *b, int16_t def_parent, int16_t rep_parent, int16_t slot_rep,
                             int16_t slot_def, int depth, pq_anode *a, nl_field *f) {
    const pq_schema_element *e = &b->meta->schema[b->cur];
    int rep = e->repetition < 0 ? PQ_REQUIRED : e->repetition;
    int16_t d = (int16_t)(def_parent + (rep != PQ_REQUIRED));
    int16_t r = (int16_t)(rep_parent + (rep == PQ_REPEATED));
    nl_status st;
    memset(f, 0, sizeof *f);
    if (rep == PQ_REPEATED) {
        /* A bare repeated field: a list that is never null itself. */
        memset(a, 0, sizeof *a);
        a->kind = PQ_ANODE_LIST;
        a->slot_rep = slot_rep;
        a->slot_def = slot_def;
        a->valid_def = def_parent;
        a->elem_rep = r;
        a->elem_def = d;
        a->first_leaf = b->map->n_leaves;
        a->children = nl_calloc(1, sizeof *a->children);
        NL_CHECK_ALLOC(a->children, b->err);
        a->n_children = 1;
        st = build_body(b, d, r, r, d, d, depth + 1, &a->children[0]);
        if (st != NL_OK) return st;
        a->n_leaves = b->map->n_leaves - a->first_leaf;
        a->type = nl_type_list(nl_type_ref(a->children[0].type), false);
        NL_CHECK_ALLOC(a->type, b->err);
        f->nullable = false;
    } else {
        st = build_body(b, d, r, slot_rep, slot_def, d, depth, a);
        if (st != NL_OK) return st;
        f->nullable = rep == PQ_OPTIONAL;
    }
    f->name = nl_strdup(e->name);
    NL_CHECK_ALLOC(f->name, b->err);
    f->type = a->type; /* borrowed: callers that keep it take a reference */
    return NL_OK;
}

void pq_schema_map_free(pq_schema_map *m) {
    if (!m) return;
    for (int32_t i = 0; i < m->n_fields; i++) anode_clear(&m->fields[i]);
    nl_free(m->fields);
    for (int32_t i = 0; i < m->n_leaves; i++) {
        nl_type_unref(m->leaves[i].type);
        nl_free(m->leaves[i].path);
    }
    nl_free(m->leaves);
    nl_schema_unref(m->schema);
    memset(m, 0, sizeof *m);
}

nl_status pq_schema_map_build(const pq_file_meta *meta, pq_schema_map *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    const pq_schema_element *root = &meta->schema[0];
    if (root->num_children < 0 || root->num_children >= meta->n_schema)
        return nl_error_set(err, NL_ECORRUPT, "schema root claims %d fields in %d elements",
                            root->num_children, meta->n_schema);
    builder b = {.meta = meta, .cur = 1, .map = out, .err = err};
    pq_arrow_hints_read(meta, &b.hints);
    int32_t n = root->num_children;
    out->fields = nl_calloc((size_t)(n ? n : 1), sizeof *out->fields);
    nl_field *fields = nl_calloc((size_t)(n ? n : 1), sizeof *fields);
    if (!out->fields || !fields) {
        nl_free(fields);
        pq_arrow_hints_free(&b.hints);
        pq_schema_map_free(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory mapping the schema");
    }
    nl_status st = NL_OK;
    int32_t built = 0;
    for (; built < n; built++) {
        if (b.cur >= meta->n_schema) {
            st = nl_error_set(err, NL_ECORRUPT, "schema has fewer elements than its root claims");
            break;
        }
        b.path[0] = '\0';
        size_t saved;
        path_push(&b, meta->schema[b.cur].name, &saved);
        out->n_fields = built + 1;
        st = build_field(&b, 0, 0, 0, 0, 0, &out->fields[built], &fields[built]);
        if (st != NL_OK) break;
    }
    if (st == NL_OK && b.cur != meta->n_schema)
        st = nl_error_set(err, NL_ECORRUPT, "schema has %d elements but its tree uses %d",
                          meta->n_schema, b.cur);
    if (st == NL_OK) {
        for (int32_t i = 0; i < n; i++) nl_type_ref(fields[i].type);
        out->schema = nl_schema_new(fields, n);
        if (!out->schema) {
            for (int32_t i = 0; i < n; i++) nl_type_unref(fields[i].type);
            st = nl_error_set(err, NL_ENOMEM, "out of memory mapping the schema");
        }
    }
    for (int32_t i = 0; i < built + (st == NL_OK ? 0 : 1) && i < n; i++) {
        nl_free(fields[i].name);
        fields[i].name = NULL;
    }
    nl_free(fields);
    pq_arrow_hints_free(&b.hints);
    if (st != NL_OK) pq_schema_map_free(out);
    return st;
}
