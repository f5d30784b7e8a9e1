/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF_PROG_TEST_RUN runners (bpf_fixtures, test_corpus) share:
 * decoding the hex their input files carry, and loading a private,
 * unpinned copy of the data plane in test mode.
 */
#ifndef SFC_DP_TEST_H
#define SFC_DP_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sfc_tc.skel.h"

/*
 * Decodes the hex digits at s (up to a space, newline or NUL) into buf of
 * cap bytes: 0, or -EINVAL for an odd count, a non-hex digit or too many.
 */
static inline int dp_hex(const char *s, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = strcspn(s, " \n"), i;

	if (n % 2 || n / 2 > cap)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		int hi = s[2 * i], lo = s[2 * i + 1];

		hi = hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10;
		lo = lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10;
		if (hi < 0 || hi > 15 || lo < 0 || lo > 15)
			return -EINVAL;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/*
 * The data plane with sfc_test_mode set (redirect targets reported in
 * .bss), and the classification cache off when asked. NULL with the
 * reason in err when it cannot be opened or loaded.
 */
static inline struct sfc_tc *dp_test_load(bool no_class_cache, char *err,
					  size_t errlen)
{
	struct sfc_tc *skel = sfc_tc__open();
	int ret;

	if (!skel) {
		snprintf(err, errlen, "open the data plane: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->sfc_test_mode = true;
	skel->rodata->sfc_no_class_cache = no_class_cache;
	ret = sfc_tc__load(skel);
	if (ret) {
		snprintf(err, errlen, "load the data plane: %s (run with -v)",
			 strerror(-ret));
		sfc_tc__destroy(skel);
		return NULL;
	}
	return skel;
}

#endif /* SFC_DP_TEST_H */
