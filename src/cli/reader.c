/*
 * reader.c - reading and sketching documents on all cores.
 *
 * The walk (main thread) queues paths into a batch of READER_BATCH jobs.
 * A full batch is handed to the workers and the main thread goes on
 * filling the next one: up to READER_INFLIGHT batches are in flight, and
 * the threads take jobs one at a time from the oldest batch that has
 * some left, so no thread waits at the end of a batch while another
 * finishes a large document.  Each worker owns a dupfind_doc and a read
 * buffer, so nothing is allocated per document on this path.  -j N means
 * N threads in all: the main thread is one of them and sketches whenever
 * it would otherwise wait (a batch to fill is not free yet, or the end
 * of the input).  The main thread alone commits: when a batch is done it
 * adds its signatures to the context in queue order and prints the
 * notes and errors of the batch in that order.  A document's signature
 * and sample wait for the commit in arrays of the batch, kept from
 * batch to batch like the record bytes below.  Batches are committed
 * in order and have the same size whatever the thread count, so
 * document ids, messages and output are identical for every -j.
 *
 * A record of a stream (records.c) is queued as its raw bytes, copied
 * into one buffer the batch's records share (kept from batch to batch,
 * so the main thread neither allocates nor faults pages per record);
 * the worker that takes it turns them into a name and a text with the
 * records' decoder (JSON Lines parsing happens there, not on the main
 * thread), and a bad record's note waits for the commit like any other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "../bigmem.h"
#include "cli.h"

#define READ_CHUNK   (256 * 1024)
#define BINARY_PROBE (32 * 1024)   /* a NUL in this many first bytes */
#define FADVISE_MIN  (1 << 20)     /* smaller files: no posix_fadvise */
#define READER_RAW_KEEP (16u << 20) /* raw record bytes a batch keeps */
#define READER_INFLIGHT 3          /* batches queued or being filled */
#define KEPT_BLOCK (8u << 20)      /* bytes of a block of kept sets */
#define READER_SAMP_MIN (READER_BATCH * 64u) /* sample entries a batch
                                               starts with */
#define READER_SAMP_KEEP (4u << 20) /* ... and grows to, at most (16 MiB) */

/* The regular files committed so far, by device and inode, so a file
 * named twice (or reached again through a link) is one document: the
 * first in input order, as its place in the queue decides. */
typedef struct {
    dev_t dev;
    ino_t ino;
} file_id;

typedef struct {
    file_id *slot;     /* ino == 0 && dev == 0 marks an empty slot */
    size_t cap, n;     /* power of two; entries */
} file_set;

static size_t file_hash(const file_id *f, size_t mask)
{
    uint64_t h = ((uint64_t)f->dev * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)f->ino * 0xC2B2AE3D27D4EB4FULL);
    return (size_t)(h ^ h >> 29) & mask;
}

