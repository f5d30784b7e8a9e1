/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TC ingress of this host's Geneve device: a packet another host sent
 * with the SFC context option (docs/design.md "Across hosts: Geneve").
 *
 *   re-inject flag -> the chain is done and its source port is here:
 *                     into that port's ingress with the chain-done mark
 *   chain-done alone -> the chain is done and its destination port is
 *                     here: to that port (a symmetric chain's replies
 *                     are expected from it)
 *   hop flag       -> resume the chain (SPI, SI, direction) by entering
 *                     the local instance whose port the option names;
 *                     its return is recorded like any other hop's
 *   anything else  -> counted drop (no option, bad option, critical
 *                     unknown option of our class, unknown port key)
 */
#ifndef SFC_BPF_TUNNEL_RX_H
#define SFC_BPF_TUNNEL_RX_H

#include "lib/steer.h"
#include "lib/tunnel.h"

/* The pair of a group that is entered through port ifindex in dir. */
static __always_inline const struct sfc_pair *pair_by_port(const struct sfc_ppg *ppg,
							   __u32 ifindex, __u8 dir)
{
	int i;

	for (i = 0; i < SFC_MAX_PAIRS; i++) {
		const struct sfc_pair *p = &ppg->pairs[i];

		if (i >= ppg->nr_pairs)
			break;
		if (p->flags & SFC_PAIR_F_REMOTE)
			continue;
		if ((dir == SFC_DIR_FWD ? p->ingress_ifindex : p->egress_ifindex) == ifindex)
			return p;
	}
	return NULL;
}

/*
 * A symmetric chain resumed here in the forward direction: its replies
 * will come from a port of this host, so they are expected here (as
 * start_chain does where a flow is classified).
 */
static __always_inline void expect_replies(const struct sfc_pkt *pkt,
					   const struct steer_state *st)
{
	struct sfc_flow_key rkey = {};
	struct sfc_flow rev = { .generation = st->generation,
				.chain = st->chain, .dir = SFC_DIR_REV };
	const struct sfc_flow *old;

	flow_key_reversed(&rkey, pkt);
	old = bpf_map_lookup_elem(&sfc_flows, &rkey);
	if (!old || old->chain != st->chain || old->dir != SFC_DIR_REV)
		bpf_map_update_elem(&sfc_flows, &rkey, &rev, BPF_ANY);
}

static __always_inline bool is_workload_port(__u32 ifindex)
{
	struct sfc_port_key k = { .ifindex = ifindex };
	const struct sfc_port_val *v = bpf_map_lookup_elem(&sfc_ports, &k);

	return v && (v->flags & SFC_PORT_F_WORKLOAD);
}

/*
 * The chain the option's SPI names here, in the live generation (*idx its
 * index), after the direction is checked: a hop resumed or a delivery.
 */
static __always_inline int tunnelled_chain(const struct sfc_geneve_ctx *c,
					   const struct sfc_global *g, __u32 *idx,
					   const struct sfc_chain **chain)
{
	struct sfc_spi_key k = { .slot = g->generation & 1,
				 .spi = bpf_ntohl(c->spi_si) >> 8 };
	const struct sfc_spi_val *v;

	if (c->dir > SFC_DIR_REV)
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	v = bpf_map_lookup_elem(&sfc_chain_ids, &k);
	if (!v)
		return sfc_drop(SFC_DROP_UNKNOWN_SPI);
	*idx = v->chain;
	*chain = chain_at(k.slot, v->chain);
	if (!*chain || (*chain)->generation != g->generation)
		return sfc_drop(SFC_DROP_STALE_CONFIG);
	return SFC_CONTINUE;
}

