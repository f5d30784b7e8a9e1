// SPDX-License-Identifier: GPL-2.0
/*
 * sfcctl health run [ group NAME ] [ --once ] [ --log FILE ]
 * sfcctl health show [ group NAME ]
 *
 * `run` is the health checker (docs/health.md): it probes every instance
 * of the groups with health checks enabled, through the function itself,
 * and writes each up/down transition to the sfc_health map, which the
 * data plane's instance selection reads. It runs until SIGINT or SIGTERM,
 * re-reads the configuration when the state file changes (SIGHUP: at
 * once, and reopens the log file), and logs one line per transition.
 * `--once` probes until every instance has a verdict, prints the states
 * and exits. `show` prints the sfc_health map by instance.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "health.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"

#define TICK_MAX_MS	1000	/* config, pins and devices looked at */

static void health_usage(FILE *out)
{
	fprintf(out,
		"Usage: sfcctl health run [ group NAME ] [ --once ] [ --log FILE ]\n"
		"       sfcctl health show [ group NAME ]\n"
		"run:  probe every instance of the groups with health checks on,\n"
		"      through the function (ICMP echo into the pair's ingress port,\n"
		"      expected back on its egress port); write up/down transitions\n"
		"      to the data plane and log each as one line (stderr, or FILE).\n"
		"      Runs until SIGINT/SIGTERM, follows changes of the configuration;\n"
		"      SIGHUP re-reads it and reopens FILE. --once: probe until every\n"
		"      instance has a verdict (max(rise, fall) probes), print the\n"
		"      states, exit.\n"
		"show: the instances' states as the data plane sees them.\n");
}

/* --- the log ----------------------------------------------------------------- */

static FILE *log_fp;
static const char *log_path;

static int log_open(void)
{
	FILE *fp;

	if (!log_path) {
		log_fp = stderr;
		return 0;
	}
	fp = fopen(log_path, "ae");
	if (!fp)
		return -errno;
	setvbuf(fp, NULL, _IOLBF, 0);
	if (log_fp && log_fp != stderr)
		fclose(log_fp);
	log_fp = fp;
	return 0;
}

static void log_line(void *ctx, const char *line)
{
	char stamp[64], zone[8];
	struct timespec ts;
	struct tm tm;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	fprintf(log_fp ? log_fp : stderr, "%s.%03ld%s %s\n", stamp,
		ts.tv_nsec / 1000000, zone, line);
	fflush(log_fp ? log_fp : stderr);
}

static void __attribute__((format(printf, 1, 2))) log_msg(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_line(NULL, line);
}

/* --- signals ----------------------------------------------------------------- */

static volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
}

/*
 * The signals stay blocked except inside the engine's epoll_pwait (with
 * *waitmask), so one arriving between a check of the flags and the wait
 * still ends the wait.
 */
static int setup_signals(sigset_t *waitmask)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
		sigaddset(&block, sigs[i]);
	}
	if (sigprocmask(SIG_BLOCK, &block, waitmask))
		return -errno;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
	return 0;
}

/* One socket per checked instance: allow as many as the hard limit. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* --- the configuration ------------------------------------------------------- */

/* What identifies one version of the state file (it is replaced by rename). */
struct file_id {
	bool exists;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim;
};

static struct file_id file_id_of(const char *path)
{
	struct file_id id;
	struct stat st;

	memset(&id, 0, sizeof(id));
	if (stat(path, &st))
		return id;
	id.exists = true;
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	id.size = st.st_size;
	id.mtim = st.st_mtim;
	return id;
}

static bool file_id_equal(const struct file_id *a, const struct file_id *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
	       a->mtim.tv_nsec == b->mtim.tv_nsec;
}

/* Why group `only` gives no target, or NULL when it does (or is NULL). */
static const char *group_problem(const struct sfc_config *c, const char *only)
{
	const struct sfc_cfg_ppg *g;

	if (!only)
		return NULL;
	g = sfc_cfg_find_ppg(c, only);
	if (!g)
		return "no such port pair group";
	if (!g->health.enabled)
		return "health checks are off for it";
	return NULL;
}

/*
 * The targets of the saved configuration, read under a shared lock that
 * is released at once. The first load reports errors as sfcctl does
 * (and fails the command); later ones only log and keep the old targets.
 */