/* Returns 1 if f was new (and adds it), 0 if seen, -1 out of memory. */
static int file_set_add(file_set *s, const file_id *f)
{
    size_t i, mask;

    if (f->dev == 0 && f->ino == 0)
        return 1;                      /* cannot be told apart: read it */
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256, j;
        file_id *ns = calloc(ncap, sizeof(*ns));

        if (!ns)
            return -1;
        for (j = 0; j < s->cap; j++) {
            if (s->slot[j].dev == 0 && s->slot[j].ino == 0)
                continue;
            for (i = file_hash(&s->slot[j], ncap - 1);
                 ns[i].dev || ns[i].ino; i = (i + 1) & (ncap - 1))
                ;
            ns[i] = s->slot[j];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    mask = s->cap - 1;
    for (i = file_hash(f, mask); s->slot[i].dev || s->slot[i].ino;
         i = (i + 1) & mask)
        if (s->slot[i].dev == f->dev && s->slot[i].ino == f->ino)
            return 0;
    s->slot[i] = *f;
    s->n++;
    return 1;
}

struct reader_worker {
    dupfind_doc *doc;          /* builder owned by this worker */
    unsigned char *buf;        /* READ_CHUNK bytes */
    unsigned char *conv;       /* UTF-16 converted to UTF-8, or NULL */
    uint64_t bytes;            /* bytes of the last document read */
    file_id id;                /* the last file opened, when regular */
    int has_id;                /* ... id is set */
};

typedef struct {
    char *path;                /* owned: file path, or record name */
    char *text;                /* owned: a record's text, or NULL */
    size_t text_len;           /* bytes of text, or of the raw record */
    int record;                /* raw bytes at raw_off in the batch's
                                  raw buffer, to decode (record_fn) */
    size_t raw_off;            /* where (record) */
    char *note;                /* owned: READ_BAD's reason, or NULL */
    doc_loc loc;               /* where to read it again */
    const char *msg;           /* READ_ERROR from the walk: its text */
    int done;                  /* sketched already (reader_inline_end) */
    int operand;               /* named directly: read whatever it is */
    read_status status;        /* outcome */
    int err;                   /* errno (READ_ERROR) or DUPFIND_E* */
    uint64_t shingles;         /* distinct shingles */
    uint64_t bytes;            /* bytes read */
    uint64_t *kept;            /* its sorted shingles, when big (in the
                                  reader's kept blocks: kept_alloc) */
    file_id id;                /* the file read, when has_id */
    int has_id;                /* a regular file was opened */
    uint32_t *sample;          /* its sample (dupfind_doc_sample): in the
                                  batch's samp, or owned (sample_own) */
    int sample_own;            /* sample is malloc'd: samp was full */
    size_t nsample;            /* entries */
    unsigned sample_shift;     /* taken with this shift */
} reader_job;

/* The sorted shingles of a big document, kept (reader_keep_big). */
typedef struct {
    uint32_t id;
    size_t n;
    uint64_t *set;
} kept_set;

/* A batch of jobs: filled by the main thread, then sketched by all. */
typedef struct {
    reader_job jobs[READER_BATCH];
    uint32_t *sigs;            /* READER_BATCH * k slots */
    size_t njobs;              /* queued */
    size_t next;               /* next job to take (under mu) */
    size_t finished;           /* jobs run (under mu) */
    char *raw;                 /* queued records' bytes */
    size_t raw_len, raw_cap;   /* bytes used, allocated */
    uint32_t *samp;            /* the jobs' samples, back to back */
    size_t samp_cap;           /* entries allocated (never 0) */
    size_t samp_len;           /* entries asked for (atomic; may pass
                                  samp_cap: the rest were malloc'd) */
} reader_batch;

struct reader {
    const cli_options *opt;
    dupfind_ctx *ctx;
    unsigned nthreads;         /* workers including the main thread */
    reader_worker *w;          /* nthreads workers; w[0] is main's */
    pthread_t *tid;            /* nthreads - 1 threads */
    unsigned started;          /* threads running */
    size_t k;                  /* signature length */

    /* A ring of batches: oldest .. oldest + queued - 1 are handed to
     * the workers (in input order), the one after them is being filled
     * by the main thread. */
    reader_batch b[READER_INFLIGHT];
    unsigned oldest;           /* first uncommitted batch */
    unsigned queued;           /* batches handed to the workers */
    size_t raw_hint;           /* the largest raw_cap submitted (at most
                                  READER_RAW_KEEP), bytes */

    pthread_mutex_t mu;
    pthread_cond_t go, done;
    reader_task_fn task;       /* reader_parallel's function, or NULL */
    void *task_ud;             /* its argument */
    size_t ntasks;             /* items of the parallel loop */
    size_t next;               /* next item to take */
    unsigned busy;             /* threads still working on the loop */
    unsigned long generation;  /* parallel loops started */
    int quit;                  /* workers leave */
    reader_record_fn record_fn; /* decodes queued records, or NULL */
    void *record_ud;           /* its argument */

    dupfind_df *df;            /* count document frequencies, or NULL */
    reader_stats stats;        /* totals of committed jobs */
    uint64_t done_docs;        /* sketched so far, committed or not */
    uint64_t done_bytes;       /* their bytes (both atomic) */
    reader_progress_fn progress; /* called on the main thread, or NULL */
    void *progress_ud;         /* its argument */
    doc_loc *locs;             /* per document id, where to re-read it */
    size_t locs_cap;           /* entries */
    uint64_t keep_min;         /* keep sets of this many shingles, or 0 */
    size_t keep_budget;        /* ... up to these bytes in all */
    size_t kept_bytes;         /* bytes kept so far */
    kept_set *kept;            /* by ascending id */
    size_t nkept, kept_cap;    /* entries */
    /* The kept sets' copies, back to back in blocks of huge pages: a
     * malloc each faulted in a new 4 KiB page every 4 KiB. */
    pthread_mutex_t kept_mu;   /* guards the blocks (workers copy) */
    char **kept_blocks;        /* bigmem_alloc'd, KEPT_BLOCK or more */
    size_t nkept_blocks;       /* entries */
    char *kept_next;           /* room left in a block ... */
    size_t kept_left;          /* ... of these many bytes */
    file_set seen;             /* regular files committed */
    int trouble;               /* an input could not be read */
    int fatal;                 /* out of memory */
    int stop;                  /* a commit failed: drop later batches */
};

/* UTF-16 to UTF-8, streamed: a chunk may end inside a code unit or
 * between the two halves of a surrogate pair.  Unpaired surrogates
 * become U+FFFD, as for invalid UTF-8. */
typedef struct {
    int be;                    /* big endian */
    int have_byte;             /* odd byte carried over */
    unsigned char byte;        /* that byte */
    unsigned hi;               /* pending high surrogate, or 0 */
} utf16_state;

#define CONV_SIZE (READ_CHUNK / 2 * 3 + 16)  /* UTF-8 of a chunk, at most */

static size_t put8(unsigned char *o, unsigned cp)
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, o);
}

