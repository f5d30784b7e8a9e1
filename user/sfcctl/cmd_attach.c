// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl attach [ port NAME ]
 * sfcctl detach [ port NAME ]
 *
 * (Re)attaches the TC ingress program to the devices of configured ports,
 * or detaches it, without changing the configuration. Adding a port
 * attaches it already; these are for repairs (a device re-created under
 * the same name) and for taking the data plane off a device for a while.
 * After a reboot, `sfcctl restore` rebuilds everything instead.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "dataplane.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"

static void attach_usage(void)
{
	printf("Usage: sfcctl attach [ port NAME ]\n"
	       "       sfcctl detach [ port NAME ]\n"
	       "Attaches the data plane to the device of port NAME (default: every\n"
	       "configured port), or detaches it, leaving the configuration as it is.\n");
}

/* One port's device: 0, or -1 with the error printed. */
typedef int (*port_op)(const struct sfc_dp *dp, const struct sfc_config *cfg,
		       const struct sfc_cfg_port *p, bool named);

static int attach_port(const struct sfc_dp *dp, const struct sfc_config *cfg,
		       const struct sfc_cfg_port *p, bool named)
{
	int ifindex = (int)if_nametoindex(p->dev), err;

	(void)named;
	if (!ifindex) {
		sfc_error("port %s: no device %s", p->name, p->dev);
		return -1;
	}
	err = sfc_dp_attach(dp, ifindex, sfc_cfg_port_is_vnf(cfg, p));
	if (err) {
		sfc_error("attaching port %s (%s): %s", p->name, p->dev,
			  strerror(-err));
		return -1;
	}
	return 0;
}

/* Detaching everything skips what is not attached; a named port must be. */
static int detach_port(const struct sfc_dp *dp, const struct sfc_config *cfg,
		       const struct sfc_cfg_port *p, bool named)
{
	int ifindex = (int)if_nametoindex(p->dev), err;

	(void)dp;
	(void)cfg;
	err = ifindex ? sfc_dp_detach(ifindex) : -ENOENT;
	if (err == -ENOENT && named) {
		sfc_error("port %s (%s) is not attached", p->name, p->dev);
		return -1;
	}
	if (err && err != -ENOENT) {
		sfc_error("detaching port %s (%s): %s", p->name, p->dev,
			  strerror(-err));
		return -1;
	}
	return err ? 1 : 0;
}

static void print_port(const char *verb, const struct sfc_cfg_port *p)
{
	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "port", "%s", p->name);
	sfc_print_string(PRINT_ANY, "dev", " (%s)", p->dev);
	sfc_print_text(" %s\n", verb);
	sfc_print_close_object();
}

/* The port a "port NAME" argument gives, NULL for all: 0, 1 help, -1 error. */
static int parse_port_arg(int argc, char **argv, const char **name)
{
	*name = NULL;
	if (argc && is_help(argv[0])) {
		attach_usage();
		return 1;
	}
	if (argc == 2 && matches(argv[0], "port")) {
		*name = argv[1];
		return 0;
	}
	if (argc == 1 && matches(argv[0], "port")) {
		sfc_error("port: missing value");
		return -1;
	}
	if (argc) {
		sfc_error("unknown argument '%s', try 'sfcctl attach help'",
			  argv[0]);
		return -1;
	}
	return 0;
}

static int run_on_ports(const struct sfc_config *cfg, const char *name,
			const struct sfc_dp *dp, port_op op, const char *verb)
{
	const struct sfc_cfg_port *p;
	size_t i;
	int ret;

	if (name && !sfc_cfg_find_port(cfg, name)) {
		sfc_error("no port named %s", name);
		return 1;
	}
	sfc_print_open_array(NULL);
	for (i = 0; i < cfg->ports.n; i++) {
		p = &cfg->ports.v[i];
		if (name && strcmp(p->name, name))
			continue;
		if (sfc_cfg_port_is_remote(p)) {	/* no device on this host */
			if (name) {
				sfc_error("port %s is on another host (remote %u.%u.%u.%u)",
					  p->name, p->remote[0], p->remote[1],
					  p->remote[2], p->remote[3]);
				return 1;
			}
			continue;
		}
		ret = op(dp, cfg, p, name != NULL);
		if (ret < 0)
			return 1;
		if (!ret)
			print_port(verb, p);
	}
	sfc_print_close_array();
	return 0;
}

/*
 * Under the exclusive lock, so a concurrent commit (which attaches and
 * detaches too) never interleaves with us.
 */
static int attach_or_detach(int argc, char **argv, bool attach)
{
	struct sfc_state st;
	struct sfc_dp dp;
	const char *name;
	int ret = parse_port_arg(argc, argv, &name), err;

	if (ret)
		return ret < 0;
	if (sfcctl_open_state(&st, SFC_LOCK_EXCLUSIVE))
		return 1;
	err = attach ? sfc_dp_load(&dp, sfcctl_opts.pin_root) : 0;
	if (err) {
		sfc_error("loading the data plane at %s: %s",
			  sfcctl_opts.pin_root, strerror(-err));
		sfc_state_end(&st);
		return 1;
	}
	ret = run_on_ports(&st.cfg, name, attach ? &dp : NULL,
			   attach ? attach_port : detach_port,
			   attach ? "attached" : "detached");
	if (attach)
		sfc_dp_close(&dp);
	sfc_state_end(&st);
	return ret;
}

int do_attach(int argc, char **argv)
{
	return attach_or_detach(argc, argv, true);
}

int do_detach(int argc, char **argv)
{
	return attach_or_detach(argc, argv, false);
}
