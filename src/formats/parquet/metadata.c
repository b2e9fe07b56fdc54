/*
 * metadata.c -- decoding Parquet's Thrift structures (FileMetaData, RowGroup,
 * ColumnChunk, ColumnMetaData, Statistics, SchemaElement, LogicalType,
 * PageHeader, ColumnIndex, OffsetIndex) from the compact protocol.
 *
 * Each decoder walks the fields of one struct, reads the ones it knows (with
 * type checks) and skips the rest, so files from newer writers still read.
 * Field ids are those of parquet.thrift.
 */
#include "formats/parquet/metadata.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/thrift.h"

/* Limits that keep a hostile footer from asking for absurd allocations before
 * the bytes-left checks catch it. */
#define PQ_MAX_SCHEMA_ELEMENTS 1000000
#define PQ_MAX_COLUMNS 1000000

typedef struct dec {
    pq_thrift t;
    nl_arena *arena;
    bool oom;
} dec;

static void *dec_alloc(dec *d, size_t count, size_t size) {
    if (count == 0) count = 1;
    void *p = nl_arena_calloc(d->arena, count, size);
    if (!p) {
        d->oom = true;
        pq_thrift_fail(&d->t, "out of memory");
    }
    return p;
}

static char *dec_string(dec *d) {
    int32_t n;
    const uint8_t *s = pq_thrift_binary(&d->t, &n);
    if (d->t.failed) return NULL;
    char *r = nl_arena_strndup(d->arena, (const char *)s, (size_t)n);
    if (!r) {
        d->oom = true;
        pq_thrift_fail(&d->t, "out of memory");
    }
    return r;
}

static pq_bytes dec_bytes(dec *d) {
    pq_bytes b;
    b.ptr = pq_thrift_binary(&d->t, &b.len);
    return b;
}

#define FIELD_LOOP(d, s, id, ty)                                                                   \
    pq_tstruct s;                                                                                  \
    int16_t id;                                                                                    \
    uint8_t ty;                                                                                    \
    pq_thrift_struct_begin(&(d)->t, &s);                                                          \
    while (pq_thrift_field(&(d)->t, &s, &id, &ty))

#define EXPECT(d, ty, want) pq_thrift_expect(&(d)->t, (ty), (want))

/* ---- Statistics ---- */

static void dec_statistics(dec *d, pq_statistics *st) {
    memset(st, 0, sizeof *st);
    pq_bytes legacy_min = {0}, legacy_max = {0};
    bool has_legacy_min = false, has_legacy_max = false;
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(d, ty, PQ_CT_BINARY)) legacy_max = dec_bytes(d), has_legacy_max = true;
            break;
        case 2:
            if (EXPECT(d, ty, PQ_CT_BINARY)) legacy_min = dec_bytes(d), has_legacy_min = true;
            break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_I64)) st->null_count = pq_thrift_i64(&d->t), st->has_null_count = true;
            break;
        case 4:
            if (EXPECT(d, ty, PQ_CT_I64))
                st->distinct_count = pq_thrift_i64(&d->t), st->has_distinct_count = true;
            break;
        case 5:
            if (EXPECT(d, ty, PQ_CT_BINARY)) st->max = dec_bytes(d), st->has_max = true;
            break;
        case 6:
            if (EXPECT(d, ty, PQ_CT_BINARY)) st->min = dec_bytes(d), st->has_min = true;
            break;
        case 7:
            if (EXPECT(d, ty, PQ_CT_BOOL_TRUE)) st->max_exact = pq_thrift_bool(&d->t, &s, ty);
            break;
        case 8:
            if (EXPECT(d, ty, PQ_CT_BOOL_TRUE)) st->min_exact = pq_thrift_bool(&d->t, &s, ty);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
    if (!st->has_min && !st->has_max && (has_legacy_min || has_legacy_max)) {
        st->legacy_min_max = true;
        st->has_min = has_legacy_min;
        st->has_max = has_legacy_max;
        st->min = legacy_min;
        st->max = legacy_max;
    }
}

/* ---- LogicalType ---- */

static void dec_empty_struct(dec *d) { pq_thrift_skip(&d->t, PQ_CT_STRUCT); }

static pq_time_unit dec_time_unit(dec *d) {
    pq_time_unit unit = 0;
    FIELD_LOOP(d, s, id, ty) {
        if (ty == PQ_CT_STRUCT && id >= 1 && id <= 3) unit = (pq_time_unit)id;
        pq_thrift_skip(&d->t, ty);
    }
    pq_thrift_struct_end(&d->t);
    if (!unit) pq_thrift_fail(&d->t, "TimeUnit without a unit");
    return unit;
}

