/*
 * sketch_avx2.c - MinHash kernel for AVX2 (8 lanes).  Only this file is
 * compiled with -mavx2; sketch_select() calls it only when the CPU has
 * AVX2 and the OS saves the YMM registers.
 *
 * Per lane it does what sketch_update_scalar() does per slot: a 32-bit
 * wrapping multiply (vpmulld), add (vpaddd) and unsigned min (vpminud),
 * so the signature is bit-identical to the reference.
 *
 * Loop order: blocks of slots outside, hashes inside.  A block's slots,
 * multipliers and offsets stay in registers while every hash of the
 * batch goes through them, so the signature is read and written once per
 * batch.  16 YMM registers hold 4 vectors each of sig, a and b plus the
 * broadcast hash; smaller blocks, one 4-lane step and a scalar loop take
 * the slots left over.
 */
#include <immintrin.h>

#include "sketch.h"

/* Defines block<B>(): slots [0, 8*B) of a, b, sig over all n hashes. */
#define AVX2_BLOCK(B)                                                    \
static void block##B(const uint32_t *a, const uint32_t *b, uint32_t *sig, \
                     const uint64_t *hashes, size_t n)                   \
{                                                                        \
    __m256i va[(B)], vb[(B)], vs[(B)];                                        \
    size_t j;                                                            \
    int v;                                                               \
                                                                         \
    for (v = 0; v < (B); v++) {                                            \
        va[v] = _mm256_loadu_si256((const __m256i *)(a + 8 * v));        \
        vb[v] = _mm256_loadu_si256((const __m256i *)(b + 8 * v));        \
        vs[v] = _mm256_loadu_si256((const __m256i *)(sig + 8 * v));      \
    }                                                                    \
    for (j = 0; j < n; j++) {                                            \
        __m256i x = _mm256_set1_epi32(                                   \
            (int)(uint32_t)(hashes[j] >> 32));                           \
        for (v = 0; v < (B); v++)                                          \
            vs[v] = _mm256_min_epu32(vs[v], _mm256_add_epi32(            \
                        _mm256_mullo_epi32(va[v], x), vb[v]));           \
    }                                                                    \
    for (v = 0; v < (B); v++)                                              \
        _mm256_storeu_si256((__m256i *)(sig + 8 * v), vs[v]);            \
}

AVX2_BLOCK(4)
AVX2_BLOCK(2)
AVX2_BLOCK(1)

/* Slots [0, 4): the same arithmetic on 128-bit vectors. */
static void half(const uint32_t *a, const uint32_t *b, uint32_t *sig,
                 const uint64_t *hashes, size_t n)
{
    __m128i va = _mm_loadu_si128((const __m128i *)a);
    __m128i vb = _mm_loadu_si128((const __m128i *)b);
    __m128i vs = _mm_loadu_si128((const __m128i *)sig);
    size_t j;

    for (j = 0; j < n; j++) {
        __m128i x = _mm_set1_epi32((int)(uint32_t)(hashes[j] >> 32));
        vs = _mm_min_epu32(vs, _mm_add_epi32(_mm_mullo_epi32(va, x), vb));
    }
    _mm_storeu_si128((__m128i *)sig, vs);
}

void sketch_update_avx2(const sketch_params *p, uint32_t *sig,
                        const uint64_t *hashes, size_t n)
{
    const uint32_t *a = p->a, *b = p->b;
    unsigned k = p->k, i = 0;

    if (n == 0)
        return;
    for (; k - i >= 32; i += 32)
        block4(a + i, b + i, sig + i, hashes, n);
    if (k - i >= 16) {
        block2(a + i, b + i, sig + i, hashes, n);
        i += 16;
    }
    if (k - i >= 8) {
        block1(a + i, b + i, sig + i, hashes, n);
        i += 8;
    }
    if (k - i >= 4) {
        half(a + i, b + i, sig + i, hashes, n);
        i += 4;
    }
    if (k - i)
        sketch_slots_scalar(a + i, b + i, sig + i, k - i, hashes, n);
}
