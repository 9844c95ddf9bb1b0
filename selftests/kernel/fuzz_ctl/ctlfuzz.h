/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of ctlfuzz share (the control-plane fuzzer; its main and
 * what it does are in kernel/ctlfuzz.c). The parts, one concern a file:
 *   check.c     the names of checks, classes and ops; counters, failures,
 *               judging a result against the errnos allowed
 *   rng.c       the generator seeded by (seed, namespace, process, op)
 *   nlmsg.c     building generic netlink messages, sending, reading acks
 *   reply.c     replies and events parsed and checked for well-formedness
 *   names.c     names, ports, selectors and group settings requests use
 *   garbage.c   garbage requests and batches
 *   valid.c     valid-shaped requests on the shared groups
 *   model.c     the modelled groups only one process changes, and dumps
 *   sockets.c   sockets, ANTIGONE_SO_ATTACH/DETACH, getsockopt, UDP options
 *   traffic.c   sends, receives, other socket kinds, tagged round trips
 *   children.c  fork children on shared sockets, netns children
 *   proc.c      one process (the op mix, its loop) and one namespace's
 *               leader (its processes, reaping, the final cleanup)
 * What one part gives another is named cf_*.
 */
#ifndef ANTIGONE_SELFTESTS_CTLFUZZ_H
#define ANTIGONE_SELFTESTS_CTLFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/antigone.h>

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

/* ---- checks, counters, failures (shared by every process) ------------- */

enum check {
	CK_SETUP, CK_VALID, CK_MODEL, CK_FUZZ, CK_REPLY, CK_SOCK, CK_TRAFFIC,
	CK_NSCHILD, CK_PROCS, CK_CLEAN, CK_ALIVE, CK_MAX
};

enum cls { C_MODEL, C_VALID, C_PERM, C_FUZZ, C_SOCKOPT, C_TRAFFIC, C_SOCKET,
	   C_MAX };

