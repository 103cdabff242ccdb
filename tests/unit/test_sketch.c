/*
 * test_sketch.c - unit tests of sketch.c and sketch_scalar.c: the
 * MinHash hash family, the reference kernel, signature helpers, and a
 * statistical check of the Jaccard estimate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sketch.h"
#include "test_util.h"

static void make_params(sketch_params *p, unsigned k, uint64_t seed)
{
    assert_int_equal(sketch_params_init(p, k, seed), 0);
    assert_non_null(p->a);
    assert_non_null(p->b);
    assert_int_equal(p->k, k);
}

static void sign(const sketch_params *p, uint32_t *sig,
                 const uint64_t *h, size_t n)
{
    sketch_clear(sig, p->k);
    sketch_update_scalar(p, sig, h, n);
}

/* Known answers: a change of the hash family, of its seeding or of the
 * part of the shingle hash it reads changes these values. */
static void test_known_answer(void **state)
{
    static const uint64_t h[3] = { 0x0123456789abcdefULL,
                                   0xfedcba9876543210ULL,
                                   0xdeadbeefcafebabeULL };
    static const uint32_t want0[8] = {
        0x95d5cf4au, 0x18dcd2a3u, 0x6e318f22u, 0x0bafdfd3u,
        0x4e7b6147u, 0x8d7f6592u, 0x58510461u, 0x4cc70f2au };
    static const uint32_t want42[8] = {
        0x134497fau, 0x9b3f39bdu, 0x17c67c66u, 0x1aa73e9cu,
        0x4930e332u, 0x59c71b50u, 0x167cb942u, 0x32c60cd4u };
    /* slot 0 of seed 0: a = 0x471791c7, b = 0xebda8539 */
    sketch_params p;
    uint32_t sig[8];
    unsigned i;

    (void)state;
    make_params(&p, 8, 0);
    assert_int_equal(p.a[0], 0x471791c7u);
    assert_int_equal(p.b[0], 0xebda8539u);
    assert_int_equal(p.a[7], 0xa16b3a53u);
    assert_int_equal(p.b[7], 0x279138c5u);
    sign(&p, sig, h, 3);
    for (i = 0; i < 8; i++)
        assert_int_equal(sig[i], want0[i]);
    sketch_params_release(&p);

    make_params(&p, 8, 42);
    sign(&p, sig, h, 3);
    for (i = 0; i < 8; i++)
        assert_int_equal(sig[i], want42[i]);
    sketch_params_release(&p);

    /* The first slots do not depend on k. */
    make_params(&p, 128, 0);
    {
        uint32_t big[128];

        sign(&p, big, h, 3);
        for (i = 0; i < 8; i++)
            assert_int_equal(big[i], want0[i]);
    }
    sketch_params_release(&p);
}

/* The family of sketch.h: odd a_i, slot i = min (a_i x + b_i) mod 2^32
 * with x the top 32 bits of the hash; every slot its own multiplier. */
static void test_family_definition(void **state)
{
    static const unsigned ks[] = { 1, 2, 7, 128, 129, 4096 };
    test_rng r = { 11 };
    uint64_t h[300];
    size_t ki, j;

    (void)state;
    for (j = 0; j < 300; j++)
        h[j] = rng_next(&r);
    for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
        unsigned k = ks[ki], i, distinct_a = 0;
        sketch_params p;
        uint32_t *sig = malloc(k * sizeof(*sig));
        uint32_t *a_sorted = malloc(k * sizeof(*a_sorted));

        assert_non_null(sig);
        assert_non_null(a_sorted);
        make_params(&p, k, 0x1234 + k);
        sign(&p, sig, h, 300);
        for (i = 0; i < k; i++) {
            uint32_t m = UINT32_MAX;

            assert_true(p.a[i] & 1u);
            for (j = 0; j < 300; j++) {
                uint32_t v = p.a[i] * (uint32_t)(h[j] >> 32) + p.b[i];

                if (v < m)
                    m = v;
            }
            assert_int_equal(sig[i], m);
            a_sorted[i] = p.a[i];
        }
        /* multipliers are not shared between slots */
        for (i = 0; i < k; i++) {
            unsigned m, same = 0;

            for (m = 0; m < i; m++)
                same += a_sorted[m] == a_sorted[i];
            distinct_a += same == 0;
        }
        assert_true(distinct_a + 2 >= k);
        free(sig);
        free(a_sorted);
        sketch_params_release(&p);
    }
}

