/*
 * test_print.c -- the table printer against Polars itself, byte for byte.
 *
 * Each tests/data/print/<case>.json (written by tests/tools/gen_print_cases.mjs)
 * describes a table and the environment it was printed under; <case>.txt is what
 * Polars printed. The table is rebuilt here with the builders, printed, and
 * compared. Also: the blueprint's expected output in ../shared/seed/README.md,
 * the CSV, JSON, NDJSON and markdown formats, options, widths and streams.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/arrow_c.h"
#include "columnar/builder.h"
#include "columnar/print.h"
#include "columnar/print_internal.h"

static const char *const ENV_KEYS[] = {"POLARS_FMT_MAX_ROWS",
                                       "POLARS_FMT_MAX_COLS",
                                       "POLARS_FMT_STR_LEN",
                                       "POLARS_TABLE_WIDTH",
                                       "POLARS_FMT_TABLE_CELL_LIST_LEN",
                                       "POLARS_FMT_TABLE_HIDE_COLUMN_NAMES",
                                       "POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES",
                                       "POLARS_FMT_TABLE_HIDE_COLUMN_SEPARATOR",
                                       "POLARS_FMT_TABLE_INLINE_COLUMN_DATA_TYPE",
                                       "POLARS_FMT_TABLE_HIDE_DATAFRAME_SHAPE_INFORMATION",
                                       "POLARS_FMT_TABLE_DATAFRAME_SHAPE_BELOW",
                                       "POLARS_FMT_TABLE_ROUNDED_CORNERS",
                                       "POLARS_FMT_TABLE_CELL_ALIGNMENT",
                                       "POLARS_FMT_TABLE_CELL_NUMERIC_ALIGNMENT",
                                       "POLARS_FMT_TABLE_FORMATTING"};

static void clear_env(void) {
    for (size_t k = 0; k < sizeof ENV_KEYS / sizeof *ENV_KEYS; k++)
        unsetenv(ENV_KEYS[k]);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = 0;
    fclose(f);
    return buf;
}

/* ---- type spellings of the generator ----------------------------------------- */

static nl_time_unit unit_of(const char *s, size_t n) {
    if (n == 2 && !strncmp(s, "ms", 2)) return NL_UNIT_MILLI;
    if (n == 2 && !strncmp(s, "us", 2)) return NL_UNIT_MICRO;
    if (n == 2 && !strncmp(s, "ns", 2)) return NL_UNIT_NANO;
    return NL_UNIT_SECOND;
}

/* Parses one type from s[0..n). */
static nl_type *parse_type(const char *s, size_t n) {
    static const struct {
        const char *name;
        nl_type_id id;
    } simple[] = {{"i8", NL_TYPE_INT8},     {"i16", NL_TYPE_INT16},     {"i32", NL_TYPE_INT32},
                  {"i64", NL_TYPE_INT64},   {"u8", NL_TYPE_UINT8},      {"u16", NL_TYPE_UINT16},
                  {"u32", NL_TYPE_UINT32},  {"u64", NL_TYPE_UINT64},    {"f32", NL_TYPE_FLOAT32},
                  {"f64", NL_TYPE_FLOAT64}, {"bool", NL_TYPE_BOOL},     {"str", NL_TYPE_UTF8},
                  {"date", NL_TYPE_DATE32}, {"binary", NL_TYPE_BINARY}, {"null", NL_TYPE_NULL}};
    for (size_t k = 0; k < sizeof simple / sizeof *simple; k++)
        if (strlen(simple[k].name) == n && !strncmp(s, simple[k].name, n))
            return nl_type_get(simple[k].id);
    if (n == 4 && !strncmp(s, "time", 4)) return nl_type_time64(NL_UNIT_NANO);
    const char *lb = memchr(s, '[', n);
    if (!lb || s[n - 1] != ']') return NULL;
    size_t head = (size_t)(lb - s);
    const char *in = lb + 1;
    size_t in_n = n - head - 2;
    if (head == 8 && !strncmp(s, "datetime", 8)) {
        const char *comma = memchr(in, ',', in_n);
        if (!comma) return nl_type_timestamp(unit_of(in, in_n), NULL);
        char tz[64];
        snprintf(tz, sizeof tz, "%.*s", (int)(in_n - (size_t)(comma - in) - 1), comma + 1);
        return nl_type_timestamp(unit_of(in, (size_t)(comma - in)), tz);
    }
    if (head == 8 && !strncmp(s, "duration", 8)) return nl_type_duration(unit_of(in, in_n));
    if (head == 7 && !strncmp(s, "decimal", 7)) {
        int p, sc;
        if (sscanf(in, "%d,%d", &p, &sc) != 2) return NULL;
        return nl_type_decimal(p, sc);
    }
    if (head == 4 && !strncmp(s, "list", 4)) {
        nl_type *item = parse_type(in, in_n);
        return item ? nl_type_list(item, true) : NULL;
    }
    if (head == 6 && !strncmp(s, "struct", 6)) {
        nl_field fields[16] = {0};
        int32_t nf = 0;
        size_t i = 0;
        while (i < in_n && nf < 16) {
            size_t start = i;
            int depth = 0;
            while (i < in_n && !(in[i] == ',' && depth == 0)) {
                if (in[i] == '[') depth++;
                if (in[i] == ']') depth--;
                i++;
            }
            const char *colon = memchr(in + start, ':', i - start);
            if (!colon) return NULL;
            size_t name_len = (size_t)(colon - (in + start));
            char *name = strndup(in + start, name_len);
            fields[nf].name = name;
            fields[nf].type = parse_type(colon + 1, i - start - name_len - 1);
            fields[nf].nullable = true;
            nf++;
            i++;
        }
        nl_type *t = nl_type_struct(fields, nf);
        for (int32_t k = 0; k < nf; k++)
            free(fields[k].name);
        return t;
    }
    return NULL;
}

