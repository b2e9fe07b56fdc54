/*
 * test_s3_config.c -- where S3 settings come from (options, the AWS
 * environment variables, ~/.aws/credentials and ~/.aws/config profiles) and
 * in which order; and the XML reading S3 replies need.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "io/s3_config.h"
#include "io/s3_xml.h"

static char dir[256], cred_path[300], conf_path[300];

static const char *VARS[] = {"AWS_ACCESS_KEY_ID",   "AWS_SECRET_ACCESS_KEY",
                             "AWS_SESSION_TOKEN",   "AWS_REGION",
                             "AWS_DEFAULT_REGION",  "AWS_ENDPOINT_URL",
                             "AWS_ENDPOINT_URL_S3", "AWS_PROFILE",
                             "NEURALAKE_S3_ADDRESSING_STYLE"};

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "%s/nl-s3cfg-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return -1;
    snprintf(cred_path, sizeof cred_path, "%s/credentials", dir);
    snprintf(conf_path, sizeof conf_path, "%s/config", dir);
    FILE *f = fopen(cred_path, "w");
    fputs("# comment\n[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = "
          "defaultsecret\n\n[dev]\naws_access_key_id=DEVKEY\naws_secret_access_key=devsecret\n"
          "aws_session_token = devtoken\n",
          f);
    fclose(f);
    f = fopen(conf_path, "w");
    fputs("[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-south-1\n"
          "endpoint_url = http://127.0.0.1:9000\ns3 =\n  addressing_style = virtual\n\n"
          "[profile cfgonly]\naws_access_key_id = CFGKEY\naws_secret_access_key = cfgsecret\n",
          f);
    fclose(f);
    for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++) unsetenv(VARS[i]);
    setenv("AWS_SHARED_CREDENTIALS_FILE", cred_path, 1);
    setenv("AWS_CONFIG_FILE", conf_path, 1);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(cred_path);
    unlink(conf_path);
    rmdir(dir);
    return 0;
}

static void resolve(const nl_s3_options *o, s3_config *c) {
    nl_error err = {0};
    assert_int_equal(s3_config_resolve(o, c, &err), NL_OK);
}

static void test_default_profile(void **state) {
    (void)state;
    s3_config c;
    resolve(NULL, &c);
    assert_string_equal(c.access_key, "DEFAULTKEY");
    assert_string_equal(c.secret_key, "defaultsecret");
    assert_null(c.session_token);
    assert_string_equal(c.region, "eu-west-1");
    assert_string_equal(c.endpoint, "https://s3.eu-west-1.amazonaws.com");
    assert_false(c.custom_endpoint);
    assert_int_equal(c.addressing, NL_S3_ADDRESSING_AUTO);
    s3_config_free(&c);
}

static void test_env_over_profile(void **state) {
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    setenv("AWS_SESSION_TOKEN", "envtoken", 1);
    setenv("AWS_DEFAULT_REGION", "us-west-2", 1);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:7480/", 1);
    s3_config c;
    resolve(NULL, &c);
    assert_string_equal(c.access_key, "ENVKEY");
    assert_string_equal(c.session_token, "envtoken");
    assert_string_equal(c.region, "us-west-2");
    assert_string_equal(c.endpoint, "http://127.0.0.1:7480"); /* trailing '/' dropped */
    assert_int_equal(c.addressing, NL_S3_ADDRESSING_PATH);     /* custom endpoint */
    s3_config_free(&c);
    setenv("AWS_REGION", "ca-central-1", 1);
    setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:7999", 1);
    resolve(NULL, &c);
    assert_string_equal(c.region, "ca-central-1");
    assert_string_equal(c.endpoint, "http://127.0.0.1:7999");
    s3_config_free(&c);

    /* Options win over everything, keys as a pair. */
    nl_s3_options o = {.access_key_id = "OPTKEY", .secret_access_key = "optsecret",
                       .region = "sa-east-1", .endpoint = "https://minio.local",
                       .addressing = NL_S3_ADDRESSING_VIRTUAL};
    resolve(&o, &c);
    assert_string_equal(c.access_key, "OPTKEY");
    assert_null(c.session_token);
    assert_string_equal(c.region, "sa-east-1");
    assert_string_equal(c.endpoint, "https://minio.local");
    assert_int_equal(c.addressing, NL_S3_ADDRESSING_VIRTUAL);
    assert_non_null(strstr(c.key_source, "options"));
    s3_config_free(&c);
    setenv("NEURALAKE_S3_ADDRESSING_STYLE", "virtual", 1);
    resolve(NULL, &c);
    assert_int_equal(c.addressing, NL_S3_ADDRESSING_VIRTUAL);
    s3_config_free(&c);
    for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++) unsetenv(VARS[i]);
}

