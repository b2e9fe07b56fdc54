/*
 * eval.c -- vectorized expression evaluation (see eval.h).
 *
 * Each operator runs one loop over whole arrays, picked by the operands'
 * physical type: int32, int64, double, decimal128, strings, booleans. The
 * binder has already cast both sides of a comparison or an arithmetic
 * operator to one type, so the kernels never convert. A literal is a
 * one-value array with a stride of 0, which lets one loop serve column-column
 * and column-literal alike.
 */
#include "exec/eval.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

/* ---- small helpers ---- */

static inline bool arg_valid(const fn_arg *a, int64_t i) {
    if (a->arr->type->id == NL_TYPE_NULL) return false;
    return nl_array_is_valid(a->arr, a->scalar ? 0 : i);
}

static void arg_free(fn_arg *a) {
    nl_array_unref(a->arr);
    a->arr = NULL;
}

nl_status exec_alloc_fixed(nl_type *type, int64_t n, nl_buffer **values, nl_error *err) {
    int w = nl_type_byte_width(type->id);
    int64_t bytes = w == 0 ? (n + 7) / 8 : n * (w > 0 ? w : 8);
    *values = nl_buffer_new(bytes > 0 ? bytes : 1);
    NL_CHECK_ALLOC(*values, err);
    (*values)->size = bytes;
    return NL_OK;
}

nl_status exec_make_array(nl_type *type, int64_t n, nl_buffer *validity, nl_buffer *values,
                          nl_buffer *data, nl_array **out, nl_error *err) {
    return nl_array_new(nl_type_ref(type), n, 0, validity ? -1 : 0, validity, values, data, NULL, 0,
                        out, err);
}

static nl_buffer *bits_new(int64_t n, bool ones) {
    int64_t bytes = (n + 7) / 8;
    nl_buffer *b = nl_buffer_new(bytes > 0 ? bytes : 1);
    if (!b) return NULL;
    b->size = bytes;
    if (ones) memset(b->data, 0xff, (size_t)bytes);
    return b;
}

/* dst[i] &= src bit (src_off + i) */
static void bits_and_from(uint8_t *dst, const uint8_t *src, int64_t src_off, int64_t n) {
    if ((src_off & 7) == 0) {
        const uint8_t *s = src + (src_off >> 3);
        for (int64_t k = 0; k < (n + 7) / 8; k++) dst[k] &= s[k];
        return;
    }
    for (int64_t i = 0; i < n; i++)
        if (!nl_bit_get(src, src_off + i)) nl_bit_clear(dst, i);
}

nl_status exec_validity_and(const fn_arg *args, int32_t n, int64_t rows, nl_buffer **out,
                            bool *all_null, nl_error *err) {
    *out = NULL;
    *all_null = false;
    for (int32_t k = 0; k < n; k++) {
        const nl_array *a = args[k].arr;
        if (a->type->id == NL_TYPE_NULL) {
            *all_null = true;
            continue;
        }
        if (a->null_count == 0 || !a->validity) continue;
        if (args[k].scalar) {
            if (!nl_array_is_valid(a, 0)) *all_null = true;
            continue;
        }
        if (!*out) {
            *out = bits_new(rows, true);
            NL_CHECK_ALLOC(*out, err);
        }
        bits_and_from((*out)->data, a->validity->data, a->offset, rows);
    }
    if (*all_null) {
        if (!*out) {
            *out = bits_new(rows, false);
            NL_CHECK_ALLOC(*out, err);
        } else {
            memset((*out)->data, 0, (size_t)(*out)->size);
        }
    }
    return NL_OK;
}

