/*
 * test_s3.c -- the S3 store against a real local S3 server (started by the
 * ctest fixture, scripts/s3-server.sh on 127.0.0.1:7481), and through a
 * fault-injecting proxy in front of it.
 *
 * Skips cleanly when no server answers (no Ceph or MinIO installed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "columnar/array.h"
#include "fault_proxy.h"
#include "formats/parquet/reader.h"
#include "io/s3.h"
#include "io/store.h"

static char bucket[128];
static char run_id[64];
static int server_port;

static void need_server(void) {
    if (server_port == 0) skip();
}

static char *key_uri(const char *key) {
    return nl_asprintf("s3://%s/%s/%s", bucket, run_id, key);
}

static nl_store *open_store(void) {
    nl_store *s = NULL;
    nl_error err = {0};
    assert_int_equal(nl_store_open("s3://x/y", &s, &err), NL_OK);
    return s;
}

static uint8_t *pattern(int64_t n, uint32_t seed) {
    uint8_t *p = nl_malloc((size_t)n);
    uint32_t x = seed * 2654435761u + 1;
    for (int64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
    return p;
}

static void test_basic_ops(void **state) {
    (void)state;
    need_server();
    nl_store *s = open_store();
    nl_error err = {0};
    char *u = key_uri("basic/a.txt");
    assert_int_equal(nl_store_put(s, u, "hello world 0123456789", 22, &err), NL_OK);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    assert_int_equal(b->size, 22);
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get_range(s, u, 6, 5, &b, &err), NL_OK);
    assert_int_equal(b->size, 5);
    assert_memory_equal(b->data, "world", 5);
    nl_buffer_unref(b);
    /* A range past the end is an error, not a short buffer. */
    b = NULL;
    assert_int_equal(nl_store_get_range(s, u, 20, 5, &b, &err), NL_EINVAL);
    assert_null(b);
    assert_int_equal(nl_store_get_range(s, u, 30, 5, &b, &err), NL_EINVAL);
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_OK);
    assert_int_equal(info.size, 22);
    assert_true(info.mtime_ms > 0);
    nl_free(info.uri);
    assert_int_equal(nl_store_delete(s, u, &err), NL_OK);
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    assert_int_equal(nl_store_delete(s, u, &err), NL_OK); /* already gone: fine */
    nl_free(u);

    /* Keys with characters that need encoding survive the round trip. */
    const char *odd = "basic/odd dir/a b+c=d&e%f~g,h;i:j@k$l'(m)!.txt";
    u = key_uri(odd);
    assert_int_equal(nl_store_put(s, u, "odd", 3, &err), NL_OK);
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    assert_int_equal(b->size, 3);
    nl_buffer_unref(b);
    nl_object_list list;
    char *p = key_uri("basic/odd dir/");
    assert_int_equal(nl_store_list(s, p, "/", &list, &err), NL_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].uri, u);
    nl_object_list_free(&list);
    assert_int_equal(nl_store_delete(s, u, &err), NL_OK);
    nl_free(p);
    nl_free(u);
    nl_store_close(s);
}

static void test_errors(void **state) {
    (void)state;
    need_server();
    nl_store *s = open_store();
    nl_error err = {0};
    nl_buffer *b = NULL;
    char *u = key_uri("no/such/key");
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "NoSuchKey"));
    assert_non_null(strstr(err.message, "no/such/key"));
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    nl_free(u);
    assert_int_equal(nl_store_get(s, "s3://no-such-bucket-nl/k", &b, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "NoSuchBucket"));
    assert_non_null(strstr(err.message, "no-such-bucket-nl"));
    nl_object_list list;
    assert_int_equal(nl_store_list(s, "s3://no-such-bucket-nl/", NULL, &list, &err), NL_ENOTFOUND);
    nl_store_close(s);
}

