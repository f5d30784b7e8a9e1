/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Steering through a chain. Entering hop h of a chain in direction d, the
 * packet is redirected into one instance (port pair) of the hop's group:
 * forward through the pair's ingress port, reverse through its egress
 * port. The port it must come back on is recorded in sfc_flows with the
 * chain, hop, direction, generation and source port; that record is how
 * the packet is recognised when the unmodified VNF hands it back.
 */
#ifndef SFC_BPF_STEER_H
#define SFC_BPF_STEER_H

#include "lib/counters.h"
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/select.h"
#include "lib/encap.h"
#include "lib/trace.h"
#include "lib/tunnel.h"

/*
 * The unit test runner sets sfc_test_mode before load to learn where a
 * packet was redirected (BPF_PROG_TEST_RUN does not say). sfcctl never
 * sets it, and the verifier then prunes the branch: no cost in production.
 */
const volatile bool sfc_test_mode = false;
__u32 sfc_test_redirect_ifindex;
__u32 sfc_test_redirect_flags;

static __always_inline int redirect_to(__u32 ifindex, __u64 flags)
{
	if (sfc_test_mode) {
		sfc_test_redirect_ifindex = ifindex;
		sfc_test_redirect_flags = (__u32)flags;
	}
	trace_note_redirect(ifindex, flags);
	return bpf_redirect(ifindex, flags);
}

/* Into the other end of a veth (SFC_PAIR_F_PEER_*), at its ingress. */
static __always_inline int redirect_to_peer(__u32 ifindex)
{
	if (sfc_test_mode) {
		sfc_test_redirect_ifindex = ifindex;
		sfc_test_redirect_flags = SFC_REDIRECT_PEER;
	}
	trace_note_redirect(ifindex, SFC_REDIRECT_PEER);
	return bpf_redirect_peer(ifindex, 0);
}

static __always_inline void flow_key_of(struct sfc_flow_key *k,
					const struct sfc_pkt *pkt, __u32 ifindex)
{
	k->ifindex = ifindex;
	k->family = pkt->l3_proto == ETH_P_IP ? 4 : 6;
	k->proto = pkt->l4_proto;
	__builtin_memcpy(k->saddr, pkt->saddr, sizeof(k->saddr));
	__builtin_memcpy(k->daddr, pkt->daddr, sizeof(k->daddr));
	k->sport = pkt->sport;
	k->dport = pkt->dport;
}

/* The same flow seen from the other end: addresses and ports swapped. */
static __always_inline void flow_key_reversed(struct sfc_flow_key *k,
					      const struct sfc_pkt *pkt)
{
	k->ifindex = 0;
	k->family = pkt->l3_proto == ETH_P_IP ? 4 : 6;
	k->proto = pkt->l4_proto;
	__builtin_memcpy(k->saddr, pkt->daddr, sizeof(k->saddr));
	__builtin_memcpy(k->daddr, pkt->saddr, sizeof(k->daddr));
	k->sport = pkt->dport;
	k->dport = pkt->sport;
}

static __always_inline bool flow_equal(const struct sfc_flow *a,
				       const struct sfc_flow *b)
{
	return a->generation == b->generation && a->chain == b->chain &&
	       a->hop == b->hop && a->dir == b->dir &&
	       a->src_ifindex == b->src_ifindex;
}

/* Writes only when something changed: most packets of a flow find their
 * record already right, and a map write per packet would cost more. */
static __always_inline void flow_store(const struct sfc_flow_key *k,
				       const struct sfc_flow *v)
{
	const struct sfc_flow *old = bpf_map_lookup_elem(&sfc_flows, k);

	if (!old || !flow_equal(old, v))
		bpf_map_update_elem(&sfc_flows, k, v, BPF_ANY);
}

static __always_inline void count_hop(__u32 chain, __u32 dir, __u32 hop,
				      const struct __sk_buff *skb)
{
	__u32 key = SFC_HOP_STATS_KEY(chain, dir, hop);
	struct sfc_traffic_counter *c;

	if (key >= SFC_HOP_STATS_MAX)
		return;
	c = bpf_map_lookup_elem(&sfc_hop_stats, &key);
	if (c)
		counter_add(c, skb);
}

