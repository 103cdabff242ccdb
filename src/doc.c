/*
 * doc.c - the document builder: streams bytes through tokenizer and
 * shingler into the distinct-shingle set and the MinHash signature.
 * Repeated shingles are dropped by the set before they reach the kernel,
 * so only distinct ones cost a signature update.  A document with more
 * than DOC_SET_LIMIT distinct shingles leaves the hash set for a plain
 * array, sorted and deduplicated at the end (see ctx.h).
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "df.h"
#include "internal.h"
#include "sort.h"

/* Distinct shingles held in the hash set: its table (2 slots a shingle,
 * 8 bytes a slot) stays within 256 KiB, in the L2 cache.  Past that,
 * every probe of a larger table misses, which made the few documents of
 * 100 KiB and more a third of the time on a corpus of 100 MB. */
#define DOC_SET_LIMIT 16384
/* Entries of the big-document array kept from one document to the next
 * (32 MiB); a larger one is given back. */
#define DOC_VEC_KEEP ((size_t)1 << 22)

static int is_common(const dupfind_doc *d, uint64_t h)
{
    return d->ctx->df && df_estimate(d->ctx->df, h) > d->ctx->df_max;
}

/* Appends the members of h[0 .. n), new distinct shingles, that are in
 * the sample: all of them up to the DOC_SAMPLE_ALL-th, then those
 * DOC_IN_SAMPLE picks (and only those picked are kept from before). */
static void sample_add(dupfind_doc *d, const uint64_t *h, size_t n)
{
    size_t i, w, v = 0;

    if (DF_GROW(d->samp, d->samp_cap, d->samp_len + n) < 0) {
        d->err = DUPFIND_ENOMEM;
        return;
    }
    w = d->samp_len;
    if (d->samp_all) {
        memcpy(d->samp + w, h, n * sizeof(*h));
        w += n;
        if (w > DOC_SAMPLE_ALL) {
            for (i = 0; i < w; i++) {
                d->samp[v] = d->samp[i];
                v += DOC_IN_SAMPLE(d->samp[i]);
            }
            w = v;
            d->samp_all = 0;
        }
    } else {
        for (i = 0; i < n; i++) {   /* one in 16: no branch to miss */
            d->samp[w] = h[i];
            w += DOC_IN_SAMPLE(h[i]);
        }
    }
    d->samp_len = w;
}

static void flush_batch(dupfind_doc *d)
{
    if (d->nbatch) {
        sample_add(d, d->batch, d->nbatch);
        d->ctx->kernel(&d->ctx->sp, d->sig, d->batch, d->nbatch);
        d->nbatch = 0;
    }
}

/* The sample of a finished document as it is kept (ctx.h): the low 32
 * bits of the hashes sample_add took, sorted, without repeats; shift 0
 * when they are all of its shingles. */
static int sample_settle(dupfind_doc *d)
{
    size_t i, m = d->samp_len, n, w = 0;

    d->samp_shift = d->samp_all ? 0 : DOC_SAMPLE_SHIFT;
    if (DF_GROW(d->sorted, d->sorted_cap, m + 1) < 0 ||
        DF_GROW(d->samp32, d->samp32_cap, m + 1) < 0)
        return DUPFIND_ENOMEM;
    /* Sorted by their low halves, moved to the top (zeros, which the
     * sort skips, come first). */
    for (i = 0; i < m; i++)
        d->samp[i] = (uint64_t)(uint32_t)d->samp[i] << 32;
    n = sort_hashes_u64(d->samp, m, d->sorted);
    if (n < m)
        d->samp32[w++] = 0;
    for (i = 0; i < n; i++) {
        uint32_t x = (uint32_t)(d->sorted[i] >> 32);

        if (w == 0 || d->samp32[w - 1] != x)
            d->samp32[w++] = x;
    }
    d->samp32_len = w;
    return 0;
}

/* The set has grown past DOC_SET_LIMIT: its shingles (already in the
 * signature) move to vec, where the rest will be appended, in table
 * order: vec_settle sorts them all once at the end. */
static void go_big(dupfind_doc *d)
{
    if (DF_GROW(d->vec, d->vec_cap, 4 * (size_t)d->set.count + 1) < 0) {
        d->err = DUPFIND_ENOMEM;
        return;
    }
    d->vec_len = shingle_set_values(&d->set, d->vec);
    d->vec_settled = 0;
    d->ignored = 0;           /* counted again once settled */
    d->samp_len = 0;          /* taken again from the settled array */
    d->samp_all = 0;
    d->big = 1;
}

