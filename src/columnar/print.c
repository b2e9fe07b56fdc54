/*
 * print.c -- printing a table as Polars prints a DataFrame.
 *
 * Polars builds a comfy-table Table (preset UTF8_FULL_CONDENSED, "dynamic"
 * content arrangement) from cell strings and per-column width constraints, and
 * comfy-table fits it to the terminal by wrapping cells. Matching it byte for
 * byte means doing the same three steps the same way:
 *
 *   1. pick the cells: head and tail rows around a "…" row past max_rows, first
 *      and last columns around a "…" column past max_cols, each string cut to
 *      max_str_len characters plus "…" (pt_collect);
 *   2. constrain each column as Polars does, from its own rough width estimate
 *      (pt_constraints), then arrange widths as comfy-table's dynamic
 *      arrangement does (pt_arrange: fixed columns, lower bounds, columns that
 *      fit the average, the space saved by splitting, the rest shared out);
 *   3. split cells that are too wide at spaces, then at graphemes (pt_split_line),
 *      pad, and draw the frame (pt_draw).
 *
 * This file makes Polars' choices (steps 1 and 2's constraints, its settings,
 * the shape line) and prints streams; print_layout.c does what comfy-table
 * does (the arrangement, splitting and drawing). The other formats (CSV, JSON,
 * NDJSON, markdown) live in print_formats.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/arrow_c.h"
#include "columnar/print_internal.h"

#define PT_DEFAULT_ROWS    10
#define PT_DEFAULT_COLS    8
#define PT_DEFAULT_STR_LEN 30
#define PT_FALLBACK_WIDTH  100
#define PT_MIN_COL_WIDTH   5 /* Polars: max(5, 3 + padding) */

/* ---- options ------------------------------------------------------------- */

nl_print_options nl_print_options_default(void) {
    nl_print_options o = {-1, -1, -1, -1};
    return o;
}

/* Polars' parse_env_var_limit: an integer, negative meaning "no limit". */
static int pt_env_limit(const char *name, int dflt) {
    const char *s = getenv(name);
    if (!s || !*s) return dflt;
    char *end;
    long long n = strtoll(s, &end, 10);
    if (*end != 0) return dflt;
    if (n < 0 || n > INT_MAX) return INT_MAX;
    return (int)n;
}

nl_print_options nl_print_options_resolve(const nl_print_options *options) {
    nl_print_options in = options ? *options : nl_print_options_default();
    nl_print_options o;
    o.max_rows =
        in.max_rows >= 0 ? in.max_rows : pt_env_limit("POLARS_FMT_MAX_ROWS", PT_DEFAULT_ROWS);
    o.max_cols =
        in.max_cols >= 0 ? in.max_cols : pt_env_limit("POLARS_FMT_MAX_COLS", PT_DEFAULT_COLS);
    o.max_str_len = in.max_str_len >= 0 ? in.max_str_len
                                        : pt_env_limit("POLARS_FMT_STR_LEN", PT_DEFAULT_STR_LEN);
    if (in.table_width >= 0) {
        o.table_width = in.table_width;
    } else {
        /* POLARS_TABLE_WIDTH: negative means as wide as comfy-table allows */
        int w = pt_env_limit("POLARS_TABLE_WIDTH", 0);
        o.table_width = w > UINT16_MAX ? UINT16_MAX : w;
    }
    return o;
}

/* Polars' other table settings, read from the environment as Polars reads
 * them (a flag is on when its variable is "1"). */
