// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: sockets and their options: UDP sockets bound or not and
 * connected or not, ANTIGONE_SO_ATTACH with valid and broken arguments to
 * live, foreign and deleted groups, DETACH, getsockopt, UDP_ENCAP/GRO/
 * SEGMENT; each result against the socket's model where it is known.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../lib/vmtest.h"
#include "ctlfuzz.h"

/* ---- sockets ------------------------------------------------------------ */

socklen_t cf_mkaddr(int fam, const uint8_t *a, uint16_t port,
		    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fam == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a, 4);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a, 16);
		return sizeof(*s6);
	}
}

/* 16 bytes each: a selector copies an address of either size. */
const uint8_t cf_lo4[16] = { 127, 0, 0, 1 }, cf_lo6[16] = { [15] = 1 };
static const uint8_t any4[16], any6[16];

void cf_sock_reset(struct xsock *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

void cf_sock_close(struct ctx *c, int i)
{
	if (c->sk[i].fd >= 0)
		close(c->sk[i].fd);
	cf_sock_reset(&c->sk[i]);
}

int cf_free_slot(struct ctx *c, struct rng *r)
{
	int i;

	for (i = 0; i < NSOCK; i++)
		if (c->sk[i].fd < 0)
			return i;
	i = cf_rbelow(r, NSOCK);
	cf_sock_close(c, i);
	return i;
}

int cf_pick_sock(struct ctx *c, struct rng *r)
{
	int i, start = cf_rbelow(r, NSOCK);

	for (i = 0; i < NSOCK; i++)
		if (c->sk[(start + i) % NSOCK].fd >= 0)
			return (start + i) % NSOCK;
	return -1;
}

const int cf_socket_ok[] = {
	0, EADDRINUSE, EADDRNOTAVAIL, EINVAL, EACCES, EPERM, EAFNOSUPPORT,
	EPROTONOSUPPORT, ENETUNREACH, EHOSTUNREACH, EMFILE, ENFILE, -1
};

/* A destination: one of our sockets, a selector, or somewhere else. */
socklen_t cf_pick_dest(struct ctx *c, struct rng *r, int fam,
		       bool foreign, struct sockaddr_storage *ss)
{
	struct sel s;
	int i = cf_pick_sock(c, r), dst = cf_rbelow(r, 5);

	if (foreign && cf_rpct(r, 50))
		dst = 5;	/* the selectors of the sender's netns child */
	switch (dst) {
	case 0:
		if (i >= 0 && c->sk[i].port)
			return cf_mkaddr(fam, fam == AF_INET ? cf_lo4 : cf_lo6,
					 c->sk[i].port, ss);
		/* fallthrough */
	case 1: {
		int k = cf_rbelow(r, NPG);

		if (c->pg[k].exists && c->pg[k].p.nsel) {
			s = c->pg[k].p.sel[cf_rbelow(r, c->pg[k].p.nsel)];
			break;
		}
	}
		/* fallthrough */
	case 2:
		cf_shared_sel(r, &s);
		break;
	case 5:
		s.fam = fam == AF_INET ? 4 : 6;
		memcpy(s.addr, fam == AF_INET ? cf_lo4 : cf_lo6, 16);
		if (fam == AF_INET && cf_rpct(r, 50))
			s.addr[3] = 2 + cf_rbelow(r, 4);
		s.port = 5000 + cf_rbelow(r, 80);
		break;
	default:
		s.fam = fam == AF_INET ? 4 : 6;
		memcpy(s.addr, fam == AF_INET ? cf_lo4 : cf_lo6, 16);
		s.port = c->block + 32 + cf_rbelow(r, 32);
		break;
	}
	if (fam == AF_INET6 && s.fam == 4) {	/* v4-mapped */
		uint8_t m[16] = { [10] = 0xff, [11] = 0xff };

		memcpy(m + 12, s.addr, 4);
		return cf_mkaddr(AF_INET6, m, s.port, ss);
	}
	if (fam == AF_INET && s.fam == 6)
		return cf_mkaddr(AF_INET, cf_lo4, s.port, ss);
	return cf_mkaddr(fam, s.addr, s.port, ss);
}

void cf_op_sock(struct ctx *c, struct rng *r)
{
	int i = cf_free_slot(c, r), fam = cf_rpct(r, 55) ? AF_INET : AF_INET6;
	struct xsock *s = &c->sk[i];
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		cf_judge(c, CK_SOCK, C_SOCKET, "socket", errno, cf_socket_ok);
		return;
	}
	s->fd = fd;
	s->fam = fam;
	s->kind = SK_UDP;
	s->known = true;
	if (fam == AF_INET6 && cf_rpct(r, 50))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (cf_rpct(r, 60)) {
		uint16_t port = cf_rpct(r, 70) ? c->block + 32 + cf_rbelow(r, 24) : 0;
		bool loop = cf_rpct(r, 70);

		sl = cf_mkaddr(fam, fam == AF_INET ? (loop ? cf_lo4 : any4) :
			       (loop ? cf_lo6 : any6), port, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl))
			cf_judge(c, CK_SOCK, C_SOCKET, "bind", errno, cf_socket_ok);
		else
			s->port = port;
	}
	if (cf_rpct(r, 25)) {
		sl = cf_pick_dest(c, r, fam, false, &ss);
		if (connect(fd, (struct sockaddr *)&ss, sl))
			cf_judge(c, CK_SOCK, C_SOCKET, "connect", errno,
				 cf_socket_ok);
	}
}

