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
/*
 * 512 x 255 usable chains: room for 100k classifiers (bench/gen_config.py).
 * What the data plane holds is counted in compiled rules (a classifier of
 * a chain that is a service graph destination compiles once per source
 * chain) and, after port-range expansion, in classifier entries and
 * shapes (uapi/sfc_common.h; compile.c refuses what does not fit).
 */
#define SFC_MAX_FC_PER_CHAIN	512
#define SFC_MAX_RULES		SFC_MAX_CLASS_ENTRIES	/* >= 1 entry each */

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
	char dev[IF_NAMESIZE];	/* host-side device; "" for a remote port */
	bool has_mac;
	uint8_t mac[6];		/* the workload's MAC (logical dst port match) */
	uint32_t id;		/* 1..SFC_MAX_PORTS-1, stable; 0 = unassigned */
	/* Across hosts (tunnel): a remote port lives on the host at remote
	 * (underlay IPv4, network order; 0.0.0.0: a local port). Every host
	 * names a port by the same key; vni 0 is the tunnel's. */
	uint8_t remote[4];
	uint32_t key;		/* 0: none (a local port no other host names) */
	uint32_t vni;
};

/*
 * How a packet is handed to an instance: auto uses bpf_redirect_peer when
 * the port is a veth whose other end is in another namespace (the packet
 * goes straight to the VNF's end: faster, but the host end's egress --
 * qdisc, tcpdump on it -- never sees it); egress always sends it out of
 * the host end.
 */
enum sfc_handoff {
	SFC_HANDOFF_AUTO = 0,
	SFC_HANDOFF_EGRESS,
};

struct sfc_cfg_pair {
	char name[SFC_NAME_MAX];
	char ingress[SFC_NAME_MAX];	/* port name */
	char egress[SFC_NAME_MAX];	/* port name; same as ingress: one port */
	enum sfc_correlation correlation;
	uint32_t weight;		/* 1..65535, default 1 */
	enum sfc_handoff handoff;
};

enum sfc_fail_mode {
	SFC_FAIL_CLOSE = 0,	/* no healthy instance: drop (default: a
				 * security function is never bypassed unasked) */
	SFC_FAIL_OPEN,		/* no healthy instance: skip the hop */
};

/* Health checks of a group's instances: ICMP echo probes sent into each
 * pair's ingress port, expected back on its egress port. */
struct sfc_cfg_health {
	bool enabled;
	uint32_t interval_ms;	/* default 1000 */
	uint32_t timeout_ms;	/* default 500, < interval */
	uint32_t rise;		/* successes to come back up, default 2 */
	uint32_t fall;		/* failures to go down, default 3 */
	uint8_t probe_src[4];	/* IPv4 of the probes, default 169.254.255.1 */
	uint8_t probe_dst[4];	/* default 169.254.255.2 */
};

struct sfc_cfg_ppg {
	char name[SFC_NAME_MAX];
	int nr_pairs;
	char pairs[SFC_MAX_PAIRS][SFC_NAME_MAX];
	uint32_t lb_fields;	/* SFC_LB_* (uapi/sfc_maps.h), 0 = default */
	bool asymmetric;	/* lb-symmetric off: for comparison only */
	bool tap;		/* networking-sfc tap_enabled */
	enum sfc_fail_mode fail_mode;
	struct sfc_cfg_health health;
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
	int mpls_encoding;	/* SFC_MPLS_SINGLE | SFC_MPLS_RFC8595 */
	uint32_t nsh_md_type;	/* 1 (default) or 2 */
	int nsh_next;		/* SFC_NSH_NEXT_ETHERNET (default) | _IP */
	uint32_t nsh_ttl;	/* 1..63, default 63 */
	uint32_t id;		/* 1..SFC_MAX_CHAINS-1, stable; 0 = unassigned */
};

/*
 * This host's Geneve tunnel (at most one): the device, created in
 * external (collect_md) mode when missing, the default VNI of remote
 * ports, and the SFC context option's class and type.
 */
struct sfc_cfg_tunnel {
	char name[SFC_NAME_MAX];
	char dev[IF_NAMESIZE];
	uint32_t vni;		/* 0..0xffffff, default 1 */
	uint32_t dstport;	/* UDP port of a device sfcctl creates, 6081 */
	uint32_t opt_class;	/* default 0xfff0 (experimental range) */
	uint32_t opt_type;	/* 0..127, default 1 */
};

#define SFC_TUNNEL_VNI_DEFAULT		1
#define SFC_TUNNEL_DSTPORT_DEFAULT	6081

struct sfc_config;

/* A port on another host (remote set). */
bool sfc_cfg_port_is_remote(const struct sfc_cfg_port *p);
/* The rules of remote ports and the tunnel (config_remote.c), part of
 * sfc_config_validate. */
int sfc_config_check_remote(const struct sfc_config *c, char *err,
			    size_t errlen);

/*
 * A service graph (networking-sfc): at the end of a source chain, traffic
 * goes on into whichever of its destination chains' classifiers match.
 * Edges are stored flat: edges[2i] is the source chain of edge i,
 * edges[2i + 1] its destination.
 */
#define SFC_MAX_GRAPH_EDGES	64

struct sfc_cfg_graph {
	char name[SFC_NAME_MAX];
	int nr_edges;
	char edges[2 * SFC_MAX_GRAPH_EDGES][SFC_NAME_MAX];
};

