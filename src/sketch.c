/*
 * sketch.c - MinHash parameters, kernel selection, signature helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sketch.h"

/* Distinguishes the sketch parameters' stream from other seeded uses. */
#define SKETCH_SEED_TAG 0x6d696e68617368ULL  /* "minhash" */

int sketch_params_init(sketch_params *p, unsigned k, uint64_t seed)
{
    uint64_t st = seed ^ SKETCH_SEED_TAG;
    unsigned i;

    p->k = k;
    p->a = malloc(k * sizeof(*p->a));
    p->b = malloc(k * sizeof(*p->b));
    if (!p->a || !p->b) {
        sketch_params_release(p);
        return DUPFIND_ENOMEM;
    }
    for (i = 0; i < k; i++) {
        uint64_t r = df_splitmix64(&st);
        p->a[i] = (uint32_t)r | 1u;
        p->b[i] = (uint32_t)(r >> 32);
    }
    return 0;
}

void sketch_params_release(sketch_params *p)
{
    free(p->a);
    free(p->b);
    p->a = p->b = NULL;
}

void sketch_clear(uint32_t *sig, unsigned k)
{
    unsigned i;
    for (i = 0; i < k; i++)
        sig[i] = SKETCH_EMPTY;
}

unsigned sketch_equal_slots(const uint32_t *x, const uint32_t *y,
                            unsigned k)
{
    unsigned i, eq = 0;
    for (i = 0; i < k; i++)
        eq += x[i] == y[i];
    return eq;
}

sketch_fn sketch_select(dupfind_simd want, const char **name)
{
    switch (want) {
    case DUPFIND_SIMD_AUTO:
    case DUPFIND_SIMD_SCALAR:
        *name = "scalar";
        return sketch_update_scalar;
    default:
        *name = "none";
        return NULL;
    }
}
