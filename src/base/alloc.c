/*
 * alloc.c -- the counting allocator.
 *
 * Each allocation carries a small header with its size, so nl_free can keep
 * the byte count exact without asking the C library. Counters are atomics:
 * allocation happens on every worker thread. The limit is checked before the
 * allocation; a racing pair may overshoot it by at most one allocation each,
 * which is fine for a guard against runaway queries.
 */
#include "base/alloc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "neuralake.h"

/* 16 bytes keeps the user pointer aligned for any scalar type (incl. __int128). */
#define HEADER_SIZE 16

static atomic_size_t g_in_use;
static atomic_size_t g_peak;
static atomic_size_t g_limit; /* 0 = none */

size_t nl_memory_in_use(void) { return atomic_load_explicit(&g_in_use, memory_order_relaxed); }
size_t nl_memory_peak(void) { return atomic_load_explicit(&g_peak, memory_order_relaxed); }
void nl_memory_set_limit(size_t bytes) { atomic_store(&g_limit, bytes); }

static bool account_add(size_t n) {
    size_t limit = atomic_load_explicit(&g_limit, memory_order_relaxed);
    size_t now = atomic_fetch_add_explicit(&g_in_use, n, memory_order_relaxed) + n;
    if (limit != 0 && now > limit) {
        atomic_fetch_sub_explicit(&g_in_use, n, memory_order_relaxed);
        return false;
    }
    size_t peak = atomic_load_explicit(&g_peak, memory_order_relaxed);
    while (now > peak &&
           !atomic_compare_exchange_weak_explicit(&g_peak, &peak, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
    return true;
}

static void account_sub(size_t n) { atomic_fetch_sub_explicit(&g_in_use, n, memory_order_relaxed); }

void *nl_malloc(size_t size) {
    if (size > SIZE_MAX - HEADER_SIZE) return NULL;
    if (!account_add(size)) return NULL;
    unsigned char *p = malloc(size + HEADER_SIZE);
    if (!p) {
        account_sub(size);
        return NULL;
    }
    memcpy(p, &size, sizeof size);
    return p + HEADER_SIZE;
}

void *nl_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    size_t total = count * size;
    if (total > SIZE_MAX - HEADER_SIZE) return NULL;
    if (!account_add(total)) return NULL;
    unsigned char *p = calloc(1, total + HEADER_SIZE);
    if (!p) {
        account_sub(total);
        return NULL;
    }
    memcpy(p, &total, sizeof total);
    return p + HEADER_SIZE;
}

void *nl_realloc(void *ptr, size_t size) {
    if (!ptr) return nl_malloc(size);
    if (size > SIZE_MAX - HEADER_SIZE) return NULL;
    unsigned char *base = (unsigned char *)ptr - HEADER_SIZE;
    size_t old;
    memcpy(&old, base, sizeof old);
    if (size > old && !account_add(size - old)) return NULL;
    unsigned char *p = realloc(base, size + HEADER_SIZE);
    if (!p) {
        if (size > old) account_sub(size - old);
        return NULL;
    }
    if (size < old) account_sub(old - size);
    memcpy(p, &size, sizeof size);
    return p + HEADER_SIZE;
}

void nl_free(void *ptr) {
    if (!ptr) return;
    unsigned char *base = (unsigned char *)ptr - HEADER_SIZE;
    size_t size;
    memcpy(&size, base, sizeof size);
    account_sub(size);
    free(base);
}

/* Aligned blocks carry a header one alignment unit long (so the user pointer
 * stays aligned) holding the accounted size. */
static size_t aligned_rounded(size_t size) {
    size_t rounded = (size + NL_ALIGNMENT - 1) / NL_ALIGNMENT * NL_ALIGNMENT;
    return rounded == 0 ? NL_ALIGNMENT : rounded;
}

void *nl_aligned_alloc(size_t size) {
    /* Round up: aligned_alloc requires it, and it leaves padding that SIMD
     * loops may read past the logical end. */
    if (size > SIZE_MAX - 2 * NL_ALIGNMENT) return NULL;
    size_t rounded = aligned_rounded(size);
    if (!account_add(rounded)) return NULL;
    unsigned char *p = aligned_alloc(NL_ALIGNMENT, rounded + NL_ALIGNMENT);
    if (!p) {
        account_sub(rounded);
        return NULL;
    }
    memcpy(p, &rounded, sizeof rounded);
    return p + NL_ALIGNMENT;
}

void nl_aligned_free(void *ptr) {
    if (!ptr) return;
    unsigned char *base = (unsigned char *)ptr - NL_ALIGNMENT;
    size_t rounded;
    memcpy(&rounded, base, sizeof rounded);
    account_sub(rounded);
    free(base);
}

void *nl_aligned_realloc(void *ptr, size_t old_size, size_t new_size) {
    if (!ptr) return nl_aligned_alloc(new_size);
    void *p = nl_aligned_alloc(new_size);
    if (!p) return NULL;
    memcpy(p, ptr, old_size < new_size ? old_size : new_size);
    nl_aligned_free(ptr);
    return p;
}

char *nl_strdup(const char *s) {
    if (!s) return NULL;
    return nl_strndup(s, strlen(s));
}

char *nl_strndup(const char *s, size_t n) {
    if (!s) return NULL;
    size_t len = strnlen(s, n);
    char *p = nl_malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *nl_asprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = nl_malloc((size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
