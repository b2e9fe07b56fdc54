/*
 * array.c -- arrays in Arrow layout (assembly with validation, all-null
 * arrays, slices, concatenation, gathers, equality), record batches and
 * materialised tables.
 *
 * nl_array_new is the one door every array goes through, including arrays
 * built from untrusted bytes (Parquet pages, Arrow imports): it checks buffer
 * sizes against offset + length, checks that UTF8/BINARY/LIST offsets are
 * non-negative, non-decreasing and inside their data, and copies buffers whose
 * memory is not aligned for their values, so the unchecked inline accessors of
 * array.h are always safe afterwards. (UTF-8 validity of strings is not
 * checked here: bad UTF-8 cannot make a read go out of bounds.)
 *
 * Invariants after nl_array_new: `values` is non-NULL for every type but NULL
 * and STRUCT; `data` is non-NULL for UTF8 and BINARY; `validity` is NULL when
 * null_count is 0. A STRUCT's children are indexed like the struct itself: row
 * i of the struct is row offset + i of each child (as in Arrow), so slicing a
 * struct leaves its children alone.
 */
#include "columnar/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/bitmap.h"

/* An owned, zero-filled buffer with `size` bytes in use; NULL on OOM. */
static nl_buffer *arr_buffer(int64_t size) {
    nl_buffer *b = nl_buffer_new(size > 0 ? size : 1);
    if (b) b->size = size;
    return b;
}

static void arr_release_inputs(nl_type *type, nl_buffer *validity, nl_buffer *values,
                               nl_buffer *data, nl_array **children, int32_t n_children) {
    nl_type_unref(type);
    nl_buffer_unref(validity);
    nl_buffer_unref(values);
    nl_buffer_unref(data);
    if (children)
        for (int32_t i = 0; i < n_children; i++) nl_array_unref(children[i]);
}

/* Replaces *buf by an aligned copy when its memory is not aligned to `align`. */
static bool arr_align(nl_buffer **buf, int64_t align) {
    if (!*buf || ((uintptr_t)(*buf)->data % (uintptr_t)align) == 0) return true;
    nl_buffer *copy = nl_buffer_copy_of((*buf)->data, (*buf)->size);
    if (!copy) return false;
    nl_buffer_unref(*buf);
    *buf = copy;
    return true;
}

static nl_status arr_check_offsets(const nl_buffer *values, int64_t offset, int64_t length,
                                   int64_t limit, const char *what, nl_error *err) {
    int64_t need;
    if (__builtin_add_overflow(offset, length, &need) || __builtin_add_overflow(need, 1, &need) ||
        __builtin_mul_overflow(need, 4, &need) || values->size < need)
        return nl_error_set(err, NL_ECORRUPT,
                            "%s offsets buffer holds %lld bytes, %lld rows at offset %lld need more",
                            what, (long long)values->size, (long long)length, (long long)offset);
    const int32_t *offs = (const int32_t *)values->data + offset;
    if (offs[0] < 0)
        return nl_error_set(err, NL_ECORRUPT, "%s offset %d at row 0 is negative", what, offs[0]);
    for (int64_t i = 0; i < length; i++)
        if (offs[i + 1] < offs[i])
            return nl_error_set(err, NL_ECORRUPT, "%s offsets decrease at row %lld (%d then %d)",
                                what, (long long)i, offs[i], offs[i + 1]);
    if (offs[length] > limit)
        return nl_error_set(err, NL_ECORRUPT, "%s offset %d is past the end of its data (%lld)",
                            what, offs[length], (long long)limit);
    return NL_OK;
}

