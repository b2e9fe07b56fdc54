/*
 * s3_sign.h -- AWS Signature Version 4 for S3 requests, with libcrypto:
 * canonical request, string to sign, signing key and the Authorization header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 * Pure functions of their inputs, so the published examples test them.
 */
#ifndef NL_IO_S3_SIGN_H
#define NL_IO_S3_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "neuralake.h"

/* SHA-256 of nothing: the payload hash of a request without a body. */
#define S3_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct s3_kv {
    const char *name;
    const char *value;
} s3_kv;

typedef struct s3_sign_request {
    const char *method;        /* "GET", "PUT" ... */
    const char *path;          /* the URI path exactly as sent, already encoded ("/b/k%24") */
    const char *query;         /* canonical query as sent (see s3_query_build), "" if none */
    const s3_kv *headers;      /* the headers to sign: host and x-amz-* at least */
    int n_headers;
    const char *payload_hash;  /* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
    const char *amz_date;      /* "YYYYMMDDTHHMMSSZ", as in the x-amz-date header */
    const char *region;
    const char *service;       /* "s3" */
    const char *access_key;
    const char *secret_key;
} s3_sign_request;

/* The Authorization header's value (owned by the caller). */
nl_status s3_sign(const s3_sign_request *req, char **authorization, nl_error *err);
/* The canonical request and string to sign, for tests and debugging (owned). */
char *s3_canonical_request(const s3_sign_request *req);
char *s3_string_to_sign(const s3_sign_request *req);

/* Percent-encodes as SigV4 wants: unreserved A-Z a-z 0-9 - _ . ~ kept, '/'
 * kept when keep_slash (object key paths), everything else %XX. Owned. */
char *s3_uri_encode(const char *s, int keep_slash);
/* The query string for params (values may be NULL for bare names, sent as
 * "name="), encoded and sorted by name: the same text goes on the URL and
 * into the signature. Owned. */
char *s3_query_build(const s3_kv *params, int n);
/* Hex SHA-256 of data into out[65]. */
void s3_sha256_hex(const void *data, size_t len, char out[65]);
/* "YYYYMMDDTHHMMSSZ" for a time. */
void s3_amz_date(int64_t unix_seconds, char out[17]);

#endif
