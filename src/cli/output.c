/*
 * output.c - writers for the reported pairs and clusters.
 * docs/FORMAT.md is the contract for tsv and jsonl (schema version 1);
 * this comment gives the exact columns of every format.
 *
 * Pairs (default), one record per reported pair:
 *
 *   tsv    jaccard<TAB>a_in_b<TAB>b_in_a<TAB>relation<TAB>a<TAB>b
 *          scores with 4 decimals; relation is duplicate, a_in_b or
 *          b_in_a.  In names, backslash, tab, newline and carriage
 *          return are written as \\, \t, \n and \r, so a line is always
 *          one record.  No header.
 *
 *   csv    RFC 4180: the header line jaccard,a_in_b,b_in_a,relation,a,b
 *          (written even when nothing is reported, so the table always
 *          has its columns), then the same fields as tsv.  Lines end in
 *          CRLF.  A name that holds a comma, a double quote, CR or LF is
 *          quoted, its quotes doubled; names are otherwise written as
 *          their bytes (not necessarily UTF-8, which CSV leaves open).
 *
 *   jsonl  one object per pair with keys a, b, jaccard, a_in_b, b_in_a,
 *          relation ("duplicate" or "contained"), inside ("a" or "b",
 *          only when contained) and exact (true when the scores are
 *          exact).  Strings are valid UTF-8 JSON; a name that is not
 *          valid UTF-8 is written with U+FFFD in place of bad bytes, and
 *          losslessly as base64 under a_bytes / b_bytes.
 *
 *   text   for people: the groups of the clusters output below, each
 *          member but the original with a score, as a percentage, for
 *          its reported pair with the original; a member with no such
 *          pair shows its strongest pair with another member, named in
 *          brackets.  Not a stable format.
 *
 * Clusters (--clusters): the documents of the reported pairs grouped
 * transitively, groups numbered from 1 in input order of their first
 * member.  Each group has an original, chosen by --keep (keep.c); it
 * comes first, the other members follow in input order.
 *
 *   tsv    cluster<TAB>name, one line per member, an empty line between
 *          groups.  The first line of a group is its original (with the
 *          default --keep=first that is input order, as in schema 1).
 *
 *   csv    header cluster,original,name; original is true or false.
 *
 *   jsonl  {"type":"cluster","cluster":N,"size":S,"members":[...],
 *           "original":"name"}, plus "members_bytes" (base64 or null per
 *          member) when a member's name is not valid UTF-8, and
 *          "original_bytes" when the original's is not.  The keys after
 *          "members" were added to schema 1, as FORMAT.md's section on
 *          versioning allows.
 *
 *   text   "group N: S documents", then "  original  name" and one
 *          indented line per other member, groups apart by an empty line.
 *
 * Text output uses ANSI colours when output_wants_color() says so;
 * control characters, C1 controls and bytes that are not UTF-8 in names
 * are shown as \xHH there, so a name cannot move the cursor or change
 * the terminal.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Whole records                                                       */
/* ------------------------------------------------------------------ */

int out_open(out_stream *os, FILE *f)
{
    static char fbuf[OUT_BUFSIZE];

    memset(os, 0, sizeof(*os));
    os->f = f;
    os->tty = isatty(fileno(f));
    /* Fully buffered even on a terminal: out_record() flushes there
     * after each record, which is line buffering made record-aware (a
     * CSV record may hold a quoted newline). */
    setvbuf(f, fbuf, _IOFBF, sizeof(fbuf));
    os->rec = open_memstream(&os->buf, &os->len);
    return os->rec ? 0 : -1;
}

static int out_fail(out_stream *os)
{
    if (!os->err)
        os->err = errno ? errno : EIO;
    return -1;
}

int out_record(out_stream *os)
{
    size_t n;

    if (os->err)
        return -1;
    if (fflush(os->rec) != 0) {
        errno = ENOMEM;
        return out_fail(os);
    }
    n = os->len;
    /* Flush before the record if stdio would otherwise split it; a
     * record longer than the buffer goes out in one fwrite. */
    if (os->pending && os->pending + n > OUT_BUFSIZE) {
        if (fflush(os->f) != 0)
            return out_fail(os);
        os->pending = 0;
    }
    if (n && fwrite(os->buf, 1, n, os->f) != n)
        return out_fail(os);
    os->pending += n;
    if (os->tty || os->pending >= OUT_BUFSIZE) {
        if (fflush(os->f) != 0)
            return out_fail(os);
        os->pending = 0;
    }
    rewind(os->rec);
    return 0;
}

