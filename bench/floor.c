/*
 * floor.c - dupfind_floor: the "floor" of the speed benchmark
 * (bench/speed.sh, docs/performance.md).
 *
 *   dupfind_floor [--records=lines|jsonl] [--text-field=KEY] [-k N]
 *                 [--chars] [--seed N] [--stage=read|tokens|shingles]
 *                 PATH...
 *
 * Reads the same inputs as dupfind (files, directories walked
 * recursively, or with --records the lines / JSON Lines records of the
 * files named) with large reads, single-threaded, and does only what
 * every document needs before any sketching: libdupfind's own tokenizer
 * (src/tokenize.h: UTF-8 decoding, NFKC + case folding of non-ASCII runs,
 * word splitting, one hash per token) feeding libdupfind's rolling
 * shingler (src/shingle.h), with the shingle hashes XORed into a sink so
 * that nothing is optimised away.  No distinct-shingle set, no MinHash,
 * no threads, no candidates.  Seeds are derived as dupfind derives them,
 * so the shingle hashes are dupfind's.
 *
 * --stage=read stops after reading (the bytes are summed), --stage=tokens
 * after the token hashes (no shingler); the default is shingles.
 *
 * Prints one line on stdout:
 *
 *   floor: stage S, documents N, bytes B, tokens T, shingles H,
 *          X s, Y MB/s, Z docs/s, sink HEX
 *
 * where the time covers everything from the start of the walk to the
 * last document (MB = 10^6 bytes).  JSON Lines: each record goes
 * through dupfind's own JSON reader (src/cli/json.c: the line validated,
 * the text field decoded where it lies), so that the floor reads records
 * as fast as dupfind can and no faster.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/json.h"
#include "shingle.h"
#include "tokenize.h"

/* As src/ctx.c derives them from --seed. */
#define TOKEN_SEED_TAG   0x746f6b656eULL
#define SHINGLE_SEED_TAG 0x7368696e676cULL

#define READ_SIZE (1u << 20)      /* files: 1 MiB reads */
#define REC_READ_SIZE (4u << 20)  /* record files: 4 MiB reads */

enum { STAGE_READ, STAGE_TOKENS, STAGE_SHINGLES };
enum { REC_NONE, REC_LINES, REC_JSONL };

typedef struct {
    int stage, records;
    const char *field;
    tokenizer tok;
    shingler sh;
    uint64_t sink, docs, bytes, tokens, shingles;
    unsigned char *buf;           /* read buffer */
    unsigned char *line;          /* records: the current line */
    size_t line_len, line_cap;
    int trouble;
} floor_state;

static void die(const char *what)
{
    fprintf(stderr, "dupfind_floor: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void *grow(void *p, size_t *cap, size_t need)
{
    size_t ncap = *cap ? *cap : 4096;

    if (need <= *cap)
        return p;
    while (ncap < need)
        ncap *= 2;
    p = realloc(p, ncap);
    if (!p)
        die("realloc");
    *cap = ncap;
    return p;
}

static void on_tokens(void *ud, const uint64_t *h, size_t n)
{
    floor_state *s = ud;
    uint64_t out;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s->stage == STAGE_TOKENS) {
            s->sink ^= h[i];
        } else if (shingler_push(&s->sh, h[i], &out)) {
            s->sink ^= out;
            s->shingles++;
        }
    }
}

static void doc_begin(floor_state *s)
{
    tokenize_reset(&s->tok);
    shingler_reset(&s->sh);
}

static void doc_feed(floor_state *s, const unsigned char *p, size_t n)
{
    s->bytes += n;
    if (s->stage == STAGE_READ) {
        size_t i;
        uint64_t acc = 0;

        for (i = 0; i + 8 <= n; i += 8) {
            uint64_t w;

            memcpy(&w, p + i, 8);
            acc += w;
        }
        for (; i < n; i++)
            acc += p[i];
        s->sink ^= acc;
        return;
    }
    if (tokenize_feed(&s->tok, p, n) < 0) {
        fprintf(stderr, "dupfind_floor: out of memory\n");
        exit(2);
    }
}

static void doc_end(floor_state *s)
{
    uint64_t h;

    s->docs++;
    if (s->stage == STAGE_READ)
        return;
    tokenize_finish(&s->tok);
    s->tokens += s->tok.tokens;
    if (s->stage == STAGE_SHINGLES && shingler_finish(&s->sh, &h)) {
        s->sink ^= h;
        s->shingles++;
    }
}

/* ---- JSON Lines: the text field of one record. ---- */

/* dupfind's own JSON reader (src/cli/json.c), as dupfind calls it for a
 * record: the whole line validated, the text field decoded in place. */
static void jsonl_record(floor_state *s, unsigned char *p, size_t n)
{
    json_field f;
    const char *err;
    size_t i = 0;

    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
        i++;
    if (i == n)
        return;                      /* blank line: no document */
    memset(&f, 0, sizeof(f));
    f.path = s->field;
    f.borrow = 1;
    if (json_extract((char *)p, n, &f, 1, &err) < 0) {
        s->trouble = 1;
        return;
    }
    if (f.found && f.is_string) {
        doc_begin(s);
        doc_feed(s, (const unsigned char *)f.value, f.len);
        doc_end(s);
    } else {
        s->trouble = 1;
    }
    json_fields_release(&f, 1);
}

