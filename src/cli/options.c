/*
 * options.c - command-line parsing.  One table holds every option with
 * its help line; --help is printed from it, and a test checks that the
 * man page names each long option.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
    OPT_PERM = 256, OPT_BANDS, OPT_SEED, OPT_CLUSTERS, OPT_HIDDEN,
    OPT_CHECK, OPT_EXACT, OPT_VERIFY, OPT_FILES_FROM, OPT_SIMD,
    OPT_CONTAINMENT, OPT_IGNORE_COMMON, OPT_STATS, OPT_RECORDS,
    OPT_TEXT_FIELD, OPT_ID_FIELD, OPT_UNIQUE, OPT_DUPLICATES, OPT_KEEP,
    OPT_COLOR, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_PROGRESS,
    OPT_NO_PROGRESS, OPT_PRETEND_TTY
};

/* Help lines stay within 80 columns and --help within about 40 lines,
 * one screen; the man page has the long story.  Each option keeps a
 * line of its own, which tests/docs/options.sh matches against the man
 * page.  An entry without help is hidden (test hooks). */
static const struct opt_def {
    const char *name;    /* long name */
    int has_arg;         /* getopt_long's: 0 no, 1 required, 2 optional */
    int val;             /* short letter or OPT_* */
    const char *arg;     /* argument name in help, or NULL */
    const char *help;    /* one line of at most 51 columns, or NULL */
} opt_table[] = {
    { "threshold", 1, 't', "T",
      "report pairs with Jaccard >= T (default 0.5)" },
    { "containment", 1, OPT_CONTAINMENT, "C",
      "or with >= C of one inside the other (0.5; 0: off)" },
    { "shingle", 1, 'k', "N",
      "N words per shingle (default 5), or chars:N" },
    { "perm", 1, OPT_PERM, "K", "MinHash signature length (default 128)" },
    { "bands", 1, OPT_BANDS, "B", "LSH bands (default: from the threshold)" },
    { "seed", 1, OPT_SEED, "N", "seed of the hash functions (default 0)" },
    { "ignore-common", 1, OPT_IGNORE_COMMON, "N",
      "skip shingles in > N documents (N < 1: a share)" },
    { "exact", 0, OPT_EXACT, NULL, "exact scores for every candidate" },
    { "verify", 1, OPT_VERIFY, "MODE",
      "auto (re-read if unsure), estimate or exact" },
    { "format", 1, 'f', "FMT",
      "tsv (default), csv, jsonl or text (for people)" },
    { "color", 2, OPT_COLOR, "WHEN",
      "colour text output: auto (default), always, never" },
    { "clusters", 0, OPT_CLUSTERS, NULL,
      "print groups of near-duplicates instead of pairs" },
    { "keep", 1, OPT_KEEP, "WHICH",
      "original: first, oldest, newest, longest, shortest" },
    { "unique", 0, OPT_UNIQUE, NULL,
      "print the inputs without near-duplicates" },
    { "duplicates", 0, OPT_DUPLICATES, NULL,
      "print only the inputs that --unique drops" },
    { "records", 1, OPT_RECORDS, "KIND",
      "documents are records: lines, nul or jsonl" },
    { "text-field", 1, OPT_TEXT_FIELD, "KEY",
      "jsonl: dotted path of the text (default text)" },
    { "id-field", 1, OPT_ID_FIELD, "KEY",
      "jsonl: dotted path of the record's name" },
    { "check", 0, OPT_CHECK, NULL,
      "exit 1 when pairs are reported (2: trouble)" },
    { "baseline", 1, OPT_BASELINE, "FILE",
      "do not report the pairs accepted in FILE" },
    { "write-baseline", 1, OPT_WRITE_BASELINE, "FILE",
      "write the pairs found to FILE, to accept them" },
    { "null", 0, '0', NULL, "NUL-separated file lists and --unique names" },
    { "files-from", 1, OPT_FILES_FROM, "FILE",
      "read the list of documents from FILE (- = stdin)" },
    { "follow", 0, 'L', NULL, "follow symbolic links inside directories" },
    { "hidden", 0, OPT_HIDDEN, NULL,
      "also read hidden files and directories (and .git)" },
    { "text", 0, 'a', NULL, "read binary files as text too" },
    { "simd", 1, OPT_SIMD, "LEVEL",
      "kernel: auto, scalar, sse, avx2, avx512, neon" },
    { "jobs", 1, 'j', "N", "threads reading and sketching (default: CPUs)" },
    { "quiet", 0, 'q', NULL, "no notes about skipped files, no progress" },
    { "progress", 0, OPT_PROGRESS, NULL,
      "show progress even when stderr is not a terminal" },
    { "no-progress", 0, OPT_NO_PROGRESS, NULL, "never show progress" },
    { "stats", 0, OPT_STATS, NULL,
      "counts and timings per phase on stderr at the end" },
    { "help", 0, 'h', NULL, "show this help and exit" },
    { "version", 0, 'V', NULL, "show version and SIMD kernels, and exit" },
    { "pretend-tty", 0, OPT_PRETEND_TTY, NULL, NULL },
};
#define NOPTS (sizeof(opt_table) / sizeof(opt_table[0]))

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    progress_hide();
    fputs("dupfind: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    progress_hide();
    fputs("dupfind: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nUsage: dupfind [OPTIONS] [PATH...]\n"
          "Try 'dupfind --help' for more information.\n", stderr);
    return EXIT_TROUBLE;
}

