/*
 * builder.c -- building arrays one value at a time.
 *
 * A builder grows its own buffers (doubling) and hands them to nl_array_new at
 * finish. Appends never return errors: the first failure (out of memory, a
 * value appended to a builder of the wrong type, 32-bit offsets overflowing)
 * is remembered and reported by nl_builder_finish, which then resets the
 * builder. Validity bits are always kept; a builder that saw no null drops them
 * at finish.
 */
#include "columnar/builder.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/bitmap.h"

struct nl_builder {
    nl_type *type;
    int width;            /* bytes per value; 0 for BOOL, NULL, STRUCT; 4 (offsets) for var */
    int64_t length;
    int64_t null_count;
    int64_t capacity_hint;
    nl_buffer *validity;  /* bits; NULL until the first null */
    nl_buffer *values;    /* fixed values, bits (BOOL) or int32 offsets */
    nl_buffer *data;      /* UTF8/BINARY bytes */
    int32_t n_children;
    nl_builder **children;
    bool int_like;        /* signed integers and temporal types: append_int stores as is */
    nl_status error;      /* first failure, NL_OK when none */
    char message[160];
};

static void bld_fail(nl_builder *b, nl_status code, const char *msg) {
    if (b->error != NL_OK) return;
    b->error = code;
    snprintf(b->message, sizeof b->message, "%s", msg);
}

/* Makes room for `need` bytes in *buf (allocating it on first use). */
static bool bld_reserve(nl_builder *b, nl_buffer **buf, int64_t need) {
    if (*buf && (*buf)->capacity >= need) return true;
    if (b->error != NL_OK) return false;
    int64_t cap = *buf ? (*buf)->capacity * 2 : 64;
    if (cap < need) cap = need;
    if (!*buf) {
        *buf = nl_buffer_new(cap);
        if (!*buf) {
            bld_fail(b, NL_ENOMEM, "out of memory building an array");
            return false;
        }
        return true;
    }
    if (!nl_buffer_reserve(*buf, cap)) {
        bld_fail(b, NL_ENOMEM, "out of memory building an array");
        return false;
    }
    return true;
}

static bool bld_is_var(const nl_builder *b) {
    return b->type->id == NL_TYPE_UTF8 || b->type->id == NL_TYPE_BINARY ||
           b->type->id == NL_TYPE_LIST;
}

/* Fresh, empty buffers (the offsets start with their leading 0). */
static void bld_reset(nl_builder *b) {
    /* The capacity hint serves the first array only: a builder reused after
     * finish grows by doubling, and one finished for good allocates nothing. */
    int64_t hint = b->capacity_hint;
    b->capacity_hint = 0;
    b->length = 0;
    b->null_count = 0;
    b->error = NL_OK;
    b->message[0] = '\0';
    if (bld_is_var(b)) {
        if (bld_reserve(b, &b->values, 4 * (hint + 1))) {
            memset(b->values->data, 0, 4);
            b->values->size = 4;
        }
    } else if (b->width > 0 && hint > 0) {
        bld_reserve(b, &b->values, b->width * hint);
    }
}

nl_builder *nl_builder_new(nl_type *type, int64_t capacity) {
    if (!type) return NULL;
    nl_builder *b = nl_calloc(1, sizeof *b);
    if (!b) return NULL;
    b->type = nl_type_ref(type);
    b->capacity_hint = capacity > 0 && capacity < (1 << 24) ? capacity : 0;
    b->width = nl_type_byte_width(type->id);
    if (bld_is_var(b)) b->width = 4;
    if (b->width < 0) b->width = 0;
    b->int_like = nl_type_is_signed_integer(type->id) || type->id == NL_TYPE_DATE32 ||
                  type->id == NL_TYPE_TIME64 || type->id == NL_TYPE_TIMESTAMP ||
                  type->id == NL_TYPE_DURATION;
    if (type->id == NL_TYPE_LIST || type->id == NL_TYPE_STRUCT) {
        b->n_children = type->n_children;
        if (b->n_children > 0) {
            b->children = nl_calloc((size_t)b->n_children, sizeof *b->children);
            if (!b->children) goto fail;
        }
        for (int32_t i = 0; i < b->n_children; i++) {
            b->children[i] = nl_builder_new(type->children[i].type, capacity);
            if (!b->children[i]) goto fail;
        }
    }
    bld_reset(b);
    if (b->error != NL_OK) goto fail;
    return b;
fail:
    nl_builder_free(b);
    return NULL;
}

