/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classifier's tuple space (docs/design.md, "Classifier"): compiled
 * rules grouped by mask shape, port ranges expanded into prefix-aligned
 * blocks, one (slot, tuple, masked key) entry each holding the best rank
 * and chain of list 0 and of one other list (sfc_class_more for keys that
 * more lists share), written into the classifier's maps. Used by the
 * compiler and by the BPF_PROG_TEST_RUN runners, which state rules in
 * this form.
 */
#ifndef SFC_TSS_H
#define SFC_TSS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "uapi/sfc_maps.h"

/*
 * One flow classifier as the compiler sees it: what it matches, its rank
 * over all rules of the slot, its chain. The fixtures state rules in this
 * layout too (selftests/unit/fixtures/fixlib.py, rule_entry).
 */
struct sfc_rule {
	__u32 rank;		/* order: priority, then classifier name */
	__u16 chain;		/* index into sfc_chains */
	__u8 family;		/* 0 any, 4, 6 */
	__u8 proto;		/* IPPROTO_*, 0 any */
	__u16 dst_port_id;	/* logical destination port, 0 any */
	__u16 sport_lo;		/* L4 ranges, host order, inclusive */
	__u16 sport_hi;
	__u16 dport_lo;
	__u16 dport_hi;
	__u16 pad;
	__be32 src[4];		/* prefixes, host bits zero; IPv4 in [0] */
	__be32 src_mask[4];
	__be32 dst[4];
	__be32 dst_mask[4];
};
_Static_assert(sizeof(struct sfc_rule) == 84, "sfc_rule layout (fixlib.py)");

/* A rule and the list it is in (0, a port id, or SFC_BRANCH_LIST). */
struct sfc_listed_rule {
	struct sfc_rule r;
	__u32 list;
};

/* A 16-bit range splits into at most 2 * 16 - 2 prefix-aligned blocks. */
#define SFC_PORT_BLOCKS_MAX	30

struct sfc_port_block {
	__u16 value;
	__u16 mask;		/* prefix mask, 0: any port */
};

/*
 * The fewest prefix-aligned blocks whose union is exactly [lo, hi]
 * (lo <= hi); the whole range 0-65535 is one block with mask 0. Returns
 * how many (1..SFC_PORT_BLOCKS_MAX).
 */
int sfc_port_blocks(__u16 lo, __u16 hi, struct sfc_port_block *out);

struct sfc_tss_entry {
	struct sfc_class_rule_key key;
	struct sfc_class_rule_val val;
};

struct sfc_tss_more {
	struct sfc_class_more_key key;
	struct sfc_class_more_val val;
};

/* One slot's tuple space, built in memory before anything is written. */
struct sfc_tss {
	struct sfc_tuple_table table;
	struct sfc_tss_entry *e;	/* sfc_class_rules, one per key */
	size_t n;
	struct sfc_tss_more *m;		/* sfc_class_more */
	size_t nm;
	bool uses_dst_ports;	/* some rule names a logical destination port */
};

/*
 * Builds the tuple space of slot from n rules. -E2BIG when it needs more
 * than SFC_MAX_TUPLES shapes, SFC_MAX_CLASS_ENTRIES entries or
 * SFC_MAX_CLASS_MORE shared keys (nothing is written: callers build
 * before they write), -ENOMEM; a one-line reason in err. sfc_tss_free()
 * in every case.
 */
int sfc_tss_build(const struct sfc_listed_rule *rules, size_t n, __u32 slot,
		  struct sfc_tss *t, char *err, size_t errlen);
void sfc_tss_free(struct sfc_tss *t);

/* The classifier's maps. */
struct sfc_tss_maps {
	int tuples_fd;		/* sfc_class_tuples */
	int rules_fd;		/* sfc_class_rules */
	int more_fd;		/* sfc_class_more */
};

/*
 * Writes t into the maps: first deletes every entry of its slot (what an
 * older configuration left in this, the inactive, slot), then writes the
 * entries and the slot's tuple table. 0 or -errno with err set.
 */
int sfc_tss_write(const struct sfc_tss_maps *maps, const struct sfc_tss *t,
		  __u32 slot, char *err, size_t errlen);

#endif /* SFC_TSS_H */
