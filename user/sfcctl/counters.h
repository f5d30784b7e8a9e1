/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SFCCTL_COUNTERS_H
#define SFCCTL_COUNTERS_H

#include <stdint.h>

#include "dataplane.h"

/* rx_*, reinjected_* of one port, inside the caller's open object. */
void print_port_counters(const struct sfc_dp *dp, uint32_t port_id);
/* "drops": {reason: packets, ...} */
void print_drops(const struct sfc_dp *dp);
/* One struct sfc_traffic_counter, summed over CPUs (zeros if absent). */
void counter_read(int fd, uint32_t key, uint64_t *packets, uint64_t *bytes);

#endif /* SFCCTL_COUNTERS_H */
