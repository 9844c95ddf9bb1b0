// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: a control-plane fuzzer for antigone.ko. Runs in the VM with the
 * module loaded (selftests/run-vm runs it with every kernel test).
 *
 * What it sends, interleaved at random:
 *  - raw generic netlink messages to the "antigone" family: every command
 *    of enum antigone_cmd and unknown ones, every attribute id and unknown,
 *    out-of-range ones, right and wrong types and lengths, nested selector
 *    arrays with bad nests, empty/huge/unterminated strings, random header
 *    flags (NLM_F_DUMP on every command), batches of several messages in
 *    one datagram, dumps abandoned half read;
 *  - valid sequences on groups only this process touches (group new, key
 *    add/del/set, heartbeat, group set, get, dump, del), checked against a
 *    model of what the kernel must answer (docs/netlink.md);
 *  - socket operations: UDP sockets of both families, bound or not,
 *    connected or not, ANTIGONE_SO_ATTACH with valid and broken struct
 *    antigone_attach to live, foreign and just-deleted groups, DETACH,
 *    getsockopt, UDP_ENCAP/UDP_GRO/UDP_SEGMENT, traffic to loopback and to
 *    selectors (GSO too), tagged round trips that must arrive, close, dup,
 *    raw/UDP-Lite/TCP/ping sockets attempting to attach, fork children
 *    racing on shared sockets, and children in network namespaces of their
 *    own that set groups and sockets up in every state and exit (some hand
 *    sockets back over SCM_RIGHTS first, so their namespace dies later).
 *
 * Who sends: two network namespaces at once, each hammered by --procs
 * processes (default two per CPU): "root" (real root, a fresh netns) and
 * "userns" (uid 65534 in a user + network namespace of its own, as
 * `unshare -Urn` makes it). In each, the last process has no
 * CAP_NET_ADMIN (uid 65534, or root of the userns without capabilities):
 * every admin command must be EPERM, and it attaches only where a group
 * allows its uid or gid.
 *
 * What fails the run: an errno that the documentation does not give for a
 * valid-shaped request, a modelled request answered otherwise, a garbage
 * request answered with an errno netlink and the module never return
 * (ENOTSUPP, EFAULT...), a malformed reply or event, a dump out of id
 * order, a tagged round trip lost, a process killed by a signal or hung,
 * and groups left behind. Kernel reports (WARN, KASAN, lockdep, leaks)
 * are run-vm's to catch; the kernel panics on a WARN or an oops.
 *
 * Determinism: the requests of op N of process P of namespace M are drawn
 * from a generator seeded by (seed, M, P, N) alone; the kernel's answers
 * only feed the model (ids, epochs) and clocks only decide what the model
 * accepts (a key's grace). Every run prints its seed and each process's
 * op count; a failure names its namespace, process and op, with the
 * request's bytes. `--seed S --mode M --procs N --only P --iterations K`
 * replays process P alone, ops 0..K-1, as it ran among the others.
 *
 * Usage: ctlfuzz [--seed S] [--seconds N] [--iterations N] [--procs N]
 *                [--only P] [--mode root|userns|both] [--verbose]
 * The default run lasts ANTIGONE_FUZZ_SECONDS (60 if unset) in all;
 * --iterations alone runs that many ops per process, however long.
 * --verbose prints every failure as it happens (the report keeps 24).
 * A long run:
 *   ANTIGONE_FUZZ_SECONDS=600 tools/vm/run --timeout 900 -- sh -c \
 *     'insmod kmod/antigone.ko && build/selftests/kernel/ctlfuzz'
 * and under the debug kernel (KASAN, lockdep, kmemleak), after
 * `make kmod-debug`:
 *   ANTIGONE_FUZZ_SECONDS=600 tools/vm/run --debug --timeout 1200 -- sh -c \
 *     'insmod build/kmod-debug/kmod/antigone.ko && build/selftests/kernel/ctlfuzz'
 * then check dmesg as selftests/run-vm does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/antigone.h>

#include "lib/vmtest.h"

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define MAXW		32	/* processes per namespace at most */
#define NPG		4	/* modelled groups per process */
#define NSOCK		16	/* sockets a process holds at most */
#define MAXBATCH	4
#define PRIV_PORT_LO	20000	/* 64 ports per process: its selectors, binds */
#define PRIV_PORT_HI	(PRIV_PORT_LO + MAXW * 64)
#define SHARED_PORT	7000	/* 64 ports anyone's garbage may take */
#define RELAY_PORT	30000
#define NOANSWER	(-1000)	/* no ack came back */

enum { M_ROOT, M_USERNS, M_MAX };
static const char *const mode_name[M_MAX] = { "root", "userns" };

/* ---- checks, counters, failures (shared by every process) ------------- */

enum check {
	CK_SETUP, CK_VALID, CK_MODEL, CK_FUZZ, CK_REPLY, CK_SOCK, CK_TRAFFIC,
	CK_NSCHILD, CK_PROCS, CK_CLEAN, CK_ALIVE, CK_MAX
};
static const char *const check_name[CK_MAX] = {
	"setup: family resolved, namespaces and processes started",
	"valid-shaped requests get only documented errnos",
	"modelled sequences: exact results and replies",
	"garbage requests get only netlink and documented errnos",
	"replies and events well-formed, dumps in id order",
	"socket options: modelled results",
	"traffic: expected errnos only, tagged round trips delivered",
	"netns lifetimes: children set up their namespaces and exited",
	"every process exited normally (no signal, no hang)",
	"state clean: every group deleted, dumps empty",
	"module answers after the run",
};

enum cls { C_MODEL, C_VALID, C_PERM, C_FUZZ, C_SOCKOPT, C_TRAFFIC, C_SOCKET,
	   C_MAX };
static const char *const cls_name[C_MAX] = {
	"modelled", "valid", "unprivileged admin", "garbage", "sockopt",
	"traffic", "socket/bind/connect",
};

enum opkind {
	OP_FUZZ, OP_BATCH, OP_VALID, OP_PERM, OP_M_NEW, OP_M_NEAR, OP_M_DEL,
	OP_M_KEYADD, OP_M_KEYDEL, OP_M_KEYSET, OP_M_HB, OP_M_SET, OP_M_GET,
	OP_M_GONE, OP_DUMP, OP_DUMP_DROP, OP_SOCK, OP_ATTACH, OP_DETACH,
	OP_GETOPT, OP_UDPOPT, OP_SEND, OP_RECV, OP_RAWSEND, OP_ROUNDTRIP,
	OP_CLOSE, OP_DUP, OP_FORK, OP_OTHERSOCK, OP_NSCHILD, OP_EVENTS,
	OP_NLREOPEN, OP_MCAST, OP_IPOPT, OP_MAX
};
static const char *const op_name[OP_MAX] = {
	"fuzz", "batch", "valid", "perm", "m-new", "m-near-new", "m-del",
	"m-key-add", "m-key-del", "m-key-set", "m-heartbeat", "m-group-set",
	"m-get", "m-gone", "dump", "dump-abandon", "socket", "attach",
	"detach", "getsockopt", "udp-opt", "send", "recv", "raw-send",
	"round-trip", "close", "dup", "fork", "other-sock-attach", "netns-child",
	"events", "nl-reopen", "mcast-join", "ip-opt",
};

#define ERRN 320
#define NFAIL 24
struct wslot {
	volatile long op;
	volatile int kind;
	volatile int pid;
	volatile long done;
	volatile int used;
};

struct shared {
	uint64_t ops[OP_MAX];
	uint64_t errs[C_MAX][ERRN];
	uint64_t checks[CK_MAX];
	uint64_t bad[CK_MAX];
	uint64_t events, nschild_started, nschild_ok, forks, fds_passed;
	uint64_t roundtrips;
	int stuck;			/* a process SIGKILL could not end */
	double deadline;
	uint32_t nfail;
	struct wslot slot[M_MAX][MAXW];
	char fail[NFAIL][1536];
};

/*
 * Eight processes and their children share the VM's memory: ASan's
 * default quarantine (256 MiB each) would have the OOM killer end them.
 * ASAN_OPTIONS still overrides this.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

static struct shared *sh;
static uint16_t fam_id;
static uint32_t mcgrp_id;
static uint64_t g_seed;
static long g_iterations;
static int g_procs;
static int g_only = -1;		/* run only this process of each namespace */
static bool g_verbose;

static void inc(uint64_t *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

static unsigned int errslot(int e)
{
	if (e < 0)
		e = -e;
	if (e == -NOANSWER)
		return ERRN - 2;
	if (e < 256)
		return e;
	if (e >= 512 && e < 512 + ERRN - 257)
		return 256 + e - 512;
	return ERRN - 1;
}

static int slot_errno(unsigned int i)
{
	return i < 256 ? (int)i : (int)(i - 256 + 512);
}

static const char *errname(int e)
{
	static char buf[16];
	const char *n;

	if (e == 0)
		return "ok";
	if (e == -NOANSWER)
		return "no-answer";
	n = strerrorname_np(e);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

/* ---- deterministic randomness ----------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rbelow(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rnext(r) % n) : 0;
}

static bool rpct(struct rng *r, unsigned int pct)
{
	return rbelow(r, 100) < pct;
}

static void rbytes(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)rnext(r);
}

static struct rng rng_for(int mode, int w, long op, uint64_t salt)
{
	struct rng r = { g_seed ^ 0x5bd1e995u };
	uint64_t mix[4] = { (uint64_t)mode, (uint64_t)w, (uint64_t)op, salt };
	int i;

	for (i = 0; i < 4; i++) {
		r.s ^= mix[i] * 0xff51afd7ed558ccdULL;
		rnext(&r);
	}
	return r;
}

static const uint32_t interesting32[] = {
	0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 32, 100, 255, 256, 1000, 2000,
	65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static uint32_t rint32(struct rng *r)
{
	if (rpct(r, 70))
		return interesting32[rbelow(r, sizeof(interesting32) /
					      sizeof(interesting32[0]))];
	return (uint32_t)rnext(r);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- per-process context ---------------------------------------------- */

struct sel {
	uint8_t fam;		/* 4 or 6 */
	uint8_t addr[16];
	uint16_t port;
};

/* Parameters of a GROUP_NEW; -1: attribute absent (the kernel's default). */
struct gparams {
	char name[ANTIGONE_NAME_MAX + 1];
	int suite, guar, fail;
	int64_t hb, life, grace, uid, gid;
	unsigned int nsel;
	struct sel sel[17];
};

/* A group only this process changes, and what the kernel must hold. */
struct pgroup {
	bool exists;
	uint32_t id;
	struct gparams p;
	uint8_t suite, guar, fail;
	uint32_t hb_timeout, life, grace;
	uint32_t cur, prev, floor, sender, key_life;
	double prev_t0;
	uint64_t hb_seq;
	uint32_t hb_epoch;
	uint16_t relay;
};

enum skind { SK_UDP, SK_RAW, SK_UDPLITE, SK_TCP, SK_PING };
enum { ENC_NONE, ENC_OURS, ENC_XFRM };

struct xsock {
	int fd;
	int fam;		/* AF_INET, AF_INET6 */
	int kind;
	bool known;		/* the model below is exact */
	bool foreign;		/* of a netns child's namespace */
	bool attached;
	int enc_rcv, enc_type;
	uint32_t att_id;
	char att_name[ANTIGONE_NAME_MAX + 1];
	uint8_t att_guar, att_flags;
	uint16_t port;		/* bound to, 0: not or ephemeral */
};

struct ctx {
	int mode, w;
	bool priv;
	long op;
	int kind;
	int nl;			/* generic netlink socket */
	int ev;			/* subscribed to "events" */
	uint32_t seq;
	struct pgroup pg[NPG];
	uint32_t last_id;	/* ids only grow */
	uint32_t shared_ids[32];
	unsigned int nshared;
	struct xsock sk[NSOCK];
	pid_t nschild, forkchild;
	int nsunix;		/* our end of the nschild's SCM_RIGHTS channel */
	uint16_t block;		/* first of this process's 64 ports */
	uint32_t allow_id;	/* the uid/gid an unprivileged worker has here */
	double t_reply;		/* when the last modelled answer came */
	const uint8_t *req;	/* the request being judged, for reports */
	size_t reqlen;
	bool in_child;		/* a fork or netns child: no model, no netlink */
};

static void vfail(struct ctx *c, int ck, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vfail(struct ctx *c, int ck, const char *fmt, va_list ap)
{
	uint32_t i = __atomic_fetch_add(&sh->nfail, 1, __ATOMIC_RELAXED);
	char t[sizeof(sh->fail[0])];
	size_t n, k;

	inc(&sh->bad[ck]);
	if (i >= NFAIL && !g_verbose)
		return;
	n = snprintf(t, sizeof(sh->fail[0]), "[%s] %s p%d op %ld: ",
		     check_name[ck], c ? mode_name[c->mode] : "main",
		     c ? c->w : -1, c ? c->op : -1L);
	if (n < sizeof(sh->fail[0]))
		n += vsnprintf(t + n, sizeof(sh->fail[0]) - n, fmt, ap);
	if (c && c->req && n + 20 < sizeof(sh->fail[0])) {
		n += snprintf(t + n, sizeof(sh->fail[0]) - n,
			      " | request (%zu bytes):", c->reqlen);
		for (k = 0; k < c->reqlen && k < 400 &&
		     n + 4 < sizeof(sh->fail[0]); k++)
			n += snprintf(t + n, sizeof(sh->fail[0]) - n, "%s%02x",
				      k % 4 ? "" : " ", c->req[k]);
	}
	if (i < NFAIL)
		memcpy(sh->fail[i], t, sizeof(t));
	if (g_verbose)		/* as it happens, every one */
		fprintf(stderr, "# FAIL %s\n", t);
}

static void fail(struct ctx *c, int ck, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct ctx *c, int ck, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, ck, fmt, ap);
	va_end(ap);
}

static void count_err(int cls, int e)
{
	inc(&sh->errs[cls][errslot(e)]);
}

static bool in_set(int e, const int *set)
{
	for (; *set >= 0; set++)
		if (*set == e)
			return true;
	return false;
}

/* One judged result: @got and every member of @set are positive errnos. */
static bool judge(struct ctx *c, int ck, int cls, const char *what, int got,
		  const int *set)
{
	inc(&sh->checks[ck]);
	count_err(cls, got);
	if (in_set(got, set))
		return true;
	fail(c, ck, "%s: got %s", what, errname(got));
	return false;
}

static bool judge1(struct ctx *c, int ck, int cls, const char *what, int got,
		   int want)
{
	char w[32];

	inc(&sh->checks[ck]);
	count_err(cls, got);
	if (got == want)
		return true;
	snprintf(w, sizeof(w), "%s", errname(want));
	fail(c, ck, "%s: got %s, want %s", what, errname(got), w);
	return false;
}

static void check_true(struct ctx *c, int ck, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void check_true(struct ctx *c, int ck, bool ok, const char *fmt, ...)
{
	va_list ap;

	inc(&sh->checks[ck]);
	if (ok)
		return;
	va_start(ap, fmt);
	vfail(c, ck, fmt, ap);
	va_end(ap);
}

/* ---- building netlink messages ---------------------------------------- */

#define BUFCAP 65536
struct buf {
	size_t len;
	bool full;
	uint32_t w[BUFCAP / 4];
};

static uint8_t *bp(struct buf *b)
{
	return (uint8_t *)b->w;
}

static void b_bytes(struct buf *b, const void *d, size_t n)
{
	if (b->full || b->len + n > BUFCAP) {
		b->full = true;
		return;
	}
	if (d)
		memcpy(bp(b) + b->len, d, n);
	else
		memset(bp(b) + b->len, 0, n);
	b->len += n;
}

static void b_pad(struct buf *b)
{
	static const uint8_t z[4];

	if (b->len % 4)
		b_bytes(b, z, 4 - b->len % 4);
}

static size_t msg_begin(struct buf *b, uint16_t flags, uint32_t seq,
			uint8_t cmd, uint8_t version, uint16_t reserved)
{
	struct nlmsghdr h = { .nlmsg_type = fam_id, .nlmsg_flags = flags,
			      .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = version,
				.reserved = reserved };
	size_t off;

	b_pad(b);
	off = b->len;
	b_bytes(b, &h, sizeof(h));
	b_bytes(b, &g, sizeof(g));
	return off;
}

static void msg_end(struct buf *b, size_t off)
{
	uint32_t len = b->len - off;

	if (!b->full)
		memcpy(bp(b) + off, &len, sizeof(len));
}

static size_t a_begin(struct buf *b, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type };
	size_t off;

	b_pad(b);
	off = b->len;
	b_bytes(b, &a, sizeof(a));
	return off;
}

static void a_end(struct buf *b, size_t off)
{
	uint16_t len = b->len - off;

	if (!b->full)
		memcpy(bp(b) + off, &len, sizeof(len));
	b_pad(b);
}

static void a_put(struct buf *b, uint16_t type, const void *d, size_t n)
{
	size_t off = a_begin(b, type);

	b_bytes(b, d, n);
	a_end(b, off);
}

static void a_u8(struct buf *b, uint16_t t, uint8_t v)
{
	a_put(b, t, &v, 1);
}

static void a_u16(struct buf *b, uint16_t t, uint16_t v)
{
	a_put(b, t, &v, 2);
}

static void a_u32(struct buf *b, uint16_t t, uint32_t v)
{
	a_put(b, t, &v, 4);
}

static void a_u64(struct buf *b, uint16_t t, uint64_t v)
{
	a_put(b, t, &v, 8);
}

static void a_str(struct buf *b, uint16_t t, const char *s)
{
	a_put(b, t, s, strlen(s) + 1);
}

/* ---- netlink transport ------------------------------------------------- */

static int nl_open(struct rng *r)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	int one = 1, rcv = 1 << 20;

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* Extended acks and capped acks change what the kernel writes. */
	if (!r || rpct(r, 70))
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (r && rpct(r, 30))
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

struct ans {
	int err;		/* positive errno, 0, or -NOANSWER */
	bool done;
	int ndata;
	bool intr;
};

struct xfer {
	struct ans a[MAXBATCH];
	uint32_t seq0;
	int n;
	bool overrun;
};

typedef void (*data_cb)(struct ctx *c, void *arg, int idx, uint8_t cmd,
			const uint8_t *attrs, size_t alen, uint16_t flags);

static uint8_t rxbuf[256 * 1024] __attribute__((aligned(8)));

/*
 * Sends @b and reads every answer: the kernel handles a request within
 * sendmsg and continues a dump within each recvmsg, so all is there once
 * a non-blocking read finds nothing.
 */
static int nl_xfer(struct ctx *c, int fd, struct buf *b, struct xfer *x,
		   data_cb cb, void *arg)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	int i;

	for (i = 0; i < x->n; i++)
		x->a[i] = (struct ans){ .err = -NOANSWER };
	x->overrun = false;
	c->req = bp(b);
	c->reqlen = b->len;
	if (sendto(fd, bp(b), b->len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		return -errno;
	for (;;) {
		struct iovec iov = { rxbuf, sizeof(rxbuf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t r = recvmsg(fd, &mh, MSG_DONTWAIT);
		size_t left;
		uint8_t *p;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				x->overrun = true;
				continue;
			}
			if (errno == EAGAIN)
				break;
			return -errno;
		}
		check_true(c, CK_REPLY, !(mh.msg_flags & MSG_TRUNC),
			   "reply datagram truncated (%zd bytes)", r);
		for (p = rxbuf, left = r; left >= NLMSG_HDRLEN;) {
			struct nlmsghdr h;
			size_t adv;
			int idx, e = 0;

			memcpy(&h, p, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > left) {
				fail(c, CK_REPLY, "reply nlmsg_len %u of %zu",
				     h.nlmsg_len, left);
				break;
			}
			idx = (int)(h.nlmsg_seq - x->seq0);
			if (idx < 0 || idx >= x->n)
				idx = -1;
			if (h.nlmsg_type == NLMSG_ERROR ||
			    h.nlmsg_type == NLMSG_DONE) {
				if (h.nlmsg_len >= NLMSG_HDRLEN + 4)
					memcpy(&e, p + NLMSG_HDRLEN, 4);
				else
					fail(c, CK_REPLY, "short ack/done");
				check_true(c, CK_REPLY, e <= 0,
					   "positive error %d in an ack", e);
				if (idx >= 0 && !x->a[idx].done) {
					x->a[idx].err = -e;
					x->a[idx].done = true;
					if (h.nlmsg_flags & NLM_F_DUMP_INTR)
						x->a[idx].intr = true;
				}
			} else if (h.nlmsg_type == fam_id) {
				check_true(c, CK_REPLY,
					   h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN,
					   "family message without genl header");
				if (idx >= 0 &&
				    h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
					x->a[idx].ndata++;
					if (h.nlmsg_flags & NLM_F_DUMP_INTR)
						x->a[idx].intr = true;
					if (cb)
						cb(c, arg, idx,
						   p[NLMSG_HDRLEN],
						   p + NLMSG_HDRLEN + GENL_HDRLEN,
						   h.nlmsg_len - NLMSG_HDRLEN -
						   GENL_HDRLEN, h.nlmsg_flags);
				}
			}
			adv = NLMSG_ALIGN(h.nlmsg_len);
			if (adv > left)
				adv = left;
			p += adv;
			left -= adv;
		}
	}
	return 0;
}

/* ---- parsing replies ---------------------------------------------------- */

struct tb {
	const uint8_t *p[ANTIGONE_A_MAX + 1];
	uint16_t l[ANTIGONE_A_MAX + 1];
	int dup;
};

/* False if the attributes do not tile the buffer exactly. */
static bool parse_attrs(const uint8_t *d, size_t len, struct tb *t, int max)
{
	memset(t, 0, sizeof(*t));
	while (len >= NLA_HDRLEN) {
		struct nlattr a;
		size_t adv;
		int ty;

		memcpy(&a, d, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return false;
		ty = a.nla_type & NLA_TYPE_MASK;
		if (ty <= max && ty <= ANTIGONE_A_MAX) {
			if (t->p[ty])
				t->dup++;
			t->p[ty] = d + NLA_HDRLEN;
			t->l[ty] = a.nla_len - NLA_HDRLEN;
		}
		adv = NLA_ALIGN(a.nla_len);
		if (adv > len)
			adv = len;
		d += adv;
		len -= adv;
	}
	return len == 0;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static bool name_valid(const char *s)
{
	size_t i, n = strnlen(s, ANTIGONE_NAME_MAX + 1);

	if (!n || n > ANTIGONE_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-'))
			return false;
	}
	return true;
}

struct kgroup {
	uint32_t id;
	char name[ANTIGONE_NAME_MAX + 1];
	uint8_t suite, guar, fail, state;
	uint32_t hb, life, grace, epoch, prev, uid, gid, floor;
	bool has_prev, has_uid, has_gid, has_floor;
	uint16_t relay;
	unsigned int nsel;
	struct sel sel[16];
};

/* Parses and checks a GROUP_GET message; why names the first defect. */
static bool parse_group(const uint8_t *d, size_t len, struct kgroup *g,
			const char **why)
{
	static const struct { int a; int len; } need[] = {
		{ ANTIGONE_A_GROUP_ID, 4 }, { ANTIGONE_A_GROUP_SUITE, 1 },
		{ ANTIGONE_A_GROUP_GUARANTEE, 1 },
		{ ANTIGONE_A_GROUP_FAIL_POLICY, 1 },
		{ ANTIGONE_A_GROUP_HB_TIMEOUT_MS, 4 },
		{ ANTIGONE_A_GROUP_KEY_LIFETIME_MS, 4 },
		{ ANTIGONE_A_GROUP_REKEY_GRACE_MS, 4 },
		{ ANTIGONE_A_GROUP_RELAY_PORT, 2 },
		{ ANTIGONE_A_GROUP_EPOCH, 4 }, { ANTIGONE_A_GROUP_STATE, 1 },
	};
	struct tb t;
	unsigned int i;

	memset(g, 0, sizeof(*g));
	*why = NULL;
	if (!parse_attrs(d, len, &t, ANTIGONE_A_MAX))
		return *why = "attributes do not tile the message", false;
	if (t.dup)
		return *why = "attribute twice", false;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!t.p[need[i].a] || t.l[need[i].a] != need[i].len)
			return *why = "attribute missing or of wrong size", false;
	if (!t.p[ANTIGONE_A_GROUP_NAME] || !t.l[ANTIGONE_A_GROUP_NAME] ||
	    t.l[ANTIGONE_A_GROUP_NAME] > ANTIGONE_NAME_MAX + 1 ||
	    t.p[ANTIGONE_A_GROUP_NAME][t.l[ANTIGONE_A_GROUP_NAME] - 1])
		return *why = "name missing or not terminated", false;
	memcpy(g->name, t.p[ANTIGONE_A_GROUP_NAME], t.l[ANTIGONE_A_GROUP_NAME]);
	g->id = get32(t.p[ANTIGONE_A_GROUP_ID]);
	g->suite = *t.p[ANTIGONE_A_GROUP_SUITE];
	g->guar = *t.p[ANTIGONE_A_GROUP_GUARANTEE];
	g->fail = *t.p[ANTIGONE_A_GROUP_FAIL_POLICY];
	g->state = *t.p[ANTIGONE_A_GROUP_STATE];
	g->hb = get32(t.p[ANTIGONE_A_GROUP_HB_TIMEOUT_MS]);
	g->life = get32(t.p[ANTIGONE_A_GROUP_KEY_LIFETIME_MS]);
	g->grace = get32(t.p[ANTIGONE_A_GROUP_REKEY_GRACE_MS]);
	g->relay = get16(t.p[ANTIGONE_A_GROUP_RELAY_PORT]);
	g->epoch = get32(t.p[ANTIGONE_A_GROUP_EPOCH]);
	if (t.p[ANTIGONE_A_GROUP_PREV_EPOCH]) {
		if (t.l[ANTIGONE_A_GROUP_PREV_EPOCH] != 4)
			return *why = "prev epoch size", false;
		g->has_prev = true;
		g->prev = get32(t.p[ANTIGONE_A_GROUP_PREV_EPOCH]);
	}
	if (t.p[ANTIGONE_A_GROUP_EPOCH_FLOOR]) {
		if (t.l[ANTIGONE_A_GROUP_EPOCH_FLOOR] != 4)
			return *why = "epoch floor size", false;
		g->has_floor = true;
		g->floor = get32(t.p[ANTIGONE_A_GROUP_EPOCH_FLOOR]);
	}
	if (t.p[ANTIGONE_A_GROUP_ALLOW_UID]) {
		if (t.l[ANTIGONE_A_GROUP_ALLOW_UID] != 4)
			return *why = "uid size", false;
		g->has_uid = true;
		g->uid = get32(t.p[ANTIGONE_A_GROUP_ALLOW_UID]);
	}
	if (t.p[ANTIGONE_A_GROUP_ALLOW_GID]) {
		if (t.l[ANTIGONE_A_GROUP_ALLOW_GID] != 4)
			return *why = "gid size", false;
		g->has_gid = true;
		g->gid = get32(t.p[ANTIGONE_A_GROUP_ALLOW_GID]);
	}
	if (!g->id || !name_valid(g->name))
		return *why = "id 0 or invalid name", false;
	if (g->suite < 1 || g->suite > 3 || g->guar < 1 || g->guar > 3 ||
	    g->fail > 1 || g->state > ANTIGONE_STATE_KEY_STALE)
		return *why = "value out of its range", false;
	if (!g->epoch && g->state != ANTIGONE_STATE_NO_KEY)
		return *why = "no current key but a state other than NO_KEY",
		       false;
	if (g->has_prev && !g->prev)
		return *why = "prev epoch 0", false;
	if (t.p[ANTIGONE_A_GROUP_SELECTORS]) {
		const uint8_t *q = t.p[ANTIGONE_A_GROUP_SELECTORS];
		size_t left = t.l[ANTIGONE_A_GROUP_SELECTORS];

		while (left >= NLA_HDRLEN) {
			struct nlattr a;
			struct tb one;

			memcpy(&a, q, sizeof(a));
			if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
				return *why = "selector nest", false;
			if (g->nsel == 16)
				return *why = "more than 16 selectors", false;
			if (!parse_attrs(q + NLA_HDRLEN, a.nla_len - NLA_HDRLEN,
					 &one, ANTIGONE_A_SEL_PORT) ||
			    !one.p[ANTIGONE_A_SEL_ADDR] ||
			    !one.p[ANTIGONE_A_SEL_PORT] ||
			    one.l[ANTIGONE_A_SEL_PORT] != 2 ||
			    (one.l[ANTIGONE_A_SEL_ADDR] != 4 &&
			     one.l[ANTIGONE_A_SEL_ADDR] != 16))
				return *why = "selector attributes", false;
			g->sel[g->nsel].fam =
				one.l[ANTIGONE_A_SEL_ADDR] == 4 ? 4 : 6;
			memcpy(g->sel[g->nsel].addr, one.p[ANTIGONE_A_SEL_ADDR],
			       one.l[ANTIGONE_A_SEL_ADDR]);
			g->sel[g->nsel].port = get16(one.p[ANTIGONE_A_SEL_PORT]);
			if (!g->sel[g->nsel].port)
				return *why = "selector port 0", false;
			g->nsel++;
			q += NLA_ALIGN(a.nla_len) < left ? NLA_ALIGN(a.nla_len) :
			     left;
			left -= NLA_ALIGN(a.nla_len) < left ?
				NLA_ALIGN(a.nla_len) : left;
		}
		if (left)
			return *why = "selector nest trailing bytes", false;
	}
	/* Every counter, each a u64, each once. */
	if (!t.p[ANTIGONE_A_GROUP_STATS])
		return *why = "no stats", false;
	{
		const uint8_t *q = t.p[ANTIGONE_A_GROUP_STATS];
		size_t left = t.l[ANTIGONE_A_GROUP_STATS];
		bool seen[__ANTIGONE_STAT_MAX] = { false };
		int n = 0;

		while (left >= NLA_HDRLEN) {
			struct nlattr a;
			int ty;

			memcpy(&a, q, sizeof(a));
			if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
				return *why = "stats nest", false;
			ty = a.nla_type & NLA_TYPE_MASK;
			if (ty != ANTIGONE_STAT_UNSPEC) {	/* padding */
				if (ty > ANTIGONE_STAT_MAX || seen[ty] ||
				    a.nla_len != NLA_HDRLEN + 8)
					return *why = "stat attribute", false;
				seen[ty] = true;
				n++;
			}
			q += NLA_ALIGN(a.nla_len);
			left -= NLA_ALIGN(a.nla_len) < left ?
				NLA_ALIGN(a.nla_len) : left;
		}
		if (n != ANTIGONE_STAT_MAX)
			return *why = "not every counter", false;
	}
	return true;
}

/* Dumps and replies: collects groups, checks each and the id order. */
struct collect {
	struct kgroup g[2];	/* the first ones: the one of a GET */
	unsigned int n, total;
	uint32_t last_id[MAXBATCH];	/* per request of a batch */
	bool order_bad, info_ok;
	unsigned int pmask[NPG];	/* p<w>.<k>: how often seen */
	struct kgroup mine[NPG];
	unsigned int pother;		/* other p... names */
};

static void remember_shared(struct ctx *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nshared; i++)
		if (c->shared_ids[i] == id)
			return;
	if (c->nshared < 32)
		c->shared_ids[c->nshared++] = id;
	else
		c->shared_ids[id % 32] = id;
}

static void on_group(struct ctx *c, void *arg, int idx, uint8_t cmd,
		     const uint8_t *d, size_t len, uint16_t flags)
{
	static struct collect scratch;	/* for callers that keep nothing */
	struct collect *col = arg ? arg : &scratch;
	struct kgroup g;
	const char *why;

	if (col == &scratch)
		memset(&scratch, 0, sizeof(scratch));
	if (cmd == ANTIGONE_CMD_GET_INFO) {
		struct tb t;

		col->info_ok = parse_attrs(d, len, &t, ANTIGONE_A_MAX) &&
			       t.p[ANTIGONE_A_INFO_API] &&
			       t.l[ANTIGONE_A_INFO_API] == 4 &&
			       get32(t.p[ANTIGONE_A_INFO_API]) ==
			       ANTIGONE_GENL_VERSION &&
			       t.p[ANTIGONE_A_INFO_MAX_GROUPS] &&
			       get32(t.p[ANTIGONE_A_INFO_MAX_GROUPS]) == 1024 &&
			       t.p[ANTIGONE_A_INFO_VERSION] &&
			       t.l[ANTIGONE_A_INFO_VERSION] &&
			       !t.p[ANTIGONE_A_INFO_VERSION]
				   [t.l[ANTIGONE_A_INFO_VERSION] - 1];
		check_true(c, CK_REPLY, col->info_ok, "GET_INFO reply malformed");
		return;
	}
	if (cmd != ANTIGONE_CMD_GROUP_GET) {
		fail(c, CK_REPLY, "reply of command %u", cmd);
		return;
	}
	if (!parse_group(d, len, &g, &why)) {
		fail(c, CK_REPLY, "group reply: %s", why);
		return;
	}
	inc(&sh->checks[CK_REPLY]);
	/* The parts of one dump come in id order. */
	if (flags & NLM_F_MULTI && idx >= 0 && idx < MAXBATCH) {
		if (g.id <= col->last_id[idx])
			col->order_bad = true;
		col->last_id[idx] = g.id;
	}
	col->total++;
	if (col->n < 2)
		col->g[col->n++] = g;
	if (g.name[0] == 's')
		remember_shared(c, g.id);
	if (g.name[0] == 'p') {
		int w, k;

		if (sscanf(g.name, "p%d.%d", &w, &k) == 2 && w == c->w &&
		    k >= 0 && k < NPG) {
			col->pmask[k]++;
			col->mine[k] = g;
		} else {
			col->pother++;
		}
	}
}

/* ---- names, ports, selectors ------------------------------------------- */

static const char hexch[] = "0123456789abcdef";

/* The bounded set of names garbage may create: all start with 's'. */
static void shared_name(struct rng *r, char out[ANTIGONE_NAME_MAX + 1])
{
	static const char *const odd[] = {
		"s.", "s-", "s_", "sZ.z-9_", "s23456789abcdef", "s.-_.-_",
		"sA", "sZZ",
	};
	unsigned int k = rbelow(r, 280);

	if (k < 256)
		snprintf(out, ANTIGONE_NAME_MAX + 1, "s%c%c", hexch[k >> 4],
			 hexch[k & 15]);
	else if (k < 272)
		snprintf(out, ANTIGONE_NAME_MAX + 1, "s%c", hexch[k - 256]);
	else
		snprintf(out, ANTIGONE_NAME_MAX + 1, "%s", odd[k - 272]);
}

/*
 * Name bytes for garbage: a shared name, or one that can never be a
 * group's (empty, too long, a byte outside [A-Za-z0-9._-] before the
 * NUL), maybe unterminated or with bytes after the NUL.
 */
static size_t garbage_name(struct rng *r, uint8_t *out, size_t cap)
{
	static const char bad[] = " /\\\xff\x80:!@\t\n\x7f";
	char nm[ANTIGONE_NAME_MAX + 1];
	size_t n, i;

	shared_name(r, nm);
	n = strlen(nm);
	memcpy(out, nm, n);
	switch (rbelow(r, 10)) {
	case 0:
		n = 0;		/* empty */
		break;
	case 1:			/* 16 or more characters */
		n = 16 + rbelow(r, rpct(r, 20) ? cap - 32 : 8);
		for (i = 1; i < n; i++)
			out[i] = hexch[rbelow(r, 16)];
		break;
	case 2:
	case 3:			/* an invalid byte somewhere */
		out[rbelow(r, n)] = bad[rbelow(r, sizeof(bad) - 1)];
		break;
	default:
		break;
	}
	switch (rbelow(r, 6)) {
	case 0:			/* unterminated */
		return n;
	case 1:			/* bytes after the NUL */
		out[n++] = 0;
		for (i = rbelow(r, 20); i && n < cap; i--)
			out[n++] = (uint8_t)rnext(r);
		return n;
	case 2:			/* NULs */
		out[n++] = 0;
		out[n++] = 0;
		return n;
	default:
		out[n++] = 0;
		return n;
	}
}

static uint16_t chaos_port(struct rng *r)
{
	uint16_t p;

	switch (rbelow(r, 8)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 65535;
	case 3:
	case 4:
	case 5:
		return SHARED_PORT + rbelow(r, 64);
	default:
		do
			p = (uint16_t)rnext(r);
		while (p >= PRIV_PORT_LO && p < PRIV_PORT_HI);
		return p;
	}
}

static void sel_addr_v4(struct sel *s, uint8_t a, uint8_t b, uint8_t c2,
			uint8_t d)
{
	s->fam = 4;
	memset(s->addr, 0, sizeof(s->addr));
	s->addr[0] = a;
	s->addr[1] = b;
	s->addr[2] = c2;
	s->addr[3] = d;
}

/* A selector of the shared space (garbage and valid-shaped shared ops). */
static void shared_sel(struct rng *r, struct sel *s)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	switch (rbelow(r, 8)) {
	case 0:
		sel_addr_v4(s, 127, 0, 0, 1);
		break;
	case 1:
	case 2:
		sel_addr_v4(s, 127, 1, rbelow(r, 4), rbelow(r, 4));
		break;
	case 3:
		sel_addr_v4(s, 239, 2, 0, rbelow(r, 4));
		break;
	case 4:
		s->fam = 6;
		memcpy(s->addr, lo6, 16);
		break;
	case 5:			/* ff0e::2:N */
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[0] = 0xff;
		s->addr[1] = 0x0e;
		s->addr[13] = 2;
		s->addr[15] = rbelow(r, 4);
		break;
	case 6:			/* ::ffff:127.1.0.1, a v4-mapped selector */
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[10] = s->addr[11] = 0xff;
		s->addr[12] = 127;
		s->addr[13] = 1;
		s->addr[15] = 1;
		break;
	default:
		s->fam = rpct(r, 50) ? 4 : 6;
		memset(s->addr, 0, 16);
		rbytes(r, s->addr, s->fam == 4 ? 4 : 16);
		break;
	}
	do
		s->port = chaos_port(r);
	while (!s->port);
}

/* Selector j of modelled group k: its port is this process's alone. */
static void priv_sel(struct ctx *c, struct rng *r, int k, int j, struct sel *s)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	int n = k * 8 + j;

	switch (rbelow(r, 4)) {
	case 0:
		sel_addr_v4(s, 127, 2 + c->mode, c->w, n + 1);
		break;
	case 1:
		sel_addr_v4(s, 239, 1, c->w, n);
		break;
	case 2:
		s->fam = 6;
		memcpy(s->addr, lo6, 16);
		break;
	default:
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[0] = 0xff;
		s->addr[1] = 0x0e;
		s->addr[11] = 1;
		s->addr[13] = c->w;
		s->addr[15] = n;
		break;
	}
	s->port = c->block + n;
}

static void put_sels(struct buf *b, const struct sel *s, unsigned int n)
{
	size_t list = a_begin(b, ANTIGONE_A_GROUP_SELECTORS | NLA_F_NESTED);
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t one = a_begin(b, ANTIGONE_A_SELECTOR | NLA_F_NESTED);

		a_put(b, ANTIGONE_A_SEL_ADDR, s[i].addr, s[i].fam == 4 ? 4 : 16);
		a_u16(b, ANTIGONE_A_SEL_PORT, s[i].port);
		a_end(b, one);
	}
	a_end(b, list);
}

static void put_gparams(struct buf *b, const struct gparams *p, bool empty_sel)
{
	a_str(b, ANTIGONE_A_GROUP_NAME, p->name);
	if (p->suite >= 0)
		a_u8(b, ANTIGONE_A_GROUP_SUITE, p->suite);
	if (p->guar >= 0)
		a_u8(b, ANTIGONE_A_GROUP_GUARANTEE, p->guar);
	if (p->fail >= 0)
		a_u8(b, ANTIGONE_A_GROUP_FAIL_POLICY, p->fail);
	if (p->hb >= 0)
		a_u32(b, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, p->hb);
	if (p->life >= 0)
		a_u32(b, ANTIGONE_A_GROUP_KEY_LIFETIME_MS, p->life);
	if (p->grace >= 0)
		a_u32(b, ANTIGONE_A_GROUP_REKEY_GRACE_MS, p->grace);
	if (p->uid >= 0)
		a_u32(b, ANTIGONE_A_GROUP_ALLOW_UID, p->uid);
	if (p->gid >= 0)
		a_u32(b, ANTIGONE_A_GROUP_ALLOW_GID, p->gid);
	if (p->nsel || empty_sel)
		put_sels(b, p->sel, p->nsel);
}

/* Valid settings; timeouts short enough that groups change state. */
static void gen_gparams(struct ctx *c, struct rng *r, struct gparams *p)
{
	static const int64_t hb[] = { 0, 5, 50, 1000, 60000 };
	static const int64_t life[] = { 0, 3, 40, 2000, 600000 };
	static const int64_t grace[] = { 0, 1, 30, 2000, 60000 };

	p->suite = rpct(r, 30) ? -1 : (int)(1 + rbelow(r, 3));
	p->guar = rpct(r, 30) ? -1 : (int)(1 + rbelow(r, 3));
	p->fail = rpct(r, 40) ? -1 : (int)rbelow(r, 2);
	p->hb = rpct(r, 50) ? -1 : hb[rbelow(r, 5)];
	p->life = rpct(r, 50) ? -1 : life[rbelow(r, 5)];
	p->grace = rpct(r, 40) ? -1 : grace[rbelow(r, 5)];
	p->uid = rpct(r, 60) ? -1 : (int64_t)(rpct(r, 50) ? 0 : c->allow_id);
	p->gid = rpct(r, 70) ? -1 : (int64_t)(rpct(r, 50) ? 0 : c->allow_id);
	p->nsel = 0;
}

/* ---- garbage ------------------------------------------------------------ */

static int attr_kind(int id)
{
	switch (id) {
	case ANTIGONE_A_GROUP_SUITE: case ANTIGONE_A_GROUP_GUARANTEE:
	case ANTIGONE_A_GROUP_FAIL_POLICY: case ANTIGONE_A_GROUP_STATE:
	case ANTIGONE_A_EVENT_TYPE:
		return 1;
	case ANTIGONE_A_SEL_PORT: case ANTIGONE_A_GROUP_RELAY_PORT:
		return 2;
	case ANTIGONE_A_HB_SEQ:
		return 8;
	case ANTIGONE_A_GROUP_NAME: case ANTIGONE_A_INFO_VERSION:
		return 's';
	case ANTIGONE_A_SEL_ADDR: case ANTIGONE_A_KEY_DATA:
		return 'b';
	case ANTIGONE_A_GROUP_SELECTORS:
		return 'a';
	case ANTIGONE_A_GROUP_STATS: case ANTIGONE_A_SELECTOR:
		return 'n';
	case ANTIGONE_A_UNSPEC: case ANTIGONE_A_PAD:
		return 0;
	default:
		return 4;
	}
}

static uint16_t garbage_type(struct rng *r)
{
	uint16_t t;

	switch (rbelow(r, 10)) {
	case 0:
		t = 0;
		break;
	case 1:
		t = ANTIGONE_A_MAX + 1 + rbelow(r, 4);
		break;
	case 2:
		t = rnext(r) & NLA_TYPE_MASK;
		break;
	default:
		t = 1 + rbelow(r, ANTIGONE_A_MAX);
		break;
	}
	if (rpct(r, 8))
		t |= NLA_F_NESTED;
	if (rpct(r, 4))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth);
static uint32_t shared_id(struct ctx *c, struct rng *r);

/* A selector array, valid or broken in one of the ways nests break. */
static void gen_sel_array(struct ctx *c, struct rng *r, struct buf *b,
			  uint16_t type, int depth)
{
	unsigned int i, n = rpct(r, 10) ? 16 + rbelow(r, 6) : rbelow(r, 5);
	size_t list;

	if (rpct(r, 85))
		type |= NLA_F_NESTED;
	list = a_begin(b, type);
	for (i = 0; i < n && !b->full; i++) {
		uint8_t ab[18] = { 0 }, pb[4] = { 0 };
		struct sel s;
		size_t one;
		uint16_t et = ANTIGONE_A_SELECTOR;
		int how = rpct(r, 60) ? 0 : (int)rbelow(r, 12);

		shared_sel(r, &s);
		if (rpct(r, 85))
			et |= NLA_F_NESTED;
		if (rpct(r, 5))
			et = garbage_type(r);
		if (how == 1) {		/* an element of 1-3 bytes */
			uint8_t junk[3];

			rbytes(r, junk, sizeof(junk));
			a_put(b, et, junk, 1 + rbelow(r, 3));
			continue;
		}
		/* Room for the wrong sizes too. */
		memcpy(ab, s.addr, sizeof(s.addr));
		memcpy(pb, &s.port, sizeof(s.port));
		one = a_begin(b, et);
		if (how != 2)	/* 2: no address */
			a_put(b, ANTIGONE_A_SEL_ADDR, ab,
			      how == 3 ? rbelow(r, 18) : s.fam == 4 ? 4 : 16);
		if (how != 4)	/* 4: no port */
			a_put(b, ANTIGONE_A_SEL_PORT, pb,
			      how == 5 ? rbelow(r, 5) : 2);
		if (how == 6)	/* something else inside */
			gen_attr(c, r, b, depth + 1);
		if (how == 7) {	/* trailing bytes inside the element */
			uint8_t junk[3];

			rbytes(r, junk, sizeof(junk));
			b_bytes(b, junk, 1 + rbelow(r, 3));
		}
		if (how == 8 && i)	/* a duplicate */
			a_put(b, ANTIGONE_A_SEL_ADDR, s.addr, 4);
		if (how == 9)	/* empty element */
			b->len = one + NLA_HDRLEN;
		a_end(b, one);
		if (how == 10 && !b->full) {	/* element claims too much */
			uint16_t l = b->len - one + 4 + rbelow(r, 64);

			memcpy(bp(b) + one, &l, 2);
		}
	}
	if (rpct(r, 5)) {	/* trailing bytes in the array */
		uint8_t junk[3];

		rbytes(r, junk, sizeof(junk));
		b_bytes(b, junk, 1 + rbelow(r, 3));
	}
	a_end(b, list);
}

static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 6, 7, 9, 12, 16, 17,
					31, 32, 33, 64, 255, 1000, 4000 };
	uint8_t data[4096];
	uint16_t type = garbage_type(r);
	int kind = attr_kind(type & NLA_TYPE_MASK);
	size_t n;

	if (rpct(r, 12))
		kind = "\1\2\4\10sban"[rbelow(r, 8)];
	if (rpct(r, 10) || kind == 0) {	/* any size, any bytes */
		n = sizes[rbelow(r, sizeof(sizes) / sizeof(sizes[0]))];
		rbytes(r, data, n);
		a_put(b, type, data, n);
		return;
	}
	switch (kind) {
	case 1: case 2: case 4: case 8: {
		uint64_t v = rint32(r);

		/* Never a small id: that may be a modelled group. */
		if ((type & NLA_TYPE_MASK) == ANTIGONE_A_GROUP_ID && kind == 4)
			v = rpct(r, 10) ? (rpct(r, 50) ? 0 : 0xffffffffu) :
			    shared_id(c, r);

		if (kind == 8 && rpct(r, 40))
			v = rnext(r);
		if (kind == 8 && rpct(r, 20))
			v = ~0ULL;
		a_put(b, type, &v, kind);
		break;
	}
	case 's':
		n = garbage_name(r, data, sizeof(data));
		a_put(b, type, data, n);
		break;
	case 'b':
		n = sizes[rbelow(r, 15)];
		rbytes(r, data, n);
		a_put(b, type, data, n);
		break;
	case 'a':
		if (depth < 3)
			gen_sel_array(c, r, b, type, depth);
		break;
	default: {	/* a nest of anything */
		size_t off = a_begin(b, type | (rpct(r, 70) ? NLA_F_NESTED : 0));
		unsigned int i;

		for (i = depth < 3 ? rbelow(r, 5) : 0; i; i--)
			gen_attr(c, r, b, depth + 1);
		a_end(b, off);
		break;
	}
	}
}

