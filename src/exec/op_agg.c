/*
 * op_agg.c -- hash aggregation.
 *
 * Each worker aggregates the morsels it pulls into its own table (group keys
 * encoded by keys.h, an open-addressing index, and one state array per
 * aggregate indexed by group id); the tables are merged at the end. The
 * update loops are specialised per aggregate and input type. DISTINCT
 * aggregates keep a set of (group, value) per aggregate; those queries
 * aggregate on one thread, after collecting their input.
 */
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "exec/eval.h"
#include "exec/exec.h"
#include "functions/functions.h"
#include "exec/keys.h"

typedef struct agg_col {
    int64_t *cnt;
    int64_t *i64;
    double *f64, *f64b;
    __int128 *dec;
    uint8_t *has;
    char **str;
    int32_t *slen;
    int64_t *scap;
    /* DISTINCT: the (group, value) pairs seen */
    exec_ht dset;
    uint8_t *dbuf;
    int64_t dlen, dcap;
    int64_t *doff;
    int64_t dn, dncap;
} agg_col;

typedef struct agg_table {
    pl_node *node;
    exec_ht ht;
    uint8_t *kbuf;
    int64_t klen, kcap;
    int64_t *koff; /* n_groups + 1 */
    uint64_t *ghash; /* each group's key hash */
    int64_t n_groups, cap;
    agg_col *cols;
    exec_keys keys;
    exec_keys vkeys;
    int64_t *gids;
    int64_t gcap;
} agg_table;

static void agg_table_free(agg_table *t) {
    if (!t) return;
    for (int32_t a = 0; a < t->node->n_aggs; a++) {
        agg_col *c = &t->cols[a];
        nl_free(c->cnt);
        nl_free(c->i64);
        nl_free(c->f64);
        nl_free(c->f64b);
        nl_free(c->dec);
        nl_free(c->has);
        if (c->str)
            for (int64_t g = 0; g < t->n_groups; g++) nl_free(c->str[g]);
        nl_free(c->str);
        nl_free(c->slen);
        nl_free(c->scap);
        exec_ht_free(&c->dset);
        nl_free(c->dbuf);
        nl_free(c->doff);
    }
    nl_free(t->cols);
    exec_ht_free(&t->ht);
    nl_free(t->kbuf);
    nl_free(t->koff);
    nl_free(t->ghash);
    exec_keys_free(&t->keys);
    exec_keys_free(&t->vkeys);
    nl_free(t->gids);
    nl_free(t);
}

static nl_status agg_table_new(pl_node *n, agg_table **out, nl_error *err) {
    agg_table *t = nl_calloc(1, sizeof *t);
    NL_CHECK_ALLOC(t, err);
    t->node = n;
    t->cols = nl_calloc((size_t)(n->n_aggs + 1), sizeof(agg_col));
    nl_status st = t->cols ? exec_ht_init(&t->ht, 1024, err) : nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t a = 0; st == NL_OK && a < n->n_aggs; a++)
        if (n->aggs[a].distinct) st = exec_ht_init(&t->cols[a].dset, 1024, err);
    if (st) {
        agg_table_free(t);
        return st;
    }
    *out = t;
    return NL_OK;
}

#define GROW(p, T, cap)                                                                            \
    do {                                                                                           \
        T *np_ = nl_realloc((p), sizeof(T) * (size_t)(cap));                                       \
        if (!np_) return nl_error_set(err, NL_ENOMEM, "out of memory in an aggregation");          \
        (p) = np_;                                                                                 \
    } while (0)

