/*
 * main.c - the dupfind program: a thin front end over libdupfind.
 *
 * Reads every document named (directly, through a walked directory, or
 * in a file list), sketches it, asks the library for the near-duplicate
 * pairs and writes them.  Exit status: 0 ran fine, 1 with --check when
 * something was reported (beyond --baseline), 2 when an input could not
 * be read or the arguments were wrong (an error wins over a finding).
 *
 * A closed pipe (dupfind ... | head -1) is not an error.  SIGPIPE is
 * ignored, so that a write fails with EPIPE instead of killing the
 * process: dupfind then stops writing and exits quietly with the status
 * it would have had anyway (0, or 1 with --check), never 141 from a
 * signal, which "set -o pipefail" would count as a failure.  Output is
 * written in whole records (output.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "../bigmem.h"
#include "../cluster.h"
#include "../sort.h"
#include "cli.h"

typedef struct {
    const cli_options *opt;
    dupfind_ctx *ctx;
    reader *rd;               /* sketching on all cores */
    records *rs;              /* record sources (--records), or NULL */
    int trouble;              /* an input failed */
    int fatal;                /* out of memory: stop */
    uint64_t candidates;      /* LSH candidate pairs */
    uint32_t copies;          /* documents banded as an earlier copy */
    uint64_t verified;        /* pairs scored exactly */
    uint64_t reread;          /* documents read again for that */
    uint64_t kept;            /* ... of which kept since the first time */
    size_t accepted;          /* pairs left out by --baseline */
    progress prog;            /* the progress line */
} run_state;

/* Shows what rd has read so far.  NEEDSWORK: reader.c commits 1024
 * documents at a time and records.c queues a whole source without
 * calling back, so the line moves per batch, and during a records
 * source not at all; a per-document hook in reader.c's commit() would
 * make it smooth. */
/* Progress while documents are sketched: the reader calls this on the
 * main thread, per document it sketches itself and a few times a second
 * while it waits for the other threads. */
static void on_progress(void *ud, uint64_t docs, uint64_t bytes)
{
    run_state *r = ud;

    r->prog.docs = docs;
    r->prog.bytes = bytes;
    progress_tick(&r->prog);
}

/* Between documents the main thread queues: redraw if it is time. */
static void tick(run_state *r)
{
    progress_tick(&r->prog);
}

static int on_file(void *ud, const char *path, int operand)
{
    run_state *r = ud;
    int rc = reader_queue(r->rd, path, operand);

    tick(r);
    return rc;
}

static void on_input_error(void *ud, const char *path, const char *msg)
{
    run_state *r = ud;

    reader_queue_error(r->rd, path, msg);
}

/* A document's sorted distinct shingles, read again for exact scoring. */
typedef struct {
    const uint64_t *set;      /* the shingles (kept, arena, own), or NULL */
    uint64_t *own;            /* set, when malloc'd for it */
    size_t len;               /* entries */
    dupfind_set_index *ix;    /* for a large set, or NULL */
    uint64_t hash;            /* XXH3-64 of the set (exact phase) */
    const char *why;          /* static reason when it failed, or NULL */
    int fatal;                /* the failure was out of memory */
} exact_set;

static void exact_set_release(exact_set *e)
{
    dupfind_set_index_free(e->ix);
    free(e->own);
    memset(e, 0, sizeof(*e));
}

/* Memory for n shingles at once, on huge pages (bigmem.h): the sets of
 * all the documents to verify go there.  NULL when it cannot be had. */
static uint64_t *arena_new(size_t n)
{
    return bigmem_alloc((n ? n : 1) * sizeof(uint64_t));
}

/* Documents of at least KEEP_MIN distinct shingles keep them in memory
 * from the first reading, KEEP_BUDGET bytes in all: they are few, each
 * costs much to read again, and they pair with many small ones. */
#define KEEP_MIN 16384
#define KEEP_BUDGET ((size_t)256 << 20)

/* Sets of at least INDEX_MIN shingles get an index, used for partners at
 * least INDEX_RATIO times smaller (like the library's galloping merge,
 * but one or two cache lines a lookup instead of a dozen). */
#define INDEX_MIN 16384
#define INDEX_RATIO 16

/* Indexes a large loaded set (see INDEX_MIN). */
static void index_big(exact_set *e)
{
    if (e->len >= INDEX_MIN &&
        dupfind_set_index_new(&e->ix, e->set, e->len) < 0) {
        /* frees e->own, which e->set points to (the analyzer loses
         * track through the set index: a false report of a leak) */
        exact_set_release(e); /* NOLINT(clang-analyzer-unix.Malloc) */
        e->fatal = 1;
        e->why = dupfind_strerror(DUPFIND_ENOMEM);
    }
}

/* Reads document id again with worker w into *out: its shingles are
 * copied to dest (room for as many as the first reading found) or, when
 * dest is NULL, to memory of their own.  Prints nothing and
 * touches nothing shared, so workers can load documents at once; the
 * caller reports failures in document order (report_load). */
