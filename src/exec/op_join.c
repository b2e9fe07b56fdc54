/*
 * op_join.c -- the hash join: every join kind over equality keys, with an
 * optional residual condition evaluated on candidate pairs, and the nested
 * loop (no keys) for cross joins and non-equality conditions.
 *
 * The build side (the right input) is materialised into one batch; its keys
 * are encoded (keys.h) into an open-addressing table whose slots point at the
 * first build row of each distinct key, the others chained through `next`.
 * Probing is streaming and runs on every worker at once: the table is
 * read-only then, except the `matched` flags of RIGHT/FULL joins (byte
 * stores, idempotent).
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "exec/eval.h"
#include "exec/exec.h"
#include "exec/keys.h"

typedef struct join_state {
    nl_schema *pair_schema; /* probe columns then build columns */
    nl_batch *build;
    exec_keys keys;
    exec_keys in_keys; /* correlated NOT IN: the IN column of the build rows (key 0) */
    exec_ht *ht;    /* n_parts tables; a key's table is its hash's top bits */
    int32_t n_parts, part_shift;
    int64_t *next;
    int64_t *remaining; /* set_all: unused build rows of each key (at its chain head) */
    uint8_t *matched;
    bool build_has_null;
    int64_t rows;
} join_state;

void exec_join_free(pl_node *j) {
    join_state *s = j->xstate;
    if (!s) return;
    nl_batch_unref(s->build);
    nl_schema_unref(s->pair_schema);
    exec_keys_free(&s->keys);
    exec_keys_free(&s->in_keys);
    for (int32_t p = 0; s->ht && p < s->n_parts; p++) exec_ht_free(&s->ht[p]);
    nl_free(s->ht);
    nl_free(s->next);
    nl_free(s->remaining);
    nl_free(s->matched);
    nl_free(s);
    j->xstate = NULL;
}

static nl_status eval_keys(pl_expr **exprs, int32_t n, nl_batch *b, nl_array **out, nl_error *err) {
    for (int32_t k = 0; k < n; k++) {
        nl_status st = exec_eval(exprs[k], b, &out[k], err);
        if (st) {
            for (int32_t i = 0; i < k; i++) nl_array_unref(out[i]);
            return st;
        }
    }
    return NL_OK;
}

#define MAX_KEYS 32
/* build sides from this many rows are hashed by every worker */
#define JOIN_PARALLEL_ROWS 65536
/* how many rows ahead the build and probe loops prefetch their slots */
#define JOIN_PREFETCH 16

static inline exec_ht *part_of(const join_state *s, uint64_t h) {
    return &s->ht[s->n_parts > 1 ? (int64_t)(h >> s->part_shift) : 0];
}

typedef struct build_task_ctx {
    join_state *s;
    atomic_int failed;
} build_task_ctx;

/* Inserts the build rows of partition `part`, in reverse so that each
 * chain lists its rows in build order. */
static void build_part(void *ctx, int64_t part, int worker) {
    build_task_ctx *bc = ctx;
    join_state *s = bc->s;
    exec_keys *k = &s->keys;
    exec_ht *t = &s->ht[part];
    (void)worker;
    nl_error err = {0};
    for (int64_t r = s->rows - 1; r >= 0; r--) {
        if (r >= JOIN_PREFETCH) {
            /* the slot loads miss the cache: start them a few rows ahead */
            uint64_t ph = k->hash[r - JOIN_PREFETCH];
            if (part_of(s, ph) == t) {
                __builtin_prefetch(&t->idx[ph & t->mask]);
                __builtin_prefetch(&t->hashes[ph & t->mask]);
            }
        }
        uint64_t h = k->hash[r];
        if (part_of(s, h) != t) continue;
        s->next[r] = -1;
        if (k->null[r]) continue;
        uint64_t slot = h & t->mask;
        const uint8_t *key = k->buf + k->off[r];
        int64_t len = k->off[r + 1] - k->off[r];
        for (;;) {
            int64_t first = t->idx[slot];
            if (first < 0) {
                t->idx[slot] = r;
                t->hashes[slot] = h;
                t->count++;
                break;
            }
            if (t->hashes[slot] == h &&
                (k->hash_is_key || (k->off[first + 1] - k->off[first] == len &&
                                    exec_key_eq(k->buf + k->off[first], key, len)))) {
                s->next[r] = first;
                t->idx[slot] = r;
                break;
            }
            slot = (slot + 1) & t->mask;
        }
        if (t->count * 2 > (int64_t)t->mask && exec_ht_grow(t, &err) != NL_OK) {
            atomic_store(&bc->failed, 1);
            return;
        }
    }
}