static nl_status grow_groups(agg_table *t, int64_t need, nl_error *err) {
    if (need <= t->cap) return NL_OK;
    int64_t cap = t->cap ? t->cap : 256;
    while (cap < need) cap *= 2;
    GROW(t->koff, int64_t, cap + 1);
    GROW(t->ghash, uint64_t, cap);
    for (int32_t a = 0; a < t->node->n_aggs; a++) {
        agg_col *c = &t->cols[a];
        GROW(c->cnt, int64_t, cap);
        GROW(c->i64, int64_t, cap);
        GROW(c->f64, double, cap);
        GROW(c->f64b, double, cap);
        GROW(c->dec, __int128, cap);
        GROW(c->has, uint8_t, cap);
        if (t->node->aggs[a].fn == PL_AGG_STRING_AGG ||
            ((t->node->aggs[a].fn == PL_AGG_MIN || t->node->aggs[a].fn == PL_AGG_MAX ||
              t->node->aggs[a].fn == PL_AGG_ANY_VALUE) &&
             nl_type_is_string_like(t->node->aggs[a].type->id))) {
            GROW(c->str, char *, cap);
            GROW(c->slen, int32_t, cap);
            GROW(c->scap, int64_t, cap);
        }
        int64_t from = t->cap;
        memset(c->cnt + from, 0, sizeof(int64_t) * (size_t)(cap - from));
        memset(c->i64 + from, 0, sizeof(int64_t) * (size_t)(cap - from));
        memset(c->f64 + from, 0, sizeof(double) * (size_t)(cap - from));
        memset(c->f64b + from, 0, sizeof(double) * (size_t)(cap - from));
        memset(c->dec + from, 0, sizeof(__int128) * (size_t)(cap - from));
        memset(c->has + from, 0, (size_t)(cap - from));
        if (c->str) {
            memset(c->str + from, 0, sizeof(char *) * (size_t)(cap - from));
            memset(c->slen + from, 0, sizeof(int32_t) * (size_t)(cap - from));
            memset(c->scap + from, 0, sizeof(int64_t) * (size_t)(cap - from));
        }
    }
    if (t->cap == 0) t->koff[0] = 0;
    t->cap = cap;
    return NL_OK;
}

/* how many rows ahead the group lookup prefetches its slot */
#define AGG_PREFETCH 16

/* the group id of a key, inserting it when new */
static nl_status find_group(agg_table *t, const uint8_t *key, int64_t len, uint64_t h, int64_t *gid,
                            nl_error *err) {
    uint64_t slot = h & t->ht.mask;
    for (;;) {
        int64_t g = t->ht.idx[slot];
        if (g < 0) break;
        if (t->ht.hashes[slot] == h && t->koff[g + 1] - t->koff[g] == len &&
            exec_key_eq(t->kbuf + t->koff[g], key, len)) {
            *gid = g;
            return NL_OK;
        }
        slot = (slot + 1) & t->ht.mask;
    }
    int64_t g = t->n_groups;
    NL_TRY(grow_groups(t, g + 1, err));
    if (t->klen + len > t->kcap || !t->kbuf) {
        int64_t cap = t->kcap ? t->kcap * 2 : 65536;
        while (cap < t->klen + len) cap *= 2;
        GROW(t->kbuf, uint8_t, cap);
        t->kcap = cap;
        t->kcap = cap;
    }
    if (len) memcpy(t->kbuf + t->klen, key, (size_t)len);
    t->koff[g] = t->klen;
    t->klen += len;
    t->koff[g + 1] = t->klen;
    t->ghash[g] = h;
    t->n_groups++;
    t->ht.idx[slot] = g;
    t->ht.hashes[slot] = h;
    t->ht.count++;
    if (t->ht.count * 2 > (int64_t)t->ht.mask) NL_TRY(exec_ht_grow(&t->ht, err));
    *gid = g;
    return NL_OK;
}

/* true when (gid, value key) is new for a DISTINCT aggregate */
static nl_status distinct_new(agg_col *c, int64_t gid, const uint8_t *v, int64_t vlen, bool *fresh,
                              nl_error *err) {
    int64_t len = 8 + vlen;
    uint8_t tmp[256];
    uint8_t *key = len <= (int64_t)sizeof tmp ? tmp : nl_malloc((size_t)len);
    NL_CHECK_ALLOC(key, err);
    memcpy(key, &gid, 8);
    memcpy(key + 8, v, (size_t)vlen);
    uint64_t h = nl_hash_bytes(key, (size_t)len, 7);
    uint64_t slot = h & c->dset.mask;
    *fresh = true;
    for (;;) {
        int64_t e = c->dset.idx[slot];
        if (e < 0) break;
        if (c->dset.hashes[slot] == h && c->doff[e + 1] - c->doff[e] == len &&
            memcmp(c->dbuf + c->doff[e], key, (size_t)len) == 0) {
            *fresh = false;
            break;
        }
        slot = (slot + 1) & c->dset.mask;
    }
    nl_status st = NL_OK;
    if (*fresh) {
        if (c->dn + 2 > c->dncap) {
            int64_t cap = c->dncap ? c->dncap * 2 : 1024;
            int64_t *no = nl_realloc(c->doff, sizeof(int64_t) * (size_t)cap);
            if (!no) st = nl_error_set(err, NL_ENOMEM, "out of memory");
            else {
                c->doff = no;
                if (c->dn == 0) c->doff[0] = 0;
                c->dncap = cap;
            }
        }
        if (st == NL_OK && c->dlen + len > c->dcap) {
            int64_t cap = c->dcap ? c->dcap * 2 : 65536;
            while (cap < c->dlen + len) cap *= 2;
            uint8_t *nb = nl_realloc(c->dbuf, (size_t)cap);
            if (!nb) st = nl_error_set(err, NL_ENOMEM, "out of memory");
            else {
                c->dbuf = nb;
                c->dcap = cap;
            }
        }
        if (st == NL_OK) {
            memcpy(c->dbuf + c->dlen, key, (size_t)len);
            c->dlen += len;
            c->doff[c->dn + 1] = c->dlen;
            c->dset.idx[slot] = c->dn;
            c->dset.hashes[slot] = h;
            c->dn++;
            c->dset.count++;
            if (c->dset.count * 2 > (int64_t)c->dset.mask) st = exec_ht_grow(&c->dset, err);
        }
    }
    if (key != tmp) nl_free(key);
    return st;
}

