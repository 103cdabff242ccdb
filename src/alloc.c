/* alloc.c - growable arrays: capacity doubles, so appends are O(1)
 * amortised and a failed growth leaves the array as it was. */
#include <stdlib.h>

#include "internal.h"

int df_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *p;

    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return DUPFIND_ENOMEM;
        ncap *= 2;
    }
    p = realloc(*buf, ncap * elem);
    if (!p)
        return DUPFIND_ENOMEM;
    *buf = p;
    *cap = ncap;
    return 0;
}
