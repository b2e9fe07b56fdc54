/*
 * ndjson.c -- NDJSON text to a table: parse every line with jansson, infer a
 * type per key (a small lattice: null < bool | int < float, lists by their
 * items, anything that disagrees becomes JSON text), then build the columns.
 */
#include "formats/ndjson/ndjson.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "columnar/cast.h"

/* Inferred kinds. */
typedef enum jk { JK_NONE = 0, JK_BOOL, JK_INT, JK_FLOAT, JK_STR, JK_LIST, JK_JSON } jk;

typedef struct jtype {
    jk kind;
    jk item; /* JK_LIST: the items' kind (never JK_LIST: nested lists become JSON) */
} jtype;

static jk scalar_kind(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_NULL: return JK_NONE;
    case JSON_TRUE: case JSON_FALSE: return JK_BOOL;
    case JSON_INTEGER: return JK_INT;
    case JSON_REAL: return JK_FLOAT;
    case JSON_STRING: return JK_STR;
    default: return JK_JSON;
    }
}

static jk merge_kind(jk a, jk b) {
    if (a == JK_NONE) return b;
    if (b == JK_NONE || a == b) return a;
    if ((a == JK_INT && b == JK_FLOAT) || (a == JK_FLOAT && b == JK_INT)) return JK_FLOAT;
    return JK_JSON;
}

static void merge(jtype *t, const json_t *v) {
    if (json_is_array(v)) {
        if (t->kind != JK_NONE && t->kind != JK_LIST) {
            t->kind = JK_JSON;
            return;
        }
        jk item = t->kind == JK_LIST ? t->item : JK_NONE;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            jk k = json_is_array(x) ? JK_JSON : scalar_kind(x);
            item = merge_kind(item, k);
        }
        t->kind = JK_LIST;
        t->item = item;
        return;
    }
    jk k = scalar_kind(v);
    if (t->kind == JK_LIST && k != JK_NONE) t->kind = JK_JSON;
    else if (t->kind != JK_LIST) t->kind = merge_kind(t->kind, k);
}

static nl_type *kind_type(jk k) {
    switch (k) {
    case JK_BOOL: return nl_type_get(NL_TYPE_BOOL);
    case JK_INT: return nl_type_get(NL_TYPE_INT64);
    case JK_FLOAT: return nl_type_get(NL_TYPE_FLOAT64);
    default: return nl_type_get(NL_TYPE_UTF8);
    }
}

static nl_type *jtype_type(const jtype *t) {
    if (t->kind == JK_LIST) return nl_type_list(kind_type(t->item), true);
    return kind_type(t->kind);
}

