/*
 * merge_sse.c - the intersection count of two sorted sets, SSE4.1:
 * blocks of 2 64-bit values (shingle sets) or 4 32-bit values
 * (samples).  Only this file is compiled with -msse4.1;
 * sketch_merge_select() returns these only when the CPU has SSE4.1.
 *
 * The scheme of merge_avx512.c: a block of a against the block of b and
 * its rotations by every lane count (pshufd), pcmpeq, the lanes that
 * matched counted from their sign bits.
 */
#include <smmintrin.h>

#include "verify.h"

/* Bits set in a 4-bit mask (SSE4.1 does not bring popcnt). */
static const unsigned char pop4[16] = {
    0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4
};

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

size_t verify_merge32_sse(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i + 4 <= na && j + 4 <= nb) {
        __m128i va = _mm_loadu_si128((const __m128i *)(a + i));
        __m128i vb = _mm_loadu_si128((const __m128i *)(b + j));
        __m128i m = _mm_cmpeq_epi32(va, vb);
        uint32_t x = a[i + 3], y = b[j + 3];

        m = _mm_or_si128(m, _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x39)));
        m = _mm_or_si128(m, _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x4e)));
        m = _mm_or_si128(m, _mm_cmpeq_epi32(va, _mm_shuffle_epi32(vb, 0x93)));
        n += pop4[_mm_movemask_ps(_mm_castsi128_ps(m))];
        i += (size_t)(x <= y) * 4;
        j += (size_t)(y <= x) * 4;
    }
    return n + verify_merge32_scalar(a + i, na - i, b + j, nb - j);
}
