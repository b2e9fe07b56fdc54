/*
 * writer.c -- the Parquet writer's driver (see writer.h): it gathers batches
 * into row groups, encodes each row group's column chunks in parallel
 * (write_levels.c, write_chunk.c), uploads them in order, and at the end
 * writes the page index and the footer (FileMetaData) and commits.
 *
 * File layout (parquet-format README, PageIndex.md):
 *   "PAR1" | row group 0 chunks | ... | ColumnIndexes | OffsetIndexes |
 *   FileMetaData | footer length (4 bytes LE) | "PAR1"
 */
#include <stdatomic.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/threadpool.h"
#include "formats/parquet/write_internal.h"

#define PQW_MAGIC "PAR1"
#define PQW_DEFAULT_CODEC 6 /* ZSTD */
#define NL_PQW_VERSION "0.1.0"

void pq_write_options_init(pq_write_options *o) {
    memset(o, 0, sizeof *o);
    o->codec = PQW_DEFAULT_CODEC;
    o->row_group_rows = 1 << 20;
    o->page_bytes = 1 << 20;
    o->page_rows = 20000;
    o->dictionary_bytes = 1 << 20;
    o->delta_integers = true;
    o->statistics = true;
    o->page_index = true;
    o->arrow_schema = true;
}

typedef struct pqw_piece {
    nl_batch *batch; /* one reference */
    int64_t offset;
    int64_t length;
} pqw_piece;

typedef struct pqw_rowgroup {
    int64_t num_rows;
    int64_t file_offset;
    int64_t total_uncompressed;
    int64_t total_compressed;
    pqw_chunk *chunks; /* one per leaf; bytes freed once uploaded */
} pqw_rowgroup;

struct pq_writer {
    nl_store *store;
    char *uri;
    nl_schema *schema;
    pq_write_options opts;
    pqw_plan plan;
    nl_upload *up;
    int64_t pos; /* bytes uploaded */
    bool failed;
    pqw_piece *pieces;
    int32_t n_pieces, cap_pieces;
    int64_t pending_rows;
    pqw_rowgroup *rgs;
    int32_t n_rgs, cap_rgs;
    int64_t total_rows;
    pqw_column *cols; /* one per leaf, reused across row groups */
    pqw_scratch *scratch; /* one per encoding thread, reused across chunks */
    int n_scratch;
};

static nl_status put(pq_writer *w, const void *data, size_t n, nl_error *err) {
    if (n == 0) return NL_OK;
    nl_status st = w->up->write(w->up, data, (int64_t)n, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "writing '%s'", w->uri);
        return st;
    }
    w->pos += (int64_t)n;
    return NL_OK;
}

static void free_rowgroups(pq_writer *w) {
    for (int32_t r = 0; r < w->n_rgs; r++) {
        for (int32_t c = 0; c < w->plan.n_leaves && w->rgs[r].chunks; c++)
            pqw_chunk_free(&w->rgs[r].chunks[c]);
        nl_free(w->rgs[r].chunks);
    }
    nl_free(w->rgs);
    w->rgs = NULL;
    w->n_rgs = 0;
}

static void writer_free(pq_writer *w) {
    if (!w) return;
    for (int32_t i = 0; i < w->n_pieces; i++) nl_batch_unref(w->pieces[i].batch);
    nl_free(w->pieces);
    free_rowgroups(w);
    if (w->cols) {
        for (int32_t i = 0; i < w->plan.n_leaves; i++) pqw_column_free(&w->cols[i]);
        nl_free(w->cols);
    }
    for (int i = 0; i < w->n_scratch; i++) pqw_scratch_free(&w->scratch[i]);
    nl_free(w->scratch);
    pqw_plan_free(&w->plan);
    if (w->schema) nl_schema_unref(w->schema);
    nl_free(w->uri);
    nl_free(w);
}

void pq_writer_abort(pq_writer *w) {
    if (!w) return;
    if (w->up) w->up->abort(w->up);
    w->up = NULL;
    writer_free(w);
}

int64_t pq_writer_rows(const pq_writer *w) {
    return w->total_rows + w->pending_rows;
}