nl_status nl_array_new(nl_type *type, int64_t length, int64_t offset, int64_t null_count,
                       nl_buffer *validity, nl_buffer *values, nl_buffer *data,
                       nl_array **children, int32_t n_children, nl_array **out, nl_error *err) {
    nl_status st = NL_OK;
    nl_array *a = NULL;
    int64_t end;
    *out = NULL;
    if (!type) {
        st = nl_error_set(err, NL_EINVAL, "array without a type");
        goto fail;
    }
    if (length < 0 || offset < 0 || __builtin_add_overflow(offset, length, &end) ||
        null_count < -1 || null_count > length || n_children < 0 ||
        (n_children > 0 && !children)) {
        st = nl_error_set(err, NL_EINVAL,
                          "bad array geometry: length %lld, offset %lld, null count %lld, %d children",
                          (long long)length, (long long)offset, (long long)null_count, n_children);
        goto fail;
    }

    /* Validity bitmap. */
    if (type->id == NL_TYPE_NULL) {
        nl_buffer_unref(validity);
        validity = NULL;
        null_count = length;
    } else if (validity) {
        if (validity->size < (end + 7) / 8) {
            st = nl_error_set(err, NL_ECORRUPT,
                              "validity bitmap holds %lld bytes, %lld rows at offset %lld need %lld",
                              (long long)validity->size, (long long)length, (long long)offset,
                              (long long)((end + 7) / 8));
            goto fail;
        }
        if (null_count < 0) null_count = length - nl_bitmap_count(validity->data, offset, length);
        if (null_count == 0) {
            nl_buffer_unref(validity);
            validity = NULL;
        }
    } else {
        if (null_count > 0) {
            st = nl_error_set(err, NL_ECORRUPT, "%lld nulls claimed but no validity bitmap",
                              (long long)null_count);
            goto fail;
        }
        null_count = 0;
    }

    /* Values, data and children by layout. */
    int width = nl_type_byte_width(type->id);
    int32_t want_children = 0;
    switch (type->id) {
    case NL_TYPE_NULL: break;
    case NL_TYPE_BOOL:
        if (!values && end == 0) values = arr_buffer(0);
        if (!values || values->size < (end + 7) / 8) {
            st = nl_error_set(err, NL_ECORRUPT, "boolean values buffer too small for %lld rows",
                              (long long)end);
            goto fail;
        }
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
    case NL_TYPE_LIST: {
        if (!values && length == 0) values = arr_buffer((offset + 1) * 4);
        if (!values) {
            st = nl_error_set(err, NL_ECORRUPT, "missing offsets buffer");
            goto fail;
        }
        if (!arr_align(&values, 4)) goto oom;
        int64_t limit;
        if (type->id == NL_TYPE_LIST) {
            want_children = 1;
            if (n_children != 1 || !children[0]) {
                st = nl_error_set(err, NL_ECORRUPT, "a list array needs one child, got %d",
                                  n_children);
                goto fail;
            }
            limit = children[0]->length;
        } else {
            if (!data) data = arr_buffer(0);
            if (!data) goto oom;
            limit = data->size;
        }
        st = arr_check_offsets(values, offset, length, limit,
                               type->id == NL_TYPE_LIST ? "list" : "string", err);
        if (st != NL_OK) goto fail;
        break;
    }
    case NL_TYPE_STRUCT:
        want_children = type->n_children;
        break;
    default: {
        int64_t need;
        if (width <= 0) {
            st = nl_error_set(err, NL_EINVAL, "unknown type id %d", (int)type->id);
            goto fail;
        }
        if (!values && end == 0) values = arr_buffer(0);
        if (!values || __builtin_mul_overflow(end, (int64_t)width, &need) || values->size < need) {
            st = nl_error_set(err, NL_ECORRUPT,
                              "values buffer holds %lld bytes, %lld rows at offset %lld of %d bytes "
                              "need more",
                              (long long)(values ? values->size : 0), (long long)length,
                              (long long)offset, width);
            goto fail;
        }
        if (!arr_align(&values, width > 8 ? 8 : width)) goto oom;
        break;
    }
    }

    if (n_children != want_children) {
        st = nl_error_set(err, NL_ECORRUPT, "type needs %d children, array has %d", want_children,
                          n_children);
        goto fail;
    }
    for (int32_t i = 0; i < n_children; i++) {
        const nl_type *ct = type->children[i].type;
        if (!children[i] || !nl_type_equals(children[i]->type, ct)) {
            st = nl_error_set(err, NL_ETYPE, "child %d has the wrong type", i);
            goto fail;
        }
        if (type->id == NL_TYPE_STRUCT && children[i]->length < end) {
            st = nl_error_set(err, NL_ECORRUPT,
                              "struct field '%s' has %lld rows, the struct needs %lld",
                              type->children[i].name, (long long)children[i]->length,
                              (long long)end);
            goto fail;
        }
    }

    a = nl_calloc(1, sizeof *a);
    if (!a) goto oom;
    if (n_children > 0) {
        a->children = nl_malloc((size_t)n_children * sizeof *a->children);
        if (!a->children) goto oom;
        memcpy(a->children, children, (size_t)n_children * sizeof *a->children);
    }
    atomic_init(&a->refcount, 1);
    a->type = type;
    a->length = length;
    a->offset = offset;
    a->null_count = null_count;
    a->validity = validity;
    a->values = values;
    a->data = data;
    a->n_children = n_children;
    *out = a;
    return NL_OK;

oom:
    st = nl_error_set(err, NL_ENOMEM, "out of memory assembling an array of %lld rows",
                      (long long)length);
fail:
    if (a) {
        nl_free(a->children);
        nl_free(a);
    }
    arr_release_inputs(type, validity, values, data, children, n_children);
    return st;
}

