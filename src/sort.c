/*
 * sort.c - LSD radix sort of 64-bit values (see sort.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sort.h"

#define SMALL_SORT 64

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* 11-bit digits for long arrays; for short ones the 2^11 counters of
 * each pass cost more than the values, so 8-bit digits (more passes,
 * 16 KiB of counters instead of 96 KiB). */
#define WIDE_BITS 11
#define NARROW_BITS 8
#define NARROW_BELOW 2048
#define MAX_COUNTERS (6u << WIDE_BITS)   /* passes * digits, either way */

/* One body, inlined twice below so that each digit width is a constant
 * (the compiler then unrolls the counting loop over the passes). */
static inline __attribute__((always_inline)) uint64_t *
radix_sort_bits(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo,
                const unsigned bits)
{
    size_t count[MAX_COUNTERS];
    const size_t digits = (size_t)1 << bits, mask = digits - 1;
    unsigned npass = (64 - lo + bits - 1) / bits, pass;
    uint64_t *src = a, *dst = tmp, *swap;
    size_t i;

    memset(count, 0, sizeof(count[0]) * npass * digits);
    for (i = 0; i < n; i++) {
        uint64_t v = a[i] >> lo;
        for (pass = 0; pass < npass; pass++)
            count[pass * digits + ((v >> (pass * bits)) & mask)]++;
    }
    for (pass = 0; pass < npass; pass++) {
        size_t *c = count + pass * digits, sum = 0, b;
        unsigned shift = lo + pass * bits;

        if (c[(src[0] >> shift) & mask] == n)
            continue;                  /* all values share this digit */
        for (b = 0; b < digits; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (i = 0; i < n; i++)
            dst[c[(src[i] >> shift) & mask]++] = src[i];
        swap = src;
        src = dst;
        dst = swap;
    }
    return src;
}

uint64_t *radix_sort_u64_where(uint64_t *a, uint64_t *tmp, size_t n,
                               unsigned lo)
{
    if (n < 2)
        return a;
    if (n < NARROW_BELOW)
        return radix_sort_bits(a, tmp, n, lo, NARROW_BITS);
    return radix_sort_bits(a, tmp, n, lo, WIDE_BITS);
}

void radix_sort_u64_from(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo)
{
    uint64_t *src = radix_sort_u64_where(a, tmp, n, lo);

    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

/*
 * sort_hashes_u64: sorting hashes (uniform 64-bit values).
 *
 * Hash-set tables (n <= HASH_TABLE_MAX slots, m of them nonzero) take
 * one counting pass on the top bits into about m / 2 buckets, a scatter
 * into dst and one insertion sort over the whole array, which then only
 * moves values within their bucket of about two: two passes over the
 * data, all in cache.
 *
 * Larger inputs (big documents' shingle arrays: 16k to millions of
 * values) made that scheme miss the cache twice a value, on its n / 2
 * counters and on dst: 7, 10-14 and 17-22 ns a value at 256k, 1M and 4M
 * values (bench/sort_bench.c).  They take an MSD pass instead: the top
 * bits (at most HASH_MSD_MAX_BITS) send them into buckets of about
 * HASH_MSD_BUCKET values, each then finished in cache (bucket_sort):
 * two LSD passes on the next 16 bits, after which neighbours are nearly
 * always in order, so the closing insertion sort rarely moves a value
 * and its branches are predicted.  Finishing the buckets with the
 * one-pass scheme instead left buckets of two whose insertion sort
 * mispredicted about every other value: 6-9 ns a value for that alone.
 * Now: 3.5, 3.9 and 4.4 ns a value at 256k, 1M and 4M.
 *
 * Values that crowd a bucket (not hashes) are radix-sorted instead: the
 * whole input if the top bits are crowded, else just the bucket.
 */

/* Tables up to this many slots take the one-pass scheme: at 16,384
 * slots it measured 1.4-2.2 ns a slot against the MSD pass's 2.9; at
 * 32,768 slots 25-50% full (hash sets grow at 50%) 4.0-8.6 against
 * 2.6-2.8, the one-pass scheme's branch on empty slots mispredicting.
 * m <= HASH_TABLE_MAX, so 2^13 counters (32 KiB, on the stack) give
 * buckets of about two. */
#define HASH_TABLE_MAX 16384
#define HASH_STACK_BITS 13
/* A bucket of the one-pass scheme this full: the values are not
 * uniform. */
#define HASH_BUCKET_MAX 64
/* At most 2^9 MSD buckets: the partly written cache lines of their 512
 * write streams (32 KiB) stay in L1 (48 KiB here); with 2^11 buckets
 * 4M values took 6.2 ns each instead of 4.6.  Fewer buckets for fewer
 * values, to keep them at 1,024-2,048 values (8-16 KiB): more buckets
 * only add streams, fewer make each one's LSD passes miss L1. */
#define HASH_MSD_MAX_BITS 9
#define HASH_MSD_BUCKET 1024
/* Bits of each of a bucket's two LSD passes: 2 x 256 counters (2 KiB),
 * which a bucket of 1,024 values pays for easily; 10-bit digits were
 * slower up to 4M values. */
#define HASH_LSD_BITS 8

/* Insertion sort that gives up (-1, a[] then permuted) after `budget`
 * moves: uniform values nearly in order need few, crowded ones many.
 * A value already in place costs one well-predicted comparison. */
static int insertion_sort(uint64_t *a, size_t n, size_t budget)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        uint64_t v = a[i];

        if (a[i - 1] <= v)
            continue;
        j = i;
        do
            a[j] = a[j - 1];
        while (--j > 0 && a[j - 1] > v);
        a[j] = v;
        if (i - j > budget)
            return -1;
        budget -= i - j;
    }
    return 0;
}