nl_status pq_writer_open(nl_store *store, const char *uri, nl_schema *schema,
                         const pq_write_options *opts, pq_writer **out, nl_error *err) {
    *out = NULL;
    pq_writer *w = nl_calloc(1, sizeof *w);
    NL_CHECK_ALLOC(w, err);
    if (opts)
        w->opts = *opts;
    else
        pq_write_options_init(&w->opts);
    if (w->opts.row_group_rows <= 0) w->opts.row_group_rows = 1 << 20;
    w->store = store;
    w->uri = nl_strdup(uri);
    w->schema = nl_schema_ref(schema);
    nl_status st = NL_OK;
    if (!w->uri) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
        goto fail;
    }
    if (w->opts.codec < 0 || w->opts.codec > 7 || w->opts.codec == 3 /* LZO */) {
        st = nl_error_set(err, NL_ENOTSUP, "writing '%s': compression codec %d is not supported",
                          uri, w->opts.codec);
        goto fail;
    }
    st = pqw_plan_build(schema, &w->plan, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "writing '%s'", uri);
        goto fail;
    }
    w->cols = nl_calloc((size_t)(w->plan.n_leaves ? w->plan.n_leaves : 1), sizeof *w->cols);
    if (!w->cols) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int32_t i = 0; i < w->plan.n_leaves; i++) pqw_column_init(&w->cols[i]);
    w->n_scratch = w->opts.threads == 1 ? 1 : nl_pool_size(nl_pool_default());
    w->scratch = nl_calloc((size_t)w->n_scratch, sizeof *w->scratch);
    if (!w->scratch) {
        w->n_scratch = 0;
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < w->n_scratch; i++) pqw_scratch_init(&w->scratch[i]);
    st = nl_store_upload_begin(store, uri, &w->up, err);
    if (st != NL_OK) {
        nl_error_prefix(err, "writing '%s'", uri);
        goto fail;
    }
    st = put(w, PQW_MAGIC, 4, err);
    if (st != NL_OK) goto fail;
    *out = w;
    return NL_OK;
fail:
    pq_writer_abort(w);
    return st;
}

/* ---- row groups ---- */

typedef struct pqw_slice {
    const nl_batch *batch;
    int64_t offset, length;
} pqw_slice;

typedef struct flush_ctx {
    pq_writer *w;
    const pqw_slice *slices;
    int32_t n_slices;
    pqw_chunk *chunks;
    nl_status *status;
    nl_error *errors;
    atomic_bool stop;
} flush_ctx;

static void encode_leaf(void *vctx, int64_t i, int worker) {
    flush_ctx *f = vctx;
    if (atomic_load(&f->stop)) {
        f->status[i] = NL_ECANCELLED;
        return;
    }
    pq_writer *w = f->w;
    const pqw_leaf *leaf = &w->plan.leaves[i];
    pqw_column *col = &w->cols[i];
    pqw_column_reset(col);
    /* Room for the row group up front: no regrowth copies for flat columns. */
    int64_t rows = 0;
    for (int32_t s = 0; s < f->n_slices; s++) rows += f->slices[s].length;
    pqw_column_reserve(col, leaf, rows);
    nl_status st = NL_OK;
    for (int32_t s = 0; s < f->n_slices && st == NL_OK; s++) {
        const nl_array *a = f->slices[s].batch->columns[leaf->top];
        st = pqw_column_append(col, leaf, a, f->slices[s].offset, f->slices[s].length,
                               &f->errors[i]);
    }
    pqw_scratch *scratch = &w->scratch[worker < w->n_scratch ? worker : 0];
    if (st == NL_OK)
        st = pqw_chunk_encode(leaf, col, &w->opts, scratch, &f->chunks[i], &f->errors[i]);
    if (st != NL_OK) {
        nl_error_prefix(&f->errors[i], "column '%s'", leaf->path[0]);
        atomic_store(&f->stop, true);
    }
    f->status[i] = st;
}

