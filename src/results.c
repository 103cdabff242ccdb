/*
 * results.c - candidate pairs to reported pairs: scoring, selection,
 * deterministic ordering, clusters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "ctx.h"
#include "internal.h"
#include "lsh.h"
#include "sort.h"
#include "twins.h"
#include "verify.h"

static dupfind_relation relation_of(const dupfind_pair *p, double t,
                                    double ct)
{
    if (p->jaccard >= t)
        return DUPFIND_REL_DUPLICATE;
    if (ct > 0 && (p->a_in_b >= ct || p->b_in_a >= ct))
        return p->a_in_b >= p->b_in_a ? DUPFIND_REL_A_IN_B
                                      : DUPFIND_REL_B_IN_A;
    return DUPFIND_REL_NONE;
}

/* Two documents that kept all their shingles (sample shift 0) share
 * `shared` of them: their scores, from the counts.  Certain unless one
 * shingle more or less (two shingles taken for one by their low 32
 * bits, a chance of about |A| |B| / 2^32) would change the relation; an
 * uncertain pair is read again like any other. */
static void score_full_sets(const dupfind_ctx *c, dupfind_pair *p,
                            size_t shared)
{
    double t = c->opts.threshold, ct = c->opts.containment;
    double na = (double)c->shingles[p->a], nb = (double)c->shingles[p->b];
    double top = na < nb ? na : nb, s = (double)shared;
    dupfind_pair lo = *p, hi = *p;

    if (s > top)
        s = top;
    verify_from_counts(p, s, na, nb);
    verify_from_counts(&lo, s > 0 ? s - 1 : 0, na, nb);
    verify_from_counts(&hi, s < top ? s + 1 : top, na, nb);
    p->uncertain = relation_of(&lo, t, ct) != relation_of(p, t, ct) ||
                   relation_of(&hi, t, ct) != relation_of(p, t, ct);
}

/* Scores pair (a, b) into *p; returns whether it may be reported.  The
 * signatures give the estimate: 0 when it rules the pair out (the
 * interval is below both thresholds).  Then the samples (ctx.h): two
 * small documents are scored from all their shingles, and an uncertain
 * pair (most often a small document meeting a large one) is ruled out
 * when its samples show it below both thresholds. */
static int estimate_pair(const dupfind_ctx *c, uint32_t a, uint32_t b,
                         dupfind_pair *p)
{
    unsigned k = c->opts.num_perm, shift;
    double t = c->opts.threshold, ct = c->opts.containment;
    const uint32_t *sa, *sb;
    size_t na, nb, shared;

    memset(p, 0, sizeof(*p));
    p->a = a;
    p->b = b;
    verify_estimate(p, c->sig + (size_t)a * k, c->sig + (size_t)b * k, k,
                    c->shingles[a], c->shingles[b], t, ct);
    if (!p->uncertain && relation_of(p, t, ct) == DUPFIND_REL_NONE)
        return 0;
    if (c->samp_n[a] == CTX_NO_SAMPLE || c->samp_n[b] == CTX_NO_SAMPLE)
        return 1;
    shift = c->samp_shift[a] > c->samp_shift[b] ? c->samp_shift[a]
                                                : c->samp_shift[b];
    /* A sample of one shingle in 16 only rules out uncertain pairs. */
    if (shift != 0 && !p->uncertain)
        return 1;
    sa = c->samp + c->samp_off[a];
    sb = c->samp + c->samp_off[b];
    na = verify_sample_prefix(sa, c->samp_n[a], shift);
    nb = verify_sample_prefix(sb, c->samp_n[b], shift);
    shared = verify_sample_shared_with(c->merge32, sa, na, sb, nb);
    if (shift == 0) {
        score_full_sets(c, p, shared);
        return p->uncertain || relation_of(p, t, ct) != DUPFIND_REL_NONE;
    }
    return !(p->uncertain && verify_sample_rejects((double)shared,
                                                   (double)na, (double)nb,
                                                   t, ct));
}

/* lsh_filter.keep: called from the LSH workers, reads the context
 * only. */
static int keep_pair(void *arg, uint32_t a, uint32_t b)
{
    dupfind_pair p;

    if (!estimate_pair(arg, a, b, &p))
        return 0;
    return p.uncertain ? 1 : LSH_SURE;
}

/* lsh_filter.keep_model: what estimate_pair answers for signatures with
 * eq equal slots and sizes na, nb.  It rises with eq and with the size
 * ratio: both scores rise with J, the containment with the ratio. */
