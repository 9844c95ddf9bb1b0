// SPDX-License-Identifier: GPL-2.0
/*
 * make bench-keyd, parts 2 and 3: many members of one group in one
 * process, each with its own UDP socket, source address and auth.h /
 * member.h state machine, against real daemons (a TTP and a leader).
 *
 *   keyd_load setup --registry FILE --members N
 *	registers m0 ... m<N-1> in the TTP's registry with fresh keys
 *   keyd_load run --registry FILE --leader ID@ADDR:PORT --members N
 *	[--rate JOINS_PER_S] [--leaves R] [--group ADDR:PORT]
 *	[--label NAME] [--csv FILE]
 *	joins the N members one at a time, timing each from sending 1 to
 *	holding the key of 6a or 6b; then R of them leave (11), one after
 *	the other, each timed until every remaining member holds the new
 *	key of 6c.
 *
 * The registry stands for the out-of-band delivery of the members' keys;
 * no key is ever printed. Datagrams that reach the group address
 * (--group: the multicast transports) arrive on one shared socket and are
 * handed to every member's state machine, as each member's host would
 * receive them; unicast ones go to the member whose socket got them.
 * Members are served one after the other on one core, so the last
 * members' times include the tool's own work for those before them.
 *
 * CSV (appended): run,kind,rep,member,members,us,note
 *   join   member, group size before it, latency, note = tries
 *   rekey  member, members left, time from the leave to its new key
 *          (empty: not keyed before the timeout)
 *   leave  the leaver, members left, time to the arrival of the last 6c
 *          datagram (kernel timestamp: when the leader had sent it all),
 *          note = 6c datagrams by unicast and group address, UDP drops
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mech/fdetect.h"
#include "mech/keydist.h"
#include "mech/leave.h"
#include "mech/registry.h"
#include "lib/util.h"

#define JOIN_TIMEOUT_S	3.0
#define JOIN_TRIES	3
#define LEAVE_TIMEOUT_S	10.0
#define BATCH		32
#define RCVBUF		(1 << 20)	/* 6c to each member: ~70 parts at 1k */

enum lm_state { LM_IDLE, LM_AUTH, LM_JOIN, LM_KEYED, LM_GONE };

struct lm {
	int fd;
	enum lm_state st;
	struct member_state ms;
	double t_key;			/* when it got the key waited for */
};

struct load {
	struct lm *m;
	unsigned int n;
	int ep, gfd;
	struct sockaddr_in leader;
	char leader_id[PROTO_ID_LEN];
	const struct registry *reg;
	uint64_t want_view;		/* during a leave: the new view */
	unsigned int rekeyed;		/* members at want_view */
	unsigned long uni_6c, grp_6c;	/* 6c datagrams received */
	double last_6c;			/* arrival (CLOCK_REALTIME) */
	FILE *csv;
	const char *label;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double real_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t ms_of(double t)
{
	return (uint64_t)(t * 1e3);
}

static void id_name(unsigned int i, char *name, size_t len)
{
	snprintf(name, len, "m%u", i);
}

/* ---- setup ----------------------------------------------------------- */

static int setup(const char *path, unsigned int n)
{
	struct registry r;
	char err[256], name[16];
	unsigned int i;
	int ret;

	ret = registry_load(&r, path, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "keyd_load: %s: %s\n", path, err);
		return 1;
	}
	for (i = 0; !ret && i < n; i++) {
		id_name(i, name, sizeof(name));
		ret = registry_add(&r, name, "member", NULL);
		if (ret == -EEXIST)
			ret = 0;
	}
	if (!ret)
		ret = registry_save(&r, path);
	registry_free(&r);
	if (ret) {
		fprintf(stderr, "keyd_load: registering members: %s\n",
			strerror(-ret));
		return 1;
	}
	return 0;
}

/* ---- members ----------------------------------------------------------- */

/* A fresh state machine with the member's identity and long-term key. */
static int lm_reset(struct load *L, unsigned int i)
{
	struct lm *m = &L->m[i];
	const struct registry_entry *e;
	char name[16];

	if (m->ms.pug)
		member_free(&m->ms);
	else
		crypto_wipe(&m->ms, sizeof(m->ms));
	id_name(i, name, sizeof(name));
	e = registry_find(L->reg, name);
	if (!e)
		return -ENOENT;
	proto_id_set(m->ms.auth.a, name);
	memcpy(m->ms.auth.sl, L->leader_id, PROTO_ID_LEN);
	memcpy(m->ms.auth.k_a, e->key, CRYPTO_KEY_LEN);
	m->st = LM_IDLE;
	return 0;
}

/* Its own socket on its own loopback address 127.1.x.y: the leader
 * limits message 1 per source address, as it would per host.
 */
