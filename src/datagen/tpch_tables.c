/*
 * tpch_tables.c -- the eight TPC-H table generators (TPC-H 4.2.3), writing
 * Arrow column buffers directly.
 *
 * Each column draws from its own dbgen stream, named below by its seed (the
 * seeds are dbgen's, from its Seed[] table) and its budget of draws per row.
 * A chunk starts by skipping every stream to its first row
 * (tpch_rng_skip_rows), generates its rows, and ends each row with
 * tpch_rng_row_done; so chunks are independent and can run in parallel.
 *
 * Orders and lineitem come from the same streams: an order's total price and
 * status are computed from its line items, which the orders generator draws
 * again (cheaply: no text) exactly as the lineitem generator does.
 *
 * Dates are kept as days since 1992-01-01 (dbgen's STARTDATE) while
 * generating, and stored as days since 1970-01-01.
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buffer.h"
#include "base/error.h"
#include "datagen/tpch_internal.h"

/* ---- scale (TPC-H 4.2.5.2: rows per scale factor) ---- */

#define SUPPLIER_BASE       10000
#define CUSTOMER_BASE       150000
#define PART_BASE           200000
#define ORDERS_BASE         1500000
#define SUPP_PER_PART       4
#define LINES_PER_ORDER_MAX 7
#define CLERK_BASE          1000

/* ---- dates (TPC-H 4.2.3: STARTDATE 1992-01-01, CURRENTDATE 1995-06-17,
 * ENDDATE 1998-12-31) ---- */

#define EPOCH_DAYS_1992  8035 /* 1992-01-01 as days since 1970-01-01 */
#define CURRENT_DAY      1263 /* 1995-06-17 as days since 1992-01-01 */
#define TOTAL_DATE_RANGE 2557 /* days from STARTDATE to ENDDATE, inclusive */
#define SHIP_DAYS_MAX    121
#define COMMIT_DAYS_MIN  30
#define COMMIT_DAYS_MAX  90
#define RECEIPT_DAYS_MAX 30
/* Orders are dated so that their lines ship and arrive by ENDDATE. */
#define ORDER_DAY_MAX (TOTAL_DATE_RANGE - (SHIP_DAYS_MAX + RECEIPT_DAYS_MAX) - 1)

/* ---- text lengths: 0.4x to 1.6x the average (TPC-H 4.2.2.7, 4.2.2.10) ---- */

typedef struct text_len {
    int32_t min, max;
} text_len;

static text_len text_len_of(double average) {
    text_len t = {(int32_t)(average * 0.4), (int32_t)(average * 1.6)};
    return t;
}

struct tpch_gen {
    double scale;
    char *pool; /* TPCH_TEXT_POOL_SIZE bytes of sentences */
    int64_t suppliers, customers, parts, orders;
    int32_t clerks;
};

/* ---- column buffers ---- */

typedef enum col_kind { COL_I32, COL_I64, COL_DEC, COL_DATE, COL_STR } col_kind;

typedef struct col_def {
    const char *name;
    col_kind kind;
} col_def;

typedef struct gen_col {
    nl_buffer *values; /* fixed-width values, or string offsets */
    nl_buffer *data;   /* string bytes */
    int32_t *offsets;  /* STR: values->data as offsets */
    int64_t n;         /* STR: strings appended */
} gen_col;

typedef struct gen_cols {
    const col_def *defs;
    int n_cols;
    bool failed;
    gen_col cols[16];
} gen_cols;

static int col_width(col_kind kind) {
    switch (kind) {
    case COL_I32:
    case COL_DATE: return 4;
    case COL_I64: return 8;
    case COL_DEC: return 16;
    case COL_STR: return 4;
    }
    return 0;
}

/* Allocates every column for up to `rows` rows; string column i starts with
 * room for str_rows * str_bytes[i] bytes and grows past it if need be. */
static bool cols_init(gen_cols *c, const col_def *defs, int n_cols, int64_t rows, int64_t str_rows,
                      const int32_t *str_bytes) {
    memset(c, 0, sizeof *c);
    c->defs = defs;
    c->n_cols = n_cols;
    for (int i = 0; i < n_cols; i++) {
        gen_col *col = &c->cols[i];
        int64_t fixed = (rows + (defs[i].kind == COL_STR)) * col_width(defs[i].kind);
        col->values = nl_buffer_new(fixed > 0 ? fixed : 1);
        if (col->values == NULL) return false;
        if (defs[i].kind == COL_STR) {
            int64_t bytes = str_rows * str_bytes[i];
            col->data = nl_buffer_new(bytes > 0 ? bytes : 1);
            if (col->data == NULL) return false;
            col->offsets = (int32_t *)col->values->data;
            col->offsets[0] = 0;
        }
    }
    return true;
}

static void cols_release(gen_cols *c) {
    for (int i = 0; i < c->n_cols; i++) {
        nl_buffer_unref(c->cols[i].values);
        nl_buffer_unref(c->cols[i].data);
    }
}

