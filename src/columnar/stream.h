/*
 * stream.h -- a pull-based stream of record batches, the internal twin of the
 * Arrow C Stream interface. Scans, operators and query results are streams;
 * arrow_c.h converts between the two.
 */
#ifndef NL_COLUMNAR_STREAM_H
#define NL_COLUMNAR_STREAM_H

#include "columnar/array.h"

typedef struct nl_stream nl_stream;

struct nl_stream {
    nl_schema *schema; /* one reference, owned by the stream */
    /* Sets *out to the next batch (a new reference) or to NULL at the end. */
    nl_status (*next)(nl_stream *self, nl_batch **out, nl_error *err);
    /* Frees private state (not the schema: nl_stream_free does that). */
    void (*release)(nl_stream *self);
    void *private_data;
};

static inline nl_status nl_stream_next(nl_stream *s, nl_batch **out, nl_error *err) {
    return s->next(s, out, err);
}
/* Releases the stream and frees the struct (allocated with nl_malloc). Safe on NULL. */
void nl_stream_free(nl_stream *s);

/* A stream over the batches of a table; takes ownership of the table. */
nl_status nl_stream_from_table(nl_table *table, nl_stream **out, nl_error *err);

/* Drains a stream into a table; the stream is freed either way. */
nl_status nl_stream_collect(nl_stream *s, nl_table **out, nl_error *err);

#endif