static int64_t json_int(const json_t *v) {
    if (json_is_integer(v)) return (int64_t)json_integer_value(v);
    if (json_is_real(v)) return (int64_t)json_real_value(v);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    return 0;
}

static double json_double(const json_t *v) {
    if (json_is_number(v)) return json_number_value(v);
    const char *s = json_string_value(v);
    if (!s) return 0;
    if (!strcmp(s, "NaN")) return NAN;
    if (!strcmp(s, "inf") || !strcmp(s, "Infinity")) return INFINITY;
    if (!strcmp(s, "-inf") || !strcmp(s, "-Infinity")) return -INFINITY;
    return strtod(s, NULL);
}

static __int128 parse_i128(const char *s) {
    bool neg = *s == '-';
    if (neg) s++;
    __int128 v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (*s - '0');
    return neg ? -v : v;
}

static void append_json(nl_builder *b, const nl_type *t, const json_t *v) {
    if (json_is_null(v)) {
        if (t->id == NL_TYPE_STRUCT) {
            for (int32_t k = 0; k < t->n_children; k++)
                nl_builder_append_null(nl_builder_child(b, k));
            nl_builder_struct_append(b, false);
        } else {
            nl_builder_append_null(b);
        }
        return;
    }
    switch (t->id) {
    case NL_TYPE_BOOL: nl_builder_append_bool(b, json_is_true(v)); break;
    case NL_TYPE_UINT8:
    case NL_TYPE_UINT16:
    case NL_TYPE_UINT32:
    case NL_TYPE_UINT64:
        if (json_is_string(v))
            nl_builder_append_uint(b, strtoull(json_string_value(v), NULL, 10));
        else
            nl_builder_append_uint(b, (uint64_t)json_int(v));
        break;
    case NL_TYPE_FLOAT32:
    case NL_TYPE_FLOAT64: nl_builder_append_double(b, json_double(v)); break;
    case NL_TYPE_DECIMAL128: nl_builder_append_decimal(b, parse_i128(json_string_value(v))); break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY:
        nl_builder_append_string(b, json_string_value(v), (int64_t)json_string_length(v));
        break;
    case NL_TYPE_LIST: {
        nl_builder_list_begin(b);
        size_t k;
        json_t *item;
        json_array_foreach(v, k, item)
            append_json(nl_builder_child(b, 0), t->children[0].type, item);
        nl_builder_list_end(b);
        break;
    }
    case NL_TYPE_STRUCT:
        for (int32_t k = 0; k < t->n_children; k++)
            append_json(nl_builder_child(b, k), t->children[k].type, json_array_get(v, (size_t)k));
        nl_builder_struct_append(b, true);
        break;
    default: nl_builder_append_int(b, json_int(v)); break;
    }
}

