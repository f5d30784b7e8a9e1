// SPDX-License-Identifier: GPL-2.0
/*
 * BPF_PROG_TEST_RUN fixture runner.
 *
 * Reads fixture files written by selftests/unit/fixtures/ (format in
 * fixlib.py). It loads its own copy of the data plane once (nothing
 * pinned, so tests never touch a live configuration) and for each fixture
 * empties every map, fills the maps the fixture names, runs the program
 * once on the input frame and compares verdict, output frame, skb->mark,
 * counters and map entries. Every drop counter the fixture does not name
 * must stay zero. (Loading once matters in the TCG guest, where each
 * verification takes about a second.)
 *
 *   bpf_fixtures [-v] [--repeat N] [--no-cache] [--filter TEXT] FILE...
 *
 * --repeat N runs each passing fixture N more times and prints the
 * kernel-measured ns per packet (bench/ uses it); --no-cache makes every
 * run scan the classifier rules, as a flow's first packet does.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
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

#define MAX_PORTS	16
#define MAX_COUNTERS	32
#define MAX_ENTRIES	64
#define MAX_FRAME	(64 * 1024)

enum out_kind { OUT_UNCHECKED, OUT_SAME, OUT_BYTES };
enum counter_kind { CNT_PORT, CNT_DROP, CNT_HOP };

/* A map entry to write before the run, or to check after it. */
struct map_entry {
	char map[32];
	uint8_t *key, *val;	/* val NULL: must be absent (expectations) */
	size_t key_len, val_len;
	int now_at;		/* >= 0: add CLOCK_MONOTONIC ns to the u64 there */
	bool prefix;		/* expectation: val may be a prefix */
};

struct counter_expect {
	enum counter_kind kind;
	__u32 key;		/* port id or drop reason */
	unsigned int word;	/* u64 index inside the value */
	uint64_t value;
};

struct fixture {
	char name[256];
	char prog[64];
	__u32 ingress_ifindex;
	__u32 mark;
	bool check_mark;
	__u32 mark_out;
	struct { __u32 ifindex, id, flags; } ports[MAX_PORTS];
	int nr_ports;
	uint8_t *in;
	size_t in_len;
	int verdict;
	enum out_kind out_kind;
	uint8_t *out;
	size_t out_len;
	struct counter_expect counters[MAX_COUNTERS];
	int nr_counters;
	struct map_entry setup[MAX_ENTRIES];
	int nr_setup;
	struct map_entry expect[MAX_ENTRIES];
	int nr_expect;
	bool check_redirect;
	__u32 redirect_ifindex;
	__u32 redirect_flags;
	struct sfc_meta meta;	/* what XDP handed TC; magic 0: none */
};

static const char *const port_words[] = {
	"rx_packets", "rx_bytes", "reinjected_packets", "reinjected_bytes",
	"si_kept_packets", "si_kept_bytes",
};
#define PORT_WORDS (sizeof(port_words) / sizeof(port_words[0]))
_Static_assert(PORT_WORDS * 8 == sizeof(struct sfc_port_stats), "port words");

static const struct { const char *name; int val; } verdicts[] = {
	{ "TC_ACT_OK", TC_ACT_OK }, { "TC_ACT_SHOT", TC_ACT_SHOT },
	{ "TC_ACT_REDIRECT", TC_ACT_REDIRECT }, { "TC_ACT_PIPE", TC_ACT_PIPE },
	{ "TC_ACT_UNSPEC", TC_ACT_UNSPEC },
	{ "XDP_ABORTED", XDP_ABORTED }, { "XDP_DROP", XDP_DROP },
	{ "XDP_PASS", XDP_PASS },
};

static unsigned long repeat;
static const char *filter;
static bool no_class_cache;	/* --no-cache: measure the rule scan itself */

static void entries_free(struct map_entry *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(e[i].key);
		free(e[i].val);
	}
}

static void fixture_free(struct fixture *f)
{
	free(f->in);
	free(f->out);
	entries_free(f->setup, f->nr_setup);
	entries_free(f->expect, f->nr_expect);
	memset(f, 0, sizeof(*f));
}

