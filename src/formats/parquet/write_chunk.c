/*
 * write_chunk.c -- encodes one column chunk: chooses the encoding, cuts the
 * levels and values into data pages on row boundaries, encodes and compresses
 * each page behind its thrift PageHeader, and keeps what the footer and the
 * page index need (sizes, offsets, encodings, statistics per page and chunk).
 *
 * The encoding is chosen once per chunk, with all its values at hand:
 *   - a dictionary when it stays under opts->dictionary_bytes and its page
 *     plus the bit-packed indices are clearly smaller than PLAIN values;
 *   - else, for INT32/INT64, DELTA_BINARY_PACKED when the first page comes
 *     out at most 3/4 the PLAIN size;
 *   - else PLAIN.
 * A dictionary that grows past its limit is abandoned for the whole chunk
 * (the fallback to PLAIN), so no chunk mixes dictionary and plain pages.
 */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/write_internal.h"

#if __has_include("formats/parquet/codec.h")
#include "formats/parquet/codec.h"
#define PQW_HAVE_CODEC 1
#else
#define PQW_HAVE_CODEC 0
#endif

/* parquet.thrift: PageHeader, DataPageHeader, DictionaryPageHeader fields */
enum {
    PH_TYPE = 1,
    PH_UNCOMPRESSED = 2,
    PH_COMPRESSED = 3,
    PH_DATA = 5,
    PH_DICTIONARY = 7
};

void pqw_chunk_free(pqw_chunk *c) {
    pq_buf_free(&c->bytes);
    nl_free(c->pages);
    memset(c, 0, sizeof *c);
}

typedef struct chunk_ctx {
    const pqw_leaf *leaf;
    const pqw_column *col;
    const pq_write_options *opts;
    pqw_chunk *out;
    pq_buf *body;    /* a page's uncompressed bytes */
    pq_buf *zbody;   /* compressed */
    pq_buf *header;  /* its PageHeader */
    pq_buf *scratch; /* trial encodings */
    nl_error *err;
} chunk_ctx;

void pqw_scratch_init(pqw_scratch *s) {
    pq_buf_init(&s->body);
    pq_buf_init(&s->zbody);
    pq_buf_init(&s->header);
    pq_buf_init(&s->trial);
    pqw_dict_init(&s->dict);
}

void pqw_scratch_free(pqw_scratch *s) {
    pq_buf_free(&s->body);
    pq_buf_free(&s->zbody);
    pq_buf_free(&s->header);
    pq_buf_free(&s->trial);
    pqw_dict_free(&s->dict);
}

/* Compresses the body (when a codec is set) and appends header and body to
 * the chunk. `data_header` writes the page-type-specific header struct. */
static nl_status emit_page(chunk_ctx *c, int page_type, int32_t num_values, int encoding,
                           int64_t *page_size) {
    const pq_buf *payload = c->body;
    int codec = c->opts->codec;
    if (codec != 0) {
#if PQW_HAVE_CODEC
        size_t bound = pq_compress_bound(codec, c->body->len);
        c->zbody->len = 0;
        if (!pq_buf_reserve(c->zbody, bound))
            return nl_error_set(c->err, NL_ENOMEM, "out of memory compressing a page");
        size_t zlen = 0;
        NL_TRY(pq_compress(codec, c->opts->compression_level, c->body->data, c->body->len,
                           c->zbody->data, bound, &zlen, c->err));
        c->zbody->len = zlen;
        payload = c->zbody;
#else
        return nl_error_set(c->err, NL_ENOTSUP, "compression codec %d is not built in", codec);
#endif
    }
    if (c->body->len > INT32_MAX || payload->len > INT32_MAX)
        return nl_error_set(c->err, NL_EOVERFLOW, "a page of %zu bytes is too large",
                            c->body->len);
    c->header->len = 0;
    pq_tw tw;
    pq_tw_init(&tw, c->header);
    pq_tw_struct_begin(&tw);
    pq_tw_field_i32(&tw, PH_TYPE, page_type);
    pq_tw_field_i32(&tw, PH_UNCOMPRESSED, (int32_t)c->body->len);
    pq_tw_field_i32(&tw, PH_COMPRESSED, (int32_t)payload->len);
    if (page_type == PQW_PAGE_DATA) {
        pq_tw_field_struct(&tw, PH_DATA);
        pq_tw_field_i32(&tw, 1, num_values);
        pq_tw_field_i32(&tw, 2, encoding);
        pq_tw_field_i32(&tw, 3, PQW_ENC_RLE);
        pq_tw_field_i32(&tw, 4, PQW_ENC_RLE);
        pq_tw_struct_end(&tw);
    } else {
        pq_tw_field_struct(&tw, PH_DICTIONARY);
        pq_tw_field_i32(&tw, 1, num_values);
        pq_tw_field_i32(&tw, 2, encoding);
        pq_tw_struct_end(&tw);
    }
    pq_tw_struct_end(&tw);
    pq_buf_append(&c->out->bytes, c->header->data, c->header->len);
    pq_buf_append(&c->out->bytes, payload->data, payload->len);
    if (!pq_tw_ok(&tw) || !pq_buf_ok(&c->out->bytes))
        return nl_error_set(c->err, NL_ENOMEM, "out of memory writing a page");
    c->out->uncompressed += (int64_t)(c->header->len + c->body->len);
    *page_size = (int64_t)(c->header->len + payload->len);
    return NL_OK;
}

