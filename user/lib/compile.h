/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compiling a validated configuration into the pinned maps, hitlessly:
 *
 *   1. load the data plane if needed, attach it to every port's device;
 *   2. write ports, MACs, groups, chains and classifier rules for the
 *      inactive slot (generation + 1), leaving the live slot alone;
 *   3. call save(): the caller persists the configuration (with its new
 *      generation); if that fails, stop here, nothing live has changed;
 *   4. switch: one write of sfc_global.generation;
 *   5. clean up what only the old configuration used (ports, MACs,
 *      filters on devices no longer configured).
 */
#ifndef SFC_COMPILE_H
#define SFC_COMPILE_H

#include <stddef.h>

#include <linux/types.h>

#include "config.h"

typedef int (*sfc_save_fn)(const struct sfc_config *cfg, void *ctx);

/*
 * old: the configuration live now (may be empty); new: validated, ids
 * assigned. On success new->generation is the generation now live.
 * Returns 0 or -errno with a one-line message in err.
 */
int sfc_commit(const struct sfc_config *old, struct sfc_config *new,
	       const char *pin_root, sfc_save_fn save, void *ctx,
	       char *err, size_t errlen);

/*
 * The same for a change of ports only, that no pair, group, classifier or
 * chain of the live slot names (see txn.c): written in place, without a
 * generation switch; new->generation stays old's. Falls back to
 * sfc_commit when the data plane does not run old's generation.
 */
int sfc_commit_ports(const struct sfc_config *old, struct sfc_config *new,
		     const char *pin_root, sfc_save_fn save, void *ctx,
		     char *err, size_t errlen);

/*
 * Rebuilds the data plane from cfg alone (sfcctl restore): unpins and
 * reloads everything, then commits cfg as if from an empty configuration.
 */
int sfc_restore(struct sfc_config *cfg, const char *pin_root,
		char *err, size_t errlen);

/*
 * One flow classifier of a chain as a data plane rule (rank left 0), and
 * the rule list it belongs to (0: any source port, else the port id).
 * -ENOENT when a logical port it names does not exist.
 */
struct sfc_rule;		/* tss.h */
int sfc_compile_rule(const struct sfc_config *cfg, const struct sfc_cfg_fc *fc,
		     __u32 chain_idx, struct sfc_rule *r, __u32 *list);

#endif /* SFC_COMPILE_H */
