/*
 * print_formats.c -- results as CSV, JSON (one array of objects), NDJSON and
 * markdown: the machine-readable twins of the table layout in print.c.
 *
 * Every row is written (no eliding), values at full precision:
 *   CSV       RFC 4180: a header line, fields quoted only when they hold a comma,
 *             a quote, CR or LF; null is the empty field; temporal values in ISO
 *             8601 with a 'T' (as Polars' write_csv); lists and structs as their
 *             JSON text.
 *   JSON      numbers as numbers (NaN and infinities as null), decimals as
 *             strings, temporal values as Polars' write_json writes them, durations
 *             as integers in their unit, lists as arrays, structs as objects.
 *   markdown  a GitHub table of the values as the table layout shows them, '|'
 *             escaped, columns padded to their display width.
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/print_internal.h"

/* ---- scalar text shared by CSV and JSON ------------------------------------------ */

/* Floats at full precision: shortest round-trip digits, ".0" when integral. */
static void pf_float(nl_strbuf *sb, double v) {
    size_t start = sb->len;
    nl_print_double_plain(sb, v);
    if (!isfinite(v) || sb->failed) return;
    if (!memchr(sb->data + start, '.', sb->len - start)) nl_strbuf_puts(sb, ".0");
}

static int pf_unit_digits(nl_time_unit unit) {
    switch (unit) {
    case NL_UNIT_SECOND: return 0;
    case NL_UNIT_MILLI: return 3;
    case NL_UNIT_MICRO: return 6;
    case NL_UNIT_NANO: return 9;
    }
    return 0;
}

static int64_t pf_per_second(nl_time_unit unit) {
    static const int64_t per[] = {1, 1000, 1000000, 1000000000};
    return per[unit];
}

static int64_t pf_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* ISO 8601 with the unit's digits, as Polars writes them: naive values with
 * `naive_sep` between date and time (CSV 'T', JSON ' '), tz-aware ones in
 * local time with 'T' and the offset (+HH:MM, or +HHMM when !colon). */
static void pf_timestamp(nl_strbuf *sb, int64_t v, nl_time_unit unit, const char *tz,
                         nl_print_ctx *ctx, char naive_sep, bool colon) {
    int64_t per = pf_per_second(unit);
    int64_t secs = pf_floor_div(v, per);
    int64_t frac = v - secs * per;
    int32_t off = 0;
    const char *abbr = NULL;
    bool zoned = tz && nl_print_zone_offset(ctx, tz, secs, &off, &abbr);
    int64_t local = secs + off;
    int64_t days = pf_floor_div(local, 86400);
    int64_t sod = local - days * 86400;
    nl_print_date(sb, days);
    nl_strbuf_printf(sb, "%c%02lld:%02lld:%02lld", tz ? 'T' : naive_sep, (long long)(sod / 3600),
                     (long long)(sod / 60 % 60), (long long)(sod % 60));
    int digits = pf_unit_digits(unit);
    if (digits) nl_strbuf_printf(sb, ".%0*lld", digits, (long long)frac);
    if (zoned) {
        int32_t a = off < 0 ? -off : off;
        nl_strbuf_printf(sb, colon ? "%c%02d:%02d" : "%c%02d%02d", off < 0 ? '-' : '+', a / 3600,
                         a / 60 % 60);
    } else if (tz) {
        nl_strbuf_puts(sb, tz);
    }
}

/* HH:MM:SS.fffffffff: nine digits whatever the unit, as Polars (whose times
 * are nanoseconds) writes them. */
static void pf_time(nl_strbuf *sb, int64_t v, nl_time_unit unit) {
    int64_t per = pf_per_second(unit);
    int64_t secs = pf_floor_div(v, per);
    int64_t frac = v - secs * per;
    secs %= 86400;
    if (secs < 0) secs += 86400;
    nl_strbuf_printf(sb, "%02lld:%02lld:%02lld.%09lld", (long long)(secs / 3600),
                     (long long)(secs / 60 % 60), (long long)(secs % 60),
                     (long long)(frac * (1000000000 / per)));
}

/* ---- JSON ------------------------------------------------------------------------- */

