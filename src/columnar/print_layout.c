/*
 * print_layout.c -- what comfy-table does with the cells Polars gives it.
 *
 * Polars hands comfy-table a grid of cell strings, a width constraint per
 * column and a frame preset; comfy-table's "dynamic" arrangement then decides
 * each column's width for the table width (fixed columns, lower bounds,
 * columns that fit the average, the space saved by splitting, the rest shared
 * out), splits cells that are too wide at spaces and then at graphemes, pads
 * them, and draws the frame. The table printer must match it byte for byte,
 * so this follows comfy-table's rules step by step, quirks included (the
 * post-split width is measured in bytes, as comfy-table measures it).
 * Display widths follow the unicode-width crate that comfy-table uses.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/print_internal.h"

#define PT_MIN_FREE_CHARS 2 /* comfy-table's split_line */

/* ---- frames ---------------------------------------------------------------- */

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
static void pt_load_preset(pt_frame *st, const char *preset) {
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

static bool pt_has(const pt_frame *st, int k) { return st->comp[k][0] != 0; }

/* comfy-table's style_or_default: a missing component drawn as a space. */
static const char *pt_comp(const pt_frame *st, int k) { return pt_has(st, k) ? st->comp[k] : " "; }

void pt_frame_load(pt_frame *f, const char *name, bool rounded) {
    const char *preset = "││──╞═╪╡┆    ┬┴┌┐└┘"; /* UTF8_FULL_CONDENSED, Polars' default */
    for (size_t k = 0; name && k < sizeof PT_PRESETS / sizeof *PT_PRESETS; k++)
        if (strcmp(name, PT_PRESETS[k].name) == 0) preset = PT_PRESETS[k].preset;
    memset(f, 0, sizeof *f);
    pt_load_preset(f, preset);
    if (rounded) { /* comfy-table's UTF8_ROUND_CORNERS modifier */
        strcpy(f->comp[PT_TOP_LEFT], "╭");
        strcpy(f->comp[PT_TOP_RIGHT], "╮");
        strcpy(f->comp[PT_BOTTOM_LEFT], "╰");
        strcpy(f->comp[PT_BOTTOM_RIGHT], "╯");
    }
    /* which lines comfy-table draws (its should_draw_* rules) */
    f->left = pt_has(f, PT_TOP_LEFT) || pt_has(f, PT_LEFT_BORDER) || pt_has(f, PT_LEFT_BORDER_X) ||
              pt_has(f, PT_LEFT_HEADER_X) || pt_has(f, PT_BOTTOM_LEFT);
    f->right = pt_has(f, PT_TOP_RIGHT) || pt_has(f, PT_RIGHT_BORDER) ||
               pt_has(f, PT_RIGHT_BORDER_X) || pt_has(f, PT_RIGHT_HEADER_X) ||
               pt_has(f, PT_BOTTOM_RIGHT);
    f->vertical = pt_has(f, PT_TOP_BORDER_X) || pt_has(f, PT_MIDDLE_HEADER_X) ||
                  pt_has(f, PT_VERTICAL_LINES) || pt_has(f, PT_MIDDLE_X) ||
                  pt_has(f, PT_BOTTOM_BORDER_X);
    f->top = pt_has(f, PT_TOP_LEFT) || pt_has(f, PT_TOP_BORDER) || pt_has(f, PT_TOP_BORDER_X) ||
             pt_has(f, PT_TOP_RIGHT);
    f->bottom = pt_has(f, PT_BOTTOM_LEFT) || pt_has(f, PT_BOTTOM_BORDER) ||
                pt_has(f, PT_BOTTOM_BORDER_X) || pt_has(f, PT_BOTTOM_RIGHT);
    f->header_line = pt_has(f, PT_LEFT_HEADER_X) || pt_has(f, PT_HEADER_LINES) ||
                     pt_has(f, PT_MIDDLE_HEADER_X) || pt_has(f, PT_RIGHT_HEADER_X);
    f->horizontal = pt_has(f, PT_LEFT_BORDER_X) || pt_has(f, PT_HORIZONTAL_LINES) ||
                    pt_has(f, PT_MIDDLE_X) || pt_has(f, PT_RIGHT_BORDER_X);
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

void pt_arrange(pt_grid *g, int64_t table_width, const pt_frame *style) {
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
static void pt_hline(nl_strbuf *sb, const pt_grid *g, const pt_frame *st, int left, int fill,
                     int mid, int right) {
    if (st->left) nl_strbuf_puts(sb, pt_comp(st, left));
    for (int64_t c = 0; c < g->n_cols; c++) {
        if (c) nl_strbuf_puts(sb, pt_comp(st, mid));
        nl_strbuf_repeat(sb, pt_comp(st, fill), (size_t)(g->cols[c].width + PT_PADDING));
    }
    if (st->right) nl_strbuf_puts(sb, pt_comp(st, right));
    nl_strbuf_putc(sb, '\n');
}

static nl_status pt_render_row(nl_strbuf *sb, const pt_grid *g, const pt_frame *st, int64_t r,
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

nl_status pt_draw(nl_strbuf *sb, const pt_grid *g, const pt_frame *f, nl_error *err) {
    nl_status st = NL_OK;
    if (f->top) pt_hline(sb, g, f, PT_TOP_LEFT, PT_TOP_BORDER, PT_TOP_BORDER_X, PT_TOP_RIGHT);
    if (g->has_header) {
        st = pt_render_row(sb, g, f, 0, err);
        if (st == NL_OK && f->header_line)
            pt_hline(sb, g, f, PT_LEFT_HEADER_X, PT_HEADER_LINES, PT_MIDDLE_HEADER_X,
                     PT_RIGHT_HEADER_X);
    }
    for (int64_t r = 1; st == NL_OK && r <= g->n_rows; r++) {
        st = pt_render_row(sb, g, f, r, err);
        if (st == NL_OK && r < g->n_rows && f->horizontal)
            pt_hline(sb, g, f, PT_LEFT_BORDER_X, PT_HORIZONTAL_LINES, PT_MIDDLE_X,
                     PT_RIGHT_BORDER_X);
    }
    if (st == NL_OK && f->bottom)
        pt_hline(sb, g, f, PT_BOTTOM_LEFT, PT_BOTTOM_BORDER, PT_BOTTOM_BORDER_X, PT_BOTTOM_RIGHT);
    return st;
}
