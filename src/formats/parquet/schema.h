/*
 * schema.h -- mapping a Parquet schema (the flattened SchemaElement tree) to
 * an nl_schema, and to the "assembly tree" that column.c follows to turn
 * definition and repetition levels back into nested Arrow arrays.
 *
 * Mapping rules (LogicalTypes.md, including its backward-compatibility rules):
 *   groups                  STRUCT (or LIST / MAP when annotated)
 *   LIST, 3-level           LIST<element>
 *   LIST, legacy 2-level    LIST<repeated field> (a primitive, a group of
 *                           several fields, or one named "array"/"<x>_tuple")
 *   MAP / MAP_KEY_VALUE     LIST<STRUCT<key, value>>
 *   bare repeated field     LIST<field> (not nullable)
 * Leaves get the Arrow type of their logical (else converted) type; see
 * pq_leaf_type for the table.
 *
 * Each assembly node knows three level thresholds:
 *   slot   a level entry k starts a slot of the node when
 *          rep[k] <= slot_rep and def[k] >= slot_def
 *   valid  the slot holds a non-null value when def[k] >= valid_def
 *   elem   (LIST) k starts an element when rep[k] <= elem_rep and
 *          def[k] >= elem_def
 */
#ifndef NL_FORMATS_PARQUET_SCHEMA_H
#define NL_FORMATS_PARQUET_SCHEMA_H

#include "columnar/type.h"
#include "formats/parquet/metadata.h"

/* How a leaf's physical values become its Arrow values. */
typedef enum pq_conv {
    PQ_CONV_COPY = 0,   /* same width and meaning */
    PQ_CONV_BOOL,       /* bytes 0/1 -> bitmap */
    PQ_CONV_I32_I8,
    PQ_CONV_I32_I16,
    PQ_CONV_I32_U8,
    PQ_CONV_I32_U16,
    PQ_CONV_I32_TIME_MS, /* int32 ms -> int64 us */
    PQ_CONV_I32_DEC,
    PQ_CONV_I64_DEC,
    PQ_CONV_FLBA_DEC,   /* big-endian two's complement, fixed width */
    PQ_CONV_BYTES_DEC,  /* big-endian two's complement, variable width */
    PQ_CONV_INT96_TS,   /* nanos of day + Julian day -> int64 us */
    PQ_CONV_FLOAT16,    /* IEEE half -> float32 */
    PQ_CONV_UUID,       /* 16 bytes -> canonical text */
    PQ_CONV_FLBA_BIN,   /* fixed-size bytes -> BINARY */
    PQ_CONV_BYTES,      /* BYTE_ARRAY -> UTF8/BINARY as is */
    PQ_CONV_NULL        /* the UNKNOWN logical type: all nulls */
} pq_conv;

typedef struct pq_leaf_info {
    int32_t element;     /* index in meta->schema */
    int32_t physical;    /* pq_type */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY width */
    int16_t max_def, max_rep;
    pq_conv conv;
    nl_type *type; /* the Arrow type (one reference) */
    char *path;    /* "a.b.c" for messages (nl_malloc) */
} pq_leaf_info;

typedef enum pq_anode_kind { PQ_ANODE_LEAF = 0, PQ_ANODE_STRUCT, PQ_ANODE_LIST } pq_anode_kind;

typedef struct pq_anode {
    pq_anode_kind kind;
    int16_t slot_rep, slot_def, valid_def, elem_rep, elem_def;
    int32_t leaf;       /* LEAF: index into leaves */
    int32_t first_leaf; /* the leaf whose levels drive this node */
    int32_t n_leaves;
    int32_t n_children; /* STRUCT: fields; LIST: 1 */
    struct pq_anode *children;
    nl_type *type; /* one reference */
} pq_anode;

typedef struct pq_schema_map {
    nl_schema *schema; /* one reference */
    int32_t n_fields;
    pq_anode *fields; /* one per top-level field */
    int32_t n_leaves;
    pq_leaf_info *leaves;
} pq_schema_map;

/* Builds the map; errors (NL_ECORRUPT for malformed trees, NL_ENOTSUP for
 * unsupported types) name the column. */
nl_status pq_schema_map_build(const pq_file_meta *meta, pq_schema_map *out, nl_error *err);
void pq_schema_map_free(pq_schema_map *map);

/* The Arrow type and conversion of a leaf element. */
nl_status pq_leaf_type(const pq_schema_element *e, nl_type **type, pq_conv *conv, nl_error *err);

#endif
