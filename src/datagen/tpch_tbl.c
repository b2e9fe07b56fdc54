/*
 * tpch_tbl.c -- writing batches in dbgen's .tbl text format: one line per
 * row, every value followed by '|'. Loaders of other systems read it, and it
 * makes a generated table easy to diff against dbgen's own output.
 *
 * Only the types the TPC-H tables use are formatted (integers, DATE,
 * DECIMAL, UTF8); values are assembled in a block and written with fwrite.
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "datagen/tpch.h"

#define TBL_BLOCK     65536
#define TBL_VALUE_MAX 64 /* longest formatted number or date, with room */

typedef struct tbl_out {
    FILE *f;
    size_t len;
    bool failed;
    char buf[TBL_BLOCK];
} tbl_out;

static void tbl_flush(tbl_out *o) {
    if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len) o->failed = true;
    o->len = 0;
}

/* Makes room for n more bytes; false when n cannot fit at all. */
static bool tbl_room(tbl_out *o, size_t n) {
    if (o->len + n > TBL_BLOCK) tbl_flush(o);
    return n <= TBL_BLOCK;
}

static void tbl_bytes(tbl_out *o, const char *s, size_t n) {
    if (tbl_room(o, n)) {
        memcpy(o->buf + o->len, s, n);
        o->len += n;
    } else { /* a huge value: write it through */
        tbl_flush(o);
        if (fwrite(s, 1, n, o->f) != n) o->failed = true;
    }
}

/* Unsigned decimal digits of v, into the end of tmp; returns the start. */
static char *tbl_digits(char *end, unsigned __int128 v, int min_digits) {
    char *p = end;
    do {
        *--p = (char)('0' + (int)(v % 10));
        v /= 10;
        min_digits--;
    } while (v > 0 || min_digits > 0);
    return p;
}

static void tbl_int(tbl_out *o, __int128 v, int scale) {
    char tmp[TBL_VALUE_MAX], *end = tmp + sizeof tmp, *p;
    unsigned __int128 mag =
        v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    if (scale > 0) {
        unsigned __int128 pow = 1;
        for (int i = 0; i < scale; i++)
            pow *= 10;
        p = tbl_digits(end, mag % pow, scale);
        *--p = '.';
        p = tbl_digits(p, mag / pow, 1);
    } else {
        p = tbl_digits(end, mag, 1);
    }
    if (v < 0) *--p = '-';
    tbl_bytes(o, p, (size_t)(end - p));
}

/* Days since 1970-01-01 to a proleptic Gregorian date: count in 400-year eras
 * that start on March 1st, so the leap day falls at the end of a year. */
static void tbl_date(tbl_out *o, int32_t days) {
    int64_t z = (int64_t)days + 719468; /* days from 0000-03-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    char tmp[TBL_VALUE_MAX];
    int n = snprintf(tmp, sizeof tmp, "%04lld-%02lld-%02lld", (long long)year, (long long)month,
                     (long long)day);
    tbl_bytes(o, tmp, (size_t)n);
}

nl_status tpch_write_tbl(FILE *out, const nl_batch *batch, nl_error *err) {
    for (int32_t c = 0; c < batch->n_columns; c++) {
        nl_type_id id = batch->columns[c]->type->id;
        if (id != NL_TYPE_INT32 && id != NL_TYPE_INT64 && id != NL_TYPE_DATE32 &&
            id != NL_TYPE_DECIMAL128 && id != NL_TYPE_UTF8)
            return nl_error_set(err, NL_ENOTSUP, "tbl: column '%s' has a type .tbl does not take",
                                batch->schema->fields[c].name);
    }
    tbl_out *o = nl_malloc(sizeof *o); /* 64 KB: not on the stack */
    NL_CHECK_ALLOC(o, err);
    o->f = out;
    o->len = 0;
    o->failed = false;
    for (int64_t r = 0; r < batch->num_rows; r++) {
        for (int32_t c = 0; c < batch->n_columns; c++) {
            const nl_array *a = batch->columns[c];
            if (nl_array_is_valid(a, r)) {
                switch (a->type->id) {
                case NL_TYPE_INT32: tbl_int(o, NL_ARRAY_VALUES(a, int32_t)[r], 0); break;
                case NL_TYPE_INT64: tbl_int(o, NL_ARRAY_VALUES(a, int64_t)[r], 0); break;
                case NL_TYPE_DATE32: tbl_date(o, NL_ARRAY_VALUES(a, int32_t)[r]); break;
                case NL_TYPE_DECIMAL128: tbl_int(o, nl_array_decimal(a, r), a->type->scale); break;
                case NL_TYPE_UTF8: {
                    int32_t len;
                    const char *s = nl_array_str(a, r, &len);
                    tbl_bytes(o, s, (size_t)len);
                    break;
                }
                default: break;
                }
            }
            tbl_bytes(o, "|", 1);
        }
        tbl_bytes(o, "\n", 1);
    }
    tbl_flush(o);
    bool failed = o->failed;
    nl_free(o);
    if (failed) return nl_error_set(err, NL_EIO, "tbl: write failed");
    return NL_OK;
}
