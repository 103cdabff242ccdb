/*
 * fuzz_tokenize.c - libFuzzer target for the UTF-8 normaliser and
 * tokeniser.  Invariants (abort() when broken):
 *  - feeding the input whole, byte by byte, or in chunks cut where the
 *    first input byte says gives the same token-hash sequence, in word
 *    and in character mode;
 *  - a document builder gives the same signature and shingle count for
 *    the whole input and for the chunked one, and the sorted shingle set
 *    is strictly ascending with the reported count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dupfind.h"
#include "tokenize.h"

#define MAX_TOKENS 65536

typedef struct {
    uint64_t h[MAX_TOKENS];
    size_t n;
} seq;

static void collect(void *ud, const uint64_t *h, size_t n)
{
    seq *s = ud;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s->n < MAX_TOKENS)
            s->h[s->n] = h[i];
        s->n++;
    }
}

static void run(int chars, const uint8_t *data, size_t size, size_t step,
                seq *out)
{
    tokenizer tok;
    size_t i;

    out->n = 0;
    tokenize_init(&tok, chars, 42, collect, out);
    for (i = 0; i < size; i += step)
        if (tokenize_feed(&tok, data + i,
                          size - i < step ? size - i : step) < 0)
            abort();
    if (tokenize_finish(&tok) < 0)
        abort();
    tokenize_release(&tok);
}

static seq a, b;

static void check_tokens(int chars, const uint8_t *data, size_t size)
{
    size_t step = size ? (size_t)(data[0] % 7) + 1 : 1;

    run(chars, data, size, size ? size : 1, &a);
    run(chars, data, size, 1, &b);
    if (a.n != b.n || memcmp(a.h, b.h, (a.n < MAX_TOKENS ? a.n : MAX_TOKENS)
                                      * sizeof(uint64_t)))
        abort();
    run(chars, data, size, step, &b);
    if (a.n != b.n || memcmp(a.h, b.h, (a.n < MAX_TOKENS ? a.n : MAX_TOKENS)
                                      * sizeof(uint64_t)))
        abort();
}

static void check_doc(const uint8_t *data, size_t size)
{
    static dupfind_ctx *ctx;
    static dupfind_doc *d1, *d2;
    const dupfind_options *o;
    const uint64_t *s;
    size_t n, i;

    if (!ctx) {
        dupfind_options opt;
        dupfind_options_init(&opt);
        opt.shingle_len = 3;
        if (dupfind_ctx_new(&ctx, &opt, NULL, 0) < 0 ||
            dupfind_doc_new(&d1, ctx) < 0 || dupfind_doc_new(&d2, ctx) < 0)
            abort();
    }
    o = dupfind_ctx_options(ctx);
    dupfind_doc_reset(d1);
    dupfind_doc_reset(d2);
    if (dupfind_doc_feed(d1, data, size) < 0 || dupfind_doc_finish(d1) < 0)
        abort();
    for (i = 0; i < size; i += 3)
        if (dupfind_doc_feed(d2, data + i, size - i < 3 ? size - i : 3) < 0)
            abort();
    if (dupfind_doc_finish(d2) < 0)
        abort();
    if (dupfind_doc_shingle_count(d1) != dupfind_doc_shingle_count(d2) ||
        memcmp(dupfind_doc_signature(d1), dupfind_doc_signature(d2),
               o->num_perm * sizeof(uint32_t)))
        abort();
    if (dupfind_doc_shingles(d1, &s, &n) < 0 ||
        n != dupfind_doc_shingle_count(d1))
        abort();
    for (i = 1; i < n; i++)
        if (s[i - 1] >= s[i])
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_tokens(0, data, size);
    check_tokens(1, data, size);
    check_doc(data, size);
    return 0;
}
