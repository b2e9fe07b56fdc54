/*
 * print_internal.h -- what the printer's files share: the text of one value as
 * Polars shows it (print_value.c), display widths, and the plain-text formats
 * (print_formats.c) that print.c dispatches to. Not part of any public API.
 */
#ifndef NL_COLUMNAR_PRINT_INTERNAL_H
#define NL_COLUMNAR_PRINT_INTERNAL_H

#include "base/strbuf.h"
#include "columnar/print.h"

/* A parsed time zone (UTC, a fixed offset, or a TZif file from the system's
 * zoneinfo), for showing tz-aware timestamps in local time. */
typedef struct nl_print_zone nl_print_zone;

/* Per-column formatting state: the zones of the column's timestamp types
 * (nested ones included), loaded lazily, and the list length limit. */
typedef struct nl_print_ctx {
    int list_len;          /* items shown in a list before "…" (Polars: 3) */
    const char *ellipsis;  /* "…", or "..." under Polars' ASCII table presets */
    nl_print_zone **zones; /* cache by zone name */
    int n_zones;
    int cap_zones;
} nl_print_ctx;

void nl_print_ctx_init(nl_print_ctx *ctx);
void nl_print_ctx_clear(nl_print_ctx *ctx);

/* Appends value i of `a` as Polars' table shows it: `nested` is false for a
 * top-level cell (strings bare) and true inside lists and structs (strings
 * quoted). Nulls print as "null". */
void nl_print_value(nl_strbuf *sb, const nl_array *a, int64_t i, bool nested, nl_print_ctx *ctx);

/* Polars' float text ("10.0", "0.1", "1.0000e10", "3.141593"). */
void nl_print_float(nl_strbuf *sb, double v);
/* Rust's Display of an f64: shortest round-trip digits, never an exponent. */
void nl_print_double_plain(nl_strbuf *sb, double v);
/* Decimal text of an unscaled 128-bit value at `scale` ("-0.05"). */
void nl_print_decimal(nl_strbuf *sb, __int128 v, int32_t scale);
/* "YYYY-MM-DD". */
void nl_print_date(nl_strbuf *sb, int64_t days);
/* "YYYY-MM-DD{sep}HH:MM:SS[.fff|.ffffff|.fffffffff]" of a naive instant, the
 * fraction as chrono prints it (shortest of 3, 6 or 9 digits, none when 0). */
void nl_print_naive_datetime(nl_strbuf *sb, int64_t v, nl_time_unit unit, char sep);
/* Seconds east of UTC of `zone_name` at UTC second `t`, and its abbreviation;
 * false when the zone is unknown. */
bool nl_print_zone_offset(nl_print_ctx *ctx, const char *zone_name, int64_t t, int32_t *offset,
                          const char **abbr);

/* Cut points of Polars' layout: the display width of UTF-8 text, and Polars'
 * own rough estimate of it (used for its column constraints). */
int64_t nl_print_estimate_width(const char *s, size_t len);

/* The plain-text formats (print_formats.c), whole tables or batch by batch
 * (CSV: the header once, then each batch; JSON: "[", each batch with *first
 * tracking the commas, "]\n"; NDJSON: each batch). */
void nl_print_csv_header(nl_strbuf *sb, const nl_schema *schema);
void nl_print_csv_batch(nl_strbuf *sb, const nl_batch *batch, nl_print_ctx *ctx);
void nl_print_json_batch(nl_strbuf *sb, const nl_batch *batch, bool ndjson, bool *first,
                         nl_print_ctx *ctx);
nl_status nl_print_csv(nl_strbuf *sb, const nl_table *t, nl_error *err);
nl_status nl_print_json(nl_strbuf *sb, const nl_table *t, bool ndjson, nl_error *err);
nl_status nl_print_markdown(nl_strbuf *sb, const nl_table *t, nl_error *err);

#endif