static void test_signed_only(void **state) {
    (void)state;
    need_server();
    nl_error err = {0};
    char *u = key_uri("signed/x");
    nl_store *good = open_store();
    assert_int_equal(nl_store_put(good, u, "x", 1, &err), NL_OK);
    nl_store_close(good);

    nl_s3_options o = {.access_key_id = getenv("AWS_ACCESS_KEY_ID"),
                       .secret_access_key = "wrong-secret"};
    nl_store *bad;
    assert_int_equal(nl_s3_store_new(&o, &bad, &err), NL_OK);
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get(bad, u, &b, &err), NL_EIO);
    assert_non_null(strstr(err.message, "SignatureDoesNotMatch"));
    assert_non_null(strstr(err.message, "secret key"));
    assert_int_not_equal(nl_store_put(bad, u, "evil", 4, &err), NL_OK);
    nl_store_close(bad);

    /* Without any credentials requests go unsigned and are refused. */
    char *saved_id = nl_strdup(getenv("AWS_ACCESS_KEY_ID"));
    char *saved_secret = nl_strdup(getenv("AWS_SECRET_ACCESS_KEY"));
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent", 1);
    nl_store *anon = open_store();
    assert_int_equal(nl_store_get(anon, u, &b, &err), NL_EIO);
    assert_non_null(strstr(err.message, "AccessDenied"));
    assert_non_null(strstr(err.message, "no credentials"));
    nl_store_close(anon);
    setenv("AWS_ACCESS_KEY_ID", saved_id, 1);
    setenv("AWS_SECRET_ACCESS_KEY", saved_secret, 1);
    nl_free(saved_id);
    nl_free(saved_secret);

    good = open_store();
    assert_int_equal(nl_store_get(good, u, &b, &err), NL_OK);
    assert_int_equal(b->size, 1); /* the bad PUT changed nothing */
    nl_buffer_unref(b);
    nl_store_close(good);
    nl_free(u);
}

static void test_large_uploads(void **state) {
    (void)state;
    need_server();
    const int64_t n = 50 * 1000 * 1000;
    uint8_t *data = pattern(n, 7);
    nl_error err = {0};
    nl_s3_options o = {.part_size = 8 << 20, .upload_parallelism = 4};
    nl_store *s;
    assert_int_equal(nl_s3_store_new(&o, &s, &err), NL_OK);

    /* One PUT of 50 MB. */
    char *u1 = key_uri("big/single.bin");
    assert_int_equal(nl_store_put(s, u1, data, n, &err), NL_OK);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, u1, &b, &err), NL_OK);
    assert_int_equal(b->size, n);
    assert_memory_equal(b->data, data, (size_t)n);
    nl_buffer_unref(b);

    /* A streamed multipart upload of 50 MB in odd-sized writes. */
    char *u2 = key_uri("big/multipart.bin");
    nl_upload *up;
    io_http_stats st;
    nl_store_http_stats_reset(s);
    assert_int_equal(nl_store_upload_begin(s, u2, &up, &err), NL_OK);
    for (int64_t off = 0; off < n;) {
        int64_t w = n - off < 3333333 ? n - off : 3333333;
        assert_int_equal(up->write(up, data + off, w, &err), NL_OK);
        off += w;
    }
    assert_int_equal(up->commit(up, &err), NL_OK);
    assert_int_equal(nl_store_http_stats(s, &st, &err), NL_OK);
    assert_int_equal(st.puts, 6); /* ceil(50e6 / 8 MiB) parts */
    assert_int_equal(st.posts, 2); /* initiate + complete */
    assert_int_equal(nl_store_get(s, u2, &b, &err), NL_OK);
    assert_int_equal(b->size, n);
    assert_memory_equal(b->data, data, (size_t)n);
    nl_buffer_unref(b);
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u2, &info, &err), NL_OK);
    assert_int_equal(info.size, n);
    nl_free(info.uri);

    /* An aborted upload leaves no object. */
    char *u3 = key_uri("big/aborted.bin");
    assert_int_equal(nl_store_upload_begin(s, u3, &up, &err), NL_OK);
    assert_int_equal(up->write(up, data, 9 << 20, &err), NL_OK);
    up->abort(up);
    assert_int_equal(nl_store_head(s, u3, &info, &err), NL_ENOTFOUND);

    assert_int_equal(nl_store_delete(s, u1, &err), NL_OK);
    assert_int_equal(nl_store_delete(s, u2, &err), NL_OK);
    nl_free(u1);
    nl_free(u2);
    nl_free(u3);
    nl_free(data);
    nl_store_close(s);
}

typedef struct put_job {
    nl_store *s;
    int n;
    nl_status status[8];
} put_job;

static void *put_many(void *arg) {
    put_job *j = ((void **)arg)[0];
    int t = (int)(intptr_t)((void **)arg)[1];
    nl_error err = {0};
    for (int i = t; i < j->n; i += 8) {
        char key[64];
        snprintf(key, sizeof key, "many/k%05d", i);
        char *u = key_uri(key);
        nl_status st = nl_store_put(j->s, u, key, (int64_t)strlen(key), &err);
        if (st != NL_OK) j->status[t] = st;
        nl_free(u);
    }
    return NULL;
}

