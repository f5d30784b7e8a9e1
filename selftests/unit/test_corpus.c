// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile packet corpus (selftests/unit/corpus/hostile.py, built into
 * BUILD/selftests/corpus/hostile.corpus) through BPF_PROG_TEST_RUN.
 *
 * Loads its own copy of the data plane (nothing pinned), writes the
 * corpus's configuration once (three chains, groups with several
 * instances, rank-sorted classifier rules, pre-seeded flow state) and
 * runs every case on it, in order, without resetting the maps in between
 * (flow state recorded by one case is seen by the next, as on a host).
 * Invariants checked for every case:
 *
 *   verdict   TC_ACT_OK, TC_ACT_SHOT or TC_ACT_REDIRECT (egress: no
 *             redirect; an unmanaged device: TC_ACT_OK)
 *   drops     TC_ACT_SHOT adds exactly 1 to the drop counters, under a
 *             named reason; any other verdict adds nothing
 *   steering  a redirect from an edge port goes into a VNF port of the
 *             chain that port's rules select or of the chain whose
 *             traffic the frame is (its replies walk it backwards); from
 *             a VNF port, into a VNF port of the same chain or back to an
 *             edge port (re-injection, BPF_F_INGRESS) -- never into
 *             another chain
 *   frame     the output frame is the input frame (these programs do not
 *             rewrite packets), same length, same bytes
 *
 * Every case's frame also goes through the XDP program of SFC-aware VNF
 * ports (sfc_xdp_pop), as if it came back from an aware VNF on such a
 * port: the program reads no configuration (it is attached to aware
 * ports only), so the frame alone decides. Its invariants:
 *
 *   verdict   XDP_PASS or XDP_DROP (XDP_ABORTED or anything else is a
 *             drop nobody counts)
 *   drops     XDP_DROP adds exactly 1 to the drop counters, under the
 *             reason the header calls for; XDP_PASS adds nothing
 *   frame     not MPLS or NSH: passed unchanged, no metadata. MPLS (RFC
 *             3032 label stack; networking-sfc single label SPI<<8|SI or
 *             RFC 8595 SPI and SI labels) and NSH (RFC 8300) are read
 *             here, independently of the program: a header that is
 *             whole and valid is removed (the MACs kept, the inner
 *             ethertype from the IP version or the NSH next protocol; an
 *             inner Ethernet frame as it is), and the packet metadata
 *             carries the struct sfc_meta the header says (SPI, SI, TTL,
 *             correlation, NSH source port); any other is dropped
 *
 * Frames longer than BPF_PROG_TEST_RUN accepts (probed at start) are run
 * clipped to that length; frames shorter than an Ethernet header (and on
 * newer kernels IPv4/IPv6 frames shorter than their network header) are
 * refused by the kernel and only counted.
 *
 *   test_corpus [-v] [--stride N] [--no-xdp] [FILE]
 *
 * SFC_IN_GUEST=1 (the TCG guest) runs every 40th case; --stride or
 * SFC_CORPUS_STRIDE chooses another stride.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane.h"
#include "dp_test.h"
#include "names.h"
#include "sfc_tc.skel.h"
#include "tap.h"
#include "uapi/sfc_drop.h"
#include "uapi/sfc_maps.h"

#define MAX_FRAME	(64 * 1024)
#define MAX_IFINDEX	256
#define MAX_REPORTS	25
#ifndef BPF_F_INGRESS
#define BPF_F_INGRESS	1
#endif

/* What the configuration says about each ifindex the corpus uses. */
struct ifinfo {
	bool port;		/* in sfc_ports */
	bool edge;
	int edge_chain;		/* chain its rules select, 0 none */
	int vnf_chain;		/* chain whose VNF port it is, 0 none */
};

static struct ifinfo ifs[MAX_IFINDEX];
static bool verbose;

