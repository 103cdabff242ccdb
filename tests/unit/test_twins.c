/*
 * test_twins.c - documents with identical sketches (src/twins.c) and
 * the candidate pairs copied from their representative (results.c):
 * the same pairs and scores as banding every document itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cluster.h"
#include "ctx.h"
#include "twins.h"
#include "test_util.h"

typedef struct {
    char *s;
    size_t n, cap;
} text;

static void text_word(text *t, uint64_t w)
{
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%sw%llu", t->n ? " " : "",
                       (unsigned long long)w);

    while (t->n + (size_t)len + 1 > t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->n, buf, (size_t)len + 1);
    t->n += (size_t)len;
}

/* Words lo .. hi - 1 of a sequence from seed over a vocabulary of
 * 50,000; every `every`-th word (0: none) replaced by one of its own. */
static void text_words(text *t, uint64_t seed, size_t lo, size_t hi,
                       size_t every)
{
    test_rng r = { seed };
    size_t i;

    t->n = 0;
    for (i = 0; i < hi; i++) {
        uint64_t w = rng_below(&r, 50000);

        if (i >= lo)
            text_word(t, every && i % every == every - 1
                             ? 900000 + seed * 1000 + i
                             : w);
    }
}

static void make_text(text *t, uint64_t seed, size_t n, size_t every)
{
    text_words(t, seed, 0, n, every);
}

static dupfind_ctx *new_ctx(void)
{
    dupfind_ctx *ctx = NULL;
    char err[256];

    assert_int_equal(dupfind_ctx_new(&ctx, NULL, err, sizeof(err)), 0);
    return ctx;
}

static void add_text(dupfind_ctx *ctx, dupfind_doc *doc, const text *t)
{
    char name[32];

    snprintf(name, sizeof(name), "d%u", dupfind_ctx_doc_count(ctx));
    dupfind_doc_reset(doc);
    assert_int_equal(dupfind_doc_feed(doc, t->s, t->n), 0);
    assert_int_equal(dupfind_doc_finish(doc), 0);
    assert_int_equal(dupfind_ctx_add(ctx, NULL, name, strlen(name), doc), 0);
}

/* The candidates of ctx with and without twins standing for each other,
 * on `threads` threads: the same pairs with the same scores. */
static size_t check_same(dupfind_ctx *ctx, unsigned threads)
{
    dupfind_results *with = NULL, *without = NULL;
    size_t i, n;

    ctx->twins_off = 1;
    assert_int_equal(dupfind_ctx_candidates_threads(ctx, threads, &without),
                     0);
    ctx->twins_off = 0;
    assert_int_equal(dupfind_ctx_candidates_threads(ctx, threads, &with), 0);
    n = dupfind_results_count(without);
    assert_int_equal(dupfind_results_count(with), n);
    for (i = 0; i < n; i++) {
        const dupfind_pair *p = dupfind_results_pair(with, i);
        const dupfind_pair *q = dupfind_results_pair(without, i);

        assert_int_equal(p->a, q->a);
        assert_int_equal(p->b, q->b);
        assert_true(p->jaccard == q->jaccard);
        assert_true(p->a_in_b == q->a_in_b);
        assert_true(p->b_in_a == q->b_in_a);
        assert_int_equal(p->exact, q->exact);
        assert_int_equal(p->uncertain, q->uncertain);
    }
    dupfind_results_free(with);
    dupfind_results_free(without);
    return n;
}

/* Copies of small and large documents (samples of all shingles and of
 * one in 16), near copies, a part of a document and a document with a
 * part added, each several times and interleaved. */
