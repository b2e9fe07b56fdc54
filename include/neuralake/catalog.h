/*
 * neuralake/catalog.h -- the catalog as code (a section of neuralake.h; include that).
 *
 * A catalog holds databases; a database holds tables. Tables are declared, not
 * plumbed: a static array of nl_table_def with designated initializers says
 * what each table is (Parquet, CSV, NDJSON, a C function, in-memory data),
 * where its data lives and how it is documented:
 *
 *     static const nl_table_def MY_TABLES[] = {
 *         {
 *             .kind = NL_TABLE_PARQUET,
 *             .name = "part",
 *             .uri = "data/parts.parquet",
 *             .description = "Parts sold by the company.",
 *             .unique_columns = (const char *[]){"p_partkey", NULL},
 *             .example_filters = (const nl_filter_term[]){
 *                 {"p_brand", "=", NL_STR("Brand#1")}, {0}},
 *         },
 *         {0}
 *     };
 *
 *     nl_catalog *cat = nl_catalog_new();
 *     nl_catalog_add_database(cat, "tpch", MY_TABLES, &err);
 *
 * Lists inside a definition (columns, filters, names) end with a zeroed entry
 * ({0} or NULL), so they can be written inline. The catalog copies every
 * definition when it is added (strings and lists included), so definitions may
 * live on the stack; only `user_data` pointers and functions are kept as given.
 *
 * A mistake in a declaration (no uri, two tables with one name, a column type
 * that does not parse, an unknown filter operator ...) is reported when the
 * database is added, with the table's name: "table 'tpch.part': ...".
 *
 * Filters are the blueprint platform's: (column, operator, value) terms,
 * combined as an OR of ANDs. Operators: "=", "!=", "<", "<=", ">", ">=", "in",
 * "not in", "contains" (substring), "includes" (a list column holds the value),
 * "includes any", "includes all" (a list column shares some / holds every item
 * of a list value), "is null", "is not null". In a term list, NL_OR separates
 * the conjunctions:
 *
 *     {"p_brand", "=", NL_STR("Brand#1")}, {"p_size", ">", NL_INT(10)}, NL_OR,
 *     {"p_name", "contains", NL_STR("green")}, {0}
 *
 * means (p_brand = 'Brand#1' AND p_size > 10) OR p_name contains 'green'.
 * Values are converted to the column's type when the filter is bound (a string
 * "1995-03-15" compares with a DATE column as a date).
 *
 * Thread-safety: a catalog is built by one thread; once built, scans and
 * lookups may run from any number of threads at once.
 */
#ifndef NEURALAKE_CATALOG_H
#define NEURALAKE_CATALOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nl_catalog nl_catalog;

/* Number of elements of a static array. */
#define NL_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* ---- Values (filter operands, constants) ------------------------------ */

typedef enum nl_value_kind {
    NL_VALUE_NONE = 0, /* no value (the zeroed state) */
    NL_VALUE_NULL,
    NL_VALUE_BOOL,
    NL_VALUE_INT,
    NL_VALUE_DOUBLE,
    NL_VALUE_STRING, /* also dates, timestamps and decimals as text: "1995-03-15", "12.50" */
    NL_VALUE_LIST    /* items[0 .. n_items) */
} nl_value_kind;

typedef struct nl_value {
    nl_value_kind kind;
    bool b;
    int64_t i;
    double d;
    const char *s;
    const struct nl_value *items;
    int32_t n_items;
} nl_value;

/* Initialisers, usable in static declarations and in calls alike. */
#define NL_NULL {.kind = NL_VALUE_NULL}
#define NL_BOOL(x) {.kind = NL_VALUE_BOOL, .b = (x)}
#define NL_INT(x) {.kind = NL_VALUE_INT, .i = (x)}
#define NL_DOUBLE(x) {.kind = NL_VALUE_DOUBLE, .d = (x)}
#define NL_STR(x) {.kind = NL_VALUE_STRING, .s = (x)}
/* NL_LIST(NL_INT(1), NL_INT(2)) -- for "in", "not in", "includes any|all". */
#define NL_LIST(...)                                                                               \
    {.kind = NL_VALUE_LIST, .items = (const nl_value[]){__VA_ARGS__},                              \
     .n_items = (int32_t)(sizeof((const nl_value[]){__VA_ARGS__}) / sizeof(nl_value))}

