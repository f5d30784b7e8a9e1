// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of what spans hosts (docs/design.md "Across hosts: Geneve"):
 * remote ports, port keys, the tunnel. Part of sfc_config_validate.
 *
 * A remote port is (underlay IPv4 of its host, port key); every host of a
 * deployment configures the same keys, so the key in a packet's SFC
 * context names one port everywhere. A local port gets a key when another
 * host must be able to name it (a chain's source port whose chain has
 * hops elsewhere, a VNF port another host steers into).
 */
#include <errno.h>
#include <string.h>

#include "config.h"
#include "config_schema.h"

bool sfc_cfg_port_is_remote(const struct sfc_cfg_port *p)
{
	static const uint8_t none[4];

	return memcmp(p->remote, none, sizeof(none)) != 0;
}

static int check_port_binding(const struct sfc_cfg_port *p, char *err,
			      size_t errlen)
{
	bool remote = sfc_cfg_port_is_remote(p);

	if (remote && p->dev[0])
		return sfc_errf(err, errlen,
				"port %s: dev and remote both given: a port is either a device here or on another host",
				p->name);
	if (!remote && !p->dev[0])
		return sfc_errf(err, errlen,
				"port %s: missing dev (a device on this host) or remote (the underlay address of its host)",
				p->name);
	if (remote && !p->key)
		return sfc_errf(err, errlen,
				"port %s: a remote port needs a key (the port key its own host gives it)",
				p->name);
	if (!remote && p->vni)
		return sfc_errf(err, errlen,
				"port %s: vni is for remote ports (the VNI to reach their host with)",
				p->name);
	return 0;
}

static const struct sfc_cfg_port *remote_port(const struct sfc_config *c,
					      const char *name)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(c, name);

	return p && sfc_cfg_port_is_remote(p) ? p : NULL;
}

/* A VNF instance lives on one host: both its ports here or both there. */
static int check_pair_hosts(const struct sfc_config *c,
			    const struct sfc_cfg_pair *pp, char *err,
			    size_t errlen)
{
	const struct sfc_cfg_port *in = remote_port(c, pp->ingress);
	const struct sfc_cfg_port *eg = remote_port(c, pp->egress);

	if (!in && !eg)
		return 0;
	if (!in || !eg || memcmp(in->remote, eg->remote, 4))
		return sfc_errf(err, errlen,
				"port pair %s: ingress %s and egress %s are on different hosts",
				pp->name, pp->ingress, pp->egress);
	if (pp->correlation != SFC_CORR_NONE)
		return sfc_errf(err, errlen,
				"port pair %s: remote: its correlation is configured on the host it lives on",
				pp->name);
	return 0;
}

/* What the data plane does not do for instances on another host. */
static int check_group_remote(const struct sfc_config *c,
			      const struct sfc_cfg_ppg *g, char *err,
			      size_t errlen)
{
	int j;

	for (j = 0; j < g->nr_pairs; j++) {
		const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(c, g->pairs[j]);

		if (!pp || !remote_port(c, pp->ingress))
			continue;
		if (g->tap)
			return sfc_errf(err, errlen,
					"port pair group %s: remote pair %s in a tap group (not supported)",
					g->name, pp->name);
		if (g->health.enabled)
			return sfc_errf(err, errlen,
					"port pair group %s: health checks of remote pair %s are not supported (its own host checks it)",
					g->name, pp->name);
	}
	return 0;
}

static int check_fc_remote(const struct sfc_config *c,
			   const struct sfc_cfg_fc *fc, char *err,
			   size_t errlen)
{
	if (fc->lsp[0] && remote_port(c, fc->lsp))
		return sfc_errf(err, errlen,
				"flow classifier %s: logical-source-port %s is remote: its own host classifies its traffic",
				fc->name, fc->lsp);
	return 0;
}

static bool uses_remote_ports(const struct sfc_config *c)
{
	size_t i;

	for (i = 0; i < c->ports.n; i++)
		if (sfc_cfg_port_is_remote(&c->ports.v[i]))
			return true;
	return false;
}

int sfc_config_check_remote(const struct sfc_config *c, char *err,
			    size_t errlen)
{
	size_t i;

	if (c->tunnels.n > 1)
		return sfc_errf(err, errlen,
				"tunnels %s and %s: a host has one tunnel",
				c->tunnels.v[0].name, c->tunnels.v[1].name);
	for (i = 0; i < c->ports.n; i++) {
		const struct sfc_cfg_port *p = &c->ports.v[i];

		if (check_port_binding(p, err, errlen))
			return -EINVAL;
		if (c->tunnels.n && !strcmp(p->dev, c->tunnels.v[0].dev))
			return sfc_errf(err, errlen,
					"port %s: device %s is tunnel %s's",
					p->name, p->dev, c->tunnels.v[0].name);
	}
	if (uses_remote_ports(c) && !c->tunnels.n) {
		for (i = 0; !sfc_cfg_port_is_remote(&c->ports.v[i]); i++)
			;
		return sfc_errf(err, errlen,
				"port %s is remote: no tunnel to reach it (sfcctl tunnel add NAME dev DEV)",
				c->ports.v[i].name);
	}
	for (i = 0; i < c->pairs.n; i++)
		if (check_pair_hosts(c, &c->pairs.v[i], err, errlen))
			return -EINVAL;
	for (i = 0; i < c->ppgs.n; i++)
		if (check_group_remote(c, &c->ppgs.v[i], err, errlen))
			return -EINVAL;
	for (i = 0; i < c->fcs.n; i++)
		if (check_fc_remote(c, &c->fcs.v[i], err, errlen))
			return -EINVAL;
	return 0;
}
