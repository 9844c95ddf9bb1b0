// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: the processes. One process: the mix of ops (privileged or
 * not), its loop and its wind-down. One namespace: its leader enters it,
 * makes the u. groups, starts and reaps the processes, ends hung ones,
 * and checks that no group is left.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/netlink.h>

#include "../lib/vmtest.h"
#include "ctlfuzz.h"

/* ---- one process ------------------------------------------------------- */

static void m_op(struct ctx *c, struct rng *r)
{
	int k = cf_rbelow(r, NPG), p = cf_rbelow(r, 100);
	const struct {
		int upto, kind;
		void (*fn)(struct ctx *c, struct rng *r, int k);
	} *e, live[] = {
		{ 3, OP_M_NEW, cf_m_new }, { 10, OP_M_NEAR, cf_m_near },
		{ 16, OP_M_DEL, cf_m_del }, { 38, OP_M_KEYADD, cf_m_keyadd },
		{ 46, OP_M_KEYDEL, cf_m_keydel }, { 52, OP_M_KEYSET, cf_m_keyset },
		{ 64, OP_M_HB, cf_m_hb }, { 72, OP_M_SET, cf_m_set },
		{ 100, OP_M_GET, cf_m_get },
	}, gone[] = {
		{ 65, OP_M_NEW, cf_m_new }, { 80, OP_M_NEAR, cf_m_near },
		{ 100, OP_M_GONE, cf_m_gone },
	};

	for (e = c->pg[k].exists ? live : gone; p >= e->upto; e++)
		;
	c->kind = e->kind;
	cf_inc(&cf_sh->ops[e->kind]);
	e->fn(c, r, k);
}

struct weight {
	int kind, w;
};

static const struct weight w_priv[] = {
	{ OP_FUZZ, 170 }, { OP_BATCH, 35 }, { OP_VALID, 110 }, { -1, 230 },
	{ OP_DUMP, 20 }, { OP_DUMP_DROP, 4 }, { OP_SOCK, 45 },
	{ OP_ATTACH, 70 }, { OP_DETACH, 25 }, { OP_GETOPT, 25 },
	{ OP_UDPOPT, 35 }, { OP_SEND, 70 }, { OP_RECV, 30 },
	{ OP_RAWSEND, 8 }, { OP_ROUNDTRIP, 15 }, { OP_CLOSE, 30 },
	{ OP_DUP, 6 }, { OP_FORK, 4 }, { OP_OTHERSOCK, 10 },
	{ OP_NSCHILD, 4 }, { OP_EVENTS, 10 }, { OP_NLREOPEN, 3 },
	{ OP_MCAST, 8 }, { OP_IPOPT, 8 }, { 0, 0 },
};

static const struct weight w_unpriv[] = {
	{ OP_FUZZ, 250 }, { OP_BATCH, 40 }, { OP_VALID, 200 }, { OP_DUMP, 30 },
	{ OP_SOCK, 50 }, { OP_ATTACH, 120 }, { OP_DETACH, 40 },
	{ OP_GETOPT, 40 }, { OP_UDPOPT, 30 }, { OP_SEND, 60 }, { OP_RECV, 30 },
	{ OP_ROUNDTRIP, 10 }, { OP_CLOSE, 30 }, { OP_DUP, 6 }, { OP_FORK, 4 },
	{ OP_OTHERSOCK, 10 }, { OP_EVENTS, 10 }, { OP_NLREOPEN, 3 },
	{ OP_MCAST, 8 }, { OP_IPOPT, 8 }, { 0, 0 },
};