static void pf_json_string(nl_strbuf *sb, const char *s, size_t len) {
    nl_strbuf_putc(sb, '"');
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        switch (c) {
        case '"': nl_strbuf_puts(sb, "\\\""); break;
        case '\\': nl_strbuf_puts(sb, "\\\\"); break;
        case '\n': nl_strbuf_puts(sb, "\\n"); break;
        case '\r': nl_strbuf_puts(sb, "\\r"); break;
        case '\t': nl_strbuf_puts(sb, "\\t"); break;
        case '\b': nl_strbuf_puts(sb, "\\b"); break;
        case '\f': nl_strbuf_puts(sb, "\\f"); break;
        default:
            if (c < 0x20)
                nl_strbuf_printf(sb, "\\u%04x", c);
            else
                nl_strbuf_putc(sb, (char)c);
        }
    }
    nl_strbuf_putc(sb, '"');
}

/* Binary as a JSON string of its bytes, non-ASCII bytes as \u00XX. */
static void pf_json_binary(nl_strbuf *sb, const char *s, size_t len) {
    nl_strbuf_putc(sb, '"');
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '"' || c == '\\')
            nl_strbuf_printf(sb, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            nl_strbuf_printf(sb, "\\u%04x", c);
        else
            nl_strbuf_putc(sb, (char)c);
    }
    nl_strbuf_putc(sb, '"');
}

static void pf_json_value(nl_strbuf *sb, const nl_array *a, int64_t i, nl_print_ctx *ctx) {
    if (nl_array_is_null(a, i)) {
        nl_strbuf_puts(sb, "null");
        return;
    }
    const nl_type *t = a->type;
    switch (t->id) {
    case NL_TYPE_FLOAT32:
    case NL_TYPE_FLOAT64: {
        double v = t->id == NL_TYPE_FLOAT32 ? (double)NL_ARRAY_VALUES(a, float)[i]
                                            : NL_ARRAY_VALUES(a, double)[i];
        if (isfinite(v))
            pf_float(sb, v);
        else
            nl_strbuf_puts(sb, "null");
        return;
    }
    case NL_TYPE_UTF8: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        pf_json_string(sb, s, (size_t)len);
        return;
    }
    case NL_TYPE_BINARY: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        pf_json_binary(sb, s, (size_t)len);
        return;
    }
    case NL_TYPE_DATE32:
        nl_strbuf_putc(sb, '"');
        nl_print_date(sb, NL_ARRAY_VALUES(a, int32_t)[i]);
        nl_strbuf_putc(sb, '"');
        return;
    case NL_TYPE_TIME64:
        nl_strbuf_putc(sb, '"');
        pf_time(sb, NL_ARRAY_VALUES(a, int64_t)[i], t->unit);
        nl_strbuf_putc(sb, '"');
        return;
    case NL_TYPE_TIMESTAMP:
        nl_strbuf_putc(sb, '"');
        pf_timestamp(sb, NL_ARRAY_VALUES(a, int64_t)[i], t->unit, t->timezone, ctx, ' ', true);
        nl_strbuf_putc(sb, '"');
        return;
    case NL_TYPE_DECIMAL128: /* as a string, as Polars writes it: exact for any reader */
        nl_strbuf_putc(sb, '"');
        nl_print_decimal(sb, nl_array_decimal(a, i), t->scale);
        nl_strbuf_putc(sb, '"');
        return;
    case NL_TYPE_DURATION:
        nl_strbuf_printf(sb, "%lld", (long long)NL_ARRAY_VALUES(a, int64_t)[i]);
        return;
    case NL_TYPE_LIST: {
        int64_t start, end;
        nl_array_list_range(a, i, &start, &end);
        nl_strbuf_putc(sb, '[');
        for (int64_t k = start; k < end; k++) {
            if (k > start) nl_strbuf_putc(sb, ',');
            pf_json_value(sb, a->children[0], k, ctx);
        }
        nl_strbuf_putc(sb, ']');
        return;
    }
    case NL_TYPE_STRUCT:
        nl_strbuf_putc(sb, '{');
        for (int32_t k = 0; k < a->n_children && k < t->n_children; k++) {
            if (k) nl_strbuf_putc(sb, ',');
            const char *name = t->children[k].name ? t->children[k].name : "";
            pf_json_string(sb, name, strlen(name));
            nl_strbuf_putc(sb, ':');
            pf_json_value(sb, a->children[k], a->offset + i, ctx);
        }
        nl_strbuf_putc(sb, '}');
        return;
    default:
        /* booleans, integers and decimals print the same as in the table */
        nl_print_value(sb, a, i, true, ctx);
        return;
    }
}

