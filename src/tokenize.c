/*
 * tokenize.c - streaming UTF-8 decoder, NFKC + case fold, word splitter.
 * See tokenize.h for the rules.  Its shortcuts (ASCII runs split 64
 * bytes at a time, code points that normalisation cannot change kept
 * away from utf8proc) must give token for token what normalising the
 * whole text with utf8proc_NFKC_Casefold and then splitting it gives;
 * tests/unit/test_tokenize.c checks that on random mixed-script text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"
#include "tokenize.h"

/* utf8proc_NFKC_Casefold() uses exactly these options. */
#define NORM_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
                   UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* A long non-ASCII run is cut before a separator once it is this long. */
#define SEG_SOFT_LIMIT 4096
/* NEEDSWORK: a run of 1 MiB with no separator at all is cut anyway; a
 * combining sequence straddling that cut is normalised in two parts. */
#define SEG_HARD_LIMIT (1u << 20)

#define REPLACEMENT 0xFFFD

/* Token hash (tokenize.h).  A token of up to 16 bytes - nearly every
 * word - is read as two little-endian 64-bit words, zero-padded, and
 * mixed with no branch on its length: XXH3's own short-input paths
 * branch three ways on the length (1-3, 4-8, 9-16 bytes), which word
 * lengths make unpredictable, at 15-20 cycles a miss.  The mix is a
 * multiply-fold of the two keyed halves (the 128-bit product's halves
 * XORed, as in XXH3's 9-16 byte path and wyhash), the length and the
 * first half rotated added in (so a half equal to its key does not
 * cancel the other), then a xorshift-multiply finaliser.  Longer tokens
 * go through XXH3-64, streamed past the word buffer (same value). */
#define TOK_K0 0x8a5cd789635d2dffULL   /* keys: arbitrary */
#define TOK_K1 0x121fd2155c472f96ULL
#define TOK_K2 0x9e3779b97f4a7c15ULL   /* 2^64 / golden ratio */
#define TOK_K3 0xff51afd7ed558ccdULL   /* murmur3's fmix64 multiplier */

static inline uint64_t mul_fold64(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
    unsigned __int128 m = (unsigned __int128)a * b;

    return (uint64_t)m ^ (uint64_t)(m >> 64);
#else
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    uint64_t lo = (mid << 32) | (uint32_t)ll;
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);

    return lo ^ hi;
#endif
}

static inline uint64_t short_mix(uint64_t lo, uint64_t hi, size_t len,
                                 uint64_t seed)
{
    uint64_t a = lo ^ (TOK_K0 + seed), b = hi ^ (TOK_K1 - seed);
    uint64_t x = mul_fold64(a, b) + (a << 23 | a >> 41) +
                 (uint64_t)len * TOK_K2;

    x ^= x >> 32;
    x *= TOK_K3;
    x ^= x >> 29;
    return x;
}

static inline uint64_t read_le64(const unsigned char *b)
{
    uint64_t v;

    memcpy(&v, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

uint64_t tokenize_hash(const void *bytes, size_t len, uint64_t seed)
{
    unsigned char b[16] = { 0 };

    if (len > 16)
        return XXH3_64bits_withSeed(bytes, len, seed);
    if (len)
        memcpy(b, bytes, len);
    return short_mix(read_le64(b), read_le64(b + 8), len, seed);
}

/* tokenize_hash of the word p[0 .. len), 1 <= len <= 16, its bytes
 * ORed with fold (0x20 folds ASCII letters and keeps digits; 0 for
 * bytes already folded), with 16 bytes readable at p: no copy, no
 * branch. */
static inline uint64_t hash16(const unsigned char *p, size_t len,
                              unsigned char fold, uint64_t seed)
{
#if defined(__SSE2__) && !(defined(__BYTE_ORDER__) && \
                           __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    /* The word's bytes, zero-padded: the mask table read at 16 - len
     * gives len bytes of 0xff, then zeros. */
    static const unsigned char len_mask[32] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    };
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_loadu_si128((const __m128i *)(len_mask + 16 - len));

    v = _mm_and_si128(_mm_or_si128(v, _mm_set1_epi8((char)fold)), m);
    return short_mix((uint64_t)_mm_cvtsi128_si64(v),
                     (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v)),
                     len, seed);
#else
    uint64_t lo = read_le64(p), hi = read_le64(p + 8);
    uint64_t f = fold * 0x0101010101010101ULL;
    unsigned s = 8 * (unsigned)(len < 8 ? len : 8);

    lo = (lo | f) & (s == 64 ? ~0ULL : ~(~0ULL << s));
    hi = (hi | f) & (len > 8 ? ~0ULL >> (128 - 8 * len) : 0);
    return short_mix(lo, hi, len, seed);
#endif
}