static void test_list_pages(void **state) {
    (void)state;
    need_server();
    nl_store *s = open_store();
    put_job job = {.s = s, .n = 2500};
    pthread_t th[8];
    void *args[8][2];
    for (int t = 0; t < 8; t++) {
        args[t][0] = &job;
        args[t][1] = (void *)(intptr_t)t;
        pthread_create(&th[t], NULL, put_many, args[t]);
    }
    for (int t = 0; t < 8; t++) pthread_join(th[t], NULL);
    for (int t = 0; t < 8; t++) assert_int_equal(job.status[t], NL_OK);

    nl_error err = {0};
    nl_object_list list;
    char *p = key_uri("many/");
    nl_store_http_stats_reset(s);
    assert_int_equal(nl_store_list(s, p, NULL, &list, &err), NL_OK);
    io_http_stats st;
    nl_store_http_stats(s, &st, &err);
    assert_int_equal(list.count, 2500);
    assert_true(st.gets >= 3); /* the server pages at 1000 keys */
    for (int64_t i = 0; i < list.count; i++) {
        char key[64];
        snprintf(key, sizeof key, "many/k%05d", (int)i);
        char *want = key_uri(key);
        assert_string_equal(list.items[i].uri, want);
        assert_int_equal(list.items[i].size, 11);
        nl_free(want);
    }
    nl_object_list_free(&list);

    /* The delimiter view of the run's root. */
    char *root = key_uri("");
    assert_int_equal(nl_store_list(s, root, "/", &list, &err), NL_OK);
    bool saw_many = false;
    for (int64_t i = 0; i < list.count; i++)
        if (list.items[i].is_prefix && strstr(list.items[i].uri, "/many/")) saw_many = true;
    assert_true(saw_many);
    nl_object_list_free(&list);
    nl_free(root);
    nl_free(p);
    nl_store_close(s);
}

typedef struct racer {
    nl_store *s;
    const char *uri;
    int id;
    nl_status status;
    char message[NL_ERROR_SIZE];
} racer;

static void *race(void *arg) {
    racer *r = arg;
    char body[32];
    snprintf(body, sizeof body, "writer-%d", r->id);
    nl_error err = {0};
    r->status = nl_store_put_if_absent(r->s, r->uri, body, (int64_t)strlen(body), &err);
    snprintf(r->message, sizeof r->message, "%s", err.message);
    return NULL;
}

static void test_put_if_absent_race(void **state) {
    (void)state;
    need_server();
    nl_store *s = open_store();
    nl_error err = {0};
    char *u = key_uri("race/_delta_log/00000000000000000001.json");
    enum { N = 8 };
    racer r[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        r[i] = (racer){s, u, i, NL_EINTERNAL, ""};
        pthread_create(&th[i], NULL, race, &r[i]);
    }
    int winner = -1, losers = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        if (r[i].status == NL_OK) {
            assert_int_equal(winner, -1);
            winner = i;
        } else {
            assert_int_equal(r[i].status, NL_EEXISTS);
            assert_non_null(strstr(r[i].message, "already exists"));
            losers++;
        }
    }
    assert_int_not_equal(winner, -1);
    assert_int_equal(losers, N - 1);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    char want[32];
    snprintf(want, sizeof want, "writer-%d", winner);
    assert_int_equal(b->size, (int64_t)strlen(want));
    assert_memory_equal(b->data, want, strlen(want));
    nl_buffer_unref(b);
    nl_free(u);
    nl_store_close(s);
}