/* Hex at s into a new buffer (the fixture frees it). */
static int parse_hex(const char *s, uint8_t **buf, size_t *len)
{
	size_t cap = strlen(s) / 2;

	*buf = malloc(cap ? cap : 1);
	if (!*buf)
		return -ENOMEM;
	return dp_hex(s, *buf, cap < MAX_FRAME ? cap : MAX_FRAME, len);
}

/*
 * "MAP KEYHEX VALHEX [now@N]" (VALHEX may be "none" when allowed; now@N
 * stamps the value with bpf_ktime_get_ns()'s clock at byte N).
 */
static int parse_entry(struct map_entry *e, const char *arg, bool allow_none)
{
	char map[32], key[256], val[4096], extra[32];
	int n = sscanf(arg, "%31s %255s %4095s %31s", map, key, val, extra);

	if (n < 3)
		return -EINVAL;
	e->now_at = -1;
	if (n == 4 && sscanf(extra, "now@%d", &e->now_at) != 1)
		return -EINVAL;
	snprintf(e->map, sizeof(e->map), "%s", map);
	if (parse_hex(key, &e->key, &e->key_len))
		return -EINVAL;
	if (allow_none && !strcmp(val, "none"))
		return 0;
	return parse_hex(val, &e->val, &e->val_len);
}

static int parse_verdict(const char *s, int *out)
{
	size_t i;

	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		if (!strcmp(s, verdicts[i].name)) {
			*out = verdicts[i].val;
			return 0;
		}
	}
	return sscanf(s, "%d", out) == 1 ? 0 : -EINVAL;
}

