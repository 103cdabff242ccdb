/*
 * test_merge_simd.c - every merge kernel that this build has and this
 * CPU runs (verify.h, merge_<isa>.c: 64-bit shingle sets, 32-bit
 * samples) must count the values two sorted sets share exactly as the
 * scalar reference does, and both must agree with a count by binary
 * search.
 *
 * The kernels are reached through sketch_merge_select(), level by level.
 * Sets are allocated at their exact size, so a read past either end is
 * caught by the sanitizer build.  Inputs: random sets of every size
 * around the block widths (2, 4, 8) with 0-100% shared, disjoint sets
 * that interleave, sets wholly before or after each other, values with
 * the top bit set (an unsigned order mistaken for a signed one), runs
 * of consecutive values, and large sets with size ratios up to 20 (past
 * the galloping ratio, through verify_intersect_with).  The 32-bit
 * kernels get the low halves of the same sets.
 *
 * Also LSH's count of equal low bytes (lsh.h, sketch_eqbytes_select)
 * at every level: byte arrays of every length 0-300 and some up to
 * 4096, at every offset from an aligned start, with 0-100% of the
 * bytes equal, against a plain count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "sketch.h"
#include "verify.h"
#include "test_util.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const dupfind_simd levels[] = {
    DUPFIND_SIMD_AVX512, DUPFIND_SIMD_AVX2, DUPFIND_SIMD_SSE,
    DUPFIND_SIMD_NEON, DUPFIND_SIMD_SCALAR
};

/* The kernels this build and CPU have, filled by setup. */
static struct {
    verify_merge_fn fn;
    verify_merge32_fn fn32;
    lsh_equal_bytes_fn eq;
    const char *name;
} kern[COUNT(levels)];
static size_t nkern;

static test_rng rng = { 0x452821e638d01377ULL };

static int setup(void **state)
{
    size_t i;

    (void)state;
    nkern = 0;
    for (i = 0; i < COUNT(levels); i++) {
        const char *name = NULL;
        verify_merge_fn fn = sketch_merge_select(levels[i]);
        verify_merge32_fn fn32 = sketch_merge32_select(levels[i]);
        lsh_equal_bytes_fn eq = sketch_eqbytes_select(levels[i]);

        /* Exactly the levels whose MinHash kernel runs here. */
        assert_true((fn != NULL) == (sketch_select(levels[i], &name) != NULL));
        assert_true((fn != NULL) == (fn32 != NULL));
        assert_true((fn != NULL) == (eq != NULL));
        if (fn) {
            kern[nkern].fn = fn;
            kern[nkern].fn32 = fn32;
            kern[nkern].eq = eq;
            kern[nkern].name = name;
            nkern++;
        }
    }
    print_message("merge kernels compared:");
    for (i = 0; i < nkern; i++)
        print_message(" %s", kern[i].name);
    print_message("\n");
    return 0;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

    return a < b ? -1 : a > b;
}

/* Sorts v[0 .. n) and drops repeats; returns the new length. */
static size_t settle(uint64_t *v, size_t n)
{
    size_t i, w = 0;

    qsort(v, n, sizeof(*v), cmp_u64);
    for (i = 0; i < n; i++)
        if (w == 0 || v[w - 1] != v[i])
            v[w++] = v[i];
    return w;
}

/* The count the kernels must give: a binary search per value of a. */
static size_t shared_by_search(const uint64_t *a, size_t na,
                               const uint64_t *b, size_t nb)
{
    size_t i, n = 0;

    for (i = 0; i < na; i++)
        n += bsearch(&a[i], b, nb, sizeof(*b), cmp_u64) != NULL;
    return n;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

    return a < b ? -1 : a > b;
}

/* The low halves of v[0 .. n), sorted, without repeats, in a block of
 * their exact size; *m gets their number. */
static uint32_t *low_halves(const uint64_t *v, size_t n, size_t *m)
{
    uint32_t *t = malloc(n ? n * sizeof(*t) : 1), *out;
    size_t i, w = 0;

    assert_non_null(t);
    for (i = 0; i < n; i++)
        t[i] = (uint32_t)v[i];
    qsort(t, n, sizeof(*t), cmp_u32);
    for (i = 0; i < n; i++)
        if (w == 0 || t[w - 1] != t[i])
            t[w++] = t[i];
    out = malloc(w ? w * sizeof(*out) : 1);
    assert_non_null(out);
    if (w)
        memcpy(out, t, w * sizeof(*out));
    free(t);
    *m = w;
    return out;
}

