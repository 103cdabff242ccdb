/*
 * test_df.c - unit tests of df.c: the count-min sketch of shingle
 * document frequencies behind --ignore-common.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "df.h"
#include "test_util.h"

/* A document builder whose distinct-shingle set is filled directly:
 * dupfind_df_add() reads only the set. */
typedef struct {
    dupfind_ctx *ctx;
    dupfind_doc *doc;
} fake;

static void fake_new(fake *f)
{
    assert_int_equal(dupfind_ctx_new(&f->ctx, NULL, NULL, 0), 0);
    assert_int_equal(dupfind_doc_new(&f->doc, f->ctx), 0);
}

static void fake_set(fake *f, const uint64_t *h, size_t n)
{
    size_t i;

    dupfind_doc_reset(f->doc);
    for (i = 0; i < n; i++)
        assert_true(shingle_set_add(&f->doc->set, h[i]) >= 0);
}

static void fake_free(fake *f)
{
    dupfind_doc_free(f->doc);
    dupfind_ctx_free(f->ctx);
}

static void test_empty(void **state)
{
    dupfind_df *df = NULL;

    (void)state;
    assert_int_equal(dupfind_df_new(&df), 0);
    assert_non_null(df);
    assert_int_equal(dupfind_df_docs(df), 0);
    assert_int_equal(df_estimate(df, 0), 0);
    assert_int_equal(df_estimate(df, 12345), 0);
    assert_int_equal(df_estimate(df, UINT64_MAX), 0);
    dupfind_df_free(df);
    dupfind_df_free(NULL);
}

/* Each document counts each distinct shingle once, 0 included. */
static void test_counts_once_per_document(void **state)
{
    static const uint64_t d1[] = { 5, 5, 5, 0, 7 };
    static const uint64_t d2[] = { 5, 9 };
    dupfind_df *df;
    fake f;

    (void)state;
    fake_new(&f);
    assert_int_equal(dupfind_df_new(&df), 0);
    fake_set(&f, d1, 5);
    dupfind_df_add(df, f.doc);
    fake_set(&f, d2, 2);
    dupfind_df_add(df, f.doc);
    dupfind_df_add(df, f.doc);
    assert_int_equal(dupfind_df_docs(df), 3);
    assert_int_equal(df_estimate(df, 5), 3);
    assert_int_equal(df_estimate(df, 9), 2);
    assert_int_equal(df_estimate(df, 7), 1);
    assert_int_equal(df_estimate(df, 0), 1);
    assert_int_equal(df_estimate(df, 6), 0);
    dupfind_df_free(df);
    fake_free(&f);
}

/* Random corpus: the estimate is never below the true document count,
 * and with few shingles against 2^22 counters a row it is exact for
 * (almost) all. */
static void test_never_below_truth(void **state)
{
    enum { DOCS = 200, VOCAB = 30000, PER_DOC = 400 };
    test_rng r = { 77 };
    static uint64_t vocab[VOCAB];
    static uint32_t truth[VOCAB];
    static unsigned char seen[VOCAB];
    uint64_t h[PER_DOC];
    dupfind_df *df;
    fake f;
    size_t i, d, exact = 0;

    (void)state;
    fake_new(&f);
    assert_int_equal(dupfind_df_new(&df), 0);
    for (i = 0; i < VOCAB; i++)
        vocab[i] = rng_next(&r);
    for (d = 0; d < DOCS; d++) {
        memset(seen, 0, sizeof(seen));
        for (i = 0; i < PER_DOC; i++) {
            /* skewed: low indices are common */
            size_t w = (size_t)(rng_below(&r, VOCAB) * rng_unit(&r));

            h[i] = vocab[w];
            if (!seen[w]) {
                seen[w] = 1;
                truth[w]++;
            }
        }
        fake_set(&f, h, PER_DOC);
        dupfind_df_add(df, f.doc);
    }
    assert_int_equal(dupfind_df_docs(df), DOCS);
    for (i = 0; i < VOCAB; i++) {
        uint32_t e = df_estimate(df, vocab[i]);

        assert_true(e >= truth[i]);
        exact += e == truth[i];
    }
    assert_true(exact >= VOCAB - 5);
    dupfind_df_free(df);
    fake_free(&f);
}

/* Threads counting at once give the counts of counting one by one. */
typedef struct {
    dupfind_df *df;
    unsigned first;
    unsigned ndocs;
} worker_arg;

#define TDOCS 64
#define TPER 500

static void doc_hashes(unsigned d, uint64_t *h)
{
    test_rng r = { 1000 + d };
    unsigned i;

    for (i = 0; i < TPER; i++)
        h[i] = rng_below(&r, 2000) * 0x9E3779B97F4A7C15ULL;
}

static void *worker(void *p)
{
    worker_arg *a = p;
    uint64_t h[TPER];
    fake f;
    unsigned d;

    fake_new(&f);
    for (d = a->first; d < a->first + a->ndocs; d++) {
        doc_hashes(d, h);
        fake_set(&f, h, TPER);
        dupfind_df_add(a->df, f.doc);
    }
    fake_free(&f);
    return NULL;
}

static void test_threads(void **state)
{
    dupfind_df *seq, *par;
    pthread_t th[4];
    worker_arg args[4];
    uint64_t h[TPER];
    unsigned t, i;

    (void)state;
    assert_int_equal(dupfind_df_new(&seq), 0);
    assert_int_equal(dupfind_df_new(&par), 0);
    args[0].df = seq;
    args[0].first = 0;
    args[0].ndocs = TDOCS;
    worker(&args[0]);
    for (t = 0; t < 4; t++) {
        args[t].df = par;
        args[t].first = t * TDOCS / 4;
        args[t].ndocs = TDOCS / 4;
        assert_int_equal(pthread_create(&th[t], NULL, worker, &args[t]), 0);
    }
    for (t = 0; t < 4; t++)
        pthread_join(th[t], NULL);
    assert_int_equal(dupfind_df_docs(par), TDOCS);
    assert_int_equal(dupfind_df_docs(seq), TDOCS);
    for (i = 0; i < 2000; i++) {
        uint64_t x = i * 0x9E3779B97F4A7C15ULL;

        assert_int_equal(df_estimate(par, x), df_estimate(seq, x));
    }
    /* and a document's own shingles are counted */
    doc_hashes(3, h);
    for (i = 0; i < TPER; i++)
        assert_true(df_estimate(par, h[i]) >= 1);
    dupfind_df_free(seq);
    dupfind_df_free(par);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_counts_once_per_document),
        cmocka_unit_test(test_never_below_truth),
        cmocka_unit_test(test_threads),
    };

    return cmocka_run_group_tests_name("df", tests, NULL, NULL);
}
