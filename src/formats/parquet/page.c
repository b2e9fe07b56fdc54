/*
 * page.c -- the pages of one column chunk: page headers, CRC checks,
 * decompression, the dictionary page, and data pages v1 and v2 decoded into
 * levels and dense values (pq_leaf_data, see column.h).
 */
#include <string.h>
#include <zlib.h>

#include "base/alloc.h"
#include "base/error.h"
#include "formats/parquet/codec.h"
#include "formats/parquet/column.h"

/* The first reservation for levels and values, before pages say more. */
#define PQ_INITIAL_RESERVE (1 << 20)
/* The most bytes reserved for a byte-array chunk before its pages say more. */
#define PQ_MAX_BYTES_GUESS (64 << 20)
/* Dictionary indices are decoded in chunks of this many. */
#define PQ_INDEX_CHUNK 1024

void pq_leaf_data_free(pq_leaf_data *d) {
    if (!d) return;
    nl_aligned_free(d->def);
    nl_aligned_free(d->rep);
    nl_aligned_free(d->fixed);
    pq_bytes_out_free(&d->bytes);
    memset(d, 0, sizeof *d);
}

typedef struct chunk_state {
    const pq_chunk_ctx *ctx;
    pq_leaf_data *out;
    int width; /* physical bytes per fixed value */
    /* The dictionary. */
    bool has_dict;
    int64_t dict_n;
    uint8_t *dict_fixed;
    pq_bytes_out dict_bytes;
    /* Scratch. */
    uint8_t *buf; /* decompressed pages */
    size_t buf_cap;
    int64_t *wide; /* 64-bit values of INT32 delta pages */
    int64_t wide_cap;
    int64_t page_offset; /* file offset of the page being decoded */
} chunk_state;

static nl_status fail(chunk_state *s, nl_error *err) {
    nl_error_prefix(err, "%s: row group %d, column '%s', page at offset %lld", s->ctx->uri,
                    s->ctx->row_group, s->ctx->leaf->path, (long long)s->page_offset);
    return err->code;
}

static int physical_width(const pq_leaf_info *li) {
    switch (li->physical) {
    case PQ_BOOLEAN: return 1;
    case PQ_INT32:
    case PQ_FLOAT: return 4;
    case PQ_INT64:
    case PQ_DOUBLE: return 8;
    case PQ_INT96: return 12;
    case PQ_FIXED_LEN_BYTE_ARRAY: return li->type_length;
    default: return 0;
    }
}

static nl_status reserve_levels(pq_leaf_data *d, const pq_leaf_info *li, int64_t more,
                                nl_error *err) {
    int64_t need = d->n_levels + more;
    if (need <= d->levels_cap) return NL_OK;
    int64_t cap = d->levels_cap ? d->levels_cap : 1024;
    while (cap < need) cap *= 2;
    if (li->max_def > 0) {
        int16_t *p = nl_aligned_realloc(d->def, (size_t)d->levels_cap * 2, (size_t)cap * 2);
        NL_CHECK_ALLOC(p, err);
        d->def = p;
    }
    if (li->max_rep > 0) {
        int16_t *p = nl_aligned_realloc(d->rep, (size_t)d->levels_cap * 2, (size_t)cap * 2);
        NL_CHECK_ALLOC(p, err);
        d->rep = p;
    }
    d->levels_cap = cap;
    return NL_OK;
}

static nl_status reserve_fixed(pq_leaf_data *d, int64_t more, nl_error *err) {
    int64_t need = d->n_values + more;
    if (need <= d->fixed_cap && d->fixed) return NL_OK;
    int64_t cap = d->fixed_cap ? d->fixed_cap : 1024;
    while (cap < need) cap *= 2;
    /* 16 spare bytes let conversions read a little past the end safely. */
    uint8_t *p = nl_aligned_realloc(d->fixed, d->fixed ? (size_t)d->fixed_cap * (size_t)d->width + 16 : 0,
                                    (size_t)cap * (size_t)d->width + 16);
    NL_CHECK_ALLOC(p, err);
    d->fixed = p;
    d->fixed_cap = cap;
    return NL_OK;
}

