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
 *      pad, and draw the frame (pt_render).
 *
 * The other formats (CSV, JSON, NDJSON, markdown) live in print_formats.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/arrow_c.h"
#include "columnar/print_internal.h"

#define PT_DEFAULT_ROWS    10
#define PT_DEFAULT_COLS    8
#define PT_DEFAULT_STR_LEN 30
#define PT_FALLBACK_WIDTH  100
#define PT_PADDING         2 /* one space either side of a cell */
#define PT_MIN_COL_WIDTH   5 /* Polars: max(5, 3 + padding) */
#define PT_MIN_FREE_CHARS  2 /* comfy-table's split_line */

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
typedef enum { PT_ALIGN_DEFAULT = 0, PT_ALIGN_LEFT, PT_ALIGN_RIGHT, PT_ALIGN_CENTER } pt_align;

/* comfy-table's table components, in the order of its preset strings. */
enum {
    PT_LEFT_BORDER,
    PT_RIGHT_BORDER,
    PT_TOP_BORDER,
    PT_BOTTOM_BORDER,
    PT_LEFT_HEADER_X,
    PT_HEADER_LINES,
    PT_MIDDLE_HEADER_X,
    PT_RIGHT_HEADER_X,
    PT_VERTICAL_LINES,
    PT_HORIZONTAL_LINES,
    PT_MIDDLE_X,
    PT_LEFT_BORDER_X,
    PT_RIGHT_BORDER_X,
    PT_TOP_BORDER_X,
    PT_BOTTOM_BORDER_X,
    PT_TOP_LEFT,
    PT_TOP_RIGHT,
    PT_BOTTOM_LEFT,
    PT_BOTTOM_RIGHT,
    PT_N_COMPONENTS
};

typedef struct pt_style {
    bool hide_names, hide_dtypes, hide_separator, inline_dtype;
    bool hide_shape, shape_below;
    bool align_set;
    pt_align align_str, align_num;
    char comp[PT_N_COMPONENTS][8]; /* "" when the preset leaves it out */
    bool left, right, vertical, top, bottom, header_line, horizontal;
    const char *ellipsis; /* "…", or "..." under the ASCII presets */
    int64_t ellipsis_len; /* in characters */
} pt_style;

/* Polars' POLARS_FMT_TABLE_FORMATTING names and comfy-table's presets. */
static const struct {
    const char *name;
    const char *preset;
} PT_PRESETS[] = {
    {"ASCII_FULL", "||--+==+|-+||++++++"},
    {"ASCII_FULL_CONDENSED", "||--+==+|    ++++++"},
    {"ASCII_NO_BORDERS", "     == |-+        "},
    {"ASCII_BORDERS_ONLY", "||--+==+   ||--++++"},
    {"ASCII_BORDERS_ONLY_CONDENSED", "||--+==+     --++++"},
    {"ASCII_HORIZONTAL_ONLY", "  -- ==  --  --    "},
    {"ASCII_MARKDOWN", "||  |-|||          "},
    {"MARKDOWN", "||  |-|||          "},
    {"UTF8_FULL", "││──╞═╪╡┆╌┼├┤┬┴┌┐└┘"},
    {"UTF8_FULL_CONDENSED", "││──╞═╪╡┆    ┬┴┌┐└┘"},
    {"UTF8_NO_BORDERS", "     ═╪ ┆╌┼        "},
    {"UTF8_BORDERS_ONLY", "││──╞══╡     ──┌┐└┘"},
    {"UTF8_HORIZONTAL_ONLY", "  ── ══  ──  ──    "},
    {"NOTHING", "                   "},
};

/* Splits a preset into its components (one UTF-8 character each, a space
 * meaning "not drawn"). */
static void pt_load_preset(pt_style *st, const char *preset) {
    const char *p = preset;
    for (int k = 0; k < PT_N_COMPONENTS && *p; k++) {
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        if (!(n == 1 && *p == ' ')) memcpy(st->comp[k], p, n);
        st->comp[k][n == 1 && *p == ' ' ? 0 : n] = 0;
        p += n;
    }
}

static bool pt_has(const pt_style *st, int k) { return st->comp[k][0] != 0; }