/* ---- Filters ------------------------------------------------------------ */

typedef struct nl_filter_term {
    const char *column; /* NULL in the NL_OR separator and the {0} terminator */
    const char *op;     /* "=", "!=", "<", "<=", ">", ">=", "in", "not in", "contains",
                           "includes", "includes any", "includes all", "is null", "is not null" */
    nl_value value;
} nl_filter_term;

/* Separates two conjunctions in a term list. */
#define NL_OR {.column = NULL, .op = "or"}

/* ---- Table definitions ------------------------------------------------- */

typedef enum nl_table_kind {
    NL_TABLE_END = 0,  /* the {0} that ends a list of definitions */
    NL_TABLE_PARQUET,  /* one file, a glob ("data/part-*.parquet"), or a partitioned directory */
    NL_TABLE_CSV,      /* one file or a glob; .gz and .zst are decompressed */
    NL_TABLE_NDJSON,   /* newline-delimited JSON; one file or a glob; .gz and .zst too */
    NL_TABLE_FUNCTION, /* a C function that produces the rows (nl_table_function) */
    NL_TABLE_MEMORY,   /* data held in memory (.data, or nl_catalog_add_memory_table) */
    NL_TABLE_DELTA,    /* a Delta Lake table (not supported by this build yet) */
    NL_TABLE_HTTP      /* a JSON source over HTTP(S) (not supported by this build yet) */
} nl_table_kind;

/* How a Parquet directory is partitioned. */
typedef enum nl_partitioning {
    NL_PARTITION_NONE = 0,
    NL_PARTITION_HIVE,     /* dir/year=2024/month=01/part-0.parquet */
    NL_PARTITION_DIRECTORY /* dir/2024/01/part-0.parquet; names come from .partition_columns */
} nl_partitioning;

/* A column: its name, type and description. Types are written as Polars or SQL
 * name them: "i8".."i64", "u8".."u64", "f32", "f64", "bool", "str", "binary",
 * "date", "datetime[us]", "datetime[ns, UTC]", "decimal(15,2)", "list[str]";
 * or "BIGINT", "INTEGER", "DOUBLE", "VARCHAR", "BOOLEAN", "DATE", "TIMESTAMP",
 * "DECIMAL(15,2)". */
typedef struct nl_column_def {
    const char *name;
    const char *type;        /* NULL: inferred (CSV, NDJSON) or read from the files */
    const char *description; /* optional */
} nl_column_def;

/* Options of CSV tables. Zeroed means: header line, ',' delimiter, '"' quote,
 * types inferred from the first 1000 rows, "" and "NULL" read as null. */
typedef struct nl_csv_options {
    char delimiter;           /* 0 = ',' */
    char quote;               /* 0 = '"' */
    bool no_header;           /* columns are then named column_1, column_2 ... (or .columns) */
    int32_t infer_rows;       /* 0 = 1000; -1 = every row */
    const char *const *null_values; /* NULL-terminated; NULL = {"", "NULL"} */
} nl_csv_options;

/* Data of one column held in C arrays: for in-memory tables, for function
 * tables that build their result from arrays, and for computed columns.
 *   "i64" -> int64_t[], "i32" -> int32_t[], "f64" -> double[], "bool" -> bool[],
 *   "str" -> const char *[] (a NULL pointer is a null), "date" -> int32_t[] days.
 * `valid` (optional) marks nulls for the non-string types. */
typedef struct nl_column_data {
    const char *name;
    const char *type;
    const void *values;
    const bool *valid;
} nl_column_data;

/* What a function table is asked for. Every pointer is valid during the call. */
typedef struct nl_table_call {
    const char *database;
    const char *table;
    /* The columns the query needs, NULL-terminated; NULL when it wants them
     * all. The function may return more (or all) columns: the engine picks
     * those it needs by name. */
    const char *const *columns;
    /* The filters of the query, an OR of ANDs ending with {0} (NULL: none). The
     * function may use them to produce less, or ignore them: the engine
     * applies every filter again. */
    const nl_filter_term *filters;
    int64_t limit;   /* at most this many rows are needed; -1 = all */
    void *user_data; /* the definition's user_data */
} nl_table_call;

