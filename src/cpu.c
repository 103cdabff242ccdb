/*
 * cpu.c - runtime CPU feature detection (see cpu.h).
 *
 * x86-64: CPUID tells what the processor implements, but the AVX and
 * AVX-512 registers are only usable when the operating system saves them
 * on context switches.  It says so through CPUID.1:ECX.OSXSAVE and the
 * XCR0 register read with XGETBV:
 *
 *   bit 1 SSE (XMM), bit 2 AVX (upper YMM)           needed for AVX2
 *   bits 5, 6, 7: opmask, upper ZMM0-15, ZMM16-31    needed for AVX-512
 *
 * aarch64: Advanced SIMD is part of the base architecture.
 */
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>

/* CPUID bits, spelled out rather than taken from <cpuid.h>, whose
 * names differ between compilers and versions. */
#define DF_CPUID1_ECX_SSE41   (1u << 19)
#define DF_CPUID1_ECX_OSXSAVE (1u << 27)
#define DF_CPUID1_ECX_AVX     (1u << 28)
#define DF_CPUID7_EBX_AVX2    (1u << 5)
#define DF_CPUID7_EBX_AVX512F (1u << 16)

#define DF_XCR0_SSE_AVX   0x06u   /* XMM | YMM */
#define DF_XCR0_AVX512    0xe0u   /* opmask | ZMM_Hi256 | Hi16_ZMM */

/* XCR0, read with XGETBV (ECX = 0).  Only valid when OSXSAVE is set.
 * Written as inline assembly so this file needs no -mxsave. */
static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;

    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

unsigned df_cpu_features(void)
{
    unsigned eax, ebx, ecx, edx, max_leaf, f = 0;
    uint64_t xcr0 = 0;
    int os_avx, os_avx512;

    max_leaf = __get_cpuid_max(0, NULL);
    if (max_leaf < 1)
        return 0;
    __cpuid(1, eax, ebx, ecx, edx);
    if (ecx & DF_CPUID1_ECX_SSE41)
        f |= DF_CPU_SSE41;
    /* OSXSAVE (bit 27): the OS uses XSAVE and XGETBV is allowed. */
    if (ecx & DF_CPUID1_ECX_OSXSAVE)
        xcr0 = read_xcr0();
    os_avx = (ecx & DF_CPUID1_ECX_OSXSAVE) && (ecx & DF_CPUID1_ECX_AVX) &&
             (xcr0 & DF_XCR0_SSE_AVX) == DF_XCR0_SSE_AVX;
    os_avx512 = os_avx && (xcr0 & DF_XCR0_AVX512) == DF_XCR0_AVX512;
    if (max_leaf < 7)
        return f;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    if (os_avx && (ebx & DF_CPUID7_EBX_AVX2))
        f |= DF_CPU_AVX2;
    if (os_avx512 && (ebx & DF_CPUID7_EBX_AVX512F))
        f |= DF_CPU_AVX512F;
    return f;
}

#elif defined(__aarch64__)

unsigned df_cpu_features(void)
{
    return DF_CPU_NEON;
}

#else

unsigned df_cpu_features(void)
{
    return 0;
}

#endif
