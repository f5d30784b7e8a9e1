// SPDX-License-Identifier: GPL-2.0
/* Counter printers shared by `sfcctl status` and `sfcctl stats`. */
#include <stdint.h>
#include <string.h>

#include "counters.h"
#include "names.h"
#include "print.h"
#include "uapi/sfc_drop.h"

void print_port_counters(const struct sfc_dp *dp, uint32_t port_id)
{
	uint64_t c[sizeof(struct sfc_port_stats) / sizeof(uint64_t)];

	if (sfc_percpu_sum_u64(dp->port_stats_fd, port_id, c,
			       sizeof(c) / sizeof(c[0])))
		memset(c, 0, sizeof(c));
	sfc_print_uint(PRINT_ANY, "rx_packets", " rx %llu pkts", c[0]);
	sfc_print_uint(PRINT_ANY, "rx_bytes", " %llu bytes", c[1]);
	sfc_print_uint(PRINT_ANY, "reinjected_packets", " reinjected %llu pkts",
		       c[2]);
	sfc_print_uint(PRINT_JSON, "reinjected_bytes", NULL, c[3]);
	sfc_print_uint(PRINT_JSON, "si_kept_packets", NULL, c[4]);
	sfc_print_uint(PRINT_JSON, "si_kept_bytes", NULL, c[5]);
}

void print_drops(const struct sfc_dp *dp)
{
	uint64_t c[2];
	uint32_t r;

	sfc_print_open_object("drops");
	sfc_print_text("drops:");
	for (r = 1; r < SFC_DROP__MAX; r++) {
		if (sfc_percpu_sum_u64(dp->drop_stats_fd, r, c, 2))
			continue;
		sfc_print_text(" %s", sfc_drop_name(r));
		sfc_print_uint(PRINT_ANY, sfc_drop_name(r), " %llu", c[0]);
	}
	sfc_print_text("\n");
	sfc_print_close_object();
}

void counter_read(int fd, uint32_t key, uint64_t *packets, uint64_t *bytes)
{
	uint64_t c[2];

	if (sfc_percpu_sum_u64(fd, key, c, 2))
		memset(c, 0, sizeof(c));
	*packets = c[0];
	*bytes = c[1];
}
