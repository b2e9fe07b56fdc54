/*
 * error.h -- building nl_error messages.
 *
 * Errors are values (docs/ARCHITECTURE.md): a failing function returns its
 * nl_status and fills the caller's nl_error with what, where and why. Callers
 * on the way up add context with nl_error_prefix ("reading 'x.parquet': ...").
 */
#ifndef NL_BASE_ERROR_H
#define NL_BASE_ERROR_H

#include "neuralake.h"

#if defined(__GNUC__)
#define NL_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#define NL_UNUSED __attribute__((unused))
#define NL_LIKELY(x) __builtin_expect(!!(x), 1)
#define NL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define NL_PRINTF(fmt_index, first_arg)
#define NL_UNUSED
#define NL_LIKELY(x) (x)
#define NL_UNLIKELY(x) (x)
#endif

/* Sets err (if not NULL) to code and the formatted message; returns code, so a
 * caller can write `return nl_error_set(err, NL_EINVAL, "bad %s", x);`. */
nl_status nl_error_set(nl_error *err, nl_status code, const char *fmt, ...) NL_PRINTF(3, 4);

/* Prepends formatted context to err's message ("context: old message"). The
 * code is kept. Safe on NULL err. */
void nl_error_prefix(nl_error *err, const char *fmt, ...) NL_PRINTF(2, 3);

/* Resets err to NL_OK with an empty message. */
void nl_error_clear(nl_error *err);

/* Evaluates a call returning nl_status and returns its status from the
 * enclosing function when it is not NL_OK. */
#define NL_TRY(expr)                                                                               \
    do {                                                                                           \
        nl_status nl_try_status_ = (expr);                                                         \
        if (NL_UNLIKELY(nl_try_status_ != NL_OK)) return nl_try_status_;                           \
    } while (0)

/* Returns NL_ENOMEM with a message when ptr is NULL. */
#define NL_CHECK_ALLOC(ptr, err)                                                                   \
    do {                                                                                           \
        if (NL_UNLIKELY((ptr) == NULL))                                                            \
            return nl_error_set((err), NL_ENOMEM, "out of memory (%s:%d)", __FILE__, __LINE__);   \
    } while (0)

#endif
