/*
 * type.c -- data types, fields and schemas: the singletons for parameterless
 * types, constructors for parameterised ones, equality, and the two naming
 * schemes (SQL-ish names for messages, Polars' dtype names for the printer).
 */
#include "columnar/type.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"

#define TYPE_STATIC(ID) {.refcount = -1, .id = (ID)}

/* Indexed by id; only the parameterless ids are handed out by nl_type_get. */
static nl_type type_singletons[NL_TYPE_COUNT_] = {
    [NL_TYPE_NULL] = TYPE_STATIC(NL_TYPE_NULL),       [NL_TYPE_BOOL] = TYPE_STATIC(NL_TYPE_BOOL),
    [NL_TYPE_INT8] = TYPE_STATIC(NL_TYPE_INT8),       [NL_TYPE_INT16] = TYPE_STATIC(NL_TYPE_INT16),
    [NL_TYPE_INT32] = TYPE_STATIC(NL_TYPE_INT32),     [NL_TYPE_INT64] = TYPE_STATIC(NL_TYPE_INT64),
    [NL_TYPE_UINT8] = TYPE_STATIC(NL_TYPE_UINT8),     [NL_TYPE_UINT16] = TYPE_STATIC(NL_TYPE_UINT16),
    [NL_TYPE_UINT32] = TYPE_STATIC(NL_TYPE_UINT32),   [NL_TYPE_UINT64] = TYPE_STATIC(NL_TYPE_UINT64),
    [NL_TYPE_FLOAT32] = TYPE_STATIC(NL_TYPE_FLOAT32), [NL_TYPE_FLOAT64] = TYPE_STATIC(NL_TYPE_FLOAT64),
    [NL_TYPE_UTF8] = TYPE_STATIC(NL_TYPE_UTF8),       [NL_TYPE_BINARY] = TYPE_STATIC(NL_TYPE_BINARY),
    [NL_TYPE_DATE32] = TYPE_STATIC(NL_TYPE_DATE32),
};

static bool type_is_parameterless(nl_type_id id) {
    switch (id) {
    case NL_TYPE_DECIMAL128:
    case NL_TYPE_TIME64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_DURATION:
    case NL_TYPE_LIST:
    case NL_TYPE_STRUCT:
    case NL_TYPE_COUNT_: return false;
    default: return (unsigned)id < NL_TYPE_COUNT_;
    }
}

nl_type *nl_type_get(nl_type_id id) {
    if (!type_is_parameterless(id)) return NULL;
    return &type_singletons[id];
}

static nl_type *type_alloc(nl_type_id id) {
    nl_type *t = nl_calloc(1, sizeof *t);
    if (!t) return NULL;
    atomic_init(&t->refcount, 1);
    t->id = id;
    return t;
}

nl_type *nl_type_decimal(int32_t precision, int32_t scale) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return NULL;
    nl_type *t = type_alloc(NL_TYPE_DECIMAL128);
    if (!t) return NULL;
    t->precision = precision;
    t->scale = scale;
    return t;
}

static bool unit_valid(nl_time_unit unit) {
    return (unsigned)unit <= (unsigned)NL_UNIT_NANO;
}

nl_type *nl_type_time64(nl_time_unit unit) {
    if (unit != NL_UNIT_MICRO && unit != NL_UNIT_NANO) return NULL;
    nl_type *t = type_alloc(NL_TYPE_TIME64);
    if (t) t->unit = unit;
    return t;
}

nl_type *nl_type_timestamp(nl_time_unit unit, const char *timezone) {
    if (!unit_valid(unit)) return NULL;
    nl_type *t = type_alloc(NL_TYPE_TIMESTAMP);
    if (!t) return NULL;
    t->unit = unit;
    if (timezone) {
        t->timezone = nl_strdup(timezone);
        if (!t->timezone) {
            nl_free(t);
            return NULL;
        }
    }
    return t;
}

nl_type *nl_type_duration(nl_time_unit unit) {
    if (!unit_valid(unit)) return NULL;
    nl_type *t = type_alloc(NL_TYPE_DURATION);
    if (t) t->unit = unit;
    return t;
}

