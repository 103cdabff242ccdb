/*
 * shingle.c - sliding window of token hashes, distinct-shingle set.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "shingle.h"
#include "sort.h"

void shingler_init(shingler *s, unsigned k, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    s->k = k;
    s->seed = seed;
}

void shingler_reset(shingler *s)
{
    s->count = 0;
    s->pos = 0;
    s->acc = 0;
}

uint64_t shingle_hash(const uint64_t *tokens, unsigned n, uint64_t seed)
{
    uint64_t acc = 0;
    unsigned j;

    for (j = 0; j < n; j++)
        acc ^= shingle_rotl64(tokens[j], n - 1 - j);
    return shingle_finish_hash(acc, n, seed);
}

int shingler_finish(const shingler *s, uint64_t *out)
{
    if (s->count == 0 || s->count >= s->k)
        return 0;
    /* Fewer than k tokens: acc holds all of them, oldest rotated most. */
    *out = shingle_finish_hash(s->acc, (unsigned)s->count, s->seed);
    return 1;
}

void shingle_set_init(shingle_set *set)
{
    memset(set, 0, sizeof(*set));
}

void shingle_set_release(shingle_set *set)
{
    free(set->slots);
    memset(set, 0, sizeof(*set));
}

void shingle_set_clear(shingle_set *set)
{
    /* A table grown for a large document would make every later clear
     * and sorted copy (both O(cap)) slow for the small ones that follow;
     * give it back when it is mostly unused. */
    if (set->cap > 4 * SHINGLE_SET_MIN_CAP && set->count < set->cap / 8) {
        free(set->slots);
        set->slots = NULL;
        set->cap = 0;
    } else if (set->cap) {
        memset(set->slots, 0, set->cap * sizeof(*set->slots));
    }
    set->count = 0;
    set->has_zero = 0;
}

int shingle_set_rehash(shingle_set *set, size_t ncap)
{
    uint64_t *old = set->slots, *slots;
    size_t ocap = set->cap, i, mask = ncap - 1;

    slots = calloc(ncap, sizeof(*slots));
    if (!slots)
        return DUPFIND_ENOMEM;
    for (i = 0; i < ocap; i++) {
        uint64_t h = old[i];
        size_t j;

        if (!h)
            continue;
        for (j = shingle_set_index(h, mask); slots[j]; j = (j + 1) & mask)
            ;
        slots[j] = h;
    }
    free(old);
    set->slots = slots;
    set->cap = ncap;
    return 0;
}

size_t shingle_set_values(const shingle_set *set, uint64_t *out)
{
    size_t i, n = 0;

    if (set->has_zero)
        out[n++] = 0;
    for (i = 0; i < set->cap; i++) {   /* no branch on empty slots */
        out[n] = set->slots[i];
        n += set->slots[i] != 0;
    }
    return n;
}

void shingle_set_sorted(const shingle_set *set, uint64_t *out)
{
    if (set->has_zero)
        *out++ = 0;            /* the smallest value comes first */
    sort_hashes_u64(set->slots, set->cap, out);
}
