/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sfc_geneve module's kfuncs as a BPF program sees them, and the
 * fixed-size option the fallback path writes with the stock helpers.
 * Contract and return values: include/uapi/sfc_geneve.h.
 *
 * The module is optional. Declared __weak, the kfuncs do not stop a load
 * when the module is absent; but on 6.1 "if (sfc_geneve_ctx_set)" is no
 * guard (with the module present the verifier rejects the program), so
 * every call sits behind a const volatile switch that the loader sets
 * from access(SFC_GENEVE_MODULE_BTF) before loading. With the switch off
 * the verifier prunes the call as dead code and the unresolved kfunc
 * never matters.
 */
#ifndef SFC_BPF_GENEVE_KFUNCS_H
#define SFC_BPF_GENEVE_KFUNCS_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "uapi/sfc_geneve.h"

#ifndef __ksym
#define __ksym __attribute__((section(".ksyms")))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif

extern int sfc_geneve_ctx_get(struct __sk_buff *skb, struct sfc_geneve_ctx *ctx,
			      __u32 ctx__sz) __ksym __weak;
extern int sfc_geneve_ctx_set(struct __sk_buff *skb,
			      const struct sfc_geneve_ctx *ctx,
			      __u32 ctx__sz) __ksym __weak;

/* The whole SFC option, header included: what the fallback writes. */
struct sfc_geneve_opt {
	__be16	opt_class;
	__u8	type;		/* SFC_GENEVE_CRIT is the critical bit */
	__u8	length;		/* 3 reserved bits (0), then 5 bits: words of data */
	struct sfc_geneve_ctx ctx;
};

_Static_assert(sizeof(struct sfc_geneve_opt) == SFC_GENEVE_OPT_LEN,
	       "SFC Geneve option layout");

static __always_inline void
sfc_geneve_opt_init(struct sfc_geneve_opt *opt, __u16 opt_class, __u8 type,
		    const struct sfc_geneve_ctx *ctx)
{
	opt->opt_class = bpf_htons(opt_class);
	opt->type = type;
	opt->length = SFC_GENEVE_CTX_LEN / 4;
	opt->ctx = *ctx;
}

#endif /* SFC_BPF_GENEVE_KFUNCS_H */
