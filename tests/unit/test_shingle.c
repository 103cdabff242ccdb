/*
 * test_shingle.c - unit tests of shingle.c: the sliding window of token
 * hashes (shingler) and the distinct-shingle set (shingle_set).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "shingle.h"
#include "test_util.h"

#define SEED 0xabcdef12345ULL

/* ------------------------------------------------------------------ */
/* shingler                                                            */
/* ------------------------------------------------------------------ */

static uint64_t rotl(uint64_t x, unsigned r)
{
    r &= 63;
    return r ? (x << r) | (x >> (64 - r)) : x;
}

static uint64_t fmix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

/* shingle_hash is fmix64 of the cyclic polynomial XOR_j rotl(t_j, n-1-j)
 * with the seed and n * golden ratio mixed in (shingle.h), written out
 * here independently; plus a pinned value so a change shows. */
static void test_shingle_hash_definition(void **state)
{
    uint64_t tok[5] = { 1, 0x0102030405060708ULL, 0, UINT64_MAX,
                        0x8000000000000000ULL };
    unsigned i, n;

    (void)state;
    for (n = 1; n <= 5; n++) {
        uint64_t acc = 0;

        for (i = 0; i < n; i++)
            acc ^= rotl(tok[i], n - 1 - i);
        assert_int_equal(shingle_hash(tok, n, SEED),
                         fmix64(acc ^ SEED ^
                                ((uint64_t)n * 0x9E3779B97F4A7C15ULL)));
    }
    /* order and seed matter */
    {
        uint64_t ab[2] = { 11, 22 }, ba[2] = { 22, 11 };

        assert_true(shingle_hash(ab, 2, SEED) != shingle_hash(ba, 2, SEED));
        assert_true(shingle_hash(ab, 2, SEED) != shingle_hash(ab, 2, SEED + 1));
    }
    /* a window is not its own rotation or permutation */
    {
        uint64_t w[5] = { 101, 202, 303, 404, 505 };
        uint64_t p[5] = { 505, 101, 202, 303, 404 };

        assert_true(shingle_hash(w, 5, SEED) != shingle_hash(p, 5, SEED));
    }
}

/* n tokens with window k give n-k+1 shingles, each the hash of its
 * window; fewer than k (but some) give one short shingle at finish. */
static void test_window_counts_and_values(void **state)
{
    static const unsigned ks[] = { 1, 2, 3, 5, 8, 63, 64 };
    static const uint64_t ns[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65,
                                   100, 1000 };
    test_rng r = { 1 };
    uint64_t tokens[1000];
    size_t ki, ni;

    (void)state;
    for (ni = 0; ni < 1000; ni++)
        tokens[ni] = rng_next(&r);
    for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
        unsigned k = ks[ki];
        shingler s;

        shingler_init(&s, k, SEED);
        for (ni = 0; ni < sizeof(ns) / sizeof(ns[0]); ni++) {
            uint64_t n = ns[ni], i, emitted = 0, h;
            uint64_t want_n = n >= k ? n - k + 1 : (n > 0 ? 1 : 0);

            shingler_reset(&s);
            for (i = 0; i < n; i++) {
                if (shingler_push(&s, tokens[i], &h)) {
                    assert_true(i + 1 >= k);
                    assert_int_equal(h, shingle_hash(&tokens[i + 1 - k], k,
                                                     SEED));
                    emitted++;
                } else {
                    assert_true(i + 1 < k);
                }
            }
            if (shingler_finish(&s, &h)) {
                assert_true(n > 0 && n < k);
                assert_int_equal(h, shingle_hash(tokens, (unsigned)n, SEED));
                emitted++;
            } else {
                assert_true(n == 0 || n >= k);
            }
            if (emitted != want_n) {
                print_error("k=%u n=%llu: %llu shingles, want %llu\n", k,
                            (unsigned long long)n,
                            (unsigned long long)emitted,
                            (unsigned long long)want_n);
                fail();
            }
        }
    }
}

/* Reset forgets the window: the shingles after reset depend only on the
 * tokens pushed after it. */
static void test_reset_forgets_window(void **state)
{
    shingler s;
    uint64_t h, want[3] = { 7, 8, 9 };

    (void)state;
    shingler_init(&s, 3, SEED);
    shingler_push(&s, 1, &h);
    shingler_push(&s, 2, &h);
    shingler_reset(&s);
    assert_int_equal(shingler_push(&s, 7, &h), 0);
    assert_int_equal(shingler_push(&s, 8, &h), 0);
    assert_int_equal(shingler_finish(&s, &h), 1);
    assert_int_equal(h, shingle_hash(want, 2, SEED));
    assert_int_equal(shingler_push(&s, 9, &h), 1);
    assert_int_equal(h, shingle_hash(want, 3, SEED));
    assert_int_equal(shingler_finish(&s, &h), 0);
}

