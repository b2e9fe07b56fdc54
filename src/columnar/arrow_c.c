/*
 * arrow_c.c -- the Arrow C Data Interface and C Stream Interface, both ways.
 *
 * Export hands out our memory without copying: an exported ArrowArray points at
 * the buffers of an nl_array and keeps one reference to it in private_data; its
 * release callback (and each child's) drops that reference. Exported schemas
 * own copies of their format and name strings.
 *
 * Import wraps foreign memory without copying: the imported ArrowArray is moved
 * into a shared holder, every nl_buffer made from it holds the holder, and the
 * producer's release runs when the last of those buffers goes. Everything a
 * producer says is checked before it is used (formats, buffer and child counts,
 * lengths and offsets, every offset of a variable-width or list array, nesting
 * depth), so a bad producer is an error, never a crash or a read out of
 * bounds. Large offsets ("U", "Z", "+L") and string views ("vu", "vz") are
 * converted into the 32-bit layout (the offsets are copied, the data is wrapped
 * or, for views, copied).
 *
 * The specification: https://arrow.apache.org/docs/format/CDataInterface.html
 * and .../CStreamInterface.html.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/arrow_c.h"

#define AC_MAX_DEPTH 64 /* nesting beyond this is refused, not recursed into */

/* ---- formats (CDataInterface, "Data type description -- format strings") ---- */

static const char *ac_unit_char(nl_time_unit u) {
    switch (u) {
    case NL_UNIT_SECOND: return "s";
    case NL_UNIT_MILLI: return "m";
    case NL_UNIT_MICRO: return "u";
    case NL_UNIT_NANO: return "n";
    }
    return "u";
}

static bool ac_parse_unit(char c, nl_time_unit *u) {
    switch (c) {
    case 's': *u = NL_UNIT_SECOND; return true;
    case 'm': *u = NL_UNIT_MILLI; return true;
    case 'u': *u = NL_UNIT_MICRO; return true;
    case 'n': *u = NL_UNIT_NANO; return true;
    default: return false;
    }
}

/* The format string of a type (a new string). */
static char *ac_format_of(const nl_type *t) {
    switch (t->id) {
    case NL_TYPE_NULL: return nl_strdup("n");
    case NL_TYPE_BOOL: return nl_strdup("b");
    case NL_TYPE_INT8: return nl_strdup("c");
    case NL_TYPE_INT16: return nl_strdup("s");
    case NL_TYPE_INT32: return nl_strdup("i");
    case NL_TYPE_INT64: return nl_strdup("l");
    case NL_TYPE_UINT8: return nl_strdup("C");
    case NL_TYPE_UINT16: return nl_strdup("S");
    case NL_TYPE_UINT32: return nl_strdup("I");
    case NL_TYPE_UINT64: return nl_strdup("L");
    case NL_TYPE_FLOAT32: return nl_strdup("f");
    case NL_TYPE_FLOAT64: return nl_strdup("g");
    case NL_TYPE_DECIMAL128: return nl_asprintf("d:%d,%d", t->precision, t->scale);
    case NL_TYPE_UTF8: return nl_strdup("u");
    case NL_TYPE_BINARY: return nl_strdup("z");
    case NL_TYPE_DATE32: return nl_strdup("tdD");
    case NL_TYPE_TIME64: return nl_asprintf("tt%s", ac_unit_char(t->unit));
    case NL_TYPE_TIMESTAMP:
        return nl_asprintf("ts%s:%s", ac_unit_char(t->unit), t->timezone ? t->timezone : "");
    case NL_TYPE_DURATION: return nl_asprintf("tD%s", ac_unit_char(t->unit));
    case NL_TYPE_LIST: return nl_strdup("+l");
    case NL_TYPE_STRUCT: return nl_strdup("+s");
    case NL_TYPE_COUNT_: break;
    }
    return NULL;
}

/* ---- schema export ------------------------------------------------------------ */

typedef struct ac_schema_priv {
    char *format;
    char *name;
    struct ArrowSchema **child_ptrs;
    struct ArrowSchema *children;
    int64_t n_children;
} ac_schema_priv;

static void ac_schema_release(struct ArrowSchema *s) {
    if (!s || !s->release) return;
    ac_schema_priv *p = s->private_data;
    if (p) {
        for (int64_t k = 0; k < p->n_children; k++)
            if (p->children[k].release) p->children[k].release(&p->children[k]);
        nl_free(p->children);
        nl_free(p->child_ptrs);
        nl_free(p->format);
        nl_free(p->name);
        nl_free(p);
    }
    s->release = NULL;
}

static nl_status ac_export_type(const nl_type *t, const char *name, bool nullable,
                                struct ArrowSchema *out, int depth, nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!t) return nl_error_set(err, NL_EINVAL, "Arrow export: no type");
    if (depth > AC_MAX_DEPTH)
        return nl_error_set(err, NL_EINVAL, "Arrow export: type nested too deeply");
    ac_schema_priv *p = nl_calloc(1, sizeof *p);
    NL_CHECK_ALLOC(p, err);
    out->private_data = p;
    out->release = ac_schema_release;
    p->format = ac_format_of(t);
    p->name = nl_strdup(name ? name : "");
    if (!p->format || !p->name) {
        ac_schema_release(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory exporting a schema");
    }
    out->format = p->format;
    out->name = p->name;
    out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
    int32_t n = (t->id == NL_TYPE_LIST || t->id == NL_TYPE_STRUCT) ? t->n_children : 0;
    if (n > 0) {
        p->children = nl_calloc((size_t)n, sizeof *p->children);
        p->child_ptrs = nl_calloc((size_t)n, sizeof *p->child_ptrs);
        if (!p->children || !p->child_ptrs) {
            ac_schema_release(out);
            return nl_error_set(err, NL_ENOMEM, "out of memory exporting a schema");
        }
        for (int32_t k = 0; k < n; k++) {
            const nl_field *f = &t->children[k];
            nl_status st =
                ac_export_type(f->type, f->name, f->nullable, &p->children[k], depth + 1, err);
            p->n_children = k + 1;
            if (st != NL_OK) {
                ac_schema_release(out);
                return st;
            }
            p->child_ptrs[k] = &p->children[k];
        }
    }
    out->n_children = n;
    out->children = n > 0 ? p->child_ptrs : NULL;
    return NL_OK;
}

nl_status nl_type_export(const nl_type *type, const char *name, bool nullable,
                         struct ArrowSchema *out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow export: no output schema");
    return ac_export_type(type, name, nullable, out, 0, err);
}

