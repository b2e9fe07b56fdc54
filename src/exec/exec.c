/*
 * exec.c -- the pipeline driver (see exec.h), plus the simple operators:
 * scan, filter, projection, values, union and limit.
 */
#include "exec/exec.h"

#include <malloc.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "columnar/builder.h"
#include "columnar/stream.h"
#include "exec/eval.h"

/* ---- batch lists ---- */

nl_status exec_batches_push(exec_batches *v, nl_batch *b, nl_error *err) {
    if (v->n == v->cap) {
        int64_t cap = v->cap ? v->cap * 2 : 16;
        nl_batch **nb = nl_realloc(v->b, sizeof(nl_batch *) * (size_t)cap);
        if (!nb) {
            nl_batch_unref(b);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        v->b = nb;
        v->cap = cap;
    }
    v->b[v->n++] = b;
    return NL_OK;
}

void exec_batches_clear(exec_batches *v) {
    for (int64_t i = 0; i < v->n; i++) nl_batch_unref(v->b[i]);
    nl_free(v->b);
    memset(v, 0, sizeof *v);
}

int64_t exec_batches_rows(const exec_batches *v) {
    int64_t r = 0;
    for (int64_t i = 0; i < v->n; i++) r += v->b[i]->num_rows;
    return r;
}

void exec_fail(exec_ctx *x, const nl_error *err) {
    pthread_mutex_lock(&x->lock);
    if (!atomic_load(&x->failed)) {
        x->first_err = *err;
        if (x->first_err.code == NL_OK) x->first_err.code = NL_EINTERNAL;
        atomic_store(&x->failed, 1);
    }
    pthread_mutex_unlock(&x->lock);
}

nl_status exec_batch_with(nl_schema *schema, nl_array **cols, int64_t rows, nl_batch **out,
                          nl_error *err) {
    return nl_batch_new(nl_schema_ref(schema), cols, rows, out, err);
}

nl_status exec_concat(const exec_batches *in, nl_schema *schema, nl_batch **out, nl_error *err) {
    if (!schema) {
        if (in->n == 0) return nl_error_set(err, NL_EINTERNAL, "concat of nothing");
        schema = in->b[0]->schema;
    }
    int32_t nc = schema->n_fields;
    int64_t rows = exec_batches_rows(in);
    if (in->n == 1 && in->b[0]->schema == schema) {
        *out = nl_batch_ref(in->b[0]);
        return NL_OK;
    }
    nl_array **cols = nl_calloc((size_t)(nc ? nc : 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    nl_array **parts = nl_calloc((size_t)(in->n ? in->n : 1), sizeof(nl_array *));
    if (!parts) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t c = 0; st == NL_OK && c < nc; c++) {
        int32_t k = 0;
        for (int64_t i = 0; i < in->n; i++)
            if (in->b[i]->num_rows > 0) parts[k++] = in->b[i]->columns[c];
        if (k == 0) st = nl_array_new_nulls(schema->fields[c].type, 0, &cols[c], err);
        else if (k == 1) cols[c] = nl_array_ref(parts[0]);
        else st = nl_array_concat(parts, k, &cols[c], err);
    }
    nl_free(parts);
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(schema), cols, rows, out, err);
    } else {
        for (int32_t c = 0; c < nc; c++) nl_array_unref(cols[c]);
    }
    nl_free(cols);
    return st;
}

/* ---- prepare ---- */

typedef struct layout {
    const int32_t *ids;
    int32_t n;
    const int32_t *ids2; /* a second input appended (joins) */
    int32_t n2;
} layout;

static nl_status resolve(pl_ctx *ctx, pl_expr **ep, const layout *l, nl_error *err) {
    pl_expr *e = pl_copy(ctx, *ep);
    NL_CHECK_ALLOC(e, err);
    *ep = e;
    if (e->kind == PL_COL) {
        for (int32_t i = 0; i < l->n; i++)
            if (l->ids[i] == e->id) {
                e->pos = i;
                return NL_OK;
            }
        for (int32_t i = 0; i < l->n2; i++)
            if (l->ids2[i] == e->id) {
                e->pos = l->n + i;
                return NL_OK;
            }
        return nl_error_set(err, NL_EINTERNAL, "plan error: column #%d is not available here", e->id);
    }
    for (int32_t i = 0; i < e->n_args; i++) NL_TRY(resolve(ctx, &e->args[i], l, err));
    return NL_OK;
}

