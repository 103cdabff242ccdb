/*
 * exact_ref.c - dupfind_exact_ref, the exact reference for tests and the
 * accuracy benchmark.
 *
 * Reads every document named (operands, or a list of paths on standard
 * input / --files-from, one per line or NUL-separated with -0), turns it
 * into its set of distinct shingle hashes with libdupfind's own document
 * builder (dupfind_doc_feed / dupfind_doc_shingles: the same
 * normalisation, tokenisation and shingle hashing as dupfind), and
 * scores every pair of documents exactly, by brute force over the exact
 * sets.  No MinHash, no LSH, no estimate.
 *
 * To avoid touching the n^2/2 pairs that share nothing, the shingles of
 * all documents are gathered as (hash, doc) records and sorted by hash
 * (stable, so each hash's run lists its documents in input order): the
 * runs are the inverted index shingle -> documents.  For each document a
 * and each of its shingles, every later document b in the shingle's run
 * gets one more shared shingle; the counts give |A n B| exactly, hence
 *
 *     jaccard = |A n B| / |A u B|,  a_in_b = |A n B| / |A|,
 *     b_in_a  = |A n B| / |B|.
 *
 * Output: one line per pair (a before b in input order) whose Jaccard or
 * larger containment is >= --min (default 0.3), as TSV
 *
 *     jaccard  a_in_b  b_in_a  a  b
 *
 * with 6 decimals; names are escaped as dupfind's TSV does (\\ \t \n \r).
 * Cost: O(total shingles) for the index (radix sort) plus the sum over
 * shingles of (documents sharing it)^2 / 2 counter increments.
 *
 * Files are fed to the library as they are, as UTF-8: unlike the dupfind
 * program's reader, this tool neither skips binary files nor decodes
 * UTF-16 files (byte order mark).  The corpora of bench/ are UTF-8 text,
 * where both read the same bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dupfind.h"

typedef struct {
    uint64_t hash;
    uint32_t doc;
    uint32_t pad;
} rec;

typedef struct {
    char **paths;
    size_t n, cap;
} path_list;

static const char *prog = "dupfind_exact_ref";

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

static void add_path(path_list *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->paths = xrealloc(l->paths, l->cap * sizeof(*l->paths));
    }
    l->paths[l->n] = xrealloc(NULL, len + 1);
    memcpy(l->paths[l->n], s, len);
    l->paths[l->n][len] = '\0';
    l->n++;
}

static void read_list(path_list *l, FILE *f, int nul)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    while ((len = getdelim(&line, &cap, nul ? '\0' : '\n', f)) > 0) {
        if (line[len - 1] == (nul ? '\0' : '\n'))
            len--;
        if (!nul && len > 0 && line[len - 1] == '\r')
            len--;
        if (len > 0)
            add_path(l, line, (size_t)len);
    }
    free(line);
}

/* Stable LSD radix sort of records by hash, 8 passes of 8 bits; passes
 * where every key has the same byte are skipped. */