nl_status nl_schema_export(const nl_schema *schema, struct ArrowSchema *out, nl_error *err) {
    if (!schema || !out) return nl_error_set(err, NL_EINVAL, "Arrow export: NULL argument");
    memset(out, 0, sizeof *out);
    ac_schema_priv *p = nl_calloc(1, sizeof *p);
    NL_CHECK_ALLOC(p, err);
    out->private_data = p;
    out->release = ac_schema_release;
    p->format = nl_strdup("+s");
    p->name = nl_strdup("");
    int32_t n = schema->n_fields;
    if (n > 0) {
        p->children = nl_calloc((size_t)n, sizeof *p->children);
        p->child_ptrs = nl_calloc((size_t)n, sizeof *p->child_ptrs);
    }
    if (!p->format || !p->name || (n > 0 && (!p->children || !p->child_ptrs))) {
        ac_schema_release(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory exporting a schema");
    }
    out->format = p->format;
    out->name = p->name;
    for (int32_t k = 0; k < n; k++) {
        const nl_field *f = &schema->fields[k];
        nl_status st = ac_export_type(f->type, f->name, f->nullable, &p->children[k], 1, err);
        p->n_children = k + 1;
        if (st != NL_OK) {
            ac_schema_release(out);
            nl_error_prefix(err, "column '%s'", f->name);
            return st;
        }
        p->child_ptrs[k] = &p->children[k];
    }
    out->n_children = n;
    out->children = n > 0 ? p->child_ptrs : NULL;
    return NL_OK;
}

/* ---- schema import ---------------------------------------------------------------- */

static nl_status ac_import_type(const struct ArrowSchema *s, nl_type **out, int depth,
                                nl_error *err);

static nl_status ac_import_fields(const struct ArrowSchema *s, nl_field **out, int depth,
                                  nl_error *err) {
    *out = NULL;
    if (s->n_children < 0 || s->n_children > INT32_MAX)
        return nl_error_set(err, NL_EINVAL, "Arrow import: bad child count %lld",
                            (long long)s->n_children);
    if (s->n_children > 0 && !s->children)
        return nl_error_set(err, NL_EINVAL, "Arrow import: %lld children but no child array",
                            (long long)s->n_children);
    int32_t n = (int32_t)s->n_children;
    nl_field *fields = nl_calloc((size_t)(n ? n : 1), sizeof *fields);
    NL_CHECK_ALLOC(fields, err);
    for (int32_t k = 0; k < n; k++) {
        const struct ArrowSchema *c = s->children[k];
        nl_status st;
        if (!c) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: child %d is NULL", k);
        } else {
            nl_type *t = NULL;
            st = ac_import_type(c, &t, depth + 1, err);
            if (st == NL_OK) {
                st = nl_field_init(&fields[k], c->name ? c->name : "", t,
                                   (c->flags & ARROW_FLAG_NULLABLE) != 0, err);
            } else {
                nl_error_prefix(err, "field '%s'", c->name ? c->name : "");
            }
        }
        if (st != NL_OK) {
            for (int32_t j = 0; j < k; j++)
                nl_field_clear(&fields[j]);
            nl_free(fields);
            return st;
        }
    }
    *out = fields;
    return NL_OK;
}

static bool ac_parse_int(const char **p, int64_t *v) {
    const char *s = *p;
    bool neg = *s == '-';
    if (neg) s++;
    if (*s < '0' || *s > '9') return false;
    int64_t n = 0;
    while (*s >= '0' && *s <= '9') {
        if (n > (INT64_MAX - 9) / 10) return false;
        n = n * 10 + (*s - '0');
        s++;
    }
    *v = neg ? -n : n;
    *p = s;
    return true;
}

static nl_status ac_import_type(const struct ArrowSchema *s, nl_type **out, int depth,
                                nl_error *err) {
    *out = NULL;
    if (!s || !s->release)
        return nl_error_set(err, NL_EINVAL, "Arrow import: schema is released or NULL");
    if (depth > AC_MAX_DEPTH)
        return nl_error_set(err, NL_EINVAL, "Arrow import: type nested too deeply");
    const char *f = s->format;
    if (!f) return nl_error_set(err, NL_EINVAL, "Arrow import: schema has no format");
    if (s->dictionary) {
        /* dictionary-encoded: the indices' format is an integer; the column's
         * type is the dictionary's (the values are decoded on import) */
        if (!f[0] || f[1] || !strchr("csilCSIL", f[0]))
            return nl_error_set(err, NL_EINVAL, "Arrow import: dictionary indices of format '%s'",
                                f);
        return ac_import_type(s->dictionary, out, depth + 1, err);
    }
    nl_type_id simple = NL_TYPE_COUNT_;
    if (f[0] && !f[1]) {
        switch (f[0]) {
        case 'n': simple = NL_TYPE_NULL; break;
        case 'b': simple = NL_TYPE_BOOL; break;
        case 'c': simple = NL_TYPE_INT8; break;
        case 's': simple = NL_TYPE_INT16; break;
        case 'i': simple = NL_TYPE_INT32; break;
        case 'l': simple = NL_TYPE_INT64; break;
        case 'C': simple = NL_TYPE_UINT8; break;
        case 'S': simple = NL_TYPE_UINT16; break;
        case 'I': simple = NL_TYPE_UINT32; break;
        case 'L': simple = NL_TYPE_UINT64; break;
        case 'f': simple = NL_TYPE_FLOAT32; break;
        case 'g': simple = NL_TYPE_FLOAT64; break;
        case 'u':
        case 'U': simple = NL_TYPE_UTF8; break;
        case 'z':
        case 'Z': simple = NL_TYPE_BINARY; break;
        default: break;
        }
    } else if (strcmp(f, "vu") == 0) {
        simple = NL_TYPE_UTF8;
    } else if (strcmp(f, "vz") == 0) {
        simple = NL_TYPE_BINARY;
    } else if (strcmp(f, "tdD") == 0 || strcmp(f, "tdm") == 0) {
        simple = NL_TYPE_DATE32; /* date64 (milliseconds) is converted to days */
    }
    if (simple != NL_TYPE_COUNT_) {
        if (s->n_children != 0)
            return nl_error_set(err, NL_EINVAL, "Arrow import: format '%s' with %lld children", f,
                                (long long)s->n_children);
        *out = nl_type_get(simple);
        if (!*out) return nl_error_set(err, NL_EINTERNAL, "no singleton for format '%s'", f);
        return NL_OK;
    }
    nl_time_unit unit;
    if (f[0] == 'd' && f[1] == ':') {
        const char *p = f + 2;
        int64_t prec, scale, bits = 128;
        if (!ac_parse_int(&p, &prec) || *p++ != ',' || !ac_parse_int(&p, &scale))
            return nl_error_set(err, NL_EINVAL, "Arrow import: bad decimal format '%s'", f);
        if (*p == ',') {
            p++;
            if (!ac_parse_int(&p, &bits))
                return nl_error_set(err, NL_EINVAL, "Arrow import: bad decimal format '%s'", f);
        }
        if (*p) return nl_error_set(err, NL_EINVAL, "Arrow import: bad decimal format '%s'", f);
        if (bits != 128)
            return nl_error_set(err, NL_ENOTSUP,
                                "Arrow import: %lld-bit decimals are not supported",
                                (long long)bits);
        if (prec < 1 || prec > 38 || scale < 0 || scale > prec)
            return nl_error_set(err, NL_ENOTSUP,
                                "Arrow import: decimal(%lld,%lld) is not supported",
                                (long long)prec, (long long)scale);
        *out = nl_type_decimal((int32_t)prec, (int32_t)scale);
    } else if (f[0] == 't' && f[1] == 't' && f[2] && !f[3] && ac_parse_unit(f[2], &unit)) {
        /* time32 (seconds, milliseconds) is converted to microseconds */
        *out = nl_type_time64(unit == NL_UNIT_NANO ? NL_UNIT_NANO : NL_UNIT_MICRO);
    } else if (f[0] == 't' && f[1] == 's' && f[2] && f[3] == ':' && ac_parse_unit(f[2], &unit)) {
        *out = nl_type_timestamp(unit, f[4] ? f + 4 : NULL);
    } else if (f[0] == 't' && f[1] == 'D' && f[2] && !f[3] && ac_parse_unit(f[2], &unit)) {
        *out = nl_type_duration(unit);
    } else if (strcmp(f, "+l") == 0 || strcmp(f, "+L") == 0 ||
               (f[0] == '+' && f[1] == 'w' && f[2] == ':')) {
        if (f[1] == 'w') { /* fixed-size list: imported as a list */
            const char *p = f + 3;
            int64_t size;
            if (!ac_parse_int(&p, &size) || *p || size < 0 || size > INT32_MAX)
                return nl_error_set(err, NL_EINVAL, "Arrow import: bad fixed-size list format '%s'",
                                    f);
        }
        if (s->n_children != 1)
            return nl_error_set(err, NL_EINVAL, "Arrow import: list with %lld children",
                                (long long)s->n_children);
        nl_field *fields;
        NL_TRY(ac_import_fields(s, &fields, depth, err));
        nl_type *item = nl_type_ref(fields[0].type);
        bool nullable = fields[0].nullable;
        nl_field_clear(&fields[0]);
        nl_free(fields);
        *out = nl_type_list(item, nullable);
    } else if (strcmp(f, "+s") == 0) {
        nl_field *fields;
        NL_TRY(ac_import_fields(s, &fields, depth, err));
        int32_t n = (int32_t)s->n_children;
        /* nl_type_struct copies the names and takes the types */
        nl_type *t = nl_type_struct(fields, n);
        for (int32_t k = 0; k < n; k++) {
            nl_free(fields[k].name);
            if (!t) nl_type_unref(fields[k].type);
        }
        nl_free(fields);
        *out = t;
    } else {
        return nl_error_set(err, NL_ENOTSUP, "Arrow import: format '%s' is not supported", f);
    }
    if (!*out) return nl_error_set(err, NL_ENOMEM, "out of memory importing type '%s'", f);
    if (s->n_children != 0 && (*out)->id != NL_TYPE_LIST && (*out)->id != NL_TYPE_STRUCT) {
        nl_type_unref(*out);
        *out = NULL;
        return nl_error_set(err, NL_EINVAL, "Arrow import: format '%s' with %lld children", f,
                            (long long)s->n_children);
    }
    return NL_OK;
}

