/*
 * twins.c - documents whose sketches are identical (twins.h).
 *
 * Each active document gets a record: the top 32 bits of XXH3-64 of the
 * first slots of its signature (seeded with its shingle count) above
 * its id.  Sorted on those bits, documents with one sketch form runs
 * (ids ascending: the sort is stable); within a run the sketches are
 * compared in full (group_by_hash), so two documents are twins only
 * when signature, count and sample are equal, never by a hash alone.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sort.h"
#include "twins.h"

/* Slots hashed: one cache line of each signature.  Documents that
 * differ share them with probability J^16 only (J their Jaccard
 * similarity), so runs of equal hashes are still mostly twins.  (At a
 * million documents the grouping took 0.11-0.14 s with all 128 slots
 * hashed and with 16: the sort and the first touch of the records
 * weigh more than the hashing.) */
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

typedef struct {
    const dupfind_ctx *c;
    twins *t;
    uint32_t tail;            /* last twin joined to the current group */
    int err;                  /* out of memory */
} twins_work;

static int twin_same(void *arg, uint32_t a, uint32_t b)
{
    twins_work *w = arg;

    return !w->err && same_sketch(w->c, a, b);
}

static void twin_join(void *arg, uint32_t a, uint32_t b)
{
    twins_work *w = arg;
    twins *t = w->t;

    if (!t->rep && twins_alloc(t, w->c->n) < 0) {
        w->err = 1;
        return;
    }
    if (t->weight[a] == 1) {
        t->groups++;
        w->tail = a;
    }
    t->rep[b] = a;
    t->weight[a]++;
    t->next[w->tail] = b;
    w->tail = b;
    t->twins++;
}

int twins_find(const dupfind_ctx *c, const unsigned char *active,
               twins *t)
{
    size_t k = c->opts.num_perm, m = 0;
    size_t head = k < TWINS_HEAD ? k : TWINS_HEAD;
    uint64_t *rec;
    twins_work w;
    uint32_t id;
    int rc;

    memset(t, 0, sizeof(*t));
    if (c->n < 2)
        return 0;
    if (!(rec = malloc((size_t)c->n * sizeof(*rec))))
        return DUPFIND_ENOMEM;
    for (id = 0; id < c->n; id++)
        if (active[id])
            rec[m++] = (XXH3_64bits_withSeed(c->sig + (size_t)id * k,
                                             head * sizeof(*c->sig),
                                             c->shingles[id]) &
                        ~(uint64_t)UINT32_MAX) | id;
    w.c = c;
    w.t = t;
    w.tail = 0;
    w.err = 0;
    rc = group_by_hash(rec, m, twin_same, twin_join, &w) < 0 || w.err
             ? DUPFIND_ENOMEM
             : 0;
    free(rec);
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
