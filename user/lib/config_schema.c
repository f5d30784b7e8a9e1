// SPDX-License-Identifier: GPL-2.0
/*
 * The attribute tables of the five resource kinds, and the text form of
 * every attribute type: parse, format, metavar. See config_schema.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>

#include "config_schema.h"

#define FIELD(res, off, type)	((type *)((char *)(res) + (off)))
#define CFIELD(res, off, type)	((const type *)((const char *)(res) + (off)))

_Static_assert(sizeof(enum sfc_correlation) == sizeof(int), "ENUM is int");
_Static_assert(sizeof(enum sfc_chain_end) == sizeof(int), "ENUM is int");

const struct sfc_enum_name sfc_correlation_names[] = {
	{ "none", SFC_CORR_NONE }, { "mpls", SFC_CORR_MPLS },
	{ "nsh", SFC_CORR_NSH }, { NULL, 0 },
};

static const struct sfc_enum_name end_names[] = {
	{ "reinject", SFC_END_REINJECT }, { "direct", SFC_END_DIRECT },
	{ NULL, 0 },
};

static const struct sfc_enum_name ethertype_names[] = {
	{ "IPv4", 4 }, { "IPv6", 6 }, { NULL, 0 },
};

static const struct sfc_enum_name protocol_names[] = {
	{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "icmp", IPPROTO_ICMP }, { "icmpv6", IPPROTO_ICMPV6 }, { NULL, 0 },
};

/* Stable ids are shown, and kept in the saved file, but never typed. */
#define ID_ATTR(res_type, max_id)						\
	{ .word = "id", .key = "id", .type = SFC_ATTR_U32,		\
	  .flags = SFC_ATTR_READONLY | SFC_ATTR_OMIT_ZERO,		\
	  .off = offsetof(res_type, id), .min = 1, .max = (max_id) }

#define PORT_F(f)	offsetof(struct sfc_cfg_port, f)
#define PAIR_F(f)	offsetof(struct sfc_cfg_pair, f)
#define PPG_F(f)	offsetof(struct sfc_cfg_ppg, f)
#define FC_F(f)		offsetof(struct sfc_cfg_fc, f)
#define CHAIN_F(f)	offsetof(struct sfc_cfg_chain, f)

static const struct sfc_attr port_attrs[] = {
	{ .word = "dev", .key = "device", .type = SFC_ATTR_DEV,
	  .flags = SFC_ATTR_REQUIRED, .off = PORT_F(dev) },
	{ .word = "mac", .key = "mac", .type = SFC_ATTR_MAC,
	  .off = PORT_F(mac), .aux = PORT_F(has_mac) },
	ID_ATTR(struct sfc_cfg_port, SFC_MAX_PORTS - 1),
};

#define SF_PARAMS "service_function_parameters"

static const struct sfc_attr pair_attrs[] = {
	{ .word = "ingress", .key = "ingress", .type = SFC_ATTR_REF,
	  .flags = SFC_ATTR_REQUIRED, .off = PAIR_F(ingress),
	  .ref = SFC_KIND_PORT },
	{ .word = "egress", .key = "egress", .type = SFC_ATTR_REF,
	  .flags = SFC_ATTR_REQUIRED, .off = PAIR_F(egress),
	  .ref = SFC_KIND_PORT },
	{ .word = "correlation", .key = "correlation", .group = SF_PARAMS,
	  .type = SFC_ATTR_ENUM, .off = PAIR_F(correlation),
	  .names = sfc_correlation_names },
	{ .word = "weight", .key = "weight", .group = SF_PARAMS,
	  .type = SFC_ATTR_U32, .off = PAIR_F(weight), .min = 1,
	  .max = UINT16_MAX },
};

static const struct sfc_attr ppg_attrs[] = {
	{ .word = "port-pair", .key = "port_pairs", .type = SFC_ATTR_REFS,
	  .flags = SFC_ATTR_REQUIRED, .off = PPG_F(pairs),
	  .aux = PPG_F(nr_pairs), .max = SFC_MAX_PAIRS, .ref = SFC_KIND_PAIR },
	ID_ATTR(struct sfc_cfg_ppg, SFC_MAX_PPGS - 1),
};

/*
 * L4 ranges are one "N[-M]" word on the command line and two numbers in
 * networking-sfc's JSON: three attributes over the same two fields.
 */
