/*
 * lsh.c - LSH parameter choice and candidate generation (see lsh.h).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bigmem.h"
#include "cluster.h"
#include "internal.h"
#include "lsh.h"
#include "sort.h"

#define LSH_SEED_TAG 0x62616e6473ULL   /* "bands" */

double lsh_probability(double s, unsigned b, unsigned r)
{
    return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

/* Composite Simpson's rule; the integrands are smooth polynomials. */
static double integrate(double lo, double hi, unsigned b, unsigned r,
                        int complement)
{
    const int n = 256;       /* even */
    double h = (hi - lo) / n, sum = 0;
    int i;

    for (i = 0; i <= n; i++) {
        double p = lsh_probability(lo + i * h, b, r);
        double f = complement ? 1.0 - p : p;
        sum += f * (i == 0 || i == n ? 1 : (i & 1) ? 4 : 2);
    }
    return sum * h / 3;
}

void lsh_error_areas(double t, unsigned b, unsigned r,
                     double *fp, double *fn)
{
    *fp = integrate(0.0, t, b, r, 0);
    *fn = integrate(t, 1.0, b, r, 1);
}

/* Simpson's rule needs an even number of intervals: HALF on each side
 * of the threshold. */
#define CHOOSE_STEPS 256
#define HALF 128             /* CHOOSE_STEPS / 2 */

void lsh_choose_params(unsigned k, double t, unsigned *bands,
                       unsigned *rows)
{
    double s[CHOOSE_STEPS + 1], lg[CHOOSE_STEPS + 1];
    double best = INFINITY, h = 1.0 / CHOOSE_STEPS;
    unsigned b, r, i;

    *bands = 1;
    *rows = k;
    /* The same areas as lsh_error_areas, on one grid over [0, 1] split
     * at t, with log(1 - s^r) computed once per r: (1 - s^r)^b is then
     * one exp per point, which keeps the search to a few milliseconds
     * even though it tries every b*r <= k. */
    for (r = 1; r <= k; r++) {
        for (i = 0; i <= CHOOSE_STEPS; i++) {
            double x = i <= HALF ? t * i / HALF
                                 : t + (1 - t) * (i - HALF) / HALF;
            s[i] = pow(x, (double)r);
            lg[i] = s[i] < 1.0 ? log1p(-s[i]) : -INFINITY;
        }
        for (b = 1; b <= k / r; b++) {
            double fp = 0, fn = 0, err;

            for (i = 0; i <= HALF; i++) {
                double w = (i == 0 || i == HALF) ? 1 : (i & 1) ? 4 : 2;
                double p = 1.0 - exp(b * lg[i]);
                double q = 1.0 - exp(b * lg[i + HALF]);

                fp += w * p;
                fn += w * (1.0 - q);
            }
            fp *= t * 2 * h / 3;
            fn *= (1 - t) * 2 * h / 3;
            err = LSH_FP_WEIGHT * fp + LSH_FN_WEIGHT * fn;
            if (err < best) {
                best = err;
                *bands = b;
                *rows = r;
            }
        }
    }
}

/* Sorts and deduplicates n pairs. */
static void pairs_compact(uint64_t *pairs, size_t *n)
{
    size_t i, w = 0;

    sort_u64(pairs, *n);
    for (i = 0; i < *n; i++)
        if (w == 0 || pairs[w - 1] != pairs[i])
            pairs[w++] = pairs[i];
    *n = w;
}

/* 32-bit key of one band.  A single row is a MinHash value already, a
 * uniform 32-bit hash; longer bands are hashed.  Two different bands
 * meeting on a 32-bit key only make a pair that verification rejects. */
static uint32_t band_key(const uint32_t *rows, unsigned r, uint64_t seed)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint32_t le[4096];
    unsigned i;

    for (i = 0; i < r; i++)
        le[i] = __builtin_bswap32(rows[i]);
    rows = le;
#endif
    if (r == 1)
        return rows[0];
    return (uint32_t)(XXH3_64bits_withSeed(rows, (size_t)r * 4, seed) >> 32);
}

static uint64_t band_seed(uint64_t seed, unsigned band, unsigned rows)
{
    return seed ^ LSH_SEED_TAG ^ ((uint64_t)band << 40) ^
           ((uint64_t)rows << 20);
}

/* What one worker owns. */
typedef struct {
    uint64_t *tmp;            /* radix sort scratch, m records */
    uint64_t *once;           /* 2-bit counters of keys, see drop_alone */
    uint64_t *pairs;          /* pairs kept, a << 32 | b */
    size_t n, cap;            /* count, capacity of pairs */
} lsh_worker;

struct lsh_job;
typedef int (*lsh_task_fn)(struct lsh_job *job, lsh_worker *w,
                           unsigned task);

/* A run of lsh_candidates_filter: the input, the group of bands in
 * work, and the task queue of the current phase. */
