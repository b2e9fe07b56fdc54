/*
 * arrow_schema.c -- reads the footer's ARROW:schema entry (base64 of an Arrow
 * IPC Schema message, a flatbuffer; Schema.fbs, Message.fbs) for the hints of
 * arrow_schema.h: durations and named time zones of columns outside lists.
 * Every offset is checked against the decoded bytes; any problem ends the
 * reading with whatever hints were complete (usually none).
 */
#include "formats/parquet/arrow_schema.h"

#include <string.h>

#include "base/alloc.h"

/* Schema.fbs: the Type union's tags used here, and TimeUnit */
enum { AT_TIMESTAMP = 10, AT_STRUCT = 13, AT_DURATION = 18 };
#define MAX_DEPTH 32
#define MAX_FIELDS 100000

/* ---- base64 ---- */

static int b64_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

/* Decodes base64 (padding optional, whitespace skipped); NULL on bad input. */
static uint8_t *b64_decode(const char *s, size_t *n_out) {
    size_t len = strlen(s);
    uint8_t *out = nl_malloc(len / 4 * 3 + 4);
    if (!out) return NULL;
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') break;
        if (c == '\n' || c == '\r' || c == ' ') continue;
        int v = b64_value(c);
        if (v < 0) {
            nl_free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    *n_out = n;
    return out;
}

/* ---- flatbuffers, bounds-checked ---- */

typedef struct fb {
    const uint8_t *p;
    size_t n;
    bool bad;
} fb;

static uint32_t rd32(fb *f, size_t pos) {
    if (f->bad || pos > f->n || f->n - pos < 4) {
        f->bad = true;
        return 0;
    }
    uint32_t v;
    memcpy(&v, f->p + pos, 4);
    return v;
}

static uint16_t rd16(fb *f, size_t pos) {
    if (f->bad || pos > f->n || f->n - pos < 2) {
        f->bad = true;
        return 0;
    }
    uint16_t v;
    memcpy(&v, f->p + pos, 2);
    return v;
}

/* Where field `id` of the table at `t` lives, or 0 when absent. */
static size_t fb_field(fb *f, size_t t, int id) {
    int32_t soff = (int32_t)rd32(f, t);
    int64_t vt = (int64_t)t - soff;
    if (f->bad || vt < 0 || (uint64_t)vt >= f->n) {
        f->bad = true;
        return 0;
    }
    uint16_t vt_size = rd16(f, (size_t)vt);
    if (f->bad || vt_size < 4 || (size_t)(4 + 2 * id + 2) > vt_size) return 0;
    uint16_t off = rd16(f, (size_t)vt + 4 + 2 * (size_t)id);
    if (f->bad || off == 0) return 0;
    if ((uint64_t)t + off >= f->n) {
        f->bad = true;
        return 0;
    }
    return t + off;
}

/* Follows the offset stored at `at` (0 when `at` is 0). */
static size_t fb_deref(fb *f, size_t at) {
    if (!at) return 0;
    uint32_t rel = rd32(f, at);
    if (f->bad || rel == 0 || (uint64_t)at + rel >= f->n) {
        f->bad = true;
        return 0;
    }
    return at + rel;
}

/* A string field as a new nul-terminated copy (NULL when absent or bad). */
static char *fb_string(fb *f, size_t t, int id) {
    size_t s = fb_deref(f, fb_field(f, t, id));
    if (!s) return NULL;
    uint32_t len = rd32(f, s);
    if (f->bad || (uint64_t)s + 4 + len > f->n) {
        f->bad = true;
        return NULL;
    }
    char *out = nl_malloc((size_t)len + 1);
    if (!out) return NULL;
    memcpy(out, f->p + s + 4, len);
    out[len] = '\0';
    return out;
}

static uint8_t fb_u8(fb *f, size_t t, int id, uint8_t dflt) {
    size_t at = fb_field(f, t, id);
    return at && !f->bad ? f->p[at] : dflt;
}

static int16_t fb_i16(fb *f, size_t t, int id, int16_t dflt) {
    size_t at = fb_field(f, t, id);
    return at ? (int16_t)rd16(f, at) : dflt;
}

/* ---- hints ---- */

static nl_time_unit unit_of(int16_t u) {
    return u == 0 ? NL_UNIT_SECOND : u == 1 ? NL_UNIT_MILLI : u == 2 ? NL_UNIT_MICRO : NL_UNIT_NANO;
}

static void add_hint(pq_arrow_hints *h, const char *path, pq_arrow_hint_kind kind,
                     nl_time_unit unit, char *tz) {
    if (h->n == h->cap) {
        int32_t cap = h->cap ? h->cap * 2 : 8;
        pq_arrow_hint *p = nl_realloc(h->hints, (size_t)cap * sizeof *p);
        if (!p) {
            nl_free(tz);
            return;
        }
        h->hints = p;
        h->cap = cap;
    }
    char *copy = nl_strdup(path);
    if (!copy) {
        nl_free(tz);
        return;
    }
    h->hints[h->n++] = (pq_arrow_hint){.path = copy, .kind = kind, .unit = unit, .timezone = tz};
}

/* The Field tables of the vector at `at`; recurses into structs. */
static void walk_fields(fb *f, size_t vec, const char *prefix, int depth, pq_arrow_hints *out) {
    if (!vec || depth > MAX_DEPTH) return;
    uint32_t n = rd32(f, vec);
    if (f->bad || n > MAX_FIELDS || (uint64_t)vec + 4 + 4 * (uint64_t)n > f->n) {
        f->bad = true;
        return;
    }
    for (uint32_t i = 0; i < n && !f->bad; i++) {
        size_t field = fb_deref(f, vec + 4 + 4 * (size_t)i);
        if (!field) return;
        char *name = fb_string(f, field, 0);
        if (!name) return;
        size_t plen = strlen(prefix), nlen = strlen(name);
        char *path = nl_malloc(plen + nlen + 2);
        if (!path) {
            nl_free(name);
            return;
        }
        if (plen) {
            memcpy(path, prefix, plen);
            path[plen] = '.';
            memcpy(path + plen + 1, name, nlen + 1);
        } else {
            memcpy(path, name, nlen + 1);
        }
        nl_free(name);
        uint8_t tag = fb_u8(f, field, 2, 0);
        size_t type = fb_deref(f, fb_field(f, field, 3));
        if (tag == AT_DURATION && type) {
            int16_t u = fb_i16(f, type, 0, 1);
            if (!f->bad) add_hint(out, path, PQ_HINT_DURATION, unit_of(u), NULL);
        } else if (tag == AT_TIMESTAMP && type) {
            char *tz = fb_string(f, type, 1);
            if (tz && !f->bad && tz[0] && strcmp(tz, "UTC") != 0 && strcmp(tz, "+00:00") != 0)
                add_hint(out, path, PQ_HINT_TIMEZONE, unit_of(fb_i16(f, type, 0, 0)), tz);
            else
                nl_free(tz);
        } else if (tag == AT_STRUCT) {
            walk_fields(f, fb_deref(f, fb_field(f, field, 5)), path, depth + 1, out);
        }
        nl_free(path);
    }
}

void pq_arrow_hints_read(const pq_file_meta *meta, pq_arrow_hints *out) {
    memset(out, 0, sizeof *out);
    const char *b64 = NULL;
    for (int32_t i = 0; i < meta->n_kv; i++)
        if (meta->kv[i].key && meta->kv[i].value && strcmp(meta->kv[i].key, "ARROW:schema") == 0)
            b64 = meta->kv[i].value;
    if (!b64) return;
    size_t n = 0;
    uint8_t *raw = b64_decode(b64, &n);
    if (!raw) return;
    /* Encapsulated message: [0xFFFFFFFF] int32 length, then the flatbuffer. */
    size_t start = 0;
    fb f = {.p = raw, .n = n};
    if (rd32(&f, 0) == 0xFFFFFFFFu) start = 4;
    uint32_t len = rd32(&f, start);
    start += 4;
    if (!f.bad && len <= n - start) {
        f.p = raw + start;
        f.n = len;
        uint32_t root = rd32(&f, 0);
        size_t msg = !f.bad && root >= 4 && root < f.n ? root : 0;
        if (msg && fb_u8(&f, msg, 1, 0) == 1 /* MessageHeader.Schema */) {
            size_t schema = fb_deref(&f, fb_field(&f, msg, 2));
            if (schema) walk_fields(&f, fb_deref(&f, fb_field(&f, schema, 1)), "", 0, out);
        }
    }
    nl_free(raw);
}

const pq_arrow_hint *pq_arrow_hint_find(const pq_arrow_hints *h, const char *path) {
    for (int32_t i = 0; h && i < h->n; i++)
        if (strcmp(h->hints[i].path, path) == 0) return &h->hints[i];
    return NULL;
}

void pq_arrow_hints_free(pq_arrow_hints *h) {
    for (int32_t i = 0; i < h->n; i++) {
        nl_free(h->hints[i].path);
        nl_free(h->hints[i].timezone);
    }
    nl_free(h->hints);
    memset(h, 0, sizeof *h);
}
