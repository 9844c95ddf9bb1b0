// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: traffic and the options around it: sends (GSO too) and
 * receives, raw UDP with lying lengths, raw/UDP-Lite/TCP/ping sockets
 * that must not attach, multicast and IP options, dup, and tagged round
 * trips that must arrive.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ctlfuzz.h"

const int cf_traffic_ok[] = {
	0, EPERM, EMSGSIZE, ENETUNREACH, EHOSTUNREACH, EDESTADDRREQ,
	ECONNREFUSED, EINVAL, EAGAIN, ENOBUFS, EAFNOSUPPORT, EADDRNOTAVAIL,
	ENOTCONN, EISCONN, EPIPE, EIO, EACCES, ENOPROTOOPT, EOPNOTSUPP,
	ECONNRESET, ENOMEM, -1
};

uint8_t cf_payload[65536];

void cf_op_send(struct ctx *c, struct rng *r)
{
	static const size_t sizes[] = { 0, 1, 16, 100, 1000, 1400, 1472, 1473,
					2000, 9000, 16000, 65000 };
	int i = cf_pick_sock(c, r), e;
	struct sockaddr_storage ss;
	char cbuf[CMSG_SPACE(sizeof(uint16_t))] = { 0 };
	struct iovec iov;
	struct msghdr mh = { 0 };
	size_t n;

	if (i < 0)
		return;
	n = cf_rpct(r, 80) ? cf_rbelow(r, 200) :
	    sizes[cf_rbelow(r, sizeof(sizes) / sizeof(sizes[0]))];
	cf_rbytes(r, cf_payload, n < 64 ? n : 64);
	iov = (struct iovec){ cf_payload, n };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (cf_rpct(r, 80)) {
		mh.msg_name = &ss;
		mh.msg_namelen = cf_pick_dest(c, r, c->sk[i].fam,
					      c->sk[i].foreign, &ss);
	}
	if (cf_rpct(r, 10)) {	/* GSO in segments of random size */
		struct cmsghdr *cm;
		uint16_t seg = 1 + cf_rbelow(r, 1500);

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_UDP;
		cm->cmsg_type = UDP_SEGMENT;
		cm->cmsg_len = CMSG_LEN(sizeof(seg));
		memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
	}
	/* MSG_MORE corks: the next send without it sends both. */
	e = sendmsg(c->sk[i].fd, &mh, MSG_DONTWAIT |
		    (cf_rpct(r, 8) ? MSG_MORE : 0)) < 0 ? errno : 0;
	cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "sendmsg", e, cf_traffic_ok);
}

void cf_op_recv(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), flags = MSG_DONTWAIT, e;

	if (i < 0)
		return;
	if (cf_rpct(r, 10))
		flags |= MSG_ERRQUEUE;
	if (cf_rpct(r, 10))
		flags |= MSG_PEEK;
	if (cf_rpct(r, 10))
		flags |= MSG_TRUNC;
	e = recv(c->sk[i].fd, cf_payload, cf_rpct(r, 10) ? 1 : sizeof(cf_payload),
		 flags) < 0 ? errno : 0;
	cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "recv", e, cf_traffic_ok);
}

/* A raw UDP datagram with lengths that may lie, to a selector. */
void cf_op_rawsend(struct ctx *c, struct rng *r)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t dg[8 + 64];
	struct udphdr *uh = (struct udphdr *)dg;
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP), e;
	size_t n = 8 + cf_rbelow(r, 64);
	struct sel s;
	int k = cf_rbelow(r, NPG);

	if (fd < 0) {
		cf_judge(c, CK_SOCK, C_SOCKET, "raw socket", errno, cf_socket_ok);
		return;
	}
	if (c->pg[k].exists && c->pg[k].p.nsel && cf_rpct(r, 60))
		s = c->pg[k].p.sel[0];
	else
		cf_shared_sel(r, &s);
	memcpy(&to.sin_addr, s.fam == 4 ? s.addr : cf_lo4, 4);
	cf_rbytes(r, dg, sizeof(dg));
	uh->dest = htons(s.port);
	uh->len = cf_rpct(r, 50) ? htons(n) : (uint16_t)cf_rnext(r);
	uh->check = 0;
	e = sendto(fd, dg, n, MSG_DONTWAIT, (struct sockaddr *)&to,
		   sizeof(to)) < 0 ? errno : 0;
	cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "raw sendto", e, cf_traffic_ok);
	close(fd);
}

