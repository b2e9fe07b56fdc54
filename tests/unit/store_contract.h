/*
 * store_contract.h -- the behaviour every object store backend must show,
 * written once and run by each backend's test (test_store_local.c,
 * test_store_memory.c): exact ranged reads, errors for missing objects and
 * short ranges, listing with prefix and delimiter, atomic put_if_absent under
 * racing writers, uploads visible only on commit, coalesced get_ranges.
 *
 * The including file defines contract_store() and contract_base() (a URI
 * prefix ending in '/', private to the test) before including this.
 */
#ifndef NL_TEST_STORE_CONTRACT_H
#define NL_TEST_STORE_CONTRACT_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "io/store.h"

static nl_store *contract_store(void);
static const char *contract_base(void);

static char *curi(const char *key) { return nl_asprintf("%s%s", contract_base(), key); }

static void cput(nl_store *s, const char *key, const char *text) {
    char *u = curi(key);
    nl_error err = {0};
    assert_int_equal(nl_store_put(s, u, text, (int64_t)strlen(text), &err), NL_OK);
    nl_free(u);
}

static void expect_bytes(nl_buffer *b, const char *text) {
    assert_non_null(b);
    assert_int_equal(b->size, (int64_t)strlen(text));
    assert_memory_equal(b->data, text, strlen(text));
}

static void contract_put_get(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    cput(s, "pg/a.txt", "hello world 0123456789");
    char *u = curi("pg/a.txt");
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    expect_bytes(b, "hello world 0123456789");
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get_range(s, u, 6, 5, &b, &err), NL_OK);
    expect_bytes(b, "world");
    nl_buffer_unref(b);
    assert_int_equal(nl_store_get_range(s, u, 22, 0, &b, &err), NL_OK);
    assert_int_equal(b->size, 0);
    nl_buffer_unref(b);
    /* Past the end is an error, never a short buffer. */
    b = NULL;
    assert_int_not_equal(nl_store_get_range(s, u, 20, 5, &b, &err), NL_OK);
    assert_null(b);
    assert_non_null(strstr(err.message, "a.txt"));
    assert_int_equal(nl_store_get_range(s, u, -1, 5, &b, &err), NL_EINVAL);

    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_OK);
    assert_int_equal(info.size, 22);
    assert_string_equal(info.uri, u);
    nl_free(info.uri);

    /* Overwrite replaces the whole object. */
    cput(s, "pg/a.txt", "short");
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    expect_bytes(b, "short");
    nl_buffer_unref(b);

    /* Empty objects exist. */
    cput(s, "pg/empty", "");
    char *e = curi("pg/empty");
    assert_int_equal(nl_store_get(s, e, &b, &err), NL_OK);
    assert_int_equal(b->size, 0);
    nl_buffer_unref(b);
    nl_free(e);
    nl_free(u);
    nl_store_close(s);
}

static void contract_missing(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    char *u = curi("missing/none.bin");
    nl_buffer *b = NULL;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "none.bin"));
    assert_null(b);
    assert_int_equal(nl_store_get_range(s, u, 0, 1, &b, &err), NL_ENOTFOUND);
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    /* Deleting what is not there succeeds, as on S3. */
    assert_int_equal(nl_store_delete(s, u, &err), NL_OK);
    nl_object_list list;
    char *p = curi("missing/");
    assert_int_equal(nl_store_list(s, p, NULL, &list, &err), NL_OK);
    assert_int_equal(list.count, 0);
    nl_object_list_free(&list);
    nl_free(p);
    nl_free(u);
    nl_store_close(s);
}

/* Renders a listing as "key[/]:size ..." relative to the test base. */
static char *render(const nl_object_list *list) {
    size_t blen = strlen(contract_base());
    char *out = nl_strdup("");
    for (int64_t i = 0; i < list->count; i++) {
        const nl_object_info *it = &list->items[i];
        assert_true(strncmp(it->uri, contract_base(), blen) == 0);
        char *next = it->is_prefix ? nl_asprintf("%s%s ", out, it->uri + blen)
                                   : nl_asprintf("%s%s:%lld ", out, it->uri + blen,
                                                 (long long)it->size);
        nl_free(out);
        out = next;
    }
    return out;
}

static void expect_list(nl_store *s, const char *prefix, const char *delim, const char *want) {
    nl_error err = {0};
    nl_object_list list;
    char *p = curi(prefix);
    assert_int_equal(nl_store_list(s, p, delim, &list, &err), NL_OK);
    char *got = render(&list);
    assert_string_equal(got, want);
    nl_free(got);
    nl_object_list_free(&list);
    nl_free(p);
}

static void contract_list(void **state) {
    (void)state;
    nl_store *s = contract_store();
    cput(s, "ls/dir/a.txt", "a");
    cput(s, "ls/dir/b.txt", "bb");
    cput(s, "ls/dir/sub/c.txt", "ccc");
    cput(s, "ls/dir/sub/d.txt", "dddd");
    cput(s, "ls/other/x.txt", "x");
    cput(s, "ls/top1.txt", "t1");
    cput(s, "ls/top2.txt", "t2");
    expect_list(s, "ls/", NULL,
                "ls/dir/a.txt:1 ls/dir/b.txt:2 ls/dir/sub/c.txt:3 ls/dir/sub/d.txt:4 "
                "ls/other/x.txt:1 ls/top1.txt:2 ls/top2.txt:2 ");
    expect_list(s, "ls/dir/", "/", "ls/dir/a.txt:1 ls/dir/b.txt:2 ls/dir/sub/ ");
    expect_list(s, "ls/", "/", "ls/dir/ ls/other/ ls/top1.txt:2 ls/top2.txt:2 ");
    /* A prefix need not end at a '/'. */
    expect_list(s, "ls/to", NULL, "ls/top1.txt:2 ls/top2.txt:2 ");
    expect_list(s, "ls/d", "/", "ls/dir/ ");
    expect_list(s, "ls/dir/sub/c", NULL, "ls/dir/sub/c.txt:3 ");
    /* Another delimiter groups on it. */
    expect_list(s, "ls/", ".", "ls/dir/a. ls/dir/b. ls/dir/sub/c. ls/dir/sub/d. ls/other/x. "
                               "ls/top1. ls/top2. ");
    nl_store_close(s);
}

