// SPDX-License-Identifier: GPL-2.0
/*
 * TC ingress entry point, attached to the host side of every logical port
 * (workload, uplink or VNF). Packet walk (docs/design.md):
 *
 *   not a managed device           -> pass untouched
 *   carries the chain-done mark    -> clear it, pass (re-injected packet)
 *   parse L2..L4                   -> malformed: counted drop
 *   from an edge (workload) port:
 *     reverse of a symmetric flow  -> into the chain's last hop, backwards
 *     matches a classifier         -> into the chain's first hop
 *     else                         -> pass
 *   from a VNF port:
 *     tied to one chain hop by the flow state -> next hop, or chain end
 *     else                         -> counted drop (never guess a chain)
 *   at the end of a chain that branches (service graph, branch.h):
 *     matches a destination chain  -> into its first hop
 *     else                         -> chain end
 *
 * and a TC egress program on VNF ports (sfc_tc_egress, at the end).
 */
#include "lib/common.h"
#include "lib/maps.h"
#include "lib/counters.h"
#include "lib/parse.h"
#include "lib/classify.h"
#include "lib/steer.h"
#include "lib/branch.h"
#include "lib/trace.h"
#include "lib/pop.h"
#include "lib/tc_pop.h"
#include "lib/tunnel_rx.h"

static __always_inline const struct sfc_port_val *port_of(const struct __sk_buff *skb)
{
	/* At TC ingress ingress_ifindex is the device the packet arrived on. */
	struct sfc_port_key key = { .ifindex = skb->ingress_ifindex };

	return bpf_map_lookup_elem(&sfc_ports, &key);
}

/* The global settings, with the default mark when sfcctl set none. */
static __always_inline void read_global(struct sfc_global *g)
{
	__u32 zero = 0;
	const struct sfc_global *live = bpf_map_lookup_elem(&sfc_global, &zero);

	if (live)
		*g = *live;
	if (!g->mark_mask) {
		g->mark_mask = SFC_MARK_MASK_DEFAULT;
		g->mark_done = SFC_MARK_DONE_DEFAULT;
		g->mark_steer = SFC_MARK_STEER_DEFAULT;
	}
}

/*
 * A packet re-injected at its source port after its chain carries the
 * chain-done mark. It is let through once: the mark is cleared here, so
 * the next time the packet (or a copy looping back) is seen, it is
 * classified again and cannot skip a chain for free.
 */
static __always_inline bool consume_done_mark(struct __sk_buff *skb,
					      const struct sfc_global *g)
{
	__u32 mark = skb_mark(skb);

	if ((mark & g->mark_mask) != g->mark_done)
		return false;
	skb_set_mark(skb, mark & ~g->mark_mask);
	return true;
}

static __always_inline int start_chain(struct __sk_buff *skb,
				       const struct sfc_pkt *pkt,
				       const struct sfc_global *g,
				       __u32 idx, __u8 dir,
				       struct steer_state *st)
{
	const struct sfc_chain *chain = chain_at(g->generation & 1, idx);

	*st = (struct steer_state){
		.generation = g->generation,
		.chain = idx,
		.dir = dir,
		.src_ifindex = skb->ingress_ifindex,
	};
	if (!chain || !chain->nr_hops || chain->generation != g->generation)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	if (dir == SFC_DIR_REV)
		st->hop = chain->nr_hops - 1;
	else if (chain->flags & SFC_CHAIN_F_SYMMETRIC) {
		/*
		 * Expect the replies, as they will look. The edge port they
		 * come from is not known yet: the first reply binds it (see
		 * reverse_of_symmetric), so an entry already there for this
		 * chain is left alone, binding included.
		 */
		struct sfc_flow_key rkey = {};
		struct sfc_flow rev = { .generation = g->generation,
					.chain = idx, .dir = SFC_DIR_REV };
		const struct sfc_flow *old;

		flow_key_reversed(&rkey, pkt);
		old = bpf_map_lookup_elem(&sfc_flows, &rkey);
		if (!old || old->chain != idx || old->dir != SFC_DIR_REV)
			bpf_map_update_elem(&sfc_flows, &rkey, &rev, BPF_ANY);
	}
	return sfc_steer(skb, pkt, g, st, 0);
}

