// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "sfc_geneve": read the settings and counters of
 * the caller's network namespace (anyone), change the option class/type or
 * zero the counters (CAP_NET_ADMIN). Attributes: include/uapi/sfc_genl.h.
 *
 * The family is not parallel_ops, so genl_mutex serialises all commands:
 * SET's read-modify-write and RESET's baseline need no lock of their own.
 */
#include <linux/kernel.h>
#include <net/genetlink.h>

#include <sfc_common.h>
#include <sfc_genl.h>

#include "sfc_geneve.h"

/*
 * Only what SET accepts. Commands are validated strictly, so any other
 * attribute (policy type NLA_UNSPEC) or a wrong length is rejected.
 * The type is the full u8 of RFC 8926: its high bit (0x80) is the
 * critical bit, which a chain operator may want set so that receivers
 * without SFC support drop the packet instead of ignoring the option.
 */
static const struct nla_policy sfc_genl_policy[SFC_GENL_A_MAX + 1] = {
	[SFC_GENL_A_OPT_CLASS]	= { .type = NLA_U16 },
	[SFC_GENL_A_OPT_TYPE]	= { .type = NLA_U8 },
};

static struct genl_family sfc_genl_family;

static size_t sfc_genl_info_size(void)
{
	return nla_total_size(sizeof(SFC_VERSION)) +	/* VERSION */
	       nla_total_size(sizeof(u16)) +		/* OPT_CLASS */
	       nla_total_size(sizeof(u8)) +		/* OPT_TYPE */
	       nla_total_size_64bit(sizeof(u64)) * SFC_STAT_MAX;
}

static int sfc_genl_fill_info(struct sk_buff *msg, struct net *net)
{
	u32 opt = sfc_net_opt(net);
	u64 stats[SFC_STAT_MAX];

	sfc_stats_read(net, stats);

	if (nla_put_string(msg, SFC_GENL_A_VERSION, SFC_VERSION) ||
	    nla_put_u16(msg, SFC_GENL_A_OPT_CLASS, sfc_opt_class(opt)) ||
	    nla_put_u8(msg, SFC_GENL_A_OPT_TYPE, sfc_opt_type(opt)) ||
	    nla_put_u64_64bit(msg, SFC_GENL_A_STAT_GET, stats[SFC_STAT_GET],
			      SFC_GENL_A_PAD) ||
	    nla_put_u64_64bit(msg, SFC_GENL_A_STAT_SET, stats[SFC_STAT_SET],
			      SFC_GENL_A_PAD) ||
	    nla_put_u64_64bit(msg, SFC_GENL_A_STAT_ERR, stats[SFC_STAT_ERR],
			      SFC_GENL_A_PAD) ||
	    nla_put_u64_64bit(msg, SFC_GENL_A_STAT_CRIT, stats[SFC_STAT_CRIT],
			      SFC_GENL_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int sfc_genl_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(sfc_genl_info_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &sfc_genl_family, 0,
				SFC_GENL_CMD_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto free_msg;
	}

	err = sfc_genl_fill_info(msg, genl_info_net(info));
	if (err)
		goto free_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
	return err;
}

static int sfc_genl_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *cls = info->attrs[SFC_GENL_A_OPT_CLASS];
	struct nlattr *type = info->attrs[SFC_GENL_A_OPT_TYPE];
	struct net *net = genl_info_net(info);
	u32 opt = sfc_net_opt(net);

	/* An empty SET is a caller's bug: say so rather than succeed. */
	if (!cls && !type) {
		GENL_SET_ERR_MSG(info, "nothing to set: need OPT_CLASS or OPT_TYPE");
		return -EINVAL;
	}

	opt = sfc_opt_pack(cls ? nla_get_u16(cls) : sfc_opt_class(opt),
			   type ? nla_get_u8(type) : sfc_opt_type(opt));
	sfc_net_set_opt(net, opt);
	return 0;
}

static int sfc_genl_cmd_reset(struct sk_buff *skb, struct genl_info *info)
{
	sfc_stats_reset(genl_info_net(info));
	return 0;
}

static const struct genl_small_ops sfc_genl_ops[] = {
	{
		.cmd	= SFC_GENL_CMD_GET,
		.doit	= sfc_genl_cmd_get,
	},
	{
		.cmd	= SFC_GENL_CMD_SET,
		.doit	= sfc_genl_cmd_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= SFC_GENL_CMD_RESET,
		.doit	= sfc_genl_cmd_reset,
		.flags	= GENL_ADMIN_PERM,
	},
};

/*
 * resv_start_op stays 0: as a new family, every command gets strict
 * checking of the header's reserved fields and of its attributes.
 */
static struct genl_family sfc_genl_family __ro_after_init = {
	.name		= SFC_GENL_NAME,
	.version	= SFC_GENL_VERSION,
	.maxattr	= SFC_GENL_A_MAX,
	.policy		= sfc_genl_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= sfc_genl_ops,
	.n_small_ops	= ARRAY_SIZE(sfc_genl_ops),
};

int __init sfc_genl_register(void)
{
	return genl_register_family(&sfc_genl_family);
}

void sfc_genl_unregister(void)
{
	genl_unregister_family(&sfc_genl_family);
}
