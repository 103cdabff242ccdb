/*
 * merge_sse.c - the intersection count of two sorted sets, SSE4.1,
 * blocks of 2 values.  Only this file is compiled with -msse4.1;
 * sketch_merge_select() returns it only when the CPU has SSE4.1.
 *
 * The scheme of merge_avx512.c with 2 lanes: a block of a against the
 * block of b and its halves swapped, pcmpeqq, the lanes that matched
 * counted from their sign bits.
 */
#include <smmintrin.h>

#include "verify.h"

size_t verify_merge_sse(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i + 2 <= na && j + 2 <= nb) {
        __m128i va = _mm_loadu_si128((const __m128i *)(a + i));
        __m128i vb = _mm_loadu_si128((const __m128i *)(b + j));
        __m128i m = _mm_or_si128(
            _mm_cmpeq_epi64(va, vb),
            _mm_cmpeq_epi64(va, _mm_shuffle_epi32(vb, 0x4e)));
        uint64_t x = a[i + 1], y = b[j + 1];
        unsigned bits = (unsigned)_mm_movemask_pd(_mm_castsi128_pd(m));

        n += (bits & 1) + (bits >> 1);
        i += (size_t)(x <= y) * 2;
        j += (size_t)(y <= x) * 2;
    }
    return n + verify_merge_scalar(a + i, na - i, b + j, nb - j);
}
