/*
 * records.c - documents that are records of a stream (--records).
 *
 *  lines  each line is a document, named SOURCE:LINE
 *  nul    each NUL-terminated record is a document, named SOURCE:N
 *  jsonl  each line is a JSON object; --text-field (dotted path, default
 *         "text") is the document, --id-field (if given and present) its
 *         name, else SOURCE:LINE.  Blank lines are skipped; a malformed
 *         line is reported as SOURCE:LINE and skipped.
 *
 * SOURCE is the path as given, or "-" for standard input.  Every record
 * remembers where its bytes are (offset and length in its source), so
 * it can be read again for exact scoring and copied byte for byte by
 * --unique.  A source that cannot seek (a pipe) is spooled to an
 * unlinked temporary file while it is read: memory holds one record at a
 * time and the signatures, never the stream.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

#define CHUNK (1u << 20)

typedef struct {
    char *name;       /* as given; "-" for standard input */
    int fd;           /* open for re-reading, or -1 if that failed */
} source;

struct records {
    const cli_options *opt;
    reader *rd;
    source *src;      /* sources read so far */
    size_t nsrc, cap;
    char *rec;        /* current record's bytes */
    size_t rec_len, rec_cap;
    unsigned char *buf; /* CHUNK bytes */
    int streaming;      /* the current record goes straight to ... */
    dupfind_doc *inline_doc; /* ... this builder (reader_inline_begin) */
    uint64_t stream_len;     /* its bytes so far */
};

/* Records longer than this are sketched while read, not kept. */
#define RECORD_STREAM (8u << 20)

int records_new(records **out, const cli_options *opt, reader *rd)
{
    records *rs = calloc(1, sizeof(*rs));

    *out = rs;
    if (!rs)
        return -1;
    rs->opt = opt;
    rs->rd = rd;
    rs->buf = malloc(CHUNK);
    return rs->buf ? 0 : -1;
}

