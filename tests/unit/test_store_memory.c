/*
 * test_store_memory.c -- the in-memory store against the store contract, plus
 * the request planning of nl_store_get_ranges (coalescing counted through a
 * wrapper store) and nl_store_open by scheme.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "io/store.h"

static nl_store *contract_store(void) {
    nl_store *s = nl_store_memory_new();
    assert_non_null(s);
    return s;
}
static const char *contract_base(void) { return "memory://t/"; }

#include "store_contract.h"

/* ---- a wrapper that counts the get_range requests reaching the store ---- */

typedef struct counting {
    nl_store base;
    nl_store *inner;
    int requests;
    int64_t bytes;
    pthread_mutex_t lock;
} counting;

static nl_status counting_get_range(nl_store *s, const char *uri, int64_t off, int64_t len,
                                    nl_buffer **out, nl_error *err) {
    counting *c = s->impl;
    pthread_mutex_lock(&c->lock);
    c->requests++;
    c->bytes += len;
    pthread_mutex_unlock(&c->lock);
    return nl_store_get_range(c->inner, uri, off, len, out, err);
}

static void test_coalescing_requests(void **state) {
    (void)state;
    nl_store *mem = nl_store_memory_new();
    nl_error err = {0};
    char data[10000];
    memset(data, 'x', sizeof data);
    assert_int_equal(nl_store_put(mem, "f", data, sizeof data, &err), NL_OK);

    static nl_store_vtable vt;
    vt = *mem->vt;
    vt.scheme = "counting"; /* a "remote" store: groups run on the I/O pool */
    vt.get_range = counting_get_range;
    counting c = {.inner = mem};
    pthread_mutex_init(&c.lock, NULL);
    c.base.vt = &vt;
    c.base.impl = &c;

    nl_range r[] = {{0, 100}, {150, 100}, {1000, 100}, {5000, 10}, {5005, 10}, {9000, 1000}};
    enum { N = sizeof r / sizeof r[0] };
    nl_buffer *out[N];
    struct {
        int64_t gap;
        int requests;
        int64_t bytes;
    } cases[] = {
        {0, 5, 100 + 100 + 100 + 15 + 1000},     /* only the overlapping pair merges */
        {50, 4, 250 + 100 + 15 + 1000},          /* 0-100 and 150-250 merge */
        {800, 3, 1100 + 15 + 1000},              /* and 1000-1100 joins them */
        {10000, 1, 10000},                       /* everything is one read */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        c.requests = 0;
        c.bytes = 0;
        assert_int_equal(nl_store_get_ranges(&c.base, "f", r, N, cases[k].gap, out, &err), NL_OK);
        assert_int_equal(c.requests, cases[k].requests);
        assert_int_equal(c.bytes, cases[k].bytes);
        for (int i = 0; i < N; i++) {
            assert_int_equal(out[i]->size, r[i].length);
            nl_buffer_unref(out[i]);
        }
    }

    /* Big reads: merging stops at 16 MiB, and remote reads over 8 MiB go
     * out as 8 MiB pieces in parallel, reassembled exactly. */
    const int64_t big = 20 << 20;
    uint8_t *bytes = nl_malloc((size_t)big);
    for (int64_t i = 0; i < big; i++) bytes[i] = (uint8_t)(i * 7 + (i >> 13));
    assert_int_equal(nl_store_put(mem, "big", bytes, big, &err), NL_OK);
    nl_range br[] = {{0, 10 << 20}, {10 << 20, 10 << 20}, {5, 10}};
    nl_buffer *bo[3];
    c.requests = 0;
    c.bytes = 0;
    assert_int_equal(nl_store_get_ranges(&c.base, "big", br, 3, 0, bo, &err), NL_OK);
    assert_int_equal(c.requests, 4); /* two 10 MiB groups of two pieces each */
    assert_int_equal(c.bytes, big);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(bo[i]->size, br[i].length);
        assert_memory_equal(bo[i]->data, bytes + br[i].offset, (size_t)br[i].length);
        nl_buffer_unref(bo[i]);
    }
    nl_free(bytes);
    pthread_mutex_destroy(&c.lock);
    nl_store_close(mem);
}

static void test_open_by_scheme(void **state) {
    (void)state;
    nl_store *s = NULL;
    nl_error err = {0};
    assert_int_equal(nl_store_open("memory://x", &s, &err), NL_OK);
    assert_string_equal(s->vt->scheme, "memory");
    nl_store_close(s);
    assert_int_equal(nl_store_open("/tmp/x", &s, &err), NL_OK);
    assert_string_equal(s->vt->scheme, "file");
    nl_store_close(s);
    assert_int_equal(nl_store_open("file:///tmp/x", &s, &err), NL_OK);
    assert_string_equal(s->vt->scheme, "file");
    nl_store_close(s);
    assert_int_equal(nl_store_open("ftp://h/x", &s, &err), NL_ENOTSUP);
    assert_null(s);
    nl_store_close(NULL);
}

static void test_list_free_empty(void **state) {
    (void)state;
    nl_object_list list = {0};
    nl_object_list_free(&list);
    nl_object_list_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        STORE_CONTRACT_TESTS,
        cmocka_unit_test(test_coalescing_requests),
        cmocka_unit_test(test_open_by_scheme),
        cmocka_unit_test(test_list_free_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
