/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Correlation headers for SFC-aware VNFs (networking-sfc "IETF SFC
 * Encapsulation"): pushed by TC before a packet enters an aware instance,
 * popped by XDP when it comes back (TC cannot pop: bpf_skb_adjust_room
 * refuses packets whose skb->protocol is MPLS or NSH).
 *
 *   MPLS, networking-sfc:  [Eth 8847][label SPI<<8|SI, S=1, TTL=SI][IP]
 *   MPLS, RFC 8595:        [Eth 8847][label SPI, S=0][label SI, S=1][IP]
 *   NSH (RFC 8300):        [Eth 894F][base][SPI|SI][context][IP or Eth]
 *     MD type 1: 16-byte context, word 0 = the flow's source port id
 *     MD type 2: one TLV, class SFC_NSH_TLV_CLASS type 1: source port id
 */
#ifndef SFC_BPF_ENCAP_H
#define SFC_BPF_ENCAP_H

#include "lib/common.h"
#include "lib/parse.h"

#define ETH_P_MPLS_UC		0x8847
#define ETH_P_NSH		0x894F
#define MPLS_HLEN		4
#define MPLS_LS_S		(1u << 8)
#define NSH_BASE_LEN		8	/* base + service path headers */
#define NSH_MD1_CTX_LEN		16
#define NSH_MD2_TLV_LEN		8	/* one TLV header + 4 bytes of value */
#define NSH_NP_IPV4		0x1
#define NSH_NP_IPV6		0x2
#define NSH_NP_ETH		0x3
#define NSH_MD_TYPE1		0x1
#define NSH_MD_TYPE2		0x2
/* MD type 2 class: the experimental range of RFC 8300 until registered. */
#define SFC_NSH_TLV_CLASS	0xfff6
#define SFC_NSH_TLV_SRC_PORT	0x01

/* The SPI of a chain's path in a direction: the reverse has the top bit. */
static __always_inline __u32 path_spi(const struct sfc_chain *chain, __u8 dir)
{
	__u32 bits = chain->correlation == SFC_CORRELATION_NSH ? SFC_NSH_SPI_BITS :
		     chain->flags & SFC_CHAIN_F_MPLS_RFC8595 ? SFC_MPLS2_SPI_BITS :
							       SFC_MPLS1_SPI_BITS;

	return dir == SFC_DIR_REV ? chain->chain_id | (1u << (bits - 1)) :
				    chain->chain_id;
}

/* The SI of a hop: 255 at the first hop walked in that direction. */
static __always_inline __u8 path_si(const struct sfc_chain *chain, __u8 hop,
				    __u8 dir)
{
	__u8 pos = dir == SFC_DIR_FWD ? hop : chain->nr_hops - 1 - hop;

	return SFC_SI_FIRST - pos;
}

static __always_inline __be32 mpls_lse(__u32 label, __u8 ttl, bool bos)
{
	return bpf_htonl((label & 0xfffff) << 12 | (bos ? MPLS_LS_S : 0) | ttl);
}

/*
 * Puts hlen bytes of room between the Ethernet header and what follows:
 * the frame becomes [dst src proto][hlen bytes to fill][network header].
 *
 * bpf_skb_change_head, not bpf_skb_adjust_room(BPF_ADJ_ROOM_MAC): the
 * latter marks a GSO skb SKB_GSO_DODGY, which veth does not offer
 * (NETIF_F_GSO_ROBUST), so the super-packet is segmented in software on
 * its way out of the VNF port; skb->protocol is still IP and adjust_room
 * moved the network header onto the pushed bytes, so inet_gso_segment
 * reads the MPLS/NSH header as IP, fails, and veth counts a tx drop: TCP
 * stalls. change_head leaves gso_type, gso_size and the network header
 * alone and counts the new bytes in mac_len: the super-packet crosses the
 * VNF port whole (veth offers TSO, and TSO in mpls_features), and were it
 * segmented on our side, each segment would repeat the whole header.
 * The addresses travel in registers, not on the stack (the call chain
 * that reaches this is close to the 512-byte stack limit).
 * See docs/design.md, "GSO through pushed headers".
 */
static __always_inline int push_front(struct __sk_buff *skb, __u32 hlen,
				      __be16 proto)
{
	void *data = skb_data(skb), *end = skb_data_end(skb);
	__u64 macs_lo;
	__u32 macs_hi;

	if (data + ETH_HLEN > end)
		return -1;
	macs_lo = *(__u64 *)data;
	macs_hi = *(__u32 *)(data + 8);
	if (bpf_skb_change_head(skb, hlen, 0))
		return -1;
	data = skb_data(skb);
	end = skb_data_end(skb);
	if (data + ETH_HLEN > end)
		return -1;
	*(__u64 *)data = macs_lo;
	*(__u32 *)(data + 8) = macs_hi;
	*(__be16 *)(data + 12) = proto;
	return 0;
}

static __always_inline int push_mpls(struct __sk_buff *skb,
				     const struct sfc_chain *chain,
				     __u32 spi, __u8 si)
{
	__be32 lse[2];
	__u32 len;

	if (chain->flags & SFC_CHAIN_F_MPLS_RFC8595) {
		lse[0] = mpls_lse(spi, SFC_SI_FIRST, false);
		lse[1] = mpls_lse(si, si, true);
		len = 2 * MPLS_HLEN;
	} else {
		lse[0] = mpls_lse(spi << 8 | si, si, true);
		len = MPLS_HLEN;
	}
	if (push_front(skb, len, bpf_htons(ETH_P_MPLS_UC)))
		return sfc_drop(SFC_DROP_PUSH);
	/* constant sizes: the verifier wants them for stack reads */
	if (len == MPLS_HLEN ? bpf_skb_store_bytes(skb, ETH_HLEN, lse, MPLS_HLEN, 0) :
			       bpf_skb_store_bytes(skb, ETH_HLEN, lse, 2 * MPLS_HLEN, 0))
		return sfc_drop(SFC_DROP_PUSH);
	return SFC_CONTINUE;
}

struct nsh_hdr {
	__be32 base;		/* ver, O, U, TTL, length, U, MD type, NP */
	__be32 sp;		/* SPI << 8 | SI */
	__be32 ctx[4];		/* MD1 context, or the MD2 TLV (2 words) */
};

static __always_inline __be32 nsh_base(__u8 ttl, __u8 len_words, __u8 md, __u8 np)
{
	return bpf_htonl(((__u32)(ttl & 0x3f) << 22) | ((__u32)(len_words & 0x3f) << 16) |
			 ((__u32)(md & 0xf) << 8) | np);
}

static __always_inline int push_nsh(struct __sk_buff *skb,
				    const struct sfc_pkt *pkt,
				    const struct sfc_chain *chain, __u32 spi,
				    __u8 si, __u8 ttl, __u32 src_port_id)
{
	bool md2 = chain->flags & SFC_CHAIN_F_NSH_MD2;
	bool eth = chain->flags & SFC_CHAIN_F_NSH_ETH;
	__u32 nsh_len = NSH_BASE_LEN + (md2 ? NSH_MD2_TLV_LEN : NSH_MD1_CTX_LEN);
	struct nsh_hdr h = {};
	__u8 np;

	if (eth)
		np = NSH_NP_ETH;
	else
		np = pkt->l3_proto == ETH_P_IP ? NSH_NP_IPV4 : NSH_NP_IPV6;
	h.base = nsh_base(ttl, nsh_len / 4, md2 ? NSH_MD_TYPE2 : NSH_MD_TYPE1, np);
	h.sp = bpf_htonl((spi & 0xffffff) << 8 | si);
	if (md2) {
		h.ctx[0] = bpf_htonl((__u32)SFC_NSH_TLV_CLASS << 16 |
				     SFC_NSH_TLV_SRC_PORT << 8 | 4);
		h.ctx[1] = bpf_htonl(src_port_id);
	} else {
		h.ctx[0] = bpf_htonl(src_port_id);
	}
	/*
	 * Next protocol Ethernet: the room is the NSH header plus an outer
	 * Ethernet header, and the original frame, ethertype included, stays
	 * in place behind the NSH header as the inner one.
	 */
	if (push_front(skb, nsh_len + (eth ? ETH_HLEN : 0), bpf_htons(ETH_P_NSH)))
		return sfc_drop(SFC_DROP_PUSH);
	if (md2 ? bpf_skb_store_bytes(skb, ETH_HLEN, &h, NSH_BASE_LEN + NSH_MD2_TLV_LEN, 0) :
		  bpf_skb_store_bytes(skb, ETH_HLEN, &h, NSH_BASE_LEN + NSH_MD1_CTX_LEN, 0))
		return sfc_drop(SFC_DROP_PUSH);
	return SFC_CONTINUE;
}

#endif /* SFC_BPF_ENCAP_H */