static void dec_time_type(dec *d, pq_logical *lt) {
    FIELD_LOOP(d, s, id, ty) {
        if (id == 1 && EXPECT(d, ty, PQ_CT_BOOL_TRUE)) lt->utc = pq_thrift_bool(&d->t, &s, ty);
        else if (id == 2 && EXPECT(d, ty, PQ_CT_STRUCT)) lt->unit = dec_time_unit(d);
        else if (id != 1 && id != 2) pq_thrift_skip(&d->t, ty);
    }
    pq_thrift_struct_end(&d->t);
    if (!lt->unit) pq_thrift_fail(&d->t, "TIME/TIMESTAMP logical type without a unit");
}

static void dec_logical(dec *d, pq_logical *lt) {
    memset(lt, 0, sizeof *lt);
    FIELD_LOOP(d, s, id, ty) {
        if (ty != PQ_CT_STRUCT) {
            pq_thrift_skip(&d->t, ty);
            continue;
        }
        switch (id) {
        case PQ_LT_DECIMAL: {
            lt->kind = PQ_LT_DECIMAL;
            FIELD_LOOP(d, s2, id2, ty2) {
                if (id2 == 1 && EXPECT(d, ty2, PQ_CT_I32)) lt->scale = pq_thrift_i32(&d->t);
                else if (id2 == 2 && EXPECT(d, ty2, PQ_CT_I32)) lt->precision = pq_thrift_i32(&d->t);
                else if (id2 != 1 && id2 != 2) pq_thrift_skip(&d->t, ty2);
            }
            pq_thrift_struct_end(&d->t);
            break;
        }
        case PQ_LT_TIME:
        case PQ_LT_TIMESTAMP:
            lt->kind = (pq_logical_kind)id;
            dec_time_type(d, lt);
            break;
        case PQ_LT_INTEGER: {
            lt->kind = PQ_LT_INTEGER;
            FIELD_LOOP(d, s2, id2, ty2) {
                if (id2 == 1 && EXPECT(d, ty2, PQ_CT_BYTE)) lt->bit_width = pq_thrift_byte(&d->t);
                else if (id2 == 2 && EXPECT(d, ty2, PQ_CT_BOOL_TRUE))
                    lt->is_signed = pq_thrift_bool(&d->t, &s2, ty2);
                else if (id2 != 1 && id2 != 2) pq_thrift_skip(&d->t, ty2);
            }
            pq_thrift_struct_end(&d->t);
            break;
        }
        case PQ_LT_STRING:
        case PQ_LT_MAP:
        case PQ_LT_LIST:
        case PQ_LT_ENUM:
        case PQ_LT_DATE:
        case PQ_LT_UNKNOWN:
        case PQ_LT_JSON:
        case PQ_LT_BSON:
        case PQ_LT_UUID:
        case PQ_LT_FLOAT16:
        case PQ_LT_VARIANT:
        case PQ_LT_GEOMETRY:
        case PQ_LT_GEOGRAPHY:
            lt->kind = (pq_logical_kind)id;
            dec_empty_struct(d);
            break;
        default:
            lt->kind = PQ_LT_UNRECOGNISED;
            dec_empty_struct(d);
            break;
        }
    }
    pq_thrift_struct_end(&d->t);
}

/* ---- SchemaElement ---- */

static void dec_schema_element(dec *d, pq_schema_element *e) {
    memset(e, 0, sizeof *e);
    e->type = -1;
    e->repetition = -1;
    e->converted = -1;
    e->scale = e->precision = e->field_id = -1;
    bool has_name = false;
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(d, ty, PQ_CT_I32))
                e->type = pq_thrift_i32_in(&d->t, 0, PQ_TYPE_COUNT - 1, "unknown physical type");
            break;
        case 2:
            if (EXPECT(d, ty, PQ_CT_I32)) e->type_length = pq_thrift_i32(&d->t);
            break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_I32))
                e->repetition = pq_thrift_i32_in(&d->t, 0, 2, "unknown repetition type");
            break;
        case 4:
            if (EXPECT(d, ty, PQ_CT_BINARY)) e->name = dec_string(d), has_name = true;
            break;
        case 5:
            if (EXPECT(d, ty, PQ_CT_I32))
                e->num_children = pq_thrift_i32_in(&d->t, 0, PQ_MAX_SCHEMA_ELEMENTS,
                                                   "negative or huge num_children");
            break;
        case 6:
            if (EXPECT(d, ty, PQ_CT_I32)) e->converted = pq_thrift_i32(&d->t);
            break;
        case 7:
            if (EXPECT(d, ty, PQ_CT_I32)) e->scale = pq_thrift_i32(&d->t);
            break;
        case 8:
            if (EXPECT(d, ty, PQ_CT_I32)) e->precision = pq_thrift_i32(&d->t);
            break;
        case 9:
            if (EXPECT(d, ty, PQ_CT_I32)) e->field_id = pq_thrift_i32(&d->t);
            break;
        case 10:
            if (EXPECT(d, ty, PQ_CT_STRUCT)) dec_logical(d, &e->logical);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
    if (!has_name && !d->t.failed) pq_thrift_fail(&d->t, "schema element without a name");
}

/* ---- KeyValue ---- */