static nl_status make_schema(pl_node *n, nl_error *err) {
    nl_field *fs = nl_calloc((size_t)(n->n_out ? n->n_out : 1), sizeof(nl_field));
    NL_CHECK_ALLOC(fs, err);
    for (int32_t i = 0; i < n->n_out; i++) {
        fs[i].name = (char *)(n->out_names[i] ? n->out_names[i] : "?");
        fs[i].type = nl_type_ref(n->out_types[i]);
        fs[i].nullable = true;
    }
    n->schema = nl_schema_new(fs, n->n_out);
    nl_free(fs);
    NL_CHECK_ALLOC(n->schema, err);
    return NL_OK;
}

nl_status exec_prepare(pl_ctx *ctx, pl_node *n, nl_error *err) {
    for (int32_t i = 0; i < n->n_kids; i++) NL_TRY(exec_prepare(ctx, n->kids[i], err));
    if (!n->schema) NL_TRY(make_schema(n, err));
    layout in = {0}, right = {0}, both = {0};
    if (n->n_kids > 0) in = (layout){n->kids[0]->out_ids, n->kids[0]->n_out, NULL, 0};
    if (n->n_kids > 1) {
        right = (layout){n->kids[1]->out_ids, n->kids[1]->n_out, NULL, 0};
        both = (layout){n->kids[0]->out_ids, n->kids[0]->n_out, n->kids[1]->out_ids, n->kids[1]->n_out};
    }
    layout none = {0};
    switch (n->kind) {
    case PL_FILTER: NL_TRY(resolve(ctx, &n->pred, &in, err)); break;
    case PL_PROJECT:
        for (int32_t i = 0; i < n->n_out; i++) NL_TRY(resolve(ctx, &n->exprs[i], &in, err));
        break;
    case PL_JOIN:
        for (int32_t k = 0; k < n->n_keys; k++) {
            NL_TRY(resolve(ctx, &n->lkeys[k], &in, err));
            NL_TRY(resolve(ctx, &n->rkeys[k], &right, err));
        }
        if (n->residual) NL_TRY(resolve(ctx, &n->residual, &both, err));
        break;
    case PL_AGG:
        for (int32_t i = 0; i < n->n_groups; i++) NL_TRY(resolve(ctx, &n->groups[i], &in, err));
        for (int32_t i = 0; i < n->n_aggs; i++) {
            if (n->aggs[i].arg) NL_TRY(resolve(ctx, &n->aggs[i].arg, &in, err));
            if (n->aggs[i].arg2) NL_TRY(resolve(ctx, &n->aggs[i].arg2, &in, err));
            if (n->aggs[i].filter) NL_TRY(resolve(ctx, &n->aggs[i].filter, &in, err));
        }
        break;
    case PL_SORT:
        for (int32_t i = 0; i < n->n_sort; i++) NL_TRY(resolve(ctx, &n->keys[i].expr, &in, err));
        break;
    case PL_ROWID: n->next_rowid = 0; break;
    case PL_VALUES:
        for (int64_t r = 0; r < n->n_rows; r++)
            for (int32_t c = 0; c < n->n_out; c++) NL_TRY(resolve(ctx, &n->rows[r][c], &none, err));
        break;
    default: break;
    }
    return NL_OK;
}

void exec_release(pl_node *n) {
    if (!n) return;
    for (int32_t i = 0; i < n->n_kids; i++) exec_release(n->kids[i]);
    if (n->kind == PL_JOIN) exec_join_free(n);
    nl_schema_unref(n->schema);
    n->schema = NULL;
}

/* ---- streaming operators ---- */

static bool is_streaming(const pl_node *n) {
    return n->kind == PL_FILTER || n->kind == PL_PROJECT || n->kind == PL_JOIN || n->kind == PL_ROWID;
}

