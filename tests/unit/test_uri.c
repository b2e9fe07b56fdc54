/*
 * test_uri.c -- URI parsing for the object stores: paths, file://, s3://,
 * http(s)://, memory:// and the errors for bad ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/alloc.h"
#include "io/uri.h"

static void expect_uri(const char *text, nl_uri_kind kind, const char *scheme, const char *host,
                       const char *path) {
    nl_uri u;
    nl_error err = {0};
    assert_int_equal(nl_uri_parse(text, &u, &err), NL_OK);
    assert_int_equal(u.kind, kind);
    assert_string_equal(u.scheme, scheme);
    assert_string_equal(u.host, host);
    assert_string_equal(u.path, path);
    nl_uri_free(&u);
}

static void test_parse(void **state) {
    (void)state;
    expect_uri("data/x.parquet", NL_URI_FILE, "file", "", "data/x.parquet");
    expect_uri("/abs/x", NL_URI_FILE, "file", "", "/abs/x");
    expect_uri("./a://b", NL_URI_FILE, "file", "", "./a://b");
    expect_uri("file:///tmp/a b", NL_URI_FILE, "file", "", "/tmp/a b");
    expect_uri("file://localhost/tmp/a", NL_URI_FILE, "file", "", "/tmp/a");
    expect_uri("s3://bucket/dir/key.parquet", NL_URI_S3, "s3", "bucket", "dir/key.parquet");
    expect_uri("s3://bucket", NL_URI_S3, "s3", "bucket", "");
    expect_uri("s3a://bucket/k", NL_URI_S3, "s3", "bucket", "k");
    expect_uri("http://127.0.0.1:8080/a/b?x=1", NL_URI_HTTP, "http", "127.0.0.1:8080", "/a/b?x=1");
    expect_uri("https://example.com", NL_URI_HTTP, "https", "example.com", "/");
    expect_uri("memory://t/a", NL_URI_MEMORY, "memory", "", "t/a");
}

static void test_errors(void **state) {
    (void)state;
    nl_uri u;
    nl_error err = {0};
    assert_int_equal(nl_uri_parse("", &u, &err), NL_EINVAL);
    assert_int_equal(nl_uri_parse("s3:///key", &u, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "no bucket"));
    assert_int_equal(nl_uri_parse("gs://b/k", &u, &err), NL_ENOTSUP);
    assert_non_null(strstr(err.message, "gs"));
    assert_int_equal(nl_uri_parse("file://relative", &u, &err), NL_EINVAL);
    assert_int_equal(nl_uri_parse("http:///x", &u, &err), NL_EINVAL);
}

static void test_local_path(void **state) {
    (void)state;
    char *p = nl_uri_local_path("file:///x/y");
    assert_string_equal(p, "/x/y");
    nl_free(p);
    p = nl_uri_local_path("rel/y");
    assert_string_equal(p, "rel/y");
    nl_free(p);
    assert_null(nl_uri_local_path("s3://b/k"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_local_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
