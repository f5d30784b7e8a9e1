/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading, pinning and attaching the data plane. One copy of the programs
 * and maps is pinned under the pin root; every attach reuses it, so all
 * devices share counters and configuration.
 */
#ifndef SFC_DATAPLANE_H
#define SFC_DATAPLANE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

#include "uapi/sfc_maps.h"

struct sfc_dp {
	char pin_root[256];
	int ports_fd;
	int global_fd;
	int port_stats_fd;
	int drop_stats_fd;
	int macs_fd;
	int class_tuples_fd;	/* classifier: tuples per slot */
	int class_rules_fd;	/* classifier: (slot, tuple, key) entries */
	int class_more_fd;	/* ... their keys other lists share */
	int chains_fd;
	int ppgs_fd;
	int flows_fd;
	int hop_stats_fd;
	int sticky_fd;
	int spis_fd;
	int port_ifindex_fd;
	int class_cache_fd;
	int health_fd;
	int trace_fd;		/* ring buffer */
	int trace_cfg_fd;
	int trace_ctx_fd;
	int port_keys_fd;	/* across hosts: port key -> location */
	int tunnel_fd;		/* sfc_tunnel[0] */
	int chain_ids_fd;	/* (slot, chain id) -> chain */
	int tunnel_peers_fd;	/* underlay addresses of remote ports' hosts */
	int prog_fd;		/* sfc_tc_ingress: every port */
	int egress_prog_fd;	/* sfc_tc_egress: VNF ports */
	int xdp_prog_fd;	/* sfc_xdp_pop: ports of SFC-aware pairs */
};

/* TC filter identity: lets us find, replace and remove only our filter. */
#define SFC_TC_HANDLE	0x5fc
#define SFC_TC_PRIO	1

/*
 * Makes sure the data plane is loaded and pinned under pin_root (mounting
 * a bpffs when the directory is on none), then opens every pin.
 */
int sfc_dp_load(struct sfc_dp *dp, const char *pin_root);
/* Opens existing pins only; -ENOENT when nothing is loaded. */
int sfc_dp_open(struct sfc_dp *dp, const char *pin_root);
void sfc_dp_close(struct sfc_dp *dp);
/* Removes every pin of ours under pin_root (attached filters stay). */
int sfc_dp_unload(const char *pin_root);

/*
 * Our programs on a device: the ingress program always, the egress one
 * only on VNF ports (and removed from a port that is no longer one). A
 * filter already running the pinned program is left alone.
 */
int sfc_dp_attach(const struct sfc_dp *dp, int ifindex, bool vnf);
/*
 * The XDP pop program on a port of an SFC-aware pair (generic mode, which
 * keeps GSO skbs whole), or off it when aware is false.
 */
int sfc_dp_attach_xdp(const struct sfc_dp *dp, int ifindex, bool aware);
/* Removes both; -ENOENT when neither was there. */
int sfc_dp_detach(int ifindex);
/* 0 and *prog_id when our filter is on ifindex's ingress, else -ENOENT. */
int sfc_dp_query(int ifindex, uint32_t *prog_id);

/* Sums per-CPU values; buf must hold nr_cpus values of value_size. */
/* The loaded programs' Geneve mode: 1 kfunc, 0 fallback, -errno. */
int sfc_dp_geneve_kfuncs(const struct sfc_dp *dp);

int sfc_percpu_sum_u64(int map_fd, uint32_t key, uint64_t *sum,
		       unsigned int nr_words);
int sfc_nr_cpus(void);

#endif /* SFC_DATAPLANE_H */
