/*
 * json.c - just enough JSON for --records=jsonl: validate one line as a
 * JSON value (RFC 8259) and pull out up to two fields by dotted path
 * ("meta.id" is key "id" of the object under key "meta").  Strings are
 * decoded to UTF-8 (\uXXXX escapes and surrogate pairs; a lone
 * surrogate becomes U+FFFD).  Nesting deeper than JSON_MAX_DEPTH is
 * refused, so hostile input cannot exhaust the stack.  When a key occurs
 * twice in one object, the first occurrence counts.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <utf8proc.h>

#include "../bigmem.h"   /* the one library-internal header the CLI uses */
#include "json.h"

#define JSON_MAX_DEPTH 256

typedef struct {
    const unsigned char *p, *end;
    const char *err;            /* first error, static text */
    json_field *fields;
    unsigned nfields;
} parser;

static int fail(parser *ps, const char *why)
{
    if (!ps->err)
        ps->err = why;
    return -1;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
            *ps->p == '\r'))
        ps->p++;
}

static int hex4(const unsigned char *s, unsigned *out)
{
    unsigned v = 0, i;

    for (i = 0; i < 4; i++) {
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* UTF-8 of a code point (never a surrogate here): utf8proc's encoder. */
static size_t put_utf8(char *o, unsigned cp)
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
                                        (utf8proc_uint8_t *)o);
}

/* Bytes of p[0 .. n) before the first that ends a run of plain string
 * characters: a quote, a backslash or a control character.  16 bytes
 * at a time where SSE2 is there: the text field of a JSON Lines record
 * is most of the input. */
static size_t plain_span(const unsigned char *p, size_t n)
{
    size_t i = 0;

#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
    const __m128i ctl = _mm_set1_epi8(0x1F);

    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i stop = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bs)),
            _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);

        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < n; i++)
        if (p[i] == '"' || p[i] == '\\' || p[i] < 0x20)
            break;
    return i;
}

/* Parses a string at ps->p (on the opening quote).  With out != NULL
 * the decoded bytes are stored in *out, *outlen bytes: malloc'd and
 * NUL-terminated, or, when *borrow is set, within the input (*borrow
 * stays set; else it is cleared): a string without escapes as it is,
 * one with escapes decoded over its own bytes, which json_extract's
 * caller gave writable.  Decoded text is never longer than the raw
 * text (an escape of 2, 6 or 12 bytes gives at most 1, 3 or 4), so the
 * decoder writes only bytes it has read already. */
static int parse_string(parser *ps, char **out, size_t *outlen,
                        int *borrow)
{
    const unsigned char *s = ++ps->p;
    char *o = NULL;
    size_t n = 0;
    int escaped = 0, own = 0;

    for (;;) {
        ps->p += plain_span(ps->p, (size_t)(ps->end - ps->p));
        if (ps->p >= ps->end || *ps->p == '"')
            break;
        if (*ps->p < 0x20)
            return fail(ps, "control character in string");
        /* a backslash */
        if (ps->p + 1 >= ps->end)
            return fail(ps, "unterminated string");
        ps->p += ps->p[1] == 'u' ? 6 : 2;
        if (ps->p > ps->end)
            return fail(ps, "bad \\u escape");
        escaped = 1;
    }
    if (ps->p >= ps->end)
        return fail(ps, "unterminated string");
    if (out && borrow && *borrow) {
        o = (char *)s;                 /* the line is writable */
    } else if (out) {
        if (borrow)
            *borrow = 0;
        o = bigmem_alloc((size_t)(ps->p - s) + 1);  /* texts of MiBs */
        if (!o)
            return fail(ps, "out of memory");
        own = 1;
    }
    if (!escaped) {
        n = (size_t)(ps->p - s);
        if (own)
            memcpy(o, s, n);
        s = ps->p;
    }
    while (s < ps->p) {
        unsigned cp, lo;

        if (*s != '\\') {
            const unsigned char *bsl = memchr(s, '\\', (size_t)(ps->p - s));
            size_t run = bsl ? (size_t)(bsl - s) : (size_t)(ps->p - s);

            /* In place, the run moves left (not at all before the
             * first escape). */
            if (o && o + n != (const char *)s)
                memmove(o + n, s, run);
            n += run;
            s += run;
            continue;
        }
        switch (s[1]) {
        case '"': case '\\': case '/': cp = s[1]; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (hex4(s + 2, &cp) < 0) {
                if (own)
                    free(o);
                return fail(ps, "bad \\u escape");
            }
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && s + 8 <= ps->p &&
                s[2] == '\\' && s[3] == 'u' && hex4(s + 4, &lo) == 0 &&
                lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 0xFFFD;           /* lone surrogate */
            }
            break;
        default:
            if (own)
                free(o);
            return fail(ps, "bad escape in string");
        }
        s += 2;
        if (o) {
            n += put_utf8(o + n, cp);
        } else {
            char tmp[4];
            n += put_utf8(tmp, cp);
        }
    }
    ps->p++;                           /* closing quote */
    if (out) {
        if (own)
            o[n] = '\0';
        *out = o;
        *outlen = n;
    }
    return 0;
}