static int keep_model(void *arg, unsigned eq, uint64_t na, uint64_t nb)
{
    const dupfind_ctx *c = arg;
    unsigned k = c->opts.num_perm, i;
    uint32_t *sa = malloc(2 * (size_t)k * sizeof(*sa)), *sb;
    dupfind_pair p;

    if (!sa)
        return 1;               /* no rejection without proof */
    sb = sa + k;
    for (i = 0; i < k; i++) {
        sa[i] = 0;
        sb[i] = i >= eq;
    }
    memset(&p, 0, sizeof(p));
    verify_estimate(&p, sa, sb, k, na, nb, c->opts.threshold,
                    c->opts.containment);
    free(sa);
    return p.uncertain ||
           relation_of(&p, c->opts.threshold, c->opts.containment) !=
               DUPFIND_REL_NONE;
}

/* Scores of recent pairs of representatives, in expand_twins: the
 * copies of a pair of groups are spread over the sorted pairs. */
#define TWIN_CACHE 4096

enum { WHOLE_ALL = 1, WHOLE_STAR, WHOLE_UNSETTLED };

/* Copies of representative r that sure pair i of representatives
 * stands for on r's side: 1 (r alone) when r's copies are a star, else
 * all of them.  For clusters, a copy's pair with the other side only
 * repeats r's (the same score; the copy is paired with r).  For the walk
 * by id (DUPFIND_STAR_SETTLED), only on the earlier side (lo): a later
 * copy of a star is dropped either way, by r if r is kept, else by
 * what drops r, which comes before r, so that its pairs with all of
 * r's copies are there: on the full side of the pair that made it. */
static uint32_t copies_in(const twins *tw, const unsigned char *whole,
                          const unsigned char *sure, size_t i, uint32_t r,
                          int lo_side, unsigned flags)
{
    return sure && sure[i] && whole[r] == WHOLE_STAR &&
                   (lo_side || !(flags & DUPFIND_STAR_SETTLED))
               ? 1
               : tw->weight[r];
}

typedef struct {
    uint64_t key;           /* ra << 32 | rb, or UINT64_MAX: empty */
    int kept;               /* the pair is kept (walk_pair) */
    dupfind_pair p;         /* estimate_pair(ra, rb) */
} twin_cached;

/* TWIN_CACHE empty entries (malloc'd), or NULL. */
static twin_cached *twin_cache_new(void)
{
    twin_cached *cache = malloc(TWIN_CACHE * sizeof(*cache));
    size_t i;

    for (i = 0; cache && i < TWIN_CACHE; i++)
        cache[i].key = UINT64_MAX;
    return cache;
}

/* The entry of pair (ra, rb) of representatives: its own when its key
 * is ra << 32 | rb, else the one to overwrite. */
static twin_cached *twin_cache_slot(twin_cached *cache, uint32_t ra,
                                    uint32_t rb)
{
    uint64_t rk = (uint64_t)ra << 32 | rb;

    return &cache[(rk * 0x9E3779B97F4A7C15ULL) >> 52];
}

/* Candidate pairs of every document from those of the representatives
 * (twins.h): pair (a, b), a < b, is scored as estimate_pair(rep(a),
 * rep(b)) and kept when that keeps it, which is what LSH and
 * estimate_pair give the pair itself, since they see only the
 * sketches; two twins are scored as their representative with itself
 * (all bands meet).  Whether estimate_pair keeps a pair does not
 * depend on the order of the two (every test in it is symmetric: the
 * smaller size, the sum of the sizes, both containments), so each
 * pair LSH kept stands for all the copies of its two, in either
 * order.  The pairs come out ascending, as from LSH. */
