/*
 * s3.c -- the object store over S3 and S3-compatible servers (MinIO, Ceph
 * RADOS Gateway, R2): signed requests over the pooled, retrying HTTP engine.
 *
 *   get_range      GET with Range; the reply must hold exactly the bytes asked
 *   head           HEAD
 *   list           ListObjectsV2, following continuation tokens to the end
 *   put            PUT (multipart above S3_SINGLE_PUT_MAX)
 *   put_if_absent  PUT with If-None-Match: *; 412 means someone else won
 *   delete         DELETE (a missing key is fine, as S3 itself says)
 *   upload         multipart: parts of part_size uploaded several at a time
 *                  on the I/O pool; commit completes, any failure aborts the
 *                  upload on the server so no parts linger
 *
 * S3's XML errors become messages naming the bucket, the key and what to
 * check (credentials, bucket name, endpoint).
 */
#include "io/s3.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "io/io_internal.h"
#include "io/s3_config.h"
#include "io/s3_sign.h"
#include "io/s3_xml.h"
#include "io/uri.h"

#define S3_MIN_PART ((int64_t)5 << 20)            /* S3's smallest part but the last */
#define S3_DEFAULT_PART ((int64_t)8 << 20)
#define S3_SINGLE_PUT_MAX ((int64_t)256 << 20)    /* larger puts go multipart */
#define S3_MAX_PARTS 10000
#define S3_MAX_LIST_PAGES 1000000

typedef struct s3_store {
    nl_store base;
    s3_config cfg;
    io_http *http;
    int64_t part_size;
    int parallelism;
} s3_store;

/* ---- addressing and signing ---------------------------------------------- */

typedef struct s3_loc {
    char *bucket;
    char *key;
} s3_loc;

static nl_status s3_loc_parse(const char *uri, s3_loc *out, nl_error *err) {
    nl_uri u;
    NL_TRY(nl_uri_parse(uri, &u, err));
    if (u.kind != NL_URI_S3) {
        nl_uri_free(&u);
        return nl_error_set(err, NL_EINVAL, "'%s' is not an s3:// URI", uri);
    }
    out->bucket = u.host;
    out->key = u.path;
    u.host = u.path = NULL;
    nl_uri_free(&u);
    return NL_OK;
}

static void s3_loc_free(s3_loc *l) {
    nl_free(l->bucket);
    nl_free(l->key);
}

typedef struct s3_call {
    const char *method;
    const s3_loc *loc;      /* key may be "" for bucket-level calls */
    const s3_kv *query;
    int n_query;
    const io_http_header *extra; /* more headers to send and sign */
    int n_extra;
    const void *body;
    int64_t body_len;
    int64_t expect_len;
} s3_call;

/* Builds, signs and performs one request. */
static nl_status s3_perform(s3_store *s, const s3_call *c, io_http_resp *resp, nl_error *err) {
    char *query = s3_query_build(c->query, c->n_query);
    s3_address addr = {0};
    nl_status ast = query ? s3_address_build(&s->cfg, c->loc->bucket, c->loc->key, query, &addr, err)
                          : nl_error_set(err, NL_ENOMEM, "out of memory building an S3 request");
    if (ast != NL_OK) {
        nl_free(query);
        return ast;
    }
    char *host = addr.host, *path = addr.path, *url = addr.url;
    char *what = nl_asprintf("s3://%s/%s", c->loc->bucket, c->loc->key);

    char payload[65];
    if (c->body && c->body_len > 0)
        s3_sha256_hex(c->body, (size_t)c->body_len, payload);
    else
        strcpy(payload, S3_EMPTY_SHA256);
    char date[17];
    s3_amz_date((int64_t)time(NULL), date);

    enum { MAX_H = 16 };
    io_http_header h[MAX_H];
    int nh = 0;
    h[nh++] = (io_http_header){"Host", host};
    h[nh++] = (io_http_header){"x-amz-date", date};
    h[nh++] = (io_http_header){"x-amz-content-sha256", payload};
    if (s->cfg.session_token) h[nh++] = (io_http_header){"x-amz-security-token", s->cfg.session_token};
    for (int i = 0; i < c->n_extra && nh < MAX_H - 1; i++) h[nh++] = c->extra[i];

    nl_status st = NL_OK;
    char *auth = NULL;
    if (!url || !what) st = nl_error_set(err, NL_ENOMEM, "out of memory building an S3 request");
    if (st == NL_OK && s->cfg.access_key) {
        s3_kv sh[MAX_H];
        for (int i = 0; i < nh; i++) sh[i] = (s3_kv){h[i].name, h[i].value};
        s3_sign_request sr = {c->method,          path, query,          sh,
                              nh,                 payload, date,        s->cfg.region,
                              "s3",               s->cfg.access_key,    s->cfg.secret_key};
        st = s3_sign(&sr, &auth, err);
        if (st == NL_OK) h[nh++] = (io_http_header){"Authorization", auth};
    }
    if (st == NL_OK) {
        io_http_req req = {c->method, url,         h,    nh,  c->body, c->body_len,
                           c->expect_len, what};
        st = io_http_perform(s->http, &req, resp, err);
    }
    nl_free(auth);
    nl_free(url);
    nl_free(what);
    nl_free(host);
    nl_free(path);
    nl_free(query);
    return st;
}