static inline int64_t int_value(const nl_array *a, int64_t i) {
    int64_t j = a->offset + i;
    switch (a->type->id) {
    case NL_TYPE_INT8: return ((const int8_t *)a->values->data)[j];
    case NL_TYPE_INT16: return ((const int16_t *)a->values->data)[j];
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: return ((const int32_t *)a->values->data)[j];
    case NL_TYPE_UINT8: return ((const uint8_t *)a->values->data)[j];
    case NL_TYPE_UINT16: return ((const uint16_t *)a->values->data)[j];
    case NL_TYPE_UINT32: return ((const uint32_t *)a->values->data)[j];
    case NL_TYPE_BOOL: return nl_array_bool(a, i);
    default: return ((const int64_t *)a->values->data)[j];
    }
}

static nl_status str_set(agg_col *c, int64_t g, const char *s, int32_t len, nl_error *err) {
    if (c->scap[g] < len + 1) {
        int64_t cap = len + 1 > 16 ? len + 1 : 16;
        char *ns = nl_realloc(c->str[g], (size_t)cap);
        NL_CHECK_ALLOC(ns, err);
        c->str[g] = ns;
        c->scap[g] = cap;
    }
    memcpy(c->str[g], s, (size_t)len);
    c->slen[g] = len;
    return NL_OK;
}

static nl_status str_append(agg_col *c, int64_t g, const char *sep, int32_t seplen, const char *s,
                            int32_t len, nl_error *err) {
    int64_t need = c->slen[g] + (c->has[g] ? seplen : 0) + len + 1;
    if (need > INT32_MAX) return nl_error_set(err, NL_EOVERFLOW, "string_agg() result over 2 GiB");
    if (c->scap[g] < need) {
        int64_t cap = c->scap[g] ? c->scap[g] : 32;
        while (cap < need) cap *= 2;
        char *ns = nl_realloc(c->str[g], (size_t)cap);
        NL_CHECK_ALLOC(ns, err);
        c->str[g] = ns;
        c->scap[g] = cap;
    }
    if (c->has[g]) {
        memcpy(c->str[g] + c->slen[g], sep, (size_t)seplen);
        c->slen[g] += seplen;
    }
    memcpy(c->str[g] + c->slen[g], s, (size_t)len);
    c->slen[g] += len;
    c->has[g] = 1;
    return NL_OK;
}

static inline int str_cmp(const char *a, int32_t la, const char *b, int32_t lb) {
    int c = memcmp(a, b, (size_t)(la < lb ? la : lb));
    return c ? c : (la > lb) - (la < lb);
}