static void read_set(const run_state *r, reader_worker *w, uint32_t id,
                     exact_set *out, uint64_t *dest)
{
    const char *path = dupfind_ctx_doc_name(r->ctx, id, NULL);
    const doc_loc *loc = &reader_locs(r->rd)[id];
    const uint64_t *s;
    read_status st;
    int err;

    memset(out, 0, sizeof(*out));
    if ((out->set = reader_kept(r->rd, id, &out->len)) != NULL) {
        index_big(out);          /* kept since the first reading */
        return;
    }
    if (loc->source >= 0) {
        int rc = records_sketch_r(r->rs, loc, reader_worker_doc(w),
                                  &out->why);

        if (rc < 0) {
            out->fatal = rc == -2;
            return;
        }
        st = READ_OK;
    } else if (loc->source == DOC_STREAM) {
        /* A FIFO or pipe named as an operand is gone once read. */
        out->why = "not a regular file, cannot be read again: "
                   "its scores stay estimates";
        return;
    } else {
        st = reader_read(r->opt, w, path, 1, &err, NULL);
    }
    if (st != READ_OK) {
        out->fatal = st == READ_FATAL;
        out->why = st == READ_ERROR ? strerror(err)
                   : st == READ_FATAL ? dupfind_strerror(err)
                   : "changed while dupfind was running";
        return;
    }
    if (dupfind_doc_shingles(reader_worker_doc(w), &s, &out->len) < 0) {
        out->fatal = 1;
        out->why = dupfind_strerror(DUPFIND_ENOMEM);
        return;
    }
    if (out->len != dupfind_ctx_doc_shingles(r->ctx, id)) {
        out->why = "changed while dupfind was running";
        return;
    }
    if (!dest && !(dest = out->own = malloc((out->len ? out->len : 1) *
                                            sizeof(*dest)))) {
        out->fatal = 1;
        out->why = dupfind_strerror(DUPFIND_ENOMEM);
        return;
    }
    memcpy(dest, s, out->len * sizeof(*dest));
    out->set = dest;
    index_big(out);
}

/* read_set with w's builder collecting the shingles only
 * (dupfind_doc_shingles_only: no hash set, no signature), and back to
 * sketching afterwards. */
static void load_set(const run_state *r, reader_worker *w, uint32_t id,
                     exact_set *out, uint64_t *dest)
{
    dupfind_doc *doc = reader_worker_doc(w);

    dupfind_doc_shingles_only(doc, 1);
    read_set(r, w, id, out, dest);
    dupfind_doc_shingles_only(doc, 0);
}

/* Scores pair i exactly.  A set many times smaller than an indexed one
 * is looked up in the index, value by value. */
static void score_exact(dupfind_results *res, size_t i, const exact_set *a,
                        const exact_set *b)
{
    const exact_set *big = a->len >= b->len ? a : b;
    const exact_set *small = big == a ? b : a;

    if (big->ix && small->len * INDEX_RATIO <= big->len)
        dupfind_results_set_exact_shared(
            res, i, dupfind_set_index_shared(big->ix, small->set, small->len),
            a->len, b->len);
    else
        dupfind_results_set_exact(res, i, a->set, a->len, b->set, b->len);
}

/* Reports a failed load (in the main thread).  Returns 0 when loaded. */
static int report_load(run_state *r, uint32_t id, const exact_set *e)
{
    const doc_loc *loc = &reader_locs(r->rd)[id];

    if (!e->why)
        return 0;
    if (loc->source >= 0)
        cli_error("%s:%llu: %s", records_source_name(r->rs, loc),
                  (unsigned long long)loc->line, e->why);
    else
        cli_error("%s: %s", dupfind_ctx_doc_name(r->ctx, id, NULL), e->why);
    if (e->fatal)
        r->fatal = 1;
    /* A pipe cannot be read twice: only an error when exact was asked. */
    if (loc->source != DOC_STREAM || r->opt->verify == VERIFY_EXACT)
        r->trouble = 1;
    return -1;
}

/* Budget for holding re-read shingle sets at once (8 bytes each). */
#define EXACT_BUDGET ((size_t)1 << 30)

static int wants_exact(const cli_options *o, const dupfind_pair *p)
{
    return o->verify == VERIFY_EXACT ||
           (o->verify == VERIFY_AUTO && p->uncertain);
}

/* Whether rescore_exact scores pair i: the verify mode's choice, or
 * with a mask (rescore_grouped) the pairs marked WANT_NOW. */
#define WANT_NOW 1
static int wanted(const cli_options *o, const unsigned char *want, size_t i,
                  const dupfind_pair *p)
{
    return want ? want[i] == WANT_NOW : wants_exact(o, p);
}

/* Work shared by the threads of the exact phase. */
typedef struct {
    const run_state *r;
    dupfind_results *res;
    const uint32_t *ids;      /* documents loaded; ids[base ..] to load */
    size_t base;
    uint64_t *arena;          /* room for all their sets, or NULL */
    const size_t *off;        /* where each one's goes in it */
    exact_set *sets;          /* per document id (loaded ones) */
    const unsigned char *ok;  /* per document id: set loaded */
    const unsigned char *want; /* per pair, or NULL: see wanted() */
    uint32_t *canon;          /* per document id: see same_sets; or NULL */
} exact_work;

