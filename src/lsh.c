/*
 * lsh.c - LSH parameter choice and candidate generation (see lsh.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"
#include "lsh.h"
#include "sort.h"

#define LSH_SEED_TAG 0x62616e6473ULL   /* "bands" */

double lsh_probability(double s, unsigned b, unsigned r)
{
    return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

/* Composite Simpson's rule; the integrands are smooth polynomials. */
static double integrate(double lo, double hi, unsigned b, unsigned r,
                        int complement)
{
    const int n = 256;       /* even */
    double h = (hi - lo) / n, sum = 0;
    int i;

    for (i = 0; i <= n; i++) {
        double p = lsh_probability(lo + i * h, b, r);
        double f = complement ? 1.0 - p : p;
        sum += f * (i == 0 || i == n ? 1 : (i & 1) ? 4 : 2);
    }
    return sum * h / 3;
}

void lsh_error_areas(double t, unsigned b, unsigned r,
                     double *fp, double *fn)
{
    *fp = integrate(0.0, t, b, r, 0);
    *fn = integrate(t, 1.0, b, r, 1);
}

/* Simpson's rule needs an even number of intervals: HALF on each side
 * of the threshold. */
#define CHOOSE_STEPS 256
#define HALF 128             /* CHOOSE_STEPS / 2 */

void lsh_choose_params(unsigned k, double t, unsigned *bands,
                       unsigned *rows)
{
    double s[CHOOSE_STEPS + 1], lg[CHOOSE_STEPS + 1];
    double best = INFINITY, h = 1.0 / CHOOSE_STEPS;
    unsigned b, r, i;

    *bands = 1;
    *rows = k;
    /* The same areas as lsh_error_areas, on one grid over [0, 1] split
     * at t, with log(1 - s^r) computed once per r: (1 - s^r)^b is then
     * one exp per point, which keeps the search to a few milliseconds
     * even though it tries every b*r <= k. */
    for (r = 1; r <= k; r++) {
        for (i = 0; i <= CHOOSE_STEPS; i++) {
            double x = i <= HALF ? t * i / HALF
                                 : t + (1 - t) * (i - HALF) / HALF;
            s[i] = pow(x, (double)r);
            lg[i] = s[i] < 1.0 ? log1p(-s[i]) : -INFINITY;
        }
        for (b = 1; b <= k / r; b++) {
            double fp = 0, fn = 0, err;

            for (i = 0; i <= HALF; i++) {
                double w = (i == 0 || i == HALF) ? 1 : (i & 1) ? 4 : 2;
                double p = 1.0 - exp(b * lg[i]);
                double q = 1.0 - exp(b * lg[i + HALF]);

                fp += w * p;
                fn += w * (1.0 - q);
            }
            fp *= t * 2 * h / 3;
            fn *= (1 - t) * 2 * h / 3;
            err = LSH_FP_WEIGHT * fp + LSH_FN_WEIGHT * fn;
            if (err < best) {
                best = err;
                *bands = b;
                *rows = r;
            }
        }
    }
}

static int pairs_compact(uint64_t *pairs, size_t *n)
{
    size_t i, w = 0;

    sort_u64(pairs, *n);
    for (i = 0; i < *n; i++)
        if (w == 0 || pairs[w - 1] != pairs[i])
            pairs[w++] = pairs[i];
    *n = w;
    return 0;
}

/* 32-bit key of one band.  A single row is a MinHash value already, a
 * uniform 32-bit hash; longer bands are hashed.  Two different bands
 * meeting on a 32-bit key only make a pair that verification rejects. */
static uint32_t band_key(const uint32_t *rows, unsigned r, uint64_t seed)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint32_t le[4096];
    unsigned i;

    for (i = 0; i < r; i++)
        le[i] = __builtin_bswap32(rows[i]);
    rows = le;
#endif
    if (r == 1)
        return rows[0];
    return (uint32_t)(XXH3_64bits_withSeed(rows, (size_t)r * 4, seed) >> 32);
}

int lsh_candidates(const uint32_t *sig, unsigned k, uint32_t n,
                   const unsigned char *active, const lsh_config *conf,
                   unsigned nconf, uint64_t seed,
                   uint64_t **out, size_t *out_n)
{
    uint64_t *rec = NULL, *tmp = NULL, *pairs = NULL;
    size_t npairs = 0, cap = 0, compacted = 0, m;
    unsigned band, ci;
    uint32_t id;
    int rc = DUPFIND_ENOMEM;

    *out = NULL;
    *out_n = 0;
    /* A band record is key << 32 | id: 8 bytes a document. */
    rec = malloc((n ? n : 1) * sizeof(*rec));
    tmp = malloc((n ? n : 1) * sizeof(*tmp));
    if (!rec || !tmp)
        goto cleanup;

    for (ci = 0; ci < nconf; ci++)
    for (band = 0; band < conf[ci].bands; band++) {
        unsigned rows = conf[ci].rows;
        uint64_t bseed = seed ^ LSH_SEED_TAG ^ ((uint64_t)band << 40) ^
                         ((uint64_t)rows << 20);
        size_t i, j;

        m = 0;
        for (id = 0; id < n; id++)
            if (active[id])
                rec[m++] = (uint64_t)band_key(sig + (size_t)id * k +
                                              band * rows, rows, bseed)
                           << 32 | id;
        /* Sorting by the key bits only is stable, and records were made
         * in id order: ids ascend within a run of equal keys. */
        radix_sort_u64_from(rec, tmp, m, 32);
        for (i = 0; i < m; i = j) {
            uint64_t key = rec[i] >> 32;

            for (j = i + 1; j < m && rec[j] >> 32 == key; j++)
                ;
            if (j - i < 2 || (conf[ci].cap && j - i > conf[ci].cap))
                continue;
            if (DF_GROW(pairs, cap, npairs + (j - i) * (j - i - 1) / 2) < 0)
                goto cleanup;
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++)
                    pairs[npairs++] = rec[x] << 32 | (uint32_t)rec[y];
        }
        if (npairs > 2 * compacted + 1024) {
            pairs_compact(pairs, &npairs);
            compacted = npairs;
        }
    }
    pairs_compact(pairs, &npairs);
    *out = pairs;
    *out_n = npairs;
    pairs = NULL;
    rc = 0;
cleanup:
    free(pairs);
    free(rec);
    free(tmp);
    return rc;
}
