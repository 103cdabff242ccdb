/*
 * bigmem.c - large buffers on 2 MiB pages (see bigmem.h).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE          /* madvise, MADV_HUGEPAGE */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "bigmem.h"

void *bigmem_alloc(size_t size)
{
    void *p = NULL;

    if (size < BIGMEM_PAGE)
        return malloc(size ? size : 1);
    if (posix_memalign(&p, BIGMEM_PAGE, size) != 0)
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, size & ~(BIGMEM_PAGE - 1), MADV_HUGEPAGE);
#endif
    return p;
}

int bigmem_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return -1;
        ncap *= 2;
    }
    if (ncap * elem < BIGMEM_PAGE) {
        p = realloc(*buf, ncap * elem);
        if (!p)
            return -1;
    } else {
        /* A copy, not realloc: realloc would not keep the alignment.
         * Doubling keeps the copies below the final size in all. */
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
