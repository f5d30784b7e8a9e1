/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDP side of correlation: on the ports of SFC-aware pairs, a packet that
 * comes back with an MPLS or NSH header loses it here, and what it said
 * (SPI, SI, NSH TTL, the source port from the NSH context) travels to the
 * TC program in the packet metadata (struct sfc_meta). Attached in
 * generic (skb) mode: the skb, GSO state included, is kept, so a TCP
 * super-packet stays one through the VNF and back.
 */
#ifndef SFC_BPF_POP_H
#define SFC_BPF_POP_H

#include "lib/common.h"
#include "lib/encap.h"
#include "lib/maps.h"

#define XDP_CONTINUE	(-1)

static __always_inline int xdp_drop(struct xdp_md *ctx, enum sfc_drop_reason r)
{
	__u32 key = r;
	struct sfc_drop_counter *c = bpf_map_lookup_elem(&sfc_drop_stats, &key);

	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}

/* The ethertype of what an MPLS stack carries: from the IP version. */
static __always_inline __be16 mpls_inner_proto(const __u8 *ip, const void *end)
{
	if ((const void *)(ip + 1) > end)
		return 0;
	if ((*ip >> 4) == 4)
		return bpf_htons(ETH_P_IP);
	if ((*ip >> 4) == 6)
		return bpf_htons(ETH_P_IPV6);
	return 0;
}

/*
 * Moves the 12 MAC address bytes forward by hlen (over the header being
 * removed), writes the inner ethertype, and drops the first hlen bytes.
 */
static __always_inline int xdp_strip(struct xdp_md *ctx, __u32 hlen, __be16 proto)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, *neth;
	__u8 macs[12];

	if (hlen > 64 || data + hlen + sizeof(*neth) > end)
		return XDP_ABORTED;
	__builtin_memcpy(macs, eth, 12);
	/* & 127 bounds the offset for the verifier; hlen may be 64 itself
	 * (an NSH header of 16 words): & 63 would make that 0. */
	neth = data + (hlen & 127);
	if ((void *)(neth + 1) > end)
		return XDP_ABORTED;
	__builtin_memcpy(neth, macs, 12);
	neth->h_proto = proto;
	return bpf_xdp_adjust_head(ctx, (int)hlen) ? XDP_ABORTED : XDP_CONTINUE;
}

/*
 * What an MPLS stack says, from its first label l0 and, when l0 is not the
 * bottom of the stack, its second l1 (shared with the TC pop, tc_pop.h).
 * Returns the stack's length, 0 when l1 is not the bottom either.
 */
static __always_inline __u32 mpls_decode(struct sfc_meta *m, __u32 l0, __u32 l1)
{
	if (l0 & MPLS_LS_S) {		/* one label: SPI << 8 | SI */
		m->spi = l0 >> 20;
		m->si = (l0 >> 12) & 0xff;
		m->ttl = l0 & 0xff;
		return MPLS_HLEN;
	}
	if (!(l1 & MPLS_LS_S))		/* RFC 8595: SPI label, SI label */
		return 0;
	m->spi = l0 >> 12;
	m->si = (l1 >> 12) & 0xff;
	m->ttl = l1 & 0xff;
	return 2 * MPLS_HLEN;
}

/*
 * The length of an NSH header from its base word, 0 if it is not one we
 * take: version 0, MD type 1 with its fixed 24 bytes, MD type 2 up to 64.
 */
static __always_inline __u32 nsh_len_of(__u32 base)
{
	__u32 len = ((base >> 16) & 0x3f) * 4;
	__u8 md = (base >> 8) & 0xf;

	if ((base >> 30) != 0 || len < NSH_BASE_LEN || len > 64 ||
	    (md == NSH_MD_TYPE1 && len != NSH_BASE_LEN + NSH_MD1_CTX_LEN) ||
	    (md != NSH_MD_TYPE1 && md != NSH_MD_TYPE2))
		return 0;
	return len;
}

