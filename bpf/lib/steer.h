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
	return bpf_redirect(ifindex, flags);
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

static __always_inline __u32 mix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

/*
 * Symmetric flow hash: both directions of a flow give the same value
 * (XOR is commutative), so forward and reverse pick the same instance.
 */
static __always_inline __u32 flow_hash_symmetric(const struct sfc_pkt *pkt)
{
	__u32 h = pkt->l4_proto;
	int i;

#pragma unroll
	for (i = 0; i < 4; i++)
		h = mix32(h ^ (pkt->saddr[i] ^ pkt->daddr[i]));
	return mix32(h ^ (pkt->sport ^ pkt->dport));
}

static __always_inline const struct sfc_pair *
pick_pair(const struct sfc_ppg *ppg, const struct sfc_pkt *pkt)
{
	__u32 n = ppg->nr_pairs, idx;

	if (!n || n > SFC_MAX_PAIRS)
		return NULL;
	idx = flow_hash_symmetric(pkt) % n;
	barrier_var(idx);	/* keep the mask: the verifier needs it */
	return &ppg->pairs[idx & (SFC_MAX_PAIRS - 1)];
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
};

static __always_inline int steer_into_hop(struct __sk_buff *skb,
					  const struct sfc_pkt *pkt,
					  const struct sfc_chain *chain,
					  const struct steer_state *st,
					  const struct sfc_global *g)
{
	const struct sfc_ppg *ppg;
	const struct sfc_pair *pair;
	struct sfc_flow_key key = {};
	struct sfc_flow flow = {};
	__u32 ppg_key, target, back, hop = st->hop;

	if (hop >= SFC_MAX_HOPS || hop >= chain->nr_hops)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	/* The verifier bounds registers, not variables: hide what the compiler
	 * knows so it keeps the mask on the very register used as index. */
	barrier_var(hop);
	hop &= SFC_MAX_HOPS - 1;
	ppg_key = (st->generation & 1) * SFC_MAX_PPGS + chain->hops[hop];
	ppg = bpf_map_lookup_elem(&sfc_ppgs, &ppg_key);
	if (!ppg)
		return sfc_drop(SFC_DROP_BAD_CHAIN);
	pair = pick_pair(ppg, pkt);
	if (!pair)
		return sfc_drop(SFC_DROP_NO_INSTANCE);

	target = st->dir == SFC_DIR_FWD ? pair->ingress_ifindex : pair->egress_ifindex;
	back = st->dir == SFC_DIR_FWD ? pair->egress_ifindex : pair->ingress_ifindex;

	flow_key_of(&key, pkt, back);
	flow.generation = st->generation;
	flow.chain = st->chain;
	flow.hop = st->hop;
	flow.dir = st->dir;
	flow.src_ifindex = st->src_ifindex;
	flow_store(&key, &flow);

	count_hop(st->chain, st->dir, st->hop, skb);
	skb->mark = (skb->mark & ~g->mark_mask) | g->mark_steer;
	return redirect_to(target, 0);
}

/*
 * The chain is done: count it, then either hand the packet back to its
 * source port's ingress with the chain-done mark (so every bridge and
 * switch sees the source MAC on its own port), or, for routed hosts that
 * chose it, deliver it from where it is.
 */
static __always_inline int finish_chain(struct __sk_buff *skb,
					const struct sfc_chain *chain,
					const struct steer_state *st,
					const struct sfc_global *g)
{
	count_hop(st->chain, st->dir, SFC_HOP_DONE, skb);
	if (chain->flags & SFC_CHAIN_F_DIRECT)
		return TC_ACT_OK;
	skb->mark = (skb->mark & ~g->mark_mask) | g->mark_done;
	return redirect_to(st->src_ifindex, BPF_F_INGRESS);
}

#endif /* SFC_BPF_STEER_H */
