/*
 * cli.h - the dupfind program: options, inputs, output.  Uses only the
 * public API of the library.
 */
#ifndef DUPFIND_CLI_H
#define DUPFIND_CLI_H

#include <stdio.h>
#include <sys/stat.h>

#include "dupfind.h"

/* Exit statuses (documented in dupfind(1)). */
#define EXIT_OK      0   /* ran; with --check: nothing reported */
#define EXIT_FOUND   1   /* --check and near-duplicates were reported */
#define EXIT_TROUBLE 2   /* bad arguments, or an input could not be read */

typedef enum {
    FORMAT_TSV,       /* tab-separated, no header (default) */
    FORMAT_JSONL,     /* JSON Lines */
    FORMAT_CSV,       /* RFC 4180, with a header line */
    FORMAT_TEXT       /* groups for people, maybe in colour */
} out_format;

/* Which member of a group is its original (--keep). */
typedef enum {
    KEEP_FIRST,       /* first in input order (default) */
    KEEP_OLDEST,      /* oldest file modification time */
    KEEP_NEWEST,      /* newest */
    KEEP_LONGEST,     /* most distinct shingles */
    KEEP_SHORTEST     /* fewest */
} keep_mode;

/* --color */
typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

/* What a document is (--records). */
typedef enum {
    RECORDS_NONE,     /* each file is a document */
    RECORDS_LINES,    /* each line */
    RECORDS_NUL,      /* each NUL-terminated record */
    RECORDS_JSONL     /* a field of each JSON Lines object */
} records_mode;

/* What is printed. */
typedef enum {
    MODE_PAIRS,       /* the pairs (default) */
    MODE_CLUSTERS,    /* --clusters */
    MODE_UNIQUE,      /* --unique: inputs minus near-duplicates */
    MODE_DUPLICATES   /* --duplicates: what --unique drops */
} output_mode;

/* How candidates are scored (--verify). */
typedef enum {
    VERIFY_AUTO,      /* exact for pairs the estimate cannot decide */
    VERIFY_ESTIMATE,  /* signatures only, never re-read */
    VERIFY_EXACT      /* exact for every candidate (--exact) */
} verify_mode;

typedef struct {
    dupfind_options lib;     /* passed to the library */
    out_format format;       /* output format */
    output_mode mode;        /* pairs, clusters, unique, duplicates */
    records_mode records;    /* --records */
    const char *text_field;  /* --text-field (jsonl), default "text" */
    const char *id_field;    /* --id-field (jsonl) or NULL */
    int null_input;          /* -0: NUL-separated file lists */
    int follow;              /* follow symlinks met while walking */
    int hidden;              /* walk hidden files and directories */
    int text;                /* read binary files as text */
    int check;               /* exit 1 when something is reported */
    int quiet;               /* no notes on stderr */
    int stats;               /* --stats: counts and timings at the end */
    keep_mode keep;          /* --keep: the original of each group */
    color_mode color;        /* --color */
    int progress;            /* --[no-]progress: -1 auto, 0 off, 1 on */
    const char *baseline;    /* --baseline FILE: accepted pairs, or NULL */
    const char *write_baseline; /* --write-baseline FILE, or NULL */
    int pretend_tty;         /* hidden --pretend-tty: tests of colour and
                                progress treat stdout, stderr as TTYs */
    verify_mode verify;      /* --verify / --exact */
    const char *files_from;  /* --files-from FILE, or NULL */
    unsigned jobs;           /* -j: threads, 0 = CPUs available */
    double ignore_common;    /* >= 1: max documents; in (0,1): share of
                                documents; 0: off */
    char **paths;            /* operands */
    int npaths;              /* count */
} cli_options;

/* Parses argv.  Returns -1 to go on, or an exit status to stop with
 * (after --help, --version, or a usage error already reported). */
int cli_parse(cli_options *o, int argc, char **argv);

/* Prints a message "dupfind: fmt" to stderr. */
void cli_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Prints "dupfind: fmt" and the usage hint; returns EXIT_TROUBLE. */
int cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Input walking: calls on_file for every document found, in order.
 * operand is 1 for a path named directly (read whatever it is), 0 for
 * a regular file found in a directory. */
