/*
 * test_filter.c -- filters: operator names, binding terms to a schema (and the
 * errors that name the column), evaluation of every operator on batches with
 * SQL's null semantics, list operators, partition pruning, weakening a set,
 * and handing a set back as public terms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "catalog/filter.h"
#include "columnar/builder.h"

/* A batch: id i64 (1..6), name str (null at row 3), tags list<str>, price f64. */
static nl_batch *make_batch(void) {
    nl_error err = {0};
    nl_type *tags_t = nl_type_list(nl_type_get(NL_TYPE_UTF8), true);
    nl_builder *id = nl_builder_new(nl_type_get(NL_TYPE_INT64), 6);
    nl_builder *name = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 6);
    nl_builder *tags = nl_builder_new(tags_t, 6);
    nl_builder *price = nl_builder_new(nl_type_get(NL_TYPE_FLOAT64), 6);
    static const char *const names[] = {"apple", "banana", NULL, "cherry", "date", "elder"};
    static const char *const tag_sets[][3] = {{"red", "fruit", NULL}, {"yellow", NULL, NULL},
                                              {NULL, NULL, NULL},      {"red", NULL, NULL},
                                              {"brown", "fruit", NULL}, {"black", "fruit", "red"}};
    for (int i = 0; i < 6; i++) {
        nl_builder_append_int(id, i + 1);
        if (names[i]) nl_builder_append_string(name, names[i], (int64_t)strlen(names[i]));
        else nl_builder_append_null(name);
        if (i == 2) {
            nl_builder_append_null(tags);
        } else {
            nl_builder_list_begin(tags);
            for (int k = 0; k < 3 && tag_sets[i][k]; k++)
                nl_builder_append_string(nl_builder_child(tags, 0), tag_sets[i][k],
                                         (int64_t)strlen(tag_sets[i][k]));
            nl_builder_list_end(tags);
        }
        nl_builder_append_double(price, 1.5 * (i + 1));
    }
    nl_array *cols[4];
    assert_int_equal(nl_builder_finish(id, &cols[0], &err), NL_OK);
    assert_int_equal(nl_builder_finish(name, &cols[1], &err), NL_OK);
    assert_int_equal(nl_builder_finish(tags, &cols[2], &err), NL_OK);
    assert_int_equal(nl_builder_finish(price, &cols[3], &err), NL_OK);
    nl_builder_free(id);
    nl_builder_free(name);
    nl_builder_free(tags);
    nl_builder_free(price);
    nl_field fields[4] = {
        {"id", nl_type_get(NL_TYPE_INT64), true},
        {"name", nl_type_get(NL_TYPE_UTF8), true},
        {"tags", tags_t, true},
        {"price", nl_type_get(NL_TYPE_FLOAT64), true},
    };
    nl_schema *schema = nl_schema_new(fields, 4);
    nl_batch *b = NULL;
    assert_int_equal(nl_batch_new(schema, cols, 6, &b, &err), NL_OK);
    return b;
}

/* The ids (1-based) of the rows selected by terms, as a string "1,3,". */
static void selected(nl_batch *b, const nl_filter_term *terms, char *out) {
    nl_filter_set set;
    nl_error err = {0};
    if (cat_filter_bind(terms, b->schema, &set, &err) != NL_OK) fail_msg("bind: %s", err.message);
    uint8_t sel[6];
    assert_int_equal(cat_filter_eval(&set, b, sel, &err), NL_OK);
    out[0] = '\0';
    for (int i = 0; i < 6; i++)
        if (sel[i]) sprintf(out + strlen(out), "%d,", i + 1);
    nl_filter_set_clear(&set);
}

#define CHECK(b, expect, ...)                                                                      \
    do {                                                                                           \
        char got_[64];                                                                             \
        const nl_filter_term terms_[] = {__VA_ARGS__, {0}};                                        \
        selected(b, terms_, got_);                                                                 \
        if (strcmp(got_, expect) != 0)                                                             \
            fail_msg("line %d: expected rows %s, got %s", __LINE__, expect, got_);                \
    } while (0)

