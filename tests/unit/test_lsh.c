/*
 * test_lsh.c - unit tests of lsh.c: the S-curve, the choice of bands and
 * rows, and candidate generation by banding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cluster.h"
#include "lsh.h"
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* S-curve and parameter choice                                        */
/* ------------------------------------------------------------------ */

static void test_probability_known_points(void **state)
{
    static const struct {
        double s;
        unsigned b, r;
        double p;
    } t[] = {
        { 0.0, 1, 1, 0.0 },
        { 1.0, 1, 1, 1.0 },
        { 0.0, 20, 5, 0.0 },
        { 1.0, 20, 5, 1.0 },
        { 0.5, 1, 1, 0.5 },
        { 0.3, 1, 1, 0.3 },
        { 0.5, 2, 1, 0.75 },                 /* 1 - 0.5^2 */
        { 0.5, 1, 2, 0.25 },                 /* 0.5^2 */
        { 0.5, 2, 2, 0.4375 },               /* 1 - 0.75^2 */
        { 0.8, 1, 3, 0.512 },
        { 0.2, 3, 1, 0.488 },                /* 1 - 0.8^3 */
        { 0.5, 4, 3, 0.4138183593750 },      /* 1 - (7/8)^4 */
        { 0.9, 10, 10, 0.98626101835563 },  /* 1 - (1 - 0.9^10)^10 */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        double got = lsh_probability(t[i].s, t[i].b, t[i].r);

        if (fabs(got - t[i].p) > 1e-9) {
            print_error("P(%g; b=%u, r=%u) = %.12f, want %.12f\n", t[i].s,
                        t[i].b, t[i].r, got, t[i].p);
            fail();
        }
    }
}

/* The curve rises with s for any (b, r). */
static void test_probability_monotone(void **state)
{
    static const unsigned br[][2] = { { 1, 1 }, { 26, 3 }, { 9, 14 },
                                      { 128, 1 }, { 1, 128 } };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(br) / sizeof(br[0]); i++) {
        double prev = -1;
        int s;

        for (s = 0; s <= 100; s++) {
            double p = lsh_probability(s / 100.0, br[i][0], br[i][1]);

            assert_true(p >= prev);
            assert_true(p >= 0 && p <= 1);
            prev = p;
        }
    }
}

/* Our own integration (composite Simpson, finer than lsh.c's) of the
 * error areas. */
static void my_areas(double t, unsigned b, unsigned r, double *fp,
                     double *fn)
{
    const int n = 1000;      /* even */
    double sum_fp = 0, sum_fn = 0;
    int i;

    for (i = 0; i <= n; i++) {
        double w = (i == 0 || i == n) ? 1.0 : (i & 1) ? 4.0 : 2.0;
        double s1 = t * i / n, s2 = t + (1 - t) * i / n;

        sum_fp += w * lsh_probability(s1, b, r);
        sum_fn += w * (1 - lsh_probability(s2, b, r));
    }
    *fp = sum_fp * t / n / 3;
    *fn = sum_fn * (1 - t) / n / 3;
}

static void test_error_areas(void **state)
{
    static const double ts[] = { 0.2, 0.5, 0.8 };
    static const unsigned br[][2] = { { 1, 1 }, { 26, 3 }, { 9, 14 },
                                      { 64, 2 } };
    size_t i, j;

    (void)state;
    for (i = 0; i < 3; i++)
        for (j = 0; j < sizeof(br) / sizeof(br[0]); j++) {
            double fp, fn, mfp, mfn;

            lsh_error_areas(ts[i], br[j][0], br[j][1], &fp, &fn);
            my_areas(ts[i], br[j][0], br[j][1], &mfp, &mfn);
            assert_true(fabs(fp - mfp) < 1e-4);
            assert_true(fabs(fn - mfn) < 1e-4);
        }
    /* b = r = 1: P(s) = s, areas t^2/2 and (1-t)^2/2 */
    {
        double fp, fn;

        lsh_error_areas(0.4, 1, 1, &fp, &fn);
        assert_true(fabs(fp - 0.08) < 1e-9);
        assert_true(fabs(fn - 0.18) < 1e-9);
    }
}