static int lm_socket(struct load *L, unsigned int i)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
	int size = RCVBUF, one = 1, fd;

	a.sin_addr.s_addr = htonl(0x7f010000u + i + 1);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    epoll_ctl(L->ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		return -errno;
	}
	L->m[i].fd = fd;
	return 0;
}

static void lm_send(struct load *L, struct lm *m, const uint8_t *buf,
		    size_t len)
{
	if (sendto(m->fd, buf, len, 0, (struct sockaddr *)&L->leader,
		   sizeof(L->leader)) < 0)
		fprintf(stderr, "keyd_load: send: %s\n", strerror(errno));
}

static void on_datagram(struct load *L, struct lm *m, const uint8_t *in,
			size_t len, double now)
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	char id[PROTO_ID_LEN];
	bool fresh, missed;
	uint8_t type;
	size_t n;

	if (m->st == LM_GONE || proto_peek(in, len, &type, id))
		return;
	switch (type) {
	case PROTO_AUTH_RESP:
		if (m->st != LM_AUTH ||
		    auth_member_on_auth_resp(&m->ms.auth, in, len, out,
					     sizeof(out), &n) ||
		    member_init(&m->ms, ms_of(now)))
			return;
		lm_send(L, m, out, n);
		m->st = LM_JOIN;
		return;
	case PROTO_KEY:
	case PROTO_KEY_MEMBERS:
	case PROTO_REKEY:
		if (!m->ms.auth.joined ||
		    member_on_key(&m->ms, in, len, &fresh) || !fresh)
			return;
		if (m->st == LM_JOIN) {
			m->st = LM_KEYED;
			m->t_key = now;
		} else if (L->want_view && m->ms.g.number == L->want_view) {
			m->t_key = now;
			L->rekeyed++;
		}
		return;
	case PROTO_LEADER_HB:
		if (m->ms.auth.joined)
			member_on_leader_hb(&m->ms, in, len, ms_of(now),
					    &missed);
		return;
	}
}

/* When the kernel queued the datagram: the leader's send, on loopback. */
static double arrival(struct msghdr *h)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		return ts.tv_sec + ts.tv_nsec / 1e9;
	}
	return real_s();
}

/* Everything waiting on one socket; the group's goes to every member. */
static void drain(struct load *L, int fd, struct lm *m)
{
	static uint8_t bufs[BATCH][PROTO_DGRAM_MAX];
	static uint8_t ctl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned int i, j;
	double now, t;
	int got;

	for (;;) {
		for (i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
			msgs[i] = (struct mmsghdr){
				.msg_hdr = { .msg_iov = &iov[i],
					     .msg_iovlen = 1,
					     .msg_control = ctl[i],
					     .msg_controllen = sizeof(ctl[i]) } };
		}
		got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (got <= 0)
			return;
		now = now_s();
		for (i = 0; i < (unsigned int)got; i++) {
			size_t len = msgs[i].msg_len;
			bool rekey = len > 3 && bufs[i][3] == PROTO_REKEY;

			if (rekey) {
				*(m ? &L->uni_6c : &L->grp_6c) += 1;
				t = arrival(&msgs[i].msg_hdr);
				if (t > L->last_6c)
					L->last_6c = t;
			}
			if (m) {
				on_datagram(L, m, bufs[i], len, now);
				continue;
			}
			for (j = 0; j < L->n; j++)
				on_datagram(L, &L->m[j], bufs[i], len, now);
		}
	}
}

/* Serves every socket until @until or until done(L, arg) holds. */
static void serve(struct load *L, double until,
		  bool (*done)(struct load *, void *), void *arg)
{
	struct epoll_event ev[64];
	int i, n, wait_ms;
	double left;

	while (!(done && done(L, arg)) && (left = until - now_s()) > 0) {
		wait_ms = (int)(left * 1e3) + 1;
		n = epoll_wait(L->ep, ev, 64, wait_ms);
		for (i = 0; i < n; i++) {
			uint32_t k = ev[i].data.u32;

			if (k == UINT32_MAX)
				drain(L, L->gfd, NULL);
			else
				drain(L, L->m[k].fd, &L->m[k]);
		}
	}
}

/* ---- the phases -------------------------------------------------------- */

static bool keyed(struct load *L, void *arg)
{
	return L->m[*(unsigned int *)arg].st == LM_KEYED;
}

static bool all_rekeyed(struct load *L, void *arg)
{
	return L->rekeyed == *(unsigned int *)arg;
}

