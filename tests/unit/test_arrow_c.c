/*
 * test_arrow_c.c -- the Arrow C Data and C Stream interfaces: round trips over
 * every type (with nulls, slices and offsets, nested lists and structs), the
 * format strings of the specification, zero-copy and release semantics, other
 * producers' layouts (large offsets, string views), and malformed input that
 * must be refused with an error rather than crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/arrow_c.h"
#include "columnar/builder.h"
#include "columnar/print.h"

static nl_array *finish(nl_builder *b) {
    nl_array *a = NULL;
    nl_error err = {0};
    nl_status st = nl_builder_finish(b, &a, &err);
    if (st != NL_OK) fail_msg("builder: %s", err.message);
    nl_builder_free(b);
    return a;
}

/* An array of `type` with 7 values, nulls at 2 and 5. */
static nl_array *sample(nl_type *type) {
    nl_builder *b = nl_builder_new(type, 8);
    for (int i = 0; i < 7; i++) {
        if (i == 2 || i == 5) {
            if (type->id == NL_TYPE_STRUCT) {
                for (int32_t k = 0; k < type->n_children; k++)
                    nl_builder_append_null(nl_builder_child(b, k));
                nl_builder_struct_append(b, false);
            } else {
                nl_builder_append_null(b);
            }
            continue;
        }
        switch (type->id) {
        case NL_TYPE_NULL: nl_builder_append_null(b); break;
        case NL_TYPE_BOOL: nl_builder_append_bool(b, i % 3 == 0); break;
        case NL_TYPE_UINT8:
        case NL_TYPE_UINT16:
        case NL_TYPE_UINT32:
        case NL_TYPE_UINT64: nl_builder_append_uint(b, (uint64_t)(i * 31)); break;
        case NL_TYPE_FLOAT32:
        case NL_TYPE_FLOAT64: nl_builder_append_double(b, i * 1.25 - 3); break;
        case NL_TYPE_DECIMAL128:
            nl_builder_append_decimal(b, (__int128)(i - 3) * 1000000007);
            break;
        case NL_TYPE_UTF8:
        case NL_TYPE_BINARY: {
            char buf[32];
            int n = snprintf(buf, sizeof buf, "value-%d%s", i, i == 4 ? " 日本" : "");
            nl_builder_append_string(b, buf, i == 6 ? 0 : n);
            break;
        }
        case NL_TYPE_LIST: {
            nl_builder_list_begin(b);
            for (int k = 0; k < i % 4; k++) {
                nl_builder *c = nl_builder_child(b, 0);
                if (k == 1)
                    nl_builder_append_null(c);
                else
                    nl_builder_append_int(c, i * 10 + k);
            }
            nl_builder_list_end(b);
            break;
        }
        case NL_TYPE_STRUCT:
            nl_builder_append_int(nl_builder_child(b, 0), i);
            if (i == 3)
                nl_builder_append_null(nl_builder_child(b, 1));
            else
                nl_builder_append_string(nl_builder_child(b, 1), "s", 1);
            nl_builder_struct_append(b, true);
            break;
        default: nl_builder_append_int(b, (int64_t)(i * 1000 - 2500)); break;
        }
    }
    return finish(b);
}

static nl_type *struct_type(void) {
    nl_field f[2] = {{"a", nl_type_get(NL_TYPE_INT64), true},
                     {"b", nl_type_get(NL_TYPE_UTF8), true}};
    return nl_type_struct(f, 2);
}

/* Every type the library has, with its Arrow format string. */
typedef struct {
    nl_type *type;
    const char *format;
} type_case;

static int all_types(type_case *out) {
    int n = 0;
    static const struct {
        nl_type_id id;
        const char *f;
    } simple[] = {{NL_TYPE_NULL, "n"},   {NL_TYPE_BOOL, "b"},    {NL_TYPE_INT8, "c"},
                  {NL_TYPE_INT16, "s"},  {NL_TYPE_INT32, "i"},   {NL_TYPE_INT64, "l"},
                  {NL_TYPE_UINT8, "C"},  {NL_TYPE_UINT16, "S"},  {NL_TYPE_UINT32, "I"},
                  {NL_TYPE_UINT64, "L"}, {NL_TYPE_FLOAT32, "f"}, {NL_TYPE_FLOAT64, "g"},
                  {NL_TYPE_UTF8, "u"},   {NL_TYPE_BINARY, "z"},  {NL_TYPE_DATE32, "tdD"}};
    for (size_t k = 0; k < sizeof simple / sizeof *simple; k++)
        out[n++] = (type_case){nl_type_get(simple[k].id), simple[k].f};
    out[n++] = (type_case){nl_type_decimal(15, 2), "d:15,2"};
    out[n++] = (type_case){nl_type_decimal(38, 10), "d:38,10"};
    out[n++] = (type_case){nl_type_time64(NL_UNIT_MICRO), "ttu"};
    out[n++] = (type_case){nl_type_time64(NL_UNIT_NANO), "ttn"};
    out[n++] = (type_case){nl_type_timestamp(NL_UNIT_MICRO, "UTC"), "tsu:UTC"};
    out[n++] = (type_case){nl_type_timestamp(NL_UNIT_NANO, NULL), "tsn:"};
    out[n++] = (type_case){nl_type_timestamp(NL_UNIT_MILLI, "Europe/Paris"), "tsm:Europe/Paris"};
    out[n++] = (type_case){nl_type_timestamp(NL_UNIT_SECOND, NULL), "tss:"};
    out[n++] = (type_case){nl_type_duration(NL_UNIT_MICRO), "tDu"};
    out[n++] = (type_case){nl_type_duration(NL_UNIT_SECOND), "tDs"};
    out[n++] = (type_case){nl_type_list(nl_type_get(NL_TYPE_INT64), true), "+l"};
    out[n++] = (type_case){struct_type(), "+s"};
    return n;
}

