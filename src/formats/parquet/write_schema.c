/*
 * write_schema.c -- from a Neuralake schema to the Parquet schema: the
 * SchemaElement list of the footer and, for each leaf column, the plan the
 * writer follows (its path, its maximum definition and repetition levels, its
 * physical type, how values convert, and the order of its statistics).
 *
 * Mapping (LogicalTypes.md; each logical type also sets its converted type
 * where one exists, for old readers):
 *   BOOL                     BOOLEAN
 *   INT8/16/32, UINT8/16/32  INT32 + INTEGER(bits, signed)
 *   INT64, UINT64            INT64 + INTEGER(64, signed)
 *   FLOAT32, FLOAT64         FLOAT, DOUBLE
 *   DECIMAL128(p, s)         INT32 (p <= 9), INT64 (p <= 18), else
 *                            FIXED_LEN_BYTE_ARRAY of the fewest bytes for p
 *   UTF8 / BINARY            BYTE_ARRAY + STRING / plain BYTE_ARRAY
 *   DATE32                   INT32 + DATE
 *   TIME64(unit)             INT64 + TIME(local, unit)
 *   TIMESTAMP(unit, tz)      INT64 + TIMESTAMP(adjusted to UTC iff tz, unit);
 *                            seconds are written as milliseconds
 *   DURATION(unit)           INT64 (the unit travels in ARROW:schema)
 *   NULL                     optional INT32 + UNKNOWN, every value null
 *   LIST<item>               <group name (LIST)> { repeated group list { element } }
 *   STRUCT                   a group of its fields
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/write_internal.h"

/* parquet.thrift: FieldRepetitionType, ConvertedType */
enum { REP_REQUIRED = 0, REP_OPTIONAL = 1, REP_REPEATED = 2 };
enum {
    CONV_UTF8 = 0,
    CONV_LIST = 3,
    CONV_DECIMAL = 5,
    CONV_DATE = 6,
    CONV_TIME_MILLIS = 7,
    CONV_TIME_MICROS = 8,
    CONV_TIMESTAMP_MILLIS = 9,
    CONV_TIMESTAMP_MICROS = 10,
    CONV_UINT_8 = 11,
    CONV_INT_8 = 15
};
/* parquet.thrift: LogicalType union members */
enum {
    LT_STRING = 1,
    LT_LIST = 3,
    LT_DECIMAL = 5,
    LT_DATE = 6,
    LT_TIME = 7,
    LT_TIMESTAMP = 8,
    LT_INTEGER = 10,
    LT_UNKNOWN = 11
};
/* parquet.thrift: SchemaElement fields */
enum {
    SE_TYPE = 1,
    SE_TYPE_LENGTH = 2,
    SE_REPETITION = 3,
    SE_NAME = 4,
    SE_NUM_CHILDREN = 5,
    SE_CONVERTED = 6,
    SE_SCALE = 7,
    SE_PRECISION = 8,
    SE_LOGICAL = 10
};

/* Fewest bytes whose two's complement holds every p-digit decimal. */
static int32_t decimal_flba_bytes(int32_t precision) {
    unsigned __int128 limit = 1;
    for (int32_t i = 0; i < precision; i++) limit *= 10;
    limit -= 1; /* the largest magnitude */
    for (int32_t n = 1; n < 16; n++) {
        unsigned __int128 max_pos = ((unsigned __int128)1 << (8 * n - 1)) - 1;
        if (limit <= max_pos) return n;
    }
    return 16;
}

typedef struct plan_ctx {
    pqw_plan *plan;
    pq_tw tw;
    int32_t cap_leaves;
    int32_t top;
    pqw_step steps[PQW_MAX_STEPS];
    int32_t n_steps;
    const char *path[PQW_MAX_STEPS * 2];
    int32_t n_path;
    nl_error *err;
} plan_ctx;

static void time_unit(pq_tw *tw, int16_t id, nl_time_unit unit) {
    pq_tw_field_struct(tw, id);
    pq_tw_field_empty_struct(tw, unit == NL_UNIT_NANO ? 3 : unit == NL_UNIT_MICRO ? 2 : 1);
    pq_tw_struct_end(tw);
}