/* ---- errors ---------------------------------------------------------------- */

/* Turns a non-2xx reply into a status and a message that says what to check. */
static nl_status s3_fail(s3_store *s, const char *method, const s3_loc *loc,
                         const io_http_resp *r, nl_error *err) {
    const char *b = r->body ? (const char *)r->body->data : "";
    const char *e = b + (r->body ? r->body->size : 0);
    char *code = s3_xml_text(b, e, "Code");
    char *msg = s3_xml_text(b, e, "Message");
    const char *cd = code && *code ? code : "";
    char detail[300] = "";
    if (msg && *msg) snprintf(detail, sizeof detail, ": %s", msg);
    const char *key = loc->key;
    nl_status st;
    if (strcmp(cd, "NoSuchBucket") == 0) {
        st = nl_error_set(err, NL_ENOTFOUND, "bucket '%s' does not exist at %s (NoSuchBucket)",
                          loc->bucket, s->cfg.endpoint);
    } else if (strcmp(cd, "NoSuchKey") == 0 || (r->status == 404 && !*cd)) {
        st = nl_error_set(err, NL_ENOTFOUND, "no object s3://%s/%s (%s)", loc->bucket, key,
                          *cd ? cd : "HTTP 404");
    } else if (strcmp(cd, "SignatureDoesNotMatch") == 0) {
        st = nl_error_set(err, NL_EIO,
                          "%s s3://%s/%s: the server rejected the request signature "
                          "(SignatureDoesNotMatch): the secret key for access key id '%s' "
                          "(from %s) looks wrong",
                          method, loc->bucket, key, s->cfg.access_key ? s->cfg.access_key : "",
                          s->cfg.key_source);
    } else if (strcmp(cd, "InvalidAccessKeyId") == 0) {
        st = nl_error_set(err, NL_EIO,
                          "%s s3://%s/%s: access key id '%s' (from %s) is unknown to %s "
                          "(InvalidAccessKeyId)",
                          method, loc->bucket, key, s->cfg.access_key ? s->cfg.access_key : "",
                          s->cfg.key_source, s->cfg.endpoint);
    } else if (strcmp(cd, "AccessDenied") == 0 || r->status == 403) {
        st = nl_error_set(err, NL_EIO, "%s s3://%s/%s: access denied (%s%s)%s", method,
                          loc->bucket, key, *cd ? cd : "HTTP 403", detail,
                          s->cfg.access_key
                              ? "; check the keys and the bucket's policy"
                              : "; no credentials were found: set AWS_ACCESS_KEY_ID and "
                                "AWS_SECRET_ACCESS_KEY or AWS_PROFILE");
    } else if (r->status == 412) {
        st = nl_error_set(err, NL_EEXISTS, "s3://%s/%s already exists", loc->bucket, key);
    } else if (r->status == 416 || strcmp(cd, "InvalidRange") == 0) {
        st = nl_error_set(err, NL_EINVAL, "the range asked for is past the end of s3://%s/%s",
                          loc->bucket, key);
    } else if (r->status == 501 || strcmp(cd, "NotImplemented") == 0) {
        st = nl_error_set(err, NL_ENOTSUP, "%s s3://%s/%s: the server does not support this (%s%s)",
                          method, loc->bucket, key, *cd ? cd : "HTTP 501", detail);
    } else {
        st = nl_error_set(err, NL_EIO, "%s s3://%s/%s: HTTP %ld%s%s%s%s", method, loc->bucket, key,
                          r->status, *cd ? " " : "", cd, detail,
                          r->attempts > 1 ? " (after retries)" : "");
    }
    nl_free(code);
    nl_free(msg);
    return st;
}

