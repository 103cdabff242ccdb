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

uint32_t ufs_find(uint32_t *parent, uint32_t x)
{
    for (;;) {
        uint32_t p = __atomic_load_n(&parent[x], __ATOMIC_RELAXED), g;

        if (p == x)
            return x;
        g = __atomic_load_n(&parent[p], __ATOMIC_RELAXED);
        if (g == p)
            return p;
        /* x is no root (roots only ever become children): any ancestor
         * of it is a right parent. */
        __atomic_store_n(&parent[x], g, __ATOMIC_RELAXED);
        x = g;
    }
}

void ufs_union(uint32_t *parent, uint32_t x, uint32_t y)
{
    for (;;) {
        uint32_t t;

        x = ufs_find(parent, x);
        y = ufs_find(parent, y);
        if (x == y)
            return;
        if (x > y) {
            t = x;
            x = y;
            y = t;
        }
        /* Fails when another thread linked y meanwhile: look again. */
        if (__atomic_compare_exchange_n(&parent[y], &y, x, 0,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            return;
    }
}
