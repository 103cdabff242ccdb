/*
 * ctx.c - options, the context and its corpus of signatures.
 *
 * Per document the context keeps num_perm 32-bit slots (512 bytes at the
 * default 128) in one contiguous array, the distinct-shingle count,
 * the sample (about one shingle in 16, 4 bytes each: a quarter of a
 * byte a shingle) and the name; text is never kept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "ctx.h"
#include "internal.h"
#include "lsh.h"

#define TOKEN_SEED_TAG   0x746f6b656eULL    /* "token" */
#define SHINGLE_SEED_TAG 0x7368696e676cULL  /* "shingl" */

void dupfind_options_init(dupfind_options *o)
{
    memset(o, 0, sizeof(*o));
    o->version = DUPFIND_OPTIONS_VERSION;
    o->shingle_kind = DUPFIND_SHINGLE_WORDS;
    o->shingle_len = 5;
    o->num_perm = 128;
    o->threshold = 0.5;
    o->containment = 0.5;
    o->seed = 0;
    o->simd = DUPFIND_SIMD_AUTO;
}

const char *dupfind_strerror(int code)
{
    switch (code) {
    case DUPFIND_OK:        return "success";
    case DUPFIND_ENOMEM:    return "out of memory";
    case DUPFIND_EINVAL:    return "invalid argument";
    case DUPFIND_EIO:       return "input/output error";
    case DUPFIND_EENCODING: return "text could not be decoded";
    case DUPFIND_ELIMIT:    return "size limit exceeded";
    default:                return "error";
    }
}

const char *dupfind_version(void)
{
    return DUPFIND_VERSION_STRING;
}

size_t dupfind_simd_kernels(char *buf, size_t len)
{
    return sketch_kernels_available(buf, len);
}

