/*
 * test_cluster.c - unit tests of cluster.c: union-find.
 */
#include <pthread.h>
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

/* The shared union-find (ufs_*): unions split among threads that run
 * at once give the partition the sequential one gives, and a root has
 * the lowest id of its set (links go from the larger root id). */
enum { UFS_N = 100000, UFS_UNIONS = 90000, UFS_THREADS = 4 };

typedef struct {
    uint32_t *parent;
    const uint32_t (*u)[2];
    unsigned t;
} ufs_share;

static void *ufs_worker(void *arg)
{
    const ufs_share *sh = arg;
    unsigned i;

    for (i = sh->t; i < UFS_UNIONS; i += UFS_THREADS) {
        ufs_union(sh->parent, sh->u[i][0], sh->u[i][1]);
        /* finds meanwhile halve paths under the other threads' links */
        (void)ufs_find(sh->parent, sh->u[(i * 7) % UFS_UNIONS][1]);
    }
    return NULL;
}

static void test_shared_threads(void **state)
{
    static uint32_t u[UFS_UNIONS][2], parent[UFS_N];
    test_rng r = { 43 };
    ufs_share sh[UFS_THREADS];
    pthread_t th[UFS_THREADS];
    union_find uf;
    uint32_t i, *low;
    unsigned t;

    (void)state;
    /* mostly unions within blocks of 50 (chains and stars), some
     * across */
    for (i = 0; i < UFS_UNIONS; i++) {
        uint32_t x = (uint32_t)rng_below(&r, UFS_N);

        u[i][0] = x;
        u[i][1] = rng_below(&r, 10) == 0
                      ? (uint32_t)rng_below(&r, UFS_N)
                      : x / 50 * 50 + (uint32_t)rng_below(&r, 50);
    }
    assert_int_equal(uf_init(&uf, UFS_N), 0);
    for (i = 0; i < UFS_UNIONS; i++)
        uf_union(&uf, u[i][0], u[i][1]);
    for (i = 0; i < UFS_N; i++)
        parent[i] = i;
    for (t = 0; t < UFS_THREADS; t++) {
        sh[t].parent = parent;
        sh[t].u = (const uint32_t (*)[2])u;
        sh[t].t = t;
        assert_int_equal(pthread_create(&th[t], NULL, ufs_worker, &sh[t]),
                         0);
    }
    for (t = 0; t < UFS_THREADS; t++)
        pthread_join(th[t], NULL);
    /* lowest member of each sequential set */
    low = malloc(UFS_N * sizeof(*low));
    assert_non_null(low);
    for (i = 0; i < UFS_N; i++)
        low[i] = UINT32_MAX;
    for (i = 0; i < UFS_N; i++) {
        uint32_t root = uf_find(&uf, i);

        if (low[root] == UINT32_MAX)
            low[root] = i;
    }
    for (i = 0; i < UFS_N; i++)
        if (ufs_find(parent, i) != low[uf_find(&uf, i)]) {
            print_error("%u: shared root %u, lowest of its set %u\n", i,
                        ufs_find(parent, i), low[uf_find(&uf, i)]);
            fail();
        }
    free(low);
    uf_release(&uf);
}

/* A chain joined from its far end: every find still ends at 0, and
 * halving shortens the paths it walks. */
static void test_shared_chain(void **state)
{
    enum { N = 100000 };
    uint32_t *parent = malloc(N * sizeof(*parent)), i;

    (void)state;
    assert_non_null(parent);
    for (i = 0; i < N; i++)
        parent[i] = i;
    for (i = N - 1; i > 0; i--)
        ufs_union(parent, i - 1, i);
    ufs_union(parent, 5, 5);
    for (i = 0; i < N; i++)
        assert_int_equal(ufs_find(parent, i), 0);
    assert_int_equal(parent[0], 0);
    free(parent);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_singletons),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_groups_table),
        cmocka_unit_test(test_random_against_naive),
        cmocka_unit_test(test_long_chain),
        cmocka_unit_test(test_shared_threads),
        cmocka_unit_test(test_shared_chain),
    };

    return cmocka_run_group_tests_name("cluster", tests, NULL, NULL);
}
