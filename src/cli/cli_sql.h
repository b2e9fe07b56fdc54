/*
 * cli_sql.h -- what 'neuralake query' and 'neuralake shell' share: running
 * SQL text in a session, printing or writing the result in an output format
 * (EXPLAIN plans as plain text), reporting errors with the place in the SQL,
 * and telling where statements end.
 */
#ifndef NL_CLI_CLI_SQL_H
#define NL_CLI_CLI_SQL_H

#include <stdbool.h>
#include <stdio.h>

#include "columnar/array.h"
#include "neuralake.h"

/* The printer's formats, and Parquet (files only). */
typedef enum cli_format {
    CLI_FMT_TABLE = NL_OUTPUT_TABLE,
    CLI_FMT_CSV = NL_OUTPUT_CSV,
    CLI_FMT_JSON = NL_OUTPUT_JSON,
    CLI_FMT_NDJSON = NL_OUTPUT_NDJSON,
    CLI_FMT_MARKDOWN = NL_OUTPUT_MARKDOWN,
    CLI_FMT_PARQUET
} cli_format;

/* Parses "table", "csv", "json", "ndjson", "markdown" (or "md"), "parquet". */
bool cli_parse_format(const char *name, cli_format *out);
const char *cli_format_name(cli_format f);

/* Parses a row or column limit: a count, or "all" / a negative number for no
 * limit. */
bool cli_parse_limit(const char *s, int *out);

/* Runs `sql` in `session` and gives the last statement's result. On an error,
 * reports it on stderr (cli_report_error) and returns its status. */
nl_status cli_run(nl_session *session, const char *sql, nl_table **out);

/* Prints the error of running `sql`: the engine's message first (it starts
 * with "line L:C:" for mistakes in the SQL), then the line of SQL it points
 * at with a caret under the place. */
void cli_report_error(FILE *to, const char *sql, const nl_error *err);

/* Writes `t` in `format` to `out`, or, when `path` is set, to that file or
 * URI (s3:// too) atomically: nothing is visible there until it is whole.
 * A plan from EXPLAIN (`sql`'s last statement) prints as plain text in the
 * table format. */
nl_status cli_emit(const nl_table *t, const char *sql, cli_format format,
                   const nl_print_options *opts, FILE *out, const char *path, nl_error *err);

/* True when `text` holds at least one statement and ends with a ';' outside
 * quotes and comments (what a shell waits for before running). */
bool cli_sql_complete(const char *text);

/* The length of the first statement of `text` with its ';' (all of `text`
 * when there is none). */
size_t cli_sql_first(const char *text);

/* True when `text` holds nothing but blanks and comments. */
bool cli_sql_blank(const char *text);

/* True when the last statement of `text` begins with `keyword` (case
 * insensitive, after blanks and comments). */
bool cli_sql_last_is(const char *text, const char *keyword);

/* Seconds on a monotonic clock. */
double cli_now(void);

#endif