static void dec_kv_list(dec *d, int32_t *n_out, pq_kv **out) {
    uint8_t et;
    int32_t n = pq_thrift_list(&d->t, &et);
    if (et != PQ_CT_STRUCT && n > 0) {
        pq_thrift_fail(&d->t, "key_value_metadata is not a list of structs");
        return;
    }
    pq_kv *kv = dec_alloc(d, (size_t)n, sizeof *kv);
    if (!kv) return;
    for (int32_t i = 0; i < n && !d->t.failed; i++) {
        FIELD_LOOP(d, s, id, ty) {
            if (id == 1 && EXPECT(d, ty, PQ_CT_BINARY)) kv[i].key = dec_string(d);
            else if (id == 2 && EXPECT(d, ty, PQ_CT_BINARY)) kv[i].value = dec_string(d);
            else if (id != 1 && id != 2) pq_thrift_skip(&d->t, ty);
        }
        pq_thrift_struct_end(&d->t);
        if (!kv[i].key && !d->t.failed) pq_thrift_fail(&d->t, "key-value pair without a key");
    }
    *n_out = n;
    *out = kv;
}

/* ---- ColumnMetaData ---- */

static int32_t *dec_i32_list(dec *d, int32_t *n_out) {
    uint8_t et;
    int32_t n = pq_thrift_list(&d->t, &et);
    if (n > 0 && et != PQ_CT_I32 && et != PQ_CT_I16 && et != PQ_CT_BYTE) {
        pq_thrift_fail(&d->t, "expected a list of integers");
        return NULL;
    }
    int32_t *v = dec_alloc(d, (size_t)n, sizeof *v);
    for (int32_t i = 0; v && i < n && !d->t.failed; i++)
        v[i] = et == PQ_CT_BYTE ? pq_thrift_byte(&d->t) : pq_thrift_i32(&d->t);
    *n_out = n;
    return v;
}

static void dec_column_meta(dec *d, pq_column_meta *m) {
    memset(m, 0, sizeof *m);
    m->type = -1;
    m->index_page_offset = m->dictionary_page_offset = m->bloom_filter_offset = -1;
    m->bloom_filter_length = -1;
    m->data_page_offset = -1;
    bool has_codec = false, has_num_values = false;
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(d, ty, PQ_CT_I32))
                m->type = pq_thrift_i32_in(&d->t, 0, PQ_TYPE_COUNT - 1, "unknown physical type");
            break;
        case 2:
            if (EXPECT(d, ty, PQ_CT_LIST)) m->encodings = dec_i32_list(d, &m->n_encodings);
            break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d->t, &et);
                if (n > 0 && et != PQ_CT_BINARY) {
                    pq_thrift_fail(&d->t, "path_in_schema is not a list of strings");
                    break;
                }
                m->path = dec_alloc(d, (size_t)n, sizeof *m->path);
                for (int32_t i = 0; m->path && i < n && !d->t.failed; i++) m->path[i] = dec_string(d);
                m->n_path = n;
            }
            break;
        case 4:
            if (EXPECT(d, ty, PQ_CT_I32)) m->codec = pq_thrift_i32(&d->t), has_codec = true;
            break;
        case 5:
            if (EXPECT(d, ty, PQ_CT_I64)) m->num_values = pq_thrift_i64(&d->t), has_num_values = true;
            break;
        case 6:
            if (EXPECT(d, ty, PQ_CT_I64)) m->total_uncompressed_size = pq_thrift_i64(&d->t);
            break;
        case 7:
            if (EXPECT(d, ty, PQ_CT_I64)) m->total_compressed_size = pq_thrift_i64(&d->t);
            break;
        case 8:
            if (EXPECT(d, ty, PQ_CT_LIST)) dec_kv_list(d, &m->n_kv, &m->kv);
            break;
        case 9:
            if (EXPECT(d, ty, PQ_CT_I64)) m->data_page_offset = pq_thrift_i64(&d->t);
            break;
        case 10:
            if (EXPECT(d, ty, PQ_CT_I64)) m->index_page_offset = pq_thrift_i64(&d->t);
            break;
        case 11:
            if (EXPECT(d, ty, PQ_CT_I64)) m->dictionary_page_offset = pq_thrift_i64(&d->t);
            break;
        case 12:
            if (EXPECT(d, ty, PQ_CT_STRUCT)) dec_statistics(d, &m->statistics), m->has_statistics = true;
            break;
        case 13:
            if (EXPECT(d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d->t, &et);
                if (n > 0 && et != PQ_CT_STRUCT) {
                    pq_thrift_fail(&d->t, "encoding_stats is not a list of structs");
                    break;
                }
                m->encoding_stats = dec_alloc(d, (size_t)n, sizeof *m->encoding_stats);
                for (int32_t i = 0; m->encoding_stats && i < n && !d->t.failed; i++) {
                    pq_encoding_stats *es = &m->encoding_stats[i];
                    FIELD_LOOP(d, s2, id2, ty2) {
                        if (id2 >= 1 && id2 <= 3 && EXPECT(d, ty2, PQ_CT_I32)) {
                            int32_t v = pq_thrift_i32(&d->t);
                            if (id2 == 1) es->page_type = v;
                            else if (id2 == 2) es->encoding = v;
                            else es->count = v;
                        } else if (id2 < 1 || id2 > 3) {
                            pq_thrift_skip(&d->t, ty2);
                        }
                    }
                    pq_thrift_struct_end(&d->t);
                }
                m->n_encoding_stats = n;
            }
            break;
        case 14:
            if (EXPECT(d, ty, PQ_CT_I64)) m->bloom_filter_offset = pq_thrift_i64(&d->t);
            break;
        case 15:
            if (EXPECT(d, ty, PQ_CT_I32)) m->bloom_filter_length = pq_thrift_i32(&d->t);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
    if (d->t.failed) return;
    if (m->type < 0 || !has_codec || !has_num_values || m->data_page_offset < 0)
        pq_thrift_fail(&d->t, "column metadata misses a required field");
    else if (m->num_values < 0 || m->total_compressed_size < 0 || m->total_uncompressed_size < 0)
        pq_thrift_fail(&d->t, "negative size or count in column metadata");
}

