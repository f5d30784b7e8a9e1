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
#define SFC_MAP_MACS		"sfc_macs"
#define SFC_MAP_CLASS_TUPLES	"sfc_class_tuples"
#define SFC_MAP_CLASS_RULES	"sfc_class_rules"
#define SFC_MAP_CLASS_MORE	"sfc_class_more"
#define SFC_MAP_CHAINS		"sfc_chains"
#define SFC_MAP_PPGS		"sfc_ppgs"
#define SFC_MAP_FLOWS		"sfc_flows"
#define SFC_MAP_HOP_STATS	"sfc_hop_stats"
#define SFC_MAP_STICKY		"sfc_sticky"
#define SFC_MAP_SPIS		"sfc_spis"
#define SFC_MAP_PORT_IFINDEX	"sfc_port_ifindex"
#define SFC_MAP_CLASS_CACHE	"sfc_class_cache"
#define SFC_MAP_HEALTH		"sfc_health"
#define SFC_MAP_TRACE		"sfc_trace"
#define SFC_MAP_TRACE_CFG	"sfc_trace_cfg"
#define SFC_MAP_TRACE_CTX	"sfc_trace_ctx"
#define SFC_MAP_PORT_KEYS	"sfc_port_keys"
#define SFC_MAP_TUNNEL		"sfc_tunnel"
#define SFC_MAP_CHAIN_IDS	"sfc_chain_ids"
#define SFC_MAP_TUNNEL_PEERS	"sfc_tunnel_peers"
#define SFC_MAP_GENEVE_SCRATCH	"sfc_geneve_buf"
#define SFC_PROG_TC_INGRESS	"sfc_tc_ingress"
#define SFC_PROG_TC_EGRESS	"sfc_tc_egress"
#define SFC_PROG_XDP_POP	"sfc_xdp_pop"

/* sfc_ports: ifindex of a host-side device -> its logical port. */
struct sfc_port_key {
	__u32 ifindex;
};

#define SFC_PORT_F_WORKLOAD	(1u << 0)	/* an edge port: app/pod/VM/uplink */
#define SFC_PORT_F_VNF		(1u << 1)	/* a port of a VNF port pair */
#define SFC_PORT_F_TAP		(1u << 2)	/* ... of a pair in a tap group */
#define SFC_PORT_F_AWARE	(1u << 3)	/* ... of an SFC-aware pair: XDP pops */
#define SFC_PORT_F_TUNNEL	(1u << 4)	/* the Geneve device (across hosts) */

struct sfc_port_val {
	__u32 port_id;		/* index into sfc_port_stats, < SFC_MAX_PORTS */
	__u32 flags;		/* SFC_PORT_F_* */
	__u32 key;		/* port key other hosts name it by, 0 none */
};

/*
 * Across hosts (docs/design.md "Across hosts: Geneve"). sfc_port_keys: a
 * port key, as carried in the SFC context option -> where that port is:
 * a local device (ifindex) or another host (remote_ip, vni).
 */
struct sfc_port_loc {
	__u32 ifindex;		/* local port: its device; 0: remote */
	__u32 port_id;		/* local port: its id */
	__be32 remote_ip;	/* remote port: its host's underlay IPv4 */
	__u32 vni;		/* remote port: the VNI to send with */
};

/*
 * sfc_tunnel_peers: the underlay IPv4 addresses (network order) of the
 * hosts remote ports live on -> 1. A Geneve packet from any other address
 * is dropped (unknown-peer) before its option is read.
 */

/* sfc_tunnel[0]: this host's Geneve device and option identity. */
#define SFC_TUNNEL_F_ZERO_CSUM	(1u << 0)	/* no outer UDP checksum */

struct sfc_tunnel_cfg {
	__u32 ifindex;		/* Geneve device (external mode), 0: none */
	__u32 vni;		/* default VNI */
	__u16 opt_class;	/* host order */
	__u8 opt_type;		/* critical bit clear */
	__u8 flags;		/* SFC_TUNNEL_F_* */
	__u32 pad;
};

/* sfc_chain_ids: (slot, chain id = SPI) -> the chain index on this host
 * (struct sfc_spi_key/val, dir unused): a tunnelled packet names its
 * chain by SPI, which every host agrees on, not by a local index. */