/* Raw, UDP-Lite, TCP and ping sockets: never attached. */
void cf_op_othersock(struct ctx *c, struct rng *r)
{
	static const struct { int type, proto; } kinds[] = {
		{ SOCK_RAW, IPPROTO_UDP }, { SOCK_DGRAM, IPPROTO_UDPLITE },
		{ SOCK_STREAM, IPPROTO_TCP }, { SOCK_DGRAM, IPPROTO_ICMP },
		{ SOCK_RAW, IPPROTO_RAW },
	};
	struct antigone_attach req = { 0 };
	int kd = cf_rbelow(r, 5), fam = cf_rpct(r, 50) ? AF_INET : AF_INET6;
	int proto = kinds[kd].proto, fd, e, level;
	socklen_t len = sizeof(req);

	if (fam == AF_INET6 && proto == IPPROTO_ICMP)
		proto = IPPROTO_ICMPV6;
	fd = socket(fam, kinds[kd].type | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		cf_judge(c, CK_SOCK, C_SOCKET, "socket", errno, cf_socket_ok);
		return;
	}
	snprintf(req.group_name, sizeof(req.group_name), "%s",
		 c->priv ? c->pg[cf_rbelow(r, NPG)].p.name : "u.allow");
	if (!req.group_name[0])
		strcpy(req.group_name, "u.allow");
	level = fam == AF_INET6 && cf_rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	e = setsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	    errno : 0;
	cf_judge(c, CK_SOCK, C_SOCKOPT, "attach of a socket not UDP", e,
		 (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	e = setsockopt(fd, level, ANTIGONE_SO_DETACH, NULL, 0) ? errno : 0;
	cf_judge(c, CK_SOCK, C_SOCKOPT, "detach of a socket not UDP", e,
		 (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	e = getsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, &len) ? errno : 0;
	cf_judge(c, CK_SOCK, C_SOCKOPT, "getsockopt of a socket not UDP", e,
		 (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	close(fd);
}

void cf_op_mcast(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), e, one = 1, lo = 1;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	if (s->fam == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = 1 };
		uint8_t g[4] = { 239, cf_rpct(r, 50) ? 1 : 2, cf_rbelow(r, 4),
				 cf_rbelow(r, 4) };

		memcpy(&m.imr_multiaddr, g, 4);
		switch (cf_rbelow(r, 3)) {
		case 0:
			e = setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP,
				       &m, sizeof(m));
			break;
		case 1:
			e = setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &m,
				       sizeof(m));
			break;
		default:
			e = setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP,
				       &one, sizeof(one));
			break;
		}
	} else {
		struct ipv6_mreq m = { .ipv6mr_interface = 1 };

		m.ipv6mr_multiaddr.s6_addr[0] = 0xff;
		m.ipv6mr_multiaddr.s6_addr[1] = 0x0e;
		m.ipv6mr_multiaddr.s6_addr[13] = cf_rpct(r, 50) ? 2 : c->w;
		m.ipv6mr_multiaddr.s6_addr[15] = cf_rbelow(r, 4);
		if (cf_rpct(r, 50))
			e = setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP,
				       &m, sizeof(m));
		else
			e = setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
				       &lo, sizeof(lo));
	}
	e = e ? errno : 0;
	cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "multicast option", e,
		 (const int[]){ 0, EADDRINUSE, ENODEV, EINVAL, ENOBUFS,
			     EADDRNOTAVAIL, ENOPROTOOPT, EOPNOTSUPP, -1 });
}

/* IP options grow the header the datapath parses; corking, checksums. */
void cf_op_ipopt(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), e, v = cf_rbelow(r, 2);
	uint8_t opt[44];
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	switch (cf_rbelow(r, 6)) {
	case 0:		/* NOPs, or anything, up to 44 bytes */
		memset(opt, IPOPT_NOP, sizeof(opt));
		if (cf_rpct(r, 20))
			cf_rbytes(r, opt, sizeof(opt));
		e = setsockopt(s->fd, IPPROTO_IP, IP_OPTIONS, opt,
			       cf_rbelow(r, 45));
		break;
	case 1:
		v = (int[]){ IP_PMTUDISC_DONT, IP_PMTUDISC_DO,
			     IP_PMTUDISC_PROBE }[cf_rbelow(r, 3)];
		e = s->fam == AF_INET ?
		    setsockopt(s->fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof(v)) :
		    setsockopt(s->fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v,
			       sizeof(v));
		break;
	case 2:
		e = setsockopt(s->fd, SOL_UDP, UDP_CORK, &v, sizeof(v));
		break;
	case 3:
		e = setsockopt(s->fd, SOL_SOCKET, SO_NO_CHECK, &v, sizeof(v));
		break;
	case 4:
		e = setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE,
			       v ? "lo" : "", v ? 3 : 0);
		break;
	default:
		v = cf_rbelow(r, 256);
		e = setsockopt(s->fd, IPPROTO_IP, IP_TOS, &v, sizeof(v));
		break;
	}
	e = e ? errno : 0;
	cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "IP/UDP option", e,
		 (const int[]){ 0, EINVAL, ENOPROTOOPT, EPERM, ENODEV,
			     EOPNOTSUPP, -1 });
}

