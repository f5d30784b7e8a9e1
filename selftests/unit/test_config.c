// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration model: validation (a good configuration
 * passes, every kind of error is rejected with a message naming the
 * resource), the JSON form (round trip, strict reading with paths in the
 * messages), stable ids, and the state file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "config_json.h"
#include "config_schema.h"
#include "state.h"
#include "tap.h"
#include "uapi/sfc_maps.h"

/*
 * Two workloads, three VNFs (two two-port instances in g1, a one-port one
 * in g2), three classifiers, two chains. Every error case below breaks
 * one thing of it.
 */
static const char good_json[] =
	"{ \"version\": 1,\n"
	"  \"ports\": [\n"
	"    { \"name\": \"app1\", \"device\": \"h1\", \"mac\": \"02:00:00:00:00:01\" },\n"
	"    { \"name\": \"app2\", \"device\": \"h2\", \"mac\": \"02:00:00:00:00:02\" },\n"
	"    { \"name\": \"v1i\", \"device\": \"h3\" }, { \"name\": \"v1o\", \"device\": \"h4\" },\n"
	"    { \"name\": \"v2i\", \"device\": \"h5\" }, { \"name\": \"v2o\", \"device\": \"h6\" },\n"
	"    { \"name\": \"v3\", \"device\": \"h7\" } ],\n"
	"  \"port_pairs\": [\n"
	"    { \"name\": \"pp1\", \"ingress\": \"v1i\", \"egress\": \"v1o\" },\n"
	"    { \"name\": \"pp2\", \"ingress\": \"v2i\", \"egress\": \"v2o\",\n"
	"      \"service_function_parameters\": { \"weight\": 2 } },\n"
	"    { \"name\": \"pp3\", \"ingress\": \"v3\", \"egress\": \"v3\" } ],\n"
	"  \"port_pair_groups\": [\n"
	"    { \"name\": \"g1\", \"port_pairs\": [ \"pp1\", \"pp2\" ] },\n"
	"    { \"name\": \"g2\", \"port_pairs\": [ \"pp3\" ] } ],\n"
	"  \"flow_classifiers\": [\n"
	"    { \"name\": \"fc1\", \"ethertype\": \"IPv4\", \"protocol\": \"tcp\",\n"
	"      \"source_ip_prefix\": \"10.0.0.0/24\", \"destination_port_range_min\": 80,\n"
	"      \"destination_port_range_max\": 90, \"logical_source_port\": \"app1\",\n"
	"      \"priority\": 10 },\n"
	"    { \"name\": \"fc2\", \"ethertype\": \"IPv6\", \"protocol\": \"icmpv6\",\n"
	"      \"logical_destination_port\": \"app2\" },\n"
	"    { \"name\": \"fc3\", \"protocol\": 132 } ],\n"
	"  \"port_chains\": [\n"
	"    { \"name\": \"c1\", \"chain_id\": 7, \"port_pair_groups\": [ \"g1\", \"g2\" ],\n"
	"      \"flow_classifiers\": [ \"fc1\", \"fc2\" ],\n"
	"      \"chain_parameters\": { \"symmetric\": true } },\n"
	"    { \"name\": \"c2\", \"chain_id\": 9, \"port_pair_groups\": [ \"g2\" ],\n"
	"      \"flow_classifiers\": [ \"fc3\" ],\n"
	"      \"chain_parameters\": { \"end\": \"direct\" } } ] }\n";

static void load_good(struct sfc_config *c)
{
	char err[512];

	if (sfc_config_from_text(good_json, strlen(good_json), c, err,
				 sizeof(err))) {
		printf("# good configuration does not parse: %s\n", err);
		exit(KSFT_FAIL);
	}
}

/* assign_ids + validate, as every command does; 0 or the message. */
static int check(struct sfc_config *c, char *err, size_t errlen)
{
	err[0] = '\0';
	return sfc_config_assign_ids(c, err, errlen) ?:
	       sfc_config_validate(c, err, errlen);
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A failure with a one-line message containing expect. */
static void expect_rejected(int ret, const char *err, const char *expect,
			    const char *what)
{
	TAP_CHECK(ret && strstr(err, expect) && !strchr(err, '\n'),
		  "rejects %s%s%s", what, ret ? " # got: " : "", err);
}

static enum sfc_kind kind_by_word(const char *word)
{
	enum sfc_kind k;

	for (k = 0; k < SFC_KIND__MAX; k++)
		if (!strcmp(sfc_kind_info(k)->word, word))
			break;
	return k;
}

static const struct sfc_attr *attr_by_word(enum sfc_kind k, const char *word)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	size_t i;

	for (i = 0; i < ki->nr_attrs; i++)
		if (ki->attrs[i].word && !strcmp(ki->attrs[i].word, word))
			return &ki->attrs[i];
	return NULL;
}

/*
 * One change in command-line words: "KIND NAME [WORD VALUE]...", where
 * KIND is an object word; a resource that does not exist is added, and
 * "+KIND" adds one even if the name exists. Returns 0 or -1 (a bad script).
 */
static int apply_statement(struct sfc_config *c, char *stmt, char *err,
			   size_t errlen)
{
	char *save, *kw = strtok_r(stmt, " ", &save);
	char *name = strtok_r(NULL, " ", &save), *word, *val;
	bool add = kw && kw[0] == '+';
	const struct sfc_attr *a;
	enum sfc_kind k;
	void *res;

	snprintf(err, errlen, "bad test script");
	if (!kw || !name)
		return -1;
	k = kind_by_word(kw + add);
	if (k == SFC_KIND__MAX)
		return -1;
	res = add ? NULL : sfc_cfg_find(c, k, name);
	if (!res)
		res = sfc_cfg_add(c, k, name, err, errlen);
	while (res && (word = strtok_r(NULL, " ", &save))) {
		val = strtok_r(NULL, " ", &save);
		a = attr_by_word(k, word);
		if (!a || !val || sfc_attr_parse(a, res, val, err, errlen))
			return -1;
	}
	return res ? 0 : -1;
}

/* Statements separated by ';' */
static int apply_script(struct sfc_config *c, const char *script, char *err,
			size_t errlen)
{
	char *copy = strdup(script), *save, *stmt;
	int ret = 0;

	for (stmt = strtok_r(copy, ";", &save); stmt && !ret;
	     stmt = strtok_r(NULL, ";", &save))
		ret = apply_statement(c, stmt, err, errlen);
	free(copy);
	return ret;
}

