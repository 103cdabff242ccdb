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
 *
 * The main thread only splits the stream into records and queues each
 * one's bytes (reader_queue_record); a reader worker decodes it
 * (record_decode: the JSON field, the name) and sketches the text, so
 * JSON Lines parsing runs on all cores.  Notes about bad records wait
 * for their batch's commit, in input order; a message about a source
 * itself first flushes the batch (source_error), so it keeps its place.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../bigmem.h"
#include "cli.h"
#include "json.h"

/* Bytes read at a time: one huge page (bigmem.h), faulted in once,
 * rather than 256 pages of 4 KiB. */
#define CHUNK BIGMEM_PAGE

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

/* A message about the source itself, after the notes of the records
 * queued before it. */
#define source_error(rs, ...) \
    (reader_flush((rs)->rd), cli_error(__VA_ARGS__))

static read_status record_decode(void *ud, const doc_loc *loc,
                                 char *raw, size_t rawlen,
                                 char **text, size_t *len,
                                 char **name, char **note);

int records_new(records **out, const cli_options *opt, reader *rd)
{
    records *rs = calloc(1, sizeof(*rs));

    *out = rs;
    if (!rs)
        return -1;
    rs->opt = opt;
    rs->rd = rd;
    reader_set_record_fn(rd, record_decode, rs);
    rs->buf = bigmem_alloc(CHUNK);
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

/* malloc'd printf, or NULL. */
static char *format(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = malloc((size_t)n + 1)))
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Text of a JSON Lines record: the text field, decoded where it lies
 * (json_extract, borrowed: rec changes).  Returns 1 with *text within
 * rec and *name (malloc'd or NULL), 0 for a blank line, -1 for a bad
 * one (with note set: why, malloc'd, unless note is NULL), -2 when out
 * of memory. */
static int jsonl_record(const records *rs, char *rec, size_t len,
                        char **text, size_t *tlen, char **name,
                        char **note)
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
    f[0].borrow = 1;
    f[1].path = rs->opt->id_field;
    if (json_extract(rec, len, f, nf, &err) < 0) {
        if (note && !(*note = format("malformed JSON: %s", err)))
            return -2;
        return -1;
    }
    if (!f[0].found || !f[0].is_string) {
        if (note)
            *note = format("%s '%s'", f[0].found ? "not a string: field"
                                                 : "no field",
                           rs->opt->text_field);
        json_fields_release(f, nf);
        return note && !*note ? -2 : -1;
    }
    *text = f[0].value;
    *tlen = f[0].len;
    if (nf == 2 && f[1].found) {
        *name = f[1].value;
        f[1].value = NULL;
    }
    json_fields_release(f, nf);
    return 1;
}

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

/* On a worker: the document of a queued record (reader_record_fn). */
static read_status record_decode(void *ud, const doc_loc *loc,
                                 char *raw, size_t rawlen,
                                 char **text, size_t *len,
                                 char **name, char **note)
{
    const records *rs = ud;
    char *idname = NULL;
    int rc = 1;

    *text = raw;              /* lines and NUL records: as they are */
    *len = rawlen;
    if (rs->opt->records == RECORDS_JSONL)
        rc = jsonl_record(rs, raw, rawlen, text, len, &idname, note);
    if (rc == 0)
        return READ_SKIP;
    if (rc == -2)
        return READ_FATAL;
    if (!(*name = record_name(rs, (size_t)loc->source, loc->line, idname)))
        return READ_FATAL;
    return rc < 0 ? READ_BAD : READ_OK;
}

/* One complete record, len bytes at rec (unless streamed): queue it. */
static int emit(records *rs, size_t si, uint64_t line, uint64_t off,
                int term, const char *rec, size_t len)
{
    doc_loc loc;
    char *name;
    int rc;

    loc.source = (int)si;
    loc.term = term;
    loc.line = line;
    loc.offset = off;
    loc.len = len;
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
    return reader_queue_record(rs->rd, rec, len, &loc);
}

static int rec_append(records *rs, const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;              /* rec may still be NULL: no memcpy */
    /* Past 2 MiB on huge pages, like the read buffer. */
    if (BIGMEM_GROW(rs->rec, rs->rec_cap, rs->rec_len + n) < 0)
        return -1;
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
        source *p;

        /* Workers name queued records from rs->src: none may be left
         * when it moves. */
        reader_flush(rs->rd);
        p = realloc(rs->src, ncap * sizeof(*p));
        if (!p)
            return -1;
        rs->src = p;
        rs->cap = ncap;
    }
    if (!strcmp(path, "-")) {
        fd = STDIN_FILENO;
    } else if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        source_error(rs, "%s: %s", path, strerror(errno));
        *trouble = 1;
        return 0;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        source_error(rs, "%s: %s", path, strerror(EISDIR));
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
            source_error(rs, "%s: cannot spool for re-reading: %s", path,
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
            source_error(rs, "%s: %s", path, strerror(errno));
            *trouble = 1;
            break;
        }
        if (n == 0)
            break;
        if (spool >= 0 && spool_ok &&
            write_all(spool, rs->buf, (size_t)n) < 0) {
            source_error(rs, "%s: cannot spool for re-reading: %s", path,
                         strerror(errno));
            spool_ok = 0;
        }
        while (i < (size_t)n) {
            unsigned char *d = memchr(rs->buf + i, delim, (size_t)n - i);
            size_t end = d ? (size_t)(d - rs->buf) : (size_t)n;
            const char *rec = (const char *)rs->buf + i;
            size_t len = end - i;

            /* A record wholly in this chunk is queued from it; one that
             * began in an earlier chunk is gathered in rs->rec first. */
            if (!d || rs->rec_len || rs->streaming) {
                if (rec_take(rs, rs->buf + i, end - i) < 0)
                    return -1;
                rec = rs->rec;
                len = rs->rec_len;
            }
            off += end - i;
            i = end;
            if (!d)
                break;
            if (emit(rs, si, line, start, 1, rec, len) < 0)
                return -1;
            i++;
            off++;
            start = off;
            line++;
            rs->rec_len = 0;
        }
    }
    if ((rs->rec_len || rs->streaming) &&
        (rc = emit(rs, si, line, start, 0, rs->rec, rs->rec_len)) < 0)
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
    rc = jsonl_record(rs, raw, loc->len, text, len, &name, NULL);
    free(name);
    if (rc <= 0) {
        free(raw);
        *why = "changed while dupfind was running";
        return -1;
    }
    memmove(raw, *text, *len);  /* the text lies in raw: keep it there */
    *text = raw;
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

    if (BIGMEM_GROW(rs->rec, rs->rec_cap, CHUNK) < 0)
        return -1;
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