static int fail(char *buf, size_t len, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *buf, size_t len, int code, const char *fmt, ...)
{
    va_list ap;

    if (buf && len) {
        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int check_options(const dupfind_options *o, char *eb, size_t el)
{
    if (o->version != DUPFIND_OPTIONS_VERSION)
        return fail(eb, el, DUPFIND_EINVAL, "options version %u, want %u",
                    o->version, DUPFIND_OPTIONS_VERSION);
    if (o->shingle_kind != DUPFIND_SHINGLE_WORDS &&
        o->shingle_kind != DUPFIND_SHINGLE_CHARS)
        return fail(eb, el, DUPFIND_EINVAL, "unknown shingle kind");
    if (o->shingle_len < 1 || o->shingle_len > SHINGLE_MAX_K)
        return fail(eb, el, DUPFIND_EINVAL,
                    "shingle length %u is not in 1..%d", o->shingle_len,
                    SHINGLE_MAX_K);
    if (o->num_perm < 1 || o->num_perm > 4096)
        return fail(eb, el, DUPFIND_EINVAL,
                    "signature length %u is not in 1..4096", o->num_perm);
    if (!(o->threshold > 0.0 && o->threshold <= 1.0))
        return fail(eb, el, DUPFIND_EINVAL,
                    "threshold %g is not in (0, 1]", o->threshold);
    if (!(o->containment >= 0.0 && o->containment <= 1.0))
        return fail(eb, el, DUPFIND_EINVAL,
                    "containment %g is not in [0, 1]", o->containment);
    if (o->bands > o->num_perm)
        return fail(eb, el, DUPFIND_EINVAL,
                    "%u bands do not fit a signature of %u", o->bands,
                    o->num_perm);
    if (o->bands && o->rows &&
        (uint64_t)o->bands * o->rows > o->num_perm)
        return fail(eb, el, DUPFIND_EINVAL,
                    "%u bands of %u rows do not fit a signature of %u",
                    o->bands, o->rows, o->num_perm);
    return 0;
}

int dupfind_ctx_new(dupfind_ctx **out, const dupfind_options *opts,
                    char *errbuf, size_t errbuf_len)
{
    dupfind_options def;
    dupfind_ctx *c;
    int rc;

    *out = NULL;
    if (errbuf && errbuf_len)
        errbuf[0] = '\0';
    if (!opts) {
        dupfind_options_init(&def);
        opts = &def;
    }
    DF_TRY(check_options(opts, errbuf, errbuf_len));
    c = calloc(1, sizeof(*c));
    if (!c)
        return DUPFIND_ENOMEM;
    c->opts = *opts;
    if (!c->opts.bands) {
        if (c->opts.threshold >= 1.0) {
            c->opts.bands = 1;            /* exact signature match */
            c->opts.rows = c->opts.num_perm;
        } else {
            lsh_choose_params(c->opts.num_perm, c->opts.threshold,
                              &c->opts.bands, &c->opts.rows);
        }
    } else if (!c->opts.rows) {
        c->opts.rows = c->opts.num_perm / c->opts.bands;
    }
    c->kernel = sketch_select(opts->simd, &c->kernel_name);
    c->merge = sketch_merge_select(opts->simd);
    c->merge32 = sketch_merge32_select(opts->simd);
    c->eqbytes = sketch_eqbytes_select(opts->simd);
    if (!c->kernel || !c->merge || !c->merge32 || !c->eqbytes) {
        free(c);
        return fail(errbuf, errbuf_len, DUPFIND_EINVAL,
                    "SIMD level not supported by this build or CPU");
    }
    c->token_seed = opts->seed ^ TOKEN_SEED_TAG;
    c->shingle_seed = opts->seed ^ SHINGLE_SEED_TAG;
    rc = sketch_params_init(&c->sp, c->opts.num_perm, opts->seed);
    if (rc < 0) {
        free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void dupfind_ctx_free(dupfind_ctx *c)
{
    if (!c)
        return;
    sketch_params_release(&c->sp);
    bigmem_map_free(c->sig, c->sig_cap, c->opts.num_perm * sizeof(*c->sig));
    free(c->shingles);
    bigmem_map_free(c->samp, c->samp_cap, sizeof(*c->samp));
    free(c->samp_off);
    free(c->samp_n);
    free(c->samp_shift);
    free(c->name_off);
    free(c->names);
    free(c);
}

const dupfind_options *dupfind_ctx_options(const dupfind_ctx *c)
{
    return &c->opts;
}

const char *dupfind_ctx_errmsg(const dupfind_ctx *c)
{
    return c->errmsg;
}

const char *dupfind_ctx_simd_name(const dupfind_ctx *c)
{
    return c->kernel_name;
}

static int ctx_reserve(dupfind_ctx *c, size_t need)
{
    size_t ncap, k = c->opts.num_perm;
    void *p;

    if (need <= c->cap)
        return 0;
    ncap = c->cap ? c->cap * 2 : 256;
    while (ncap < need)
        ncap *= 2;
    /* Grow each array; a failure leaves the larger ones in place, which
     * is harmless since cap only moves once all have grown. */
    /* The signatures, 512 bytes a document (bigmem.h). */
    if (bigmem_map_grow((void **)&c->sig, &c->sig_cap, ncap,
                        k * sizeof(*c->sig)))
        return DUPFIND_ENOMEM;
    if (!(p = realloc(c->shingles, ncap * sizeof(*c->shingles))))
        return DUPFIND_ENOMEM;
    c->shingles = p;
    if (!(p = realloc(c->samp_off, ncap * sizeof(*c->samp_off))))
        return DUPFIND_ENOMEM;
    c->samp_off = p;
    if (!(p = realloc(c->samp_n, ncap * sizeof(*c->samp_n))))
        return DUPFIND_ENOMEM;
    c->samp_n = p;
    if (!(p = realloc(c->samp_shift, ncap * sizeof(*c->samp_shift))))
        return DUPFIND_ENOMEM;
    c->samp_shift = p;
    if (!(p = realloc(c->name_off, ncap * sizeof(*c->name_off))))
        return DUPFIND_ENOMEM;
    c->name_off = p;
    c->cap = ncap;
    return 0;
}

int dupfind_ctx_add(dupfind_ctx *c, uint32_t *out_id, const char *name,
                    size_t name_len, const dupfind_doc *d)
{
    return dupfind_ctx_add_sketch(c, out_id, name, name_len, d->sig,
                                  dupfind_doc_shingle_count(d), d->samp32,
                                  d->samp32_len, d->samp_shift);
}

int dupfind_ctx_add_signature(dupfind_ctx *c, uint32_t *out_id,
                              const char *name, size_t name_len,
                              const uint32_t *sig, uint64_t shingles)
{
    return dupfind_ctx_add_sketch(c, out_id, name, name_len, sig, shingles,
                                  NULL, 0, 0);
}

int dupfind_ctx_add_sketch(dupfind_ctx *c, uint32_t *out_id,
                           const char *name, size_t name_len,
                           const uint32_t *sig, uint64_t shingles,
                           const uint32_t *sample, size_t nsample,
                           unsigned shift)
{
    size_t k = c->opts.num_perm;

    if (c->n >= UINT32_MAX - 1) {
        snprintf(c->errmsg, sizeof(c->errmsg), "too many documents");
        return DUPFIND_ELIMIT;
    }
    if (sample && (nsample >= CTX_NO_SAMPLE || shift >= 32 ||
                   (shift && shift != DOC_SAMPLE_SHIFT))) {
        snprintf(c->errmsg, sizeof(c->errmsg), "not a dupfind_doc_sample");
        return DUPFIND_EINVAL;
    }
    if (ctx_reserve(c, (size_t)c->n + 1) < 0 ||
        DF_GROW(c->names, c->names_cap, c->names_len + name_len + 1) < 0 ||
        (sample && bigmem_map_grow((void **)&c->samp, &c->samp_cap,
                                   c->samp_len + nsample,
                                   sizeof(*c->samp)) < 0)) {
        snprintf(c->errmsg, sizeof(c->errmsg), "out of memory");
        return DUPFIND_ENOMEM;
    }
    memcpy(c->sig + (size_t)c->n * k, sig, k * sizeof(*c->sig));
    c->shingles[c->n] = shingles;
    c->samp_off[c->n] = c->samp_len;
    c->samp_n[c->n] = sample ? (uint32_t)nsample : CTX_NO_SAMPLE;
    c->samp_shift[c->n] = (unsigned char)shift;
    if (sample && nsample) {
        memcpy(c->samp + c->samp_len, sample, nsample * sizeof(*c->samp));
        c->samp_len += nsample;
    }
    c->name_off[c->n] = c->names_len;
    memcpy(c->names + c->names_len, name, name_len);
    c->names[c->names_len + name_len] = '\0';
    c->names_len += name_len + 1;
    if (out_id)
        *out_id = c->n;
    c->n++;
    return 0;
}

uint32_t dupfind_ctx_doc_count(const dupfind_ctx *c)
{
    return c->n;
}

const char *dupfind_ctx_doc_name(const dupfind_ctx *c, uint32_t id,
                                 size_t *len)
{
    size_t end;

    if (id >= c->n)
        return NULL;
    end = id + 1 < c->n ? c->name_off[id + 1] - 1 : c->names_len - 1;
    if (len)
        *len = end - c->name_off[id];
    return c->names + c->name_off[id];
}

uint64_t dupfind_ctx_doc_shingles(const dupfind_ctx *c, uint32_t id)
{
    return id < c->n ? c->shingles[id] : 0;
}
