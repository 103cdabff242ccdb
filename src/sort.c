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

/* At most 2^20 buckets (4 MiB of counters); larger inputs fill them
 * more, which only lengthens the insertion sort's moves. */
#define HASH_MAX_BITS 20
#define HASH_STACK_BITS 12
/* A bucket this full means the values are not uniform. */
#define HASH_BUCKET_MAX 64

size_t sort_hashes_u64(const uint64_t *src, size_t n, uint64_t *dst)
{
    uint32_t stack_count[(size_t)1 << HASH_STACK_BITS], *count = stack_count;
    size_t i, m = 0, nb, sum = 0;
    unsigned bits = 1, shift;
    int crowded = 0;

    for (i = 0; i < n; i++)
        m += src[i] != 0;
    while (bits < HASH_MAX_BITS && ((size_t)2 << bits) <= m)
        bits++;                /* about m / 2 buckets */
    nb = (size_t)1 << bits;
    shift = 64 - bits;
    if (bits > HASH_STACK_BITS && !(count = malloc(nb * sizeof(*count))))
        crowded = 1;           /* no memory for counters: radix sort */
    if (!crowded) {
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
    }
    if (crowded) {
        size_t w = 0;

        for (i = 0; i < n; i++)
            if (src[i])
                dst[w++] = src[i];
        sort_u64(dst, w);
    } else {
        for (i = 0; i < n; i++)
            if (src[i])
                dst[count[src[i] >> shift]++] = src[i];
        for (i = 1; i < m; i++) {
            uint64_t v = dst[i];
            size_t j = i;

            for (; j > 0 && dst[j - 1] > v; j--)
                dst[j] = dst[j - 1];
            dst[j] = v;
        }
    }
    if (count != stack_count)
        free(count);
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
