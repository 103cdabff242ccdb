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

#define DIGIT_BITS 11
#define DIGITS (1u << DIGIT_BITS)

void radix_sort_u64_from(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo)
{
    size_t count[6][DIGITS];
    unsigned npass = (64 - lo + DIGIT_BITS - 1) / DIGIT_BITS, pass;
    uint64_t *src = a, *dst = tmp, *swap;
    size_t i;

    if (n < 2)
        return;
    memset(count, 0, sizeof(count[0]) * npass);
    for (i = 0; i < n; i++) {
        uint64_t v = a[i] >> lo;
        for (pass = 0; pass < npass; pass++)
            count[pass][(v >> (pass * DIGIT_BITS)) & (DIGITS - 1)]++;
    }
    for (pass = 0; pass < npass; pass++) {
        size_t *c = count[pass], sum = 0, b;
        unsigned shift = lo + pass * DIGIT_BITS;

        if (c[(src[0] >> shift) & (DIGITS - 1)] == n)
            continue;                  /* all values share this digit */
        for (b = 0; b < DIGITS; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (i = 0; i < n; i++)
            dst[c[(src[i] >> shift) & (DIGITS - 1)]++] = src[i];
        swap = src;
        src = dst;
        dst = swap;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
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