static int expand_twins(const dupfind_ctx *c, const twins *tw,
                        const unsigned char *active, const uint64_t *rpairs,
                        size_t nrpairs, unsigned flags, dupfind_results *res)
{
    twin_cached *cache = NULL;
    uint64_t *keys = NULL, *tmp = NULL;
    unsigned char *whole = NULL, *sure = NULL;
    size_t total = 0, n = 0, i;
    uint32_t r, x, y;
    dupfind_pair p;
    int rc = DUPFIND_ENOMEM;

    /* whole[r]: the twins of representative r are pairs, all of them
     * (WHOLE_ALL) or those with r (WHOLE_STAR, DUPFIND_STAR_COPIES);
     * WHOLE_UNSETTLED marks r in an uncertain pair with another
     * document (DUPFIND_STAR_SETTLED). */
    if (!(whole = calloc(c->n, 1)))
        goto cleanup;
    if (flags & DUPFIND_STAR_COPIES) {
        /* sure[i]: pair i of representatives is not uncertain (in
         * either order: the test is symmetric). */
        if (!(sure = malloc(nrpairs ? nrpairs : 1)))
            goto cleanup;
        for (i = 0; i < nrpairs; i++) {
            estimate_pair(c, (uint32_t)(rpairs[i] >> 32),
                          (uint32_t)rpairs[i], &p);
            sure[i] = !p.uncertain;
            if (p.uncertain && (flags & DUPFIND_STAR_SETTLED))
                whole[rpairs[i] >> 32] = whole[(uint32_t)rpairs[i]] =
                    WHOLE_UNSETTLED;
        }
    }
    for (r = 0; r < c->n; r++) {
        int unsettled = whole[r] == WHOLE_UNSETTLED;

        whole[r] = 0;
        if (!active[r] || tw->rep[r] != r || tw->weight[r] < 2 ||
            !estimate_pair(c, r, r, &p))
            continue;
        if ((flags & DUPFIND_STAR_COPIES) && !p.uncertain && !unsettled) {
            whole[r] = WHOLE_STAR;
            total += tw->weight[r] - 1;
        } else {
            whole[r] = WHOLE_ALL;
            total += (size_t)tw->weight[r] * (tw->weight[r] - 1) / 2;
        }
    }
    for (i = 0; i < nrpairs; i++)
        total += (size_t)copies_in(tw, whole, sure, i,
                                   (uint32_t)(rpairs[i] >> 32), 1, flags) *
                 copies_in(tw, whole, sure, i, (uint32_t)rpairs[i], 0,
                           flags);
    keys = malloc((total ? total : 1) * sizeof(*keys));
    tmp = malloc((total ? total : 1) * sizeof(*tmp));
    cache = twin_cache_new();
    if (!keys || !tmp || !cache)
        goto cleanup;
    for (i = 0; i < nrpairs; i++) {
        uint32_t lo = (uint32_t)(rpairs[i] >> 32), hi = (uint32_t)rpairs[i];
        int lo_only = copies_in(tw, whole, sure, i, lo, 1, flags) == 1;
        int hi_only = copies_in(tw, whole, sure, i, hi, 0, flags) == 1;

        for (x = lo; x != TWINS_END; x = lo_only ? TWINS_END : tw->next[x])
            for (y = hi; y != TWINS_END;
                 y = hi_only ? TWINS_END : tw->next[y])
                keys[n++] = x < y ? (uint64_t)x << 32 | y
                                  : (uint64_t)y << 32 | x;
    }
    for (r = 0; r < c->n; r++)
        if (whole[r] == WHOLE_STAR)
            for (y = tw->next[r]; y != TWINS_END; y = tw->next[y])
                keys[n++] = (uint64_t)r << 32 | y;
        else if (whole[r] == WHOLE_ALL)
            for (x = r; x != TWINS_END; x = tw->next[x])
                for (y = tw->next[x]; y != TWINS_END; y = tw->next[y])
                    keys[n++] = (uint64_t)x << 32 | y;
    radix_sort_u64_from(keys, tmp, n, 0);
    free(tmp);
    tmp = NULL;
    if (n && !(res->pairs = malloc(n * sizeof(*res->pairs))))
        goto cleanup;
    res->cap = n;
    for (i = 0; i < n; i++) {
        uint32_t a = (uint32_t)(keys[i] >> 32), b = (uint32_t)keys[i];
        uint64_t rk = (uint64_t)tw->rep[a] << 32 | tw->rep[b];
        twin_cached *e = twin_cache_slot(cache, tw->rep[a], tw->rep[b]);
        dupfind_pair *out = &res->pairs[res->n++];

        if (e->key != rk) {
            e->key = rk;
            estimate_pair(c, tw->rep[a], tw->rep[b], &e->p);
        }
        *out = e->p;
        out->a = a;
        out->b = b;
    }
    rc = 0;
cleanup:
    free(cache);
    free(keys);
    free(tmp);
    free(whole);
    free(sure);
    return rc;
}

int dupfind_ctx_candidates_threads(dupfind_ctx *c, unsigned threads,
                                   dupfind_results **out)
{
    return dupfind_ctx_candidates_flags(c, threads, 0, out);
}

/* What DUPFIND_WALK_BY_ID's walk needs to find a pair again. */
typedef struct {
    const dupfind_ctx *c;
    const twins *tw;              /* tw->rep NULL: no copies */
    const lsh_config *conf;
    unsigned nconf;
    lsh_skipped *const *skips;    /* as LSH left them */
    twin_cached *cache;           /* of representatives' pairs */
} walk_env;

static uint32_t rep_of(const walk_env *e, uint32_t d)
{
    return e->tw->rep ? e->tw->rep[d] : d;
}

/* Whether the candidates without the flag hold pair (i, j), i < j, and
 * its scores into *p.  Kept when LSH keeps the pair of the two
 * representatives (known: met, else they meet in a bucket it did not
 * skip; and the estimate keeps them, a decision that is symmetric, see
 * expand_twins) or, for two copies of one text, when the
 * representative's estimate with itself keeps it; scored as
 * estimate_pair(rep(i), rep(j)).  Representatives' pairs are cached:
 * copies repeat them. */
