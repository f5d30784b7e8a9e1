// SPDX-License-Identifier: GPL-2.0
/*
 * The health checker's probe engine (health.h, docs/health.md).
 *
 * A probe is an Ethernet/IPv4/ICMP echo request written by an AF_PACKET
 * socket straight onto the pair's ingress device. It carries the steered
 * mark (SO_MARK), so our TC egress guard on VNF ports lets it through (and
 * clears the mark). The VNF forwards it unchanged to its other port; on
 * the way back into the host it first passes a per-device AF_PACKET tap of
 * ours (taps run before TC ingress), then our TC ingress program, which
 * finds the sfc_flows record we keep for the probe (chain 0) and drops it
 * quietly, counted as "health-probe".
 *
 * One probe per instance is outstanding at a time; it is answered when
 * the request comes out of the egress device with our cookie (a magic,
 * the instance's ingress ifindex, a per-process nonce) and its sequence
 * number, or failed at its timeout or when it cannot be sent.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <bpf/bpf.h>

#include "health.h"

#define NSEC_PER_MSEC	1000000ull
#define MIN_INTERVAL_MS	10	/* below this a checker only burns CPU */
#define ICMP_ECHO_REQ	8
#define MAX_EVENTS	64
#define DRAIN_BUDGET	64	/* packets read per socket per wake-up */

/*
 * Where probes are sent: a fixed, locally administered unicast MAC, so a
 * probe that ever escaped into a bridge would be one unknown unicast
 * frame, never a broadcast answered by every host.
 */
static const uint8_t probe_dst_mac[ETH_ALEN] = { 0x02, 0x00, 0x5f, 0xc0, 0x4e, 0x01 };

/* The ICMP payload of a probe (all in network order, copied with memcpy). */
struct probe_cookie {
	char magic[10];		/* SFC_HC_MAGIC, no NUL */
	uint8_t pad[2];
	uint32_t ifindex;	/* the instance's ingress device */
	uint64_t nonce;		/* this checker process */
	uint64_t sent_ns;	/* CLOCK_MONOTONIC, for humans reading a capture */
};

#define PROBE_IP_LEN	(20 + 8 + sizeof(struct probe_cookie))
#define PROBE_LEN	(ETH_HLEN + PROBE_IP_LEN)

struct hc_inst {
	struct sfc_hc_target t;
	uint32_t in_ifindex, out_ifindex;	/* 0: not resolved, not probed */
	uint8_t in_mac[ETH_ALEN];
	int rx_fd;

	struct sfc_hc_sm sm;
	uint32_t transitions;
	uint64_t since_ns;
	uint32_t run_timeouts;	/* timeouts among sm.fail_run */

	uint16_t seq;
	bool waiting;		/* a probe is outstanding */
	uint64_t sent_at, deadline, next_send;	/* CLOCK_MONOTONIC ns */

	uint64_t sent, answered, completed, last_rtt;
	char last_error[128];

	bool seen;		/* in the latest target list */
	bool nodev_logged, map_err_logged, rx_err_logged;
};

struct sfc_hc {
	char pin_root[PATH_MAX];
	struct hc_inst **inst;
	size_t n, cap;
	int epfd, txfd;
	int health_fd, flows_fd, global_fd;
	uint32_t health_map_id;
	bool maps_missing_logged;
	uint32_t mark;		/* SO_MARK of txfd, 0 before the first read */
	uint32_t generation;
	uint16_t icmp_id;
	uint64_t nonce;
	sfc_hc_log_fn log;
	void *log_ctx;
};

const char *sfc_health_state_name(uint8_t state)
{
	return state == SFC_HEALTH_DOWN ? "down" : "up";
}

