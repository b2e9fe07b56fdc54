/*
 * filter.c -- filters: binding public terms to typed filter sets, evaluating
 * them on batches, and pruning partitions with them.
 *
 * A filter set is an OR of ANDs of (column, op, value). Evaluation follows
 * SQL: a null cell satisfies only "is null" (so `x != 1` is false on a null x,
 * and `x not in (1, NULL)` is false when x is not 1), which keeps the public
 * scan and the SQL engine in agreement on which rows a pushed filter keeps.
 */
#include "catalog/filter.h"

#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

/* ---- operators and filter sets (provider.h) ---- */

static const char *const OP_NAMES[] = {
    [NL_OP_EQ] = "=",
    [NL_OP_NE] = "!=",
    [NL_OP_LT] = "<",
    [NL_OP_LE] = "<=",
    [NL_OP_GT] = ">",
    [NL_OP_GE] = ">=",
    [NL_OP_IN] = "in",
    [NL_OP_NOT_IN] = "not in",
    [NL_OP_CONTAINS] = "contains",
    [NL_OP_INCLUDES] = "includes",
    [NL_OP_INCLUDES_ANY] = "includes any",
    [NL_OP_INCLUDES_ALL] = "includes all",
    [NL_OP_IS_NULL] = "is null",
    [NL_OP_IS_NOT_NULL] = "is not null",
};
#define N_OPS ((int)(sizeof OP_NAMES / sizeof OP_NAMES[0]))

const char *nl_filter_op_name(nl_filter_op op) {
    if ((int)op < 0 || (int)op >= N_OPS) return "?";
    return OP_NAMES[op];
}

