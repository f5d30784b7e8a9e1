// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN of the TC ingress program against a live configuration.
 *
 *   prog_cost [--no-cache] [--per-call] [--xdp] [--out FILE] PIN_DIR
 *             FRAME_FILE REPEAT INGRESS_IFINDEX...
 *
 * Loads its own copy of the data plane whose maps are the ones pinned under
 * PIN_DIR (so it sees the rules, chains and flow records sfcctl wrote),
 * optionally with the per-flow classification cache compiled out
 * (--no-cache: every packet scans the rules, as the first packet of a flow
 * does), and runs the frame REPEAT times as if it arrived on each
 * INGRESS_IFINDEX in turn (in path order, each step writes the flow record
 * the next one needs). Prints "IFINDEX ns RETVAL" per step: kernel-measured
 * ns per packet and the TC verdict.
 *
 * test_run repeats a program on one packet, so a path that changes the
 * packet (a header pushed or popped) runs once and then REPEAT-1 times on
 * its own output, which takes another path. --per-call makes REPEAT
 * separate test runs of one repetition each instead (a fresh copy of the
 * frame every time) and prints their mean; that includes the test_run
 * timer's own cost per call, which bench/prog_cost.sh measures on a path
 * that both ways can run (and report.py subtracts). --xdp runs the XDP
 * pop program (IFINDEX is then only a label), --out writes the frame the
 * last run left (the pushed header, for the pop to start from).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uapi/sfc_maps.h"	/* types of the skeleton's globals */
#include "sfc_tc.skel.h"

/*
 * One step: the frame REPEAT times on the program, or (per_call) REPEAT
 * test runs of one repetition. Mean ns per run in *ns, the verdict of the
 * last in *ret, the frame it left in out (*out_len). 0 or -errno.
 */
static int run_step(int prog_fd, bool xdp, bool per_call, __u32 ifindex,
		    const unsigned char *frame, size_t len, unsigned long repeat,
		    double *ns, __u32 *ret, unsigned char *out, __u32 *out_len)
{
	unsigned long calls = per_call && repeat ? repeat : 1, i;
	double total = 0;

	for (i = 0; i < calls; i++) {
		struct __sk_buff skb = { .ingress_ifindex = ifindex };
		struct xdp_md md = { .data_end = (__u32)len };
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			.data_in = frame, .data_size_in = (__u32)len,
			.data_out = out, .data_size_out = 4096,
			.repeat = per_call ? 1 : (int)repeat);

		if (xdp) {
			opts.ctx_in = &md;
			opts.ctx_size_in = sizeof(md);
		} else {
			opts.ctx_in = &skb;
			opts.ctx_size_in = sizeof(skb);
		}
		if (bpf_prog_test_run_opts(prog_fd, &opts))
			return -errno;
		total += opts.duration;
		*ret = opts.retval;
		*out_len = opts.data_size_out;
	}
	*ns = total / (double)calls;
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char frame[2048], out[4096];
	const char *out_path = NULL;
	char path[512];
	struct sfc_tc *skel;
	struct bpf_map *map;
	bool no_cache = false, per_call = false, xdp = false;
	size_t len;
	__u32 out_len = 0;
	FILE *f;
	int err, fd, i;

	for (; argc > 1 && !strncmp(argv[1], "--", 2); argv++, argc--) {
		if (!strcmp(argv[1], "--no-cache")) {
			no_cache = true;
		} else if (!strcmp(argv[1], "--per-call")) {
			per_call = true;
		} else if (!strcmp(argv[1], "--xdp")) {
			xdp = true;
		} else if (!strcmp(argv[1], "--out") && argc > 2) {
			out_path = argv[2];
			argv++, argc--;
		} else {
			argc = 0;	/* usage */
			break;
		}
	}
	if (argc < 5) {
		fprintf(stderr, "usage: prog_cost [--no-cache] [--per-call] [--xdp] [--out FILE] PIN_DIR FRAME REPEAT IFINDEX...\n");
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	len = fread(frame, 1, sizeof(frame), f);
	fclose(f);

	libbpf_set_print(NULL);
	skel = sfc_tc__open();
	if (!skel) {
		fprintf(stderr, "open: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->sfc_no_class_cache = no_cache;
	bpf_object__for_each_map(map, skel->obj) {
		snprintf(path, sizeof(path), "%s/%s", argv[1], bpf_map__name(map));
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;	/* .rodata and other unpinned maps: our own */
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err) {
			fprintf(stderr, "reuse %s: %s\n", path, strerror(-err));
			return 1;
		}
	}
	err = sfc_tc__load(skel);
	if (err) {
		fprintf(stderr, "load: %s\n", strerror(-err));
		return 1;
	}
	for (i = 4; i < argc; i++) {
		int prog_fd = bpf_program__fd(xdp ? skel->progs.sfc_xdp_pop :
						    skel->progs.sfc_tc_ingress);
		double ns = 0;
		__u32 ret = 0;

		err = run_step(prog_fd, xdp, per_call,
			       (__u32)strtoul(argv[i], NULL, 0), frame, len,
			       strtoul(argv[3], NULL, 0), &ns, &ret, out, &out_len);
		if (err) {
			fprintf(stderr, "test run: %s\n", strerror(-err));
			return 1;
		}
		printf("%s %.1f %u\n", argv[i], ns, ret);
	}
	if (out_path) {
		f = fopen(out_path, "wb");
		if (!f || fwrite(out, 1, out_len, f) != out_len || fclose(f)) {
			perror(out_path);
			return 1;
		}
	}
	sfc_tc__destroy(skel);
	return 0;
}