/* The same token repeated: every window is the same shingle. */
static void test_repeated_token(void **state)
{
    shingler s;
    uint64_t h, first = 0, w[4] = { 42, 42, 42, 42 };
    int i;

    (void)state;
    shingler_init(&s, 4, SEED);
    for (i = 0; i < 20; i++)
        if (shingler_push(&s, 42, &h)) {
            if (!first)
                first = h;
            assert_int_equal(h, first);
        }
    assert_int_equal(first, shingle_hash(w, 4, SEED));
}

/* push_many over batches of any size gives what push gives one token at
 * a time, for window lengths 1 .. 9 (the window carries over batches). */
static void test_push_many(void **state)
{
    static const size_t steps[] = { 1, 2, 3, 7, 64, 500 };
    uint64_t tok[500], one[500], many[500];
    test_rng r = { 77 };
    unsigned k;
    size_t si, i;

    (void)state;
    for (i = 0; i < 500; i++)
        tok[i] = rng_next(&r);
    for (k = 1; k <= 9; k++) {
        shingler a, b;
        size_t n1 = 0, n2 = 0;
        uint64_t h;

        shingler_init(&a, k, SEED);
        for (i = 0; i < 500; i++)
            if (shingler_push(&a, tok[i], &h))
                one[n1++] = h;
        assert_int_equal(n1, 500 - k + 1);
        for (si = 0; si < sizeof(steps) / sizeof(steps[0]); si++) {
            shingler_init(&b, k, SEED);
            for (i = 0, n2 = 0; i < 500; i += steps[si]) {
                size_t len = 500 - i < steps[si] ? 500 - i : steps[si];
                n2 += shingler_push_many(&b, tok + i, len, many + n2);
            }
            assert_int_equal(n2, n1);
            assert_memory_equal(one, many, n1 * sizeof(*one));
            assert_int_equal(b.count, 500);
        }
    }
}

/* ------------------------------------------------------------------ */
/* shingle_set                                                         */
/* ------------------------------------------------------------------ */

static void check_sorted_equals(const shingle_set *set, u64vec *ref)
{
    uint64_t *out = malloc((set->count + 1) * sizeof(*out));
    size_t i, w = 0;

    assert_non_null(out);
    /* reference: sorted, duplicates removed */
    qsort(ref->v, ref->n, sizeof(*ref->v), test_cmp_u64);
    for (i = 0; i < ref->n; i++)
        if (w == 0 || ref->v[w - 1] != ref->v[i])
            ref->v[w++] = ref->v[i];
    ref->n = w;
    assert_int_equal(set->count, ref->n);
    shingle_set_sorted(set, out);
    for (i = 0; i < ref->n; i++)
        if (out[i] != ref->v[i]) {
            print_error("sorted[%zu] = %llx, want %llx\n", i,
                        (unsigned long long)out[i],
                        (unsigned long long)ref->v[i]);
            fail();
        }
    /* The same values unsorted, in count + 1 entries at most. */
    memset(out, 0xa5, (set->count + 1) * sizeof(*out));
    assert_int_equal(shingle_set_values(set, out), ref->n);
    qsort(out, ref->n, sizeof(*out), test_cmp_u64);
    if (ref->n)
        assert_memory_equal(out, ref->v, ref->n * sizeof(*out));
    free(out);
}

static void test_set_basic(void **state)
{
    /* {value, expected return of add} in order */
    static const struct {
        uint64_t v;
        int ret;
    } ops[] = {
        { 5, 1 }, { 5, 0 }, { 7, 1 }, { 0, 1 }, { 0, 0 }, { 5, 0 },
        { UINT64_MAX, 1 }, { UINT64_MAX, 0 }, { 1, 1 }, { 7, 0 },
        { 0x100000000ULL, 1 }, { 0x100000001ULL, 1 }, { 1, 0 },
    };
    shingle_set set;
    u64vec ref = { 0 };
    size_t i, distinct = 0;

    (void)state;
    shingle_set_init(&set);
    assert_int_equal(set.count, 0);
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        assert_int_equal(shingle_set_add(&set, ops[i].v), ops[i].ret);
        distinct += (size_t)ops[i].ret;
        assert_int_equal(set.count, distinct);
        u64vec_push(&ref, ops[i].v);
    }
    assert_int_equal(distinct, 7);
    check_sorted_equals(&set, &ref);
    shingle_set_release(&set);
    u64vec_free(&ref);
}

