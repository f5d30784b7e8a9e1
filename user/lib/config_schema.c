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
#include <arpa/inet.h>
#include <netinet/in.h>

#include "config_schema.h"
#include "uapi/sfc_maps.h"
#include "uapi/sfc_genl.h"

#define FIELD(res, off, type)	((type *)((char *)(res) + (off)))
#define CFIELD(res, off, type)	((const type *)((const char *)(res) + (off)))

_Static_assert(sizeof(enum sfc_correlation) == sizeof(int), "ENUM is int");
_Static_assert(sizeof(enum sfc_chain_end) == sizeof(int), "ENUM is int");
_Static_assert(sizeof(enum sfc_fail_mode) == sizeof(int), "ENUM is int");

const struct sfc_enum_name sfc_correlation_names[] = {
	{ "none", SFC_CORR_NONE }, { "mpls", SFC_CORR_MPLS },
	{ "nsh", SFC_CORR_NSH }, { NULL, 0 },
};

static const struct sfc_enum_name handoff_names[] = {
	{ "auto", SFC_HANDOFF_AUTO }, { "egress", SFC_HANDOFF_EGRESS },
	{ NULL, 0 },
};

static const struct sfc_enum_name end_names[] = {
	{ "reinject", SFC_END_REINJECT }, { "direct", SFC_END_DIRECT },
	{ NULL, 0 },
};

static const struct sfc_enum_name mpls_encoding_names[] = {
	{ "single", SFC_MPLS_SINGLE }, { "rfc8595", SFC_MPLS_RFC8595 },
	{ NULL, 0 },
};

static const struct sfc_enum_name nsh_next_names[] = {
	{ "ethernet", SFC_NSH_NEXT_ETHERNET }, { "ip", SFC_NSH_NEXT_IP },
	{ NULL, 0 },
};

static const struct sfc_enum_name fail_mode_names[] = {
	{ "open", SFC_FAIL_OPEN }, { "close", SFC_FAIL_CLOSE }, { NULL, 0 },
};

/* networking-sfc's lb_fields names; the first of a bit is its canonical one. */
static const struct sfc_enum_name lb_field_names[] = {
	{ "eth_src", SFC_LB_ETH_SRC }, { "eth_dst", SFC_LB_ETH_DST },
	{ "ip_src", SFC_LB_IP_SRC }, { "ip_dst", SFC_LB_IP_DST },
	{ "tcp_src", SFC_LB_L4_SRC }, { "tcp_dst", SFC_LB_L4_DST },
	{ "udp_src", SFC_LB_L4_SRC }, { "udp_dst", SFC_LB_L4_DST },
	{ NULL, 0 },
};

#define SFC_LB_ALL	(SFC_LB_ETH_SRC | SFC_LB_ETH_DST | SFC_LB_IP_SRC | \
			 SFC_LB_IP_DST | SFC_LB_L4_SRC | SFC_LB_L4_DST)

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
	  .flags = SFC_ATTR_READONLY | SFC_ATTR_OMIT_DEFAULT,		\
	  .off = offsetof(res_type, id), .min = 1, .max = (max_id) }

#define PORT_F(f)	offsetof(struct sfc_cfg_port, f)
#define PAIR_F(f)	offsetof(struct sfc_cfg_pair, f)
#define PPG_F(f)	offsetof(struct sfc_cfg_ppg, f)
#define FC_F(f)		offsetof(struct sfc_cfg_fc, f)
#define CHAIN_F(f)	offsetof(struct sfc_cfg_chain, f)

/* dev or remote: which one is checked with the whole configuration. */
static const struct sfc_attr port_attrs[] = {
	{ .word = "dev", .key = "device", .type = SFC_ATTR_DEV,
	  .off = PORT_F(dev) },
	{ .word = "mac", .key = "mac", .type = SFC_ATTR_MAC,
	  .off = PORT_F(mac), .aux = PORT_F(has_mac) },
	{ .word = "remote", .key = "remote_ip", .type = SFC_ATTR_IPV4,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = PORT_F(remote) },
	{ .word = "key", .key = "port_key", .type = SFC_ATTR_U32,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = PORT_F(key), .min = 1,
	  .max = SFC_PORT_KEY_MAX },
	{ .word = "vni", .key = "vni", .type = SFC_ATTR_U32,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = PORT_F(vni), .min = 1,
	  .max = 0xffffff },
	ID_ATTR(struct sfc_cfg_port, SFC_MAX_PORTS - 1),
};