static void test_ranged_reads_fetch_only_what_was_asked(void **state) {
    (void)state;
    need_server();
    nl_error err = {0};
    nl_store *s; /* uncached: every read reaches the server */
    assert_int_equal(nl_s3_store_new(NULL, &s, &err), NL_OK);
    const int64_t n = 4 << 20;
    uint8_t *data = pattern(n, 3);
    char *u = key_uri("ranges/obj.bin");
    assert_int_equal(nl_store_put(s, u, data, n, &err), NL_OK);
    nl_range r[] = {{100, 1000}, {2 << 20, 4096}, {n - 8, 8}, {1200, 50}};
    enum { R = sizeof r / sizeof r[0] };
    nl_buffer *out[R];
    io_http_stats st;

    /* No coalescing: one GET per distinct range, bytes exactly the sum. */
    nl_store_http_stats_reset(s);
    assert_int_equal(nl_store_get_ranges(s, u, r, R, 0, out, &err), NL_OK);
    nl_store_http_stats(s, &st, &err);
    assert_int_equal(st.gets, 4);
    assert_int_equal(st.bytes_in, 1000 + 4096 + 8 + 50);
    for (int i = 0; i < R; i++) {
        assert_memory_equal(out[i]->data, data + r[i].offset, (size_t)r[i].length);
        nl_buffer_unref(out[i]);
    }
    /* A 1 KiB gap merges the two near the start: 3 GETs, 150 bytes extra. */
    nl_store_http_stats_reset(s);
    assert_int_equal(nl_store_get_ranges(s, u, r, R, 1024, out, &err), NL_OK);
    nl_store_http_stats(s, &st, &err);
    assert_int_equal(st.gets, 3);
    assert_int_equal(st.bytes_in, 1150 + 4096 + 8);
    for (int i = 0; i < R; i++) {
        assert_memory_equal(out[i]->data, data + r[i].offset, (size_t)r[i].length);
        nl_buffer_unref(out[i]);
    }
    nl_free(u);
    nl_free(data);
    nl_store_close(s);
}

/* Stores opened by URI cache small ranged reads: a footer read twice costs
 * one request, and a write drops what was cached. */
static void test_read_cache(void **state) {
    (void)state;
    need_server();
    nl_store *s = open_store();
    nl_error err = {0};
    char *u = key_uri("cache/file.parquet");
    uint8_t *data = pattern(100000, 9);
    assert_int_equal(nl_store_put(s, u, data, 100000, &err), NL_OK);
    io_http_stats st;
    nl_buffer *b;
    nl_store_http_stats_reset(s);
    assert_int_equal(nl_store_get_range(s, u, 100000 - 8, 8, &b, &err), NL_OK);
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get_range(s, u, 100000 - 8, 8, &b, &err), NL_OK);
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get_range(s, u, 100000 - 4, 4, &b, &err), NL_OK);
    assert_memory_equal(b->data, data + 100000 - 4, 4);
    nl_buffer_unref(b);
    assert_int_equal(nl_store_http_stats(s, &st, &err), NL_OK);
    assert_int_equal(st.gets, 1);
    assert_int_equal(nl_store_put(s, u, "new content!", 12, &err), NL_OK);
    assert_int_equal(nl_store_get_range(s, u, 4, 8, &b, &err), NL_OK);
    assert_memory_equal(b->data, "content!", 8);
    nl_buffer_unref(b);
    nl_free(data);
    nl_free(u);
    nl_store_close(s);
}

/* A projected Parquet read from the bucket fetches the tail once and then
 * exactly the projected column chunks, and decodes to what the same read
 * from disk gives. */
static void test_parquet_projection(void **state) {
    (void)state;
    need_server();
    const char *shared = getenv("NL_SHARED_DIR");
    char *path = nl_asprintf("%s/testdata/tpch/sf0.1/lineitem.parquet", shared ? shared : "");
    if (!shared || access(path, R_OK) != 0) {
        nl_free(path);
        skip();
    }
    nl_error err = {0};
    nl_store *local = nl_store_local_new();
    nl_buffer *file;
    assert_int_equal(nl_store_get(local, path, &file, &err), NL_OK);
    nl_store_close(local);
    char *u = key_uri("parquet/lineitem.parquet");
    nl_store *s;
    assert_int_equal(nl_s3_store_new(NULL, &s, &err), NL_OK);
    assert_int_equal(nl_store_put(s, u, file->data, file->size, &err), NL_OK);

    pq_options opt;
    pq_options_init(&opt);
    opt.coalesce_gap = 0; /* count every chunk as its own request */
    nl_store_http_stats_reset(s);
    pq_file *remote, *disk;
    if (pq_file_open(s, u, &opt, &remote, &err) != NL_OK) fail_msg("%s", err.message);
    assert_int_equal(pq_file_open_path(path, &opt, &disk, &err), NL_OK);
    const pq_file_meta *meta = pq_file_metadata(remote);
    const int32_t cols[] = {4, 10}; /* l_quantity, l_shipdate */
    int64_t want_bytes = file->size < 65536 ? file->size : 65536, rows = 0;
    for (int32_t g = 0; g < meta->n_row_groups; g++) {
        for (int c = 0; c < 2; c++) {
            const pq_column_meta *m = &meta->row_groups[g].columns[cols[c]].meta;
            want_bytes += m->total_compressed_size;
        }
        nl_batch *a, *b;
        if (pq_read_row_group(remote, g, cols, 2, &a, &err) != NL_OK) fail_msg("%s", err.message);
        assert_int_equal(pq_read_row_group(disk, g, cols, 2, &b, &err), NL_OK);
        assert_int_equal(a->num_rows, b->num_rows);
        for (int c = 0; c < 2; c++) assert_true(nl_array_equals(a->columns[c], b->columns[c]));
        rows += a->num_rows;
        nl_batch_unref(a);
        nl_batch_unref(b);
    }
    assert_int_equal(rows, pq_file_num_rows(disk));
    io_http_stats st;
    nl_store_http_stats(s, &st, &err);
    assert_int_equal(st.heads, 1);
    assert_int_equal(st.gets, 1 + 2 * meta->n_row_groups); /* tail, then 2 chunks per group */
    assert_int_equal(st.bytes_in, want_bytes);
    assert_true(st.bytes_in < file->size / 3);
    print_message("parquet projection: %d row groups, %lld requests, %lld of %lld bytes\n",
                  meta->n_row_groups, (long long)st.requests, (long long)st.bytes_in,
                  (long long)file->size);
    pq_file_close(remote);
    pq_file_close(disk);
    assert_int_equal(nl_store_delete(s, u, &err), NL_OK);
    nl_store_close(s);
    nl_buffer_unref(file);
    nl_free(u);
    nl_free(path);
}