nl_status nl_type_import(const struct ArrowSchema *schema, nl_type **out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow import: no output");
    return ac_import_type(schema, out, 0, err);
}

nl_status nl_schema_import(const struct ArrowSchema *schema, nl_schema **out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow import: no output");
    *out = NULL;
    if (!schema || !schema->release)
        return nl_error_set(err, NL_EINVAL, "Arrow import: schema is released or NULL");
    if (!schema->format || strcmp(schema->format, "+s") != 0)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: a schema must be a struct (\"+s\"), not '%s'",
                            schema->format ? schema->format : "(null)");
    nl_field *fields;
    NL_TRY(ac_import_fields(schema, &fields, 0, err));
    int32_t n = (int32_t)schema->n_children;
    nl_schema *s = nl_schema_new(fields, n);
    for (int32_t k = 0; k < n; k++) {
        nl_free(fields[k].name);
        if (!s) nl_type_unref(fields[k].type);
    }
    nl_free(fields);
    if (!s) return nl_error_set(err, NL_ENOMEM, "out of memory importing a schema");
    *out = s;
    return NL_OK;
}

/* ---- array export ---------------------------------------------------------------- */

typedef struct ac_array_priv {
    nl_array *array; /* one reference (NULL for a batch) */
    nl_batch *batch; /* one reference when exporting a batch */
    const void *buffers[3];
    struct ArrowArray **child_ptrs;
    struct ArrowArray *children;
    int64_t n_children;
} ac_array_priv;

static const uint8_t ac_empty[8] = {0};

static void ac_array_release(struct ArrowArray *a) {
    if (!a || !a->release) return;
    ac_array_priv *p = a->private_data;
    if (p) {
        for (int64_t k = 0; k < p->n_children; k++)
            if (p->children[k].release) p->children[k].release(&p->children[k]);
        nl_free(p->children);
        nl_free(p->child_ptrs);
        nl_array_unref(p->array);
        nl_batch_unref(p->batch);
        nl_free(p);
    }
    a->release = NULL;
}

static const void *ac_buf(const nl_buffer *b) {
    return b && b->data ? (const void *)b->data : (const void *)ac_empty;
}

static nl_status ac_export_array(nl_array *arr, struct ArrowArray *out, int depth, nl_error *err);

static nl_status ac_export_children(ac_array_priv *p, struct ArrowArray *out, nl_array **kids,
                                    int32_t n, int depth, nl_error *err) {
    if (n <= 0) return NL_OK;
    p->children = nl_calloc((size_t)n, sizeof *p->children);
    p->child_ptrs = nl_calloc((size_t)n, sizeof *p->child_ptrs);
    if (!p->children || !p->child_ptrs)
        return nl_error_set(err, NL_ENOMEM, "out of memory exporting an array");
    for (int32_t k = 0; k < n; k++) {
        NL_TRY(ac_export_array(kids[k], &p->children[k], depth + 1, err));
        p->n_children = k + 1;
        p->child_ptrs[k] = &p->children[k];
    }
    out->n_children = n;
    out->children = p->child_ptrs;
    return NL_OK;
}

static nl_status ac_export_array(nl_array *arr, struct ArrowArray *out, int depth, nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!arr) return nl_error_set(err, NL_EINVAL, "Arrow export: no array");
    if (depth > AC_MAX_DEPTH)
        return nl_error_set(err, NL_EINVAL, "Arrow export: array nested too deeply");
    ac_array_priv *p = nl_calloc(1, sizeof *p);
    NL_CHECK_ALLOC(p, err);
    p->array = nl_array_ref(arr);
    out->private_data = p;
    out->release = ac_array_release;
    out->length = arr->length;
    out->offset = arr->offset;
    out->null_count = arr->type->id == NL_TYPE_NULL ? arr->length : arr->null_count;
    out->buffers = p->buffers;
    const void *validity = arr->validity && arr->null_count != 0 ? ac_buf(arr->validity) : NULL;
    switch (arr->type->id) {
    case NL_TYPE_NULL:
        out->n_buffers = 0;
        out->buffers = NULL;
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
        out->n_buffers = 3;
        p->buffers[0] = validity;
        p->buffers[1] = ac_buf(arr->values);
        p->buffers[2] = ac_buf(arr->data);
        break;
    case NL_TYPE_STRUCT:
        out->n_buffers = 1;
        p->buffers[0] = validity;
        break;
    default: /* fixed width, booleans, lists: validity and values (or offsets) */
        out->n_buffers = 2;
        p->buffers[0] = validity;
        p->buffers[1] = ac_buf(arr->values);
        break;
    }
    nl_status st = ac_export_children(p, out, arr->children, arr->n_children, depth, err);
    if (st != NL_OK) ac_array_release(out);
    return st;
}

