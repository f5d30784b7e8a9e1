// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dataplane.h"
#include "genl.h"
#include "sfc_tc.skel.h"
#include "uapi/sfc_geneve.h"

static int pin_path(char *buf, size_t len, const char *root, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", root, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * The pin root must live on a bpffs. When its parent is not one (a fresh
 * boot without /sys/fs/bpf mounted, or a private path chosen for tests),
 * mount one there.
 */
static int ensure_bpffs(const char *root)
{
	char parent[PATH_MAX];
	char *slash;
	int err;

	if (snprintf(parent, sizeof(parent), "%s", root) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return -EINVAL;
	*slash = '\0';
	err = mkdir_p(parent);
	if (err)
		return err;
	if (!on_bpffs(parent) && mount("bpf", parent, "bpf", 0, "mode=0700"))
		return -errno;
	if (mkdir(root, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int write_default_global(int fd)
{
	struct sfc_global g;
	__u32 key = 0;

	if (bpf_map_lookup_elem(fd, &key, &g))
		return -errno;
	if (g.mark_mask)
		return 0;	/* already configured: keep it */
	g.mark_mask = SFC_MARK_MASK_DEFAULT;
	g.mark_done = SFC_MARK_DONE_DEFAULT;
	g.mark_steer = SFC_MARK_STEER_DEFAULT;
	if (bpf_map_update_elem(fd, &key, &g, BPF_ANY))
		return -errno;
	return 0;
}

/* A pin left by an older, partial load is replaced, not kept. */
static int pin_program(struct bpf_program *prog, const char *root,
		       const char *name)
{
	char path[PATH_MAX];
	int err = pin_path(path, sizeof(path), root, name);

	if (err)
		return err;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return bpf_program__pin(prog, path);
}

/*
 * The object with the sfc_geneve kfuncs renamed (same length, in every
 * string table: symbols and BTF), so that they resolve nowhere. Why: with
 * the module loaded, libbpf resolves the __weak kfunc externs to its BTF,
 * and the kernel takes a module reference for every kfunc a program
 * names, before the verifier prunes the calls the const volatile switch
 * made dead. A fallback program loaded so would hold the module as firmly
 * as a kfunc-mode one, and rmmod could never succeed. Renamed, the
 * externs stay unresolved, exactly as without the module. Caller frees.
 */
static void *object_without_kfuncs(size_t *sz)
{
	static const char *const kfuncs[] = { "sfc_geneve_ctx_get",
					      "sfc_geneve_ctx_set" };
	const void *elf = sfc_tc__elf_bytes(sz);
	char *copy = malloc(*sz), *p, *end;
	size_t i, len;

	if (!copy)
		return NULL;
	memcpy(copy, elf, *sz);
	end = copy + *sz;
	for (i = 0; i < sizeof(kfuncs) / sizeof(kfuncs[0]); i++) {
		len = strlen(kfuncs[i]);
		for (p = copy; (p = memmem(p, end - p, kfuncs[i], len)); p += len)
			p[0] = 'x';	/* "xfc_geneve_ctx_get": no such kfunc */
	}
	return copy;
}

/*
 * Opens the skeleton for a load in kfunc or fallback mode; *buf is the
 * object copy a fallback load reads (freed after the skeleton).
 */
static struct sfc_tc *open_for_mode(bool kfuncs, void **buf)
{
	struct sfc_tc *skel;
	size_t sz;
	int err;

	*buf = NULL;
	if (kfuncs)
		return sfc_tc__open();
	skel = calloc(1, sizeof(*skel));
	if (!skel)
		return NULL;
	err = sfc_tc__create_skeleton(skel);
	if (!err) {
		*buf = object_without_kfuncs(&sz);
		err = *buf ? 0 : -ENOMEM;
	}
	if (!err) {
		skel->skeleton->data = *buf;
		skel->skeleton->data_sz = sz;
		err = bpf_object__open_skeleton(skel->skeleton, NULL);
	}
	if (err) {
		sfc_tc__destroy(skel);
		free(*buf);
		*buf = NULL;
		errno = -err;
		return NULL;
	}
	return skel;
}

/* Loads the object with every map pinned by name under root. */
static int load_and_pin(const char *root)
{
	/* The sfc_geneve module's kfuncs, or the BPF-only Geneve option path
	 * (bpf/lib/tunnel.h): decided now, for this load. */
	bool kfuncs = sfc_geneve_kfuncs_wanted();
	char path[PATH_MAX];
	struct sfc_tc *skel;
	struct bpf_map *map;
	void *buf;
	int err;

	skel = open_for_mode(kfuncs, &buf);
	if (!skel)
		return -errno;
	skel->rodata->sfc_geneve_kfuncs = kfuncs;
	bpf_object__for_each_map(map, skel->obj) {
		/* .rodata/.bss belong to one load of the program: not shared. */
		if (strchr(bpf_map__name(map), '.'))
			continue;
		err = pin_path(path, sizeof(path), root, bpf_map__name(map));
		if (!err)
			err = bpf_map__set_pin_path(map, path);
		if (err)
			goto out;
	}
	err = sfc_tc__load(skel);	/* reuses compatible pinned maps */
	if (err)
		goto out;
	if (!err)
		err = pin_program(skel->progs.sfc_tc_ingress, root, SFC_PROG_TC_INGRESS);
	if (!err)
		err = pin_program(skel->progs.sfc_tc_egress, root, SFC_PROG_TC_EGRESS);
	if (!err)
		err = pin_program(skel->progs.sfc_xdp_pop, root, SFC_PROG_XDP_POP);
	if (!err)
		err = write_default_global(bpf_map__fd(skel->maps.sfc_global));
out:
	sfc_tc__destroy(skel);
	free(buf);
	return err;
}

static int open_pin(const char *root, const char *name)
{
	char path[PATH_MAX];
	int fd, err = pin_path(path, sizeof(path), root, name);

	if (err)
		return err;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* Every pin of ours, and where sfc_dp keeps its descriptor. */
struct pin_slot {
	const char *name;
	int *fd;
};

#define PIN_SLOTS(dp) {							\
	{ SFC_MAP_PORTS, &(dp)->ports_fd },				\
	{ SFC_MAP_GLOBAL, &(dp)->global_fd },				\
	{ SFC_MAP_PORT_STATS, &(dp)->port_stats_fd },			\
	{ SFC_MAP_DROP_STATS, &(dp)->drop_stats_fd },			\
	{ SFC_MAP_MACS, &(dp)->macs_fd },				\
	{ SFC_MAP_CLASS_TUPLES, &(dp)->class_tuples_fd },		\
	{ SFC_MAP_CLASS_RULES, &(dp)->class_rules_fd },			\
	{ SFC_MAP_CLASS_MORE, &(dp)->class_more_fd },			\
	{ SFC_MAP_CHAINS, &(dp)->chains_fd },				\
	{ SFC_MAP_PPGS, &(dp)->ppgs_fd },				\
	{ SFC_MAP_FLOWS, &(dp)->flows_fd },				\
	{ SFC_MAP_HOP_STATS, &(dp)->hop_stats_fd },			\
	{ SFC_MAP_STICKY, &(dp)->sticky_fd },				\
	{ SFC_MAP_SPIS, &(dp)->spis_fd },				\
	{ SFC_MAP_PORT_IFINDEX, &(dp)->port_ifindex_fd },		\
	{ SFC_MAP_CLASS_CACHE, &(dp)->class_cache_fd },			\
	{ SFC_MAP_HEALTH, &(dp)->health_fd },				\
	{ SFC_MAP_TRACE, &(dp)->trace_fd },				\
	{ SFC_MAP_TRACE_CFG, &(dp)->trace_cfg_fd },			\
	{ SFC_MAP_TRACE_CTX, &(dp)->trace_ctx_fd },			\
	{ SFC_MAP_PORT_KEYS, &(dp)->port_keys_fd },			\
	{ SFC_MAP_TUNNEL, &(dp)->tunnel_fd },				\
	{ SFC_MAP_CHAIN_IDS, &(dp)->chain_ids_fd },			\
	{ SFC_MAP_TUNNEL_PEERS, &(dp)->tunnel_peers_fd },		\
	{ SFC_PROG_TC_INGRESS, &(dp)->prog_fd },			\
	{ SFC_PROG_TC_EGRESS, &(dp)->egress_prog_fd },			\
	{ SFC_PROG_XDP_POP, &(dp)->xdp_prog_fd },			\
}
#define NR_PINS 27

int sfc_dp_open(struct sfc_dp *dp, const char *root)
{
	struct pin_slot pins[NR_PINS] = PIN_SLOTS(dp);
	int i, fd;

	for (i = 0; i < NR_PINS; i++)
		*pins[i].fd = -1;
	if (snprintf(dp->pin_root, sizeof(dp->pin_root), "%s", root) >=
	    (int)sizeof(dp->pin_root))
		return -ENAMETOOLONG;
	for (i = 0; i < NR_PINS; i++) {
		fd = open_pin(root, pins[i].name);
		if (fd < 0) {
			sfc_dp_close(dp);
			return fd;
		}
		*pins[i].fd = fd;
	}
	return 0;
}

int sfc_dp_load(struct sfc_dp *dp, const char *root)
{
	int err = sfc_dp_open(dp, root);

	if (err != -ENOENT)
		return err;
	err = ensure_bpffs(root);
	if (!err)
		err = load_and_pin(root);
	if (err)
		return err;
	return sfc_dp_open(dp, root);
}

void sfc_dp_close(struct sfc_dp *dp)
{
	struct pin_slot pins[NR_PINS] = PIN_SLOTS(dp);
	int i;

	for (i = 0; i < NR_PINS; i++) {
		if (*pins[i].fd >= 0)
			close(*pins[i].fd);
		*pins[i].fd = -1;
	}
}

int sfc_dp_unload(const char *root)
{
	struct sfc_dp dummy;
	struct pin_slot pins[NR_PINS] = PIN_SLOTS(&dummy);
	char path[PATH_MAX];
	int i, err = 0;

	for (i = 0; i < NR_PINS; i++) {
		if (pin_path(path, sizeof(path), root, pins[i].name))
			return -ENAMETOOLONG;
		if (unlink(path) && errno != ENOENT)
			err = -errno;
	}
	if (!err && rmdir(root) && errno != ENOENT && errno != ENOTEMPTY)
		err = -errno;
	return err;
}

static void tc_hook(struct bpf_tc_hook *hook, int ifindex,
		    enum bpf_tc_attach_point where)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = ifindex;
	hook->attach_point = where;
}

static void tc_opts(struct bpf_tc_opts *opts, int prog_fd, __u32 flags)
{
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->handle = SFC_TC_HANDLE;
	opts->priority = SFC_TC_PRIO;
	opts->prog_fd = prog_fd;
	opts->flags = flags;
}

static int hook_query(int ifindex, enum bpf_tc_attach_point where,
		      uint32_t *prog_id)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int err;

	tc_hook(&hook, ifindex, where);
	tc_opts(&opts, 0, 0);
	err = bpf_tc_query(&hook, &opts);
	if (err)
		return err == -EINVAL ? -ENOENT : err;
	*prog_id = opts.prog_id;
	return 0;
}

static uint32_t prog_id_of(int prog_fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(prog_fd, &info, &len) ? 0 : info.id;
}

static int hook_attach(int ifindex, enum bpf_tc_attach_point where, int prog_fd)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	uint32_t live;
	int err;

	if (!hook_query(ifindex, where, &live) && live == prog_id_of(prog_fd))
		return 0;
	tc_hook(&hook, ifindex, where);
	err = bpf_tc_hook_create(&hook);	/* adds clsact */
	if (err && err != -EEXIST)
		return err;
	tc_opts(&opts, prog_fd, BPF_TC_F_REPLACE);
	return bpf_tc_attach(&hook, &opts);
}

static int hook_detach(int ifindex, enum bpf_tc_attach_point where)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int err;

	tc_hook(&hook, ifindex, where);
	tc_opts(&opts, 0, 0);
	err = bpf_tc_detach(&hook, &opts);
	return err == -ENOENT || err == -EINVAL ? -ENOENT : err;
}