/* A null-aware join (NOT IN, IN as a value) with correlation: key 0 is the
 * IN comparison, decided per probe row over the build rows that satisfy the
 * correlation (keys 1.. and the residual); the hash table holds keys 1.. only. */
static bool na_corr(const pl_node *j) { return j->null_aware && (j->n_keys > 1 || j->residual); }

typedef struct encode_task {
    nl_array *const *cols;
    int32_t n_cols;
    bool null_eq;
    int64_t rows;
    exec_keys *parts;
    nl_status *st;
    nl_error *errs;
} encode_task;

static void encode_part(void *ctx, int64_t i, int worker) {
    encode_task *t = ctx;
    (void)worker;
    int64_t at = i * JOIN_PARALLEL_ROWS;
    int64_t len = t->rows - at < JOIN_PARALLEL_ROWS ? t->rows - at : JOIN_PARALLEL_ROWS;
    nl_array *sl[MAX_KEYS];
    int32_t c = 0;
    t->st[i] = NL_OK;
    for (; c < t->n_cols; c++) {
        sl[c] = nl_array_slice(t->cols[c], at, len);
        if (!sl[c]) {
            t->st[i] = nl_error_set(&t->errs[i], NL_ENOMEM, "out of memory");
            break;
        }
    }
    if (t->st[i] == NL_OK) t->st[i] = exec_keys_encode(sl, t->n_cols, len, t->null_eq, &t->parts[i], &t->errs[i]);
    for (int32_t k = 0; k < c; k++) nl_array_unref(sl[k]);
}

/* The build side's keys: a large one is encoded (and hashed) in slices on
 * every worker, then the slices are joined into one key set. */
static nl_status encode_build_keys(exec_ctx *x, nl_array *const *cols, int32_t n_cols, int64_t rows,
                                   bool null_eq, exec_keys *out, nl_error *err) {
    if (rows < 2 * JOIN_PARALLEL_ROWS || x->n_workers < 2)
        return exec_keys_encode(cols, n_cols, rows, null_eq, out, err);
    int64_t n = (rows + JOIN_PARALLEL_ROWS - 1) / JOIN_PARALLEL_ROWS;
    encode_task t = {.cols = cols, .n_cols = n_cols, .null_eq = null_eq, .rows = rows};
    t.parts = nl_calloc((size_t)n, sizeof(exec_keys));
    t.st = nl_calloc((size_t)n, sizeof(nl_status));
    t.errs = nl_calloc((size_t)n, sizeof(nl_error));
    nl_status st = NL_OK;
    if (!t.parts || !t.st || !t.errs) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK) nl_pool_parallel_for(x->pool, n, encode_part, &t);
    int64_t total = 0;
    for (int64_t i = 0; st == NL_OK && i < n; i++) {
        if (t.st[i] != NL_OK) {
            *err = t.errs[i];
            st = t.st[i];
        } else {
            total += t.parts[i].off[t.parts[i].n];
        }
    }
    if (st == NL_OK) {
        memset(out, 0, sizeof *out);
        out->n = rows;
        out->cap_rows = rows + 1;
        out->cap_buf = total > 0 ? total : 1;
        out->buf = nl_malloc((size_t)out->cap_buf);
        out->off = nl_malloc(sizeof(int64_t) * (size_t)(rows + 1));
        out->hash = nl_malloc(sizeof(uint64_t) * (size_t)(rows + 1));
        out->null = nl_malloc((size_t)(rows + 1));
        if (!out->buf || !out->off || !out->hash || !out->null) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    if (st == NL_OK) {
        int64_t r = 0, b = 0;
        out->hash_is_key = t.parts[0].hash_is_key;
        for (int64_t i = 0; i < n; i++) {
            const exec_keys *k = &t.parts[i];
            int64_t len = k->off[k->n];
            memcpy(out->buf + b, k->buf, (size_t)len);
            for (int64_t q = 0; q < k->n; q++) out->off[r + q] = b + k->off[q];
            memcpy(out->hash + r, k->hash, sizeof(uint64_t) * (size_t)k->n);
            memcpy(out->null + r, k->null, (size_t)k->n);
            out->any_null |= k->any_null;
            r += k->n;
            b += len;
        }
        out->off[rows] = b;
    }
    for (int64_t i = 0; t.parts && i < n; i++) exec_keys_free(&t.parts[i]);
    nl_free(t.parts);
    nl_free(t.st);
    nl_free(t.errs);
    return st;
}

