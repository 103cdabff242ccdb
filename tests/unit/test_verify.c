/*
 * test_verify.c - unit tests of verify.c: exact intersection of sorted
 * sets, scores from counts, and the estimate from signatures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "verify.h"
#include "test_util.h"

#define EPS 1e-12

static void test_intersect_table(void **state)
{
    static const uint64_t e[1] = { 0 };
    static const uint64_t a[] = { 1, 2, 3 };
    static const uint64_t b[] = { 2, 3, 4 };
    static const uint64_t c[] = { 4, 5, 6 };
    static const uint64_t d[] = { 0, 5, 9, UINT64_MAX };
    static const uint64_t f[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, UINT64_MAX };
    static const uint64_t g[] = { UINT64_MAX };
    static const struct {
        const uint64_t *x;
        size_t nx;
        const uint64_t *y;
        size_t ny;
        size_t want;
    } t[] = {
        { e, 0, e, 0, 0 },
        { a, 3, e, 0, 0 },
        { e, 0, a, 3, 0 },
        { a, 3, a, 3, 3 },
        { a, 3, b, 3, 2 },
        { a, 3, c, 3, 0 },          /* disjoint, touching */
        { b, 3, c, 3, 1 },
        { d, 4, f, 11, 4 },         /* includes 0 and UINT64_MAX */
        { f, 11, d, 4, 4 },
        { a, 3, f, 11, 3 },
        { g, 1, d, 4, 1 },
        { g, 1, a, 3, 0 },
        { a, 2, b, 3, 1 },          /* prefix lengths */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        assert_int_equal(verify_intersect(t[i].x, t[i].nx, t[i].y, t[i].ny),
                         t[i].want);
}

/* Random sorted sets against a count by marking. */
static void test_intersect_random(void **state)
{
    test_rng r = { 17 };
    int trial;

    (void)state;
    for (trial = 0; trial < 200; trial++) {
        enum { U = 3000 };
        static unsigned char in_a[U], in_b[U];
        uint64_t a[U], b[U];
        size_t na = 0, nb = 0, want = 0, v;
        unsigned pa = (unsigned)rng_below(&r, 101);
        unsigned pb = (unsigned)rng_below(&r, 101);

        for (v = 0; v < U; v++) {
            in_a[v] = rng_below(&r, 100) < pa;
            in_b[v] = rng_below(&r, 100) < pb;
            if (in_a[v])
                a[na++] = v * 0x9E3779B97F4ULL;   /* ascending */
            if (in_b[v])
                b[nb++] = v * 0x9E3779B97F4ULL;
            want += in_a[v] && in_b[v];
        }
        assert_int_equal(verify_intersect(a, na, b, nb), want);
        assert_int_equal(verify_intersect(b, nb, a, na), want);
    }
}