static uint16_t garbage_flags(struct rng *r)
{
	static const uint16_t extra[] = {
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_ECHO, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND, NLM_F_MULTI,
		NLM_F_DUMP_INTR, 0x8000, 0x4000,
	};
	uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

	if (rpct(r, 25))
		f |= NLM_F_DUMP;
	if (rpct(r, 12))
		f |= extra[rbelow(r, sizeof(extra) / sizeof(extra[0]))];
	if (rpct(r, 3))
		f &= ~NLM_F_REQUEST;
	if (rpct(r, 3))
		f &= ~NLM_F_ACK;
	return f;
}

static uint8_t garbage_cmd(struct rng *r)
{
	switch (rbelow(r, 10)) {
	case 0:
		return (uint8_t)rnext(r);
	case 1:
		return "\0\10\13\14"[rbelow(r, 4)];	/* UNSPEC, EVENT, after */
	default:
		return 1 + rbelow(r, ANTIGONE_CMD_MAX);
	}
}

static void valid_attrs(struct ctx *c, struct rng *r, struct buf *b,
			uint8_t cmd);

/*
 * One garbage message: a valid shape with garbage added, or all garbage.
 * True if its nlmsg_len lies (the kernel then drops the rest unanswered).
 */
static bool gen_garbage_msg(struct ctx *c, struct rng *r, struct buf *b,
			    uint32_t seq)
{
	uint8_t cmd = garbage_cmd(r);
	size_t off = msg_begin(b, garbage_flags(r), seq, cmd,
			       rpct(r, 92) ? ANTIGONE_GENL_VERSION :
			       (uint8_t)rnext(r),
			       rpct(r, 95) ? 0 : (uint16_t)rnext(r));
	unsigned int i, n;

	if (rpct(r, 50))
		valid_attrs(c, r, b, cmd);
	n = rpct(r, 10) ? rbelow(r, 40) : rbelow(r, 5);
	for (i = 0; i < n && !b->full; i++)
		gen_attr(c, r, b, 0);
	if (rpct(r, 4)) {	/* trailing bytes after the attributes */
		uint8_t junk[3];

		rbytes(r, junk, sizeof(junk));
		b_bytes(b, junk, 1 + rbelow(r, 3));
	}
	msg_end(b, off);
	if (rpct(r, 3) && !b->full) {	/* nlmsg_len lies */
		uint32_t l = rpct(r, 50) ? rbelow(r, b->len - off + 1) :
			     b->len - off + 1 + rbelow(r, 64);

		memcpy(bp(b) + off, &l, 4);
		b_pad(b);
		return true;
	}
	b_pad(b);
	return false;
}