nl_status exec_join_build(exec_ctx *x, pl_node *j, nl_error *err) {
    if (j->xstate) return NL_OK;
    if (j->n_keys > MAX_KEYS) return nl_error_set(err, NL_ENOTSUP, "more than %d join keys", MAX_KEYS);
    join_state *s = nl_calloc(1, sizeof *s);
    NL_CHECK_ALLOC(s, err);
    j->xstate = s;
    {
        nl_schema *ls = j->kids[0]->schema, *rs = j->kids[1]->schema;
        int32_t nf = ls->n_fields + rs->n_fields;
        nl_field *fs = nl_calloc((size_t)(nf + 1), sizeof(nl_field));
        NL_CHECK_ALLOC(fs, err);
        for (int32_t i = 0; i < nf; i++) {
            const nl_field *f = i < ls->n_fields ? &ls->fields[i] : &rs->fields[i - ls->n_fields];
            fs[i].name = f->name;
            fs[i].type = nl_type_ref(f->type);
            fs[i].nullable = true;
        }
        s->pair_schema = nl_schema_new(fs, nf);
        nl_free(fs);
        NL_CHECK_ALLOC(s->pair_schema, err);
    }
    exec_batches in = {0};
    NL_TRY(exec_materialize(x, j->kids[1], &in, err));
    nl_status st;
    if (in.n == 0) {
        nl_array **cols = nl_calloc((size_t)(j->kids[1]->n_out ? j->kids[1]->n_out : 1), sizeof(nl_array *));
        NL_CHECK_ALLOC(cols, err);
        st = NL_OK;
        for (int32_t c = 0; c < j->kids[1]->n_out && st == NL_OK; c++)
            st = nl_array_new_nulls(j->kids[1]->out_types[c], 0, &cols[c], err);
        if (st == NL_OK) st = nl_batch_new(nl_schema_ref(j->kids[1]->schema), cols, 0, &s->build, err);
        nl_free(cols);
    } else {
        st = exec_concat(&in, NULL, &s->build, err);
    }
    exec_batches_clear(&in);
    NL_TRY(st);
    s->rows = s->build->num_rows;
    if (j->join == PL_JOIN_SINGLE && j->n_keys == 0 && !j->residual && s->rows > 1)
        return nl_error_set(err, NL_EINVAL, "a subquery used as a value returned %lld rows, not one",
                            (long long)s->rows);
    if (j->join == PL_JOIN_RIGHT || j->join == PL_JOIN_FULL) {
        s->matched = nl_calloc((size_t)(s->rows ? s->rows : 1), 1);
        NL_CHECK_ALLOC(s->matched, err);
    }
    int32_t koff = na_corr(j) ? 1 : 0;
    nl_array *kc[MAX_KEYS];
    if (koff) {
        NL_TRY(eval_keys(j->rkeys, 1, s->build, kc, err));
        st = exec_keys_encode(kc, 1, s->rows, false, &s->in_keys, err);
        nl_array_unref(kc[0]);
        NL_TRY(st);
    }
    if (j->n_keys - koff == 0) return NL_OK;
    NL_TRY(eval_keys(j->rkeys + koff, j->n_keys - koff, s->build, kc, err));
    st = encode_build_keys(x, kc, j->n_keys - koff, s->rows, j->null_eq, &s->keys, err);
    for (int32_t k = 0; k < j->n_keys - koff; k++) nl_array_unref(kc[k]);
    NL_TRY(st);
    s->build_has_null = s->keys.any_null;
    s->next = nl_malloc(sizeof(int64_t) * (size_t)(s->rows ? s->rows : 1));
    NL_CHECK_ALLOC(s->next, err);
    /* a large build side is split by hash into one table per worker, built
     * at the same time (each worker inserts only its partition's rows) */
    int32_t parts = 1;
    if (s->rows >= JOIN_PARALLEL_ROWS)
        while (parts < x->n_workers && parts < 64) parts *= 2;
    s->n_parts = parts;
    s->part_shift = 64 - __builtin_ctz((unsigned)parts);
    s->ht = nl_calloc((size_t)parts, sizeof(exec_ht));
    NL_CHECK_ALLOC(s->ht, err);
    for (int32_t p = 0; p < parts; p++)
        NL_TRY(exec_ht_init(&s->ht[p], parts == 1 ? s->rows : s->rows / parts + s->rows / (4 * parts), err));
    build_task_ctx bc = {.s = s, .failed = 0};
    if (parts == 1) build_part(&bc, 0, 0);
    else nl_pool_parallel_for(x->pool, parts, build_part, &bc);
    if (bc.failed) return nl_error_set(err, NL_ENOMEM, "out of memory for a hash table");
    if (j->set_all) {
        /* the head of each chain counts the build rows of its key */
        s->remaining = nl_calloc((size_t)(s->rows ? s->rows : 1), sizeof(int64_t));
        NL_CHECK_ALLOC(s->remaining, err);
        for (int32_t p = 0; p < s->n_parts; p++)
        for (uint64_t slot = 0; slot <= s->ht[p].mask; slot++) {
            int64_t head = s->ht[p].idx[slot];
            if (head < 0) continue;
            int64_t len = 0;
            for (int64_t q = head; q >= 0; q = s->next[q]) len++;
            s->remaining[head] = len;
        }
    }
    return NL_OK;
}