typedef struct pt_style {
    bool hide_names, hide_dtypes, hide_separator, inline_dtype;
    bool hide_shape, shape_below;
    bool align_set;
    pt_align align_str, align_num;
    pt_frame frame;
    const char *ellipsis; /* "…", or "..." under the ASCII presets */
    int64_t ellipsis_len; /* in characters */
} pt_style;
static bool pt_env_true(const char *name) {
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

static pt_align pt_parse_align(const char *v) {
    if (!v) return PT_ALIGN_DEFAULT;
    if (strcmp(v, "LEFT") == 0) return PT_ALIGN_LEFT;
    if (strcmp(v, "RIGHT") == 0) return PT_ALIGN_RIGHT;
    if (strcmp(v, "CENTER") == 0) return PT_ALIGN_CENTER;
    return PT_ALIGN_DEFAULT;
}

static pt_style pt_style_from_env(void) {
    pt_style st;
    st.hide_names = pt_env_true("POLARS_FMT_TABLE_HIDE_COLUMN_NAMES");
    st.hide_dtypes = pt_env_true("POLARS_FMT_TABLE_HIDE_COLUMN_DATA_TYPES");
    st.hide_separator = pt_env_true("POLARS_FMT_TABLE_HIDE_COLUMN_SEPARATOR");
    st.inline_dtype = pt_env_true("POLARS_FMT_TABLE_INLINE_COLUMN_DATA_TYPE");
    st.hide_shape = pt_env_true("POLARS_FMT_TABLE_HIDE_DATAFRAME_SHAPE_INFORMATION");
    st.shape_below = pt_env_true("POLARS_FMT_TABLE_DATAFRAME_SHAPE_BELOW");
    const char *a = getenv("POLARS_FMT_TABLE_CELL_ALIGNMENT");
    const char *n = getenv("POLARS_FMT_TABLE_CELL_NUMERIC_ALIGNMENT");
    st.align_set = a || n;
    st.align_str = pt_parse_align(a);
    st.align_num = n ? pt_parse_align(n) : st.align_str;

    const char *fmt = getenv("POLARS_FMT_TABLE_FORMATTING");
    bool ascii = fmt && strncmp(fmt, "ASCII", 5) == 0;
    pt_frame_load(&st.frame, fmt, !ascii && pt_env_true("POLARS_FMT_TABLE_ROUNDED_CORNERS"));
    st.ellipsis = ascii ? "..." : "…";
    st.ellipsis_len = ascii ? 3 : 1;
    return st;
}

int64_t nl_print_estimate_width(const char *s, size_t len) {
    /* Polars' estimate_string_width: characters, or between characters and
     * twice that for multi-byte text. */
    int64_t chars = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) chars++;
    if ((int64_t)len == chars) return chars;
    return (int64_t)len < chars * 2 ? (int64_t)len : chars * 2;
}

/* Byte length of the first `n` characters of s. */
static size_t pt_prefix_chars(const char *s, size_t len, int64_t n) {
    size_t i = 0;
    int64_t k = 0;
    while (i < len && k < n) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k++;
    }
    return i;
}

/* Polars' make_str_val: at most `limit` characters, then the ellipsis. */
static char *pt_cut(const char *s, size_t len, int limit, const char *ellipsis) {
    size_t keep = pt_prefix_chars(s, len, limit);
    if (keep == len) return nl_strndup(s, len);
    return nl_asprintf("%.*s%s", (int)keep, s, ellipsis);
}

/* ---- the cell grid ----------------------------------------------------------- */
static void pt_grid_free(pt_grid *g) {
    if (g->cells)
        for (int64_t k = 0; k < (1 + g->n_rows) * g->n_cols; k++)
            nl_free(g->cells[k]);
    nl_free(g->cells);
    nl_free(g->cols);
}

/* Finds table rows in increasing order without rescanning the batches. */
typedef struct pt_cursor {
    int64_t batch, first_row; /* the batch the last row was in, and its first row */
} pt_cursor;

static void pt_locate(const nl_table *t, pt_cursor *c, int64_t row, int64_t *b, int64_t *r) {
    if (row < c->first_row) c->batch = c->first_row = 0;
    while (c->batch < t->n_batches && row >= c->first_row + t->batches[c->batch]->num_rows) {
        c->first_row += t->batches[c->batch]->num_rows;
        c->batch++;
    }
    *b = c->batch;
    *r = row - c->first_row;
}

