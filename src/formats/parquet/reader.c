/*
 * reader.c -- Parquet files to record batches (see reader.h): the footer by
 * ranged reads, row-group pruning by statistics, fetching the projected column
 * chunks with coalesced ranged reads, decoding fields in parallel on the pool,
 * and a stream over row groups.
 */
#include "formats/parquet/reader.h"

#include <stdatomic.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/column.h"
#include "formats/parquet/prune.h"
#include "formats/parquet/schema.h"

#define PQ_MAGIC "PAR1"
#define PQ_MAGIC_ENCRYPTED "PARE"
#define PQ_TAIL_GUESS (64 * 1024)  /* bytes read at the end, hoping the footer fits */
#define PQ_DEFAULT_GAP (1 << 20)

struct pq_file {
    atomic_int_fast64_t refcount;
    nl_store *store;
    nl_store *owned_store; /* pq_file_open_path */
    char *uri;
    int64_t size;
    pq_options options;
    pq_file_meta *meta;
    pq_schema_map map;
};

void pq_options_init(pq_options *o) {
    memset(o, 0, sizeof *o);
    o->verify_crc = true;
    o->use_statistics = true;
    o->use_page_index = true;
    o->use_dictionary = true;
    o->parallel = true;
    o->coalesce_gap = PQ_DEFAULT_GAP;
}

pq_file *pq_file_ref(pq_file *f) {
    if (f) atomic_fetch_add(&f->refcount, 1);
    return f;
}

void pq_file_close(pq_file *f) {
    if (!f || atomic_fetch_sub(&f->refcount, 1) != 1) return;
    pq_schema_map_free(&f->map);
    pq_file_meta_free(f->meta);
    if (f->owned_store) nl_store_close(f->owned_store);
    nl_free(f->uri);
    nl_free(f);
}

nl_schema *pq_file_schema(const pq_file *f) { return f->map.schema; }
const pq_file_meta *pq_file_metadata(const pq_file *f) { return f->meta; }
const char *pq_file_uri(const pq_file *f) { return f->uri; }
int64_t pq_file_size(const pq_file *f) { return f->size; }
int32_t pq_file_num_row_groups(const pq_file *f) { return f->meta->n_row_groups; }
int64_t pq_file_num_rows(const pq_file *f) { return f->meta->num_rows; }
int64_t pq_file_row_group_rows(const pq_file *f, int32_t rg) {
    return rg >= 0 && rg < f->meta->n_row_groups ? f->meta->row_groups[rg].num_rows : 0;
}

/* ---- opening ---- */

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static nl_status read_footer(pq_file *f, nl_error *err) {
    if (f->size < 12)
        return nl_error_set(err, NL_ECORRUPT, "%lld bytes is too small for a Parquet file",
                            (long long)f->size);
    int64_t tail_len = f->size < PQ_TAIL_GUESS ? f->size : PQ_TAIL_GUESS;
    nl_buffer *tail = NULL;
    NL_TRY(nl_store_get_range(f->store, f->uri, f->size - tail_len, tail_len, &tail, err));
    const uint8_t *end = tail->data + tail->size;
    nl_status st = NL_OK;
    if (memcmp(end - 4, PQ_MAGIC_ENCRYPTED, 4) == 0) {
        st = nl_error_set(err, NL_ENOTSUP, "encrypted Parquet files (footer magic PARE) are not supported");
    } else if (memcmp(end - 4, PQ_MAGIC, 4) != 0) {
        st = nl_error_set(err, NL_ECORRUPT, "not a Parquet file (no PAR1 magic at the end)");
    }
    uint32_t flen = st == NL_OK ? le32(end - 8) : 0;
    if (st == NL_OK && (int64_t)flen + 12 > f->size)
        st = nl_error_set(err, NL_ECORRUPT, "footer length %u exceeds the file size %lld", flen,
                          (long long)f->size);
    if (st == NL_OK && tail_len == f->size && memcmp(tail->data, PQ_MAGIC, 4) != 0)
        st = nl_error_set(err, NL_ECORRUPT, "not a Parquet file (no PAR1 magic at the start)");
    nl_buffer *footer = NULL;
    if (st == NL_OK) {
        if ((int64_t)flen + 8 <= tail_len) {
            footer = nl_buffer_slice(tail, tail_len - 8 - flen, flen);
            if (!footer) st = nl_error_set(err, NL_ENOMEM, "out of memory reading the footer");
        } else {
            st = nl_store_get_range(f->store, f->uri, f->size - 8 - flen, flen, &footer, err);
        }
    }
    nl_buffer_unref(tail);
    if (st == NL_OK) st = pq_file_meta_decode(footer, &f->meta, err);
    nl_buffer_unref(footer);
    return st;
}

