// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: the children of a process: forks racing on shared sockets,
 * and children in network namespaces of their own that set groups and
 * sockets up in every state and exit, some handing sockets back over
 * SCM_RIGHTS; reaping them.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../lib/vmtest.h"
#include "ctlfuzz.h"

/* ---- children: shared sockets, network namespaces ---------------------- */

int cf_lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	if (fd < 0)
		return -1;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

void cf_reap(struct ctx *c, pid_t *pid, bool block, const char *what,
	     int ck)
{
	int st;
	pid_t p;

	if (*pid <= 0)
		return;
	do
		p = waitpid(*pid, &st, block ? 0 : WNOHANG);
	while (p < 0 && errno == EINTR);
	if (p == 0)
		return;
	*pid = 0;
	if (p < 0) {
		cf_fail(c, CK_PROCS, "%s: waitpid: %s", what, strerror(errno));
		return;
	}
	if (WIFSIGNALED(st))
		cf_fail(c, CK_PROCS, "%s killed by signal %d (%s)", what,
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		cf_check_true(c, ck, WEXITSTATUS(st) == 0, "%s exited %d", what,
			      WEXITSTATUS(st));
	if (ck == CK_NSCHILD && WIFEXITED(st) && !WEXITSTATUS(st))
		cf_inc(&cf_sh->nschild_ok);
}

typedef void (*sockop)(struct ctx *c, struct rng *r);

/*
 * A fork sharing some of our sockets: attach, detach, replace the
 * encapsulation, send, close, racing with us; it exits with them open.
 */
void cf_op_fork(struct ctx *c, struct rng *r)
{
	static const sockop ops[] = {
		cf_op_attach, cf_op_detach, cf_op_getopt, cf_op_udpopt, cf_op_send, cf_op_send,
		cf_op_recv, cf_op_mcast, cf_op_ipopt,
	};
	bool mine[NSOCK] = { false };
	pid_t pid;
	int i, n;

	cf_reap(c, &c->forkchild, true, "fork child", CK_PROCS);
	for (i = 0; i < NSOCK; i++)
		if (c->sk[i].fd >= 0 && cf_rpct(r, 60)) {
			mine[i] = true;
			c->sk[i].known = false;
		}
	cf_inc(&cf_sh->forks);
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		c->in_child = true;
		c->priv = false;	/* no modelled groups in here */
		close(c->nl);
		close(c->ev);
		for (i = 0; i < NSOCK; i++)
			if (!mine[i])
				cf_sock_close(c, i);
		for (n = 5 + cf_rbelow(r, 40); n; n--) {
			struct rng r2 = cf_rng_for(c->mode, c->w, c->op, 1000 + n);

			if (cf_rpct(&r2, 8)) {
				i = cf_pick_sock(c, &r2);
				if (i >= 0)
					cf_sock_close(c, i);
				continue;
			}
			ops[cf_rbelow(&r2, sizeof(ops) / sizeof(ops[0]))](c, &r2);
		}
		_exit(0);
	}
	c->forkchild = pid;
	/* Some sockets now live on in the child alone. */
	for (i = 0; i < NSOCK; i++)
		if (mine[i] && cf_rpct(r, 30))
			cf_sock_close(c, i);
}

int cf_nl_simple(struct ctx *c, void (*fill)(struct ctx *c, void *arg),
		 uint8_t cmd, void *arg)
{
	size_t off = cf_model_begin(c, cmd, 0);

	fill(c, arg);
	cf_msg_end(cf_msgbuf, off);
	return cf_model_xfer(c, NULL);
}

void cf_fill_new(struct ctx *c, void *arg)
{
	cf_put_gparams(cf_msgbuf, &((struct nsg *)arg)->p, false);
}

void cf_fill_key(struct ctx *c, void *arg)
{
	struct nsg *g = arg;
	uint8_t key[32] = { (uint8_t)g->keys };

	size_t nest;

	cf_put_group_name(cf_msgbuf, g->p.name);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, g->keys);
	cf_a_put(cf_msgbuf, ANTIGONE_KEY_A_DATA, key,
		 g->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_SENDER, 1 + g->k);
	cf_a_end(cf_msgbuf, nest);
}

static void fill_keydel(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	size_t nest;

	cf_put_group_name(cf_msgbuf, g->p.name);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, g->keys);
	cf_a_end(cf_msgbuf, nest);
}

static void fill_hb(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	size_t nest;

	cf_put_group_name(cf_msgbuf, g->p.name);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_HEARTBEAT);
	cf_a_u64(cf_msgbuf, ANTIGONE_HEARTBEAT_A_SEQ, 1);
	cf_a_u32(cf_msgbuf, ANTIGONE_HEARTBEAT_A_EPOCH, g->keys + (g->k & 1));
	cf_a_end(cf_msgbuf, nest);
}

