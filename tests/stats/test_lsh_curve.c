/*
 * test_lsh_curve.c - the share of pairs that LSH banding makes candidates
 * follows the S-curve of lsh.h,  P(s) = 1 - (1 - s^r)^b.
 *
 * For each similarity s of a grid from 0.005 to 0.9, NPAIRS pairs of
 * random sets (500 random 64-bit shingle hashes each, exact Jaccard s up
 * to rounding of the intersection) are signed with the library's MinHash
 * (seed 0, k = 128) and all pairs of all grid points go through
 * lsh_candidates together, once per banding (b, r):
 *
 *   b = 26, r = 3    what lsh_choose_params picks for threshold 0.5
 *   b = 128, r = 1   the containment banding (with its bucket cap)
 *   b = 32, r = 4;  b = 16, r = 8;  b = 8, r = 16
 *
 * The number of planted pairs found at each s must be plausible under
 * Bin(NPAIRS, P(s)): two-sided exact tail probability >= 1e-5 (about 4.4
 * sigma; with 70 checks the chance of a false alarm is below 1e-3, and
 * the seeds are fixed anyway).  Pairs between documents of different
 * planted pairs are ignored.
 *
 * Negative control: with slots in identical pairs (correlated slots, as
 * in test_minhash) the same check must reject the curve.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lsh.h"
#include "stats_util.h"

#define K 128
#define NPAIRS 400
#define SETSIZE 500
#define MIN_TAIL 1e-5

static const double grid[] = {
    0.005, 0.01, 0.02, 0.048, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7,
    0.8, 0.9
};
#define NGRID (sizeof(grid) / sizeof(grid[0]))

static void params_library(sketch_params *sp)
{
    assert_int_equal(sketch_params_init(sp, K, 0), 0);
}

static void params_paired_slots(sketch_params *sp)
{
    unsigned i;

    assert_int_equal(sketch_params_init(sp, K, 0), 0);
    for (i = 1; i < K; i += 2) {
        sp->a[i] = sp->a[i - 1];
        sp->b[i] = sp->b[i - 1];
    }
}

/* Returns the number of (banding, s) checks that failed. */
static int check_curve(void (*params)(sketch_params *), const char *what)
{
    static uint64_t pool[2 * SETSIZE];
    const uint32_t n = 2 * NPAIRS * NGRID;
    const char *kname;
    sketch_fn fn = sketch_select(DUPFIND_SIMD_AUTO, &kname);
    uint32_t *sig = malloc((size_t)n * K * sizeof(*sig));
    unsigned char *active = malloc(n);
    double jac[NGRID];
    lsh_config conf[5];
    sketch_params sp;
    st_rng r;
    unsigned g, i, c;
    int failed = 0;

    assert_non_null(fn);
    assert_non_null(sig);
    assert_non_null(active);
    memset(active, 1, n);
    params(&sp);
    lsh_choose_params(K, 0.5, &conf[0].bands, &conf[0].rows);
    conf[0].cap = 0;
    conf[1].bands = K;
    conf[1].rows = 1;
    conf[1].cap = LSH_SINGLE_ROW_CAP;
    conf[2].bands = 32;
    conf[2].rows = 4;
    conf[3].bands = 16;
    conf[3].rows = 8;
    conf[4].bands = 8;
    conf[4].rows = 16;
    conf[2].cap = conf[3].cap = conf[4].cap = 0;

    /* Documents 2p and 2p+1 form planted pair p; pair p has grid point
     * p / NPAIRS. */
    st_seed(&r, 0x5eed0004);
    for (g = 0; g < NGRID; g++) {
        size_t inter = (size_t)floor(grid[g] * 2 * SETSIZE / (1 + grid[g]) +
                                     0.5);
        for (i = 0; i < NPAIRS; i++) {
            size_t p = (size_t)g * NPAIRS + i;
            st_pair pr;

            st_make_pair(&r, &pr, pool, SETSIZE, SETSIZE, inter);
            jac[g] = st_jaccard(&pr);
            st_sign(fn, &sp, sig + 2 * p * K, st_set_a(&pr), SETSIZE);
            st_sign(fn, &sp, sig + (2 * p + 1) * K, st_set_b(&pr), SETSIZE);
        }
    }
    sketch_params_release(&sp);

    for (c = 0; c < 5; c++) {
        uint64_t *pairs;
        size_t npairs, x;
        unsigned found[NGRID] = {0};

        assert_int_equal(lsh_candidates(sig, K, n, active, &conf[c], 1, 0,
                                        &pairs, &npairs), 0);
        for (x = 0; x < npairs; x++) {
            uint32_t a = (uint32_t)(pairs[x] >> 32), b = (uint32_t)pairs[x];
            if (a % 2 == 0 && b == a + 1)
                found[a / 2 / NPAIRS]++;
        }
        free(pairs);
        printf("[ stats    ] %s: b=%u r=%u (%s kernel):", what,
               conf[c].bands, conf[c].rows, kname);
        for (g = 0; g < NGRID; g++) {
            double p = lsh_probability(jac[g], conf[c].bands, conf[c].rows);
            double tail = st_binom_two_sided(found[g], NPAIRS, p);
            int bad = tail < MIN_TAIL;

            printf("%s s=%.3f %.3f/%.3f%s", g % 4 ? "" : "\n[ stats    ]  ",
                   jac[g], (double)found[g] / NPAIRS, p, bad ? " REJECTED" : "");
            failed += bad;
        }
        printf("\n");
    }
    free(sig);
    free(active);
    return failed;
}

static void test_s_curve(void **state)
{
    (void)state;
    assert_int_equal(check_curve(params_library, "library"), 0);
}

static void test_control_rejected(void **state)
{
    (void)state;
    assert_true(check_curve(params_paired_slots, "control") > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s_curve),
        cmocka_unit_test(test_control_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