/* ---- through the fault injector ----------------------------------------- */

static fault_proxy *proxy;

static nl_store *proxied_store(int max_attempts, int64_t budget_ms) {
    char ep[64];
    snprintf(ep, sizeof ep, "http://127.0.0.1:%d", fault_proxy_port(proxy));
    nl_s3_options o = {.endpoint = ep,
                       .max_attempts = max_attempts,
                       .retry_budget_ms = budget_ms,
                       .stall_timeout_ms = 1000,
                       .part_size = 5 << 20,
                       .upload_parallelism = 1};
    nl_store *s;
    nl_error err = {0};
    assert_int_equal(nl_s3_store_new(&o, &s, &err), NL_OK);
    return s;
}

static void test_faults_retried(void **state) {
    (void)state;
    need_server();
    nl_error err = {0};
    const int64_t n = 1 << 20;
    uint8_t *data = pattern(n, 11);
    char *u = key_uri("faults/obj.bin");
    nl_store *direct = open_store();
    assert_int_equal(nl_store_put(direct, u, data, n, &err), NL_OK);
    nl_store_close(direct);

    nl_store *s = proxied_store(6, 20000);
    static const char *plans[] = {"R", "E", "EE", "T", "RTE", "S"};
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++) {
        fault_proxy_plan(proxy, plans[k], 2500);
        nl_buffer *b = NULL;
        nl_status st = nl_store_get_range(s, u, 1000, 500000, &b, &err);
        if (st != NL_OK) fail_msg("plan %s: %s", plans[k], err.message);
        assert_int_equal(b->size, 500000);
        assert_memory_equal(b->data, data + 1000, 500000);
        nl_buffer_unref(b);
        assert_int_equal(fault_proxy_requests(proxy), (int)strlen(plans[k]) + 1);
        /* whole-object reads too */
        fault_proxy_plan(proxy, plans[k], 2500);
        assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
        assert_int_equal(b->size, n);
        assert_memory_equal(b->data, data, (size_t)n);
        nl_buffer_unref(b);
    }
    io_http_stats st;
    nl_store_http_stats(s, &st, &err);
    assert_true(st.retries >= 18);
    /* A slow answer within the stall timeout is no failure at all. */
    fault_proxy_plan(proxy, "S", 300);
    nl_buffer *b;
    assert_int_equal(nl_store_get_range(s, u, 0, 10, &b, &err), NL_OK);
    nl_buffer_unref(b);
    assert_int_equal(fault_proxy_requests(proxy), 1);
    nl_store_close(s);
    nl_free(u);
    nl_free(data);
}

