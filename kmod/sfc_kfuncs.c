// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs for TC (BPF_PROG_TYPE_SCHED_CLS) programs: read the SFC context
 * option from the Geneve option list of a received packet, and insert or
 * replace it in the option list of a packet about to be encapsulated,
 * leaving every other option alone. The stock helpers cannot do the
 * latter: bpf_skb_set_tunnel_opt() writes the whole list from a buffer of
 * a size known at load time, and bpf_skb_get_tunnel_opt() hands the
 * program a variable list that it would have to walk under the verifier's
 * bounds rules.
 *
 * Contract (names, sizes, return values): include/uapi/sfc_geneve.h.
 * Which option is ours is a per-netns setting (sfc_net_opt(), changed over
 * genetlink). Like every kfunc this interface is unstable: BPF programs
 * declare these as __ksym __weak and call them only when the loader saw
 * /sys/kernel/btf/sfc_geneve (docs/design.md, "sfc_geneve module").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <net/dst_metadata.h>
#include <net/geneve.h>
#include <net/ip_tunnels.h>

#include <uapi/sfc_geneve.h>

#include "compat.h"
#include "sfc_geneve.h"

/* Option header length in the units of the Geneve length fields. */
#define SFC_OPT_HDR_LEN		sizeof(struct geneve_opt)
/* The longest option list a Geneve header can describe (6-bit words). */
#define SFC_GENEVE_OPTS_MAX	(0x3f * 4)

static_assert(sizeof(struct sfc_geneve_ctx) == SFC_GENEVE_CTX_LEN);
static_assert(SFC_OPT_HDR_LEN + SFC_GENEVE_CTX_LEN == SFC_GENEVE_OPT_LEN);
static_assert(SFC_GENEVE_CRIT == GENEVE_CRIT_OPT_TYPE);

/* What a walk of an option list found. */
struct sfc_opt_scan {
	int	ours;		/* offset of our option, -1 if none */
	bool	crit_unknown;	/* our class, other type, critical bit */
	bool	any_crit;	/* some option has the critical bit */
};

/*
 * Walk a Geneve option list: every option header must fit, every option's
 * length must stay inside the list, and our class/type may appear at most
 * once (two copies would leave the context ambiguous). Returns 0 or
 * -EBADMSG. Options are 4-byte aligned in the list, so the casts are safe.
 */
static int sfc_opts_scan(const u8 *opts, unsigned int len, u32 want,
			 struct sfc_opt_scan *scan)
{
	__be16 want_class = htons(sfc_opt_class(want));
	u8 want_type = sfc_opt_type(want);
	unsigned int off = 0;

	scan->ours = -1;
	scan->crit_unknown = false;
	scan->any_crit = false;

	if (len % 4)
		return -EBADMSG;

	while (off < len) {
		const struct geneve_opt *opt = (const void *)(opts + off);
		unsigned int olen;

		if (len - off < SFC_OPT_HDR_LEN)
			return -EBADMSG;
		olen = SFC_OPT_HDR_LEN + opt->length * 4;
		if (olen > len - off)
			return -EBADMSG;

		if (opt->type & GENEVE_CRIT_OPT_TYPE)
			scan->any_crit = true;
		if (opt->opt_class == want_class) {
			if (opt->type == want_type) {
				if (scan->ours >= 0)
					return -EBADMSG;
				scan->ours = off;
			} else if (opt->type & GENEVE_CRIT_OPT_TYPE) {
				scan->crit_unknown = true;
			}
		}
		off += olen;
	}
	return 0;
}

/*
 * The options of a transmit tunnel info we may grow in place. 6.1's
 * bpf_skb_set_tunnel_key() (net/core/filter.c) attaches a per-CPU
 * metadata dst allocated with IP_TUNNEL_OPTS_MAX bytes of option room,
 * marks it IP_TUNNEL_INFO_TX and sets TUNNEL_NOCACHE. Every other
 * producer of a metadata dst (act_tunnel_key, nft_tunnel, openvswitch,
 * lwtunnel, the tunnel drivers' receive path) kmallocs exactly the length
 * of its options, so writing past them would corrupt the heap: refuse
 * slab memory. Per-CPU memory is never slab (first chunk from memblock,
 * later chunks vmalloc'ed).
 */