/* tokenize_hash of the word buffer's first len bytes (the buffer has
 * room for the 16-byte read). */
static inline uint64_t word_hash(const unsigned char *b, size_t len,
                                 uint64_t seed)
{
    if (len <= 16)
        return hash16(b, len, 0, seed);
    return XXH3_64bits_withSeed(b, len, seed);
}

int tokenize_init(tokenizer *tok, int chars, uint64_t seed,
                  tokenize_emit_fn emit, void *ud)
{
    memset(tok, 0, sizeof(*tok));
    tok->chars = chars;
    tok->seed = seed;
    tok->emit = emit;
    tok->ud = ud;
    tok->held = -1;
    return 0;
}

void tokenize_release(tokenizer *tok)
{
    free(tok->seg);
    free(tok->ubuf);
    if (tok->wstate)
        XXH3_freeState(tok->wstate);
    memset(tok, 0, sizeof(*tok));
    tok->held = -1;
}

void tokenize_reset(tokenizer *tok)
{
    tok->utf8_len = tok->utf8_need = 0;
    tok->held = -1;
    tok->seg_len = 0;
    tok->word_len = 0;
    tok->in_text = tok->pending_space = 0;
    tok->tokens = 0;
    tok->nout = 0;
    tok->oom = 0;
}

static void emit_flush(tokenizer *tok)
{
    if (tok->nout) {
        tok->emit(tok->ud, tok->out, tok->nout);
        tok->nout = 0;
    }
}

static inline void emit_token(tokenizer *tok, uint64_t h)
{
    tok->tokens++;
    tok->out[tok->nout++] = h;
    if (tok->nout == TOKENIZE_BATCH)
        emit_flush(tok);
}

static inline __attribute__((always_inline)) void word_end(tokenizer *tok)
{
    uint64_t h;

    if (tok->word_len == 0)
        return;
    if (tok->word_len <= TOKENIZE_WORD_BUF)
        h = word_hash(tok->word, tok->word_len, tok->seed);
    else
        h = XXH3_64bits_digest(tok->wstate);
    tok->word_len = 0;
    emit_token(tok, h);
}

static void word_append(tokenizer *tok, const unsigned char *b, size_t n)
{
    size_t have = tok->word_len;

    if (have + n <= TOKENIZE_WORD_BUF) {
        memcpy(tok->word + have, b, n);
    } else {
        if (have <= TOKENIZE_WORD_BUF) {
            /* Switch to streaming; XXH3 gives the same value. */
            if (!tok->wstate && !(tok->wstate = XXH3_createState())) {
                tok->oom = 1;
                return;
            }
            XXH3_64bits_reset_withSeed(tok->wstate, tok->seed);
            XXH3_64bits_update(tok->wstate, tok->word, have);
        }
        XXH3_64bits_update(tok->wstate, b, n);
    }
    tok->word_len = have + n;
}

static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
               (cp >= 'A' && cp <= 'Z');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* One normalised code point into the word/character splitter. */
static void put_norm(tokenizer *tok, int32_t cp)
{
    unsigned char b[4];
    size_t n;

    if (!is_word_cp(cp)) {
        if (tok->chars)
            tok->pending_space = tok->in_text;
        else
            word_end(tok);
        return;
    }
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else {
        n = (size_t)utf8proc_encode_char(cp, b);
    }
    if (tok->chars) {
        if (tok->pending_space)
            emit_token(tok, tokenize_hash(" ", 1, tok->seed));
        tok->pending_space = 0;
        tok->in_text = 1;
        emit_token(tok, tokenize_hash(b, n, tok->seed));
    } else {
        word_append(tok, b, n);
    }
}