nl_status nl_array_export(const nl_array *array, struct ArrowArray *out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow export: no output array");
    /* the export holds a reference: the array itself stays immutable */
    return ac_export_array((nl_array *)array, out, 0, err);
}

nl_status nl_batch_export(const nl_batch *batch, struct ArrowArray *out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow export: no output array");
    memset(out, 0, sizeof *out);
    if (!batch) return nl_error_set(err, NL_EINVAL, "Arrow export: no batch");
    ac_array_priv *p = nl_calloc(1, sizeof *p);
    NL_CHECK_ALLOC(p, err);
    p->batch = nl_batch_ref((nl_batch *)batch);
    out->private_data = p;
    out->release = ac_array_release;
    out->length = batch->num_rows;
    out->n_buffers = 1;
    out->buffers = p->buffers; /* no validity: every row is present */
    nl_status st = ac_export_children(p, out, batch->columns, batch->n_columns, 0, err);
    if (st != NL_OK) ac_array_release(out);
    return st;
}

/* ---- array import ------------------------------------------------------------------ */

/* The moved ArrowArray, released when the last buffer wrapping its memory goes. */
typedef struct ac_holder {
    atomic_int_fast64_t refs;
    struct ArrowArray array;
} ac_holder;

static void ac_holder_unref(void *ctx) {
    ac_holder *h = ctx;
    if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) == 1) {
        if (h->array.release) h->array.release(&h->array);
        nl_free(h);
    }
}

static nl_buffer *ac_wrap(ac_holder *h, const void *data, int64_t size) {
    atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
    nl_buffer *b = nl_buffer_wrap(data ? data : ac_empty, size, ac_holder_unref, h);
    if (!b) ac_holder_unref(h);
    return b;
}

static int64_t ac_bitmap_bytes(int64_t bits) { return (bits + 7) / 8; }

static bool ac_mul_ok(int64_t a, int64_t b, int64_t *out) {
    if (a < 0 || b < 0 || (b != 0 && a > INT64_MAX / b)) return false;
    *out = a * b;
    return true;
}

/* Checks a variable-width or list offsets buffer over [offset, offset+length]:
 * non-decreasing, non-negative, and within `limit` (when limit >= 0). Returns
 * the last offset. */
static nl_status ac_check_offsets(const void *buf, bool large, int64_t offset, int64_t length,
                                  int64_t limit, int64_t *first, int64_t *last, nl_error *err) {
    int64_t prev = 0;
    for (int64_t k = 0; k <= length; k++) {
        int64_t v = large ? ((const int64_t *)buf)[offset + k] : ((const int32_t *)buf)[offset + k];
        if (v < 0 || (k > 0 && v < prev))
            return nl_error_set(err, NL_EINVAL, "Arrow import: offset %lld at index %lld is %s",
                                (long long)v, (long long)(offset + k),
                                v < 0 ? "negative" : "smaller than the one before");
        if (limit >= 0 && v > limit)
            return nl_error_set(err, NL_EINVAL,
                                "Arrow import: offset %lld at index %lld is past the end (%lld)",
                                (long long)v, (long long)(offset + k), (long long)limit);
        if (k == 0) *first = v;
        prev = v;
    }
    *last = prev;
    return NL_OK;
}

/* 32-bit offsets rebased to start at 0, for large ("U", "Z", "+L") inputs. */
static nl_buffer *ac_narrow_offsets(const int64_t *src, int64_t offset, int64_t length,
                                    int64_t base) {
    nl_buffer *b = nl_buffer_new((length + 1) * 4);
    if (!b) return NULL;
    int32_t *dst = (int32_t *)b->data;
    for (int64_t k = 0; k <= length; k++)
        dst[k] = (int32_t)(src[offset + k] - base);
    b->size = (length + 1) * 4;
    return b;
}

static int64_t ac_expected_buffers(const char *format, nl_type_id id) {
    if (strcmp(format, "vu") == 0 || strcmp(format, "vz") == 0) return -1; /* 2 + variadic */
    if (format[0] == '+' && format[1] == 'w') return 1;                    /* fixed-size list */
    switch (id) {
    case NL_TYPE_NULL: return 0;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: return 3;
    case NL_TYPE_STRUCT: return 1;
    default: return 2;
    }
}

/* The validity of logical elements [0, length) as a new bitmap starting at
 * bit 0 (for arrays whose values are rebuilt at offset 0). NULL in, NULL out. */
static nl_buffer *ac_rebase_validity(const nl_buffer *validity, int64_t offset, int64_t length,
                                     bool *oom) {
    if (!validity) return NULL;
    nl_buffer *v = nl_buffer_new(ac_bitmap_bytes(length) ? ac_bitmap_bytes(length) : 1);
    if (!v) {
        *oom = true;
        return NULL;
    }
    for (int64_t k = 0; k < length; k++)
        if (nl_bit_get(validity->data, offset + k)) nl_bit_set(v->data, k);
    v->size = ac_bitmap_bytes(length);
    return v;
}

/* Integer value k of an index or time32/date64 buffer of format `f`. */
static int64_t ac_int_at(const void *buf, char f, int64_t k) {
    switch (f) {
    case 'c': return ((const int8_t *)buf)[k];
    case 's': return ((const int16_t *)buf)[k];
    case 'i': return ((const int32_t *)buf)[k];
    case 'C': return ((const uint8_t *)buf)[k];
    case 'S': return ((const uint16_t *)buf)[k];
    case 'I': return ((const uint32_t *)buf)[k];
    case 'L': {
        uint64_t u = ((const uint64_t *)buf)[k];
        return u > INT64_MAX ? -2 : (int64_t)u;
    }
    default: return ((const int64_t *)buf)[k];
    }
}

typedef struct ac_import_ctx {
    ac_holder *holder;
    int depth;
} ac_import_ctx;

static nl_status ac_import_rec(ac_import_ctx *ctx, const struct ArrowArray *a,
                               const struct ArrowSchema *s, nl_type *type, nl_array **out,
                               nl_error *err);

/* String views ("vu", "vz"): 16-byte views into inline bytes or variadic
 * buffers, copied into the offsets-and-data layout. */
