/*
 * cast_text.c -- parsing and formatting single values as text: integers,
 * floats, decimals, booleans, dates, times and timestamps. Shared by casts,
 * CSV/JSON readers and writers, SQL literals and the table printer.
 *
 * Parsers accept surrounding ASCII whitespace and nothing else around the
 * value; they return false on bad text and on values that do not fit.
 *
 * Float text follows Polars (checked against nodejs-polars):
 *   nl_format_double  -- what Polars' cast to str gives: the shortest digits
 *                        that read back to the same double, positional when
 *                        the decimal exponent is in (-5, 16] ("10.0", "0.1",
 *                        "0.00001", "1000000000000000.0"), else scientific
 *                        with a signed exponent ("1e-6", "1.5e+16"); "NaN",
 *                        "inf", "-inf". Floats use the shortest float digits
 *                        and the window (-6, 13].
 *   nl_format_double_table -- what Polars' DataFrame display shows, which
 *                        trades digits for width: "1.0000e20", "1.2346e8",
 *                        "0.333333", "9.99999e5", "12.0".
 * Timestamps and times print as chrono does for Polars: the fraction only when
 * non-zero, in groups of 3, 6 or 9 digits ("12:34:56.500").
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columnar/cast.h"

/* ---- civil dates (proleptic Gregorian, days since 1970-01-01) ---- */

int32_t nl_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void nl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool txt_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned txt_days_in_month(int64_t y, unsigned m) {
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && txt_leap(y) ? 29 : dim[m - 1];
}

/* ---- scanning helpers ---- */

static bool txt_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static void txt_trim(const char **s, size_t *len) {
    while (*len > 0 && txt_space(**s)) (*s)++, (*len)--;
    while (*len > 0 && txt_space((*s)[*len - 1])) (*len)--;
}

/* Reads 1..max_digits digits at *p (< end) into *v. */
static bool txt_digits(const char **p, const char *end, int min_digits, int max_digits, int64_t *v) {
    int n = 0;
    int64_t acc = 0;
    while (*p < end && n < max_digits && **p >= '0' && **p <= '9') {
        acc = acc * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (n < min_digits) return false;
    *v = acc;
    return true;
}

/* ---- integers ---- */

static bool txt_parse_magnitude(const char **p, const char *end, uint64_t limit, uint64_t *out) {
    if (*p >= end) return false;
    uint64_t acc = 0;
    const char *start = *p;
    while (*p < end && **p >= '0' && **p <= '9') {
        unsigned dgt = (unsigned)(**p - '0');
        if (acc > (limit - dgt) / 10) return false;
        acc = acc * 10 + dgt;
        (*p)++;
    }
    if (*p == start || *p != end) return false;
    *out = acc;
    return true;
}

bool nl_parse_int64(const char *s, size_t len, int64_t *out) {
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t mag;
    if (!txt_parse_magnitude(&p, end, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &mag))
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

bool nl_parse_uint64(const char *s, size_t len, uint64_t *out) {
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    if (p < end && *p == '+') p++;
    return txt_parse_magnitude(&p, end, UINT64_MAX, out);
}

/* ---- floats ---- */

/* Clinger's fast path: "[-]ddd[.ddd][e[-]dd]" whose digits are at most 2^53 and
 * whose decimal exponent is within +-22 is one exact integer times or divided
 * by one exact power of ten, so a single IEEE operation rounds it correctly.
 * Returns false (undecided) for anything else. */
static bool txt_parse_double_fast(const char *s, size_t len, double *out) {
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    uint64_t mant = 0;
    int digits = 0, exp = 0;
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9') {
        if (mant != 0 || *p != '0') digits++;
        mant = mant * 10 + (uint64_t)(*p - '0');
        if (digits > 19) return false;
        p++;
    }
    bool any = p > start;
    if (p < end && *p == '.') {
        p++;
        const char *fs = p;
        while (p < end && *p >= '0' && *p <= '9') {
            if (mant != 0 || *p != '0') digits++;
            mant = mant * 10 + (uint64_t)(*p - '0');
            if (digits > 19) return false;
            exp--;
            p++;
        }
        any = any || p > fs;
    }
    if (!any) return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '-' || *p == '+')) eneg = *p++ == '-';
        const char *es = p;
        int e = 0;
        while (p < end && *p >= '0' && *p <= '9' && e < 1000) e = e * 10 + (*p++ - '0');
        if (p == es) return false;
        exp += eneg ? -e : e;
    }
    if (p != end || exp < -22 || exp > 22 || mant > ((uint64_t)1 << 53)) return false;
    double v = (double)mant; /* exact below 2^53 */
    v = exp < 0 ? v / pow10[-exp] : v * pow10[exp];
    *out = neg ? -v : v;
    return true;
}

