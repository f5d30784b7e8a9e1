/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Health checks of VNF instances (port pairs), through the function
 * itself: an ICMP echo request with a private cookie is sent into the
 * pair's ingress port and expected back, unchanged, on its egress port
 * (a bump in the wire forwards it). Per instance a state machine with
 * rise/fall thresholds decides up or down; every transition is written to
 * the pinned sfc_health map (which the data plane's instance selection
 * reads) and reported as one log line. docs/health.md has the whole story.
 *
 *   hc = sfc_hc_new(pin_root, log, ctx, &err);
 *   sfc_hc_maps(hc);                      open (or re-open) the pinned maps
 *   sfc_hc_set_targets(hc, t, n, sweep);  what to probe, from the config
 *   while (...) sfc_hc_poll(hc, ms, mask);  send, receive, time out
 *   sfc_hc_free(hc);
 *
 * Initial state: an instance with an entry in sfc_health starts in that
 * state (a restarted checker does not put a dead instance back into
 * service); one without starts up, and is written down only after `fall`
 * failed probes. Nothing is written before the first transition.
 */
#ifndef SFC_HEALTH_H
#define SFC_HEALTH_H

#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "uapi/sfc_maps.h"

/* Defaults for fields a configuration leaves 0 (see config.h). */
#define SFC_HC_INTERVAL_MS	1000
#define SFC_HC_TIMEOUT_MS	500
#define SFC_HC_RISE		2
#define SFC_HC_FALL		3
#define SFC_HC_PROBE_SRC	{ 169, 254, 255, 1 }
#define SFC_HC_PROBE_DST	{ 169, 254, 255, 2 }

/* The first bytes of every probe's ICMP payload. */
#define SFC_HC_MAGIC		"sfc-health"

/*
 * The rise/fall state machine of one instance, apart from any socket so
 * it can be tested alone. ok_run/fail_run count consecutive results.
 */
struct sfc_hc_sm {
	uint8_t state;		/* SFC_HEALTH_UP or SFC_HEALTH_DOWN */
	uint32_t ok_run;
	uint32_t fail_run;
};

/* Feeds one probe result; true when it changed sm->state. */
bool sfc_hc_sm_step(struct sfc_hc_sm *sm, bool ok, uint32_t rise,
		    uint32_t fall);

/* One instance to probe, as the configuration names it. */
struct sfc_hc_target {
	char group[SFC_NAME_MAX];
	char pair[SFC_NAME_MAX];
	char ingress_dev[IF_NAMESIZE];
	char egress_dev[IF_NAMESIZE];
	struct sfc_cfg_health params;	/* defaults filled in */
};

/*
 * The instances of every group with health checks enabled (only group
 * `only` when not NULL), with defaults for unset parameters and the
 * timeout kept below the interval. *out is malloc'd (NULL when n is 0).
 * Returns 0 or -ENOMEM.
 */
int sfc_hc_targets(const struct sfc_config *c, const char *only,
		   struct sfc_hc_target **out, size_t *n);

/* A line for the log (no newline); the caller adds time and destination. */
typedef void (*sfc_hc_log_fn)(void *ctx, const char *line);

struct sfc_hc;

/* Returns NULL with *err = -errno (socket or epoll creation failed). */
struct sfc_hc *sfc_hc_new(const char *pin_root, sfc_hc_log_fn log, void *ctx,
			  int *err);
void sfc_hc_free(struct sfc_hc *hc);

/*
 * Opens sfc_health, sfc_flows and sfc_global under the pin root, or keeps
 * them when they are still the pinned ones. When the data plane was
 * reloaded (new maps), the current states are written into the new map.
 * Also follows the steered mark of sfc_global. 0, or -errno (-ENOENT:
 * not loaded); while the maps are missing nothing is probed.
 */
int sfc_hc_maps(struct sfc_hc *hc);

/*
 * Replaces the set of instances. One already probed (same group and
 * pair) keeps its state; one whose devices changed is re-keyed. Devices
 * are resolved to ifindexes here (call it again to follow renumbered
 * devices). One state machine per ingress device: a pair in two checked
 * groups is probed once, with the first group's parameters. The
 * sfc_health entries of instances no longer checked are deleted; with
 * sweep, also every other entry that is not a checked instance's.
 */
int sfc_hc_set_targets(struct sfc_hc *hc, const struct sfc_hc_target *t,
		       size_t n, bool sweep);

/*
 * Resolves every instance's devices again: a device that was recreated
 * (new ifindex) re-keys its instance, one that appeared starts being
 * probed. One that vanished keeps its old ifindex, so its probes fail and
 * it goes down, and the data plane stops selecting the dead port.
 */
void sfc_hc_refresh_devices(struct sfc_hc *hc);

/*
 * Sends due probes, takes in answers, times out late ones, for at most
 * max_wait_ms. mask is the signal mask during the wait (epoll_pwait), so
 * a caller that blocks its signals elsewhere is woken by them without a
 * race. Returns 0, -EINTR when a signal arrived, or another -errno.
 */
int sfc_hc_poll(struct sfc_hc *hc, int max_wait_ms, const sigset_t *mask);

/* What one instance looks like now (sfcctl health run --once prints it). */
struct sfc_hc_status {
	const char *group;
	const char *pair;
	const char *ingress_dev;
	const char *egress_dev;
	uint32_t ingress_ifindex;	/* 0: device not found, not probed */
	uint32_t egress_ifindex;
	uint8_t state;			/* SFC_HEALTH_* */
	uint32_t transitions;
	uint64_t since_ns;		/* CLOCK_BOOTTIME; 0 = never changed */
	uint64_t sent, answered;	/* probes */
	uint64_t completed;		/* answered or failed */
	uint64_t last_rtt_ns;		/* of the last answer */
	const char *last_error;		/* of the last failure, "" none */
};

size_t sfc_hc_count(const struct sfc_hc *hc);
void sfc_hc_status(const struct sfc_hc *hc, size_t i, struct sfc_hc_status *s);

/*
 * The fewest completed probes of any instance being probed (instances
 * whose devices are missing do not count); UINT32_MAX when none is.
 * `--once` polls until this reaches max(rise, fall).
 */
uint64_t sfc_hc_min_completed(const struct sfc_hc *hc);
/* max(rise, fall) over the instances: probes needed for a verdict. */
uint32_t sfc_hc_rounds_needed(const struct sfc_hc *hc);
/* The smallest interval of any instance (ms), or SFC_HC_INTERVAL_MS. */
uint32_t sfc_hc_min_interval(const struct sfc_hc *hc);

/* "up", "down". */
const char *sfc_health_state_name(uint8_t state);

#endif /* SFC_HEALTH_H */
