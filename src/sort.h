/*
 * sort.h - LSD radix sort of 64-bit values (11 bits a pass, 8 below
 * 2,048 values; a pass in which every value has the same digit is
 * skipped, so small ids cost few passes).  Stable, O(n) time, one
 * scratch buffer of the same size.
 */
#ifndef DUPFIND_SORT_H
#define DUPFIND_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts n values by their bits lo..63, lo < 64 (values equal in those
 * bits keep their input order: stable), 8 or 11 bits per pass, skipping
 * passes where every value has the same digit.  tmp holds n values.
 * The result ends up in a. */
void radix_sort_u64_from(uint64_t *a, uint64_t *tmp, size_t n, unsigned lo);

/* Sorts n values ascending; allocates scratch, falls back to qsort when
 * that fails. */
void sort_u64(uint64_t *a, size_t n);

#endif