/*
 * sfc_macs: a workload's MAC -> its port: for rules that name a logical
 * destination port, and, across hosts, for delivering a finished chain to
 * its destination port (docs/design.md "Across hosts: Geneve", chain ends).
 */
struct sfc_mac_key {
	__u8 addr[6];
	__u8 pad[2];
};

struct sfc_mac_val {
	__u32 port_id;
	__u32 ifindex;		/* a local workload port's device, else 0 */
	__u32 key;		/* a remote port's key, else 0 */
};

/* sfc_global[0]: settings that apply to every program. */
struct sfc_global {
	__u32 generation;	/* bumped on every committed configuration */
	__u32 mark_mask;	/* skb->mark bits we own */
	__u32 mark_done;	/* value within mark_mask meaning "chain done" */
	__u32 flags;		/* SFC_GLOBAL_F_* */
	__u64 switched_ns;	/* CLOCK_BOOTTIME of the last switch (sfcctl) */
	__u32 mark_steer;	/* value within mark_mask meaning "steered" */
	__u32 pad;
};

#define SFC_GLOBAL_F_DST_PORTS	(1u << 0)	/* some rule names a dst port */
#define SFC_GLOBAL_F_DELIVER	(1u << 1)	/* a remote port has a MAC: chain
						 * ends look up the destination */

/*
 * Rule lists: a packet entering an edge port is checked against list 0
 * (rules without a logical source port) and list N (those of port_id N);
 * the matching rule of lowest rank over both wins (rank: priority, then
 * classifier name, so overlapping classifiers resolve deterministically).
 *
 * Service graphs: list SFC_BRANCH_LIST(c) holds the rules of the chains
 * that chain c branches to (their logical source port ignored), checked
 * alone when a packet finishes chain c. Those chains' rules are in no
 * port's list: a destination chain takes traffic only from its sources.
 */
#define SFC_RULE_LISTS		(SFC_MAX_PORTS + SFC_MAX_CHAINS)
#define SFC_BRANCH_LIST(chain)	(SFC_MAX_PORTS + (chain))

#define SFC_DIR_FWD		0
#define SFC_DIR_REV		1

/*
 * The classifier is a tuple space (docs/design.md, "Classifier"). A tuple
 * is one mask shape; every compiled rule of a slot belongs to the tuple
 * of its shape, once per prefix-aligned block of its port ranges.
 * sfc_class_tuples[slot] lists the slot's tuples sorted by the best
 * (lowest) rank each holds, so a walk stops at the first tuple that
 * cannot beat the match it already has.
 */
#define SFC_TUPLE_F_ANY_PORT	(1u << 0)	/* has entries in list 0 */
#define SFC_TUPLE_F_PORT	(1u << 1)	/* ... in some port's list */
#define SFC_TUPLE_F_BRANCH	(1u << 2)	/* ... in some branch list */
#define SFC_TUPLE_F_L4		(1u << 3)	/* a port mask: needs valid ports */
#define SFC_TUPLE_F_DST_PORT	(1u << 4)	/* logical destination port exact */
struct sfc_tuple {
	__be32 src_mask[4];	/* IPv4 in [0] */
	__be32 dst_mask[4];
	__u32 best_rank;	/* lowest rank of its entries */
	__u16 sport_mask;	/* host order */
	__u16 dport_mask;
	__u8 family;		/* 0 any, 4, 6 */
	__u8 proto_mask;	/* 0 any, 0xff exact */
	__u8 flags;		/* SFC_TUPLE_F_* */
	__u8 pad;
};

struct sfc_tuple_table {
	__u32 count;		/* tuples in use, t[0..count) */
	__u32 pad;
	struct sfc_tuple t[SFC_MAX_TUPLES];
};

/*
 * sfc_class_rules (hash): (slot, tuple, packet fields under the tuple's
 * masks) -> the best rule of list 0 with that key and the best of one
 * other list, so a tuple costs one lookup for both lists a packet is
 * checked against (most lookups miss: one miss instead of two). A key
 * that more lists use (the same masked fields for rules of two ports)
 * keeps the lowest-numbered one here and the others in sfc_class_more,
 * flagged SFC_CLASS_F_MORE. Every key byte is set: the data plane builds
 * the key field by field.
 */