static nl_status ac_import_views(const struct ArrowArray *a, nl_type *type, nl_buffer *validity,
                                 int64_t null_count, nl_array **out, nl_error *err) {
    int64_t n_data = a->n_buffers - 3; /* validity, views, ..., the variadic sizes */
    if (a->n_buffers < 3) {
        nl_buffer_unref(validity);
        return nl_error_set(err, NL_EINVAL, "Arrow import: string view array with %lld buffers",
                            (long long)a->n_buffers);
    }
    const int64_t *sizes = a->buffers[a->n_buffers - 1];
    const uint8_t *views = a->buffers[1];
    int64_t total = 0;
    nl_status st = NL_OK;
    if (!views && a->length > 0)
        st = nl_error_set(err, NL_EINVAL, "Arrow import: string view array without views");
    if (n_data > 0 && !sizes)
        st = nl_error_set(err, NL_EINVAL, "Arrow import: string view array without buffer sizes");
    for (int64_t k = 0; st == NL_OK && k < a->length; k++) {
        bool valid = !validity || nl_bit_get(validity->data, a->offset + k);
        if (!valid) continue;
        const uint8_t *v = views + (a->offset + k) * 16;
        int32_t len;
        memcpy(&len, v, 4);
        if (len < 0) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: negative view length at %lld",
                              (long long)k);
            break;
        }
        if (len > 12) {
            int32_t bi, off;
            memcpy(&bi, v + 8, 4);
            memcpy(&off, v + 12, 4);
            if (bi < 0 || bi >= n_data || off < 0 || !a->buffers[2 + bi] ||
                (int64_t)off + len > sizes[bi]) {
                st = nl_error_set(err, NL_EINVAL,
                                  "Arrow import: view %lld points outside its buffers",
                                  (long long)k);
                break;
            }
        }
        total += len;
        if (total > INT32_MAX)
            st = nl_error_set(err, NL_ENOTSUP, "Arrow import: string view data over 2 GiB");
    }
    if (st != NL_OK) {
        nl_buffer_unref(validity);
        return st;
    }
    nl_buffer *offs = nl_buffer_new((a->length + 1) * 4);
    nl_buffer *data = nl_buffer_new(total > 0 ? total : 1);
    if (!offs || !data) {
        nl_buffer_unref(offs);
        nl_buffer_unref(data);
        nl_buffer_unref(validity);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing string views");
    }
    int32_t *o = (int32_t *)offs->data;
    int64_t pos = 0;
    o[0] = 0;
    for (int64_t k = 0; k < a->length; k++) {
        bool valid = !validity || nl_bit_get(validity->data, a->offset + k);
        if (valid) {
            const uint8_t *v = views + (a->offset + k) * 16;
            int32_t len;
            memcpy(&len, v, 4);
            const uint8_t *src = v + 4;
            if (len > 12) {
                int32_t bi, off;
                memcpy(&bi, v + 8, 4);
                memcpy(&off, v + 12, 4);
                src = (const uint8_t *)a->buffers[2 + bi] + off;
            }
            memcpy(data->data + pos, src, (size_t)len);
            pos += len;
        }
        o[k + 1] = (int32_t)pos;
    }
    offs->size = (a->length + 1) * 4;
    data->size = pos;
    /* the views' validity is relative to a->offset; the new arrays start at 0 */
    nl_buffer *val = NULL;
    if (validity) {
        val = nl_buffer_new(ac_bitmap_bytes(a->length));
        if (!val) {
            nl_buffer_unref(offs);
            nl_buffer_unref(data);
            nl_buffer_unref(validity);
            return nl_error_set(err, NL_ENOMEM, "out of memory importing string views");
        }
        for (int64_t k = 0; k < a->length; k++)
            if (nl_bit_get(validity->data, a->offset + k)) nl_bit_set(val->data, k);
        val->size = ac_bitmap_bytes(a->length);
        nl_buffer_unref(validity);
    }
    (void)null_count;
    return nl_array_new(nl_type_ref(type), a->length, 0, -1, val, offs, data, NULL, 0, out, err);
}

/* Dictionary-encoded arrays are decoded: the dictionary is imported (zero
 * copy), every index is checked against it, and the values are gathered. */
static nl_status ac_import_dictionary(ac_import_ctx *ctx, const struct ArrowArray *a,
                                      const struct ArrowSchema *s, nl_type *type, nl_array **out,
                                      nl_error *err) {
    char f = s->format[0];
    if (a->n_buffers != 2 || !a->buffers)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: dictionary indices need 2 buffers, got %lld",
                            (long long)a->n_buffers);
    if (!a->dictionary)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: dictionary array without its dictionary");
    if (!a->buffers[1] && a->length > 0)
        return nl_error_set(err, NL_EINVAL, "Arrow import: dictionary without indices");
    if (a->null_count > 0 && !a->buffers[0])
        return nl_error_set(err, NL_EINVAL, "Arrow import: %lld nulls but no validity bitmap",
                            (long long)a->null_count);
    nl_array *dict = NULL;
    ctx->depth++;
    nl_status st = ac_import_rec(ctx, a->dictionary, s->dictionary, type, &dict, err);
    ctx->depth--;
    if (st != NL_OK) {
        nl_error_prefix(err, "dictionary");
        return st;
    }
    int64_t *idx = nl_malloc((size_t)(a->length ? a->length : 1) * sizeof *idx);
    if (!idx) {
        nl_array_unref(dict);
        return nl_error_set(err, NL_ENOMEM, "out of memory decoding a dictionary");
    }
    const uint8_t *validity = a->null_count != 0 ? a->buffers[0] : NULL;
    for (int64_t k = 0; k < a->length; k++) {
        if (validity && !nl_bit_get(validity, a->offset + k)) {
            idx[k] = -1;
            continue;
        }
        idx[k] = ac_int_at(a->buffers[1], f, a->offset + k);
        if (idx[k] < 0 || idx[k] >= dict->length) {
            st = nl_error_set(
                err, NL_EINVAL,
                "Arrow import: dictionary index %lld at %lld is out of range (%lld values)",
                (long long)idx[k], (long long)k, (long long)dict->length);
            break;
        }
    }
    if (st == NL_OK) st = nl_array_take(dict, idx, a->length, out, err);
    nl_free(idx);
    nl_array_unref(dict);
    return st;
}

/* date64 ("tdm", milliseconds) and time32 ("tts", "ttm") are converted into
 * our date32 and time64(us) layouts (a copy; the validity is rebased). */
static nl_status ac_import_converted(ac_import_ctx *ctx, const struct ArrowArray *a,
                                     const char *format, nl_type *type, nl_buffer *validity,
                                     nl_array **out, nl_error *err) {
    (void)ctx;
    if (!a->buffers[1] && a->length > 0) {
        nl_buffer_unref(validity);
        return nl_error_set(err, NL_EINVAL, "Arrow import: array without values");
    }
    bool oom = false;
    nl_buffer *val = ac_rebase_validity(validity, a->offset, a->length, &oom);
    nl_buffer_unref(validity);
    bool date = strcmp(format, "tdm") == 0;
    int width = date ? 4 : 8;
    nl_buffer *values = oom ? NULL : nl_buffer_new(a->length > 0 ? a->length * width : 8);
    if (!values) {
        nl_buffer_unref(val);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
    }
    int64_t mul = format[2] == 's' ? 1000000 : 1000;
    for (int64_t k = 0; k < a->length; k++) {
        if (date) {
            int64_t ms = ((const int64_t *)a->buffers[1])[a->offset + k];
            int64_t days = ms / 86400000 - (ms % 86400000 < 0);
            ((int32_t *)values->data)[k] = (int32_t)days;
        } else {
            ((int64_t *)values->data)[k] =
                (int64_t)((const int32_t *)a->buffers[1])[a->offset + k] * mul;
        }
    }
    values->size = a->length * width;
    return nl_array_new(nl_type_ref(type), a->length, 0, -1, val, values, NULL, NULL, 0, out, err);
}

