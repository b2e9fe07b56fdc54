/*
 * lexer.c -- SQL text to tokens (see lexer.h). Handles -- and block comments,
 * 'strings' with '' escapes, "quoted identifiers" with "" escapes, integers,
 * decimals and exponents, and the multi-character operators.
 */
#include "sql/lexer.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"

bool sql_tok_is(const sql_token *tok, const char *word) {
    return tok->kind == SQL_TOK_IDENT && !tok->quoted && (size_t)tok->len == strlen(word) &&
           strncasecmp(tok->text, word, (size_t)tok->len) == 0;
}

bool sql_tok_op(const sql_token *tok, const char *op) {
    return tok->kind == SQL_TOK_OP && strcmp(tok->text, op) == 0;
}

typedef struct lexer {
    nl_arena *arena;
    const char *src;
    size_t pos;
    int32_t line, col;
    sql_token *toks;
    int32_t n, cap;
} lexer;

static void advance(lexer *lx, size_t n) {
    for (size_t i = 0; i < n && lx->src[lx->pos]; i++) {
        if (lx->src[lx->pos] == '\n') {
            lx->line++;
            lx->col = 1;
        } else {
            lx->col++;
        }
        lx->pos++;
    }
}

static nl_status push(lexer *lx, sql_token t, nl_error *err) {
    if (lx->n == lx->cap) {
        int32_t cap = lx->cap ? lx->cap * 2 : 64;
        sql_token *nt = nl_arena_alloc(lx->arena, sizeof(sql_token) * (size_t)cap);
        NL_CHECK_ALLOC(nt, err);
        if (lx->n) memcpy(nt, lx->toks, sizeof(sql_token) * (size_t)lx->n);
        lx->toks = nt;
        lx->cap = cap;
    }
    lx->toks[lx->n++] = t;
    return NL_OK;
}

static const char *const OPS[] = {"//", "<>", "!=", "<=", ">=", "||", "::", "==", "=", "<", ">", "+",
                                  "-",  "*",  "/",  "%",  "(",  ")",  ",",  ".", ";", "[", "]"};

