/*
 * shingle.h - token hashes to shingle hashes, and the set of distinct
 * shingles of one document.
 *
 * A shingle is a run of k consecutive tokens.  Each token is hashed once
 * (XXH3-64, tokenize.c); the k token hashes t_0 (oldest) .. t_{k-1} of a
 * window are combined by a cyclic polynomial (Cohen 1997; Lemire and
 * Kaser, "Recursive n-gram hashing is pairwise independent, at best",
 * 2010):
 *
 *     S = XOR_j rotl64(t_j, k-1-j)
 *
 * which rolls in O(1) per token: S' = rotl(S, 1) ^ rotl(t_out, k) ^ t_in.
 * With k <= 64 every position has its own rotation, so a window is not
 * confused with its permutations.  S then goes through a seeded 64-bit
 * finaliser (the murmur3 fmix64 bijection, with the window length
 * mixed in) so its top bits, which MinHash uses, depend on every bit of
 * every token.  A document with fewer than k tokens (but at least one)
 * gets a single shingle made of all its n tokens, combined the same way
 * with n in place of k.
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
    uint64_t seed;                   /* seed of the finaliser */
    uint64_t ring[SHINGLE_MAX_K];    /* the last k token hashes */
    uint64_t count;                  /* tokens seen */
    unsigned pos;                    /* count % k, kept without dividing */
    uint64_t acc;                    /* S of the last min(count, k) */
} shingler;

void shingler_init(shingler *s, unsigned k, uint64_t seed);
void shingler_reset(shingler *s);
/* Adds a token; returns 1 and sets *out when a shingle is complete. */
int shingler_push(shingler *s, uint64_t token, uint64_t *out);
/* At the end of a document: returns 1 and sets *out to the one short
 * shingle when fewer than k tokens were seen (and at least one). */
int shingler_finish(const shingler *s, uint64_t *out);
/* Hash of n token hashes, oldest first (what push and finish compute,
 * without rolling). */
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