static void record(floor_state *s, unsigned char *p, size_t n)
{
    if (s->records == REC_JSONL) {
        jsonl_record(s, p, n);
    } else {
        doc_begin(s);
        doc_feed(s, p, n);
        doc_end(s);
    }
}

static void read_records(floor_state *s, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        die(path);
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    s->line_len = 0;
    for (;;) {
        ssize_t n = read(fd, s->buf, REC_READ_SIZE);
        size_t i = 0;

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die(path);
        if (n == 0)
            break;
        while (i < (size_t)n) {
            unsigned char *nl = memchr(s->buf + i, '\n', (size_t)n - i);
            size_t end = nl ? (size_t)(nl - s->buf) : (size_t)n;

            if (!nl || s->line_len) {
                /* A line split across reads: gather it. */
                s->line = grow(s->line, &s->line_cap,
                               s->line_len + end - i);
                memcpy(s->line + s->line_len, s->buf + i, end - i);
                s->line_len += end - i;
                if (nl) {
                    record(s, s->line, s->line_len);
                    s->line_len = 0;
                }
            } else {
                record(s, s->buf + i, end - i);   /* straight from buf */
            }
            i = end + 1;
        }
    }
    if (s->line_len)
        record(s, s->line, s->line_len);
    close(fd);
}

/* ---- Files and directories. ---- */

static void read_file(floor_state *s, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        fprintf(stderr, "dupfind_floor: %s: %s\n", path, strerror(errno));
        s->trouble = 1;
        return;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    doc_begin(s);
    for (;;) {
        ssize_t n = read(fd, s->buf, READ_SIZE);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "dupfind_floor: %s: %s\n", path,
                    strerror(errno));
            s->trouble = 1;
            break;
        }
        if (n == 0)
            break;
        doc_feed(s, s->buf, (size_t)n);
    }
    doc_end(s);
    close(fd);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(floor_state *s, const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i, plen;

    if (stat(path, &st) < 0) {
        fprintf(stderr, "dupfind_floor: %s: %s\n", path, strerror(errno));
        s->trouble = 1;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (s->records != REC_NONE)
            read_records(s, path);
        else
            read_file(s, path);
        return;
    }
    if (!(d = opendir(path)))
        die(path);
    plen = strlen(path);
    while ((e = readdir(d))) {
        char *full;

        if (e->d_name[0] == '.')
            continue;              /* dupfind skips hidden entries too */
        full = malloc(plen + strlen(e->d_name) + 2);
        if (!full)
            die("malloc");
        sprintf(full, "%s/%s", path, e->d_name);
        names = grow(names, &cap, (n + 1) * sizeof(*names));
        names[n++] = full;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (i = 0; i < n; i++) {
        walk(s, names[i]);
        free(names[i]);
    }
    free(names);
}

static void usage(void)
{
    fputs("usage: dupfind_floor [--records=lines|jsonl] [--text-field=KEY]"
          " [-k N] [--chars]\n"
          "                     [--seed N] [--stage=read|tokens|shingles]"
          " PATH...\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    floor_state s;
    unsigned k = 5;
    int chars = 0, i, npaths = 0;
    uint64_t seed = 0;
    struct timespec t0, t1;
    double secs;
    static const char *stages[] = { "read", "tokens", "shingles" };

    memset(&s, 0, sizeof(s));
    s.stage = STAGE_SHINGLES;
    s.field = "text";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!strcmp(a, "--records=lines"))
            s.records = REC_LINES;
        else if (!strcmp(a, "--records=jsonl"))
            s.records = REC_JSONL;
        else if (!strncmp(a, "--text-field=", 13))
            s.field = a + 13;
        else if (!strcmp(a, "-k") && i + 1 < argc)
            k = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--chars"))
            chars = 1;
        else if (!strcmp(a, "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--stage=read"))
            s.stage = STAGE_READ;
        else if (!strcmp(a, "--stage=tokens"))
            s.stage = STAGE_TOKENS;
        else if (!strcmp(a, "--stage=shingles"))
            s.stage = STAGE_SHINGLES;
        else if (a[0] == '-' && a[1])
            usage();
        else
            argv[npaths++ + 1] = argv[i];
    }
    if (npaths == 0 || k < 1 || k > SHINGLE_MAX_K)
        usage();
    s.buf = malloc(s.records != REC_NONE ? REC_READ_SIZE : READ_SIZE);
    if (!s.buf)
        die("malloc");
    tokenize_init(&s.tok, chars, seed ^ TOKEN_SEED_TAG, on_tokens, &s);
    shingler_init(&s.sh, k, seed ^ SHINGLE_SEED_TAG);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 0; i < npaths; i++)
        walk(&s, argv[i + 1]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;

    printf("floor: stage %s, documents %llu, bytes %llu, tokens %llu, "
           "shingles %llu, %.3f s, %.1f MB/s, %.0f docs/s, sink %016llx\n",
           stages[s.stage], (unsigned long long)s.docs,
           (unsigned long long)s.bytes, (unsigned long long)s.tokens,
           (unsigned long long)s.shingles, secs,
           secs > 0 ? s.bytes / secs / 1e6 : 0.0,
           secs > 0 ? s.docs / secs : 0.0, (unsigned long long)s.sink);
    tokenize_release(&s.tok);
    free(s.buf);
    free(s.line);
    return s.trouble ? 1 : 0;
}
