/*
 * csv.c -- CSV text to a table. Two passes: the tokenizer splits the text
 * into records of field spans (unescaping quoted fields with "" into a side
 * buffer), then each column is typed (given or inferred from the first rows)
 * and built. Errors carry the input's name and the line.
 */
#include "formats/csv/csv.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

#define CSV_MAX_FIELD ((int64_t)INT32_MAX)

static const char *const DEFAULT_NULLS[] = {"", "NULL", NULL};

void csv_options_init(csv_options *o) {
    memset(o, 0, sizeof *o);
    o->delimiter = ',';
    o->quote = '"';
    o->header = true;
    o->infer_rows = 1000;
}

typedef struct csv_field {
    int64_t off;   /* into the text, or into the unescape buffer when `unesc` */
    int32_t len;
    bool unesc;
    bool quoted;
} csv_field;

typedef struct csv_doc {
    csv_field *fields;
    int64_t n_fields, cap_fields;
    int64_t *row_start; /* index of each record's first field; one extra at the end */
    int64_t *row_line;
    int64_t n_rows, cap_rows;
    nl_strbuf unesc;
    const char *text;
} csv_doc;

static void doc_free(csv_doc *d) {
    nl_free(d->fields);
    nl_free(d->row_start);
    nl_free(d->row_line);
    nl_strbuf_free(&d->unesc);
}

static bool push_field(csv_doc *d, csv_field f) {
    if (d->n_fields == d->cap_fields) {
        int64_t cap = d->cap_fields ? d->cap_fields * 2 : 1024;
        csv_field *n = nl_realloc(d->fields, sizeof *n * (size_t)cap);
        if (!n) return false;
        d->fields = n;
        d->cap_fields = cap;
    }
    d->fields[d->n_fields++] = f;
    return true;
}

static bool push_row(csv_doc *d, int64_t start, int64_t line) {
    if (d->n_rows + 1 >= d->cap_rows) {
        int64_t cap = d->cap_rows ? d->cap_rows * 2 : 1024;
        int64_t *s = nl_realloc(d->row_start, sizeof *s * (size_t)cap);
        if (!s) return false;
        d->row_start = s;
        int64_t *l = nl_realloc(d->row_line, sizeof *l * (size_t)cap);
        if (!l) return false;
        d->row_line = l;
        d->cap_rows = cap;
    }
    d->row_start[d->n_rows] = start;
    d->row_line[d->n_rows] = line;
    d->n_rows++;
    return true;
}

static const char *field_ptr(const csv_doc *d, const csv_field *f) {
    return f->unesc ? d->unesc.data + f->off : d->text + f->off;
}

