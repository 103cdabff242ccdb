/*
 * sketch.h - MinHash signatures (Broder 1997).
 *
 * Hash family: slot i of a signature is the minimum, over the document's
 * distinct shingles, of
 *
 *     h_i(x) = (a_i * x + b_i) mod 2^32,   x = top 32 bits of the shingle
 *                                              hash (shingle.h)
 *
 * with a_i odd and b_i arbitrary, both drawn per slot from splitmix64
 * seeded with the context seed.  Every slot has its own multiplier:
 * sharing one (and varying only b_i) would make the slots' orderings of
 * the shingles almost identical and break the independence that the
 * estimator and the LSH curve rely on.  An odd a_i makes h_i a bijection
 * of 32-bit values, and x is already uniform (it is a hash), so each
 * slot's minimum is a uniform pick from the set: P[slot equal] = J.
 *
 * 32-bit lanes keep the arithmetic to one multiply, one add and one min
 * per slot, which vectorises with every SIMD instruction set (16 lanes on
 * AVX-512, 8 on AVX2, 4 on SSE4.1/NEON).  sketch_scalar.c is the
 * reference; every SIMD kernel must produce bit-identical signatures.
 */
#ifndef DUPFIND_SKETCH_H
#define DUPFIND_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "dupfind.h"
#include "lsh.h"
#include "verify.h"

#define SKETCH_EMPTY UINT32_MAX   /* slot value before any shingle */

typedef struct {
    unsigned k;       /* slots */
    uint32_t *a;      /* k odd multipliers */
    uint32_t *b;      /* k offsets */
} sketch_params;

/* A kernel folds n shingle hashes into sig (k slots). */
typedef void (*sketch_fn)(const sketch_params *p, uint32_t *sig,
                          const uint64_t *hashes, size_t n);

int sketch_params_init(sketch_params *p, unsigned k, uint64_t seed);
void sketch_params_release(sketch_params *p);

/* Sets every slot to SKETCH_EMPTY. */
void sketch_clear(uint32_t *sig, unsigned k);

/* The reference arithmetic on m slots (a, b, sig point at the first):
 * the SIMD kernels run their leftover slots through it. */
void sketch_slots_scalar(const uint32_t *a, const uint32_t *b,
                         uint32_t *sig, unsigned m, const uint64_t *hashes,
                         size_t n);

/* The reference kernel. */
void sketch_update_scalar(const sketch_params *p, uint32_t *sig,
                          const uint64_t *hashes, size_t n);

/* SIMD kernels (sketch_<isa>.c).  Each is compiled in only on its
 * architecture and with DUPFIND_SIMD on, and may only be called when the
 * CPU has its instructions: reach them through sketch_select(). */
void sketch_update_sse(const sketch_params *p, uint32_t *sig,
                       const uint64_t *hashes, size_t n);
void sketch_update_avx2(const sketch_params *p, uint32_t *sig,
                        const uint64_t *hashes, size_t n);
void sketch_update_avx512(const sketch_params *p, uint32_t *sig,
                          const uint64_t *hashes, size_t n);
void sketch_update_neon(const sketch_params *p, uint32_t *sig,
                        const uint64_t *hashes, size_t n);

/* Kernel for a SIMD level: AUTO picks the best the CPU runs (avx512 >
 * avx2 > sse > scalar on x86-64, neon on aarch64).  An explicit level
 * gets its kernel when it is compiled in and the CPU runs it, else NULL
 * (and *name "none"); *name gets the kernel's name: "scalar", "sse",
 * "avx2", "avx512" or "neon".  Asks the CPU on every call and keeps no
 * state, so any thread may call it. */
sketch_fn sketch_select(dupfind_simd want, const char **name);

/* The merge kernel of exact scoring (verify.h) for a SIMD level, chosen
 * as sketch_select chooses: NULL when that level's kernels are not
 * compiled in or the CPU does not run them. */
verify_merge_fn sketch_merge_select(dupfind_simd want);

/* The same for the merge of 32-bit samples. */
verify_merge32_fn sketch_merge32_select(dupfind_simd want);

/* The same for the count of equal low bytes in LSH (lsh.h). */
lsh_equal_bytes_fn sketch_eqbytes_select(dupfind_simd want);

/* Whether the kernel of level is compiled into this build, whatever the
 * CPU (AUTO and SCALAR: always). */
int sketch_level_compiled(dupfind_simd level);

/* Longest text sketch_kernels_available() writes, with its NUL. */
#define SKETCH_KERNELS_MAX 64

/* Writes the names of the kernels that are compiled in and that this
 * CPU runs, best first, separated by single spaces (e.g. "avx512 avx2
 * sse scalar"; always ends with "scalar"), NUL-terminated and truncated
 * to fit len bytes as snprintf does.  Returns the length of the whole
 * list.  Thread-safe: the text goes to the caller's buffer. */
size_t sketch_kernels_available(char *buf, size_t len);

/* Number of equal slots of two signatures. */
unsigned sketch_equal_slots(const uint32_t *x, const uint32_t *y,
                            unsigned k);

#endif