/* ---- valid-shaped requests on the shared space ------------------------- */

static uint32_t shared_id(struct ctx *c, struct rng *r)
{
	if (c->nshared && rpct(r, 80))
		return c->shared_ids[rbelow(r, c->nshared)];
	return 0x80000000u + (uint32_t)rbelow(r, 0x7fffffff);	/* none */
}

/* ID and/or NAME of a shared group (maybe a deleted one, or none). */
static void put_shared_ref(struct ctx *c, struct rng *r, struct buf *b)
{
	char nm[ANTIGONE_NAME_MAX + 1];

	shared_name(r, nm);
	switch (rbelow(r, 4)) {
	case 0:
	case 1:
		a_str(b, ANTIGONE_A_GROUP_NAME, nm);
		break;
	case 2:
		a_u32(b, ANTIGONE_A_GROUP_ID, shared_id(c, r));
		break;
	default:
		a_u32(b, ANTIGONE_A_GROUP_ID, shared_id(c, r));
		a_str(b, ANTIGONE_A_GROUP_NAME, nm);
		break;
	}
}

static void put_key(struct rng *r, struct buf *b)
{
	uint8_t key[32];

	rbytes(r, key, sizeof(key));
	a_put(b, ANTIGONE_A_KEY_DATA, key, rpct(r, 50) ? 16 : 32);
}

