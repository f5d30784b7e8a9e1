/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the configuration commands share: the transaction every change
 * goes through, and the verbs of the five resource objects (port,
 * port-pair, port-pair-group, flow-classifier, port-chain), all driven by
 * the attribute tables of config_schema.h.
 */
#ifndef SFCCTL_RESOURCE_H
#define SFCCTL_RESOURCE_H

#include <stddef.h>

#include "config_schema.h"
#include "state.h"

/* Changes cfg, a copy of the saved configuration: 0, or -1 and err. */
typedef int (*sfcctl_change_fn)(struct sfc_config *cfg, void *ctx,
				char *err, size_t errlen);

/*
 * One transaction: lock, load, copy, change, assign ids, validate, commit
 * (which saves the file before it switches the data plane), unlock. On
 * any failure prints one line and returns 1, and neither the file nor
 * the data plane has changed. A change that leaves the configuration as
 * it was commits nothing.
 */
int sfcctl_change(sfcctl_change_fn fn, void *ctx);

/* Locks and loads the saved configuration; prints the error, returns 1. */
int sfcctl_open_state(struct sfc_state *st, enum sfc_lock lock);

/* One resource object of the command line. */
struct sfcctl_object {
	enum sfc_kind kind;
	const char *about;	/* closes its help text */
	/*
	 * Or NULL: prints what show and list add to a resource beyond its
	 * configuration (runtime state), after its text line or as more
	 * members of its JSON object. Never part of the export.
	 */
	void (*show_runtime)(const struct sfc_config *cfg, const void *res);
};

/* sfcctl OBJECT { add | set | del | show | list | help } ... */
int sfcctl_resource(const struct sfcctl_object *obj, int argc, char **argv);

/* Defines do_NAME(argc, argv) for the object of kind KIND. */
#define SFCCTL_RESOURCE_CMD(name, kind_, about_)			\
	int do_##name(int argc, char **argv)				\
	{								\
		static const struct sfcctl_object obj = {		\
			.kind = (kind_), .about = (about_),		\
		};							\
		return sfcctl_resource(&obj, argc, argv);		\
	}

#endif /* SFCCTL_RESOURCE_H */