static void test_twins_same_pairs(void **state)
{
    static const size_t len[] = { 12, 40, 150, 600, 3000 };
    dupfind_ctx *ctx = new_ctx();
    dupfind_doc *doc;
    text t[5 * 4] = { { 0 } };
    twins tw;
    size_t i, j, npairs;
    unsigned char *active;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < 5; i++) {
        make_text(&t[4 * i], 100 + i, len[i], 0);        /* the text */
        make_text(&t[4 * i + 1], 100 + i, len[i], 9);    /* near copy */
        make_text(&t[4 * i + 2], 100 + i, len[i] / 2, 0);/* first half */
        make_text(&t[4 * i + 3], 100 + i, len[i], 0);    /* with more */
        for (j = 0; j < len[i] / 3 + 5; j++)
            text_word(&t[4 * i + 3], 700000 + j);
    }
    /* Text i appears 1 + i % 4 times, interleaved with the others. */
    for (j = 0; j < 4; j++)
        for (i = 0; i < 20; i++)
            if (j <= i % 4)
                add_text(ctx, doc, &t[i]);
    active = malloc(ctx->n);
    assert_non_null(active);
    for (i = 0; i < ctx->n; i++)
        active[i] = 1;
    assert_int_equal(twins_find(ctx, active, &tw), 0);
    assert_non_null(tw.rep);
    /* 20 texts, 15 of them more than once, each copy after the first a
     * twin; the near copies of the 12-word text may share its sketch. */
    assert_true(tw.groups >= 15 && tw.groups <= 20);
    assert_int_equal(tw.twins, 5 * (1 + 2 + 3));
    for (i = 0; i < ctx->n; i++) {
        assert_true(tw.rep[i] <= i);
        assert_true(tw.next[i] == TWINS_END || tw.next[i] > i);
        assert_true(tw.weight[i] >= 1 && tw.weight[i] <= 4);
    }
    twins_free(&tw);
    free(active);
    npairs = check_same(ctx, 1);
    print_message("%u documents, %zu candidate pairs\n", ctx->n, npairs);
    {
        dupfind_results *res = NULL;

        assert_int_equal(dupfind_ctx_candidates(ctx, &res), 0);
        assert_int_equal(dupfind_results_copies(res), 5 * (1 + 2 + 3));
        dupfind_results_free(res);
        ctx->twins_off = 1;
        assert_int_equal(dupfind_ctx_candidates(ctx, &res), 0);
        assert_int_equal(dupfind_results_copies(res), 0);
        dupfind_results_free(res);
        ctx->twins_off = 0;
    }
    assert_true(npairs > 100);
    assert_int_equal(check_same(ctx, 3), npairs);
    for (i = 0; i < 20; i++)
        free(t[i].s);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* 600 copies of a small text and one large document holding it: every
 * single-row bucket they share holds 601 documents, over the cap, so
 * the copies meet the large document only by chance in a multi-row
 * band.  The representative stands for 600 there, not for one. */