#define TUNNEL_F(f)	offsetof(struct sfc_cfg_tunnel, f)
#define GENEVE_OPTION	"geneve_option"

static const struct sfc_attr tunnel_attrs[] = {
	{ .word = "dev", .key = "device", .type = SFC_ATTR_DEV,
	  .flags = SFC_ATTR_REQUIRED, .off = TUNNEL_F(dev) },
	{ .word = "vni", .key = "vni", .type = SFC_ATTR_U32,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = TUNNEL_F(vni), .max = 0xffffff,
	  .def = SFC_TUNNEL_VNI_DEFAULT },
	{ .word = "dstport", .key = "dstport", .type = SFC_ATTR_U32,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = TUNNEL_F(dstport), .min = 1,
	  .max = UINT16_MAX, .def = SFC_TUNNEL_DSTPORT_DEFAULT },
	{ .word = "option-class", .key = "class", .group = GENEVE_OPTION,
	  .type = SFC_ATTR_U32, .flags = SFC_ATTR_OMIT_DEFAULT,
	  .off = TUNNEL_F(opt_class), .max = UINT16_MAX,
	  .def = SFC_GENEVE_CLASS_DEFAULT },
	{ .word = "option-type", .key = "type", .group = GENEVE_OPTION,
	  .type = SFC_ATTR_U32, .flags = SFC_ATTR_OMIT_DEFAULT,
	  .off = TUNNEL_F(opt_type), .max = 0x7f,
	  .def = SFC_GENEVE_TYPE_DEFAULT },
};

static void tunnel_init(void *res)
{
	struct sfc_cfg_tunnel *t = res;

	t->vni = SFC_TUNNEL_VNI_DEFAULT;
	t->dstport = SFC_TUNNEL_DSTPORT_DEFAULT;
	t->opt_class = SFC_GENEVE_CLASS_DEFAULT;
	t->opt_type = SFC_GENEVE_TYPE_DEFAULT;
}

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
	{ .word = "handoff", .key = "handoff", .type = SFC_ATTR_ENUM,
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = PAIR_F(handoff),
	  .names = handoff_names },
};

#define PPG_PARAMS	"port_pair_group_parameters"
#define HEALTH_CHECK	PPG_PARAMS ".health_check"
#define OMIT		SFC_ATTR_OMIT_DEFAULT