static const struct script_case {
	const char *script;
	const char *expect;	/* NULL: valid */
} script_cases[] = {
	/* still valid */
	{ "port-pair pp9 ingress v3 egress v3", NULL },
	{ "+port-pair app1 ingress v1i egress v1o", NULL },	/* names per kind */
	{ "port-chain c3 port-pair-group g1", NULL },	/* no classifier */
	/* unknown references */
	{ "port-pair pp1 ingress nope",
	  "port pair pp1: ingress: unknown port nope" },
	{ "port-pair-group g2 port-pair nope",
	  "port pair group g2: port-pair: unknown port pair nope" },
	{ "flow-classifier fc3 logical-source-port nope",
	  "flow classifier fc3: logical-source-port: unknown port nope" },
	{ "port-chain c2 port-pair-group nope",
	  "port chain c2: port-pair-group: unknown port pair group nope" },
	{ "port-chain c2 flow-classifier nope",
	  "port chain c2: flow-classifier: unknown flow classifier nope" },
	/* names */
	{ "+port app1 dev h9", "duplicate port name app1" },
	{ "+port-pair pp1 ingress v3 egress v3", "duplicate port pair name pp1" },
	{ "+port-pair-group g1 port-pair pp3",
	  "duplicate port pair group name g1" },
	{ "+flow-classifier fc1", "duplicate flow classifier name fc1" },
	{ "+port-chain c1 port-pair-group g2", "duplicate port chain name c1" },
	/* ports */
	{ "port p9", "port p9: missing dev" },
	{ "port p9 dev h1", "ports app1 and p9 have the same dev h1" },
	{ "port p9 dev h9 mac 02:00:00:00:00:01",
	  "ports app1 and p9 have the same mac 02:00:00:00:00:01" },
	/* port pairs and groups */
	{ "port-pair pp9 ingress v3", "port pair pp9: missing egress" },
	{ "port-pair-group g9", "port pair group g9 has no port pairs" },
	{ "port-pair-group g1 port-pair pp1",
	  "port pair group g1 lists port pair pp1 twice" },
	{ "port-pair pp2 correlation mpls",
	  "port pair group g1 mixes correlation none (pp1) and mpls (pp2)" },
	{ "port-pair pp3 correlation mpls",
	  "port chain c1: port pair pp3 expects correlation mpls, the chain's is none" },
	/* flow classifiers */
	{ "flow-classifier fc1 ethertype IPv6",
	  "flow classifier fc1: source-ip 10.0.0.0/24 is not IPv6" },
	{ "flow-classifier fc9 source-ip 10.0.0.0/8 destination-ip fd00::/64",
	  "flow classifier fc9: destination-ip fd00::/64 is not IPv4" },
	{ "flow-classifier fc9 destination-port 80",
	  "flow classifier fc9: port ranges need protocol tcp, udp or sctp" },
	{ "flow-classifier fc9 protocol icmp source-port 1-2",
	  "flow classifier fc9: port ranges need protocol tcp, udp or sctp" },
	{ "flow-classifier fc9 protocol icmp ethertype IPv6",
	  "flow classifier fc9: protocol icmp does not match IPv6" },
	{ "flow-classifier fc9 protocol icmpv6 source-ip 10.0.0.0/8",
	  "flow classifier fc9: protocol icmpv6 does not match IPv4" },
	{ "port p9 dev h9; flow-classifier fc3 logical-destination-port p9",
	  "flow classifier fc3: port p9 has no mac: logical-destination-port needs it" },
	{ "flow-classifier fc3 logical-source-port v1i",
	  "flow classifier fc3: port v1i is a VNF port (port pair pp1) and cannot be its logical-source-port" },
	{ "flow-classifier fc3 logical-destination-port v3",
	  "flow classifier fc3: port v3 is a VNF port (port pair pp3)" },
	{ "port-chain c2 flow-classifier fc1",
	  "flow classifier fc1 is used by port chains c1 and c2" },
	/* port chains */
	{ "port-chain c9", "port chain c9 has no port pair groups" },
	{ "port-chain c1 port-pair-group g1",
	  "port chain c1 lists port pair group g1 twice" },
	{ "port-chain c1 flow-classifier fc1",
	  "port chain c1 lists flow classifier fc1 twice" },
	{ "port-chain c2 chain-id 7",
	  "port chains c1 and c2 have the same chain-id 7" },
	{ "port-pair ppx ingress v2i egress v9; port v9 dev h9;"
	  "port-pair-group gx port-pair ppx; port-chain c1 port-pair-group gx",
	  "port chain c1: port v2i is in hops 1 (g1) and 3 (gx)" },
	{ "port-pair ppx ingress v9 egress v9; port v9 dev h9;"
	  "port-pair-group gx port-pair ppx; port-chain c9 port-pair-group gx "
	  "port-pair-group gx", "port chain c9 lists port pair group gx twice" },
	{ "port-chain c2 correlation mpls chain-id 5000",
	  "port chain c2: chain id 5000 does not fit the single-label MPLS SPI (at most 4095" },
	{ "port-chain c2 correlation mpls mpls-encoding rfc8595 chain-id 2000000",
	  "chain id 2000000 does not fit the RFC 8595 MPLS SPI (at most 1048575" },
	{ "port-chain c2 correlation nsh chain-id 9000000 symmetric on",
	  "chain id 9000000 does not fit the NSH SPI (at most 8388607 for a symmetric chain)" },
	{ "port-chain c2 nsh-ttl 64", "bad number '64': expected 1..63" },
	{ "port-chain c2 nsh-md-type 3", "bad number '3': expected 1..2" },
	/* load balancing and health checks */
	{ "port-pair-group g1 lb-fields eth_src,udp_dst lb-symmetric off "
	  "fail-mode open health-check on health-interval 100 "
	  "health-timeout 99 health-rise 100 health-fall 1 "
	  "probe-src 10.0.0.1 probe-dst 10.0.0.2", NULL },
	{ "port-pair pp1 weight 65535", NULL },
	{ "port-pair pp1 weight 65536",
	  "bad number '65536': expected 1..65535" },
	{ "port-pair-group g1 lb-fields ip_src&mac",
	  "bad lb field 'mac': expected eth_src, eth_dst, ip_src, ip_dst, tcp_src, tcp_dst, udp_src or udp_dst" },
	{ "port-pair-group g1 lb-fields ip_src&", "bad lb field ''" },
	{ "port-pair-group g1 lb-symmetric yes", "bad value 'yes': expected on or off" },
	{ "port-pair-group g1 fail-mode half",
	  "bad value 'half': expected open or close" },
	{ "port-pair-group g1 health-timeout 1000",
	  "port pair group g1: health-timeout 1000 ms is not below health-interval 1000 ms" },
	{ "port-pair-group g1 health-interval 400",
	  "port pair group g1: health-timeout 500 ms is not below health-interval 400 ms" },
	{ "port-pair-group g1 health-interval 99",
	  "bad number '99': expected 100..3600000" },
	{ "port-pair-group g1 health-interval 3600001",
	  "bad number '3600001': expected 100..3600000" },
	{ "port-pair-group g1 health-rise 0", "bad number '0': expected 1..100" },
	{ "port-pair-group g1 health-rise 101", "bad number '101': expected 1..100" },
	{ "port-pair-group g1 health-fall 0", "bad number '0': expected 1..100" },
	{ "port-pair-group g1 health-fall 101", "bad number '101': expected 1..100" },
	{ "port-pair-group g1 probe-src 10.1", "bad address '10.1': expected an IPv4 address" },
	{ "port-pair-group g1 probe-dst fd00::1", "bad address 'fd00::1': expected an IPv4 address" },
	{ "port-pair-group g1 probe-dst 224.0.0.1",
	  "bad address '224.0.0.1': not a unicast IPv4 address" },
	{ "port-pair-group g1 probe-src 127.0.0.1", "not a unicast IPv4 address" },
	{ "port-pair-group g1 probe-src 169.254.255.2",
	  "port pair group g1: probe-src and probe-dst are both 169.254.255.2" },
	/* tap groups */
	{ "port v9 dev h9; port-pair ppt ingress v9 egress v9;"
	  "port-pair-group gt port-pair ppt tap on; port-chain c1 port-pair-group gt",
	  NULL },
	{ "port-pair-group g2 tap on",
	  "port chain c2 has only tap groups: nothing forwards its traffic" },
	{ "port-pair-group gt port-pair pp1 tap on",
	  "port pair pp1 is in tap group gt and in group g1: a port cannot be both a tap return port and a chain return port" },
	{ "port v9 dev h9; port-pair ppt ingress v9 egress v1o;"
	  "port-pair-group gt port-pair ppt tap on",
	  "port v1o is in tap group gt (port pair ppt) and in group g1 (port pair pp1): a port cannot be both" },
	/* service graphs: c2 and three more chains (G), joined in graphs */
#define G "flow-classifier fa protocol udp destination-port 2002;"	\
	  "flow-classifier fb protocol udp destination-port 2003;"	\
	  "flow-classifier fd protocol udp destination-port 2004;"	\
	  "port-chain ca port-pair-group g2 flow-classifier fa;"	\
	  "port-chain cb port-pair-group g2 flow-classifier fb;"	\
	  "port-chain cd port-pair-group g2 flow-classifier fd;"
	{ G "service-graph sg branching-point c2:ca,cb branching-point ca:cd "
	  "branching-point cb:cd", NULL },
	{ "service-graph sg", "service graph sg: missing branching-point" },
	{ G "service-graph sg branching-point c2",
	  "bad branching point 'c2': expected SRC:DST[,DST...]" },
	{ G "service-graph sg branching-point c2:",
	  "bad branching point 'c2:': expected SRC:DST[,DST...]" },
	{ G "service-graph sg branching-point c2:nope",
	  "service graph sg: branching-point: unknown port chain nope" },
	{ G "service-graph sg branching-point ca:cb branching-point cb:cd "
	  "branching-point cd:ca",
	  "service graph sg has a cycle through port chain ca" },
	{ G "service-graph sg branching-point ca:ca",
	  "service graph sg: port chain ca branches to itself" },
	{ G "service-graph sg branching-point ca:cb,cb",
	  "service graph sg: port chain cb is a destination of ca twice" },
	{ G "service-graph sg branching-point ca:cb;"
	  "service-graph sh branching-point cb:cd",
	  "port chain cb is in service graphs sg and sh: a chain may be in one graph only" },
	{ G "service-graph sg branching-point c1:ca",
	  "service graph sg: port chain c1 is symmetric: chains in a graph are forward only" },
	{ G "port-chain ce port-pair-group g2; service-graph sg branching-point ca:ce",
	  "service graph sg: destination port chain ce has no flow classifiers" },
	{ G "port v8 dev h8; port-pair pp8 ingress v8 egress v8 correlation mpls;"
	  "port-pair-group g8 port-pair pp8; flow-classifier fm protocol udp;"
	  "port-chain cm port-pair-group g8 correlation mpls flow-classifier fm;"
	  "service-graph sg branching-point ca:cm",
	  "service graph sg: port chains ca and cm differ in correlation: a graph has one" },
	{ G "flow-classifier fb protocol udp destination-port 2002;"
	  "service-graph sg branching-point c2:ca,cb",
	  "service graph sg: at branching point c2, port chains ca and cb classify the same traffic (flow classifiers fa and fb)" },
#undef G
	/* across hosts: remote ports, keys, the tunnel */
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port r2 remote 192.0.2.2 key 43 vni 7; port app1 key 41;"
	  "port-pair ppr ingress r1 egress r2; port-pair-group g2 port-pair ppr",
	  NULL },
	{ "tunnel t0 dev gnv0 vni 0 option-class 65535 option-type 127", NULL },
	/* a remote workload's MAC: where chains to it are delivered */
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42 mac 02:00:00:00:00:42",
	  NULL },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42 mac 02:00:00:00:00:01",
	  "ports app1 and r1 have the same mac 02:00:00:00:00:01" },
	{ "port r1 remote 192.0.2.2 key 42",
	  "port r1 is remote: no tunnel to reach it (sfcctl tunnel add NAME dev DEV)" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2",
	  "port r1: a remote port needs a key" },
	{ "tunnel t0 dev gnv0; port r1 key 5",
	  "port r1: missing dev (a device on this host) or remote" },
	{ "tunnel t0 dev gnv0; port r1 dev h9 remote 192.0.2.2 key 5",
	  "port r1: dev and remote both given" },
	{ "port app1 vni 5", "port app1: vni is for remote ports" },
	{ "tunnel t0 dev gnv0; port app1 key 5; port app2 key 5",
	  "ports app1 and app2 have the same key 5" },
	{ "tunnel t0 dev gnv0; tunnel t1 dev gnv1",
	  "tunnels t0 and t1: a host has one tunnel" },
	{ "tunnel t0 dev h1", "port app1: device h1 is tunnel t0's" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port r2 remote 192.0.2.3 key 43; port-pair ppr ingress r1 egress r2",
	  "port pair ppr: ingress r1 and egress r2 are on different hosts" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port-pair ppr ingress r1 egress v3",
	  "port pair ppr: ingress r1 and egress v3 are on different hosts" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port-pair ppr ingress r1 egress r1 correlation mpls",
	  "port pair ppr: remote: its correlation is configured on the host it lives on" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port-pair ppr ingress r1 egress r1; port-pair-group gr port-pair ppr health-check on",
	  "port pair group gr: health checks of remote pair ppr are not supported" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "port-pair ppr ingress r1 egress r1; port-pair-group gr port-pair ppr tap on",
	  "port pair group gr: remote pair ppr in a tap group (not supported)" },
	{ "tunnel t0 dev gnv0; port r1 remote 192.0.2.2 key 42;"
	  "flow-classifier fc1 logical-source-port r1",
	  "flow classifier fc1: logical-source-port r1 is remote: its own host classifies its traffic" },
	{ "tunnel t0 dev gnv0 option-type 128", "bad number '128': expected 0..127" },
	{ "tunnel t0 dev gnv0 option-class 65536",
	  "bad number '65536': expected 0..65535" },
	{ "tunnel t0 dev gnv0 vni 16777216",
	  "bad number '16777216': expected 0..16777215" },
	{ "port r1 remote 127.0.0.1 key 4",
	  "bad address '127.0.0.1': not a unicast IPv4 address" },
	{ "port r1 key 0", "bad number '0': expected 1..2147483647" },
	{ "port r1 key 2147483648", "bad number '2147483648': expected 1..2147483647" },
};