static void one_op(struct ctx *c, struct rng *r)
{
	const struct weight *t = c->priv ? w_priv : w_unpriv, *e;
	int total = 0, p;

	for (e = t; e->w; e++)
		total += e->w;
	p = cf_rbelow(r, total);
	for (e = t; p >= e->w; e++)
		p -= e->w;
	c->req = NULL;
	if (e->kind < 0) {
		m_op(c, r);
		return;
	}
	c->kind = e->kind;
	cf_inc(&cf_sh->ops[e->kind]);
	switch (e->kind) {
	case OP_FUZZ:
		cf_op_fuzz(c, r, false);
		break;
	case OP_BATCH:
		cf_op_fuzz(c, r, true);
		break;
	case OP_VALID:
		cf_op_valid(c, r);
		break;
	case OP_DUMP:
		cf_op_dump(c, r);
		break;
	case OP_DUMP_DROP:
		cf_op_dump_drop(c, r);
		break;
	case OP_SOCK:
		cf_op_sock(c, r);
		break;
	case OP_ATTACH:
		cf_op_attach(c, r);
		break;
	case OP_DETACH:
		cf_op_detach(c, r);
		break;
	case OP_GETOPT:
		cf_op_getopt(c, r);
		break;
	case OP_UDPOPT:
		cf_op_udpopt(c, r);
		break;
	case OP_SEND:
		cf_op_send(c, r);
		break;
	case OP_RECV:
		cf_op_recv(c, r);
		break;
	case OP_RAWSEND:
		cf_op_rawsend(c, r);
		break;
	case OP_ROUNDTRIP:
		cf_op_roundtrip(c, r);
		break;
	case OP_CLOSE: {
		int i = cf_pick_sock(c, r);

		if (i >= 0)
			cf_sock_close(c, i);
		break;
	}
	case OP_DUP:
		cf_op_dup(c, r);
		break;
	case OP_FORK:
		cf_op_fork(c, r);
		break;
	case OP_OTHERSOCK:
		cf_op_othersock(c, r);
		break;
	case OP_NSCHILD:
		cf_op_nschild(c, r);
		break;
	case OP_EVENTS:
		cf_op_events(c);
		break;
	case OP_NLREOPEN:
		close(c->nl);
		c->nl = cf_nl_open(r);
		break;
	case OP_MCAST:
		cf_op_mcast(c, r);
		break;
	case OP_IPOPT:
		cf_op_ipopt(c, r);
		break;
	}
}

static int drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	return syscall(SYS_capset, &h, d);
}

static int worker(int mode, int w, bool priv)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct wslot *slot = &cf_sh->slot[mode][w];
	long i;
	int k;

	if (!c)
		return 2;
	c->mode = mode;
	c->w = w;
	c->priv = priv;
	c->block = PRIV_PORT_LO + w * 64;
	c->allow_id = mode == M_ROOT ? 65534 : 0;
	c->nsunix = -1;
	for (i = 0; i < NSOCK; i++)
		cf_sock_reset(&c->sk[i]);
	for (k = 0; k < NPG; k++)
		snprintf(c->pg[k].p.name, sizeof(c->pg[k].p.name), "p%u.%u", w & 63u,
			 k & 7u);
	/* Without CAP_NET_ADMIN where it runs: nobody, or a capless root. */
	if (!priv) {
		if (mode == M_ROOT ? setgroups(0, NULL) ||
		    setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) : drop_caps())
			return 3;
	}
	c->nl = cf_nl_open(NULL);
	c->ev = cf_events_open();
	if (c->nl < 0 || c->ev < 0)
		return 4;
	slot->pid = getpid();
	slot->used = 1;
	for (i = 0; !cf_iterations || i < cf_iterations; i++) {
		struct rng r = cf_rng_for(mode, w, i, 0);

		if (cf_now() >= cf_sh->deadline)
			break;
		c->op = i;
		slot->op = i;
		one_op(c, &r);
		slot->kind = c->kind;
		slot->done = i + 1;
		if (!(i % 64)) {
			cf_reap(c, &c->forkchild, false, "fork child", CK_PROCS);
			cf_reap(c, &c->nschild, false, "netns child", CK_NSCHILD);
		}
	}
	/* Wind down: children, sockets, then every group we made. */
	c->op = -1;
	c->req = NULL;
	{
		struct rng r = cf_rng_for(mode, w, -1, 0);

		cf_reap(c, &c->forkchild, true, "fork child", CK_PROCS);
		cf_reap(c, &c->nschild, true, "netns child", CK_NSCHILD);
		cf_nschild_collect(c, &r);
	}
	for (i = 0; i < NSOCK; i++)
		cf_sock_close(c, i);
	for (k = 0; k < NPG; k++) {
		size_t off;

		if (!c->pg[k].exists)
			continue;
		off = cf_model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);
		cf_put_group_name(cf_msgbuf, c->pg[k].p.name);
		cf_msg_end(cf_msgbuf, off);
		cf_judge1(c, CK_CLEAN, C_MODEL, "final GROUP_DEL of our group",
			  cf_model_xfer(c, NULL), 0);
	}
	close(c->nl);
	close(c->ev);
	free(c);
	return 0;
}