static inline void put_i32(gen_cols *c, int col, int64_t row, int32_t v) {
    ((int32_t *)c->cols[col].values->data)[row] = v;
}
static inline void put_i64(gen_cols *c, int col, int64_t row, int64_t v) {
    ((int64_t *)c->cols[col].values->data)[row] = v;
}
/* DECIMAL(15,2) from its unscaled value (cents). */
static inline void put_dec(gen_cols *c, int col, int64_t row, int64_t cents) {
    __int128 v = cents;
    memcpy(c->cols[col].values->data + row * 16, &v, 16);
}
static inline void put_date(gen_cols *c, int col, int64_t row, int32_t day_since_1992) {
    ((int32_t *)c->cols[col].values->data)[row] = EPOCH_DAYS_1992 + day_since_1992;
}

static void str_grow(gen_cols *c, gen_col *col, int64_t need) {
    int64_t cap = col->data->capacity * 2;
    if (cap < need) cap = need;
    if (cap > INT32_MAX || !nl_buffer_reserve(col->data, cap)) c->failed = true;
}

/* Appends the next string of column `col` (strings go in row order). */
static inline void put_str(gen_cols *c, int col, const char *s, int32_t len) {
    gen_col *g = &c->cols[col];
    int32_t at = g->offsets[g->n];
    if (NL_UNLIKELY((int64_t)at + len > g->data->capacity)) {
        str_grow(c, g, (int64_t)at + len);
        if (c->failed) return;
    }
    memcpy(g->data->data + at, s, (size_t)len);
    g->offsets[++g->n] = at + len;
}

/* Turns the buffers into a batch of `rows` rows; releases them either way. */
static nl_status cols_finish(gen_cols *c, nl_schema *schema, int64_t rows, nl_batch **out,
                             nl_error *err) {
    nl_array *arrays[16] = {0};
    nl_status st = NL_OK;
    if (c->failed) {
        st = nl_error_set(err, NL_ENOMEM, "tpch: out of memory generating a batch");
        goto fail;
    }
    for (int i = 0; i < c->n_cols; i++) {
        gen_col *col = &c->cols[i];
        if (c->defs[i].kind == COL_STR) {
            col->values->size = (rows + 1) * 4;
            col->data->size = col->offsets[rows];
        } else {
            col->values->size = rows * col_width(c->defs[i].kind);
        }
        st = nl_array_new(nl_type_ref(schema->fields[i].type), rows, 0, 0, NULL, col->values,
                          col->data, NULL, 0, &arrays[i], err);
        col->values = col->data = NULL; /* nl_array_new took them, even on failure */
        if (st != NL_OK) goto fail;
    }
    st = nl_batch_new(schema, arrays, rows, out, err);
    return st; /* nl_batch_new took the schema and the arrays, even on failure */
fail:
    cols_release(c);
    for (int i = 0; i < c->n_cols; i++)
        if (arrays[i] != NULL) nl_array_unref(arrays[i]);
    nl_schema_unref(schema);
    return st;
}

/* ---- small formatters (no printf in the hot loops) ---- */

/* Writes v in decimal, zero-padded to `width` digits; returns the length. */
static int fmt_padded(char *out, int64_t v, int width) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < width)
        tmp[n++] = '0';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* "Supplier#000000001": prefix and the key padded to 9 digits. */
static int fmt_named_key(char *out, const char *prefix, int64_t key) {
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    return (int)p + fmt_padded(out + p, key, 9);
}

/* ---- shared column generators (dbgen bm_utils.c, TPC-H 4.2.2) ---- */

/* A comment: a random slice of the text pool (two draws per row). Starts
 * fetching it, as the caller may do other work before copying it. */
static inline const char *text_draw(const tpch_gen *g, tpch_rng *r, text_len t, int32_t *len) {
    int32_t offset = tpch_rng_int(r, 0, TPCH_TEXT_POOL_SIZE - t.max);
    *len = tpch_rng_int(r, t.min, t.max);
    __builtin_prefetch(g->pool + offset);
    __builtin_prefetch(g->pool + offset + *len - 1);
    return g->pool + offset;
}

static inline void put_text(gen_cols *c, int col, const tpch_gen *g, tpch_rng *r, text_len t) {
    int32_t len;
    const char *text = text_draw(g, r, t, &len);
    put_str(c, col, text, len);
}

#define ALNUM_DRAWS_PER_ROW 9 /* one for the length, one per 5 characters */
static const char ALNUM[] = "0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ,";

/* An address: random characters, 6 bits of a draw each, 5 per draw. */
static void put_alnum(gen_cols *c, int col, tpch_rng *r, text_len t) {
    char buf[64];
    int32_t len = tpch_rng_int(r, t.min, t.max);
    tpch_rng chars = *r; /* the character draws are inside the row's budget */
    uint64_t bits = 0;
    for (int32_t i = 0; i < len; i++) {
        if (i % 5 == 0) bits = (uint64_t)(int64_t)tpch_rng_int(&chars, 0, INT32_MAX);
        buf[i] = ALNUM[bits & 63];
        bits >>= 6;
    }
    put_str(c, col, buf, len);
}

#define PHONE_DRAWS_PER_ROW 3
#define PHONE_COUNTRY_BASE  10
#define NATIONS_MAX         90