/* The attach errno the kernel must give, or -1 if it cannot be known. */
struct target {
	int kind;		/* 0 private, 1 u.allow/u.gid, 2 u.none, 3 shared */
	int k;
	uint8_t min;		/* the group's minimum guarantee */
	bool exists;
	uint32_t id;
	const char *name;
};

static bool meets(uint8_t have, uint8_t need)
{
	return have >= 1 && have <= 3 && (have & need) == need;
}

static const int sockopt_any[] = {
	0, EINVAL, ENOENT, EPERM, EBUSY, EOPNOTSUPP, ENOPROTOOPT, EFAULT, -1
};

void cf_op_attach(struct ctx *c, struct rng *r)
{
	static const char *const ugroups[] = { "u.allow", "u.gid", "u.none" };
	int i = cf_pick_sock(c, r), level, want = -1, how = cf_rbelow(r, 100), e;
	struct antigone_attach req = { 0 };
	struct target t = { .kind = 3 };
	char big[sizeof(req) + 8] = { 0 };
	socklen_t len = sizeof(req);
	const void *ptr = &req;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	/* Whom to attach to. */
	if (c->priv && cf_rpct(r, 50)) {
		t.kind = 0;
		t.k = cf_rbelow(r, NPG);
		t.exists = c->pg[t.k].exists;
		t.min = c->pg[t.k].guar;
		t.id = c->pg[t.k].id;
		t.name = c->pg[t.k].p.name;
	} else if (cf_rpct(r, c->priv ? 30 : 75)) {
		int u = cf_rbelow(r, 3);

		t.kind = u == 2 ? 2 : 1;
		t.exists = true;
		t.min = ANTIGONE_G_BOTH;
		t.name = ugroups[u];
	}
	if (t.kind == 3) {
		char nm[ANTIGONE_NAME_MAX + 1];

		cf_shared_name(r, nm);
		/* Its namespace's groups, made by a child now gone. */
		if (s->foreign && cf_rpct(r, 70))
			snprintf(nm, sizeof(nm), "n%u", cf_rbelow(r, 5));
		if (cf_rpct(r, 50) || s->foreign)
			memcpy(req.group_name, nm, sizeof(nm));
		else
			req.group_id = cf_shared_id(c, r);
	} else if (t.kind == 0 && t.id && cf_rpct(r, 50)) {
		req.group_id = t.id;
		if (cf_rpct(r, 30))
			snprintf(req.group_name, sizeof(req.group_name), "%s",
				 t.name);
	} else {
		snprintf(req.group_name, sizeof(req.group_name), "%s", t.name);
	}
	req.guarantee = cf_rpct(r, 55) ? 0 : cf_rpct(r, 95) ? 1 + cf_rbelow(r, 3) :
			(uint8_t)cf_rnext(r);
	req.flags = cf_rpct(r, 85) ? 0 : cf_rpct(r, 60) ? ANTIGONE_ATTACH_FORWARD :
		    (uint8_t)cf_rnext(r);
	level = s->fam == AF_INET6 && cf_rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	if (how < 3) {
		level = (int[]){ SOL_IPV6, SOL_UDP, SOL_SOCKET }[cf_rbelow(r, 3)];
		if (s->fam == AF_INET6 && level == SOL_IPV6)
			level = SOL_UDP;
	}
	/* Broken requests, each refused for its own reason. */
	if (how >= 3 && how < 6)
		len = (socklen_t[]){ 0, sizeof(req) - 1, sizeof(req) + 1,
				     sizeof(big) }[cf_rbelow(r, 4)];
	else if (how == 6)
		ptr = NULL;
	else if (how == 7)
		req.reserved[cf_rbelow(r, 2)] = 1 + cf_rbelow(r, 255);
	else if (how == 8)
		req.flags |= 0x02 << cf_rbelow(r, 7);
	else if (how == 9)
		memset(req.group_name, 'x', sizeof(req.group_name));
	else if (how == 10) {
		req.group_id = 0;
		memset(req.group_name, 0, sizeof(req.group_name));
	}
	if (len == sizeof(big)) {
		memcpy(big, &req, sizeof(req));
		ptr = big;
	}
	/* What it must answer, in the order the module checks. */
	if (s->known && s->kind == SK_UDP) {
		bool named = req.group_id || req.group_name[0];

		if (how < 3)
			want = ENOPROTOOPT;
		else if (len != sizeof(req))
			want = EINVAL;
		else if (!ptr)
			want = EFAULT;
		else if (how >= 7 && how <= 10)
			want = EINVAL;
		else if (req.flags & ~ANTIGONE_ATTACH_FORWARD || !named)
			want = EINVAL;
		else if (t.kind == 3)
			want = -1;
		else if (!t.exists)
			want = ENOENT;
		else if (!c->priv && (t.kind == 2 ||
				      req.flags & ANTIGONE_ATTACH_FORWARD))
			want = EPERM;
		else if (!meets(req.guarantee ? req.guarantee : t.min, t.min))
			want = EINVAL;
		else if (s->attached || s->enc_type || s->enc_rcv != ENC_NONE)
			want = EBUSY;
		else
			want = 0;
	}
	e = setsockopt(s->fd, level, ANTIGONE_SO_ATTACH, ptr, len) ? errno : 0;
	if (s->kind != SK_UDP && s->known) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "attach of a socket not UDP", e,
			 (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
		return;
	}
	if (!s->known) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH", e,
			 sockopt_any);
	} else if (want >= 0) {
		if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH", e,
			       want))
			s->known = false;
	} else {
		/* A well-formed request to a group anyone may change. */
		cf_judge(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH (shared group)",
			 e, (const int[]){ 0, ENOENT, EINVAL, EBUSY, EPERM, -1 });
	}
	if (!e && s->known) {
		s->attached = true;
		s->enc_rcv = ENC_OURS;
		s->enc_type = 0xa7;
		s->att_id = t.kind == 0 ? t.id : req.group_id;
		snprintf(s->att_name, sizeof(s->att_name), "%s",
			 t.kind == 3 ? req.group_name : t.name);
		s->att_guar = req.guarantee ? req.guarantee : t.kind == 3 ? 0 :
			      t.min;
		s->att_flags = req.flags;
		/* A shared group by id: its name, and guarantee, unknown. */
		if (t.kind == 3 && !req.group_name[0])
			s->att_name[0] = 0;
	}
}

