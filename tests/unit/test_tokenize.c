/*
 * test_tokenize.c - unit tests of tokenize.c: UTF-8 decoding, NFKC with
 * case folding, word and character tokens, streaming invariance.
 *
 * Expected tokens are written as their normalised UTF-8 text and hashed
 * with tokenize_hash(), so every check compares exact token values.
 * The randomised tests also compare against an oracle that normalises
 * the whole text at once with utf8proc and splits it by the rules of
 * tokenize.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "tokenize.h"
#include "test_util.h"

#define SEED 0x5eedULL

/* The options tokenize.c documents (utf8proc_NFKC_Casefold). */
#define ORACLE_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | \
                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

static void collect(void *ud, const uint64_t *h, size_t n)
{
    size_t i;

    assert_true(n > 0 && n <= TOKENIZE_BATCH);
    for (i = 0; i < n; i++)
        u64vec_push(ud, h[i]);
}

/* Tokenises text fed in chunks of `chunk` bytes (0 = all at once) and
 * checks the return codes and the token counter. */
static void run_tok(int chars, uint64_t seed, const void *text, size_t n,
                    size_t chunk, u64vec *out)
{
    const unsigned char *p = text;
    tokenizer tok;
    size_t i, len;

    out->n = 0;
    assert_int_equal(tokenize_init(&tok, chars, seed, collect, out), 0);
    if (chunk == 0)
        chunk = n ? n : 1;
    for (i = 0; i < n; i += len) {
        len = n - i < chunk ? n - i : chunk;
        assert_int_equal(tokenize_feed(&tok, p + i, len), 0);
    }
    assert_int_equal(tokenize_finish(&tok), 0);
    assert_int_equal(tok.tokens, out->n);
    tokenize_release(&tok);
}

/* Same with chunk sizes drawn at random (1..maxchunk, some empty). */
static void run_tok_random(int chars, const void *text, size_t n,
                           test_rng *r, size_t maxchunk, u64vec *out)
{
    const unsigned char *p = text;
    tokenizer tok;
    size_t i = 0;

    out->n = 0;
    tokenize_init(&tok, chars, SEED, collect, out);
    while (i < n) {
        size_t len = (size_t)rng_below(r, maxchunk + 1);

        if (len > n - i)
            len = n - i;
        assert_int_equal(tokenize_feed(&tok, p + i, len), 0);
        i += len;
    }
    assert_int_equal(tokenize_finish(&tok), 0);
    assert_int_equal(tok.tokens, out->n);
    tokenize_release(&tok);
}

static void expect_strings(u64vec *want, const char *const *words,
                           uint64_t seed)
{
    want->n = 0;
    for (; *words; words++)
        u64vec_push(want, tokenize_hash(*words, strlen(*words), seed));
}

static int same_seq(const u64vec *a, const u64vec *b)
{
    return a->n == b->n &&
           (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof(*a->v)) == 0);
}

/* ------------------------------------------------------------------ */
/* Table of inputs and their tokens                                     */
/* ------------------------------------------------------------------ */

#define MAXW 40

typedef struct {
    const char *name;
    int chars;                 /* 0 = words, 1 = characters */
    const char *in;            /* raw bytes, NUL-terminated */
    const char *want[MAXW];    /* normalised tokens, NULL-terminated */
} tok_case;