nl_status sql_lex(nl_arena *arena, const char *sql, sql_tokens *out, nl_error *err) {
    lexer lx = {.arena = arena, .src = sql, .line = 1, .col = 1};
    for (;;) {
        char c = sql[lx.pos];
        if (c == 0) break;
        if (isspace((unsigned char)c)) {
            advance(&lx, 1);
            continue;
        }
        if (c == '-' && sql[lx.pos + 1] == '-') {
            while (sql[lx.pos] && sql[lx.pos] != '\n') advance(&lx, 1);
            continue;
        }
        if (c == '/' && sql[lx.pos + 1] == '*') {
            int32_t l = lx.line, co = lx.col;
            advance(&lx, 2);
            while (sql[lx.pos] && !(sql[lx.pos] == '*' && sql[lx.pos + 1] == '/')) advance(&lx, 1);
            if (!sql[lx.pos])
                return nl_error_set(err, NL_ESQL, "line %d:%d: unterminated /* comment", l, co);
            advance(&lx, 2);
            continue;
        }
        sql_token t = {.line = lx.line, .col = lx.col, .offset = (int32_t)lx.pos};
        if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
            size_t s = lx.pos;
            while (isalnum((unsigned char)sql[lx.pos]) || sql[lx.pos] == '_' ||
                   (unsigned char)sql[lx.pos] >= 0x80)
                advance(&lx, 1);
            t.kind = SQL_TOK_IDENT;
            t.len = (int32_t)(lx.pos - s);
            t.text = nl_arena_strndup(arena, sql + s, lx.pos - s);
            NL_CHECK_ALLOC(t.text, err);
        } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)sql[lx.pos + 1]))) {
            size_t s = lx.pos;
            bool is_num = false;
            while (isdigit((unsigned char)sql[lx.pos])) advance(&lx, 1);
            if (sql[lx.pos] == '.' && sql[lx.pos + 1] != '.') {
                is_num = true;
                advance(&lx, 1);
                while (isdigit((unsigned char)sql[lx.pos])) advance(&lx, 1);
            }
            if ((sql[lx.pos] == 'e' || sql[lx.pos] == 'E') &&
                (isdigit((unsigned char)sql[lx.pos + 1]) ||
                 ((sql[lx.pos + 1] == '+' || sql[lx.pos + 1] == '-') &&
                  isdigit((unsigned char)sql[lx.pos + 2])))) {
                is_num = true;
                advance(&lx, 2);
                while (isdigit((unsigned char)sql[lx.pos])) advance(&lx, 1);
            }
            if (isalpha((unsigned char)sql[lx.pos]) || sql[lx.pos] == '_')
                return nl_error_set(err, NL_ESQL, "line %d:%d: bad number '%.*s'", t.line, t.col,
                                    (int)(lx.pos - s + 1), sql + s);
            t.kind = is_num ? SQL_TOK_NUMBER : SQL_TOK_INT;
            t.len = (int32_t)(lx.pos - s);
            t.text = nl_arena_strndup(arena, sql + s, lx.pos - s);
            NL_CHECK_ALLOC(t.text, err);
        } else if (c == '\'' || c == '"') {
            char q = c;
            advance(&lx, 1);
            size_t cap = 16, n = 0;
            char *buf = nl_arena_alloc(arena, cap);
            NL_CHECK_ALLOC(buf, err);
            for (;;) {
                char d = sql[lx.pos];
                if (d == 0)
                    return nl_error_set(err, NL_ESQL, "line %d:%d: unterminated %s", t.line, t.col,
                                        q == '\'' ? "string literal" : "quoted identifier");
                if (d == q) {
                    if (sql[lx.pos + 1] == q) {
                        advance(&lx, 1);
                    } else {
                        advance(&lx, 1);
                        break;
                    }
                }
                if (n + 2 > cap) {
                    char *nb = nl_arena_alloc(arena, cap * 2);
                    NL_CHECK_ALLOC(nb, err);
                    memcpy(nb, buf, n);
                    buf = nb;
                    cap *= 2;
                }
                buf[n++] = sql[lx.pos];
                advance(&lx, 1);
            }
            buf[n] = 0;
            t.kind = q == '\'' ? SQL_TOK_STRING : SQL_TOK_IDENT;
            t.quoted = q == '"';
            t.text = buf;
            t.len = (int32_t)n;
            if (t.quoted && n == 0)
                return nl_error_set(err, NL_ESQL, "line %d:%d: empty quoted identifier", t.line,
                                    t.col);
        } else if (c == '?' || c == '$') {
            size_t s = lx.pos;
            advance(&lx, 1);
            while (isdigit((unsigned char)sql[lx.pos])) advance(&lx, 1);
            t.kind = SQL_TOK_PARAM;
            t.len = (int32_t)(lx.pos - s);
            t.text = nl_arena_strndup(arena, sql + s, lx.pos - s);
            NL_CHECK_ALLOC(t.text, err);
        } else {
            const char *op = NULL;
            for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
                size_t l = strlen(OPS[i]);
                if (strncmp(sql + lx.pos, OPS[i], l) == 0) {
                    op = OPS[i];
                    break;
                }
            }
            if (!op)
                return nl_error_set(err, NL_ESQL, "line %d:%d: unexpected character '%c'", t.line,
                                    t.col, c);
            if (strcmp(op, "==") == 0) op = "=";
            if (strcmp(op, "!=") == 0) op = "<>";
            size_t l = sql[lx.pos] == '!' || (sql[lx.pos] == '=' && sql[lx.pos + 1] == '=') ? 2
                                                                                         : strlen(op);
            advance(&lx, l);
            t.kind = SQL_TOK_OP;
            t.text = op;
            t.len = (int32_t)strlen(op);
        }
        NL_TRY(push(&lx, t, err));
    }
    sql_token eof = {.kind = SQL_TOK_EOF, .text = "", .line = lx.line, .col = lx.col,
                     .offset = (int32_t)lx.pos};
    NL_TRY(push(&lx, eof, err));
    out->toks = lx.toks;
    out->n = lx.n;
    return NL_OK;
}
