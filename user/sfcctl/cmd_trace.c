// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl trace [ chain NAME ] [ addr ADDR ] [ port N ] [ proto P ]
 *              [ drops ] [ sample N ] [ count N ] [ duration SECONDS ]
 *
 * Follows packets through the data plane, as pwru or `cilium monitor` do
 * for their users: one line (or JSON object) per packet a program acted
 * on, with the device, the chain, hop and direction, the instance it was
 * sent to, the verdict and the drop reason. Tracing is switched on in the
 * pinned sfc_trace_cfg map while the command runs, and off when it ends.
 * One trace at a time: a second one would switch the first one's filter.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane.h"
#include "names.h"
#include "parse.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"

struct trace_opts {
	struct sfc_trace_cfg cfg;
	unsigned long count;	/* stop after this many events, 0: never */
	unsigned long seconds;	/* stop after this long, 0: never */
};

struct trace_run {
	const struct sfc_config *config;
	unsigned long seen;
	unsigned long limit;
};

/* Where a redirect put the packet: the target's ingress or egress, or
 * (bpf_redirect_peer) the ingress of the other end of a veth. */
static const char *target_hook_name(__u32 flags)
{
	if (flags & SFC_REDIRECT_PEER)
		return "peer";
	return flags & BPF_F_INGRESS ? "ingress" : "egress";
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void trace_usage(void)
{
	printf("Usage: sfcctl trace [ chain NAME ] [ addr ADDR ] [ port N ] [ proto P ]\n"
	       "                    [ drops ] [ sample N ] [ count N ] [ duration SECONDS ]\n"
	       "Prints what the data plane does with each packet (filtered, 1 in N\n"
	       "when sampled) until Ctrl-C, COUNT events or SECONDS. addr and port\n"
	       "match either end; proto is tcp, udp, icmp, icmpv6 or a number.\n");
}

static int parse_proto(const char *s, __u8 *out)
{
	static const struct { const char *name; __u8 num; } protos[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "sctp", 132 },
	};
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*out = protos[i].num;
			return 0;
		}
	}
	if (sfc_parse_u32(s, 255, &v))
		return -EINVAL;
	*out = (__u8)v;
	return 0;
}

static int parse_addr(const char *s, struct sfc_trace_cfg *cfg)
{
	struct sfc_prefix p;

	if (sfc_parse_prefix(s, &p) || p.len != (p.family == AF_INET ? 32 : 128))
		return -EINVAL;
	memcpy(cfg->addr, p.addr, 16);
	cfg->flags |= SFC_TRACE_F_ADDR;
	return 0;
}

/* One "keyword value" pair into opts; -EINVAL when bad (message printed). */
static int parse_opt(const struct sfc_config *c, const char *key, const char *val,
		     struct trace_opts *o)
{
	const struct sfc_cfg_chain *ch;
	uint32_t v;

	if (!strcmp(key, "chain")) {
		ch = sfc_cfg_find_chain(c, val);
		if (!ch) {
			sfc_error("no port chain '%s'", val);
			return -EINVAL;
		}
		o->cfg.chain = (__u16)ch->id;
		o->cfg.flags |= SFC_TRACE_F_CHAIN;
	} else if (!strcmp(key, "addr")) {
		if (parse_addr(val, &o->cfg)) {
			sfc_error("bad address '%s'", val);
			return -EINVAL;
		}
	} else if (!strcmp(key, "port")) {
		if (sfc_parse_u32(val, 65535, &v)) {
			sfc_error("bad port '%s'", val);
			return -EINVAL;
		}
		o->cfg.port = (__u16)v;
		o->cfg.flags |= SFC_TRACE_F_PORT;
	} else if (!strcmp(key, "proto")) {
		if (parse_proto(val, &o->cfg.proto)) {
			sfc_error("bad protocol '%s'", val);
			return -EINVAL;
		}
	} else if (!strcmp(key, "sample") || !strcmp(key, "count") ||
		   !strcmp(key, "duration")) {
		if (sfc_parse_u32(val, UINT32_MAX, &v) || !v) {
			sfc_error("bad %s '%s': expected a positive number", key, val);
			return -EINVAL;
		}
		if (key[0] == 's')
			o->cfg.sample = v;
		else if (key[0] == 'c')
			o->count = v;
		else
			o->seconds = v;
	} else {
		sfc_error("unknown argument '%s', try 'sfcctl trace help'", key);
		return -EINVAL;
	}
	return 0;
}

static int parse_opts(const struct sfc_config *c, int argc, char **argv,
		      struct trace_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg.enabled = 1;
	while (argc > 0) {
		if (!strcmp(argv[0], "drops")) {
			o->cfg.flags |= SFC_TRACE_F_DROPS;
			argc--, argv++;
			continue;
		}
		if (argc < 2) {
			sfc_error("'%s' needs a value", argv[0]);
			return -EINVAL;
		}
		if (parse_opt(c, argv[0], argv[1], o))
			return -EINVAL;
		argc -= 2, argv += 2;
	}
	return 0;
}

static const char *chain_name(const struct sfc_config *c, __u16 id)
{
	size_t i;

	for (i = 0; i < c->chains.n; i++)
		if (c->chains.v[i].id == id)
			return c->chains.v[i].name;
	return NULL;
}

static const char *verdict_name(int v)
{
	switch (v) {
	case TC_ACT_OK: return "pass";
	case TC_ACT_SHOT: return "drop";
	case TC_ACT_REDIRECT: return "redirect";
	default: return "other";
	}
}