bool nl_parse_double(const char *s, size_t len, double *out) {
    txt_trim(&s, &len);
    if (txt_parse_double_fast(s, len, out)) return true;
    char buf[512];
    if (len == 0 || len >= sizeof buf) return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        /* strtod would also take hex floats and "nan(...)": not number text here */
        if (c == 'x' || c == 'X' || c == '(' || c == '\0') return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *endp;
    errno = 0;
    double v = strtod(buf, &endp);
    if (endp != buf + len) return false;
    if (errno == ERANGE && isinf(v)) return false; /* "1e999": overflow, not infinity */
    *out = v;
    return true;
}

/* ---- integers to text ---- */

static const char txt_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Digits of v at the end of tmp[32]; returns the start. Two digits a step. */
static char *txt_u64_digits(uint64_t v, char *end) {
    char *p = end;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        p -= 2;
        memcpy(p, txt_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, txt_pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}

static int txt_copy_out(const char *s, int n, char *buf, size_t size) {
    if (size > 0) {
        size_t k = (size_t)n < size - 1 ? (size_t)n : size - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return n;
}

int nl_format_uint64(uint64_t v, char *buf, size_t size) {
    char tmp[32];
    char *p = txt_u64_digits(v, tmp + sizeof tmp);
    return txt_copy_out(p, (int)(tmp + sizeof tmp - p), buf, size);
}

int nl_format_int64(int64_t v, char *buf, size_t size) {
    char tmp[32];
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = txt_u64_digits(mag, tmp + sizeof tmp);
    if (v < 0) *--p = '-';
    return txt_copy_out(p, (int)(tmp + sizeof tmp - p), buf, size);
}

/* ---- decimals ---- */

static __int128 txt_pow10(int k) {
    __int128 r = 1;
    while (k-- > 0) r *= 10;
    return r;
}

bool nl_parse_decimal(const char *s, size_t len, int32_t precision, int32_t scale, __int128 *out) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return false;
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) neg = *p++ == '-';
    const char *int_start = p;
    while (p < end && *p >= '0' && *p <= '9') p++;
    const char *int_end = p;
    const char *frac_start = p, *frac_end = p;
    if (p < end && *p == '.') {
        frac_start = ++p;
        while (p < end && *p >= '0' && *p <= '9') p++;
        frac_end = p;
    }
    if (int_end == int_start && frac_end == frac_start) return false;
    int64_t exp = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool eneg = false;
        if (p < end && (*p == '-' || *p == '+')) eneg = *p++ == '-';
        const char *es = p;
        while (p < end && *p >= '0' && *p <= '9') {
            if (exp < 1000000) exp = exp * 10 + (*p - '0');
            p++;
        }
        if (p == es) return false;
        if (eneg) exp = -exp;
    }
    if (p != end) return false;

    /* Digit k of the mantissa (int digits then fraction digits) weighs
     * 10^(point - 1 - k); keep the digits down to 10^-scale, round on the next. */
    int64_t n_int = int_end - int_start, n_frac = frac_end - frac_start;
    int64_t n_digits = n_int + n_frac;
    int64_t point = n_int + exp;
    __int128 limit = txt_pow10(precision);
    __int128 acc = 0;
    int64_t k = 0;
    for (; k < n_digits; k++) {
        int64_t pos = point - 1 - k;
        char c = k < n_int ? int_start[k] : frac_start[k - n_int];
        int dgt = c - '0';
        if (pos < -(int64_t)scale) {
            if (pos == -(int64_t)scale - 1 && dgt >= 5) {
                acc += 1;
                if (acc >= limit) return false;
            }
            break;
        }
        acc = acc * 10 + dgt;
        if (acc >= limit) return false;
    }
    if (k == n_digits && acc != 0) {
        /* The mantissa ended above 10^-scale: scale up by the missing places. */
        int64_t missing = (point - n_digits) + scale;
        if (missing > 38) return false;
        for (int64_t j = 0; j < missing; j++) {
            acc *= 10;
            if (acc >= limit) return false;
        }
    }
    *out = neg ? -acc : acc;
    return true;
}

