// SPDX-License-Identifier: GPL-2.0
/*
 * Service graphs (networking-sfc): the rules a configuration with graphs
 * must follow, checked with the rest of sfc_config_validate, and what a
 * change may not do to a chain a graph uses.
 *
 * A graph is a set of edges "source chain -> destination chain". At the
 * end of a source chain the packet is matched against the classifiers of
 * its destination chains only (compile.c builds one rule list per source
 * chain) and goes on into the one that matches; a destination chain takes
 * no traffic from anywhere else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_schema.h"

static const char *edge_src(const struct sfc_cfg_graph *g, int i)
{
	return g->edges[2 * i];
}

static const char *edge_dst(const struct sfc_cfg_graph *g, int i)
{
	return g->edges[2 * i + 1];
}

static bool graph_has(const struct sfc_cfg_graph *g, const char *chain,
		      bool *is_src, bool *is_dst)
{
	bool src = false, dst = false;
	int i;

	for (i = 0; i < g->nr_edges; i++) {
		src |= !strcmp(edge_src(g, i), chain);
		dst |= !strcmp(edge_dst(g, i), chain);
	}
	if (is_src)
		*is_src = src;
	if (is_dst)
		*is_dst = dst;
	return src || dst;
}

const struct sfc_cfg_graph *sfc_cfg_graph_of(const struct sfc_config *c,
					     const char *chain, bool *is_src,
					     bool *is_dst)
{
	size_t i;

	for (i = 0; i < c->graphs.n; i++)
		if (graph_has(&c->graphs.v[i], chain, is_src, is_dst))
			return &c->graphs.v[i];
	if (is_src)
		*is_src = false;
	if (is_dst)
		*is_dst = false;
	return NULL;
}

/* Edges well formed: ':' splits them, no self loop, none twice. */
static int check_edges(const struct sfc_cfg_graph *g, char *err, size_t errlen)
{
	int i, j;

	for (i = 0; i < g->nr_edges; i++) {
		if (strchr(edge_src(g, i), ':') || strchr(edge_dst(g, i), ':'))
			return sfc_errf(err, errlen,
					"service graph %s: a chain in a graph cannot have ':' in its name (it separates branching points)",
					g->name);
		if (!strcmp(edge_src(g, i), edge_dst(g, i)))
			return sfc_errf(err, errlen,
					"service graph %s: port chain %s branches to itself",
					g->name, edge_src(g, i));
		for (j = 0; j < i; j++)
			if (!strcmp(edge_src(g, i), edge_src(g, j)) &&
			    !strcmp(edge_dst(g, i), edge_dst(g, j)))
				return sfc_errf(err, errlen,
						"service graph %s: port chain %s is a destination of %s twice",
						g->name, edge_dst(g, i), edge_src(g, i));
	}
	return 0;
}

/* A chain belongs to one graph at most. */
static int check_one_graph(const struct sfc_config *c, size_t gi, char *err,
			   size_t errlen)
{
	const struct sfc_cfg_graph *g = &c->graphs.v[gi];
	size_t k;
	int i, end;

	for (i = 0; i < g->nr_edges; i++) {
		for (end = 0; end < 2; end++) {
			const char *chain = g->edges[2 * i + end];

			for (k = 0; k < gi; k++)
				if (graph_has(&c->graphs.v[k], chain, NULL, NULL))
					return sfc_errf(err, errlen,
							"port chain %s is in service graphs %s and %s: a chain may be in one graph only",
							chain, c->graphs.v[k].name, g->name);
		}
	}
	return 0;
}

enum { WHITE, GREY, BLACK };

struct walk {
	const struct sfc_cfg_graph *g;
	unsigned char color[2 * SFC_MAX_GRAPH_EDGES];	/* by edge end */
	const char *cycle_at;
};

/* The index of the first edge end naming chain: its color slot. */
static int slot_of(const struct sfc_cfg_graph *g, const char *chain)
{
	int i;

	for (i = 0; i < 2 * g->nr_edges; i++)
		if (!strcmp(g->edges[i], chain))
			return i;
	return -1;
}

/* Depth-first from chain; false when a grey chain is met again. */
static bool visit(struct walk *w, const char *chain, int depth)
{
	int s = slot_of(w->g, chain), i;

	if (w->color[s] == BLACK)
		return true;
	if (w->color[s] == GREY || depth > 2 * SFC_MAX_GRAPH_EDGES) {
		w->cycle_at = chain;
		return false;
	}
	w->color[s] = GREY;
	for (i = 0; i < w->g->nr_edges; i++)
		if (!strcmp(edge_src(w->g, i), chain) &&
		    !visit(w, edge_dst(w->g, i), depth + 1))
			return false;
	w->color[s] = BLACK;
	return true;
}

static int check_acyclic(const struct sfc_cfg_graph *g, char *err,
			 size_t errlen)
{
	struct walk w = { .g = g };
	int i;

	for (i = 0; i < g->nr_edges; i++)
		if (!visit(&w, edge_src(g, i), 0))
			return sfc_errf(err, errlen,
					"service graph %s has a cycle through port chain %s",
					g->name, w.cycle_at);
	return 0;
}

/*
 * Chains the data plane can join: one correlation (the header a packet
 * carries does not change between chains of a graph), forward only (a
 * reply would have to find its way back through the branches: symmetric
 * chains are not supported in graphs), and a destination chain needs
 * classifiers, or nothing ever enters it.
 */
