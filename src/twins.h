/*
 * twins.h - documents whose sketches are identical.
 *
 * Everything the candidate phase knows of a document is its sketch:
 * signature, count of distinct shingles and sample.  Documents with the
 * same sketch (most often copies of one file) meet every other
 * document in the same bands and get the same estimate against it, so
 * banding one of them stands for all: the others are left out of LSH,
 * and the pairs kept for the one are copied to each (results.c).
 * Without this a corpus holding a file 2,000 times made 2 M pairs in
 * each of the 26 multi-row bands: 5.7 s of candidate generation, 0.43 s
 * with the copies banded once.
 */
#ifndef DUPFIND_TWINS_H
#define DUPFIND_TWINS_H

#include <stdint.h>

#include "ctx.h"

#define TWINS_END UINT32_MAX

typedef struct {
    uint32_t *rep;     /* n: the lowest id with the same sketch */
    uint32_t *weight;  /* n: documents a representative stands for
                          (itself included), 1 for the others */
    uint32_t *next;    /* n: the next document with the same sketch,
                          ids ascending from the representative;
                          TWINS_END after the last */
    uint32_t groups;   /* sketches held by two or more documents */
    uint32_t twins;    /* documents that are not representatives */
} twins;

/* Groups the active documents of c by identical sketch.  When none is
 * shared, t->rep (and the rest) stay NULL.  Returns 0 or
 * DUPFIND_ENOMEM. */
int twins_find(const dupfind_ctx *c, const unsigned char *active,
               twins *t);

void twins_free(twins *t);

#endif