static nl_status scratch(chunk_state *s, size_t n, nl_error *err) {
    if (n <= s->buf_cap) return NL_OK;
    size_t cap = s->buf_cap ? s->buf_cap : 65536;
    while (cap < n) cap *= 2;
    nl_aligned_free(s->buf);
    s->buf = nl_aligned_alloc(cap + 16);
    s->buf_cap = s->buf ? cap : 0;
    NL_CHECK_ALLOC(s->buf, err);
    return NL_OK;
}

/* ---- values ---- */

/* PLAIN values of the chunk's physical type: into dict storage or out. */
static nl_status decode_plain(chunk_state *s, const uint8_t *p, size_t len, int64_t n,
                              uint8_t *fixed_dst, pq_bytes_out *bytes_dst, nl_error *err) {
    const pq_leaf_info *li = s->ctx->leaf;
    if (li->physical == PQ_BYTE_ARRAY) return pq_plain_byte_array(p, len, n, bytes_dst, NULL, err);
    if (li->physical == PQ_BOOLEAN) {
        if ((uint64_t)(n + 7) / 8 > len)
            return nl_error_set(err, NL_ECORRUPT, "PLAIN booleans truncated");
        for (int64_t i = 0; i < n; i++) fixed_dst[i] = (p[i >> 3] >> (i & 7)) & 1;
        return NL_OK;
    }
    return pq_plain_fixed(p, len, s->width, fixed_dst, n, NULL, err);
}

static nl_status decode_dictionary_page(chunk_state *s, const pq_page_header *h, const uint8_t *p,
                                        size_t len, nl_error *err) {
    if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
        return nl_error_set(err, NL_ENOTSUP, "dictionary page encoded as %s",
                            pq_encoding_name(h->encoding));
    if (s->has_dict) return nl_error_set(err, NL_ECORRUPT, "a second dictionary page");
    int64_t n = h->num_values;
    if (s->ctx->leaf->physical == PQ_BYTE_ARRAY) {
        NL_TRY(decode_plain(s, p, len, n, NULL, &s->dict_bytes, err));
    } else {
        bool is_bool = s->ctx->leaf->physical == PQ_BOOLEAN;
        if ((is_bool && (uint64_t)n > (uint64_t)len * 8) ||
            (!is_bool && (uint64_t)n * (uint64_t)s->width > len))
            return nl_error_set(err, NL_ECORRUPT, "dictionary of %lld values in %zu bytes",
                                (long long)n, len);
        s->dict_fixed = nl_aligned_alloc((size_t)(n ? n : 1) * (size_t)s->width + 16);
        NL_CHECK_ALLOC(s->dict_fixed, err);
        NL_TRY(decode_plain(s, p, len, n, s->dict_fixed, NULL, err));
    }
    s->dict_n = n;
    s->has_dict = true;
    return NL_OK;
}