static nl_status ac_import_rec(ac_import_ctx *ctx, const struct ArrowArray *a,
                               const struct ArrowSchema *s, nl_type *type, nl_array **out,
                               nl_error *err) {
    *out = NULL;
    if (!a) return nl_error_set(err, NL_EINVAL, "Arrow import: NULL array");
    if (ctx->depth > AC_MAX_DEPTH)
        return nl_error_set(err, NL_EINVAL, "Arrow import: array nested too deeply");
    if (a->length < 0 || a->offset < 0 || a->null_count < -1 ||
        a->length > INT64_MAX - a->offset - 1)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: bad length %lld / offset %lld / null count %lld",
                            (long long)a->length, (long long)a->offset, (long long)a->null_count);
    const char *format = s && s->format ? s->format : "";
    if (s && s->dictionary) return ac_import_dictionary(ctx, a, s, type, out, err);
    int64_t want = ac_expected_buffers(format, type->id);
    if (want >= 0 && a->n_buffers != want)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: format '%s' needs %lld buffers, got %lld", format,
                            (long long)want, (long long)a->n_buffers);
    if (a->n_buffers > 0 && !a->buffers)
        return nl_error_set(err, NL_EINVAL, "Arrow import: %lld buffers but no buffer array",
                            (long long)a->n_buffers);
    int64_t want_children =
        (type->id == NL_TYPE_LIST || type->id == NL_TYPE_STRUCT) ? type->n_children : 0;
    if (a->n_children != want_children)
        return nl_error_set(err, NL_EINVAL,
                            "Arrow import: format '%s' needs %lld children, got %lld", format,
                            (long long)want_children, (long long)a->n_children);
    if (a->n_children > 0 && !a->children)
        return nl_error_set(err, NL_EINVAL, "Arrow import: %lld children but no child array",
                            (long long)a->n_children);
    if (a->dictionary)
        return nl_error_set(err, NL_ENOTSUP, "Arrow import: dictionary arrays are not supported");

    int64_t end = a->offset + a->length; /* physical end, checked above not to overflow */
    nl_buffer *validity = NULL;
    if (type->id != NL_TYPE_NULL && a->n_buffers > 0 && a->buffers[0] && a->null_count != 0) {
        validity = ac_wrap(ctx->holder, a->buffers[0], ac_bitmap_bytes(end));
        NL_CHECK_ALLOC(validity, err);
    } else if (type->id != NL_TYPE_NULL && a->null_count > 0) {
        return nl_error_set(err, NL_EINVAL, "Arrow import: %lld nulls but no validity bitmap",
                            (long long)a->null_count);
    }

    nl_buffer *values = NULL, *data = NULL;
    nl_array **kids = NULL;
    int32_t n_kids = 0;
    int64_t offset = a->offset;
    nl_status st = NL_OK;
    int width = nl_type_byte_width(type->id);
    if (strcmp(format, "tdm") == 0 || strcmp(format, "tts") == 0 || strcmp(format, "ttm") == 0)
        return ac_import_converted(ctx, a, format, type, validity, out, err);

    switch (type->id) {
    case NL_TYPE_NULL:
        return nl_array_new(nl_type_ref(type), a->length, 0, a->length, NULL, NULL, NULL, NULL, 0,
                            out, err);
    case NL_TYPE_BOOL:
        if (!a->buffers[1] && end > 0) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: boolean array without values");
            break;
        }
        values = ac_wrap(ctx->holder, a->buffers[1], ac_bitmap_bytes(end));
        if (!values) st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        if (strcmp(format, "vu") == 0 || strcmp(format, "vz") == 0)
            return ac_import_views(a, type, validity, a->null_count, out, err);
        bool large = strcmp(format, "U") == 0 || strcmp(format, "Z") == 0;
        if (!a->buffers[1]) {
            if (a->length == 0) { /* an empty array may omit its offsets */
                values = nl_buffer_new(4);
                if (values) values->size = 4;
                data = nl_buffer_new(1);
                offset = 0;
                if (!values || !data)
                    st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
                break;
            }
            st = nl_error_set(err, NL_EINVAL, "Arrow import: string array without offsets");
            break;
        }
        int64_t first, last;
        st = ac_check_offsets(a->buffers[1], large, a->offset, a->length, -1, &first, &last, err);
        if (st != NL_OK) break;
        if (last > 0 && !a->buffers[2]) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: string array without data");
            break;
        }
        if (large) {
            if (last - first > INT32_MAX) {
                st = nl_error_set(err, NL_ENOTSUP, "Arrow import: large string data over 2 GiB");
                break;
            }
            values = ac_narrow_offsets(a->buffers[1], a->offset, a->length, first);
            data = ac_wrap(ctx->holder, (const uint8_t *)a->buffers[2] + first, last - first);
            /* the narrowed offsets start at 0; the validity keeps a->offset */
            if (values && data && validity) {
                nl_buffer *v = nl_buffer_new(ac_bitmap_bytes(a->length));
                if (v) {
                    for (int64_t k = 0; k < a->length; k++)
                        if (nl_bit_get(validity->data, a->offset + k)) nl_bit_set(v->data, k);
                    v->size = ac_bitmap_bytes(a->length);
                }
                nl_buffer_unref(validity);
                validity = v;
                if (!v) st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
            }
            offset = 0;
        } else {
            if (last > INT32_MAX) {
                st = nl_error_set(err, NL_EINVAL, "Arrow import: offset past 2 GiB");
                break;
            }
            values = ac_wrap(ctx->holder, a->buffers[1], (end + 1) * 4);
            data = ac_wrap(ctx->holder, a->buffers[2], last);
        }
        if (st == NL_OK && (!values || !data))
            st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
        break;
    }
    case NL_TYPE_LIST: {
        bool large = strcmp(format, "+L") == 0;
        bool fixed = format[0] == '+' && format[1] == 'w';
        const struct ArrowArray *child = a->children[0];
        const struct ArrowSchema *child_schema =
            s && s->n_children == 1 && s->children ? s->children[0] : NULL;
        if (!child) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: list without its child array");
            break;
        }
        if (child->length < 0) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: list child has length %lld",
                              (long long)child->length);
            break;
        }
        int64_t first = 0, last = 0;
        if (fixed) {
            /* "+w:N": element i is items [i*N, (i+1)*N) of the child */
            const char *p = format + 3;
            int64_t size = 0, total;
            ac_parse_int(&p, &size);
            if (!ac_mul_ok(end, size, &total) || total > child->length || total > INT32_MAX) {
                st = nl_error_set(
                    err, NL_EINVAL,
                    "Arrow import: fixed-size list needs %lld x %lld items, child has %lld",
                    (long long)end, (long long)size, (long long)child->length);
                break;
            }
            values = nl_buffer_new((end + 1) * 4);
            if (values) {
                for (int64_t k = 0; k <= end; k++)
                    ((int32_t *)values->data)[k] = (int32_t)(k * size);
                values->size = (end + 1) * 4;
            }
        } else if (!a->buffers[1]) {
            if (a->length != 0) {
                st = nl_error_set(err, NL_EINVAL, "Arrow import: list array without offsets");
                break;
            }
            values = nl_buffer_new(4);
            if (values) values->size = 4;
            offset = 0;
        } else {
            st = ac_check_offsets(a->buffers[1], large, a->offset, a->length, child->length, &first,
                                  &last, err);
            if (st != NL_OK) break;
            if (large) {
                values = ac_narrow_offsets(a->buffers[1], a->offset, a->length, 0);
                if (values && validity) {
                    nl_buffer *v = nl_buffer_new(ac_bitmap_bytes(a->length));
                    if (v) {
                        for (int64_t k = 0; k < a->length; k++)
                            if (nl_bit_get(validity->data, a->offset + k)) nl_bit_set(v->data, k);
                        v->size = ac_bitmap_bytes(a->length);
                    }
                    nl_buffer_unref(validity);
                    validity = v;
                    if (!v) st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
                }
                if (last > INT32_MAX)
                    st = nl_error_set(err, NL_ENOTSUP, "Arrow import: large list over 2^31 items");
                offset = 0;
            } else {
                values = ac_wrap(ctx->holder, a->buffers[1], (end + 1) * 4);
            }
        }
        if (st == NL_OK && !values)
            st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
        if (st != NL_OK) break;
        kids = nl_calloc(1, sizeof *kids);
        if (!kids) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
            break;
        }
        ctx->depth++;
        st = ac_import_rec(ctx, child, child_schema, type->children[0].type, &kids[0], err);
        ctx->depth--;
        if (st == NL_OK)
            n_kids = 1;
        else
            nl_error_prefix(err, "list item");
        break;
    }
    case NL_TYPE_STRUCT: {
        n_kids = 0;
        kids = nl_calloc((size_t)(type->n_children ? type->n_children : 1), sizeof *kids);
        if (!kids) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
            break;
        }
        for (int32_t k = 0; k < type->n_children; k++) {
            const struct ArrowArray *c = a->children[k];
            if (!c) {
                st = nl_error_set(err, NL_EINVAL, "Arrow import: struct child %d is NULL", k);
                break;
            }
            /* the struct's offset applies to its children */
            if (c->length < end) {
                st = nl_error_set(err, NL_EINVAL,
                                  "Arrow import: struct field '%s' has %lld values, needs %lld",
                                  type->children[k].name, (long long)c->length, (long long)end);
                break;
            }
            const struct ArrowSchema *cs =
                s && s->children && k < s->n_children ? s->children[k] : NULL;
            ctx->depth++;
            st = ac_import_rec(ctx, c, cs, type->children[k].type, &kids[k], err);
            ctx->depth--;
            if (st != NL_OK) {
                nl_error_prefix(err, "struct field '%s'", type->children[k].name);
                break;
            }
            n_kids = k + 1;
        }
        break;
    }
    default: {
        if (width <= 0) {
            st = nl_error_set(err, NL_EINTERNAL, "Arrow import: no layout for type %d",
                              (int)type->id);
            break;
        }
        if (!a->buffers[1] && end > 0) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: array without values");
            break;
        }
        int64_t bytes;
        if (!ac_mul_ok(end, width, &bytes)) {
            st = nl_error_set(err, NL_EINVAL, "Arrow import: array too long");
            break;
        }
        values = ac_wrap(ctx->holder, a->buffers[1], bytes);
        if (!values) st = nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
        break;
    }
    }
    if (st != NL_OK) {
        nl_buffer_unref(validity);
        nl_buffer_unref(values);
        nl_buffer_unref(data);
        for (int32_t k = 0; k < n_kids; k++)
            nl_array_unref(kids[k]);
        nl_free(kids);
        return st;
    }
    /* the null count is recounted: a producer's count is not trusted */
    st = nl_array_new(nl_type_ref(type), a->length, offset, validity ? -1 : 0, validity, values,
                      data, kids, n_kids, out, err);
    nl_free(kids);
    return st;
}

