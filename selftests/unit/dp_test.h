/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF_PROG_TEST_RUN runners (bpf_fixtures, test_corpus) share:
 * decoding the hex their input files carry, and loading a private,
 * unpinned copy of the data plane in test mode.
 */
#ifndef SFC_DP_TEST_H
#define SFC_DP_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sfc_tc.skel.h"
#include "tss.h"

/*
 * Decodes the hex digits at s (up to a space, newline or NUL) into buf of
 * cap bytes: 0, or -EINVAL for an odd count, a non-hex digit or too many.
 */
static inline int dp_hex(const char *s, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = strcspn(s, " \n"), i;

	if (n % 2 || n / 2 > cap)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		int hi = s[2 * i], lo = s[2 * i + 1];

		hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
		if (hi < 0 || hi > 15 || lo < 0 || lo > 15)
			return -EINVAL;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/*
 * The data plane with sfc_test_mode set (redirect targets reported in
 * .bss), and the classification cache off when asked. NULL with the
 * reason in err when it cannot be opened or loaded.
 */
static inline struct sfc_tc *dp_test_load(bool no_class_cache, char *err,
					  size_t errlen)
{
	struct sfc_tc *skel = sfc_tc__open();
	int ret;

	if (!skel) {
		snprintf(err, errlen, "open the data plane: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->sfc_test_mode = true;
	skel->rodata->sfc_no_class_cache = no_class_cache;
	ret = sfc_tc__load(skel);
	if (ret) {
		snprintf(err, errlen, "load the data plane: %s (run with -v)",
			 strerror(-ret));
		sfc_tc__destroy(skel);
		return NULL;
	}
	return skel;
}

/*
 * Fixtures state classifier rules as two pseudo maps, "sfc_rules" (index
 * -> struct sfc_rule, the compiler's form) and "sfc_rule_lists"
 * (slot * SFC_RULE_LISTS + list -> first index, count), and the runners
 * turn them into the data plane's tuple space with the compiler's own
 * code (tss.c), so fixtures say what rules mean, not how they are laid out.
 */
#define DP_MAX_RULES	256
#define DP_MAX_LISTS	64

struct dp_rules {
	struct { __u32 idx; struct sfc_rule r; } rule[DP_MAX_RULES];
	int nr_rules;
	struct { __u32 key, first, count; } list[DP_MAX_LISTS];
	int nr_lists;
};

/*
 * 1 when the entry was one of the pseudo maps (kept in d), 0 when it is
 * for a real map, -EINVAL when it is malformed or d is full.
 */
static inline int dp_rules_take(struct dp_rules *d, const char *map,
				const uint8_t *key, size_t kl,
				const uint8_t *val, size_t vl)
{
	if (!strcmp(map, "sfc_rules")) {
		if (kl != 4 || vl != sizeof(struct sfc_rule) ||
		    d->nr_rules == DP_MAX_RULES)
			return -EINVAL;
		memcpy(&d->rule[d->nr_rules].idx, key, 4);
		memcpy(&d->rule[d->nr_rules].r, val, vl);
		d->nr_rules++;
		return 1;
	}
	if (!strcmp(map, "sfc_rule_lists")) {
		if (kl != 4 || vl != 8 || d->nr_lists == DP_MAX_LISTS)
			return -EINVAL;
		memcpy(&d->list[d->nr_lists].key, key, 4);
		memcpy(&d->list[d->nr_lists].first, val, 4);
		memcpy(&d->list[d->nr_lists].count, val + 4, 4);
		d->nr_lists++;
		return 1;
	}
	return 0;
}

/* The rules of slot's lists, with their lists; how many, -EINVAL. */
static inline int dp_rules_of_slot(const struct dp_rules *d, __u32 slot,
				   struct sfc_listed_rule *out)
{
	int n = 0, l, i;
	__u32 k;

	for (l = 0; l < d->nr_lists; l++) {
		if (d->list[l].key / SFC_RULE_LISTS != slot)
			continue;
		for (k = d->list[l].first; k < d->list[l].first + d->list[l].count; k++) {
			for (i = 0; i < d->nr_rules && d->rule[i].idx != k; i++)
				;
			if (i == d->nr_rules || n == DP_MAX_RULES)
				return -EINVAL;	/* a list names a missing rule */
			out[n].r = d->rule[i].r;
			out[n].list = d->list[l].key % SFC_RULE_LISTS;
			n++;
		}
	}
	return n;
}

/* Builds and writes both slots' tuple spaces from d. 0 or -errno. */
static inline int dp_rules_write(struct sfc_tc *skel, const struct dp_rules *d,
				 char *err, size_t errlen)
{
	static struct sfc_listed_rule lr[DP_MAX_RULES];
	struct sfc_tss_maps maps = {
		.tuples_fd = bpf_map__fd(skel->maps.sfc_class_tuples),
		.rules_fd = bpf_map__fd(skel->maps.sfc_class_rules),
		.more_fd = bpf_map__fd(skel->maps.sfc_class_more),
	};
	struct sfc_tss tss;
	__u32 slot;
	int n, ret;

	for (slot = 0; slot < SFC_SLOTS; slot++) {
		n = dp_rules_of_slot(d, slot, lr);
		if (n < 0) {
			snprintf(err, errlen, "a rule list names a rule not given");
			return n;
		}
		ret = sfc_tss_build(lr, (size_t)n, slot, &tss, err, errlen);
		if (!ret)
			ret = sfc_tss_write(&maps, &tss, slot, err, errlen);
		sfc_tss_free(&tss);
		if (ret)
			return ret;
	}
	return 0;
}

#endif /* SFC_DP_TEST_H */
