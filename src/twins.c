/*
 * twins.c - documents whose sketches are identical (twins.h).
 *
 * Each active document gets a record: the top 32 bits of XXH3-64 of the
 * first slots of its signature (seeded with its shingle count) above
 * its id.  Sorted on
 * those bits, documents with one sketch form runs (ids ascending: the
 * sort is stable); within a run the sketches are compared in full, so
 * two documents are twins only when signature, count and sample are
 * equal, never by a hash alone.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sort.h"
#include "twins.h"

/* Slots hashed: one cache line of each signature.  Documents that
 * differ share them with probability J^16 only (J their Jaccard
 * similarity), so runs of equal hashes are still mostly twins, and
 * reading 64 of the 512 bytes makes the pass 4x faster at a million
 * documents. */
#define TWINS_HEAD 16

/* Whether documents a and b have the same sketch. */
static int same_sketch(const dupfind_ctx *c, uint32_t a, uint32_t b)
{
    size_t k = c->opts.num_perm;

    if (c->shingles[a] != c->shingles[b] ||
        c->samp_n[a] != c->samp_n[b] ||
        c->samp_shift[a] != c->samp_shift[b] ||
        memcmp(c->sig + (size_t)a * k, c->sig + (size_t)b * k,
               k * sizeof(*c->sig)) != 0)
        return 0;
    return c->samp_n[a] == CTX_NO_SAMPLE ||
           memcmp(c->samp + c->samp_off[a], c->samp + c->samp_off[b],
                  (size_t)c->samp_n[a] * sizeof(*c->samp)) == 0;
}

static int twins_alloc(twins *t, uint32_t n)
{
    uint32_t i;

    t->rep = malloc((size_t)n * sizeof(*t->rep));
    t->weight = malloc((size_t)n * sizeof(*t->weight));
    t->next = malloc((size_t)n * sizeof(*t->next));
    if (!t->rep || !t->weight || !t->next)
        return DUPFIND_ENOMEM;
    for (i = 0; i < n; i++) {
        t->rep[i] = i;
        t->weight[i] = 1;
        t->next[i] = TWINS_END;
    }
    return 0;
}

int twins_find(const dupfind_ctx *c, const unsigned char *active,
               twins *t)
{
    size_t k = c->opts.num_perm, m = 0, i, j, x, y;
    size_t head = k < TWINS_HEAD ? k : TWINS_HEAD;
    uint64_t *rec = NULL, *tmp = NULL;
    uint32_t id;
    int rc = DUPFIND_ENOMEM;

    memset(t, 0, sizeof(*t));
    if (c->n < 2)
        return 0;
    rec = malloc((size_t)c->n * sizeof(*rec));
    tmp = malloc((size_t)c->n * sizeof(*tmp));
    if (!rec || !tmp)
        goto cleanup;
    for (id = 0; id < c->n; id++)
        if (active[id])
            rec[m++] = (XXH3_64bits_withSeed(c->sig + (size_t)id * k,
                                             head * sizeof(*c->sig),
                                             c->shingles[id]) &
                        ~(uint64_t)UINT32_MAX) | id;
    radix_sort_u64_from(rec, tmp, m, 32);
    for (i = 0; i < m; i = j) {
        for (j = i + 1; j < m && rec[j] >> 32 == rec[i] >> 32; j++)
            ;
        /* The first document of the run not yet placed starts a group
         * of those equal to it; usually the run is that group. */
        for (x = i; x + 1 < j; x++) {
            uint32_t a = (uint32_t)rec[x], tail = a;

            if (t->rep && t->rep[a] != a)
                continue;
            for (y = x + 1; y < j; y++) {
                uint32_t b = (uint32_t)rec[y];

                if ((t->rep && t->rep[b] != b) || !same_sketch(c, a, b))
                    continue;
                if (!t->rep && twins_alloc(t, c->n) < 0)
                    goto cleanup;
                if (tail == a)
                    t->groups++;
                t->rep[b] = a;
                t->weight[a]++;
                t->next[tail] = b;
                tail = b;
                t->twins++;
            }
        }
    }
    rc = 0;
cleanup:
    free(rec);
    free(tmp);
    if (rc < 0)
        twins_free(t);
    return rc;
}

void twins_free(twins *t)
{
    free(t->rep);
    free(t->weight);
    free(t->next);
    memset(t, 0, sizeof(*t));
}