static int load_targets(const char *only, bool first, struct sfc_hc_target **t,
			size_t *n, const char **problem)
{
	struct sfc_state st;
	int err;

	if (first) {
		if (sfcctl_open_state(&st, SFC_LOCK_SHARED))
			return -EINVAL;
	} else if (sfc_state_begin(sfcctl_opts.state, SFC_LOCK_SHARED, &st)) {
		log_msg("%s; keeping the instances probed so far", st.err);
		return -EINVAL;
	}
	err = sfc_hc_targets(&st.cfg, only, t, n);
	*problem = group_problem(&st.cfg, only);
	sfc_state_end(&st);
	return err;
}

static void log_targets(const struct sfc_hc_target *t, size_t n,
			const char *only, const char *problem)
{
	size_t i, groups = 0;

	for (i = 0; i < n; i++)
		if (!i || strcmp(t[i].group, t[i - 1].group))
			groups++;
	if (problem)
		log_msg("group %s: %s; nothing to probe", only, problem);
	else if (!n)
		log_msg("no port pair group has health checks on; waiting for "
		      "the configuration to change");
	else
		log_msg("probing %zu instance%s of %zu group%s", n, n == 1 ? "" : "s",
		      groups, groups == 1 ? "" : "s");
}

/* --- run ------------------------------------------------------------------- */

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* "3.2s", "4m05s", "2h13m": how long a state has held. */
static void fmt_age(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000ull;

	if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ns / 100000000ull % 10));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
}

/* The states and transition count, shared by run --once and show. */
static void print_state(uint8_t state, uint32_t transitions, uint64_t since_ns,
			bool known)
{
	char age[32];

	sfc_print_string(PRINT_ANY, "state", " %s", sfc_health_state_name(state));
	sfc_print_uint(PRINT_ANY, "transitions", ", transitions %llu", transitions);
	sfc_print_uint(PRINT_JSON, "since_ns", NULL, since_ns);
	if (known && since_ns) {
		uint64_t now = boot_ns();

		fmt_age(age, sizeof(age), now > since_ns ? now - since_ns : 0);
		sfc_print_uint(PRINT_JSON, "for_ms", NULL,
			       now > since_ns ? (now - since_ns) / 1000000 : 0);
		sfc_print_text(", for %s", age);
	}
}

static void print_verdicts(const struct sfc_hc *hc)
{
	struct sfc_hc_status s;
	size_t i;

	sfc_print_open_object(NULL);
	sfc_print_open_array("instances");
	for (i = 0; i < sfc_hc_count(hc); i++) {
		sfc_hc_status(hc, i, &s);
		sfc_print_open_object(NULL);
		sfc_print_string(PRINT_ANY, "group", "group %s", s.group);
		sfc_print_string(PRINT_ANY, "pair", " pair %s", s.pair);
		sfc_print_string(PRINT_ANY, "ingress", " (%s", s.ingress_dev);
		sfc_print_string(PRINT_ANY, "egress", " -> %s):", s.egress_dev);
		sfc_print_bool(PRINT_JSON, "probed", NULL, s.ingress_ifindex != 0);
		if (!s.ingress_ifindex) {
			sfc_print_text(" not probed: device missing\n");
			sfc_print_close_object();
			continue;
		}
		sfc_print_uint(PRINT_JSON, "ifindex", NULL, s.ingress_ifindex);
		print_state(s.state, s.transitions, s.since_ns, true);
		sfc_print_uint(PRINT_ANY, "probes_sent", "; probes %llu sent", s.sent);
		sfc_print_uint(PRINT_ANY, "probes_answered", ", %llu answered",
			       s.answered);
		if (s.answered)
			sfc_print_uint(PRINT_ANY, "rtt_us", ", rtt %lluus",
				       s.last_rtt_ns / 1000);
		if (*s.last_error)
			sfc_print_string(PRINT_ANY, "last_error",
					 ", last failure: %s", s.last_error);
		sfc_print_text("\n");
		sfc_print_close_object();
	}
	sfc_print_close_array();
	sfc_print_close_object();
}

struct run_args {
	const char *group;
	bool once;
};

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		if (is_help(argv[i])) {
			health_usage(stdout);
			return -1;
		} else if (!strcmp(argv[i], "--once")) {
			a->once = true;
		} else if (!strcmp(argv[i], "--log") && i + 1 < argc) {
			log_path = argv[++i];
		} else if (!strcmp(argv[i], "group") && i + 1 < argc) {
			a->group = argv[++i];
		} else {
			sfc_error("health run: unknown or incomplete argument '%s', "
				  "try 'sfcctl health help'", argv[i]);
			return 1;
		}
	}
	return 0;
}

/* What is being probed, as last read from the configuration. */
struct targets {
	struct sfc_hc_target *t;
	size_t n;
	const char *problem;
};