static nl_status decode_dict_indices(chunk_state *s, const uint8_t *p, size_t len, int64_t n,
                                     nl_error *err) {
    if (!s->has_dict) return nl_error_set(err, NL_ECORRUPT, "dictionary-encoded page without a dictionary");
    if (n == 0) return NL_OK;
    if (len < 1) return nl_error_set(err, NL_ECORRUPT, "dictionary indices: missing bit width");
    int width = p[0];
    if (width > 32) return nl_error_set(err, NL_ECORRUPT, "dictionary indices: bit width %d", width);
    pq_rle d;
    pq_rle_init(&d, p + 1, len - 1, width);
    pq_leaf_data *out = s->out;
    uint32_t idx[PQ_INDEX_CHUNK];
    const uint32_t dn = (uint32_t)s->dict_n;
    bool is_bytes = s->ctx->leaf->physical == PQ_BYTE_ARRAY;
    if (!is_bytes) NL_TRY(reserve_fixed(out, n, err));
    for (int64_t done = 0; done < n;) {
        int64_t k = n - done < PQ_INDEX_CHUNK ? n - done : PQ_INDEX_CHUNK;
        int64_t got = pq_rle_get_u32(&d, idx, k);
        if (got < k)
            return nl_error_set(err, NL_ECORRUPT, "dictionary indices: %s",
                                d.failed ? d.why : "fewer indices than values");
        uint32_t bad = 0;
        for (int64_t i = 0; i < k; i++) bad |= idx[i] >= dn;
        if (bad) return nl_error_set(err, NL_ECORRUPT, "dictionary index beyond the %u entries", dn);
        if (is_bytes) {
            const int32_t *doff = s->dict_bytes.offsets;
            int64_t total = 0;
            for (int64_t i = 0; i < k; i++) total += doff[idx[i] + 1] - doff[idx[i]];
            NL_TRY(pq_bytes_out_reserve(&out->bytes, k, total, err));
            int32_t *offs = out->bytes.offsets + out->bytes.count;
            uint8_t *dst = out->bytes.data;
            int64_t dl = out->bytes.data_len;
            const uint8_t *src = s->dict_bytes.data;
            for (int64_t i = 0; i < k; i++) {
                int32_t a = doff[idx[i]], l = doff[idx[i] + 1] - a;
                memcpy(dst + dl, src + a, (size_t)l);
                dl += l;
                offs[i + 1] = (int32_t)dl;
            }
            out->bytes.data_len = dl;
            out->bytes.count += k;
        } else {
            uint8_t *dst = out->fixed + (size_t)out->n_values * (size_t)out->width;
            switch (s->width) {
            case 4: {
                const uint32_t *dv = (const uint32_t *)s->dict_fixed;
                uint32_t *o = (uint32_t *)dst;
                for (int64_t i = 0; i < k; i++) o[i] = dv[idx[i]];
                break;
            }
            case 8: {
                const uint64_t *dv = (const uint64_t *)s->dict_fixed;
                uint64_t *o = (uint64_t *)dst;
                for (int64_t i = 0; i < k; i++) o[i] = dv[idx[i]];
                break;
            }
            case 1:
                for (int64_t i = 0; i < k; i++) dst[i] = s->dict_fixed[idx[i]];
                break;
            default:
                for (int64_t i = 0; i < k; i++)
                    memcpy(dst + i * s->width, s->dict_fixed + (size_t)idx[i] * (size_t)s->width,
                           (size_t)s->width);
            }
            out->n_values += k;
        }
        done += k;
    }
    if (is_bytes) out->n_values += n;
    return NL_OK;
}

