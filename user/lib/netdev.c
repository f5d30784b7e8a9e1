// SPDX-License-Identifier: GPL-2.0
/* Network device facts over rtnetlink (libnl-route-3), see netdev.h. */
#include <errno.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "netdev.h"

/*
 * The kernel reports IFLA_LINK_NETNSID for a veth only when its peer lives
 * in another namespace than the device itself: that attribute is the test.
 */
static bool veth_peer_elsewhere(struct nl_cache *links, int ifindex)
{
	struct rtnl_link *link = rtnl_link_get(links, ifindex);
	const char *type;
	int32_t nsid;
	bool ret;

	if (!link)
		return false;
	type = rtnl_link_get_type(link);
	ret = type && !strcmp(type, "veth") &&
	      !rtnl_link_get_link_netnsid(link, &nsid);
	rtnl_link_put(link);
	return ret;
}

int sfc_netdev_veth_peer_elsewhere(const __u32 *ifindex, size_t n, bool *out)
{
	struct nl_sock *sk;
	struct nl_cache *links = NULL;
	size_t i;
	int err;

	memset(out, 0, n * sizeof(*out));
	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	err = nl_connect(sk, NETLINK_ROUTE);
	if (!err)
		err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &links);
	if (err) {
		nl_socket_free(sk);
		return -EIO;
	}
	for (i = 0; i < n; i++)
		out[i] = ifindex[i] && veth_peer_elsewhere(links, (int)ifindex[i]);
	nl_cache_free(links);
	nl_socket_free(sk);
	return 0;
}