/* "27-918-335-1736": the country code follows the nation. */
static void put_phone(gen_cols *c, int col, tpch_rng *r, int32_t nation) {
    char buf[16];
    int n = fmt_padded(buf, PHONE_COUNTRY_BASE + nation % NATIONS_MAX, 2);
    buf[n++] = '-';
    n += fmt_padded(buf + n, tpch_rng_int(r, 100, 999), 3);
    buf[n++] = '-';
    n += fmt_padded(buf + n, tpch_rng_int(r, 100, 999), 3);
    buf[n++] = '-';
    n += fmt_padded(buf + n, tpch_rng_int(r, 1000, 9999), 4);
    put_str(c, col, buf, n);
}

static inline void put_pick(gen_cols *c, int col, const tpch_dist *d, tpch_rng *r) {
    int32_t i = tpch_dist_pick(d, r);
    put_str(c, col, d->values[i], d->lengths[i]);
}

/* TPC-H 4.2.3: P_RETAILPRICE, in cents. */
static inline int64_t part_price(int64_t partkey) {
    return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

/* TPC-H 4.2.3: the i-th (0..3) supplier of a part. */
static inline int64_t part_supplier(int64_t partkey, int64_t i, int64_t suppliers) {
    return (partkey + i * (suppliers / SUPP_PER_PART + (partkey - 1) / suppliers)) % suppliers + 1;
}

/* TPC-H 4.2.3: order keys are sparse, 8 used in every 32. */
static inline int64_t order_key(int64_t index) { return ((index >> 3) << 5) + (index & 7); }

/* ---- schemas ---- */

static const col_def REGION_COLS[] = {
    {"r_regionkey", COL_I32}, {"r_name", COL_STR}, {"r_comment", COL_STR}};
static const col_def NATION_COLS[] = {{"n_nationkey", COL_I32},
                                      {"n_name", COL_STR},
                                      {"n_regionkey", COL_I32},
                                      {"n_comment", COL_STR}};
static const col_def SUPPLIER_COLS[] = {{"s_suppkey", COL_I64}, {"s_name", COL_STR},
                                        {"s_address", COL_STR}, {"s_nationkey", COL_I32},
                                        {"s_phone", COL_STR},   {"s_acctbal", COL_DEC},
                                        {"s_comment", COL_STR}};
static const col_def CUSTOMER_COLS[] = {{"c_custkey", COL_I64},    {"c_name", COL_STR},
                                        {"c_address", COL_STR},    {"c_nationkey", COL_I32},
                                        {"c_phone", COL_STR},      {"c_acctbal", COL_DEC},
                                        {"c_mktsegment", COL_STR}, {"c_comment", COL_STR}};
static const col_def PART_COLS[] = {
    {"p_partkey", COL_I64},   {"p_name", COL_STR},        {"p_mfgr", COL_STR},
    {"p_brand", COL_STR},     {"p_type", COL_STR},        {"p_size", COL_I32},
    {"p_container", COL_STR}, {"p_retailprice", COL_DEC}, {"p_comment", COL_STR}};
static const col_def PARTSUPP_COLS[] = {{"ps_partkey", COL_I64},
                                        {"ps_suppkey", COL_I64},
                                        {"ps_availqty", COL_I64},
                                        {"ps_supplycost", COL_DEC},
                                        {"ps_comment", COL_STR}};
static const col_def ORDERS_COLS[] = {
    {"o_orderkey", COL_I64},   {"o_custkey", COL_I64},      {"o_orderstatus", COL_STR},
    {"o_totalprice", COL_DEC}, {"o_orderdate", COL_DATE},   {"o_orderpriority", COL_STR},
    {"o_clerk", COL_STR},      {"o_shippriority", COL_I32}, {"o_comment", COL_STR}};
static const col_def LINEITEM_COLS[] = {
    {"l_orderkey", COL_I64},     {"l_partkey", COL_I64},      {"l_suppkey", COL_I64},
    {"l_linenumber", COL_I64},   {"l_quantity", COL_DEC},     {"l_extendedprice", COL_DEC},
    {"l_discount", COL_DEC},     {"l_tax", COL_DEC},          {"l_returnflag", COL_STR},
    {"l_linestatus", COL_STR},   {"l_shipdate", COL_DATE},    {"l_commitdate", COL_DATE},
    {"l_receiptdate", COL_DATE}, {"l_shipinstruct", COL_STR}, {"l_shipmode", COL_STR},
    {"l_comment", COL_STR}};

typedef struct table_def {
    const char *name;
    const col_def *cols;
    int n_cols;
} table_def;

#define TABLE(name, cols)                                                                          \
    { name, cols, (int)(sizeof cols / sizeof cols[0]) }
static const table_def TABLES[TPCH_TABLE_COUNT] = {
    TABLE("region", REGION_COLS),     TABLE("nation", NATION_COLS),
    TABLE("supplier", SUPPLIER_COLS), TABLE("customer", CUSTOMER_COLS),
    TABLE("part", PART_COLS),         TABLE("partsupp", PARTSUPP_COLS),
    TABLE("orders", ORDERS_COLS),     TABLE("lineitem", LINEITEM_COLS),
};

const char *tpch_table_name(tpch_table table) {
    return (unsigned)table < TPCH_TABLE_COUNT ? TABLES[table].name : "?";
}

bool tpch_table_lookup(const char *name, tpch_table *out) {
    for (int i = 0; i < TPCH_TABLE_COUNT; i++) {
        if (strcmp(name, TABLES[i].name) == 0) {
            *out = (tpch_table)i;
            return true;
        }
    }
    return false;
}

#define DEC_PRECISION 15
#define DEC_SCALE     2

nl_schema *tpch_schema(tpch_table table) {
    const table_def *t = &TABLES[table];
    nl_field fields[16];
    for (int i = 0; i < t->n_cols; i++) {
        nl_type *type = NULL;
        switch (t->cols[i].kind) {
        case COL_I32: type = nl_type_get(NL_TYPE_INT32); break;
        case COL_I64: type = nl_type_get(NL_TYPE_INT64); break;
        case COL_DATE: type = nl_type_get(NL_TYPE_DATE32); break;
        case COL_STR: type = nl_type_get(NL_TYPE_UTF8); break;
        case COL_DEC: type = nl_type_decimal(DEC_PRECISION, DEC_SCALE); break;
        }
        if (type == NULL) {
            for (int j = 0; j < i; j++)
                nl_type_unref(fields[j].type);
            return NULL;
        }
        fields[i].name = (char *)t->cols[i].name;
        fields[i].type = type;
        fields[i].nullable = true;
    }
    return nl_schema_new(fields, t->n_cols);
}

/* ---- the generator ---- */

nl_status tpch_gen_new(double scale, tpch_gen **out, nl_error *err) {
    *out = NULL;
    if (!(scale > 0 && scale <= TPCH_MAX_SCALE))
        return nl_error_set(err, NL_EINVAL, "tpch: scale factor %g is out of range (0, %g]", scale,
                            TPCH_MAX_SCALE);
    tpch_gen *g = nl_calloc(1, sizeof *g);
    NL_CHECK_ALLOC(g, err);
    g->scale = scale;
    /* dbgen truncates base * scale, and keeps at least one supplier ... */
    g->suppliers = (int64_t)(SUPPLIER_BASE * scale);
    g->customers = (int64_t)(CUSTOMER_BASE * scale);
    g->parts = (int64_t)(PART_BASE * scale);
    g->orders = (int64_t)(ORDERS_BASE * scale);
    g->clerks = (int32_t)fmax(scale * CLERK_BASE, CLERK_BASE);
    if (g->suppliers < SUPP_PER_PART) {
        nl_free(g);
        return nl_error_set(err, NL_EINVAL,
                            "tpch: scale factor %g is too small (at least %d suppliers needed)",
                            scale, SUPP_PER_PART);
    }
    g->pool = tpch_text_pool_new();
    if (g->pool == NULL) {
        nl_free(g);
        return nl_error_set(err, NL_ENOMEM, "tpch: out of memory for the %d-byte text pool",
                            TPCH_TEXT_POOL_SIZE);
    }
    *out = g;
    return NL_OK;
}

void tpch_gen_free(tpch_gen *gen) {
    if (gen == NULL) return;
    nl_free(gen->pool);
    nl_free(gen);
}

double tpch_gen_scale(const tpch_gen *gen) { return gen->scale; }

int64_t tpch_gen_units(const tpch_gen *gen, tpch_table table) {
    switch (table) {
    case TPCH_REGION: return tpch_dist_get(TPCH_DIST_REGIONS)->count;
    case TPCH_NATION: return tpch_dist_get(TPCH_DIST_NATIONS)->count;
    case TPCH_SUPPLIER: return gen->suppliers;
    case TPCH_CUSTOMER: return gen->customers;
    case TPCH_PART:
    case TPCH_PARTSUPP: return gen->parts;
    case TPCH_ORDERS:
    case TPCH_LINEITEM: return gen->orders;
    case TPCH_TABLE_COUNT: break;
    }
    return 0;
}

int64_t tpch_gen_rows_estimate(const tpch_gen *gen, tpch_table table) {
    int64_t units = tpch_gen_units(gen, table);
    if (table == TPCH_PARTSUPP) return units * SUPP_PER_PART;
    if (table == TPCH_LINEITEM) return units * 4; /* 1..7 lines, 4 on average */
    return units;
}

/* ---- region and nation (TPC-H 4.2.3) ---- */

#define REGION_COMMENT_SEED 1500869201
#define NATION_COMMENT_SEED 606179079
#define TEXT_DRAWS_PER_ROW  2

static void gen_region(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    const tpch_dist *regions = tpch_dist_get(TPCH_DIST_REGIONS);
    text_len comment_len = text_len_of(72);
    tpch_rng comment;
    tpch_rng_init(&comment, REGION_COMMENT_SEED, TEXT_DRAWS_PER_ROW);
    tpch_rng_skip_rows(&comment, start);
    for (int64_t i = 0; i < n; i++) {
        int32_t key = (int32_t)(start + i);
        put_i32(c, 0, i, key);
        put_str(c, 1, regions->values[key], regions->lengths[key]);
        put_text(c, 2, g, &comment, comment_len);
        tpch_rng_row_done(&comment);
    }
}

static void gen_nation(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    const tpch_dist *nations = tpch_dist_get(TPCH_DIST_NATIONS);
    text_len comment_len = text_len_of(72);
    tpch_rng comment;
    tpch_rng_init(&comment, NATION_COMMENT_SEED, TEXT_DRAWS_PER_ROW);
    tpch_rng_skip_rows(&comment, start);
    for (int64_t i = 0; i < n; i++) {
        int32_t key = (int32_t)(start + i);
        put_i32(c, 0, i, key);
        put_str(c, 1, nations->values[key], nations->lengths[key]);
        put_i32(c, 2, i, nations->weights[key]);
        put_text(c, 3, g, &comment, comment_len);
        tpch_rng_row_done(&comment);
    }
}

/* ---- supplier (TPC-H 4.2.3, and 4.2.3 note on S_COMMENT for Q16) ---- */

#define ACCTBAL_MIN -99999
#define ACCTBAL_MAX 999999
/* Suppliers whose comment carries a Better Business Bureau note: 10 per
 * 10,000, half complaints and half recommendations. */
#define BBB_PER_BASE          10
#define BBB_COMPLAINT_PERCENT 50
#define BBB_BASE_TEXT         "Customer "
#define BBB_BASE_LEN          9
#define BBB_TYPE_LEN          10 /* "Complaints" and "Recommends" */

static void gen_supplier(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    tpch_rng address, nation, phone, acctbal, comment, bbb, bbb_junk, bbb_offset, bbb_type;
    tpch_rng_init(&address, 706178559, ALNUM_DRAWS_PER_ROW);
    tpch_rng_init(&nation, 110356601, 1);
    tpch_rng_init(&phone, 884434366, PHONE_DRAWS_PER_ROW);
    tpch_rng_init(&acctbal, 962338209, 1);
    tpch_rng_init(&comment, 1341315363, TEXT_DRAWS_PER_ROW);
    tpch_rng_init(&bbb, 202794285, 1);
    tpch_rng_init(&bbb_junk, 263032577, 1);
    tpch_rng_init(&bbb_offset, 715851524, 1);
    tpch_rng_init(&bbb_type, 753643799, 1);
    tpch_rng *all[] = {&address, &nation,   &phone,      &acctbal, &comment,
                       &bbb,     &bbb_junk, &bbb_offset, &bbb_type};
    const int n_streams = (int)(sizeof all / sizeof all[0]);
    for (int s = 0; s < n_streams; s++)
        tpch_rng_skip_rows(all[s], start);

    text_len address_len = text_len_of(25), comment_len = text_len_of(63);
    int32_t n_nations = tpch_dist_get(TPCH_DIST_NATIONS)->count;
    char buf[32];
    for (int64_t i = 0; i < n; i++) {
        int64_t key = start + i + 1;
        put_i64(c, 0, i, key);
        put_str(c, 1, buf, fmt_named_key(buf, "Supplier#", key));
        put_alnum(c, 2, &address, address_len);
        int32_t nation_key = tpch_rng_int(&nation, 0, n_nations - 1);
        put_i32(c, 3, i, nation_key);
        put_phone(c, 4, &phone, nation_key);
        put_dec(c, 5, i, tpch_rng_int(&acctbal, ACCTBAL_MIN, ACCTBAL_MAX));

        int32_t offset = tpch_rng_int(&comment, 0, TPCH_TEXT_POOL_SIZE - comment_len.max);
        int32_t len = tpch_rng_int(&comment, comment_len.min, comment_len.max);
        const char *text = g->pool + offset;
        char note[256];
        if (tpch_rng_int(&bbb, 1, SUPPLIER_BASE) <= BBB_PER_BASE) {
            /* "Customer ", some of the comment, then the verdict, written over
             * the comment at a random place (the length stays the same). */
            memcpy(note, text, (size_t)len);
            int32_t noise = tpch_rng_int(&bbb_junk, 0, len - (BBB_BASE_LEN + BBB_TYPE_LEN));
            int32_t at = tpch_rng_int(&bbb_offset, 0, len - (BBB_BASE_LEN + BBB_TYPE_LEN + noise));
            const char *verdict = tpch_rng_int(&bbb_type, 0, 100) < BBB_COMPLAINT_PERCENT
                                      ? "Complaints"
                                      : "Recommends";
            memcpy(note + at, BBB_BASE_TEXT, BBB_BASE_LEN);
            memcpy(note + at + BBB_BASE_LEN + noise, verdict, BBB_TYPE_LEN);
            text = note;
        }
        put_str(c, 6, text, len);
        for (int s = 0; s < n_streams; s++)
            tpch_rng_row_done(all[s]);
    }
}

/* ---- customer (TPC-H 4.2.3) ---- */

static void gen_customer(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    tpch_rng address, nation, phone, acctbal, segment, comment;
    tpch_rng_init(&address, 881155353, ALNUM_DRAWS_PER_ROW);
    tpch_rng_init(&nation, 1489529863, 1);
    tpch_rng_init(&phone, 1521138112, PHONE_DRAWS_PER_ROW);
    tpch_rng_init(&acctbal, 298370230, 1);
    tpch_rng_init(&segment, 1140279430, 1);
    tpch_rng_init(&comment, 1335826707, TEXT_DRAWS_PER_ROW);
    tpch_rng *all[] = {&address, &nation, &phone, &acctbal, &segment, &comment};
    const int n_streams = (int)(sizeof all / sizeof all[0]);
    for (int s = 0; s < n_streams; s++)
        tpch_rng_skip_rows(all[s], start);

    text_len address_len = text_len_of(25), comment_len = text_len_of(73);
    const tpch_dist *segments = tpch_dist_get(TPCH_DIST_MSEGMNT);
    int32_t n_nations = tpch_dist_get(TPCH_DIST_NATIONS)->count;
    char buf[32];
    for (int64_t i = 0; i < n; i++) {
        int64_t key = start + i + 1;
        put_i64(c, 0, i, key);
        put_str(c, 1, buf, fmt_named_key(buf, "Customer#", key));
        put_alnum(c, 2, &address, address_len);
        int32_t nation_key = tpch_rng_int(&nation, 0, n_nations - 1);
        put_i32(c, 3, i, nation_key);
        put_phone(c, 4, &phone, nation_key);
        put_dec(c, 5, i, tpch_rng_int(&acctbal, ACCTBAL_MIN, ACCTBAL_MAX));
        put_pick(c, 6, segments, &segment);
        put_text(c, 7, g, &comment, comment_len);
        for (int s = 0; s < n_streams; s++)
            tpch_rng_row_done(all[s]);
    }
}

/* ---- part (TPC-H 4.2.3) ---- */

#define PART_NAME_WORDS 5

static void gen_part(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    const tpch_dist *colors = tpch_dist_get(TPCH_DIST_COLORS);
    const tpch_dist *types = tpch_dist_get(TPCH_DIST_P_TYPES);
    const tpch_dist *containers = tpch_dist_get(TPCH_DIST_P_CNTR);
    tpch_rng name, mfgr, brand, type, size, container, comment;
    /* P_NAME shuffles the 92 colours: one draw reserved per colour. */
    tpch_rng_init(&name, 709314158, colors->count);
    tpch_rng_init(&mfgr, 1, 1);
    tpch_rng_init(&brand, 46831694, 1);
    tpch_rng_init(&type, 1841581359, 1);
    tpch_rng_init(&size, 1193163244, 1);
    tpch_rng_init(&container, 727633698, 1);
    tpch_rng_init(&comment, 804159733, TEXT_DRAWS_PER_ROW);
    tpch_rng *all[] = {&name, &mfgr, &brand, &type, &size, &container, &comment};
    const int n_streams = (int)(sizeof all / sizeof all[0]);
    for (int s = 0; s < n_streams; s++)
        tpch_rng_skip_rows(all[s], start);

    text_len comment_len = text_len_of(14);
    uint8_t order[256];
    char buf[128];
    for (int64_t i = 0; i < n; i++) {
        int64_t key = start + i + 1;
        put_i64(c, 0, i, key);

        /* P_NAME: the first five of a partial Fisher-Yates shuffle. */
        for (int k = 0; k < colors->count; k++)
            order[k] = (uint8_t)k;
        int len = 0;
        for (int k = 0; k < PART_NAME_WORDS; k++) {
            int32_t j = tpch_rng_int(&name, k, colors->count - 1);
            uint8_t t = order[k];
            order[k] = order[j];
            order[j] = t;
            if (k > 0) buf[len++] = ' ';
            memcpy(buf + len, colors->values[order[k]], colors->lengths[order[k]]);
            len += colors->lengths[order[k]];
        }
        put_str(c, 1, buf, len);

        int32_t m = tpch_rng_int(&mfgr, 1, 5);
        memcpy(buf, "Manufacturer#", 13);
        put_str(c, 2, buf, 13 + fmt_padded(buf + 13, m, 1));
        memcpy(buf, "Brand#", 6);
        put_str(c, 3, buf, 6 + fmt_padded(buf + 6, m * 10 + tpch_rng_int(&brand, 1, 5), 1));
        put_pick(c, 4, types, &type);
        put_i32(c, 5, i, tpch_rng_int(&size, 1, 50));
        put_pick(c, 6, containers, &container);
        put_dec(c, 7, i, part_price(key));
        put_text(c, 8, g, &comment, comment_len);
        for (int s = 0; s < n_streams; s++)
            tpch_rng_row_done(all[s]);
    }
}

/* ---- partsupp (TPC-H 4.2.3): four rows per part ---- */

static void gen_partsupp(const tpch_gen *g, gen_cols *c, int64_t start, int64_t n) {
    tpch_rng qty, cost, comment;
    tpch_rng_init(&qty, 1671059989, SUPP_PER_PART);
    tpch_rng_init(&cost, 1051288424, SUPP_PER_PART);
    tpch_rng_init(&comment, 1961692154, SUPP_PER_PART * TEXT_DRAWS_PER_ROW);
    tpch_rng *all[] = {&qty, &cost, &comment};
    for (int s = 0; s < 3; s++)
        tpch_rng_skip_rows(all[s], start);

    text_len comment_len = text_len_of(124);
    int64_t row = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t partkey = start + i + 1;
        for (int k = 0; k < SUPP_PER_PART; k++, row++) {
            put_i64(c, 0, row, partkey);
            put_i64(c, 1, row, part_supplier(partkey, k, g->suppliers));
            put_i64(c, 2, row, tpch_rng_int(&qty, 1, 9999));
            put_dec(c, 3, row, tpch_rng_int(&cost, 100, 100000));
            put_text(c, 4, g, &comment, comment_len);
        }
        for (int s = 0; s < 3; s++)
            tpch_rng_row_done(all[s]);
    }
}