/* ROWID: the batch's columns plus ids unique within the query (not ordered) */
static nl_status rowid_batch(pl_node *op, nl_batch *in, nl_batch **out, nl_error *err) {
    int64_t n = in->num_rows;
    int64_t base = __atomic_fetch_add(&op->next_rowid, n, __ATOMIC_RELAXED);
    nl_builder *bb = nl_builder_new(nl_type_get(NL_TYPE_INT64), n);
    NL_CHECK_ALLOC(bb, err);
    for (int64_t i = 0; i < n; i++) nl_builder_append_int(bb, base + i);
    nl_array *ids = NULL;
    nl_status st = nl_builder_finish(bb, &ids, err);
    nl_builder_free(bb);
    NL_TRY(st);
    nl_array **cols = nl_calloc((size_t)in->n_columns + 2, sizeof(nl_array *));
    if (!cols) {
        nl_array_unref(ids);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int32_t c = 0; c < in->n_columns; c++) cols[c] = nl_array_ref(in->columns[c]);
    cols[in->n_columns] = ids;
    st = nl_batch_new(nl_schema_ref(op->schema), cols, n, out, err);
    nl_free(cols);
    return st;
}

static nl_status apply_op(exec_ctx *x, pl_node *op, const bool *need, nl_batch *in, nl_batch **out,
                          nl_error *err) {
    switch (op->kind) {
    case PL_FILTER: {
        nl_batch *f;
        NL_TRY(exec_filter_batch(op->pred, in, need, &f, err));
        *out = f;
        return NL_OK;
    }
    case PL_PROJECT: {
        nl_array **cols = nl_calloc((size_t)(op->n_out ? op->n_out : 1), sizeof(nl_array *));
        NL_CHECK_ALLOC(cols, err);
        nl_status st = NL_OK;
        for (int32_t i = 0; i < op->n_out && st == NL_OK; i++) st = exec_eval(op->exprs[i], in, &cols[i], err);
        if (st == NL_OK) {
            st = nl_batch_new(nl_schema_ref(op->schema), cols, in->num_rows, out, err);
        } else {
            for (int32_t i = 0; i < op->n_out; i++) nl_array_unref(cols[i]);
        }
        nl_free(cols);
        return st;
    }
    case PL_JOIN: return exec_join_probe(x, op, in, out, err);
    case PL_ROWID: return rowid_batch(op, in, out, err);
    default: return nl_error_set(err, NL_EINTERNAL, "operator %d does not stream", op->kind);
    }
}

/* Monotonic clock for EXPLAIN ANALYZE. */
static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define MAX_CHAIN 64

typedef struct pipe {
    exec_ctx *x;
    pl_node *ops[MAX_CHAIN];
    bool *need[MAX_CHAIN]; /* a filter before a projection: the columns it reads */
    int32_t n_ops;
    pl_node *source;
    exec_sink *sink;
    /* source morsels: the scan's parts, or slices of a materialised input */
    void *scan_plan;
    exec_batches src;
    int64_t *slice_batch, *slice_at, *slice_len;
    bool sliced; /* morsels are slices of src, not scan parts */
} pipe;

/* pushes a batch through ops[from..] into the sink; takes the reference */
static nl_status push(pipe *p, nl_batch *b, int32_t from, int64_t morsel, int worker, nl_error *err) {
    for (int32_t k = from; k < p->n_ops; k++) {
        nl_batch *o = NULL;
        int64_t t0 = p->x->analyze ? now_ns() : 0;
        nl_status st = apply_op(p->x, p->ops[k], p->need[k], b, &o, err);
        nl_batch_unref(b);
        if (st) return st;
        if (p->x->analyze) {
            __atomic_add_fetch(&p->ops[k]->stat_rows, o->num_rows, __ATOMIC_RELAXED);
            __atomic_add_fetch(&p->ops[k]->stat_self_ns, now_ns() - t0, __ATOMIC_RELAXED);
        }
        b = o;
        if (b->num_rows == 0 && k + 1 < p->n_ops) {
            nl_batch_unref(b);
            return NL_OK;
        }
    }
    if (b->num_rows == 0) {
        nl_batch_unref(b);
        return NL_OK;
    }
    nl_status st = p->sink->consume(p->sink->ctx, b, morsel, worker, err);
    nl_batch_unref(b);
    return st;
}