static struct ip_tunnel_info *sfc_tx_info(struct sk_buff *skb)
{
	struct metadata_dst *md = skb_metadata_dst(skb);
	struct ip_tunnel_info *info;

	if (!md || md->type != METADATA_IP_TUNNEL)
		return NULL;
	info = &md->u.tun_info;
	if (!(info->mode & IP_TUNNEL_INFO_TX) ||
	    !(info->key.tun_flags & TUNNEL_NOCACHE))
		return NULL;
	if (virt_addr_valid(md) && PageSlab(virt_to_head_page(md)))
		return NULL;
	return info;
}

/* Fill the 4-byte option header and the context at @dst. */
static void sfc_opt_write(u8 *dst, u32 opt, const struct sfc_geneve_ctx *ctx)
{
	struct geneve_opt *hdr = (struct geneve_opt *)dst;

	hdr->opt_class = htons(sfc_opt_class(opt));
	hdr->type = sfc_opt_type(opt);
	hdr->r1 = 0;
	hdr->r2 = 0;
	hdr->r3 = 0;
	hdr->length = SFC_GENEVE_CTX_LEN / 4;
	memcpy(hdr->opt_data, ctx, SFC_GENEVE_CTX_LEN);
}

__bpf_kfunc_start_defs();

/**
 * sfc_geneve_ctx_get - read the SFC context option of a received packet
 * @skb_ctx: the TC program's context
 * @ctx: filled with the option's data on success, zeroed otherwise
 * @ctx__sz: sizeof(*ctx); the verifier checks @ctx has that many bytes
 *
 * Looks in the tunnel metadata the Geneve device (external mode) attached
 * on receive. An option of our class with another type and the critical
 * bit set makes the packet undeliverable (RFC 8926 3.5.2): -EPROTO, even
 * if our option is there as well.
 *
 * Return: 0, -ENOENT (no SFC option), -EBADMSG (malformed list or our
 * option of the wrong length), -EPROTO (critical unknown option of our
 * class), -EINVAL (bad @ctx__sz, no tunnel metadata).
 */
__bpf_kfunc int sfc_geneve_ctx_get(struct __sk_buff *skb_ctx,
				   struct sfc_geneve_ctx *ctx, u32 ctx__sz)
{
	struct sk_buff *skb = (struct sk_buff *)skb_ctx;
	const struct ip_tunnel_info *info;
	struct net *net = dev_net(skb->dev);
	struct sfc_opt_scan scan;
	const u8 *opts;
	int err;

	if (ctx__sz != sizeof(*ctx))
		return -EINVAL;
	memset(ctx, 0, sizeof(*ctx));

	info = skb_tunnel_info(skb);
	if (!info)
		return -EINVAL;
	if (!(info->key.tun_flags & TUNNEL_GENEVE_OPT) || !info->options_len)
		return -ENOENT;

	opts = ip_tunnel_info_opts((struct ip_tunnel_info *)info);
	err = sfc_opts_scan(opts, info->options_len, sfc_net_opt(net), &scan);
	if (!err && scan.ours >= 0 &&
	    ((const struct geneve_opt *)(opts + scan.ours))->length * 4 !=
	    SFC_GENEVE_CTX_LEN)
		err = -EBADMSG;
	if (err) {
		sfc_stat_inc(net, SFC_STAT_ERR);
		return err;
	}
	if (scan.crit_unknown) {
		sfc_stat_inc(net, SFC_STAT_CRIT);
		return -EPROTO;
	}
	if (scan.ours < 0)
		return -ENOENT;

	memcpy(ctx, opts + scan.ours + SFC_OPT_HDR_LEN, sizeof(*ctx));
	sfc_stat_inc(net, SFC_STAT_GET);
	return 0;
}

