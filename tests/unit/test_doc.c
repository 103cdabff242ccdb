/*
 * test_doc.c - the document builder's two ways of keeping distinct
 * shingles: the hash set for ordinary documents and, past the set's
 * limit, the array that is sorted and deduplicated at the end.  Both
 * must give the same signature, count and sorted shingles, with and
 * without common shingles left out, and a builder must come back to
 * the hash set for the next document.  The sample is the same subset of
 * the sorted shingles either way.  A builder reading only for the
 * shingles (dupfind_doc_shingles_only) gives the same shingles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "df.h"
#include "dupfind.h"
#include "test_util.h"

typedef struct {
    char *s;
    size_t n, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (n == 0)
        return;                /* s and t->s may be NULL */
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
}

/* n words drawn from a vocabulary of vocab, some of them non-ASCII, then
 * the first `repeat` words again (repeated shingles). */
static void make_text(text *t, test_rng *r, size_t n, uint64_t vocab,
                      size_t repeat)
{
    size_t i, end;
    char w[32], *head;

    t->n = 0;
    for (i = 0; i < n; i++) {
        uint64_t x = rng_below(r, vocab);
        int len = x % 7 == 0 ? snprintf(w, sizeof(w), "Wort\xC3\xA9%llu ",
                                        (unsigned long long)x)
                             : snprintf(w, sizeof(w), "w%llu ",
                                        (unsigned long long)x);
        text_add(t, w, (size_t)len);
    }
    /* The repeats: the first `repeat` words, found in t and copied
     * from a copy of them, never from t->s itself, which text_add may
     * move. */
    for (i = 0, end = 0; i < repeat && end < t->n; i++) {
        const char *sp = memchr(t->s + end, ' ', t->n - end);

        end = sp ? (size_t)(sp - t->s) + 1 : t->n;
    }
    head = malloc(end ? end : 1);
    assert_non_null(head);
    if (end)
        memcpy(head, t->s, end);
    text_add(t, head, end);
    free(head);
}

static void build(dupfind_doc *d, const text *t, size_t chunk)
{
    size_t i, len;

    dupfind_doc_reset(d);
    for (i = 0; i < t->n; i += len) {
        len = t->n - i < chunk ? t->n - i : chunk;
        assert_int_equal(dupfind_doc_feed(d, t->s + i, len), 0);
    }
    assert_int_equal(dupfind_doc_finish(d), 0);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

    return (a > b) - (a < b);
}

/* The sample of d must be exactly the low 32 bits of its shingles
 * s[0 .. n) below 2^(32 - shift), sorted, without repeats, whichever
 * way the shingles were kept; the shift is 0 for at most
 * DOC_SAMPLE_ALL shingles, else DOC_SAMPLE_SHIFT.  Returns the shift. */
static unsigned check_sample(const dupfind_doc *d, const uint64_t *s,
                             size_t n)
{
    const uint32_t *smp;
    uint32_t *want = malloc((n ? n : 1) * sizeof(*want));
    size_t ns, i, m = 0, w = 0;
    unsigned shift;

    assert_non_null(want);
    dupfind_doc_sample(d, &smp, &ns, &shift);
    assert_non_null(smp);
    assert_int_equal(shift, n <= DOC_SAMPLE_ALL ? 0 : DOC_SAMPLE_SHIFT);
    for (i = 0; i < n; i++)
        if ((uint64_t)(uint32_t)s[i] < ((uint64_t)1 << (32 - shift)))
            want[m++] = (uint32_t)s[i];
    qsort(want, m, sizeof(*want), cmp_u32);
    for (i = 0; i < m; i++)
        if (w == 0 || want[w - 1] != want[i])
            want[w++] = want[i];
    assert_int_equal(w, ns);
    if (w)
        assert_memory_equal(smp, want, w * sizeof(*want));
    /* about one in 16 */
    if (n >= 2000) {
        assert_true(ns * 16 > n / 2);
        assert_true(ns * 16 < n * 2);
    }
    free(want);
    return shift;
}

/* Builds t with both builders and compares everything they give.
 * Returns whether d went big (it must when the set would outgrow it). */