/* ---- ColumnChunk and RowGroup ---- */

static void dec_column_chunk(dec *d, pq_column_chunk *c) {
    memset(c, 0, sizeof *c);
    c->offset_index_offset = c->column_index_offset = -1;
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(d, ty, PQ_CT_BINARY)) c->file_path = dec_string(d);
            break;
        case 2:
            if (EXPECT(d, ty, PQ_CT_I64)) c->file_offset = pq_thrift_i64(&d->t);
            break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_STRUCT)) dec_column_meta(d, &c->meta), c->has_meta = true;
            break;
        case 4:
            if (EXPECT(d, ty, PQ_CT_I64)) c->offset_index_offset = pq_thrift_i64(&d->t);
            break;
        case 5:
            if (EXPECT(d, ty, PQ_CT_I32)) c->offset_index_length = pq_thrift_i32(&d->t);
            break;
        case 6:
            if (EXPECT(d, ty, PQ_CT_I64)) c->column_index_offset = pq_thrift_i64(&d->t);
            break;
        case 7:
            if (EXPECT(d, ty, PQ_CT_I32)) c->column_index_length = pq_thrift_i32(&d->t);
            break;
        case 8:
        case 9:
            c->encrypted = true;
            pq_thrift_skip(&d->t, ty);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
}

static void dec_row_group(dec *d, pq_row_group *rg) {
    memset(rg, 0, sizeof *rg);
    rg->file_offset = rg->total_compressed_size = -1;
    rg->ordinal = -1;
    bool has_rows = false;
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d->t, &et);
                if (n > 0 && et != PQ_CT_STRUCT) {
                    pq_thrift_fail(&d->t, "row group columns are not structs");
                    break;
                }
                if (n > PQ_MAX_COLUMNS) {
                    pq_thrift_fail(&d->t, "too many columns");
                    break;
                }
                rg->columns = dec_alloc(d, (size_t)n, sizeof *rg->columns);
                for (int32_t i = 0; rg->columns && i < n && !d->t.failed; i++)
                    dec_column_chunk(d, &rg->columns[i]);
                rg->n_columns = n;
            }
            break;
        case 2:
            if (EXPECT(d, ty, PQ_CT_I64)) rg->total_byte_size = pq_thrift_i64(&d->t);
            break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_I64)) rg->num_rows = pq_thrift_i64(&d->t), has_rows = true;
            break;
        case 4:
            if (EXPECT(d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d->t, &et);
                if (n > 0 && et != PQ_CT_STRUCT) {
                    pq_thrift_fail(&d->t, "sorting_columns is not a list of structs");
                    break;
                }
                rg->sorting = dec_alloc(d, (size_t)n, sizeof *rg->sorting);
                for (int32_t i = 0; rg->sorting && i < n && !d->t.failed; i++) {
                    FIELD_LOOP(d, s2, id2, ty2) {
                        if (id2 == 1 && EXPECT(d, ty2, PQ_CT_I32))
                            rg->sorting[i].column_idx = pq_thrift_i32(&d->t);
                        else if (id2 == 2 && EXPECT(d, ty2, PQ_CT_BOOL_TRUE))
                            rg->sorting[i].descending = pq_thrift_bool(&d->t, &s2, ty2);
                        else if (id2 == 3 && EXPECT(d, ty2, PQ_CT_BOOL_TRUE))
                            rg->sorting[i].nulls_first = pq_thrift_bool(&d->t, &s2, ty2);
                        else if (id2 < 1 || id2 > 3) pq_thrift_skip(&d->t, ty2);
                    }
                    pq_thrift_struct_end(&d->t);
                }
                rg->n_sorting = n;
            }
            break;
        case 5:
            if (EXPECT(d, ty, PQ_CT_I64)) rg->file_offset = pq_thrift_i64(&d->t);
            break;
        case 6:
            if (EXPECT(d, ty, PQ_CT_I64)) rg->total_compressed_size = pq_thrift_i64(&d->t);
            break;
        case 7:
            if (EXPECT(d, ty, PQ_CT_I32)) rg->ordinal = pq_thrift_i32(&d->t);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
    if (!d->t.failed && (!has_rows || rg->num_rows < 0))
        pq_thrift_fail(&d->t, "row group without a valid num_rows");
}