static bool ok_status(long st) { return st >= 200 && st < 300; }

/* ---- reads ----------------------------------------------------------------- */

static nl_status s3_head_loc(s3_store *s, const s3_loc *loc, const char *uri, nl_object_info *out,
                             nl_error *err) {
    s3_call c = {.method = "HEAD", .loc = loc, .expect_len = -1};
    io_http_resp r;
    NL_TRY(s3_perform(s, &c, &r, err));
    nl_status st = NL_OK;
    if (r.status == 404 && *loc->key) {
        /* A HEAD reply has no body to say which is missing: ask the bucket. */
        s3_loc bucket_loc = {loc->bucket, ""};
        s3_call b = {.method = "HEAD", .loc = &bucket_loc, .expect_len = -1};
        io_http_resp br;
        if (s3_perform(s, &b, &br, NULL) == NL_OK) {
            bool no_bucket = br.status == 404;
            io_http_resp_free(&br);
            if (no_bucket) {
                io_http_resp_free(&r);
                return nl_error_set(err, NL_ENOTFOUND,
                                    "bucket '%s' does not exist at %s (NoSuchBucket)", loc->bucket,
                                    s->cfg.endpoint);
            }
        }
    }
    if (!ok_status(r.status)) {
        st = s3_fail(s, "HEAD", loc, &r, err);
    } else if (r.content_length < 0) {
        st = nl_error_set(err, NL_ECORRUPT, "HEAD s3://%s/%s: no Content-Length in the reply",
                          loc->bucket, loc->key);
    } else {
        out->uri = nl_strdup(uri);
        out->size = r.content_length;
        out->mtime_ms = r.mtime_ms;
        out->is_prefix = false;
        if (!out->uri) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    io_http_resp_free(&r);
    return st;
}

static nl_status s3_head(nl_store *st, const char *uri, nl_object_info *out, nl_error *err) {
    s3_store *s = st->impl;
    memset(out, 0, sizeof *out);
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(uri, &loc, err));
    nl_status rc = s3_head_loc(s, &loc, uri, out, err);
    s3_loc_free(&loc);
    return rc;
}

static nl_status s3_read(s3_store *s, const char *uri, bool whole, int64_t offset, int64_t length,
                         nl_buffer **out, nl_error *err) {
    *out = NULL;
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(uri, &loc, err));
    nl_status st = NL_OK;
    if (!whole && length == 0) {
        /* Nothing to fetch, but the object must exist and hold the offset. */
        nl_object_info info;
        st = s3_head_loc(s, &loc, uri, &info, err);
        if (st == NL_OK) {
            nl_free(info.uri);
            if (offset > info.size)
                st = nl_error_set(err, NL_EINVAL, "offset %lld is past the end of %s (%lld bytes)",
                                  (long long)offset, uri, (long long)info.size);
            else if (!(*out = nl_buffer_new(0)))
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        s3_loc_free(&loc);
        return st;
    }
    char range[64];
    io_http_header h[1];
    s3_call c = {.method = "GET", .loc = &loc, .expect_len = whole ? -1 : length};
    if (!whole) {
        snprintf(range, sizeof range, "bytes=%lld-%lld", (long long)offset,
                 (long long)(offset + length - 1));
        h[0] = (io_http_header){"Range", range};
        c.extra = h;
        c.n_extra = 1;
    }
    io_http_resp r;
    st = s3_perform(s, &c, &r, err);
    if (st == NL_OK) {
        if (!ok_status(r.status)) {
            st = s3_fail(s, "GET", &loc, &r, err);
        } else if (!whole && r.body->size != length) {
            st = nl_error_set(err, NL_EINVAL,
                              "range [%lld, %lld) is past the end of %s (%lld bytes); got %lld "
                              "bytes",
                              (long long)offset, (long long)(offset + length), uri,
                              (long long)r.total_size, (long long)r.body->size);
        } else if (!whole && r.status == 200 && offset != 0) {
            st = nl_error_set(err, NL_EIO, "GET %s: the server ignored the Range header", uri);
        } else {
            *out = r.body;
            r.body = NULL;
        }
        io_http_resp_free(&r);
    }
    s3_loc_free(&loc);
    return st;
}