static void int_logical(pq_tw *tw, int bits, bool is_signed) {
    pq_tw_field_struct(tw, SE_LOGICAL);
    pq_tw_field_struct(tw, LT_INTEGER);
    pq_tw_field_i8(tw, 1, (int8_t)bits);
    pq_tw_field_bool(tw, 2, is_signed);
    pq_tw_struct_end(tw);
    pq_tw_struct_end(tw);
}

/* Fills the leaf's physical description and writes the element's type,
 * converted type and logical type fields (those with ids around 'name' are
 * split by the caller: type and type_length come before name). */
static nl_status leaf_describe(pqw_leaf *leaf, const nl_type *t, nl_error *err) {
    leaf->type = t;
    leaf->type_length = 0;
    switch (t->id) {
    case NL_TYPE_NULL:
        leaf->phys = PQW_INT32, leaf->width = 4, leaf->conv = PQW_CONV_NONE;
        leaf->order = PQW_ORDER_NONE;
        break;
    case NL_TYPE_BOOL:
        leaf->phys = PQW_BOOLEAN, leaf->width = 1, leaf->conv = PQW_CONV_BOOL;
        leaf->order = PQW_ORDER_BOOL;
        break;
    case NL_TYPE_INT8: case NL_TYPE_INT16: case NL_TYPE_INT32: case NL_TYPE_DATE32:
        leaf->phys = PQW_INT32, leaf->width = 4, leaf->order = PQW_ORDER_I32;
        leaf->conv = t->id == NL_TYPE_INT8 ? PQW_CONV_I8 : t->id == NL_TYPE_INT16 ? PQW_CONV_I16
                                                                                  : PQW_CONV_I32;
        break;
    case NL_TYPE_UINT8: case NL_TYPE_UINT16: case NL_TYPE_UINT32:
        leaf->phys = PQW_INT32, leaf->width = 4, leaf->order = PQW_ORDER_U32;
        leaf->conv = t->id == NL_TYPE_UINT8 ? PQW_CONV_U8 : t->id == NL_TYPE_UINT16 ? PQW_CONV_U16
                                                                                    : PQW_CONV_U32;
        break;
    case NL_TYPE_INT64: case NL_TYPE_TIME64: case NL_TYPE_DURATION:
        leaf->phys = PQW_INT64, leaf->width = 8, leaf->conv = PQW_CONV_COPY8;
        leaf->order = PQW_ORDER_I64;
        break;
    case NL_TYPE_TIMESTAMP:
        leaf->phys = PQW_INT64, leaf->width = 8, leaf->order = PQW_ORDER_I64;
        leaf->conv = t->unit == NL_UNIT_SECOND ? PQW_CONV_SEC_TO_MS : PQW_CONV_COPY8;
        break;
    case NL_TYPE_UINT64:
        leaf->phys = PQW_INT64, leaf->width = 8, leaf->conv = PQW_CONV_COPY8;
        leaf->order = PQW_ORDER_U64;
        break;
    case NL_TYPE_FLOAT32:
        leaf->phys = PQW_FLOAT, leaf->width = 4, leaf->conv = PQW_CONV_COPY4;
        leaf->order = PQW_ORDER_FLOAT;
        break;
    case NL_TYPE_FLOAT64:
        leaf->phys = PQW_DOUBLE, leaf->width = 8, leaf->conv = PQW_CONV_COPY8;
        leaf->order = PQW_ORDER_DOUBLE;
        break;
    case NL_TYPE_DECIMAL128:
        if (t->precision < 1 || t->precision > 38 || t->scale < 0 || t->scale > t->precision)
            return nl_error_set(err, NL_EINVAL, "DECIMAL(%d,%d) cannot be written to Parquet",
                                t->precision, t->scale);
        if (t->precision <= 9) {
            leaf->phys = PQW_INT32, leaf->width = 4, leaf->conv = PQW_CONV_DEC_I32;
            leaf->order = PQW_ORDER_I32;
        } else if (t->precision <= 18) {
            leaf->phys = PQW_INT64, leaf->width = 8, leaf->conv = PQW_CONV_DEC_I64;
            leaf->order = PQW_ORDER_I64;
        } else {
            leaf->phys = PQW_FLBA, leaf->conv = PQW_CONV_DEC_FLBA;
            leaf->type_length = decimal_flba_bytes(t->precision);
            leaf->width = leaf->type_length;
            leaf->order = PQW_ORDER_DECIMAL;
        }
        break;
    case NL_TYPE_UTF8: case NL_TYPE_BINARY:
        leaf->phys = PQW_BYTE_ARRAY, leaf->width = 0, leaf->conv = PQW_CONV_BYTES;
        leaf->order = PQW_ORDER_BYTES;
        break;
    default:
        return nl_error_set(err, NL_EINTERNAL, "type id %d is not a leaf type", (int)t->id);
    }
    return NL_OK;
}