static nl_status decode_values(chunk_state *s, int32_t encoding, const uint8_t *p, size_t len,
                               int64_t n, nl_error *err) {
    const pq_leaf_info *li = s->ctx->leaf;
    pq_leaf_data *out = s->out;
    bool is_bytes = li->physical == PQ_BYTE_ARRAY;
    switch (encoding) {
    case PQ_ENC_PLAIN:
        if (is_bytes) {
            NL_TRY(pq_plain_byte_array(p, len, n, &out->bytes, NULL, err));
        } else {
            NL_TRY(reserve_fixed(out, n, err));
            NL_TRY(decode_plain(s, p, len, n, out->fixed + (size_t)out->n_values * (size_t)s->width,
                                NULL, err));
        }
        out->n_values += n;
        return NL_OK;
    case PQ_ENC_PLAIN_DICTIONARY:
    case PQ_ENC_RLE_DICTIONARY: return decode_dict_indices(s, p, len, n, err);
    case PQ_ENC_RLE: {
        if (li->physical != PQ_BOOLEAN)
            return nl_error_set(err, NL_ENOTSUP, "RLE encoding for %s values", pq_type_name(li->physical));
        if (len < 4) return nl_error_set(err, NL_ECORRUPT, "RLE booleans: truncated length");
        uint32_t l;
        memcpy(&l, p, 4);
        if (l > len - 4) return nl_error_set(err, NL_ECORRUPT, "RLE booleans: length beyond the page");
        NL_TRY(reserve_fixed(out, n, err));
        pq_rle d;
        pq_rle_init(&d, p + 4, l, 1);
        uint32_t tmp[PQ_INDEX_CHUNK];
        uint8_t *dst = out->fixed + out->n_values;
        for (int64_t done = 0; done < n;) {
            int64_t k = n - done < PQ_INDEX_CHUNK ? n - done : PQ_INDEX_CHUNK;
            if (pq_rle_get_u32(&d, tmp, k) < k)
                return nl_error_set(err, NL_ECORRUPT, "RLE booleans: fewer values than expected");
            for (int64_t i = 0; i < k; i++) dst[done + i] = (uint8_t)(tmp[i] & 1);
            done += k;
        }
        out->n_values += n;
        return NL_OK;
    }
    case PQ_ENC_DELTA_BINARY_PACKED: {
        if (li->physical != PQ_INT32 && li->physical != PQ_INT64)
            return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED for %s values", pq_type_name(li->physical));
        NL_TRY(reserve_fixed(out, n, err));
        int64_t got = 0;
        size_t used = 0;
        if (li->physical == PQ_INT64) {
            NL_TRY(pq_delta_decode(p, len, (int64_t *)(void *)(out->fixed + (size_t)out->n_values * 8), n, &got,
                                   &used, err));
        } else {
            if (n > s->wide_cap) {
                nl_aligned_free(s->wide);
                s->wide = nl_aligned_alloc((size_t)n * 8);
                s->wide_cap = s->wide ? n : 0;
                NL_CHECK_ALLOC(s->wide, err);
            }
            NL_TRY(pq_delta_decode(p, len, s->wide, n, &got, &used, err));
            const int64_t *src = s->wide;
            int32_t *dst = (int32_t *)(void *)(out->fixed + (size_t)out->n_values * 4);
            for (int64_t i = 0; i < got; i++) dst[i] = (int32_t)(uint32_t)(uint64_t)src[i];
        }
        if (got < n) return nl_error_set(err, NL_ECORRUPT, "DELTA_BINARY_PACKED: %lld values, expected %lld",
                                         (long long)got, (long long)n);
        out->n_values += n;
        return NL_OK;
    }
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
        if (!is_bytes) return nl_error_set(err, NL_ECORRUPT, "DELTA_LENGTH_BYTE_ARRAY for %s values", pq_type_name(li->physical));
        NL_TRY(pq_delta_length_byte_array(p, len, n, &out->bytes, err));
        out->n_values += n;
        return NL_OK;
    case PQ_ENC_DELTA_BYTE_ARRAY:
        if (is_bytes) {
            NL_TRY(pq_delta_byte_array(p, len, n, &out->bytes, err));
        } else if (li->physical == PQ_FIXED_LEN_BYTE_ARRAY) {
            pq_bytes_out tmp = {0};
            nl_status st = pq_delta_byte_array(p, len, n, &tmp, err);
            if (st == NL_OK && tmp.data_len != n * (int64_t)s->width)
                st = nl_error_set(err, NL_ECORRUPT, "DELTA_BYTE_ARRAY: values of the wrong fixed length");
            if (st == NL_OK) st = reserve_fixed(out, n, err);
            if (st == NL_OK && n) memcpy(out->fixed + (size_t)out->n_values * (size_t)s->width, tmp.data, (size_t)tmp.data_len);
            pq_bytes_out_free(&tmp);
            NL_TRY(st);
        } else {
            return nl_error_set(err, NL_ECORRUPT, "DELTA_BYTE_ARRAY for %s values", pq_type_name(li->physical));
        }
        out->n_values += n;
        return NL_OK;
    case PQ_ENC_BYTE_STREAM_SPLIT:
        if (is_bytes || li->physical == PQ_BOOLEAN)
            return nl_error_set(err, NL_ECORRUPT, "BYTE_STREAM_SPLIT for %s values", pq_type_name(li->physical));
        NL_TRY(reserve_fixed(out, n, err));
        /* Streams are n values long: the page's values are all present. */
        NL_TRY(pq_byte_stream_split(p, len, s->width, n,
                                    out->fixed + (size_t)out->n_values * (size_t)s->width, err));
        out->n_values += n;
        return NL_OK;
    default:
        return nl_error_set(err, NL_ENOTSUP, "value encoding %s (%d)", pq_encoding_name(encoding), encoding);
    }
}

