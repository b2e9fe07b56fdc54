/*
 * table_ndjson.c -- NDJSON tables (placeholder until the NDJSON reader lands).
 */
#include "base/error.h"
#include "catalog/tables.h"

nl_status cat_ndjson_new(const nl_table_def *def, nl_provider **out, nl_error *err) {
    (void)def;
    *out = NULL;
    return nl_error_set(err, NL_ENOTSUP, "NDJSON tables are not supported by this build yet");
}
