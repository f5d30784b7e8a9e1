/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SFCCTL_STATS_H
#define SFCCTL_STATS_H

#include <stdint.h>

#include "config.h"
#include "dataplane.h"

/* Packets/bytes of one hop (or SFC_HOP_DONE) of a chain, one direction. */
void chain_hop_counter(const struct sfc_dp *dp, const struct sfc_cfg_chain *c,
		       int dir, int hop, uint64_t *packets, uint64_t *bytes);

#endif /* SFCCTL_STATS_H */
