/*
 * arena.c -- bump allocation in chunks; everything is freed at once.
 *
 * Requests larger than a quarter of the chunk size get a chunk of their own,
 * so a big allocation does not waste the rest of the current chunk.
 */
#include "base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

#define ARENA_DEFAULT_CHUNK (64 * 1024)
#define ARENA_ALIGN 16

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
} arena_chunk;

struct nl_arena {
    arena_chunk *head; /* current chunk first */
    size_t chunk_size;
    size_t used;
};

nl_arena *nl_arena_new(size_t chunk_size) {
    nl_arena *a = nl_calloc(1, sizeof *a);
    if (!a) return NULL;
    a->chunk_size = chunk_size ? chunk_size : ARENA_DEFAULT_CHUNK;
    return a;
}

void nl_arena_free(nl_arena *arena) {
    if (!arena) return;
    arena_chunk *c = arena->head;
    while (c) {
        arena_chunk *next = c->next;
        nl_free(c);
        c = next;
    }
    nl_free(arena);
}

static arena_chunk *chunk_new(size_t size) {
    if (size > SIZE_MAX - sizeof(arena_chunk)) return NULL;
    arena_chunk *c = nl_malloc(sizeof(arena_chunk) + size);
    if (!c) return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *nl_arena_alloc(nl_arena *arena, size_t size) {
    if (size == 0) size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN) return NULL;
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    arena_chunk *c = arena->head;
    if (c && c->size - c->used >= need) {
        void *p = c->data + c->used;
        c->used += need;
        arena->used += need;
        return p;
    }
    if (need > arena->chunk_size / 4) {
        /* A dedicated chunk, linked behind the current one so the current
         * chunk keeps serving small requests. */
        arena_chunk *big = chunk_new(need);
        if (!big) return NULL;
        big->used = need;
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            arena->head = big;
        }
        arena->used += need;
        return big->data;
    }
    arena_chunk *fresh = chunk_new(arena->chunk_size);
    if (!fresh) return NULL;
    fresh->next = c;
    arena->head = fresh;
    fresh->used = need;
    arena->used += need;
    return fresh->data;
}

void *nl_arena_calloc(nl_arena *arena, size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *p = nl_arena_alloc(arena, count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

char *nl_arena_strndup(nl_arena *arena, const char *s, size_t n) {
    size_t len = strnlen(s, n);
    char *p = nl_arena_alloc(arena, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *nl_arena_strdup(nl_arena *arena, const char *s) { return nl_arena_strndup(arena, s, SIZE_MAX); }

char *nl_arena_sprintf(nl_arena *arena, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = nl_arena_alloc(arena, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t nl_arena_used(const nl_arena *arena) { return arena->used; }