static nl_status tokenize(csv_doc *d, const char *t, size_t len, char delim, char quote,
                          const char *what, nl_error *err) {
    size_t i = 0;
    int64_t line = 1;
    /* A UTF-8 byte order mark is not part of the first name. */
    if (len >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
        (unsigned char)t[2] == 0xBF)
        i = 3;
    while (i < len) {
        int64_t rec_line = line;
        int64_t first = d->n_fields;
        for (;;) {
            csv_field f = {0};
            if (quote && i < len && t[i] == quote) {
                size_t start = ++i;
                bool escaped = false;
                int64_t qline = line;
                while (i < len) {
                    if (t[i] == quote) {
                        if (i + 1 < len && t[i + 1] == quote) {
                            escaped = true;
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if (t[i] == '\n') line++;
                    i++;
                }
                if (i >= len)
                    return nl_error_set(err, NL_ECORRUPT, "%s: line %lld: unterminated quoted field",
                                        what, (long long)qline);
                size_t end = i++;
                if ((int64_t)(end - start) > CSV_MAX_FIELD)
                    return nl_error_set(err, NL_ECORRUPT, "%s: line %lld: field too long", what,
                                        (long long)qline);
                f.quoted = true;
                if (escaped) {
                    f.unesc = true;
                    f.off = (int64_t)d->unesc.len;
                    for (size_t k = start; k < end; k++) {
                        nl_strbuf_putc(&d->unesc, t[k]);
                        if (t[k] == quote) k++;
                    }
                    f.len = (int32_t)((int64_t)d->unesc.len - f.off);
                    if (d->unesc.failed) return nl_error_set(err, NL_ENOMEM, "out of memory");
                } else {
                    f.off = (int64_t)start;
                    f.len = (int32_t)(end - start);
                }
                if (i < len && t[i] != delim && t[i] != '\n' && t[i] != '\r')
                    return nl_error_set(err, NL_ECORRUPT,
                                        "%s: line %lld: unexpected '%c' after a closing quote", what,
                                        (long long)line, t[i]);
            } else {
                size_t start = i;
                while (i < len && t[i] != delim && t[i] != '\n' && t[i] != '\r') i++;
                if ((int64_t)(i - start) > CSV_MAX_FIELD)
                    return nl_error_set(err, NL_ECORRUPT, "%s: line %lld: field too long", what,
                                        (long long)line);
                f.off = (int64_t)start;
                f.len = (int32_t)(i - start);
            }
            if (!push_field(d, f)) return nl_error_set(err, NL_ENOMEM, "out of memory");
            if (i < len && t[i] == delim) {
                i++;
                if (i >= len) { /* "a,b," at the very end: a last empty field */
                    if (!push_field(d, (csv_field){.off = (int64_t)i})) return nl_error_set(err, NL_ENOMEM, "out of memory");
                    break;
                }
                continue;
            }
            break;
        }
        if (i < len && t[i] == '\r') i++;
        if (i < len && t[i] == '\n') i++;
        line++;
        /* A blank line is no record. */
        if (d->n_fields - first == 1 && d->fields[first].len == 0 && !d->fields[first].quoted) {
            d->n_fields = first;
            continue;
        }
        if (!push_row(d, first, rec_line)) return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (!push_row(d, d->n_fields, line)) return nl_error_set(err, NL_ENOMEM, "out of memory");
    d->n_rows--; /* the sentinel */
    return NL_OK;
}

static bool is_null_text(const char *s, int32_t len, bool quoted, const char *const *nulls) {
    if (quoted) return false;
    for (size_t i = 0; nulls[i]; i++)
        if ((int32_t)strlen(nulls[i]) == len && memcmp(nulls[i], s, (size_t)len) == 0) return true;
    return false;
}

/* Inference candidates, most specific first. */
enum { C_BOOL = 1, C_INT = 2, C_FLOAT = 4, C_DATE = 8, C_TS = 16 };

static nl_type *infer_type(const csv_doc *d, int64_t first_row, int64_t n_rows, int32_t col,
                           const char *const *nulls) {
    unsigned can = C_BOOL | C_INT | C_FLOAT | C_DATE | C_TS;
    int64_t seen = 0;
    for (int64_t r = first_row; r < first_row + n_rows && can; r++) {
        const csv_field *f = &d->fields[d->row_start[r] + col];
        const char *s = field_ptr(d, f);
        if (is_null_text(s, f->len, f->quoted, nulls)) continue;
        seen++;
        size_t n = (size_t)f->len;
        bool b;
        int64_t i;
        double x;
        int32_t days;
        if ((can & C_BOOL) && !nl_parse_bool(s, n, &b)) can &= ~(unsigned)C_BOOL;
        if ((can & C_INT) && !nl_parse_int64(s, n, &i)) can &= ~(unsigned)C_INT;
        if ((can & C_FLOAT) && !nl_parse_double(s, n, &x)) can &= ~(unsigned)C_FLOAT;
        if ((can & C_DATE) && !(n == 10 && nl_parse_date(s, n, &days))) can &= ~(unsigned)C_DATE;
        if ((can & C_TS) && !(n > 10 && nl_parse_timestamp(s, n, NL_UNIT_MICRO, &i)))
            can &= ~(unsigned)C_TS;
    }
    if (seen == 0) return nl_type_get(NL_TYPE_UTF8);
    if (can & C_BOOL) return nl_type_get(NL_TYPE_BOOL);
    if (can & C_INT) return nl_type_get(NL_TYPE_INT64);
    if (can & C_FLOAT) return nl_type_get(NL_TYPE_FLOAT64);
    if (can & C_DATE) return nl_type_get(NL_TYPE_DATE32);
    if (can & C_TS) return nl_type_timestamp(NL_UNIT_MICRO, NULL);
    return nl_type_get(NL_TYPE_UTF8);
}

/* Appends one field parsed as `type`; false when it does not parse. */
static bool append_text(nl_builder *b, const nl_type *type, const char *s, size_t n) {
    nl_type_id id = type->id;
    switch (id) {
    case NL_TYPE_UTF8: case NL_TYPE_BINARY: nl_builder_append_string(b, s, (int64_t)n); return true;
    case NL_TYPE_BOOL: {
        bool v;
        if (!nl_parse_bool(s, n, &v)) return false;
        nl_builder_append_bool(b, v);
        return true;
    }
    case NL_TYPE_INT8: case NL_TYPE_INT16: case NL_TYPE_INT32: case NL_TYPE_INT64:
    case NL_TYPE_TIME64: case NL_TYPE_DURATION: {
        int64_t v;
        if (!nl_parse_int64(s, n, &v)) return false;
        int w = nl_type_byte_width(id);
        if (w > 0 && w < 8) {
            int64_t lim = (int64_t)1 << (w * 8 - 1);
            if (v < -lim || v >= lim) return false;
        }
        nl_builder_append_int(b, v);
        return true;
    }
    case NL_TYPE_UINT8: case NL_TYPE_UINT16: case NL_TYPE_UINT32: case NL_TYPE_UINT64: {
        uint64_t v;
        if (!nl_parse_uint64(s, n, &v)) return false;
        int w = nl_type_byte_width(id);
        if (w < 8 && v >= ((uint64_t)1 << (w * 8))) return false;
        nl_builder_append_uint(b, v);
        return true;
    }
    case NL_TYPE_FLOAT32: case NL_TYPE_FLOAT64: {
        double v;
        if (!nl_parse_double(s, n, &v)) return false;
        nl_builder_append_double(b, v);
        return true;
    }
    case NL_TYPE_DECIMAL128: {
        __int128 v;
        if (!nl_parse_decimal(s, n, type->precision, type->scale, &v)) return false;
        nl_builder_append_decimal(b, v);
        return true;
    }
    case NL_TYPE_DATE32: {
        int32_t v;
        if (!nl_parse_date(s, n, &v)) return false;
        nl_builder_append_int(b, v);
        return true;
    }
    case NL_TYPE_TIMESTAMP: {
        int64_t v;
        if (!nl_parse_timestamp(s, n, type->unit, &v)) return false;
        nl_builder_append_int(b, v);
        return true;
    }
    default: return false;
    }
}

nl_status csv_read(const char *text, size_t len, const csv_options *o, const nl_schema *types,
                   const char *what, nl_table **out, nl_error *err) {
    *out = NULL;
    csv_options def;
    if (!o) {
        csv_options_init(&def);
        o = &def;
    }
    const char *const *nulls = o->null_values ? o->null_values : DEFAULT_NULLS;
    csv_doc d;
    memset(&d, 0, sizeof d);
    d.text = text;
    nl_status st = tokenize(&d, text, len, o->delimiter ? o->delimiter : ',',
                            o->quote, what, err);
    if (st != NL_OK) {
        doc_free(&d);
        return st;
    }
    int64_t first = 0;
    int32_t n_cols = 0;
    if (d.n_rows > 0) n_cols = (int32_t)(d.row_start[1] - d.row_start[0]);
    if (o->header) first = 1;
    if (d.n_rows == 0 && o->names) while (o->names[n_cols]) n_cols++;
    /* Every record has the header's width. */
    for (int64_t r = 0; r < d.n_rows && st == NL_OK; r++) {
        int64_t w = d.row_start[r + 1] - d.row_start[r];
        if (w != n_cols)
            st = nl_error_set(err, NL_ECORRUPT, "%s: line %lld has %lld fields, expected %d", what,
                              (long long)d.row_line[r], (long long)w, n_cols);
    }
    nl_field *fields = nl_calloc((size_t)n_cols + 1, sizeof *fields);
    char **names = nl_calloc((size_t)n_cols + 1, sizeof *names);
    nl_builder **bs = nl_calloc((size_t)n_cols + 1, sizeof *bs);
    nl_array **cols = nl_calloc((size_t)n_cols + 1, sizeof *cols);
    if (st == NL_OK && (!fields || !names || !bs || !cols)) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    int64_t n_data = d.n_rows - first;
    if (n_data < 0) n_data = 0;
    int64_t n_infer = o->infer_rows < 0 || o->infer_rows > n_data ? n_data : o->infer_rows;
    for (int32_t c = 0; st == NL_OK && c < n_cols; c++) {
        if (o->header && d.n_rows > 0) {
            const csv_field *f = &d.fields[d.row_start[0] + c];
            names[c] = f->len ? nl_strndup(field_ptr(&d, f), (size_t)f->len) : nl_asprintf("column_%d", c + 1);
        } else {
            bool named = false;
            for (int32_t k = 0; o->names && k <= c; k++)
                if (!o->names[k]) break;
                else if (k == c) named = true;
            names[c] = named ? nl_strdup(o->names[c]) : nl_asprintf("column_%d", c + 1);
        }
        if (!names[c]) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        int32_t ti = types ? nl_schema_find(types, names[c]) : -1;
        if (types && ti < 0) ti = nl_schema_find_ci(types, names[c]);
        fields[c].type = ti >= 0 ? nl_type_ref(types->fields[ti].type)
                                 : infer_type(&d, first, n_infer, c, nulls);
        fields[c].name = names[c];
        fields[c].nullable = true;
        bs[c] = nl_builder_new(fields[c].type, n_data);
        if (!fields[c].type || !bs[c]) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int64_t r = first; st == NL_OK && r < d.n_rows; r++) {
        for (int32_t c = 0; c < n_cols; c++) {
            const csv_field *f = &d.fields[d.row_start[r] + c];
            const char *s = field_ptr(&d, f);
            if (is_null_text(s, f->len, f->quoted, nulls)) {
                nl_builder_append_null(bs[c]);
                continue;
            }
            if (!append_text(bs[c], fields[c].type, s, (size_t)f->len)) {
                char tn[64];
                st = nl_error_set(err, NL_ETYPE,
                                  "%s: line %lld, column '%s': '%.*s' is not a valid %s (declare the "
                                  "column's type, or infer from more rows)",
                                  what, (long long)d.row_line[r], names[c], f->len > 64 ? 64 : f->len,
                                  s, nl_type_name(fields[c].type, tn, sizeof tn));
                break;
            }
        }
    }
    for (int32_t c = 0; st == NL_OK && c < n_cols; c++) st = nl_builder_finish(bs[c], &cols[c], err);
    nl_schema *schema = NULL;
    if (st == NL_OK) {
        schema = nl_schema_new(fields, n_cols);
        if (!schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_batch *batch = NULL;
    if (st == NL_OK) {
        nl_schema *s2 = nl_schema_ref(schema);
        st = nl_batch_new(s2, cols, n_data, &batch, err);
        memset(cols, 0, sizeof *cols * (size_t)n_cols);
    } else if (fields) {
        for (int32_t c = 0; c < n_cols; c++)
            if (fields[c].type) nl_type_unref(fields[c].type);
    }
    nl_table *t = NULL;
    if (st == NL_OK) {
        t = nl_table_new(schema);
        schema = NULL;
        if (!t) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        else if (batch->num_rows > 0) st = nl_table_append(t, batch, err);
    }
    nl_batch_unref(batch);
    nl_schema_unref(schema);
    for (int32_t c = 0; c < n_cols; c++) {
        if (names) nl_free(names[c]);
        if (bs) nl_builder_free(bs[c]);
        if (cols) nl_array_unref(cols[c]);
    }
    nl_free(fields);
    nl_free(names);
    nl_free(bs);
    nl_free(cols);
    doc_free(&d);
    if (st != NL_OK) {
        nl_table_free(t);
        return st;
    }
    *out = t;
    return NL_OK;
}
