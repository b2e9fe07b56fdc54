/*
 * files.c -- finding a table's data files through the object store (a file,
 * a glob, a directory tree, a narrowed partition prefix) and reading whole
 * objects with transparent .gz / .zst decompression (for CSV and NDJSON).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "catalog/tables.h"

static bool has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Whether the part of `uri` after `root` has a hidden or underscore component. */
static bool is_hidden(const char *uri, size_t root_len) {
    const char *p = uri + root_len;
    while (*p == '/') p++;
    while (*p) {
        if (*p == '.' || *p == '_') return true;
        const char *slash = strchr(p, '/');
        if (!slash) break;
        p = slash + 1;
    }
    return false;
}

static bool ext_ok(const char *uri, const char *const *exts) {
    if (!exts) return true;
    for (size_t i = 0; exts[i]; i++)
        if (ends_with(uri, exts[i])) return true;
    return false;
}

static int cmp_info(const void *a, const void *b) {
    return strcmp(((const nl_object_info *)a)->uri, ((const nl_object_info *)b)->uri);
}

/* Keeps the items for which keep() holds (frees the others). */
static void filter_list(nl_object_list *l, const char *pattern, size_t root_len,
                        const char *const *exts) {
    int64_t w = 0;
    int flags = strstr(pattern ? pattern : "", "**") ? 0 : FNM_PATHNAME;
    for (int64_t i = 0; i < l->count; i++) {
        nl_object_info *it = &l->items[i];
        bool keep = !it->is_prefix && !is_hidden(it->uri, root_len);
        if (keep && pattern) keep = fnmatch(pattern, it->uri, flags) == 0;
        if (keep && !pattern) keep = ext_ok(it->uri, exts);
        if (keep) {
            l->items[w++] = *it;
        } else {
            nl_free(it->uri);
        }
    }
    l->count = w;
    if (l->count > 1) qsort(l->items, (size_t)l->count, sizeof *l->items, cmp_info);
}

nl_status cat_list_files(nl_store *store, const char *uri, const char *prefix,
                         const char *const *exts, nl_object_list *out, char **root,
                         nl_error *err) {
    memset(out, 0, sizeof *out);
    *root = NULL;
    size_t n = strlen(uri);
    while (n > 1 && uri[n - 1] == '/') n--;
    if (has_glob(uri)) {
        const char *g = strpbrk(uri, "*?[");
        const char *slash = g;
        while (slash > uri && slash[-1] != '/') slash--;
        char *base = nl_strndup(uri, (size_t)(slash - uri));
        NL_CHECK_ALLOC(base, err);
        nl_status st = nl_store_list(store, base, NULL, out, err);
        if (st != NL_OK) {
            nl_free(base);
            return st;
        }
        size_t root_len = strlen(base);
        filter_list(out, uri, root_len, NULL);
        while (root_len > 1 && base[root_len - 1] == '/') base[--root_len] = '\0';
        *root = base;
        return NL_OK;
    }
    char *dir = nl_strndup(uri, n);
    NL_CHECK_ALLOC(dir, err);
    if (uri[strlen(uri) - 1] != '/' && !prefix) {
        nl_object_info info;
        nl_error herr = {0};
        nl_status st = nl_store_head(store, dir, &info, &herr);
        if (st == NL_OK) {
            out->items = nl_calloc(1, sizeof *out->items);
            if (!out->items) {
                nl_free(info.uri);
                nl_free(dir);
                return nl_error_set(err, NL_ENOMEM, "out of memory");
            }
            out->items[0] = info;
            out->count = out->cap = 1;
            nl_free(dir);
            return NL_OK;
        }
        if (st != NL_ENOTFOUND) {
            nl_free(dir);
            if (err) *err = herr;
            return st;
        }
    }
    char *list_prefix = nl_asprintf("%s/%s", dir, prefix ? prefix : "");
    if (!list_prefix) {
        nl_free(dir);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    nl_status st = nl_store_list(store, list_prefix, NULL, out, err);
    nl_free(list_prefix);
    if (st != NL_OK) {
        nl_free(dir);
        return st;
    }
    filter_list(out, NULL, n + 1, exts);
    if (out->count == 0 && !prefix) {
        nl_object_list_free(out);
        st = nl_error_set(err, NL_ENOTFOUND, "no data files at '%s'", uri);
        nl_free(dir);
        return st;
    }
    *root = dir;
    return NL_OK;
}

/* ---- whole objects, decompressed ---- */

#define CAT_MAX_INFLATED ((int64_t)1 << 34) /* 16 GiB: refuse decompression bombs */

static nl_status gunzip(const nl_buffer *in, const char *uri, nl_buffer **out, nl_error *err) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) /* 15 + 32: zlib or gzip header, detected */
        return nl_error_set(err, NL_ENOMEM, "cannot start gzip decoder");
    int64_t cap = in->size * 4 + 4096;
    nl_buffer *b = nl_buffer_new(cap);
    if (!b) {
        inflateEnd(&z);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    z.next_in = in->data;
    z.avail_in = (uInt)0;
    int64_t consumed = 0;
    int rc = Z_OK;
    for (;;) {
        if (z.avail_in == 0 && consumed < in->size) {
            int64_t chunk = in->size - consumed;
            if (chunk > (1 << 30)) chunk = 1 << 30;
            z.next_in = in->data + consumed;
            z.avail_in = (uInt)chunk;
            consumed += chunk;
        }
        if (b->size == b->capacity) {
            if (b->capacity >= CAT_MAX_INFLATED || !nl_buffer_reserve(b, b->capacity * 2)) {
                inflateEnd(&z);
                nl_buffer_unref(b);
                return nl_error_set(err, NL_ENOMEM, "'%s' inflates past the limit", uri);
            }
        }
        int64_t room = b->capacity - b->size;
        if (room > (1 << 30)) room = 1 << 30;
        z.next_out = b->data + b->size;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        b->size += room - (int64_t)z.avail_out;
        if (rc == Z_STREAM_END) {
            /* Concatenated gzip members continue. */
            if (z.avail_in == 0 && consumed >= in->size) break;
            if (inflateReset(&z) != Z_OK) break;
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && consumed >= in->size) break;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        nl_buffer_unref(b);
        return nl_error_set(err, NL_ECORRUPT, "'%s': bad or truncated gzip data", uri);
    }
    *out = b;
    return NL_OK;
}