typedef struct pairs {
    int64_t *p, *b;
    int64_t n, cap;
} pairs;

static nl_status pairs_push(pairs *v, int64_t p, int64_t b, nl_error *err) {
    if (v->n == v->cap) {
        int64_t cap = v->cap ? v->cap * 2 : 1024;
        int64_t *np = nl_realloc(v->p, sizeof(int64_t) * (size_t)cap);
        if (!np) return nl_error_set(err, NL_ENOMEM, "out of memory in a join");
        v->p = np;
        int64_t *nb = nl_realloc(v->b, sizeof(int64_t) * (size_t)cap);
        if (!nb) return nl_error_set(err, NL_ENOMEM, "out of memory in a join");
        v->b = nb;
        v->cap = cap;
    }
    v->p[v->n] = p;
    v->b[v->n++] = b;
    return NL_OK;
}

static void pairs_free(pairs *v) {
    nl_free(v->p);
    nl_free(v->b);
}

/* probe columns taken by p, build columns by b (-1: nulls) */
static nl_status combine(pl_node *j, nl_batch *in, nl_batch *build, const int64_t *p, const int64_t *b,
                         int64_t n, nl_schema *schema, nl_batch **out, nl_error *err) {
    int32_t nl_ = in->n_columns, nr = build->n_columns;
    nl_array **cols = nl_calloc((size_t)(nl_ + nr + 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    for (int32_t c = 0; c < nl_ && st == NL_OK; c++) {
        if (p) st = nl_array_take(in->columns[c], p, n, &cols[c], err);
        else st = nl_array_new_nulls(in->columns[c]->type, n, &cols[c], err);
    }
    for (int32_t c = 0; c < nr && st == NL_OK; c++) st = nl_array_take(build->columns[c], b, n, &cols[nl_ + c], err);
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(schema), cols, n, out, err);
    } else {
        for (int32_t c = 0; c < nl_ + nr; c++) nl_array_unref(cols[c]);
    }
    nl_free(cols);
    (void)j;
    return st;
}

