/*
 * dupfind.h - public API of libdupfind, a near-duplicate text detector.
 *
 * The pipeline, one stage per source module:
 *
 *   bytes --tokenize--> normalised tokens --shingle--> 64-bit shingle hashes
 *         --sketch--> MinHash signature --lsh--> candidate pairs
 *         --verify--> scored pairs (Jaccard, containments) --> results
 *
 * Typical use:
 *
 *   dupfind_options o;  dupfind_options_init(&o);
 *   dupfind_ctx *ctx;   dupfind_ctx_new(&ctx, &o);
 *   dupfind_doc *doc;   dupfind_doc_new(&doc, ctx);
 *   for each document:
 *       dupfind_doc_reset(doc);
 *       dupfind_doc_feed(doc, chunk, len);     (as many times as needed)
 *       dupfind_doc_finish(doc);
 *       dupfind_ctx_add(ctx, &id, name, name_len, doc);
 *   dupfind_results *res; dupfind_ctx_find(ctx, &res);
 *   for (i = 0; i < dupfind_results_count(res); i++)
 *       use dupfind_results_pair(res, i);
 *   dupfind_results_free(res); dupfind_doc_free(doc); dupfind_ctx_free(ctx);
 *
 * Conventions (the same for every call):
 *  - Functions that can fail return int: 0 on success, a negative
 *    DUPFIND_E* code on failure.  Detail text: dupfind_ctx_errmsg().
 *  - Inputs are borrowed; the library copies what it keeps.  What comes
 *    back through an `out` parameter belongs to the caller and is released
 *    with the matching _free().  Pointers returned as values are borrowed
 *    and live as long as the object they came from.
 *  - The library never prints, never exits and never aborts on failure.
 *  - A dupfind_doc may be used by one thread while other threads use
 *    their own dupfind_doc objects made from the same context; the
 *    context itself (dupfind_ctx_add, dupfind_ctx_find) is not
 *    thread-safe and must be called from one thread at a time.
 */
#ifndef DUPFIND_H
#define DUPFIND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(DUPFIND_SHARED_BUILD)
#  define DUPFIND_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define DUPFIND_API __attribute__((visibility("default")))
#else
#  define DUPFIND_API
#endif

#define DUPFIND_VERSION_MAJOR 0
#define DUPFIND_VERSION_MINOR 1
#define DUPFIND_VERSION_PATCH 0
#define DUPFIND_VERSION_STRING "0.1.0"

/* Error codes.  Never renumbered. */
enum {
    DUPFIND_OK        =  0,
    DUPFIND_ERROR     = -1, /* generic failure */
    DUPFIND_ENOMEM    = -2, /* out of memory */
    DUPFIND_EINVAL    = -3, /* invalid argument or option */
    DUPFIND_EIO       = -4, /* read or write failed */
    DUPFIND_EENCODING = -5, /* text could not be decoded */
    DUPFIND_ELIMIT    = -6  /* a size limit was exceeded */
};

/* SIMD level of the MinHash kernel.  Every level computes bit-identical
 * signatures; the choice only changes speed. */
typedef enum {
    DUPFIND_SIMD_AUTO = 0,  /* best kernel the CPU supports */
    DUPFIND_SIMD_SCALAR,    /* portable C reference */
    DUPFIND_SIMD_SSE,       /* SSE4.1 */
    DUPFIND_SIMD_AVX2,
    DUPFIND_SIMD_AVX512,
    DUPFIND_SIMD_NEON
} dupfind_simd;

/* What a shingle is made of. */
typedef enum {
    DUPFIND_SHINGLE_WORDS = 0, /* runs of shingle_len words */
    DUPFIND_SHINGLE_CHARS = 1  /* runs of shingle_len characters */
} dupfind_shingle_kind;

#define DUPFIND_OPTIONS_VERSION 1

/* Options of a context.  Initialise with dupfind_options_init(), then
 * change fields; fields may be appended in later versions. */
