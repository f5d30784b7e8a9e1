// SPDX-License-Identifier: GPL-2.0
/*
 * Compiling a configuration into the pinned maps (see compile.h for the
 * sequence). Everything written before the switch goes either to the
 * inactive slot or to entries the live slot does not reference yet (new
 * ports, MACs), so a failure at any point leaves the live data plane as
 * it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>

#include "compile.h"
#include "dataplane.h"
#include "maglev.h"
#include "netdev.h"
#include "genl.h"
#include "tunnel.h"
#include "tss.h"
#include "uapi/sfc_maps.h"

/*
 * A slot retired by a switch is not rewritten until this long after it:
 * packets still inside a VNF finish their path on the configuration they
 * started with. One still inside after it is dropped as stale-config.
 */
#define SFC_GRACE_NS	(250ull * 1000 * 1000)

/* The model's enum and the data plane's values are the same numbers. */
_Static_assert(SFC_CORR_NONE == SFC_CORRELATION_NONE &&
	       SFC_CORR_MPLS == SFC_CORRELATION_MPLS &&
	       SFC_CORR_NSH == SFC_CORRELATION_NSH, "correlation values");

struct compile_ctx {
	const struct sfc_config *cfg;
	struct sfc_dp *dp;
	__u32 generation;	/* being built */
	__u32 slot;
	__u32 *ifindex;		/* per cfg->ports entry, 0: no device */
	bool *peer;		/* per cfg->ports entry: a veth, other end elsewhere */
	__u32 tunnel_ifindex;	/* the Geneve device, 0: no tunnel */
	bool best_effort;	/* undoing: skip what cannot be done */
	char *err;
	size_t errlen;
};

static int fail(struct compile_ctx *cc, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct compile_ctx *cc, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cc->err, cc->errlen, fmt, ap);
	va_end(ap);
	return err;
}

static int map_write(int fd, __u32 key, const void *val)
{
	return bpf_map_update_elem(fd, &key, val, BPF_ANY) ? -errno : 0;
}

/* The index of a port in cfg->ports, or ports.n when there is none. */
static size_t port_index(const struct compile_ctx *cc, const char *name)
{
	size_t i;

	for (i = 0; i < cc->cfg->ports.n; i++)
		if (!strcmp(cc->cfg->ports.v[i].name, name))
			break;
	return i;
}

/* cc->ifindex and cc->peer have a zero entry past the ports for "none". */
static __u32 port_ifindex(const struct compile_ctx *cc, const char *name)
{
	return cc->ifindex[port_index(cc, name)];
}

static bool port_peer(const struct compile_ctx *cc, const char *name)
{
	return cc->peer[port_index(cc, name)];
}

static __u32 port_id(const struct sfc_config *cfg, const char *name)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(cfg, name);

	return p ? p->id : 0;
}

/* The tunnel's Geneve device, created when missing (tunnel.h). */
static int resolve_tunnel(struct compile_ctx *cc)
{
	const struct sfc_cfg_tunnel *t;
	int ifindex = 0, err;

	cc->tunnel_ifindex = 0;
	if (!cc->cfg->tunnels.n)
		return 0;
	t = &cc->cfg->tunnels.v[0];
	if (cc->best_effort) {	/* undoing: only what is there */
		cc->tunnel_ifindex = if_nametoindex(t->dev);
		return 0;
	}
	err = sfc_tunnel_ensure(t->dev, (uint16_t)t->dstport, &ifindex,
				cc->err, cc->errlen);
	if (err)
		return err;
	cc->tunnel_ifindex = (__u32)ifindex;
	return 0;
}

static int resolve_devices(struct compile_ctx *cc)
{
	size_t i;

	cc->ifindex = calloc(cc->cfg->ports.n + 1, sizeof(*cc->ifindex));
	cc->peer = calloc(cc->cfg->ports.n + 1, sizeof(*cc->peer));
	if (!cc->ifindex || !cc->peer)
		return fail(cc, -ENOMEM, "out of memory");
	for (i = 0; i < cc->cfg->ports.n; i++) {
		const struct sfc_cfg_port *p = &cc->cfg->ports.v[i];

		if (sfc_cfg_port_is_remote(p))
			continue;	/* on another host: no device here */
		cc->ifindex[i] = if_nametoindex(p->dev);
		if (!cc->ifindex[i] && !cc->best_effort)
			return fail(cc, -ENODEV, "port %s: no device %s",
				    p->name, p->dev);
	}
	/* Without the answer every port keeps the plain redirect: slower, not wrong. */
	sfc_netdev_veth_peer_elsewhere(cc->ifindex, cc->cfg->ports.n, cc->peer);
	return resolve_tunnel(cc);
}

/* Zeroes a per-CPU counter slot so a reused id starts from nothing. */
static int zero_percpu(int fd, __u32 key, size_t value_size)
{
	size_t len = value_size * (size_t)sfc_nr_cpus();
	void *zero = calloc(1, len ? len : 1);
	int err;

	if (!zero)
		return -ENOMEM;
	err = map_write(fd, key, zero);
	free(zero);
	return err;
}

static bool old_has_port_id(const struct sfc_config *old, __u32 id)
{
	size_t i;

	for (i = 0; old && i < old->ports.n; i++)
		if (old->ports.v[i].id == id)
			return true;
	return false;
}

static bool old_has_chain_id(const struct sfc_config *old, __u32 id)
{
	size_t i;

	for (i = 0; old && i < old->chains.n; i++)
		if (old->chains.v[i].id == id)
			return true;
	return false;
}

