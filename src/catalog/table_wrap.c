/*
 * table_wrap.c -- what a declaration adds on top of any table kind: computed
 * ("extra") columns and de-duplication on the unique columns.
 *
 * The wrapper asks its base provider for the columns the scan needs plus the
 * inputs of the computed columns it must produce, and pushes down only the
 * filters the base can see. With de-duplication, only filters on the unique
 * columns go down (they select whole keys, so "first row of each key" is the
 * same before and after them), and the scan is one part, in order: the first
 * row of a key is the first one read.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/strbuf.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/arrow_c.h"
#include "columnar/builder.h"

typedef struct wrap_impl {
    const nl_table_def *def;
    nl_provider *base;
    int32_t n_base;
    int32_t n_extra;
    int32_t **inputs;  /* per extra column: indices into the base schema, -1 terminated */
    int32_t *unique;   /* indices into the base schema */
    int32_t n_unique;
} wrap_impl;

/* A set of keys (serialized bytes), open addressing. */
typedef struct key_set {
    uint64_t *hashes;
    int64_t *offsets; /* -1: empty slot */
    int64_t cap, count;
    uint8_t *bytes;
    int64_t n_bytes, cap_bytes;
} key_set;

typedef struct wrap_plan {
    void *base_plan;
    int64_t base_parts;
    int32_t *base_cols; /* the base request's columns */
    int32_t n_base_cols;
    nl_filter_set filters;
    int32_t n_out;
    int32_t *out_src;   /* >= 0: position in the base batch; < 0: extra column -(k+1) */
    int32_t **extra_in; /* per extra column: positions of its inputs in the base batch */
    int32_t *uniq_pos;  /* positions of the unique columns in the base batch */
    nl_schema *projected;
    key_set seen;
} wrap_plan;

static void key_set_free(key_set *s) {
    nl_free(s->hashes);
    nl_free(s->offsets);
    nl_free(s->bytes);
    memset(s, 0, sizeof *s);
}

static bool key_set_grow(key_set *s) {
    int64_t cap = s->cap ? s->cap * 2 : 1024;
    uint64_t *h = nl_calloc((size_t)cap, sizeof *h);
    int64_t *o = nl_malloc(sizeof *o * (size_t)cap);
    if (!h || !o) {
        nl_free(h);
        nl_free(o);
        return false;
    }
    for (int64_t i = 0; i < cap; i++) o[i] = -1;
    for (int64_t i = 0; i < s->cap; i++) {
        if (s->offsets[i] < 0) continue;
        int64_t j = (int64_t)(s->hashes[i] & (uint64_t)(cap - 1));
        while (o[j] >= 0) j = (j + 1) & (cap - 1);
        h[j] = s->hashes[i];
        o[j] = s->offsets[i];
    }
    nl_free(s->hashes);
    nl_free(s->offsets);
    s->hashes = h;
    s->offsets = o;
    s->cap = cap;
    return true;
}

/* Inserts key (len-prefixed bytes); *added false when it was there. */
static bool key_set_add(key_set *s, const uint8_t *key, int64_t len, bool *added) {
    if ((s->count + 1) * 2 > s->cap && !key_set_grow(s)) return false;
    uint64_t h = nl_hash_bytes(key, (size_t)len, 0);
    int64_t j = (int64_t)(h & (uint64_t)(s->cap - 1));
    while (s->offsets[j] >= 0) {
        if (s->hashes[j] == h) {
            int64_t len2;
            memcpy(&len2, s->bytes + s->offsets[j], sizeof len2);
            if (len2 == len && memcmp(s->bytes + s->offsets[j] + 8, key, (size_t)len) == 0) {
                *added = false;
                return true;
            }
        }
        j = (j + 1) & (s->cap - 1);
    }
    if (s->n_bytes + len + 8 > s->cap_bytes) {
        int64_t cap = s->cap_bytes ? s->cap_bytes * 2 : 65536;
        while (cap < s->n_bytes + len + 8) cap *= 2;
        uint8_t *b = nl_realloc(s->bytes, (size_t)cap);
        if (!b) return false;
        s->bytes = b;
        s->cap_bytes = cap;
    }
    memcpy(s->bytes + s->n_bytes, &len, 8);
    memcpy(s->bytes + s->n_bytes + 8, key, (size_t)len);
    s->hashes[j] = h;
    s->offsets[j] = s->n_bytes;
    s->n_bytes += len + 8;
    s->count++;
    *added = true;
    return true;
}

