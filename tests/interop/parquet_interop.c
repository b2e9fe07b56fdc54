/*
 * parquet_interop.c -- the C side of the Parquet interoperability test
 * (parquet_interop.mjs drives it with DuckDB and Polars):
 *
 *   parquet_interop write OUT CODEC [ROWS]   writes the test table, every
 *       column a formula of the row number i (the same formulas the script
 *       checks with SQL), with small row groups and pages;
 *   parquet_interop rewrite IN OUT           reads IN with the reader and
 *       writes it again with the writer, so the script can check with a peer
 *       that the reader read a peer's file equal.
 *
 * Every column is null where i % 7 == 3, except i32 (= i, never null).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "columnar/builder.h"
#include "formats/parquet/codec.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"

static nl_type *T(nl_type_id id) { return nl_type_get(id); }

static int die(const char *what, const nl_error *err) {
    fprintf(stderr, "parquet_interop: %s: %s\n", what, err->message);
    return 1;
}

static nl_schema *test_schema(void) {
    nl_field f[40];
    int n = 0;
    nl_error err = {0};
#define ADD(name, type, nullable) nl_field_init(&f[n++], name, type, nullable, &err)
    ADD("i32", T(NL_TYPE_INT32), false);
    ADD("b", T(NL_TYPE_BOOL), true);
    ADD("i8", T(NL_TYPE_INT8), true);
    ADD("i16", T(NL_TYPE_INT16), true);
    ADD("i64", T(NL_TYPE_INT64), true);
    ADD("u8", T(NL_TYPE_UINT8), true);
    ADD("u16", T(NL_TYPE_UINT16), true);
    ADD("u32", T(NL_TYPE_UINT32), true);
    ADD("u64", T(NL_TYPE_UINT64), true);
    ADD("f32", T(NL_TYPE_FLOAT32), true);
    ADD("f64", T(NL_TYPE_FLOAT64), true);
    ADD("s", T(NL_TYPE_UTF8), true);
    ADD("bin", T(NL_TYPE_BINARY), true);
    ADD("d", nl_type_decimal(12, 2), true);
    ADD("d38", nl_type_decimal(30, 3), true);
    ADD("date", T(NL_TYPE_DATE32), true);
    ADD("ts", nl_type_timestamp(NL_UNIT_MICRO, NULL), true);
    ADD("ts_utc", nl_type_timestamp(NL_UNIT_MICRO, "UTC"), true);
    ADD("ts_ms", nl_type_timestamp(NL_UNIT_MILLI, NULL), true);
    ADD("ts_ns", nl_type_timestamp(NL_UNIT_NANO, NULL), true);
    ADD("tm", nl_type_time64(NL_UNIT_MICRO), true);
    ADD("dur", T(NL_TYPE_INT64), true);
    ADD("l", nl_type_list(T(NL_TYPE_INT64), true), true);
    nl_field sf[2];
    nl_field_init(&sf[0], "x", T(NL_TYPE_INT32), true, &err);
    nl_field_init(&sf[1], "y", T(NL_TYPE_UTF8), true, &err);
    ADD("st", nl_type_struct(sf, 2), true);
    nl_free(sf[0].name);
    nl_free(sf[1].name);
    ADD("ls", nl_type_list(T(NL_TYPE_UTF8), true), true);
    ADD("d9", nl_type_decimal(9, 3), true);
    ADD("dur_us", nl_type_duration(NL_UNIT_MICRO), true);
    ADD("tm_ns", nl_type_time64(NL_UNIT_NANO), true);
    ADD("ll", nl_type_list(nl_type_list(T(NL_TYPE_INT32), true), true), true);
    nl_field kv[2];
    nl_field_init(&kv[0], "k", T(NL_TYPE_INT64), true, &err);
    nl_field_init(&kv[1], "v", T(NL_TYPE_UTF8), true, &err);
    ADD("lst_st", nl_type_list(nl_type_struct(kv, 2), true), true);
    nl_free(kv[0].name);
    nl_free(kv[1].name);
    ADD("nul", T(NL_TYPE_NULL), true);
    ADD("ts_ms_utc", nl_type_timestamp(NL_UNIT_MILLI, "UTC"), true);
    ADD("ts_ns_utc", nl_type_timestamp(NL_UNIT_NANO, "UTC"), true);
#undef ADD
    nl_schema *s = nl_schema_new(f, n);
    for (int i = 0; i < n; i++) nl_free(f[i].name);
    return s;
}

static void append_row(nl_builder *b, int c, int64_t i) {
    char s[64];
    int len;
    switch (c) {
    case 0: nl_builder_append_int(b, i); return;
    case 1: nl_builder_append_bool(b, i % 3 == 0); return;
    case 2: nl_builder_append_int(b, (i * 7 + 128) % 256 - 128); return;
    case 3: nl_builder_append_int(b, (i * 31) % 65536 - 32768); return;
    case 4: nl_builder_append_int(b, i * 1000003 - 500); return;
    case 5: nl_builder_append_uint(b, (uint64_t)(i % 256)); return;
    case 6: nl_builder_append_uint(b, (uint64_t)(i * 13 % 65536)); return;
    case 7: nl_builder_append_uint(b, 4000000000u + (uint64_t)i); return;
    case 8: nl_builder_append_uint(b, 18000000000000000000ULL + (uint64_t)i); return;
    case 9: nl_builder_append_double(b, (double)i * 0.5 - 3); return;
    case 10: nl_builder_append_double(b, (double)i * 0.25 - 3); return;
    case 11:
        len = i % 11 == 0 ? 0 : snprintf(s, sizeof s, "str%d", (int)(i % 50));
        nl_builder_append_string(b, s, len);
        return;
    case 12:
        len = snprintf(s, sizeof s, "b%lld", (long long)i);
        nl_builder_append_string(b, s, len);
        return;
    case 13: nl_builder_append_decimal(b, (__int128)i * 12345 - 99999); return;
    case 14: nl_builder_append_decimal(b, (__int128)i * 100000000000000000LL * 1000 - 7); return;
    case 15: nl_builder_append_int(b, 19000 + i); return;
    case 16: nl_builder_append_int(b, 1700000000000000LL + i * 1000001); return;
    case 17: nl_builder_append_int(b, 1700000000000000LL + i * 1000000); return;
    case 18: nl_builder_append_int(b, 1700000000000LL + i * 1001); return;
    case 19: nl_builder_append_int(b, (1700000000000000LL + i * 7) * 1000); return;
    case 20: nl_builder_append_int(b, i * 1000003 % 86400000000LL); return;
    case 21: nl_builder_append_int(b, i * 1000 - 5); return;
    case 22:
        nl_builder_list_begin(b);
        for (int k = 0; k < i % 4; k++) {
            if (k == 2) nl_builder_append_null(nl_builder_child(b, 0));
            else nl_builder_append_int(nl_builder_child(b, 0), i + k);
        }
        nl_builder_list_end(b);
        return;
    case 23:
        nl_builder_append_int(nl_builder_child(b, 0), i);
        if (i % 5 == 0) nl_builder_append_null(nl_builder_child(b, 1));
        else nl_builder_append_string(nl_builder_child(b, 1), "abc", 3);
        nl_builder_struct_append(b, true);
        return;
    case 24:
        nl_builder_list_begin(b);
        for (int k = 0; k < i % 3; k++) {
            len = snprintf(s, sizeof s, "e%d", (int)(i % 17) + k);
            if (k == 1 && i % 2) len = 0;
            nl_builder_append_string(nl_builder_child(b, 0), s, len);
        }
        nl_builder_list_end(b);
        return;
    case 25: nl_builder_append_decimal(b, (__int128)i * 1001 - 50000); return;
    case 26: nl_builder_append_int(b, i * 1000003 - 7); return;
    case 27: nl_builder_append_int(b, (i * 1000003 % 86400000000LL) * 1000); return;
    case 28: {
        nl_builder *inner = nl_builder_child(b, 0);
        nl_builder_list_begin(b);
        if (i % 3 == 1) {
            nl_builder_list_begin(inner);
            nl_builder_append_int(nl_builder_child(inner, 0), i);
            nl_builder_list_end(inner);
            nl_builder_list_begin(inner);
            nl_builder_append_int(nl_builder_child(inner, 0), i);
            nl_builder_append_null(nl_builder_child(inner, 0));
            nl_builder_list_end(inner);
        } else if (i % 3 == 2) {
            nl_builder_list_begin(inner);
            nl_builder_list_end(inner);
            nl_builder_append_null(inner);
        }
        nl_builder_list_end(b);
        return;
    }
    case 29: {
        nl_builder *st = nl_builder_child(b, 0);
        nl_builder_list_begin(b);
        if (i % 4 != 0) {
            nl_builder_append_int(nl_builder_child(st, 0), i);
            len = snprintf(s, sizeof s, "v%d", (int)(i % 9));
            nl_builder_append_string(nl_builder_child(st, 1), s, len);
            nl_builder_struct_append(st, true);
            nl_builder_append_null(nl_builder_child(st, 0));
            nl_builder_append_null(nl_builder_child(st, 1));
            nl_builder_struct_append(st, true);
        }
        nl_builder_list_end(b);
        return;
    }
    case 30: nl_builder_append_null(b); return;
    case 31: nl_builder_append_int(b, 1700000000000LL + i * 1001); return;
    case 32: nl_builder_append_int(b, (1700000000000000LL + i * 7) * 1000 + i % 1000); return;
    default: return;
    }
}

static int write_test_file(const char *out, const char *codec, int64_t rows) {
    nl_error err = {0};
    nl_schema *schema = test_schema();
    nl_array *cols[40];
    for (int32_t c = 0; c < schema->n_fields; c++) {
        nl_builder *b = nl_builder_new(schema->fields[c].type, rows);
        for (int64_t i = 0; i < rows; i++) {
            if (c != 0 && i % 7 == 3) nl_builder_append_null(b);
            else append_row(b, c, i);
        }
        if (nl_builder_finish(b, &cols[c], &err) != NL_OK) return die("building", &err);
        nl_builder_free(b);
    }
    nl_batch *batch;
    if (nl_batch_new(nl_schema_ref(schema), cols, rows, &batch, &err) != NL_OK)
        return die("batch", &err);
    nl_table *t = nl_table_new(nl_schema_ref(schema));
    nl_table_append(t, batch, &err);
    nl_batch_unref(batch);
    pq_write_options o;
    pq_write_options_init(&o);
    o.codec = pq_codec_parse(codec);
    if (o.codec < 0) {
        fprintf(stderr, "parquet_interop: unknown codec %s\n", codec);
        return 2;
    }
    o.row_group_rows = 1200;
    o.page_rows = 500;
    nl_store *store = nl_store_local_new();
    int rc = 0;
    if (pq_write_table(store, out, t, &o, &err) != NL_OK) rc = die(out, &err);
    nl_store_close(store);
    nl_table_free(t);
    nl_schema_unref(schema);
    return rc;
}

static int rewrite(const char *in, const char *out) {
    nl_error err = {0};
    pq_file *f;
    if (pq_file_open_path(in, NULL, &f, &err) != NL_OK) return die(in, &err);
    nl_table *t;
    if (pq_read_table(f, &t, &err) != NL_OK) {
        pq_file_close(f);
        return die(in, &err);
    }
    nl_store *store = nl_store_local_new();
    int rc = 0;
    if (pq_write_table(store, out, t, NULL, &err) != NL_OK) rc = die(out, &err);
    nl_store_close(store);
    nl_table_free(t);
    pq_file_close(f);
    return rc;
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "write") == 0)
        return write_test_file(argv[2], argv[3], argc > 4 ? atoll(argv[4]) : 5000);
    if (argc == 4 && strcmp(argv[1], "rewrite") == 0) return rewrite(argv[2], argv[3]);
    fprintf(stderr, "usage: parquet_interop write OUT CODEC [ROWS] | rewrite IN OUT\n");
    return 2;
}
