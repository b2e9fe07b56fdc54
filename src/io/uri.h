/*
 * uri.h -- splitting the URIs the object stores accept into scheme, authority
 * and path: plain paths, file://, s3://bucket/key, http(s)://host/path and
 * memory://name. Nothing is decoded; a path is kept exactly as written.
 */
#ifndef NL_IO_URI_H
#define NL_IO_URI_H

#include "neuralake.h"

typedef enum nl_uri_kind {
    NL_URI_FILE,   /* a plain path or file:// */
    NL_URI_S3,     /* s3://bucket/key (also s3a://) */
    NL_URI_HTTP,   /* http:// or https:// */
    NL_URI_MEMORY  /* memory://key, the in-memory test store */
} nl_uri_kind;

typedef struct nl_uri {
    nl_uri_kind kind;
    char *scheme; /* "file", "s3", "http", "https", "memory" (owned) */
    char *host;   /* the bucket for s3, host[:port] for http, "" otherwise (owned) */
    char *path;   /* file: the path as given (absolute for file://); s3: the key
                     without a leading '/'; http: path and query from the first '/';
                     memory: everything after "memory://" (owned) */
} nl_uri;

/* Parses `text`. A string without "scheme://" is a local path. Unknown schemes
 * are NL_ENOTSUP; an s3:// URI without a bucket is NL_EINVAL. Free with
 * nl_uri_free. */
nl_status nl_uri_parse(const char *text, nl_uri *out, nl_error *err);
void nl_uri_free(nl_uri *uri);

/* The local path a plain path or file:// URI names (owned), or NULL when the
 * text is not a local URI or out of memory. */
char *nl_uri_local_path(const char *text);

#endif