/* comfy-table's style_or_default: a missing component drawn as a space. */
static const char *pt_comp(const pt_style *st, int k) { return pt_has(st, k) ? st->comp[k] : " "; }

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
    const char *preset = "││──╞═╪╡┆    ┬┴┌┐└┘"; /* UTF8_FULL_CONDENSED */
    for (size_t k = 0; fmt && k < sizeof PT_PRESETS / sizeof *PT_PRESETS; k++)
        if (strcmp(fmt, PT_PRESETS[k].name) == 0) preset = PT_PRESETS[k].preset;
    memset(st.comp, 0, sizeof st.comp);
    pt_load_preset(&st, preset);
    bool ascii = fmt && strncmp(fmt, "ASCII", 5) == 0;
    if (!ascii && pt_env_true("POLARS_FMT_TABLE_ROUNDED_CORNERS")) {
        strcpy(st.comp[PT_TOP_LEFT], "╭");
        strcpy(st.comp[PT_TOP_RIGHT], "╮");
        strcpy(st.comp[PT_BOTTOM_LEFT], "╰");
        strcpy(st.comp[PT_BOTTOM_RIGHT], "╯");
    }
    st.ellipsis = ascii ? "..." : "…";
    st.ellipsis_len = ascii ? 3 : 1;
    /* which lines comfy-table draws (its should_draw_* rules) */
    st.left = pt_has(&st, PT_TOP_LEFT) || pt_has(&st, PT_LEFT_BORDER) ||
              pt_has(&st, PT_LEFT_BORDER_X) || pt_has(&st, PT_LEFT_HEADER_X) ||
              pt_has(&st, PT_BOTTOM_LEFT);
    st.right = pt_has(&st, PT_TOP_RIGHT) || pt_has(&st, PT_RIGHT_BORDER) ||
               pt_has(&st, PT_RIGHT_BORDER_X) || pt_has(&st, PT_RIGHT_HEADER_X) ||
               pt_has(&st, PT_BOTTOM_RIGHT);
    st.vertical = pt_has(&st, PT_TOP_BORDER_X) || pt_has(&st, PT_MIDDLE_HEADER_X) ||
                  pt_has(&st, PT_VERTICAL_LINES) || pt_has(&st, PT_MIDDLE_X) ||
                  pt_has(&st, PT_BOTTOM_BORDER_X);
    st.top = pt_has(&st, PT_TOP_LEFT) || pt_has(&st, PT_TOP_BORDER) ||
             pt_has(&st, PT_TOP_BORDER_X) || pt_has(&st, PT_TOP_RIGHT);
    st.bottom = pt_has(&st, PT_BOTTOM_LEFT) || pt_has(&st, PT_BOTTOM_BORDER) ||
                pt_has(&st, PT_BOTTOM_BORDER_X) || pt_has(&st, PT_BOTTOM_RIGHT);
    st.header_line = pt_has(&st, PT_LEFT_HEADER_X) || pt_has(&st, PT_HEADER_LINES) ||
                     pt_has(&st, PT_MIDDLE_HEADER_X) || pt_has(&st, PT_RIGHT_HEADER_X);
    st.horizontal = pt_has(&st, PT_LEFT_BORDER_X) || pt_has(&st, PT_HORIZONTAL_LINES) ||
                    pt_has(&st, PT_MIDDLE_X) || pt_has(&st, PT_RIGHT_BORDER_X);
    return st;
}

/* ---- widths -------------------------------------------------------------- */

static bool pt_is_emoji_modifier(utf8proc_int32_t c) { return c >= 0x1F3FB && c <= 0x1F3FF; }

/* Display width as the unicode-width crate (which comfy-table uses) counts it:
 * East Asian wide and emoji 2; combining marks, soft hyphen and ZWJ 0; control
 * characters 1; a skin-tone modifier or a ZWJ-joined emoji adds nothing to the
 * emoji before it; VS16 (U+FE0F) widens a narrow character to emoji width. */