void cf_op_detach(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), level, e, want;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	level = s->fam == AF_INET6 && cf_rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	e = setsockopt(s->fd, level, ANTIGONE_SO_DETACH, NULL, 0) ? errno : 0;
	if (!s->known) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "detach", e, sockopt_any);
		return;
	}
	if (s->kind != SK_UDP) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "detach of a socket not UDP", e,
			 (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
		return;
	}
	want = s->attached ? 0 : ENOENT;
	if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_DETACH", e, want)) {
		s->known = false;
		return;
	}
	if (s->attached) {
		s->attached = false;
		/* Our hooks go; an owner's replacement stays. */
		if (s->enc_rcv == ENC_OURS) {
			s->enc_rcv = ENC_NONE;
			s->enc_type = 0;
		}
	}
}

void cf_op_getopt(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), level, e, want, opt = ANTIGONE_SO_ATTACH;
	struct antigone_attach got;
	socklen_t len = sizeof(got);
	void *ptr = &got;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	memset(&got, 0xa5, sizeof(got));
	level = s->fam == AF_INET6 && cf_rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	if (cf_rpct(r, 8))
		len = cf_rbelow(r, sizeof(got));
	if (cf_rpct(r, 4))
		opt = ANTIGONE_SO_DETACH;	/* not a get option */
	if (cf_rpct(r, 3))
		ptr = NULL;
	e = getsockopt(s->fd, level, opt, ptr, &len) ? errno : 0;
	if (!s->known) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "getsockopt", e, sockopt_any);
		return;
	}
	if (s->kind != SK_UDP) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "getsockopt of a socket not UDP",
			 e, (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
		return;
	}
	if (opt != ANTIGONE_SO_ATTACH)
		want = ENOPROTOOPT;
	else if (len < sizeof(got) && len != sizeof(got))
		want = EINVAL;
	else if (!s->attached)
		want = ENOENT;
	else if (!ptr)
		want = EFAULT;
	else
		want = 0;
	if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "getsockopt ANTIGONE_SO_ATTACH", e,
		       want)) {
		s->known = false;
		return;
	}
	if (!e)
		cf_check_true(c, CK_SOCK, len == sizeof(got) &&
			      (!s->att_id || got.group_id == s->att_id) &&
			      (!s->att_name[0] ||
			       !strcmp(got.group_name, s->att_name)) &&
			      (!s->att_guar || got.guarantee == s->att_guar) &&
			      got.flags == s->att_flags && !got.reserved[0] &&
			      !got.reserved[1] &&
			      memchr(got.group_name, 0, sizeof(got.group_name)),
			      "getsockopt reports %u/%.16s/%u/%u, attached to "
			      "%u/%s/%u/%u", got.group_id, got.group_name,
			      got.guarantee, got.flags, s->att_id, s->att_name,
			      s->att_guar, s->att_flags);
}

