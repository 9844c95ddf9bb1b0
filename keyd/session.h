/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One configured group's role in antigoned, leader or member: the
 * micro-protocols (auth.h, view.h, member.h) bound to a UDP socket, the
 * clock and the datapath.
 */
#ifndef ANTIGONE_SESSION_H
#define ANTIGONE_SESSION_H

#include <stdio.h>

#include "config.h"
#include "datapath.h"
#include "member.h"
#include "ratelimit.h"
#include "view.h"

struct session_peer {
	char id[PROTO_ID_LEN];
	struct sockaddr_storage addr;
};

struct session {
	const struct config *dcfg;
	const struct config_group *cfg;
	struct dp *dp;
	int fd;
	uint64_t next_hb_ms, next_try_ms, next_rekey_ms;
	uint64_t dropped;
	/* leader */
	struct auth_leader al;
	struct leader_view view;
	struct crypto_sig_key *prg;
	uint8_t pug[PROTO_PUG_LEN];
	struct policy_block pb;
	struct session_peer *peers;
	size_t npeers;
	struct ratelimit limit;
	/* member */
	struct member_state ms;
	bool leader_down;
};

int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 uint64_t now_ms);
void session_on_readable(struct session *s, uint64_t now_ms);
void session_tick(struct session *s, uint64_t now_ms);
void session_status_json(const struct session *s, FILE *out);
/* A member says goodbye (11); everything is wiped. */
void session_close(struct session *s);

#endif
