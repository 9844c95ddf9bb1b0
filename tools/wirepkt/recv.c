// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: wirepkt recv: receive, open and report datagrams.
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

/* ---- recv ---------------------------------------------------------------- */

static uint8_t rbuf[65536];
static uint8_t pbuf[65536];

static const char *errno_name(int err)
{
	switch (err) {
	case EMSGSIZE:
		return "EMSGSIZE";
	case EPROTO:
		return "EPROTO";
	case EBADMSG:
		return "EBADMSG";
	case EKEYREJECTED:
		return "EKEYREJECTED";
	case EINVAL:
		return "EINVAL";
	case ENOMEM:
		return "ENOMEM";
	case EIO:
		return "EIO";
	}
	return "EUNKNOWN";
}

static void print_payload(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e) {
			fputs("payload=<binary>\n", stdout);
			return;
		}
	printf("payload=%.*s\n", (int)len, (const char *)p);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Joins group on ifindex (0: the kernel's choice). 0 or 1. */
static int join_group(int fd, const struct sockaddr_storage *group, int ifindex)
{
	if (group->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)group;
		struct ip_mreqn mr = {
			.imr_multiaddr = sin->sin_addr,
			.imr_ifindex = ifindex,
		};

		return sock_setopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
			      sizeof(mr), "IP_ADD_MEMBERSHIP");
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)group;
		struct ipv6_mreq mr = {
			.ipv6mr_multiaddr = sin6->sin6_addr,
			.ipv6mr_interface = ifindex ? (unsigned int)ifindex :
					    sin6->sin6_scope_id,
		};

		return sock_setopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
			      sizeof(mr), "IPV6_JOIN_GROUP");
	}
}

/*
 * A socket on the wildcard address of port: of the group's family, or
 * dual-stack IPv6 (IPv4 if the kernel has no IPv6). -1 after an error.
 */
static int recv_socket(const struct sockaddr_storage *group, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	int fd, one = 1, zero = 0, rcvbuf = 1 << 20;
	int family = group ? group->ss_family : AF_INET6;
	socklen_t len;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && !group && errno == EAFNOSUPPORT) {
		family = AF_INET;
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		tool_error("cannot create a UDP socket: %s", strerror(errno));
		return -1;
	}
	/* Several receivers of one group may share the port. */
	if (sock_setopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one),
		   "SO_REUSEADDR"))
		goto fail;
	/* Best effort: bursts of --count datagrams should not overflow. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (family == AF_INET6 && !group &&
	    sock_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero),
		   "IPV6_V6ONLY"))
		goto fail;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	}
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		tool_error("cannot bind UDP port %u: %s", (unsigned int)port,
		      strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* 7d: the AEAD opened now, the MAC checked if K_i was given. */
static void report_7d(const struct wire_key *key, const uint8_t *chain_key,
		      size_t len)
{
	uint8_t mac[ANTIGONE_TESLA_MAC_LEN];
	struct antigone_tesla_ext e;
	struct antigone_hdr h;
	const char *verdict = "unchecked";
	size_t plen;
	int err;

	err = wire_open_7d(key, rbuf, len, &h, &e, pbuf, &plen, mac);
	if (err) {
		printf("fail error=%s len=%zu\n", errno_name(-err), len);
		return;
	}
	if (chain_key)
		verdict = wire_check_7d(rbuf, pbuf, plen, mac, chain_key) ?
			  "bad" : "ok";
	printf("ok guarantee=sender epoch=%" PRIu32 " sender=%" PRIu32
	       " seq=%" PRIu64 " interval=%" PRIu32 " disclosed=%" PRIu32
	       " mac=%s len=%zu ", h.epoch, h.sender, h.seq, e.interval,
	       e.disclosed, verdict, plen);
	print_payload(pbuf, plen);
}

