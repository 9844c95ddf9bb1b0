/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session's leader, what session.c calls on it (its state is struct
 * session_leader, head.h). The leader answers authentication (1, 3 from
 * the TTP, 5; it asks the TTP with 2 and answers with 4), hands out keys
 * (6a, 6b, 6c) by the group's rekey policy, sends heartbeats (9), hears
 * the members' heartbeats (8), key requests (10) and leave or eject
 * requests (11), declares silent members failed, and ejects. RELAY goes
 * to relay.h.
 */
#ifndef ANTIGONE_ROLE_LEADER_H
#define ANTIGONE_ROLE_LEADER_H

#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "wire/proto.h"

struct session;

/* Before the sockets: identity, K_SL, policy block, view, PrG. */
int leader_open(struct session *s, const uint8_t key[CRYPTO_KEY_LEN]);
/* After the control socket is bound to @port: the rest, own key. */
int leader_start(struct session *s, uint16_t port, uint64_t now_ms);
void leader_datagram(struct session *s, const uint8_t *in, size_t len,
		     const struct sockaddr_storage *from, uint64_t now_ms);
void leader_reload(struct session *s, uint64_t now_ms);
int leader_rekey(struct session *s);
/* -ENOENT: no such member. */
int leader_eject(struct session *s, const char id[PROTO_ID_LEN]);
void leader_status_json(const struct session *s, uint64_t now_ms,
			FILE *out);
void leader_status_text(const struct session *s, uint64_t now_ms,
			FILE *out);
/* Frees and wipes what the leader holds (not the sockets). */
void leader_close(struct session *s);

#endif