/* Sorts vec and drops repeats (d->sorted is the scratch),
 * then counts the common shingles among the distinct ones. */
static int vec_settle(dupfind_doc *d)
{
    size_t i, n, w = 0;

    if (d->vec_settled)
        return 0;
    if (DF_GROW(d->sorted, d->sorted_cap, d->vec_len + 1) < 0)
        return DUPFIND_ENOMEM;
    d->sorted_valid = 0;
    /* The nonzero values sorted into d->sorted, then back without
     * repeats; a zero (a valid hash) comes first. */
    n = sort_hashes_u64(d->vec, d->vec_len, d->sorted);
    if (n < d->vec_len)
        d->vec[w++] = 0;
    for (i = 0; i < n; i++)
        if (i == 0 || d->sorted[i - 1] != d->sorted[i])
            d->vec[w++] = d->sorted[i];
    d->vec_len = w;
    d->ignored = 0;
    if (d->ctx->df)
        for (i = 0; i < w; i++)
            d->ignored += (uint64_t)is_common(d, d->vec[i]);
    d->vec_settled = 1;
    return 0;
}

/* Appends h[0 .. n) to a big document's array. */
static void vec_append(dupfind_doc *d, const uint64_t *h, size_t n)
{
    if (n == 0)
        return;               /* vec may still be NULL */
    if (d->vec_len + n > d->vec_cap &&
        DF_GROW(d->vec, d->vec_cap, d->vec_len + n) < 0) {
        d->err = DUPFIND_ENOMEM;
        return;
    }
    memcpy(d->vec + d->vec_len, h, n * sizeof(*h));
    d->vec_len += n;
    d->vec_settled = 0;
}

static void add_shingle(dupfind_doc *d, uint64_t h)
{
    int r;

    if (d->big) {
        vec_append(d, &h, 1);
        return;
    }
    r = shingle_set_add(&d->set, h);
    if (r < 0) {
        d->err = r;
        return;
    }
    if (r == 0)
        return;
    if (is_common(d, h)) {
        d->ignored++;      /* stays in the set so it is checked once */
    } else {
        d->batch[d->nbatch++] = h;
        if (d->nbatch == DOC_BATCH)
            flush_batch(d);
    }
    if (d->set.count > d->set_limit) {
        flush_batch(d);
        go_big(d);
    }
}

/* The common case in a tight loop: an ordinary document, no common
 * shingles to leave out.  Anything else goes through add_shingle. */
static void add_shingles(dupfind_doc *d, const uint64_t *h, size_t n)
{
    size_t i = 0;

    if (d->big) {
        vec_append(d, h, n);
        return;
    }
    if (!d->ctx->df) {
        for (; i < n && d->set.count < d->set_limit; i++) {
            int r = shingle_set_add(&d->set, h[i]);

            if (r <= 0) {
                if (r < 0)
                    d->err = r;
                continue;
            }
            d->batch[d->nbatch++] = h[i];
            if (d->nbatch == DOC_BATCH)
                flush_batch(d);
        }
    }
    for (; i < n; i++)
        add_shingle(d, h[i]);
}

static void on_tokens(void *ud, const uint64_t *tokens, size_t n)
{
    dupfind_doc *d = ud;
    uint64_t sh[TOKENIZE_BATCH];

    add_shingles(d, sh, shingler_push_many(&d->sh, tokens, n, sh));
}

int dupfind_doc_new(dupfind_doc **out, const dupfind_ctx *ctx)
{
    dupfind_doc *d;

    *out = NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return DUPFIND_ENOMEM;
    d->ctx = ctx;
    d->sig = malloc(ctx->opts.num_perm * sizeof(*d->sig));
    if (!d->sig) {
        free(d);
        return DUPFIND_ENOMEM;
    }
    tokenize_init(&d->tok, ctx->opts.shingle_kind == DUPFIND_SHINGLE_CHARS,
                  ctx->token_seed, on_tokens, d);
    shingler_init(&d->sh, ctx->opts.shingle_len, ctx->shingle_seed);
    shingle_set_init(&d->set);
    d->set_limit = DOC_SET_LIMIT;
    if (DF_GROW(d->samp, d->samp_cap, 64) < 0 ||
        DF_GROW(d->samp32, d->samp32_cap, 64) < 0) {
        free(d->samp);
        free(d->sig);
        free(d);
        return DUPFIND_ENOMEM;
    }
    dupfind_doc_reset(d);
    *out = d;
    return 0;
}