static nl_status collect_consume(void *ctx, nl_batch *b, int64_t morsel, int worker, nl_error *err);

/* A row group can hold a million rows; the operators run on slices of it
 * (no copy) so that their intermediate columns stay in the cache. */
#define EXEC_SLICE_ROWS 65536

static nl_status push_sliced(pipe *p, nl_batch *b, int64_t morsel, int worker, nl_error *err) {
    if (b->num_rows <= EXEC_SLICE_ROWS * 3 / 2) return push(p, b, 0, morsel, worker, err);
    nl_status st = NL_OK;
    for (int64_t at = 0; at < b->num_rows && st == NL_OK && !atomic_load(&p->x->failed); at += EXEC_SLICE_ROWS) {
        int64_t len = b->num_rows - at < EXEC_SLICE_ROWS ? b->num_rows - at : EXEC_SLICE_ROWS;
        nl_batch *s = nl_batch_slice(b, at, len);
        st = s ? push(p, s, 0, morsel, worker, err) : nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_batch_unref(b);
    return st;
}

static void pipe_task(void *ctx, int64_t i, int worker) {
    pipe *p = ctx;
    if (atomic_load(&p->x->failed)) return;
    nl_error err = {0};
    nl_status st = NL_OK;
    if (!p->sliced) {
        nl_provider *prov = p->source->provider;
        nl_stream *s = NULL;
        int64_t t0 = p->x->analyze ? now_ns() : 0;
        st = prov->vt->scan_part(prov, p->scan_plan, i, &s, &err);
        while (st == NL_OK && !atomic_load(&p->x->failed)) {
            nl_batch *b = NULL;
            st = nl_stream_next(s, &b, &err);
            if (p->x->analyze) /* the scan's own time: opening the part and reading, not pushing */
                __atomic_add_fetch(&p->source->stat_self_ns, now_ns() - t0, __ATOMIC_RELAXED);
            if (st || !b) break;
            if (b->n_columns != p->source->n_out) {
                st = nl_error_set(&err, NL_EINTERNAL, "table '%s' returned %d columns, not the %d asked for",
                                  p->source->table_name, b->n_columns, p->source->n_out);
                nl_batch_unref(b);
                break;
            }
            if (p->x->analyze) __atomic_add_fetch(&p->source->stat_rows, b->num_rows, __ATOMIC_RELAXED);
            st = push_sliced(p, b, i, worker, &err);
            if (p->x->analyze) t0 = now_ns();
        }
        nl_stream_free(s);
    } else {
        nl_batch *b = p->src.b[p->slice_batch[i]];
        nl_batch *s = p->slice_len[i] == b->num_rows ? nl_batch_ref(b)
                                                     : nl_batch_slice(b, p->slice_at[i], p->slice_len[i]);
        st = s ? push(p, s, 0, i, worker, &err) : nl_error_set(&err, NL_ENOMEM, "out of memory");
    }
    if (st) exec_fail(p->x, &err);
}

/* Cuts the materialised input into slices of at most EXEC_SLICE_ROWS rows,
 * one morsel each: an aggregate's output or a small table's one row group is
 * a single batch, and as one morsel it would run on one core. */
static nl_status plan_slices(pipe *p, int64_t *n_morsels, nl_error *err) {
    int64_t n = 0;
    for (int64_t i = 0; i < p->src.n; i++)
        n += p->src.b[i]->num_rows ? (p->src.b[i]->num_rows + EXEC_SLICE_ROWS - 1) / EXEC_SLICE_ROWS : 1;
    size_t sz = sizeof(int64_t) * (size_t)(n ? n : 1);
    p->slice_batch = nl_malloc(sz);
    p->slice_at = nl_malloc(sz);
    p->slice_len = nl_malloc(sz);
    if (!p->slice_batch || !p->slice_at || !p->slice_len) return nl_error_set(err, NL_ENOMEM, "out of memory");
    int64_t k = 0;
    for (int64_t i = 0; i < p->src.n; i++) {
        int64_t rows = p->src.b[i]->num_rows, at = 0;
        do {
            int64_t len = rows - at < EXEC_SLICE_ROWS ? rows - at : EXEC_SLICE_ROWS;
            p->slice_batch[k] = i;
            p->slice_at[k] = at;
            p->slice_len[k++] = len;
            at += len;
        } while (at < rows);
    }
    *n_morsels = k;
    return NL_OK;
}

/* A filter followed by a projection copies only the columns the projection
 * reads (often not those the filter tested). */
static nl_status plan_needs(pipe *p, nl_error *err) {
    for (int32_t k = 0; k + 1 < p->n_ops; k++) {
        pl_node *f = p->ops[k], *pr = p->ops[k + 1];
        if (f->kind != PL_FILTER || pr->kind != PL_PROJECT) continue;
        int32_t nc = f->n_out;
        p->need[k] = nl_calloc((size_t)(nc ? nc : 1), sizeof(bool));
        NL_CHECK_ALLOC(p->need[k], err);
        for (int32_t i = 0; i < pr->n_out; i++) exec_expr_columns(pr->exprs[i], p->need[k], nc);
    }
    return NL_OK;
}

static void pipe_free(pipe *p) {
    for (int32_t k = 0; k < p->n_ops; k++) nl_free(p->need[k]);
    exec_batches_clear(&p->src);
    nl_free(p->slice_batch);
    nl_free(p->slice_at);
    nl_free(p->slice_len);
}

nl_status exec_pipeline(exec_ctx *x, pl_node *top, exec_sink *sink, nl_error *err) {
    pipe p = {.x = x, .sink = sink};
    pl_node *n = top;
    pl_node *chain[MAX_CHAIN];
    int32_t nc = 0;
    while (is_streaming(n)) {
        if (nc == MAX_CHAIN) return nl_error_set(err, NL_ENOTSUP, "query too deep");
        chain[nc++] = n;
        n = n->kids[0];
    }
    for (int32_t i = 0; i < nc; i++) p.ops[i] = chain[nc - 1 - i];
    p.n_ops = nc;
    p.source = n;
    /* build the hash tables first */
    for (int32_t i = 0; i < nc; i++)
        if (p.ops[i]->kind == PL_JOIN) NL_TRY(exec_join_build(x, p.ops[i], err));
    int64_t n_morsels;
    nl_status st = NL_OK;
    if (n->kind == PL_SCAN) {
        nl_scan_request req = {.columns = n->scan_cols, .n_columns = n->n_out,
                               .filters = n->pushed.n ? &n->pushed : NULL, .limit = n->scan_limit};
        NL_TRY(n->provider->vt->scan_plan(n->provider, &req, &p.scan_plan, &n_morsels, err));
        /* fewer parts than twice the workers (a one-row-group table): read
         * them first, then run the chain over slices on every worker */
        if ((nc > 0 || sink->consume != collect_consume) && n_morsels < 2 * (int64_t)x->n_workers &&
            x->n_workers > 1) {
            n->provider->vt->scan_free(n->provider, p.scan_plan);
            p.scan_plan = NULL;
            st = exec_collect(x, n, &p.src, err);
            p.source = NULL;
        }
    } else {
        st = exec_materialize(x, n, &p.src, err);
        p.source = NULL;
    }
    if (st == NL_OK && !p.source) st = plan_slices(&p, &n_morsels, err);
    if (st == NL_OK) st = plan_needs(&p, err);
    if (st) {
        if (p.scan_plan) n->provider->vt->scan_free(n->provider, p.scan_plan);
        pipe_free(&p);
        return st;
    }
    p.source = n;
    bool sliced = n->kind != PL_SCAN || !p.scan_plan;
    if (sink->start) st = sink->start(sink->ctx, n_morsels + nc, err);
    sink->n_morsels = n_morsels + nc;
    if (st == NL_OK) {
        p.sliced = sliced;
        /* one morsel runs on this thread outside any task, so that the
         * reader below can still decode its columns on every worker */
        if (n_morsels == 1) pipe_task(&p, 0, 0);
        else nl_pool_parallel_for(x->pool, n_morsels, pipe_task, &p);
        if (atomic_load(&x->failed)) {
            *err = x->first_err;
            st = err->code;
        }
    }
    /* rows of the build side no probe row matched (RIGHT and FULL joins) */
    for (int32_t k = 0; st == NL_OK && k < nc; k++) {
        pl_node *j = p.ops[k];
        if (j->kind != PL_JOIN || (j->join != PL_JOIN_RIGHT && j->join != PL_JOIN_FULL)) continue;
        nl_batch *u = NULL;
        st = exec_join_unmatched(x, j, &u, err);
        if (st == NL_OK && u) st = push(&p, u, k + 1, n_morsels + k, 0, err);
    }
    if (n->kind == PL_SCAN && p.scan_plan) n->provider->vt->scan_free(n->provider, p.scan_plan);
    pipe_free(&p);
    return st;
}

/* ---- the ordered collector ---- */

typedef struct collector {
    exec_batches *per; /* one list per morsel */
    int64_t n;
} collector;

static nl_status collect_start(void *ctx, int64_t n, nl_error *err) {
    collector *c = ctx;
    c->per = nl_calloc((size_t)(n ? n : 1), sizeof(exec_batches));
    NL_CHECK_ALLOC(c->per, err);
    c->n = n;
    return NL_OK;
}

static nl_status collect_consume(void *ctx, nl_batch *b, int64_t morsel, int worker, nl_error *err) {
    collector *c = ctx;
    (void)worker;
    return exec_batches_push(&c->per[morsel], nl_batch_ref(b), err);
}

nl_status exec_collect(exec_ctx *x, pl_node *top, exec_batches *out, nl_error *err) {
    collector c = {0};
    exec_sink sink = {.consume = collect_consume, .start = collect_start, .ctx = &c};
    nl_status st = exec_pipeline(x, top, &sink, err);
    for (int64_t m = 0; m < c.n; m++) {
        for (int64_t i = 0; i < c.per[m].n; i++) {
            if (st == NL_OK) st = exec_batches_push(out, c.per[m].b[i], err);
            else nl_batch_unref(c.per[m].b[i]);
        }
        nl_free(c.per[m].b);
    }
    nl_free(c.per);
    return st;
}

/* ---- breakers ---- */

static nl_status run_values(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    (void)x;
    nl_array **cols = nl_calloc((size_t)(n->n_out ? n->n_out : 1), sizeof(nl_array *));
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    nl_array **parts = nl_calloc((size_t)(n->n_rows ? n->n_rows : 1), sizeof(nl_array *));
    if (!parts) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t c = 0; st == NL_OK && c < n->n_out; c++) {
        int64_t r = 0;
        for (; r < n->n_rows && st == NL_OK; r++) st = exec_eval(n->rows[r][c], NULL, &parts[r], err);
        if (st == NL_OK) {
            if (n->n_rows == 1) cols[c] = nl_array_ref(parts[0]);
            else if (n->n_rows == 0) st = nl_array_new_nulls(n->out_types[c], 0, &cols[c], err);
            else st = nl_array_concat(parts, (int32_t)n->n_rows, &cols[c], err);
        }
        for (int64_t k = 0; k < r; k++) nl_array_unref(parts[k]);
    }
    nl_free(parts);
    nl_batch *b = NULL;
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(n->schema), cols, n->n_rows, &b, err);
    } else {
        for (int32_t c = 0; c < n->n_out; c++) nl_array_unref(cols[c]);
    }
    nl_free(cols);
    if (st == NL_OK) st = exec_batches_push(out, b, err);
    return st;
}

