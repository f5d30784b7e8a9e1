// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test of the tuple-space classifier (user/lib/tss.c,
 * bpf/lib/classify.h). Random rule sets of mixed shapes -- IPv4 and IPv6
 * prefixes of many lengths, port ranges (single ports, aligned and
 * unaligned ranges, both ports at once), protocols, logical destination
 * ports, rules for one source port or for any -- and random packets drawn
 * near those rules. For every packet, the data plane (BPF_PROG_TEST_RUN
 * of sfc_tc_ingress with the classification cache compiled out, so every
 * packet walks the tuples) must pick the chain a plain reference matcher
 * picks: every rule of the packet's list and of list 0 checked in full,
 * the lowest rank wins. The other slot is filled with a different rule
 * set that must never be seen, and each set replaces the previous one in
 * the same slot (stale entries must be gone).
 *
 *   test_classifier [SEED]   (a fixed seed by default: runs repeat)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uapi/sfc_maps.h"	/* types of the skeleton's globals */
#include "dp_test.h"
#include "tap.h"

#define NR_CHAINS	8
#define NR_EDGES	3		/* port ids 1..3 at ifindex 11..13 */
#define EDGE_IFINDEX(p)	(10 + (p))
#define PAIR_IFINDEX(c)	(100 + (c))	/* chain c's one VNF */
#define GEN		3		/* live generation: slot 1 */
#define SETS		60
#define PKTS_PER_SET	400
#define MAX_SET_RULES	160

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

/* Bytes from a small alphabet, so that rules and packets overlap often. */
static uint8_t addr_byte(void)
{
	static const uint8_t alphabet[] = { 0, 1, 2, 10, 0x80, 0xfe, 0xff };

	return below(4) ? alphabet[below(sizeof(alphabet))] : (uint8_t)rnd();
}

static uint16_t port_value(void)
{
	static const uint16_t alphabet[] = {
		0, 1, 2, 79, 80, 81, 443, 1023, 1024, 1025, 5201, 32767,
		32768, 49152, 65534, 65535,
	};

	return below(3) ? alphabet[below(sizeof(alphabet) / 2)] : (uint16_t)rnd();
}

static void random_range(uint16_t *lo, uint16_t *hi)
{
	uint16_t a = port_value(), b = port_value();

	switch (below(10)) {
	case 0: case 1: case 2: case 3:
		*lo = 0, *hi = 0xffff;		/* any */
		return;
	case 4: case 5:
		*lo = *hi = a;			/* one port */
		return;
	case 6:				/* an aligned block */
		b = (uint16_t)((1u << below(12)) - 1);
		*lo = a & (uint16_t)~b;
		*hi = *lo | b;
		return;
	default:
		*lo = a < b ? a : b;
		*hi = a < b ? b : a;
	}
}

static void prefix_mask(int family, unsigned int len, __be32 *mask)
{
	unsigned int w, bits;

	memset(mask, 0, 16);
	for (w = 0; w < (family == 4 ? 1u : 4u); w++) {
		bits = len > w * 32 ? len - w * 32 : 0;
		if (bits > 32)
			bits = 32;
		mask[w] = bits ? htonl(~0u << (32 - bits)) : 0;
	}
}

static void random_addr(int family, __be32 *a)
{
	uint8_t *b = (uint8_t *)a;
	int i;

	memset(a, 0, 16);
	for (i = 0; i < (family == 4 ? 4 : 16); i++)
		b[i] = addr_byte();
}

static void random_prefix(int family, __be32 *net, __be32 *mask)
{
	static const uint8_t v4[] = { 0, 1, 7, 8, 12, 16, 20, 23, 24, 25, 28, 31, 32 };
	static const uint8_t v6[] = { 0, 16, 32, 48, 56, 63, 64, 65, 96, 120, 127, 128 };
	unsigned int len = family == 4 ? v4[below(sizeof(v4))] : v6[below(sizeof(v6))];
	int w;

	random_addr(family, net);
	prefix_mask(family, len, mask);
	for (w = 0; w < 4; w++)
		net[w] &= mask[w];
}