nl_status exec_broadcast(const fn_arg *a, int64_t rows, nl_array **out, nl_error *err) {
    if (!a->scalar) {
        *out = nl_array_ref(a->arr);
        return NL_OK;
    }
    if (a->arr->type->id == NL_TYPE_NULL || !nl_array_is_valid(a->arr, 0))
        return nl_array_new_nulls(a->arr->type, rows, out, err);
    int w = nl_type_byte_width(a->arr->type->id);
    if (w > 0) {
        nl_buffer *vals;
        NL_TRY(exec_alloc_fixed(a->arr->type, rows, &vals, err));
        const uint8_t *src = a->arr->values->data + a->arr->offset * w;
        for (int64_t i = 0; i < rows; i++) memcpy(vals->data + i * w, src, (size_t)w);
        return exec_make_array(a->arr->type, rows, NULL, vals, NULL, out, err);
    }
    if (a->arr->type->id == NL_TYPE_BOOL) {
        nl_buffer *vals = bits_new(rows, nl_array_bool(a->arr, 0));
        NL_CHECK_ALLOC(vals, err);
        return exec_make_array(a->arr->type, rows, NULL, vals, NULL, out, err);
    }
    if (nl_type_is_string_like(a->arr->type->id)) {
        int32_t len;
        const char *s = nl_array_str(a->arr, 0, &len);
        nl_buffer *offs = nl_buffer_new((rows + 1) * 4);
        nl_buffer *data = nl_buffer_new(len * rows > 0 ? len * rows : 1);
        if (!offs || !data) {
            nl_buffer_unref(offs);
            nl_buffer_unref(data);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        if ((int64_t)len * rows > INT32_MAX) {
            nl_buffer_unref(offs);
            nl_buffer_unref(data);
            return nl_error_set(err, NL_EOVERFLOW, "string column over 2 GiB");
        }
        int32_t *o = (int32_t *)offs->data;
        for (int64_t i = 0; i < rows; i++) {
            o[i] = (int32_t)(i * len);
            memcpy(data->data + i * len, s, (size_t)len);
        }
        o[rows] = (int32_t)(rows * len);
        offs->size = (rows + 1) * 4;
        data->size = len * rows;
        return exec_make_array(a->arr->type, rows, NULL, offs, data, out, err);
    }
    nl_builder *b = nl_builder_new(a->arr->type, rows);
    NL_CHECK_ALLOC(b, err);
    for (int64_t i = 0; i < rows; i++) nl_builder_append_from(b, a->arr, 0);
    nl_status st = nl_builder_finish(b, out, err);
    nl_builder_free(b);
    return st;
}

nl_status exec_batch_from(nl_array **cols, int32_t n_cols, int64_t rows, nl_batch **out,
                          nl_error *err) {
    nl_field *fs = nl_calloc((size_t)(n_cols ? n_cols : 1), sizeof(nl_field));
    if (!fs) {
        for (int32_t i = 0; i < n_cols; i++) nl_array_unref(cols[i]);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    char name[24];
    for (int32_t i = 0; i < n_cols; i++) {
        snprintf(name, sizeof name, "c%d", i);
        fs[i].type = nl_type_ref(cols[i]->type);
        fs[i].nullable = true;
        /* nl_schema_new copies the names; give each a stable copy meanwhile */
        fs[i].name = nl_strdup(name);
    }
    nl_schema *schema = nl_schema_new(fs, n_cols);
    for (int32_t i = 0; i < n_cols; i++) nl_free(fs[i].name);
    nl_free(fs);
    if (!schema) {
        for (int32_t i = 0; i < n_cols; i++) nl_array_unref(cols[i]);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    return nl_batch_new(schema, cols, rows, out, err);
}

/* ---- comparison ---- */

#define PACK_LOOP(EXPR)                                                                            \
    for (int64_t i0 = 0; i0 < n; i0 += 8) {                                                        \
        int64_t m = n - i0 < 8 ? n - i0 : 8;                                                       \
        uint8_t byte = 0;                                                                          \
        for (int64_t k = 0; k < m; k++) {                                                          \
            int64_t i = i0 + k;                                                                    \
            byte |= (uint8_t)((EXPR) ? 1u : 0u) << k;                                              \
        }                                                                                          \
        out[i0 >> 3] = byte;                                                                       \
    }

#define CMP_SWITCH(A, B)                                                                           \
    switch (op) {                                                                                  \
    case PL_EQ: PACK_LOOP((A) == (B)); break;                                                      \
    case PL_NE: PACK_LOOP((A) != (B)); break;                                                      \
    case PL_LT: PACK_LOOP((A) < (B)); break;                                                       \
    case PL_LE: PACK_LOOP((A) <= (B)); break;                                                      \
    case PL_GT: PACK_LOOP((A) > (B)); break;                                                       \
    default: PACK_LOOP((A) >= (B)); break;                                                         \
    }

#define CMP_TYPED(T)                                                                               \
    do {                                                                                           \
        const T *x = NL_ARRAY_VALUES(a->arr, T), *y = NL_ARRAY_VALUES(b->arr, T);                  \
        if (sa && sb) CMP_SWITCH(x[i], y[i])                                                       \
        else if (sa) CMP_SWITCH(x[i], y[0])                                                        \
        else CMP_SWITCH(x[0], y[i])                                                                \
    } while (0)

static inline int str_cmp(const char *a, int32_t la, const char *b, int32_t lb) {
    int c = memcmp(a, b, (size_t)(la < lb ? la : lb));
    return c ? c : (la > lb) - (la < lb);
}

static inline int dec_cmp(const nl_array *a, int64_t i, const nl_array *b, int64_t j) {
    __int128 x = nl_array_decimal(a, i), y = nl_array_decimal(b, j);
    return (x > y) - (x < y);
}

static nl_status cmp_kernel(int op, const fn_arg *a, const fn_arg *b, int64_t n, nl_array **res,
                            nl_error *err) {
    nl_buffer *validity;
    bool all_null;
    fn_arg ab[2] = {*a, *b};
    NL_TRY(exec_validity_and(ab, 2, n, &validity, &all_null, err));
    nl_buffer *vals = bits_new(n, false);
    if (!vals) {
        nl_buffer_unref(validity);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    uint8_t *out = vals->data;
    int64_t sa = a->scalar ? 0 : 1, sb = b->scalar ? 0 : 1;
    if (all_null) goto done;
    if (a->scalar && b->scalar) {
        sa = 1; /* both scalar: n == 1 in practice; index 0 works with stride 1 */
        sb = 1;
    }
    switch (a->arr->type->id) {
    case NL_TYPE_INT8: CMP_TYPED(int8_t); break;
    case NL_TYPE_INT16: CMP_TYPED(int16_t); break;
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: CMP_TYPED(int32_t); break;
    case NL_TYPE_INT64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_TIME64:
    case NL_TYPE_DURATION: CMP_TYPED(int64_t); break;
    case NL_TYPE_UINT8: CMP_TYPED(uint8_t); break;
    case NL_TYPE_UINT16: CMP_TYPED(uint16_t); break;
    case NL_TYPE_UINT32: CMP_TYPED(uint32_t); break;
    case NL_TYPE_UINT64: CMP_TYPED(uint64_t); break;
    case NL_TYPE_FLOAT32: CMP_TYPED(float); break;
    case NL_TYPE_FLOAT64: CMP_TYPED(double); break;
    case NL_TYPE_DECIMAL128: {
        const nl_array *x = a->arr, *y = b->arr;
        CMP_SWITCH(dec_cmp(x, i * sa, y, i * sb), 0);
        break;
    }
    case NL_TYPE_BOOL: {
        const nl_array *x = a->arr, *y = b->arr;
        CMP_SWITCH((int)nl_array_bool(x, i * sa), (int)nl_array_bool(y, i * sb));
        break;
    }
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        const nl_array *x = a->arr, *y = b->arr;
        const int32_t *xo = (const int32_t *)x->values->data + x->offset;
        const int32_t *yo = (const int32_t *)y->values->data + y->offset;
        const char *xd = (const char *)x->data->data, *yd = (const char *)y->data->data;
        if (op == PL_EQ || op == PL_NE) {
            bool eq = op == PL_EQ;
            PACK_LOOP(((xo[i * sa + 1] - xo[i * sa] == yo[i * sb + 1] - yo[i * sb]) &&
                       memcmp(xd + xo[i * sa], yd + yo[i * sb],
                              (size_t)(xo[i * sa + 1] - xo[i * sa])) == 0) == eq);
        } else {
            CMP_SWITCH(str_cmp(xd + xo[i * sa], xo[i * sa + 1] - xo[i * sa], yd + yo[i * sb],
                               yo[i * sb + 1] - yo[i * sb]),
                       0);
        }
        break;
    }
    case NL_TYPE_NULL: break;
    default: {
        char buf[64];
        nl_buffer_unref(validity);
        nl_buffer_unref(vals);
        return nl_error_set(err, NL_ENOTSUP, "comparison of %s values is not supported",
                            nl_type_name(a->arr->type, buf, sizeof buf));
    }
    }
done:
    return exec_make_array(nl_type_get(NL_TYPE_BOOL), n, validity, vals, NULL, res, err);
}

/* ---- arithmetic ---- */

/* Integer kernels for one width: overflow and division by zero only set a
 * flag; the rare slow path re-checks the rows that are not null. */
#define INT_ARITH(T)                                                                               \
    do {                                                                                           \
        const T *x = NL_ARRAY_VALUES(a->arr, T), *y = NL_ARRAY_VALUES(b->arr, T);                 \
        T *o = (T *)vals->data;                                                                    \
        switch (op) {                                                                              \
        case PL_ADD:                                                                               \
            for (int64_t i = 0; i < n; i++) overflow |= __builtin_add_overflow(x[i * sa], y[i * sb], &o[i]); \
            break;                                                                                 \
        case PL_SUB:                                                                               \
            for (int64_t i = 0; i < n; i++) overflow |= __builtin_sub_overflow(x[i * sa], y[i * sb], &o[i]); \
            break;                                                                                 \
        case PL_MUL:                                                                               \
            for (int64_t i = 0; i < n; i++) overflow |= __builtin_mul_overflow(x[i * sa], y[i * sb], &o[i]); \
            break;                                                                                 \
        default:                                                                                   \
            for (int64_t i = 0; i < n; i++) {                                                      \
                T d = y[i * sb];                                                                   \
                if (d == 0 || (d == -1 && x[i * sa] == (T)((T)1 << (sizeof(T) * 8 - 1)))) {        \
                    zero |= d == 0;                                                                \
                    overflow |= d != 0 && op != PL_MOD;                                            \
                    o[i] = 0;                                                                      \
                    continue;                                                                      \
                }                                                                                  \
                o[i] = (T)(op == PL_MOD ? x[i * sa] % d : x[i * sa] / d);                          \
            }                                                                                      \
            break;                                                                                 \
        }                                                                                          \
    } while (0)

static int64_t int_value(const nl_array *arr, int64_t i) {
    switch (arr->type->id) {
    case NL_TYPE_INT8: return NL_ARRAY_VALUES(arr, int8_t)[i];
    case NL_TYPE_INT16: return NL_ARRAY_VALUES(arr, int16_t)[i];
    case NL_TYPE_INT32: return NL_ARRAY_VALUES(arr, int32_t)[i];
    default: return NL_ARRAY_VALUES(arr, int64_t)[i];
    }
}

static bool is_zero_at(const nl_array *arr, int64_t i) {
    switch (arr->type->id) {
    case NL_TYPE_FLOAT64: return NL_ARRAY_VALUES(arr, double)[i] == 0;
    case NL_TYPE_DECIMAL128: return nl_array_decimal(arr, i) == 0;
    default: return int_value(arr, i) == 0;
    }
}

/* does row i overflow its type (integers) or its declared precision (decimals)? */
static bool row_overflows(int op, const nl_type *type, const fn_arg *a, const fn_arg *b, int64_t i,
                          __int128 dec_limit) {
    int64_t ia = a->scalar ? 0 : i, ib = b->scalar ? 0 : i;
    if (type->id == NL_TYPE_DECIMAL128) {
        __int128 p = nl_array_decimal(a->arr, ia), q = nl_array_decimal(b->arr, ib), r = 0;
        bool of = op == PL_ADD ? __builtin_add_overflow(p, q, &r)
                  : op == PL_SUB ? __builtin_sub_overflow(p, q, &r)
                  : op == PL_MUL ? __builtin_mul_overflow(p, q, &r)
                                 : false;
        return of || r >= dec_limit || r <= -dec_limit;
    }
    int64_t p = int_value(a->arr, ia), q = int_value(b->arr, ib), r;
    bool of = op == PL_ADD ? __builtin_add_overflow(p, q, &r)
              : op == PL_SUB ? __builtin_sub_overflow(p, q, &r)
              : op == PL_MUL ? __builtin_mul_overflow(p, q, &r)
                             : (q == -1 && p == INT64_MIN ? true : (r = q ? p / q : 0, false));
    if (of) return true;
    switch (type->id) {
    case NL_TYPE_INT8: return r < INT8_MIN || r > INT8_MAX;
    case NL_TYPE_INT16: return r < INT16_MIN || r > INT16_MAX;
    case NL_TYPE_INT32: return r < INT32_MIN || r > INT32_MAX;
    default: return false;
    }
}

/* Decimal +, - and * for operands that fit in 64 bits (every decimal of
 * precision up to 18, so nearly all stored ones): a 64x64->128 multiply
 * cannot overflow, nor can a sum of two such values. Returns false when an
 * operand is wider, for the general loop to redo the rows. */
static bool dec_fast(int op, const nl_array *x, int64_t sa, const nl_array *y, int64_t sb, int64_t n,
                     __int128 limit, __int128 *o, bool *overflow) {
    const int64_t *xw = (const int64_t *)(x->values->data + x->offset * 16);
    const int64_t *yw = (const int64_t *)(y->values->data + y->offset * 16);
    /* little-endian halves: [2i] low, [2i+1] high; a value fits in 64 bits
     * when its high half is the sign extension of its low half */
    uint64_t wide = 0;
    bool of = false;
    int64_t xs = 2 * sa, ys = 2 * sb;
    for (int64_t i = 0; i < n; i++) {
        int64_t p = xw[i * xs], q = yw[i * ys];
        wide |= (uint64_t)(xw[i * xs + 1] ^ (p >> 63)) | (uint64_t)(yw[i * ys + 1] ^ (q >> 63));
        __int128 r = op == PL_MUL ? (__int128)p * q : op == PL_ADD ? (__int128)p + q : (__int128)p - q;
        of |= (r >= limit) | (r <= -limit);
        memcpy(&o[i], &r, 16); /* the buffer is 8-byte aligned */
    }
    *overflow = of;
    return wide == 0;
}

static const char *const ARITH_NAMES[] = {"addition", "subtraction", "multiplication", "division",
                                          "modulo", "integer division"};

static nl_status arith_kernel(int op, nl_type *type, const fn_arg *a, const fn_arg *b, int64_t n,
                              nl_array **res, nl_error *err) {
    nl_buffer *validity;
    bool all_null;
    fn_arg ab[2] = {*a, *b};
    NL_TRY(exec_validity_and(ab, 2, n, &validity, &all_null, err));
    if (all_null) {
        nl_buffer_unref(validity);
        return nl_array_new_nulls(type, n, res, err);
    }
    nl_buffer *vals;
    nl_status st = exec_alloc_fixed(type, n, &vals, err);
    if (st) {
        nl_buffer_unref(validity);
        return st;
    }
    int64_t sa = a->scalar ? 0 : 1, sb = b->scalar ? 0 : 1;
    bool overflow = false, zero = false;
    __int128 dec_limit = 1;
    switch (type->id) {
    case NL_TYPE_INT8: INT_ARITH(int8_t); break;
    case NL_TYPE_INT16: INT_ARITH(int16_t); break;
    case NL_TYPE_INT32: INT_ARITH(int32_t); break;
    case NL_TYPE_INT64: INT_ARITH(int64_t); break;
    case NL_TYPE_FLOAT64: {
        /* IEEE semantics as DuckDB: x / 0 is +-inf or nan, fmod(x, 0) is nan */
        const double *x = NL_ARRAY_VALUES(a->arr, double), *y = NL_ARRAY_VALUES(b->arr, double);
        double *o = (double *)vals->data;
        switch (op) {
        case PL_ADD: for (int64_t i = 0; i < n; i++) o[i] = x[i * sa] + y[i * sb]; break;
        case PL_SUB: for (int64_t i = 0; i < n; i++) o[i] = x[i * sa] - y[i * sb]; break;
        case PL_MUL: for (int64_t i = 0; i < n; i++) o[i] = x[i * sa] * y[i * sb]; break;
        case PL_DIV:
        case PL_IDIV: for (int64_t i = 0; i < n; i++) o[i] = x[i * sa] / y[i * sb]; break;
        default:
            for (int64_t i = 0; i < n; i++) o[i] = fmod(x[i * sa], y[i * sb]);
            break;
        }
        break;
    }
    case NL_TYPE_DECIMAL128: {
        const nl_array *x = a->arr, *y = b->arr;
        __int128 *o = (__int128 *)vals->data;
        for (int32_t k = 0; k < type->precision; k++) dec_limit *= 10;
        if (op == PL_ADD || op == PL_SUB || op == PL_MUL) {
            if (dec_fast(op, x, sa, y, sb, n, dec_limit, o, &overflow)) break;
            overflow = false;
        }
        for (int64_t i = 0; i < n; i++) {
            __int128 p = nl_array_decimal(x, i * sa), q = nl_array_decimal(y, i * sb), r;
            switch (op) {
            case PL_ADD: overflow |= __builtin_add_overflow(p, q, &r); break;
            case PL_SUB: overflow |= __builtin_sub_overflow(p, q, &r); break;
            case PL_MUL: overflow |= __builtin_mul_overflow(p, q, &r); break;
            default:
                if (q == 0) {
                    zero = true;
                    r = 0;
                } else {
                    r = p % q;
                }
                break;
            }
            overflow |= r >= dec_limit || r <= -dec_limit;
            memcpy(&o[i], &r, 16);
        }
        break;
    }
    default: {
        char buf[64];
        nl_buffer_unref(validity);
        nl_buffer_unref(vals);
        return nl_error_set(err, NL_ENOTSUP, "arithmetic on %s values is not supported",
                            nl_type_name(type, buf, sizeof buf));
    }
    }
    if (overflow) {
        /* only an overflow on a row that is not null counts */
        for (int64_t i = 0; i < n; i++) {
            if (validity && !nl_bit_get(validity->data, i)) continue;
            if (!row_overflows(op, type, a, b, i, dec_limit)) continue;
            char buf[64], xs[64], ys[64];
            nl_scalar sx, sy;
            xs[0] = ys[0] = 0;
            if (nl_scalar_from_array(a->arr, a->scalar ? 0 : i, &sx, err) == NL_OK) {
                nl_scalar_format(&sx, false, xs, sizeof xs);
                nl_scalar_clear(&sx);
            }
            if (nl_scalar_from_array(b->arr, b->scalar ? 0 : i, &sy, err) == NL_OK) {
                nl_scalar_format(&sy, false, ys, sizeof ys);
                nl_scalar_clear(&sy);
            }
            nl_buffer_unref(validity);
            nl_buffer_unref(vals);
            return nl_error_set(err, NL_EOVERFLOW, "%s overflow in %s (%s %s %s)",
                                nl_type_name(type, buf, sizeof buf), ARITH_NAMES[op], xs,
                                op == PL_ADD ? "+" : op == PL_SUB ? "-" : op == PL_MUL ? "*" : "/", ys);
        }
    }
    if (zero) {
        /* integer and decimal division or modulo by zero gives NULL (as DuckDB) */
        if (!validity) {
            validity = bits_new(n, true);
            if (!validity) {
                nl_buffer_unref(vals);
                return nl_error_set(err, NL_ENOMEM, "out of memory");
            }
        }
        for (int64_t i = 0; i < n; i++)
            if (is_zero_at(b->arr, i * sb)) nl_bit_clear(validity->data, i);
    }
    return exec_make_array(type, n, validity, vals, NULL, res, err);
}

/* ---- logic (three-valued) ---- */

/* state per row: 0 false, 1 true, 2 null */
static inline uint8_t tri(const fn_arg *a, int64_t i) {
    int64_t j = a->scalar ? 0 : i;
    if (!arg_valid(a, i)) return 2;
    return nl_array_bool(a->arr, j) ? 1 : 0;
}

static nl_status tri_to_array(const uint8_t *t, int64_t n, nl_array **res, nl_error *err) {
    nl_buffer *vals = bits_new(n, false), *valid = NULL;
    NL_CHECK_ALLOC(vals, err);
    bool any_null = false;
    for (int64_t i = 0; i < n; i++) {
        if (t[i] == 1) nl_bit_set(vals->data, i);
        any_null |= t[i] == 2;
    }
    if (any_null) {
        valid = bits_new(n, true);
        if (!valid) {
            nl_buffer_unref(vals);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        for (int64_t i = 0; i < n; i++)
            if (t[i] == 2) nl_bit_clear(valid->data, i);
    }
    return exec_make_array(nl_type_get(NL_TYPE_BOOL), n, valid, vals, NULL, res, err);
}

/* Without nulls, AND, OR and NOT are two-valued: whole bytes of the packed
 * values at a time instead of a three-valued state per row. */
static bool logic_plain(const fn_arg *args, int32_t n) {
    for (int32_t k = 0; k < n; k++) {
        const nl_array *a = args[k].arr;
        if (args[k].scalar || a->type->id != NL_TYPE_BOOL || (a->validity && a->null_count > 0) ||
            a->offset % 8 != 0)
            return false;
    }
    return n > 0;
}

static nl_status logic_bits(pl_expr_kind kind, const fn_arg *args, int32_t n_args, int64_t n,
                            nl_array **res, nl_error *err) {
    nl_buffer *vals = bits_new(n, false);
    NL_CHECK_ALLOC(vals, err);
    uint8_t *o = vals->data;
    int64_t nb = (n + 7) / 8;
    const uint8_t *a0 = args[0].arr->values->data + args[0].arr->offset / 8;
    if (kind == PL_NOT) {
        for (int64_t i = 0; i < nb; i++) o[i] = (uint8_t)~a0[i];
    } else {
        memcpy(o, a0, (size_t)nb);
        for (int32_t k = 1; k < n_args; k++) {
            const uint8_t *ak = args[k].arr->values->data + args[k].arr->offset / 8;
            if (kind == PL_AND)
                for (int64_t i = 0; i < nb; i++) o[i] &= ak[i];
            else
                for (int64_t i = 0; i < nb; i++) o[i] |= ak[i];
        }
    }
    if (n % 8) o[nb - 1] &= (uint8_t)((1u << (n % 8)) - 1); /* bits past the end stay clear */
    return exec_make_array(nl_type_get(NL_TYPE_BOOL), n, NULL, vals, NULL, res, err);
}

/* ---- LIKE ---- */

typedef struct like_pat {
    const char *p;
    int32_t len;
    char esc; /* 0: none */
    bool ci;
} like_pat;

static inline char fold(char c, bool ci) { return ci ? (char)tolower((unsigned char)c) : c; }

static bool like_match(const like_pat *lp, int32_t pi, const char *s, int32_t slen, int32_t si) {
    const char *p = lp->p;
    while (pi < lp->len) {
        char c = p[pi];
        if (lp->esc && c == lp->esc && pi + 1 < lp->len) {
            if (si >= slen || fold(s[si], lp->ci) != fold(p[pi + 1], lp->ci)) return false;
            pi += 2;
            si++;
            continue;
        }
        if (c == '%') {
            while (pi < lp->len && p[pi] == '%') pi++;
            if (pi == lp->len) return true;
            for (int32_t k = si; k <= slen; k++)
                if (like_match(lp, pi, s, slen, k)) return true;
            return false;
        }
        if (si >= slen) return false;
        if (c == '_') {
            /* one UTF-8 character */
            si++;
            while (si < slen && ((unsigned char)s[si] & 0xC0) == 0x80) si++;
            pi++;
            continue;
        }
        if (fold(s[si], lp->ci) != fold(c, lp->ci)) return false;
        pi++;
        si++;
    }
    return si == slen;
}

/* Patterns made of literal segments and % only match by searching each
 * segment in turn (no backtracking needed). */
typedef struct like_plan {
    bool simple;
    bool anchored_start, anchored_end;
    int32_t n_seg;
    const char *seg[16];
    int32_t seg_len[16];
} like_plan;

static void like_prepare(const like_pat *lp, like_plan *pl) {
    memset(pl, 0, sizeof *pl);
    if (lp->ci || lp->esc) return;
    for (int32_t i = 0; i < lp->len; i++)
        if (lp->p[i] == '_') return;
    pl->anchored_start = lp->len == 0 || lp->p[0] != '%';
    pl->anchored_end = lp->len == 0 || lp->p[lp->len - 1] != '%';
    int32_t i = 0;
    while (i < lp->len) {
        while (i < lp->len && lp->p[i] == '%') i++;
        int32_t s = i;
        while (i < lp->len && lp->p[i] != '%') i++;
        if (i > s) {
            if (pl->n_seg == 16) return;
            pl->seg[pl->n_seg] = lp->p + s;
            pl->seg_len[pl->n_seg++] = i - s;
        }
    }
    pl->simple = true;
}

static bool like_simple(const like_plan *pl, const char *s, int32_t slen) {
    int32_t pos = 0;
    if (pl->n_seg == 0) return !pl->anchored_start || slen == 0;
    for (int32_t k = 0; k < pl->n_seg; k++) {
        int32_t l = pl->seg_len[k];
        bool first = k == 0, last = k == pl->n_seg - 1;
        if (last && pl->anchored_end) {
            int32_t at = slen - l;
            if (at < pos) return false;
            if (first && pl->anchored_start && at != 0) return false;
            return memcmp(s + at, pl->seg[k], (size_t)l) == 0;
        }
        if (first && pl->anchored_start) {
            if (slen < l || memcmp(s, pl->seg[k], (size_t)l) != 0) return false;
            pos = l;
            continue;
        }
        const char *f = memmem(s + pos, (size_t)(slen - pos), pl->seg[k], (size_t)l);
        if (!f) return false;
        pos = (int32_t)(f - s) + l;
    }
    return true;
}

/* LIKE with a pattern (or escape) that changes from row to row */
static nl_status like_rows(const pl_expr *e, const fn_arg *s, const fn_arg *p, const fn_arg *esc,
                           int64_t n, nl_array **res, nl_error *err) {
    nl_builder *bld = nl_builder_new(nl_type_get(NL_TYPE_BOOL), n);
    NL_CHECK_ALLOC(bld, err);
    char *ls = NULL, *lpt = NULL;
    size_t cap = 0;
    nl_status st = NL_OK;
    for (int64_t i = 0; i < n && !st; i++) {
        if (!arg_valid(s, i) || !arg_valid(p, i) || (esc && !arg_valid(esc, i))) {
            nl_builder_append_null(bld);
            continue;
        }
        like_pat lp = {.ci = e->ilike};
        int32_t sl;
        const char *sv = nl_array_str(s->arr, s->scalar ? 0 : i, &sl);
        lp.p = nl_array_str(p->arr, p->scalar ? 0 : i, &lp.len);
        if (esc) {
            int32_t el;
            const char *ec = nl_array_str(esc->arr, esc->scalar ? 0 : i, &el);
            if (el > 1) {
                st = nl_error_set(err, NL_EINVAL, "LIKE ESCAPE must be one character, not '%.*s'", el, ec);
                break;
            }
            lp.esc = el ? ec[0] : 0;
        }
        if (lp.ci) {
            size_t need = (size_t)(sl > lp.len ? sl : lp.len) * 2 + 4;
            if (need > cap) {
                char *a = nl_realloc(ls, need), *b2 = a ? nl_realloc(lpt, need) : NULL;
                if (a) ls = a;
                if (b2) lpt = b2;
                if (!a || !b2) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory");
                    break;
                }
                cap = need;
            }
            sl = fn_utf8_case(sv, sl, false, ls);
            sv = ls;
            lp.len = fn_utf8_case(lp.p, lp.len, false, lpt);
            lp.p = lpt;
        }
        nl_builder_append_bool(bld, like_match(&lp, 0, sv, sl, 0) != e->negated);
    }
    nl_free(ls);
    nl_free(lpt);
    if (!st) st = nl_builder_finish(bld, res, err);
    nl_builder_free(bld);
    return st;
}

static nl_status like_kernel(const pl_expr *e, const fn_arg *s, const fn_arg *p, const fn_arg *esc,
                             int64_t n, nl_array **res, nl_error *err) {
    if (!p->scalar || (esc && !esc->scalar)) return like_rows(e, s, p, esc, n, res, err);
    fn_arg args[3] = {*s, *p, esc ? *esc : *p};
    nl_buffer *validity;
    bool all_null;
    NL_TRY(exec_validity_and(args, esc ? 3 : 2, n, &validity, &all_null, err));
    if (all_null) {
        nl_buffer_unref(validity);
        return nl_array_new_nulls(nl_type_get(NL_TYPE_BOOL), n, res, err);
    }
    like_pat lp = {.ci = e->ilike};
    lp.p = nl_array_str(p->arr, 0, &lp.len);
    if (esc) {
        int32_t el;
        const char *ec = nl_array_str(esc->arr, 0, &el);
        if (el > 1) {
            nl_buffer_unref(validity);
            return nl_error_set(err, NL_EINVAL, "LIKE ESCAPE must be one character, not '%.*s'", el, ec);
        }
        lp.esc = el ? ec[0] : 0;
    }
    /* ILIKE beyond ASCII: match lower-cased copies of the pattern and the row */
    char *lpat = NULL, *lrow = NULL;
    size_t lrow_cap = 0;
    bool ci_utf8 = false;
    if (lp.ci) {
        for (int32_t k = 0; k < lp.len && !ci_utf8; k++) ci_utf8 = (unsigned char)lp.p[k] >= 0x80;
        const nl_array *x = s->arr;
        if (!ci_utf8 && x->data)
            for (int64_t k = 0; k < x->data->size && !ci_utf8; k++) ci_utf8 = x->data->data[k] >= 0x80;
        if (ci_utf8) {
            lpat = nl_malloc((size_t)lp.len * 2 + 4);
            if (!lpat) {
                nl_buffer_unref(validity);
                return nl_error_set(err, NL_ENOMEM, "out of memory");
            }
            lp.len = fn_utf8_case(lp.p, lp.len, false, lpat);
            lp.p = lpat;
        }
    }
    like_plan pl;
    like_prepare(&lp, &pl);
    nl_buffer *vals = bits_new(n, false);
    if (!vals) {
        nl_buffer_unref(validity);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    uint8_t *out = vals->data;
    const nl_array *x = s->arr;
    int64_t sx = s->scalar ? 0 : 1;
    const int32_t *xo = (const int32_t *)x->values->data + x->offset;
    const char *xd = (const char *)x->data->data;
    bool neg = e->negated;
    if (ci_utf8) {
        nl_status st = NL_OK;
        for (int64_t i = 0; i < n; i++) {
            const char *r = xd + xo[i * sx];
            int32_t rl = xo[i * sx + 1] - xo[i * sx];
            if ((size_t)rl * 2 + 4 > lrow_cap) {
                char *nr = nl_realloc(lrow, (size_t)rl * 2 + 4);
                if (!nr) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory");
                    break;
                }
                lrow = nr;
                lrow_cap = (size_t)rl * 2 + 4;
            }
            rl = fn_utf8_case(r, rl, false, lrow);
            if (like_match(&lp, 0, lrow, rl, 0) != neg) nl_bit_set(out, i);
        }
        nl_free(lpat);
        nl_free(lrow);
        if (st) {
            nl_buffer_unref(validity);
            nl_buffer_unref(vals);
            return st;
        }
    } else if (pl.simple) {
        PACK_LOOP(like_simple(&pl, xd + xo[i * sx], xo[i * sx + 1] - xo[i * sx]) != neg);
    } else {
        PACK_LOOP(like_match(&lp, 0, xd + xo[i * sx], xo[i * sx + 1] - xo[i * sx], 0) != neg);
    }
    return exec_make_array(nl_type_get(NL_TYPE_BOOL), n, validity, vals, NULL, res, err);
}

/* ---- CASE ---- */

static nl_status gather_choice(nl_type *type, fn_arg *vals, int32_t k, const int32_t *choice,
                               int64_t n, nl_array **res, nl_error *err) {
    int w = nl_type_byte_width(type->id);
    if (w > 0) {
        nl_buffer *out, *valid = bits_new(n, true);
        NL_CHECK_ALLOC(valid, err);
        nl_status st = exec_alloc_fixed(type, n, &out, err);
        if (st) {
            nl_buffer_unref(valid);
            return st;
        }
        bool any_null = false;
        for (int64_t i = 0; i < n; i++) {
            const fn_arg *a = &vals[choice[i]];
            int64_t j = a->scalar ? 0 : i;
            if (!arg_valid(a, i)) {
                nl_bit_clear(valid->data, i);
                any_null = true;
                continue;
            }
            memcpy(out->data + i * w, a->arr->values->data + (a->arr->offset + j) * w, (size_t)w);
        }
        if (!any_null) {
            nl_buffer_unref(valid);
            valid = NULL;
        }
        return exec_make_array(type, n, valid, out, NULL, res, err);
    }
    nl_builder *b = nl_builder_new(type, n);
    NL_CHECK_ALLOC(b, err);
    for (int64_t i = 0; i < n; i++) {
        const fn_arg *a = &vals[choice[i]];
        if (!arg_valid(a, i)) nl_builder_append_null(b);
        else nl_builder_append_from(b, a->arr, a->scalar ? 0 : i);
    }
    (void)k;
    nl_status st = nl_builder_finish(b, res, err);
    nl_builder_free(b);
    return st;
}

/* ---- the evaluator ---- */

static nl_status eval_rec(const pl_expr *e, nl_batch *in, fn_arg *out, nl_error *err);

static nl_status scalar_to_array(const nl_scalar *s, nl_type *type, nl_array **out, nl_error *err) {
    nl_type *t = type ? type : s->type;
    if (!t) t = nl_type_get(NL_TYPE_NULL);
    if (s->is_null || !s->type) return nl_array_new_nulls(t, 1, out, err);
    nl_builder *b = nl_builder_new(t, 1);
    NL_CHECK_ALLOC(b, err);
    switch (t->id) {
    case NL_TYPE_BOOL: nl_builder_append_bool(b, s->v.b); break;
    case NL_TYPE_UINT8:
    case NL_TYPE_UINT16:
    case NL_TYPE_UINT32:
    case NL_TYPE_UINT64: nl_builder_append_uint(b, s->v.u); break;
    case NL_TYPE_FLOAT32:
    case NL_TYPE_FLOAT64: nl_builder_append_double(b, s->v.d); break;
    case NL_TYPE_DECIMAL128: nl_builder_append_decimal(b, s->v.dec); break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: nl_builder_append_string(b, s->v.str.ptr, s->v.str.len); break;
    case NL_TYPE_NULL: nl_builder_append_null(b); break;
    default: nl_builder_append_int(b, s->v.i); break;
    }
    nl_status st = nl_builder_finish(b, out, err);
    nl_builder_free(b);
    return st;
}

static nl_status eval_args(const pl_expr *e, nl_batch *in, fn_arg *args, nl_error *err) {
    for (int32_t i = 0; i < e->n_args; i++) {
        nl_status st = eval_rec(e->args[i], in, &args[i], err);
        if (st) {
            for (int32_t k = 0; k < i; k++) arg_free(&args[k]);
            return st;
        }
    }
    return NL_OK;
}

#define MAX_ARGS 64

static nl_status eval_rec(const pl_expr *e, nl_batch *in, fn_arg *out, nl_error *err) {
    int64_t n = in ? in->num_rows : 1;
    out->scalar = false;
    out->arr = NULL;
    switch (e->kind) {
    case PL_COL:
        if (!in || e->pos < 0 || e->pos >= in->n_columns)
            return nl_error_set(err, NL_EINTERNAL, "column #%d is not bound to its input", e->id);
        out->arr = nl_array_ref(in->columns[e->pos]);
        return NL_OK;
    case PL_LIT:
        out->scalar = true;
        return scalar_to_array(&e->lit, e->type, &out->arr, err);
    default: break;
    }
    if (e->n_args > MAX_ARGS)
        return nl_error_set(err, NL_ENOTSUP, "more than %d arguments", MAX_ARGS);
    fn_arg args[MAX_ARGS];
    NL_TRY(eval_args(e, in, args, err));
    bool all_scalar = true;
    for (int32_t i = 0; i < e->n_args; i++) all_scalar &= args[i].scalar;
    int64_t rows = all_scalar ? 1 : n;
    nl_status st = NL_OK;
    switch (e->kind) {
    case PL_CAST:
        st = nl_cast(args[0].arr, e->type, e->try_cast ? NL_CAST_TRY : NL_CAST_STRICT, &out->arr, err);
        out->scalar = args[0].scalar;
        break;
    case PL_CMP:
        if (e->op >= PL_DISTINCT) {
            /* IS [NOT] DISTINCT FROM: nulls compare equal */
            nl_array *eq;
            st = cmp_kernel(PL_EQ, &args[0], &args[1], rows, &eq, err);
            if (st) break;
            uint8_t *t = nl_malloc((size_t)rows + 1);
            if (!t) {
                nl_array_unref(eq);
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                break;
            }
            for (int64_t i = 0; i < rows; i++) {
                bool va = arg_valid(&args[0], i), vb = arg_valid(&args[1], i);
                bool same = (!va && !vb) || (va && vb && nl_array_bool(eq, i));
                t[i] = (uint8_t)(e->op == PL_NOT_DISTINCT ? same : !same);
            }
            nl_array_unref(eq);
            st = tri_to_array(t, rows, &out->arr, err);
            nl_free(t);
        } else {
            st = cmp_kernel(e->op, &args[0], &args[1], rows, &out->arr, err);
        }
        out->scalar = all_scalar;
        break;
    case PL_ARITH:
        st = arith_kernel(e->op, e->type, &args[0], &args[1], rows, &out->arr, err);
        out->scalar = all_scalar;
        break;
    case PL_NEG: {
        fn_arg zero = {0};
        nl_scalar z = {.type = e->type};
        st = scalar_to_array(&z, e->type, &zero.arr, err);
        if (st) break;
        zero.scalar = true;
        st = arith_kernel(PL_SUB, e->type, &zero, &args[0], rows, &out->arr, err);
        arg_free(&zero);
        out->scalar = all_scalar;
        break;
    }
    case PL_AND:
    case PL_OR:
    case PL_NOT: {
        if (!all_scalar && logic_plain(args, e->n_args)) {
            st = logic_bits(e->kind, args, e->n_args, rows, &out->arr, err);
            out->scalar = false;
            break;
        }
        uint8_t *t = nl_malloc((size_t)rows + 1);
        if (!t) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        if (e->kind == PL_NOT) {
            for (int64_t i = 0; i < rows; i++) {
                uint8_t v = tri(&args[0], i);
                t[i] = v == 2 ? 2 : (uint8_t)!v;
            }
        } else {
            bool is_and = e->kind == PL_AND;
            for (int64_t i = 0; i < rows; i++) {
                uint8_t acc = is_and ? 1 : 0;
                for (int32_t k = 0; k < e->n_args; k++) {
                    uint8_t v = tri(&args[k], i);
                    if (is_and) {
                        if (v == 0) {
                            acc = 0;
                            break;
                        }
                        if (v == 2) acc = 2;
                    } else {
                        if (v == 1) {
                            acc = 1;
                            break;
                        }
                        if (v == 2) acc = 2;
                    }
                }
                t[i] = acc;
            }
        }
        st = tri_to_array(t, rows, &out->arr, err);
        nl_free(t);
        out->scalar = all_scalar;
        break;
    }
    case PL_IS_NULL: {
        uint8_t *t = nl_malloc((size_t)rows + 1);
        if (!t) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        for (int64_t i = 0; i < rows; i++) t[i] = (uint8_t)(arg_valid(&args[0], i) == e->negated);
        st = tri_to_array(t, rows, &out->arr, err);
        nl_free(t);
        out->scalar = all_scalar;
        break;
    }
    case PL_LIKE:
        st = like_kernel(e, &args[0], &args[1], e->n_args > 2 ? &args[2] : NULL, rows, &out->arr, err);
        out->scalar = all_scalar;
        break;
    case PL_CASE: {
        int32_t *choice = nl_malloc(sizeof(int32_t) * (size_t)(rows + 1));
        fn_arg vals[MAX_ARGS];
        int32_t k = 0;
        if (!choice) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        int32_t n_when = (e->n_args - 1) / 2;
        for (int64_t i = 0; i < rows; i++) {
            choice[i] = n_when;
            for (int32_t w = 0; w < n_when; w++) {
                if (tri(&args[2 * w], i) == 1) {
                    choice[i] = w;
                    break;
                }
            }
        }
        for (int32_t w = 0; w < n_when; w++) vals[k++] = args[2 * w + 1];
        vals[k++] = args[e->n_args - 1];
        st = gather_choice(e->type, vals, k, choice, rows, &out->arr, err);
        nl_free(choice);
        out->scalar = all_scalar;
        break;
    }
    case PL_CALL: {
        st = fn_eval(e->fn, args, e->n_args, rows, e->type, out, err);
        break;
    }
    default:
        st = nl_error_set(err, NL_EINTERNAL, "expression kind %d cannot be evaluated", e->kind);
        break;
    }
    for (int32_t i = 0; i < e->n_args; i++) arg_free(&args[i]);
    return st;
}

nl_status exec_eval_arg(const pl_expr *e, nl_batch *in, fn_arg *out, nl_error *err) {
    return eval_rec(e, in, out, err);
}

nl_status exec_eval(const pl_expr *e, nl_batch *in, nl_array **out, nl_error *err) {
    fn_arg a;
    NL_TRY(eval_rec(e, in, &a, err));
    if (!a.scalar || (in && in->num_rows == 1 && a.arr->length == 1)) {
        *out = a.arr;
        return NL_OK;
    }
    nl_status st = exec_broadcast(&a, in ? in->num_rows : 1, out, err);
    arg_free(&a);
    return st;
}

nl_status exec_eval_const(const pl_expr *e, nl_scalar *out, nl_error *err) {
    fn_arg a;
    NL_TRY(eval_rec(e, NULL, &a, err));
    nl_status st = nl_scalar_from_array(a.arr, 0, out, err);
    if (st == NL_OK && !out->type) *out = nl_scalar_null(a.arr->type);
    arg_free(&a);
    return st;
}

/* The rows whose byte in `keep` is set, as a new batch (shares `in` when all
 * are). Columns `need` leaves false are not copied: they become a view of
 * the right length over the input, which the caller promised not to read. */
static nl_status filter_by_keep(nl_batch *in, const uint8_t *keep, int64_t k, const bool *need,
                                nl_batch **out, nl_error *err) {
    int64_t n = in->num_rows;
    if (k == n) {
        *out = nl_batch_ref(in);
        return NL_OK;
    }
    if (k == 0) {
        *out = nl_batch_slice(in, 0, 0);
        return *out ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    int64_t *idx = nl_malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    NL_CHECK_ALLOC(idx, err);
    int64_t j = 0;
    for (int64_t i = 0; i < n; i++) {
        idx[j] = i;
        j += keep[i];
    }
    nl_status st = NL_OK;
    nl_array **cols = nl_calloc((size_t)(in->n_columns ? in->n_columns : 1), sizeof(nl_array *));
    if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t c = 0; st == NL_OK && c < in->n_columns; c++) {
        if (need && !need[c]) {
            cols[c] = nl_array_slice(in->columns[c], 0, k);
            if (!cols[c]) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        } else {
            st = nl_array_take(in->columns[c], idx, k, &cols[c], err);
        }
    }
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(in->schema), cols, k, out, err);
    } else if (cols) {
        for (int32_t c = 0; c < in->n_columns; c++) nl_array_unref(cols[c]);
    }
    nl_free(cols);
    nl_free(idx);
    return st;
}

/* keep[i] = the predicate's value is TRUE at row i (ANDed into keep when
 * `and`); returns the rows kept */
static int64_t keep_from_mask(const fn_arg *m, int64_t n, uint8_t *keep, bool and) {
    int64_t k = 0;
    if (m->scalar) {
        uint8_t v = m->arr->type->id == NL_TYPE_BOOL && nl_array_is_valid(m->arr, 0) && nl_array_bool(m->arr, 0);
        for (int64_t i = 0; i < n; i++) {
            keep[i] = and ? keep[i] & v : v;
            k += keep[i];
        }
        return k;
    }
    const nl_array *a = m->arr;
    const uint8_t *v = a->values->data;
    const uint8_t *val = a->validity && a->null_count ? a->validity->data : NULL;
    for (int64_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)nl_bit_get(v, a->offset + i);
        if (val) b &= (uint8_t)nl_bit_get(val, a->offset + i);
        keep[i] = and ? keep[i] & b : b;
        k += keep[i];
    }
    return k;
}