enum opkind {
	OP_FUZZ, OP_BATCH, OP_VALID, OP_PERM, OP_M_NEW, OP_M_NEAR, OP_M_DEL,
	OP_M_KEYADD, OP_M_KEYDEL, OP_M_KEYSET, OP_M_HB, OP_M_SET, OP_M_GET,
	OP_M_GONE, OP_DUMP, OP_DUMP_DROP, OP_SOCK, OP_ATTACH, OP_DETACH,
	OP_GETOPT, OP_UDPOPT, OP_SEND, OP_RECV, OP_RAWSEND, OP_ROUNDTRIP,
	OP_CLOSE, OP_DUP, OP_FORK, OP_OTHERSOCK, OP_NSCHILD, OP_EVENTS,
	OP_NLREOPEN, OP_MCAST, OP_IPOPT, OP_MAX
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

/* Set by main (ctlfuzz.c) from the command line, before any fork. */
extern struct shared *cf_sh;	/* mmap()ed: every process counts into it */
extern uint16_t cf_fam_id;	/* the "antigone" family's id */
extern uint32_t cf_mcgrp_id;	/* its "events" multicast group */
extern uint64_t cf_seed;
extern long cf_iterations;
extern int cf_procs;
extern int cf_only;		/* run only this process of each namespace */
extern bool cf_verbose;

/* ---- deterministic randomness (rng.c) --------------------------------- */

struct rng {
	uint64_t s;
};

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

/* ---- netlink messages and their transport (nlmsg.c) ------------------- */

#define BUFCAP 65536
struct buf {
	size_t len;
	bool full;
	uint32_t w[BUFCAP / 4];
};

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

/* ---- parsing replies (reply.c) ----------------------------------------- */

/* An attribute table of any one space (the largest is the stats'). */
#define TB_SLOTS 32
struct tb {
	const uint8_t *p[TB_SLOTS];
	uint16_t l[TB_SLOTS];
	int dup;
};

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

/* A group a netns child or a leader sets up (children.c, proc.c). */
struct nsg {
	struct gparams p;
	unsigned int keys;
	int k;
	uint8_t suite;
};

/* check.c: names, counters, failures, judging */
extern const char *const cf_mode_name[M_MAX];
extern const char *const cf_check_name[CK_MAX];
extern const char *const cf_cls_name[C_MAX];
extern const char *const cf_op_name[OP_MAX];
void cf_inc(uint64_t *p);
int cf_slot_errno(unsigned int i);
const char *cf_errname(int e);
void cf_fail(struct ctx *c, int ck, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cf_count_err(int cls, int e);
bool cf_judge(struct ctx *c, int ck, int cls, const char *what, int got,
	      const int *set);
bool cf_judge1(struct ctx *c, int ck, int cls, const char *what, int got,
	       int want);
void cf_check_true(struct ctx *c, int ck, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* rng.c: deterministic randomness, the clock */
uint64_t cf_rnext(struct rng *r);
uint32_t cf_rbelow(struct rng *r, uint32_t n);
bool cf_rpct(struct rng *r, unsigned int pct);
void cf_rbytes(struct rng *r, void *p, size_t n);
struct rng cf_rng_for(int mode, int w, long op, uint64_t salt);
uint32_t cf_rint32(struct rng *r);
double cf_now(void);

/* nlmsg.c: building messages, the transport */
extern struct buf *cf_msgbuf;	/* one per process: 64 KiB off the stack */
extern uint8_t cf_rxbuf[256 * 1024];
uint8_t *cf_bp(struct buf *b);
void cf_b_bytes(struct buf *b, const void *d, size_t n);
void cf_b_pad(struct buf *b);
size_t cf_msg_begin(struct buf *b, uint16_t flags, uint32_t seq,
		    uint8_t cmd, uint8_t version, uint16_t reserved);
void cf_msg_end(struct buf *b, size_t off);
size_t cf_a_begin(struct buf *b, uint16_t type);
void cf_a_end(struct buf *b, size_t off);
/* A nest (NLA_F_NESTED set), ended by cf_a_end(). */
size_t cf_nest_begin(struct buf *b, uint16_t type);
void cf_put_group_name(struct buf *b, const char *name);
void cf_a_put(struct buf *b, uint16_t type, const void *d, size_t n);
void cf_a_u8(struct buf *b, uint16_t t, uint8_t v);
void cf_a_u16(struct buf *b, uint16_t t, uint16_t v);
void cf_a_u32(struct buf *b, uint16_t t, uint32_t v);
void cf_a_u64(struct buf *b, uint16_t t, uint64_t v);
void cf_a_str(struct buf *b, uint16_t t, const char *s);
int cf_nl_open(struct rng *r);
int cf_nl_xfer(struct ctx *c, int fd, struct buf *b, struct xfer *x,
	       data_cb cb, void *arg);

/* reply.c: replies and events */
bool cf_parse_attrs(const uint8_t *d, size_t len, struct tb *t, int max);
uint32_t cf_get32(const uint8_t *p);
uint16_t cf_get16(const uint8_t *p);
bool cf_parse_group(const uint8_t *d, size_t len, struct kgroup *g,
		    const char **why);
void cf_on_group(struct ctx *c, void *arg, int idx, uint8_t cmd,
		 const uint8_t *d, size_t len, uint16_t flags);
int cf_events_open(void);
void cf_op_events(struct ctx *c);

/* names.c: names, ports, selectors, group settings */
void cf_shared_name(struct rng *r, char out[ANTIGONE_NAME_MAX + 1]);
size_t cf_garbage_name(struct rng *r, uint8_t *out, size_t cap);
void cf_sel_addr_v4(struct sel *s, uint8_t a, uint8_t b, uint8_t c2,
		    uint8_t d);
void cf_shared_sel(struct rng *r, struct sel *s);
void cf_priv_sel(struct ctx *c, struct rng *r, int k, int j, struct sel *s);
void cf_put_gattrs(struct buf *b, const struct gparams *p, bool empty_sel);
void cf_put_gparams(struct buf *b, const struct gparams *p, bool empty_sel);
void cf_gen_gparams(struct ctx *c, struct rng *r, struct gparams *p);

/* garbage.c */
void cf_op_fuzz(struct ctx *c, struct rng *r, bool batch);

/* valid.c */
uint32_t cf_shared_id(struct ctx *c, struct rng *r);
void cf_valid_attrs(struct ctx *c, struct rng *r, struct buf *b,
		    uint8_t cmd);
bool cf_is_admin(uint8_t cmd);
uint8_t cf_valid_cmd(struct rng *r);
void cf_op_valid(struct ctx *c, struct rng *r);

/* model.c: the modelled groups */
int cf_model_xfer(struct ctx *c, struct collect *col);
size_t cf_model_begin(struct ctx *c, uint8_t cmd, uint16_t extra);
void cf_m_new(struct ctx *c, struct rng *r, int k);
void cf_m_near(struct ctx *c, struct rng *r, int k);
void cf_m_del(struct ctx *c, struct rng *r, int k);
void cf_m_keyadd(struct ctx *c, struct rng *r, int k);
void cf_m_keydel(struct ctx *c, struct rng *r, int k);
void cf_m_keyset(struct ctx *c, struct rng *r, int k);
void cf_m_hb(struct ctx *c, struct rng *r, int k);
void cf_m_set(struct ctx *c, struct rng *r, int k);
void cf_m_get(struct ctx *c, struct rng *r, int k);
void cf_m_gone(struct ctx *c, struct rng *r, int k);
void cf_op_dump(struct ctx *c, struct rng *r);
void cf_op_dump_drop(struct ctx *c, struct rng *r);

/* sockets.c */
/* 16 bytes each: a selector copies an address of either size. */
extern const uint8_t cf_lo4[16], cf_lo6[16];
extern const int cf_socket_ok[];
socklen_t cf_mkaddr(int fam, const uint8_t *a, uint16_t port,
		    struct sockaddr_storage *ss);
void cf_sock_reset(struct xsock *s);
void cf_sock_close(struct ctx *c, int i);
int cf_free_slot(struct ctx *c, struct rng *r);
int cf_pick_sock(struct ctx *c, struct rng *r);
socklen_t cf_pick_dest(struct ctx *c, struct rng *r, int fam,
		       bool foreign, struct sockaddr_storage *ss);
void cf_op_sock(struct ctx *c, struct rng *r);
void cf_op_attach(struct ctx *c, struct rng *r);
void cf_op_detach(struct ctx *c, struct rng *r);
void cf_op_getopt(struct ctx *c, struct rng *r);
void cf_op_udpopt(struct ctx *c, struct rng *r);

/* traffic.c */
extern const int cf_traffic_ok[];
extern uint8_t cf_payload[65536];
void cf_op_send(struct ctx *c, struct rng *r);
void cf_op_recv(struct ctx *c, struct rng *r);
void cf_op_rawsend(struct ctx *c, struct rng *r);
void cf_op_othersock(struct ctx *c, struct rng *r);
void cf_op_mcast(struct ctx *c, struct rng *r);
void cf_op_ipopt(struct ctx *c, struct rng *r);
void cf_op_dup(struct ctx *c, struct rng *r);
void cf_op_roundtrip(struct ctx *c, struct rng *r);

/* children.c: fork and netns children */
int cf_lo_up(void);
void cf_reap(struct ctx *c, pid_t *pid, bool block, const char *what,
	     int ck);
void cf_op_fork(struct ctx *c, struct rng *r);
int cf_nl_simple(struct ctx *c, void (*fill)(struct ctx *c, void *arg),
		 uint8_t cmd, void *arg);
void cf_fill_new(struct ctx *c, void *arg);
void cf_fill_key(struct ctx *c, void *arg);
void cf_fill_del(struct ctx *c, void *arg);
void cf_nschild_collect(struct ctx *c, struct rng *r);
void cf_op_nschild(struct ctx *c, struct rng *r);

/* proc.c: one process, one namespace */
int cf_leader(int mode, double hard);

#endif