int out_close(out_stream *os)
{
    int rc = 0;

    if (os->rec) {
        fclose(os->rec);
        os->rec = NULL;
    }
    free(os->buf);
    os->buf = NULL;
    if (!os->err && (fflush(os->f) != 0 || ferror(os->f)))
        rc = out_fail(os);
    return os->err ? -1 : rc;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* Bytes of s[i .. n) up to the first that a name in TSV escapes. */
static size_t tsv_plain(const char *s, size_t i, size_t n)
{
    size_t j = i;

    while (j < n && s[j] != '\\' && s[j] != '\t' && s[j] != '\n' &&
           s[j] != '\r')
        j++;
    return j - i;
}

/* Plain runs go out in one fwrite: putc a byte took a quarter of a run
 * printing 2 M pairs. */
static void tsv_name(FILE *out, const char *s, size_t n)
{
    size_t i = 0, l;

    while (i < n) {
        if ((l = tsv_plain(s, i, n)) > 0) {
            fwrite(s + i, 1, l, out);
            i += l;
            continue;
        }
        switch (s[i++]) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        default: fputs("\\r", out); break;
        }
    }
}

/* RFC 4180 section 2, rules 6 and 7. */
static void csv_name(FILE *out, const char *s, size_t n)
{
    size_t i;

    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) &&
        !memchr(s, '\n', n)) {
        fwrite(s, 1, n, out);
        return;
    }
    putc('"', out);
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            putc('"', out);
        putc(s[i], out);
    }
    putc('"', out);
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

/* A name for a terminal.  Backslash is doubled so that \xHH is never
 * ambiguous; C1 controls (U+0080..U+009F) are escaped too, since some
 * terminals obey them even in UTF-8 mode. */
static void text_name(FILE *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, l, k;

    while (i < n) {
        l = utf8_valid_len(u + i, n - i);
        if (l == 1 && u[i] >= 0x20 && u[i] != 0x7F) {
            if (u[i] == '\\')
                putc('\\', out);
            putc(u[i], out);
        } else if (l > 1 && !(l == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0)) {
            fwrite(u + i, 1, l, out);
        } else {
            if (l == 0)
                l = 1;
            for (k = 0; k < l; k++)
                fprintf(out, "\\x%02X", u[i + k]);
        }
        i += l;
    }
}

static void json_string(FILE *out, const char *s, size_t n)
{
    size_t i = 0, l;

    putc('"', out);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];

        /* A run of printable ASCII but " and \ goes out as it is. */
        for (l = 0; i + l < n; l++) {
            unsigned char d = (unsigned char)s[i + l];

            if (d < 0x20 || d >= 0x7F || d == '"' || d == '\\')
                break;
        }
        if (l > 0) {
            fwrite(s + i, 1, l, out);
            i += l;
            continue;
        }
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

/* ------------------------------------------------------------------ */
/* Colour                                                              */
/* ------------------------------------------------------------------ */

int output_wants_color(const cli_options *o)
{
    const char *v;

    /* Only text is for people; -0 output is for xargs. */
    if (o->format != FORMAT_TEXT || o->null_input ||
        o->color == COLOR_NEVER)
        return 0;
    if (o->color == COLOR_ALWAYS)
        return 1;
    if (!isatty(STDOUT_FILENO) && !o->pretend_tty)
        return 0;
    v = getenv("NO_COLOR");        /* https://no-color.org/ */
    if (v && *v)
        return 0;
    v = getenv("TERM");
    return !(v && !strcmp(v, "dumb"));
}

#define C_BOLD   "\033[1m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM    "\033[2m"
#define C_RESET  "\033[0m"

static void color_on(FILE *out, const out_report *rep, const char *code)
{
    if (rep->color)
        fputs(code, out);
}

static void color_off(FILE *out, const out_report *rep)
{
    if (rep->color)
        fputs(C_RESET, out);
}

/* ------------------------------------------------------------------ */
/* Pairs                                                               */

static void put_score(FILE *out, double v)
{
    char buf[SCORE_BUF];
    size_t n = score_format(buf, v);

    fwrite(buf, 1, n, out);
}

/* The three scores of p, each followed by sep. */
static void put_scores(FILE *out, const dupfind_pair *p, char sep)
{
    put_score(out, p->jaccard);
    putc(sep, out);
    put_score(out, p->a_in_b);
    putc(sep, out);
    put_score(out, p->b_in_a);
    putc(sep, out);
}

