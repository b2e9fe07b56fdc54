/*
 * s3.h -- the S3 backend's settings and constructor, for callers that need
 * more than nl_store_open("s3://...") (which takes everything from the
 * environment): a catalog table can override endpoint, region and keys.
 *
 * Settings are resolved as the AWS tools resolve them. Each field, when NULL
 * (or 0), falls back in this order:
 *   keys:     AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
 *             then the profile in ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE),
 *             then the profile in ~/.aws/config (AWS_CONFIG_FILE);
 *             none at all means unsigned (anonymous) requests;
 *   profile:  AWS_PROFILE, else "default";
 *   region:   AWS_REGION, AWS_DEFAULT_REGION, the profile's region, "us-east-1";
 *   endpoint: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url,
 *             else https://s3.<region>.amazonaws.com;
 *   addressing: NEURALAKE_S3_ADDRESSING_STYLE (path|virtual), the profile's
 *             s3 addressing_style, else path-style for a custom endpoint and
 *             virtual-hosted for AWS (path-style when the bucket has dots).
 */
#ifndef NL_IO_S3_H
#define NL_IO_S3_H

#include <stdint.h>

#include "io/http_client.h"
#include "io/store.h"

typedef enum nl_s3_addressing {
    NL_S3_ADDRESSING_AUTO = 0,
    NL_S3_ADDRESSING_PATH,
    NL_S3_ADDRESSING_VIRTUAL
} nl_s3_addressing;

typedef struct nl_s3_options {
    const char *endpoint; /* "http://127.0.0.1:7480" */
    const char *region;
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    const char *profile;
    nl_s3_addressing addressing;
    int max_attempts;          /* 0: the default (see http_client.h) */
    int64_t retry_budget_ms;   /* 0: the default */
    int64_t stall_timeout_ms;  /* 0: the default */
    int64_t part_size;         /* multipart part size, 0: 8 MiB (min 5 MiB) */
    int upload_parallelism;    /* parts in flight, 0: 4 */
} nl_s3_options;

/* A store for s3:// URIs with these settings (NULL = all from the
 * environment). Close with nl_store_close. */
nl_status nl_s3_store_new(const nl_s3_options *opts, nl_store **out, nl_error *err);

/* Request counters of the HTTP engine behind an S3 or HTTP store (also
 * through the read cache); stores opened with the same retry settings share
 * one engine, and so its connections and its counters. NL_EINVAL for other
 * stores. */
nl_status nl_store_http_stats(nl_store *s, io_http_stats *out, nl_error *err);
void nl_store_http_stats_reset(nl_store *s);

#endif
