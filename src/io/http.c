/*
 * http.c -- the read-only HTTP(S) backend (placeholder until it lands).
 */
#include "base/error.h"
#include "io/io_internal.h"

nl_status io_http_store_new(nl_store **out, nl_error *err) {
    *out = NULL;
    return nl_error_set(err, NL_ENOTSUP, "HTTP support is not built yet");
}
