/*
 * sort_bench.c - micro-benchmark of sort_hashes_u64 (src/sort.c) on the
 * two kinds of input dupfind gives it:
 *
 *   table  a hash set's slot array (shingle_set_sorted): n slots, a
 *          given percentage nonzero, the rest zero (empty slots); 100%
 *          for a small document's sample (doc.c, sample_settle);
 *   vec    a big document's shingle array (doc.c, vec_settle): n random
 *          64-bit hashes of which about 20% repeat an earlier one.
 *
 * Prints the best of several runs in ns per input value (per slot for
 * tables) and checks every result against the input, sorted.
 *
 * Usage: dupfind_sort_bench [runs]   (default 7)
 */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "sort.h"

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Fills src: pct percent nonzero slots (table) or, with pct < 0, all
 * values random with 20% copies of earlier ones (vec). */
static void fill(uint64_t *src, size_t n, int pct, uint64_t seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t r = df_splitmix64(&seed);

        if (pct >= 0)
            src[i] = r % 100 < (uint64_t)pct ? df_splitmix64(&seed) | 1 : 0;
        else if (i > 0 && r % 5 == 0)
            src[i] = src[df_splitmix64(&seed) % i];
        else
            src[i] = df_splitmix64(&seed) | 1;
    }
}

/* 0 when dst holds the nonzero values of src in ascending order (the
 * sum and xor of the values must match, which a wrong sort would not
 * keep by accident). */
static int check(const uint64_t *src, size_t n, const uint64_t *dst,
                 size_t m)
{
    uint64_t s1 = 0, x1 = 0, s2 = 0, x2 = 0;
    size_t i, nz = 0;

    for (i = 0; i < n; i++)
        if (src[i]) {
            nz++;
            s1 += src[i];
            x1 ^= src[i] * 0x9E3779B97F4A7C15ULL;
        }
    for (i = 0; i < m; i++) {
        if (i && dst[i - 1] > dst[i])
            return -1;
        s2 += dst[i];
        x2 ^= dst[i] * 0x9E3779B97F4A7C15ULL;
    }
    return nz == m && s1 == s2 && x1 == x2 ? 0 : -1;
}

int main(int argc, char **argv)
{
    static const struct { size_t n; int pct; } cases[] = {
        { 64, 100 }, { 1024, 5 }, { 1024, 50 }, { 4096, 17 },
        { 16384, 5 }, { 16384, 50 },
        { 32768, 5 }, { 32768, 25 }, { 32768, 50 }, { 65536, 1 },
        { 65536, 25 },
        { 16384, -1 }, { 65536, -1 }, { 262144, -1 }, { 1048576, -1 },
        { 4194304, -1 },
    };
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    size_t c;

    for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        size_t n = cases[c].n, m = 0, reps, k;
        uint64_t *src = malloc(n * sizeof(*src));
        uint64_t *dst = malloc(n * sizeof(*dst));
        double best = 1e300;
        int run;

        if (!src || !dst)
            return 1;
        fill(src, n, cases[c].pct, 12345 + c);
        /* at least about 20 M values a run, so small n are measurable */
        reps = (20u << 20) / n + 1;
        for (run = 0; run < runs; run++) {
            double t0 = now_ns(), t;

            for (k = 0; k < reps; k++)
                m = sort_hashes_u64(src, n, dst);
            t = (now_ns() - t0) / (double)reps / (double)n;
            if (t < best)
                best = t;
        }
        if (check(src, n, dst, m) != 0) {
            fprintf(stderr, "sort_bench: wrong result for n %zu\n", n);
            return 1;
        }
        if (cases[c].pct >= 0)
            printf("table n %8zu  %2d%% nonzero  %7.2f ns/slot\n", n,
                   cases[c].pct, best);
        else
            printf("vec   n %8zu  20%% repeats  %7.2f ns/value\n", n,
                   best);
        free(src);
        free(dst);
    }
    return 0;
}
