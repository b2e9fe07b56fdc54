/*
 * write_arrow.c -- the "ARROW:schema" key-value entry: the Arrow IPC Schema
 * message of the written schema, base64-encoded, so Arrow readers (pyarrow,
 * Polars, DuckDB's Arrow export) see the exact types. Not written yet.
 */
#include "base/error.h"
#include "formats/parquet/write_internal.h"

nl_status pqw_arrow_schema_b64(const nl_schema *schema, char **out, nl_error *err) {
    (void)schema;
    (void)err;
    *out = NULL;
    return NL_OK;
}
