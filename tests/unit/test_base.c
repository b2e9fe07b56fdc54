/*
 * test_base.c -- unit tests for src/base: errors, the counting allocator and its
 * limit, arenas, buffers and slices, the string builder, hashing, the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buffer.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/strbuf.h"
#include "base/threadpool.h"

static void test_error_set_and_prefix(void **state) {
    (void)state;
    nl_error err = {0};
    nl_status st = nl_error_set(&err, NL_ECORRUPT, "bad page at offset %d", 42);
    assert_int_equal(st, NL_ECORRUPT);
    assert_int_equal(err.code, NL_ECORRUPT);
    assert_string_equal(err.message, "bad page at offset 42");
    nl_error_prefix(&err, "reading '%s'", "x.parquet");
    assert_string_equal(err.message, "reading 'x.parquet': bad page at offset 42");
    assert_int_equal(err.code, NL_ECORRUPT);
    assert_int_equal(nl_error_set(NULL, NL_EIO, "ignored"), NL_EIO);
    nl_error_clear(&err);
    assert_int_equal(err.code, NL_OK);
    assert_string_equal(err.message, "");
    assert_string_equal(nl_status_name(NL_ENOTFOUND), "not found");
}

static void test_error_prefix_truncates(void **state) {
    (void)state;
    nl_error err = {0};
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    nl_error_set(&err, NL_EINVAL, "%s", big);
    nl_error_prefix(&err, "ctx");
    assert_int_equal(strlen(err.message), NL_ERROR_SIZE - 1);
    assert_memory_equal(err.message, "ctx: xxx", 8);
}

static void test_alloc_counts_bytes(void **state) {
    (void)state;
    size_t before = nl_memory_in_use();
    char *p = nl_malloc(1000);
    assert_non_null(p);
    assert_int_equal(nl_memory_in_use(), before + 1000);
    p = nl_realloc(p, 5000);
    assert_non_null(p);
    assert_int_equal(nl_memory_in_use(), before + 5000);
    p = nl_realloc(p, 10);
    assert_int_equal(nl_memory_in_use(), before + 10);
    nl_free(p);
    assert_int_equal(nl_memory_in_use(), before);
    void *a = nl_aligned_alloc(100);
    assert_non_null(a);
    assert_int_equal((uintptr_t)a % NL_ALIGNMENT, 0);
    assert_int_equal(nl_memory_in_use(), before + 128);
    nl_aligned_free(a);
    assert_int_equal(nl_memory_in_use(), before);
    assert_true(nl_memory_peak() >= before + 5000);
    assert_null(nl_calloc(SIZE_MAX / 2, 4)); /* overflow of count * size */
}

static void test_alloc_limit(void **state) {
    (void)state;
    size_t in_use = nl_memory_in_use();
    nl_memory_set_limit(in_use + 4096);
    void *ok = nl_malloc(1024);
    assert_non_null(ok);
    assert_null(nl_malloc(8192));
    assert_null(nl_aligned_alloc(8192));
    nl_free(ok);
    nl_memory_set_limit(0);
    void *fine = nl_malloc(8192);
    assert_non_null(fine);
    nl_free(fine);
    assert_int_equal(nl_memory_in_use(), in_use);
}

static void test_strings(void **state) {
    (void)state;
    char *s = nl_strdup("hello");
    assert_string_equal(s, "hello");
    nl_free(s);
    s = nl_strndup("hello world", 5);
    assert_string_equal(s, "hello");
    nl_free(s);
    s = nl_asprintf("%s-%d", "a", 7);
    assert_string_equal(s, "a-7");
    nl_free(s);
}

static void test_arena(void **state) {
    (void)state;
    size_t before = nl_memory_in_use();
    nl_arena *a = nl_arena_new(256);
    assert_non_null(a);
    char *prev = NULL;
    for (int i = 0; i < 1000; i++) {
        char *p = nl_arena_alloc(a, 24);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, i & 0xff, 24);
        if (prev) assert_int_equal((unsigned char)prev[0], (unsigned char)((i - 1) & 0xff));
        prev = p;
    }
    char *big = nl_arena_alloc(a, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    assert_string_equal(nl_arena_sprintf(a, "%d:%s", 5, "x"), "5:x");
    assert_string_equal(nl_arena_strndup(a, "abcdef", 3), "abc");
    int *z = nl_arena_calloc(a, 10, sizeof(int));
    for (int i = 0; i < 10; i++) assert_int_equal(z[i], 0);
    assert_true(nl_arena_used(a) >= 1000 * 32 + 100000);
    nl_arena_free(a);
    assert_int_equal(nl_memory_in_use(), before);
}

static int g_released;
static void count_release(void *ctx) { g_released += *(int *)ctx; }