static nl_status s3_get_range(nl_store *st, const char *uri, int64_t offset, int64_t length,
                              nl_buffer **out, nl_error *err) {
    if (offset < 0 || length < 0 || length > INT64_MAX - offset)
        return nl_error_set(err, NL_EINVAL, "bad range offset %lld length %lld of '%s'",
                            (long long)offset, (long long)length, uri);
    return s3_read(st->impl, uri, false, offset, length, out, err);
}

static nl_status s3_get(nl_store *st, const char *uri, nl_buffer **out, nl_error *err) {
    return s3_read(st->impl, uri, true, 0, 0, out, err);
}

/* ---- listing --------------------------------------------------------------- */

static int64_t parse_iso8601_ms(const char *s) {
    struct tm tm = {0};
    int ms = 0;
    if (sscanf(s, "%d-%d-%dT%d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &ms) < 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static nl_status parse_list_page(const char *bucket, const char *b, const char *e,
                                 nl_object_list *out, char **next_token, nl_error *err) {
    *next_token = NULL;
    const char *pos = b, *in, *in_end;
    while (s3_xml_element(&pos, e, "Contents", &in, &in_end)) {
        char *key = s3_xml_text(in, in_end, "Key");
        char *size = s3_xml_text(in, in_end, "Size");
        char *mod = s3_xml_text(in, in_end, "LastModified");
        nl_status st = NL_OK;
        char *endp = NULL;
        long long sz = size ? strtoll(size, &endp, 10) : -1;
        if (!key || !size || *endp || sz < 0)
            st = nl_error_set(err, NL_ECORRUPT, "listing s3://%s: an entry without a key or size",
                              bucket);
        else
            st = io_list_add(out, nl_asprintf("s3://%s/%s", bucket, key), sz,
                             mod ? parse_iso8601_ms(mod) : 0, false, err);
        nl_free(key);
        nl_free(size);
        nl_free(mod);
        if (st != NL_OK) return st;
    }
    pos = b;
    while (s3_xml_element(&pos, e, "CommonPrefixes", &in, &in_end)) {
        char *p = s3_xml_text(in, in_end, "Prefix");
        if (!p) return nl_error_set(err, NL_ECORRUPT, "listing s3://%s: a prefix without text", bucket);
        nl_status st = io_list_add(out, nl_asprintf("s3://%s/%s", bucket, p), 0, 0, true, err);
        nl_free(p);
        if (st != NL_OK) return st;
    }
    char *trunc = s3_xml_text(b, e, "IsTruncated");
    bool more = trunc && strcmp(trunc, "true") == 0;
    nl_free(trunc);
    if (more) {
        *next_token = s3_xml_text(b, e, "NextContinuationToken");
        if (!*next_token || !**next_token) {
            nl_free(*next_token);
            *next_token = NULL;
            return nl_error_set(err, NL_ECORRUPT,
                                "listing s3://%s: a truncated page without a continuation token",
                                bucket);
        }
    }
    return NL_OK;
}

static nl_status s3_list(nl_store *st, const char *prefix_uri, const char *delimiter,
                         nl_object_list *out, nl_error *err) {
    s3_store *s = st->impl;
    memset(out, 0, sizeof *out);
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(prefix_uri, &loc, err));
    s3_loc bucket_loc = {loc.bucket, ""};
    char *token = NULL;
    nl_status rc = NL_OK;
    for (int page = 0; rc == NL_OK; page++) {
        if (page >= S3_MAX_LIST_PAGES) {
            rc = nl_error_set(err, NL_EIO, "listing %s: more than %d pages", prefix_uri, page);
            break;
        }
        s3_kv q[4];
        int nq = 0;
        q[nq++] = (s3_kv){"list-type", "2"};
        if (*loc.key) q[nq++] = (s3_kv){"prefix", loc.key};
        if (delimiter && *delimiter) q[nq++] = (s3_kv){"delimiter", delimiter};
        if (token) q[nq++] = (s3_kv){"continuation-token", token};
        s3_call c = {.method = "GET", .loc = &bucket_loc, .query = q, .n_query = nq, .expect_len = -1};
        io_http_resp r;
        rc = s3_perform(s, &c, &r, err);
        if (rc != NL_OK) break;
        char *next = NULL;
        if (!ok_status(r.status)) {
            rc = s3_fail(s, "LIST", &loc, &r, err);
        } else {
            rc = parse_list_page(loc.bucket, (const char *)r.body->data,
                                 (const char *)r.body->data + r.body->size, out, &next, err);
            if (rc == NL_OK && next && token && strcmp(next, token) == 0)
                rc = nl_error_set(err, NL_ECORRUPT, "listing %s: the continuation token repeats",
                                  prefix_uri);
        }
        io_http_resp_free(&r);
        nl_free(token);
        token = next;
        if (!token) break;
    }
    nl_free(token);
    s3_loc_free(&loc);
    if (rc == NL_OK)
        io_list_sort(out);
    else
        nl_object_list_free(out);
    return rc;
}

/* ---- writes ---------------------------------------------------------------- */

static nl_status s3_put_loc(s3_store *s, const s3_loc *loc, const void *data, int64_t size,
                            bool exclusive, nl_error *err) {
    io_http_header h[1] = {{"If-None-Match", "*"}};
    s3_call c = {.method = "PUT", .loc = loc, .extra = h, .n_extra = exclusive ? 1 : 0,
                 .body = data, .body_len = size, .expect_len = -1};
    io_http_resp r;
    NL_TRY(s3_perform(s, &c, &r, err));
    nl_status st = NL_OK;
    if (exclusive && r.status == 412 && r.attempts > 1) {
        /* An earlier attempt may have created the object and lost its reply:
         * the object holding exactly our bytes means we won. */
        io_http_resp_free(&r);
        s3_call g = {.method = "GET", .loc = loc, .expect_len = -1};
        st = s3_perform(s, &g, &r, err);
        if (st != NL_OK) return st;
        bool ours = ok_status(r.status) && r.body->size == size &&
                    (size == 0 || memcmp(r.body->data, data, (size_t)size) == 0);
        io_http_resp_free(&r);
        if (ours) return NL_OK;
        return nl_error_set(err, NL_EEXISTS, "s3://%s/%s already exists", loc->bucket, loc->key);
    }
    if (!ok_status(r.status)) st = s3_fail(s, "PUT", loc, &r, err);
    io_http_resp_free(&r);
    return st;
}

static nl_status s3_put_via_upload(nl_store *st, const char *uri, const void *data, int64_t size,
                                   nl_error *err);

static nl_status s3_put(nl_store *st, const char *uri, const void *data, int64_t size,
                        nl_error *err) {
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", uri);
    if (size > S3_SINGLE_PUT_MAX) return s3_put_via_upload(st, uri, data, size, err);
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(uri, &loc, err));
    nl_status rc = s3_put_loc(st->impl, &loc, data, size, false, err);
    s3_loc_free(&loc);
    return rc;
}