typedef struct inputs inputs;
typedef int (*inputs_file_fn)(void *ud, const char *path, int operand);
typedef void (*inputs_error_fn)(void *ud, const char *path,
                                const char *msg);
struct inputs {
    const cli_options *opt;
    inputs_file_fn on_file;  /* returns -1 to stop the walk */
    inputs_error_fn on_error;/* reports; NULL: print at once */
    void *ud;
    int trouble;             /* something could not be read */
    int stop;                /* on_file asked to stop */
};
/* A command-line operand: file, directory (walked) or "-" (a list). */
void inputs_operand(inputs *in, const char *path);
/* A list of paths, one per line or NUL-terminated, from f. */
void inputs_list(inputs *in, FILE *f, const char *what);

/* Reading and sketching on all cores (reader.c). */
#define READER_BATCH 1024   /* documents sketched between commits */

typedef enum {
    READ_OK,        /* sketched */
    READ_BINARY,    /* skipped: binary */
    READ_SKIP,      /* skipped silently: no longer a regular file */
    READ_DEVICE,    /* skipped: a device file */
    READ_UTF16,     /* internal: being decoded from UTF-16 */
    READ_ERROR,     /* could not be read: err is an errno value */
    READ_BAD,       /* a bad record, skipped: a note says why */
    READ_FATAL      /* library failure (out of memory): err is DUPFIND_E* */
} read_status;

typedef struct reader reader;
typedef struct reader_worker reader_worker;

/* Where a document can be read again: a file (the name is its path),
 * a stream that cannot be read twice (a FIFO named as an operand), or
 * a record of a source (records.c). */
#define DOC_FILE   (-1)
#define DOC_STREAM (-2)
typedef struct {
    int source;           /* records source index >= 0, or DOC_* */
    int term;             /* the record had a terminator after it */
    uint64_t line;        /* record number in its source, from 1 */
    uint64_t offset;      /* record bytes: offset in the source */
    uint64_t len;         /* and length, terminator excluded */
} doc_loc;

typedef struct {
    uint64_t docs;        /* documents sketched */
    uint64_t bytes;       /* their bytes */
    uint64_t shingles;    /* their distinct shingles, summed */
    uint64_t binary;      /* skipped as binary */
    uint64_t errors;      /* could not be read */
} reader_stats;

const reader_stats *reader_get_stats(const reader *r);

unsigned reader_default_jobs(void);
/* Starts nthreads - 1 worker threads.  On failure returns -1; *out may
 * still need reader_free. */
int reader_new(reader **out, const cli_options *opt, dupfind_ctx *ctx,
               unsigned nthreads);
/* Queues a document; a full batch goes to the worker threads while the
 * next one is filled (the main thread sketches too when it has to wait
 * for a batch to commit).  -1: stop (fatal). */
int reader_queue(reader *r, const char *path, int operand);
/* Queues a record: text (malloc'd, taken over; may be NULL when len
 * is 0) is sketched under name; loc says where to read it again. */
int reader_queue_text(reader *r, const char *name, char *text, size_t len,
                      const doc_loc *loc);
/* Turns a queued record into a document, on a worker thread: raw
 * (rawlen bytes, the record as read: the batch's own copy, which the
 * function may overwrite) at loc becomes *text (*len bytes within raw)
 * named *name (malloc'd).  Returns READ_OK;
 * READ_SKIP for a record that is no document (a blank JSON line);
 * READ_BAD with *name and *note (malloc'd) for a bad one, reported at
 * the commit as "NAME: NOTE"; READ_FATAL when out of memory.  Must be
 * safe to run concurrently. */
typedef read_status (*reader_record_fn)(void *ud, const doc_loc *loc,
                                        char *raw, size_t rawlen,
                                        char **text, size_t *len,
                                        char **name, char **note);
void reader_set_record_fn(reader *r, reader_record_fn fn, void *ud);
/* Queues a record's raw bytes (len at rec, copied) for the record
 * function to decode and name on a worker, in input order. */
int reader_queue_record(reader *r, const char *rec, size_t len,
                        const doc_loc *loc);