/* Jaccard where the S-curve crosses 1/2 (bisection). */
static double half_point(unsigned b, unsigned r)
{
    double lo = 0, hi = 1;
    int i;

    for (i = 0; i < 60; i++) {
        double m = (lo + hi) / 2;

        if (lsh_probability(m, b, r) < 0.5)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

static double weighted_error(double t, unsigned b, unsigned r)
{
    double fp, fn;

    my_areas(t, b, r, &fp, &fn);
    return LSH_FP_WEIGHT * fp + LSH_FN_WEIGHT * fn;
}

/* k = 128 and the thresholds of the brief: b*r fits, the choice is the
 * best of the whole grid by our own integration, and the curve has the
 * shape lsh.h documents. */
static void test_choose_params_k128(void **state)
{
    static const double ts[] = { 0.3, 0.5, 0.8, 0.9 };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
        double t = ts[i], best = INFINITY, chosen, s50;
        unsigned b = 0, r = 0, gb, gr, bb = 0, br = 0;

        lsh_choose_params(128, t, &b, &r);
        assert_true(b >= 1 && r >= 1);
        assert_true(b * r <= 128);
        for (gb = 1; gb <= 128; gb++)
            for (gr = 1; gb * gr <= 128; gr++) {
                double e = weighted_error(t, gb, gr);

                if (e < best) {
                    best = e;
                    bb = gb;
                    br = gr;
                }
            }
        chosen = weighted_error(t, b, r);
        s50 = half_point(b, r);
        print_message("t=%.2f: b=%u r=%u (grid best b=%u r=%u), P(t)=%.3f "
                      "P(t+.05)=%.4f, 50%% at %.3f\n", t, b, r, bb, br,
                      lsh_probability(t, b, r),
                      lsh_probability(t + 0.05, b, r), s50);
        /* optimal up to the integration error */
        assert_true(chosen <= best * (1 + 1e-3) + 1e-9);
        /* lsh.h: false negatives weigh 19 times false positives, so the
         * curve's middle lies below t, and P(t + 0.05) >= 0.98 */
        assert_true(lsh_probability(t, b, r) > 0.5);
        assert_true(lsh_probability(t + 0.05, b, r) >= 0.98);
        assert_true(s50 < t);
        assert_true(s50 > t - 0.25);
    }
}

/* The example of lsh.h: t = 0.5, k = 128 gives b = 26, r = 3. */
static void test_choose_params_documented_example(void **state)
{
    unsigned b, r;

    (void)state;
    lsh_choose_params(128, 0.5, &b, &r);
    assert_int_equal(b, 26);
    assert_int_equal(r, 3);
    assert_true(fabs(lsh_probability(0.55, b, r) - 0.991) < 0.001);
}

/* lsh.h: P(t + 0.05) >= 0.98 for every t in 0.2..0.95 at k = 128. */
static void test_choose_params_recall_claim(void **state)
{
    int ti;

    (void)state;
    for (ti = 20; ti <= 95; ti += 5) {
        double t = ti / 100.0;
        unsigned b, r;

        lsh_choose_params(128, t, &b, &r);
        assert_true(b * r <= 128);
        if (lsh_probability(t + 0.05 > 1 ? 1 : t + 0.05, b, r) < 0.98) {
            print_error("t=%.2f b=%u r=%u: P(t+0.05)=%.4f\n", t, b, r,
                        lsh_probability(t + 0.05, b, r));
            fail();
        }
    }
}

/* Other signature lengths: the result always fits. */
static void test_choose_params_other_k(void **state)
{
    static const unsigned ks[] = { 1, 2, 3, 16, 64, 100, 256 };
    static const double ts[] = { 0.1, 0.5, 0.95 };
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
        for (j = 0; j < sizeof(ts) / sizeof(ts[0]); j++) {
            unsigned b = 0, r = 0;

            lsh_choose_params(ks[i], ts[j], &b, &r);
            assert_true(b >= 1 && r >= 1);
            assert_true(b * r <= ks[i]);
        }
    {
        unsigned b, r;

        lsh_choose_params(1, 0.5, &b, &r);
        assert_int_equal(b, 1);
        assert_int_equal(r, 1);
    }
}

/* ------------------------------------------------------------------ */
/* Candidates                                                          */
/* ------------------------------------------------------------------ */

#define K 128

static uint32_t *random_sigs(test_rng *r, uint32_t n)
{
    uint32_t *sig = malloc((size_t)n * K * sizeof(*sig));
    size_t i;

    assert_non_null(sig);
    for (i = 0; i < (size_t)n * K; i++)
        sig[i] = (uint32_t)rng_next(r);
    return sig;
}

static void copy_sig(uint32_t *sig, uint32_t to, uint32_t from)
{
    memcpy(sig + (size_t)to * K, sig + (size_t)from * K, K * sizeof(*sig));
}

static uint64_t pair(uint32_t a, uint32_t b)
{
    return (uint64_t)a << 32 | b;
}

/* Runs lsh_candidates and checks the output's shape: a < b, strictly
 * ascending (so distinct), only active documents. */
static size_t candidates(const uint32_t *sig, uint32_t n,
                         const unsigned char *active,
                         const lsh_config *conf, unsigned nconf,
                         uint64_t **out)
{
    size_t np = 99, i;

    assert_int_equal(lsh_candidates(sig, K, n, active, conf, nconf, 0, out,
                                     &np), 0);
    for (i = 0; i < np; i++) {
        uint32_t a = (uint32_t)((*out)[i] >> 32), b = (uint32_t)(*out)[i];

        assert_true(a < b);
        assert_true(b < n);
        assert_true(active[a] && active[b]);
        if (i)
            assert_true((*out)[i - 1] < (*out)[i]);
    }
    return np;
}

static void expect_pairs(const uint64_t *got, size_t n, const uint64_t *want,
                         size_t nwant)
{
    size_t i;

    if (n != nwant) {
        print_error("%zu pairs, want %zu\n", n, nwant);
        for (i = 0; i < n; i++)
            print_error("  (%u, %u)\n", (unsigned)(got[i] >> 32),
                        (unsigned)got[i]);
        fail();
    }
    for (i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

static void test_candidates_identical(void **state)
{
    enum { N = 12 };
    test_rng r = { 1 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { 16, 8, 0 };
    uint64_t *out = NULL;
    const uint64_t want[] = { pair(0, 5), pair(0, 9), pair(3, 7),
                              pair(5, 9) };
    size_t n;

    (void)state;
    memset(active, 1, sizeof(active));
    copy_sig(sig, 5, 0);
    copy_sig(sig, 9, 0);
    copy_sig(sig, 7, 3);
    n = candidates(sig, N, active, &conf, 1, &out);
    /* identical signatures collide in all 16 bands, listed once */
    expect_pairs(out, n, want, 4);
    free(out);
    free(sig);
}

/* active[] leaves documents out entirely. */
static void test_candidates_active(void **state)
{
    enum { N = 12 };
    test_rng r = { 2 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { 16, 8, 0 };
    uint64_t *out = NULL;
    const uint64_t want[] = { pair(0, 9), pair(3, 7) };
    size_t n;

    (void)state;
    memset(active, 1, sizeof(active));
    copy_sig(sig, 5, 0);
    copy_sig(sig, 9, 0);
    copy_sig(sig, 7, 3);
    copy_sig(sig, 11, 10);
    active[5] = 0;
    active[11] = 0;
    n = candidates(sig, N, active, &conf, 1, &out);
    expect_pairs(out, n, want, 2);
    free(out);

    memset(active, 0, sizeof(active));
    n = candidates(sig, N, active, &conf, 1, &out);
    assert_int_equal(n, 0);
    free(out);
    free(sig);
}

/* One equal band is enough; equal slots spread over bands are not; only
 * the first b*r slots are looked at. */
static void test_candidates_band_semantics(void **state)
{
    enum { N = 8 };
    test_rng r = { 3 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { 8, 8, 0 };   /* slots 0..63 */
    uint64_t *out = NULL;
    const uint64_t want[] = { pair(0, 1) };
    size_t n, i;

    (void)state;
    memset(active, 1, sizeof(active));
    /* 0 and 1 share band 3 (slots 24..31) only */
    memcpy(sig + 1 * K + 24, sig + 0 * K + 24, 8 * sizeof(*sig));
    /* 2 and 3 share 7 of 8 rows of every band */
    for (i = 0; i < 64; i++)
        if (i % 8 != 0)
            sig[3 * K + i] = sig[2 * K + i];
    /* 4 and 5 share slots 64..127, beyond the bands */
    memcpy(sig + 5 * K + 64, sig + 4 * K + 64, 64 * sizeof(*sig));
    n = candidates(sig, N, active, &conf, 1, &out);
    expect_pairs(out, n, want, 1);
    free(out);
    free(sig);
}

/* A pair that collides in every band of two configurations and in many
 * single-row bands is still listed once; the result is the union. */
static void test_candidates_two_configs(void **state)
{
    enum { N = 10 };
    test_rng r = { 4 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf[2] = { { 16, 8, 0 }, { K, 1, 0 } };
    uint64_t *out = NULL;
    const uint64_t want[] = { pair(1, 2), pair(4, 6), pair(6, 8) };
    size_t n;

    (void)state;
    memset(active, 1, sizeof(active));
    copy_sig(sig, 2, 1);                 /* all bands of both configs */
    sig[6 * K + 100] = sig[4 * K + 100]; /* one single-row band */
    sig[8 * K + 5] = sig[6 * K + 5];     /* another one */
    n = candidates(sig, N, active, conf, 2, &out);
    expect_pairs(out, n, want, 3);
    free(out);
    /* the first configuration alone finds only the identical pair */
    n = candidates(sig, N, active, conf, 1, &out);
    expect_pairs(out, n, want, 1);
    free(out);
    free(sig);
}

/* Buckets larger than cap are skipped; exactly cap are kept. */
static void test_candidates_bucket_cap(void **state)
{
    enum { N = 10 };
    test_rng r = { 5 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { K, 1, 4 };
    uint64_t *out = NULL;
    size_t n;
    uint32_t d;

    (void)state;
    memset(active, 1, sizeof(active));
    for (d = 1; d < 5; d++)              /* 5 documents share slot 0 */
        sig[d * K] = sig[0];
    n = candidates(sig, N, active, &conf, 1, &out);
    assert_int_equal(n, 0);
    free(out);
    active[3] = 0;                       /* now a bucket of 4 */
    n = candidates(sig, N, active, &conf, 1, &out);
    assert_int_equal(n, 6);
    free(out);
    conf.cap = 0;                        /* no cap */
    active[3] = 1;
    n = candidates(sig, N, active, &conf, 1, &out);
    assert_int_equal(n, 10);
    free(out);
    free(sig);
}

/* Many documents alike: every pair once, through the periodic
 * compaction of the pair list. */
static void test_candidates_many_pairs(void **state)
{
    enum { N = 150 };
    test_rng r = { 6 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { 32, 4, 0 };
    uint64_t *out = NULL;
    size_t n, i;
    uint32_t d, a, b;

    (void)state;
    memset(active, 1, sizeof(active));
    /* even documents all identical; odd ones random */
    for (d = 2; d < N; d += 2)
        copy_sig(sig, d, 0);
    n = candidates(sig, N, active, &conf, 1, &out);
    assert_int_equal(n, (size_t)(N / 2) * (N / 2 - 1) / 2);
    i = 0;
    for (a = 0; a < N; a += 2)
        for (b = a + 2; b < N; b += 2)
            assert_int_equal(out[i++], pair(a, b));
    free(out);
    free(sig);
}

/* No documents, one document, nothing alike. */
static void test_candidates_degenerate(void **state)
{
    test_rng r = { 7 };
    uint32_t *sig = random_sigs(&r, 50);
    unsigned char active[50];
    lsh_config conf = { 16, 8, 0 };
    uint64_t dummy = 0, *out = &dummy;
    size_t n = 99;

    (void)state;
    memset(active, 1, sizeof(active));
    assert_int_equal(lsh_candidates(sig, K, 0, active, &conf, 1, 0, &out,
                                    &n), 0);
    assert_int_equal(n, 0);
    free(out);
    n = candidates(sig, 1, active, &conf, 1, &out);
    assert_int_equal(n, 0);
    free(out);
    n = candidates(sig, 50, active, &conf, 1, &out);
    assert_int_equal(n, 0);
    free(out);
    /* no configuration at all */
    n = candidates(sig, 50, active, &conf, 0, &out);
    assert_int_equal(n, 0);
    free(out);
    free(sig);
}

/* The seed changes the band keys, not which documents collide. */
static void test_candidates_seed(void **state)
{
    enum { N = 20 };
    test_rng r = { 8 };
    uint32_t *sig = random_sigs(&r, N);
    unsigned char active[N];
    lsh_config conf = { 20, 5, 0 };
    uint64_t *o1 = NULL, *o2 = NULL;
    size_t n1 = 0, n2 = 0;

    (void)state;
    memset(active, 1, sizeof(active));
    copy_sig(sig, 13, 2);
    assert_int_equal(lsh_candidates(sig, K, N, active, &conf, 1, 1, &o1,
                                    &n1), 0);
    assert_int_equal(lsh_candidates(sig, K, N, active, &conf, 1, 0xffff,
                                    &o2, &n2), 0);
    assert_int_equal(n1, 1);
    assert_int_equal(n2, 1);
    assert_int_equal(o1[0], pair(2, 13));
    assert_int_equal(o2[0], pair(2, 13));
    free(o1);
    free(o2);
    free(sig);
}

/* ------------------------------------------------------------------ */
/* Filtered and threaded candidates against a naive reference          */
/* ------------------------------------------------------------------ */

static void sort_unique(u64vec *v)
{
    size_t i, w = 0;

    if (v->n)
        qsort(v->v, v->n, sizeof(*v->v), test_cmp_u64);
    for (i = 0; i < v->n; i++)
        if (w == 0 || v->v[w - 1] != v->v[i])
            v->v[w++] = v->v[i];
    v->n = w;
}

/* The reference: for every band, every pair of active documents with
 * equal keys in a bucket of at most cap active documents (keys as
 * lsh.c makes them, through lsh_candidates on the two documents alone
 * would be circular, so by equal rows: with random slots two different
 * bands meet on a 32-bit key with probability 2^-32 per pair). */
static void naive_pairs(const uint32_t *sig, uint32_t n,
                        const unsigned char *active, const lsh_config *conf,
                        unsigned nconf, u64vec *out)
{
    unsigned ci, band;
    uint32_t a, b, c;

    for (ci = 0; ci < nconf; ci++)
        for (band = 0; band < conf[ci].bands; band++) {
            size_t off = (size_t)band * conf[ci].rows;
            size_t len = conf[ci].rows * sizeof(*sig);

            for (a = 0; a < n; a++) {
                uint32_t size = 0;

                if (!active[a])
                    continue;
                for (c = 0; c < n; c++)
                    size += active[c] && memcmp(sig + (size_t)a * K + off,
                                                sig + (size_t)c * K + off,
                                                len) == 0;
                if (conf[ci].cap && size > conf[ci].cap)
                    continue;
                for (b = a + 1; b < n; b++)
                    if (active[b] && memcmp(sig + (size_t)a * K + off,
                                            sig + (size_t)b * K + off,
                                            len) == 0)
                        u64vec_push(out, pair(a, b));
            }
        }
    sort_unique(out);
}

/* A filter of the shape results.c uses: keep a pair with at least
 * MIN_EQ equal slots, or one equal slot and sizes 4 times apart. */
#define MIN_EQ 20

typedef struct {
    const uint32_t *sig;
    const uint64_t *sizes;
    unsigned keep_calls;      /* counting_keep; 1 thread only */
} filter_state;

static int model(void *arg, unsigned eq, uint64_t na, uint64_t nb)
{
    uint64_t lo = na < nb ? na : nb, hi = na < nb ? nb : na;

    (void)arg;
    return eq >= MIN_EQ || (eq >= 1 && hi >= 4 * lo);
}

static int keep_eq(void *arg, uint32_t a, uint32_t b)
{
    const filter_state *st = arg;
    unsigned i, eq = 0;

    for (i = 0; i < K; i++)
        eq += st->sig[(size_t)a * K + i] == st->sig[(size_t)b * K + i];
    return model(arg, eq, st->sizes[a], st->sizes[b]);
}

/* Documents alike in many ways: copies, shared bands, shared single
 * slots (some in buckets over the cap, some with slots equal in the
 * low byte only, which the byte bound must not mistake for equal),
 * sizes far apart; some inactive. */
static uint32_t *planted_sigs(test_rng *r, uint32_t n, uint64_t *sizes,
                              unsigned char *active)
{
    uint32_t *sig = random_sigs(r, n), d, i;

    for (d = 0; d < n; d++) {
        sizes[d] = 50 + rng_below(r, 30);
        if (rng_below(r, 10) == 0)
            sizes[d] *= 5;
        active[d] = rng_below(r, 20) != 0;
    }
    for (i = 0; i < n / 4; i++) {
        uint32_t a = (uint32_t)rng_below(r, n);
        uint32_t b = (uint32_t)rng_below(r, n);
        unsigned s = (unsigned)rng_below(r, K), len, j;

        switch (rng_below(r, 5)) {
        case 0:                        /* near copy */
            copy_sig(sig, b, a);
            for (j = 0; j < 40; j++)
                sig[(size_t)b * K + rng_below(r, K)] = (uint32_t)rng_next(r);
            break;
        case 1:                        /* a run of slots */
            len = 1 + (unsigned)rng_below(r, 30);
            for (j = s; j < s + len && j < K; j++)
                sig[(size_t)b * K + j] = sig[(size_t)a * K + j];
            break;
        case 2:                        /* one slot */
            sig[(size_t)b * K + s] = sig[(size_t)a * K + s];
            break;
        case 3:                        /* low bytes, not slots */
            for (j = 0; j < K; j++)
                sig[(size_t)b * K + j] =
                    (sig[(size_t)b * K + j] & ~0xffu) |
                    (sig[(size_t)a * K + j] & 0xffu);
            if (a != b)
                sig[(size_t)b * K + s] = sig[(size_t)a * K + s];
            break;
        default:                       /* a crowd on one slot value */
            for (j = 0; j < 12; j++)
                sig[(size_t)rng_below(r, n) * K + s] = 0x5eed0000u + s;
            break;
        }
    }
    /* 0 and 1 meet first in a crowd of 12 at slot 3, then alone at slot
     * 70: with a cap below 12, slot 70 must make the pair. */
    for (d = 0; d < 12; d++) {
        sig[(size_t)d * K + 3] = 0xc0ffee;
        active[d] = 1;
    }
    sig[1 * K + 70] = sig[0 * K + 70];
    sizes[0] = 50;
    sizes[1] = 300;
    return sig;
}

static void keep_only(const filter_state *st, u64vec *v)
{
    size_t i, w = 0;

    for (i = 0; i < v->n; i++)
        if (keep_eq((void *)st, (uint32_t)(v->v[i] >> 32),
                    (uint32_t)v->v[i]))
            v->v[w++] = v->v[i];
    v->n = w;
}

/* Every thread count, with and without the byte bound, gives exactly
 * the filtered reference; keep is called about once per distinct pair
 * and configuration, not once per band. */
static void test_candidates_filter_threads(void **state)
{
    enum { N = 400 };
    static const unsigned threads[] = { 1, 2, 3, 5, 16, 100 };
    static const unsigned caps[] = { 0, 6 };
    test_rng r = { 9 };
    uint64_t sizes[N];
    unsigned char active[N];
    uint32_t *sig = planted_sigs(&r, N, sizes, active);
    filter_state st = { sig, sizes, 0 };
    size_t ci, ti, mi;

    (void)state;
    for (ci = 0; ci < 2; ci++) {
        lsh_config conf[2] = { { 26, 3, 0 }, { K, 1, caps[ci] } };
        u64vec all = { 0 }, want = { 0 };

        naive_pairs(sig, N, active, conf, 2, &all);
        naive_pairs(sig, N, active, conf, 2, &want);
        keep_only(&st, &want);
        print_message("cap %u: %zu pairs, %zu kept\n", caps[ci], all.n,
                      want.n);
        assert_true(want.n > 20 && want.n < all.n);
        assert_non_null(bsearch(&(uint64_t){ pair(0, 1) }, want.v, want.n,
                                sizeof(*want.v), test_cmp_u64));
        for (mi = 0; mi < 2; mi++) {
            lsh_filter f = { .keep = keep_eq,
                             .keep_model = mi ? model : NULL,
                             .sizes = sizes, .arg = &st };

            for (ti = 0; ti < sizeof(threads) / sizeof(threads[0]); ti++) {
                uint64_t *out = NULL;
                size_t n = 0;

                st.keep_calls = 0;
                assert_int_equal(lsh_candidates_filter(sig, K, N, active,
                                                       conf, 2, 7, &f,
                                                       threads[ti], &out,
                                                       &n), 0);
                expect_pairs(out, n, want.v, want.n);
                free(out);
            }
        }
        /* no filter: all pairs, on several threads */
        for (ti = 0; ti < sizeof(threads) / sizeof(threads[0]); ti++) {
            uint64_t *out = NULL;
            size_t n = 0;

            assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf,
                                                   2, 7, NULL, threads[ti],
                                                   &out, &n), 0);
            expect_pairs(out, n, all.v, all.n);
            free(out);
        }
        u64vec_free(&all);
        u64vec_free(&want);
    }
    free(sig);
}

static int counting_keep(void *arg, uint32_t a, uint32_t b)
{
    filter_state *st = arg;

    st->keep_calls++;
    return keep_eq(arg, a, b);
}

/* Identical documents meet in every band of both configurations: keep
 * is asked once a pair (met_earlier within a configuration, the table of
 * pairs judged across them), and the byte bound spares it the pairs
 * that share a slot or two. */
static void test_candidates_filter_calls(void **state)
{
    enum { N = 60 };
    test_rng r = { 10 };
    uint64_t sizes[N];
    unsigned char active[N];
    uint32_t *sig = random_sigs(&r, N);
    filter_state st = { sig, sizes, 0 };
    lsh_config conf[2] = { { 26, 3, 0 }, { K, 1, 0 } };
    lsh_filter f = { .keep = counting_keep, .sizes = sizes, .arg = &st };
    uint64_t *out = NULL;
    size_t n = 0;
    uint32_t d;

    (void)state;
    for (d = 0; d < N; d++) {
        sizes[d] = 100;
        active[d] = 1;
    }
    copy_sig(sig, 1, 0);
    copy_sig(sig, 2, 0);
    for (d = 10; d < 20; d++)          /* one slot each with doc 9 */
        sig[d * K + d] = sig[9 * K + d];
    assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2, 0,
                                           &f, 1, &out, &n), 0);
    assert_int_equal(n, 3);            /* (0, 1), (0, 2), (1, 2) */
    free(out);
    /* 3 identical pairs + 10 single-slot pairs */
    assert_int_equal(st.keep_calls, 3 + 10);
    st.keep_calls = 0;
    f.keep_model = model;
    assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2, 0,
                                           &f, 1, &out, &n), 0);
    assert_int_equal(n, 3);
    free(out);
    assert_int_equal(st.keep_calls, 3);
    free(sig);
}

/* keep_eq, sure from SURE_EQ equal slots on. */
#define SURE_EQ 60

static int keep_sure(void *arg, uint32_t a, uint32_t b)
{
    const filter_state *st = arg;
    unsigned i, eq = 0;

    for (i = 0; i < K; i++)
        eq += st->sig[(size_t)a * K + i] == st->sig[(size_t)b * K + i];
    if (eq >= SURE_EQ)
        return LSH_SURE;
    return model(arg, eq, st->sizes[a], st->sizes[b]);
}

/* Groups of the pairs kept sure, and of the others those a stand-in for
 * verification passes (a property of the pair alone): lowest member of
 * each document's group into low[]. */
static void join_groups(const filter_state *st, const uint64_t *pairs,
                        size_t n, uint32_t ndocs, uint32_t *low)
{
    union_find uf;
    uint32_t d, *first;
    size_t i;

    assert_int_equal(uf_init(&uf, ndocs), 0);
    for (i = 0; i < n; i++) {
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        int keep = keep_sure((void *)st, a, b);

        assert_true(keep);
        if (keep == LSH_SURE || (a * 31 + b) % 3 != 0)
            uf_union(&uf, a, b);
    }
    first = malloc(ndocs * sizeof(*first));
    assert_non_null(first);
    for (d = 0; d < ndocs; d++)
        first[d] = UINT32_MAX;
    for (d = 0; d < ndocs; d++) {
        uint32_t root = uf_find(&uf, d);

        if (first[root] == UINT32_MAX)
            first[root] = d;
        low[d] = first[root];
    }
    free(first);
    uf_release(&uf);
}

/* filter->join: on every thread count the pairs returned are some of
 * those kept without it and make the same groups, and a family of near
 * copies costs about one pair a member instead of all of its pairs. */
static void test_candidates_join(void **state)
{
    enum { N = 700, FAMILY = 200, FIRST = 450 };
    static const unsigned threads[] = { 1, 2, 3, 16 };
    static const unsigned caps[] = { 0, 6 };
    test_rng r = { 12 };
    uint64_t sizes[N];
    unsigned char active[N];
    uint32_t *sig = planted_sigs(&r, N, sizes, active), d, j;
    uint32_t want_low[N], got_low[N];
    filter_state st = { sig, sizes, 0 };
    size_t ci, ti, mi;

    (void)state;
    /* near copies of FIRST (sure with each other), each with 12 of 128
     * slots changed, plus a few that only the uncertain kind keeps */
    for (d = FIRST + 1; d < FIRST + FAMILY; d++) {
        copy_sig(sig, d, FIRST);
        for (j = 0; j < (d % 10 == 0 ? 90 : 12); j++)
            sig[(size_t)d * K + rng_below(&r, K)] = (uint32_t)rng_next(&r);
        sizes[d] = sizes[FIRST];
        active[d] = 1;
    }
    active[FIRST] = 1;
    for (ci = 0; ci < 2; ci++) {
        lsh_config conf[2] = { { 26, 3, 0 }, { K, 1, caps[ci] } };
        lsh_filter f0 = { .keep = keep_sure, .keep_model = model,
                           .sizes = sizes, .arg = &st };
        uint64_t *all = NULL;
        size_t nall = 0, nall_sure, i;

        assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2,
                                               7, &f0, 1, &all, &nall), 0);
        join_groups(&st, all, nall, N, want_low);
        for (i = 0, nall_sure = 0; i < nall; i++)
            nall_sure += keep_sure(&st, (uint32_t)(all[i] >> 32),
                                   (uint32_t)all[i]) == LSH_SURE;
        assert_int_equal(want_low[FIRST + FAMILY - 1], want_low[FIRST]);
        for (mi = 0; mi < 2; mi++) {
            lsh_filter f = { .keep = keep_sure,
                             .keep_model = mi ? model : NULL,
                             .sizes = sizes, .arg = &st, .join = 1 };

            for (ti = 0; ti < sizeof(threads) / sizeof(threads[0]); ti++) {
                uint64_t *out = NULL;
                size_t n = 0, nsure;

                assert_int_equal(lsh_candidates_filter(sig, K, N, active,
                                                       conf, 2, 7, &f,
                                                       threads[ti], &out,
                                                       &n), 0);
                for (i = 0; i < n; i++)
                    assert_non_null(bsearch(&out[i], all, nall,
                                            sizeof(*all), test_cmp_u64));
                join_groups(&st, out, n, N, got_low);
                assert_memory_equal(want_low, got_low, sizeof(want_low));
                /* A sure pair returned joins two groups (but for two
                 * threads joining the same two at once): the family's
                 * 180 sure members and the planted near copies make
                 * about 220 of the 17,000 sure pairs. */
                nsure = 0;
                for (i = 0; i < n; i++)
                    nsure += keep_sure(&st, (uint32_t)(out[i] >> 32),
                                       (uint32_t)out[i]) == LSH_SURE;
                print_message("cap %u, %u threads: %zu pairs of %zu, %zu "
                              "sure of %zu\n", caps[ci], threads[ti], n,
                              nall, nsure, nall_sure);
                assert_true(nall_sure > 15000);
                assert_true(nsure < 2 * FAMILY);
                free(out);
            }
        }
        free(all);
    }
    free(sig);
}

static int keep_all(void *arg, uint32_t a, uint32_t b)
{
    (void)arg;
    (void)a;
    (void)b;
    return 1;
}

/* lsh_pair_meets with the skipped keys a run hands over says of every
 * pair of active documents whether that run returns it, with and
 * without a cap; and the groups handed over under join are those of
 * the sure pairs. */
static void test_pair_meets(void **state)
{
    enum { N = 300 };
    static const unsigned caps[] = { 0, 6 };
    test_rng r = { 13 };
    uint64_t sizes[N];
    unsigned char active[N];
    uint32_t *sig = planted_sigs(&r, N, sizes, active), a, b;
    filter_state st = { sig, sizes, 0 };
    size_t ci, i;

    (void)state;
    for (ci = 0; ci < 2; ci++) {
        lsh_config conf[2] = { { 26, 3, 0 }, { K, 1, caps[ci] } };
        lsh_skipped *skips[2] = { NULL, NULL };
        uint32_t *groups = NULL;
        lsh_filter f = { .keep = keep_all, .sizes = sizes, .arg = &st,
                         .skips = skips };
        lsh_filter fj = { .keep = keep_sure, .sizes = sizes, .arg = &st,
                          .join = 1, .groups = &groups };
        uint64_t *out = NULL;
        size_t n = 0, met = 0;
        union_find uf;

        assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2,
                                               7, &f, 2, &out, &n), 0);
        assert_non_null(skips[0]);
        assert_non_null(skips[1]);
        assert_int_equal(skips[0][0].n, 0);
        if (caps[ci])
            assert_true(skips[1][3].n > 0);    /* the crowd at slot 3 */
        for (a = 0; a < N; a++)
            for (b = a + 1; b < N; b++) {
                uint64_t pr = pair(a, b);
                int want = active[a] && active[b] &&
                           bsearch(&pr, out, n, sizeof(*out),
                                   test_cmp_u64) != NULL;

                if (!active[a] || !active[b])
                    continue;
                met += want;
                assert_int_equal(lsh_pair_meets(sig + (size_t)a * K,
                                                 sig + (size_t)b * K, conf,
                                                 2, 7, skips), want);
            }
        print_message("cap %u: %zu pairs meet\n", caps[ci], met);
        assert_true(met == n && n > 40);
        lsh_skips_free(skips[0], conf[0].bands);
        lsh_skips_free(skips[1], conf[1].bands);
        free(out);
        /* groups: those of the sure pairs among the candidates */
        assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2,
                                               7, &fj, 3, &out, &n), 0);
        assert_non_null(groups);
        free(out);
        assert_int_equal(lsh_candidates_filter(sig, K, N, active, conf, 2,
                                               7, &f, 1, &out, &n), 0);
        lsh_skips_free(skips[0], conf[0].bands);
        lsh_skips_free(skips[1], conf[1].bands);
        assert_int_equal(uf_init(&uf, N), 0);
        for (i = 0; i < n; i++)
            if (keep_sure(&st, (uint32_t)(out[i] >> 32), (uint32_t)out[i]) ==
                LSH_SURE)
                uf_union(&uf, (uint32_t)(out[i] >> 32), (uint32_t)out[i]);
        for (a = 0; a < N; a++)
            for (b = a + 1; b < N; b++)
                assert_int_equal(ufs_find(groups, a) == ufs_find(groups, b),
                                 uf_find(&uf, a) == uf_find(&uf, b));
        uf_release(&uf);
        free(groups);
        free(out);
    }
    free(sig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probability_known_points),
        cmocka_unit_test(test_probability_monotone),
        cmocka_unit_test(test_error_areas),
        cmocka_unit_test(test_choose_params_k128),
        cmocka_unit_test(test_choose_params_documented_example),
        cmocka_unit_test(test_choose_params_recall_claim),
        cmocka_unit_test(test_choose_params_other_k),
        cmocka_unit_test(test_candidates_identical),
        cmocka_unit_test(test_candidates_active),
        cmocka_unit_test(test_candidates_band_semantics),
        cmocka_unit_test(test_candidates_two_configs),
        cmocka_unit_test(test_candidates_bucket_cap),
        cmocka_unit_test(test_candidates_many_pairs),
        cmocka_unit_test(test_candidates_degenerate),
        cmocka_unit_test(test_candidates_seed),
        cmocka_unit_test(test_candidates_filter_threads),
        cmocka_unit_test(test_candidates_filter_calls),
        cmocka_unit_test(test_candidates_join),
        cmocka_unit_test(test_pair_meets),
    };

    return cmocka_run_group_tests_name("lsh", tests, NULL, NULL);
}
