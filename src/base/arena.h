/*
 * arena.h -- bump allocation for memory that lives exactly as long as one
 * query (or one parse, one plan): allocate freely, free everything at once.
 * Not thread-safe: one arena per thread or per query stage.
 */
#ifndef NL_BASE_ARENA_H
#define NL_BASE_ARENA_H

#include <stddef.h>

typedef struct nl_arena nl_arena;

/* chunk_size 0 picks a default (64 KiB). NULL when out of memory. */
nl_arena *nl_arena_new(size_t chunk_size);
/* Frees every allocation made from the arena, and the arena. Safe on NULL. */
void nl_arena_free(nl_arena *arena);

/* 16-byte aligned; NULL when out of memory. */
void *nl_arena_alloc(nl_arena *arena, size_t size);
void *nl_arena_calloc(nl_arena *arena, size_t count, size_t size);
char *nl_arena_strdup(nl_arena *arena, const char *s);
char *nl_arena_strndup(nl_arena *arena, const char *s, size_t n);
char *nl_arena_sprintf(nl_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far. */
size_t nl_arena_used(const nl_arena *arena);

#endif
