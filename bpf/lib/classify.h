/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow classification by tuple space search (docs/design.md,
 * "Classifier"). The compiler groups the rules of a slot by mask shape
 * (a tuple) and puts each rule, once per prefix-aligned block of its port
 * ranges, into sfc_class_rules under (slot, tuple, masked fields), whose
 * value holds the best rule of list 0 and of one other list. A packet
 * walks the slot's tuples, at most SFC_MAX_TUPLES, in order of the best
 * rank each holds: one hash lookup per tuple answers for its own list
 * and for list 0, and the walk stops at the first tuple whose best rank
 * cannot beat the match found. The work therefore grows with the number
 * of shapes, not of rules; bpf_loop keeps the verifier's work
 * independent of both.
 */
#ifndef SFC_BPF_CLASSIFY_H
#define SFC_BPF_CLASSIFY_H

#include "lib/maps.h"
#include "lib/parse.h"

#define SFC_NO_CHAIN	(-1)

/* Packet fields a tuple looks at, and the walk's state (bpf_loop's ctx). */
struct classify_ctx {
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 sport;
	__u16 dport;
	__u16 list;		/* the packet's own list */
	__u16 dst_port_id;
	__u8 family;
	__u8 proto;
	__u8 has_l4;
	__u8 slot;
	__u8 own;		/* SFC_TUPLE_F_* of the own list, 0: list 0 */
	__u8 any;		/* SFC_TUPLE_F_ANY_PORT: list 0 too */
	__u16 pad;
	__u32 best_rank;
	__s32 best_chain;
};

static __always_inline void take(struct classify_ctx *c, __u32 rank,
				 __u16 chain)
{
	if (rank < c->best_rank) {
		c->best_rank = rank;
		c->best_chain = chain;
	}
}

/*
 * The one lookup of a tuple: list 0's best and the own list's best share
 * an entry; a key other lists share too sends the packet's own list to
 * sfc_class_more (rare: the same masked fields in rules of two ports).
 */
static __always_inline void tss_lookup(struct classify_ctx *c,
				       struct sfc_class_more_key *mk)
{
	const struct sfc_class_rule_val *v;
	const struct sfc_class_more_val *m;

	v = bpf_map_lookup_elem(&sfc_class_rules, &mk->k);
	if (!v)
		return;
	if (c->any)
		take(c, v->any_rank, v->any_chain);
	if (!c->own)
		return;
	if (v->list == c->list) {
		take(c, v->rank, v->chain);
	} else if (v->flags & SFC_CLASS_F_MORE) {
		mk->list = c->list;
		mk->pad = 0;
		m = bpf_map_lookup_elem(&sfc_class_more, mk);
		if (m)
			take(c, m->rank, m->chain);
	}
}

static __always_inline void mask_addr(__be32 *out, const __be32 *addr,
				      const __be32 *mask)
{
	out[0] = addr[0] & mask[0];
	out[1] = addr[1] & mask[1];
	out[2] = addr[2] & mask[2];
	out[3] = addr[3] & mask[3];
}

/* Whether tuple t can hold a rule matching this packet at all. */
static __always_inline bool tuple_applies(const struct sfc_tuple *t,
					  const struct classify_ctx *c)
{
	if (t->family && t->family != c->family)
		return false;
	/* a port range other than "any" never matches without valid ports */
	if ((t->flags & SFC_TUPLE_F_L4) && !c->has_l4)
		return false;
	return t->flags & (c->own | c->any);
}

static long tss_tuple_cb(__u32 i, void *data)
{
	struct classify_ctx *c = data;
	__u32 slot = c->slot;
	const struct sfc_tuple_table *tt;
	const struct sfc_tuple *t;
	struct sfc_class_more_key mk;

	tt = bpf_map_lookup_elem(&sfc_class_tuples, &slot);
	if (!tt)
		return 1;
	barrier_var(i);	/* mask the register that indexes (see steer.h) */
	t = &tt->t[i & (SFC_MAX_TUPLES - 1)];
	/* Sorted by best rank: neither this tuple nor a later one can win. */
	if (t->best_rank >= c->best_rank)
		return 1;
	if (!tuple_applies(t, c))
		return 0;
	mk.k.slot = c->slot;
	mk.k.proto = c->proto & t->proto_mask;
	mk.k.tuple = (__u16)i;
	mk.k.dst_port_id = (t->flags & SFC_TUPLE_F_DST_PORT) ? c->dst_port_id : 0;
	mk.k.sport = c->sport & t->sport_mask;
	mk.k.dport = c->dport & t->dport_mask;
	mk.k.pad = 0;
	mask_addr(mk.k.src, c->saddr, t->src_mask);
	mask_addr(mk.k.dst, c->daddr, t->dst_mask);
	tss_lookup(c, &mk);
	return 0;
}