nl_type *nl_type_list(nl_type *item, bool item_nullable) {
    if (!item) return NULL;
    nl_type *t = type_alloc(NL_TYPE_LIST);
    if (!t) goto fail;
    t->children = nl_calloc(1, sizeof *t->children);
    if (!t->children) goto fail;
    t->children[0].name = nl_strdup("item");
    if (!t->children[0].name) goto fail;
    t->children[0].type = item;
    t->children[0].nullable = item_nullable;
    t->n_children = 1;
    return t;
fail:
    if (t) {
        nl_free(t->children);
        nl_free(t);
    }
    nl_type_unref(item);
    return NULL;
}

nl_type *nl_type_struct(const nl_field *fields, int32_t n_fields) {
    nl_type *t = NULL;
    int32_t i = 0;
    if (n_fields < 0 || (n_fields > 0 && !fields)) goto fail;
    t = type_alloc(NL_TYPE_STRUCT);
    if (!t) goto fail;
    if (n_fields > 0) {
        t->children = nl_calloc((size_t)n_fields, sizeof *t->children);
        if (!t->children) goto fail;
    }
    for (; i < n_fields; i++) {
        if (!fields[i].type) goto fail;
        t->children[i].name = nl_strdup(fields[i].name ? fields[i].name : "");
        if (!t->children[i].name) goto fail;
        t->children[i].type = fields[i].type;
        t->children[i].nullable = fields[i].nullable;
        t->n_children = i + 1;
    }
    return t;
fail:
    /* Types already moved into t are released with it; the rest here. */
    for (int32_t j = t ? t->n_children : 0; j < n_fields; j++)
        if (fields) nl_type_unref(fields[j].type);
    if (t) nl_type_unref(t);
    return NULL;
}

nl_type *nl_type_ref(nl_type *type) {
    if (type && atomic_load_explicit(&type->refcount, memory_order_relaxed) >= 0)
        atomic_fetch_add_explicit(&type->refcount, 1, memory_order_relaxed);
    return type;
}

void nl_type_unref(nl_type *type) {
    if (!type || atomic_load_explicit(&type->refcount, memory_order_relaxed) < 0) return;
    if (atomic_fetch_sub_explicit(&type->refcount, 1, memory_order_acq_rel) != 1) return;
    for (int32_t i = 0; i < type->n_children; i++) nl_field_clear(&type->children[i]);
    nl_free(type->children);
    nl_free(type->timezone);
    nl_free(type);
}

/* Nullability and the list item's name are layout details, not part of the
 * type: two lists of BIGINT are equal whatever their item is called. */
bool nl_type_equals(const nl_type *a, const nl_type *b) {
    if (a == b) return true;
    if (!a || !b || a->id != b->id) return false;
    switch (a->id) {
    case NL_TYPE_DECIMAL128: return a->precision == b->precision && a->scale == b->scale;
    case NL_TYPE_TIME64:
    case NL_TYPE_DURATION: return a->unit == b->unit;
    case NL_TYPE_TIMESTAMP:
        if (a->unit != b->unit) return false;
        if (!a->timezone || !b->timezone) return a->timezone == b->timezone;
        return strcmp(a->timezone, b->timezone) == 0;
    case NL_TYPE_LIST: return nl_type_equals(a->children[0].type, b->children[0].type);
    case NL_TYPE_STRUCT:
        if (a->n_children != b->n_children) return false;
        for (int32_t i = 0; i < a->n_children; i++) {
            if (strcmp(a->children[i].name, b->children[i].name) != 0) return false;
            if (!nl_type_equals(a->children[i].type, b->children[i].type)) return false;
        }
        return true;
    default: return true;
    }
}

int nl_type_byte_width(nl_type_id id) {
    switch (id) {
    case NL_TYPE_NULL:
    case NL_TYPE_BOOL: return 0;
    case NL_TYPE_INT8:
    case NL_TYPE_UINT8: return 1;
    case NL_TYPE_INT16:
    case NL_TYPE_UINT16: return 2;
    case NL_TYPE_INT32:
    case NL_TYPE_UINT32:
    case NL_TYPE_FLOAT32:
    case NL_TYPE_DATE32: return 4;
    case NL_TYPE_INT64:
    case NL_TYPE_UINT64:
    case NL_TYPE_FLOAT64:
    case NL_TYPE_TIME64:
    case NL_TYPE_TIMESTAMP:
    case NL_TYPE_DURATION: return 8;
    case NL_TYPE_DECIMAL128: return 16;
    default: return -1;
    }
}