int sfc_dp_attach(const struct sfc_dp *dp, int ifindex, bool vnf)
{
	int err = hook_attach(ifindex, BPF_TC_INGRESS, dp->prog_fd);

	if (err)
		return err;
	if (vnf)
		return hook_attach(ifindex, BPF_TC_EGRESS, dp->egress_prog_fd);
	err = hook_detach(ifindex, BPF_TC_EGRESS);
	return err == -ENOENT ? 0 : err;
}

int sfc_dp_attach_xdp(const struct sfc_dp *dp, int ifindex, bool aware)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	__u32 flags = XDP_FLAGS_SKB_MODE;
	int err;

	if (!aware) {
		err = bpf_xdp_detach(ifindex, flags, NULL);
		return err == -ENOENT || err == -EINVAL ? 0 : err;
	}
	if (!bpf_xdp_query(ifindex, flags, &q) && q.skb_prog_id &&
	    q.skb_prog_id == prog_id_of(dp->xdp_prog_fd))
		return 0;
	return bpf_xdp_attach(ifindex, dp->xdp_prog_fd, flags, NULL);
}

int sfc_dp_detach(int ifindex)
{
	int in = hook_detach(ifindex, BPF_TC_INGRESS);
	int out = hook_detach(ifindex, BPF_TC_EGRESS);

	bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);	/* if any */
	if (in && in != -ENOENT)
		return in;
	if (out && out != -ENOENT)
		return out;
	return in == -ENOENT && out == -ENOENT ? -ENOENT : 0;
}

