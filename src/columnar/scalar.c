/*
 * scalar.c -- single typed values: construction, copies, reading one out of
 * an array, comparison across numeric and temporal types, and SQL text.
 */
#include "columnar/scalar.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/cast.h"

nl_scalar nl_scalar_null(nl_type *type) {
    nl_scalar s;
    memset(&s, 0, sizeof s);
    s.type = nl_type_ref(type);
    s.is_null = true;
    return s;
}

static nl_scalar scalar_make(nl_type *type_ref) {
    nl_scalar s;
    memset(&s, 0, sizeof s);
    s.type = type_ref;
    s.is_null = type_ref == NULL || type_ref->id == NL_TYPE_NULL;
    return s;
}

nl_scalar nl_scalar_bool(bool v) {
    nl_scalar s = scalar_make(nl_type_get(NL_TYPE_BOOL));
    s.v.b = v;
    return s;
}

nl_scalar nl_scalar_int64(int64_t v) {
    nl_scalar s = scalar_make(nl_type_get(NL_TYPE_INT64));
    s.v.i = v;
    return s;
}

nl_scalar nl_scalar_double(double v) {
    nl_scalar s = scalar_make(nl_type_get(NL_TYPE_FLOAT64));
    s.v.d = v;
    return s;
}

/* On OOM the scalar is a null string (callers that care check is_null). */
nl_scalar nl_scalar_string(const char *str, int64_t len) {
    nl_scalar s = scalar_make(nl_type_get(NL_TYPE_UTF8));
    if (len < 0) len = 0;
    s.v.str.ptr = nl_malloc((size_t)len + 1);
    if (!s.v.str.ptr) {
        s.is_null = true;
        return s;
    }
    if (len > 0) memcpy(s.v.str.ptr, str, (size_t)len);
    s.v.str.ptr[len] = '\0';
    s.v.str.len = len;
    return s;
}

nl_scalar nl_scalar_decimal(__int128 unscaled, int32_t precision, int32_t scale) {
    nl_scalar s = scalar_make(nl_type_decimal(precision, scale));
    s.is_null = s.type == NULL;
    s.v.dec = unscaled;
    return s;
}

nl_scalar nl_scalar_date(int32_t days) {
    nl_scalar s = scalar_make(nl_type_get(NL_TYPE_DATE32));
    s.v.i = days;
    return s;
}

nl_scalar nl_scalar_timestamp(int64_t v, nl_time_unit unit, const char *tz) {
    nl_scalar s = scalar_make(nl_type_timestamp(unit, tz));
    s.is_null = s.type == NULL;
    s.v.i = v;
    return s;
}

nl_scalar nl_scalar_of(nl_type *type, int64_t i) {
    nl_scalar s = scalar_make(nl_type_ref(type));
    if (!type) return s;
    if (type->id == NL_TYPE_BOOL) s.v.b = i != 0;
    else if (nl_type_is_unsigned_integer(type->id)) s.v.u = (uint64_t)i;
    else if (nl_type_is_floating(type->id)) s.v.d = (double)i;
    else if (type->id == NL_TYPE_DECIMAL128) s.v.dec = i;
    else s.v.i = i;
    return s;
}

static bool scalar_has_string(const nl_scalar *s) {
    return s->type && nl_type_is_string_like(s->type->id);
}

nl_scalar nl_scalar_copy(const nl_scalar *src) {
    nl_scalar s = *src;
    nl_type_ref(s.type);
    if (scalar_has_string(src) && src->v.str.ptr) {
        s.v.str.ptr = nl_malloc((size_t)src->v.str.len + 1);
        if (!s.v.str.ptr) {
            s.is_null = true;
            s.v.str.len = 0;
        } else {
            memcpy(s.v.str.ptr, src->v.str.ptr, (size_t)src->v.str.len + 1);
        }
    } else if (s.type && s.type->id == NL_TYPE_LIST) {
        nl_array_ref(s.v.list);
    }
    return s;
}

void nl_scalar_clear(nl_scalar *s) {
    if (!s) return;
    if (scalar_has_string(s)) nl_free(s->v.str.ptr);
    else if (s->type && s->type->id == NL_TYPE_LIST) nl_array_unref(s->v.list);
    nl_type_unref(s->type);
    memset(s, 0, sizeof *s);
}