/* Defaults are left out of the file: sfc_cfg_ppg_defaults() sets them. */
static const struct sfc_attr ppg_attrs[] = {
	{ .word = "port-pair", .key = "port_pairs", .type = SFC_ATTR_REFS,
	  .flags = SFC_ATTR_REQUIRED, .off = PPG_F(pairs),
	  .aux = PPG_F(nr_pairs), .max = SFC_MAX_PAIRS, .ref = SFC_KIND_PAIR },
	{ .word = "tap", .key = "tap_enabled", .type = SFC_ATTR_BOOL,
	  .flags = OMIT, .off = PPG_F(tap) },
	{ .word = "lb-fields", .key = "lb_fields", .group = PPG_PARAMS,
	  .type = SFC_ATTR_LB_FIELDS, .flags = OMIT, .off = PPG_F(lb_fields) },
	{ .word = "lb-symmetric", .key = "symmetric", .group = PPG_PARAMS,
	  .type = SFC_ATTR_BOOL, .flags = OMIT | SFC_ATTR_NEGATED,
	  .off = PPG_F(asymmetric) },
	{ .word = "fail-mode", .key = "fail_mode", .group = PPG_PARAMS,
	  .type = SFC_ATTR_ENUM, .flags = OMIT, .off = PPG_F(fail_mode),
	  .names = fail_mode_names, .def = SFC_FAIL_CLOSE },
	{ .word = "health-check", .key = "enabled", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_BOOL, .flags = OMIT, .off = PPG_F(health.enabled) },
	{ .word = "health-interval", .key = "interval_ms", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = PPG_F(health.interval_ms),
	  .min = 100, .max = 3600000, .def = SFC_PPG_HEALTH_INTERVAL_MS,
	  .meta = "MS" },
	{ .word = "health-timeout", .key = "timeout_ms", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = PPG_F(health.timeout_ms),
	  .min = 1, .max = 3600000, .def = SFC_PPG_HEALTH_TIMEOUT_MS,
	  .meta = "MS" },
	{ .word = "health-rise", .key = "rise", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = PPG_F(health.rise),
	  .min = 1, .max = 100, .def = SFC_PPG_HEALTH_RISE },
	{ .word = "health-fall", .key = "fall", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = PPG_F(health.fall),
	  .min = 1, .max = 100, .def = SFC_PPG_HEALTH_FALL },
	{ .word = "probe-src", .key = "probe_src", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_IPV4, .flags = OMIT, .off = PPG_F(health.probe_src),
	  .def = SFC_PPG_PROBE_SRC },
	{ .word = "probe-dst", .key = "probe_dst", .group = HEALTH_CHECK,
	  .type = SFC_ATTR_IPV4, .flags = OMIT, .off = PPG_F(health.probe_dst),
	  .def = SFC_PPG_PROBE_DST },
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
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = FC_F(ethertype),
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
	  .flags = SFC_ATTR_OMIT_DEFAULT, .off = CHAIN_F(chain_id), .min = 1,
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
	{ .word = "mpls-encoding", .key = "mpls_encoding", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_ENUM, .flags = OMIT, .off = CHAIN_F(mpls_encoding),
	  .names = mpls_encoding_names, .def = SFC_MPLS_SINGLE },
	{ .word = "nsh-md-type", .key = "nsh_md_type", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = CHAIN_F(nsh_md_type),
	  .min = 1, .max = 2, .def = 1 },
	{ .word = "nsh-next-protocol", .key = "nsh_next_protocol",
	  .group = CHAIN_PARAMS, .type = SFC_ATTR_ENUM, .flags = OMIT,
	  .off = CHAIN_F(nsh_next), .names = nsh_next_names,
	  .def = SFC_NSH_NEXT_ETHERNET },
	{ .word = "nsh-ttl", .key = "nsh_ttl", .group = CHAIN_PARAMS,
	  .type = SFC_ATTR_U32, .flags = OMIT, .off = CHAIN_F(nsh_ttl),
	  .min = 1, .max = 63, .def = SFC_CHAIN_NSH_TTL_DEFAULT },
	ID_ATTR(struct sfc_cfg_chain, SFC_MAX_CHAINS - 1),
};

#define GRAPH_F(f)	offsetof(struct sfc_cfg_graph, f)

static const struct sfc_attr graph_attrs[] = {
	{ .word = "branching-point", .key = "branching_points",
	  .type = SFC_ATTR_EDGES, .flags = SFC_ATTR_REQUIRED,
	  .off = GRAPH_F(edges), .aux = GRAPH_F(nr_edges),
	  .max = SFC_MAX_GRAPH_EDGES, .ref = SFC_KIND_CHAIN,
	  .meta = "SRC:DST[,DST...]" },
};

static void chain_init(void *res)
{
	struct sfc_cfg_chain *c = res;

	c->nsh_md_type = 1;
	c->nsh_ttl = SFC_CHAIN_NSH_TTL_DEFAULT;
}

static void pair_init(void *res)
{
	((struct sfc_cfg_pair *)res)->weight = 1;
}

static uint32_t ipv4_get(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	       (uint32_t)a[2] << 8 | a[3];
}