static int walk_pair(const walk_env *e, uint32_t i, uint32_t j, int met,
                     dupfind_pair *p)
{
    uint32_t ri = rep_of(e, i), rj = rep_of(e, j);
    uint64_t rk = (uint64_t)ri << 32 | rj;
    twin_cached *slot = twin_cache_slot(e->cache, ri, rj);
    unsigned k = e->c->opts.num_perm;

    /* A pair cached as not kept was not known met: met pairs are kept. */
    if (slot->key != rk || (met && !slot->kept)) {
        slot->key = rk;
        slot->kept = (met || ri == rj ||
                      lsh_pair_meets(e->c->sig + (size_t)ri * k,
                                     e->c->sig + (size_t)rj * k, e->conf,
                                     e->nconf, e->c->opts.seed,
                                     e->skips)) &&
                     estimate_pair(e->c, ri, rj, &slot->p);
    }
    if (!slot->kept)
        return 0;
    *p = slot->p;
    p->a = i;
    p->b = j;
    return 1;
}

/* Tries the walk may make before it gives up: so many, plus so many
 * per active document and per pair LSH returned (running LSH again for
 * all pairs costs more than that).  /usr/share (24,004 files, tangled
 * by licence headers) needs 2.7 M: 112 a document, 3 a pair. */
#define WALK_TRIES_MIN (1u << 22)
#define WALK_TRIES_PER_DOC 16
#define WALK_TRIES_PER_PAIR 4

enum { WALK_KEPT = 1, WALK_MAYBE };

/* DUPFIND_WALK_BY_ID (dupfind.h): the pairs the walk by id can need.
 * LSH ran with join: group[] holds the groups of the sure pairs, and
 * rpairs (representatives) hold every pair kept between two groups;
 * the pairs it left out lie within a group.  In the walk's order (by
 * rank when given, else by id), each document j is tried against the
 * earlier ones that may be kept: those surely
 * kept (no pair with an earlier one that may be kept) and those that
 * may be (their pairs with such are uncertain, or with ones that may be
 * kept): in its own group by looking for the pair (walk_pair), in the
 * others through rpairs.  A sure pair with one surely kept drops j for
 * sure, and its other pairs cannot matter; otherwise all its pairs
 * found are returned, so the walk over them meets every pair of j with
 * a document it keeps.  n near copies of a text cost n - 1 tries.
 * Returns 1, having changed nothing, when the tries exceed the budget
 * (a group too tangled for this to pay), else 0 or DUPFIND_ENOMEM. */