static nl_status check_meta(pq_file *f, nl_error *err) {
    const pq_file_meta *m = f->meta;
    for (int32_t r = 0; r < m->n_row_groups; r++) {
        const pq_row_group *rg = &m->row_groups[r];
        if (rg->n_columns != f->map.n_leaves)
            return nl_error_set(err, NL_ECORRUPT, "row group %d has %d column chunks for %d leaf columns",
                                r, rg->n_columns, f->map.n_leaves);
    }
    return NL_OK;
}

nl_status pq_file_open_sized(nl_store *store, const char *uri, int64_t size,
                             const pq_options *options, pq_file **out, nl_error *err) {
    *out = NULL;
    pq_file *f = nl_calloc(1, sizeof *f);
    NL_CHECK_ALLOC(f, err);
    atomic_init(&f->refcount, 1);
    f->store = store;
    f->size = size;
    f->uri = nl_strdup(uri);
    if (options) f->options = *options;
    else pq_options_init(&f->options);
    nl_status st = f->uri ? NL_OK : nl_error_set(err, NL_ENOMEM, "out of memory");
    if (st == NL_OK) st = read_footer(f, err);
    if (st == NL_OK) st = pq_schema_map_build(f->meta, &f->map, err);
    if (st == NL_OK) st = check_meta(f, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "%s", uri);
        pq_file_close(f);
        return st;
    }
    *out = f;
    return NL_OK;
}

nl_status pq_file_open(nl_store *store, const char *uri, const pq_options *options,
                       pq_file **out, nl_error *err) {
    *out = NULL;
    nl_object_info info;
    memset(&info, 0, sizeof info);
    nl_status st = nl_store_head(store, uri, &info, err);
    if (st != NL_OK) return st;
    int64_t size = info.size;
    nl_free(info.uri);
    return pq_file_open_sized(store, uri, size, options, out, err);
}

nl_status pq_file_open_path(const char *path, const pq_options *options, pq_file **out,
                            nl_error *err) {
    *out = NULL;
    nl_store *store = nl_store_local_new();
    NL_CHECK_ALLOC(store, err);
    nl_status st = pq_file_open(store, path, options, out, err);
    if (st != NL_OK) {
        nl_store_close(store);
        return st;
    }
    (*out)->owned_store = store;
    return NL_OK;
}

/* ---- reading a row group ---- */

typedef struct field_task {
    pq_file *file;
    int32_t rg;
    int32_t field;          /* top-level field index */
    nl_buffer **chunks;     /* per leaf (indexed by leaf), NULL when not needed */
    nl_array *result;
    nl_error err;
    nl_status status;
} field_task;

/* The byte range of a column chunk, checked against the file. */
static nl_status chunk_range(const pq_file *f, int32_t rg, int32_t leaf, nl_range *r,
                             nl_error *err) {
    const pq_column_chunk *cc = &f->meta->row_groups[rg].columns[leaf];
    const pq_leaf_info *li = &f->map.leaves[leaf];
    if (cc->encrypted)
        return nl_error_set(err, NL_ENOTSUP, "%s: column '%s' is encrypted", f->uri, li->path);
    if (cc->file_path)
        return nl_error_set(err, NL_ENOTSUP, "%s: column '%s' lives in another file ('%s')", f->uri,
                            li->path, cc->file_path);
    if (!cc->has_meta)
        return nl_error_set(err, NL_ECORRUPT, "%s: row group %d, column '%s' has no metadata",
                            f->uri, rg, li->path);
    const pq_column_meta *cm = &cc->meta;
    if (cm->type != li->physical)
        return nl_error_set(err, NL_ECORRUPT, "%s: row group %d, column '%s' is %s in its chunk, %s in the schema",
                            f->uri, rg, li->path, pq_type_name(cm->type), pq_type_name(li->physical));
    int64_t start = cm->data_page_offset;
    if (cm->dictionary_page_offset > 0 && cm->dictionary_page_offset < start)
        start = cm->dictionary_page_offset;
    int64_t len = cm->total_compressed_size;
    if (start < 0 || len < 0 || start > f->size || len > f->size - start)
        return nl_error_set(err, NL_ECORRUPT,
                            "%s: row group %d, column '%s': chunk [%lld, +%lld) lies outside the file of %lld bytes",
                            f->uri, rg, li->path, (long long)start, (long long)len, (long long)f->size);
    r->offset = start;
    r->length = len;
    return NL_OK;
}