static size_t utf16_unit(utf16_state *st, unsigned u, unsigned char *o)
{
    size_t n = 0;

    if (st->hi) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            unsigned cp = 0x10000 + ((st->hi - 0xD800) << 10) +
                          (u - 0xDC00);
            st->hi = 0;
            return put8(o, cp);
        }
        n = put8(o, 0xFFFD);
        st->hi = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF)
        st->hi = u;
    else if (u >= 0xDC00 && u <= 0xDFFF)
        n += put8(o + n, 0xFFFD);
    else
        n += put8(o + n, u);
    return n;
}

/* Converts n bytes; out holds CONV_SIZE.  With n == 0, flushes. */
static size_t utf16_convert(utf16_state *st, const unsigned char *in,
                            size_t n, unsigned char *out)
{
    size_t i = 0, o = 0;

    if (n == 0) {
        if (st->hi)
            o += put8(out + o, 0xFFFD);
        if (st->have_byte)
            o += put8(out + o, 0xFFFD);
        st->hi = 0;
        st->have_byte = 0;
        return o;
    }
    if (st->have_byte) {
        unsigned a = st->byte, b = in[0];
        o += utf16_unit(st, st->be ? a << 8 | b : b << 8 | a, out);
        st->have_byte = 0;
        i = 1;
    }
    for (; i + 1 < n; i += 2) {
        unsigned a = in[i], b = in[i + 1];
        o += utf16_unit(st, st->be ? a << 8 | b : b << 8 | a, out + o);
    }
    if (i < n) {
        st->have_byte = 1;
        st->byte = in[i];
    }
    return o;
}

/* 1 for UTF-16LE, 2 for UTF-16BE (by byte order mark), else 0. */
static int utf16_bom(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
        return n >= 4 && p[2] == 0 && p[3] == 0 ? 0 : 1;  /* not UTF-32 */
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
        return 2;
    return 0;
}

read_status reader_read(const cli_options *opt, reader_worker *w,
                        const char *path, int operand, int *err,
                        doc_loc *loc)
{
    struct stat st;
    int fd, first = 1, rc, bom;
    read_status status = READ_OK;
    utf16_state u16;
    uint64_t size;

    *err = 0;
    w->bytes = 0;
    w->has_id = 0;
    memset(&u16, 0, sizeof(u16));
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *err = errno;
        return READ_ERROR;
    }
    if (fstat(fd, &st) < 0) {
        *err = errno;
        close(fd);
        return READ_ERROR;
    }
    if (S_ISDIR(st.st_mode)) {
        *err = EISDIR;
        close(fd);
        return READ_ERROR;
    }
    if (!operand && !S_ISREG(st.st_mode)) {
        close(fd);                 /* not a regular file (any more) */
        return READ_SKIP;
    }
    if (S_ISREG(st.st_mode)) {
        w->id.dev = st.st_dev;
        w->id.ino = st.st_ino;
        w->has_id = 1;
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        close(fd);                 /* /dev/zero would never end */
        return READ_DEVICE;
    }
    if (loc)
        loc->source = S_ISREG(st.st_mode) ? DOC_FILE : DOC_STREAM;
    /* A regular file is read up to the size fstat gave, without the
     * read() that would return 0 (one system call per file, which counts
     * in a virtual machine); one that grew meanwhile is caught when it
     * is read again.  Size 0 may be a /proc file: read to the end. */
    size = S_ISREG(st.st_mode) && st.st_size > 0 ? (uint64_t)st.st_size : 0;
#ifdef POSIX_FADV_SEQUENTIAL
    if (size >= FADVISE_MIN)
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    dupfind_doc_reset(w->doc);
    for (;;) {
        ssize_t n;

        if (size && w->bytes >= size)
            break;
        n = read(fd, w->buf, READ_CHUNK);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err = errno;
            status = READ_ERROR;
            break;
        }
        /* A pipe may deliver the first bytes in small pieces: look at a
         * full probe's worth before deciding it is text. */
        while (first && n > 0 && n < BINARY_PROBE &&
               (!size || (uint64_t)n < size)) {
            ssize_t m = read(fd, w->buf + n, (size_t)(BINARY_PROBE - n));

            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0)
                break;
            n += m;
        }
        if (n == 0)
            break;
        w->bytes += (uint64_t)n;
        if (first && (bom = utf16_bom(w->buf, (size_t)n)) != 0) {
            if (!w->conv && !(w->conv = malloc(CONV_SIZE))) {
                *err = DUPFIND_ENOMEM;
                status = READ_FATAL;
                break;
            }
            u16.be = bom == 2;
            /* Drop the byte order mark itself. */
            memmove(w->buf, w->buf + 2, (size_t)n - 2);
            n -= 2;
            status = READ_UTF16;
        } else if (first && !opt->text &&
                   memchr(w->buf, 0, (size_t)n < BINARY_PROBE
                                     ? (size_t)n : BINARY_PROBE)) {
            status = READ_BINARY;
            break;
        }
        first = 0;
        if (status == READ_UTF16)
            rc = dupfind_doc_feed(w->doc, w->conv,
                                  utf16_convert(&u16, w->buf, (size_t)n,
                                                w->conv));
        else
            rc = dupfind_doc_feed(w->doc, w->buf, (size_t)n);
        if (rc < 0) {
            *err = rc;
            status = READ_FATAL;
            break;
        }
    }
    close(fd);
    if (status == READ_UTF16) {
        rc = dupfind_doc_feed(w->doc, w->conv,
                              utf16_convert(&u16, NULL, 0, w->conv));
        status = rc < 0 ? READ_FATAL : READ_OK;
        *err = rc;
    }
    if (status == READ_OK && (rc = dupfind_doc_finish(w->doc)) < 0) {
        *err = rc;
        status = READ_FATAL;
    }
    return status;
}