static int check_graph_chains(const struct sfc_config *c,
			      const struct sfc_cfg_graph *g, char *err,
			      size_t errlen)
{
	const struct sfc_cfg_chain *first = NULL, *ch;
	int i, end;

	for (i = 0; i < g->nr_edges; i++) {
		for (end = 0; end < 2; end++) {
			ch = sfc_cfg_find_chain(c, g->edges[2 * i + end]);
			if (!ch)
				continue;	/* check_refs reports it */
			if (ch->symmetric)
				return sfc_errf(err, errlen,
						"service graph %s: port chain %s is symmetric: chains in a graph are forward only",
						g->name, ch->name);
			if (end == 1 && !ch->nr_fcs)
				return sfc_errf(err, errlen,
						"service graph %s: destination port chain %s has no flow classifiers: nothing would enter it",
						g->name, ch->name);
			if (!first)
				first = ch;
			else if (ch->correlation != first->correlation)
				return sfc_errf(err, errlen,
						"service graph %s: port chains %s and %s differ in correlation: a graph has one",
						g->name, first->name, ch->name);
		}
	}
	return 0;
}

/* Two classifiers that take exactly the same packets. */
static bool same_match(const struct sfc_cfg_fc *a, const struct sfc_cfg_fc *b)
{
	return a->ethertype == b->ethertype && a->protocol == b->protocol &&
	       a->has_src == b->has_src && a->has_dst == b->has_dst &&
	       (!a->has_src || !memcmp(&a->src, &b->src, sizeof(a->src))) &&
	       (!a->has_dst || !memcmp(&a->dst, &b->dst, sizeof(a->dst))) &&
	       a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi &&
	       a->dport_lo == b->dport_lo && a->dport_hi == b->dport_hi &&
	       !strcmp(a->ldp, b->ldp);
}

/* The classifier of chain x that matches what one of y's does, or NULL. */
static const char *shared_match(const struct sfc_config *c,
				const struct sfc_cfg_chain *x,
				const struct sfc_cfg_chain *y, const char **other)
{
	const struct sfc_cfg_fc *a, *b;
	int i, j;

	for (i = 0; i < x->nr_fcs; i++) {
		a = sfc_cfg_find_fc(c, x->fcs[i]);
		for (j = 0; a && j < y->nr_fcs; j++) {
			b = sfc_cfg_find_fc(c, y->fcs[j]);
			if (b && same_match(a, b)) {
				*other = b->name;
				return a->name;
			}
		}
	}
	return NULL;
}

/*
 * At a branching point the destination chains must classify differently
 * (their logical source ports do not count there: the source chain is
 * the context), or which one a packet takes would be a matter of rank.
 */
static int check_branch_points(const struct sfc_config *c,
			       const struct sfc_cfg_graph *g, char *err,
			       size_t errlen)
{
	const struct sfc_cfg_chain *x, *y;
	const char *fx, *fy;
	int i, j;

	for (i = 0; i < g->nr_edges; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(edge_src(g, i), edge_src(g, j)))
				continue;
			x = sfc_cfg_find_chain(c, edge_dst(g, j));
			y = sfc_cfg_find_chain(c, edge_dst(g, i));
			if (!x || !y)
				continue;
			fx = shared_match(c, x, y, &fy);
			if (fx)
				return sfc_errf(err, errlen,
						"service graph %s: at branching point %s, port chains %s and %s classify the same traffic (flow classifiers %s and %s)",
						g->name, edge_src(g, i), x->name,
						y->name, fx, fy);
		}
	}
	return 0;
}

int sfc_config_check_graphs(const struct sfc_config *c, char *err,
			    size_t errlen)
{
	size_t i;

	for (i = 0; i < c->graphs.n; i++) {
		const struct sfc_cfg_graph *g = &c->graphs.v[i];

		if (check_edges(g, err, errlen) ||
		    check_one_graph(c, i, err, errlen) ||
		    check_acyclic(g, err, errlen) ||
		    check_graph_chains(c, g, err, errlen) ||
		    check_branch_points(c, g, err, errlen))
			return -EINVAL;
	}
	return 0;
}

static bool same_groups(const struct sfc_cfg_chain *a,
			const struct sfc_cfg_chain *b)
{
	int i;

	if (a->nr_ppgs != b->nr_ppgs)
		return false;
	for (i = 0; i < a->nr_ppgs; i++)
		if (strcmp(a->ppgs[i], b->ppgs[i]))
			return false;
	return true;
}

int sfc_config_check_graph_change(const struct sfc_config *old,
				  const struct sfc_config *new, char *err,
				  size_t errlen)
{
	const struct sfc_cfg_chain *was, *is;
	size_t i;

	for (i = 0; i < new->chains.n; i++) {
		is = &new->chains.v[i];
		was = sfc_cfg_find_chain(old, is->name);
		if (!was || same_groups(was, is) ||
		    !sfc_cfg_graph_of(old, is->name, NULL, NULL) ||
		    !sfc_cfg_graph_of(new, is->name, NULL, NULL))
			continue;
		return sfc_errf(err, errlen,
				"port chain %s is used by service graph %s: its port pair groups cannot change (remove it from the graph first)",
				is->name,
				sfc_cfg_graph_of(old, is->name, NULL, NULL)->name);
	}
	return 0;
}