/* Appends JSON value v as `type`; false when it does not fit. */
static bool append_json(nl_builder *b, const nl_type *type, const json_t *v) {
    if (!v || json_is_null(v)) {
        nl_builder_append_null(b);
        return true;
    }
    nl_type_id id = type->id;
    if (id == NL_TYPE_UTF8 || id == NL_TYPE_BINARY) {
        if (json_is_string(v)) {
            nl_builder_append_string(b, json_string_value(v), (int64_t)json_string_length(v));
            return true;
        }
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!s) return false;
        nl_builder_append_string(b, s, (int64_t)strlen(s));
        free(s); /* jansson allocates with malloc */
        return true;
    }
    if (id == NL_TYPE_LIST) {
        if (!json_is_array(v)) return false;
        nl_builder_list_begin(b);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (!append_json(nl_builder_child(b, 0), type->children[0].type, x)) return false;
        }
        nl_builder_list_end(b);
        return true;
    }
    if (id == NL_TYPE_BOOL) {
        if (!json_is_boolean(v)) return false;
        nl_builder_append_bool(b, json_is_true(v));
        return true;
    }
    if (nl_type_is_floating(id)) {
        if (!json_is_number(v)) return false;
        nl_builder_append_double(b, json_number_value(v));
        return true;
    }
    if (nl_type_is_integer(id)) {
        if (json_is_integer(v)) {
            json_int_t x = json_integer_value(v);
            if (nl_type_is_unsigned_integer(id)) {
                if (x < 0) return false;
                nl_builder_append_uint(b, (uint64_t)x);
            } else {
                nl_builder_append_int(b, (int64_t)x);
            }
            return true;
        }
        if (json_is_string(v)) {
            int64_t x;
            if (!nl_parse_int64(json_string_value(v), json_string_length(v), &x)) return false;
            nl_builder_append_int(b, x);
            return true;
        }
        return false;
    }
    /* Dates, timestamps, decimals: from text (decimals also from numbers). */
    char buf[64];
    const char *s;
    size_t n;
    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        s = buf;
    } else if (json_is_real(v)) {
        n = (size_t)snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
        s = buf;
    } else {
        return false;
    }
    switch (id) {
    case NL_TYPE_DATE32: {
        int32_t d;
        if (!nl_parse_date(s, n, &d)) return false;
        nl_builder_append_int(b, d);
        return true;
    }
    case NL_TYPE_TIMESTAMP: {
        int64_t t;
        if (!nl_parse_timestamp(s, n, type->unit, &t)) return false;
        nl_builder_append_int(b, t);
        return true;
    }
    case NL_TYPE_DECIMAL128: {
        __int128 d;
        if (!nl_parse_decimal(s, n, type->precision, type->scale, &d)) return false;
        nl_builder_append_decimal(b, d);
        return true;
    }
    default: return false;
    }
}

typedef struct key_list {
    char **names;
    jtype *types;
    int32_t n, cap;
} key_list;

static int32_t key_find(const key_list *k, const char *name) {
    for (int32_t i = 0; i < k->n; i++)
        if (strcmp(k->names[i], name) == 0) return i;
    return -1;
}

static bool key_add(key_list *k, const char *name) {
    if (k->n == k->cap) {
        int32_t cap = k->cap ? k->cap * 2 : 16;
        char **n = nl_realloc(k->names, sizeof *n * (size_t)cap);
        if (!n) return false;
        k->names = n;
        jtype *t = nl_realloc(k->types, sizeof *t * (size_t)cap);
        if (!t) return false;
        k->types = t;
        k->cap = cap;
    }
    k->names[k->n] = nl_strdup(name);
    if (!k->names[k->n]) return false;
    memset(&k->types[k->n], 0, sizeof k->types[k->n]);
    k->n++;
    return true;
}

