/*
 * sketch_avx512.c - MinHash kernel for AVX-512F (16 lanes).  Only this
 * file is compiled with -mavx512f; sketch_select() calls it only when the
 * CPU has AVX-512F (and AVX2) and the OS saves the ZMM and opmask
 * registers.  Everything used here (vpbroadcastd, vpmulld, vpaddd,
 * vpminud, masked loads and stores of 32-bit lanes) is AVX-512F.
 *
 * Per lane it does what sketch_update_scalar() does per slot: a 32-bit
 * wrapping multiply, add and unsigned min, so the signature is
 * bit-identical to the reference.
 *
 * Loop order: blocks of slots outside, hashes inside.  A block of 8
 * vectors (128 slots, the default k) keeps sig, a and b in 24 of the 32
 * ZMM registers while every hash of the batch goes through them, so the
 * signature is read and written once per batch.  Smaller blocks take the
 * rest and the last k % 16 slots run in one masked vector: masked-off
 * lanes are neither read nor written.
 */
#include <immintrin.h>

#include "sketch.h"

/* Defines block<B>(): slots [0, 16*B) of a, b, sig over all n hashes. */
#define AVX512_BLOCK(B)                                                  \
static void block##B(const uint32_t *a, const uint32_t *b, uint32_t *sig, \
                     const uint64_t *hashes, size_t n)                   \
{                                                                        \
    __m512i va[(B)], vb[(B)], vs[(B)];                                        \
    size_t j;                                                            \
    int v;                                                               \
                                                                         \
    for (v = 0; v < (B); v++) {                                            \
        va[v] = _mm512_loadu_si512((const void *)(a + 16 * v));          \
        vb[v] = _mm512_loadu_si512((const void *)(b + 16 * v));          \
        vs[v] = _mm512_loadu_si512((const void *)(sig + 16 * v));        \
    }                                                                    \
    for (j = 0; j < n; j++) {                                            \
        __m512i x = _mm512_set1_epi32(                                   \
            (int)(uint32_t)(hashes[j] >> 32));                           \
        for (v = 0; v < (B); v++)                                          \
            vs[v] = _mm512_min_epu32(vs[v], _mm512_add_epi32(            \
                        _mm512_mullo_epi32(va[v], x), vb[v]));           \
    }                                                                    \
    for (v = 0; v < (B); v++)                                              \
        _mm512_storeu_si512((void *)(sig + 16 * v), vs[v]);              \
}

AVX512_BLOCK(8)
AVX512_BLOCK(4)
AVX512_BLOCK(2)
AVX512_BLOCK(1)

/* Slots [0, m), 0 < m < 16, in one vector under a lane mask. */
static void masked(const uint32_t *a, const uint32_t *b, uint32_t *sig,
                   unsigned m, const uint64_t *hashes, size_t n)
{
    __mmask16 mk = (__mmask16)((1u << m) - 1);
    __m512i va = _mm512_maskz_loadu_epi32(mk, a);
    __m512i vb = _mm512_maskz_loadu_epi32(mk, b);
    __m512i vs = _mm512_maskz_loadu_epi32(mk, sig);
    size_t j;

    for (j = 0; j < n; j++) {
        __m512i x = _mm512_set1_epi32((int)(uint32_t)(hashes[j] >> 32));
        vs = _mm512_min_epu32(vs, _mm512_add_epi32(
                 _mm512_mullo_epi32(va, x), vb));
    }
    _mm512_mask_storeu_epi32(sig, mk, vs);
}

void sketch_update_avx512(const sketch_params *p, uint32_t *sig,
                          const uint64_t *hashes, size_t n)
{
    const uint32_t *a = p->a, *b = p->b;
    unsigned k = p->k, i = 0;

    if (n == 0)
        return;
    for (; k - i >= 128; i += 128)
        block8(a + i, b + i, sig + i, hashes, n);
    if (k - i >= 64) {
        block4(a + i, b + i, sig + i, hashes, n);
        i += 64;
    }
    if (k - i >= 32) {
        block2(a + i, b + i, sig + i, hashes, n);
        i += 32;
    }
    if (k - i >= 16) {
        block1(a + i, b + i, sig + i, hashes, n);
        i += 16;
    }
    if (k - i)
        masked(a + i, b + i, sig + i, k - i, hashes, n);
}