static char *pt_value_text(const nl_table *t, int64_t b, int64_t r, int32_t col, int max_str,
                           nl_print_ctx *ctx, const char *ellipsis, int64_t *est) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_print_value(&sb, t->batches[b]->columns[col], r, false, ctx);
    char *raw = nl_strbuf_take(&sb);
    if (!raw) return NULL;
    char *cut = pt_cut(raw, strlen(raw), max_str, ellipsis);
    nl_free(raw);
    if (cut) *est = nl_print_estimate_width(cut, strlen(cut)) + PT_PADDING;
    return cut;
}

/* Steps 1 and 2: the cells Polars shows and the constraints it puts on them.
 * `height` is the number of rows of the whole result; `t` holds either all of
 * them or (when printing a stream) only the head and tail rows that show. */
static nl_status pt_collect(const nl_table *t, int64_t height, const nl_print_options *o,
                            const pt_style *style, pt_grid *g, nl_error *err) {
    int64_t width = t->schema->n_fields;
    int64_t max_cols = o->max_cols, max_rows = o->max_rows, max_str = o->max_str_len;
    int64_t n_first = width, n_last = 0;
    if (width > max_cols) {
        n_first = (max_cols + 1) / 2;
        n_last = max_cols / 2;
    }
    bool reduce_cols = n_first + n_last < width;
    int64_t n_tbl = n_first + n_last + (reduce_cols ? 1 : 0);
    bool truncated = max_rows > 0 && height > max_rows;
    int64_t n_head = height, n_tail = 0;
    if (max_rows == 0) {
        n_head = 0;
    } else if (truncated) {
        n_head = max_rows / 2 + max_rows % 2;
        n_tail = max_rows / 2;
    }
    bool dots_row = truncated || (max_rows == 0 && height > 0);
    g->n_cols = n_tbl;
    g->n_rows = n_head + n_tail + (dots_row ? 1 : 0);
    g->cells = nl_calloc((size_t)((1 + g->n_rows) * (n_tbl ? n_tbl : 1)), sizeof *g->cells);
    g->cols = nl_calloc((size_t)(n_tbl ? n_tbl : 1), sizeof *g->cols);
    NL_CHECK_ALLOC(g->cells, err);
    NL_CHECK_ALLOC(g->cols, err);

    int64_t *name_len = nl_calloc((size_t)(n_tbl ? n_tbl : 1), sizeof *name_len);
    int64_t *elem_len = nl_calloc((size_t)(n_tbl ? n_tbl : 1), sizeof *elem_len);
    nl_print_ctx ctx;
    nl_print_ctx_init(&ctx);
    nl_status st = NL_OK;
    if (!name_len || !elem_len) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory laying out a table");
        goto done;
    }

    /* source column of each table column, -1 for the "…" column */
    for (int64_t c = 0; c < n_tbl; c++) {
        int64_t src = c < n_first ? c : (reduce_cols && c == n_first ? -1 : width - (n_tbl - c));
        char *cell;
        if (src < 0) {
            cell = nl_strdup(style->ellipsis);
            name_len[c] = style->ellipsis_len;
        } else {
            /* Polars' field_to_str */
            const nl_field *f = &t->schema->fields[src];
            char *name = pt_cut(f->name, strlen(f->name), (int)max_str, style->ellipsis);
            char dt[128];
            nl_type_polars_name(f->type, dt, sizeof dt);
            int64_t name_w = name ? nl_print_estimate_width(name, strlen(name)) : 0;
            const char *shown = style->hide_names ? "" : (name ? name : "");
            const char *dtype = style->hide_dtypes ? "" : dt;
            const char *nl_before = (style->inline_dtype || style->hide_names) ? "" : "\n";
            bool no_sep = style->hide_separator || style->hide_names || style->hide_dtypes;
            int64_t dtype_w = (int64_t)strlen(dtype); /* Polars counts the dtype in bytes */
            if (style->inline_dtype && !style->hide_dtypes) {
                cell = nl_asprintf("%s (%s%s)", shown, nl_before, dtype);
                dtype_w = cell ? (int64_t)strlen(cell) : 0;
            } else {
                cell = nl_asprintf("%s%s%s%s", shown, no_sep ? "" : "\n---",
                                   style->hide_dtypes ? "" : nl_before, dtype);
            }
            int64_t l = name_w > dtype_w ? name_w : dtype_w;
            if (!no_sep && l < 3) l = 3; /* "---" */
            name_len[c] = l + PT_PADDING;
            if (!name) {
                nl_free(cell);
                cell = NULL;
            }
            nl_free(name);
        }
        if (!cell) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory laying out a table");
            goto done;
        }
        g->cells[c] = cell;
    }

    pt_cursor cursor = {0, 0};
    int64_t skipped = height - t->num_rows; /* rows of the result not held in t */
    for (int64_t r = 0; r < g->n_rows; r++) {
        bool is_dots = dots_row && r == n_head;
        int64_t src_row = r < n_head ? r : height - n_tail + (r - n_head - (dots_row ? 1 : 0));
        int64_t held_row = src_row < n_head ? src_row : src_row - skipped;
        int64_t src_b = 0, src_r = 0;
        if (!is_dots) pt_locate(t, &cursor, held_row, &src_b, &src_r);
        if (!is_dots && (held_row < 0 || src_b >= t->n_batches)) {
            st = nl_error_set(err, NL_EINTERNAL, "printing: row %lld is not held",
                              (long long)src_row);
            goto done;
        }
        for (int64_t c = 0; c < n_tbl; c++) {
            int64_t src =
                c < n_first ? c : (reduce_cols && c == n_first ? -1 : width - (n_tbl - c));
            char *cell;
            if (is_dots) {
                cell = nl_strdup(style->ellipsis);
            } else if (src < 0) {
                cell = nl_strdup(style->ellipsis);
                elem_len[c] = style->ellipsis_len + PT_PADDING;
            } else {
                int64_t est = 0;
                cell = pt_value_text(t, src_b, src_r, (int32_t)src, (int)max_str, &ctx,
                                     style->ellipsis, &est);
                if (est > elem_len[c]) elem_len[c] = est;
            }
            if (!cell) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory laying out a table");
                goto done;
            }
            g->cells[(1 + r) * n_tbl + c] = cell;
        }
    }

    /* Polars' column alignment: by the dtype of schema column c (Polars looks the
     * dtype up by the table column's index, also when columns are elided) */
    for (int64_t c = 0; style->align_set && c < n_tbl; c++) {
        pt_align a = style->align_str;
        if (c < width) {
            nl_type_id id = t->schema->fields[c].type->id;
            if (nl_type_is_integer(id) || nl_type_is_floating(id) || id == NL_TYPE_DECIMAL128)
                a = style->align_num;
        }
        g->cols[c].align = a;
    }

    /* Polars' column constraints, set with the header (none without one) */
    g->has_header = !(style->hide_names && style->hide_dtypes);
    for (int64_t c = 0; g->has_header && c < n_tbl; c++) {
        int64_t longest = name_len[c] > elem_len[c] ? name_len[c] : elem_len[c];
        int64_t cap = max_str + style->ellipsis_len + PT_PADDING;
        int64_t mx = longest < cap ? longest : cap;
        pt_column *col = &g->cols[c];
        if (mx <= PT_MIN_COL_WIDTH && !truncated) {
            col->kind = PT_ABSOLUTE;
            col->lower = mx;
        } else if (mx <= PT_MIN_COL_WIDTH) {
            col->kind = PT_BOUNDS;
            col->lower = mx;
            col->upper = PT_MIN_COL_WIDTH;
        } else {
            col->kind = PT_BOUNDS;
            col->lower = PT_MIN_COL_WIDTH;
            col->upper = mx;
        }
    }