/* Only the top 32 bits of a shingle hash count. */
static void test_low_bits_ignored(void **state)
{
    sketch_params p;
    uint64_t h1[2] = { 0x1111111100000000ULL, 0x2222222200000000ULL };
    uint64_t h2[2] = { 0x11111111ffffffffULL, 0x2222222212345678ULL };
    uint32_t s1[64], s2[64];

    (void)state;
    make_params(&p, 64, 3);
    sign(&p, s1, h1, 2);
    sign(&p, s2, h2, 2);
    assert_memory_equal(s1, s2, sizeof(s1));
    sketch_params_release(&p);
}

/* The same set in any order and with repeats gives the same signature;
 * folding it in batches equals one call. */
static void test_order_repeats_batches(void **state)
{
    enum { N = 500, K = 128 };
    test_rng r = { 21 };
    sketch_params p;
    uint64_t set[N], shuffled[3 * N];
    uint32_t ref[K], sig[K];
    size_t i, trial;

    (void)state;
    make_params(&p, K, 0);
    for (i = 0; i < N; i++)
        set[i] = rng_next(&r);
    sign(&p, ref, set, N);
    for (trial = 0; trial < 20; trial++) {
        size_t n = N + (size_t)rng_below(&r, 2 * N), done;

        /* every value once, then random repeats, then shuffle */
        for (i = 0; i < N; i++)
            shuffled[i] = set[i];
        for (; i < n; i++)
            shuffled[i] = set[rng_below(&r, N)];
        for (i = n - 1; i > 0; i--) {
            size_t j = (size_t)rng_below(&r, i + 1);
            uint64_t t = shuffled[i];

            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        sign(&p, sig, shuffled, n);
        assert_memory_equal(sig, ref, sizeof(ref));
        /* random batch sizes, including empty batches */
        sketch_clear(sig, K);
        for (done = 0; done < n;) {
            size_t b = (size_t)rng_below(&r, 40);

            if (b > n - done)
                b = n - done;
            sketch_update_scalar(&p, sig, shuffled + done, b);
            done += b;
        }
        assert_memory_equal(sig, ref, sizeof(ref));
    }
    sketch_params_release(&p);
}

static void test_seeds_differ(void **state)
{
    enum { K = 128 };
    test_rng r = { 8 };
    sketch_params p0, p1, p0b;
    uint64_t h[200];
    uint32_t s0[K], s1[K], s0b[K];
    size_t i;

    (void)state;
    for (i = 0; i < 200; i++)
        h[i] = rng_next(&r);
    make_params(&p0, K, 0);
    make_params(&p1, K, 1);
    make_params(&p0b, K, 0);
    sign(&p0, s0, h, 200);
    sign(&p1, s1, h, 200);
    sign(&p0b, s0b, h, 200);
    /* same seed: same parameters and signature */
    assert_memory_equal(p0.a, p0b.a, K * sizeof(*p0.a));
    assert_memory_equal(p0.b, p0b.b, K * sizeof(*p0.b));
    assert_memory_equal(s0, s0b, sizeof(s0));
    /* different seed: (almost) every slot differs */
    assert_true(sketch_equal_slots(s0, s1, K) < 4);
    assert_true(sketch_equal_slots(p0.a, p1.a, K) < 4);
    sketch_params_release(&p0);
    sketch_params_release(&p1);
    sketch_params_release(&p0b);
}

static void test_empty_signature(void **state)
{
    sketch_params p;
    uint32_t sig[33];
    unsigned i;

    (void)state;
    make_params(&p, 33, 0);
    memset(sig, 0, sizeof(sig));
    sketch_clear(sig, 33);
    for (i = 0; i < 33; i++)
        assert_int_equal(sig[i], SKETCH_EMPTY);
    sketch_update_scalar(&p, sig, NULL, 0);
    for (i = 0; i < 33; i++)
        assert_int_equal(sig[i], SKETCH_EMPTY);
    assert_int_equal(SKETCH_EMPTY, UINT32_MAX);
    sketch_params_release(&p);
}

/* Disjoint sets never share a slot (each h_i is a bijection of x);
 * identical sets share all of them. */
static void test_disjoint_and_identical(void **state)
{
    enum { K = 256 };
    test_rng r = { 99 };
    sketch_params p;
    uint64_t a[300], b[300];
    uint32_t sa[K], sb[K];
    size_t i;

    (void)state;
    make_params(&p, K, 5);
    for (i = 0; i < 300; i++) {
        /* top halves distinct: even for a, odd for b */
        a[i] = rng_next(&r) & ~(1ULL << 32);
        b[i] = rng_next(&r) | (1ULL << 32);
    }
    sign(&p, sa, a, 300);
    sign(&p, sb, b, 300);
    assert_int_equal(sketch_equal_slots(sa, sb, K), 0);
    sign(&p, sb, a, 300);
    assert_int_equal(sketch_equal_slots(sa, sb, K), K);
    sketch_params_release(&p);
}

static void test_equal_slots(void **state)
{
    uint32_t x[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, UINT32_MAX };
    uint32_t y[10] = { 1, 0, 3, 0, 5, 0, 7, 0, 9, UINT32_MAX };
    static const struct {
        unsigned k, want;
    } t[] = { { 0, 0 }, { 1, 1 }, { 2, 1 }, { 5, 3 }, { 9, 5 }, { 10, 6 } };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        assert_int_equal(sketch_equal_slots(x, y, t[i].k), t[i].want);
        assert_int_equal(sketch_equal_slots(y, x, t[i].k), t[i].want);
        assert_int_equal(sketch_equal_slots(x, x, t[i].k), t[i].k);
    }
}