enum inv {
	INV_VERDICT, INV_DROPS, INV_STEER, INV_FRAME, INV_RUN,
	INV_XDP_VERDICT, INV_XDP_DROPS, INV_XDP_FRAME, INV_XDP_RUN, INV__MAX
};
static const char *const inv_names[INV__MAX] = {
	"verdict in the defined set",
	"every drop counted once under a reason",
	"redirects stay in the frame's chain",
	"output frame unchanged",
	"BPF_PROG_TEST_RUN ran every case",
	"XDP pop: verdict XDP_PASS or XDP_DROP, as the header calls for",
	"XDP pop: every drop counted once under the header's reason",
	"XDP pop: output frame well formed, metadata as the header says",
	"XDP pop: BPF_PROG_TEST_RUN ran every case",
};
static bool run_xdp = true;
static __u32 xdp_max_frame;

static unsigned long failures[INV__MAX];
static unsigned long reports;

struct stats {
	unsigned long cases, ok, shot, redirect, clipped, refused;
	unsigned long by_reason[SFC_DROP__MAX];
	/* sfc_xdp_pop */
	unsigned long xdp_cases, xdp_pass, xdp_drop, xdp_clipped;
	unsigned long xdp_mpls, xdp_nsh;	/* frames of those ethertypes */
	unsigned long xdp_pop_mpls, xdp_pop_nsh;	/* ... whose header came off */
	unsigned long xdp_by_reason[SFC_DROP__MAX];
};

static void fail(enum inv inv, unsigned long n, const char *line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(enum inv inv, unsigned long n, const char *line, const char *fmt, ...)
{
	va_list ap;

	failures[inv]++;
	if (reports++ >= MAX_REPORTS)
		return;
	printf("# case %lu: ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n#   %.200s%s\n", line, strlen(line) > 200 ? "..." : "");
}

static int drops_total(int fd, uint64_t *total, uint64_t *per)
{
	uint64_t w[2];
	__u32 r;

	*total = 0;
	for (r = 1; r < SFC_DROP__MAX; r++) {
		if (sfc_percpu_sum_u64(fd, r, w, 2))
			return -1;
		per[r] = w[0];
		*total += w[0];
	}
	return 0;
}

/* Classifier rules of the corpus, compiled before the first case. */
static struct dp_rules corpus_rules;
static bool rules_pending;

static int map_line(struct sfc_tc *skel, char *arg)
{
	static uint8_t key[512], val[8192];
	char *name = strtok(arg, " "), *k = strtok(NULL, " "), *v = strtok(NULL, " ");
	size_t kl, vl;
	struct bpf_map *map;
	int ret;

	if (!name || !k || !v || dp_hex(k, key, sizeof(key), &kl) ||
	    dp_hex(v, val, sizeof(val), &vl))
		return -EINVAL;
	ret = dp_rules_take(&corpus_rules, name, key, kl, val, vl);
	if (ret) {
		rules_pending = ret > 0;
		return ret < 0 ? ret : 0;
	}
	map = bpf_object__find_map_by_name(skel->obj, name);
	if (!map || kl != bpf_map__key_size(map) || vl != bpf_map__value_size(map)) {
		printf("# bad map entry for %s\n", name);
		return -EINVAL;
	}
	return bpf_map_update_elem(bpf_map__fd(map), key, val, BPF_ANY) ? -errno : 0;
}

static int port_line(struct sfc_tc *skel, const char *arg)
{
	unsigned int ifindex, id, flags;
	struct sfc_port_key k = { 0 };
	struct sfc_port_val v = { 0 };

	if (sscanf(arg, "%u %u %u", &ifindex, &id, &flags) != 3 ||
	    ifindex >= MAX_IFINDEX)
		return -EINVAL;
	k.ifindex = ifindex;
	v.port_id = id;
	v.flags = flags;
	ifs[ifindex].port = true;
	return bpf_map_update_elem(bpf_map__fd(skel->maps.sfc_ports), &k, &v,
				   BPF_ANY) ? -errno : 0;
}

/*
 * The largest frame BPF_PROG_TEST_RUN takes for a program here: the TC
 * program, or (xdp) the XDP program, whose context must name the frame's
 * end.
 */
static __u32 probe_max_frame(int prog_fd, bool xdp)
{
	static uint8_t buf[MAX_FRAME];
	__u32 lo = ETH_HLEN, hi = MAX_FRAME;

	while (lo < hi) {
		__u32 mid = (lo + hi + 1) / 2;
		struct __sk_buff skb_ctx = { .ingress_ifindex = 0 };
		struct xdp_md xdp_ctx = { .data_end = mid };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = buf,
			    .data_size_in = mid,
			    .ctx_in = xdp ? (void *)&xdp_ctx : (void *)&skb_ctx,
			    .ctx_size_in = xdp ? sizeof(xdp_ctx) : sizeof(skb_ctx),
			    .repeat = 1);

		if (bpf_prog_test_run_opts(prog_fd, &opts))
			hi = mid - 1;
		else
			lo = mid;
	}
	return lo;
}

