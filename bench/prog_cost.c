// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN of the TC ingress program against a live configuration.
 *
 *   prog_cost [--no-cache] PIN_DIR FRAME_FILE REPEAT INGRESS_IFINDEX...
 *
 * Loads its own copy of the data plane whose maps are the ones pinned under
 * PIN_DIR (so it sees the rules, chains and flow records sfcctl wrote),
 * optionally with the per-flow classification cache compiled out
 * (--no-cache: every packet scans the rules, as the first packet of a flow
 * does), and runs the frame REPEAT times as if it arrived on each
 * INGRESS_IFINDEX in turn (in path order, each step writes the flow record
 * the next one needs). Prints "IFINDEX ns RETVAL" per step: kernel-measured
 * ns per packet and the TC verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sfc_tc.skel.h"

int main(int argc, char **argv)
{
	struct __sk_buff ctx = {};
	unsigned char frame[2048];
	char path[512];
	struct sfc_tc *skel;
	struct bpf_map *map;
	bool no_cache = false;
	size_t len;
	FILE *f;
	int err, fd, i;

	if (argc > 1 && !strcmp(argv[1], "--no-cache")) {
		no_cache = true;
		argv++, argc--;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: prog_cost [--no-cache] PIN_DIR FRAME REPEAT IFINDEX...\n");
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
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			.data_in = frame, .data_size_in = (__u32)len,
			.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			.repeat = atoi(argv[3]));

		memset(&ctx, 0, sizeof(ctx));
		ctx.ingress_ifindex = (__u32)strtoul(argv[i], NULL, 0);
		err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.sfc_tc_ingress),
					     &opts);
		if (err) {
			fprintf(stderr, "test run: %s\n", strerror(errno));
			return 1;
		}
		printf("%s %u %u\n", argv[i], opts.duration, opts.retval);
	}
	sfc_tc__destroy(skel);
	return 0;
}