nl_status exec_filter_by_mask(nl_batch *in, const nl_array *mask, nl_batch **out, nl_error *err) {
    int64_t n = in->num_rows;
    uint8_t *keep = nl_malloc((size_t)(n ? n : 1));
    NL_CHECK_ALLOC(keep, err);
    fn_arg m = {.arr = (nl_array *)mask, .scalar = false};
    int64_t k = keep_from_mask(&m, n, keep, false);
    nl_status st = filter_by_keep(in, keep, k, NULL, out, err);
    nl_free(keep);
    return st;
}

void exec_expr_columns(const pl_expr *e, bool *use, int32_t n) {
    if (e->kind == PL_COL && e->pos >= 0 && e->pos < n) use[e->pos] = true;
    for (int32_t i = 0; i < e->n_args; i++) exec_expr_columns(e->args[i], use, n);
}

/* Decimal digits left of the point that a value of the type can have (-1:
 * not a number with a fixed range). */
static int32_t int_digits(const nl_type *t) {
    switch (t->id) {
    case NL_TYPE_INT8: case NL_TYPE_UINT8: return 3;
    case NL_TYPE_INT16: case NL_TYPE_UINT16: return 5;
    case NL_TYPE_INT32: case NL_TYPE_UINT32: return 10;
    case NL_TYPE_INT64: return 19;
    case NL_TYPE_UINT64: return 20;
    case NL_TYPE_DECIMAL128: return t->precision - t->scale;
    default: return -1;
    }
}