/* A level run with its 4-byte length prefix (data page v1). */
static void put_levels(pq_buf *b, const uint8_t *lv, int64_t n, int max_level) {
    size_t at = b->len;
    pq_buf_u32le(b, 0);
    pqw_rle_u8(b, lv, n, pqw_bit_width((uint64_t)max_level));
    if (!pq_buf_ok(b)) return;
    uint32_t len = (uint32_t)(b->len - at - 4);
    memcpy(b->data + at, &len, 4);
}

/* nl levels all equal to `level`: one RLE run, with the length prefix. */
static void put_level_run(pq_buf *b, int64_t nl, int level) {
    size_t at = b->len;
    pq_buf_u32le(b, 0);
    pq_buf_uvarint(b, (uint64_t)nl << 1);
    pq_buf_byte(b, (uint8_t)level); /* levels are at most 255: one byte */
    if (!pq_buf_ok(b)) return;
    uint32_t len = (uint32_t)(b->len - at - 4);
    memcpy(b->data + at, &len, 4);
}

static void put_plain(chunk_ctx *c, pq_buf *b, int64_t v0, int64_t v1) {
    const pqw_leaf *leaf = c->leaf;
    const pqw_column *col = c->col;
    if (leaf->phys == PQW_BOOLEAN) {
        pqw_plain_bool(b, col->vals.data + v0, v1 - v0);
    } else if (leaf->phys == PQW_BYTE_ARRAY) {
        pqw_plain_bytes(b, (const uint8_t *const *)(const void *)col->bptr.data + v0,
                        (const uint32_t *)(const void *)col->blen.data + v0, v1 - v0);
    } else {
        size_t w = (size_t)leaf->width;
        pq_buf_append(b, col->vals.data + (size_t)v0 * w, (size_t)(v1 - v0) * w);
    }
}

static void put_delta(const pqw_leaf *leaf, const pqw_column *col, pq_buf *b, int64_t v0,
                      int64_t v1) {
    if (leaf->phys == PQW_INT32)
        pqw_delta_i32(b, (const int32_t *)(const void *)col->vals.data + v0, v1 - v0);
    else
        pqw_delta_i64(b, (const int64_t *)(const void *)col->vals.data + v0, v1 - v0);
}

static nl_status dictionary_page(chunk_ctx *c, const pqw_dict *d) {
    const pqw_leaf *leaf = c->leaf;
    const pqw_column *col = c->col;
    const uint32_t *first = (const uint32_t *)(const void *)d->entries.data;
    c->body->len = 0;
    if (!pq_buf_reserve(c->body, (size_t)d->bytes))
        return nl_error_set(c->err, NL_ENOMEM, "out of memory writing a dictionary");
    uint8_t *p = c->body->data;
    if (leaf->phys == PQW_BYTE_ARRAY) {
        const uint8_t *const *bp = (const uint8_t *const *)(const void *)col->bptr.data;
        const uint32_t *bl = (const uint32_t *)(const void *)col->blen.data;
        for (int64_t e = 0; e < d->n_entries; e++) {
            uint32_t k = first[e], l = bl[k];
            memcpy(p, &l, 4);
            memcpy(p + 4, bp[k], l);
            p += 4 + l;
        }
    } else {
        size_t w = (size_t)leaf->width;
        if (w == 4) {
            const uint32_t *v = (const uint32_t *)(const void *)col->vals.data;
            for (int64_t e = 0; e < d->n_entries; e++, p += 4) memcpy(p, &v[first[e]], 4);
        } else if (w == 8) {
            const uint64_t *v = (const uint64_t *)(const void *)col->vals.data;
            for (int64_t e = 0; e < d->n_entries; e++, p += 8) memcpy(p, &v[first[e]], 8);
        } else {
            for (int64_t e = 0; e < d->n_entries; e++, p += w)
                memcpy(p, col->vals.data + (size_t)first[e] * w, w);
        }
    }
    c->body->len = (size_t)(p - c->body->data);
    int64_t size;
    c->out->dict_offset = (int64_t)c->out->bytes.len;
    NL_TRY(emit_page(c, PQW_PAGE_DICTIONARY, (int32_t)d->n_entries, PQW_ENC_PLAIN, &size));
    c->out->encodings |= 1u << PQW_ENC_PLAIN;
    return NL_OK;
}