static nl_status rewrap(nl_batch *b, nl_schema *schema, nl_batch **out, nl_error *err) {
    nl_array **cols = nl_malloc(sizeof(nl_array *) * (size_t)(b->n_columns ? b->n_columns : 1));
    NL_CHECK_ALLOC(cols, err);
    for (int32_t i = 0; i < b->n_columns; i++) cols[i] = nl_array_ref(b->columns[i]);
    nl_status st = nl_batch_new(nl_schema_ref(schema), cols, b->num_rows, out, err);
    nl_free(cols);
    return st;
}

static nl_status run_union(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    for (int32_t k = 0; k < n->n_kids; k++) {
        exec_batches in = {0};
        nl_status st = exec_materialize(x, n->kids[k], &in, err);
        for (int64_t i = 0; st == NL_OK && i < in.n; i++) {
            nl_batch *b;
            st = rewrap(in.b[i], n->schema, &b, err);
            if (st == NL_OK) st = exec_batches_push(out, b, err);
        }
        exec_batches_clear(&in);
        NL_TRY(st);
    }
    return NL_OK;
}

static nl_status run_limit(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    exec_batches in = {0};
    NL_TRY(exec_materialize(x, n->kids[0], &in, err));
    int64_t skip = n->offset, left = n->limit < 0 ? INT64_MAX : n->limit;
    nl_status st = NL_OK;
    for (int64_t i = 0; i < in.n && left > 0 && st == NL_OK; i++) {
        nl_batch *b = in.b[i];
        if (skip >= b->num_rows) {
            skip -= b->num_rows;
            continue;
        }
        int64_t take = b->num_rows - skip;
        if (take > left) take = left;
        nl_batch *s = nl_batch_slice(b, skip, take);
        if (!s) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            break;
        }
        skip = 0;
        left -= take;
        st = exec_batches_push(out, s, err);
    }
    exec_batches_clear(&in);
    return st;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