bool sfc_hc_sm_step(struct sfc_hc_sm *sm, bool ok, uint32_t rise,
		    uint32_t fall)
{
	if (ok) {
		sm->fail_run = 0;
		if (sm->ok_run < UINT32_MAX)
			sm->ok_run++;
		if (sm->state == SFC_HEALTH_DOWN && sm->ok_run >= rise) {
			sm->state = SFC_HEALTH_UP;
			return true;
		}
	} else {
		sm->ok_run = 0;
		if (sm->fail_run < UINT32_MAX)
			sm->fail_run++;
		if (sm->state != SFC_HEALTH_DOWN && sm->fail_run >= fall) {
			sm->state = SFC_HEALTH_DOWN;
			return true;
		}
	}
	return false;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static void __attribute__((format(printf, 2, 3)))
hc_log(const struct sfc_hc *hc, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!hc->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	hc->log(hc->log_ctx, line);
}

/* --- configuration -------------------------------------------------------- */

static void fill_defaults(struct sfc_cfg_health *p)
{
	static const uint8_t src[4] = SFC_HC_PROBE_SRC, dst[4] = SFC_HC_PROBE_DST;
	static const uint8_t zero[4];

	if (!p->interval_ms)
		p->interval_ms = SFC_HC_INTERVAL_MS;
	if (p->interval_ms < MIN_INTERVAL_MS)
		p->interval_ms = MIN_INTERVAL_MS;
	if (!p->timeout_ms)
		p->timeout_ms = p->interval_ms < 2 * SFC_HC_TIMEOUT_MS ?
				p->interval_ms / 2 : SFC_HC_TIMEOUT_MS;
	/* One probe outstanding at a time: it must end before the next. */
	if (p->timeout_ms > p->interval_ms)
		p->timeout_ms = p->interval_ms;
	if (!p->rise)
		p->rise = SFC_HC_RISE;
	if (!p->fall)
		p->fall = SFC_HC_FALL;
	if (!memcmp(p->probe_src, zero, 4))
		memcpy(p->probe_src, src, 4);
	if (!memcmp(p->probe_dst, zero, 4))
		memcpy(p->probe_dst, dst, 4);
}

int sfc_hc_targets(const struct sfc_config *c, const char *only,
		   struct sfc_hc_target **out, size_t *n)
{
	struct sfc_hc_target *v = NULL, *grown;
	size_t i, cap = 0, cnt = 0;
	int j;

	for (i = 0; i < c->ppgs.n; i++) {
		const struct sfc_cfg_ppg *g = &c->ppgs.v[i];

		if (!g->health.enabled || (only && strcmp(only, g->name)))
			continue;
		for (j = 0; j < g->nr_pairs; j++) {
			const struct sfc_cfg_pair *pp = sfc_cfg_find_pair(c, g->pairs[j]);
			const struct sfc_cfg_port *in, *eg;
			struct sfc_hc_target *t;

			in = pp ? sfc_cfg_find_port(c, pp->ingress) : NULL;
			eg = pp ? sfc_cfg_find_port(c, pp->egress) : NULL;
			if (!in || !eg)
				continue;	/* a saved config is validated */
			if (cnt == cap) {
				cap = cap ? cap * 2 : 16;
				grown = realloc(v, cap * sizeof(*v));
				if (!grown) {
					free(v);
					return -ENOMEM;
				}
				v = grown;
			}
			t = &v[cnt++];
			memset(t, 0, sizeof(*t));
			snprintf(t->group, sizeof(t->group), "%s", g->name);
			snprintf(t->pair, sizeof(t->pair), "%s", pp->name);
			snprintf(t->ingress_dev, sizeof(t->ingress_dev), "%s", in->dev);
			snprintf(t->egress_dev, sizeof(t->egress_dev), "%s", eg->dev);
			memcpy(&t->params, &g->health, sizeof(t->params));
			fill_defaults(&t->params);
		}
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* --- maps ----------------------------------------------------------------- */

static int open_pin(const char *root, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", root, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

static uint32_t map_id_of(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The instance's state as the data plane should see it. */
static int publish(struct sfc_hc *hc, struct hc_inst *in)
{
	struct sfc_health v;
	__u32 key = in->in_ifindex;

	if (hc->health_fd < 0 || !key)
		return -ENOENT;
	memset(&v, 0, sizeof(v));
	v.state = in->sm.state;
	v.transitions = in->transitions;
	v.since_ns = in->since_ns;
	if (bpf_map_update_elem(hc->health_fd, &key, &v, BPF_ANY))
		return -errno;
	return 0;
}

static void unpublish(struct sfc_hc *hc, uint32_t ifindex)
{
	__u32 key = ifindex;

	if (hc->health_fd >= 0 && key)
		bpf_map_delete_elem(hc->health_fd, &key);
}

static void probe_flow_key(const struct hc_inst *in, struct sfc_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = in->out_ifindex;
	k->family = 4;
	k->proto = IPPROTO_ICMP;
	memcpy(&k->saddr[0], in->t.params.probe_src, 4);
	memcpy(&k->daddr[0], in->t.params.probe_dst, 4);
	/* sport, dport: our parser gives ICMP none */
}

/*
 * The record that makes our TC ingress program recognise the returning
 * probe: chain 0 is never a real chain. sfc_flows is an LRU map, so it is
 * written again before every probe.
 */
static int write_probe_flow(struct sfc_hc *hc, const struct hc_inst *in)
{
	struct sfc_flow_key k;
	struct sfc_flow v;

	if (hc->flows_fd < 0)
		return -ENOENT;
	probe_flow_key(in, &k);
	memset(&v, 0, sizeof(v));
	v.generation = hc->generation;
	v.chain = 0;
	if (bpf_map_update_elem(hc->flows_fd, &k, &v, BPF_ANY))
		return -errno;
	return 0;
}

static void delete_probe_flow(struct sfc_hc *hc, const struct hc_inst *in)
{
	struct sfc_flow_key k;

	if (hc->flows_fd < 0 || !in->out_ifindex)
		return;
	probe_flow_key(in, &k);
	bpf_map_delete_elem(hc->flows_fd, &k);
}

/* Follows sfc_global: the steered mark for SO_MARK, the generation. */
static void read_global(struct sfc_hc *hc)
{
	struct sfc_global g;
	__u32 key = 0;
	uint32_t mark;

	memset(&g, 0, sizeof(g));
	if (hc->global_fd < 0 || bpf_map_lookup_elem(hc->global_fd, &key, &g))
		memset(&g, 0, sizeof(g));
	if (!g.mark_mask) {
		g.mark_mask = SFC_MARK_MASK_DEFAULT;
		g.mark_steer = SFC_MARK_STEER_DEFAULT;
	}
	hc->generation = g.generation;
	mark = g.mark_steer & g.mark_mask;
	if (mark == hc->mark)
		return;
	if (setsockopt(hc->txfd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark))) {
		hc_log(hc, "cannot set the steered mark 0x%08x on probes: %s",
		       mark, strerror(errno));
		return;
	}
	hc->mark = mark;
}

int sfc_hc_maps(struct sfc_hc *hc)
{
	int h, f, g, err;
	uint32_t id;
	size_t i;

	h = open_pin(hc->pin_root, SFC_MAP_HEALTH);
	f = h < 0 ? h : open_pin(hc->pin_root, SFC_MAP_FLOWS);
	g = f < 0 ? f : open_pin(hc->pin_root, SFC_MAP_GLOBAL);
	if (g < 0) {
		err = h < 0 ? h : f < 0 ? f : g;
		if (h >= 0)
			close(h);
		if (f >= 0)
			close(f);
		/*
		 * Pins gone while filters stay attached: the old maps are
		 * still the live ones, keep using them.
		 */
		if (!hc->maps_missing_logged)
			hc_log(hc, "data plane maps under %s: %s%s", hc->pin_root,
			       err == -ENOENT ? "not loaded" : strerror(-err),
			       hc->health_fd < 0 ? "; not probing until they are" :
			       "; keeping the ones open");
		hc->maps_missing_logged = true;
		if (hc->health_fd >= 0)
			read_global(hc);
		return err;
	}
	if (hc->maps_missing_logged)
		hc_log(hc, "data plane maps under %s found", hc->pin_root);
	hc->maps_missing_logged = false;
	id = map_id_of(h);
	if (hc->health_fd >= 0 && id == hc->health_map_id) {
		close(h);
		close(f);
		close(g);
		read_global(hc);
		return 0;
	}
	if (hc->health_fd >= 0)
		hc_log(hc, "data plane was reloaded: writing the states again");
	close_fd(&hc->health_fd);
	close_fd(&hc->flows_fd);
	close_fd(&hc->global_fd);
	hc->health_fd = h;
	hc->flows_fd = f;
	hc->global_fd = g;
	hc->health_map_id = id;
	read_global(hc);
	for (i = 0; i < hc->n; i++)
		if (hc->inst[i]->transitions || hc->inst[i]->sm.state != SFC_HEALTH_UP)
			publish(hc, hc->inst[i]);
	return 0;
}

/* --- sockets -------------------------------------------------------------- */

/*
 * Classic BPF on the receive socket: only IPv4 ICMP echo requests, not
 * fragments, whose payload starts with "sfc-heal". The rest of the cookie
 * is checked in user space.
 */
#define PROBE_DROP 14
static struct sock_filter probe_filter[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, PROBE_DROP - 2),
	/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, ETH_HLEN + 9),
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 0, PROBE_DROP - 4),
	/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, ETH_HLEN + 6),
	/* 5 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, PROBE_DROP - 6, 0),
	/* 6 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, ETH_HLEN),
	/* 7 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, ETH_HLEN),
	/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ICMP_ECHO_REQ, 0, PROBE_DROP - 9),
	/* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_IND, ETH_HLEN + 8),
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x7366632d, 0, PROBE_DROP - 11),
	/* 11 */ BPF_STMT(BPF_LD | BPF_W | BPF_IND, ETH_HLEN + 12),
	/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x6865616c, 0, PROBE_DROP - 13),
	/* 13 */ BPF_STMT(BPF_RET | BPF_K, 0xffff),
	/* 14 */ BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(sizeof(probe_filter) / sizeof(probe_filter[0]) == PROBE_DROP + 1,
	       "probe_filter: PROBE_DROP is its last instruction");

