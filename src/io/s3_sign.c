/*
 * s3_sign.c -- AWS Signature Version 4 (see s3_sign.h). The four steps of the
 * specification, each a function: canonical request, string to sign, signing
 * key (an HMAC chain over date, region, service), signature.
 */
#include "io/s3_sign.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/strbuf.h"

static void hex(const unsigned char *d, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void s3_sha256_hex(const void *data, size_t len, char out[65]) {
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    hex(md, 32, out);
}

void s3_amz_date(int64_t unix_seconds, char out[17]) {
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int unreserved(unsigned char c) {
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

char *s3_uri_encode(const char *s, int keep_slash) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_reserve(&sb, strlen(s) + 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (unreserved(*p) || (keep_slash && *p == '/'))
            nl_strbuf_putc(&sb, (char)*p);
        else
            nl_strbuf_printf(&sb, "%%%02X", *p);
    }
    if (!sb.data) nl_strbuf_puts(&sb, "");
    return nl_strbuf_take(&sb);
}

typedef struct enc_kv {
    char *name, *value;
} enc_kv;

static int enc_kv_cmp(const void *a, const void *b) {
    const enc_kv *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

char *s3_query_build(const s3_kv *params, int n) {
    enc_kv *e = nl_calloc((size_t)(n > 0 ? n : 1), sizeof *e);
    if (!e) return NULL;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        e[i].name = s3_uri_encode(params[i].name, 0);
        e[i].value = s3_uri_encode(params[i].value ? params[i].value : "", 0);
        if (!e[i].name || !e[i].value) ok = false;
    }
    char *out = NULL;
    if (ok) {
        qsort(e, (size_t)n, sizeof *e, enc_kv_cmp);
        nl_strbuf sb = NL_STRBUF_INIT;
        nl_strbuf_puts(&sb, "");
        for (int i = 0; i < n; i++)
            nl_strbuf_printf(&sb, "%s%s=%s", i ? "&" : "", e[i].name, e[i].value);
        out = nl_strbuf_take(&sb);
    }
    for (int i = 0; i < n; i++) {
        nl_free(e[i].name);
        nl_free(e[i].value);
    }
    nl_free(e);
    return out;
}

typedef struct canon_header {
    char *name;  /* lower case */
    char *value; /* trimmed, inner runs of spaces collapsed */
} canon_header;

static int canon_cmp(const void *a, const void *b) {
    return strcmp(((const canon_header *)a)->name, ((const canon_header *)b)->name);
}

static char *canon_value(const char *v) {
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_puts(&sb, "");
    while (*v == ' ' || *v == '\t') v++;
    bool space = false;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            space = true;
            continue;
        }
        if (space) nl_strbuf_putc(&sb, ' ');
        space = false;
        nl_strbuf_putc(&sb, *v);
    }
    return nl_strbuf_take(&sb);
}

/* Canonical headers block and the signed header list. */
static bool canon_headers(const s3_sign_request *req, nl_strbuf *block, nl_strbuf *names) {
    int n = req->n_headers;
    canon_header *h = nl_calloc((size_t)(n > 0 ? n : 1), sizeof *h);
    if (!h) return false;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        h[i].name = nl_strdup(req->headers[i].name);
        h[i].value = canon_value(req->headers[i].value);
        if (!h[i].name || !h[i].value) {
            ok = false;
            continue;
        }
        for (char *p = h[i].name; *p; p++) *p = (char)tolower((unsigned char)*p);
    }
    if (ok) {
        qsort(h, (size_t)n, sizeof *h, canon_cmp);
        for (int i = 0; i < n; i++) {
            nl_strbuf_printf(block, "%s:%s\n", h[i].name, h[i].value);
            nl_strbuf_printf(names, "%s%s", i ? ";" : "", h[i].name);
        }
    }
    for (int i = 0; i < n; i++) {
        nl_free(h[i].name);
        nl_free(h[i].value);
    }
    nl_free(h);
    return ok && !block->failed && !names->failed;
}

static char *signed_header_names(const s3_sign_request *req) {
    nl_strbuf block = NL_STRBUF_INIT, names = NL_STRBUF_INIT;
    bool ok = canon_headers(req, &block, &names);
    nl_strbuf_free(&block);
    if (!ok) {
        nl_strbuf_free(&names);
        return NULL;
    }
    nl_strbuf_puts(&names, "");
    return nl_strbuf_take(&names);
}

char *s3_canonical_request(const s3_sign_request *req) {
    nl_strbuf block = NL_STRBUF_INIT, names = NL_STRBUF_INIT;
    if (!canon_headers(req, &block, &names)) {
        nl_strbuf_free(&block);
        nl_strbuf_free(&names);
        return NULL;
    }
    nl_strbuf sb = NL_STRBUF_INIT;
    nl_strbuf_printf(&sb, "%s\n%s\n%s\n%s\n%s\n%s", req->method, req->path,
                     req->query ? req->query : "", block.data ? block.data : "",
                     names.data ? names.data : "", req->payload_hash);
    nl_strbuf_free(&block);
    nl_strbuf_free(&names);
    return nl_strbuf_take(&sb);
}

char *s3_string_to_sign(const s3_sign_request *req) {
    char *canon = s3_canonical_request(req);
    if (!canon) return NULL;
    char hash[65];
    s3_sha256_hex(canon, strlen(canon), hash);
    nl_free(canon);
    return nl_asprintf("AWS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aws4_request\n%s", req->amz_date,
                       req->amz_date, req->region, req->service, hash);
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32]) {
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

nl_status s3_sign(const s3_sign_request *req, char **authorization, nl_error *err) {
    *authorization = NULL;
    if (!req->amz_date || strlen(req->amz_date) != 16)
        return nl_error_set(err, NL_EINVAL, "bad x-amz-date '%s'", req->amz_date ? req->amz_date : "");
    char *sts = s3_string_to_sign(req);
    char *names = signed_header_names(req);
    char *key0 = nl_asprintf("AWS4%s", req->secret_key);
    if (!sts || !names || !key0) {
        nl_free(sts);
        nl_free(names);
        nl_free(key0);
        return nl_error_set(err, NL_ENOMEM, "out of memory signing a request");
    }
    char date[9];
    memcpy(date, req->amz_date, 8);
    date[8] = '\0';
    unsigned char k_date[32], k_region[32], k_service[32], k_signing[32], sig[32];
    hmac(key0, strlen(key0), date, k_date);
    hmac(k_date, 32, req->region, k_region);
    hmac(k_region, 32, req->service, k_service);
    hmac(k_service, 32, "aws4_request", k_signing);
    hmac(k_signing, 32, sts, sig);
    char sig_hex[65];
    hex(sig, 32, sig_hex);
    *authorization =
        nl_asprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request,SignedHeaders=%s,"
                    "Signature=%s",
                    req->access_key, date, req->region, req->service, names, sig_hex);
    /* The secret-derived key material should not linger in freed memory. */
    OPENSSL_cleanse(key0, strlen(key0));
    OPENSSL_cleanse(k_signing, sizeof k_signing);
    nl_free(key0);
    nl_free(sts);
    nl_free(names);
    if (!*authorization) return nl_error_set(err, NL_ENOMEM, "out of memory signing a request");
    return NL_OK;
}