nl_status exec_materialize(exec_ctx *x, pl_node *n, exec_batches *out, nl_error *err) {
    double t0 = x->analyze ? now_ms() : 0;
    nl_status st;
    switch (n->kind) {
    case PL_SCAN:
    case PL_FILTER:
    case PL_PROJECT:
    case PL_ROWID:
    case PL_JOIN: st = exec_collect(x, n, out, err); break;
    case PL_VALUES: st = run_values(x, n, out, err); break;
    case PL_AGG: st = exec_agg(x, n, out, err); break;
    case PL_SORT: st = exec_sort(x, n, out, err); break;
    case PL_LIMIT: st = run_limit(x, n, out, err); break;
    case PL_UNION: st = run_union(x, n, out, err); break;
    default: st = nl_error_set(err, NL_EINTERNAL, "unknown plan node %d", n->kind); break;
    }
    if (x->analyze) {
        n->stat_ms += now_ms() - t0;
        if (n->kind != PL_SCAN && n->kind != PL_FILTER && n->kind != PL_PROJECT && n->kind != PL_JOIN &&
            n->kind != PL_ROWID)
            n->stat_rows = exec_batches_rows(out);
    }
    return st;
}

/* Column buffers of a few MB are allocated and freed for every batch; with
 * glibc's defaults each one is a fresh mmap whose pages fault in one by one
 * (a third of the CPU time of a scan-heavy query on 2 cores). Raising the
 * mmap and trim thresholds once keeps them in the heap for reuse. */