nl_status nl_array_new_nulls(nl_type *type, int64_t length, nl_array **out, nl_error *err) {
    *out = NULL;
    if (!type || length < 0) return nl_error_set(err, NL_EINVAL, "bad all-null array request");
    nl_buffer *validity = NULL, *values = NULL, *data = NULL;
    nl_array *kids[1] = {NULL};
    nl_array **children = kids;
    int32_t n_children = 0;
    int width = nl_type_byte_width(type->id);
    if (type->id != NL_TYPE_NULL) {
        validity = arr_buffer((length + 7) / 8);
        if (!validity) goto oom;
    }
    switch (type->id) {
    case NL_TYPE_NULL: break;
    case NL_TYPE_BOOL:
        values = arr_buffer((length + 7) / 8);
        if (!values) goto oom;
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
        values = arr_buffer((length + 1) * 4);
        data = arr_buffer(0);
        if (!values || !data) goto oom;
        break;
    case NL_TYPE_LIST:
        values = arr_buffer((length + 1) * 4);
        if (!values) goto oom;
        n_children = 1;
        if (nl_array_new_nulls(type->children[0].type, 0, &kids[0], err) != NL_OK) goto fail;
        break;
    case NL_TYPE_STRUCT:
        n_children = type->n_children;
        if (n_children > 0) {
            children = nl_calloc((size_t)n_children, sizeof *children);
            if (!children) goto oom;
        }
        for (int32_t i = 0; i < n_children; i++)
            if (nl_array_new_nulls(type->children[i].type, length, &children[i], err) != NL_OK)
                goto fail;
        break;
    default:
        if (width <= 0) {
            nl_error_set(err, NL_EINVAL, "unknown type id %d", (int)type->id);
            goto fail;
        }
        values = arr_buffer(length * width);
        if (!values) goto oom;
        break;
    }
    nl_status st = nl_array_new(nl_type_ref(type), length, 0, length, validity, values, data,
                                children, n_children, out, err);
    if (children != kids) nl_free(children);
    return st;
oom:
    nl_error_set(err, NL_ENOMEM, "out of memory making %lld nulls", (long long)length);
fail:
    nl_buffer_unref(validity);
    nl_buffer_unref(values);
    nl_buffer_unref(data);
    for (int32_t i = 0; i < n_children; i++)
        if (children) nl_array_unref(children[i]);
    if (children != kids) nl_free(children);
    return err ? err->code : NL_ENOMEM;
}

nl_array *nl_array_ref(nl_array *array) {
    if (array) atomic_fetch_add_explicit(&array->refcount, 1, memory_order_relaxed);
    return array;
}

void nl_array_unref(nl_array *array) {
    if (!array) return;
    if (atomic_fetch_sub_explicit(&array->refcount, 1, memory_order_acq_rel) != 1) return;
    for (int32_t i = 0; i < array->n_children; i++) nl_array_unref(array->children[i]);
    nl_free(array->children);
    nl_buffer_unref(array->validity);
    nl_buffer_unref(array->values);
    nl_buffer_unref(array->data);
    nl_type_unref(array->type);
    nl_free(array);
}

