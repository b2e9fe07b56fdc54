/*
 * tpch_text.c -- the text pool every TPC-H comment is cut from.
 *
 * TPC-H 4.2.2.10 defines comment text by a small grammar: a sentence is one of
 * five shapes of noun (N), verb (V) and prepositional (P) phrases ended by a
 * terminator (T); a noun phrase is an optional adverb and adjectives before a
 * noun, a verb phrase an optional auxiliary, a verb and an optional adverb.
 * Each choice is a weighted pick from dists.dss. dbgen generates 300 MiB of
 * such sentences once, from one stream (seed 933588178), and every comment is
 * a random slice of it; so must we, byte for byte.
 *
 * The pool is one sequential stream of draws, so it cannot be split across
 * threads; it is built once per generator, in about a second.
 */
#include <string.h>

#include "base/alloc.h"
#include "datagen/tpch_internal.h"

#define TEXT_POOL_SEED 933588178
/* Longer than any sentence the grammar can produce: the pool may overrun its
 * size by one sentence before it is cut. */
#define TEXT_MAX_SENTENCE 256

/* Every word of the text distributions fits in 16 bytes, so words are
 * copied as one fixed 16-byte block from a padded copy (the pool's slack
 * absorbs the overrun) rather than by a memcpy call per word. */
#define TEXT_WORD_PAD  16
#define TEXT_WORDS_MAX 64

typedef struct text_words {
    const tpch_dist *dist;
    char padded[TEXT_WORDS_MAX][TEXT_WORD_PAD];
} text_words;

typedef struct text_builder {
    char *buf;
    size_t len;
    tpch_rng rng;
    const tpch_dist *d[TPCH_DIST_COUNT_];
    text_words words[TPCH_DIST_COUNT_]; /* filled for the word lists only */
} text_builder;

static inline void text_word(text_builder *t, tpch_dist_id id) {
    const text_words *w = &t->words[id];
    int32_t i = tpch_dist_pick(w->dist, &t->rng);
    memcpy(t->buf + t->len, w->padded[i], TEXT_WORD_PAD);
    t->len += w->dist->lengths[i];
}

static inline void text_putc(text_builder *t, char c) { t->buf[t->len++] = c; }

/* "N", "J N", "J, J N" or "D J N", each word followed by a space. */
static void text_noun_phrase(text_builder *t) {
    const tpch_dist *np = t->d[TPCH_DIST_NP];
    const char *syntax = np->values[tpch_dist_pick(np, &t->rng)];
    for (const char *c = syntax; *c; c++) {
        switch (*c) {
        case 'A': text_word(t, TPCH_DIST_ARTICLES); break;
        case 'J': text_word(t, TPCH_DIST_ADJECTIVES); break;
        case 'D': text_word(t, TPCH_DIST_ADVERBS); break;
        case 'N': text_word(t, TPCH_DIST_NOUNS); break;
        case ',':
            t->len--; /* the comma abuts the word before it */
            text_putc(t, ',');
            break;
        default: continue; /* the spaces between tokens */
        }
        text_putc(t, ' ');
    }
}

/* "V", "X V", "V D" or "X V D", each word followed by a space. */
static void text_verb_phrase(text_builder *t) {
    const tpch_dist *vp = t->d[TPCH_DIST_VP];
    const char *syntax = vp->values[tpch_dist_pick(vp, &t->rng)];
    for (const char *c = syntax; *c; c++) {
        switch (*c) {
        case 'D': text_word(t, TPCH_DIST_ADVERBS); break;
        case 'V': text_word(t, TPCH_DIST_VERBS); break;
        case 'X': text_word(t, TPCH_DIST_AUXILIARIES); break;
        default: continue;
        }
        text_putc(t, ' ');
    }
}

static void text_sentence(text_builder *t) {
    const tpch_dist *g = t->d[TPCH_DIST_GRAMMAR];
    const char *syntax = g->values[tpch_dist_pick(g, &t->rng)];
    for (const char *c = syntax; *c; c++) {
        switch (*c) {
        case 'N': text_noun_phrase(t); break;
        case 'V': text_verb_phrase(t); break;
        case 'P':
            text_word(t, TPCH_DIST_PREPOSITIONS);
            memcpy(t->buf + t->len, " the ", 5);
            t->len += 5;
            text_noun_phrase(t);
            break;
        case 'T':
            t->len--; /* the terminator abuts the last word */
            text_word(t, TPCH_DIST_TERMINATORS);
            break;
        default: continue;
        }
        if (t->buf[t->len - 1] != ' ') text_putc(t, ' ');
    }
}

static const tpch_dist_id TEXT_WORD_LISTS[] = {
    TPCH_DIST_NOUNS,    TPCH_DIST_VERBS,        TPCH_DIST_ADJECTIVES,  TPCH_DIST_ADVERBS,
    TPCH_DIST_ARTICLES, TPCH_DIST_PREPOSITIONS, TPCH_DIST_AUXILIARIES, TPCH_DIST_TERMINATORS};

char *tpch_text_pool_new(void) {
    text_builder *t = nl_calloc(1, sizeof *t); /* ~20 KB: off the stack */
    if (t == NULL) return NULL;
    for (int i = 0; i < TPCH_DIST_COUNT_; i++)
        t->d[i] = tpch_dist_get((tpch_dist_id)i);
    for (size_t k = 0; k < sizeof TEXT_WORD_LISTS / sizeof TEXT_WORD_LISTS[0]; k++) {
        text_words *w = &t->words[TEXT_WORD_LISTS[k]];
        w->dist = t->d[TEXT_WORD_LISTS[k]];
        for (int i = 0; i < w->dist->count; i++) {
            if (i >= TEXT_WORDS_MAX || w->dist->lengths[i] > TEXT_WORD_PAD) {
                nl_free(t); /* the word lists are constant: cannot happen */
                return NULL;
            }
            memcpy(w->padded[i], w->dist->values[i], w->dist->lengths[i]);
        }
    }
    /* one sentence of slack, and room for the last word's padded copy */
    char *pool = nl_malloc((size_t)TPCH_TEXT_POOL_SIZE + TEXT_MAX_SENTENCE + TEXT_WORD_PAD);
    if (pool != NULL) {
        t->buf = pool;
        tpch_rng_init(&t->rng, TEXT_POOL_SEED, INT32_MAX);
        while (t->len < (size_t)TPCH_TEXT_POOL_SIZE)
            text_sentence(t);
    }
    nl_free(t);
    return pool;
}
