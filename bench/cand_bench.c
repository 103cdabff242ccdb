/*
 * cand_bench.c - benchmark of candidate generation alone
 * (dupfind_ctx_candidates_threads), the phase that dominates a run over
 * a million small documents (docs/performance.md, "Memory").
 *
 * Reads FILE, one document per line, sketches every line with the
 * default options through the public API, then runs candidate
 * generation RUNS times in the same process and prints the best and the
 * median wall time, the pairs returned and a checksum of them, so that
 * two builds can be compared side by side on the same signatures: on a
 * shared, noisy machine the best of several runs of one phase is far
 * steadier than whole runs of dupfind.
 *
 * Usage: dupfind_cand_bench FILE [runs [threads]]  (default 7 runs,
 *        1 thread)
 * For the corpus of bench/memory.sh --million, one line per record:
 *   /usr/bin/python3 -c 'import json,sys
 *   for l in sys.stdin: print(json.loads(l)["text"].replace("\n", " "))' \
 *     < bench/out/memory-s1-1m-jsonl/corpus.jsonl > 1m.txt
 */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime, getline */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dupfind.h"

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Sketches each line of path into ctx; returns the documents or -1. */
static long load(dupfind_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "rb");
    dupfind_doc *doc = NULL;
    char *line = NULL, name[32];
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    uint32_t id;

    if (!f) {
        perror(path);
        return -1;
    }
    if (dupfind_doc_new(&doc, ctx) != 0) {
        fclose(f);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) >= 0) {
        dupfind_doc_reset(doc);
        snprintf(name, sizeof(name), "%ld", n + 1);
        if (dupfind_doc_feed(doc, line, (size_t)len) < 0 ||
            dupfind_doc_finish(doc) < 0 ||
            dupfind_ctx_add(ctx, &id, name, strlen(name), doc) < 0) {
            n = -1;
            break;
        }
        n++;
    }
    free(line);
    dupfind_doc_free(doc);
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    dupfind_options opts;
    dupfind_ctx *ctx = NULL;
    int runs = argc > 2 ? atoi(argv[2]) : 7, r;
    unsigned threads = argc > 3 ? (unsigned)atoi(argv[3]) : 1;
    double *t, t0;
    long n;

    if (argc < 2 || runs < 1) {
        fprintf(stderr, "usage: dupfind_cand_bench FILE [runs [threads]]\n");
        return 2;
    }
    dupfind_options_init(&opts);
    if (dupfind_ctx_new(&ctx, &opts, NULL, 0) != 0)
        return 2;
    t0 = now_s();
    if ((n = load(ctx, argv[1])) < 0) {
        dupfind_ctx_free(ctx);
        return 2;
    }
    printf("%ld documents sketched in %.2f s (%s)\n", n, now_s() - t0,
           dupfind_ctx_simd_name(ctx));
    if (!(t = malloc((size_t)runs * sizeof(*t)))) {
        dupfind_ctx_free(ctx);
        return 2;
    }
    for (r = 0; r < runs; r++) {
        dupfind_results *res = NULL;
        uint64_t sum = 0;
        size_t i, m;

        t0 = now_s();
        if (dupfind_ctx_candidates_threads(ctx, threads, &res) != 0) {
            fprintf(stderr, "dupfind_cand_bench: out of memory\n");
            free(t);
            dupfind_ctx_free(ctx);
            return 2;
        }
        t[r] = now_s() - t0;
        m = dupfind_results_count(res);
        for (i = 0; i < m; i++) {
            const dupfind_pair *p = dupfind_results_pair(res, i);

            sum = sum * 0x100000001B3ULL + ((uint64_t)p->a << 32 | p->b);
        }
        if (r == 0)
            printf("%zu candidate pairs kept, checksum %016llx\n", m,
                   (unsigned long long)sum);
        dupfind_results_free(res);
    }
    qsort(t, (size_t)runs, sizeof(*t), cmp_double);
    printf("candidates, %u thread(s), %d runs: best %.3f s, median %.3f s\n",
           threads, runs, t[0], t[runs / 2]);
    free(t);
    dupfind_ctx_free(ctx);
    return 0;
}