static void load_task(void *ud, reader_worker *w, size_t i)
{
    exact_work *x = ud;
    uint32_t id = x->ids[x->base + i];

    load_set(x->r, w, id, &x->sets[id], x->arena ? x->arena + x->off[i] : NULL);
    if (x->sets[id].set)
        x->sets[id].hash = XXH3_64bits(x->sets[id].set,
                                       x->sets[id].len * sizeof(uint64_t));
}

/* same_sets' state: the loaded sets, by index into ids. */
typedef struct {
    const exact_work *x;
    uint32_t *canon;
} same_work;

static int same_set(void *arg, uint32_t a, uint32_t b)
{
    const same_work *s = arg;
    const exact_set *sa = &s->x->sets[s->x->ids[a]];
    const exact_set *sb = &s->x->sets[s->x->ids[b]];

    return sa->len == sb->len &&
           memcmp(sa->set, sb->set, sa->len * sizeof(*sa->set)) == 0;
}

static void same_join(void *arg, uint32_t a, uint32_t b)
{
    same_work *s = arg;

    s->canon[s->x->ids[b]] = s->x->ids[a];
}

/* canon[id] for the nids documents loaded: the first of ids whose set
 * equals id's (copies of one text).  A pair of copies then needs no
 * merge: 2,000 copies of a 35 KB file under --exact merged 2 M pairs of
 * 5,600 shingles, 14.6 s.  Sets are grouped by their hash and compared
 * in full (group_by_hash).  Returns 0, or -1 when out of memory (then
 * every pair is merged as before). */
static int same_sets(const exact_work *x, size_t nids, uint32_t *canon)
{
    uint64_t *rec = malloc((nids ? nids : 1) * sizeof(*rec));
    same_work s;
    size_t m = 0, i;
    int rc;

    if (!rec)
        return -1;
    for (i = 0; i < nids; i++) {
        uint32_t id = x->ids[i];

        canon[id] = id;
        if (x->ok[id] && x->sets[id].set)
            rec[m++] = (x->sets[id].hash & ~(uint64_t)UINT32_MAX) | i;
    }
    s.x = x;
    s.canon = canon;
    rc = group_by_hash(rec, m, same_set, same_join, &s);
    free(rec);
    return rc;
}

static void score_task(void *ud, reader_worker *w, size_t i)
{
    exact_work *x = ud;
    const dupfind_pair *p = dupfind_results_pair(x->res, i);

    (void)w;
    if (!wanted(x->r->opt, x->want, i, p) || !x->ok[p->a] || !x->ok[p->b])
        return;
    if (x->canon && x->canon[p->a] == x->canon[p->b]) {
        uint64_t len = x->sets[p->a].len;

        dupfind_results_set_exact_shared(x->res, i, len, len, len);
    } else {
        score_exact(x->res, i, &x->sets[p->a], &x->sets[p->b]);
    }
}

/* For --stats: one more document loaded for exact scoring. */
static void count_load(run_state *r, uint32_t id)
{
    size_t n;

    r->reread++;
    r->kept += reader_kept(r->rd, id, &n) != NULL;
}

/* Which pairs the output needs (dupfind.h, dupfind_ctx_candidates_flags):
 * all of them when pairs are listed, written to or filtered by a
 * baseline, every pair is scored exactly, or the text format shows
 * members' own pairs.  --clusters needs a copy's pairs with the first
 * copy only (DUPFIND_STAR_COPIES) and no pair within a cluster found
 * already (DUPFIND_CLUSTERS_ONLY).  --unique and --duplicates walk
 * documents in --keep order, and need only the pairs of each document
 * with earlier ones it may keep (DUPFIND_WALK_BY_ID,
 * dupfind_ctx_candidates_walk). */
static unsigned grouping_flags(const cli_options *o, int filtered)
{
    if (filtered || o->write_baseline || o->verify == VERIFY_EXACT ||
        o->format == FORMAT_TEXT)
        return 0;
    if (o->mode == MODE_CLUSTERS)
        return DUPFIND_STAR_COPIES | DUPFIND_CLUSTERS_ONLY;
    if (o->mode == MODE_UNIQUE || o->mode == MODE_DUPLICATES)
        return DUPFIND_WALK_BY_ID;
    return 0;
}

/* The sets loaded for exact scoring, kept from one call of rescore_exact
 * to the next (the rounds of rescore_grouped), within EXACT_BUDGET. */
typedef struct {
    exact_set *sets;          /* per document id: those loaded */
    unsigned char *state;     /* per document id: 0 not loaded, 1 loaded,
                                 2 could not be (reported) */
    uint32_t *ids;            /* those in state 1 or 2, in load order */
    size_t nids;
    uint64_t *arenas[2];      /* their sets, an arena a call (the two
                                 rounds of rescore_grouped) */
    size_t narenas;
    size_t used;              /* shingles the arenas hold */
} exact_cache;

static int cache_init(exact_cache *c, uint32_t ndocs)
{
    memset(c, 0, sizeof(*c));
    c->sets = calloc(ndocs ? ndocs : 1, sizeof(*c->sets));
    c->state = calloc(ndocs ? ndocs : 1, 1);
    c->ids = malloc((ndocs ? ndocs : 1) * sizeof(*c->ids));
    return c->sets && c->state && c->ids ? 0 : -1;
}