static void print_help(void)
{
    size_t i;

    fputs("Usage: dupfind [OPTIONS] [--] [PATH...]    "
          "(no PATH, or -: file names on stdin)\n"
          "Find near-duplicate text documents; directories are walked.  "
          "See man dupfind.\n\n", stdout);
    for (i = 0; i < NOPTS; i++) {
        const struct opt_def *d = &opt_table[i];
        char left[40];
        const char *eq = d->has_arg == 2 ? "[=" : d->arg ? "=" : "";

        if (!d->help)
            continue;
        if (d->val < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s%s", d->val, d->name,
                     eq, d->arg ? d->arg : "", d->has_arg == 2 ? "]" : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s%s", d->name, eq,
                     d->arg ? d->arg : "", d->has_arg == 2 ? "]" : "");
        printf("  %-25s %s\n", left, d->help);
    }
    fputs("Examples: dupfind --format=text docs/\n"
          "  find . -name '*.md' -print0 | dupfind -0 --clusters "
          "--format=jsonl\n"
          "  dupfind --check --baseline=.dupfind-baseline docs/    "
          "(a CI gate)\n", stdout);
}

static void print_version(void)
{
    dupfind_ctx *ctx;
    char kernels[128];

    printf("dupfind %s\n", dupfind_version());
    if (dupfind_ctx_new(&ctx, NULL, NULL, 0) == 0) {
        printf("simd: %s\n", dupfind_ctx_simd_name(ctx));
        dupfind_ctx_free(ctx);
    }
    /* Compiled in and supported by this CPU, best first. */
    dupfind_simd_kernels(kernels, sizeof(kernels));
    printf("kernels: %s\n", kernels);
}

static int parse_double(const char *s, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(s, &end);
    return errno || end == s || *end;
}

static int parse_uint(const char *s, unsigned long long max,
                      unsigned long long *out)
{
    char *end;

    if (*s == '-' || *s == '+' || *s == ' ')
        return 1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno || end == s || *end || *out > max;
}

static int parse_shingle(cli_options *o, const char *s)
{
    unsigned long long n;

    o->lib.shingle_kind = DUPFIND_SHINGLE_WORDS;
    if (!strncmp(s, "words:", 6)) {
        s += 6;
    } else if (!strncmp(s, "chars:", 6)) {
        o->lib.shingle_kind = DUPFIND_SHINGLE_CHARS;
        s += 6;
    }
    if (parse_uint(s, 64, &n) || n < 1)
        return 1;
    o->lib.shingle_len = (unsigned)n;
    return 0;
}

static const struct { const char *name; dupfind_simd level; } simd_names[] = {
    { "auto", DUPFIND_SIMD_AUTO }, { "scalar", DUPFIND_SIMD_SCALAR },
    { "sse", DUPFIND_SIMD_SSE }, { "avx2", DUPFIND_SIMD_AVX2 },
    { "avx512", DUPFIND_SIMD_AVX512 }, { "neon", DUPFIND_SIMD_NEON },
};