static __always_inline int pop_mpls(struct xdp_md *ctx, struct sfc_meta *m)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__be32 *lse = data + ETH_HLEN;
	__u32 l0, l1, hlen;
	__be16 proto;

	if ((void *)(lse + 1) > end)
		return xdp_drop(ctx, SFC_DROP_MALFORMED_L2);
	l0 = bpf_ntohl(lse[0]);
	l1 = 0;
	if (!(l0 & MPLS_LS_S)) {
		if ((void *)(lse + 2) > end)
			return xdp_drop(ctx, SFC_DROP_MALFORMED_L2);
		l1 = bpf_ntohl(lse[1]);
	}
	hlen = mpls_decode(m, l0, l1);
	if (!hlen)
		return xdp_drop(ctx, SFC_DROP_MPLS_NO_BOS);
	proto = mpls_inner_proto(data + ETH_HLEN + hlen, end);
	if (!proto)
		return xdp_drop(ctx, SFC_DROP_MALFORMED_L3);
	m->corr = SFC_CORRELATION_MPLS;
	return xdp_strip(ctx, hlen, proto);
}

/*
 * The source port carried in the context (our MD1 word 0 or MD2 TLV).
 * The caller checked that the len bytes of the header are there; only the
 * two context words read here need to be (an MD2 header with its one TLV
 * is 16 bytes, less than struct nsh_hdr, and may end the frame).
 */
static __always_inline __u32 nsh_src_port(const struct nsh_hdr *h, __u8 md,
					  __u32 len, const void *end)
{
	if ((const void *)&h->ctx[2] > end)
		return 0;
	if (md == NSH_MD_TYPE1)
		return bpf_ntohl(h->ctx[0]);
	if (len >= NSH_BASE_LEN + NSH_MD2_TLV_LEN &&
	    bpf_ntohl(h->ctx[0]) == ((__u32)SFC_NSH_TLV_CLASS << 16 |
				     SFC_NSH_TLV_SRC_PORT << 8 | 4))
		return bpf_ntohl(h->ctx[1]);
	return 0;
}

static __always_inline int pop_nsh(struct xdp_md *ctx, struct sfc_meta *m)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct nsh_hdr *h = data + ETH_HLEN;
	__u32 base, len;
	__u8 md, np;

	if ((void *)h + NSH_BASE_LEN > end)
		return xdp_drop(ctx, SFC_DROP_BAD_NSH);
	base = bpf_ntohl(h->base);
	len = nsh_len_of(base);
	md = (base >> 8) & 0xf;
	np = base & 0xff;
	if (!len || (void *)h + len > end)
		return xdp_drop(ctx, SFC_DROP_BAD_NSH);
	m->spi = bpf_ntohl(h->sp) >> 8;
	m->si = bpf_ntohl(h->sp) & 0xff;
	m->ttl = (base >> 22) & 0x3f;
	m->src_port_id = nsh_src_port(h, md, len, end);
	m->corr = SFC_CORRELATION_NSH;
	if (np == NSH_NP_ETH) {	/* the inner frame is whole: drop the rest */
		/* adjust_head refuses to leave less than an Ethernet header:
		 * a header that promises a frame and has none is bad NSH,
		 * counted, not XDP_ABORTED. */
		if ((void *)h + len + ETH_HLEN > end)
			return xdp_drop(ctx, SFC_DROP_BAD_NSH);
		return bpf_xdp_adjust_head(ctx, (int)(ETH_HLEN + (len & 127))) ?
		       XDP_ABORTED : XDP_CONTINUE;
	}
	if (np == NSH_NP_IPV4)
		return xdp_strip(ctx, len, bpf_htons(ETH_P_IP));
	if (np == NSH_NP_IPV6)
		return xdp_strip(ctx, len, bpf_htons(ETH_P_IPV6));
	return xdp_drop(ctx, SFC_DROP_BAD_NSH);
}

/* Hands m to TC in front of the (now plain) frame. */
static __always_inline int xdp_set_meta(struct xdp_md *ctx, const struct sfc_meta *m)
{
	struct sfc_meta *out;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*out)))
		return XDP_PASS;	/* TC then falls back on the flow state */
	out = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(out + 1) > data)
		return XDP_PASS;
	*out = *m;
	return XDP_PASS;
}

#endif /* SFC_BPF_POP_H */