/* Appends the bytes of element i of `a` (with a null marker) to a key. */
static void key_put(nl_strbuf *sb, const nl_array *a, int64_t i) {
    if (nl_array_is_null(a, i)) {
        nl_strbuf_putc(sb, 0);
        return;
    }
    nl_strbuf_putc(sb, 1);
    int w = nl_type_byte_width(a->type->id);
    if (nl_type_is_string_like(a->type->id)) {
        int32_t len;
        const char *s = nl_array_str(a, i, &len);
        nl_strbuf_append(sb, &len, sizeof len);
        nl_strbuf_append(sb, s, (size_t)len);
    } else if (a->type->id == NL_TYPE_BOOL) {
        nl_strbuf_putc(sb, (char)nl_array_bool(a, i));
    } else if (w > 0) {
        nl_strbuf_append(sb, a->values->data + (a->offset + i) * w, (size_t)w);
    }
}

static void wrap_plan_free(nl_provider *p, void *plan) {
    wrap_impl *w = p->impl;
    wrap_plan *wp = plan;
    if (!wp) return;
    if (wp->base_plan && w->base->vt->scan_free) w->base->vt->scan_free(w->base, wp->base_plan);
    nl_free(wp->base_cols);
    nl_filter_set_clear(&wp->filters);
    nl_free(wp->out_src);
    for (int32_t k = 0; wp->extra_in && k < w->n_extra; k++) nl_free(wp->extra_in[k]);
    nl_free(wp->extra_in);
    nl_free(wp->uniq_pos);
    nl_schema_unref(wp->projected);
    key_set_free(&wp->seen);
    nl_free(wp);
}

static int32_t add_col(int32_t *list, int32_t *n, int32_t c) {
    for (int32_t i = 0; i < *n; i++)
        if (list[i] == c) return i;
    list[*n] = c;
    return (*n)++;
}

typedef struct keep_ctx {
    const nl_schema *base;
    const wrap_impl *w;
} keep_ctx;

static bool keep_base(const char *column, void *ctx) {
    keep_ctx *k = ctx;
    int32_t i = nl_schema_find(k->base, column);
    if (i < 0) i = nl_schema_find_ci(k->base, column);
    if (i < 0) return false;
    if (!k->w->def->deduplicate) return true;
    for (int32_t u = 0; u < k->w->n_unique; u++)
        if (k->w->unique[u] == i) return true;
    return false;
}

static nl_status wrap_plan_new(nl_provider *p, const nl_scan_request *req, void **plan,
                               int64_t *n_parts, nl_error *err) {
    wrap_impl *w = p->impl;
    wrap_plan *wp = nl_calloc(1, sizeof *wp);
    NL_CHECK_ALLOC(wp, err);
    bool all = !req || req->n_columns < 0 || !req->columns;
    wp->n_out = all ? p->schema->n_fields : req->n_columns;
    int32_t max_cols = w->n_base + 1;
    wp->base_cols = nl_malloc(sizeof(int32_t) * (size_t)max_cols);
    wp->out_src = nl_malloc(sizeof(int32_t) * ((size_t)wp->n_out + 1));
    wp->extra_in = nl_calloc((size_t)w->n_extra + 1, sizeof *wp->extra_in);
    wp->uniq_pos = nl_malloc(sizeof(int32_t) * ((size_t)w->n_unique + 1));
    nl_status st = NL_OK;
    if (!wp->base_cols || !wp->out_src || !wp->extra_in || !wp->uniq_pos)
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t i = 0; st == NL_OK && i < wp->n_out; i++) {
        int32_t c = all ? i : req->columns[i];
        if (c < 0 || c >= p->schema->n_fields) {
            st = nl_error_set(err, NL_EINVAL, "column index %d out of range", c);
        } else if (c < w->n_base) {
            wp->out_src[i] = add_col(wp->base_cols, &wp->n_base_cols, c);
        } else {
            int32_t k = c - w->n_base;
            wp->out_src[i] = -(k + 1);
            if (!wp->extra_in[k]) {
                int32_t n_in = 0;
                while (w->inputs[k][n_in] >= 0) n_in++;
                wp->extra_in[k] = nl_malloc(sizeof(int32_t) * ((size_t)n_in + 1));
                if (!wp->extra_in[k]) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory");
                    break;
                }
                for (int32_t j = 0; j < n_in; j++)
                    wp->extra_in[k][j] = add_col(wp->base_cols, &wp->n_base_cols, w->inputs[k][j]);
                wp->extra_in[k][n_in] = -1;
            }
        }
    }
    if (w->def->deduplicate)
        for (int32_t u = 0; st == NL_OK && u < w->n_unique; u++)
            wp->uniq_pos[u] = add_col(wp->base_cols, &wp->n_base_cols, w->unique[u]);
    if (st == NL_OK && req && req->filters) {
        keep_ctx k = {w->base->schema, w};
        st = cat_filter_restrict(req->filters, keep_base, &k, &wp->filters, err);
    }
    if (st == NL_OK) st = cat_project_schema(p->schema, req, &wp->projected, err);
    if (st == NL_OK) {
        nl_scan_request breq = {
            .columns = wp->base_cols,
            .n_columns = wp->n_base_cols,
            .filters = wp->filters.n ? &wp->filters : NULL,
            .limit = (w->def->deduplicate || (req && req->filters)) ? -1 : (req ? req->limit : -1),
        };
        st = w->base->vt->scan_plan(w->base, &breq, &wp->base_plan, &wp->base_parts, err);
    }
    if (st != NL_OK) {
        wrap_plan_free(p, wp);
        return st;
    }
    *plan = wp;
    *n_parts = w->def->deduplicate ? 1 : wp->base_parts;
    return NL_OK;
}

