// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "maglev.h"

/* FNV-1a, 64 bit, with a seed folded in first. */
static uint64_t name_hash(const char *s, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

struct walker {
	size_t offset, skip, next;	/* permutation: offset + j * skip */
	double credit;			/* buckets it may still claim */
	double share;			/* weight / max weight */
};

/* The next bucket of w's permutation that nobody owns yet. */
static size_t next_free(struct walker *w, const uint8_t *owned, size_t size)
{
	size_t b;

	do {
		b = (w->offset + w->next * w->skip) % size;
		w->next++;
	} while (owned[b]);
	return b;
}

int sfc_maglev_fill(uint8_t *table, size_t size, const char *const *names,
		    const uint32_t *weights, size_t n)
{
	struct walker *w;
	uint8_t *owned;
	uint32_t max_weight = 0;
	size_t i, filled = 0;

	if (!n || n > 255 || size < 2)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (weights[i] > max_weight)
			max_weight = weights[i];
	if (!max_weight)
		return -EINVAL;
	w = calloc(n, sizeof(*w));
	owned = calloc(size, 1);
	if (!w || !owned) {
		free(w);
		free(owned);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		w[i].offset = name_hash(names[i], 0x5fc0) % size;
		w[i].skip = name_hash(names[i], 0x5fc1) % (size - 1) + 1;
		w[i].share = (double)weights[i] / max_weight;
	}
	/*
	 * Rounds: every instance earns its share of a bucket per round and
	 * claims a bucket for each whole one earned, so heavier instances
	 * claim proportionally more, in an interleaved order.
	 */
	while (filled < size) {
		for (i = 0; i < n && filled < size; i++) {
			w[i].credit += w[i].share;
			while (w[i].credit >= 1.0 && filled < size) {
				size_t b = next_free(&w[i], owned, size);

				owned[b] = 1;
				table[b] = (uint8_t)i;
				w[i].credit -= 1.0;
				filled++;
			}
		}
	}
	free(w);
	free(owned);
	return 0;
}