done:
    nl_print_ctx_clear(&ctx);
    nl_free(name_len);
    nl_free(elem_len);
    return st;
}
static void pt_group(nl_strbuf *sb, int64_t v) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    for (int k = 0; k < n; k++) {
        if (k > 0 && (n - k) % 3 == 0) nl_strbuf_putc(sb, '_');
        nl_strbuf_putc(sb, buf[k]);
    }
}

static void pt_shape(nl_strbuf *sb, int64_t rows, int64_t cols) {
    nl_strbuf_puts(sb, "shape: (");
    pt_group(sb, rows);
    nl_strbuf_puts(sb, ", ");
    pt_group(sb, cols);
    nl_strbuf_puts(sb, ")\n");
}

static nl_status pt_table_text(nl_strbuf *sb, const nl_table *t, int64_t height,
                               const nl_print_options *opts, int64_t width, nl_error *err) {
    pt_style style = pt_style_from_env();
    pt_grid g = {0};
    nl_status st = pt_collect(t, height, opts, &style, &g, err);
    if (st == NL_OK) {
        pt_arrange(&g, width, &style.frame);
        if (!style.hide_shape && !style.shape_below) pt_shape(sb, height, t->schema->n_fields);
        st = pt_draw(sb, &g, &style.frame, err);
        if (st == NL_OK && !style.hide_shape && style.shape_below)
            pt_shape(sb, height, t->schema->n_fields);
    }
    pt_grid_free(&g);
    return st;
}