static void free_types(type_case *tc, int n) {
    for (int k = 0; k < n; k++)
        nl_type_unref(tc[k].type);
}

static void roundtrip(nl_array *a) {
    nl_error err = {0};
    struct ArrowArray arrow;
    assert_int_equal(nl_array_export(a, &arrow, &err), NL_OK);
    assert_non_null(arrow.release);
    assert_int_equal(arrow.length, a->length);
    assert_int_equal(arrow.offset, a->offset);
    nl_array *back = NULL;
    nl_status st = nl_array_import(&arrow, a->type, &back, &err);
    if (st != NL_OK) fail_msg("import: %s", err.message);
    assert_null(arrow.release); /* moved */
    assert_true(nl_array_equals(a, back));
    assert_int_equal(back->null_count, a->null_count);
    /* zero copy: the values are the same memory */
    if (a->values && a->type->id != NL_TYPE_NULL && a->length > 0)
        assert_ptr_equal(back->values->data, a->values->data);
    nl_array_unref(back);
}

static void test_roundtrip_every_type(void **state) {
    (void)state;
    type_case tc[40];
    int n = all_types(tc);
    for (int k = 0; k < n; k++) {
        nl_array *a = sample(tc[k].type);
        roundtrip(a);
        /* slices at odd offsets, so bitmaps start mid-byte */
        for (int64_t off = 0; off <= a->length; off++) {
            for (int64_t len = 0; off + len <= a->length; len += 3) {
                nl_array *s = nl_array_slice(a, off, len);
                assert_non_null(s);
                roundtrip(s);
                nl_array_unref(s);
            }
        }
        nl_array_unref(a);
    }
    free_types(tc, n);
}

/* An exported slice read the way any Arrow consumer reads it (the spec's
 * layouts, not our own import), so both sides cannot share a misreading. */
static bool raw_valid(const struct ArrowArray *a, int64_t i) {
    const uint8_t *v = a->buffers[0];
    int64_t bit = a->offset + i;
    return !v || ((v[bit / 8] >> (bit % 8)) & 1);
}

static void test_export_raw_layout(void **state) {
    (void)state;
    nl_error err = {0};
    /* int64 */
    nl_array *ints = sample(nl_type_get(NL_TYPE_INT64));
    nl_array *s = nl_array_slice(ints, 3, 4); /* values 500, null, 3500, 4500 */
    struct ArrowArray a;
    assert_int_equal(nl_array_export(s, &a, &err), NL_OK);
    assert_int_equal(a.n_buffers, 2);
    assert_int_equal(a.null_count, 1);
    assert_true(raw_valid(&a, 0));
    assert_int_equal(((const int64_t *)a.buffers[1])[a.offset + 0], 3 * 1000 - 2500);
    assert_false(raw_valid(&a, 2));
    assert_int_equal(((const int64_t *)a.buffers[1])[a.offset + 3], 6 * 1000 - 2500);
    a.release(&a);
    nl_array_unref(s);
    nl_array_unref(ints);
    /* utf8: offsets at [offset + i], data at those offsets */
    nl_array *strs = sample(nl_type_get(NL_TYPE_UTF8));
    s = nl_array_slice(strs, 3, 3); /* "value-3", "value-4 日本", null */
    assert_int_equal(nl_array_export(s, &a, &err), NL_OK);
    assert_int_equal(a.n_buffers, 3);
    const int32_t *offs = a.buffers[1];
    const char *data = a.buffers[2];
    assert_int_equal(offs[a.offset + 1] - offs[a.offset], 7);
    assert_memory_equal(data + offs[a.offset], "value-3", 7);
    assert_memory_equal(data + offs[a.offset + 1], "value-4 日本", strlen("value-4 日本"));
    assert_false(raw_valid(&a, 2));
    a.release(&a);
    nl_array_unref(s);
    nl_array_unref(strs);
    /* bool: bit offset + i */
    nl_array *bools = sample(nl_type_get(NL_TYPE_BOOL));
    s = nl_array_slice(bools, 1, 6);
    assert_int_equal(nl_array_export(s, &a, &err), NL_OK);
    for (int64_t i = 0; i < 6; i++) {
        if (!raw_valid(&a, i)) continue;
        const uint8_t *bits = a.buffers[1];
        int64_t bit = a.offset + i;
        assert_int_equal((bits[bit / 8] >> (bit % 8)) & 1, (i + 1) % 3 == 0);
    }
    a.release(&a);
    nl_array_unref(s);
    nl_array_unref(bools);
    /* struct: child i is at parent offset + i in the child (plus its own offset) */
    nl_type *st = struct_type();
    nl_array *structs = sample(st);
    s = nl_array_slice(structs, 3, 2); /* {3, null}, {4, "s"} */
    assert_int_equal(nl_array_export(s, &a, &err), NL_OK);
    assert_int_equal(a.n_children, 2);
    const struct ArrowArray *c0 = a.children[0];
    assert_int_equal(((const int64_t *)c0->buffers[1])[c0->offset + a.offset + 0], 3);
    assert_int_equal(((const int64_t *)c0->buffers[1])[c0->offset + a.offset + 1], 4);
    a.release(&a);
    nl_array_unref(s);
    nl_array_unref(structs);
    nl_type_unref(st);
    /* list: offsets at [offset + i] index the child (plus the child's offset) */
    nl_type *lt = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_array *lists = sample(lt);
    s = nl_array_slice(lists, 3, 2); /* [30, null, 32], [40, null... i%4=0 → []] */
    assert_int_equal(nl_array_export(s, &a, &err), NL_OK);
    const int32_t *lo = a.buffers[1];
    const struct ArrowArray *items = a.children[0];
    assert_int_equal(lo[a.offset + 1] - lo[a.offset], 3);
    assert_int_equal(((const int64_t *)items->buffers[1])[items->offset + lo[a.offset]], 30);
    assert_int_equal(lo[a.offset + 2] - lo[a.offset + 1], 0);
    a.release(&a);
    nl_array_unref(s);
    nl_array_unref(lists);
    nl_type_unref(lt);
}