/* ---- data pages ---- */

static int64_t count_present(const int16_t *def, int64_t n, int16_t max_def) {
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++) c += def[i] == max_def;
    return c;
}

static nl_status decode_data_page(chunk_state *s, const pq_page_header *h, const uint8_t *page,
                                  size_t page_len, nl_error *err) {
    const pq_leaf_info *li = s->ctx->leaf;
    const pq_column_meta *cm = s->ctx->meta;
    pq_leaf_data *out = s->out;
    int64_t n = h->num_values;
    NL_TRY(reserve_levels(out, li, n, err));
    const uint8_t *values;
    size_t values_len;
    if (h->type == PQ_PAGE_DATA) {
        /* v1: the whole page is compressed, levels included. */
        const uint8_t *p = page;
        size_t len = page_len;
        if (cm->codec != PQ_CODEC_UNCOMPRESSED) {
            NL_TRY(scratch(s, (size_t)h->uncompressed_size, err));
            NL_TRY(pq_decompress(cm->codec, page, page_len, s->buf, (size_t)h->uncompressed_size, err));
            p = s->buf;
            len = (size_t)h->uncompressed_size;
        }
        size_t used;
        if (li->max_rep > 0) {
            NL_TRY(pq_decode_levels(h->rep_encoding, true, p, len, li->max_rep,
                                    out->rep + out->n_levels, n, &used, err));
            p += used, len -= used;
        }
        if (li->max_def > 0) {
            NL_TRY(pq_decode_levels(h->def_encoding, true, p, len, li->max_def,
                                    out->def + out->n_levels, n, &used, err));
            p += used, len -= used;
        }
        values = p;
        values_len = len;
    } else {
        /* v2: levels first, never compressed; then the values, maybe compressed. */
        uint64_t lv = (uint64_t)h->rep_length + (uint64_t)h->def_length;
        if (lv > page_len) return nl_error_set(err, NL_ECORRUPT, "v2 page levels longer than the page");
        const uint8_t *p = page;
        size_t used;
        if (li->max_rep > 0) {
            NL_TRY(pq_decode_levels(PQ_ENC_RLE, false, p, (size_t)h->rep_length, li->max_rep,
                                    out->rep + out->n_levels, n, &used, err));
        } /* else: some writers emit levels for flat columns; they are skipped */
        p += h->rep_length;
        if (li->max_def > 0) {
            NL_TRY(pq_decode_levels(PQ_ENC_RLE, false, p, (size_t)h->def_length, li->max_def,
                                    out->def + out->n_levels, n, &used, err));
        }
        p += h->def_length;
        size_t rest = page_len - (size_t)lv;
        int64_t raw = (int64_t)h->uncompressed_size - (int64_t)lv;
        if (raw < 0) return nl_error_set(err, NL_ECORRUPT, "v2 page: uncompressed size below its levels");
        if (h->is_compressed && cm->codec != PQ_CODEC_UNCOMPRESSED && !(rest == 0 && raw == 0)) {
            NL_TRY(scratch(s, (size_t)raw, err));
            NL_TRY(pq_decompress(cm->codec, p, rest, s->buf, (size_t)raw, err));
            values = s->buf;
            values_len = (size_t)raw;
        } else {
            values = p;
            values_len = rest;
        }
    }
    if (li->max_rep > 0 && n > 0 && out->n_levels == 0 && out->rep[0] != 0)
        return nl_error_set(err, NL_ECORRUPT,
                            "the column chunk starts with repetition level %d, not 0 (no row starts there)",
                            (int)out->rep[0]);
    int64_t present = li->max_def > 0 ? count_present(out->def + out->n_levels, n, li->max_def) : n;
    if (h->type == PQ_PAGE_DATA_V2 && li->max_def > 0 && h->num_nulls != n - present && h->num_nulls != 0) {
        /* num_nulls disagrees with the levels; trust the levels. */
    }
    out->n_levels += n;
    if (li->conv == PQ_CONV_NULL) {
        return NL_OK; /* values of the UNKNOWN type are all null */
    }
    return decode_values(s, h->encoding, values, values_len, present, err);
}

