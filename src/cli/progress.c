/*
 * progress.c - the progress line on stderr.
 *
 * Shown by default only when stderr is a terminal and dupfind runs in
 * its foreground process group (a background job must not scribble on
 * the terminal), and not with -q; --progress forces it, wherever
 * stderr goes, --no-progress turns it off.  Like git and zstd it waits
 * about a second, so that short runs print nothing, then redraws one
 * line at most five times a second: "\r", the text, "\033[K" (clear to
 * the end of the line, so a shorter line leaves no tail).  Messages
 * (cli_error) first clear the line; progress_end clears it for good.
 *
 * The caller ticks it at document granularity; the check is one
 * clock_gettime (a vDSO call, no system call), so ticking per document
 * costs nothing measurable.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define PROGRESS_DELAY    1.0    /* s before the first line */
#define PROGRESS_INTERVAL 0.2    /* s between redraws */

/* The line cli_error has to clear (one progress per process). */
static progress *active;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int foreground(void)
{
    pid_t fg = tcgetpgrp(STDERR_FILENO);

    return fg < 0 || fg == getpgrp();
}

void progress_start(progress *p, const cli_options *o)
{
    p->on = o->progress > 0 ||
            (o->progress < 0 && !o->quiet &&
             (o->pretend_tty || (isatty(STDERR_FILENO) && foreground())));
    p->shown = 0;
    p->start = p->last = now();
    p->read_end = 0;
    p->phase = "reading";
    p->docs = p->bytes = p->done = p->todo = 0;
    active = p->on ? p : NULL;
}

static void draw(progress *p, double t)
{
    double secs = (p->read_end ? p->read_end : t) - p->start;
    double mb = p->bytes / 1e6;

    fprintf(stderr, "\rdupfind: %s: %llu documents, %.1f MB, %.1f MB/s",
            p->phase, (unsigned long long)p->docs, mb,
            secs > 0 ? mb / secs : 0.0);
    if (p->todo)
        fprintf(stderr, ", re-read %llu of %llu",
                (unsigned long long)p->done, (unsigned long long)p->todo);
    fputs("\033[K", stderr);
    fflush(stderr);
    p->shown = 1;
    p->last = t;
}

void progress_tick(progress *p)
{
    double t;

    if (!p->on)
        return;
    t = now();
    if (t - p->start < PROGRESS_DELAY ||
        (p->shown && t - p->last < PROGRESS_INTERVAL))
        return;
    draw(p, t);
}

void progress_phase(progress *p, const char *phase)
{
    double t;

    if (!p->on)
        return;
    t = now();
    if (!p->read_end && phase != p->phase)
        p->read_end = t;
    p->phase = phase;
    /* A new phase is worth showing at once, once the delay is over. */
    if (t - p->start >= PROGRESS_DELAY)
        draw(p, t);
}

void progress_end(progress *p)
{
    progress_hide();
    p->on = 0;
    active = NULL;
}

void progress_hide(void)
{
    if (!active || !active->shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    active->shown = 0;
}
