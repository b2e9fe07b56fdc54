/*
 * test_s3_sign.c -- SigV4 signing against the four worked examples AWS
 * publishes for S3 (GET object with a range, PUT object, GET bucket
 * lifecycle, list objects), plus URI and query encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/alloc.h"
#include "io/s3_sign.h"

#define EX_KEY "AKIAIOSFODNN7EXAMPLE"
#define EX_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EX_DATE "20130524T000000Z"
#define EX_HOST "examplebucket.s3.amazonaws.com"

static void expect_auth(const s3_sign_request *req, const char *names, const char *sig) {
    char *auth = NULL;
    nl_error err = {0};
    assert_int_equal(s3_sign(req, &auth, &err), NL_OK);
    char *want = nl_asprintf("AWS4-HMAC-SHA256 Credential=" EX_KEY
                             "/20130524/us-east-1/s3/aws4_request,SignedHeaders=%s,Signature=%s",
                             names, sig);
    assert_string_equal(auth, want);
    nl_free(want);
    nl_free(auth);
}

static s3_sign_request example(const char *method, const char *path, const char *query,
                               const s3_kv *h, int n, const char *payload) {
    return (s3_sign_request){method, path,     query,    h,      n, payload, EX_DATE,
                             "us-east-1", "s3", EX_KEY, EX_SECRET};
}

static void test_get_object(void **state) {
    (void)state;
    s3_kv h[] = {{"Host", EX_HOST},
                 {"Range", "bytes=0-9"},
                 {"x-amz-content-sha256", S3_EMPTY_SHA256},
                 {"x-amz-date", EX_DATE}};
    s3_sign_request req = example("GET", "/test.txt", "", h, 4, S3_EMPTY_SHA256);
    char *sts = s3_string_to_sign(&req);
    assert_string_equal(sts, "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/"
                             "aws4_request\n"
                             "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    nl_free(sts);
    expect_auth(&req, "host;range;x-amz-content-sha256;x-amz-date",
                "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void test_put_object(void **state) {
    (void)state;
    const char *body = "Welcome to Amazon S3.";
    char hash[65];
    s3_sha256_hex(body, strlen(body), hash);
    assert_string_equal(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    char *path = s3_uri_encode("/test$file.text", 1);
    assert_string_equal(path, "/test%24file.text");
    /* Header order and case do not matter; values are trimmed. */
    s3_kv h[] = {{"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                 {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                 {"Host", EX_HOST},
                 {"X-Amz-Date", "  " EX_DATE " "},
                 {"x-amz-content-sha256", hash}};
    s3_sign_request req = example("PUT", path, "", h, 5, hash);
    expect_auth(&req, "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    nl_free(path);
}

static void test_get_lifecycle(void **state) {
    (void)state;
    s3_kv q[] = {{"lifecycle", NULL}};
    char *query = s3_query_build(q, 1);
    assert_string_equal(query, "lifecycle=");
    s3_kv h[] = {{"Host", EX_HOST},
                 {"x-amz-content-sha256", S3_EMPTY_SHA256},
                 {"x-amz-date", EX_DATE}};
    s3_sign_request req = example("GET", "/", query, h, 3, S3_EMPTY_SHA256);
    expect_auth(&req, "host;x-amz-content-sha256;x-amz-date",
                "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    nl_free(query);
}

static void test_list_objects(void **state) {
    (void)state;
    s3_kv q[] = {{"prefix", "J"}, {"max-keys", "2"}}; /* sorted by the builder */
    char *query = s3_query_build(q, 2);
    assert_string_equal(query, "max-keys=2&prefix=J");
    s3_kv h[] = {{"Host", EX_HOST},
                 {"x-amz-content-sha256", S3_EMPTY_SHA256},
                 {"x-amz-date", EX_DATE}};
    s3_sign_request req = example("GET", "/", query, h, 3, S3_EMPTY_SHA256);
    expect_auth(&req, "host;x-amz-content-sha256;x-amz-date",
                "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    nl_free(query);
}

static void test_encoding(void **state) {
    (void)state;
    char *e = s3_uri_encode("a b/c+d=e~f_g.h-i%", 0);
    assert_string_equal(e, "a%20b%2Fc%2Bd%3De~f_g.h-i%25");
    nl_free(e);
    e = s3_uri_encode("dir/k\xc3\xa9y", 1);
    assert_string_equal(e, "dir/k%C3%A9y");
    nl_free(e);
    s3_kv q[] = {{"prefix", "dir/"}, {"list-type", "2"}, {"delimiter", "/"},
                 {"continuation-token", "a+b="}};
    char *query = s3_query_build(q, 4);
    assert_string_equal(query,
                        "continuation-token=a%2Bb%3D&delimiter=%2F&list-type=2&prefix=dir%2F");
    nl_free(query);
    char d[17];
    s3_amz_date(1369353600, d);
    assert_string_equal(d, EX_DATE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_object),   cmocka_unit_test(test_put_object),
        cmocka_unit_test(test_get_lifecycle), cmocka_unit_test(test_list_objects),
        cmocka_unit_test(test_encoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