static void random_rule(struct sfc_listed_rule *lr, __u32 rank)
{
	static const uint8_t protos[] = { 0, 0, 0, IPPROTO_TCP, IPPROTO_UDP,
					  IPPROTO_ICMP, IPPROTO_ICMPV6 };
	struct sfc_rule *r = &lr->r;
	unsigned int f = below(20);

	memset(lr, 0, sizeof(*lr));
	r->rank = rank;
	r->chain = (__u16)(1 + below(NR_CHAINS));
	r->family = f < 4 ? 0 : f < 13 ? 4 : 6;
	r->proto = protos[below(sizeof(protos))];
	r->dst_port_id = below(4) ? 0 : (__u16)(2 + below(3));
	random_range(&r->sport_lo, &r->sport_hi);
	random_range(&r->dport_lo, &r->dport_hi);
	if (r->family && below(4))
		random_prefix(r->family, r->src, r->src_mask);
	if (r->family && below(4))
		random_prefix(r->family, r->dst, r->dst_mask);
	lr->list = below(2) ? 0 : 1 + below(NR_EDGES);
}

/*
 * The match of an earlier rule for another port's list, or for any port:
 * keys shared by lists (sfc_class_more, and list 0 beside a port's).
 */
static void same_match(struct sfc_listed_rule *lr, const struct sfc_listed_rule *of)
{
	__u32 rank = lr->r.rank;
	__u16 chain = lr->r.chain;

	lr->r = of->r;
	lr->r.rank = rank;
	lr->r.chain = chain;
	lr->list = below(4) ? 1 + (of->list + below(NR_EDGES - 1)) % NR_EDGES : 0;
}

/* A packet as the reference sees it, and what the frame carries. */
struct test_pkt {
	int family;
	uint8_t proto;
	bool frag;		/* IPv4 non-first fragment: no ports */
	__be32 saddr[4], daddr[4];
	uint16_t sport, dport;
	__u32 port;		/* source port id (list) */
	__u32 dst_port_id;	/* from the destination MAC, 0 none */
};

static bool has_l4(const struct test_pkt *p)
{
	return !p->frag && (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP);
}

/* An address inside the rule's prefix, host bits random. */
static void addr_in(int family, const __be32 *net, const __be32 *mask, __be32 *out)
{
	int w;

	random_addr(family, out);
	for (w = 0; w < 4; w++)
		out[w] = (out[w] & ~mask[w]) | net[w];
}

static uint16_t port_in(uint16_t lo, uint16_t hi)
{
	if (below(4) == 0)
		return port_value();
	if (below(3) == 0)
		return below(2) ? lo : hi;
	return (uint16_t)(lo + below((uint32_t)hi - lo + 1));
}

static void random_packet(const struct sfc_listed_rule *rules, int n,
			  struct test_pkt *p)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP,
					  IPPROTO_TCP, IPPROTO_ICMP, 47 };
	const struct sfc_rule *r = n ? &rules[below((uint32_t)n)].r : NULL;

	memset(p, 0, sizeof(*p));
	p->family = r && r->family ? r->family : (below(2) ? 4 : 6);
	p->proto = protos[below(sizeof(protos))];
	if (p->family == 6 && p->proto == IPPROTO_ICMP)
		p->proto = IPPROTO_ICMPV6;
	if (r && r->proto && below(4))
		p->proto = r->proto;
	p->frag = p->family == 4 && below(10) == 0;
	if (r && below(5)) {	/* near a rule: inside its prefixes and ranges */
		addr_in(p->family, r->src, r->src_mask, p->saddr);
		addr_in(p->family, r->dst, r->dst_mask, p->daddr);
		p->sport = port_in(r->sport_lo, r->sport_hi);
		p->dport = port_in(r->dport_lo, r->dport_hi);
		p->dst_port_id = below(3) ? r->dst_port_id : 0;
	} else {
		random_addr(p->family, p->saddr);
		random_addr(p->family, p->daddr);
		p->sport = port_value();
		p->dport = port_value();
		p->dst_port_id = below(2) ? 0 : 2 + below(3);
	}
	if (!has_l4(p))
		p->sport = p->dport = 0;	/* what the parser leaves */
	p->port = 1 + below(NR_EDGES);
}