/* True when a pair of a tap group uses the port: its output is discarded. */
static bool port_in_tap_group(const struct sfc_config *cfg, const char *port)
{
	size_t i;
	int j;

	for (i = 0; i < cfg->ppgs.n; i++) {
		const struct sfc_cfg_ppg *g = &cfg->ppgs.v[i];

		for (j = 0; g->tap && j < g->nr_pairs; j++) {
			const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(cfg, g->pairs[j]);

			if (pp && (!strcmp(pp->ingress, port) || !strcmp(pp->egress, port)))
				return true;
		}
	}
	return false;
}

/* True when an SFC-aware pair (MPLS or NSH) uses the port. */
static bool port_is_aware(const struct sfc_config *cfg, const char *port)
{
	size_t i;

	for (i = 0; i < cfg->pairs.n; i++) {
		const struct sfc_cfg_pair *pp = &cfg->pairs.v[i];

		if (pp->correlation != SFC_CORR_NONE &&
		    (!strcmp(pp->ingress, port) || !strcmp(pp->egress, port)))
			return true;
	}
	return false;
}

static __u32 port_flags(const struct sfc_config *cfg, const struct sfc_cfg_port *p)
{
	if (!sfc_cfg_port_is_vnf(cfg, p))
		return SFC_PORT_F_WORKLOAD;
	return SFC_PORT_F_VNF |
	       (port_in_tap_group(cfg, p->name) ? SFC_PORT_F_TAP : 0) |
	       (port_is_aware(cfg, p->name) ? SFC_PORT_F_AWARE : 0);
}

/*
 * A port's MAC -> the port (logical-destination-port rules), with where a
 * finished chain is delivered to it: a local workload's device, or a
 * remote port's key (docs/design.md "Across hosts: Geneve", chain ends).
 */
static int write_mac(struct compile_ctx *cc, const struct sfc_cfg_port *p,
		     __u32 ifindex)
{
	struct sfc_mac_key mk = { 0 };
	struct sfc_mac_val mv = { .port_id = p->id };

	if (!p->has_mac)
		return 0;
	memcpy(mk.addr, p->mac, 6);
	if (sfc_cfg_port_is_remote(p))
		mv.key = p->key;
	else if (port_flags(cc->cfg, p) == SFC_PORT_F_WORKLOAD)
		mv.ifindex = ifindex;
	if (bpf_map_update_elem(cc->dp->macs_fd, &mk, &mv, BPF_ANY))
		return fail(cc, -errno, "port %s mac: %s", p->name, strerror(errno));
	return 0;
}

/* Ports and MACs: added/updated before the switch (nothing live uses a
 * new entry yet); stale ones go after it. */