#define RANGE_ATTRS(word_, key_, lo, hi)				\
	{ .word = word_, .type = SFC_ATTR_RANGE,			\
	  .off = FC_F(lo), .aux = FC_F(hi) },				\
	{ .key = key_ "_min", .type = SFC_ATTR_RANGE_MIN,		\
	  .off = FC_F(lo), .aux = FC_F(hi) },				\
	{ .key = key_ "_max", .type = SFC_ATTR_RANGE_MAX,		\
	  .off = FC_F(lo), .aux = FC_F(hi) }

static const struct sfc_attr fc_attrs[] = {
	{ .word = "ethertype", .key = "ethertype", .type = SFC_ATTR_ENUM,
	  .flags = SFC_ATTR_OMIT_ZERO, .off = FC_F(ethertype),
	  .names = ethertype_names },
	{ .word = "protocol", .key = "protocol", .type = SFC_ATTR_PROTO,
	  .off = FC_F(protocol), .names = protocol_names },
	{ .word = "source-ip", .key = "source_ip_prefix",
	  .type = SFC_ATTR_PREFIX, .off = FC_F(src), .aux = FC_F(has_src) },
	{ .word = "destination-ip", .key = "destination_ip_prefix",
	  .type = SFC_ATTR_PREFIX, .off = FC_F(dst), .aux = FC_F(has_dst) },
	RANGE_ATTRS("source-port", "source_port_range", sport_lo, sport_hi),
	RANGE_ATTRS("destination-port", "destination_port_range",
		    dport_lo, dport_hi),
	{ .word = "logical-source-port", .key = "logical_source_port",
	  .type = SFC_ATTR_REF, .off = FC_F(lsp), .ref = SFC_KIND_PORT },
	{ .word = "logical-destination-port",
	  .key = "logical_destination_port", .type = SFC_ATTR_REF,
	  .off = FC_F(ldp), .ref = SFC_KIND_PORT },
	{ .word = "priority", .key = "priority", .type = SFC_ATTR_U32,
	  .off = FC_F(priority), .max = UINT32_MAX },
};

#define CHAIN_PARAMS "chain_parameters"

static const struct sfc_attr chain_attrs[] = {
	{ .word = "chain-id", .key = "chain_id", .type = SFC_ATTR_U32,
	  .flags = SFC_ATTR_OMIT_ZERO, .off = CHAIN_F(chain_id), .min = 1,
	  .max = 0xffffff },
	{ .word = "port-pair-group", .key = "port_pair_groups",
	  .type = SFC_ATTR_REFS, .flags = SFC_ATTR_REQUIRED,
	  .off = CHAIN_F(ppgs), .aux = CHAIN_F(nr_ppgs), .max = SFC_MAX_HOPS,
	  .ref = SFC_KIND_PPG },
	{ .word = "flow-classifier", .key = "flow_classifiers",
	  .type = SFC_ATTR_REFS, .off = CHAIN_F(fcs), .aux = CHAIN_F(nr_fcs),
	  .max = SFC_MAX_FC_PER_CHAIN, .ref = SFC_KIND_FC },
	{ .word = "symmetric", .key = "symmetric", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_BOOL, .off = CHAIN_F(symmetric) },
	{ .word = "correlation", .key = "correlation", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_ENUM, .off = CHAIN_F(correlation),
	  .names = sfc_correlation_names },
	{ .word = "end", .key = "end", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_ENUM, .off = CHAIN_F(end), .names = end_names },
	ID_ATTR(struct sfc_cfg_chain, SFC_MAX_CHAINS - 1),
};

static void pair_init(void *res)
{
	((struct sfc_cfg_pair *)res)->weight = 1;
}

static void fc_init(void *res)
{
	struct sfc_cfg_fc *fc = res;

	fc->protocol = -1;
	fc->sport_hi = fc->dport_hi = UINT16_MAX;
	fc->priority = 100;
}

#define ATTRS(t) .attrs = t, .nr_attrs = sizeof(t) / sizeof(t[0])
_Static_assert(sizeof(fc_attrs) / sizeof(fc_attrs[0]) <= SFC_MAX_ATTRS,
	       "the longest table fits SFC_MAX_ATTRS");