static int walk_by_id(const walk_env *e, const unsigned char *active,
                      uint32_t *group, const uint64_t *rpairs,
                      size_t nrpairs, const uint32_t *rank,
                      dupfind_results *res)
{
    const dupfind_ctx *c = e->c;
    uint32_t n = c->n, d, *off = NULL, *adj = NULL;
    /* Lists of the documents that may be kept (ids ascending), per
     * group and per representative, through next_g / next_r; tail_*
     * their last. */
    uint32_t *head_g = NULL, *tail_g = NULL, *next_g = NULL;
    uint32_t *head_r = NULL, *tail_r = NULL, *next_r = NULL;
    unsigned char *state = NULL;
    uint32_t *order = NULL, x;
    uint64_t *found = NULL, tries = 0;
    uint64_t budget = WALK_TRIES_MIN + (uint64_t)WALK_TRIES_PER_PAIR * nrpairs;
    size_t nfound = 0, capfound = 0, i;
    dupfind_pair p;
    int rc = DUPFIND_ENOMEM;

#define WALK_NONE UINT32_MAX
    off = calloc((size_t)n + 1, sizeof(*off));
    adj = calloc(nrpairs ? 2 * nrpairs : 1, sizeof(*adj));
    head_g = malloc((n ? n : 1) * sizeof(*head_g));
    tail_g = malloc((n ? n : 1) * sizeof(*tail_g));
    next_g = malloc((n ? n : 1) * sizeof(*next_g));
    head_r = malloc((n ? n : 1) * sizeof(*head_r));
    tail_r = malloc((n ? n : 1) * sizeof(*tail_r));
    next_r = malloc((n ? n : 1) * sizeof(*next_r));
    state = calloc(n ? n : 1, 1);
    order = malloc((n ? n : 1) * sizeof(*order));
    if (!off || !adj || !head_g || !tail_g || !next_g || !head_r ||
        !tail_r || !next_r || !state || !order)
        goto cleanup;
    /* The walk's order: by rank when given, else by id. */
    for (d = 0; d < n; d++)
        order[rank ? rank[d] : d] = d;
    /* rpairs between two groups, as adjacency lists of representatives
     * (off[r] .. off[r + 1] in adj; pairs within a group are looked for
     * again, since LSH left some of them out). */
    for (i = 0; i < nrpairs; i++) {
        uint32_t a = (uint32_t)(rpairs[i] >> 32), b = (uint32_t)rpairs[i];

        if (group && ufs_find(group, a) == ufs_find(group, b))
            continue;
        off[a + 1]++;
        off[b + 1]++;
    }
    for (d = 0; d < n; d++)
        off[d + 1] += off[d];
    for (i = 0; i < nrpairs; i++) {
        uint32_t a = (uint32_t)(rpairs[i] >> 32), b = (uint32_t)rpairs[i];

        if (group && ufs_find(group, a) == ufs_find(group, b))
            continue;
        adj[off[a]++] = b;
        adj[off[b]++] = a;
    }
    for (d = n; d > 0; d--)
        off[d] = off[d - 1];
    off[0] = 0;
    for (d = 0; d < n; d++) {
        head_g[d] = head_r[d] = next_g[d] = next_r[d] = WALK_NONE;
        if (active[d])
            budget += WALK_TRIES_PER_DOC;
    }
    if (c->walk_tries)
        budget = c->walk_tries;
    for (x = 0; x < n; x++) {
        uint32_t r, g, y, t, a;
        unsigned char st = WALK_KEPT;

        d = order[x];
        if (!active[d])
            continue;
        r = rep_of(e, d);
        g = group ? ufs_find(group, r) : r;
        /* Its own group: look for each pair. */
        for (y = head_g[g]; y != WALK_NONE && st; y = next_g[y]) {
            uint32_t lo = y < d ? y : d, hi = y < d ? d : y;

            if (++tries > budget) {
                rc = 1;
                goto cleanup;
            }
            if (!walk_pair(e, lo, hi, 0, &p))
                continue;
            if (DF_GROW(found, capfound, nfound + 1) < 0)
                goto cleanup;
            found[nfound++] = (uint64_t)lo << 32 | hi;
            st = !p.uncertain && state[y] == WALK_KEPT ? 0 : WALK_MAYBE;
        }
        /* Other groups: the pairs LSH returned, with each copy that may
         * be kept of the representative met. */
        for (t = off[r]; t < off[r + 1] && st; t++)
            for (a = head_r[adj[t]]; a != WALK_NONE && st; a = next_r[a]) {
                uint32_t lo = a < d ? a : d, hi = a < d ? d : a;

                if (++tries > budget) {
                    rc = 1;
                    goto cleanup;
                }
                if (!walk_pair(e, lo, hi, 1, &p))
                    continue;        /* not so: LSH returned the pair */
                if (DF_GROW(found, capfound, nfound + 1) < 0)
                    goto cleanup;
                found[nfound++] = (uint64_t)lo << 32 | hi;
                st = !p.uncertain && state[a] == WALK_KEPT ? 0 : WALK_MAYBE;
            }
        state[d] = st;
        if (!st)
            continue;
        if (head_g[g] == WALK_NONE)
            head_g[g] = d;
        else
            next_g[tail_g[g]] = d;
        tail_g[g] = d;
        if (head_r[r] == WALK_NONE)
            head_r[r] = d;
        else
            next_r[tail_r[r]] = d;
        tail_r[r] = d;
    }
#undef WALK_NONE
    sort_u64(found, nfound);
    if (nfound && !(res->pairs = malloc(nfound * sizeof(*res->pairs))))
        goto cleanup;
    res->cap = nfound;
    for (i = 0; i < nfound; i++)
        walk_pair(e, (uint32_t)(found[i] >> 32), (uint32_t)found[i], 1,
                  &res->pairs[res->n++]);
    rc = 0;
cleanup:
    free(off);
    free(adj);
    free(head_g);
    free(tail_g);
    free(next_g);
    free(head_r);
    free(tail_r);
    free(next_r);
    free(state);
    free(order);
    free(found);
    return rc;
}