/* ------------------------------------------------------------------ */

static int output_groups(out_stream *os, const cli_options *o,
                         const out_report *rep, int scores);

int output_pairs(out_stream *os, const cli_options *o,
                 const out_report *rep)
{
    FILE *out = os->rec;
    size_t i;

    if (o->format == FORMAT_TEXT)
        return output_groups(os, o, rep, 1);
    if (o->format == FORMAT_CSV) {
        fputs("jaccard,a_in_b,b_in_a,relation,a,b\r\n", out);
        if (out_record(os) < 0)
            return 1;
    }
    for (i = 0; i < rep->npairs; i++) {
        const dupfind_pair *p = rep->pairs[i];
        size_t la, lb;
        const char *a = dupfind_ctx_doc_name(rep->ctx, p->a, &la);
        const char *b = dupfind_ctx_doc_name(rep->ctx, p->b, &lb);

        if (o->format == FORMAT_TSV) {
            put_scores(out, p, '\t');
            fputs(relation_tsv(p->relation), out);
            putc('\t', out);
            tsv_name(out, a, la);
            putc('\t', out);
            tsv_name(out, b, lb);
            putc('\n', out);
        } else if (o->format == FORMAT_CSV) {
            put_scores(out, p, ',');
            fputs(relation_tsv(p->relation), out);
            putc(',', out);
            csv_name(out, a, la);
            putc(',', out);
            csv_name(out, b, lb);
            fputs("\r\n", out);
        } else {
            putc('{', out);
            json_name(out, "a", a, la);
            putc(',', out);
            json_name(out, "b", b, lb);
            fputs(",\"jaccard\":", out);
            put_score(out, p->jaccard);
            fputs(",\"a_in_b\":", out);
            put_score(out, p->a_in_b);
            fputs(",\"b_in_a\":", out);
            put_score(out, p->b_in_a);
            fputs(p->relation == DUPFIND_REL_DUPLICATE
                      ? ",\"relation\":\"duplicate\""
                      : ",\"relation\":\"contained\"", out);
            if (p->relation == DUPFIND_REL_A_IN_B)
                fputs(",\"inside\":\"a\"", out);
            else if (p->relation == DUPFIND_REL_B_IN_A)
                fputs(",\"inside\":\"b\"", out);
            fprintf(out, ",\"exact\":%s}\n", p->exact ? "true" : "false");
        }
        if (out_record(os) < 0)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Groups                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    uint32_t n;          /* groups, numbered 1..n */
    uint32_t *cl;        /* per document: its group, or 0 */
    uint32_t *orig;      /* per group: the original's id */
    uint32_t *size;      /* per group: members */
    uint32_t *start;     /* per group: first member's id + 1 */
    uint32_t *next;      /* per document: next member's id + 1, or 0 */
} groups;

/* JSON Lines clusters: when a member's name is not valid UTF-8,
 * "members_bytes" follows "members", aligned with it: the base64 of
 * each name that is not UTF-8, null for the others, so every name can
 * be recovered byte for byte (schema 1 allows added keys). */
static void member_bytes(FILE *out, const out_report *rep, uint32_t id,
                         int comma)
{
    size_t len;
    const char *name = dupfind_ctx_doc_name(rep->ctx, id, &len);

    if (comma)
        putc(',', out);
    if (utf8_is_valid(name, len))
        fputs("null", out);
    else
        base64(out, (const unsigned char *)name, len);
}

static void members_bytes(FILE *out, const out_report *rep,
                          const groups *g, uint32_t c, uint32_t orig)
{
    uint32_t m;
    size_t len;
    const char *name;
    int any = 0;

    for (m = g->start[c]; m && !any; m = g->next[m - 1]) {
        name = dupfind_ctx_doc_name(rep->ctx, m - 1, &len);
        any = !utf8_is_valid(name, len);
    }
    if (!any)
        return;
    /* The original first, then the others in input order: as members. */
    fputs(",\"members_bytes\":[", out);
    member_bytes(out, rep, orig, 0);
    for (m = g->start[c]; m; m = g->next[m - 1])
        if (m - 1 != orig)
            member_bytes(out, rep, m - 1, 1);
    putc(']', out);
}

static void groups_release(groups *g)
{
    free(g->cl);
    free(g->orig);
    free(g->size);
    free(g->start);
    free(g->next);
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];    /* path halving */
        x = parent[x];
    }
    return x;
}