static pthread_once_t malloc_once = PTHREAD_ONCE_INIT;

static void tune_malloc(void) {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

nl_status exec_run(pl_node *root, bool analyze, nl_table **out, nl_error *err) {
    pthread_once(&malloc_once, tune_malloc);
    exec_ctx x = {.pool = nl_pool_default(), .analyze = analyze};
    if (!x.pool) return nl_error_set(err, NL_ENOMEM, "no thread pool");
    x.n_workers = nl_pool_size(x.pool);
    pthread_mutex_init(&x.lock, NULL);
    exec_batches res = {0};
    nl_status st = exec_materialize(&x, root, &res, err);
    pthread_mutex_destroy(&x.lock);
    nl_schema *schema = nl_schema_ref(root->schema);
    exec_release(root);
    if (st) {
        nl_schema_unref(schema);
        exec_batches_clear(&res);
        return st;
    }
    /* the result carries the root's names */
    nl_table *t = nl_table_new(schema);
    if (!t) {
        exec_batches_clear(&res);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    for (int64_t i = 0; st == NL_OK && i < res.n; i++) {
        nl_batch *b;
        st = rewrap(res.b[i], t->schema, &b, err);
        if (st == NL_OK) {
            st = nl_table_append(t, b, err);
            nl_batch_unref(b);
        }
    }
    exec_batches_clear(&res);
    if (st) {
        nl_table_free(t);
        return st;
    }
    *out = t;
    return NL_OK;
}