static bool is_unsigned(nl_type_id id) { return id >= NL_TYPE_UINT8 && id <= NL_TYPE_UINT64; }

/* A cast that holds every value of its source, so it cannot fail. */
static bool cast_cannot_fail(const nl_type *from, const nl_type *to) {
    if (from->id == to->id && from->id != NL_TYPE_DECIMAL128) return true;
    if (to->id == NL_TYPE_UTF8 || from->id == NL_TYPE_NULL) return true;
    if ((to->id == NL_TYPE_FLOAT64 || to->id == NL_TYPE_FLOAT32) && nl_type_is_numeric(from->id)) return true;
    if (from->id == NL_TYPE_DATE32 && to->id == NL_TYPE_TIMESTAMP) return true;
    int32_t fd = int_digits(from), td = int_digits(to);
    if (fd < 0 || td < fd) return false;
    /* (a decimal cast that drops scale rounds, which can carry past td) */
    if (to->id == NL_TYPE_DECIMAL128) return from->id != NL_TYPE_DECIMAL128 || to->scale >= from->scale;
    if (!nl_type_is_integer(from->id) || !nl_type_is_integer(to->id)) return false;
    if (is_unsigned(from->id) == is_unsigned(to->id)) return true;
    return !is_unsigned(to->id) && td > fd; /* unsigned into a wider signed type */
}