void nl_builder_free(nl_builder *b) {
    if (!b) return;
    if (b->children)
        for (int32_t i = 0; i < b->n_children; i++) nl_builder_free(b->children[i]);
    nl_free(b->children);
    nl_buffer_unref(b->validity);
    nl_buffer_unref(b->values);
    nl_buffer_unref(b->data);
    nl_type_unref(b->type);
    nl_free(b);
}

int64_t nl_builder_length(const nl_builder *b) { return b->length; }
const nl_type *nl_builder_type(const nl_builder *b) { return b->type; }

/* Records the validity of row `length` (not yet counted). The bitmap is
 * made only at the first null, with every earlier row valid, so a column
 * without nulls never pays for it. */
static bool bld_push_valid(nl_builder *b, bool valid) {
    int64_t bytes = (b->length + 8) / 8;
    if (valid) {
        if (!b->validity) return true;
        if (!bld_reserve(b, &b->validity, bytes)) return false;
        nl_bit_set(b->validity->data, b->length);
    } else {
        bool fresh = b->validity == NULL;
        if (!bld_reserve(b, &b->validity, bytes)) return false;
        if (fresh) nl_bitmap_set_range(b->validity->data, 0, b->length);
        b->null_count++;
    }
    b->validity->size = bytes;
    return true;
}

/* Pointer to the slot of the next fixed-width value, or NULL after a failure. */
static uint8_t *bld_next_slot(nl_builder *b) {
    int64_t need = (b->length + 1) * b->width;
    if (!bld_reserve(b, &b->values, need)) return NULL;
    b->values->size = need;
    return b->values->data + b->length * b->width;
}

/* Appends the current end offset (of data or of the list child). */
static bool bld_push_offset(nl_builder *b, int64_t end) {
    if (end > INT32_MAX) {
        bld_fail(b, NL_EOVERFLOW, "array data passes 2 GiB (32-bit offsets)");
        return false;
    }
    int64_t need = (b->length + 2) * 4;
    if (!bld_reserve(b, &b->values, need)) return false;
    int32_t v = (int32_t)end;
    memcpy(b->values->data + (b->length + 1) * 4, &v, 4);
    b->values->size = need;
    return true;
}

static void bld_wrong(nl_builder *b, const char *what) {
    char name[96], msg[160];
    snprintf(msg, sizeof msg, "cannot append %s to a builder of %s", what,
             nl_type_name(b->type, name, sizeof name));
    bld_fail(b, NL_ETYPE, msg);
}

static int64_t bld_data_len(const nl_builder *b) {
    int32_t end;
    memcpy(&end, b->values->data + b->length * 4, 4);
    return end;
}

void nl_builder_append_null(nl_builder *b) {
    if (b->error != NL_OK) return;
    switch (b->type->id) {
    case NL_TYPE_NULL:
        b->null_count++;
        b->length++;
        return;
    case NL_TYPE_BOOL:
        if (!bld_reserve(b, &b->values, (b->length + 8) / 8)) return;
        b->values->size = (b->length + 8) / 8;
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
        if (!bld_push_offset(b, bld_data_len(b))) return;
        break;
    case NL_TYPE_LIST:
        if (!bld_push_offset(b, b->children[0]->length)) return;
        break;
    case NL_TYPE_STRUCT:
        for (int32_t i = 0; i < b->n_children; i++) nl_builder_append_null(b->children[i]);
        break;
    default:
        if (!bld_next_slot(b)) return;
        break;
    }
    if (bld_push_valid(b, false)) b->length++;
}