static int write_ports(struct compile_ctx *cc, const struct sfc_config *old)
{
	size_t i;
	int err;

	for (i = 0; i < cc->cfg->ports.n; i++) {
		const struct sfc_cfg_port *p = &cc->cfg->ports.v[i];
		struct sfc_port_key k = { .ifindex = cc->ifindex[i] };
		struct sfc_port_val v = {
			.port_id = p->id,
			.flags = port_flags(cc->cfg, p),
			.key = p->key,
		};

		if (!k.ifindex)
			continue;	/* best effort: device gone */
		if (!old_has_port_id(old, p->id)) {
			err = zero_percpu(cc->dp->port_stats_fd, p->id,
					  sizeof(struct sfc_port_stats));
			if (err)
				return fail(cc, err, "resetting counters of port %s: %s",
					    p->name, strerror(-err));
		}
		if (bpf_map_update_elem(cc->dp->ports_fd, &k, &v, BPF_ANY))
			return fail(cc, -errno, "port %s: %s", p->name,
				    strerror(errno));
		/* port id -> device, for sources named by an NSH context */
		if (bpf_map_update_elem(cc->dp->port_ifindex_fd, &p->id, &k.ifindex,
					BPF_ANY))
			return fail(cc, -errno, "port %s: %s", p->name,
				    strerror(errno));
		err = write_mac(cc, p, k.ifindex);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Port keys (every port with one, local or remote) and the tunnel: like
 * ports, written before the switch; keys only the old configuration had
 * go after it.
 */
static int write_port_keys(struct compile_ctx *cc)
{
	size_t i;
	int err;

	for (i = 0; i < cc->cfg->ports.n; i++) {
		const struct sfc_cfg_port *p = &cc->cfg->ports.v[i];
		struct sfc_port_loc loc = { 0 };

		if (!p->key)
			continue;
		if (sfc_cfg_port_is_remote(p)) {
			__u32 one = 1;

			memcpy(&loc.remote_ip, p->remote, 4);
			loc.vni = p->vni;
			/* its host may send to this one (sfc_tunnel_peers) */
			if (bpf_map_update_elem(cc->dp->tunnel_peers_fd, &loc.remote_ip,
						&one, BPF_ANY))
				return fail(cc, -errno, "port %s host: %s", p->name,
					    strerror(errno));
			err = write_mac(cc, p, 0);
			if (err)
				return err;
		} else if (cc->ifindex[i]) {
			loc.ifindex = cc->ifindex[i];
			loc.port_id = p->id;
		} else {
			continue;	/* best effort: device gone */
		}
		if (bpf_map_update_elem(cc->dp->port_keys_fd, &p->key, &loc, BPF_ANY))
			return fail(cc, -errno, "port %s key: %s", p->name,
				    strerror(errno));
	}
	return 0;
}

/*
 * With the sfc_geneve module loaded, its kfuncs write and find the option
 * by the module's own (per-netns) class and type: they must be the
 * tunnel's. Without it the BPF fallback reads them from sfc_tunnel.
 */
static int sync_module(struct compile_ctx *cc, const struct sfc_cfg_tunnel *t)
{
	int err;

	if (cc->best_effort || !sfc_genl_available())
		return 0;
	err = sfc_genl_set((int)t->opt_class, (int)t->opt_type);
	return err ? fail(cc, err, "tunnel %s: setting the sfc_geneve module's option class and type: %s",
			  t->name, strerror(-err)) : 0;
}

static int write_tunnel(struct compile_ctx *cc)
{
	const struct sfc_cfg_tunnel *t;
	struct sfc_port_key k = { .ifindex = cc->tunnel_ifindex };
	struct sfc_port_val v = { .flags = SFC_PORT_F_TUNNEL };
	struct sfc_tunnel_cfg tc = { 0 };

	if (!cc->tunnel_ifindex)
		return 0;	/* none, or removed: cleared after the switch */
	t = &cc->cfg->tunnels.v[0];
	tc.ifindex = cc->tunnel_ifindex;
	tc.vni = t->vni;
	tc.opt_class = (__u16)t->opt_class;
	tc.opt_type = (__u8)t->opt_type;
	if (bpf_map_update_elem(cc->dp->ports_fd, &k, &v, BPF_ANY) ||
	    map_write(cc->dp->tunnel_fd, 0, &tc))
		return fail(cc, -errno, "tunnel %s: %s", t->name, strerror(errno));
	return sync_module(cc, t);
}

static int write_remote(struct compile_ctx *cc)
{
	int err = write_port_keys(cc);

	return err ? err : write_tunnel(cc);
}

/*
 * After the switch: deletes the entries of map fd whose key (at most
 * STALE_KEY_MAX bytes) the new configuration no longer has, as keep
 * says, and hands each to gone when given. Collected first: deleting
 * while walking would lose our place. Errors are not fatal (the new
 * configuration is live and correct); a leftover entry is harmless and
 * `sfcctl restore` clears it.
 */
#define STALE_KEY_MAX	sizeof(struct sfc_mac_key)

_Static_assert(sizeof(struct sfc_port_key) <= STALE_KEY_MAX &&
	       sizeof(__u32) <= STALE_KEY_MAX, "a stale key fits");

typedef bool (*keep_fn)(const struct compile_ctx *cc, const void *key);

static void delete_stale(const struct compile_ctx *cc, int fd, keep_fn keep,
			 void (*gone)(const void *key))
{
	__u8 stale[SFC_MAX_PORTS][STALE_KEY_MAX], k[STALE_KEY_MAX] = { 0 };
	__u8 *prev = NULL;
	int n = 0, i;

	while (n < SFC_MAX_PORTS && !bpf_map_get_next_key(fd, prev, k)) {
		if (!keep(cc, k))
			memcpy(stale[n++], k, sizeof(k));
		prev = k;
	}
	for (i = 0; i < n; i++) {
		bpf_map_delete_elem(fd, stale[i]);
		if (gone)
			gone(stale[i]);
	}
}

/* A port key (u32) some port of the new configuration has. */
static bool new_has_key(const struct compile_ctx *cc, const void *key)
{
	__u32 k;
	size_t i;

	memcpy(&k, key, sizeof(k));
	for (i = 0; i < cc->cfg->ports.n; i++)
		if (cc->cfg->ports.v[i].key == k)
			return true;
	return false;
}

/* An underlay address (network order) some remote port lives at. */
static bool new_has_peer(const struct compile_ctx *cc, const void *ip)
{
	size_t i;

	for (i = 0; i < cc->cfg->ports.n; i++)
		if (sfc_cfg_port_is_remote(&cc->cfg->ports.v[i]) &&
		    !memcmp(cc->cfg->ports.v[i].remote, ip, 4))
			return true;
	return false;
}

/* After the switch: keys, hosts and a tunnel only the old configuration
 * had. */
static void cleanup_remote(struct compile_ctx *cc)
{
	struct sfc_tunnel_cfg none = { 0 };

	delete_stale(cc, cc->dp->port_keys_fd, new_has_key, NULL);
	delete_stale(cc, cc->dp->tunnel_peers_fd, new_has_peer, NULL);
	if (!cc->tunnel_ifindex)
		map_write(cc->dp->tunnel_fd, 0, &none);
}

static int attach_devices(struct compile_ctx *cc)
{
	size_t i;
	int err;

	if (cc->tunnel_ifindex) {
		err = sfc_dp_attach(cc->dp, (int)cc->tunnel_ifindex, false);
		if (err)
			return fail(cc, err, "attaching to tunnel device %s: %s",
				    cc->cfg->tunnels.v[0].dev, strerror(-err));
	}

	for (i = 0; i < cc->cfg->ports.n; i++) {
		if (!cc->ifindex[i])
			continue;	/* best effort: device gone */
		err = sfc_dp_attach(cc->dp, (int)cc->ifindex[i],
				    sfc_cfg_port_is_vnf(cc->cfg, &cc->cfg->ports.v[i]));
		if (!err)
			err = sfc_dp_attach_xdp(cc->dp, (int)cc->ifindex[i],
						port_is_aware(cc->cfg, cc->cfg->ports.v[i].name));
		if (err)
			return fail(cc, err, "attaching to %s: %s",
				    cc->cfg->ports.v[i].dev, strerror(-err));
	}
	return 0;
}

static __u8 ppg_flags(const struct sfc_cfg_ppg *g)
{
	return (g->tap ? SFC_PPG_F_TAP : 0) |
	       (g->fail_mode == SFC_FAIL_OPEN ? SFC_PPG_F_FAIL_OPEN : 0) |
	       (g->asymmetric ? SFC_PPG_F_ASYMMETRIC : 0) |
	       (g->health.enabled ? SFC_PPG_F_HEALTH : 0);
}

static __u32 port_key(const struct sfc_config *cfg, const char *name)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(cfg, name);

	return p ? p->key : 0;
}

/* Both ports of a pair are on one host (validated): the ingress says. */
static bool pair_is_remote(const struct sfc_config *cfg,
			   const struct sfc_cfg_pair *pp)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(cfg, pp->ingress);

	return p && sfc_cfg_port_is_remote(p);
}

