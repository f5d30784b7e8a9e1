/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Keys and values of the pinned BPF maps. Fixed-width types, explicit
 * padding, sizes asserted: the layout is an ABI between sfcctl, the BPF
 * programs and the kernel module, and between sfcctl versions (pins
 * outlive the process that made them).
 */
#ifndef SFC_UAPI_MAPS_H
#define SFC_UAPI_MAPS_H

#include <linux/types.h>
#include "sfc_common.h"

/* Map names: the pin file names under the pin root. */
#define SFC_MAP_PORTS		"sfc_ports"
#define SFC_MAP_GLOBAL		"sfc_global"
#define SFC_MAP_PORT_STATS	"sfc_port_stats"
#define SFC_MAP_DROP_STATS	"sfc_drop_stats"
#define SFC_PROG_TC_INGRESS	"sfc_tc_ingress"

/* sfc_ports: ifindex of a host-side device -> its logical port. */
struct sfc_port_key {
	__u32 ifindex;
};

#define SFC_PORT_F_WORKLOAD	(1u << 0)	/* an app/pod/VM port */
#define SFC_PORT_F_VNF		(1u << 1)	/* a port of a VNF port pair */

struct sfc_port_val {
	__u32 port_id;		/* index into sfc_port_stats, < SFC_MAX_PORTS */
	__u32 flags;		/* SFC_PORT_F_* */
};

/* sfc_global[0]: settings that apply to every program. */
struct sfc_global {
	__u32 generation;	/* bumped on every committed configuration */
	__u32 mark_mask;	/* skb->mark bits we own */
	__u32 mark_done;	/* value within mark_mask meaning "chain done" */
	__u32 flags;
};

/* sfc_port_stats (per-CPU array, by port_id) and other traffic counters. */
struct sfc_traffic_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * Port counter slots: rx is every packet seen at the port's ingress,
 * reinjected the packets let through once because of the "chain done" mark.
 */
struct sfc_port_stats {
	struct sfc_traffic_counter rx;
	struct sfc_traffic_counter reinjected;
};

/* sfc_drop_stats (per-CPU array, by enum sfc_drop_reason). */
struct sfc_drop_counter {
	__u64 packets;
	__u64 bytes;
};

#if !defined(__cplusplus)
_Static_assert(sizeof(struct sfc_port_key) == 4, "sfc_port_key ABI");
_Static_assert(sizeof(struct sfc_port_val) == 8, "sfc_port_val ABI");
_Static_assert(sizeof(struct sfc_global) == 16, "sfc_global ABI");
_Static_assert(sizeof(struct sfc_traffic_counter) == 16, "counter ABI");
_Static_assert(sizeof(struct sfc_port_stats) == 32, "sfc_port_stats ABI");
_Static_assert(sizeof(struct sfc_drop_counter) == 16, "drop counter ABI");
#endif

#endif /* SFC_UAPI_MAPS_H */