bool nl_type_is_signed_integer(nl_type_id id) {
    return id == NL_TYPE_INT8 || id == NL_TYPE_INT16 || id == NL_TYPE_INT32 || id == NL_TYPE_INT64;
}
bool nl_type_is_unsigned_integer(nl_type_id id) {
    return id == NL_TYPE_UINT8 || id == NL_TYPE_UINT16 || id == NL_TYPE_UINT32 ||
           id == NL_TYPE_UINT64;
}
bool nl_type_is_integer(nl_type_id id) {
    return nl_type_is_signed_integer(id) || nl_type_is_unsigned_integer(id);
}
bool nl_type_is_floating(nl_type_id id) { return id == NL_TYPE_FLOAT32 || id == NL_TYPE_FLOAT64; }
bool nl_type_is_numeric(nl_type_id id) {
    return nl_type_is_integer(id) || nl_type_is_floating(id) || id == NL_TYPE_DECIMAL128;
}
bool nl_type_is_string_like(nl_type_id id) { return id == NL_TYPE_UTF8 || id == NL_TYPE_BINARY; }
bool nl_type_is_nested(nl_type_id id) { return id == NL_TYPE_LIST || id == NL_TYPE_STRUCT; }

const char *nl_time_unit_name(nl_time_unit unit) {
    switch (unit) {
    case NL_UNIT_SECOND: return "s";
    case NL_UNIT_MILLI: return "ms";
    case NL_UNIT_MICRO: return "us";
    case NL_UNIT_NANO: return "ns";
    }
    return "?";
}

/* ---- names ---- */

/* A bounded writer: appends never overflow buf and the text stays
 * NUL-terminated; a too-small buffer just truncates. */
typedef struct type_namebuf {
    char *buf;
    size_t size;
    size_t len;
} type_namebuf;

static void nb_puts(type_namebuf *nb, const char *s) {
    if (nb->size == 0) return;
    size_t n = strlen(s);
    size_t room = nb->size - 1 - nb->len;
    if (n > room) n = room;
    memcpy(nb->buf + nb->len, s, n);
    nb->len += n;
    nb->buf[nb->len] = '\0';
}

static void nb_int(type_namebuf *nb, long v) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", v);
    nb_puts(nb, tmp);
}

static void type_sql_name(type_namebuf *nb, const nl_type *t) {
    static const char *const names[NL_TYPE_COUNT_] = {
        [NL_TYPE_NULL] = "NULL",        [NL_TYPE_BOOL] = "BOOLEAN",     [NL_TYPE_INT8] = "TINYINT",
        [NL_TYPE_INT16] = "SMALLINT",   [NL_TYPE_INT32] = "INTEGER",    [NL_TYPE_INT64] = "BIGINT",
        [NL_TYPE_UINT8] = "UTINYINT",   [NL_TYPE_UINT16] = "USMALLINT", [NL_TYPE_UINT32] = "UINTEGER",
        [NL_TYPE_UINT64] = "UBIGINT",   [NL_TYPE_FLOAT32] = "FLOAT",    [NL_TYPE_FLOAT64] = "DOUBLE",
        [NL_TYPE_UTF8] = "VARCHAR",     [NL_TYPE_BINARY] = "BLOB",      [NL_TYPE_DATE32] = "DATE",
    };
    if (!t || (unsigned)t->id >= NL_TYPE_COUNT_) {
        nb_puts(nb, "?");
        return;
    }
    switch (t->id) {
    case NL_TYPE_DECIMAL128:
        nb_puts(nb, "DECIMAL(");
        nb_int(nb, t->precision);
        nb_puts(nb, ",");
        nb_int(nb, t->scale);
        nb_puts(nb, ")");
        return;
    case NL_TYPE_TIME64:
        nb_puts(nb, t->unit == NL_UNIT_NANO ? "TIME(ns)" : "TIME");
        return;
    case NL_TYPE_TIMESTAMP:
        nb_puts(nb, "TIMESTAMP(");
        nb_puts(nb, nl_time_unit_name(t->unit));
        if (t->timezone) {
            nb_puts(nb, ", ");
            nb_puts(nb, t->timezone);
        }
        nb_puts(nb, ")");
        return;
    case NL_TYPE_DURATION:
        nb_puts(nb, "INTERVAL(");
        nb_puts(nb, nl_time_unit_name(t->unit));
        nb_puts(nb, ")");
        return;
    case NL_TYPE_LIST:
        nb_puts(nb, "LIST<");
        type_sql_name(nb, t->children[0].type);
        nb_puts(nb, ">");
        return;
    case NL_TYPE_STRUCT:
        nb_puts(nb, "STRUCT<");
        for (int32_t i = 0; i < t->n_children; i++) {
            if (i) nb_puts(nb, ", ");
            nb_puts(nb, t->children[i].name);
            nb_puts(nb, ": ");
            type_sql_name(nb, t->children[i].type);
        }
        nb_puts(nb, ">");
        return;
    default: nb_puts(nb, names[t->id] ? names[t->id] : "?"); return;
    }
}