struct sfc_class_rule_key {
	__u8 slot;
	__u8 proto;		/* & proto_mask */
	__u16 tuple;		/* index into sfc_class_tuples[slot].t */
	__u16 dst_port_id;	/* 0 unless SFC_TUPLE_F_DST_PORT */
	__u16 sport;		/* & sport_mask, host order */
	__u16 dport;
	__u16 pad;
	__be32 src[4];		/* & src_mask */
	__be32 dst[4];
};

#define SFC_CLASS_NO_RANK	0xffffffffu	/* no rule of that list */
#define SFC_CLASS_F_MORE	(1u << 0)	/* other lists: sfc_class_more */

struct sfc_class_rule_val {
	__u32 any_rank;		/* list 0's best, SFC_CLASS_NO_RANK: none */
	__u16 any_chain;	/* index into sfc_chains */
	__u16 list;		/* the other list (port or branch), 0: none */
	__u32 rank;		/* its best */
	__u16 chain;
	__u16 flags;		/* SFC_CLASS_F_* */
};

/* sfc_class_more (hash): the keys of sfc_class_rules other lists share. */
struct sfc_class_more_key {
	struct sfc_class_rule_key k;
	__u16 list;
	__u16 pad;
};

struct sfc_class_more_val {
	__u32 rank;
	__u16 chain;
	__u16 pad;
};

#define SFC_CHAIN_F_SYMMETRIC	(1u << 0)	/* reverse walks hops backwards */
#define SFC_CHAIN_F_DIRECT	(1u << 1)	/* end: deliver from the last VNF */
#define SFC_CHAIN_F_MPLS_RFC8595 (1u << 2)	/* two labels: SPI, SI */
#define SFC_CHAIN_F_NSH_MD2	(1u << 3)	/* NSH MD type 2, else 1 */
#define SFC_CHAIN_F_NSH_ETH	(1u << 4)	/* NSH next protocol Ethernet */
#define SFC_CHAIN_F_BRANCH	(1u << 5)	/* ends in a service graph branch */

/* Correlation: the header an SFC-aware port pair gets (networking-sfc). */
#define SFC_CORRELATION_NONE		0
#define SFC_CORRELATION_MPLS		1
#define SFC_CORRELATION_NSH		2

/*
 * Service path identity on the wire. SPI = chain id forward; the reverse
 * path of a symmetric chain has the top SPI bit of the encoding set (so
 * chain ids are limited to half the range there). SI = 255 at the first
 * hop walked, one less at each further hop.
 */
#define SFC_SI_FIRST		255
#define SFC_MPLS1_SPI_BITS	12	/* networking-sfc: label = SPI << 8 | SI */
#define SFC_MPLS2_SPI_BITS	20	/* RFC 8595: a whole label for the SPI */
#define SFC_NSH_SPI_BITS	24
#define SFC_NSH_TTL_DEFAULT	63

/* sfc_spis: (slot, SPI) -> the chain and direction it names. */
struct sfc_spi_key {
	__u32 slot;
	__u32 spi;
};

struct sfc_spi_val {
	__u16 chain;
	__u8 dir;
	__u8 pad;
};

/*
 * What the XDP program of a VNF port hands to TC in the packet metadata
 * after popping an MPLS or NSH header (TC cannot pop them).
 */
#define SFC_META_MAGIC		0x5fc0c0de

struct sfc_meta {
	__u32 magic;
	__u32 spi;
	__u8 si;
	__u8 ttl;		/* NSH TTL as received; MPLS: the TTL of the SI */
	__u8 corr;		/* SFC_CORRELATION_* */
	__u8 pad;
	__u32 src_port_id;	/* NSH context: the flow's source port, 0 none */
};

/* sfc_chains[slot * SFC_MAX_CHAINS + chain]: a port chain. */
struct sfc_chain {
	__u32 generation;	/* of the slot this entry was written for */
	__u32 chain_id;		/* SPI */
	__u8 nr_hops;		/* 0 = no chain at this index */
	__u8 flags;		/* SFC_CHAIN_F_* */
	__u8 correlation;	/* SFC_CORRELATION_* of the chain */
	__u8 nsh_ttl;		/* initial NSH TTL */
	__u16 hops[SFC_MAX_HOPS]; /* port pair group index per hop */
};

/* One VNF instance: where packets enter it and where they come back. */
struct sfc_pair {
	__u32 ingress_ifindex;
	__u32 egress_ifindex;	/* == ingress for a one-port VNF */
	__u16 weight;
	__u8 correlation;	/* 0 none (MPLS/NSH later) */
	__u8 flags;
	__u32 pad;
};