/* Moves *array into a holder and imports it; on failure the array is released. */
static nl_status ac_import_root(struct ArrowArray *array, const struct ArrowSchema *schema,
                                nl_type *type, nl_array **out, nl_error *err) {
    if (!array || !array->release)
        return nl_error_set(err, NL_EINVAL, "Arrow import: array is released or NULL");
    ac_holder *h = nl_calloc(1, sizeof *h);
    if (!h) {
        array->release(array);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing an array");
    }
    h->array = *array;
    array->release = NULL; /* moved */
    atomic_init(&h->refs, 1);
    ac_import_ctx ctx = {h, 0};
    nl_status st = ac_import_rec(&ctx, &h->array, schema, type, out, err);
    ac_holder_unref(h);
    return st;
}

/* A schema-less import needs the format of each node to tell "u" from "U":
 * rebuild a minimal ArrowSchema tree from the type (32-bit layouts). */
nl_status nl_array_import(struct ArrowArray *array, const nl_type *type, nl_array **out,
                          nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow import: no output");
    *out = NULL;
    if (!type) {
        if (array && array->release) array->release(array);
        return nl_error_set(err, NL_EINVAL, "Arrow import: no type");
    }
    struct ArrowSchema s;
    nl_status st = nl_type_export(type, "", true, &s, err);
    if (st != NL_OK) {
        if (array && array->release) array->release(array);
        return st;
    }
    st = ac_import_root(array, &s, (nl_type *)type, out, err);
    s.release(&s);
    return st;
}

/* Imports a struct array whose schema is `schema` (as an ArrowSchema when the
 * producer gave one, for its exact formats). */
static nl_status ac_batch_import(struct ArrowArray *array, const struct ArrowSchema *arrow_schema,
                                 nl_schema *schema, nl_batch **out, nl_error *err) {
    *out = NULL;
    if (!array || !array->release)
        return nl_error_set(err, NL_EINVAL, "Arrow import: array is released or NULL");
    if (!schema) {
        array->release(array);
        return nl_error_set(err, NL_EINVAL, "Arrow import: no schema");
    }
    nl_field *fields = nl_calloc((size_t)(schema->n_fields ? schema->n_fields : 1), sizeof *fields);
    if (!fields) {
        array->release(array);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing a batch");
    }
    for (int32_t k = 0; k < schema->n_fields; k++) {
        fields[k].name = schema->fields[k].name;
        fields[k].type = nl_type_ref(schema->fields[k].type);
        fields[k].nullable = schema->fields[k].nullable;
    }
    nl_type *st_type = nl_type_struct(fields, schema->n_fields);
    if (!st_type)
        for (int32_t k = 0; k < schema->n_fields; k++)
            nl_type_unref(fields[k].type);
    nl_free(fields);
    if (!st_type) {
        array->release(array);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing a batch");
    }
    struct ArrowSchema own;
    bool own_schema = false;
    nl_status st = NL_OK;
    if (!arrow_schema) {
        st = nl_type_export(st_type, "", false, &own, err);
        own_schema = st == NL_OK;
        arrow_schema = &own;
    }
    nl_array *arr = NULL;
    if (st == NL_OK)
        st = ac_import_root(array, arrow_schema, st_type, &arr, err);
    else
        array->release(array);
    if (own_schema) own.release(&own);
    nl_type_unref(st_type);
    if (st != NL_OK) return st;
    if (arr->null_count > 0) {
        nl_array_unref(arr);
        return nl_error_set(err, NL_EINVAL, "Arrow import: a record batch has null rows");
    }
    nl_array **cols = nl_calloc((size_t)(arr->n_children ? arr->n_children : 1), sizeof *cols);
    if (!cols) {
        nl_array_unref(arr);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing a batch");
    }
    for (int32_t k = 0; k < arr->n_children; k++) {
        nl_array *c = arr->children[k];
        /* the struct's offset and length select the rows of each column */
        cols[k] = (arr->offset == 0 && c->length == arr->length)
                      ? nl_array_ref(c)
                      : nl_array_slice(c, arr->offset, arr->length);
        if (!cols[k]) {
            for (int32_t j = 0; j < k; j++)
                nl_array_unref(cols[j]);
            nl_free(cols);
            nl_array_unref(arr);
            return nl_error_set(err, NL_ENOMEM, "out of memory importing a batch");
        }
    }
    int64_t rows = arr->length;
    st = nl_batch_new(nl_schema_ref(schema), cols, rows, out, err);
    nl_free(cols);
    nl_array_unref(arr);
    return st;
}