/* one value into one state */
static nl_status update_one(agg_table *t, const pl_agg *ag, agg_col *c, int64_t g, const nl_array *v,
                            int64_t i, const char *sep, int32_t seplen, nl_error *err) {
    nl_type_id id = v->type->id;
    switch (ag->fn) {
    case PL_AGG_COUNT: c->cnt[g]++; break;
    case PL_AGG_SUM:
        c->has[g] = 1;
        if (id == NL_TYPE_DECIMAL128) c->dec[g] += nl_array_decimal(v, i);
        else if (id == NL_TYPE_FLOAT64) c->f64[g] += NL_ARRAY_VALUES(v, double)[i];
        else if (__builtin_add_overflow(c->i64[g], int_value(v, i), &c->i64[g]))
            return nl_error_set(err, NL_EOVERFLOW, "sum() overflows BIGINT");
        break;
    case PL_AGG_AVG:
        c->cnt[g]++;
        if (id == NL_TYPE_DECIMAL128) c->dec[g] += nl_array_decimal(v, i);
        else c->f64[g] += NL_ARRAY_VALUES(v, double)[i];
        break;
    case PL_AGG_STDDEV_SAMP:
    case PL_AGG_STDDEV_POP:
    case PL_AGG_VAR_SAMP:
    case PL_AGG_VAR_POP: {
        double x = NL_ARRAY_VALUES(v, double)[i];
        c->cnt[g]++;
        double d = x - c->f64[g];
        c->f64[g] += d / (double)c->cnt[g];
        c->f64b[g] += d * (x - c->f64[g]);
        break;
    }
    case PL_AGG_MIN:
    case PL_AGG_MAX:
    case PL_AGG_ANY_VALUE:
    case PL_AGG_BOOL_AND:
    case PL_AGG_BOOL_OR: {
        bool mx = ag->fn == PL_AGG_MAX || ag->fn == PL_AGG_BOOL_OR;
        bool any = ag->fn == PL_AGG_ANY_VALUE;
        if (any && c->has[g]) break;
        if (nl_type_is_string_like(id)) {
            int32_t len;
            const char *s = nl_array_str(v, i, &len);
            if (!c->has[g] || (mx ? str_cmp(s, len, c->str[g], c->slen[g]) > 0
                                  : str_cmp(s, len, c->str[g], c->slen[g]) < 0))
                NL_TRY(str_set(c, g, s, len, err));
        } else if (id == NL_TYPE_DECIMAL128) {
            __int128 x = nl_array_decimal(v, i);
            if (!c->has[g] || (mx ? x > c->dec[g] : x < c->dec[g])) c->dec[g] = x;
        } else if (id == NL_TYPE_FLOAT64 || id == NL_TYPE_FLOAT32) {
            double x = id == NL_TYPE_FLOAT64 ? NL_ARRAY_VALUES(v, double)[i] : NL_ARRAY_VALUES(v, float)[i];
            if (!c->has[g] || (mx ? x > c->f64[g] : x < c->f64[g])) c->f64[g] = x;
        } else {
            int64_t x = int_value(v, i);
            if (!c->has[g] || (mx ? x > c->i64[g] : x < c->i64[g])) c->i64[g] = x;
        }
        c->has[g] = 1;
        break;
    }
    case PL_AGG_STRING_AGG: {
        int32_t len;
        const char *s = nl_array_str(v, i, &len);
        if (ag->ordered) {
            /* entries [u32 length][value with its sort key], sorted at the end */
            uint32_t l = (uint32_t)len;
            NL_TRY(str_append(c, g, "", 0, (const char *)&l, 4, err));
            NL_TRY(str_append(c, g, "", 0, s, len, err));
            break;
        }
        NL_TRY(str_append(c, g, sep, seplen, s, len, err));
        break;
    }
    case PL_AGG_COUNT_STAR: c->cnt[g]++; break;
    }
    (void)t;
    return NL_OK;
}

