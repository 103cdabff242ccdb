/*
 * verify.c - estimated and exact similarity of a pair (see verify.h).
 */
#include <math.h>
#include <stdlib.h>

#include "sketch.h"
#include "verify.h"

void verify_from_counts(dupfind_pair *p, double inter, double na,
                        double nb)
{
    double uni = na + nb - inter;

    p->jaccard = uni > 0 ? inter / uni : 0.0;
    p->a_in_b = na > 0 ? inter / na : 0.0;
    p->b_in_a = nb > 0 ? inter / nb : 0.0;
    if (p->a_in_b > 1.0)
        p->a_in_b = 1.0;
    if (p->b_in_a > 1.0)
        p->b_in_a = 1.0;
}

/* Jaccard j with the sizes gives the larger of the two containments. */
static double max_containment(double j, double na, double nb)
{
    double inter = j * (na + nb) / (1.0 + j);
    double small = na < nb ? na : nb;
    double c = small > 0 ? inter / small : 0.0;

    return c > 1.0 ? 1.0 : c;
}

/* Wilson score interval (Wilson 1927) of a share, x successes of n
 * trials, z standard errors: sound at x = 0 or x = n too.  No trials:
 * [0, 1]. */
static void wilson(double x, double n, double z, double *lo, double *hi)
{
    double p, z2 = z * z, mid, half;

    if (n <= 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    p = x / n;
    mid = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    half = z / (1.0 + z2 / n) * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    *lo = mid - half < 0 ? 0 : mid - half;
    *hi = mid + half > 1 ? 1 : mid + half;
    /* At p = 0 or 1 the interval ends at 0 or 1 exactly; rounding can
     * leave it a hair short (18 of 18 gave 1 - 1e-16), which made
     * identical documents fail --threshold=1. */
    if (x <= 0)
        *lo = 0;
    if (x >= n)
        *hi = 1;
}

void verify_estimate(dupfind_pair *p, const uint32_t *sa,
                     const uint32_t *sb, unsigned k, uint64_t na,
                     uint64_t nb, double t, double ct)
{
    unsigned eq = sketch_equal_slots(sa, sb, k);
    double j = (double)eq / k;
    double inter = j * ((double)na + (double)nb) / (1.0 + j);
    double lo, hi;
    int j_lo, j_hi, c_lo, c_hi;

    verify_from_counts(p, inter, (double)na, (double)nb);
    /* Keep J itself as estimated: eq/k exactly, not via the counts. */
    p->jaccard = j;
    p->exact = 0;

    wilson(eq, k, VERIFY_Z, &lo, &hi);
    /* Both scores grow with J, so the interval's ends decide.  The
     * answer is the relation, not only whether the pair is reported: a
     * pair surely reported for containment but perhaps a duplicate is
     * uncertain too. */
    j_lo = lo >= t;
    j_hi = hi >= t;
    c_lo = ct > 0 && max_containment(lo, (double)na, (double)nb) >= ct;
    c_hi = ct > 0 && max_containment(hi, (double)na, (double)nb) >= ct;
    p->uncertain = j_lo != j_hi || (!j_lo && c_lo != c_hi);
}

/* First index in b[lo .. hi) whose value is >= x (hi if none). */
static size_t lower_bound32(const uint32_t *b, size_t lo, size_t hi,
                            uint64_t x)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (b[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t verify_sample_prefix(const uint32_t *s, size_t n, unsigned shift)
{
    return lower_bound32(s, 0, n, (uint64_t)1 << (32 - shift));
}

int verify_sample_rejects(double s, double na, double nb, double t,
                          double ct)
{
    double lo, hi;

    /* Jaccard: the shared share of the sample of the union. */
    wilson(s, na + nb - s, VERIFY_SAMPLE_Z, &lo, &hi);
    if (hi >= t)
        return 0;
    if (ct <= 0)
        return 1;
    wilson(s, na, VERIFY_SAMPLE_Z, &lo, &hi);
    if (hi >= ct)
        return 0;
    wilson(s, nb, VERIFY_SAMPLE_Z, &lo, &hi);
    return hi < ct;
}

/* Counting the values two sorted sets of distinct values share, for
 * 64-bit shingles and 32-bit samples.  Galloping search (Bentley and Yao
 * 1976): gallop_<name>(b, lo, nb, x) is the first index >= lo of b[]
 * whose value is >= x, in O(log distance); looked_up_<name>(a, na, b,
 * nb) counts the values of a found in b, one gallop each from where the
 * last one ended: O(na log(nb / na)).  merged_<name> walks both without
 * a branch (the comparisons are unpredictable): O(na + nb). */
#define DEFINE_SHARED(name, T)                                           \
static size_t gallop_##name(const T *b, size_t lo, size_t nb, T x)       \
{                                                                        \
    size_t step = 1, hi = lo;                                            \
                                                                         \
    while (hi < nb && b[hi] < x) {                                       \
        lo = hi + 1;                                                     \
        hi += step;                                                      \
        step *= 2;                                                       \
    }                                                                    \
    if (hi > nb)                                                         \
        hi = nb;                                                         \
    while (lo < hi) {                                                    \
        size_t mid = lo + (hi - lo) / 2;                                 \
        if (b[mid] < x)                                                  \
            lo = mid + 1;                                                \
        else                                                             \
            hi = mid;                                                    \
    }                                                                    \
    return lo;                                                           \
}                                                                        \
                                                                         \
static size_t looked_up_##name(const T *a, size_t na, const T *b,        \
                               size_t nb)                                \
{                                                                        \
    size_t i, j = 0, n = 0;                                              \
                                                                         \
    for (i = 0; i < na && j < nb; i++) {                                 \
        j = gallop_##name(b, j, nb, a[i]);                               \
        if (j < nb && b[j] == a[i]) {                                    \
            n++;                                                         \
            j++;                                                         \
        }                                                                \
    }                                                                    \
    return n;                                                            \
}                                                                        \
                                                                         \
static size_t merged_##name(const T *a, size_t na, const T *b, size_t nb) \
{                                                                        \
    size_t i = 0, j = 0, n = 0;                                          \
                                                                         \
    while (i < na && j < nb) {                                           \
        T x = a[i], y = b[j];                                            \
                                                                         \
        n += x == y;                                                     \
        i += x <= y;                                                     \
        j += y <= x;                                                     \
    }                                                                    \
    return n;                                                            \
}

DEFINE_SHARED(u64, uint64_t)
DEFINE_SHARED(u32, uint32_t)

/* Sets this many times smaller than the other are looked up by galloping
 * instead of merged: a short document against a long one costs
 * O(small * log(large / small)), not O(large). */
#define GALLOP_RATIO 16

size_t verify_sample_shared_with(verify_merge32_fn merge, const uint32_t *a,
                                 size_t na, const uint32_t *b, size_t nb)
{
    if (na > nb)
        return verify_sample_shared_with(merge, b, nb, a, na);
    /* A binary search per value cost some 8 mispredicted steps a value
     * for two samples of 256. */
    return na * GALLOP_RATIO < nb ? looked_up_u32(a, na, b, nb)
                                  : merge(a, na, b, nb);
}

size_t verify_merge32_scalar(const uint32_t *a, size_t na,
                             const uint32_t *b, size_t nb)
{
    return merged_u32(a, na, b, nb);
}

size_t verify_merge_scalar(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb)
{
    return merged_u64(a, na, b, nb);
}

size_t verify_intersect_with(verify_merge_fn merge, const uint64_t *a,
                             size_t na, const uint64_t *b, size_t nb)
{
    if (na > nb) {
        const uint64_t *t = a;
        size_t tn = na;
        a = b;
        na = nb;
        b = t;
        nb = tn;
    }
    if (na * GALLOP_RATIO >= nb)
        return merge(a, na, b, nb);
    return looked_up_u64(a, na, b, nb);
}

size_t verify_intersect(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb)
{
    /* Chosen once; a race only stores the same pointer twice. */
    static verify_merge_fn best;
    verify_merge_fn merge = __atomic_load_n(&best, __ATOMIC_RELAXED);

    if (!merge) {
        merge = sketch_merge_select(DUPFIND_SIMD_AUTO);
        __atomic_store_n(&best, merge, __ATOMIC_RELAXED);
    }
    return verify_intersect_with(merge, a, na, b, nb);
}

/* About two values a range: 2^bits ranges for n values, bits <= 24. */
#define INDEX_MAX_BITS 24

struct dupfind_set_index {
    const uint64_t *set;      /* borrowed, sorted, distinct */
    size_t n;                 /* values */
    unsigned shift;           /* 64 - bits: a value's range is v >> shift */
    uint32_t *start;          /* 2^bits + 1 positions in set */
};

int dupfind_set_index_new(dupfind_set_index **out, const uint64_t *set,
                          size_t n)
{
    dupfind_set_index *ix;
    unsigned bits = 1;
    size_t nb, i, j = 0;

    *out = NULL;
    if (n > UINT32_MAX)
        return DUPFIND_EINVAL;
    while (bits < INDEX_MAX_BITS && ((size_t)2 << bits) <= n)
        bits++;
    nb = (size_t)1 << bits;
    ix = malloc(sizeof(*ix));
    if (!ix)
        return DUPFIND_ENOMEM;
    ix->start = malloc((nb + 1) * sizeof(*ix->start));
    if (!ix->start) {
        free(ix);
        return DUPFIND_ENOMEM;
    }
    ix->set = set;
    ix->n = n;
    ix->shift = 64 - bits;
    /* start[r]: the first position whose value is in range r or later. */
    for (i = 0; i <= nb; i++) {
        while (j < n && (set[j] >> ix->shift) < i)
            j++;
        ix->start[i] = (uint32_t)j;
    }
    *out = ix;
    return 0;
}

void dupfind_set_index_free(dupfind_set_index *ix)
{
    if (!ix)
        return;
    free(ix->start);
    free(ix);
}

uint64_t dupfind_set_index_shared(const dupfind_set_index *ix,
                                  const uint64_t *other, size_t n)
{
    uint64_t shared = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t x = other[i];
        size_t r = (size_t)(x >> ix->shift), j = ix->start[r],
               end = ix->start[r + 1];

        while (j < end && ix->set[j] < x)
            j++;
        shared += j < end && ix->set[j] == x;
    }
    return shared;
}
