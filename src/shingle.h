/*
 * shingle.h - token hashes to shingle hashes, and the set of distinct
 * shingles of one document.
 *
 * A shingle is a run of k consecutive tokens.  Each token is hashed once
 * (tokenize.c); the k token hashes t_0 (oldest) .. t_{k-1} of a
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
/* Adds a token; returns 1 and sets *out when a shingle is complete.
 * Inline: it runs once per token. */
static inline int shingler_push(shingler *s, uint64_t token,
                                uint64_t *out);
/* At the end of a document: returns 1 and sets *out to the one short
 * shingle when fewer than k tokens were seen (and at least one). */
int shingler_finish(const shingler *s, uint64_t *out);
/* Hash of n token hashes, oldest first (what push and finish compute,
 * without rolling). */
uint64_t shingle_hash(const uint64_t *tokens, unsigned n, uint64_t seed);

static inline uint64_t shingle_rotl64(uint64_t x, unsigned r)
{
    r &= 63;
    return r ? (x << r) | (x >> (64 - r)) : x;
}

/* The seeded finaliser: murmur3's fmix64, a bijection of 64-bit values
 * whose every output bit depends on every input bit. */
static inline uint64_t shingle_finish_hash(uint64_t acc, unsigned n,
                                           uint64_t seed)
{
    uint64_t x = acc ^ seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ULL);

    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

static inline int shingler_push(shingler *s, uint64_t token, uint64_t *out)
{
    unsigned k = s->k, pos = s->pos;

    /* Rolling: the oldest token's hash, at rotation k - 1 before this
     * step, reaches rotation k and is cancelled; the new one enters at
     * rotation 0.  Until k tokens are in, nothing leaves. */
    s->acc = shingle_rotl64(s->acc, 1) ^ token;
    if (s->count >= k)
        s->acc ^= shingle_rotl64(s->ring[pos], k);
    s->ring[pos] = token;
    s->pos = pos + 1 == k ? 0 : pos + 1;
    if (++s->count < k)
        return 0;
    *out = shingle_finish_hash(s->acc, k, s->seed);
    return 1;
}

/* shingler_push over n tokens: the completed shingles go to out (room
 * for n), their number is returned.  The window is kept in locals. */
static inline size_t shingler_push_many(shingler *s,
                                        const uint64_t *restrict tokens,
                                        size_t n, uint64_t *restrict out)
{
    const unsigned k = s->k;
    uint64_t acc = s->acc, count = s->count, seed = s->seed;
    unsigned pos = s->pos;
    size_t i, m = 0;

    for (i = 0; i < n; i++) {
        uint64_t t = tokens[i];

        acc = shingle_rotl64(acc, 1) ^ t;
        if (count >= k)
            acc ^= shingle_rotl64(s->ring[pos], k);
        s->ring[pos] = t;
        pos = pos + 1 == k ? 0 : pos + 1;
        out[m] = shingle_finish_hash(acc, k, seed);
        m += ++count >= k;
    }
    s->acc = acc;
    s->count = count;
    s->pos = pos;
    return m;
}

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
static inline int shingle_set_add(shingle_set *set, uint64_t h);
/* Moves the values to a table of ncap slots (a power of two). */
int shingle_set_rehash(shingle_set *set, size_t ncap);

#define SHINGLE_SET_MIN_CAP 1024

static inline size_t shingle_set_index(uint64_t h, size_t mask)
{
    /* Shingle hashes are fmix64 output: the low bits are uniform. */
    return (size_t)(h >> 32 ^ h) & mask;
}

/* Inline: it runs once per shingle. */
static inline int shingle_set_add(shingle_set *set, uint64_t h)
{
    size_t mask, j;
    uint64_t *slots;

    if (h == 0) {
        if (set->has_zero)
            return 0;
        set->has_zero = 1;
        set->count++;
        return 1;
    }
    if (2 * (set->count + 1) > set->cap) {
        int rc = shingle_set_rehash(set, set->cap ? set->cap * 2
                                                  : SHINGLE_SET_MIN_CAP);
        if (rc < 0)
            return rc;
    }
    mask = set->cap - 1;
    slots = set->slots;
    for (j = shingle_set_index(h, mask); slots[j]; j = (j + 1) & mask)
        if (slots[j] == h)
            return 0;
    slots[j] = h;
    set->count++;
    return 1;
}
/* Writes the values, sorted ascending, to out (count entries). */
void shingle_set_sorted(const shingle_set *set, uint64_t *out);
/* Writes the values in table order to out, which has room for count + 1
 * entries (one more is written and not counted); returns count. */
size_t shingle_set_values(const shingle_set *set, uint64_t *out);

#endif