static void test_op_names(void **state) {
    (void)state;
    for (int op = NL_OP_EQ; op <= NL_OP_IS_NOT_NULL; op++)
        assert_int_equal(nl_filter_op_parse(nl_filter_op_name((nl_filter_op)op)), op);
    assert_int_equal(nl_filter_op_parse("NOT IN"), NL_OP_NOT_IN);
    assert_int_equal(nl_filter_op_parse("includes_any"), NL_OP_INCLUDES_ANY);
    assert_int_equal(nl_filter_op_parse("  includes   all "), NL_OP_INCLUDES_ALL);
    assert_int_equal(nl_filter_op_parse("=="), NL_OP_EQ);
    assert_int_equal(nl_filter_op_parse("<>"), NL_OP_NE);
    assert_int_equal(nl_filter_op_parse("like"), -1);
    assert_int_equal(nl_filter_op_parse(NULL), -1);
    assert_string_equal(nl_filter_op_name((nl_filter_op)99), "?");
}

static void test_every_operator(void **state) {
    (void)state;
    nl_batch *b = make_batch();
    CHECK(b, "2,", {"id", "=", NL_INT(2)});
    CHECK(b, "1,3,4,5,6,", {"id", "!=", NL_INT(2)});
    CHECK(b, "1,2,", {"id", "<", NL_INT(3)});
    CHECK(b, "1,2,3,", {"id", "<=", NL_INT(3)});
    CHECK(b, "5,6,", {"id", ">", NL_INT(4)});
    CHECK(b, "4,5,6,", {"id", ">=", NL_INT(4)});
    CHECK(b, "3,4,5,6,", {"id", ">", NL_DOUBLE(2.5)});
    CHECK(b, "1,5,", {"id", "in", NL_LIST(NL_INT(1), NL_INT(5), NL_INT(9))});
    CHECK(b, "2,3,4,6,", {"id", "not in", NL_LIST(NL_INT(1), NL_INT(5))});
    CHECK(b, "2,4,", {"name", "contains", NL_STR("an")}, NL_OR, {"name", "=", NL_STR("cherry")});
    CHECK(b, "1,4,6,", {"tags", "includes", NL_STR("red")});
    CHECK(b, "2,5,", {"tags", "includes any", NL_LIST(NL_STR("yellow"), NL_STR("brown"))});
    CHECK(b, "1,6,", {"tags", "includes all", NL_LIST(NL_STR("fruit"), NL_STR("red"))});
    CHECK(b, "3,", {"name", "is null", NL_NULL});
    CHECK(b, "1,2,4,5,6,", {"name", "is not null", NL_NULL});
    CHECK(b, "2,3,", {"price", ">=", NL_STR("3")}, {"price", "<", NL_INT(6)});
    /* Strings compare as strings, lexicographically. */
    CHECK(b, "4,5,6,", {"name", ">", NL_STR("c")});
    /* OR of ANDs. */
    CHECK(b, "1,2,6,", {"id", "<", NL_INT(3)}, NL_OR, {"id", ">", NL_INT(5)});
    nl_batch_unref(b);
}

static void test_null_semantics(void **state) {
    (void)state;
    nl_batch *b = make_batch();
    /* Row 3 has a null name: it satisfies no comparison, not even !=. */
    CHECK(b, "1,2,4,5,6,", {"name", "!=", NL_STR("zzz")});
    CHECK(b, "1,2,4,5,6,", {"name", "not in", NL_LIST(NL_STR("zzz"))});
    /* x NOT IN (..., NULL) is never true. */
    CHECK(b, "", {"id", "not in", NL_LIST(NL_INT(1), NL_NULL)});
    CHECK(b, "1,", {"id", "in", NL_LIST(NL_INT(1), NL_NULL)});
    CHECK(b, "", {"id", "=", NL_NULL});
    /* A null list includes nothing. */
    CHECK(b, "1,2,4,5,6,", {"tags", "includes any", NL_LIST(NL_STR("red"), NL_STR("yellow"),
                                                          NL_STR("brown"), NL_STR("black"))});
    nl_batch_unref(b);
}

static void expect_bind_error(nl_batch *b, const nl_filter_term *terms, nl_status code,
                              const char *needle) {
    nl_filter_set set;
    nl_error err = {0};
    nl_status st = cat_filter_bind(terms, b->schema, &set, &err);
    if (st != code || !strstr(err.message, needle))
        fail_msg("expected %d '%s', got %d: %s", code, needle, st, err.message);
}