/*
 * sfc_class_cache (LRU hash): the classification of a flow entering an
 * edge port, so only a flow's first packet scans the rules. Valid for the
 * generation it was made under; a switch invalidates every entry at once.
 */
struct sfc_class_key {
	__u32 port_id;		/* rule list: source port or SFC_BRANCH_LIST */
	__u32 dst_port_id;	/* from the destination MAC, 0 none */
	__u8 family;
	__u8 proto;
	__u8 l4;		/* ports are valid (not a non-first fragment) */
	__u8 pad;
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 sport;
	__u16 dport;
};

struct sfc_class_val {
	__u32 generation;
	__s32 chain;		/* -1: no classifier matched */
};

/* Fields a group's instance selection hashes (networking-sfc lb_fields). */
#define SFC_LB_ETH_SRC		(1u << 0)
#define SFC_LB_ETH_DST		(1u << 1)
#define SFC_LB_IP_SRC		(1u << 2)
#define SFC_LB_IP_DST		(1u << 3)
#define SFC_LB_L4_SRC		(1u << 4)	/* tcp_src / udp_src */
#define SFC_LB_L4_DST		(1u << 5)	/* tcp_dst / udp_dst */
#define SFC_LB_DEFAULT		(SFC_LB_IP_SRC | SFC_LB_IP_DST | \
				 SFC_LB_L4_SRC | SFC_LB_L4_DST)

/* A pair on another host: ingress/egress_ifindex hold its port keys. */
#define SFC_PAIR_F_REMOTE	(1u << 0)
/*
 * The pair's ingress (egress) port is the host end of a veth whose other
 * end is in another namespace (the VNF's): the packet is handed straight
 * to that end's ingress with bpf_redirect_peer, skipping the host end's
 * transmit and the backlog queue in between. Set by sfcctl from rtnetlink.
 */
#define SFC_PAIR_F_PEER_IN	(1u << 1)
#define SFC_PAIR_F_PEER_OUT	(1u << 2)

/*
 * In trace events (target_flags) and test-mode records: the redirect was
 * bpf_redirect_peer. The kernel's own BPF_F_PEER bit, which is not uapi.
 */
#define SFC_REDIRECT_PEER	(1u << 17)

#define SFC_PPG_F_TAP		(1u << 0)	/* copies go here, originals go on */
#define SFC_PPG_F_FAIL_OPEN	(1u << 1)	/* no healthy instance: skip hop */
#define SFC_PPG_F_ASYMMETRIC	(1u << 2)	/* hash fields as seen, not ordered */
#define SFC_PPG_F_HEALTH	(1u << 3)	/* health-checked: sfc_health counts */

/*
 * sfc_ppgs[slot * SFC_MAX_PPGS + ppg]: a port pair group. table[] is its
 * Maglev lookup table: bucket (flow hash % SFC_MAGLEV_SIZE) -> index into
 * pairs[], filled by sfcctl in proportion to the pairs' weights.
 */
struct sfc_ppg {
	__u8 nr_pairs;
	__u8 flags;		/* SFC_PPG_F_* */
	__u16 lb_fields;	/* SFC_LB_*, 0 = SFC_LB_DEFAULT */
	__u32 id;		/* stable group id: keys sfc_sticky */
	struct sfc_pair pairs[SFC_MAX_PAIRS];
	__u8 table[SFC_MAGLEV_SIZE];
	__u8 pad[3];
};

/*
 * sfc_sticky (LRU hash): the instance a flow uses in a group, so an
 * established flow keeps it when the group changes. The two endpoints are
 * stored in a canonical order, so both directions share the entry.
 */
struct sfc_sticky_key {
	__u32 ppg_id;
	__u8 family;
	__u8 proto;
	__u16 pad;
	__be32 addr_lo[4];	/* the lower (address, port) endpoint */
	__be32 addr_hi[4];
	__u16 port_lo;
	__u16 port_hi;
};

struct sfc_sticky {
	__u32 ingress_ifindex;	/* the instance, by its ports */
	__u32 egress_ifindex;
	__u64 last_ns;		/* bpf_ktime_get_coarse_ns, refreshed ~1/s */
};

