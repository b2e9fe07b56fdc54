/*
 * thrift.c -- the Thrift compact protocol decoder (see thrift.h): varints,
 * zigzag integers, field headers with delta ids, lists and skipping.
 */
#include "formats/parquet/thrift.h"

#include <string.h>

void pq_thrift_init(pq_thrift *t, const void *data, size_t len) {
    t->start = t->p = (const uint8_t *)data;
    t->end = t->p + len;
    t->depth = 0;
    t->failed = false;
    t->why = NULL;
}

void pq_thrift_fail(pq_thrift *t, const char *why) {
    if (!t->failed) {
        t->failed = true;
        t->why = why;
    }
    t->p = t->end; /* nothing more is read */
}

static uint64_t read_varint(pq_thrift *t) {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (t->p >= t->end) {
            pq_thrift_fail(t, "truncated varint");
            return 0;
        }
        uint8_t b = *t->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
    pq_thrift_fail(t, "varint longer than 10 bytes");
    return 0;
}

static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

void pq_thrift_struct_begin(pq_thrift *t, pq_tstruct *s) {
    s->last_id = 0;
    s->bool_value = 0;
    if (++t->depth > PQ_THRIFT_MAX_DEPTH) pq_thrift_fail(t, "structures nested too deeply");
}

void pq_thrift_struct_end(pq_thrift *t) { t->depth--; }

bool pq_thrift_field(pq_thrift *t, pq_tstruct *s, int16_t *id, uint8_t *type) {
    if (t->failed) return false;
    if (t->p >= t->end) {
        pq_thrift_fail(t, "truncated structure (no STOP)");
        return false;
    }
    uint8_t b = *t->p++;
    if (b == PQ_CT_STOP) return false;
    uint8_t ty = b & 0x0f;
    int delta = b >> 4;
    int64_t fid;
    if (delta) {
        fid = (int64_t)s->last_id + delta;
    } else {
        fid = unzigzag(read_varint(t));
    }
    if (fid < INT16_MIN || fid > INT16_MAX) {
        pq_thrift_fail(t, "field id out of range");
        return false;
    }
    if (ty > PQ_CT_UUID) {
        pq_thrift_fail(t, "unknown field type");
        return false;
    }
    s->last_id = (int16_t)fid;
    s->bool_value = ty;
    *id = (int16_t)fid;
    *type = ty;
    return !t->failed;
}

bool pq_thrift_expect(pq_thrift *t, uint8_t type, uint8_t want) {
    if (type == want) return true;
    /* Booleans come as TRUE or FALSE codes; i16 and i32 share a reader. */
    if (want == PQ_CT_BOOL_TRUE && type == PQ_CT_BOOL_FALSE) return true;
    if (want == PQ_CT_I32 && (type == PQ_CT_I16 || type == PQ_CT_BYTE)) return true;
    if (want == PQ_CT_LIST && type == PQ_CT_SET) return true;
    pq_thrift_skip(t, type);
    return false;
}

bool pq_thrift_bool(pq_thrift *t, pq_tstruct *s, uint8_t type) {
    (void)s;
    return type == PQ_CT_BOOL_TRUE;
}

int8_t pq_thrift_byte(pq_thrift *t) {
    if (t->p >= t->end) {
        pq_thrift_fail(t, "truncated byte");
        return 0;
    }
    return (int8_t)*t->p++;
}

int32_t pq_thrift_i32(pq_thrift *t) {
    int64_t v = unzigzag(read_varint(t));
    if (v < INT32_MIN || v > INT32_MAX) {
        pq_thrift_fail(t, "i32 out of range");
        return 0;
    }
    return (int32_t)v;
}

int64_t pq_thrift_i64(pq_thrift *t) { return unzigzag(read_varint(t)); }

double pq_thrift_double(pq_thrift *t) {
    if (t->end - t->p < 8) {
        pq_thrift_fail(t, "truncated double");
        return 0;
    }
    double d;
    memcpy(&d, t->p, 8);
    t->p += 8;
    return d;
}

