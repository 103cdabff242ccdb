/*
 * sketch_sse.c - MinHash kernel for SSE4.1 (4 lanes).  Only this file is
 * compiled with -msse4.1; sketch_select() calls it only when the CPU has
 * SSE4.1.
 *
 * Per lane it does what sketch_update_scalar() does per slot: a 32-bit
 * wrapping multiply (pmulld), add (paddd) and unsigned min (pminud), so
 * the signature is bit-identical to the reference.
 *
 * Loop order: blocks of slots outside, hashes inside.  A block's slots,
 * multipliers and offsets stay in registers while every hash of the
 * batch goes through them, so the signature is read and written once per
 * batch and not once per hash.  16 XMM registers hold 4 vectors each of
 * sig, a and b plus the broadcast hash; smaller blocks and a scalar loop
 * take the slots left over.
 */
#include <smmintrin.h>

#include "sketch.h"

/* Defines block<B>(): slots [0, 4*B) of a, b, sig over all n hashes. */
#define SSE_BLOCK(B)                                                     \
static void block##B(const uint32_t *a, const uint32_t *b, uint32_t *sig, \
                     const uint64_t *hashes, size_t n)                   \
{                                                                        \
    __m128i va[(B)], vb[(B)], vs[(B)];                                        \
    size_t j;                                                            \
    int v;                                                               \
                                                                         \
    for (v = 0; v < (B); v++) {                                            \
        va[v] = _mm_loadu_si128((const __m128i *)(a + 4 * v));           \
        vb[v] = _mm_loadu_si128((const __m128i *)(b + 4 * v));           \
        vs[v] = _mm_loadu_si128((const __m128i *)(sig + 4 * v));         \
    }                                                                    \
    for (j = 0; j < n; j++) {                                            \
        __m128i x = _mm_set1_epi32((int)(uint32_t)(hashes[j] >> 32));   \
        for (v = 0; v < (B); v++)                                          \
            vs[v] = _mm_min_epu32(vs[v], _mm_add_epi32(                  \
                        _mm_mullo_epi32(va[v], x), vb[v]));              \
    }                                                                    \
    for (v = 0; v < (B); v++)                                              \
        _mm_storeu_si128((__m128i *)(sig + 4 * v), vs[v]);               \
}

SSE_BLOCK(4)
SSE_BLOCK(2)
SSE_BLOCK(1)

void sketch_update_sse(const sketch_params *p, uint32_t *sig,
                       const uint64_t *hashes, size_t n)
{
    const uint32_t *a = p->a, *b = p->b;
    unsigned k = p->k, i = 0;

    if (n == 0)
        return;
    for (; k - i >= 16; i += 16)
        block4(a + i, b + i, sig + i, hashes, n);
    if (k - i >= 8) {
        block2(a + i, b + i, sig + i, hashes, n);
        i += 8;
    }
    if (k - i >= 4) {
        block1(a + i, b + i, sig + i, hashes, n);
        i += 4;
    }
    if (k - i)
        sketch_slots_scalar(a + i, b + i, sig + i, k - i, hashes, n);
}
