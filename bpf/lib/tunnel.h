/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Across hosts over Geneve (docs/design.md "Across hosts: Geneve"): the
 * primitives that put a packet into this host's Geneve device with a
 * tunnel key and the SFC context option (include/uapi/sfc_geneve.h), and
 * read the option back at the device's ingress. What to do with it is
 * steer.h's and tunnel_rx.h's business.
 *
 * Two modes, chosen by the loader (sfc_geneve_kfuncs, set when
 * /sys/kernel/btf/sfc_geneve exists):
 *  - kfuncs of the sfc_geneve module insert/replace and find our option
 *    inside the skb's option list, leaving other options alone;
 *  - BPF only (fallback): bpf_skb_set_tunnel_opt writes the whole list,
 *    our option written into it here; bpf_skb_get_tunnel_opt copies the
 *    received list, parsed here.
 * Options of others that came with a packet are carried on with it when
 * the chain crosses to another host again (sfc_geneve_lists; docs/design.md
 * "Across hosts: Geneve", foreign options): the received list is kept per
 * flow and sent again with our option replaced in place.
 * An extern __ksym __weak alone does not make the call optional on 6.1
 * (ENVIRONMENT.md "Module kfuncs"): the const volatile flag lets the
 * verifier drop the dead call when the module is absent.
 */
#ifndef SFC_BPF_TUNNEL_H
#define SFC_BPF_TUNNEL_H

#include "lib/common.h"
#include "lib/maps.h"
#include "lib/geneve_kfuncs.h"

#ifndef EPROTO
#define EPROTO		71
#endif
#ifndef ENOENT
#define ENOENT		2
#endif

/* Set by the loader when the sfc_geneve module's BTF is there. */
const volatile bool sfc_geneve_kfuncs = false;

/* Port key -> local device or remote host. Written by sfcctl. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * SFC_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct sfc_port_loc);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_port_keys SEC(".maps");

/* Underlay addresses (network order) of the hosts remote ports live on:
 * the only senders whose Geneve packets are read. Written by sfcctl. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_MAX_PORTS);
	__type(key, __be32);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_tunnel_peers SEC(".maps");

/* This host's Geneve device and option identity, one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_tunnel_cfg);
} sfc_tunnel SEC(".maps");

/* (slot, chain id) -> chain index: the SPI in the option names the chain. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SFC_SLOTS * SFC_MAX_CHAINS);
	__type(key, struct sfc_spi_key);
	__type(value, struct sfc_spi_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sfc_chain_ids SEC(".maps");

/*
 * The received option list (fallback mode). Geneve allows 252 bytes of
 * options; the slack lets the parser read a whole option header and
 * context at any offset below 256 without a second bound.
 */
#define SFC_GENEVE_OPTS_MAX	252
#define SFC_GENEVE_MAX_OPTS	16	/* options parsed; more: bad list */

struct sfc_geneve_buf {
	__u8 b[256 + SFC_GENEVE_OPT_LEN + 4];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_geneve_buf);
} sfc_geneve_buf SEC(".maps");

/*
 * A whole option list as received, with where our option is in it: what
 * a flow's packets bring from another host and carry on (tunnel_rx.h
 * keeps it, tunnel_encap sends it again). Geneve's 6-bit header length
 * bounds a list at 252 bytes, ours included; ours is replaced in place
 * at the same length, so a carried list always fits again. The slack
 * lets our option be written at any offset below 256 without a second
 * bound.
 */
struct sfc_geneve_list {
	__u16 len;		/* bytes of opts in use, 0: none kept */
	__u16 ours;		/* offset of our option in opts */
	__u8 opts[256 + SFC_GENEVE_OPT_LEN + 4];
};

/*
 * Flow (its own direction, ifindex 0) -> the option list its packets
 * came with, kept only when that list has options besides ours. LRU: a
 * flow pushed out simply goes on with our option alone.
 */
#define SFC_GENEVE_LIST_FLOWS	8192

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SFC_GENEVE_LIST_FLOWS);
	__type(key, struct sfc_flow_key);
	__type(value, struct sfc_geneve_list);
} sfc_geneve_lists SEC(".maps");

/*
 * What a send builds: in a per-CPU map, not on the stack, which the
 * deepest call chain of the entry point already fills close to the
 * verifier's 512 bytes. fkey is the flow whose kept list is looked up
 * (a map key may be map memory); list is the list that goes out.
 */
struct sfc_tunnel_tx {
	struct bpf_tunnel_key tk;
	struct sfc_geneve_opt opt;
	struct sfc_flow_key fkey;
	struct sfc_geneve_list list;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_tunnel_tx);
} sfc_tunnel_tx SEC(".maps");