/* ---- sfc_xdp_pop ---- */

#define ETH_P_MPLS_UC_	0x8847
#define ETH_P_NSH_	0x894f
#define MPLS_S		0x100u		/* bottom of stack (RFC 3032) */

/* What the pop must do with a frame, read from its header here. */
struct pop_want {
	int verdict;		/* XDP_PASS or XDP_DROP */
	unsigned int reason;	/* with XDP_DROP */
	bool popped;
	size_t strip;		/* header bytes after the MACs */
	bool inner_eth;		/* NSH next protocol Ethernet: the inner frame */
	uint16_t proto;		/* inner ethertype (host order) */
	struct sfc_meta meta;
};

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void want_drop(struct pop_want *w, unsigned int reason)
{
	w->verdict = XDP_DROP;
	w->reason = reason;
	w->popped = false;
}

/* The IP version after the labels names the inner ethertype. */
static void want_mpls(const uint8_t *f, size_t len, struct pop_want *w)
{
	uint32_t l0, l1;

	if (len < ETH_HLEN + 4)
		return want_drop(w, SFC_DROP_MALFORMED_L2);
	l0 = be32_at(f + ETH_HLEN);
	if (l0 & MPLS_S) {	/* networking-sfc: label = SPI << 8 | SI */
		w->meta.spi = l0 >> 20;
		w->meta.si = (uint8_t)(l0 >> 12);
		w->meta.ttl = (uint8_t)l0;
		w->strip = 4;
	} else {		/* RFC 8595: an SPI label, then the SI label */
		if (len < ETH_HLEN + 8)
			return want_drop(w, SFC_DROP_MALFORMED_L2);
		l1 = be32_at(f + ETH_HLEN + 4);
		if (!(l1 & MPLS_S))
			return want_drop(w, SFC_DROP_MPLS_NO_BOS);
		w->meta.spi = l0 >> 12;
		w->meta.si = (uint8_t)(l1 >> 12);
		w->meta.ttl = (uint8_t)l1;
		w->strip = 8;
	}
	if (len < ETH_HLEN + w->strip + 1)
		return want_drop(w, SFC_DROP_MALFORMED_L3);
	switch (f[ETH_HLEN + w->strip] >> 4) {
	case 4: w->proto = ETH_P_IP; break;
	case 6: w->proto = ETH_P_IPV6; break;
	default: return want_drop(w, SFC_DROP_MALFORMED_L3);
	}
	w->meta.corr = SFC_CORRELATION_MPLS;
	w->popped = true;
}