static nl_status flush_rowgroup(pq_writer *w, int64_t rows, nl_error *err) {
    if (rows <= 0) return NL_OK;
    int32_t nleaves = w->plan.n_leaves;
    pqw_slice *slices = nl_calloc((size_t)w->n_pieces, sizeof *slices);
    pqw_chunk *chunks = nl_calloc((size_t)(nleaves ? nleaves : 1), sizeof *chunks);
    nl_status *status = nl_calloc((size_t)(nleaves ? nleaves : 1), sizeof *status);
    nl_error *errors = nl_calloc((size_t)(nleaves ? nleaves : 1), sizeof *errors);
    nl_status st = NL_OK;
    if (!slices || !chunks || !status || !errors) {
        st = nl_error_set(err, NL_ENOMEM, "out of memory");
        goto done;
    }
    if (w->n_rgs == w->cap_rgs) {
        int32_t cap = w->cap_rgs ? w->cap_rgs * 2 : 8;
        pqw_rowgroup *nr = nl_realloc(w->rgs, (size_t)cap * sizeof *nr);
        if (!nr) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory");
            goto done;
        }
        w->rgs = nr;
        w->cap_rgs = cap;
    }
    /* The pieces that make up these rows. */
    int32_t ns = 0;
    int64_t need = rows;
    for (int32_t p = 0; p < w->n_pieces && need > 0; p++) {
        int64_t take = w->pieces[p].length < need ? w->pieces[p].length : need;
        slices[ns++] = (pqw_slice){w->pieces[p].batch, w->pieces[p].offset, take};
        need -= take;
    }
    flush_ctx f = {w, slices, ns, chunks, status, errors, false};
    if (w->opts.threads == 1 || nleaves <= 1) {
        for (int32_t i = 0; i < nleaves; i++) encode_leaf(&f, i, 0);
    } else {
        nl_pool_parallel_for(nl_pool_default(), nleaves, encode_leaf, &f);
    }
    for (int32_t i = 0; i < nleaves; i++) {
        if (status[i] != NL_OK && status[i] != NL_ECANCELLED) {
            st = status[i];
            if (err) *err = errors[i];
            nl_error_prefix(err, "writing '%s'", w->uri);
            goto done;
        }
    }
    /* Upload the chunks in column order and place them. */
    pqw_rowgroup *rg = &w->rgs[w->n_rgs];
    memset(rg, 0, sizeof *rg);
    rg->num_rows = rows;
    rg->file_offset = w->pos;
    for (int32_t i = 0; i < nleaves; i++) {
        pqw_chunk *c = &chunks[i];
        c->file_offset = w->pos;
        rg->total_uncompressed += c->uncompressed;
        rg->total_compressed += (int64_t)c->bytes.len;
        st = put(w, c->bytes.data, c->bytes.len, err);
        if (st != NL_OK) goto done;
        pq_buf_free(&c->bytes);
    }
    rg->chunks = chunks;
    chunks = NULL;
    w->n_rgs++;
    w->total_rows += rows;
    /* Drop the rows from the pending pieces. */
    need = rows;
    int32_t keep = 0;
    for (int32_t p = 0; p < w->n_pieces; p++) {
        pqw_piece *pc = &w->pieces[p];
        if (need >= pc->length) {
            need -= pc->length;
            nl_batch_unref(pc->batch);
            continue;
        }
        pc->offset += need;
        pc->length -= need;
        need = 0;
        w->pieces[keep++] = *pc;
    }
    w->n_pieces = keep;
    w->pending_rows -= rows;
done:
    if (chunks) {
        for (int32_t i = 0; i < nleaves; i++) pqw_chunk_free(&chunks[i]);
        nl_free(chunks);
    }
    nl_free(slices);
    nl_free(status);
    nl_free(errors);
    return st;
}

nl_status pq_writer_write_batch(pq_writer *w, nl_batch *batch, nl_error *err) {
    if (w->failed)
        return nl_error_set(err, NL_EINVAL, "writing '%s': the writer failed earlier", w->uri);
    if (batch->n_columns != w->schema->n_fields) {
        w->failed = true;
        return nl_error_set(err, NL_ETYPE, "writing '%s': a batch of %d columns for %d fields",
                            w->uri, batch->n_columns, w->schema->n_fields);
    }
    for (int32_t i = 0; i < batch->n_columns; i++) {
        if (!nl_type_equals(batch->columns[i]->type, w->schema->fields[i].type)) {
            w->failed = true;
            return nl_error_set(err, NL_ETYPE, "writing '%s': column '%s' changed type", w->uri,
                                w->schema->fields[i].name);
        }
    }
    if (batch->num_rows == 0) return NL_OK;
    if (w->n_pieces == w->cap_pieces) {
        int32_t cap = w->cap_pieces ? w->cap_pieces * 2 : 16;
        pqw_piece *np = nl_realloc(w->pieces, (size_t)cap * sizeof *np);
        if (!np) {
            w->failed = true;
            return nl_error_set(err, NL_ENOMEM, "out of memory");
        }
        w->pieces = np;
        w->cap_pieces = cap;
    }
    w->pieces[w->n_pieces++] = (pqw_piece){nl_batch_ref(batch), 0, batch->num_rows};
    w->pending_rows += batch->num_rows;
    while (w->pending_rows >= w->opts.row_group_rows) {
        nl_status st = flush_rowgroup(w, w->opts.row_group_rows, err);
        if (st != NL_OK) {
            w->failed = true;
            return st;
        }
    }
    return NL_OK;
}