/* Every kernel this build and CPU offer (AUTO, SCALAR and each SIMD
 * level that sketch_select() returns) computes the reference signature
 * bit for bit, also for k not a multiple of the vector width. */
static void test_select(void **state)
{
    static const unsigned ks[] = { 1, 3, 4, 8, 15, 16, 17, 128, 131 };
    static const dupfind_simd levels[] = {
        DUPFIND_SIMD_AUTO, DUPFIND_SIMD_SCALAR, DUPFIND_SIMD_SSE,
        DUPFIND_SIMD_AVX2, DUPFIND_SIMD_AVX512, DUPFIND_SIMD_NEON };
    test_rng r = { 4 };
    uint64_t h[1000];
    size_t li, ki, i;

    (void)state;
    for (i = 0; i < 1000; i++)
        h[i] = rng_next(&r);
    for (li = 0; li < sizeof(levels) / sizeof(levels[0]); li++) {
        const char *name = NULL;
        sketch_fn fn = sketch_select(levels[li], &name);

        assert_non_null(name);
        if (li >= 2 && !fn) {
            /* not compiled in or not run by this CPU */
            assert_string_equal(name, "none");
            continue;
        }
        assert_non_null(fn);
        for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
            static const size_t ns[] = { 0, 1, 7, 1000 };
            sketch_params p;
            uint32_t ref[131], sig[131];
            size_t ni;

            make_params(&p, ks[ki], ki);
            for (ni = 0; ni < 4; ni++) {
                sign(&p, ref, h, ns[ni]);
                sketch_clear(sig, ks[ki]);
                fn(&p, sig, h, ns[ni]);
                assert_memory_equal(sig, ref, ks[ki] * sizeof(*sig));
                /* folding into a non-empty signature */
                fn(&p, sig, h + 500, 300);
                sketch_update_scalar(&p, ref, h + 500, 300);
                assert_memory_equal(sig, ref, ks[ki] * sizeof(*sig));
            }
            sketch_params_release(&p);
        }
    }
    {
        const char *name = NULL;

        assert_non_null(sketch_select(DUPFIND_SIMD_SCALAR, &name));
        assert_string_equal(name, "scalar");
    }
}

