/*
 * sketch.c - MinHash parameters, kernel selection, signature helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
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

/*
 * The kernels compiled into this build, best first: per level the
 * MinHash kernel, the merge kernels of exact scoring and of samples
 * (verify.h) and the count of equal low bytes of LSH (lsh.h).  The
 * build defines DUPFIND_HAVE_X86_KERNELS / DUPFIND_HAVE_NEON_KERNEL when
 * it compiles the matching sketch_<isa>.c and merge_<isa>.c files (never
 * with DUPFIND_NO_SIMD).  need lists every DF_CPU_* feature the kernels'
 * files were compiled for: the compiler may use any of them (-mavx512f
 * implies AVX2, -mavx2 SSE4.1).  NEON has no merge kernel of its own
 * (two 64-bit lanes gain little; not measured on aarch64): it merges
 * with the scalar one.  The AVX-512 level counts equal bytes with AVX2
 * (-mavx512f does not give byte compares; 64-byte masks of AVX-512BW
 * measured no faster than two 32-byte compares), the SSE level with the
 * portable count (SSE2 already).
 */
typedef struct {
    dupfind_simd level;
    const char *name;
    sketch_fn fn;
    verify_merge_fn merge;
    verify_merge32_fn merge32;
    lsh_equal_bytes_fn eqbytes;
    unsigned need;
} sketch_kernel;

static const sketch_kernel kernels[] = {
#if defined(DUPFIND_HAVE_X86_KERNELS) && !defined(DUPFIND_NO_SIMD)
    { DUPFIND_SIMD_AVX512, "avx512", sketch_update_avx512,
      verify_merge_avx512, verify_merge32_avx2, lsh_equal_bytes_avx2,
      DF_CPU_AVX512F | DF_CPU_AVX2 | DF_CPU_SSE41 },
    { DUPFIND_SIMD_AVX2, "avx2", sketch_update_avx2, verify_merge_avx2,
      verify_merge32_avx2, lsh_equal_bytes_avx2, DF_CPU_AVX2 | DF_CPU_SSE41 },
    { DUPFIND_SIMD_SSE, "sse", sketch_update_sse, verify_merge_sse,
      verify_merge32_sse, lsh_equal_bytes, DF_CPU_SSE41 },
#endif
#if defined(DUPFIND_HAVE_NEON_KERNEL) && !defined(DUPFIND_NO_SIMD)
    { DUPFIND_SIMD_NEON, "neon", sketch_update_neon, verify_merge_scalar,
      verify_merge32_scalar, lsh_equal_bytes, DF_CPU_NEON },
#endif
    { DUPFIND_SIMD_SCALAR, "scalar", sketch_update_scalar,
      verify_merge_scalar, verify_merge32_scalar, lsh_equal_bytes, 0 }
};

#define NKERNELS (sizeof(kernels) / sizeof(kernels[0]))

/* The row of the kernels for want (see sketch_select), or NULL. */
static const sketch_kernel *find_kernel(dupfind_simd want)
{
    unsigned cpu = df_cpu_features();
    size_t i;

    for (i = 0; i < NKERNELS; i++) {
        if (want != DUPFIND_SIMD_AUTO && want != kernels[i].level)
            continue;
        if ((cpu & kernels[i].need) != kernels[i].need)
            continue;
        return &kernels[i];
    }
    return NULL;
}

sketch_fn sketch_select(dupfind_simd want, const char **name)
{
    const sketch_kernel *k = find_kernel(want);

    *name = k ? k->name : "none";
    return k ? k->fn : NULL;
}

verify_merge_fn sketch_merge_select(dupfind_simd want)
{
    const sketch_kernel *k = find_kernel(want);

    return k ? k->merge : NULL;
}

verify_merge32_fn sketch_merge32_select(dupfind_simd want)
{
    const sketch_kernel *k = find_kernel(want);

    return k ? k->merge32 : NULL;
}

lsh_equal_bytes_fn sketch_eqbytes_select(dupfind_simd want)
{
    const sketch_kernel *k = find_kernel(want);

    return k ? k->eqbytes : NULL;
}

int sketch_level_compiled(dupfind_simd level)
{
    size_t i;

    if (level == DUPFIND_SIMD_AUTO)
        return 1;
    for (i = 0; i < NKERNELS; i++)
        if (kernels[i].level == level)
            return 1;
    return 0;
}

/* Appends s to buf at *n, as far as len allows; *n counts all of it. */
static void append(char *buf, size_t len, size_t *n, const char *s)
{
    for (; *s; s++, (*n)++)
        if (*n + 1 < len)
            buf[*n] = *s;
}

size_t sketch_kernels_available(char *buf, size_t len)
{
    unsigned cpu = df_cpu_features();
    size_t i, n = 0;

    for (i = 0; i < NKERNELS; i++) {
        if ((cpu & kernels[i].need) != kernels[i].need)
            continue;
        if (n)
            append(buf, len, &n, " ");
        append(buf, len, &n, kernels[i].name);
    }
    if (len)
        buf[n < len ? n : len - 1] = '\0';
    return n;
}