int64_t nl_display_width(const char *s, size_t len) {
    int64_t w = 0;
    size_t i = 0;
    utf8proc_int32_t prev = -1;
    int prev_w = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) { /* an invalid byte shows as one replacement character */
            w += 1;
            i += 1;
            prev = -1;
            prev_w = 1;
            continue;
        }
        i += (size_t)n;
        int cw;
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            cw = 1;
        else if (c == 0xAD || c == 0x200D)
            cw = 0;
        else if (c == 0xFE0F)
            cw = prev >= 0 && prev_w == 1 ? 1 : 0;
        else if (prev >= 0 && (pt_is_emoji_modifier(c) || prev == 0x200D))
            cw = 0;
        else
            cw = utf8proc_charwidth(c);
        if (cw < 0) cw = 0;
        w += cw;
        prev = c;
        prev_w = cw;
    }
    return w;
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

typedef enum { PT_FREE, PT_ABSOLUTE, PT_BOUNDS } pt_constraint_kind;

typedef struct pt_column {
    pt_constraint_kind kind;
    int64_t lower, upper; /* PT_BOUNDS; PT_ABSOLUTE uses lower */
    int64_t max_content;  /* widest line of any cell, header included */
    bool fixed;           /* width decided */
    int64_t width;        /* content width, without padding */
    pt_align align;
} pt_column;

typedef struct pt_grid {
    int64_t n_cols;
    int64_t n_rows; /* body rows, the "…" row included */
    char **cells;   /* (1 + n_rows) × n_cols, row 0 the header */
    pt_column *cols;
    bool has_header; /* false: row 0 is empty and not drawn */
} pt_grid;

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

/* ---- comfy-table's line splitting -------------------------------------------- */

typedef struct pt_lines {
    char **v;
    int64_t n, cap;
    bool failed;
} pt_lines;

static void pt_lines_push(pt_lines *l, const char *s, size_t len) {
    if (l->failed) return;
    if (l->n == l->cap) {
        int64_t cap = l->cap ? l->cap * 2 : 8;
        char **v = nl_realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    char *copy = nl_strndup(s, len);
    if (!copy) {
        l->failed = true;
        return;
    }
    l->v[l->n++] = copy;
}

static void pt_lines_free(pt_lines *l) {
    for (int64_t k = 0; k < l->n; k++)
        nl_free(l->v[k]);
    nl_free(l->v);
    memset(l, 0, sizeof *l);
}

/* Byte length of the first grapheme of s. */
static size_t pt_grapheme_len(const char *s, size_t len) {
    utf8proc_int32_t prev, c;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &prev);
    if (n <= 0) return 1;
    size_t i = (size_t)n;
    utf8proc_int32_t state = 0;
    while (i < len) {
        n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) break;
        if (utf8proc_grapheme_break_stateful(prev, c, &state)) break;
        prev = c;
        i += (size_t)n;
    }
    return i;
}

/* comfy-table's split_long_word: the longest prefix of whole graphemes that
 * fits `allowed` columns. */
static size_t pt_split_long_word(const char *s, size_t len, int64_t allowed) {
    size_t i = 0;
    int64_t w = 0;
    while (i < len) {
        size_t g = pt_grapheme_len(s + i, len - i);
        int64_t gw = nl_display_width(s + i, g);
        if (w + gw > allowed) break;
        w += gw;
        i += g;
    }
    return i;
}

typedef struct pt_slice {
    const char *p;
    size_t len;
} pt_slice;

static void pt_check_if_full(pt_lines *out, nl_strbuf *cur, int64_t width) {
    int64_t limit = width > PT_MIN_FREE_CHARS ? width - PT_MIN_FREE_CHARS : 0;
    if (nl_display_width(cur->data ? cur->data : "", cur->len) > limit) {
        pt_lines_push(out, cur->data ? cur->data : "", cur->len);
        nl_strbuf_clear(cur);
    }
}

/* comfy-table's split_line: words joined by spaces while they fit; a word
 * wider than the column is cut at graphemes. */
