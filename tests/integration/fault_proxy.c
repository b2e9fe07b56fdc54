/*
 * fault_proxy.c -- the misbehaving loopback proxy of fault_proxy.h: a thread
 * accepts connections, a detached thread per connection serves its requests.
 */
#include "fault_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct fault_proxy {
    int listen_fd;
    int port;
    char upstream_host[64];
    int upstream_port;
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock;
    char plan[256];
    int next;
    int delay_ms;
    int requests;
    char last[512];
    atomic_int active;
};

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static bool write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads one request (head and Content-Length body) into a malloc'd buffer. */
static char *read_request(int fd, size_t *len) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t head_end = 0;
    long long body = -1;
    for (;;) {
        if (head_end && n >= head_end + (size_t)body) break;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) break;
            buf = nb;
        }
        ssize_t r = recv(fd, buf + n, cap - n, 0);
        if (r <= 0) {
            free(buf);
            return NULL;
        }
        n += (size_t)r;
        if (!head_end) {
            char *e = memmem(buf, n, "\r\n\r\n", 4);
            if (e) {
                head_end = (size_t)(e - buf) + 4;
                body = 0;
                for (char *line = buf; line < e;) {
                    char *eol = memmem(line, (size_t)(e - line) + 2, "\r\n", 2);
                    if (!eol) break;
                    if (strncasecmp(line, "Content-Length:", 15) == 0) body = atoll(line + 15);
                    line = eol + 2;
                }
            }
        }
    }
    *len = n;
    return buf;
}

/* The request with its Connection header replaced by "Connection: close". */
static char *rewrite_close(const char *req, size_t len, size_t *out_len) {
    const char *e = memmem(req, len, "\r\n\r\n", 4);
    char *out = malloc(len + 64);
    size_t o = 0;
    const char *line = req;
    while (line < e + 2) {
        const char *eol = memmem(line, (size_t)(e + 2 - line), "\r\n", 2);
        size_t l = (size_t)(eol - line) + 2;
        if (strncasecmp(line, "Connection:", 11) != 0) {
            memcpy(out + o, line, l);
            o += l;
        }
        line = eol + 2;
    }
    memcpy(out + o, "Connection: close\r\n\r\n", 21);
    o += 21;
    size_t body = len - (size_t)(e + 4 - req);
    memcpy(out + o, e + 4, body);
    o += body;
    *out_len = o;
    return out;
}

static char *forward(fault_proxy *p, const char *req, size_t len, size_t *resp_len) {
    int up = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->upstream_port)};
    inet_pton(AF_INET, p->upstream_host, &a.sin_addr);
    if (connect(up, (struct sockaddr *)&a, sizeof a) != 0) {
        close(up);
        return NULL;
    }
    size_t rlen;
    char *r = rewrite_close(req, len, &rlen);
    bool ok = write_all(up, r, rlen);
    free(r);
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (ok) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t got = recv(up, buf + n, cap - n, 0);
        if (got <= 0) break;
        n += (size_t)got;
    }
    close(up);
    *resp_len = n;
    return buf;
}

static void reset(int fd) {
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

typedef struct conn {
    fault_proxy *p;
    int fd;
} conn;

static void *serve(void *arg) {
    conn *c = arg;
    fault_proxy *p = c->p;
    int fd = c->fd;
    free(c);
    size_t len;
    char *req = read_request(fd, &len);
    if (!req) {
        close(fd);
        atomic_fetch_sub(&p->active, 1);
        return NULL;
    }
    pthread_mutex_lock(&p->lock);
    char action = p->plan[p->next] ? p->plan[p->next++] : 'P';
    int delay = p->delay_ms;
    p->requests++;
    const char *eol = memmem(req, len, "\r\n", 2);
    snprintf(p->last, sizeof p->last, "%.*s", eol ? (int)(eol - req) : 0, req);
    pthread_mutex_unlock(&p->lock);

    if (action == 'R') {
        reset(fd);
    } else if (action == 'E') {
        const char *body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                           "<Message>Please reduce your request rate.</Message></Error>";
        char head[256];
        int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                          strlen(body));
        write_all(fd, head, (size_t)hl);
        write_all(fd, body, strlen(body));
        close(fd);
    } else {
        if (action == 'S') sleep_ms(delay);
        size_t rl = 0;
        char *resp = forward(p, req, len, &rl);
        if (!resp) {
            reset(fd);
        } else {
            size_t send_n = rl;
            if (action == 'T') {
                /* keep the head, cut the body in half */
                const char *he = memmem(resp, rl, "\r\n\r\n", 4);
                size_t head = he ? (size_t)(he - resp) + 4 : rl;
                send_n = head + (rl - head) / 2;
            }
            write_all(fd, resp, send_n);
            free(resp);
            if (action == 'T')
                reset(fd);
            else
                close(fd);
        }
    }
    free(req);
    atomic_fetch_sub(&p->active, 1);
    return NULL;
}

static void *accept_loop(void *arg) {
    fault_proxy *p = arg;
    while (!atomic_load(&p->stop)) {
        struct pollfd pfd = {p->listen_fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) <= 0) continue;
        int fd = accept(p->listen_fd, NULL, NULL);
        if (fd < 0) continue;
        conn *c = malloc(sizeof *c);
        c->p = p;
        c->fd = fd;
        atomic_fetch_add(&p->active, 1);
        pthread_t t;
        if (pthread_create(&t, NULL, serve, c) != 0) {
            close(fd);
            free(c);
            atomic_fetch_sub(&p->active, 1);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

fault_proxy *fault_proxy_start(const char *upstream_host, int upstream_port) {
    fault_proxy *p = calloc(1, sizeof *p);
    snprintf(p->upstream_host, sizeof p->upstream_host, "%s", upstream_host);
    p->upstream_port = upstream_port;
    pthread_mutex_init(&p->lock, NULL);
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(p->listen_fd, 64) != 0) {
        close(p->listen_fd);
        free(p);
        return NULL;
    }
    socklen_t al = sizeof a;
    getsockname(p->listen_fd, (struct sockaddr *)&a, &al);
    p->port = ntohs(a.sin_port);
    pthread_create(&p->thread, NULL, accept_loop, p);
    return p;
}

int fault_proxy_port(const fault_proxy *p) { return p->port; }

void fault_proxy_plan(fault_proxy *p, const char *plan, int delay_ms) {
    pthread_mutex_lock(&p->lock);
    snprintf(p->plan, sizeof p->plan, "%s", plan);
    p->next = 0;
    p->delay_ms = delay_ms;
    p->requests = 0;
    pthread_mutex_unlock(&p->lock);
}

int fault_proxy_requests(fault_proxy *p) {
    pthread_mutex_lock(&p->lock);
    int n = p->requests;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void fault_proxy_last_request(fault_proxy *p, char *out, int cap) {
    pthread_mutex_lock(&p->lock);
    snprintf(out, (size_t)cap, "%s", p->last);
    pthread_mutex_unlock(&p->lock);
}

void fault_proxy_stop(fault_proxy *p) {
    if (!p) return;
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    /* let connection threads finish before the struct goes */
    for (int i = 0; i < 200 && atomic_load(&p->active) > 0; i++) sleep_ms(20);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