static int parse_simd(cli_options *o, const char *s)
{
    size_t i;

    for (i = 0; i < sizeof(simd_names) / sizeof(simd_names[0]); i++)
        if (!strcmp(s, simd_names[i].name)) {
            o->lib.simd = simd_names[i].level;
            return 0;
        }
    return 1;
}

static const struct { const char *name; keep_mode keep; } keep_names[] = {
    { "first", KEEP_FIRST }, { "oldest", KEEP_OLDEST },
    { "newest", KEEP_NEWEST }, { "longest", KEEP_LONGEST },
    { "shortest", KEEP_SHORTEST },
};

static int parse_keep(cli_options *o, const char *s)
{
    size_t i;

    for (i = 0; i < sizeof(keep_names) / sizeof(keep_names[0]); i++)
        if (!strcmp(s, keep_names[i].name)) {
            o->keep = keep_names[i].keep;
            return 0;
        }
    return 1;
}

int cli_parse(cli_options *o, int argc, char **argv)
{
    struct option longopts[NOPTS + 1];
    char shortopts[64];
    size_t i, ns = 0;
    unsigned long long n;
    const char *env;
    int c;

    memset(o, 0, sizeof(*o));
    dupfind_options_init(&o->lib);
    o->format = FORMAT_TSV;
    o->text_field = "text";
    o->progress = -1;
    env = getenv("DUPFIND_SIMD");
    if (env && *env && parse_simd(o, env))
        return cli_usage_error("DUPFIND_SIMD: unknown SIMD level '%s'", env);

    shortopts[ns++] = ':';   /* report a missing argument as ':' */
    for (i = 0; i < NOPTS; i++) {
        longopts[i].name = opt_table[i].name;
        longopts[i].has_arg = opt_table[i].has_arg;
        longopts[i].flag = NULL;
        longopts[i].val = opt_table[i].val;
        if (opt_table[i].val < 256) {
            shortopts[ns++] = (char)opt_table[i].val;
            if (opt_table[i].has_arg)
                shortopts[ns++] = ':';
            if (opt_table[i].has_arg == 2)
                shortopts[ns++] = ':';
        }
    }
    shortopts[ns] = '\0';
    memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));

    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (parse_double(optarg, &o->lib.threshold) ||
                !(o->lib.threshold > 0 && o->lib.threshold <= 1))
                return cli_usage_error("--threshold takes a number in "
                                       "(0, 1], not '%s'", optarg);
            break;
        case OPT_CONTAINMENT:
            if (parse_double(optarg, &o->lib.containment) ||
                !(o->lib.containment >= 0 && o->lib.containment <= 1))
                return cli_usage_error("--containment takes a number in "
                                       "[0, 1], not '%s'", optarg);
            break;
        case 'k':
            if (parse_shingle(o, optarg))
                return cli_usage_error("--shingle takes N, words:N or "
                                       "chars:N with N in 1..64, not '%s'",
                                       optarg);
            break;
        case OPT_PERM:
            if (parse_uint(optarg, 4096, &n) || n < 1)
                return cli_usage_error("--perm takes a number in 1..4096, "
                                       "not '%s'", optarg);
            o->lib.num_perm = (unsigned)n;
            break;
        case OPT_BANDS:
            if (parse_uint(optarg, 4096, &n) || n < 1)
                return cli_usage_error("--bands takes a number in 1..4096, "
                                       "not '%s'", optarg);
            o->lib.bands = (unsigned)n;
            break;
        case OPT_SEED:
            if (parse_uint(optarg, UINT64_MAX, &n))
                return cli_usage_error("--seed takes a whole number, "
                                       "not '%s'", optarg);
            o->lib.seed = n;
            break;
        case OPT_IGNORE_COMMON:
            if (parse_double(optarg, &o->ignore_common) ||
                !(o->ignore_common > 0) ||
                (o->ignore_common >= 1 &&
                 o->ignore_common != (double)(uint64_t)o->ignore_common))
                return cli_usage_error("--ignore-common takes a count of "
                                       "documents or a share in (0, 1), "
                                       "not '%s'", optarg);
            break;
        case OPT_EXACT: o->verify = VERIFY_EXACT; break;
        case OPT_VERIFY:
            if (!strcmp(optarg, "auto"))
                o->verify = VERIFY_AUTO;
            else if (!strcmp(optarg, "estimate"))
                o->verify = VERIFY_ESTIMATE;
            else if (!strcmp(optarg, "exact"))
                o->verify = VERIFY_EXACT;
            else
                return cli_usage_error("unknown --verify mode '%s' (auto, "
                                       "estimate, exact)", optarg);
            break;
        case 'f':
            if (!strcmp(optarg, "tsv"))
                o->format = FORMAT_TSV;
            else if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "json"))
                o->format = FORMAT_JSONL;
            else if (!strcmp(optarg, "csv"))
                o->format = FORMAT_CSV;
            else if (!strcmp(optarg, "text"))
                o->format = FORMAT_TEXT;
            else
                return cli_usage_error("unknown format '%s' (tsv, csv, "
                                       "jsonl, text)", optarg);
            break;
        case OPT_COLOR:
            /* --color alone means always, as for ls and git. */
            if (!optarg || !strcmp(optarg, "always"))
                o->color = COLOR_ALWAYS;
            else if (!strcmp(optarg, "auto"))
                o->color = COLOR_AUTO;
            else if (!strcmp(optarg, "never"))
                o->color = COLOR_NEVER;
            else
                return cli_usage_error("unknown --color mode '%s' (auto, "
                                       "always, never)", optarg);
            break;
        case OPT_KEEP:
            if (parse_keep(o, optarg))
                return cli_usage_error("unknown --keep rule '%s' (first, "
                                       "oldest, newest, longest, "
                                       "shortest)", optarg);
            break;
        case OPT_CLUSTERS: o->mode = MODE_CLUSTERS; break;
        case OPT_UNIQUE: o->mode = MODE_UNIQUE; break;
        case OPT_DUPLICATES: o->mode = MODE_DUPLICATES; break;
        case OPT_RECORDS:
            if (!strcmp(optarg, "lines"))
                o->records = RECORDS_LINES;
            else if (!strcmp(optarg, "nul"))
                o->records = RECORDS_NUL;
            else if (!strcmp(optarg, "jsonl"))
                o->records = RECORDS_JSONL;
            else
                return cli_usage_error("unknown --records kind '%s' (lines, "
                                       "nul, jsonl)", optarg);
            break;
        case OPT_TEXT_FIELD: o->text_field = optarg; break;
        case OPT_ID_FIELD: o->id_field = optarg; break;
        case OPT_CHECK: o->check = 1; break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_WRITE_BASELINE: o->write_baseline = optarg; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case OPT_PRETEND_TTY: o->pretend_tty = 1; break;
        case '0': o->null_input = 1; break;
        case OPT_FILES_FROM: o->files_from = optarg; break;
        case 'L': o->follow = 1; break;
        case OPT_HIDDEN: o->hidden = 1; break;
        case 'a': o->text = 1; break;
        case OPT_SIMD:
            if (parse_simd(o, optarg))
                return cli_usage_error("unknown SIMD level '%s' (auto, "
                                       "scalar, sse, avx2, avx512, neon)",
                                       optarg);
            break;
        case 'j':
            if (parse_uint(optarg, 1024, &n) || n < 1)
                return cli_usage_error("--jobs takes a number in 1..1024, "
                                       "not '%s'", optarg);
            o->jobs = (unsigned)n;
            break;
        case 'q': o->quiet = 1; break;
        case OPT_STATS: o->stats = 1; break;
        case 'h': print_help(); return EXIT_OK;
        case 'V': print_version(); return EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs an argument",
                                   argv[optind - 1]);
        default:
            if (optopt && optopt < 256)
                return cli_usage_error("unknown option '-%c'", optopt);
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->lib.bands && o->lib.bands > o->lib.num_perm)
        return cli_usage_error("--bands=%u is more than --perm=%u",
                               o->lib.bands, o->lib.num_perm);
    if ((o->baseline && !*o->baseline) ||
        (o->write_baseline && !*o->write_baseline))
        return cli_usage_error("--baseline and --write-baseline need a "
                               "file name");
    if ((o->text_field != NULL && !*o->text_field) ||
        (o->id_field && !*o->id_field))
        return cli_usage_error("--text-field and --id-field need a key");
    o->paths = argv + optind;
    o->npaths = argc - optind;
    return -1;
}