static void test_scripts(void)
{
	const struct script_case *t;
	struct sfc_config c;
	char err[512];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(script_cases); i++) {
		t = &script_cases[i];
		load_good(&c);
		ret = apply_script(&c, t->script, err, sizeof(err)) ?:
		      check(&c, err, sizeof(err));
		if (t->expect)
			expect_rejected(ret, err, t->expect, t->script);
		else
			TAP_CHECK(!ret, "accepts %s%s%s", t->script,
				  ret ? " # got: " : "", err);
		sfc_config_free(&c);
	}
}

/* Errors no command line can produce: the model is checked all the same. */
static void break_group_size(struct sfc_config *c)
{
	c->ppgs.v[0].nr_pairs = SFC_MAX_PAIRS + 1;
}

static void break_chain_length(struct sfc_config *c)
{
	c->chains.v[0].nr_ppgs = SFC_MAX_HOPS + 1;
}

static void break_range(struct sfc_config *c)
{
	c->fcs.v[0].dport_lo = 90;
	c->fcs.v[0].dport_hi = 80;
}

static void break_name(struct sfc_config *c)
{
	strcpy(c->pairs.v[1].name, "a b");
}

static void break_name_length(struct sfc_config *c)
{
	memset(c->ports.v[0].name, 'a', SFC_NAME_MAX);
}