/* The reference: a rule as networking-sfc states it, checked in full. */
static bool ref_matches(const struct sfc_rule *r, const struct test_pkt *p)
{
	bool any_s = r->sport_lo == 0 && r->sport_hi == 0xffff;
	bool any_d = r->dport_lo == 0 && r->dport_hi == 0xffff;
	int w;

	if (r->family && r->family != p->family)
		return false;
	if (r->proto && r->proto != p->proto)
		return false;
	if (r->dst_port_id && r->dst_port_id != p->dst_port_id)
		return false;
	if (!any_s && (!has_l4(p) || p->sport < r->sport_lo || p->sport > r->sport_hi))
		return false;
	if (!any_d && (!has_l4(p) || p->dport < r->dport_lo || p->dport > r->dport_hi))
		return false;
	for (w = 0; w < 4; w++)
		if ((p->saddr[w] & r->src_mask[w]) != r->src[w] ||
		    (p->daddr[w] & r->dst_mask[w]) != r->dst[w])
			return false;
	return true;
}

/* The chain of the lowest-ranked match in the packet's list or list 0. */
static int ref_classify(const struct sfc_listed_rule *rules, int n,
			const struct test_pkt *p)
{
	__u32 best = UINT32_MAX;
	int chain = -1, i;

	for (i = 0; i < n; i++) {
		if (rules[i].list != 0 && rules[i].list != p->port)
			continue;
		if (rules[i].r.rank < best && ref_matches(&rules[i].r, p)) {
			best = rules[i].r.rank;
			chain = rules[i].r.chain;
		}
	}
	return chain;
}

static const uint8_t src_mac[6] = { 2, 0, 0, 0, 0, 1 };

static void dst_mac(__u32 port_id, uint8_t *mac)
{
	static const uint8_t base[6] = { 2, 0, 0, 0, 0, 0 };

	memcpy(mac, base, 6);
	mac[5] = port_id ? (uint8_t)port_id : 0x99;	/* 0x99: no port's */
}

/* Ethernet + IPv4/IPv6 + TCP/UDP/ICMP header + 8 bytes of payload. */
static size_t build_frame(const struct test_pkt *p, uint8_t *f)
{
	size_t l4 = p->proto == IPPROTO_TCP ? 20 : 8, l3, off = 14;

	memset(f, 0, 128);
	dst_mac(p->dst_port_id, f);
	memcpy(f + 6, src_mac, 6);
	if (p->family == 4) {
		l3 = 20;
		f[12] = 0x08, f[13] = 0x00;
		f[off] = 0x45;
		f[off + 2] = (uint8_t)((l3 + l4 + 8) >> 8);
		f[off + 3] = (uint8_t)(l3 + l4 + 8);
		if (p->frag)
			f[off + 7] = 0x10;	/* fragment offset 16 x 8 bytes */
		f[off + 8] = 64;
		f[off + 9] = p->proto;
		memcpy(f + off + 12, p->saddr, 4);
		memcpy(f + off + 16, p->daddr, 4);
	} else {
		l3 = 40;
		f[12] = 0x86, f[13] = 0xdd;
		f[off] = 0x60;
		f[off + 4] = (uint8_t)((l4 + 8) >> 8);
		f[off + 5] = (uint8_t)(l4 + 8);
		f[off + 6] = p->proto;
		f[off + 7] = 64;
		memcpy(f + off + 8, p->saddr, 16);
		memcpy(f + off + 24, p->daddr, 16);
	}
	off += l3;
	f[off] = (uint8_t)(p->sport >> 8), f[off + 1] = (uint8_t)p->sport;
	f[off + 2] = (uint8_t)(p->dport >> 8), f[off + 3] = (uint8_t)p->dport;
	if (p->proto == IPPROTO_TCP)
		f[off + 12] = 0x50, f[off + 13] = 0x10;	/* doff 5, ACK */
	else if (p->proto == IPPROTO_UDP)
		f[off + 5] = (uint8_t)(l4 + 8);
	return off + l4 + 8;
}

static int put(struct bpf_map *m, const void *k, const void *v)
{
	return bpf_map_update_elem(bpf_map__fd(m), k, v, BPF_ANY) ? -errno : 0;
}