static void pf_json_row(nl_strbuf *sb, const nl_batch *batch, int64_t r, nl_print_ctx *ctx) {
    nl_strbuf_putc(sb, '{');
    for (int32_t c = 0; c < batch->schema->n_fields; c++) {
        if (c) nl_strbuf_putc(sb, ',');
        const char *name = batch->schema->fields[c].name;
        pf_json_string(sb, name, strlen(name));
        nl_strbuf_putc(sb, ':');
        pf_json_value(sb, batch->columns[c], r, ctx);
    }
    nl_strbuf_putc(sb, '}');
}

void nl_print_json_batch(nl_strbuf *sb, const nl_batch *batch, bool ndjson, bool *first,
                         nl_print_ctx *ctx) {
    for (int64_t r = 0; r < batch->num_rows; r++) {
        if (!ndjson && !*first) nl_strbuf_putc(sb, ',');
        *first = false;
        pf_json_row(sb, batch, r, ctx);
        if (ndjson) nl_strbuf_putc(sb, '\n');
    }
}

nl_status nl_print_json(nl_strbuf *sb, const nl_table *t, bool ndjson, nl_error *err) {
    nl_print_ctx ctx;
    nl_print_ctx_init(&ctx);
    bool first = true;
    if (!ndjson) nl_strbuf_putc(sb, '[');
    for (int64_t b = 0; b < t->n_batches; b++)
        nl_print_json_batch(sb, t->batches[b], ndjson, &first, &ctx);
    if (!ndjson) nl_strbuf_puts(sb, "]\n");
    nl_print_ctx_clear(&ctx);
    if (sb->failed) return nl_error_set(err, NL_ENOMEM, "out of memory writing JSON");
    return NL_OK;
}

/* ---- CSV ----------------------------------------------------------------------- */

static void pf_csv_field(nl_strbuf *sb, const char *s, size_t len) {
    bool quote = false;
    for (size_t k = 0; k < len && !quote; k++)
        quote = s[k] == ',' || s[k] == '"' || s[k] == '\n' || s[k] == '\r';
    if (!quote) {
        nl_strbuf_append(sb, s, len);
        return;
    }
    nl_strbuf_putc(sb, '"');
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '"') nl_strbuf_putc(sb, '"');
        nl_strbuf_putc(sb, s[k]);
    }
    nl_strbuf_putc(sb, '"');
}

static void pf_csv_value(nl_strbuf *sb, nl_strbuf *tmp, const nl_array *a, int64_t i,
                         nl_print_ctx *ctx) {
    if (nl_array_is_null(a, i)) return;
    const nl_type *t = a->type;
    nl_strbuf_clear(tmp);
    switch (t->id) {
    case NL_TYPE_FLOAT32: pf_float(tmp, (double)NL_ARRAY_VALUES(a, float)[i]); break;
    case NL_TYPE_FLOAT64: pf_float(tmp, NL_ARRAY_VALUES(a, double)[i]); break;
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        pf_csv_field(sb, s, (size_t)len);
        return;
    }
    case NL_TYPE_TIME64: pf_time(tmp, NL_ARRAY_VALUES(a, int64_t)[i], t->unit); break;
    case NL_TYPE_TIMESTAMP:
        pf_timestamp(tmp, NL_ARRAY_VALUES(a, int64_t)[i], t->unit, t->timezone, ctx, 'T', false);
        break;
    case NL_TYPE_DURATION:
        nl_strbuf_printf(tmp, "%lld", (long long)NL_ARRAY_VALUES(a, int64_t)[i]);
        break;
    case NL_TYPE_LIST:
    case NL_TYPE_STRUCT: pf_json_value(tmp, a, i, ctx); break;
    default: nl_print_value(tmp, a, i, false, ctx); break;
    }
    pf_csv_field(sb, tmp->data ? tmp->data : "", tmp->len);
}

void nl_print_csv_header(nl_strbuf *sb, const nl_schema *schema) {
    for (int32_t c = 0; c < schema->n_fields; c++) {
        if (c) nl_strbuf_putc(sb, ',');
        const char *name = schema->fields[c].name;
        pf_csv_field(sb, name, strlen(name));
    }
    nl_strbuf_putc(sb, '\n');
}

void nl_print_csv_batch(nl_strbuf *sb, const nl_batch *batch, nl_print_ctx *ctx) {
    nl_strbuf tmp = NL_STRBUF_INIT;
    for (int64_t r = 0; r < batch->num_rows; r++) {
        for (int32_t c = 0; c < batch->n_columns; c++) {
            if (c) nl_strbuf_putc(sb, ',');
            pf_csv_value(sb, &tmp, batch->columns[c], r, ctx);
        }
        nl_strbuf_putc(sb, '\n');
    }
    if (tmp.failed) sb->failed = true;
    nl_strbuf_free(&tmp);
}

