/*
 * merge_avx2.c - the intersection count of two sorted sets, AVX2, blocks
 * of 4 values.  Only this file is compiled with -mavx2;
 * sketch_merge_select() returns it only when the CPU has AVX2.
 *
 * The scheme of merge_avx512.c with 4 lanes: a block of a against the
 * block of b and its rotations by 1, 2 and 3 lanes (vpermq), vpcmpeqq,
 * the lanes that matched counted from their sign bits.
 */
#include <immintrin.h>

#include "verify.h"

size_t verify_merge_avx2(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i + 4 <= na && j + 4 <= nb) {
        __m256i va = _mm256_loadu_si256((const __m256i *)(a + i));
        __m256i vb = _mm256_loadu_si256((const __m256i *)(b + j));
        __m256i m = _mm256_cmpeq_epi64(va, vb);
        uint64_t x = a[i + 3], y = b[j + 3];

        m = _mm256_or_si256(m, _mm256_cmpeq_epi64(
                                   va, _mm256_permute4x64_epi64(vb, 0x39)));
        m = _mm256_or_si256(m, _mm256_cmpeq_epi64(
                                   va, _mm256_permute4x64_epi64(vb, 0x4e)));
        m = _mm256_or_si256(m, _mm256_cmpeq_epi64(
                                   va, _mm256_permute4x64_epi64(vb, 0x93)));
        n += (size_t)__builtin_popcount(
            (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(m)));
        i += (size_t)(x <= y) * 4;
        j += (size_t)(y <= x) * 4;
    }
    return n + verify_merge_scalar(a + i, na - i, b + j, nb - j);
}