void nl_builder_append_nulls(nl_builder *b, int64_t n) {
    for (int64_t i = 0; i < n; i++) nl_builder_append_null(b);
}

void nl_builder_append_bool(nl_builder *b, bool v) {
    if (b->error != NL_OK) return;
    if (b->type->id != NL_TYPE_BOOL) {
        bld_wrong(b, "a boolean");
        return;
    }
    int64_t bytes = (b->length + 8) / 8;
    if (!bld_reserve(b, &b->values, bytes)) return;
    b->values->size = bytes;
    if (v) nl_bit_set(b->values->data, b->length);
    if (bld_push_valid(b, true)) b->length++;
}

/* Stores a numeric value at the builder's type; false for a non-numeric type. */
static bool bld_store_number(nl_builder *b, int64_t i, uint64_t u, double d, __int128 dec,
                             int kind /* 0 int, 1 uint, 2 double, 3 decimal */) {
    uint8_t *slot;
    switch (b->type->id) {
    case NL_TYPE_INT8:
    case NL_TYPE_INT16:
    case NL_TYPE_INT32:
    case NL_TYPE_INT64:
    case NL_TYPE_UINT8:
    case NL_TYPE_UINT16:
    case NL_TYPE_UINT32:
    case NL_TYPE_UINT64:
    case NL_TYPE_DATE32:
    case NL_TYPE_TIME64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_DURATION: {
        if (kind == 2 || kind == 3) return false;
        uint64_t bits = kind == 1 ? u : (uint64_t)i;
        if (!(slot = bld_next_slot(b))) return true;
        switch (b->width) {
        case 1: *slot = (uint8_t)bits; break;
        case 2: { uint16_t v = (uint16_t)bits; memcpy(slot, &v, 2); break; }
        case 4: { uint32_t v = (uint32_t)bits; memcpy(slot, &v, 4); break; }
        default: memcpy(slot, &bits, 8); break;
        }
        return true;
    }
    case NL_TYPE_FLOAT32:
    case NL_TYPE_FLOAT64: {
        double v = kind == 0 ? (double)i : kind == 1 ? (double)u : d;
        if (kind == 3) return false;
        if (!(slot = bld_next_slot(b))) return true;
        if (b->width == 4) {
            float f = (float)v;
            memcpy(slot, &f, 4);
        } else {
            memcpy(slot, &v, 8);
        }
        return true;
    }
    case NL_TYPE_DECIMAL128: {
        if (kind == 2) return false;
        __int128 v = kind == 0 ? (__int128)i : kind == 1 ? (__int128)u : dec;
        if (!(slot = bld_next_slot(b))) return true;
        memcpy(slot, &v, 16);
        return true;
    }
    default: return false;
    }
}

void nl_builder_append_int(nl_builder *b, int64_t v) {
    /* Fast path: 8-byte integer-like values with room, no bitmap to keep. */
    if (NL_LIKELY(b->width == 8 && b->int_like && !b->validity && b->values &&
                  (b->length + 1) * 8 <= b->values->capacity)) {
        memcpy(b->values->data + b->length * 8, &v, 8);
        b->length++;
        b->values->size = b->length * 8;
        return;
    }
    if (b->error != NL_OK) return;
    if (!bld_store_number(b, v, 0, 0, 0, 0)) {
        bld_wrong(b, "an integer");
        return;
    }
    if (b->error == NL_OK && bld_push_valid(b, true)) b->length++;
}

void nl_builder_append_uint(nl_builder *b, uint64_t v) {
    if (b->error != NL_OK) return;
    if (!bld_store_number(b, 0, v, 0, 0, 1)) {
        bld_wrong(b, "an unsigned integer");
        return;
    }
    if (b->error == NL_OK && bld_push_valid(b, true)) b->length++;
}

