/*
 * cpu.h - runtime detection of the CPU features the MinHash kernels use.
 *
 * df_cpu_features() asks the CPU (and, on x86-64, the operating system)
 * every time it is called and keeps no state, so it is safe from any
 * thread; callers that need the answer often store it themselves.
 */
#ifndef DUPFIND_CPU_H
#define DUPFIND_CPU_H

/* Feature bits.  Each bit means the CPU has the instructions AND the
 * operating system saves the register state they need. */
enum {
    DF_CPU_SSE41   = 1u << 0,  /* x86-64 SSE4.1 */
    DF_CPU_AVX2    = 1u << 1,  /* x86-64 AVX and AVX2, YMM state enabled */
    DF_CPU_AVX512F = 1u << 2,  /* x86-64 AVX-512 Foundation, opmask and
                                  ZMM state enabled */
    DF_CPU_NEON    = 1u << 3   /* aarch64 Advanced SIMD (always there) */
};

/* The DF_CPU_* bits of the running CPU; 0 on other architectures. */
unsigned df_cpu_features(void);

#endif
