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

/* How candidates are scored (--verify). */
typedef enum {
    VERIFY_AUTO,      /* exact for pairs the estimate cannot decide */
    VERIFY_ESTIMATE,  /* signatures only, never re-read */
    VERIFY_EXACT      /* exact for every candidate (--exact) */
} verify_mode;

typedef struct {
    dupfind_options lib;     /* passed to the library */
    out_format format;       /* output format */
    int clusters;            /* print groups instead of pairs */
    int null_input;          /* -0: NUL-separated file lists */
    int follow;              /* follow symlinks met while walking */
    int hidden;              /* walk hidden files and directories */
    int text;                /* read binary files as text */
    int check;               /* exit 1 when something is reported */
    int quiet;               /* no notes on stderr */
    verify_mode verify;      /* --verify / --exact */
    const char *files_from;  /* --files-from FILE, or NULL */
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

/* Input walking: calls on_file for every document found. */
typedef struct inputs inputs;
typedef int (*inputs_file_fn)(void *ud, const char *path, int fd,
                              const struct stat *st);
struct inputs {
    const cli_options *opt;
    inputs_file_fn on_file;  /* gets an open fd; must not close it */
    void *ud;
    int trouble;             /* something could not be read */
};
/* A command-line operand: file, directory (walked) or "-" (a list). */
void inputs_operand(inputs *in, const char *path);
/* A list of paths, one per line or NUL-terminated, from f. */
void inputs_list(inputs *in, FILE *f, const char *what);

/* Output. */
int output_pairs(FILE *out, const cli_options *o, const dupfind_ctx *ctx,
                 const dupfind_results *res);
int output_clusters(FILE *out, const cli_options *o,
                    const dupfind_ctx *ctx, const dupfind_results *res);

#endif