/* Whether evaluating the expression can raise an error on some row (a cast
 * that does not fit, an overflow, a division by zero, a function's bad
 * argument). A filter must not evaluate such a conjunct over rows an earlier
 * conjunct dropped: `s ~ '^[0-9]+$' AND CAST(s AS INT) > 5` must work.
 * Conservative: anything not known to be safe may fail. */
static bool may_fail(const pl_expr *e) {
    switch (e->kind) {
    case PL_COL:
    case PL_LIT: return false;
    case PL_CAST:
        if (!e->try_cast && !cast_cannot_fail(e->args[0]->type, e->type)) return true;
        break;
    case PL_ARITH:
    case PL_NEG:
        /* floating point gives inf or NaN rather than failing */
        if (e->type->id != NL_TYPE_FLOAT64 && e->type->id != NL_TYPE_FLOAT32) return true;
        break;
    case PL_LIKE:
        /* a pattern that is not a constant is checked row by row */
        for (int32_t i = 1; i < e->n_args; i++)
            if (e->args[i]->kind != PL_LIT) return true;
        break;
    case PL_CALL: return true;
    case PL_AND:
    case PL_OR:
    case PL_NOT:
    case PL_CMP:
    case PL_IS_NULL:
    case PL_CASE:
    case PL_IN_LIST: break;
    }
    for (int32_t i = 0; i < e->n_args; i++)
        if (may_fail(e->args[i])) return true;
    return false;
}