/* Produces the rows of a function table as an Arrow C stream in *out (which
 * the caller then owns and releases). Columns of the stream are matched to the
 * table's declared columns by name and cast to the declared types. On failure
 * return a status other than NL_OK and say why in err->message (err is never
 * NULL here). */
typedef nl_status (*nl_table_function)(const nl_table_call *call, struct ArrowArrayStream *out,
                                       nl_error *err);

/* A computed ("extra") column, appended to the table's own columns. Either a
 * constant `value`, or `compute`: given a batch of the `inputs` columns (a
 * struct array with one child per input, in order), it fills *out with an
 * array of `type` and the batch's length (nl_column_to_arrow builds one from
 * C arrays). */
typedef struct nl_extra_column {
    const char *name;
    const char *type;
    nl_value value;
    const char *const *inputs; /* NULL-terminated */
    nl_status (*compute)(const struct ArrowSchema *schema, const struct ArrowArray *batch,
                         struct ArrowArray *out, void *user_data, nl_error *err);
    void *user_data;
} nl_extra_column;

typedef struct nl_table_def {
    nl_table_kind kind;
    const char *name;

    /* -- where the data is -- */
    /* A path, file://, s3://bucket/key or https:// URI; a glob; or a directory.
     * ${VAR} and ${VAR:-default} are replaced from the environment when the
     * table is added ("${NEURALAKE_DATA:-data}/parts.parquet"). */
    const char *uri;
    nl_partitioning partitioning;
    /* Partition columns, outermost directory level first. Types default to "str". */
    const nl_column_def *partition_columns;
    /* The schema. Required for memory tables; for function tables it saves a call
     * to learn the schema; for CSV/NDJSON it overrides inferred types by name;
     * for Parquet it documents the columns and lets the table open no file
     * before a scan. */
    const nl_column_def *columns;
    nl_csv_options csv;
    nl_table_function function; /* NL_TABLE_FUNCTION */
    void *user_data;            /* handed to `function` and to computed columns */
    const nl_column_data *data; /* NL_TABLE_MEMORY: one entry per column, {0}-terminated */
    int64_t num_rows;           /* NL_TABLE_MEMORY with .data: rows in each column */

    /* -- what the table adds -- */
    const nl_extra_column *extra_columns; /* {0}-terminated */
    /* Keep only the first row of each distinct value of unique_columns. */
    bool deduplicate;

    /* -- documentation -- */
    const char *description;
    const nl_filter_term *example_filters;   /* a typical filter, {0}-terminated */
    const char *const *selected_columns;     /* columns most queries want, NULL-terminated */
    const char *const *unique_columns;       /* a key of the table, NULL-terminated */
    const char *data_input;                  /* where the data comes from */
    const char *latency_info;                /* how fresh it is */
    const char *example_link;                /* a notebook or dashboard using it */
    const char *owner;                       /* who to ask */
    bool deprecated;                         /* still works, warns on stderr when used */
    const char *deprecation_message;         /* what to use instead */
} nl_table_def;

/* ---- The catalog ------------------------------------------------------- */

/* A new, empty catalog; NULL when out of memory. Free with nl_catalog_free. */
nl_catalog *nl_catalog_new(void);
void nl_catalog_free(nl_catalog *catalog);

/* Adds database `name` with the tables of `tables` (ending with {0}; NULL for
 * none). Every definition is checked and copied; the first mistake fails the
 * whole call with the table's name in the message, and nothing is added. The
 * first database added becomes the default one. Adding tables to an existing
 * database name extends it. */
nl_status nl_catalog_add_database(nl_catalog *catalog, const char *name,
                                  const nl_table_def *tables, nl_error *err);

/* Adds one table to database `db` (created if needed). */
nl_status nl_catalog_add_table(nl_catalog *catalog, const char *db, const nl_table_def *table,
                               nl_error *err);

