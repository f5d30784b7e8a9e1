/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about this namespace's network devices, read over rtnetlink. */
#ifndef SFC_NETDEV_H
#define SFC_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * For each ifindex[i] (0: skipped), whether it is one end of a veth whose
 * other end is in another network namespace: the case where the data
 * plane can hand packets to that other end with bpf_redirect_peer. One
 * link dump for all of them. On any failure every answer is false (the
 * plain redirect always works) and a negative errno is returned.
 */
int sfc_netdev_veth_peer_elsewhere(const __u32 *ifindex, size_t n, bool *out);

#endif /* SFC_NETDEV_H */
