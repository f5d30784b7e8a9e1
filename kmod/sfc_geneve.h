/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sfc_geneve: state shared by the files of the module.
 *
 *   sfc_main.c	module init/exit, per-netns state, counters
 *   sfc_genl.c	generic netlink family (settings and counters)
 *   sfc_kfuncs.c	kfuncs that read/insert/replace the SFC option; they
 *		find their netns' settings with sfc_net_opt() and count
 *		with sfc_stat_inc()
 *   compat.h	6.1 spellings of the current kfunc macros
 */
#ifndef SFC_GENEVE_H
#define SFC_GENEVE_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

enum sfc_stat {
	SFC_STAT_GET,		/* SFC options read */
	SFC_STAT_SET,		/* SFC options written */
	SFC_STAT_ERR,		/* malformed option lists */
	SFC_STAT_CRIT,		/* critical options of our class, unknown type */
	SFC_STAT_MAX,
};

struct sfc_pcpu_stats {
	u64_stats_t		cnt[SFC_STAT_MAX];
	struct u64_stats_sync	syncp;
};

/*
 * Geneve option class and type packed in one word (class << 8 | type), so
 * the data path reads both with one load and never sees a half-done update.
 */
static inline u32 sfc_opt_pack(u16 opt_class, u8 opt_type)
{
	return (u32)opt_class << 8 | opt_type;
}

static inline u16 sfc_opt_class(u32 opt)
{
	return opt >> 8;
}

static inline u8 sfc_opt_type(u32 opt)
{
	return opt & 0xff;
}

/* Per network namespace state: each netns configures its own option. */
struct sfc_net {
	u32			opt;		/* sfc_opt_pack() */
	struct sfc_pcpu_stats __percpu *stats;
	/*
	 * Counter values at the last reset. Resetting moves this baseline
	 * instead of writing other CPUs' counters, which would race with
	 * their increments. Only genetlink touches it, under genl_mutex.
	 */
	u64			base[SFC_STAT_MAX];
};

extern unsigned int sfc_net_id;

static inline struct sfc_net *sfc_net(const struct net *net)
{
	return net_generic(net, sfc_net_id);
}

static inline u32 sfc_net_opt(const struct net *net)
{
	return READ_ONCE(sfc_net(net)->opt);
}

static inline void sfc_net_set_opt(struct net *net, u32 opt)
{
	WRITE_ONCE(sfc_net(net)->opt, opt);
}

void sfc_stat_inc(struct net *net, enum sfc_stat idx);
void sfc_stats_read(struct net *net, u64 val[SFC_STAT_MAX]);
void sfc_stats_reset(struct net *net);

int sfc_genl_register(void);
int sfc_kfuncs_register(void);
void sfc_genl_unregister(void);

#endif /* SFC_GENEVE_H */