static __always_inline const struct sfc_chain *chain_at(__u32 slot, __u32 idx)
{
	__u32 key = slot * SFC_MAX_CHAINS + idx;

	return bpf_map_lookup_elem(&sfc_chains, &key);
}

/* Where the packet is and what it is doing, between hops. */
struct steer_state {
	__u32 generation;
	__u16 chain;
	__u8 hop;
	__u8 dir;
	__u32 src_ifindex;
	__u8 nsh_ttl;		/* TTL for the next NSH push, 0: the chain's */
	__u8 pad[3];
	__u32 mark_mask;	/* from sfc_global, for the steered mark */
	__u32 mark_steer;
};

static __always_inline __u32 port_id_of_ifindex(__u32 ifindex)
{
	struct sfc_port_key k = { .ifindex = ifindex };
	const struct sfc_port_val *v = bpf_map_lookup_elem(&sfc_ports, &k);

	return v ? v->port_id : 0;
}

/* The correlation header an SFC-aware instance expects, pushed in front. */
static __always_inline int push_correlation(struct __sk_buff *skb,
					    const struct sfc_pkt *pkt,
					    const struct sfc_chain *chain,
					    const struct sfc_pair *pair,
					    const struct steer_state *st)
{
	__u32 spi = path_spi(chain, st->dir);
	__u8 si = path_si(chain, st->hop, st->dir);

	if (pair->correlation == SFC_CORRELATION_MPLS)
		return push_mpls(skb, chain, spi, si);
	if (pair->correlation == SFC_CORRELATION_NSH)
		return push_nsh(skb, pkt, chain, spi, si,
				st->nsh_ttl ? st->nsh_ttl : chain->nsh_ttl,
				port_id_of_ifindex(st->src_ifindex));
	return SFC_CONTINUE;
}

/* Hands the packet to an instance, remembering where it must come back. */
static __always_inline int enter_instance(struct __sk_buff *skb,
					  const struct sfc_pkt *pkt,
					  const struct sfc_chain *chain,
					  const struct sfc_pair *pair,
					  const struct steer_state *st)
{
	__u32 target = st->dir == SFC_DIR_FWD ? pair->ingress_ifindex :
						pair->egress_ifindex;
	__u32 back = st->dir == SFC_DIR_FWD ? pair->egress_ifindex :
					      pair->ingress_ifindex;
	struct sfc_flow_key key = {};
	struct sfc_flow flow = {
		.generation = st->generation,
		.chain = st->chain,
		.hop = st->hop,
		.dir = st->dir,
		.src_ifindex = st->src_ifindex,
	};
	int ret;

	flow_key_of(&key, pkt, back);
	flow_store(&key, &flow);
	ret = push_correlation(skb, pkt, chain, pair, st);
	if (ret != SFC_CONTINUE)
		return ret;
	count_hop(st->chain, st->dir, st->hop, skb);
	trace_note_hop(st->chain, st->hop, st->dir);
	if (pair->flags & (st->dir == SFC_DIR_FWD ? SFC_PAIR_F_PEER_IN :
						    SFC_PAIR_F_PEER_OUT)) {
		/*
		 * Straight into the VNF's namespace: the host end's egress
		 * guard never sees it, so no steered mark, and our bits are
		 * cleared here (a namespace crossing by peer redirect keeps
		 * the mark).
		 */
		skb_set_mark(skb, skb_mark(skb) & ~st->mark_mask);
		return redirect_to_peer(target);
	}
	skb->mark = (skb->mark & ~st->mark_mask) | st->mark_steer;
	return redirect_to(target, 0);
}

/* The port key other hosts know the packet's source by, 0 none. */
static __always_inline __u32 source_key(const struct steer_state *st)
{
	struct sfc_port_key k = { .ifindex = st->src_ifindex };
	const struct sfc_port_val *v;

	if (st->src_ifindex & SFC_SRC_REMOTE)
		return st->src_ifindex & ~SFC_SRC_REMOTE;
	v = bpf_map_lookup_elem(&sfc_ports, &k);
	return v ? v->key : 0;
}

/* The flow whose kept option list a send carries on (tunnel_encap). */
static __always_inline void tunnel_flow_of(struct sfc_tunnel_tx *tx,
					   const struct sfc_pkt *pkt)
{
	__builtin_memset(&tx->fkey, 0, sizeof(tx->fkey));
	flow_key_of(&tx->fkey, pkt, 0);
}

