/*
 * sort.h - LSD radix sorts on 64-bit keys (8 passes of 8 bits; a pass in
 * which every key has the same byte is skipped, so small ids cost few
 * passes).  Stable, O(n) time, one scratch buffer of the same size.
 */
#ifndef DUPFIND_SORT_H
#define DUPFIND_SORT_H

#include <stddef.h>
#include <stdint.h>

/* A band record: LSH key of one band of one document. */
typedef struct {
    uint64_t key;  /* hash of the band's rows */
    uint32_t id;   /* document id */
    uint32_t pad;  /* zero */
} band_rec;

/* Sorts elements of elem_size bytes (8 or 16) by the uint64_t at their
 * start.  tmp must hold n elements.  Result ends up in base. */
void radix_sort_u64key(void *base, void *tmp, size_t n, size_t elem_size);

/* Sorts n values by their bits lo..63 (lo < 64) (the lower bits keep their input
 * order: stable), 11 bits per pass, skipping passes where every value
 * has the same digit.  tmp holds n values.  Result ends up in a. */
void radix_sort_u64_from(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo);

/* Sorts n values ascending; allocates scratch, falls back to qsort when
 * that fails. */
void sort_u64(uint64_t *a, size_t n);

#endif
