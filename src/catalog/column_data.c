/*
 * column_data.c -- Arrow data from plain C arrays (nl_column_data): what
 * in-memory tables are declared with, and what a function table or a
 * computed column uses to build its result without touching Arrow buffers.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

nl_status cat_column_build(const nl_column_data *col, int64_t n, nl_array **out, nl_error *err) {
    *out = NULL;
    if (!col->name) return nl_error_set(err, NL_EINVAL, "column data without a name");
    if (n < 0) return nl_error_set(err, NL_EINVAL, "negative row count %lld", (long long)n);
    if (!col->values && n > 0)
        return nl_error_set(err, NL_EINVAL, "column '%s' has no values", col->name);
    nl_type *type = NULL;
    nl_status st = cat_type_parse(col->type ? col->type : "", &type, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "column '%s'", col->name);
        return st;
    }
    nl_builder *b = nl_builder_new(type, n);
    if (!b) {
        nl_type_unref(type);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    const void *v = col->values;
    for (int64_t i = 0; i < n && st == NL_OK; i++) {
        if (col->valid && !col->valid[i]) {
            nl_builder_append_null(b);
            continue;
        }
        switch (type->id) {
        case NL_TYPE_BOOL: nl_builder_append_bool(b, ((const bool *)v)[i]); break;
        case NL_TYPE_INT8: nl_builder_append_int(b, ((const int8_t *)v)[i]); break;
        case NL_TYPE_INT16: nl_builder_append_int(b, ((const int16_t *)v)[i]); break;
        case NL_TYPE_INT32: case NL_TYPE_DATE32: nl_builder_append_int(b, ((const int32_t *)v)[i]); break;
        case NL_TYPE_INT64: case NL_TYPE_TIMESTAMP: case NL_TYPE_TIME64: case NL_TYPE_DURATION:
            nl_builder_append_int(b, ((const int64_t *)v)[i]);
            break;
        case NL_TYPE_UINT8: nl_builder_append_uint(b, ((const uint8_t *)v)[i]); break;
        case NL_TYPE_UINT16: nl_builder_append_uint(b, ((const uint16_t *)v)[i]); break;
        case NL_TYPE_UINT32: nl_builder_append_uint(b, ((const uint32_t *)v)[i]); break;
        case NL_TYPE_UINT64: nl_builder_append_uint(b, ((const uint64_t *)v)[i]); break;
        case NL_TYPE_FLOAT32: nl_builder_append_double(b, ((const float *)v)[i]); break;
        case NL_TYPE_FLOAT64: nl_builder_append_double(b, ((const double *)v)[i]); break;
        case NL_TYPE_UTF8: case NL_TYPE_BINARY: {
            const char *s = ((const char *const *)v)[i];
            if (s) nl_builder_append_string(b, s, (int64_t)strlen(s));
            else nl_builder_append_null(b);
            break;
        }
        case NL_TYPE_DECIMAL128: {
            const char *s = ((const char *const *)v)[i];
            __int128 d;
            if (!s) {
                nl_builder_append_null(b);
            } else if (nl_parse_decimal(s, strlen(s), type->precision, type->scale, &d)) {
                nl_builder_append_decimal(b, d);
            } else {
                st = nl_error_set(err, NL_ETYPE, "column '%s' row %lld: '%s' is not a valid decimal",
                                  col->name, (long long)i, s);
            }
            break;
        }
        default: {
            char tn[64];
            st = nl_error_set(err, NL_ENOTSUP, "column '%s': C data of type %s is not supported",
                              col->name, nl_type_name(type, tn, sizeof tn));
            break;
        }
        }
    }
    if (st == NL_OK) st = nl_builder_finish(b, out, err);
    nl_builder_free(b);
    nl_type_unref(type);
    return st;
}

nl_status nl_column_to_arrow(const nl_column_data *column, int64_t num_rows,
                             struct ArrowArray *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    nl_array *a = NULL;
    NL_TRY(cat_column_build(column, num_rows, &a, err));
    nl_status st = nl_array_export(a, out, err);
    nl_array_unref(a);
    return st;
}

/* The columns as one batch. */
static nl_status columns_batch(const nl_column_data *columns, int64_t num_rows, nl_batch **out,
                               nl_error *err) {
    int32_t n = 0;
    while (columns && columns[n].name) n++;
    nl_array **arrays = nl_calloc((size_t)n + 1, sizeof *arrays);
    nl_field *fields = nl_calloc((size_t)n + 1, sizeof *fields);
    if (!arrays || !fields) {
        nl_free(arrays);
        nl_free(fields);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_status st = NL_OK;
    for (int32_t i = 0; i < n && st == NL_OK; i++) {
        for (int32_t j = 0; j < i; j++)
            if (strcmp(columns[i].name, columns[j].name) == 0)
                st = nl_error_set(err, NL_EINVAL, "column '%s' appears twice", columns[i].name);
        if (st == NL_OK) st = cat_column_build(&columns[i], num_rows, &arrays[i], err);
        if (st == NL_OK) {
            fields[i].name = (char *)columns[i].name;
            fields[i].type = nl_type_ref(arrays[i]->type);
            fields[i].nullable = true;
        }
    }
    nl_schema *schema = NULL;
    if (st == NL_OK) {
        schema = nl_schema_new(fields, n);
        if (!schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (st != NL_OK) {
        for (int32_t i = 0; i < n; i++) {
            nl_array_unref(arrays[i]);
            if (fields[i].type) nl_type_unref(fields[i].type);
        }
    } else {
        st = nl_batch_new(schema, arrays, num_rows, out, err);
    }
    nl_free(arrays);
    nl_free(fields);
    return st;
}

nl_status cat_columns_table(const nl_column_data *columns, int64_t num_rows, nl_table **out,
                            nl_error *err) {
    nl_batch *batch = NULL;
    NL_TRY(columns_batch(columns, num_rows, &batch, err));
    nl_table *t = nl_table_new(nl_schema_ref(batch->schema));
    if (!t) {
        nl_batch_unref(batch);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_status st = nl_table_append(t, batch, err);
    nl_batch_unref(batch);
    if (st != NL_OK) {
        nl_table_free(t);
        return st;
    }
    *out = t;
    return NL_OK;
}

nl_status nl_columns_to_stream(const nl_column_data *columns, int64_t num_rows,
                               struct ArrowArrayStream *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    nl_table *t = NULL;
    NL_TRY(cat_columns_table(columns, num_rows, &t, err));
    nl_stream *s = NULL;
    NL_TRY(nl_stream_from_table(t, &s, err));
    return nl_stream_export(s, out, err);
}
