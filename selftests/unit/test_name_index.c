// SPDX-License-Identifier: GPL-2.0
/*
 * Lookups by name (sfc_cfg_index and the sfc_cfg_find_* it serves) with
 * the hash index of name_index.c: the same answers as a plain scan of the
 * vector, through additions, removals, shallow copies and renames; and a
 * lookup reads a few names, not a scan's thousands (counted, not timed: the
 * test machine is shared).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_schema.h"
#include "name_index.h"
#include "tap.h"

static long scan(const struct sfc_config *c, enum sfc_kind k, const char *name)
{
	size_t i;

	for (i = 0; i < sfc_cfg_count(c, k); i++)
		if (!strcmp(sfc_res_name(sfc_cfg_at(c, k, i)), name))
			return (long)i;
	return -1;
}

/*
 * Every name present, and some absent ones, give what a scan gives. The
 * names here are unique, so past a few hundred (where a scan per name
 * would make the test itself quadratic) a scan would give i.
 */
static bool agrees(const struct sfc_config *c, enum sfc_kind k)
{
	size_t i, n_all = sfc_cfg_count(c, k);
	char name[SFC_NAME_MAX];

	for (i = 0; i < n_all; i++) {
		const char *n = sfc_res_name(sfc_cfg_at(c, k, i));
		long want = n_all <= 300 ? scan(c, k, n) : (long)i;

		if (sfc_cfg_index(c, k, n) != want) {
			printf("# %s: index %ld, scan %ld\n", n,
			       sfc_cfg_index(c, k, n), want);
			return false;
		}
	}
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "absent%zu", i);
		if (sfc_cfg_index(c, k, name) != -1)
			return false;
	}
	return sfc_cfg_index(c, k, "") == -1;
}

static void add_fcs(struct sfc_config *c, size_t from, size_t to)
{
	char name[SFC_NAME_MAX], err[128];
	size_t i;

	for (i = from; i < to; i++) {
		snprintf(name, sizeof(name), "fc%05zu", i);
		if (!sfc_cfg_add(c, SFC_KIND_FC, name, err, sizeof(err)))
			printf("# add %s: %s\n", name, err);
	}
}

static const char *names_of(const void *ctx, size_t i)
{
	return ((const char *const *)ctx)[i];
}

/* Names "n0".."n99999", and how many times the index read one. */
#define MANY	100000
static char many[MANY][12];
static unsigned long reads;

static const char *many_at(const void *ctx, size_t i)
{
	(void)ctx;
	reads++;
	return many[i];
}

int main(void)
{
	static const char *const dup[] = { "a", "b", "a", "c", "b" };
	struct sfc_name_index idx;
	struct sfc_config c, copy, shallow;
	char name[SFC_NAME_MAX];
	size_t i, hits = 0;

	TAP_CHECK(!sfc_name_index_build(&idx, 5, names_of, dup) &&
		  sfc_name_index_find(&idx, "a", names_of, dup) == 0 &&
		  sfc_name_index_find(&idx, "b", names_of, dup) == 1 &&
		  sfc_name_index_find(&idx, "c", names_of, dup) == 3 &&
		  sfc_name_index_find(&idx, "d", names_of, dup) == -1,
		  "duplicate names: the first one wins, as in a scan");
	sfc_name_index_free(&idx);
	TAP_CHECK(sfc_name_index_find(&idx, "a", names_of, dup) == -1,
		  "a freed index finds nothing");

	sfc_config_init(&c);
	add_fcs(&c, 0, 10);
	TAP_CHECK(agrees(&c, SFC_KIND_FC), "10 classifiers (scanned)");
	add_fcs(&c, 10, 10000);
	TAP_CHECK(agrees(&c, SFC_KIND_FC), "10000 classifiers (indexed)");
	TAP_CHECK(c.names != NULL, "a large kind gets an index");

	sfc_cfg_remove(&c, SFC_KIND_FC, 0);
	sfc_cfg_remove(&c, SFC_KIND_FC, 5000);
	TAP_CHECK(agrees(&c, SFC_KIND_FC) &&
		  sfc_cfg_index(&c, SFC_KIND_FC, "fc00000") == -1 &&
		  sfc_cfg_index(&c, SFC_KIND_FC, "fc05001") == -1 &&
		  sfc_cfg_index(&c, SFC_KIND_FC, "fc09999") == 9997,
		  "after removals: the moved ones found where they are now");
	add_fcs(&c, 0, 1);
	TAP_CHECK(agrees(&c, SFC_KIND_FC) &&
		  sfc_cfg_index(&c, SFC_KIND_FC, "fc00000") == 9998,
		  "after an addition");

	/* A shallow copy shares the index; a shorter view must not trust it. */
	shallow = c;
	shallow.fcs.n = 100;
	TAP_CHECK(sfc_cfg_index(&shallow, SFC_KIND_FC, "fc00200") == -1 &&
		  agrees(&shallow, SFC_KIND_FC), "a shallow copy with fewer classifiers");
	c.names = shallow.names;	/* it may have rebuilt the shared one */
	TAP_CHECK(agrees(&c, SFC_KIND_FC), "the original after the shallow copy");

	TAP_CHECK(!sfc_config_copy(&copy, &c) && copy.names == NULL &&
		  agrees(&copy, SFC_KIND_FC), "a copy gets its own index");
	sfc_config_free(&copy);

	snprintf(c.fcs.v[42].name, SFC_NAME_MAX, "renamed");
	sfc_cfg_names_changed(&c);
	TAP_CHECK(sfc_cfg_index(&c, SFC_KIND_FC, "renamed") == 42 &&
		  sfc_cfg_index(&c, SFC_KIND_FC, "fc00043") == -1 &&
		  agrees(&c, SFC_KIND_FC), "a rename in place, announced");
	TAP_CHECK(sfc_cfg_find_fc(&c, "fc00100") == &c.fcs.v[99],
		  "sfc_cfg_find_fc returns the resource itself");

	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "fc%05zu", i % 10000);
		hits += sfc_cfg_find_fc(&c, name) != NULL;
	}
	TAP_CHECK(hits == 99980, "100k lookups among 10k classifiers: %zu hits", hits);
	sfc_config_free(&c);

	/* Sub-linear: a scan reads half the names per hit, all per miss. */
	for (i = 0; i < MANY; i++)
		snprintf(many[i], sizeof(many[i]), "n%zu", i);
	TAP_CHECK(!sfc_name_index_build(&idx, MANY, many_at, NULL),
		  "an index of 100k names");
	reads = 0;
	for (hits = 0, i = 0; i < MANY; i++)
		hits += sfc_name_index_find(&idx, many[(i * 7919) % MANY], many_at,
					    NULL) == (long)((i * 7919) % MANY);
	TAP_CHECK(hits == MANY && reads < 3 * MANY,
		  "100k hits, %.2f names read each", (double)reads / MANY);
	reads = 0;
	for (hits = 0, i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "m%zu", i);
		hits += sfc_name_index_find(&idx, name, many_at, NULL) != -1;
	}
	TAP_CHECK(hits == 0 && reads < 3 * MANY,
		  "100k misses, %.2f names read each", (double)reads / MANY);
	sfc_name_index_free(&idx);
	TAP_CHECK(c.names == NULL, "freed with the configuration");
	return tap_finish();
}