static void break_weight(struct sfc_config *c)
{
	c->pairs.v[0].weight = 0;
}

static void break_chain_id(struct sfc_config *c)
{
	c->chains.v[1].chain_id = 0x1000000;
}

static void break_port_ids(struct sfc_config *c)
{
	c->ports.v[0].id = c->ports.v[1].id = 3;
}

static void break_ppg_id(struct sfc_config *c)
{
	c->ppgs.v[1].id = SFC_MAX_PPGS;
}

static void break_lb_fields(struct sfc_config *c)
{
	c->ppgs.v[0].lb_fields = SFC_LB_IP_SRC | 0x40;
}

static void break_fail_mode(struct sfc_config *c)
{
	c->ppgs.v[0].fail_mode = 7;
}

static void break_rise(struct sfc_config *c)
{
	c->ppgs.v[1].health.rise = 0;
}

static void break_probe(struct sfc_config *c)
{
	memset(c->ppgs.v[1].health.probe_dst, 0, 4);
}

/* One more port than the data plane has ids for. */
static void too_many_ports(struct sfc_config *c)
{
	char name[32], dev[32], err[256];
	struct sfc_cfg_port *p;
	int i;

	for (i = (int)c->ports.n; i < SFC_MAX_PORTS; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(dev, sizeof(dev), "d%d", i);
		p = sfc_cfg_add(c, SFC_KIND_PORT, name, err, sizeof(err));
		if (p)
			strcpy(p->dev, dev);
	}
}

static void too_many_ports_with_ids(struct sfc_config *c)
{
	size_t i;

	too_many_ports(c);
	for (i = 0; i < c->ports.n; i++)
		c->ports.v[i].id = (uint32_t)i + 1;
}

static const struct fn_case {
	const char *what;
	void (*breaks)(struct sfc_config *c);
	const char *expect;
} fn_cases[] = {
	{ "a group of 17 pairs", break_group_size,
	  "port pair group g1: port-pair: 17 entries (max 16)" },
	{ "a chain of 17 hops", break_chain_length,
	  "port chain c1: port-pair-group: 17 entries (max 16)" },
	{ "a range with lo > hi", break_range,
	  "flow classifier fc1: destination-port: bad port range '90-80'" },
	{ "an invalid name", break_name, "port pair: bad name 'a b'" },
	{ "a name without its NUL", break_name_length, "name too long" },
	{ "weight 0", break_weight,
	  "port pair pp1: weight: bad number '0': expected 1..65535" },
	{ "a chain id beyond 24 bits", break_chain_id,
	  "port chain c2: chain-id: bad number '16777216'" },
	{ "two ports with one id", break_port_ids,
	  "ports app1 and app2 have the same id 3" },
	{ "a group id beyond the data plane", break_ppg_id,
	  "port pair group g2: id: bad number '256': expected 1..255" },
	{ "lb_fields with a bit without a name", break_lb_fields,
	  "port pair group g1: lb-fields: bad lb field '0x44'" },
	{ "an unknown fail mode", break_fail_mode,
	  "port pair group g1: fail-mode: bad value '7'" },
	{ "rise 0", break_rise,
	  "port pair group g2: health-rise: bad number '0': expected 1..100" },
	{ "probe-dst 0.0.0.0", break_probe,
	  "port pair group g2: probe-dst: bad address '0.0.0.0': not a unicast" },
	{ "more ports than ids", too_many_ports,
	  "too many ports: the data plane holds 1023" },
	{ "more ports than the data plane holds", too_many_ports_with_ids,
	  "too many ports: 1024 (the data plane holds 1023)" },
};

static void test_model_errors(void)
{
	struct sfc_config c;
	char err[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fn_cases); i++) {
		load_good(&c);
		fn_cases[i].breaks(&c);
		expect_rejected(check(&c, err, sizeof(err)), err,
				fn_cases[i].expect, fn_cases[i].what);
		sfc_config_free(&c);
	}
}

static void test_name_parsing(void)
{
	char name[SFC_NAME_MAX + 8], dst[SFC_NAME_MAX], err[256];
	struct sfc_config c;

	sfc_config_init(&c);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	TAP_CHECK(!sfc_cfg_add(&c, SFC_KIND_PORT, name, err, sizeof(err)) &&
		  strstr(err, "is too long (max 63 characters)"),
		  "a 71-character name is refused: %s", err);
	TAP_CHECK(sfc_copy_name(dst, "-j", err, sizeof(err)) &&
		  strstr(err, "bad name '-j'"), "an option-like name is refused");
	TAP_CHECK(!c.ports.n, "nothing added");
	sfc_config_free(&c);
}