/* Edge ports, one single-VNF chain per chain index, MACs of ports 2..4. */
static int setup_topology(struct sfc_tc *skel)
{
	struct sfc_global g = { .generation = GEN, .mark_mask = SFC_MARK_MASK_DEFAULT,
				.mark_done = SFC_MARK_DONE_DEFAULT,
				.mark_steer = SFC_MARK_STEER_DEFAULT,
				.flags = SFC_GLOBAL_F_DST_PORTS };
	static struct sfc_ppg ppg;
	__u32 zero = 0, k, slot = GEN & 1;
	int err = put(skel->maps.sfc_global, &zero, &g), c;

	for (k = 1; !err && k <= NR_EDGES; k++) {
		struct sfc_port_key pk = { .ifindex = EDGE_IFINDEX(k) };
		struct sfc_port_val pv = { .port_id = k, .flags = SFC_PORT_F_WORKLOAD };

		err = put(skel->maps.sfc_ports, &pk, &pv);
	}
	for (k = 2; !err && k <= 4; k++) {
		struct sfc_mac_key mk = { 0 };
		struct sfc_mac_val mv = { .port_id = k };

		dst_mac(k, mk.addr);
		err = put(skel->maps.sfc_macs, &mk, &mv);
	}
	for (c = 1; !err && c <= NR_CHAINS; c++) {
		struct sfc_port_key pk = { .ifindex = PAIR_IFINDEX(c) };
		struct sfc_port_val pv = { .port_id = 100 + c, .flags = SFC_PORT_F_VNF };
		struct sfc_chain ch = { .generation = GEN, .chain_id = (__u32)c,
					.nr_hops = 1 };
		__u32 key = slot * SFC_MAX_CHAINS + (__u32)c;

		ch.hops[0] = (__u16)c;
		memset(&ppg, 0, sizeof(ppg));
		ppg.nr_pairs = 1;
		ppg.id = (__u32)c;
		ppg.pairs[0].ingress_ifindex = PAIR_IFINDEX(c);
		ppg.pairs[0].egress_ifindex = PAIR_IFINDEX(c);
		ppg.pairs[0].weight = 1;
		err = put(skel->maps.sfc_ports, &pk, &pv);
		if (!err)
			err = put(skel->maps.sfc_chains, &key, &ch);
		key = slot * SFC_MAX_PPGS + (__u32)c;
		if (!err)
			err = put(skel->maps.sfc_ppgs, &key, &ppg);
	}
	return err;
}

/* The chain the data plane picked: -1 none, -2 anything unexpected. */
static int dp_classify(struct sfc_tc *skel, const struct test_pkt *p)
{
	uint8_t frame[128], out[256];
	struct __sk_buff ctx = { .ingress_ifindex = EDGE_IFINDEX(p->port) };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame, .data_out = out, .data_size_out = sizeof(out),
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);
	__u32 ifx;

	opts.data_size_in = (__u32)build_frame(p, frame);
	skel->bss->sfc_test_redirect_ifindex = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.sfc_tc_ingress), &opts))
		return -2;
	if (opts.retval == TC_ACT_OK)
		return -1;
	ifx = skel->bss->sfc_test_redirect_ifindex;
	if (opts.retval != TC_ACT_REDIRECT || ifx <= PAIR_IFINDEX(0) ||
	    ifx > PAIR_IFINDEX(NR_CHAINS))
		return -2;
	return (int)(ifx - PAIR_IFINDEX(0));
}

static void print_rule(const struct sfc_listed_rule *lr)
{
	const struct sfc_rule *r = &lr->r;
	char s[64], d[64];
	int af = r->family == 6 ? AF_INET6 : AF_INET;

	inet_ntop(af, r->src, s, sizeof(s));
	inet_ntop(af, r->dst, d, sizeof(d));
	printf("#   rank %u list %u chain %u family %u proto %u dport_id %u sport %u-%u dport %u-%u src %s dst %s\n",
	       r->rank, lr->list, r->chain, r->family, r->proto, r->dst_port_id,
	       r->sport_lo, r->sport_hi, r->dport_lo, r->dport_hi, s, d);
}

static void print_pkt(const struct test_pkt *p)
{
	char s[64], d[64];
	int af = p->family == 6 ? AF_INET6 : AF_INET;

	inet_ntop(af, p->saddr, s, sizeof(s));
	inet_ntop(af, p->daddr, d, sizeof(d));
	printf("#   packet port %u family %d proto %u frag %d %s:%u -> %s:%u dst_port_id %u\n",
	       p->port, p->family, p->proto, p->frag, s, p->sport, d, p->dport,
	       p->dst_port_id);
}

/* A rule set and the tuple space it compiles to, written into slot. */
static unsigned long shared_keys;	/* sfc_class_more entries written */

