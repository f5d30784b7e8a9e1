/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pop in TC, for the packets generic XDP never saw. A VNF that
 * forwards with tc mirred marks the skb redirected, and generic XDP skips
 * redirected skbs (netif_receive_generic_xdp): such a packet reaches
 * sfc_tc_ingress on the return port with its MPLS or NSH header on.
 * (Native veth XDP would see it, but breaks GSO: docs/design.md, "GSO
 * through pushed headers".)
 *
 * TC has no helper that removes bytes from a frame whose skb->protocol is
 * MPLS or NSH (bpf_skb_adjust_room wants IPv4/IPv6), and none that sets
 * skb->protocol. The VLAN helpers do both, 4 bytes at a time:
 *
 *   [macs][ET][hdr][IP]                       skb->protocol ET
 *   bpf_skb_vlan_push twice: the first tag goes to hwaccel, the second
 *   call moves it into the frame:
 *   [macs][8100 0][ET][hdr][IP]               skb->protocol 8100
 *   ET and the header are overwritten with hdr/4 more tags and the inner
 *   ethertype (IPv4/IPv6) in the header's last two bytes:
 *   [macs][8100 0][8100 0]...[0800][IP]
 *   bpf_skb_vlan_pop, 2 + hdr/4 times: each clears the hwaccel tag and
 *   pulls the next in-frame tag into hwaccel, skb->protocol becoming what
 *   followed it; the last one only clears:
 *   [macs][0800][IP]                          skb->protocol IPv4
 *
 * VLAN pops leave gso_type and gso_size alone, and the kernel moves the
 * network header onto the IP header, so a super-packet stays one.
 * (bpf_skb_adjust_room, usable once skb->protocol is IP, would mark it
 * SKB_GSO_DODGY.) NSH with next protocol Ethernet removes 14 + 4n bytes,
 * not a multiple of 4: there the tags only set skb->protocol and
 * bpf_skb_adjust_room removes the rest (the kernel re-validates a DODGY
 * TCP super-packet on a veth and leaves it whole).
 *
 * Known limit (docs/design.md): after a TC pop, a TCP super-packet pushed
 * again into a *bridged* aware VNF is dropped by that VNF's outgoing port
 * (validate_xmit_skb, protocol MPLS); an unaware next hop and the chain end
 * are fine.
 */
#ifndef SFC_BPF_TC_POP_H
#define SFC_BPF_TC_POP_H

#include "lib/common.h"
#include "lib/encap.h"
#include "lib/pop.h"

#define ETH_P_8021Q_BE	bpf_htons(0x8100)

/* An MPLS stack at ETH_HLEN: m filled, *hlen and *inner set; 0 or -reason. */
static __always_inline int tc_read_mpls(struct __sk_buff *skb, struct sfc_meta *m,
					__u32 *hlen, __be16 *inner)
{
	__be32 lse[2] = {};
	__u8 ver;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, lse, sizeof(lse)))
		return sfc_drop(SFC_DROP_MALFORMED_L2);
	*hlen = mpls_decode(m, bpf_ntohl(lse[0]), bpf_ntohl(lse[1]));
	if (!*hlen)
		return sfc_drop(SFC_DROP_MPLS_NO_BOS);
	if (bpf_skb_load_bytes(skb, ETH_HLEN + (*hlen & 15), &ver, 1))
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	*inner = ver >> 4 == 4 ? bpf_htons(ETH_P_IP) :
		 ver >> 4 == 6 ? bpf_htons(ETH_P_IPV6) : 0;
	if (!*inner)
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	m->corr = SFC_CORRELATION_MPLS;
	return 0;
}

/*
 * An NSH header at ETH_HLEN, as pop_nsh reads it. Next protocol Ethernet:
 * the inner frame's addresses are copied over the outer ones and its
 * ethertype is the inner one, so what is left is the inner frame, as the
 * XDP pop leaves it.
 */
