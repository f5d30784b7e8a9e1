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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "print.h"
#include "sfcctl.h"
#include "state.h"
#include "uapi/sfc_common.h"

struct sfcctl_opts sfcctl_opts = {
	.pin_root = SFC_DEFAULT_PIN_ROOT,
};

static const struct sfcctl_cmd cmds[] = {
	{ "version", do_version, "print the version" },
	{ "status", do_status, "pinned state, kernel features, module, ports" },
	{ "port", do_port, "logical ports: host-side devices" },
	{ "port-pair", do_port_pair, "VNF instances: ingress and egress port" },
	{ "port-pair-group", do_port_pair_group, "equivalent port pairs: a hop" },
	{ "flow-classifier", do_flow_classifier, "which traffic a chain takes" },
	{ "port-chain", do_port_chain, "port pair groups in order, classifiers" },
	{ "service-graph", do_service_graph, "chains that go on into other chains" },
	{ "tunnel", do_tunnel, "this host's Geneve device: chains across hosts" },
	{ "apply", do_apply, "replace the whole configuration from a file" },
	{ "export", do_export, "print the whole configuration" },
	{ "restore", do_restore, "rebuild the data plane from the configuration" },
	{ "attach", do_attach, "re-attach the data plane to ports' devices" },
	{ "detach", do_detach, "detach the data plane from ports' devices" },
	{ "stats", do_stats, "per-hop, per-port and drop counters" },
	{ "graph", do_graph, "the chains with their counters, as Graphviz DOT" },
	{ "trace", do_trace, "follow packets through the data plane" },
	{ "health", do_health, "health checks of VNF instances: run, show" },
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
		"OPTIONS := { -j[son] | -p[retty] | -d[ebug] | --bpffs DIR |\n"
		"             --state FILE | -V[ersion] | -h[elp] }\n"
		"OBJECT :=\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(out, "    %-16s %s\n", cmds[i].name, cmds[i].summary);
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

/*
 * libbpf narrates what it tries (probing a device for clsact prints a
 * kernel error even when all goes well). sfcctl reports its own errors in
 * one line; -d shows libbpf's story too.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	(void)level;
	return sfcctl_opts.debug ? vfprintf(stderr, fmt, ap) : 0;
}

static int parse_global_opts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "bpffs", required_argument, NULL, 'B' },
		{ "state", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	/* '+': stop at the object word; its own arguments are not ours. */
	while ((c = getopt_long(argc, argv, "+jpdVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			sfcctl_opts.json = true;
			break;
		case 'p':
			sfcctl_opts.json = sfcctl_opts.pretty = true;
			break;
		case 'd':
			sfcctl_opts.debug = true;
			break;
		case 'B':
			sfcctl_opts.pin_root = optarg;
			break;
		case 'S':
			sfcctl_opts.state = optarg;
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

	ret = parse_global_opts(argc, argv);
	libbpf_set_print(libbpf_print);
	sfcctl_opts.state = sfc_state_path(sfcctl_opts.state);
	if (ret == 'V') {
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