/* The logical port owning the destination MAC, 0 when none. */
static __always_inline __u32 dst_port_of(struct __sk_buff *skb)
{
	struct sfc_mac_key key = {};
	const struct sfc_mac_val *v;
	struct ethhdr *eth = pkt_ptr(skb, 0, sizeof(*eth));

	if (!eth)
		return 0;
	__builtin_memcpy(key.addr, eth->h_dest, 6);
	v = bpf_map_lookup_elem(&sfc_macs, &key);
	return v ? v->port_id : 0;
}

static __always_inline void classify_ctx_init(struct classify_ctx *c,
					      const struct sfc_pkt *pkt)
{
	__builtin_memcpy(c->saddr, pkt->saddr, sizeof(c->saddr));
	__builtin_memcpy(c->daddr, pkt->daddr, sizeof(c->daddr));
	c->sport = pkt->sport;
	c->dport = pkt->dport;
	c->family = pkt->l3_proto == ETH_P_IP ? 4 : 6;
	c->proto = pkt->l4_proto;
	c->has_l4 = !!(pkt->flags & SFC_PKT_F_L4);
	c->best_rank = 0xffffffff;
	c->best_chain = SFC_NO_CHAIN;
}

/*
 * The chain index of the best matching rule, or SFC_NO_CHAIN. A port's
 * list goes with list 0 (rules for any port); a branch list (service
 * graphs) is alone.
 */
static __always_inline int classify_walk(struct classify_ctx *c, __u32 slot,
					 __u32 list)
{
	const struct sfc_tuple_table *tt;

	tt = bpf_map_lookup_elem(&sfc_class_tuples, &slot);
	if (!tt || !tt->count || tt->count > SFC_MAX_TUPLES)
		return SFC_NO_CHAIN;
	c->slot = (__u8)slot;
	c->list = (__u16)list;
	if (list >= SFC_MAX_PORTS) {
		c->own = SFC_TUPLE_F_BRANCH;
		c->any = 0;
	} else {
		c->own = list ? SFC_TUPLE_F_PORT : 0;
		c->any = SFC_TUPLE_F_ANY_PORT;
	}
	bpf_loop(tt->count, tss_tuple_cb, c, 0);
	return c->best_chain;
}

/*
 * Set before load by a benchmark or test that measures or checks the
 * classifier itself (bpf_fixtures --no-cache); sfcctl never sets it, and
 * the verifier prunes the branch.
 */
const volatile bool sfc_no_class_cache = false;

/*
 * Classification with a per-flow cache: the first packet of a flow walks
 * the tuples of the slot of generation gen, the others find the answer in
 * sfc_class_cache (valid while the generation is the one it was made
 * under). Everything a rule can look at is in the key. list is the
 * packet's source port, or SFC_BRANCH_LIST(chain) at the end of a chain
 * that branches. A global function: its ~130 bytes of stack are not added
 * to the caller's frame, which the 6.1 verifier counts against the
 * 512-byte limit with the deepest call.
 */
__attribute__((noinline))
int sfc_classify(struct __sk_buff *skb, const struct sfc_pkt *pkt,
		 const struct sfc_global *g, __u32 list, __u32 gen)
{
	struct classify_ctx c = {};
	struct sfc_class_key key = {};
	struct sfc_class_val val;
	const struct sfc_class_val *hit;

	if (!skb || !pkt || !g || list >= SFC_RULE_LISTS)
		return SFC_NO_CHAIN;
	classify_ctx_init(&c, pkt);
	if (g->flags & SFC_GLOBAL_F_DST_PORTS)
		c.dst_port_id = (__u16)dst_port_of(skb);
	if (sfc_no_class_cache)
		return classify_walk(&c, gen & 1, list);

	key.port_id = list;
	key.dst_port_id = c.dst_port_id;
	key.family = c.family;
	key.proto = c.proto;
	key.l4 = c.has_l4;
	__builtin_memcpy(key.saddr, c.saddr, sizeof(key.saddr));
	__builtin_memcpy(key.daddr, c.daddr, sizeof(key.daddr));
	key.sport = c.sport;
	key.dport = c.dport;
	hit = bpf_map_lookup_elem(&sfc_class_cache, &key);
	if (hit && hit->generation == gen)
		return hit->chain;

	val.generation = gen;
	val.chain = classify_walk(&c, gen & 1, list);
	bpf_map_update_elem(&sfc_class_cache, &key, &val, BPF_ANY);
	return val.chain;
}

#endif /* SFC_BPF_CLASSIFY_H */
