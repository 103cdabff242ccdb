/*
 * internal.h - helpers shared by the library's modules: error checks,
 * growable arrays and the definitions behind the opaque public handles.
 */
#ifndef DUPFIND_INTERNAL_H
#define DUPFIND_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "dupfind.h"

#define DF_TRY(expr) do { int df_rc_ = (expr); \
        if (df_rc_ < 0) return df_rc_; } while (0)

#define DF_UNUSED(x) ((void)(x))

/* Grows *buf (of elements of size elem, capacity *cap) so that it holds at
 * least need elements (bigmem_grow: from 2 MiB on, on huge pages; freed
 * with free()).  Returns 0 or DUPFIND_ENOMEM; *buf is unchanged on
 * failure. */
int df_grow(void **buf, size_t *cap, size_t need, size_t elem);

#define DF_GROW(ptr, cap, need) \
    df_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/* splitmix64 (Steele, Lea, Flood 2014): seeds every hash parameter. */
static inline uint64_t df_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#endif