int nl_format_decimal(__int128 v, int32_t scale, char *buf, size_t size) {
    char digits[48];
    unsigned __int128 mag = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    char *end = digits + sizeof digits, *p;
    if (mag <= UINT64_MAX) {
        p = txt_u64_digits((uint64_t)mag, end);
    } else {
        /* 19 digits at a time through 64-bit arithmetic */
        const uint64_t e19 = 10000000000000000000ULL;
        p = end;
        while (mag > UINT64_MAX) {
            uint64_t low = (uint64_t)(mag % e19);
            mag /= e19;
            char *q = txt_u64_digits(low, p);
            while (q > p - 19) *--q = '0';
            p = q;
        }
        p = txt_u64_digits((uint64_t)mag, p);
    }
    if (scale < 0) scale = 0;
    if (scale > 38) scale = 38;
    int nd = (int)(end - p);
    while (nd <= scale) { /* at least one digit before the point */
        *--p = '0';
        nd++;
    }
    char tmp[64];
    int n = 0;
    if (v < 0) tmp[n++] = '-';
    memcpy(tmp + n, p, (size_t)(nd - scale));
    n += nd - scale;
    if (scale > 0) {
        tmp[n++] = '.';
        memcpy(tmp + n, p + nd - scale, (size_t)scale);
        n += scale;
    }
    return txt_copy_out(tmp, n, buf, size);
}

/* ---- booleans ---- */

bool nl_parse_bool(const char *s, size_t len, bool *out) {
    static const struct {
        const char *text;
        bool value;
    } words[] = {{"true", true}, {"false", false}, {"t", true},  {"f", false}, {"1", true},
                 {"0", false},   {"yes", true},    {"no", false}, {"y", true}, {"n", false}};
    txt_trim(&s, &len);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].text) == len && strncasecmp(words[i].text, s, len) == 0) {
            *out = words[i].value;
            return true;
        }
    }
    return false;
}

/* ---- dates, times, timestamps ---- */

static const int64_t txt_unit_per_second[4] = {1, 1000, 1000000, 1000000000};

/* "[+-]YYYY-M[M]-D[D]" at *p, advancing it. */
static bool txt_scan_date(const char **p, const char *end, int32_t *days) {
    bool neg = false;
    if (*p < end && (**p == '-' || **p == '+')) neg = *(*p)++ == '-';
    int64_t y, m, d;
    if (!txt_digits(p, end, 4, 6, &y)) return false;
    if (*p >= end || **p != '-') return false;
    (*p)++;
    if (!txt_digits(p, end, 1, 2, &m)) return false;
    if (*p >= end || **p != '-') return false;
    (*p)++;
    if (!txt_digits(p, end, 1, 2, &d)) return false;
    if (neg) y = -y;
    if (m < 1 || m > 12 || d < 1 || d > (int64_t)txt_days_in_month(y, (unsigned)m)) return false;
    *days = nl_days_from_civil(y, (unsigned)m, (unsigned)d);
    return true;
}

bool nl_parse_date(const char *s, size_t len, int32_t *days) {
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    return txt_scan_date(&p, end, days) && p == end;
}