/* Union-find over the reported pairs (which may be fewer than the
 * library's results after --baseline, so dupfind_results_clusters
 * cannot be used), numbered as it numbers them. */
static int groups_build(groups *g, const out_report *rep)
{
    uint32_t ndocs = dupfind_ctx_doc_count(rep->ctx), id, c;
    uint32_t *parent = NULL;
    size_t i, cap = (size_t)(ndocs ? ndocs : 1);
    int rc = -1;

    memset(g, 0, sizeof(*g));
    parent = malloc(cap * sizeof(*parent));
    g->cl = calloc(cap, sizeof(*g->cl));
    g->next = calloc(cap, sizeof(*g->next));
    if (!parent || !g->cl || !g->next)
        goto cleanup;
    for (id = 0; id < ndocs; id++)
        parent[id] = id;
    for (i = 0; i < rep->npairs; i++) {
        uint32_t ra = uf_find(parent, rep->pairs[i]->a);
        uint32_t rb = uf_find(parent, rep->pairs[i]->b);

        /* The smaller id becomes the root, so a root is its group's
         * first member. */
        if (ra < rb)
            parent[rb] = ra;
        else if (rb < ra)
            parent[ra] = rb;
        g->cl[rep->pairs[i]->a] = g->cl[rep->pairs[i]->b] = 1;
    }
    for (id = 0; id < ndocs; id++) {
        uint32_t r;

        if (!g->cl[id])
            continue;
        r = uf_find(parent, id);
        /* The root comes first, so its number is already set. */
        g->cl[id] = r == id ? ++g->n : g->cl[r];
    }
    g->orig = calloc((size_t)g->n + 1, sizeof(*g->orig));
    g->size = calloc((size_t)g->n + 1, sizeof(*g->size));
    g->start = calloc((size_t)g->n + 1, sizeof(*g->start));
    if (!g->orig || !g->size || !g->start)
        goto cleanup;
    for (id = ndocs; id-- > 0;) {
        c = g->cl[id];
        if (!c)
            continue;
        if (!g->size[c]++ || rep->rank[id] < rep->rank[g->orig[c]])
            g->orig[c] = id;
        g->next[id] = g->start[c];
        g->start[c] = id + 1;
    }
    rc = 0;
cleanup:
    free(parent);
    if (rc < 0)
        groups_release(g);
    return rc;
}

/* How strongly a pair joins its documents, to pick the link shown. */
static double pair_score(const dupfind_pair *p)
{
    if (p->relation == DUPFIND_REL_DUPLICATE)
        return p->jaccard;
    return p->a_in_b > p->b_in_a ? p->a_in_b : p->b_in_a;
}

/* "  93.1%  name (inside other)" for member m and its link p. */
static void text_member(FILE *out, const out_report *rep,
                        const dupfind_pair *p, uint32_t m, uint32_t orig)
{
    uint32_t other = p->a == m ? p->b : p->a;
    const char *what = NULL;
    size_t len;
    const char *name = dupfind_ctx_doc_name(rep->ctx, m, &len);

    color_on(out, rep, C_YELLOW);
    fprintf(out, "%9.1f%%", 100 * pair_score(p));
    color_off(out, rep);
    fputs("  ", out);
    text_name(out, name, len);
    if (p->relation == DUPFIND_REL_A_IN_B)
        what = p->a == m ? "inside" : "contains";
    else if (p->relation == DUPFIND_REL_B_IN_A)
        what = p->b == m ? "inside" : "contains";
    if (what || other != orig) {
        color_on(out, rep, C_DIM);
        fprintf(out, " (%s ", what ? what : "similar to");
        if (other == orig) {
            fputs("the original", out);
        } else {
            name = dupfind_ctx_doc_name(rep->ctx, other, &len);
            text_name(out, name, len);
        }
        putc(')', out);
        color_off(out, rep);
    }
    putc('\n', out);
}

/* One member's line (the original's for text is in the header); JSON
 * Lines members are strings in the group's object. */
