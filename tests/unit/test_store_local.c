/*
 * test_store_local.c -- the local file store against the store contract (in a
 * private temporary directory), plus what is particular to files: file://
 * URIs, parent directories created on put, directories are not objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "io/store.h"

static char test_dir[4096];
static char test_base[4200];

static nl_store *contract_store(void) {
    nl_store *s = nl_store_local_new();
    assert_non_null(s);
    return s;
}
static const char *contract_base(void) { return test_base; }

#include "store_contract.h"

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state) {
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(test_dir, sizeof test_dir, "%s/nl-test-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(test_dir)) return -1;
    snprintf(test_base, sizeof test_base, "%s/", test_dir);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    nftw(test_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void test_file_uris(void **state) {
    (void)state;
    nl_store *s = contract_store();
    nl_error err = {0};
    char *u = nl_asprintf("file://%s/fu/deep/er/x.bin", test_dir);
    assert_int_equal(nl_store_put(s, u, "abc", 3, &err), NL_OK);
    char *p = nl_asprintf("%s/fu/deep/er/x.bin", test_dir);
    nl_buffer *b;
    assert_int_equal(nl_store_get(s, p, &b, &err), NL_OK);
    assert_int_equal(b->size, 3);
    nl_buffer_unref(b);
    nl_object_list list;
    char *pre = nl_asprintf("file://%s/fu/", test_dir);
    assert_int_equal(nl_store_list(s, pre, "/", &list, &err), NL_OK);
    assert_int_equal(list.count, 1);
    char *want = nl_asprintf("file://%s/fu/deep/", test_dir);
    assert_string_equal(list.items[0].uri, want);
    assert_true(list.items[0].is_prefix);
    nl_object_list_free(&list);
    /* A directory is not an object. */
    char *d = nl_asprintf("%s/fu/deep", test_dir);
    assert_int_not_equal(nl_store_get(s, d, &b, &err), NL_OK);
    nl_object_info info;
    assert_int_equal(nl_store_head(s, d, &info, &err), NL_ENOTFOUND);
    nl_free(d);
    nl_free(want);
    nl_free(pre);
    nl_free(p);
    nl_free(u);
    nl_store_close(s);
}

static void test_relative_paths(void **state) {
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(test_dir), 0);
    nl_store *s = contract_store();
    nl_error err = {0};
    assert_int_equal(nl_store_put(s, "rel/a.txt", "a", 1, &err), NL_OK);
    assert_int_equal(nl_store_put(s, "relb.txt", "b", 1, &err), NL_OK);
    nl_object_list list;
    assert_int_equal(nl_store_list(s, "rel", "/", &list, &err), NL_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].uri, "rel/");
    assert_string_equal(list.items[1].uri, "relb.txt");
    nl_object_list_free(&list);
    nl_store_close(s);
    assert_int_equal(chdir(cwd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        STORE_CONTRACT_TESTS,
        cmocka_unit_test(test_file_uris),
        cmocka_unit_test(test_relative_paths),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