/* Hex escapes are closed with "" wherever a hex digit follows. */
static const tok_case cases[] = {
    /* ASCII */
    { "ascii words", 0, "Hello World", { "hello", "world" } },
    { "case folding", 0, "MiXeD CASE words",
      { "mixed", "case", "words" } },
    { "ascii punctuation separates", 0,
      "a,b;c.d!e?f(g)h[i]j{k}l\"m'n-o_p/q\\r@s#t$u%v^w&x*y+z=0|1~2`3<4>5",
      { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
        "0", "1", "2", "3", "4", "5" } },
    { "whitespace separates", 0, " \t\r\n\v\fone  two\n\nthree \t",
      { "one", "two", "three" } },
    { "digits inside words", 0, "abc123 4x4 2024 X1Y2",
      { "abc123", "4x4", "2024", "x1y2" } },
    { "control characters separate", 0, "a\001b\177c",
      { "a", "b", "c" } },
    { "empty", 0, "", { NULL } },
    { "only separators", 0, " ,.;!? \t\n-_", { NULL } },
    /* Latin with diacritics */
    { "combining acute composes", 0, "e\xCC\x81", { "\xC3\xA9" } },
    { "precomposed", 0, "\xC3\xA9", { "\xC3\xA9" } },
    { "precomposed upper case", 0, "\xC3\x89", { "\xC3\xA9" } },
    { "combining after upper case", 0, "CAFE\xCC\x81 caf\xC3\xA9 cafe",
      { "caf\xC3\xA9", "caf\xC3\xA9", "cafe" } },
    { "marks reordered (cedilla, acute)", 0,
      "c\xCC\x81\xCC\xA7 c\xCC\xA7\xCC\x81 \xE1\xB8\x88",
      { "\xE1\xB8\x89", "\xE1\xB8\x89", "\xE1\xB8\x89" } },
    { "sharp s folds to ss", 0, "Stra\xC3\x9F" "e STRASSE",
      { "strasse", "strasse" } },
    { "kelvin sign", 0, "\xE2\x84\xAA", { "k" } },
    { "capital I with dot", 0, "\xC4\xB0", { "i\xCC\x87" } },
    /* compatibility forms */
    { "full width", 0, "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91",
      { "abc1" } },
    { "full width lower equals ascii", 0,
      "\xEF\xBD\x81\xEF\xBD\x82\xEF\xBD\x83" "1", { "abc1" } },
    { "ligature fi", 0, "\xEF\xAC\x81le", { "file" } },
    { "circled one", 0, "\xE2\x91\xA0", { "1" } },
    { "superscript two", 0, "x\xC2\xB2", { "x2" } },
    { "math bold A (4-byte)", 0, "a\xF0\x9D\x90\x80", { "aa" } },
    /* other scripts */
    { "cyrillic", 0, "ПРИВЕТ, мир", { "привет", "мир" } },
    { "greek final sigma", 0, "ΟΔΟΣ οδος οδοσ",
      { "οδοσ", "οδοσ", "οδοσ" } },
    { "greek tonos composes", 0, "\xCE\xB1\xCC\x81", { "\xCE\xAC" } },
    { "devanagari keeps vowel signs", 0, "नमस्ते दुनिया",
      { "नमस्ते", "दुनिया" } },
    { "thai run is one word", 0, "สวัสดีครับ", { "สวัสดีครับ" } },
    { "cjk run is one word", 0, "中文字 日本語",
      { "中文字", "日本語" } },
    { "cjk punctuation separates", 0, "中文、日本。", { "中文", "日本" } },
    { "cjk ext a and the block ends", 0,
      "\xE3\x90\x80\xE4\xB6\xBF\xE4\xB8\x80\xE9\xBF\xBF x",
      { "\xE3\x90\x80\xE4\xB6\xBF\xE4\xB8\x80\xE9\xBF\xBF", "x" } },
    { "cjk after a held letter", 0, "\xC3\x89\xE4\xB8\xAD\xCC\x81",
      { "\xC3\xA9\xE4\xB8\xAD\xCC\x81" } },
    { "held letter's cache entry reused", 0, "\xC3\xA9\xD7\xA9 \xC3\xA9\xC7\xA9",
      { "\xC3\xA9\xD7\xA9", "\xC3\xA9\xC7\xA9" } },
    { "hangul jamo compose", 0, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB",
      { "한" } },
    { "no-break space separates", 0, "ab\xC2\xA0" "cd", { "ab", "cd" } },
    { "ideographic space separates", 0, "ab\xE3\x80\x80" "cd",
      { "ab", "cd" } },
    { "emoji separates", 0, "ab\xF0\x9F\x98\x80" "cd", { "ab", "cd" } },
    /* invalid UTF-8: U+FFFD, which is not a word character */
    { "lone continuation", 0, "ab\x80" "cd\xBF", { "ab", "cd" } },
    { "overlong C0 80", 0, "ab\xC0\x80" "cd", { "ab", "cd" } },
    { "overlong C1 BF", 0, "ab\xC1\xBF" "cd", { "ab", "cd" } },
    { "overlong E0 80 80", 0, "ab\xE0\x80\x80" "cd", { "ab", "cd" } },
    { "overlong F0 80 80 80", 0, "ab\xF0\x80\x80\x80" "cd",
      { "ab", "cd" } },
    { "surrogate ED A0 80", 0, "ab\xED\xA0\x80" "cd", { "ab", "cd" } },
    { "above U+10FFFF", 0, "ab\xF4\x90\x80\x80" "cd", { "ab", "cd" } },
    { "bytes F5..FF", 0,
      "a\xF5" "b\xF6" "c\xF7" "d\xF8" "e\xFB" "f\xFC" "g\xFE" "h\xFF" "i",
      { "a", "b", "c", "d", "e", "f", "g", "h", "i" } },
    { "truncated at end", 0, "ab\xE4\xB8", { "ab" } },
    { "truncated 4-byte at end", 0, "ab\xF0\x9F\x98", { "ab" } },
    { "truncated before text", 0, "ab\xE4\xB8" "cd", { "ab", "cd" } },
    { "truncated before lead byte", 0, "ab\xE4\xE4\xB8\xAD", { "ab", "中" } },
    { "literal U+FFFD", 0, "ab\xEF\xBF\xBD" "cd", { "ab", "cd" } },
    { "only invalid bytes", 0, "\xFF\xFE\x80\xC0", { NULL } },
    { "invalid before combining mark", 0, "e\xFF\xCC\x81" "x",
      { "e", "\xCC\x81" "x" } },
    /* character mode */
    { "chars: ascii", 1, "Ab1", { "a", "b", "1" } },
    { "chars: one space token between words", 1, "ab cd",
      { "a", "b", " ", "c", "d" } },
    { "chars: separator run is one space", 1, "ab  ,;\t\n cd",
      { "a", "b", " ", "c", "d" } },
    { "chars: no leading or trailing space", 1, "  ab  ", { "a", "b" } },
    { "chars: cjk one token per char", 1, "中文字",
      { "中", "文", "字" } },
    { "chars: cjk with space", 1, "中 文", { "中", " ", "文" } },
    { "chars: cjk punctuation is a space", 1, "中、文",
      { "中", " ", "文" } },
    { "chars: combining composes", 1, "e\xCC\x81x", { "\xC3\xA9", "x" } },
    { "chars: full width", 1, "\xEF\xBC\xA1\xEF\xBC\xA2", { "a", "b" } },
    { "chars: ligature", 1, "\xEF\xAC\x81", { "f", "i" } },
    { "chars: invalid byte is a separator", 1, "a\x80" "b",
      { "a", " ", "b" } },
    { "chars: devanagari marks are tokens", 1, "नमस्ते",
      { "न", "म", "स", "्", "त", "े" } },
    { "chars: only separators", 1, " . ", { NULL } },
};

