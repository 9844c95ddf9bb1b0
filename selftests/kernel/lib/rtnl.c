// SPDX-License-Identifier: GPL-2.0
/*
 * Links and addresses by rtnetlink, for the VM tests (see rtnl.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/socket.h>

#include "rtnl.h"

struct rt_msg {
	struct nlmsghdr nh;
	char body[1024];
};

static void *rt_tail(struct rt_msg *m)
{
	return (char *)m + NLMSG_ALIGN(m->nh.nlmsg_len);
}

static void rt_begin(struct rt_msg *m, uint16_t type, uint16_t flags,
		     const void *hdr, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->nh.nlmsg_type = type;
	m->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->nh.nlmsg_len = NLMSG_LENGTH(len);
	memcpy(NLMSG_DATA(&m->nh), hdr, len);
}

static struct rtattr *rt_put(struct rt_msg *m, uint16_t type,
			     const void *data, size_t len)
{
	struct rtattr *a = rt_tail(m);

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	m->nh.nlmsg_len = NLMSG_ALIGN(m->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void rt_end(struct rt_msg *m, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)rt_tail(m) - (char *)nest);
}

/* One request on a NETLINK_ROUTE socket of the caller's netns: 0 or -errno. */
static int rt_do(struct rt_msg *m)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	char buf[4096];
	ssize_t n;
	int ret = -EIO;

	if (fd < 0)
		return -errno;
	if (send(fd, m, m->nh.nlmsg_len, 0) == (ssize_t)m->nh.nlmsg_len &&
	    (n = recv(fd, buf, sizeof(buf), 0)) >= (ssize_t)NLMSG_LENGTH(
			sizeof(struct nlmsgerr))) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		if (nh->nlmsg_type == NLMSG_ERROR)
			ret = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	}
	close(fd);
	return ret;
}

int rt_link_up(const char *dev)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP,
				 .ifi_change = IFF_UP };
	struct rt_msg m;

	ifi.ifi_index = (int)if_nametoindex(dev);
	if (!ifi.ifi_index)
		return -ENODEV;
	rt_begin(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	return rt_do(&m);
}

/* A veth pair: @name here, @peer in the netns of @peer_ns. */
int rt_veth(const char *name, const char *peer, int peer_ns)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *info, *data, *pa;
	uint32_t nsfd = (uint32_t)peer_ns;
	struct rt_msg m;

	rt_begin(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi,
		 sizeof(ifi));
	rt_put(&m, IFLA_IFNAME, name, strlen(name) + 1);
	info = rt_put(&m, IFLA_LINKINFO, NULL, 0);
	rt_put(&m, IFLA_INFO_KIND, "veth", 5);
	data = rt_put(&m, IFLA_INFO_DATA, NULL, 0);
	pa = rt_put(&m, VETH_INFO_PEER, &ifi, sizeof(ifi));
	rt_put(&m, IFLA_IFNAME, peer, strlen(peer) + 1);
	rt_put(&m, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	rt_end(&m, pa);
	rt_end(&m, data);
	rt_end(&m, info);
	return rt_do(&m);
}

/* @addr/@plen on @dev (IPv6: no DAD). */
int rt_addr(const char *dev, int family, const char *addr,
		   uint8_t plen)
{
	struct ifaddrmsg ifa = { .ifa_family = (uint8_t)family,
				 .ifa_prefixlen = plen };
	uint8_t bin[16];
	struct rt_msg m;
	size_t len = family == AF_INET ? 4 : 16;

	ifa.ifa_index = if_nametoindex(dev);
	if (!ifa.ifa_index || inet_pton(family, addr, bin) != 1)
		return -EINVAL;
	if (family == AF_INET6)
		ifa.ifa_flags = IFA_F_NODAD;
	rt_begin(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa,
		 sizeof(ifa));
	rt_put(&m, IFA_LOCAL, bin, len);
	rt_put(&m, IFA_ADDRESS, bin, len);
	return rt_do(&m);
}
