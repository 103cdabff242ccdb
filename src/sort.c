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
static inline __attribute__((always_inline)) void
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
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

void radix_sort_u64_from(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo)
{
    if (n < 2)
        return;
    if (n < NARROW_BELOW)
        radix_sort_bits(a, tmp, n, lo, NARROW_BITS);
    else
        radix_sort_bits(a, tmp, n, lo, WIDE_BITS);
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