static int parse_number(parser *ps)
{
    const unsigned char *p = ps->p, *e = ps->end;

    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (p < e && *p >= '1' && *p <= '9')
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    else
        return fail(ps, "bad number");
    if (p < e && *p == '.') {
        p++;
        if (!(p < e && *p >= '0' && *p <= '9'))
            return fail(ps, "bad number");
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (!(p < e && *p >= '0' && *p <= '9'))
            return fail(ps, "bad number");
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    }
    ps->p = p;
    return 0;
}

static int literal(parser *ps, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "unexpected character");
    ps->p += n;
    return 0;
}

/* Which fields continue below this object member: a bit per field whose
 * path matched so far (depth components). */
static unsigned match_key(parser *ps, unsigned live, unsigned depth,
                          const char *key, size_t klen)
{
    unsigned i, next = 0;

    for (i = 0; i < ps->nfields; i++) {
        const json_field *f = &ps->fields[i];
        const char *comp = f->path;
        unsigned d;

        if (!(live & (1u << i)))
            continue;
        for (d = 0; d < depth && comp; d++) {
            comp = strchr(comp, '.');
            if (comp)
                comp++;
        }
        if (!comp)
            continue;
        {
            const char *dot = strchr(comp, '.');
            size_t clen = dot ? (size_t)(dot - comp) : strlen(comp);

            if (clen == klen && memcmp(comp, key, klen) == 0)
                next |= 1u << i;
        }
    }
    return next;
}

static int is_leaf(const json_field *f, unsigned depth)
{
    const char *comp = f->path;
    unsigned d;

    for (d = 0; d < depth && comp; d++) {
        comp = strchr(comp, '.');
        if (comp)
            comp++;
    }
    return comp && !strchr(comp, '.');
}

static int parse_value(parser *ps, unsigned depth, unsigned live,
                       unsigned leaf);

/* malloc'd copy of n bytes at p, NUL-terminated, or NULL. */
static char *copy_z(const void *p, size_t n)
{
    char *c = malloc(n + 1);

    if (c) {
        memcpy(c, p, n);
        c[n] = '\0';
    }
    return c;
}

/* Fills the fields of leaf (not found yet) with the value at start.  A
 * string is parsed here, from ps->p == start, once: into a field that
 * may borrow it if there is one (its decoding may overwrite the line),
 * and copied from there into the others (two paths naming one value).
 * Any other value has been parsed already (ps->p is past it) and each
 * field gets a copy of its text. */