/* ------------------------------------------------------------------ */
/* Statistical check of the estimator                                  */
/* ------------------------------------------------------------------ */

/* n random hashes with distinct top 32 bits. */
static void distinct_hashes(test_rng *r, uint64_t *h, size_t n)
{
    uint64_t *tops = malloc(n * sizeof(*tops));
    size_t i;
    int again;

    assert_non_null(tops);
    do {
        for (i = 0; i < n; i++) {
            h[i] = rng_next(r);
            tops[i] = h[i] >> 32;
        }
        qsort(tops, n, sizeof(*tops), test_cmp_u64);
        again = 0;
        for (i = 1; i < n; i++)
            again |= tops[i] == tops[i - 1];
    } while (again);
    free(tops);
}

/* Over 400 pairs of sets with known exact Jaccard J in 0.1..0.9, the
 * share of equal slots is an unbiased estimate with standard error
 * sqrt(J(1-J)/k): the mean error is near 0, ~95% of the estimates fall
 * within 2 standard errors, and the mean squared z-score is near 1
 * (slots that were not independent would inflate it). */
static void test_estimator_statistics(void **state)
{
    enum { K = 128, PAIRS = 400, MAXU = 800 };
    test_rng r = { 0x5ca1ab1e };
    sketch_params p;
    uint64_t u[MAXU], a[MAXU], b[MAXU];
    uint32_t sa[K], sb[K];
    double sum_err = 0, sum_z2 = 0;
    unsigned within = 0, pair;

    (void)state;
    make_params(&p, K, 0);
    for (pair = 0; pair < PAIRS; pair++) {
        size_t un = 100 + (size_t)rng_below(&r, MAXU - 100 + 1);
        double jt = 0.1 + 0.8 * rng_unit(&r), j, est, se, err;
        size_t inter = (size_t)(jt * (double)un + 0.5), na = 0, nb = 0, i;

        if (inter < 1)
            inter = 1;
        distinct_hashes(&r, u, un);
        for (i = 0; i < un; i++) {
            if (i < inter) {
                a[na++] = u[i];
                b[nb++] = u[i];
            } else if (rng_below(&r, 2)) {
                a[na++] = u[i];
            } else {
                b[nb++] = u[i];
            }
        }
        j = (double)inter / (double)un;
        sign(&p, sa, a, na);
        sign(&p, sb, b, nb);
        est = (double)sketch_equal_slots(sa, sb, K) / K;
        se = sqrt(j * (1 - j) / K);
        err = est - j;
        sum_err += err;
        sum_z2 += (err / se) * (err / se);
        within += fabs(err) <= 2 * se;
    }
    print_message("mean error %.4f, within 2 SE %u/%u, mean z^2 %.3f\n",
                  sum_err / PAIRS, within, PAIRS, sum_z2 / PAIRS);
    assert_true(fabs(sum_err / PAIRS) < 0.01);
    assert_true(within >= (unsigned)(0.93 * PAIRS));
    assert_true(sum_z2 / PAIRS > 0.75 && sum_z2 / PAIRS < 1.3);
    sketch_params_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_family_definition),
        cmocka_unit_test(test_low_bits_ignored),
        cmocka_unit_test(test_order_repeats_batches),
        cmocka_unit_test(test_seeds_differ),
        cmocka_unit_test(test_empty_signature),
        cmocka_unit_test(test_disjoint_and_identical),
        cmocka_unit_test(test_equal_slots),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_estimator_statistics),
    };

    return cmocka_run_group_tests_name("sketch", tests, NULL, NULL);
}
