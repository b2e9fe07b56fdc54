/*
 * table_parquet.c -- Parquet tables: one file, a glob, or a directory tree,
 * optionally partitioned (hive "key=value" directories, or plain directories
 * named by .partition_columns), with typed partition columns.
 *
 * Reading less, in order of cost saved:
 *   1. equality filters on the leading partition columns narrow the listing
 *      itself to that prefix ("year=2024/month=3/"), before any file is
 *      opened or even listed outside it;
 *   2. every other filter on partition columns prunes listed files by their
 *      path, still without opening them;
 *   3. in each file that remains, the reader prunes row groups by statistics
 *      (pq_file_prune) and reads only the projected columns.
 * Each file is one part of a scan, so files are read in parallel.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "base/threadpool.h"
#include "catalog/filter.h"
#include "catalog/tables.h"
#include "columnar/cast.h"
#include "formats/parquet/reader.h"

#define HIVE_NULL "__HIVE_DEFAULT_PARTITION__"

static const char *const PARQUET_EXTS[] = {".parquet", ".parq", ".pq", NULL};

typedef struct pqt_impl {
    const nl_table_def *def;
    nl_store *store;
    int32_t n_file_cols; /* schema fields [0, n_file_cols) come from the files */
    int32_t n_part;      /* then the partition columns */
    const char **part_names;
    atomic_int_fast64_t files_opened;
    atomic_int_fast64_t stat_rows, stat_bytes; /* -2: not computed yet */
} pqt_impl;

typedef struct pqt_file {
    char *uri;
    int64_t size;
    nl_scalar *values; /* n_part partition values */
} pqt_file;

/* One part of a scan: a row group of a file, or a whole file (-1). */
typedef struct pqt_part {
    int64_t file;
    int32_t row_group;
} pqt_part;

/* Up to this many files, a scan opens them while planning and makes each
 * row group that may match a part of its own, so one big file is still read
 * in parallel; past it, each file is a part and is opened by its reader. */
#define PQT_SPLIT_FILES 64

typedef struct pqt_plan {
    pqt_file *files;
    int64_t n_files;
    pq_file **opened; /* per file, when opened while planning */
    pqt_part *parts;
    int64_t n_parts;
    int32_t *columns;
    nl_scan_request req;
    nl_filter_set filters;
    nl_schema *projected;
} pqt_plan;