/* ---- footer ---- */

static bool order_is_signed(pqw_order o) {
    return o == PQW_ORDER_I32 || o == PQW_ORDER_I64 || o == PQW_ORDER_FLOAT ||
           o == PQW_ORDER_DOUBLE || o == PQW_ORDER_BOOL;
}

static void write_statistics(pq_tw *tw, int16_t id, const pqw_leaf *leaf, const pqw_stat *st) {
    bool mm = st->has_minmax && !st->unbounded;
    pq_tw_field_struct(tw, id);
    if (mm && order_is_signed(leaf->order)) {
        pq_tw_field_binary(tw, 1, st->max, st->max_len);
        pq_tw_field_binary(tw, 2, st->min, st->min_len);
    }
    pq_tw_field_i64(tw, 3, st->null_count);
    if (mm) {
        pq_tw_field_binary(tw, 5, st->max, st->max_len);
        pq_tw_field_binary(tw, 6, st->min, st->min_len);
    }
    pq_tw_struct_end(tw);
}

static void write_column_chunk(pq_writer *w, pq_tw *tw, const pqw_leaf *leaf,
                               const pqw_chunk *c) {
    pq_tw_struct_begin(tw);
    pq_tw_field_i64(tw, 2, c->file_offset);
    pq_tw_field_struct(tw, 3);
    pq_tw_field_i32(tw, 1, leaf->phys);
    int n_enc = __builtin_popcount(c->encodings);
    pq_tw_field_list(tw, 2, PQ_TW_T_I32, n_enc);
    for (int e = 0; e < 32; e++)
        if (c->encodings & (1u << e)) pq_tw_elem_i32(tw, e);
    pq_tw_field_list(tw, 3, PQ_TW_T_BINARY, leaf->n_path);
    for (int32_t k = 0; k < leaf->n_path; k++)
        pq_tw_elem_binary(tw, leaf->path[k], (int64_t)strlen(leaf->path[k]));
    pq_tw_field_i32(tw, 4, w->opts.codec);
    pq_tw_field_i64(tw, 5, c->num_values);
    pq_tw_field_i64(tw, 6, c->uncompressed);
    pq_tw_field_i64(tw, 7, c->n_pages ? (int64_t)0 + c->pages[c->n_pages - 1].offset +
                                             c->pages[c->n_pages - 1].size
                                       : 0);
    pq_tw_field_i64(tw, 9, c->file_offset + c->data_offset);
    if (c->dict_offset >= 0) pq_tw_field_i64(tw, 11, c->file_offset + c->dict_offset);
    if (w->opts.statistics) write_statistics(tw, 12, leaf, &c->stat);
    pq_tw_struct_end(tw);
    if (c->offset_index_length > 0) {
        pq_tw_field_i64(tw, 4, c->offset_index_offset);
        pq_tw_field_i32(tw, 5, c->offset_index_length);
    }
    if (c->column_index_length > 0) {
        pq_tw_field_i64(tw, 6, c->column_index_offset);
        pq_tw_field_i32(tw, 7, c->column_index_length);
    }
    pq_tw_struct_end(tw);
}

/* parquet.thrift: BoundaryOrder */
static int boundary_order(const pqw_leaf *leaf, const pqw_chunk *c) {
    bool asc = true, desc = true;
    const pqw_stat *prev = NULL;
    for (int64_t p = 0; p < c->n_pages; p++) {
        const pqw_stat *s = &c->pages[p].stat;
        if (!s->has_minmax) continue;
        if (prev) {
            int cmin = pqw_stat_cmp(leaf, prev->min, prev->min_len, s->min, s->min_len);
            int cmax = pqw_stat_cmp(leaf, prev->max, prev->max_len, s->max, s->max_len);
            if (cmin > 0 || cmax > 0) asc = false;
            if (cmin < 0 || cmax < 0) desc = false;
        }
        prev = s;
    }
    return asc ? 1 : desc ? 2 : 0;
}

