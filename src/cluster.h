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

/* The same on a bare parent array (parent[i] == i for roots) shared by
 * threads: joins are compare-and-swaps that link the root with the
 * larger id under the other (ids fall along every path, so no cycle),
 * finds halve paths with plain stores of an ancestor (never wrong: a
 * document stays under every root it was ever under).  So when
 * ufs_find gives x and y the same root, x and y are joined for good;
 * when it gives two roots, a join made meanwhile by another thread may
 * just not be seen yet. */
uint32_t ufs_find(uint32_t *parent, uint32_t x);
void ufs_union(uint32_t *parent, uint32_t x, uint32_t y);

#endif