/**
 * sfc_geneve_ctx_set - insert or replace the SFC context option
 * @skb_ctx: the TC program's context
 * @ctx: the option's data, in network byte order
 * @ctx__sz: sizeof(*ctx)
 *
 * To be called after bpf_skb_set_tunnel_key() (and, to carry other
 * options, after bpf_skb_set_tunnel_opt() wrote them). Replaces our option
 * where it is or appends it, keeps every other option in its place, marks
 * the list as Geneve options and sets the header's critical flag when any
 * option is critical.
 *
 * Return: 0, -ENOSPC (the list would exceed what Geneve can carry),
 * -EBADMSG (the list there is malformed), -EINVAL (bad @ctx__sz, no
 * transmit tunnel info from bpf_skb_set_tunnel_key()).
 */
__bpf_kfunc int sfc_geneve_ctx_set(struct __sk_buff *skb_ctx,
				   const struct sfc_geneve_ctx *ctx,
				   u32 ctx__sz)
{
	struct sk_buff *skb = (struct sk_buff *)skb_ctx;
	struct net *net = dev_net(skb->dev);
	u32 opt = sfc_net_opt(net);
	struct ip_tunnel_info *info;
	struct sfc_opt_scan scan;
	unsigned int len;
	u8 *opts;
	int err;

	if (ctx__sz != sizeof(*ctx))
		return -EINVAL;
	info = sfc_tx_info(skb);
	if (!info)
		return -EINVAL;

	opts = ip_tunnel_info_opts(info);
	len = info->options_len;
	/* A list bpf_skb_set_tunnel_opt() wrote for another tunnel type. */
	if (len && !(info->key.tun_flags & TUNNEL_GENEVE_OPT))
		return -EINVAL;
	err = sfc_opts_scan(opts, len, opt, &scan);
	if (err) {
		sfc_stat_inc(net, SFC_STAT_ERR);
		return err;
	}

	if (scan.ours >= 0) {
		struct geneve_opt *old = (struct geneve_opt *)(opts + scan.ours);
		unsigned int olen = SFC_OPT_HDR_LEN + old->length * 4;

		/* Another length (another version?): close the gap first. */
		if (olen != SFC_GENEVE_OPT_LEN) {
			memmove(opts + scan.ours, opts + scan.ours + olen,
				len - scan.ours - olen);
			len -= olen;
			scan.ours = -1;
		}
	}
	if (scan.ours < 0) {
		if (len + SFC_GENEVE_OPT_LEN > SFC_GENEVE_OPTS_MAX)
			return -ENOSPC;
		scan.ours = len;
		len += SFC_GENEVE_OPT_LEN;
	}

	sfc_opt_write(opts + scan.ours, opt, ctx);
	info->options_len = len;
	/*
	 * bpf_skb_set_tunnel_opt() sets every *_OPT flag (6.1): say these are
	 * Geneve options, so no other tunnel type reads them as its own.
	 */
	info->key.tun_flags &= ~(TUNNEL_OPTIONS_PRESENT | TUNNEL_CRIT_OPT);
	info->key.tun_flags |= TUNNEL_GENEVE_OPT;
	if (scan.any_crit || (sfc_opt_type(opt) & GENEVE_CRIT_OPT_TYPE))
		info->key.tun_flags |= TUNNEL_CRIT_OPT;

	sfc_stat_inc(net, SFC_STAT_SET);
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(sfc_kfunc_ids)
BTF_ID_FLAGS(func, sfc_geneve_ctx_get)
BTF_ID_FLAGS(func, sfc_geneve_ctx_set)
BTF_KFUNCS_END(sfc_kfunc_ids)

static const struct btf_kfunc_id_set sfc_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &sfc_kfunc_ids,
};

/*
 * 6.1 cannot unregister a kfunc set: the module's BTF goes away with the
 * module, and programs calling the kfuncs hold a reference on the module
 * (rmmod says "in use" until they are gone).
 */
int __init sfc_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_SCHED_CLS,
					 &sfc_kfunc_set);
}
