/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Header parsing into struct sfc_pkt. Each stage returns SFC_CONTINUE or a
 * negated drop reason; nothing here changes the packet except pulling
 * headers into the linear area (GSO packets from veth may not have them).
 */
#ifndef SFC_BPF_PARSE_H
#define SFC_BPF_PARSE_H

#include "lib/common.h"

#define SFC_PKT_F_FRAG		(1u << 0)	/* non-first fragment: no L4 */
#define SFC_PKT_F_L4		(1u << 1)	/* ports are valid */

#define VLAN_HLEN		4
#define MAX_VLAN_TAGS		2
#define MAX_IPV6_EXT		6
#define MAX_HDR_OFF		512	/* headers we look at end before this */

struct sfc_pkt {
	__u16 l3_proto;		/* ETH_P_IP, ETH_P_IPV6 or other (host order) */
	__u8 l4_proto;		/* IPPROTO_*, 0 if none */
	__u8 flags;		/* SFC_PKT_F_* */
	__u16 l3_off;
	__u16 l4_off;
	__be32 saddr[4];	/* IPv4 in [0] */
	__be32 daddr[4];
	__u16 sport;		/* host order */
	__u16 dport;
	__u8 eth_src[6];	/* for lb_fields eth_src / eth_dst */
	__u8 eth_dst[6];
};

static __always_inline bool is_ip(const struct sfc_pkt *pkt)
{
	return pkt->l3_proto == ETH_P_IP || pkt->l3_proto == ETH_P_IPV6;
}

/*
 * skb->data and skb->data_end, loaded straight from the context register.
 * Plain C lets clang keep &skb->data in a register of its own, and the 6.1
 * verifier refuses a load through a modified context pointer.
 */
static __always_inline void *skb_data(const struct __sk_buff *skb)
{
	void *p;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(p) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, data)));
	return p;
}

static __always_inline void *skb_data_end(const struct __sk_buff *skb)
{
	void *p;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(p) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, data_end)));
	return p;
}

static __always_inline void *skb_data_meta(const struct __sk_buff *skb)
{
	void *p;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(p) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, data_meta)));
	return p;
}

/*
 * skb->mark, read and written straight through the context register, for
 * the same reason: in a big function clang may compute &skb->mark once
 * into another register, and every verifier refuses a store through a
 * modified context pointer ("dereference of modified ctx ptr").
 */
static __always_inline __u32 skb_mark(const struct __sk_buff *skb)
{
	__u32 v;

	asm volatile("%0 = *(u32 *)(%1 + %2)"
		     : "=r"(v) : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, mark)));
	return v;
}

static __always_inline void skb_set_mark(struct __sk_buff *skb, __u32 v)
{
	asm volatile("*(u32 *)(%0 + %1) = %2"
		     : : "r"(skb), "i"(__builtin_offsetof(struct __sk_buff, mark)), "r"(v)
		     : "memory");
}

/*
 * Returns a pointer to len bytes at off in the linear data, pulling them in
 * when the skb holds them elsewhere; NULL when the packet is shorter.
 */
static __always_inline void *pkt_ptr(struct __sk_buff *skb, __u32 off,
				     __u32 len)
{
	void *data, *data_end;

	if (off > MAX_HDR_OFF)
		return NULL;
	/* A no-op after the check, but it puts the bound on the register
	 * that is added to the packet pointer: the 6.1 verifier only marks a
	 * packet range when the variable offset is provably < 64 KiB. */
	barrier_var(off);
	off &= 2 * MAX_HDR_OFF - 1;
	data = skb_data(skb);
	data_end = skb_data_end(skb);
	if (data + off + len <= data_end)
		return data + off;
	if (off + len > skb->len || bpf_skb_pull_data(skb, off + len))
		return NULL;
	data = skb_data(skb);
	data_end = skb_data_end(skb);
	if (data + off + len > data_end)
		return NULL;
	return data + off;
}

static __always_inline int parse_eth(struct __sk_buff *skb, struct sfc_pkt *pkt)
{
	struct ethhdr *eth = pkt_ptr(skb, 0, sizeof(*eth));
	__u16 proto, off = sizeof(*eth);
	int i;

	if (!eth)
		return sfc_drop(SFC_DROP_MALFORMED_L2);
	__builtin_memcpy(pkt->eth_src, eth->h_source, 6);
	__builtin_memcpy(pkt->eth_dst, eth->h_dest, 6);
	proto = bpf_ntohs(eth->h_proto);

#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		__be16 *inner;

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		/* TCI, then the encapsulated ethertype */
		inner = pkt_ptr(skb, off + 2, sizeof(*inner));
		if (!inner)
			return sfc_drop(SFC_DROP_MALFORMED_L2);
		proto = bpf_ntohs(*inner);
		off += VLAN_HLEN;
	}
	pkt->l3_proto = proto;
	pkt->l3_off = off;
	return SFC_CONTINUE;
}