int sfc_dp_query(int ifindex, uint32_t *prog_id)
{
	uint32_t id;
	int err = hook_query(ifindex, BPF_TC_INGRESS, &id);

	if (!err && prog_id)
		*prog_id = id;
	return err;
}

int sfc_nr_cpus(void)
{
	static int n;

	if (!n)
		n = libbpf_num_possible_cpus();
	return n;
}

/*
 * The Geneve mode the loaded programs were built with: their read-only
 * data says (the switch the verifier pruned on), not whether the module
 * happens to be loaded now. 1 kfunc, 0 fallback, negative errno.
 */
int sfc_dp_geneve_kfuncs(const struct sfc_dp *dp)
{
	struct bpf_prog_info info = {};
	__u32 ids[64], len = sizeof(info), i, n;
	int ret = -ENOENT;

	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(dp->prog_fd, &info, &len))
		return -errno;
	n = info.nr_map_ids < 64 ? info.nr_map_ids : 64;
	for (i = 0; i < n && ret == -ENOENT; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi), zero = 0;
		struct sfc_tc__rodata ro;
		unsigned char *val;
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen) &&
		    strstr(mi.name, ".rodata") && mi.value_size >= sizeof(ro)) {
			val = calloc(1, mi.value_size);
			if (!val)
				ret = -ENOMEM;
			else if (!bpf_map_lookup_elem(fd, &zero, val))
				ret = val[offsetof(struct sfc_tc__rodata,
						   sfc_geneve_kfuncs)] != 0;
			free(val);
		}
		close(fd);
	}
	return ret;
}

int sfc_percpu_sum_u64(int map_fd, uint32_t key, uint64_t *sum,
		       unsigned int nr_words)
{
	int cpus = sfc_nr_cpus(), cpu;
	unsigned int w;
	uint64_t *vals;

	if (cpus <= 0)
		return cpus ? cpus : -EINVAL;
	vals = calloc((size_t)cpus * nr_words, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, vals)) {
		int err = -errno;

		free(vals);
		return err;
	}
	memset(sum, 0, nr_words * sizeof(*sum));
	for (cpu = 0; cpu < cpus; cpu++)
		for (w = 0; w < nr_words; w++)
			sum[w] += vals[(size_t)cpu * nr_words + w];
	free(vals);
	return 0;
}