static void check_case(const tok_case *c, uint64_t seed)
{
    static const size_t chunks[] = { 0, 1, 2, 3, 5 };
    u64vec want = { 0 }, got = { 0 };
    size_t i, j, n = strlen(c->in);

    expect_strings(&want, c->want, seed);
    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        run_tok(c->chars, seed, c->in, n, chunks[i], &got);
        if (!same_seq(&want, &got)) {
            print_error("case \"%s\" (chunk %zu): want %zu tokens, got %zu\n",
                        c->name, chunks[i], want.n, got.n);
            for (j = 0; j < got.n; j++)
                print_error("  got[%zu] = %016llx%s\n", j,
                            (unsigned long long)got.v[j],
                            j < want.n && got.v[j] == want.v[j] ? "" :
                            "  (differs)");
            fail();
        }
    }
    u64vec_free(&want);
    u64vec_free(&got);
}

static void test_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(&cases[i], SEED);
}

static void test_table_other_seed(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_case(&cases[i], 0xfeedfacecafebeefULL);
}

static void test_seed_changes_hashes(void **state)
{
    u64vec a = { 0 }, b = { 0 };

    (void)state;
    run_tok(0, 1, "same words", 10, 0, &a);
    run_tok(0, 2, "same words", 10, 0, &b);
    assert_int_equal(a.n, 2);
    assert_int_equal(b.n, 2);
    assert_true(a.v[0] != b.v[0]);
    assert_true(a.v[1] != b.v[1]);
    assert_int_equal(a.v[0], tokenize_hash("same", 4, 1));
    u64vec_free(&a);
    u64vec_free(&b);
}

/* Equivalent spellings give identical token sequences. */
static void test_equivalent_spellings(void **state)
{
    static const char *const groups[][4] = {
        { "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91", "abc1",
          "ABC1", "aBc1" },
        { "e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9", "\xC3\x89T\xC3\x89",
          "E\xCC\x81TE\xCC\x81" },
        { "\xEF\xAC\x81nd", "find", "FIND", "\xEF\xAC\x81" "ND" },
        { "\xE2\x91\xA0\xE2\x91\xA1", "12", "\xEF\xBC\x91\xEF\xBC\x92",
          "1\xC2\xB2" },
        { "ΣΟΦΟΣ", "σοφος", "σοφοσ", "ΣΟΦΟς" },
    };
    u64vec ref = { 0 }, got = { 0 };
    size_t g, i, m;

    (void)state;
    for (m = 0; m < 2; m++)
        for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
            run_tok((int)m, SEED, groups[g][0], strlen(groups[g][0]), 0,
                    &ref);
            assert_true(ref.n > 0);
            for (i = 1; i < 4; i++) {
                run_tok((int)m, SEED, groups[g][i], strlen(groups[g][i]), 0,
                        &got);
                if (!same_seq(&ref, &got)) {
                    print_error("mode %zu: \"%s\" != \"%s\"\n", m,
                                groups[g][0], groups[g][i]);
                    fail();
                }
            }
        }
    u64vec_free(&ref);
    u64vec_free(&got);
}

/* The combining mark arrives in a later chunk than its ASCII base
 * letter, also split inside the mark's own bytes. */
static void test_combining_across_chunks(void **state)
{
    static const char *const splits[][3] = {
        { "cafe", "\xCC\x81", " x" },
        { "cafe\xCC", "\x81", " x" },
        { "caf", "e", "\xCC\x81 x" },
        { "CAFE", "\xCC", "\x81 x" },
        { "", "cafe\xCC\x81", " x" },
    };
    const char *want_w[] = { "caf\xC3\xA9", "x", NULL };
    const char *want_c[] = { "c", "a", "f", "\xC3\xA9", " ", "x", NULL };
    u64vec want = { 0 }, got = { 0 };
    size_t s, i, m;

    (void)state;
    for (m = 0; m < 2; m++) {
        expect_strings(&want, m ? want_c : want_w, SEED);
        for (s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
            tokenizer tok;

            got.n = 0;
            tokenize_init(&tok, (int)m, SEED, collect, &got);
            for (i = 0; i < 3; i++)
                assert_int_equal(tokenize_feed(&tok,
                    (const unsigned char *)splits[s][i],
                    strlen(splits[s][i])), 0);
            assert_int_equal(tokenize_finish(&tok), 0);
            tokenize_release(&tok);
            if (!same_seq(&want, &got)) {
                print_error("mode %zu split %zu differs\n", m, s);
                fail();
            }
        }
    }
    u64vec_free(&want);
    u64vec_free(&got);
}

/* Words longer than the fixed buffer are hashed by streaming; the value
 * must equal the one-shot hash of the whole normalised word. */