/* ---- orders and lineitem (TPC-H 4.2.3) ---- */

/* One customer in three places no orders: keys divisible by 3 move to a
 * neighbour. */
#define CUSTOMER_MORTALITY 3

typedef struct order_streams {
    /* the order's own */
    tpch_rng date, lines, cust, prio, clerk, comment;
    /* one draw per line item, LINES_PER_ORDER_MAX reserved per order */
    tpch_rng qty, disc, tax, part, supp, ship, commit, receipt, rflag, instr, mode, lcomment;
} order_streams;

#define ORDER_STREAM_COUNT (sizeof(order_streams) / sizeof(tpch_rng))

static void order_streams_init(order_streams *s, int64_t start) {
    tpch_rng_init(&s->date, 1066728069, 1);
    tpch_rng_init(&s->lines, 1434868289, 1);
    tpch_rng_init(&s->cust, 851767375, 1);
    tpch_rng_init(&s->prio, 591449447, 1);
    tpch_rng_init(&s->clerk, 1171034773, 1);
    tpch_rng_init(&s->comment, 276090261, TEXT_DRAWS_PER_ROW);
    tpch_rng_init(&s->qty, 209208115, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->disc, 554590007, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->tax, 721958466, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->part, 1808217256, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->supp, 2095021727, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->ship, 1769349045, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->commit, 904914315, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->receipt, 373135028, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->rflag, 717419739, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->instr, 1371272478, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->mode, 675466456, LINES_PER_ORDER_MAX);
    tpch_rng_init(&s->lcomment, 1095462486, LINES_PER_ORDER_MAX * TEXT_DRAWS_PER_ROW);
    tpch_rng *all = (tpch_rng *)s;
    for (size_t k = 0; k < ORDER_STREAM_COUNT; k++)
        tpch_rng_skip_rows(&all[k], start);
}