/*
 * The reverse of a flow a symmetric chain classified walks that chain
 * backwards. Checked before the classifiers: the replies must reach the
 * same stateful VNFs whatever other rules say. The chain is taken from
 * the live configuration; if it is gone or no longer symmetric, the
 * replies pass. The first reply binds the expectation to the edge port it
 * arrived on; the same 5-tuple arriving on another edge port later is not
 * a reply of this flow (another workload cannot inject into the chain).
 */
static __always_inline int reverse_of_symmetric(struct __sk_buff *skb,
						const struct sfc_pkt *pkt,
						const struct sfc_global *g,
						struct steer_state *st)
{
	struct sfc_flow_key key = {};
	const struct sfc_flow *f;
	const struct sfc_chain *chain;

	flow_key_of(&key, pkt, 0);
	f = bpf_map_lookup_elem(&sfc_flows, &key);
	if (!f || f->dir != SFC_DIR_REV)
		return SFC_CONTINUE;
	if (f->src_ifindex && f->src_ifindex != skb->ingress_ifindex)
		return SFC_CONTINUE;
	if (!f->src_ifindex)	/* the value is this flow's own: a plain store */
		((struct sfc_flow *)f)->src_ifindex = skb->ingress_ifindex;
	chain = chain_at(g->generation & 1, f->chain);
	if (!chain || chain->generation != g->generation ||
	    !(chain->flags & SFC_CHAIN_F_SYMMETRIC))
		return SFC_CONTINUE;
	return start_chain(skb, pkt, g, f->chain, SFC_DIR_REV, st);
}

static __always_inline int from_edge(struct __sk_buff *skb,
				     const struct sfc_pkt *pkt,
				     const struct sfc_global *g, __u32 port_id,
				     struct steer_state *st)
{
	int ret, idx;

	if (!g->generation || !is_ip(pkt))
		return TC_ACT_OK;
	ret = reverse_of_symmetric(skb, pkt, g, st);
	if (ret != SFC_CONTINUE)
		return ret;
	idx = sfc_classify(skb, pkt, g, port_id, g->generation);
	if (idx == SFC_NO_CHAIN)
		return TC_ACT_OK;
	return start_chain(skb, pkt, g, idx, SFC_DIR_FWD, st);
}

/*
 * The correlation the XDP program popped for this packet (an SFC-aware VNF
 * returned it), consumed so it is never read twice.
 */
/*
 * Test mode only (bpf_fixtures): BPF_PROG_TEST_RUN gives a TC program no
 * packet metadata, so the runner puts what the XDP program would have
 * handed over here. Pruned by the verifier in production.
 */
struct sfc_meta sfc_test_meta;

/* 1: *out filled, 0: no header, -reason: a header that cannot be popped */
static __always_inline int take_meta(struct __sk_buff *skb, struct sfc_meta *out)
{
	struct sfc_meta *m = skb_data_meta(skb);
	void *data = skb_data(skb);

	if (sfc_test_mode) {
		if (sfc_test_meta.magic != SFC_META_MAGIC)
			return 0;
		*out = sfc_test_meta;
		sfc_test_meta.magic = 0;
		return 1;
	}

	if ((void *)(m + 1) > data || m->magic != SFC_META_MAGIC)
		return sfc_tc_pop(skb, out);	/* XDP never saw it (lib/tc_pop.h) */
	*out = *m;
	m->magic = 0;
	return 1;
}

/*
 * Where an aware VNF's packet is in its chain. The flow state, when there
 * is one, says it and the header must agree (a packet never changes
 * chains); without it (the VNF rewrote the 5-tuple) the header alone says
 * it: the SPI names the chain and direction, the SI the hop, and an NSH
 * context the source port.
 */