/* ---- FileMetaData ---- */

static nl_status dec_error(dec *d, nl_error *err, const char *what) {
    if (d->oom) return nl_error_set(err, NL_ENOMEM, "out of memory decoding %s", what);
    return nl_error_set(err, NL_ECORRUPT, "malformed %s: %s (near byte %zu of %zu)", what,
                        d->t.why ? d->t.why : "bad data", pq_thrift_pos(&d->t),
                        (size_t)(d->t.end - d->t.start));
}

void pq_file_meta_free(pq_file_meta *meta) {
    if (!meta) return;
    nl_buffer_unref(meta->footer);
    nl_arena *a = meta->arena;
    nl_arena_free(a); /* meta itself lives in the arena */
}

nl_status pq_file_meta_decode(nl_buffer *footer, pq_file_meta **out, nl_error *err) {
    *out = NULL;
    nl_arena *arena = nl_arena_new(0);
    NL_CHECK_ALLOC(arena, err);
    pq_file_meta *m = nl_arena_calloc(arena, 1, sizeof *m);
    if (!m) {
        nl_arena_free(arena);
        return nl_error_set(err, NL_ENOMEM, "out of memory decoding the footer");
    }
    m->arena = arena;
    m->footer = nl_buffer_ref(footer);
    dec d = {.arena = arena};
    pq_thrift_init(&d.t, footer->data, (size_t)footer->size);
    bool has_version = false, has_schema = false, has_rows = false, has_rgs = false;
    FIELD_LOOP(&d, s, id, ty) {
        switch (id) {
        case 1:
            if (EXPECT(&d, ty, PQ_CT_I32)) m->version = pq_thrift_i32(&d.t), has_version = true;
            break;
        case 2:
            if (EXPECT(&d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d.t, &et);
                if (n > 0 && et != PQ_CT_STRUCT) {
                    pq_thrift_fail(&d.t, "schema is not a list of structs");
                    break;
                }
                if (n > PQ_MAX_SCHEMA_ELEMENTS) {
                    pq_thrift_fail(&d.t, "too many schema elements");
                    break;
                }
                m->schema = dec_alloc(&d, (size_t)n, sizeof *m->schema);
                for (int32_t i = 0; m->schema && i < n && !d.t.failed; i++)
                    dec_schema_element(&d, &m->schema[i]);
                m->n_schema = n;
                has_schema = true;
            }
            break;
        case 3:
            if (EXPECT(&d, ty, PQ_CT_I64)) m->num_rows = pq_thrift_i64(&d.t), has_rows = true;
            break;
        case 4:
            if (EXPECT(&d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d.t, &et);
                if (n > 0 && et != PQ_CT_STRUCT) {
                    pq_thrift_fail(&d.t, "row_groups is not a list of structs");
                    break;
                }
                m->row_groups = dec_alloc(&d, (size_t)n, sizeof *m->row_groups);
                for (int32_t i = 0; m->row_groups && i < n && !d.t.failed; i++)
                    dec_row_group(&d, &m->row_groups[i]);
                m->n_row_groups = n;
                has_rgs = true;
            }
            break;
        case 5:
            if (EXPECT(&d, ty, PQ_CT_LIST)) dec_kv_list(&d, &m->n_kv, &m->kv);
            break;
        case 6:
            if (EXPECT(&d, ty, PQ_CT_BINARY)) m->created_by = dec_string(&d);
            break;
        case 7:
            if (EXPECT(&d, ty, PQ_CT_LIST)) {
                uint8_t et;
                int32_t n = pq_thrift_list(&d.t, &et);
                for (int32_t i = 0; i < n && !d.t.failed; i++) pq_thrift_skip(&d.t, et);
                m->n_column_orders = n;
            }
            break;
        case 8:
            m->encrypted = true;
            pq_thrift_skip(&d.t, ty);
            break;
        default: pq_thrift_skip(&d.t, ty);
        }
    }
    pq_thrift_struct_end(&d.t);
    if (!d.t.failed && (!has_version || !has_schema || !has_rows || !has_rgs))
        pq_thrift_fail(&d.t, "a required field (version, schema, num_rows, row_groups) is missing");
    if (!d.t.failed && m->num_rows < 0) pq_thrift_fail(&d.t, "negative num_rows");
    if (!d.t.failed && m->n_schema < 1) pq_thrift_fail(&d.t, "empty schema");
    if (d.t.failed) {
        nl_status st = dec_error(&d, err, "footer (FileMetaData)");
        pq_file_meta_free(m);
        return st;
    }
    *out = m;
    return NL_OK;
}

