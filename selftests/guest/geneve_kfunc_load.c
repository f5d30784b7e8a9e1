// SPDX-License-Identifier: GPL-2.0
/*
 * Loader of geneve_kfunc.bpf.c for selftests/guest/kmod_kfunc.sh: picks
 * kfunc or fallback mode the way the data plane's loader does (module BTF
 * present or not), sets the program's knobs, loads, pins the result maps
 * and attaches the program to a device's TC hook, then exits (the filter
 * keeps the program alive).
 *
 *   geneve_kfunc_load tx|rx DEV PIN_DIR [--netns NAME]
 *       [--mode auto|kfunc|fallback]
 *       [--remote IPV4] [--vni N] [--opt CLASS:TYPE]
 *       [--ctx SPI:SI:DIR:FLAGS:SRC_KEY:DST_KEY] [--foreign CLASS:TYPE:DATA]
 *       [--foreign-len WORDS] [--replace]
 *
 * --netns: DEV is in that named netns ("ip netns exec" would hide the
 * bpffs of PIN_DIR behind a fresh /sys). tx attaches at egress, rx at
 * ingress, both at priority 1. Prints
 * "mode kfunc" or "mode fallback". Numbers: decimal or 0x hex.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "uapi/sfc_geneve.h"
#include "uapi/sfc_genl.h"
#include "geneve_kfunc.skel.h"

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("geneve_kfunc_load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static unsigned long num(const char *s, unsigned long max, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max || *s == '-')
		die("bad %s '%s'", what, s);
	return v;
}

/* Split "a:b:c" into exactly n fields. */
static void split(char *s, char **f, int n, const char *what)
{
	int i;

	for (i = 0; i < n; i++) {
		f[i] = strsep(&s, ":");
		if (!f[i] || !*f[i])
			die("%s needs %d fields separated by ':'", what, n);
	}
	if (s)
		die("%s has more than %d fields", what, n);
}

static void set_ctx(struct geneve_kfunc__rodata *ro, char *arg)
{
	char *f[6];

	split(arg, f, 6, "--ctx");
	ro->ctx_spi_si = num(f[0], 0xffffff, "SPI") << 8 |
			 num(f[1], 0xff, "SI");
	ro->ctx_dir = num(f[2], 0xff, "direction");
	ro->ctx_flags = num(f[3], 0xff, "flags");
	ro->ctx_src_key = num(f[4], UINT32_MAX, "source port key");
	ro->ctx_dst_key = num(f[5], UINT32_MAX, "destination port key");
}

static void set_foreign(struct geneve_kfunc__rodata *ro, char *arg)
{
	char *f[3];

	split(arg, f, 3, "--foreign");
	ro->foreign_class = num(f[0], 0xffff, "class");
	ro->foreign_type = num(f[1], 0xff, "type");
	ro->foreign_data = num(f[2], UINT32_MAX, "data");
	ro->foreign = true;
}

static void set_opt(struct geneve_kfunc__rodata *ro, char *arg)
{
	char *f[2];

	split(arg, f, 2, "--opt");
	ro->opt_class = num(f[0], 0xffff, "class");
	ro->opt_type = num(f[1], 0xff, "type");
}

static bool want_kfunc(const char *mode)
{
	if (!strcmp(mode, "kfunc"))
		return true;
	if (!strcmp(mode, "fallback"))
		return false;
	if (strcmp(mode, "auto"))
		die("bad mode '%s' (auto, kfunc, fallback)", mode);
	return access(SFC_GENEVE_MODULE_BTF, F_OK) == 0;
}

static void enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("netns %s: %s", name, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", name, strerror(errno));
	close(fd);
}

static void pin(struct bpf_map *map, const char *dir)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, bpf_map__name(map));
	err = bpf_map__pin(map, path);
	if (err)
		die("pin %s: %s", path, strerror(-err));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "remote", required_argument, NULL, 'r' },
		{ "vni", required_argument, NULL, 'v' },
		{ "opt", required_argument, NULL, 'o' },
		{ "ctx", required_argument, NULL, 'c' },
		{ "foreign", required_argument, NULL, 'f' },
		{ "foreign-len", required_argument, NULL, 'l' },
		{ "replace", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct geneve_kfunc *skel;
	struct geneve_kfunc__rodata *ro;
	const char *mode = "auto", *netns = NULL;
	struct bpf_program *prog;
	struct in_addr addr;
	bool tx;
	int c, err, ifindex;

	skel = geneve_kfunc__open();
	if (!skel)
		die("open: %s", strerror(errno));
	ro = skel->rodata;
	ro->opt_class = SFC_GENEVE_CLASS_DEFAULT;
	ro->opt_type = SFC_GENEVE_TYPE_DEFAULT;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			netns = optarg;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'r':
			if (inet_pton(AF_INET, optarg, &addr) != 1)
				die("bad IPv4 address '%s'", optarg);
			ro->remote_ipv4 = ntohl(addr.s_addr);
			break;
		case 'v':
			ro->vni = num(optarg, 0xffffff, "VNI");
			break;
		case 'o':
			set_opt(ro, optarg);
			break;
		case 'c':
			set_ctx(ro, optarg);
			break;
		case 'f':
			set_foreign(ro, optarg);
			break;
		case 'l':
			ro->foreign_len = num(optarg, 31, "option length");
			break;
		case 'R':
			ro->replace = true;
			break;
		default:
			die("usage: tx|rx DEV PIN_DIR [options] (see source)");
		}
	}
	if (argc - optind != 3)
		die("usage: tx|rx DEV PIN_DIR [options] (see source)");
	if (strcmp(argv[optind], "tx") && strcmp(argv[optind], "rx"))
		die("first argument must be tx or rx");
	tx = !strcmp(argv[optind], "tx");

	ro->use_kfunc = want_kfunc(mode);
	/* Load only the program asked for: the other may not verify alone. */
	bpf_program__set_autoload(tx ? skel->progs.rx : skel->progs.tx, false);
	prog = tx ? skel->progs.tx : skel->progs.rx;

	err = geneve_kfunc__load(skel);
	if (err)
		die("load (%s mode): %s", ro->use_kfunc ? "kfunc" : "fallback",
		    strerror(-err));

	pin(tx ? skel->maps.tx_results : skel->maps.rx_results, argv[optind + 2]);
	if (!tx)
		pin(skel->maps.rx_last, argv[optind + 2]);

	if (netns)
		enter_netns(netns);
	ifindex = if_nametoindex(argv[optind + 1]);
	if (!ifindex)
		die("no device '%s'", argv[optind + 1]);

	{
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
				    .attach_point = tx ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, tc, .handle = 1, .priority = 1,
				    .prog_fd = bpf_program__fd(prog));

		err = bpf_tc_hook_create(&hook);
		if (err && err != -EEXIST)
			die("clsact on %s: %s", argv[optind + 1], strerror(-err));
		err = bpf_tc_attach(&hook, &tc);
		if (err)
			die("attach: %s", strerror(-err));
	}

	printf("mode %s\n", ro->use_kfunc ? "kfunc" : "fallback");
	geneve_kfunc__destroy(skel);
	return 0;
}