/*
 * Which of a local pair's ports bpf_redirect_peer can enter (uapi). Not
 * an SFC-aware pair's: a peer redirect does not run eth_type_trans at the
 * other end, so skb->protocol would still say IP under the MPLS or NSH
 * header we pushed, and the VNF's stack would parse the packet as IP.
 */
static __u8 pair_peer_flags(const struct compile_ctx *cc,
			    const struct sfc_cfg_pair *pp)
{
	if (pp->handoff == SFC_HANDOFF_EGRESS || pp->correlation != SFC_CORR_NONE)
		return 0;
	return (port_peer(cc, pp->ingress) ? SFC_PAIR_F_PEER_IN : 0) |
	       (port_peer(cc, pp->egress) ? SFC_PAIR_F_PEER_OUT : 0);
}

/* A group as the data plane holds it, Maglev table included. */
static int build_ppg(struct compile_ctx *cc, const struct sfc_cfg_ppg *g,
		     struct sfc_ppg *v)
{
	const char *names[SFC_MAX_PAIRS];
	uint32_t weights[SFC_MAX_PAIRS];
	int j, err;

	memset(v, 0, sizeof(*v));
	v->nr_pairs = (__u8)g->nr_pairs;
	v->flags = ppg_flags(g);
	v->lb_fields = (__u16)g->lb_fields;
	v->id = g->id;
	for (j = 0; j < g->nr_pairs; j++) {
		const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(cc->cfg, g->pairs[j]);

		if (!pp)
			return fail(cc, -EINVAL, "group %s: no pair %s",
				    g->name, g->pairs[j]);
		if (pair_is_remote(cc->cfg, pp)) {
			/* On another host: its ports by key (tunnel.h). */
			v->pairs[j].flags = SFC_PAIR_F_REMOTE;
			v->pairs[j].ingress_ifindex = port_key(cc->cfg, pp->ingress);
			v->pairs[j].egress_ifindex = port_key(cc->cfg, pp->egress);
		} else {
			v->pairs[j].ingress_ifindex = port_ifindex(cc, pp->ingress);
			v->pairs[j].egress_ifindex = port_ifindex(cc, pp->egress);
			v->pairs[j].flags = pair_peer_flags(cc, pp);
		}
		v->pairs[j].weight = (__u16)(pp->weight ? pp->weight : 1);
		v->pairs[j].correlation = (__u8)pp->correlation;
		names[j] = pp->name;
		weights[j] = v->pairs[j].weight;
	}
	if (!g->nr_pairs)
		return 0;
	err = sfc_maglev_fill(v->table, SFC_MAGLEV_SIZE, names, weights,
			      (size_t)g->nr_pairs);
	return err ? fail(cc, err, "group %s: lookup table: %s", g->name,
			  strerror(-err)) : 0;
}

static int write_ppgs(struct compile_ctx *cc)
{
	struct sfc_ppg zero = { 0 };
	__u32 id;
	size_t i;
	int err;

	/* Clear the slot first: ids not in this configuration must be empty. */
	for (id = 0; id < SFC_MAX_PPGS; id++) {
		err = map_write(cc->dp->ppgs_fd, cc->slot * SFC_MAX_PPGS + id, &zero);
		if (err)
			return fail(cc, err, "clearing groups: %s", strerror(-err));
	}
	for (i = 0; i < cc->cfg->ppgs.n; i++) {
		const struct sfc_cfg_ppg *g = &cc->cfg->ppgs.v[i];
		struct sfc_ppg v;

		err = build_ppg(cc, g, &v);
		if (err)
			return err;
		err = map_write(cc->dp->ppgs_fd, cc->slot * SFC_MAX_PPGS + g->id, &v);
		if (err)
			return fail(cc, err, "group %s: %s", g->name, strerror(-err));
	}
	return 0;
}

static __u8 chain_flags(const struct sfc_config *cfg,
			const struct sfc_cfg_chain *c)
{
	bool branches;

	sfc_cfg_graph_of(cfg, c->name, &branches, NULL);
	return (branches ? SFC_CHAIN_F_BRANCH : 0) |
	       (c->symmetric ? SFC_CHAIN_F_SYMMETRIC : 0) |
	       (c->end == SFC_END_DIRECT ? SFC_CHAIN_F_DIRECT : 0) |
	       (c->mpls_encoding == SFC_MPLS_RFC8595 ? SFC_CHAIN_F_MPLS_RFC8595 : 0) |
	       (c->nsh_md_type == 2 ? SFC_CHAIN_F_NSH_MD2 : 0) |
	       (c->nsh_next == SFC_NSH_NEXT_ETHERNET ? SFC_CHAIN_F_NSH_ETH : 0);
}