/* ---- one namespace ------------------------------------------------------ */

static int enter_namespace(int mode)
{
	int ret;

	if (mode == M_ROOT)
		return unshare(CLONE_NEWNET) ? 1 : 0;
	/* As `unshare -Urn` run by nobody. */
	ret = vm_become_userns_root();
	return ret ? ret + 1 : 0;
}

struct dumpall {
	uint32_t id[1100];
	char name[1100][ANTIGONE_NAME_MAX + 1];
	unsigned int n;
};

static void on_dumpall(struct ctx *c, void *arg, int idx, uint8_t cmd,
		       const uint8_t *d, size_t len, uint16_t flags)
{
	struct dumpall *da = arg;
	struct kgroup g;
	const char *why;

	if (!cf_parse_group(d, len, &g, &why)) {
		cf_fail(c, CK_REPLY, "final dump: %s", why);
		return;
	}
	if (da->n < 1100) {
		da->id[da->n] = g.id;
		memcpy(da->name[da->n], g.name, sizeof(g.name));
	}
	da->n++;
}

static int dump_all(struct ctx *c, struct dumpall *da)
{
	struct xfer x = { .n = 1, .seq0 = c->seq };
	size_t off = cf_model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);

	da->n = 0;
	cf_msg_end(cf_msgbuf, off);
	if (cf_nl_xfer(c, c->nl, cf_msgbuf, &x, on_dumpall, da))
		return -1;
	return x.a[0].err;
}

/* The groups only the unprivileged process uses (it cannot make them). */
static int make_ugroups(struct ctx *c)
{
	static const char *const names[] = { "u.allow", "u.gid", "u.none" };
	struct nsg g = { .k = 0, .keys = 1, .suite = 1 };
	int i, bad = 0;

	for (i = 0; i < 3; i++) {
		memset(&g.p, 0, sizeof(g.p));
		g.p.suite = g.p.guar = g.p.fail = -1;
		g.p.hb = g.p.life = g.p.grace = g.p.uid = g.p.gid = -1;
		snprintf(g.p.name, sizeof(g.p.name), "%s", names[i]);
		if (i == 0)
			g.p.uid = c->allow_id;
		if (i == 1)
			g.p.gid = c->allow_id;
		bad |= cf_nl_simple(c, cf_fill_new, ANTIGONE_CMD_GROUP_NEW, &g);
		bad |= cf_nl_simple(c, cf_fill_key, ANTIGONE_CMD_KEY_ADD, &g);
	}
	return bad;
}