static int lookup_word(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

static int parse_counter(struct fixture *f, const char *arg)
{
	struct counter_expect *c;
	char kind[16], key[64], word[64];
	unsigned long long value;
	int n, w;

	if (f->nr_counters >= MAX_COUNTERS)
		return -E2BIG;
	c = &f->counters[f->nr_counters];
	n = sscanf(arg, "%15s %63s %63s %llu", kind, key, word, &value);
	if (n == 4 && !strcmp(kind, "port")) {
		w = lookup_word(port_words, PORT_WORDS, word);
		if (w < 0)
			return -EINVAL;
		*c = (struct counter_expect){ CNT_PORT, (__u32)atoi(key),
					      (unsigned int)w, value };
	} else if (n == 4 && !strcmp(kind, "hop")) {
		w = !strcmp(word, "packets") ? 0 : !strcmp(word, "bytes") ? 1 : -1;
		if (w < 0)
			return -EINVAL;
		*c = (struct counter_expect){ CNT_HOP, (__u32)atoi(key),
					      (unsigned int)w, value };
	} else if (n == 3 && !strcmp(kind, "drop")) {
		w = (int)sfc_drop_by_name(key);
		if (w < 1 || sscanf(word, "%llu", &value) != 1)
			return -EINVAL;
		*c = (struct counter_expect){ CNT_DROP, (__u32)w, 0, value };
	} else {
		return -EINVAL;
	}
	f->nr_counters++;
	return 0;
}

/* One "key value" line into the fixture being read. */
static int parse_line(struct fixture *f, const char *key, const char *arg)
{
	if (!strcmp(key, "fixture"))
		snprintf(f->name, sizeof(f->name), "%s", arg);
	else if (!strcmp(key, "prog"))
		snprintf(f->prog, sizeof(f->prog), "%s", arg);
	else if (!strcmp(key, "ingress_ifindex"))
		f->ingress_ifindex = (__u32)strtoul(arg, NULL, 0);
	else if (!strcmp(key, "mark"))
		f->mark = (__u32)strtoul(arg, NULL, 0);
	else if (!strcmp(key, "meta")) {
		unsigned int spi, si, ttl, corr, src;

		if (sscanf(arg, "%u %u %u %u %u", &spi, &si, &ttl, &corr, &src) != 5)
			return -EINVAL;
		f->meta = (struct sfc_meta){ .magic = SFC_META_MAGIC, .spi = spi,
					     .si = (__u8)si, .ttl = (__u8)ttl,
					     .corr = (__u8)corr, .src_port_id = src };
	}
	else if (!strcmp(key, "mark_out")) {
		f->check_mark = true;
		f->mark_out = (__u32)strtoul(arg, NULL, 0);
	} else if (!strcmp(key, "port")) {
		if (f->nr_ports >= MAX_PORTS ||
		    sscanf(arg, "%u %u %u", &f->ports[f->nr_ports].ifindex,
			   &f->ports[f->nr_ports].id,
			   &f->ports[f->nr_ports].flags) != 3)
			return -EINVAL;
		f->nr_ports++;
	} else if (!strcmp(key, "in"))
		return parse_hex(arg, &f->in, &f->in_len);
	else if (!strcmp(key, "verdict"))
		return parse_verdict(arg, &f->verdict);
	else if (!strcmp(key, "out")) {
		if (!strcmp(arg, "same")) {
			f->out_kind = OUT_SAME;
			return 0;
		}
		f->out_kind = OUT_BYTES;
		return parse_hex(arg, &f->out, &f->out_len);
	} else if (!strcmp(key, "counter")) {
		return parse_counter(f, arg);
	} else if (!strcmp(key, "map")) {
		if (f->nr_setup >= MAX_ENTRIES)
			return -E2BIG;
		return parse_entry(&f->setup[f->nr_setup++], arg, false);
	} else if (!strcmp(key, "expect_map")) {
		int err;

		if (f->nr_expect >= MAX_ENTRIES)
			return -E2BIG;
		err = parse_entry(&f->expect[f->nr_expect], arg, true);
		f->expect[f->nr_expect++].prefix = true;
		return err;
	} else if (!strcmp(key, "redirect")) {
		f->check_redirect = true;
		if (sscanf(arg, "%u %u", &f->redirect_ifindex,
			   &f->redirect_flags) != 2)
			return -EINVAL;
	}
	else
		return -EINVAL;
	return 0;
}

static void hexdump(const char *label, const uint8_t *p, size_t n)
{
	size_t i;

	printf("# %s (%zu bytes):", label, n);
	for (i = 0; i < n && i < 96; i++)
		printf("%s%02x", i % 32 ? "" : "\n#   ", p[i]);
	printf("%s\n", n > 96 ? " ..." : "");
}

static int setup_ports(struct sfc_tc *skel, const struct fixture *f)
{
	int fd = bpf_map__fd(skel->maps.sfc_ports), i;

	for (i = 0; i < f->nr_ports; i++) {
		struct sfc_port_key k = { .ifindex = f->ports[i].ifindex };
		struct sfc_port_val v = { .port_id = f->ports[i].id,
					  .flags = f->ports[i].flags };

		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

static struct bpf_map *find_map(struct sfc_tc *skel, const struct map_entry *e,
				bool with_value)
{
	struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, e->map);

	if (!map) {
		printf("# no map '%s'\n", e->map);
		return NULL;
	}
	/* Expectations may give a prefix of the value (e.g. no timestamp). */
	if (e->key_len != bpf_map__key_size(map) ||
	    (with_value && e->val_len != bpf_map__value_size(map) &&
	     !(e->prefix && e->val_len < bpf_map__value_size(map)))) {
		printf("# %s: fixture entry is %zu/%zu bytes, map wants %u/%u\n",
		       e->map, e->key_len, e->val_len, bpf_map__key_size(map),
		       bpf_map__value_size(map));
		return NULL;
	}
	return map;
}

static int setup_entries(struct sfc_tc *skel, const struct fixture *f)
{
	static struct dp_rules rules;
	char err[256];
	int i, ret;

	memset(&rules, 0, sizeof(rules));
	for (i = 0; i < f->nr_setup; i++) {
		const struct map_entry *e = &f->setup[i];
		struct bpf_map *map;

		ret = dp_rules_take(&rules, e->map, e->key, e->key_len, e->val,
				    e->val_len);
		if (ret < 0) {
			printf("# %s: bad rule entry\n", e->map);
			return ret;
		}
		if (ret)
			continue;
		map = find_map(skel, e, true);
		if (!map)
			return -EINVAL;
		if (e->now_at >= 0 && (size_t)e->now_at + 8 <= e->val_len) {
			struct timespec ts;
			uint64_t now, offset;

			/* what the fixture put there is an offset from now */
			memcpy(&offset, e->val + e->now_at, sizeof(offset));
			clock_gettime(CLOCK_MONOTONIC, &ts);
			now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
			now += offset;
			memcpy(e->val + e->now_at, &now, sizeof(now));
		}
		if (bpf_map_update_elem(bpf_map__fd(map), e->key, e->val, BPF_ANY))
			return -errno;
	}
	ret = dp_rules_write(skel, &rules, err, sizeof(err));
	if (ret)
		printf("# classifier: %s\n", err);
	return ret;
}

static bool check_entries(struct sfc_tc *skel, const struct fixture *f)
{
	static uint8_t got[4096];
	bool ok = true;
	int i;

	for (i = 0; i < f->nr_expect; i++) {
		const struct map_entry *e = &f->expect[i];
		struct bpf_map *map = find_map(skel, e, e->val != NULL);
		int err;

		if (!map || bpf_map__value_size(map) > sizeof(got))
			return false;
		err = bpf_map_lookup_elem(bpf_map__fd(map), e->key, got);
		if (!e->val && !err) {
			printf("# %s: entry present, expected none\n", e->map);
			hexdump("key", e->key, e->key_len);
			ok = false;
		} else if (e->val && err) {
			printf("# %s: entry missing\n", e->map);
			hexdump("key", e->key, e->key_len);
			ok = false;
		} else if (e->val && memcmp(got, e->val, e->val_len)) {
			printf("# %s: entry differs\n", e->map);
			hexdump("expected", e->val, e->val_len);
			hexdump("got", got, e->val_len);
			ok = false;
		}
	}
	return ok;
}

static bool check_redirect(struct sfc_tc *skel, const struct fixture *f)
{
	if (!f->check_redirect)
		return true;
	if (skel->bss->sfc_test_redirect_ifindex == f->redirect_ifindex &&
	    skel->bss->sfc_test_redirect_flags == f->redirect_flags)
		return true;
	printf("# redirect: expected ifindex %u flags %u, got ifindex %u flags %u\n",
	       f->redirect_ifindex, f->redirect_flags,
	       skel->bss->sfc_test_redirect_ifindex,
	       skel->bss->sfc_test_redirect_flags);
	return false;
}

static bool check_counters(struct sfc_tc *skel, const struct fixture *f,
			   bool xdp)
{
	int port_fd = bpf_map__fd(skel->maps.sfc_port_stats);
	int drop_fd = bpf_map__fd(skel->maps.sfc_drop_stats);
	bool listed[SFC_DROP__MAX] = { false };
	uint64_t words[PORT_WORDS], total_drops = 0;
	bool ok = true;
	__u32 r;
	int i;

	int hop_fd = bpf_map__fd(skel->maps.sfc_hop_stats);

	for (i = 0; i < f->nr_counters; i++) {
		const struct counter_expect *c = &f->counters[i];
		int fd = c->kind == CNT_PORT ? port_fd :
			 c->kind == CNT_HOP ? hop_fd : drop_fd;
		unsigned int nw = c->kind == CNT_PORT ? PORT_WORDS : 2;

		if (sfc_percpu_sum_u64(fd, c->key, words, nw)) {
			printf("# counter lookup %u failed\n", c->key);
			return false;
		}
		if (c->kind == CNT_DROP)
			listed[c->key] = true;
		if (words[c->word] != c->value) {
			printf("# counter %s %u %s: expected %llu, got %llu\n",
			       c->kind == CNT_PORT ? "port" :
			       c->kind == CNT_HOP ? "hop" : "drop", c->key,
			       c->kind == CNT_PORT ? port_words[c->word] :
			       c->kind == CNT_HOP ? (c->word ? "bytes" : "packets") :
						    sfc_drop_name(c->key),
			       (unsigned long long)c->value,
			       (unsigned long long)words[c->word]);
			ok = false;
		}
	}
	for (r = 1; r < SFC_DROP__MAX; r++) {
		if (sfc_percpu_sum_u64(drop_fd, r, words, 2))
			return false;
		total_drops += words[0];
		if (!listed[r] && words[0]) {
			printf("# unexpected drop: %s counted %llu\n",
			       sfc_drop_name(r), (unsigned long long)words[0]);
			ok = false;
		}
	}
	if (f->verdict == (xdp ? XDP_DROP : TC_ACT_SHOT) && !total_drops) {
		printf("# a drop without a counted drop reason\n");
		ok = false;
	}
	return ok;
}

static bool check_output(const struct fixture *f, const uint8_t *out,
			 size_t out_len, const struct __sk_buff *ctx)
{
	const uint8_t *want = f->out_kind == OUT_SAME ? f->in : f->out;
	size_t want_len = f->out_kind == OUT_SAME ? f->in_len : f->out_len;
	bool ok = true;

	if (f->out_kind != OUT_UNCHECKED &&
	    (out_len != want_len || memcmp(out, want, want_len))) {
		printf("# output frame differs\n");
		hexdump("expected", want, want_len);
		hexdump("got", out, out_len);
		ok = false;
	}
	if (f->check_mark && ctx->mark != f->mark_out) {
		printf("# skb->mark: expected 0x%x, got 0x%x\n", f->mark_out,
		       ctx->mark);
		ok = false;
	}
	return ok;
}

static void bench_fixture(int prog_fd, const struct fixture *f)
{
	struct __sk_buff ctx = { .ingress_ifindex = f->ingress_ifindex,
				 .mark = f->mark };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f->in, .data_size_in = (__u32)f->in_len,
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		.repeat = (int)repeat);

	if (!bpf_prog_test_run_opts(prog_fd, &opts))
		printf("# bench %u ns/pkt: %s\n", opts.duration, f->name);
}

/* Zeroes every entry of an array map with one batch update. */
static int zero_array(struct bpf_map *map)
{
	__u32 n = bpf_map__max_entries(map), i, count = n;
	size_t vsize = bpf_map__value_size(map);
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 *keys;
	void *zero;
	int err = 0;

	if (bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY)
		vsize = ((vsize + 7) & ~(size_t)7) * (size_t)sfc_nr_cpus();
	keys = calloc(n, sizeof(*keys));
	zero = calloc(n, vsize);
	if (!keys || !zero)
		err = -ENOMEM;
	for (i = 0; !err && i < n; i++)
		keys[i] = i;
	if (!err && bpf_map_update_batch(bpf_map__fd(map), keys, zero, &count, &opts))
		err = -errno;
	free(keys);
	free(zero);
	return err;
}

static int empty_hash(struct bpf_map *map)
{
	uint8_t key[256];

	if (bpf_map__key_size(map) > sizeof(key))
		return -E2BIG;
	while (!bpf_map_get_next_key(bpf_map__fd(map), NULL, key))
		if (bpf_map_delete_elem(bpf_map__fd(map), key))
			return -errno;
	return 0;
}

/* Every fixture starts from empty maps, as a fresh load would. */
static int reset_data_plane(struct sfc_tc *skel)
{
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, skel->obj) {
		switch (bpf_map__type(map)) {
		case BPF_MAP_TYPE_ARRAY:
			if (strchr(bpf_map__name(map), '.'))
				continue;	/* .rodata / .bss: below */
			/* fall through */
		case BPF_MAP_TYPE_PERCPU_ARRAY:
			err = zero_array(map);
			break;
		default:
			err = empty_hash(map);
		}
		if (err)
			return err;
	}
	memset(skel->bss, 0, sizeof(*skel->bss));
	return 0;
}

