/* SPDX-License-Identifier: GPL-2.0 */
/* Counting helpers: every packet we act on is counted exactly once per slot. */
#ifndef SFC_BPF_COUNTERS_H
#define SFC_BPF_COUNTERS_H

#include "lib/maps.h"

static __always_inline void counter_add(struct sfc_traffic_counter *c,
					const struct __sk_buff *skb)
{
	/* Per-CPU slots: plain adds are enough. */
	c->packets++;
	c->bytes += skb->len;
}

static __always_inline struct sfc_port_stats *port_stats(__u32 port_id)
{
	return bpf_map_lookup_elem(&sfc_port_stats, &port_id);
}

static __always_inline void count_port_rx(__u32 port_id,
					  const struct __sk_buff *skb)
{
	struct sfc_port_stats *st = port_stats(port_id);

	if (st)
		counter_add(&st->rx, skb);
}

static __always_inline void count_port_reinjected(__u32 port_id,
						  const struct __sk_buff *skb)
{
	struct sfc_port_stats *st = port_stats(port_id);

	if (st)
		counter_add(&st->reinjected, skb);
}

static __always_inline void count_si_kept(__u32 port_id,
					  const struct __sk_buff *skb)
{
	struct sfc_port_stats *st = port_stats(port_id);

	if (st)
		counter_add(&st->si_kept, skb);
}

/* The one exit for drops: count under the reason, then shoot. */
static __always_inline int drop_packet(const struct __sk_buff *skb,
				       enum sfc_drop_reason reason)
{
	__u32 key = reason < SFC_DROP__MAX ? reason : SFC_DROP_UNSPEC;
	struct sfc_drop_counter *c;

	c = bpf_map_lookup_elem(&sfc_drop_stats, &key);
	if (c) {
		c->packets++;
		c->bytes += skb->len;
	}
	return TC_ACT_SHOT;
}

#endif /* SFC_BPF_COUNTERS_H */