static void cache_release(exact_cache *c)
{
    size_t i;

    if (c->sets)                  /* only those loaded: a million is */
        for (i = 0; i < c->nids; i++) /* 40 MB to touch for nothing */
            exact_set_release(&c->sets[c->ids[i]]);
    for (i = 0; i < c->narenas; i++)
        free(c->arenas[i]);
    free(c->sets);
    free(c->state);
    free(c->ids);
    memset(c, 0, sizeof(*c));
}

/* Replaces estimates by exact scores where the verify mode asks for it
 * (want NULL) or want marks WANT_NOW.  Sets loaded by an earlier call
 * with the same cache (or NULL: none) are used again.  When the sets of
 * all the documents involved fit the budget together, every document
 * is read once, by all threads at once, and the pairs
 * are scored by all threads; failures are reported afterwards in
 * document order, so the output does not depend on the threads.
 * Otherwise pairs (sorted by a) keep a's set while re-reading each b. */
static int rescore_exact(run_state *r, dupfind_results *res,
                         const unsigned char *want, exact_cache *cache)
{
    size_t i, n = dupfind_results_count(res), total = 0, first;
    uint32_t ndocs = dupfind_ctx_doc_count(r->ctx), cur = UINT32_MAX, id;
    reader_worker *w = reader_main_worker(r->rd);
    exact_set ea, eb;
    exact_cache local;
    uint32_t *canon = NULL;
    uint64_t *arena = NULL;
    size_t *off = NULL;
    unsigned char *need = NULL;
    int have_a = 0, rc = -1;

    memset(&ea, 0, sizeof(ea));
    memset(&local, 0, sizeof(local));
    if (!cache && cache_init(cache = &local, ndocs) < 0)
        goto cleanup;
    if (!(need = calloc(ndocs ? ndocs : 1, 1)))
        goto cleanup;
    for (i = 0; i < n; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);
        if (!wanted(r->opt, want, i, p))
            continue;
        if (!need[p->a] && !cache->state[p->a])
            total += dupfind_ctx_doc_shingles(r->ctx, p->a);
        if (!need[p->b] && !cache->state[p->b])
            total += dupfind_ctx_doc_shingles(r->ctx, p->b);
        need[p->a] = need[p->b] = 1;
    }
    progress_phase(&r->prog, "verifying");
    if (cache->used + total <= EXACT_BUDGET / sizeof(uint64_t)) {
        exact_work x;

        first = cache->nids;
        for (id = 0; id < ndocs; id++)
            if (need[id] && !cache->state[id]) {
                cache->ids[cache->nids++] = id;
                count_load(r, id);
            }
        /* One arena for all the sets to load; each gets as many entries
         * as the first reading counted (a document that changed is
         * caught before its copy). */
        off = malloc((cache->nids - first + 1) * sizeof(*off));
        for (i = first, total = 0; off && i < cache->nids; i++) {
            size_t kn;

            off[i - first] = total;
            if (!reader_kept(r->rd, cache->ids[i], &kn))
                total += dupfind_ctx_doc_shingles(r->ctx, cache->ids[i]);
        }
        /* No arena (a third call, or no memory): sets of their own. */
        if (off &&
            cache->narenas < sizeof(cache->arenas) / sizeof(*arena) &&
            (arena = arena_new(total))) {
            cache->arenas[cache->narenas++] = arena;
            cache->used += total;
        }
        r->prog.todo += cache->nids - first;
        x.r = r;
        x.res = res;
        x.arena = arena;
        x.off = off;
        x.ids = cache->ids;
        x.base = first;
        x.sets = cache->sets;
        x.ok = need;
        x.want = want;
        x.canon = NULL;
        arena = NULL;
        reader_parallel(r->rd, cache->nids - first, load_task, &x);
        for (i = first; i < cache->nids; i++) {
            id = cache->ids[i];
            /* reported; its pairs keep their estimates */
            cache->state[id] = report_load(r, id, &cache->sets[id]) < 0 ? 2
                                                                        : 1;
        }
        for (id = 0; id < ndocs; id++)
            need[id] = cache->state[id] == 1;
        if ((canon = malloc((ndocs ? ndocs : 1) * sizeof(*canon))) &&
            same_sets(&x, cache->nids, canon) == 0)
            x.canon = canon;
        r->prog.done += cache->nids - first;
        progress_tick(&r->prog);
        if (!r->fatal)
            reader_parallel(r->rd, n, score_task, &x);
        for (i = 0; i < n; i++)   /* pairs exact from the start too */
            if (!want || want[i] == WANT_NOW)
                r->verified += dupfind_results_pair(res, i)->exact;
        rc = r->fatal ? -1 : 0;
        goto cleanup;
    }
    /* One load per pair, and one more per first document. */
    for (i = 0; i < n; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        if (!wanted(r->opt, want, i, p))
            continue;
        r->prog.todo += 1 + (p->a != cur);
        cur = p->a;
    }
    cur = UINT32_MAX;
    for (i = 0; i < n && !r->fatal; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        if (!wanted(r->opt, want, i, p))
            continue;
        if (p->a != cur) {
            exact_set_release(&ea);
            cur = p->a;
            count_load(r, cur);
            load_set(r, w, cur, &ea, NULL);
            have_a = report_load(r, cur, &ea) == 0;
            r->prog.done++;
        }
        if (!have_a)
            continue;
        count_load(r, p->b);
        load_set(r, w, p->b, &eb, NULL);
        r->prog.done++;
        progress_tick(&r->prog);
        if (report_load(r, p->b, &eb) < 0) {
            exact_set_release(&eb);
            continue;
        }
        score_exact(res, i, &ea, &eb);
        r->verified++;
        exact_set_release(&eb);
    }
    rc = r->fatal ? -1 : 0;
