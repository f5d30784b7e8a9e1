// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl module [ show ]
 * sfcctl module set [ class NUM ] [ type NUM ]
 * sfcctl module reset
 *
 * Settings and counters of the sfc_geneve kernel module in the current
 * network namespace, over its generic netlink family. Changing anything
 * needs CAP_NET_ADMIN; showing does not.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "genl.h"
#include "parse.h"
#include "print.h"
#include "sfcctl.h"

/* RFC 8926: the high bit of the option type marks a critical option. */
#define GENEVE_TYPE_CRITICAL	0x80

static void module_usage(FILE *out)
{
	fprintf(out,
		"Usage: sfcctl module [ show ]\n"
		"       sfcctl module set [ class NUM ] [ type NUM ]\n"
		"       sfcctl module reset\n"
		"       sfcctl module help\n"
		"NUM is decimal, 0x hex or 0 octal: class 0..65535, type 0..255.\n"
		"Type bit 0x80 is the Geneve critical bit (RFC 8926): hosts that do\n"
		"not know the option then drop the packet instead of ignoring it.\n"
		"set and reset need CAP_NET_ADMIN; all act on the current netns.\n");
}

/* One line per failure; the exit code is always 1. */
static int module_fail(const char *what, int err)
{
	if (err == -ENOENT)
		sfc_error("sfc_geneve module not loaded");
	else if (err == -EPERM || err == -EACCES)
		sfc_error("permission denied: module %s need CAP_NET_ADMIN",
			  what);
	else
		sfc_error("module %s: %s", what, strerror(-err));
	return 1;
}

static int module_show(int argc, char **argv)
{
	struct sfc_genl_info info;
	int err;

	if (argc > 0) {
		sfc_error("module show: unknown argument '%s'", argv[0]);
		return 1;
	}
	err = sfc_genl_get(&info);
	if (err)
		return module_fail("show", err);

	sfc_print_open_object(NULL);
	sfc_print_string(PRINT_ANY, "version", "sfc_geneve %s\n", info.version);
	sfc_print_uint(PRINT_ANY, "opt_class", "\toption class 0x%04" PRIx64,
		       info.opt_class);
	sfc_print_uint(PRINT_ANY, "opt_type", " type 0x%02" PRIx64,
		       info.opt_type);
	sfc_print_bool(PRINT_JSON, "critical", NULL,
		       info.opt_type & GENEVE_TYPE_CRITICAL);
	if (info.opt_type & GENEVE_TYPE_CRITICAL)
		sfc_print_text(" (critical)");
	sfc_print_text("\n");

	sfc_print_open_object("stats");
	sfc_print_uint(PRINT_ANY, "get", "\tstats get %" PRIu64, info.stat_get);
	sfc_print_uint(PRINT_ANY, "set", " set %" PRIu64, info.stat_set);
	sfc_print_uint(PRINT_ANY, "err", " err %" PRIu64, info.stat_err);
	sfc_print_uint(PRINT_ANY, "crit", " crit %" PRIu64 "\n",
		       info.stat_crit);
	sfc_print_close_object();
	sfc_print_string(PRINT_ANY, "mode", "\tmode %s\n", geneve_mode_in_use());
	sfc_print_close_object();
	return 0;
}

static int parse_setting(const char *kw, const char *val, uint32_t max,
			 int *out)
{
	uint32_t v;

	if (*out >= 0) {
		sfc_error("module set: '%s' given twice", kw);
		return -EINVAL;
	}
	if (!val) {
		sfc_error("module set: '%s' needs a value", kw);
		return -EINVAL;
	}
	if (sfc_parse_u32(val, max, &v)) {
		sfc_error("bad %s '%s': expected 0..%" PRIu32, kw, val, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int module_set(int argc, char **argv)
{
	int opt_class = -1, opt_type = -1;
	int err;

	for (; argc > 0; argc -= 2, argv += 2) {
		const char *val = argc > 1 ? argv[1] : NULL;

		if (!strcmp(argv[0], "class"))
			err = parse_setting("class", val, UINT16_MAX, &opt_class);
		else if (!strcmp(argv[0], "type"))
			err = parse_setting("type", val, UINT8_MAX, &opt_type);
		else if (is_help(argv[0])) {
			module_usage(stdout);
			return 0;
		} else {
			sfc_error("module set: unknown argument '%s'", argv[0]);
			return 1;
		}
		if (err)
			return 1;
	}
	if (opt_class < 0 && opt_type < 0) {
		sfc_error("module set: nothing to set: give class NUM and/or type NUM");
		return 1;
	}

	err = sfc_genl_set(opt_class, opt_type);
	if (err)
		return module_fail("settings", err);
	return 0;
}

static int module_reset(int argc, char **argv)
{
	int err;

	if (argc > 0) {
		sfc_error("module reset: unknown argument '%s'", argv[0]);
		return 1;
	}
	err = sfc_genl_reset();
	if (err)
		return module_fail("counters", err);
	return 0;
}

int do_module(int argc, char **argv)
{
	if (argc < 1)
		return module_show(0, NULL);
	if (is_help(argv[0])) {
		module_usage(stdout);
		return 0;
	}
	/* "s" means show, as in iproute2: the first word in this order wins. */
	if (matches(argv[0], "show") || matches(argv[0], "list"))
		return module_show(argc - 1, argv + 1);
	if (matches(argv[0], "set"))
		return module_set(argc - 1, argv + 1);
	if (matches(argv[0], "reset"))
		return module_reset(argc - 1, argv + 1);

	sfc_error("module: unknown command '%s', try 'sfcctl module help'",
		  argv[0]);
	return 1;
}