static void test_twins_count_against_cap(void **state)
{
    dupfind_ctx *ctx = new_ctx();
    dupfind_doc *doc;
    text small = { 0 }, large = { 0 }, other = { 0 };
    size_t i, n, in_large = 0;
    dupfind_results *res = NULL;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    make_text(&small, 7, 60, 0);
    make_text(&large, 7, 60, 0);
    for (i = 0; i < 1500; i++)
        text_word(&large, 800000 + i);
    for (i = 0; i < 600; i++) {
        add_text(ctx, doc, &small);
        if (i % 100 == 0) {
            make_text(&other, 1000 + i, 200, 0);
            add_text(ctx, doc, &other);
        }
    }
    add_text(ctx, doc, &large);
    n = check_same(ctx, 2);
    assert_int_equal(dupfind_ctx_candidates_threads(ctx, 2, &res), 0);
    for (i = 0; i < dupfind_results_count(res); i++)
        in_large += dupfind_results_pair(res, i)->b == ctx->n - 1;
    print_message("%zu candidate pairs, %zu with the large document\n", n,
                  in_large);
    /* All copy pairs; the copies with the large one not (the cap). */
    assert_true(n >= 600 * 599 / 2);
    assert_true(in_large < 600);
    dupfind_results_free(res);
    free(small.s);
    free(large.s);
    free(other.s);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* Twins only when signature, count and sample are all equal. */
static void test_twins_whole_sketch(void **state)
{
    dupfind_ctx *ctx = new_ctx();
    unsigned k = ctx->opts.num_perm, i;
    uint32_t *sig = calloc(k, sizeof(*sig));
    uint32_t s1[3] = { 1, 2, 3 }, s2[3] = { 1, 2, 4 };
    unsigned char active[7] = { 1, 1, 1, 1, 1, 1, 1 };
    twins tw;

    (void)state;
    assert_non_null(sig);
    for (i = 0; i < k; i++)
        sig[i] = i * 7919u;
    /* 0, 1: equal; 2: another sample; 3: no sample; 4: another count;
     * 5: another slot; 6: equal to 0 again. */
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "0", 1, sig, 3, s1, 3,
                                            0), 0);
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "1", 1, sig, 3, s1, 3,
                                            0), 0);
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "2", 1, sig, 3, s2, 3,
                                            0), 0);
    assert_int_equal(dupfind_ctx_add_signature(ctx, NULL, "3", 1, sig, 3), 0);
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "4", 1, sig, 4, s1, 3,
                                            0), 0);
    sig[k - 1]++;
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "5", 1, sig, 3, s1, 3,
                                            0), 0);
    sig[k - 1]--;
    assert_int_equal(dupfind_ctx_add_sketch(ctx, NULL, "6", 1, sig, 3, s1, 3,
                                            0), 0);
    assert_int_equal(twins_find(ctx, active, &tw), 0);
    assert_non_null(tw.rep);
    assert_int_equal(tw.groups, 1);
    assert_int_equal(tw.twins, 2);
    assert_int_equal(tw.weight[0], 3);
    assert_int_equal(tw.next[0], 1);
    assert_int_equal(tw.next[1], 6);
    assert_int_equal(tw.next[6], TWINS_END);
    for (i = 2; i <= 5; i++) {
        assert_int_equal(tw.rep[i], i);
        assert_int_equal(tw.weight[i], 1);
    }
    twins_free(&tw);
    /* An inactive document is nobody's twin. */
    active[1] = active[6] = 0;
    assert_int_equal(twins_find(ctx, active, &tw), 0);
    assert_null(tw.rep);
    free(sig);
    dupfind_ctx_free(ctx);
}

static uint32_t rank_of(const uint32_t *rank, uint32_t id)
{
    return rank ? rank[id] : id;
}

/* Per document: dropped by walking the documents by id and dropping
 * each one with a selected pair with an earlier one kept (--unique). */
static void walk_unique(const dupfind_results *res, uint32_t n,
                        unsigned char *dropped)
{
    size_t i, np = dupfind_results_count(res);
    uint32_t id;

    memset(dropped, 0, n);
    for (id = 0; id < n; id++)
        for (i = 0; i < np; i++) {
            const dupfind_pair *p = dupfind_results_pair(res, i);

            if (p->b == id && !dropped[p->a])
                dropped[id] = 1;
        }
}

/* walk_unique in the order of rank (NULL: by id). */
static void walk_ranked(const dupfind_results *res, uint32_t n,
                        const uint32_t *rank, unsigned char *dropped)
{
    size_t i, np = dupfind_results_count(res);
    uint32_t *order = malloc(n * sizeof(*order)), x;

    assert_non_null(order);
    for (x = 0; x < n; x++)
        order[rank ? rank[x] : x] = x;
    memset(dropped, 0, n);
    for (x = 0; x < n; x++) {
        uint32_t id = order[x];

        for (i = 0; i < np; i++) {
            const dupfind_pair *p = dupfind_results_pair(res, i);
            uint32_t other = p->a == id ? p->b : p->b == id ? p->a : id;

            if (other != id && rank_of(rank, other) < x && !dropped[other])
                dropped[id] = 1;
        }
    }
    free(order);
}

