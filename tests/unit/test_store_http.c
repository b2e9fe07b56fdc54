/*
 * test_store_http.c -- the read-only HTTP(S) store against a small HTTP server
 * run by the test on loopback: ranged GET (206), a server that ignores Range
 * (200), HEAD, 404, ranges past the end, and the read-only errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/alloc.h"
#include "io/s3.h"
#include "io/store.h"

#define OBJ_SIZE 1000
static uint8_t obj[OBJ_SIZE];
static int listen_fd, port;
static pthread_t server;
static atomic_bool stopping;
static atomic_int requests;

static void send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        c += w;
        n -= (size_t)w;
    }
}

static void serve_one(int fd) {
    char req[8192];
    size_t n = 0;
    while (n < sizeof req - 1) {
        ssize_t r = recv(fd, req + n, sizeof req - 1 - n, 0);
        if (r <= 0) return;
        n += (size_t)r;
        req[n] = '\0';
        if (strstr(req, "\r\n\r\n")) break;
    }
    atomic_fetch_add(&requests, 1);
    char method[16] = "", path[256] = "";
    sscanf(req, "%15s %255s", method, path);
    bool head = strcmp(method, "HEAD") == 0;
    long long a = -1, b = -1;
    const char *range = strcasestr(req, "\r\nRange: bytes=");
    if (range) sscanf(range + 15, "%lld-%lld", &a, &b);
    char hdr[512];
    const char *lm = "Last-Modified: Wed, 25 Nov 2026 09:00:00 GMT\r\n";
    if (strcmp(path, "/data.bin") != 0 && strcmp(path, "/noranges.bin") != 0) {
        int hl = snprintf(hdr, sizeof hdr,
                          "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\n");
        send_all(fd, hdr, (size_t)hl);
        if (!head) send_all(fd, "not found", 9);
        return;
    }
    if (range && strcmp(path, "/data.bin") == 0) {
        if (a >= OBJ_SIZE) {
            int hl = snprintf(hdr, sizeof hdr,
                              "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n"
                              "Connection: close\r\n\r\n");
            send_all(fd, hdr, (size_t)hl);
            return;
        }
        if (b >= OBJ_SIZE) b = OBJ_SIZE - 1;
        int hl = snprintf(hdr, sizeof hdr,
                          "HTTP/1.1 206 Partial Content\r\nContent-Length: %lld\r\n"
                          "Content-Range: bytes %lld-%lld/%d\r\n%sConnection: close\r\n\r\n",
                          b - a + 1, a, b, OBJ_SIZE, lm);
        send_all(fd, hdr, (size_t)hl);
        if (!head) send_all(fd, obj + a, (size_t)(b - a + 1));
        return;
    }
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n",
                      OBJ_SIZE, lm);
    send_all(fd, hdr, (size_t)hl);
    if (!head) send_all(fd, obj, OBJ_SIZE);
}

static void *server_main(void *arg) {
    (void)arg;
    while (!atomic_load(&stopping)) {
        struct pollfd p = {listen_fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) continue;
        serve_one(fd);
        close(fd);
    }
    return NULL;
}

static int setup(void **state) {
    (void)state;
    for (int i = 0; i < OBJ_SIZE; i++) obj[i] = (uint8_t)(i * 31 + 7);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(listen_fd, 16) != 0)
        return -1;
    socklen_t al = sizeof a;
    getsockname(listen_fd, (struct sockaddr *)&a, &al);
    port = ntohs(a.sin_port);
    return pthread_create(&server, NULL, server_main, NULL);
}

static int teardown(void **state) {
    (void)state;
    atomic_store(&stopping, true);
    pthread_join(server, NULL);
    close(listen_fd);
    return 0;
}

static char *url(const char *path) { return nl_asprintf("http://127.0.0.1:%d%s", port, path); }

static void test_ranged_reads(void **state) {
    (void)state;
    nl_store *s;
    nl_error err = {0};
    char *u = url("/data.bin");
    assert_int_equal(nl_store_open(u, &s, &err), NL_OK);
    assert_string_equal(s->vt->scheme, "http");
    nl_buffer *b;
    assert_int_equal(nl_store_get_range(s, u, 100, 50, &b, &err), NL_OK);
    assert_int_equal(b->size, 50);
    assert_memory_equal(b->data, obj + 100, 50);
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    assert_int_equal(b->size, OBJ_SIZE);
    assert_memory_equal(b->data, obj, OBJ_SIZE);
    nl_buffer_unref(b);
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_OK);
    assert_int_equal(info.size, OBJ_SIZE);
    assert_true(info.mtime_ms > 0);
    nl_free(info.uri);
    /* Past the end: an error, never fewer bytes. */
    b = NULL;
    assert_int_equal(nl_store_get_range(s, u, 990, 20, &b, &err), NL_EINVAL);
    assert_null(b);
    assert_int_equal(nl_store_get_range(s, u, 2000, 20, &b, &err), NL_EINVAL);
    /* Several ranges, coalesced and fetched in parallel. */
    nl_range r[] = {{0, 10}, {500, 10}, {990, 10}};
    nl_buffer *out[3];
    assert_int_equal(nl_store_get_ranges(s, u, r, 3, 0, out, &err), NL_OK);
    for (int i = 0; i < 3; i++) {
        assert_memory_equal(out[i]->data, obj + r[i].offset, 10);
        nl_buffer_unref(out[i]);
    }
    io_http_stats st;
    assert_int_equal(nl_store_http_stats(s, &st, &err), NL_OK);
    assert_true(st.gets >= 5);
    nl_free(u);
    nl_store_close(s);
}

