// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl attach dev DEV [role workload|vnf]
 * sfcctl detach dev DEV
 *
 * Registers a device as a logical port in sfc_ports and attaches the TC
 * ingress program to it. Either both happen or neither: a failed attach
 * removes the map entry it added.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

#include "dataplane.h"
#include "print.h"
#include "sfcctl.h"

struct attach_args {
	const char *dev;
	__u32 flags;
};

static int parse_attach_args(int argc, char **argv, struct attach_args *a,
			     bool allow_role)
{
	memset(a, 0, sizeof(*a));
	a->flags = SFC_PORT_F_WORKLOAD;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2) {
			sfc_error("'%s' needs a value", argv[0]);
			return -EINVAL;
		}
		if (!strcmp(argv[0], "dev")) {
			a->dev = argv[1];
		} else if (allow_role && !strcmp(argv[0], "role")) {
			if (!strcmp(argv[1], "workload"))
				a->flags = SFC_PORT_F_WORKLOAD;
			else if (!strcmp(argv[1], "vnf"))
				a->flags = SFC_PORT_F_VNF;
			else {
				sfc_error("bad role '%s': expected workload or vnf",
					  argv[1]);
				return -EINVAL;
			}
		} else {
			sfc_error("unknown argument '%s'", argv[0]);
			return -EINVAL;
		}
	}
	if (!a->dev) {
		sfc_error("missing 'dev DEV'");
		return -EINVAL;
	}
	return 0;
}

/* The lowest port id no entry uses; ids index the counter arrays. */
static int free_port_id(int ports_fd, __u32 *out)
{
	static bool used[SFC_MAX_PORTS];
	struct sfc_port_key key, *prev = NULL;
	struct sfc_port_val val;
	__u32 id;

	memset(used, 0, sizeof(used));
	while (!bpf_map_get_next_key(ports_fd, prev, &key)) {
		prev = &key;
		if (!bpf_map_lookup_elem(ports_fd, &key, &val) &&
		    val.port_id < SFC_MAX_PORTS)
			used[val.port_id] = true;
	}
	for (id = 1; id < SFC_MAX_PORTS; id++) {
		if (!used[id]) {
			*out = id;
			return 0;
		}
	}
	return -ENOSPC;
}

/* A reused id must not inherit the counters of the port that had it. */
static int zero_port_stats(int fd, __u32 id)
{
	int cpus = sfc_nr_cpus();
	struct sfc_port_stats zero[cpus > 0 ? cpus : 1];

	memset(zero, 0, sizeof(zero));
	return bpf_map_update_elem(fd, &id, zero, BPF_ANY) ? -errno : 0;
}

static int register_port(const struct sfc_dp *dp, int ifindex, __u32 flags)
{
	struct sfc_port_key key = { .ifindex = (__u32)ifindex };
	struct sfc_port_val val = { .flags = flags };
	int err;

	if (!bpf_map_lookup_elem(dp->ports_fd, &key, &val)) {
		val.flags = flags;	/* re-attach: keep id and counters */
	} else {
		err = free_port_id(dp->ports_fd, &val.port_id);
		if (!err)
			err = zero_port_stats(dp->port_stats_fd, val.port_id);
		if (err)
			return err;
	}
	return bpf_map_update_elem(dp->ports_fd, &key, &val, BPF_ANY) ? -errno : 0;
}

static void attach_usage(void)
{
	printf("Usage: sfcctl attach dev DEV [role { workload | vnf }]\n"
	       "       sfcctl detach dev DEV\n");
}

int do_attach(int argc, char **argv)
{
	struct sfc_port_key key;
	struct attach_args a;
	struct sfc_dp dp;
	bool existed;
	int ifindex, err;

	if (argc > 0 && is_help(argv[0])) {
		attach_usage();
		return 0;
	}
	if (parse_attach_args(argc, argv, &a, true))
		return 1;
	ifindex = (int)if_nametoindex(a.dev);
	if (!ifindex) {
		sfc_error("no device '%s'", a.dev);
		return 1;
	}
	err = sfc_dp_load(&dp, sfcctl_opts.pin_root);
	if (err) {
		sfc_error("loading the data plane at %s: %s",
			  sfcctl_opts.pin_root, strerror(-err));
		return 1;
	}
	key.ifindex = (__u32)ifindex;
	existed = !bpf_map_lookup_elem(dp.ports_fd, &key,
				       &(struct sfc_port_val){ 0 });
	err = register_port(&dp, ifindex, a.flags);
	if (!err) {
		err = sfc_dp_attach(&dp, ifindex);
		if (err && !existed)
			bpf_map_delete_elem(dp.ports_fd, &key);
	}
	sfc_dp_close(&dp);
	if (err) {
		sfc_error("attaching to %s: %s", a.dev, strerror(-err));
		return 1;
	}
	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "attached", "attached %s\n", a.dev);
	sfc_print_close_object();
	return 0;
}

/* 0 when removed, -ENOENT when it was not registered (or nothing loaded). */
static int unregister_port(int ifindex)
{
	struct sfc_port_key key = { .ifindex = (__u32)ifindex };
	struct sfc_dp dp;
	int err = sfc_dp_open(&dp, sfcctl_opts.pin_root);

	if (err)
		return err;
	err = bpf_map_delete_elem(dp.ports_fd, &key) ? -errno : 0;
	sfc_dp_close(&dp);
	return err;
}

int do_detach(int argc, char **argv)
{
	struct attach_args a;
	int ifindex, filter, entry;

	if (argc > 0 && is_help(argv[0])) {
		attach_usage();
		return 0;
	}
	if (parse_attach_args(argc, argv, &a, false))
		return 1;
	ifindex = (int)if_nametoindex(a.dev);
	if (!ifindex) {
		sfc_error("no device '%s'", a.dev);
		return 1;
	}
	filter = sfc_dp_detach(ifindex);
	if (filter && filter != -ENOENT) {
		sfc_error("detaching from %s: %s", a.dev, strerror(-filter));
		return 1;
	}
	entry = unregister_port(ifindex);
	if (entry && entry != -ENOENT) {
		sfc_error("unregistering %s: %s", a.dev, strerror(-entry));
		return 1;
	}
	if (filter == -ENOENT && entry == -ENOENT) {
		sfc_error("%s is not attached", a.dev);
		return 1;
	}
	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "detached", "detached %s\n", a.dev);
	sfc_print_close_object();
	return 0;
}
