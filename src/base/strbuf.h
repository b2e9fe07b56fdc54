/*
 * strbuf.h -- a growable byte and string builder.
 *
 * Always NUL-terminated (data[len] == 0) so it can be used as a C string. On
 * allocation failure the builder records it in `failed` and further appends do
 * nothing, so a sequence of appends needs one check at the end.
 */
#ifndef NL_BASE_STRBUF_H
#define NL_BASE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nl_strbuf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} nl_strbuf;

#define NL_STRBUF_INIT {NULL, 0, 0, false}

void nl_strbuf_init(nl_strbuf *sb);
void nl_strbuf_free(nl_strbuf *sb);
/* Makes room for `extra` more bytes. */
bool nl_strbuf_reserve(nl_strbuf *sb, size_t extra);
void nl_strbuf_append(nl_strbuf *sb, const void *data, size_t len);
void nl_strbuf_puts(nl_strbuf *sb, const char *s);
void nl_strbuf_putc(nl_strbuf *sb, char c);
void nl_strbuf_printf(nl_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nl_strbuf_vprintf(nl_strbuf *sb, const char *fmt, va_list ap);
/* Appends `n` copies of the string s. */
void nl_strbuf_repeat(nl_strbuf *sb, const char *s, size_t n);
void nl_strbuf_clear(nl_strbuf *sb);
/* Hands the data to the caller (free with nl_free) and resets the builder.
 * Returns NULL if any append failed. */
char *nl_strbuf_take(nl_strbuf *sb);

#endif
