/*
 * cluster.h - union-find (disjoint sets) with path halving and union by
 * size; near-linear in the number of pairs (Tarjan 1975).
 */
#ifndef DUPFIND_CLUSTER_H
#define DUPFIND_CLUSTER_H

#include <stdint.h>

typedef struct {
    uint32_t *parent;   /* parent[i] == i for roots */
    uint32_t *size;     /* members under a root */
    uint32_t n;         /* elements */
} union_find;

int uf_init(union_find *uf, uint32_t n);
void uf_release(union_find *uf);
uint32_t uf_find(union_find *uf, uint32_t x);
void uf_union(union_find *uf, uint32_t x, uint32_t y);

#endif
