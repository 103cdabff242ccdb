/*
 * verify.c - estimated and exact similarity of a pair (see verify.h).
 */
#include "sketch.h"
#include "verify.h"

void verify_from_counts(dupfind_pair *p, double inter, double na,
                        double nb)
{
    double uni = na + nb - inter;

    p->jaccard = uni > 0 ? inter / uni : 0.0;
    p->a_in_b = na > 0 ? inter / na : 0.0;
    p->b_in_a = nb > 0 ? inter / nb : 0.0;
    if (p->a_in_b > 1.0)
        p->a_in_b = 1.0;
    if (p->b_in_a > 1.0)
        p->b_in_a = 1.0;
}

void verify_estimate(dupfind_pair *p, const uint32_t *sa,
                     const uint32_t *sb, unsigned k, uint64_t na,
                     uint64_t nb)
{
    unsigned eq = sketch_equal_slots(sa, sb, k);
    double j = (double)eq / k;
    double inter = j * ((double)na + (double)nb) / (1.0 + j);

    verify_from_counts(p, inter, (double)na, (double)nb);
    /* Keep J itself as estimated: eq/k exactly, not via the counts. */
    p->jaccard = j;
    p->exact = 0;
}

size_t verify_intersect(const uint64_t *a, size_t na, const uint64_t *b,
                        size_t nb)
{
    size_t i = 0, j = 0, n = 0;

    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            n++;
            i++;
            j++;
        }
    }
    return n;
}
