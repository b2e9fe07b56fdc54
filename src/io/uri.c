/*
 * uri.c -- parsing object store URIs (see uri.h). The rules are small on
 * purpose: the scheme picks the backend, the backend interprets the rest.
 */
#include "io/uri.h"

#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"

static nl_status uri_fill(nl_uri *out, nl_uri_kind kind, const char *scheme, const char *host,
                          size_t host_len, const char *path, nl_error *err) {
    out->kind = kind;
    out->scheme = nl_strdup(scheme);
    out->host = nl_strndup(host, host_len);
    out->path = nl_strdup(path);
    if (!out->scheme || !out->host || !out->path) {
        nl_uri_free(out);
        return nl_error_set(err, NL_ENOMEM, "out of memory parsing a URI");
    }
    return NL_OK;
}

nl_status nl_uri_parse(const char *text, nl_uri *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    if (!text || !*text) return nl_error_set(err, NL_EINVAL, "empty URI");
    const char *sep = strstr(text, "://");
    /* A scheme is letters, digits, '+', '-', '.' before "://"; anything else
     * (e.g. "./a://b") is a path. */
    if (sep) {
        for (const char *p = text; p < sep; p++) {
            char c = *p;
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '-' || c == '.')) {
                sep = NULL;
                break;
            }
        }
        if (sep == text) sep = NULL;
    }
    if (!sep) return uri_fill(out, NL_URI_FILE, "file", "", 0, text, err);

    size_t slen = (size_t)(sep - text);
    const char *rest = sep + 3;
    if (slen == 4 && strncasecmp(text, "file", 4) == 0) {
        /* file:///abs/path or file://localhost/abs/path */
        if (strncasecmp(rest, "localhost/", 10) == 0) rest += 9;
        if (rest[0] != '/')
            return nl_error_set(err, NL_EINVAL, "file URI '%s' needs an absolute path (file:///...)",
                                text);
        return uri_fill(out, NL_URI_FILE, "file", "", 0, rest, err);
    }
    if (slen == 6 && strncasecmp(text, "memory", 6) == 0)
        return uri_fill(out, NL_URI_MEMORY, "memory", "", 0, rest, err);
    if ((slen == 2 && strncasecmp(text, "s3", 2) == 0) ||
        (slen == 3 && strncasecmp(text, "s3a", 3) == 0)) {
        const char *slash = strchr(rest, '/');
        size_t blen = slash ? (size_t)(slash - rest) : strlen(rest);
        if (blen == 0) return nl_error_set(err, NL_EINVAL, "S3 URI '%s' has no bucket", text);
        return uri_fill(out, NL_URI_S3, "s3", rest, blen, slash ? slash + 1 : "", err);
    }
    if ((slen == 4 && strncasecmp(text, "http", 4) == 0) ||
        (slen == 5 && strncasecmp(text, "https", 5) == 0)) {
        size_t hlen = strcspn(rest, "/?#");
        if (hlen == 0) return nl_error_set(err, NL_EINVAL, "HTTP URI '%s' has no host", text);
        const char *path = rest + hlen;
        nl_status st = uri_fill(out, NL_URI_HTTP, slen == 4 ? "http" : "https", rest, hlen,
                                *path ? path : "/", err);
        return st;
    }
    return nl_error_set(err, NL_ENOTSUP,
                        "unsupported URI scheme '%.*s' in '%s' (use a path, file://, s3://, "
                        "http(s):// or memory://)",
                        (int)slen, text, text);
}

void nl_uri_free(nl_uri *uri) {
    if (!uri) return;
    nl_free(uri->scheme);
    nl_free(uri->host);
    nl_free(uri->path);
    uri->scheme = uri->host = uri->path = NULL;
}

char *nl_uri_local_path(const char *text) {
    nl_uri u;
    if (nl_uri_parse(text, &u, NULL) != NL_OK) return NULL;
    char *path = NULL;
    if (u.kind == NL_URI_FILE) {
        path = u.path;
        u.path = NULL;
    }
    nl_uri_free(&u);
    return path;
}
