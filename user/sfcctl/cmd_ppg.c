// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl port-pair-group: equivalent VNF instances, one hop of a chain.
 * show and list add each instance's health as the data plane sees it (the
 * pinned sfc_health map, written by `sfcctl health`).
 */
#include <errno.h>
#include <net/if.h>
#include <time.h>
#include <bpf/bpf.h>

#include "dataplane.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"

/* The data plane, opened once per run: NULL when it is not loaded. */
static const struct sfc_dp *health_dp(void)
{
	static struct sfc_dp dp;
	static bool tried, open;

	if (!tried) {
		tried = true;
		open = !sfc_dp_open(&dp, sfcctl_opts.pin_root) &&
		       dp.health_fd >= 0;
	}
	return open ? &dp : NULL;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The entry of the pair whose ingress port is on dev: 1 found, 0 none (the
 * instance is up), -1 unknown (no data plane, no such device).
 */
static int read_health(const char *dev, struct sfc_health *h)
{
	const struct sfc_dp *dp = health_dp();
	uint32_t ifindex = if_nametoindex(dev);

	if (!dp || !ifindex)
		return -1;
	if (!bpf_map_lookup_elem(dp->health_fd, &ifindex, h))
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/*
 * An instance and its health as the data plane sees it: from sfc_health
 * in a health-checked group; an unchecked group's instances are up
 * whatever entry is left there (the data plane does not read it).
 */
static void print_instance(const struct sfc_config *cfg,
			   const struct sfc_cfg_ppg *g,
			   const struct sfc_cfg_pair *pp)
{
	const struct sfc_cfg_port *in = sfc_cfg_find_port(cfg, pp->ingress);
	struct sfc_health h = { .state = SFC_HEALTH_UP };
	int found = in ? read_health(in->dev, &h) : -1;
	uint64_t now;

	if (!g->health.enabled)
		h.state = SFC_HEALTH_UP;

	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "port_pair", "    instance %s", pp->name);
	sfc_print_uint(PRINT_ANY, "weight", " weight %llu", pp->weight);
	sfc_print_string(PRINT_ANY, "health", " health %s",
			 found < 0 ? "unknown" :
			 h.state == SFC_HEALTH_UP ? "up" : "down");
	if (found >= 0)
		sfc_print_uint(PRINT_ANY, "transitions", " transitions %llu",
			       h.transitions);
	if (found > 0 && h.since_ns) {
		now = boottime_ns();
		sfc_print_uint(PRINT_ANY, "since_s", " since %llus ago",
			       now > h.since_ns ?
			       (now - h.since_ns) / 1000000000ull : 0);
	}
	sfc_print_text("\n");
	sfc_print_close_object();
}

static void print_instances(const struct sfc_config *cfg, const void *res)
{
	const struct sfc_cfg_ppg *g = res;
	int i;

	sfc_print_open_array("instances");
	for (i = 0; i < g->nr_pairs; i++)
		print_instance(cfg, g, sfc_cfg_find_pair(cfg, g->pairs[i]));
	sfc_print_close_array();
}

int do_port_pair_group(int argc, char **argv)
{
	static const struct sfcctl_object obj = {
		.kind = SFC_KIND_PPG,
		.about =
	"A port pair group holds 1..16 equivalent port pairs (instances), one\n"
	"hop of a chain. A flow picks its instance by a consistent hash of the\n"
	"lb-fields (names joined by & or ,: eth_src eth_dst ip_src ip_dst\n"
	"tcp_src tcp_dst udp_src udp_dst; default ip_src&ip_dst&tcp_src&tcp_dst)\n"
	"in proportion to the pairs' weights, the same one in both directions\n"
	"unless lb-symmetric is off; a flow keeps its instance while active. With\n"
	"health-check on, instances are probed (defaults: interval 1000 ms,\n"
	"timeout 500 ms, rise 2, fall 3, probe-src 169.254.255.1, probe-dst\n"
	"169.254.255.2) by `sfcctl health`; when none is up, the group's traffic\n"
	"is dropped (fail-mode close, the default) or skips the hop (open). A tap\n"
	"group gets a copy of the traffic, whose return is discarded; a chain\n"
	"needs a group that is not a tap. \"set NAME port-pair ...\" replaces\n"
	"the pairs. show adds each instance's health (up, down, unknown).\n",
		.show_runtime = print_instances,
	};

	return sfcctl_resource(&obj, argc, argv);
}