const uint8_t *pq_thrift_binary(pq_thrift *t, int32_t *len) {
    uint64_t n = read_varint(t);
    if (t->failed || n > (uint64_t)(t->end - t->p) || n > INT32_MAX) {
        pq_thrift_fail(t, "binary length beyond the end of the data");
        *len = 0;
        return t->p;
    }
    const uint8_t *r = t->p;
    t->p += n;
    *len = (int32_t)n;
    return r;
}

int32_t pq_thrift_list(pq_thrift *t, uint8_t *elem_type) {
    if (t->p >= t->end) {
        pq_thrift_fail(t, "truncated list header");
        *elem_type = 0;
        return 0;
    }
    uint8_t b = *t->p++;
    uint64_t n = b >> 4;
    *elem_type = b & 0x0f;
    if (n == 15) n = read_varint(t);
    if (*elem_type > PQ_CT_UUID) {
        pq_thrift_fail(t, "unknown list element type");
        return 0;
    }
    /* Every element takes at least one byte (a STRUCT at least its STOP);
     * a list claiming more elements than bytes left is corrupt. */
    if (t->failed || n > (uint64_t)(t->end - t->p) || n > INT32_MAX) {
        pq_thrift_fail(t, "list longer than the data");
        return 0;
    }
    return (int32_t)n;
}

int32_t pq_thrift_i32_in(pq_thrift *t, int32_t lo, int32_t hi, const char *what) {
    int32_t v = pq_thrift_i32(t);
    if (!t->failed && (v < lo || v > hi)) {
        pq_thrift_fail(t, what);
        return lo;
    }
    return v;
}

void pq_thrift_skip(pq_thrift *t, uint8_t type) {
    if (t->failed) return;
    if (++t->depth > PQ_THRIFT_MAX_DEPTH) {
        pq_thrift_fail(t, "values nested too deeply");
        return;
    }
    switch (type) {
    case PQ_CT_BOOL_TRUE:
    case PQ_CT_BOOL_FALSE: break;
    case PQ_CT_BYTE: (void)pq_thrift_byte(t); break;
    case PQ_CT_I16:
    case PQ_CT_I32:
    case PQ_CT_I64: (void)read_varint(t); break;
    case PQ_CT_DOUBLE: (void)pq_thrift_double(t); break;
    case PQ_CT_BINARY: {
        int32_t n;
        (void)pq_thrift_binary(t, &n);
        break;
    }
    case PQ_CT_UUID:
        if (t->end - t->p < 16) pq_thrift_fail(t, "truncated uuid");
        else t->p += 16;
        break;
    case PQ_CT_LIST:
    case PQ_CT_SET: {
        uint8_t et;
        int32_t n = pq_thrift_list(t, &et);
        for (int32_t i = 0; i < n && !t->failed; i++) {
            if (et == PQ_CT_BOOL_TRUE || et == PQ_CT_BOOL_FALSE) (void)pq_thrift_byte(t);
            else pq_thrift_skip(t, et);
        }
        break;
    }
    case PQ_CT_MAP: {
        uint64_t n = read_varint(t);
        if (n == 0) break;
        if (n > (uint64_t)(t->end - t->p)) {
            pq_thrift_fail(t, "map longer than the data");
            break;
        }
        uint8_t kv = (uint8_t)pq_thrift_byte(t);
        uint8_t kt = kv >> 4, vt = kv & 0x0f;
        for (uint64_t i = 0; i < n && !t->failed; i++) {
            if (kt == PQ_CT_BOOL_TRUE || kt == PQ_CT_BOOL_FALSE) (void)pq_thrift_byte(t);
            else pq_thrift_skip(t, kt);
            if (vt == PQ_CT_BOOL_TRUE || vt == PQ_CT_BOOL_FALSE) (void)pq_thrift_byte(t);
            else pq_thrift_skip(t, vt);
        }
        break;
    }
    case PQ_CT_STRUCT: {
        pq_tstruct s;
        pq_thrift_struct_begin(t, &s);
        int16_t id;
        uint8_t ft;
        while (pq_thrift_field(t, &s, &id, &ft)) pq_thrift_skip(t, ft);
        pq_thrift_struct_end(t);
        break;
    }
    default: pq_thrift_fail(t, "unknown value type"); break;
    }
    t->depth--;
}