/* Only the value 0, and an empty set. */
static void test_set_zero_and_empty(void **state)
{
    shingle_set set;
    uint64_t out[2] = { 99, 99 };

    (void)state;
    shingle_set_init(&set);
    shingle_set_sorted(&set, out);
    assert_int_equal(out[0], 99);          /* nothing written */
    assert_int_equal(shingle_set_add(&set, 0), 1);
    assert_int_equal(shingle_set_add(&set, 0), 0);
    assert_int_equal(set.count, 1);
    shingle_set_sorted(&set, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 99);
    shingle_set_clear(&set);
    assert_int_equal(set.count, 0);
    assert_int_equal(shingle_set_add(&set, 0), 1);  /* new again */
    shingle_set_release(&set);
}

/* Many thousands of values with repeats, through several growths; also
 * values that share their low bits (clustered probes). */
static void test_set_growth(void **state)
{
    static const int kinds[] = { 0, 1, 2, 3 };
    size_t ki;

    (void)state;
    for (ki = 0; ki < sizeof(kinds) / sizeof(kinds[0]); ki++) {
        test_rng r = { 1000 + ki };
        shingle_set set;
        u64vec ref = { 0 };
        /* kind 3 is past the bucket sort's limit of shingle_set_sorted */
        size_t i, n = kinds[ki] == 3 ? 300000 : 150000;

        shingle_set_init(&set);
        for (i = 0; i < n; i++) {
            uint64_t v;

            switch (kinds[ki]) {
            case 0:  case 3:
                     v = rng_next(&r); break;               /* random */
            case 1:  v = rng_below(&r, 60000); break;        /* repeats */
            default: v = rng_below(&r, 80000) << 40; break;  /* clustered */
            }
            u64vec_push(&ref, v);
            assert_true(shingle_set_add(&set, v) >= 0);
            /* a second add of the same value is never new */
            assert_int_equal(shingle_set_add(&set, v), 0);
        }
        check_sorted_equals(&set, &ref);
        /* the load factor stays at most 1/2 */
        assert_true(set.cap >= 2 * (set.count - (size_t)set.has_zero));
        shingle_set_release(&set);
        u64vec_free(&ref);
    }
}

/* Clear empties the set and keeps it usable; a large table is given
 * back when it is mostly unused, and the set still works after. */
static void test_set_clear_and_reuse(void **state)
{
    test_rng r = { 5 };
    shingle_set set;
    u64vec ref = { 0 };
    size_t round, i;

    (void)state;
    shingle_set_init(&set);
    for (round = 0; round < 6; round++) {
        /* alternate big and small documents */
        size_t n = (round % 2 == 0) ? 100000 : 10;

        ref.n = 0;
        for (i = 0; i < n; i++) {
            uint64_t v = rng_next(&r) % (n * 2);

            u64vec_push(&ref, v);
            assert_true(shingle_set_add(&set, v) >= 0);
        }
        check_sorted_equals(&set, &ref);
        shingle_set_clear(&set);
        assert_int_equal(set.count, 0);
        assert_int_equal(set.has_zero, 0);
        /* every old value is new again */
        assert_int_equal(shingle_set_add(&set, ref.v[0]), 1);
        shingle_set_clear(&set);
    }
    /* two clears in a row after a big document shrink the table */
    for (i = 0; i < 100000; i++)
        shingle_set_add(&set, rng_next(&r));
    shingle_set_clear(&set);
    shingle_set_clear(&set);
    assert_true(set.cap <= 4 * 1024);
    assert_int_equal(shingle_set_add(&set, 12345), 1);
    assert_int_equal(shingle_set_add(&set, 12345), 0);
    assert_int_equal(set.count, 1);
    shingle_set_release(&set);
    u64vec_free(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shingle_hash_definition),
        cmocka_unit_test(test_window_counts_and_values),
        cmocka_unit_test(test_reset_forgets_window),
        cmocka_unit_test(test_repeated_token),
        cmocka_unit_test(test_push_many),
        cmocka_unit_test(test_set_basic),
        cmocka_unit_test(test_set_zero_and_empty),
        cmocka_unit_test(test_set_growth),
        cmocka_unit_test(test_set_clear_and_reuse),
    };

    return cmocka_run_group_tests_name("shingle", tests, NULL, NULL);
}