/* ---- partition values from paths ---- */

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Hive escapes characters in values as %XX. */
static void url_decode(char *s) {
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* The raw text of each partition value in the path of `uri` under `root`
 * (NULL where absent); texts are nl_malloc'd. */
static nl_status path_values(const pqt_impl *impl, const char *uri, const char *root,
                             char **texts, nl_error *err) {
    size_t rl = strlen(root);
    const char *rel = strncmp(uri, root, rl) == 0 ? uri + rl : uri;
    while (*rel == '/') rel++;
    int32_t level = 0;
    for (const char *p = rel;;) {
        const char *slash = strchr(p, '/');
        if (!slash) break; /* the file name itself */
        size_t n = (size_t)(slash - p);
        if (impl->def->partitioning == NL_PARTITION_HIVE) {
            const char *eq = memchr(p, '=', n);
            if (eq) {
                size_t kn = (size_t)(eq - p);
                for (int32_t k = 0; k < impl->n_part; k++)
                    if (strlen(impl->part_names[k]) == kn &&
                        strncasecmp(impl->part_names[k], p, kn) == 0 && !texts[k]) {
                        texts[k] = nl_strndup(eq + 1, n - kn - 1);
                        NL_CHECK_ALLOC(texts[k], err);
                        url_decode(texts[k]);
                    }
            }
        } else if (level < impl->n_part) {
            texts[level] = nl_strndup(p, n);
            NL_CHECK_ALLOC(texts[level], err);
        }
        level++;
        p = slash + 1;
    }
    return NL_OK;
}

static nl_status typed_values(const pqt_impl *impl, nl_schema *schema, const char *uri,
                              char **texts, nl_scalar *values, nl_error *err) {
    for (int32_t k = 0; k < impl->n_part; k++) {
        nl_type *t = schema->fields[impl->n_file_cols + k].type;
        if (!texts[k] || strcmp(texts[k], HIVE_NULL) == 0) {
            values[k] = nl_scalar_null(t);
            continue;
        }
        nl_value v = NL_STR(texts[k]);
        nl_status st = cat_value_to_scalar(&v, t, &values[k], err);
        if (st != NL_OK) {
            nl_error_prefix(err, "partition column '%s' of '%s'", impl->part_names[k], uri);
            return st;
        }
    }
    return NL_OK;
}

/* ---- the prefix that equality filters on leading partition columns allow ---- */

static bool safe_text(const char *s) { return !strpbrk(s, "/%=*?[") && *s; }

/* Prefix for one conjunction ("" when its first partition column has no
 * equality). nl_malloc'd. */
static char *and_prefix(const pqt_impl *impl, const nl_filter_and *and) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_puts(&sb, "");
    for (int32_t k = 0; k < impl->n_part; k++) {
        const nl_filter *eq = NULL;
        for (int32_t i = 0; i < and->n && !eq; i++)
            if (and->filters[i].op == NL_OP_EQ && !and->filters[i].value.is_null &&
                strcasecmp(and->filters[i].column, impl->part_names[k]) == 0)
                eq = &and->filters[i];
        if (!eq) break;
        char buf[256];
        const nl_scalar *v = &eq->value;
        if (nl_type_is_string_like(v->type->id)) {
            if ((size_t)v->v.str.len >= sizeof buf || memchr(v->v.str.ptr, 0, (size_t)v->v.str.len)) break;
            memcpy(buf, v->v.str.ptr, (size_t)v->v.str.len);
            buf[v->v.str.len] = '\0';
        } else if (v->type->id == NL_TYPE_FLOAT64 || v->type->id == NL_TYPE_FLOAT32) {
            break; /* "1.0" or "1": no canonical text */
        } else {
            nl_scalar_format(v, false, buf, sizeof buf);
        }
        if (!safe_text(buf)) break;
        if (impl->def->partitioning == NL_PARTITION_HIVE)
            nl_strbuf_printf(&sb, "%s=%s/", impl->part_names[k], buf);
        else
            nl_strbuf_printf(&sb, "%s/", buf);
    }
    return nl_strbuf_take(&sb);
}

/* ---- listing and pruning ---- */

static void files_free(pqt_file *files, int64_t n, int32_t n_part) {
    for (int64_t i = 0; files && i < n; i++) {
        nl_free(files[i].uri);
        for (int32_t k = 0; files[i].values && k < n_part; k++) nl_scalar_clear(&files[i].values[k]);
        nl_free(files[i].values);
    }
    nl_free(files);
}

static int cmp_file(const void *a, const void *b) {
    return strcmp(((const pqt_file *)a)->uri, ((const pqt_file *)b)->uri);
}

