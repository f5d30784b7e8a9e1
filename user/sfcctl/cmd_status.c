// SPDX-License-Identifier: GPL-2.0
/* sfcctl version | status: what is loaded, what the kernel offers. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "dataplane.h"
#include "probe.h"
#include "genl.h"
#include "counters.h"
#include "names.h"
#include "print.h"
#include "sfcctl.h"
#include "uapi/sfc_drop.h"

int do_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		sfc_error("version takes no arguments");
		return 1;
	}
	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "version", "sfcctl %s\n", SFC_VERSION);
	sfc_print_close_object();
	return 0;
}

static void print_features(const struct sfc_features *f)
{
	int i;

	sfc_print_string(PRINT_ANY, "kernel", "kernel %s\n", f->kernel);
	sfc_print_open_object("features");
	sfc_print_text("features");
	for (i = 0; i < f->nr; i++) {
		sfc_print_bool(PRINT_JSON, f->f[i].name, NULL, f->f[i].present);
		sfc_print_text(" %s%s", f->f[i].present ? "+" : "-", f->f[i].name);
	}
	sfc_print_text("\n");
	sfc_print_close_object();
}

/*
 * The Geneve mode the data plane runs in: what its loaded programs were
 * built with; with none loaded, what a load now would choose.
 */
const char *geneve_mode_in_use(void)
{
	struct sfc_dp dp;
	int kf = -ENOENT;

	if (!sfc_dp_open(&dp, sfcctl_opts.pin_root)) {
		kf = sfc_dp_geneve_kfuncs(&dp);
		sfc_dp_close(&dp);
	}
	if (kf < 0)
		return sfc_geneve_mode();
	return kf ? "kfunc" : "fallback";
}

static void print_module(void)
{
	struct sfc_genl_info info;
	int err = sfc_genl_get(&info);

	sfc_print_open_object("module");
	sfc_print_bool(PRINT_JSON, "loaded", NULL, !err);
	sfc_print_string(PRINT_JSON, "mode", NULL, geneve_mode_in_use());
	if (err) {
		sfc_print_text("module sfc_geneve not loaded: BPF-only mode\n");
		if (err != -ENOENT)
			sfc_print_string(PRINT_ANY, "error", "  (%s)\n",
					 strerror(-err));
	} else {
		sfc_print_string(PRINT_ANY, "version",
				 "module sfc_geneve %s loaded", info.version);
		sfc_print_uint(PRINT_ANY, "opt_class", " class 0x%04llx",
			       (unsigned long long)info.opt_class);
		sfc_print_uint(PRINT_ANY, "opt_type", " type 0x%02llx",
			       (unsigned long long)info.opt_type);
		/* Loaded without BTF (a foreign build): kfuncs cannot resolve. */
		sfc_print_text(" mode %s\n", geneve_mode_in_use());
	}
	sfc_print_close_object();
}

static void print_ports(const struct sfc_dp *dp)
{
	struct sfc_port_key key, *prev = NULL;
	struct sfc_port_val val;
	char name[IF_NAMESIZE];
	uint32_t prog_id;

	sfc_print_open_array("ports");
	while (!bpf_map_get_next_key(dp->ports_fd, prev, &key)) {
		prev = &key;
		if (bpf_map_lookup_elem(dp->ports_fd, &key, &val))
			continue;
		if (!if_indextoname(key.ifindex, name))
			strcpy(name, "?");
		sfc_print_open_object(NULL);
		sfc_print_string(PRINT_ANY, "dev", "port %s", name);
		sfc_print_uint(PRINT_ANY, "ifindex", " ifindex %llu", key.ifindex);
		sfc_print_uint(PRINT_ANY, "port_id", " id %llu", val.port_id);
		sfc_print_bool(PRINT_ANY, "attached", " attached %s",
			       !sfc_dp_query(key.ifindex, &prog_id));
		print_port_counters(dp, val.port_id);
		sfc_print_text("\n");
		sfc_print_close_object();
	}
	sfc_print_close_array();
}

int do_status(int argc, char **argv)
{
	struct sfc_features feats;
	struct sfc_dp dp;
	int err;

	if (argc > 0 && is_help(argv[0])) {
		printf("Usage: sfcctl status\n");
		return 0;
	}
	if (argc > 0) {
		sfc_error("status takes no arguments, got '%s'", argv[0]);
		return 1;
	}
	sfc_probe_features(&feats);
	err = sfc_dp_open(&dp, sfcctl_opts.pin_root);

	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "version", "sfcctl %s\n", SFC_VERSION);
	print_features(&feats);
	print_module();
	sfc_print_string(PRINT_ANY, "pin_root", "data plane %s", dp.pin_root);
	sfc_print_bool(PRINT_ANY, "loaded", " loaded %s\n", !err);
	if (!err) {
		print_ports(&dp);
		print_drops(&dp);
		sfc_dp_close(&dp);
	} else if (err != -ENOENT) {
		sfc_print_string(PRINT_ANY, "load_error", "  (%s)\n",
				 strerror(-err));
	}
	sfc_print_close_object();
	if (!sfc_features_ok(&feats)) {
		sfc_print_end();
		/* Unprivileged, every BPF probe fails: say that, not "kernel". */
		if (geteuid() != 0)
			sfc_error("the kernel probes need privileges: run as root (CAP_BPF, CAP_NET_ADMIN)");
		else
			sfc_error("this kernel lacks a feature the data plane requires");
		return 1;
	}
	return 0;
}