static int candidates(dupfind_ctx *c, unsigned threads, unsigned flags,
                      const uint32_t *rank, dupfind_results **out)
{
    twins tw;
    dupfind_results *res;
    unsigned char *active = NULL, *lead = NULL;
    uint64_t *pairs = NULL;
    size_t npairs = 0, i;
    unsigned k = c->opts.num_perm, nconf = 1, ci;
    lsh_config conf[2];
    lsh_filter filter;
    lsh_skipped *skips[2] = { NULL, NULL };
    uint32_t *group = NULL;
    int rc = DUPFIND_ENOMEM;

    *out = NULL;
    memset(&tw, 0, sizeof(tw));
    memset(conf, 0, sizeof(conf));
    if (flags & ~(DUPFIND_STAR_COPIES | DUPFIND_STAR_SETTLED |
                  DUPFIND_CLUSTERS_ONLY | DUPFIND_WALK_BY_ID) ||
        (flags & DUPFIND_STAR_SETTLED && !(flags & DUPFIND_STAR_COPIES)) ||
        (flags & DUPFIND_STAR_SETTLED && flags & DUPFIND_CLUSTERS_ONLY) ||
        (flags & DUPFIND_WALK_BY_ID && flags != DUPFIND_WALK_BY_ID)) {
        snprintf(c->errmsg, sizeof(c->errmsg), "unknown candidate flags");
        return DUPFIND_EINVAL;
    }
    res = calloc(1, sizeof(*res));
    active = malloc(c->n ? c->n : 1);
    if (!res || !active)
        goto cleanup;
    res->merge = c->merge;
    /* A document without a single word has no shingle to compare. */
    for (i = 0; i < c->n; i++)
        active[i] = c->shingles[i] > 0;
    if (!c->twins_off && (rc = twins_find(c, active, &tw)) < 0)
        goto cleanup;
    rc = DUPFIND_ENOMEM;
    if (tw.rep) {
        if (!(lead = malloc(c->n)))
            goto cleanup;
        for (i = 0; i < c->n; i++)
            lead[i] = active[i] && tw.rep[i] == i;
    }
    conf[0].bands = c->opts.bands;
    conf[0].rows = c->opts.rows;
    conf[0].cap = 0;
    if (c->opts.containment > 0) {
        conf[nconf].bands = k;
        conf[nconf].rows = 1;
        conf[nconf].cap = LSH_SINGLE_ROW_CAP;
        nconf++;
    }
    /* Most candidates of the single-row bands share one common shingle
     * and nothing else.  LSH drops a pair whose estimate rules it out
     * as soon as it finds it, with the two signatures in cache, so
     * results hold only pairs that may be reported: 48 bytes a pair,
     * and nothing to verify, for the others. */
    filter.keep = keep_pair;
    filter.keep_model = keep_model;
    filter.sizes = c->shingles;
    filter.equal_bytes = c->eqbytes;
    filter.arg = c;
    filter.weight = tw.rep ? tw.weight : NULL;
    filter.join = (flags & (DUPFIND_CLUSTERS_ONLY | DUPFIND_WALK_BY_ID)) != 0;
    filter.skips = flags & DUPFIND_WALK_BY_ID ? skips : NULL;
    filter.groups = flags & (DUPFIND_WALK_BY_ID | DUPFIND_CLUSTERS_ONLY)
                        ? &group
                        : NULL;
    if ((rc = lsh_candidates_filter(c->sig, k, c->n, lead ? lead : active,
                                    conf, nconf, c->opts.seed, &filter,
                                    threads, &pairs, &npairs)) < 0)
        goto cleanup;
    if ((flags & DUPFIND_CLUSTERS_ONLY) && group) {
        /* An uncertain pair found before its two were joined cannot
         * change the clusters once they are: it would only be read
         * again for nothing. */
        size_t w = 0;

        for (i = 0; i < npairs; i++) {
            uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
            dupfind_pair p;

            if (ufs_find(group, a) == ufs_find(group, b) &&
                estimate_pair(c, a, b, &p) && p.uncertain)
                continue;
            pairs[w++] = pairs[i];
        }
        npairs = w;
    }
    if (flags & DUPFIND_WALK_BY_ID) {
        walk_env e = { c, &tw, conf, nconf, skips, NULL };

        rc = DUPFIND_ENOMEM;
        if (!(e.cache = twin_cache_new()))
            goto cleanup;
        rc = walk_by_id(&e, active, group, pairs, npairs, rank, res);
        free(e.cache);
        free(group);
        group = NULL;
        if (rc < 0)
            goto cleanup;
        if (rc == 0) {
            res->copies = tw.twins;
            goto done;
        }
        /* Too tangled: all the pairs, with copies as a settled star
         * when the walk is by id. */
        flags = rank ? 0 : DUPFIND_STAR_COPIES | DUPFIND_STAR_SETTLED;
        filter.join = 0;
        filter.skips = NULL;
        filter.groups = NULL;
        free(pairs);
        pairs = NULL;
        if ((rc = lsh_candidates_filter(c->sig, k, c->n,
                                        lead ? lead : active, conf, nconf,
                                        c->opts.seed, &filter, threads,
                                        &pairs, &npairs)) < 0)
            goto cleanup;
    }
    rc = DUPFIND_ENOMEM;
    if (tw.rep) {
        if ((rc = expand_twins(c, &tw, active, pairs, npairs, flags,
                               res)) < 0)
            goto cleanup;
        res->copies = tw.twins;
        goto done;
    }
    if (npairs && !(res->pairs = malloc(npairs * sizeof(*res->pairs))))
        goto cleanup;
    res->cap = npairs;
    for (i = 0; i < npairs; i++)
        estimate_pair(c, (uint32_t)(pairs[i] >> 32), (uint32_t)pairs[i],
                      &res->pairs[res->n++]);
done:
    *out = res;
    res = NULL;
    rc = 0;
cleanup:
    if (rc < 0)
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", dupfind_strerror(rc));
    for (ci = 0; ci < 2; ci++)
        lsh_skips_free(skips[ci], conf[ci].bands);
    dupfind_results_free(res);
    twins_free(&tw);
    free(active);
    free(lead);
    free(group);
    free(pairs);
    return rc;
}

