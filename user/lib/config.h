/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration model owned by sfcctl: the resources of OpenStack
 * networking-sfc (ports, port pairs, port pair groups, flow classifiers,
 * port chains), held in memory, validated as a whole, persisted as one
 * JSON document (the same format `sfcctl export` prints and `sfcctl apply
 * -f` reads), and compiled into the pinned maps by compile.c.
 *
 * References between resources are by name. Every resource that the data
 * plane indexes also carries a small stable id, allocated once and kept in
 * the saved file, so counters survive unrelated changes.
 */
#ifndef SFC_CONFIG_H
#define SFC_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "uapi/sfc_common.h"

#define SFC_CONFIG_VERSION	1
#define SFC_MAX_FC_PER_CHAIN	64

enum sfc_correlation {
	SFC_CORR_NONE = 0,
	SFC_CORR_MPLS,
	SFC_CORR_NSH,
};

enum sfc_chain_end {
	SFC_END_REINJECT = 0,	/* re-inject at the source port (default) */
	SFC_END_DIRECT,		/* deliver from the last VNF (routed hosts) */
};

struct sfc_cfg_port {
	char name[SFC_NAME_MAX];
	char dev[IF_NAMESIZE];	/* host-side device */
	bool has_mac;
	uint8_t mac[6];		/* the workload's MAC (logical dst port match) */
	uint32_t id;		/* 1..SFC_MAX_PORTS-1, stable; 0 = unassigned */
};

struct sfc_cfg_pair {
	char name[SFC_NAME_MAX];
	char ingress[SFC_NAME_MAX];	/* port name */
	char egress[SFC_NAME_MAX];	/* port name; same as ingress: one port */
	enum sfc_correlation correlation;
	uint32_t weight;		/* 1..65535, default 1 */
};

struct sfc_cfg_ppg {
	char name[SFC_NAME_MAX];
	int nr_pairs;
	char pairs[SFC_MAX_PAIRS][SFC_NAME_MAX];
	uint32_t id;		/* 1..SFC_MAX_PPGS-1, stable; 0 = unassigned */
};

struct sfc_cfg_fc {
	char name[SFC_NAME_MAX];
	int ethertype;		/* 0 (any), 4 (IPv4), 6 (IPv6) */
	int protocol;		/* -1 any, else 0..255 */
	bool has_src, has_dst;
	struct sfc_prefix src, dst;
	uint16_t sport_lo, sport_hi;	/* 0-65535 when unset */
	uint16_t dport_lo, dport_hi;
	char lsp[SFC_NAME_MAX];	/* logical source port, "" any */
	char ldp[SFC_NAME_MAX];	/* logical destination port, "" any */
	uint32_t priority;	/* lower wins; default 100; ties by name */
};

struct sfc_cfg_chain {
	char name[SFC_NAME_MAX];
	uint32_t chain_id;	/* SPI, 1..0xffffff, unique */
	int nr_ppgs;
	char ppgs[SFC_MAX_HOPS][SFC_NAME_MAX];
	int nr_fcs;
	char fcs[SFC_MAX_FC_PER_CHAIN][SFC_NAME_MAX];
	bool symmetric;
	enum sfc_correlation correlation;
	enum sfc_chain_end end;
	uint32_t id;		/* 1..SFC_MAX_CHAINS-1, stable; 0 = unassigned */
};

/* A growable array of one resource type. */
#define SFC_VEC(type) struct { type *v; size_t n, cap; }

struct sfc_config {
	uint32_t generation;	/* data plane generation last committed */
	SFC_VEC(struct sfc_cfg_port) ports;
	SFC_VEC(struct sfc_cfg_pair) pairs;
	SFC_VEC(struct sfc_cfg_ppg) ppgs;
	SFC_VEC(struct sfc_cfg_fc) fcs;
	SFC_VEC(struct sfc_cfg_chain) chains;
};

void sfc_config_init(struct sfc_config *c);
void sfc_config_free(struct sfc_config *c);
int sfc_config_copy(struct sfc_config *dst, const struct sfc_config *src);

/* Lookup by name; NULL when absent. */
struct sfc_cfg_port *sfc_cfg_find_port(const struct sfc_config *c, const char *name);
struct sfc_cfg_pair *sfc_cfg_find_pair(const struct sfc_config *c, const char *name);
struct sfc_cfg_ppg *sfc_cfg_find_ppg(const struct sfc_config *c, const char *name);
struct sfc_cfg_fc *sfc_cfg_find_fc(const struct sfc_config *c, const char *name);
struct sfc_cfg_chain *sfc_cfg_find_chain(const struct sfc_config *c, const char *name);

/* True when some port pair uses the port (such ports are VNF ports). */
bool sfc_cfg_port_is_vnf(const struct sfc_config *c, const struct sfc_cfg_port *p);

/*
 * Checks the whole configuration: names, references, ranges, uniqueness,
 * limits, and the rules of the data plane (a chain has 1..SFC_MAX_HOPS
 * groups, no port is a return port twice in one chain, ...). Returns 0,
 * or -EINVAL with a one-line message in err.
 */
int sfc_config_validate(const struct sfc_config *c, char *err, size_t errlen);

/* Gives every resource whose id is 0 the lowest free id; keeps others. */
int sfc_config_assign_ids(struct sfc_config *c, char *err, size_t errlen);

#endif /* SFC_CONFIG_H */
