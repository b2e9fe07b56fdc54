/*
 * http_client.c -- libcurl requests with a handle pool, retries and counters
 * (see http_client.h).
 *
 * Why a handle pool and not a handle per store: curl keeps its connection
 * cache in the easy handle, so reusing handles reuses connections, and a pool
 * lets many threads issue requests at once without sharing a handle.
 */
#include "io/http_client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

#define HTTP_POOL_MAX 64
#define HTTP_PREALLOC_MAX ((int64_t)1 << 32) /* trust a Content-Length up to 4 GiB */

struct io_http {
    io_http_settings settings;
    pthread_mutex_t lock;
    CURL *idle[HTTP_POOL_MAX];
    int n_idle;
    atomic_int_fast64_t requests, retries, gets, heads, puts, posts, deletes, bytes_in, bytes_out;
    atomic_uint_fast64_t seed;
    bool shared;
};

#define HTTP_SHARED_MAX 8
static io_http *shared_engines[HTTP_SHARED_MAX];
static int n_shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static int64_t env_int(const char *name, int64_t dflt) {
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    char *end;
    long long x = strtoll(v, &end, 10);
    return (*end || x < 0) ? dflt : (int64_t)x;
}

void io_http_settings_default(io_http_settings *s) {
    s->max_attempts = (int)env_int("NEURALAKE_IO_MAX_ATTEMPTS", env_int("AWS_MAX_ATTEMPTS", 6));
    if (s->max_attempts < 1) s->max_attempts = 1;
    s->budget_ms = env_int("NEURALAKE_IO_RETRY_BUDGET_MS", 60000);
    s->connect_timeout_ms = env_int("NEURALAKE_IO_CONNECT_TIMEOUT_MS", 10000);
    s->stall_timeout_ms = env_int("NEURALAKE_IO_STALL_TIMEOUT_MS", 30000);
    s->backoff_base_ms = 100;
    s->backoff_max_ms = 5000;
    const char *t = getenv("NEURALAKE_IO_TRACE");
    s->trace = t && *t && strcmp(t, "0") != 0;
}

io_http *io_http_new(const io_http_settings *settings) {
    pthread_once(&curl_once, curl_init_once);
    io_http *h = nl_calloc(1, sizeof *h);
    if (!h) return NULL;
    if (settings)
        h->settings = *settings;
    else
        io_http_settings_default(&h->settings);
    pthread_mutex_init(&h->lock, NULL);
    atomic_init(&h->seed, (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)h);
    return h;
}

static bool same_settings(const io_http_settings *a, const io_http_settings *b) {
    return a->max_attempts == b->max_attempts && a->budget_ms == b->budget_ms &&
           a->connect_timeout_ms == b->connect_timeout_ms &&
           a->stall_timeout_ms == b->stall_timeout_ms && a->backoff_base_ms == b->backoff_base_ms &&
           a->backoff_max_ms == b->backoff_max_ms && a->trace == b->trace;
}

io_http *io_http_shared(const io_http_settings *settings) {
    io_http_settings dflt;
    if (!settings) {
        io_http_settings_default(&dflt);
        settings = &dflt;
    }
    io_http *h = NULL;
    pthread_mutex_lock(&shared_lock);
    for (int i = 0; i < n_shared && !h; i++)
        if (same_settings(&shared_engines[i]->settings, settings)) h = shared_engines[i];
    if (!h && n_shared < HTTP_SHARED_MAX && (h = io_http_new(settings)) != NULL) {
        h->shared = true;
        shared_engines[n_shared++] = h;
    }
    pthread_mutex_unlock(&shared_lock);
    return h ? h : io_http_new(settings); /* table full: a private one */
}

void io_http_free(io_http *h) {
    if (!h || h->shared) return;
    for (int i = 0; i < h->n_idle; i++) curl_easy_cleanup(h->idle[i]);
    pthread_mutex_destroy(&h->lock);
    nl_free(h);
}

void io_http_stats_get(io_http *h, io_http_stats *out) {
    *out = (io_http_stats){atomic_load(&h->requests), atomic_load(&h->retries),
                           atomic_load(&h->gets),     atomic_load(&h->heads),
                           atomic_load(&h->puts),     atomic_load(&h->posts),
                           atomic_load(&h->deletes),  atomic_load(&h->bytes_in),
                           atomic_load(&h->bytes_out)};
}

void io_http_stats_reset(io_http *h) {
    atomic_store(&h->requests, 0);
    atomic_store(&h->retries, 0);
    atomic_store(&h->gets, 0);
    atomic_store(&h->heads, 0);
    atomic_store(&h->puts, 0);
    atomic_store(&h->posts, 0);
    atomic_store(&h->deletes, 0);
    atomic_store(&h->bytes_in, 0);
    atomic_store(&h->bytes_out, 0);
}

static CURL *handle_get(io_http *h) {
    CURL *c = NULL;
    pthread_mutex_lock(&h->lock);
    if (h->n_idle > 0) c = h->idle[--h->n_idle];
    pthread_mutex_unlock(&h->lock);
    if (c)
        curl_easy_reset(c); /* keeps the connection cache */
    else
        c = curl_easy_init();
    return c;
}