/*
 * A tap on the egress device. ETH_P_ALL, because only taps see a packet
 * before TC ingress (which drops our probe); bound to one device so the
 * rest of the host's traffic never meets it; outgoing packets ignored (a
 * one-port VNF's probe leaves by the same device). Created with protocol
 * 0 and bound afterwards, so it never queues another device's packets.
 */
static int open_rx(uint32_t ifindex)
{
	struct sock_fprog prog = {
		.len = sizeof(probe_filter) / sizeof(probe_filter[0]),
		.filter = probe_filter,
	};
	struct sockaddr_ll sll;
	int fd, one = 1, err;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		goto fail;
	/* Older kernels lack it: outgoing packets are skipped when read. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		goto fail;
	return fd;
fail:
	err = -errno;
	close(fd);
	return err;
}

static int dev_mac(int sock, const char *dev, uint8_t mac[ETH_ALEN])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr))
		return -errno;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return 0;
}

static uint16_t csum16(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static size_t build_probe(const struct sfc_hc *hc, const struct hc_inst *in,
			  uint64_t now, uint8_t *buf)
{
	uint8_t *ip = buf + ETH_HLEN, *icmp = ip + 20;
	struct probe_cookie ck;
	uint16_t sum;

	memset(buf, 0, PROBE_LEN);
	memcpy(buf, probe_dst_mac, ETH_ALEN);
	memcpy(buf + ETH_ALEN, in->in_mac, ETH_ALEN);
	put16(buf + 12, ETH_P_IP);

	ip[0] = 0x45;
	put16(ip + 2, PROBE_IP_LEN);
	put16(ip + 4, in->seq);		/* IP id */
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_ICMP;
	memcpy(ip + 12, in->t.params.probe_src, 4);
	memcpy(ip + 16, in->t.params.probe_dst, 4);
	sum = csum16(ip, 20);
	memcpy(ip + 10, &sum, 2);

	icmp[0] = ICMP_ECHO_REQ;
	put16(icmp + 4, hc->icmp_id);
	put16(icmp + 6, in->seq);
	memset(&ck, 0, sizeof(ck));
	memcpy(ck.magic, SFC_HC_MAGIC, sizeof(ck.magic));
	ck.ifindex = htonl(in->in_ifindex);
	ck.nonce = hc->nonce;
	ck.sent_ns = htobe64(now);
	memcpy(icmp + 8, &ck, sizeof(ck));
	sum = csum16(icmp, 8 + sizeof(ck));
	memcpy(icmp + 2, &sum, 2);
	return PROBE_LEN;
}

