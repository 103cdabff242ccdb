/*
 * shingle.h - token hashes to shingle hashes, and the set of distinct
 * shingles of one document.
 *
 * A shingle is a run of k consecutive tokens.  Its hash is XXH3-64
 * (seeded) of the k token hashes, written as k little-endian 64-bit
 * words; each token is hashed once and only the window of k hashes is
 * kept.  A document with fewer than k tokens (but at least one) gets a
 * single shingle made of all its tokens, hashed the same way.
 *
 * shingle_set is an open-addressing hash set of 64-bit values (linear
 * probing, load <= 1/2) that gives the exact distinct-shingle count and,
 * for exact scoring, the sorted set.
 */
#ifndef DUPFIND_SHINGLE_H
#define DUPFIND_SHINGLE_H

#include <stddef.h>
#include <stdint.h>

#define SHINGLE_MAX_K 64

typedef struct {
    unsigned k;                      /* tokens per shingle */
    uint64_t seed;                   /* XXH3 seed */
    uint64_t ring[2 * SHINGLE_MAX_K];/* window, each hash stored twice */
    uint64_t count;                  /* tokens seen */
    unsigned pos;                    /* count % k, kept without dividing */
} shingler;

void shingler_init(shingler *s, unsigned k, uint64_t seed);
void shingler_reset(shingler *s);
/* Adds a token; returns 1 and sets *out when a shingle is complete. */
int shingler_push(shingler *s, uint64_t token, uint64_t *out);
/* At the end of a document: returns 1 and sets *out to the one short
 * shingle when fewer than k tokens were seen (and at least one). */
int shingler_finish(const shingler *s, uint64_t *out);
/* Hash of n token hashes (what push and finish compute). */
uint64_t shingle_hash(const uint64_t *tokens, unsigned n, uint64_t seed);

typedef struct {
    uint64_t *slots;   /* 0 marks an empty slot */
    size_t cap;        /* power of two, or 0 */
    size_t count;      /* distinct values, zero included */
    int has_zero;      /* the value 0 was inserted */
} shingle_set;

void shingle_set_init(shingle_set *set);
void shingle_set_release(shingle_set *set);
/* Empties the set; shrinks a table left large by a big document. */
void shingle_set_clear(shingle_set *set);
/* Returns 1 if h was new, 0 if present, DUPFIND_ENOMEM on failure. */
int shingle_set_add(shingle_set *set, uint64_t h);
/* Writes the values, sorted ascending, to out (count entries). */
void shingle_set_sorted(const shingle_set *set, uint64_t *out);

#endif
