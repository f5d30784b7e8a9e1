/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the plain C unit tests, in the spirit of the
 * kernel's kselftest.h: one "ok N - name" line per check, a plan at the
 * end, exit code 0 / 1 (fail) / 4 (skip).
 */
#ifndef SFC_TAP_H
#define SFC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

static int tap_n, tap_failed;

static inline void __attribute__((format(printf, 2, 3)))
tap_result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		tap_failed++;
}

/* Expect a condition; on failure print what was expected and what came. */
#define TAP_CHECK(cond, name, ...)					\
	do {								\
		int __ok = !!(cond);					\
		if (!__ok)						\
			printf("# %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
		tap_result(__ok, name, ##__VA_ARGS__);			\
	} while (0)

static inline int tap_finish(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed ? KSFT_FAIL : KSFT_PASS;
}

static inline void tap_skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	fflush(stdout);
	exit(KSFT_SKIP);
}

#endif /* SFC_TAP_H */