/*
 * An instance on another host: into the Geneve device, with the hop
 * (SPI, SI, direction) and the port to enter in the SFC context. The
 * receiving host records where the packet comes back (tunnel_rx.h).
 */
static __always_inline int enter_remote_instance(struct __sk_buff *skb,
						 const struct sfc_pkt *pkt,
						 const struct sfc_chain *chain,
						 const struct sfc_pair *pair,
						 const struct steer_state *st)
{
	__u32 dst = st->dir == SFC_DIR_FWD ? pair->ingress_ifindex :
					     pair->egress_ifindex;
	__u32 src = source_key(st);
	struct sfc_tunnel_tx *tx = tunnel_tx();
	int ifindex;

	if (!src)	/* the far end could never send it back */
		return sfc_drop(SFC_DROP_UNKNOWN_PORT_KEY);
	if (!tx)
		return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	geneve_ctx_fill(&tx->opt.ctx, chain->chain_id,
			path_si(chain, st->hop, st->dir), st->dir,
			SFC_GENEVE_F_HOP, src, dst);
	tunnel_flow_of(tx, pkt);
	ifindex = tunnel_encap(skb, dst, tx);
	if (ifindex < 0)
		return ifindex;
	count_hop(st->chain, st->dir, st->hop, skb);
	trace_note_hop(st->chain, st->hop, st->dir);
	skb_set_mark(skb, skb_mark(skb) & ~st->mark_mask);	/* ours stay here */
	return redirect_to((__u32)ifindex, 0);
}

/*
 * The same as a global (BPF-to-BPF) function: the verifier checks it once
 * instead of once per iteration of the hop loop (on 6.1, inlined, the
 * program ran out of its 1M-instruction budget).
 */
__attribute__((noinline))
int sfc_enter_instance(struct __sk_buff *skb, const struct sfc_pkt *pkt,
		       const struct sfc_chain *chain, const struct sfc_pair *pair,
		       const struct steer_state *st)
{
	if (!skb || !pkt || !chain || !pair || !st)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	if (pair->flags & SFC_PAIR_F_REMOTE)
		return enter_remote_instance(skb, pkt, chain, pair, st);
	return enter_instance(skb, pkt, chain, pair, st);
}

/*
 * A tap group gets a copy, which it must not return (its output is
 * discarded at its egress port); the original goes on at once.
 */
static __always_inline void copy_to_tap(struct __sk_buff *skb,
					const struct sfc_pair *pair,
					const struct steer_state *st,
					const struct sfc_global *g)
{
	__u32 target = st->dir == SFC_DIR_FWD ? pair->ingress_ifindex :
						pair->egress_ifindex;
	__u32 mark = skb->mark;

	skb->mark = (mark & ~g->mark_mask) | g->mark_steer;
	if (!bpf_clone_redirect(skb, target, 0))
		count_hop(st->chain, st->dir, st->hop, skb);
	skb->mark = mark;
}

static __always_inline const struct sfc_ppg *ppg_of_hop(const struct sfc_chain *chain,
							const struct steer_state *st)
{
	__u32 hop = st->hop, key;

	if (hop >= SFC_MAX_HOPS || hop >= chain->nr_hops)
		return NULL;
	/* The verifier bounds registers, not variables: hide what the compiler
	 * knows so it keeps the mask on the very register used as index. */
	barrier_var(hop);
	hop &= SFC_MAX_HOPS - 1;
	key = (st->generation & 1) * SFC_MAX_PPGS + chain->hops[hop];
	return bpf_map_lookup_elem(&sfc_ppgs, &key);
}

/* Moves st to the next hop in its direction; false past the chain end. */
static __always_inline bool advance_hop(const struct sfc_chain *chain,
					struct steer_state *st)
{
	if (st->dir == SFC_DIR_FWD) {
		if (st->hop + 1 >= chain->nr_hops)
			return false;
		st->hop++;
	} else {
		if (st->hop == 0)
			return false;
		st->hop--;
	}
	return true;
}

static __always_inline int chain_done(struct __sk_buff *skb,
				      const struct sfc_pkt *pkt,
				      const struct sfc_chain *chain,
				      const struct steer_state *st,
				      const struct sfc_global *g);