static void test_named_profile(void **state) {
    (void)state;
    setenv("AWS_PROFILE", "dev", 1);
    s3_config c;
    resolve(NULL, &c);
    assert_string_equal(c.access_key, "DEVKEY");
    assert_string_equal(c.session_token, "devtoken");
    assert_string_equal(c.region, "ap-south-1");
    assert_string_equal(c.endpoint, "http://127.0.0.1:9000");
    assert_int_equal(c.addressing, NL_S3_ADDRESSING_VIRTUAL); /* s3 = addressing_style */
    assert_non_null(strstr(c.key_source, "dev"));
    s3_config_free(&c);
    /* Keys may sit in the config file too. */
    setenv("AWS_PROFILE", "cfgonly", 1);
    resolve(NULL, &c);
    assert_string_equal(c.access_key, "CFGKEY");
    assert_string_equal(c.region, "us-east-1"); /* nothing anywhere: the default */
    s3_config_free(&c);
    /* A profile nobody defined: no keys, anonymous. */
    setenv("AWS_PROFILE", "nobody", 1);
    resolve(NULL, &c);
    assert_null(c.access_key);
    assert_non_null(strstr(c.key_source, "anonymous"));
    s3_config_free(&c);
    unsetenv("AWS_PROFILE");
}

static void test_bad_endpoint(void **state) {
    (void)state;
    nl_s3_options o = {.endpoint = "127.0.0.1:7480"};
    s3_config c;
    nl_error err = {0};
    assert_int_equal(s3_config_resolve(&o, &c, &err), NL_EINVAL);
    assert_non_null(strstr(err.message, "http://"));
}

static void test_ini(void **state) {
    (void)state;
    char *v = s3_ini_get(conf_path, "profile dev", "s3.addressing_style");
    assert_string_equal(v, "virtual");
    nl_free(v);
    assert_null(s3_ini_get(conf_path, "profile dev", "addressing_style"));
    assert_null(s3_ini_get("/nonexistent/file", "default", "region"));
}

static void test_xml(void **state) {
    (void)state;
    const char *x = "<?xml version=\"1.0\"?><ListBucketResult><KeyCount>2</KeyCount>"
                    "<Contents><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><Size>5</Size></Contents>"
                    "<Contents><Key>d</Key><Size>0</Size></Contents><Empty/>"
                    "<IsTruncated>false</IsTruncated></ListBucketResult>";
    const char *end = x + strlen(x);
    const char *pos = x, *in, *in_end;
    assert_true(s3_xml_element(&pos, end, "Contents", &in, &in_end));
    char *k = s3_xml_text(in, in_end, "Key");
    assert_string_equal(k, "a&b <c> \xc3\xa9" "A");
    nl_free(k);
    assert_true(s3_xml_element(&pos, end, "Contents", &in, &in_end));
    assert_false(s3_xml_element(&pos, end, "Contents", &in, &in_end));
    /* <Key> does not match <KeyCount> */
    k = s3_xml_text(x, end, "Key");
    assert_string_equal(k, "a&b <c> \xc3\xa9" "A");
    nl_free(k);
    k = s3_xml_text(x, end, "Empty");
    assert_string_equal(k, "");
    nl_free(k);
    /* A reply cut short finds nothing past the cut. */
    assert_null(s3_xml_text(x, x + 60, "IsTruncated"));
    assert_null(s3_xml_text(x, x + 80, "Key"));
}

static void expect_address(const char *endpoint, nl_s3_addressing mode, const char *bucket,
                           const char *key, const char *query, const char *host,
                           const char *path, const char *url) {
    s3_config c = {.endpoint = (char *)endpoint, .addressing = mode};
    s3_address a;
    nl_error err = {0};
    assert_int_equal(s3_address_build(&c, bucket, key, query, &a, &err), NL_OK);
    assert_string_equal(a.host, host);
    assert_string_equal(a.path, path);
    assert_string_equal(a.url, url);
    s3_address_free(&a);
}

static void test_addressing(void **state) {
    (void)state;
    expect_address("http://127.0.0.1:7480", NL_S3_ADDRESSING_PATH, "b", "dir/a b+c.txt", "",
                   "127.0.0.1:7480", "/b/dir/a%20b%2Bc.txt",
                   "http://127.0.0.1:7480/b/dir/a%20b%2Bc.txt");
    expect_address("https://s3.eu-west-1.amazonaws.com", NL_S3_ADDRESSING_AUTO, "lake", "t/x",
                   "partNumber=1&uploadId=u", "lake.s3.eu-west-1.amazonaws.com", "/t/x",
                   "https://lake.s3.eu-west-1.amazonaws.com/t/x?partNumber=1&uploadId=u");
    /* dots in the bucket: path-style even on AWS */
    expect_address("https://s3.amazonaws.com", NL_S3_ADDRESSING_AUTO, "my.lake", "k", "",
                   "s3.amazonaws.com", "/my.lake/k", "https://s3.amazonaws.com/my.lake/k");
    expect_address("https://r2.example", NL_S3_ADDRESSING_VIRTUAL, "b", "", "list-type=2",
                   "b.r2.example", "/", "https://b.r2.example/?list-type=2");
    /* an endpoint with a path prefix */
    expect_address("http://gw:9000/s3", NL_S3_ADDRESSING_PATH, "b", "k", "", "gw:9000",
                   "/s3/b/k", "http://gw:9000/s3/b/k");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_profile), cmocka_unit_test(test_env_over_profile),
        cmocka_unit_test(test_named_profile),   cmocka_unit_test(test_bad_endpoint),
        cmocka_unit_test(test_ini),             cmocka_unit_test(test_xml),
        cmocka_unit_test(test_addressing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
