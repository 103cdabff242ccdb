/*
 * test_api.c - tests of libdupfind through its public API (dupfind.h)
 * only: options, documents, the corpus, results, clusters, exact scores,
 * determinism and the accuracy of the estimates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dupfind.h"
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    char *s;
    size_t n, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    size_t need = t->n + n + 1;

    if (n > SIZE_MAX / 4 || need > SIZE_MAX / 4) {
        fail();
        return;
    }
    if (need > t->cap) {
        size_t ncap = t->cap ? t->cap : 256;
        char *p;

        while (ncap < need)
            ncap *= 2;
        p = realloc(t->s, ncap);
        assert_non_null(p);
        t->s = p;
        t->cap = ncap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}

/* The word with number w: letters only, distinct for distinct w. */
static void word_of(uint64_t w, char *buf)
{
    size_t i = 0;

    buf[i++] = 'w';
    do {
        buf[i++] = (char)('a' + w % 26);
        w /= 26;
    } while (w);
    buf[i] = '\0';
}

static void text_word(text *t, uint64_t w)
{
    char buf[24];

    if (t->n)
        text_add(t, " ", 1);
    word_of(w, buf);
    text_add(t, buf, strlen(buf));
}

/* n words drawn from a vocabulary of `vocab` words. */
static void random_words(text *t, test_rng *r, size_t n, uint64_t vocab)
{
    size_t i;

    t->n = 0;
    for (i = 0; i < n; i++)
        text_word(t, rng_below(r, vocab));
}

static dupfind_ctx *new_ctx(const dupfind_options *o)
{
    dupfind_ctx *ctx = NULL;
    char err[256];

    if (dupfind_ctx_new(&ctx, o, err, sizeof(err)) != 0) {
        print_error("dupfind_ctx_new: %s\n", err);
        fail();
    }
    assert_non_null(ctx);
    return ctx;
}

/* Builds doc from text fed in chunks of `chunk` bytes (0 = whole). */
static void build(dupfind_doc *doc, const char *s, size_t n, size_t chunk)
{
    size_t i, len;

    dupfind_doc_reset(doc);
    if (chunk == 0)
        chunk = n ? n : 1;
    for (i = 0; i < n; i += len) {
        len = n - i < chunk ? n - i : chunk;
        assert_int_equal(dupfind_doc_feed(doc, s + i, len), 0);
    }
    assert_int_equal(dupfind_doc_finish(doc), 0);
}

static uint32_t add(dupfind_ctx *ctx, dupfind_doc *doc, const char *name,
                    const char *s, size_t n)
{
    uint32_t id = UINT32_MAX;

    build(doc, s, n, 0);
    assert_int_equal(dupfind_ctx_add(ctx, &id, name, strlen(name), doc), 0);
    return id;
}

static uint32_t add_str(dupfind_ctx *ctx, dupfind_doc *doc,
                        const char *name, const char *s)
{
    return add(ctx, doc, name, s, strlen(s));
}

static dupfind_results *find(dupfind_ctx *ctx)
{
    dupfind_results *res = NULL;

    assert_int_equal(dupfind_ctx_find(ctx, &res), 0);
    assert_non_null(res);
    return res;
}

/* Every reported pair is well formed. */
static void check_pairs(const dupfind_results *res, uint32_t ndocs)
{
    size_t i;

    for (i = 0; i < dupfind_results_count(res); i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        assert_non_null(p);
        assert_true(p->a < p->b);
        assert_true(p->b < ndocs);
        assert_true(p->jaccard >= 0 && p->jaccard <= 1);
        assert_true(p->a_in_b >= 0 && p->a_in_b <= 1);
        assert_true(p->b_in_a >= 0 && p->b_in_a <= 1);
        assert_true(p->relation != DUPFIND_REL_NONE);
    }
}

static const dupfind_pair *find_pair(const dupfind_results *res, uint32_t a,
                                     uint32_t b)
{
    size_t i;

    for (i = 0; i < dupfind_results_count(res); i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        if (p->a == a && p->b == b)
            return p;
    }
    return NULL;
}

/* Exact Jaccard of two texts under ctx's options. */
static double exact_jaccard(const dupfind_ctx *ctx, const text *x,
                            const text *y)
{
    dupfind_doc *dx, *dy;
    const uint64_t *sx, *sy;
    size_t nx, ny;
    double j, ab, ba;

    assert_int_equal(dupfind_doc_new(&dx, ctx), 0);
    assert_int_equal(dupfind_doc_new(&dy, ctx), 0);
    build(dx, x->s, x->n, 0);
    build(dy, y->s, y->n, 0);
    assert_int_equal(dupfind_doc_shingles(dx, &sx, &nx), 0);
    assert_int_equal(dupfind_doc_shingles(dy, &sy, &ny), 0);
    dupfind_similarity_exact(sx, nx, sy, ny, &j, &ab, &ba);
    dupfind_doc_free(dx);
    dupfind_doc_free(dy);
    return j;
}

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

static void test_options_defaults(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    const dupfind_options *in;

    (void)state;
    memset(&o, 0xff, sizeof(o));
    dupfind_options_init(&o);
    assert_int_equal(o.version, DUPFIND_OPTIONS_VERSION);
    assert_int_equal(o.shingle_kind, DUPFIND_SHINGLE_WORDS);
    assert_int_equal(o.shingle_len, 5);
    assert_int_equal(o.num_perm, 128);
    assert_int_equal(o.bands, 0);
    assert_int_equal(o.rows, 0);
    assert_true(o.threshold == 0.5);
    assert_true(o.containment == 0.5);
    assert_int_equal(o.seed, 0);
    assert_int_equal(o.simd, DUPFIND_SIMD_AUTO);

    /* NULL options are the defaults; bands and rows get filled in */
    ctx = new_ctx(NULL);
    in = dupfind_ctx_options(ctx);
    assert_int_equal(in->num_perm, 128);
    assert_int_equal(in->shingle_len, 5);
    assert_true(in->bands >= 1 && in->rows >= 1);
    assert_true(in->bands * in->rows <= in->num_perm);
    assert_string_equal(dupfind_ctx_errmsg(ctx), "");
    assert_non_null(dupfind_ctx_simd_name(ctx));
    assert_int_equal(dupfind_ctx_doc_count(ctx), 0);
    dupfind_ctx_free(ctx);
    dupfind_ctx_free(NULL);
    dupfind_doc_free(NULL);
    dupfind_results_free(NULL);

    assert_string_equal(dupfind_version(), DUPFIND_VERSION_STRING);
}

static void test_strerror(void **state)
{
    static const int codes[] = { DUPFIND_OK, DUPFIND_ERROR, DUPFIND_ENOMEM,
                                 DUPFIND_EINVAL, DUPFIND_EIO,
                                 DUPFIND_EENCODING, DUPFIND_ELIMIT };
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const char *s = dupfind_strerror(codes[i]);

        assert_non_null(s);
        assert_true(s[0] != '\0');
        for (j = 0; j < i; j++)
            assert_true(strcmp(s, dupfind_strerror(codes[j])) != 0);
    }
    assert_non_null(dupfind_strerror(-1000));
    assert_non_null(dupfind_strerror(12345));
    assert_string_equal(dupfind_strerror(DUPFIND_ENOMEM), "out of memory");
}

enum { F_VERSION, F_KIND, F_LEN, F_PERM, F_BANDS, F_ROWS, F_T, F_C,
       F_SIMD };

static void set_field(dupfind_options *o, int f, double v)
{
    switch (f) {
    case F_VERSION: o->version = (unsigned)v; break;
    case F_KIND:    o->shingle_kind = (dupfind_shingle_kind)(int)v; break;
    case F_LEN:     o->shingle_len = (unsigned)v; break;
    case F_PERM:    o->num_perm = (unsigned)v; break;
    case F_BANDS:   o->bands = (unsigned)v; break;
    case F_ROWS:    o->rows = (unsigned)v; break;
    case F_T:       o->threshold = v; break;
    case F_C:       o->containment = v; break;
    default:        o->simd = (dupfind_simd)(int)v; break;
    }
}

/* Out-of-range options give DUPFIND_EINVAL, a message and no context;
 * the edges of the ranges are accepted. */