static void fill_relay(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	size_t nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_GROUP);

	cf_a_str(cf_msgbuf, ANTIGONE_GROUP_A_NAME, g->p.name);
	cf_a_u16(cf_msgbuf, ANTIGONE_GROUP_A_RELAY_PORT, 40000 + g->k);
	if (g->k & 1)
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, 1);
	cf_a_end(cf_msgbuf, nest);
}

void cf_fill_del(struct ctx *c, void *arg)
{
	cf_put_group_name(cf_msgbuf, ((struct nsg *)arg)->p.name);
}

static int nsc_check(struct ctx *c, const char *what, int got, int want)
{
	return cf_judge1(c, CK_NSCHILD, C_MODEL, what, got, want) ? 0 : 1;
}

/*
 * In a network namespace of its own: groups with keys in grace, stale
 * heartbeats, relays and IPv6 selectors; tagged sockets attached,
 * replaced, detached, sending; some groups deleted under their sockets;
 * garbage. Then it exits with all of it live, maybe after handing some
 * sockets to its parent, whose close later ends the namespace.
 */
static int nschild(struct ctx *c, struct rng *r, int usock)
{
	struct nsg g[5];
	int fds[8], nfd = 0, ng = 1 + cf_rbelow(r, 5), i, j, bad = 0;

	c->in_child = true;
	close(c->nl);
	close(c->ev);
	for (i = 0; i < NSOCK; i++)
		cf_sock_close(c, i);
	if (unshare(CLONE_NEWNET))
		return 10;
	if (cf_lo_up())
		return 11;
	c->nl = cf_nl_open(r);
	if (c->nl < 0)
		return 12;
	for (i = 0; i < ng; i++) {
		cf_gen_gparams(c, r, &g[i].p);
		snprintf(g[i].p.name, sizeof(g[i].p.name), "n%d", i);
		g[i].k = i;
		g[i].suite = g[i].p.suite < 0 ? 1 : g[i].p.suite;
		g[i].p.nsel = cf_rbelow(r, 5);
		for (j = 0; j < (int)g[i].p.nsel; j++) {
			struct sel *s = &g[i].p.sel[j];

			cf_shared_sel(r, s);
			if (s->fam == 4 && s->addr[0] != 127 && s->addr[0] != 239)
				cf_sel_addr_v4(s, 127, 0, 0, 2 + j);
			s->port = 5000 + i * 16 + j;
		}
		bad += nsc_check(c, "netns GROUP_NEW",
				 cf_nl_simple(c, cf_fill_new, ANTIGONE_CMD_GROUP_NEW,
					      &g[i]), 0);
		for (g[i].keys = 1; g[i].keys <= cf_rbelow(r, 4); g[i].keys++)
			bad += nsc_check(c, "netns KEY_ADD",
					 cf_nl_simple(c, cf_fill_key,
						      ANTIGONE_CMD_KEY_ADD, &g[i]),
					 0);
		g[i].keys--;
		if (g[i].keys && cf_rpct(r, 25))
			bad += nsc_check(c, "netns KEY_DEL",
					 cf_nl_simple(c, fill_keydel,
						      ANTIGONE_CMD_KEY_DEL, &g[i]),
					 0);
		if (cf_rpct(r, 40))
			bad += nsc_check(c, "netns HEARTBEAT",
					 cf_nl_simple(c, fill_hb,
						      ANTIGONE_CMD_HEARTBEAT,
						      &g[i]), 0);
		if (cf_rpct(r, 40))
			bad += nsc_check(c, "netns GROUP_SET",
					 cf_nl_simple(c, fill_relay,
						      ANTIGONE_CMD_GROUP_SET,
						      &g[i]), 0);
	}
	for (i = cf_rbelow(r, 9); i; i--) {
		int fam = cf_rpct(r, 50) ? AF_INET : AF_INET6;
		int fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0), v;
		struct antigone_attach req = { 0 };
		struct sockaddr_storage ss;
		socklen_t sl;
		struct nsg *to = &g[cf_rbelow(r, ng)];

		if (fd < 0)
			return 13;
		if (cf_rpct(r, 50)) {
			sl = cf_mkaddr(fam, fam == AF_INET ? cf_lo4 : cf_lo6,
				       5000 + cf_rbelow(r, 80), &ss);
			bind(fd, (struct sockaddr *)&ss, sl);
		}
		snprintf(req.group_name, sizeof(req.group_name), "%s",
			 to->p.name);
		bad += nsc_check(c, "netns attach",
				 setsockopt(fd, SOL_IP, ANTIGONE_SO_ATTACH,
					    &req, sizeof(req)) ? errno : 0, 0);
		if (cf_rpct(r, 25)) {
			int e;

			v = cf_rbelow(r, 4);
			e = setsockopt(fd, SOL_UDP, UDP_ENCAP, &v, sizeof(v)) ?
			    errno : 0;
			/* ESPINUDP_NON_IKE (1) is gone since 6.9. */
			if (v == 1 && e == ENOPROTOOPT)
				e = 0;
			bad += nsc_check(c, "netns UDP_ENCAP", e, 0);
		}
		if (cf_rpct(r, 15))
			bad += nsc_check(c, "netns detach",
					 setsockopt(fd, SOL_IP,
						    ANTIGONE_SO_DETACH, NULL, 0) ?
					 errno : 0, 0);
		for (j = cf_rbelow(r, 4); j; j--) {
			struct sel s = to->p.nsel ?
				to->p.sel[cf_rbelow(r, to->p.nsel)] :
				(struct sel){ .fam = 4, .addr = { 127, 0, 0, 1 },
					      .port = 5000 };
			int seg = cf_rpct(r, 20) ? 500 : 0;

			if (seg)
				setsockopt(fd, SOL_UDP, UDP_SEGMENT, &seg,
					   sizeof(seg));
			if (fam == AF_INET6 && s.fam == 4) {
				uint8_t m[16] = { [10] = 0xff, [11] = 0xff };

				memcpy(m + 12, s.addr, 4);
				sl = cf_mkaddr(fam, m, s.port, &ss);
			} else {
				sl = cf_mkaddr(fam, fam == AF_INET && s.fam == 6 ?
					       cf_lo4 : s.addr, s.port, &ss);
			}
			cf_judge(c, CK_TRAFFIC, C_TRAFFIC, "netns send",
				 sendto(fd, cf_payload, seg ? 3000 : 100,
					MSG_DONTWAIT, (struct sockaddr *)&ss, sl) <
				 0 ? errno : 0, cf_traffic_ok);
		}
		if (cf_rpct(r, 15))
			close(fd);
		else if (nfd < 8)
			fds[nfd++] = fd;
	}
	for (i = 0; i < ng; i++)
		if (cf_rpct(r, 30))
			bad += nsc_check(c, "netns GROUP_DEL",
					 cf_nl_simple(c, cf_fill_del,
						      ANTIGONE_CMD_GROUP_DEL, &g[i]),
					 0);
	for (i = cf_rbelow(r, 6); i; i--)
		cf_op_fuzz(c, r, cf_rpct(r, 20));
	/* Hand some sockets over: they keep this namespace alive. */
	if (usock >= 0 && nfd && cf_rpct(r, 60)) {
		char cbuf[CMSG_SPACE(sizeof(int) * 8)] = { 0 };
		struct iovec iov = { (void *)"s", 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf };
		struct cmsghdr *cm;
		int n = 1 + cf_rbelow(r, nfd);

		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
		if (sendmsg(usock, &mh, MSG_DONTWAIT) > 0)
			__atomic_fetch_add(&cf_sh->fds_passed, n,
					   __ATOMIC_RELAXED);
	}
	return bad ? 20 : 0;
}

