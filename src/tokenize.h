/*
 * tokenize.h - UTF-8 bytes to normalised tokens, streamed.
 *
 * Bytes are decoded as UTF-8 (an invalid or truncated sequence becomes one
 * U+FFFD per maximal invalid subpart, as the Unicode standard recommends),
 * normalised to NFKC with full case folding (utf8proc), and split into
 * tokens.  A token is hashed once (seeded; tokenize.c: a branch-free mix
 * for tokens of up to 16 bytes, XXH3-64 for longer ones) and handed to the
 * caller's callback as a 64-bit value; the text itself is never kept.
 *
 *  - Word mode: a word is a maximal run of letters (L*), numbers (N*) and
 *    combining marks (M*); everything else separates words.
 *  - Character mode: each letter, number or mark is a token; a run of
 *    separators between two of them becomes one U+0020 token (so word
 *    boundaries count, but not how much space or punctuation there is:
 *    Chinese with or without commas between clauses stays close).
 *
 * ASCII never goes through utf8proc: for it NFKC is the identity and case
 * folding is tolower().  Non-ASCII text is collected into segments that
 * end where canonical composition cannot reach across (before an ASCII
 * character or, in long runs, before a separator), and each segment is
 * normalised as a whole, so the result equals normalising the whole text.
 *
 * Memory: a fixed word buffer (longer words are hashed with streaming
 * XXH3, same value) and a segment buffer that is flushed at separators
 * once it passes SEG_SOFT_LIMIT bytes.
 */
#ifndef DUPFIND_TOKENIZE_H
#define DUPFIND_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define TOKENIZE_WORD_BUF 256    /* bytes kept before hashing streams */

/* Token hashes are handed on in batches of up to TOKENIZE_BATCH, in text
 * order: one indirect call per batch instead of one per token, and a
 * tight loop for the consumer (the shingler). */
#define TOKENIZE_BATCH 256

typedef void (*tokenize_emit_fn)(void *ud, const uint64_t *token_hashes,
                                 size_t n);

#define TOKENIZE_CP_CACHE 256   /* entries of the code point cache */
#define TOKENIZE_CP_OUT 3       /* code points of a cached normalisation */

/* What normalisation does to one code point (tokenize.c, cp_kind). */
typedef struct {
    int32_t cp;                /* the code point; 0 (ASCII, never looked
                                  up): an empty entry */
    int kind;                  /* CP_OTHER, CP_INERT or CP_HOLD */
    unsigned n;                /* code points of out */
    int32_t out[TOKENIZE_CP_OUT]; /* its normalisation alone */
    int word;                  /* out: 1 all word characters, 0 none,
                                  -1 some */
    unsigned len;              /* bytes of utf8 */
    unsigned char utf8[4 * TOKENIZE_CP_OUT]; /* out in UTF-8 */
} tokenize_cp_info;

typedef struct {
    int chars;                 /* 1 = character tokens, 0 = words */
    uint64_t seed;             /* seed of token hashes */
    tokenize_emit_fn emit;     /* receives the token hashes */
    void *ud;                  /* passed to emit */

    unsigned char utf8[4];     /* partial UTF-8 sequence carried over */
    unsigned utf8_len;         /* bytes in utf8[] */
    unsigned utf8_need;        /* total bytes of that sequence */
    int held;                  /* code point held back, or -1 */
    const tokenize_cp_info *held_e; /* a non-ASCII one's normalisation
                                  (its cache entry or held_info), or
                                  NULL: it is ASCII */
    tokenize_cp_info held_info; /* copy of an evicted held_e */
    tokenize_cp_info cache[TOKENIZE_CP_CACHE]; /* by code point */

    unsigned char *seg;        /* pending non-ASCII segment, valid UTF-8 */
    size_t seg_len, seg_cap;   /* bytes */
    int32_t *ubuf;             /* normalised code points of a segment */
    size_t ubuf_cap;           /* entries */

    unsigned char word[TOKENIZE_WORD_BUF]; /* current word's bytes */
    size_t word_len;           /* bytes of the word so far (all of it) */
    XXH3_state_t *wstate;      /* streaming hash once word_len > buffer */
    int in_text;               /* chars mode: a token was emitted */
    int pending_space;         /* chars mode: separator seen after it */
    uint64_t tokens;           /* tokens emitted since reset */
    uint64_t out[TOKENIZE_BATCH]; /* token hashes not yet handed on */
    size_t nout;               /* entries in out */
    int oom;                   /* an allocation failed */
} tokenizer;

/* Sets up tok (caller-owned).  Returns 0. */
int tokenize_init(tokenizer *tok, int chars, uint64_t seed,
                  tokenize_emit_fn emit, void *ud);
/* Frees what tok holds. */
void tokenize_release(tokenizer *tok);
/* Forgets the current document; keeps buffers. */
void tokenize_reset(tokenizer *tok);
/* Feeds bytes.  Returns 0 or DUPFIND_ENOMEM. */
int tokenize_feed(tokenizer *tok, const unsigned char *p, size_t n);
/* Ends the document: flushes everything pending. */
int tokenize_finish(tokenizer *tok);

/* Whether runs of CJK ideographs (U+3400..U+4DBF, U+4E00..U+9FFF) take
 * the shortcut of tokenize.c (on when the linked utf8proc has them all
 * as letters that normalisation leaves alone; checked once). */
int tokenize_cjk_shortcut(void);

/* Hash of a token's normalised UTF-8 bytes (the value emit receives). */
uint64_t tokenize_hash(const void *bytes, size_t len, uint64_t seed);

#endif