/* Builds the table of a case; sets the case's environment. */
static nl_table *build_case(json_t *root) {
    json_t *cols = json_object_get(root, "columns");
    size_t n = json_array_size(cols);
    nl_field *fields = calloc(n ? n : 1, sizeof *fields);
    nl_array **arrays = calloc(n ? n : 1, sizeof *arrays);
    int64_t rows = 0;
    for (size_t c = 0; c < n; c++) {
        json_t *col = json_array_get(cols, c);
        const char *spec = json_string_value(json_object_get(col, "type"));
        nl_type *t = parse_type(spec, strlen(spec));
        assert_non_null(t);
        nl_builder *b = nl_builder_new(t, 16);
        json_t *values = json_object_get(col, "values");
        size_t k;
        json_t *v;
        json_array_foreach(values, k, v) append_json(b, t, v);
        nl_error err = {0};
        assert_int_equal(nl_builder_finish(b, &arrays[c], &err), NL_OK);
        nl_builder_free(b);
        rows = arrays[c]->length;
        fields[c].name = (char *)json_string_value(json_object_get(col, "name"));
        fields[c].type = t;
        fields[c].nullable = true;
    }
    nl_schema *schema = nl_schema_new(fields, (int32_t)n);
    assert_non_null(schema);
    nl_batch *batch = NULL;
    nl_error err = {0};
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), arrays, rows, &batch, &err), NL_OK);
    nl_table *table = nl_table_new(schema);
    assert_int_equal(nl_table_append(table, batch, &err), NL_OK);
    nl_batch_unref(batch);
    free(fields);
    free(arrays);
    clear_env();
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(root, "env"), key, val)
        setenv(key, json_string_value(val), 1);
    return table;
}

static char *case_path(const char *name, const char *ext) {
    const char *src = getenv("NL_SOURCE_DIR");
    char *p = NULL;
    if (asprintf(&p, "%s/tests/data/print/%s.%s", src ? src : ".", name, ext) < 0) return NULL;
    return p;
}

static bool zone_files_present(void) {
    struct stat st;
    return stat("/usr/share/zoneinfo/Europe/Paris", &st) == 0;
}

static void test_polars_case(void **state) {
    const char *name = *state;
    char *jpath = case_path(name, "json"), *tpath = case_path(name, "txt");
    json_error_t jerr;
    json_t *root = json_load_file(jpath, 0, &jerr);
    if (!root) fail_msg("cannot read %s: %s", jpath, jerr.text);
    if (strstr(name, "_tz") && !zone_files_present()) {
        json_decref(root);
        free(jpath);
        free(tpath);
        skip();
    }
    char *expected = read_file(tpath);
    assert_non_null(expected);
    nl_table *table = build_case(root);
    char *got = NULL;
    nl_error err = {0};
    nl_status st = nl_format_table(table, NL_OUTPUT_TABLE, NULL, &got, &err);
    clear_env();
    if (st != NL_OK) fail_msg("%s: %s", name, err.message);
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "case %s differs.\n--- expected\n%s--- got\n%s", name, expected, got);
        fail_msg("case %s: output differs from Polars", name);
    }
    nl_free(got);
    nl_table_free(table);
    free(expected);
    json_decref(root);
    free(jpath);
    free(tpath);
}

/* ---- a hand-built table for the other tests -------------------------------------- */

static nl_array *finish(nl_builder *b) {
    nl_array *a = NULL;
    nl_error err = {0};
    assert_int_equal(nl_builder_finish(b, &a, &err), NL_OK);
    nl_builder_free(b);
    return a;
}

static nl_table *one_batch(nl_field *fields, nl_array **cols, int32_t n) {
    nl_schema *schema = nl_schema_new(fields, n);
    assert_non_null(schema);
    nl_batch *batch = NULL;
    nl_error err = {0};
    assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, cols[0]->length, &batch, &err),
                     NL_OK);
    nl_table *t = nl_table_new(schema);
    assert_int_equal(nl_table_append(t, batch, &err), NL_OK);
    nl_batch_unref(batch);
    return t;
}

/* The seed's parts table: p_partkey, p_name, p_brand, p_retailprice. With
 * `name_pad` the part names are "Part#N" and two spaces: the README's table is
 * exactly what Polars prints for 8-character names (checked against Polars
 * itself); for the bare 6-character "Part#N" Polars draws that column two
 * narrower (tests/data/print/seed.txt). */
static nl_table *seed_table_names(bool name_pad) {
    nl_builder *k = nl_builder_new(nl_type_get(NL_TYPE_INT64), 5);
    nl_builder *nm = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 5);
    nl_builder *br = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 5);
    nl_builder *pr = nl_builder_new(nl_type_get(NL_TYPE_FLOAT64), 5);
    for (int i = 1; i <= 5; i++) {
        char buf[32];
        nl_builder_append_int(k, i);
        int n = snprintf(buf, sizeof buf, name_pad ? "Part#%d  " : "Part#%d", i);
        nl_builder_append_string(nm, buf, n);
        n = snprintf(buf, sizeof buf, "Brand#%d", (i - 1) % 3 + 1);
        nl_builder_append_string(br, buf, n);
        nl_builder_append_double(pr, i * 10.0);
    }
    nl_array *cols[4] = {finish(k), finish(nm), finish(br), finish(pr)};
    nl_field fields[4] = {{"p_partkey", nl_type_get(NL_TYPE_INT64), true},
                          {"p_name", nl_type_get(NL_TYPE_UTF8), true},
                          {"p_brand", nl_type_get(NL_TYPE_UTF8), true},
                          {"p_retailprice", nl_type_get(NL_TYPE_FLOAT64), true}};
    return one_batch(fields, cols, 4);
}

