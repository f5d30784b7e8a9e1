// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "probe.h"

static void add(struct sfc_features *out, const char *name, bool present,
		bool required)
{
	if (out->nr >= SFC_MAX_FEATURES)
		return;
	out->f[out->nr++] = (struct sfc_feature){ name, present, required };
}

static bool helper(enum bpf_prog_type type, enum bpf_func_id id)
{
	return libbpf_probe_bpf_helper(type, id, NULL) == 1;
}

/* -1 when unknown: the sysctl exists only in the initial netns. */
static int jit_enabled(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v < 0 ? -1 : v > 0;
}

void sfc_probe_features(struct sfc_features *out)
{
	const enum bpf_prog_type cls = BPF_PROG_TYPE_SCHED_CLS;
	struct utsname u;

	memset(out, 0, sizeof(*out));
	if (!uname(&u))
		snprintf(out->kernel, sizeof(out->kernel), "%s", u.release);

	add(out, "btf_vmlinux", !access("/sys/kernel/btf/vmlinux", R_OK), false);
	if (jit_enabled() >= 0)
		add(out, "bpf_jit", jit_enabled() == 1, false);
	add(out, "prog_sched_cls",
	    libbpf_probe_bpf_prog_type(cls, NULL) == 1, true);
	add(out, "prog_xdp",
	    libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL) == 1, false);
	add(out, "map_percpu_array",
	    libbpf_probe_bpf_map_type(BPF_MAP_TYPE_PERCPU_ARRAY, NULL) == 1, true);
	add(out, "map_lru_percpu_hash",
	    libbpf_probe_bpf_map_type(BPF_MAP_TYPE_LRU_PERCPU_HASH, NULL) == 1,
	    false);
	add(out, "helper_redirect", helper(cls, BPF_FUNC_redirect), true);
	add(out, "helper_redirect_peer", helper(cls, BPF_FUNC_redirect_peer),
	    false);
	add(out, "helper_skb_adjust_room", helper(cls, BPF_FUNC_skb_adjust_room),
	    false);
	add(out, "helper_set_tunnel_opt", helper(cls, BPF_FUNC_skb_set_tunnel_opt),
	    false);
	add(out, "helper_ringbuf",
	    helper(cls, BPF_FUNC_ringbuf_output), false);
}

bool sfc_features_ok(const struct sfc_features *f)
{
	int i;

	for (i = 0; i < f->nr; i++)
		if (f->f[i].required && !f->f[i].present)
			return false;
	return true;
}
