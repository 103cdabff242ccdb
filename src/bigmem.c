/*
 * bigmem.c - large buffers on 2 MiB pages (see bigmem.h).
 */
#define _POSIX_C_SOURCE 200809L
#define _GNU_SOURCE              /* madvise, MADV_HUGEPAGE, mremap */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "bigmem.h"

#if defined(__linux__) && defined(MREMAP_MAYMOVE)
#define BIGMEM_MREMAP 1
#endif

/* Asks for huge pages over the whole 4 KiB pages of p[0 .. size). */
static void advise(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t a = (uintptr_t)p, lo = (a + 4095) & ~(uintptr_t)4095,
              hi = (a + size) & ~(uintptr_t)4095;

    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

void *bigmem_alloc(size_t size)
{
    void *p = NULL;

    if (size < BIGMEM_PAGE)
        return malloc(size ? size : 1);
    if (posix_memalign(&p, BIGMEM_PAGE, size) != 0)
        return NULL;
    advise(p, size);
    return p;
}

/* The capacity after doubling cap until it holds need elements of elem
 * bytes, or 0 when that many bytes do not fit a size_t. */
static size_t grown(size_t cap, size_t need, size_t elem)
{
    size_t ncap = cap ? cap : 16;

    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return 0;
        ncap *= 2;
    }
    return ncap;
}

int bigmem_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return 0;
    if (!(ncap = grown(*cap, need, elem)))
        return -1;
    if (ncap * elem < BIGMEM_PAGE) {
        p = realloc(*buf, ncap * elem);
        if (!p)
            return -1;
    } else {
        /* A new buffer and a copy.  realloc would copy into memory of
         * its own choosing (glibc serves even large blocks from the heap
         * once some have been freed), faulting it in 4 KiB at a time,
         * and would not keep the alignment.  Doubling keeps the copies
         * below the final size in all. */
        p = bigmem_alloc(ncap * elem);
        if (!p)
            return -1;
        if (*cap)
            memcpy(p, *buf, *cap * elem);
        free(*buf);
    }
    *buf = p;
    *cap = ncap;
    return 0;
}

#ifdef BIGMEM_MREMAP
/* Bytes of a mapping of n elements of elem bytes: whole 4 KiB pages. */
static size_t map_bytes(size_t n, size_t elem)
{
    return (n * elem + 4095) & ~(size_t)4095;
}
#endif

int bigmem_map_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return 0;
    if (!(ncap = grown(*cap, need, elem)))
        return -1;
#ifdef BIGMEM_MREMAP
    if (*cap)
        p = mremap(*buf, map_bytes(*cap, elem), map_bytes(ncap, elem),
                   MREMAP_MAYMOVE);
    else
        p = mmap(NULL, map_bytes(ncap, elem), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    advise(p, map_bytes(ncap, elem));
#else
    p = realloc(*buf, ncap * elem);
    if (!p)
        return -1;
#endif
    *buf = p;
    *cap = ncap;
    return 0;
}

void bigmem_map_free(void *buf, size_t cap, size_t elem)
{
#ifdef BIGMEM_MREMAP
    if (buf && cap)
        (void)munmap(buf, map_bytes(cap, elem));
#else
    (void)cap;
    (void)elem;
    free(buf);
#endif
}