void nl_builder_append_double(nl_builder *b, double v) {
    if (NL_LIKELY(b->type->id == NL_TYPE_FLOAT64 && !b->validity && b->values &&
                  (b->length + 1) * 8 <= b->values->capacity)) {
        memcpy(b->values->data + b->length * 8, &v, 8);
        b->length++;
        b->values->size = b->length * 8;
        return;
    }
    if (b->error != NL_OK) return;
    if (!bld_store_number(b, 0, 0, v, 0, 2)) {
        bld_wrong(b, "a float");
        return;
    }
    if (b->error == NL_OK && bld_push_valid(b, true)) b->length++;
}

void nl_builder_append_decimal(nl_builder *b, __int128 v) {
    if (b->error != NL_OK) return;
    if (b->type->id != NL_TYPE_DECIMAL128) {
        bld_wrong(b, "a decimal");
        return;
    }
    bld_store_number(b, 0, 0, 0, v, 3);
    if (b->error == NL_OK && bld_push_valid(b, true)) b->length++;
}

void nl_builder_append_string(nl_builder *b, const char *s, int64_t len) {
    if (b->error != NL_OK) return;
    if (b->type->id != NL_TYPE_UTF8 && b->type->id != NL_TYPE_BINARY) {
        bld_wrong(b, "a string");
        return;
    }
    if (len < 0 || (len > 0 && !s)) {
        bld_fail(b, NL_EINVAL, "appending a string with a negative length");
        return;
    }
    int64_t start = bld_data_len(b);
    if (start + len > INT32_MAX) {
        bld_fail(b, NL_EOVERFLOW, "string data passes 2 GiB (32-bit offsets)");
        return;
    }
    if (!bld_reserve(b, &b->data, start + len)) return;
    if (len > 0) memcpy(b->data->data + start, s, (size_t)len);
    b->data->size = start + len;
    if (bld_push_offset(b, start + len) && bld_push_valid(b, true)) b->length++;
}

void nl_builder_append_from(nl_builder *b, const nl_array *src, int64_t i) {
    if (b->error != NL_OK) return;
    if (!nl_type_equals(src->type, b->type)) {
        bld_wrong(b, "a value of another type");
        return;
    }
    if (nl_array_is_null(src, i)) {
        nl_builder_append_null(b);
        return;
    }
    switch (b->type->id) {
    case NL_TYPE_BOOL: nl_builder_append_bool(b, nl_array_bool(src, i)); return;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        int32_t len;
        const char *s = nl_array_str(src, i, &len);
        nl_builder_append_string(b, s, len);
        return;
    }
    case NL_TYPE_LIST: {
        int64_t s, e;
        nl_array_list_range(src, i, &s, &e);
        nl_builder_list_begin(b);
        for (int64_t k = s; k < e; k++) nl_builder_append_from(b->children[0], src->children[0], k);
        nl_builder_list_end(b);
        return;
    }
    case NL_TYPE_STRUCT:
        for (int32_t k = 0; k < b->n_children; k++)
            nl_builder_append_from(b->children[k], src->children[k], src->offset + i);
        nl_builder_struct_append(b, true);
        return;
    default: {
        uint8_t *slot = bld_next_slot(b);
        if (!slot) return;
        memcpy(slot, src->values->data + (src->offset + i) * b->width, (size_t)b->width);
        if (bld_push_valid(b, true)) b->length++;
        return;
    }
    }
}

nl_builder *nl_builder_child(nl_builder *b, int32_t i) {
    if (i < 0 || i >= b->n_children) return NULL;
    return b->children[i];
}

void nl_builder_list_begin(nl_builder *b) {
    if (b->type->id != NL_TYPE_LIST) bld_wrong(b, "a list");
}