/* "HH:MM[:SS[.fffffffff]]" at *p: seconds of the day and nanoseconds. */
static bool txt_scan_time(const char **p, const char *end, int64_t *secs, int64_t *nanos) {
    int64_t h, m, sec = 0, ns = 0;
    if (!txt_digits(p, end, 1, 2, &h)) return false;
    if (*p >= end || **p != ':') return false;
    (*p)++;
    if (!txt_digits(p, end, 2, 2, &m)) return false;
    if (*p < end && **p == ':') {
        (*p)++;
        if (!txt_digits(p, end, 2, 2, &sec)) return false;
        if (*p < end && **p == '.') {
            (*p)++;
            int n = 0;
            const char *fs = *p;
            while (*p < end && **p >= '0' && **p <= '9') {
                if (n < 9) {
                    ns = ns * 10 + (**p - '0');
                    n++;
                }
                (*p)++;
            }
            if (*p == fs) return false;
            for (; n < 9; n++) ns *= 10;
        }
    }
    if (h > 23 || m > 59 || sec > 59) return false;
    *secs = h * 3600 + m * 60 + sec;
    *nanos = ns;
    return true;
}

/* Nanoseconds to `unit` (truncating finer digits), plus whole seconds, with
 * overflow checks. */
static bool txt_combine(int64_t secs, int64_t nanos, nl_time_unit unit, int64_t *out) {
    int64_t per = txt_unit_per_second[unit], v;
    if (__builtin_mul_overflow(secs, per, &v)) return false;
    int64_t frac = nanos / (1000000000 / per);
    if (__builtin_add_overflow(v, frac, &v)) return false;
    *out = v;
    return true;
}

bool nl_parse_timestamp(const char *s, size_t len, nl_time_unit unit, int64_t *out) {
    if ((unsigned)unit > NL_UNIT_NANO) return false;
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    int32_t days;
    if (!txt_scan_date(&p, end, &days)) return false;
    int64_t secs = 0, nanos = 0;
    if (p < end && (*p == ' ' || *p == 'T' || *p == 't')) {
        p++;
        if (!txt_scan_time(&p, end, &secs, &nanos)) return false;
        while (p < end && *p == ' ') p++;
        if (p < end && (*p == 'Z' || *p == 'z')) {
            p++;
        } else if (p < end && (*p == '+' || *p == '-')) {
            bool neg = *p++ == '-';
            int64_t oh, om = 0;
            if (!txt_digits(&p, end, 2, 2, &oh)) return false;
            if (p < end && *p == ':') p++;
            if (p < end && !txt_digits(&p, end, 2, 2, &om)) return false;
            if (oh > 23 || om > 59) return false;
            int64_t off = oh * 3600 + om * 60;
            secs -= neg ? -off : off;
        }
    }
    if (p != end) return false;
    return txt_combine((int64_t)days * 86400 + secs, nanos, unit, out);
}

bool nl_parse_time_of_day(const char *s, size_t len, nl_time_unit unit, int64_t *out) {
    if ((unsigned)unit > NL_UNIT_NANO) return false;
    txt_trim(&s, &len);
    const char *p = s, *end = s + len;
    int64_t secs, nanos;
    if (!txt_scan_time(&p, end, &secs, &nanos) || p != end) return false;
    return txt_combine(secs, nanos, unit, out);
}

static int txt_put_year(char *p, int64_t y) {
    if (y >= 0 && y <= 9999) return sprintf(p, "%04lld", (long long)y);
    return sprintf(p, "%c%04lld", y < 0 ? '-' : '+', (long long)(y < 0 ? -y : y));
}

static int txt_finish(const char *tmp, int n, char *buf, size_t size) {
    if (size > 0) snprintf(buf, size, "%s", tmp);
    return n;
}

int nl_format_date(int32_t days, char *buf, size_t size) {
    char tmp[48];
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    int n = txt_put_year(tmp, y);
    n += sprintf(tmp + n, "-%02u-%02u", m, d);
    return txt_finish(tmp, n, buf, size);
}