static int check_same(dupfind_doc *ref, dupfind_doc *d, const text *t,
                      size_t chunk)
{
    const uint64_t *s1, *s2;
    size_t n1, n2, i;
    unsigned k = dupfind_ctx_options(d->ctx)->num_perm;

    build(ref, t, t->n ? t->n : 1);
    build(d, t, chunk);
    assert_int_equal(ref->big, 0);
    assert_int_equal(d->big, ref->set.count > d->set_limit);
    assert_int_equal(dupfind_doc_shingle_count(d),
                     dupfind_doc_shingle_count(ref));
    assert_memory_equal(dupfind_doc_signature(d), dupfind_doc_signature(ref),
                        k * sizeof(uint32_t));
    assert_int_equal(dupfind_doc_shingles(ref, &s1, &n1), 0);
    assert_int_equal(dupfind_doc_shingles(d, &s2, &n2), 0);
    assert_int_equal(n1, n2);
    assert_int_equal(n1, dupfind_doc_shingle_count(d));
    assert_memory_equal(s1, s2, n1 * sizeof(*s1));
    for (i = 1; i < n2; i++)
        assert_true(s2[i - 1] < s2[i]);
    assert_int_equal(check_sample(ref, s1, n1), check_sample(d, s2, n2));
    return d->big;
}

static dupfind_ctx *new_ctx(void)
{
    dupfind_ctx *ctx = NULL;

    assert_int_equal(dupfind_ctx_new(&ctx, NULL, NULL, 0), 0);
    return ctx;
}

/* Documents just under, at and well over the limit (lowered to 300 so
 * the test is quick; the real one is DOC_SET_LIMIT), fed whole and in
 * small chunks, with repeats; then a small document after a big one. */
static void test_big_equals_set(void **state)
{
    static const size_t words[] = { 200, 305, 3000, 20000 };
    dupfind_ctx *ctx = new_ctx();
    dupfind_doc *ref, *d;
    test_rng r = { 7 };
    text t = { 0 };
    size_t i, big = 0;

    (void)state;
    assert_int_equal(dupfind_doc_new(&ref, ctx), 0);
    assert_int_equal(dupfind_doc_new(&d, ctx), 0);
    ref->set_limit = SIZE_MAX;
    d->set_limit = 300;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        make_text(&t, &r, words[i], 100000, words[i] / 3);
        big += (size_t)check_same(ref, d, &t, t.n);
        big += (size_t)check_same(ref, d, &t, 61);
    }
    assert_int_equal(big, 6);
    /* back to the hash set for an ordinary document */
    make_text(&t, &r, 100, 1000, 10);
    assert_false(check_same(ref, d, &t, 13));
    /* a small vocabulary: many repeats */
    make_text(&t, &r, 20000, 12, 0);
    assert_true(check_same(ref, d, &t, 4096));
    dupfind_doc_free(ref);
    dupfind_doc_free(d);
    dupfind_ctx_free(ctx);
    free(t.s);
}

/* With common shingles left out, counted by dupfind_df_add from big and
 * small documents alike: the same signature, count and shingles. */
static void test_big_with_common(void **state)
{
    dupfind_ctx *ctx = new_ctx(), *ctx2 = new_ctx();
    dupfind_doc *ref, *d, *ref2, *d2;
    dupfind_df *df1 = NULL, *df2 = NULL;
    test_rng r = { 9 };
    text t[6], common = { 0 }, body = { 0 };
    size_t i;

    (void)state;
    memset(t, 0, sizeof(t));
    assert_int_equal(dupfind_df_new(&df1), 0);
    assert_int_equal(dupfind_df_new(&df2), 0);
    assert_int_equal(dupfind_doc_new(&ref, ctx), 0);
    assert_int_equal(dupfind_doc_new(&d, ctx), 0);
    ref->set_limit = SIZE_MAX;
    d->set_limit = 300;
    /* Each document starts with the same passage (boilerplate). */
    make_text(&common, &r, 80, 1000, 0);
    for (i = 0; i < 6; i++) {
        make_text(&body, &r, i % 2 ? 4000 : 150, 1000, 50);
        text_add(&t[i], common.s, common.n);
        text_add(&t[i], body.s, body.n);
        build(ref, &t[i], t[i].n);
        dupfind_df_add(df1, ref);
        build(d, &t[i], 97);
        assert_int_equal(d->big, i % 2);
        dupfind_df_add(df2, d);
    }
    /* Both kinds of builder counted the same shingles. */
    assert_int_equal(dupfind_df_docs(df1), dupfind_df_docs(df2));
    for (i = 0; i < 6; i++) {
        const uint64_t *s;
        size_t n, j;

        build(ref, &t[i], t[i].n);
        assert_int_equal(dupfind_doc_shingles(ref, &s, &n), 0);
        for (j = 0; j < n; j++)
            assert_int_equal(df_estimate(df1, s[j]), df_estimate(df2, s[j]));
    }
    assert_int_equal(dupfind_ctx_ignore_common(ctx2, df2, 2), 0);
    assert_int_equal(dupfind_doc_new(&ref2, ctx2), 0);
    assert_int_equal(dupfind_doc_new(&d2, ctx2), 0);
    ref2->set_limit = SIZE_MAX;
    d2->set_limit = 300;
    for (i = 0; i < 6; i++) {
        assert_int_equal(check_same(ref2, d2, &t[i], 97), i % 2);
        assert_true(ref2->ignored > 0);
        assert_int_equal(d2->ignored, ref2->ignored);
    }
    for (i = 0; i < 6; i++)
        free(t[i].s);
    free(common.s);
    free(body.s);
    dupfind_doc_free(ref);
    dupfind_doc_free(d);
    dupfind_doc_free(ref2);
    dupfind_doc_free(d2);
    dupfind_ctx_free(ctx);
    dupfind_ctx_free(ctx2);
    dupfind_df_free(df1);
    dupfind_df_free(df2);
}

