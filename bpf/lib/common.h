/* SPDX-License-Identifier: GPL-2.0 */
/* Includes and small helpers every BPF program of sfc uses. */
#ifndef SFC_BPF_COMMON_H
#define SFC_BPF_COMMON_H

#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "uapi/sfc_common.h"
#include "uapi/sfc_drop.h"
#include "uapi/sfc_maps.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/*
 * Stages return a TC verdict (>= 0), SFC_CONTINUE to go on to the next
 * stage, or a negated enum sfc_drop_reason. TC verdicts are small
 * non-negative numbers, so the three ranges cannot collide.
 */
#define SFC_CONTINUE	(-1000)
/*
 * A chain that branches (service graphs) is done; its packet goes on into
 * one of the destination chains (lib/branch.h).
 */
#define SFC_BRANCH	(-1001)

static __always_inline int sfc_drop(enum sfc_drop_reason reason)
{
	return -(int)reason;
}

#endif /* SFC_BPF_COMMON_H */