cleanup:
    cache_release(&local);
    free(canon);
    free(off);
    free(arena);
    exact_set_release(&ea);
    free(need);
    return rc;
}

/* The exact scoring of --clusters (grouping_flags gave
 * DUPFIND_CLUSTERS_ONLY): only the clusters of the selected pairs are
 * printed, so a pair whose two documents other selected pairs join
 * already cannot change them, whatever its exact scores.  File trees
 * with licence headers make most pairs uncertain containments
 * (/usr/share: 566,764 of 575,351).  The documents of pairs that need
 * no exact score and are selected are joined first; then, in two
 * rounds, the pairs still worth scoring are scored, and those selected
 * join their documents: first the ones the estimate selects (likely to
 * join), then the others whose documents are not joined yet.  A pair
 * left out keeps its estimate: selected or not, its documents are in
 * one cluster anyway. */
static int rescore_grouped(run_state *r, dupfind_results *res)
{
    size_t n = dupfind_results_count(res), i;
    uint32_t ndocs = dupfind_ctx_doc_count(r->ctx), id, *parent;
    unsigned char *state;     /* per pair: 0 pending, WANT_NOW, 2 done */
    exact_cache cache;
    int round, rc = 0;

    memset(&cache, 0, sizeof(cache));
    parent = malloc((ndocs ? ndocs : 1) * sizeof(*parent));
    state = calloc(n ? n : 1, 1);
    if (!parent || !state || cache_init(&cache, ndocs) < 0) {
        free(parent);
        free(state);
        cache_release(&cache);
        return -1;
    }
    for (id = 0; id < ndocs; id++)
        parent[id] = id;
    for (i = 0; i < n; i++) {
        const dupfind_pair *p = dupfind_results_pair(res, i);

        if (wants_exact(r->opt, p))
            continue;
        state[i] = 2;
        r->verified += p->exact;  /* scored exactly from the samples */
        if (dupfind_pair_relation(r->ctx, p) != DUPFIND_REL_NONE)
            ufs_union(parent, p->a, p->b);
    }
    for (round = 0; round < 2 && rc == 0; round++) {
        size_t now = 0;

        for (i = 0; i < n; i++) {
            const dupfind_pair *p = dupfind_results_pair(res, i);

            if (state[i] == 0 &&
                ufs_find(parent, p->a) != ufs_find(parent, p->b) &&
                (round > 0 ||
                 dupfind_pair_relation(r->ctx, p) != DUPFIND_REL_NONE)) {
                state[i] = WANT_NOW;
                now++;
            }
        }
        if (now)
            rc = rescore_exact(r, res, state, &cache);
        for (i = 0; i < n; i++) {
            const dupfind_pair *p = dupfind_results_pair(res, i);

            if (state[i] != WANT_NOW)
                continue;
            state[i] = 2;
            if (dupfind_pair_relation(r->ctx, p) != DUPFIND_REL_NONE)
                ufs_union(parent, p->a, p->b);
        }
    }
    free(parent);
    free(state);
    cache_release(&cache);
    return rc;
}

/* --ignore-common: the first pass counted document frequencies; sketch
 * the documents it read again, leaving out the common shingles, into a
 * fresh context that replaces the first. */
static int second_pass(run_state *r, const cli_options *opt,
                       const dupfind_df *df)
{
    dupfind_ctx *ctx2 = NULL;
    reader *rd2 = NULL;
    uint64_t docs = dupfind_df_docs(df), max;
    uint32_t id, n = dupfind_ctx_doc_count(r->ctx);
    int rc = -1, trouble = 0;

    max = opt->ignore_common >= 1 ? (uint64_t)opt->ignore_common
                                  : (uint64_t)(opt->ignore_common * docs);
    if (max < 2) {
        /* "More than 0 or 1 documents" would leave out every shared
         * shingle, so nothing could ever be reported. */
        cli_error("--ignore-common=%g is %llu of %llu documents: using 2",
                  opt->ignore_common, (unsigned long long)max,
                  (unsigned long long)docs);
        max = 2;
    }
    if (dupfind_ctx_new(&ctx2, &opt->lib, NULL, 0) < 0 ||
        dupfind_ctx_ignore_common(ctx2, df, max) < 0 ||
        reader_new(&rd2, opt, ctx2,
                   opt->jobs ? opt->jobs : reader_default_jobs()) < 0)
        goto cleanup;
    reader_set_progress(rd2, on_progress, r);
    if (opt->verify != VERIFY_ESTIMATE)
        reader_keep_big(rd2, KEEP_MIN, KEEP_BUDGET);
    for (id = 0; id < n; id++) {
        const doc_loc *loc = &reader_locs(r->rd)[id];
        const char *name = dupfind_ctx_doc_name(r->ctx, id, NULL);
        char *text;
        size_t len;

        tick(r);
        if (loc->source == DOC_STREAM) {
            /* A pipe cannot be read a second time. */
            cli_error("%s: not a regular file, cannot be read again "
                      "for --ignore-common: left out", name);
            r->trouble = 1;
            continue;
        }
        if (loc->source < 0) {
            if (reader_queue(rd2, name, 1) < 0)
                goto cleanup;
            continue;
        }
        if (records_text(r->rs, loc, &text, &len) < 0) {
            r->trouble = 1;
            continue;
        }
        if (reader_queue_text(rd2, name, text, len, loc) < 0)
            goto cleanup;
    }
    if (reader_finish(rd2, &trouble) < 0)
        goto cleanup;
    r->trouble |= trouble;
    reader_free(r->rd);
    dupfind_ctx_free(r->ctx);
    r->rd = rd2;
    r->ctx = ctx2;
    rd2 = NULL;
    ctx2 = NULL;
    rc = 0;
cleanup:
    reader_free(rd2);
    dupfind_ctx_free(ctx2);
    return rc;
}

