/*
 * test_sketch_simd.c - every MinHash kernel that this build has and this
 * CPU runs must give signatures bit-identical to sketch_update_scalar().
 *
 * The kernels are reached only through sketch_select(), level by level,
 * so the test exercises exactly what the library would pick; it prints
 * which kernels it could run and skips the comparisons when there is no
 * SIMD kernel at all (DUPFIND_SIMD=OFF, or a CPU without any).
 *
 * Each comparison runs the scalar reference and the kernel from the same
 * starting signature and compares the k slots with memcmp.  The signature
 * sits between guard words and at an odd offset, so stray writes and
 * reliance on alignment show up too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "sketch.h"

#define GUARD 0x5a5a5a5au   /* fills the words around a signature */
#define PAD 5               /* guard words on either side */
#define MAX_K 4096
#define MAX_N 1000

static const unsigned test_k[] = {
    1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 127, 128, 129,
    200, 256, 4096
};
static const size_t test_n[] = { 0, 1, 2, 255, 256, 1000 };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The SIMD levels, and the CPU features each kernel needs. */
static const struct {
    dupfind_simd level;
    const char *name;
    unsigned need;
} levels[] = {
    { DUPFIND_SIMD_AVX512, "avx512",
      DF_CPU_AVX512F | DF_CPU_AVX2 | DF_CPU_SSE41 },
    { DUPFIND_SIMD_AVX2, "avx2", DF_CPU_AVX2 | DF_CPU_SSE41 },
    { DUPFIND_SIMD_SSE, "sse", DF_CPU_SSE41 },
    { DUPFIND_SIMD_NEON, "neon", DF_CPU_NEON },
};

/* SIMD kernels to compare with the scalar one, filled by setup. */
static struct {
    sketch_fn fn;
    const char *name;
} simd[COUNT(levels)];
static size_t nsimd;

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rnd(void)   /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int setup(void **state)
{
    char list[SKETCH_KERNELS_MAX];
    size_t i;

    (void)state;
    nsimd = 0;
    for (i = 0; i < COUNT(levels); i++) {
        const char *name = NULL;
        sketch_fn fn = sketch_select(levels[i].level, &name);

        if (fn) {
            simd[nsimd].fn = fn;
            simd[nsimd].name = name;
            nsimd++;
        }
    }
    sketch_kernels_available(list, sizeof(list));
    print_message("CPU features 0x%x; kernels available: %s\n",
                  df_cpu_features(), list);
    if (nsimd == 0) {
        print_message("no SIMD kernel in this build or on this CPU: "
                      "only the scalar reference can run\n");
    } else {
        print_message("comparing with scalar:");
        for (i = 0; i < nsimd; i++)
            print_message(" %s", simd[i].name);
        print_message("\n");
    }
    return 0;
}

static void skip_without_simd(void)
{
    if (nsimd == 0) {
        print_message("skipped: no SIMD kernel to compare\n");
        skip();
    }
}

/* Fills hashes[0..n): random low halves; top halves random, or all top
 * (when top_fixed), or one random value repeated (when all_equal). */
static void fill_hashes(uint64_t *h, size_t n, int top_fixed, uint32_t top,
                        int all_equal)
{
    uint64_t same = rnd();
    size_t j;

    for (j = 0; j < n; j++) {
        uint64_t r = all_equal ? same : rnd();
        if (top_fixed)
            r = ((uint64_t)top << 32) | (r & 0xffffffffu);
        h[j] = r;
    }
}

/* Runs the scalar kernel and every SIMD kernel on the same input from
 * the same start and checks that the signatures and guards agree. */
static void compare(const sketch_params *p, const uint32_t *start,
                    const uint64_t *hashes, size_t n)
{
    static uint32_t ref[MAX_K + 2 * PAD + 1], got[MAX_K + 2 * PAD + 1];
    unsigned k = p->k, i;
    size_t s;

    assert_true(k <= MAX_K);
    for (i = 0; i < k + 2 * PAD + 1; i++)
        ref[i] = GUARD;
    memcpy(ref + PAD + 1, start, k * sizeof(*start)); /* odd offset */
    sketch_update_scalar(p, ref + PAD + 1, hashes, n);

    for (s = 0; s < nsimd; s++) {
        for (i = 0; i < k + 2 * PAD + 1; i++)
            got[i] = GUARD;
        memcpy(got + PAD + 1, start, k * sizeof(*start));
        simd[s].fn(p, got + PAD + 1, hashes, n);
        if (memcmp(ref, got, (k + 2 * PAD + 1) * sizeof(*ref)) != 0) {
            for (i = 0; i < k + 2 * PAD + 1; i++)
                if (ref[i] != got[i])
                    break;
            fail_msg("%s differs from scalar: k=%u n=%zu, word %u "
                     "(slot %d): %08x != %08x", simd[s].name, k, n, i,
                     (int)i - PAD - 1, got[i], ref[i]);
        }
    }
}