/* RFC 8300: version 0, length in words, MD type 1 (exactly 6 words) or 2. */
static void want_nsh(const uint8_t *f, size_t len, struct pop_want *w)
{
	const uint8_t *h = f + ETH_HLEN;
	uint32_t base, sp, hlen, md, np;

	if (len < ETH_HLEN + 8)
		return want_drop(w, SFC_DROP_BAD_NSH);
	base = be32_at(h);
	sp = be32_at(h + 4);
	hlen = ((base >> 16) & 0x3f) * 4;
	md = (base >> 8) & 0xf;
	np = base & 0xff;
	if (base >> 30 || hlen < 8 || (md != 1 && md != 2) ||
	    (md == 1 && hlen != 24) || ETH_HLEN + hlen > len)
		return want_drop(w, SFC_DROP_BAD_NSH);
	w->meta.spi = sp >> 8;
	w->meta.si = (uint8_t)sp;
	w->meta.ttl = (base >> 22) & 0x3f;
	w->meta.corr = SFC_CORRELATION_NSH;
	/* Our context: MD1 word 0, or MD2 TLV class 0xfff6 type 1 length 4. */
	if (md == 1)
		w->meta.src_port_id = be32_at(h + 8);
	else if (hlen >= 16 && be32_at(h + 8) == 0xfff60104u)
		w->meta.src_port_id = be32_at(h + 12);
	switch (np) {
	case 1: w->proto = ETH_P_IP; w->strip = hlen; break;
	case 2: w->proto = ETH_P_IPV6; w->strip = hlen; break;
	case 3:
		if (len - ETH_HLEN - hlen < ETH_HLEN)	/* no inner frame */
			return want_drop(w, SFC_DROP_BAD_NSH);
		w->inner_eth = true;
		w->strip = hlen;
		break;
	default: return want_drop(w, SFC_DROP_BAD_NSH);
	}
	w->popped = true;
}

static void want_pop(const uint8_t *f, size_t len, struct pop_want *w)
{
	uint16_t et = (uint16_t)(f[12] << 8 | f[13]);

	memset(w, 0, sizeof(*w));
	w->verdict = XDP_PASS;
	w->meta.magic = SFC_META_MAGIC;
	if (et == ETH_P_MPLS_UC_)
		want_mpls(f, len, w);
	else if (et == ETH_P_NSH_)
		want_nsh(f, len, w);
}

/* The frame a pop leaves: into exp, its length returned. */
static size_t popped_frame(const uint8_t *in, size_t len, const struct pop_want *w,
			   uint8_t *exp)
{
	size_t rest = len - ETH_HLEN - w->strip;

	if (w->inner_eth) {
		memcpy(exp, in + ETH_HLEN + w->strip, rest);
		return rest;
	}
	memcpy(exp, in, 12);
	exp[12] = (uint8_t)(w->proto >> 8);
	exp[13] = (uint8_t)w->proto;
	memcpy(exp + ETH_HLEN, in + ETH_HLEN + w->strip, rest);
	return ETH_HLEN + rest;
}

static void check_xdp_frame(unsigned long n, const char *line, const uint8_t *in,
			    size_t len, const struct pop_want *w,
			    const uint8_t *out, __u32 meta_len, __u32 frame_len)
{
	static uint8_t exp[MAX_FRAME];
	const uint8_t *frame = out + meta_len;
	struct sfc_meta got;
	size_t exp_len;

	if (!w->popped) {
		if (meta_len || frame_len != len || memcmp(frame, in, len))
			fail(INV_XDP_FRAME, n, line,
			     "XDP pop changed a frame it passes (meta %u, %u bytes, in %zu)",
			     meta_len, frame_len, len);
		return;
	}
	exp_len = popped_frame(in, len, w, exp);
	if (frame_len != exp_len || memcmp(frame, exp, exp_len)) {
		fail(INV_XDP_FRAME, n, line,
		     "popped frame: %u bytes, ethertype %02x%02x; want %zu bytes, ethertype %02x%02x",
		     frame_len, frame_len > 13 ? frame[12] : 0,
		     frame_len > 13 ? frame[13] : 0, exp_len, exp[12], exp[13]);
		return;
	}
	if (meta_len != sizeof(got)) {
		fail(INV_XDP_FRAME, n, line, "popped, metadata of %u bytes", meta_len);
		return;
	}
	memcpy(&got, out, sizeof(got));
	if (got.magic != w->meta.magic || got.spi != w->meta.spi ||
	    got.si != w->meta.si || got.ttl != w->meta.ttl ||
	    got.corr != w->meta.corr || got.src_port_id != w->meta.src_port_id)
		fail(INV_XDP_FRAME, n, line,
		     "metadata magic %#x spi %u si %u ttl %u corr %u src %u; the header says spi %u si %u ttl %u corr %u src %u",
		     got.magic, got.spi, got.si, got.ttl, got.corr, got.src_port_id,
		     w->meta.spi, w->meta.si, w->meta.ttl, w->meta.corr,
		     w->meta.src_port_id);
}