static nl_table *seed_table(void) { return seed_table_names(false); }

static void test_seed_readme(void **state) {
    (void)state;
    const char *shared = getenv("NL_SHARED_DIR");
    char *path = NULL;
    if (!shared || asprintf(&path, "%s/seed/README.md", shared) < 0) skip();
    char *readme = read_file(path);
    free(path);
    if (!readme) skip();
    const char *start = strstr(readme, "shape: (5, 4)");
    assert_non_null(start);
    const char *end = strstr(start, "┘");
    assert_non_null(end);
    end += strlen("┘");
    size_t n = (size_t)(end - start);
    char *expected = malloc(n + 2);
    memcpy(expected, start, n);
    expected[n] = '\n';
    expected[n + 1] = 0;
    clear_env();
    nl_table *t = seed_table_names(true);
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(t, NL_OUTPUT_TABLE, NULL, &got, &err), NL_OK);
    assert_string_equal(got, expected);
    nl_free(got);
    nl_table_free(t);
    free(expected);
    free(readme);
}

/* A table with awkward values for the text formats. */
static nl_table *formats_table(void) {
    nl_builder *id = nl_builder_new(nl_type_get(NL_TYPE_INT32), 3);
    nl_builder *s = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 3);
    nl_builder *f = nl_builder_new(nl_type_get(NL_TYPE_FLOAT64), 3);
    nl_builder *d = nl_builder_new(nl_type_get(NL_TYPE_DATE32), 3);
    nl_type *ts_t = nl_type_timestamp(NL_UNIT_MICRO, NULL);
    nl_builder *ts = nl_builder_new(ts_t, 3);
    nl_type *dec_t = nl_type_decimal(10, 2);
    nl_builder *dec = nl_builder_new(dec_t, 3);
    nl_type *li_t = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_builder *li = nl_builder_new(li_t, 3);

    nl_builder_append_int(id, 1);
    nl_builder_append_string(s, "plain", 5);
    nl_builder_append_double(f, 10.0);
    nl_builder_append_int(d, 0);
    nl_builder_append_int(ts, 1704067200123456);
    nl_builder_append_decimal(dec, 1050);
    nl_builder_list_begin(li);
    nl_builder_append_int(nl_builder_child(li, 0), 1);
    nl_builder_append_null(nl_builder_child(li, 0));
    nl_builder_list_end(li);

    nl_builder_append_int(id, 2);
    nl_builder_append_string(s, "a,\"b\"|c\nd", 9);
    nl_builder_append_double(f, 0.1);
    nl_builder_append_int(d, 19723);
    nl_builder_append_int(ts, -1);
    nl_builder_append_decimal(dec, -5);
    nl_builder_list_begin(li);
    nl_builder_list_end(li);

    nl_builder_append_null(id);
    nl_builder_append_null(s);
    nl_builder_append_double(f, NAN);
    nl_builder_append_null(d);
    nl_builder_append_null(ts);
    nl_builder_append_null(dec);
    nl_builder_append_null(li);

    nl_array *cols[7] = {finish(id), finish(s),   finish(f), finish(d),
                         finish(ts), finish(dec), finish(li)};
    nl_field fields[7] = {{"id", nl_type_get(NL_TYPE_INT32), true},
                          {"s", nl_type_get(NL_TYPE_UTF8), true},
                          {"f", nl_type_get(NL_TYPE_FLOAT64), true},
                          {"d", nl_type_get(NL_TYPE_DATE32), true},
                          {"ts", ts_t, true},
                          {"dec", dec_t, true},
                          {"li", li_t, true}};
    return one_batch(fields, cols, 7);
}

static void check_format(nl_output_format fmt, const char *expected) {
    nl_table *t = formats_table();
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(t, fmt, NULL, &got, &err), NL_OK);
    assert_string_equal(got, expected);
    nl_free(got);
    nl_table_free(t);
}

static void test_csv(void **state) {
    (void)state;
    check_format(NL_OUTPUT_CSV,
                 "id,s,f,d,ts,dec,li\n"
                 "1,plain,10.0,1970-01-01,2024-01-01T00:00:00.123456,10.50,\"[1,null]\"\n"
                 "2,\"a,\"\"b\"\"|c\nd\",0.1,2024-01-01,1969-12-31T23:59:59.999999,-0.05,[]\n"
                 ",,NaN,,,,\n");
}

