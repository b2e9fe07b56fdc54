/*
 * lexer.h -- SQL text to tokens, each with its line and column so every parse
 * error can point at the place it is about.
 *
 * Keywords are not a token kind of their own: an unquoted word is an IDENT and
 * the parser asks sql_tok_is(tok, "SELECT"), so a keyword that is not reserved
 * in some position can still be a column name there.
 */
#ifndef NL_SQL_LEXER_H
#define NL_SQL_LEXER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "neuralake.h"

typedef enum sql_tok_kind {
    SQL_TOK_EOF = 0,
    SQL_TOK_IDENT,  /* a word; `quoted` when written "like this" */
    SQL_TOK_INT,    /* 123 */
    SQL_TOK_NUMBER, /* 1.5, .5, 1e3 */
    SQL_TOK_STRING, /* 'text' with '' unescaped */
    SQL_TOK_PARAM,  /* ? or $1 (reserved; not bound yet) */
    SQL_TOK_OP      /* punctuation and operators: = <> != < <= > >= + - * / % || ( ) , . ; :: */
} sql_tok_kind;

typedef struct sql_token {
    sql_tok_kind kind;
    const char *text; /* arena copy: identifier (as written), number text, string value, operator */
    int32_t len;
    bool quoted;
    int32_t line, col; /* 1-based */
    int32_t offset;    /* byte offset in the statement text */
} sql_token;

typedef struct sql_tokens {
    sql_token *toks;
    int32_t n;
} sql_tokens;

/* Tokenizes all of `sql` (ending with an EOF token). Errors say line:column. */
nl_status sql_lex(nl_arena *arena, const char *sql, sql_tokens *out, nl_error *err);

/* True when tok is an unquoted identifier equal to `word` ignoring case. */
bool sql_tok_is(const sql_token *tok, const char *word);
/* True when tok is the operator `op`. */
bool sql_tok_op(const sql_token *tok, const char *op);

#endif
