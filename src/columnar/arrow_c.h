/*
 * arrow_c.h -- export and import through the Arrow C Data Interface and the C
 * Stream Interface (the structs are in neuralake.h).
 *
 * Export is zero-copy: the exported ArrowArray holds references to our buffers
 * and releases them in its release callback. Import is zero-copy too: our
 * buffers wrap the foreign memory and the foreign release runs when the last of
 * them goes. Import validates what it is given (formats, buffer counts, lengths,
 * offsets) so a bad producer is an error, not a crash.
 */
#ifndef NL_COLUMNAR_ARROW_C_H
#define NL_COLUMNAR_ARROW_C_H

#include "columnar/stream.h"

/* Type and schema <-> ArrowSchema. The exported ArrowSchema is owned by the
 * caller (call its release). */
nl_status nl_type_export(const nl_type *type, const char *name, bool nullable,
                         struct ArrowSchema *out, nl_error *err);
nl_status nl_schema_export(const nl_schema *schema, struct ArrowSchema *out, nl_error *err);
nl_status nl_type_import(const struct ArrowSchema *schema, nl_type **out, nl_error *err);
/* The ArrowSchema must be a struct ("+s"). It is not released. */
nl_status nl_schema_import(const struct ArrowSchema *schema, nl_schema **out, nl_error *err);

/* Arrays and batches (a batch is exported as a struct array). */
nl_status nl_array_export(const nl_array *array, struct ArrowArray *out, nl_error *err);
nl_status nl_batch_export(const nl_batch *batch, struct ArrowArray *out, nl_error *err);
/* Takes ownership of *array (moves it: array->release is set to NULL). */
nl_status nl_array_import(struct ArrowArray *array, const nl_type *type, nl_array **out,
                          nl_error *err);
nl_status nl_batch_import(struct ArrowArray *array, nl_schema *schema /* borrowed */,
                          nl_batch **out, nl_error *err);

/* Streams: export takes ownership of `stream`; import takes ownership of
 * *arrow (moved). */
nl_status nl_stream_export(nl_stream *stream, struct ArrowArrayStream *out, nl_error *err);
nl_status nl_stream_import(struct ArrowArrayStream *arrow, nl_stream **out, nl_error *err);

#endif
