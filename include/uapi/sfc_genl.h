/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Generic netlink family of the sfc_geneve kernel module: its settings
 * (Geneve option class and type of the SFC context) and counters.
 * Shared by kmod/ and user/lib/.
 */
#ifndef SFC_UAPI_GENL_H
#define SFC_UAPI_GENL_H

#define SFC_GENL_NAME		"sfc_geneve"
#define SFC_GENL_VERSION	1

/* Experimental option class range of RFC 8926 until one is registered. */
#define SFC_GENEVE_CLASS_DEFAULT	0xfff0
#define SFC_GENEVE_TYPE_DEFAULT		0x01

/*
 * Every command acts on the sender's network namespace; each netns starts
 * with the defaults above. "admin" commands need CAP_NET_ADMIN (else
 * EPERM). Attributes are validated strictly: SET takes only OPT_CLASS
 * and/or OPT_TYPE (at least one, exact sizes); anything else is EINVAL.
 */
enum sfc_genl_cmd {
	SFC_GENL_CMD_UNSPEC,
	SFC_GENL_CMD_GET,	/* anyone; reply: settings + counters */
	SFC_GENL_CMD_SET,	/* admin: change OPT_CLASS and/or OPT_TYPE */
	SFC_GENL_CMD_RESET,	/* admin: zero the counters */
	__SFC_GENL_CMD_MAX,
};
#define SFC_GENL_CMD_MAX (__SFC_GENL_CMD_MAX - 1)

enum sfc_genl_attr {
	SFC_GENL_A_UNSPEC,
	SFC_GENL_A_VERSION,		/* string: module version */
	SFC_GENL_A_OPT_CLASS,		/* u16 */
	SFC_GENL_A_OPT_TYPE,		/* u8: 0x80 is the RFC 8926 critical bit */
	SFC_GENL_A_STAT_GET,		/* u64: SFC options read */
	SFC_GENL_A_STAT_SET,		/* u64: SFC options written */
	SFC_GENL_A_STAT_ERR,		/* u64: malformed option lists */
	SFC_GENL_A_PAD,
	SFC_GENL_A_STAT_CRIT,		/* u64: critical options of our class
					 * with an unknown type (dropped) */
	__SFC_GENL_A_MAX,
};
#define SFC_GENL_A_MAX (__SFC_GENL_A_MAX - 1)

#endif /* SFC_UAPI_GENL_H */
