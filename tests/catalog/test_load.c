/*
 * test_load.c -- loading a catalog from a shared object (nl_catalog_load):
 * the tables it declares work, and a file that is not a catalog, or is not
 * there, is a clear error. The path of the object comes as argv[1], and of
 * an object without the entry point as argv[2].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "columnar/arrow_c.h"
#include "neuralake.h"

static const char *g_catalog_so;
static const char *g_other_so;

static void test_load_and_scan(void **state) {
    (void)state;
    nl_catalog *cat = NULL;
    nl_error err = {0};
    if (nl_catalog_load(g_catalog_so, &cat, &err) != NL_OK) fail_msg("%s", err.message);
    assert_int_equal(nl_catalog_database_count(cat), 1);
    assert_string_equal(nl_catalog_database_name(cat, 0), "sample");
    assert_int_equal(nl_catalog_table_count(cat, 0), 3);
    struct ArrowArrayStream s;
    assert_int_equal(nl_catalog_scan(cat, "sample.squares", NULL,
                                     (const nl_filter_term[]){{"square", ">", NL_INT(3)}, {0}}, -1,
                                     &s, &err),
                     NL_OK);
    nl_stream *in = NULL;
    assert_int_equal(nl_stream_import(&s, &in, &err), NL_OK);
    nl_table *t = NULL;
    assert_int_equal(nl_stream_collect(in, &t, &err), NL_OK);
    assert_int_equal(t->num_rows, 3);
    nl_table_free(t);
    nl_catalog_free(cat); /* also unloads the object */
}

static void test_load_errors(void **state) {
    (void)state;
    nl_catalog *cat = NULL;
    nl_error err = {0};
    assert_int_equal(nl_catalog_load("/nonexistent/libnothing.so", &cat, &err), NL_EIO);
    assert_non_null(strstr(err.message, "cannot load catalog '/nonexistent/libnothing.so'"));
    assert_int_equal(nl_catalog_load(g_other_so, &cat, &err), NL_ENOTFOUND);
    assert_non_null(strstr(err.message, "does not export neuralake_catalog()"));
    assert_null(cat);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    g_catalog_so = argv[1];
    g_other_so = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_scan),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