/*
 * The rules of service graphs (config_graph.c), part of
 * sfc_config_validate: no cycles, a chain in one graph at most, an edge
 * once, one correlation per graph, no symmetric chain in a graph,
 * distinct classification at each branching point.
 */
int sfc_config_check_graphs(const struct sfc_config *c, char *err,
			    size_t errlen);
/*
 * What a change may not do to graphs (sfc_txn_commit): a chain in a graph
 * before and after keeps its port pair groups.
 */
int sfc_config_check_graph_change(const struct sfc_config *old,
				  const struct sfc_config *new, char *err,
				  size_t errlen);
/* The graph chain c belongs to, or NULL; *is_dst: some edge ends at it. */
const struct sfc_cfg_graph *sfc_cfg_graph_of(const struct sfc_config *c,
					     const char *chain, bool *is_src,
					     bool *is_dst);

enum { SFC_MPLS_SINGLE = 0, SFC_MPLS_RFC8595 };
enum { SFC_NSH_NEXT_ETHERNET = 0, SFC_NSH_NEXT_IP };
#define SFC_CHAIN_NSH_TTL_DEFAULT	63

/* A growable array of one resource type. */
#define SFC_VEC(type) struct { type *v; size_t n, cap; }

struct sfc_config {
	uint32_t generation;	/* data plane generation last committed */
	SFC_VEC(struct sfc_cfg_port) ports;
	SFC_VEC(struct sfc_cfg_pair) pairs;
	SFC_VEC(struct sfc_cfg_ppg) ppgs;
	SFC_VEC(struct sfc_cfg_fc) fcs;
	SFC_VEC(struct sfc_cfg_chain) chains;
	SFC_VEC(struct sfc_cfg_tunnel) tunnels;	/* 0 or 1 */
	SFC_VEC(struct sfc_cfg_graph) graphs;
	/*
	 * Name lookups (sfc_cfg_find_*): a hash index per kind, built on the
	 * first lookup after a change and dropped by sfc_cfg_add/remove and
	 * sfc_config_free. Not copied. Code that renames a resource in place
	 * calls sfc_cfg_names_changed (or a lookup of the new name may miss).
	 */
	struct sfc_cfg_names *names;
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

/* Drops the name index of c: after renaming resources in place. */
void sfc_cfg_names_changed(struct sfc_config *c);

/* True when some port pair uses the port (such ports are VNF ports). */
bool sfc_cfg_port_is_vnf(const struct sfc_config *c, const struct sfc_cfg_port *p);

/*
 * Whether pairs and classifiers may name the port before it exists
 * (pending): names with a '/' are workloads an orchestrator adds and
 * removes, NAMESPACE/POD from sfc-cni. See sfc_config_active (txn.h).
 */
bool sfc_port_may_pend(const char *name);

/*
 * Checks the whole configuration: names, references, ranges, uniqueness,
 * limits, and the rules of the data plane (a chain has 1..SFC_MAX_HOPS
 * groups, no port is a return port twice in one chain, ...). Returns 0,
 * or -EINVAL with a one-line message in err.
 */
int sfc_config_validate(const struct sfc_config *c, char *err, size_t errlen);

/* Gives every resource whose id is 0 the lowest free id; keeps others. */
int sfc_config_assign_ids(struct sfc_config *c, char *err, size_t errlen);

/* ---- port pair group defaults and lb_fields (load balancing) ---- */

/* What a group gets unless told otherwise (and export leaves out). */
#define SFC_PPG_HEALTH_INTERVAL_MS	1000
#define SFC_PPG_HEALTH_TIMEOUT_MS	500
#define SFC_PPG_HEALTH_RISE		2
#define SFC_PPG_HEALTH_FALL		3
#define SFC_PPG_PROBE_SRC	0xa9feff01u	/* 169.254.255.1, host order */
#define SFC_PPG_PROBE_DST	0xa9feff02u	/* 169.254.255.2 */

/*
 * Sets every field of g but its name, pairs and id to the defaults:
 * lb_fields 0 (SFC_LB_DEFAULT), symmetric, not a tap, fail-close, health
 * checks off with the interval, timeout, rise, fall and probe addresses
 * above. Groups created or loaded get them before their own values.
 */
void sfc_cfg_ppg_defaults(struct sfc_cfg_ppg *g);

/*
 * lb_fields in networking-sfc's text form, "ip_src&ip_dst&tcp_src&tcp_dst":
 * names from eth_src eth_dst ip_src ip_dst tcp_src tcp_dst udp_src udp_dst
 * joined by '&' (or ','); tcp_ and udp_ name the same SFC_LB_L4_* bit.
 * "" and a set equal to SFC_LB_DEFAULT give 0 (the default). Returns 0, or
 * -EINVAL with a message naming the bad field; *out is untouched then.
 */
int sfc_lb_fields_parse(const char *s, uint32_t *out, char *err,
			size_t errlen);
/*
 * The canonical form (the order above, tcp_ for L4; 0 as the default set),
 * which parses back to the same value. -EINVAL for a bit without a name,
 * -ENOSPC when buf is too small.
 */
int sfc_lb_fields_format(uint32_t fields, char *buf, size_t len);
/* The name of one SFC_LB_* bit ("ip_src", "tcp_src"), or NULL. */
const char *sfc_lb_field_name(uint32_t bit);

#endif /* SFC_CONFIG_H */
