/*
 * write_arrow.c -- the "ARROW:schema" key-value entry: the Arrow IPC Schema
 * message of the written schema, base64-encoded, as Arrow's own Parquet
 * writer stores it, so Arrow readers (pyarrow, Polars, arrow-rs) get back the
 * exact types where Parquet's logical types are not enough (durations,
 * timestamps in seconds or with a named time zone, the names of list items).
 *
 * The message is a flatbuffer (format/Message.fbs and Schema.fbs of Arrow)
 * behind the IPC framing: 0xFFFFFFFF, the metadata length, the flatbuffer
 * padded to 8 bytes. Flatbuffers are normally built back to front; this file
 * builds front to back, which is simpler here: a table is written with
 * placeholders for its references, then the objects they point to are
 * written after it (references are unsigned, so they must point forward) and
 * the placeholders patched. Every scalar is aligned to its size from the
 * start of the buffer, as verifiers require.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/write_internal.h"

/* Schema.fbs: the Type union, TimeUnit; Message.fbs: MessageHeader, MetadataVersion */
enum {
    AT_NULL = 1, AT_INT = 2, AT_FLOAT = 3, AT_BINARY = 4, AT_UTF8 = 5, AT_BOOL = 6,
    AT_DECIMAL = 7, AT_DATE = 8, AT_TIME = 9, AT_TIMESTAMP = 10, AT_LIST = 12,
    AT_STRUCT = 13, AT_DURATION = 18
};
#define ARROW_HEADER_SCHEMA 1
#define ARROW_METADATA_V5 4

typedef enum { FB_NONE = 0, FB_U8, FB_I16, FB_I32, FB_I64, FB_REF } fb_kind;

typedef struct fb_slot {
    fb_kind kind;
    int64_t value;
    size_t pos; /* out: where the field lives in the buffer */
} fb_slot;

static void fb_pad(pq_buf *b, size_t align) {
    while (b->len % align) pq_buf_byte(b, 0);
}

static size_t fb_size(fb_kind k) {
    return k == FB_U8 ? 1 : k == FB_I16 ? 2 : k == FB_I64 ? 8 : k == FB_NONE ? 0 : 4;
}

/* Writes a vtable and then its table (starting on 8); returns the table's
 * position and sets each slot's position. Fields are laid out by decreasing
 * size so each is aligned. */
static size_t fb_table(pq_buf *b, fb_slot *slots, int n) {
    uint16_t off[16] = {0};
    size_t tsize = 4; /* the soffset to the vtable */
    for (size_t sz = 8; sz >= 1; sz /= 2) {
        for (int i = 0; i < n; i++) {
            if (slots[i].kind == FB_NONE || fb_size(slots[i].kind) != sz) continue;
            while (tsize % sz) tsize++;
            off[i] = (uint16_t)tsize;
            tsize += sz;
        }
    }
    while (tsize % 4) tsize++;
    uint16_t vt_size = (uint16_t)(4 + 2 * n);
    fb_pad(b, 2);
    while ((b->len + vt_size) % 8) pq_buf_byte(b, 0);
    size_t vt_pos = b->len;
    uint16_t hdr[2] = {vt_size, (uint16_t)tsize};
    pq_buf_append(b, hdr, 4);
    pq_buf_append(b, off, (size_t)n * 2);
    size_t t_pos = b->len;
    int32_t soff = (int32_t)(t_pos - vt_pos);
    uint8_t tbl[128];
    memset(tbl, 0, sizeof tbl);
    memcpy(tbl, &soff, 4);
    for (int i = 0; i < n; i++) {
        if (slots[i].kind == FB_NONE) continue;
        uint8_t *p = tbl + off[i];
        slots[i].pos = t_pos + off[i];
        switch (slots[i].kind) {
        case FB_U8: *p = (uint8_t)slots[i].value; break;
        case FB_I16: { int16_t v = (int16_t)slots[i].value; memcpy(p, &v, 2); break; }
        case FB_I32: { int32_t v = (int32_t)slots[i].value; memcpy(p, &v, 4); break; }
        case FB_I64: memcpy(p, &slots[i].value, 8); break;
        default: break;
        }
    }
    pq_buf_append(b, tbl, tsize);
    return t_pos;
}

