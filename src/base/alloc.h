/*
 * alloc.h -- the one allocator every part of the library goes through.
 *
 * It counts the bytes in use (so a memory limit can be enforced and tests can
 * check for leaks) and returns NULL past the limit; callers turn NULL into
 * NL_ENOMEM. nl_free is safe on NULL. Memory from nl_malloc must be released
 * with nl_free, never free().
 */
#ifndef NL_BASE_ALLOC_H
#define NL_BASE_ALLOC_H

#include <stddef.h>

void *nl_malloc(size_t size);
void *nl_calloc(size_t count, size_t size);
void *nl_realloc(void *ptr, size_t size);
void nl_free(void *ptr);

/* Memory aligned to NL_ALIGNMENT (64 bytes, as Arrow recommends), for column
 * buffers. Released with nl_aligned_free. */
#define NL_ALIGNMENT 64
void *nl_aligned_alloc(size_t size);
void *nl_aligned_realloc(void *ptr, size_t old_size, size_t new_size);
void nl_aligned_free(void *ptr);

char *nl_strdup(const char *s);
char *nl_strndup(const char *s, size_t n);
/* printf into freshly allocated memory; NULL on failure. */
char *nl_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