static void test_from_counts(void **state)
{
    static const struct {
        double inter, na, nb;
        double j, ab, ba;
    } t[] = {
        { 2, 3, 4, 2.0 / 5, 2.0 / 3, 2.0 / 4 },
        { 3, 3, 3, 1, 1, 1 },
        { 0, 5, 7, 0, 0, 0 },
        { 0, 0, 0, 0, 0, 0 },               /* empty sets give 0 */
        { 0, 0, 4, 0, 0, 0 },
        { 10, 10, 40, 0.25, 1, 0.25 },      /* a inside b */
        { 40, 100, 40, 0.4, 0.4, 1 },       /* b inside a */
        { 1, 1000000, 1, 1e-6, 1e-6, 1 },
        /* an inconsistent intersection (from an estimate) is capped */
        { 5, 3, 10, 5.0 / 8, 1, 0.5 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        dupfind_pair p;

        memset(&p, 0x55, sizeof(p));
        verify_from_counts(&p, t[i].inter, t[i].na, t[i].nb);
        if (fabs(p.jaccard - t[i].j) > EPS || fabs(p.a_in_b - t[i].ab) > EPS ||
            fabs(p.b_in_a - t[i].ba) > EPS) {
            print_error("case %zu: got %g %g %g, want %g %g %g\n", i,
                        p.jaccard, p.a_in_b, p.b_in_a, t[i].j, t[i].ab,
                        t[i].ba);
            fail();
        }
    }
}

/* Signatures of k slots of which exactly eq are equal. */
static void make_sigs(uint32_t *sa, uint32_t *sb, unsigned k, unsigned eq,
                      test_rng *r)
{
    unsigned i;

    for (i = 0; i < k; i++) {
        sa[i] = (uint32_t)rng_next(r);
        sb[i] = i < eq ? sa[i] : sa[i] ^ 0x80000000u;
    }
    /* spread the equal ones around */
    for (i = k - 1; i > 0; i--) {
        unsigned j = (unsigned)rng_below(r, i + 1);
        uint32_t t = sa[i];

        sa[i] = sa[j];
        sa[j] = t;
        t = sb[i];
        sb[i] = sb[j];
        sb[j] = t;
    }
}

/* Our own Wilson score interval (verify.h: z = VERIFY_Z). */
static void wilson(double j, unsigned k, double *lo, double *hi)
{
    double z = VERIFY_Z, n = k;
    double c = (j + z * z / (2 * n)) / (1 + z * z / n);
    double h = z / (1 + z * z / n) * sqrt(j * (1 - j) / n +
                                          z * z / (4 * n * n));

    *lo = c - h < 0 ? 0 : c - h;
    *hi = c + h > 1 ? 1 : c + h;
}

/* J is eq/k exactly; the containments follow from the counts. */
static void test_estimate_scores(void **state)
{
    static const struct {
        unsigned k, eq;
        uint64_t na, nb;
    } t[] = {
        { 128, 128, 100, 100 },
        { 128, 0, 100, 100 },
        { 128, 64, 100, 100 },
        { 128, 32, 50, 200 },
        { 128, 96, 1000, 10 },
        { 1, 1, 5, 5 },
        { 1, 0, 5, 5 },
        { 256, 77, 3, 9000 },
        { 4096, 1000, 12345, 6789 },
    };
    test_rng r = { 23 };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        unsigned k = t[i].k;
        uint32_t *sa = malloc(k * sizeof(*sa)), *sb = malloc(k * sizeof(*sb));
        double j = (double)t[i].eq / k, na = (double)t[i].na,
               nb = (double)t[i].nb;
        double inter = j * (na + nb) / (1 + j);
        double ab = inter / na > 1 ? 1 : inter / na;
        double ba = inter / nb > 1 ? 1 : inter / nb;
        dupfind_pair p;

        assert_non_null(sa);
        assert_non_null(sb);
        make_sigs(sa, sb, k, t[i].eq, &r);
        memset(&p, 0, sizeof(p));
        p.exact = 1;
        verify_estimate(&p, sa, sb, k, t[i].na, t[i].nb, 0.5, 0.5);
        assert_true(p.jaccard == j);          /* exactly eq/k */
        assert_int_equal(p.exact, 0);
        assert_true(fabs(p.a_in_b - ab) < 1e-12);
        assert_true(fabs(p.b_in_a - ba) < 1e-12);
        assert_true(p.a_in_b >= 0 && p.a_in_b <= 1);
        assert_true(p.b_in_a >= 0 && p.b_in_a <= 1);
        free(sa);
        free(sb);
    }
}

/* The uncertain flag: the Wilson interval of eq/k straddles t (Jaccard
 * only, containment off) - checked for every eq at k = 128. */
static void test_estimate_uncertain_jaccard(void **state)
{
    static const double ts[] = { 0.3, 0.5, 0.8, 1.0 };
    test_rng r = { 29 };
    uint32_t sa[128], sb[128];
    size_t ti;
    unsigned eq;

    (void)state;
    for (ti = 0; ti < sizeof(ts) / sizeof(ts[0]); ti++)
        for (eq = 0; eq <= 128; eq++) {
            dupfind_pair p;
            double lo, hi;
            int want;

            make_sigs(sa, sb, 128, eq, &r);
            memset(&p, 0, sizeof(p));
            verify_estimate(&p, sa, sb, 128, 100, 100, ts[ti], 0);
            wilson(eq / 128.0, 128, &lo, &hi);
            want = (lo >= ts[ti]) != (hi >= ts[ti]);
            if (p.uncertain != want) {
                print_error("t=%.2f eq=%u: uncertain=%d, want %d\n", ts[ti],
                            eq, p.uncertain, want);
                fail();
            }
        }
    /* plain cases */
    {
        dupfind_pair p;

        make_sigs(sa, sb, 128, 128, &r);
        verify_estimate(&p, sa, sb, 128, 100, 100, 0.5, 0);
        assert_int_equal(p.uncertain, 0);
        make_sigs(sa, sb, 128, 0, &r);
        verify_estimate(&p, sa, sb, 128, 100, 100, 0.5, 0);
        assert_int_equal(p.uncertain, 0);
        make_sigs(sa, sb, 128, 64, &r);
        verify_estimate(&p, sa, sb, 128, 100, 100, 0.5, 0);
        assert_int_equal(p.uncertain, 1);
    }
}

/* With containment on, a pair whose Jaccard is clearly low but whose
 * smaller side may be contained is uncertain too. */
