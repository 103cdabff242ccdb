/*
 * stats_util.h - helpers of the statistical tests: a seeded generator,
 * random set pairs with an exact Jaccard similarity, their MinHash
 * signatures, and binomial probabilities for the acceptance bounds.
 *
 * Every test is deterministic: the generator is seeded with a constant,
 * so a test passes or fails the same way on every run.  The bounds are
 * set from the sampling distribution (several standard errors, or an
 * exact binomial tail), so a correct library passes with a margin while
 * a biased estimator, a wrong variance or a wrong LSH curve fails.
 */
#ifndef STATS_UTIL_H
#define STATS_UTIL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

/* xoshiro256** (Blackman, Vigna), seeded through splitmix64. */
typedef struct {
    uint64_t s[4];
} st_rng;

static inline uint64_t st_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline void st_seed(st_rng *r, uint64_t seed)
{
    int i;

    for (i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        r->s[i] = z ^ (z >> 31);
    }
}

static inline uint64_t st_next(st_rng *r)
{
    uint64_t *s = r->s, res = st_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = st_rotl(s[3], 45);
    return res;
}

/* Uniform in [0, 1). */
static inline double st_unif(st_rng *r)
{
    return (double)(st_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]. */
static inline unsigned st_range(st_rng *r, unsigned lo, unsigned hi)
{
    return lo + (unsigned)(st_unif(r) * (hi - lo + 1));
}

static inline int st_cmp_top32(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x >> 32, b = *(const uint64_t *)y >> 32;
    return (a > b) - (a < b);
}

/* n random 64-bit values whose top 32 bits (what the MinHash kernel
 * uses) are all distinct, in random order. */
static inline void st_distinct_hashes(st_rng *r, uint64_t *v, size_t n)
{
    size_t i;
    int again;

    for (i = 0; i < n; i++)
        v[i] = st_next(r);
    do {
        again = 0;
        qsort(v, n, sizeof(*v), st_cmp_top32);
        for (i = 1; i < n; i++)
            if (v[i] >> 32 == v[i - 1] >> 32) {
                v[i] = st_next(r);
                again = 1;
            }
    } while (again);
    for (i = n; i > 1; i--) {       /* Fisher-Yates: undo the sort */
        size_t j = (size_t)(st_unif(r) * i);
        uint64_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* A pair of sets A, B with |A| = na, |B| = nb, |A n B| = inter, as
 * three disjoint parts of one pool of distinct hashes:
 *   A = pool[0 .. na),  B = pool[na - inter .. na - inter + nb).
 * The caller's pool holds na + nb - inter values. */
typedef struct {
    uint64_t *pool;
    size_t na, nb, inter;
} st_pair;

static inline void st_make_pair(st_rng *r, st_pair *p, uint64_t *pool,
                                size_t na, size_t nb, size_t inter)
{
    p->pool = pool;
    p->na = na;
    p->nb = nb;
    p->inter = inter;
    st_distinct_hashes(r, pool, na + nb - inter);
}

static inline const uint64_t *st_set_a(const st_pair *p)
{
    return p->pool;
}

static inline const uint64_t *st_set_b(const st_pair *p)
{
    return p->pool + p->na - p->inter;
}

static inline double st_jaccard(const st_pair *p)
{
    return (double)p->inter / (double)(p->na + p->nb - p->inter);
}

/* MinHash signature of n hashes with kernel fn. */
static inline void st_sign(sketch_fn fn, const sketch_params *sp,
                           uint32_t *sig, const uint64_t *h, size_t n)
{
    sketch_clear(sig, sp->k);
    fn(sp, sig, h, n);
}

/* log of the binomial pmf P[X = x], X ~ Bin(n, p). */
static inline double st_log_binom_pmf(unsigned x, unsigned n, double p)
{
    if (p <= 0.0)
        return x == 0 ? 0.0 : -INFINITY;
    if (p >= 1.0)
        return x == n ? 0.0 : -INFINITY;
    return lgamma(n + 1.0) - lgamma(x + 1.0) - lgamma(n - x + 1.0) +
           x * log(p) + (n - x) * log1p(-p);
}

static inline double st_binom_pmf(unsigned x, unsigned n, double p)
{
    return exp(st_log_binom_pmf(x, n, p));
}

/* Two-sided exact tail of x successes in n trials with probability p:
 * 2 * min(P[X <= x], P[X >= x]), capped at 1.  A small value means x is
 * implausible under Bin(n, p). */
static inline double st_binom_two_sided(unsigned x, unsigned n, double p)
{
    double lo = 0.0, hi = 0.0, t;
    unsigned i;

    for (i = 0; i <= x; i++)
        lo += st_binom_pmf(i, n, p);
    for (i = x; i <= n; i++)
        hi += st_binom_pmf(i, n, p);
    t = 2.0 * (lo < hi ? lo : hi);
    return t > 1.0 ? 1.0 : t;
}

#endif
