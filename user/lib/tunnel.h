/* SPDX-License-Identifier: GPL-2.0 */
/*
 * This host's Geneve device (config: struct sfc_cfg_tunnel), over
 * rtnetlink: found, checked, or created in external (collect_md) mode,
 * the only mode in which BPF sets the tunnel key per packet.
 */
#ifndef SFC_TUNNEL_H
#define SFC_TUNNEL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Makes sure dev is an up Geneve device in external mode: creates it with
 * UDP port dstport when missing. 0 and *ifindex, or -errno and a one-line
 * message in err (not a Geneve device, not external, no Geneve in this
 * kernel, ...).
 */
int sfc_tunnel_ensure(const char *dev, uint16_t dstport, int *ifindex,
		      char *err, size_t errlen);

#endif /* SFC_TUNNEL_H */