/* The SPI of a chain's path, as the data plane puts it on the wire. */
static __u32 spi_of(const struct sfc_cfg_chain *c, int dir)
{
	unsigned int bits = c->correlation == SFC_CORR_NSH ? SFC_NSH_SPI_BITS :
			    c->mpls_encoding == SFC_MPLS_RFC8595 ? SFC_MPLS2_SPI_BITS :
								   SFC_MPLS1_SPI_BITS;

	return dir == SFC_DIR_REV ? c->chain_id | (1u << (bits - 1)) : c->chain_id;
}

/*
 * (slot, SPI) -> chain for the inactive slot: aware VNFs' returns name
 * their path by SPI. Entries of the slot's previous use are removed first.
 */
static int write_spis(struct compile_ctx *cc)
{
	struct sfc_spi_key k, stale[2 * SFC_MAX_CHAINS], *prev = NULL;
	int n = 0, i, dir;
	size_t c;

	while (n < 2 * SFC_MAX_CHAINS && !bpf_map_get_next_key(cc->dp->spis_fd, prev, &k)) {
		if (k.slot == cc->slot)
			stale[n++] = k;
		prev = &k;
	}
	for (i = 0; i < n; i++)
		bpf_map_delete_elem(cc->dp->spis_fd, &stale[i]);
	for (c = 0; c < cc->cfg->chains.n; c++) {
		const struct sfc_cfg_chain *ch = &cc->cfg->chains.v[c];

		if (ch->correlation == SFC_CORR_NONE)
			continue;
		for (dir = SFC_DIR_FWD; dir <= (ch->symmetric ? SFC_DIR_REV : SFC_DIR_FWD); dir++) {
			struct sfc_spi_key key = { .slot = cc->slot, .spi = spi_of(ch, dir) };
			struct sfc_spi_val v = { .chain = (__u16)ch->id, .dir = (__u8)dir };

			if (bpf_map_update_elem(cc->dp->spis_fd, &key, &v, BPF_ANY))
				return fail(cc, -errno, "chain %s: SPI map: %s", ch->name,
					    strerror(errno));
		}
	}
	return 0;
}

/*
 * (slot, chain id) -> chain for the inactive slot: a packet from another
 * host names its chain by the chain id (SPI) all hosts agree on.
 */
static int write_chain_ids(struct compile_ctx *cc)
{
	struct sfc_spi_key k, stale[SFC_MAX_CHAINS], *prev = NULL;
	int n = 0, i;
	size_t c;

	while (n < SFC_MAX_CHAINS &&
	       !bpf_map_get_next_key(cc->dp->chain_ids_fd, prev, &k)) {
		if (k.slot == cc->slot)
			stale[n++] = k;
		prev = &k;
	}
	for (i = 0; i < n; i++)
		bpf_map_delete_elem(cc->dp->chain_ids_fd, &stale[i]);
	for (c = 0; c < cc->cfg->chains.n; c++) {
		const struct sfc_cfg_chain *ch = &cc->cfg->chains.v[c];
		struct sfc_spi_key key = { .slot = cc->slot, .spi = ch->chain_id };
		struct sfc_spi_val v = { .chain = (__u16)ch->id };

		if (bpf_map_update_elem(cc->dp->chain_ids_fd, &key, &v, BPF_ANY))
			return fail(cc, -errno, "chain %s: chain id map: %s",
				    ch->name, strerror(errno));
	}
	return 0;
}

static int write_chains(struct compile_ctx *cc, const struct sfc_config *old)
{
	struct sfc_chain zero = { 0 };
	__u32 id, dir, hop;
	size_t i;
	int j, err;

	for (id = 0; id < SFC_MAX_CHAINS; id++) {
		err = map_write(cc->dp->chains_fd, cc->slot * SFC_MAX_CHAINS + id, &zero);
		if (err)
			return fail(cc, err, "clearing chains: %s", strerror(-err));
	}
	for (i = 0; i < cc->cfg->chains.n; i++) {
		const struct sfc_cfg_chain *c = &cc->cfg->chains.v[i];
		struct sfc_chain v = {
			.generation = cc->generation,
			.chain_id = c->chain_id,
			.nr_hops = (__u8)c->nr_ppgs,
			.flags = chain_flags(cc->cfg, c),
			.correlation = (__u8)c->correlation,
			.nsh_ttl = (__u8)(c->nsh_ttl ? c->nsh_ttl : SFC_NSH_TTL_DEFAULT),
		};

		for (j = 0; j < c->nr_ppgs; j++) {
			const struct sfc_cfg_ppg *g = sfc_cfg_find_ppg(cc->cfg, c->ppgs[j]);

			if (!g)
				return fail(cc, -EINVAL, "chain %s: no group %s",
					    c->name, c->ppgs[j]);
			v.hops[j] = (__u16)g->id;
		}
		if (!old_has_chain_id(old, c->id)) {
			for (dir = 0; dir < 2; dir++)
				for (hop = 0; hop <= SFC_HOP_DONE; hop++)
					zero_percpu(cc->dp->hop_stats_fd,
						    SFC_HOP_STATS_KEY(c->id, dir, hop),
						    sizeof(struct sfc_traffic_counter));
		}
		err = map_write(cc->dp->chains_fd, cc->slot * SFC_MAX_CHAINS + c->id, &v);
		if (err)
			return fail(cc, err, "chain %s: %s", c->name, strerror(-err));
	}
	return 0;
}

static void prefix_to_rule(const struct sfc_prefix *p, __be32 *net, __be32 *mask)
{
	unsigned int w, bits;

	memset(net, 0, 16);
	memset(mask, 0, 16);
	for (w = 0; w < (p->family == AF_INET ? 1u : 4u); w++) {
		bits = p->len > w * 32 ? p->len - w * 32 : 0;
		if (bits > 32)
			bits = 32;
		mask[w] = bits ? htonl(~0u << (32 - bits)) : 0;
		memcpy(&net[w], p->addr + 4 * w, 4);
		net[w] &= mask[w];
	}
}

