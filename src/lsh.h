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
 * to minimise the false-positive area  integral_0^t P(s) ds  plus the
 * false-negative area  integral_t^1 (1 - P(s)) ds, equally weighted, as
 * datasketch's MinHashLSH does.
 *
 * Each band of each document becomes a 16-byte record (64-bit XXH3 of
 * the band's rows, seeded with the band number; document id).  The
 * records of one band are radix-sorted; runs of equal keys give the
 * pairs.  Pairs are kept as (a << 32 | b), a < b, and sorted/deduplicated
 * whenever the list doubles, so a pair colliding in many bands is kept
 * once.
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

/* Chooses bands and rows for k slots and threshold t (0 < t < 1). */
void lsh_choose_params(unsigned k, double t, unsigned *bands,
                       unsigned *rows);

/* Candidate pairs of n documents with signatures sig (n * k slots);
 * documents with active[id] == 0 are left out.  *out (malloc'd, caller
 * frees) receives the distinct pairs (a << 32 | b, a < b) sorted
 * ascending, *out_n their count.  Returns 0 or DUPFIND_ENOMEM. */
int lsh_candidates(const uint32_t *sig, unsigned k, uint32_t n,
                   const unsigned char *active, unsigned bands,
                   unsigned rows, uint64_t seed,
                   uint64_t **out, size_t *out_n);

#endif