static const struct json_case {
	const char *json;
	const char *expect;
} json_cases[] = {
	{ "{\"ports\": [{\"name\": \"p\", \"device\": \"h1\", \"colour\": 1}]}",
	  "ports[0].colour: unknown key" },
	{ "{\"ports\": [{\"name\": \"p\", \"device\": 5}]}",
	  "ports[0].device: expected a string" },
	{ "{\"ports\": [{\"device\": \"h1\"}]}", "ports[0]: missing name" },
	{ "{\"ports\": [{\"name\": \"a b\", \"device\": \"h1\"}]}",
	  "ports[0].name: bad name 'a b'" },
	{ "{\"ports\": [{\"name\": \"p\", \"device\": \"h1\", \"mac\": \"01:00:5e:00:00:01\"}]}",
	  "ports[0].mac: bad mac '01:00:5e:00:00:01': not a unicast address" },
	{ "{\"ports\": [{\"name\": \"p\", \"device\": \"h1\", \"id\": 1024}]}",
	  "ports[0].id: bad number '1024': expected 1..1023" },
	{ "{\"ports\": {}}", "ports: expected an array" },
	{ "{\"flow_classifiers\": [{\"name\": \"a\"}, {\"name\": \"b\"},"
	  " {\"name\": \"c\", \"source_ip_prefix\": \"10.0.0.1/8\"}]}",
	  "flow_classifiers[2].source_ip_prefix: bad prefix '10.0.0.1/8'" },
	{ "{\"flow_classifiers\": [{\"name\": \"f\", \"protocol\": 300}]}",
	  "flow_classifiers[0].protocol: bad protocol '300'" },
	{ "{\"flow_classifiers\": [{\"name\": \"f\", \"protocol\": \"gre\"}]}",
	  "flow_classifiers[0].protocol: bad protocol 'gre'" },
	{ "{\"flow_classifiers\": [{\"name\": \"f\", \"ethertype\": \"IPX\"}]}",
	  "flow_classifiers[0].ethertype: bad value 'IPX': expected IPv4 or IPv6" },
	{ "{\"flow_classifiers\": [{\"name\": \"f\", \"source_port_range_min\": 65536}]}",
	  "flow_classifiers[0].source_port_range_min: bad port '65536'" },
	{ "{\"flow_classifiers\": [{\"name\": \"f\", \"priority\": 1.5}]}",
	  "flow_classifiers[0].priority: expected an integer" },
	{ "{\"port_pairs\": [{\"name\": \"pp\", \"service_function_parameters\":"
	  " {\"weight\": \"2\"}}]}",
	  "port_pairs[0].service_function_parameters.weight: expected an integer" },
	{ "{\"port_pairs\": [{\"name\": \"pp\", \"service_function_parameters\":"
	  " {\"weight\": 0}}]}",
	  "port_pairs[0].service_function_parameters.weight: bad number '0': expected 1..65535" },
	{ "{\"port_pairs\": [{\"name\": \"pp\", \"service_function_parameters\":"
	  " {\"colour\": 0}}]}",
	  "port_pairs[0].service_function_parameters.colour: unknown key" },
	{ "{\"port_pairs\": [{\"name\": \"pp\", \"service_function_parameters\": 1}]}",
	  "port_pairs[0].service_function_parameters: expected an object" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pairs\": [\"a\", 1]}]}",
	  "port_pair_groups[0].port_pairs[1]: expected a string" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"tap_enabled\": 1}]}",
	  "port_pair_groups[0].tap_enabled: expected a boolean" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"lb_fields\": \"ip_src&mac\"}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.lb_fields: bad lb field 'mac'" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"symmetric\": \"no\"}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.symmetric: expected a boolean" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"fail_mode\": \"half\"}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.fail_mode: bad value 'half': expected open or close" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"health_check\": {\"interval_ms\": \"1000\"}}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.health_check.interval_ms: expected an integer" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"health_check\": {\"fall\": 101}}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.health_check.fall: bad number '101': expected 1..100" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"health_check\": {\"probe_src\": \"10.0.0.256\"}}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.health_check.probe_src: bad address '10.0.0.256'" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"health_check\": {\"colour\": 1}}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.health_check.colour: unknown key" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"health_check\": true}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.health_check: expected an object" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"health_check\": {}}]}",
	  "port_pair_groups[0].health_check: unknown key" },
	{ "{\"port_pair_groups\": [{\"name\": \"g\", \"port_pair_group_parameters\":"
	  " {\"enabled\": true}}]}",
	  "port_pair_groups[0].port_pair_group_parameters.enabled: unknown key" },
	{ "{\"port_chains\": [{\"name\": \"c\", \"chain_parameters\":"
	  " {\"symmetric\": \"yes\"}}]}",
	  "port_chains[0].chain_parameters.symmetric: expected a boolean" },
	{ "{\"port_chains\": [{\"name\": \"c\", \"chain_parameters\":"
	  " {\"end\": \"bounce\"}}]}",
	  "port_chains[0].chain_parameters.end: bad value 'bounce': expected reinject or direct" },
	{ "{\"port_chains\": [{\"name\": \"c\", \"symmetric\": true}]}",
	  "port_chains[0].symmetric: unknown key" },
	{ "{\"version\": 2}", "version: version 2 is not supported" },
	{ "{\"generation\": -1}", "generation: bad number '-1'" },
	{ "{\"frobs\": []}", "frobs: unknown key" },
	{ "[]", "expected a JSON object" },
	{ "{\"ports\": [", "bad JSON at line 1 column 12: unexpected end" },
	{ "{\n\"ports\": [}", "bad JSON at line 2 column" },
	{ "{} {}", "bad JSON at line 1" },
	{ "{\"ports\": [],}", "bad JSON at line 1 column 14: unexpected character" },
};

static void test_json_errors(void)
{
	struct sfc_config c;
	char err[512];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(json_cases); i++) {
		err[0] = '\0';
		ret = sfc_config_from_text(json_cases[i].json,
					   strlen(json_cases[i].json), &c, err,
					   sizeof(err));
		expect_rejected(ret, err, json_cases[i].expect,
				json_cases[i].expect);
		if (!ret)
			sfc_config_free(&c);
	}
}