static nl_status s3_put_if_absent(nl_store *st, const char *uri, const void *data, int64_t size,
                                  nl_error *err) {
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size writing '%s'", uri);
    if (size > (int64_t)5 << 30)
        return nl_error_set(err, NL_ENOTSUP, "put_if_absent of %s: over 5 GiB", uri);
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(uri, &loc, err));
    nl_status rc = s3_put_loc(st->impl, &loc, data, size, true, err);
    s3_loc_free(&loc);
    return rc;
}

static nl_status s3_delete(nl_store *st, const char *uri, nl_error *err) {
    s3_store *s = st->impl;
    s3_loc loc = {0};
    NL_TRY(s3_loc_parse(uri, &loc, err));
    s3_call c = {.method = "DELETE", .loc = &loc, .expect_len = -1};
    io_http_resp r;
    nl_status rc = s3_perform(s, &c, &r, err);
    if (rc == NL_OK) {
        if (!ok_status(r.status)) {
            rc = s3_fail(s, "DELETE", &loc, &r, err);
            if (rc == NL_ENOTFOUND && strstr(err ? err->message : "", "NoSuchBucket") == NULL)
                rc = NL_OK; /* a missing key is already deleted */
        }
        io_http_resp_free(&r);
    }
    s3_loc_free(&loc);
    if (rc == NL_OK) nl_error_clear(err);
    return rc;
}

