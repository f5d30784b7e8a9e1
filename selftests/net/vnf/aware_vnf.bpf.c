// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal SFC-aware VNF for the netns tests (our own, for MPLS and NSH).
 * Loaded by iproute2 on the ingress of the VNF's two ports, in
 * direct-action mode; a Linux bridge inside the VNF then forwards the
 * packet to the other port. (Not tc mirred: a packet a tc action
 * redirected skips generic XDP on the host side, where sfc pops the
 * header; see docs/design.md.)
 *
 *   tc filter add dev in ingress bpf da obj aware_vnf.bpf.o sec tc
 *
 * It decrements the service index as an SF must (RFC 8300 / RFC 8595):
 * the SI of an NSH service path header, or of an MPLS label stack
 * (networking-sfc's single label SPI<<8|SI with TTL = SI, or RFC 8595's
 * SI label). Everything else passes unchanged.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_MPLS_UC	0x8847
#define ETH_P_NSH	0x894F
#define MPLS_LS_S	(1u << 8)
#ifndef MATCH
#define MATCH		TC_ACT_OK	/* on to the bridge */
#endif

static __always_inline __u32 lse_si_down(__u32 lse, bool single)
{
	__u32 label = lse >> 12, si = single ? label & 0xff : label;

	si = si ? si - 1 : 0;
	label = single ? (label & ~0xffu) | si : si;
	return label << 12 | (lse & MPLS_LS_S) | si;	/* TTL follows the SI */
}

SEC("tc")
int aware_vnf(struct __sk_buff *skb)
{
	__be16 proto;
	__be32 w;
	__u32 v;

	if (bpf_skb_load_bytes(skb, 12, &proto, sizeof(proto)))
		return MATCH;
	if (proto == bpf_htons(ETH_P_MPLS_UC)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN, &w, 4))
			return MATCH;
		v = bpf_ntohl(w);
		if (v & MPLS_LS_S) {		/* single label */
			w = bpf_htonl(lse_si_down(v, true));
			bpf_skb_store_bytes(skb, ETH_HLEN, &w, 4, 0);
		} else if (!bpf_skb_load_bytes(skb, ETH_HLEN + 4, &w, 4)) {
			w = bpf_htonl(lse_si_down(bpf_ntohl(w), false));
			bpf_skb_store_bytes(skb, ETH_HLEN + 4, &w, 4, 0);
		}
	} else if (proto == bpf_htons(ETH_P_NSH)) {
		if (bpf_skb_load_bytes(skb, ETH_HLEN + 4, &w, 4))
			return MATCH;
		v = bpf_ntohl(w);
		if (v & 0xff)
			v--;
		w = bpf_htonl(v);
		bpf_skb_store_bytes(skb, ETH_HLEN + 4, &w, 4, 0);
	}
	return MATCH;
}

char LICENSE[] SEC("license") = "GPL";
