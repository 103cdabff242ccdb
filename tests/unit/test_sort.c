/*
 * test_sort.c - unit tests of sort.c: the LSD radix sort on a leading
 * 64-bit key (8- and 16-byte elements), sort_u64 and sort_hashes_u64
 * (both its table and MSD paths, crowded inputs), against qsort.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sort.h"
#include "test_util.h"

/* Key distributions of the random inputs. */
enum {
    K_RANDOM,       /* 64 random bits */
    K_DUPS,         /* few distinct values: many duplicates */
    K_EQUAL,        /* all keys equal */
    K_LOW_BYTE,     /* only byte 0 varies: one pass, odd pass count */
    K_HIGH_BYTE,    /* only byte 7 varies */
    K_TWO_BYTES,    /* bytes 0 and 5 vary */
    K_SORTED,       /* already ascending */
    K_REVERSED,     /* descending */
    K_SMALL_IDS,    /* < 2^20 */
    K_COUNT
};

static uint64_t gen_key(test_rng *r, int kind, size_t i, size_t n)
{
    switch (kind) {
    case K_RANDOM:    return rng_next(r);
    case K_DUPS:      return rng_below(r, 7) * 0x0101010101010101ULL;
    case K_EQUAL:     return 0xdeadbeef00c0ffeeULL;
    case K_LOW_BYTE:  return 0x1122334455667700ULL | rng_below(r, 256);
    case K_HIGH_BYTE: return (rng_below(r, 256) << 56) | 0x42;
    case K_TWO_BYTES: return rng_below(r, 256) | (rng_below(r, 256) << 40);
    case K_SORTED:    return (uint64_t)i * 3;
    case K_REVERSED:  return (uint64_t)(n - i) << 33;
    default:          return rng_below(r, 1u << 20);
    }
}

static const size_t sizes[] = { 0, 1, 2, 3, 17, 63, 64, 65, 256, 1000,
                                4099, 50000 };

static void test_radix_u64(void **state)
{
    size_t si;
    int kind;

    (void)state;
    for (kind = 0; kind < K_COUNT; kind++)
        for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
            test_rng r = { (uint64_t)kind * 100 + si };
            size_t n = sizes[si], i;
            uint64_t *a = malloc((n + 1) * sizeof(*a));
            uint64_t *ref = malloc((n + 1) * sizeof(*ref));
            uint64_t *tmp = malloc((n + 1) * sizeof(*tmp));

            assert_non_null(a);
            assert_non_null(ref);
            assert_non_null(tmp);
            for (i = 0; i < n; i++)
                a[i] = ref[i] = gen_key(&r, kind, i, n);
            memset(tmp, 0xAB, (n + 1) * sizeof(*tmp));
            radix_sort_u64_from(a, tmp, n, 0);
            qsort(ref, n, sizeof(*ref), test_cmp_u64);
            if (n && memcmp(a, ref, n * sizeof(*a)) != 0) {
                print_error("kind %d n %zu: radix differs from qsort\n",
                            kind, n);
                fail();
            }
            free(a);
            free(ref);
            free(tmp);
        }
}

static void test_sort_u64(void **state)
{
    size_t si;
    int kind;

    (void)state;
    for (kind = 0; kind < K_COUNT; kind++)
        for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
            test_rng r = { 7 + (uint64_t)kind * 1000 + si };
            size_t n = sizes[si], i;
            uint64_t *a = malloc((n + 1) * sizeof(*a));
            uint64_t *ref = malloc((n + 1) * sizeof(*ref));

            assert_non_null(a);
            assert_non_null(ref);
            for (i = 0; i < n; i++)
                a[i] = ref[i] = gen_key(&r, kind, i, n);
            sort_u64(a, n);
            qsort(ref, n, sizeof(*ref), test_cmp_u64);
            if (n && memcmp(a, ref, n * sizeof(*a)) != 0) {
                print_error("kind %d n %zu: sort_u64 differs\n", kind, n);
                fail();
            }
            free(a);
            free(ref);
        }
}

/* Reference for radix_sort_u64_from: by v >> lo, ties in input order. */
typedef struct {
    uint64_t v;
    size_t pos;
    unsigned lo;
} val_pos;