static void test_json(void **state) {
    (void)state;
    check_format(
        NL_OUTPUT_JSON,
        "[{\"id\":1,\"s\":\"plain\",\"f\":10.0,\"d\":\"1970-01-01\",\"ts\":\"2024-01-01 "
        "00:00:00.123456\","
        "\"dec\":\"10.50\",\"li\":[1,null]},"
        "{\"id\":2,\"s\":\"a,\\\"b\\\"|c\\nd\",\"f\":0.1,\"d\":\"2024-01-01\",\"ts\":\"1969-12-31 "
        "23:59:59.999999\","
        "\"dec\":\"-0.05\",\"li\":[]},"
        "{\"id\":null,\"s\":null,\"f\":null,\"d\":null,\"ts\":null,\"dec\":null,\"li\":null}]\n");
}

static void test_ndjson(void **state) {
    (void)state;
    check_format(
        NL_OUTPUT_NDJSON,
        "{\"id\":1,\"s\":\"plain\",\"f\":10.0,\"d\":\"1970-01-01\",\"ts\":\"2024-01-01 "
        "00:00:00.123456\","
        "\"dec\":\"10.50\",\"li\":[1,null]}\n"
        "{\"id\":2,\"s\":\"a,\\\"b\\\"|c\\nd\",\"f\":0.1,\"d\":\"2024-01-01\",\"ts\":\"1969-12-31 "
        "23:59:59.999999\","
        "\"dec\":\"-0.05\",\"li\":[]}\n"
        "{\"id\":null,\"s\":null,\"f\":null,\"d\":null,\"ts\":null,\"dec\":null,\"li\":null}\n");
}

static void test_markdown(void **state) {
    (void)state;
    check_format(NL_OUTPUT_MARKDOWN, "| id   | s             | f    | d          | ts              "
                                     "           | dec   | li        |\n"
                                     "| ---- | ------------- | ---- | ---------- | "
                                     "-------------------------- | ----- | --------- |\n"
                                     "| 1    | plain         | 10.0 | 1970-01-01 | 2024-01-01 "
                                     "00:00:00.123456 | 10.50 | [1, null] |\n"
                                     "| 2    | a,\"b\"\\|c<br>d | 0.1  | 2024-01-01 | 1969-12-31 "
                                     "23:59:59.999999 | -0.05 | []        |\n"
                                     "| null | null          | NaN  | null       | null            "
                                     "           | null  | null      |\n");
}

/* Zoned timestamps as Polars' write_csv and write_json write them. */
static void test_zoned_formats(void **state) {
    (void)state;
    if (!zone_files_present()) skip();
    nl_type *t = nl_type_timestamp(NL_UNIT_MILLI, "Europe/Paris");
    nl_builder *b = nl_builder_new(t, 2);
    nl_builder_append_int(b, 1704067200123);
    nl_builder_append_int(b, -1);
    nl_array *col = finish(b);
    nl_field f = {"tz", t, true};
    nl_table *tbl = one_batch(&f, &col, 1);
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(tbl, NL_OUTPUT_CSV, NULL, &got, &err), NL_OK);
    assert_string_equal(got, "tz\n2024-01-01T01:00:00.123+0100\n1970-01-01T00:59:59.999+0100\n");
    nl_free(got);
    assert_int_equal(nl_format_table(tbl, NL_OUTPUT_NDJSON, NULL, &got, &err), NL_OK);
    assert_string_equal(
        got,
        "{\"tz\":\"2024-01-01T01:00:00.123+01:00\"}\n{\"tz\":\"1970-01-01T00:59:59.999+01:00\"}\n");
    nl_free(got);
    nl_table_free(tbl);
}

static void test_json_parses(void **state) {
    (void)state;
    nl_table *t = formats_table();
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(t, NL_OUTPUT_JSON, NULL, &got, &err), NL_OK);
    json_error_t jerr;
    json_t *root = json_loads(got, 0, &jerr);
    assert_non_null(root);
    assert_int_equal(json_array_size(root), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(root, 1), "s")),
                        "a,\"b\"|c\nd");
    json_decref(root);
    nl_free(got);
    nl_table_free(t);
}

/* ---- options, widths, streams ------------------------------------------------------ */