static void pt_split_line(const char *line, size_t len, int64_t width, pt_lines *out) {
    /* the elements, as a stack (last element on top) */
    int64_t n_words = 1;
    for (size_t k = 0; k < len; k++)
        if (line[k] == ' ') n_words++;
    pt_slice *stack = nl_malloc((size_t)(n_words + 2) * sizeof *stack);
    if (!stack) {
        out->failed = true;
        return;
    }
    int64_t top = 0;
    {
        size_t end = len;
        for (size_t k = len; k-- > 0;) {
            if (line[k] == ' ') {
                stack[top++] = (pt_slice){line + k + 1, end - k - 1};
                end = k;
            }
        }
        stack[top++] = (pt_slice){line, end};
    }
    nl_strbuf cur = NL_STRBUF_INIT;
    while (top > 0) {
        pt_slice next = stack[--top];
        const char *cd = cur.data ? cur.data : "";
        int64_t cur_w = nl_display_width(cd, cur.len);
        int64_t next_w = nl_display_width(next.p, next.len);
        bool nonempty = cur.len > 0;
        int64_t added = next_w + cur_w + (nonempty ? 1 : 0);
        int64_t remaining = width > cur_w ? width - cur_w : 0;
        if (nonempty && remaining > 0) remaining -= 1;

        if (added <= width) {
            if (nonempty) nl_strbuf_putc(&cur, ' ');
            nl_strbuf_append(&cur, next.p, next.len);
            pt_check_if_full(out, &cur, width);
            continue;
        }
        if (nonempty && remaining <= PT_MIN_FREE_CHARS) {
            stack[top++] = next;
            pt_lines_push(out, cd, cur.len);
            nl_strbuf_clear(&cur);
            continue;
        }
        if (next_w > width) {
            bool new_line = !nonempty;
            if (!new_line) nl_strbuf_putc(&cur, ' ');
            size_t cut = pt_split_long_word(next.p, next.len, remaining);
            if (new_line && cut == 0 && next.len > 0) {
                /* a character wider than the column goes in anyway */
                utf8proc_int32_t c;
                utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)next.p,
                                                      (utf8proc_ssize_t)next.len, &c);
                cut = n > 0 ? (size_t)n : 1;
            }
            nl_strbuf_append(&cur, next.p, cut);
            stack[top++] = (pt_slice){next.p + cut, next.len - cut};
            pt_lines_push(out, cur.data ? cur.data : "", cur.len);
            nl_strbuf_clear(&cur);
            continue;
        }
        pt_lines_push(out, cd, cur.len);
        nl_strbuf_clear(&cur);
        nl_strbuf_append(&cur, next.p, next.len);
        pt_check_if_full(out, &cur, width);
    }
    if (cur.len > 0) pt_lines_push(out, cur.data, cur.len);
    if (cur.failed) out->failed = true;
    nl_strbuf_free(&cur);
    nl_free(stack);
}

/* The lines of a cell at content width `width`: its own lines, each split when
 * wider than the column. */
static void pt_cell_lines(const char *cell, int64_t width, pt_lines *out) {
    const char *p = cell;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (nl_display_width(p, len) > width)
            pt_split_line(p, len, width, out);
        else
            pt_lines_push(out, p, len);
        if (!nl) break;
        p = nl + 1;
    }
}

/* ---- comfy-table's dynamic arrangement -------------------------------------- */

static int64_t pt_sat(int64_t a, int64_t b) { return a > b ? a - b : 0; }

static void pt_fix(pt_column *c, int64_t width) {
    c->fixed = true;
    c->width = width;
}

/* A constraint's width includes the padding; the content width never drops
 * below 1. */
static int64_t pt_abs_width(int64_t w) { return w > PT_PADDING ? w - PT_PADDING : 1; }

static int64_t pt_longest_after_split(const pt_grid *g, int64_t c, int64_t avg) {
    int64_t longest = 0;
    for (int64_t r = g->has_header ? 0 : 1; r <= g->n_rows; r++) {
        const char *p = g->cells[r * g->n_cols + c];
        for (;;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (nl_display_width(p, len) > avg) {
                pt_lines parts = {0};
                pt_split_line(p, len, avg, &parts);
                /* comfy-table measures the parts in bytes here */
                for (int64_t k = 0; k < parts.n; k++) {
                    int64_t l = (int64_t)strlen(parts.v[k]);
                    if (l > longest) longest = l;
                }
                pt_lines_free(&parts);
            } else if ((int64_t)len > longest) {
                longest = (int64_t)len;
            }
            if (!nl) break;
            p = nl + 1;
        }
    }
    return longest;
}