nl_array *nl_array_slice(nl_array *array, int64_t offset, int64_t length) {
    if (!array || offset < 0 || length < 0 || offset > array->length ||
        length > array->length - offset)
        return NULL;
    nl_array *s = nl_calloc(1, sizeof *s);
    if (!s) return NULL;
    if (array->n_children > 0) {
        s->children = nl_malloc((size_t)array->n_children * sizeof *s->children);
        if (!s->children) {
            nl_free(s);
            return NULL;
        }
        for (int32_t i = 0; i < array->n_children; i++)
            s->children[i] = nl_array_ref(array->children[i]);
    }
    atomic_init(&s->refcount, 1);
    s->type = nl_type_ref(array->type);
    s->length = length;
    s->offset = array->offset + offset;
    s->n_children = array->n_children;
    s->values = nl_buffer_ref(array->values);
    s->data = nl_buffer_ref(array->data);
    if (array->type->id == NL_TYPE_NULL) {
        s->null_count = length;
    } else if (array->validity && array->null_count > 0) {
        if (length == array->length) {
            s->null_count = array->null_count;
        } else {
            s->null_count = length - nl_bitmap_count(array->validity->data, s->offset, length);
        }
        if (s->null_count > 0) s->validity = nl_buffer_ref(array->validity);
    }
    return s;
}

/* ---- concatenation ---- */

/* The logical [offset, offset + length) part of a struct's child k. */
static nl_array *arr_struct_child(const nl_array *a, int32_t k) {
    return nl_array_slice(a->children[k], a->offset, a->length);
}