static void test_options(void **state) {
    (void)state;
    clear_env();
    nl_print_options o = nl_print_options_resolve(NULL);
    assert_int_equal(o.max_rows, 10);
    assert_int_equal(o.max_cols, 8);
    assert_int_equal(o.max_str_len, 30);
    assert_int_equal(o.table_width, 0);
    setenv("POLARS_FMT_MAX_ROWS", "-1", 1);
    setenv("POLARS_FMT_MAX_COLS", "3", 1);
    setenv("POLARS_FMT_STR_LEN", "junk", 1);
    setenv("POLARS_TABLE_WIDTH", "80", 1);
    o = nl_print_options_resolve(NULL);
    assert_true(o.max_rows > 1000000);
    assert_int_equal(o.max_cols, 3);
    assert_int_equal(o.max_str_len, 30);
    assert_int_equal(o.table_width, 80);
    nl_print_options mine = {2, 4, 5, 60};
    o = nl_print_options_resolve(&mine);
    assert_int_equal(o.max_rows, 2);
    assert_int_equal(o.max_cols, 4);
    assert_int_equal(o.max_str_len, 5);
    assert_int_equal(o.table_width, 60);
    clear_env();
}

/* Rust's Display of f64 (shortest round-trip digits, no exponent) and
 * Polars' float cells. */
static void test_float_text(void **state) {
    (void)state;
    static const struct {
        double v;
        const char *plain, *polars;
    } cases[] = {
        {0.1, "0.1", "0.1"},
        {0.1 + 0.2, "0.30000000000000004", "0.3"},
        {2.0 / 3.0, "0.6666666666666666", "0.666667"},
        {1e21, "1000000000000000000000", "1.0000e21"},
        {123456.789, "123456.789", "123456.789"},
        {-0.0, "-0", "-0.0"},
        {1e-7, "0.0000001", "0.0000001"},
        {1.5e-8, "0.000000015", "1.5000e-8"},
        {5e-324, NULL, "4.9407e-324"},
        {1.7976931348623157e308, NULL, "1.7977e308"},
        {9007199254740993.0, "9007199254740992", "9.0072e15"},
        {100.0, "100", "100.0"},
        {1e6, "1000000", "1e6"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        nl_strbuf a = NL_STRBUF_INIT, b = NL_STRBUF_INIT;
        nl_print_double_plain(&a, cases[k].v);
        nl_print_float(&b, cases[k].v);
        if (cases[k].plain) assert_string_equal(a.data, cases[k].plain);
        assert_string_equal(b.data, cases[k].polars);
        nl_strbuf_free(&a);
        nl_strbuf_free(&b);
    }
}

static void test_display_width(void **state) {
    (void)state;
    assert_int_equal(nl_display_width("abc", 3), 3);
    assert_int_equal(nl_display_width("日本語", strlen("日本語")), 6);
    assert_int_equal(nl_display_width("😀x", strlen("😀x")), 3);
    assert_int_equal(nl_display_width("👍🏽", strlen("👍🏽")), 2);
    assert_int_equal(nl_display_width("é", strlen("é")), 1);
    assert_int_equal(nl_display_width("e\xcc\x81", 3), 1); /* e + combining acute */
    assert_int_equal(nl_display_width("\xff", 1), 1);      /* invalid UTF-8 */
    assert_int_equal(nl_display_width("", 0), 0);
}

static void test_options_override_limits(void **state) {
    (void)state;
    clear_env();
    nl_table *t = seed_table();
    nl_print_options o = nl_print_options_default();
    o.max_rows = 2;
    o.max_cols = 2;
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(t, NL_OUTPUT_TABLE, &o, &got, &err), NL_OK);
    assert_string_equal(got, "shape: (5, 4)\n"
                             "┌───────────┬───┬───────────────┐\n"
                             "│ p_partkey ┆ … ┆ p_retailprice │\n"
                             "│ ---       ┆   ┆ ---           │\n"
                             "│ i64       ┆   ┆ f64           │\n"
                             "╞═══════════╪═══╪═══════════════╡\n"
                             "│ 1         ┆ … ┆ 10.0          │\n"
                             "│ …         ┆ … ┆ …             │\n"
                             "│ 5         ┆ … ┆ 50.0          │\n"
                             "└───────────┴───┴───────────────┘\n");
    nl_free(got);
    nl_table_free(t);
}