static void test_faults_past_budget(void **state) {
    (void)state;
    need_server();
    nl_error err = {0};
    char *u = key_uri("faults/small.bin");
    nl_store *direct = open_store();
    assert_int_equal(nl_store_put(direct, u, "0123456789", 10, &err), NL_OK);
    nl_store_close(direct);

    /* Out of attempts: an error naming the cause, never a partial buffer. */
    nl_store *s = proxied_store(3, 20000);
    fault_proxy_plan(proxy, "TTTTTT", 0);
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get_range(s, u, 2, 6, &b, &err), NL_EIO);
    assert_null(b);
    assert_non_null(strstr(err.message, "3 attempts"));
    assert_int_equal(fault_proxy_requests(proxy), 3);
    fault_proxy_plan(proxy, "RRRRRR", 0);
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_EIO);
    assert_null(b);
    /* 503s past the retries: the S3 error is reported. */
    fault_proxy_plan(proxy, "EEEEEE", 0);
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_EIO);
    assert_non_null(strstr(err.message, "SlowDown"));
    nl_store_close(s);

    /* Out of time: the budget stops retries before the attempts run out. */
    s = proxied_store(50, 1500);
    fault_proxy_plan(proxy, "SSSSSSSSSSSSSSSSSSSS", 3000);
    assert_int_equal(nl_store_get_range(s, u, 0, 10, &b, &err), NL_EIO);
    assert_null(b);
    assert_true(fault_proxy_requests(proxy) <= 3);
    nl_store_close(s);

    /* A multipart upload whose part fails is aborted on the server. */
    s = proxied_store(2, 20000);
    int64_t n = 6 << 20;
    uint8_t *data = pattern(n, 5);
    char *m = key_uri("faults/mp.bin");
    fault_proxy_plan(proxy, "PEE", 0); /* initiate ok, part 1 fails twice */
    nl_upload *up;
    assert_int_equal(nl_store_upload_begin(s, m, &up, &err), NL_OK);
    assert_int_not_equal(up->write(up, data, n, &err), NL_OK);
    assert_int_not_equal(up->commit(up, &err), NL_OK);
    char last[512];
    fault_proxy_last_request(proxy, last, sizeof last);
    assert_true(strncmp(last, "DELETE ", 7) == 0);
    assert_non_null(strstr(last, "uploadId="));
    nl_object_info info;
    assert_int_equal(nl_store_head(s, m, &info, &err), NL_ENOTFOUND);
    nl_store_close(s);
    nl_free(m);
    nl_free(data);
    nl_free(u);
}

/* Takes the server's settings from the env file the server script wrote. */
static void load_env_file(void) {
    const char *path = getenv("NL_S3_ENV_FILE");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *kv = strncmp(line, "export ", 7) == 0 ? line + 7 : line;
        char *eq = strchr(kv, '=');
        if (!eq) continue;
        *eq = '\0';
        setenv(kv, eq + 1, 1);
    }
    fclose(f);
}

static int setup(void **state) {
    (void)state;
    load_env_file();
    const char *ep = getenv("AWS_ENDPOINT_URL");
    const char *b = getenv("NEURALAKE_S3_BUCKET");
    snprintf(bucket, sizeof bucket, "%s", b ? b : "neuralake-bucket");
    snprintf(run_id, sizeof run_id, "test-%ld", (long)getpid());
    if (!ep || sscanf(ep, "http://127.0.0.1:%d", &server_port) != 1) {
        server_port = 0;
        return 0;
    }
    /* Is anything listening? */
    nl_store *s = open_store();
    nl_object_list list;
    nl_error err = {0};
    char *root = nl_asprintf("s3://%s/", bucket);
    setenv("NEURALAKE_IO_MAX_ATTEMPTS", "1", 1);
    nl_store_close(s);
    s = open_store();
    if (nl_store_list(s, root, "/", &list, &err) != NL_OK) {
        fprintf(stderr, "no S3 server: %s -- skipping\n", err.message);
        server_port = 0;
    } else {
        nl_object_list_free(&list);
    }
    unsetenv("NEURALAKE_IO_MAX_ATTEMPTS");
    nl_store_close(s);
    nl_free(root);
    if (server_port) proxy = fault_proxy_start("127.0.0.1", server_port);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    fault_proxy_stop(proxy);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_ops),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_signed_only),
        cmocka_unit_test(test_large_uploads),
        cmocka_unit_test(test_list_pages),
        cmocka_unit_test(test_put_if_absent_race),
        cmocka_unit_test(test_ranged_reads_fetch_only_what_was_asked),
        cmocka_unit_test(test_read_cache),
        cmocka_unit_test(test_parquet_projection),
        cmocka_unit_test(test_faults_retried),
        cmocka_unit_test(test_faults_past_budget),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
