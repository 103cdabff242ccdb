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

typedef enum { FORMAT_TSV, FORMAT_JSONL } out_format;

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
    void *seen;              /* files queued, by device and inode */
};
/* A command-line operand: file, directory (walked) or "-" (a list). */
void inputs_operand(inputs *in, const char *path);
/* A list of paths, one per line or NUL-terminated, from f. */
void inputs_list(inputs *in, FILE *f, const char *what);
/* Frees what the walk keeps (the set of files seen). */
void inputs_release(inputs *in);

/* Reading and sketching on all cores (reader.c). */
#define READER_BATCH 1024   /* documents sketched between commits */

typedef enum {
    READ_OK,        /* sketched */
    READ_BINARY,    /* skipped: binary */
    READ_SKIP,      /* skipped silently: no longer a regular file */
    READ_DEVICE,    /* skipped: a device file */
    READ_UTF16,     /* internal: being decoded from UTF-16 */
    READ_ERROR,     /* could not be read: err is an errno value */
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
/* Queues a document; runs the batch when full.  -1: stop (fatal). */
int reader_queue(reader *r, const char *path, int operand);
/* Queues a record: text (malloc'd, taken over; may be NULL when len
 * is 0) is sketched under name; loc says where to read it again. */
int reader_queue_text(reader *r, const char *name, char *text, size_t len,
                      const doc_loc *loc);
/* Per document id, where it can be read again. */
const doc_loc *reader_locs(const reader *r);
/* Sketches text with w's builder. */
read_status reader_sketch_text(reader_worker *w, const char *text,
                               size_t len, int *err);
/* Runs the last batch; *trouble tells whether any input failed. */
int reader_finish(reader *r, int *trouble);
void reader_free(reader *r);
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
/* Queues the records of the next batch into rd from now on. */
void records_set_reader(records *rs, reader *rd);
/* Reads a source (a path, or "-" for stdin) and queues its records.
 * Returns -1 on a fatal error (out of memory); bad input sets
 * *trouble. */
int records_source(records *rs, const char *path, int *trouble);
/* The text of a record read again (malloc'd). */
int records_text(records *rs, const doc_loc *loc, char **text,
                 size_t *len);
/* Writes a record's bytes and its terminator to out. */
int records_copy(records *rs, const doc_loc *loc, FILE *out);

/* Output. */
int output_pairs(FILE *out, const cli_options *o, const dupfind_ctx *ctx,
                 const dupfind_results *res);
int output_clusters(FILE *out, const cli_options *o,
                    const dupfind_ctx *ctx, const dupfind_results *res);

#endif