static void field_task_run(void *ctx, int64_t index, int worker) {
    (void)worker;
    field_task *t = &((field_task *)ctx)[index];
    pq_file *f = t->file;
    const pq_anode *a = &f->map.fields[t->field];
    pq_leaf_data *leaves = nl_calloc((size_t)f->map.n_leaves, sizeof *leaves);
    if (!leaves) {
        t->status = nl_error_set(&t->err, NL_ENOMEM, "out of memory");
        return;
    }
    nl_status st = NL_OK;
    for (int32_t l = a->first_leaf; l < a->first_leaf + a->n_leaves && st == NL_OK; l++) {
        const pq_column_chunk *cc = &f->meta->row_groups[t->rg].columns[l];
        nl_range r = {0, 0};
        (void)chunk_range(f, t->rg, l, &r, &t->err); /* checked before the fetch */
        pq_chunk_ctx cx = {.uri = f->uri,
                           .row_group = t->rg,
                           .leaf = &f->map.leaves[l],
                           .meta = &cc->meta,
                           .chunk_offset = r.offset,
                           .verify_crc = f->options.verify_crc};
        nl_buffer *b = t->chunks[l];
        st = pq_decode_chunk(&cx, b->data, (size_t)b->size, &leaves[l], &t->err);
    }
    if (st == NL_OK) {
        st = pq_assemble(&f->map, a, leaves, &t->result, &t->err);
        if (st != NL_OK) nl_error_prefix(&t->err, "%s: row group %d", f->uri, t->rg);
    }
    if (st == NL_OK && t->result->length != f->meta->row_groups[t->rg].num_rows) {
        st = nl_error_set(&t->err, NL_ECORRUPT, "%s: row group %d: field '%s' has %lld rows, the row group %lld",
                          f->uri, t->rg, f->map.schema->fields[t->field].name,
                          (long long)t->result->length, (long long)f->meta->row_groups[t->rg].num_rows);
    }
    for (int32_t l = a->first_leaf; l < a->first_leaf + a->n_leaves; l++) pq_leaf_data_free(&leaves[l]);
    nl_free(leaves);
    t->status = st;
}

static nl_status project_schema(pq_file *f, const int32_t *columns, int32_t n, nl_schema **out,
                                nl_error *err) {
    nl_field *fields = nl_calloc((size_t)(n ? n : 1), sizeof *fields);
    NL_CHECK_ALLOC(fields, err);
    for (int32_t i = 0; i < n; i++) {
        const nl_field *src = &f->map.schema->fields[columns[i]];
        fields[i].name = src->name; /* copied by nl_schema_new */
        fields[i].type = nl_type_ref(src->type);
        fields[i].nullable = src->nullable;
    }
    *out = nl_schema_new(fields, n);
    if (!*out)
        for (int32_t i = 0; i < n; i++) nl_type_unref(fields[i].type);
    nl_free(fields);
    NL_CHECK_ALLOC(*out, err);
    return NL_OK;
}

static nl_status resolve_columns(pq_file *f, const int32_t *columns, int32_t n, int32_t **out,
                                 int32_t *n_out, nl_error *err) {
    int32_t nf = f->map.n_fields;
    if (!columns || n < 0) n = nf;
    int32_t *c = nl_malloc((size_t)(n ? n : 1) * sizeof *c);
    NL_CHECK_ALLOC(c, err);
    for (int32_t i = 0; i < n; i++) {
        int32_t want = columns ? columns[i] : i;
        if (want < 0 || want >= nf) {
            nl_free(c);
            return nl_error_set(err, NL_EINVAL, "%s: no column %d (the file has %d)", f->uri, want, nf);
        }
        c[i] = want;
    }
    *out = c;
    *n_out = n;
    return NL_OK;
}

