/*
 * neuralake.h -- the public API of libneuralake.
 *
 * Neuralake is a code-first data platform: a catalog of databases and tables
 * declared in C, queried in place with SQL by a vectorized engine, with results
 * handed out through the Arrow C Data and C Stream interfaces.
 *
 * Conventions (as in curl, libgit2 and nanoarrow):
 *   - every name starts with nl_ (macros with NL_);
 *   - handles are opaque; every nl_X_new / nl_X_open has an nl_X_free that is
 *     safe on NULL;
 *   - every fallible call returns nl_status and fills a caller-owned nl_error
 *     (which may be NULL when the caller does not want the message);
 *   - ownership is stated in the comment of each call.
 *
 * This header gathers the sections in include/neuralake/; include only this one.
 */
#ifndef NEURALAKE_H
#define NEURALAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NL_VERSION_MAJOR 0
#define NL_VERSION_MINOR 1
#define NL_VERSION_PATCH 0
#define NL_VERSION_STRING "0.1.0"

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *nl_version(void);

/* ---- Status and errors ------------------------------------------------ */

typedef enum nl_status {
    NL_OK = 0,
    NL_EINVAL,     /* bad argument or bad input from the caller */
    NL_ENOMEM,     /* out of memory, or over the memory limit */
    NL_EIO,        /* the operating system or the network failed */
    NL_ECORRUPT,   /* a file or a response is malformed */
    NL_ENOTSUP,    /* a valid feature this build does not support */
    NL_ENOTFOUND,  /* no such file, object, table, column ... */
    NL_EEXISTS,    /* already exists (atomic create lost, table defined twice) */
    NL_EOVERFLOW,  /* a value does not fit its type */
    NL_ETYPE,      /* a type mismatch */
    NL_ESQL,       /* a syntax or binding error in SQL */
    NL_ECANCELLED, /* the operation was cancelled */
    NL_EINTERNAL   /* a bug: an internal invariant failed */
} nl_status;

#define NL_ERROR_SIZE 1024

/* Filled by a failing call: the status and a message that says what failed,
 * where (file, column, byte offset, SQL line and column) and why. Caller-owned;
 * zero-initialise it. */
typedef struct nl_error {
    nl_status code;
    char message[NL_ERROR_SIZE];
} nl_error;

/* A short, stable name for a status: "invalid argument", "corrupt data" ... */
const char *nl_status_name(nl_status status);

/* ---- Memory ----------------------------------------------------------- */

/* Bytes currently allocated by the library, and the high-water mark. */
size_t nl_memory_in_use(void);
size_t nl_memory_peak(void);
/* Caps the library's allocations (0 = no limit). An allocation past the cap
 * fails and the call that made it returns NL_ENOMEM. */
void nl_memory_set_limit(size_t bytes);

/* ---- Arrow C Data Interface and C Stream Interface -------------------- */
/* The structs exactly as the Arrow specification defines them, so results cross
 * into pyarrow, Polars, DuckDB and others without copies. */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* ---- Printing results ------------------------------------------------- */

typedef enum nl_output_format {
    NL_OUTPUT_TABLE = 0, /* Polars' DataFrame layout */
    NL_OUTPUT_CSV,
    NL_OUTPUT_JSON,      /* one array of objects */
    NL_OUTPUT_NDJSON,
    NL_OUTPUT_MARKDOWN
} nl_output_format;

/* Limits of the table layout. -1 in a field means "take it from the
 * environment (POLARS_FMT_MAX_ROWS, POLARS_FMT_MAX_COLS, POLARS_FMT_STR_LEN,
 * POLARS_TABLE_WIDTH) or Polars' default". */
typedef struct nl_print_options {
    int max_rows;    /* rows shown before the middle is elided (default 10) */
    int max_cols;    /* columns shown before the middle is elided (default 8) */
    int max_str_len; /* characters of a cell before it is cut with an ellipsis (default 32) */
    int table_width; /* display columns to fit; 0 = the terminal's width or 100 */
} nl_print_options;

/* Options with every field -1 (environment or defaults). */
nl_print_options nl_print_options_default(void);

/* Reads the whole stream (consuming and releasing it) and prints it to `out` in
 * `format`. */
nl_status nl_print_stream(FILE *out, struct ArrowArrayStream *stream, nl_output_format format,
                          const nl_print_options *options, nl_error *err);

#ifdef __cplusplus
}
#endif

/* Sections owned by later modules. */
#include "neuralake/catalog.h"
#include "neuralake/query.h"

#endif /* NEURALAKE_H */