/* ---- multipart uploads ------------------------------------------------------ */

typedef struct s3_part {
    int number;
    uint8_t *data; /* owned until uploaded */
    int64_t size;
    char *etag;
    nl_status status;
    nl_error err;
} s3_part;

typedef struct s3_upload {
    nl_upload base;
    s3_store *s;
    s3_loc loc;
    char *upload_id;
    uint8_t *buf; /* the part being filled */
    int64_t len;
    s3_part *parts;
    int n_parts, cap_parts;
    int first_pending;
    bool dead;
} s3_upload;

static void upload_free(s3_upload *u) {
    for (int i = 0; i < u->n_parts; i++) {
        nl_free(u->parts[i].data);
        nl_free(u->parts[i].etag);
    }
    nl_free(u->parts);
    nl_free(u->buf);
    nl_free(u->upload_id);
    s3_loc_free(&u->loc);
    nl_free(u);
}

static nl_status upload_initiate(s3_upload *u, nl_error *err) {
    s3_kv q[1] = {{"uploads", NULL}};
    s3_call c = {.method = "POST", .loc = &u->loc, .query = q, .n_query = 1, .expect_len = -1};
    io_http_resp r;
    NL_TRY(s3_perform(u->s, &c, &r, err));
    nl_status st = NL_OK;
    if (!ok_status(r.status)) {
        st = s3_fail(u->s, "POST (start multipart upload)", &u->loc, &r, err);
    } else {
        u->upload_id = s3_xml_text((const char *)r.body->data,
                                   (const char *)r.body->data + r.body->size, "UploadId");
        if (!u->upload_id || !*u->upload_id)
            st = nl_error_set(err, NL_ECORRUPT, "starting an upload of s3://%s/%s: no UploadId",
                              u->loc.bucket, u->loc.key);
    }
    io_http_resp_free(&r);
    return st;
}

typedef struct part_job {
    s3_upload *u;
    int first;
} part_job;

static void upload_part_task(void *ctx, int64_t i, int worker) {
    (void)worker;
    part_job *job = ctx;
    s3_upload *u = job->u;
    s3_part *p = &u->parts[job->first + i];
    char num[16];
    snprintf(num, sizeof num, "%d", p->number);
    s3_kv q[2] = {{"partNumber", num}, {"uploadId", u->upload_id}};
    s3_call c = {.method = "PUT", .loc = &u->loc, .query = q, .n_query = 2, .body = p->data,
                 .body_len = p->size, .expect_len = -1};
    io_http_resp r;
    p->status = s3_perform(u->s, &c, &r, &p->err);
    if (p->status != NL_OK) return;
    if (!ok_status(r.status)) {
        p->status = s3_fail(u->s, "PUT (upload part)", &u->loc, &r, &p->err);
    } else if (!r.etag) {
        p->status = nl_error_set(&p->err, NL_ECORRUPT, "part %d of s3://%s/%s: no ETag",
                                 p->number, u->loc.bucket, u->loc.key);
    } else {
        p->etag = r.etag;
        r.etag = NULL;
        nl_free(p->data);
        p->data = NULL;
    }
    io_http_resp_free(&r);
}

/* Uploads every pending part, several at a time. */
static nl_status upload_flush(s3_upload *u, nl_error *err) {
    if (u->first_pending == u->n_parts) return NL_OK;
    if (!u->upload_id) NL_TRY(upload_initiate(u, err));
    part_job job = {u, u->first_pending};
    io_parallel_for(u->n_parts - u->first_pending, upload_part_task, &job);
    for (int i = u->first_pending; i < u->n_parts; i++) {
        if (u->parts[i].status != NL_OK) {
            if (err) *err = u->parts[i].err;
            return u->parts[i].status;
        }
    }
    u->first_pending = u->n_parts;
    return NL_OK;
}

