/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash index over the names of a vector of records (open addressing,
 * linear probing, FNV-1a): finding a resource by name in O(1) instead of
 * a strcmp scan of its vector. The index stores positions only; the names
 * stay in the records, read through a callback, so every hit is checked
 * against the record itself.
 *
 * config.c keeps one per resource kind in each struct sfc_config, built on
 * the first lookup after a change (see sfc_cfg_index); nothing else needs
 * to call this directly.
 */
#ifndef SFC_NAME_INDEX_H
#define SFC_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The name of record i of ctx's vector. */
typedef const char *(*sfc_name_at_fn)(const void *ctx, size_t i);

struct sfc_name_index {
	uint32_t *slot;		/* position + 1; 0: empty */
	size_t mask;		/* slots - 1 (a power of two) */
	size_t n;		/* records indexed */
};

/*
 * Indexes records 0..n-1 (names from name_at). With duplicate names the
 * first position wins, as a linear scan finds it. 0, -ENOMEM, or -E2BIG
 * for more records than a uint32_t position holds; idx is empty then.
 */
int sfc_name_index_build(struct sfc_name_index *idx, size_t n,
			 sfc_name_at_fn name_at, const void *ctx);
/* Position of the record named name, or -1. */
long sfc_name_index_find(const struct sfc_name_index *idx, const char *name,
			 sfc_name_at_fn name_at, const void *ctx);
void sfc_name_index_free(struct sfc_name_index *idx);

#endif /* SFC_NAME_INDEX_H */