int dupfind_ctx_candidates_flags(dupfind_ctx *c, unsigned threads,
                                 unsigned flags, dupfind_results **out)
{
    return candidates(c, threads, flags, NULL, out);
}

int dupfind_ctx_candidates_walk(dupfind_ctx *c, unsigned threads,
                                const uint32_t *rank, dupfind_results **out)
{
    uint32_t i;
    unsigned char *seen;

    *out = NULL;
    if (rank) {
        /* A permutation, or the walk would skip documents. */
        if (!(seen = calloc(c->n ? c->n : 1, 1))) {
            snprintf(c->errmsg, sizeof(c->errmsg), "%s",
                     dupfind_strerror(DUPFIND_ENOMEM));
            return DUPFIND_ENOMEM;
        }
        for (i = 0; i < c->n && rank[i] < c->n && !seen[rank[i]]; i++)
            seen[rank[i]] = 1;
        free(seen);
        if (i < c->n) {
            snprintf(c->errmsg, sizeof(c->errmsg),
                     "rank is not a permutation of the documents");
            return DUPFIND_EINVAL;
        }
    }
    return candidates(c, threads, DUPFIND_WALK_BY_ID, rank, out);
}

int dupfind_ctx_candidates(dupfind_ctx *c, dupfind_results **out)
{
    return dupfind_ctx_candidates_threads(c, 1, out);
}

typedef struct {
    const char *name;
    size_t len;
    uint32_t id;
} name_ref;

