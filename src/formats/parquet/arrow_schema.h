/*
 * arrow_schema.h -- reading the "ARROW:schema" key-value entry Arrow writers
 * (Arrow C++, Polars, our writer) leave in the footer, for the types Parquet's
 * own logical types lose: a DURATION is a plain INT64 in Parquet and a
 * timestamp's named time zone is only "adjusted to UTC". The entry is the
 * base64 of an Arrow IPC Schema message (a flatbuffer); it is read best
 * effort: anything malformed or unexpected means no hints, never an error.
 */
#ifndef NL_FORMATS_PARQUET_ARROW_SCHEMA_H
#define NL_FORMATS_PARQUET_ARROW_SCHEMA_H

#include "columnar/type.h"
#include "formats/parquet/metadata.h"

typedef enum pq_arrow_hint_kind { PQ_HINT_DURATION = 1, PQ_HINT_TIMEZONE } pq_arrow_hint_kind;

/* A column outside lists, by its path of field names joined with '.'. */
typedef struct pq_arrow_hint {
    char *path;
    pq_arrow_hint_kind kind;
    nl_time_unit unit; /* DURATION */
    char *timezone;    /* TIMEZONE: the zone's name */
} pq_arrow_hint;

typedef struct pq_arrow_hints {
    int32_t n, cap;
    pq_arrow_hint *hints;
} pq_arrow_hints;

/* Collects the hints of meta's ARROW:schema (none when absent or malformed). */
void pq_arrow_hints_read(const pq_file_meta *meta, pq_arrow_hints *out);
const pq_arrow_hint *pq_arrow_hint_find(const pq_arrow_hints *h, const char *path);
void pq_arrow_hints_free(pq_arrow_hints *h);

#endif
