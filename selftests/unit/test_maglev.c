// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the Maglev tables of port pair groups (user/lib/maglev.c). */
#include <errno.h>
#include <string.h>

#include "maglev.h"
#include "tap.h"
#include "uapi/sfc_common.h"

#define M SFC_MAGLEV_SIZE

static const char *const names[] = { "pp1", "pp2", "pp3", "pp4", "pp5", "pp6" };

static void owners(const uint8_t *t, size_t n, unsigned int *count)
{
	size_t b;

	memset(count, 0, n * sizeof(*count));
	for (b = 0; b < M; b++)
		count[t[b]]++;
}

/* Buckets whose owner (by name) differs between two tables. */
static unsigned int moved(const uint8_t *a, const char *const *na,
			  const uint8_t *b, const char *const *nb)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < M; i++)
		n += strcmp(na[a[i]], nb[b[i]]) != 0;
	return n;
}

static void test_equal_weights(void)
{
	uint32_t w[4] = { 1, 1, 1, 1 };
	unsigned int c[4];
	uint8_t t[M];
	int i;

	TAP_CHECK(!sfc_maglev_fill(t, M, names, w, 4), "4 equal instances fill");
	owners(t, 4, c);
	for (i = 0; i < 4; i++)
		TAP_CHECK(c[i] >= M / 4 - 1 && c[i] <= M / 4 + 1,
			  "equal weights: %s owns %u of %d buckets", names[i], c[i], M);
}

static void test_weights(void)
{
	uint32_t w[4] = { 1, 1, 2, 4 };
	unsigned int c[4];
	uint8_t t[M];
	int i;

	TAP_CHECK(!sfc_maglev_fill(t, M, names, w, 4), "weights 1:1:2:4 fill");
	owners(t, 4, c);
	for (i = 0; i < 4; i++) {
		unsigned int want = M * w[i] / 8;

		TAP_CHECK(c[i] + 2 >= want && c[i] <= want + 2,
			  "weight %u: %s owns %u buckets, expected ~%u", w[i],
			  names[i], c[i], want);
	}
}

/* Adding one instance to N moves about 1/(N+1) of the buckets, all to it. */
static void test_scale_out(void)
{
	uint32_t w[6] = { 1, 1, 1, 1, 1, 1 };
	uint8_t a[M], b[M];
	unsigned int n, to_new = 0;
	size_t i;

	sfc_maglev_fill(a, M, names, w, 5);
	sfc_maglev_fill(b, M, names, w, 6);
	n = moved(a, names, b, names);
	for (i = 0; i < M; i++)
		to_new += b[i] == 5;
	TAP_CHECK(n <= M / 6 + M / 20,
		  "5 -> 6 instances: %u of %d buckets change owner (ideal %d)",
		  n, M, M / 6);
	/* Maglev reshuffles a few buckets among the others too (the paper's
	 * "minimal disruption" is near, not at, the ideal). */
	TAP_CHECK(to_new * 10 >= n * 8,
		  "5 -> 6: %u of the %u moved buckets went to the new instance",
		  to_new, n);
}

/* Removing one moves its buckets and few others. */
static void test_scale_in(void)
{
	static const char *const rest[] = { "pp1", "pp3", "pp4", "pp5" };
	uint32_t w[5] = { 1, 1, 1, 1, 1 };
	uint8_t a[M], b[M];
	unsigned int n, had = 0;
	size_t i;

	sfc_maglev_fill(a, M, names, w, 5);
	sfc_maglev_fill(b, M, rest, w, 4);
	for (i = 0; i < M; i++)
		had += a[i] == 1;	/* pp2's buckets */
	n = moved(a, names, b, rest);
	TAP_CHECK(n <= had + M / 20,
		  "5 -> 4 (pp2 leaves): %u buckets move, pp2 had %u", n, had);
}

static void test_errors(void)
{
	uint32_t w[2] = { 0, 0 };
	uint8_t t[M];

	TAP_CHECK(sfc_maglev_fill(t, M, names, w, 0) == -EINVAL, "no instance: -EINVAL");
	TAP_CHECK(sfc_maglev_fill(t, M, names, w, 2) == -EINVAL, "all weights 0: -EINVAL");
}

int main(void)
{
	test_equal_weights();
	test_weights();
	test_scale_out();
	test_scale_in();
	test_errors();
	return tap_finish();
}