static int cmp_name(const void *x, const void *y)
{
    const name_ref *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int r = memcmp(a->name, b->name, n);

    if (r)
        return r;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* A pair to order: its key for one pass and where it is in res. */
typedef struct {
    uint64_t key;
    size_t idx;
} pair_key;

#define KEY_BITS 11

/* Stable LSD radix sort of n records by key, KEY_BITS a pass; a pass in
 * which every key has the same digit is skipped.  Returns where the
 * result is, a or tmp.  With qsort, selecting 12.5 M pairs took 8.1 s;
 * with this 4.9 s. */
static pair_key *sort_pair_keys(pair_key *a, pair_key *tmp, size_t n)
{
    size_t count[1u << KEY_BITS], i, at;
    unsigned shift;

    for (shift = 0; shift < 64; shift += KEY_BITS) {
        pair_key *t;
        unsigned d;

        memset(count, 0, sizeof(count));
        for (i = 0; i < n; i++)
            count[a[i].key >> shift & ((1u << KEY_BITS) - 1)]++;
        if (count[a[0].key >> shift & ((1u << KEY_BITS) - 1)] == n)
            continue;
        for (d = 0, at = 0; d < 1u << KEY_BITS; d++) {
            size_t c = count[d];

            count[d] = at;
            at += c;
        }
        for (i = 0; i < n; i++)
            tmp[count[a[i].key >> shift & ((1u << KEY_BITS) - 1)]++] = a[i];
        t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

/* Descending Jaccard as an ascending key: the bits of a double >= 0
 * rise with it (-0 is made +0 first). */
static uint64_t score_key(double s)
{
    uint64_t bits;

    if (s == 0)
        s = 0;
    memcpy(&bits, &s, sizeof(bits));
    return UINT64_MAX - bits;
}


dupfind_relation dupfind_pair_relation(const dupfind_ctx *ctx,
                                       const dupfind_pair *p)
{
    return relation_of(p, ctx->opts.threshold, ctx->opts.containment);
}

int dupfind_results_select(dupfind_results *res, const dupfind_ctx *c)
{
    name_ref *refs = NULL;
    uint32_t *rank = NULL;
    pair_key *keys = NULL, *tmp = NULL, *order;
    dupfind_pair *sorted = NULL;
    size_t i, w = 0;
    int rc = DUPFIND_ENOMEM;

    for (i = 0; i < res->n; i++) {
        dupfind_pair *p = &res->pairs[i];

        p->relation = relation_of(p, c->opts.threshold, c->opts.containment);
        if (p->relation != DUPFIND_REL_NONE)
            res->pairs[w++] = *p;
    }
    res->n = w;
    if (res->n < 2)
        return 0;

    refs = malloc((c->n ? c->n : 1) * sizeof(*refs));
    rank = malloc((c->n ? c->n : 1) * sizeof(*rank));
    keys = malloc(res->n * sizeof(*keys));
    tmp = malloc(res->n * sizeof(*tmp));
    sorted = malloc(res->n * sizeof(*sorted));
    if (!refs || !rank || !keys || !tmp || !sorted)
        goto cleanup;
    for (i = 0; i < c->n; i++) {
        refs[i].name = dupfind_ctx_doc_name(c, (uint32_t)i, &refs[i].len);
        refs[i].id = (uint32_t)i;
    }
    qsort(refs, c->n, sizeof(*refs), cmp_name);
    for (i = 0; i < c->n; i++)
        rank[refs[i].id] = (uint32_t)i;
    /* Jaccard descending, then the names of a and b: by the names'
     * ranks first, then (stable) by the score. */
    for (i = 0; i < res->n; i++) {
        keys[i].key = (uint64_t)rank[res->pairs[i].a] << 32 |
                      rank[res->pairs[i].b];
        keys[i].idx = i;
    }
    order = sort_pair_keys(keys, tmp, res->n);
    for (i = 0; i < res->n; i++)
        order[i].key = score_key(res->pairs[order[i].idx].jaccard);
    order = sort_pair_keys(order, order == keys ? tmp : keys, res->n);
    for (i = 0; i < res->n; i++)
        sorted[i] = res->pairs[order[i].idx];
    free(res->pairs);
    res->pairs = sorted;
    res->cap = res->n;
    sorted = NULL;
    rc = 0;
cleanup:
    free(refs);
    free(rank);
    free(keys);
    free(tmp);
    free(sorted);
    return rc;
}

int dupfind_ctx_find(dupfind_ctx *c, dupfind_results **out)
{
    int rc = dupfind_ctx_candidates(c, out);

    if (rc < 0)
        return rc;
    rc = dupfind_results_select(*out, c);
    if (rc < 0) {
        dupfind_results_free(*out);
        *out = NULL;
    }
    return rc;
}

uint32_t dupfind_results_copies(const dupfind_results *res)
{
    return res ? res->copies : 0;
}

size_t dupfind_results_count(const dupfind_results *res)
{
    return res ? res->n : 0;
}

const dupfind_pair *dupfind_results_pair(const dupfind_results *res,
                                         size_t i)
{
    return res && i < res->n ? &res->pairs[i] : NULL;
}

void dupfind_similarity_exact(const uint64_t *a, size_t na,
                              const uint64_t *b, size_t nb,
                              double *jaccard, double *a_in_b,
                              double *b_in_a)
{
    dupfind_pair p;

    verify_from_counts(&p, (double)verify_intersect(a, na, b, nb),
                       (double)na, (double)nb);
    *jaccard = p.jaccard;
    *a_in_b = p.a_in_b;
    *b_in_a = p.b_in_a;
}

int dupfind_results_set_exact_shared(dupfind_results *res, size_t i,
                                     uint64_t shared, uint64_t na,
                                     uint64_t nb)
{
    dupfind_pair *p;

    if (!res || i >= res->n || shared > na || shared > nb)
        return DUPFIND_EINVAL;
    p = &res->pairs[i];
    verify_from_counts(p, (double)shared, (double)na, (double)nb);
    p->exact = 1;
    p->uncertain = 0;
    return 0;
}

int dupfind_results_set_exact(dupfind_results *res, size_t i,
                              const uint64_t *a, size_t na,
                              const uint64_t *b, size_t nb)
{
    dupfind_pair *p;

    if (!res || i >= res->n)
        return DUPFIND_EINVAL;
    p = &res->pairs[i];
    verify_from_counts(p, (double)verify_intersect_with(res->merge, a, na,
                                                        b, nb),
                       (double)na, (double)nb);
    p->exact = 1;
    p->uncertain = 0;
    return 0;
}

int dupfind_results_clusters(const dupfind_results *res, uint32_t n,
                             uint32_t *out_cluster, uint32_t *out_n)
{
    union_find uf;
    uint32_t *root_num = NULL, next = 0, i;
    size_t j;

    *out_n = 0;
    DF_TRY(uf_init(&uf, n));
    for (j = 0; j < res->n; j++)
        uf_union(&uf, res->pairs[j].a, res->pairs[j].b);
    root_num = calloc(n ? n : 1, sizeof(*root_num));
    if (!root_num) {
        uf_release(&uf);
        return DUPFIND_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        uint32_t r = uf_find(&uf, i);

        if (uf.size[r] < 2) {
            out_cluster[i] = 0;
            continue;
        }
        if (!root_num[r])
            root_num[r] = ++next;   /* numbered by first member's id */
        out_cluster[i] = root_num[r];
    }
    *out_n = next;
    free(root_num);
    uf_release(&uf);
    return 0;
}

void dupfind_results_free(dupfind_results *res)
{
    if (!res)
        return;
    free(res->pairs);
    free(res);
}