nl_status nl_array_concat(nl_array *const *arrays, int32_t n, nl_array **out, nl_error *err) {
    *out = NULL;
    if (n <= 0 || !arrays || !arrays[0])
        return nl_error_set(err, NL_EINVAL, "concatenating no arrays");
    nl_type *type = arrays[0]->type;
    int64_t total = 0, nulls = 0;
    for (int32_t j = 0; j < n; j++) {
        if (!arrays[j] || !nl_type_equals(arrays[j]->type, type)) {
            char a[128], b[128];
            return nl_error_set(err, NL_ETYPE, "cannot concatenate %s with %s",
                                nl_type_name(type, a, sizeof a),
                                arrays[j] ? nl_type_name(arrays[j]->type, b, sizeof b) : "nothing");
        }
        total += arrays[j]->length;
        nulls += arrays[j]->null_count;
    }
    if (n == 1) {
        *out = nl_array_ref(arrays[0]);
        return NL_OK;
    }
    nl_buffer *validity = NULL, *values = NULL, *data = NULL;
    nl_array *child_out[1] = {NULL};
    nl_array **children = child_out;
    nl_array **parts = NULL;
    int32_t n_children = 0;
    nl_status st = NL_OK;

    if (nulls > 0 && type->id != NL_TYPE_NULL) {
        validity = arr_buffer((total + 7) / 8);
        if (!validity) goto oom;
        int64_t pos = 0;
        for (int32_t j = 0; j < n; j++) {
            const nl_array *a = arrays[j];
            if (a->validity)
                nl_bitmap_copy(validity->data, pos, a->validity->data, a->offset, a->length);
            else
                nl_bitmap_set_range(validity->data, pos, a->length);
            pos += a->length;
        }
    }

    int width = nl_type_byte_width(type->id);
    switch (type->id) {
    case NL_TYPE_NULL: break;
    case NL_TYPE_BOOL: {
        values = arr_buffer((total + 7) / 8);
        if (!values) goto oom;
        int64_t pos = 0;
        for (int32_t j = 0; j < n; j++) {
            nl_bitmap_copy(values->data, pos, arrays[j]->values->data, arrays[j]->offset,
                           arrays[j]->length);
            pos += arrays[j]->length;
        }
        break;
    }
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
    case NL_TYPE_LIST: {
        int64_t inner = 0;
        for (int32_t j = 0; j < n; j++) {
            const int32_t *o = (const int32_t *)arrays[j]->values->data + arrays[j]->offset;
            inner += o[arrays[j]->length] - o[0];
        }
        if (inner > INT32_MAX) {
            st = nl_error_set(err, NL_EOVERFLOW,
                              "concatenation holds %lld bytes or items, past 32-bit offsets",
                              (long long)inner);
            goto fail;
        }
        values = arr_buffer((total + 1) * 4);
        if (!values) goto oom;
        if (type->id != NL_TYPE_LIST) {
            data = arr_buffer(inner);
            if (!data) goto oom;
        } else {
            parts = nl_calloc((size_t)n, sizeof *parts);
            if (!parts) goto oom;
        }
        int32_t *dst = (int32_t *)values->data;
        int64_t pos = 0;
        int32_t acc = 0;
        dst[0] = 0;
        for (int32_t j = 0; j < n; j++) {
            const nl_array *a = arrays[j];
            const int32_t *o = (const int32_t *)a->values->data + a->offset;
            for (int64_t i = 1; i <= a->length; i++) dst[pos + i] = acc + (o[i] - o[0]);
            int32_t span = o[a->length] - o[0];
            if (type->id == NL_TYPE_LIST) {
                parts[j] = nl_array_slice(a->children[0], o[0], span);
                if (!parts[j]) goto oom;
            } else if (span > 0) {
                memcpy(data->data + acc, a->data->data + o[0], (size_t)span);
            }
            acc += span;
            pos += a->length;
        }
        if (type->id == NL_TYPE_LIST) {
            n_children = 1;
            st = nl_array_concat(parts, n, &child_out[0], err);
            if (st != NL_OK) {
                n_children = 0;
                goto fail;
            }
        }
        break;
    }
    case NL_TYPE_STRUCT: {
        parts = nl_calloc((size_t)n, sizeof *parts);
        if (!parts) goto oom;
        if (type->n_children > 0) {
            children = nl_calloc((size_t)type->n_children, sizeof *children);
            if (!children) goto oom;
        }
        for (int32_t k = 0; k < type->n_children; k++) {
            for (int32_t j = 0; j < n; j++) {
                parts[j] = arr_struct_child(arrays[j], k);
                if (!parts[j]) goto oom;
            }
            st = nl_array_concat(parts, n, &children[k], err);
            for (int32_t j = 0; j < n; j++) {
                nl_array_unref(parts[j]);
                parts[j] = NULL;
            }
            if (st != NL_OK) goto fail;
            n_children = k + 1;
        }
        break;
    }
    default: {
        values = arr_buffer(total * width);
        if (!values) goto oom;
        int64_t pos = 0;
        for (int32_t j = 0; j < n; j++) {
            const nl_array *a = arrays[j];
            memcpy(values->data + pos * width, a->values->data + a->offset * width,
                   (size_t)(a->length * width));
            pos += a->length;
        }
        break;
    }
    }
    if (parts) {
        for (int32_t j = 0; j < n; j++) nl_array_unref(parts[j]);
        nl_free(parts);
        parts = NULL;
    }
    st = nl_array_new(nl_type_ref(type), total, 0, type->id == NL_TYPE_NULL ? total : nulls,
                      validity, values, data, children, n_children, out, err);
    if (children != child_out) nl_free(children);
    return st;
oom:
    st = nl_error_set(err, NL_ENOMEM, "out of memory concatenating %d arrays", n);
fail:
    if (parts) {
        for (int32_t j = 0; j < n; j++) nl_array_unref(parts[j]);
        nl_free(parts);
    }
    for (int32_t k = 0; k < n_children; k++) nl_array_unref(children[k]);
    if (children != child_out) nl_free(children);
    nl_buffer_unref(validity);
    nl_buffer_unref(values);
    nl_buffer_unref(data);
    return st;
}

/* ---- take ---- */

#define ARR_GATHER(T)                                                                              \
    do {                                                                                           \
        const T *src_ = (const T *)a->values->data + a->offset;                                    \
        T *dst_ = (T *)values->data;                                                               \
        for (int64_t i = 0; i < n; i++) dst_[i] = indices[i] >= 0 ? src_[indices[i]] : (T)0;      \
    } while (0)