nl_status pq_read_row_group(pq_file *f, int32_t rg, const int32_t *columns, int32_t n_columns,
                            nl_batch **out, nl_error *err) {
    *out = NULL;
    if (rg < 0 || rg >= f->meta->n_row_groups)
        return nl_error_set(err, NL_EINVAL, "%s: no row group %d (the file has %d)", f->uri, rg,
                            f->meta->n_row_groups);
    int32_t *cols = NULL, n = 0;
    NL_TRY(resolve_columns(f, columns, columns ? n_columns : -1, &cols, &n, err));
    int32_t nl = f->map.n_leaves;
    nl_buffer **chunks = nl_calloc((size_t)(nl ? nl : 1), sizeof *chunks);
    nl_range *ranges = nl_calloc((size_t)(nl ? nl : 1), sizeof *ranges);
    int32_t *range_leaf = nl_calloc((size_t)(nl ? nl : 1), sizeof *range_leaf);
    nl_buffer **bufs = nl_calloc((size_t)(nl ? nl : 1), sizeof *bufs);
    field_task *tasks = nl_calloc((size_t)(n ? n : 1), sizeof *tasks);
    nl_status st = (chunks && ranges && range_leaf && bufs && tasks)
                       ? NL_OK
                       : nl_error_set(err, NL_ENOMEM, "out of memory");
    /* The ranges of every needed leaf, each once. */
    int32_t nr = 0;
    bool *needed = st == NL_OK ? nl_calloc((size_t)(nl ? nl : 1), sizeof *needed) : NULL;
    if (st == NL_OK && !needed) st = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t i = 0; i < n && st == NL_OK; i++) {
        const pq_anode *a = &f->map.fields[cols[i]];
        for (int32_t l = a->first_leaf; l < a->first_leaf + a->n_leaves && st == NL_OK; l++) {
            if (needed[l]) continue;
            needed[l] = true;
            st = chunk_range(f, rg, l, &ranges[nr], err);
            range_leaf[nr++] = l;
        }
    }
    if (st == NL_OK && nr > 0)
        st = nl_store_get_ranges(f->store, f->uri, ranges, nr,
                                 f->options.coalesce_gap > 0 ? f->options.coalesce_gap : 0, bufs, err);
    if (st == NL_OK) {
        for (int32_t i = 0; i < nr; i++) chunks[range_leaf[i]] = bufs[i];
        for (int32_t i = 0; i < n; i++) {
            tasks[i].file = f;
            tasks[i].rg = rg;
            tasks[i].field = cols[i];
            tasks[i].chunks = chunks;
        }
        if (f->options.parallel && n > 1) {
            nl_pool *pool = f->options.pool ? f->options.pool : nl_pool_default();
            if (pool) nl_pool_parallel_for(pool, n, field_task_run, tasks);
            else for (int32_t i = 0; i < n; i++) field_task_run(tasks, i, 0);
        } else {
            for (int32_t i = 0; i < n; i++) field_task_run(tasks, i, 0);
        }
        for (int32_t i = 0; i < n; i++)
            if (tasks[i].status != NL_OK) {
                st = tasks[i].status;
                if (err) *err = tasks[i].err;
                break;
            }
    }
    nl_schema *schema = NULL;
    if (st == NL_OK) st = project_schema(f, cols, n, &schema, err);
    if (st == NL_OK) {
        nl_array **arrays = nl_calloc((size_t)(n ? n : 1), sizeof *arrays);
        if (!arrays) {
            nl_schema_unref(schema);
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
        } else {
            for (int32_t i = 0; i < n; i++) {
                arrays[i] = tasks[i].result;
                tasks[i].result = NULL;
            }
            st = nl_batch_new(schema, arrays, f->meta->row_groups[rg].num_rows, out, err);
            nl_free(arrays);
        }
    }
    if (tasks)
        for (int32_t i = 0; i < n; i++) nl_array_unref(tasks[i].result);
    if (bufs)
        for (int32_t i = 0; i < nr; i++) nl_buffer_unref(bufs[i]);
    nl_free(tasks);
    nl_free(bufs);
    nl_free(range_leaf);
    nl_free(ranges);
    nl_free(chunks);
    nl_free(needed);
    nl_free(cols);
    return st;
}

/* ---- pruning ---- */

bool pq_row_group_may_match(pq_file *f, int32_t rg, const nl_filter_set *filters) {
    if (!filters || filters->n == 0 || rg < 0 || rg >= f->meta->n_row_groups) return true;
    if (!f->options.use_statistics) return true;
    return pq_prune_row_group(f->meta, &f->map, rg, filters);
}

nl_status pq_file_prune(pq_file *f, const nl_filter_set *filters, int32_t **out, int32_t *n,
                        nl_error *err) {
    int32_t total = f->meta->n_row_groups;
    int32_t *keep = nl_malloc((size_t)(total ? total : 1) * sizeof *keep);
    NL_CHECK_ALLOC(keep, err);
    int32_t k = 0;
    for (int32_t i = 0; i < total; i++)
        if (pq_row_group_may_match(f, i, filters)) keep[k++] = i;
    *out = keep;
    *n = k;
    return NL_OK;
}