/* Receive side scratch: the flow and the list about to be kept. */
struct sfc_geneve_keep {
	struct sfc_flow_key key;
	struct sfc_geneve_list list;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_geneve_keep);
} sfc_geneve_keep SEC(".maps");

static __always_inline const struct sfc_tunnel_cfg *tunnel_cfg(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sfc_tunnel, &zero);
}

/* The context of the next send, in the scratch entry; NULL: no map. */
static __always_inline struct sfc_tunnel_tx *tunnel_tx(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sfc_tunnel_tx, &zero);
}

static __always_inline void geneve_ctx_fill(struct sfc_geneve_ctx *c,
					    __u32 spi, __u8 si, __u8 dir,
					    __u8 flags, __u32 src_key,
					    __u32 dst_key)
{
	c->spi_si = bpf_htonl(spi << 8 | si);
	c->dir = dir;
	c->flags = flags;
	c->reserved = 0;
	c->src_port_key = bpf_htonl(src_key);
	c->dst_port_key = bpf_htonl(dst_key);
}

/*
 * The list to send: a copy of the one the flow came with (tx->fkey), our
 * option to be replaced in it; else our option alone. Returns its length.
 */
static __always_inline __u32 tunnel_list_load(struct sfc_tunnel_tx *tx)
{
	const struct sfc_geneve_list *kept;

	kept = bpf_map_lookup_elem(&sfc_geneve_lists, &tx->fkey);
	if (kept && kept->len >= SFC_GENEVE_OPT_LEN &&
	    kept->len <= SFC_GENEVE_OPTS_MAX &&
	    kept->ours <= SFC_GENEVE_OPTS_MAX - SFC_GENEVE_OPT_LEN) {
		__builtin_memcpy(&tx->list, kept, sizeof(tx->list));
		return kept->len;
	}
	tx->list.len = 0;
	tx->list.ours = 0;
	return SFC_GENEVE_OPT_LEN;
}

/*
 * Sets the tunnel key toward the host of port key dst_key and the option
 * list: the flow's carried list (tx->fkey, filled by the caller) with our
 * option (tx->opt.ctx) replacing the one it came with, or ours alone.
 * Returns the Geneve device to redirect into (> 0), or a negated drop
 * reason.
 */
static __always_inline int tunnel_encap(struct __sk_buff *skb, __u32 dst_key,
					struct sfc_tunnel_tx *tx)
{
	const struct sfc_tunnel_cfg *tc = tunnel_cfg();
	const struct sfc_port_loc *loc;
	__u32 len, ours;
	__u64 flags;

	if (!tc || !tc->ifindex)
		return sfc_drop(SFC_DROP_NO_TUNNEL);
	loc = bpf_map_lookup_elem(&sfc_port_keys, &dst_key);
	if (!loc || !loc->remote_ip)
		return sfc_drop(SFC_DROP_UNKNOWN_PORT_KEY);
	__builtin_memset(&tx->tk, 0, sizeof(tx->tk));
	tx->tk.remote_ipv4 = bpf_ntohl(loc->remote_ip);
	tx->tk.tunnel_id = loc->vni ? loc->vni : tc->vni;
	tx->tk.tunnel_ttl = 64;
	flags = tc->flags & SFC_TUNNEL_F_ZERO_CSUM ? BPF_F_ZERO_CSUM_TX : 0;
	if (bpf_skb_set_tunnel_key(skb, &tx->tk, sizeof(tx->tk), flags))
		return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	len = tunnel_list_load(tx);
	if (len < SFC_GENEVE_OPT_LEN || len > SFC_GENEVE_OPTS_MAX)
		return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	/* The verifier bounds registers, not variables: hide the check from
	 * the compiler and bound the register handed to the helper itself
	 * (20..275, inside opts; never 0). */
	barrier_var(len);
	len = SFC_GENEVE_OPT_LEN + ((len - SFC_GENEVE_OPT_LEN) & 0xff);
	if (sfc_geneve_kfuncs) {
		/* The kept list as it came, then the module replaces ours. */
		if (tx->list.len &&
		    bpf_skb_set_tunnel_opt(skb, tx->list.opts, len))
			return sfc_drop(SFC_DROP_TUNNEL_FAILED);
		if (sfc_geneve_ctx_set(skb, &tx->opt.ctx, sizeof(tx->opt.ctx)))
			return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	} else {
		tx->opt.opt_class = bpf_htons(tc->opt_class);
		tx->opt.type = tc->opt_type & ~SFC_GENEVE_CRIT;
		tx->opt.length = SFC_GENEVE_CTX_LEN / 4;
		ours = tx->list.ours;
		barrier_var(ours);
		ours &= 0xff;		/* < 256: inside opts with its slack */
		__builtin_memcpy(&tx->list.opts[ours], &tx->opt, sizeof(tx->opt));
		if (bpf_skb_set_tunnel_opt(skb, tx->list.opts, len))
			return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	}
	return (int)tc->ifindex;
}