static void test_buffer_slices(void **state) {
    (void)state;
    size_t before = nl_memory_in_use();
    nl_buffer *b = nl_buffer_copy_of("0123456789", 10);
    assert_non_null(b);
    assert_int_equal(b->size, 10);
    assert_int_equal((uintptr_t)b->data % NL_ALIGNMENT, 0);
    nl_buffer *s = nl_buffer_slice(b, 3, 4);
    assert_non_null(s);
    assert_memory_equal(s->data, "3456", 4);
    assert_null(nl_buffer_slice(b, 8, 5)); /* past the end */
    assert_null(nl_buffer_slice(b, -1, 2));
    nl_buffer_unref(b); /* the slice keeps the memory alive */
    assert_memory_equal(s->data, "3456", 4);
    nl_buffer *s2 = nl_buffer_slice(s, 1, 2);
    assert_memory_equal(s2->data, "45", 2);
    nl_buffer_unref(s);
    nl_buffer_unref(s2);
    assert_int_equal(nl_memory_in_use(), before);

    int weight = 3;
    g_released = 0;
    static const char foreign[] = "abc";
    nl_buffer *w = nl_buffer_wrap(foreign, 3, count_release, &weight);
    nl_buffer_ref(w);
    nl_buffer_unref(w);
    assert_int_equal(g_released, 0);
    assert_false(nl_buffer_reserve(w, 100)); /* foreign memory cannot grow */
    nl_buffer_unref(w);
    assert_int_equal(g_released, 3);

    nl_buffer *g = nl_buffer_new(8);
    assert_true(nl_buffer_reserve(g, 1000));
    assert_true(g->capacity >= 1000);
    for (int i = 0; i < 1000; i++) assert_int_equal(g->data[i], 0);
    nl_buffer_unref(g);
    nl_buffer_unref(NULL);
    assert_int_equal(nl_memory_in_use(), before);
}

static void test_strbuf(void **state) {
    (void)state;
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_puts(&sb, "shape: ");
    nl_strbuf_printf(&sb, "(%d, %d)", 5, 4);
    nl_strbuf_putc(&sb, '!');
    nl_strbuf_repeat(&sb, "─", 3);
    assert_string_equal(sb.data, "shape: (5, 4)!───");
    assert_int_equal(sb.len, strlen(sb.data));
    nl_strbuf_clear(&sb);
    assert_string_equal(sb.data, "");
    for (int i = 0; i < 10000; i++) nl_strbuf_putc(&sb, 'a');
    assert_int_equal(sb.len, 10000);
    char *taken = nl_strbuf_take(&sb);
    assert_int_equal(strlen(taken), 10000);
    assert_null(sb.data);
    nl_free(taken);
    nl_strbuf empty = NL_STRBUF_INIT;
    char *e = nl_strbuf_take(&empty);
    assert_string_equal(e, "");
    nl_free(e);
}

static void test_hash(void **state) {
    (void)state;
    assert_int_equal(nl_hash_bytes("abc", 3, 0), nl_hash_bytes("abc", 3, 0));
    assert_int_not_equal(nl_hash_bytes("abc", 3, 0), nl_hash_bytes("abd", 3, 0));
    assert_int_not_equal(nl_hash_bytes("abc", 3, 0), nl_hash_bytes("abc", 3, 1));
    assert_int_not_equal(nl_hash_u64(1), nl_hash_u64(2));
    assert_int_not_equal(nl_hash_combine(1, 2), nl_hash_combine(2, 1));
}

typedef struct pool_ctx {
    nl_pool *pool;
    atomic_llong sum;
    atomic_int in_flight[64];
    atomic_int collisions;
} pool_ctx;

static void add_index(void *p, int64_t i, int worker) {
    pool_ctx *c = p;
    if (atomic_fetch_add(&c->in_flight[worker], 1) != 0) atomic_fetch_add(&c->collisions, 1);
    atomic_fetch_add(&c->sum, i);
    atomic_fetch_sub(&c->in_flight[worker], 1);
}

static void nested(void *p, int64_t i, int worker) {
    pool_ctx *c = p;
    (void)i;
    (void)worker;
    nl_pool_parallel_for(c->pool, 10, add_index, c); /* runs inline: no deadlock */
}

static void test_threadpool(void **state) {
    (void)state;
    nl_pool *pool = nl_pool_new(4);
    assert_non_null(pool);
    assert_int_equal(nl_pool_size(pool), 4);
    static pool_ctx c;
    c.pool = pool;
    for (int round = 0; round < 50; round++) {
        atomic_store(&c.sum, 0);
        nl_pool_parallel_for(pool, 1000, add_index, &c);
        assert_int_equal(atomic_load(&c.sum), 999 * 1000 / 2);
    }
    assert_int_equal(atomic_load(&c.collisions), 0);
    atomic_store(&c.sum, 0);
    nl_pool_parallel_for(pool, 20, nested, &c);
    assert_int_equal(atomic_load(&c.sum), 20 * 45);
    nl_pool_parallel_for(pool, 0, add_index, &c);
    nl_pool_free(pool);
    assert_true(nl_cpu_count() >= 1);
    assert_non_null(nl_pool_default());
    assert_true(nl_pool_size(nl_pool_default()) >= 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_set_and_prefix),
        cmocka_unit_test(test_error_prefix_truncates),
        cmocka_unit_test(test_alloc_counts_bytes),
        cmocka_unit_test(test_alloc_limit),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_buffer_slices),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_threadpool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