static void test_formats(void **state) {
    (void)state;
    type_case tc[40];
    int n = all_types(tc);
    for (int k = 0; k < n; k++) {
        struct ArrowSchema s;
        nl_error err = {0};
        assert_int_equal(nl_type_export(tc[k].type, "col", true, &s, &err), NL_OK);
        assert_string_equal(s.format, tc[k].format);
        assert_string_equal(s.name, "col");
        assert_int_equal(s.flags, ARROW_FLAG_NULLABLE);
        nl_type *back = NULL;
        assert_int_equal(nl_type_import(&s, &back, &err), NL_OK);
        assert_true(nl_type_equals(back, tc[k].type));
        nl_type_unref(back);
        s.release(&s);
        assert_null(s.release);
    }
    free_types(tc, n);
}

static void test_schema_roundtrip(void **state) {
    (void)state;
    nl_field f[3] = {{"id", nl_type_get(NL_TYPE_INT64), false},
                     {"tags", nl_type_list(nl_type_get(NL_TYPE_UTF8), true), true},
                     {"pt", struct_type(), true}};
    nl_schema *schema = nl_schema_new(f, 3);
    struct ArrowSchema s;
    nl_error err = {0};
    assert_int_equal(nl_schema_export(schema, &s, &err), NL_OK);
    assert_string_equal(s.format, "+s");
    assert_int_equal(s.n_children, 3);
    assert_string_equal(s.children[0]->name, "id");
    assert_int_equal(s.children[0]->flags & ARROW_FLAG_NULLABLE, 0);
    assert_string_equal(s.children[1]->format, "+l");
    assert_string_equal(s.children[1]->children[0]->format, "u");
    assert_string_equal(s.children[2]->children[1]->name, "b");
    nl_schema *back = NULL;
    assert_int_equal(nl_schema_import(&s, &back, &err), NL_OK);
    assert_true(nl_schema_equals(schema, back));
    assert_false(back->fields[0].nullable);
    /* a consumer may move a child out before releasing the parent */
    struct ArrowSchema moved = *s.children[1];
    s.children[1]->release = NULL;
    s.release(&s);
    moved.release(&moved);
    nl_schema_unref(back);
    nl_schema_unref(schema);
}

static nl_batch *sample_batch(void) {
    nl_type *lt = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
    nl_type *st = struct_type();
    nl_array *cols[3] = {sample(nl_type_get(NL_TYPE_INT32)), sample(lt), sample(st)};
    nl_field f[3] = {{"i", nl_type_get(NL_TYPE_INT32), true}, {"l", lt, true}, {"s", st, true}};
    nl_schema *schema = nl_schema_new(f, 3);
    nl_batch *b = NULL;
    nl_error err = {0};
    assert_int_equal(nl_batch_new(schema, cols, 7, &b, &err), NL_OK);
    return b;
}

static void check_batches_equal(const nl_batch *a, const nl_batch *b) {
    assert_int_equal(a->num_rows, b->num_rows);
    assert_int_equal(a->n_columns, b->n_columns);
    for (int32_t k = 0; k < a->n_columns; k++)
        assert_true(nl_array_equals(a->columns[k], b->columns[k]));
}

static void test_batch_roundtrip(void **state) {
    (void)state;
    nl_batch *b = sample_batch();
    for (int64_t off = 0; off < 7; off += 2) {
        nl_batch *s = nl_batch_slice(b, off, 7 - off);
        struct ArrowArray arrow;
        nl_error err = {0};
        assert_int_equal(nl_batch_export(s, &arrow, &err), NL_OK);
        assert_int_equal(arrow.n_children, 3);
        assert_int_equal(arrow.n_buffers, 1);
        assert_null(arrow.buffers[0]);
        nl_batch *back = NULL;
        nl_status st = nl_batch_import(&arrow, s->schema, &back, &err);
        if (st != NL_OK) fail_msg("batch import: %s", err.message);
        check_batches_equal(s, back);
        nl_batch_unref(back);
        nl_batch_unref(s);
    }
    nl_batch_unref(b);
}

static void test_release_without_import(void **state) {
    (void)state;
    /* export, then release: the array's memory must be freed exactly once (ASan) */
    nl_batch *b = sample_batch();
    struct ArrowArray arrow;
    nl_error err = {0};
    assert_int_equal(nl_batch_export(b, &arrow, &err), NL_OK);
    nl_batch_unref(b); /* the export keeps its own reference */
    assert_int_equal(arrow.children[1]->length, 7);
    /* move a child out, release the parent, then the child */
    struct ArrowArray child = *arrow.children[2];
    arrow.children[2]->release = NULL;
    arrow.release(&arrow);
    assert_null(arrow.release);
    assert_int_equal(child.n_children, 2);
    child.release(&child);
}