static __always_inline int tc_read_nsh(struct __sk_buff *skb, struct sfc_meta *m,
				       __u32 *hlen, __be16 *inner)
{
	struct nsh_hdr h = {};
	__u8 macs[12];
	__u32 base, len;
	__u8 np;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &h, NSH_BASE_LEN))
		return sfc_drop(SFC_DROP_BAD_NSH);
	base = bpf_ntohl(h.base);
	len = nsh_len_of(base);
	/* the two context words nsh_src_port reads (16 bytes at least) */
	if (!len || bpf_skb_load_bytes(skb, ETH_HLEN, &h, NSH_BASE_LEN + 8))
		return sfc_drop(SFC_DROP_BAD_NSH);
	np = base & 0xff;
	m->spi = bpf_ntohl(h.sp) >> 8;
	m->si = bpf_ntohl(h.sp) & 0xff;
	m->ttl = (base >> 22) & 0x3f;
	m->src_port_id = nsh_src_port(&h, (base >> 8) & 0xf, len, &h.ctx[2]);
	m->corr = SFC_CORRELATION_NSH;
	len &= 127;
	if (np == NSH_NP_ETH) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN + len, macs, sizeof(macs)) ||
		    bpf_skb_load_bytes(skb, ETH_HLEN + len + 12, inner, 2) ||
		    bpf_skb_store_bytes(skb, 0, macs, sizeof(macs), 0))
			return sfc_drop(SFC_DROP_BAD_NSH);
		*hlen = len + ETH_HLEN;
		return 0;
	}
	*inner = np == NSH_NP_IPV4 ? bpf_htons(ETH_P_IP) :
		 np == NSH_NP_IPV6 ? bpf_htons(ETH_P_IPV6) : 0;
	if (!*inner)
		return sfc_drop(SFC_DROP_BAD_NSH);
	*hlen = len;
	return 0;
}

#define TC_POP_MAX_TAGS	(64 / 4 + 1)	/* the longest NSH header, and one */

/*
 * Turns [macs][ET][hdr hlen][...] into [macs][inner][...] with VLAN
 * helpers (hlen a multiple of 4), or with hlen 0 only sets skb->protocol.
 */
static __always_inline int tc_strip_tags(struct __sk_buff *skb, __u32 hlen,
					 __be16 inner)
{
	__be32 tag = bpf_htonl(0x81000000);	/* TPID 8100, TCI 0 */
	__u32 i, tags = hlen / 4;

	if (bpf_skb_vlan_push(skb, ETH_P_8021Q_BE, 0) ||
	    bpf_skb_vlan_push(skb, ETH_P_8021Q_BE, 0))
		return -1;
	for (i = 0; i < TC_POP_MAX_TAGS - 1; i++) {
		if (i >= tags)
			break;
		if (bpf_skb_store_bytes(skb, 16 + i * 4, &tag, sizeof(tag), 0))
			return -1;
	}
	if (bpf_skb_store_bytes(skb, 16 + (hlen & 127), &inner, sizeof(inner), 0))
		return -1;
	for (i = 0; i < TC_POP_MAX_TAGS + 1; i++) {
		if (i >= tags + 2)
			break;
		if (bpf_skb_vlan_pop(skb))
			return -1;
	}
	return skb->protocol == inner && !skb->vlan_present ? 0 : -1;
}

/*
 * Returns 1 with m filled when it popped a header, 0 when the frame has
 * none (nothing changed), -reason when the header is bad or the pop failed
 * (the frame is then to be dropped). A global function: verified once,
 * whatever its caller's state.
 */
__attribute__((noinline)) int sfc_tc_pop(struct __sk_buff *skb, struct sfc_meta *m)
{
	__be16 proto, inner = 0;
	__u32 hlen = 0;
	int ret;

	if (!m || bpf_skb_load_bytes(skb, 12, &proto, sizeof(proto)))
		return 0;
	if (proto == bpf_htons(ETH_P_MPLS_UC))
		ret = tc_read_mpls(skb, m, &hlen, &inner);
	else if (proto == bpf_htons(ETH_P_NSH))
		ret = tc_read_nsh(skb, m, &hlen, &inner);
	else
		return 0;
	if (ret)
		return ret;
	if (inner != bpf_htons(ETH_P_IP) && inner != bpf_htons(ETH_P_IPV6))
		return sfc_drop(SFC_DROP_MALFORMED_L3);
	if (skb->vlan_present)	/* the first push would put it in the frame */
		return sfc_drop(SFC_DROP_MALFORMED_L2);
	if (hlen % 4 == 0) {
		ret = tc_strip_tags(skb, hlen, inner);
	} else {		/* NSH, next protocol Ethernet (see above) */
		ret = tc_strip_tags(skb, 0, inner);
		if (!ret)
			ret = bpf_skb_adjust_room(skb, -(int)(hlen & 127), BPF_ADJ_ROOM_MAC,
						  BPF_F_ADJ_ROOM_FIXED_GSO);
	}
	if (ret)	/* a helper failed (memory) half way: the frame is lost */
		return sfc_drop(SFC_DROP_UNSPEC);
	m->magic = SFC_META_MAGIC;
	return 1;
}

#endif /* SFC_BPF_TC_POP_H */