static void pt_arrange(pt_grid *g, int64_t table_width, const pt_style *style) {
    int64_t n = g->n_cols;
    for (int64_t c = 0; c < n; c++) {
        pt_column *col = &g->cols[c];
        int64_t m = 0;
        for (int64_t r = g->has_header ? 0 : 1; r <= g->n_rows; r++) {
            const char *p = g->cells[r * n + c];
            for (;;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                int64_t w = nl_display_width(p, len);
                if (w > m) m = w;
                if (!nl) break;
                p = nl + 1;
            }
        }
        col->max_content = m;
        if (col->kind == PT_ABSOLUTE) pt_fix(col, pt_abs_width(col->lower));
        if (col->kind == PT_BOUNDS && m + PT_PADDING <= col->lower)
            pt_fix(col, pt_abs_width(col->lower));
    }
    if (n == 0) return;

    /* step 1: the space left once borders, paddings and fixed columns are out */
    int64_t borders =
        (style->left ? 1 : 0) + (style->right ? 1 : 0) + (style->vertical ? n - 1 : 0);
    int64_t remaining = pt_sat(table_width, borders);
    int64_t left = 0;
    for (int64_t c = 0; c < n; c++) {
        if (!g->cols[c].fixed) {
            remaining = pt_sat(remaining, PT_PADDING);
            left++;
        }
    }
    for (int64_t c = 0; c < n; c++)
        if (g->cols[c].fixed) remaining = pt_sat(remaining, g->cols[c].width + PT_PADDING);

    /* step 2: lower bounds above the average are enforced */
    if (left > 0) {
        int64_t avg = remaining / left;
        bool again = true;
        while (again) {
            again = false;
            for (int64_t c = 0; c < n; c++) {
                pt_column *col = &g->cols[c];
                if (col->fixed || col->kind != PT_BOUNDS) continue;
                if (avg >= col->lower) continue;
                int64_t w = pt_abs_width(col->lower);
                pt_fix(col, w);
                remaining = pt_sat(remaining, w);
                left--;
                if (left == 0) break;
                avg = remaining / left;
                again = true;
            }
        }
    }

    /* steps 3-5: columns that fit the average take what they need */
    bool found = true;
    while (found && left > 0) {
        found = false;
        int64_t avg = remaining / left;
        if (avg == 0) break;
        for (int64_t c = 0; c < n; c++) {
            pt_column *col = &g->cols[c];
            if (col->fixed) continue;
            if (col->kind == PT_BOUNDS) {
                int64_t upper = col->upper;
                if (upper <= avg + PT_PADDING && col->max_content + PT_PADDING >= upper) {
                    int64_t w = pt_abs_width(upper);
                    pt_fix(col, w);
                    remaining = pt_sat(remaining, w);
                    left--;
                    if (left == 0) break;
                    avg = remaining / left;
                    found = true;
                    continue;
                }
            }
            if (col->max_content <= avg) {
                pt_fix(col, col->max_content);
                remaining = pt_sat(remaining, col->max_content);
                left--;
                if (left == 0) break;
                avg = remaining / left;
                found = true;
            }
        }
    }

    /* step 6: columns whose content needs less once split */
    if (left > 0) {
        int64_t avg = remaining / left;
        found = true;
        while (found) {
            found = false;
            for (int64_t c = 0; c < n; c++) {
                pt_column *col = &g->cols[c];
                if (col->fixed) continue;
                int64_t longest = pt_longest_after_split(g, c, avg);
                if (pt_sat(avg, longest) >= 3) {
                    pt_fix(col, longest);
                    remaining = pt_sat(remaining, longest);
                    left--;
                    if (left == 0) break;
                    avg = remaining / left;
                    found = true;
                }
            }
            if (left == 0) break;
        }
    }
    if (left == 0) return;

    /* step 7: the rest is shared out, the remainder from the left */
    if (remaining < left) remaining = left;
    int64_t avg = remaining / left;
    int64_t excess = remaining - avg * left;
    for (int64_t c = 0; c < n; c++) {
        pt_column *col = &g->cols[c];
        if (col->fixed) continue;
        int64_t w = avg;
        if (excess > 0) {
            excess--;
            w++;
        }
        pt_fix(col, w);
    }
}

/* ---- drawing ---------------------------------------------------------------- */

