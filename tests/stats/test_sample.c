/*
 * test_sample.c - the rejection of candidate pairs by their samples
 * (verify_sample_rejects, DOC_IN_SAMPLE in ctx.h).
 *
 * Each document keeps the shingles whose hash has its low 32 bits below
 * 2^28 (one in 16); a pair is ruled out when the Wilson intervals
 * (z = 3.5) of the shared share of the samples lie below the
 * thresholds.  Nothing checks a rejection afterwards, so a pair really
 * at a threshold must almost never be rejected, while a small document
 * that shares little with a large one (the pairs this is for) must be.
 *
 * Random sets of distinct hashes (stats_util.h) with an exact
 * intersection, sampled as the document builder samples:
 *  1. At the threshold: containment of A in B exactly 0.5 (ct = 0.5),
 *     |A| = 40 .. 1000, |B| = 1 .. 30 |A|; and Jaccard exactly 0.5 with
 *     containment off.  Rejected at most 5 times in 4,800 each (one-sided
 *     z = 3.5 is about 1 in 4,300, and Wilson's interval is wider than
 *     that at these sample sizes: none here; with z = 2.5 it was 9 and
 *     16).
 *  2. Power: containment 0.1 and 0.25 of an 800-shingle document in
 *     one 10 times larger: rejected at least 99% and 40% of the time (about 55%: the interval of 12 shared of 50 sampled reaches just to 0.5).
 *  3. A sample too small to say anything (|A| = 40, about 2 sampled) is
 *     not rejected even when nothing is shared, and the sampling rate
 *     is one in 16 within 4 standard errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx.h"
#include "stats_util.h"
#include "verify.h"

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The sample of h[0 .. n) as a document of more than DOC_SAMPLE_ALL
 * shingles keeps it into out (low 32 bits of the hashes picked, sorted,
 * distinct); returns its size. */
static size_t sample_of(const uint64_t *h, size_t n, uint32_t *out)
{
    size_t i, w = 0, m = 0;

    for (i = 0; i < n; i++)
        if (DOC_IN_SAMPLE(h[i]))
            out[m++] = (uint32_t)h[i];
    qsort(out, m, sizeof(*out), cmp_u32);
    for (i = 0; i < m; i++)
        if (w == 0 || out[w - 1] != out[i])
            out[w++] = out[i];
    return w;
}

/* How many of trials random pairs (|A| = na, |B| = nb, |A n B| = inter)
 * the samples reject at thresholds t, ct.  *sampled adds up the sizes
 * of A's samples. */
static unsigned rejections(st_rng *r, size_t na, size_t nb, size_t inter,
                           double t, double ct, unsigned trials,
                           uint64_t *sampled)
{
    size_t pool_n = na + nb - inter;
    uint64_t *pool = malloc(pool_n * sizeof(*pool));
    uint32_t *sa = malloc(na * sizeof(*sa)), *sb = malloc(nb * sizeof(*sb));
    unsigned i, n = 0;
    st_pair p;

    assert_non_null(pool);
    assert_non_null(sa);
    assert_non_null(sb);
    for (i = 0; i < trials; i++) {
        size_t ma, mb;

        st_make_pair(r, &p, pool, na, nb, inter);
        ma = sample_of(st_set_a(&p), na, sa);
        mb = sample_of(st_set_b(&p), nb, sb);
        *sampled += ma;
        n += (unsigned)verify_sample_rejects(
            (double)verify_sample_shared_with(verify_merge32_scalar, sa, ma, sb,
                                               mb), (double)ma,
            (double)mb, t, ct);
    }
    free(pool);
    free(sa);
    free(sb);
    return n;
}

static void test_at_threshold(void **state)
{
    static const size_t sizes[] = { 40, 100, 300, 1000 };
    static const size_t ratios[] = { 1, 3, 10, 30 };
    st_rng r;
    unsigned i, j, rej_c = 0, rej_j = 0, trials = 0;
    uint64_t sampled = 0;

    (void)state;
    st_seed(&r, 101);
    for (i = 0; i < 4; i++) {
        for (j = 0; j < 4; j++) {
            size_t na = sizes[i], nb = na * ratios[j];

            rej_c += rejections(&r, na, nb, na / 2, 0.5, 0.5, 300,
                                &sampled);
            trials += 300;
        }
        /* Jaccard 0.5: |A| = |B| = n, |A n B| = 2n / 3 */
        rej_j += rejections(&r, sizes[i] * 3, sizes[i] * 3, sizes[i] * 2,
                            0.5, 0, 1200, &sampled);
    }
    printf("at the threshold: containment rejected %u of %u, Jaccard %u "
           "of 4800\n", rej_c, trials, rej_j);
    assert_true(rej_c <= 5);
    assert_true(rej_j <= 5);
}

static void test_power(void **state)
{
    st_rng r;
    uint64_t sampled = 0;
    unsigned low, mid;

    (void)state;
    st_seed(&r, 202);
    low = rejections(&r, 800, 8000, 80, 0.5, 0.5, 500, &sampled);
    mid = rejections(&r, 800, 8000, 200, 0.5, 0.5, 500, &sampled);
    printf("containment 0.1: rejected %u of 500; 0.25: %u of 500\n", low,
           mid);
    assert_true(low >= 495);
    assert_true(mid >= 200);
}

static void test_small_sample(void **state)
{
    st_rng r;
    uint64_t sampled = 0;
    unsigned n;
    double mean, sd;

    (void)state;
    st_seed(&r, 303);
    /* |A| = 40 (about 2.5 sampled): none of up to 12 sampled shared
     * still allows 0.5 at z = 3.5 */
    n = rejections(&r, 40, 4000, 0, 0.5, 0.5, 1000, &sampled);
    printf("40 shingles, nothing shared: rejected %u of 1000\n", n);
    assert_int_equal(n, 0);
    /* an empty sample on either side decides nothing */
    assert_false(verify_sample_rejects(0, 0, 0, 0.5, 0.5));
    /* the sampling rate: 40,000 draws at 1/16 */
    mean = (double)sampled / 1000.0;
    sd = sqrt(40.0 * (1.0 / 16) * (15.0 / 16) / 1000.0);
    printf("mean sample of 40: %.3f (expected 2.5, sd %.3f)\n", mean, sd);
    assert_true(fabs(mean - 2.5) <= 4 * sd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_at_threshold),
        cmocka_unit_test(test_power),
        cmocka_unit_test(test_small_sample),
    };

    return cmocka_run_group_tests_name("sample", tests, NULL, NULL);
}