typedef struct race {
    nl_store *store;
    char *uri;
    int id;
    nl_status status;
} race;

static void *race_writer(void *arg) {
    race *r = arg;
    char body[32];
    snprintf(body, sizeof body, "writer %d", r->id);
    nl_error err = {0};
    r->status = nl_store_put_if_absent(r->store, r->uri, body, (int64_t)strlen(body), &err);
    return NULL;
}

static void contract_put_if_absent(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    char *u = curi("pia/00000.json");
    assert_int_equal(nl_store_put_if_absent(s, u, "first", 5, &err), NL_OK);
    assert_int_equal(nl_store_put_if_absent(s, u, "second", 6, &err), NL_EEXISTS);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    expect_bytes(b, "first");
    nl_buffer_unref(b);
    nl_free(u);

    /* Eight writers race to create one key: exactly one wins. */
    enum { N = 8 };
    pthread_t t[N];
    race r[N];
    char *ru = curi("pia/race.json");
    for (int i = 0; i < N; i++) {
        r[i] = (race){s, ru, i, NL_EINTERNAL};
        assert_int_equal(pthread_create(&t[i], NULL, race_writer, &r[i]), 0);
    }
    int won = -1, lost = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        if (r[i].status == NL_OK) {
            assert_int_equal(won, -1);
            won = i;
        } else {
            assert_int_equal(r[i].status, NL_EEXISTS);
            lost++;
        }
    }
    assert_int_not_equal(won, -1);
    assert_int_equal(lost, N - 1);
    char want[32];
    snprintf(want, sizeof want, "writer %d", won);
    assert_int_equal(nl_store_get(s, ru, &b, &err), NL_OK);
    expect_bytes(b, want);
    nl_buffer_unref(b);
    nl_free(ru);
    /* No temporary files are left to list. */
    expect_list(s, "pia/", NULL, "pia/00000.json:5 pia/race.json:8 ");
    nl_store_close(s);
}

static void contract_upload(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    char *u = curi("up/obj.bin");
    nl_upload *up;
    assert_int_equal(nl_store_upload_begin(s, u, &up, &err), NL_OK);
    assert_int_equal(up->write(up, "part one;", 9, &err), NL_OK);
    /* Not visible before commit. */
    nl_object_info info;
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    assert_int_equal(up->write(up, "part two", 8, &err), NL_OK);
    assert_int_equal(up->commit(up, &err), NL_OK);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, u, &b, &err), NL_OK);
    expect_bytes(b, "part one;part two");
    nl_buffer_unref(b);

    /* Abort leaves nothing behind, not even a temporary file. */
    char *a = curi("up/aborted.bin");
    assert_int_equal(nl_store_upload_begin(s, a, &up, &err), NL_OK);
    assert_int_equal(up->write(up, "junk", 4, &err), NL_OK);
    up->abort(up);
    assert_int_equal(nl_store_head(s, a, &info, &err), NL_ENOTFOUND);
    expect_list(s, "up/", NULL, "up/obj.bin:17 ");

    assert_int_equal(nl_store_delete(s, u, &err), NL_OK);
    assert_int_equal(nl_store_head(s, u, &info, &err), NL_ENOTFOUND);
    expect_list(s, "up/", NULL, "");
    nl_free(a);
    nl_free(u);
    nl_store_close(s);
}

static void contract_get_ranges(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    char data[1000];
    for (int i = 0; i < 1000; i++) data[i] = (char)('a' + i % 26);
    char *u = curi("gr/data.bin");
    assert_int_equal(nl_store_put(s, u, data, sizeof data, &err), NL_OK);
    /* Unsorted, overlapping, adjacent and far-apart ranges, one empty. */
    nl_range r[] = {{900, 100}, {0, 10}, {5, 10}, {15, 5}, {500, 0}, {400, 50}, {0, 1000}};
    enum { N = sizeof r / sizeof r[0] };
    for (int64_t gap = 0; gap <= 1000; gap += 100) {
        nl_buffer *out[N];
        assert_int_equal(nl_store_get_ranges(s, u, r, N, gap, out, &err), NL_OK);
        for (int i = 0; i < N; i++) {
            assert_non_null(out[i]);
            assert_int_equal(out[i]->size, r[i].length);
            assert_memory_equal(out[i]->data, data + r[i].offset, (size_t)r[i].length);
            nl_buffer_unref(out[i]);
        }
    }
    /* A range past the end fails the whole call and leaves no buffers. */
    nl_range bad[] = {{0, 10}, {995, 10}};
    nl_buffer *out2[2] = {(nl_buffer *)1, (nl_buffer *)1};
    assert_int_not_equal(nl_store_get_ranges(s, u, bad, 2, 0, out2, &err), NL_OK);
    assert_null(out2[0]);
    assert_null(out2[1]);
    nl_free(u);
    nl_store_close(s);
}

#define STORE_CONTRACT_TESTS                                                                       \
    cmocka_unit_test(contract_put_get), cmocka_unit_test(contract_missing),                        \
        cmocka_unit_test(contract_list), cmocka_unit_test(contract_put_if_absent),                 \
        cmocka_unit_test(contract_upload), cmocka_unit_test(contract_get_ranges)

#endif