static nl_status agg_update(agg_table *t, nl_batch *b, nl_error *err) {
    pl_node *n = t->node;
    int64_t rows = b->num_rows;
    if (rows > t->gcap) {
        nl_free(t->gids);
        t->gids = nl_malloc(sizeof(int64_t) * (size_t)rows);
        NL_CHECK_ALLOC(t->gids, err);
        t->gcap = rows;
    }
    int64_t *gids = t->gids;
    nl_status st = NL_OK;
    if (n->n_groups == 0) {
        if (t->n_groups == 0) {
            int64_t g;
            NL_TRY(find_group(t, (const uint8_t *)"", 0, 0, &g, err));
        }
        memset(gids, 0, sizeof(int64_t) * (size_t)rows);
    } else {
        nl_array **kc = nl_calloc((size_t)n->n_groups, sizeof(nl_array *));
        NL_CHECK_ALLOC(kc, err);
        for (int32_t k = 0; k < n->n_groups && st == NL_OK; k++) st = exec_eval(n->groups[k], b, &kc[k], err);
        if (st == NL_OK) st = exec_keys_encode(kc, n->n_groups, rows, true, &t->keys, err);
        for (int32_t k = 0; k < n->n_groups; k++) nl_array_unref(kc[k]);
        nl_free(kc);
        NL_TRY(st);
        const exec_keys *k = &t->keys;
        for (int64_t i = 0; i < rows && st == NL_OK; i++) {
            if (i + AGG_PREFETCH < rows) {
                /* many groups: the slot loads miss the cache, start them early */
                uint64_t ph = k->hash[i + AGG_PREFETCH] & t->ht.mask;
                __builtin_prefetch(&t->ht.idx[ph]);
                __builtin_prefetch(&t->ht.hashes[ph]);
            }
            st = find_group(t, k->buf + k->off[i], k->off[i + 1] - k->off[i], k->hash[i], &gids[i], err);
        }
        NL_TRY(st);
    }
    for (int32_t a = 0; a < n->n_aggs && st == NL_OK; a++) {
        const pl_agg *ag = &n->aggs[a];
        agg_col *c = &t->cols[a];
        nl_array *v = NULL, *f = NULL;
        if (ag->arg) st = exec_eval(ag->arg, b, &v, err);
        if (st == NL_OK && ag->filter) st = exec_eval(ag->filter, b, &f, err);
        const char *sep = "";
        int32_t seplen = 0;
        if (ag->arg2 && !ag->arg2->lit.is_null) {
            sep = ag->arg2->lit.v.str.ptr;
            seplen = (int32_t)ag->arg2->lit.v.str.len;
        }
        if (st == NL_OK && ag->distinct && v) st = exec_keys_encode(&v, 1, rows, false, &t->vkeys, err);
        if (st == NL_OK) {
            bool has_nulls = v && (v->type->id == NL_TYPE_NULL || (v->validity && v->null_count > 0));
            /* the hot cases without filter, distinct or nulls */
            if (!f && !ag->distinct && !has_nulls && ag->fn == PL_AGG_COUNT_STAR) {
                for (int64_t i = 0; i < rows; i++) c->cnt[gids[i]]++;
            } else if (!f && !ag->distinct && !has_nulls && ag->fn == PL_AGG_SUM &&
                       v->type->id == NL_TYPE_DECIMAL128) {
                const __int128 *x = (const __int128 *)v->values->data + v->offset;
                for (int64_t i = 0; i < rows; i++) {
                    c->dec[gids[i]] += x[i];
                    c->has[gids[i]] = 1;
                }
            } else if (!f && !ag->distinct && !has_nulls && ag->fn == PL_AGG_AVG &&
                       v->type->id == NL_TYPE_DECIMAL128) {
                const __int128 *x = (const __int128 *)v->values->data + v->offset;
                for (int64_t i = 0; i < rows; i++) {
                    c->dec[gids[i]] += x[i];
                    c->cnt[gids[i]]++;
                }
            } else if (!f && !ag->distinct && !has_nulls && ag->fn == PL_AGG_SUM &&
                       v->type->id == NL_TYPE_FLOAT64) {
                const double *x = NL_ARRAY_VALUES(v, double);
                for (int64_t i = 0; i < rows; i++) {
                    c->f64[gids[i]] += x[i];
                    c->has[gids[i]] = 1;
                }
            } else {
                for (int64_t i = 0; i < rows && st == NL_OK; i++) {
                    if (f && !(nl_array_is_valid(f, i) && nl_array_bool(f, i))) continue;
                    if (ag->fn == PL_AGG_COUNT_STAR) {
                        c->cnt[gids[i]]++;
                        continue;
                    }
                    if (v->type->id == NL_TYPE_NULL || !nl_array_is_valid(v, i)) continue;
                    if (ag->distinct) {
                        bool fresh;
                        st = distinct_new(c, gids[i], t->vkeys.buf + t->vkeys.off[i],
                                          t->vkeys.off[i + 1] - t->vkeys.off[i], &fresh, err);
                        if (st || !fresh) continue;
                    }
                    st = update_one(t, ag, c, gids[i], v, i, sep, seplen, err);
                }
            }
        }
        nl_array_unref(v);
        nl_array_unref(f);
    }
    return st;
}