/* Our probe for this instance, with sequence *seq: true. */
static bool parse_probe(const struct sfc_hc *hc, const struct hc_inst *in,
			const uint8_t *p, size_t len, uint16_t *seq)
{
	const uint8_t *ip = p + ETH_HLEN, *icmp;
	struct probe_cookie ck;
	size_t ihl;

	if (len < ETH_HLEN + 20 || p[12] != 0x08 || p[13] != 0x00)
		return false;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20 ||
	    len < ETH_HLEN + ihl + 8 + sizeof(ck) || ip[9] != IPPROTO_ICMP ||
	    memcmp(ip + 12, in->t.params.probe_src, 4) ||
	    memcmp(ip + 16, in->t.params.probe_dst, 4))
		return false;
	icmp = ip + ihl;
	if (icmp[0] != ICMP_ECHO_REQ || icmp[1] != 0 ||
	    (uint16_t)(icmp[4] << 8 | icmp[5]) != hc->icmp_id)
		return false;
	memcpy(&ck, icmp + 8, sizeof(ck));
	if (memcmp(ck.magic, SFC_HC_MAGIC, sizeof(ck.magic)) ||
	    ck.ifindex != htonl(in->in_ifindex) || ck.nonce != hc->nonce)
		return false;
	*seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	return true;
}

/* --- the state machine at work ---------------------------------------------- */

static void transition(struct sfc_hc *hc, struct hc_inst *in, uint8_t old,
		       const char *reason)
{
	int err;

	in->transitions++;
	in->since_ns = clock_ns(CLOCK_BOOTTIME);
	err = publish(hc, in);
	hc_log(hc, "group %s pair %s: %s -> %s, %s%s%s", in->t.group, in->t.pair,
	       sfc_health_state_name(old), sfc_health_state_name(in->sm.state),
	       reason, err ? "; sfc_health not updated: " : "",
	       err ? strerror(-err) : "");
}