/* sfc_health (hash, by a pair's ingress ifindex): written by the health
 * checker (`sfcctl health`); an instance without an entry is up. */
#define SFC_HEALTH_UP		0
#define SFC_HEALTH_DOWN		1

struct sfc_health {
	__u8 state;		/* SFC_HEALTH_* */
	__u8 pad[3];
	__u32 transitions;
	__u64 since_ns;		/* CLOCK_BOOTTIME of the last transition */
};

/*
 * sfc_flows (LRU hash): where a steered packet is expected back, and what
 * it was doing. ifindex is the VNF port it must return on; ifindex 0 keys
 * the expectation of a symmetric chain's reverse traffic (addresses and
 * ports already swapped). Addresses and ports as on the wire.
 */
struct sfc_flow_key {
	__u32 ifindex;
	__u8 family;		/* 4 or 6 */
	__u8 proto;
	__u16 pad;
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 sport;		/* host order */
	__u16 dport;
};

struct sfc_flow {
	__u32 generation;	/* configuration the flow was steered under */
	__u16 chain;
	__u8 hop;
	__u8 dir;		/* SFC_DIR_* */
	__u32 src_ifindex;	/* edge port to re-inject at when done, or
				 * SFC_SRC_REMOTE | its port key */
	__u32 pad;
};

/*
 * A flow's source port on another host: its port key with this bit, where
 * a local source has its device's ifindex (so steering state keeps one
 * word for both). Port keys are 1..SFC_PORT_KEY_MAX.
 */
#define SFC_SRC_REMOTE		0x80000000u
#define SFC_PORT_KEY_MAX	0x7fffffffu

/* sfc_port_stats (per-CPU array, by port_id) and other traffic counters. */
struct sfc_traffic_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * Port counter slots: rx is every packet seen at the port's ingress,
 * reinjected the packets let through once because of the "chain done"
 * mark, si_kept the packets an SFC-aware VNF returned without decrementing
 * the SI (accepted: the return port already names the hop; counted).
 */
struct sfc_port_stats {
	struct sfc_traffic_counter rx;
	struct sfc_traffic_counter reinjected;
	struct sfc_traffic_counter si_kept;	/* aware VNF left SI as sent */
};

/* sfc_drop_stats (per-CPU array, by enum sfc_drop_reason). */
struct sfc_drop_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * Packet tracing (`sfcctl trace`). sfc_trace_cfg[0] switches it on and
 * filters; the programs then send one struct sfc_trace_event per packet
 * they act on (sampled) into the sfc_trace ring buffer. Off, it costs one
 * array lookup per packet.
 */
#define SFC_TRACE_F_ADDR	(1u << 0)	/* match addr as source or dest */
#define SFC_TRACE_F_PORT	(1u << 1)	/* match port as source or dest */
#define SFC_TRACE_F_CHAIN	(1u << 2)	/* only packets of that chain */
#define SFC_TRACE_F_DROPS	(1u << 3)	/* only drops */

struct sfc_trace_cfg {
	__u32 enabled;
	__u32 sample;		/* 1 in N packets; 0 or 1: every one */
	__u32 flags;		/* SFC_TRACE_F_* */
	__u8 family;		/* 0 any, 4, 6 */
	__u8 proto;		/* 0 any */
	__u16 port;
	__u16 chain;
	__u16 pad;
	__be32 addr[4];
};

#define SFC_TRACE_INGRESS	0
#define SFC_TRACE_EGRESS	1

/* What happened to one packet at one program run. */
struct sfc_trace_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns */
	__u32 ifindex;		/* the device the program ran on */
	__u32 len;
	__s32 verdict;		/* TC_ACT_* */
	__u32 drop_reason;	/* enum sfc_drop_reason, 0 if not dropped */
	__u32 target_ifindex;	/* redirect target, 0 if none */
	__u32 target_flags;	/* BPF_F_INGRESS, SFC_REDIRECT_PEER or 0 */
	__u16 chain;		/* 0: no chain */
	__u8 hop;
	__u8 dir;		/* SFC_DIR_* */
	__u8 hook;		/* SFC_TRACE_INGRESS / _EGRESS */
	__u8 family;
	__u8 proto;
	__u8 pad;
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 sport;
	__u16 dport;
	__u32 pad2;
};

/*
 * sfc_trace_ctx (per-CPU array, one entry): what the steering code knew
 * about the packet being traced, for the event written at the end.
 */