/* Where the option says the packet is: chain by SPI, hop by SI. */
static __always_inline int locate_tunnelled(const struct sfc_geneve_ctx *c,
					    const struct sfc_global *g,
					    struct steer_state *st,
					    const struct sfc_chain **chain)
{
	__u32 pos, src, idx;
	const struct sfc_port_loc *loc;
	int ret;

	ret = tunnelled_chain(c, g, &idx, chain);
	if (ret != SFC_CONTINUE)
		return ret;
	if (!(*chain)->nr_hops)
		return sfc_drop(SFC_DROP_STALE_CONFIG);
	pos = SFC_SI_FIRST - (bpf_ntohl(c->spi_si) & 0xff);
	if (pos >= (*chain)->nr_hops)
		return sfc_drop(SFC_DROP_BAD_SI);
	/* The source must be known: the chain's end sends the packet there. */
	src = bpf_ntohl(c->src_port_key);
	loc = src <= SFC_PORT_KEY_MAX ? bpf_map_lookup_elem(&sfc_port_keys, &src) : NULL;
	if (!loc)
		return sfc_drop(SFC_DROP_UNKNOWN_PORT_KEY);
	*st = (struct steer_state){
		.generation = g->generation, .chain = idx, .dir = c->dir,
		.hop = c->dir == SFC_DIR_FWD ? pos : (*chain)->nr_hops - 1 - pos,
		.src_ifindex = loc->ifindex ? loc->ifindex : src | SFC_SRC_REMOTE,
		.mark_mask = g->mark_mask, .mark_steer = g->mark_steer,
	};
	return SFC_CONTINUE;
}

static __always_inline int resume_hop(struct __sk_buff *skb,
				      const struct sfc_pkt *pkt,
				      const struct sfc_global *g,
				      const struct sfc_geneve_ctx *c,
				      const struct sfc_port_loc *dst,
				      struct steer_state *st)
{
	const struct sfc_chain *chain;
	const struct sfc_pair *pair;
	const struct sfc_ppg *ppg;
	int ret;

	if (pkt->l3_proto != ETH_P_IP && pkt->l3_proto != ETH_P_IPV6)
		return sfc_drop(SFC_DROP_UNKNOWN_HOP);
	ret = locate_tunnelled(c, g, st, &chain);
	if (ret != SFC_CONTINUE)
		return ret;
	ppg = ppg_of_hop(chain, st);
	if (!ppg)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	pair = pair_by_port(ppg, dst->ifindex, st->dir);
	if (!pair)
		return sfc_drop(SFC_DROP_UNKNOWN_HOP);
	if (st->dir == SFC_DIR_FWD && (chain->flags & SFC_CHAIN_F_SYMMETRIC))
		expect_replies(pkt, st);
	/* Not through sfc_enter_instance: a third frame on the call
	 * stack would pass the verifier's 512 bytes. */
	return enter_instance(skb, pkt, chain, pair, st);
}

/*
 * Offset of our option in a list that tunnel_read_ctx already accepted
 * (lengths inside the list, ours once): -1 when it is not found.
 */
static __always_inline int geneve_offset_of_ours(const struct sfc_geneve_list *l,
						 __u32 len,
						 const struct sfc_tunnel_cfg *tc)
{
	__u32 off = 0;
	int i;

	for (i = 0; i < SFC_GENEVE_MAX_OPTS && off < len; i++) {
		const struct sfc_geneve_opt *h;

		barrier_var(off);
		off &= 0xff;		/* < 256: bounded for the verifier */
		h = (const void *)&l->opts[off];
		if (bpf_ntohs(h->opt_class) == tc->opt_class &&
		    (h->type & ~SFC_GENEVE_CRIT) == tc->opt_type)
			return off;
		off += 4 + (h->length & 0x1f) * 4;
	}
	return -1;
}

/*
 * Keeps the option list a packet resumed here came with, when it has
 * options besides ours, under the packet's flow: the chain's next crossing
 * (another host's VNF, or back to the source's host) sends it again with
 * our option replaced (tunnel_encap). A flow whose packets stop bringing
 * other options loses its entry. Both modes: the stock helper copies the
 * list. A global function with a small frame: sfc_from_tunnel sits under
 * the entry point, close to the 512 bytes of stack.
 */
