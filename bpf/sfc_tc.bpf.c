// SPDX-License-Identifier: GPL-2.0
/*
 * TC ingress entry point, attached to the host side of every logical
 * port (workload or VNF). Packet walk (docs/design.md):
 *
 *   1. not a managed device            -> pass untouched
 *   2. carries the "chain done" mark   -> clear it, pass (re-injection)
 *   3. parse L2..L4                    -> malformed: counted drop
 *   4. classify / steer                -> (grows with the chaining work)
 */
#include "lib/common.h"
#include "lib/maps.h"
#include "lib/counters.h"
#include "lib/parse.h"

static __always_inline const struct sfc_port_val *port_of(const struct __sk_buff *skb)
{
	/* At TC ingress ingress_ifindex is the device the packet arrived on. */
	struct sfc_port_key key = { .ifindex = skb->ingress_ifindex };

	return bpf_map_lookup_elem(&sfc_ports, &key);
}

static __always_inline void mark_bits(__u32 *mask, __u32 *done)
{
	__u32 zero = 0;
	const struct sfc_global *g = bpf_map_lookup_elem(&sfc_global, &zero);

	if (g && g->mark_mask) {
		*mask = g->mark_mask;
		*done = g->mark_done;
	} else {
		*mask = SFC_MARK_MASK_DEFAULT;
		*done = SFC_MARK_DONE_DEFAULT;
	}
}

/*
 * A packet re-injected at its source port after its chain carries the
 * "chain done" mark. It is let through once: the mark is cleared here, so
 * the next time the packet (or a copy looping back) is seen, it is
 * classified again and cannot skip a chain for free.
 */
static __always_inline bool consume_done_mark(struct __sk_buff *skb)
{
	__u32 mask, done;

	mark_bits(&mask, &done);
	if ((skb->mark & mask) != done)
		return false;
	skb->mark &= ~mask;
	return true;
}

SEC("tc")
int sfc_tc_ingress(struct __sk_buff *skb)
{
	const struct sfc_port_val *port = port_of(skb);
	struct sfc_pkt pkt = {};
	__u32 port_id;
	int ret;

	if (!port)
		return TC_ACT_OK;
	port_id = port->port_id;

	if (consume_done_mark(skb)) {
		count_port_reinjected(port_id, skb);
		return TC_ACT_OK;
	}
	count_port_rx(port_id, skb);

	ret = parse_packet(skb, &pkt);
	if (ret == SFC_CONTINUE)
		ret = TC_ACT_OK;	/* no chain matched */
	if (ret < 0)
		return drop_packet(skb, -ret);
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
