// SPDX-License-Identifier: GPL-2.0
/*
 * Test programs for the sfc_geneve kfuncs (selftests/guest/kmod_kfunc.sh),
 * loaded by geneve_kfunc_load, which sets the const volatile knobs below.
 *
 *   tx (egress of an external-mode Geneve device): set the tunnel key,
 *      optionally a foreign option with bpf_skb_set_tunnel_opt, then the
 *      SFC option: sfc_geneve_ctx_set() (kfunc mode) or one fixed-size
 *      bpf_skb_set_tunnel_opt() of the whole list (fallback mode).
 *   rx (ingress of the Geneve device): sfc_geneve_ctx_get(); the last
 *      context read goes to rx_last, every result is counted in rx_results
 *      by errno (0 = found); -EPROTO (critical unknown option) drops.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/errno.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "lib/geneve_kfuncs.h"

/* Set by the loader before loading. */
const volatile bool use_kfunc;		/* module BTF present */
const volatile __u32 remote_ipv4;	/* underlay peer, host order */
const volatile __u32 vni;
/* The SFC option (fallback only: in kfunc mode the module's settings). */
const volatile __u16 opt_class;
const volatile __u8 opt_type;
/* Its content, host order. */
const volatile __u32 ctx_spi_si, ctx_src_key, ctx_dst_key;
const volatile __u8 ctx_dir, ctx_flags;
/* A foreign option, 4 bytes of data, written first if foreign is set. */
const volatile __u16 foreign_class;
const volatile __u8 foreign_type;
const volatile __u32 foreign_data;
const volatile bool foreign;
/* Its length field (words of data): != 1 makes the list malformed. */
const volatile __u8 foreign_len = 1;
/* kfunc mode: set a zeroed context first, so the real one replaces it. */
const volatile bool replace;

#define RESULTS	256	/* errno values counted; larger ones in the last */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RESULTS);
	__type(key, __u32);
	__type(value, __u64);
} tx_results SEC(".maps"), rx_results SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_geneve_ctx);
} rx_last SEC(".maps");

struct foreign_opt {
	__be16	opt_class;
	__u8	type;
	__u8	length;
	__be32	data;
};

static __always_inline void count(void *map, int ret)
{
	__u32 key = ret < 0 ? -ret : ret;
	__u64 *v;

	if (key >= RESULTS)
		key = RESULTS - 1;
	v = bpf_map_lookup_elem(map, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void fill_ctx(struct sfc_geneve_ctx *c)
{
	c->spi_si = bpf_htonl(ctx_spi_si);
	c->dir = ctx_dir;
	c->flags = ctx_flags;
	c->reserved = 0;
	c->src_port_key = bpf_htonl(ctx_src_key);
	c->dst_port_key = bpf_htonl(ctx_dst_key);
}

static __always_inline void fill_foreign(struct foreign_opt *f)
{
	f->opt_class = bpf_htons(foreign_class);
	f->type = foreign_type;
	f->length = foreign_len & 0x1f;
	f->data = bpf_htonl(foreign_data);
}

/* Fallback: the whole list in one fixed-size write. */
static __always_inline int set_opts_fallback(struct __sk_buff *skb,
					     const struct sfc_geneve_ctx *c)
{
	struct {
		struct foreign_opt f;
		struct sfc_geneve_opt o;
	} list;

	sfc_geneve_opt_init(&list.o, opt_class, opt_type, c);
	if (!foreign)
		return bpf_skb_set_tunnel_opt(skb, &list.o, sizeof(list.o));
	fill_foreign(&list.f);
	return bpf_skb_set_tunnel_opt(skb, &list, sizeof(list));
}

static __always_inline int set_opts_kfunc(struct __sk_buff *skb,
					  const struct sfc_geneve_ctx *c)
{
	struct sfc_geneve_ctx zero = {};
	struct foreign_opt f;
	int ret;

	if (foreign) {
		fill_foreign(&f);
		ret = bpf_skb_set_tunnel_opt(skb, &f, sizeof(f));
		if (ret)
			return ret;
	}
	if (replace) {
		ret = sfc_geneve_ctx_set(skb, &zero, sizeof(zero));
		if (ret)
			return ret;
	}
	return sfc_geneve_ctx_set(skb, c, sizeof(*c));
}

SEC("tc")
int tx(struct __sk_buff *skb)
{
	struct bpf_tunnel_key key = {
		.remote_ipv4 = remote_ipv4,
		.tunnel_id = vni,
		.tunnel_ttl = 64,
	};
	struct sfc_geneve_ctx c;
	int ret;

	ret = bpf_skb_set_tunnel_key(skb, &key, sizeof(key), 0);
	if (ret) {
		count(&tx_results, ret);
		return TC_ACT_SHOT;
	}
	fill_ctx(&c);
	if (use_kfunc)
		ret = set_opts_kfunc(skb, &c);
	else
		ret = set_opts_fallback(skb, &c);
	count(&tx_results, ret);
	return ret ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
int rx(struct __sk_buff *skb)
{
	struct sfc_geneve_ctx c = {};
	__u32 zero = 0;
	int ret = -EOPNOTSUPP;

	if (use_kfunc)
		ret = sfc_geneve_ctx_get(skb, &c, sizeof(c));
	count(&rx_results, ret);
	if (ret == 0)
		bpf_map_update_elem(&rx_last, &zero, &c, BPF_ANY);
	/* RFC 8926 3.5.2: a critical option we do not know: drop. */
	if (ret == -EPROTO)
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;	/* on to the next filter (flower) */
}

char LICENSE[] SEC("license") = "GPL";