static nl_status take_rows(nl_batch *in, const int64_t *idx, int64_t n, nl_array *extra,
                           nl_schema *schema, nl_batch **out, nl_error *err) {
    int32_t nc = in->n_columns + (extra ? 1 : 0);
    nl_array **cols = nl_calloc((size_t)(nc + 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    for (int32_t c = 0; c < in->n_columns && st == NL_OK; c++) {
        if (idx) st = nl_array_take(in->columns[c], idx, n, &cols[c], err);
        else cols[c] = nl_array_ref(in->columns[c]);
    }
    if (extra) cols[in->n_columns] = nl_array_ref(extra);
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(schema), cols, n, out, err);
    } else {
        for (int32_t c = 0; c < nc; c++) nl_array_unref(cols[c]);
    }
    nl_free(cols);
    return st;
}

nl_status exec_join_probe(exec_ctx *x, pl_node *j, nl_batch *in, nl_batch **out, nl_error *err) {
    (void)x;
    join_state *s = j->xstate;
    int64_t n = in->num_rows;
    pairs pr = {0};
    exec_keys pk = {0};
    nl_status st = NL_OK;
    uint8_t *probe_null = NULL;
    int32_t koff = na_corr(j) ? 1 : 0;
    exec_keys pin = {0}; /* na_corr: the probe rows' IN value */
    if (koff) {
        nl_array *kc0;
        NL_TRY(eval_keys(j->lkeys, 1, in, &kc0, err));
        st = exec_keys_encode(&kc0, 1, n, false, &pin, err);
        nl_array_unref(kc0);
        if (st) {
            exec_keys_free(&pin);
            return st;
        }
    }
    if (j->n_keys - koff == 0) {
        for (int64_t i = 0; i < n && st == NL_OK; i++)
            for (int64_t r = 0; r < s->rows && st == NL_OK; r++) st = pairs_push(&pr, i, r, err);
    } else {
        nl_array *kc[MAX_KEYS];
        st = eval_keys(j->lkeys + koff, j->n_keys - koff, in, kc, err);
        if (st) {
            exec_keys_free(&pin);
            return st;
        }
        st = exec_keys_encode(kc, j->n_keys - koff, n, j->null_eq, &pk, err);
        for (int32_t k = 0; k < j->n_keys - koff; k++) nl_array_unref(kc[k]);
        probe_null = pk.null;
        const exec_keys *bk = &s->keys;
        bool same_hash_is_key = bk->hash_is_key && pk.hash_is_key;
        for (int64_t i = 0; i < n && st == NL_OK; i++) {
            if (i + JOIN_PREFETCH < n) {
                uint64_t ph = pk.hash[i + JOIN_PREFETCH];
                const exec_ht *pt = part_of(s, ph);
                __builtin_prefetch(&pt->idx[ph & pt->mask]);
                __builtin_prefetch(&pt->hashes[ph & pt->mask]);
            }
            if (pk.null[i] || s->rows == 0) continue;
            uint64_t h = pk.hash[i];
            const exec_ht *t = part_of(s, h);
            uint64_t slot = h & t->mask;
            const uint8_t *key = pk.buf + pk.off[i];
            int64_t len = pk.off[i + 1] - pk.off[i];
            for (;;) {
                int64_t first = t->idx[slot];
                if (first < 0) break;
                if (t->hashes[slot] == h &&
                    (same_hash_is_key || (bk->off[first + 1] - bk->off[first] == len &&
                                          exec_key_eq(bk->buf + bk->off[first], key, len)))) {
                    if (s->remaining) {
                        /* INTERSECT ALL / EXCEPT ALL: take one of the key's build rows */
                        if (__atomic_fetch_sub(&s->remaining[first], 1, __ATOMIC_RELAXED) > 0)
                            st = pairs_push(&pr, i, first, err);
                    } else {
                        for (int64_t r = first; r >= 0 && st == NL_OK; r = s->next[r])
                            st = pairs_push(&pr, i, r, err);
                    }
                    break;
                }
                slot = (slot + 1) & t->mask;
            }
        }
    }
    /* the residual condition filters the candidate pairs */
    if (st == NL_OK && j->residual && pr.n > 0) {
        nl_batch *cand = NULL;
        st = combine(j, in, s->build, pr.p, pr.b, pr.n, s->pair_schema, &cand, err);
        nl_array *mask = NULL;
        if (st == NL_OK) st = exec_eval(j->residual, cand, &mask, err);
        if (st == NL_OK) {
            int64_t k = 0;
            for (int64_t i = 0; i < pr.n; i++) {
                bool keep = nl_array_is_valid(mask, i) && nl_array_bool(mask, i);
                pr.p[k] = pr.p[i];
                pr.b[k] = pr.b[i];
                k += keep;
            }
            pr.n = k;
        }
        nl_array_unref(mask);
        nl_batch_unref(cand);
    }
    if (st) goto done;
    if (s->matched)
        for (int64_t i = 0; i < pr.n; i++) s->matched[pr.b[i]] = 1;
    switch (j->join) {
    case PL_JOIN_INNER:
    case PL_JOIN_RIGHT:
        st = combine(j, in, s->build, pr.p, pr.b, pr.n, j->schema, out, err);
        break;
    case PL_JOIN_LEFT:
    case PL_JOIN_FULL:
    case PL_JOIN_SINGLE: {
        /* pairs in probe order, with unmatched probe rows (build -1) */
        int64_t *cnt = nl_calloc((size_t)(n ? n : 1), sizeof(int64_t));
        if (!cnt) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        for (int64_t i = 0; i < pr.n; i++) cnt[pr.p[i]]++;
        if (j->join == PL_JOIN_SINGLE) {
            for (int64_t i = 0; i < n; i++)
                if (cnt[i] > 1) {
                    st = nl_error_set(err, NL_EINVAL,
                                      "a subquery used as a value returned more than one row");
                    break;
                }
        }
        pairs all = {0};
        if (st == NL_OK) {
            /* pairs are grouped by probe row already (probe loop order) unless residual
               reordered nothing; walk both lists */
            int64_t k = 0;
            for (int64_t i = 0; i < n && st == NL_OK; i++) {
                if (cnt[i] == 0) {
                    st = pairs_push(&all, i, -1, err);
                    continue;
                }
                while (k < pr.n && pr.p[k] == i && st == NL_OK) {
                    st = pairs_push(&all, i, pr.b[k], err);
                    k++;
                }
            }
        }
        if (st == NL_OK) st = combine(j, in, s->build, all.p, all.b, all.n, j->schema, out, err);
        pairs_free(&all);
        nl_free(cnt);
        break;
    }
    case PL_JOIN_SEMI:
    case PL_JOIN_ANTI:
    case PL_JOIN_MARK: {
        uint8_t *hit = nl_calloc((size_t)(n ? n : 1), 1);
        int64_t *idx = nl_malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
        if (!hit || !idx) {
            nl_free(hit);
            nl_free(idx);
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        /* na_corr: 1 some correlated build row, 2 one with a NULL IN value, 4 an equal one */
        for (int64_t i = 0; i < pr.n; i++) {
            if (!koff) {
                hit[pr.p[i]] = 1;
                continue;
            }
            int64_t p = pr.p[i], r = pr.b[i];
            uint8_t f = 1;
            if (s->in_keys.null[r]) f |= 2;
            else if (!pin.null[p] && pin.off[p + 1] - pin.off[p] == s->in_keys.off[r + 1] - s->in_keys.off[r] &&
                     memcmp(pin.buf + pin.off[p], s->in_keys.buf + s->in_keys.off[r],
                            (size_t)(pin.off[p + 1] - pin.off[p])) == 0)
                f |= 4;
            hit[p] |= f;
        }
        if (koff) {
            /* x NOT IN S: true when S is empty; else NULL when x or a value of S is NULL, unless x is in S */
            nl_builder *bb = j->join == PL_JOIN_MARK ? nl_builder_new(nl_type_get(NL_TYPE_BOOL), n) : NULL;
            if (j->join == PL_JOIN_MARK && !bb) st = nl_error_set(err, NL_ENOMEM, "out of memory");
            int64_t k = 0;
            for (int64_t i = 0; i < n && st == NL_OK; i++) {
                uint8_t h = hit[i];
                int v; /* the value of x IN S: 0 false, 1 true, 2 NULL */
                if (!(h & 1)) v = 0;
                else if (h & 4) v = 1;
                else if (pin.null[i] || (h & 2)) v = 2;
                else v = 0;
                if (bb) {
                    if (v == 2) nl_builder_append_null(bb);
                    else nl_builder_append_bool(bb, v == 1);
                } else {
                    idx[k] = i;
                    k += v == 0; /* ANTI keeps the rows where NOT IN is true */
                }
            }
            if (st == NL_OK && bb) {
                nl_array *m = NULL;
                st = nl_builder_finish(bb, &m, err);
                if (st == NL_OK) st = take_rows(in, NULL, n, m, j->schema, out, err);
                nl_array_unref(m);
            } else if (st == NL_OK) {
                st = take_rows(in, k == n ? NULL : idx, k, NULL, j->schema, out, err);
            }
            nl_builder_free(bb);
        } else if (j->join == PL_JOIN_MARK) {
            nl_builder *bb = nl_builder_new(nl_type_get(NL_TYPE_BOOL), n);
            if (!bb) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
            } else {
                for (int64_t i = 0; i < n; i++) {
                    if (hit[i]) nl_builder_append_bool(bb, true);
                    else if (j->null_aware && s->rows > 0 &&
                             (s->build_has_null || (probe_null && probe_null[i])))
                        nl_builder_append_null(bb);
                    else nl_builder_append_bool(bb, false);
                }
                nl_array *m = NULL;
                st = nl_builder_finish(bb, &m, err);
                nl_builder_free(bb);
                if (st == NL_OK) st = take_rows(in, NULL, n, m, j->schema, out, err);
                nl_array_unref(m);
            }
        } else {
            bool semi = j->join == PL_JOIN_SEMI;
            int64_t k = 0;
            if (!semi && j->null_aware && s->rows > 0 && s->build_has_null) {
                k = 0; /* x NOT IN (..., NULL, ...) is never true */
            } else {
                for (int64_t i = 0; i < n; i++) {
                    bool keep = semi ? hit[i] : !hit[i];
                    if (!semi && j->null_aware && s->rows > 0 && probe_null && probe_null[i]) keep = false;
                    idx[k] = i;
                    k += keep;
                }
            }
            st = take_rows(in, k == n ? NULL : idx, k, NULL, j->schema, out, err);
        }
        nl_free(hit);
        nl_free(idx);
        break;
    }
    }
done:
    exec_keys_free(&pk);
    exec_keys_free(&pin);
    pairs_free(&pr);
    return st;
}

