/*
 * print_value.c -- the text of one value as Polars' table shows it.
 *
 * Polars formats cells with its own rules, which the table printer must match
 * byte for byte: floats through "fmt_float" (10.0, 0.1, 1.0000e10, 3.141593),
 * temporal values through chrono's Display (fractions of 3, 6 or 9 digits, the
 * zone abbreviation after tz-aware timestamps), durations as "1d 1h 1m 1s 1ms",
 * lists as [1, 2, … 5] and structs as {1,"a"}, strings quoted only when nested.
 * Zone abbreviations come from the system's TZif files (RFC 8536), as chrono-tz
 * takes them from the same tz database.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- time zones (RFC 8536 TZif files) --------------------------------------- */

#define PV_TZ_DIR      "/usr/share/zoneinfo/"
#define PV_TZ_MAX_FILE (1 << 20)

typedef struct pv_ttinfo {
    int32_t utoff;
    char abbr[16];
} pv_ttinfo;

/* A POSIX TZ rule "Mm.w.d[/time]": the d-th weekday (0 = Sunday) of week w
 * (5 = last) of month m, at `secs` local time. */
typedef struct pv_rule_date {
    int month, week, wday;
    int32_t secs;
} pv_rule_date;

/* The TZif footer (RFC 8536, 3.3): the rule for times past the last
 * transition, e.g. "CET-1CEST,M3.5.0,M10.5.0/3". */
typedef struct pv_footer {
    bool valid, has_dst;
    pv_ttinfo std, dst;
    pv_rule_date start, end;
} pv_footer;

struct nl_print_zone {
    char *name;
    bool valid;
    int64_t n_trans;
    int64_t *trans; /* UTC seconds of each transition */
    uint8_t *trans_type;
    int32_t n_types;
    pv_ttinfo *types;
    pv_footer footer;
};

static uint32_t pv_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int64_t pv_be64(const uint8_t *p) {
    return (int64_t)((uint64_t)pv_be32(p) << 32 | pv_be32(p + 4));
}

/* A zone name is a relative path of letters, digits, '_', '-', '+' and '/'. */
static bool pv_zone_name_ok(const char *name) {
    if (!name[0] || name[0] == '/' || strstr(name, "..") || strlen(name) > 200) return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '+' || c == '/'))
            return false;
    }
    return true;
}

/* ---- POSIX TZ rules (the TZif footer) ---- */

static bool pv_tz_name(const char **p, char *out, size_t size) {
    const char *s = *p;
    size_t n = 0;
    if (*s == '<') {
        s++;
        while (*s && *s != '>' && n + 1 < size)
            out[n++] = *s++;
        if (*s != '>') return false;
        s++;
    } else {
        while (((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) && n + 1 < size)
            out[n++] = *s++;
    }
    out[n] = 0;
    *p = s;
    return n >= 3 || (n > 0 && out[0] != 0);
}

/* [+-]hh[:mm[:ss]] in seconds. */
static bool pv_tz_hms(const char **p, int32_t *out) {
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    int32_t parts[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9') {
            if (k == 0) return false;
            break;
        }
        int32_t v = 0;
        while (*s >= '0' && *s <= '9' && v < 1000)
            v = v * 10 + (*s++ - '0');
        parts[k] = v;
        if (*s != ':' || k == 2) break;
        s++;
    }
    *out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    *p = s;
    return true;
}

static bool pv_tz_date(const char **p, pv_rule_date *d) {
    const char *s = *p;
    if (*s++ != 'M') return false; /* "Jn" and "n" forms are not used by tzdata's zones */
    int v[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9') return false;
        while (*s >= '0' && *s <= '9' && v[k] < 100)
            v[k] = v[k] * 10 + (*s++ - '0');
        if (k < 2 && *s++ != '.') return false;
    }
    if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 5 || v[2] > 6) return false;
    d->month = v[0];
    d->week = v[1];
    d->wday = v[2];
    d->secs = 7200;
    if (*s == '/') {
        s++;
        if (!pv_tz_hms(&s, &d->secs)) return false;
    }
    *p = s;
    return true;
}