/* ".fff", ".ffffff" or ".fffffffff" as chrono prints a fraction; nothing for 0. */
static int txt_put_fraction(char *p, int64_t nanos) {
    if (nanos == 0) return 0;
    if (nanos % 1000000 == 0) return sprintf(p, ".%03lld", (long long)(nanos / 1000000));
    if (nanos % 1000 == 0) return sprintf(p, ".%06lld", (long long)(nanos / 1000));
    return sprintf(p, ".%09lld", (long long)nanos);
}

static void txt_split(int64_t v, int64_t per, int64_t *whole, int64_t *rem) {
    int64_t q = v / per, r = v % per;
    if (r < 0) {
        r += per;
        q -= 1;
    }
    *whole = q;
    *rem = r;
}

int nl_format_timestamp(int64_t v, nl_time_unit unit, char *buf, size_t size) {
    if ((unsigned)unit > NL_UNIT_NANO) unit = NL_UNIT_MICRO;
    int64_t per = txt_unit_per_second[unit];
    int64_t secs, sub, days, sod;
    txt_split(v, per, &secs, &sub);
    txt_split(secs, 86400, &days, &sod);
    char tmp[64];
    int64_t y;
    unsigned m, d;
    nl_civil_from_days(days, &y, &m, &d);
    int n = txt_put_year(tmp, y);
    n += sprintf(tmp + n, "-%02u-%02u %02d:%02d:%02d", m, d, (int)(sod / 3600),
                 (int)(sod / 60 % 60), (int)(sod % 60));
    n += txt_put_fraction(tmp + n, sub * (1000000000 / per));
    return txt_finish(tmp, n, buf, size);
}

int nl_format_time(int64_t v, nl_time_unit unit, char *buf, size_t size) {
    if ((unsigned)unit > NL_UNIT_NANO) unit = NL_UNIT_MICRO;
    int64_t per = txt_unit_per_second[unit];
    int64_t secs, sub, days, sod;
    txt_split(v, per, &secs, &sub);
    txt_split(secs, 86400, &days, &sod);
    char tmp[48];
    int n = sprintf(tmp, "%02d:%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    n += txt_put_fraction(tmp + n, sub * (1000000000 / per));
    return txt_finish(tmp, n, buf, size);
}

/* Polars' duration display (polars-core fmt.rs): whole days, hours, minutes
 * and seconds, then the rest of the second in the largest unit that shows it
 * whole ("2d 1h 2m 3s 4ms", "1500\xc2\xb5s", "-1s -500ms", "0ns"). Values use
 * the micro sign U+00B5, as Polars does (its dtype names use Greek mu). */
int nl_format_duration(int64_t v, nl_time_unit unit, char *buf, size_t size) {
    static const char *const unit_suffix[4] = {"s", "ms", "\xc2\xb5s", "ns"};
    static const char *const names[4] = {"d", "h", "m", "s"};
    if ((unsigned)unit > NL_UNIT_NANO) unit = NL_UNIT_MICRO;
    int64_t per = txt_unit_per_second[unit];
    char tmp[128];
    int n = 0;
    if (v == 0) {
        n = snprintf(tmp, sizeof tmp, "0%s", unit_suffix[unit]);
        return txt_finish(tmp, n, buf, size);
    }
    const int64_t sizes[4] = {86400 * per, 3600 * per, 60 * per, per};
    for (int i = 0; i < 4; i++) {
        int64_t whole = i == 0 ? v / sizes[0] : (v % sizes[i - 1]) / sizes[i];
        if (whole != 0) {
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%lld%s%s", (long long)whole, names[i],
                          v % sizes[i] != 0 ? " " : "");
        }
    }
    int64_t sub = v % per;
    if (sub != 0) {
        int64_t per_ms = per / 1000, per_us = per / 1000000;
        if (unit == NL_UNIT_MILLI || (per_ms > 0 && sub % per_ms == 0))
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%lldms", (long long)(per_ms > 0 ? sub / per_ms : sub));
        else if (unit == NL_UNIT_MICRO || (per_us > 0 && sub % per_us == 0))
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%lld\xc2\xb5s",
                          (long long)(per_us > 0 ? sub / per_us : sub));
        else
            n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%lldns", (long long)sub);
    }
    return txt_finish(tmp, n, buf, size);
}