static void test_stream_roundtrip(void **state) {
    (void)state;
    nl_batch *b = sample_batch();
    nl_table *t = nl_table_new(nl_schema_ref(b->schema));
    nl_error err = {0};
    assert_int_equal(nl_table_append(t, b, &err), NL_OK);
    nl_batch *s = nl_batch_slice(b, 3, 4);
    assert_int_equal(nl_table_append(t, s, &err), NL_OK);
    nl_stream *stream = NULL;
    assert_int_equal(nl_stream_from_table(t, &stream, &err), NL_OK);
    struct ArrowArrayStream arrow;
    assert_int_equal(nl_stream_export(stream, &arrow, &err), NL_OK);
    nl_stream *in = NULL;
    assert_int_equal(nl_stream_import(&arrow, &in, &err), NL_OK);
    assert_null(arrow.release);
    assert_true(nl_schema_equals(in->schema, b->schema));
    nl_batch *got = NULL;
    assert_int_equal(nl_stream_next(in, &got, &err), NL_OK);
    check_batches_equal(b, got);
    nl_batch_unref(got);
    assert_int_equal(nl_stream_next(in, &got, &err), NL_OK);
    check_batches_equal(s, got);
    nl_batch_unref(got);
    assert_int_equal(nl_stream_next(in, &got, &err), NL_OK);
    assert_null(got);
    nl_stream_free(in);
    nl_batch_unref(s);
    nl_batch_unref(b);
}

static void test_stream_consumer_side(void **state) {
    (void)state;
    /* drive an exported stream through the raw C callbacks, as a consumer would */
    nl_batch *b = sample_batch();
    nl_table *t = nl_table_new(nl_schema_ref(b->schema));
    nl_error err = {0};
    assert_int_equal(nl_table_append(t, b, &err), NL_OK);
    nl_stream *stream = NULL;
    assert_int_equal(nl_stream_from_table(t, &stream, &err), NL_OK);
    struct ArrowArrayStream arrow;
    assert_int_equal(nl_stream_export(stream, &arrow, &err), NL_OK);
    struct ArrowSchema schema;
    assert_int_equal(arrow.get_schema(&arrow, &schema), 0);
    assert_string_equal(schema.format, "+s");
    assert_int_equal(schema.n_children, 3);
    schema.release(&schema);
    struct ArrowArray a;
    assert_int_equal(arrow.get_next(&arrow, &a), 0);
    assert_non_null(a.release);
    assert_int_equal(a.length, 7);
    a.release(&a);
    assert_int_equal(arrow.get_next(&arrow, &a), 0);
    assert_null(a.release);
    assert_null(arrow.get_last_error(&arrow));
    arrow.release(&arrow);
    assert_null(arrow.release);
    nl_batch_unref(b);
}

/* ---- a hand-made producer ------------------------------------------------------------ */

typedef struct fake {
    int released;
} fake;

static void fake_release(struct ArrowArray *a) {
    fake *f = a->private_data;
    if (f) f->released++;
    a->release = NULL;
}

static struct ArrowArray fake_array(fake *f, int64_t length, int64_t n_buffers,
                                    const void **buffers) {
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    a.length = length;
    a.n_buffers = n_buffers;
    a.buffers = buffers;
    a.release = fake_release;
    a.private_data = f;
    return a;
}

static void expect_import_error(struct ArrowArray *a, nl_type *type, const char *what) {
    fake *f = a->private_data;
    int before = f ? f->released : 0;
    nl_array *out = NULL;
    nl_error err = {0};
    nl_status st = nl_array_import(a, type, &out, &err);
    if (st == NL_OK) fail_msg("%s: import should fail", what);
    assert_null(out);
    assert_true(err.message[0] != 0);
    /* a refused array is released all the same (the import took ownership) */
    if (f) assert_int_equal(f->released, before + 1);
}

static void test_import_values_zero_copy(void **state) {
    (void)state;
    fake f = {0};
    int64_t values[5] = {10, 20, 30, 40, 50};
    uint8_t validity[1] = {0x1d}; /* 1 0 1 1 1 */
    const void *bufs[2] = {validity, values};
    struct ArrowArray a = fake_array(&f, 4, 2, bufs);
    a.offset = 1;
    a.null_count = -1;
    nl_array *out = NULL;
    nl_error err = {0};
    assert_int_equal(nl_array_import(&a, nl_type_get(NL_TYPE_INT64), &out, &err), NL_OK);
    assert_int_equal(f.released, 0); /* held until our last reference goes */
    assert_int_equal(out->length, 4);
    assert_int_equal(out->null_count, 1);
    assert_true(nl_array_is_null(out, 0));
    assert_int_equal(NL_ARRAY_VALUES(out, int64_t)[1], 30);
    assert_ptr_equal(out->values->data, (const uint8_t *)values);
    nl_array_unref(out);
    assert_int_equal(f.released, 1);
}

static void noop_schema_release(struct ArrowSchema *s) { s->release = NULL; }