read_status reader_sketch_text(reader_worker *w, const char *text,
                               size_t len, int *err)
{
    int rc;

    *err = 0;
    w->bytes = len;
    dupfind_doc_reset(w->doc);
    if ((rc = dupfind_doc_feed(w->doc, text, len)) < 0 ||
        (rc = dupfind_doc_finish(w->doc)) < 0) {
        *err = rc;
        return READ_FATAL;
    }
    return READ_OK;
}

/* A queued record: decoded (within the batch's raw bytes, which only
 * this job reads), then sketched. */
static void run_record(reader *r, reader_worker *w, reader_batch *b,
                       reader_job *j)
{
    char *text = NULL;
    size_t len = 0;

    j->status = r->record_fn(r->record_ud, &j->loc, b->raw + j->raw_off,
                             j->text_len, &text, &len, &j->path, &j->note);
    if (j->status == READ_OK)
        j->status = reader_sketch_text(w, text, len, &j->err);
    else if (j->status == READ_FATAL)
        j->err = DUPFIND_ENOMEM;
}

/* Room for a kept set of bytes, on any thread, or NULL.  It lasts as
 * long as the reader: a copy that keep() refuses is not given back
 * (there are such copies only while the budget runs out). */
static uint64_t *kept_alloc(reader *r, size_t bytes)
{
    void *p = NULL;
    char **blocks;

    bytes = (bytes + 63) & ~(size_t)63;   /* whole cache lines */
    pthread_mutex_lock(&r->kept_mu);
    if (bytes <= r->kept_left) {
        p = r->kept_next;
        r->kept_next += bytes;
        r->kept_left -= bytes;
    } else if ((blocks = realloc(r->kept_blocks, (r->nkept_blocks + 1) *
                                 sizeof(*blocks))) != NULL) {
        size_t size = bytes > KEPT_BLOCK ? bytes : KEPT_BLOCK;

        r->kept_blocks = blocks;
        if ((p = bigmem_alloc(size)) != NULL) {
            blocks[r->nkept_blocks++] = p;
            if (size - bytes > r->kept_left) {
                r->kept_next = (char *)p + bytes;
                r->kept_left = size - bytes;
            }
        }
    }
    pthread_mutex_unlock(&r->kept_mu);
    return p;
}

/* Job j, slot i of batch b, was sketched into doc: take what commit
 * needs from the builder before it is reused. */
static void job_sketched(reader *r, reader_batch *b, reader_job *j,
                         size_t i, dupfind_doc *doc)
{
    j->status = READ_OK;
    memcpy(b->sigs + i * r->k, dupfind_doc_signature(doc),
           r->k * sizeof(*b->sigs));
    j->shingles = dupfind_doc_shingle_count(doc);
    {
        const uint32_t *s;
        size_t n, off;

        /* Into the batch's samples while they have room (the room for
         * all of them is there from the next batch on), else a copy of
         * its own.  No copy (no memory) only means more exact scoring
         * later. */
        dupfind_doc_sample(doc, &s, &n, &j->sample_shift);
        off = __atomic_fetch_add(&b->samp_len, n, __ATOMIC_RELAXED);
        if (off + n <= b->samp_cap)
            j->sample = b->samp + off;
        else if ((j->sample = malloc(n ? n * sizeof(*s) : 1)) != NULL)
            j->sample_own = 1;
        if (j->sample) {
            memcpy(j->sample, s, n * sizeof(*s));
            j->nsample = n;
        }
    }
    if (r->df)
        dupfind_df_add(r->df, doc);
    /* kept_bytes only grows and documents are committed in order, so a
     * copy that would not fit now will not fit at commit either. */
    if (r->keep_min && j->shingles >= r->keep_min &&
        __atomic_load_n(&r->kept_bytes, __ATOMIC_RELAXED) +
                j->shingles * sizeof(uint64_t) <= r->keep_budget) {
        const uint64_t *s;
        size_t n;

        /* No copy (no memory) only means reading it again later. */
        if (dupfind_doc_shingles(doc, &s, &n) == 0 &&
            (j->kept = kept_alloc(r, n * sizeof(*s))) != NULL)
            memcpy(j->kept, s, n * sizeof(*s));
    }
    __atomic_fetch_add(&r->done_docs, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&r->done_bytes, j->bytes, __ATOMIC_RELAXED);
}

