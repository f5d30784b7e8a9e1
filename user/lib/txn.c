// SPDX-License-Identifier: GPL-2.0
/* The transaction of every configuration change (txn.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "config_json.h"
#include "config_schema.h"
#include "txn.h"

/* ---- the active configuration ---- */

static bool port_present(const struct sfc_config *c, const char *name)
{
	return !name[0] || sfc_cfg_find_port(c, name);
}

static void remove_at(struct sfc_config *c, enum sfc_kind k, size_t *i)
{
	sfc_cfg_remove(c, k, *i);
	(*i)--;			/* the next one moved here */
}

/* Drops the names of a REFS list that no longer resolve. */
static void prune_list(struct sfc_config *c, enum sfc_kind ref,
		       char (*names)[SFC_NAME_MAX], int *count)
{
	int i, n = 0;

	for (i = 0; i < *count; i++)
		if (sfc_cfg_find(c, ref, names[i]))
			memmove(names[n++], names[i], SFC_NAME_MAX);
	*count = n;
}

static void prune_pairs(struct sfc_config *c)
{
	size_t i;

	for (i = 0; i < c->pairs.n; i++)
		if (!port_present(c, c->pairs.v[i].ingress) ||
		    !port_present(c, c->pairs.v[i].egress))
			remove_at(c, SFC_KIND_PAIR, &i);
	for (i = 0; i < c->ppgs.n; i++) {
		prune_list(c, SFC_KIND_PAIR, c->ppgs.v[i].pairs,
			   &c->ppgs.v[i].nr_pairs);
		if (!c->ppgs.v[i].nr_pairs)
			remove_at(c, SFC_KIND_PPG, &i);
	}
}

static void prune_classifiers(struct sfc_config *c)
{
	size_t i;

	for (i = 0; i < c->fcs.n; i++)
		if (!port_present(c, c->fcs.v[i].lsp) ||
		    !port_present(c, c->fcs.v[i].ldp))
			remove_at(c, SFC_KIND_FC, &i);
}

static void prune_chains(struct sfc_config *c)
{
	struct sfc_cfg_chain *ch;
	size_t i;
	int hops;

	for (i = 0; i < c->chains.n; i++) {
		ch = &c->chains.v[i];
		hops = ch->nr_ppgs;
		prune_list(c, SFC_KIND_PPG, ch->ppgs, &hops);
		if (hops != ch->nr_ppgs) {
			remove_at(c, SFC_KIND_CHAIN, &i);
			continue;
		}
		prune_list(c, SFC_KIND_FC, ch->fcs, &ch->nr_fcs);
	}
}

/* Graph edges whose chains are gone (or left without classifiers to
 * enter the destination by) are left out; so are graphs left empty. */
static void prune_graphs(struct sfc_config *c)
{
	struct sfc_cfg_graph *g;
	const struct sfc_cfg_chain *dst;
	size_t i;
	int e, n;

	for (i = 0; i < c->graphs.n; i++) {
		g = &c->graphs.v[i];
		for (e = n = 0; e < g->nr_edges; e++) {
			dst = sfc_cfg_find_chain(c, g->edges[2 * e + 1]);
			if (!sfc_cfg_find_chain(c, g->edges[2 * e]) || !dst ||
			    !dst->nr_fcs)
				continue;
			memmove(g->edges[2 * n], g->edges[2 * e], 2 * SFC_NAME_MAX);
			n++;
		}
		g->nr_edges = n;
		if (!n)
			remove_at(c, SFC_KIND_GRAPH, &i);
	}
}

int sfc_config_active(const struct sfc_config *c, struct sfc_config *active)
{
	int ret = sfc_config_copy(active, c);

	if (ret) {
		sfc_config_init(active);
		return ret;
	}
	prune_pairs(active);
	prune_classifiers(active);
	prune_chains(active);
	prune_graphs(active);
	return 0;
}

/* ---- the transaction ---- */

static bool same_config(const struct sfc_config *a, const struct sfc_config *b)
{
	char *x = sfc_config_to_text(a), *y = sfc_config_to_text(b);
	bool same = x && y && !strcmp(x, y);

	free(x);
	free(y);
	return same;
}

/* What compiles into the slots: everything but the ports and the
 * generation. */
static bool same_slots(const struct sfc_config *a, const struct sfc_config *b)
{
	struct sfc_config x = *a, y = *b;	/* shallow: nothing is freed */

	x.ports.n = y.ports.n = 0;
	x.generation = y.generation = 0;
	return same_config(&x, &y);
}

/* The slots hold a port's id (rule lists) and its device (groups). */
static bool same_port_use(const struct sfc_config *a,
			  const struct sfc_config *b, const char *name)
{
	const struct sfc_cfg_port *p = sfc_cfg_find_port(a, name);
	const struct sfc_cfg_port *q = sfc_cfg_find_port(b, name);

	if (!name[0] || (!p && !q))
		return true;
	return p && q && p->id == q->id && !strcmp(p->dev, q->dev);
}

/*
 * Whether going from live to want changes ports only: the same slots, and
 * every port the slots name unchanged. Both are active configurations.
 */
