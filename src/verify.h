/*
 * verify.h - scoring of candidate pairs.
 *
 * Estimated: the Jaccard similarity J is the share of equal signature
 * slots (Broder 1997); its standard error is sqrt(J(1-J)/k).  With the
 * exact distinct-shingle counts |A| and |B| the intersection follows from
 * |A n B| = J (|A| + |B|) / (1 + J), and the containments are
 * |A n B| / |A| and |A n B| / |B|, capped at 1.
 *
 * Exact: a merge of the two sorted distinct-shingle sets (SIMD kernels
 * compare blocks of values; see verify_merge_fn).
 */
#ifndef DUPFIND_VERIFY_H
#define DUPFIND_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "dupfind.h"

/* A merge kernel: the number of values two sorted sets of distinct
 * values share, by walking both.  verify_merge_scalar is the reference;
 * the SIMD ones (merge_<isa>.c, compiled in only on their architecture
 * and with DUPFIND_SIMD on) compare blocks of values at once and count
 * the same, and may only be called when the CPU has their instructions:
 * reach them through sketch_merge_select() and sketch_merge32_select()
 * (sketch.h). */
typedef size_t (*verify_merge_fn)(const uint64_t *a, size_t na,
                                  const uint64_t *b, size_t nb);

size_t verify_merge_scalar(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb);
size_t verify_merge_sse(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb);
size_t verify_merge_avx2(const uint64_t *a, size_t na, const uint64_t *b,
                         size_t nb);
size_t verify_merge_avx512(const uint64_t *a, size_t na, const uint64_t *b,
                           size_t nb);

/* The same for 32-bit values (samples). */
typedef size_t (*verify_merge32_fn)(const uint32_t *a, size_t na,
                                    const uint32_t *b, size_t nb);

size_t verify_merge32_scalar(const uint32_t *a, size_t na,
                             const uint32_t *b, size_t nb);
size_t verify_merge32_sse(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb);
size_t verify_merge32_avx2(const uint32_t *a, size_t na, const uint32_t *b,
                           size_t nb);

/* Standard errors of the confidence interval that marks a pair as
 * uncertain. */
#define VERIFY_Z 2.5

/* Fills the scores of *p from the signatures and distinct counts, and
 * p->uncertain: whether the relation could change within the Wilson
 * score interval (z = VERIFY_Z) of the share of equal slots: the
 * interval straddles t (duplicate or not), or, when J is surely below
 * t, the containment it implies straddles ct (0 = off). */
void verify_estimate(dupfind_pair *p, const uint32_t *sa,
                     const uint32_t *sb, unsigned k, uint64_t na,
                     uint64_t nb, double t, double ct);

/* Standard errors of the interval with which samples rule a pair out:
 * wider than VERIFY_Z, as nothing checks a rejection afterwards (a
 * share at the threshold is ruled out about once in 4,000). */
#define VERIFY_SAMPLE_Z 3.5

/* Entries of sample s[0 .. n) (sorted) taken with a shift of at most
 * shift: those below 2^(32 - shift), a prefix. */
size_t verify_sample_prefix(const uint32_t *s, size_t n, unsigned shift);

/* Values two sorted distinct samples share: merged with merge, or
 * galloped when one is many times smaller. */
size_t verify_sample_shared_with(verify_merge32_fn merge, const uint32_t *a,
                                 size_t na, const uint32_t *b, size_t nb);


/* Whether the samples of two documents (ctx.h; taken with the same
 * shift: na and nb values, s of them shared) show the pair below both
 * thresholds.  Sampling by hash takes every shingle with the same
 * chance and the same shingles from both, so given the sizes of the
 * samples, the shared ones among them are drawn without replacement:
 * from the union for Jaccard (s shared of na + nb - s), from either
 * document for its containment in the other (s of na, s of nb).
 * Nonzero when the Wilson interval (z = VERIFY_SAMPLE_Z) of Jaccard lies
 * below t and, when ct > 0, those of both containments below ct. */
int verify_sample_rejects(double s, double na, double nb, double t,
                          double ct);

/* Scores from an intersection size and the two set sizes. */
void verify_from_counts(dupfind_pair *p, double inter, double na,
                        double nb);

/* Size of the intersection of two sorted sets of distinct values: a set
 * many times smaller than the other is looked up in it by galloping,
 * else the two are merged with merge. */
size_t verify_intersect_with(verify_merge_fn merge, const uint64_t *a,
                             size_t na, const uint64_t *b, size_t nb);

/* The same with the best merge kernel the CPU runs. */
size_t verify_intersect(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb);

#endif