void records_free(records *rs)
{
    size_t i;

    if (!rs)
        return;
    for (i = 0; i < rs->nsrc; i++) {
        if (rs->src[i].fd >= 0)
            close(rs->src[i].fd);
        free(rs->src[i].name);
    }
    free(rs->src);
    free(rs->rec);
    free(rs->buf);
    free(rs);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* An unlinked temporary file for a stream that cannot seek. */
static int spool_open(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/dupfind-XXXXXX",
             dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Text of a JSON Lines record: the text field, decoded.  Returns 1 with
 * *text (malloc'd) and *name (malloc'd or NULL), 0 for a blank line, -1
 * for a bad one (reported). */
static int jsonl_record(const records *rs, const char *src, uint64_t line,
                        const char *rec, size_t len, char **text,
                        size_t *tlen, char **name, int report)
{
    json_field f[2];
    const char *err = NULL;
    unsigned nf = rs->opt->id_field ? 2 : 1;
    size_t i;

    *text = *name = NULL;
    for (i = 0; i < len; i++)
        if (rec[i] != ' ' && rec[i] != '\t' && rec[i] != '\r')
            break;
    if (i == len)
        return 0;
    memset(f, 0, sizeof(f));
    f[0].path = rs->opt->text_field;
    f[1].path = rs->opt->id_field;
    if (json_extract(rec, len, f, nf, &err) < 0) {
        if (report)
            cli_error("%s:%llu: malformed JSON: %s", src,
                      (unsigned long long)line, err);
        return -1;
    }
    if (!f[0].found || !f[0].is_string) {
        if (report)
            cli_error("%s:%llu: %s '%s'", src, (unsigned long long)line,
                      f[0].found ? "not a string: field" : "no field",
                      rs->opt->text_field);
        json_fields_release(f, nf);
        return -1;
    }
    *text = f[0].value;
    *tlen = f[0].len;
    f[0].value = NULL;
    if (nf == 2 && f[1].found) {
        *name = f[1].value;
        f[1].value = NULL;
    }
    json_fields_release(f, nf);
    return 1;
}

/* One complete record: make its document. */
/* The name of record line of source si: the id field's value (taken
 * over from *idname) or SOURCE:LINE.  malloc'd, or NULL. */
static char *record_name(const records *rs, size_t si, uint64_t line,
                         char *idname)
{
    const char *src = rs->src[si].name;
    char numbered[64], *name;
    size_t nlen;

    if (idname)
        return idname;
    snprintf(numbered, sizeof(numbered), ":%llu", (unsigned long long)line);
    nlen = strlen(src) + strlen(numbered) + 1;
    name = malloc(nlen);
    if (name)
        snprintf(name, nlen, "%s%s", src, numbered);
    return name;
}

static int emit(records *rs, size_t si, uint64_t line, uint64_t off,
                int term, int *trouble)
{
    const char *src = rs->src[si].name;
    doc_loc loc;
    char *text = NULL, *name = NULL;
    size_t tlen = rs->rec_len;
    int rc;

    loc.source = (int)si;
    loc.term = term;
    loc.line = line;
    loc.offset = off;
    loc.len = rs->rec_len;
    if (rs->streaming) {
        /* Sketched as it was read: only its name and place remain. */
        loc.len = rs->stream_len;
        rs->streaming = 0;
        if (!(name = record_name(rs, si, line, NULL)))
            return -1;
        rc = reader_inline_end(rs->rd, name, &loc);
        free(name);
        return rc;
    }
    if (rs->opt->records == RECORDS_JSONL) {
        rc = jsonl_record(rs, src, line, rs->rec, rs->rec_len, &text, &tlen,
                          &name, 1);
        if (rc <= 0) {
            if (rc < 0)
                *trouble = 1;
            return 0;
        }
    } else if (rs->rec_len) {
        text = malloc(rs->rec_len);
        if (!text)
            return -1;
        memcpy(text, rs->rec, rs->rec_len);
    }
    if (!(name = record_name(rs, si, line, name))) {
        free(text);
        return -1;
    }
    rc = reader_queue_text(rs->rd, name, text, tlen, &loc);
    free(name);
    return rc;
}

static int rec_append(records *rs, const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;              /* rec may still be NULL: no memcpy */
    if (rs->rec_len + n > rs->rec_cap) {
        size_t ncap = rs->rec_cap ? rs->rec_cap : 4096;
        char *q;

        while (ncap < rs->rec_len + n)
            ncap *= 2;
        q = realloc(rs->rec, ncap);
        if (!q)
            return -1;
        rs->rec = q;
        rs->rec_cap = ncap;
    }
    memcpy(rs->rec + rs->rec_len, p, n);
    rs->rec_len += n;
    return 0;
}

/* Adds bytes to the current record.  A line or NUL record that grows
 * past RECORD_STREAM is not kept: the reader sketches it from here on
 * as it arrives (reader_inline_*), so memory does not grow with one
 * huge record.  JSON Lines records are kept whole: the field is only
 * known once the line is parsed. */
static int rec_take(records *rs, const unsigned char *p, size_t n)
{
    if (rs->streaming) {
        rs->stream_len += n;
        return dupfind_doc_feed(rs->inline_doc, p, n) < 0 ? -1 : 0;
    }
    if (rs->opt->records != RECORDS_JSONL &&
        rs->rec_len + n > RECORD_STREAM) {
        rs->inline_doc = reader_inline_begin(rs->rd);
        if (!rs->inline_doc)
            return -1;
        rs->streaming = 1;
        rs->stream_len = rs->rec_len + n;
        if (dupfind_doc_feed(rs->inline_doc, rs->rec, rs->rec_len) < 0 ||
            dupfind_doc_feed(rs->inline_doc, p, n) < 0)
            return -1;
        rs->rec_len = 0;
        return 0;
    }
    return rec_append(rs, p, n);
}

int records_source(records *rs, const char *path, int *trouble)
{
    int delim = rs->opt->records == RECORDS_NUL ? '\0' : '\n';
    int fd, spool = -1, spool_ok = 1, rc = 0;
    uint64_t off = 0, start = 0, line = 1;
    size_t si;
    struct stat st;

    if (rs->nsrc == rs->cap) {
        size_t ncap = rs->cap ? rs->cap * 2 : 8;
        source *p = realloc(rs->src, ncap * sizeof(*p));
        if (!p)
            return -1;
        rs->src = p;
        rs->cap = ncap;
    }
    if (!strcmp(path, "-")) {
        fd = STDIN_FILENO;
    } else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        cli_error("%s: %s", path, strerror(errno));
        *trouble = 1;
        return 0;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("%s: %s", path, strerror(EISDIR));
        *trouble = 1;
        if (fd != STDIN_FILENO)
            close(fd);
        return 0;
    }
    si = rs->nsrc++;
    rs->src[si].name = strdup(path);
    rs->src[si].fd = -1;
    if (!rs->src[si].name)
        return -1;
    if (!S_ISREG(st.st_mode) || lseek(fd, 0, SEEK_CUR) != 0) {
        /* A stream, or stdin already partly consumed: spool it. */
        spool = spool_open();
        if (spool < 0) {
            cli_error("%s: cannot spool for re-reading: %s", path,
                      strerror(errno));
            spool_ok = 0;
        }
    }
    rs->rec_len = 0;
    for (;;) {
        ssize_t n = read(fd, rs->buf, CHUNK);
        size_t i = 0;

        if (n < 0) {
            if (errno == EINTR)
                continue;
            cli_error("%s: %s", path, strerror(errno));
            *trouble = 1;
            break;
        }
        if (n == 0)
            break;
        if (spool >= 0 && spool_ok &&
            write_all(spool, rs->buf, (size_t)n) < 0) {
            cli_error("%s: cannot spool for re-reading: %s", path,
                      strerror(errno));
            spool_ok = 0;
        }
        while (i < (size_t)n) {
            unsigned char *d = memchr(rs->buf + i, delim, (size_t)n - i);
            size_t end = d ? (size_t)(d - rs->buf) : (size_t)n;

            if (rec_take(rs, rs->buf + i, end - i) < 0)
                return -1;
            off += end - i;
            i = end;
            if (!d)
                break;
            if (emit(rs, si, line, start, 1, trouble) < 0)
                return -1;
            i++;
            off++;
            start = off;
            line++;
            rs->rec_len = 0;
        }
    }
    if ((rs->rec_len || rs->streaming) &&
        (rc = emit(rs, si, line, start, 0, trouble)) < 0)
        return -1;
    rs->rec_len = 0;
    if (spool >= 0) {
        if (spool_ok)
            rs->src[si].fd = spool;
        else
            close(spool);
        if (fd != STDIN_FILENO)
            close(fd);
    } else {
        rs->src[si].fd = fd;         /* a regular file: read it again */
    }
    return rc;
}

/* Reads a record's bytes into buf (loc->len bytes), without printing:
 * returns 0, or -1 with *why set (static text).  Safe to call from
 * several threads: pread() on a shared descriptor has no file offset. */
static int load_into(const records *rs, const doc_loc *loc, char *buf,
                     const char **why)
{
    const source *s = &rs->src[loc->source];
    uint64_t done = 0;

    if (s->fd < 0) {
        *why = "cannot be read again";
        return -1;
    }
    while (done < loc->len) {
        ssize_t n = pread(s->fd, buf + done, loc->len - done,
                          (off_t)(loc->offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *why = n < 0 ? strerror(errno)
                         : "changed while dupfind was running";
            return -1;
        }
        done += (uint64_t)n;
    }
    return 0;
}

int records_text_r(const records *rs, const doc_loc *loc, char **text,
                   size_t *len, const char **why)
{
    char *raw, *name = NULL;
    int rc;

    *text = NULL;
    *len = 0;
    *why = NULL;
    raw = malloc(loc->len ? loc->len : 1);
    if (!raw) {
        *why = strerror(ENOMEM);
        return -1;
    }
    if (load_into(rs, loc, raw, why) < 0) {
        free(raw);
        return -1;
    }
    if (rs->opt->records != RECORDS_JSONL) {
        *text = raw;
        *len = loc->len;
        return 0;
    }
    rc = jsonl_record(rs, rs->src[loc->source].name, loc->line, raw,
                      loc->len, text, len, &name, 0);
    free(raw);
    free(name);
    if (rc <= 0) {
        *why = "changed while dupfind was running";
        return -1;
    }
    return 0;
}

int records_text(records *rs, const doc_loc *loc, char **text, size_t *len)
{
    const char *why;

    if (records_text_r(rs, loc, text, len, &why) < 0) {
        cli_error("%s:%llu: %s", rs->src[loc->source].name,
                  (unsigned long long)loc->line, why);
        return -1;
    }
    return 0;
}

const char *records_source_name(const records *rs, const doc_loc *loc)
{
    return rs->src[loc->source].name;
}

int records_copy(records *rs, const doc_loc *loc, int terminate, FILE *out)
{
    doc_loc part = *loc;
    const char *why;
    uint64_t done = 0;

    if (rs->rec_cap < CHUNK) {
        char *q = realloc(rs->rec, CHUNK);
        if (!q)
            return -1;
        rs->rec = q;
        rs->rec_cap = CHUNK;
    }
    /* A piece at a time, so a huge record needs no huge buffer. */
    while (done < loc->len) {
        part.offset = loc->offset + done;
        part.len = loc->len - done < CHUNK ? loc->len - done : CHUNK;
        if (load_into(rs, &part, rs->rec, &why) < 0) {
            cli_error("%s:%llu: %s", rs->src[loc->source].name,
                      (unsigned long long)loc->line, why);
            return -1;
        }
        fwrite(rs->rec, 1, part.len, out);
        done += part.len;
    }
    if (loc->term || terminate)
        putc(rs->opt->records == RECORDS_NUL ? '\0' : '\n', out);
    return 0;
}

int records_sketch_r(const records *rs, const doc_loc *loc,
                     dupfind_doc *doc, const char **why)
{
    unsigned char buf[64 * 1024];
    doc_loc part = *loc;
    uint64_t done = 0;
    char *text;
    size_t len;

    *why = NULL;
    if (rs->opt->records == RECORDS_JSONL) {
        if (records_text_r(rs, loc, &text, &len, why) < 0)
            return -1;
        dupfind_doc_reset(doc);
        if (dupfind_doc_feed(doc, text, len) < 0 ||
            dupfind_doc_finish(doc) < 0) {
            free(text);
            *why = dupfind_strerror(DUPFIND_ENOMEM);
            return -2;
        }
        free(text);
        return 0;
    }
    /* Lines and NUL records: streamed from the source in pieces. */
    dupfind_doc_reset(doc);
    while (done < loc->len) {
        part.offset = loc->offset + done;
        part.len = loc->len - done < sizeof(buf) ? loc->len - done
                                                 : sizeof(buf);
        if (load_into(rs, &part, (char *)buf, why) < 0)
            return -1;
        if (dupfind_doc_feed(doc, buf, part.len) < 0) {
            *why = dupfind_strerror(DUPFIND_ENOMEM);
            return -2;
        }
        done += part.len;
    }
    if (dupfind_doc_finish(doc) < 0) {
        *why = dupfind_strerror(DUPFIND_ENOMEM);
        return -2;
    }
    return 0;
}