/* The files of the table that may hold rows matching `filters`. */
static nl_status list_pruned(nl_provider *p, const nl_filter_set *filters, pqt_file **out,
                             int64_t *n_out, nl_error *err) {
    pqt_impl *impl = p->impl;
    *out = NULL;
    *n_out = 0;
    /* Prefixes: one per conjunction, or none (the whole tree). */
    int32_t n_prefix = 0;
    char **prefixes = NULL;
    if (impl->def->partitioning != NL_PARTITION_NONE && filters && filters->n > 0) {
        prefixes = nl_calloc((size_t)filters->n, sizeof *prefixes);
        NL_CHECK_ALLOC(prefixes, err);
        for (int32_t a = 0; a < filters->n; a++) {
            char *pre = and_prefix(impl, &filters->ands[a]);
            if (!pre || !*pre) {
                nl_free(pre);
                for (int32_t i = 0; i < n_prefix; i++) nl_free(prefixes[i]);
                n_prefix = 0;
                break;
            }
            bool dup = false;
            for (int32_t i = 0; i < n_prefix && !dup; i++) dup = strcmp(prefixes[i], pre) == 0;
            if (dup) nl_free(pre);
            else prefixes[n_prefix++] = pre;
        }
    }
    pqt_file *files = NULL;
    int64_t n = 0, cap = 0;
    nl_status st = NL_OK;
    int32_t rounds = n_prefix ? n_prefix : 1;
    char **texts = nl_calloc((size_t)impl->n_part + 1, sizeof *texts);
    if (!texts) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t r = 0; r < rounds && st == NL_OK; r++) {
        nl_object_list list;
        char *root = NULL;
        st = cat_list_files(impl->store, impl->def->uri, n_prefix ? prefixes[r] : NULL,
                            PARQUET_EXTS, &list, &root, err);
        if (st != NL_OK) break;
        for (int64_t i = 0; i < list.count && st == NL_OK; i++) {
            nl_scalar *values = nl_calloc((size_t)impl->n_part + 1, sizeof *values);
            if (!values) {
                st = nl_error_set(err, NL_ENOMEM, "out of memory");
                break;
            }
            if (impl->n_part > 0 && root) {
                memset(texts, 0, sizeof *texts * (size_t)impl->n_part);
                st = path_values(impl, list.items[i].uri, root, texts, err);
                if (st == NL_OK) st = typed_values(impl, p->schema, list.items[i].uri, texts, values, err);
                for (int32_t k = 0; k < impl->n_part; k++) nl_free(texts[k]);
            } else {
                for (int32_t k = 0; k < impl->n_part; k++)
                    values[k] = nl_scalar_null(p->schema->fields[impl->n_file_cols + k].type);
            }
            bool keep = st == NL_OK &&
                        cat_filter_may_match(filters, impl->part_names, values, impl->n_part);
            if (keep && n == cap) {
                int64_t nc = cap ? cap * 2 : 16;
                pqt_file *nf = nl_realloc(files, sizeof *nf * (size_t)nc);
                if (!nf) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory");
                    keep = false;
                } else {
                    files = nf;
                    cap = nc;
                }
            }
            if (keep) {
                files[n].uri = list.items[i].uri;
                files[n].size = list.items[i].size;
                files[n].values = values;
                list.items[i].uri = NULL;
                n++;
            } else {
                for (int32_t k = 0; k < impl->n_part; k++) nl_scalar_clear(&values[k]);
                nl_free(values);
            }
        }
        nl_object_list_free(&list);
        nl_free(root);
    }
    for (int32_t i = 0; i < n_prefix; i++) nl_free(prefixes[i]);
    nl_free(prefixes);
    nl_free(texts);
    if (st != NL_OK) {
        files_free(files, n, impl->n_part);
        return st;
    }
    if (n > 1) {
        qsort(files, (size_t)n, sizeof *files, cmp_file);
        int64_t w = 1;
        for (int64_t i = 1; i < n; i++) {
            if (strcmp(files[i].uri, files[w - 1].uri) == 0) {
                nl_free(files[i].uri);
                for (int32_t k = 0; k < impl->n_part; k++) nl_scalar_clear(&files[i].values[k]);
                nl_free(files[i].values);
            } else {
                files[w++] = files[i];
            }
        }
        n = w;
    }
    *out = files;
    *n_out = n;
    return NL_OK;
}

/* ---- scans ---- */

