/*
 * shingle.c - sliding window of token hashes, distinct-shingle set.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

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
}

uint64_t shingle_hash(const uint64_t *tokens, unsigned n, uint64_t seed)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint64_t le[SHINGLE_MAX_K];
    unsigned i;

    for (i = 0; i < n; i++)
        le[i] = __builtin_bswap64(tokens[i]);
    tokens = le;
#endif
    return XXH3_64bits_withSeed(tokens, (size_t)n * 8, seed);
}

int shingler_push(shingler *s, uint64_t token, uint64_t *out)
{
    unsigned k = s->k, pos = s->pos;

    /* Each hash is stored at pos and pos + k, so the last k tokens are
     * always contiguous, starting at the slot after the newest. */
    s->ring[pos] = token;
    s->ring[pos + k] = token;
    s->pos = pos + 1 == k ? 0 : pos + 1;
    if (++s->count < k)
        return 0;
    *out = shingle_hash(&s->ring[s->pos], k, s->seed);
    return 1;
}

int shingler_finish(const shingler *s, uint64_t *out)
{
    if (s->count == 0 || s->count >= s->k)
        return 0;
    *out = shingle_hash(s->ring, (unsigned)s->count, s->seed);
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

#define SET_MIN_CAP 1024

void shingle_set_clear(shingle_set *set)
{
    /* A table grown for a large document would make every later clear
     * slow; give it back when it is mostly unused. */
    if (set->cap > 64 * SET_MIN_CAP && set->count < set->cap / 16) {
        free(set->slots);
        set->slots = NULL;
        set->cap = 0;
    } else if (set->cap) {
        memset(set->slots, 0, set->cap * sizeof(*set->slots));
    }
    set->count = 0;
    set->has_zero = 0;
}

static size_t set_index(uint64_t h, size_t mask)
{
    /* Shingle hashes are XXH3 output: the top bits are uniform. */
    return (size_t)(h >> 32 ^ h) & mask;
}

static int set_rehash(shingle_set *set, size_t ncap)
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
        for (j = set_index(h, mask); slots[j]; j = (j + 1) & mask)
            ;
        slots[j] = h;
    }
    free(old);
    set->slots = slots;
    set->cap = ncap;
    return 0;
}

int shingle_set_add(shingle_set *set, uint64_t h)
{
    size_t mask, j;

    if (h == 0) {
        if (set->has_zero)
            return 0;
        set->has_zero = 1;
        set->count++;
        return 1;
    }
    if (2 * (set->count + 1) > set->cap)
        DF_TRY(set_rehash(set, set->cap ? set->cap * 2 : SET_MIN_CAP));
    mask = set->cap - 1;
    for (j = set_index(h, mask); set->slots[j]; j = (j + 1) & mask)
        if (set->slots[j] == h)
            return 0;
    set->slots[j] = h;
    set->count++;
    return 1;
}

void shingle_set_sorted(const shingle_set *set, uint64_t *out)
{
    size_t i, n = 0;

    if (set->has_zero)
        out[n++] = 0;
    for (i = 0; i < set->cap; i++)
        if (set->slots[i])
            out[n++] = set->slots[i];
    sort_u64(out, n);
}