/*
 * Steers the packet into hop st->hop of chain st->chain, or past it: tap
 * groups get a copy and are passed; a group without a healthy instance is
 * passed when it fails open and drops the packet when it fails closed.
 * Passing the last hop finishes the chain (chain_done: SFC_BRANCH when
 * a service graph goes on from there). past: the packet is back from hop
 * st->hop, start after it.
 *
 * A global function: the verifier checks it once for all its callers,
 * with its loop, instead of once per caller inlined; it adds one small
 * frame between the entry point and sfc_enter_instance, which still fits
 * the 512 bytes of stack the 6.1 verifier allows for the deepest chain of
 * calls.
 */
__attribute__((noinline))
int sfc_steer(struct __sk_buff *skb, const struct sfc_pkt *pkt,
	      const struct sfc_global *g, struct steer_state *st, __u32 past)
{
	const struct sfc_chain *chain;
	int i;

	if (!skb || !pkt || !g || !st)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	chain = chain_at(st->generation & 1, st->chain);
	if (!chain || !chain->nr_hops || chain->generation != st->generation)
		return sfc_drop(SFC_DROP_STALE_CONFIG);
	if (past && !advance_hop(chain, st))
		return chain_done(skb, pkt, chain, st, g);
	for (i = 0; i < SFC_MAX_HOPS; i++) {
		const struct sfc_ppg *ppg = ppg_of_hop(chain, st);
		const struct sfc_pair *pair;

		if (!ppg)
			return sfc_drop(SFC_DROP_BAD_CHAIN);
		pair = select_instance(pkt, ppg, st->dir);
		if (ppg->flags & SFC_PPG_F_TAP) {
			if (pair)
				copy_to_tap(skb, pair, st, g);
		} else if (pair) {
			st->mark_mask = g->mark_mask;
			st->mark_steer = g->mark_steer;
			return sfc_enter_instance(skb, pkt, chain, pair, st);
		} else if (!(ppg->flags & SFC_PPG_F_FAIL_OPEN)) {
			return sfc_drop(ppg->nr_pairs ? SFC_DROP_GROUP_DOWN :
							SFC_DROP_NO_INSTANCE);
		}
		if (!advance_hop(chain, st))
			return chain_done(skb, pkt, chain, st, g);
	}
	return sfc_drop(SFC_DROP_BAD_CHAIN);
}


/*
 * The source port is on another host: the packet goes back there with
 * the re-inject flag, and that host hands it to the source port's ingress
 * (tunnel_rx.h), so its bridge and uplink learn the source MAC where it
 * belongs. A global function: verified once, wherever chains end.
 */
__attribute__((noinline))
int sfc_leave_to_remote(struct __sk_buff *skb, const struct sfc_pkt *pkt,
			const struct sfc_chain *chain,
			const struct steer_state *st, const struct sfc_global *g)
{
	struct sfc_tunnel_tx *tx = tunnel_tx();
	__u32 key;
	int ifindex;

	if (!skb || !pkt || !chain || !st || !g)
		return sfc_drop(SFC_DROP_UNSPEC);
	key = st->src_ifindex & ~SFC_SRC_REMOTE;
	if (!tx)
		return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	geneve_ctx_fill(&tx->opt.ctx, chain->chain_id, 0, st->dir,
			SFC_GENEVE_F_CHAIN_DONE | SFC_GENEVE_F_REINJECT, key, key);
	tunnel_flow_of(tx, pkt);
	ifindex = tunnel_encap(skb, key, tx);
	if (ifindex < 0)
		return ifindex;
	skb_set_mark(skb, skb_mark(skb) & ~g->mark_mask);
	return redirect_to((__u32)ifindex, 0);
}

/*
 * Delivers a finished chain to its destination port when the configuration
 * says where that is (its MAC in sfc_macs) and a host boundary is in the
 * way (docs/design.md "Across hosts: Geneve", chain ends):
 *  - the destination lives on another host: over the tunnel with the
 *    chain-done flag alone; that host hands the packet to the port and,
 *    for a symmetric chain's forward direction, expects the replies there
 *    (which it could not otherwise: it walked no hop of the chain);
 *  - the destination is here and the source on another host: to the
 *    port's device, instead of back to the source's host and bridged here
 *    again.
 * Either way the packet passes no bridge, so none learns a MAC from it.
 * SFC_CONTINUE: neither applies, the packet is re-injected as usual.
 * A global function with a small frame: it sits beside sfc_enter_instance
 * under sfc_steer, within the 6.1 verifier's 512 bytes of stack.
 */
