/*
 * print_value.c -- the text of one value as Polars' table shows it.
 *
 * Polars formats cells with its own rules, which the table printer must match
 * byte for byte: floats through "fmt_float" (10.0, 0.1, 1.0000e10, 3.141593),
 * temporal values through chrono's Display (fractions of 3, 6 or 9 digits, the
 * zone abbreviation after tz-aware timestamps), durations as "1d 1h 1m 1s 1ms",
 * lists as [1, 2, … 5] and structs as {1,"a"}, strings quoted only when nested.
 * Zones and their abbreviations are print_zone.c's.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "columnar/cast.h"
#include "columnar/print_internal.h"

/* ---- floats ----------------------------------------------------------- */

/* Shortest decimal digits that read back as v (v finite, > 0): digits in
 * `digits` (no point), returns the count, *exp10 is the exponent of the first
 * digit (v = d.ddd × 10^exp10). Any decimal of at most 15 significant digits
 * survives a trip through a double (DBL_DIG), so when the 15-digit rounding
 * reads back as v, it is the shortest once its trailing zeros go; otherwise
 * 16, then 17 digits (which always read back). */
static int pv_shortest_digits(double v, char *digits, int *exp10) {
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        if (prec == 17 || strtod(buf, NULL) == v) break;
    }
    /* buf is "d.ddde±XX" or "de±XX" */
    int n = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    *exp10 = atoi(p + 1);
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    return n;
}

void nl_print_double_plain(nl_strbuf *sb, double v) {
    if (isnan(v)) {
        nl_strbuf_puts(sb, "NaN");
        return;
    }
    if (signbit(v)) nl_strbuf_putc(sb, '-');
    v = fabs(v);
    if (isinf(v)) {
        nl_strbuf_puts(sb, "inf");
        return;
    }
    if (v == 0) {
        nl_strbuf_putc(sb, '0');
        return;
    }
    char d[24];
    int e;
    int n = pv_shortest_digits(v, d, &e);
    if (e >= 0) {
        for (int k = 0; k <= e; k++)
            nl_strbuf_putc(sb, k < n ? d[k] : '0');
        if (n > e + 1) {
            nl_strbuf_putc(sb, '.');
            nl_strbuf_append(sb, d + e + 1, (size_t)(n - e - 1));
        }
    } else {
        nl_strbuf_puts(sb, "0.");
        for (int k = 0; k < -e - 1; k++)
            nl_strbuf_putc(sb, '0');
        nl_strbuf_append(sb, d, (size_t)n);
    }
}

/* Rust's {:e}: shortest digits, "1e6", "1.6777216e7", "-2.5e-10". */
static void pv_double_exp(nl_strbuf *sb, double v) {
    if (signbit(v)) nl_strbuf_putc(sb, '-');
    v = fabs(v);
    if (v == 0) {
        nl_strbuf_puts(sb, "0e0");
        return;
    }
    char d[24];
    int e;
    int n = pv_shortest_digits(v, d, &e);
    nl_strbuf_putc(sb, d[0]);
    if (n > 1) {
        nl_strbuf_putc(sb, '.');
        nl_strbuf_append(sb, d + 1, (size_t)(n - 1));
    }
    nl_strbuf_printf(sb, "e%d", e);
}

/* Rust's {:.4e}: "1.0000e10", "2.5000e-10" (no '+', no exponent padding). */
static void pv_double_exp4(nl_strbuf *sb, double v) {
    char buf[48];
    snprintf(buf, sizeof buf, "%.4e", v);
    char *e = strchr(buf, 'e');
    if (!e) {
        nl_strbuf_puts(sb, buf);
        return;
    }
    nl_strbuf_append(sb, buf, (size_t)(e - buf + 1));
    nl_strbuf_printf(sb, "%d", atoi(e + 1));
}

/* Polars' fmt_float in its default ("mixed") mode, bound 999999. */
void nl_print_float(nl_strbuf *sb, double v) {
    const double bound = 999999.0;
    bool integral = isfinite(v) && v == trunc(v);
    if (integral && fabs(v) < bound) {
        nl_strbuf_printf(sb, "%.1f", v);
        return;
    }
    nl_strbuf plain = NL_STRBUF_INIT;
    nl_print_double_plain(&plain, v);
    if (!plain.failed && plain.len > 9) {
        double a = fabs(v);
        if (!(a >= 0.000001 && a <= bound) || a > bound) {
            pv_double_exp4(sb, v);
        } else {
            char buf[64];
            int n = snprintf(buf, sizeof buf, "%.6f", v);
            if (n > 0 && buf[n - 1] == '0') {
                while (n > 0 && buf[n - 1] == '0')
                    n--;
                if (n > 0 && buf[n - 1] == '.') buf[n++] = '0';
                buf[n] = 0;
            }
            nl_strbuf_puts(sb, buf);
        }
    } else if (integral) {
        pv_double_exp(sb, v);
    } else {
        nl_strbuf_append(sb, plain.data, plain.len);
    }
    nl_strbuf_free(&plain);
}

