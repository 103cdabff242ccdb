/*
 * test_minhash.c - the MinHash Jaccard estimate (sketch.h, verify.h) is
 * unbiased and has the binomial spread sqrt(J(1-J)/k) that verify.h and
 * the LSH curve assume.
 *
 * Theory: with a min-wise independent hash per slot, each of the k slots
 * of two signatures is equal with probability J, independently, so the
 * number of equal slots X ~ Bin(k, J) and the estimate X/k has mean J
 * and variance J(1-J)/k.  The tests feed random 64-bit "shingle hashes"
 * (what XXH3 gives for real shingles) through sketch_update_scalar with
 * the library's own parameters (sketch_params_init, seed 0 as dupfind
 * uses by default) and score pairs with verify_estimate.
 *
 *  1. Over 2000 random pairs (sizes 200..2000, exact J spread over
 *     0.05..0.95): mean error within 3 standard errors of 0; the share of
 *     estimates within 2 sigma of the truth no lower than its exact
 *     binomial expectation minus 3 standard errors (about 0.93); the sum
 *     of squared errors over the sum of J(1-J)/k within 4 standard
 *     deviations of 1, overall and in each of five J bands.
 *  2. Per pair, across 1000 hash seeds (the randomness MinHash theory is
 *     about: fixed sets, random hash functions): mean within 3.5 standard
 *     errors of J and variance ratio within 4 standard deviations of 1,
 *     for J in 0.05, 0.2, 0.5, 0.8, 0.95 - so correlated slots (which
 *     would inflate the variance) show up.
 *  3. Negative control: the same checks reject a hash family whose slots
 *     come in identical pairs (correlated slots: twice the variance).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats_util.h"
#include "verify.h"

#define K 128
#define NPAIRS 2000
#define NSEEDS 1000
#define MAXSET 2000

/* E[(X/k - p)^4] for X ~ Bin(k, p). */
static double fourth_moment(double p, unsigned k)
{
    double q = p * (1 - p);
    return k * q * (1 + 3.0 * (k - 2) * q) / ((double)k * k * k * k);
}

/* P[|X/k - p| <= 2 sqrt(p(1-p)/k)] for X ~ Bin(k, p). */
static double coverage_2sigma(double p, unsigned k)
{
    double s = sqrt(p * (1 - p) / k), c = 0;
    unsigned x;

    for (x = 0; x <= k; x++)
        if (fabs((double)x / k - p) <= 2 * s + 1e-12)
            c += st_binom_pmf(x, k, p);
    return c;
}

/* Scores of one pair under sp: verify_estimate's Jaccard. */
static double estimate(const sketch_params *sp, const st_pair *pr,
                       uint32_t *sa, uint32_t *sb)
{
    dupfind_pair p;

    st_sign(sketch_update_scalar, sp, sa, st_set_a(pr), pr->na);
    st_sign(sketch_update_scalar, sp, sb, st_set_b(pr), pr->nb);
    memset(&p, 0, sizeof(p));
    verify_estimate(&p, sa, sb, sp->k, pr->na, pr->nb, 0.5, 0.5);
    assert_true(p.jaccard == (double)sketch_equal_slots(sa, sb, sp->k) /
                                 sp->k);
    assert_int_equal(p.exact, 0);
    return p.jaccard;
}

/* Sizes and intersection for a target Jaccard j with |A| = na: picks |B|
 * in 200..2000 such that the pair is feasible. */
static void sizes_for(st_rng *r, double j, size_t *na, size_t *nb,
                      size_t *inter)
{
    for (;;) {
        double i;

        *na = st_range(r, 200, MAXSET);
        *nb = st_range(r, 200, MAXSET);
        i = floor(j * (double)(*na + *nb) / (1 + j) + 0.5);
        if (i >= 1 && i <= (double)(*na < *nb ? *na : *nb)) {
            *inter = (size_t)i;
            return;
        }
    }
}

/* The library's parameters for a seed. */
static void params_library(sketch_params *sp, uint64_t seed)
{
    assert_int_equal(sketch_params_init(sp, K, seed), 0);
}

/* Negative control: slots come in identical pairs (k/2 independent hash
 * functions, each used twice), as a seeding bug could make them.  The
 * estimate stays unbiased but its variance doubles; the checks must
 * notice. */
static void params_paired_slots(sketch_params *sp, uint64_t seed)
{
    unsigned i;

    assert_int_equal(sketch_params_init(sp, K, seed), 0);
    for (i = 1; i < K; i += 2) {
        sp->a[i] = sp->a[i - 1];
        sp->b[i] = sp->b[i - 1];
    }
}

/* Estimates of NPAIRS random pairs under the parameters of seed 0.
 * Returns the number of checks that failed. */
