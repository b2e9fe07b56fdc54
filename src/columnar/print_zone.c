/*
 * print_zone.c -- time zones for showing tz-aware timestamps in local time, as
 * Polars (through chrono-tz) shows them: the offset and abbreviation ("CET",
 * "EDT", "LMT", "-03") in force at an instant.
 *
 * Zones come from the system's tz database in TZif files (RFC 8536), the same
 * data chrono-tz is built from: the transitions in the file, and past the last
 * one the POSIX rule in its footer, which chrono-tz applies up to the end of
 * 2099 and freezes after. Each printing context caches the zones it loads.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "columnar/cast.h"
#include "columnar/print_internal.h"

static int64_t pv_floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
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