/* ---- integers and decimals --------------------------------------------- */

static void pv_u128(nl_strbuf *sb, unsigned __int128 u, int min_digits) {
    char buf[48];
    int n = 0;
    do {
        buf[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    while (n < min_digits)
        buf[n++] = '0';
    while (n)
        nl_strbuf_putc(sb, buf[--n]);
}

void nl_print_decimal(nl_strbuf *sb, __int128 v, int32_t scale) {
    unsigned __int128 u =
        v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    if (v < 0) nl_strbuf_putc(sb, '-');
    if (scale <= 0) {
        pv_u128(sb, u, 1);
        return;
    }
    unsigned __int128 pow = 1;
    for (int32_t k = 0; k < scale && k < 38; k++)
        pow *= 10;
    pv_u128(sb, u / pow, 1);
    nl_strbuf_putc(sb, '.');
    pv_u128(sb, u % pow, scale);
}

/* ---- temporal ------------------------------------------------------------ */

static int64_t pv_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static void pv_year(nl_strbuf *sb, int64_t y) {
    /* chrono: four digits within 0..=9999, else a sign and at least 4 digits */
    if (y >= 0 && y <= 9999)
        nl_strbuf_printf(sb, "%04lld", (long long)y);
    else
        nl_strbuf_printf(sb, "%+05lld", (long long)y);
}

void nl_print_date(nl_strbuf *sb, int64_t days) {
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    pv_year(sb, y);
    nl_strbuf_printf(sb, "-%02u-%02u", m, d);
}

static int64_t pv_unit_per_second(nl_time_unit unit) {
    switch (unit) {
    case NL_UNIT_SECOND: return 1;
    case NL_UNIT_MILLI: return 1000;
    case NL_UNIT_MICRO: return 1000000;
    case NL_UNIT_NANO: return 1000000000;
    }
    return 1;
}

/* HH:MM:SS and chrono's fraction, from seconds of the day and nanoseconds. */
static void pv_clock(nl_strbuf *sb, int64_t sec_of_day, int64_t nanos) {
    nl_strbuf_printf(sb, "%02lld:%02lld:%02lld", (long long)(sec_of_day / 3600),
                     (long long)(sec_of_day / 60 % 60), (long long)(sec_of_day % 60));
    if (nanos == 0) return;
    if (nanos % 1000000 == 0)
        nl_strbuf_printf(sb, ".%03lld", (long long)(nanos / 1000000));
    else if (nanos % 1000 == 0)
        nl_strbuf_printf(sb, ".%06lld", (long long)(nanos / 1000));
    else
        nl_strbuf_printf(sb, ".%09lld", (long long)nanos);
}

/* Splits a value in `unit` into whole seconds (floor) and nanoseconds. */
static void pv_split(int64_t v, nl_time_unit unit, int64_t *secs, int64_t *nanos) {
    int64_t per = pv_unit_per_second(unit);
    *secs = pv_floor_div(v, per);
    *nanos = (v - *secs * per) * (1000000000 / per);
}

static void pv_datetime_secs(nl_strbuf *sb, int64_t secs, int64_t nanos, char sep) {
    int64_t days = pv_floor_div(secs, 86400);
    nl_print_date(sb, days);
    nl_strbuf_putc(sb, sep);
    pv_clock(sb, secs - days * 86400, nanos);
}

void nl_print_naive_datetime(nl_strbuf *sb, int64_t v, nl_time_unit unit, char sep) {
    int64_t secs, nanos;
    pv_split(v, unit, &secs, &nanos);
    pv_datetime_secs(sb, secs, nanos, sep);
}

static void pv_time(nl_strbuf *sb, int64_t v, nl_time_unit unit) {
    int64_t secs, nanos;
    pv_split(v, unit, &secs, &nanos);
    secs %= 86400;
    if (secs < 0) secs += 86400;
    pv_clock(sb, secs, nanos);
}

/* Polars' fmt_duration_string: "3d 22m 55s 1ms", "0ms", "-1µs". Seconds are
 * shown as milliseconds (Polars has no seconds unit). */
static void pv_duration(nl_strbuf *sb, int64_t v, nl_time_unit unit) {
    if (unit == NL_UNIT_SECOND) {
        if (v > INT64_MAX / 1000 || v < INT64_MIN / 1000) {
            nl_strbuf_printf(sb, "%llds", (long long)v);
            return;
        }
        v *= 1000;
        unit = NL_UNIT_MILLI;
    }
    static const char *const zero[] = {"0s", "0ms", "0µs", "0ns"};
    if (v == 0) {
        nl_strbuf_puts(sb, zero[unit]);
        return;
    }
    static const char *const parts[4] = {"d", "h", "m", "s"};
    int64_t per = pv_unit_per_second(unit);
    int64_t sizes[4] = {86400 * per, 3600 * per, 60 * per, per};
    for (int i = 0; i < 4; i++) {
        int64_t whole = i == 0 ? v / sizes[0] : (v % sizes[i - 1]) / sizes[i];
        if (whole != 0) {
            nl_strbuf_printf(sb, "%lld%s", (long long)whole, parts[i]);
            if (v % sizes[i] != 0) nl_strbuf_putc(sb, ' ');
        }
    }
    int64_t frac = v % per;
    const char *units[3];
    if (unit == NL_UNIT_NANO) {
        units[0] = "ns";
        units[1] = "µs";
        units[2] = "ms";
    } else if (unit == NL_UNIT_MICRO) {
        units[0] = "µs";
        units[1] = "ms";
        units[2] = "";
    } else {
        units[0] = "ms";
        units[1] = "";
        units[2] = "";
    }
    if (frac != 0) {
        if (frac % 1000 != 0)
            nl_strbuf_printf(sb, "%lld%s", (long long)frac, units[0]);
        else if (frac % 1000000 != 0)
            nl_strbuf_printf(sb, "%lld%s", (long long)(frac / 1000), units[1]);
        else
            nl_strbuf_printf(sb, "%lld%s", (long long)(frac / 1000000), units[2]);
    }
}

/* "+01:00" / "-0530" style fixed offsets, in seconds. */
static bool pv_fixed_offset(const char *s, int32_t *off) {
    if ((s[0] != '+' && s[0] != '-') || strlen(s) < 3) return false;
    int h = 0, m = 0;
    const char *p = s + 1;
    if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9')) return false;
    h = (p[0] - '0') * 10 + (p[1] - '0');
    p += 2;
    if (*p == ':') p++;
    if (*p) {
        if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') || p[2]) return false;
        m = (p[0] - '0') * 10 + (p[1] - '0');
    }
    *off = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
    return true;
}

static void pv_datetime_tz(nl_strbuf *sb, int64_t v, nl_time_unit unit, const char *tz,
                           nl_print_ctx *ctx) {
    int64_t secs, nanos;
    pv_split(v, unit, &secs, &nanos);
    int32_t off;
    const char *abbr;
    if (nl_print_zone_offset(ctx, tz, secs, &off, &abbr)) {
        pv_datetime_secs(sb, secs + off, nanos, ' ');
        nl_strbuf_putc(sb, ' ');
        nl_strbuf_puts(sb, abbr);
    } else if (pv_fixed_offset(tz, &off)) {
        pv_datetime_secs(sb, secs + off, nanos, ' ');
        nl_strbuf_printf(sb, " %c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 3600,
                         abs(off) / 60 % 60);
    } else {
        nl_strbuf_puts(sb, "invalid timezone");
    }
}

/* ---- strings, binary, nested ----------------------------------------------- */

/* Polars' format_blob: b"..." with printable ASCII kept and other bytes as \xNN,
 * at most 2 × the string limit (30) bytes. */
static void pv_blob(nl_strbuf *sb, const uint8_t *p, int64_t n, const char *ellipsis) {
    const int64_t width = 60;
    nl_strbuf_puts(sb, "b\"");
    for (int64_t k = 0; k < n && k < width; k++) {
        uint8_t c = p[k];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= 0x21 && c <= 0x7e))
            nl_strbuf_putc(sb, (char)c);
        else
            nl_strbuf_printf(sb, "\\x%02x", c);
    }
    nl_strbuf_putc(sb, '"');
    if (n > width) nl_strbuf_puts(sb, ellipsis);
}

