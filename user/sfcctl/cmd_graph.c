// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl graph [ chain NAME ]
 *
 * The chains as a Graphviz DOT digraph, with live counters on the edges:
 * classifiers -> hop groups (their instances listed) -> chain end. Render
 * with `dot -Tpng`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dataplane.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"
#include "stats.h"

/* DOT identifiers and labels: our names are [A-Za-z0-9_.:/-], quote them. */
static void node_id(char *buf, size_t len, const struct sfc_cfg_chain *c,
		    const char *what, int n)
{
	snprintf(buf, len, "\"%s/%s%d\"", c->name, what, n);
}

static void print_group_node(const struct sfc_config *cfg,
			     const struct sfc_cfg_chain *c, int hop)
{
	const struct sfc_cfg_ppg *g = sfc_cfg_find_ppg(cfg, c->ppgs[hop]);
	char id[160];
	int i;

	node_id(id, sizeof(id), c, "hop", hop);
	printf("    %s [label=\"hop %d: %s", id, hop, c->ppgs[hop]);
	for (i = 0; g && i < g->nr_pairs; i++) {
		const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(cfg, g->pairs[i]);

		if (!pp)
			continue;
		if (!strcmp(pp->ingress, pp->egress))
			printf("\\n%s: %s (one port)", pp->name, pp->ingress);
		else
			printf("\\n%s: %s -> %s", pp->name, pp->ingress, pp->egress);
	}
	printf("\"];\n");
}

static void print_edge(const char *from, const char *to, uint64_t fwd,
		       uint64_t rev, bool symmetric)
{
	if (symmetric)
		printf("    %s -> %s [label=\"fwd %llu\\nrev %llu\", dir=both];\n",
		       from, to, (unsigned long long)fwd, (unsigned long long)rev);
	else
		printf("    %s -> %s [label=\"%llu pkts\"];\n", from, to,
		       (unsigned long long)fwd);
}

static void print_classifiers(const struct sfc_cfg_chain *c, const char *src)
{
	int i;

	printf("    %s [shape=ellipse, label=\"classifiers", src);
	for (i = 0; i < c->nr_fcs; i++)
		printf("\\n%s", c->fcs[i]);
	printf("\"];\n");
}

static void print_chain(const struct sfc_dp *dp, const struct sfc_config *cfg,
			const struct sfc_cfg_chain *c)
{
	char from[160], to[160];
	uint64_t fwd, rev, bytes;
	int h;

	printf("  subgraph \"cluster_%s\" {\n", c->name);
	printf("    label=\"chain %s (id %u%s, %s)\";\n", c->name, c->chain_id,
	       c->symmetric ? ", symmetric" : "",
	       c->end == SFC_END_DIRECT ? "direct delivery" : "re-inject at source");
	node_id(from, sizeof(from), c, "src", 0);
	print_classifiers(c, from);
	for (h = 0; h <= c->nr_ppgs; h++) {
		int key = h < c->nr_ppgs ? h : SFC_HOP_DONE;

		if (h < c->nr_ppgs) {
			print_group_node(cfg, c, h);
			node_id(to, sizeof(to), c, "hop", h);
		} else {
			node_id(to, sizeof(to), c, "done", 0);
			printf("    %s [shape=ellipse, label=\"%s\"];\n", to,
			       c->end == SFC_END_DIRECT ? "delivered" :
							  "re-injected at source");
		}
		chain_hop_counter(dp, c, SFC_DIR_FWD, key, &fwd, &bytes);
		/* Reverse traffic entering hop h came from hop h+1. */
		chain_hop_counter(dp, c, SFC_DIR_REV,
				  h == 0 ? SFC_HOP_DONE : h - 1, &rev, &bytes);
		print_edge(from, to, fwd, rev, c->symmetric);
		memcpy(from, to, sizeof(from));
	}
	printf("  }\n");
}

static void graph_usage(void)
{
	printf("Usage: sfcctl graph [ chain NAME ]\n"
	       "Prints the chains as Graphviz DOT with live counters, e.g.\n"
	       "  sfcctl graph | dot -Tpng -o chains.png\n");
}

int do_graph(int argc, char **argv)
{
	const char *only;
	struct sfc_state st;
	struct sfc_dp dp;
	bool have_dp;
	size_t i;
	int err;

	if (sfc_print_is_json()) {
		sfc_error("graph prints DOT only; use 'sfcctl -j stats' for JSON");
		return 1;
	}
	err = open_chain_view("graph", argc, argv, graph_usage, &st, &only);
	if (err)
		return err < 0 ? 0 : err;
	/* Without a loaded data plane the counters read as zero. */
	have_dp = !sfc_dp_open(&dp, sfcctl_opts.pin_root);
	if (!have_dp)
		dp.hop_stats_fd = -1;
	printf("digraph sfc {\n  rankdir=LR;\n"
	       "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	       "  edge [fontname=\"Helvetica\", fontsize=10];\n");
	for (i = 0; i < st.cfg.chains.n; i++)
		if (!only || !strcmp(st.cfg.chains.v[i].name, only))
			print_chain(&dp, &st.cfg, &st.cfg.chains.v[i]);
	printf("}\n");
	if (have_dp)
		sfc_dp_close(&dp);
	sfc_state_end(&st);
	return 0;
}