nl_status nl_array_take(const nl_array *a, const int64_t *indices, int64_t n, nl_array **out,
                        nl_error *err) {
    *out = NULL;
    if (n < 0 || (n > 0 && !indices)) return nl_error_set(err, NL_EINVAL, "bad take request");
    bool any_missing = false;
    for (int64_t i = 0; i < n; i++) {
        if (indices[i] < -1 || indices[i] >= a->length)
            return nl_error_set(err, NL_EINVAL, "take index %lld at position %lld is out of range "
                                "for an array of %lld rows",
                                (long long)indices[i], (long long)i, (long long)a->length);
        any_missing |= indices[i] < 0;
    }
    if (a->type->id == NL_TYPE_NULL) return nl_array_new_nulls(a->type, n, out, err);

    nl_buffer *validity = NULL, *values = NULL, *data = NULL;
    nl_array *child_out[1] = {NULL};
    nl_array **children = child_out;
    int32_t n_children = 0;
    int64_t *sub = NULL;
    nl_status st = NL_OK;
    int64_t nulls = 0;

    if (any_missing || a->null_count > 0) {
        validity = arr_buffer((n + 7) / 8);
        if (!validity) goto oom;
        for (int64_t i = 0; i < n; i++) {
            if (indices[i] >= 0 && nl_array_is_valid(a, indices[i]))
                nl_bit_set(validity->data, i);
            else
                nulls++;
        }
    }

    int width = nl_type_byte_width(a->type->id);
    switch (a->type->id) {
    case NL_TYPE_BOOL:
        values = arr_buffer((n + 7) / 8);
        if (!values) goto oom;
        for (int64_t i = 0; i < n; i++)
            if (indices[i] >= 0 && nl_array_bool(a, indices[i])) nl_bit_set(values->data, i);
        break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
    case NL_TYPE_LIST: {
        const int32_t *o = (const int32_t *)a->values->data + a->offset;
        int64_t inner = 0;
        for (int64_t i = 0; i < n; i++)
            if (indices[i] >= 0) inner += o[indices[i] + 1] - o[indices[i]];
        if (inner > INT32_MAX) {
            st = nl_error_set(err, NL_EOVERFLOW, "take result holds %lld bytes or items, past "
                              "32-bit offsets", (long long)inner);
            goto fail;
        }
        values = arr_buffer((n + 1) * 4);
        if (!values) goto oom;
        int32_t *dst = (int32_t *)values->data;
        if (a->type->id == NL_TYPE_LIST) {
            sub = nl_malloc((size_t)(inner > 0 ? inner : 1) * sizeof *sub);
            if (!sub) goto oom;
        } else {
            data = arr_buffer(inner);
            if (!data) goto oom;
        }
        int32_t acc = 0;
        dst[0] = 0;
        for (int64_t i = 0; i < n; i++) {
            if (indices[i] >= 0) {
                int32_t s = o[indices[i]], e = o[indices[i] + 1];
                if (sub) {
                    for (int32_t k = s; k < e; k++) sub[acc + (k - s)] = k;
                } else if (e > s) {
                    memcpy(data->data + acc, a->data->data + s, (size_t)(e - s));
                }
                acc += e - s;
            }
            dst[i + 1] = acc;
        }
        if (sub) {
            st = nl_array_take(a->children[0], sub, inner, &child_out[0], err);
            if (st != NL_OK) goto fail;
            n_children = 1;
        }
        break;
    }
    case NL_TYPE_STRUCT: {
        sub = nl_malloc((size_t)(n > 0 ? n : 1) * sizeof *sub);
        if (!sub) goto oom;
        for (int64_t i = 0; i < n; i++) sub[i] = indices[i] >= 0 ? a->offset + indices[i] : -1;
        if (a->type->n_children > 0) {
            children = nl_calloc((size_t)a->type->n_children, sizeof *children);
            if (!children) goto oom;
        }
        for (int32_t k = 0; k < a->type->n_children; k++) {
            st = nl_array_take(a->children[k], sub, n, &children[k], err);
            if (st != NL_OK) goto fail;
            n_children = k + 1;
        }
        break;
    }
    default:
        values = arr_buffer(n * width);
        if (!values) goto oom;
        switch (width) {
        case 1: ARR_GATHER(uint8_t); break;
        case 2: ARR_GATHER(uint16_t); break;
        case 4: ARR_GATHER(uint32_t); break;
        case 8: ARR_GATHER(uint64_t); break;
        default:
            for (int64_t i = 0; i < n; i++)
                if (indices[i] >= 0)
                    memcpy(values->data + i * 16, a->values->data + (a->offset + indices[i]) * 16,
                           16);
            break;
        }
        break;
    }
    nl_free(sub);
    st = nl_array_new(nl_type_ref(a->type), n, 0, nulls, validity, values, data, children,
                      n_children, out, err);
    if (children != child_out) nl_free(children);
    return st;
oom:
    st = nl_error_set(err, NL_ENOMEM, "out of memory gathering %lld rows", (long long)n);
fail:
    nl_free(sub);
    for (int32_t k = 0; k < n_children; k++) nl_array_unref(children[k]);
    if (children != child_out) nl_free(children);
    nl_buffer_unref(validity);
    nl_buffer_unref(values);
    nl_buffer_unref(data);
    return st;
}