/* --unique / --duplicates: documents are considered in --keep order
 * (input order by default), and one is dropped when a reported pair
 * joins it to a document considered earlier and kept.  With the default
 * --keep=first this is "drop each input that is a near-duplicate of an
 * earlier kept one"; with another rule the original of every group is
 * among those kept.  Orienting each pair by rank and walking the pairs
 * by their later side decides every document after all those it could
 * depend on.  The kept (or dropped) inputs go out in input order. */
static int output_unique(run_state *r, const out_report *rep,
                         out_stream *os)
{
    uint32_t n = dupfind_ctx_doc_count(r->ctx), id, last;
    size_t i, np = rep->npairs;
    unsigned char *dropped = calloc(n ? n : 1, 1);
    uint64_t *by_later = malloc((np ? np : 1) * sizeof(*by_later));
    const doc_loc *locs = reader_locs(r->rd);
    const uint32_t *rank = rep->rank;
    int want = r->opt->mode == MODE_DUPLICATES, rc = 0;

    if (!rank) {               /* main() ranks for every grouping mode */
        free(dropped);
        free(by_later);
        return -1;
    }

    if (!dropped || !by_later) {
        free(dropped);
        free(by_later);
        return -1;
    }
    /* rank (later) << 32 | id (earlier): sorting orders by the later
     * side's rank. */
    for (i = 0; i < np; i++) {
        const dupfind_pair *p = rep->pairs[i];
        uint32_t x = rank[p->a] < rank[p->b] ? p->a : p->b;
        uint32_t y = x == p->a ? p->b : p->a;

        by_later[i] = (uint64_t)rank[y] << 32 | x;
    }
    sort_u64(by_later, np);
    /* rank is a permutation: map the later side back through inv. */
    {
        uint32_t *inv = malloc((n ? n : 1) * sizeof(*inv));

        if (!inv) {
            free(dropped);
            free(by_later);
            return -1;
        }
        for (id = 0; id < n; id++)
            inv[rank[id]] = id;
        for (i = 0; i < np; i++) {
            uint32_t y = inv[by_later[i] >> 32], x = (uint32_t)by_later[i];
            if (!dropped[x])
                dropped[y] = 1;
        }
        free(inv);
    }
    /* A record without its terminator (the last of a source) gets one
     * when more output follows, so records never run together. */
    for (id = n; id > 0 && dropped[id - 1] != want; id--)
        ;
    last = id ? id - 1 : 0;
    for (id = 0; id < n && rc == 0; id++) {
        if (dropped[id] != want)
            continue;
        if (locs[id].source >= 0) {
            if (records_copy(r->rs, &locs[id], id != last, os->rec) < 0) {
                r->trouble = 1;      /* reported; go on with the others */
                continue;
            }
        } else {
            size_t len;
            const char *name = dupfind_ctx_doc_name(r->ctx, id, &len);
            fwrite(name, 1, len, os->rec);
            putc(r->opt->null_input ? '\0' : '\n', os->rec);
        }
        if (out_record(os) < 0)
            rc = 1;
    }
    free(dropped);
    free(by_later);
    return rc;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void print_stats(const run_state *r, size_t reported,
                        const double *t)
{
    const reader_stats *st = reader_get_stats(r->rd);
    const dupfind_options *o = dupfind_ctx_options(r->ctx);
    double read_s = t[1] - t[0], total = t[4] - t[0];
    struct rusage ru;
    char baseline_note[64] = "";

    if (r->opt->baseline)
        snprintf(baseline_note, sizeof(baseline_note),
                 ", accepted by the baseline %zu", r->accepted);
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr,
            "dupfind: stats: documents %llu, bytes %llu, shingles %llu, "
            "binary skipped %llu, unreadable %llu, copies %lu\n"
            "dupfind: stats: kernel %s, bands %u x %u rows%s, threads %u\n"
            "dupfind: stats: candidates %llu, verified exactly %llu, "
            "reported %zu%s\n"
            "dupfind: stats: read+sketch %.3f s (%.1f MB/s, %.0f docs/s), "
            "candidates %.3f s, verify %.3f s, output %.3f s, "
            "total %.3f s\n"
            "dupfind: stats: exact scoring loaded %llu documents: %llu "
            "read again, %llu kept from the first reading\n"
            "dupfind: stats: peak RSS %ld KiB\n",
            (unsigned long long)st->docs, (unsigned long long)st->bytes,
            (unsigned long long)st->shingles,
            (unsigned long long)st->binary, (unsigned long long)st->errors,
            (unsigned long)r->copies, dupfind_ctx_simd_name(r->ctx), o->bands, o->rows,
            o->containment > 0 ? " + single-row containment bands" : "",
            r->opt->jobs ? r->opt->jobs : reader_default_jobs(),
            (unsigned long long)r->candidates,
            (unsigned long long)r->verified, reported, baseline_note,
            read_s, read_s > 0 ? st->bytes / read_s / 1e6 : 0.0,
            read_s > 0 ? st->docs / read_s : 0.0,
            t[2] - t[1], t[3] - t[2], t[4] - t[3], total,
            (unsigned long long)r->reread,
            (unsigned long long)(r->reread - r->kept),
            (unsigned long long)r->kept, ru.ru_maxrss);
}

