/*
 * ctx.h - what stands behind the opaque handles of dupfind.h.
 */
#ifndef DUPFIND_CTX_H
#define DUPFIND_CTX_H

#include "dupfind.h"
#include "shingle.h"
#include "sketch.h"
#include "tokenize.h"

struct dupfind_ctx {
    dupfind_options opts;     /* as given, bands/rows filled in */
    sketch_params sp;         /* MinHash hash functions */
    sketch_fn kernel;         /* chosen MinHash kernel */
    const char *kernel_name;  /* its name */
    uint64_t token_seed;      /* seed of token hashes */
    uint64_t shingle_seed;    /* seed of shingle hashes */

    uint32_t n;               /* documents */
    size_t cap;               /* capacity of the per-document arrays */
    uint32_t *sig;            /* n * num_perm slots, contiguous */
    uint64_t *shingles;       /* distinct shingles per document */
    size_t *name_off;         /* offset of each name in names */
    char *names;              /* NUL-terminated names, back to back */
    size_t names_len, names_cap; /* bytes */
    const struct dupfind_df *df; /* document frequencies, or NULL */
    uint64_t df_max;          /* ignore shingles in more docs than this */
    char errmsg[256];         /* last failure's detail */
};

#define DOC_BATCH 256   /* new shingles folded into a signature at once */

struct dupfind_doc {
    const dupfind_ctx *ctx;   /* borrowed */
    tokenizer tok;            /* bytes -> token hashes */
    shingler sh;              /* token hashes -> shingle hashes */
    shingle_set set;          /* distinct shingles */
    uint32_t *sig;            /* num_perm slots */
    uint64_t batch[DOC_BATCH];/* new shingles not yet in sig */
    size_t nbatch;            /* entries in batch */
    uint64_t *sorted;         /* sorted distinct shingles, on request */
    size_t sorted_cap;        /* entries */
    int sorted_valid;         /* sorted is up to date */
    /* A large document outgrows the hash set (DOC_SET_LIMIT): from then
     * on its shingles are appended here, duplicates and all, and sorted
     * and deduplicated when needed (vec_settled), which reads memory in
     * order instead of missing the cache on every probe. */
    size_t set_limit;         /* DOC_SET_LIMIT; tests may change it */
    int big;                  /* the shingles are in vec, not in set */
    uint64_t *vec;            /* shingles of a big document */
    size_t vec_len, vec_cap;  /* entries */
    int vec_settled;          /* vec is sorted and distinct */
    uint64_t ignored;         /* distinct shingles left out as common */
    int err;                  /* sticky failure of this document */
};

struct dupfind_results {
    dupfind_pair *pairs;      /* the pairs */
    size_t n, cap;            /* count, capacity */
};

#endif