static void test_bind_errors(void **state) {
    (void)state;
    nl_batch *b = make_batch();
    expect_bind_error(b, (const nl_filter_term[]){{"nope", "=", NL_INT(1)}, {0}}, NL_ENOTFOUND,
                      "unknown column 'nope' (columns: id, name, tags, price)");
    expect_bind_error(b, (const nl_filter_term[]){{"id", "~=", NL_INT(1)}, {0}}, NL_EINVAL,
                      "unknown filter operator '~=' on column 'id'");
    expect_bind_error(b, (const nl_filter_term[]){{"id", "=", NL_STR("x")}, {0}}, NL_ETYPE,
                      "filter on 'id': 'x' is not a valid BIGINT");
    expect_bind_error(b, (const nl_filter_term[]){{"id", "contains", NL_STR("1")}, {0}}, NL_ETYPE,
                      "'contains' needs a string column");
    expect_bind_error(b, (const nl_filter_term[]){{"name", "includes", NL_STR("a")}, {0}}, NL_ETYPE,
                      "'includes' needs a list column");
    expect_bind_error(b, (const nl_filter_term[]){{"tags", "=", NL_STR("a")}, {0}}, NL_ETYPE,
                      "does not apply to a");
    expect_bind_error(b, (const nl_filter_term[]){{"id", "=", NL_LIST(NL_INT(1))}, {0}}, NL_ETYPE,
                      "needs a single value");
    expect_bind_error(b, (const nl_filter_term[]){{"id", "=", NL_INT(1)}, NL_OR, {0}}, NL_EINVAL,
                      "empty conjunction");
    expect_bind_error(b, (const nl_filter_term[]){{"name", "=", NL_BOOL(true)}, {0}}, NL_ETYPE,
                      "a boolean cannot be compared");
    /* Case-insensitive column names bind to the schema's spelling. */
    nl_filter_set set;
    nl_error err = {0};
    assert_int_equal(cat_filter_bind((const nl_filter_term[]){{"ID", "=", NL_INT(1)}, {0}},
                                     b->schema, &set, &err),
                     NL_OK);
    assert_string_equal(set.ands[0].filters[0].column, "id");
    /* Copy and clear. */
    nl_filter_set copy;
    assert_int_equal(nl_filter_set_copy(&copy, &set, &err), NL_OK);
    assert_int_equal(copy.n, 1);
    nl_filter_set_clear(&set);
    nl_filter_set_clear(&copy);
    assert_int_equal(copy.n, 0);
    nl_batch_unref(b);
}

static void test_filter_batch(void **state) {
    (void)state;
    nl_batch *b = make_batch();
    nl_filter_set set;
    nl_error err = {0};
    assert_int_equal(cat_filter_bind((const nl_filter_term[]){{"price", ">", NL_DOUBLE(5.0)}, {0}},
                                     b->schema, &set, &err),
                     NL_OK);
    nl_batch *out = NULL;
    assert_int_equal(cat_filter_batch(&set, b, &out, &err), NL_OK);
    assert_int_equal(out->num_rows, 3);
    assert_int_equal(NL_ARRAY_VALUES(out->columns[0], int64_t)[0], 4);
    nl_batch_unref(out);
    nl_filter_set_clear(&set);
    /* An empty set keeps the batch itself. */
    nl_filter_set none = {0};
    assert_int_equal(cat_filter_batch(&none, b, &out, &err), NL_OK);
    assert_ptr_equal(out, b);
    nl_batch_unref(out);
    nl_batch_unref(b);
}