/* The attributes of a valid-shaped request of @cmd on shared groups. */
static void valid_attrs(struct ctx *c, struct rng *r, struct buf *b,
			uint8_t cmd)
{
	switch (cmd) {
	case ANTIGONE_CMD_GROUP_NEW: {
		struct gparams p;
		unsigned int i, j;

		gen_gparams(c, r, &p);
		shared_name(r, p.name);
		p.nsel = rbelow(r, 4);
		for (i = 0; i < p.nsel; i++) {
			shared_sel(r, &p.sel[i]);
			for (j = 0; j < i; j++)	/* unique within the request */
				if (p.sel[j].port == p.sel[i].port)
					p.sel[i].port = 0;
			if (!p.sel[i].port)
				p.sel[i].port = SHARED_PORT + 64 + i;
		}
		put_gparams(b, &p, rpct(r, 5));
		break;
	}
	case ANTIGONE_CMD_GROUP_DEL:
	case ANTIGONE_CMD_GROUP_GET:
		put_shared_ref(c, r, b);
		break;
	case ANTIGONE_CMD_KEY_ADD:
		put_shared_ref(c, r, b);
		a_u32(b, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 40));
		put_key(r, b);
		if (rpct(r, 70))
			a_u32(b, ANTIGONE_A_KEY_SENDER, rbelow(r, 5));
		if (rpct(r, 30))
			a_u32(b, ANTIGONE_A_KEY_LIFETIME_MS, rpct(r, 50) ? 0 :
			      rbelow(r, 100));
		break;
	case ANTIGONE_CMD_KEY_DEL:
		put_shared_ref(c, r, b);
		a_u32(b, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 40));
		break;
	case ANTIGONE_CMD_KEY_SET:
		put_shared_ref(c, r, b);
		a_u32(b, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 40));
		a_u32(b, ANTIGONE_A_KEY_SENDER, rbelow(r, 8));
		break;
	case ANTIGONE_CMD_HEARTBEAT:
		put_shared_ref(c, r, b);
		a_u64(b, ANTIGONE_A_HB_SEQ, 1 + rbelow(r, 1000000));
		if (rpct(r, 60))
			a_u32(b, ANTIGONE_A_HB_EPOCH, rbelow(r, 50));
		break;
	case ANTIGONE_CMD_GROUP_SET: {
		bool port = rpct(r, 60);

		put_shared_ref(c, r, b);
		if (port)
			a_u16(b, ANTIGONE_A_GROUP_RELAY_PORT, rpct(r, 30) ? 0 :
			      RELAY_PORT + rbelow(r, 16));
		if (!port || rpct(r, 40))
			a_u32(b, ANTIGONE_A_GROUP_HB_TIMEOUT_MS,
			      rpct(r, 50) ? 0 : rbelow(r, 100));
		break;
	}
	default:	/* GET_INFO takes nothing */
		break;
	}
}

static const int *valid_set(uint8_t cmd)
{
	static const int new_[] = { 0, EEXIST, EADDRINUSE, -1 };
	static const int lookup[] = { 0, ENOENT, -1 };
	static const int key_add[] = { 0, ENOENT, EEXIST, ESTALE, EINVAL, -1 };
	static const int hb[] = { 0, ENOENT, ESTALE, -1 };
	static const int set[] = { 0, ENOENT, EADDRINUSE, -1 };
	static const int info[] = { 0, -1 };

	switch (cmd) {
	case ANTIGONE_CMD_GROUP_NEW:
		return new_;
	case ANTIGONE_CMD_KEY_ADD:
		return key_add;
	case ANTIGONE_CMD_HEARTBEAT:
		return hb;
	case ANTIGONE_CMD_GROUP_SET:
		return set;
	case ANTIGONE_CMD_GET_INFO:
		return info;
	default:
		return lookup;
	}
}

static bool is_admin(uint8_t cmd)
{
	return cmd != ANTIGONE_CMD_GET_INFO && cmd != ANTIGONE_CMD_GROUP_GET &&
	       cmd >= ANTIGONE_CMD_GROUP_NEW && cmd <= ANTIGONE_CMD_MAX &&
	       cmd != ANTIGONE_CMD_EVENT;
}

static uint8_t valid_cmd(struct rng *r)
{
	static const uint8_t cmds[] = {
		ANTIGONE_CMD_GET_INFO, ANTIGONE_CMD_GROUP_NEW,
		ANTIGONE_CMD_GROUP_NEW, ANTIGONE_CMD_GROUP_DEL,
		ANTIGONE_CMD_GROUP_GET, ANTIGONE_CMD_KEY_ADD,
		ANTIGONE_CMD_KEY_ADD, ANTIGONE_CMD_KEY_DEL,
		ANTIGONE_CMD_HEARTBEAT, ANTIGONE_CMD_GROUP_SET,
		ANTIGONE_CMD_KEY_SET,
	};

	return cmds[rbelow(r, sizeof(cmds))];
}

/* Garbage may get these: what netlink, the policy and the module return. */
static const int fuzz_ok[] = {
	0, EINVAL, ERANGE, EOPNOTSUPP, EPERM, ENOENT, EEXIST, EADDRINUSE,
	ENOSPC, E2BIG, ESTALE, EMSGSIZE, EBUSY, -1
};

static struct buf *msgbuf;	/* one per process: 64 KiB off the stack */

static void op_fuzz(struct ctx *c, struct rng *r, bool batch)
{
	struct xfer x = { .n = batch ? 2 + rbelow(r, MAXBATCH - 1) : 1 };
	struct collect colbuf = { 0 }, *col = &colbuf;
	bool sane[MAXBATCH], lied = false;
	uint8_t cmds[MAXBATCH];
	int i, ret;

	msgbuf->len = 0;
	msgbuf->full = false;
	x.seq0 = c->seq;
	for (i = 0; i < x.n; i++) {
		struct nlmsghdr h;
		size_t off;

		/* A batch mixes garbage with valid-shaped requests. */
		b_pad(msgbuf);
		off = msgbuf->len;
		if (batch && rpct(r, 40)) {
			uint8_t cmd = valid_cmd(r);
			size_t m = msg_begin(msgbuf, NLM_F_REQUEST | NLM_F_ACK |
					     (rpct(r, 20) ? NLM_F_DUMP : 0),
					     c->seq, cmd, 1, 0);

			valid_attrs(c, r, msgbuf, cmd);
			msg_end(msgbuf, m);
		} else {
			lied |= gen_garbage_msg(c, r, msgbuf, c->seq);
		}
		c->seq++;
		if (msgbuf->full)
			break;
		memcpy(&h, bp(msgbuf) + off, sizeof(h));
		cmds[i] = bp(msgbuf)[off + NLMSG_HDRLEN];
		/* Answered for sure: a request, acked, nothing lied before. */
		sane[i] = (h.nlmsg_flags & NLM_F_REQUEST) &&
			  (h.nlmsg_flags & NLM_F_ACK) && !lied &&
			  h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN;
	}
	if (msgbuf->full)
		return;
	ret = nl_xfer(c, c->nl, msgbuf, &x, on_group, col);
	if (ret) {
		/* The socket refuses what it cannot take (EMSGSIZE). */
		judge(c, CK_FUZZ, C_FUZZ, "sendmsg", -ret,
		      (const int[]){ EMSGSIZE, ENOBUFS, -1 });
		return;
	}
	for (i = 0; i < x.n; i++) {
		int e = x.a[i].err;

		if (e == -NOANSWER) {
			/* A request whose length lies drops the rest. */
			count_err(C_FUZZ, NOANSWER);
			check_true(c, CK_FUZZ, !sane[i] || x.overrun,
				   "request %d of %d not answered", i + 1, x.n);
			continue;
		}
		if (!c->priv && is_admin(cmds[i]) && sane[i])
			judge1(c, CK_FUZZ, C_PERM, "garbage admin command, no "
			       "CAP_NET_ADMIN", e, EPERM);
		else
			judge(c, CK_FUZZ, C_FUZZ, "garbage request", e,
			      fuzz_ok);
	}
	check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
}

/* A valid-shaped request on the shared space (races with everyone). */
static void op_valid(struct ctx *c, struct rng *r)
{
	struct xfer x = { .n = 1, .seq0 = c->seq };
	struct collect colbuf = { 0 }, *col = &colbuf;
	uint8_t cmd = valid_cmd(r);
	bool dump = cmd == ANTIGONE_CMD_GROUP_GET && rpct(r, 30);
	size_t off;

	msgbuf->len = 0;
	msgbuf->full = false;
	off = msg_begin(msgbuf, NLM_F_REQUEST | NLM_F_ACK |
			(dump ? NLM_F_DUMP : 0), c->seq++, cmd,
			ANTIGONE_GENL_VERSION, 0);
	if (!dump)
		valid_attrs(c, r, msgbuf, cmd);
	msg_end(msgbuf, off);
	if (nl_xfer(c, c->nl, msgbuf, &x, on_group, col)) {
		fail(c, CK_VALID, "sendmsg: %s", strerror(errno));
	} else if (!c->priv && is_admin(cmd)) {
		judge1(c, CK_VALID, C_PERM, "admin command without "
		       "CAP_NET_ADMIN", x.a[0].err, EPERM);
	} else if (dump) {
		judge1(c, CK_VALID, C_VALID, "dump", x.a[0].err, 0);
		check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
	} else {
		char what[48];

		snprintf(what, sizeof(what), "valid-shaped command %u", cmd);
		judge(c, CK_VALID, C_VALID, what, x.a[0].err, valid_set(cmd));
		if (!x.a[0].err && (cmd == ANTIGONE_CMD_GROUP_NEW ||
				    cmd == ANTIGONE_CMD_GROUP_GET ||
				    cmd == ANTIGONE_CMD_GET_INFO))
			check_true(c, CK_REPLY, x.a[0].ndata == 1,
				   "command %u: %d replies", cmd, x.a[0].ndata);
	}
}

/* ---- the model: groups only this process changes ----------------------- */

static int model_xfer(struct ctx *c, struct collect *col)
{
	struct xfer x = { .n = 1, .seq0 = c->seq - 1 };

	int ret = nl_xfer(c, c->nl, msgbuf, &x, on_group, col);

	c->t_reply = now();
	if (ret)
		return -NOANSWER;
	return x.a[0].err;
}

static size_t model_begin(struct ctx *c, uint8_t cmd, uint16_t extra)
{
	msgbuf->len = 0;
	msgbuf->full = false;
	return msg_begin(msgbuf, NLM_F_REQUEST | NLM_F_ACK | extra, c->seq++,
			 cmd, ANTIGONE_GENL_VERSION, 0);
}

static void put_pref(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];

	/* By name, id or both; a deleted group keeps its last id. */
	if (!g->id || rpct(r, 50)) {
		a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	} else if (rpct(r, 50)) {
		a_u32(msgbuf, ANTIGONE_A_GROUP_ID, g->id);
	} else {
		a_u32(msgbuf, ANTIGONE_A_GROUP_ID, g->id);
		a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	}
}

/* After a result the model did not predict: forget the group. */
static void resync(struct ctx *c, int k)
{
	size_t off = model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);

	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, c->pg[k].p.name);
	msg_end(msgbuf, off);
	model_xfer(c, NULL);
	c->pg[k].exists = false;
	c->pg[k].id = 0;
}

static bool mjudge(struct ctx *c, int k, const char *what, int got, int want)
{
	if (judge1(c, CK_MODEL, C_MODEL, what, got, want))
		return true;
	resync(c, k);
	return false;
}

/*
 * The kernel retires the previous key once jiffies pass its add time plus
 * the grace: not before prev_t0 + grace less a tick. A request answered
 * before that found it still there.
 */
static bool prev_surely_there(const struct ctx *c, const struct pgroup *g)
{
	return g->prev && c->t_reply < g->prev_t0 + g->grace / 1000.0 - 0.012;
}

/* The reply of a modelled group against the model. */
static void model_compare(struct ctx *c, int k, const struct kgroup *kg)
{
	const struct pgroup *g = &c->pg[k];
	unsigned int i;
	bool ok = true;
	int state = -1;

	ok &= kg->id == g->id && !strcmp(kg->name, g->p.name);
	ok &= kg->suite == g->suite && kg->guar == g->guar &&
	      kg->fail == g->fail;
	ok &= kg->hb == g->hb_timeout && kg->life == g->life &&
	      kg->grace == g->grace && kg->relay == g->relay;
	ok &= kg->has_uid == (g->p.uid >= 0) &&
	      (!kg->has_uid || kg->uid == g->p.uid);
	ok &= kg->has_gid == (g->p.gid >= 0) &&
	      (!kg->has_gid || kg->gid == g->p.gid);
	ok &= kg->nsel == g->p.nsel;
	for (i = 0; ok && i < kg->nsel; i++)
		ok &= kg->sel[i].fam == g->p.sel[i].fam &&
		      kg->sel[i].port == g->p.sel[i].port &&
		      !memcmp(kg->sel[i].addr, g->p.sel[i].addr,
			      g->p.sel[i].fam == 4 ? 4 : 16);
	ok &= kg->epoch == g->cur;
	ok &= !kg->has_floor || kg->floor == g->floor;
	if (!g->prev)
		ok &= !kg->has_prev;
	else if (prev_surely_there(c, g))
		ok &= kg->has_prev && kg->prev == g->prev;
	else
		ok &= !kg->has_prev || kg->prev == g->prev;
	/* The state, where no clock decides it. */
	if (!g->cur)
		state = ANTIGONE_STATE_NO_KEY;
	else if (!g->key_life && !g->hb_timeout)
		state = g->hb_epoch > g->cur ? ANTIGONE_STATE_KEY_STALE :
			ANTIGONE_STATE_OK;
	if (state >= 0)
		ok &= kg->state == state;
	else
		ok &= kg->state != ANTIGONE_STATE_NO_KEY;
	check_true(c, CK_MODEL, ok,
		   "group %s differs from the model: id %u/%u epoch %u/%u "
		   "prev %u(%d)/%u floor %u/%u state %u/%d relay %u/%u hb %u/%u "
		   "nsel %u/%u suite %u/%u", g->p.name, kg->id, g->id, kg->epoch,
		   g->cur, kg->prev, kg->has_prev, g->prev, kg->floor, g->floor,
		   kg->state, state, kg->relay,
		   g->relay, kg->hb, g->hb_timeout, kg->nsel, g->p.nsel,
		   kg->suite, g->suite);
}

static void m_new(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	struct collect colbuf = { 0 }, *col = &colbuf;
	struct gparams p;
	unsigned int i;
	size_t off;
	int e;

	gen_gparams(c, r, &p);
	snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k & 7u);
	p.nsel = rbelow(r, 4);
	for (i = 0; i < p.nsel; i++)
		priv_sel(c, r, k, i, &p.sel[i]);
	off = model_begin(c, ANTIGONE_CMD_GROUP_NEW, 0);
	put_gparams(msgbuf, &p, rpct(r, 5));
	msg_end(msgbuf, off);
	e = model_xfer(c, col);
	if (g->exists) {
		mjudge(c, k, "GROUP_NEW of an existing name", e, EEXIST);
		return;
	}
	if (!mjudge(c, k, "GROUP_NEW", e, 0))
		return;
	memset(g, 0, sizeof(*g));
	g->exists = true;
	g->p = p;
	g->suite = p.suite < 0 ? ANTIGONE_SUITE_AES128_GCM : p.suite;
	g->guar = p.guar < 0 ? ANTIGONE_G_BOTH : p.guar;
	g->fail = p.fail < 0 ? ANTIGONE_FAIL_CLOSED : p.fail;
	g->hb_timeout = p.hb < 0 ? 0 : p.hb;
	g->life = p.life < 0 ? 0 : p.life;
	g->grace = p.grace < 0 ? 2000 : p.grace;
	if (col->n != 1) {
		fail(c, CK_MODEL, "GROUP_NEW: %u replies", col->n);
		g->id = 0;
		resync(c, k);
		return;
	}
	g->id = col->g[0].id;
	check_true(c, CK_MODEL, g->id > c->last_id,
		   "GROUP_NEW id %u not above an earlier id %u", g->id,
		   c->last_id);
	c->last_id = g->id;
	model_compare(c, k, &col->g[0]);
}

