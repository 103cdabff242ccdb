/*
 * baseline.c - pairs accepted earlier, so that a CI check fails only on
 * new near-duplicates (--baseline FILE, --write-baseline FILE).
 *
 * A baseline is a text file with one pair per line, the two names
 * separated by a tab, each escaped as in TSV output (\\ \t \n \r), the
 * smaller name (bytewise, escaped) first; --write-baseline sorts the
 * lines bytewise (as LC_ALL=C sort does) and drops repeats, so the file
 * diffs well under version control.  Reading accepts the two names in
 * either order, CRLF line ends (a checkout on Windows) and empty lines.
 *
 * Names are relative to the directory that holds the baseline, not to
 * the working directory, so that a CI job started in a subdirectory, or
 * with other operands, still matches: a document's name is resolved with
 * realpath() and made relative to the baseline's directory (with ".."
 * when it lies outside).  Records (--records) have no path of their
 * own; their names are used as given, and so are files that can no
 * longer be resolved.  Symbolic links are resolved on both sides, so a
 * link and its target match each other.
 *
 * Only pairs are stored, no scores: an accepted pair stays accepted
 * when its score changes.  A new document that is a near-duplicate of
 * an accepted one makes a new pair, which is reported.
 */
#define _XOPEN_SOURCE 700     /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct baseline {
    char *dir;          /* realpath of the file's directory */
    char **lines;       /* canonical "a\tb", sorted */
    size_t n;           /* lines */
};

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* realpath of the directory holding path (malloc'd), or NULL. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir, *abs;

    if (!slash)
        return realpath(".", NULL);
    if (slash == path)
        return realpath("/", NULL);
    dir = strndup(path, (size_t)(slash - path));
    if (!dir)
        return NULL;
    abs = realpath(dir, NULL);
    free(dir);
    return abs;
}

/* abs relative to base (both from realpath), malloc'd. */
static char *relative_to(const char *base, const char *abs)
{
    size_t i = 0, common = 0, ups = 0, len;
    const char *rest, *s;
    char *out, *p;

    while (base[i] && base[i] == abs[i]) {
        if (base[i] == '/')
            common = i;
        i++;
    }
    if (!base[i] && (abs[i] == '/' || !abs[i]))
        common = i;
    for (s = base + common; *s; s++)
        if (*s != '/' && (s == base + common || s[-1] == '/'))
            ups++;
    rest = abs + common;
    while (*rest == '/')
        rest++;
    len = 3 * ups + strlen(rest) + 2;
    out = p = malloc(len);
    if (!out)
        return NULL;
    while (ups--) {
        memcpy(p, "../", 3);
        p += 3;
    }
    strcpy(p, rest);
    len = strlen(out);
    if (len > 1 && out[len - 1] == '/')
        out[len - 1] = '\0';
    if (!*out)
        strcpy(out, ".");
    return out;
}

/* s escaped as in TSV output (malloc'd). */
static char *escape(const char *s, size_t n)
{
    char *out = malloc(2 * n + 1), *p = out;
    size_t i;

    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        switch (s[i]) {
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\r': *p++ = '\\'; *p++ = 'r'; break;
        default: *p++ = s[i];
        }
    }
    *p = '\0';
    return out;
}

/* Whether s uses only the four escapes. */
static int escapes_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '\\') {
            s++;
            if (*s != '\\' && *s != 't' && *s != 'n' && *s != 'r')
                return 0;
        }
    return 1;
}

/* "a\tb" with the smaller name first (malloc'd). */
static char *pair_line(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *out = malloc(la + lb + 2);

    if (!out)
        return NULL;
    if (strcmp(a, b) > 0) {
        const char *t = a;
        size_t tl = la;
        a = b; la = lb;
        b = t; lb = tl;
    }
    memcpy(out, a, la); /* NOLINT(bugprone-not-null-terminated-result) */
    out[la] = '\t';
    memcpy(out + la + 1, b, lb + 1);
    return out;
}

/* Document id's name in a baseline kept in dir (malloc'd, escaped). */
static char *doc_key(const char *dir, const dupfind_ctx *ctx,
                     const doc_loc *locs, uint32_t id)
{
    size_t len;
    const char *name = dupfind_ctx_doc_name(ctx, id, &len);
    char *abs, *rel, *out;

    if (locs[id].source >= 0 || !(abs = realpath(name, NULL)))
        return escape(name, len);
    rel = relative_to(dir, abs);
    free(abs);
    if (!rel)
        return NULL;
    out = escape(rel, strlen(rel));
    free(rel);
    return out;
}

void baseline_free(baseline *b)
{
    size_t i;

    if (!b)
        return;
    for (i = 0; i < b->n; i++)
        free(b->lines[i]);
    free(b->lines);
    free(b->dir);
    free(b);
}

