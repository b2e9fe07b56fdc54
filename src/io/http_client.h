/*
 * http_client.h -- the HTTP engine under the S3 and HTTP stores: a pool of
 * reusable libcurl handles (so connections are kept alive between requests),
 * one call that performs a request with retries, and request counters.
 *
 * Retries: transport failures (refused or reset connections, timeouts, stalls,
 * truncated bodies), 5xx and 429 are retried with exponential backoff and full
 * jitter, up to max_attempts, and no new attempt starts once the time budget
 * is spent. A body that is shorter than promised is never returned as success.
 */
#ifndef NL_IO_HTTP_CLIENT_H
#define NL_IO_HTTP_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buffer.h"
#include "neuralake.h"

typedef struct io_http io_http;

typedef struct io_http_settings {
    int max_attempts;           /* total tries of one request, >= 1 */
    int64_t budget_ms;          /* no new attempt starts after this much time */
    int64_t connect_timeout_ms; /* per connection attempt */
    int64_t stall_timeout_ms;   /* an attempt fails when no byte moves for this long */
    int64_t backoff_base_ms;    /* first backoff; doubles per attempt ... */
    int64_t backoff_max_ms;     /* ... up to this */
    bool trace;                 /* print each request to stderr */
} io_http_settings;

/* The defaults, overridden by NEURALAKE_IO_MAX_ATTEMPTS (or AWS_MAX_ATTEMPTS),
 * NEURALAKE_IO_RETRY_BUDGET_MS, NEURALAKE_IO_CONNECT_TIMEOUT_MS,
 * NEURALAKE_IO_STALL_TIMEOUT_MS, NEURALAKE_IO_TRACE. */
void io_http_settings_default(io_http_settings *s);

typedef struct io_http_stats {
    int64_t requests; /* attempts sent, retries included */
    int64_t retries;
    int64_t gets, heads, puts, posts, deletes;
    int64_t bytes_in, bytes_out; /* body bytes */
} io_http_stats;

io_http *io_http_new(const io_http_settings *settings);
/* The engine every store with these settings shares, so connections carry
 * over from one store to the next (a query opens a store per table or file).
 * Created on first use and kept for the process; io_http_free ignores it. */
io_http *io_http_shared(const io_http_settings *settings);
void io_http_free(io_http *h);
void io_http_stats_get(io_http *h, io_http_stats *out);
void io_http_stats_reset(io_http *h);

typedef struct io_http_header {
    const char *name;
    const char *value;
} io_http_header;

typedef struct io_http_req {
    const char *method; /* GET HEAD PUT POST DELETE */
    const char *url;
    const io_http_header *headers;
    int n_headers;
    const void *body; /* PUT and POST */
    int64_t body_len;
    int64_t expect_len; /* >= 0: a 2xx body must be exactly this long */
    const char *what;   /* names the object in messages ("s3://b/k") */
} io_http_req;

typedef struct io_http_resp {
    long status;        /* the final HTTP status */
    nl_buffer *body;    /* the final body (owned; io_http_resp_free) */
    char *etag;         /* ETag header, quotes kept (owned) or NULL */
    int64_t content_length; /* -1 when absent */
    int64_t total_size; /* from Content-Range ".../total", -1 when absent */
    int64_t mtime_ms;   /* Last-Modified, 0 when absent */
    int attempts;
} io_http_resp;

void io_http_resp_free(io_http_resp *r);

/* Performs `req` with retries. NL_OK means a final response arrived (any
 * status, including a 5xx that outlasted the retries: the caller reads
 * resp->status); NL_EIO means the transport failed on every attempt. */
nl_status io_http_perform(io_http *h, const io_http_req *req, io_http_resp *resp, nl_error *err);

#endif
