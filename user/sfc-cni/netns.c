// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of a pod's interface, from CNI_NETNS + CNI_IFNAME: inside
 * the pod's namespace, CNI_IFNAME must be a veth whose peer lives in
 * another namespace; IFLA_LINK gives the peer's ifindex there. Back in our
 * namespace (the runtime's), that ifindex must be a veth whose own peer is
 * CNI_IFNAME's ifindex in the pod's namespace, as the kernel's namespace id
 * for that namespace confirms. Never "the first veth" or a name guessed
 * from the pod: every check is on the kernel's links.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "cni.h"

/* What one side of the veth says about itself. */
struct veth_end {
	int ifindex;
	int peer_ifindex;
	int32_t peer_nsid;	/* where the peer is, as seen from here */
	bool has_peer_nsid;
	uint8_t mac[6];
	char name[IF_NAMESIZE];
};

static struct nl_sock *route_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && nl_connect(sk, NETLINK_ROUTE)) {
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

/* By name (ifindex 0) or by ifindex, in the namespace we are in now. */
static int read_veth(int ifindex, const char *name, struct veth_end *out)
{
	struct nl_sock *sk = route_socket();
	struct rtnl_link *link = NULL;
	struct nl_addr *addr;
	const char *type;
	int err;

	if (!sk)
		return -ENOMEM;
	err = rtnl_link_get_kernel(sk, ifindex, name, &link);
	nl_socket_free(sk);
	if (err)
		return err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV ? -ENOENT : -EIO;
	memset(out, 0, sizeof(*out));
	type = rtnl_link_get_type(link);
	out->ifindex = rtnl_link_get_ifindex(link);
	out->peer_ifindex = rtnl_link_get_link(link);
	out->has_peer_nsid = !rtnl_link_get_link_netnsid(link, &out->peer_nsid);
	snprintf(out->name, sizeof(out->name), "%s", rtnl_link_get_name(link));
	addr = rtnl_link_get_addr(link);
	if (addr && nl_addr_get_len(addr) == 6)
		memcpy(out->mac, nl_addr_get_binary_addr(addr), 6);
	err = type && !strcmp(type, "veth") ? 0 : -EPROTOTYPE;
	rtnl_link_put(link);
	return err;
}

static int nsid_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NETNSA_MAX + 1];
	int32_t *nsid = arg;

	if (!nlmsg_parse(nlmsg_hdr(msg), sizeof(struct rtgenmsg), tb, NETNSA_MAX,
			 NULL) && tb[NETNSA_NSID])
		*nsid = (int32_t)nla_get_u32(tb[NETNSA_NSID]);
	return NL_OK;
}

/* The id our namespace gives the namespace behind fd (RTM_GETNSID). */
static int nsid_of(int ns_fd, int32_t *nsid)
{
	struct rtgenmsg hdr = { .rtgen_family = AF_UNSPEC };
	struct nl_sock *sk = route_socket();
	struct nl_msg *msg;
	int err = -ENOMEM;

	*nsid = NETNSA_NSID_NOT_ASSIGNED;
	if (!sk)
		return err;
	msg = nlmsg_alloc_simple(RTM_GETNSID, NLM_F_REQUEST);
	if (msg && !nlmsg_append(msg, &hdr, sizeof(hdr), NLMSG_ALIGNTO) &&
	    !nla_put_u32(msg, NETNSA_FD, (uint32_t)ns_fd) &&
	    !nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, nsid_reply, nsid) &&
	    nl_send_auto(sk, msg) >= 0)
		err = nl_recvmsgs_default(sk) ? -EIO : 0;
	nlmsg_free(msg);
	nl_socket_free(sk);
	return err;
}

/* CNI_IFNAME inside the pod; we come back whatever happens. */
static unsigned int read_pod_end(int pod_fd, const char *ifname,
				 struct veth_end *pod, struct cni_error *e)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int err;

	if (self < 0)
		return cni_fail(e, CNI_ERR_INTERNAL, "our network namespace: %s",
				strerror(errno));
	if (setns(pod_fd, CLONE_NEWNET)) {
		err = errno;
		close(self);
		return cni_fail(e, CNI_ERR_INTERNAL,
				"entering the pod's network namespace: %s",
				strerror(err));
	}
	err = read_veth(0, ifname, pod);
	if (setns(self, CLONE_NEWNET)) {
		/* Acting on the pod's links from here on would be wrong. */
		cni_log(CNI_LOG_ERROR, "cannot return to our network namespace: %s",
			strerror(errno));
		abort();
	}
	close(self);
	if (err == -ENOENT)
		return cni_fail(e, SFC_CNI_ERR_DEVICE,
				"no interface %s in the pod's network namespace",
				ifname);
	if (err == -EPROTOTYPE)
		return cni_fail(e, SFC_CNI_ERR_DEVICE,
				"%s in the pod is not a veth: sfc needs its host-side peer",
				ifname);
	if (err)
		return cni_fail(e, CNI_ERR_INTERNAL, "reading %s in the pod: %s",
				ifname, strerror(-err));
	if (!pod->has_peer_nsid || pod->peer_ifindex <= 0)
		return cni_fail(e, SFC_CNI_ERR_DEVICE,
				"the peer of %s is not outside the pod", ifname);
	return 0;
}

/* CNI_NETNS naming the runtime's namespace would make a pod of the host. */
static bool same_namespace(int fd)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat("/proc/self/ns/net", &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

unsigned int cni_find_host_veth(const char *netns, const char *ifname,
				struct cni_host_dev *out, struct cni_error *e)
{
	struct veth_end pod, host;
	int32_t pod_nsid;
	int fd, err;

	fd = open(netns, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		return cni_fail(e, err == ENOENT ? CNI_ERR_NO_CONTAINER : CNI_ERR_IO,
				"CNI_NETNS %s: %s", netns, strerror(err));
	}
	if (same_namespace(fd)) {
		close(fd);
		return cni_fail(e, CNI_ERR_ENV,
				"invalid CNI_NETNS %s: it is our own network namespace",
				netns);
	}
	if (read_pod_end(fd, ifname, &pod, e)) {
		close(fd);
		return e->code;
	}
	err = read_veth(pod.peer_ifindex, NULL, &host);
	if (!err)
		err = nsid_of(fd, &pod_nsid);
	close(fd);
	if (err == -ENOENT || err == -EPROTOTYPE)
		return cni_fail(e, SFC_CNI_ERR_DEVICE,
				"the peer of %s (ifindex %d) is not a veth in our network namespace",
				ifname, pod.peer_ifindex);
	if (err)
		return cni_fail(e, CNI_ERR_INTERNAL, "reading ifindex %d: %s",
				pod.peer_ifindex, strerror(-err));
	if (host.peer_ifindex != pod.ifindex || !host.has_peer_nsid ||
	    host.peer_nsid != pod_nsid)
		return cni_fail(e, SFC_CNI_ERR_DEVICE,
				"ifindex %d here (%s) is not the peer of %s in the pod",
				pod.peer_ifindex, host.name, ifname);
	snprintf(out->name, sizeof(out->name), "%s", host.name);
	out->ifindex = host.ifindex;
	out->pod_ifindex = pod.ifindex;
	memcpy(out->pod_mac, pod.mac, 6);
	return 0;
}
