/*
 * inputs.c - finding the documents: operands, directory walks, file
 * lists.
 *
 * Directories are walked depth-first with entries sorted bytewise, so
 * the order (and so the output) does not depend on the file system.
 * Hidden entries (a name starting with '.', which includes .git) are
 * skipped unless --hidden.  Symbolic links met inside a directory are
 * skipped unless --follow; then a link to a directory already on the
 * current path is reported as a loop.  Operands are always followed.
 * Inside directories only regular files are read (a FIFO would block);
 * an operand is read whatever it is, as cat would.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

typedef struct dir_stack {
    dev_t dev;
    ino_t ino;
    const struct dir_stack *up;
} dir_stack;

static void trouble(inputs *in, const char *path, const char *why)
{
    if (in->on_error)
        in->on_error(in->ud, path, why);
    else
        cli_error("%s: %s", path, why);
    in->trouble = 1;
}

/* The regular files queued so far, by device and inode, so a file named
 * twice (or reached again through a link) is one document. */
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

void inputs_release(inputs *in)
{
    file_set *s = in->seen;

    if (s)
        free(s->slot);
    free(s);
    in->seen = NULL;
}

static void queue(inputs *in, const char *path, int operand,
                  const struct stat *st)
{
    if (in->stop)
        return;
    if (S_ISREG(st->st_mode)) {
        file_id f = { st->st_dev, st->st_ino };
        int r;

        if (!in->seen && !(in->seen = calloc(1, sizeof(file_set)))) {
            trouble(in, path, strerror(ENOMEM));
            in->stop = 1;
            return;
        }
        r = file_set_add(in->seen, &f);
        if (r == 0)
            return;                    /* the same file again */
        if (r < 0) {
            trouble(in, path, strerror(ENOMEM));
            in->stop = 1;
            return;
        }
    }
    if (in->on_file(in->ud, path, operand) < 0)
        in->stop = 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(inputs *in, const char *path, const dir_stack *up,
                     const struct stat *dst)
{
    dir_stack here = { dst->st_dev, dst->st_ino, up };
    const dir_stack *s;
    DIR *d;
    struct dirent *e;
    char **names = NULL, *child = NULL;
    size_t n = 0, cap = 0, i, plen = strlen(path);

    for (s = up; s; s = s->up)
        if (s->dev == dst->st_dev && s->ino == dst->st_ino) {
            trouble(in, path, "directory loop (symbolic link) not followed");
            return;
        }
    d = opendir(path);
    if (!d) {
        trouble(in, path, strerror(errno));
        return;
    }
    while ((errno = 0, e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (e->d_name[0] == '.' && !in->opt->hidden)
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 64) *
                                      sizeof(*names));
            if (!p)
                break;
            names = p;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    if (errno) {
        trouble(in, path, strerror(errno));
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_str);

    for (i = 0; i < n && !in->stop; i++) {
        struct stat st;
        size_t clen = strlen(names[i]);
        int sep = plen > 0 && path[plen - 1] != '/';
        char *p = realloc(child, plen + sep + clen + 1);

        if (!p) {
            trouble(in, path, strerror(ENOMEM));
            break;
        }
        child = p;
        memcpy(child, path, plen);
        if (sep)
            child[plen] = '/';
        memcpy(child + plen + sep, names[i], clen + 1);

        if (lstat(child, &st) < 0) {
            trouble(in, child, strerror(errno));
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            if (!in->opt->follow)
                continue;
            if (stat(child, &st) < 0) {
                trouble(in, child, errno == ENOENT
                        ? "dangling symbolic link" : strerror(errno));
                continue;
            }
        }
        if (S_ISDIR(st.st_mode))
            walk_dir(in, child, &here, &st);
        else if (S_ISREG(st.st_mode))
            queue(in, child, 0, &st);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(child);
}

static void path_entry(inputs *in, const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        struct stat lst;
        if (errno == ENOENT && lstat(path, &lst) == 0)
            trouble(in, path, "dangling symbolic link");
        else
            trouble(in, path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        walk_dir(in, path, NULL, &st);
    else
        queue(in, path, 1, &st);
}

void inputs_list(inputs *in, FILE *f, const char *what)
{
    int delim = in->opt->null_input ? '\0' : '\n';
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    while (!in->stop && (len = getdelim(&line, &cap, delim, f)) >= 0) {
        if (len > 0 && line[len - 1] == delim)
            line[--len] = '\0';
        if (delim == '\n' && len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0)
            continue;                  /* blank lines name nothing */
        if (memchr(line, '\0', (size_t)len)) {
            trouble(in, what, "file list has a NUL byte; use -0");
            continue;
        }
        path_entry(in, line);
    }
    if (ferror(f))
        trouble(in, what, strerror(errno));
    free(line);
}

void inputs_operand(inputs *in, const char *path)
{
    if (!strcmp(path, "-")) {
        inputs_list(in, stdin, "(standard input)");
        return;
    }
    path_entry(in, path);
}