static void handle_put(io_http *h, CURL *c, bool keep) {
    if (!c) return;
    pthread_mutex_lock(&h->lock);
    if (keep && h->n_idle < HTTP_POOL_MAX) {
        h->idle[h->n_idle++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&h->lock);
    if (c) curl_easy_cleanup(c);
}

void io_http_resp_free(io_http_resp *r) {
    if (!r) return;
    nl_buffer_unref(r->body);
    nl_free(r->etag);
    r->body = NULL;
    r->etag = NULL;
}

/* ---- one attempt ---------------------------------------------------------- */

typedef struct attempt {
    io_http_resp *resp;
    const io_http_req *req;
    int64_t sent;  /* upload cursor */
    bool oom;
} attempt;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx) {
    attempt *a = ctx;
    size_t n = size * nmemb;
    nl_buffer *b = a->resp->body;
    if (b->size + (int64_t)n > b->capacity) {
        int64_t want = b->capacity * 2;
        if (want < b->size + (int64_t)n) want = b->size + (int64_t)n;
        if (!nl_buffer_reserve(b, want)) {
            a->oom = true;
            return 0;
        }
    }
    memcpy(b->data + b->size, data, n);
    b->size += (int64_t)n;
    return n;
}

static size_t on_upload(char *dst, size_t size, size_t nmemb, void *ctx) {
    attempt *a = ctx;
    int64_t left = a->req->body_len - a->sent;
    size_t n = size * nmemb;
    if ((int64_t)n > left) n = (size_t)left;
    if (n == 0) return 0;
    memcpy(dst, (const uint8_t *)a->req->body + a->sent, n);
    a->sent += (int64_t)n;
    return n;
}

static bool header_is(const char *line, size_t len, const char *name, const char **value) {
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':') return false;
    *value = line + nl + 1;
    while (**value == ' ') (*value)++;
    return true;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx) {
    attempt *a = ctx;
    size_t len = size * nmemb;
    io_http_resp *r = a->resp;
    /* Trim the line end. */
    size_t n = len;
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n')) n--;
    char tmp[512];
    if (n >= sizeof tmp) return len;
    memcpy(tmp, line, n);
    tmp[n] = '\0';
    const char *v;
    if (strncmp(tmp, "HTTP/", 5) == 0) { /* a new response (after 100 Continue) */
        r->content_length = -1;
        r->total_size = -1;
        nl_free(r->etag);
        r->etag = NULL;
    } else if (header_is(tmp, n, "etag", &v)) {
        nl_free(r->etag);
        r->etag = nl_strdup(v);
    } else if (header_is(tmp, n, "content-length", &v)) {
        r->content_length = strtoll(v, NULL, 10);
        /* Room for the whole body at once instead of doubling as it comes. */
        if (strcmp(a->req->method, "HEAD") != 0 && r->content_length > r->body->capacity &&
            r->content_length <= HTTP_PREALLOC_MAX &&
            !nl_buffer_reserve(r->body, r->content_length))
            a->oom = true;
    } else if (header_is(tmp, n, "content-range", &v)) {
        const char *slash = strrchr(v, '/');
        if (slash && slash[1] != '*') r->total_size = strtoll(slash + 1, NULL, 10);
    } else if (header_is(tmp, n, "last-modified", &v)) {
        time_t t = curl_getdate(v, NULL);
        if (t > 0) r->mtime_ms = (int64_t)t * 1000;
    }
    return len;
}

static bool transient_curl(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_READ_ERROR: return true;
    default: return false;
    }
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Exponential backoff with full jitter: uniform in [0, min(max, base * 2^k)]. */
static int64_t backoff_ms(io_http *h, int attempt_no) {
    int64_t cap = h->settings.backoff_base_ms;
    for (int i = 1; i < attempt_no && cap < h->settings.backoff_max_ms; i++) cap *= 2;
    if (cap > h->settings.backoff_max_ms) cap = h->settings.backoff_max_ms;
    /* xorshift on a shared seed: cheap, thread-safe enough for jitter */
    uint64_t x = atomic_fetch_add(&h->seed, 0x9e3779b97f4a7c15ULL);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return cap > 0 ? (int64_t)(x % (uint64_t)(cap + 1)) : 0;
}