static void test_server_ignoring_range(void **state) {
    (void)state;
    nl_store *s;
    nl_error err = {0};
    char *u = url("/noranges.bin");
    assert_int_equal(nl_store_open(u, &s, &err), NL_OK);
    nl_buffer *b;
    assert_int_equal(nl_store_get_range(s, u, 300, 25, &b, &err), NL_OK);
    assert_int_equal(b->size, 25);
    assert_memory_equal(b->data, obj + 300, 25);
    nl_buffer_unref(b);
    nl_free(u);
    nl_store_close(s);
}

static void test_missing_and_read_only(void **state) {
    (void)state;
    nl_store *s;
    nl_error err = {0};
    char *u = url("/nope");
    assert_int_equal(nl_store_open(u, &s, &err), NL_OK);
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "/nope"));
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    assert_int_equal(nl_store_put(s, u, "x", 1, &err), NL_ENOTSUP);
    assert_non_null(strstr(err.message, "read-only"));
    assert_int_equal(nl_store_put_if_absent(s, u, "x", 1, &err), NL_ENOTSUP);
    assert_int_equal(nl_store_delete(s, u, &err), NL_ENOTSUP);
    nl_upload *up;
    assert_int_equal(nl_store_upload_begin(s, u, &up, &err), NL_ENOTSUP);
    nl_object_list list;
    assert_int_equal(nl_store_list(s, u, NULL, &list, &err), NL_ENOTSUP);
    nl_free(u);
    nl_store_close(s);
}

static void test_connection_refused(void **state) {
    (void)state;
    /* Nothing listens on port 1: a transport error after the retries. */
    setenv("NEURALAKE_IO_MAX_ATTEMPTS", "2", 1);
    nl_store *s;
    nl_error err = {0};
    assert_int_equal(nl_store_open("http://127.0.0.1:1/x", &s, &err), NL_OK);
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get(s, "http://127.0.0.1:1/x", &b, &err), NL_EIO);
    assert_null(b);
    assert_non_null(strstr(err.message, "2 attempts"));
    nl_store_close(s);
    unsetenv("NEURALAKE_IO_MAX_ATTEMPTS");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranged_reads),
        cmocka_unit_test(test_server_ignoring_range),
        cmocka_unit_test(test_missing_and_read_only),
        cmocka_unit_test(test_connection_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
