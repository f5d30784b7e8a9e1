/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The SFC context carried between hosts in a Geneve option (RFC 8926 3.5),
 * and the kfuncs of the sfc_geneve module that read and write it. Shared by
 * bpf/, kmod/ and user/.
 *
 * On the wire the option is
 *
 *   0                   1                   2                   3
 *   +-------------------------------+-+-------------+---------+-----+
 *   |        Option Class           |C|    Type     |  R  |  Length |
 *   +-------------------------------+-+-------------+---------+-----+
 *   |                 SPI (24)                      |    SI (8)     |
 *   +---------------+---------------+---------------+---------------+
 *   |  direction    |    flags      |           reserved (0)        |
 *   +---------------+---------------+---------------+---------------+
 *   |                      source port key                          |
 *   +---------------------------------------------------------------+
 *   |                    destination port key                       |
 *   +---------------------------------------------------------------+
 *
 * Class and type are settings (sfc_genl.h: default class 0xfff0 from the
 * experimental range, type 0x01, critical bit clear); Length = 4 (words of
 * data). All fields are in network byte order.
 */
#ifndef SFC_UAPI_GENEVE_H
#define SFC_UAPI_GENEVE_H

#include <linux/types.h>

/* Option data (what follows the 4-byte option header). */
struct sfc_geneve_ctx {
	__be32	spi_si;		/* SPI << 8 | SI */
	__u8	dir;		/* SFC_DIR_* of sfc_maps.h: 0 forward, 1 reverse */
	__u8	flags;		/* SFC_GENEVE_F_* */
	__be16	reserved;	/* 0 on send, ignored on receive */
	__be32	src_port_key;	/* logical source port of the flow */
	__be32	dst_port_key;	/* port the receiving host delivers to */
};

#define SFC_GENEVE_CTX_LEN	16	/* bytes of option data */
#define SFC_GENEVE_OPT_LEN	(4 + SFC_GENEVE_CTX_LEN)	/* with header */
#define SFC_GENEVE_CRIT		0x80	/* critical bit in the type byte */

/*
 * Present when the module is loaded with its BTF: then, and only then,
 * the kfuncs below resolve. Loaders test it and set the programs'
 * const volatile switch between the kfunc and the fallback path.
 */
#define SFC_GENEVE_MODULE_BTF	"/sys/kernel/btf/sfc_geneve"

enum sfc_geneve_flags {
	/* Chain finished. Alone: deliver to the destination port (and, for
	 * a symmetric chain's forward direction, expect its replies there);
	 * with REINJECT: re-inject at the source port (dst = src key). */
	SFC_GENEVE_F_CHAIN_DONE	= 1 << 0,
	SFC_GENEVE_F_REINJECT	= 1 << 1,	/* re-inject at the source port */
	SFC_GENEVE_F_HOP	= 1 << 2,	/* resume the chain at SPI/SI */
};

/*
 * kfuncs of the sfc_geneve module (TC programs), declared on the BPF side
 * as extern __ksym __weak and called only when the loader found the
 * module's BTF. Return values:
 *   sfc_geneve_ctx_get: 0 found (ctx filled), -ENOENT no SFC option,
 *     -EBADMSG malformed option list, -EPROTO an option of our class with
 *     an unknown type and the critical bit set (drop, RFC 8926 3.5.2),
 *     -EINVAL bad size / no tunnel metadata.
 *   sfc_geneve_ctx_set: after bpf_skb_set_tunnel_key(), inserts the SFC
 *     option into the skb's tunnel option list or replaces the one there,
 *     leaving every other option in place: 0, -ENOSPC list full, -EINVAL.
 *
 * int sfc_geneve_ctx_get(struct __sk_buff *skb, struct sfc_geneve_ctx *ctx,
 *                        __u32 ctx__sz);
 * int sfc_geneve_ctx_set(struct __sk_buff *skb,
 *                        const struct sfc_geneve_ctx *ctx, __u32 ctx__sz);
 */

#endif /* SFC_UAPI_GENEVE_H */
