/* alloc.c - growable arrays: capacity doubles, so appends are O(1)
 * amortised and a failed growth leaves the array as it was.  Arrays of
 * 2 MiB and more are on huge pages (bigmem.h). */
#include "bigmem.h"
#include "internal.h"

int df_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    return bigmem_grow(buf, cap, need, elem) < 0 ? DUPFIND_ENOMEM : 0;
}