static bool targets_equal(const struct targets *a, const struct targets *b)
{
	return a->n == b->n && a->problem == b->problem &&
	       (!a->n || !memcmp(a->t, b->t, a->n * sizeof(*a->t)));
}

/*
 * Every tick: the pins (a reloaded data plane gets the states again),
 * the state file (re-read when it changed, or on SIGHUP), the devices.
 * Most changes of the file concern other resources: only a change of
 * what is probed is logged.
 */
static void housekeeping(struct sfc_hc *hc, const struct run_args *a,
			 struct targets *cur, struct file_id *seen, bool force)
{
	struct file_id now = file_id_of(sfcctl_opts.state);
	struct targets next;
	int err;

	sfc_hc_maps(hc);
	if (!force && file_id_equal(&now, seen)) {
		sfc_hc_refresh_devices(hc);
		return;
	}
	*seen = now;
	if (load_targets(a->group, false, &next.t, &next.n, &next.problem))
		return;
	err = sfc_hc_set_targets(hc, next.t, next.n, !a->group);
	if (err) {
		log_msg("cannot follow the new configuration: %s", strerror(-err));
	} else if (!targets_equal(cur, &next)) {
		log_msg("configuration %s changed", sfcctl_opts.state);
		log_targets(next.t, next.n, a->group, next.problem);
	}
	free(cur->t);
	*cur = next;
}

static int health_run(int argc, char **argv)
{
	struct targets cur = { NULL, 0, NULL };
	struct sfc_hc *hc = NULL;
	struct file_id seen;
	struct run_args a;
	uint64_t next_tick, now;
	uint32_t rounds, tick;
	sigset_t waitmask;
	int err, ret = 1;

	err = parse_run_args(argc, argv, &a);
	if (err)
		return err < 0 ? 0 : err;
	err = log_open();
	if (err) {
		sfc_error("log file %s: %s", log_path, strerror(-err));
		return 1;
	}
	err = setup_signals(&waitmask);
	if (err) {
		sfc_error("signals: %s", strerror(-err));
		return 1;
	}
	raise_fd_limit();

	seen = file_id_of(sfcctl_opts.state);
	if (load_targets(a.group, true, &cur.t, &cur.n, &cur.problem))
		return 1;
	if (a.once && cur.problem) {
		sfc_error("group %s: %s", a.group, cur.problem);
		goto out;
	}
	hc = sfc_hc_new(sfcctl_opts.pin_root, log_line, NULL, &err);
	if (!hc) {
		sfc_error("health checker: %s", strerror(-err));
		goto out;
	}
	err = sfc_hc_maps(hc);
	if (err && a.once) {
		sfc_error("data plane at %s: %s", sfcctl_opts.pin_root,
			  err == -ENOENT ? "not loaded" : strerror(-err));
		goto out;
	}
	err = sfc_hc_set_targets(hc, cur.t, cur.n, !a.group);
	if (err) {
		sfc_error("health checker: %s", strerror(-err));
		goto out;
	}
	log_msg("health checker started (state %s, data plane %s)",
	      sfcctl_opts.state, sfcctl_opts.pin_root);
	log_targets(cur.t, cur.n, a.group, cur.problem);

	rounds = sfc_hc_rounds_needed(hc);
	next_tick = mono_ms();
	while (!got_stop) {
		if (a.once && sfc_hc_min_completed(hc) >= rounds)
			break;
		now = mono_ms();
		if (got_hup) {
			got_hup = 0;
			if (log_open())
				log_msg("cannot reopen %s: keeping the old log", log_path);
			housekeeping(hc, &a, &cur, &seen, true);
		} else if (now >= next_tick) {
			housekeeping(hc, &a, &cur, &seen, false);
		}
		if (now >= next_tick) {
			tick = sfc_hc_min_interval(hc);
			next_tick = now + (tick < TICK_MAX_MS ? tick : TICK_MAX_MS);
		}
		err = sfc_hc_poll(hc, (int)(next_tick > now ? next_tick - now : 0),
				  &waitmask);
		if (err && err != -EINTR) {
			log_msg("waiting for probes: %s", strerror(-err));
			goto out;
		}
	}
	if (got_stop)
		log_msg("health checker stopped; the states stay as published");
	if (a.once) {
		print_verdicts(hc);
		ret = got_stop ? 1 : 0;
	} else {
		ret = 0;
	}
out:
	sfc_hc_free(hc);
	free(cur.t);
	if (log_fp && log_fp != stderr)
		fclose(log_fp);
	log_fp = NULL;
	return ret;
}