/* The frame as if an SFC-aware VNF had sent it back on its port. */
static void run_xdp_case(struct sfc_tc *skel, unsigned long n, const char *line,
			 const uint8_t *in, size_t len, struct stats *st)
{
	static uint8_t out[MAX_FRAME + 256];
	int drop_fd = bpf_map__fd(skel->maps.sfc_drop_stats);
	uint64_t before, after, per0[SFC_DROP__MAX], per1[SFC_DROP__MAX];
	uint16_t et = (uint16_t)(in[12] << 8 | in[13]);
	struct pop_want w;
	int verdict;

	st->xdp_cases++;
	if (len > xdp_max_frame) {
		len = xdp_max_frame;
		st->xdp_clipped++;
	}
	st->xdp_mpls += et == ETH_P_MPLS_UC_;
	st->xdp_nsh += et == ETH_P_NSH_;

	struct xdp_md ctx_in = { .data_end = (__u32)len }, ctx_out = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = in, .data_size_in = (__u32)len,
		.data_out = out, .data_size_out = sizeof(out),
		.ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		.ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out),
		.repeat = 1);

	if (drops_total(drop_fd, &before, per0)) {
		fail(INV_XDP_RUN, n, line, "reading drop counters failed");
		return;
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.sfc_xdp_pop), &opts)) {
		fail(INV_XDP_RUN, n, line, "BPF_PROG_TEST_RUN (XDP): %s (%zu bytes)",
		     strerror(errno), len);
		return;
	}
	verdict = (int)opts.retval;
	if (drops_total(drop_fd, &after, per1)) {
		fail(INV_XDP_RUN, n, line, "reading drop counters failed");
		return;
	}
	want_pop(in, len, &w);

	if (verdict == XDP_PASS)
		st->xdp_pass++;
	else if (verdict == XDP_DROP)
		st->xdp_drop++;
	if (verdict != XDP_PASS && verdict != XDP_DROP) {
		fail(INV_XDP_VERDICT, n, line, "XDP verdict %d", verdict);
		return;
	}
	if (verdict != w.verdict) {
		fail(INV_XDP_VERDICT, n, line, "XDP verdict %d; the header calls for %d%s%s",
		     verdict, w.verdict, w.reason ? " as " : "",
		     w.reason ? sfc_drop_name(w.reason) : "");
		return;
	}
	if (verdict == XDP_DROP) {
		if (after != before + 1 || per1[w.reason] != per0[w.reason] + 1)
			fail(INV_XDP_DROPS, n, line,
			     "XDP dropped: counters +%lld, %s +%lld",
			     (long long)(after - before), sfc_drop_name(w.reason),
			     (long long)(per1[w.reason] - per0[w.reason]));
		st->xdp_by_reason[w.reason]++;
		return;
	}
	if (after != before)
		fail(INV_XDP_DROPS, n, line, "XDP passed, drop counters +%lld",
		     (long long)(after - before));
	/* Past the first page test_run puts the rest in fragments: data_end
	 * ends the linear part, data_out holds all of it. */
	if (ctx_out.data > ctx_out.data_end ||
	    ctx_out.data_end > opts.data_size_out) {
		fail(INV_XDP_FRAME, n, line, "XDP output %u bytes, meta %u, end %u",
		     opts.data_size_out, ctx_out.data, ctx_out.data_end);
		return;
	}
	st->xdp_pop_mpls += w.popped && et == ETH_P_MPLS_UC_;
	st->xdp_pop_nsh += w.popped && et == ETH_P_NSH_;
	check_xdp_frame(n, line, in, len, &w, out, ctx_out.data,
			opts.data_size_out - ctx_out.data);
}