static nl_status unzstd(const nl_buffer *in, const char *uri, nl_buffer **out, nl_error *err) {
    ZSTD_DStream *z = ZSTD_createDStream();
    if (!z) return nl_error_set(err, NL_ENOMEM, "cannot start zstd decoder");
    nl_buffer *b = nl_buffer_new(in->size * 4 + 4096);
    if (!b) {
        ZSTD_freeDStream(z);
        return nl_error_set(err, NL_ENOMEM, "out of memory");
    }
    ZSTD_inBuffer zin = {in->data, (size_t)in->size, 0};
    size_t rc = 1;
    while (zin.pos < zin.size || rc != 0) {
        if (b->size == b->capacity &&
            (b->capacity >= CAT_MAX_INFLATED || !nl_buffer_reserve(b, b->capacity * 2))) {
            ZSTD_freeDStream(z);
            nl_buffer_unref(b);
            return nl_error_set(err, NL_ENOMEM, "'%s' decompresses past the limit", uri);
        }
        ZSTD_outBuffer zout = {b->data + b->size, (size_t)(b->capacity - b->size), 0};
        size_t before = zin.pos;
        rc = ZSTD_decompressStream(z, &zout, &zin);
        if (ZSTD_isError(rc)) {
            ZSTD_freeDStream(z);
            nl_buffer_unref(b);
            return nl_error_set(err, NL_ECORRUPT, "'%s': bad zstd data (%s)", uri,
                                ZSTD_getErrorName(rc));
        }
        b->size += (int64_t)zout.pos;
        if (zout.pos == 0 && zin.pos == before && zin.pos == zin.size) break;
    }
    ZSTD_freeDStream(z);
    if (rc != 0) {
        nl_buffer_unref(b);
        return nl_error_set(err, NL_ECORRUPT, "'%s': truncated zstd data", uri);
    }
    *out = b;
    return NL_OK;
}

nl_status cat_read_object(nl_store *store, const char *uri, nl_buffer **out, nl_error *err) {
    *out = NULL;
    nl_buffer *raw = NULL;
    NL_TRY(nl_store_get(store, uri, &raw, err));
    nl_status st = NL_OK;
    if (ends_with(uri, ".gz") || ends_with(uri, ".gzip")) {
        st = gunzip(raw, uri, out, err);
        nl_buffer_unref(raw);
    } else if (ends_with(uri, ".zst") || ends_with(uri, ".zstd")) {
        st = unzstd(raw, uri, out, err);
        nl_buffer_unref(raw);
    } else {
        *out = raw;
    }
    return st;
}