/* Makes the reference at `at` point to `target` (which lies after it). */
static void fb_set_ref(pq_buf *b, size_t at, size_t target) {
    if (!pq_buf_ok(b)) return;
    uint32_t rel = (uint32_t)(target - at);
    memcpy(b->data + at, &rel, 4);
}

static void fb_string(pq_buf *b, size_t ref, const char *s) {
    fb_pad(b, 4);
    size_t pos = b->len;
    uint32_t n = (uint32_t)strlen(s);
    pq_buf_append(b, &n, 4);
    pq_buf_append(b, s, n);
    pq_buf_byte(b, 0);
    fb_set_ref(b, ref, pos);
}

/* A vector of n table references with placeholders; returns the position of
 * its first element. */
static size_t fb_ref_vector(pq_buf *b, size_t ref, int32_t n) {
    fb_pad(b, 4);
    size_t pos = b->len;
    pq_buf_append(b, &n, 4);
    for (int32_t i = 0; i < n; i++) pq_buf_append(b, &(uint32_t){0}, 4);
    fb_set_ref(b, ref, pos);
    return pos + 4;
}

static int arrow_unit(nl_time_unit u) {
    return u == NL_UNIT_SECOND ? 0 : u == NL_UNIT_MILLI ? 1 : u == NL_UNIT_MICRO ? 2 : 3;
}

/* Writes the type table of t, points `ref` at it, returns the union tag. */
static int fb_type(pq_buf *b, size_t ref, const nl_type *t) {
    fb_slot s[3];
    memset(s, 0, sizeof s);
    int tag, n = 0;
    switch (t->id) {
    case NL_TYPE_NULL: tag = AT_NULL; break;
    case NL_TYPE_BOOL: tag = AT_BOOL; break;
    case NL_TYPE_INT8: case NL_TYPE_INT16: case NL_TYPE_INT32: case NL_TYPE_INT64:
    case NL_TYPE_UINT8: case NL_TYPE_UINT16: case NL_TYPE_UINT32: case NL_TYPE_UINT64:
        tag = AT_INT;
        s[0] = (fb_slot){FB_I32, nl_type_byte_width(t->id) * 8, 0};
        s[1] = (fb_slot){FB_U8, nl_type_is_signed_integer(t->id) ? 1 : 0, 0};
        n = 2;
        break;
    case NL_TYPE_FLOAT32: case NL_TYPE_FLOAT64:
        tag = AT_FLOAT;
        s[0] = (fb_slot){FB_I16, t->id == NL_TYPE_FLOAT32 ? 1 : 2, 0};
        n = 1;
        break;
    case NL_TYPE_DECIMAL128:
        tag = AT_DECIMAL;
        s[0] = (fb_slot){FB_I32, t->precision, 0};
        s[1] = (fb_slot){FB_I32, t->scale, 0};
        s[2] = (fb_slot){FB_I32, 128, 0};
        n = 3;
        break;
    case NL_TYPE_UTF8: tag = AT_UTF8; break;
    case NL_TYPE_BINARY: tag = AT_BINARY; break;
    case NL_TYPE_DATE32:
        tag = AT_DATE;
        s[0] = (fb_slot){FB_I16, 0 /* DAY */, 0};
        n = 1;
        break;
    case NL_TYPE_TIME64:
        tag = AT_TIME;
        s[0] = (fb_slot){FB_I16, arrow_unit(t->unit), 0};
        s[1] = (fb_slot){FB_I32, 64, 0};
        n = 2;
        break;
    case NL_TYPE_TIMESTAMP:
        tag = AT_TIMESTAMP;
        s[0] = (fb_slot){FB_I16, arrow_unit(t->unit), 0};
        s[1] = (fb_slot){t->timezone ? FB_REF : FB_NONE, 0, 0};
        n = 2;
        break;
    case NL_TYPE_DURATION:
        tag = AT_DURATION;
        s[0] = (fb_slot){FB_I16, arrow_unit(t->unit), 0};
        n = 1;
        break;
    case NL_TYPE_LIST: tag = AT_LIST; break;
    default: tag = AT_STRUCT; break;
    }
    size_t pos = fb_table(b, s, n);
    fb_set_ref(b, ref, pos);
    if (t->id == NL_TYPE_TIMESTAMP && t->timezone) fb_string(b, s[1].pos, t->timezone);
    return tag;
}

