/*
 * ndjson.h -- reading newline-delimited JSON (one object per line) into a
 * table, through jansson. Columns are the keys in order of first appearance;
 * types are inferred over every line (integers, floats, booleans, strings,
 * lists of those; objects and mixed values are kept as JSON text) unless the
 * caller fixes them, in which case strings parse into dates, timestamps and
 * decimals.
 */
#ifndef NL_FORMATS_NDJSON_NDJSON_H
#define NL_FORMATS_NDJSON_NDJSON_H

#include <stddef.h>

#include "columnar/array.h"

/* Columns named in `types` (may be NULL) take that type. `what` names the
 * input in errors, which give the line and the column. */
nl_status ndjson_read(const char *text, size_t len, const nl_schema *types, const char *what,
                      nl_table **out, nl_error *err);

#endif