/* Index of the first non-ASCII byte at or after i (or n), 32 bytes at
 * a time, then eight. */
static size_t ascii_span(const unsigned char *p, size_t i, size_t n)
{
#if defined(__SSE2__)
    while (i + 32 <= n) {
        __m128i v = _mm_or_si128(_mm_loadu_si128((const __m128i *)(p + i)),
                                 _mm_loadu_si128((const __m128i *)(p + i + 16)));

        if (_mm_movemask_epi8(v))
            break;
        i += 32;
    }
#endif
    while (i + 8 <= n) {
        uint64_t w;

        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

/* ASCII bytes none of which is followed by a combining mark: folded
 * and split here without going through put_norm one by one. */
/* Folds an ASCII word character: letters to lower case; digits have
 * bit 5 set already, so c | 0x20 serves both. */
#define ASCII_FOLD(c) ((unsigned char)((c) | 0x20))

#if defined(__SSE2__)
/* Bit i set when p[i] (ASCII) is a letter or digit, for 16 bytes. */
static inline unsigned word_mask16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i l = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i az = _mm_and_si128(_mm_cmpgt_epi8(l, _mm_set1_epi8('a' - 1)),
                               _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), l));
    __m128i dg = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                               _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), v));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(az, dg));
}
#else
static inline unsigned word_mask16(const unsigned char *p)
{
    unsigned m = 0, i;

    for (i = 0; i < 16; i++)
        m |= (unsigned)(((unsigned)(p[i] | 0x20) - 'a' < 26u) ||
                        ((unsigned)p[i] - '0' < 10u)) << i;
    return m;
}
#endif

/* Folds the word p[0 .. len) (letters and digits only, len <= the
 * word buffer) into dst; avail bytes may be read from p.  16 bytes at a
 * time where they can be read: the bytes stored past len are never
 * used, and dst has room for whole 16-byte steps up to its size. */
static inline void fold_word(unsigned char *dst, const unsigned char *p,
                             size_t len, size_t avail)
{
    size_t j = 0;

#if defined(__SSE2__)
    for (; j < len && j + 16 <= avail; j += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
        _mm_storeu_si128((__m128i *)(dst + j),
                         _mm_or_si128(v, _mm_set1_epi8(0x20)));
    }
#else
    (void)avail;
#endif
    for (; j < len; j++)
        dst[j] = ASCII_FOLD(p[j]);
}

/* Word characters of p[0 .. n), n <= 64, as a bit mask. */
static inline uint64_t word_mask64(const unsigned char *p, size_t n)
{
    unsigned char tmp[64];

    if (n < 64) {
        memset(tmp, ' ', sizeof(tmp));
        memcpy(tmp, p, n);
        p = tmp;
    }
    return (uint64_t)word_mask16(p) | (uint64_t)word_mask16(p + 16) << 16 |
           (uint64_t)word_mask16(p + 32) << 32 |
           (uint64_t)word_mask16(p + 48) << 48;
}

/* Appends the folded bytes p[0 .. n) to the current word. */
static void word_append_ascii(tokenizer *tok, const unsigned char *p,
                              size_t n)
{
    unsigned char tmp[64];
    size_t i, m;

    while (n) {
        m = n < sizeof(tmp) ? n : sizeof(tmp);
        for (i = 0; i < m; i++)
            tmp[i] = ASCII_FOLD(p[i]);
        word_append(tok, tmp, m);
        p += m;
        n -= m;
    }
}

/* The ASCII word p[s .. e) of a run of n bytes (avail readable): hashed
 * where it lies when it is short, else through the word buffer; cont:
 * it continues what the buffer holds. */
static void ascii_word(tokenizer *tok, const unsigned char *p, size_t s,
                       size_t e, size_t n, size_t avail, int cont)
{
    if (!cont && e - s <= 16 && s + 16 <= avail) {
        emit_token(tok, hash16(p + s, e - s, 0x20, tok->seed));
        return;
    }
    if (cont || e - s > TOKENIZE_WORD_BUF) {
        word_append_ascii(tok, p + s, e - s);
    } else {
        fold_word(tok->word, p + s, e - s, n - s);
        tok->word_len = e - s;
    }
    word_end(tok);
}

