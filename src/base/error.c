/*
 * error.c -- status names, and building and prefixing nl_error messages.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *nl_version(void) { return NL_VERSION_STRING; }

const char *nl_status_name(nl_status status) {
    switch (status) {
    case NL_OK: return "ok";
    case NL_EINVAL: return "invalid argument";
    case NL_ENOMEM: return "out of memory";
    case NL_EIO: return "I/O error";
    case NL_ECORRUPT: return "corrupt data";
    case NL_ENOTSUP: return "not supported";
    case NL_ENOTFOUND: return "not found";
    case NL_EEXISTS: return "already exists";
    case NL_EOVERFLOW: return "overflow";
    case NL_ETYPE: return "type error";
    case NL_ESQL: return "SQL error";
    case NL_ECANCELLED: return "cancelled";
    case NL_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

nl_status nl_error_set(nl_error *err, nl_status code, const char *fmt, ...) {
    if (err) {
        err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void nl_error_prefix(nl_error *err, const char *fmt, ...) {
    if (!err) return;
    char prefix[NL_ERROR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    /* prefix + ": " + old message, cut to fit */
    char joined[NL_ERROR_SIZE];
    size_t plen = strnlen(prefix, sizeof joined - 1);
    memcpy(joined, prefix, plen);
    size_t pos = plen;
    if (pos + 2 < sizeof joined) {
        joined[pos++] = ':';
        joined[pos++] = ' ';
    }
    size_t olen = strnlen(err->message, sizeof err->message);
    if (olen > sizeof joined - 1 - pos) olen = sizeof joined - 1 - pos;
    memcpy(joined + pos, err->message, olen);
    joined[pos + olen] = '\0';
    memcpy(err->message, joined, pos + olen + 1);
}

void nl_error_clear(nl_error *err) {
    if (!err) return;
    err->code = NL_OK;
    err->message[0] = '\0';
}
