/*
 * lsh.h - banding of MinHash signatures into candidate pairs.
 *
 * The signature's first b*r slots are cut into b bands of r rows.  Two
 * documents become a candidate pair when all r rows of at least one band
 * are equal, which for Jaccard similarity s happens with probability
 *
 *     P(s) = 1 - (1 - s^r)^b                      (the "S-curve")
 *
 * (Leskovec, Rajaraman, Ullman, Mining of Massive Datasets, 3rd ed.,
 * section 3.4).  Given a threshold t, (b, r) is chosen among all b*r <= k
 * to minimise  w_fp * integral_0^t P(s) ds + w_fn * integral_t^1 (1-P(s)) ds,
 * the integral method of datasketch's MinHashLSH.  datasketch weighs the
 * two areas equally, which puts P(t) near 0.5 and P(t + 0.05) at only
 * 0.72 for t = 0.5, k = 128.  A false positive costs us one 512-byte
 * comparison, a false negative is lost for good, so we weigh them
 * LSH_FP_WEIGHT : LSH_FN_WEIGHT = 0.05 : 0.95, which gives
 * P(t + 0.05) >= 0.98 at k = 128 for t = 0.2, 0.25, ... 0.95 (between
 * those the choice of (b, r) jumps and the worst is 0.961 at t = 0.37;
 * t = 0.5: b = 26, r = 3, P(0.55) = 0.991).  With containment on (the
 * default) the single-row bands below give P >= 0.998 there anyway.
 *
 * Containment search adds a second configuration: every slot is a band
 * of one row, so a pair is a candidate when any slot agrees:
 * P = 1 - (1 - J)^k.  A contained pair has J = c / (1 + m - c) for
 * containment c and size ratio m, so at k = 128 a pair with c >= 0.5 and
 * m <= 10 (J >= 0.048) is a candidate with P >= 0.998.  Buckets of this
 * configuration with more than LSH_SINGLE_ROW_CAP documents are
 * skipped: they come from a shingle common to many documents
 * (boilerplate); pairs that are really alike among them still collide
 * in the multi-row bands.
 *
 * Each band of each document becomes an 8-byte record, key << 32 | id:
 * the key is the top 32 bits of XXH3-64 of the band's rows (seeded with
 * the band number and row count), or for a single row the MinHash value
 * itself.  The records of LSH_GROUP bands are made in one pass over the
 * signatures (16 single rows are one cache line of each), then each
 * band's records whose key is surely met once are dropped (2-bit
 * counters of hashed keys: three in four records of a single-row band
 * at a million documents) and the rest radix-sorted on the key bits;
 * runs of equal keys are the buckets (two different bands meeting on a
 * 32-bit key only make a candidate that verification drops).  Bands
 * are independent: sorting and pairing run on up to LSH_GROUP threads,
 * a band at a time.
 *
 * A pair is judged once per configuration, in the first band where its
 * rows are equal and the bucket was not skipped (met_earlier() looks
 * for such a band before, in the two signatures), then passed to the
 * caller's filter (results.c: the estimate, which rejects ~99% of the
 * single-row pairs).  Most pairs share one slot and nothing else; to
 * reject them without reading 2 x 512 bytes of signature, each
 * document also has the low bytes of its slots (k bytes): equal slots
 * have equal low bytes, so the equal bytes bound the equal slots from
 * above (exceeding them by (k - eq) / 256 on average), and with the two
 * sizes the filter's model (monotone in both) rejects the pair when
 * even that bound is too low.  A shared table of pairs judged lets
 * the many repeat meetings of near-duplicates skip met_earlier's reads
 * of both signatures.  Only kept pairs are stored (per thread,
 * then joined, sorted and deduplicated), so the output does not depend
 * on the thread count.
 */
#ifndef DUPFIND_LSH_H
#define DUPFIND_LSH_H

#include <stddef.h>
#include <stdint.h>

/* P(s) for b bands of r rows. */
double lsh_probability(double s, unsigned b, unsigned r);

/* False-positive and false-negative areas for threshold t. */
void lsh_error_areas(double t, unsigned b, unsigned r,
                     double *fp, double *fn);

#define LSH_FP_WEIGHT 0.05
#define LSH_FN_WEIGHT 0.95
#define LSH_SINGLE_ROW_CAP 512
/* Bands whose records one pass over the signatures makes, and the most
 * threads used: 16 single rows are one 64-byte cache line of each
 * signature. */
#define LSH_GROUP 16

/* Chooses bands and rows for k slots and threshold t (0 < t < 1). */
void lsh_choose_params(unsigned k, double t, unsigned *bands,
                       unsigned *rows);

/* One banding of the signature. */
typedef struct {
    unsigned bands;     /* number of bands */
    unsigned rows;      /* slots per band; bands * rows <= k */
    uint32_t cap;       /* skip buckets larger than this; 0 = no cap */
} lsh_config;

