/*
 * test_containment.c - bias of the containment estimates that
 * verify_estimate derives from the MinHash Jaccard estimate and the exact
 * set sizes (verify.h):
 *
 *     |A n B|^ = J^ (|A| + |B|) / (1 + J^),   a_in_b^ = min(1, |A n B|^ / |A|)
 *
 * For a small document A inside (or partly inside) a document B that is
 * m = |B| / |A| times larger, true containment c = |A n B| / |A| and
 * J = c / (1 + m - c).
 *
 * Stated bounds (k = 128, size ratios m = 1..10), checked here:
 *   |E[a_in_b^] - c| <= 0.005  for c <= 0.5   (where the default 0.5
 *                                              threshold is decided)
 *   |E[a_in_b^] - c| <= 0.015  for c <= 0.7
 *   -0.11 <= E[a_in_b^] - c <= 0.001  for every c: the estimate is never
 *       biased upwards; near full containment it is biased downwards, up
 *       to -0.10 at c = 1, m = 10, because the cap at 1 cuts off the upper
 *       half of a wide distribution (standard deviation 0.19 at c = 0.5,
 *       m = 10: the estimate is unbiased but far from precise there).
 *   |E[b_in_a^] - c/m| <= 0.005 for every c (the large side).
 *
 *  1. Exact expectation: the number of equal slots is Bin(k, J) (what
 *     test_minhash checks); E[a_in_b^] = sum_x P[X = x] a_in_b^(x), with
 *     a_in_b^(x) computed by verify_estimate itself from signatures with
 *     exactly x equal slots.  Grid: m = 1..10, c = 0.05..1 by 0.05.
 *  2. Monte Carlo with real signatures of random sets (|A| = 150,
 *     |B| = 150 m) for m = 1, 3, 10 and c = 0.5, 0.9: the mean estimate
 *     agrees with the exact expectation of 1 within 3.5 standard errors
 *     and its standard deviation with the model's within 4 / sqrt(2n)
 *     (relative), which checks the binomial model at unequal sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats_util.h"
#include "verify.h"

#define K 128

/* Scores verify_estimate gives a pair of sizes na, nb whose signatures
 * agree in exactly x slots. */
static dupfind_pair scores_at(unsigned x, uint64_t na, uint64_t nb)
{
    uint32_t sa[K], sb[K];
    dupfind_pair p;
    unsigned i;

    for (i = 0; i < K; i++) {
        sa[i] = i;
        sb[i] = i < x ? i : i + 1000000u;
    }
    memset(&p, 0, sizeof(p));
    verify_estimate(&p, sa, sb, K, na, nb, 0.5, 0.5);
    return p;
}

/* Exact mean and standard deviation of a_in_b^ and mean of b_in_a^. */
static void expectation(uint64_t na, uint64_t nb, uint64_t inter,
                        double *mean_a, double *sd_a, double *mean_b)
{
    double j = (double)inter / (double)(na + nb - inter), m1 = 0, m2 = 0,
           mb = 0;
    unsigned x;

    for (x = 0; x <= K; x++) {
        double w = st_binom_pmf(x, K, j);
        dupfind_pair p = scores_at(x, na, nb);

        m1 += w * p.a_in_b;
        m2 += w * p.a_in_b * p.a_in_b;
        mb += w * p.b_in_a;
    }
    *mean_a = m1;
    *sd_a = sqrt(m2 - m1 * m1 > 0 ? m2 - m1 * m1 : 0);
    *mean_b = mb;
}