static void test_print_stream(void **state) {
    (void)state;
    clear_env();
    nl_table *t = seed_table();
    nl_stream *s = NULL;
    nl_error err = {0};
    assert_int_equal(nl_stream_from_table(t, &s, &err), NL_OK);
    struct ArrowArrayStream arrow;
    assert_int_equal(nl_stream_export(s, &arrow, &err), NL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(nl_print_stream(f, &arrow, NL_OUTPUT_CSV, NULL, &err), NL_OK);
    fclose(f);
    assert_null(arrow.release);
    assert_string_equal(buf, "p_partkey,p_name,p_brand,p_retailprice\n"
                             "1,Part#1,Brand#1,10.0\n2,Part#2,Brand#2,20.0\n3,Part#3,Brand#3,30.0\n"
                             "4,Part#4,Brand#1,40.0\n5,Part#5,Brand#2,50.0\n");
    free(buf);
}

static void test_multi_batch(void **state) {
    (void)state;
    clear_env();
    /* 25 rows over three batches print as one table */
    nl_field field = {"n", nl_type_get(NL_TYPE_INT64), true};
    nl_schema *schema = nl_schema_new(&field, 1);
    nl_table *t = nl_table_new(schema);
    int64_t v = 0;
    for (int b = 0; b < 3; b++) {
        nl_builder *bld = nl_builder_new(nl_type_get(NL_TYPE_INT64), 10);
        int n = b == 2 ? 5 : 10;
        for (int k = 0; k < n; k++)
            nl_builder_append_int(bld, v++);
        nl_array *col = finish(bld);
        nl_batch *batch = NULL;
        nl_error err = {0};
        assert_int_equal(nl_batch_new(nl_schema_ref(schema), &col, n, &batch, &err), NL_OK);
        assert_int_equal(nl_table_append(t, batch, &err), NL_OK);
        nl_batch_unref(batch);
    }
    char *got = NULL;
    nl_error err = {0};
    assert_int_equal(nl_format_table(t, NL_OUTPUT_TABLE, NULL, &got, &err), NL_OK);
    assert_string_equal(got, "shape: (25, 1)\n┌─────┐\n│ n   │\n│ --- │\n│ i64 │\n╞═════╡\n"
                             "│ 0   │\n│ 1   │\n│ 2   │\n│ 3   │\n│ 4   │\n│ …   │\n"
                             "│ 20  │\n│ 21  │\n│ 22  │\n│ 23  │\n│ 24  │\n└─────┘\n");
    nl_free(got);
    nl_table_free(t);
}

/* A table of `rows` rows (an int and a string) in batches of `per`. */
static nl_table *batched_table(int64_t rows, int64_t per) {
    nl_field fields[2] = {{"n", nl_type_get(NL_TYPE_INT64), true},
                          {"s", nl_type_get(NL_TYPE_UTF8), true}};
    nl_schema *schema = nl_schema_new(fields, 2);
    nl_table *t = nl_table_new(schema);
    for (int64_t start = 0; start < rows; start += per) {
        int64_t n = rows - start < per ? rows - start : per;
        nl_builder *a = nl_builder_new(nl_type_get(NL_TYPE_INT64), n);
        nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), n);
        for (int64_t k = 0; k < n; k++) {
            char buf[32];
            nl_builder_append_int(a, (start + k) * 3);
            int len = snprintf(buf, sizeof buf, "row %lld", (long long)(start + k));
            if ((start + k) % 5 == 0)
                nl_builder_append_null(b);
            else
                nl_builder_append_string(b, buf, len);
        }
        nl_array *cols[2] = {finish(a), finish(b)};
        nl_batch *batch = NULL;
        nl_error err = {0};
        assert_int_equal(nl_batch_new(nl_schema_ref(schema), cols, n, &batch, &err), NL_OK);
        assert_int_equal(nl_table_append(t, batch, &err), NL_OK);
        nl_batch_unref(batch);
    }
    return t;
}

/* Printing a stream (which keeps only the rows that show) gives what printing
 * the whole table gives. */
static void test_stream_matches_table(void **state) {
    (void)state;
    clear_env();
    static const int64_t sizes[][2] = {{0, 3},  {1, 1},    {5, 2},  {10, 3},
                                       {11, 3}, {1000, 7}, {64, 64}};
    static const int limits[] = {0, 1, 2, 3, 5, 10, 11, INT32_MAX};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        for (size_t l = 0; l < sizeof limits / sizeof *limits; l++) {
            for (int fmt = NL_OUTPUT_TABLE; fmt <= NL_OUTPUT_MARKDOWN; fmt++) {
                if (fmt != NL_OUTPUT_TABLE && l > 0) continue;
                nl_print_options o = nl_print_options_default();
                o.max_rows = limits[l];
                o.table_width = 100;
                nl_table *whole = batched_table(sizes[k][0], sizes[k][1]);
                char *expected = NULL;
                nl_error err = {0};
                assert_int_equal(nl_format_table(whole, (nl_output_format)fmt, &o, &expected, &err),
                                 NL_OK);
                nl_table_free(whole);

                nl_stream *s = NULL;
                assert_int_equal(
                    nl_stream_from_table(batched_table(sizes[k][0], sizes[k][1]), &s, &err), NL_OK);
                struct ArrowArrayStream arrow;
                assert_int_equal(nl_stream_export(s, &arrow, &err), NL_OK);
                char *buf = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&buf, &len);
                nl_status st = nl_print_stream(f, &arrow, (nl_output_format)fmt, &o, &err);
                fclose(f);
                if (st != NL_OK) fail_msg("%s", err.message);
                if (strcmp(buf, expected) != 0)
                    fail_msg("rows %lld per %lld max_rows %d format %d:\n%s---\n%s",
                             (long long)sizes[k][0], (long long)sizes[k][1], limits[l], fmt,
                             expected, buf);
                free(buf);
                nl_free(expected);
            }
        }
    }
}