/* Builds t with ref (ordinary) and d (shingles only, fed in chunks):
 * the same count and sorted shingles; d has an empty signature and no
 * sample. */
static void check_shingles_only(dupfind_doc *ref, dupfind_doc *d,
                                const text *t, size_t chunk)
{
    const uint64_t *s1, *s2;
    const uint32_t *smp, *sig;
    size_t n1, n2, ns, i;
    unsigned k = dupfind_ctx_options(d->ctx)->num_perm, shift;

    build(ref, t, t->n ? t->n : 1);
    build(d, t, chunk);
    assert_int_equal(dupfind_doc_shingle_count(d),
                     dupfind_doc_shingle_count(ref));
    assert_int_equal(dupfind_doc_shingles(ref, &s1, &n1), 0);
    assert_int_equal(dupfind_doc_shingles(d, &s2, &n2), 0);
    assert_int_equal(n1, n2);
    if (n1)
        assert_memory_equal(s1, s2, n1 * sizeof(*s1));
    sig = dupfind_doc_signature(d);
    for (i = 0; i < k; i++)
        assert_int_equal(sig[i], UINT32_MAX);
    dupfind_doc_sample(d, &smp, &ns, &shift);
    assert_non_null(smp);
    assert_int_equal(ns, 0);
}

/* dupfind_doc_shingles_only: documents of every size (none, one short
 * shingle, under and over the set's limit, many repeats), with and
 * without common shingles left out, give the same shingles as an
 * ordinary builder; switched off, the builder gives the ordinary
 * signature and sample again from the next document on. */
static void test_shingles_only(void **state)
{
    static const size_t words[] = { 0, 3, 200, 3000, 40000 };
    dupfind_ctx *ctx = new_ctx(), *ctx2 = new_ctx();
    dupfind_doc *ref, *d, *ref2, *d2;
    dupfind_df *df = NULL;
    test_rng r = { 11 };
    text t = { 0 }, t2 = { 0 };
    size_t i;

    (void)state;
    assert_int_equal(dupfind_doc_new(&ref, ctx), 0);
    assert_int_equal(dupfind_doc_new(&d, ctx), 0);
    dupfind_doc_shingles_only(d, 1);
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        make_text(&t, &r, words[i], 100000, words[i] / 3);
        check_shingles_only(ref, d, &t, t.n ? t.n : 1);
        check_shingles_only(ref, d, &t, 61);
    }
    make_text(&t, &r, 20000, 12, 0);         /* a small vocabulary */
    check_shingles_only(ref, d, &t, 4096);
    /* Off again: the next document is sketched as usual. */
    dupfind_doc_shingles_only(d, 0);
    make_text(&t, &r, 500, 100000, 10);
    assert_false(check_same(ref, d, &t, 29));
    /* Common shingles left out: counted and dropped alike. */
    assert_int_equal(dupfind_df_new(&df), 0);
    make_text(&t2, &r, 300, 1000, 0);
    for (i = 0; i < 3; i++) {
        build(ref, &t2, t2.n);
        dupfind_df_add(df, ref);
    }
    text_add(&t2, t.s, t.n);
    assert_int_equal(dupfind_ctx_ignore_common(ctx2, df, 2), 0);
    assert_int_equal(dupfind_doc_new(&ref2, ctx2), 0);
    assert_int_equal(dupfind_doc_new(&d2, ctx2), 0);
    dupfind_doc_shingles_only(d2, 1);
    check_shingles_only(ref2, d2, &t2, 97);
    assert_true(ref2->ignored > 0);
    assert_int_equal(d2->ignored, ref2->ignored);
    free(t.s);
    free(t2.s);
    dupfind_doc_free(ref);
    dupfind_doc_free(d);
    dupfind_doc_free(ref2);
    dupfind_doc_free(d2);
    dupfind_ctx_free(ctx);
    dupfind_ctx_free(ctx2);
    dupfind_df_free(df);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_equals_set),
        cmocka_unit_test(test_big_with_common),
        cmocka_unit_test(test_shingles_only),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