static void ipv4_put(uint8_t *a, uint32_t v)
{
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

void sfc_cfg_ppg_defaults(struct sfc_cfg_ppg *g)
{
	g->lb_fields = 0;
	g->asymmetric = false;
	g->tap = false;
	g->fail_mode = SFC_FAIL_CLOSE;
	g->health = (struct sfc_cfg_health){
		.interval_ms = SFC_PPG_HEALTH_INTERVAL_MS,
		.timeout_ms = SFC_PPG_HEALTH_TIMEOUT_MS,
		.rise = SFC_PPG_HEALTH_RISE,
		.fall = SFC_PPG_HEALTH_FALL,
	};
	ipv4_put(g->health.probe_src, SFC_PPG_PROBE_SRC);
	ipv4_put(g->health.probe_dst, SFC_PPG_PROBE_DST);
}

static void ppg_init(void *res)
{
	sfc_cfg_ppg_defaults(res);
}

static void fc_init(void *res)
{
	struct sfc_cfg_fc *fc = res;

	fc->protocol = -1;
	fc->sport_hi = fc->dport_hi = UINT16_MAX;
	fc->priority = 100;
}

#define ATTRS(t) .attrs = t, .nr_attrs = sizeof(t) / sizeof(t[0])
_Static_assert(sizeof(fc_attrs) / sizeof(fc_attrs[0]) <= SFC_MAX_ATTRS &&
	       sizeof(ppg_attrs) / sizeof(ppg_attrs[0]) <= SFC_MAX_ATTRS,
	       "the longest tables fit SFC_MAX_ATTRS");

static const struct sfc_kind_info kinds[SFC_KIND__MAX] = {
	[SFC_KIND_PORT] = { "port", "port", "ports", "ports", "PORT",
			    sizeof(struct sfc_cfg_port), NULL,
			    ATTRS(port_attrs) },
	[SFC_KIND_PAIR] = { "port-pair", "port pair", "port pairs",
			    "port_pairs", "PAIR", sizeof(struct sfc_cfg_pair),
			    pair_init, ATTRS(pair_attrs) },
	[SFC_KIND_PPG] = { "port-pair-group", "port pair group",
			   "port pair groups", "port_pair_groups", "PPG",
			   sizeof(struct sfc_cfg_ppg), ppg_init,
			   ATTRS(ppg_attrs) },
	[SFC_KIND_FC] = { "flow-classifier", "flow classifier",
			  "flow classifiers", "flow_classifiers", "FC",
			  sizeof(struct sfc_cfg_fc), fc_init, ATTRS(fc_attrs) },
	[SFC_KIND_CHAIN] = { "port-chain", "port chain", "port chains",
			     "port_chains", "CHAIN",
			     sizeof(struct sfc_cfg_chain), chain_init,
			     ATTRS(chain_attrs) },
	[SFC_KIND_TUNNEL] = { "tunnel", "tunnel", "tunnels", "tunnels",
			      "TUNNEL", sizeof(struct sfc_cfg_tunnel),
			      tunnel_init, ATTRS(tunnel_attrs) },
	[SFC_KIND_GRAPH] = { "service-graph", "service graph",
			     "service graphs", "service_graphs", "GRAPH",
			     sizeof(struct sfc_cfg_graph), NULL,
			     ATTRS(graph_attrs) },
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

int sfc_lb_fields_parse(const char *s, uint32_t *out, char *err,
			size_t errlen)
{
	char buf[SFC_VALUE_MAX], expected[160], *rest = buf, *name;
	uint32_t fields = 0;
	int bit;

	if (strlen(s) >= sizeof(buf))
		return sfc_errf(err, errlen, "bad lb fields '%.20s...': too long", s);
	strcpy(buf, s);
	while (*s && (name = strsep(&rest, "&,"))) {
		if (!enum_value(lb_field_names, name, &bit)) {
			fields |= (uint32_t)bit;
			continue;
		}
		join_names(lb_field_names, ", ", " or ", expected,
			   sizeof(expected));
		return sfc_errf(err, errlen, "bad lb field '%s': expected %s",
				name, expected);
	}
	*out = fields == SFC_LB_DEFAULT ? 0 : fields;
	return 0;
}

const char *sfc_lb_field_name(uint32_t bit)
{
	return sfc_enum_name(lb_field_names, (int)bit);
}

int sfc_lb_fields_format(uint32_t fields, char *buf, size_t len)
{
	const struct sfc_enum_name *n;
	uint32_t done = 0;
	size_t used = 0;
	int ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (!fields)
		fields = SFC_LB_DEFAULT;
	for (n = lb_field_names; n->name; n++) {
		if (!(fields & (uint32_t)n->val) || (done & (uint32_t)n->val))
			continue;
		done |= (uint32_t)n->val;
		ret = snprintf(buf + used, len - used, "%s%s", used ? "&" : "",
			       n->name);
		if (ret < 0 || (size_t)ret >= len - used)
			return -ENOSPC;
		used += (size_t)ret;
	}
	return fields & ~done ? -EINVAL : 0;
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

/*
 * "SRC:DST[,DST...]": one edge per destination, appended all or none (a
 * bad name anywhere leaves the graph as it was).
 */
static int parse_edges(const struct sfc_attr *a, void *res, const char *val,
		       char *err, size_t errlen)
{
	int *count = FIELD(res, a->aux, int);
	char (*edges)[SFC_NAME_MAX] = (void *)FIELD(res, a->off, char);
	char buf[SFC_VALUE_MAX * 8], *colon, *dst, *save = NULL;
	int n = *count;

	if (snprintf(buf, sizeof(buf), "%s", val) >= (int)sizeof(buf))
		return sfc_errf(err, errlen, "value too long");
	colon = strchr(buf, ':');
	if (!colon || colon == buf || !colon[1])
		return sfc_errf(err, errlen,
				"bad branching point '%s': expected SRC:DST[,DST...]",
				val);
	*colon = '\0';
	for (dst = strtok_r(colon + 1, ",", &save); dst;
	     dst = strtok_r(NULL, ",", &save)) {
		if (n < 0 || (uint32_t)n >= a->max)
			return sfc_errf(err, errlen, "too many edges: at most %u",
					a->max);
		if (sfc_copy_name(edges[2 * n], buf, err, errlen) ||
		    sfc_copy_name(edges[2 * n + 1], dst, err, errlen))
			return -EINVAL;
		n++;
	}
	if (n == *count)
		return sfc_errf(err, errlen,
				"bad branching point '%s': no destination chain", val);
	*count = n;
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
	bool negated = a->flags & SFC_ATTR_NEGATED;

	if (!strcmp(val, "on") || !strcmp(val, "off")) {
		*FIELD(res, a->off, bool) = !strcmp(val, "on") != negated;
		return 0;
	}
	return sfc_errf(err, errlen, "bad value '%s': expected on or off", val);
}

/* Probes cross VNFs: no address a host or router would not forward. */
static int parse_ipv4(const struct sfc_attr *a, void *res, const char *val,
		      char *err, size_t errlen)
{
	uint8_t addr[4];

	if (inet_pton(AF_INET, val, addr) != 1)
		return sfc_errf(err, errlen,
				"bad address '%s': expected an IPv4 address a.b.c.d",
				val);
	if (!addr[0] || addr[0] == 127 || addr[0] >= 224)
		return sfc_errf(err, errlen,
				"bad address '%s': not a unicast IPv4 address", val);
	memcpy(FIELD(res, a->off, uint8_t), addr, sizeof(addr));
	return 0;
}

int sfc_attr_parse(const struct sfc_attr *a, void *res, const char *val,
		   char *err, size_t errlen)
{
	switch (a->type) {
	case SFC_ATTR_REF:
		return sfc_copy_name(FIELD(res, a->off, char), val, err, errlen);
	case SFC_ATTR_REFS:
		return parse_ref_list(a, res, val, err, errlen);
	case SFC_ATTR_EDGES:
		return parse_edges(a, res, val, err, errlen);
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
	case SFC_ATTR_IPV4:
		return parse_ipv4(a, res, val, err, errlen);
	case SFC_ATTR_LB_FIELDS:
		return sfc_lb_fields_parse(val, FIELD(res, a->off, uint32_t), err,
					   errlen);
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

/* Bits without a name come out as a number, which parse refuses. */
static int format_lb_fields(uint32_t fields, char *buf, size_t len)
{
	if (fields & ~SFC_LB_ALL)
		return put(buf, len, "%#x", fields);
	return sfc_lb_fields_format(fields, buf, len);
}

int sfc_attr_format(const struct sfc_attr *a, const void *res, size_t i,
		    char *buf, size_t len)
{
	const uint8_t *m;

	switch (a->type) {
	case SFC_ATTR_REF:
	case SFC_ATTR_REFS:
		return put_string(buf, len, ref_name(a, res, i), SFC_NAME_MAX);
	case SFC_ATTR_EDGES:
		return put(buf, len, "%.*s:%.*s", SFC_NAME_MAX,
			   ref_name(a, res, 2 * i), SFC_NAME_MAX,
			   ref_name(a, res, 2 * i + 1));
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
		return put(buf, len, "%s", *CFIELD(res, a->off, bool) !=
			   !!(a->flags & SFC_ATTR_NEGATED) ? "on" : "off");
	case SFC_ATTR_IPV4:
		m = CFIELD(res, a->off, uint8_t);
		return put(buf, len, "%u.%u.%u.%u", m[0], m[1], m[2], m[3]);
	case SFC_ATTR_LB_FIELDS:
		return format_lb_fields(*CFIELD(res, a->off, uint32_t), buf, len);
	}
	return -EINVAL;
}

size_t sfc_attr_count(const struct sfc_attr *a, const void *res)
{
	bool omit = a->flags & SFC_ATTR_OMIT_DEFAULT;
	int n;

	switch (a->type) {
	case SFC_ATTR_REF:
	case SFC_ATTR_DEV:
		return *CFIELD(res, a->off, char) != '\0';
	case SFC_ATTR_REFS:
	case SFC_ATTR_EDGES:
		n = *CFIELD(res, a->aux, int);
		return n > 0 ? (size_t)n : 0;
	case SFC_ATTR_MAC:
	case SFC_ATTR_PREFIX:
		return *CFIELD(res, a->aux, bool);
	case SFC_ATTR_U32:
	case SFC_ATTR_LB_FIELDS:
		return !omit || *CFIELD(res, a->off, uint32_t) != a->def;
	case SFC_ATTR_ENUM:
		return !omit || *CFIELD(res, a->off, int) != (int)a->def;
	case SFC_ATTR_PROTO:
		return *CFIELD(res, a->off, int) >= 0;
	case SFC_ATTR_RANGE:
	case SFC_ATTR_RANGE_MIN:
	case SFC_ATTR_RANGE_MAX:
		return *CFIELD(res, a->off, uint16_t) != 0 ||
		       *CFIELD(res, a->aux, uint16_t) != UINT16_MAX;
	case SFC_ATTR_BOOL:
		return !omit || *CFIELD(res, a->off, bool) != !!a->def;
	case SFC_ATTR_IPV4:
		return !omit || ipv4_get(CFIELD(res, a->off, uint8_t)) != a->def;
	}
	return 0;
}

void sfc_attr_clear(const struct sfc_attr *a, void *res)
{
	if (sfc_attr_is_list(a))
		*FIELD(res, a->aux, int) = 0;
}

/* Big enough for any resource: sfc_attr_check parses into one. */
union any_resource {
	struct sfc_cfg_port port;
	struct sfc_cfg_pair pair;
	struct sfc_cfg_ppg ppg;
	struct sfc_cfg_fc fc;
	struct sfc_cfg_chain chain;
	struct sfc_cfg_tunnel tunnel;
	struct sfc_cfg_graph graph;
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

	if (sfc_attr_is_list(a) && n > a->max)
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
		[SFC_ATTR_IPV4] = "IPV4", [SFC_ATTR_LB_FIELDS] = "FIELD[&FIELD...]",
	};
	char names[128];

	if (a->meta) {
		snprintf(buf, len, "%s", a->meta);
	} else if (a->type == SFC_ATTR_REF || sfc_attr_is_list(a)) {
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
		if (a->type != SFC_ATTR_REF && !sfc_attr_is_list(a))
			continue;
		n = sfc_attr_count(a, res);
		if (sfc_attr_is_list(a) && n > a->max)
			n = a->max;	/* validation reports it */
		if (a->type == SFC_ATTR_EDGES)
			n *= 2;		/* both ends of each edge */
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
