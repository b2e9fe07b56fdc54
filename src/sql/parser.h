/*
 * parser.h -- SQL text to statements (ast.h), by recursive descent over the
 * lexer's tokens. Errors say "line L:C: expected X, found Y".
 */
#ifndef NL_SQL_PARSER_H
#define NL_SQL_PARSER_H

#include "base/arena.h"
#include "neuralake.h"
#include "sql/ast.h"

/* Parses every statement of `sql` (separated by semicolons). The statements
 * live in `arena`. */
nl_status sql_parse(nl_arena *arena, const char *sql, sql_stmt ***out, int32_t *n_out,
                    nl_error *err);

/* Parses text holding exactly one query (a view's definition). */
nl_status sql_parse_query_text(nl_arena *arena, const char *sql, sql_query **out, nl_error *err);

#endif
