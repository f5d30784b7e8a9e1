/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Choosing the instance (port pair) of a group for a packet:
 *
 *   1. sticky: the instance this flow used before, if it is still in the
 *      group, healthy and the flow was not idle for SFC_STICKY_IDLE_S;
 *   2. else the group's Maglev table at hash(lb_fields) -- consistent:
 *      adding or removing one of N instances moves ~1/N of new flows;
 *   3. if that instance is down, weighted rendezvous hashing over the
 *      healthy ones, so only the failed instance's flows move.
 *
 * The hash is symmetric: in the reverse direction the source and
 * destination fields swap places before hashing, so a flow's replies pick
 * the instance its requests picked, whatever subset of fields is used.
 */
#ifndef SFC_BPF_SELECT_H
#define SFC_BPF_SELECT_H

#include "lib/maps.h"
#include "lib/parse.h"

#define NS_PER_S	1000000000ull
#define STICKY_REFRESH_NS	NS_PER_S	/* write last_ns at most this often */

static __always_inline __u32 mix32(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static __always_inline __u32 hash_words(__u32 h, const __be32 *w)
{
	h = mix32(h ^ w[0]);
	h = mix32(h ^ w[1]);
	h = mix32(h ^ w[2]);
	return mix32(h ^ w[3]);
}

static __always_inline __u32 hash_mac(__u32 h, const __u8 *m)
{
	h = mix32(h ^ (((__u32)m[0] << 24) | ((__u32)m[1] << 16) |
		       ((__u32)m[2] << 8) | m[3]));
	return mix32(h ^ (((__u32)m[4] << 8) | m[5]));
}

/*
 * The flow's hash over the group's lb_fields, oriented as the forward
 * direction saw it (unless the group asks for asymmetric hashing).
 */
static __always_inline __u32 lb_hash(const struct sfc_pkt *pkt,
				     const struct sfc_ppg *ppg, __u8 dir)
{
	bool swap = dir == SFC_DIR_REV && !(ppg->flags & SFC_PPG_F_ASYMMETRIC);
	__u32 f = ppg->lb_fields ? ppg->lb_fields : SFC_LB_DEFAULT;
	const __be32 *src = swap ? pkt->daddr : pkt->saddr;
	const __be32 *dst = swap ? pkt->saddr : pkt->daddr;
	const __u8 *esrc = swap ? pkt->eth_dst : pkt->eth_src;
	const __u8 *edst = swap ? pkt->eth_src : pkt->eth_dst;
	__u16 sport = swap ? pkt->dport : pkt->sport;
	__u16 dport = swap ? pkt->sport : pkt->dport;
	__u32 h = mix32(pkt->l4_proto + 0x5fc);

	if (f & SFC_LB_ETH_SRC)
		h = hash_mac(h, esrc);
	if (f & SFC_LB_ETH_DST)
		h = hash_mac(h ^ 0x1, edst);
	if (f & SFC_LB_IP_SRC)
		h = hash_words(h, src);
	if (f & SFC_LB_IP_DST)
		h = hash_words(h ^ 0x2, dst);
	if (f & SFC_LB_L4_SRC)
		h = mix32(h ^ sport);
	if (f & SFC_LB_L4_DST)
		h = mix32(h ^ ((__u32)dport << 16) ^ 0x3);
	return h;
}

/*
 * Only a health-checked group reads sfc_health (a lookup per selection
 * saved for the others): an entry of an unchecked group's instance is a
 * leftover, and its instances are up.
 */
static __always_inline bool instance_up(const struct sfc_ppg *ppg,
					const struct sfc_pair *p)
{
	__u32 key = p->ingress_ifindex;
	const struct sfc_health *hs;

	if (!(ppg->flags & SFC_PPG_F_HEALTH))
		return true;
	hs = bpf_map_lookup_elem(&sfc_health, &key);
	return !hs || hs->state != SFC_HEALTH_DOWN;
}

/* Lexicographic order of two 16-byte addresses. */
static __always_inline int addr_cmp(const __be32 *a, const __be32 *b)
{
	int i;

#pragma unroll
	for (i = 0; i < 4; i++) {
		__u32 x = bpf_ntohl(a[i]), y = bpf_ntohl(b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/*
 * The flow's identity in a group, the same from both ends -- except in an
 * asymmetric group, where each direction keeps its own entry (otherwise
 * the shared entry would make it symmetric after all).
 */
static __always_inline void sticky_key_of(struct sfc_sticky_key *k,
					  const struct sfc_pkt *pkt,
					  const struct sfc_ppg *ppg)
{
	int c = addr_cmp(pkt->saddr, pkt->daddr);
	bool src_low = c < 0 || (c == 0 && pkt->sport <= pkt->dport) ||
		       (ppg->flags & SFC_PPG_F_ASYMMETRIC);

	k->ppg_id = ppg->id;
	k->family = pkt->l3_proto == ETH_P_IP ? 4 : 6;
	k->proto = pkt->l4_proto;
	__builtin_memcpy(k->addr_lo, src_low ? pkt->saddr : pkt->daddr, 16);
	__builtin_memcpy(k->addr_hi, src_low ? pkt->daddr : pkt->saddr, 16);
	k->port_lo = src_low ? pkt->sport : pkt->dport;
	k->port_hi = src_low ? pkt->dport : pkt->sport;
}

/* The pair of the group with that ingress ifindex, if still a member. */
static __always_inline const struct sfc_pair *
member_by_ingress(const struct sfc_ppg *ppg, __u32 ifindex)
{
	int i;

	for (i = 0; i < SFC_MAX_PAIRS; i++) {
		if (i >= ppg->nr_pairs)
			break;
		if (ppg->pairs[i].ingress_ifindex == ifindex)
			return &ppg->pairs[i];
	}
	return NULL;
}

/*
 * ns since the entry was last refreshed. The coarse clock (a jiffy behind
 * at most) can read earlier than a stamp written by a finer one (sfcctl,
 * the test runner): that counts as just now.
 */
static __always_inline __u64 sticky_age(const struct sfc_sticky *s, __u64 now)
{
	return now > s->last_ns ? now - s->last_ns : 0;
}

static __always_inline const struct sfc_pair *
sticky_instance(const struct sfc_ppg *ppg, const struct sfc_sticky_key *k,
		__u64 now)
{
	struct sfc_sticky *s = bpf_map_lookup_elem(&sfc_sticky, k);
	const struct sfc_pair *p;

	if (!s || sticky_age(s, now) > SFC_STICKY_IDLE_S * NS_PER_S)
		return NULL;
	p = member_by_ingress(ppg, s->ingress_ifindex);
	if (!p || p->egress_ifindex != s->egress_ifindex || !instance_up(ppg, p))
		return NULL;
	if (sticky_age(s, now) > STICKY_REFRESH_NS)
		s->last_ns = now;	/* per-flow value: a plain store is fine */
	return p;
}

/* Weighted rendezvous over the healthy instances (the failure path). */
static __always_inline const struct sfc_pair *
rendezvous_healthy(const struct sfc_ppg *ppg, __u32 h)
{
	const struct sfc_pair *best = NULL;
	__u64 best_score = 0;
	int i;

	for (i = 0; i < SFC_MAX_PAIRS; i++) {
		const struct sfc_pair *p;
		__u64 score;

		if (i >= ppg->nr_pairs)
			break;
		p = &ppg->pairs[i];
		if (!instance_up(ppg, p))
			continue;
		score = (__u64)mix32(h ^ mix32(p->ingress_ifindex)) *
			(p->weight ? p->weight : 1);
		if (!best || score > best_score) {
			best = p;
			best_score = score;
		}
	}
	return best;
}

static __always_inline const struct sfc_pair *
maglev_instance(const struct sfc_ppg *ppg, __u32 h)
{
	__u32 bucket = h % SFC_MAGLEV_SIZE, idx;

	barrier_var(bucket);
	if (bucket >= SFC_MAGLEV_SIZE)
		return NULL;
	idx = ppg->table[bucket];
	if (idx >= ppg->nr_pairs)
		return NULL;
	barrier_var(idx);	/* mask the register that indexes (see steer.h) */
	return &ppg->pairs[idx & (SFC_MAX_PAIRS - 1)];
}

/*
 * The index in ppg->pairs[] of the instance for this packet, or -1 when
 * none is healthy. A global (BPF-to-BPF) function: the verifier checks it
 * once, not once per hop of the steering loop that calls it.
 */
__attribute__((noinline))
int sfc_select_instance(const struct sfc_pkt *pkt, const struct sfc_ppg *ppg,
			__u32 dir)
{
	struct sfc_sticky_key key = {};
	struct sfc_sticky val = {};
	const struct sfc_pair *p;
	/* Idle times are seconds: the coarse clock is enough, and cheaper
	 * (no clock-source read, which perf showed at 5 % of a hop). */
	__u64 now = bpf_ktime_get_coarse_ns();
	__u32 h;

	if (!pkt || !ppg || !ppg->nr_pairs || ppg->nr_pairs > SFC_MAX_PAIRS)
		return -1;
	sticky_key_of(&key, pkt, ppg);
	p = sticky_instance(ppg, &key, now);
	if (p)
		return p - ppg->pairs;
	h = lb_hash(pkt, ppg, (__u8)dir);
	p = maglev_instance(ppg, h);
	if (!p || !instance_up(ppg, p))
		p = rendezvous_healthy(ppg, h);
	if (!p)
		return -1;
	val.ingress_ifindex = p->ingress_ifindex;
	val.egress_ifindex = p->egress_ifindex;
	val.last_ns = now;
	bpf_map_update_elem(&sfc_sticky, &key, &val, BPF_ANY);
	return p - ppg->pairs;
}

static __always_inline const struct sfc_pair *
select_instance(const struct sfc_pkt *pkt, const struct sfc_ppg *ppg, __u8 dir)
{
	int idx = sfc_select_instance(pkt, ppg, dir);

	if (idx < 0 || idx >= SFC_MAX_PAIRS)
		return NULL;
	barrier_var(idx);
	return &ppg->pairs[idx & (SFC_MAX_PAIRS - 1)];
}

#endif /* SFC_BPF_SELECT_H */