/* ---- PageHeader ---- */

static void dec_data_page_header(dec *d, pq_page_header *h, bool v2) {
    h->is_compressed = true;
    FIELD_LOOP(d, s, id, ty) {
        if (!v2) {
            switch (id) {
            case 1: if (EXPECT(d, ty, PQ_CT_I32)) h->num_values = pq_thrift_i32(&d->t); break;
            case 2: if (EXPECT(d, ty, PQ_CT_I32)) h->encoding = pq_thrift_i32(&d->t); break;
            case 3: if (EXPECT(d, ty, PQ_CT_I32)) h->def_encoding = pq_thrift_i32(&d->t); break;
            case 4: if (EXPECT(d, ty, PQ_CT_I32)) h->rep_encoding = pq_thrift_i32(&d->t); break;
            case 5:
                if (EXPECT(d, ty, PQ_CT_STRUCT))
                    dec_statistics(d, &h->statistics), h->has_statistics = true;
                break;
            default: pq_thrift_skip(&d->t, ty);
            }
        } else {
            switch (id) {
            case 1: if (EXPECT(d, ty, PQ_CT_I32)) h->num_values = pq_thrift_i32(&d->t); break;
            case 2: if (EXPECT(d, ty, PQ_CT_I32)) h->num_nulls = pq_thrift_i32(&d->t); break;
            case 3: if (EXPECT(d, ty, PQ_CT_I32)) h->num_rows = pq_thrift_i32(&d->t); break;
            case 4: if (EXPECT(d, ty, PQ_CT_I32)) h->encoding = pq_thrift_i32(&d->t); break;
            case 5: if (EXPECT(d, ty, PQ_CT_I32)) h->def_length = pq_thrift_i32(&d->t); break;
            case 6: if (EXPECT(d, ty, PQ_CT_I32)) h->rep_length = pq_thrift_i32(&d->t); break;
            case 7:
                if (EXPECT(d, ty, PQ_CT_BOOL_TRUE)) h->is_compressed = pq_thrift_bool(&d->t, &s, ty);
                break;
            case 8:
                if (EXPECT(d, ty, PQ_CT_STRUCT))
                    dec_statistics(d, &h->statistics), h->has_statistics = true;
                break;
            default: pq_thrift_skip(&d->t, ty);
            }
        }
    }
    pq_thrift_struct_end(&d->t);
}

static void dec_dict_page_header(dec *d, pq_page_header *h) {
    FIELD_LOOP(d, s, id, ty) {
        switch (id) {
        case 1: if (EXPECT(d, ty, PQ_CT_I32)) h->num_values = pq_thrift_i32(&d->t); break;
        case 2: if (EXPECT(d, ty, PQ_CT_I32)) h->encoding = pq_thrift_i32(&d->t); break;
        case 3:
            if (EXPECT(d, ty, PQ_CT_BOOL_TRUE)) h->is_sorted = pq_thrift_bool(&d->t, &s, ty);
            break;
        default: pq_thrift_skip(&d->t, ty);
        }
    }
    pq_thrift_struct_end(&d->t);
}

nl_status pq_page_header_decode(const uint8_t *data, size_t len, pq_page_header *h,
                                nl_error *err) {
    memset(h, 0, sizeof *h);
    h->type = -1;
    dec d = {.arena = NULL};
    pq_thrift_init(&d.t, data, len);
    bool has_sizes = false;
    int seen_sub = 0;
    FIELD_LOOP(&d, s, id, ty) {
        switch (id) {
        case 1: if (EXPECT(&d, ty, PQ_CT_I32)) h->type = pq_thrift_i32(&d.t); break;
        case 2: if (EXPECT(&d, ty, PQ_CT_I32)) h->uncompressed_size = pq_thrift_i32(&d.t); break;
        case 3:
            if (EXPECT(&d, ty, PQ_CT_I32)) h->compressed_size = pq_thrift_i32(&d.t), has_sizes = true;
            break;
        case 4:
            if (EXPECT(&d, ty, PQ_CT_I32)) h->crc = (uint32_t)pq_thrift_i32(&d.t), h->has_crc = true;
            break;
        case 5:
            if (EXPECT(&d, ty, PQ_CT_STRUCT)) dec_data_page_header(&d, h, false), seen_sub = 5;
            break;
        case 7:
            if (EXPECT(&d, ty, PQ_CT_STRUCT)) dec_dict_page_header(&d, h), seen_sub = 7;
            break;
        case 8:
            if (EXPECT(&d, ty, PQ_CT_STRUCT)) dec_data_page_header(&d, h, true), seen_sub = 8;
            break;
        default: pq_thrift_skip(&d.t, ty);
        }
    }
    pq_thrift_struct_end(&d.t);
    if (!d.t.failed) {
        if (h->type < 0 || !has_sizes)
            pq_thrift_fail(&d.t, "page header misses its type or sizes");
        else if (h->uncompressed_size < 0 || h->compressed_size < 0)
            pq_thrift_fail(&d.t, "negative page size");
        else if ((h->type == PQ_PAGE_DATA && seen_sub != 5) ||
                 (h->type == PQ_PAGE_DICTIONARY && seen_sub != 7) ||
                 (h->type == PQ_PAGE_DATA_V2 && seen_sub != 8))
            pq_thrift_fail(&d.t, "page header misses the header of its page type");
        else if (h->num_values < 0 || h->num_nulls < 0 || h->num_rows < 0 || h->def_length < 0 ||
                 h->rep_length < 0)
            pq_thrift_fail(&d.t, "negative count in page header");
    }
    if (d.t.failed) return dec_error(&d, err, "page header");
    h->header_size = (int32_t)pq_thrift_pos(&d.t);
    return NL_OK;
}