const char *nl_type_name(const nl_type *type, char *buf, size_t bufsize) {
    type_namebuf nb = {buf, bufsize, 0};
    if (bufsize) buf[0] = '\0';
    type_sql_name(&nb, type);
    return buf;
}

/* Polars writes microseconds with the Greek mu. */
static const char *polars_unit_name(nl_time_unit unit) {
    switch (unit) {
    case NL_UNIT_SECOND: return "s";
    case NL_UNIT_MILLI: return "ms";
    case NL_UNIT_MICRO: return "\xce\xbcs";
    case NL_UNIT_NANO: return "ns";
    }
    return "?";
}

static void type_polars_name(type_namebuf *nb, const nl_type *t) {
    static const char *const names[NL_TYPE_COUNT_] = {
        [NL_TYPE_NULL] = "null",  [NL_TYPE_BOOL] = "bool",      [NL_TYPE_INT8] = "i8",
        [NL_TYPE_INT16] = "i16",  [NL_TYPE_INT32] = "i32",      [NL_TYPE_INT64] = "i64",
        [NL_TYPE_UINT8] = "u8",   [NL_TYPE_UINT16] = "u16",     [NL_TYPE_UINT32] = "u32",
        [NL_TYPE_UINT64] = "u64", [NL_TYPE_FLOAT32] = "f32",    [NL_TYPE_FLOAT64] = "f64",
        [NL_TYPE_UTF8] = "str",   [NL_TYPE_BINARY] = "binary",  [NL_TYPE_DATE32] = "date",
        [NL_TYPE_TIME64] = "time",
    };
    if (!t || (unsigned)t->id >= NL_TYPE_COUNT_) {
        nb_puts(nb, "?");
        return;
    }
    switch (t->id) {
    case NL_TYPE_DECIMAL128:
        nb_puts(nb, "decimal[");
        nb_int(nb, t->precision);
        nb_puts(nb, ",");
        nb_int(nb, t->scale);
        nb_puts(nb, "]");
        return;
    case NL_TYPE_TIMESTAMP:
        nb_puts(nb, "datetime[");
        nb_puts(nb, polars_unit_name(t->unit));
        if (t->timezone) {
            nb_puts(nb, ", ");
            nb_puts(nb, t->timezone);
        }
        nb_puts(nb, "]");
        return;
    case NL_TYPE_DURATION:
        nb_puts(nb, "duration[");
        nb_puts(nb, polars_unit_name(t->unit));
        nb_puts(nb, "]");
        return;
    case NL_TYPE_LIST:
        nb_puts(nb, "list[");
        type_polars_name(nb, t->children[0].type);
        nb_puts(nb, "]");
        return;
    case NL_TYPE_STRUCT:
        nb_puts(nb, "struct[");
        nb_int(nb, t->n_children);
        nb_puts(nb, "]");
        return;
    default: nb_puts(nb, names[t->id] ? names[t->id] : "?"); return;
    }
}