/* The 32-bit kernels on the low halves of a and b (samples). */
static void check32(const uint64_t *a, size_t na, const uint64_t *b,
                    size_t nb)
{
    size_t ma, mb, want = 0, i, k;
    uint32_t *sa = low_halves(a, na, &ma), *sb = low_halves(b, nb, &mb);

    for (i = 0; i < ma; i++)
        want += bsearch(&sa[i], sb, mb, sizeof(*sb), cmp_u32) != NULL;
    for (k = 0; k < nkern; k++) {
        size_t ab = kern[k].fn32(sa, ma, sb, mb);
        size_t ba = kern[k].fn32(sb, mb, sa, ma);

        if (ab != want || ba != want)
            fail_msg("%s (32-bit): %zu and %zu shared, want %zu (sizes "
                     "%zu, %zu)", kern[k].name, ab, ba, want, ma, mb);
        assert_int_equal(verify_sample_shared_with(kern[k].fn32, sa, ma, sb,
                                                   mb), want);
    }
    assert_int_equal(verify_sample_shared_with(verify_merge32_scalar, sb, mb,
                                               sa, ma), want);
    free(sa);
    free(sb);
}

/* Copies of a and b at their exact sizes, through every kernel, both
 * orders; and through verify_intersect_with (galloping when skewed);
 * then their low halves through the 32-bit kernels. */
static void check(const uint64_t *a, size_t na, const uint64_t *b,
                  size_t nb)
{
    uint64_t *ca = malloc(na ? na * sizeof(*a) : 1);
    uint64_t *cb = malloc(nb ? nb * sizeof(*b) : 1);
    size_t want = shared_by_search(a, na, b, nb), k;

    assert_non_null(ca);
    assert_non_null(cb);
    if (na)
        memcpy(ca, a, na * sizeof(*a));
    if (nb)
        memcpy(cb, b, nb * sizeof(*b));
    for (k = 0; k < nkern; k++) {
        size_t ab = kern[k].fn(ca, na, cb, nb), ba = kern[k].fn(cb, nb, ca, na);

        if (ab != want || ba != want)
            fail_msg("%s: %zu and %zu shared, want %zu (sizes %zu, %zu)",
                     kern[k].name, ab, ba, want, na, nb);
        assert_int_equal(verify_intersect_with(kern[k].fn, ca, na, cb, nb),
                         want);
    }
    assert_int_equal(verify_intersect(cb, nb, ca, na), want);
    free(ca);
    free(cb);
    check32(a, na, b, nb);
}

/* Sets of na and nb random values, about share of the smaller in both;
 * top: values ORed with it (the top bit, or 0). */
static void random_pair(size_t na, size_t nb, double share, uint64_t top)
{
    uint64_t *a = malloc((na + 1) * sizeof(*a));
    uint64_t *b = malloc((nb + 1) * sizeof(*b));
    size_t i, small = na < nb ? na : nb;

    assert_non_null(a);
    assert_non_null(b);
    for (i = 0; i < na; i++)
        a[i] = rng_next(&rng) | top;
    for (i = 0; i < nb; i++)
        b[i] = rng_next(&rng) | top;
    for (i = 0; i < small; i++)
        if (rng_unit(&rng) < share)
            b[i] = a[i];
    na = settle(a, na);
    nb = settle(b, nb);
    check(a, na, b, nb);
    free(a);
    free(b);
}

static void test_small_sizes(void **state)
{
    static const double shares[] = { 0.0, 0.1, 0.5, 0.9, 1.0 };
    size_t na, nb, s;
    int rep;

    (void)state;
    for (na = 0; na <= 40; na++)
        for (nb = 0; nb <= 40; nb++)
            for (s = 0; s < COUNT(shares); s++)
                for (rep = 0; rep < 3; rep++)
                    random_pair(na, nb, shares[s],
                                rep == 2 ? UINT64_C(1) << 63 : 0);
}

static void test_large_and_skewed(void **state)
{
    static const size_t sizes[] = { 100, 257, 1000, 4099 };
    static const size_t ratios[] = { 1, 2, 3, 7, 15, 16, 17, 20 };
    static const double shares[] = { 0.0, 0.3, 0.7, 1.0 };
    size_t i, r, s;

    (void)state;
    for (i = 0; i < COUNT(sizes); i++)
        for (r = 0; r < COUNT(ratios); r++)
            for (s = 0; s < COUNT(shares); s++)
                random_pair(sizes[i], sizes[i] * ratios[r], shares[s],
                            s == 1 ? UINT64_C(1) << 63 : 0);
}