/*
 * Fallback: finds our option in the list the packet came with. Every
 * option is looked at, so an unknown type of our class with the critical
 * bit set is caught wherever it is (RFC 8926 3.5.2: drop).
 */
static __always_inline int geneve_parse_opts(struct __sk_buff *skb,
					     const struct sfc_tunnel_cfg *tc,
					     struct sfc_geneve_ctx *ctx)
{
	struct sfc_geneve_buf *buf;
	__u32 zero = 0, off = 0, olen;
	bool found = false;
	int len, i;

	buf = bpf_map_lookup_elem(&sfc_geneve_buf, &zero);
	if (!buf)
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	len = bpf_skb_get_tunnel_opt(skb, buf->b, SFC_GENEVE_OPTS_MAX);
	if (len < 0)
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	if (len == 0)
		return sfc_drop(SFC_DROP_GENEVE_NO_CTX);
	for (i = 0; i < SFC_GENEVE_MAX_OPTS && off < (__u32)len; i++) {
		/* Header only: the data is read after the length check. */
		struct sfc_geneve_opt *h;

		barrier_var(off);
		off &= 0xff;		/* < 256: bounded for the verifier */
		h = (void *)&buf->b[off];
		olen = 4 + (h->length & 0x1f) * 4;
		if (off + olen > (__u32)len)
			return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
		if (bpf_ntohs(h->opt_class) == tc->opt_class) {
			if ((h->type & ~SFC_GENEVE_CRIT) == tc->opt_type) {
				if (olen != SFC_GENEVE_OPT_LEN || found)
					return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
				__builtin_memcpy(ctx, &buf->b[off + 4], sizeof(*ctx));
				found = true;
			} else if (h->type & SFC_GENEVE_CRIT) {
				return sfc_drop(SFC_DROP_GENEVE_CRIT);
			}
		}
		off += olen;
	}
	if (off < (__u32)len)	/* more options than we look at */
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	return found ? SFC_CONTINUE : sfc_drop(SFC_DROP_GENEVE_NO_CTX);
}

/*
 * The outer source of a packet received on the Geneve device must be a
 * host this one knows (a remote port's): whoever else reaches the UDP
 * port is not obeyed. The key goes in the send scratch, which the receive
 * path never uses to send (a resumed hop enters a local instance), not on
 * the stack.
 */
static __always_inline int tunnel_check_peer(struct __sk_buff *skb)
{
	struct sfc_tunnel_tx *tx = tunnel_tx();
	__be32 peer;

	if (!tx)
		return sfc_drop(SFC_DROP_TUNNEL_FAILED);
	if (bpf_skb_get_tunnel_key(skb, &tx->tk, sizeof(tx->tk), 0))
		return sfc_drop(SFC_DROP_TUNNEL_PEER);	/* not IPv4 */
	peer = bpf_htonl(tx->tk.remote_ipv4);
	if (!bpf_map_lookup_elem(&sfc_tunnel_peers, &peer))
		return sfc_drop(SFC_DROP_TUNNEL_PEER);
	return SFC_CONTINUE;
}

/* The SFC context of a packet received on the Geneve device. */
static __always_inline int tunnel_read_ctx(struct __sk_buff *skb,
					   struct sfc_geneve_ctx *ctx)
{
	const struct sfc_tunnel_cfg *tc = tunnel_cfg();
	int ret;

	if (!tc || !tc->ifindex)
		return sfc_drop(SFC_DROP_NO_TUNNEL);
	if (sfc_geneve_kfuncs) {
		ret = sfc_geneve_ctx_get(skb, ctx, sizeof(*ctx));
		if (!ret)
			return SFC_CONTINUE;
		if (ret == -ENOENT)
			return sfc_drop(SFC_DROP_GENEVE_NO_CTX);
		if (ret == -EPROTO)
			return sfc_drop(SFC_DROP_GENEVE_CRIT);
		return sfc_drop(SFC_DROP_GENEVE_BAD_OPT);
	}
	return geneve_parse_opts(skb, tc, ctx);
}

#endif /* SFC_BPF_TUNNEL_H */