static bool steer_ok(int ifindex, int tag, __u32 to, __u32 flags)
{
	const struct ifinfo *from = &ifs[ifindex];

	if (to >= MAX_IFINDEX)
		return false;
	if (from->vnf_chain) {
		/* next hop of the same chain, or re-injected at an edge port */
		if (flags == BPF_F_INGRESS)
			return ifs[to].edge;
		return flags == 0 && ifs[to].vnf_chain == from->vnf_chain;
	}
	if (from->edge)
		return flags == 0 && ifs[to].vnf_chain &&
		       (ifs[to].vnf_chain == from->edge_chain ||
			ifs[to].vnf_chain == tag);
	return false;
}

static void run_case(struct sfc_tc *skel, unsigned long n, char *line,
		     __u32 max_frame, struct stats *st)
{
	static uint8_t in[MAX_FRAME], out[MAX_FRAME];
	int drop_fd = bpf_map__fd(skel->maps.sfc_drop_stats);
	uint64_t before, after, per0[SFC_DROP__MAX], per1[SFC_DROP__MAX];
	char prog_name[16];
	unsigned int ifindex, mark;
	int tag, off = 0, prog_fd, verdict;
	size_t len;
	bool egress;

	if (sscanf(line, "%15s %u %x %d %n", prog_name, &ifindex, &mark, &tag,
		   &off) != 4 || !off || ifindex >= MAX_IFINDEX ||
	    dp_hex(line + off, in, sizeof(in), &len)) {
		fail(INV_RUN, n, line, "unreadable case");
		return;
	}
	egress = !strcmp(prog_name, "egress");
	prog_fd = bpf_program__fd(egress ? skel->progs.sfc_tc_egress :
					   skel->progs.sfc_tc_ingress);
	st->cases++;
	if (len < ETH_HLEN) {
		st->refused++;	/* the kernel refuses these: -EINVAL */
		return;
	}
	if (run_xdp)
		run_xdp_case(skel, n, line, in, len, st);
	if (len > max_frame) {
		len = max_frame;
		st->clipped++;
	}

	struct __sk_buff ctx_in = { .mark = mark }, ctx_out = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = in, .data_size_in = (__u32)len,
		.data_out = out, .data_size_out = sizeof(out),
		.ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		.ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out),
		.repeat = 1);
	if (!egress)
		ctx_in.ingress_ifindex = ifindex;

	if (drops_total(drop_fd, &before, per0)) {
		fail(INV_RUN, n, line, "reading drop counters failed");
		return;
	}
	skel->bss->sfc_test_redirect_ifindex = 0;
	skel->bss->sfc_test_redirect_flags = 0;
	if (bpf_prog_test_run_opts(prog_fd, &opts)) {
		/* Newer kernels (6.x) also refuse an IPv4 or IPv6 frame
		 * without a whole network header: the data plane never sees
		 * such an skb from a device, so count it like a runt. */
		if (errno == EINVAL && len < ETH_HLEN + 40 &&
		    ((in[12] == 0x08 && in[13] == 0x00) ||
		     (in[12] == 0x86 && in[13] == 0xdd))) {
			st->refused++;
			return;
		}
		fail(INV_RUN, n, line, "BPF_PROG_TEST_RUN: %s (%zu bytes)",
		     strerror(errno), len);
		return;
	}
	verdict = (int)opts.retval;
	if (drops_total(drop_fd, &after, per1)) {
		fail(INV_RUN, n, line, "reading drop counters failed");
		return;
	}

	switch (verdict) {
	case TC_ACT_OK: st->ok++; break;
	case TC_ACT_SHOT: st->shot++; break;
	case TC_ACT_REDIRECT: st->redirect++; break;
	}
	if (verdict != TC_ACT_OK && verdict != TC_ACT_SHOT &&
	    verdict != TC_ACT_REDIRECT)
		fail(INV_VERDICT, n, line, "verdict %d", verdict);
	else if (egress && verdict == TC_ACT_REDIRECT)
		fail(INV_VERDICT, n, line, "egress redirected");
	else if (!egress && !ifs[ifindex].port && verdict != TC_ACT_OK)
		fail(INV_VERDICT, n, line, "unmanaged device: verdict %d", verdict);

	if (verdict == TC_ACT_SHOT) {
		__u32 r;

		if (after != before + 1)
			fail(INV_DROPS, n, line, "dropped, drop counters +%lld",
			     (long long)(after - before));
		for (r = 1; r < SFC_DROP__MAX; r++)
			if (per1[r] != per0[r])
				st->by_reason[r]++;
	} else if (after != before) {
		fail(INV_DROPS, n, line, "verdict %d, drop counters +%lld",
		     verdict, (long long)(after - before));
	}

	if (verdict == TC_ACT_REDIRECT && !egress) {
		__u32 to = skel->bss->sfc_test_redirect_ifindex;
		__u32 fl = skel->bss->sfc_test_redirect_flags;

		if (!steer_ok((int)ifindex, tag, to, fl))
			fail(INV_STEER, n, line,
			     "from ifindex %u (tag chain %d): redirect to %u flags %u",
			     ifindex, tag, to, fl);
	}

	if (opts.data_size_out != len || memcmp(in, out, len))
		fail(INV_FRAME, n, line, "output frame differs (%u bytes, in %zu)",
		     opts.data_size_out, len);
}