static void test_options_validation(void **state)
{
    static const struct {
        const char *what;
        int f1;
        double v1;
        int f2;          /* -1: none */
        double v2;
        int ok;
    } t[] = {
        { "threshold 0", F_T, 0.0, -1, 0, 0 },
        { "threshold < 0", F_T, -0.5, -1, 0, 0 },
        { "threshold > 1", F_T, 1.01, -1, 0, 0 },
        { "threshold NaN", F_T, NAN, -1, 0, 0 },
        { "num_perm 0", F_PERM, 0, -1, 0, 0 },
        { "num_perm 4097", F_PERM, 4097, -1, 0, 0 },
        { "shingle_len 0", F_LEN, 0, -1, 0, 0 },
        { "shingle_len 65", F_LEN, 65, -1, 0, 0 },
        { "bands > num_perm", F_BANDS, 129, -1, 0, 0 },
        { "bands > small num_perm", F_PERM, 16, F_BANDS, 17, 0 },
        { "bands * rows > num_perm", F_BANDS, 16, F_ROWS, 9, 0 },
        { "containment < 0", F_C, -0.1, -1, 0, 0 },
        { "containment > 1", F_C, 1.5, -1, 0, 0 },
        { "containment NaN", F_C, NAN, -1, 0, 0 },
        { "options version 0", F_VERSION, 0, -1, 0, 0 },
        { "options version 2", F_VERSION, 2, -1, 0, 0 },
        { "shingle kind 7", F_KIND, 7, -1, 0, 0 },
        /* accepted edges */
        { "threshold 1", F_T, 1.0, -1, 0, 1 },
        { "threshold tiny", F_T, 1e-9, -1, 0, 1 },
        { "num_perm 1", F_PERM, 1, -1, 0, 1 },
        { "num_perm 4096", F_PERM, 4096, -1, 0, 1 },
        { "shingle_len 1", F_LEN, 1, -1, 0, 1 },
        { "shingle_len 64", F_LEN, 64, -1, 0, 1 },
        { "bands = num_perm", F_BANDS, 128, -1, 0, 1 },
        { "bands * rows = num_perm", F_BANDS, 16, F_ROWS, 8, 1 },
        { "containment 0", F_C, 0.0, -1, 0, 1 },
        { "containment 1", F_C, 1.0, -1, 0, 1 },
        { "chars", F_KIND, DUPFIND_SHINGLE_CHARS, -1, 0, 1 },
        { "simd scalar", F_SIMD, DUPFIND_SIMD_SCALAR, -1, 0, 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        dupfind_options o;
        dupfind_ctx *ctx = (dupfind_ctx *)&o;   /* must be overwritten */
        char err[256];
        int rc;

        dupfind_options_init(&o);
        set_field(&o, t[i].f1, t[i].v1);
        if (t[i].f2 >= 0)
            set_field(&o, t[i].f2, t[i].v2);
        memset(err, 'x', sizeof(err));
        rc = dupfind_ctx_new(&ctx, &o, err, sizeof(err));
        if (t[i].ok) {
            if (rc != 0) {
                print_error("%s: rejected (%d: %s)\n", t[i].what, rc, err);
                fail();
            }
            assert_non_null(ctx);
            assert_string_equal(err, "");     /* cleared on success */
            dupfind_ctx_free(ctx);
            continue;
        }
        if (rc != DUPFIND_EINVAL) {
            print_error("%s: rc %d, want DUPFIND_EINVAL\n", t[i].what, rc);
            fail();
        }
        assert_null(ctx);
        assert_non_null(memchr(err, '\0', sizeof(err)));
        assert_true(strlen(err) > 0);
        /* without a buffer, and with a tiny one */
        assert_int_equal(dupfind_ctx_new(&ctx, &o, NULL, 0), DUPFIND_EINVAL);
        assert_null(ctx);
        err[0] = 'x';
        err[1] = 'y';
        assert_int_equal(dupfind_ctx_new(&ctx, &o, err, 1), DUPFIND_EINVAL);
        assert_int_equal(err[0], '\0');
        assert_int_equal(err[1], 'y');
    }
}

/* Explicit bands and rows are kept; rows = 0 means as many as fit;
 * threshold 1 asks for equal signatures. */
static void test_options_bands_rows(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;

    (void)state;
    dupfind_options_init(&o);
    o.bands = 32;
    o.rows = 4;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_ctx_options(ctx)->bands, 32);
    assert_int_equal(dupfind_ctx_options(ctx)->rows, 4);
    dupfind_ctx_free(ctx);

    o.bands = 5;
    o.rows = 0;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_ctx_options(ctx)->bands, 5);
    assert_int_equal(dupfind_ctx_options(ctx)->rows, 25);
    dupfind_ctx_free(ctx);

    dupfind_options_init(&o);
    o.threshold = 1.0;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_ctx_options(ctx)->bands, 1);
    assert_int_equal(dupfind_ctx_options(ctx)->rows, 128);
    dupfind_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */
/* ------------------------------------------------------------------ */

/* Distinct shingles come sorted, as many as the count says; n distinct
 * words give n - k + 1 shingles; the token count is the word count. */
static void test_doc_shingles(void **state)
{
    static const size_t nwords[] = { 1, 2, 4, 5, 6, 10, 1000 };
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    text t = { 0 };
    size_t i, w;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < sizeof(nwords) / sizeof(nwords[0]); i++) {
        const uint64_t *sh;
        size_t n, j, want = nwords[i] >= 5 ? nwords[i] - 4 : 1;

        t.n = 0;
        for (w = 0; w < nwords[i]; w++)
            text_word(&t, w);
        build(doc, t.s, t.n, 0);
        assert_int_equal(dupfind_doc_token_count(doc), nwords[i]);
        assert_int_equal(dupfind_doc_shingle_count(doc), want);
        assert_int_equal(dupfind_doc_shingles(doc, &sh, &n), 0);
        assert_int_equal(n, want);
        for (j = 1; j < n; j++)
            assert_true(sh[j - 1] < sh[j]);
    }
    /* repeats: "a b a b a b ..." has 2 distinct 5-shingles */
    t.n = 0;
    for (w = 0; w < 100; w++)
        text_word(&t, w % 2);
    build(doc, t.s, t.n, 0);
    assert_int_equal(dupfind_doc_token_count(doc), 100);
    assert_int_equal(dupfind_doc_shingle_count(doc), 2);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
}

/* Feeding in any chunks gives the same signature and shingles; a reused
 * builder equals a fresh one. */
static void test_doc_streaming_and_reuse(void **state)
{
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 1000 };
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *ref, *doc;
    text t = { 0 }, other = { 0 };
    test_rng r = { 12 };
    uint32_t sig[128];
    const uint64_t *s1, *s2;
    size_t n1, n2, i;

    (void)state;
    {
    const char *tail = " Caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 e\xCC\x81t\xC3\xA9 "
                       "\xFF \xEF\xAC\x81n";

    random_words(&t, &r, 500, 300);
    text_add(&t, tail, strlen(tail));
    random_words(&other, &r, 300, 300);
    assert_int_equal(dupfind_doc_new(&ref, ctx), 0);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    build(ref, t.s, t.n, 0);
    memcpy(sig, dupfind_doc_signature(ref), sizeof(sig));
    assert_int_equal(dupfind_doc_shingles(ref, &s1, &n1), 0);
    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        /* a different document first, so reuse is exercised */
        build(doc, other.s, other.n, 0);
        build(doc, t.s, t.n, chunks[i]);
        assert_memory_equal(dupfind_doc_signature(doc), sig, sizeof(sig));
        assert_int_equal(dupfind_doc_shingle_count(doc),
                         dupfind_doc_shingle_count(ref));
        assert_int_equal(dupfind_doc_token_count(doc),
                         dupfind_doc_token_count(ref));
        assert_int_equal(dupfind_doc_shingles(doc, &s2, &n2), 0);
        assert_int_equal(n1, n2);
        assert_memory_equal(s1, s2, n1 * sizeof(*s1));
    }
    }
    dupfind_doc_free(ref);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
    free(other.s);
}

/* An empty document, or one without a word, has no shingle and is never
 * paired, not even with another empty one. */