/* Hand-made orders: interleaved, one before the other, runs. */
static void test_arranged(void **state)
{
    enum { N = 67 };
    uint64_t a[2 * N] = { 0 }, b[2 * N] = { 0 };
    size_t i, n;

    (void)state;
    for (n = 0; n <= N; n++) {
        for (i = 0; i < n; i++) {     /* evens and odds: nothing shared */
            a[i] = 2 * i;
            b[i] = 2 * i + 1;
        }
        check(a, n, b, n);
        for (i = 0; i < n; i++) {     /* all of a below all of b */
            a[i] = i;
            b[i] = n + i;
        }
        check(a, n, b, n);
        for (i = 0; i < n; i++) {     /* equal */
            a[i] = b[i] = UINT64_MAX - n + i + 1;
        }
        check(a, n, b, n);
        for (i = 0; i < n; i++) {     /* b is a shifted by 3: n - 3 */
            a[i] = 1000 + i;
            b[i] = 1003 + i;
        }
        check(a, n, b, n);
        for (i = 0; i < n; i++) {     /* b every third of a's range */
            a[i] = i;
            b[i] = 3 * i;
        }
        check(a, n, b, n);
        for (i = 0; i < 2 * n; i++)   /* a's values straddle the sign */
            a[i] = (UINT64_C(1) << 63) - n + i;
        for (i = 0; i < n; i++)
            b[i] = (UINT64_C(1) << 63) - n / 2 + 2 * i;
        check(a, 2 * n, b, n);
        a[0] = 0;                     /* the extremes of the range */
        a[1] = UINT64_MAX;
        b[0] = 0;
        check(a, 2, b, n ? 1 : 0);
        check(a + 1, 1, a, 2);
    }
}

/* Two arrays of k bytes, each the last k bytes of an allocation of
 * k + off (a read past the end is caught by the sanitizer build), equal
 * at each place with probability share: every kernel counts as a plain
 * loop does. */
static void check_equal_bytes(unsigned k, unsigned off, double share)
{
    uint8_t *bx = malloc(k + off + 1), *by = malloc(k + off + 1);
    uint8_t *x, *y;
    unsigned i, want = 0;
    size_t ki;

    assert_non_null(bx);
    assert_non_null(by);
    x = bx + off + 1;  /* one byte more: malloc(0) may give NULL */
    y = by + off + 1;
    for (i = 0; i < k; i++) {
        x[i] = (uint8_t)rng_next(&rng);
        /* Differ by any nonzero xor, also in the top bit alone. */
        y[i] = rng_unit(&rng) < share
                   ? x[i]
                   : (uint8_t)(x[i] ^ (1 + rng_below(&rng, 255)));
    }
    for (i = 0; i < k; i++)
        want += x[i] == y[i];
    for (ki = 0; ki < nkern; ki++) {
        unsigned got = kern[ki].eq(x, y, k);

        if (got != want)
            fail_msg("equal bytes, %s: k %u, offset %u, share %.2f: %u, "
                     "want %u", kern[ki].name, k, off, share, got, want);
    }
    free(bx);
    free(by);
}

static void test_equal_bytes(void **state)
{
    static const double shares[] = { 0, 0.01, 0.5, 0.99, 1 };
    static const unsigned big[] = { 1000, 4080, 4095, 4096 };
    unsigned k, off;
    size_t si;

    (void)state;
    for (si = 0; si < COUNT(shares); si++) {
        for (k = 0; k <= 300; k++)
            for (off = 0; off < 4; off++)
                check_equal_bytes(k, off * 7, shares[si]);
        /* Long arrays, up to the largest k (4096: a byte lane of the
         * SSE2 count then reaches 128). */
        for (k = 0; k < COUNT(big); k++)
            check_equal_bytes(big[k], 3, shares[si]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_sizes),
        cmocka_unit_test(test_large_and_skewed),
        cmocka_unit_test(test_arranged),
        cmocka_unit_test(test_equal_bytes),
    };

    return cmocka_run_group_tests_name("merge_simd", tests, setup, NULL);
}