static void test_good_and_round_trip(void)
{
	struct sfc_config c, back;
	char *text, *again, err[512];

	load_good(&c);
	TAP_CHECK(!check(&c, err, sizeof(err)), "the good configuration is valid%s%s",
		  err[0] ? " # got: " : "", err);
	text = sfc_config_to_text(&c);
	TAP_CHECK(text && !sfc_config_from_text(text, strlen(text), &back, err,
						sizeof(err)),
		  "the export parses back%s%s", err[0] ? " # got: " : "", err);
	again = sfc_config_to_text(&back);
	TAP_CHECK(again && !strcmp(text, again),
		  "export -> parse -> export is byte-identical");
	TAP_CHECK(strstr(text, "\"destination_port_range_min\": 80") &&
		  !strstr(text, "\"source_port_range_min\"") &&
		  strstr(text, "\"protocol\": 132") &&
		  strstr(text, "\"protocol\": \"tcp\"") &&
		  strstr(text, "\"service_function_parameters\": {") &&
		  strstr(text, "\"symmetric\": true") &&
		  strstr(text, "\"end\": \"direct\"") &&
		  !strstr(text, "\"logical_destination_port\": \"\""),
		  "typed values, unset fields omitted");
	TAP_CHECK(strstr(text, "\"name\": \"app1\"") < strstr(text, "\"name\": \"app2\"") &&
		  strstr(text, "\"name\": \"fc2\"") < strstr(text, "\"name\": \"fc3\""),
		  "resources keep their order");
	free(text);
	free(again);
	sfc_config_free(&back);
	sfc_config_free(&c);
}

/* Every new group field away from its default, in networking-sfc's form. */
static const char lb_json[] =
	"{ \"port_pair_groups\": [\n"
	"    { \"name\": \"g1\", \"port_pairs\": [ \"pp1\" ], \"tap_enabled\": true,\n"
	"      \"port_pair_group_parameters\": {\n"
	"        \"lb_fields\": \"udp_dst,eth_src&ip_dst\", \"symmetric\": false,\n"
	"        \"fail_mode\": \"open\", \"health_check\": { \"enabled\": true,\n"
	"          \"interval_ms\": 2000, \"timeout_ms\": 300, \"rise\": 4,\n"
	"          \"fall\": 5, \"probe_src\": \"192.0.2.1\",\n"
	"          \"probe_dst\": \"192.0.2.2\" } } },\n"
	"    { \"name\": \"g2\", \"port_pairs\": [ \"pp1\" ],\n"
	"      \"port_pair_group_parameters\": {\n"
	"        \"lb_fields\": \"tcp_dst&udp_src&ip_dst&ip_src\", \"symmetric\": true,\n"
	"        \"fail_mode\": \"close\", \"health_check\": { \"enabled\": false,\n"
	"          \"interval_ms\": 1000, \"timeout_ms\": 500, \"rise\": 2,\n"
	"          \"fall\": 3, \"probe_src\": \"169.254.255.1\",\n"
	"          \"probe_dst\": \"169.254.255.2\" } } },\n"
	"    { \"name\": \"g3\", \"port_pairs\": [ \"pp1\" ],\n"
	"      \"port_pair_group_parameters\": { \"lb_fields\": \"\",\n"
	"        \"health_check\": { \"rise\": 7 } } } ] }\n";

/* What g1 of lb_json exports: canonical lb_fields, keys in table order. */
static const char lb_export[] =
	"      \"tap_enabled\": true,\n"
	"      \"port_pair_group_parameters\": {\n"
	"        \"lb_fields\": \"eth_src&ip_dst&tcp_dst\",\n"
	"        \"symmetric\": false,\n"
	"        \"fail_mode\": \"open\",\n"
	"        \"health_check\": {\n"
	"          \"enabled\": true,\n"
	"          \"interval_ms\": 2000,\n"
	"          \"timeout_ms\": 300,\n"
	"          \"rise\": 4,\n"
	"          \"fall\": 5,\n"
	"          \"probe_src\": \"192.0.2.1\",\n"
	"          \"probe_dst\": \"192.0.2.2\"\n"
	"        }\n"
	"      }\n";

static void test_group_fields(void)
{
	static const uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 192, 0, 2, 2 };
	struct sfc_config c, back;
	const struct sfc_cfg_ppg *g;
	char *text, *again, err[512] = "";
	const char *g2, *g3;

	TAP_CHECK(!sfc_config_from_text(lb_json, strlen(lb_json), &c, err,
					 sizeof(err)),
		  "group fields parse%s%s", err[0] ? " # got: " : "", err);
	g = &c.ppgs.v[0];
	TAP_CHECK(g->tap && g->asymmetric && g->fail_mode == SFC_FAIL_OPEN &&
		  g->lb_fields == (SFC_LB_ETH_SRC | SFC_LB_IP_DST | SFC_LB_L4_DST) &&
		  g->health.enabled && g->health.interval_ms == 2000 &&
		  g->health.timeout_ms == 300 && g->health.rise == 4 &&
		  g->health.fall == 5 && !memcmp(g->health.probe_src, src, 4) &&
		  !memcmp(g->health.probe_dst, dst, 4),
		  "... into the model (udp_dst is the L4 destination bit)");
	TAP_CHECK(!c.ppgs.v[1].lb_fields && !c.ppgs.v[2].lb_fields &&
		  c.ppgs.v[2].health.rise == 7 &&
		  c.ppgs.v[2].health.interval_ms == SFC_PPG_HEALTH_INTERVAL_MS,
		  "the default lb fields, spelt out or empty, are 0; omitted fields get defaults");
	text = sfc_config_to_text(&c);
	TAP_CHECK(text && strstr(text, lb_export),
		  "exported in canonical form and table order");
	g2 = text ? strstr(text, "\"name\": \"g2\"") : NULL;
	g3 = g2 ? strstr(g2, "\"name\": \"g3\"") : NULL;
	TAP_CHECK(g3 && strstr(g2, "port_pair_group_parameters") > g3 &&
		  strstr(g3, "\"health_check\": {\n          \"rise\": 7\n        }"),
		  "defaults are left out (g2 exports no parameters, g3 only rise)");
	TAP_CHECK(text && !sfc_config_from_text(text, strlen(text), &back, err,
						sizeof(err)),
		  "the export parses back%s%s", err[0] ? " # got: " : "", err);
	again = sfc_config_to_text(&back);
	TAP_CHECK(again && text && !strcmp(text, again),
		  "export -> parse -> export is byte-identical");
	free(text);
	free(again);
	sfc_config_free(&back);
	sfc_config_free(&c);
}

