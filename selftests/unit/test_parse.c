// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the strict value parsers in user/lib/parse.c. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"
#include "tap.h"

static void test_numbers(void)
{
	uint32_t v = 77;

	TAP_CHECK(!sfc_parse_u32("42", 100, &v) && v == 42, "u32 decimal");
	TAP_CHECK(!sfc_parse_u32("0xff", 255, &v) && v == 255, "u32 hex at max");
	TAP_CHECK(sfc_parse_u32("256", 255, &v) == -ERANGE && v == 255,
		  "u32 over max is -ERANGE and leaves the value");
	TAP_CHECK(sfc_parse_u32("-1", 255, &v) == -EINVAL, "negative rejected");
	TAP_CHECK(sfc_parse_u32(" 1", 255, &v) == -EINVAL, "leading space rejected");
	TAP_CHECK(sfc_parse_u32("1x", 255, &v) == -EINVAL, "trailing junk rejected");
	TAP_CHECK(sfc_parse_u32("", 255, &v) == -EINVAL, "empty rejected");
	TAP_CHECK(sfc_parse_u32("99999999999999999999999", UINT32_MAX, &v) == -ERANGE,
		  "overflow rejected");
}

static void test_port_ranges(void)
{
	uint16_t lo = 1, hi = 2;

	TAP_CHECK(!sfc_parse_port_range("80", &lo, &hi) && lo == 80 && hi == 80,
		  "single port");
	TAP_CHECK(!sfc_parse_port_range("1000-2000", &lo, &hi) &&
		  lo == 1000 && hi == 2000, "port range");
	TAP_CHECK(sfc_parse_port_range("2000-1000", &lo, &hi) == -EINVAL &&
		  lo == 1000, "reversed range rejected, value kept");
	TAP_CHECK(sfc_parse_port_range("65536", &lo, &hi) == -ERANGE,
		  "port above 65535 rejected");
	TAP_CHECK(sfc_parse_port_range("1-", &lo, &hi) == -EINVAL,
		  "open range rejected");
}

static void test_prefixes(void)
{
	struct sfc_prefix p;
	char buf[64];

	TAP_CHECK(!sfc_parse_prefix("10.1.0.0/16", &p) && p.family == AF_INET &&
		  p.len == 16 && p.addr[0] == 10 && p.addr[1] == 1,
		  "IPv4 prefix");
	TAP_CHECK(!sfc_parse_prefix("192.0.2.7", &p) && p.len == 32,
		  "bare IPv4 address is a /32");
	TAP_CHECK(sfc_parse_prefix("10.1.0.1/16", &p) == -EINVAL,
		  "IPv4 host bits set rejected");
	TAP_CHECK(sfc_parse_prefix("10.0.0.0/33", &p) == -ERANGE,
		  "IPv4 length 33 rejected");
	TAP_CHECK(!sfc_parse_prefix("2001:db8::/32", &p) && p.family == AF_INET6 &&
		  p.len == 32 && p.addr[0] == 0x20 && p.addr[3] == 0xb8,
		  "IPv6 prefix");
	TAP_CHECK(sfc_parse_prefix("2001:db8::1/64", &p) == -EINVAL,
		  "IPv6 host bits set rejected");
	TAP_CHECK(!sfc_parse_prefix("2001:db8:8000::/33", &p) && p.len == 33,
		  "IPv6 prefix on an odd bit boundary");
	TAP_CHECK(sfc_parse_prefix("2001:db8:8000::/32", &p) == -EINVAL,
		  "IPv6 host bit in a partial byte rejected");
	TAP_CHECK(sfc_parse_prefix("not-an-address", &p) == -EINVAL,
		  "garbage rejected");
	TAP_CHECK(!sfc_parse_prefix("0.0.0.0/0", &p) && p.len == 0, "default route");
	sfc_parse_prefix("2001:db8::/32", &p);
	TAP_CHECK(!sfc_format_prefix(&p, buf, sizeof(buf)) &&
		  !strcmp(buf, "2001:db8::/32"), "prefix round trip (%s)", buf);
}

static void test_names(void)
{
	char longname[80];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	TAP_CHECK(sfc_valid_name("vnf-1.fw_a"), "plain name accepted");
	TAP_CHECK(sfc_valid_name("default/pod-a"), "namespace/pod name accepted");
	TAP_CHECK(!sfc_valid_name(""), "empty name rejected");
	TAP_CHECK(!sfc_valid_name("-j"), "option-like name rejected");
	TAP_CHECK(!sfc_valid_name("a b"), "space rejected");
	TAP_CHECK(!sfc_valid_name(longname), "too long name rejected");
	longname[62] = '\0';
	TAP_CHECK(sfc_valid_name(longname), "63-character name accepted");
}

int main(void)
{
	test_numbers();
	test_port_ranges();
	test_prefixes();
	test_names();
	return tap_finish();
}