int cf_leader(int mode, double hard)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct dumpall *da = calloc(1, sizeof(*da));
	pid_t pids[MAXW];
	bool killed[MAXW] = { false };
	double kill_time = 0;
	int w, alive = 0, e, st;
	unsigned int i;

	if (!c || !da)
		return 2;
	c->mode = mode;
	c->w = -1;
	c->op = -1;
	c->priv = true;
	c->allow_id = mode == M_ROOT ? 65534 : 0;
	e = enter_namespace(mode);
	if (e) {
		cf_fail(c, CK_SETUP, "entering the namespace: step %d: %s", e,
			strerror(errno));
		return 3;
	}
	if (cf_lo_up())
		cf_fail(c, CK_SETUP, "lo up: %s", strerror(errno));
	c->nl = cf_nl_open(NULL);
	if (c->nl < 0 || make_ugroups(c)) {
		cf_fail(c, CK_SETUP, "netlink in the namespace");
		return 4;
	}
	cf_inc(&cf_sh->checks[CK_SETUP]);
	c->req = NULL;
	for (w = 0; w < cf_procs; w++) {
		/* The last of several has no CAP_NET_ADMIN. */
		bool priv = cf_procs == 1 || w < cf_procs - 1;

		pids[w] = 0;
		if (cf_only >= 0 && w != cf_only)
			continue;
		pids[w] = fork();
		if (pids[w] == 0) {
			close(c->nl);
			_exit(worker(mode, w, priv));
		}
		if (pids[w] > 0)
			alive++;
		else
			cf_fail(c, CK_SETUP, "fork: %s", strerror(errno));
	}
	/* Reap, and end whatever still runs long after the deadline. */
	while (alive) {
		pid_t p = waitpid(-1, &st, WNOHANG);

		if (p < 0 && errno == ECHILD)
			break;
		if (p <= 0) {
			if (kill_time && cf_now() > kill_time + 30) {
				/* Not even SIGKILL: stuck in the kernel. */
				for (w = 0; w < cf_procs; w++) {
					char path[64], wchan[64] = "?";
					FILE *f;

					if (pids[w] <= 0)
						continue;
					snprintf(path, sizeof(path),
						 "/proc/%d/wchan", pids[w]);
					f = fopen(path, "r");
					if (f) {
						if (!fgets(wchan, sizeof(wchan), f))
							strcpy(wchan, "?");
						fclose(f);
					}
					cf_fail(c, CK_PROCS, "process %d (pid %d) "
						"stuck in the kernel in %s", w,
						pids[w], wchan);
				}
				cf_sh->stuck = 1;
				return 5;	/* no cleanup: it may hold locks */
			}
			if (cf_now() > hard) {
				for (w = 0; w < cf_procs; w++) {
					struct wslot *s = &cf_sh->slot[mode][w];

					if (pids[w] <= 0)
						continue;
					cf_fail(c, CK_PROCS, "process %d hung at "
						"op %ld (%s): killed", w, s->op,
						cf_op_name[s->kind]);
					kill(pids[w], SIGKILL);
					killed[w] = true;
				}
				hard = 1e18;
				kill_time = cf_now();
			}
			usleep(50 * 1000);
			continue;
		}
		for (w = 0; w < cf_procs && pids[w] != p; w++)
			;
		if (w == cf_procs)
			continue;	/* a stray grandchild */
		pids[w] = 0;
		alive--;
		cf_inc(&cf_sh->checks[CK_PROCS]);
		if (WIFSIGNALED(st) && !killed[w])
			cf_fail(c, CK_PROCS, "process %d killed by signal %d (%s)",
				w, WTERMSIG(st), strsignal(WTERMSIG(st)));
		else if (WIFEXITED(st) && WEXITSTATUS(st))
			cf_fail(c, CK_PROCS, "process %d exited %d", w,
				WEXITSTATUS(st));
	}
	/* What is left: ours (the u. groups) and garbage's (s...). */
	e = dump_all(c, da);
	cf_judge1(c, CK_CLEAN, C_MODEL, "final dump", e, 0);
	for (i = 0; !e && i < da->n && i < 1100; i++) {
		struct nsg g;

		cf_check_true(c, CK_CLEAN, da->name[i][0] != 'p',
			      "group %s left by its process", da->name[i]);
		snprintf(g.p.name, sizeof(g.p.name), "%s", da->name[i]);
		cf_judge1(c, CK_CLEAN, C_MODEL, "final GROUP_DEL",
			  cf_nl_simple(c, cf_fill_del, ANTIGONE_CMD_GROUP_DEL, &g), 0);
	}
	e = dump_all(c, da);
	cf_judge1(c, CK_CLEAN, C_MODEL, "dump after cleanup", e, 0);
	cf_check_true(c, CK_CLEAN, !e && da->n == 0,
		      "%u groups left in the %s namespace", da->n,
		      cf_mode_name[mode]);
	close(c->nl);
	free(da);
	free(c);
	return 0;
}