/* folds table `s` into `d` */
static nl_status agg_merge(agg_table *d, agg_table *s, nl_error *err) {
    pl_node *n = d->node;
    for (int64_t g = 0; g < s->n_groups; g++) {
        const uint8_t *key = s->kbuf + s->koff[g];
        int64_t len = s->koff[g + 1] - s->koff[g];
        uint64_t hh = s->ghash[g];
        int64_t dg;
        NL_TRY(find_group(d, key, len, hh, &dg, err));
        for (int32_t a = 0; a < n->n_aggs; a++) {
            const pl_agg *ag = &n->aggs[a];
            agg_col *x = &d->cols[a], *y = &s->cols[a];
            switch (ag->fn) {
            case PL_AGG_COUNT_STAR:
            case PL_AGG_COUNT: x->cnt[dg] += y->cnt[g]; break;
            case PL_AGG_SUM:
            case PL_AGG_AVG:
                x->cnt[dg] += y->cnt[g];
                x->dec[dg] += y->dec[g];
                x->f64[dg] += y->f64[g];
                if (__builtin_add_overflow(x->i64[dg], y->i64[g], &x->i64[dg]))
                    return nl_error_set(err, NL_EOVERFLOW, "sum() overflows BIGINT");
                x->has[dg] |= y->has[g];
                break;
            case PL_AGG_STDDEV_SAMP:
            case PL_AGG_STDDEV_POP:
            case PL_AGG_VAR_SAMP:
            case PL_AGG_VAR_POP: {
                int64_t na = x->cnt[dg], nb = y->cnt[g];
                if (nb == 0) break;
                if (na == 0) {
                    x->cnt[dg] = nb;
                    x->f64[dg] = y->f64[g];
                    x->f64b[dg] = y->f64b[g];
                    break;
                }
                double delta = y->f64[g] - x->f64[dg];
                int64_t nn = na + nb;
                x->f64[dg] += delta * (double)nb / (double)nn;
                x->f64b[dg] += y->f64b[g] + delta * delta * (double)na * (double)nb / (double)nn;
                x->cnt[dg] = nn;
                break;
            }
            case PL_AGG_MIN:
            case PL_AGG_MAX:
            case PL_AGG_ANY_VALUE:
            case PL_AGG_BOOL_AND:
            case PL_AGG_BOOL_OR: {
                if (!y->has[g]) break;
                bool mx = ag->fn == PL_AGG_MAX || ag->fn == PL_AGG_BOOL_OR;
                if (ag->fn == PL_AGG_ANY_VALUE && x->has[dg]) break;
                nl_type_id id = ag->type->id;
                bool take = !x->has[dg];
                if (!take) {
                    if (nl_type_is_string_like(id)) {
                        int c = str_cmp(y->str[g], y->slen[g], x->str[dg], x->slen[dg]);
                        take = mx ? c > 0 : c < 0;
                    } else if (id == NL_TYPE_DECIMAL128) {
                        take = mx ? y->dec[g] > x->dec[dg] : y->dec[g] < x->dec[dg];
                    } else if (id == NL_TYPE_FLOAT64 || id == NL_TYPE_FLOAT32) {
                        take = mx ? y->f64[g] > x->f64[dg] : y->f64[g] < x->f64[dg];
                    } else {
                        take = mx ? y->i64[g] > x->i64[dg] : y->i64[g] < x->i64[dg];
                    }
                }
                if (take) {
                    if (nl_type_is_string_like(id)) NL_TRY(str_set(x, dg, y->str[g], y->slen[g], err));
                    x->dec[dg] = y->dec[g];
                    x->f64[dg] = y->f64[g];
                    x->i64[dg] = y->i64[g];
                    x->has[dg] = 1;
                }
                break;
            }
            case PL_AGG_STRING_AGG:
                if (y->has[g]) {
                    const char *sep = ag->arg2 ? ag->arg2->lit.v.str.ptr : ",";
                    int32_t seplen = ag->arg2 ? (int32_t)ag->arg2->lit.v.str.len : 1;
                    if (ag->ordered) seplen = 0;
                    NL_TRY(str_append(x, dg, sep, seplen, y->str[g], y->slen[g], err));
                }
                break;
            }
        }
    }
    return NL_OK;
}

typedef struct ord_entry {
    const char *key, *val;
    int32_t klen, vlen;
    int64_t seq;
} ord_entry;