static void test_long_words(void **state)
{
    /* {repeated unit as input, its normalised form, repetitions,
     *  prefix (input = normalised)} */
    static const struct {
        const char *unit, *norm, *prefix;
        size_t reps;
    } words[] = {
        { "a", "a", "", 1000 },
        { "A", "a", "", 1000 },
        { "a", "a", "", TOKENIZE_WORD_BUF - 1 },
        { "a", "a", "", TOKENIZE_WORD_BUF },
        { "a", "a", "", TOKENIZE_WORD_BUF + 1 },
        { "\xC3\xA9", "\xC3\xA9", "", 1000 },        /* é, 2 bytes */
        { "\xC3\xA9", "\xC3\xA9", "", TOKENIZE_WORD_BUF / 2 },
        /* é straddling the end of the buffer */
        { "\xC3\xA9", "\xC3\xA9", "a", TOKENIZE_WORD_BUF / 2 },
        { "E\xCC\x81", "\xC3\xA9", "", 700 },       /* decomposed */
        { "\xE4\xB8\xAD", "\xE4\xB8\xAD", "", 1000 }, /* 中, 3 bytes */
        { "\xE4\xB8\xAD", "\xE4\xB8\xAD", "ab", 85 }, /* 2 + 255 */
        { "\xE4\xB8\xAD", "\xE4\xB8\xAD", "ab", 86 }, /* 2 + 258 */
        { "\xF0\x9D\x90\x80", "a", "", 600 },      /* 4 bytes -> 1 */
        { "xY\xC3\xA9", "xy\xC3\xA9", "", 333 },
    };
    static const size_t chunks[] = { 0, 1, 7, 100 };
    u64vec got = { 0 };
    size_t w, i, c;

    (void)state;
    for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
        size_t ul = strlen(words[w].unit), nl = strlen(words[w].norm);
        size_t pl = strlen(words[w].prefix);
        size_t inlen = pl + ul * words[w].reps + 2;
        size_t normlen = pl + nl * words[w].reps;
        char *in = malloc(inlen + 2), *norm = malloc(normlen + 1);
        uint64_t want;

        assert_non_null(in);
        assert_non_null(norm);
        memcpy(in, words[w].prefix, pl);
        memcpy(norm, words[w].prefix, pl);
        for (i = 0; i < words[w].reps; i++) {
            memcpy(in + pl + i * ul, words[w].unit, ul);
            memcpy(norm + pl + i * nl, words[w].norm, nl);
        }
        /* followed by a separator and a short word */
        memcpy(in + inlen - 2, " z", 2);
        want = tokenize_hash(norm, normlen, SEED);
        for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
            /* alone, then followed by " z" */
            run_tok(0, SEED, in, inlen - 2, chunks[c], &got);
            assert_int_equal(got.n, 1);
            if (got.v[0] != want) {
                print_error("long word %zu (chunk %zu) hashes wrong\n", w,
                            chunks[c]);
                fail();
            }
            run_tok(0, SEED, in, inlen, chunks[c], &got);
            assert_int_equal(got.n, 2);
            assert_int_equal(got.v[0], want);
            assert_int_equal(got.v[1], tokenize_hash("z", 1, SEED));
        }
        free(in);
        free(norm);
    }
    u64vec_free(&got);
}

/* Two long words in a row: the streaming state is reused correctly. */
static void test_long_words_in_sequence(void **state)
{
    static const size_t chunks[] = { 0, 1, 13 };
    char text[1502], q[600], r[300];
    u64vec got = { 0 };
    size_t c;

    (void)state;
    memset(q, 'q', sizeof(q));
    memset(r, 'r', sizeof(r));
    memcpy(text, q, 600);
    text[600] = ' ';
    memcpy(text + 601, r, 300);
    text[901] = ' ';
    memcpy(text + 902, q, 600);
    for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        run_tok(0, SEED, text, sizeof(text), chunks[c], &got);
        assert_int_equal(got.n, 3);
        assert_int_equal(got.v[0], tokenize_hash(q, sizeof(q), SEED));
        assert_int_equal(got.v[1], tokenize_hash(r, sizeof(r), SEED));
        assert_int_equal(got.v[2], got.v[0]);
    }
    u64vec_free(&got);
}

static void test_token_count(void **state)
{
    static const struct {
        int chars;
        const char *in;
        uint64_t n;
    } t[] = {
        { 0, "", 0 },
        { 0, "one", 1 },
        { 0, "one two  three, four.", 4 },
        { 0, "a\xFF" "b\xC0\x80" "c", 3 },
        { 0, "中文字 日本語", 2 },
        { 1, "中文字 日本語", 7 },
        { 1, "ab, cd", 5 },
        { 1, " ", 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        u64vec got = { 0 };
        tokenizer tok;
        const char *in = t[i].in;

        tokenize_init(&tok, t[i].chars, SEED, collect, &got);
        assert_int_equal(tokenize_feed(&tok, (const unsigned char *)in,
                                       strlen(in)), 0);
        assert_int_equal(tokenize_finish(&tok), 0);
        assert_int_equal(tok.tokens, t[i].n);
        assert_int_equal(got.n, t[i].n);
        tokenize_release(&tok);
        u64vec_free(&got);
    }
}

/* Reset forgets everything pending: a partial word, a held letter, a
 * partial UTF-8 sequence, a pending space. */
static void test_reset(void **state)
{
    u64vec got = { 0 }, want = { 0 };
    tokenizer tok;
    const char *w1[] = { "def", NULL };
    const char *w2[] = { "\xCC\x81" "x", NULL };
    const char *w3[] = { "b", NULL };

    (void)state;
    tokenize_init(&tok, 0, SEED, collect, &got);

    assert_int_equal(tokenize_feed(&tok, (const unsigned char *)"abc", 3), 0);
    tokenize_reset(&tok);
    assert_int_equal(tok.tokens, 0);
    got.n = 0;
    tokenize_feed(&tok, (const unsigned char *)"def", 3);
    tokenize_finish(&tok);
    expect_strings(&want, w1, SEED);
    assert_true(same_seq(&want, &got));
    assert_int_equal(tok.tokens, 1);

    /* a held 'e' must not take the mark fed after the reset */
    tokenize_reset(&tok);
    got.n = 0;
    tokenize_feed(&tok, (const unsigned char *)"e", 1);
    tokenize_reset(&tok);
    tokenize_feed(&tok, (const unsigned char *)"\xCC\x81" "x", 3);
    tokenize_finish(&tok);
    expect_strings(&want, w2, SEED);
    assert_true(same_seq(&want, &got));

    /* a partial sequence must not complete with the next document */
    tokenize_reset(&tok);
    got.n = 0;
    tokenize_feed(&tok, (const unsigned char *)"\xE4", 1);
    tokenize_reset(&tok);
    tokenize_feed(&tok, (const unsigned char *)"\xB8\xAD" "b", 3);
    tokenize_finish(&tok);
    expect_strings(&want, w3, SEED);
    assert_true(same_seq(&want, &got));

    /* a long word in progress */
    {
        char longw[400];

        memset(longw, 'k', sizeof(longw));
        tokenize_reset(&tok);
        got.n = 0;
        tokenize_feed(&tok, (const unsigned char *)longw, sizeof(longw));
        tokenize_reset(&tok);
        tokenize_feed(&tok, (const unsigned char *)"def", 3);
        tokenize_finish(&tok);
        expect_strings(&want, w1, SEED);
        assert_true(same_seq(&want, &got));
    }
    tokenize_release(&tok);

    /* chars mode: no space token carried into the next document */
    tokenize_init(&tok, 1, SEED, collect, &got);
    tokenize_feed(&tok, (const unsigned char *)"a ", 2);
    tokenize_reset(&tok);
    got.n = 0;
    tokenize_feed(&tok, (const unsigned char *)"b", 1);
    tokenize_finish(&tok);
    expect_strings(&want, w3, SEED);
    assert_true(same_seq(&want, &got));
    tokenize_release(&tok);

    u64vec_free(&got);
    u64vec_free(&want);
}

/* ------------------------------------------------------------------ */
/* Random texts: streaming invariance and the whole-text oracle         */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *bytes;
    int invalid;          /* 1: invalid UTF-8, decodes to U+FFFD */
    int truncated;        /* 1: an incomplete sequence */
} piece;