int sfc_compile_rule(const struct sfc_config *cfg, const struct sfc_cfg_fc *fc,
		     __u32 chain_idx, struct sfc_rule *r, __u32 *list)
{
	memset(r, 0, sizeof(*r));
	r->chain = (__u16)chain_idx;
	r->family = (__u8)fc->ethertype;
	if (fc->has_src)
		r->family = fc->src.family == AF_INET ? 4 : 6;
	else if (fc->has_dst)
		r->family = fc->dst.family == AF_INET ? 4 : 6;
	r->proto = fc->protocol < 0 ? 0 : (__u8)fc->protocol;
	r->sport_lo = fc->sport_lo;
	r->sport_hi = fc->sport_hi;
	r->dport_lo = fc->dport_lo;
	r->dport_hi = fc->dport_hi;
	if (fc->has_src)
		prefix_to_rule(&fc->src, r->src, r->src_mask);
	if (fc->has_dst)
		prefix_to_rule(&fc->dst, r->dst, r->dst_mask);
	if (fc->ldp[0]) {
		r->dst_port_id = (__u16)port_id(cfg, fc->ldp);
		if (!r->dst_port_id)
			return -ENOENT;
	}
	*list = 0;
	if (fc->lsp[0]) {
		*list = port_id(cfg, fc->lsp);
		if (!*list)
			return -ENOENT;
	}
	return 0;
}

struct pending_rule {
	struct sfc_rule r;
	__u32 list;
	uint32_t priority;
	const char *name;
};

/* Rank order: priority, then classifier name: total and deterministic. */
static int by_priority(const void *a, const void *b)
{
	const struct pending_rule *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_list_then_rank(const void *a, const void *b)
{
	const struct pending_rule *x = a, *y = b;

	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->r.rank < y->r.rank ? -1 : x->r.rank > y->r.rank;
}

/*
 * The rule lists a chain's classifiers go to: the source port's (or list
 * 0) for a chain traffic enters from ports; for a destination chain of a
 * service graph, the branch list of each of its source chains instead
 * (logical source port ignored), and no port's. Returns how many lists
 * and fills lists[] with SFC_BRANCH_LIST values (0 entries: port lists).
 */
static int branch_lists_of(const struct sfc_config *cfg,
			   const struct sfc_cfg_chain *c,
			   __u32 lists[SFC_MAX_GRAPH_EDGES])
{
	const struct sfc_cfg_graph *g;
	const struct sfc_cfg_chain *src;
	bool is_dst;
	int e, n = 0;

	g = sfc_cfg_graph_of(cfg, c->name, NULL, &is_dst);
	if (!g || !is_dst)
		return 0;
	for (e = 0; e < g->nr_edges; e++) {
		if (strcmp(g->edges[2 * e + 1], c->name))
			continue;
		src = sfc_cfg_find_chain(cfg, g->edges[2 * e]);
		if (src)
			lists[n++] = SFC_BRANCH_LIST(src->id);
	}
	return n;
}

static size_t rules_of(const struct sfc_config *cfg)
{
	__u32 lists[SFC_MAX_GRAPH_EDGES];
	size_t i, total = 0;
	int n;

	for (i = 0; i < cfg->chains.n; i++) {
		n = branch_lists_of(cfg, &cfg->chains.v[i], lists);
		total += (size_t)cfg->chains.v[i].nr_fcs * (size_t)(n ? n : 1);
	}
	return total;
}

static int collect_rules(struct compile_ctx *cc, struct pending_rule **out,
			 size_t *count)
{
	__u32 branch[SFC_MAX_GRAPH_EDGES];
	struct pending_rule *rules;
	size_t i, n = 0, total = rules_of(cc->cfg);
	int j, b, nb;

	if (total > SFC_MAX_RULES)
		return fail(cc, -E2BIG, "%zu classifier rules: the data plane holds %u",
			    total, SFC_MAX_RULES);
	rules = calloc(total + 1, sizeof(*rules));
	if (!rules)
		return fail(cc, -ENOMEM, "out of memory");
	for (i = 0; i < cc->cfg->chains.n; i++) {
		const struct sfc_cfg_chain *c = &cc->cfg->chains.v[i];

		nb = branch_lists_of(cc->cfg, c, branch);
		for (j = 0; j < c->nr_fcs; j++) {
			const struct sfc_cfg_fc *fc = sfc_cfg_find_fc(cc->cfg, c->fcs[j]);

			for (b = 0; b < (nb ? nb : 1); b++) {
				struct pending_rule *p = &rules[n];

				if (!fc || sfc_compile_rule(cc->cfg, fc, c->id, &p->r,
							    &p->list)) {
					free(rules);
					return fail(cc, -EINVAL, "chain %s: bad classifier %s",
						    c->name, c->fcs[j]);
				}
				if (nb)
					p->list = branch[b];
				p->priority = fc->priority;
				p->name = fc->name;
				n++;
			}
		}
	}
	qsort(rules, n, sizeof(*rules), by_priority);
	for (i = 0; i < n; i++)
		rules[i].r.rank = (__u32)i;
	qsort(rules, n, sizeof(*rules), by_list_then_rank);
	*out = rules;
	*count = n;
	return 0;
}

/*
 * The classifier of the new configuration, built in memory before any
 * map is written: a configuration beyond the tuple space's capacity is
 * refused with nothing changed.
 */
static int build_classifier(struct compile_ctx *cc, struct sfc_tss *tss)
{
	struct pending_rule *rules = NULL;
	struct sfc_listed_rule *lr;
	size_t n = 0, i;
	int err;

	memset(tss, 0, sizeof(*tss));
	err = collect_rules(cc, &rules, &n);
	if (err)
		return err;
	lr = calloc(n + 1, sizeof(*lr));
	if (!lr) {
		free(rules);
		return fail(cc, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		lr[i].r = rules[i].r;
		lr[i].list = rules[i].list;
	}
	free(rules);
	err = sfc_tss_build(lr, n, cc->slot, tss, cc->err, cc->errlen);
	free(lr);
	return err;
}

/* Into the inactive slot: its stale entries go first (tss.c). */
static int write_classifier(struct compile_ctx *cc, const struct sfc_tss *tss)
{
	struct sfc_tss_maps maps = {
		.tuples_fd = cc->dp->class_tuples_fd,
		.rules_fd = cc->dp->class_rules_fd,
		.more_fd = cc->dp->class_more_fd,
	};

	return sfc_tss_write(&maps, tss, cc->slot, cc->err, cc->errlen);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static int read_global(struct compile_ctx *cc, struct sfc_global *g)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(cc->dp->global_fd, &zero, g))
		return fail(cc, -errno, "reading settings: %s", strerror(errno));
	return 0;
}

/* Waits until the slot we are about to overwrite has been retired long
 * enough for packets still inside VNFs to have finished with it. */
static void wait_grace(const struct sfc_global *g)
{
	__u64 now = now_ns();
	struct timespec ts;

	if (!g->switched_ns || now >= g->switched_ns + SFC_GRACE_NS)
		return;
	now = g->switched_ns + SFC_GRACE_NS - now;
	ts.tv_sec = (time_t)(now / 1000000000ull);
	ts.tv_nsec = (long)(now % 1000000000ull);
	nanosleep(&ts, NULL);
}

/* The sfc_global flags that say which optional lookups the data plane
 * makes, so a configuration without them pays nothing. */
#define GLOBAL_FLAGS_OF_CONFIG	(SFC_GLOBAL_F_DST_PORTS | SFC_GLOBAL_F_DELIVER)

/* A remote port with a MAC: a chain may end at a destination elsewhere. */
static bool delivers_across(const struct sfc_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->ports.n; i++)
		if (cfg->ports.v[i].has_mac && sfc_cfg_port_is_remote(&cfg->ports.v[i]))
			return true;
	return false;
}