/* ---- streams ---- */

typedef struct pq_stream_state {
    pq_file *file;
    int32_t *row_groups;
    int32_t n_row_groups;
    int32_t next_rg;
    int32_t *columns;
    int32_t n_columns;
    nl_batch *current; /* when splitting into batch_rows */
    int64_t current_pos;
} pq_stream_state;

static nl_status stream_next(nl_stream *s, nl_batch **out, nl_error *err) {
    pq_stream_state *st = s->private_data;
    *out = NULL;
    int64_t br = st->file->options.batch_rows;
    for (;;) {
        if (st->current) {
            if (st->current_pos < st->current->num_rows) {
                int64_t len = st->current->num_rows - st->current_pos;
                if (len > br) len = br;
                *out = nl_batch_slice(st->current, st->current_pos, len);
                NL_CHECK_ALLOC(*out, err);
                st->current_pos += len;
                return NL_OK;
            }
            nl_batch_unref(st->current);
            st->current = NULL;
        }
        if (st->next_rg >= st->n_row_groups) return NL_OK;
        nl_batch *b = NULL;
        NL_TRY(pq_read_row_group(st->file, st->row_groups[st->next_rg++], st->columns,
                                 st->n_columns, &b, err));
        if (br <= 0 || b->num_rows <= br) {
            *out = b;
            return NL_OK;
        }
        st->current = b;
        st->current_pos = 0;
    }
}

static void stream_release(nl_stream *s) {
    pq_stream_state *st = s->private_data;
    if (!st) return;
    nl_batch_unref(st->current);
    pq_file_close(st->file);
    nl_free(st->row_groups);
    nl_free(st->columns);
    nl_free(st);
    s->private_data = NULL;
}

nl_status pq_file_stream(pq_file *f, const int32_t *row_groups, int32_t n_row_groups,
                         const int32_t *columns, int32_t n_columns, nl_stream **out,
                         nl_error *err) {
    *out = NULL;
    pq_stream_state *st = nl_calloc(1, sizeof *st);
    NL_CHECK_ALLOC(st, err);
    nl_status rc = resolve_columns(f, columns, columns ? n_columns : -1, &st->columns,
                                   &st->n_columns, err);
    if (rc != NL_OK) {
        nl_free(st);
        return rc;
    }
    int32_t total = f->meta->n_row_groups;
    int32_t n = row_groups && n_row_groups >= 0 ? n_row_groups : total;
    st->row_groups = nl_malloc((size_t)(n ? n : 1) * sizeof *st->row_groups);
    nl_stream *s = nl_calloc(1, sizeof *s);
    nl_schema *schema = NULL;
    if (st->row_groups && s) rc = project_schema(f, st->columns, st->n_columns, &schema, err);
    else rc = nl_error_set(err, NL_ENOMEM, "out of memory");
    for (int32_t i = 0; rc == NL_OK && i < n; i++) {
        st->row_groups[i] = row_groups && n_row_groups >= 0 ? row_groups[i] : i;
        if (st->row_groups[i] < 0 || st->row_groups[i] >= total)
            rc = nl_error_set(err, NL_EINVAL, "%s: no row group %d", f->uri, st->row_groups[i]);
    }
    if (rc != NL_OK) {
        nl_schema_unref(schema);
        nl_free(s);
        nl_free(st->row_groups);
        nl_free(st->columns);
        nl_free(st);
        return rc;
    }
    st->n_row_groups = n;
    st->file = pq_file_ref(f);
    s->schema = schema;
    s->next = stream_next;
    s->release = stream_release;
    s->private_data = st;
    *out = s;
    return NL_OK;
}

nl_status pq_read_table(pq_file *f, nl_table **out, nl_error *err) {
    *out = NULL;
    nl_table *t = nl_table_new(nl_schema_ref(f->map.schema));
    NL_CHECK_ALLOC(t, err);
    for (int32_t rg = 0; rg < f->meta->n_row_groups; rg++) {
        nl_batch *b = NULL;
        nl_status st = pq_read_row_group(f, rg, NULL, -1, &b, err);
        if (st == NL_OK) {
            st = nl_table_append(t, b, err);
            nl_batch_unref(b);
        }
        if (st != NL_OK) {
            nl_table_free(t);
            return st;
        }
    }
    *out = t;
    return NL_OK;
}