static void order_streams_row_done(order_streams *s) {
    tpch_rng *all = (tpch_rng *)s;
    for (size_t k = 0; k < ORDER_STREAM_COUNT; k++)
        tpch_rng_row_done(&all[k]);
}

/* Generates orders [start, start + n) into `orders` and/or their lines into
 * `lines` (either may be NULL); returns the number of line items. */
static int64_t gen_orders_lines(const tpch_gen *g, gen_cols *orders, gen_cols *lines, int64_t start,
                                int64_t n) {
    order_streams s;
    order_streams_init(&s, start);
    const tpch_dist *prios = tpch_dist_get(TPCH_DIST_O_OPRIO);
    const tpch_dist *rflags = tpch_dist_get(TPCH_DIST_RFLAG);
    const tpch_dist *instrs = tpch_dist_get(TPCH_DIST_INSTRUCT);
    const tpch_dist *modes = tpch_dist_get(TPCH_DIST_SMODE);
    text_len comment_len = text_len_of(49), lcomment_len = text_len_of(27);
    int32_t max_part = (int32_t)g->parts, max_cust = (int32_t)g->customers;
    int64_t row = 0;
    char buf[32];

    for (int64_t i = 0; i < n; i++) {
        int64_t okey = order_key(start + i + 1);
        int32_t odate = tpch_rng_int(&s.date, 0, ORDER_DAY_MAX);
        int32_t n_lines = tpch_rng_int(&s.lines, 1, LINES_PER_ORDER_MAX);
        int64_t total = 0;
        int shipped = 0;
        /* The comments are cut from random places of a 300 MiB pool: draw
         * them first and prefetch, so the misses overlap the other draws. */
        const char *text[LINES_PER_ORDER_MAX + 1];
        int32_t text_len[LINES_PER_ORDER_MAX + 1];
        if (lines != NULL) {
            for (int l = 0; l < n_lines; l++)
                text[l] = text_draw(g, &s.lcomment, lcomment_len, &text_len[l]);
        }
        if (orders != NULL)
            text[LINES_PER_ORDER_MAX] =
                text_draw(g, &s.comment, comment_len, &text_len[LINES_PER_ORDER_MAX]);
        for (int l = 0; l < n_lines; l++) {
            int32_t qty = tpch_rng_int(&s.qty, 1, 50);
            int32_t disc = tpch_rng_int(&s.disc, 0, 10);
            int32_t tax = tpch_rng_int(&s.tax, 0, 8);
            int64_t partkey = tpch_rng_int(&s.part, 1, max_part);
            int64_t price = part_price(partkey) * qty;
            total += price * (100 - disc) / 100 * (100 + tax) / 100;
            int32_t ship = odate + tpch_rng_int(&s.ship, 1, SHIP_DAYS_MAX);
            shipped += ship <= CURRENT_DAY;
            if (lines == NULL) continue;

            int32_t supp_number = tpch_rng_int(&s.supp, 0, SUPP_PER_PART - 1);
            int32_t commit = odate + tpch_rng_int(&s.commit, COMMIT_DAYS_MIN, COMMIT_DAYS_MAX);
            int32_t receipt = ship + tpch_rng_int(&s.receipt, 1, RECEIPT_DAYS_MAX);
            put_i64(lines, 0, row, okey);
            put_i64(lines, 1, row, partkey);
            put_i64(lines, 2, row, part_supplier(partkey, supp_number, g->suppliers));
            put_i64(lines, 3, row, l + 1);
            put_dec(lines, 4, row, (int64_t)qty * 100);
            put_dec(lines, 5, row, price);
            put_dec(lines, 6, row, disc);
            put_dec(lines, 7, row, tax);
            if (receipt <= CURRENT_DAY)
                put_pick(lines, 8, rflags, &s.rflag);
            else
                put_str(lines, 8, "N", 1);
            put_str(lines, 9, ship <= CURRENT_DAY ? "F" : "O", 1);
            put_date(lines, 10, row, ship);
            put_date(lines, 11, row, commit);
            put_date(lines, 12, row, receipt);
            put_pick(lines, 13, instrs, &s.instr);
            put_pick(lines, 14, modes, &s.mode);
            put_str(lines, 15, text[l], text_len[l]);
            row++;
        }
        if (orders != NULL) {
            int32_t cust = tpch_rng_int(&s.cust, 1, max_cust);
            for (int delta = 1; cust % CUSTOMER_MORTALITY == 0; delta = -delta) {
                cust += delta;
                if (cust > max_cust) cust = max_cust;
            }
            put_i64(orders, 0, i, okey);
            put_i64(orders, 1, i, cust);
            put_str(orders, 2, shipped == n_lines ? "F" : shipped > 0 ? "P" : "O", 1);
            put_dec(orders, 3, i, total);
            put_date(orders, 4, i, odate);
            put_pick(orders, 5, prios, &s.prio);
            put_str(orders, 6, buf,
                    fmt_named_key(buf, "Clerk#", tpch_rng_int(&s.clerk, 1, g->clerks)));
            put_i32(orders, 7, i, 0);
            put_str(orders, 8, text[LINES_PER_ORDER_MAX], text_len[LINES_PER_ORDER_MAX]);
        }
        order_streams_row_done(&s);
    }
    return row;
}

