// SPDX-License-Identifier: GPL-2.0
/* This host's Geneve device over rtnetlink (libnl-route-3), see tunnel.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/geneve.h>

#include "tunnel.h"

static int nl_fail(char *err, size_t errlen, int nlerr, const char *fmt,
		   const char *dev)
{
	snprintf(err, errlen, fmt, dev, nl_geterror(nlerr));
	return nlerr == -NLE_OBJ_NOTFOUND ? -ENODEV :
	       nlerr == -NLE_OPNOTSUPP ? -EOPNOTSUPP : -EIO;
}

/* An existing device must already be what BPF needs: we do not rebuild it. */
static int check_existing(struct rtnl_link *link, const char *dev,
			  char *err, size_t errlen)
{
	const char *type = rtnl_link_get_type(link);
	uint8_t flags = 0;

	if (!type || strcmp(type, "geneve")) {
		snprintf(err, errlen, "tunnel device %s exists and is not a Geneve device (%s)",
			 dev, type ? type : "no type");
		return -EINVAL;
	}
	if (rtnl_link_geneve_get_flags(link, &flags) ||
	    !(flags & RTNL_LINK_GENEVE_F_COLLECT_METADATA)) {
		snprintf(err, errlen,
			 "Geneve device %s is not in external mode (ip link add %s type geneve external)",
			 dev, dev);
		return -EINVAL;
	}
	return 0;
}

static int create(struct nl_sock *sk, const char *dev, uint16_t dstport,
		  char *err, size_t errlen)
{
	struct rtnl_link *link = rtnl_link_geneve_alloc();
	int ret;

	if (!link) {
		snprintf(err, errlen, "creating Geneve device %s: out of memory", dev);
		return -ENOMEM;
	}
	rtnl_link_set_name(link, dev);
	rtnl_link_geneve_set_flags(link, RTNL_LINK_GENEVE_F_COLLECT_METADATA, 1);
	rtnl_link_geneve_set_port(link, dstport);
	ret = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(link);
	if (ret < 0)
		return nl_fail(err, errlen, ret,
			       "creating Geneve device %s: %s (does this kernel have geneve?)",
			       dev);
	return 0;
}

static int set_up(struct nl_sock *sk, struct rtnl_link *link, const char *dev,
		  char *err, size_t errlen)
{
	struct rtnl_link *change;
	int ret;

	if (rtnl_link_get_flags(link) & IFF_UP)
		return 0;
	change = rtnl_link_alloc();
	if (!change)
		return -ENOMEM;
	rtnl_link_set_flags(change, IFF_UP);
	ret = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(change);
	return ret < 0 ? nl_fail(err, errlen, ret, "setting %s up: %s", dev) : 0;
}

int sfc_tunnel_ensure(const char *dev, uint16_t dstport, int *ifindex,
		      char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *link = NULL;
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret < 0) {
		ret = nl_fail(err, errlen, ret, "tunnel %s: rtnetlink: %s", dev);
		goto out;
	}
	ret = rtnl_link_get_kernel(sk, 0, dev, &link);
	if (ret == -NLE_OBJ_NOTFOUND || ret == -NLE_NODEV) {
		ret = create(sk, dev, dstport, err, errlen);
		if (ret)
			goto out;
		ret = rtnl_link_get_kernel(sk, 0, dev, &link);
	}
	if (ret < 0) {
		ret = nl_fail(err, errlen, ret, "tunnel device %s: %s", dev);
		goto out;
	}
	ret = check_existing(link, dev, err, errlen);
	if (!ret)
		ret = set_up(sk, link, dev, err, errlen);
	if (!ret)
		*ifindex = rtnl_link_get_ifindex(link);
out:
	if (link)
		rtnl_link_put(link);
	nl_socket_free(sk);
	return ret;
}