static void test_partition_pruning(void **state) {
    (void)state;
    nl_field fields[2] = {{"year", nl_type_get(NL_TYPE_INT64), true},
                          {"country", nl_type_get(NL_TYPE_UTF8), true}};
    nl_schema *schema = nl_schema_new(fields, 2);
    nl_filter_set set;
    nl_error err = {0};
    assert_int_equal(cat_filter_bind((const nl_filter_term[]){{"year", ">=", NL_INT(2023)},
                                                              {"country", "in",
                                                               NL_LIST(NL_STR("FR"), NL_STR("DE"))},
                                                              NL_OR,
                                                              {"year", "=", NL_INT(2000)},
                                                              {0}},
                                     schema, &set, &err),
                     NL_OK);
    const char *const names[] = {"year", "country"};
    nl_scalar v[2];
    v[0] = nl_scalar_int64(2024);
    v[1] = nl_scalar_string("FR", 2);
    assert_true(cat_filter_may_match(&set, names, v, 2));
    nl_scalar_clear(&v[1]);
    v[1] = nl_scalar_string("US", 2);
    assert_false(cat_filter_may_match(&set, names, v, 2));
    nl_scalar_clear(&v[0]);
    v[0] = nl_scalar_int64(2000);
    assert_true(cat_filter_may_match(&set, names, v, 2)); /* second conjunction */
    /* Only the year known: the country filter is "maybe". */
    nl_scalar_clear(&v[0]);
    v[0] = nl_scalar_int64(2023);
    assert_true(cat_filter_may_match(&set, names, v, 1));
    nl_scalar_clear(&v[0]);
    v[0] = nl_scalar_int64(1999);
    assert_false(cat_filter_may_match(&set, names, v, 1));
    /* A null partition value satisfies no comparison. */
    nl_scalar_clear(&v[0]);
    v[0] = nl_scalar_null(nl_type_get(NL_TYPE_INT64));
    assert_false(cat_filter_may_match(&set, names, v, 1));
    nl_scalar_clear(&v[0]);
    nl_scalar_clear(&v[1]);
    nl_filter_set_clear(&set);
    nl_schema_unref(schema);
}

static bool keep_year(const char *column, void *ctx) {
    (void)ctx;
    return strcmp(column, "year") == 0;
}

static void test_restrict_and_terms(void **state) {
    (void)state;
    nl_field fields[2] = {{"year", nl_type_get(NL_TYPE_INT64), true},
                          {"d", nl_type_get(NL_TYPE_DATE32), true}};
    nl_schema *schema = nl_schema_new(fields, 2);
    nl_filter_set set, weak;
    nl_error err = {0};
    assert_int_equal(cat_filter_bind((const nl_filter_term[]){{"year", "=", NL_INT(1)},
                                                              {"d", "<", NL_STR("2024-01-31")},
                                                              NL_OR,
                                                              {"year", "in", NL_LIST(NL_INT(2), NL_INT(3))},
                                                              {0}},
                                     schema, &set, &err),
                     NL_OK);
    assert_int_equal(cat_filter_restrict(&set, keep_year, NULL, &weak, &err), NL_OK);
    assert_int_equal(weak.n, 2);
    assert_int_equal(weak.ands[0].n, 1);
    nl_filter_set_clear(&weak);

    nl_arena *arena = nl_arena_new(0);
    const nl_filter_term *terms = NULL;
    assert_int_equal(cat_filter_to_terms(&set, arena, &terms, &err), NL_OK);
    assert_string_equal(terms[0].column, "year");
    assert_string_equal(terms[0].op, "=");
    assert_int_equal(terms[0].value.kind, NL_VALUE_INT);
    assert_string_equal(terms[1].op, "<");
    assert_int_equal(terms[1].value.kind, NL_VALUE_STRING); /* dates go back as text */
    assert_string_equal(terms[1].value.s, "2024-01-31");
    assert_null(terms[2].column);
    assert_string_equal(terms[2].op, "or");
    assert_int_equal(terms[3].value.kind, NL_VALUE_LIST);
    assert_int_equal(terms[3].value.n_items, 2);
    assert_int_equal(terms[3].value.items[1].i, 3);
    assert_null(terms[4].column);
    assert_null(terms[4].op);
    /* And they bind again to the same set. */
    nl_filter_set again;
    assert_int_equal(cat_filter_bind(terms, schema, &again, &err), NL_OK);
    assert_int_equal(again.n, 2);
    nl_filter_set_clear(&again);
    nl_arena_free(arena);
    nl_filter_set_clear(&set);
    nl_schema_unref(schema);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_op_names),
        cmocka_unit_test(test_every_operator),
        cmocka_unit_test(test_null_semantics),
        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_filter_batch),
        cmocka_unit_test(test_partition_pruning),
        cmocka_unit_test(test_restrict_and_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