static int capture(parser *ps, unsigned leaf, const unsigned char *start)
{
    json_field *first = NULL;
    unsigned i, fill = 0;

    for (i = 0; i < ps->nfields; i++) {
        json_field *f = &ps->fields[i];

        if (!(leaf & (1u << i)) || f->found)
            continue;
        fill |= 1u << i;
        f->found = 1;
        f->is_string = *start == '"';
        if (f->is_string && (!first || (f->borrow && !first->borrow)))
            first = f;
    }
    if (first) {
        first->borrowed = first->borrow;
        if (parse_string(ps, &first->value, &first->len,
                         &first->borrowed) < 0)
            return -1;
    } else if (*start == '"' && parse_string(ps, NULL, NULL, NULL) < 0) {
        return -1;                 /* every field found before */
    }
    for (i = 0; i < ps->nfields; i++) {
        json_field *f = &ps->fields[i];

        if (!(fill & (1u << i)) || f == first)
            continue;
        if (f->is_string) {
            f->len = first->len;
            f->value = copy_z(first->value, first->len);
        } else {
            f->len = (size_t)(ps->p - start);
            f->value = copy_z(start, f->len);
        }
        if (!f->value)
            return fail(ps, "out of memory");
    }
    return 0;
}

static int parse_object(parser *ps, unsigned depth, unsigned live)
{
    ps->p++;                               /* { */
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        const unsigned char *k;
        unsigned next = 0, leaf = 0, i;

        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"')
            return fail(ps, "expected a key");
        k = ps->p + 1;
        if (parse_string(ps, NULL, NULL, NULL) < 0)
            return -1;
        if (live) {
            /* Keys with escapes never match a path: compare raw bytes. */
            next = match_key(ps, live, depth, (const char *)k,
                             (size_t)(ps->p - 1 - k));
            for (i = 0; i < ps->nfields; i++)
                if ((next & (1u << i)) && is_leaf(&ps->fields[i], depth))
                    leaf |= 1u << i;
            next &= ~leaf;
        }
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':')
            return fail(ps, "expected ':'");
        ps->p++;
        if (parse_value(ps, depth + 1, next, leaf) < 0)
            return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return 0;
        }
        return fail(ps, "expected ',' or '}'");
    }
}

static int parse_array(parser *ps, unsigned depth)
{
    ps->p++;                               /* [ */
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return 0;
    }
    for (;;) {
        if (parse_value(ps, depth + 1, 0, 0) < 0)
            return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return 0;
        }
        return fail(ps, "expected ',' or ']'");
    }
}

static int parse_value(parser *ps, unsigned depth, unsigned live,
                       unsigned leaf)
{
    const unsigned char *start;
    int rc;

    if (depth > JSON_MAX_DEPTH)
        return fail(ps, "nested too deeply");
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, "unexpected end of line");
    start = ps->p;
    if (*ps->p == '"' && leaf)
        return capture(ps, leaf, start);   /* parses the string too */
    switch (*ps->p) {
    case '{': rc = parse_object(ps, depth, live); break;
    case '[': rc = parse_array(ps, depth); break;
    case '"': rc = parse_string(ps, NULL, NULL, NULL); break;
    case 't': rc = literal(ps, "true"); break;
    case 'f': rc = literal(ps, "false"); break;
    case 'n': rc = literal(ps, "null"); break;
    default: rc = parse_number(ps); break;
    }
    if (rc == 0 && leaf)
        rc = capture(ps, leaf, start);
    return rc;
}

int json_extract(char *line, size_t len, json_field *fields,
                 unsigned nfields, const char **err)
{
    parser ps;
    unsigned i;

    memset(&ps, 0, sizeof(ps));
    ps.p = (const unsigned char *)line;
    ps.end = ps.p + len;
    ps.fields = fields;
    ps.nfields = nfields;
    for (i = 0; i < nfields; i++) {
        fields[i].found = 0;
        fields[i].borrowed = 0;
        fields[i].value = NULL;
        fields[i].len = 0;
    }
    skip_ws(&ps);
    if (ps.p < ps.end && *ps.p != '{')
        fail(&ps, "not a JSON object");
    else if (parse_value(&ps, 0, nfields ? (1u << nfields) - 1 : 0, 0) == 0) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            fail(&ps, "text after the JSON value");
    }
    if (ps.err) {
        json_fields_release(fields, nfields);
        *err = ps.err;
        return -1;
    }
    return 0;
}

void json_fields_release(json_field *fields, unsigned nfields)
{
    unsigned i;

    for (i = 0; i < nfields; i++) {
        if (!fields[i].borrowed)
            free(fields[i].value);
        fields[i].value = NULL;
        fields[i].borrowed = 0;
        fields[i].found = 0;
    }
}
