/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Constants shared by the BPF programs, the kernel module and user space.
 * Everything here must compile in all three worlds: only linux/types.h.
 */
#ifndef SFC_UAPI_COMMON_H
#define SFC_UAPI_COMMON_H

#include <linux/types.h>

#define SFC_VERSION "0.1.0"

/* Where sfcctl pins maps and programs unless told otherwise (--bpffs). */
#define SFC_DEFAULT_PIN_ROOT "/sys/fs/bpf/sfc"

#define SFC_MAX_PORTS		1024	/* logical ports with a local device */
#define SFC_NAME_MAX		64	/* resource names incl. NUL */
#define SFC_MAX_CHAINS		256	/* port chains */
#define SFC_MAX_HOPS		16	/* port pair groups in one chain */
#define SFC_MAX_PPGS		256	/* port pair groups */
#define SFC_MAX_PAIRS		16	/* port pairs in one group */
/*
 * Chains one packet may walk in a row through a service graph: graphs are
 * acyclic (checked by sfcctl) and the data plane stops a packet at this
 * many anyway (counted as graph-loop).
 */
#define SFC_MAX_GRAPH_DEPTH	8
/*
 * The classifier (tuple space search, docs/design.md): per slot, at most
 * SFC_MAX_TUPLES distinct mask shapes, walked per first packet of a flow,
 * and SFC_MAX_CLASS_ENTRIES (list, shape, masked key) entries after port
 * ranges are expanded into prefix-aligned blocks, of which at most
 * SFC_MAX_CLASS_MORE share their masked key with an entry of another
 * port or branch list. The entries of both slots share one hash map of
 * twice that size (sfc_class_rules, sfc_class_more).
 */
#define SFC_MAX_TUPLES		256
#define SFC_MAX_CLASS_ENTRIES	(1u << 19)
#define SFC_MAX_CLASS_MORE	(1u << 17)
#define SFC_MAX_FLOWS		65536	/* flow state entries (LRU) */
#define SFC_MAX_STICKY		65536	/* flow -> instance entries (LRU) */
#define SFC_MAX_CLASS_CACHE	65536	/* flow -> classification (LRU) */
/*
 * Buckets of a group's Maglev table (a prime well above 16 instances x
 * their weights' granularity): removing one of N instances moves ~1/N of
 * the buckets, and weights are honoured to about 1/SFC_MAGLEV_SIZE.
 */
#define SFC_MAGLEV_SIZE		1021
/* A sticky flow idle this long picks its instance afresh. */
#define SFC_STICKY_IDLE_S	300

/*
 * Configuration is double buffered: maps holding chains, groups and rules
 * have two slots, and sfc_global.generation & 1 names the live one. sfcctl
 * writes the other slot, then switches with one write of the generation,
 * so no packet ever sees half a configuration.
 */
#define SFC_SLOTS		2

/*
 * skb->mark bits that say "this packet finished its chain and was
 * re-injected at its source port: let it through once". The mask keeps
 * us clear of marks other software (iptables, Cilium) uses on the host;
 * sfcctl may move both through the global config map.
 */
#define SFC_MARK_MASK_DEFAULT	0x0fc00000u
#define SFC_MARK_DONE_DEFAULT	0x05c00000u
/*
 * "steered by us": set on every packet we redirect into a VNF port. The
 * egress program of VNF ports lets only such packets through, so nothing
 * else (bridge floods, a switch that learned a MAC on a VNF port) ever
 * reaches a VNF, which keeps packets from looping through chains.
 */
#define SFC_MARK_STEER_DEFAULT	0x06c00000u

#endif /* SFC_UAPI_COMMON_H */