static void sleep_ms(int64_t ms) {
    if (ms <= 0) return;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

nl_status io_http_perform(io_http *h, const io_http_req *req, io_http_resp *resp, nl_error *err) {
    memset(resp, 0, sizeof *resp);
    resp->content_length = resp->total_size = -1;
    const io_http_settings *st = &h->settings;
    int64_t start = now_ms();
    const char *what = req->what ? req->what : req->url;

    struct curl_slist *headers = NULL;
    for (int i = 0; i < req->n_headers; i++) {
        char *line = nl_asprintf("%s: %s", req->headers[i].name, req->headers[i].value);
        struct curl_slist *next = line ? curl_slist_append(headers, line) : NULL;
        nl_free(line);
        if (!next) {
            curl_slist_free_all(headers);
            return nl_error_set(err, NL_ENOMEM, "out of memory building a request");
        }
        headers = next;
    }
    /* No "Expect: 100-continue" round trip on uploads. */
    struct curl_slist *next = curl_slist_append(headers, "Expect:");
    if (!next) {
        curl_slist_free_all(headers);
        return nl_error_set(err, NL_ENOMEM, "out of memory building a request");
    }
    headers = next;

    bool is_head = strcmp(req->method, "HEAD") == 0;
    bool is_put = strcmp(req->method, "PUT") == 0;
    bool is_post = strcmp(req->method, "POST") == 0;
    atomic_int_fast64_t *counter = is_head ? &h->heads
                                   : is_put ? &h->puts
                                   : is_post ? &h->posts
                                   : strcmp(req->method, "DELETE") == 0 ? &h->deletes
                                                                         : &h->gets;
    nl_status result = NL_OK;
    char last_problem[256] = "";
    for (int attempt_no = 1;; attempt_no++) {
        io_http_resp_free(resp);
        memset(resp, 0, sizeof *resp);
        resp->content_length = resp->total_size = -1;
        resp->attempts = attempt_no;
        resp->body = nl_buffer_new(req->expect_len > 0 ? req->expect_len : 1024);
        CURL *c = resp->body ? handle_get(h) : NULL;
        if (!c) {
            result = nl_error_set(err, NL_ENOMEM, "out of memory starting a request for %s", what);
            break;
        }
        attempt a = {resp, req, 0, false};
        curl_easy_setopt(c, CURLOPT_URL, req->url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)st->connect_timeout_ms);
        long stall_s = (long)((st->stall_timeout_ms + 999) / 1000);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall_s > 0 ? stall_s : 1L);
        curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, NULL);
        if (is_head) {
            curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
        } else if (is_put) {
            curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(c, CURLOPT_READFUNCTION, on_upload);
            curl_easy_setopt(c, CURLOPT_READDATA, &a);
            curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->body_len);
        } else if (is_post) {
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        } else if (strcmp(req->method, "GET") != 0) {
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
        }
        atomic_fetch_add(&h->requests, 1);
        atomic_fetch_add(counter, 1);
        if (attempt_no > 1) atomic_fetch_add(&h->retries, 1);
        int64_t t0 = now_ms();
        CURLcode rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
        atomic_fetch_add(&h->bytes_in, resp->body->size);
        if (is_put || is_post) atomic_fetch_add(&h->bytes_out, a.sent ? a.sent : req->body_len);
        handle_put(h, c, rc == CURLE_OK);

        bool retry = false;
        if (a.oom) {
            result = nl_error_set(err, NL_ENOMEM, "out of memory receiving %s", what);
            break;
        } else if (rc != CURLE_OK) {
            snprintf(last_problem, sizeof last_problem, "%s", curl_easy_strerror(rc));
            if (!transient_curl(rc)) {
                result = nl_error_set(err, NL_EIO, "%s %s: %s", req->method, what, last_problem);
                break;
            }
            retry = true;
        } else if (resp->status >= 500 || resp->status == 429) {
            snprintf(last_problem, sizeof last_problem, "HTTP %ld", resp->status);
            retry = true;
        } else if (resp->status >= 200 && resp->status < 300 && req->expect_len >= 0 && !is_head &&
                   resp->content_length < 0 && resp->body->size < req->expect_len) {
            /* Without a Content-Length curl cannot tell a cut connection from
             * the end; with one, a cut is CURLE_PARTIAL_FILE above, and a
             * complete body of another length is for the caller to judge. */
            snprintf(last_problem, sizeof last_problem, "short body: %lld of %lld bytes",
                     (long long)resp->body->size, (long long)req->expect_len);
            retry = true;
        }
        if (st->trace)
            fprintf(stderr, "neuralake io: %s %s -> %ld, %lld bytes in %lld ms (attempt %d)%s%s\n",
                    req->method, what, resp->status, (long long)resp->body->size,
                    (long long)(now_ms() - t0), attempt_no, retry ? ": retrying after " : "",
                    retry ? last_problem : "");
        if (!retry) break;
        int64_t elapsed = now_ms() - start;
        bool out_of_tries = attempt_no >= st->max_attempts || elapsed >= st->budget_ms;
        if (out_of_tries) {
            if (rc != CURLE_OK || resp->status < 300) {
                result = nl_error_set(err, NL_EIO,
                                      "%s %s failed after %d attempts in %lld ms: %s", req->method,
                                      what, attempt_no, (long long)elapsed, last_problem);
            }
            /* a 5xx or 429 that outlasted the retries: the caller reports it */
            break;
        }
        int64_t pause = backoff_ms(h, attempt_no);
        if (elapsed + pause > st->budget_ms) pause = st->budget_ms - elapsed;
        sleep_ms(pause);
    }
    curl_slist_free_all(headers);
    if (result != NL_OK) io_http_resp_free(resp);
    return result;
}
