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

#endif /* SFC_BPF_MAPS_H */