static const struct sfc_kind_info kinds[SFC_KIND__MAX] = {
	[SFC_KIND_PORT] = { "port", "port", "ports", "ports", "PORT",
			    sizeof(struct sfc_cfg_port), NULL,
			    ATTRS(port_attrs) },
	[SFC_KIND_PAIR] = { "port-pair", "port pair", "port pairs",
			    "port_pairs", "PAIR", sizeof(struct sfc_cfg_pair),
			    pair_init, ATTRS(pair_attrs) },
	[SFC_KIND_PPG] = { "port-pair-group", "port pair group",
			   "port pair groups", "port_pair_groups", "PPG",
			   sizeof(struct sfc_cfg_ppg), NULL, ATTRS(ppg_attrs) },
	[SFC_KIND_FC] = { "flow-classifier", "flow classifier",
			  "flow classifiers", "flow_classifiers", "FC",
			  sizeof(struct sfc_cfg_fc), fc_init, ATTRS(fc_attrs) },
	[SFC_KIND_CHAIN] = { "port-chain", "port chain", "port chains",
			     "port_chains", "CHAIN",
			     sizeof(struct sfc_cfg_chain), NULL,
			     ATTRS(chain_attrs) },
};

const struct sfc_kind_info *sfc_kind_info(enum sfc_kind k)
{
	return k < SFC_KIND__MAX ? &kinds[k] : NULL;
}

const struct sfc_attr *sfc_attr_by_key(enum sfc_kind k, const char *group,
				       const char *key)
{
	const struct sfc_attr *a;

	for (a = kinds[k].attrs; a < kinds[k].attrs + kinds[k].nr_attrs; a++) {
		if (!a->key || strcmp(a->key, key))
			continue;
		if (group ? a->group && !strcmp(a->group, group) : !a->group)
			return a;
	}
	return NULL;
}

int sfc_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "a, b or c": the accepted names, for messages and help. */
static void join_names(const struct sfc_enum_name *names, const char *sep,
		       const char *last, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i].name && used < len; i++) {
		const char *s = !i ? "" : names[i + 1].name ? sep : last;

		used += snprintf(buf + used, len - used, "%s%s", s, names[i].name);
	}
}

const char *sfc_enum_name(const struct sfc_enum_name *names, int val)
{
	for (; names->name; names++)
		if (names->val == val)
			return names->name;
	return NULL;
}

static int enum_value(const struct sfc_enum_name *names, const char *s,
		      int *out)
{
	for (; names->name; names++) {
		if (!strcasecmp(names->name, s)) {
			*out = names->val;
			return 0;
		}
	}
	return -EINVAL;
}

int sfc_copy_name(char *dst, const char *src, char *err, size_t errlen)
{
	size_t n = strlen(src);

	if (n >= SFC_NAME_MAX)
		return sfc_errf(err, errlen,
				"name '%.20s...' is too long (max %d characters)",
				src, SFC_NAME_MAX - 1);
	if (!sfc_valid_name(src))
		return sfc_errf(err, errlen,
				"bad name '%s': use letters, digits and _.:/- (not - first)",
				src);
	memcpy(dst, src, n + 1);
	return 0;
}

static int parse_ref_list(const struct sfc_attr *a, void *res,
			  const char *val, char *err, size_t errlen)
{
	int *count = FIELD(res, a->aux, int);
	char *slot;

	if (*count < 0 || (uint32_t)*count >= a->max)
		return sfc_errf(err, errlen, "too many: at most %u", a->max);
	slot = FIELD(res, a->off, char) + (size_t)*count * SFC_NAME_MAX;
	if (sfc_copy_name(slot, val, err, errlen))
		return -EINVAL;
	(*count)++;
	return 0;
}

/* As the kernel's dev_valid_name(). */
static int parse_dev(char *dev, const char *val, char *err, size_t errlen)
{
	size_t n = strlen(val);

	if (!n || n >= IF_NAMESIZE || !strcmp(val, ".") ||
	    !strcmp(val, "..") || strpbrk(val, "/: \t\n"))
		return sfc_errf(err, errlen, "bad device name '%s'", val);
	memcpy(dev, val, n + 1);
	return 0;
}