struct sfc_trace_ctx {
	__u32 target_ifindex;
	__u32 target_flags;
	__u16 chain;
	__u8 hop;
	__u8 dir;
	__u32 active;
};

/*
 * sfc_hop_stats (per-CPU array): packets steered into each hop, and those
 * that completed the chain (hop == SFC_MAX_HOPS), per direction.
 */
#define SFC_HOP_DONE		SFC_MAX_HOPS
#define SFC_HOP_STATS_KEY(chain, dir, hop) \
	(((chain) * 2 + (dir)) * (SFC_MAX_HOPS + 1) + (hop))
#define SFC_HOP_STATS_MAX	(SFC_MAX_CHAINS * 2 * (SFC_MAX_HOPS + 1))

#if !defined(__cplusplus)
_Static_assert(sizeof(struct sfc_port_key) == 4, "sfc_port_key ABI");
_Static_assert(sizeof(struct sfc_port_val) == 12, "sfc_port_val ABI");
_Static_assert(sizeof(struct sfc_port_loc) == 16, "sfc_port_loc ABI");
_Static_assert(sizeof(struct sfc_tunnel_cfg) == 16, "sfc_tunnel_cfg ABI");
_Static_assert(sizeof(struct sfc_global) == 32, "sfc_global ABI");
_Static_assert(sizeof(struct sfc_traffic_counter) == 16, "counter ABI");
_Static_assert(sizeof(struct sfc_port_stats) == 48, "sfc_port_stats ABI");
_Static_assert(sizeof(struct sfc_drop_counter) == 16, "drop counter ABI");
_Static_assert(sizeof(struct sfc_mac_key) == 8, "sfc_mac_key ABI");
_Static_assert(sizeof(struct sfc_mac_val) == 12, "sfc_mac_val ABI");
_Static_assert(sizeof(struct sfc_tuple) == 44, "sfc_tuple ABI");
_Static_assert(sizeof(struct sfc_tuple_table) == 8 + 44 * SFC_MAX_TUPLES,
	       "sfc_tuple_table ABI");
_Static_assert(sizeof(struct sfc_class_rule_key) == 44, "sfc_class_rule_key ABI");
_Static_assert(sizeof(struct sfc_class_rule_val) == 16, "sfc_class_rule_val ABI");
_Static_assert(sizeof(struct sfc_class_more_key) == 48, "sfc_class_more_key ABI");
_Static_assert(sizeof(struct sfc_class_more_val) == 8, "sfc_class_more_val ABI");
_Static_assert(sizeof(struct sfc_chain) == 44, "sfc_chain ABI");
_Static_assert(sizeof(struct sfc_pair) == 16, "sfc_pair ABI");
_Static_assert(sizeof(struct sfc_ppg) ==
	       8 + 16 * SFC_MAX_PAIRS + SFC_MAGLEV_SIZE + 3, "sfc_ppg ABI");
_Static_assert(sizeof(struct sfc_sticky_key) == 44, "sfc_sticky_key ABI");
_Static_assert(sizeof(struct sfc_class_key) == 48, "sfc_class_key ABI");
_Static_assert(sizeof(struct sfc_class_val) == 8, "sfc_class_val ABI");
_Static_assert(sizeof(struct sfc_sticky) == 16, "sfc_sticky ABI");
_Static_assert(sizeof(struct sfc_health) == 16, "sfc_health ABI");
_Static_assert(sizeof(struct sfc_trace_cfg) == 36, "sfc_trace_cfg ABI");
_Static_assert(sizeof(struct sfc_spi_key) == 8, "sfc_spi_key ABI");
_Static_assert(sizeof(struct sfc_spi_val) == 4, "sfc_spi_val ABI");
_Static_assert(sizeof(struct sfc_meta) == 16, "sfc_meta ABI");
_Static_assert(sizeof(struct sfc_trace_event) == 80, "sfc_trace_event ABI");
_Static_assert(sizeof(struct sfc_trace_ctx) == 16, "sfc_trace_ctx ABI");
_Static_assert(sizeof(struct sfc_flow_key) == 44, "sfc_flow_key ABI");
_Static_assert(sizeof(struct sfc_flow) == 16, "sfc_flow ABI");
#endif

#endif /* SFC_UAPI_MAPS_H */
