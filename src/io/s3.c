/*
 * s3.c -- the S3 backend (placeholder until it lands): says it is not built.
 */
#include "base/error.h"
#include "io/io_internal.h"

nl_status io_s3_store_open_default(nl_store **out, nl_error *err) {
    *out = NULL;
    return nl_error_set(err, NL_ENOTSUP, "S3 support is not built yet");
}
