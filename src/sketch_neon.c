/*
 * sketch_neon.c - MinHash kernel for aarch64 Advanced SIMD (4 lanes).
 * Compiled only for aarch64, where NEON is part of the base architecture
 * and needs no extra compiler flag.
 *
 * Per lane it does what sketch_update_scalar() does per slot: a 32-bit
 * wrapping multiply-add (mla: b + a * x) and unsigned min (umin), so the
 * signature is bit-identical to the reference.
 *
 * Loop order: blocks of slots outside, hashes inside.  A block of 8
 * vectors (32 slots) keeps sig, a and b in 24 of the 32 Q registers while
 * every hash of the batch goes through them, so the signature is read and
 * written once per batch.  Smaller blocks and a scalar loop take the
 * slots left over.
 */
#include <arm_neon.h>

#include "sketch.h"

/* Defines block<B>(): slots [0, 4*B) of a, b, sig over all n hashes. */
#define NEON_BLOCK(B)                                                    \
static void block##B(const uint32_t *a, const uint32_t *b, uint32_t *sig, \
                     const uint64_t *hashes, size_t n)                   \
{                                                                        \
    uint32x4_t va[(B)], vb[(B)], vs[(B)];                                     \
    size_t j;                                                            \
    int v;                                                               \
                                                                         \
    for (v = 0; v < (B); v++) {                                            \
        va[v] = vld1q_u32(a + 4 * v);                                    \
        vb[v] = vld1q_u32(b + 4 * v);                                    \
        vs[v] = vld1q_u32(sig + 4 * v);                                  \
    }                                                                    \
    for (j = 0; j < n; j++) {                                            \
        uint32x4_t x = vdupq_n_u32((uint32_t)(hashes[j] >> 32));         \
        for (v = 0; v < (B); v++)                                          \
            vs[v] = vminq_u32(vs[v], vmlaq_u32(vb[v], va[v], x));        \
    }                                                                    \
    for (v = 0; v < (B); v++)                                              \
        vst1q_u32(sig + 4 * v, vs[v]);                                   \
}

NEON_BLOCK(8)
NEON_BLOCK(4)
NEON_BLOCK(2)
NEON_BLOCK(1)

void sketch_update_neon(const sketch_params *p, uint32_t *sig,
                        const uint64_t *hashes, size_t n)
{
    const uint32_t *a = p->a, *b = p->b;
    unsigned k = p->k, i = 0;

    if (n == 0)
        return;
    for (; k - i >= 32; i += 32)
        block8(a + i, b + i, sig + i, hashes, n);
    if (k - i >= 16) {
        block4(a + i, b + i, sig + i, hashes, n);
        i += 16;
    }
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