static void pqt_plan_free(nl_provider *p, void *plan) {
    pqt_impl *impl = p->impl;
    pqt_plan *pl = plan;
    if (!pl) return;
    for (int64_t i = 0; pl->opened && i < pl->n_files; i++) pq_file_close(pl->opened[i]);
    nl_free(pl->opened);
    nl_free(pl->parts);
    files_free(pl->files, pl->n_files, impl->n_part);
    nl_free(pl->columns);
    nl_filter_set_clear(&pl->filters);
    nl_schema_unref(pl->projected);
    nl_free(pl);
}

static nl_status open_file(nl_provider *p, const pqt_file *f, pq_file **out, nl_error *err) {
    pqt_impl *impl = p->impl;
    atomic_fetch_add(&impl->files_opened, 1);
    return f->size > 0 ? pq_file_open_sized(impl->store, f->uri, f->size, NULL, out, err)
                       : pq_file_open(impl->store, f->uri, NULL, out, err);
}

/* Opening and pruning the files of a plan, in parallel (footers on S3 are a
 * round trip each). */
typedef struct open_task {
    nl_provider *p;
    pqt_plan *pl;
    int32_t **rgs;
    int32_t *n_rgs;
    nl_status *st;
    nl_error *errs;
} open_task;

static void open_one(void *ctx, int64_t i, int worker) {
    (void)worker;
    open_task *t = ctx;
    t->st[i] = open_file(t->p, &t->pl->files[i], &t->pl->opened[i], &t->errs[i]);
    if (t->st[i] == NL_OK)
        t->st[i] = pq_file_prune(t->pl->opened[i], t->pl->filters.n ? &t->pl->filters : NULL,
                                 &t->rgs[i], &t->n_rgs[i], &t->errs[i]);
}

static nl_status split_parts(nl_provider *p, pqt_plan *pl, nl_error *err) {
    int64_t nf = pl->n_files;
    if (nf > PQT_SPLIT_FILES) {
        pl->parts = nl_malloc(sizeof *pl->parts * (size_t)(nf + 1));
        NL_CHECK_ALLOC(pl->parts, err);
        for (int64_t i = 0; i < nf; i++) pl->parts[pl->n_parts++] = (pqt_part){i, -1};
        return NL_OK;
    }
    open_task t = {.p = p, .pl = pl};
    pl->opened = nl_calloc((size_t)nf + 1, sizeof *pl->opened);
    t.rgs = nl_calloc((size_t)nf + 1, sizeof *t.rgs);
    t.n_rgs = nl_calloc((size_t)nf + 1, sizeof *t.n_rgs);
    t.st = nl_calloc((size_t)nf + 1, sizeof *t.st);
    t.errs = nl_calloc((size_t)nf + 1, sizeof *t.errs);
    nl_status st = NL_OK;
    if (!pl->opened || !t.rgs || !t.n_rgs || !t.st || !t.errs)
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK && nf > 0) {
        if (nf == 1) open_one(&t, 0, 0);
        else nl_pool_parallel_for(nl_pool_default(), nf, open_one, &t);
    }
    int64_t total = 0;
    for (int64_t i = 0; st == NL_OK && i < nf; i++) {
        if (t.st[i] != NL_OK) {
            st = t.st[i];
            if (err) *err = t.errs[i];
        }
        total += t.n_rgs[i];
    }
    if (st == NL_OK) {
        pl->parts = nl_malloc(sizeof *pl->parts * (size_t)(total + 1));
        if (!pl->parts) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        for (int64_t i = 0; st == NL_OK && i < nf; i++)
            for (int32_t k = 0; k < t.n_rgs[i]; k++)
                pl->parts[pl->n_parts++] = (pqt_part){i, t.rgs[i][k]};
    }
    /* A limit without filters: the first row groups that hold that many rows
     * are enough. */
    if (st == NL_OK && pl->req.limit >= 0 && pl->filters.n == 0) {
        int64_t rows = 0, keep = 0;
        while (keep < pl->n_parts && rows < pl->req.limit) {
            rows += pq_file_row_group_rows(pl->opened[pl->parts[keep].file], pl->parts[keep].row_group);
            keep++;
        }
        pl->n_parts = keep;
    }
    for (int64_t i = 0; t.rgs && i < nf; i++) nl_free(t.rgs[i]);
    nl_free(t.rgs);
    nl_free(t.n_rgs);
    nl_free(t.st);
    nl_free(t.errs);
    return st;
}

