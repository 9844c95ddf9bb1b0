/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One configured group's role in antigoned, leader or member: the
 * micro-protocols (auth.h, view.h, member.h) bound to UDP sockets, the
 * clock, the datapath and the group's transport (paper section 7).
 *
 * Transports, as docs/DESIGN.md explains: members always reach the leader
 * by unicast; the leader sends what is for the whole group (6c, 9) once to
 * the group address under the symmetric and asymmetric transports, and a
 * copy to each member under point-to-point. Hosts that cannot multicast
 * (members under asymmetric, everyone under point-to-point) have their
 * kernel hand the protected application datagrams to the daemon's relay
 * inlet; a member sends them to the leader in RELAY messages, and the
 * leader re-sends them to the group from a forwarding socket.
 */
#ifndef ANTIGONE_SESSION_H
#define ANTIGONE_SESSION_H

#include <stdio.h>

#include "config.h"
#include "datapath.h"
#include "member.h"
#include "ratelimit.h"
#include "view.h"

#define SESSION_MAX_FDS 3
/* Datagrams one socket is served at a time before timers run again. */
#define SESSION_BATCH 64
/* Unanswered key requests (10) before a member joins again. */
#define MEMBER_MAX_ASKS 10

struct session_relay;

struct session_peer {
	char id[PROTO_ID_LEN];
	struct sockaddr_storage addr;
	/* Replay windows over the datagrams it relays (epoch, sender, seq),
	 * made at its first relayed datagram: a RELAY replayed by the
	 * network is not sent to the group again.
	 */
	struct session_relay *relay;
};

struct session_stats {
	uint64_t dropped;		/* control datagrams refused */
	uint64_t sent_unicast, sent_multicast;
	uint64_t relayed;		/* app datagrams through RELAY */
	uint64_t relay_dropped;
	uint64_t rekeys;
};

struct session {
	const struct config *dcfg;
	const struct config_group *cfg;
	struct dp *dp;
	uint8_t transport;		/* fixed for the session's life */
	int fd;				/* unicast control socket */
	int mfd;			/* group address socket, or -1 */
	int rfd;			/* relay inlet, or -1 */
	int xfd;			/* leader's forwarding socket, or -1 */
	uint16_t relay_port;
	unsigned int mcast_ifindex;
	uint64_t next_hb_ms, next_try_ms, next_rekey_ms;
	struct session_stats st;
	/* leader */
	struct auth_leader al;
	struct leader_view view;
	struct crypto_sig_key *prg;
	uint8_t pug[PROTO_PUG_LEN];
	struct policy_block pb;
	struct session_peer *peers;	/* members, from their join */
	size_t npeers;
	struct session_peer pending[AUTH_PENDING_MAX];	/* sources of 1 */
	unsigned int next_pending;
	char (*banned)[PROTO_ID_LEN];	/* ejected: may not join again */
	size_t nbanned;
	struct ratelimit limit;
	/* member */
	struct member_state ms;
	bool leader_down;
	unsigned int asks;		/* key requests (10) since a key */
	uint64_t next_ask_ms;		/* kernel-driven requests: 1/s */
};

/* 0, or a negative errno with everything released and wiped. */
int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 uint64_t now_ms);
/* The sockets to poll (-1 for none); session_on_readable() serves them. */
void session_fds(const struct session *s, int fds[SESSION_MAX_FDS]);
void session_on_readable(struct session *s, int fd, uint64_t now_ms);
void session_tick(struct session *s, uint64_t now_ms);
/*
 * Operator requests. A leader rekeys or ejects by itself; a member asks
 * its leader to eject (11), which the leader's eject policy decides.
 * 0, or a negative errno (-ENOENT: no such member; -EPERM: not a leader).
 */
int session_rekey(struct session *s);
/*
 * An event of the kernel datapath for this group: a member whose kernel
 * sees a newer epoch, or whose key expired or went stale, asks the leader
 * for the key (10); a stale heartbeat is reported.
 */
void session_on_event(struct session *s, const struct kernel_event *ev,
		      uint64_t now_ms);
/*
 * After SIGHUP changed cfg->policy: the leader applies its rekey rules,
 * intervals, heartbeats and failure detection from now on; transport,
 * suite and guarantee stay as the members were told.
 */
void session_reload(struct session *s, uint64_t now_ms);
int session_eject(struct session *s, const char *id);
void session_status_json(const struct session *s, uint64_t now_ms,
			 FILE *out);
void session_status_text(const struct session *s, uint64_t now_ms,
			 FILE *out);
/* A member says goodbye (11); everything is wiped. */
void session_close(struct session *s);

#endif