/* Polars' Series::fmt_list: "[1, 2, 3]", "[1, 2, … 9]" past the item limit. */
static void pv_list(nl_strbuf *sb, const nl_array *a, int64_t i, nl_print_ctx *ctx) {
    int64_t start, end;
    nl_array_list_range(a, i, &start, &end);
    const nl_array *child = a->children[0];
    int64_t n = end - start;
    if (n <= 0) {
        nl_strbuf_puts(sb, "[]");
        return;
    }
    nl_strbuf_putc(sb, '[');
    int64_t max = ctx->list_len;
    if (max == 0) {
        nl_strbuf_puts(sb, ctx->ellipsis);
        nl_strbuf_putc(sb, ']');
        return;
    }
    if (max >= n) {
        for (int64_t k = 0; k < n; k++) {
            if (k) nl_strbuf_puts(sb, ", ");
            nl_print_value(sb, child, start + k, true, ctx);
        }
    } else {
        for (int64_t k = 0; k < max - 1; k++) {
            nl_print_value(sb, child, start + k, true, ctx);
            nl_strbuf_puts(sb, ", ");
        }
        nl_strbuf_puts(sb, ctx->ellipsis);
        nl_strbuf_putc(sb, ' ');
        nl_print_value(sb, child, end - 1, true, ctx);
    }
    nl_strbuf_putc(sb, ']');
}