int baseline_load(baseline **out, const char *path)
{
    baseline *b = calloc(1, sizeof(*b));
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0, lineno = 0, alloc = 0;
    ssize_t got;
    int rc = -1;

    *out = NULL;
    if (!b)
        goto nomem;
    f = fopen(path, "r");
    if (!f) {
        cli_error("%s: cannot read the baseline: %s", path, strerror(errno));
        goto cleanup;
    }
    if (!(b->dir = dir_of(path))) {
        cli_error("%s: %s", path, strerror(errno));
        goto cleanup;
    }
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t n = (size_t)got;
        char *tab, *entry;

        lineno++;
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (!n)
            continue;
        tab = strchr(line, '\t');
        if (strlen(line) != n || !tab || tab == line || !tab[1] ||
            strchr(tab + 1, '\t') || !escapes_ok(line)) {
            cli_error("%s:%zu: not a baseline line (two names separated "
                      "by a tab)", path, lineno);
            goto cleanup;
        }
        *tab = '\0';
        if (b->n == alloc) {
            size_t ncap = alloc ? 2 * alloc : 64;
            char **p = realloc(b->lines, ncap * sizeof(*p));
            if (!p)
                goto nomem;
            b->lines = p;
            alloc = ncap;
        }
        if (!(entry = pair_line(line, tab + 1)))
            goto nomem;
        b->lines[b->n++] = entry;
    }
    if (ferror(f)) {
        cli_error("%s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (b->n > 1)
        qsort(b->lines, b->n, sizeof(*b->lines), cmp_str);
    *out = b;
    b = NULL;
    rc = 0;
    goto cleanup;
nomem:
    cli_error("%s: %s", path, strerror(ENOMEM));
cleanup:
    free(line);
    if (f)
        fclose(f);
    baseline_free(b);
    return rc;
}

/* The lines of pairs[0..n) for a baseline in dir: lines[i] for pair i
 * (malloc'd array of malloc'd strings), or NULL when out of memory. */
static char **pair_lines(const char *dir, const dupfind_ctx *ctx,
                         const doc_loc *locs, const dupfind_pair **pairs,
                         size_t n)
{
    uint32_t ndocs = dupfind_ctx_doc_count(ctx);
    char **keys = calloc(ndocs ? ndocs : 1, sizeof(*keys));
    char **lines = calloc(n ? n : 1, sizeof(*lines));
    size_t i;
    int ok = keys && lines;

    for (i = 0; ok && i < n; i++) {
        uint32_t a = pairs[i]->a, b = pairs[i]->b;

        /* Each document is resolved once, however many pairs it is in. */
        if ((!keys[a] && !(keys[a] = doc_key(dir, ctx, locs, a))) ||
            (!keys[b] && !(keys[b] = doc_key(dir, ctx, locs, b))) ||
            !(lines[i] = pair_line(keys[a], keys[b])))
            ok = 0;
    }
    for (i = 0; keys && i < ndocs; i++)
        free(keys[i]);
    free(keys);
    if (!ok && lines) {
        for (i = 0; i < n; i++)
            free(lines[i]);
        free(lines);
        lines = NULL;
    }
    return lines;
}

static void free_lines(char **lines, size_t n)
{
    size_t i;

    for (i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

int baseline_filter(const baseline *b, const dupfind_ctx *ctx,
                    const doc_loc *locs, const dupfind_pair **pairs,
                    size_t *n, size_t *accepted)
{
    char **lines = pair_lines(b->dir, ctx, locs, pairs, *n);
    size_t i, kept = 0;

    if (!lines)
        return -1;
    for (i = 0; i < *n; i++)
        if (!bsearch(&lines[i], b->lines, b->n, sizeof(*b->lines),
                     cmp_str))
            pairs[kept++] = pairs[i];
    free_lines(lines, *n);
    *accepted = *n - kept;
    *n = kept;
    return 0;
}

int baseline_write(const char *path, const dupfind_ctx *ctx,
                   const doc_loc *locs, const dupfind_pair **pairs,
                   size_t n)
{
    char *dir = dir_of(path), *tmp = NULL, **lines = NULL;
    FILE *f = NULL;
    size_t i;
    int rc = -1;

    if (!dir) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    tmp = malloc(strlen(path) + 5);
    if (!tmp || !(lines = pair_lines(dir, ctx, locs, pairs, n))) {
        cli_error("%s: %s", path, strerror(ENOMEM));
        goto cleanup;
    }
    qsort(lines, n, sizeof(*lines), cmp_str);
    strcpy(tmp, path);
    strcat(tmp, ".tmp");
    f = fopen(tmp, "w");
    if (!f) {
        cli_error("%s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    for (i = 0; i < n; i++)
        if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0)
            fprintf(f, "%s\n", lines[i]);
    /* Only a complete file replaces the old baseline. */
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0) {
        cli_error("%s: %s", tmp, strerror(errno));
        fclose(f);
        unlink(tmp);
        goto cleanup;
    }
    if (fclose(f) != 0) {
        cli_error("%s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto cleanup;
    }
    if (rename(tmp, path) < 0) {
        cli_error("%s: %s", path, strerror(errno));
        unlink(tmp);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free_lines(lines, n);
    free(tmp);
    free(dir);
    return rc;
}