static int run_corpus(struct sfc_tc *skel, const char *path, unsigned long stride)
{
	__u32 max_frame = probe_max_frame(bpf_program__fd(skel->progs.sfc_tc_ingress), false);
	struct stats st = { 0 };
	unsigned long n = 0, ncase = 0;
	char *line = NULL;
	size_t cap = 0;
	struct timespec t0, t1;
	FILE *fp;
	int err = 0, i;
	__u32 r;

	fp = fopen(path, "r");
	if (!fp) {
		tap_result(0, "open %s: %s (run make)", path, strerror(errno));
		return -1;
	}
	xdp_max_frame = probe_max_frame(bpf_program__fd(skel->progs.sfc_xdp_pop), true);
	printf("# corpus %s, stride %lu; BPF_PROG_TEST_RUN takes frames up to %u bytes (TC), %u (XDP)\n",
	       path, stride, max_frame, xdp_max_frame);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!err && getline(&line, &cap, fp) > 0) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "case ", 5)) {
			if (rules_pending) {
				char e[256];

				rules_pending = false;
				err = dp_rules_write(skel, &corpus_rules, e, sizeof(e));
				if (err) {
					printf("# classifier: %s\n", e);
					break;
				}
			}
			if (ncase++ % stride == 0)
				run_case(skel, ncase, line + 5, max_frame, &st);
			if (ncase % 3000 == 0)
				printf("# ... %lu cases\n", ncase);
		} else if (!strncmp(line, "map ", 4)) {
			err = map_line(skel, line + 4);
		} else if (!strncmp(line, "port ", 5)) {
			err = port_line(skel, line + 5);
		} else if (!strncmp(line, "vnf ", 4)) {
			int c, x;

			if (sscanf(line + 4, "%d %d", &c, &x) != 2 ||
			    x < 0 || x >= MAX_IFINDEX)
				err = -EINVAL;
			else
				ifs[x].vnf_chain = c;
		} else if (!strncmp(line, "edge ", 5)) {
			int x, c;

			if (sscanf(line + 5, "%d %d", &x, &c) != 2 ||
			    x < 0 || x >= MAX_IFINDEX)
				err = -EINVAL;
			else {
				ifs[x].edge = true;
				ifs[x].edge_chain = c;
			}
		} else {
			err = -EINVAL;
		}
		if (err)
			printf("# %s:%lu: bad line (%s)\n", path, n, strerror(-err));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(line);
	fclose(fp);
	tap_result(!err, "corpus configuration loaded");
	if (err)
		return -1;

	printf("# %lu cases in %.1f s: %lu TC_ACT_OK, %lu TC_ACT_SHOT, %lu TC_ACT_REDIRECT;"
	       " %lu clipped to %u bytes, %lu refused by the kernel (shorter than Ethernet, or than the IP header on kernels that check)\n",
	       st.cases, (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, st.ok, st.shot,
	       st.redirect, st.clipped, max_frame, st.refused);
	for (r = 1; r < SFC_DROP__MAX; r++)
		if (st.by_reason[r])
			printf("#   dropped as %-18s %lu\n", sfc_drop_name(r),
			       st.by_reason[r]);
	tap_result(st.cases >= (stride > 1 ? 10000 / stride : 10000),
		   "corpus has enough cases (%lu)", st.cases);
	tap_result(st.shot && st.redirect && st.ok,
		   "every verdict occurs (the corpus reaches deep)");
	if (run_xdp) {
		printf("# XDP pop: %lu cases (%lu MPLS, %lu NSH frames): %lu XDP_PASS (%lu MPLS and %lu NSH headers popped), %lu XDP_DROP; %lu clipped to %u bytes\n",
		       st.xdp_cases, st.xdp_mpls, st.xdp_nsh, st.xdp_pass,
		       st.xdp_pop_mpls, st.xdp_pop_nsh, st.xdp_drop,
		       st.xdp_clipped, xdp_max_frame);
		for (r = 1; r < SFC_DROP__MAX; r++)
			if (st.xdp_by_reason[r])
				printf("#   XDP dropped as %-18s %lu\n",
				       sfc_drop_name(r), st.xdp_by_reason[r]);
		tap_result(st.xdp_pop_mpls && st.xdp_pop_nsh &&
			   st.xdp_by_reason[SFC_DROP_MPLS_NO_BOS] &&
			   st.xdp_by_reason[SFC_DROP_BAD_NSH] &&
			   st.xdp_by_reason[SFC_DROP_MALFORMED_L3],
			   "XDP pop: MPLS and NSH popped, and dropped as mpls-no-bos, bad-nsh, malformed-l3");
	}
	for (i = 0; i < INV__MAX; i++)
		if (run_xdp || i < INV_XDP_VERDICT)
			tap_result(!failures[i], "%s (%lu violations)", inv_names[i],
				   failures[i]);
	return 0;
}

