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
 * number m; zeros are skipped (a hash table's empty slots), repeats
 * kept.  Made for hashes: hash-set tables (n <= 16,384) take a counting
 * pass on the top bits into about m / 2 buckets and one insertion sort,
 * which then only moves values within their bucket; larger inputs an
 * MSD pass into cache-sized buckets, each finished by two LSD passes and
 * an insertion sort (see sort.c).  Values that crowd a bucket (not
 * hashes) are radix-sorted instead.  Writes only dst[0 .. m); dst must
 * not overlap src.  Allocates a scratch of one bucket for large n; if
 * that fails, falls back to sort_u64 (and that one to qsort). */
size_t sort_hashes_u64(const uint64_t *src, size_t n, uint64_t *dst);

/* Sorts n values ascending; allocates scratch, falls back to qsort when
 * that fails. */
void sort_u64(uint64_t *a, size_t n);

/* Items found equal by group_by_hash: b equals a, the first of its
 * kind. */
typedef int (*group_same_fn)(void *arg, uint32_t a, uint32_t b);
typedef void (*group_join_fn)(void *arg, uint32_t a, uint32_t b);

/* Groups equal items: sorts the m records rec, each hash << 32 | item
 * (the top 32 bits of a hash of the item; items below UINT32_MAX), by
 * hash, stably; within each run of equal hashes compares the items with
 * same() and calls join(a, b) for each item b equal to an earlier a
 * that is the first of its kind (the b of one a one after the other, in
 * the records' order).  rec is overwritten.  Returns 0, or -1 when out
 * of memory (then nothing was joined). */
int group_by_hash(uint64_t *rec, size_t m, group_same_fn same,
                  group_join_fn join, void *arg);

#endif