nl_status nl_scalar_from_array(const nl_array *a, int64_t i, nl_scalar *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!a || i < 0 || i >= a->length)
        return nl_error_set(err, NL_EINVAL, "row %lld is outside the array", (long long)i);
    nl_type *t = a->type;
    if (t->id == NL_TYPE_STRUCT)
        return nl_error_set(err, NL_ENOTSUP, "struct values have no scalar form yet");
    if (nl_array_is_null(a, i)) {
        *out = nl_scalar_null(t);
        return NL_OK;
    }
    nl_scalar s = scalar_make(nl_type_ref(t));
    switch (t->id) {
    case NL_TYPE_BOOL: s.v.b = nl_array_bool(a, i); break;
    case NL_TYPE_INT8: s.v.i = NL_ARRAY_VALUES(a, int8_t)[i]; break;
    case NL_TYPE_INT16: s.v.i = NL_ARRAY_VALUES(a, int16_t)[i]; break;
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: s.v.i = NL_ARRAY_VALUES(a, int32_t)[i]; break;
    case NL_TYPE_INT64:
    case NL_TYPE_TIME64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_DURATION: s.v.i = NL_ARRAY_VALUES(a, int64_t)[i]; break;
    case NL_TYPE_UINT8: s.v.u = NL_ARRAY_VALUES(a, uint8_t)[i]; break;
    case NL_TYPE_UINT16: s.v.u = NL_ARRAY_VALUES(a, uint16_t)[i]; break;
    case NL_TYPE_UINT32: s.v.u = NL_ARRAY_VALUES(a, uint32_t)[i]; break;
    case NL_TYPE_UINT64: s.v.u = NL_ARRAY_VALUES(a, uint64_t)[i]; break;
    case NL_TYPE_FLOAT32: s.v.d = NL_ARRAY_VALUES(a, float)[i]; break;
    case NL_TYPE_FLOAT64: s.v.d = NL_ARRAY_VALUES(a, double)[i]; break;
    case NL_TYPE_DECIMAL128: s.v.dec = nl_array_decimal(a, i); break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        int32_t len;
        const char *p = nl_array_str(a, i, &len);
        s.v.str.ptr = nl_malloc((size_t)len + 1);
        if (!s.v.str.ptr) {
            nl_type_unref(s.type);
            return nl_error_set(err, NL_ENOMEM, "out of memory copying a string of %d bytes", len);
        }
        if (len > 0) memcpy(s.v.str.ptr, p, (size_t)len);
        s.v.str.ptr[len] = '\0';
        s.v.str.len = len;
        break;
    }
    case NL_TYPE_LIST: {
        int64_t start, end;
        nl_array_list_range(a, i, &start, &end);
        s.v.list = nl_array_slice(a->children[0], start, end - start);
        if (!s.v.list) {
            nl_type_unref(s.type);
            return nl_error_set(err, NL_ENOMEM, "out of memory slicing a list");
        }
        break;
    }
    default:
        nl_type_unref(s.type);
        return nl_error_set(err, NL_ENOTSUP, "no scalar form for this type");
    }
    *out = s;
    return NL_OK;
}

/* ---- comparison ---- */

#define SCALAR_CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static const int64_t scalar_per_second[4] = {1, 1000, 1000000, 1000000000};

/* Integer-like value scaled by 10^-scale (ints: scale 0). */
static bool scalar_as_decimal(const nl_scalar *s, __int128 *v, int *scale) {
    nl_type_id id = s->type->id;
    *scale = 0;
    if (nl_type_is_signed_integer(id)) *v = s->v.i;
    else if (nl_type_is_unsigned_integer(id)) *v = s->v.u;
    else if (id == NL_TYPE_DECIMAL128) {
        *v = s->v.dec;
        *scale = s->type->scale;
    } else return false;
    return true;
}

static double scalar_as_double(const nl_scalar *s) {
    nl_type_id id = s->type->id;
    if (nl_type_is_floating(id)) return s->v.d;
    if (nl_type_is_unsigned_integer(id)) return (double)s->v.u;
    if (id == NL_TYPE_DECIMAL128) return (double)((long double)s->v.dec / powl(10.0L, s->type->scale));
    return (double)s->v.i;
}

/* Instants in nanoseconds as __int128 (DATE32 as midnight UTC). */
static bool scalar_as_instant(const nl_scalar *s, __int128 *ns) {
    if (s->type->id == NL_TYPE_DATE32) {
        *ns = (__int128)s->v.i * 86400 * 1000000000;
        return true;
    }
    if (s->type->id == NL_TYPE_TIMESTAMP) {
        *ns = (__int128)s->v.i * (1000000000 / scalar_per_second[s->type->unit]);
        return true;
    }
    return false;
}

