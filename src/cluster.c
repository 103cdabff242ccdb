/*
 * cluster.c - union-find (see cluster.h).
 */
#include <stdlib.h>

#include "cluster.h"
#include "internal.h"

int uf_init(union_find *uf, uint32_t n)
{
    uint32_t i;

    uf->n = n;
    uf->parent = malloc((n ? n : 1) * sizeof(*uf->parent));
    uf->size = malloc((n ? n : 1) * sizeof(*uf->size));
    if (!uf->parent || !uf->size) {
        uf_release(uf);
        return DUPFIND_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        uf->parent[i] = i;
        uf->size[i] = 1;
    }
    return 0;
}

void uf_release(union_find *uf)
{
    free(uf->parent);
    free(uf->size);
    uf->parent = uf->size = NULL;
}

uint32_t uf_find(union_find *uf, uint32_t x)
{
    while (uf->parent[x] != x) {
        uf->parent[x] = uf->parent[uf->parent[x]];
        x = uf->parent[x];
    }
    return x;
}

void uf_union(union_find *uf, uint32_t x, uint32_t y)
{
    uint32_t t;

    x = uf_find(uf, x);
    y = uf_find(uf, y);
    if (x == y)
        return;
    if (uf->size[x] < uf->size[y]) {
        t = x;
        x = y;
        y = t;
    }
    uf->parent[y] = x;
    uf->size[x] += uf->size[y];
}