static struct sfc_tc *load_data_plane(void)
{
	char err[256];
	struct sfc_tc *skel = dp_test_load(no_class_cache, err, sizeof(err));

	if (!skel)
		printf("# %s\n", err);
	return skel;
}

/* Runs one fixture on the loaded data plane, returns pass/fail. */
static bool run_fixture(struct sfc_tc *skel, const struct fixture *f)
{
	static uint8_t out[MAX_FRAME];
	bool ok;
	struct __sk_buff ctx_in = { .ingress_ifindex = f->ingress_ifindex,
				    .mark = f->mark };
	struct __sk_buff ctx_out = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f->in, .data_size_in = (__u32)f->in_len,
		.data_out = out, .data_size_out = sizeof(out),
		.ctx_in = &ctx_in, .ctx_size_in = sizeof(ctx_in),
		.ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out),
		.repeat = 1);
	struct bpf_program *prog;
	bool xdp;
	int err;

	if (!skel)
		return false;
	prog = bpf_object__find_program_by_name(skel->obj, f->prog);
	if (!prog) {
		printf("# no program '%s'\n", f->prog);
		return false;
	}
	/* XDP runs get no skb context; their output starts at the metadata. */
	xdp = bpf_program__type(prog) == BPF_PROG_TYPE_XDP;
	if (xdp) {
		opts.ctx_in = opts.ctx_out = NULL;
		opts.ctx_size_in = opts.ctx_size_out = 0;
	}
	err = reset_data_plane(skel);
	if (err) {
		printf("# emptying the maps failed: %s\n", strerror(-err));
		return false;
	}
	err = setup_ports(skel, f);
	if (!err)
		err = setup_entries(skel, f);
	if (err) {
		printf("# setup failed: %s\n", strerror(-err));
		return false;
	}
	skel->bss->sfc_test_meta = f->meta;
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err) {
		printf("# BPF_PROG_TEST_RUN failed: %s\n", strerror(errno));
		return false;
	}
	ok = true;
	if ((int)opts.retval != f->verdict) {
		printf("# verdict: expected %d, got %d\n", f->verdict,
		       (int)opts.retval);
		ok = false;
	}
	ok = check_output(f, out, opts.data_size_out, &ctx_out) && ok;
	ok = check_counters(skel, f, xdp) && ok;
	ok = check_entries(skel, f) && ok;
	ok = check_redirect(skel, f) && ok;
	if (ok && repeat)
		bench_fixture(bpf_program__fd(prog), f);
	return ok;
}