static void run_job(reader *r, reader_worker *w, reader_batch *b, size_t i)
{
    reader_job *j = &b->jobs[i];

    if (j->msg || j->done)
        return;                    /* a walk error, or sketched inline */
    if (j->record)
        run_record(r, w, b, j);
    else if (j->text)
        j->status = reader_sketch_text(w, j->text, j->text_len, &j->err);
    else {
        j->status = reader_read(r->opt, w, j->path, j->operand, &j->err,
                                &j->loc);
        j->id = w->id;
        j->has_id = w->has_id;
    }
    j->bytes = w->bytes;
    if (j->status == READ_OK)
        job_sketched(r, b, j, i, w->doc);
    free(j->text);
    j->text = NULL;
}

/* Frees what a job owns. */
static void job_release(reader_job *j)
{
    free(j->path);
    free(j->text);
    free(j->note);
    if (j->sample_own)
        free(j->sample);
    j->path = j->text = j->note = NULL;
    j->kept = NULL;
    j->sample = NULL;
    j->sample_own = 0;
}

static void report_progress(reader *r)
{
    if (r->progress)
        r->progress(r->progress_ud,
                    __atomic_load_n(&r->done_docs, __ATOMIC_RELAXED),
                    __atomic_load_n(&r->done_bytes, __ATOMIC_RELAXED));
}

/* Under mu: a job not taken yet, from the oldest queued batch that has
 * one, or NULL. */
static reader_batch *take_job(reader *r, size_t *i)
{
    unsigned q;

    for (q = 0; q < r->queued; q++) {
        reader_batch *b = &r->b[(r->oldest + q) % READER_INFLIGHT];

        if (b->next < b->njobs) {
            *i = b->next++;
            return b;
        }
    }
    return NULL;
}

/* Under mu: job of b has been run.  Release: the main thread reads the
 * batch's results after seeing the count (batch_done). */
static void job_finished(reader *r, reader_batch *b)
{
    if (__atomic_add_fetch(&b->finished, 1, __ATOMIC_RELEASE) == b->njobs)
        pthread_cond_signal(&r->done);
}

static int batch_done(const reader_batch *b)
{
    return __atomic_load_n(&b->finished, __ATOMIC_ACQUIRE) == b->njobs;
}

/* Takes items of reader_parallel's loop until none is left. */
static void drain_tasks(reader *r, reader_worker *w)
{
    for (;;) {
        size_t i;

        pthread_mutex_lock(&r->mu);
        i = r->next < r->ntasks ? r->next++ : r->ntasks;
        pthread_mutex_unlock(&r->mu);
        if (i == r->ntasks)
            return;
        r->task(r->task_ud, w, i);
    }
}

/* Starts the workers on reader_parallel's loop, helps, and waits for
 * them. */
static void run_tasks(reader *r)
{
    pthread_mutex_lock(&r->mu);
    r->next = 0;
    r->busy = r->started;
    r->generation++;
    pthread_cond_broadcast(&r->go);
    pthread_mutex_unlock(&r->mu);
    drain_tasks(r, &r->w[0]);
    pthread_mutex_lock(&r->mu);
    while (r->busy > 0)
        pthread_cond_wait(&r->done, &r->mu);
    pthread_mutex_unlock(&r->mu);
}

/* Prints the batch's messages and adds its documents, in queue order. */
/* Takes job j's shingles over as document id's while the budget lasts
 * (decided in input order, so the same documents whatever -j). */
static void keep(reader *r, uint32_t id, reader_job *j)
{
    size_t bytes = j->shingles * sizeof(*j->kept);

    if (r->kept_bytes + bytes > r->keep_budget)
        return;                    /* its copy stays unused */
    if (r->nkept == r->kept_cap) {
        size_t ncap = r->kept_cap ? 2 * r->kept_cap : 64;
        kept_set *p = realloc(r->kept, ncap * sizeof(*p));

        if (!p)
            return;
        r->kept = p;
        r->kept_cap = ncap;
    }
    r->kept[r->nkept].id = id;
    r->kept[r->nkept].n = j->shingles;
    r->kept[r->nkept].set = j->kept;
    r->nkept++;
    __atomic_store_n(&r->kept_bytes, r->kept_bytes + bytes,
                     __ATOMIC_RELAXED);
    j->kept = NULL;
}

void reader_keep_big(reader *r, uint64_t min_shingles, size_t budget)
{
    r->keep_min = min_shingles;
    r->keep_budget = budget;
}