/* Writes a Field table (and what it points to); points `ref` at it. */
static void fb_field(pq_buf *b, size_t ref, const char *name, const nl_type *t, bool nullable) {
    /* Field: name, nullable, type_type, type, dictionary, children */
    fb_slot s[6];
    memset(s, 0, sizeof s);
    s[0].kind = FB_REF;
    s[1] = (fb_slot){FB_U8, nullable ? 1 : 0, 0};
    s[2] = (fb_slot){FB_U8, 0, 0}; /* the union tag, set below */
    s[3].kind = FB_REF;
    s[5].kind = FB_REF;
    size_t pos = fb_table(b, s, 6);
    fb_set_ref(b, ref, pos);
    fb_string(b, s[0].pos, name ? name : "");
    int tag = fb_type(b, s[3].pos, t);
    if (pq_buf_ok(b)) b->data[s[2].pos] = (uint8_t)tag;
    int32_t nc = (t->id == NL_TYPE_LIST || t->id == NL_TYPE_STRUCT) ? t->n_children : 0;
    size_t elems = fb_ref_vector(b, s[5].pos, nc);
    for (int32_t i = 0; i < nc; i++) {
        const nl_field *c = &t->children[i];
        fb_field(b, elems + 4 * (size_t)i, c->name, c->type, c->nullable);
    }
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64(const uint8_t *p, size_t n) {
    char *out = nl_malloc((n + 2) / 3 * 4 + 1);
    if (!out) return NULL;
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *o++ = B64[v >> 18];
        *o++ = B64[(v >> 12) & 63];
        *o++ = B64[(v >> 6) & 63];
        *o++ = B64[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *o++ = B64[v >> 18];
        *o++ = B64[(v >> 12) & 63];
        *o++ = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o = 0;
    return out;
}

nl_status pqw_arrow_schema_b64(const nl_schema *schema, char **out, nl_error *err) {
    *out = NULL;
    pq_buf b;
    pq_buf_init(&b);
    /* The IPC framing: continuation marker and length, patched at the end. */
    pq_buf_u32le(&b, 0xFFFFFFFFu);
    pq_buf_u32le(&b, 0);
    const size_t fb0 = 8; /* the flatbuffer starts here, 8-aligned */
    pq_buf_u32le(&b, 0);  /* root: the Message table */
    /* Message: version, header_type, header, bodyLength, custom_metadata */
    fb_slot m[3];
    memset(m, 0, sizeof m);
    m[0] = (fb_slot){FB_I16, ARROW_METADATA_V5, 0};
    m[1] = (fb_slot){FB_U8, ARROW_HEADER_SCHEMA, 0};
    m[2].kind = FB_REF;
    size_t msg = fb_table(&b, m, 3);
    fb_set_ref(&b, fb0, msg);
    /* Schema: endianness (Little, the default), fields */
    fb_slot sc[2];
    memset(sc, 0, sizeof sc);
    sc[0] = (fb_slot){FB_I16, 0, 0};
    sc[1].kind = FB_REF;
    size_t sch = fb_table(&b, sc, 2);
    fb_set_ref(&b, m[2].pos, sch);
    size_t elems = fb_ref_vector(&b, sc[1].pos, schema->n_fields);
    for (int32_t i = 0; i < schema->n_fields; i++) {
        const nl_field *f = &schema->fields[i];
        fb_field(&b, elems + 4 * (size_t)i, f->name, f->type, f->nullable);
    }
    fb_pad(&b, 8);
    if (!pq_buf_ok(&b)) {
        pq_buf_free(&b);
        return nl_error_set(err, NL_ENOMEM, "out of memory writing the Arrow schema");
    }
    uint32_t len = (uint32_t)(b.len - fb0);
    memcpy(b.data + 4, &len, 4);
    *out = base64(b.data, b.len);
    pq_buf_free(&b);
    if (!*out) return nl_error_set(err, NL_ENOMEM, "out of memory writing the Arrow schema");
    return NL_OK;
}
