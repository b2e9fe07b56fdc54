/*
 * stream.c -- the basic streams: over a materialised table, and draining a
 * stream back into a table.
 */
#include "columnar/stream.h"

#include "base/alloc.h"
#include "base/error.h"

void nl_stream_free(nl_stream *s) {
    if (!s) return;
    if (s->release) s->release(s);
    nl_schema_unref(s->schema);
    nl_free(s);
}

typedef struct stream_table_state {
    nl_table *table;
    int64_t next;
} stream_table_state;

static nl_status stream_table_next(nl_stream *self, nl_batch **out, nl_error *err) {
    (void)err;
    stream_table_state *st = self->private_data;
    *out = NULL;
    if (st->next < st->table->n_batches) *out = nl_batch_ref(st->table->batches[st->next++]);
    return NL_OK;
}

static void stream_table_release(nl_stream *self) {
    stream_table_state *st = self->private_data;
    if (!st) return;
    nl_table_free(st->table);
    nl_free(st);
    self->private_data = NULL;
}

nl_status nl_stream_from_table(nl_table *table, nl_stream **out, nl_error *err) {
    *out = NULL;
    if (!table) return nl_error_set(err, NL_EINVAL, "stream over no table");
    nl_stream *s = nl_calloc(1, sizeof *s);
    stream_table_state *st = nl_calloc(1, sizeof *st);
    if (!s || !st) {
        nl_free(s);
        nl_free(st);
        nl_table_free(table);
        return nl_error_set(err, NL_ENOMEM, "out of memory making a table stream");
    }
    st->table = table;
    s->schema = nl_schema_ref(table->schema);
    s->next = stream_table_next;
    s->release = stream_table_release;
    s->private_data = st;
    *out = s;
    return NL_OK;
}

nl_status nl_stream_collect(nl_stream *s, nl_table **out, nl_error *err) {
    *out = NULL;
    if (!s) return nl_error_set(err, NL_EINVAL, "collecting no stream");
    nl_table *t = nl_table_new(nl_schema_ref(s->schema));
    if (!t) {
        nl_stream_free(s);
        return nl_error_set(err, NL_ENOMEM, "out of memory collecting a stream");
    }
    for (;;) {
        nl_batch *batch = NULL;
        nl_status st = nl_stream_next(s, &batch, err);
        if (st == NL_OK && !batch) break;
        if (st == NL_OK) st = nl_table_append(t, batch, err);
        nl_batch_unref(batch);
        if (st != NL_OK) {
            nl_table_free(t);
            nl_stream_free(s);
            return st;
        }
    }
    nl_stream_free(s);
    *out = t;
    return NL_OK;
}
