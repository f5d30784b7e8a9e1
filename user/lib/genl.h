/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client of the sfc_geneve kernel module's generic netlink family
 * (include/uapi/sfc_genl.h). Every call acts on the caller's network
 * namespace and returns 0 or -errno: -ENOENT when the module is not
 * loaded, -EPERM when a non-admin tries to change something.
 */
#ifndef SFC_LIB_GENL_H
#define SFC_LIB_GENL_H

#include <stdbool.h>
#include <stdint.h>

struct sfc_genl_info {
	char version[32];	/* module version, NUL-terminated */
	uint16_t opt_class;	/* Geneve option class of the SFC context */
	uint8_t opt_type;	/* its type; 0x80 is the RFC 8926 critical bit */
	uint64_t stat_get;	/* SFC options read */
	uint64_t stat_set;	/* SFC options written */
	uint64_t stat_err;	/* malformed option lists */
	uint64_t stat_crit;	/* critical unknown options of our class */
};

/* True when the family exists, i.e. the module is loaded. */
bool sfc_genl_available(void);

int sfc_genl_get(struct sfc_genl_info *out);

/* opt_class 0..65535, opt_type 0..255, or -1 to leave it unchanged. */
int sfc_genl_set(int opt_class, int opt_type);

/* Zero the counters. */
int sfc_genl_reset(void);

/*
 * The environment variable that makes the next load of the data plane
 * use the BPF-only fallback even with the module loaded: "fallback". A
 * data plane loaded in kfunc mode holds the module (rmmod says "in use");
 * `SFC_GENEVE_MODE=fallback sfcctl restore` lets go of it.
 */
#define SFC_GENEVE_MODE_ENV	"SFC_GENEVE_MODE"

/*
 * Whether a load of the data plane now would use the module's kfuncs:
 * its BTF is there (they resolve) and SFC_GENEVE_MODE is not "fallback".
 */
bool sfc_geneve_kfuncs_wanted(void);

/* The same as "kfunc" or "fallback" (BPF-only helpers: the whole list). */
const char *sfc_geneve_mode(void);

#endif /* SFC_LIB_GENL_H */