static __always_inline int locate_aware(const struct sfc_flow *f,
					const struct sfc_meta *m,
					const struct sfc_global *g,
					struct steer_state *st,
					const struct sfc_chain **chain)
{
	struct sfc_spi_key k = { .slot = g->generation & 1, .spi = m->spi };
	const struct sfc_spi_val *v;
	__u32 pos, *ifindex, id;

	if (f) {
		*st = (struct steer_state){ .generation = f->generation,
					    .chain = f->chain, .hop = f->hop,
					    .dir = f->dir, .src_ifindex = f->src_ifindex };
		*chain = chain_at(st->generation & 1, st->chain);
		if (!*chain || (*chain)->generation != st->generation)
			return sfc_drop(SFC_DROP_STALE_CONFIG);
		if (path_spi(*chain, st->dir) != m->spi)
			return sfc_drop(SFC_DROP_UNKNOWN_SPI);
		return SFC_CONTINUE;
	}
	v = bpf_map_lookup_elem(&sfc_spis, &k);
	if (!v)
		return sfc_drop(SFC_DROP_UNKNOWN_SPI);
	*chain = chain_at(k.slot, v->chain);
	if (!*chain || (*chain)->generation != g->generation)
		return sfc_drop(SFC_DROP_STALE_CONFIG);
	pos = SFC_SI_FIRST - 1 - m->si;		/* as decremented by the VNF */
	if (pos >= (*chain)->nr_hops)
		return sfc_drop(SFC_DROP_BAD_SI);
	id = m->src_port_id;
	ifindex = id < SFC_MAX_PORTS ? bpf_map_lookup_elem(&sfc_port_ifindex, &id) : NULL;
	if (!ifindex || !*ifindex)
		return sfc_drop(SFC_DROP_UNKNOWN_SRC);
	*st = (struct steer_state){ .generation = g->generation, .chain = v->chain,
				    .dir = v->dir, .src_ifindex = *ifindex,
				    .hop = v->dir == SFC_DIR_FWD ? pos :
					   (*chain)->nr_hops - 1 - pos };
	return SFC_CONTINUE;
}

/*
 * A packet handed back by a VNF. The flow state recorded when it was
 * steered in ties it to a chain hop (or, for SFC-aware VNFs, the header it
 * came back with); it continues under the generation it started with, so
 * a configuration switch never splits its path.
 */
static __always_inline int from_vnf(struct __sk_buff *skb,
				    const struct sfc_pkt *pkt,
				    const struct sfc_global *g, __u32 flags,
				    __u32 port_id, const struct sfc_meta *meta,
				    struct steer_state *st)
{
	struct sfc_flow_key key = {};
	const struct sfc_chain *chain;
	const struct sfc_flow *f;
	int ret;

	if (flags & SFC_PORT_F_TAP)	/* a tap's output is discarded */
		return sfc_drop(SFC_DROP_TAP_RETURN);
	if (!is_ip(pkt))
		return sfc_drop(SFC_DROP_UNKNOWN_HOP);
	flow_key_of(&key, pkt, skb->ingress_ifindex);
	f = bpf_map_lookup_elem(&sfc_flows, &key);
	if (f && !f->chain)	/* chain 0: a probe of `sfcctl health` came back */
		return sfc_drop(SFC_DROP_PROBE);
	if (meta) {
		__u8 sent;

		ret = locate_aware(f, meta, g, st, &chain);
		if (ret != SFC_CONTINUE)
			return ret;
		sent = path_si(chain, st->hop, st->dir);
		if (meta->si == sent)
			count_si_kept(port_id, skb);
		else if (meta->si != (__u8)(sent - 1))
			return sfc_drop(SFC_DROP_BAD_SI);
		if (meta->corr == SFC_CORRELATION_NSH) {
			if (meta->ttl <= 1)
				return sfc_drop(SFC_DROP_NSH_TTL);
			st->nsh_ttl = meta->ttl - 1;	/* our forwarder's hop */
		}
	} else {
		if (!f)
			return sfc_drop(SFC_DROP_UNKNOWN_HOP);
		*st = (struct steer_state){ .generation = f->generation,
					    .chain = f->chain, .hop = f->hop,
					    .dir = f->dir, .src_ifindex = f->src_ifindex };
		chain = chain_at(st->generation & 1, st->chain);
		if (!chain || chain->generation != st->generation)
			return sfc_drop(SFC_DROP_STALE_CONFIG);
	}
	return sfc_steer(skb, pkt, g, st, 1);
}