/* ---- page index ---- */

nl_status pq_offset_index_decode(const uint8_t *data, size_t len, nl_arena *arena,
                                 pq_offset_index *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    dec d = {.arena = arena};
    pq_thrift_init(&d.t, data, len);
    FIELD_LOOP(&d, s, id, ty) {
        if (id == 1 && EXPECT(&d, ty, PQ_CT_LIST)) {
            uint8_t et;
            int32_t n = pq_thrift_list(&d.t, &et);
            if (n > 0 && et != PQ_CT_STRUCT) {
                pq_thrift_fail(&d.t, "page_locations is not a list of structs");
                break;
            }
            out->pages = dec_alloc(&d, (size_t)n, sizeof *out->pages);
            for (int32_t i = 0; out->pages && i < n && !d.t.failed; i++) {
                pq_page_location *pl = &out->pages[i];
                FIELD_LOOP(&d, s2, id2, ty2) {
                    if (id2 == 1 && EXPECT(&d, ty2, PQ_CT_I64)) pl->offset = pq_thrift_i64(&d.t);
                    else if (id2 == 2 && EXPECT(&d, ty2, PQ_CT_I32))
                        pl->compressed_size = pq_thrift_i32(&d.t);
                    else if (id2 == 3 && EXPECT(&d, ty2, PQ_CT_I64)) pl->first_row = pq_thrift_i64(&d.t);
                    else if (id2 < 1 || id2 > 3) pq_thrift_skip(&d.t, ty2);
                }
                pq_thrift_struct_end(&d.t);
            }
            out->n_pages = n;
        } else if (id != 1) {
            pq_thrift_skip(&d.t, ty);
        }
    }
    pq_thrift_struct_end(&d.t);
    if (d.t.failed) return dec_error(&d, err, "offset index");
    return NL_OK;
}

nl_status pq_column_index_decode(const uint8_t *data, size_t len, nl_arena *arena,
                                 pq_column_index *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    dec d = {.arena = arena};
    pq_thrift_init(&d.t, data, len);
    int32_t n_null = -1, n_min = -1, n_max = -1, n_counts = -1;
    FIELD_LOOP(&d, s, id, ty) {
        uint8_t et;
        int32_t n;
        switch (id) {
        case 1:
            if (!EXPECT(&d, ty, PQ_CT_LIST)) break;
            n = pq_thrift_list(&d.t, &et);
            out->null_pages = dec_alloc(&d, (size_t)n, sizeof *out->null_pages);
            for (int32_t i = 0; out->null_pages && i < n && !d.t.failed; i++) {
                int8_t b = pq_thrift_byte(&d.t);
                out->null_pages[i] = b == PQ_CT_BOOL_TRUE;
            }
            n_null = n;
            break;
        case 2:
        case 3: {
            if (!EXPECT(&d, ty, PQ_CT_LIST)) break;
            n = pq_thrift_list(&d.t, &et);
            if (n > 0 && et != PQ_CT_BINARY) {
                pq_thrift_fail(&d.t, "min/max values are not binary");
                break;
            }
            pq_bytes *v = dec_alloc(&d, (size_t)n, sizeof *v);
            for (int32_t i = 0; v && i < n && !d.t.failed; i++) v[i] = dec_bytes(&d);
            if (id == 2) out->min = v, n_min = n;
            else out->max = v, n_max = n;
            break;
        }
        case 4:
            if (EXPECT(&d, ty, PQ_CT_I32)) out->boundary_order = pq_thrift_i32(&d.t);
            break;
        case 5:
            if (!EXPECT(&d, ty, PQ_CT_LIST)) break;
            n = pq_thrift_list(&d.t, &et);
            out->null_counts = dec_alloc(&d, (size_t)n, sizeof *out->null_counts);
            for (int32_t i = 0; out->null_counts && i < n && !d.t.failed; i++)
                out->null_counts[i] = pq_thrift_i64(&d.t);
            n_counts = n;
            break;
        default: pq_thrift_skip(&d.t, ty);
        }
    }
    pq_thrift_struct_end(&d.t);
    if (!d.t.failed && (n_null < 0 || n_min != n_null || n_max != n_null ||
                        (n_counts >= 0 && n_counts != n_null)))
        pq_thrift_fail(&d.t, "column index lists of different lengths");
    if (d.t.failed) return dec_error(&d, err, "column index");
    if (n_counts < 0) out->null_counts = NULL;
    out->n_pages = n_null;
    return NL_OK;
}