/* One computed column for a base batch. */
static nl_status compute_extra(wrap_impl *w, wrap_plan *wp, int32_t k, nl_batch *in, nl_array **out,
                               nl_error *err) {
    const nl_extra_column *x = &w->def->extra_columns[k];
    nl_type *type = NULL;
    NL_TRY(cat_type_parse(x->type, &type, err));
    nl_status st = NL_OK;
    if (!x->compute) {
        nl_scalar v = {0};
        st = cat_value_to_scalar(&x->value, type, &v, err);
        if (st == NL_OK) st = cat_array_repeat(&v, type, in->num_rows, out, err);
        nl_scalar_clear(&v);
        nl_type_unref(type);
        return st;
    }
    /* The inputs as a batch, exported for the callback. */
    int32_t n_in = 0;
    while (wp->extra_in[k][n_in] >= 0) n_in++;
    nl_array **cols = nl_calloc((size_t)n_in + 1, sizeof *cols);
    nl_field *fields = nl_calloc((size_t)n_in + 1, sizeof *fields);
    if (!cols || !fields) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t j = 0; st == NL_OK && j < n_in; j++) {
        int32_t pos = wp->extra_in[k][j];
        cols[j] = nl_array_ref(in->columns[pos]);
        fields[j] = in->schema->fields[pos];
        nl_type_ref(fields[j].type);
    }
    nl_schema *is = st == NL_OK ? nl_schema_new(fields, n_in) : NULL;
    nl_free(fields);
    nl_batch *ib = NULL;
    if (st == NL_OK && !is) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK) st = nl_batch_new(is, cols, in->num_rows, &ib, err);
    nl_free(cols);
    struct ArrowSchema as;
    struct ArrowArray aa, res;
    memset(&as, 0, sizeof as);
    memset(&aa, 0, sizeof aa);
    memset(&res, 0, sizeof res);
    if (st == NL_OK) st = nl_schema_export(ib->schema, &as, err);
    if (st == NL_OK) st = nl_batch_export(ib, &aa, err);
    if (st == NL_OK) {
        nl_error cerr = {0};
        st = x->compute(&as, &aa, &res, x->user_data, &cerr);
        if (st != NL_OK)
            nl_error_set(err, st, "computed column '%s': %s", x->name,
                         cerr.message[0] ? cerr.message : nl_status_name(st));
        else if (!res.release)
            st = nl_error_set(err, NL_EINVAL, "computed column '%s': compute returned no array", x->name);
    }
    if (st == NL_OK) {
        st = nl_array_import(&res, type, out, err);
        if (st == NL_OK && (*out)->length != in->num_rows) {
            st = nl_error_set(err, NL_EINVAL, "computed column '%s' has %lld rows, not %lld",
                              x->name, (long long)(*out)->length, (long long)in->num_rows);
            nl_array_unref(*out);
            *out = NULL;
        }
    }
    if (res.release) res.release(&res);
    if (aa.release) aa.release(&aa);
    if (as.release) as.release(&as);
    nl_batch_unref(ib);
    nl_type_unref(type);
    return st;
}

typedef struct wrap_map_ctx {
    nl_provider *p;
    wrap_plan *wp;
} wrap_map_ctx;