static nl_status pqt_plan_new(nl_provider *p, const nl_scan_request *req, void **plan,
                              int64_t *n_parts, nl_error *err) {
    pqt_plan *pl = nl_calloc(1, sizeof *pl);
    NL_CHECK_ALLOC(pl, err);
    pl->req.n_columns = -1;
    pl->req.limit = req ? req->limit : -1;
    nl_status st = NL_OK;
    if (req && req->n_columns >= 0 && req->columns) {
        pl->columns = nl_malloc(sizeof(int32_t) * ((size_t)req->n_columns + 1));
        if (!pl->columns) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        else {
            memcpy(pl->columns, req->columns, sizeof(int32_t) * (size_t)req->n_columns);
            pl->req.columns = pl->columns;
            pl->req.n_columns = req->n_columns;
        }
    }
    if (st == NL_OK && req && req->filters) st = nl_filter_set_copy(&pl->filters, req->filters, err);
    if (st == NL_OK) st = cat_project_schema(p->schema, &pl->req, &pl->projected, err);
    if (st == NL_OK) st = list_pruned(p, &pl->filters, &pl->files, &pl->n_files, err);
    if (st == NL_OK) st = split_parts(p, pl, err);
    if (st != NL_OK) {
        pqt_plan_free(p, pl);
        return st;
    }
    *plan = pl;
    *n_parts = pl->n_parts;
    return NL_OK;
}

/* How each output column of a file's batches is made. */
typedef struct pqt_map {
    nl_schema *projected;
    int32_t n_out;
    int32_t *src;         /* >= 0: column of the read batch; -1 - k: partition k; INT32_MIN: nulls */
    const nl_scalar *values;
} pqt_map;

static void pqt_map_free(void *ctx) {
    pqt_map *m = ctx;
    if (!m) return;
    nl_schema_unref(m->projected);
    nl_free(m->src);
    nl_free(m);
}

static nl_status pqt_map_batch(void *ctx, nl_batch *in, nl_batch **out, bool *done, nl_error *err) {
    (void)done;
    pqt_map *m = ctx;
    nl_array **cols = nl_calloc((size_t)m->n_out + 1, sizeof *cols);
    NL_CHECK_ALLOC(cols, err);
    nl_status st = NL_OK;
    for (int32_t i = 0; i < m->n_out && st == NL_OK; i++) {
        nl_type *want = m->projected->fields[i].type;
        int32_t s = m->src[i];
        if (s == INT32_MIN) {
            st = nl_array_new_nulls(want, in->num_rows, &cols[i], err);
        } else if (s < 0) {
            st = cat_array_repeat(&m->values[-1 - s], want, in->num_rows, &cols[i], err);
        } else {
            nl_array *a = in->columns[s];
            if (nl_type_equals(a->type, want)) {
                cols[i] = nl_array_ref(a);
            } else {
                st = nl_cast(a, want, NL_CAST_STRICT, &cols[i], err);
                if (st != NL_OK) nl_error_prefix(err, "column '%s'", m->projected->fields[i].name);
            }
        }
    }
    if (st != NL_OK) {
        for (int32_t i = 0; i < m->n_out; i++) nl_array_unref(cols[i]);
        nl_free(cols);
        return st;
    }
    st = nl_batch_new(nl_schema_ref(m->projected), cols, in->num_rows, out, err);
    nl_free(cols);
    return st;
}

static int32_t find_ci(const nl_schema *s, const char *name) {
    int32_t i = nl_schema_find(s, name);
    return i >= 0 ? i : nl_schema_find_ci(s, name);
}