const uint64_t *reader_kept(const reader *r, uint32_t id, size_t *n)
{
    size_t lo = 0, hi = r->nkept;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (r->kept[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->nkept || r->kept[lo].id != id)
        return NULL;
    *n = r->kept[lo].n;
    return r->kept[lo].set;
}

/* After a commit: empties b's samples, with room for as many as it
 * had this time (up to READER_SAMP_KEEP entries), so that the next
 * batch of the same kind allocates nothing. */
static void samp_fit(reader_batch *b)
{
    size_t need = b->samp_len;

    b->samp_len = 0;
    if (need > b->samp_cap && need <= READER_SAMP_KEEP) {
        uint32_t *p = bigmem_alloc((need + need / 4) * sizeof(*p));

        if (p) {
            free(b->samp);
            b->samp = p;
            b->samp_cap = need + need / 4;
        }
    }
}

static void commit(reader *r, reader_batch *b)
{
    size_t i;

    for (i = 0; i < b->njobs; i++) {
        reader_job *j = &b->jobs[i];
        uint32_t id;
        int rc;

        if (r->stop) {
            job_release(j);        /* after a failed commit: as if never
                                      queued, for every -j alike */
            continue;
        }
        if (j->has_id) {
            rc = file_set_add(&r->seen, &j->id);
            if (rc == 0) {
                job_release(j);    /* the same file again: nothing */
                continue;
            }
            if (rc < 0) {
                cli_error("%s: %s", j->path, strerror(ENOMEM));
                r->fatal = r->trouble = 1;
            }
        }
        switch (j->status) {
        case READ_OK:
            if (r->fatal)
                break;
            r->stats.docs++;
            r->stats.bytes += j->bytes;
            r->stats.shingles += j->shingles;
            {
                size_t need = (size_t)dupfind_ctx_doc_count(r->ctx) + 1;

                if (need > r->locs_cap) {
                    size_t ncap = r->locs_cap ? 2 * r->locs_cap : 1024;
                    doc_loc *p = realloc(r->locs, ncap * sizeof(*p));
                    if (!p) {
                        cli_error("%s: %s", j->path, strerror(ENOMEM));
                        r->fatal = r->trouble = 1;
                        break;
                    }
                    r->locs = p;
                    r->locs_cap = ncap;
                }
                r->locs[need - 1] = j->loc;
            }
            rc = dupfind_ctx_add_sketch(r->ctx, &id, j->path,
                                        strlen(j->path), b->sigs + i * r->k,
                                        j->shingles, j->sample, j->nsample,
                                        j->sample_shift);
            if (rc < 0) {
                cli_error("%s: %s", j->path, dupfind_strerror(rc));
                r->fatal = r->trouble = 1;
            } else if (j->kept) {
                keep(r, id, j);
            }
            break;
        case READ_BINARY:
            r->stats.binary++;
            if (!r->opt->quiet)
                cli_error("%s: binary file skipped (use --text to read it)",
                          j->path);
            break;
        case READ_ERROR:
            r->stats.errors++;
            cli_error("%s: %s", j->path, j->msg ? j->msg : strerror(j->err));
            r->trouble = 1;
            break;
        case READ_BAD:
            cli_error("%s: %s", j->path, j->note);
            r->trouble = 1;
            break;
        case READ_FATAL:
            if (j->path)
                cli_error("%s: %s", j->path, dupfind_strerror(j->err));
            else
                cli_error("%s", dupfind_strerror(j->err));
            r->fatal = r->trouble = 1;
            break;
        case READ_DEVICE:
            if (!r->opt->quiet)
                cli_error("%s: device file skipped", j->path);
            break;
        case READ_SKIP:
        case READ_UTF16:
            break;
        }
        job_release(j);
    }
    /* The batches queued after this one were filled before the failure
     * was known: drop them, as a single batch at a time would have. */
    if (r->fatal)
        r->stop = 1;
    b->njobs = 0;
    b->raw_len = 0;
    samp_fit(b);
    if (b->raw_cap > READER_RAW_KEEP) {
        free(b->raw);          /* a batch of huge records: give it back */
        b->raw = NULL;
        b->raw_cap = 0;
    }
}

/* Main thread: the batch being filled. */
static reader_batch *filling(reader *r)
{
    return &r->b[(r->oldest + r->queued) % READER_INFLIGHT];
}

/* Commits the oldest batch once it is done, sketching jobs meanwhile
 * (any queued batch's, oldest first) and reporting progress. */
static void commit_oldest(reader *r)
{
    reader_batch *b = &r->b[r->oldest];
    struct timespec until;

    pthread_mutex_lock(&r->mu);
    while (b->finished < b->njobs) {
        reader_batch *t;
        size_t i;

        if ((t = take_job(r, &i)) != NULL) {
            pthread_mutex_unlock(&r->mu);
            run_job(r, &r->w[0], t, i);
            pthread_mutex_lock(&r->mu);
            job_finished(r, t);
        } else {
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 200 * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&r->done, &r->mu, &until);
        }
        pthread_mutex_unlock(&r->mu);
        report_progress(r);
        pthread_mutex_lock(&r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    commit(r, b);
    pthread_mutex_lock(&r->mu);
    r->oldest = (r->oldest + 1) % READER_INFLIGHT;
    r->queued--;
    pthread_mutex_unlock(&r->mu);
}

/* Hands the batch being filled to the workers; makes room for the next
 * one by committing the oldest batch if none is free. */
static void submit(reader *r)
{
    reader_batch *b = filling(r);

    if (b->njobs == 0)
        return;
    if (b->raw_cap > r->raw_hint && b->raw_cap <= READER_RAW_KEEP)
        r->raw_hint = b->raw_cap;
    pthread_mutex_lock(&r->mu);
    b->next = 0;
    b->finished = 0;
    r->queued++;
    pthread_cond_broadcast(&r->go);
    pthread_mutex_unlock(&r->mu);
    if (r->queued == READER_INFLIGHT)
        commit_oldest(r);
}

/* Runs and commits everything queued, the batch being filled too. */
static void flush_all(reader *r)
{
    submit(r);
    while (r->queued > 0)
        commit_oldest(r);
}

void reader_parallel(reader *r, size_t n, reader_task_fn fn, void *ud)
{
    if (n == 0)
        return;
    flush_all(r);
    r->task = fn;
    r->task_ud = ud;
    r->ntasks = n;
    run_tasks(r);
    r->task = NULL;
    r->task_ud = NULL;
    r->ntasks = 0;
}

void reader_set_progress(reader *r, reader_progress_fn fn, void *ud)
{
    r->progress = fn;
    r->progress_ud = ud;
}

typedef struct {
    reader *r;
    reader_worker *w;
} thread_arg;

static void *worker_main(void *arg)
{
    reader *r = ((thread_arg *)arg)->r;
    reader_worker *w = ((thread_arg *)arg)->w;
    unsigned long seen = 0;

    free(arg);
    pthread_mutex_lock(&r->mu);
    while (!r->quit) {
        reader_batch *b;
        size_t i;

        if (r->task && r->generation != seen) {
            seen = r->generation;
            pthread_mutex_unlock(&r->mu);
            drain_tasks(r, w);
            pthread_mutex_lock(&r->mu);
            if (--r->busy == 0)
                pthread_cond_signal(&r->done);
        } else if ((b = take_job(r, &i)) != NULL) {
            pthread_mutex_unlock(&r->mu);
            run_job(r, w, b, i);
            pthread_mutex_lock(&r->mu);
            job_finished(r, b);
        } else {
            pthread_cond_wait(&r->go, &r->mu);
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static int worker_init(reader_worker *w, const dupfind_ctx *ctx)
{
    w->buf = malloc(READ_CHUNK);
    if (!w->buf || dupfind_doc_new(&w->doc, ctx) < 0) {
        free(w->buf);
        w->buf = NULL;
        return -1;
    }
    return 0;
}

unsigned reader_default_jobs(void)
{
    cpu_set_t set;
    long n;

    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

int reader_new(reader **out, const cli_options *opt, dupfind_ctx *ctx,
               unsigned nthreads)
{
    reader *r;
    unsigned i;
    int nosigs = 0;

    *out = NULL;
    r = calloc(1, sizeof(*r));
    if (!r)
        return -1;
    r->opt = opt;
    r->ctx = ctx;
    r->k = dupfind_ctx_options(ctx)->num_perm;
    r->nthreads = nthreads ? nthreads : 1;
    r->w = calloc(r->nthreads, sizeof(*r->w));
    r->tid = calloc(r->nthreads, sizeof(*r->tid));
    for (i = 0; i < READER_INFLIGHT; i++) {
        r->b[i].samp_cap = READER_SAMP_MIN;
        if (!(r->b[i].sigs = malloc(READER_BATCH * r->k *
                                    sizeof(*r->b[i].sigs))) ||
            !(r->b[i].samp = malloc(READER_SAMP_MIN *
                                    sizeof(*r->b[i].samp))))
            nosigs = 1;
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_mutex_init(&r->kept_mu, NULL);
    pthread_cond_init(&r->go, NULL);
    pthread_cond_init(&r->done, NULL);
    *out = r;
    if (!r->w || !r->tid || nosigs || worker_init(&r->w[0], ctx) < 0)
        return -1;
    for (i = 1; i < r->nthreads; i++) {
        thread_arg *a = malloc(sizeof(*a));

        if (!a || worker_init(&r->w[i], ctx) < 0) {
            free(a);
            break;
        }
        a->r = r;
        a->w = &r->w[i];
        if (pthread_create(&r->tid[i - 1], NULL, worker_main, a) != 0) {
            free(a);
            break;          /* fewer threads; still correct */
        }
        r->started++;
    }
    return 0;
}

/* The next free job; name (copied) may be NULL for a record, whose
 * worker names it. */
static reader_job *next_job(reader *r, const char *name)
{
    reader_job *j;

    if (r->fatal)
        return NULL;
    j = &filling(r)->jobs[filling(r)->njobs];
    memset(j, 0, sizeof(*j));
    j->loc.source = DOC_FILE;
    if (name && !(j->path = strdup(name))) {
        cli_error("%s: %s", name, strerror(ENOMEM));
        r->fatal = r->trouble = 1;
        return NULL;
    }
    return j;
}

static int job_queued(reader *r)
{
    if (++filling(r)->njobs == READER_BATCH)
        submit(r);
    else if (r->queued > 0 && batch_done(&r->b[r->oldest]))
        commit_oldest(r);          /* early: free it, print its notes */
    return r->fatal ? -1 : 0;
}

int reader_queue(reader *r, const char *path, int operand)
{
    reader_job *j = next_job(r, path);

    if (!j)
        return -1;
    j->operand = operand;
    return job_queued(r);
}

dupfind_doc *reader_inline_begin(reader *r)
{
    if (r->fatal)
        return NULL;
    flush_all(r);                  /* w[0] is free, notes are out */
    dupfind_doc_reset(r->w[0].doc);
    return r->w[0].doc;
}

int reader_inline_end(reader *r, const char *name, const doc_loc *loc)
{
    reader_job *j = next_job(r, name);
    reader_batch *b = filling(r);
    dupfind_doc *doc = r->w[0].doc;
    int rc;

    if (!j)
        return -1;
    j->loc = *loc;
    j->done = 1;
    j->bytes = loc->len;
    if ((rc = dupfind_doc_finish(doc)) < 0) {
        j->status = READ_FATAL;
        j->err = rc;
    } else {
        job_sketched(r, b, j, b->njobs, doc);
    }
    return job_queued(r);
}

int reader_queue_error(reader *r, const char *path, const char *msg)
{
    reader_job *j = next_job(r, path);

    if (!j)
        return -1;
    j->status = READ_ERROR;
    j->msg = msg;
    return job_queued(r);
}

int reader_queue_text(reader *r, const char *name, char *text, size_t len,
                      const doc_loc *loc)
{
    reader_job *j = next_job(r, name);

    if (!j) {
        free(text);
        return -1;
    }
    /* A record's text may be empty: keep a non-NULL buffer to mark it. */
    j->text = text ? text : malloc(1);
    j->text_len = len;
    j->loc = *loc;
    if (!j->text) {
        free(j->path);
        r->fatal = r->trouble = 1;
        return -1;
    }
    return job_queued(r);
}

void reader_set_record_fn(reader *r, reader_record_fn fn, void *ud)
{
    r->record_fn = fn;
    r->record_ud = ud;
}

int reader_queue_record(reader *r, const char *rec, size_t len,
                        const doc_loc *loc)
{
    reader_job *j = next_job(r, NULL);
    reader_batch *b = filling(r);
    size_t need;

    if (!j)
        return -1;
    /* A batch that must grow grows at once to what batches needed
     * before, rather than doubling through new buffers: each is one
     * more copy of the records so far into fresh memory to fault in. */
    need = b->raw_len + len;
    if (need > b->raw_cap && need < r->raw_hint)
        need = r->raw_hint;
    if (BIGMEM_GROW(b->raw, b->raw_cap, need) < 0) {
        cli_error("%s", strerror(ENOMEM));
        r->fatal = r->trouble = 1;
        return -1;
    }
    if (len)
        memcpy(b->raw + b->raw_len, rec, len);
    j->raw_off = b->raw_len;
    b->raw_len += len;
    j->text_len = len;
    j->record = 1;
    j->loc = *loc;
    return job_queued(r);
}

void reader_flush(reader *r)
{
    flush_all(r);
}

const doc_loc *reader_locs(const reader *r)
{
    return r->locs;
}

int reader_finish(reader *r, int *trouble)
{
    flush_all(r);
    *trouble = r->trouble;
    return r->fatal ? -1 : 0;
}

const reader_stats *reader_get_stats(const reader *r)
{
    return &r->stats;
}

void reader_count_df(reader *r, dupfind_df *df)
{
    r->df = df;
}

dupfind_doc *reader_worker_doc(reader_worker *w)
{
    return w->doc;
}

reader_worker *reader_main_worker(reader *r)
{
    return &r->w[0];
}

void reader_free(reader *r)
{
    unsigned i;

    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->quit = 1;
    pthread_cond_broadcast(&r->go);
    pthread_mutex_unlock(&r->mu);
    for (i = 0; i < r->started; i++)
        pthread_join(r->tid[i], NULL);
    for (i = 0; r->w && i < r->nthreads; i++) {
        dupfind_doc_free(r->w[i].doc);
        free(r->w[i].buf);
        free(r->w[i].conv);
    }
    for (i = 0; i < READER_INFLIGHT; i++) {
        reader_batch *b = &r->b[i];
        size_t n;

        for (n = 0; n < b->njobs; n++)
            job_release(&b->jobs[n]);
        free(b->raw);
        free(b->sigs);
        free(b->samp);
    }
    free(r->locs);
    free(r->seen.slot);
    while (r->nkept_blocks)
        free(r->kept_blocks[--r->nkept_blocks]);
    free(r->kept_blocks);
    free(r->kept);
    pthread_mutex_destroy(&r->mu);
    pthread_mutex_destroy(&r->kept_mu);
    pthread_cond_destroy(&r->go);
    pthread_cond_destroy(&r->done);
    free(r->w);
    free(r->tid);
    free(r);
}