/* The one-pass scheme for the m nonzero values of src[0 .. n),
 * n <= HASH_TABLE_MAX; -1, dst untouched, when they crowd a bucket. */
static int spread_sort(const uint64_t *src, size_t n, size_t m,
                       uint64_t *dst)
{
    uint32_t count[(size_t)1 << HASH_STACK_BITS];
    size_t i, nb, sum = 0;
    unsigned bits = 1, shift;
    int crowded = 0;

    while (bits < HASH_STACK_BITS && ((size_t)2 << bits) <= m)
        bits++;                /* about m / 2 buckets */
    nb = (size_t)1 << bits;
    shift = 64 - bits;
    memset(count, 0, nb * sizeof(*count));
    for (i = 0; i < n; i++)
        if (src[i])
            count[src[i] >> shift]++;
    for (i = 0; i < nb; i++) {
        uint32_t t = count[i];

        crowded |= t > HASH_BUCKET_MAX;
        count[i] = (uint32_t)sum;
        sum += t;
    }
    if (crowded)
        return -1;
    for (i = 0; i < n; i++)
        if (src[i])
            dst[count[src[i] >> shift]++] = src[i];
    return insertion_sort(dst, m, (size_t)-1);
}

/* Sorts a[0 .. n), values that share their top `top` bits: two LSD
 * passes on the next 2 * HASH_LSD_BITS bits through tmp, then insertion
 * sort; radix sort when that has to move too much. */
static void bucket_sort(uint64_t *a, size_t n, uint64_t *tmp, unsigned top)
{
    enum { ND = 1 << HASH_LSD_BITS, MASK = ND - 1 };
    uint32_t lo[ND] = { 0 }, hi[ND] = { 0 }, slo = 0, shi = 0, t;
    const unsigned s1 = 64 - top - HASH_LSD_BITS, s0 = s1 - HASH_LSD_BITS;
    size_t i;

    for (i = 0; i < n; i++) {
        lo[(a[i] >> s0) & MASK]++;
        hi[(a[i] >> s1) & MASK]++;
    }
    for (i = 0; i < ND; i++) {
        t = lo[i], lo[i] = slo, slo += t;
        t = hi[i], hi[i] = shi, shi += t;
    }
    for (i = 0; i < n; i++)
        tmp[lo[(a[i] >> s0) & MASK]++] = a[i];
    for (i = 0; i < n; i++)
        a[hi[(tmp[i] >> s1) & MASK]++] = tmp[i];
    if (insertion_sort(a, n, 4 * n + 64) < 0)
        radix_sort_u64_from(a, tmp, n, 0);
}

