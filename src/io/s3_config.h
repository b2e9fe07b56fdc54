/*
 * s3_config.h -- resolving S3 settings from options, the environment and the
 * AWS shared config files (the order is documented in s3.h).
 */
#ifndef NL_IO_S3_CONFIG_H
#define NL_IO_S3_CONFIG_H

#include <stdbool.h>

#include "io/s3.h"

typedef struct s3_config {
    char *access_key, *secret_key, *session_token; /* NULL when anonymous */
    char *region;
    char *endpoint;   /* scheme://host[:port], no trailing '/' */
    bool custom_endpoint;
    nl_s3_addressing addressing; /* resolved for AWS: AUTO means decide per bucket */
    char *key_source; /* where the keys came from, for messages */
} s3_config;

nl_status s3_config_resolve(const nl_s3_options *opts, s3_config *out, nl_error *err);
void s3_config_free(s3_config *c);

/* Where a request for bucket/key goes: the Host header, the encoded path (as
 * signed) and the full URL. Virtual-hosted addressing puts the bucket in the
 * host name, path-style in the path; AUTO picks virtual-hosted unless the
 * bucket name has dots (they break TLS host names). An endpoint may carry a
 * path prefix ("http://host:9000/s3"). */
typedef struct s3_address {
    char *host, *path, *url;
} s3_address;

nl_status s3_address_build(const s3_config *cfg, const char *bucket, const char *key,
                           const char *query, s3_address *out, nl_error *err);
void s3_address_free(s3_address *a);

/* The value of `key` in `[section]` of an INI file (owned), or NULL. */
char *s3_ini_get(const char *path, const char *section, const char *key);

#endif