/* Takes what the last netns child handed over, or leaves it in flight. */
void cf_nschild_collect(struct ctx *c, struct rng *r)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 8)], d;
	struct iovec iov = { &d, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (c->nsunix < 0)
		return;
	/* Closed unread: the fds in flight are the garbage collector's. */
	if (cf_rpct(r, 20) || recvmsg(c->nsunix, &mh, MSG_DONTWAIT) <= 0) {
		close(c->nsunix);
		c->nsunix = -1;
		return;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int), i, fd;

		if (cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (i = 0; i < n; i++) {
			int slot = cf_free_slot(c, r);
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
			c->sk[slot].fd = fd;
			c->sk[slot].kind = SK_UDP;
			c->sk[slot].known = false;	/* another netns's */
			c->sk[slot].foreign = true;
			c->sk[slot].fam = getsockname(fd, (struct sockaddr *)&ss,
						      &sl) ? AF_INET :
					  ss.ss_family;
		}
	}
	close(c->nsunix);
	c->nsunix = -1;
}

void cf_op_nschild(struct ctx *c, struct rng *r)
{
	int sv[2];
	pid_t pid;

	cf_reap(c, &c->nschild, true, "netns child", CK_NSCHILD);
	cf_nschild_collect(c, r);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		return;
	cf_inc(&cf_sh->nschild_started);
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		_exit(nschild(c, r, sv[1]));
	}
	close(sv[1]);
	c->nsunix = sv[0];
	c->nschild = pid;
}

