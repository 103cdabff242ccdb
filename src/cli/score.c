/*
 * score.c - scores written with four decimals, fast.
 *
 * Listing pairs writes three scores a line; stdio's "%.4f" (a general
 * conversion of the double's exact value) took a tenth of a run that
 * listed 2 M pairs.  Scores lie in [0, 1], where the exact rounding is
 * a few integer operations.
 */
#include <stdint.h>
#include <stdio.h>
#include <math.h>

#include "cli.h"

size_t score_format(char *buf, double v)
{
#if defined(__SIZEOF_INT128__)
    if (v >= 0.0 && v <= 1.0 && !signbit(v)) {
        uint32_t q = 0;
        int e, i;

        if (v > 0.0) {
            /* v = m * 2^-shift exactly, m < 2^53; v * 10^4 rounded to
             * the nearest integer, a tie to the even one, as printf
             * rounds the exact value in the default rounding mode. */
            uint64_t m = (uint64_t)ldexp(frexp(v, &e), 53);
            int shift = 53 - e;

            /* 10^4 m < 2^67: from 2^68 on, v * 10^4 < 1/2. */
            if (shift < 68) {
                unsigned __int128 p = (unsigned __int128)m * 10000u;
                unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
                unsigned __int128 r = p & ((half << 1) - 1);

                q = (uint32_t)(p >> shift);
                if (r > half || (r == half && (q & 1)))
                    q++;
            }
        }
        buf[0] = (char)('0' + q / 10000);
        buf[1] = '.';
        q %= 10000;
        for (i = 5; i > 1; i--) {
            buf[i] = (char)('0' + q % 10);
            q /= 10;
        }
        buf[6] = '\0';
        return 6;
    }
#endif
    {
        int n = snprintf(buf, SCORE_BUF, "%.4f", v);

        return n < 0 ? 0 : n < SCORE_BUF ? (size_t)n : SCORE_BUF - 1;
    }
}