static void sort_recs(rec *r, size_t n)
{
    rec *tmp = xrealloc(NULL, n * sizeof(*tmp)), *src = r, *dst = tmp;
    unsigned pass;

    for (pass = 0; pass < 8; pass++) {
        size_t count[256] = {0}, i, sum = 0;
        unsigned shift = pass * 8;

        for (i = 0; i < n; i++)
            count[(src[i].hash >> shift) & 0xff]++;
        if (n == 0 || count[(src[0].hash >> shift) & 0xff] == n)
            continue;
        for (i = 0; i < 256; i++) {
            size_t c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            dst[count[(src[i].hash >> shift) & 0xff]++] = src[i];
        rec *t = src;
        src = dst;
        dst = t;
    }
    if (src != r)
        memcpy(r, src, n * sizeof(*r));
    free(tmp);
}

static void put_name(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        default: putc(*s, out);
        }
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static void usage(FILE *f)
{
    fprintf(f,
"Usage: %s [OPTIONS] [FILE...]\n"
"Exact Jaccard and containments of every pair of documents, by brute\n"
"force over their exact shingle sets (dupfind's tokenisation and\n"
"hashing).  With no FILE, a list of file names is read from stdin.\n"
"\n"
"  --min=X            print pairs with Jaccard or larger containment >= X\n"
"                     (default 0.3)\n"
"  -k, --shingle=N    shingle of N words (default 5)\n"
"      --seed=N       hash seed (default 0)\n"
"      --files-from=F read the list of files from F (- for stdin)\n"
"  -0, --null         file lists are NUL-separated\n"
"  -h, --help         show this help\n"
"\n"
"Output (TSV, 6 decimals): jaccard a_in_b b_in_a a b\n", prog);
}

static const char *opt_value(int argc, char **argv, int *i,
                             const char *lng, const char *shrt)
{
    size_t n = strlen(lng);

    if (!strncmp(argv[*i], lng, n) && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (!strcmp(argv[*i], lng) || (shrt && !strcmp(argv[*i], shrt))) {
        if (*i + 1 >= argc)
            die("option %s needs a value", argv[*i]);
        return argv[++*i];
    }
    return NULL;
}

static double parse_double(const char *s, const char *what)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end)
        die("bad value for %s", what);
    return v;
}

static unsigned long long parse_ull(const char *s, const char *what)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end)
        die("bad value for %s", what);
    return v;
}

