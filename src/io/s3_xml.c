/*
 * s3_xml.c -- element search and entity decoding for S3's XML replies (see
 * s3_xml.h). Every search is bounded by the reply's end, since a reply body
 * is not NUL-terminated and may be cut short.
 */
#include "io/s3_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"

static const char *find(const char *from, const char *end, const char *needle) {
    size_t n = strlen(needle);
    if (from >= end || (size_t)(end - from) < n) return NULL;
    return memmem(from, (size_t)(end - from), needle, n);
}

bool s3_xml_element(const char **pos, const char *end, const char *tag, const char **inner,
                    const char **inner_end) {
    char open[96], close[96];
    size_t tl = strlen(tag);
    if (tl + 4 > sizeof open) return false;
    snprintf(open, sizeof open, "<%s", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *p = *pos;
    for (;;) {
        const char *o = find(p, end, open);
        if (!o) return false;
        const char *after = o + strlen(open);
        if (after >= end) return false;
        /* "<Key>" or "<Key attr=...>" but not "<KeyMarker>" */
        if (*after != '>' && *after != ' ' && *after != '/') {
            p = after;
            continue;
        }
        const char *gt = memchr(after, '>', (size_t)(end - after));
        if (!gt) return false;
        if (gt[-1] == '/') { /* <Tag/>: empty */
            *inner = *inner_end = gt + 1;
            *pos = gt + 1;
            return true;
        }
        const char *c = find(gt + 1, end, close);
        if (!c) return false;
        *inner = gt + 1;
        *inner_end = c;
        *pos = c + strlen(close);
        return true;
    }
}

char *s3_xml_text(const char *start, const char *end, const char *tag) {
    const char *pos = start, *in, *in_end;
    if (!s3_xml_element(&pos, end, tag, &in, &in_end)) return NULL;
    return s3_xml_decode(in, (size_t)(in_end - in));
}

static void put_utf8(nl_strbuf *sb, unsigned long cp) {
    if (cp < 0x80) {
        nl_strbuf_putc(sb, (char)cp);
    } else if (cp < 0x800) {
        nl_strbuf_putc(sb, (char)(0xC0 | (cp >> 6)));
        nl_strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        nl_strbuf_putc(sb, (char)(0xE0 | (cp >> 12)));
        nl_strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        nl_strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x110000) {
        nl_strbuf_putc(sb, (char)(0xF0 | (cp >> 18)));
        nl_strbuf_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
        nl_strbuf_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
        nl_strbuf_putc(sb, (char)(0x80 | (cp & 0x3F)));
    }
}

char *s3_xml_decode(const char *s, size_t n) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_reserve(&sb, n + 1);
    nl_strbuf_puts(&sb, "");
    static const struct {
        const char *name;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t i = 0; i < n;) {
        if (s[i] != '&') {
            nl_strbuf_putc(&sb, s[i++]);
            continue;
        }
        bool done = false;
        for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
            size_t el = strlen(ents[k].name);
            if (n - i >= el && memcmp(s + i, ents[k].name, el) == 0) {
                nl_strbuf_putc(&sb, ents[k].c);
                i += el;
                done = true;
            }
        }
        if (!done && n - i > 3 && s[i + 1] == '#') {
            const char *semi = memchr(s + i, ';', n - i);
            if (semi && semi - (s + i) < 12) {
                char num[16];
                size_t len = (size_t)(semi - (s + i + 2));
                memcpy(num, s + i + 2, len);
                num[len] = '\0';
                char *e;
                unsigned long cp = (num[0] == 'x' || num[0] == 'X') ? strtoul(num + 1, &e, 16)
                                                                    : strtoul(num, &e, 10);
                if (*e == '\0') {
                    put_utf8(&sb, cp);
                    i = (size_t)(semi - s) + 1;
                    done = true;
                }
            }
        }
        if (!done) nl_strbuf_putc(&sb, s[i++]);
    }
    return nl_strbuf_take(&sb);
}