/* Member i joins: 1 ... 5, then 6a or 6b; retried after a timeout. */
static int join(struct load *L, unsigned int i)
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	struct lm *m = &L->m[i];
	unsigned int tries;
	double t0 = 0;
	size_t n;
	int ret;

	for (tries = 1; tries <= JOIN_TRIES; tries++) {
		ret = lm_reset(L, i);
		if (!ret)
			ret = auth_member_start(&m->ms.auth, out, sizeof(out),
						&n);
		if (ret)
			return ret;
		m->st = LM_AUTH;
		t0 = now_s();
		lm_send(L, m, out, n);
		serve(L, t0 + JOIN_TIMEOUT_S, keyed, &i);
		if (m->st == LM_KEYED)
			break;
	}
	if (m->st != LM_KEYED) {
		fprintf(stderr, "keyd_load: %s: m%u did not join\n", L->label,
			i);
		return -ETIMEDOUT;
	}
	fprintf(L->csv, "%s,join,0,%u,%u,%.1f,%u\n", L->label, i, i,
		(m->t_key - t0) * 1e6, tries > JOIN_TRIES ? JOIN_TRIES : tries);
	return 0;
}

/* UDP receive buffer overflows in this network namespace. */
static long rcvbuf_errors(void)
{
	char line[1024], *p;
	long v = -1;
	FILE *f = fopen("/proc/net/snmp", "r");
	int col, want = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Udp: ", 5))
			continue;
		for (p = strtok(line + 5, " \n"), col = 0; p;
		     p = strtok(NULL, " \n"), col++) {
			if (want < 0 && !strcmp(p, "RcvbufErrors"))
				want = col;
			else if (want >= 0 && col == want)
				v = strtol(p, NULL, 10);
		}
	}
	fclose(f);
	return v;
}

/* Member @who leaves; every other member must reach the next view. */
static int leave(struct load *L, unsigned int rep, unsigned int who)
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	unsigned int i, left = 0;
	long drops = rcvbuf_errors();
	double t0, t0_real;
	size_t n;
	int ret;

	L->want_view = L->m[who].ms.g.number + 1;
	for (i = 0; i < L->n; i++) {
		if (L->m[i].st == LM_KEYED && i != who) {
			if (L->m[i].ms.g.number + 1 != L->want_view)
				fprintf(stderr, "keyd_load: m%u is at view %llu, "
					"not %llu\n", i, (unsigned long long)
					L->m[i].ms.g.number,
					(unsigned long long)L->want_view - 1);
			left++;
		}
		L->m[i].t_key = 0;
	}
	L->rekeyed = 0;
	L->uni_6c = L->grp_6c = 0;
	L->last_6c = 0;
	ret = member_leave(&L->m[who].ms, NULL, out, sizeof(out), &n);
	if (ret)
		return ret;
	t0_real = real_s();
	t0 = now_s();
	lm_send(L, &L->m[who], out, n);
	L->m[who].st = LM_GONE;
	serve(L, t0 + LEAVE_TIMEOUT_S, all_rekeyed, &left);
	/* Late and duplicate parts: seen, not timed. */
	serve(L, now_s() + 0.3, NULL, NULL);
	for (i = 0; i < L->n; i++) {
		if (L->m[i].st != LM_KEYED)
			continue;
		if (L->m[i].t_key)
			fprintf(L->csv, "%s,rekey,%u,%u,%u,%.1f,\n", L->label,
				rep, i, left, (L->m[i].t_key - t0) * 1e6);
		else
			fprintf(L->csv, "%s,rekey,%u,%u,%u,,\n", L->label, rep,
				i, left);
	}
	drops = drops >= 0 ? rcvbuf_errors() - drops : -1;
	fprintf(L->csv, "%s,leave,%u,%u,%u,%.1f,unicast=%lu group=%lu "
		"drops=%ld\n", L->label, rep, who, left,
		L->last_6c ? (L->last_6c - t0_real) * 1e6 : -1.0, L->uni_6c,
		L->grp_6c, drops);
	L->want_view = 0;
	if (L->rekeyed != left) {
		fprintf(stderr, "keyd_load: %s: leave %u: %u of %u members "
			"rekeyed\n", L->label, rep, L->rekeyed, left);
		return -ETIMEDOUT;
	}
	return 0;
}

/* ---- run ---------------------------------------------------------------- */

static int parse_v4(const char *s, struct sockaddr_in *a)
{
	uint8_t addr[16];
	uint16_t port;
	int family;

	if (parse_addr_port(s, &family, addr, &port) || family != AF_INET)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	memcpy(&a->sin_addr, addr, 4);
	return 0;
}