/* A workload's unicast MAC: the data plane maps it to the port. */
static int parse_mac(const struct sfc_attr *a, void *res, const char *val,
		     char *err, size_t errlen)
{
	uint8_t m[6];
	int n = 0;

	if (strlen(val) != 17 ||
	    sscanf(val, "%2hhx:%2hhx:%2hhx:%2hhx:%2hhx:%2hhx%n", &m[0], &m[1],
		   &m[2], &m[3], &m[4], &m[5], &n) != 6 || n != 17)
		return sfc_errf(err, errlen, "bad mac '%s': expected xx:xx:xx:xx:xx:xx",
				val);
	if ((m[0] & 1) || !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return sfc_errf(err, errlen, "bad mac '%s': not a unicast address",
				val);
	memcpy(FIELD(res, a->off, uint8_t), m, sizeof(m));
	*FIELD(res, a->aux, bool) = true;
	return 0;
}

static int parse_u32(const struct sfc_attr *a, void *res, const char *val,
		     char *err, size_t errlen)
{
	uint32_t v;

	if (sfc_parse_u32(val, a->max, &v) || v < a->min)
		return sfc_errf(err, errlen, "bad number '%s': expected %u..%u",
				val, a->min, a->max);
	*FIELD(res, a->off, uint32_t) = v;
	return 0;
}

static int parse_enum(const struct sfc_attr *a, void *res, const char *val,
		      char *err, size_t errlen)
{
	char expected[128];

	if (!enum_value(a->names, val, FIELD(res, a->off, int)))
		return 0;
	join_names(a->names, ", ", " or ", expected, sizeof(expected));
	return sfc_errf(err, errlen, "bad value '%s': expected %s", val, expected);
}

static int parse_proto(const struct sfc_attr *a, void *res, const char *val,
		       char *err, size_t errlen)
{
	char expected[128];
	uint32_t v;

	if (!enum_value(a->names, val, FIELD(res, a->off, int)))
		return 0;
	if (!sfc_parse_u32(val, UINT8_MAX, &v)) {
		*FIELD(res, a->off, int) = (int)v;
		return 0;
	}
	join_names(a->names, ", ", ", ", expected, sizeof(expected));
	return sfc_errf(err, errlen, "bad protocol '%s': expected %s or 0..255",
			val, expected);
}

static int parse_prefix(const struct sfc_attr *a, void *res, const char *val,
			char *err, size_t errlen)
{
	if (sfc_parse_prefix(val, FIELD(res, a->off, struct sfc_prefix)))
		return sfc_errf(err, errlen, "bad prefix '%s'", val);
	*FIELD(res, a->aux, bool) = true;
	return 0;
}

static int parse_range(const struct sfc_attr *a, void *res, const char *val,
		       char *err, size_t errlen)
{
	uint16_t l, h;
	uint32_t v;

	if (a->type == SFC_ATTR_RANGE) {
		if (sfc_parse_port_range(val, &l, &h))
			return sfc_errf(err, errlen, "bad port range '%s'", val);
	} else {
		if (sfc_parse_u32(val, UINT16_MAX, &v))
			return sfc_errf(err, errlen, "bad port '%s': expected 0..65535",
					val);
		l = h = (uint16_t)v;
	}
	if (a->type != SFC_ATTR_RANGE_MAX)
		*FIELD(res, a->off, uint16_t) = l;
	if (a->type != SFC_ATTR_RANGE_MIN)
		*FIELD(res, a->aux, uint16_t) = h;
	return 0;
}

static int parse_bool(const struct sfc_attr *a, void *res, const char *val,
		      char *err, size_t errlen)
{
	if (!strcmp(val, "on") || !strcmp(val, "off")) {
		*FIELD(res, a->off, bool) = !strcmp(val, "on");
		return 0;
	}
	return sfc_errf(err, errlen, "bad value '%s': expected on or off", val);
}

int sfc_attr_parse(const struct sfc_attr *a, void *res, const char *val,
		   char *err, size_t errlen)
{
	switch (a->type) {
	case SFC_ATTR_REF:
		return sfc_copy_name(FIELD(res, a->off, char), val, err, errlen);
	case SFC_ATTR_REFS:
		return parse_ref_list(a, res, val, err, errlen);
	case SFC_ATTR_DEV:
		return parse_dev(FIELD(res, a->off, char), val, err, errlen);
	case SFC_ATTR_MAC:
		return parse_mac(a, res, val, err, errlen);
	case SFC_ATTR_U32:
		return parse_u32(a, res, val, err, errlen);
	case SFC_ATTR_ENUM:
		return parse_enum(a, res, val, err, errlen);
	case SFC_ATTR_PROTO:
		return parse_proto(a, res, val, err, errlen);
	case SFC_ATTR_PREFIX:
		return parse_prefix(a, res, val, err, errlen);
	case SFC_ATTR_RANGE:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		return parse_range(a, res, val, err, errlen);
	case SFC_ATTR_BOOL:
		return parse_bool(a, res, val, err, errlen);
	}
	return sfc_errf(err, errlen, "unknown attribute type");
}

static const char *ref_name(const struct sfc_attr *a, const void *res,
			    size_t i)
{
	return CFIELD(res, a->off, char) + i * SFC_NAME_MAX;
}

static int put(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* A fixed-size string field; -ENAMETOOLONG when it lacks its NUL. */
static int put_string(char *buf, size_t len, const char *s, size_t size)
{
	if (strnlen(s, size) == size)
		return -ENAMETOOLONG;
	return put(buf, len, "%s", s);
}

static int format_number_or_name(const struct sfc_attr *a, int v,
				 char *buf, size_t len)
{
	const char *name = sfc_enum_name(a->names, v);

	return name ? put(buf, len, "%s", name) : put(buf, len, "%d", v);
}

static int format_range(const struct sfc_attr *a, const void *res,
			char *buf, size_t len)
{
	unsigned int lo = *CFIELD(res, a->off, uint16_t);
	unsigned int hi = *CFIELD(res, a->aux, uint16_t);

	if (a->type == SFC_ATTR_RANGE_MIN)
		return put(buf, len, "%u", lo);
	if (a->type == SFC_ATTR_RANGE_MAX)
		return put(buf, len, "%u", hi);
	return lo == hi ? put(buf, len, "%u", lo) :
			  put(buf, len, "%u-%u", lo, hi);
}

int sfc_attr_format(const struct sfc_attr *a, const void *res, size_t i,
		    char *buf, size_t len)
{
	const uint8_t *m;

	switch (a->type) {
	case SFC_ATTR_REF:
	case SFC_ATTR_REFS:
		return put_string(buf, len, ref_name(a, res, i), SFC_NAME_MAX);
	case SFC_ATTR_DEV:
		return put_string(buf, len, CFIELD(res, a->off, char),
				  IF_NAMESIZE);
	case SFC_ATTR_MAC:
		m = CFIELD(res, a->off, uint8_t);
		return put(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
			   m[0], m[1], m[2], m[3], m[4], m[5]);
	case SFC_ATTR_U32:
		return put(buf, len, "%u", *CFIELD(res, a->off, uint32_t));
	case SFC_ATTR_ENUM:
	case SFC_ATTR_PROTO:
		return format_number_or_name(a, *CFIELD(res, a->off, int),
					     buf, len);
	case SFC_ATTR_PREFIX:
		return sfc_format_prefix(CFIELD(res, a->off, struct sfc_prefix),
					 buf, len);
	case SFC_ATTR_RANGE:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		return format_range(a, res, buf, len);
	case SFC_ATTR_BOOL:
		return put(buf, len, "%s",
			   *CFIELD(res, a->off, bool) ? "on" : "off");
	}
	return -EINVAL;
}

size_t sfc_attr_count(const struct sfc_attr *a, const void *res)
{
	int n;

	switch (a->type) {
	case SFC_ATTR_REF:
	case SFC_ATTR_DEV:
		return *CFIELD(res, a->off, char) != '\0';
	case SFC_ATTR_REFS:
		n = *CFIELD(res, a->aux, int);
		return n > 0 ? (size_t)n : 0;
	case SFC_ATTR_MAC:
	case SFC_ATTR_PREFIX:
		return *CFIELD(res, a->aux, bool);
	case SFC_ATTR_U32:
		return !(a->flags & SFC_ATTR_OMIT_ZERO) ||
		       *CFIELD(res, a->off, uint32_t);
	case SFC_ATTR_ENUM:
		return !(a->flags & SFC_ATTR_OMIT_ZERO) ||
		       *CFIELD(res, a->off, int);
	case SFC_ATTR_PROTO:
		return *CFIELD(res, a->off, int) >= 0;
	case SFC_ATTR_RANGE:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		return *CFIELD(res, a->off, uint16_t) != 0 ||
		       *CFIELD(res, a->aux, uint16_t) != UINT16_MAX;
	case SFC_ATTR_BOOL:
		return 1;
	}
	return 0;
}

void sfc_attr_clear(const struct sfc_attr *a, void *res)
{
	if (a->type == SFC_ATTR_REFS)
		*FIELD(res, a->aux, int) = 0;
}

/* Big enough for any resource: sfc_attr_check parses into one. */
union any_resource {
	struct sfc_cfg_port port;
	struct sfc_cfg_pair pair;
	struct sfc_cfg_ppg ppg;
	struct sfc_cfg_fc fc;
	struct sfc_cfg_chain chain;
};

/*
 * A value is valid when its text form parses back: the parser is the one
 * definition of a valid value, so the model, the command line and the
 * JSON file can never disagree about it.
 */
int sfc_attr_check(const struct sfc_attr *a, const void *res,
		   char *err, size_t errlen)
{
	const char *what = a->word ? a->word : a->key;
	union any_resource *scratch;
	char val[SFC_VALUE_MAX], why[256];
	size_t i, n = sfc_attr_count(a, res);
	int ret = 0;

	if (a->type == SFC_ATTR_REFS && n > a->max)
		return sfc_errf(err, errlen, "%s: %zu entries (max %u)", what, n,
				a->max);
	scratch = calloc(1, sizeof(*scratch));
	if (!scratch)
		return sfc_errf(err, errlen, "out of memory");
	for (i = 0; i < n && !ret; i++) {
		if (sfc_attr_format(a, res, i, val, sizeof(val)))
			ret = sfc_errf(err, errlen, "%s: value too long", what);
		else if (sfc_attr_parse(a, scratch, val, why, sizeof(why)))
			ret = sfc_errf(err, errlen, "%s: %s", what, why);
	}
	free(scratch);
	return ret;
}

void sfc_attr_metavar(const struct sfc_attr *a, char *buf, size_t len)
{
	static const char *const fixed[] = {
		[SFC_ATTR_DEV] = "DEV", [SFC_ATTR_MAC] = "MAC",
		[SFC_ATTR_PREFIX] = "PREFIX", [SFC_ATTR_RANGE] = "N[-M]",
		[SFC_ATTR_BOOL] = "{ on | off }", [SFC_ATTR_U32] = "N",
		[SFC_ATTR_RANGE_MIN] = "N", [SFC_ATTR_RANGE_MAX] = "N",
	};
	char names[128];

	if (a->type == SFC_ATTR_REF || a->type == SFC_ATTR_REFS) {
		snprintf(buf, len, "%s", kinds[a->ref].metavar);
	} else if (a->type == SFC_ATTR_ENUM || a->type == SFC_ATTR_PROTO) {
		join_names(a->names, " | ", " | ", names, sizeof(names));
		snprintf(buf, len, "{ %s%s }", names,
			 a->type == SFC_ATTR_PROTO ? " | N" : "");
	} else {
		snprintf(buf, len, "%s", fixed[a->type]);
	}
}

static int ref_of(const struct sfc_config *c, enum sfc_kind k, size_t i,
		  int (*fn)(const struct sfc_ref *r, void *ctx), void *ctx)
{
	const void *res = sfc_cfg_at(c, k, i);
	const struct sfc_attr *a;
	size_t j, n;
	int ret;

	for (a = kinds[k].attrs; a < kinds[k].attrs + kinds[k].nr_attrs; a++) {
		if (a->type != SFC_ATTR_REF && a->type != SFC_ATTR_REFS)
			continue;
		n = sfc_attr_count(a, res);
		if (a->type == SFC_ATTR_REFS && n > a->max)
			n = a->max;	/* validation reports it */
		for (j = 0; j < n; j++) {
			struct sfc_ref r = { k, res, a, ref_name(a, res, j) };

			ret = fn(&r, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int sfc_cfg_for_each_ref(const struct sfc_config *c,
			 int (*fn)(const struct sfc_ref *r, void *ctx),
			 void *ctx)
{
	enum sfc_kind k;
	size_t i;
	int ret;

	for (k = 0; k < SFC_KIND__MAX; k++) {
		for (i = 0; i < sfc_cfg_count(c, k); i++) {
			ret = ref_of(c, k, i, fn, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct user_query {
	enum sfc_kind kind;
	const char *name;
	struct sfc_ref *out;
};

static int match_user(const struct sfc_ref *r, void *ctx)
{
	struct user_query *q = ctx;

	if (r->attr->ref != q->kind || strcmp(r->to, q->name))
		return 0;
	*q->out = *r;
	return 1;
}

bool sfc_cfg_find_user(const struct sfc_config *c, enum sfc_kind k,
		       const char *name, struct sfc_ref *out)
{
	struct user_query q = { k, name, out };

	return sfc_cfg_for_each_ref(c, match_user, &q) > 0;
}