/* Keys of the buckets of one band that the cap skipped. */
typedef struct {
    uint32_t *keys;           /* ascending */
    size_t n, cap;            /* count, capacity */
} lsh_skipped;

void lsh_skips_free(lsh_skipped *skips, unsigned bands);

/* The number of i < k with x[i] == y[i]: with the low bytes of two
 * signatures, a bound on their equal slots (above).  lsh_equal_bytes
 * runs anywhere (SSE2 where the target has it); lsh_equal_bytes_avx2
 * (merge_avx2.c) only where the CPU has AVX2: reach it through
 * sketch_eqbytes_select().  At a million documents this runs for 93 M
 * pair meetings of the single-row bands. */
typedef unsigned (*lsh_equal_bytes_fn)(const uint8_t *x, const uint8_t *y,
                                       unsigned k);
unsigned lsh_equal_bytes(const uint8_t *x, const uint8_t *y, unsigned k);
unsigned lsh_equal_bytes_avx2(const uint8_t *x, const uint8_t *y,
                              unsigned k);

/* Which candidate pairs to keep.  The callbacks may be called from
 * several threads at once, and more than once for a pair. */
typedef struct {
    /* Nonzero to keep pair (a, b), a < b: LSH_SURE when the pair will
     * surely be reported (see join), else 1.  It keeps no pair that
     * keep_model rejects (it may reject more: those the samples of the
     * two documents rule out). */
    int (*keep)(void *arg, uint32_t a, uint32_t b);
    /* Whether keep may keep two documents of sizes na and nb (> 0)
     * whose signatures have eq equal slots.  It must not fall when eq grows
     * or when max(na, nb) / min(na, nb) grows.  NULL: keep is called
     * for every distinct pair. */
    int (*keep_model)(void *arg, unsigned eq, uint64_t na, uint64_t nb);
    const uint64_t *sizes;    /* n sizes for keep_model */
    lsh_equal_bytes_fn equal_bytes; /* for keep_model's bound; NULL:
                                       lsh_equal_bytes */
    void *arg;                /* passed to both */
    /* How many documents each one stands for when a bucket is measured
     * against the cap (twins.h), or NULL for one each. */
    const uint32_t *weight;
    /* Nonzero when the caller only groups documents: the pairs keep
     * calls sure join their two documents (a union-find shared by the
     * workers), and a pair of documents joined already is neither
     * judged nor returned.  The pairs returned then join the same
     * groups as without join (a pair left out was within one), but
     * which ones they are depends on the order the workers ran in. */
    int join;
    /* NULL, or nconf pointers that receive, for each configuration, an
     * array of its bands' skipped keys (free each with
     * lsh_skips_free). */
    lsh_skipped **skips;
    /* With join: NULL, or where the union-find is handed over at the
     * end (n parents, malloc'd; roots by ufs_find): the groups of the
     * sure pairs.  Every pair kept whose documents are in two groups
     * is among those returned. */
    uint32_t **groups;
} lsh_filter;

#define LSH_SURE 2

/* Candidate pairs of n documents with signatures sig (n * k slots)
 * under each of nconf configurations; documents with active[id] == 0
 * are left out.  *out (malloc'd, caller frees) receives the distinct
 * pairs (a << 32 | b, a < b) sorted ascending, *out_n their count.
 * Returns 0 or DUPFIND_ENOMEM. */
/* Whether documents with signatures x and y meet in a bucket that
 * lsh_candidates_filter kept: equal keys in some band of some
 * configuration, not skipped (skips as filter->skips received them, or
 * NULL when no bucket was).  So a pair lsh_candidates_filter (without
 * join) returns is one that meets and that filter->keep keeps. */
int lsh_pair_meets(const uint32_t *x, const uint32_t *y,
                   const lsh_config *conf, unsigned nconf, uint64_t seed,
                   lsh_skipped *const *skips);

int lsh_candidates(const uint32_t *sig, unsigned k, uint32_t n,
                   const unsigned char *active, const lsh_config *conf,
                   unsigned nconf, uint64_t seed,
                   uint64_t **out, size_t *out_n);

/* lsh_candidates, keeping only the pairs filter->keep accepts (all if
 * filter is NULL), on up to threads threads (0 counts as 1; at most
 * LSH_GROUP are used).  The output is the same for every thread count
 * (but see filter->join).
 * Returns 0 or DUPFIND_ENOMEM. */
int lsh_candidates_filter(const uint32_t *sig, unsigned k, uint32_t n,
                          const unsigned char *active,
                          const lsh_config *conf, unsigned nconf,
                          uint64_t seed, const lsh_filter *filter,
                          unsigned threads, uint64_t **out, size_t *out_n);

#endif