/* The shared socket of the group address, joined on loopback. */
static int group_socket(struct load *L, const char *where)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
	struct ip_mreqn mr = { .imr_ifindex = 1 };	/* lo */
	struct sockaddr_in a;
	int one = 1, size = 4 * RCVBUF;

	if (parse_v4(where, &a))
		return -EINVAL;
	mr.imr_multiaddr = a.sin_addr;
	L->gfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (L->gfd < 0)
		return -errno;
	if (setsockopt(L->gfd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(L->gfd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(L->gfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(L->gfd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		       sizeof(one)) ||
	    bind(L->gfd, (struct sockaddr *)&a, sizeof(a)) ||
	    setsockopt(L->gfd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) ||
	    epoll_ctl(L->ep, EPOLL_CTL_ADD, L->gfd, &ev))
		return -errno;
	return 0;
}

static int run(struct load *L, unsigned int leaves, double rate,
	       const char *group)
{
	struct rlimit rl;
	unsigned int i;
	double next;
	int ret;

	/* A socket per member. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < L->n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	L->ep = epoll_create1(EPOLL_CLOEXEC);
	L->gfd = -1;
	L->m = calloc(L->n, sizeof(*L->m));
	if (L->ep < 0 || !L->m)
		return -ENOMEM;
	ret = group ? group_socket(L, group) : 0;
	if (ret) {
		fprintf(stderr, "keyd_load: group socket %s: %s\n", group,
			strerror(-ret));
		return ret;
	}
	for (i = 0; !ret && i < L->n; i++)
		ret = lm_socket(L, i);
	if (ret) {
		fprintf(stderr, "keyd_load: member sockets: %s\n",
			strerror(-ret));
		return ret;
	}
	/* One join at a time, paced: the TTP answers a leader 50 times a
	 * second (with a burst of 100); a dropped request costs a retry.
	 */
	for (i = 0, next = now_s(); !ret && i < L->n; i++) {
		serve(L, next, NULL, NULL);
		next = now_s() + 1 / rate;
		ret = join(L, i);
	}
	for (i = 0; !ret && i < leaves && i < L->n; i++) {
		serve(L, now_s() + 0.2, NULL, NULL);
		ret = leave(L, i, L->n - 1 - i);
	}
	for (i = 0; i < L->n; i++) {
		if (L->m[i].fd > 0)
			close(L->m[i].fd);
		if (L->m[i].ms.pug)
			member_free(&L->m[i].ms);
		crypto_wipe(&L->m[i].ms, sizeof(L->m[i].ms));
	}
	free(L->m);
	if (L->gfd >= 0)
		close(L->gfd);
	close(L->ep);
	return ret;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: keyd_load setup --registry FILE --members N\n"
		"       keyd_load run --registry FILE --leader ID@ADDR:PORT "
		"--members N\n"
		"                 [--rate JOINS_PER_S] [--leaves R] "
		"[--group ADDR:PORT]\n"
		"                 [--label NAME] [--csv FILE]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "registry", required_argument, NULL, 'r' },
		{ "members", required_argument, NULL, 'n' },
		{ "leader", required_argument, NULL, 'l' },
		{ "rate", required_argument, NULL, 'R' },
		{ "leaves", required_argument, NULL, 'L' },
		{ "group", required_argument, NULL, 'g' },
		{ "label", required_argument, NULL, 'b' },
		{ "csv", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *registry = NULL, *leader = NULL, *group = NULL, *at;
	const char *csv = NULL;
	struct load L = { .label = "run" };
	unsigned int leaves = 0;
	double rate = 40;
	char err[256], id[16];
	struct registry reg;
	int c, ret;

	if (argc < 2) {
		usage();
		return 2;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			registry = optarg;
			break;
		case 'n':
			L.n = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'l':
			leader = optarg;
			break;
		case 'R':
			rate = strtod(optarg, NULL);
			break;
		case 'L':
			leaves = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'g':
			group = optarg;
			break;
		case 'b':
			L.label = optarg;
			break;
		case 'c':
			csv = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!registry || !L.n || L.n > 60000 || rate <= 0) {
		usage();
		return 2;
	}
	if (!strcmp(argv[1], "setup"))
		return setup(registry, L.n);
	at = leader ? strchr(leader, '@') : NULL;
	if (strcmp(argv[1], "run") || !at || at - leader >= (long)sizeof(id) ||
	    parse_v4(at + 1, &L.leader)) {
		usage();
		return 2;
	}
	memcpy(id, leader, (size_t)(at - leader));
	id[at - leader] = '\0';
	if (proto_id_set(L.leader_id, id)) {
		usage();
		return 2;
	}
	ret = registry_load(&reg, registry, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "keyd_load: %s: %s\n", registry, err);
		return 1;
	}
	L.reg = &reg;
	L.csv = csv ? fopen(csv, "a") : stdout;
	if (!L.csv) {
		perror(csv);
		registry_free(&reg);
		return 1;
	}
	fseek(L.csv, 0, SEEK_END);
	if (!ftell(L.csv))
		fprintf(L.csv, "run,kind,rep,member,members,us,note\n");
	ret = run(&L, leaves, rate, group);
	if (L.csv != stdout)
		fclose(L.csv);
	registry_free(&reg);
	return ret ? 1 : 0;
}