static void test_import_large_and_views(void **state) {
    (void)state;
    /* other producers' layouts map onto ours */
    static const struct {
        const char *format;
        nl_type_id id;
    } cases[] = {
        {"U", NL_TYPE_UTF8}, {"Z", NL_TYPE_BINARY}, {"vu", NL_TYPE_UTF8}, {"vz", NL_TYPE_BINARY}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct ArrowSchema s = {cases[k].format,     "x", NULL, 0, 0, NULL, NULL,
                                noop_schema_release, NULL};
        nl_type *t = NULL;
        nl_error err = {0};
        assert_int_equal(nl_type_import(&s, &t, &err), NL_OK);
        assert_int_equal(t->id, cases[k].id);
        nl_type_unref(t);
    }
    struct ArrowSchema item = {
        "l", "item", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    struct ArrowSchema *kids[1] = {&item};
    struct ArrowSchema big = {"+L", "x", NULL, 0, 1, kids, NULL, noop_schema_release, NULL};
    nl_type *t = NULL;
    nl_error err = {0};
    assert_int_equal(nl_type_import(&big, &t, &err), NL_OK);
    assert_int_equal(t->id, NL_TYPE_LIST);
    assert_int_equal(t->children[0].type->id, NL_TYPE_INT64);
    nl_type_unref(t);
}

/* A producer stream with one batch of a "U" column and a "vu" column. */
typedef struct producer {
    int batches_left;
    int64_t offs[4];
    char data[16];
    uint8_t views[3 * 16];
    char long_data[32];
    int64_t sizes[1];
    const void *ubufs[3];
    const void *vbufs[4];
    const void *pbufs[1];
    struct ArrowArray ucol, vcol, parent;
    struct ArrowArray *kids[2];
    int releases;
} producer;

static int prod_get_schema(struct ArrowArrayStream *self, struct ArrowSchema *out) {
    (void)self;
    static struct ArrowSchema u = {
        "U", "big", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema v = {
        "vu", "view", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema *kids[2] = {&u, &v};
    struct ArrowSchema s = {"+s", "", NULL, 0, 2, kids, NULL, noop_schema_release, NULL};
    *out = s;
    return 0;
}

static void prod_array_release(struct ArrowArray *a) {
    producer *p = a->private_data;
    if (p) p->releases++;
    a->release = NULL;
}

static int prod_get_next(struct ArrowArrayStream *self, struct ArrowArray *out) {
    producer *p = self->private_data;
    memset(out, 0, sizeof *out);
    if (p->batches_left-- <= 0) return 0;
    /* "U": ["abc", "", "defgh"] */
    int64_t offs[4] = {0, 3, 3, 8};
    memcpy(p->offs, offs, sizeof offs);
    memcpy(p->data, "abcdefgh", 8);
    p->ubufs[0] = NULL;
    p->ubufs[1] = p->offs;
    p->ubufs[2] = p->data;
    memset(&p->ucol, 0, sizeof p->ucol);
    p->ucol.length = 3;
    p->ucol.n_buffers = 3;
    p->ucol.buffers = p->ubufs;
    p->ucol.release = prod_array_release;
    /* "vu": ["short", "a string longer than 12", "x"] */
    memset(p->views, 0, sizeof p->views);
    int32_t len = 5;
    memcpy(p->views, &len, 4);
    memcpy(p->views + 4, "short", 5);
    strcpy(p->long_data, "a string longer than 12");
    len = (int32_t)strlen(p->long_data);
    int32_t zero = 0;
    memcpy(p->views + 16, &len, 4);
    memcpy(p->views + 20, p->long_data, 4);
    memcpy(p->views + 24, &zero, 4);
    memcpy(p->views + 28, &zero, 4);
    len = 1;
    memcpy(p->views + 32, &len, 4);
    memcpy(p->views + 36, "x", 1);
    p->sizes[0] = (int64_t)strlen(p->long_data);
    p->vbufs[0] = NULL;
    p->vbufs[1] = p->views;
    p->vbufs[2] = p->long_data;
    p->vbufs[3] = p->sizes;
    memset(&p->vcol, 0, sizeof p->vcol);
    p->vcol.length = 3;
    p->vcol.n_buffers = 4;
    p->vcol.buffers = p->vbufs;
    p->vcol.release = prod_array_release;
    p->kids[0] = &p->ucol;
    p->kids[1] = &p->vcol;
    p->pbufs[0] = NULL;
    memset(&p->parent, 0, sizeof p->parent);
    out->length = 3;
    out->n_buffers = 1;
    out->buffers = p->pbufs;
    out->n_children = 2;
    out->children = p->kids;
    out->release = prod_array_release;
    out->private_data = p;
    return 0;
}

static const char *prod_last_error(struct ArrowArrayStream *self) {
    (void)self;
    return NULL;
}

static void prod_release(struct ArrowArrayStream *self) { self->release = NULL; }

static void test_import_foreign_stream(void **state) {
    (void)state;
    producer p;
    memset(&p, 0, sizeof p);
    p.batches_left = 1;
    struct ArrowArrayStream arrow = {prod_get_schema, prod_get_next, prod_last_error, prod_release,
                                     &p};
    nl_stream *s = NULL;
    nl_error err = {0};
    nl_status st = nl_stream_import(&arrow, &s, &err);
    if (st != NL_OK) fail_msg("%s", err.message);
    nl_batch *b = NULL;
    st = nl_stream_next(s, &b, &err);
    if (st != NL_OK) fail_msg("%s", err.message);
    assert_non_null(b);
    int32_t len;
    const char *v = nl_array_str(b->columns[0], 2, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(v, "defgh", 5);
    v = nl_array_str(b->columns[1], 1, &len);
    assert_int_equal(len, (int32_t)strlen("a string longer than 12"));
    assert_memory_equal(v, "a string longer than 12", (size_t)len);
    v = nl_array_str(b->columns[1], 0, &len);
    assert_memory_equal(v, "short", 5);
    nl_batch_unref(b);
    assert_int_equal(p.releases, 1);
    assert_int_equal(nl_stream_next(s, &b, &err), NL_OK);
    assert_null(b);
    nl_stream_free(s);
}

/* A producer of one batch with a dictionary column (int8 indices into
 * strings), a date64, a time32[ms] and a fixed-size list of 2 int32s. */
typedef struct producer2 {
    int8_t idx[4];
    uint8_t idx_valid[1];
    int32_t dict_offs[4];
    char dict_data[16];
    int64_t date64[4];
    int32_t time32[4];
    int32_t items[8];
    uint8_t fsl_valid[1];
    const void *idx_bufs[2], *dict_bufs[3], *d64_bufs[2], *t32_bufs[2], *fsl_bufs[1], *item_bufs[2],
        *top_bufs[1];
    struct ArrowArray idx_a, dict_a, d64_a, t32_a, fsl_a, item_a;
    struct ArrowArray *top_kids[4], *fsl_kids[1];
    int8_t bad_index; /* set to make index 2 out of range */
} producer2;

static void p2_release(struct ArrowArray *a) { a->release = NULL; }

static int p2_get_schema(struct ArrowArrayStream *self, struct ArrowSchema *out) {
    (void)self;
    static struct ArrowSchema dict = {"u", "", NULL, 0, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema cat = {
        "c", "cat", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema d64 = {
        "tdm", "d64", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema t32 = {
        "ttm", "t32", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema item = {
        "i", "item", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, noop_schema_release, NULL};
    static struct ArrowSchema *fsl_kids[1] = {&item};
    static struct ArrowSchema fsl = {
        "+w:2", "pair", NULL, ARROW_FLAG_NULLABLE, 1, fsl_kids, NULL, noop_schema_release, NULL};
    static struct ArrowSchema *kids[4] = {&cat, &d64, &t32, &fsl};
    cat.dictionary = &dict;
    struct ArrowSchema s = {"+s", "", NULL, 0, 4, kids, NULL, noop_schema_release, NULL};
    *out = s;
    return 0;
}

static struct ArrowArray p2_array(int64_t length, int64_t n_buffers, const void **bufs) {
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    a.length = length;
    a.null_count = -1;
    a.n_buffers = n_buffers;
    a.buffers = bufs;
    a.release = p2_release;
    return a;
}

static int p2_get_next(struct ArrowArrayStream *self, struct ArrowArray *out) {
    producer2 *p = self->private_data;
    memset(out, 0, sizeof *out);
    if (p->items[7] == -1) return 0; /* already produced */
    int8_t idx[4] = {2, 0, p->bad_index, 1};
    memcpy(p->idx, idx, sizeof idx);
    p->idx_valid[0] = p->bad_index ? 0x0f : 0x0b; /* index 2 is null, unless it is the bad one */
    int32_t offs[4] = {0, 3, 6, 9};
    memcpy(p->dict_offs, offs, sizeof offs);
    memcpy(p->dict_data, "redgrnblu", 9);
    int64_t d64[4] = {0, 86400000LL * 19723, -1, 86400000LL * 2 + 5};
    memcpy(p->date64, d64, sizeof d64);
    int32_t t32[4] = {0, 1500, 86399999, 61000};
    memcpy(p->time32, t32, sizeof t32);
    for (int k = 0; k < 8; k++)
        p->items[k] = k * 11;
    p->fsl_valid[0] = 0x0d; /* pair 1 is null */
    p->idx_bufs[0] = p->idx_valid;
    p->idx_bufs[1] = p->idx;
    p->dict_bufs[0] = NULL;
    p->dict_bufs[1] = p->dict_offs;
    p->dict_bufs[2] = p->dict_data;
    p->d64_bufs[0] = NULL;
    p->d64_bufs[1] = p->date64;
    p->t32_bufs[0] = NULL;
    p->t32_bufs[1] = p->time32;
    p->fsl_bufs[0] = p->fsl_valid;
    p->item_bufs[0] = NULL;
    p->item_bufs[1] = p->items;
    p->top_bufs[0] = NULL;
    p->idx_a = p2_array(4, 2, p->idx_bufs);
    p->dict_a = p2_array(3, 3, p->dict_bufs);
    p->idx_a.dictionary = &p->dict_a;
    p->d64_a = p2_array(4, 2, p->d64_bufs);
    p->t32_a = p2_array(4, 2, p->t32_bufs);
    p->item_a = p2_array(8, 2, p->item_bufs);
    p->fsl_a = p2_array(4, 1, p->fsl_bufs);
    p->fsl_kids[0] = &p->item_a;
    p->fsl_a.n_children = 1;
    p->fsl_a.children = p->fsl_kids;
    p->top_kids[0] = &p->idx_a;
    p->top_kids[1] = &p->d64_a;
    p->top_kids[2] = &p->t32_a;
    p->top_kids[3] = &p->fsl_a;
    *out = p2_array(4, 1, p->top_bufs);
    out->null_count = 0;
    out->n_children = 4;
    out->children = p->top_kids;
    return 0;
}

static void test_import_dictionary_and_conversions(void **state) {
    (void)state;
    producer2 p;
    memset(&p, 0, sizeof p);
    struct ArrowArrayStream arrow = {p2_get_schema, p2_get_next, prod_last_error, prod_release, &p};
    nl_stream *s = NULL;
    nl_error err = {0};
    nl_status st = nl_stream_import(&arrow, &s, &err);
    if (st != NL_OK) fail_msg("%s", err.message);
    assert_int_equal(s->schema->fields[0].type->id, NL_TYPE_UTF8);
    assert_int_equal(s->schema->fields[1].type->id, NL_TYPE_DATE32);
    assert_int_equal(s->schema->fields[2].type->id, NL_TYPE_TIME64);
    assert_int_equal(s->schema->fields[3].type->id, NL_TYPE_LIST);
    nl_batch *b = NULL;
    st = nl_stream_next(s, &b, &err);
    if (st != NL_OK) fail_msg("%s", err.message);
    nl_table *t = nl_table_new(nl_schema_ref(b->schema));
    assert_int_equal(nl_table_append(t, b, &err), NL_OK);
    nl_batch_unref(b);
    nl_stream_free(s);
    char *got = NULL;
    assert_int_equal(nl_format_table(t, NL_OUTPUT_CSV, NULL, &got, &err), NL_OK);
    assert_string_equal(got, "cat,d64,t32,pair\n"
                             "blu,1970-01-01,00:00:00.000000000,\"[0,11]\"\n"
                             "red,2024-01-01,00:00:01.500000000,\n"
                             ",1969-12-31,23:59:59.999000000,\"[44,55]\"\n"
                             "grn,1970-01-03,00:01:01.000000000,\"[66,77]\"\n");
    nl_free(got);
    nl_table_free(t);

    /* an index past the dictionary is an error, not a read out of bounds */
    memset(&p, 0, sizeof p);
    p.bad_index = 3;
    struct ArrowArrayStream bad = {p2_get_schema, p2_get_next, prod_last_error, prod_release, &p};
    assert_int_equal(nl_stream_import(&bad, &s, &err), NL_OK);
    b = NULL;
    st = nl_stream_next(s, &b, &err);
    assert_int_equal(st, NL_EINVAL);
    assert_null(b);
    assert_non_null(strstr(err.message, "out of range"));
    nl_stream_free(s);
}

static void test_malformed(void **state) {
    (void)state;
    nl_type *i64 = nl_type_get(NL_TYPE_INT64);
    nl_type *utf8 = nl_type_get(NL_TYPE_UTF8);
    int64_t values[4] = {1, 2, 3, 4};
    fake f = {0};
    {
        const void *bufs[3] = {NULL, values, values};
        struct ArrowArray a = fake_array(&f, 4, 3, bufs);
        expect_import_error(&a, i64, "three buffers for int64");
    }
    {
        struct ArrowArray a = fake_array(&f, 4, 2, NULL);
        expect_import_error(&a, i64, "no buffer array");
    }
    {
        const void *bufs[2] = {NULL, NULL};
        struct ArrowArray a = fake_array(&f, 4, 2, bufs);
        expect_import_error(&a, i64, "no values");
    }
    {
        const void *bufs[2] = {NULL, values};
        struct ArrowArray a = fake_array(&f, -1, 2, bufs);
        expect_import_error(&a, i64, "negative length");
    }
    {
        const void *bufs[2] = {NULL, values};
        struct ArrowArray a = fake_array(&f, 2, 2, bufs);
        a.offset = INT64_MAX;
        expect_import_error(&a, i64, "offset overflow");
    }
    {
        const void *bufs[2] = {NULL, values};
        struct ArrowArray a = fake_array(&f, 2, 2, bufs);
        a.null_count = 1;
        expect_import_error(&a, i64, "nulls without validity");
    }
    {
        int32_t offs[4] = {0, 5, 3, 8};
        const void *bufs[3] = {NULL, offs, "abcdefgh"};
        struct ArrowArray a = fake_array(&f, 3, 3, bufs);
        expect_import_error(&a, utf8, "decreasing offsets");
    }
    {
        int32_t offs[3] = {-4, 0, 3};
        const void *bufs[3] = {NULL, offs, "abc"};
        struct ArrowArray a = fake_array(&f, 2, 3, bufs);
        expect_import_error(&a, utf8, "negative offset");
    }
    {
        int32_t offs[3] = {0, 2, 3};
        const void *bufs[3] = {NULL, offs, NULL};
        struct ArrowArray a = fake_array(&f, 2, 3, bufs);
        expect_import_error(&a, utf8, "no string data");
    }
    {
        /* list offsets past the child's length */
        nl_type *lt = nl_type_list(nl_type_get(NL_TYPE_INT64), true);
        fake fc = {0};
        const void *cbufs[2] = {NULL, values};
        struct ArrowArray child = fake_array(&fc, 4, 2, cbufs);
        struct ArrowArray *kids[1] = {&child};
        int32_t offs[3] = {0, 2, 9};
        const void *bufs[2] = {NULL, offs};
        struct ArrowArray a = fake_array(&f, 2, 2, bufs);
        a.n_children = 1;
        a.children = kids;
        expect_import_error(&a, lt, "list offsets past child");
        /* the parent's release is the producer's job for its children */
        assert_int_equal(fc.released, 0);
        /* no children at all */
        struct ArrowArray b = fake_array(&f, 2, 2, bufs);
        expect_import_error(&b, lt, "list without child");
        /* a NULL child pointer */
        struct ArrowArray *none[1] = {NULL};
        struct ArrowArray c = fake_array(&f, 2, 2, bufs);
        c.n_children = 1;
        c.children = none;
        expect_import_error(&c, lt, "NULL child");
        nl_type_unref(lt);
    }
    {
        /* a struct child shorter than the struct */
        nl_type *st = struct_type();
        fake fc = {0};
        const void *abufs[2] = {NULL, values};
        struct ArrowArray a0 = fake_array(&fc, 1, 2, abufs);
        int32_t offs[5] = {0, 1, 2, 3, 4};
        const void *sbufs[3] = {NULL, offs, "abcd"};
        struct ArrowArray a1 = fake_array(&fc, 4, 3, sbufs);
        struct ArrowArray *kids[2] = {&a0, &a1};
        const void *bufs[1] = {NULL};
        struct ArrowArray a = fake_array(&f, 4, 1, bufs);
        a.n_children = 2;
        a.children = kids;
        expect_import_error(&a, st, "short struct child");
        /* wrong number of children */
        struct ArrowArray b = fake_array(&f, 4, 1, bufs);
        b.n_children = 1;
        b.children = kids;
        expect_import_error(&b, st, "struct child count");
        nl_type_unref(st);
    }
    {
        /* released input */
        struct ArrowArray a = fake_array(&f, 0, 2, NULL);
        a.release = NULL;
        nl_array *out = NULL;
        nl_error err = {0};
        assert_int_not_equal(nl_array_import(&a, i64, &out, &err), NL_OK);
    }
}

static void test_malformed_schemas(void **state) {
    (void)state;
    static const char *const bad[] = {"",       "x",     "d:",   "d:abc", "d:10", "d:10,2,64",
                                      "d:40,2", "d:5,7", "ts",   "tsx:",  "tDx",  "tt",
                                      "ttq",    "+w:3",  "+w:x", "+w:-1", "+m",   "w:4"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        struct ArrowSchema s = {bad[k], "x", NULL, 0, 0, NULL, NULL, noop_schema_release, NULL};
        nl_type *t = NULL;
        nl_error err = {0};
        if (nl_type_import(&s, &t, &err) == NL_OK)
            fail_msg("format '%s' should be refused", bad[k]);
        assert_null(t);
    }
    nl_error err = {0};
    nl_type *t = NULL;
    /* NULL format, released schema, list without child, children on a primitive */
    struct ArrowSchema nf = {NULL, "x", NULL, 0, 0, NULL, NULL, noop_schema_release, NULL};
    assert_int_not_equal(nl_type_import(&nf, &t, &err), NL_OK);
    struct ArrowSchema rel = {"l", "x", NULL, 0, 0, NULL, NULL, NULL, NULL};
    assert_int_not_equal(nl_type_import(&rel, &t, &err), NL_OK);
    struct ArrowSchema lst = {"+l", "x", NULL, 0, 0, NULL, NULL, noop_schema_release, NULL};
    assert_int_not_equal(nl_type_import(&lst, &t, &err), NL_OK);
    struct ArrowSchema child = {"l", "c", NULL, 0, 0, NULL, NULL, noop_schema_release, NULL};
    struct ArrowSchema *kids[1] = {&child};
    struct ArrowSchema prim = {"l", "x", NULL, 0, 1, kids, NULL, noop_schema_release, NULL};
    assert_int_not_equal(nl_type_import(&prim, &t, &err), NL_OK);
    struct ArrowSchema *nullkid[1] = {NULL};
    struct ArrowSchema st = {"+s", "x", NULL, 0, 1, nullkid, NULL, noop_schema_release, NULL};
    assert_int_not_equal(nl_type_import(&st, &t, &err), NL_OK);
    struct ArrowSchema neg = {"+s", "x", NULL, 0, -1, NULL, NULL, noop_schema_release, NULL};
    assert_int_not_equal(nl_type_import(&neg, &t, &err), NL_OK);
    /* a schema must be a struct */
    nl_schema *schema = NULL;
    assert_int_not_equal(nl_schema_import(&child, &schema, &err), NL_OK);
    /* nesting 100 deep is refused, not recursed into */
    struct ArrowSchema deep[100];
    struct ArrowSchema *deep_kids[100];
    for (int k = 0; k < 100; k++) {
        deep[k] =
            (struct ArrowSchema){k == 99 ? "l" : "+l", "x", NULL, 0, k == 99 ? 0 : 1, NULL, NULL,
                                 noop_schema_release,  NULL};
        deep_kids[k] = &deep[k];
    }
    for (int k = 0; k < 99; k++)
        deep[k].children = &deep_kids[k + 1];
    assert_int_not_equal(nl_type_import(&deep[0], &t, &err), NL_OK);
    /* 10 deep is fine */
    assert_int_equal(nl_type_import(&deep[90], &t, &err), NL_OK);
    nl_type_unref(t);
}

static int fail_get_schema(struct ArrowArrayStream *self, struct ArrowSchema *out) {
    (void)self;
    (void)out;
    return 5; /* EIO */
}

static void test_malformed_stream(void **state) {
    (void)state;
    struct ArrowArrayStream a = {fail_get_schema, NULL, prod_last_error, prod_release, NULL};
    nl_stream *s = NULL;
    nl_error err = {0};
    assert_int_not_equal(nl_stream_import(&a, &s, &err), NL_OK);
    assert_null(s);
    assert_null(a.release);
    struct ArrowArrayStream b = {fail_get_schema, prod_get_next, prod_last_error, prod_release,
                                 NULL};
    assert_int_not_equal(nl_stream_import(&b, &s, &err), NL_OK);
    assert_null(b.release); /* released on failure too */
    struct ArrowArrayStream c = {NULL, NULL, NULL, NULL, NULL};
    assert_int_not_equal(nl_stream_import(&c, &s, &err), NL_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_export_raw_layout),
        cmocka_unit_test(test_schema_roundtrip),
        cmocka_unit_test(test_batch_roundtrip),
        cmocka_unit_test(test_release_without_import),
        cmocka_unit_test(test_stream_roundtrip),
        cmocka_unit_test(test_stream_consumer_side),
        cmocka_unit_test(test_import_values_zero_copy),
        cmocka_unit_test(test_import_large_and_views),
        cmocka_unit_test(test_import_foreign_stream),
        cmocka_unit_test(test_import_dictionary_and_conversions),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_malformed_schemas),
        cmocka_unit_test(test_malformed_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