static int64_t plain_size(const pqw_leaf *leaf, const pqw_column *col) {
    if (leaf->phys == PQW_BOOLEAN) return (col->n_values + 7) / 8;
    if (leaf->phys != PQW_BYTE_ARRAY) return col->n_values * leaf->width;
    const uint32_t *bl = (const uint32_t *)(const void *)col->blen.data;
    int64_t s = 0;
    for (int64_t k = 0; k < col->n_values; k++) s += 4 + (int64_t)bl[k];
    return s;
}

static nl_status add_page_info(chunk_ctx *c, int64_t offset, int64_t size, int64_t first_row,
                               const pqw_stat *st) {
    pqw_chunk *o = c->out;
    if ((o->n_pages & (o->n_pages - 1)) == 0) {
        int64_t cap = o->n_pages ? o->n_pages * 2 : 4;
        pqw_page_info *np = nl_realloc(o->pages, (size_t)cap * sizeof *np);
        NL_CHECK_ALLOC(np, c->err);
        o->pages = np;
    }
    pqw_page_info *pi = &o->pages[o->n_pages++];
    pi->offset = offset;
    pi->size = (int32_t)size;
    pi->first_row = first_row;
    pi->stat = *st;
    return NL_OK;
}

/* ---- statistics of dictionary-encoded byte arrays ----
 * Comparing every string of a page with the running min and max is the most
 * expensive part of their statistics. With a dictionary, the entries are
 * ranked once and a page's bounds come from the smallest and largest rank
 * among its indices: an integer loop. */

typedef struct rank_ctx {
    const pqw_leaf *leaf;
    const pqw_column *col;
    const uint32_t *first;
} rank_ctx;

static void entry_value(const rank_ctx *r, uint32_t e, const uint8_t **p, uint32_t *len) {
    uint32_t k = r->first[e];
    if (r->leaf->phys == PQW_BYTE_ARRAY) {
        *p = ((const uint8_t *const *)(const void *)r->col->bptr.data)[k];
        *len = ((const uint32_t *)(const void *)r->col->blen.data)[k];
    } else {
        *p = r->col->vals.data + (size_t)k * (size_t)r->leaf->width;
        *len = (uint32_t)r->leaf->width;
    }
}

static int rank_cmp(const void *a, const void *b, void *vctx) {
    const rank_ctx *r = vctx;
    const uint8_t *pa, *pb;
    uint32_t la, lb;
    entry_value(r, *(const uint32_t *)a, &pa, &la);
    entry_value(r, *(const uint32_t *)b, &pb, &lb);
    return pqw_stat_cmp(r->leaf, pa, la, pb, lb);
}

/* order[j] is the entry of rank j, rank[e] the rank of entry e (one block of
 * 2 * n_entries, free with nl_free); NULL on OOM (then stats go the slow way). */
static uint32_t *rank_entries(const pqw_leaf *leaf, const pqw_column *col, const pqw_dict *d) {
    uint32_t *order = nl_malloc((size_t)d->n_entries * 2 * sizeof(uint32_t));
    if (!order) return NULL;
    uint32_t *rank = order + d->n_entries;
    for (int64_t e = 0; e < d->n_entries; e++) order[e] = (uint32_t)e;
    rank_ctx r = {leaf, col, (const uint32_t *)(const void *)d->entries.data};
    qsort_r(order, (size_t)d->n_entries, sizeof(uint32_t), rank_cmp, &r);
    for (int64_t j = 0; j < d->n_entries; j++) rank[order[j]] = (uint32_t)j;
    return order;
}