static void test_empty_documents(void **state)
{
    static const char *const empties[] = { "", " ", " ,,, ;; \n\t",
                                           "\xFF\xFE", "...", "" };
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    size_t i;
    uint32_t cl[8], ncl = 99;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < sizeof(empties) / sizeof(empties[0]); i++) {
        char name[8];
        uint32_t id;

        snprintf(name, sizeof(name), "e%zu", i);
        id = add_str(ctx, doc, name, empties[i]);
        assert_int_equal(id, i);
        assert_int_equal(dupfind_doc_shingle_count(doc), 0);
        assert_int_equal(dupfind_doc_token_count(doc), 0);
        assert_int_equal(dupfind_ctx_doc_shingles(ctx, id), 0);
    }
    /* and a real document */
    add_str(ctx, doc, "real", "one two three four five six");
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 0);
    assert_int_equal(dupfind_results_clusters(res, 7, cl, &ncl), 0);
    assert_int_equal(ncl, 0);
    for (i = 0; i < 7; i++)
        assert_int_equal(cl[i], 0);
    dupfind_results_free(res);
    /* not even as candidates */
    assert_int_equal(dupfind_ctx_candidates(ctx, &res), 0);
    assert_int_equal(dupfind_results_count(res), 0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* A document shorter than the shingle has one shingle of all its words;
 * two equal short documents pair, different ones do not. */
static void test_short_documents(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    const dupfind_pair *p;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add_str(ctx, doc, "s0", "Hello world");
    assert_int_equal(dupfind_doc_shingle_count(doc), 1);
    add_str(ctx, doc, "s1", "hello,  WORLD!");
    add_str(ctx, doc, "s2", "world hello");
    add_str(ctx, doc, "s3", "hello");
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 1);
    p = dupfind_results_pair(res, 0);
    assert_int_equal(p->a, 0);
    assert_int_equal(p->b, 1);
    assert_true(p->jaccard == 1.0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */
/* Finding pairs                                                        */
/* ------------------------------------------------------------------ */

static void test_identical_documents(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    const dupfind_pair *p;
    text t = { 0 }, u = { 0 };
    test_rng r = { 3 };

    (void)state;
    random_words(&t, &r, 300, 5000);
    random_words(&u, &r, 300, 5000);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add(ctx, doc, "x", u.s, u.n);
    add(ctx, doc, "a", t.s, t.n);
    add(ctx, doc, "y", u.s, u.n / 3);    /* unrelated to "a" */
    add(ctx, doc, "b", t.s, t.n);
    res = find(ctx);
    check_pairs(res, 4);
    p = find_pair(res, 1, 3);
    assert_non_null(p);
    assert_true(p->jaccard == 1.0);
    assert_true(p->a_in_b == 1.0);
    assert_true(p->b_in_a == 1.0);
    assert_int_equal(p->relation, DUPFIND_REL_DUPLICATE);
    assert_int_equal(p->exact, 0);
    assert_int_equal(p->uncertain, 0);
    /* nothing pairs "a" or "b" with "x" */
    assert_null(find_pair(res, 0, 1));
    assert_null(find_pair(res, 0, 3));
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
    free(u.s);
}

/* Documents of random words from a large vocabulary: no pair. */
static void test_unrelated_documents(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    text t = { 0 };
    test_rng r = { 4 };
    int i;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < 40; i++) {
        char name[16];

        snprintf(name, sizeof(name), "doc%d", i);
        random_words(&t, &r, 100 + (size_t)rng_below(&r, 400), 100000);
        add(ctx, doc, name, t.s, t.n);
    }
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
}

/* A copy with a few words changed is found, with sane scores close to
 * the exact ones. */
static void test_near_duplicate(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    const dupfind_pair *p;
    text base = { 0 }, copy = { 0 }, noise = { 0 };
    test_rng r = { 5 };
    size_t w;
    double exact;
    uint64_t words[400];

    (void)state;
    for (w = 0; w < 400; w++)
        words[w] = rng_below(&r, 1000000);
    for (w = 0; w < 400; w++) {
        text_word(&base, words[w]);
        /* change every 40th word */
        text_word(&copy, w % 40 == 17 ? 2000000 + w : words[w]);
    }
    random_words(&noise, &r, 400, 1000000);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add(ctx, doc, "noise", noise.s, noise.n);
    add(ctx, doc, "copy", copy.s, copy.n);
    add(ctx, doc, "base", base.s, base.n);
    res = find(ctx);
    check_pairs(res, 3);
    assert_int_equal(dupfind_results_count(res), 1);
    p = dupfind_results_pair(res, 0);
    assert_int_equal(p->a, 1);
    assert_int_equal(p->b, 2);
    exact = exact_jaccard(ctx, &base, &copy);
    print_message("near duplicate: exact J %.3f, estimate %.3f\n", exact,
                  p->jaccard);
    assert_true(exact > 0.6 && exact < 0.9);
    assert_true(p->jaccard < 1.0);
    assert_true(fabs(p->jaccard - exact) < 0.15);
    assert_int_equal(p->relation, DUPFIND_REL_DUPLICATE);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(base.s);
    free(copy.s);
    free(noise.s);
}

/* A small document inside a large one: found by containment although
 * its Jaccard is low; not found with containment off. */
static void test_containment(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    const dupfind_pair *p;
    text small = { 0 }, big = { 0 }, extra = { 0 };
    test_rng r = { 6 };
    int pass;

    (void)state;
    random_words(&small, &r, 200, 1000000);
    random_words(&extra, &r, 600, 1000000);
    text_add(&big, extra.s, extra.n / 2);
    text_add(&big, " ", 1);
    text_add(&big, small.s, small.n);
    text_add(&big, " ", 1);
    text_add(&big, extra.s + extra.n / 2, extra.n - extra.n / 2);
    for (pass = 0; pass < 2; pass++) {
        dupfind_options_init(&o);
        o.containment = pass ? 0.0 : 0.5;
        ctx = new_ctx(&o);
        assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
        /* big first: the small one is b, inside a */
        add(ctx, doc, "big", big.s, big.n);
        add(ctx, doc, "small", small.s, small.n);
        res = find(ctx);
        check_pairs(res, 2);
        if (pass == 0) {
            assert_int_equal(dupfind_results_count(res), 1);
            p = dupfind_results_pair(res, 0);
            assert_true(p->jaccard < 0.5);
            assert_true(p->b_in_a >= 0.5);
            assert_true(p->b_in_a > p->a_in_b);
            assert_int_equal(p->relation, DUPFIND_REL_B_IN_A);
        } else {
            assert_int_equal(dupfind_results_count(res), 0);
        }
        dupfind_results_free(res);
        dupfind_doc_free(doc);
        dupfind_ctx_free(ctx);
    }
    free(small.s);
    free(big.s);
    free(extra.s);
}

/* Pairs are sorted by Jaccard descending, then by the names of a and
 * b (bytewise). */
static void test_result_order(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    text t = { 0 }, u = { 0 }, near = { 0 };
    test_rng r = { 7 };
    size_t i;
    uint64_t w;
    static const uint32_t want[][2] = { { 1, 2 }, { 0, 1 }, { 0, 2 },
                                        { 3, 4 } };

    (void)state;
    random_words(&t, &r, 300, 1000000);
    /* u and near: the same but every 30th word */
    for (i = 0; i < 300; i++) {
        w = rng_below(&r, 1000000);
        text_word(&u, w);
        text_word(&near, i % 30 == 7 ? 5000000 + i : w);
    }
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add(ctx, doc, "c", t.s, t.n);           /* 0 */
    add(ctx, doc, "a", t.s, t.n);           /* 1 */
    add(ctx, doc, "b", t.s, t.n);           /* 2 */
    add(ctx, doc, "A", u.s, u.n);           /* 3: names sort first, */
    add(ctx, doc, "B", near.s, near.n);     /* 4: Jaccard decides */
    res = find(ctx);
    check_pairs(res, 5);
    assert_int_equal(dupfind_results_count(res), 4);
    for (i = 0; i < 4; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        assert_int_equal(p->a, want[i][0]);
        assert_int_equal(p->b, want[i][1]);
        assert_true(i == 3 ? p->jaccard < 1.0 : p->jaccard == 1.0);
    }
    assert_null(dupfind_results_pair(res, 4));
    assert_null(dupfind_results_pair(res, (size_t)-1));
    assert_null(dupfind_results_pair(NULL, 0));
    assert_int_equal(dupfind_results_count(NULL), 0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
    free(u.s);
    free(near.s);
}

/* Candidates are unfiltered, in (a, b) order; selecting them gives what
 * find gives. */
static void test_candidates_then_select(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *cand, *res;
    text t = { 0 };
    test_rng r = { 8 };
    size_t i, kept;
    int d;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (d = 0; d < 30; d++) {
        char name[16];

        snprintf(name, sizeof(name), "%02d", 29 - d);
        /* every third document repeats the one before */
        if (d % 3 != 2)
            random_words(&t, &r, 200, 2000);
        add(ctx, doc, name, t.s, t.n);
    }
    assert_int_equal(dupfind_ctx_candidates(ctx, &cand), 0);
    res = find(ctx);
    check_pairs(res, 30);
    assert_true(dupfind_results_count(cand) >= dupfind_results_count(res));
    assert_true(dupfind_results_count(res) >= 10);
    for (i = 0; i < dupfind_results_count(cand); i++) {
        const dupfind_pair *p = dupfind_results_pair(cand, i);

        assert_true(p->a < p->b);
        if (i) {
            const dupfind_pair *q = dupfind_results_pair(cand, i - 1);

            assert_true(q->a < p->a || (q->a == p->a && q->b < p->b));
        }
    }
    /* dupfind_pair_relation predicts what select keeps. */
    for (i = 0, kept = 0; i < dupfind_results_count(cand); i++)
        kept += dupfind_pair_relation(ctx, dupfind_results_pair(cand, i)) !=
                DUPFIND_REL_NONE;
    assert_int_equal(dupfind_results_select(cand, ctx), 0);
    assert_int_equal(dupfind_results_count(cand), dupfind_results_count(res));
    assert_int_equal(dupfind_results_count(cand), kept);
    for (i = 0; i < dupfind_results_count(cand); i++)
        assert_int_equal(
            dupfind_pair_relation(ctx, dupfind_results_pair(cand, i)),
            dupfind_results_pair(cand, i)->relation);
    for (i = 0; i < dupfind_results_count(res); i++)
        assert_memory_equal(dupfind_results_pair(cand, i),
                            dupfind_results_pair(res, i),
                            sizeof(dupfind_pair));
    dupfind_results_free(cand);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
}

/* dupfind_pair_relation at and around the thresholds. */
static void test_pair_relation(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx, *noc;
    dupfind_pair p;

    (void)state;
    dupfind_options_init(&o);
    o.threshold = 0.7;
    o.containment = 0.6;
    ctx = new_ctx(&o);
    o.containment = 0;
    noc = new_ctx(&o);
    memset(&p, 0, sizeof(p));
    p.a = 0;
    p.b = 1;
    p.jaccard = 0.7;
    p.a_in_b = p.b_in_a = 0.8;
    assert_int_equal(dupfind_pair_relation(ctx, &p), DUPFIND_REL_DUPLICATE);
    p.jaccard = 0.69;
    assert_int_equal(dupfind_pair_relation(ctx, &p), DUPFIND_REL_A_IN_B);
    assert_int_equal(dupfind_pair_relation(noc, &p), DUPFIND_REL_NONE);
    p.a_in_b = 0.3;
    p.b_in_a = 0.6;
    assert_int_equal(dupfind_pair_relation(ctx, &p), DUPFIND_REL_B_IN_A);
    p.b_in_a = 0.59;
    assert_int_equal(dupfind_pair_relation(ctx, &p), DUPFIND_REL_NONE);
    dupfind_ctx_free(ctx);
    dupfind_ctx_free(noc);
}

/* Clusters: transitive groups, numbered in order of their first
 * member's id; documents in no pair get 0. */
static void test_clusters(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    text x = { 0 }, y = { 0 }, z = { 0 };
    test_rng r = { 9 };
    uint32_t cl[8], n = 0, i;
    /* 0:z  1:Y  2:X  3:X  4:noise  5:Y  6:X  7:noise */
    static const uint32_t want[8] = { 0, 1, 2, 2, 0, 1, 2, 0 };

    (void)state;
    random_words(&x, &r, 300, 1000000);
    random_words(&y, &r, 300, 1000000);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    random_words(&z, &r, 300, 1000000);
    add(ctx, doc, "0", z.s, z.n);
    add(ctx, doc, "1", y.s, y.n);
    add(ctx, doc, "2", x.s, x.n);
    add(ctx, doc, "3", x.s, x.n);
    random_words(&z, &r, 300, 1000000);
    add(ctx, doc, "4", z.s, z.n);
    add(ctx, doc, "5", y.s, y.n);
    add(ctx, doc, "6", x.s, x.n);
    random_words(&z, &r, 300, 1000000);
    add(ctx, doc, "7", z.s, z.n);
    res = find(ctx);
    check_pairs(res, 8);
    assert_int_equal(dupfind_results_count(res), 4);
    memset(cl, 0xff, sizeof(cl));
    assert_int_equal(dupfind_results_clusters(res, 8, cl, &n), 0);
    assert_int_equal(n, 2);
    for (i = 0; i < 8; i++)
        assert_int_equal(cl[i], want[i]);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(x.s);
    free(y.s);
    free(z.s);
}

/* A chain a~b, b~c where a and c are not reported together still makes
 * one cluster (transitivity through the pairs). */
static void test_clusters_transitive(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    text a = { 0 }, b = { 0 }, c = { 0 };
    uint64_t w;
    uint32_t cl[3], n = 0;

    (void)state;
    /* words 0..299, 100..399, 200..499: neighbours have J = 196/396,
     * the ends J = 96/496; the threshold lets only neighbours pair */
    for (w = 0; w < 300; w++) {
        text_word(&a, w);
        text_word(&b, w + 100);
        text_word(&c, w + 200);
    }
    dupfind_options_init(&o);
    o.threshold = 0.35;
    o.containment = 0;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add(ctx, doc, "a", a.s, a.n);
    add(ctx, doc, "b", b.s, b.n);
    add(ctx, doc, "c", c.s, c.n);
    res = find(ctx);
    check_pairs(res, 3);
    assert_non_null(find_pair(res, 0, 1));
    assert_non_null(find_pair(res, 1, 2));
    assert_null(find_pair(res, 0, 2));
    assert_int_equal(dupfind_results_clusters(res, 3, cl, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cl[0], 1);
    assert_int_equal(cl[1], 1);
    assert_int_equal(cl[2], 1);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(a.s);
    free(b.s);
    free(c.s);
}

/* The same corpus twice gives identical results, bit for bit. */
static void test_determinism(void **state)
{
    dupfind_results *res[2];
    size_t i;
    int run;

    (void)state;
    for (run = 0; run < 2; run++) {
        dupfind_ctx *ctx = new_ctx(NULL);
        dupfind_doc *doc;
        text t = { 0 }, prev = { 0 };
        test_rng r = { 10 };
        int d;

        assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
        for (d = 0; d < 60; d++) {
            char name[16];

            snprintf(name, sizeof(name), "d%d", (d * 37) % 60);
            random_words(&t, &r, 150, 3000);
            if (d % 4 == 3 && prev.n) {
                /* two thirds of the previous document, then new
                 * words (half would be a containment of 0.49, just
                 * below the threshold: no pair) */
                prev.n = prev.n * 2 / 3;
                text_add(&prev, " ", 1);
                text_add(&prev, t.s, t.n / 3);
                add(ctx, doc, name, prev.s, prev.n);
            } else {
                add(ctx, doc, name, t.s, t.n);
            }
            prev.n = 0;
            text_add(&prev, t.s, t.n);
        }
        res[run] = find(ctx);
        check_pairs(res[run], 60);
        dupfind_doc_free(doc);
        dupfind_ctx_free(ctx);
        free(t.s);
        free(prev.s);
    }
    assert_true(dupfind_results_count(res[0]) > 0);
    assert_int_equal(dupfind_results_count(res[0]),
                     dupfind_results_count(res[1]));
    for (i = 0; i < dupfind_results_count(res[0]); i++)
        assert_memory_equal(dupfind_results_pair(res[0], i),
                            dupfind_results_pair(res[1], i),
                            sizeof(dupfind_pair));
    dupfind_results_free(res[0]);
    dupfind_results_free(res[1]);
}

/* The seed changes signatures, not what is found for clear cases. */
static void test_seed(void **state)
{
    dupfind_options o;
    uint32_t sig[2][128];
    int s;
    text t = { 0 };
    test_rng r = { 11 };

    (void)state;
    random_words(&t, &r, 200, 100000);
    for (s = 0; s < 2; s++) {
        dupfind_ctx *ctx;
        dupfind_doc *doc;
        dupfind_results *res;

        dupfind_options_init(&o);
        o.seed = (uint64_t)s * 0x123456789ULL;
        ctx = new_ctx(&o);
        assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
        add(ctx, doc, "a", t.s, t.n);
        memcpy(sig[s], dupfind_doc_signature(doc), sizeof(sig[s]));
        add(ctx, doc, "b", t.s, t.n);
        res = find(ctx);
        assert_int_equal(dupfind_results_count(res), 1);
        dupfind_results_free(res);
        dupfind_doc_free(doc);
        dupfind_ctx_free(ctx);
    }
    assert_true(memcmp(sig[0], sig[1], sizeof(sig[0])) != 0);
    free(t.s);
}

/* ------------------------------------------------------------------ */
/* Exact scores                                                         */
/* ------------------------------------------------------------------ */

static void test_similarity_exact(void **state)
{
    static const uint64_t a[] = { 1, 2, 3 }, b[] = { 2, 3, 4 };
    static const uint64_t c[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    static const uint64_t d[] = { 0, UINT64_MAX };
    static const struct {
        const uint64_t *x;
        size_t nx;
        const uint64_t *y;
        size_t ny;
        double j, xy, yx;
    } t[] = {
        { a, 0, b, 0, 0, 0, 0 },
        { a, 3, b, 0, 0, 0, 0 },
        { a, 0, b, 3, 0, 0, 0 },
        { a, 3, a, 3, 1, 1, 1 },
        { a, 3, b, 3, 0.5, 2.0 / 3, 2.0 / 3 },
        { a, 3, c, 8, 3.0 / 8, 1, 3.0 / 8 },
        { c, 8, a, 3, 3.0 / 8, 3.0 / 8, 1 },
        { d, 2, c, 8, 0, 0, 0 },
        { d, 2, d, 2, 1, 1, 1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        double j = -1, xy = -1, yx = -1;

        dupfind_similarity_exact(t[i].x, t[i].nx, t[i].y, t[i].ny, &j, &xy,
                                 &yx);
        assert_true(fabs(j - t[i].j) < 1e-12);
        assert_true(fabs(xy - t[i].xy) < 1e-12);
        assert_true(fabs(yx - t[i].yx) < 1e-12);
    }
}

/* set_exact replaces the estimate by the exact scores. */
/* Two small documents (at most 256 shingles each) added with their
 * samples, which are all their shingles, are scored from them: exactly
 * the scores of their shingle sets, without reading them again; added
 * without samples, the same pairs get MinHash estimates.  Pairs near
 * the threshold too: shared parts of 40 .. 160 of 200 words. */
static void test_small_docs_scored_from_samples(void **state)
{
    dupfind_ctx *c1 = new_ctx(NULL);
    dupfind_doc *da, *db;
    text t = { 0 }, u = { 0 }, tail = { 0 };
    test_rng r = { 29 };
    size_t shared, i, k, estimated = 0, certain = 0;

    (void)state;
    assert_int_equal(dupfind_doc_new(&da, c1), 0);
    assert_int_equal(dupfind_doc_new(&db, c1), 0);
    for (shared = 40; shared <= 160; shared += 10) {
        const uint64_t *sa, *sb;
        const uint32_t *sample;
        size_t na, nb, ns;
        unsigned shift;
        double j, ab, ba;
        dupfind_results *r1, *r2;
        dupfind_ctx *x1 = new_ctx(NULL), *x2 = new_ctx(NULL);

        /* t: 200 words; u: its first `shared`, then others */
        random_words(&t, &r, 200, 100000);
        random_words(&tail, &r, 200 - shared, 100000);
        for (i = 0, k = 0; i < t.n && k < shared; i++)
            k += t.s[i] == ' ';
        u.n = 0;
        text_add(&u, t.s, i);
        text_add(&u, tail.s, tail.n);
        build(da, t.s, t.n, 0);
        build(db, u.s, u.n, 0);
        dupfind_doc_sample(da, &sample, &ns, &shift);
        assert_int_equal(shift, 0);
        assert_int_equal(ns, dupfind_doc_shingle_count(da));
        assert_int_equal(dupfind_ctx_add(x1, NULL, "t", 1, da), 0);
        assert_int_equal(dupfind_ctx_add(x1, NULL, "u", 1, db), 0);
        assert_int_equal(dupfind_ctx_add_signature(
                             x2, NULL, "t", 1, dupfind_doc_signature(da),
                             dupfind_doc_shingle_count(da)), 0);
        assert_int_equal(dupfind_ctx_add_signature(
                             x2, NULL, "u", 1, dupfind_doc_signature(db),
                             dupfind_doc_shingle_count(db)), 0);
        assert_int_equal(dupfind_doc_shingles(da, &sa, &na), 0);
        assert_int_equal(dupfind_doc_shingles(db, &sb, &nb), 0);
        dupfind_similarity_exact(sa, na, sb, nb, &j, &ab, &ba);
        assert_int_equal(dupfind_ctx_candidates(x1, &r1), 0);
        assert_int_equal(dupfind_ctx_candidates(x2, &r2), 0);
        if (dupfind_results_count(r1)) {
            const dupfind_pair *p = dupfind_results_pair(r1, 0);

            assert_int_equal(p->exact, 0);
            if (!p->uncertain) {
                certain++;
                assert_true(fabs(p->jaccard - j) < 1e-12);
                assert_true(fabs(p->a_in_b - ab) < 1e-12);
                assert_true(fabs(p->b_in_a - ba) < 1e-12);
            }
        } else {
            /* dropped: surely below both thresholds of 0.5 */
            assert_true(j < 0.5 && ab < 0.5 && ba < 0.5);
        }
        if (dupfind_results_count(r2)) {
            const dupfind_pair *p = dupfind_results_pair(r2, 0);

            estimated += fabs(p->jaccard - j) > 1e-9;
        }
        dupfind_results_free(r1);
        dupfind_results_free(r2);
        dupfind_ctx_free(x1);
        dupfind_ctx_free(x2);
    }
    /* without samples, estimates (not one of them is exact by luck) */
    assert_true(estimated > 5);
    assert_true(certain > 5);
    dupfind_doc_free(da);
    dupfind_doc_free(db);
    dupfind_ctx_free(c1);
    free(t.s);
    free(u.s);
    free(tail.s);
}

static void test_set_exact(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *da, *db;
    dupfind_results *res;
    const dupfind_pair *p;
    const uint64_t *sa, *sb;
    size_t na, nb;
    text t = { 0 }, u = { 0 };
    test_rng r = { 13 };
    double j, ab, ba;

    (void)state;
    /* u is t and 40 more words */
    random_words(&u, &r, 40, 100000);
    random_words(&t, &r, 400, 100000);
    {
        text more = { 0 };

        text_add(&more, u.s, u.n);
        u.n = 0;
        text_add(&u, t.s, t.n);
        text_add(&u, " ", 1);
        text_add(&u, more.s, more.n);
        free(more.s);
    }
    assert_int_equal(dupfind_doc_new(&da, ctx), 0);
    assert_int_equal(dupfind_doc_new(&db, ctx), 0);
    add(ctx, da, "t", t.s, t.n);
    add(ctx, db, "u", u.s, u.n);
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 1);
    assert_int_equal(dupfind_doc_shingles(da, &sa, &na), 0);
    assert_int_equal(dupfind_doc_shingles(db, &sb, &nb), 0);
    assert_int_equal(dupfind_results_set_exact(res, 0, sa, na, sb, nb), 0);
    p = dupfind_results_pair(res, 0);
    dupfind_similarity_exact(sa, na, sb, nb, &j, &ab, &ba);
    assert_int_equal(p->exact, 1);
    assert_int_equal(p->uncertain, 0);
    assert_true(p->jaccard == j);
    assert_true(p->a_in_b == ab);
    assert_true(p->b_in_a == ba);
    /* t is inside u: 396 shingles of u's 436 */
    assert_int_equal(na, 396);
    assert_int_equal(nb, 436);
    assert_true(ab == 1.0);
    assert_true(fabs(j - 396.0 / 436.0) < 1e-12);
    assert_int_equal(dupfind_results_set_exact(res, 1, sa, na, sb, nb),
                     DUPFIND_EINVAL);
    assert_int_equal(dupfind_results_set_exact(NULL, 0, sa, na, sb, nb),
                     DUPFIND_EINVAL);
    /* the same scores from the count of shared shingles */
    assert_int_equal(dupfind_results_set_exact_shared(res, 0, 396, na, nb),
                     0);
    assert_true(p->jaccard == j && p->a_in_b == ab && p->b_in_a == ba);
    assert_int_equal(dupfind_results_set_exact_shared(res, 0, 397, na, nb),
                     DUPFIND_EINVAL);
    assert_int_equal(dupfind_results_set_exact_shared(res, 1, 1, na, nb),
                     DUPFIND_EINVAL);
    dupfind_results_free(res);
    dupfind_doc_free(da);
    dupfind_doc_free(db);
    dupfind_ctx_free(ctx);
    free(t.s);
    free(u.s);
}

/* ------------------------------------------------------------------ */
/* Corpus bookkeeping                                                   */
/* ------------------------------------------------------------------ */

/* Shared values by merge, the reference for the index. */
static uint64_t shared_ref(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb)
{
    size_t i = 0, j = 0;
    uint64_t n = 0;

    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            n++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Sorted distinct random values, some of them from pool (to share). */
static size_t random_set(uint64_t *out, size_t n, const uint64_t *pool,
                         size_t npool, test_rng *r)
{
    size_t i, w = 0;

    for (i = 0; i < n; i++)
        out[i] = npool && rng_below(r, 2) ? pool[rng_below(r, npool)]
                                          : rng_next(r);
    qsort(out, n, sizeof(*out), cmp_u64);
    for (i = 0; i < n; i++)
        if (w == 0 || out[w - 1] != out[i])
            out[w++] = out[i];
    return w;
}

/* dupfind_set_index_shared counts what a merge counts, for indexed sets
 * of 0 to 200,000 values (extremes 0 and UINT64_MAX included) and
 * partners of any size. */
static void test_set_index(void **state)
{
    static const size_t sizes[] = { 0, 1, 2, 3, 100, 5000, 200000 };
    uint64_t *big = malloc(200002 * sizeof(*big));
    uint64_t *small = malloc(3000 * sizeof(*small));
    test_rng r = { 21 };
    size_t si, rep;

    (void)state;
    assert_non_null(big);
    assert_non_null(small);
    for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        size_t nbig = random_set(big, sizes[si], NULL, 0, &r);
        dupfind_set_index *ix = NULL;

        if (nbig >= 2) {       /* the extremes */
            big[0] = 0;
            big[nbig - 1] = UINT64_MAX;
        }
        assert_int_equal(dupfind_set_index_new(&ix, big, nbig), 0);
        for (rep = 0; rep < 20; rep++) {
            size_t ns = random_set(small, rng_below(&r, 3000), big, nbig,
                                   &r);

            if (rep == 0 && ns && nbig >= 2) {
                small[0] = 0;
                small[ns - 1] = UINT64_MAX;
            }
            assert_int_equal(dupfind_set_index_shared(ix, small, ns),
                             shared_ref(big, nbig, small, ns));
        }
        assert_int_equal(dupfind_set_index_shared(ix, big, nbig), nbig);
        dupfind_set_index_free(ix);
    }
    dupfind_set_index_free(NULL);
    free(big);
    free(small);
}

static void test_names_and_counts(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    uint32_t id;
    size_t len = 99;
    const char *name;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    build(doc, "one two three four five six seven", 33, 0);
    assert_int_equal(dupfind_ctx_add(ctx, &id, "first", 5, doc), 0);
    assert_int_equal(id, 0);
    assert_int_equal(dupfind_ctx_add(ctx, &id, "", 0, doc), 0);
    assert_int_equal(id, 1);
    assert_int_equal(dupfind_ctx_add(ctx, &id, "a\0b", 3, doc), 0);
    assert_int_equal(id, 2);
    assert_int_equal(dupfind_ctx_add(ctx, NULL, "last-one", 4, doc), 0);
    assert_int_equal(dupfind_ctx_doc_count(ctx), 4);

    name = dupfind_ctx_doc_name(ctx, 0, &len);
    assert_int_equal(len, 5);
    assert_string_equal(name, "first");
    name = dupfind_ctx_doc_name(ctx, 1, &len);
    assert_int_equal(len, 0);
    assert_string_equal(name, "");
    name = dupfind_ctx_doc_name(ctx, 2, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(name, "a\0b", 4);
    name = dupfind_ctx_doc_name(ctx, 3, NULL);
    assert_string_equal(name, "last");
    assert_null(dupfind_ctx_doc_name(ctx, 4, &len));
    assert_int_equal(dupfind_ctx_doc_shingles(ctx, 0), 3);
    assert_int_equal(dupfind_ctx_doc_shingles(ctx, 3), 3);
    assert_int_equal(dupfind_ctx_doc_shingles(ctx, 4), 0);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* Many documents: the corpus grows past its first allocation. */
static void test_many_documents(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *res;
    text t = { 0 };
    test_rng r = { 14 };
    uint32_t i;
    char name[16];

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof(name), "n%u", i);
        if (i != 777)
            random_words(&t, &r, 30, 1000000);
        add(ctx, doc, name, t.s, t.n);     /* 777 repeats 776 */
    }
    assert_int_equal(dupfind_ctx_doc_count(ctx), 1000);
    assert_string_equal(dupfind_ctx_doc_name(ctx, 999, NULL), "n999");
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 1);
    assert_int_equal(dupfind_results_pair(res, 0)->a, 776);
    assert_int_equal(dupfind_results_pair(res, 0)->b, 777);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
}

/* An empty corpus. */
static void test_empty_corpus(void **state)
{
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_results *res;
    uint32_t n = 99, cl[1];

    (void)state;
    res = find(ctx);
    assert_int_equal(dupfind_results_count(res), 0);
    assert_int_equal(dupfind_results_clusters(res, 0, cl, &n), 0);
    assert_int_equal(n, 0);
    dupfind_results_free(res);
    dupfind_ctx_free(ctx);
}

/* Character shingles: a typo in a sentence still pairs, case and
 * width do not matter. */
static void test_char_shingles(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    const char *s1 = "The quick brown fox jumps over the lazy dog while the "
                     "cat sleeps on the warm windowsill all afternoon long.";
    const char *s2 = "the quick brown fox jumps over the lazy dgo while the "
                     "cat sleeps on the warm windowsill all afternoon long";
    const char *s3 = "\xEF\xBC\xB4" "HE QUICK BROWN FOX JUMPS OVER THE LAZY "
                     "DOG WHILE THE CAT SLEEPS ON THE WARM WINDOWSILL ALL "
                     "AFTERNOON LONG";
    const dupfind_pair *p;

    (void)state;
    dupfind_options_init(&o);
    o.shingle_kind = DUPFIND_SHINGLE_CHARS;
    o.shingle_len = 4;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add_str(ctx, doc, "s1", s1);
    assert_int_equal(dupfind_doc_token_count(doc), strlen(s1) - 1);
    add_str(ctx, doc, "s2", s2);
    add_str(ctx, doc, "s3", s3);
    add_str(ctx, doc, "other", "Completely different words about "
            "something else entirely, such as numbers 12345 and 67890.");
    res = find(ctx);
    check_pairs(res, 4);
    p = find_pair(res, 0, 2);
    assert_non_null(p);
    assert_true(p->jaccard == 1.0);
    p = find_pair(res, 0, 1);
    assert_non_null(p);
    assert_true(p->jaccard > 0.7 && p->jaccard < 1.0);
    assert_null(find_pair(res, 0, 3));
    assert_null(find_pair(res, 1, 3));
    assert_null(find_pair(res, 2, 3));
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* Character shingles on text without spaces (Chinese): a one-character
 * change still pairs, other text does not. */
static void test_char_shingles_cjk(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    const dupfind_pair *p;
    const char *a = "我们今天在公园里散步，看到很多人在湖边钓鱼和下棋，"
                    "天气非常好，大家都很开心。";
    const char *b = "我们今天在公园里散步，看到很多人在湖边钓鱼和下棋，"
                    "天气非常好，大家都很高兴。";
    const char *c = "明天的会议改到下午三点，请各部门负责人准时参加并"
                    "准备好季度报告。";

    (void)state;
    dupfind_options_init(&o);
    o.shingle_kind = DUPFIND_SHINGLE_CHARS;
    o.shingle_len = 3;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add_str(ctx, doc, "a", a);
    add_str(ctx, doc, "b", b);
    add_str(ctx, doc, "c", c);
    res = find(ctx);
    check_pairs(res, 3);
    assert_int_equal(dupfind_results_count(res), 1);
    p = dupfind_results_pair(res, 0);
    assert_int_equal(p->a, 0);
    assert_int_equal(p->b, 1);
    assert_true(p->jaccard > 0.7 && p->jaccard < 1.0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
}

/* Threshold 1: only documents with equal shingle sets pair. */
static void test_threshold_one(void **state)
{
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    text t = { 0 }, u = { 0 };
    test_rng r = { 17 };

    (void)state;
    random_words(&u, &r, 30, 1000000);
    random_words(&t, &r, 300, 1000000);
    {
        text more = { 0 };

        text_add(&more, u.s, u.n);
        u.n = 0;
        text_add(&u, t.s, t.n);
        text_add(&u, " ", 1);
        text_add(&u, more.s, more.n);
        free(more.s);
    }
    dupfind_options_init(&o);
    o.threshold = 1.0;
    o.containment = 0;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    add(ctx, doc, "t", t.s, t.n);
    /* 30 shingles more: J = 296/326, so some slot differs for sure
     * (one more shingle only would give J = 296/297, and all 128 slots
     * equal two times in three: an estimate cannot tell that from 1) */
    add(ctx, doc, "u", u.s, u.n);
    add(ctx, doc, "T", t.s, t.n);
    res = find(ctx);
    check_pairs(res, 3);
    assert_int_equal(dupfind_results_count(res), 1);
    assert_int_equal(dupfind_results_pair(res, 0)->a, 0);
    assert_int_equal(dupfind_results_pair(res, 0)->b, 2);
    assert_true(dupfind_results_pair(res, 0)->jaccard == 1.0);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);
    free(t.s);
    free(u.s);
}

/* Candidates near the threshold are marked uncertain; after
 * set_exact the selection follows the exact Jaccard. */
static void test_uncertain_then_exact(void **state)
{
    enum { N = 16 };
    dupfind_ctx *ctx = new_ctx(NULL);
    dupfind_doc *docs[N];
    dupfind_results *res;
    text base = { 0 }, t = { 0 };
    test_rng r = { 18 };
    uint64_t words[300];
    size_t i, uncertain = 0;
    int d;

    (void)state;
    for (i = 0; i < 300; i++)
        words[i] = rng_below(&r, 1000000);
    for (i = 0; i < 300; i++)
        text_word(&base, words[i]);
    /* base, and copies with 8..22 words changed: J around 0.5 */
    for (d = 0; d < N; d++) {
        char name[8];
        size_t changes = d == 0 ? 0 : 8 + (size_t)d;

        t.n = 0;
        for (i = 0; i < 300; i++)
            text_word(&t, (i % (300 / (changes + 1)) == 5 && changes)
                              ? 9000000 + (uint64_t)d * 1000 + i : words[i]);
        snprintf(name, sizeof(name), "d%02d", d);
        assert_int_equal(dupfind_doc_new(&docs[d], ctx), 0);
        add(ctx, docs[d], name, t.s, t.n);
    }
    assert_int_equal(dupfind_ctx_candidates(ctx, &res), 0);
    for (i = 0; i < dupfind_results_count(res); i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);
        const uint64_t *sa, *sb;
        size_t na, nb;
        double j, ab, ba;

        if (!p->uncertain)
            continue;
        uncertain++;
        assert_int_equal(p->exact, 0);
        assert_int_equal(dupfind_doc_shingles(docs[p->a], &sa, &na), 0);
        assert_int_equal(dupfind_doc_shingles(docs[p->b], &sb, &nb), 0);
        assert_int_equal(dupfind_results_set_exact(res, i, sa, na, sb, nb),
                         0);
        dupfind_similarity_exact(sa, na, sb, nb, &j, &ab, &ba);
        assert_true(p->jaccard == j);
        assert_int_equal(p->exact, 1);
        assert_int_equal(p->uncertain, 0);
    }
    assert_true(uncertain > 0);
    assert_int_equal(dupfind_results_select(res, ctx), 0);
    check_pairs(res, N);
    for (i = 0; i < dupfind_results_count(res); i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        if (p->exact && p->relation == DUPFIND_REL_DUPLICATE)
            assert_true(p->jaccard >= 0.5);
    }
    dupfind_results_free(res);
    for (d = 0; d < N; d++)
        dupfind_doc_free(docs[d]);
    dupfind_ctx_free(ctx);
    free(base.s);
    free(t.s);
}

/* A signature copied out of a builder and added later equals adding the
 * builder itself. */
static void test_add_signature(void **state)
{
    dupfind_ctx *c1 = new_ctx(NULL), *c2 = new_ctx(NULL);
    dupfind_doc *doc;
    dupfind_results *r1, *r2;
    text t = { 0 };
    test_rng r = { 15 };
    int d;
    size_t i;

    (void)state;
    assert_int_equal(dupfind_doc_new(&doc, c1), 0);
    for (d = 0; d < 12; d++) {
        uint32_t sig[128], id1, id2;
        uint64_t count;
        char name[8];

        snprintf(name, sizeof(name), "d%d", d);
        if (d % 3 != 1)
            random_words(&t, &r, 100, 3000);
        build(doc, t.s, t.n, 0);
        memcpy(sig, dupfind_doc_signature(doc), sizeof(sig));
        count = dupfind_doc_shingle_count(doc);
        assert_int_equal(dupfind_ctx_add(c1, &id1, name, strlen(name), doc),
                         0);
        dupfind_doc_reset(doc);          /* the copy must not need doc */
        assert_int_equal(dupfind_ctx_add_signature(c2, &id2, name,
                                                   strlen(name), sig,
                                                   count), 0);
        assert_int_equal(id1, id2);
        assert_int_equal(dupfind_ctx_doc_shingles(c2, id2), count);
    }
    r1 = find(c1);
    r2 = find(c2);
    assert_true(dupfind_results_count(r1) >= 4);
    assert_int_equal(dupfind_results_count(r1), dupfind_results_count(r2));
    for (i = 0; i < dupfind_results_count(r1); i++)
        assert_memory_equal(dupfind_results_pair(r1, i),
                            dupfind_results_pair(r2, i),
                            sizeof(dupfind_pair));
    dupfind_results_free(r1);
    dupfind_results_free(r2);
    dupfind_doc_free(doc);
    dupfind_ctx_free(c1);
    dupfind_ctx_free(c2);
    free(t.s);
}

/* The list of kernels ends with "scalar", names the kernel AUTO picks,
 * and is truncated like snprintf. */
static void test_simd_kernels(void **state)
{
    char buf[128], small[8];
    size_t n, m;
    dupfind_options o;
    dupfind_ctx *ctx;

    (void)state;
    n = dupfind_simd_kernels(buf, sizeof(buf));
    assert_true(n > 0 && n < sizeof(buf));
    assert_int_equal(strlen(buf), n);
    assert_true(n >= 6 && strcmp(buf + n - 6, "scalar") == 0);
    ctx = new_ctx(NULL);
    /* AUTO takes the best: the first name of the list */
    assert_int_equal(strncmp(buf, dupfind_ctx_simd_name(ctx),
                             strlen(dupfind_ctx_simd_name(ctx))), 0);
    dupfind_ctx_free(ctx);
    dupfind_options_init(&o);
    o.simd = DUPFIND_SIMD_SCALAR;
    ctx = new_ctx(&o);
    assert_string_equal(dupfind_ctx_simd_name(ctx), "scalar");
    dupfind_ctx_free(ctx);

    assert_int_equal(dupfind_simd_kernels(NULL, 0), n);
    memset(small, 'x', sizeof(small));
    m = dupfind_simd_kernels(small, 4);
    assert_int_equal(m, n);
    assert_memory_equal(small, buf, 3);
    assert_int_equal(small[3], '\0');
    assert_int_equal(small[4], 'x');
    m = dupfind_simd_kernels(small, 1);
    assert_int_equal(m, n);
    assert_int_equal(small[0], '\0');
}

/* --ignore-common: shingles in more than max_docs documents are left
 * out of the signatures and counts, so documents that share only
 * boilerplate stop pairing; the rest is untouched. */
static void test_ignore_common(void **state)
{
    enum { NB = 6 };
    text boiler = { 0 }, uniq = { 0 }, x = { 0 }, docs[NB + 2];
    test_rng r = { 16 };
    dupfind_df *df;
    dupfind_ctx *ctx;
    dupfind_doc *doc;
    dupfind_results *res;
    int d, pass;

    (void)state;
    memset(docs, 0, sizeof(docs));
    random_words(&boiler, &r, 200, 1000000);
    random_words(&x, &r, 300, 1000000);
    for (d = 0; d < NB; d++) {
        random_words(&uniq, &r, 100, 1000000);
        text_add(&docs[d], boiler.s, boiler.n);
        text_add(&docs[d], " ", 1);
        text_add(&docs[d], uniq.s, uniq.n);
    }
    text_add(&docs[NB], x.s, x.n);
    text_add(&docs[NB + 1], x.s, x.n);

    /* pass 1: document frequencies */
    assert_int_equal(dupfind_df_new(&df), 0);
    ctx = new_ctx(NULL);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    for (d = 0; d < NB + 2; d++) {
        build(doc, docs[d].s, docs[d].n, 0);
        dupfind_df_add(df, doc);
    }
    assert_int_equal(dupfind_df_docs(df), NB + 2);
    /* without ignoring, the boilerplate pairs the first NB documents */
    for (d = 0; d < NB + 2; d++)
        add(ctx, doc, "d", docs[d].s, docs[d].n);
    res = find(ctx);
    assert_true(dupfind_results_count(res) > 1);
    dupfind_results_free(res);
    dupfind_doc_free(doc);
    dupfind_ctx_free(ctx);

    /* pass 2: max_docs 2 drops the boilerplate (in 6 documents) and
     * keeps the x shingles (in 2); max_docs 6 keeps everything */
    for (pass = 0; pass < 2; pass++) {
        uint64_t max_docs = pass ? NB : 2;

        ctx = new_ctx(NULL);
        assert_int_equal(dupfind_ctx_ignore_common(ctx, df, max_docs), 0);
        assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
        for (d = 0; d < NB + 2; d++) {
            const uint64_t *sh;
            size_t n, i;

            add(ctx, doc, "d", docs[d].s, docs[d].n);
            /* 300 words: 296 shingles, 196 of them all boilerplate */
            assert_int_equal(dupfind_doc_shingle_count(doc),
                             d < NB && !pass ? 100 : 296);
            assert_int_equal(dupfind_doc_shingles(doc, &sh, &n), 0);
            assert_int_equal(n, dupfind_doc_shingle_count(doc));
            for (i = 1; i < n; i++)
                assert_true(sh[i - 1] < sh[i]);
        }
        res = find(ctx);
        check_pairs(res, NB + 2);
        if (!pass) {
            assert_int_equal(dupfind_results_count(res), 1);
            assert_int_equal(dupfind_results_pair(res, 0)->a, NB);
            assert_int_equal(dupfind_results_pair(res, 0)->b, NB + 1);
        } else {
            assert_true(dupfind_results_count(res) > 1);
        }
        dupfind_results_free(res);
        dupfind_doc_free(doc);
        dupfind_ctx_free(ctx);
    }
    dupfind_df_free(df);
    for (d = 0; d < NB + 2; d++)
        free(docs[d].s);
    free(boiler.s);
    free(uniq.s);
    free(x.s);
}

/* ------------------------------------------------------------------ */
/* Accuracy                                                             */
/* ------------------------------------------------------------------ */

/* Statistical check through documents (shingle_len 1, so the shingles
 * are the distinct words): over 400 pairs with known exact Jaccard in
 * 0.1..0.9, the estimate is unbiased and ~95% of estimates are within 2
 * standard errors sqrt(J(1-J)/k).  Fixed seed: deterministic. */
static void test_estimate_accuracy(void **state)
{
    enum { K = 128, PAIRS = 400 };
    dupfind_options o;
    dupfind_ctx *ctx;
    dupfind_doc *da, *db;
    text a = { 0 }, b = { 0 };
    test_rng r = { 0xacc };
    uint64_t next_word = 0;
    double sum_err = 0;
    unsigned within = 0, pair;

    (void)state;
    dupfind_options_init(&o);
    o.shingle_len = 1;
    ctx = new_ctx(&o);
    assert_int_equal(dupfind_doc_new(&da, ctx), 0);
    assert_int_equal(dupfind_doc_new(&db, ctx), 0);
    for (pair = 0; pair < PAIRS; pair++) {
        size_t un = 100 + (size_t)rng_below(&r, 500), i;
        double jt = 0.1 + 0.8 * rng_unit(&r), j, est, se, jx, ab, ba;
        size_t inter = (size_t)(jt * (double)un + 0.5);
        const uint32_t *sa, *sb;
        const uint64_t *xa, *xb;
        size_t nxa, nxb;
        unsigned eq = 0, s;

        if (inter < 1)
            inter = 1;
        a.n = b.n = 0;
        for (i = 0; i < un; i++) {
            uint64_t w = next_word++;

            if (i < inter) {
                text_word(&a, w);
                text_word(&b, w);
            } else if (rng_below(&r, 2)) {
                text_word(&a, w);
            } else {
                text_word(&b, w);
            }
        }
        j = (double)inter / (double)un;
        build(da, a.s, a.n, 0);
        build(db, b.s, b.n, 0);
        /* the exact score agrees with the construction */
        assert_int_equal(dupfind_doc_shingles(da, &xa, &nxa), 0);
        assert_int_equal(dupfind_doc_shingles(db, &xb, &nxb), 0);
        dupfind_similarity_exact(xa, nxa, xb, nxb, &jx, &ab, &ba);
        assert_true(fabs(jx - j) < 1e-12);
        sa = dupfind_doc_signature(da);
        sb = dupfind_doc_signature(db);
        for (s = 0; s < K; s++)
            eq += sa[s] == sb[s];
        est = (double)eq / K;
        se = sqrt(j * (1 - j) / K);
        sum_err += est - j;
        within += fabs(est - j) <= 2 * se;
    }
    print_message("documents: mean error %.4f, within 2 SE %u/%u\n",
                  sum_err / PAIRS, within, PAIRS);
    assert_true(fabs(sum_err / PAIRS) < 0.01);
    assert_true(within >= (unsigned)(0.93 * PAIRS));
    dupfind_doc_free(da);
    dupfind_doc_free(db);
    dupfind_ctx_free(ctx);
    free(a.s);
    free(b.s);
}

/* ------------------------------------------------------------------ */
/* Known bugs                                                           */
/* ------------------------------------------------------------------ */

/* dupfind_doc_shingles() called before dupfind_doc_finish() caches the
 * sorted set; finish may still add the short shingle of a document with
 * fewer than shingle_len tokens, but does not invalidate the cache, so
 * the next call returns stale values (count 1, contents from before). */
static void test_shingles_after_finish_not_stale(void **state)
{
    dupfind_ctx *ctx;
    dupfind_doc *doc, *fresh;
    const uint64_t *sh, *want;
    size_t n, nwant;
    const char *big = "one two three four five six seven eight";

    (void)state;
    ctx = new_ctx(NULL);
    assert_int_equal(dupfind_doc_new(&doc, ctx), 0);
    assert_int_equal(dupfind_doc_new(&fresh, ctx), 0);
    build(fresh, "alpha beta", 10, 0);
    assert_int_equal(dupfind_doc_shingles(fresh, &want, &nwant), 0);
    assert_int_equal(nwant, 1);

    /* fill the cache with another document's shingles */
    build(doc, big, strlen(big), 0);
    assert_int_equal(dupfind_doc_shingles(doc, &sh, &n), 0);
    assert_int_equal(n, 4);
    /* a short document: look at the shingles before and after finish */
    dupfind_doc_reset(doc);
    assert_int_equal(dupfind_doc_feed(doc, "alpha beta", 10), 0);
    assert_int_equal(dupfind_doc_shingles(doc, &sh, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(dupfind_doc_finish(doc), 0);
    assert_int_equal(dupfind_doc_shingle_count(doc), 1);
    assert_int_equal(dupfind_doc_shingles(doc, &sh, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(sh[0], want[0]);
    dupfind_doc_free(doc);
    dupfind_doc_free(fresh);
    dupfind_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_defaults),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_options_validation),
        cmocka_unit_test(test_options_bands_rows),
        cmocka_unit_test(test_doc_shingles),
        cmocka_unit_test(test_doc_streaming_and_reuse),
        cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_short_documents),
        cmocka_unit_test(test_identical_documents),
        cmocka_unit_test(test_unrelated_documents),
        cmocka_unit_test(test_near_duplicate),
        cmocka_unit_test(test_containment),
        cmocka_unit_test(test_result_order),
        cmocka_unit_test(test_candidates_then_select),
        cmocka_unit_test(test_pair_relation),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_clusters_transitive),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_similarity_exact),
        cmocka_unit_test(test_set_exact),
        cmocka_unit_test(test_small_docs_scored_from_samples),
        cmocka_unit_test(test_set_index),
        cmocka_unit_test(test_names_and_counts),
        cmocka_unit_test(test_many_documents),
        cmocka_unit_test(test_empty_corpus),
        cmocka_unit_test(test_char_shingles),
        cmocka_unit_test(test_char_shingles_cjk),
        cmocka_unit_test(test_threshold_one),
        cmocka_unit_test(test_uncertain_then_exact),
        cmocka_unit_test(test_add_signature),
        cmocka_unit_test(test_simd_kernels),
        cmocka_unit_test(test_ignore_common),
        cmocka_unit_test(test_estimate_accuracy),
        cmocka_unit_test(test_shingles_after_finish_not_stale),
    };

    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