static nl_status wrap_map(void *ctx, nl_batch *in, nl_batch **out, bool *done, nl_error *err) {
    (void)done;
    wrap_map_ctx *c = ctx;
    wrap_impl *w = c->p->impl;
    wrap_plan *wp = c->wp;
    *out = NULL;
    nl_batch *src = nl_batch_ref(in);
    nl_status st = NL_OK;
    if (w->def->deduplicate) {
        int64_t *keep = nl_malloc(sizeof(int64_t) * ((size_t)in->num_rows + 1));
        if (!keep) {
            nl_batch_unref(src);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        int64_t n_keep = 0;
        nl_strbuf key = NL_STRBUF_INIT;
        for (int64_t i = 0; i < in->num_rows && st == NL_OK; i++) {
            nl_strbuf_clear(&key);
            for (int32_t u = 0; u < w->n_unique; u++) key_put(&key, in->columns[wp->uniq_pos[u]], i);
            bool added = false;
            if (key.failed || !key_set_add(&wp->seen, (const uint8_t *)key.data, (int64_t)key.len, &added))
                st = nl_error_set(err, NL_ENOMEM, "out of memory de-duplicating");
            if (added) keep[n_keep++] = i;
        }
        nl_strbuf_free(&key);
        if (st == NL_OK && n_keep < in->num_rows) {
            nl_array **cols = nl_calloc((size_t)in->n_columns + 1, sizeof *cols);
            if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
            for (int32_t c2 = 0; st == NL_OK && c2 < in->n_columns; c2++)
                st = nl_array_take(in->columns[c2], keep, n_keep, &cols[c2], err);
            nl_batch *d = NULL;
            if (st == NL_OK) st = nl_batch_new(nl_schema_ref(in->schema), cols, n_keep, &d, err);
            else
                for (int32_t c2 = 0; cols && c2 < in->n_columns; c2++) nl_array_unref(cols[c2]);
            nl_free(cols);
            nl_batch_unref(src);
            src = d;
        }
        nl_free(keep);
        if (st != NL_OK) {
            nl_batch_unref(src);
            return st;
        }
        if (src->num_rows == 0) {
            nl_batch_unref(src);
            return NL_OK;
        }
    }
    nl_array **cols = nl_calloc((size_t)wp->n_out + 1, sizeof *cols);
    if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t i = 0; st == NL_OK && i < wp->n_out; i++) {
        if (wp->out_src[i] >= 0) cols[i] = nl_array_ref(src->columns[wp->out_src[i]]);
        else st = compute_extra(w, wp, -wp->out_src[i] - 1, src, &cols[i], err);
    }
    if (st == NL_OK) {
        st = nl_batch_new(nl_schema_ref(wp->projected), cols, src->num_rows, out, err);
    } else {
        for (int32_t i = 0; cols && i < wp->n_out; i++) nl_array_unref(cols[i]);
    }
    nl_free(cols);
    nl_batch_unref(src);
    return st;
}

/* With de-duplication, the one part reads every base part in order. */
typedef struct all_parts {
    nl_provider *base;
    void *plan;
    int64_t n, next;
    nl_stream *cur;
} all_parts;

static nl_status all_next(nl_stream *self, nl_batch **out, nl_error *err) {
    all_parts *a = self->private_data;
    *out = NULL;
    for (;;) {
        if (!a->cur) {
            if (a->next >= a->n) return NL_OK;
            NL_TRY(a->base->vt->scan_part(a->base, a->plan, a->next++, &a->cur, err));
        }
        NL_TRY(nl_stream_next(a->cur, out, err));
        if (*out) return NL_OK;
        nl_stream_free(a->cur);
        a->cur = NULL;
    }
}

static void all_release(nl_stream *self) {
    all_parts *a = self->private_data;
    if (!a) return;
    nl_stream_free(a->cur);
    nl_free(a);
}