/* --- show ------------------------------------------------------------------ */

static int open_health_map(void)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sfcctl_opts.pin_root, SFC_MAP_HEALTH);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		int err = errno;

		sfc_error("data plane at %s: %s", sfcctl_opts.pin_root,
			  err == ENOENT ? "not loaded (or without an sfc_health map)" :
			  strerror(err));
		return -1;
	}
	return fd;
}

static void print_entry_state(int fd, uint32_t ifindex)
{
	struct sfc_health v;
	__u32 key = ifindex;
	bool entry = ifindex && !bpf_map_lookup_elem(fd, &key, &v);

	sfc_print_bool(PRINT_JSON, "entry", NULL, entry);
	if (!entry) {
		memset(&v, 0, sizeof(v));
		v.state = SFC_HEALTH_UP;
	}
	print_state(v.state, v.transitions, v.since_ns, entry);
	if (!entry)
		sfc_print_text(" (no entry: %s)", ifindex ? "never down" :
				"device missing");
}

static bool is_target_ifindex(const struct sfc_hc_target *t, size_t n,
			      uint32_t ifindex)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (if_nametoindex(t[i].ingress_dev) == ifindex)
			return true;
	return false;
}

static void print_other_entries(int fd, const struct sfc_hc_target *t, size_t n)
{
	__u32 key, next, *prev = NULL;
	char name[IF_NAMESIZE];
	struct sfc_health v;

	sfc_print_open_array("other");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (is_target_ifindex(t, n, key) || bpf_map_lookup_elem(fd, &key, &v))
			continue;
		if (!if_indextoname(key, name))
			strcpy(name, "?");
		sfc_print_open_object(NULL);
		sfc_print_text("ifindex");
		sfc_print_uint(PRINT_ANY, "ifindex", " %llu", key);
		sfc_print_string(PRINT_ANY, "dev", " (%s, not checked):", name);
		print_state(v.state, v.transitions, v.since_ns, true);
		sfc_print_text("\n");
		sfc_print_close_object();
	}
	sfc_print_close_array();
}

static int health_show(int argc, char **argv)
{
	struct sfc_hc_target *t = NULL;
	const char *only = NULL, *problem;
	struct sfc_state st;
	size_t i, n = 0;
	int fd, err;

	if (argc == 2 && !strcmp(argv[0], "group")) {
		only = argv[1];
	} else if (argc) {
		sfc_error("health show: unknown argument '%s', try 'sfcctl health help'",
			  argv[0]);
		return 1;
	}
	if (sfcctl_open_state(&st, SFC_LOCK_SHARED))
		return 1;
	err = sfc_hc_targets(&st.cfg, only, &t, &n);
	problem = group_problem(&st.cfg, only);
	sfc_state_end(&st);
	if (err || problem) {
		if (problem)
			sfc_error("group %s: %s", only, problem);
		else
			sfc_error("%s", strerror(-err));
		free(t);
		return 1;
	}
	fd = open_health_map();
	if (fd < 0) {
		free(t);
		return 1;
	}
	sfc_print_open_object(NULL);
	sfc_print_open_array("instances");
	for (i = 0; i < n; i++) {
		uint32_t ifindex = if_nametoindex(t[i].ingress_dev);

		sfc_print_open_object(NULL);
		sfc_print_string(PRINT_ANY, "group", "group %s", t[i].group);
		sfc_print_string(PRINT_ANY, "pair", " pair %s", t[i].pair);
		sfc_print_string(PRINT_ANY, "ingress", " (%s", t[i].ingress_dev);
		sfc_print_string(PRINT_ANY, "egress", " -> %s):", t[i].egress_dev);
		sfc_print_uint(PRINT_JSON, "ifindex", NULL, ifindex);
		print_entry_state(fd, ifindex);
		sfc_print_text("\n");
		sfc_print_close_object();
	}
	sfc_print_close_array();
	if (!only)
		print_other_entries(fd, t, n);
	sfc_print_close_object();
	close(fd);
	free(t);
	return 0;
}

int do_health(int argc, char **argv)
{
	if (argc < 1)
		return health_show(0, argv);
	if (is_help(argv[0])) {
		health_usage(stdout);
		return 0;
	}
	if (matches(argv[0], "run"))
		return health_run(argc - 1, argv + 1);
	if (matches(argv[0], "show") || matches(argv[0], "list"))
		return health_show(argc - 1, argv + 1);
	sfc_error("health: unknown command '%s', try 'sfcctl health help'", argv[0]);
	return 1;
}