/* ASCII bytes none of which is followed by a combining mark, split into
 * words 64 bytes at a time from a bit mask of word characters: a word
 * begins where a set bit follows a clear one and ends at the next clear
 * bit.  A word found whole is folded and hashed straight away; one that
 * touches either end of the run goes through the word buffer, because
 * the text around the run may continue it.  avail bytes (>= n) may be
 * read at p. */
static void ascii_run(tokenizer *tok, const unsigned char *p, size_t n,
                      size_t avail)
{
    size_t base, ws = 0;
    int open = tok->word_len > 0;   /* a word is open (started at ws) */
    int cont = open;                /* ... and began before this run */

    if (tok->chars) {
        for (base = 0; base < n; base++) {
            int c = p[base];
            put_norm(tok, (c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        return;
    }
    for (base = 0; base < n; base += 64) {
        size_t len = n - base < 64 ? n - base : 64;
        uint64_t m = word_mask64(p + base, len);
        uint64_t prev = (uint64_t)open;
        /* starts: set bits after a clear one; ends: clear after set. */
        uint64_t starts = m & ~(m << 1 | prev);
        uint64_t ends = ~m & (m << 1 | prev);

        if (len < 64) {
            starts &= (UINT64_C(1) << len) - 1;
            ends &= (UINT64_C(1) << len) - 1;
        }
        if (open && ends) {
            /* The word open when the block began ends first. */
            ascii_word(tok, p, ws, base + (size_t)__builtin_ctzll(ends), n,
                       avail, cont);
            ends &= ends - 1;
            open = cont = 0;
        }
        /* Then starts and ends pair up in order: no branch on which
         * comes next. */
        while (ends) {
            size_t s = base + (size_t)__builtin_ctzll(starts);
            size_t e = base + (size_t)__builtin_ctzll(ends);

            starts &= starts - 1;
            ends &= ends - 1;
            if (e - s <= 16 && s + 16 <= avail)   /* nearly every word */
                emit_token(tok, hash16(p + s, e - s, 0x20, tok->seed));
            else
                ascii_word(tok, p, s, e, n, avail, 0);
        }
        if (starts) {             /* one, whose end is further on */
            ws = base + (size_t)__builtin_ctzll(starts);
            open = 1;
        }
    }
    if (open)
        word_append_ascii(tok, p + ws, n - ws);   /* may go on after */
}

static int seg_flush(tokenizer *tok)
{
    utf8proc_ssize_t n, i;

    if (tok->seg_len == 0)
        return 0;
    for (;;) {
        n = utf8proc_decompose_custom(
            tok->seg, (utf8proc_ssize_t)tok->seg_len, tok->ubuf,
            (utf8proc_ssize_t)tok->ubuf_cap, NORM_OPTS, NULL, NULL);
        if (n < 0)
            return DUPFIND_EENCODING; /* cannot happen: seg is valid */
        if ((size_t)n <= tok->ubuf_cap)
            break;
        if (DF_GROW(tok->ubuf, tok->ubuf_cap, (size_t)n) < 0)
            return DUPFIND_ENOMEM;
    }
    n = utf8proc_normalize_utf32(tok->ubuf, n, NORM_OPTS);
    if (n < 0)
        return DUPFIND_EENCODING;
    for (i = 0; i < n; i++)
        put_norm(tok, tok->ubuf[i]);
    tok->seg_len = 0;
    return 0;
}

static int seg_append(tokenizer *tok, int32_t cp)
{
    if (DF_GROW(tok->seg, tok->seg_cap, tok->seg_len + 4) < 0)
        return DUPFIND_ENOMEM;
    tok->seg_len += (size_t)utf8proc_encode_char(
        cp, tok->seg + tok->seg_len);
    return 0;
}

static int is_seg_break(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PD:
        return utf8proc_get_property(cp)->combining_class == 0;
    default:
        return 0;
    }
}

/* How a non-ASCII code point meets normalisation (NFKC + case fold).
 * Either way it must be a starter (combining class 0), not ignorable
 * (dropping it would join its neighbours), not Hangul (composed by
 * rule, not by table) and never the second of a canonical composition
 * (utf8proc's comb_index): then nothing before it can compose with it
 * or be reordered past it, so the text before it can be normalised
 * without it.
 *
 *  CP_INERT   it also has no decomposition, no case folding and no part
 *             in any composition: its own normalisation, and a barrier
 *             on its right too.  Most CJK characters, Cyrillic
 *             consonants.
 *  CP_HOLD    otherwise, when its decomposition (with case folding)
 *             begins with such a starter too: é, Д, Cyrillic vowels
 *             (the first of a composition).  It is held back like an
 *             ASCII character: when the next code point is ASCII,
 *             CP_INERT or CP_HOLD (none of which can combine with
 *             anything before it), its normalisation alone, cached, is
 *             what it becomes; otherwise it joins the segment.
 *  CP_OTHER   anything else: collected into a segment for utf8proc.
 */
enum { CP_OTHER, CP_INERT, CP_HOLD };

static int is_hangul(int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xAC00 && cp <= 0xD7A3);
}

/* A starter that cannot join what comes before it (see above). */
static int left_barrier(int32_t cp, const utf8proc_property_t *pr)
{
    return pr->combining_class == 0 && !pr->ignorable && !is_hangul(cp) &&
           (pr->comb_index == UINT16_MAX || pr->comb_index < 0x8000);
}

/* Fills in what the word splitter needs of e->out: UTF-8 and whether
 * its code points are word characters. */
static void cp_out_done(tokenize_cp_info *e)
{
    unsigned i, words = 0;

    e->len = 0;
    for (i = 0; i < e->n; i++) {
        words += (unsigned)is_word_cp(e->out[i]);
        e->len += (unsigned)utf8proc_encode_char(e->out[i],
                                                 e->utf8 + e->len);
    }
    e->word = words == e->n ? 1 : words == 0 ? 0 : -1;
}

static void cp_classify(tokenize_cp_info *e, int32_t cp)
{
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    utf8proc_int32_t d[8];
    utf8proc_ssize_t n;
    int bound = 0;

    e->cp = cp;
    e->kind = CP_OTHER;
    e->n = 1;
    e->out[0] = cp;
    if (!left_barrier(cp, pr))
        return;
    if (pr->decomp_seqindex == UINT16_MAX &&
        pr->casefold_seqindex == UINT16_MAX) {
        e->kind = pr->comb_index == UINT16_MAX ? CP_INERT : CP_HOLD;
        cp_out_done(e);
        return;
    }
    n = utf8proc_decompose_char(cp, d, 8, NORM_OPTS, &bound);
    if (n < 1 || n > 8 || !left_barrier(d[0], utf8proc_get_property(d[0])))
        return;
    n = utf8proc_normalize_utf32(d, n, NORM_OPTS);
    if (n < 1 || n > TOKENIZE_CP_OUT)
        return;
    e->n = (unsigned)n;
    memcpy(e->out, d, (size_t)n * sizeof(*d));
    e->kind = CP_HOLD;
    cp_out_done(e);
}

/* A cached normalisation into the splitter: in word mode a whole word
 * part or a separator at once, else code point by code point. */
static void put_info(tokenizer *tok, const tokenize_cp_info *e)
{
    unsigned i;

    if (!tok->chars && e->word == 1) {
        if (tok->word_len + sizeof(e->utf8) <= TOKENIZE_WORD_BUF) {
            /* All of utf8[] (a fixed-size copy, no call); the bytes
             * past len are overwritten or never read. */
            memcpy(tok->word + tok->word_len, e->utf8, sizeof(e->utf8));
            tok->word_len += e->len;
        } else if (tok->word_len + e->len <= TOKENIZE_WORD_BUF) {
            memcpy(tok->word + tok->word_len, e->utf8, e->len);
            tok->word_len += e->len;
        } else {
            word_append(tok, e->utf8, e->len);
        }
    } else if (!tok->chars && e->word == 0) {
        word_end(tok);
    } else {
        for (i = 0; i < e->n; i++)
            put_norm(tok, e->out[i]);
    }
}

static const tokenize_cp_info *cp_info(tokenizer *tok, int32_t cp)
{
    tokenize_cp_info *e = &tok->cache[(uint32_t)cp % TOKENIZE_CP_CACHE];

    if (e->cp != cp) {
        if (e == tok->held_e && tok->held >= 0) {
            /* The held code point's entry is about to go: keep a copy. */
            tok->held_info = *e;
            tok->held_e = &tok->held_info;
        }
        cp_classify(e, cp);
    }
    return e;
}

/* Holds cp back; e is its cache entry (NULL for ASCII), pointed to, not
 * copied: cp_info copies it before reusing the entry. */
static void hold(tokenizer *tok, int32_t cp, const tokenize_cp_info *e)
{
    tok->held = cp;
    tok->held_e = e;
}

/* The held code point, followed by a barrier: what it normalises to. */
static void emit_held(tokenizer *tok)
{
    int c = tok->held;

    if (c < 0)
        return;
    tok->held = -1;
    if (!tok->held_e)
        put_norm(tok, (c >= 'A' && c <= 'Z') ? c + 32 : c);
    else
        put_info(tok, tok->held_e);
}

/* The pending text is complete: normalise and split it. */
static int pending_flush(tokenizer *tok)
{
    if (tok->seg_len)
        return seg_flush(tok);
    emit_held(tok);
    return 0;
}

/* One decoded code point of the raw text. */
static int put_cp(tokenizer *tok, int32_t cp)
{
    const tokenize_cp_info *e;

    if (cp < 0x80) {
        /* Nothing composes onto an ASCII character, so the pending
         * text is complete; but this one may take combining marks
         * that follow, so it is held back until the next code point. */
        DF_TRY(pending_flush(tok));
        hold(tok, cp, NULL);
        return 0;
    }
    e = cp_info(tok, cp);
    if (e->kind != CP_OTHER) {
        DF_TRY(pending_flush(tok));
        if (e->kind == CP_HOLD)
            hold(tok, cp, e);
        else
            put_info(tok, e);
        return 0;
    }
    if (tok->held >= 0) {
        DF_TRY(seg_append(tok, tok->held));
        tok->held = -1;
    }
    if ((tok->seg_len >= SEG_SOFT_LIMIT && is_seg_break(cp)) ||
        tok->seg_len >= SEG_HARD_LIMIT)
        DF_TRY(seg_flush(tok));
    return seg_append(tok, cp);
}

/* CJK Unified Ideographs and Extension A: in Chinese and Japanese text
 * most code points are among them, thousands of different ones, which
 * thrash the code point cache.  Every one of them is CP_INERT and a word
 * character whose normalisation is itself (so its UTF-8 is what the
 * text holds) - if the linked utf8proc agrees, which is checked once, on
 * all 27,584 of them: an older Unicode table with some unassigned would
 * leave this shortcut off. */
#define CJK_A_LO 0x3400
#define CJK_A_HI 0x4DBF
#define CJK_LO 0x4E00
#define CJK_HI 0x9FFF

static pthread_once_t cjk_once = PTHREAD_ONCE_INIT;
static int cjk_inert;

static int cjk_range_inert(int32_t lo, int32_t hi)
{
    tokenize_cp_info e;
    int32_t cp;

    for (cp = lo; cp <= hi; cp++) {
        cp_classify(&e, cp);
        if (e.kind != CP_INERT || e.word != 1 || e.n != 1 || e.out[0] != cp)
            return 0;
    }
    return 1;
}

static void cjk_check(void)
{
    cjk_inert = cjk_range_inert(CJK_A_LO, CJK_A_HI) &&
                cjk_range_inert(CJK_LO, CJK_HI);
}

int tokenize_cjk_shortcut(void)
{
    pthread_once(&cjk_once, cjk_check);
    return cjk_inert;
}

/* End of the run of such ideographs, whole 3-byte sequences, at p[i]. */
static size_t cjk_span(const unsigned char *p, size_t i, size_t n)
{
    while (i + 3 <= n) {
        unsigned c = p[i], c1 = p[i + 1], c2 = p[i + 2];
        int32_t cp;

        if ((c & 0xF0) != 0xE0 || (c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80)
            break;
        cp = (int32_t)((c & 0x0F) << 12 | (c1 & 0x3F) << 6 | (c2 & 0x3F));
        if (!((cp >= CJK_LO && cp <= CJK_HI) ||
              (cp >= CJK_A_LO && cp <= CJK_A_HI)))
            break;
        i += 3;
    }
    return i;
}

/* Second-byte ranges of the UTF-8 lead bytes C2..F4 (RFC 3629). */
static int utf8_second_ok(unsigned lead, unsigned c)
{
    if (lead == 0xE0) return c >= 0xA0 && c <= 0xBF;
    if (lead == 0xED) return c >= 0x80 && c <= 0x9F;
    if (lead == 0xF0) return c >= 0x90 && c <= 0xBF;
    if (lead == 0xF4) return c >= 0x80 && c <= 0x8F;
    return c >= 0x80 && c <= 0xBF;
}

static int32_t utf8_value(const unsigned char *s, unsigned n)
{
    int32_t cp;
    unsigned i;

    cp = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

int tokenize_feed(tokenizer *tok, const unsigned char *p, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];

        if (tok->utf8_need) {
            int ok = tok->utf8_len == 1 ? utf8_second_ok(tok->utf8[0], c)
                                        : (c >= 0x80 && c <= 0xBF);
            if (!ok) {
                /* Maximal subpart ends here; c starts afresh. */
                tok->utf8_need = tok->utf8_len = 0;
                DF_TRY(put_cp(tok, REPLACEMENT));
                continue;
            }
            tok->utf8[tok->utf8_len++] = (unsigned char)c;
            i++;
            if (tok->utf8_len == tok->utf8_need) {
                int32_t cp = utf8_value(tok->utf8, tok->utf8_len);
                tok->utf8_need = tok->utf8_len = 0;
                DF_TRY(put_cp(tok, cp));
            }
            continue;
        }
        if (c < 0x80) {
            size_t end = i + 1;

            /* A run of ASCII: every byte but the last is followed by
             * ASCII, so it cannot take a combining mark and needs no
             * holding back.  The first goes through put_cp (it ends any
             * pending segment), the last is held by put_cp. */
            end = ascii_span(p, end, n);
            DF_TRY(put_cp(tok, (int32_t)c));
            i++;
            if (i < end) {
                emit_held(tok);
                ascii_run(tok, p + i, end - 1 - i, n - i);
                hold(tok, p[end - 1], NULL);
                i = end;
            }
            continue;
        }
        if (c >= 0xE3 && c <= 0xE9 && !tok->chars) {
            size_t end;

            if (tokenize_cjk_shortcut() && (end = cjk_span(p, i, n)) > i) {
                /* What put_cp does for each (CP_INERT, a word part). */
                DF_TRY(pending_flush(tok));
                word_append(tok, p + i, end - i);
                i = end;
                continue;
            }
        }
        if (c >= 0xC2 && c <= 0xF4) {
            /* A whole valid sequence in the buffer: decoded at once,
             * without the byte-by-byte state below. */
            unsigned len = c <= 0xDF ? 2 : c <= 0xEF ? 3 : 4;

            if (i + len <= n && utf8_second_ok(c, p[i + 1]) &&
                (len < 3 || (p[i + 2] & 0xC0) == 0x80) &&
                (len < 4 || (p[i + 3] & 0xC0) == 0x80)) {
                int32_t cp = utf8_value(p + i, len);

                i += len;
                DF_TRY(put_cp(tok, cp));
                continue;
            }
        }
        i++;
        if (c >= 0xC2 && c <= 0xDF)
            tok->utf8_need = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            tok->utf8_need = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            tok->utf8_need = 4;
        else {
            DF_TRY(put_cp(tok, REPLACEMENT));
            continue;
        }
        tok->utf8[0] = (unsigned char)c;
        tok->utf8_len = 1;
    }
    emit_flush(tok);
    return tok->oom ? DUPFIND_ENOMEM : 0;
}

int tokenize_finish(tokenizer *tok)
{
    if (tok->utf8_need) {
        tok->utf8_need = tok->utf8_len = 0;
        DF_TRY(put_cp(tok, REPLACEMENT));
    }
    DF_TRY(pending_flush(tok));
    if (!tok->chars)
        word_end(tok);
    emit_flush(tok);
    return tok->oom ? DUPFIND_ENOMEM : 0;
}