/* Runs the pending batch now, so its notes come before a message about
 * the input printed next. */
void reader_flush(reader *r);
/* A record too large to keep: the pending batch is run, then the main
 * thread's builder is returned, reset, to be fed as the record is read;
 * reader_inline_end finishes it and queues it, in order, under name. */
dupfind_doc *reader_inline_begin(reader *r);
int reader_inline_end(reader *r, const char *name, const doc_loc *loc);
/* Per document id, where it can be read again. */
const doc_loc *reader_locs(const reader *r);
/* From now on the sorted shingles of documents with at least
 * min_shingles of them are kept in memory, up to budget bytes in all
 * (first come, in input order), so that exact scoring need not read
 * them again.  0: keep none (the default). */
void reader_keep_big(reader *r, uint64_t min_shingles, size_t budget);
/* Document id's kept shingles (*n of them), or NULL. */
const uint64_t *reader_kept(const reader *r, uint32_t id, size_t *n);
/* Sketches text with w's builder. */
read_status reader_sketch_text(reader_worker *w, const char *text,
                               size_t len, int *err);
/* Runs the last batch; *trouble tells whether any input failed. */
int reader_finish(reader *r, int *trouble);
void reader_free(reader *r);
/* Runs fn(ud, w, i) for every i < n on all the reader's threads (the
 * main one included, each with its own worker w), and returns when all
 * are done.  fn must be safe to run concurrently for different i. */
typedef void (*reader_task_fn)(void *ud, reader_worker *w, size_t i);
void reader_parallel(reader *r, size_t n, reader_task_fn fn, void *ud);
/* Called on the main thread now and then while documents are sketched,
 * with the documents and bytes sketched so far. */
typedef void (*reader_progress_fn)(void *ud, uint64_t docs,
                                   uint64_t bytes);
void reader_set_progress(reader *r, reader_progress_fn fn, void *ud);

/* Also count every sketched document's shingles into df. */
void reader_count_df(reader *r, dupfind_df *df);
/* The main thread's worker, for re-reading documents afterwards. */
reader_worker *reader_main_worker(reader *r);
/* Reads and sketches one document with w's builder; sets loc->source
 * to DOC_FILE or DOC_STREAM when loc is not NULL. */
read_status reader_read(const cli_options *opt, reader_worker *w,
                        const char *path, int operand, int *err,
                        doc_loc *loc);
/* Queues an error found while walking the inputs, so it is printed in
 * input order with the notes of the documents around it.  msg must be
 * a static string (strerror's, or a literal). */
int reader_queue_error(reader *r, const char *path, const char *msg);
/* The builder holding the last document reader_read sketched. */
dupfind_doc *reader_worker_doc(reader_worker *w);

/* Record streams (records.c). */
typedef struct records records;
int records_new(records **out, const cli_options *opt, reader *rd);
void records_free(records *rs);
/* Reads a source (a path, or "-" for stdin) and queues its records.
 * Returns -1 on a fatal error (out of memory); bad input sets
 * *trouble. */
int records_source(records *rs, const char *path, int *trouble);
/* The text of a record read again (malloc'd). */
int records_text(records *rs, const doc_loc *loc, char **text,
                 size_t *len);
/* The same without printing: on failure -1 and *why (static text);
 * safe to call from several threads at once. */
int records_text_r(const records *rs, const doc_loc *loc, char **text,
                   size_t *len, const char **why);
/* Sketches a record read again into doc (lines and NUL records in
 * pieces, so a huge one needs no huge buffer).  0, or -1 (-2 for out of
 * memory) with *why; safe to call from several threads at once. */
int records_sketch_r(const records *rs, const doc_loc *loc,
                     dupfind_doc *doc, const char **why);
/* The name of the source a record comes from. */
const char *records_source_name(const records *rs, const doc_loc *loc);
/* Writes a record's bytes and its terminator to out; one without a
 * terminator in its source gets one too when terminate is set. */
int records_copy(records *rs, const doc_loc *loc, int terminate, FILE *out);