SEC("tc")
int sfc_tc_ingress(struct __sk_buff *skb)
{
	const struct sfc_port_val *port = port_of(skb);
	const struct sfc_trace_cfg *trace;
	struct sfc_global g = {};
	struct sfc_pkt pkt = {};
	struct sfc_meta meta;
	struct steer_state st = {};
	bool has_meta = false;
	__u32 port_id, flags;
	int ret, reason = 0;

	if (!port)
		return TC_ACT_OK;
	port_id = port->port_id;
	flags = port->flags;
	read_global(&g);
	trace = trace_begin();
	if (flags & SFC_PORT_F_AWARE) {	/* before parsing: pulls move data */
		ret = take_meta(skb, &meta);
		if (ret < 0) {
			reason = -ret;
			ret = drop_packet(skb, reason);
			goto out;
		}
		has_meta = ret > 0;
	}

	if (consume_done_mark(skb, &g)) {
		count_port_reinjected(port_id, skb);
		if (trace)	/* addresses for the event; nothing else needs them */
			parse_packet(skb, &pkt);
		ret = TC_ACT_OK;
		goto out;
	}
	count_port_rx(port_id, skb);

	ret = parse_packet(skb, &pkt);
	if (ret == SFC_CONTINUE) {
		if (flags & SFC_PORT_F_TUNNEL)
			ret = sfc_from_tunnel(skb, &pkt, &g, &st);
		else if (flags & SFC_PORT_F_VNF)
			ret = from_vnf(skb, &pkt, &g, flags, port_id,
				       has_meta ? &meta : NULL, &st);
		else
			ret = from_edge(skb, &pkt, &g, port_id, &st);
		if (ret == SFC_BRANCH)
			ret = follow_branches(skb, &pkt, &g, &st);
	}
	if (ret < 0) {
		reason = -ret;
		ret = drop_packet(skb, reason);
	}
out:
	trace_end(trace, skb, &pkt, SFC_TRACE_INGRESS, ret, reason);
	return ret;
}

/*
 * TC egress of VNF ports: the only way into a VNF is being steered there.
 * Anything else the host would send out of a VNF port (a bridge flooding
 * an unknown destination or a broadcast, a switch that learned a MAC on
 * the port) is dropped and counted: it would otherwise come back from the
 * VNF looking like chain traffic.
 */
SEC("tc")
int sfc_tc_egress(struct __sk_buff *skb)
{
	struct sfc_port_key key = { .ifindex = skb->ifindex };
	const struct sfc_port_val *port;
	struct sfc_global g = {};

	port = bpf_map_lookup_elem(&sfc_ports, &key);
	if (!port || !(port->flags & SFC_PORT_F_VNF))
		return TC_ACT_OK;
	read_global(&g);
	if ((skb_mark(skb) & g.mark_mask) != g.mark_steer) {
		const struct sfc_trace_cfg *trace = trace_begin();
		struct sfc_pkt pkt = {};
		int ret = drop_packet(skb, SFC_DROP_UNSTEERED);

		if (trace)	/* only then is the parse worth it */
			parse_packet(skb, &pkt);
		trace_end(trace, skb, &pkt, SFC_TRACE_EGRESS, ret, SFC_DROP_UNSTEERED);
		return ret;
	}
	skb_set_mark(skb, skb_mark(skb) & ~g.mark_mask);	/* the VNF never sees our bits */
	return TC_ACT_OK;
}

/*
 * XDP on the ports of SFC-aware pairs: pops the MPLS or NSH header a
 * packet comes back with and hands its content to sfc_tc_ingress in the
 * packet metadata. Everything else passes untouched.
 */
SEC("xdp")
int sfc_xdp_pop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct sfc_meta m = { .magic = SFC_META_MAGIC };
	int ret;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_MPLS_UC))
		ret = pop_mpls(ctx, &m);
	else if (eth->h_proto == bpf_htons(ETH_P_NSH))
		ret = pop_nsh(ctx, &m);
	else
		return XDP_PASS;
	if (ret != XDP_CONTINUE)
		return ret;
	return xdp_set_meta(ctx, &m);
}

char LICENSE[] SEC("license") = "GPL";