nl_status pq_decode_chunk(const pq_chunk_ctx *ctx, const uint8_t *chunk, size_t len,
                          pq_leaf_data *out, nl_error *err) {
    const pq_leaf_info *li = ctx->leaf;
    const pq_column_meta *cm = ctx->meta;
    memset(out, 0, sizeof *out);
    chunk_state s = {.ctx = ctx, .out = out, .width = physical_width(li)};
    s.page_offset = ctx->chunk_offset;
    out->width = s.width;
    if (li->physical == PQ_FIXED_LEN_BYTE_ARRAY && s.width <= 0) {
        nl_error_set(err, NL_ECORRUPT, "fixed-length column of width %d", s.width);
        return fail(&s, err);
    }
    if (!pq_codec_supported(cm->codec)) {
        nl_error_set(err, NL_ENOTSUP, "compression codec %s is not supported",
                     pq_codec_name(cm->codec));
        return fail(&s, err);
    }
    int64_t expect = cm->num_values;
    int64_t first = expect < PQ_INITIAL_RESERVE ? expect : PQ_INITIAL_RESERVE;
    nl_status st = reserve_levels(out, li, first, err);
    if (st == NL_OK && s.width > 0 && li->conv != PQ_CONV_NULL) st = reserve_fixed(out, first, err);
    if (st == NL_OK && li->physical == PQ_BYTE_ARRAY) {
        /* The uncompressed size bounds the value bytes: reserving it up front
         * saves the copies of growing (capped, since it is only a claim). */
        int64_t guess = cm->total_uncompressed_size;
        if (guess > PQ_MAX_BYTES_GUESS) guess = PQ_MAX_BYTES_GUESS;
        if (guess < 0) guess = 0;
        st = pq_bytes_out_reserve(&out->bytes, first, guess, err);
    }
    size_t pos = 0;
    while (st == NL_OK && pos < len && out->n_levels < expect) {
        s.page_offset = ctx->chunk_offset + (int64_t)pos;
        pq_page_header h;
        st = pq_page_header_decode(chunk + pos, len - pos, &h, err);
        if (st != NL_OK) break;
        size_t body = (size_t)h.header_size;
        if ((uint64_t)h.compressed_size > len - pos - body) {
            st = nl_error_set(err, NL_ECORRUPT, "page extends beyond its column chunk");
            break;
        }
        const uint8_t *page = chunk + pos + body;
        size_t page_len = (size_t)h.compressed_size;
        if (h.has_crc && ctx->verify_crc) {
            uint32_t crc = (uint32_t)crc32(0L, page, (uInt)page_len);
            if (crc != h.crc) {
                st = nl_error_set(err, NL_ECORRUPT, "page CRC mismatch (stored %08x, computed %08x)",
                                  h.crc, crc);
                break;
            }
        }
        switch (h.type) {
        case PQ_PAGE_DICTIONARY: {
            const uint8_t *p = page;
            if (cm->codec != PQ_CODEC_UNCOMPRESSED) {
                st = scratch(&s, (size_t)h.uncompressed_size, err);
                if (st == NL_OK)
                    st = pq_decompress(cm->codec, page, page_len, s.buf, (size_t)h.uncompressed_size, err);
                p = s.buf;
            } else if ((size_t)h.uncompressed_size != page_len) {
                st = nl_error_set(err, NL_ECORRUPT, "uncompressed page sizes disagree");
            }
            if (st == NL_OK) st = decode_dictionary_page(&s, &h, p, (size_t)h.uncompressed_size, err);
            break;
        }
        case PQ_PAGE_DATA:
        case PQ_PAGE_DATA_V2:
            if (h.num_values > expect - out->n_levels) {
                st = nl_error_set(err, NL_ECORRUPT, "pages hold more values than the column chunk's %lld",
                                  (long long)expect);
                break;
            }
            st = decode_data_page(&s, &h, page, page_len, err);
            break;
        default: break; /* index pages and unknown pages are skipped */
        }
        pos += body + page_len;
    }
    if (st == NL_OK && out->n_levels != expect)
        st = nl_error_set(err, NL_ECORRUPT, "column chunk holds %lld values, its metadata says %lld",
                          (long long)out->n_levels, (long long)expect);
    nl_aligned_free(s.buf);
    nl_aligned_free(s.wide);
    nl_aligned_free(s.dict_fixed);
    pq_bytes_out_free(&s.dict_bytes);
    if (st != NL_OK) {
        fail(&s, err);
        pq_leaf_data_free(out);
    }
    return st;
}

