/*
 * merge_avx512.c - the intersection count of two sorted sets, AVX-512F,
 * blocks of 8 values.  Only this file is compiled with -mavx512f;
 * sketch_merge_select() returns it only when the CPU has AVX-512F.
 *
 * A block of a is compared with a block of b in all 64 pairings: the
 * block of b against itself rotated by 1 to 7 lanes (valignq), one
 * vpcmpeqq into a mask each.  Values are distinct within a set, so each
 * value of a equals at most one of b and the OR of the masks counts the
 * matches once.  Then the block whose last value is smaller moves on
 * (both when equal): the merge of blocks, as in the SIMD intersections
 * of Schlegel, Willhalm and Lehner (2011) and Lemire, Boytsov and Kurz
 * (2016).  A pair of equal values meets exactly once: while a block
 * holding one of them is current, the other set's blocks before the one
 * holding the other all end below it and move on first.  The choice of
 * which block moves is arithmetic, not a branch: it is unpredictable.
 * Fewer than 8 values left in either set go to the scalar merge.
 */
#include <immintrin.h>

#include "verify.h"

size_t verify_merge_avx512(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i + 8 <= na && j + 8 <= nb) {
        __m512i va = _mm512_loadu_si512((const void *)(a + i));
        __m512i vb = _mm512_loadu_si512((const void *)(b + j));
        __mmask8 m = _mm512_cmpeq_epi64_mask(va, vb);
        uint64_t x = a[i + 7], y = b[j + 7];

        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 1));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 2));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 3));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 4));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 5));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 6));
        m |= _mm512_cmpeq_epi64_mask(va, _mm512_alignr_epi64(vb, vb, 7));
        n += (size_t)__builtin_popcount((unsigned)m);
        i += (size_t)(x <= y) * 8;
        j += (size_t)(y <= x) * 8;
    }
    return n + verify_merge_scalar(a + i, na - i, b + j, nb - j);
}