static dupfind_results *selected(dupfind_ctx *ctx, unsigned flags)
{
    dupfind_results *res = NULL;

    assert_int_equal(dupfind_ctx_candidates_flags(ctx, 2, flags, &res), 0);
    assert_int_equal(dupfind_results_select(res, ctx), 0);
    return res;
}

/* Copies of texts (some near the threshold of another text, so that
 * their pairs are uncertain): with their pairs reduced to a star, the
 * same clusters, and with the settled kind the same documents dropped
 * walking by id. */
static void test_twins_star(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx = NULL;
    dupfind_doc *doc;
    dupfind_results *full, *star, *settled;
    text t[7] = { { 0 } };
    char err[256];
    uint32_t *c1, *c2, n1, n2, n;
    unsigned char *d1, *d2;
    size_t i, j;

    (void)state;
    dupfind_options_init(&o);
    o.containment = 0;
    assert_int_equal(dupfind_ctx_new(&ctx, &o, err, sizeof(err)), 0);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    make_text(&t[0], 1, 300, 0);
    make_text(&t[1], 1, 300, 40);                /* near copy of 0 */
    make_text(&t[2], 1, 200, 0);                 /* 2/3 of 0: J ~ 0.5 */
    for (i = 0; i < 100; i++)
        text_word(&t[2], 600000 + i);
    make_text(&t[3], 2, 40, 0);                  /* unrelated, copied */
    make_text(&t[4], 3, 500, 0);
    make_text(&t[5], 3, 500, 60);                /* near copy of 4 */
    make_text(&t[6], 3, 500, 70);                /* another one */
    /* 0 x 7, 1 x 3, 2 x 2, 3 x 5, 4 x 4, 5 x 1, 6 x 3, interleaved: the
     * first copy of 6 comes after 4, which drops it and its copies. */
    for (j = 0; j < 7; j++)
        for (i = 0; i < 7; i++)
            if (j < (size_t)(i == 0 ? 7 : i == 1 ? 3 : i == 2 ? 2 : i == 3
                                 ? 5 : i == 4 ? 4 : i == 5 ? 1 : 3))
                add_text(ctx, doc, &t[i]);
    n = ctx->n;
    full = selected(ctx, 0);
    star = selected(ctx, DUPFIND_STAR_COPIES);
    settled = selected(ctx, DUPFIND_STAR_COPIES | DUPFIND_STAR_SETTLED);
    print_message("pairs: %zu full, %zu star, %zu settled\n",
                  dupfind_results_count(full), dupfind_results_count(star),
                  dupfind_results_count(settled));
    assert_true(dupfind_results_count(star) <
                dupfind_results_count(settled));
    assert_true(dupfind_results_count(settled) <
                dupfind_results_count(full));
    c1 = malloc(n * sizeof(*c1));
    c2 = malloc(n * sizeof(*c2));
    d1 = malloc(n);
    d2 = malloc(n);
    assert_true(c1 && c2 && d1 && d2);
    assert_int_equal(dupfind_results_clusters(full, n, c1, &n1), 0);
    assert_int_equal(dupfind_results_clusters(star, n, c2, &n2), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(c1, c2, n * sizeof(*c1));
    assert_int_equal(dupfind_results_clusters(settled, n, c2, &n2), 0);
    assert_memory_equal(c1, c2, n * sizeof(*c1));
    walk_unique(full, n, d1);
    walk_unique(settled, n, d2);
    assert_memory_equal(d1, d2, n);
    dupfind_results_free(settled);
    /* Only the clusters: the same, from fewer pairs still (the near
     * copies 0, 1 and 4, 5, 6 are joined once). */
    for (i = 0; i < 2; i++) {
        dupfind_results *only = selected(
            ctx, DUPFIND_CLUSTERS_ONLY | (i ? DUPFIND_STAR_COPIES : 0));

        print_message("clusters only%s: %zu pairs\n", i ? ", star" : "",
                      dupfind_results_count(only));
        assert_true(dupfind_results_count(only) <
                    dupfind_results_count(i ? star : full));
        assert_int_equal(dupfind_results_clusters(only, n, c2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(c1, c2, n * sizeof(*c1));
        dupfind_results_free(only);
    }
    dupfind_results_free(full);
    dupfind_results_free(star);
    assert_int_equal(dupfind_ctx_candidates_flags(ctx, 1, 16, &full),
                     DUPFIND_EINVAL);
    assert_int_equal(dupfind_ctx_candidates_flags(
                         ctx, 1, DUPFIND_STAR_COPIES | DUPFIND_STAR_SETTLED |
                                     DUPFIND_CLUSTERS_ONLY, &full),
                     DUPFIND_EINVAL);
    assert_int_equal(dupfind_ctx_candidates_flags(ctx, 1,
                                                  DUPFIND_STAR_SETTLED, &full),
                     DUPFIND_EINVAL);
    free(c1);
    free(c2);
    free(d1);
    free(d2);
    for (i = 0; i < 7; i++)
        free(t[i].s);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

static dupfind_results *selected_on(dupfind_ctx *ctx, unsigned threads,
                                     unsigned flags)
{
    dupfind_results *res = NULL;

    assert_int_equal(dupfind_ctx_candidates_flags(ctx, threads, flags, &res),
                     0);
    assert_int_equal(dupfind_results_select(res, ctx), 0);
    return res;
}

/* DUPFIND_WALK_BY_ID: a family of 80 near copies (joined by sure pairs),
 * texts near the threshold with it (uncertain pairs), exact copies
 * here and there, a second family, a small text inside a longer one:
 * the walk by id drops the same documents as with every pair, on 1 and
 * 3 threads, with copies banded once or not, and when the walk gives
 * up (a budget of one try) and all pairs are made after all; the
 * families cost about a pair a member. */
static void test_walk_by_id(void **state)
{
    dupfind_ctx *ctx = new_ctx();
    dupfind_doc *doc;
    dupfind_results *full, *walk;
    text t = { 0 }, copy = { 0 };
    uint32_t n, i;
    unsigned char *d1, *d2;
    size_t nfull, nwalk, nd;
    unsigned off, threads;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < 80; i++) {
        make_text(&t, 1, 300, 30 + i);             /* family 1 */
        add_text(ctx, doc, &t);
        if (i % 10 == 3)                            /* a copy of it */
            add_text(ctx, doc, &t);
        if (i % 7 == 2) {                           /* J ~ 0.5 with it */
            size_t w;

            make_text(&t, 1, 200 + i, 0);
            for (w = 0; w < 100; w++)
                text_word(&t, 700000 + i * 1000 + w);
            add_text(ctx, doc, &t);
        }
        if (i % 4 == 1) {                           /* family 2 */
            make_text(&t, 2, 120, 15 + i / 4);
            add_text(ctx, doc, &t);
        }
        if (i % 20 == 5) {                          /* inside a longer */
            size_t w;

            make_text(&t, 4 + i, 40, 0);
            add_text(ctx, doc, &t);
            for (w = 0; w < 400; w++)
                text_word(&t, 800000 + i * 1000 + w);
            add_text(ctx, doc, &t);
        }
    }
    make_text(&copy, 1, 300, 30 + 13);              /* a late copy */
    add_text(ctx, doc, &copy);
    /* Pairs near the containment threshold, kept uncertain, some of them
     * selected and some not: with a and b two new texts, j made of
     * share f of a and 1 - f of b (pairs with both, neither sure; one
     * may drop it and the other not), and i made of share f of a, then
     * a near copy of i (a sure pair with one that may be kept). */
    for (i = 0; i < 24; i++) {
        size_t fa = 126 + 3 * (i % 12), w;
        uint64_t sa = 1000 + 2 * i, sb = 1001 + 2 * i;
        test_rng r = { sb };

        make_text(&t, sa, 300, 0);
        add_text(ctx, doc, &t);
        if (i < 12) {
            make_text(&t, sb, 300, 0);
            add_text(ctx, doc, &t);
        }
        make_text(&t, sa, fa, 0);
        for (w = fa; w < 300; w++)
            text_word(&t, i < 12 ? rng_below(&r, 50000) : 600000 + w);
        add_text(ctx, doc, &t);
        if (i >= 12) {
            t.n = 0;
            make_text(&t, sa, fa, 0);
            for (w = fa; w < 300; w++)
                text_word(&t, w % 50 == 7 ? 650000 + w : 600000 + w);
            add_text(ctx, doc, &t);
        }
    }
    n = ctx->n;
    d1 = malloc(n);
    d2 = malloc(n);
    assert_true(d1 && d2);
    for (off = 0; off < 2; off++)
        for (threads = 1; threads <= 3; threads += 2) {
            ctx->twins_off = (int)off;
            full = selected_on(ctx, threads, 0);
            walk = selected_on(ctx, threads, DUPFIND_WALK_BY_ID);
            nfull = dupfind_results_count(full);
            nwalk = dupfind_results_count(walk);
            walk_unique(full, n, d1);
            walk_unique(walk, n, d2);
            for (i = 0, nd = 0; i < n; i++)
                nd += d1[i];
            print_message("%u documents, %zu dropped; twins %s, %u "
                          "threads: %zu pairs, %zu for the walk\n", n, nd,
                          off ? "off" : "on", threads, nfull, nwalk);
            assert_memory_equal(d1, d2, n);
            assert_true(nd > 100);
            assert_true(nwalk * 10 < nfull);
            dupfind_results_free(walk);
            /* Given up: every pair again, as the settled star. */
            ctx->walk_tries = 1;
            walk = selected_on(ctx, threads, DUPFIND_WALK_BY_ID);
            walk_unique(walk, n, d2);
            assert_memory_equal(d1, d2, n);
            assert_true(dupfind_results_count(walk) * 4 > nfull);
            ctx->walk_tries = 0;
            dupfind_results_free(walk);
            dupfind_results_free(full);
        }
    assert_int_equal(dupfind_ctx_candidates_flags(
                         ctx, 1, DUPFIND_WALK_BY_ID | DUPFIND_STAR_COPIES,
                         &full),
                     DUPFIND_EINVAL);
    /* Walks in another order (as --keep=longest and the like): reversed,
     * and a shuffle; the same when the walk gives up. */
    {
        uint32_t *rank = malloc(n * sizeof(*rank)), tmp;
        test_rng r = { 5 };
        unsigned o, tries;

        assert_non_null(rank);
        for (o = 0; o < 2; o++) {
            for (i = 0; i < n; i++)
                rank[i] = o == 0 ? n - 1 - i : i;
            for (i = n - 1; o == 1 && i > 0; i--) {
                uint32_t j = (uint32_t)rng_below(&r, i + 1);

                tmp = rank[i];
                rank[i] = rank[j];
                rank[j] = tmp;
            }
            full = selected_on(ctx, 2, 0);
            walk_ranked(full, n, rank, d1);
            for (tries = 0; tries < 2; tries++) {
                ctx->walk_tries = tries;
                assert_int_equal(dupfind_ctx_candidates_walk(ctx, 3, rank,
                                                             &walk), 0);
                for (i = 0; i < dupfind_results_count(walk); i++)
                    assert_true(dupfind_results_pair(walk, i)->a <
                                dupfind_results_pair(walk, i)->b);
                assert_int_equal(dupfind_results_select(walk, ctx), 0);
                walk_ranked(walk, n, rank, d2);
                print_message("walk by rank (%s%s): %zu pairs of %zu\n",
                              o ? "shuffled" : "reversed",
                              tries ? ", gave up" : "",
                              dupfind_results_count(walk),
                              dupfind_results_count(full));
                assert_memory_equal(d1, d2, n);
                if (!tries)           /* 245 and 725 of 5,282 */
                    assert_true(dupfind_results_count(walk) * 5 <
                                dupfind_results_count(full));
                dupfind_results_free(walk);
            }
            ctx->walk_tries = 0;
            dupfind_results_free(full);
        }
        rank[0] = rank[1];                       /* not a permutation */
        assert_int_equal(dupfind_ctx_candidates_walk(ctx, 1, rank, &full),
                         DUPFIND_EINVAL);
        free(rank);
    }
    free(d1);
    free(d2);
    free(t.s);
    free(copy.s);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* DUPFIND_CLUSTERS_ONLY returns no uncertain pair of two documents that
 * its sure pairs join (it could only be read again for nothing): with
 * B a text, A its last three quarters and C its first three, A-B and
 * B-C are sure and A-C (J = 1/2) uncertain, and all three meet in the
 * same buckets.  The clusters stay those of every pair. */
static void test_clusters_only_no_rereads(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx = NULL;
    dupfind_doc *doc;
    dupfind_results *full, *only;
    text t = { 0 };
    char err[256];
    uint32_t *c1, *c2, n1, n2, n, i;
    size_t j, within = 0, uncertain = 0;
    unsigned threads;

    (void)state;
    dupfind_options_init(&o);
    o.containment = 0;
    assert_int_equal(dupfind_ctx_new(&ctx, &o, err, sizeof(err)), 0);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < 30; i++) {
        text_words(&t, 100 + i, 100, 400, 0);     /* A */
        add_text(ctx, doc, &t);
        text_words(&t, 100 + i, 0, 400, 0);       /* B */
        add_text(ctx, doc, &t);
        text_words(&t, 100 + i, 0, 300, 0);       /* C */
        add_text(ctx, doc, &t);
    }
    n = ctx->n;
    c1 = malloc(n * sizeof(*c1));
    c2 = malloc(n * sizeof(*c2));
    assert_true(c1 && c2);
    full = selected_on(ctx, 1, 0);
    assert_int_equal(dupfind_results_clusters(full, n, c1, &n1), 0);
    for (j = 0; j < dupfind_results_count(full); j++)
        uncertain += dupfind_results_pair(full, j)->uncertain;
    for (threads = 1; threads <= 2; threads++) {
        union_find uf;

        assert_int_equal(dupfind_ctx_candidates_flags(
                             ctx, threads, DUPFIND_CLUSTERS_ONLY, &only),
                         0);
        assert_int_equal(uf_init(&uf, n), 0);
        for (j = 0; j < dupfind_results_count(only); j++) {
            const dupfind_pair *p = dupfind_results_pair(only, j);

            if (!p->uncertain)
                uf_union(&uf, p->a, p->b);
        }
        for (j = 0; j < dupfind_results_count(only); j++) {
            const dupfind_pair *p = dupfind_results_pair(only, j);

            if (p->uncertain)
                within += uf_find(&uf, p->a) == uf_find(&uf, p->b);
        }
        uf_release(&uf);
        assert_int_equal(dupfind_results_select(only, ctx), 0);
        assert_int_equal(dupfind_results_clusters(only, n, c2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(c1, c2, n * sizeof(*c1));
        print_message("%u threads: %zu pairs (%zu with every pair, %zu of "
                      "them uncertain)\n", threads,
                      dupfind_results_count(only),
                      dupfind_results_count(full), uncertain);
        dupfind_results_free(only);
    }
    assert_true(uncertain >= 10);
    assert_int_equal(within, 0);
    dupfind_results_free(full);
    free(c1);
    free(c2);
    free(t.s);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twins_whole_sketch),
        cmocka_unit_test(test_twins_same_pairs),
        cmocka_unit_test(test_twins_count_against_cap),
        cmocka_unit_test(test_twins_star),
        cmocka_unit_test(test_walk_by_id),
        cmocka_unit_test(test_clusters_only_no_rereads),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