/* The converted and logical type fields of a leaf element. */
static void leaf_annotate(pq_tw *tw, const pqw_leaf *leaf) {
    const nl_type *t = leaf->type;
    switch (t->id) {
    case NL_TYPE_NULL:
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_empty_struct(tw, LT_UNKNOWN);
        pq_tw_struct_end(tw);
        break;
    case NL_TYPE_INT8: case NL_TYPE_INT16: case NL_TYPE_INT32: case NL_TYPE_INT64: {
        int bits = t->id == NL_TYPE_INT8 ? 8 : t->id == NL_TYPE_INT16 ? 16
                 : t->id == NL_TYPE_INT32 ? 32 : 64;
        int k = t->id == NL_TYPE_INT8 ? 0 : t->id == NL_TYPE_INT16 ? 1 : t->id == NL_TYPE_INT32 ? 2 : 3;
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_INT_8 + k);
        int_logical(tw, bits, true);
        break;
    }
    case NL_TYPE_UINT8: case NL_TYPE_UINT16: case NL_TYPE_UINT32: case NL_TYPE_UINT64: {
        int k = t->id == NL_TYPE_UINT8 ? 0 : t->id == NL_TYPE_UINT16 ? 1 : t->id == NL_TYPE_UINT32 ? 2 : 3;
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_UINT_8 + k);
        int_logical(tw, 8 << k, false);
        break;
    }
    case NL_TYPE_DECIMAL128:
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_DECIMAL);
        pq_tw_field_i32(tw, SE_SCALE, t->scale);
        pq_tw_field_i32(tw, SE_PRECISION, t->precision);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_struct(tw, LT_DECIMAL);
        pq_tw_field_i32(tw, 1, t->scale);
        pq_tw_field_i32(tw, 2, t->precision);
        pq_tw_struct_end(tw);
        pq_tw_struct_end(tw);
        break;
    case NL_TYPE_UTF8:
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_UTF8);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_empty_struct(tw, LT_STRING);
        pq_tw_struct_end(tw);
        break;
    case NL_TYPE_DATE32:
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_DATE);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_empty_struct(tw, LT_DATE);
        pq_tw_struct_end(tw);
        break;
    case NL_TYPE_TIME64:
        if (t->unit == NL_UNIT_MICRO) pq_tw_field_i32(tw, SE_CONVERTED, CONV_TIME_MICROS);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_struct(tw, LT_TIME);
        pq_tw_field_bool(tw, 1, false);
        time_unit(tw, 2, t->unit);
        pq_tw_struct_end(tw);
        pq_tw_struct_end(tw);
        break;
    case NL_TYPE_TIMESTAMP: {
        bool utc = t->timezone != NULL;
        nl_time_unit unit = t->unit == NL_UNIT_SECOND ? NL_UNIT_MILLI : t->unit;
        /* The converted types mean "adjusted to UTC" (LogicalTypes.md). */
        if (utc && unit == NL_UNIT_MILLI) pq_tw_field_i32(tw, SE_CONVERTED, CONV_TIMESTAMP_MILLIS);
        if (utc && unit == NL_UNIT_MICRO) pq_tw_field_i32(tw, SE_CONVERTED, CONV_TIMESTAMP_MICROS);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_struct(tw, LT_TIMESTAMP);
        pq_tw_field_bool(tw, 1, utc);
        time_unit(tw, 2, unit);
        pq_tw_struct_end(tw);
        pq_tw_struct_end(tw);
        break;
    }
    default:
        break;
    }
}