void cf_op_dup(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), j, fd;

	if (i < 0)
		return;
	fd = dup(c->sk[i].fd);
	if (fd < 0)
		return;
	j = cf_free_slot(c, r);
	if (c->sk[i].fd < 0) {	/* cf_free_slot closed the original */
		close(fd);
		return;
	}
	c->sk[j] = c->sk[i];
	c->sk[j].fd = fd;
	/* Two names for one socket: the model follows neither. */
	c->sk[i].known = c->sk[j].known = false;
}

/*
 * Two fresh sockets attached to one group that can carry traffic: what
 * one sends the other must get, in clear, exactly.
 */
void cf_op_roundtrip(struct ctx *c, struct rng *r)
{
	int fam = cf_rpct(r, 50) ? AF_INET : AF_INET6, a, b, e, k = -1, i;
	struct antigone_attach req = { 0 };
	struct sockaddr_storage ss;
	char msg[1500], got[1600];
	uint16_t port = c->block + 56 + cf_rbelow(r, 8);
	struct pollfd p;
	socklen_t sl;
	size_t n;
	double until;

	if (c->priv) {
		int start = cf_rbelow(r, NPG);

		for (i = 0; i < NPG && k < 0; i++) {
			const struct pgroup *g = &c->pg[(start + i) % NPG];

			if (g->exists && g->cur && g->sender && !g->relay &&
			    !g->hb_timeout && !g->key_life &&
			    g->hb_epoch <= g->cur)
				k = (start + i) % NPG;
		}
		if (k < 0)
			return;
		req.group_id = c->pg[k].id;
	} else {
		strcpy(req.group_name, "u.allow");
	}
	a = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	b = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (a < 0 || b < 0)
		goto out;
	sl = cf_mkaddr(fam, fam == AF_INET ? cf_lo4 : cf_lo6, port, &ss);
	if (bind(a, (struct sockaddr *)&ss, sl))
		goto out;	/* one of ours has the port */
	e = setsockopt(a, SOL_IP, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	    errno : 0;
	if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "round trip: attach receiver", e, 0))
		goto out;
	e = setsockopt(b, fam == AF_INET ? SOL_IP : SOL_IPV6,
		       ANTIGONE_SO_ATTACH, &req, sizeof(req)) ? errno : 0;
	if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "round trip: attach sender", e, 0))
		goto out;
	n = 1 + cf_rbelow(r, sizeof(msg) - 100);
	memset(msg, 'a' + cf_rbelow(r, 26), n);
	snprintf(msg, sizeof(msg), "rt %s %d %ld", cf_mode_name[c->mode], c->w,
		 c->op);
	e = sendto(b, msg, n, 0, (struct sockaddr *)&ss, sl) < 0 ? errno : 0;
	if (!cf_judge1(c, CK_TRAFFIC, C_TRAFFIC, "round trip: send", e, 0))
		goto out;
	cf_inc(&cf_sh->roundtrips);
	for (until = cf_now() + 10;;) {
		ssize_t got_n;

		p = (struct pollfd){ .fd = a, .events = POLLIN };
		if (poll(&p, 1, 100) == 1) {
			got_n = recv(a, got, sizeof(got), MSG_DONTWAIT);
			if (got_n == (ssize_t)n && !memcmp(got, msg, n)) {
				cf_inc(&cf_sh->checks[CK_TRAFFIC]);
				break;
			}
			if (got_n >= 0)
				continue;	/* someone else's */
		}
		if (cf_now() > until) {
			cf_fail(c, CK_TRAFFIC, "round trip over group %s (%s): "
				"%zu bytes sent, not received",
				req.group_name[0] ? req.group_name :
				c->pg[k].p.name, fam == AF_INET ? "IPv4" : "IPv6",
				n);
			break;
		}
	}
out:
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