static bool ports_only(const struct sfc_config *live,
		       const struct sfc_config *want)
{
	size_t i;

	if (!same_slots(live, want))
		return false;
	for (i = 0; i < want->pairs.n; i++)
		if (!same_port_use(live, want, want->pairs.v[i].ingress) ||
		    !same_port_use(live, want, want->pairs.v[i].egress))
			return false;
	for (i = 0; i < want->fcs.n; i++)
		if (!same_port_use(live, want, want->fcs.v[i].lsp) ||
		    !same_port_use(live, want, want->fcs.v[i].ldp))
			return false;
	return true;
}

/* sfc_commit saves the active configuration's generation with the whole
 * configuration, pending parts included. */
static int save_whole(const struct sfc_config *active, void *ctx)
{
	struct sfc_txn *t = ctx;

	t->next.generation = active->generation;
	return sfc_state_save(&t->st, &t->next);
}

int sfc_txn_begin(struct sfc_txn *t, const char *state, const char *pin_root)
{
	int ret;

	memset(t, 0, sizeof(*t));
	sfc_config_init(&t->next);
	t->pin_root = pin_root;
	ret = sfc_state_begin(state, SFC_LOCK_EXCLUSIVE, &t->st);
	if (ret) {
		snprintf(t->err, sizeof(t->err), "%s", t->st.err);
		return ret;
	}
	ret = sfc_config_copy(&t->next, &t->st.cfg);
	if (ret) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		sfc_state_end(&t->st);
	}
	return ret;
}

static int commit_active(struct sfc_txn *t)
{
	struct sfc_config live, want;
	int ret;

	ret = sfc_config_active(&t->st.cfg, &live);
	if (!ret)
		ret = sfc_config_active(&t->next, &want);
	if (ret) {
		sfc_config_free(&live);
		snprintf(t->err, sizeof(t->err), "out of memory");
		return ret;
	}
	/* Pruning keeps a valid configuration valid: a failure is our bug. */
	ret = sfc_config_validate(&want, t->err, sizeof(t->err));
	if (ret)
		goto out;
	if (t->ports_fast && ports_only(&live, &want))
		ret = sfc_commit_ports(&live, &want, t->pin_root, save_whole, t,
				       t->err, sizeof(t->err));
	else
		ret = sfc_commit(&live, &want, t->pin_root, save_whole, t,
				 t->err, sizeof(t->err));
	if (!ret)
		t->next.generation = want.generation;
out:
	sfc_config_free(&live);
	sfc_config_free(&want);
	return ret;
}

int sfc_txn_commit(struct sfc_txn *t)
{
	int ret;

	t->err[0] = '\0';
	t->st.err[0] = '\0';
	ret = sfc_config_assign_ids(&t->next, t->err, sizeof(t->err));
	if (!ret)
		ret = sfc_config_validate(&t->next, t->err, sizeof(t->err));
	if (!ret)
		ret = sfc_config_check_graph_change(&t->st.cfg, &t->next, t->err,
						    sizeof(t->err));
	if (!ret && !same_config(&t->st.cfg, &t->next))
		ret = commit_active(t);
	if (ret && t->st.err[0])	/* a failed save has the more precise message */
		snprintf(t->err, sizeof(t->err), "%s", t->st.err);
	return ret;
}

void sfc_txn_end(struct sfc_txn *t)
{
	sfc_config_free(&t->next);
	sfc_state_end(&t->st);
}

int sfc_txn_change(const char *state, const char *pin_root, sfc_txn_fn fn,
		   void *ctx, char *err, size_t errlen)
{
	struct sfc_txn t;
	int ret = sfc_txn_begin(&t, state, pin_root);

	if (!ret) {
		ret = fn(&t.next, ctx, t.err, sizeof(t.err));
		if (ret)	/* fns return -1 or -errno */
			ret = ret < -1 ? ret : -EINVAL;
		else
			ret = sfc_txn_commit(&t);
		sfc_txn_end(&t);
	}
	if (ret)
		snprintf(err, errlen, "%s", t.err);
	return ret;
}

int sfc_txn_restore(const char *state, const char *pin_root, char *err,
		    size_t errlen)
{
	struct sfc_config active;
	struct sfc_txn t;
	int ret = sfc_txn_begin(&t, state, pin_root);

	if (!ret) {
		sfc_config_init(&active);
		ret = sfc_config_validate(&t.st.cfg, t.err, sizeof(t.err));
		if (!ret && sfc_config_active(&t.st.cfg, &active)) {
			snprintf(t.err, sizeof(t.err), "out of memory");
			ret = -ENOMEM;
		}
		if (!ret)
			ret = sfc_restore(&active, pin_root, t.err, sizeof(t.err));
		if (!ret && active.generation != t.st.cfg.generation) {
			t.st.cfg.generation = active.generation;
			ret = sfc_state_save(&t.st, &t.st.cfg);
			if (ret)
				snprintf(t.err, sizeof(t.err), "%s", t.st.err);
		}
		sfc_config_free(&active);
		sfc_txn_end(&t);
	}
	if (ret)
		snprintf(err, errlen, "%s", t.err);
	return ret;
}