void nl_print_value(nl_strbuf *sb, const nl_array *a, int64_t i, bool nested, nl_print_ctx *ctx) {
    if (nl_array_is_null(a, i)) {
        nl_strbuf_puts(sb, "null");
        return;
    }
    const nl_type *t = a->type;
    switch (t->id) {
    case NL_TYPE_NULL: nl_strbuf_puts(sb, "null"); return;
    case NL_TYPE_BOOL: nl_strbuf_puts(sb, nl_array_bool(a, i) ? "true" : "false"); return;
    case NL_TYPE_INT8: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int8_t)[i]); return;
    case NL_TYPE_INT16: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int16_t)[i]); return;
    case NL_TYPE_INT32: nl_strbuf_printf(sb, "%d", NL_ARRAY_VALUES(a, int32_t)[i]); return;
    case NL_TYPE_INT64:
        nl_strbuf_printf(sb, "%lld", (long long)NL_ARRAY_VALUES(a, int64_t)[i]);
        return;
    case NL_TYPE_UINT8: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint8_t)[i]); return;
    case NL_TYPE_UINT16: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint16_t)[i]); return;
    case NL_TYPE_UINT32: nl_strbuf_printf(sb, "%u", NL_ARRAY_VALUES(a, uint32_t)[i]); return;
    case NL_TYPE_UINT64:
        nl_strbuf_printf(sb, "%llu", (unsigned long long)NL_ARRAY_VALUES(a, uint64_t)[i]);
        return;
    case NL_TYPE_FLOAT32: nl_print_float(sb, (double)NL_ARRAY_VALUES(a, float)[i]); return;
    case NL_TYPE_FLOAT64: nl_print_float(sb, NL_ARRAY_VALUES(a, double)[i]); return;
    case NL_TYPE_DECIMAL128: nl_print_decimal(sb, nl_array_decimal(a, i), t->scale); return;
    case NL_TYPE_UTF8: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        if (nested) nl_strbuf_putc(sb, '"');
        nl_strbuf_append(sb, s, (size_t)len);
        if (nested) nl_strbuf_putc(sb, '"');
        return;
    }
    case NL_TYPE_BINARY: {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        pv_blob(sb, (const uint8_t *)s, len, ctx->ellipsis);
        return;
    }
    case NL_TYPE_DATE32: nl_print_date(sb, NL_ARRAY_VALUES(a, int32_t)[i]); return;
    case NL_TYPE_TIME64: pv_time(sb, NL_ARRAY_VALUES(a, int64_t)[i], t->unit); return;
    case NL_TYPE_TIMESTAMP: {
        int64_t v = NL_ARRAY_VALUES(a, int64_t)[i];
        if (t->timezone)
            pv_datetime_tz(sb, v, t->unit, t->timezone, ctx);
        else
            nl_print_naive_datetime(sb, v, t->unit, ' ');
        return;
    }
    case NL_TYPE_DURATION: pv_duration(sb, NL_ARRAY_VALUES(a, int64_t)[i], t->unit); return;
    case NL_TYPE_LIST: pv_list(sb, a, i, ctx); return;
    case NL_TYPE_STRUCT:
        nl_strbuf_putc(sb, '{');
        for (int32_t k = 0; k < a->n_children; k++) {
            if (k) nl_strbuf_putc(sb, ',');
            /* as in Arrow, a struct's offset applies to its children */
            nl_print_value(sb, a->children[k], a->offset + i, true, ctx);
        }
        nl_strbuf_putc(sb, '}');
        return;
    case NL_TYPE_COUNT_: break;
    }
    nl_strbuf_puts(sb, "?");
}