/* Signature start: all SKETCH_EMPTY, or random prior values. */
static void fill_start(uint32_t *sig, unsigned k, int random)
{
    unsigned i;

    for (i = 0; i < k; i++)
        sig[i] = random ? (uint32_t)rnd() : SKETCH_EMPTY;
}

static void test_random(void **state)
{
    static uint64_t hashes[MAX_N];
    static uint32_t start[MAX_K];
    size_t ki, ni;
    int from;

    (void)state;
    skip_without_simd();
    for (ki = 0; ki < COUNT(test_k); ki++) {
        sketch_params p;

        assert_int_equal(sketch_params_init(&p, test_k[ki], rnd()), 0);
        for (ni = 0; ni < COUNT(test_n); ni++) {
            for (from = 0; from < 2; from++) {
                fill_hashes(hashes, test_n[ni], 0, 0, 0);
                fill_start(start, p.k, from);
                compare(&p, start, hashes, test_n[ni]);
            }
        }
        sketch_params_release(&p);
    }
}

/* Hashes whose top halves are all 0, all 0xFFFFFFFF, all 0x80000000, or
 * one repeated value. */
static void test_special_hashes(void **state)
{
    static const uint32_t tops[] = { 0u, 0xFFFFFFFFu, 0x80000000u };
    static uint64_t hashes[MAX_N];
    static uint32_t start[MAX_K];
    size_t ki, ni, t;
    int from;

    (void)state;
    skip_without_simd();
    for (ki = 0; ki < COUNT(test_k); ki++) {
        sketch_params p;

        assert_int_equal(sketch_params_init(&p, test_k[ki], rnd()), 0);
        for (ni = 0; ni < COUNT(test_n); ni++) {
            for (from = 0; from < 2; from++) {
                for (t = 0; t < COUNT(tops); t++) {
                    fill_hashes(hashes, test_n[ni], 1, tops[t], 0);
                    fill_start(start, p.k, from);
                    compare(&p, start, hashes, test_n[ni]);
                }
                fill_hashes(hashes, test_n[ni], 0, 0, 1);
                fill_start(start, p.k, from);
                compare(&p, start, hashes, test_n[ni]);
            }
        }
        sketch_params_release(&p);
    }
}

/* Multipliers 1 and 0xFFFFFFFF, offsets 0 and 0xFFFFFFFF, each alone on
 * every slot and mixed slot by slot, plus random pairs. */
static void test_extreme_params(void **state)
{
    static const uint32_t as[] = { 1u, 0xFFFFFFFFu };
    static const uint32_t bs[] = { 0u, 0xFFFFFFFFu };
    static uint64_t hashes[MAX_N];
    static uint32_t start[MAX_K];
    size_t ki, ni, ai, bi;
    unsigned i;
    int from, mode;

    (void)state;
    skip_without_simd();
    for (ki = 0; ki < COUNT(test_k); ki++) {
        sketch_params p;

        assert_int_equal(sketch_params_init(&p, test_k[ki], 1), 0);
        /* modes 0..3: one (a, b) pair everywhere; 4: mixed by slot;
         * 5: a extreme, b random; 6: a random, b extreme */
        for (mode = 0; mode < 7; mode++) {
            for (i = 0; i < p.k; i++) {
                uint64_t r = rnd();
                ai = mode < 4 ? (size_t)mode / 2 : (i / 2) % 2;
                bi = mode < 4 ? (size_t)mode % 2 : i % 2;
                p.a[i] = mode == 6 ? ((uint32_t)r | 1u) : as[ai];
                p.b[i] = mode == 5 ? (uint32_t)(r >> 32) : bs[bi];
            }
            for (ni = 0; ni < COUNT(test_n); ni++) {
                for (from = 0; from < 2; from++) {
                    fill_hashes(hashes, test_n[ni], 0, 0, 0);
                    fill_start(start, p.k, from);
                    compare(&p, start, hashes, test_n[ni]);
                    fill_hashes(hashes, test_n[ni], 1, 0xFFFFFFFFu, 0);
                    compare(&p, start, hashes, test_n[ni]);
                }
            }
        }
        sketch_params_release(&p);
    }
}