/* ---- entry points ------------------------------------------------------------ */

static nl_status pt_format(const nl_table *table, nl_output_format format,
                           const nl_print_options *options, int64_t default_width, char **out,
                           nl_error *err) {
    *out = NULL;
    if (!table || !table->schema) return nl_error_set(err, NL_EINVAL, "printing: no table");
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_status st;
    switch (format) {
    case NL_OUTPUT_TABLE: {
        nl_print_options o = nl_print_options_resolve(options);
        int64_t width = o.table_width > 0 ? o.table_width : default_width;
        st = pt_table_text(&sb, table, table->num_rows, &o, width, err);
        break;
    }
    case NL_OUTPUT_CSV: st = nl_print_csv(&sb, table, err); break;
    case NL_OUTPUT_JSON: st = nl_print_json(&sb, table, false, err); break;
    case NL_OUTPUT_NDJSON: st = nl_print_json(&sb, table, true, err); break;
    case NL_OUTPUT_MARKDOWN: st = nl_print_markdown(&sb, table, err); break;
    default: st = nl_error_set(err, NL_EINVAL, "printing: unknown output format %d", (int)format);
    }
    if (st == NL_OK && sb.failed)
        st = nl_error_set(err, NL_ENOMEM, "out of memory printing a table");
    if (st != NL_OK) {
        nl_strbuf_free(&sb);
        return st;
    }
    if (sb.len == 0) nl_strbuf_puts(&sb, "");
    *out = nl_strbuf_take(&sb);
    if (!*out) return nl_error_set(err, NL_ENOMEM, "out of memory printing a table");
    return NL_OK;
}

nl_status nl_format_table(const nl_table *table, nl_output_format format,
                          const nl_print_options *options, char **out, nl_error *err) {
    return pt_format(table, format, options, PT_FALLBACK_WIDTH, out, err);
}

/* The terminal's width when `out` is one, as comfy-table asks it; else
 * Polars' fallback of 100. */
static int64_t pt_terminal_width(FILE *out) {
    int fd = fileno(out);
    struct winsize ws;
    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return PT_FALLBACK_WIDTH;
}