static int random_set(struct sfc_tc *skel, struct sfc_listed_rule *rules,
		      int n, __u32 slot, size_t *tuples)
{
	struct sfc_tss tss;
	char err[256];
	int i, ret;
	__u32 *perm = calloc((size_t)n + 1, sizeof(*perm));

	if (!perm)
		return -ENOMEM;
	for (i = 0; i < n; i++)	/* distinct ranks in random order */
		perm[i] = (__u32)i;
	for (i = n - 1; i > 0; i--) {
		uint32_t j = below((uint32_t)i + 1), t = perm[i];

		perm[i] = perm[j], perm[j] = t;
	}
	for (i = 0; i < n; i++) {
		random_rule(&rules[i], perm[i] * 3 + 1);
		if (i && below(6) == 0)
			same_match(&rules[i], &rules[below((uint32_t)i)]);
	}
	free(perm);
	ret = sfc_tss_build(rules, (size_t)n, slot, &tss, err, sizeof(err));
	struct sfc_tss_maps maps = {
		.tuples_fd = bpf_map__fd(skel->maps.sfc_class_tuples),
		.rules_fd = bpf_map__fd(skel->maps.sfc_class_rules),
		.more_fd = bpf_map__fd(skel->maps.sfc_class_more),
	};

	if (!ret)
		ret = sfc_tss_write(&maps, &tss, slot, err, sizeof(err));
	if (ret && ret != -E2BIG)
		printf("# slot %u: %s\n", slot, err);
	*tuples = tss.table.count;
	if (!ret && slot == (GEN & 1))
		shared_keys += tss.nm;
	sfc_tss_free(&tss);
	return ret;
}

int main(int argc, char **argv)
{
	static struct sfc_listed_rule rules[MAX_SET_RULES], other[MAX_SET_RULES];
	unsigned long checked = 0, matched = 0, bad = 0, tuples_max = 0;
	struct sfc_tc *skel;
	char err[256];
	int set, i, n, shown = 0;
	size_t tuples;

	if (geteuid() != 0)
		tap_skip_all("BPF_PROG_TEST_RUN needs root (CAP_BPF, CAP_NET_ADMIN)");
	rng_state = argc > 1 ? strtoull(argv[1], NULL, 0) : 20261121;
	rng_state |= 1;
	printf("# seed %llu (test_classifier SEED repeats this run)\n",
	       (unsigned long long)rng_state);
	libbpf_set_print(NULL);
	skel = dp_test_load(true, err, sizeof(err));
	if (!skel) {
		tap_result(0, "%s", err);
		return tap_finish();
	}
	TAP_CHECK(!setup_topology(skel), "chains, ports and MACs set up");
	for (set = 0; set < SETS; set++) {
		n = 1 + (int)below(MAX_SET_RULES);
		/* the other slot: rules the packets must never see */
		while (random_set(skel, other, n, (GEN & 1) ^ 1, &tuples) == -E2BIG)
			n = n / 2 + 1;
		while (random_set(skel, rules, n, GEN & 1, &tuples) == -E2BIG)
			n = n / 2 + 1;	/* too many shapes for one slot: fewer rules */
		if (tuples > tuples_max)
			tuples_max = tuples;
		for (i = 0; i < PKTS_PER_SET; i++) {
			struct test_pkt p;
			int want, got;

			random_packet(rules, n, &p);
			want = ref_classify(rules, n, &p);
			got = dp_classify(skel, &p);
			checked++;
			matched += want >= 0;
			if (want == got)
				continue;
			bad++;
			if (shown++ < 3) {
				printf("# set %d (%d rules): reference chain %d, data plane %d\n",
				       set, n, want, got);
				print_pkt(&p);
				for (int j = 0; j < n; j++)
					if (ref_matches(&rules[j].r, &p) ||
					    rules[j].r.chain == got)
						print_rule(&rules[j]);
			}
		}
	}
	printf("# %lu packets over %d rule sets (up to %lu tuples, %lu keys shared by lists), %lu matched a rule\n",
	       checked, SETS, tuples_max, shared_keys, matched);
	TAP_CHECK(bad == 0, "data plane and reference agree on every packet (%lu differ)",
		  bad);
	TAP_CHECK(matched > checked / 5 && matched < checked,
		  "the packets exercise both outcomes (%lu of %lu matched)",
		  matched, checked);
	TAP_CHECK(shared_keys > 0, "rule sets with keys shared by port lists (%lu)",
		  shared_keys);
	sfc_tc__destroy(skel);
	return tap_finish();
}