int nl_filter_op_parse(const char *name) {
    if (!name) return -1;
    /* Normalise: lower case, runs of spaces or underscores become one space. */
    char buf[32];
    size_t n = 0;
    const char *p = name;
    while (*p == ' ') p++;
    for (; *p && n + 1 < sizeof buf; p++) {
        char c = *p;
        if (c == '_' || c == ' ') {
            if (n > 0 && buf[n - 1] != ' ') buf[n++] = ' ';
            continue;
        }
        buf[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    if (*p) return -1;
    while (n > 0 && buf[n - 1] == ' ') n--;
    buf[n] = '\0';
    if (strcmp(buf, "==") == 0) return NL_OP_EQ;
    if (strcmp(buf, "<>") == 0) return NL_OP_NE;
    for (int i = 0; i < N_OPS; i++)
        if (strcmp(buf, OP_NAMES[i]) == 0) return i;
    return -1;
}

void nl_filter_set_clear(nl_filter_set *set) {
    if (!set) return;
    for (int32_t a = 0; a < set->n; a++) {
        nl_filter_and *and = &set->ands[a];
        for (int32_t f = 0; f < and->n; f++) {
            nl_free(and->filters[f].column);
            nl_scalar_clear(&and->filters[f].value);
        }
        nl_free(and->filters);
    }
    nl_free(set->ands);
    set->ands = NULL;
    set->n = 0;
}

nl_status nl_filter_set_copy(nl_filter_set *dst, const nl_filter_set *src, nl_error *err) {
    memset(dst, 0, sizeof *dst);
    if (!src || src->n == 0) return NL_OK;
    dst->ands = nl_calloc((size_t)src->n, sizeof *dst->ands);
    NL_CHECK_ALLOC(dst->ands, err);
    dst->n = src->n;
    for (int32_t a = 0; a < src->n; a++) {
        const nl_filter_and *s = &src->ands[a];
        nl_filter_and *d = &dst->ands[a];
        if (s->n == 0) continue;
        d->filters = nl_calloc((size_t)s->n, sizeof *d->filters);
        if (!d->filters) goto oom;
        for (int32_t f = 0; f < s->n; f++) {
            d->filters[f].column = nl_strdup(s->filters[f].column);
            if (!d->filters[f].column) goto oom;
            d->filters[f].op = s->filters[f].op;
            d->filters[f].value = nl_scalar_copy(&s->filters[f].value);
            d->n = f + 1;
        }
    }
    return NL_OK;
oom:
    nl_filter_set_clear(dst);
    return nl_error_set(err, NL_ENOMEM, "out of memory copying a filter");
}

/* ---- values to scalars ---- */

static bool int_fits(nl_type_id id, int64_t v) {
    switch (id) {
    case NL_TYPE_INT8: return v >= INT8_MIN && v <= INT8_MAX;
    case NL_TYPE_INT16: return v >= INT16_MIN && v <= INT16_MAX;
    case NL_TYPE_INT32: return v >= INT32_MIN && v <= INT32_MAX;
    case NL_TYPE_UINT8: return v >= 0 && v <= UINT8_MAX;
    case NL_TYPE_UINT16: return v >= 0 && v <= UINT16_MAX;
    case NL_TYPE_UINT32: return v >= 0 && v <= (int64_t)UINT32_MAX;
    case NL_TYPE_UINT64: return v >= 0;
    default: return true;
    }
}

static const char *kind_name(nl_value_kind k) {
    switch (k) {
    case NL_VALUE_NONE: return "no value";
    case NL_VALUE_NULL: return "null";
    case NL_VALUE_BOOL: return "a boolean";
    case NL_VALUE_INT: return "an integer";
    case NL_VALUE_DOUBLE: return "a number";
    case NL_VALUE_STRING: return "a string";
    case NL_VALUE_LIST: return "a list";
    }
    return "a value";
}

static bool is_intlike(nl_type_id id) {
    return nl_type_is_integer(id) || id == NL_TYPE_DATE32 || id == NL_TYPE_TIME64 ||
           id == NL_TYPE_TIMESTAMP || id == NL_TYPE_DURATION;
}

nl_status cat_value_to_scalar(const nl_value *v, nl_type *type, nl_scalar *out, nl_error *err) {
    char tname[64];
    nl_type_id id = type->id;
    switch (v->kind) {
    case NL_VALUE_NULL: *out = nl_scalar_null(type); return NL_OK;
    case NL_VALUE_BOOL:
        if (id == NL_TYPE_BOOL) { *out = nl_scalar_bool(v->b); return NL_OK; }
        break;
    case NL_VALUE_INT:
        if (nl_type_is_integer(id)) {
            if (!int_fits(id, v->i))
                return nl_error_set(err, NL_EOVERFLOW, "%lld does not fit %s", (long long)v->i,
                                    nl_type_name(type, tname, sizeof tname));
            *out = nl_scalar_of(type, v->i);
            return NL_OK;
        }
        if (nl_type_is_floating(id)) { *out = nl_scalar_double((double)v->i); return NL_OK; }
        if (id == NL_TYPE_DECIMAL128) {
            __int128 u = v->i;
            __int128 lim = 1;
            for (int32_t s = 0; s < type->scale; s++) u *= 10;
            for (int32_t p = 0; p < type->precision; p++) lim *= 10;
            if (u >= lim || u <= -lim)
                return nl_error_set(err, NL_EOVERFLOW, "%lld does not fit %s", (long long)v->i,
                                    nl_type_name(type, tname, sizeof tname));
            *out = nl_scalar_decimal(u, type->precision, type->scale);
            return NL_OK;
        }
        if (is_intlike(id)) { *out = nl_scalar_of(type, v->i); return NL_OK; }
        break;
    case NL_VALUE_DOUBLE:
        if (nl_type_is_floating(id) || id == NL_TYPE_DECIMAL128 || nl_type_is_integer(id)) {
            /* Kept as a double: `int_col > 2.5` compares exactly across types. */
            *out = nl_scalar_double(v->d);
            return NL_OK;
        }
        break;
    case NL_VALUE_STRING: {
        const char *s = v->s ? v->s : "";
        size_t len = strlen(s);
        bool ok = false;
        if (nl_type_is_string_like(id)) {
            *out = nl_scalar_string(s, (int64_t)len);
            return NL_OK;
        } else if (nl_type_is_signed_integer(id) || id == NL_TYPE_TIME64 || id == NL_TYPE_DURATION) {
            int64_t i;
            ok = nl_parse_int64(s, len, &i) && int_fits(id, i);
            if (ok) *out = nl_scalar_of(type, i);
        } else if (nl_type_is_unsigned_integer(id)) {
            uint64_t u;
            ok = nl_parse_uint64(s, len, &u) && (id == NL_TYPE_UINT64 || int_fits(id, (int64_t)u));
            if (ok) { *out = nl_scalar_of(type, 0); out->v.u = u; }
        } else if (nl_type_is_floating(id)) {
            double d;
            ok = nl_parse_double(s, len, &d);
            if (ok) *out = nl_scalar_double(d);
        } else if (id == NL_TYPE_DECIMAL128) {
            __int128 d;
            ok = nl_parse_decimal(s, len, type->precision, type->scale, &d);
            if (ok) *out = nl_scalar_decimal(d, type->precision, type->scale);
        } else if (id == NL_TYPE_DATE32) {
            int32_t days;
            ok = nl_parse_date(s, len, &days);
            if (ok) *out = nl_scalar_date(days);
        } else if (id == NL_TYPE_TIMESTAMP) {
            int64_t t;
            ok = nl_parse_timestamp(s, len, type->unit, &t);
            if (ok) *out = nl_scalar_timestamp(t, type->unit, type->timezone);
        } else if (id == NL_TYPE_BOOL) {
            bool b;
            ok = nl_parse_bool(s, len, &b);
            if (ok) *out = nl_scalar_bool(b);
        } else {
            break;
        }
        if (!ok)
            return nl_error_set(err, NL_ETYPE, "'%s' is not a valid %s", s,
                                nl_type_name(type, tname, sizeof tname));
        return NL_OK;
    }
    case NL_VALUE_NONE:
    case NL_VALUE_LIST: break;
    }
    return nl_error_set(err, NL_ETYPE, "%s cannot be compared with a %s column", kind_name(v->kind),
                        nl_type_name(type, tname, sizeof tname));
}

static void builder_append_scalar(nl_builder *b, const nl_scalar *s) {
    nl_type_id id = s->type ? s->type->id : NL_TYPE_NULL;
    if (s->is_null || id == NL_TYPE_NULL) { nl_builder_append_null(b); return; }
    if (id == NL_TYPE_BOOL) nl_builder_append_bool(b, s->v.b);
    else if (nl_type_is_unsigned_integer(id)) nl_builder_append_uint(b, s->v.u);
    else if (is_intlike(id)) nl_builder_append_int(b, s->v.i);
    else if (nl_type_is_floating(id)) nl_builder_append_double(b, s->v.d);
    else if (id == NL_TYPE_DECIMAL128) nl_builder_append_decimal(b, s->v.dec);
    else if (nl_type_is_string_like(id)) nl_builder_append_string(b, s->v.str.ptr, s->v.str.len);
    else nl_builder_append_null(b);
}

/* A LIST scalar of `item` values from a public list (or a single value). */
static nl_status list_scalar(const nl_value *v, nl_type *item, nl_scalar *out, nl_error *err) {
    const nl_value *items = v->kind == NL_VALUE_LIST ? v->items : v;
    int32_t n = v->kind == NL_VALUE_LIST ? v->n_items : 1;
    if (n < 0 || (n > 0 && !items)) return nl_error_set(err, NL_EINVAL, "malformed list value");
    /* Items that are doubles for an integer column stay doubles: the list
     * then holds doubles, compared across types. */
    nl_type *item_type = item;
    for (int32_t i = 0; i < n; i++)
        if (items[i].kind == NL_VALUE_DOUBLE && !nl_type_is_floating(item->id))
            item_type = nl_type_get(NL_TYPE_FLOAT64);
    nl_builder *b = nl_builder_new(item_type, n);
    NL_CHECK_ALLOC(b, err);
    for (int32_t i = 0; i < n; i++) {
        nl_scalar s = {0};
        nl_status st = cat_value_to_scalar(&items[i], item_type, &s, err);
        if (st != NL_OK) {
            nl_builder_free(b);
            nl_error_prefix(err, "item %d of the list", i + 1);
            return st;
        }
        builder_append_scalar(b, &s);
        nl_scalar_clear(&s);
    }
    nl_array *arr = NULL;
    nl_status st = nl_builder_finish(b, &arr, err);
    nl_builder_free(b);
    NL_TRY(st);
    nl_type *lt = nl_type_list(nl_type_ref(item_type), true);
    if (!lt) {
        nl_array_unref(arr);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    memset(out, 0, sizeof *out);
    out->type = lt;
    out->is_null = false;
    out->v.list = arr;
    return NL_OK;
}

nl_status cat_filter_check(const nl_filter *f, const nl_type *t, nl_error *err) {
    char tname[64];
    nl_type_id id = t->id;
    switch (f->op) {
    case NL_OP_EQ: case NL_OP_NE: case NL_OP_LT: case NL_OP_LE: case NL_OP_GT: case NL_OP_GE:
    case NL_OP_IN: case NL_OP_NOT_IN:
        if (nl_type_is_nested(id))
            return nl_error_set(err, NL_ETYPE, "'%s' does not apply to a %s column (use includes)",
                                nl_filter_op_name(f->op), nl_type_name(t, tname, sizeof tname));
        return NL_OK;
    case NL_OP_CONTAINS:
        if (!nl_type_is_string_like(id))
            return nl_error_set(err, NL_ETYPE, "'contains' needs a string column, not %s",
                                nl_type_name(t, tname, sizeof tname));
        return NL_OK;
    case NL_OP_INCLUDES: case NL_OP_INCLUDES_ANY: case NL_OP_INCLUDES_ALL:
        if (id != NL_TYPE_LIST)
            return nl_error_set(err, NL_ETYPE, "'%s' needs a list column, not %s",
                                nl_filter_op_name(f->op), nl_type_name(t, tname, sizeof tname));
        return NL_OK;
    case NL_OP_IS_NULL: case NL_OP_IS_NOT_NULL: return NL_OK;
    }
    return nl_error_set(err, NL_EINVAL, "unknown filter operator %d", (int)f->op);
}

static nl_status bind_one(const nl_filter_term *t, const nl_schema *schema, nl_filter *f,
                          nl_error *err) {
    int32_t idx = nl_schema_find(schema, t->column);
    if (idx < 0) idx = nl_schema_find_ci(schema, t->column);
    if (idx < 0) {
        char cols[512];
        size_t n = 0;
        cols[0] = '\0';
        for (int32_t i = 0; i < schema->n_fields && n + 2 < sizeof cols; i++) {
            int w = snprintf(cols + n, sizeof cols - n, "%s%s", i ? ", " : "",
                             schema->fields[i].name);
            if (w < 0) break;
            n += (size_t)w;
        }
        return nl_error_set(err, NL_ENOTFOUND, "filter on unknown column '%s' (columns: %s)",
                            t->column, cols);
    }
    int op = nl_filter_op_parse(t->op);
    if (op < 0)
        return nl_error_set(err, NL_EINVAL,
                            "unknown filter operator '%s' on column '%s' (known: =, !=, <, <=, >, "
                            ">=, in, not in, contains, includes, includes any, includes all, "
                            "is null, is not null)",
                            t->op ? t->op : "(null)", t->column);
    const nl_field *field = &schema->fields[idx];
    f->op = (nl_filter_op)op;
    NL_TRY(cat_filter_check(f, field->type, err));
    nl_status st = NL_OK;
    switch (f->op) {
    case NL_OP_IS_NULL: case NL_OP_IS_NOT_NULL:
        f->value = nl_scalar_null(nl_type_get(NL_TYPE_NULL));
        break;
    case NL_OP_IN: case NL_OP_NOT_IN: st = list_scalar(&t->value, field->type, &f->value, err); break;
    case NL_OP_INCLUDES_ANY: case NL_OP_INCLUDES_ALL:
        st = list_scalar(&t->value, field->type->children[0].type, &f->value, err);
        break;
    case NL_OP_INCLUDES:
        st = cat_value_to_scalar(&t->value, field->type->children[0].type, &f->value, err);
        break;
    case NL_OP_CONTAINS:
        if (t->value.kind != NL_VALUE_STRING)
            st = nl_error_set(err, NL_ETYPE, "'contains' needs a string value, not %s",
                              kind_name(t->value.kind));
        else
            st = cat_value_to_scalar(&t->value, field->type, &f->value, err);
        break;
    default:
        if (t->value.kind == NL_VALUE_LIST)
            st = nl_error_set(err, NL_ETYPE, "'%s' needs a single value, not a list (use in)",
                              nl_filter_op_name(f->op));
        else
            st = cat_value_to_scalar(&t->value, field->type, &f->value, err);
        break;
    }
    if (st != NL_OK) return st;
    f->column = nl_strdup(field->name);
    if (!f->column) {
        nl_scalar_clear(&f->value);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    return NL_OK;
}

static bool is_or(const nl_filter_term *t) {
    return t->column == NULL && t->op != NULL && strcasecmp(t->op, "or") == 0;
}
static bool is_end(const nl_filter_term *t) { return t->column == NULL && t->op == NULL; }

nl_status cat_filter_bind(const nl_filter_term *terms, const nl_schema *schema, nl_filter_set *out,
                          nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!terms || is_end(terms)) return NL_OK;
    int32_t n_ands = 1;
    for (const nl_filter_term *t = terms; !is_end(t); t++) {
        if (is_or(t)) n_ands++;
        else if (!t->column)
            return nl_error_set(err, NL_EINVAL, "filter term %d has no column",
                                (int)(t - terms) + 1);
    }
    out->ands = nl_calloc((size_t)n_ands, sizeof *out->ands);
    NL_CHECK_ALLOC(out->ands, err);
    out->n = n_ands;
    const nl_filter_term *t = terms;
    for (int32_t a = 0; a < n_ands; a++) {
        int32_t count = 0;
        for (const nl_filter_term *u = t; !is_end(u) && !is_or(u); u++) count++;
        if (count == 0) {
            nl_filter_set_clear(out);
            return nl_error_set(err, NL_EINVAL, "empty conjunction in filter (an OR with nothing on one side)");
        }
        nl_filter_and *and = &out->ands[a];
        and->filters = nl_calloc((size_t)count, sizeof *and->filters);
        if (!and->filters) {
            nl_filter_set_clear(out);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        for (int32_t i = 0; i < count; i++, t++) {
            nl_status st = bind_one(t, schema, &and->filters[i], err);
            if (st != NL_OK) {
                nl_filter_set_clear(out);
                nl_error_prefix(err, "filter on '%s'", t->column);
                return st;
            }
            and->n = i + 1;
        }
        if (is_or(t)) t++;
    }
    return NL_OK;
}

/* ---- evaluation ---- */

/* A borrowed view of element i as a scalar (strings point into the array and
 * are not NUL-terminated; never nl_scalar_clear a view). */
static void cell_view(const nl_array *a, int64_t i, nl_scalar *s) {
    memset(s, 0, sizeof *s);
    s->type = a->type;
    s->is_null = nl_array_is_null(a, i);
    if (s->is_null) return;
    int64_t p = a->offset + i;
    const uint8_t *d = a->values ? a->values->data : NULL;
    switch (a->type->id) {
    case NL_TYPE_BOOL: s->v.b = nl_array_bool(a, i); break;
    case NL_TYPE_INT8: s->v.i = ((const int8_t *)d)[p]; break;
    case NL_TYPE_INT16: s->v.i = ((const int16_t *)d)[p]; break;
    case NL_TYPE_INT32: case NL_TYPE_DATE32: s->v.i = ((const int32_t *)d)[p]; break;
    case NL_TYPE_INT64: case NL_TYPE_TIME64: case NL_TYPE_TIMESTAMP: case NL_TYPE_DURATION:
        s->v.i = ((const int64_t *)d)[p];
        break;
    case NL_TYPE_UINT8: s->v.u = ((const uint8_t *)d)[p]; break;
    case NL_TYPE_UINT16: s->v.u = ((const uint16_t *)d)[p]; break;
    case NL_TYPE_UINT32: s->v.u = ((const uint32_t *)d)[p]; break;
    case NL_TYPE_UINT64: s->v.u = ((const uint64_t *)d)[p]; break;
    case NL_TYPE_FLOAT32: s->v.d = ((const float *)d)[p]; break;
    case NL_TYPE_FLOAT64: s->v.d = ((const double *)d)[p]; break;
    case NL_TYPE_DECIMAL128: s->v.dec = nl_array_decimal(a, i); break;
    case NL_TYPE_UTF8: case NL_TYPE_BINARY: {
        int32_t len;
        s->v.str.ptr = (char *)nl_array_str(a, i, &len);
        s->v.str.len = len;
        break;
    }
    default: s->is_null = true; break; /* nested values are not compared */
    }
}

static int view_cmp(const nl_scalar *x, const nl_scalar *y, bool *ok) {
    nl_type_id a = x->type->id, b = y->type->id;
    *ok = true;
    if (nl_type_is_string_like(a) && nl_type_is_string_like(b)) {
        int64_t n = x->v.str.len < y->v.str.len ? x->v.str.len : y->v.str.len;
        int c = n > 0 ? memcmp(x->v.str.ptr, y->v.str.ptr, (size_t)n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return (x->v.str.len > y->v.str.len) - (x->v.str.len < y->v.str.len);
    }
    if (a == NL_TYPE_BOOL && b == NL_TYPE_BOOL) return (int)x->v.b - (int)y->v.b;
    if (a == b && is_intlike(a) && !nl_type_is_unsigned_integer(a))
        return (x->v.i > y->v.i) - (x->v.i < y->v.i);
    if (a == b && (a == NL_TYPE_FLOAT64 || a == NL_TYPE_FLOAT32))
        return (x->v.d > y->v.d) - (x->v.d < y->v.d);
    return nl_scalar_compare(x, y, ok);
}

static bool cmp_holds(nl_filter_op op, int c) {
    switch (op) {
    case NL_OP_EQ: return c == 0;
    case NL_OP_NE: return c != 0;
    case NL_OP_LT: return c < 0;
    case NL_OP_LE: return c <= 0;
    case NL_OP_GT: return c > 0;
    case NL_OP_GE: return c >= 0;
    default: return false;
    }
}

#define CMP_LOOP(T, V)                                                                             \
    do {                                                                                           \
        const T *x_ = NL_ARRAY_VALUES(a, T);                                                       \
        const T v_ = (T)(V);                                                                       \
        switch (op) {                                                                              \
        case NL_OP_EQ: for (int64_t i = 0; i < n; i++) m[i] = x_[i] == v_; break;                 \
        case NL_OP_NE: for (int64_t i = 0; i < n; i++) m[i] = x_[i] != v_; break;                 \
        case NL_OP_LT: for (int64_t i = 0; i < n; i++) m[i] = x_[i] < v_; break;                  \
        case NL_OP_LE: for (int64_t i = 0; i < n; i++) m[i] = x_[i] <= v_; break;                 \
        case NL_OP_GT: for (int64_t i = 0; i < n; i++) m[i] = x_[i] > v_; break;                  \
        default: for (int64_t i = 0; i < n; i++) m[i] = x_[i] >= v_; break;                       \
        }                                                                                          \
    } while (0)

/* Fast paths for the common comparisons; false when none applies. */
static bool eval_fast(nl_filter_op op, const nl_array *a, const nl_scalar *v, uint8_t *m) {
    int64_t n = a->length;
    if (op > NL_OP_GE || v->is_null || !v->type || v->type->id != a->type->id) return false;
    switch (a->type->id) {
    case NL_TYPE_INT64: CMP_LOOP(int64_t, v->v.i); break;
    case NL_TYPE_INT32: case NL_TYPE_DATE32: CMP_LOOP(int32_t, v->v.i); break;
    case NL_TYPE_FLOAT64: CMP_LOOP(double, v->v.d); break;
    case NL_TYPE_TIMESTAMP: case NL_TYPE_TIME64: case NL_TYPE_DURATION:
        if (v->type->unit != a->type->unit) return false;
        CMP_LOOP(int64_t, v->v.i);
        break;
    case NL_TYPE_DECIMAL128:
        /* Same scale: the unscaled integers compare as the numbers do. */
        if (v->type->scale != a->type->scale) return false;
        CMP_LOOP(__int128, v->v.dec);
        break;
    case NL_TYPE_UTF8: {
        if (op != NL_OP_EQ && op != NL_OP_NE) return false;
        const int32_t *offs = (const int32_t *)a->values->data + a->offset;
        const uint8_t *data = a->data ? a->data->data : NULL;
        const int64_t len = v->v.str.len;
        const uint8_t want = op == NL_OP_EQ;
        for (int64_t i = 0; i < n; i++) {
            int64_t l = offs[i + 1] - offs[i];
            bool eq = l == len && (len == 0 || memcmp(data + offs[i], v->v.str.ptr, (size_t)len) == 0);
            m[i] = eq ? want : (uint8_t)!want;
        }
        break;
    }
    default: return false;
    }
    if (a->null_count > 0)
        for (int64_t i = 0; i < n; i++)
            if (!nl_array_is_valid(a, i)) m[i] = 0;
    return true;
}

static bool list_has(const nl_array *items, const nl_scalar *cell, bool *saw_null) {
    for (int64_t j = 0; j < items->length; j++) {
        nl_scalar it;
        cell_view(items, j, &it);
        if (it.is_null) {
            if (saw_null) *saw_null = true;
            continue;
        }
        bool ok;
        if (view_cmp(cell, &it, &ok) == 0 && ok) return true;
    }
    return false;
}

/* Does the list cell [start, end) of `child` hold a value equal to `v`? */
static bool range_has(const nl_array *child, int64_t start, int64_t end, const nl_scalar *v) {
    for (int64_t j = start; j < end; j++) {
        nl_scalar it;
        cell_view(child, j, &it);
        if (it.is_null) continue;
        bool ok;
        if (view_cmp(&it, v, &ok) == 0 && ok) return true;
    }
    return false;
}

static void eval_filter(const nl_filter *f, const nl_array *a, uint8_t *m) {
    int64_t n = a->length;
    if (f->op == NL_OP_IS_NULL || f->op == NL_OP_IS_NOT_NULL) {
        bool want_null = f->op == NL_OP_IS_NULL;
        for (int64_t i = 0; i < n; i++) m[i] = nl_array_is_null(a, i) == want_null;
        return;
    }
    if (eval_fast(f->op, a, &f->value, m)) return;
    if (f->value.is_null && f->op <= NL_OP_GE) { /* comparing with NULL is never true */
        memset(m, 0, (size_t)n);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        nl_scalar cell;
        cell_view(a, i, &cell);
        bool hold = false;
        if (a->type->id == NL_TYPE_LIST) {
            if (nl_array_is_null(a, i)) { m[i] = 0; continue; }
            int64_t s, e;
            nl_array_list_range(a, i, &s, &e);
            const nl_array *child = a->children[0];
            if (f->op == NL_OP_INCLUDES) {
                hold = !f->value.is_null && range_has(child, s, e, &f->value);
            } else if (f->op == NL_OP_INCLUDES_ANY || f->op == NL_OP_INCLUDES_ALL) {
                const nl_array *items = f->value.v.list;
                bool all = f->op == NL_OP_INCLUDES_ALL;
                hold = all;
                for (int64_t k = 0; k < items->length; k++) {
                    nl_scalar it;
                    cell_view(items, k, &it);
                    bool has = !it.is_null && range_has(child, s, e, &it);
                    if (all && !has) { hold = false; break; }
                    if (!all && has) { hold = true; break; }
                }
            }
            m[i] = hold;
            continue;
        }
        if (cell.is_null) { m[i] = 0; continue; }
        switch (f->op) {
        case NL_OP_IN: hold = list_has(f->value.v.list, &cell, NULL); break;
        case NL_OP_NOT_IN: {
            bool saw_null = false;
            hold = !list_has(f->value.v.list, &cell, &saw_null) && !saw_null;
            break;
        }
        case NL_OP_CONTAINS:
            hold = f->value.v.str.len == 0 ||
                   memmem(cell.v.str.ptr, (size_t)cell.v.str.len, f->value.v.str.ptr,
                          (size_t)f->value.v.str.len) != NULL;
            break;
        default: {
            bool ok;
            int c = view_cmp(&cell, &f->value, &ok);
            hold = ok && cmp_holds(f->op, c);
            break;
        }
        }
        m[i] = hold;
    }
}

static int32_t find_column(const nl_schema *schema, const char *name) {
    int32_t idx = nl_schema_find(schema, name);
    if (idx < 0) idx = nl_schema_find_ci(schema, name);
    return idx;
}

nl_status cat_filter_eval(const nl_filter_set *set, const nl_batch *batch, uint8_t *sel,
                          nl_error *err) {
    int64_t n = batch->num_rows;
    if (!set || set->n == 0) {
        memset(sel, 1, (size_t)n);
        return NL_OK;
    }
    uint8_t *conj = nl_malloc((size_t)n + 1);
    uint8_t *term = nl_malloc((size_t)n + 1);
    if (!conj || !term) {
        nl_free(conj);
        nl_free(term);
        return nl_error_set(err, NL_ENOMEM, "out of memory evaluating a filter");
    }
    memset(sel, 0, (size_t)n);
    nl_status st = NL_OK;
    for (int32_t a = 0; a < set->n && st == NL_OK; a++) {
        const nl_filter_and *and = &set->ands[a];
        memset(conj, 1, (size_t)n);
        for (int32_t k = 0; k < and->n; k++) {
            const nl_filter *f = &and->filters[k];
            int32_t idx = find_column(batch->schema, f->column);
            if (idx < 0) {
                st = nl_error_set(err, NL_ENOTFOUND, "filter on column '%s' not in the batch",
                                  f->column);
                break;
            }
            eval_filter(f, batch->columns[idx], term);
            for (int64_t i = 0; i < n; i++) conj[i] &= term[i];
        }
        for (int64_t i = 0; i < n; i++) sel[i] |= conj[i];
    }
    nl_free(conj);
    nl_free(term);
    return st;
}

nl_status cat_filter_batch(const nl_filter_set *set, nl_batch *batch, nl_batch **out,
                           nl_error *err) {
    int64_t n = batch->num_rows;
    if (!set || set->n == 0) {
        *out = nl_batch_ref(batch);
        return NL_OK;
    }
    uint8_t *sel = nl_malloc((size_t)n + 1);
    NL_CHECK_ALLOC(sel, err);
    nl_status st = cat_filter_eval(set, batch, sel, err);
    if (st != NL_OK) {
        nl_free(sel);
        return st;
    }
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) count += sel[i];
    if (count == n) {
        nl_free(sel);
        *out = nl_batch_ref(batch);
        return NL_OK;
    }
    int64_t *idx = nl_malloc(sizeof(int64_t) * (size_t)(count + 1));
    nl_array **cols = nl_calloc((size_t)batch->n_columns + 1, sizeof *cols);
    if (!idx || !cols) {
        nl_free(sel);
        nl_free(idx);
        nl_free(cols);
        return nl_error_set(err, NL_ENOMEM, "out of memory filtering a batch");
    }
    for (int64_t i = 0, k = 0; i < n; i++)
        if (sel[i]) idx[k++] = i;
    nl_free(sel);
    for (int32_t c = 0; c < batch->n_columns && st == NL_OK; c++)
        st = nl_array_take(batch->columns[c], idx, count, &cols[c], err);
    nl_free(idx);
    if (st != NL_OK) {
        for (int32_t c = 0; c < batch->n_columns; c++) nl_array_unref(cols[c]);
        nl_free(cols);
        return st;
    }
    st = nl_batch_new(nl_schema_ref(batch->schema), cols, count, out, err);
    nl_free(cols);
    return st;
}

/* ---- pruning ---- */

bool cat_filter_holds(const nl_filter *f, const nl_scalar *value) {
    if (f->op == NL_OP_IS_NULL) return value->is_null;
    if (f->op == NL_OP_IS_NOT_NULL) return !value->is_null;
    if (value->is_null) return false;
    if (!value->type || !f->value.type) return true;
    switch (f->op) {
    case NL_OP_IN: case NL_OP_NOT_IN: {
        bool saw_null = false;
        if (!f->value.v.list) return true;
        bool has = list_has(f->value.v.list, value, &saw_null);
        return f->op == NL_OP_IN ? has : (!has && !saw_null);
    }
    case NL_OP_CONTAINS:
        if (!nl_type_is_string_like(value->type->id)) return true;
        return f->value.v.str.len == 0 ||
               memmem(value->v.str.ptr, (size_t)value->v.str.len, f->value.v.str.ptr,
                      (size_t)f->value.v.str.len) != NULL;
    case NL_OP_INCLUDES: case NL_OP_INCLUDES_ANY: case NL_OP_INCLUDES_ALL: return true;
    default: {
        if (f->value.is_null) return false;
        bool ok;
        int c = view_cmp(value, &f->value, &ok);
        return !ok || cmp_holds(f->op, c);
    }
    }
}

bool cat_filter_may_match(const nl_filter_set *set, const char *const *names,
                          const nl_scalar *values, int32_t n) {
    if (!set || set->n == 0) return true;
    for (int32_t a = 0; a < set->n; a++) {
        const nl_filter_and *and = &set->ands[a];
        bool ok = true;
        for (int32_t k = 0; k < and->n && ok; k++)
            for (int32_t j = 0; j < n; j++)
                if (strcasecmp(and->filters[k].column, names[j]) == 0 &&
                    !cat_filter_holds(&and->filters[k], &values[j])) {
                    ok = false;
                    break;
                }
        if (ok) return true;
    }
    return false;
}

nl_status cat_filter_restrict(const nl_filter_set *set, bool (*keep)(const char *, void *),
                              void *ctx, nl_filter_set *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!set || set->n == 0) return NL_OK;
    for (int32_t a = 0; a < set->n; a++) {
        int32_t kept = 0;
        for (int32_t k = 0; k < set->ands[a].n; k++) kept += keep(set->ands[a].filters[k].column, ctx);
        if (kept == 0) return NL_OK; /* that conjunction is "true": no filter at all */
    }
    nl_filter_set tmp = {0};
    NL_TRY(nl_filter_set_copy(&tmp, set, err));
    for (int32_t a = 0; a < tmp.n; a++) {
        nl_filter_and *and = &tmp.ands[a];
        int32_t w = 0;
        for (int32_t k = 0; k < and->n; k++) {
            if (keep(and->filters[k].column, ctx)) {
                and->filters[w++] = and->filters[k];
            } else {
                nl_free(and->filters[k].column);
                nl_scalar_clear(&and->filters[k].value);
            }
        }
        and->n = w;
    }
    *out = tmp;
    return NL_OK;
}

/* ---- back to public terms (for function tables) ---- */

static nl_status scalar_to_value(const nl_scalar *s, nl_arena *arena, nl_value *v, nl_error *err) {
    memset(v, 0, sizeof *v);
    nl_type_id id = s->type ? s->type->id : NL_TYPE_NULL;
    if (s->is_null || id == NL_TYPE_NULL) {
        v->kind = NL_VALUE_NULL;
    } else if (id == NL_TYPE_BOOL) {
        v->kind = NL_VALUE_BOOL;
        v->b = s->v.b;
    } else if (nl_type_is_signed_integer(id)) {
        v->kind = NL_VALUE_INT;
        v->i = s->v.i;
    } else if (nl_type_is_unsigned_integer(id) && s->v.u <= (uint64_t)INT64_MAX) {
        v->kind = NL_VALUE_INT;
        v->i = (int64_t)s->v.u;
    } else if (nl_type_is_floating(id)) {
        v->kind = NL_VALUE_DOUBLE;
        v->d = s->v.d;
    } else if (nl_type_is_string_like(id)) {
        v->kind = NL_VALUE_STRING;
        v->s = nl_arena_strndup(arena, s->v.str.ptr, (size_t)s->v.str.len);
        NL_CHECK_ALLOC(v->s, err);
    } else if (id == NL_TYPE_LIST) {
        const nl_array *items = s->v.list;
        nl_value *vs = nl_arena_calloc(arena, (size_t)items->length + 1, sizeof *vs);
        NL_CHECK_ALLOC(vs, err);
        for (int64_t i = 0; i < items->length; i++) {
            nl_scalar it = {0};
            NL_TRY(nl_scalar_from_array(items, i, &it, err));
            nl_status st = scalar_to_value(&it, arena, &vs[i], err);
            nl_scalar_clear(&it);
            NL_TRY(st);
        }
        v->kind = NL_VALUE_LIST;
        v->items = vs;
        v->n_items = (int32_t)items->length;
    } else {
        char buf[128];
        nl_scalar_format(s, false, buf, sizeof buf);
        v->kind = NL_VALUE_STRING;
        v->s = nl_arena_strdup(arena, buf);
        NL_CHECK_ALLOC(v->s, err);
    }
    return NL_OK;
}

nl_status cat_filter_to_terms(const nl_filter_set *set, nl_arena *arena,
                              const nl_filter_term **out, nl_error *err) {
    *out = NULL;
    if (!set || set->n == 0) return NL_OK;
    size_t total = 1;
    for (int32_t a = 0; a < set->n; a++) total += (size_t)set->ands[a].n + (a > 0);
    nl_filter_term *terms = nl_arena_calloc(arena, total, sizeof *terms);
    NL_CHECK_ALLOC(terms, err);
    size_t w = 0;
    for (int32_t a = 0; a < set->n; a++) {
        if (a > 0) terms[w++].op = "or";
        for (int32_t k = 0; k < set->ands[a].n; k++) {
            const nl_filter *f = &set->ands[a].filters[k];
            terms[w].column = nl_arena_strdup(arena, f->column);
            NL_CHECK_ALLOC(terms[w].column, err);
            terms[w].op = nl_filter_op_name(f->op);
            NL_TRY(scalar_to_value(&f->value, arena, &terms[w].value, err));
            w++;
        }
    }
    *out = terms;
    return NL_OK;
}