nl_status nl_print_table(FILE *out, const nl_table *table, nl_output_format format,
                         const nl_print_options *options, nl_error *err) {
    char *text = NULL;
    NL_TRY(pt_format(table, format, options, pt_terminal_width(out), &text, err));
    size_t len = strlen(text);
    bool ok = fwrite(text, 1, len, out) == len;
    nl_free(text);
    if (!ok) return nl_error_set(err, NL_EIO, "printing: write failed");
    return NL_OK;
}

/* ---- streams: printed as they come, holding only what shows ------------------ */

static nl_status pt_write(FILE *out, nl_strbuf *sb, nl_error *err) {
    if (sb->failed) return nl_error_set(err, NL_ENOMEM, "out of memory printing");
    bool ok = sb->len == 0 || fwrite(sb->data, 1, sb->len, out) == sb->len;
    nl_strbuf_clear(sb);
    if (!ok) return nl_error_set(err, NL_EIO, "printing: write failed");
    return NL_OK;
}

/* CSV, JSON and NDJSON, one batch at a time. */
static nl_status pt_stream_rows(FILE *out, nl_stream *s, nl_output_format format, nl_error *err) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_print_ctx ctx;
    nl_print_ctx_init(&ctx);
    bool first = true;
    if (format == NL_OUTPUT_CSV) nl_print_csv_header(&sb, s->schema);
    if (format == NL_OUTPUT_JSON) nl_strbuf_putc(&sb, '[');
    nl_status st = pt_write(out, &sb, err);
    while (st == NL_OK) {
        nl_batch *b = NULL;
        st = nl_stream_next(s, &b, err);
        if (st != NL_OK || !b) break;
        if (format == NL_OUTPUT_CSV)
            nl_print_csv_batch(&sb, b, &ctx);
        else
            nl_print_json_batch(&sb, b, format == NL_OUTPUT_NDJSON, &first, &ctx);
        nl_batch_unref(b);
        st = pt_write(out, &sb, err);
    }
    if (st == NL_OK && format == NL_OUTPUT_JSON) {
        nl_strbuf_puts(&sb, "]\n");
        st = pt_write(out, &sb, err);
    }
    nl_strbuf_free(&sb);
    nl_print_ctx_clear(&ctx);
    return st;
}

/* Appends rows [from, from + n) of `b` to `t` (a zero-copy slice). */
static nl_status pt_append_rows(nl_table *t, nl_batch *b, int64_t from, int64_t n, nl_error *err) {
    if (n <= 0) return NL_OK;
    if (from == 0 && n == b->num_rows) return nl_table_append(t, b, err);
    nl_batch *s = nl_batch_slice(b, from, n);
    if (!s) return nl_error_set(err, NL_ENOMEM, "out of memory printing a stream");
    nl_status st = nl_table_append(t, s, err);
    nl_batch_unref(s);
    return st;
}

/* The table layout over a stream: the first max_rows rows are kept (all of
 * them if the result turns out short), and a window over the last batches
 * that covers the tail rows; everything in between is counted and dropped. */