void nl_builder_list_end(nl_builder *b) {
    if (b->error != NL_OK) return;
    if (b->type->id != NL_TYPE_LIST) {
        bld_wrong(b, "a list");
        return;
    }
    if (bld_push_offset(b, b->children[0]->length) && bld_push_valid(b, true)) b->length++;
}

void nl_builder_struct_append(nl_builder *b, bool valid) {
    if (b->error != NL_OK) return;
    if (b->type->id != NL_TYPE_STRUCT) {
        bld_wrong(b, "a struct row");
        return;
    }
    for (int32_t k = 0; k < b->n_children; k++) {
        if (b->children[k]->length != b->length + 1) {
            char msg[160];
            snprintf(msg, sizeof msg, "struct field '%s' has %lld values at row %lld",
                     b->type->children[k].name, (long long)b->children[k]->length,
                     (long long)b->length);
            bld_fail(b, NL_EINVAL, msg);
            return;
        }
    }
    if (bld_push_valid(b, valid)) b->length++;
}

/* The first failure in b or any of its children. */
static const nl_builder *bld_first_error(const nl_builder *b) {
    if (b->error != NL_OK) return b;
    for (int32_t i = 0; i < b->n_children; i++) {
        const nl_builder *c = bld_first_error(b->children[i]);
        if (c) return c;
    }
    return NULL;
}

static void bld_drop_buffers(nl_builder *b) {
    nl_buffer_unref(b->validity);
    nl_buffer_unref(b->values);
    nl_buffer_unref(b->data);
    b->validity = b->values = b->data = NULL;
}

/* Discards everything appended, in b and its children. */
static void bld_clear(nl_builder *b) {
    for (int32_t i = 0; i < b->n_children; i++) bld_clear(b->children[i]);
    bld_drop_buffers(b);
    bld_reset(b);
}

nl_status nl_builder_finish(nl_builder *b, nl_array **out, nl_error *err) {
    *out = NULL;
    const nl_builder *bad = bld_first_error(b);
    if (bad) {
        nl_status code = bad->error;
        nl_error_set(err, code, "%s", bad->message);
        bld_clear(b);
        return code;
    }
    if (b->type->id == NL_TYPE_STRUCT) {
        for (int32_t k = 0; k < b->n_children; k++) {
            if (b->children[k]->length != b->length) {
                nl_error_set(err, NL_EINVAL, "struct field '%s' has %lld values, the struct %lld",
                             b->type->children[k].name, (long long)b->children[k]->length,
                             (long long)b->length);
                bld_clear(b);
                return NL_EINVAL;
            }
        }
    }
    nl_array *kids_small[4];
    nl_array **kids = kids_small;
    if (b->n_children > 4) {
        kids = nl_calloc((size_t)b->n_children, sizeof *kids);
        if (!kids) {
            bld_clear(b);
            return nl_error_set(err, NL_ENOMEM, "out of memory finishing an array");
        }
    }
    for (int32_t k = 0; k < b->n_children; k++) {
        nl_status st = nl_builder_finish(b->children[k], &kids[k], err);
        if (st != NL_OK) {
            for (int32_t j = 0; j < k; j++) nl_array_unref(kids[j]);
            if (kids != kids_small) nl_free(kids);
            bld_clear(b);
            return st;
        }
    }
    nl_buffer *validity = b->null_count > 0 ? b->validity : NULL;
    if (!validity) nl_buffer_unref(b->validity);
    else validity->size = (b->length + 7) / 8;
    if (b->values && b->width == 0 && b->type->id == NL_TYPE_BOOL)
        b->values->size = (b->length + 7) / 8;
    nl_status st = nl_array_new(nl_type_ref(b->type), b->length, 0, b->null_count, validity,
                                b->values, b->data, kids, b->n_children, out, err);
    if (kids != kids_small) nl_free(kids);
    b->validity = b->values = b->data = NULL;
    bld_reset(b); /* a failure here is reported by the next finish */
    return st;
}