/* The MSD pass for n > HASH_TABLE_MAX values; sets *out_m to the
 * number of nonzero ones.  -1 when the top bits are crowded, there is
 * no memory for one bucket's scratch, or n does not fit the 32-bit
 * counters. */
static int msd_sort(size_t *out_m, const uint64_t *src, size_t n,
                    uint64_t *dst)
{
    uint32_t start[1 << HASH_MSD_MAX_BITS], end[1 << HASH_MSD_MAX_BITS];
    size_t i, b, nb, sum = 0, max = 0, zeros = 0;
    unsigned bits = 1, shift;
    uint64_t *tmp;

    if (n > UINT32_MAX)
        return -1;
    while (bits < HASH_MSD_MAX_BITS &&
           ((size_t)HASH_MSD_BUCKET << (bits + 1)) <= n)
        bits++;
    nb = (size_t)1 << bits;
    shift = 64 - bits;
    memset(end, 0, nb * sizeof(*end));
    /* Zeros counted in bucket 0, then taken out: a branch on them would
     * be mispredicted in the larger tables, where they are common. */
    for (i = 0; i < n; i++) {
        zeros += src[i] == 0;
        end[src[i] >> shift]++;
    }
    end[0] -= (uint32_t)zeros;
    *out_m = n - zeros;
    for (b = 0; b < nb; b++) {
        size_t t = end[b];

        max = t > max ? t : max;
        start[b] = end[b] = (uint32_t)sum;
        sum += t;
    }
    if (max > *out_m / 4 || !(tmp = malloc(max * sizeof(*tmp))))
        return -1;
    for (i = 0; i < n; i++)
        if (src[i])
            dst[end[src[i] >> shift]++] = src[i];
    for (b = 0; b < nb; b++)
        bucket_sort(dst + start[b], end[b] - start[b], tmp, bits);
    free(tmp);
    return 0;
}

size_t sort_hashes_u64(const uint64_t *src, size_t n, uint64_t *dst)
{
    size_t i, m = 0;
    int rc;

    if (n <= HASH_TABLE_MAX) {
        for (i = 0; i < n; i++)
            m += src[i] != 0;
        rc = spread_sort(src, n, m, dst);
    } else {
        rc = msd_sort(&m, src, n, dst);
    }
    if (rc < 0) {
        for (i = 0, m = 0; i < n; i++)
            if (src[i])
                dst[m++] = src[i];
        sort_u64(dst, m);
    }
    return m;
}

void sort_u64(uint64_t *a, size_t n)
{
    uint64_t *tmp;

    if (n < 2)
        return;             /* a may be NULL: qsort must not see it */
    if (n < SMALL_SORT || !(tmp = malloc(n * sizeof(*tmp)))) {
        qsort(a, n, sizeof(*a), cmp_u64);
        return;
    }
    radix_sort_u64_from(a, tmp, n, 0);
    free(tmp);
}

int group_by_hash(uint64_t *rec, size_t m, group_same_fn same,
                  group_join_fn join, void *arg)
{
    uint64_t *tmp = malloc((m ? m : 1) * sizeof(*tmp));
    size_t i, j, x, y;

    if (!tmp)
        return -1;
    radix_sort_u64_from(rec, tmp, m, 32);
    free(tmp);
    for (i = 0; i < m; i = j) {
        for (j = i + 1; j < m && rec[j] >> 32 == rec[i] >> 32; j++)
            ;
        /* The first item of the run not yet joined starts a group of
         * those equal to it; usually the run is that group.  A joined
         * item's record gets item UINT32_MAX. */
        for (x = i; x + 1 < j; x++) {
            uint32_t a = (uint32_t)rec[x];

            if (a == UINT32_MAX)
                continue;
            for (y = x + 1; y < j; y++) {
                uint32_t b = (uint32_t)rec[y];

                if (b != UINT32_MAX && same(arg, a, b)) {
                    join(arg, a, b);
                    rec[y] |= UINT32_MAX;
                }
            }
        }
    }
    return 0;
}