static void print_endpoint(const char *key_addr, const char *key_port,
			   const __be32 *addr, __u16 port, int family)
{
	char buf[INET6_ADDRSTRLEN] = "-";

	if (family)
		inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, buf, sizeof(buf));
	sfc_print_string(PRINT_ANY, key_addr, " %s", buf);
	sfc_print_uint(PRINT_ANY, key_port, ":%llu", port);
}

static void print_event(const struct trace_run *run, const struct sfc_trace_event *e)
{
	char dev[IF_NAMESIZE] = "?", target[IF_NAMESIZE] = "?";
	const char *chain = e->chain ? chain_name(run->config, e->chain) : NULL;

	if_indextoname(e->ifindex, dev);
	sfc_print_open_object(NULL);
	sfc_print_uint(PRINT_ANY, "ts_ns", "%llu", e->ts_ns);
	sfc_print_string(PRINT_ANY, "dev", " %s", dev);
	sfc_print_string(PRINT_ANY, "hook", " %s",
			 e->hook == SFC_TRACE_EGRESS ? "egress" : "ingress");
	sfc_print_uint(PRINT_JSON, "proto", NULL, e->proto);
	print_endpoint("src", "sport", e->saddr, e->sport, e->family);
	sfc_print_text(" >");
	print_endpoint("dst", "dport", e->daddr, e->dport, e->family);
	sfc_print_uint(PRINT_ANY, "len", " len %llu", e->len);
	if (chain) {
		sfc_print_string(PRINT_ANY, "chain", " chain %s", chain);
		sfc_print_string(PRINT_ANY, "dir", " %s",
				 e->dir == SFC_DIR_REV ? "reverse" : "forward");
		if (e->hop == SFC_HOP_DONE)
			sfc_print_string(PRINT_ANY, "hop", " %s", "done");
		else
			sfc_print_uint(PRINT_ANY, "hop", " hop %llu", e->hop);
	}
	sfc_print_string(PRINT_ANY, "verdict", " %s", verdict_name(e->verdict));
	if (e->target_ifindex) {
		if_indextoname(e->target_ifindex, target);
		sfc_print_string(PRINT_ANY, "target", " -> %s", target);
		sfc_print_string(PRINT_ANY, "target_hook", " (%s)",
				 target_hook_name(e->target_flags));
	}
	if (e->drop_reason)
		sfc_print_string(PRINT_ANY, "reason", " reason %s",
				 sfc_drop_name(e->drop_reason));
	sfc_print_text("\n");
	sfc_print_close_object();
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct trace_run *run = ctx;
	bool json = sfc_print_is_json();

	/* libbpf only stops on a negative return: ignore the surplus. */
	if (len < sizeof(struct sfc_trace_event) ||
	    (run->limit && run->seen >= run->limit))
		return 0;
	/* One JSON document per line, so a reader can follow the stream. */
	if (json)
		sfc_print_begin(true, false);
	print_event(run, data);
	if (json)
		sfc_print_end();
	fflush(stdout);
	run->seen++;
	return run->limit && run->seen >= run->limit ? 1 : 0;
}

static int set_cfg(const struct sfc_dp *dp, const struct sfc_trace_cfg *cfg)
{
	__u32 zero = 0;

	return bpf_map_update_elem(dp->trace_cfg_fd, &zero, cfg, BPF_ANY) ? -errno : 0;
}

static int run_trace(const struct sfc_dp *dp, struct trace_run *run,
		     unsigned long seconds)
{
	struct ring_buffer *rb;
	time_t until = seconds ? time(NULL) + (time_t)seconds : 0;
	int err = 0;

	rb = ring_buffer__new(dp->trace_fd, on_event, run, NULL);
	if (!rb)
		return -errno;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop && (!until || time(NULL) < until)) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0 || (run->limit && run->seen >= run->limit))
			break;
		err = 0;
	}
	ring_buffer__free(rb);
	return err > 0 ? 0 : err;
}

int do_trace(int argc, char **argv)
{
	struct sfc_trace_cfg off = { 0 };
	struct trace_run run = { 0 };
	struct sfc_config config;
	struct trace_opts opts;
	struct sfc_state st;
	struct sfc_dp dp;
	bool json = sfc_print_is_json();
	int err;

	if (argc > 0 && is_help(argv[0])) {
		trace_usage();
		return 0;
	}
	if (sfcctl_open_state(&st, SFC_LOCK_SHARED))
		return 1;
	/* A copy for names: the lock must not block writers while we trace. */
	sfc_config_init(&config);
	err = sfc_config_copy(&config, &st.cfg);
	sfc_state_end(&st);
	if (!err)
		err = parse_opts(&config, argc, argv, &opts);
	if (!err)
		err = sfc_dp_open(&dp, sfcctl_opts.pin_root);
	if (err) {
		if (err != -EINVAL)
			sfc_error("data plane at %s: %s", sfcctl_opts.pin_root,
				  err == -ENOENT ? "not loaded" : strerror(-err));
		sfc_config_free(&config);
		return 1;
	}
	run.config = &config;
	run.limit = opts.count;
	/* The printer emits one document per event; nothing is left over. */
	sfc_print_begin(json, false);
	err = set_cfg(&dp, &opts.cfg);
	if (!err) {
		fprintf(stderr, "sfcctl: tracing (Ctrl-C to stop)\n");
		err = run_trace(&dp, &run, opts.seconds);
		set_cfg(&dp, &off);
	}
	if (err)
		sfc_error("trace: %s", strerror(-err));
	sfc_dp_close(&dp);
	sfc_config_free(&config);
	return err ? 1 : 0;
}