static nl_status write_page_index(pq_writer *w, nl_error *err) {
    pq_buf b;
    pq_buf_init(&b);
    nl_status st = NL_OK;
    for (int pass = 0; pass < 2 && st == NL_OK; pass++) {
        for (int32_t r = 0; r < w->n_rgs && st == NL_OK; r++) {
            for (int32_t i = 0; i < w->plan.n_leaves && st == NL_OK; i++) {
                const pqw_leaf *leaf = &w->plan.leaves[i];
                pqw_chunk *c = &w->rgs[r].chunks[i];
                if (pass == 0 && (!c->column_index || leaf->order == PQW_ORDER_NONE)) continue;
                b.len = 0;
                pq_tw tw;
                pq_tw_init(&tw, &b);
                pq_tw_struct_begin(&tw);
                if (pass == 0) {
                    pq_tw_field_list(&tw, 1, PQ_TW_T_BOOL_FALSE, c->n_pages);
                    for (int64_t p = 0; p < c->n_pages; p++)
                        pq_tw_elem_bool(&tw, !c->pages[p].stat.has_minmax);
                    for (int k = 0; k < 2; k++) {
                        pq_tw_field_list(&tw, (int16_t)(2 + k), PQ_TW_T_BINARY, c->n_pages);
                        for (int64_t p = 0; p < c->n_pages; p++) {
                            const pqw_stat *s = &c->pages[p].stat;
                            if (!s->has_minmax)
                                pq_tw_elem_binary(&tw, "", 0);
                            else if (k == 0)
                                pq_tw_elem_binary(&tw, s->min, s->min_len);
                            else
                                pq_tw_elem_binary(&tw, s->max, s->max_len);
                        }
                    }
                    pq_tw_field_i32(&tw, 4, boundary_order(leaf, c));
                    pq_tw_field_list(&tw, 5, PQ_TW_T_I64, c->n_pages);
                    for (int64_t p = 0; p < c->n_pages; p++)
                        pq_tw_elem_i64(&tw, c->pages[p].stat.null_count);
                } else {
                    pq_tw_field_list(&tw, 1, PQ_TW_T_STRUCT, c->n_pages);
                    for (int64_t p = 0; p < c->n_pages; p++) {
                        pq_tw_struct_begin(&tw);
                        pq_tw_field_i64(&tw, 1, c->file_offset + c->pages[p].offset);
                        pq_tw_field_i32(&tw, 2, c->pages[p].size);
                        pq_tw_field_i64(&tw, 3, c->pages[p].first_row);
                        pq_tw_struct_end(&tw);
                    }
                }
                pq_tw_struct_end(&tw);
                if (!pq_tw_ok(&tw)) {
                    st = nl_error_set(err, NL_ENOMEM, "out of memory writing the page index");
                    break;
                }
                if (pass == 0) {
                    c->column_index_offset = w->pos;
                    c->column_index_length = (int32_t)b.len;
                } else {
                    c->offset_index_offset = w->pos;
                    c->offset_index_length = (int32_t)b.len;
                }
                st = put(w, b.data, b.len, err);
            }
        }
    }
    pq_buf_free(&b);
    return st;
}