static const piece pieces[] = {
    { " ", 0, 0 }, { "  ", 0, 0 }, { ", ", 0, 0 }, { ".", 0, 0 },
    { "\n", 0, 0 }, { "-", 0, 0 }, { "_", 0, 0 },
    { "0", 0, 0 }, { "42", 0, 0 },
    { "\xC3\xA9", 0, 0 },         /* é */
    { "\xC3\x9C", 0, 0 },         /* Ü */
    { "\xC3\x9F", 0, 0 },         /* ß */
    { "\xC3\xB1", 0, 0 },         /* ñ */
    { "\xC3\x85", 0, 0 },         /* Å */
    { "\xCC\x81", 0, 0 },         /* U+0301 */
    { "\xCC\x88", 0, 0 },         /* U+0308 */
    { "\xCC\xA7", 0, 0 },         /* U+0327 */
    { "\xCC\xB8", 0, 0 },         /* U+0338, composes with = < > */
    { "=", 0, 0 }, { "<", 0, 0 },
    { "\xE4\xB8\xAD", 0, 0 },     /* 中 */
    { "\xD0\xB4", 0, 0 },         /* д (inert) */
    { "\xD0\xB8", 0, 0 },         /* и, composes with U+0306 */
    { "\xD0\xB9", 0, 0 },         /* й */
    { "\xD1\x91", 0, 0 },         /* ё (decomposes) */
    { "\xD0\xB5", 0, 0 },         /* е, composes with U+0308 */
    { "\xCC\x86", 0, 0 },         /* U+0306 */
    { "\xD0\x94", 0, 0 },         /* Д (folds to д) */
    { "\xE0\xB3\x86", 0, 0 },     /* U+0CC6, composes with U+0CD5 */
    { "\xE0\xB3\x95", 0, 0 },     /* U+0CD5, a starter that composes */
    { "\xEF\xBE\x9E", 0, 0 },     /* U+FF9E, NFKC: U+3099 (a mark) */
    { "\xE3\x82\xAB", 0, 0 },     /* カ, composes with U+3099 */
    { "\xEF\xA4\x80", 0, 0 },     /* U+F900, decomposes to U+8C48 */
    { "\xCE\xB1", 0, 0 },         /* α */
    { "\xE1\xBA\xBF", 0, 0 },     /* ế */
    { "\xE1\xBB\x87", 0, 0 },     /* ệ */
    { "\xCC\xA3", 0, 0 },         /* U+0323, reorders before U+0301 */
    { "\xE2\x84\xAB", 0, 0 },     /* U+212B angstrom: a singleton */
    { "\xE0\xBD\xB3", 0, 0 },     /* U+0F73: a starter of marks */
    { "\xE1\xBA\x9E", 0, 0 },     /* U+1E9E capital sharp s */
    { "\xC3\x89", 0, 0 },         /* É */
    { "\xE6\x96\x87", 0, 0 },     /* 文 */
    { "\xE3\x90\x80", 0, 0 },     /* U+3400, first of CJK Ext A */
    { "\xE9\xBF\xBF", 0, 0 },     /* U+9FFF, last of CJK Unified */
    { "\xE4\xB6\xBF\xE4\xB8\x80", 0, 0 }, /* U+4DBF U+4E00 */
    { "\xD7\xA9", 0, 0 },         /* U+05E9 (the cache slot of é) */
    { "\xC7\xA9", 0, 0 },         /* U+01E9 (same slot, decomposes) */
    { "\xE3\x80\x81", 0, 0 },     /* 、 */
    { "\xE3\x80\x80", 0, 0 },     /* ideographic space */
    { "\xE1\x84\x92", 0, 0 },     /* Hangul L jamo */
    { "\xE1\x85\xA1", 0, 0 },     /* Hangul V jamo */
    { "\xE1\x86\xAB", 0, 0 },     /* Hangul T jamo */
    { "\xEA\xB0\x80", 0, 0 },     /* 가 */
    { "\xEF\xBC\xA1", 0, 0 },     /* Ａ */
    { "\xEF\xBC\x91", 0, 0 },     /* １ */
    { "\xEF\xAC\x81", 0, 0 },     /* ﬁ */
    { "\xE2\x91\xA0", 0, 0 },     /* ① */
    { "\xCE\xA3", 0, 0 },         /* Σ */
    { "\xCF\x82", 0, 0 },         /* ς */
    { "\xC4\xB0", 0, 0 },         /* İ */
    { "\xC2\xA0", 0, 0 },         /* no-break space */
    { "\xC2\xAD", 0, 0 },         /* soft hyphen (ignorable) */
    { "\xE0\xA4\xA8\xE0\xA5\x8D", 0, 0 }, /* न् */
    { "\xE0\xB8\xAA\xE0\xB8\xB1", 0, 0 }, /* สั */
    { "\xF0\x9D\x90\x80", 0, 0 }, /* math bold A */
    { "\xF0\x9F\x98\x80", 0, 0 }, /* emoji */
    { "\x80", 1, 0 },
    { "\xBF", 1, 0 },
    { "\xC0\x80", 1, 0 },
    { "\xED\xA0\x80", 1, 0 },
    { "\xF4\x90\x80\x80", 1, 0 },
    { "\xFF", 1, 0 },
    { "\xF5", 1, 0 },
    { "\xE4\xB8", 1, 1 },
    { "\xF0\x9F\x98", 1, 1 },
    { "\xC3", 1, 1 },
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

/* Appends a random text to raw; valid gets the same text with every
 * invalid piece replaced by U+FFFD.  A piece starting with a
 * continuation byte never follows a truncated one (they would form a
 * valid character). */
static void random_text(test_rng *r, size_t npieces, int with_invalid,
                        int ascii, char **raw, size_t *rawn, char **valid,
                        size_t *validn)
{
    size_t cap = npieces * 12 + 16, i, rn = 0, vn = 0;
    char *rb = malloc(cap), *vb = malloc(cap);
    int prev_trunc = 0;

    assert_non_null(rb);
    assert_non_null(vb);
    for (i = 0; i < npieces; i++) {
        const char *s;
        char word[9];
        size_t len;
        int inv = 0, trunc = 0;

        if (ascii && rng_below(r, 3) == 0) {
            size_t wl = 1 + (size_t)rng_below(r, 8), j;

            for (j = 0; j < wl; j++) {
                unsigned c = (unsigned)rng_below(r, 52);
                word[j] = (char)(c < 26 ? 'a' + c : 'A' + c - 26);
            }
            word[wl] = '\0';
            s = word;
        } else {
            const piece *p = &pieces[rng_below(r, NPIECES)];

            if (p->invalid && !with_invalid)
                continue;
            if (!ascii && (unsigned char)p->bytes[0] < 0x80)
                continue;
            if (prev_trunc && (unsigned char)p->bytes[0] >= 0x80 &&
                (unsigned char)p->bytes[0] <= 0xBF)
                continue;
            s = p->bytes;
            inv = p->invalid;
            trunc = p->truncated;
        }
        len = strlen(s);
        memcpy(rb + rn, s, len);
        rn += len;
        if (inv) {
            memcpy(vb + vn, "\xEF\xBF\xBD", 3);
            vn += 3;
        } else {
            memcpy(vb + vn, s, len);
            vn += len;
        }
        prev_trunc = trunc;
    }
    *raw = rb;
    *rawn = rn;
    *valid = vb;
    *validn = vn;
}

static int oracle_word_cp(int32_t cp)
{
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

/* Normalises the whole (valid) text at once and splits it. */
static void oracle(int chars, const char *text, size_t n, u64vec *out)
{
    utf8proc_uint8_t *norm = NULL;
    utf8proc_ssize_t len, i = 0;
    unsigned char *word = NULL;
    size_t wl = 0;
    int in_text = 0, pending = 0;

    out->n = 0;
    len = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)n,
                       &norm, ORACLE_OPTS);
    assert_true(len >= 0);
    word = malloc((size_t)len + 1);
    assert_non_null(word);
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t step = utf8proc_iterate(norm + i, len - i, &cp);

        assert_true(step > 0);
        if (!oracle_word_cp(cp)) {
            if (chars) {
                pending = in_text;
            } else if (wl) {
                u64vec_push(out, tokenize_hash(word, wl, SEED));
                wl = 0;
            }
        } else if (chars) {
            if (pending)
                u64vec_push(out, tokenize_hash(" ", 1, SEED));
            pending = 0;
            in_text = 1;
            u64vec_push(out, tokenize_hash(norm + i, (size_t)step, SEED));
        } else {
            memcpy(word + wl, norm + i, (size_t)step);
            wl += (size_t)step;
        }
        i += step;
    }
    if (!chars && wl)
        u64vec_push(out, tokenize_hash(word, wl, SEED));
    free(word);
    free(norm);
}

