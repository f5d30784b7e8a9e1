/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version glue, so sfc_kfuncs.c reads like current kernel code
 * (net/ipv4/fou_bpf.c style) while building against Debian's 6.1:
 *
 *   current name                 6.1 spelling
 *   BTF_KFUNCS_START/END         BTF_SET8_START/END (6.8 renamed them and
 *                                added the KFUNCS flag the set then carries)
 *   __bpf_kfunc                  plain "__used noinline" (6.2 added it)
 *   __bpf_kfunc_start/end_defs   __diag_push + __diag_ignore_all of
 *                                -Wmissing-prototypes, __diag_pop (6.7)
 *
 * Each fallback applies only when the kernel lacks the newer macro.
 */
#ifndef SFC_COMPAT_H
#define SFC_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/compiler_types.h>

#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name)	BTF_SET8_START(name)
#define BTF_KFUNCS_END(name)	BTF_SET8_END(name)
#endif

/*
 * A kfunc must stay a real, global, out-of-line symbol: BTF describes it
 * and the verifier emits a direct call to its address.
 */
#ifndef __bpf_kfunc
#define __bpf_kfunc	__used noinline
#endif

/* kfuncs are global without a prototype in a header: their BTF is one. */
#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()					\
	__diag_push();							\
	__diag_ignore_all("-Wmissing-prototypes",			\
			  "Global kfuncs as their definitions will be in BTF")
#define __bpf_kfunc_end_defs()	__diag_pop()
#endif

#endif /* SFC_COMPAT_H */