typedef struct {
    unsigned version;        /* DUPFIND_OPTIONS_VERSION */
    dupfind_shingle_kind shingle_kind; /* words (default) or characters */
    unsigned shingle_len;    /* tokens per shingle, 1..64; default 5 */
    unsigned num_perm;       /* signature length, 1..4096; default 128 */
    unsigned bands;          /* LSH bands, 0 = choose from threshold */
    unsigned rows;           /* rows per band with bands set; 0 = as many
                                as fit: num_perm / bands */
    double   threshold;      /* report pairs with Jaccard >= this, 0..1;
                                default 0.5 */
    double   containment;    /* also report pairs where one side is
                                contained to at least this share, 0..1;
                                0 = off.  Default 0.5 */
    uint64_t seed;           /* seeds every hash function; default 0 */
    dupfind_simd simd;       /* DUPFIND_SIMD_AUTO unless testing */
} dupfind_options;

/* Fills *opts with the defaults.  Always succeeds. */
DUPFIND_API void dupfind_options_init(dupfind_options *opts);

/* Fixed text for an error code ("out of memory", ...).  Never NULL. */
DUPFIND_API const char *dupfind_strerror(int code);

/* Library version string, e.g. "0.1.0". */
DUPFIND_API const char *dupfind_version(void);

/* Writes the names of the MinHash kernels that are compiled in and that
 * this CPU runs, best first, space-separated ("avx512 avx2 sse scalar"),
 * like snprintf: returns the length of the full text, writes at most len
 * bytes including the NUL. */
