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
 * How the data plane carries the SFC Geneve option on this kernel: "kfunc"
 * when the module's BTF is there (its kfuncs resolve), else "fallback"
 * (BPF-only helpers: the whole option list written, fixed size).
 */
const char *sfc_geneve_mode(void);

#endif /* SFC_LIB_GENL_H */
