/*
 * sample_catalog.c -- a catalog compiled into a shared object, for the tests
 * of nl_catalog_load and `neuralake --catalog`: a memory table, a function
 * table and a deprecated table, behind the documented entry point.
 */
#include <neuralake.h>

static const int64_t IDS[] = {10, 20, 30};
static const char *const WORDS[] = {"ten", "twenty", "thirty"};

static nl_status squares(const nl_table_call *call, struct ArrowArrayStream *out, nl_error *err) {
    (void)call;
    static const int64_t n[] = {1, 2, 3, 4};
    static const int64_t sq[] = {1, 4, 9, 16};
    const nl_column_data cols[] = {{"n", "i64", n, NULL}, {"square", "i64", sq, NULL}, {0}};
    return nl_columns_to_stream(cols, 4, out, err);
}

static const nl_table_def TABLES[] = {
    {
        .kind = NL_TABLE_MEMORY,
        .name = "numbers",
        .data = (const nl_column_data[]){{"id", "i64", IDS, NULL}, {"word", "str", WORDS, NULL}, {0}},
        .num_rows = 3,
        .description = "Three numbers and their names.",
        .unique_columns = (const char *[]){"id", NULL},
    },
    {
        .kind = NL_TABLE_FUNCTION,
        .name = "squares",
        .function = squares,
        .description = "Squares, computed in C.",
    },
    {
        .kind = NL_TABLE_MEMORY,
        .name = "old_numbers",
        .data = (const nl_column_data[]){{"id", "i64", IDS, NULL}, {0}},
        .num_rows = 3,
        .description = "The numbers, as they were.",
        .deprecated = true,
        .deprecation_message = "use sample.numbers",
    },
    {0},
};

nl_catalog *neuralake_catalog(void);
nl_catalog *neuralake_catalog(void) {
    nl_catalog *cat = nl_catalog_new();
    nl_error err = {0};
    if (!cat || nl_catalog_add_database(cat, "sample", TABLES, &err) != NL_OK) {
        nl_catalog_free(cat);
        return NULL;
    }
    return cat;
}