nl_status nl_print_csv(nl_strbuf *sb, const nl_table *t, nl_error *err) {
    nl_print_csv_header(sb, t->schema);
    nl_print_ctx ctx;
    nl_print_ctx_init(&ctx);
    for (int64_t b = 0; b < t->n_batches; b++)
        nl_print_csv_batch(sb, t->batches[b], &ctx);
    nl_print_ctx_clear(&ctx);
    if (sb->failed) return nl_error_set(err, NL_ENOMEM, "out of memory writing CSV");
    return NL_OK;
}

/* ---- markdown ----------------------------------------------------------------------- */

/* A cell's text for markdown: '|' escaped, line breaks as <br>. */
static char *pf_md_cell(const char *s, size_t len) {
    nl_strbuf sb = NL_STRBUF_INIT;
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '|')
            nl_strbuf_puts(&sb, "\\|");
        else if (s[k] == '\n')
            nl_strbuf_puts(&sb, "<br>");
        else if (s[k] != '\r')
            nl_strbuf_putc(&sb, s[k]);
    }
    if (sb.len == 0) nl_strbuf_puts(&sb, "");
    return nl_strbuf_take(&sb);
}

nl_status nl_print_markdown(nl_strbuf *sb, const nl_table *t, nl_error *err) {
    int64_t n_cols = t->schema->n_fields, n_rows = t->num_rows;
    int64_t n_cells = (n_rows + 1) * n_cols;
    char **cells = nl_calloc((size_t)(n_cells ? n_cells : 1), sizeof *cells);
    int64_t *widths = nl_calloc((size_t)(n_cols ? n_cols : 1), sizeof *widths);
    nl_print_ctx ctx;
    nl_print_ctx_init(&ctx);
    nl_status st = NL_OK;
    if (!cells || !widths) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory writing markdown");
        goto done;
    }
    for (int64_t c = 0; c < n_cols; c++) {
        const char *name = t->schema->fields[c].name;
        cells[c] = pf_md_cell(name, strlen(name));
    }
    int64_t row = 1;
    nl_strbuf tmp = NL_STRBUF_INIT;
    for (int64_t b = 0; b < t->n_batches; b++) {
        const nl_batch *batch = t->batches[b];
        for (int64_t r = 0; r < batch->num_rows; r++, row++) {
            for (int64_t c = 0; c < n_cols; c++) {
                nl_strbuf_clear(&tmp);
                nl_print_value(&tmp, batch->columns[c], r, false, &ctx);
                cells[row * n_cols + c] = pf_md_cell(tmp.data ? tmp.data : "", tmp.len);
            }
        }
    }
    nl_strbuf_free(&tmp);
    for (int64_t k = 0; k < n_cells; k++) {
        if (!cells[k]) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory writing markdown");
            goto done;
        }
        int64_t w = nl_display_width(cells[k], strlen(cells[k]));
        if (w > widths[k % n_cols]) widths[k % n_cols] = w;
    }
    for (int64_t c = 0; c < n_cols; c++)
        if (widths[c] < 3) widths[c] = 3; /* room for "---" */
    for (int64_t r = 0; r <= n_rows; r++) {
        nl_strbuf_putc(sb, '|');
        for (int64_t c = 0; c < n_cols; c++) {
            const char *s = cells[r * n_cols + c];
            int64_t w = nl_display_width(s, strlen(s));
            nl_strbuf_putc(sb, ' ');
            nl_strbuf_puts(sb, s);
            nl_strbuf_repeat(sb, " ", (size_t)(widths[c] - w + 1));
            nl_strbuf_putc(sb, '|');
        }
        nl_strbuf_putc(sb, '\n');
        if (r == 0) {
            nl_strbuf_putc(sb, '|');
            for (int64_t c = 0; c < n_cols; c++) {
                nl_strbuf_putc(sb, ' ');
                nl_strbuf_repeat(sb, "-", (size_t)widths[c]);
                nl_strbuf_puts(sb, " |");
            }
            nl_strbuf_putc(sb, '\n');
        }
    }
done:
    if (cells)
        for (int64_t k = 0; k < n_cells; k++)
            nl_free(cells[k]);
    nl_free(cells);
    nl_free(widths);
    nl_print_ctx_clear(&ctx);
    if (st == NL_OK && sb->failed)
        st = nl_error_set(err, NL_ENOMEM, "out of memory writing markdown");
    return st;
}