/* Adds an in-memory table whose rows are read from `data` now (the stream is
 * consumed and released). `table` gives the name and documentation; its kind
 * and data fields are ignored. */
nl_status nl_catalog_add_memory_table(nl_catalog *catalog, const char *db,
                                      const nl_table_def *table, struct ArrowArrayStream *data,
                                      nl_error *err);

/* Adds an in-memory table from Arrow arrays: `schema` describes a struct
 * whose fields are the columns, and each of the `n_batches` arrays is a
 * struct array of that schema (a record batch). The arrays are moved into the
 * catalog (their release is set to NULL); the schema is only read. */
nl_status nl_catalog_add_arrow_table(nl_catalog *catalog, const char *db,
                                     const nl_table_def *table, const struct ArrowSchema *schema,
                                     struct ArrowArray *batches, int32_t n_batches, nl_error *err);

/* The database a bare table name refers to (the first one added, unless set). */
nl_status nl_catalog_set_default_database(nl_catalog *catalog, const char *name, nl_error *err);
const char *nl_catalog_default_database(const nl_catalog *catalog);

/* Walking the catalog: databases and tables in the order they were added.
 * Returned definitions belong to the catalog. */
int32_t nl_catalog_database_count(const nl_catalog *catalog);
const char *nl_catalog_database_name(const nl_catalog *catalog, int32_t db);
int32_t nl_catalog_table_count(const nl_catalog *catalog, int32_t db);
const nl_table_def *nl_catalog_table(const nl_catalog *catalog, int32_t db, int32_t table);

/* Finds "db.table" or "table" (in the default database). */
nl_status nl_catalog_find(const nl_catalog *catalog, const char *name, const nl_table_def **out,
                          nl_error *err);

/* The table's schema (its columns, partition columns and computed columns) as
 * an Arrow struct schema; the caller releases it. May open a file to learn it. */
nl_status nl_catalog_schema(nl_catalog *catalog, const char *name, struct ArrowSchema *out,
                            nl_error *err);

/* Writes the table's schema and documentation as text (what `neuralake
 * describe` prints). */
nl_status nl_catalog_describe(nl_catalog *catalog, const char *name, FILE *out, nl_error *err);

/* Reads table `name` ("db.table" or "table"): the `columns` asked for
 * (NULL-terminated; NULL = all), the rows matching `filters` (terms ending
 * with {0}; NULL = all rows), at most `limit` rows (-1 = all), with computed
 * columns and de-duplication applied. Partitions, files and row groups that
 * cannot match are skipped. The result is a new Arrow stream in *out, owned by
 * the caller. A deprecated table warns once on stderr. */
nl_status nl_catalog_scan(nl_catalog *catalog, const char *name, const char *const *columns,
                          const nl_filter_term *filters, int64_t limit,
                          struct ArrowArrayStream *out, nl_error *err);

/* ---- Building Arrow data from C arrays --------------------------------- */

/* One Arrow array from one column of C data (`num_rows` values); the caller
 * releases *out. */
nl_status nl_column_to_arrow(const nl_column_data *column, int64_t num_rows,
                             struct ArrowArray *out, nl_error *err);

/* A one-batch Arrow stream of the columns ({0}-terminated), `num_rows` rows
 * each; the data is copied. What a function table usually returns. */
nl_status nl_columns_to_stream(const nl_column_data *columns, int64_t num_rows,
                               struct ArrowArrayStream *out, nl_error *err);

/* ---- Catalogs compiled into shared objects ----------------------------- */

/* A shared object that holds a catalog exports one function with this name
 * and type; `neuralake --catalog ./libmycatalog.so` (or nl_catalog_load) calls
 * it once and owns (frees) the catalog it returns. NULL means it failed; it
 * should then have said why on stderr. */
#define NL_CATALOG_ENTRY_POINT "neuralake_catalog"
typedef nl_catalog *(*nl_catalog_entry_fn)(void);

/* Loads the shared object at `path` (dlopen) and calls its entry point. The
 * object stays loaded until the returned catalog is freed. */
nl_status nl_catalog_load(const char *path, nl_catalog **out, nl_error *err);

#ifdef __cplusplus
}
#endif

#endif