static void test_group_defaults(void)
{
	struct sfc_cfg_ppg *g, d;
	struct sfc_config c;
	char err[256], *text;

	sfc_config_init(&c);
	g = sfc_cfg_add(&c, SFC_KIND_PPG, "g", err, sizeof(err));
	TAP_CHECK(g && !g->lb_fields && !g->asymmetric && !g->tap &&
		  g->fail_mode == SFC_FAIL_CLOSE && !g->health.enabled &&
		  g->health.interval_ms == 1000 && g->health.timeout_ms == 500 &&
		  g->health.rise == 2 && g->health.fall == 3 &&
		  !memcmp(g->health.probe_src, "\xa9\xfe\xff\x01", 4) &&
		  !memcmp(g->health.probe_dst, "\xa9\xfe\xff\x02", 4),
		  "a new group has the defaults");
	memset(&d, 0x5a, sizeof(d));
	sfc_cfg_ppg_defaults(&d);
	TAP_CHECK(g && !d.lb_fields && !d.asymmetric && !d.tap &&
		  d.fail_mode == g->fail_mode &&
		  d.health.enabled == g->health.enabled &&
		  d.health.interval_ms == g->health.interval_ms &&
		  d.health.timeout_ms == g->health.timeout_ms &&
		  d.health.rise == g->health.rise &&
		  d.health.fall == g->health.fall &&
		  !memcmp(d.health.probe_src, g->health.probe_src, 4) &&
		  !memcmp(d.health.probe_dst, g->health.probe_dst, 4),
		  "sfc_cfg_ppg_defaults sets every field to them");
	text = sfc_config_to_text(&c);
	TAP_CHECK(text && !strstr(text, "tap_enabled") &&
		  !strstr(text, "port_pair_group_parameters"),
		  "and exports none of them");
	free(text);
	sfc_config_free(&c);
}

static void test_lb_fields(void)
{
	char buf[SFC_VALUE_MAX], err[256];
	uint32_t v = 99;

	TAP_CHECK(!sfc_lb_fields_parse("", &v, err, sizeof(err)) && !v,
		  "lb fields: empty is the default (0)");
	TAP_CHECK(!sfc_lb_fields_parse("udp_src,udp_dst,ip_dst,IP_SRC", &v, err,
				       sizeof(err)) && !v,
		  "lb fields: the 5-tuple in any order and spelling is 0");
	TAP_CHECK(!sfc_lb_fields_parse("eth_dst&tcp_src&udp_src", &v, err,
				       sizeof(err)) &&
		  v == (SFC_LB_ETH_DST | SFC_LB_L4_SRC),
		  "lb fields: tcp_src and udp_src are one bit");
	v = 5;
	TAP_CHECK(sfc_lb_fields_parse("ip_src&&ip_dst", &v, err, sizeof(err)) &&
		  v == 5 && strstr(err, "bad lb field ''"),
		  "lb fields: an empty name is refused, the value kept");
	TAP_CHECK(!sfc_lb_fields_format(0, buf, sizeof(buf)) &&
		  !strcmp(buf, "ip_src&ip_dst&tcp_src&tcp_dst"),
		  "lb fields: 0 formats as the default set");
	TAP_CHECK(!sfc_lb_fields_format(SFC_LB_L4_DST | SFC_LB_ETH_SRC, buf,
					sizeof(buf)) &&
		  !strcmp(buf, "eth_src&tcp_dst"),
		  "lb fields: canonical order");
	TAP_CHECK(sfc_lb_fields_format(0x80, buf, sizeof(buf)) == -EINVAL &&
		  sfc_lb_fields_format(SFC_LB_ETH_SRC | SFC_LB_ETH_DST, buf, 8) ==
		  -ENOSPC, "lb fields: unknown bits, short buffer");
	TAP_CHECK(!strcmp(sfc_lb_field_name(SFC_LB_L4_SRC), "tcp_src") &&
		  !sfc_lb_field_name(0x80), "lb fields: names of bits");
}

static void test_ids(void)
{
	struct sfc_config c, old;
	char err[512];
	struct sfc_cfg_port *p;

	load_good(&c);
	c.ports.v[1].id = 1;	/* app2 asks for 1, the others get 2, 3, ... */
	c.ports.v[3].id = 3;
	TAP_CHECK(!sfc_config_assign_ids(&c, err, sizeof(err)), "ids assigned");
	TAP_CHECK(c.ports.v[1].id == 1 && c.ports.v[3].id == 3 &&
		  c.ports.v[0].id == 2 && c.ports.v[2].id == 4 &&
		  c.ports.v[4].id == 5, "given ids kept, others lowest free");
	TAP_CHECK(c.chains.v[0].chain_id == 7 && c.chains.v[0].id == 1 &&
		  c.chains.v[1].id == 2, "chain ids kept, indexes assigned");
	sfc_cfg_remove(&c, SFC_KIND_PORT, 0);
	p = sfc_cfg_add(&c, SFC_KIND_PORT, "p9", err, sizeof(err));
	strcpy(p->dev, "h9");
	TAP_CHECK(!sfc_config_assign_ids(&c, err, sizeof(err)) && p->id == 2 &&
		  c.ports.v[0].id == 1, "a new port reuses the freed id, others keep theirs");

	/* A file applied without ids keeps those of its namesakes. */
	sfc_config_copy(&old, &c);
	sfc_config_free(&c);
	load_good(&c);
	c.chains.v[0].chain_id = 0;
	sfc_config_inherit_ids(&c, &old);
	TAP_CHECK(c.ports.v[1].id == 1 && c.ports.v[0].id == 0 &&
		  c.chains.v[0].chain_id == 7 && c.ppgs.v[0].id == old.ppgs.v[0].id,
		  "inherited ids by name (app1 was deleted: none)");
	sfc_config_free(&old);
	sfc_config_free(&c);
}

static void test_state(void)
{
	char dir[] = "/tmp/sfc-test-state.XXXXXX", err[512];
	char sub[64], file[96], tmp[128], cmd[96];
	struct sfc_state st, st2;
	struct sfc_config c;
	struct stat sb;
	char *a, *b;

	if (!mkdtemp(dir)) {
		tap_result(0, "mkdtemp");
		return;
	}
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(file, sizeof(file), "%s/config.json", sub);
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	TAP_CHECK(!sfc_state_begin(file, SFC_LOCK_EXCLUSIVE, &st) &&
		  !st.cfg.ports.n, "a missing state file is an empty configuration");
	TAP_CHECK(stat(file, &sb) && errno == ENOENT,
		  "begin does not create the file");
	TAP_CHECK(!stat(sub, &sb) && (sb.st_mode & 0777) == 0700,
		  "its directory is created 0700");
	load_good(&c);
	check(&c, err, sizeof(err));
	TAP_CHECK(!sfc_state_save(&st, &c), "save");
	TAP_CHECK(!stat(file, &sb) && (sb.st_mode & 0777) == 0600,
		  "the state file is 0600");
	TAP_CHECK(stat(tmp, &sb) && errno == ENOENT, "no temporary file left");
	sfc_state_end(&st);

	TAP_CHECK(!sfc_state_begin(file, SFC_LOCK_SHARED, &st) &&
		  !sfc_state_begin(file, SFC_LOCK_SHARED, &st2),
		  "two readers share the lock");
	a = sfc_config_to_text(&c);
	b = sfc_config_to_text(&st.cfg);
	TAP_CHECK(a && b && !strcmp(a, b), "what was saved loads back");
	free(a);
	free(b);
	sfc_state_end(&st2);
	sfc_state_end(&st);
	sfc_config_free(&c);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	TAP_CHECK(!system(cmd), "cleanup");
}