/* ---- batches ---- */

/* Expected bytes per row of each string column, to size the buffers. */
static void str_estimates(tpch_table table, int32_t *bytes) {
    const table_def *t = &TABLES[table];
    for (int i = 0; i < t->n_cols; i++)
        bytes[i] = 16;
    switch (table) {
    case TPCH_REGION:
    case TPCH_NATION: bytes[t->n_cols - 1] = 115; break;
    case TPCH_SUPPLIER:
        bytes[2] = 40;
        bytes[6] = 100;
        break;
    case TPCH_CUSTOMER:
        bytes[2] = 40;
        bytes[7] = 116;
        break;
    case TPCH_PART:
        bytes[1] = 56;
        bytes[8] = 22;
        break;
    case TPCH_PARTSUPP: bytes[4] = 198; break;
    case TPCH_ORDERS: bytes[8] = 78; break;
    case TPCH_LINEITEM: bytes[15] = 43; break;
    case TPCH_TABLE_COUNT: break;
    }
}

nl_status tpch_gen_batch(const tpch_gen *gen, tpch_table table, int64_t start, int64_t count,
                         nl_batch **out, nl_error *err) {
    *out = NULL;
    if ((unsigned)table >= TPCH_TABLE_COUNT)
        return nl_error_set(err, NL_EINVAL, "tpch: no table %d", (int)table);
    int64_t units = tpch_gen_units(gen, table);
    if (start < 0 || count < 0 || start > units || count > units - start)
        return nl_error_set(err, NL_EINVAL, "tpch: rows [%lld, %lld) are outside %s's %lld units",
                            (long long)start, (long long)(start + count), tpch_table_name(table),
                            (long long)units);
    int64_t cap = count;
    if (table == TPCH_PARTSUPP) cap = count * SUPP_PER_PART;
    if (table == TPCH_LINEITEM) cap = count * LINES_PER_ORDER_MAX;

    nl_schema *schema = tpch_schema(table);
    NL_CHECK_ALLOC(schema, err);
    int32_t str_bytes[16];
    str_estimates(table, str_bytes);
    /* a lineitem chunk averages 4 lines per order: size strings for that */
    int64_t str_rows = table == TPCH_LINEITEM ? count * 4 + 8 : cap;
    gen_cols c;
    if (!cols_init(&c, TABLES[table].cols, TABLES[table].n_cols, cap, str_rows, str_bytes)) {
        cols_release(&c);
        nl_schema_unref(schema);
        return nl_error_set(err, NL_ENOMEM, "tpch: out of memory for %lld %s rows", (long long)cap,
                            tpch_table_name(table));
    }
    int64_t rows = cap;
    switch (table) {
    case TPCH_REGION: gen_region(gen, &c, start, count); break;
    case TPCH_NATION: gen_nation(gen, &c, start, count); break;
    case TPCH_SUPPLIER: gen_supplier(gen, &c, start, count); break;
    case TPCH_CUSTOMER: gen_customer(gen, &c, start, count); break;
    case TPCH_PART: gen_part(gen, &c, start, count); break;
    case TPCH_PARTSUPP: gen_partsupp(gen, &c, start, count); break;
    case TPCH_ORDERS: gen_orders_lines(gen, &c, NULL, start, count); break;
    case TPCH_LINEITEM: rows = gen_orders_lines(gen, NULL, &c, start, count); break;
    case TPCH_TABLE_COUNT: break;
    }
    return cols_finish(&c, schema, rows, out, err);
}