void cf_op_udpopt(struct ctx *c, struct rng *r)
{
	int i = cf_pick_sock(c, r), opt, val, e, want = 0;
	socklen_t len = sizeof(val);
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	switch (cf_rbelow(r, 4)) {
	case 0:
	case 1:
		opt = UDP_ENCAP;
		val = cf_rpct(r, 85) ? (int)cf_rbelow(r, 4) : (int)cf_rint32(r);
		if (val < 0 || val > 3)
			want = ENOPROTOOPT;
		break;
	case 2:
		opt = UDP_GRO;
		val = cf_rbelow(r, 2);
		break;
	default:
		opt = UDP_SEGMENT;
		val = cf_rpct(r, 80) ? (int)cf_rbelow(r, 2000) : (int)cf_rint32(r);
		if (val < 0 || val > 65535)
			want = EINVAL;
		break;
	}
	if (cf_rpct(r, 3)) {
		len = cf_rbelow(r, sizeof(val));
		want = EINVAL;
	}
	e = setsockopt(s->fd, SOL_UDP, opt, &val, len) ? errno : 0;
	if (!s->known || s->kind != SK_UDP) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "UDP option", e,
			 (const int[]){ 0, EINVAL, ENOPROTOOPT, EOPNOTSUPP, -1 });
		return;
	}
	/* UDP_ENCAP_ESPINUDP_NON_IKE is gone since 6.9 (ENOPROTOOPT). */
	if (opt == UDP_ENCAP && val == 1 && !want) {
		cf_judge(c, CK_SOCK, C_SOCKOPT, "UDP option", e,
			 (const int[]){ 0, ENOPROTOOPT, -1 });
		if (e)
			return;
	} else if (!cf_judge1(c, CK_SOCK, C_SOCKOPT, "UDP option", e, want)) {
		s->known = false;
		return;
	}
	if (!e && opt == UDP_ENCAP) {
		/* ESP's values hook xfrm's receive; L2TP's only the type. */
		if (val <= 2)
			s->enc_rcv = ENC_XFRM;
		s->enc_type = val;
	}
}