typedef struct lsh_job {
    const uint32_t *sig;      /* n * k slots */
    unsigned k;               /* slots per signature */
    const uint32_t *ids;      /* the m active documents, ascending */
    uint32_t m;               /* active documents */
    uint32_t n;               /* documents */
    uint64_t seed;            /* of the band keys */
    unsigned once_bits;       /* log2 of the counters in worker's once */
    const lsh_filter *filter; /* NULL: keep every pair */
    const uint8_t *bytes;     /* n * k low bytes of sig, or NULL */
    lsh_equal_bytes_fn equal_bytes; /* counts their matches */
    const double *drop_below; /* k + 1 size ratios, see drop_table */
    uint64_t weight_extra;    /* sum of filter->weight - 1, active ids */
    uint64_t *seen;           /* pairs judged, see seen_has */
    uint32_t *parent;         /* n, union-find of filter->join, or NULL */
    unsigned seen_bits;       /* log2 of its slots */
    const lsh_config *conf;   /* the configuration in work */
    lsh_skipped *skipped;     /* conf->bands of them */
    unsigned first, count;    /* bands first .. first + count - 1 */
    uint64_t *rec[LSH_GROUP]; /* records of each band of the group */
    size_t nmem[LSH_GROUP];   /* of them, members of buckets that make
                                 pairs, at the front once sorted */
    lsh_worker *w;            /* nw of them */
    unsigned nw;              /* workers, 1 .. LSH_GROUP */

    pthread_mutex_t lock;     /* guards the three below */
    lsh_task_fn fn;           /* the phase's task */
    unsigned next, ntasks;    /* next task to take, tasks */
    int err;                  /* first failure, or 0 */
} lsh_job;

typedef struct {
    lsh_job *job;
    lsh_worker *w;
} lsh_thread;

static void run_tasks(lsh_job *job, lsh_worker *w)
{
    for (;;) {
        unsigned task;
        int rc;

        pthread_mutex_lock(&job->lock);
        task = job->err ? job->ntasks : job->next;
        if (task < job->ntasks)
            job->next++;
        pthread_mutex_unlock(&job->lock);
        if (task >= job->ntasks)
            return;
        rc = job->fn(job, w, task);
        if (rc < 0) {
            pthread_mutex_lock(&job->lock);
            if (!job->err)
                job->err = rc;
            pthread_mutex_unlock(&job->lock);
        }
    }
}

static void *thread_main(void *arg)
{
    lsh_thread *t = arg;

    run_tasks(t->job, t->w);
    return NULL;
}

/* Runs tasks 0 .. ntasks-1 of fn on up to nw workers, the calling thread
 * being one.  A thread that cannot be started leaves its share to the
 * others: the answer does not depend on how many run. */
static int run_phase(lsh_job *job, lsh_task_fn fn, unsigned ntasks)
{
    pthread_t th[LSH_GROUP];
    lsh_thread arg[LSH_GROUP];
    unsigned t, started = 1;

    job->fn = fn;
    job->next = 0;
    job->ntasks = ntasks;
    for (t = 1; t < job->nw && t < ntasks; t++) {
        arg[t].job = job;
        arg[t].w = &job->w[t];
        if (pthread_create(&th[t], NULL, thread_main, &arg[t]) != 0)
            break;
        started++;
    }
    run_tasks(job, &job->w[0]);
    for (t = 1; t < started; t++)
        pthread_join(th[t], NULL);
    return job->err;
}

/* Documents whose records are made one band after the other: their
 * rows of the group (at most 3 cache lines each, 48 KiB) stay in
 * cache while each band's records are written in a run.  Writing one
 * record to each of 16 arrays in turn spent most of the time waiting
 * for the stores (a million documents, -j1: 1.6 s of the 8 s). */
#define LSH_BLOCK 256

/* Task t of the first phase: the records of the group's bands for the
 * t-th share of the active documents, in one pass over their
 * signatures.  A record is key << 32 | id. */
static int make_records(lsh_job *job, lsh_worker *w, unsigned t)
{
    unsigned rows = job->conf->rows, g;
    size_t lo = (size_t)job->m * t / job->nw;
    size_t hi = (size_t)job->m * (t + 1) / job->nw, p, b, end;
    uint64_t bseed[LSH_GROUP];

    DF_UNUSED(w);
    for (g = 0; g < job->count; g++)
        bseed[g] = band_seed(job->seed, job->first + g, rows);
    for (b = lo; b < hi; b = end) {
        end = hi - b > LSH_BLOCK ? b + LSH_BLOCK : hi;
        for (g = 0; g < job->count; g++) {
            uint64_t *rec = job->rec[g];
            size_t off = (size_t)(job->first + g) * rows;

            for (p = b; p < end; p++) {
                uint32_t id = job->ids[p];

                rec[p] = (uint64_t)band_key(job->sig + (size_t)id * job->k +
                                            off, rows, bseed[g]) << 32 | id;
            }
        }
    }
    return 0;
}

/* End of the run of equal keys that starts at rec[i]. */
static size_t bucket_end(const uint64_t *rec, size_t i, size_t m)
{
    uint64_t key = rec[i] >> 32;
    size_t j;

    for (j = i + 1; j < m && rec[j] >> 32 == key; j++)
        ;
    return j;
}

