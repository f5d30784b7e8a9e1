// SPDX-License-Identifier: GPL-2.0
/*
 * sfc_geneve: Geneve SFC-context option support for the sfc data plane.
 *
 * The sfc BPF programs carry the service function chaining context (SPI,
 * SI, direction, source port) across hosts in a Geneve option. This module
 * holds, per network namespace, which option class/type that is, counts
 * what the data path did with it, and exposes both over generic netlink
 * (family "sfc_geneve", see include/uapi/sfc_genl.h). TC programs read
 * and edit the option in place with the kfuncs of sfc_kfuncs.c.
 *
 * The data plane works without this module (BPF-only fallback).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/percpu.h>
#include <net/genetlink.h>

#include <sfc_common.h>
#include <sfc_genl.h>

#include "sfc_geneve.h"

unsigned int sfc_net_id __read_mostly;

/* Called from the data path (kfuncs): softirq or migration disabled. */
void sfc_stat_inc(struct net *net, enum sfc_stat idx)
{
	struct sfc_pcpu_stats *s = get_cpu_ptr(sfc_net(net)->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[idx]);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(sfc_net(net)->stats);
}

static void sfc_stats_sum(struct net *net, u64 sum[SFC_STAT_MAX])
{
	struct sfc_net *sn = sfc_net(net);
	int cpu, i;

	memset(sum, 0, SFC_STAT_MAX * sizeof(sum[0]));
	for_each_possible_cpu(cpu) {
		const struct sfc_pcpu_stats *s = per_cpu_ptr(sn->stats, cpu);
		u64 v[SFC_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < SFC_STAT_MAX; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < SFC_STAT_MAX; i++)
			sum[i] += v[i];
	}
}

/* Counters since the last reset. Caller holds genl_mutex. */
void sfc_stats_read(struct net *net, u64 val[SFC_STAT_MAX])
{
	struct sfc_net *sn = sfc_net(net);
	int i;

	sfc_stats_sum(net, val);
	for (i = 0; i < SFC_STAT_MAX; i++)
		val[i] -= sn->base[i];
}

/* Caller holds genl_mutex. */
void sfc_stats_reset(struct net *net)
{
	sfc_stats_sum(net, sfc_net(net)->base);
}

static int __net_init sfc_net_init(struct net *net)
{
	struct sfc_net *sn = sfc_net(net);
	int cpu;

	sn->stats = alloc_percpu(struct sfc_pcpu_stats);
	if (!sn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(sn->stats, cpu)->syncp);

	sfc_net_set_opt(net, sfc_opt_pack(SFC_GENEVE_CLASS_DEFAULT,
					  SFC_GENEVE_TYPE_DEFAULT));
	return 0;
}

static void __net_exit sfc_net_exit(struct net *net)
{
	free_percpu(sfc_net(net)->stats);
}

static struct pernet_operations sfc_net_ops = {
	.init = sfc_net_init,
	.exit = sfc_net_exit,
	.id   = &sfc_net_id,
	.size = sizeof(struct sfc_net),
};

static int __init sfc_geneve_init(void)
{
	int err;

	/* Every netns has its state before genetlink can ask for it. */
	err = register_pernet_subsys(&sfc_net_ops);
	if (err)
		goto out;

	err = sfc_genl_register();
	if (err)
		goto unregister_pernet;

	/*
	 * Last, as 6.1 cannot unregister a kfunc set: nothing after this may
	 * fail. Without module BTF this still returns 0 (dmesg says "missing
	 * module BTF"); the build checks the .ko has BTF.
	 */
	err = sfc_kfuncs_register();
	if (err)
		goto unregister_genl;

	pr_info("version %s\n", SFC_VERSION);
	return 0;

unregister_genl:
	sfc_genl_unregister();
unregister_pernet:
	unregister_pernet_subsys(&sfc_net_ops);
out:
	return err;
}

static void __exit sfc_geneve_exit(void)
{
	sfc_genl_unregister();
	unregister_pernet_subsys(&sfc_net_ops);
}

module_init(sfc_geneve_init);
module_exit(sfc_geneve_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(SFC_VERSION);
MODULE_DESCRIPTION("Geneve SFC-context option support for the sfc data plane");
MODULE_ALIAS_GENL_FAMILY(SFC_GENL_NAME);