/* Moves the filled buffer into the part list. */
static nl_status upload_seal(s3_upload *u, nl_error *err) {
    if (u->n_parts >= S3_MAX_PARTS)
        return nl_error_set(err, NL_EOVERFLOW, "upload of s3://%s/%s: more than %d parts",
                            u->loc.bucket, u->loc.key, S3_MAX_PARTS);
    if (u->n_parts == u->cap_parts) {
        int cap = u->cap_parts ? u->cap_parts * 2 : 16;
        s3_part *p = nl_realloc(u->parts, (size_t)cap * sizeof *p);
        if (!p) return nl_error_set(err, NL_ENOMEM, "out of memory");
        u->parts = p;
        u->cap_parts = cap;
    }
    u->parts[u->n_parts] = (s3_part){.number = u->n_parts + 1, .data = u->buf, .size = u->len};
    u->n_parts++;
    u->buf = NULL;
    u->len = 0;
    return NL_OK;
}

static void upload_abort_remote(s3_upload *u) {
    if (!u->upload_id) return;
    s3_kv q[1] = {{"uploadId", u->upload_id}};
    s3_call c = {.method = "DELETE", .loc = &u->loc, .query = q, .n_query = 1, .expect_len = -1};
    io_http_resp r;
    if (s3_perform(u->s, &c, &r, NULL) == NL_OK) io_http_resp_free(&r);
}

