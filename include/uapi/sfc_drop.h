/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The one list of reasons for which the data plane drops a packet.
 *
 * Internally BPF functions return a TC verdict (>= 0) or the negated drop
 * reason, so a reason can never be mistaken for a verdict. Every drop
 * leaves through one exit path that counts it in sfc_drop_stats.
 *
 * The X-macro gives BPF the enum and user space the printable names from
 * the same lines, so the two can never disagree.
 */
#ifndef SFC_UAPI_DROP_H
#define SFC_UAPI_DROP_H

#define SFC_DROP_REASONS(X)						\
	X(SFC_DROP_UNSPEC,	 1, "unspecified")			\
	X(SFC_DROP_MALFORMED_L2, 2, "malformed-l2")			\
	X(SFC_DROP_MALFORMED_L3, 3, "malformed-l3")			\
	X(SFC_DROP_MALFORMED_L4, 4, "malformed-l4")			\
	X(SFC_DROP_NO_CONFIG,	 5, "no-config")			\
	X(SFC_DROP_UNKNOWN_HOP,	 6, "unknown-hop")			\
	X(SFC_DROP_REDIRECT,	 7, "redirect-failed")			\
	X(SFC_DROP_STALE_CONFIG, 8, "stale-config")			\
	X(SFC_DROP_NO_INSTANCE,	 9, "no-instance")			\
	X(SFC_DROP_BAD_CHAIN,	10, "bad-chain")				\
	X(SFC_DROP_UNSTEERED,	11, "unsteered-to-vnf")			\
	X(SFC_DROP_GROUP_DOWN,	12, "group-down")				\
	X(SFC_DROP_TAP_RETURN,	13, "tap-return")				\
	X(SFC_DROP_PROBE,	14, "health-probe")				\
	X(SFC_DROP_BAD_SI,	15, "bad-si")					\
	X(SFC_DROP_NSH_TTL,	16, "nsh-ttl-expired")				\
	X(SFC_DROP_UNKNOWN_SPI,	17, "unknown-spi")				\
	X(SFC_DROP_BAD_NSH,	18, "bad-nsh")					\
	X(SFC_DROP_MPLS_NO_BOS,	19, "mpls-no-bos")				\
	X(SFC_DROP_PUSH,	20, "push-failed")				\
	X(SFC_DROP_UNKNOWN_SRC,	21, "unknown-source")			\
	X(SFC_DROP_GRAPH_LOOP,	22, "graph-loop")				\
	X(SFC_DROP_GENEVE_NO_CTX, 23, "geneve-no-ctx")			\
	X(SFC_DROP_GENEVE_CRIT,	24, "geneve-critical-opt")			\
	X(SFC_DROP_GENEVE_BAD_OPT, 25, "geneve-bad-opt")			\
	X(SFC_DROP_UNKNOWN_PORT_KEY, 26, "unknown-port-key")			\
	X(SFC_DROP_NO_TUNNEL,	27, "no-tunnel")				\
	X(SFC_DROP_TUNNEL_FAILED, 28, "tunnel-failed")			\
	X(SFC_DROP_TUNNEL_PEER,	29, "unknown-peer")

enum sfc_drop_reason {
	SFC_DROP_NONE = 0,
#define SFC_DROP_ENUM(name, val, str) name = val,
	SFC_DROP_REASONS(SFC_DROP_ENUM)
#undef SFC_DROP_ENUM
	SFC_DROP__MAX,
};

#endif /* SFC_UAPI_DROP_H */