/* ---- equality ---- */

/* Row i of a against row j of b; both of the same type. */
static bool arr_row_equals(const nl_array *a, int64_t i, const nl_array *b, int64_t j) {
    bool va = !nl_array_is_null(a, i), vb = !nl_array_is_null(b, j);
    if (va != vb) return false;
    if (!va) return true;
    switch (a->type->id) {
    case NL_TYPE_NULL: return true;
    case NL_TYPE_BOOL: return nl_array_bool(a, i) == nl_array_bool(b, j);
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        int32_t la, lb;
        const char *sa = nl_array_str(a, i, &la), *sb = nl_array_str(b, j, &lb);
        return la == lb && (la == 0 || memcmp(sa, sb, (size_t)la) == 0);
    }
    case NL_TYPE_LIST: {
        int64_t sa, ea, sb, eb;
        nl_array_list_range(a, i, &sa, &ea);
        nl_array_list_range(b, j, &sb, &eb);
        if (ea - sa != eb - sb) return false;
        for (int64_t k = 0; k < ea - sa; k++)
            if (!arr_row_equals(a->children[0], sa + k, b->children[0], sb + k)) return false;
        return true;
    }
    case NL_TYPE_STRUCT:
        for (int32_t k = 0; k < a->n_children; k++)
            if (!arr_row_equals(a->children[k], a->offset + i, b->children[k], b->offset + j))
                return false;
        return true;
    default: {
        int w = nl_type_byte_width(a->type->id);
        return memcmp(a->values->data + (a->offset + i) * w, b->values->data + (b->offset + j) * w,
                      (size_t)w) == 0;
    }
    }
}

bool nl_array_equals(const nl_array *a, const nl_array *b) {
    if (a == b) return true;
    if (!a || !b || a->length != b->length || !nl_type_equals(a->type, b->type)) return false;
    for (int64_t i = 0; i < a->length; i++)
        if (!arr_row_equals(a, i, b, i)) return false;
    return true;
}

/* ---- record batches ---- */

static void arr_unref_columns(nl_array **columns, int32_t n) {
    if (columns)
        for (int32_t i = 0; i < n; i++) nl_array_unref(columns[i]);
}

nl_status nl_batch_new(nl_schema *schema, nl_array **columns, int64_t num_rows, nl_batch **out,
                       nl_error *err) {
    *out = NULL;
    if (!schema) return nl_error_set(err, NL_EINVAL, "batch without a schema");
    int32_t n = schema->n_fields;
    nl_status st = NL_OK;
    if (num_rows < 0 || (n > 0 && !columns)) {
        st = nl_error_set(err, NL_EINVAL, "bad batch: %lld rows, %d columns", (long long)num_rows, n);
        goto fail;
    }
    for (int32_t i = 0; i < n; i++) {
        const nl_field *f = &schema->fields[i];
        if (!columns[i]) {
            st = nl_error_set(err, NL_EINVAL, "column '%s' is missing", f->name);
            goto fail;
        }
        if (columns[i]->length != num_rows) {
            st = nl_error_set(err, NL_EINVAL, "column '%s' has %lld rows, the batch %lld", f->name,
                              (long long)columns[i]->length, (long long)num_rows);
            goto fail;
        }
        if (!nl_type_equals(columns[i]->type, f->type)) {
            char a[128], b[128];
            st = nl_error_set(err, NL_ETYPE, "column '%s' is %s, the schema says %s", f->name,
                              nl_type_name(columns[i]->type, a, sizeof a),
                              nl_type_name(f->type, b, sizeof b));
            goto fail;
        }
    }
    nl_batch *batch = nl_calloc(1, sizeof *batch);
    if (!batch) goto oom;
    if (n > 0) {
        batch->columns = nl_malloc((size_t)n * sizeof *batch->columns);
        if (!batch->columns) {
            nl_free(batch);
            goto oom;
        }
        memcpy(batch->columns, columns, (size_t)n * sizeof *batch->columns);
    }
    atomic_init(&batch->refcount, 1);
    batch->schema = schema;
    batch->num_rows = num_rows;
    batch->n_columns = n;
    *out = batch;
    return NL_OK;
oom:
    st = nl_error_set(err, NL_ENOMEM, "out of memory making a batch");
fail:
    arr_unref_columns(columns, n);
    nl_schema_unref(schema);
    return st;
}