static void ranked_stat(pqw_stat *st, const pqw_leaf *leaf, const pqw_column *col,
                        const pqw_dict *d, const uint32_t *order, int64_t v0, int64_t v1) {
    if (v1 <= v0) {
        pqw_stat_compute(st, leaf, col, v0, v1);
        return;
    }
    const uint32_t *rank = order + d->n_entries;
    const uint32_t *idx = (const uint32_t *)(const void *)d->indices.data;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (int64_t k = v0; k < v1; k++) {
        uint32_t r = rank[idx[k]];
        lo = r < lo ? r : lo;
        hi = r > hi ? r : hi;
    }
    const uint32_t *first = (const uint32_t *)(const void *)d->entries.data;
    int64_t kmin = first[order[lo]], kmax = first[order[hi]];
    pqw_stat top;
    pqw_stat_compute(&top, leaf, col, kmax, kmax + 1);
    pqw_stat_compute(st, leaf, col, kmin, kmin + 1);
    st->max_len = top.max_len;
    memcpy(st->max, top.max, top.max_len);
    st->has_minmax = top.has_minmax;
    st->unbounded = top.unbounded;
}

static nl_status encode_pages_ranked(chunk_ctx *c, const pqw_dict *dict, const uint32_t *ranks) {
    const pqw_leaf *leaf = c->leaf;
    const pqw_column *col = c->col;
    const pq_write_options *opts = c->opts;
    /* NULL def: every level is max_def (a flat column without nulls). */
    const uint8_t *def = col->def_implicit ? NULL : col->def.data, *rep = col->rep.data;
    const uint32_t *blen = (const uint32_t *)(const void *)col->blen.data;
    int dict_bw = 0;
    if (dict) {
        dict_bw = pqw_bit_width((uint64_t)(dict->n_entries - 1));
        if (dict_bw == 0) dict_bw = 1;
    }
    int delta = -1; /* undecided; 0 plain, 1 delta */
    if (dict || !opts->delta_integers || (leaf->phys != PQW_INT32 && leaf->phys != PQW_INT64))
        delta = 0;
    int64_t page_bytes = opts->page_bytes > 0 ? opts->page_bytes : 1 << 20;
    int64_t page_rows = opts->page_rows > 0 ? opts->page_rows : INT64_MAX;
    int64_t l = 0, v = 0, row = 0;
    const int16_t max_def = leaf->max_def;
    while (l < col->n_levels || (l == 0 && col->n_levels == 0 && c->out->n_pages == 0)) {
        /* Cut the page: whole rows until the size or row limit. */
        int64_t l0 = l, v0 = v, rows = 0, bytes = 0;
        if (leaf->max_rep == 0 && (dict || leaf->phys != PQW_BYTE_ARRAY)) {
            /* Flat and fixed size per value: the cut is arithmetic. */
            int64_t cap = page_rows;
            if (!dict) {
                int64_t by_size = page_bytes / (leaf->width > 0 ? leaf->width : 1);
                cap = by_size < cap ? (by_size > 0 ? by_size : 1) : cap;
            }
            int64_t take = col->n_levels - l < cap ? col->n_levels - l : cap;
            if (max_def == 0 || !def) {
                v += take;
            } else {
                int64_t nv = 0;
                for (int64_t k = l; k < l + take; k++) nv += def[k] == max_def;
                v += nv;
            }
            l += take;
            rows = take;
        }
        bool cut = rows > 0;
        while (l < col->n_levels && !cut) {
            do {
                if (max_def == 0 || !def || def[l] == max_def) {
                    bytes += leaf->phys == PQW_BYTE_ARRAY ? 4 + (int64_t)blen[v]
                           : leaf->width;
                    v++;
                }
                l++;
            } while (l < col->n_levels && leaf->max_rep > 0 && rep[l] != 0);
            rows++;
            if ((dict ? (v - v0) * dict_bw / 8 : bytes) >= page_bytes || rows >= page_rows) break;
        }
        int64_t nl = l - l0;
        if (nl > INT32_MAX)
            return nl_error_set(c->err, NL_EOVERFLOW, "too many values in one page");
        c->body->len = 0;
        if (leaf->max_rep > 0) put_levels(c->body, rep + l0, nl, leaf->max_rep);
        if (max_def > 0 && def) put_levels(c->body, def + l0, nl, max_def);
        if (max_def > 0 && !def) put_level_run(c->body, nl, max_def);
        int encoding;
        if (dict) {
            encoding = PQW_ENC_RLE_DICTIONARY;
            pq_buf_byte(c->body, (uint8_t)dict_bw);
            pqw_rle_u32(c->body, (const uint32_t *)(const void *)dict->indices.data + v0, v - v0,
                        dict_bw);
        } else if (delta != 0) {
            c->scratch->len = 0;
            put_delta(leaf, col, c->scratch, v0, v);
            int64_t plain = (v - v0) * leaf->width;
            if (delta == -1 && v - v0 >= 128)
                delta = (int64_t)c->scratch->len * 4 <= plain * 3 ? 1 : 0;
            if (delta != 0 && (int64_t)c->scratch->len <= plain) {
                encoding = PQW_ENC_DELTA_BINARY_PACKED;
                pq_buf_append(c->body, c->scratch->data, c->scratch->len);
            } else {
                encoding = PQW_ENC_PLAIN;
                put_plain(c, c->body, v0, v);
            }
        } else {
            encoding = PQW_ENC_PLAIN;
            put_plain(c, c->body, v0, v);
        }
        if (!pq_buf_ok(c->body) || !pq_buf_ok(c->scratch))
            return nl_error_set(c->err, NL_ENOMEM, "out of memory encoding a page");
        c->out->encodings |= 1u << encoding;
        pqw_stat st;
        memset(&st, 0, sizeof st);
        if (ranks)
            ranked_stat(&st, leaf, col, dict, ranks, v0, v);
        else if (opts->statistics || opts->page_index)
            pqw_stat_compute(&st, leaf, col, v0, v);
        st.null_count = nl - (v - v0);
        if (v > v0 && !st.has_minmax) c->out->column_index = false;
        int64_t offset = (int64_t)c->out->bytes.len, size;
        if (c->out->data_offset < 0) c->out->data_offset = offset;
        NL_TRY(emit_page(c, PQW_PAGE_DATA, (int32_t)nl, encoding, &size));
        NL_TRY(add_page_info(c, offset, size, row, &st));
        pqw_stat_merge(&c->out->stat, &st, leaf);
        row += rows;
        if (col->n_levels == 0) break;
    }
    return NL_OK;
}