static int cmp_val_pos(const void *x, const void *y)
{
    const val_pos *a = x, *b = y;
    uint64_t ka = a->v >> a->lo, kb = b->v >> b->lo;

    if (ka != kb)
        return ka < kb ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* radix_sort_u64_from sorts by bits lo..63 only, stably: the lower bits
 * keep their input order. */
static void test_radix_from(void **state)
{
    /* lo = 64 (no key bits) is left out: a[i] >> 64 is undefined */
    static const unsigned los[] = { 0, 1, 10, 11, 12, 32, 33, 53, 54, 63 };
    size_t li, si;
    int kind;

    (void)state;
    for (li = 0; li < sizeof(los) / sizeof(los[0]); li++)
        for (kind = 0; kind < K_COUNT; kind++)
            for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
                test_rng r = { 5 + li * 1000 + (uint64_t)kind * 50 + si };
                size_t n = sizes[si], i;
                uint64_t *a = malloc((n + 1) * sizeof(*a));
                uint64_t *tmp = malloc((n + 1) * sizeof(*tmp));
                val_pos *ref = malloc((n + 1) * sizeof(*ref));

                assert_non_null(a);
                assert_non_null(tmp);
                assert_non_null(ref);
                for (i = 0; i < n; i++) {
                    a[i] = gen_key(&r, kind, i, n);
                    /* low bits: a tag of the input position */
                    if (los[li] >= 20)
                        a[i] = (a[i] & ~(uint64_t)0xFFFFF) | (i & 0xFFFFF);
                    ref[i].v = a[i];
                    ref[i].pos = i;
                    ref[i].lo = los[li];
                }
                radix_sort_u64_from(a, tmp, n, los[li]);
                qsort(ref, n, sizeof(*ref), cmp_val_pos);
                for (i = 0; i < n; i++)
                    if (a[i] != ref[i].v) {
                        print_error("lo %u kind %d n %zu: [%zu] = %llx, "
                                    "want %llx\n", los[li], kind, n, i,
                                    (unsigned long long)a[i],
                                    (unsigned long long)ref[i].v);
                        fail();
                    }
                free(a);
                free(tmp);
                free(ref);
            }
}

/* The use in lsh.c: key << 32 | id made in id order, sorted from bit
 * 32: ids ascend within a run of equal keys. */
static void test_radix_from_key_id(void **state)
{
    test_rng r = { 31 };
    size_t n = 20000, i;
    uint64_t *a = malloc(n * sizeof(*a)), *tmp = malloc(n * sizeof(*tmp));

    (void)state;
    assert_non_null(a);
    assert_non_null(tmp);
    for (i = 0; i < n; i++)
        a[i] = (uint64_t)(uint32_t)(rng_below(&r, 300) * 0x9E3779B1u) << 32 |
               (uint32_t)i;
    radix_sort_u64_from(a, tmp, n, 32);
    for (i = 1; i < n; i++) {
        assert_true(a[i - 1] >> 32 <= a[i] >> 32);
        if (a[i - 1] >> 32 == a[i] >> 32)
            assert_true((uint32_t)a[i - 1] < (uint32_t)a[i]);
    }
    free(a);
    free(tmp);
}

/* Checks sort_hashes_u64(src, n) against qsort of its nonzero values;
 * dst has room for exactly those (plus guards that must stay). */
static void check_sort_hashes(const uint64_t *src, size_t n, const char *what)
{
    uint64_t *ref = malloc((n + 1) * sizeof(*ref)), *dst;
    size_t i, m = 0, got;

    assert_non_null(ref);
    for (i = 0; i < n; i++)
        if (src[i])
            ref[m++] = src[i];
    qsort(ref, m, sizeof(*ref), test_cmp_u64);
    dst = malloc((m + 4) * sizeof(*dst));
    assert_non_null(dst);
    memset(dst, 0xA5, (m + 4) * sizeof(*dst));
    got = sort_hashes_u64(src, n, dst);
    if (got != m || memcmp(dst, ref, m * sizeof(*ref)) != 0) {
        print_error("%s n %zu: %zu values, want %zu, or order differs\n",
                    what, n, got, m);
        fail();
    }
    for (i = m; i < m + 4; i++)
        assert_true(dst[i] == 0xA5A5A5A5A5A5A5A5ULL);
    free(ref);
    free(dst);
}

/* sort_hashes_u64 gives the nonzero values sorted, for every key kind
 * (crowded ones take the radix path) and sizes on both sides of the
 * table / MSD split (16,384) and of the MSD pass's bucket counts (one
 * more bit from 2 * 1,024 values a bucket, at most 2^9), with zeros
 * mixed in. */
static void test_sort_hashes(void **state)
{
    static const size_t more[] = { 16383, 16384, 16385, 32767, 32768,
                                   65537, 524287, 1048576, 3000000 };
    size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
    size_t nmore = sizeof(more) / sizeof(more[0]);
    int kind;
    size_t si, i;

    (void)state;
    for (kind = 0; kind < K_COUNT; kind++)
    for (si = 0; si < nsizes + nmore; si++) {
        size_t n = si < nsizes ? sizes[si] : more[si - nsizes];
        uint64_t *src;
        test_rng r = { 300 + (uint64_t)kind };

        if (n > 100000 && kind != K_RANDOM && kind != K_DUPS)
            continue;           /* keep the run short */
        src = malloc((n + 1) * sizeof(*src));
        assert_non_null(src);
        for (i = 0; i < n; i++)
            src[i] = i % 5 == 1 ? 0 : gen_key(&r, kind, i, n);
        check_sort_hashes(src, n, "kind");
        free(src);
    }
}

/* Big documents' arrays: uniform hashes with repeats (20% copies of an
 * earlier value, and one value taking 5% of all), no or few zeros. */