nl_status exec_filter_batch(const pl_expr *pred, nl_batch *in, const bool *need, nl_batch **out,
                            nl_error *err) {
    /* Conjuncts one at a time, so that later (often more expensive) ones see
     * fewer rows; but the batch is compacted only when a conjunct has
     * dropped at least half of it, or before a conjunct that may fail
     * (may_fail): copying every column costs more than evaluating a cheap
     * conjunct over rows already known to fail. */
    const pl_expr *one[1] = {pred};
    const pl_expr *const *conj = pred->kind == PL_AND ? (const pl_expr *const *)pred->args : one;
    int32_t n_conj = pred->kind == PL_AND ? pred->n_args : 1;
    nl_batch *cur = nl_batch_ref(in);
    uint8_t *keep = NULL;
    bool *use = NULL;
    bool have = false; /* keep holds a pending selection over cur */
    int64_t k = cur->num_rows;
    nl_status st = NL_OK;
    for (int32_t i = 0; i < n_conj && st == NL_OK; i++) {
        int64_t n = cur->num_rows;
        fn_arg m;
        st = eval_rec(conj[i], cur, &m, err);
        if (st) break;
        if (!keep) {
            keep = nl_malloc((size_t)(in->num_rows ? in->num_rows : 1));
            if (!keep) {
                arg_free(&m);
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                break;
            }
        }
        k = keep_from_mask(&m, n, keep, have);
        arg_free(&m);
        have = true;
        if (k == 0 || i + 1 == n_conj) break;
        if (k * 2 > n && (k == n || !may_fail(conj[i + 1]))) continue;
        /* compact now: the columns the remaining conjuncts or the consumer read */
        const bool *cols_need = NULL;
        if (need) {
            if (!use) use = nl_malloc(sizeof(bool) * (size_t)(cur->n_columns ? cur->n_columns : 1));
            if (!use) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                break;
            }
            memcpy(use, need, sizeof(bool) * (size_t)cur->n_columns);
            for (int32_t r = i + 1; r < n_conj; r++) exec_expr_columns(conj[r], use, cur->n_columns);
            cols_need = use;
        }
        nl_batch *next = NULL;
        st = filter_by_keep(cur, keep, k, cols_need, &next, err);
        nl_batch_unref(cur);
        cur = next;
        have = false;
    }
    if (st == NL_OK) {
        if (have) st = filter_by_keep(cur, keep, k, need, out, err);
        else *out = nl_batch_ref(cur);
    }
    nl_batch_unref(cur);
    nl_free(keep);
    nl_free(use);
    return st;
}
