/*
 * kernel_bench.c - micro-benchmark of the MinHash kernels (sketch.h):
 * the cost of folding one distinct shingle into a signature of k slots,
 * for every kernel this build has and this CPU runs.
 *
 * The kernels get what doc.c gives them: batches of DOC_BATCH uniform
 * 64-bit hashes, into a signature cleared every 4 batches (a document
 * of about 1,000 distinct shingles, 6 KiB of English).  Prints, per
 * kernel, the best of several runs in ns per shingle, one line each:
 *
 *   avx512 6.21
 *
 * bench/speed.sh adds that cost, times the corpus's shingles per byte,
 * to the floor (read + tokenise + hash) to print the most any end-to-
 * end run of dupfind could reach on the machine.
 *
 * Usage: dupfind_kernel_bench [runs [k]]   (default 7 runs, k = 128)
 */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctx.h"
#include "internal.h"
#include "sketch.h"

/* A run folds BENCH_PASSES passes over BENCH_HASHES hashes (2 MiB, in
 * cache as the builder's batch is). */
#define BENCH_HASHES ((size_t)1 << 18)
#define BENCH_PASSES 4

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Slots of the signatures folded, summed: their work cannot be left
 * out. */
static volatile uint64_t sink;

/* Best of runs, ns per shingle; *sum adds up the signatures' slots. */
static double time_kernel(sketch_fn fn, const sketch_params *p,
                          uint32_t *sig, const uint64_t *h, int runs,
                          uint64_t *sum)
{
    double best = 0;
    int r;

    for (r = 0; r < runs; r++) {
        double t0 = now_ns(), t;
        size_t pass, i;
        unsigned s;

        for (pass = 0; pass < BENCH_PASSES; pass++)
            for (i = 0; i < BENCH_HASHES; i += DOC_BATCH) {
                if (i % (4 * DOC_BATCH) == 0) {
                    for (s = 0; s < p->k; s++)
                        *sum += sig[s];
                    sketch_clear(sig, p->k);
                }
                fn(p, sig, h + i, DOC_BATCH);
            }
        t = (now_ns() - t0) / (double)(BENCH_PASSES * BENCH_HASHES);
        if (r == 0 || t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    static const dupfind_simd levels[] = {
        DUPFIND_SIMD_AVX512, DUPFIND_SIMD_AVX2, DUPFIND_SIMD_SSE,
        DUPFIND_SIMD_NEON, DUPFIND_SIMD_SCALAR
    };
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    long k = argc > 2 ? atol(argv[2]) : 128;
    sketch_params p;
    uint64_t *h, seed = 1, sum = 0;
    uint32_t *sig;
    size_t i;

    if (argc > 3 || runs < 1 || k < 1 || k > 4096) {
        fprintf(stderr, "usage: dupfind_kernel_bench [runs [k]]\n");
        return 2;
    }
    h = malloc(BENCH_HASHES * sizeof(*h));
    sig = malloc((size_t)k * sizeof(*sig));
    if (!h || !sig || sketch_params_init(&p, (unsigned)k, 1) != 0) {
        fprintf(stderr, "dupfind_kernel_bench: out of memory\n");
        return 2;
    }
    for (i = 0; i < BENCH_HASHES; i++)
        h[i] = df_splitmix64(&seed);
    sketch_clear(sig, (unsigned)k);
    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        const char *name;
        sketch_fn fn = sketch_select(levels[i], &name);

        if (fn)
            printf("%s %.2f\n", name,
                   time_kernel(fn, &p, sig, h, runs, &sum));
    }
    sink = sum;
    sketch_params_release(&p);
    free(sig);
    free(h);
    return 0;
}
