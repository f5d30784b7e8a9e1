/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev lookup tables (Eisenbud et al., NSDI 2016) for port pair
 * groups, with weights. Each instance walks its own permutation of the
 * table, derived from its name only, so adding or removing one instance
 * leaves the other instances' preferences as they were: ~1/N of the
 * buckets change owner.
 */
#ifndef SFC_MAGLEV_H
#define SFC_MAGLEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * Fills table[size] (size prime) with instance indexes 0..n-1, each
 * instance owning about weight[i] / sum(weight) of the buckets. names[i]
 * identify the instances. Returns 0, or -EINVAL for n == 0 or n > 255.
 */
int sfc_maglev_fill(uint8_t *table, size_t size, const char *const *names,
		    const uint32_t *weights, size_t n);

#endif /* SFC_MAGLEV_H */