static void group_member(FILE *out, const cli_options *o,
                         const out_report *rep, const dupfind_pair *link,
                         uint32_t c, uint32_t id, uint32_t orig)
{
    size_t len;
    const char *name = dupfind_ctx_doc_name(rep->ctx, id, &len);

    switch (o->format) {
    case FORMAT_TEXT:
        if (link) {
            text_member(out, rep, link, id, orig);
        } else {
            fputs("            ", out);
            text_name(out, name, len);
            putc('\n', out);
        }
        break;
    case FORMAT_JSONL:
        if (id != orig)
            putc(',', out);
        json_string(out, name, len);
        break;
    case FORMAT_CSV:
        fprintf(out, "%u,%s,", c, id == orig ? "true" : "false");
        csv_name(out, name, len);
        fputs("\r\n", out);
        break;
    case FORMAT_TSV:
        fprintf(out, "%u\t", c);
        tsv_name(out, name, len);
        putc('\n', out);
        break;
    }
}

/* Per member: its pair with the original, or else its strongest pair.
 * (calloc'd, NULL when out of memory) */
static const dupfind_pair **group_links(const out_report *rep,
                                        const groups *g)
{
    uint32_t ndocs = dupfind_ctx_doc_count(rep->ctx);
    const dupfind_pair **link = calloc(ndocs ? ndocs : 1,
                                       sizeof(const dupfind_pair *));
    size_t i;

    for (i = 0; link && i < rep->npairs; i++) {
        const dupfind_pair *p = rep->pairs[i];
        uint32_t orig = g->orig[g->cl[p->a]], k;

        for (k = 0; k < 2; k++) {
            uint32_t x = k ? p->b : p->a, y = k ? p->a : p->b;
            const dupfind_pair *q = link[x];
            int q_orig = q && (q->a == orig || q->b == orig);

            if (x == orig || q_orig)
                continue;
            if (!q || y == orig || pair_score(p) > pair_score(q))
                link[x] = p;
        }
    }
    return link;
}

/* Clusters, or the text view of pairs (scores != 0). */
static int output_groups(out_stream *os, const cli_options *o,
                         const out_report *rep, int scores)
{
    FILE *out = os->rec;
    const dupfind_pair **link = NULL;
    groups g;
    uint32_t c, m;
    int rc = -1;
    /* A TSV or CSV line is a record; a JSON object or a text group is
     * one too. */
    int per_line = o->format == FORMAT_TSV || o->format == FORMAT_CSV;

    if (groups_build(&g, rep) < 0)
        return -1;
    if (scores && !(link = group_links(rep, &g)))
        goto cleanup;
    if (o->format == FORMAT_CSV) {
        fputs("cluster,original,name\r\n", out);
        if (out_record(os) < 0)
            goto stopped;
    }
    for (c = 1; c <= g.n; c++) {
        size_t len;
        const char *name;
        uint32_t orig = g.orig[c];

        if (o->format == FORMAT_TEXT) {
            if (c > 1)
                putc('\n', out);
            color_on(out, rep, C_BOLD);
            fprintf(out, "group %u: %u documents", c, g.size[c]);
            color_off(out, rep);
            fputs("\n  ", out);
            color_on(out, rep, C_GREEN);
            fputs("original", out);
            color_off(out, rep);
            fputs("  ", out);
            name = dupfind_ctx_doc_name(rep->ctx, orig, &len);
            text_name(out, name, len);
            putc('\n', out);
        } else if (o->format == FORMAT_JSONL) {
            fprintf(out, "{\"type\":\"cluster\",\"cluster\":%u,\"size\":%u,"
                    "\"members\":[", c, g.size[c]);
            group_member(out, o, rep, NULL, c, orig, orig);
        } else {
            if (o->format == FORMAT_TSV && c > 1)
                putc('\n', out);
            group_member(out, o, rep, NULL, c, orig, orig);
            if (out_record(os) < 0)
                goto stopped;
        }
        /* The original came first; the others follow in input order. */
        for (m = g.start[c]; m; m = g.next[m - 1]) {
            if (m - 1 == orig)
                continue;
            group_member(out, o, rep, link ? link[m - 1] : NULL, c, m - 1,
                         orig);
            if (per_line && out_record(os) < 0)
                goto stopped;
        }
        if (o->format == FORMAT_JSONL) {
            putc(']', out);
            members_bytes(out, rep, &g, c, orig);
            name = dupfind_ctx_doc_name(rep->ctx, orig, &len);
            putc(',', out);
            json_name(out, "original", name, len);
            fputs("}\n", out);
        }
        if (!per_line && out_record(os) < 0)
            goto stopped;
    }
    rc = 0;
    goto cleanup;
stopped:
    rc = 1;
cleanup:
    free(link);
    groups_release(&g);
    return rc;
}

int output_clusters(out_stream *os, const cli_options *o,
                    const out_report *rep)
{
    return output_groups(os, o, rep, 0);
}