/* Output (output.c).  Records reach stdout whole: each is composed in
 * memory, then handed over in one piece, and the buffer is flushed
 * before it would split one (after every record on a terminal), so a
 * reader never sees half a line, even when dupfind is killed. */
#define OUT_BUFSIZE 65536   /* stdout's buffer */

typedef struct {
    FILE *f;            /* where records go (stdout) */
    FILE *rec;          /* the record being composed (open_memstream) */
    char *buf;          /* rec's bytes */
    size_t len;         /* rec's length, set when it is flushed */
    size_t pending;     /* bytes given to f since its last flush */
    int tty;            /* f is a terminal: flush every record */
    int err;            /* errno of the first failed write, or 0 */
} out_stream;

/* Sets f's buffering up.  Returns -1 when out of memory. */
/* score.c: v as printf's "%.4f" writes it, into buf (SCORE_BUF bytes,
 * NUL-terminated); returns its length. */
#define SCORE_BUF 32
size_t score_format(char *buf, double v);

int out_open(out_stream *os, FILE *f);
/* Writes the record composed in os->rec.  Returns 0, or -1 once a
 * write failed (os->err says why; EPIPE: the reader is gone). */
int out_record(out_stream *os);
/* Flushes f and releases os.  Returns 0 or -1 (os->err). */
int out_close(out_stream *os);

/* What is reported: the pairs left after --baseline. */
typedef struct {
    const dupfind_ctx *ctx;
    const dupfind_pair **pairs; /* in results order */
    size_t npairs;              /* count */
    const uint32_t *rank;       /* per document: place in --keep order */
    int color;                  /* ANSI colours (--format=text) */
} out_report;

/* Both return 0, -1 when out of memory, or 1 when writing failed. */
int output_pairs(out_stream *os, const cli_options *o,
                 const out_report *rep);
int output_clusters(out_stream *os, const cli_options *o,
                    const out_report *rep);
/* Whether --color and the environment ask for colour on stdout. */
int output_wants_color(const cli_options *o);

/* --keep (keep.c): per document id, its place in the order in which
 * originals are chosen (0 first); ties go by input order.  *out is
 * malloc'd.  Returns 0 or -1 when out of memory. */
int keep_ranks(uint32_t **out, const cli_options *o,
               const dupfind_ctx *ctx, const doc_loc *locs);

/* --baseline and --write-baseline (baseline.c).  Names in a baseline
 * are relative to the directory that holds it. */
typedef struct baseline baseline;
/* Reads path; reports a problem itself and returns -1. */
int baseline_load(baseline **out, const char *path);
void baseline_free(baseline *b);
/* Removes the pairs b accepts from pairs[0..*n), keeping the order;
 * *accepted receives how many.  Returns 0 or -1 (out of memory). */
int baseline_filter(const baseline *b, const dupfind_ctx *ctx,
                    const doc_loc *locs, const dupfind_pair **pairs,
                    size_t *n, size_t *accepted);
/* Writes the pairs to path.tmp, then renames it to path.  Reports a
 * problem itself and returns -1. */
int baseline_write(const char *path, const dupfind_ctx *ctx,
                   const doc_loc *locs, const dupfind_pair **pairs,
                   size_t n);

/* Progress line on stderr (progress.c). */
typedef struct {
    int on;              /* may draw at all */
    int shown;           /* a line is on the screen */
    double start;        /* when the run began (s, monotonic) */
    double last;         /* when the line was last drawn */
    double read_end;     /* when reading ended, or 0 */
    const char *phase;   /* "reading", "candidates", "verifying" */
    uint64_t docs;       /* documents read */
    uint64_t bytes;      /* their bytes */
    uint64_t done;       /* verifying: documents re-read */
    uint64_t todo;       /* out of */
} progress;

void progress_start(progress *p, const cli_options *o);
/* Redraws the line when it is due: from ~1 s after the start, a few
 * times a second.  Cheap enough to call per document. */
void progress_tick(progress *p);
/* Switches phase (and draws the line if it is due). */
void progress_phase(progress *p, const char *phase);
/* Clears the line for good. */
void progress_end(progress *p);
/* Clears the line until the next tick, before a message (cli_error). */
void progress_hide(void);

#endif
