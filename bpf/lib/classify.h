/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow classification: the compiled rules of the live slot are scanned in
 * rank order, two lists per packet (rules bound to the source port, and
 * rules for any port); the first match of each list is that list's best,
 * and the lower rank of the two wins. bpf_loop keeps the verifier's work
 * independent of the rule count.
 */
#ifndef SFC_BPF_CLASSIFY_H
#define SFC_BPF_CLASSIFY_H

#include "lib/maps.h"
#include "lib/parse.h"

#define SFC_NO_CHAIN	(-1)

/* Packet fields a rule looks at, copied so the loop callback owns them. */
struct classify_ctx {
	__be32 saddr[4];
	__be32 daddr[4];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 proto;
	__u8 has_l4;
	__u8 pad;
	__u32 dst_port_id;
	__u32 first;		/* list being scanned */
	__u32 best_rank;
	__s32 best_chain;
};

static __always_inline bool prefix_matches(const __be32 *addr,
					   const __be32 *net,
					   const __be32 *mask)
{
	return (addr[0] & mask[0]) == net[0] && (addr[1] & mask[1]) == net[1] &&
	       (addr[2] & mask[2]) == net[2] && (addr[3] & mask[3]) == net[3];
}

static __always_inline bool range_is_any(__u16 lo, __u16 hi)
{
	return lo == 0 && hi == 0xffff;
}

static __always_inline bool in_range(__u16 v, __u16 lo, __u16 hi)
{
	return v >= lo && v <= hi;
}

static __always_inline bool rule_matches(const struct sfc_rule *r,
					 const struct classify_ctx *c)
{
	if (r->family && r->family != c->family)
		return false;
	if (r->proto && r->proto != c->proto)
		return false;
	if (r->dst_port_id && r->dst_port_id != c->dst_port_id)
		return false;
	if (!range_is_any(r->sport_lo, r->sport_hi) &&
	    (!c->has_l4 || !in_range(c->sport, r->sport_lo, r->sport_hi)))
		return false;
	if (!range_is_any(r->dport_lo, r->dport_hi) &&
	    (!c->has_l4 || !in_range(c->dport, r->dport_lo, r->dport_hi)))
		return false;
	return prefix_matches(c->saddr, r->src, r->src_mask) &&
	       prefix_matches(c->daddr, r->dst, r->dst_mask);
}

static long match_rule_cb(__u32 i, void *data)
{
	struct classify_ctx *c = data;
	__u32 idx = c->first + i;
	const struct sfc_rule *r = bpf_map_lookup_elem(&sfc_rules, &idx);

	if (!r)
		return 1;
	if (!rule_matches(r, c))
		return 0;
	if (r->rank < c->best_rank) {
		c->best_rank = r->rank;
		c->best_chain = r->chain;
	}
	return 1;	/* lists are sorted: the first match is the best */
}

static __always_inline void scan_list(struct classify_ctx *c, __u32 slot,
				      __u32 list)
{
	__u32 key = slot * SFC_RULE_LISTS + list;
	const struct sfc_rule_list *l;

	l = bpf_map_lookup_elem(&sfc_rule_lists, &key);
	if (!l || !l->count || l->count > SFC_MAX_RULES)
		return;
	c->first = l->first;
	bpf_loop(l->count, match_rule_cb, c, 0);
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
 * The chain index of the best matching rule, or SFC_NO_CHAIN: scans. A
 * port's list goes with list 0 (rules for any port); a branch list
 * (service graphs) is alone.
 */
static __always_inline int classify_scan(const struct classify_ctx *init,
					 __u32 slot, __u32 list)
{
	struct classify_ctx c = *init;

	scan_list(&c, slot, list);
	if (list < SFC_MAX_PORTS)
		scan_list(&c, slot, 0);
	return c.best_chain;
}

/*
 * Set before load by a benchmark that measures the rule scan itself
 * (bpf_fixtures --no-cache); sfcctl never sets it, and the verifier prunes
 * the branch.
 */
const volatile bool sfc_no_class_cache = false;

/*
 * Classification with a per-flow cache: the first packet of a flow scans
 * the rules of the slot of generation gen, the others find the answer in
 * sfc_class_cache (valid while the generation is the one it was made
 * under). Everything a rule can look at is in the key. list is the
 * packet's source port, or SFC_BRANCH_LIST(chain) at the end of a chain
 * that branches. A global function: its ~150 bytes of stack are not added
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
		c.dst_port_id = dst_port_of(skb);
	if (sfc_no_class_cache)
		return classify_scan(&c, gen & 1, list);

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
	val.chain = classify_scan(&c, gen & 1, list);
	bpf_map_update_elem(&sfc_class_cache, &key, &val, BPF_ANY);
	return val.chain;
}

#endif /* SFC_BPF_CLASSIFY_H */