nl_status nl_batch_import(struct ArrowArray *array, nl_schema *schema, nl_batch **out,
                          nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow import: no output");
    return ac_batch_import(array, NULL, schema, out, err);
}

/* ---- streams --------------------------------------------------------------------- */

static int ac_errno(nl_status st) {
    switch (st) {
    case NL_OK: return 0;
    case NL_ENOMEM: return ENOMEM;
    case NL_EIO: return EIO;
    case NL_ENOTSUP: return ENOSYS;
    default: return EINVAL;
    }
}

typedef struct ac_stream_priv {
    nl_stream *stream;
    nl_error error;
} ac_stream_priv;

static int ac_stream_get_schema(struct ArrowArrayStream *self, struct ArrowSchema *out) {
    ac_stream_priv *p = self->private_data;
    nl_error_clear(&p->error);
    return ac_errno(nl_schema_export(p->stream->schema, out, &p->error));
}

static int ac_stream_get_next(struct ArrowArrayStream *self, struct ArrowArray *out) {
    ac_stream_priv *p = self->private_data;
    nl_error_clear(&p->error);
    memset(out, 0, sizeof *out);
    nl_batch *b = NULL;
    nl_status st = nl_stream_next(p->stream, &b, &p->error);
    if (st != NL_OK) return ac_errno(st);
    if (!b) return 0; /* end of stream: out->release is NULL */
    st = nl_batch_export(b, out, &p->error);
    nl_batch_unref(b);
    return ac_errno(st);
}

static const char *ac_stream_last_error(struct ArrowArrayStream *self) {
    ac_stream_priv *p = self->private_data;
    return p->error.message[0] ? p->error.message : NULL;
}

static void ac_stream_release(struct ArrowArrayStream *self) {
    if (!self || !self->release) return;
    ac_stream_priv *p = self->private_data;
    if (p) {
        nl_stream_free(p->stream);
        nl_free(p);
    }
    self->release = NULL;
}

nl_status nl_stream_export(nl_stream *stream, struct ArrowArrayStream *out, nl_error *err) {
    if (!out) {
        nl_stream_free(stream);
        return nl_error_set(err, NL_EINVAL, "Arrow export: no output stream");
    }
    memset(out, 0, sizeof *out);
    if (!stream) return nl_error_set(err, NL_EINVAL, "Arrow export: no stream");
    ac_stream_priv *p = nl_calloc(1, sizeof *p);
    if (!p) {
        nl_stream_free(stream);
        return nl_error_set(err, NL_ENOMEM, "out of memory exporting a stream");
    }
    p->stream = stream;
    out->get_schema = ac_stream_get_schema;
    out->get_next = ac_stream_get_next;
    out->get_last_error = ac_stream_last_error;
    out->release = ac_stream_release;
    out->private_data = p;
    return NL_OK;
}

/* An imported stream: the moved ArrowArrayStream and its schema, both ways. */
typedef struct ac_import_stream {
    struct ArrowArrayStream arrow;
    struct ArrowSchema arrow_schema;
} ac_import_stream;

static nl_status ac_import_next(nl_stream *self, nl_batch **out, nl_error *err) {
    ac_import_stream *p = self->private_data;
    *out = NULL;
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    int rc = p->arrow.get_next(&p->arrow, &a);
    if (rc != 0) {
        const char *msg = p->arrow.get_last_error ? p->arrow.get_last_error(&p->arrow) : NULL;
        if (a.release) a.release(&a);
        return nl_error_set(err, rc == ENOMEM ? NL_ENOMEM : NL_EIO,
                            "Arrow stream: get_next failed (%s): %s", strerror(rc),
                            msg ? msg : "no message");
    }
    if (!a.release) return NL_OK; /* the end */
    return ac_batch_import(&a, &p->arrow_schema, self->schema, out, err);
}

static void ac_import_release(nl_stream *self) {
    ac_import_stream *p = self->private_data;
    if (!p) return;
    if (p->arrow_schema.release) p->arrow_schema.release(&p->arrow_schema);
    if (p->arrow.release) p->arrow.release(&p->arrow);
    nl_free(p);
    self->private_data = NULL;
}

nl_status nl_stream_import(struct ArrowArrayStream *arrow, nl_stream **out, nl_error *err) {
    if (!out) return nl_error_set(err, NL_EINVAL, "Arrow import: no output");
    *out = NULL;
    if (!arrow || !arrow->release)
        return nl_error_set(err, NL_EINVAL, "Arrow import: stream is released or NULL");
    if (!arrow->get_schema || !arrow->get_next) {
        arrow->release(arrow);
        return nl_error_set(err, NL_EINVAL, "Arrow import: stream without get_schema or get_next");
    }
    ac_import_stream *p = nl_calloc(1, sizeof *p);
    nl_stream *s = nl_calloc(1, sizeof *s);
    if (!p || !s) {
        nl_free(p);
        nl_free(s);
        arrow->release(arrow);
        return nl_error_set(err, NL_ENOMEM, "out of memory importing a stream");
    }
    p->arrow = *arrow;
    arrow->release = NULL; /* moved */
    s->private_data = p;
    s->next = ac_import_next;
    s->release = ac_import_release;
    int rc = p->arrow.get_schema(&p->arrow, &p->arrow_schema);
    nl_status st = NL_OK;
    if (rc != 0) {
        const char *msg = p->arrow.get_last_error ? p->arrow.get_last_error(&p->arrow) : NULL;
        st = nl_error_set(err, NL_EIO, "Arrow stream: get_schema failed (%s): %s", strerror(rc),
                          msg ? msg : "no message");
    } else if (!p->arrow_schema.release) {
        st = nl_error_set(err, NL_EINVAL, "Arrow stream: get_schema returned a released schema");
    } else {
        st = nl_schema_import(&p->arrow_schema, &s->schema, err);
    }
    if (st != NL_OK) {
        nl_stream_free(s);
        return st;
    }
    *out = s;
    return NL_OK;
}