static void test_sort_hashes_repeats(void **state)
{
    static const size_t ns[] = { 16385, 100000, 1 << 20 };
    size_t k, i;

    (void)state;
    for (k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
        size_t n = ns[k];
        uint64_t *src = malloc(n * sizeof(*src));
        test_rng r = { 77 + k };

        assert_non_null(src);
        for (i = 0; i < n; i++) {
            uint64_t x = rng_below(&r, 100);

            src[i] = x < 20 && i ? src[rng_below(&r, i)]
                     : x < 25 ? 0x8000000000000001ULL : rng_next(&r);
        }
        src[n / 2] = 0;
        check_sort_hashes(src, n, "repeats");
        free(src);
    }
}

/* Inputs that are not uniform: values crowding one MSD bucket (10%,
 * sharing their top 40 bits: that bucket alone is radix-sorted; 40%:
 * the whole input is), all zeros, a single nonzero value, and a sparse
 * large input (1% nonzero). */
static void test_sort_hashes_crowded(void **state)
{
    static const unsigned pct[] = { 10, 40 };
    size_t n = 200000, k, i;
    uint64_t *src = malloc(n * sizeof(*src));
    test_rng r = { 4242 };

    (void)state;
    assert_non_null(src);
    for (k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
        for (i = 0; i < n; i++)
            src[i] = rng_below(&r, 100) < pct[k]
                     ? 0x123456789A000000ULL | rng_below(&r, 1u << 24)
                     : rng_next(&r);
        check_sort_hashes(src, n, "crowded");
    }
    memset(src, 0, n * sizeof(*src));
    check_sort_hashes(src, n, "zeros");
    src[n - 1] = 12345;
    check_sort_hashes(src, n, "one value");
    for (i = 0; i < n; i++)
        src[i] = rng_below(&r, 100) == 0 ? rng_next(&r) : 0;
    check_sort_hashes(src, n, "sparse");
    free(src);
}

/* sort_u64 of no values must not hand a null pointer to qsort: C11
 * 7.22.5 wants valid pointers even for zero elements, and a build with
 * DUPFIND_SANITIZE=undefined aborts.  lsh_candidates() does exactly
 * that whenever a corpus has no candidate pair (pairs_compact(NULL, 0)),
 * so under UBSan unit_lsh and unit_api abort too. */
static void test_sort_u64_null_empty(void **state)
{
    (void)state;
    sort_u64(NULL, 0);
}

/* n = 0 and n = 1 leave the data alone and do not touch tmp. */
static void test_trivial_sizes(void **state)
{
    uint64_t one = 42;

    (void)state;
    radix_sort_u64_from(&one, NULL, 0, 0);
    radix_sort_u64_from(&one, NULL, 1, 32);
    assert_int_equal(one, 42);
    sort_u64(&one, 1);
    sort_u64(&one, 0);
    assert_int_equal(one, 42);
}

/* group_by_hash: items 0..9 of kinds kind[i]; items 0, 3, 7 (kind 1)
 * and 1, 4 (kind 2) share one hash, so the run holds two groups; 5 and
 * 6 (kind 3) have a hash of their own, 2, 8, 9 are alone (8 and 9 share
 * 2's hash but not its kind). */
static const int kind[10] = { 1, 2, 4, 1, 2, 3, 3, 1, 5, 6 };

typedef struct {
    uint32_t joined[10][2];
    unsigned n;
} join_log;

static int same_kind(void *arg, uint32_t a, uint32_t b)
{
    (void)arg;
    return kind[a] == kind[b];
}

static void log_join(void *arg, uint32_t a, uint32_t b)
{
    join_log *l = arg;

    assert_true(l->n < 10);
    l->joined[l->n][0] = a;
    l->joined[l->n][1] = b;
    l->n++;
}

static void test_group_by_hash(void **state)
{
    static const uint64_t hash[10] = { 7, 7, 9, 7, 7, 3, 3, 7, 9, 9 };
    static const uint32_t want[5][2] = {
        { 5, 6 }, { 0, 3 }, { 0, 7 }, { 1, 4 }, { 0, 0 }
    };
    uint64_t rec[10];
    join_log l;
    unsigned i;

    (void)state;
    memset(&l, 0, sizeof(l));
    for (i = 0; i < 10; i++)
        rec[i] = hash[i] << 32 | i;
    assert_int_equal(group_by_hash(rec, 10, same_kind, log_join, &l), 0);
    assert_int_equal(l.n, 4);
    for (i = 0; i < 4; i++) {
        assert_int_equal(l.joined[i][0], want[i][0]);
        assert_int_equal(l.joined[i][1], want[i][1]);
    }
    memset(&l, 0, sizeof(l));
    assert_int_equal(group_by_hash(rec, 0, same_kind, log_join, &l), 0);
    assert_int_equal(l.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radix_u64),
        cmocka_unit_test(test_group_by_hash),
        cmocka_unit_test(test_sort_u64),
        cmocka_unit_test(test_radix_from),
        cmocka_unit_test(test_radix_from_key_id),
        cmocka_unit_test(test_trivial_sizes),
        cmocka_unit_test(test_sort_u64_null_empty),
        cmocka_unit_test(test_sort_hashes),
        cmocka_unit_test(test_sort_hashes_repeats),
        cmocka_unit_test(test_sort_hashes_crowded),
    };

    return cmocka_run_group_tests_name("sort", tests, NULL, NULL);
}