/* The switch: one map write. Only the generation (and flags) change;
 * flags are only added here (entries they need are written), dropped
 * after the switch. */
static int switch_generation(struct compile_ctx *cc, struct sfc_global *g,
			     __u32 flags)
{
	__u32 zero = 0;

	g->generation = cc->generation;
	g->switched_ns = now_ns();
	g->flags |= flags;
	if (bpf_map_update_elem(cc->dp->global_fd, &zero, g, BPF_ANY))
		return fail(cc, -errno, "switching generation: %s", strerror(errno));
	return 0;
}

/* A device (struct sfc_port_key) a port or the tunnel of the new
 * configuration has. */
static bool new_has_ifindex(const struct compile_ctx *cc, const void *key)
{
	struct sfc_port_key k;
	size_t i;

	memcpy(&k, key, sizeof(k));
	if (k.ifindex && k.ifindex == cc->tunnel_ifindex)
		return true;
	for (i = 0; i < cc->cfg->ports.n; i++)
		if (cc->ifindex[i] == k.ifindex)
			return true;
	return false;
}

/* A MAC (struct sfc_mac_key) a port of the new configuration has. */
static bool new_has_mac(const struct compile_ctx *cc, const void *key)
{
	const struct sfc_mac_key *k = key;
	size_t i;

	for (i = 0; i < cc->cfg->ports.n; i++)
		if (cc->cfg->ports.v[i].has_mac &&
		    !memcmp(cc->cfg->ports.v[i].mac, k->addr, 6))
			return true;
	return false;
}

static void detach_gone(const void *key)
{
	struct sfc_port_key k;

	memcpy(&k, key, sizeof(k));
	sfc_dp_detach((int)k.ifindex);
}

/* After the switch: ports only the old configuration had, detached from
 * their devices. */
static void cleanup_ports(struct compile_ctx *cc)
{
	delete_stale(cc, cc->dp->ports_fd, new_has_ifindex, detach_gone);
}

static void cleanup_macs(struct compile_ctx *cc)
{
	delete_stale(cc, cc->dp->macs_fd, new_has_mac, NULL);
}

/*
 * After the switch: forget ports and MACs only the old configuration had,
 * detach from their devices, and drop the dst-port flag if unused. Errors
 * here are not fatal (the new configuration is live and correct); a
 * leftover entry is harmless and `sfcctl restore` clears it.
 */
static void cleanup_after_switch(struct compile_ctx *cc, struct sfc_global *g,
				 __u32 flags)
{
	__u32 zero = 0, unused = g->flags & GLOBAL_FLAGS_OF_CONFIG & ~flags;

	if (unused) {	/* first: the entries they lead to go next */
		g->flags &= ~unused;
		bpf_map_update_elem(cc->dp->global_fd, &zero, g, BPF_ANY);
	}
	cleanup_ports(cc);
	cleanup_macs(cc);
	cleanup_remote(cc);
}

/*
 * A commit failed before the switch: the slots it wrote are inactive, but
 * ports, MACs and filters are shared. Put them back as the old
 * configuration had them, as far as devices still exist.
 */
