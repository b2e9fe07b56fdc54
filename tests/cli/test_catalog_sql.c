/*
 * test_catalog_sql.c -- SQL over catalog tables: "db.table" and a bare
 * "table" in the default database resolve through the session's catalog,
 * session tables and views shadow catalog tables, a function table joins a
 * memory table, and a missing name says what exists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exec/query_int.h"
#include "neuralake.h"

static const int64_t ITEM_IDS[] = {1, 2, 3};
static const char *const ITEM_NAMES[] = {"bolt", "nut", "gear"};
static const double ITEM_PRICES[] = {0.5, 0.25, 4.0};
static const int64_t PEOPLE_IDS[] = {7, 8};
static const char *const PEOPLE_NAMES[] = {"Ada", "Grace"};

static nl_status stock(const nl_table_call *call, struct ArrowArrayStream *out, nl_error *err) {
    (void)call;
    static const int64_t item[] = {1, 3, 3};
    static const int64_t qty[] = {10, 2, 5};
    const nl_column_data cols[] = {{"item_id", "i64", item, NULL}, {"qty", "i64", qty, NULL}, {0}};
    return nl_columns_to_stream(cols, 3, out, err);
}

static const nl_table_def SHOP[] = {
    {
        .kind = NL_TABLE_MEMORY,
        .name = "items",
        .data = (const nl_column_data[]){{"id", "i64", ITEM_IDS, NULL},
                                         {"name", "str", ITEM_NAMES, NULL},
                                         {"price", "f64", ITEM_PRICES, NULL},
                                         {0}},
        .num_rows = 3,
    },
    {.kind = NL_TABLE_FUNCTION, .name = "stock", .function = stock},
    {0},
};

static const nl_table_def HR[] = {
    {
        .kind = NL_TABLE_MEMORY,
        .name = "people",
        .data = (const nl_column_data[]){{"id", "i64", PEOPLE_IDS, NULL},
                                         {"name", "str", PEOPLE_NAMES, NULL},
                                         {0}},
        .num_rows = 2,
    },
    {0},
};

static nl_catalog *make_catalog(void) {
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    assert_non_null(cat);
    if (nl_catalog_add_database(cat, "shop", SHOP, &err) != NL_OK ||
        nl_catalog_add_database(cat, "hr", HR, &err) != NL_OK)
        fail_msg("%s", err.message);
    return cat;
}

/* Runs sql and gives the first column of the first row as an integer. */
static int64_t scalar(nl_session *s, const char *sql) {
    nl_error err = {0};
    nl_table *t = NULL;
    if (nl_session_run(s, sql, &t, &err) != NL_OK) fail_msg("%s: %s", sql, err.message);
    assert_true(t->num_rows >= 1);
    const nl_array *a = t->batches[0]->columns[0];
    assert_int_equal(a->type->id, NL_TYPE_INT64);
    int64_t v = NL_ARRAY_VALUES(a, int64_t)[0];
    nl_table_free(t);
    return v;
}

static void expect_error(nl_session *s, const char *sql, const char *text) {
    nl_error err = {0};
    nl_table *t = NULL;
    assert_int_not_equal(nl_session_run(s, sql, &t, &err), NL_OK);
    if (!strstr(err.message, text)) fail_msg("%s: '%s' lacks '%s'", sql, err.message, text);
    assert_null(t);
}

static void test_names(void **state) {
    (void)state;
    nl_catalog *cat = make_catalog();
    nl_session *s = nl_session_new(cat);
    assert_int_equal(scalar(s, "SELECT count(*) FROM items"), 3);
    assert_int_equal(scalar(s, "SELECT count(*) FROM shop.items"), 3);
    assert_int_equal(scalar(s, "SELECT count(*) FROM SHOP.Items"), 3);
    assert_int_equal(scalar(s, "SELECT max(id) FROM hr.people"), 8);
    /* people is not in the default database */
    expect_error(s, "SELECT * FROM people", "people");
    expect_error(s, "SELECT * FROM hr.nobody", "people"); /* lists what exists */
    expect_error(s, "SELECT * FROM nowhere.items", "nowhere");
    nl_error err = {0};
    assert_int_equal(nl_catalog_set_default_database(cat, "hr", &err), NL_OK);
    assert_int_equal(scalar(s, "SELECT min(id) FROM people"), 7);
    nl_session_free(s);
    nl_catalog_free(cat);
}

static void test_federated_join(void **state) {
    (void)state;
    nl_catalog *cat = make_catalog();
    nl_session *s = nl_session_new(cat);
    /* memory table x function table, filtered and aggregated */
    assert_int_equal(scalar(s, "SELECT sum(st.qty) FROM shop.items i JOIN shop.stock st ON st.item_id = i.id "
                               "WHERE i.price > 1"),
                     7);
    assert_int_equal(scalar(s, "SELECT count(*) FROM items, hr.people"), 6);
    nl_session_free(s);
    nl_catalog_free(cat);
}

static void test_shadowing(void **state) {
    (void)state;
    nl_catalog *cat = make_catalog();
    nl_session *s = nl_session_new(cat);
    assert_int_equal(scalar(s, "CREATE VIEW items AS SELECT 42 AS id; SELECT max(id) FROM items"), 42);
    /* the catalog's table is still there under its database's name */
    assert_int_equal(scalar(s, "SELECT max(id) FROM shop.items"), 3);
    assert_int_equal(scalar(s, "SELECT max(id) FROM memory.items"), 42);
    assert_int_equal(scalar(s, "DROP VIEW items; SELECT max(id) FROM items"), 3);
    assert_int_equal(scalar(s, "CREATE TABLE stock AS SELECT 5 AS item_id; SELECT count(*) FROM stock"), 1);
    assert_int_equal(scalar(s, "SELECT count(*) FROM shop.stock"), 3);
    /* a view over catalog tables */
    assert_int_equal(scalar(s, "CREATE VIEW dear AS SELECT * FROM shop.items WHERE price > 0.3; "
                               "SELECT count(*) FROM dear"),
                     2);
    nl_session_free(s);
    nl_catalog_free(cat);
}

static void test_without_catalog(void **state) {
    (void)state;
    nl_session *s = nl_session_new(NULL);
    expect_error(s, "SELECT * FROM items", "table 'items' not found");
    expect_error(s, "SELECT * FROM shop.items", "table 'shop.items' not found");
    nl_session_free(s);
    nl_catalog *empty = nl_catalog_new();
    s = nl_session_new(empty);
    expect_error(s, "SELECT * FROM items", "table 'items' not found");
    assert_int_equal(scalar(s, "CREATE TABLE items AS SELECT 1 AS id; SELECT count(*) FROM main.items"), 1);
    nl_session_free(s);
    nl_catalog_free(empty);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_federated_join),
        cmocka_unit_test(test_shadowing),
        cmocka_unit_test(test_without_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
