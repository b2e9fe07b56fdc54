/*
 * thrift_write.c -- the thrift compact protocol encoder (see thrift_write.h).
 */
#include "formats/parquet/thrift_write.h"

#include <string.h>

void pq_tw_init(pq_tw *w, pq_buf *out) {
    memset(w, 0, sizeof *w);
    w->out = out;
}

bool pq_tw_ok(const pq_tw *w) {
    return !w->failed && w->depth == 0 && pq_buf_ok(w->out);
}

void pq_tw_struct_begin(pq_tw *w) {
    if (w->depth >= PQ_TW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->last_id[++w->depth] = 0;
}

void pq_tw_struct_end(pq_tw *w) {
    if (w->depth <= 0) {
        w->failed = true;
        return;
    }
    pq_buf_byte(w->out, PQ_TW_T_STOP);
    w->depth--;
}

/* The field header: a one-byte short form when the id grows by 1..15 from
 * the previous field, else the type byte and the id as a zigzag varint. */
static void tw_field_header(pq_tw *w, int16_t id, int type) {
    if (w->depth <= 0) {
        w->failed = true;
        return;
    }
    int16_t last = w->last_id[w->depth];
    int delta = (int)id - (int)last;
    if (delta > 0 && delta <= 15) {
        pq_buf_byte(w->out, (uint8_t)((delta << 4) | type));
    } else {
        pq_buf_byte(w->out, (uint8_t)type);
        pq_buf_zvarint(w->out, id);
    }
    w->last_id[w->depth] = id;
}

void pq_tw_field_bool(pq_tw *w, int16_t id, bool v) {
    tw_field_header(w, id, v ? PQ_TW_T_BOOL_TRUE : PQ_TW_T_BOOL_FALSE);
}

void pq_tw_field_i8(pq_tw *w, int16_t id, int8_t v) {
    tw_field_header(w, id, PQ_TW_T_I8);
    pq_buf_byte(w->out, (uint8_t)v);
}

void pq_tw_field_i16(pq_tw *w, int16_t id, int16_t v) {
    tw_field_header(w, id, PQ_TW_T_I16);
    pq_buf_zvarint(w->out, v);
}

void pq_tw_field_i32(pq_tw *w, int16_t id, int32_t v) {
    tw_field_header(w, id, PQ_TW_T_I32);
    pq_buf_zvarint(w->out, v);
}

void pq_tw_field_i64(pq_tw *w, int16_t id, int64_t v) {
    tw_field_header(w, id, PQ_TW_T_I64);
    pq_buf_zvarint(w->out, v);
}

void pq_tw_field_binary(pq_tw *w, int16_t id, const void *data, int64_t len) {
    tw_field_header(w, id, PQ_TW_T_BINARY);
    pq_tw_elem_binary(w, data, len);
}

void pq_tw_field_string(pq_tw *w, int16_t id, const char *s) {
    pq_tw_field_binary(w, id, s, (int64_t)strlen(s));
}

void pq_tw_field_struct(pq_tw *w, int16_t id) {
    tw_field_header(w, id, PQ_TW_T_STRUCT);
    pq_tw_struct_begin(w);
}

void pq_tw_field_empty_struct(pq_tw *w, int16_t id) {
    pq_tw_field_struct(w, id);
    pq_tw_struct_end(w);
}

void pq_tw_field_list(pq_tw *w, int16_t id, int elem_type, int64_t count) {
    tw_field_header(w, id, PQ_TW_T_LIST);
    if (count < 15) {
        pq_buf_byte(w->out, (uint8_t)((count << 4) | elem_type));
    } else {
        pq_buf_byte(w->out, (uint8_t)(0xF0 | elem_type));
        pq_buf_uvarint(w->out, (uint64_t)count);
    }
}

/* Bool elements are one byte: 1 true, 0 false (compact protocol, "Boolean
 * encoding"). */
void pq_tw_elem_bool(pq_tw *w, bool v) {
    pq_buf_byte(w->out, v ? 1 : 0);
}

void pq_tw_elem_i32(pq_tw *w, int32_t v) {
    pq_buf_zvarint(w->out, v);
}

void pq_tw_elem_i64(pq_tw *w, int64_t v) {
    pq_buf_zvarint(w->out, v);
}

void pq_tw_elem_binary(pq_tw *w, const void *data, int64_t len) {
    if (len < 0) {
        w->failed = true;
        return;
    }
    pq_buf_uvarint(w->out, (uint64_t)len);
    pq_buf_append(w->out, data, (size_t)len);
}
