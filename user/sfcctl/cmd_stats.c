// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl stats [ chain NAME ]
 *
 * Counters by configuration name: per chain, the packets and bytes steered
 * into each hop and those that completed the chain, in each direction;
 * per port; per drop reason. Per-CPU values are summed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "dataplane.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"
#include "stats.h"

void chain_hop_counter(const struct sfc_dp *dp, const struct sfc_cfg_chain *c,
		       int dir, int hop, uint64_t *packets, uint64_t *bytes)
{
	counter_read(dp->hop_stats_fd, SFC_HOP_STATS_KEY(c->id, dir, hop),
		     packets, bytes);
}

static void print_counter_pair(const char *key, uint64_t packets, uint64_t bytes)
{
	sfc_print_open_object(key);
	sfc_print_uint(PRINT_ANY, "packets", " %llu pkts", packets);
	sfc_print_uint(PRINT_ANY, "bytes", " %llu bytes\n", bytes);
	sfc_print_close_object();
}

static void print_direction(const struct sfc_dp *dp, const struct sfc_cfg_chain *c,
			    int dir)
{
	const char *name = dir == SFC_DIR_FWD ? "forward" : "reverse";
	char done_key[16];
	uint64_t p, b;
	int h;

	sfc_print_open_array(name);
	for (h = 0; h < c->nr_ppgs; h++) {
		chain_hop_counter(dp, c, dir, h, &p, &b);
		sfc_print_open_object(NULL);
		sfc_print_text("  %-8s", name);
		sfc_print_uint(PRINT_ANY, "hop", "hop %llu", (uint64_t)h);
		sfc_print_string(PRINT_ANY, "group", " %-12s", c->ppgs[h]);
		sfc_print_uint(PRINT_ANY, "packets", " %llu pkts", p);
		sfc_print_uint(PRINT_ANY, "bytes", " %llu bytes\n", b);
		sfc_print_close_object();
	}
	sfc_print_close_array();
	chain_hop_counter(dp, c, dir, SFC_HOP_DONE, &p, &b);
	snprintf(done_key, sizeof(done_key), "%s_done", name);
	sfc_print_text("  %-8sdone               ", name);
	print_counter_pair(done_key, p, b);
}

static void print_chain(const struct sfc_dp *dp, const struct sfc_cfg_chain *c)
{
	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "name", "chain %s", c->name);
	sfc_print_uint(PRINT_ANY, "chain_id", " (chain id %llu", c->chain_id);
	sfc_print_bool(PRINT_ANY, "symmetric", ", symmetric %s)\n", c->symmetric);
	print_direction(dp, c, SFC_DIR_FWD);
	if (c->symmetric)
		print_direction(dp, c, SFC_DIR_REV);
	sfc_print_close_object();
}

static void print_ports(const struct sfc_dp *dp, const struct sfc_config *cfg)
{
	size_t i;

	sfc_print_open_array("ports");
	for (i = 0; i < cfg->ports.n; i++) {
		const struct sfc_cfg_port *p = &cfg->ports.v[i];

		sfc_print_open_object(NULL);
		sfc_print_string(PRINT_ANY, "name", "port %s", p->name);
		if (sfc_cfg_port_is_remote(p)) {	/* counted on its host */
			char ip[16];

			snprintf(ip, sizeof(ip), "%u.%u.%u.%u", p->remote[0],
				 p->remote[1], p->remote[2], p->remote[3]);
			sfc_print_string(PRINT_ANY, "remote", " (remote %s)\n", ip);
			sfc_print_close_object();
			continue;
		}
		sfc_print_string(PRINT_ANY, "device", " (%s)", p->dev);
		print_port_counters(dp, p->id);
		sfc_print_text("\n");
		sfc_print_close_object();
	}
	sfc_print_close_array();
}

int open_chain_view(const char *cmd, int argc, char **argv,
		    void (*usage)(void), struct sfc_state *st, const char **only)
{
	*only = NULL;
	if (argc > 0 && is_help(argv[0])) {
		usage();
		return -1;
	}
	if (argc == 2 && !strcmp(argv[0], "chain")) {
		*only = argv[1];
	} else if (argc) {
		sfc_error("%s: unknown argument '%s', try 'sfcctl %s help'", cmd,
			  argv[0], cmd);
		return 1;
	}
	if (sfcctl_open_state(st, SFC_LOCK_SHARED))
		return 1;
	if (*only && !sfc_cfg_find_chain(&st->cfg, *only)) {
		sfc_error("no port chain '%s'", *only);
		sfc_state_end(st);
		return 1;
	}
	return 0;
}

static void stats_usage(void)
{
	printf("Usage: sfcctl stats [ chain NAME ]\n"
	       "Per chain: packets and bytes steered into each hop, and those that\n"
	       "completed the chain, forward and (symmetric chains) reverse;\n"
	       "per port: received and re-injected; per drop reason.\n");
}

int do_stats(int argc, char **argv)
{
	const char *only;
	struct sfc_state st;
	struct sfc_dp dp;
	size_t i;
	int err;

	err = open_chain_view("stats", argc, argv, stats_usage, &st, &only);
	if (err)
		return err < 0 ? 0 : err;
	err = sfc_dp_open(&dp, sfcctl_opts.pin_root);
	if (err) {
		sfc_error("data plane at %s: %s", sfcctl_opts.pin_root,
			  err == -ENOENT ? "not loaded" : strerror(-err));
		sfc_state_end(&st);
		return 1;
	}
	sfc_print_open_object(NULL);
	sfc_print_open_array("chains");
	for (i = 0; i < st.cfg.chains.n; i++)
		if (!only || !strcmp(st.cfg.chains.v[i].name, only))
			print_chain(&dp, &st.cfg.chains.v[i]);
	sfc_print_close_array();
	if (!only) {
		print_ports(&dp, &st.cfg);
		print_drops(&dp);
	}
	sfc_print_close_object();
	sfc_dp_close(&dp);
	sfc_state_end(&st);
	return 0;
}