/* A stream cut into batches of up to 256 (as doc.c does) ends in the
 * signature that one call over the whole stream gives. */
static void test_batches(void **state)
{
    static uint64_t hashes[MAX_N];
    static uint32_t whole[MAX_K], parts[MAX_K];
    size_t ki, s, j, len;

    (void)state;
    skip_without_simd();
    fill_hashes(hashes, MAX_N, 0, 0, 0);
    for (ki = 0; ki < COUNT(test_k); ki++) {
        sketch_params p;

        assert_int_equal(sketch_params_init(&p, test_k[ki], rnd()), 0);
        sketch_clear(whole, p.k);
        sketch_update_scalar(&p, whole, hashes, MAX_N);
        for (s = 0; s < nsimd; s++) {
            sketch_clear(parts, p.k);
            for (j = 0; j < MAX_N; j += len) {
                len = MAX_N - j < 256 ? MAX_N - j : 256;
                simd[s].fn(&p, parts, hashes + j, len);
            }
            if (memcmp(whole, parts, p.k * sizeof(*whole)) != 0)
                fail_msg("%s in batches differs from scalar, k=%u",
                         simd[s].name, p.k);
        }
        sketch_params_release(&p);
    }
}

static void test_select_auto(void **state)
{
    char list[SKETCH_KERNELS_MAX];
    const char *name = NULL;
    sketch_fn fn;
    size_t len;

    (void)state;
    fn = sketch_select(DUPFIND_SIMD_AUTO, &name);
    assert_non_null(fn);
    assert_non_null(name);
    /* AUTO picks the first, i.e. best, kernel of the list. */
    sketch_kernels_available(list, sizeof(list));
    len = strlen(name);
    assert_memory_equal(list, name, len);
    assert_true(list[len] == ' ' || list[len] == '\0');
    /* The best SIMD kernel available when there is one. */
    if (nsimd)
        assert_string_equal(name, simd[0].name);
    else
        assert_string_equal(name, "scalar");

    fn = sketch_select(DUPFIND_SIMD_SCALAR, &name);
    assert_ptr_equal(fn, sketch_update_scalar);
    assert_string_equal(name, "scalar");
}

static void test_select_explicit(void **state)
{
    unsigned cpu = df_cpu_features();
    int lacking = 0;
    size_t i;

    (void)state;
    for (i = 0; i < COUNT(levels); i++) {
        const char *name = NULL;
        sketch_fn fn = sketch_select(levels[i].level, &name);
        int runs = (cpu & levels[i].need) == levels[i].need;
        int want = runs && sketch_level_compiled(levels[i].level);

        if (want) {
            assert_non_null(fn);
            assert_string_equal(name, levels[i].name);
        } else {
            assert_null(fn);
            assert_string_equal(name, "none");
        }
        if (!runs) {
            print_message("%s: not supported by this CPU, select gives "
                          "NULL\n", levels[i].name);
            lacking++;
        }
    }
    /* No CPU has both x86 and ARM SIMD. */
    assert_true(lacking > 0);
    {
        const char *name = NULL;
        assert_null(sketch_select((dupfind_simd)99, &name));
        assert_string_equal(name, "none");
    }
}

/* The list names exactly the kernels sketch_select() gives, best first,
 * and ends with scalar; truncation works like snprintf. */
static void test_kernel_list(void **state)
{
    char list[SKETCH_KERNELS_MAX], expect[SKETCH_KERNELS_MAX] = "";
    char small[8];
    size_t i, len;

    (void)state;
    for (i = 0; i < nsimd; i++) {
        strcat(expect, simd[i].name);
        strcat(expect, " ");
    }
    strcat(expect, "scalar");
    len = sketch_kernels_available(list, sizeof(list));
    assert_string_equal(list, expect);
    assert_int_equal(len, strlen(expect));

    assert_int_equal(sketch_kernels_available(NULL, 0), len);
    memset(small, 'x', sizeof(small));
    assert_int_equal(sketch_kernels_available(small, sizeof(small)), len);
    assert_int_equal(strlen(small), len < sizeof(small) ? len
                                                        : sizeof(small) - 1);
    assert_memory_equal(small, expect, strlen(small));
    assert_int_equal(sketch_kernels_available(small, 1), len);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_auto),
        cmocka_unit_test(test_select_explicit),
        cmocka_unit_test(test_kernel_list),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_special_hashes),
        cmocka_unit_test(test_extreme_params),
        cmocka_unit_test(test_batches),
    };

    return cmocka_run_group_tests_name("sketch_simd", tests, setup, NULL);
}