static void undo_stage(struct compile_ctx *failed, const struct sfc_config *old)
{
	struct compile_ctx cc = {
		.cfg = old, .dp = failed->dp, .best_effort = true,
		.err = failed->err + strlen(failed->err),	/* keep the cause */
		.errlen = 1,
	};

	if (!resolve_devices(&cc)) {
		write_ports(&cc, old);
		write_remote(&cc);
		attach_devices(&cc);
		cleanup_ports(&cc);
		cleanup_macs(&cc);
		cleanup_remote(&cc);
	}
	free(cc.ifindex);
	free(cc.peer);
}

static int stage(struct compile_ctx *cc, const struct sfc_config *old,
		 __u32 *global_flags)
{
	struct sfc_tss tss;
	int err = build_classifier(cc, &tss);

	*global_flags = (tss.uses_dst_ports ? SFC_GLOBAL_F_DST_PORTS : 0) |
			(delivers_across(cc->cfg) ? SFC_GLOBAL_F_DELIVER : 0);
	if (!err)
		err = resolve_devices(cc);
	if (!err)
		err = write_ports(cc, old);
	if (!err)
		err = write_remote(cc);
	if (!err)
		err = attach_devices(cc);
	if (!err)
		err = write_ppgs(cc);
	if (!err)
		err = write_chains(cc, old);
	if (!err)
		err = write_classifier(cc, &tss);
	if (!err)
		err = write_spis(cc);
	if (!err)
		err = write_chain_ids(cc);
	sfc_tss_free(&tss);
	return err;
}

int sfc_commit(const struct sfc_config *old, struct sfc_config *new,
	       const char *pin_root, sfc_save_fn save, void *ctx,
	       char *err, size_t errlen)
{
	struct compile_ctx cc = { .cfg = new, .err = err, .errlen = errlen };
	struct sfc_global g;
	struct sfc_dp dp;
	__u32 flags = 0;
	int ret;

	ret = sfc_dp_load(&dp, pin_root);
	if (ret) {
		snprintf(err, errlen, "loading the data plane at %s: %s",
			 pin_root, strerror(-ret));
		return ret;
	}
	cc.dp = &dp;
	ret = read_global(&cc, &g);
	if (ret)
		goto out;
	cc.generation = g.generation + 1;
	if (!cc.generation)	/* 0 means "nothing configured" */
		cc.generation = 2;
	cc.slot = cc.generation & 1;
	wait_grace(&g);

	ret = stage(&cc, old, &flags);
	if (!ret && save) {
		new->generation = cc.generation;
		ret = save(new, ctx);
		if (ret)
			fail(&cc, ret, "saving the configuration: %s", strerror(-ret));
	}
	if (ret) {
		undo_stage(&cc, old);
		goto out;
	}
	new->generation = cc.generation;
	ret = switch_generation(&cc, &g, flags);
	if (!ret)
		cleanup_after_switch(&cc, &g, flags);
out:
	free(cc.ifindex);
	free(cc.peer);
	sfc_dp_close(&dp);
	return ret;
}

int sfc_restore(struct sfc_config *cfg, const char *pin_root,
		char *err, size_t errlen)
{
	struct sfc_config empty;
	int ret = sfc_dp_unload(pin_root);

	if (ret && ret != -ENOENT) {
		snprintf(err, errlen, "unpinning %s: %s", pin_root, strerror(-ret));
		return ret;
	}
	sfc_config_init(&empty);
	ret = sfc_commit(&empty, cfg, pin_root, NULL, NULL, err, errlen);
	sfc_config_free(&empty);
	return ret;
}

/*
 * Ports, MACs and filters are shared by both slots: a change that only
 * adds or removes ports the live slot does not name (txn.c decides) is
 * written in place, without a switch and so without waiting out the
 * previous switch's grace period. Anything else, or a data plane that is
 * not running old's generation, goes through sfc_commit.
 */
int sfc_commit_ports(const struct sfc_config *old, struct sfc_config *new,
		     const char *pin_root, sfc_save_fn save, void *ctx,
		     char *err, size_t errlen)
{
	struct compile_ctx cc = { .cfg = new, .err = err, .errlen = errlen };
	struct sfc_global g;
	struct sfc_dp dp;
	int ret;

	ret = sfc_dp_load(&dp, pin_root);
	if (ret) {
		snprintf(err, errlen, "loading the data plane at %s: %s",
			 pin_root, strerror(-ret));
		return ret;
	}
	cc.dp = &dp;
	ret = read_global(&cc, &g);
	/* A change of the global flags goes through a switch too. */
	if (ret || !old->generation || g.generation != old->generation ||
	    delivers_across(old) != delivers_across(new)) {
		sfc_dp_close(&dp);
		return ret ? ret : sfc_commit(old, new, pin_root, save, ctx,
					      err, errlen);
	}
	cc.generation = g.generation;
	ret = resolve_devices(&cc);
	if (!ret)
		ret = write_ports(&cc, old);
	if (!ret)
		ret = write_remote(&cc);
	if (!ret)
		ret = attach_devices(&cc);
	if (!ret && save) {
		new->generation = cc.generation;
		ret = save(new, ctx);
		if (ret)
			fail(&cc, ret, "saving the configuration: %s", strerror(-ret));
	}
	if (ret) {
		undo_stage(&cc, old);
	} else {
		new->generation = cc.generation;
		cleanup_ports(&cc);
		cleanup_macs(&cc);
		cleanup_remote(&cc);
	}
	free(cc.ifindex);
	free(cc.peer);
	sfc_dp_close(&dp);
	return ret;
}
