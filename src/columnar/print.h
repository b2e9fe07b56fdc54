/*
 * print.h -- printing a table: Polars' DataFrame layout, and CSV, JSON,
 * NDJSON and markdown. The public entry point is nl_print_stream in
 * neuralake.h; this is the internal one over a materialised table.
 */
#ifndef NL_COLUMNAR_PRINT_H
#define NL_COLUMNAR_PRINT_H

#include "columnar/array.h"

/* Resolves -1 fields from the environment and Polars' defaults. */
nl_print_options nl_print_options_resolve(const nl_print_options *options);

nl_status nl_print_table(FILE *out, const nl_table *table, nl_output_format format,
                         const nl_print_options *options, nl_error *err);

/* The same, into a string (free with nl_free); for tests. */
nl_status nl_format_table(const nl_table *table, nl_output_format format,
                          const nl_print_options *options, char **out, nl_error *err);

/* Display width in terminal columns of UTF-8 text (CJK and emoji count 2). */
int64_t nl_display_width(const char *s, size_t len);

#endif
