/*
 * bigmem.h - large buffers on 2 MiB pages.
 *
 * Where the system offers huge pages on request (Linux: transparent huge
 * pages in "madvise" mode, the usual default), a buffer of 2 MiB or more
 * is aligned to 2 MiB and asked for them.  That saves a TLB miss on
 * nearly every access to a large array read at random (the low bytes of
 * a million signatures, radix sort scatter) and a page fault every 4 KiB
 * on first touch, which in a virtual machine costs microseconds: the
 * signatures, samples and record buffers of a 100 MB run were 21,000
 * page faults, an eighth of the run.  Smaller buffers come from malloc.
 * Everything here is freed with free().
 *
 * Shared by the library and the dupfind program (which includes this
 * one internal header).
 */
#ifndef DUPFIND_BIGMEM_H
#define DUPFIND_BIGMEM_H

#include <stddef.h>

#define BIGMEM_PAGE ((size_t)2 << 20)

/* size bytes (malloc'd when below BIGMEM_PAGE), or NULL. */
void *bigmem_alloc(size_t size);

/* Grows *buf, of *cap elements of elem bytes, to at least need (the
 * capacity doubles), keeping its contents; from BIGMEM_PAGE bytes on the
 * new buffer is a bigmem_alloc one.  Returns 0, or -1 with *buf and
 * *cap unchanged. */
int bigmem_grow(void **buf, size_t *cap, size_t need, size_t elem);

#define BIGMEM_GROW(ptr, cap, need) \
    bigmem_grow((void **)&(ptr), &(cap), (need), sizeof(*(ptr)))

/* bigmem_grow for the arrays that grow to hundreds of MB (a context's
 * signatures): on Linux a mapping of its own, moved by mremap as it
 * grows, so nothing is copied and no memory is touched twice (copying
 * 512 MB of signatures in doublings faulted in 1 GB, a fifth of the CPU
 * time of a million documents in this VM).  Elsewhere realloc.  Freed
 * with bigmem_map_free(*buf, *cap, elem), never free(). */
int bigmem_map_grow(void **buf, size_t *cap, size_t need, size_t elem);
void bigmem_map_free(void *buf, size_t cap, size_t elem);

#endif