__attribute__((noinline))
int sfc_deliver(struct __sk_buff *skb, const struct sfc_pkt *pkt,
		const struct sfc_chain *chain, const struct steer_state *st,
		const struct sfc_global *g)
{
	struct sfc_mac_key mk = {};
	const struct sfc_mac_val *d;
	struct sfc_tunnel_tx *tx;
	int ifindex;

	if (!skb || !pkt || !chain || !st || !g)
		return sfc_drop(SFC_DROP_UNSPEC);
	__builtin_memcpy(mk.addr, pkt->eth_dst, sizeof(mk.addr));
	d = bpf_map_lookup_elem(&sfc_macs, &mk);
	if (!d)
		return SFC_CONTINUE;
	if (d->key) {
		tx = tunnel_tx();
		if (!tx)
			return sfc_drop(SFC_DROP_TUNNEL_FAILED);
		geneve_ctx_fill(&tx->opt.ctx, chain->chain_id, 0, st->dir,
				SFC_GENEVE_F_CHAIN_DONE, source_key(st), d->key);
		tunnel_flow_of(tx, pkt);
		ifindex = tunnel_encap(skb, d->key, tx);
		if (ifindex < 0)
			return ifindex;
	} else if (d->ifindex && (st->src_ifindex & SFC_SRC_REMOTE)) {
		ifindex = (int)d->ifindex;
	} else {
		return SFC_CONTINUE;
	}
	skb_set_mark(skb, skb_mark(skb) & ~g->mark_mask);
	return redirect_to((__u32)ifindex, 0);
}

/*
 * The packet leaves the chains: either handed back to its source port's
 * ingress with the chain-done mark (so every bridge and switch sees the
 * source MAC on its own port), or, across hosts, delivered to its
 * destination port (sfc_deliver), or, for routed hosts that chose it,
 * delivered from where it is.
 */
static __always_inline int leave_chain(struct __sk_buff *skb,
				       const struct sfc_pkt *pkt,
				       const struct sfc_chain *chain,
				       const struct steer_state *st,
				       const struct sfc_global *g)
{
	int ret;

	if (chain->flags & SFC_CHAIN_F_DIRECT)
		return TC_ACT_OK;
	if (g->flags & SFC_GLOBAL_F_DELIVER) {
		ret = sfc_deliver(skb, pkt, chain, st, g);
		if (ret != SFC_CONTINUE)
			return ret;
	}
	if (st->src_ifindex & SFC_SRC_REMOTE)
		return sfc_leave_to_remote(skb, pkt, chain, st, g);
	skb->mark = (skb->mark & ~g->mark_mask) | g->mark_done;
	return redirect_to(st->src_ifindex, BPF_F_INGRESS);
}

/* The chain is done: count it, then leave. */
static __always_inline int finish_chain(struct __sk_buff *skb,
					const struct sfc_pkt *pkt,
					const struct sfc_chain *chain,
					const struct steer_state *st,
					const struct sfc_global *g)
{
	trace_note_hop(st->chain, SFC_HOP_DONE, st->dir);
	count_hop(st->chain, st->dir, SFC_HOP_DONE, skb);
	return leave_chain(skb, pkt, chain, st, g);
}

/*
 * Past the last hop: the chain is done. A chain that is a branching point
 * of a service graph (forward direction) is counted done and returns
 * SFC_BRANCH: the entry point picks the destination chain (branch.h), so
 * no function here calls back into the steering.
 */
static __always_inline int chain_done(struct __sk_buff *skb,
				      const struct sfc_pkt *pkt,
				      const struct sfc_chain *chain,
				      const struct steer_state *st,
				      const struct sfc_global *g)
{
	if (!(chain->flags & SFC_CHAIN_F_BRANCH) || st->dir != SFC_DIR_FWD)
		return finish_chain(skb, pkt, chain, st, g);
	trace_note_hop(st->chain, SFC_HOP_DONE, st->dir);
	count_hop(st->chain, st->dir, SFC_HOP_DONE, skb);
	return SFC_BRANCH;
}

#endif /* SFC_BPF_STEER_H */
