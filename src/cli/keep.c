/*
 * keep.c - --keep: which member of a group of near-duplicates is its
 * original.
 *
 * Every document gets a rank; a group's original is its member of
 * lowest rank, and --unique considers documents in rank order (main.c),
 * so the original of a group is always among the documents it keeps.
 *
 *   first     input order (rank = id)
 *   oldest    file modification time, oldest first
 *   newest    newest first
 *   longest   distinct shingle count, most first
 *   shortest  fewest first
 *
 * Ties, records (which have no time of their own) and files that can no
 * longer be stat'ed go by input order, the latter after the others.
 * Cost: one stat per document for oldest/newest, a sort of n ids.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <sys/stat.h>

#include "cli.h"

typedef struct {
    int64_t key;        /* smaller is kept first */
    uint32_t id;        /* input order breaks ties */
} keep_entry;

static int cmp_entry(const void *x, const void *y)
{
    const keep_entry *a = x, *b = y;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Modification time in nanoseconds; INT64_MAX when unknown. */
static int64_t mtime_ns(const char *path, const doc_loc *loc)
{
    struct stat st;

    if (loc->source >= 0 || stat(path, &st) < 0)
        return INT64_MAX;
    return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

int keep_ranks(uint32_t **out, const cli_options *o,
               const dupfind_ctx *ctx, const doc_loc *locs)
{
    uint32_t n = dupfind_ctx_doc_count(ctx), id;
    uint32_t *rank = malloc((n ? n : 1) * sizeof(*rank));
    keep_entry *e;

    *out = rank;
    if (!rank)
        return -1;
    if (o->keep == KEEP_FIRST) {
        for (id = 0; id < n; id++)
            rank[id] = id;
        return 0;
    }
    e = malloc((n ? n : 1) * sizeof(*e));
    if (!e) {
        free(rank);
        *out = NULL;
        return -1;
    }
    for (id = 0; id < n; id++) {
        int64_t k = 0;
        /* Shingle counts are far below 2^63. */
        int64_t len = (int64_t)dupfind_ctx_doc_shingles(ctx, id);

        switch (o->keep) {
        case KEEP_OLDEST:
            k = mtime_ns(dupfind_ctx_doc_name(ctx, id, NULL), &locs[id]);
            break;
        case KEEP_NEWEST:
            k = mtime_ns(dupfind_ctx_doc_name(ctx, id, NULL), &locs[id]);
            /* Newest first, unknown times still last. */
            k = k == INT64_MAX ? INT64_MAX : -k;
            break;
        case KEEP_LONGEST: k = -len; break;
        case KEEP_SHORTEST: k = len; break;
        case KEEP_FIRST: break;
        }
        e[id].key = k;
        e[id].id = id;
    }
    qsort(e, n, sizeof(*e), cmp_entry);
    for (id = 0; id < n; id++)
        rank[e[id].id] = id;
    free(e);
    return 0;
}