static void group_element(pq_tw *tw, const char *name, int rep, int32_t n_children, bool list) {
    pq_tw_struct_begin(tw);
    if (rep >= 0) pq_tw_field_i32(tw, SE_REPETITION, rep);
    pq_tw_field_string(tw, SE_NAME, name);
    pq_tw_field_i32(tw, SE_NUM_CHILDREN, n_children);
    if (list) {
        pq_tw_field_i32(tw, SE_CONVERTED, CONV_LIST);
        pq_tw_field_struct(tw, SE_LOGICAL);
        pq_tw_field_empty_struct(tw, LT_LIST);
        pq_tw_struct_end(tw);
    }
    pq_tw_struct_end(tw);
    pq_tw_ok(tw);
}

static nl_status plan_field(plan_ctx *c, const char *name, const nl_type *t, bool nullable,
                            int16_t def, int16_t rep);

static nl_status push_step(plan_ctx *c, pqw_step s, const char *name) {
    if (c->n_steps >= PQW_MAX_STEPS || c->n_path >= PQW_MAX_STEPS * 2)
        return nl_error_set(c->err, NL_ENOTSUP, "column nested deeper than %d levels",
                            PQW_MAX_STEPS);
    c->steps[c->n_steps++] = s;
    c->path[c->n_path++] = name;
    return NL_OK;
}

static nl_status add_leaf(plan_ctx *c, const nl_type *t, int16_t def, int16_t rep) {
    pqw_plan *p = c->plan;
    if (def > 255 || rep > 255)
        return nl_error_set(c->err, NL_ENOTSUP, "column nested too deeply (%d levels)", def);
    if (p->n_leaves == c->cap_leaves) {
        int32_t cap = c->cap_leaves ? c->cap_leaves * 2 : 16;
        pqw_leaf *nl = nl_realloc(p->leaves, (size_t)cap * sizeof *nl);
        NL_CHECK_ALLOC(nl, c->err);
        p->leaves = nl;
        c->cap_leaves = cap;
    }
    pqw_leaf *leaf = &p->leaves[p->n_leaves];
    memset(leaf, 0, sizeof *leaf);
    NL_TRY(leaf_describe(leaf, t, c->err));
    leaf->top = c->top;
    leaf->n_steps = c->n_steps;
    memcpy(leaf->steps, c->steps, (size_t)c->n_steps * sizeof(pqw_step));
    leaf->max_def = def;
    leaf->max_rep = rep;
    leaf->path = nl_calloc((size_t)c->n_path, sizeof(char *));
    NL_CHECK_ALLOC(leaf->path, c->err);
    p->n_leaves++;
    leaf->n_path = c->n_path;
    for (int32_t i = 0; i < c->n_path; i++) {
        leaf->path[i] = nl_strdup(c->path[i]);
        NL_CHECK_ALLOC(leaf->path[i], c->err);
    }
    return NL_OK;
}

/* Writes the element(s) of one field and plans the leaves under it. `def` and
 * `rep` are the levels of the field's parent. */