static void check_text(int chars, const char *raw, size_t rn,
                       const char *valid, size_t vn, test_rng *r,
                       size_t iter)
{
    u64vec whole = { 0 }, other = { 0 }, ref = { 0 };

    run_tok(chars, SEED, raw, rn, 0, &whole);
    run_tok(chars, SEED, raw, rn, 1, &other);
    if (!same_seq(&whole, &other)) {
        print_error("text %zu mode %d: byte by byte differs\n", iter, chars);
        fail();
    }
    run_tok_random(chars, raw, rn, r, 9, &other);
    if (!same_seq(&whole, &other)) {
        print_error("text %zu mode %d: small chunks differ\n", iter, chars);
        fail();
    }
    run_tok_random(chars, raw, rn, r, 300, &other);
    if (!same_seq(&whole, &other)) {
        print_error("text %zu mode %d: large chunks differ\n", iter, chars);
        fail();
    }
    oracle(chars, valid, vn, &ref);
    if (!same_seq(&whole, &ref)) {
        print_error("text %zu mode %d: differs from normalising the whole "
                    "text (%zu vs %zu tokens)\n", iter, chars, whole.n,
                    ref.n);
        fail();
    }
    u64vec_free(&whole);
    u64vec_free(&other);
    u64vec_free(&ref);
}