/* Remote ports and the tunnel: JSON names, defaults left out, round trip. */
static const char remote_json[] =
	"{ \"ports\": [\n"
	"    { \"name\": \"app1\", \"device\": \"h1\", \"port_key\": 41 },\n"
	"    { \"name\": \"app2\", \"remote_ip\": \"192.0.2.2\", \"port_key\": 42 },\n"
	"    { \"name\": \"vnf\", \"remote_ip\": \"192.0.2.2\", \"port_key\": 43,\n"
	"      \"vni\": 5000 } ],\n"
	"  \"tunnels\": [ { \"name\": \"t0\", \"device\": \"gnv0\", \"vni\": 100,\n"
	"      \"geneve_option\": { \"class\": 65521 } } ] }\n";

static void test_remote(void)
{
	static const uint8_t ip[4] = { 192, 0, 2, 2 };
	struct sfc_config c, back;
	char *text = NULL, *again = NULL, err[512] = "";
	const struct sfc_cfg_tunnel *t;

	TAP_CHECK(!sfc_config_from_text(remote_json, strlen(remote_json), &c,
					 err, sizeof(err)) &&
		  !check(&c, err, sizeof(err)),
		  "remote ports and a tunnel parse and validate%s%s",
		  err[0] ? " # got: " : "", err);
	t = c.tunnels.n ? &c.tunnels.v[0] : NULL;
	TAP_CHECK(t && t->vni == 100 && t->opt_class == 0xfff1 &&
		  t->opt_type == 1 && t->dstport == 6081,
		  "tunnel: given values and defaults (type 1, dstport 6081)");
	TAP_CHECK(c.ports.n == 3 && !sfc_cfg_port_is_remote(&c.ports.v[0]) &&
		  c.ports.v[0].key == 41 && sfc_cfg_port_is_remote(&c.ports.v[1]) &&
		  !memcmp(c.ports.v[1].remote, ip, 4) && c.ports.v[1].key == 42 &&
		  !c.ports.v[1].dev[0] && c.ports.v[2].vni == 5000,
		  "ports: local with key, remote with address, key and vni");
	text = sfc_config_to_text(&c);
	TAP_CHECK(text && !sfc_config_from_text(text, strlen(text), &back, err,
						sizeof(err)) &&
		  (again = sfc_config_to_text(&back)) && !strcmp(text, again),
		  "export -> parse -> export is byte-identical%s%s",
		  err[0] ? " # got: " : "", err);
	TAP_CHECK(text && strstr(text, "\"remote_ip\": \"192.0.2.2\"") &&
		  strstr(text, "\"port_key\": 42") && strstr(text, "\"class\": 65521") &&
		  !strstr(text, "\"type\"") && !strstr(text, "\"dstport\"") &&
		  !strstr(text, "\"device\": \"\"") && !strstr(text, "\"remote_ip\": \"0.0.0.0\""),
		  "export: remote fields as given, defaults and empty fields left out");
	free(text);
	free(again);
	sfc_config_free(&back);
	sfc_config_free(&c);
}

/* A graph survives export and import, and holds its chains' groups. */
static void test_graphs(void)
{
	static const char script[] =
		"flow-classifier fa protocol udp destination-port 2002;"
		"flow-classifier fb protocol udp destination-port 2003;"
		"port-chain ca port-pair-group g2 flow-classifier fa;"
		"port-chain cb port-pair-group g2 flow-classifier fb;"
		"service-graph sg branching-point c2:ca,cb";
	struct sfc_config c, back, next;
	const struct sfc_cfg_graph *g;
	char *text, *again, err[512];
	bool src, dst;

	load_good(&c);
	err[0] = '\0';
	TAP_CHECK(!apply_script(&c, script, err, sizeof(err)) &&
		  !check(&c, err, sizeof(err)), "a graph c2 -> {ca, cb} is valid%s%s",
		  err[0] ? " # got: " : "", err);
	text = sfc_config_to_text(&c);
	TAP_CHECK(text && strstr(text, "\"service_graphs\": [") &&
		  strstr(text, "\"c2:ca\",") && strstr(text, "\"c2:cb\""),
		  "exported as branching_points, one edge per string");
	TAP_CHECK(text && !sfc_config_from_text(text, strlen(text), &back, err,
						sizeof(err)),
		  "the export parses back%s%s", err[0] ? " # got: " : "", err);
	again = sfc_config_to_text(&back);
	TAP_CHECK(again && !strcmp(text, again), "graph export round trip is identical");
	g = sfc_cfg_graph_of(&back, "cb", &src, &dst);
	TAP_CHECK(g && !strcmp(g->name, "sg") && !src && dst &&
		  sfc_cfg_graph_of(&back, "c2", &src, &dst) && src && !dst &&
		  !sfc_cfg_graph_of(&back, "c1", &src, &dst),
		  "sfc_cfg_graph_of tells sources from destinations");

	sfc_config_copy(&next, &c);
	apply_script(&next, "port-chain ca port-pair-group g1", err, sizeof(err));
	expect_rejected(check(&next, err, sizeof(err)) ?:
			sfc_config_check_graph_change(&c, &next, err, sizeof(err)),
			err, "port chain ca is used by service graph sg: its port pair groups cannot change",
			"changing the groups of a chain in a graph");
	sfc_config_free(&next);
	sfc_config_copy(&next, &c);
	apply_script(&next, "port-chain ca flow-classifier fa", err, sizeof(err));
	TAP_CHECK(!sfc_config_check_graph_change(&c, &next, err, sizeof(err)),
		  "other changes to a chain in a graph are fine");
	sfc_config_free(&next);
	free(text);
	free(again);
	sfc_config_free(&back);
	sfc_config_free(&c);
}

int main(void)
{
	test_graphs();
	test_remote();
	test_good_and_round_trip();
	test_scripts();
	test_model_errors();
	test_name_parsing();
	test_json_errors();
	test_group_fields();
	test_group_defaults();
	test_lb_fields();
	test_ids();
	test_state();
	return tap_finish();
}