static void report(const struct wire_key *key, const uint8_t *chain_key,
		   bool raw, size_t len)
{
	struct antigone_hdr h;
	size_t plen;
	int err;

	if (raw) {
		printf("raw len=%zu ", len);
		print_payload(rbuf, len);
		return;
	}
	if (len && rbuf[0] == (ANTIGONE_WIRE_VERSION << 4 |
			       ANTIGONE_TESLA_GUARANTEE)) {
		report_7d(key, chain_key, len);
		return;
	}
	err = wire_open(key, rbuf, len, &h, pbuf, &plen);
	if (err) {
		printf("fail error=%s len=%zu\n", errno_name(-err), len);
		return;
	}
	printf("ok guarantee=%s epoch=%" PRIu32 " sender=%" PRIu32 " seq=%"
	       PRIu64 " len=%zu ", wire_guarantee_name(h.guarantee), h.epoch,
	       h.sender, h.seq, plen);
	print_payload(pbuf, plen);
}

int cmd_recv(int argc, char **argv)
{
	struct args a = { .cmd = "recv" };
	uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN];
	struct wire_key key = { 0 };
	struct sockaddr_storage group;
	uint64_t port, count, timeout, got = 0;
	int ret, fd = -1, ifindex;
	int64_t deadline;
	bool raw;

	ret = parse_args(C_RECV, argc, argv, &a);
	if (ret)
		return ret;
	raw = a.set[O_RAW];
	if (!require(&a, O_PORT))
		return EXIT_USAGE;
	if (opt_u64(&a, O_PORT, 1, 65535, 0, &port) ||
	    opt_u64(&a, O_COUNT, 1, COUNT_MAX, 1, &count) ||
	    opt_u64(&a, O_TIMEOUT, 0, TIMEOUT_MAX, 3000, &timeout))
		return EXIT_USAGE;
	if (a.set[O_GROUP]) {
		if (resolve(a.val[O_GROUP][0], (uint16_t)port, &group,
			    &(socklen_t){ 0 }))
			return EXIT_USAGE;
		if (!is_multicast(&group)) {
			usage_error("--group '%s' is not a multicast address",
				    a.val[O_GROUP][0]);
			return EXIT_USAGE;
		}
	} else if (a.set[O_IFNAME]) {
		usage_error("--ifname needs --group");
		return EXIT_USAGE;
	}
	ifindex = opt_ifindex(&a);
	if (ifindex < 0)
		return 1;
	if (!raw) {
		ret = load_key(&a, &key);
		if (ret)
			return ret;
	}
	if (a.set[O_CHAIN_KEY_FILE]) {
		ret = raw ? EXIT_USAGE : load_chain_key(&a, chain_key);
		if (ret == EXIT_USAGE)
			usage_error("--chain-key-file opens 7d, not --raw");
		if (ret) {
			wire_key_wipe(&key);
			return ret;
		}
	}

	ret = 1;
	fd = recv_socket(a.set[O_GROUP] ? &group : NULL, (uint16_t)port);
	if (fd < 0)
		goto out;
	if (a.set[O_GROUP] && join_group(fd, &group, ifindex))
		goto out;

	deadline = now_ms() + (int64_t)timeout;
	while (got < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t n;
		int r;

		r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			tool_error("poll: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		/* MSG_TRUNC: the datagram's real length, should it not fit. */
		n = recv(fd, rbuf, sizeof(rbuf), MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			tool_error("recv: %s", strerror(errno));
			goto out;
		}
		if ((size_t)n > sizeof(rbuf))
			n = sizeof(rbuf);
		got++;
		report(&key, a.set[O_CHAIN_KEY_FILE] ? chain_key : NULL, raw,
		       (size_t)n);
		fflush(stdout);
	}
	if (!got)
		tool_error("no datagram on port %" PRIu64 " within %" PRIu64 " ms",
		      port, timeout);
	ret = got ? 0 : 1;
out:
	if (fd >= 0)
		close(fd);
	wire_key_wipe(&key);
	OPENSSL_cleanse(chain_key, sizeof(chain_key));
	return ret;
}