nl_status exec_join_unmatched(exec_ctx *x, pl_node *j, nl_batch **out, nl_error *err) {
    (void)x;
    join_state *s = j->xstate;
    *out = NULL;
    int64_t k = 0;
    int64_t *idx = nl_malloc(sizeof(int64_t) * (size_t)(s->rows ? s->rows : 1));
    NL_CHECK_ALLOC(idx, err);
    for (int64_t r = 0; r < s->rows; r++) {
        idx[k] = r;
        k += !s->matched[r];
    }
    nl_status st = NL_OK;
    if (k > 0) {
        /* a left batch of the probe schema with no rows, to get its types */
        pl_node *l = j->kids[0];
        nl_array **cols = nl_calloc((size_t)(j->n_out + 1), sizeof(nl_array *));
        if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t c = 0; st == NL_OK && c < l->n_out; c++)
            st = nl_array_new_nulls(l->out_types[c], k, &cols[c], err);
        for (int32_t c = 0; st == NL_OK && c < s->build->n_columns; c++)
            st = nl_array_take(s->build->columns[c], idx, k, &cols[l->n_out + c], err);
        if (st == NL_OK) st = nl_batch_new(nl_schema_ref(j->schema), cols, k, out, err);
        else if (cols)
            for (int32_t c = 0; c < j->n_out; c++) nl_array_unref(cols[c]);
        nl_free(cols);
    }
    nl_free(idx);
    return st;
}
