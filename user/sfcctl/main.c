// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl: the control plane of the sfc data plane.
 *
 *   sfcctl [OPTIONS] OBJECT { COMMAND | help } [ARGS]
 *
 * In the manner of iproute2: keyword-value arguments, unambiguous
 * prefixes of object words, `help` at every level, one printer for text
 * and JSON (-j).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "sfcctl.h"
#include "uapi/sfc_common.h"

struct sfcctl_opts sfcctl_opts = {
	.pin_root = SFC_DEFAULT_PIN_ROOT,
};

static const struct sfcctl_cmd cmds[] = {
	{ "version", do_version, "print the version" },
	{ "status", do_status, "pinned state, kernel features, module, ports" },
	{ "attach", do_attach, "attach the data plane to a device" },
	{ "detach", do_detach, "detach the data plane from a device" },
	{ "module", do_module, "the sfc_geneve kernel module's settings" },
	{ "help", NULL, "this text" },
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

bool matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: sfcctl [OPTIONS] OBJECT { COMMAND | help }\n"
		"OPTIONS := { -j[son] | -p[retty] | --bpffs DIR | -V[ersion] | -h[elp] }\n"
		"OBJECT :=\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(out, "    %-10s %s\n", cmds[i].name, cmds[i].summary);
}

static const struct sfcctl_cmd *find_cmd(const char *word)
{
	const struct sfcctl_cmd *found = NULL;
	size_t i;

	for (i = 0; i < NR_CMDS; i++) {
		if (!strcmp(word, cmds[i].name))
			return &cmds[i];
		if (matches(word, cmds[i].name)) {
			if (found)
				return NULL;	/* ambiguous prefix */
			found = &cmds[i];
		}
	}
	return found;
}

static int parse_global_opts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "bpffs", required_argument, NULL, 'B' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	/* '+': stop at the object word; its own arguments are not ours. */
	while ((c = getopt_long(argc, argv, "+jpVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			sfcctl_opts.json = true;
			break;
		case 'p':
			sfcctl_opts.json = sfcctl_opts.pretty = true;
			break;
		case 'B':
			sfcctl_opts.pin_root = optarg;
			break;
		case 'V':
			return 'V';
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct sfcctl_cmd *cmd;
	int ret, err;

	if (parse_global_opts(argc, argv) == 'V') {
		optind = argc;
		cmd = find_cmd("version");
	} else if (optind >= argc) {
		usage(stderr);
		return 1;
	} else if (is_help(argv[optind])) {
		usage(stdout);
		return 0;
	} else {
		cmd = find_cmd(argv[optind]);
		if (!cmd || !cmd->fn) {
			fprintf(stderr, "sfcctl: unknown object '%s', try 'sfcctl help'\n",
				argv[optind]);
			return 1;
		}
		optind++;
	}
	sfc_print_begin(sfcctl_opts.json, sfcctl_opts.pretty);
	ret = cmd->fn(argc - optind, argv + optind);
	err = sfc_print_end();
	if (err && !ret) {
		fprintf(stderr, "sfcctl: writing output failed\n");
		ret = 1;
	}
	return ret;
}