static nl_status pt_stream_table(FILE *out, nl_stream *s, const nl_print_options *options,
                                 nl_error *err) {
    nl_print_options o = nl_print_options_resolve(options);
    int64_t max_rows = o.max_rows, n_tail = max_rows / 2;
    int64_t n_head = max_rows - n_tail;
    nl_table *head = nl_table_new(nl_schema_ref(s->schema));
    nl_batch **window = NULL; /* the last batches, covering at least n_tail rows */
    int64_t n_window = 0, cap_window = 0, window_rows = 0, total = 0;
    nl_table *shown = NULL;
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_status st = head ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory printing a stream");
    while (st == NL_OK) {
        nl_batch *b = NULL;
        st = nl_stream_next(s, &b, err);
        if (st != NL_OK || !b) break;
        if (b->num_rows == 0) {
            nl_batch_unref(b);
            continue;
        }
        if (head->num_rows < max_rows) {
            int64_t want = max_rows - head->num_rows;
            st = pt_append_rows(head, b, 0, b->num_rows < want ? b->num_rows : want, err);
        }
        total += b->num_rows;
        if (st == NL_OK && n_tail > 0) {
            if (n_window == cap_window) {
                int64_t cap = cap_window ? cap_window * 2 : 8;
                nl_batch **w = nl_realloc(window, (size_t)cap * sizeof *w);
                if (!w)
                    st = nl_error_set(err, NL_ENOMEM, "out of memory printing a stream");
                else {
                    window = w;
                    cap_window = cap;
                }
            }
            if (st == NL_OK) {
                window[n_window++] = nl_batch_ref(b);
                window_rows += b->num_rows;
                int64_t drop = 0;
                while (drop < n_window - 1 && window_rows - window[drop]->num_rows >= n_tail) {
                    window_rows -= window[drop]->num_rows;
                    nl_batch_unref(window[drop]);
                    drop++;
                }
                if (drop) {
                    memmove(window, window + drop, (size_t)(n_window - drop) * sizeof *window);
                    n_window -= drop;
                }
            }
        }
        nl_batch_unref(b);
    }
    if (st == NL_OK) {
        if (max_rows == 0 || total <= max_rows) {
            shown = head; /* every row that shows is in head */
            head = NULL;
        } else {
            /* the first n_head rows of head, then the last n_tail rows of the window */
            shown = nl_table_new(nl_schema_ref(s->schema));
            if (!shown) st = nl_error_set(err, NL_ENOMEM, "out of memory printing a stream");
            int64_t need = n_head;
            for (int64_t k = 0; st == NL_OK && k < head->n_batches && need > 0; k++) {
                nl_batch *b = head->batches[k];
                int64_t n = b->num_rows < need ? b->num_rows : need;
                st = pt_append_rows(shown, b, 0, n, err);
                need -= n;
            }
            int64_t skip = window_rows - n_tail;
            for (int64_t k = 0; st == NL_OK && k < n_window; k++) {
                nl_batch *b = window[k];
                int64_t from = skip < b->num_rows ? skip : b->num_rows;
                skip -= from;
                st = pt_append_rows(shown, b, from, b->num_rows - from, err);
            }
        }
    }
    if (st == NL_OK) {
        int64_t width = o.table_width > 0 ? o.table_width : pt_terminal_width(out);
        st = pt_table_text(&sb, shown, total, &o, width, err);
        if (st == NL_OK) st = pt_write(out, &sb, err);
    }
    nl_strbuf_free(&sb);
    for (int64_t k = 0; k < n_window; k++)
        nl_batch_unref(window[k]);
    nl_free(window);
    nl_table_free(head);
    nl_table_free(shown);
    return st;
}

nl_status nl_print_stream(FILE *out, struct ArrowArrayStream *stream, nl_output_format format,
                          const nl_print_options *options, nl_error *err) {
    if (!out || !stream) {
        if (stream && stream->release) stream->release(stream);
        return nl_error_set(err, NL_EINVAL, "nl_print_stream: NULL argument");
    }
    nl_stream *s = NULL;
    NL_TRY(nl_stream_import(stream, &s, err));
    nl_status st;
    switch (format) {
    case NL_OUTPUT_TABLE: st = pt_stream_table(out, s, options, err); break;
    case NL_OUTPUT_CSV:
    case NL_OUTPUT_JSON:
    case NL_OUTPUT_NDJSON: st = pt_stream_rows(out, s, format, err); break;
    default: {
        /* markdown pads every column to its widest cell: it needs all rows */
        nl_table *table = NULL;
        st = nl_stream_collect(s, &table, err); /* frees the stream either way */
        s = NULL;
        if (st == NL_OK) st = nl_print_table(out, table, format, options, err);
        nl_table_free(table);
        break;
    }
    }
    nl_stream_free(s);
    return st;
}