/* ---- names ---- */

const char *pq_type_name(int32_t type) {
    static const char *const names[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                        "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    return type >= 0 && type < PQ_TYPE_COUNT ? names[type] : "GROUP";
}

const char *pq_encoding_name(int32_t e) {
    static const char *const names[] = {"PLAIN",
                                        "GROUP_VAR_INT",
                                        "PLAIN_DICTIONARY",
                                        "RLE",
                                        "BIT_PACKED",
                                        "DELTA_BINARY_PACKED",
                                        "DELTA_LENGTH_BYTE_ARRAY",
                                        "DELTA_BYTE_ARRAY",
                                        "RLE_DICTIONARY",
                                        "BYTE_STREAM_SPLIT"};
    return e >= 0 && e < PQ_ENCODING_COUNT ? names[e] : "UNKNOWN";
}

const char *pq_converted_name(int32_t c) {
    static const char *const names[] = {
        "UTF8",      "MAP",         "MAP_KEY_VALUE", "LIST",           "ENUM",
        "DECIMAL",   "DATE",        "TIME_MILLIS",   "TIME_MICROS",    "TIMESTAMP_MILLIS",
        "TIMESTAMP_MICROS", "UINT_8", "UINT_16",     "UINT_32",        "UINT_64",
        "INT_8",     "INT_16",      "INT_32",        "INT_64",         "JSON",
        "BSON",      "INTERVAL"};
    if (c < 0) return "NONE";
    return c < (int32_t)(sizeof names / sizeof names[0]) ? names[c] : "UNKNOWN";
}

const char *pq_repetition_name(int32_t r) {
    switch (r) {
    case PQ_REQUIRED: return "REQUIRED";
    case PQ_OPTIONAL: return "OPTIONAL";
    case PQ_REPEATED: return "REPEATED";
    default: return "";
    }
}

const char *pq_page_type_name(int32_t t) {
    switch (t) {
    case PQ_PAGE_DATA: return "DATA_PAGE";
    case PQ_PAGE_INDEX: return "INDEX_PAGE";
    case PQ_PAGE_DICTIONARY: return "DICTIONARY_PAGE";
    case PQ_PAGE_DATA_V2: return "DATA_PAGE_V2";
    default: return "UNKNOWN";
    }
}

static const char *unit_name(pq_time_unit u) {
    return u == PQ_MILLIS ? "MILLIS" : u == PQ_MICROS ? "MICROS" : "NANOS";
}

const char *pq_logical_name(const pq_logical *lt, char *buf, size_t size) {
    switch (lt->kind) {
    case PQ_LT_NONE: snprintf(buf, size, "NONE"); break;
    case PQ_LT_STRING: snprintf(buf, size, "STRING"); break;
    case PQ_LT_MAP: snprintf(buf, size, "MAP"); break;
    case PQ_LT_LIST: snprintf(buf, size, "LIST"); break;
    case PQ_LT_ENUM: snprintf(buf, size, "ENUM"); break;
    case PQ_LT_DECIMAL: snprintf(buf, size, "DECIMAL(%d,%d)", lt->precision, lt->scale); break;
    case PQ_LT_DATE: snprintf(buf, size, "DATE"); break;
    case PQ_LT_TIME:
        snprintf(buf, size, "TIME(%s,%s)", unit_name(lt->unit), lt->utc ? "true" : "false");
        break;
    case PQ_LT_TIMESTAMP:
        snprintf(buf, size, "TIMESTAMP(%s,%s)", unit_name(lt->unit), lt->utc ? "true" : "false");
        break;
    case PQ_LT_INTEGER:
        snprintf(buf, size, "INTEGER(%d,%s)", lt->bit_width, lt->is_signed ? "true" : "false");
        break;
    case PQ_LT_UNKNOWN: snprintf(buf, size, "UNKNOWN"); break;
    case PQ_LT_JSON: snprintf(buf, size, "JSON"); break;
    case PQ_LT_BSON: snprintf(buf, size, "BSON"); break;
    case PQ_LT_UUID: snprintf(buf, size, "UUID"); break;
    case PQ_LT_FLOAT16: snprintf(buf, size, "FLOAT16"); break;
    case PQ_LT_VARIANT: snprintf(buf, size, "VARIANT"); break;
    case PQ_LT_GEOMETRY: snprintf(buf, size, "GEOMETRY"); break;
    case PQ_LT_GEOGRAPHY: snprintf(buf, size, "GEOGRAPHY"); break;
    default: snprintf(buf, size, "UNRECOGNISED"); break;
    }
    return buf;
}