__attribute__((noinline))
int sfc_keep_options(struct __sk_buff *skb, const struct sfc_pkt *pkt)
{
	const struct sfc_tunnel_cfg *tc = tunnel_cfg();
	struct sfc_geneve_keep *k;
	__u32 zero = 0;
	int len, ours;

	if (!skb || !pkt || !tc)
		return 0;
	k = bpf_map_lookup_elem(&sfc_geneve_keep, &zero);
	if (!k)
		return 0;
	__builtin_memset(&k->key, 0, sizeof(k->key));
	flow_key_of(&k->key, pkt, 0);
	len = bpf_skb_get_tunnel_opt(skb, k->list.opts, SFC_GENEVE_OPTS_MAX);
	ours = len > SFC_GENEVE_OPT_LEN ? geneve_offset_of_ours(&k->list, len, tc) : -1;
	if (ours < 0) {
		if (bpf_map_lookup_elem(&sfc_geneve_lists, &k->key))
			bpf_map_delete_elem(&sfc_geneve_lists, &k->key);
		return 0;
	}
	k->list.len = len;
	k->list.ours = ours;
	bpf_map_update_elem(&sfc_geneve_lists, &k->key, &k->list, BPF_ANY);
	return 1;
}

/*
 * A chain finished on another host for a destination port here (chain-done
 * alone, sfc_deliver): to the port's device. A symmetric chain's forward
 * packet leaves the expectation of its replies: they come from this port
 * and walk the chain backwards from its last hop, wherever that is.
 */
static __always_inline int deliver_here(struct __sk_buff *skb,
					const struct sfc_pkt *pkt,
					const struct sfc_global *g,
					const struct sfc_geneve_ctx *c,
					const struct sfc_port_loc *dst,
					struct steer_state *st)
{
	const struct sfc_chain *chain;
	__u32 idx;
	int ret;

	if (!is_workload_port(dst->ifindex))
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	ret = tunnelled_chain(c, g, &idx, &chain);
	if (ret != SFC_CONTINUE)
		return ret;
	if (c->dir == SFC_DIR_FWD && (chain->flags & SFC_CHAIN_F_SYMMETRIC) &&
	    is_ip(pkt)) {
		st->generation = g->generation;
		st->chain = idx;
		expect_replies(pkt, st);
	}
	skb_set_mark(skb, skb_mark(skb) & ~g->mark_mask);
	return redirect_to(dst->ifindex, 0);
}

/* A global function: verified once on its own (the 6.1 verifier's budget). */
__attribute__((noinline))
int sfc_from_tunnel(struct __sk_buff *skb, const struct sfc_pkt *pkt,
		    const struct sfc_global *g, struct steer_state *st)
{
	const struct sfc_port_loc *dst;
	struct sfc_geneve_ctx c;
	__u32 key;
	int ret;

	if (!skb || !pkt || !g || !st)
		return sfc_drop(SFC_DROP_UNSPEC);
	ret = tunnel_check_peer(skb);
	if (ret != SFC_CONTINUE)
		return ret;
	ret = tunnel_read_ctx(skb, &c);
	if (ret != SFC_CONTINUE)
		return ret;
	key = bpf_ntohl(c.dst_port_key);
	dst = bpf_map_lookup_elem(&sfc_port_keys, &key);
	if (!dst || !dst->ifindex)
		return sfc_drop(SFC_DROP_UNKNOWN_PORT_KEY);
	if (c.flags & SFC_GENEVE_F_REINJECT) {
		/* Only a workload port is ever a chain's source: the done
		 * mark lets a packet past classification there, never into
		 * a VNF's port. */
		if (!is_workload_port(dst->ifindex))
			return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
		skb_set_mark(skb, (skb_mark(skb) & ~g->mark_mask) | g->mark_done);
		return redirect_to(dst->ifindex, BPF_F_INGRESS);
	}
	if (c.flags == SFC_GENEVE_F_CHAIN_DONE)
		return deliver_here(skb, pkt, g, &c, dst, st);
	if (c.flags & SFC_GENEVE_F_HOP) {
		sfc_keep_options(skb, pkt);
		return resume_hop(skb, pkt, g, &c, dst, st);
	}
	return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
}

#endif /* SFC_BPF_TUNNEL_RX_H */
