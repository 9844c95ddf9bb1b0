// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: addresses and multicast sockets.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "wirepkt.h"

/* ---- sockets ------------------------------------------------------------- */

/* A numeric address (with %scope for IPv6); 0 or EXIT_USAGE. */
int resolve(const char *addr, uint16_t port,
		   struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *res;
	char portstr[8];
	int ret;

	snprintf(portstr, sizeof(portstr), "%u", (unsigned int)port);
	ret = getaddrinfo(addr, portstr, &hints, &res);
	if (ret) {
		usage_error("invalid address '%s': %s", addr,
			    gai_strerror(ret));
		return EXIT_USAGE;
	}
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return EXIT_USAGE;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

bool is_multicast(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		return IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		return IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr);
	}
	return false;
}

/* The index of --ifname, 0 if absent, -1 after an error. */
int opt_ifindex(const struct args *a)
{
	unsigned int idx;

	if (!a->set[O_IFNAME])
		return 0;
	idx = if_nametoindex(a->val[O_IFNAME][0]);
	if (!idx || idx > INT32_MAX) {
		tool_error("no interface '%s': %s", a->val[O_IFNAME][0],
		      strerror(errno));
		return -1;
	}
	return (int)idx;
}

int sock_setopt(int fd, int level, int name, const void *val,
		  socklen_t len, const char *what)
{
	if (!setsockopt(fd, level, name, val, len))
		return 0;
	tool_error("cannot set %s: %s", what, strerror(errno));
	return 1;
}

/* Local loopback, one hop, and the interface if one was named. */
int multicast_sender(int fd, int family, int ifindex)
{
	int one = 1;

	if (family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };

		if (sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
			   sizeof(one), "IP_MULTICAST_LOOP") ||
		    sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &one,
			   sizeof(one), "IP_MULTICAST_TTL"))
			return 1;
		if (ifindex && sock_setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
				      sizeof(mr), "IP_MULTICAST_IF"))
			return 1;
		return 0;
	}
	if (sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one, sizeof(one),
		   "IPV6_MULTICAST_LOOP") ||
	    sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof(one),
		   "IPV6_MULTICAST_HOPS"))
		return 1;
	if (ifindex && sock_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
			      sizeof(ifindex), "IPV6_MULTICAST_IF"))
		return 1;
	return 0;
}
