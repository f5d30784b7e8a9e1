/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps of the data plane. sfcctl pins every one of them under the pin
 * root (SFC_DEFAULT_PIN_ROOT) so all attached programs share one copy;
 * layouts live in include/uapi/sfc_maps.h.
 */
#ifndef SFC_BPF_MAPS_H
#define SFC_BPF_MAPS_H

#include "lib/common.h"

/* Devices we manage: ingress ifindex -> logical port. Written by sfcctl. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, struct sfc_port_key);
	__type(value, struct sfc_port_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_ports SEC(".maps");

/* Global settings, one entry. Written by sfcctl. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_global);
} sfc_global SEC(".maps");

/* Per-port traffic counters, by port_id. Per-CPU: no atomics on the path. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct sfc_port_stats);
} sfc_port_stats SEC(".maps");

/* Drops, by enum sfc_drop_reason. Per-CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SFC_DROP__MAX);
	__type(key, __u32);
	__type(value, struct sfc_drop_counter);
} sfc_drop_stats SEC(".maps");

/* Workload MACs -> logical port, for logical-destination-port rules. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, struct sfc_mac_key);
	__type(value, struct sfc_mac_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_macs SEC(".maps");

/* The classifier's tuples (mask shapes), one table per slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SFC_SLOTS);
	__type(key, __u32);
	__type(value, struct sfc_tuple_table);
} sfc_class_tuples SEC(".maps");

/*
 * The classifier's entries, both slots (the key names its slot): one
 * hash lookup per tuple. Not preallocated: memory follows
 * the configured rules, not the capacity.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_CLASS_ENTRIES);
	__type(key, struct sfc_class_rule_key);
	__type(value, struct sfc_class_rule_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_class_rules SEC(".maps");

/* Entries of lists whose masked key another list has too (rare). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_CLASS_MORE);
	__type(key, struct sfc_class_more_key);
	__type(value, struct sfc_class_more_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_class_more SEC(".maps");

/* Port chains, per slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_CHAINS);
	__type(key, __u32);
	__type(value, struct sfc_chain);
} sfc_chains SEC(".maps");

/* Port pair groups, per slot. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_PPGS);
	__type(key, __u32);
	__type(value, struct sfc_ppg);
} sfc_ppgs SEC(".maps");

/*
 * Flow state: where steered packets must come back and what they were
 * doing; the only way to follow an unmodified VNF. Shared LRU (not
 * per-CPU): a packet may come back on another CPU than it left on.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SFC_MAX_FLOWS);
	__type(key, struct sfc_flow_key);
	__type(value, struct sfc_flow);
} sfc_flows SEC(".maps");

/* Per chain, direction and hop: packets steered in (and completed). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SFC_HOP_STATS_MAX);
	__type(key, __u32);
	__type(value, struct sfc_traffic_counter);
} sfc_hop_stats SEC(".maps");

/* Flow -> instance per group, shared by both directions (stickiness). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SFC_MAX_STICKY);
	__type(key, struct sfc_sticky_key);
	__type(value, struct sfc_sticky);
} sfc_sticky SEC(".maps");

/* Flow -> chain at edge ports, so only first packets scan the rules. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SFC_MAX_CLASS_CACHE);
	__type(key, struct sfc_class_key);
	__type(value, struct sfc_class_val);
} sfc_class_cache SEC(".maps");

/* (slot, SPI) -> chain and direction: SFC-aware returns name their path. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_CHAINS * 2);
	__type(key, struct sfc_spi_key);
	__type(value, struct sfc_spi_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_spis SEC(".maps");

/* port_id -> device, for the source port an NSH context names. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} sfc_port_ifindex SEC(".maps");

/* Instance health by pair ingress ifindex, written by `sfcctl health`. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct sfc_health);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_health SEC(".maps");

#endif /* SFC_BPF_MAPS_H */
