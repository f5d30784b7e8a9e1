/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict parsers for command-line and configuration values. Each returns
 * 0 or -EINVAL/-ERANGE and never writes *out on failure, so a caller can
 * parse into the live value without losing it.
 */
#ifndef SFC_PARSE_H
#define SFC_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* Decimal, 0x hex or 0 octal; the whole string, within [0, max]. */
int sfc_parse_u64(const char *s, uint64_t max, uint64_t *out);
int sfc_parse_u32(const char *s, uint32_t max, uint32_t *out);

/* "a" or "a-b" (a <= b) within [0, 65535]. */
int sfc_parse_port_range(const char *s, uint16_t *lo, uint16_t *hi);

struct sfc_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t len;		/* prefix length */
	uint8_t addr[16];	/* network byte order, host bits zero */
};

/*
 * "10.0.0.0/8", "2001:db8::/32", or a bare address (full length).
 * Host bits set beyond the prefix are an error, as in networking-sfc.
 */
int sfc_parse_prefix(const char *s, struct sfc_prefix *out);
int sfc_format_prefix(const struct sfc_prefix *p, char *buf, size_t len);

/*
 * Resource names: 1..SFC_NAME_MAX-1 characters of [A-Za-z0-9_.:/-], not
 * starting with '-' (so a name cannot be taken for an option).
 */
bool sfc_valid_name(const char *s);

#endif /* SFC_PARSE_H */