static void probe_done(struct sfc_hc *hc, struct hc_inst *in, bool ok,
		       bool timed_out, uint64_t now)
{
	const struct sfc_cfg_health *p = &in->t.params;
	uint8_t old = in->sm.state;
	char reason[192];

	in->waiting = false;
	in->completed++;
	if (ok) {
		in->answered++;
		in->last_rtt = now - in->sent_at;
		in->run_timeouts = 0;
	} else if (timed_out) {
		in->run_timeouts++;
		snprintf(in->last_error, sizeof(in->last_error),
			 "no answer within %u ms", p->timeout_ms);
	}
	if (!sfc_hc_sm_step(&in->sm, ok, p->rise, p->fall))
		return;
	if (ok)
		snprintf(reason, sizeof(reason), "%u probes answered", in->sm.ok_run);
	else if (in->run_timeouts == in->sm.fail_run)
		snprintf(reason, sizeof(reason), "%u probes timed out (%u ms)",
			 in->sm.fail_run, p->timeout_ms);
	else
		snprintf(reason, sizeof(reason), "%u probes failed, last: %s",
			 in->sm.fail_run, in->last_error);
	transition(hc, in, old, reason);
}

static void send_probe(struct sfc_hc *hc, struct hc_inst *in, uint64_t now)
{
	uint64_t interval = in->t.params.interval_ms * NSEC_PER_MSEC;
	uint8_t frame[PROBE_LEN];
	struct sockaddr_ll sll;
	size_t len;
	int err;

	in->next_send += interval;
	if (in->next_send <= now)
		in->next_send = now + interval;
	err = write_probe_flow(hc, in);
	if (err && !in->map_err_logged) {
		hc_log(hc, "group %s pair %s: cannot write the probe's sfc_flows "
		       "entry (%s): its probes count as unknown-hop drops",
		       in->t.group, in->t.pair, strerror(-err));
		in->map_err_logged = true;
	}
	in->seq++;
	len = build_probe(hc, in, now, frame);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = (int)in->in_ifindex;
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, probe_dst_mac, ETH_ALEN);
	in->sent++;
	in->sent_at = now;
	if (sendto(hc->txfd, frame, len, MSG_DONTWAIT, (struct sockaddr *)&sll,
		   sizeof(sll)) < 0) {
		snprintf(in->last_error, sizeof(in->last_error), "send on %s: %s",
			 in->t.ingress_dev, strerror(errno));
		probe_done(hc, in, false, false, now);
		return;
	}
	in->waiting = true;
	in->deadline = now + in->t.params.timeout_ms * NSEC_PER_MSEC;
}

static void drain(struct sfc_hc *hc, struct hc_inst *in, uint64_t now)
{
	uint8_t buf[256];
	struct sockaddr_ll from;
	socklen_t fromlen;
	uint16_t seq;
	ssize_t len;
	int i;

	for (i = 0; in->rx_fd >= 0 && i < DRAIN_BUDGET; i++) {
		fromlen = sizeof(from);
		len = recvfrom(in->rx_fd, buf, sizeof(buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &fromlen);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			/* ENETDOWN: the device went down (reported once). */
			if (errno != EAGAIN && errno != ENETDOWN &&
			    !in->rx_err_logged) {
				hc_log(hc, "group %s pair %s: receiving on %s: %s",
				       in->t.group, in->t.pair, in->t.egress_dev,
				       strerror(errno));
				in->rx_err_logged = true;
			}
			return;
		}
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (in->waiting && parse_probe(hc, in, buf, (size_t)len, &seq) &&
		    seq == in->seq)
			probe_done(hc, in, true, false, now);
	}
}

static bool probing(const struct sfc_hc *hc, const struct hc_inst *in)
{
	return hc->health_fd >= 0 && in->in_ifindex && in->rx_fd >= 0;
}

/* Due work; *wake becomes the earliest time more will be due. */
static void run_timers(struct sfc_hc *hc, uint64_t now, uint64_t *wake)
{
	size_t i;

	for (i = 0; i < hc->n; i++) {
		struct hc_inst *in = hc->inst[i];
		uint64_t due;

		if (!probing(hc, in))
			continue;
		if (in->waiting && now >= in->deadline) {
			drain(hc, in, now);	/* an answer not read yet counts */
			if (in->waiting)
				probe_done(hc, in, false, true, now);
		}
		if (!in->waiting && now >= in->next_send)
			send_probe(hc, in, now);
		due = in->waiting ? in->deadline : in->next_send;
		if (due < *wake)
			*wake = due;
	}
}

