/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shape of one group's session in antigoned, and what its roles
 * share. A session is a common head (the group's configuration, the
 * datapath, the transport, the sockets and the counters) and the state
 * of the one role the group has on this host: the leader's (leader.c,
 * relay.c) or the member's (member.c), never both.
 *
 * It handles no message of the paper: it sends the roles' messages,
 * installs the keys they got into the datapath and opens the relay
 * inlet. It exists apart from session.c, which dispatches to the roles,
 * so that the roles sit above what they use and below what calls them.
 */
#ifndef ANTIGONE_ROLE_HEAD_H
#define ANTIGONE_ROLE_HEAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"
#include "dp/datapath.h"
#include "lib/eloop.h"
#include "lib/ratelimit.h"
#include "mech/auth.h"
#include "mech/view.h"

struct session_stats {
	uint64_t dropped;		/* control datagrams refused */
	uint64_t sent_unicast, sent_multicast;
	uint64_t relayed;		/* app datagrams through RELAY */
	uint64_t relay_dropped;
	uint64_t rekeys;
};

struct session_relay;

struct session_peer {
	char id[PROTO_ID_LEN];
	struct sockaddr_storage addr;
	/* Replay windows over the datagrams it relays (epoch, sender, seq),
	 * made at its first relayed datagram (relay.c): a RELAY replayed by
	 * the network is not sent to the group again.
	 */
	struct session_relay *relay;
};

/* The leader's: leader.c's, and relay.c reads the view and the peers. */
/* A member's authentication request (1) forwarded to the TTP (2). */
struct session_pending {
	char id[PROTO_ID_LEN];
	struct sockaddr_storage addr;	/* where its 4 goes */
	uint64_t at_ms;
	bool settled;			/* the TTP's 3 came, or counted late */
};

struct session_leader {
	struct auth_leader al;
	struct leader_view view;
	struct crypto_sig_key *prg;
	uint8_t pug[PROTO_PUG_LEN];
	struct policy_block pb;
	struct session_peer *peers;	/* members, from their join */
	size_t npeers;
	struct session_pending pending[AUTH_PENDING_MAX];
	unsigned int next_pending;
	/* What an operator is told about the TTP (logs at most every
	 * LEADER_TTP_LOG_MS): requests it left unanswered, answers that
	 * did not open under this leader's key.
	 */
	unsigned long long ttp_unanswered, ttp_unopened;
	uint64_t ttp_logged_ms;
	char (*banned)[PROTO_ID_LEN];	/* ejected: may not join again */
	size_t nbanned;
	struct ratelimit limit;
	struct eloop_timer hb_timer;	/* its heartbeat (9) */
	struct eloop_timer rekey_timer;	/* the policy's rekey interval */
	struct eloop_timer fail_timer;	/* when a member may have failed */
	bool relay_refused;		/* the kernel relay said no, logged */
};

/*
 * Why a member is not joined yet, as far as it can tell: what its log,
 * status and `antigone join --wait` say.
 */
enum join_problem {
	JOIN_PENDING,			/* trying, nothing to say yet */
	JOIN_NO_ANSWER,			/* MEMBER_NO_ANSWER_TRIES of 1, no 4 */
	JOIN_BAD_KEY,			/* a 4 that opens under no K_ch of ours */
};

/* The member's: member.c's. */
struct session_member {
	struct member_state ms;
	bool leader_down;
	enum join_problem problem;	/* while not joined */
	unsigned int tries;		/* of 1 since the last join */
	unsigned int unopened;		/* 4s that did not open, ever */
	unsigned int asks;		/* key requests (10) since a key */
	struct eloop_timer try_timer;	/* authentication (1) until joined */
	struct eloop_timer hb_timer;	/* its heartbeat (8) */
	struct eloop_timer watch_timer;	/* when the leader may have failed */
	uint64_t next_ask_ms;		/* a rate limit: kernel-driven 10, 1/s */
};

struct session {
	const struct config *dcfg;
	const struct config_group *cfg;
	struct dp *dp;
	struct eloop *loop;		/* the sockets' and timers' */
	eloop_fd_fn readable;		/* what serves its sockets */
	uint8_t transport;		/* fixed for the session's life */
	int fd;				/* unicast control socket */
	int mfd;			/* member: group address, or -1 */
	int rfd;			/* relay inlet, or -1 */
	int xfd;			/* leader: forwarding socket, or -1 */
	uint16_t relay_port;
	uint8_t kernel_relay;		/* enum antigone_relay_mode in force */
	unsigned int mcast_ifindex;
	struct session_stats st;
	/* By cfg->role: only that role's state is ever used. */
	union {
		struct session_leader leader;
		struct session_member member;
	};
};

/* The length of a session key of @suite. */
size_t session_sk_len(uint8_t suite);
/* @addr (4 or 16 bytes) and @port as a socket address; its length. */
socklen_t sockaddr_set(struct sockaddr_storage *a, size_t addr_len,
		       const uint8_t *addr, uint16_t port);
/* The leader's peer of member @id, or NULL. */
struct session_peer *session_peer_find(struct session_leader *l,
				       const char *id);
/* @a's address as 4 or 16 bytes (v4-mapped: 4) into @out; its family,
 * or 0 if it is neither.
 */
int sockaddr_bytes(const struct sockaddr_storage *a, uint8_t out[16]);
/* One datagram on socket @fd; false if the kernel refused it. */
bool session_transmit_on(struct session *s, int fd,
			 const struct sockaddr_storage *to, const uint8_t *buf,
			 size_t len);
/* A control message on the session's socket, counted by how it travels. */
void session_send(struct session *s, const struct sockaddr_storage *to,
		  const uint8_t *buf, size_t len);
/*
 * A key into the datapath. -EEXIST: the key it holds, now under the
 * grant's sender index; an epoch the datapath had before makes the
 * kernel group anew (a leader that starts over).
 */
int session_install(struct session *s, const struct key_grant *k);
/* Socket @fd into the session's loop, served by s->readable. */
int session_watch(struct session *s, int fd);
/* Out of the loop, closed, and -1. */
void session_close_fd(struct session *s, int *fd);
/*
 * Arms a periodic timer for its next period: @period after its last
 * deadline, or after now if it fell behind; a zero period disarms it.
 */
void session_timer_next(struct session *s, struct eloop_timer *t,
			uint64_t period_ms, uint64_t now_ms);
/* A leader's sending socket @fd: which interface its multicast leaves by. */
int session_multicast_if(struct session *s, int fd);
/*
 * Sets up, or turns off, this host's relay for the transport: a member's
 * kernel sends its datagrams to the leader itself where it can (the
 * kernel relay), and the relay inlet takes the rest.
 */
void session_relay_setup(struct session *s);

#endif
