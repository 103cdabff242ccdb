/*
 * test_score.c - the CLI's score_format (src/cli/score.c) against
 * printf's "%.4f": every fraction with a small denominator (MinHash
 * estimates are multiples of 1/k; k/32 are exact ties), both sides of
 * every tie, random values, and values outside [0, 1].
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "test_util.h"

static unsigned checked;

static void check(double v)
{
    char want[SCORE_BUF], got[SCORE_BUF];
    size_t n;

    snprintf(want, sizeof(want), "%.4f", v);
    n = score_format(got, v);
    if (strcmp(want, got) != 0 || n != strlen(want)) {
        print_error("%.17g: printf \"%s\", score_format \"%s\" (%zu)\n", v,
                    want, got, n);
        fail();
    }
    checked++;
}

static void test_fractions(void **state)
{
    unsigned n, k;

    (void)state;
    for (n = 1; n <= 1024; n++)
        for (k = 0; k <= n; k++)
            check((double)k / n);
    print_message("%u fractions\n", checked);
}

/* (2t + 1) / 20000 is half-way between two outputs; exact in binary
 * for the odd multiples of 1/32, where printf goes to the even one. */
static void test_ties(void **state)
{
    unsigned t;

    (void)state;
    for (t = 0; t < 10000; t++) {
        double x = (2.0 * t + 1) / 20000;

        check(x);
        check(nextafter(x, 0));
        check(nextafter(x, 2));
    }
    for (t = 1; t < 32; t += 2)
        check(t / 32.0);
}

static void test_random(void **state)
{
    test_rng r = { 77 };
    unsigned i;

    (void)state;
    for (i = 0; i < 1000000; i++) {
        uint64_t bits = rng_next(&r);
        double u = (double)(bits >> 11) / 9007199254740992.0;   /* [0,1) */
        double w;

        check(u);
        /* and any double in [0, 1]: random exponent and mantissa */
        memcpy(&w, &bits, sizeof(w));
        w = fabs(w);
        if (w <= 1)
            check(w);
    }
}

static void test_edges(void **state)
{
    static const double v[] = {
        0.0, 1.0, 5e-324, 2.2250738585072014e-308, 1e-300, 0.00005,
        0.99995, 0.999949999999, 0.49995, 0.5, 0.25, 0.03125, 0.09375,
        -0.0, -0.25, 1.00000001, 2.0, 123.456789, 1e300,
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        check(v[i]);
    check(NAN);
    check(INFINITY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_edges),
    };

    return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
