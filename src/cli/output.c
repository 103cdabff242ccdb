/*
 * output.c - writers for the reported pairs and clusters.
 *
 * TSV (default): one pair per line,
 *     jaccard  a_in_b  b_in_a  relation  a  b
 * scores with 4 decimals; relation is duplicate, a_in_b or b_in_a.  In
 * names, backslash, tab, newline and carriage return are written as \\,
 * \t, \n and \r, so a line is always one record.
 *
 * JSON Lines: one object per pair with keys a, b, jaccard, a_in_b,
 * b_in_a, relation ("duplicate" or "contained"), inside ("a" or "b",
 * only when contained) and exact (true when the scores are exact).
 * Strings are valid UTF-8 JSON; a name that is not valid UTF-8 is
 * written with U+FFFD in place of bad bytes, and losslessly as base64
 * under a_bytes / b_bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void tsv_name(FILE *out, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];

        switch (c) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        default: putc(c, out);
        }
    }
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len, i;
    unsigned lo = 0x80, hi = 0xBF;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

static int utf8_is_valid(const char *s, size_t n)
{
    size_t i = 0, l;

    while (i < n) {
        if (!(l = utf8_valid_len((const unsigned char *)s + i, n - i)))
            return 0;
        i += l;
    }
    return 1;
}

static void json_string(FILE *out, const char *s, size_t n)
{
    size_t i = 0, l;

    putc('"', out);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];

        l = utf8_valid_len((const unsigned char *)s + i, n - i);
        if (l == 0) {
            fputs("\xEF\xBF\xBD", out);   /* U+FFFD */
            i++;
            continue;
        }
        if (l > 1) {
            fwrite(s + i, 1, l, out);
        } else if (c == '"' || c == '\\') {
            putc('\\', out);
            putc(c, out);
        } else if (c == '\n') {
            fputs("\\n", out);
        } else if (c == '\t') {
            fputs("\\t", out);
        } else if (c == '\r') {
            fputs("\\r", out);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\u%04x", c);
        } else {
            putc(c, out);
        }
        i += l;
    }
    putc('"', out);
}

static void base64(FILE *out, const unsigned char *s, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;

    putc('"', out);
    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        putc(tab[v >> 18], out);
        putc(tab[(v >> 12) & 63], out);
        putc(tab[(v >> 6) & 63], out);
        putc(tab[v & 63], out);
    }
    if (i < n) {
        uint32_t v = (uint32_t)s[i] << 16 |
                     (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
        putc(tab[v >> 18], out);
        putc(tab[(v >> 12) & 63], out);
        putc(i + 1 < n ? tab[(v >> 6) & 63] : '=', out);
        putc('=', out);
    }
    putc('"', out);
}

/* "key":"name"[,"key_bytes":"base64"] */
static void json_name(FILE *out, const char *key, const char *s, size_t n)
{
    fprintf(out, "\"%s\":", key);
    json_string(out, s, n);
    if (!utf8_is_valid(s, n)) {
        fprintf(out, ",\"%s_bytes\":", key);
        base64(out, (const unsigned char *)s, n);
    }
}

static const char *relation_tsv(dupfind_relation r)
{
    switch (r) {
    case DUPFIND_REL_DUPLICATE: return "duplicate";
    case DUPFIND_REL_A_IN_B: return "a_in_b";
    case DUPFIND_REL_B_IN_A: return "b_in_a";
    default: return "none";
    }
}

int output_pairs(FILE *out, const cli_options *o, const dupfind_ctx *ctx,
                 const dupfind_results *res)
{
    size_t i, n = dupfind_results_count(res);

    for (i = 0; i < n; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);
        size_t la, lb;
        const char *a = dupfind_ctx_doc_name(ctx, p->a, &la);
        const char *b = dupfind_ctx_doc_name(ctx, p->b, &lb);

        if (o->format == FORMAT_TSV) {
            fprintf(out, "%.4f\t%.4f\t%.4f\t%s\t", p->jaccard, p->a_in_b,
                    p->b_in_a, relation_tsv(p->relation));
            tsv_name(out, a, la);
            putc('\t', out);
            tsv_name(out, b, lb);
            putc('\n', out);
        } else {
            putc('{', out);
            json_name(out, "a", a, la);
            putc(',', out);
            json_name(out, "b", b, lb);
            fprintf(out, ",\"jaccard\":%.4f,\"a_in_b\":%.4f,"
                    "\"b_in_a\":%.4f,\"relation\":\"%s\"",
                    p->jaccard, p->a_in_b, p->b_in_a,
                    p->relation == DUPFIND_REL_DUPLICATE ? "duplicate"
                                                         : "contained");
            if (p->relation == DUPFIND_REL_A_IN_B)
                fputs(",\"inside\":\"a\"", out);
            else if (p->relation == DUPFIND_REL_B_IN_A)
                fputs(",\"inside\":\"b\"", out);
            fprintf(out, ",\"exact\":%s}\n", p->exact ? "true" : "false");
        }
    }
    return 0;
}

/*
 * Clusters: TSV prints one block per group, a line "cluster<TAB>name"
 * per member in input order, blocks separated by an empty line.  JSON
 * Lines prints one object per group:
 *   {"type":"cluster","cluster":N,"size":S,"members":[...]}
 * Groups are numbered from 1 in order of their first member.
 */
int output_clusters(FILE *out, const cli_options *o,
                    const dupfind_ctx *ctx, const dupfind_results *res)
{
    uint32_t ndocs = dupfind_ctx_doc_count(ctx), nclusters, i;
    uint32_t *cl, *start, *next, *size, c;

    cl = malloc((ndocs ? ndocs : 1) * sizeof(*cl));
    if (!cl || dupfind_results_clusters(res, ndocs, cl, &nclusters) < 0) {
        free(cl);
        return -1;
    }
    /* Chain the members of each cluster in id order. */
    start = calloc(nclusters + 1, sizeof(*start));
    next = calloc(ndocs ? ndocs : 1, sizeof(*next));
    size = calloc(nclusters + 1, sizeof(*size));
    if (!start || !next || !size) {
        free(cl); free(start); free(next); free(size);
        return -1;
    }
    for (i = ndocs; i-- > 0;) {
        if (!cl[i])
            continue;
        next[i] = start[cl[i]];
        start[cl[i]] = i + 1;     /* 1-based, 0 ends the chain */
        size[cl[i]]++;
    }
    for (c = 1; c <= nclusters; c++) {
        uint32_t m;

        if (o->format == FORMAT_JSONL)
            fprintf(out, "{\"type\":\"cluster\",\"cluster\":%u,\"size\":%u,"
                    "\"members\":[", c, size[c]);
        else if (c > 1)
            putc('\n', out);
        for (m = start[c]; m; m = next[m - 1]) {
            size_t len;
            const char *name = dupfind_ctx_doc_name(ctx, m - 1, &len);

            if (o->format == FORMAT_JSONL) {
                if (m != start[c])
                    putc(',', out);
                json_string(out, name, len);
            } else {
                fprintf(out, "%u\t", c);
                tsv_name(out, name, len);
                putc('\n', out);
            }
        }
        if (o->format == FORMAT_JSONL)
            fputs("]}\n", out);
    }
    free(cl);
    free(start);
    free(next);
    free(size);
    return 0;
}