/* A horizontal line: a border, the header line or a line between rows. */
static void pt_hline(nl_strbuf *sb, const pt_grid *g, const pt_style *st, int left, int fill,
                     int mid, int right) {
    if (st->left) nl_strbuf_puts(sb, pt_comp(st, left));
    for (int64_t c = 0; c < g->n_cols; c++) {
        if (c) nl_strbuf_puts(sb, pt_comp(st, mid));
        nl_strbuf_repeat(sb, pt_comp(st, fill), (size_t)(g->cols[c].width + PT_PADDING));
    }
    if (st->right) nl_strbuf_puts(sb, pt_comp(st, right));
    nl_strbuf_putc(sb, '\n');
}

static nl_status pt_render_row(nl_strbuf *sb, const pt_grid *g, const pt_style *st, int64_t r,
                               nl_error *err) {
    int64_t n = g->n_cols;
    pt_lines *cells = nl_calloc((size_t)(n ? n : 1), sizeof *cells);
    NL_CHECK_ALLOC(cells, err);
    int64_t height = 0;
    bool failed = false;
    for (int64_t c = 0; c < n; c++) {
        pt_cell_lines(g->cells[r * n + c], g->cols[c].width, &cells[c]);
        failed |= cells[c].failed;
        if (cells[c].n > height) height = cells[c].n;
    }
    for (int64_t k = 0; k < height && !failed; k++) {
        if (st->left) nl_strbuf_puts(sb, pt_comp(st, PT_LEFT_BORDER));
        for (int64_t c = 0; c < n; c++) {
            if (c && st->vertical) nl_strbuf_puts(sb, pt_comp(st, PT_VERTICAL_LINES));
            int64_t w = g->cols[c].width;
            if (k < cells[c].n) {
                const char *s = cells[c].v[k];
                size_t len = strlen(s);
                size_t rem = (size_t)pt_sat(w, nl_display_width(s, len)), left = 0;
                if (g->cols[c].align == PT_ALIGN_RIGHT)
                    left = rem;
                else if (g->cols[c].align == PT_ALIGN_CENTER)
                    left = (rem + 1) / 2;
                nl_strbuf_repeat(sb, " ", left + 1);
                nl_strbuf_append(sb, s, len);
                nl_strbuf_repeat(sb, " ", rem - left + 1);
            } else {
                nl_strbuf_repeat(sb, " ", (size_t)(w + PT_PADDING));
            }
        }
        if (st->right && n > 0) nl_strbuf_puts(sb, pt_comp(st, PT_RIGHT_BORDER));
        nl_strbuf_putc(sb, '\n');
    }
    for (int64_t c = 0; c < n; c++)
        pt_lines_free(&cells[c]);
    nl_free(cells);
    if (failed) return nl_error_set(err, NL_ENOMEM, "out of memory drawing a table");
    return NL_OK;
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
        pt_arrange(&g, width, &style);
        if (!style.hide_shape && !style.shape_below) pt_shape(sb, height, t->schema->n_fields);
        if (style.top)
            pt_hline(sb, &g, &style, PT_TOP_LEFT, PT_TOP_BORDER, PT_TOP_BORDER_X, PT_TOP_RIGHT);
        if (g.has_header) {
            st = pt_render_row(sb, &g, &style, 0, err);
            if (st == NL_OK && style.header_line)
                pt_hline(sb, &g, &style, PT_LEFT_HEADER_X, PT_HEADER_LINES, PT_MIDDLE_HEADER_X,
                         PT_RIGHT_HEADER_X);
        }
        for (int64_t r = 1; st == NL_OK && r <= g.n_rows; r++) {
            st = pt_render_row(sb, &g, &style, r, err);
            if (st == NL_OK && r < g.n_rows && style.horizontal)
                pt_hline(sb, &g, &style, PT_LEFT_BORDER_X, PT_HORIZONTAL_LINES, PT_MIDDLE_X,
                         PT_RIGHT_BORDER_X);
        }
        if (st == NL_OK && style.bottom)
            pt_hline(sb, &g, &style, PT_BOTTOM_LEFT, PT_BOTTOM_BORDER, PT_BOTTOM_BORDER_X,
                     PT_BOTTOM_RIGHT);
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