static nl_status upload_write(nl_upload *up, const void *data, int64_t size, nl_error *err) {
    s3_upload *u = up->impl;
    if (u->dead) return nl_error_set(err, NL_EIO, "upload of s3://%s/%s already failed",
                                     u->loc.bucket, u->loc.key);
    if (size < 0) return nl_error_set(err, NL_EINVAL, "negative size");
    const uint8_t *p = data;
    int64_t part = u->s->part_size;
    while (size > 0) {
        if (!u->buf) {
            u->buf = nl_malloc((size_t)part);
            if (!u->buf) return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        int64_t n = part - u->len < size ? part - u->len : size;
        memcpy(u->buf + u->len, p, (size_t)n);
        u->len += n;
        p += n;
        size -= n;
        if (u->len == part) {
            nl_status st = upload_seal(u, err);
            if (st == NL_OK && u->n_parts - u->first_pending >= u->s->parallelism)
                st = upload_flush(u, err);
            if (st != NL_OK) {
                u->dead = true;
                return st;
            }
        }
    }
    return NL_OK;
}

static nl_status upload_complete(s3_upload *u, nl_error *err) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_puts(&sb, "<CompleteMultipartUpload>");
    for (int i = 0; i < u->n_parts; i++) {
        nl_strbuf_printf(&sb, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>",
                         u->parts[i].number, u->parts[i].etag);
    }
    nl_strbuf_puts(&sb, "</CompleteMultipartUpload>");
    if (sb.failed) {
        nl_strbuf_free(&sb);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    s3_kv q[1] = {{"uploadId", u->upload_id}};
    io_http_header h[1] = {{"Content-Type", "application/xml"}};
    s3_call c = {.method = "POST", .loc = &u->loc, .query = q, .n_query = 1, .extra = h,
                 .n_extra = 1, .body = sb.data, .body_len = (int64_t)sb.len, .expect_len = -1};
    io_http_resp r;
    nl_status st = s3_perform(u->s, &c, &r, err);
    nl_strbuf_free(&sb);
    if (st != NL_OK) return st;
    const char *b = (const char *)r.body->data, *e = b + r.body->size;
    const char *pos = b, *in, *in_end;
    /* S3 may answer 200 and still report an error in the body. */
    if (!ok_status(r.status) || s3_xml_element(&pos, e, "Error", &in, &in_end)) {
        if (ok_status(r.status)) r.status = 500;
        st = s3_fail(u->s, "POST (complete multipart upload)", &u->loc, &r, err);
    }
    io_http_resp_free(&r);
    return st;
}

/* Commits and frees the upload (whether or not the commit succeeds). */
static nl_status upload_commit(nl_upload *up, nl_error *err) {
    s3_upload *u = up->impl;
    nl_status st = NL_OK;
    if (u->dead) {
        st = nl_error_set(err, NL_EIO, "upload of s3://%s/%s already failed", u->loc.bucket,
                          u->loc.key);
    } else if (u->n_parts == 0) {
        /* Small enough for one request. */
        st = s3_put_loc(u->s, &u->loc, u->buf ? u->buf : (const uint8_t *)"", u->len, false, err);
    } else {
        if (u->len > 0) st = upload_seal(u, err);
        if (st == NL_OK) st = upload_flush(u, err);
        if (st == NL_OK) st = upload_complete(u, err);
    }
    if (st != NL_OK) {
        nl_error_prefix(err, "uploading s3://%s/%s", u->loc.bucket, u->loc.key);
        upload_abort_remote(u);
    }
    upload_free(u);
    return st;
}

static void upload_abort(nl_upload *up) {
    if (!up) return;
    s3_upload *u = up->impl;
    upload_abort_remote(u);
    upload_free(u);
}

static nl_status s3_upload_begin(nl_store *st, const char *uri, nl_upload **out, nl_error *err) {
    *out = NULL;
    s3_upload *u = nl_calloc(1, sizeof *u);
    if (!u) return nl_error_set(err, NL_ENOMEM, "out of memory");
    u->s = st->impl;
    nl_status rc = s3_loc_parse(uri, &u->loc, err);
    if (rc != NL_OK) {
        nl_free(u);
        return rc;
    }
    u->base = (nl_upload){upload_write, upload_commit, upload_abort, u};
    *out = &u->base;
    return NL_OK;
}

static nl_status s3_put_via_upload(nl_store *st, const char *uri, const void *data, int64_t size,
                                   nl_error *err) {
    nl_upload *up;
    NL_TRY(s3_upload_begin(st, uri, &up, err));
    nl_status rc = up->write(up, data, size, err);
    if (rc != NL_OK) {
        up->abort(up);
        return rc;
    }
    return up->commit(up, err);
}

/* ---- the store -------------------------------------------------------------- */

static void s3_close(nl_store *st) {
    s3_store *s = st->impl;
    io_http_free(s->http);
    s3_config_free(&s->cfg);
    nl_free(s);
}

static const nl_store_vtable S3_VTABLE = {
    .scheme = "s3",
    .get_range = s3_get_range,
    .get = s3_get,
    .head = s3_head,
    .list = s3_list,
    .put = s3_put,
    .put_if_absent = s3_put_if_absent,
    .delete_object = s3_delete,
    .upload_begin = s3_upload_begin,
    .close = s3_close,
};

nl_status nl_s3_store_new(const nl_s3_options *opts, nl_store **out, nl_error *err) {
    *out = NULL;
    s3_store *s = nl_calloc(1, sizeof *s);
    if (!s) return nl_error_set(err, NL_ENOMEM, "out of memory");
    nl_status st = s3_config_resolve(opts, &s->cfg, err);
    if (st != NL_OK) {
        nl_free(s);
        return st;
    }
    io_http_settings hs;
    io_http_settings_default(&hs);
    if (opts && opts->max_attempts > 0) hs.max_attempts = opts->max_attempts;
    if (opts && opts->retry_budget_ms > 0) hs.budget_ms = opts->retry_budget_ms;
    if (opts && opts->stall_timeout_ms > 0) hs.stall_timeout_ms = opts->stall_timeout_ms;
    s->http = io_http_shared(&hs);
    s->part_size = opts && opts->part_size > 0 ? opts->part_size : S3_DEFAULT_PART;
    if (s->part_size < S3_MIN_PART) s->part_size = S3_MIN_PART;
    s->parallelism = opts && opts->upload_parallelism > 0 ? opts->upload_parallelism : 4;
    if (!s->http) {
        s3_config_free(&s->cfg);
        nl_free(s);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    s->base.vt = &S3_VTABLE;
    s->base.impl = s;
    *out = &s->base;
    return NL_OK;
}

nl_status io_s3_store_open_default(nl_store **out, nl_error *err) {
    return nl_s3_store_new(NULL, out, err);
}

io_http *io_s3_http(nl_store *s) { return ((s3_store *)s->impl)->http; }
