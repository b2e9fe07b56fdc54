/*
 * strbuf.c -- the growable string builder.
 */
#include "base/strbuf.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

void nl_strbuf_init(nl_strbuf *sb) {
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void nl_strbuf_free(nl_strbuf *sb) {
    nl_free(sb->data);
    nl_strbuf_init(sb);
}

bool nl_strbuf_reserve(nl_strbuf *sb, size_t extra) {
    if (sb->failed) return false;
    if (extra > SIZE_MAX - sb->len - 1) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = nl_realloc(sb->data, cap);
    if (!p) {
        sb->failed = true;
        return false;
    }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void nl_strbuf_append(nl_strbuf *sb, const void *data, size_t len) {
    if (!nl_strbuf_reserve(sb, len)) return;
    if (len) memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void nl_strbuf_puts(nl_strbuf *sb, const char *s) { nl_strbuf_append(sb, s, strlen(s)); }

void nl_strbuf_putc(nl_strbuf *sb, char c) {
    if (!nl_strbuf_reserve(sb, 1)) return;
    sb->data[sb->len++] = c;
    sb->data[sb->len] = '\0';
}

void nl_strbuf_vprintf(nl_strbuf *sb, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        sb->failed = true;
        return;
    }
    if (!nl_strbuf_reserve(sb, (size_t)n)) return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void nl_strbuf_printf(nl_strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nl_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void nl_strbuf_repeat(nl_strbuf *sb, const char *s, size_t n) {
    size_t len = strlen(s);
    if (len && n > SIZE_MAX / len) {
        sb->failed = true;
        return;
    }
    if (!nl_strbuf_reserve(sb, len * n)) return;
    for (size_t i = 0; i < n; i++) nl_strbuf_append(sb, s, len);
}

void nl_strbuf_clear(nl_strbuf *sb) {
    sb->len = 0;
    if (sb->data) sb->data[0] = '\0';
}

char *nl_strbuf_take(nl_strbuf *sb) {
    if (sb->failed) {
        nl_strbuf_free(sb);
        return NULL;
    }
    if (!sb->data && !nl_strbuf_reserve(sb, 0)) return NULL;
    if (sb->len == 0) sb->data[0] = '\0';
    char *p = sb->data;
    nl_strbuf_init(sb);
    return p;
}