int nl_scalar_compare(const nl_scalar *a, const nl_scalar *b, bool *ok) {
    *ok = true;
    if (!a->type || !b->type || a->is_null || b->is_null) {
        *ok = false;
        return 0;
    }
    nl_type_id ia = a->type->id, ib = b->type->id;
    if (nl_type_is_numeric(ia) && nl_type_is_numeric(ib)) {
        __int128 va, vb;
        int sa, sb;
        if (scalar_as_decimal(a, &va, &sa) && scalar_as_decimal(b, &vb, &sb)) {
            /* Bring both to the larger scale; on overflow fall back to doubles. */
            bool over = false;
            for (; sa < sb && !over; sa++) over = __builtin_mul_overflow(va, 10, &va);
            for (; sb < sa && !over; sb++) over = __builtin_mul_overflow(vb, 10, &vb);
            if (!over) return SCALAR_CMP(va, vb);
        }
        double da = scalar_as_double(a), db = scalar_as_double(b);
        if (isnan(da) || isnan(db)) return SCALAR_CMP(isnan(da), isnan(db)); /* NaN sorts last */
        return SCALAR_CMP(da, db);
    }
    if (nl_type_is_string_like(ia) && nl_type_is_string_like(ib)) {
        int64_t n = a->v.str.len < b->v.str.len ? a->v.str.len : b->v.str.len;
        int c = n > 0 ? memcmp(a->v.str.ptr, b->v.str.ptr, (size_t)n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return SCALAR_CMP(a->v.str.len, b->v.str.len);
    }
    if (ia == NL_TYPE_BOOL && ib == NL_TYPE_BOOL) return SCALAR_CMP(a->v.b, b->v.b);
    __int128 ta, tb;
    if (scalar_as_instant(a, &ta) && scalar_as_instant(b, &tb)) return SCALAR_CMP(ta, tb);
    if (ia == ib && (ia == NL_TYPE_TIME64 || ia == NL_TYPE_DURATION)) {
        __int128 x = (__int128)a->v.i * (1000000000 / scalar_per_second[a->type->unit]);
        __int128 y = (__int128)b->v.i * (1000000000 / scalar_per_second[b->type->unit]);
        return SCALAR_CMP(x, y);
    }
    *ok = false;
    return 0;
}

/* ---- text ---- */

int nl_scalar_format(const nl_scalar *s, bool quote, char *buf, size_t size) {
    char tmp[128];
    if (!s->type || s->is_null) return snprintf(buf, size, "NULL");
    const nl_type *t = s->type;
    switch (t->id) {
    case NL_TYPE_BOOL: return snprintf(buf, size, "%s", s->v.b ? "true" : "false");
    case NL_TYPE_FLOAT32: nl_format_float((float)s->v.d, tmp, sizeof tmp); break;
    case NL_TYPE_FLOAT64: nl_format_double(s->v.d, tmp, sizeof tmp); break;
    case NL_TYPE_DECIMAL128: nl_format_decimal(s->v.dec, t->scale, tmp, sizeof tmp); break;
    case NL_TYPE_DATE32:
        nl_format_date((int32_t)s->v.i, tmp, sizeof tmp);
        return snprintf(buf, size, quote ? "DATE '%s'" : "%s", tmp);
    case NL_TYPE_TIMESTAMP:
        nl_format_timestamp(s->v.i, t->unit, tmp, sizeof tmp);
        return snprintf(buf, size, quote ? "TIMESTAMP '%s'" : "%s", tmp);
    case NL_TYPE_TIME64:
        nl_format_time(s->v.i, t->unit, tmp, sizeof tmp);
        return snprintf(buf, size, quote ? "TIME '%s'" : "%s", tmp);
    case NL_TYPE_DURATION:
        snprintf(tmp, sizeof tmp, "%lld%s", (long long)s->v.i, nl_time_unit_name(t->unit));
        break;
    case NL_TYPE_UINT8:
    case NL_TYPE_UINT16:
    case NL_TYPE_UINT32:
    case NL_TYPE_UINT64: snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)s->v.u); break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        if (!quote) {
            if (size > 0) {
                size_t n = (size_t)s->v.str.len < size - 1 ? (size_t)s->v.str.len : size - 1;
                memcpy(buf, s->v.str.ptr, n);
                buf[n] = '\0';
            }
            return (int)s->v.str.len;
        }
        /* 'it''s': SQL doubles the quote */
        size_t n = 0;
        int total = 0;
#define SCALAR_PUT(ch)                                                                             \
    do {                                                                                           \
        if (n + 1 < size) buf[n++] = (ch);                                                         \
        total++;                                                                                   \
    } while (0)
        SCALAR_PUT('\'');
        for (int64_t k = 0; k < s->v.str.len; k++) {
            SCALAR_PUT(s->v.str.ptr[k]);
            if (s->v.str.ptr[k] == '\'') SCALAR_PUT('\'');
        }
        SCALAR_PUT('\'');
#undef SCALAR_PUT
        if (size > 0) buf[n] = '\0';
        return total;
    }
    case NL_TYPE_LIST: {
        size_t n = 0;
        int total = 0;
        const nl_array *items = s->v.list;
        total += snprintf(buf, size, "[");
        n = (size_t)total < size ? (size_t)total : (size ? size - 1 : 0);
        for (int64_t k = 0; items && k < items->length; k++) {
            nl_scalar item;
            char one[256];
            if (nl_scalar_from_array(items, k, &item, NULL) != NL_OK) break;
            nl_scalar_format(&item, true, one, sizeof one);
            nl_scalar_clear(&item);
            int w = snprintf(buf + n, size > n ? size - n : 0, "%s%s", k ? ", " : "", one);
            total += w;
            n = (size_t)total < size ? (size_t)total : (size ? size - 1 : 0);
        }
        total += snprintf(buf + n, size > n ? size - n : 0, "]");
        return total;
    }
    default: snprintf(tmp, sizeof tmp, "%lld", (long long)s->v.i); break;
    }
    return snprintf(buf, size, "%s", tmp);
}
