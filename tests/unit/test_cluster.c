/*
 * test_cluster.c - unit tests of cluster.c: union-find.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cluster.h"
#include "test_util.h"

static void test_singletons(void **state)
{
    union_find uf;
    uint32_t i;

    (void)state;
    assert_int_equal(uf_init(&uf, 10), 0);
    assert_int_equal(uf.n, 10);
    for (i = 0; i < 10; i++) {
        assert_int_equal(uf_find(&uf, i), i);
        assert_int_equal(uf.size[uf_find(&uf, i)], 1);
    }
    uf_release(&uf);
    assert_null(uf.parent);
    assert_null(uf.size);
}

static void test_empty(void **state)
{
    union_find uf;

    (void)state;
    assert_int_equal(uf_init(&uf, 0), 0);
    assert_int_equal(uf.n, 0);
    uf_release(&uf);
    uf_release(&uf);     /* releasing twice is harmless */
}

/* Groups given as unions; every pair of elements is in the same set
 * exactly when the table says so. */
static void test_groups_table(void **state)
{
    static const struct {
        uint32_t n;
        unsigned nu;
        uint32_t u[8][2];
        uint32_t label[10];   /* same label = same set */
    } t[] = {
        { 5, 0, { { 0 } }, { 0, 1, 2, 3, 4 } },
        { 5, 1, { { 1, 3 } }, { 0, 1, 2, 1, 4 } },
        /* transitivity: 0-1, 1-2 gives {0,1,2} */
        { 6, 2, { { 0, 1 }, { 1, 2 } }, { 0, 0, 0, 3, 4, 5 } },
        /* chain built from the far end */
        { 6, 4, { { 4, 5 }, { 3, 4 }, { 2, 3 }, { 0, 2 } },
          { 0, 1, 0, 0, 0, 0 } },
        /* two groups, then merged by one link */
        { 8, 5, { { 0, 1 }, { 2, 3 }, { 1, 0 }, { 3, 2 }, { 4, 5 } },
          { 0, 0, 2, 2, 4, 4, 6, 7 } },
        { 8, 6, { { 0, 1 }, { 2, 3 }, { 4, 5 }, { 6, 7 }, { 1, 3 },
                  { 5, 7 } },
          { 0, 0, 0, 0, 4, 4, 4, 4 } },
        /* self-union and repeats change nothing */
        { 4, 4, { { 2, 2 }, { 0, 0 }, { 1, 3 }, { 3, 1 } },
          { 0, 1, 2, 1 } },
        /* a star */
        { 7, 5, { { 6, 0 }, { 6, 1 }, { 6, 2 }, { 3, 6 }, { 4, 6 } },
          { 0, 0, 0, 0, 0, 5, 0 } },
    };
    size_t c;

    (void)state;
    for (c = 0; c < sizeof(t) / sizeof(t[0]); c++) {
        union_find uf;
        uint32_t i, j, total = 0;
        unsigned u;

        assert_int_equal(uf_init(&uf, t[c].n), 0);
        for (u = 0; u < t[c].nu; u++)
            uf_union(&uf, t[c].u[u][0], t[c].u[u][1]);
        for (i = 0; i < t[c].n; i++)
            for (j = 0; j < t[c].n; j++) {
                int same = uf_find(&uf, i) == uf_find(&uf, j);
                int want = t[c].label[i] == t[c].label[j];

                if (same != want) {
                    print_error("case %zu: %u and %u %s\n", c, i, j,
                                want ? "should be joined" : "joined");
                    fail();
                }
            }
        /* sizes: the root's size is its set's member count */
        for (i = 0; i < t[c].n; i++) {
            uint32_t members = 0;

            for (j = 0; j < t[c].n; j++)
                members += t[c].label[j] == t[c].label[i];
            assert_int_equal(uf.size[uf_find(&uf, i)], members);
            if (uf_find(&uf, i) == i)
                total += uf.size[i];
        }
        assert_int_equal(total, t[c].n);
        uf_release(&uf);
    }
}

/* Random unions against naive relabelling. */
static void test_random_against_naive(void **state)
{
    enum { N = 2000, UNIONS = 1500 };
    test_rng r = { 41 };
    static uint32_t label[N];
    union_find uf;
    uint32_t i, j;
    int u;

    (void)state;
    assert_int_equal(uf_init(&uf, N), 0);
    for (i = 0; i < N; i++)
        label[i] = i;
    for (u = 0; u < UNIONS; u++) {
        uint32_t x = (uint32_t)rng_below(&r, N), y = (uint32_t)rng_below(&r, N);
        uint32_t lx = label[x], ly = label[y];

        uf_union(&uf, x, y);
        if (lx != ly)
            for (i = 0; i < N; i++)
                if (label[i] == ly)
                    label[i] = lx;
    }
    /* same root exactly when same label: compare the partition through
     * a map from label to root */
    {
        static uint32_t root_of_label[N];

        for (i = 0; i < N; i++)
            root_of_label[i] = UINT32_MAX;
        for (i = 0; i < N; i++) {
            uint32_t root = uf_find(&uf, i);

            if (root_of_label[label[i]] == UINT32_MAX)
                root_of_label[label[i]] = root;
            assert_int_equal(root_of_label[label[i]], root);
        }
        /* distinct labels have distinct roots */
        for (i = 0; i < N; i++)
            for (j = i + 1; j < N; j++)
                if (root_of_label[i] != UINT32_MAX &&
                    root_of_label[j] != UINT32_MAX)
                    assert_true(root_of_label[i] != root_of_label[j]);
    }
    uf_release(&uf);
}

/* Union by size keeps trees shallow: a long chain of unions still finds
 * roots quickly, and find compresses paths. */
static void test_long_chain(void **state)
{
    enum { N = 200000 };
    union_find uf;
    uint32_t i, root;

    (void)state;
    assert_int_equal(uf_init(&uf, N), 0);
    for (i = 1; i < N; i++)
        uf_union(&uf, i - 1, i);
    root = uf_find(&uf, 0);
    for (i = 0; i < N; i++)
        assert_int_equal(uf_find(&uf, i), root);
    assert_int_equal(uf.size[root], N);
    uf_release(&uf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singletons),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_groups_table),
        cmocka_unit_test(test_random_against_naive),
        cmocka_unit_test(test_long_chain),
    };

    return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