static void test_exact_expectation(void **state)
{
    unsigned m, ci;
    double worst_low = 0, worst_05 = 0, worst_07 = 0, worst_b = 0;

    (void)state;
    printf("[ stats    ] bias of a_in_b^ (sd in brackets), k=%d\n", K);
    printf("[ stats    ]    c");
    for (m = 1; m <= 10; m++)
        printf("        m=%-2u", m);
    printf("\n");
    for (ci = 1; ci <= 20; ci++) {
        double c = ci * 0.05;

        printf("[ stats    ] %.2f", c);
        for (m = 1; m <= 10; m++) {
            uint64_t na = 1000, nb = 1000 * m;
            uint64_t inter = (uint64_t)floor(c * na + 0.5);
            double ct = (double)inter / na, mean_a, sd_a, mean_b, bias;

            expectation(na, nb, inter, &mean_a, &sd_a, &mean_b);
            bias = mean_a - ct;
            printf(" %+.4f(%.2f)", bias, sd_a);
            assert_true(bias <= 0.001);
            assert_true(bias >= -0.11);
            if (ct <= 0.5 + 1e-9)
                assert_true(fabs(bias) <= 0.005);
            if (ct <= 0.7 + 1e-9)
                assert_true(fabs(bias) <= 0.015);
            assert_true(fabs(mean_b - (double)inter / nb) <= 0.005);
            if (bias < worst_low)
                worst_low = bias;
            if (ct <= 0.5 + 1e-9 && fabs(bias) > worst_05)
                worst_05 = fabs(bias);
            if (ct <= 0.7 + 1e-9 && fabs(bias) > worst_07)
                worst_07 = fabs(bias);
            if (fabs(mean_b - (double)inter / nb) > worst_b)
                worst_b = fabs(mean_b - (double)inter / nb);
        }
        printf("\n");
    }
    printf("[ stats    ] worst |bias|: %.4f for c <= 0.5, %.4f for c <= 0.7, "
           "%.4f overall (b_in_a: %.4f)\n", worst_05, worst_07, -worst_low,
           worst_b);
}

static void test_monte_carlo(void **state)
{
    static const unsigned ms[] = { 1, 3, 10 };
    static const double cs[] = { 0.5, 0.9 };
    static uint64_t pool[150 * 11];
    const char *kname;
    sketch_fn fn = sketch_select(DUPFIND_SIMD_AUTO, &kname);
    sketch_params sp;
    uint32_t sa[K], sb[K];
    st_rng r;
    unsigned mi, ci, t;

    (void)state;
    assert_non_null(fn);
    assert_int_equal(sketch_params_init(&sp, K, 0), 0);
    st_seed(&r, 0x5eed0003);
    for (mi = 0; mi < 3; mi++)
        for (ci = 0; ci < 2; ci++) {
            unsigned trials = 300 * ms[mi];
            size_t na = 150, nb = 150 * ms[mi];
            size_t inter = (size_t)floor(cs[ci] * na + 0.5);
            double c = (double)inter / na, sum = 0, sum2 = 0;
            double mean_a, sd_a, mean_b, mean, se;

            for (t = 0; t < trials; t++) {
                st_pair pr;
                dupfind_pair p;

                st_make_pair(&r, &pr, pool, na, nb, inter);
                st_sign(fn, &sp, sa, st_set_a(&pr), na);
                st_sign(fn, &sp, sb, st_set_b(&pr), nb);
                memset(&p, 0, sizeof(p));
                verify_estimate(&p, sa, sb, K, na, nb, 0.5, 0.5);
                sum += p.a_in_b;
                sum2 += p.a_in_b * p.a_in_b;
            }
            expectation(na, nb, inter, &mean_a, &sd_a, &mean_b);
            mean = sum / trials;
            se = sd_a / sqrt(trials);
            printf("[ stats    ] m=%-2u c=%.2f: %4u trials (%s), mean "
                   "a_in_b^ %.4f, binomial model %.4f +- %.4f (3.5 SE), "
                   "sd %.3f (model %.3f)\n", ms[mi], c, trials, kname, mean,
                   mean_a, 3.5 * se,
                   sqrt(sum2 / trials - mean * mean), sd_a);
            assert_true(fabs(mean - mean_a) <= 3.5 * se);
            /* Spread too: relative error of a sample sd ~ 1/sqrt(2n). */
            assert_true(fabs(sqrt(sum2 / trials - mean * mean) / sd_a - 1) <=
                        4 / sqrt(2.0 * trials));
        }
    sketch_params_release(&sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_expectation),
        cmocka_unit_test(test_monte_carlo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
