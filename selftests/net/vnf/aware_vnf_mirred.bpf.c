// SPDX-License-Identifier: GPL-2.0
/*
 * The aware test VNF of aware_vnf.bpf.c for a VNF that forwards with tc
 * mirred instead of a bridge: the same SI decrement, then TC_ACT_UNSPEC,
 * so that the next filter (a u32 match-all with mirred egress redirect to
 * the other port) sends the packet on. What mirred sends is marked
 * redirected, which makes the host's generic XDP skip it: sfc pops it in
 * TC instead (bpf/lib/tc_pop.h).
 *
 *   tc filter add dev in ingress pref 1 bpf da obj aware_vnf_mirred.bpf.o sec tc
 *   tc filter add dev in ingress pref 2 u32 match u32 0 0 \
 *	action mirred egress redirect dev out
 */
#include <linux/pkt_cls.h>

#define MATCH	TC_ACT_UNSPEC	/* on to the next filter: mirred */
#include "aware_vnf.bpf.c"
