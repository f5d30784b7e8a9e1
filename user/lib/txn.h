/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transaction every configuration change goes through, whoever makes
 * it (sfcctl, sfc-cni):
 *
 *   sfc_txn_begin     lock the state file, load it, copy it into t->next
 *   ... change t->next ...
 *   sfc_txn_commit    assign ids, validate, compile the active part into
 *                     the maps (the file is saved before the switch)
 *   sfc_txn_end       free, unlock
 *
 * A failure anywhere leaves the file and the live data plane as they were,
 * with one line in t->err. Concurrent transactions queue on the lock.
 *
 * Pending references: a port whose name contains '/' (a workload named
 * NAMESPACE/NAME, as sfc-cni names pods) may be named by pairs and
 * classifiers before it exists. The data plane gets the active
 * configuration: what is pending is left out until the port appears (see
 * sfc_config_active).
 */
#ifndef SFC_TXN_H
#define SFC_TXN_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "state.h"

/* Changes cfg, a copy of the saved configuration: 0, or -1 and err. */
typedef int (*sfc_txn_fn)(struct sfc_config *cfg, void *ctx, char *err,
			  size_t errlen);

struct sfc_txn {
	struct sfc_state st;	/* the lock, and the configuration saved */
	struct sfc_config next;	/* the change is made here */
	const char *pin_root;
	/*
	 * A change of ports that nothing active names (a pod coming or going)
	 * is written without a generation switch, so it does not wait out
	 * the previous switch's grace period (sfc_commit_ports).
	 */
	bool ports_fast;
	char err[512];
};

/* state: the state file (sfc_state_path()); pin_root: the bpffs pins. */
int sfc_txn_begin(struct sfc_txn *t, const char *state, const char *pin_root);
/* Commits t->next unless it equals what is saved: 0 or -errno, t->err. */
int sfc_txn_commit(struct sfc_txn *t);
void sfc_txn_end(struct sfc_txn *t);

/* begin, fn, commit, end: 0 or -errno with the message in err. */
int sfc_txn_change(const char *state, const char *pin_root, sfc_txn_fn fn,
		   void *ctx, char *err, size_t errlen);

/*
 * Rebuilds the data plane from the saved configuration (sfcctl restore,
 * e.g. after a reboot): its active part, under the exclusive lock; the new
 * generation is saved. 0 or -errno with the message in err.
 */
int sfc_txn_restore(const char *state, const char *pin_root, char *err,
		    size_t errlen);

/*
 * The active part of a validated configuration, what the data plane runs:
 * without port pairs that name a missing port, groups left without pairs,
 * chains that use such a group, and classifiers that name a missing
 * logical port (which their chains then go without). Ids are kept.
 * Returns 0 or -ENOMEM; active is initialised by the call.
 */
int sfc_config_active(const struct sfc_config *c, struct sfc_config *active);

#endif /* SFC_TXN_H */