const char *nl_type_polars_name(const nl_type *type, char *buf, size_t bufsize) {
    type_namebuf nb = {buf, bufsize, 0};
    if (bufsize) buf[0] = '\0';
    type_polars_name(&nb, type);
    return buf;
}

/* ---- fields ---- */

nl_status nl_field_init(nl_field *field, const char *name, nl_type *type, bool nullable,
                        nl_error *err) {
    field->name = nl_strdup(name ? name : "");
    field->type = type;
    field->nullable = nullable;
    if (!field->name) {
        nl_type_unref(type);
        field->type = NULL;
        return nl_error_set(err, NL_ENOMEM, "out of memory naming field '%s'", name ? name : "");
    }
    return NL_OK;
}

nl_status nl_field_copy(nl_field *dst, const nl_field *src, nl_error *err) {
    return nl_field_init(dst, src->name, nl_type_ref(src->type), src->nullable, err);
}

void nl_field_clear(nl_field *field) {
    if (!field) return;
    nl_free(field->name);
    nl_type_unref(field->type);
    field->name = NULL;
    field->type = NULL;
}

/* ---- schemas ---- */

nl_schema *nl_schema_new(const nl_field *fields, int32_t n_fields) {
    nl_schema *s = NULL;
    int32_t moved = 0;
    if (n_fields < 0 || (n_fields > 0 && !fields)) goto fail;
    s = nl_calloc(1, sizeof *s);
    if (!s) goto fail;
    atomic_init(&s->refcount, 1);
    if (n_fields > 0) {
        s->fields = nl_calloc((size_t)n_fields, sizeof *s->fields);
        if (!s->fields) goto fail;
    }
    for (; moved < n_fields; moved++) {
        s->fields[moved].name = nl_strdup(fields[moved].name ? fields[moved].name : "");
        if (!s->fields[moved].name) goto fail;
        s->fields[moved].type = fields[moved].type;
        s->fields[moved].nullable = fields[moved].nullable;
        s->n_fields = moved + 1;
    }
    return s;
fail:
    for (int32_t j = moved; j < n_fields; j++)
        if (fields) nl_type_unref(fields[j].type);
    if (s) nl_schema_unref(s);
    return NULL;
}

nl_schema *nl_schema_ref(nl_schema *schema) {
    if (schema) atomic_fetch_add_explicit(&schema->refcount, 1, memory_order_relaxed);
    return schema;
}

void nl_schema_unref(nl_schema *schema) {
    if (!schema) return;
    if (atomic_fetch_sub_explicit(&schema->refcount, 1, memory_order_acq_rel) != 1) return;
    for (int32_t i = 0; i < schema->n_fields; i++) nl_field_clear(&schema->fields[i]);
    nl_free(schema->fields);
    nl_free(schema);
}

int32_t nl_schema_find(const nl_schema *schema, const char *name) {
    if (!schema || !name) return -1;
    for (int32_t i = 0; i < schema->n_fields; i++)
        if (strcmp(schema->fields[i].name, name) == 0) return i;
    return -1;
}

int32_t nl_schema_find_ci(const nl_schema *schema, const char *name) {
    if (!schema || !name) return -1;
    /* An exact match wins over case-insensitive ones ("a" and "A" both exist). */
    int32_t exact = nl_schema_find(schema, name);
    if (exact >= 0) return exact;
    int32_t found = -1;
    for (int32_t i = 0; i < schema->n_fields; i++) {
        if (strcasecmp(schema->fields[i].name, name) == 0) {
            if (found >= 0) return -2;
            found = i;
        }
    }
    return found;
}

/* Names and types; nullability is not compared (see nl_type_equals). */
bool nl_schema_equals(const nl_schema *a, const nl_schema *b) {
    if (a == b) return true;
    if (!a || !b || a->n_fields != b->n_fields) return false;
    for (int32_t i = 0; i < a->n_fields; i++) {
        if (strcmp(a->fields[i].name, b->fields[i].name) != 0) return false;
        if (!nl_type_equals(a->fields[i].type, b->fields[i].type)) return false;
    }
    return true;
}
