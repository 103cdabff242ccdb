/*
 * doc.c - the document builder: streams bytes through tokenizer and
 * shingler into the distinct-shingle set and the MinHash signature.
 * Repeated shingles are dropped by the set before they reach the kernel,
 * so only distinct ones cost a signature update.
 */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "df.h"
#include "internal.h"

static void flush_batch(dupfind_doc *d)
{
    if (d->nbatch) {
        d->ctx->kernel(&d->ctx->sp, d->sig, d->batch, d->nbatch);
        d->nbatch = 0;
    }
}

static void add_shingle(dupfind_doc *d, uint64_t h)
{
    int r = shingle_set_add(&d->set, h);

    if (r < 0) {
        d->err = r;
        return;
    }
    if (r == 0)
        return;
    if (d->ctx->df && df_estimate(d->ctx->df, h) > d->ctx->df_max) {
        d->ignored++;      /* stays in the set so it is checked once */
        return;
    }
    d->batch[d->nbatch++] = h;
    if (d->nbatch == DOC_BATCH)
        flush_batch(d);
}

static void on_token(void *ud, uint64_t token)
{
    dupfind_doc *d = ud;
    uint64_t h;

    if (shingler_push(&d->sh, token, &h))
        add_shingle(d, h);
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
                  ctx->token_seed, on_token, d);
    shingler_init(&d->sh, ctx->opts.shingle_len, ctx->shingle_seed);
    shingle_set_init(&d->set);
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
    d->ignored = 0;
    d->err = 0;
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
    return d->err;
}

uint64_t dupfind_doc_shingle_count(const dupfind_doc *d)
{
    return d->set.count - d->ignored;
}

uint64_t dupfind_doc_token_count(const dupfind_doc *d)
{
    return d->tok.tokens;
}

const uint32_t *dupfind_doc_signature(const dupfind_doc *d)
{
    return d->sig;
}

int dupfind_doc_shingles(dupfind_doc *d, const uint64_t **out,
                         size_t *count)
{
    if (!d->sorted_valid) {
        if (DF_GROW(d->sorted, d->sorted_cap, d->set.count + 1) < 0)
            return DUPFIND_ENOMEM;
        shingle_set_sorted(&d->set, d->sorted);
        if (d->ctx->df) {
            size_t i, w = 0;

            for (i = 0; i < d->set.count; i++)
                if (df_estimate(d->ctx->df, d->sorted[i]) <= d->ctx->df_max)
                    d->sorted[w++] = d->sorted[i];
        }
        d->sorted_valid = 1;
    }
    *out = d->sorted;
    *count = dupfind_doc_shingle_count(d);
    return 0;
}
