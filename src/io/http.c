/*
 * http.c -- the read-only object store over plain HTTP(S): ranged GET and
 * HEAD on the pooled, retrying HTTP engine (http_client.h). Writing and
 * listing have no meaning over plain HTTP and say so.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "io/http_client.h"
#include "io/io_internal.h"
#include "io/store.h"

typedef struct http_store {
    nl_store base;
    io_http *http;
} http_store;

static nl_status http_fail(const char *method, const char *uri, const io_http_resp *r,
                           nl_error *err) {
    if (r->status == 404 || r->status == 410)
        return nl_error_set(err, NL_ENOTFOUND, "no object at %s (HTTP %ld)", uri, r->status);
    if (r->status == 401 || r->status == 403)
        return nl_error_set(err, NL_EIO, "%s %s: access denied (HTTP %ld)", method, uri, r->status);
    if (r->status == 416)
        return nl_error_set(err, NL_EINVAL, "the range asked for is past the end of %s", uri);
    return nl_error_set(err, NL_EIO, "%s %s: HTTP %ld%s", method, uri, r->status,
                        r->attempts > 1 ? " (after retries)" : "");
}

static nl_status http_read(nl_store *st, const char *uri, bool whole, int64_t offset,
                           int64_t length, nl_buffer **out, nl_error *err) {
    http_store *s = st->impl;
    *out = NULL;
    if (!whole && length == 0) {
        nl_object_info info;
        NL_TRY(st->vt->head(st, uri, &info, err));
        nl_free(info.uri);
        if (offset > info.size)
            return nl_error_set(err, NL_EINVAL, "offset %lld is past the end of %s",
                                (long long)offset, uri);
        *out = nl_buffer_new(0);
        return *out ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    char range[64];
    io_http_header h[1];
    io_http_req req = {"GET", uri, NULL, 0, NULL, 0, whole ? -1 : length, uri};
    if (!whole) {
        snprintf(range, sizeof range, "bytes=%lld-%lld", (long long)offset,
                 (long long)(offset + length - 1));
        h[0] = (io_http_header){"Range", range};
        req.headers = h;
        req.n_headers = 1;
    }
    io_http_resp r;
    NL_TRY(io_http_perform(s->http, &req, &r, err));
    nl_status rc = NL_OK;
    if (r.status < 200 || r.status >= 300) {
        rc = http_fail("GET", uri, &r, err);
    } else if (whole || (r.status == 206 && r.body->size == length)) {
        *out = r.body;
        r.body = NULL;
    } else if (r.status == 200 && r.body->size >= offset + length) {
        /* The server ignored Range and sent everything: cut out the part. */
        *out = nl_buffer_copy_of(r.body->data + offset, length);
        if (!*out) rc = nl_error_set(err, NL_ENOMEM, "out of memory");
    } else {
        rc = nl_error_set(err, NL_EINVAL,
                          "range [%lld, %lld) is past the end of %s (got %lld bytes)",
                          (long long)offset, (long long)(offset + length), uri,
                          (long long)r.body->size);
    }
    io_http_resp_free(&r);
    return rc;
}

static nl_status http_get_range(nl_store *st, const char *uri, int64_t offset, int64_t length,
                                nl_buffer **out, nl_error *err) {
    if (offset < 0 || length < 0 || length > INT64_MAX - offset)
        return nl_error_set(err, NL_EINVAL, "bad range offset %lld length %lld of '%s'",
                            (long long)offset, (long long)length, uri);
    return http_read(st, uri, false, offset, length, out, err);
}

static nl_status http_get(nl_store *st, const char *uri, nl_buffer **out, nl_error *err) {
    return http_read(st, uri, true, 0, 0, out, err);
}

static nl_status http_head(nl_store *st, const char *uri, nl_object_info *out, nl_error *err) {
    http_store *s = st->impl;
    memset(out, 0, sizeof *out);
    io_http_req req = {"HEAD", uri, NULL, 0, NULL, 0, -1, uri};
    io_http_resp r;
    NL_TRY(io_http_perform(s->http, &req, &r, err));
    nl_status rc = NL_OK;
    if (r.status < 200 || r.status >= 300)
        rc = http_fail("HEAD", uri, &r, err);
    else if (r.content_length < 0)
        rc = nl_error_set(err, NL_ENOTSUP, "HEAD %s: the server gives no Content-Length", uri);
    else if (!(out->uri = nl_strdup(uri)))
        rc = nl_error_set(err, NL_ENOMEM, "out of memory");
    out->size = r.content_length;
    out->mtime_ms = r.mtime_ms;
    io_http_resp_free(&r);
    return rc;
}

static nl_status http_list(nl_store *st, const char *prefix_uri, const char *delimiter,
                           nl_object_list *out, nl_error *err) {
    memset(out, 0, sizeof *out);
    return nl_error_set(err, NL_ENOTSUP, "cannot list %s: plain HTTP has no listing", prefix_uri);
}

static nl_status http_read_only(const char *uri, nl_error *err) {
    return nl_error_set(err, NL_ENOTSUP, "cannot write %s: HTTP(S) stores are read-only", uri);
}

static nl_status http_put(nl_store *st, const char *uri, const void *d, int64_t n, nl_error *err) {
    return http_read_only(uri, err);
}

static nl_status http_delete(nl_store *st, const char *uri, nl_error *err) {
    return http_read_only(uri, err);
}

static nl_status http_upload_begin(nl_store *st, const char *uri, nl_upload **out, nl_error *err) {
    *out = NULL;
    return http_read_only(uri, err);
}

static void http_close(nl_store *st) {
    http_store *s = st->impl;
    io_http_free(s->http);
    nl_free(s);
}

static const nl_store_vtable HTTP_VTABLE = {
    .scheme = "http",
    .get_range = http_get_range,
    .get = http_get,
    .head = http_head,
    .list = http_list,
    .put = http_put,
    .put_if_absent = http_put,
    .delete_object = http_delete,
    .upload_begin = http_upload_begin,
    .close = http_close,
};

nl_status io_http_store_new(nl_store **out, nl_error *err) {
    *out = NULL;
    http_store *s = nl_calloc(1, sizeof *s);
    if (s) s->http = io_http_shared(NULL);
    if (!s || !s->http) {
        nl_free(s);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    s->base.vt = &HTTP_VTABLE;
    s->base.impl = s;
    *out = &s->base;
    return NL_OK;
}

io_http *io_http_store_engine(nl_store *s) { return ((http_store *)s->impl)->http; }