static nl_status encode_pages(chunk_ctx *c, const pqw_dict *dict) {
    uint32_t *ranks = NULL;
    if (dict && (c->opts->statistics || c->opts->page_index) &&
        (c->leaf->order == PQW_ORDER_BYTES || c->leaf->order == PQW_ORDER_DECIMAL))
        ranks = rank_entries(c->leaf, c->col, dict);
    nl_status st = encode_pages_ranked(c, dict, ranks);
    nl_free(ranks);
    return st;
}

nl_status pqw_chunk_encode(const pqw_leaf *leaf, const pqw_column *col,
                           const pq_write_options *opts, pqw_scratch *scratch, pqw_chunk *out,
                           nl_error *err) {
    memset(out, 0, sizeof *out);
    pq_buf_init(&out->bytes);
    out->dict_offset = -1;
    out->data_offset = -1;
    out->num_values = col->n_levels;
    out->column_index = opts->page_index;
    if (leaf->max_def > 0 || leaf->max_rep > 0) out->encodings |= 1u << PQW_ENC_RLE;
    chunk_ctx c = {leaf, col, opts, out, &scratch->body, &scratch->zbody, &scratch->header,
                   &scratch->trial, err};
    /* Scratch buffers keep their memory, not a failure of an earlier chunk. */
    scratch->body.failed = scratch->zbody.failed = scratch->header.failed = false;
    scratch->trial.failed = false;
    pqw_dict *dict = &scratch->dict;
    nl_status st = NL_OK;
    bool use_dict = false;
    if (opts->dictionary_bytes > 0 && col->n_values > 0) {
        bool oom = false;
        use_dict = pqw_dict_build(dict, leaf, col, opts->dictionary_bytes, &oom);
        if (oom) {
            st = nl_error_set(err, NL_ENOMEM, "out of memory building a dictionary");
            goto done;
        }
        if (use_dict) {
            int bw = pqw_bit_width((uint64_t)(dict->n_entries - 1));
            int64_t cost = dict->bytes + (col->n_values * (bw ? bw : 1) + 7) / 8;
            if (cost * 10 > plain_size(leaf, col) * 9) use_dict = false;
        }
    }
    if (use_dict) {
        st = dictionary_page(&c, dict);
        if (st != NL_OK) goto done;
    }
    st = encode_pages(&c, use_dict ? dict : NULL);
done:
    if (st != NL_OK) pqw_chunk_free(out);
    return st;
}
