/*
 * df.c - count-min sketch of shingle document frequencies (see df.h).
 */
#include <stdlib.h>

#include "ctx.h"
#include "df.h"
#include "internal.h"

/* Row r's counter for h.  Each row remixes h with its own odd
 * multiplier and takes the top bits, so rows are independent functions
 * of the (uniform) shingle hash. */
static size_t df_index(uint64_t h, unsigned r)
{
    static const uint64_t mul[DF_ROWS] = {
        0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL,
        0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL
    };
    uint64_t x = (h ^ (h >> 31)) * mul[r];

    return (size_t)r * DF_WIDTH + (size_t)(x >> (64 - DF_WIDTH_BITS));
}

int dupfind_df_new(dupfind_df **out)
{
    dupfind_df *df;

    *out = NULL;
    df = calloc(1, sizeof(*df));
    if (!df)
        return DUPFIND_ENOMEM;
    df->cnt = calloc((size_t)DF_ROWS * DF_WIDTH, sizeof(*df->cnt));
    if (!df->cnt) {
        free(df);
        return DUPFIND_ENOMEM;
    }
    *out = df;
    return 0;
}

void dupfind_df_free(dupfind_df *df)
{
    if (!df)
        return;
    free(df->cnt);
    free(df);
}

static void df_bump(dupfind_df *df, uint64_t h)
{
    unsigned r;

    for (r = 0; r < DF_ROWS; r++) {
        uint32_t *c = &df->cnt[df_index(h, r)];
        /* Saturate rather than wrap; relaxed order suffices for counts. */
        if (__atomic_load_n(c, __ATOMIC_RELAXED) != UINT32_MAX)
            __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
    }
}

void dupfind_df_add(dupfind_df *df, const dupfind_doc *doc)
{
    const shingle_set *set = &doc->set;
    size_t i;

    if (doc->big) {           /* finished: vec is sorted and distinct */
        for (i = 0; i < doc->vec_len; i++)
            df_bump(df, doc->vec[i]);
        __atomic_fetch_add(&df->docs, 1, __ATOMIC_RELAXED);
        return;
    }
    if (set->has_zero)
        df_bump(df, 0);
    for (i = 0; i < set->cap; i++)
        if (set->slots[i])
            df_bump(df, set->slots[i]);
    __atomic_fetch_add(&df->docs, 1, __ATOMIC_RELAXED);
}

uint64_t dupfind_df_docs(const dupfind_df *df)
{
    return __atomic_load_n(&df->docs, __ATOMIC_RELAXED);
}

uint32_t df_estimate(const dupfind_df *df, uint64_t h)
{
    uint32_t m = UINT32_MAX;
    unsigned r;

    for (r = 0; r < DF_ROWS; r++) {
        uint32_t c = __atomic_load_n(&df->cnt[df_index(h, r)],
                                     __ATOMIC_RELAXED);
        if (c < m)
            m = c;
    }
    return m;
}

int dupfind_ctx_ignore_common(dupfind_ctx *ctx, const dupfind_df *df,
                              uint64_t max_docs)
{
    ctx->df = df;
    ctx->df_max = max_docs;
    return 0;
}
