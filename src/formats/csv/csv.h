/*
 * csv.h -- reading CSV text into a table: RFC 4180 quoting (delimiters,
 * quotes and newlines inside quoted fields, "" for a quote), CRLF or LF line
 * ends, a header line or generated names, and column types inferred from the
 * first rows unless the caller fixes them.
 */
#ifndef NL_FORMATS_CSV_CSV_H
#define NL_FORMATS_CSV_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "columnar/array.h"

typedef struct csv_options {
    char delimiter;                 /* ',' */
    char quote;                     /* '"' */
    bool header;                    /* the first line names the columns */
    int64_t infer_rows;             /* rows used to infer types; -1 = all */
    const char *const *null_values; /* NULL-terminated; NULL = {"", "NULL"} */
    /* Column names when there is no header (NULL-terminated; missing names
     * become column_1, column_2 ...). */
    const char *const *names;
} csv_options;

void csv_options_init(csv_options *o);

/* Parses `len` bytes of `text`. Columns whose name is in `types` (may be
 * NULL) get that field's type; the others are inferred: bool, i64, f64,
 * date, datetime[us], else str (a column of only nulls is str). `what` names
 * the input in errors ("data/x.csv"), which say the line and the column. */
nl_status csv_read(const char *text, size_t len, const csv_options *o, const nl_schema *types,
                   const char *what, nl_table **out, nl_error *err);

#endif