int sfc_hc_poll(struct sfc_hc *hc, int max_wait_ms, const sigset_t *mask)
{
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = mono_ns(), wake;
	int n, i, timeout;

	wake = now + (uint64_t)(max_wait_ms > 0 ? max_wait_ms : 0) * NSEC_PER_MSEC;
	run_timers(hc, now, &wake);
	now = mono_ns();
	timeout = wake <= now ? 0 :
		  (int)((wake - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
	n = epoll_pwait(hc->epfd, ev, MAX_EVENTS, timeout, mask);
	if (n < 0)
		return errno == EINTR ? -EINTR : -errno;
	now = mono_ns();
	for (i = 0; i < n; i++)
		drain(hc, ev[i].data.ptr, now);
	wake = UINT64_MAX;
	run_timers(hc, now, &wake);
	return 0;
}

/* --- instances -------------------------------------------------------------- */

/* Takes over what an earlier checker (or run) left in sfc_health. */
static void adopt_state(struct sfc_hc *hc, struct hc_inst *in)
{
	struct sfc_health v;
	__u32 key = in->in_ifindex;

	in->sm = (struct sfc_hc_sm){ .state = SFC_HEALTH_UP };
	in->transitions = 0;
	in->since_ns = 0;
	if (hc->health_fd < 0 || !key ||
	    bpf_map_lookup_elem(hc->health_fd, &key, &v))
		return;
	in->sm.state = v.state == SFC_HEALTH_DOWN ? SFC_HEALTH_DOWN : SFC_HEALTH_UP;
	in->transitions = v.transitions;
	in->since_ns = v.since_ns;
}

static void stop_probing(struct sfc_hc *hc, struct hc_inst *in)
{
	if (in->rx_fd >= 0) {
		epoll_ctl(hc->epfd, EPOLL_CTL_DEL, in->rx_fd, NULL);
		close(in->rx_fd);
	}
	in->rx_fd = -1;
	in->waiting = false;
}

/* Binds the instance to these devices: socket, MAC, state from the map. */
static int start_probing(struct sfc_hc *hc, struct hc_inst *in,
			 uint32_t in_ifindex, uint32_t out_ifindex)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int fd, err;

	in->in_ifindex = in_ifindex;
	in->out_ifindex = out_ifindex;
	err = dev_mac(hc->txfd, in->t.ingress_dev, in->in_mac);
	if (err)
		return err;
	fd = open_rx(out_ifindex);
	if (fd < 0)
		return fd;
	ev.data.ptr = in;
	if (epoll_ctl(hc->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		err = -errno;
		close(fd);
		return err;
	}
	in->rx_fd = fd;
	in->rx_err_logged = false;
	in->map_err_logged = false;
	in->sm.ok_run = in->sm.fail_run = 0;
	in->run_timeouts = 0;
	adopt_state(hc, in);
	return 0;
}

static void resolve(const struct hc_inst *in, uint32_t *iin, uint32_t *iout)
{
	*iin = if_nametoindex(in->t.ingress_dev);
	*iout = *iin ? if_nametoindex(in->t.egress_dev) : 0;
	if (!*iout)
		*iin = 0;
}

/* Follows the instance's devices (see sfc_hc_refresh_devices). */
static void track_devices(struct sfc_hc *hc, struct hc_inst *in, uint64_t now)
{
	uint32_t iin, iout;
	int err;

	resolve(in, &iin, &iout);
	if (!iin) {
		if (!in->in_ifindex && !in->nodev_logged) {
			hc_log(hc, "group %s pair %s: device %s or %s not found, "
			       "not probed", in->t.group, in->t.pair,
			       in->t.ingress_dev, in->t.egress_dev);
			in->nodev_logged = true;
		}
		return;	/* a vanished device keeps its old ifindex: probes fail */
	}
	if (iin == in->in_ifindex && iout == in->out_ifindex && in->rx_fd >= 0)
		return;
	if (in->in_ifindex) {
		stop_probing(hc, in);
		delete_probe_flow(hc, in);
		if (iin != in->in_ifindex)
			unpublish(hc, in->in_ifindex);
		hc_log(hc, "group %s pair %s: devices %s, %s renumbered (ifindex "
		       "%u, %u)", in->t.group, in->t.pair, in->t.ingress_dev,
		       in->t.egress_dev, iin, iout);
	}
	err = start_probing(hc, in, iin, iout);
	if (err) {
		if (!in->nodev_logged)
			hc_log(hc, "group %s pair %s: cannot probe %s -> %s: %s",
			       in->t.group, in->t.pair, in->t.ingress_dev,
			       in->t.egress_dev, strerror(-err));
		in->nodev_logged = true;
		stop_probing(hc, in);
		in->in_ifindex = in->out_ifindex = 0;
		return;
	}
	if (in->nodev_logged)
		hc_log(hc, "group %s pair %s: devices found, probing", in->t.group,
		       in->t.pair);
	in->nodev_logged = false;
	if (in->next_send < now)
		in->next_send = now;
}

void sfc_hc_refresh_devices(struct sfc_hc *hc)
{
	uint64_t now = mono_ns();
	size_t i;

	for (i = 0; i < hc->n; i++)
		track_devices(hc, hc->inst[i], now);
}

static struct hc_inst *find_inst(const struct sfc_hc *hc, const char *group,
				 const char *pair)
{
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (!strcmp(hc->inst[i]->t.group, group) &&
		    !strcmp(hc->inst[i]->t.pair, pair))
			return hc->inst[i];
	return NULL;
}

/* The instance already probing this ingress device in this round. */
static const struct hc_inst *same_device(const struct sfc_hc *hc,
					 const struct hc_inst *self,
					 const char *dev)
{
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (hc->inst[i] != self && hc->inst[i]->seen &&
		    !strcmp(hc->inst[i]->t.ingress_dev, dev))
			return hc->inst[i];
	return NULL;
}

/* Whether an instance other than self (in the latest list) probes ifindex. */
static bool ifindex_in_use(const struct sfc_hc *hc, const struct hc_inst *self,
			   uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (hc->inst[i] != self && hc->inst[i]->seen &&
		    hc->inst[i]->in_ifindex == ifindex)
			return true;
	return false;
}

static void free_inst(struct sfc_hc *hc, struct hc_inst *in, bool forget)
{
	stop_probing(hc, in);
	if (forget && in->in_ifindex && !ifindex_in_use(hc, in, in->in_ifindex)) {
		delete_probe_flow(hc, in);
		unpublish(hc, in->in_ifindex);
		if (in->sm.state == SFC_HEALTH_DOWN)
			hc_log(hc, "group %s pair %s: no longer checked, its down "
			       "state is removed", in->t.group, in->t.pair);
	}
	free(in);
}

static bool params_equal(const struct sfc_cfg_health *a,
			 const struct sfc_cfg_health *b)
{
	return a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
	       a->rise == b->rise && a->fall == b->fall &&
	       !memcmp(a->probe_src, b->probe_src, 4) &&
	       !memcmp(a->probe_dst, b->probe_dst, 4);
}

static int add_inst(struct sfc_hc *hc, const struct sfc_hc_target *t,
		    uint64_t first_send)
{
	struct hc_inst *in, **grown;

	if (hc->n == hc->cap) {
		size_t cap = hc->cap ? hc->cap * 2 : 16;

		grown = realloc(hc->inst, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		hc->inst = grown;
		hc->cap = cap;
	}
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->t = *t;
	in->rx_fd = -1;
	in->sm.state = SFC_HEALTH_UP;
	in->seen = true;
	in->next_send = first_send;
	hc->inst[hc->n++] = in;
	track_devices(hc, in, first_send);
	return 0;
}

/* Deletes the sfc_health entries of devices no instance probes. */
static void sweep_entries(struct sfc_hc *hc)
{
	__u32 key, next, *prev = NULL;
	__u32 stale[SFC_MAX_PORTS];
	size_t i, nr = 0;

	if (hc->health_fd < 0)
		return;
	while (nr < sizeof(stale) / sizeof(stale[0]) &&
	       !bpf_map_get_next_key(hc->health_fd, prev, &next)) {
		key = next;
		prev = &key;
		for (i = 0; i < hc->n; i++)
			if (hc->inst[i]->in_ifindex == key)
				break;
		if (i == hc->n)
			stale[nr++] = key;
	}
	for (i = 0; i < nr; i++) {
		bpf_map_delete_elem(hc->health_fd, &stale[i]);
		hc_log(hc, "sfc_health entry of ifindex %u removed: no checked "
		       "instance uses it", stale[i]);
	}
}

int sfc_hc_set_targets(struct sfc_hc *hc, const struct sfc_hc_target *t,
		       size_t n, bool sweep)
{
	uint64_t now = mono_ns();
	size_t i, j;
	int err;

	for (i = 0; i < hc->n; i++)
		hc->inst[i]->seen = false;
	for (i = 0; i < n; i++) {
		struct hc_inst *in = find_inst(hc, t[i].group, t[i].pair);
		const struct hc_inst *dup = same_device(hc, in, t[i].ingress_dev);
		/* Spread the first probes over the interval: no bursts. */
		uint64_t first = now + t[i].params.interval_ms * NSEC_PER_MSEC *
				       i / (n ? n : 1);

		if (dup) {
			if (!in || !in->seen)
				hc_log(hc, "group %s pair %s: %s is already checked "
				       "for group %s pair %s, not probed twice",
				       t[i].group, t[i].pair, t[i].ingress_dev,
				       dup->t.group, dup->t.pair);
			continue;
		}
		if (!in) {
			err = add_inst(hc, &t[i], first);
			if (err)
				return err;
			continue;
		}
		in->seen = true;
		if (strcmp(in->t.ingress_dev, t[i].ingress_dev) ||
		    strcmp(in->t.egress_dev, t[i].egress_dev) ||
		    !params_equal(&in->t.params, &t[i].params)) {
			/* New devices or probe addresses: start afresh. */
			stop_probing(hc, in);
			delete_probe_flow(hc, in);
			if (strcmp(in->t.ingress_dev, t[i].ingress_dev))
				unpublish(hc, in->in_ifindex);
			in->in_ifindex = in->out_ifindex = 0;
			in->t = t[i];
			in->next_send = first;
		}
		track_devices(hc, in, now);
	}
	for (i = j = 0; i < hc->n; i++) {
		if (hc->inst[i]->seen)
			hc->inst[j++] = hc->inst[i];
		else
			free_inst(hc, hc->inst[i], true);
	}
	hc->n = j;
	if (sweep)
		sweep_entries(hc);
	return 0;
}

/* --- life cycle and status -------------------------------------------------- */

struct sfc_hc *sfc_hc_new(const char *pin_root, sfc_hc_log_fn log, void *ctx,
			  int *err)
{
	struct sfc_hc *hc = calloc(1, sizeof(*hc));

	if (!hc) {
		*err = -ENOMEM;
		return NULL;
	}
	snprintf(hc->pin_root, sizeof(hc->pin_root), "%s", pin_root);
	hc->log = log;
	hc->log_ctx = ctx;
	hc->health_fd = hc->flows_fd = hc->global_fd = -1;
	hc->icmp_id = (uint16_t)getpid();
	if (getrandom(&hc->nonce, sizeof(hc->nonce), 0) != sizeof(hc->nonce))
		hc->nonce = mono_ns() ^ ((uint64_t)getpid() << 32);
	hc->epfd = epoll_create1(EPOLL_CLOEXEC);
	/* Send only: protocol 0 never queues anything for reading. */
	hc->txfd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (hc->epfd < 0 || hc->txfd < 0) {
		*err = -errno;
		sfc_hc_free(hc);
		return NULL;
	}
	*err = 0;
	return hc;
}

void sfc_hc_free(struct sfc_hc *hc)
{
	size_t i;

	if (!hc)
		return;
	for (i = 0; i < hc->n; i++)
		free_inst(hc, hc->inst[i], false);	/* states stay published */
	free(hc->inst);
	if (hc->epfd >= 0)
		close(hc->epfd);
	if (hc->txfd >= 0)
		close(hc->txfd);
	close_fd(&hc->health_fd);
	close_fd(&hc->flows_fd);
	close_fd(&hc->global_fd);
	free(hc);
}

size_t sfc_hc_count(const struct sfc_hc *hc)
{
	return hc->n;
}

void sfc_hc_status(const struct sfc_hc *hc, size_t i, struct sfc_hc_status *s)
{
	const struct hc_inst *in = hc->inst[i];

	memset(s, 0, sizeof(*s));
	s->group = in->t.group;
	s->pair = in->t.pair;
	s->ingress_dev = in->t.ingress_dev;
	s->egress_dev = in->t.egress_dev;
	s->ingress_ifindex = in->in_ifindex;
	s->egress_ifindex = in->out_ifindex;
	s->state = in->sm.state;
	s->transitions = in->transitions;
	s->since_ns = in->since_ns;
	s->sent = in->sent;
	s->answered = in->answered;
	s->completed = in->completed;
	s->last_rtt_ns = in->last_rtt;
	s->last_error = in->completed > in->answered ? in->last_error : "";
}

uint64_t sfc_hc_min_completed(const struct sfc_hc *hc)
{
	uint64_t min = UINT32_MAX;
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (probing(hc, hc->inst[i]) && hc->inst[i]->completed < min)
			min = hc->inst[i]->completed;
	return min;
}

uint32_t sfc_hc_rounds_needed(const struct sfc_hc *hc)
{
	uint32_t r = 0;
	size_t i;

	for (i = 0; i < hc->n; i++) {
		const struct sfc_cfg_health *p = &hc->inst[i]->t.params;

		if (p->rise > r)
			r = p->rise;
		if (p->fall > r)
			r = p->fall;
	}
	return r;
}

uint32_t sfc_hc_min_interval(const struct sfc_hc *hc)
{
	uint32_t min = 0;
	size_t i;

	for (i = 0; i < hc->n; i++)
		if (!min || hc->inst[i]->t.params.interval_ms < min)
			min = hc->inst[i]->t.params.interval_ms;
	return min ? min : SFC_HC_INTERVAL_MS;
}