static void test_streaming_invariance(void **state)
{
    test_rng r = { 20240611 };
    size_t it;

    (void)state;
    for (it = 0; it < 400; it++) {
        char *raw, *valid;
        size_t rn, vn, np = (size_t)rng_below(&r, 120);
        int chars = (int)(it & 1);

        random_text(&r, np, 1, 1, &raw, &rn, &valid, &vn);
        check_text(chars, raw, rn, valid, vn, &r, it);
        free(raw);
        free(valid);
    }
}

/* Long runs without ASCII go past the segment soft limit; they are cut
 * before a separator and must still match whole-text normalisation. */
static void test_long_non_ascii_runs(void **state)
{
    test_rng r = { 77 };
    size_t it;

    (void)state;
    for (it = 0; it < 6; it++) {
        char *raw, *valid;
        size_t rn, vn;

        random_text(&r, 10000, it >= 3, 0, &raw, &rn, &valid, &vn);
        assert_true(rn > 3 * 4096);
        check_text((int)(it & 1), raw, rn, valid, vn, &r, it);
        free(raw);
        free(valid);
    }
}

/* Texts that are mostly ASCII: long runs with words of every length
 * (1 to 600 bytes, so words cross the 64-byte blocks of the ASCII fast
 * path and the word buffer), all kinds of ASCII separators including
 * NUL and controls, and now and then a non-ASCII piece, a combining mark
 * straight after an ASCII letter, or invalid bytes. */
static void ascii_heavy_text(test_rng *r, size_t target, char **raw,
                             size_t *rawn, char **valid, size_t *validn)
{
    static const char seps[] = " .,;:!?-_()[]{}\t\n\r\"'/\\@#$%^&*+=<>|~`"
                               "\001\037\177";
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t cap = target + 1200, rn = 0, vn = 0;
    char *rb = malloc(cap * 3), *vb = malloc(cap * 3);
    int prev_trunc = 0;

    assert_non_null(rb);
    assert_non_null(vb);
    while (rn < target) {
        unsigned what = (unsigned)rng_below(r, 100);

        if (what < 70) {
            unsigned lk = (unsigned)rng_below(r, 10);
            size_t len = lk < 6 ? 1 + rng_below(r, 10)
                       : lk < 9 ? 11 + rng_below(r, 90)
                       : 101 + rng_below(r, 500), j;

            for (j = 0; j < len; j++) {
                char c = alnum[rng_below(r, sizeof(alnum) - 1)];

                rb[rn++] = c;
                vb[vn++] = c;
            }
            prev_trunc = 0;
        } else if (what < 88) {
            size_t len = 1 + (size_t)rng_below(r, 3), j;

            for (j = 0; j < len; j++) {
                /* sizeof - 1 leaves out the final NUL; NUL separately */
                char c = rng_below(r, 20) == 0 ? '\0'
                         : seps[rng_below(r, sizeof(seps) - 1)];

                rb[rn++] = c;
                vb[vn++] = c;
            }
            prev_trunc = 0;
        } else if (what < 93) {
            /* combining mark on whatever came last */
            static const char *const marks[] = { "\xCC\x81", "\xCC\x88",
                                                 "\xCC\xA7", "\xCC\xB8" };
            const char *m = marks[rng_below(r, 4)];

            if (prev_trunc)
                continue;
            memcpy(rb + rn, m, 2);
            memcpy(vb + vn, m, 2);
            rn += 2;
            vn += 2;
        } else {
            const piece *pc = &pieces[rng_below(r, NPIECES)];
            size_t len = strlen(pc->bytes);

            if (prev_trunc && (unsigned char)pc->bytes[0] >= 0x80 &&
                (unsigned char)pc->bytes[0] <= 0xBF)
                continue;
            memcpy(rb + rn, pc->bytes, len);
            rn += len;
            if (pc->invalid) {
                memcpy(vb + vn, "\xEF\xBF\xBD", 3);
                vn += 3;
            } else {
                memcpy(vb + vn, pc->bytes, len);
                vn += len;
            }
            prev_trunc = pc->truncated;
        }
    }
    *raw = rb;
    *rawn = rn;
    *valid = vb;
    *validn = vn;
}

static void test_ascii_heavy_texts(void **state)
{
    test_rng r = { 0xa5c11 };
    size_t it;

    (void)state;
    for (it = 0; it < 300; it++) {
        char *raw, *valid;
        size_t rn, vn;

        ascii_heavy_text(&r, (size_t)rng_below(&r, 3000), &raw, &rn,
                         &valid, &vn);
        check_text((int)(it % 3 == 2), raw, rn, valid, vn, &r, it);
        free(raw);
        free(valid);
    }
}