static nl_status write_footer(pq_writer *w, nl_error *err) {
    pq_buf b;
    pq_buf_init(&b);
    pq_tw tw;
    pq_tw_init(&tw, &b);
    pq_tw_struct_begin(&tw);
    pq_tw_field_i32(&tw, 1, 1);
    pqw_plan_write_schema(&w->plan, &tw);
    pq_tw_field_i64(&tw, 3, w->total_rows);
    pq_tw_field_list(&tw, 4, PQ_TW_T_STRUCT, w->n_rgs);
    for (int32_t r = 0; r < w->n_rgs; r++) {
        const pqw_rowgroup *rg = &w->rgs[r];
        pq_tw_struct_begin(&tw);
        pq_tw_field_list(&tw, 1, PQ_TW_T_STRUCT, w->plan.n_leaves);
        for (int32_t i = 0; i < w->plan.n_leaves; i++)
            write_column_chunk(w, &tw, &w->plan.leaves[i], &rg->chunks[i]);
        pq_tw_field_i64(&tw, 2, rg->total_uncompressed);
        pq_tw_field_i64(&tw, 3, rg->num_rows);
        pq_tw_field_i64(&tw, 5, rg->file_offset);
        pq_tw_field_i64(&tw, 6, rg->total_compressed);
        pq_tw_field_i16(&tw, 7, (int16_t)r);
        pq_tw_struct_end(&tw);
    }
    char *arrow = NULL;
    if (w->opts.arrow_schema) {
        nl_status ast = pqw_arrow_schema_b64(w->schema, &arrow, err);
        if (ast != NL_OK) {
            pq_buf_free(&b);
            return ast;
        }
    }
    int32_t n_kv = w->opts.n_kv + (arrow ? 1 : 0);
    if (n_kv > 0) {
        pq_tw_field_list(&tw, 5, PQ_TW_T_STRUCT, n_kv);
        for (int32_t k = 0; k < w->opts.n_kv; k++) {
            pq_tw_struct_begin(&tw);
            pq_tw_field_string(&tw, 1, w->opts.kv_keys[k]);
            if (w->opts.kv_values[k]) pq_tw_field_string(&tw, 2, w->opts.kv_values[k]);
            pq_tw_struct_end(&tw);
        }
        if (arrow) {
            pq_tw_struct_begin(&tw);
            pq_tw_field_string(&tw, 1, "ARROW:schema");
            pq_tw_field_string(&tw, 2, arrow);
            pq_tw_struct_end(&tw);
        }
    }
    nl_free(arrow);
    pq_tw_field_string(&tw, 6, w->opts.created_by ? w->opts.created_by
                                                  : "neuralake version " NL_PQW_VERSION);
    pq_tw_field_list(&tw, 7, PQ_TW_T_STRUCT, w->plan.n_leaves);
    for (int32_t i = 0; i < w->plan.n_leaves; i++) {
        pq_tw_struct_begin(&tw);
        pq_tw_field_empty_struct(&tw, 1); /* TYPE_ORDER */
        pq_tw_struct_end(&tw);
    }
    pq_tw_struct_end(&tw);
    if (!pq_tw_ok(&tw) || b.len > INT32_MAX) {
        pq_buf_free(&b);
        return nl_error_set(err, NL_ENOMEM, "out of memory writing the footer of '%s'", w->uri);
    }
    pq_buf_u32le(&b, (uint32_t)b.len);
    pq_buf_append(&b, PQW_MAGIC, 4);
    nl_status st = pq_buf_ok(&b) ? put(w, b.data, b.len, err)
                                 : nl_error_set(err, NL_ENOMEM, "out of memory");
    pq_buf_free(&b);
    return st;
}

nl_status pq_writer_close(pq_writer *w, nl_error *err) {
    nl_status st = NL_OK;
    if (w->failed) {
        st = nl_error_set(err, NL_EINVAL, "writing '%s': the writer failed earlier", w->uri);
        goto fail;
    }
    while (w->pending_rows > 0) {
        int64_t rows = w->pending_rows < w->opts.row_group_rows ? w->pending_rows
                                                                : w->opts.row_group_rows;
        st = flush_rowgroup(w, rows, err);
        if (st != NL_OK) goto fail;
    }
    if (w->opts.page_index) {
        st = write_page_index(w, err);
        if (st != NL_OK) goto fail;
    }
    st = write_footer(w, err);
    if (st != NL_OK) goto fail;
    /* commit frees the upload whatever its outcome. */
    nl_upload *up = w->up;
    w->up = NULL;
    st = up->commit(up, err);
    if (st != NL_OK) nl_error_prefix(err, "committing '%s'", w->uri);
    writer_free(w);
    return st;
fail:
    pq_writer_abort(w);
    return st;
}

nl_status pq_write_table(nl_store *store, const char *uri, const nl_table *table,
                         const pq_write_options *opts, nl_error *err) {
    pq_writer *w;
    NL_TRY(pq_writer_open(store, uri, table->schema, opts, &w, err));
    for (int64_t b = 0; b < table->n_batches; b++) {
        nl_status st = pq_writer_write_batch(w, table->batches[b], err);
        if (st != NL_OK) {
            pq_writer_abort(w);
            return st;
        }
    }
    return pq_writer_close(w, err);
}