static int run_file(struct sfc_tc *skel, const char *path)
{
	struct fixture f = { 0 };
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	FILE *fp;

	fp = fopen(path, "r");
	if (!fp) {
		tap_result(0, "open %s: %s", path, strerror(errno));
		return -errno;
	}
	while (getline(&line, &cap, fp) > 0) {
		char *arg;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (!strcmp(line, "end")) {
			if (!filter || strstr(f.name, filter))
				tap_result(run_fixture(skel, &f), "%s", f.name);
			fixture_free(&f);
			continue;
		}
		arg = strchr(line, ' ');
		if (arg)
			*arg++ = '\0';
		if (parse_line(&f, line, arg ? arg : "")) {
			tap_result(0, "%s:%d: bad line '%s'", path, lineno, line);
			fixture_free(&f);
		}
	}
	free(line);
	fixture_free(&f);
	fclose(fp);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repeat", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ 0 }
	};
	bool verbose = false;
	struct sfc_tc *skel;
	int c, i;

	while ((c = getopt_long(argc, argv, "r:f:vn", longopts, NULL)) != -1) {
		if (c == 'v')
			verbose = true;
		else if (c == 'n')
			no_class_cache = true;
		else if (c == 'r')
			repeat = strtoul(optarg, NULL, 0);
		else if (c == 'f')
			filter = optarg;
		else
			return KSFT_FAIL;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [--repeat N] [--filter TEXT] FILE...\n",
			argv[0]);
		return KSFT_FAIL;
	}
	if (geteuid() != 0)
		tap_skip_all("BPF_PROG_TEST_RUN needs root (CAP_BPF, CAP_NET_ADMIN)");
	if (!verbose)
		libbpf_set_print(NULL);	/* -v shows verifier logs */
	skel = load_data_plane();	/* NULL: every fixture fails, saying why */
	for (i = optind; i < argc; i++)
		run_file(skel, argv[i]);
	sfc_tc__destroy(skel);
	return tap_finish();
}