static __always_inline int parse_ipv4(struct __sk_buff *skb, struct sfc_pkt *pkt)
{
	struct iphdr *ip = pkt_ptr(skb, pkt->l3_off, sizeof(*ip));
	__u32 hlen, tot;

	if (!ip)
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	hlen = ip->ihl * 4;
	tot = bpf_ntohs(ip->tot_len);
	if (ip->version != 4 || hlen < sizeof(*ip) || tot < hlen ||
	    pkt->l3_off + tot > skb->len)
		return sfc_drop(SFC_DROP_MALFORMED_L3);

	pkt->l4_proto = ip->protocol;
	pkt->saddr[0] = ip->saddr;
	pkt->daddr[0] = ip->daddr;
	pkt->l4_off = pkt->l3_off + hlen;
	if (ip->frag_off & bpf_htons(0x1fff))
		pkt->flags |= SFC_PKT_F_FRAG;
	return SFC_CONTINUE;
}

static __always_inline bool ipv6_is_ext(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT ||
	       nexthdr == IPPROTO_AH;
}

/* Walks at most MAX_IPV6_EXT extension headers to the upper layer. */
static __always_inline int parse_ipv6(struct __sk_buff *skb, struct sfc_pkt *pkt)
{
	struct ipv6hdr *ip6 = pkt_ptr(skb, pkt->l3_off, sizeof(*ip6));
	__u32 off;
	__u8 nh;
	int i;

	if (!ip6 || ip6->version != 6 ||
	    pkt->l3_off + sizeof(*ip6) + bpf_ntohs(ip6->payload_len) > skb->len)
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	__builtin_memcpy(pkt->saddr, &ip6->saddr, 16);
	__builtin_memcpy(pkt->daddr, &ip6->daddr, 16);
	nh = ip6->nexthdr;
	off = pkt->l3_off + sizeof(*ip6);

#pragma unroll
	for (i = 0; i < MAX_IPV6_EXT; i++) {
		__u8 *ext;

		if (!ipv6_is_ext(nh))
			break;
		ext = pkt_ptr(skb, off, 8);
		if (!ext)
			return sfc_drop(SFC_DROP_MALFORMED_L3);
		if (nh == IPPROTO_FRAGMENT) {
			/* offset (13 bits) sits above 3 flag bits */
			if ((((__u16)ext[2] << 8) | ext[3]) & 0xfff8)
				pkt->flags |= SFC_PKT_F_FRAG;
			nh = ext[0];
			off += 8;
		} else if (nh == IPPROTO_AH) {
			nh = ext[0];
			off += ((__u32)ext[1] + 2) * 4;
		} else {
			nh = ext[0];
			off += ((__u32)ext[1] + 1) * 8;
		}
	}
	if (ipv6_is_ext(nh))	/* a longer chain than we are willing to walk */
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	pkt->l4_proto = nh;
	pkt->l4_off = off;
	return SFC_CONTINUE;
}

static __always_inline int parse_l4(struct __sk_buff *skb, struct sfc_pkt *pkt)
{
	if (pkt->flags & SFC_PKT_F_FRAG)
		return SFC_CONTINUE;

	if (pkt->l4_proto == IPPROTO_TCP) {
		struct tcphdr *th = pkt_ptr(skb, pkt->l4_off, sizeof(*th));

		if (!th || th->doff < 5)
			return sfc_drop(SFC_DROP_MALFORMED_L4);
		pkt->sport = bpf_ntohs(th->source);
		pkt->dport = bpf_ntohs(th->dest);
		pkt->flags |= SFC_PKT_F_L4;
	} else if (pkt->l4_proto == IPPROTO_UDP) {
		struct udphdr *uh = pkt_ptr(skb, pkt->l4_off, sizeof(*uh));

		if (!uh)
			return sfc_drop(SFC_DROP_MALFORMED_L4);
		pkt->sport = bpf_ntohs(uh->source);
		pkt->dport = bpf_ntohs(uh->dest);
		pkt->flags |= SFC_PKT_F_L4;
	}
	return SFC_CONTINUE;
}

/* Non-IP traffic (ARP, LLDP, ...) is not ours to judge: it continues. */
static __always_inline int parse_packet(struct __sk_buff *skb,
					struct sfc_pkt *pkt)
{
	int ret = parse_eth(skb, pkt);

	if (ret != SFC_CONTINUE)
		return ret;
	if (pkt->l3_proto == ETH_P_IP)
		ret = parse_ipv4(skb, pkt);
	else if (pkt->l3_proto == ETH_P_IPV6)
		ret = parse_ipv6(skb, pkt);
	else
		return SFC_CONTINUE;
	if (ret != SFC_CONTINUE)
		return ret;
	return parse_l4(skb, pkt);
}

#endif /* SFC_BPF_PARSE_H */
