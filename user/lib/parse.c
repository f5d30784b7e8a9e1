// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "parse.h"
#include "uapi/sfc_common.h"

int sfc_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts leading spaces and a minus sign: we do not. */
	if (!s || !*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int sfc_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int err = sfc_parse_u64(s, max, &v);

	if (!err)
		*out = (uint32_t)v;
	return err;
}

int sfc_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	char *dash;
	uint32_t a, b;
	int err;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	err = sfc_parse_u32(buf, 65535, &a);
	if (err)
		return err;
	b = a;
	if (dash) {
		err = sfc_parse_u32(dash + 1, 65535, &b);
		if (err)
			return err;
		if (b < a)
			return -EINVAL;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static bool host_bits_zero(const uint8_t *addr, unsigned int len,
			   unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int first = i * 8;
		uint8_t keep;

		if (first + 8 <= bits)
			continue;
		keep = first >= bits ? 0 : (uint8_t)(0xff << (8 - (bits - first)));
		if (addr[i] & ~keep)
			return false;
	}
	return true;
}

int sfc_parse_prefix(const char *s, struct sfc_prefix *out)
{
	struct sfc_prefix p = { 0 };
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned int max;
	uint32_t len;
	int err;

	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, p.addr) == 1) {
		p.family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, p.addr) == 1) {
		p.family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	len = max;
	if (slash) {
		err = sfc_parse_u32(slash + 1, max, &len);
		if (err)
			return err;
	}
	if (!host_bits_zero(p.addr, max / 8, len))
		return -EINVAL;
	p.len = (uint8_t)len;
	*out = p;
	return 0;
}

int sfc_format_prefix(const struct sfc_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int n;

	if (!inet_ntop(p->family, p->addr, addr, sizeof(addr)))
		return -errno;
	n = snprintf(buf, len, "%s/%u", addr, p->len);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

bool sfc_valid_name(const char *s)
{
	size_t n;

	if (!s || !*s || *s == '-')
		return false;
	for (n = 0; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n >= SFC_NAME_MAX - 1)
			return false;
		if (!isalnum(c) && !strchr("_.:/-", c))
			return false;
	}
	return true;
}