int main(int argc, char **argv)
{
    dupfind_options opt;
    dupfind_ctx *ctx = NULL;
    dupfind_doc *doc = NULL;
    path_list paths = {0};
    const char *files_from = NULL, *v;
    double min = 0.3;
    int nul = 0, i, only_operands = 0;
    char errbuf[256], *buf;
    size_t bufcap = 1 << 16, d, nrec = 0, reccap = 0;
    rec *recs = NULL;
    uint64_t *size;

    dupfind_options_init(&opt);
    for (i = 1; i < argc; i++) {
        if (only_operands || argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            add_path(&paths, argv[i], strlen(argv[i]));
        } else if (!strcmp(argv[i], "--")) {
            only_operands = 1;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-0") || !strcmp(argv[i], "--null")) {
            nul = 1;
        } else if ((v = opt_value(argc, argv, &i, "--min", NULL))) {
            min = parse_double(v, "--min");
        } else if ((v = opt_value(argc, argv, &i, "--shingle", "-k"))) {
            opt.shingle_len = (unsigned)parse_ull(v, "--shingle");
        } else if ((v = opt_value(argc, argv, &i, "--seed", NULL))) {
            opt.seed = parse_ull(v, "--seed");
        } else if ((v = opt_value(argc, argv, &i, "--files-from", NULL))) {
            files_from = v;
        } else {
            usage(stderr);
            die("unknown option %s", argv[i]);
        }
    }
    /* "-" as an operand: the list on stdin. */
    if (paths.n == 1 && !strcmp(paths.paths[0], "-")) {
        free(paths.paths[0]);
        paths.n = 0;
        files_from = "-";
    }
    if (files_from) {
        FILE *f = strcmp(files_from, "-") ? fopen(files_from, "r") : stdin;
        if (!f)
            die("cannot open %s", files_from);
        read_list(&paths, f, nul);
        if (f != stdin)
            fclose(f);
    } else if (paths.n == 0) {
        read_list(&paths, stdin, nul);
    }
    if (paths.n >= UINT32_MAX)
        die("%s", "too many documents");

    if (dupfind_ctx_new(&ctx, &opt, errbuf, sizeof(errbuf)) < 0)
        die("%s", errbuf);
    if (dupfind_doc_new(&doc, ctx) < 0)
        die("%s", "out of memory");
    buf = xrealloc(NULL, bufcap);
    size = xrealloc(NULL, paths.n * sizeof(*size));

    /* 1. Exact distinct shingle sets, as (hash, doc) records. */
    for (d = 0; d < paths.n; d++) {
        FILE *f = fopen(paths.paths[d], "rb");
        const uint64_t *sh;
        size_t n, k;

        if (!f)
            die("cannot open %s", paths.paths[d]);
        dupfind_doc_reset(doc);
        while ((n = fread(buf, 1, bufcap, f)) > 0)
            if (dupfind_doc_feed(doc, buf, n) < 0)
                die("%s", "out of memory");
        if (ferror(f))
            die("read error on %s", paths.paths[d]);
        fclose(f);
        if (dupfind_doc_finish(doc) < 0 ||
            dupfind_doc_shingles(doc, &sh, &n) < 0)
            die("%s", "out of memory");
        size[d] = n;
        if (nrec + n > reccap) {
            reccap = reccap ? 2 * reccap : 1 << 20;
            while (reccap < nrec + n)
                reccap *= 2;
            recs = xrealloc(recs, reccap * sizeof(*recs));
        }
        for (k = 0; k < n; k++) {
            recs[nrec].hash = sh[k];
            recs[nrec].doc = (uint32_t)d;
            recs[nrec].pad = 0;
            nrec++;
        }
    }
    dupfind_doc_free(doc);
    free(buf);

    /* 2. Inverted index: runs of equal hashes, docs ascending in a run.
     * end[i] is one past the last record of i's run; pos lists, per
     * document, its records' positions (counting sort by document). */
    sort_recs(recs, nrec);
    size_t *end = xrealloc(NULL, nrec * sizeof(*end));
    size_t *start = xrealloc(NULL, (paths.n + 1) * sizeof(*start));
    size_t *pos = xrealloc(NULL, nrec * sizeof(*pos));
    size_t r, j;

    for (r = 0; r < nrec; r = j) {
        for (j = r + 1; j < nrec && recs[j].hash == recs[r].hash; j++)
            ;
        for (size_t x = r; x < j; x++)
            end[x] = j;
    }
    memset(start, 0, (paths.n + 1) * sizeof(*start));
    for (r = 0; r < nrec; r++)
        start[recs[r].doc + 1]++;
    for (d = 0; d < paths.n; d++)
        start[d + 1] += start[d];
    {
        size_t *fill = xrealloc(NULL, (paths.n + 1) * sizeof(*fill));
        memcpy(fill, start, (paths.n + 1) * sizeof(*fill));
        for (r = 0; r < nrec; r++)
            pos[fill[recs[r].doc]++] = r;
        free(fill);
    }

    /* 3. Shared-shingle counts of a with every later document. */
    uint32_t *cnt = xrealloc(NULL, paths.n * sizeof(*cnt));
    uint32_t *touched = xrealloc(NULL, paths.n * sizeof(*touched));
    size_t ntouched;

    memset(cnt, 0, paths.n * sizeof(*cnt));
    for (d = 0; d < paths.n; d++) {
        ntouched = 0;
        for (r = start[d]; r < start[d + 1]; r++) {
            size_t p = pos[r];
            for (j = p + 1; j < end[p]; j++) {
                uint32_t b = recs[j].doc;
                if (cnt[b]++ == 0)
                    touched[ntouched++] = b;
            }
        }
        qsort(touched, ntouched, sizeof(*touched), cmp_u32);
        for (j = 0; j < ntouched; j++) {
            uint32_t b = touched[j];
            double inter = cnt[b], na = (double)size[d],
                   nb = (double)size[b];
            double jac = inter / (na + nb - inter);
            double ca = inter / na, cb = inter / nb;

            cnt[b] = 0;
            if (jac >= min || ca >= min || cb >= min) {
                printf("%.6f\t%.6f\t%.6f\t", jac, ca, cb);
                put_name(stdout, paths.paths[d]);
                putchar('\t');
                put_name(stdout, paths.paths[b]);
                putchar('\n');
            }
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        die("%s", "write error");

    free(cnt);
    free(touched);
    free(end);
    free(start);
    free(pos);
    free(recs);
    free(size);
    for (d = 0; d < paths.n; d++)
        free(paths.paths[d]);
    free(paths.paths);
    dupfind_ctx_free(ctx);
    return 0;
}