nl_batch *nl_batch_ref(nl_batch *batch) {
    if (batch) atomic_fetch_add_explicit(&batch->refcount, 1, memory_order_relaxed);
    return batch;
}

void nl_batch_unref(nl_batch *batch) {
    if (!batch) return;
    if (atomic_fetch_sub_explicit(&batch->refcount, 1, memory_order_acq_rel) != 1) return;
    arr_unref_columns(batch->columns, batch->n_columns);
    nl_free(batch->columns);
    nl_schema_unref(batch->schema);
    nl_free(batch);
}

nl_batch *nl_batch_slice(nl_batch *batch, int64_t offset, int64_t length) {
    if (!batch || offset < 0 || length < 0 || offset > batch->num_rows ||
        length > batch->num_rows - offset)
        return NULL;
    nl_batch *s = nl_calloc(1, sizeof *s);
    if (!s) return NULL;
    if (batch->n_columns > 0) {
        s->columns = nl_calloc((size_t)batch->n_columns, sizeof *s->columns);
        if (!s->columns) {
            nl_free(s);
            return NULL;
        }
    }
    for (int32_t i = 0; i < batch->n_columns; i++) {
        s->columns[i] = nl_array_slice(batch->columns[i], offset, length);
        if (!s->columns[i]) {
            arr_unref_columns(s->columns, i);
            nl_free(s->columns);
            nl_free(s);
            return NULL;
        }
    }
    atomic_init(&s->refcount, 1);
    s->schema = nl_schema_ref(batch->schema);
    s->num_rows = length;
    s->n_columns = batch->n_columns;
    return s;
}

/* ---- tables ---- */

nl_table *nl_table_new(nl_schema *schema) {
    nl_table *t = nl_calloc(1, sizeof *t);
    if (!t) {
        nl_schema_unref(schema);
        return NULL;
    }
    t->schema = schema;
    return t;
}

nl_status nl_table_append(nl_table *table, nl_batch *batch, nl_error *err) {
    if (!table || !batch) return nl_error_set(err, NL_EINVAL, "appending to or from nothing");
    if (batch->schema != table->schema && !nl_schema_equals(batch->schema, table->schema))
        return nl_error_set(err, NL_ETYPE, "batch schema differs from the table's");
    if (table->n_batches == table->cap_batches) {
        int64_t cap = table->cap_batches ? table->cap_batches * 2 : 8;
        nl_batch **grown = nl_realloc(table->batches, (size_t)cap * sizeof *grown);
        if (!grown) return nl_error_set(err, NL_ENOMEM, "out of memory growing a table");
        table->batches = grown;
        table->cap_batches = cap;
    }
    table->batches[table->n_batches++] = nl_batch_ref(batch);
    table->num_rows += batch->num_rows;
    return NL_OK;
}

void nl_table_free(nl_table *table) {
    if (!table) return;
    for (int64_t i = 0; i < table->n_batches; i++) nl_batch_unref(table->batches[i]);
    nl_free(table->batches);
    nl_schema_unref(table->schema);
    nl_free(table);
}

void nl_table_locate(const nl_table *table, int64_t row, int64_t *batch, int64_t *row_in_batch) {
    int64_t b = 0;
    while (b < table->n_batches && row >= table->batches[b]->num_rows) {
        row -= table->batches[b]->num_rows;
        b++;
    }
    *batch = b;
    *row_in_batch = row;
}
