/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SFCCTL_STATS_H
#define SFCCTL_STATS_H

#include <stdint.h>

#include "config.h"
#include "dataplane.h"

/* Packets/bytes of one hop (or SFC_HOP_DONE) of a chain, one direction. */
void chain_hop_counter(const struct sfc_dp *dp, const struct sfc_cfg_chain *c,
		       int dir, int hop, uint64_t *packets, uint64_t *bytes);

/*
 * The "[ chain NAME ]" argument of stats and graph: parses it (*only is
 * NULL for all chains), then locks and loads the configuration into st
 * and checks the chain exists. Returns -1 when help was printed (exit 0),
 * 1 after printing an error, 0 when st is loaded (sfc_state_end it).
 */
struct sfc_state;
int open_chain_view(const char *cmd, int argc, char **argv,
		    void (*usage)(void), struct sfc_state *st, const char **only);

#endif /* SFCCTL_STATS_H */