/* GROUP_NEW that must fail, one defect at a time, each with its errno. */
static void m_near(struct ctx *c, struct rng *r, int k)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	struct gparams p;
	int how = rbelow(r, 21), want = EINVAL, target = k, e, i;
	uint8_t junk[17] = { 0 };
	size_t off, sel;

	gen_gparams(c, r, &p);
	snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k & 7u);
	p.nsel = 0;
	if (how == 14) {	/* a selector another of ours has */
		int k2 = -1, kk;

		for (kk = 0; kk < NPG; kk++) {
			if (!c->pg[kk].exists && k2 < 0)
				k2 = kk;
			if (c->pg[kk].exists && c->pg[kk].p.nsel)
				target = kk;
		}
		if (k2 < 0 || !c->pg[target].exists || !c->pg[target].p.nsel) {
			how = 7;
			target = k;
		} else {
			snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k2 & 7u);
			p.nsel = 1;
			p.sel[0] = c->pg[target].p.sel[rbelow(r,
						c->pg[target].p.nsel)];
			want = EADDRINUSE;
			target = k2;
		}
	}
	off = model_begin(c, ANTIGONE_CMD_GROUP_NEW, 0);
	switch (how) {
	case 0:
		put_gparams(msgbuf, &p, false);
		a_u32(msgbuf, ANTIGONE_A_GROUP_ID, 1 + rbelow(r, 100));
		break;
	case 1:
		put_gparams(msgbuf, &p, false);
		a_u16(msgbuf, ANTIGONE_A_GROUP_RELAY_PORT, rbelow(r, 65536));
		break;
	case 2:
		p.name[rbelow(r, strlen(p.name))] = " /!\xff"[rbelow(r, 4)];
		put_gparams(msgbuf, &p, false);
		break;
	case 3:
		p.suite = rpct(r, 50) ? 0 : 4 + rbelow(r, 252);
		put_gparams(msgbuf, &p, false);
		want = ERANGE;
		break;
	case 4:
		p.guar = rpct(r, 50) ? 0 : 4 + rbelow(r, 252);
		put_gparams(msgbuf, &p, false);
		want = ERANGE;
		break;
	case 5:
		p.fail = 2 + rbelow(r, 254);
		put_gparams(msgbuf, &p, false);
		want = ERANGE;
		break;
	case 6:		/* 17 selectors */
		p.nsel = 17;
		for (i = 0; i < 17; i++) {
			priv_sel(c, r, k, i % 8, &p.sel[i]);
			p.sel[i].port = c->block + i;	/* all different */
		}
		put_gparams(msgbuf, &p, false);
		want = E2BIG;
		break;
	case 7:		/* the same selector twice */
		p.nsel = 2;
		priv_sel(c, r, k, 0, &p.sel[0]);
		p.sel[1] = p.sel[0];
		put_gparams(msgbuf, &p, false);
		break;
	case 8:		/* a selector without a port, or without an address */
	case 9:		/* port 0 */
	case 10:	/* an address of a size the policy takes, not 4/16 */
	case 19:	/* the list without NLA_F_NESTED */
	case 20:	/* an element of 2 bytes */
		put_gparams(msgbuf, &p, false);
		sel = a_begin(msgbuf, ANTIGONE_A_GROUP_SELECTORS |
			      (how == 19 ? 0 : NLA_F_NESTED));
		if (how == 20) {
			a_put(msgbuf, ANTIGONE_A_SELECTOR, junk, 2);
			want = ERANGE;
		} else {
			size_t one = a_begin(msgbuf, ANTIGONE_A_SELECTOR |
					     NLA_F_NESTED);
			uint16_t port = how == 9 ? 0 : c->block;

			if (how != 8 || rpct(r, 50))
				a_put(msgbuf, ANTIGONE_A_SEL_ADDR, lo6,
				      how == 10 ? 5 + rbelow(r, 11) : 16);
			else
				a_u16(msgbuf, ANTIGONE_A_SEL_PORT, port);
			if (how != 8)
				a_u16(msgbuf, ANTIGONE_A_SEL_PORT, port);
			a_end(msgbuf, one);
			if (how == 9)
				want = ERANGE;
		}
		a_end(msgbuf, sel);
		break;
	case 11:	/* 16 characters */
		a_str(msgbuf, ANTIGONE_A_GROUP_NAME, "p0123456789abcde");
		break;
	case 12:	/* a u32 of 2 bytes */
		put_gparams(msgbuf, &p, false);
		a_put(msgbuf, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, junk, 2);
		break;
	case 13:	/* a uid not mapped in this user namespace */
		p.uid = c->mode == M_ROOT ? 0xffffffffLL : 1000;
		put_gparams(msgbuf, &p, false);
		break;
	case 14:
		put_gparams(msgbuf, &p, false);
		break;
	case 15:	/* no name */
		a_u8(msgbuf, ANTIGONE_A_GROUP_SUITE, 1);
		break;
	case 16:	/* output only */
		put_gparams(msgbuf, &p, false);
		a_u32(msgbuf, rpct(r, 50) ? ANTIGONE_A_GROUP_EPOCH :
		      ANTIGONE_A_INFO_API, 1);
		break;
	case 17:	/* unknown */
		put_gparams(msgbuf, &p, false);
		a_u32(msgbuf, ANTIGONE_A_MAX + 1 + rbelow(r, 100), 1);
		break;
	default:	/* 18: no NUL */
		a_put(msgbuf, ANTIGONE_A_GROUP_NAME, p.name, strlen(p.name));
		break;
	}
	msg_end(msgbuf, off);
	e = model_xfer(c, NULL);
	if (!judge1(c, CK_MODEL, C_MODEL, "near-valid GROUP_NEW", e, want) &&
	    e == 0)
		resync(c, target);
}

static void m_del(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	size_t off = model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);

	put_pref(c, r, k);
	msg_end(msgbuf, off);
	if (mjudge(c, k, "GROUP_DEL", model_xfer(c, NULL),
		   g->exists ? 0 : ENOENT))
		g->exists = false;
}

static void m_keyadd(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	unsigned int klen = g->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32;
	uint32_t epoch = g->floor + 1 + rbelow(r, 3), sender = 0, life = 0;
	bool has_sender = rpct(r, 80), has_life = rpct(r, 30), valid = true;
	int how = rbelow(r, 100), want = 0;
	uint8_t key[32];
	double t0 = now();
	size_t off;

	if (has_sender)
		sender = rpct(r, 85) ? 1 + rbelow(r, 4) : 0;
	if (has_life)
		life = rpct(r, 60) ? 0 : rpct(r, 50) ? 5 : 100000;
	rbytes(r, key, sizeof(key));
	off = model_begin(c, ANTIGONE_CMD_KEY_ADD, 0);
	if (how < 8 && g->cur) {		/* the current epoch again */
		epoch = g->cur;
		want = EEXIST;
	} else if (how < 16 && g->floor > 1) {	/* an older one */
		epoch = 1 + rbelow(r, g->floor - 1);
		want = epoch == g->cur ? EEXIST : ESTALE;
	} else if (how < 22) {			/* a key of the other size */
		klen = 48 - klen;
		want = EINVAL;
	}
	if (want)
		valid = false;
	if (!g->exists)
		want = ENOENT;
	if (how >= 22 && how < 25) {		/* epoch 0: policy */
		epoch = 0;
		want = ERANGE;
		valid = false;
	} else if (how >= 25 && how < 28) {	/* no key data */
		want = EINVAL;
		valid = false;
	} else if (how >= 28 && how < 30) {	/* 15 bytes: policy */
		klen = 15;
		want = ERANGE;
		valid = false;
	}
	put_pref(c, r, k);
	a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, epoch);
	if (!(how >= 25 && how < 28))
		a_put(msgbuf, ANTIGONE_A_KEY_DATA, key, klen);
	if (has_sender)
		a_u32(msgbuf, ANTIGONE_A_KEY_SENDER, sender);
	if (has_life)
		a_u32(msgbuf, ANTIGONE_A_KEY_LIFETIME_MS, life);
	msg_end(msgbuf, off);
	if (!mjudge(c, k, "KEY_ADD", model_xfer(c, NULL), want) || !valid ||
	    !g->exists)
		return;
	if (g->cur && g->grace) {
		g->prev = g->cur;
		g->prev_t0 = t0;
	} else {
		g->prev = 0;
	}
	if (!g->cur) {
		g->hb_seq = 0;
		g->hb_epoch = 0;
	}
	g->cur = epoch;
	g->floor = epoch;
	g->sender = sender;
	g->key_life = has_life ? life : g->life;
}

static void m_keydel(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	uint32_t epoch = 1 + rbelow(r, g->floor + 2);
	int want = ENOENT, e;
	bool unsure = false;
	size_t off;

	if (g->cur && rpct(r, 40))
		epoch = g->cur;
	else if (g->prev && rpct(r, 50))
		epoch = g->prev;
	if (g->exists && epoch == g->cur && g->cur) {
		want = 0;
	} else if (g->exists && epoch == g->prev && g->prev) {
		want = 0;
		unsure = true;
	}
	off = model_begin(c, ANTIGONE_CMD_KEY_DEL, 0);
	put_pref(c, r, k);
	a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, epoch);
	msg_end(msgbuf, off);
	e = model_xfer(c, NULL);
	/* Its grace may have run out just now. */
	if (unsure && e == ENOENT && !prev_surely_there(c, g))
		want = ENOENT;
	if (!mjudge(c, k, "KEY_DEL", e, want) || want)
		return;
	if (epoch == g->cur)
		g->cur = 0;
	else
		g->prev = 0;
}

static void m_keyset(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	uint32_t epoch = g->cur && rpct(r, 75) ? g->cur : 1 + rbelow(r, g->floor + 2);
	uint32_t sender = rbelow(r, 6);
	int how = rbelow(r, 20), want;
	size_t off = model_begin(c, ANTIGONE_CMD_KEY_SET, 0);

	want = g->exists && g->cur && epoch == g->cur ? 0 : ENOENT;
	put_pref(c, r, k);
	a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, epoch);
	if (how != 0)
		a_u32(msgbuf, ANTIGONE_A_KEY_SENDER, sender);
	if (how == 1)			/* only the sender may change */
		a_u32(msgbuf, ANTIGONE_A_KEY_LIFETIME_MS, 5);
	if (how <= 1)
		want = EINVAL;
	msg_end(msgbuf, off);
	if (mjudge(c, k, "KEY_SET", model_xfer(c, NULL), want) && !want)
		g->sender = sender;
}

/*
 * A heartbeat must be newer in (epoch, seq): a later seq of the same
 * epoch, or a newer epoch from any seq; no HB_EPOCH is epoch 0.
 */
static void m_hb(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	bool has_epoch = rpct(r, 70);
	uint32_t epoch = 0;
	uint64_t seq;
	int how = rbelow(r, 20), want;
	size_t off;

	if (has_epoch) {
		epoch = g->hb_epoch;
		if (rpct(r, 25))
			epoch += 1 + rbelow(r, 2);
		else if (g->hb_epoch && rpct(r, 15))
			epoch = rbelow(r, g->hb_epoch);	/* an older one */
	}
	if (epoch == g->hb_epoch && g->hb_seq && rpct(r, 20))
		seq = 1 + rbelow(r, g->hb_seq);		/* not later */
	else if (epoch == g->hb_epoch)
		seq = g->hb_seq + 1 + rbelow(r, 100);
	else
		seq = 1 + rbelow(r, 200);
	want = epoch > g->hb_epoch ||
	       (epoch == g->hb_epoch && seq > g->hb_seq) ? 0 : ESTALE;
	if (!g->exists)
		want = ENOENT;
	if (how == 3) {
		seq = 0;
		want = ERANGE;
	}
	off = model_begin(c, ANTIGONE_CMD_HEARTBEAT, 0);
	put_pref(c, r, k);
	if (how == 4)
		want = EINVAL;		/* no sequence */
	else
		a_u64(msgbuf, ANTIGONE_A_HB_SEQ, seq);
	if (has_epoch)
		a_u32(msgbuf, ANTIGONE_A_HB_EPOCH, epoch);
	msg_end(msgbuf, off);
	if (mjudge(c, k, "HEARTBEAT", model_xfer(c, NULL), want) && !want) {
		g->hb_seq = seq;
		g->hb_epoch = epoch;
	}
}

static void m_set(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	bool port = rpct(r, 60), hb = !port || rpct(r, 40);
	uint16_t relay = rpct(r, 40) ? 0 : RELAY_PORT + 100 + c->w;
	uint32_t hbv = rpct(r, 60) ? 0 : rpct(r, 50) ? 5 : 60000;
	int how = rbelow(r, 20), want = g->exists ? 0 : ENOENT;
	size_t off = model_begin(c, ANTIGONE_CMD_GROUP_SET, 0);

	put_pref(c, r, k);
	if (how == 0) {			/* nothing to set */
		port = hb = false;
		want = EINVAL;
	}
	if (port)
		a_u16(msgbuf, ANTIGONE_A_GROUP_RELAY_PORT, relay);
	if (hb)
		a_u32(msgbuf, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, hbv);
	if (how == 1) {			/* nothing else changes */
		static const uint16_t fixed[] = {
			ANTIGONE_A_GROUP_SUITE, ANTIGONE_A_GROUP_GUARANTEE,
			ANTIGONE_A_GROUP_FAIL_POLICY,
		};

		a_u8(msgbuf, fixed[rbelow(r, 3)], 1);
		want = EINVAL;
	}
	msg_end(msgbuf, off);
	if (mjudge(c, k, "GROUP_SET", model_xfer(c, NULL), want) && !want) {
		if (port)
			g->relay = relay;
		if (hb)
			g->hb_timeout = hbv;
	}
}

static void m_get(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	struct collect colbuf = { 0 }, *col = &colbuf;
	size_t off;
	int e;

	off = model_begin(c, ANTIGONE_CMD_GROUP_GET, 0);
	put_pref(c, r, k);
	msg_end(msgbuf, off);
	e = model_xfer(c, col);
	if (mjudge(c, k, "GROUP_GET", e, g->exists ? 0 : ENOENT) && !e) {
		if (col->n == 1)
			model_compare(c, k, &col->g[0]);
		else
			fail(c, CK_MODEL, "GROUP_GET: %u replies", col->n);
	}
}

/* Any request on a group that is gone: ENOENT, whatever it asks. */
static void m_gone(struct ctx *c, struct rng *r, int k)
{
	static const uint8_t cmds[] = {
		ANTIGONE_CMD_GROUP_DEL, ANTIGONE_CMD_GROUP_GET,
		ANTIGONE_CMD_KEY_ADD, ANTIGONE_CMD_KEY_DEL,
		ANTIGONE_CMD_KEY_SET, ANTIGONE_CMD_HEARTBEAT,
		ANTIGONE_CMD_GROUP_SET,
	};
	uint8_t cmd = cmds[rbelow(r, sizeof(cmds))];
	uint8_t key[16] = { 0 };
	size_t off = model_begin(c, cmd, 0);

	put_pref(c, r, k);
	switch (cmd) {
	case ANTIGONE_CMD_KEY_ADD:
		a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 9));
		a_put(msgbuf, ANTIGONE_A_KEY_DATA, key, 16);
		break;
	case ANTIGONE_CMD_KEY_DEL:
		a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 9));
		break;
	case ANTIGONE_CMD_KEY_SET:
		a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, 1 + rbelow(r, 9));
		a_u32(msgbuf, ANTIGONE_A_KEY_SENDER, 1);
		break;
	case ANTIGONE_CMD_HEARTBEAT:
		a_u64(msgbuf, ANTIGONE_A_HB_SEQ, 1 + rbelow(r, 9));
		break;
	case ANTIGONE_CMD_GROUP_SET:
		a_u32(msgbuf, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, 0);
		break;
	}
	msg_end(msgbuf, off);
	mjudge(c, k, "request on a deleted group", model_xfer(c, NULL), ENOENT);
}

/* A dump: every group of ours once, with what the model says. */
static void op_dump(struct ctx *c, struct rng *r)
{
	struct collect colbuf = { 0 }, *col = &colbuf;
	size_t off;
	int k, e;

	off = model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);
	msg_end(msgbuf, off);
	e = model_xfer(c, col);
	judge1(c, c->priv ? CK_MODEL : CK_VALID, C_MODEL, "dump", e, 0);
	check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
	for (k = 0; !e && k < NPG; k++) {
		const struct pgroup *g = &c->pg[k];

		check_true(c, CK_MODEL, col->pmask[k] == (g->exists ? 1u : 0u),
			   "dump shows group p%d.%d %u times (exists: %d)",
			   c->w, k, col->pmask[k], g->exists);
		if (g->exists && col->pmask[k] == 1)
			model_compare(c, k, &col->mine[k]);
	}
}

/* A dump abandoned: read at most one part, close the socket mid-dump. */
static void op_dump_drop(struct ctx *c, struct rng *r)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	size_t off = model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);

	msg_end(msgbuf, off);
	sendto(c->nl, bp(msgbuf), msgbuf->len, 0, (struct sockaddr *)&k,
	       sizeof(k));
	if (rpct(r, 50))
		recv(c->nl, rxbuf, rpct(r, 50) ? 64 : sizeof(rxbuf),
		     MSG_DONTWAIT);
	close(c->nl);
	c->nl = nl_open(r);
}

/* ---- sockets ------------------------------------------------------------ */