static nl_status plan_field(plan_ctx *c, const char *name, const nl_type *t, bool nullable,
                            int16_t def, int16_t rep) {
    pq_tw *tw = &c->tw;
    if (t->id == NL_TYPE_NULL) nullable = true; /* only nulls: must be optional */
    int16_t d = (int16_t)(def + (nullable ? 1 : 0));
    int repetition = nullable ? REP_OPTIONAL : REP_REQUIRED;
    c->plan->n_schema_elems++;
    if (t->id == NL_TYPE_STRUCT) {
        if (t->n_children <= 0)
            return nl_error_set(c->err, NL_ENOTSUP,
                                "column '%s': a struct without fields cannot be written to Parquet",
                                name);
        group_element(tw, name, repetition, t->n_children, false);
        for (int32_t i = 0; i < t->n_children; i++) {
            pqw_step s = {PQW_STEP_STRUCT, nullable, i, 0};
            int32_t save_steps = c->n_steps, save_path = c->n_path;
            NL_TRY(push_step(c, s, name));
            const nl_field *f = &t->children[i];
            NL_TRY(plan_field(c, f->name, f->type, f->nullable, d, rep));
            c->n_steps = save_steps;
            c->n_path = save_path;
        }
        return NL_OK;
    }
    if (t->id == NL_TYPE_LIST) {
        if (t->n_children != 1)
            return nl_error_set(c->err, NL_EINVAL, "column '%s': a list needs one item type", name);
        group_element(tw, name, repetition, 1, true);
        group_element(tw, "list", REP_REPEATED, 1, false);
        c->plan->n_schema_elems++;
        pqw_step s = {PQW_STEP_LIST, nullable, 0, (int16_t)(rep + 1)};
        int32_t save_steps = c->n_steps, save_path = c->n_path;
        NL_TRY(push_step(c, s, name));
        c->path[c->n_path++] = "list";
        const nl_field *item = &t->children[0];
        NL_TRY(plan_field(c, "element", item->type, item->nullable, (int16_t)(d + 1),
                          (int16_t)(rep + 1)));
        c->n_steps = save_steps;
        c->n_path = save_path;
        return NL_OK;
    }
    /* A leaf. */
    pqw_step s = {PQW_STEP_LEAF, nullable, 0, 0};
    int32_t save_steps = c->n_steps, save_path = c->n_path;
    NL_TRY(push_step(c, s, name));
    NL_TRY(add_leaf(c, t, d, rep));
    c->n_steps = save_steps;
    c->n_path = save_path;
    const pqw_leaf *leaf = &c->plan->leaves[c->plan->n_leaves - 1];
    pq_tw_struct_begin(tw);
    pq_tw_field_i32(tw, SE_TYPE, leaf->phys);
    if (leaf->phys == PQW_FLBA) pq_tw_field_i32(tw, SE_TYPE_LENGTH, leaf->type_length);
    pq_tw_field_i32(tw, SE_REPETITION, repetition);
    pq_tw_field_string(tw, SE_NAME, name);
    leaf_annotate(tw, leaf);
    pq_tw_struct_end(tw);
    return NL_OK;
}

nl_status pqw_plan_build(const nl_schema *schema, pqw_plan *plan, nl_error *err) {
    memset(plan, 0, sizeof *plan);
    pq_buf_init(&plan->schema_elems);
    plan_ctx c;
    memset(&c, 0, sizeof c);
    c.plan = plan;
    c.err = err;
    pq_tw_init(&c.tw, &plan->schema_elems);
    /* The root: a group with no repetition. */
    group_element(&c.tw, "schema", -1, schema->n_fields, false);
    plan->n_schema_elems = 1;
    for (int32_t i = 0; i < schema->n_fields; i++) {
        c.top = i;
        c.n_steps = 0;
        c.n_path = 0;
        const nl_field *f = &schema->fields[i];
        nl_status st = plan_field(&c, f->name, f->type, f->nullable, 0, 0);
        if (st != NL_OK) {
            nl_error_prefix(err, "column '%s'", f->name);
            pqw_plan_free(plan);
            return st;
        }
    }
    if (!pq_tw_ok(&c.tw)) {
        pqw_plan_free(plan);
        return nl_error_set(err, NL_ENOMEM, "out of memory writing the Parquet schema");
    }
    return NL_OK;
}

void pqw_plan_free(pqw_plan *plan) {
    for (int32_t i = 0; i < plan->n_leaves; i++) {
        pqw_leaf *l = &plan->leaves[i];
        for (int32_t j = 0; j < l->n_path && l->path; j++) nl_free(l->path[j]);
        nl_free(l->path);
    }
    nl_free(plan->leaves);
    pq_buf_free(&plan->schema_elems);
    memset(plan, 0, sizeof *plan);
}

void pqw_plan_write_schema(const pqw_plan *plan, pq_tw *tw) {
    pq_tw_field_list(tw, 2, PQ_TW_T_STRUCT, plan->n_schema_elems);
    pq_buf_append(tw->out, plan->schema_elems.data, plan->schema_elems.len);
}
