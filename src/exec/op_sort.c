/*
 * op_sort.c -- ORDER BY, and top-N when a LIMIT sits on the sort: the input
 * is gathered into one batch, the sort keys evaluated once, a permutation
 * sorted (stable: ties keep their input order), and the output taken from
 * it. With a limit only the first offset + limit rows of the permutation are
 * fully ordered (a partial selection first, then a sort of the survivors).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "exec/eval.h"
#include "exec/exec.h"

typedef struct sort_key {
    nl_array *a;
    bool desc, nulls_first;
    nl_type_id id;
} sort_key;

typedef struct sort_ctx {
    sort_key *k;
    int32_t n;
} sort_ctx;

static inline int cmp_key(const sort_key *k, int64_t x, int64_t y) {
    const nl_array *a = k->a;
    bool vx = a->type->id != NL_TYPE_NULL && nl_array_is_valid(a, x);
    bool vy = a->type->id != NL_TYPE_NULL && nl_array_is_valid(a, y);
    if (!vx || !vy) {
        if (vx == vy) return 0;
        /* nulls_first decides regardless of direction */
        return !vx ? (k->nulls_first ? -1 : 1) : (k->nulls_first ? 1 : -1);
    }
    int c;
    switch (k->id) {
    case NL_TYPE_INT8: { int8_t p = NL_ARRAY_VALUES(a, int8_t)[x], q = NL_ARRAY_VALUES(a, int8_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_INT16: { int16_t p = NL_ARRAY_VALUES(a, int16_t)[x], q = NL_ARRAY_VALUES(a, int16_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_INT32:
    case NL_TYPE_DATE32: { int32_t p = NL_ARRAY_VALUES(a, int32_t)[x], q = NL_ARRAY_VALUES(a, int32_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_UINT8: { uint8_t p = NL_ARRAY_VALUES(a, uint8_t)[x], q = NL_ARRAY_VALUES(a, uint8_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_UINT16: { uint16_t p = NL_ARRAY_VALUES(a, uint16_t)[x], q = NL_ARRAY_VALUES(a, uint16_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_UINT32: { uint32_t p = NL_ARRAY_VALUES(a, uint32_t)[x], q = NL_ARRAY_VALUES(a, uint32_t)[y]; c = (p > q) - (p < q); break; }
    case NL_TYPE_UINT64: { uint64_t p = NL_ARRAY_VALUES(a, uint64_t)[x], q = NL_ARRAY_VALUES(a, uint64_t)[y]; c = (p > q) - (p < q); break; }
    /* NaN sorts after every number (as PostgreSQL and DuckDB); comparing it
     * as unordered would break the sort's total order */
    case NL_TYPE_FLOAT32: { float p = NL_ARRAY_VALUES(a, float)[x], q = NL_ARRAY_VALUES(a, float)[y]; c = isnan(p) || isnan(q) ? (isnan(p) != 0) - (isnan(q) != 0) : (p > q) - (p < q); break; }
    case NL_TYPE_FLOAT64: { double p = NL_ARRAY_VALUES(a, double)[x], q = NL_ARRAY_VALUES(a, double)[y]; c = isnan(p) || isnan(q) ? (isnan(p) != 0) - (isnan(q) != 0) : (p > q) - (p < q); break; }
    case NL_TYPE_DECIMAL128: { __int128 p = nl_array_decimal(a, x), q = nl_array_decimal(a, y); c = (p > q) - (p < q); break; }
    case NL_TYPE_BOOL: { int p = nl_array_bool(a, x), q = nl_array_bool(a, y); c = (p > q) - (p < q); break; }
    case NL_TYPE_UTF8:
    case NL_TYPE_BINARY: {
        int32_t lp, lq;
        const char *p = nl_array_str(a, x, &lp), *q = nl_array_str(a, y, &lq);
        c = memcmp(p, q, (size_t)(lp < lq ? lp : lq));
        if (!c) c = (lp > lq) - (lp < lq);
        else c = c < 0 ? -1 : 1;
        break;
    }
    default: { int64_t p = NL_ARRAY_VALUES(a, int64_t)[x], q = NL_ARRAY_VALUES(a, int64_t)[y]; c = (p > q) - (p < q); break; }
    }
    return k->desc ? -c : c;
}

static int cmp_rows(const void *pa, const void *pb, void *ctx) {
    const sort_ctx *s = ctx;
    int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;
    for (int32_t i = 0; i < s->n; i++) {
        int c = cmp_key(&s->k[i], x, y);
        if (c) return c;
    }
    return (x > y) - (x < y);
}

nl_status exec_sort(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    exec_batches in = {0};
    NL_TRY(exec_materialize(x, n->kids[0], &in, err));
    nl_status st = NL_OK;
    if (exec_batches_rows(&in) == 0) {
        exec_batches_clear(&in);
        return NL_OK;
    }
    nl_batch *all = NULL;
    st = exec_concat(&in, NULL, &all, err);
    exec_batches_clear(&in);
    NL_TRY(st);
    int64_t rows = all->num_rows;
    sort_key *keys = nl_calloc((size_t)n->n_sort + 1, sizeof(sort_key));
    int64_t *idx = nl_malloc(sizeof(int64_t) * (size_t)rows);
    if (!keys || !idx) st = nl_error_set(err, NL_ENOMEM, "out of memory sorting");
    for (int32_t k = 0; st == NL_OK && k < n->n_sort; k++) {
        st = exec_eval(n->keys[k].expr, all, &keys[k].a, err);
        if (st == NL_OK) {
            keys[k].desc = n->keys[k].desc;
            keys[k].nulls_first = n->keys[k].nulls_first;
            keys[k].id = keys[k].a->type->id;
        }
    }
    if (st == NL_OK) {
        for (int64_t i = 0; i < rows; i++) idx[i] = i;
        sort_ctx sc = {keys, n->n_sort};
        int64_t want = n->limit >= 0 ? n->limit + n->offset : rows;
        if (want > rows) want = rows;
        if (want < rows / 16 && want > 0) {
            /* top-N: keep the best `want` rows in a sorted buffer */
            int64_t m = 0;
            for (int64_t i = 0; i < rows; i++) {
                if (m == want && cmp_rows(&i, &idx[m - 1], &sc) >= 0) continue;
                int64_t pos = m < want ? m : want - 1;
                while (pos > 0 && cmp_rows(&i, &idx[pos - 1], &sc) < 0) {
                    idx[pos] = idx[pos - 1];
                    pos--;
                }
                idx[pos] = i;
                if (m < want) m++;
            }
        } else {
            qsort_r(idx, (size_t)rows, sizeof(int64_t), cmp_rows, &sc);
        }
        int64_t from = n->offset < want ? n->offset : want;
        int64_t cnt = want - from;
        nl_array **cols = nl_calloc((size_t)all->n_columns + 1, sizeof(nl_array *));
        if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t c = 0; st == NL_OK && c < all->n_columns; c++)
            st = nl_array_take(all->columns[c], idx + from, cnt, &cols[c], err);
        nl_batch *b = NULL;
        if (st == NL_OK) st = nl_batch_new(nl_schema_ref(n->schema), cols, cnt, &b, err);
        else if (cols)
            for (int32_t c = 0; c < all->n_columns; c++) nl_array_unref(cols[c]);
        nl_free(cols);
        if (st == NL_OK) st = exec_batches_push(out, b, err);
    }
    for (int32_t k = 0; keys && k < n->n_sort; k++) nl_array_unref(keys[k].a);
    nl_free(keys);
    nl_free(idx);
    nl_batch_unref(all);
    return st;
}
