// SPDX-License-Identifier: GPL-2.0
/* Hash index over record names (name_index.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "name_index.h"

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a, 64 bits */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);	/* low bits pick the slot: mix the high in */
}

int sfc_name_index_build(struct sfc_name_index *idx, size_t n,
			 sfc_name_at_fn name_at, const void *ctx)
{
	size_t cap = 16, i, s;

	memset(idx, 0, sizeof(*idx));
	if (n >= UINT32_MAX / 4)
		return -E2BIG;
	while (cap < 2 * n)	/* at most half full: short probe runs */
		cap *= 2;
	idx->slot = calloc(cap, sizeof(*idx->slot));
	if (!idx->slot)
		return -ENOMEM;
	idx->mask = cap - 1;
	idx->n = n;
	for (i = 0; i < n; i++) {
		const char *name = name_at(ctx, i);

		for (s = name_hash(name) & idx->mask; idx->slot[s];
		     s = (s + 1) & idx->mask)
			if (!strcmp(name_at(ctx, idx->slot[s] - 1), name))
				break;	/* a duplicate: keep the first */
		if (!idx->slot[s])
			idx->slot[s] = (uint32_t)i + 1;
	}
	return 0;
}

long sfc_name_index_find(const struct sfc_name_index *idx, const char *name,
			 sfc_name_at_fn name_at, const void *ctx)
{
	size_t s;

	if (!idx->slot)
		return -1;
	for (s = name_hash(name) & idx->mask; idx->slot[s];
	     s = (s + 1) & idx->mask)
		if (!strcmp(name_at(ctx, idx->slot[s] - 1), name))
			return (long)idx->slot[s] - 1;
	return -1;
}

void sfc_name_index_free(struct sfc_name_index *idx)
{
	free(idx->slot);
	memset(idx, 0, sizeof(*idx));
}
