/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet tracing for `sfcctl trace`: an event per packet (sampled and
 * filtered as sfc_trace_cfg says) in the sfc_trace ring buffer. The
 * steering code notes what it decided in a per-CPU context; the program's
 * exit writes the event. Off, the cost is one array lookup.
 */
#ifndef SFC_BPF_TRACE_H
#define SFC_BPF_TRACE_H

#include "lib/maps.h"
#include "lib/parse.h"

/* Events to user space; 256 KiB holds ~3000 of them. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} sfc_trace SEC(".maps");

/* Switch and filter, one entry, written by sfcctl trace. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_trace_cfg);
} sfc_trace_cfg SEC(".maps");

/* What steering decided for the packet in flight on this CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sfc_trace_ctx);
} sfc_trace_ctx SEC(".maps");

static __always_inline struct sfc_trace_ctx *trace_ctx(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sfc_trace_ctx, &zero);
}

/* Returns the live config when tracing is on, and resets the context. */
static __always_inline const struct sfc_trace_cfg *trace_begin(void)
{
	__u32 zero = 0;
	const struct sfc_trace_cfg *cfg = bpf_map_lookup_elem(&sfc_trace_cfg, &zero);
	struct sfc_trace_ctx *tc;

	if (!cfg || !cfg->enabled)
		return NULL;
	if (cfg->sample > 1 && bpf_get_prandom_u32() % cfg->sample)
		return NULL;
	tc = trace_ctx();
	if (!tc)
		return NULL;
	__builtin_memset(tc, 0, sizeof(*tc));
	tc->active = 1;
	return cfg;
}

/* Notes the chain position (called by steering; cheap when not active). */
static __always_inline void trace_note_hop(__u16 chain, __u8 hop, __u8 dir)
{
	struct sfc_trace_ctx *tc = trace_ctx();

	if (tc && tc->active) {
		tc->chain = chain;
		tc->hop = hop;
		tc->dir = dir;
	}
}

static __always_inline void trace_note_redirect(__u32 ifindex, __u64 flags)
{
	struct sfc_trace_ctx *tc = trace_ctx();

	if (tc && tc->active) {
		tc->target_ifindex = ifindex;
		tc->target_flags = (__u32)flags;
	}
}

static __always_inline bool trace_addr_match(const struct sfc_trace_cfg *cfg,
					     const __be32 *a)
{
	return a[0] == cfg->addr[0] && a[1] == cfg->addr[1] &&
	       a[2] == cfg->addr[2] && a[3] == cfg->addr[3];
}

static __always_inline bool trace_wanted(const struct sfc_trace_cfg *cfg,
					 const struct sfc_pkt *pkt,
					 const struct sfc_trace_ctx *tc,
					 __u32 drop_reason)
{
	__u8 family = pkt->l3_proto == ETH_P_IP ? 4 :
		      pkt->l3_proto == ETH_P_IPV6 ? 6 : 0;

	if (cfg->family && cfg->family != family)
		return false;
	if (cfg->proto && cfg->proto != pkt->l4_proto)
		return false;
	if ((cfg->flags & SFC_TRACE_F_ADDR) && !trace_addr_match(cfg, pkt->saddr) &&
	    !trace_addr_match(cfg, pkt->daddr))
		return false;
	if ((cfg->flags & SFC_TRACE_F_PORT) && pkt->sport != cfg->port &&
	    pkt->dport != cfg->port)
		return false;
	if ((cfg->flags & SFC_TRACE_F_CHAIN) && tc->chain != cfg->chain)
		return false;
	if ((cfg->flags & SFC_TRACE_F_DROPS) && !drop_reason)
		return false;
	return true;
}

/* The packet's event, when tracing was begun for it and it passes the filter. */
static __always_inline void trace_end(const struct sfc_trace_cfg *cfg,
				      const struct __sk_buff *skb,
				      const struct sfc_pkt *pkt, __u8 hook,
				      int verdict, __u32 drop_reason)
{
	struct sfc_trace_event *e;
	struct sfc_trace_ctx *tc;

	if (!cfg)
		return;
	tc = trace_ctx();
	if (!tc || !tc->active)
		return;
	tc->active = 0;
	if (!trace_wanted(cfg, pkt, tc, drop_reason))
		return;
	e = bpf_ringbuf_reserve(&sfc_trace, sizeof(*e), 0);
	if (!e)
		return;
	e->ts_ns = bpf_ktime_get_ns();
	e->ifindex = hook == SFC_TRACE_INGRESS ? skb->ingress_ifindex : skb->ifindex;
	e->len = skb->len;
	e->verdict = verdict;
	e->drop_reason = drop_reason;
	e->target_ifindex = verdict == TC_ACT_REDIRECT ? tc->target_ifindex : 0;
	e->target_flags = verdict == TC_ACT_REDIRECT ? tc->target_flags : 0;
	e->chain = tc->chain;
	e->hop = tc->hop;
	e->dir = tc->dir;
	e->hook = hook;
	e->family = pkt->l3_proto == ETH_P_IP ? 4 : pkt->l3_proto == ETH_P_IPV6 ? 6 : 0;
	e->proto = pkt->l4_proto;
	e->pad = 0;
	__builtin_memcpy(e->saddr, pkt->saddr, 16);
	__builtin_memcpy(e->daddr, pkt->daddr, 16);
	e->sport = pkt->sport;
	e->dport = pkt->dport;
	e->pad2 = 0;
	bpf_ringbuf_submit(e, 0);
}

#endif /* SFC_BPF_TRACE_H */