/* ---- floats to text ---- */

/* The shortest decimal digits of v (finite, non-zero magnitude) that read back
 * as v: digits without sign or point, and the decimal exponent of the first
 * digit (v = 0.d1d2... * 10^(*point)).
 *
 * Every decimal of at most DBL_DIG (15) digits survives a trip through a
 * double, so when v's correctly rounded 15-digit form reads back as v, that
 * form without its trailing zeros is the shortest one; otherwise 16 digits,
 * and 17 always read back. (Floats: FLT_DIG 6, then 7, 8, 9.) At most three
 * printf/strtod pairs for normal numbers. */
/* The exact fast path for doubles in [1e-7, 2^53): find the fewest decimals
 * k such that some integer c (near v * 10^k, below 2^53) gives back v as
 * c / 10^k -- one correctly rounded IEEE division of two exact values, so
 * the same double strtod would read from "c e-k". The first k that works
 * gives the fewest digits. Returns 0 when v has no such form, which in this
 * range means its shortest form has 16 or 17 digits. */
static int txt_shortest_exact(double v, char *digits, int *point) {
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const double two53 = 9007199254740992.0;
    for (int k = 0; k <= 22; k++) {
        double t = v * pow10[k];
        if (t >= two53) break;
        double m = nearbyint(t); /* within one of the exact v * 10^k */
        const double cands[3] = {m, m - 1, m + 1};
        for (int j = 0; j < 3; j++) {
            double c = cands[j];
            if (c < 1 || c / pow10[k] != v) continue;
            char tmp[32];
            char *p = txt_u64_digits((uint64_t)c, tmp + sizeof tmp);
            int nd = (int)(tmp + sizeof tmp - p);
            *point = nd - k;
            while (nd > 1 && p[nd - 1] == '0') nd--;
            memcpy(digits, p, (size_t)nd);
            digits[nd] = '\0';
            return nd;
        }
    }
    return 0;
}

static int txt_shortest(double v, bool is_float, char *digits, int *point) {
    char tmp[48];
    int first = is_float ? 6 : 15, last = is_float ? 9 : 17;
    if (!is_float && v >= 1e-7 && v < 9007199254740992.0) {
        int nd = txt_shortest_exact(v, digits, point);
        if (nd > 0) return nd;
        first = 16;
    }
    /* Subnormals carry fewer digits, and the DBL_DIG argument fails for them:
     * search every length. */
    if (is_float ? fabsf((float)v) < FLT_MIN : fabs(v) < DBL_MIN) first = 1;
    int p = first;
    for (; p < last; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        bool same = is_float ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v;
        if (same) break;
    }
    if (p == last) snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
    /* tmp is "[-]d[.ddd]e[+-]xx" */
    const char *q = tmp;
    if (*q == '-') q++;
    int nd = 0;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9') digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    *point = atoi(q + 1) + 1;
    return nd;
}

static int txt_special(double v, char *tmp) {
    if (isnan(v)) return sprintf(tmp, "NaN");
    if (isinf(v)) return sprintf(tmp, v < 0 ? "-inf" : "inf");
    if (v == 0) return sprintf(tmp, signbit(v) ? "-0.0" : "0.0");
    return 0;
}

/* Digits placed positionally ("123.45", "0.00012", "1200.0"). */
static int txt_positional(char *p, const char *digits, int nd, int point, bool dot_zero) {
    int n = 0;
    if (point <= 0) {
        p[n++] = '0';
        p[n++] = '.';
        for (int i = 0; i < -point; i++) p[n++] = '0';
        memcpy(p + n, digits, (size_t)nd);
        n += nd;
    } else if (point >= nd) {
        memcpy(p + n, digits, (size_t)nd);
        n += nd;
        for (int i = nd; i < point; i++) p[n++] = '0';
        if (dot_zero) {
            p[n++] = '.';
            p[n++] = '0';
        }
    } else {
        memcpy(p + n, digits, (size_t)point);
        n += point;
        p[n++] = '.';
        memcpy(p + n, digits + point, (size_t)(nd - point));
        n += nd - point;
    }
    p[n] = '\0';
    return n;
}