static socklen_t mkaddr(int fam, const uint8_t *a, uint16_t port,
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
static const uint8_t lo4[16] = { 127, 0, 0, 1 }, any4[16];
static const uint8_t lo6_[16] = { [15] = 1 }, any6[16];

static void sock_reset(struct xsock *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

static void sock_close(struct ctx *c, int i)
{
	if (c->sk[i].fd >= 0)
		close(c->sk[i].fd);
	sock_reset(&c->sk[i]);
}

static int free_slot(struct ctx *c, struct rng *r)
{
	int i;

	for (i = 0; i < NSOCK; i++)
		if (c->sk[i].fd < 0)
			return i;
	i = rbelow(r, NSOCK);
	sock_close(c, i);
	return i;
}

static int pick_sock(struct ctx *c, struct rng *r)
{
	int i, start = rbelow(r, NSOCK);

	for (i = 0; i < NSOCK; i++)
		if (c->sk[(start + i) % NSOCK].fd >= 0)
			return (start + i) % NSOCK;
	return -1;
}

static const int socket_ok[] = {
	0, EADDRINUSE, EADDRNOTAVAIL, EINVAL, EACCES, EPERM, EAFNOSUPPORT,
	EPROTONOSUPPORT, ENETUNREACH, EHOSTUNREACH, EMFILE, ENFILE, -1
};

/* A destination: one of our sockets, a selector, or somewhere else. */
static socklen_t pick_dest(struct ctx *c, struct rng *r, int fam,
			   bool foreign, struct sockaddr_storage *ss)
{
	struct sel s;
	int i = pick_sock(c, r), dst = rbelow(r, 5);

	if (foreign && rpct(r, 50))
		dst = 5;	/* the selectors of the sender's netns child */
	switch (dst) {
	case 0:
		if (i >= 0 && c->sk[i].port)
			return mkaddr(fam, fam == AF_INET ? lo4 : lo6_,
				      c->sk[i].port, ss);
		/* fallthrough */
	case 1: {
		int k = rbelow(r, NPG);

		if (c->pg[k].exists && c->pg[k].p.nsel) {
			s = c->pg[k].p.sel[rbelow(r, c->pg[k].p.nsel)];
			break;
		}
	}
		/* fallthrough */
	case 2:
		shared_sel(r, &s);
		break;
	case 5:
		s.fam = fam == AF_INET ? 4 : 6;
		memcpy(s.addr, fam == AF_INET ? lo4 : lo6_, 16);
		if (fam == AF_INET && rpct(r, 50))
			s.addr[3] = 2 + rbelow(r, 4);
		s.port = 5000 + rbelow(r, 80);
		break;
	default:
		s.fam = fam == AF_INET ? 4 : 6;
		memcpy(s.addr, fam == AF_INET ? lo4 : lo6_, 16);
		s.port = c->block + 32 + rbelow(r, 32);
		break;
	}
	if (fam == AF_INET6 && s.fam == 4) {	/* v4-mapped */
		uint8_t m[16] = { [10] = 0xff, [11] = 0xff };

		memcpy(m + 12, s.addr, 4);
		return mkaddr(AF_INET6, m, s.port, ss);
	}
	if (fam == AF_INET && s.fam == 6)
		return mkaddr(AF_INET, lo4, s.port, ss);
	return mkaddr(fam, s.addr, s.port, ss);
}

static void op_sock(struct ctx *c, struct rng *r)
{
	int i = free_slot(c, r), fam = rpct(r, 55) ? AF_INET : AF_INET6;
	struct xsock *s = &c->sk[i];
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		judge(c, CK_SOCK, C_SOCKET, "socket", errno, socket_ok);
		return;
	}
	s->fd = fd;
	s->fam = fam;
	s->kind = SK_UDP;
	s->known = true;
	if (fam == AF_INET6 && rpct(r, 50))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (rpct(r, 60)) {
		uint16_t port = rpct(r, 70) ? c->block + 32 + rbelow(r, 24) : 0;
		bool loop = rpct(r, 70);

		sl = mkaddr(fam, fam == AF_INET ? (loop ? lo4 : any4) :
			    (loop ? lo6_ : any6), port, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl))
			judge(c, CK_SOCK, C_SOCKET, "bind", errno, socket_ok);
		else
			s->port = port;
	}
	if (rpct(r, 25)) {
		sl = pick_dest(c, r, fam, false, &ss);
		if (connect(fd, (struct sockaddr *)&ss, sl))
			judge(c, CK_SOCK, C_SOCKET, "connect", errno,
			      socket_ok);
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

static void op_attach(struct ctx *c, struct rng *r)
{
	static const char *const ugroups[] = { "u.allow", "u.gid", "u.none" };
	int i = pick_sock(c, r), level, want = -1, how = rbelow(r, 100), e;
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
	if (c->priv && rpct(r, 50)) {
		t.kind = 0;
		t.k = rbelow(r, NPG);
		t.exists = c->pg[t.k].exists;
		t.min = c->pg[t.k].guar;
		t.id = c->pg[t.k].id;
		t.name = c->pg[t.k].p.name;
	} else if (rpct(r, c->priv ? 30 : 75)) {
		int u = rbelow(r, 3);

		t.kind = u == 2 ? 2 : 1;
		t.exists = true;
		t.min = ANTIGONE_G_BOTH;
		t.name = ugroups[u];
	}
	if (t.kind == 3) {
		char nm[ANTIGONE_NAME_MAX + 1];

		shared_name(r, nm);
		/* Its namespace's groups, made by a child now gone. */
		if (s->foreign && rpct(r, 70))
			snprintf(nm, sizeof(nm), "n%u", rbelow(r, 5));
		if (rpct(r, 50) || s->foreign)
			memcpy(req.group_name, nm, sizeof(nm));
		else
			req.group_id = shared_id(c, r);
	} else if (t.kind == 0 && t.id && rpct(r, 50)) {
		req.group_id = t.id;
		if (rpct(r, 30))
			snprintf(req.group_name, sizeof(req.group_name), "%s",
				 t.name);
	} else {
		snprintf(req.group_name, sizeof(req.group_name), "%s", t.name);
	}
	req.guarantee = rpct(r, 55) ? 0 : rpct(r, 95) ? 1 + rbelow(r, 3) :
			(uint8_t)rnext(r);
	req.flags = rpct(r, 85) ? 0 : rpct(r, 60) ? ANTIGONE_ATTACH_FORWARD :
		    (uint8_t)rnext(r);
	level = s->fam == AF_INET6 && rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	if (how < 3) {
		level = (int[]){ SOL_IPV6, SOL_UDP, SOL_SOCKET }[rbelow(r, 3)];
		if (s->fam == AF_INET6 && level == SOL_IPV6)
			level = SOL_UDP;
	}
	/* Broken requests, each refused for its own reason. */
	if (how >= 3 && how < 6)
		len = (socklen_t[]){ 0, sizeof(req) - 1, sizeof(req) + 1,
				     sizeof(big) }[rbelow(r, 4)];
	else if (how == 6)
		ptr = NULL;
	else if (how == 7)
		req.reserved[rbelow(r, 2)] = 1 + rbelow(r, 255);
	else if (how == 8)
		req.flags |= 0x02 << rbelow(r, 7);
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
		judge(c, CK_SOCK, C_SOCKOPT, "attach of a socket not UDP", e,
		      (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
		return;
	}
	if (!s->known) {
		judge(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH", e,
		      sockopt_any);
	} else if (want >= 0) {
		if (!judge1(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH", e,
			    want))
			s->known = false;
	} else {
		/* A well-formed request to a group anyone may change. */
		judge(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_ATTACH (shared group)",
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

static void op_detach(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), level, e, want;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	level = s->fam == AF_INET6 && rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	e = setsockopt(s->fd, level, ANTIGONE_SO_DETACH, NULL, 0) ? errno : 0;
	if (!s->known) {
		judge(c, CK_SOCK, C_SOCKOPT, "detach", e, sockopt_any);
		return;
	}
	if (s->kind != SK_UDP) {
		judge(c, CK_SOCK, C_SOCKOPT, "detach of a socket not UDP", e,
		      (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
		return;
	}
	want = s->attached ? 0 : ENOENT;
	if (!judge1(c, CK_SOCK, C_SOCKOPT, "ANTIGONE_SO_DETACH", e, want)) {
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

static void op_getopt(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), level, e, want, opt = ANTIGONE_SO_ATTACH;
	struct antigone_attach got;
	socklen_t len = sizeof(got);
	void *ptr = &got;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	memset(&got, 0xa5, sizeof(got));
	level = s->fam == AF_INET6 && rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	if (rpct(r, 8))
		len = rbelow(r, sizeof(got));
	if (rpct(r, 4))
		opt = ANTIGONE_SO_DETACH;	/* not a get option */
	if (rpct(r, 3))
		ptr = NULL;
	e = getsockopt(s->fd, level, opt, ptr, &len) ? errno : 0;
	if (!s->known) {
		judge(c, CK_SOCK, C_SOCKOPT, "getsockopt", e, sockopt_any);
		return;
	}
	if (s->kind != SK_UDP) {
		judge(c, CK_SOCK, C_SOCKOPT, "getsockopt of a socket not UDP",
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
	if (!judge1(c, CK_SOCK, C_SOCKOPT, "getsockopt ANTIGONE_SO_ATTACH", e,
		    want)) {
		s->known = false;
		return;
	}
	if (!e)
		check_true(c, CK_SOCK, len == sizeof(got) &&
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

static void op_udpopt(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), opt, val, e, want = 0;
	socklen_t len = sizeof(val);
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	switch (rbelow(r, 4)) {
	case 0:
	case 1:
		opt = UDP_ENCAP;
		val = rpct(r, 85) ? (int)rbelow(r, 4) : (int)rint32(r);
		if (val < 0 || val > 3)
			want = ENOPROTOOPT;
		break;
	case 2:
		opt = UDP_GRO;
		val = rbelow(r, 2);
		break;
	default:
		opt = UDP_SEGMENT;
		val = rpct(r, 80) ? (int)rbelow(r, 2000) : (int)rint32(r);
		if (val < 0 || val > 65535)
			want = EINVAL;
		break;
	}
	if (rpct(r, 3)) {
		len = rbelow(r, sizeof(val));
		want = EINVAL;
	}
	e = setsockopt(s->fd, SOL_UDP, opt, &val, len) ? errno : 0;
	if (!s->known || s->kind != SK_UDP) {
		judge(c, CK_SOCK, C_SOCKOPT, "UDP option", e,
		      (const int[]){ 0, EINVAL, ENOPROTOOPT, EOPNOTSUPP, -1 });
		return;
	}
	if (!judge1(c, CK_SOCK, C_SOCKOPT, "UDP option", e, want)) {
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

static const int traffic_ok[] = {
	0, EPERM, EMSGSIZE, ENETUNREACH, EHOSTUNREACH, EDESTADDRREQ,
	ECONNREFUSED, EINVAL, EAGAIN, ENOBUFS, EAFNOSUPPORT, EADDRNOTAVAIL,
	ENOTCONN, EISCONN, EPIPE, EIO, EACCES, ENOPROTOOPT, EOPNOTSUPP,
	ECONNRESET, ENOMEM, -1
};

static uint8_t payload[65536];

static void op_send(struct ctx *c, struct rng *r)
{
	static const size_t sizes[] = { 0, 1, 16, 100, 1000, 1400, 1472, 1473,
					2000, 9000, 16000, 65000 };
	int i = pick_sock(c, r), e;
	struct sockaddr_storage ss;
	char cbuf[CMSG_SPACE(sizeof(uint16_t))] = { 0 };
	struct iovec iov;
	struct msghdr mh = { 0 };
	size_t n;

	if (i < 0)
		return;
	n = rpct(r, 80) ? rbelow(r, 200) :
	    sizes[rbelow(r, sizeof(sizes) / sizeof(sizes[0]))];
	rbytes(r, payload, n < 64 ? n : 64);
	iov = (struct iovec){ payload, n };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (rpct(r, 80)) {
		mh.msg_name = &ss;
		mh.msg_namelen = pick_dest(c, r, c->sk[i].fam,
					   c->sk[i].foreign, &ss);
	}
	if (rpct(r, 10)) {	/* GSO in segments of random size */
		struct cmsghdr *cm;
		uint16_t seg = 1 + rbelow(r, 1500);

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
		    (rpct(r, 8) ? MSG_MORE : 0)) < 0 ? errno : 0;
	judge(c, CK_TRAFFIC, C_TRAFFIC, "sendmsg", e, traffic_ok);
}

static void op_recv(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), flags = MSG_DONTWAIT, e;

	if (i < 0)
		return;
	if (rpct(r, 10))
		flags |= MSG_ERRQUEUE;
	if (rpct(r, 10))
		flags |= MSG_PEEK;
	if (rpct(r, 10))
		flags |= MSG_TRUNC;
	e = recv(c->sk[i].fd, payload, rpct(r, 10) ? 1 : sizeof(payload),
		 flags) < 0 ? errno : 0;
	judge(c, CK_TRAFFIC, C_TRAFFIC, "recv", e, traffic_ok);
}

/* A raw UDP datagram with lengths that may lie, to a selector. */
static void op_rawsend(struct ctx *c, struct rng *r)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t dg[8 + 64];
	struct udphdr *uh = (struct udphdr *)dg;
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP), e;
	size_t n = 8 + rbelow(r, 64);
	struct sel s;
	int k = rbelow(r, NPG);

	if (fd < 0) {
		judge(c, CK_SOCK, C_SOCKET, "raw socket", errno, socket_ok);
		return;
	}
	if (c->pg[k].exists && c->pg[k].p.nsel && rpct(r, 60))
		s = c->pg[k].p.sel[0];
	else
		shared_sel(r, &s);
	memcpy(&to.sin_addr, s.fam == 4 ? s.addr : lo4, 4);
	rbytes(r, dg, sizeof(dg));
	uh->dest = htons(s.port);
	uh->len = rpct(r, 50) ? htons(n) : (uint16_t)rnext(r);
	uh->check = 0;
	e = sendto(fd, dg, n, MSG_DONTWAIT, (struct sockaddr *)&to,
		   sizeof(to)) < 0 ? errno : 0;
	judge(c, CK_TRAFFIC, C_TRAFFIC, "raw sendto", e, traffic_ok);
	close(fd);
}

/* Raw, UDP-Lite, TCP and ping sockets: never attached. */
static void op_othersock(struct ctx *c, struct rng *r)
{
	static const struct { int type, proto; } kinds[] = {
		{ SOCK_RAW, IPPROTO_UDP }, { SOCK_DGRAM, IPPROTO_UDPLITE },
		{ SOCK_STREAM, IPPROTO_TCP }, { SOCK_DGRAM, IPPROTO_ICMP },
		{ SOCK_RAW, IPPROTO_RAW },
	};
	struct antigone_attach req = { 0 };
	int kd = rbelow(r, 5), fam = rpct(r, 50) ? AF_INET : AF_INET6;
	int proto = kinds[kd].proto, fd, e, level;
	socklen_t len = sizeof(req);

	if (fam == AF_INET6 && proto == IPPROTO_ICMP)
		proto = IPPROTO_ICMPV6;
	fd = socket(fam, kinds[kd].type | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		judge(c, CK_SOCK, C_SOCKET, "socket", errno, socket_ok);
		return;
	}
	snprintf(req.group_name, sizeof(req.group_name), "%s",
		 c->priv ? c->pg[rbelow(r, NPG)].p.name : "u.allow");
	if (!req.group_name[0])
		strcpy(req.group_name, "u.allow");
	level = fam == AF_INET6 && rpct(r, 50) ? SOL_IPV6 : SOL_IP;
	e = setsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	    errno : 0;
	judge(c, CK_SOCK, C_SOCKOPT, "attach of a socket not UDP", e,
	      (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	e = setsockopt(fd, level, ANTIGONE_SO_DETACH, NULL, 0) ? errno : 0;
	judge(c, CK_SOCK, C_SOCKOPT, "detach of a socket not UDP", e,
	      (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	e = getsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, &len) ? errno : 0;
	judge(c, CK_SOCK, C_SOCKOPT, "getsockopt of a socket not UDP", e,
	      (const int[]){ EOPNOTSUPP, ENOPROTOOPT, -1 });
	close(fd);
}

static void op_mcast(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), e, one = 1, lo = 1;
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	if (s->fam == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = 1 };
		uint8_t g[4] = { 239, rpct(r, 50) ? 1 : 2, rbelow(r, 4),
				 rbelow(r, 4) };

		memcpy(&m.imr_multiaddr, g, 4);
		switch (rbelow(r, 3)) {
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
		m.ipv6mr_multiaddr.s6_addr[13] = rpct(r, 50) ? 2 : c->w;
		m.ipv6mr_multiaddr.s6_addr[15] = rbelow(r, 4);
		if (rpct(r, 50))
			e = setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP,
				       &m, sizeof(m));
		else
			e = setsockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
				       &lo, sizeof(lo));
	}
	e = e ? errno : 0;
	judge(c, CK_TRAFFIC, C_TRAFFIC, "multicast option", e,
	      (const int[]){ 0, EADDRINUSE, ENODEV, EINVAL, ENOBUFS,
			     EADDRNOTAVAIL, ENOPROTOOPT, EOPNOTSUPP, -1 });
}

/* IP options grow the header the datapath parses; corking, checksums. */
static void op_ipopt(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), e, v = rbelow(r, 2);
	uint8_t opt[44];
	struct xsock *s;

	if (i < 0)
		return;
	s = &c->sk[i];
	switch (rbelow(r, 6)) {
	case 0:		/* NOPs, or anything, up to 44 bytes */
		memset(opt, IPOPT_NOP, sizeof(opt));
		if (rpct(r, 20))
			rbytes(r, opt, sizeof(opt));
		e = setsockopt(s->fd, IPPROTO_IP, IP_OPTIONS, opt,
			       rbelow(r, 45));
		break;
	case 1:
		v = (int[]){ IP_PMTUDISC_DONT, IP_PMTUDISC_DO,
			     IP_PMTUDISC_PROBE }[rbelow(r, 3)];
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
		v = rbelow(r, 256);
		e = setsockopt(s->fd, IPPROTO_IP, IP_TOS, &v, sizeof(v));
		break;
	}
	e = e ? errno : 0;
	judge(c, CK_TRAFFIC, C_TRAFFIC, "IP/UDP option", e,
	      (const int[]){ 0, EINVAL, ENOPROTOOPT, EPERM, ENODEV,
			     EOPNOTSUPP, -1 });
}

static void op_dup(struct ctx *c, struct rng *r)
{
	int i = pick_sock(c, r), j, fd;

	if (i < 0)
		return;
	fd = dup(c->sk[i].fd);
	if (fd < 0)
		return;
	j = free_slot(c, r);
	if (c->sk[i].fd < 0) {	/* free_slot closed the original */
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
static void op_roundtrip(struct ctx *c, struct rng *r)
{
	int fam = rpct(r, 50) ? AF_INET : AF_INET6, a, b, e, k = -1, i;
	struct antigone_attach req = { 0 };
	struct sockaddr_storage ss;
	char msg[1500], got[1600];
	uint16_t port = c->block + 56 + rbelow(r, 8);
	struct pollfd p;
	socklen_t sl;
	size_t n;
	double until;

	if (c->priv) {
		int start = rbelow(r, NPG);

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
	sl = mkaddr(fam, fam == AF_INET ? lo4 : lo6_, port, &ss);
	if (bind(a, (struct sockaddr *)&ss, sl))
		goto out;	/* one of ours has the port */
	e = setsockopt(a, SOL_IP, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	    errno : 0;
	if (!judge1(c, CK_SOCK, C_SOCKOPT, "round trip: attach receiver", e, 0))
		goto out;
	e = setsockopt(b, fam == AF_INET ? SOL_IP : SOL_IPV6,
		       ANTIGONE_SO_ATTACH, &req, sizeof(req)) ? errno : 0;
	if (!judge1(c, CK_SOCK, C_SOCKOPT, "round trip: attach sender", e, 0))
		goto out;
	n = 1 + rbelow(r, sizeof(msg) - 100);
	memset(msg, 'a' + rbelow(r, 26), n);
	snprintf(msg, sizeof(msg), "rt %s %d %ld", mode_name[c->mode], c->w,
		 c->op);
	e = sendto(b, msg, n, 0, (struct sockaddr *)&ss, sl) < 0 ? errno : 0;
	if (!judge1(c, CK_TRAFFIC, C_TRAFFIC, "round trip: send", e, 0))
		goto out;
	inc(&sh->roundtrips);
	for (until = now() + 10;;) {
		ssize_t got_n;

		p = (struct pollfd){ .fd = a, .events = POLLIN };
		if (poll(&p, 1, 100) == 1) {
			got_n = recv(a, got, sizeof(got), MSG_DONTWAIT);
			if (got_n == (ssize_t)n && !memcmp(got, msg, n)) {
				inc(&sh->checks[CK_TRAFFIC]);
				break;
			}
			if (got_n >= 0)
				continue;	/* someone else's */
		}
		if (now() > until) {
			fail(c, CK_TRAFFIC, "round trip over group %s (%s): "
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

/* ---- events ------------------------------------------------------------- */

static int events_open(void)
{
	int fd = nl_open(NULL);

	if (fd >= 0 && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				  &mcgrp_id, sizeof(mcgrp_id))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void op_events(struct ctx *c)
{
	for (;;) {
		ssize_t n = recv(c->ev, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);
		size_t left;
		uint8_t *p;

		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return;
		}
		for (p = rxbuf, left = n; left >= NLMSG_HDRLEN;) {
			struct nlmsghdr h;
			struct tb t;
			bool ok;

			memcpy(&h, p, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    h.nlmsg_len > left) {
				fail(c, CK_REPLY, "event nlmsg_len %u",
				     h.nlmsg_len);
				return;
			}
			ok = h.nlmsg_type == fam_id &&
			     p[NLMSG_HDRLEN] == ANTIGONE_CMD_EVENT &&
			     parse_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN,
					 h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
					 &t, ANTIGONE_A_MAX) &&
			     t.p[ANTIGONE_A_EVENT_TYPE] &&
			     t.l[ANTIGONE_A_EVENT_TYPE] == 1 &&
			     *t.p[ANTIGONE_A_EVENT_TYPE] >= 1 &&
			     *t.p[ANTIGONE_A_EVENT_TYPE] <= ANTIGONE_EV_KEY_STALE &&
			     t.p[ANTIGONE_A_GROUP_ID] &&
			     t.l[ANTIGONE_A_GROUP_ID] == 4 &&
			     get32(t.p[ANTIGONE_A_GROUP_ID]) &&
			     t.p[ANTIGONE_A_GROUP_NAME] &&
			     t.l[ANTIGONE_A_GROUP_NAME] >= 2 &&
			     t.l[ANTIGONE_A_GROUP_NAME] <= 16 &&
			     name_valid((const char *)t.p[ANTIGONE_A_GROUP_NAME]) &&
			     t.p[ANTIGONE_A_EVENT_EPOCH] &&
			     t.p[ANTIGONE_A_EVENT_SENDER];
			check_true(c, CK_REPLY, ok, "malformed event");
			inc(&sh->events);
			p += NLMSG_ALIGN(h.nlmsg_len) < left ?
			     NLMSG_ALIGN(h.nlmsg_len) : left;
			left -= NLMSG_ALIGN(h.nlmsg_len) < left ?
				NLMSG_ALIGN(h.nlmsg_len) : left;
		}
	}
}

/* ---- children: shared sockets, network namespaces ---------------------- */

static int lo_up(void)
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

static void reap(struct ctx *c, pid_t *pid, bool block, const char *what,
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
		fail(c, CK_PROCS, "%s: waitpid: %s", what, strerror(errno));
		return;
	}
	if (WIFSIGNALED(st))
		fail(c, CK_PROCS, "%s killed by signal %d (%s)", what,
		     WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		check_true(c, ck, WEXITSTATUS(st) == 0, "%s exited %d", what,
			   WEXITSTATUS(st));
	if (ck == CK_NSCHILD && WIFEXITED(st) && !WEXITSTATUS(st))
		inc(&sh->nschild_ok);
}

typedef void (*sockop)(struct ctx *c, struct rng *r);

/*
 * A fork sharing some of our sockets: attach, detach, replace the
 * encapsulation, send, close, racing with us; it exits with them open.
 */
static void op_fork(struct ctx *c, struct rng *r)
{
	static const sockop ops[] = {
		op_attach, op_detach, op_getopt, op_udpopt, op_send, op_send,
		op_recv, op_mcast, op_ipopt,
	};
	bool mine[NSOCK] = { false };
	pid_t pid;
	int i, n;

	reap(c, &c->forkchild, true, "fork child", CK_PROCS);
	for (i = 0; i < NSOCK; i++)
		if (c->sk[i].fd >= 0 && rpct(r, 60)) {
			mine[i] = true;
			c->sk[i].known = false;
		}
	inc(&sh->forks);
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
				sock_close(c, i);
		for (n = 5 + rbelow(r, 40); n; n--) {
			struct rng r2 = rng_for(c->mode, c->w, c->op, 1000 + n);

			if (rpct(&r2, 8)) {
				i = pick_sock(c, &r2);
				if (i >= 0)
					sock_close(c, i);
				continue;
			}
			ops[rbelow(&r2, sizeof(ops) / sizeof(ops[0]))](c, &r2);
		}
		_exit(0);
	}
	c->forkchild = pid;
	/* Some sockets now live on in the child alone. */
	for (i = 0; i < NSOCK; i++)
		if (mine[i] && rpct(r, 30))
			sock_close(c, i);
}

static int nl_simple(struct ctx *c, void (*fill)(struct ctx *c, void *arg),
		     uint8_t cmd, void *arg)
{
	size_t off = model_begin(c, cmd, 0);

	fill(c, arg);
	msg_end(msgbuf, off);
	return model_xfer(c, NULL);
}

struct nsg {
	struct gparams p;
	unsigned int keys;
	int k;
	uint8_t suite;
};

static void fill_new(struct ctx *c, void *arg)
{
	put_gparams(msgbuf, &((struct nsg *)arg)->p, false);
}

static void fill_key(struct ctx *c, void *arg)
{
	struct nsg *g = arg;
	uint8_t key[32] = { (uint8_t)g->keys };

	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, g->keys);
	a_put(msgbuf, ANTIGONE_A_KEY_DATA, key,
	      g->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32);
	a_u32(msgbuf, ANTIGONE_A_KEY_SENDER, 1 + g->k);
}

static void fill_keydel(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	a_u32(msgbuf, ANTIGONE_A_KEY_EPOCH, g->keys);
}

static void fill_hb(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	a_u64(msgbuf, ANTIGONE_A_HB_SEQ, 1);
	a_u32(msgbuf, ANTIGONE_A_HB_EPOCH, g->keys + (g->k & 1));
}

static void fill_relay(struct ctx *c, void *arg)
{
	struct nsg *g = arg;

	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, g->p.name);
	a_u16(msgbuf, ANTIGONE_A_GROUP_RELAY_PORT, 40000 + g->k);
	if (g->k & 1)
		a_u32(msgbuf, ANTIGONE_A_GROUP_HB_TIMEOUT_MS, 1);
}

static void fill_del(struct ctx *c, void *arg)
{
	a_str(msgbuf, ANTIGONE_A_GROUP_NAME, ((struct nsg *)arg)->p.name);
}

static int nsc_check(struct ctx *c, const char *what, int got, int want)
{
	return judge1(c, CK_NSCHILD, C_MODEL, what, got, want) ? 0 : 1;
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
	int fds[8], nfd = 0, ng = 1 + rbelow(r, 5), i, j, bad = 0;

	c->in_child = true;
	close(c->nl);
	close(c->ev);
	for (i = 0; i < NSOCK; i++)
		sock_close(c, i);
	if (unshare(CLONE_NEWNET))
		return 10;
	if (lo_up())
		return 11;
	c->nl = nl_open(r);
	if (c->nl < 0)
		return 12;
	for (i = 0; i < ng; i++) {
		gen_gparams(c, r, &g[i].p);
		snprintf(g[i].p.name, sizeof(g[i].p.name), "n%d", i);
		g[i].k = i;
		g[i].suite = g[i].p.suite < 0 ? 1 : g[i].p.suite;
		g[i].p.nsel = rbelow(r, 5);
		for (j = 0; j < (int)g[i].p.nsel; j++) {
			struct sel *s = &g[i].p.sel[j];

			shared_sel(r, s);
			if (s->fam == 4 && s->addr[0] != 127 && s->addr[0] != 239)
				sel_addr_v4(s, 127, 0, 0, 2 + j);
			s->port = 5000 + i * 16 + j;
		}
		bad += nsc_check(c, "netns GROUP_NEW",
				 nl_simple(c, fill_new, ANTIGONE_CMD_GROUP_NEW,
					   &g[i]), 0);
		for (g[i].keys = 1; g[i].keys <= rbelow(r, 4); g[i].keys++)
			bad += nsc_check(c, "netns KEY_ADD",
					 nl_simple(c, fill_key,
						   ANTIGONE_CMD_KEY_ADD, &g[i]),
					 0);
		g[i].keys--;
		if (g[i].keys && rpct(r, 25))
			bad += nsc_check(c, "netns KEY_DEL",
					 nl_simple(c, fill_keydel,
						   ANTIGONE_CMD_KEY_DEL, &g[i]),
					 0);
		if (rpct(r, 40))
			bad += nsc_check(c, "netns HEARTBEAT",
					 nl_simple(c, fill_hb,
						   ANTIGONE_CMD_HEARTBEAT,
						   &g[i]), 0);
		if (rpct(r, 40))
			bad += nsc_check(c, "netns GROUP_SET",
					 nl_simple(c, fill_relay,
						   ANTIGONE_CMD_GROUP_SET,
						   &g[i]), 0);
	}
	for (i = rbelow(r, 9); i; i--) {
		int fam = rpct(r, 50) ? AF_INET : AF_INET6;
		int fd = socket(fam, SOCK_DGRAM | SOCK_CLOEXEC, 0), v;
		struct antigone_attach req = { 0 };
		struct sockaddr_storage ss;
		socklen_t sl;
		struct nsg *to = &g[rbelow(r, ng)];

		if (fd < 0)
			return 13;
		if (rpct(r, 50)) {
			sl = mkaddr(fam, fam == AF_INET ? lo4 : lo6_,
				    5000 + rbelow(r, 80), &ss);
			bind(fd, (struct sockaddr *)&ss, sl);
		}
		snprintf(req.group_name, sizeof(req.group_name), "%s",
			 to->p.name);
		bad += nsc_check(c, "netns attach",
				 setsockopt(fd, SOL_IP, ANTIGONE_SO_ATTACH,
					    &req, sizeof(req)) ? errno : 0, 0);
		if (rpct(r, 25)) {
			v = rbelow(r, 4);
			bad += nsc_check(c, "netns UDP_ENCAP",
					 setsockopt(fd, SOL_UDP, UDP_ENCAP, &v,
						    sizeof(v)) ? errno : 0, 0);
		}
		if (rpct(r, 15))
			bad += nsc_check(c, "netns detach",
					 setsockopt(fd, SOL_IP,
						    ANTIGONE_SO_DETACH, NULL, 0) ?
					 errno : 0, 0);
		for (j = rbelow(r, 4); j; j--) {
			struct sel s = to->p.nsel ?
				to->p.sel[rbelow(r, to->p.nsel)] :
				(struct sel){ .fam = 4, .addr = { 127, 0, 0, 1 },
					      .port = 5000 };
			int seg = rpct(r, 20) ? 500 : 0;

			if (seg)
				setsockopt(fd, SOL_UDP, UDP_SEGMENT, &seg,
					   sizeof(seg));
			if (fam == AF_INET6 && s.fam == 4) {
				uint8_t m[16] = { [10] = 0xff, [11] = 0xff };

				memcpy(m + 12, s.addr, 4);
				sl = mkaddr(fam, m, s.port, &ss);
			} else {
				sl = mkaddr(fam, fam == AF_INET && s.fam == 6 ?
					    lo4 : s.addr, s.port, &ss);
			}
			judge(c, CK_TRAFFIC, C_TRAFFIC, "netns send",
			      sendto(fd, payload, seg ? 3000 : 100,
				     MSG_DONTWAIT, (struct sockaddr *)&ss, sl) <
			      0 ? errno : 0, traffic_ok);
		}
		if (rpct(r, 15))
			close(fd);
		else if (nfd < 8)
			fds[nfd++] = fd;
	}
	for (i = 0; i < ng; i++)
		if (rpct(r, 30))
			bad += nsc_check(c, "netns GROUP_DEL",
					 nl_simple(c, fill_del,
						   ANTIGONE_CMD_GROUP_DEL, &g[i]),
					 0);
	for (i = rbelow(r, 6); i; i--)
		op_fuzz(c, r, rpct(r, 20));
	/* Hand some sockets over: they keep this namespace alive. */
	if (usock >= 0 && nfd && rpct(r, 60)) {
		char cbuf[CMSG_SPACE(sizeof(int) * 8)] = { 0 };
		struct iovec iov = { (void *)"s", 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf };
		struct cmsghdr *cm;
		int n = 1 + rbelow(r, nfd);

		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
		if (sendmsg(usock, &mh, MSG_DONTWAIT) > 0)
			__atomic_fetch_add(&sh->fds_passed, n,
					   __ATOMIC_RELAXED);
	}
	return bad ? 20 : 0;
}

/* Takes what the last netns child handed over, or leaves it in flight. */
static void nschild_collect(struct ctx *c, struct rng *r)
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
	if (rpct(r, 20) || recvmsg(c->nsunix, &mh, MSG_DONTWAIT) <= 0) {
		close(c->nsunix);
		c->nsunix = -1;
		return;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int), i, fd;

		if (cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (i = 0; i < n; i++) {
			int slot = free_slot(c, r);
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

static void op_nschild(struct ctx *c, struct rng *r)
{
	int sv[2];
	pid_t pid;

	reap(c, &c->nschild, true, "netns child", CK_NSCHILD);
	nschild_collect(c, r);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		return;
	inc(&sh->nschild_started);
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

/* ---- one process ------------------------------------------------------- */

static void m_op(struct ctx *c, struct rng *r)
{
	int k = rbelow(r, NPG), p = rbelow(r, 100);
	const struct {
		int upto, kind;
		void (*fn)(struct ctx *c, struct rng *r, int k);
	} *e, live[] = {
		{ 3, OP_M_NEW, m_new }, { 10, OP_M_NEAR, m_near },
		{ 16, OP_M_DEL, m_del }, { 38, OP_M_KEYADD, m_keyadd },
		{ 46, OP_M_KEYDEL, m_keydel }, { 52, OP_M_KEYSET, m_keyset },
		{ 64, OP_M_HB, m_hb }, { 72, OP_M_SET, m_set },
		{ 100, OP_M_GET, m_get },
	}, gone[] = {
		{ 65, OP_M_NEW, m_new }, { 80, OP_M_NEAR, m_near },
		{ 100, OP_M_GONE, m_gone },
	};

	for (e = c->pg[k].exists ? live : gone; p >= e->upto; e++)
		;
	c->kind = e->kind;
	inc(&sh->ops[e->kind]);
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
	p = rbelow(r, total);
	for (e = t; p >= e->w; e++)
		p -= e->w;
	c->req = NULL;
	if (e->kind < 0) {
		m_op(c, r);
		return;
	}
	c->kind = e->kind;
	inc(&sh->ops[e->kind]);
	switch (e->kind) {
	case OP_FUZZ:
		op_fuzz(c, r, false);
		break;
	case OP_BATCH:
		op_fuzz(c, r, true);
		break;
	case OP_VALID:
		op_valid(c, r);
		break;
	case OP_DUMP:
		op_dump(c, r);
		break;
	case OP_DUMP_DROP:
		op_dump_drop(c, r);
		break;
	case OP_SOCK:
		op_sock(c, r);
		break;
	case OP_ATTACH:
		op_attach(c, r);
		break;
	case OP_DETACH:
		op_detach(c, r);
		break;
	case OP_GETOPT:
		op_getopt(c, r);
		break;
	case OP_UDPOPT:
		op_udpopt(c, r);
		break;
	case OP_SEND:
		op_send(c, r);
		break;
	case OP_RECV:
		op_recv(c, r);
		break;
	case OP_RAWSEND:
		op_rawsend(c, r);
		break;
	case OP_ROUNDTRIP:
		op_roundtrip(c, r);
		break;
	case OP_CLOSE: {
		int i = pick_sock(c, r);

		if (i >= 0)
			sock_close(c, i);
		break;
	}
	case OP_DUP:
		op_dup(c, r);
		break;
	case OP_FORK:
		op_fork(c, r);
		break;
	case OP_OTHERSOCK:
		op_othersock(c, r);
		break;
	case OP_NSCHILD:
		op_nschild(c, r);
		break;
	case OP_EVENTS:
		op_events(c);
		break;
	case OP_NLREOPEN:
		close(c->nl);
		c->nl = nl_open(r);
		break;
	case OP_MCAST:
		op_mcast(c, r);
		break;
	case OP_IPOPT:
		op_ipopt(c, r);
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
	struct wslot *slot = &sh->slot[mode][w];
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
		sock_reset(&c->sk[i]);
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
	c->nl = nl_open(NULL);
	c->ev = events_open();
	if (c->nl < 0 || c->ev < 0)
		return 4;
	slot->pid = getpid();
	slot->used = 1;
	for (i = 0; !g_iterations || i < g_iterations; i++) {
		struct rng r = rng_for(mode, w, i, 0);

		if (now() >= sh->deadline)
			break;
		c->op = i;
		slot->op = i;
		one_op(c, &r);
		slot->kind = c->kind;
		slot->done = i + 1;
		if (!(i % 64)) {
			reap(c, &c->forkchild, false, "fork child", CK_PROCS);
			reap(c, &c->nschild, false, "netns child", CK_NSCHILD);
		}
	}
	/* Wind down: children, sockets, then every group we made. */
	c->op = -1;
	c->req = NULL;
	{
		struct rng r = rng_for(mode, w, -1, 0);

		reap(c, &c->forkchild, true, "fork child", CK_PROCS);
		reap(c, &c->nschild, true, "netns child", CK_NSCHILD);
		nschild_collect(c, &r);
	}
	for (i = 0; i < NSOCK; i++)
		sock_close(c, i);
	for (k = 0; k < NPG; k++) {
		size_t off;

		if (!c->pg[k].exists)
			continue;
		off = model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);
		a_str(msgbuf, ANTIGONE_A_GROUP_NAME, c->pg[k].p.name);
		msg_end(msgbuf, off);
		judge1(c, CK_CLEAN, C_MODEL, "final GROUP_DEL of our group",
		       model_xfer(c, NULL), 0);
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

	if (!parse_group(d, len, &g, &why)) {
		fail(c, CK_REPLY, "final dump: %s", why);
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
	size_t off = model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);

	da->n = 0;
	msg_end(msgbuf, off);
	if (nl_xfer(c, c->nl, msgbuf, &x, on_dumpall, da))
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
		bad |= nl_simple(c, fill_new, ANTIGONE_CMD_GROUP_NEW, &g);
		bad |= nl_simple(c, fill_key, ANTIGONE_CMD_KEY_ADD, &g);
	}
	return bad;
}

static int leader(int mode, double hard)
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
		fail(c, CK_SETUP, "entering the namespace: step %d: %s", e,
		     strerror(errno));
		return 3;
	}
	if (lo_up())
		fail(c, CK_SETUP, "lo up: %s", strerror(errno));
	c->nl = nl_open(NULL);
	if (c->nl < 0 || make_ugroups(c)) {
		fail(c, CK_SETUP, "netlink in the namespace");
		return 4;
	}
	inc(&sh->checks[CK_SETUP]);
	c->req = NULL;
	for (w = 0; w < g_procs; w++) {
		/* The last of several has no CAP_NET_ADMIN. */
		bool priv = g_procs == 1 || w < g_procs - 1;

		pids[w] = 0;
		if (g_only >= 0 && w != g_only)
			continue;
		pids[w] = fork();
		if (pids[w] == 0) {
			close(c->nl);
			_exit(worker(mode, w, priv));
		}
		if (pids[w] > 0)
			alive++;
		else
			fail(c, CK_SETUP, "fork: %s", strerror(errno));
	}
	/* Reap, and end whatever still runs long after the deadline. */
	while (alive) {
		pid_t p = waitpid(-1, &st, WNOHANG);

		if (p < 0 && errno == ECHILD)
			break;
		if (p <= 0) {
			if (kill_time && now() > kill_time + 30) {
				/* Not even SIGKILL: stuck in the kernel. */
				for (w = 0; w < g_procs; w++) {
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
					fail(c, CK_PROCS, "process %d (pid %d) "
					     "stuck in the kernel in %s", w,
					     pids[w], wchan);
				}
				sh->stuck = 1;
				return 5;	/* no cleanup: it may hold locks */
			}
			if (now() > hard) {
				for (w = 0; w < g_procs; w++) {
					struct wslot *s = &sh->slot[mode][w];

					if (pids[w] <= 0)
						continue;
					fail(c, CK_PROCS, "process %d hung at "
					     "op %ld (%s): killed", w, s->op,
					     op_name[s->kind]);
					kill(pids[w], SIGKILL);
					killed[w] = true;
				}
				hard = 1e18;
				kill_time = now();
			}
			usleep(50 * 1000);
			continue;
		}
		for (w = 0; w < g_procs && pids[w] != p; w++)
			;
		if (w == g_procs)
			continue;	/* a stray grandchild */
		pids[w] = 0;
		alive--;
		inc(&sh->checks[CK_PROCS]);
		if (WIFSIGNALED(st) && !killed[w])
			fail(c, CK_PROCS, "process %d killed by signal %d (%s)",
			     w, WTERMSIG(st), strsignal(WTERMSIG(st)));
		else if (WIFEXITED(st) && WEXITSTATUS(st))
			fail(c, CK_PROCS, "process %d exited %d", w,
			     WEXITSTATUS(st));
	}
	/* What is left: ours (the u. groups) and garbage's (s...). */
	e = dump_all(c, da);
	judge1(c, CK_CLEAN, C_MODEL, "final dump", e, 0);
	for (i = 0; !e && i < da->n && i < 1100; i++) {
		struct nsg g;

		check_true(c, CK_CLEAN, da->name[i][0] != 'p',
			   "group %s left by its process", da->name[i]);
		snprintf(g.p.name, sizeof(g.p.name), "%s", da->name[i]);
		judge1(c, CK_CLEAN, C_MODEL, "final GROUP_DEL",
		       nl_simple(c, fill_del, ANTIGONE_CMD_GROUP_DEL, &g), 0);
	}
	e = dump_all(c, da);
	judge1(c, CK_CLEAN, C_MODEL, "dump after cleanup", e, 0);
	check_true(c, CK_CLEAN, !e && da->n == 0,
		   "%u groups left in the %s namespace", da->n,
		   mode_name[mode]);
	close(c->nl);
	free(da);
	free(c);
	return 0;
}

/* ---- main --------------------------------------------------------------- */

/* The family's id and its "events" group, from the genl controller. */
static int resolve_family(void)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct buf *b = calloc(1, sizeof(*b));
	struct nlmsghdr h;
	struct pollfd p;
	int fd = nl_open(NULL), ret = -1;
	ssize_t n;
	size_t off;

	if (!b || fd < 0)
		goto out;
	off = b->len;
	h = (struct nlmsghdr){ .nlmsg_type = GENL_ID_CTRL,
			       .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 };
	b_bytes(b, &h, sizeof(h));
	b_bytes(b, &(struct genlmsghdr){ .cmd = CTRL_CMD_GETFAMILY,
					 .version = 2 }, GENL_HDRLEN);
	a_str(b, CTRL_ATTR_FAMILY_NAME, ANTIGONE_GENL_NAME);
	msg_end(b, off);
	if (sendto(fd, bp(b), b->len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		goto out;
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		goto out;
	n = recv(fd, rxbuf, sizeof(rxbuf), 0);
	if (n < NLMSG_HDRLEN + GENL_HDRLEN)
		goto out;
	memcpy(&h, rxbuf, sizeof(h));
	if (h.nlmsg_type == GENL_ID_CTRL && h.nlmsg_len <= n) {
		struct tb t;

		if (!parse_attrs(rxbuf + NLMSG_HDRLEN + GENL_HDRLEN,
				 h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &t,
				 CTRL_ATTR_MAX) ||
		    !t.p[CTRL_ATTR_FAMILY_ID] || !t.p[CTRL_ATTR_MCAST_GROUPS])
			goto out;
		fam_id = get16(t.p[CTRL_ATTR_FAMILY_ID]);
		{
			const uint8_t *q = t.p[CTRL_ATTR_MCAST_GROUPS];
			size_t left = t.l[CTRL_ATTR_MCAST_GROUPS];

			while (left >= NLA_HDRLEN) {
				struct nlattr a;
				struct tb g;

				memcpy(&a, q, sizeof(a));
				if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
					break;
				if (parse_attrs(q + NLA_HDRLEN,
						a.nla_len - NLA_HDRLEN, &g,
						CTRL_ATTR_MCAST_GRP_MAX) &&
				    g.p[CTRL_ATTR_MCAST_GRP_NAME] &&
				    g.p[CTRL_ATTR_MCAST_GRP_ID] &&
				    !strcmp((const char *)
					    g.p[CTRL_ATTR_MCAST_GRP_NAME],
					    ANTIGONE_GENL_MCGRP_EVENTS))
					mcgrp_id = get32(g.p[CTRL_ATTR_MCAST_GRP_ID]);
				if (NLA_ALIGN(a.nla_len) >= left)
					break;
				q += NLA_ALIGN(a.nla_len);
				left -= NLA_ALIGN(a.nla_len);
			}
		}
		ret = fam_id && mcgrp_id ? 0 : -1;
	}
out:
	if (fd >= 0)
		close(fd);
	free(b);
	return ret;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--seed S] [--seconds N] [--iterations N] "
		"[--procs N] [--only P] [--mode root|userns|both] [--verbose]\n"
		"  default: ANTIGONE_FUZZ_SECONDS (60) s, 2 processes per CPU "
		"in each namespace\n", argv0);
	exit(2);
}

static void report(double secs)
{
	uint64_t total = 0;
	int i, m, w, col;

	for (i = 0; i < OP_MAX; i++)
		total += sh->ops[i];
	printf("# %llu ops in %.1f s: %.0f ops/s (%llu tagged round trips, "
	       "%llu events, %llu forks, %llu/%llu netns children ok, %llu "
	       "fds passed)\n", (unsigned long long)total, secs,
	       secs > 0 ? total / secs : 0.0,
	       (unsigned long long)sh->roundtrips,
	       (unsigned long long)sh->events, (unsigned long long)sh->forks,
	       (unsigned long long)sh->nschild_ok,
	       (unsigned long long)sh->nschild_started,
	       (unsigned long long)sh->fds_passed);
	{
		struct rusage ru;

		if (!getrusage(RUSAGE_CHILDREN, &ru))
			printf("# largest process: %ld MiB resident\n",
			       ru.ru_maxrss / 1024);
	}
	printf("# ops per kind:");
	for (i = 0, col = 0; i < OP_MAX; i++) {
		if (!sh->ops[i])
			continue;
		if (!(col++ % 6))
			printf("\n#  ");
		printf(" %s %llu", op_name[i], (unsigned long long)sh->ops[i]);
	}
	printf("\n# ops per namespace/process (replay one: --seed S --mode M "
	       "--procs N --only P --iterations OPS):");
	for (m = 0; m < M_MAX; m++)
		for (w = 0; w < MAXW; w++)
			if (sh->slot[m][w].used)
				printf(" %s/%d:%ld", mode_name[m], w,
				       sh->slot[m][w].done);
	printf("\n# results per class:\n");
	for (i = 0; i < C_MAX; i++) {
		unsigned int e;

		printf("#   %s:", cls_name[i]);
		for (e = 0; e < ERRN; e++)
			if (sh->errs[i][e])
				printf(" %s %llu",
				       e == ERRN - 1 ? "other" :
				       errname(e == ERRN - 2 ? -NOANSWER :
					       slot_errno(e)),
				       (unsigned long long)sh->errs[i][e]);
		printf("\n");
	}
	for (i = 0; i < (int)sh->nfail && i < NFAIL; i++)
		printf("# FAIL %s\n", sh->fail[i]);
	if (sh->nfail > NFAIL)
		printf("# ... and %u more failures\n", sh->nfail - NFAIL);
}

int main(int argc, char **argv)
{
	const char *env = getenv("ANTIGONE_FUZZ_SECONDS");
	double seconds = env ? atof(env) : 60, t0, hard;
	bool seed_given = false, seconds_given = false;
	int i, modes = 3, bad = 0;
	pid_t leaders[M_MAX] = { 0 };

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			g_verbose = true;
			continue;
		}
		if (!v)
			usage(argv[0]);
		i++;
		if (!strcmp(a, "--seed")) {
			g_seed = strtoull(v, NULL, 0);
			seed_given = true;
		} else if (!strcmp(a, "--seconds")) {
			seconds = atof(v);
			seconds_given = true;
		} else if (!strcmp(a, "--iterations")) {
			g_iterations = atol(v);
		} else if (!strcmp(a, "--procs")) {
			g_procs = atoi(v);
		} else if (!strcmp(a, "--only")) {
			g_only = atoi(v);
		} else if (!strcmp(a, "--mode")) {
			modes = !strcmp(v, "root") ? 1 : !strcmp(v, "userns") ?
				2 : !strcmp(v, "both") ? 3 : 0;
			if (!modes)
				usage(argv[0]);
		} else {
			usage(argv[0]);
		}
	}
	/* --iterations alone: as many ops as asked, however long they take. */
	if (g_iterations > 0 && !seconds_given)
		seconds = 0;
	if (!seed_given)
		g_seed = ((uint64_t)time(NULL) << 20) ^ getpid();
	if (g_procs <= 0)
		g_procs = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (g_procs < 1)
		g_procs = 2;
	if (g_procs > MAXW)
		g_procs = MAXW;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	msgbuf = calloc(1, sizeof(*msgbuf));
	if (sh == MAP_FAILED || !msgbuf)
		return 1;
	printf("1..%d\n", CK_MAX);
	printf("# ctlfuzz --seed %#llx --seconds %g --iterations %ld --procs %d "
	       "--mode %s (seconds/iterations 0: no limit)\n",
	       (unsigned long long)g_seed, seconds, g_iterations, g_procs,
	       modes == 3 ? "both" : mode_name[modes - 1]);
	if (resolve_family()) {
		printf("not ok 1 %s # family \"antigone\" unknown: is "
		       "antigone.ko loaded?\n", check_name[CK_SETUP]);
		for (i = 1; i < CK_MAX; i++)
			printf("ok %d %s # SKIP no module\n", i + 1,
			       check_name[i]);
		return 1;
	}
	t0 = now();
	/* The hammering ends a little before the time given, to wind down. */
	sh->deadline = seconds > 0 ? t0 + seconds - (seconds > 20 ? 5 : 0) :
		       1e18;
	hard = seconds > 0 ? sh->deadline + 120 : 1e18;
	for (i = 0; i < M_MAX; i++) {
		if (!(modes & (1 << i)))
			continue;
		leaders[i] = fork();
		if (leaders[i] == 0)
			_exit(leader(i, hard));
	}
	for (i = 0; i < M_MAX; i++) {
		pid_t p;
		int st;

		if (leaders[i] <= 0)
			continue;
		/* A leader whose process is stuck in the kernel gives up. */
		while ((p = waitpid(leaders[i], &st, WNOHANG)) == 0 &&
		       now() < hard + 90)
			usleep(100 * 1000);
		if (p <= 0) {
			fail(NULL, CK_PROCS, "%s namespace leader does not end",
			     mode_name[i]);
			sh->stuck = 1;
			continue;
		}
		inc(&sh->checks[CK_PROCS]);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			fail(NULL, CK_PROCS, "%s namespace leader: %s %d",
			     mode_name[i], WIFEXITED(st) ? "exited" : "signal",
			     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	if (sh->stuck) {
		/* The blocked tasks' stacks, into the kernel log. */
		vm_write_file("/proc/sysrq-trigger", "w");
		printf("# a process is stuck in the kernel: blocked tasks are "
		       "in dmesg (sysrq w)\n");
	}
	/* The module still answers in the initial namespace. */
	if (!sh->stuck) {
		struct ctx c0 = { .mode = M_ROOT, .w = -1, .op = -1 };
		struct collect colbuf = { 0 }, *col = &colbuf;
		struct xfer x = { .n = 1 };

		c0.nl = nl_open(NULL);
		x.seq0 = c0.seq;
		model_begin(&c0, ANTIGONE_CMD_GET_INFO, 0);
		msg_end(msgbuf, 0);
		if (c0.nl < 0 || nl_xfer(&c0, c0.nl, msgbuf, &x,
						 on_group, col))
			fail(NULL, CK_ALIVE, "GET_INFO not sent");
		else
			check_true(&c0, CK_ALIVE, !x.a[0].err && col->info_ok,
				   "GET_INFO: %s", errname(x.a[0].err));
		if (c0.nl >= 0)
			close(c0.nl);
	}
	report(now() - t0);
	for (i = 0; i < CK_MAX; i++) {
		bool ok = !sh->bad[i] && (sh->checks[i] || i == CK_NSCHILD);

		bad += !ok;
		printf("%sok %d %s (%llu checked%s%llu failed)\n", ok ? "" : "not ",
		       i + 1, check_name[i], (unsigned long long)sh->checks[i],
		       ", ", (unsigned long long)sh->bad[i]);
	}
	/* Namespaces die in a worker after their last process: let them. */
	sleep(1);
	munmap(sh, sizeof(*sh));
	free(msgbuf);
	return bad ? 1 : 0;
}