/* The token hash (tokenize.c, short_mix) tells short words apart: all
 * 475,254 lower-case words of 1 to 4 letters, and 200,000 random ones
 * of 5 to 16 bytes and 17 to 40, get distinct values. */
static void test_hash_distinct(void **state)
{
    u64vec v = { 0 };
    test_rng r = { 99 };
    unsigned char w[40];
    size_t len, i, n, total;

    (void)state;
    for (len = 1; len <= 4; len++) {
        for (total = 1, i = 0; i < len; i++)
            total *= 26;
        for (n = 0; n < total; n++) {
            size_t x = n;

            for (i = 0; i < len; i++, x /= 26)
                w[i] = (unsigned char)('a' + x % 26);
            u64vec_push(&v, tokenize_hash(w, len, SEED));
        }
    }
    for (n = 0; n < 200000; n++) {
        len = n % 2 ? 5 + rng_below(&r, 12) : 17 + rng_below(&r, 24);
        for (i = 0; i < len; i++)
            w[i] = (unsigned char)rng_next(&r);
        u64vec_push(&v, tokenize_hash(w, len, SEED));
    }
    qsort(v.v, v.n, sizeof(*v.v), test_cmp_u64);
    for (i = 1; i < v.n; i++)
        assert_true(v.v[i - 1] != v.v[i]);
    u64vec_free(&v);
}

/* Avalanche: flipping any one bit of a word of 1 to 16 bytes flips each
 * bit of its hash half the time (within 0.47..0.53 over 30,000 flips a
 * bit; the standard deviation is 0.003).  MinHash takes the top 32 bits
 * of a shingle hash built from rotated token hashes, so every bit of a
 * token hash matters. */
static void test_hash_avalanche(void **state)
{
    static unsigned flips[64];
    test_rng r = { 7 };
    unsigned char w[16];
    size_t trials = 0, t, len, bit, j;

    (void)state;
    for (t = 0; t < 2000; t++) {
        uint64_t h;

        len = 1 + t % 16;
        for (j = 0; j < len; j++)
            w[j] = (unsigned char)('a' + rng_below(&r, 26));
        h = tokenize_hash(w, len, SEED);
        bit = rng_below(&r, 8 * len);
        for (j = 0; j < 15; j++, bit = (bit + 1) % (8 * len)) {
            uint64_t d;
            unsigned b;

            w[bit / 8] ^= (unsigned char)(1u << bit % 8);
            d = h ^ tokenize_hash(w, len, SEED);
            w[bit / 8] ^= (unsigned char)(1u << bit % 8);
            for (b = 0; b < 64; b++)
                flips[b] += (unsigned)(d >> b & 1);
            trials++;
        }
    }
    for (bit = 0; bit < 64; bit++) {
        double f = (double)flips[bit] / (double)trials;

        if (f < 0.47 || f > 0.53)
            fail_msg("hash bit %zu flips %.3f of the time", bit, f);
    }
}

/* The CJK shortcut is on with the utf8proc the project builds with
 * (Unicode 15): off, Chinese and Japanese text would still be right but
 * slow.  The table and random tests above check its tokens. */
static void test_cjk_shortcut_on(void **state)
{
    (void)state;
    assert_int_equal(tokenize_cjk_shortcut(), 1);
}

/* Whole words of every length 1..300 at every offset 0..70 of a run:
 * the word mask's block edges and the word buffer's end. */
static void test_ascii_word_lengths_and_offsets(void **state)
{
    char text[400];
    u64vec got = { 0 };
    size_t len, off, k;

    (void)state;
    for (len = 1; len <= 300; len += (len < 70 ? 1 : 7))
        for (off = 0; off <= 70; off++) {
            size_t n = 0, i;
            char word[300];

            for (i = 0; i < off; i++)
                text[n++] = i % 5 == 4 ? 'z' : ' ';  /* some short words */
            text[n++] = ' ';
            for (i = 0; i < len; i++)
                word[i] = (char)((i * 7 + len) % 26 + (i % 3 ? 'a' : 'A'));
            memcpy(text + n, word, len);
            n += len;
            text[n++] = ',';
            text[n++] = 'Q';
            for (i = 0; i < len; i++)
                word[i] = (char)(word[i] | 0x20);
            for (k = 0; k < 3; k++) {
                static const size_t chunks[] = { 0, 1, 64 };

                run_tok(0, SEED, text, n, chunks[k], &got);
                assert_true(got.n >= 2);
                assert_int_equal(got.v[got.n - 2],
                                 tokenize_hash(word, len, SEED));
                assert_int_equal(got.v[got.n - 1],
                                 tokenize_hash("q", 1, SEED));
            }
        }
    u64vec_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_other_seed),
        cmocka_unit_test(test_seed_changes_hashes),
        cmocka_unit_test(test_equivalent_spellings),
        cmocka_unit_test(test_combining_across_chunks),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_long_words_in_sequence),
        cmocka_unit_test(test_token_count),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_streaming_invariance),
        cmocka_unit_test(test_long_non_ascii_runs),
        cmocka_unit_test(test_ascii_heavy_texts),
        cmocka_unit_test(test_ascii_word_lengths_and_offsets),
        cmocka_unit_test(test_hash_distinct),
        cmocka_unit_test(test_hash_avalanche),
        cmocka_unit_test(test_cjk_shortcut_on),
    };

    return cmocka_run_group_tests_name("tokenize", tests, NULL, NULL);
}