static int random_pairs(void (*params)(sketch_params *, uint64_t),
                        const char *what)
{
    static uint64_t pool[2 * MAXSET];
    uint32_t sa[K], sb[K];
    sketch_params sp;
    st_rng r;
    double sum_e = 0, sum_var = 0, sum_e2 = 0, sum_var_e2 = 0;
    double cover_exp = 0, band_e2[5] = {0}, band_var[5] = {0},
           band_v4[5] = {0};
    unsigned covered = 0, band_n[5] = {0}, i;
    int failed = 0;

    params(&sp, 0);
    st_seed(&r, 0x5eed0001);
    for (i = 0; i < NPAIRS; i++) {
        double jt = 0.05 + 0.90 * (i + st_unif(&r)) / NPAIRS;
        size_t na, nb, inter;
        st_pair pr;
        double j, est, e, var, v4;
        int band;

        sizes_for(&r, jt, &na, &nb, &inter);
        st_make_pair(&r, &pr, pool, na, nb, inter);
        j = st_jaccard(&pr);
        est = estimate(&sp, &pr, sa, sb);
        e = est - j;
        var = j * (1 - j) / K;
        v4 = fourth_moment(j, K) - var * var;
        sum_e += e;
        sum_var += var;
        sum_e2 += e * e;
        sum_var_e2 += v4;
        covered += fabs(e) <= 2 * sqrt(var) + 1e-12;
        cover_exp += coverage_2sigma(j, K);
        band = (int)((j - 0.05) / 0.18);
        band = band < 0 ? 0 : band > 4 ? 4 : band;
        band_n[band]++;
        band_e2[band] += e * e;
        band_var[band] += var;
        band_v4[band] += v4;
    }
    sketch_params_release(&sp);

    {
        double mean = sum_e / NPAIRS, se = sqrt(sum_var) / NPAIRS;
        double share = (double)covered / NPAIRS, pexp = cover_exp / NPAIRS;
        double lo = pexp - 3 * sqrt(pexp * (1 - pexp) / NPAIRS);
        double ratio = sum_e2 / sum_var, sd = sqrt(sum_var_e2) / sum_var;

        printf("[ stats    ] %s: %d pairs, k=%d: mean error %+.5f "
               "(3 SE = %.5f)%s\n", what, NPAIRS, K, mean, 3 * se,
               fabs(mean) <= 3 * se ? "" : "  REJECTED");
        printf("[ stats    ] %s: within 2 sigma: %.4f (expected %.4f, "
               "bound %.4f)%s\n", what, share, pexp, lo,
               share >= lo ? "" : "  REJECTED");
        printf("[ stats    ] %s: variance ratio %.4f (1 +- %.4f)%s\n", what,
               ratio, 4 * sd, fabs(ratio - 1) <= 4 * sd ? "" : "  REJECTED");
        failed += !(fabs(mean) <= 3 * se);
        failed += !(share >= lo);
        failed += !(fabs(ratio - 1) <= 4 * sd);
    }
    for (i = 0; i < 5; i++) {
        double ratio = band_e2[i] / band_var[i];
        double sd = sqrt(band_v4[i]) / band_var[i];

        printf("[ stats    ] %s: J in [%.2f,%.2f): %3u pairs, variance "
               "ratio %.3f (1 +- %.3f)%s\n", what, 0.05 + 0.18 * i,
               0.05 + 0.18 * (i + 1), band_n[i], ratio, 4 * sd,
               fabs(ratio - 1) <= 4 * sd ? "" : "  REJECTED");
        assert_true(band_n[i] > 100);
        failed += !(fabs(ratio - 1) <= 4 * sd);
    }
    return failed;
}

static void test_random_pairs(void **state)
{
    (void)state;
    assert_int_equal(random_pairs(params_library, "library"), 0);
}



/* Mean and variance of the estimate of fixed pairs across NSEEDS hash
 * seeds.  Returns the number of checks that failed. */
static int across_seeds(void (*params)(sketch_params *, uint64_t),
                        const char *what)
{
    static const double targets[] = { 0.05, 0.2, 0.5, 0.8, 0.95 };
    static uint64_t pool[2 * 1000];
    uint32_t sa[K], sb[K];
    st_rng r;
    unsigned t, s;
    int failed = 0;

    st_seed(&r, 0x5eed0002);
    for (t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
        size_t na = 1000, nb = 1000;
        size_t inter = (size_t)floor(targets[t] * 2000 / (1 + targets[t]) +
                                     0.5);
        st_pair pr;
        double j, sum_e = 0, sum_e2 = 0, var, v4, mean, ratio, sd;
        int ok;

        st_make_pair(&r, &pr, pool, na, nb, inter);
        j = st_jaccard(&pr);
        for (s = 0; s < NSEEDS; s++) {
            sketch_params sp;
            double e;

            params(&sp, 1000 + s);
            e = estimate(&sp, &pr, sa, sb) - j;
            sketch_params_release(&sp);
            sum_e += e;
            sum_e2 += e * e;
        }
        var = j * (1 - j) / K;
        v4 = fourth_moment(j, K) - var * var;
        mean = sum_e / NSEEDS;
        ratio = sum_e2 / NSEEDS / var;
        sd = sqrt(v4 / NSEEDS) / var;
        ok = fabs(mean) <= 3.5 * sqrt(var / NSEEDS) &&
             fabs(ratio - 1) <= 4 * sd;
        printf("[ stats    ] %s: J=%.4f over %d seeds: mean error %+.5f "
               "(3.5 SE = %.5f), variance ratio %.3f (1 +- %.3f)%s\n", what,
               j, NSEEDS, mean, 3.5 * sqrt(var / NSEEDS), ratio, 4 * sd,
               ok ? "" : "  REJECTED");
        failed += !ok;
    }
    return failed;
}

static void test_across_seeds(void **state)
{
    (void)state;
    assert_int_equal(across_seeds(params_library, "library"), 0);
}

/* The checks have power: correlated slots are rejected. */
static void test_controls_rejected(void **state)
{
    (void)state;
    assert_true(random_pairs(params_paired_slots, "control") > 0);
    assert_true(across_seeds(params_paired_slots, "control") > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_pairs),
        cmocka_unit_test(test_across_seeds),
        cmocka_unit_test(test_controls_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
