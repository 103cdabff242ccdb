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

/* radix_sort_u64_from, but the result is left where the last pass put
 * it, a or tmp, and the pointer to it returned: callers that read the
 * sorted values once anyway save the copy of n values back into a. */
uint64_t *radix_sort_u64_where(uint64_t *a, uint64_t *tmp, size_t n,
                               unsigned lo);

/* Sorts the nonzero values of src[0 .. n) into dst and returns their
 * number; zeros are skipped (a hash table's empty slots).  For hashes:
 * with uniform values a counting pass on the top bits leaves buckets of
 * about two, and one insertion sort over the whole array then only moves
 * values within their bucket, so it is two passes over the data instead
 * of the six of the radix sort.  Values that crowd one bucket (not
 * hashes) are radix-sorted instead.  dst must not overlap src. */
size_t sort_hashes_u64(const uint64_t *src, size_t n, uint64_t *dst);

/* Sorts n values ascending; allocates scratch, falls back to qsort when
 * that fails. */
void sort_u64(uint64_t *a, size_t n);

#endif