void dupfind_doc_free(dupfind_doc *d)
{
    if (!d)
        return;
    tokenize_release(&d->tok);
    shingle_set_release(&d->set);
    free(d->sig);
    free(d->sorted);
    free(d->vec);
    free(d->samp);
    free(d->samp32);
    free(d);
}

void dupfind_doc_reset(dupfind_doc *d)
{
    tokenize_reset(&d->tok);
    shingler_reset(&d->sh);
    shingle_set_clear(&d->set);
    sketch_clear(d->sig, d->ctx->opts.num_perm);
    d->nbatch = 0;
    d->sorted_valid = 0;
    d->big = 0;
    d->vec_len = 0;
    d->vec_settled = 0;
    if (d->vec_cap > DOC_VEC_KEEP) {
        free(d->vec);
        d->vec = NULL;
        d->vec_cap = 0;
    }
    d->ignored = 0;
    d->samp_len = 0;
    d->samp_all = 1;
    d->samp32_len = 0;
    d->samp_shift = DOC_SAMPLE_SHIFT;
    d->err = 0;
    /* Read again for its shingles only: straight into the array, which
     * one sort at the end makes the sorted set, without the probes and
     * growth of the hash set and its sort (exact scoring of /usr/include,
     * 7,000 of 8,000 files read again: 1.16 -> 0.83 s on one thread). */
    d->big = d->shingles_only;
}

void dupfind_doc_shingles_only(dupfind_doc *d, int on)
{
    d->shingles_only = on != 0;
}

int dupfind_doc_feed(dupfind_doc *d, const void *data, size_t len)
{
    int rc;

    d->sorted_valid = 0;
    rc = tokenize_feed(&d->tok, data, len);
    if (rc < 0)
        return rc;
    return d->err;
}

int dupfind_doc_finish(dupfind_doc *d)
{
    uint64_t h;
    int rc = tokenize_finish(&d->tok);

    if (rc < 0)
        return rc;
    if (shingler_finish(&d->sh, &h))
        add_shingle(d, h);
    flush_batch(d);
    d->sorted_valid = 0;      /* the short shingle may have been added */
    if (d->shingles_only)
        return d->err ? d->err : vec_settle(d);
    if (d->big && !d->err) {
        size_t i;

        if (vec_settle(d) < 0)
            return DUPFIND_ENOMEM;
        /* Those from the set are in the signature already; folding
         * them in again changes nothing (a minimum is idempotent). */
        if (!d->ctx->df) {
            sample_add(d, d->vec, d->vec_len);
            d->ctx->kernel(&d->ctx->sp, d->sig, d->vec, d->vec_len);
        } else {
            for (i = 0; i < d->vec_len; i++) {
                if (is_common(d, d->vec[i]))
                    continue;
                d->batch[d->nbatch++] = d->vec[i];
                if (d->nbatch == DOC_BATCH)
                    flush_batch(d);
            }
            flush_batch(d);
        }
    }
    if (!d->err && sample_settle(d) < 0)
        return DUPFIND_ENOMEM;
    return d->err;
}

uint64_t dupfind_doc_shingle_count(const dupfind_doc *d)
{
    return (d->big ? d->vec_len : d->set.count) - d->ignored;
}

uint64_t dupfind_doc_token_count(const dupfind_doc *d)
{
    return d->tok.tokens;
}

const uint32_t *dupfind_doc_signature(const dupfind_doc *d)
{
    return d->sig;
}

void dupfind_doc_sample(const dupfind_doc *d, const uint32_t **out,
                        size_t *count, unsigned *shift)
{
    *out = d->samp32;
    *count = d->samp32_len;
    *shift = d->samp_shift;
}

int dupfind_doc_shingles(dupfind_doc *d, const uint64_t **out,
                         size_t *count)
{
    if (d->big) {
        DF_TRY(vec_settle(d));
        if (!d->ctx->df) {
            *out = d->vec;
            *count = d->vec_len;
            return 0;
        }
    }
    if (!d->sorted_valid) {
        size_t i, n = d->big ? d->vec_len : d->set.count, w = 0;

        if (DF_GROW(d->sorted, d->sorted_cap, n + 1) < 0)
            return DUPFIND_ENOMEM;
        if (d->big)
            memcpy(d->sorted, d->vec, n * sizeof(*d->sorted));
        else
            shingle_set_sorted(&d->set, d->sorted);
        if (d->ctx->df) {
            for (i = 0; i < n; i++)
                if (!is_common(d, d->sorted[i]))
                    d->sorted[w++] = d->sorted[i];
        }
        d->sorted_valid = 1;
    }
    *out = d->sorted;
    *count = dupfind_doc_shingle_count(d);
    return 0;
}