nl_status ndjson_read(const char *text, size_t len, const nl_schema *types, const char *what,
                      nl_table **out, nl_error *err) {
    *out = NULL;
    json_t **rows = NULL;
    int64_t *lines = NULL;
    int64_t n_rows = 0, cap = 0;
    key_list keys = {0};
    nl_status st = NL_OK;
    int64_t line = 0;
    for (size_t i = 0; i < len && st == NL_OK;) {
        size_t end = i;
        while (end < len && text[end] != '\n') end++;
        line++;
        size_t s = i, e = end;
        i = end + 1;
        while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r')) s++;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) e--;
        if (s == e) continue;
        json_error_t jerr;
        json_t *v = json_loadb(text + s, e - s, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        if (!v) {
            st = nl_error_set(err, NL_ECORRUPT, "%s: line %lld: bad JSON: %s (column %d)", what,
                              (long long)line, jerr.text, jerr.column);
            break;
        }
        if (!json_is_object(v)) {
            json_decref(v);
            st = nl_error_set(err, NL_ECORRUPT, "%s: line %lld: expected a JSON object", what,
                              (long long)line);
            break;
        }
        if (n_rows == cap) {
            int64_t nc = cap ? cap * 2 : 256;
            json_t **nr = nl_realloc(rows, sizeof *nr * (size_t)nc);
            int64_t *nlines = nr ? nl_realloc(lines, sizeof *nlines * (size_t)nc) : NULL;
            if (nr) rows = nr;
            if (nlines) lines = nlines;
            if (!nr || !nlines) {
                json_decref(v);
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                break;
            }
            cap = nc;
        }
        rows[n_rows] = v;
        lines[n_rows++] = line;
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            int32_t idx = key_find(&keys, k);
            if (idx < 0) {
                if (!key_add(&keys, k)) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory");
                    break;
                }
                idx = keys.n - 1;
            }
            merge(&keys.types[idx], x);
        }
    }
    int32_t nc = keys.n;
    nl_field *fields = nl_calloc((size_t)nc + 1, sizeof *fields);
    nl_builder **bs = nl_calloc((size_t)nc + 1, sizeof *bs);
    nl_array **cols = nl_calloc((size_t)nc + 1, sizeof *cols);
    if (st == NL_OK && (!fields || !bs || !cols)) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t c = 0; st == NL_OK && c < nc; c++) {
        int32_t ti = types ? nl_schema_find(types, keys.names[c]) : -1;
        if (types && ti < 0) ti = nl_schema_find_ci(types, keys.names[c]);
        fields[c].type = ti >= 0 ? nl_type_ref(types->fields[ti].type) : jtype_type(&keys.types[c]);
        fields[c].name = keys.names[c];
        fields[c].nullable = true;
        bs[c] = fields[c].type ? nl_builder_new(fields[c].type, n_rows) : NULL;
        if (!bs[c]) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int64_t r = 0; st == NL_OK && r < n_rows; r++)
        for (int32_t c = 0; c < nc; c++) {
            const json_t *v = json_object_get(rows[r], keys.names[c]);
            if (!append_json(bs[c], fields[c].type, v)) {
                char tn[64];
                st = nl_error_set(err, NL_ETYPE, "%s: line %lld, column '%s': a JSON %s is not a %s",
                                  what, (long long)lines[r], keys.names[c],
                                  json_is_string(v) ? "string" : json_is_number(v) ? "number"
                                  : json_is_boolean(v) ? "boolean" : json_is_array(v) ? "array" : "object",
                                  nl_type_name(fields[c].type, tn, sizeof tn));
                break;
            }
        }
    for (int32_t c = 0; st == NL_OK && c < nc; c++) st = nl_builder_finish(bs[c], &cols[c], err);
    nl_schema *schema = NULL;
    if (st == NL_OK) {
        schema = nl_schema_new(fields, nc);
        if (!schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    } else if (fields) {
        for (int32_t c = 0; c < nc; c++)
            if (fields[c].type) nl_type_unref(fields[c].type);
    }
    nl_table *t = NULL;
    if (st == NL_OK) {
        nl_batch *batch = NULL;
        st = nl_batch_new(nl_schema_ref(schema), cols, n_rows, &batch, err);
        memset(cols, 0, sizeof *cols * (size_t)nc);
        if (st == NL_OK) {
            t = nl_table_new(nl_schema_ref(schema));
            if (!t) st = nl_error_set(err, NL_ENOMEM, "out of memory");
            else if (n_rows > 0) st = nl_table_append(t, batch, err);
        }
        nl_batch_unref(batch);
    }
    nl_schema_unref(schema);
    for (int32_t c = 0; c < nc; c++) {
        if (bs) nl_builder_free(bs[c]);
        if (cols) nl_array_unref(cols[c]);
        nl_free(keys.names[c]);
    }
    nl_free(keys.names);
    nl_free(keys.types);
    nl_free(fields);
    nl_free(bs);
    nl_free(cols);
    for (int64_t r = 0; r < n_rows; r++) json_decref(rows[r]);
    nl_free(rows);
    nl_free(lines);
    if (st != NL_OK) {
        nl_table_free(t);
        return st;
    }
    *out = t;
    return NL_OK;
}