/* Ends the output; a closed pipe is not an error (see the top). */
static int finish_output(out_stream *os)
{
    if (out_close(os) == 0 || os->err == EPIPE)
        return 0;
    cli_error("write error: %s", strerror(os->err));
    return -1;
}

/* The pairs of res, in its order (malloc'd). */
static const dupfind_pair **pair_list(const dupfind_results *res)
{
    size_t i, n = dupfind_results_count(res);
    const dupfind_pair **v = malloc((n ? n : 1) *
                                    sizeof(const dupfind_pair *));

    for (i = 0; v && i < n; i++)
        v[i] = dupfind_results_pair(res, i);
    return v;
}

int main(int argc, char **argv)
{
    cli_options opt;
    run_state r;
    inputs in;
    out_stream os;
    out_report rep;
    dupfind_results *res = NULL;
    dupfind_df *df = NULL;
    baseline *accepted = NULL;
    const dupfind_pair **all = NULL, **shown = NULL;
    uint32_t *rank = NULL;
    unsigned flags;
    size_t nall = 0, nshown = 0;
    int closed = 0;
    double t[5] = { 0, 0, 0, 0, 0 };
    char errbuf[256];
    int rc, i, status = EXIT_OK;

    /* See the top: EPIPE instead of death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    memset(&r, 0, sizeof(r));
    memset(&in, 0, sizeof(in));
    rc = cli_parse(&opt, argc, argv);
    if (rc >= 0) {
        /* --help or --version: their output must arrive too. */
        if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE) {
            cli_error("write error: %s", strerror(errno));
            return EXIT_TROUBLE;
        }
        return rc;
    }
    if (opt.records != RECORDS_NONE && opt.files_from)
        return cli_usage_error("--files-from does not go with --records; "
                               "name the record files instead");
    if (opt.npaths == 0 && !opt.files_from && isatty(STDIN_FILENO))
        return cli_usage_error("no input: name files or directories, or "
                               "pipe a list of file names");
    /* Fail before the long part of the run when the CI setup is wrong. */
    if (opt.baseline && baseline_load(&accepted, opt.baseline) < 0)
        return EXIT_TROUBLE;

    r.opt = &opt;
    rc = dupfind_ctx_new(&r.ctx, &opt.lib, errbuf, sizeof(errbuf));
    if (rc < 0) {
        baseline_free(accepted);
        return cli_usage_error("%s", errbuf[0] ? errbuf
                                                : dupfind_strerror(rc));
    }
    /* Before anything is written to stdout: it sets its buffer up. */
    if (out_open(&os, stdout) < 0) {
        cli_error("%s", dupfind_strerror(DUPFIND_ENOMEM));
        baseline_free(accepted);
        dupfind_ctx_free(r.ctx);
        return EXIT_TROUBLE;
    }
    progress_start(&r.prog, &opt);
    if (reader_new(&r.rd, &opt, r.ctx,
                   opt.jobs ? opt.jobs : reader_default_jobs()) < 0) {
        cli_error("%s", dupfind_strerror(DUPFIND_ENOMEM));
        status = EXIT_TROUBLE;
        goto cleanup;
    }
    reader_set_progress(r.rd, on_progress, &r);
    if (opt.verify != VERIFY_ESTIMATE)
        reader_keep_big(r.rd, KEEP_MIN, KEEP_BUDGET);
    if (opt.ignore_common > 0) {
        if (dupfind_df_new(&df) < 0) {
            cli_error("%s", dupfind_strerror(DUPFIND_ENOMEM));
            status = EXIT_TROUBLE;
            goto cleanup;
        }
        reader_count_df(r.rd, df);
    }

    t[0] = now();
    memset(&in, 0, sizeof(in));
    in.opt = &opt;
    in.on_file = on_file;
    in.on_error = on_input_error;
    in.ud = &r;
    if (opt.files_from) {
        if (!strcmp(opt.files_from, "-")) {
            inputs_list(&in, stdin, "(standard input)");
        } else {
            FILE *f = fopen(opt.files_from, "r");
            if (!f) {
                cli_error("%s: %s", opt.files_from, strerror(errno));
                in.trouble = 1;
            } else {
                inputs_list(&in, f, opt.files_from);
                fclose(f);
            }
        }
    }
    if (opt.records != RECORDS_NONE) {
        if (records_new(&r.rs, &opt, r.rd) < 0) {
            r.fatal = 1;
        } else {
            for (i = 0; i < opt.npaths && !r.fatal; i++) {
                if (records_source(r.rs, opt.paths[i], &in.trouble) < 0)
                    r.fatal = 1;
                tick(&r);
            }
            if (opt.npaths == 0 && records_source(r.rs, "-", &in.trouble) < 0)
                r.fatal = 1;
        }
    } else {
        for (i = 0; i < opt.npaths && !r.fatal; i++)
            inputs_operand(&in, opt.paths[i]);
        if (opt.npaths == 0 && !opt.files_from)
            inputs_operand(&in, "-");
    }
    if (reader_finish(r.rd, &r.trouble) < 0)
        r.fatal = 1;
    tick(&r);
    if (!r.fatal && df) {
        progress_phase(&r.prog, "reading again");
        if (second_pass(&r, &opt, df) < 0)
            r.fatal = 1;
    }
    if (r.fatal) {
        status = EXIT_TROUBLE;
        goto cleanup;
    }

    t[1] = now();
    progress_phase(&r.prog, "candidates");
    flags = grouping_flags(&opt, accepted != NULL);
    if (flags != DUPFIND_WALK_BY_ID)
        rc = dupfind_ctx_candidates_flags(
            r.ctx, opt.jobs ? opt.jobs : reader_default_jobs(), flags, &res);
    else if (keep_ranks(&rank, &opt, r.ctx, reader_locs(r.rd)) < 0)
        rc = DUPFIND_ENOMEM;
    else
        rc = dupfind_ctx_candidates_walk(
            r.ctx, opt.jobs ? opt.jobs : reader_default_jobs(),
            opt.keep == KEEP_FIRST ? NULL : rank, &res);
    r.candidates = dupfind_results_count(res);
    r.copies = dupfind_results_copies(res);
    t[2] = now();
    if (rc == 0 && opt.verify != VERIFY_ESTIMATE &&
        ((flags & DUPFIND_CLUSTERS_ONLY) ? rescore_grouped(&r, res)
                                        : rescore_exact(&r, res, NULL, NULL)) < 0)
        rc = DUPFIND_ENOMEM;
    if (rc == 0)
        rc = dupfind_results_select(res, r.ctx);
    t[3] = now();
    if (rc == 0) {
        /* Originals matter to groups and --unique only (and --keep=
         * oldest or newest costs a stat per document). */
        int groups = opt.mode != MODE_PAIRS || opt.format == FORMAT_TEXT;

        nall = nshown = dupfind_results_count(res);
        all = pair_list(res);
        shown = pair_list(res);
        if (!all || !shown ||
            (groups && !rank &&
             keep_ranks(&rank, &opt, r.ctx, reader_locs(r.rd)) < 0) ||
            (accepted && baseline_filter(accepted, r.ctx, reader_locs(r.rd),
                                         shown, &nshown, &r.accepted) < 0))
            rc = DUPFIND_ENOMEM;
    }
    progress_end(&r.prog);
    if (rc < 0) {
        cli_error("%s", dupfind_strerror(rc));
        status = EXIT_TROUBLE;
        goto cleanup;
    }
    rep.ctx = r.ctx;
    rep.pairs = shown;
    rep.npairs = nshown;
    rep.rank = rank;
    rep.color = output_wants_color(&opt);
    if (opt.mode == MODE_CLUSTERS)
        rc = output_clusters(&os, &opt, &rep);
    else if (opt.mode == MODE_UNIQUE || opt.mode == MODE_DUPLICATES)
        rc = output_unique(&r, &rep, &os);
    else
        rc = output_pairs(&os, &opt, &rep);
    if (rc < 0) {
        cli_error("%s", dupfind_strerror(DUPFIND_ENOMEM));
        status = EXIT_TROUBLE;
        goto cleanup;
    }
    closed = 1;
    if (finish_output(&os) < 0)
        status = EXIT_TROUBLE;
    t[4] = now();
    if (opt.stats)
        print_stats(&r, nshown, t);
    /* An error wins over a finding. */
    if (opt.check && nshown > 0 && status == EXIT_OK)
        status = EXIT_FOUND;
    if (in.trouble || r.trouble)
        status = EXIT_TROUBLE;
    /* An incomplete run must not replace an accepted baseline. */
    if (opt.write_baseline && status != EXIT_TROUBLE &&
        baseline_write(opt.write_baseline, r.ctx, reader_locs(r.rd), all,
                       nall) < 0)
        status = EXIT_TROUBLE;
cleanup:
    progress_end(&r.prog);
    if (!closed && finish_output(&os) < 0)
        status = EXIT_TROUBLE;
    free(all);
    free(shown);
    free(rank);
    baseline_free(accepted);
    dupfind_results_free(res);
    reader_free(r.rd);
    records_free(r.rs);
    dupfind_ctx_free(r.ctx);
    dupfind_df_free(df);
    return status;
}