DUPFIND_API size_t dupfind_simd_kernels(char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Context: the corpus of sketched documents                           */
/* ------------------------------------------------------------------ */

typedef struct dupfind_ctx dupfind_ctx;

/* Creates a context with the given options (NULL = defaults).
 * Returns: 0, or DUPFIND_EINVAL for out-of-range options (detail in
 *   *out's errmsg is not available, so the text goes to errbuf when
 *   errbuf is not NULL), DUPFIND_ENOMEM.
 * Ownership: *out belongs to the caller; free with dupfind_ctx_free(). */
DUPFIND_API int dupfind_ctx_new(dupfind_ctx **out,
                                const dupfind_options *opts,
                                char *errbuf, size_t errbuf_len);

/* Frees a context; NULL is fine. */
DUPFIND_API void dupfind_ctx_free(dupfind_ctx *ctx);

/* The options in force, with bands and rows filled in as chosen. */
DUPFIND_API const dupfind_options *dupfind_ctx_options(
    const dupfind_ctx *ctx);

/* Detail text of the last failure on ctx ("" if none).  Borrowed. */
DUPFIND_API const char *dupfind_ctx_errmsg(const dupfind_ctx *ctx);

/* Name of the MinHash kernel in use ("scalar", "avx2", ...). */
DUPFIND_API const char *dupfind_ctx_simd_name(const dupfind_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Document builder: streams one document's bytes into a signature     */
/* ------------------------------------------------------------------ */

typedef struct dupfind_doc dupfind_doc;

/* Creates a document builder for ctx.  One per thread.
 * Ownership: *out belongs to the caller; free with dupfind_doc_free().
 * The builder borrows ctx, which must outlive it. */
DUPFIND_API int dupfind_doc_new(dupfind_doc **out, const dupfind_ctx *ctx);
DUPFIND_API void dupfind_doc_free(dupfind_doc *doc);

/* Starts a new, empty document.  Keeps allocated buffers. */
DUPFIND_API void dupfind_doc_reset(dupfind_doc *doc);

/* Feeds the next len bytes of the document's text (UTF-8; invalid
 * sequences are replaced by U+FFFD).  Chunks may split a character.
 * Returns: 0 or DUPFIND_ENOMEM. */
DUPFIND_API int dupfind_doc_feed(dupfind_doc *doc, const void *data,
                                 size_t len);

/* Ends the document: flushes pending text, completes the signature.
 * Returns: 0 or DUPFIND_ENOMEM. */
DUPFIND_API int dupfind_doc_finish(dupfind_doc *doc);

/* Number of distinct shingles of the finished document (0 when the text
 * has no word at all). */
DUPFIND_API uint64_t dupfind_doc_shingle_count(const dupfind_doc *doc);

/* Number of tokens (words or characters) seen. */
DUPFIND_API uint64_t dupfind_doc_token_count(const dupfind_doc *doc);

/* The signature: num_perm 32-bit values.  Borrowed; valid until the next
 * reset/feed on doc. */
DUPFIND_API const uint32_t *dupfind_doc_signature(const dupfind_doc *doc);

/* The distinct shingle hashes, sorted ascending (for exact scoring).
 * Returns: 0 or DUPFIND_ENOMEM.  *out is borrowed, valid until the next
 * reset/feed on doc. */
DUPFIND_API int dupfind_doc_shingles(dupfind_doc *doc,
                                     const uint64_t **out, size_t *count);

/* The document's sample: the low 32 bits of those of its distinct
 * shingle hashes (as dupfind_doc_shingles gives them) that are below
 * 2^(32 - *shift), sorted ascending, distinct.  *shift is 4 (about one
 * shingle in 16), or 0 (all of them) for a document of at most 256
 * distinct shingles.  Every document samples the same shingles, so two
 * samples bound how much two documents share where their signatures
 * cannot (a small document in a large one), and give two small
 * documents their overlap.  *out is borrowed and never NULL; valid
 * until the next reset/feed on doc. */
DUPFIND_API void dupfind_doc_sample(const dupfind_doc *doc,
                                    const uint32_t **out, size_t *count,
                                    unsigned *shift);

/* For reading a document again only for its shingles, as exact scoring
 * does (on nonzero; off 0, the default): from the next reset on, the
 * builder collects the shingles in an array sorted once at the end,
 * which costs less than the hash set when only the sorted set is
 * wanted, and computes neither signature nor sample.
 * dupfind_doc_shingles and dupfind_doc_shingle_count give what they
 * give otherwise; dupfind_doc_signature gives an empty signature (every
 * slot UINT32_MAX), dupfind_doc_sample no value, and such a document
 * must not be added to a corpus. */
DUPFIND_API void dupfind_doc_shingles_only(dupfind_doc *doc, int on);

/* Adds a finished document to the corpus under the given name (any
 * bytes, name_len of them).  Ids are dense, in order of addition.
 * Returns: 0, DUPFIND_ENOMEM, DUPFIND_ELIMIT (more than 2^32-2 docs). */
DUPFIND_API int dupfind_ctx_add(dupfind_ctx *ctx, uint32_t *out_id,
                                const char *name, size_t name_len,
                                const dupfind_doc *doc);

/* Adds a document from a signature computed earlier (num_perm values,
 * e.g. copied out of a dupfind_doc by a worker thread with
 * dupfind_doc_signature) and its distinct shingle count.  Signatures
 * and samples compare only with those made by the same libdupfind
 * version with the same options (seed, num_perm, shingles): the hash
 * functions behind them may change between versions, so do not keep
 * them across an upgrade.
 * Returns: as dupfind_ctx_add. */
DUPFIND_API int dupfind_ctx_add_signature(dupfind_ctx *ctx, uint32_t *out_id,
                                          const char *name, size_t name_len,
                                          const uint32_t *sig,
                                          uint64_t shingles);

/* dupfind_ctx_add_signature with the document's sample as well
 * (dupfind_doc_sample, copied: nsample entries taken with shift).  A
 * pair whose samples show it below both thresholds is not a candidate,
 * which spares most exact scoring of a small document against a large
 * one, and two small documents are scored from their samples; a
 * document added without a sample (sample NULL) is scored from its
 * signature alone.  Returns: as dupfind_ctx_add, or DUPFIND_EINVAL for
 * a shift dupfind_doc_sample does not give. */
DUPFIND_API int dupfind_ctx_add_sketch(dupfind_ctx *ctx, uint32_t *out_id,
                                       const char *name, size_t name_len,
                                       const uint32_t *sig, uint64_t shingles,
                                       const uint32_t *sample,
                                       size_t nsample, unsigned shift);

DUPFIND_API uint32_t dupfind_ctx_doc_count(const dupfind_ctx *ctx);

/* Name of document id (borrowed; NUL-terminated; *len may be NULL). */
DUPFIND_API const char *dupfind_ctx_doc_name(const dupfind_ctx *ctx,
                                             uint32_t id, size_t *len);

/* Distinct shingle count of document id. */
DUPFIND_API uint64_t dupfind_ctx_doc_shingles(const dupfind_ctx *ctx,
                                              uint32_t id);

/* ------------------------------------------------------------------ */
/* Common shingles (boilerplate)                                       */
/* ------------------------------------------------------------------ */

/* Document frequencies of shingles: a fixed-size (64 MiB) count-min
 * sketch.  Used in two passes: count every document, then make a new
 * context, call dupfind_ctx_ignore_common and sketch again. */
typedef struct dupfind_df dupfind_df;

DUPFIND_API int dupfind_df_new(dupfind_df **out);
DUPFIND_API void dupfind_df_free(dupfind_df *df);

/* Counts each distinct shingle of a finished document once.  Safe to
 * call from several threads at once (the counts are atomic). */
DUPFIND_API void dupfind_df_add(dupfind_df *df, const dupfind_doc *doc);

/* Documents counted so far. */
DUPFIND_API uint64_t dupfind_df_docs(const dupfind_df *df);

/* From now on, builders of ctx leave out shingles that df estimates to
 * occur in more than max_docs documents (the estimate never falls
 * short of the truth, so a shingle at or under max_docs may rarely be
 * left out too, never the other way round).  df is borrowed and must
 * outlive ctx.  Call before any builder is fed.  Returns 0. */
DUPFIND_API int dupfind_ctx_ignore_common(dupfind_ctx *ctx,
                                          const dupfind_df *df,
                                          uint64_t max_docs);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef enum {
    DUPFIND_REL_NONE = 0,      /* candidate that passes no threshold */
    DUPFIND_REL_DUPLICATE,     /* Jaccard >= threshold */
    DUPFIND_REL_A_IN_B,        /* only containment: a is inside b */
    DUPFIND_REL_B_IN_A         /* only containment: b is inside a */
} dupfind_relation;

typedef struct {
    uint32_t a, b;          /* document ids, a < b (input order) */
    double   jaccard;       /* 0..1, estimated or exact */
    double   a_in_b;        /* share of a's shingles found in b, 0..1 */
    double   b_in_a;        /* share of b's shingles found in a, 0..1 */
    dupfind_relation relation;
    int      exact;         /* 1 when the scores are exact */
    int      uncertain;     /* estimated, and the relation could be
                               another within 2.5 standard errors:
                               worth verifying exactly */
} dupfind_pair;

typedef struct dupfind_results dupfind_results;

/* Finds the candidate pairs of the corpus (LSH banding) and scores each
 * from the signatures.  A candidate whose estimate rules it out (the
 * Wilson interval of its Jaccard, z = 2.5, and the containment implied
 * by the interval's upper end are all below their thresholds) is
 * dropped; the others are returned in (a, b) order, unfiltered by the
 * point estimates (dupfind_results_select does that).
 * Returns: 0 or DUPFIND_ENOMEM.
 * Ownership: *out belongs to the caller (dupfind_results_free). */
DUPFIND_API int dupfind_ctx_candidates(dupfind_ctx *ctx,
                                       dupfind_results **out);

/* dupfind_ctx_candidates() on up to threads threads (0 or 1: the
 * calling thread only; more than 16 are not used).
 * Returns: 0 or DUPFIND_ENOMEM.
 * Ownership: *out belongs to the caller (dupfind_results_free).
 * Notes:
 *  1. The result is the same for every thread count.
 *  2. A thread that cannot be started is not an error: the others do
 *     its share. */
DUPFIND_API int dupfind_ctx_candidates_threads(dupfind_ctx *ctx,
                                               unsigned threads,
                                               dupfind_results **out);

/* Flags of dupfind_ctx_candidates_flags.  Copies here are documents
 * with identical sketches (signature, shingle count and sample: in
 * practice copies of one text).  n copies make n (n - 1) / 2 pairs, 50 M
 * for 10,000 copies of a page; a caller that only groups documents
 * needs n - 1 of them.
 *
 * DUPFIND_STAR_COPIES: of the pairs among the copies of a text, only
 * those of the first copy (lowest id) with each other one are returned,
 * when their pair is kept and not uncertain (uncertain ones are all
 * returned, to be verified one by one); and of such copies' pairs with
 * another document, those that are not uncertain are returned for the
 * first copy only (they would repeat its scores).  Every other pair is
 * returned as before.  The clusters
 * (dupfind_results_clusters) of the selected pairs are the same as
 * without the flag, provided pairs that are not uncertain keep their
 * estimates.
 *
 * DUPFIND_STAR_SETTLED: with DUPFIND_STAR_COPIES, only for copies none
 * of whose pairs with other documents is uncertain.  Then also "walk the
 * documents by id, drop each one that has a selected pair with an
 * earlier document that was not dropped" drops the same documents as
 * without the flag. */
#define DUPFIND_STAR_COPIES  1u
#define DUPFIND_STAR_SETTLED 2u
/* DUPFIND_CLUSTERS_ONLY: the caller needs only the clusters of the
 * selected pairs.  Candidate generation joins the two documents of
 * every pair kept and not uncertain as it finds it, and neither scores
 * nor returns pairs of documents joined already, so n near copies of a
 * text cost about n pairs instead of n (n - 1) / 2.  The clusters are
 * the same as without the flag (again provided pairs that are not
 * uncertain keep their estimates); the pairs returned, and so their
 * count, can differ from one thread count to another.  Not with
 * DUPFIND_STAR_SETTLED (the walk by id needs the pairs). */
#define DUPFIND_CLUSTERS_ONLY 4u
/* DUPFIND_WALK_BY_ID: the caller walks the documents by id and drops
 * each one that has a selected pair with an earlier document it did
 * not drop (--unique).  Only pairs that walk can need are returned: a
 * document is tried against the earlier ones of its group that it may
 * keep, and once a pair that is not uncertain ties it to one surely
 * kept, no further pair of it is looked for.  n near copies of a text
 * then cost n - 1 pairs.  The documents dropped are the same as
 * without the flag (provided pairs that are not uncertain keep their
 * estimates), and the pairs returned do not depend on the thread
 * count.  When groups are so tangled that this would try more than
 * 4 M pairs plus 16 per document and 4 per pair found by LSH, all pairs
 * are returned as with DUPFIND_STAR_COPIES | DUPFIND_STAR_SETTLED.
 * Only alone. */
#define DUPFIND_WALK_BY_ID 8u

/* dupfind_ctx_candidates_threads() with flags (above; 0: the same).
 * Returns: 0, DUPFIND_ENOMEM or DUPFIND_EINVAL (unknown flags, or
 * DUPFIND_STAR_SETTLED without DUPFIND_STAR_COPIES or with
 * DUPFIND_CLUSTERS_ONLY, DUPFIND_WALK_BY_ID with another flag). */
DUPFIND_API int dupfind_ctx_candidates_flags(dupfind_ctx *ctx,
                                             unsigned threads,
                                             unsigned flags,
                                             dupfind_results **out);

/* dupfind_ctx_candidates_flags(ctx, threads, DUPFIND_WALK_BY_ID, out),
 * for a walk in the order of rank instead of by id: rank[id] is the
 * place of document id in the walk (a permutation of 0 .. n - 1; the
 * walk drops each document with a selected pair with one before it
 * that it did not drop, as --unique under --keep=longest).  rank NULL:
 * by id.  When the walk gives up, all pairs are returned.  Returns 0,
 * DUPFIND_ENOMEM or DUPFIND_EINVAL (rank not a permutation). */
DUPFIND_API int dupfind_ctx_candidates_walk(dupfind_ctx *ctx,
                                            unsigned threads,
                                            const uint32_t *rank,
                                            dupfind_results **out);

/* Keeps the pairs that pass the thresholds of ctx's options, sets their
 * relation and sorts them: Jaccard descending, then name of a, then
 * name of b (bytewise).  Returns: 0 or DUPFIND_ENOMEM. */
DUPFIND_API int dupfind_results_select(dupfind_results *res,
                                       const dupfind_ctx *ctx);

/* The relation dupfind_results_select would give pair p with its
 * present scores under ctx's thresholds (DUPFIND_REL_NONE: it would be
 * dropped).  Lets a caller that only groups documents know which pairs
 * will join them before it has scored every one exactly. */
DUPFIND_API dupfind_relation dupfind_pair_relation(const dupfind_ctx *ctx,
                                                   const dupfind_pair *p);

/* dupfind_ctx_candidates() followed by dupfind_results_select(). */
DUPFIND_API int dupfind_ctx_find(dupfind_ctx *ctx, dupfind_results **out);

DUPFIND_API size_t dupfind_results_count(const dupfind_results *res);

/* Documents of the corpus found to be copies of an earlier one
 * (identical sketches, see DUPFIND_STAR_COPIES) by the call that made
 * res; their pairs were derived from the earlier copy's. */
DUPFIND_API uint32_t dupfind_results_copies(const dupfind_results *res);

/* Pair i (borrowed), or NULL when i is out of range. */
DUPFIND_API const dupfind_pair *dupfind_results_pair(
    const dupfind_results *res, size_t i);

/* Replaces the scores of pair i by exact ones computed from the two
 * documents' sorted distinct shingle hashes (dupfind_doc_shingles).
 * Returns: 0 or DUPFIND_EINVAL (i out of range). */
DUPFIND_API int dupfind_results_set_exact(dupfind_results *res, size_t i,
                                          const uint64_t *a, size_t na,
                                          const uint64_t *b, size_t nb);

/* Groups the documents of the pairs transitively (union-find).
 * out_cluster must hold doc_count entries; it receives, per document,
 * 0 (in no pair) or a cluster number 1..n; clusters are numbered in
 * order of their first member's id.  *out_n receives n.
 * Returns: 0 or DUPFIND_ENOMEM. */
DUPFIND_API int dupfind_results_clusters(const dupfind_results *res,
                                         uint32_t doc_count,
                                         uint32_t *out_cluster,
                                         uint32_t *out_n);

DUPFIND_API void dupfind_results_free(dupfind_results *res);

/* Exact scores from the number of shingles the two documents of pair i
 * share and their distinct shingle counts (for callers that count the
 * shared ones themselves, e.g. with a dupfind_set_index).
 * Returns: 0 or DUPFIND_EINVAL (i out of range, shared too large). */
DUPFIND_API int dupfind_results_set_exact_shared(dupfind_results *res,
                                                 size_t i, uint64_t shared,
                                                 uint64_t na, uint64_t nb);

/* An index of a large sorted distinct hash set (dupfind_doc_shingles)
 * for counting what much smaller sets share with it: where each of about
 * n/2 ranges of hash values starts, so each lookup reads one or two
 * cache lines where a binary search would read a dozen.  4 bytes per
 * range; the set is borrowed and must outlive the index. */
typedef struct dupfind_set_index dupfind_set_index;

DUPFIND_API int dupfind_set_index_new(dupfind_set_index **out,
                                      const uint64_t *set, size_t n);
DUPFIND_API void dupfind_set_index_free(dupfind_set_index *ix);

/* How many of the n sorted distinct hashes of other are in the indexed
 * set.  O(n) lookups. */
DUPFIND_API uint64_t dupfind_set_index_shared(const dupfind_set_index *ix,
                                              const uint64_t *other,
                                              size_t n);

/* Exact similarity of two sorted distinct hash sets: fills jaccard and
 * the two containments.  Empty sets give 0. */
DUPFIND_API void dupfind_similarity_exact(const uint64_t *a, size_t na,
                                          const uint64_t *b, size_t nb,
                                          double *jaccard, double *a_in_b,
                                          double *b_in_a);

#ifdef __cplusplus
}
#endif
#endif /* DUPFIND_H */