static nl_status wrap_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                           nl_error *err) {
    wrap_impl *w = p->impl;
    wrap_plan *wp = plan;
    nl_stream *in = NULL;
    if (w->def->deduplicate) {
        if (part != 0) return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
        all_parts *a = nl_calloc(1, sizeof *a);
        in = nl_calloc(1, sizeof *in);
        if (!a || !in) {
            nl_free(a);
            nl_free(in);
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        a->base = w->base;
        a->plan = wp->base_plan;
        a->n = wp->base_parts;
        nl_scan_request breq = {.columns = wp->base_cols, .n_columns = wp->n_base_cols, .limit = -1};
        nl_status st = cat_project_schema(w->base->schema, &breq, &in->schema, err);
        if (st != NL_OK) {
            nl_free(a);
            nl_free(in);
            return st;
        }
        in->next = all_next;
        in->release = all_release;
        in->private_data = a;
    } else {
        NL_TRY(w->base->vt->scan_part(w->base, wp->base_plan, part, &in, err));
    }
    wrap_map_ctx *c = nl_calloc(1, sizeof *c);
    if (!c) {
        nl_stream_free(in);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    c->p = p;
    c->wp = wp;
    return cat_stream_map(in, nl_schema_ref(wp->projected), wrap_map, c, nl_free, out, err);
}

static nl_status wrap_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    wrap_impl *w = p->impl;
    if (w->base->vt->stats) return w->base->vt->stats(w->base, out, err);
    out->num_rows = -1;
    out->total_bytes = -1;
    return NL_OK;
}

static void wrap_free(nl_provider *p) {
    if (!p) return;
    wrap_impl *w = p->impl;
    if (w) {
        if (w->base) w->base->vt->free(w->base);
        for (int32_t k = 0; w->inputs && k < w->n_extra; k++) nl_free(w->inputs[k]);
        nl_free(w->inputs);
        nl_free(w->unique);
        nl_free(w);
    }
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable WRAP_VT = {
    .kind = "wrapped",
    .scan_plan = wrap_plan_new,
    .scan_part = wrap_part,
    .scan_free = wrap_plan_free,
    .stats = wrap_stats,
    .free = wrap_free,
};

static int32_t find_base(const nl_schema *s, const char *name) {
    int32_t i = nl_schema_find(s, name);
    return i >= 0 ? i : nl_schema_find_ci(s, name);
}

nl_status cat_wrap_new(const nl_table_def *def, nl_provider *base, nl_provider **out,
                       nl_error *err) {
    nl_provider *p = nl_calloc(1, sizeof *p);
    wrap_impl *w = nl_calloc(1, sizeof *w);
    if (!p || !w) {
        nl_free(p);
        nl_free(w);
        base->vt->free(base);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = &WRAP_VT;
    p->impl = w;
    w->def = def;
    w->base = base;
    w->n_base = base->schema->n_fields;
    while (def->extra_columns && def->extra_columns[w->n_extra].name) w->n_extra++;
    int32_t n = w->n_base + w->n_extra;
    nl_field *fields = nl_calloc((size_t)n + 1, sizeof *fields);
    w->inputs = nl_calloc((size_t)w->n_extra + 1, sizeof *w->inputs);
    nl_status st = (fields && w->inputs) ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t i = 0; st == NL_OK && i < w->n_base; i++) {
        fields[i] = base->schema->fields[i];
        nl_type_ref(fields[i].type);
    }
    for (int32_t k = 0; st == NL_OK && k < w->n_extra; k++) {
        const nl_extra_column *x = &def->extra_columns[k];
        if (find_base(base->schema, x->name) >= 0) {
            st = nl_error_set(err, NL_EEXISTS, "computed column '%s' is already a column", x->name);
            break;
        }
        st = cat_type_parse(x->type, &fields[w->n_base + k].type, err);
        fields[w->n_base + k].name = (char *)x->name;
        fields[w->n_base + k].nullable = true;
        int32_t n_in = 0;
        while (x->inputs && x->inputs[n_in]) n_in++;
        w->inputs[k] = nl_malloc(sizeof(int32_t) * ((size_t)n_in + 1));
        if (st == NL_OK && !w->inputs[k]) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t j = 0; st == NL_OK && j < n_in; j++) {
            w->inputs[k][j] = find_base(base->schema, x->inputs[j]);
            if (w->inputs[k][j] < 0)
                st = nl_error_set(err, NL_ENOTFOUND, "computed column '%s': no input column '%s'",
                                  x->name, x->inputs[j]);
        }
        if (st == NL_OK) w->inputs[k][n_in] = -1;
    }
    if (st == NL_OK && def->deduplicate) {
        while (def->unique_columns[w->n_unique]) w->n_unique++;
        w->unique = nl_malloc(sizeof(int32_t) * ((size_t)w->n_unique + 1));
        if (!w->unique) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int32_t u = 0; st == NL_OK && u < w->n_unique; u++) {
            w->unique[u] = find_base(base->schema, def->unique_columns[u]);
            if (w->unique[u] < 0)
                st = nl_error_set(err, NL_ENOTFOUND,
                                  "unique column '%s' must be a column of the data (not computed)",
                                  def->unique_columns[u]);
        }
    }
    if (st == NL_OK) {
        p->schema = nl_schema_new(fields, n);
        if (!p->schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    } else if (fields) {
        for (int32_t i = 0; i < n; i++)
            if (fields[i].type) nl_type_unref(fields[i].type);
    }
    nl_free(fields);
    if (st != NL_OK) {
        wrap_free(p);
        return st;
    }
    *out = p;
    return NL_OK;
}