/* "d[.ddd]e[+]x": signed exponent as Polars' cast writes it, or plain as
 * Rust's {:e} writes it. */
static int txt_scientific(char *p, const char *digits, int nd, int point, bool plus) {
    int n = 0;
    p[n++] = digits[0];
    if (nd > 1) {
        p[n++] = '.';
        memcpy(p + n, digits + 1, (size_t)(nd - 1));
        n += nd - 1;
    }
    int e = point - 1;
    n += sprintf(p + n, "e%s%d", plus && e >= 0 ? "+" : "", e);
    return n;
}

static int txt_format_shortest(double v, bool is_float, char *buf, size_t size) {
    char tmp[400];
    int n = txt_special(v, tmp);
    if (n == 0) {
        char digits[40];
        int point;
        int nd = txt_shortest(fabs(v), is_float, digits, &point);
        if (v < 0) tmp[n++] = '-';
        bool fixed = is_float ? (point > -6 && point <= 13) : (point > -5 && point <= 16);
        if (fixed) n += txt_positional(tmp + n, digits, nd, point, true);
        else n += txt_scientific(tmp + n, digits, nd, point, true);
    }
    return txt_finish(tmp, n, buf, size);
}

int nl_format_double(double v, char *buf, size_t size) { return txt_format_shortest(v, false, buf, size); }

int nl_format_float(float v, char *buf, size_t size) { return txt_format_shortest(v, true, buf, size); }

/* Rewrites C's "1.2346e+08" as Rust's "1.2346e8" in place. */
static int txt_rust_exponent(char *s) {
    char *e = strchr(s, 'e');
    if (!e) return (int)strlen(s);
    char *q = e + 1;
    bool neg = *q == '-';
    if (*q == '+' || *q == '-') q++;
    while (*q == '0' && q[1]) q++;
    char rest[16];
    snprintf(rest, sizeof rest, "%s%s", neg ? "-" : "", q);
    return (int)(e + 1 - s) + sprintf(e + 1, "%s", rest);
}

/* Polars' fmt_float (polars-core fmt.rs) for the default "mixed" float format. */
int nl_format_double_table(double v, char *buf, size_t size) {
    const double scientific_bound = 999999.0;
    char tmp[400];
    int n;
    double fract = v - trunc(v); /* NaN for inf and NaN, as Rust's fract */
    if (fract == 0 && fabs(v) < scientific_bound) {
        n = snprintf(tmp, sizeof tmp, "%.1f", v);
        return txt_finish(tmp, n, buf, size);
    }
    /* The length of Rust's Display text: shortest digits, positional, no ".0". */
    char digits[40];
    int point = 0, nd = 0, display_len;
    if (isnan(v) || isinf(v)) {
        display_len = isnan(v) ? 3 : (v < 0 ? 4 : 3);
    } else {
        nd = txt_shortest(fabs(v), false, digits, &point);
        char pos[400];
        display_len = txt_positional(pos, digits, nd, point, false) + (v < 0);
    }
    if (display_len > 9) {
        double a = fabs(v);
        if (!(a >= 0.000001 && a <= scientific_bound)) {
            snprintf(tmp, sizeof tmp, "%.4e", v);
            n = txt_rust_exponent(tmp);
        } else {
            n = snprintf(tmp, sizeof tmp, "%.6f", v);
            while (n > 0 && tmp[n - 1] == '0') tmp[--n] = '\0';
            if (n > 0 && tmp[n - 1] == '.') {
                tmp[n++] = '0';
                tmp[n] = '\0';
            }
        }
    } else if (isnan(v) || isinf(v)) {
        n = txt_special(v, tmp);
    } else if (fract == 0) {
        n = 0;
        if (v < 0) tmp[n++] = '-';
        n += txt_scientific(tmp + n, digits, nd, point, false);
    } else {
        n = 0;
        if (v < 0) tmp[n++] = '-';
        n += txt_positional(tmp + n, digits, nd, point, false);
    }
    return txt_finish(tmp, n, buf, size);
}