/* Random text (invalid UTF-8, wide and zero-width characters, spaces,
 * newlines) in tables of widths from 1 to 60: the layout always finishes
 * without error (ASan and UBSan watch the splitting). */
static void test_layout_robust(void **state) {
    (void)state;
    clear_env();
    static const char *const pieces[] = {"a",        " ",    "  ", "日",   "😀",  "\xcc\x81",
                                         "\xff",     "\xc3", "\n", "word", "\t", "\xe2\x80\x8d",
                                         "👍🏽", "é",    "-"};
    uint32_t seed = 12345;
    for (int round = 0; round < 40; round++) {
        nl_builder *b = nl_builder_new(nl_type_get(NL_TYPE_UTF8), 8);
        nl_builder *n = nl_builder_new(nl_type_get(NL_TYPE_INT64), 8);
        for (int r = 0; r < 6; r++) {
            char buf[256];
            size_t len = 0;
            int parts = (int)((seed = seed * 1103515245 + 12345) >> 16) % 30;
            for (int k = 0; k < parts; k++) {
                const char *p = pieces[((seed = seed * 1103515245 + 12345) >> 16) % 15];
                size_t pl = strlen(p);
                if (len + pl < sizeof buf) {
                    memcpy(buf + len, p, pl);
                    len += pl;
                }
            }
            nl_builder_append_string(b, buf, (int64_t)len);
            nl_builder_append_int(n, r * 1000003);
        }
        nl_array *cols[2] = {finish(b), finish(n)};
        nl_field fields[2] = {{"text column", nl_type_get(NL_TYPE_UTF8), true},
                              {"n", nl_type_get(NL_TYPE_INT64), true}};
        nl_table *t = one_batch(fields, cols, 2);
        for (int w = 1; w <= 60; w += (round % 3) + 1) {
            nl_print_options o = nl_print_options_default();
            o.table_width = w;
            o.max_str_len = round % 2 ? 30 : 5;
            char *got = NULL;
            nl_error err = {0};
            assert_int_equal(nl_format_table(t, NL_OUTPUT_TABLE, &o, &got, &err), NL_OK);
            assert_non_null(strstr(got, "shape: (6, 2)"));
            nl_free(got);
        }
        nl_table_free(t);
    }
}

/* ---- main: one test per reference case --------------------------------------------- */

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    const char *src = getenv("NL_SOURCE_DIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/tests/data/print", src ? src : ".") < 0) return 1;
    char *names[256];
    int n = 0;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) && n < 256) {
            size_t len = strlen(e->d_name);
            if (len > 5 && !strcmp(e->d_name + len - 5, ".json"))
                names[n++] = strndup(e->d_name, len - 5);
        }
        closedir(d);
    }
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_seed_readme),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_ndjson),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_json_parses),
        cmocka_unit_test(test_zoned_formats),
        cmocka_unit_test(test_float_text),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_display_width),
        cmocka_unit_test(test_options_override_limits),
        cmocka_unit_test(test_print_stream),
        cmocka_unit_test(test_multi_batch),
        cmocka_unit_test(test_stream_matches_table),
        cmocka_unit_test(test_layout_robust),
    };
    size_t n_fixed = sizeof fixed / sizeof *fixed;
    struct CMUnitTest *tests = calloc(n_fixed + (size_t)n, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    for (int k = 0; k < n; k++) {
        struct CMUnitTest t = {names[k], test_polars_case, NULL, NULL, names[k]};
        tests[n_fixed + (size_t)k] = t;
    }
    if (n == 0) fprintf(stderr, "warning: no reference cases under %s\n", dir);
    int rc = _cmocka_run_group_tests("print", tests, n_fixed + (size_t)n, NULL, NULL);
    for (int k = 0; k < n; k++)
        free(names[k]);
    free(tests);
    free(dir);
    return rc;
}
