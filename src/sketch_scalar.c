/*
 * sketch_scalar.c - the reference MinHash kernel.  This loop defines the
 * correct signature; see sketch.h for the hash family.
 */
#include "sketch.h"

void sketch_slots_scalar(const uint32_t *a, const uint32_t *b,
                         uint32_t *sig, unsigned m, const uint64_t *hashes,
                         size_t n)
{
    unsigned i;
    size_t j;

    for (j = 0; j < n; j++) {
        uint32_t x = (uint32_t)(hashes[j] >> 32);

        for (i = 0; i < m; i++) {
            uint32_t v = a[i] * x + b[i];   /* mod 2^32 by unsigned wrap */
            if (v < sig[i])
                sig[i] = v;
        }
    }
}

void sketch_update_scalar(const sketch_params *p, uint32_t *sig,
                          const uint64_t *hashes, size_t n)
{
    sketch_slots_scalar(p->a, p->b, sig, p->k, hashes, n);
}