static bool pv_footer_parse(pv_footer *f, const char *s) {
    memset(f, 0, sizeof *f);
    int32_t off;
    if (!pv_tz_name(&s, f->std.abbr, sizeof f->std.abbr) || !pv_tz_hms(&s, &off)) return false;
    f->std.utoff = -off; /* POSIX offsets are west of Greenwich */
    if (*s == 0) return f->valid = true;
    if (!pv_tz_name(&s, f->dst.abbr, sizeof f->dst.abbr)) return false;
    f->dst.utoff = f->std.utoff + 3600;
    if (*s != ',' && *s != 0) {
        if (!pv_tz_hms(&s, &off)) return false;
        f->dst.utoff = -off;
    }
    if (*s++ != ',' || !pv_tz_date(&s, &f->start) || *s++ != ',' || !pv_tz_date(&s, &f->end) || *s)
        return false;
    f->has_dst = true;
    return f->valid = true;
}

/* UTC second at which rule date `d` of `year` happens, `off` being the local
 * offset in force just before it. */
static int64_t pv_rule_instant(const pv_rule_date *d, int64_t year, int32_t off) {
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t first = nl_days_from_civil(year, (unsigned)d->month, 1);
    int wd_first = (int)(((first % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
    int day = 1 + (d->wday - wd_first + 7) % 7 + (d->week - 1) * 7;
    int days_in = dim[d->month - 1];
    if (d->month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) days_in = 29;
    while (day > days_in)
        day -= 7;
    return (first + day - 1) * 86400 + d->secs - off;
}

/* The local time type of the footer rule at UTC second t. */
static const pv_ttinfo *pv_footer_at(const pv_footer *f, int64_t t) {
    if (!f->has_dst) return &f->std;
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(pv_floor_div(t + f->std.utoff, 86400), &y, &m, &d);
    int64_t start = pv_rule_instant(&f->start, y, f->std.utoff);
    int64_t end = pv_rule_instant(&f->end, y, f->dst.utoff);
    bool dst = start < end ? (t >= start && t < end) : (t >= start || t < end);
    return dst ? &f->dst : &f->std;
}

/* Parses a TZif file (version 2+ uses the 64-bit block). Every count is
 * checked against the file size before use. */
static bool pv_zone_parse(nl_print_zone *z, const uint8_t *buf, size_t size) {
    if (size < 44 || memcmp(buf, "TZif", 4) != 0) return false;
    int version = buf[4];
    size_t pos = 0;
    int time_size = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (pos + 44 > size) return false;
        const uint8_t *h = buf + pos;
        uint64_t isut = pv_be32(h + 20), isstd = pv_be32(h + 24), leap = pv_be32(h + 28);
        uint64_t timecnt = pv_be32(h + 32), typecnt = pv_be32(h + 36), charcnt = pv_be32(h + 40);
        uint64_t block = timecnt * (uint64_t)time_size + timecnt + typecnt * 6 + charcnt +
                         leap * (uint64_t)(time_size + 4) + isstd + isut;
        if (block > size - pos - 44) return false;
        if (pass == 0 && version >= '2') {
            pos += 44 + block;
            time_size = 8;
            continue;
        }
        const uint8_t *p = h + 44;
        if (typecnt == 0 || typecnt > 256) return false;
        z->trans = nl_malloc((timecnt ? timecnt : 1) * sizeof *z->trans);
        z->trans_type = nl_malloc(timecnt ? timecnt : 1);
        z->types = nl_calloc(typecnt, sizeof *z->types);
        if (!z->trans || !z->trans_type || !z->types) return false;
        for (uint64_t k = 0; k < timecnt; k++)
            z->trans[k] = time_size == 8 ? pv_be64(p + k * 8) : (int32_t)pv_be32(p + k * 4);
        p += timecnt * (uint64_t)time_size;
        for (uint64_t k = 0; k < timecnt; k++) {
            if (p[k] >= typecnt) return false;
            z->trans_type[k] = p[k];
        }
        p += timecnt;
        const uint8_t *chars = p + typecnt * 6;
        for (uint64_t k = 0; k < typecnt; k++) {
            z->types[k].utoff = (int32_t)pv_be32(p + k * 6);
            uint8_t idx = p[k * 6 + 5];
            if (idx >= charcnt) return false;
            size_t n = 0;
            while (idx + n < charcnt && chars[idx + n] && n + 1 < sizeof z->types[k].abbr)
                n++;
            memcpy(z->types[k].abbr, chars + idx, n);
            z->types[k].abbr[n] = 0;
        }
        z->n_trans = (int64_t)timecnt;
        z->n_types = (int32_t)typecnt;
        /* the footer: "\n<rule>\n" after the 64-bit block */
        size_t fpos = pos + 44 + (size_t)block;
        if (version >= '2' && fpos < size && buf[fpos] == '\n') {
            size_t e = fpos + 1;
            while (e < size && buf[e] != '\n')
                e++;
            if (e < size && e - fpos - 1 < 128) {
                char rule[128];
                memcpy(rule, buf + fpos + 1, e - fpos - 1);
                rule[e - fpos - 1] = 0;
                pv_footer_parse(&z->footer, rule);
            }
        }
        return true;
    }
    return false;
}

static void pv_zone_load(nl_print_zone *z) {
    if (strcmp(z->name, "UTC") == 0 || strcmp(z->name, "Etc/UTC") == 0 ||
        strcmp(z->name, "Z") == 0) {
        z->types = nl_calloc(1, sizeof *z->types);
        if (!z->types) return;
        strcpy(z->types[0].abbr, "UTC");
        z->n_types = 1;
        z->valid = true;
        return;
    }
    if (!pv_zone_name_ok(z->name)) return;
    char path[256];
    snprintf(path, sizeof path, PV_TZ_DIR "%s", z->name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= PV_TZ_MAX_FILE) {
        buf = nl_malloc((size_t)st.st_size);
        size_t got = 0;
        while (buf && got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
            if (r <= 0) break;
            got += (size_t)r;
        }
        if (buf && got == (size_t)st.st_size) z->valid = pv_zone_parse(z, buf, got);
    }
    nl_free(buf);
    close(fd);
}

static void pv_zone_free(nl_print_zone *z) {
    if (!z) return;
    nl_free(z->name);
    nl_free(z->trans);
    nl_free(z->trans_type);
    nl_free(z->types);
    nl_free(z);
}

void nl_print_ctx_init(nl_print_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
    ctx->list_len = 3;
    const char *preset = getenv("POLARS_FMT_TABLE_FORMATTING");
    ctx->ellipsis = preset && strncmp(preset, "ASCII", 5) == 0 ? "..." : "…";
    const char *env = getenv("POLARS_FMT_TABLE_CELL_LIST_LEN");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (*end == 0) ctx->list_len = n < 0 ? INT_MAX : (n > INT_MAX ? INT_MAX : (int)n);
    }
}

void nl_print_ctx_clear(nl_print_ctx *ctx) {
    for (int i = 0; i < ctx->n_zones; i++)
        pv_zone_free(ctx->zones[i]);
    nl_free(ctx->zones);
    ctx->zones = NULL;
    ctx->n_zones = ctx->cap_zones = 0;
}

static nl_print_zone *pv_zone_get(nl_print_ctx *ctx, const char *name) {
    for (int i = 0; i < ctx->n_zones; i++)
        if (strcmp(ctx->zones[i]->name, name) == 0) return ctx->zones[i];
    if (ctx->n_zones == ctx->cap_zones) {
        int cap = ctx->cap_zones ? ctx->cap_zones * 2 : 4;
        nl_print_zone **zs = nl_realloc(ctx->zones, (size_t)cap * sizeof *zs);
        if (!zs) return NULL;
        ctx->zones = zs;
        ctx->cap_zones = cap;
    }
    nl_print_zone *z = nl_calloc(1, sizeof *z);
    if (!z) return NULL;
    z->name = nl_strdup(name);
    if (!z->name) {
        nl_free(z);
        return NULL;
    }
    pv_zone_load(z);
    ctx->zones[ctx->n_zones++] = z;
    return z;
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

bool nl_print_zone_offset(nl_print_ctx *ctx, const char *zone_name, int64_t t, int32_t *offset,
                          const char **abbr) {
    nl_print_zone *z = pv_zone_get(ctx, zone_name);
    if (!z || !z->valid) return false;
    /* Before the first transition: type 0 (RFC 8536, 3.2). After the last one
     * the footer's rule applies; chrono-tz (whose output we match) carries the
     * rule's transitions to the end of 2099 and keeps the last state after. */
    if (z->n_trans > 0 && t > z->trans[z->n_trans - 1] && z->footer.valid) {
        const int64_t end_2099 = 4102444799; /* 2099-12-31T23:59:59Z */
        const pv_ttinfo *tt = pv_footer_at(&z->footer, t < end_2099 ? t : end_2099);
        *offset = tt->utoff;
        *abbr = tt->abbr;
        return true;
    }
    int32_t type = 0;
    if (z->n_trans > 0 && t >= z->trans[0]) {
        int64_t lo = 0, hi = z->n_trans - 1;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if (z->trans[mid] <= t)
                lo = mid;
            else
                hi = mid - 1;
        }
        type = z->trans_type[lo];
    }
    *offset = z->types[type].utoff;
    *abbr = z->types[type].abbr;
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
