/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Service graphs (networking-sfc): at the end of a chain that is a
 * branching point, the packet is matched against the classifiers of that
 * chain's destination chains only, and the best one takes it on.
 */
#ifndef SFC_BPF_BRANCH_H
#define SFC_BPF_BRANCH_H

#include "lib/classify.h"
#include "lib/steer.h"

/*
 * Called by the entry point when steering said SFC_BRANCH: st names the
 * chain just done. Its branch list holds its destination chains' rules,
 * compiled without their logical source ports (the source chain is the
 * match context); the winner starts at its first hop under the same
 * generation and for the same source port, and may itself end in a
 * branch. No match: the packet leaves as after any chain. Graphs are
 * acyclic (sfcctl checks); should the maps say otherwise, the packet is
 * dropped after SFC_MAX_GRAPH_DEPTH branches (graph-loop).
 *
 * Both calls are global functions: this loop adds no stack frame under
 * them, and the verifier walks each iteration cheaply.
 */
static __always_inline int follow_branches(struct __sk_buff *skb,
					   const struct sfc_pkt *pkt,
					   const struct sfc_global *g,
					   struct steer_state *st)
{
	const struct sfc_chain *chain;
	int i, idx, ret;

	for (i = 0; i < SFC_MAX_GRAPH_DEPTH; i++) {
		idx = sfc_classify(skb, pkt, g, SFC_BRANCH_LIST(st->chain),
				   st->generation);
		if (idx < 0 || idx >= SFC_MAX_CHAINS) {
			chain = chain_at(st->generation & 1, st->chain);
			if (!chain)
				return sfc_drop(SFC_DROP_BAD_CHAIN);
			return leave_chain(skb, pkt, chain, st, g);
		}
		st->chain = idx;
		st->hop = 0;
		st->nsh_ttl = 0;
		ret = sfc_steer(skb, pkt, g, st, 0);
		if (ret != SFC_BRANCH)
			return ret;
	}
	return sfc_drop(SFC_DROP_GRAPH_LOOP);
}

#endif /* SFC_BPF_BRANCH_H */
