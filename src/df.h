/*
 * df.h - document frequency of shingles, for --ignore-common.
 *
 * A count-min sketch (Cormode and Muthukrishnan 2005) of DF_ROWS rows of
 * DF_WIDTH 32-bit counters counts, for every shingle, the documents it
 * occurs in (each document adds its distinct shingles once).  The
 * estimate is the minimum over the rows: never below the true count,
 * above it by at most e * N / DF_WIDTH with probability 1 - e^-DF_ROWS,
 * N being the total of all documents' distinct shingle counts.  At
 * 2^22 counters per row that is about 0.65 documents per million
 * shingle occurrences: a few documents for corpora of ~10^7 shingles.
 * Memory is fixed (DF_ROWS * DF_WIDTH * 4 bytes = 64 MiB) whatever the
 * corpus size.  Counters are bumped with atomic adds, so worker threads
 * can count at once and the result does not depend on their order.
 */
#ifndef DUPFIND_DF_H
#define DUPFIND_DF_H

#include <stdint.h>

#define DF_ROWS 4
#define DF_WIDTH_BITS 22
#define DF_WIDTH (1u << DF_WIDTH_BITS)

struct dupfind_df {
    uint32_t *cnt;      /* DF_ROWS * DF_WIDTH counters */
    uint64_t docs;      /* documents counted (atomic) */
};

/* Estimated number of documents containing shingle h. */
uint32_t df_estimate(const struct dupfind_df *df, uint64_t h);

#endif