/* Documents the bucket rec[i .. j) stands for: its members, or with
 * twins (twins.h) the documents they stand for. */
static size_t bucket_weight(const lsh_job *job, const uint64_t *rec,
                            size_t i, size_t j)
{
    const uint32_t *weight = job->filter ? job->filter->weight : NULL;
    size_t sum = 0;

    /* The weights are read (anywhere in memory) only when the bucket
     * could pass the cap by them. */
    if (!weight || j - i + job->weight_extra <= job->conf->cap)
        return j - i;
    for (; i < j; i++)
        sum += weight[(uint32_t)rec[i]];
    return sum;
}

/* Slot of a key among the 2^bits counters of drop_alone.  Single-row
 * keys are MinHash values, crowded at the low end: mixed first. */
static size_t once_slot(uint64_t rec, unsigned bits)
{
    return (size_t)((uint32_t)(rec >> 32) * 0x9E3779B1u) >> (32 - bits);
}

/* Moves the records of rec[0 .. m) whose key may occur more than once
 * to out, in order, and returns their number.  Each key counts to 2 in
 * a 2-bit counter of the slot it hashes to (32 a word of once, which
 * holds 2^bits of them), so a key alone in its slot and bucket is
 * dropped; one that shares its slot with another key stays, to be
 * dropped after sorting.  Three in four records of a single-row band at
 * a million documents are alone in their bucket: with 2^23 slots
 * (2 MiB) a tenth of those stay, and the radix sort then moves a third
 * of the records. */
static size_t drop_alone(const uint64_t *rec, size_t m, uint64_t *once,
                         unsigned bits, uint64_t *out)
{
    size_t i, n = 0;

    memset(once, 0, ((size_t)1 << bits) / 32 * sizeof(*once));
    for (i = 0; i < m; i++) {
        size_t h = once_slot(rec[i], bits);
        uint64_t *wd = &once[h / 32];
        unsigned sh = (unsigned)(h % 32) * 2;

        if (i + 16 < m)
            __builtin_prefetch(&once[once_slot(rec[i + 16], bits) / 32], 1);
        *wd |= (uint64_t)1 << (sh + (unsigned)(*wd >> sh & 1));
    }
    for (i = 0; i < m; i++) {
        size_t h = once_slot(rec[i], bits);

        if (i + 16 < m)
            __builtin_prefetch(&once[once_slot(rec[i + 16], bits) / 32]);
        out[n] = rec[i];
        n += once[h / 32] >> ((h % 32) * 2 + 1) & 1;
    }
    return n;
}

/* Counters of drop_alone: 2^23 (2 MiB) at most. */
#define LSH_ONCE_BITS 23

/* Task g of the second phase: sorts the records of the group's band g,
 * notes the buckets the cap skips and keeps, at the front of the
 * records, the members of the buckets that make pairs.  Three in four
 * records of a single-row band at a million documents are alone in
 * their bucket: the pairing phase then reads a quarter of them, and
 * this scan reads the records where the sort's last pass left them
 * instead of copying them back first. */
static int sort_records(lsh_job *job, lsh_worker *w, unsigned g)
{
    uint64_t *rec = job->rec[g], *src;
    lsh_skipped *sk = &job->skipped[job->first + g];
    uint32_t cap = job->conf->cap;
    size_t i, j, x, m, nmem = 0;

    /* Sorting by the key bits only is stable, and records were made in
     * id order: ids ascend within a run of equal keys. */
    m = drop_alone(rec, job->m, w->once, job->once_bits, w->tmp);
    src = radix_sort_u64_where(w->tmp, rec, m, 32);
    /* When src is rec, members are written no further than read. */
    for (i = 0; i < m; i = j) {
        j = bucket_end(src, i, m);
        if (j - i < 2)
            continue;
        if (cap && bucket_weight(job, src, i, j) > cap) {
            DF_TRY(DF_GROW(sk->keys, sk->cap, sk->n + 1));
            sk->keys[sk->n++] = (uint32_t)(src[i] >> 32);
            continue;
        }
        for (x = i; x < j; x++)
            rec[nmem++] = src[x];
    }
    job->nmem[g] = nmem;
    return 0;
}

void lsh_skips_free(lsh_skipped *skips, unsigned bands)
{
    unsigned b;

    if (!skips)
        return;
    for (b = 0; b < bands; b++)
        free(skips[b].keys);
    free(skips);
}