static nl_status pqt_scan_part(nl_provider *p, void *plan, int64_t part, nl_stream **out,
                          nl_error *err) {
    pqt_impl *impl = p->impl;
    pqt_plan *pl = plan;
    if (part < 0 || part >= pl->n_parts)
        return nl_error_set(err, NL_EINVAL, "no part %lld", (long long)part);
    const pqt_part *pp = &pl->parts[part];
    const pqt_file *f = &pl->files[pp->file];
    pq_file *file = NULL;
    nl_status st = NL_OK;
    if (pl->opened && pl->opened[pp->file]) file = pq_file_ref(pl->opened[pp->file]);
    else st = open_file(p, f, &file, err);
    NL_TRY(st);
    nl_schema *fs = pq_file_schema(file);
    int32_t n_out = pl->projected->n_fields;
    pqt_map *m = nl_calloc(1, sizeof *m);
    int32_t *read = nl_malloc(sizeof(int32_t) * ((size_t)n_out + 1));
    int32_t n_read = 0;
    if (m) m->src = nl_malloc(sizeof(int32_t) * ((size_t)n_out + 1));
    if (!m || !read || !m->src) {
        pqt_map_free(m);
        nl_free(read);
        pq_file_close(file);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    m->projected = nl_schema_ref(pl->projected);
    m->n_out = n_out;
    m->values = f->values;
    for (int32_t i = 0; i < n_out; i++) {
        int32_t c = pl->req.n_columns < 0 ? i : pl->req.columns[i];
        if (c >= impl->n_file_cols) {
            m->src[i] = -1 - (c - impl->n_file_cols);
            continue;
        }
        int32_t fc = find_ci(fs, p->schema->fields[c].name);
        if (fc < 0) {
            m->src[i] = INT32_MIN; /* not in this file: nulls */
            continue;
        }
        int32_t pos = -1;
        for (int32_t j = 0; j < n_read && pos < 0; j++)
            if (read[j] == fc) pos = j;
        if (pos < 0) {
            pos = n_read;
            read[n_read++] = fc;
        }
        m->src[i] = pos;
    }
    /* Only partition columns wanted: still read one column for the row counts. */
    if (n_read == 0 && fs->n_fields > 0) read[n_read++] = 0;
    int32_t *rgs = NULL, n_rgs = 0;
    if (pp->row_group >= 0) {
        rgs = nl_malloc(sizeof *rgs);
        if (rgs) {
            rgs[0] = pp->row_group;
            n_rgs = 1;
        } else {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
        }
    } else {
        st = pq_file_prune(file, pl->filters.n ? &pl->filters : NULL, &rgs, &n_rgs, err);
    }
    nl_stream *s = NULL;
    if (st == NL_OK) st = pq_file_stream(file, rgs, n_rgs, read, n_read, &s, err);
    nl_free(rgs);
    nl_free(read);
    pq_file_close(file);
    if (st != NL_OK) {
        pqt_map_free(m);
        return st;
    }
    return cat_stream_map(s, nl_schema_ref(pl->projected), pqt_map_batch, m, pqt_map_free, out, err);
}

/* Rows and bytes from the footers, for the planner: computed once (a table
 * with many files reports only its bytes). */
static nl_status pqt_stats(nl_provider *p, nl_provider_stats *out, nl_error *err) {
    pqt_impl *impl = p->impl;
    int64_t rows = atomic_load(&impl->stat_rows);
    int64_t bytes = atomic_load(&impl->stat_bytes);
    if (bytes == -2) {
        pqt_file *files = NULL;
        int64_t n = 0;
        NL_TRY(list_pruned(p, NULL, &files, &n, err));
        bytes = 0;
        rows = n <= PQT_SPLIT_FILES ? 0 : -1;
        nl_status st = NL_OK;
        for (int64_t i = 0; i < n && st == NL_OK; i++) {
            bytes += files[i].size;
            if (rows < 0) continue;
            pq_file *f = NULL;
            st = open_file(p, &files[i], &f, err);
            if (st == NL_OK) rows += pq_file_num_rows(f);
            pq_file_close(f);
        }
        files_free(files, n, impl->n_part);
        NL_TRY(st);
        atomic_store(&impl->stat_rows, rows);
        atomic_store(&impl->stat_bytes, bytes);
    }
    out->num_rows = rows;
    out->total_bytes = bytes;
    return NL_OK;
}

static void pqt_free(nl_provider *p) {
    if (!p) return;
    pqt_impl *impl = p->impl;
    if (impl) {
        nl_store_close(impl->store);
        nl_free(impl->part_names);
        nl_free(impl);
    }
    nl_schema_unref(p->schema);
    nl_free(p);
}

static const nl_provider_vtable PQT_VT = {
    .kind = "parquet",
    .scan_plan = pqt_plan_new,
    .scan_part = pqt_scan_part,
    .scan_free = pqt_plan_free,
    .stats = pqt_stats,
    .free = pqt_free,
};

int64_t cat_parquet_files_opened(const nl_provider *p) {
    if (!p || p->vt != &PQT_VT) return -1;
    pqt_impl *impl = p->impl;
    return atomic_load(&impl->files_opened);
}

/* ---- creation: the schema ---- */

static bool all_typed(const nl_column_def *cols) {
    if (!cols || !cols[0].name) return false;
    for (size_t i = 0; cols[i].name; i++)
        if (!cols[i].type) return false;
    return true;
}

static bool is_partition_name(const nl_table_def *def, const char *name) {
    for (size_t i = 0; def->partition_columns && def->partition_columns[i].name; i++)
        if (strcasecmp(def->partition_columns[i].name, name) == 0) return true;
    return false;
}

/* Hive partition keys of the first file, when none are declared. */
static nl_status discover_hive(const nl_object_list *list, const char *root, nl_strbuf *names,
                               int32_t *n, nl_error *err) {
    *n = 0;
    if (list->count == 0) return NL_OK;
    const char *uri = list->items[0].uri;
    size_t rl = strlen(root);
    const char *rel = strncmp(uri, root, rl) == 0 ? uri + rl : uri;
    while (*rel == '/') rel++;
    for (const char *p = rel;;) {
        const char *slash = strchr(p, '/');
        if (!slash) break;
        const char *eq = memchr(p, '=', (size_t)(slash - p));
        if (eq && eq > p) {
            nl_strbuf_append(names, p, (size_t)(eq - p));
            nl_strbuf_putc(names, '\0');
            (*n)++;
        }
        p = slash + 1;
    }
    if (names->failed) return nl_error_set(err, NL_ENOMEM, "out of memory");
    return NL_OK;
}

nl_status cat_parquet_new(const nl_table_def *def, nl_provider **out, nl_error *err) {
    *out = NULL;
    nl_provider *p = nl_calloc(1, sizeof *p);
    pqt_impl *impl = nl_calloc(1, sizeof *impl);
    if (!p || !impl) {
        nl_free(p);
        nl_free(impl);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    p->vt = &PQT_VT;
    p->impl = impl;
    impl->def = def;
    atomic_store(&impl->stat_rows, -2);
    atomic_store(&impl->stat_bytes, -2);
    nl_status st = nl_store_open(def->uri, &impl->store, err);
    nl_schema *file_schema = NULL;
    nl_strbuf hive_names = NL_STRBUF_INIT;
    int32_t n_hive = 0;
    bool need_listing = !all_typed(def->columns) ||
                        (def->partitioning == NL_PARTITION_HIVE && !def->partition_columns);
    if (st == NL_OK && need_listing) {
        nl_object_list list;
        char *root = NULL;
        st = cat_list_files(impl->store, def->uri, NULL, PARQUET_EXTS, &list, &root, err);
        if (st == NL_OK && list.count == 0)
            st = nl_error_set(err, NL_ENOTFOUND, "no Parquet files at '%s'", def->uri);
        if (st == NL_OK && def->partitioning == NL_PARTITION_HIVE && !def->partition_columns)
            st = discover_hive(&list, root ? root : def->uri, &hive_names, &n_hive, err);
        if (st == NL_OK && !all_typed(def->columns)) {
            pq_file *f = NULL;
            atomic_fetch_add(&impl->files_opened, 1);
            st = pq_file_open_sized(impl->store, list.items[0].uri, list.items[0].size, NULL, &f, err);
            if (st == NL_OK) {
                file_schema = nl_schema_ref(pq_file_schema(f));
                pq_file_close(f);
            }
        }
        nl_object_list_free(&list);
        nl_free(root);
    } else if (st == NL_OK) {
        nl_column_def *cols = NULL;
        size_t n = 0;
        while (def->columns[n].name) n++;
        cols = nl_calloc(n + 1, sizeof *cols);
        if (!cols) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        size_t w = 0;
        for (size_t i = 0; cols && i < n; i++)
            if (!is_partition_name(def, def->columns[i].name)) cols[w++] = def->columns[i];
        if (st == NL_OK) st = cat_schema_from_defs(cols, &file_schema, err);
        nl_free(cols);
    }
    /* The table's schema: the files' columns, then the partition columns. */
    int32_t n_part = 0;
    if (def->partition_columns)
        while (def->partition_columns[n_part].name) n_part++;
    else
        n_part = n_hive;
    nl_field *fields = NULL;
    int32_t n_fields = 0;
    if (st == NL_OK) {
        fields = nl_calloc((size_t)(file_schema->n_fields + n_part) + 1, sizeof *fields);
        impl->part_names = nl_calloc((size_t)n_part + 1, sizeof *impl->part_names);
        if (!fields || !impl->part_names) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    const char *hn = hive_names.data;
    for (int32_t k = 0; st == NL_OK && k < n_part; k++) {
        const char *name = def->partition_columns ? def->partition_columns[k].name : hn;
        if (!def->partition_columns) hn += strlen(hn) + 1;
        impl->part_names[k] = name;
    }
    for (int32_t i = 0; st == NL_OK && i < file_schema->n_fields; i++) {
        bool is_part = false;
        for (int32_t k = 0; k < n_part; k++)
            if (strcasecmp(impl->part_names[k], file_schema->fields[i].name) == 0) is_part = true;
        if (is_part) continue;
        fields[n_fields] = file_schema->fields[i];
        nl_type_ref(fields[n_fields].type);
        n_fields++;
    }
    impl->n_file_cols = n_fields;
    impl->n_part = n_part;
    for (int32_t k = 0; st == NL_OK && k < n_part; k++) {
        const char *type = def->partition_columns ? def->partition_columns[k].type : NULL;
        st = cat_type_parse(type ? type : "str", &fields[n_fields].type, err);
        fields[n_fields].name = (char *)impl->part_names[k];
        fields[n_fields].nullable = true;
        if (st == NL_OK) n_fields++;
    }
    if (st == NL_OK) {
        p->schema = nl_schema_new(fields, n_fields);
        if (!p->schema) st = nl_error_set(err, NL_ENOMEM, "out of memory");
        /* Names of discovered partitions now live in the schema. */
        for (int32_t k = 0; p->schema && k < n_part; k++)
            impl->part_names[k] = p->schema->fields[impl->n_file_cols + k].name;
    } else {
        for (int32_t i = 0; fields && i < n_fields; i++) nl_type_unref(fields[i].type);
    }
    nl_free(fields);
    nl_schema_unref(file_schema);
    nl_strbuf_free(&hive_names);
    if (st != NL_OK) {
        pqt_free(p);
        return st;
    }
    *out = p;
    return NL_OK;
}