nl_status pq_decode_dictionary(const pq_chunk_ctx *ctx, const uint8_t *data, size_t len,
                               pq_leaf_data *out, nl_error *err) {
    const pq_leaf_info *li = ctx->leaf;
    const pq_column_meta *cm = ctx->meta;
    memset(out, 0, sizeof *out);
    chunk_state s = {.ctx = ctx, .out = out, .width = physical_width(li)};
    s.page_offset = ctx->chunk_offset;
    out->width = s.width;
    pq_page_header h;
    nl_status st = pq_page_header_decode(data, len, &h, err);
    if (st == NL_OK && h.type != PQ_PAGE_DICTIONARY)
        st = nl_error_set(err, NL_ECORRUPT, "expected a dictionary page");
    if (st == NL_OK && (uint64_t)h.compressed_size > len - (size_t)h.header_size)
        st = nl_error_set(err, NL_ECORRUPT, "dictionary page beyond its range");
    if (st == NL_OK && !pq_codec_supported(cm->codec))
        st = nl_error_set(err, NL_ENOTSUP, "codec %s", pq_codec_name(cm->codec));
    const uint8_t *p = data + (st == NL_OK ? h.header_size : 0);
    if (st == NL_OK && cm->codec != PQ_CODEC_UNCOMPRESSED) {
        st = scratch(&s, (size_t)h.uncompressed_size, err);
        if (st == NL_OK)
            st = pq_decompress(cm->codec, p, (size_t)h.compressed_size, s.buf,
                               (size_t)h.uncompressed_size, err);
        p = s.buf;
    } else if (st == NL_OK && h.uncompressed_size != h.compressed_size) {
        st = nl_error_set(err, NL_ECORRUPT, "uncompressed page sizes disagree");
    }
    if (st == NL_OK) st = decode_dictionary_page(&s, &h, p, (size_t)h.uncompressed_size, err);
    if (st == NL_OK) {
        out->n_levels = out->n_values = s.dict_n;
        out->levels_cap = s.dict_n;
        out->fixed = s.dict_fixed;
        out->fixed_cap = s.dict_n;
        out->bytes = s.dict_bytes;
        s.dict_fixed = NULL;
        memset(&s.dict_bytes, 0, sizeof s.dict_bytes);
    }
    nl_aligned_free(s.buf);
    nl_aligned_free(s.dict_fixed);
    pq_bytes_out_free(&s.dict_bytes);
    if (st != NL_OK) fail(&s, err);
    return st;
}