static int skipped_has(const lsh_skipped *sk, uint32_t key)
{
    size_t lo = 0, hi = sk->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (sk->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sk->n && sk->keys[lo] == key;
}

/* Whether 8 slots from x and y have one equal. */
static int any_equal8(const uint32_t *x, const uint32_t *y)
{
    unsigned i, eq = 0;

    for (i = 0; i < 8; i++)
        eq |= x[i] == y[i];
    return eq != 0;
}

/* Whether the documents with signatures x and y met, before band, in a
 * band of this configuration whose bucket was kept: equal rows there
 * mean equal keys, so the pair was made there already.  (Different rows
 * meeting on a 32-bit key are not looked for: such a pair is made
 * twice, and the final deduplication drops the copy.) */
static int met_earlier(const lsh_job *job, const uint32_t *x,
                       const uint32_t *y, unsigned band)
{
    unsigned r = job->conf->rows, end = band * r, s = 0;

    while (s < end) {
        unsigned b;

        if (s + 8 <= end && !any_equal8(x + s, y + s)) {
            s += 8;
            continue;
        }
        if (x[s] != y[s]) {
            s++;
            continue;
        }
        b = s / r;
        if (memcmp(x + b * r, y + b * r, r * sizeof(*x)) == 0 &&
            (job->skipped[b].n == 0 ||
             !skipped_has(&job->skipped[b],
                          band_key(x + b * r, r,
                                   band_seed(job->seed, b, r)))))
            return 1;
        s = (b + 1) * r;
    }
    return 0;
}

#if defined(__GNUC__)
#define LSH_PREFETCH(p) __builtin_prefetch(p)
#else
#define LSH_PREFETCH(p) ((void)(p))
#endif

/* Members of buckets fetched ahead of the one being paired: their low
 * bytes (or signatures) lie anywhere in memory, and waiting for them is
 * most of the work. */
#define LSH_AHEAD 12

/* Task t of the phase before the bands: the low byte of each slot of
 * the t-th share of the documents. */
static int make_bytes(lsh_job *job, lsh_worker *w, unsigned t)
{
    size_t lo = (size_t)job->k * (job->n * (size_t)t / job->nw);
    size_t hi = (size_t)job->k * (job->n * (size_t)(t + 1) / job->nw), i;
    uint8_t *bytes = (uint8_t *)job->bytes;

    DF_UNUSED(w);
    for (i = lo; i < hi; i++)
        bytes[i] = (uint8_t)job->sig[i];
    return 0;
}

unsigned lsh_equal_bytes(const uint8_t *x, const uint8_t *y, unsigned k)
{
    unsigned i = 0, eq = 0;

#if defined(__SSE2__)
    /* gcc's vectorised loop widens each compare to 32-bit lanes (21
     * instructions a 16 bytes); counting in the byte lanes and summing
     * them with psadbw takes 4, and 64 bytes a step in two accumulators
     * (a lane gains at most 2 a step: 127 steps fit a byte) leave no
     * loop per 16 bytes: 16.5-19.7 ns a pair of 128 bytes, not
     * 21.3-22.7, in a micro-benchmark of bucket-like reads. */
    while (i + 64 <= k) {
        __m128i acc0 = _mm_setzero_si128(), acc1 = _mm_setzero_si128();
        unsigned end = k - i > 127 * 64 ? i + 127 * 64 : k;

        for (; i + 64 <= end; i += 64) {
            const __m128i *px = (const __m128i *)(x + i);
            const __m128i *py = (const __m128i *)(y + i);

            acc0 = _mm_sub_epi8(acc0, _mm_cmpeq_epi8(_mm_loadu_si128(px),
                                                     _mm_loadu_si128(py)));
            acc1 = _mm_sub_epi8(acc1, _mm_cmpeq_epi8(
                                          _mm_loadu_si128(px + 1),
                                          _mm_loadu_si128(py + 1)));
            acc0 = _mm_sub_epi8(acc0, _mm_cmpeq_epi8(
                                          _mm_loadu_si128(px + 2),
                                          _mm_loadu_si128(py + 2)));
            acc1 = _mm_sub_epi8(acc1, _mm_cmpeq_epi8(
                                          _mm_loadu_si128(px + 3),
                                          _mm_loadu_si128(py + 3)));
        }
        acc0 = _mm_add_epi64(_mm_sad_epu8(acc0, _mm_setzero_si128()),
                             _mm_sad_epu8(acc1, _mm_setzero_si128()));
        eq += (unsigned)_mm_cvtsi128_si32(acc0) +
              (unsigned)_mm_cvtsi128_si32(_mm_srli_si128(acc0, 8));
    }
#endif
    for (; i < k; i++)
        eq += x[i] == y[i];
    return eq;
}

/* Whether filter->keep surely rejects (a, b): by keep_model, from the
 * bound on equal slots and the two sizes alone, without the 4 k bytes
 * of each signature. */
static int surely_dropped(const lsh_job *job, uint32_t a, uint32_t b)
{
    unsigned k = job->k;
    unsigned u = job->equal_bytes(job->bytes + (size_t)a * k,
                                  job->bytes + (size_t)b * k, k);
    double na = (double)job->filter->sizes[a];
    double nb = (double)job->filter->sizes[b];

    return na < nb ? nb < job->drop_below[u] * na
                   : na < job->drop_below[u] * nb;
}

static void prefetch_sig(const lsh_job *job, uint32_t id)
{
    const uint32_t *x = job->sig + (size_t)id * job->k;
    unsigned s;

    for (s = 0; s < job->k; s += 16)
        LSH_PREFETCH(x + s);
}

static void prefetch_doc(const lsh_job *job, uint32_t id)
{
    unsigned s;

    if (!job->bytes) {
        prefetch_sig(job, id);
        return;
    }
    for (s = 0; s < job->k; s += 64)
        LSH_PREFETCH(job->bytes + (size_t)id * job->k + s);
    LSH_PREFETCH(job->filter->sizes + id);
    if (job->parent)
        LSH_PREFETCH(job->parent + id);
}

/* Slots of the table of pairs judged: 2^20 (8 MiB) at most. */
#define LSH_SEEN_BITS 20

/* Size ratios max/min are tried from 1 to 2^DROP_LOG2, the exponent's
 * interval halved DROP_STEPS times (to under 1%). */
#define DROP_LOG2 40
#define DROP_STEPS 12

/* keep_model for u equal slots and sizes N and N * 2^e, N = 2^20; *ratio
 * receives the ratio of the two sizes (as rounded to integers). */
static int model_at(const lsh_filter *f, unsigned u, double e, double *ratio)
{
    uint64_t na = 1u << 20, nb = (uint64_t)((double)na * exp2(e));

    *ratio = (double)nb / (double)na;
    return f->keep_model(f->arg, u, na, nb);
}

/* drop[u], u = 0..k: a pair with at most u equal slots whose size ratio
 * max/min is below drop[u] is surely rejected by filter->keep.  For
 * each u, keep_model gives the largest ratio tried that it rejects
 * (keep_model rises with the ratio: smaller ones are rejected too),
 * less a relative 1e-9 for rounding; drop[u] is the least of these for
 * u' <= u (keep_model rises with eq too, but this needs no proof of
 * it).  It is 0 from the first u kept at ratio 1 on, so the table costs
 * about DROP_STEPS calls for each u below that. */
static void drop_table(const lsh_filter *f, unsigned k, double *drop)
{
    double least = INFINITY;
    unsigned u;

    for (u = 0; u <= k; u++) {
        double lo = 0, hi = DROP_LOG2, r_lo, r;
        int step;

        if (least == 0 || model_at(f, u, 0, &r_lo)) {
            least = 0;
        } else {
            if (!model_at(f, u, hi, &r))
                r_lo = r;      /* rejected up to 2^40: take that */
            else
                for (step = 0; step < DROP_STEPS; step++) {
                    double mid = (lo + hi) / 2;

                    if (model_at(f, u, mid, &r)) {
                        hi = mid;
                    } else {
                        lo = mid;
                        r_lo = r;
                    }
                }
            r_lo *= 1 - 1e-9;
            least = r_lo < least ? r_lo : least;
        }
        drop[u] = least;
    }
}

/* Pairs judged already: a lossy table shared by the workers, a pair
 * (a << 32 | b, never 0) in the slot its hash picks, the last one put
 * there winning.  A pair found in it was, or is being, judged by some
 * worker (it is put there after its judgement, never before: a
 * worker on a later band that met_earlier sends away must not stop the
 * worker on the earlier band from judging it), so it is skipped; a pair
 * not found is looked for by met_earlier as before.  Near-duplicates meet in many
 * bands (5.5 M meetings of the 93 M at a million documents pass the low
 * bytes, for 243 k judgements): one read in 8 MiB here instead of two
 * signatures anywhere in 512 MB.  The judgement depends on the pair
 * only, so the output stays the same for every thread count and every
 * interleaving. */
static size_t seen_slot(const lsh_job *job, uint64_t pair)
{
    return (size_t)((pair * 0x9E3779B97F4A7C15ULL) >> (64 - job->seen_bits));
}

static int seen_has(const lsh_job *job, uint64_t pair)
{
    return __atomic_load_n(&job->seen[seen_slot(job, pair)],
                           __ATOMIC_RELAXED) == pair;
}

static void seen_put(const lsh_job *job, uint64_t pair)
{
    __atomic_store_n(&job->seen[seen_slot(job, pair)], pair,
                     __ATOMIC_RELAXED);
}

/* The table starts with about a slot per document, which is plenty when
 * pairs are few; where they outnumber its slots (file trees of headers
 * that share licence texts: 713 k pairs judged among 8,000 documents
 * on /usr/include), most repeat meetings missed it and went to
 * met_earlier, which reads both signatures.  Between two groups of
 * bands (no worker running) a table with fewer than two slots a pair
 * kept so far is replaced by one with at least that many (at most
 * 2^LSH_SEEN_BITS) holding the same pairs; kept pairs count the judged
 * ones from below.  No memory: the old table stays, which is only
 * slower. */
static void seen_grow(lsh_job *job)
{
    size_t pairs = 0, i, old = (size_t)1 << job->seen_bits;
    unsigned t, bits = job->seen_bits, obits = job->seen_bits;
    uint64_t *tab, *prev = job->seen;

    for (t = 0; t < job->nw; t++)
        pairs += job->w[t].n;
    while (bits < LSH_SEEN_BITS && ((size_t)1 << bits) < 2 * pairs)
        bits++;
    if (bits == obits ||
        !(tab = bigmem_alloc(((size_t)1 << bits) * sizeof(*tab))))
        return;
    memset(tab, 0, ((size_t)1 << bits) * sizeof(*tab));
    job->seen = tab;
    job->seen_bits = bits;
    for (i = 0; i < old; i++)
        if (prev[i])
            seen_put(job, prev[i]);
    free(prev);
}

/* Whether a and b are in one group of filter->join already. */
static int joined(const lsh_job *job, uint32_t a, uint32_t b)
{
    return ufs_find(job->parent, a) == ufs_find(job->parent, b);
}

/* Judges pair (a << 32 | b) of band: skipped when the table or
 * met_earlier shows it judged elsewhere (or filter->join, joined), else
 * stored if filter->keep accepts it. */
static int judge_pair(lsh_job *job, lsh_worker *w, uint64_t pair,
                      unsigned band)
{
    uint32_t a = (uint32_t)(pair >> 32), b = (uint32_t)pair;
    int keep;

    if (seen_has(job, pair) ||
        (job->parent && joined(job, a, b)) ||
        met_earlier(job, job->sig + (size_t)a * job->k,
                    job->sig + (size_t)b * job->k, band))
        return 0;
    keep = job->filter ? job->filter->keep(job->filter->arg, a, b) : 1;
    if (keep) {
        DF_TRY(DF_GROW(w->pairs, w->cap, w->n + 1));
        w->pairs[w->n++] = pair;
        if (keep == LSH_SURE && job->parent)
            ufs_union(job->parent, a, b);
    }
    seen_put(job, pair);
    return 0;
}

/* Pairs that pass the low bytes wait in a first queue while their slot
 * of the table of pairs judged is fetched, then those not found there
 * in a second while their signatures are (a pair a slot, 0 = none):
 * met_earlier and the filter read both, anywhere in memory. */
#define LSH_QUEUE 16
#define LSH_QUEUE2 8

typedef struct {
    uint64_t seen[LSH_QUEUE];   /* pairs whose table slot is fetched */
    uint64_t sig[LSH_QUEUE2];   /* pairs whose signatures are fetched */
    unsigned si, gi;            /* next place in each, mod its size */
} lsh_queue;

/* Moves pair (or 0) from the first queue to the second unless the table
 * shows it judged; judges the pair it pushes out.  Zeros pushed through
 * both queues flush them. */
static int queue_sig(lsh_job *job, lsh_worker *w, lsh_queue *q,
                     uint64_t pair, unsigned band)
{
    uint64_t *at = &q->sig[q->gi++ % LSH_QUEUE2];

    if (pair && seen_has(job, pair))
        return 0;
    if (*at)
        DF_TRY(judge_pair(job, w, *at, band));
    *at = pair;
    if (pair) {
        prefetch_sig(job, (uint32_t)(pair >> 32));
        prefetch_sig(job, (uint32_t)pair);
    }
    return 0;
}

static int queue_pair(lsh_job *job, lsh_worker *w, lsh_queue *q,
                      uint64_t pair, unsigned band)
{
    uint64_t *at = &q->seen[q->si++ % LSH_QUEUE];

    DF_TRY(queue_sig(job, w, q, *at, band));
    *at = pair;
    if (pair)
        LSH_PREFETCH(&job->seen[seen_slot(job, pair)]);
    return 0;
}

/* The pairs of bucket mem[i .. j) under filter->join: a pair already
 * joined is skipped, and once every member after x is joined with x,
 * so are all the pairs left.  n near copies of a text then cost a few
 * passes of n over each bucket they share, not n (n - 1) / 2 pairs. */
static int emit_joining(lsh_job *job, lsh_worker *w, lsh_queue *q,
                        const uint64_t *mem, size_t i, size_t j,
                        unsigned band)
{
    size_t x, y;

    for (x = i; x + 1 < j; x++) {
        uint32_t a = (uint32_t)mem[x], ra = ufs_find(job->parent, a);
        int all = 1;

        for (y = x + 1; y < j; y++) {
            uint32_t b = (uint32_t)mem[y], rb = ufs_find(job->parent, b);

            /* a's root moves when a join links it under another. */
            if (rb == ra || rb == (ra = ufs_find(job->parent, a)))
                continue;
            all = 0;
            if (job->bytes && surely_dropped(job, a, b))
                continue;
            DF_TRY(queue_pair(job, w, q, (uint64_t)a << 32 | b, band));
        }
        if (all)
            break;
    }
    return 0;
}

/* Task g of the third phase: the pairs of the buckets of the group's
 * band g that filter->keep accepts.  A pair the low bytes show to be
 * rejected is dropped first (whether or not an earlier band made it);
 * a pair an earlier band made is not asked again.  So keep is asked
 * about once per distinct pair and configuration, and only the pairs
 * kept are stored. */
static int emit_pairs(lsh_job *job, lsh_worker *w, unsigned g)
{
    const uint64_t *mem = job->rec[g];
    unsigned band = job->first + g, qi;
    size_t i, j, x, y, nmem = job->nmem[g], pf = 0;
    lsh_queue q;

    memset(&q, 0, sizeof(q));
    for (i = 0; i < nmem; i = j) {
        j = bucket_end(mem, i, nmem);
        for (; pf < nmem && pf < j + LSH_AHEAD; pf++)
            prefetch_doc(job, (uint32_t)mem[pf]);
        if (job->parent) {
            DF_TRY(emit_joining(job, w, &q, mem, i, j, band));
            continue;
        }
        for (x = i; x < j; x++) {
            uint32_t a = (uint32_t)mem[x];

            for (y = x + 1; y < j; y++) {
                uint32_t b = (uint32_t)mem[y];

                if (job->bytes && surely_dropped(job, a, b))
                    continue;
                DF_TRY(queue_pair(job, w, &q, (uint64_t)a << 32 | b,
                                  band));
            }
        }
    }
    /* Zeros push the last pairs through both queues. */
    for (qi = 0; qi < LSH_QUEUE + LSH_QUEUE2; qi++)
        DF_TRY(queue_pair(job, w, &q, 0, band));
    return 0;
}

/* All bands of one configuration, LSH_GROUP at a time; the keys of the
 * buckets skipped go to *skips when skips is not NULL. */
static int run_config(lsh_job *job, const lsh_config *conf,
                      lsh_skipped **skips)
{
    unsigned first;
    int rc = DUPFIND_ENOMEM;

    job->conf = conf;
    job->skipped = calloc(conf->bands ? conf->bands : 1,
                          sizeof(*job->skipped));
    if (!job->skipped)
        return rc;
    rc = 0;
    for (first = 0; first < conf->bands; first += LSH_GROUP) {
        job->first = first;
        job->count = conf->bands - first < LSH_GROUP ? conf->bands - first
                                                     : LSH_GROUP;
        if ((rc = run_phase(job, make_records, job->nw)) < 0 ||
            (rc = run_phase(job, sort_records, job->count)) < 0 ||
            (rc = run_phase(job, emit_pairs, job->count)) < 0)
            break;
        seen_grow(job);
    }
    if (skips && rc == 0)
        *skips = job->skipped;
    else
        lsh_skips_free(job->skipped, conf->bands);
    job->skipped = NULL;
    return rc;
}

int lsh_candidates_filter(const uint32_t *sig, unsigned k, uint32_t n,
                          const unsigned char *active,
                          const lsh_config *conf, unsigned nconf,
                          uint64_t seed, const lsh_filter *filter,
                          unsigned threads, uint64_t **out, size_t *out_n)
{
    lsh_job job;
    uint8_t *bytes = NULL;
    double *drop = NULL;
    lsh_worker w[LSH_GROUP];
    uint32_t *ids = NULL;
    uint64_t *pairs = NULL;
    size_t npairs = 0;
    unsigned ci, t, g, nrec = 0;
    uint32_t id, m = 0;
    int rc = DUPFIND_ENOMEM, locked = 0;

    *out = NULL;
    *out_n = 0;
    memset(&job, 0, sizeof(job));
    memset(w, 0, sizeof(w));
    job.nw = threads < 1 ? 1 : threads > LSH_GROUP ? LSH_GROUP : threads;
    ids = malloc((n ? n : 1) * sizeof(*ids));
    if (!ids)
        goto cleanup;
    for (id = 0; id < n; id++)
        if (active[id])
            ids[m++] = id;
    if (m < 2 || nconf == 0) {
        rc = 0;
        goto cleanup;
    }
    if (pthread_mutex_init(&job.lock, NULL) != 0)
        goto cleanup;
    locked = 1;
    job.sig = sig;
    job.k = k;
    job.ids = ids;
    job.m = m;
    job.seed = seed;
    job.n = n;
    job.filter = filter;
    job.w = w;
    if (filter && filter->weight)
        for (t = 0; t < m; t++)
            job.weight_extra += filter->weight[ids[t]] - 1;
    /* About a slot per active document, at most 2^LSH_SEEN_BITS, until
     * seen_grow finds it too small. */
    for (job.seen_bits = 6;
         job.seen_bits < LSH_SEEN_BITS && ((uint32_t)1 << job.seen_bits) < m;
         job.seen_bits++)
        ;
    if (!(job.seen = bigmem_alloc(((size_t)1 << job.seen_bits) *
                               sizeof(*job.seen))))
        goto cleanup;
    if (filter && filter->join) {
        if (!(job.parent = malloc((size_t)n * sizeof(*job.parent))))
            goto cleanup;
        for (id = 0; id < n; id++)
            job.parent[id] = id;
    }
    memset(job.seen, 0, ((size_t)1 << job.seen_bits) * sizeof(*job.seen));
    if (filter && filter->keep_model) {
        /* For the single-row bands most pairs share a slot or two and
         * nothing else: the low bytes, 1/4 of the signatures, are enough
         * to reject them. */
        bytes = bigmem_alloc((size_t)n * k);
        drop = malloc((k + 1) * sizeof(*drop));
        if (!bytes || !drop)
            goto cleanup;
        job.bytes = bytes;
        job.equal_bytes = filter->equal_bytes ? filter->equal_bytes
                                              : lsh_equal_bytes;
        job.drop_below = drop;
        drop_table(filter, k, drop);
        if ((rc = run_phase(&job, make_bytes, job.nw)) < 0)
            goto cleanup;
        rc = DUPFIND_ENOMEM;
    }
    for (ci = 0; ci < nconf; ci++)
        if (conf[ci].bands > nrec)
            nrec = conf[ci].bands;
    if (nrec > LSH_GROUP)
        nrec = LSH_GROUP;
    for (g = 0; g < nrec; g++)
        if (!(job.rec[g] = bigmem_alloc((size_t)m * sizeof(uint64_t))))
            goto cleanup;
    /* About 8 counters per active document, at least 64 (a word). */
    for (job.once_bits = 6; job.once_bits < LSH_ONCE_BITS &&
                            ((size_t)1 << job.once_bits) < 8 * (size_t)m;
         job.once_bits++)
        ;
    for (t = 0; t < job.nw; t++)
        if (!(w[t].tmp = bigmem_alloc((size_t)m * sizeof(uint64_t))) ||
            !(w[t].once = bigmem_alloc(((size_t)1 << job.once_bits) / 32 *
                                       sizeof(uint64_t))))
            goto cleanup;
    for (ci = 0; ci < nconf; ci++)
        if ((rc = run_config(&job, &conf[ci],
                             filter && filter->skips ? &filter->skips[ci]
                                                     : NULL)) < 0)
            goto cleanup;
    rc = DUPFIND_ENOMEM;
    /* Workers keep their pairs apart; joined, sorted and deduplicated
     * the list is the same for any number of them. */
    for (t = 0; t < job.nw; t++) {
        free(w[t].tmp);
        free(w[t].once);
        w[t].tmp = NULL;
        w[t].once = NULL;
        npairs += w[t].n;
    }
    for (g = 0; g < LSH_GROUP; g++) {
        free(job.rec[g]);
        job.rec[g] = NULL;
    }
    free(bytes);
    bytes = NULL;
    if (npairs) {
        size_t at = 0;

        if (!(pairs = malloc(npairs * sizeof(*pairs))))
            goto cleanup;
        for (t = 0; t < job.nw; t++) {
            if (w[t].n)
                memcpy(pairs + at, w[t].pairs, w[t].n * sizeof(*pairs));
            at += w[t].n;
            free(w[t].pairs);
            w[t].pairs = NULL;
        }
        pairs_compact(pairs, &npairs);
    }
    *out = pairs;
    *out_n = npairs;
    pairs = NULL;
    rc = 0;
cleanup:
    for (t = 0; t < LSH_GROUP; t++) {
        free(w[t].tmp);
        free(w[t].once);
        free(w[t].pairs);
    }
    for (g = 0; g < LSH_GROUP; g++)
        free(job.rec[g]);
    if (locked)
        pthread_mutex_destroy(&job.lock);
    free(bytes);
    free(drop);
    free(job.seen);
    if (rc == 0 && filter && filter->groups && job.parent) {
        *filter->groups = job.parent;
        job.parent = NULL;
    }
    free(job.parent);
    free(ids);
    free(pairs);
    return rc;
}

int lsh_candidates(const uint32_t *sig, unsigned k, uint32_t n,
                   const unsigned char *active, const lsh_config *conf,
                   unsigned nconf, uint64_t seed,
                   uint64_t **out, size_t *out_n)
{
    return lsh_candidates_filter(sig, k, n, active, conf, nconf, seed,
                                 NULL, 1, out, out_n);
}

int lsh_pair_meets(const uint32_t *x, const uint32_t *y,
                   const lsh_config *conf, unsigned nconf, uint64_t seed,
                   lsh_skipped *const *skips)
{
    unsigned ci, b;

    for (ci = 0; ci < nconf; ci++) {
        unsigned r = conf[ci].rows;

        for (b = 0; b < conf[ci].bands; b++) {
            const uint32_t *xb = x + (size_t)b * r, *yb = y + (size_t)b * r;
            uint64_t bs = band_seed(seed, b, r);
            uint32_t key = band_key(xb, r, bs);

            /* Equal rows make equal keys; other rows may too (32 bits),
             * and LSH pairs them all the same. */
            if ((r == 1 ? xb[0] != yb[0]
                        : memcmp(xb, yb, r * sizeof(*xb)) != 0 &&
                              key != band_key(yb, r, bs)))
                continue;
            if (conf[ci].cap && skips && skips[ci] &&
                skipped_has(&skips[ci][b], key))
                continue;
            return 1;
        }
    }
    return 0;
}