static void test_estimate_uncertain_containment(void **state)
{
    test_rng r = { 31 };
    uint32_t sa[128], sb[128];
    dupfind_pair p;

    (void)state;
    /* sizes 100 and 400: containment c of the small side gives
     * J = 100c / (500 - 100c); c = 0.5 at J = 1/9 (eq ~ 14) */
    make_sigs(sa, sb, 128, 14, &r);
    memset(&p, 0, sizeof(p));
    verify_estimate(&p, sa, sb, 128, 100, 400, 0.9, 0.5);
    assert_int_equal(p.uncertain, 1);
    /* the same pair judged on Jaccard alone is certainly below 0.9 */
    verify_estimate(&p, sa, sb, 128, 100, 400, 0.9, 0);
    assert_int_equal(p.uncertain, 0);
    /* all slots equal: contained for sure */
    make_sigs(sa, sb, 128, 128, &r);
    verify_estimate(&p, sa, sb, 128, 100, 400, 0.9, 0.5);
    assert_int_equal(p.uncertain, 0);
    assert_true(p.a_in_b == 1.0);
}

/* Samples: sa of 50 values, sb of 1000, the first `shared` of sa
 * also in sb. */
static int sample_case(size_t na, size_t nb, size_t shared, double t,
                       double ct)
{
    static uint32_t sa[1000], sb[1000];
    size_t i;

    for (i = 0; i < nb; i++)
        sb[i] = 2 * (uint32_t)i;                      /* even */
    /* sa: 0, 2, .. (shared), then odd values above all of sb */
    for (i = 0; i < na; i++)
        sa[i] = i < shared ? 2 * (uint32_t)i : 2 * (uint32_t)(nb + i) + 1;
    return verify_sample_rejects(
        (double)verify_sample_shared_with(verify_merge32_scalar, sa, na, sb,
                                               nb), (double)na,
        (double)nb, t, ct);
}

static void test_sample_rejects(void **state)
{
    (void)state;
    /* a small document sharing nothing with a large one */
    assert_true(sample_case(50, 1000, 0, 0.5, 0.5));
    /* 2 of 50 shared: containment about 0.04 */
    assert_true(sample_case(50, 1000, 2, 0.5, 0.5));
    /* 40 of 50 shared: containment 0.8, kept */
    assert_false(sample_case(50, 1000, 40, 0.5, 0.5));
    /* 25 of 50: at the threshold, kept */
    assert_false(sample_case(50, 1000, 25, 0.5, 0.5));
    /* contained, but containment is off: Jaccard 0.05 rules it out */
    assert_true(sample_case(50, 1000, 50, 0.5, 0));
    /* the large side's containment counts too: b_in_a */
    assert_false(sample_case(1000, 50, 50, 0.5, 0.5));
    /* 3 sampled, none shared: too few to rule out 0.5 */
    assert_false(sample_case(3, 1000, 0, 0.5, 0.5));
    /* equal sizes, 340 of 1000 shared: Jaccard about 0.2 */
    assert_true(sample_case(1000, 1000, 340, 0.5, 0.5));
    /* 640 of 1000: Jaccard 0.47, within the interval of 0.5 */
    assert_false(sample_case(1000, 1000, 640, 0.5, 0.5));
    assert_false(sample_case(0, 0, 0, 0.5, 0.5));
}

/* Samples all shared: identical documents are never ruled out, even at
 * --threshold=1 (the interval's upper end is 1 exactly, not 1 less a
 * rounding error: 18 of 18 once gave 1 - 1e-16).  And at most the
 * counts of a pair: 128 equal slots of 128 keep a pair at t = 1. */
static void test_all_shared_kept(void **state)
{
    dupfind_pair p;
    uint32_t sig[128];
    size_t n;

    (void)state;
    for (n = 1; n <= 1000; n++) {
        assert_false(verify_sample_rejects((double)n, (double)n, (double)n,
                                           1.0, 0));
        assert_false(verify_sample_rejects((double)n, (double)n,
                                           (double)(n + n / 2), 0.1, 1.0));
    }
    for (n = 0; n < 128; n++)
        sig[n] = (uint32_t)(n * 2654435761u);
    for (n = 1; n <= 5000; n += 7) {
        memset(&p, 0, sizeof(p));
        verify_estimate(&p, sig, sig, 128, n, n, 1.0, 0);
        assert_true(p.jaccard == 1.0);
        assert_true(p.uncertain || p.jaccard >= 1.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intersect_table),
        cmocka_unit_test(test_intersect_random),
        cmocka_unit_test(test_from_counts),
        cmocka_unit_test(test_estimate_scores),
        cmocka_unit_test(test_estimate_uncertain_jaccard),
        cmocka_unit_test(test_estimate_uncertain_containment),
        cmocka_unit_test(test_sample_rejects),
        cmocka_unit_test(test_all_shared_kept),
    };

    return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