static int ord_cmp(const void *a, const void *b) {
    const ord_entry *x = a, *y = b;
    int c = memcmp(x->key, y->key, (size_t)(x->klen < y->klen ? x->klen : y->klen));
    if (!c) c = (x->klen > y->klen) - (x->klen < y->klen);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* string_agg(... ORDER BY ...): sorts one group's entries by key and joins them */
static nl_status ordered_string_agg(const pl_agg *ag, const char *buf, int32_t len, nl_builder *b,
                                    nl_error *err) {
    int64_t n = 0;
    for (int32_t o = 0; o + 4 <= len; n++) {
        uint32_t l;
        memcpy(&l, buf + o, 4);
        o += 4 + (int32_t)l;
    }
    ord_entry *es = nl_malloc(sizeof(ord_entry) * (size_t)(n ? n : 1));
    NL_CHECK_ALLOC(es, err);
    int64_t total = 0;
    n = 0;
    for (int32_t o = 0; o + 4 <= len; n++) {
        uint32_t l;
        memcpy(&l, buf + o, 4);
        if ((int64_t)l > len - o - 4) l = (uint32_t)(len - o - 4);
        fn_order_unpack(buf + o + 4, (int32_t)l, &es[n].key, &es[n].klen, &es[n].val, &es[n].vlen);
        es[n].seq = n;
        total += es[n].vlen;
        o += 4 + (int32_t)l;
    }
    qsort(es, (size_t)n, sizeof(ord_entry), ord_cmp);
    const char *sep = ag->arg2 && !ag->arg2->lit.is_null ? ag->arg2->lit.v.str.ptr : ",";
    int32_t seplen = ag->arg2 && !ag->arg2->lit.is_null ? (int32_t)ag->arg2->lit.v.str.len : 1;
    total += (n > 0 ? n - 1 : 0) * seplen;
    char *out = nl_malloc((size_t)total + 1);
    if (!out) {
        nl_free(es);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    int64_t o = 0;
    for (int64_t k = 0; k < n; k++) {
        if (k) {
            memcpy(out + o, sep, (size_t)seplen);
            o += seplen;
        }
        memcpy(out + o, es[k].val, (size_t)es[k].vlen);
        o += es[k].vlen;
    }
    nl_builder_append_string(b, out, o);
    nl_free(out);
    nl_free(es);
    return NL_OK;
}

static double pow10d(int s) {
    double p = 1;
    for (int i = 0; i < s; i++) p *= 10;
    return p;
}

static nl_status agg_finish(agg_table *t, nl_batch **out, nl_error *err) {
    pl_node *n = t->node;
    if (n->n_groups == 0 && t->n_groups == 0) {
        int64_t g;
        NL_TRY(find_group(t, (const uint8_t *)"", 0, 0, &g, err));
    }
    int64_t G = t->n_groups;
    int32_t nc = n->n_groups + n->n_aggs;
    nl_builder **bs = nl_calloc((size_t)(nc + 1), sizeof(nl_builder *));
    nl_array **cols = nl_calloc((size_t)(nc + 1), sizeof(nl_array *));
    nl_status st = NL_OK;
    if (!bs || !cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t c = 0; st == NL_OK && c < nc; c++) {
        bs[c] = nl_builder_new(n->out_types[c], G);
        if (!bs[c]) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (st == NL_OK && n->n_groups) {
        for (int64_t g = 0; g < G; g++) exec_keys_decode(t->kbuf + t->koff[g], n->out_types, n->n_groups, bs);
    }
    for (int32_t a = 0; st == NL_OK && a < n->n_aggs; a++) {
        const pl_agg *ag = &n->aggs[a];
        agg_col *c = &t->cols[a];
        nl_builder *b = bs[n->n_groups + a];
        nl_type *ty = ag->type;
        for (int64_t g = 0; g < G; g++) {
            switch (ag->fn) {
            case PL_AGG_COUNT_STAR:
            case PL_AGG_COUNT: nl_builder_append_int(b, c->cnt[g]); break;
            case PL_AGG_SUM:
                if (!c->has[g]) nl_builder_append_null(b);
                else if (ty->id == NL_TYPE_DECIMAL128) nl_builder_append_decimal(b, c->dec[g]);
                else if (ty->id == NL_TYPE_FLOAT64) nl_builder_append_double(b, c->f64[g]);
                else nl_builder_append_int(b, c->i64[g]);
                break;
            case PL_AGG_AVG:
                if (!c->cnt[g]) nl_builder_append_null(b);
                else if (ag->arg->type->id == NL_TYPE_DECIMAL128) {
                    /* exact quotient first, then to double */
                    __int128 q = c->dec[g] / c->cnt[g], r = c->dec[g] % c->cnt[g];
                    double v = ((double)q + (double)r / (double)c->cnt[g]) / pow10d(ag->arg->type->scale);
                    nl_builder_append_double(b, v);
                } else nl_builder_append_double(b, c->f64[g] / (double)c->cnt[g]);
                break;
            case PL_AGG_STDDEV_SAMP:
            case PL_AGG_VAR_SAMP:
                if (c->cnt[g] < 2) nl_builder_append_null(b);
                else {
                    double v = c->f64b[g] / (double)(c->cnt[g] - 1);
                    nl_builder_append_double(b, ag->fn == PL_AGG_STDDEV_SAMP ? sqrt(v) : v);
                }
                break;
            case PL_AGG_STDDEV_POP:
            case PL_AGG_VAR_POP:
                if (c->cnt[g] < 1) nl_builder_append_null(b);
                else {
                    double v = c->f64b[g] / (double)c->cnt[g];
                    nl_builder_append_double(b, ag->fn == PL_AGG_STDDEV_POP ? sqrt(v) : v);
                }
                break;
            case PL_AGG_STRING_AGG:
                if (!c->has[g]) nl_builder_append_null(b);
                else if (ag->ordered) st = ordered_string_agg(ag, c->str[g], c->slen[g], b, err);
                else nl_builder_append_string(b, c->str[g], c->slen[g]);
                break;
            default:
                if (!c->has[g]) nl_builder_append_null(b);
                else if (nl_type_is_string_like(ty->id)) nl_builder_append_string(b, c->str[g], c->slen[g]);
                else if (ty->id == NL_TYPE_DECIMAL128) nl_builder_append_decimal(b, c->dec[g]);
                else if (ty->id == NL_TYPE_FLOAT64 || ty->id == NL_TYPE_FLOAT32) nl_builder_append_double(b, c->f64[g]);
                else if (ty->id == NL_TYPE_BOOL) nl_builder_append_bool(b, c->i64[g] != 0);
                else if (nl_type_is_unsigned_integer(ty->id)) nl_builder_append_uint(b, (uint64_t)c->i64[g]);
                else nl_builder_append_int(b, c->i64[g]);
                break;
            }
        }
    }
    for (int32_t c = 0; st == NL_OK && c < nc; c++) st = nl_builder_finish(bs[c], &cols[c], err);
    if (st == NL_OK) st = nl_batch_new(nl_schema_ref(n->schema), cols, G, out, err);
    else if (cols)
        for (int32_t c = 0; c < nc; c++) nl_array_unref(cols[c]);
    for (int32_t c = 0; bs && c < nc; c++) nl_builder_free(bs[c]);
    nl_free(bs);
    nl_free(cols);
    return st;
}

/* ---- the operator ---- */

typedef struct agg_sink {
    pl_node *node;
    agg_table **tables; /* per worker */
    int n;
} agg_sink;

static nl_status agg_consume(void *ctx, nl_batch *b, int64_t morsel, int worker, nl_error *err) {
    agg_sink *s = ctx;
    (void)morsel;
    if (!s->tables[worker]) NL_TRY(agg_table_new(s->node, &s->tables[worker], err));
    return agg_update(s->tables[worker], b, err);
}

nl_status exec_agg(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    bool distinct = false;
    for (int32_t a = 0; a < n->n_aggs; a++) distinct |= n->aggs[a].distinct;
    agg_sink s = {.node = n, .n = x->n_workers};
    s.tables = nl_calloc((size_t)s.n, sizeof(agg_table *));
    NL_CHECK_ALLOC(s.tables, err);
    nl_status st;
    if (distinct) {
        exec_batches in = {0};
        st = exec_materialize(x, n->kids[0], &in, err);
        if (st == NL_OK) st = agg_table_new(n, &s.tables[0], err);
        for (int64_t i = 0; st == NL_OK && i < in.n; i++) st = agg_update(s.tables[0], in.b[i], err);
        exec_batches_clear(&in);
    } else {
        exec_sink sink = {.consume = agg_consume, .ctx = &s};
        st = exec_pipeline(x, n->kids[0], &sink, err);
    }
    agg_table *t = NULL;
    for (int i = 0; i < s.n && st == NL_OK; i++) {
        if (!s.tables[i]) continue;
        if (!t) {
            t = s.tables[i];
            s.tables[i] = NULL;
        } else {
            st = agg_merge(t, s.tables[i], err);
        }
    }
    if (st == NL_OK && !t) st = agg_table_new(n, &t, err);
    nl_batch *b = NULL;
    if (st == NL_OK) st = agg_finish(t, &b, err);
    if (st == NL_OK) st = exec_batches_push(out, b, err);
    agg_table_free(t);
    for (int i = 0; i < s.n; i++) agg_table_free(s.tables[i]);
    nl_free(s.tables);
    return st;
}