static void default_path(char *buf, size_t size)
{
	const char *b = getenv("SFC_BUILD");
	char exe[PATH_MAX];
	ssize_t n;

	if (b && *b) {
		snprintf(buf, size, "%s/selftests/corpus/hostile.corpus", b);
		if (!access(buf, R_OK))
			return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	/* BUILD/selftests/unit/test_corpus -> BUILD/selftests/corpus/ */
	snprintf(buf, size, "%s/../corpus/hostile.corpus", dirname(exe));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stride", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-xdp", no_argument, NULL, 'x' },
		{ 0 }
	};
	const char *env = getenv("SFC_CORPUS_STRIDE");
	unsigned long stride = 1;
	char path[PATH_MAX + 64], errbuf[256];
	struct sfc_tc *skel;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress in the guest's log */
	if (getenv("SFC_IN_GUEST") && !strcmp(getenv("SFC_IN_GUEST"), "1"))
		stride = 40;
	if (env && *env)
		stride = strtoul(env, NULL, 0);
	while ((c = getopt_long(argc, argv, "s:vx", longopts, NULL)) != -1) {
		if (c == 'v')
			verbose = true;
		else if (c == 'x')
			run_xdp = false;
		else if (c == 's')
			stride = strtoul(optarg, NULL, 0);
		else
			return KSFT_FAIL;
	}
	if (!stride)
		stride = 1;
	if (optind < argc)
		snprintf(path, sizeof(path), "%s", argv[optind]);
	else
		default_path(path, sizeof(path));
	if (geteuid() != 0)
		tap_skip_all("BPF_PROG_TEST_RUN needs root (CAP_BPF, CAP_NET_ADMIN)");
	if (!verbose)
		libbpf_set_print(NULL);

	skel = dp_test_load(false, errbuf, sizeof(errbuf));
	if (!skel) {
		tap_result(0, "%s", errbuf);
		return tap_finish();
	}
	run_corpus(skel, path, stride);
	sfc_tc__destroy(skel);
	return tap_finish();
}
