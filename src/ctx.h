/*
 * ctx.h - what stands behind the opaque handles of dupfind.h.
 */
#ifndef DUPFIND_CTX_H
#define DUPFIND_CTX_H

#include "dupfind.h"
#include "lsh.h"
#include "shingle.h"
#include "sketch.h"
#include "tokenize.h"

struct dupfind_ctx {
    dupfind_options opts;     /* as given, bands/rows filled in */
    sketch_params sp;         /* MinHash hash functions */
    sketch_fn kernel;         /* chosen MinHash kernel */
    const char *kernel_name;  /* its name */
    verify_merge_fn merge;    /* merge kernel of exact scoring, same level */
    verify_merge32_fn merge32; /* ... of samples */
    lsh_equal_bytes_fn eqbytes; /* low bytes' bound in LSH (lsh.h) */
    uint64_t token_seed;      /* seed of token hashes */
    uint64_t shingle_seed;    /* seed of shingle hashes */

    uint32_t n;               /* documents */
    size_t cap;               /* capacity of the per-document arrays */
    uint32_t *sig;            /* n * num_perm slots, contiguous */
    size_t sig_cap;           /* documents sig holds (bigmem_map_grow) */
    uint64_t *shingles;       /* distinct shingles per document */
    /* Each document's sample (see DOC_SAMPLE_SHIFT), back to back in
     * samp: document i's is samp[samp_off[i] .. samp_off[i] + samp_n[i]),
     * taken with shift samp_shift[i]; samp_n[i] = CTX_NO_SAMPLE when it
     * was added without one. */
    uint32_t *samp;           /* sorted samples (low 32 bits) */
    size_t samp_len, samp_cap;/* entries */
    size_t *samp_off;         /* per document */
    uint32_t *samp_n;         /* per document */
    unsigned char *samp_shift;/* per document */
    size_t *name_off;         /* offset of each name in names */
    char *names;              /* NUL-terminated names, back to back */
    size_t names_len, names_cap; /* bytes */
    const struct dupfind_df *df; /* document frequencies, or NULL */
    uint64_t df_max;          /* ignore shingles in more docs than this */
    int twins_off;            /* tests: band every document itself,
                                 not one of each sketch (twins.h) */
    uint64_t walk_tries;      /* tests: DUPFIND_WALK_BY_ID's budget of
                                 tries, 0 for the default */
    char errmsg[256];         /* last failure's detail */
};

#define DOC_BATCH 256   /* new shingles folded into a signature at once */

/* The sample of a document: the low 32 bits of the hashes of its
 * distinct shingles (common ones left out) that are below
 * 2^(32 - shift), sorted.  The shift is DOC_SAMPLE_SHIFT (one shingle in
 * 16), or 0 (all of them) for a document of at most DOC_SAMPLE_ALL
 * distinct shingles.  The same shingle is in the sample of every
 * document that has it, so for two documents the values below
 * 2^(32 - the larger shift), a prefix of each, are a random sample of
 * their union in which the shared shingles can be counted: it bounds
 * the containment of a small document in a large one, which the
 * signatures cannot, and gives two small documents their overlap
 * outright (see verify_sample_rejects, verify_full_sets).  4 bytes a
 * value: a quarter of a byte a shingle, at most 1 KiB for a small
 * document.  Two different shingles pass for one with a chance of
 * 2^-32 per comparison (2^-28 in the sampled range). */
#define DOC_SAMPLE_SHIFT 4
#define DOC_SAMPLE_ALL 256
#define DOC_IN_SAMPLE(h) ((uint32_t)(h) < (UINT32_C(1) << (32 - DOC_SAMPLE_SHIFT)))
#define CTX_NO_SAMPLE UINT32_MAX

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
    int shingles_only;        /* dupfind_doc_shingles_only: every
                                 document big, no signature, no sample */
    uint64_t *vec;            /* shingles of a big document */
    size_t vec_len, vec_cap;  /* entries */
    int vec_settled;          /* vec is sorted and distinct */
    uint64_t ignored;         /* distinct shingles left out as common */
    uint64_t *samp;           /* the hashes taken (sample_add) */
    size_t samp_len, samp_cap;/* entries */
    int samp_all;             /* all so far (at most DOC_SAMPLE_ALL) */
    uint32_t *samp32;         /* the sample as kept, once finished: their
                                 low 32 bits, sorted, distinct */
    size_t samp32_len, samp32_cap; /* entries */
    unsigned samp_shift;      /* 0: all shingles; else DOC_SAMPLE_SHIFT */
    int err;                  /* sticky failure of this document */
};

struct dupfind_results {
    dupfind_pair *pairs;      /* the pairs */
    size_t n, cap;            /* count, capacity */
    uint32_t copies;          /* documents banded as an earlier copy */
    verify_merge_fn merge;    /* the context's merge kernel */
};

#endif
