/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session's member, what session.c calls on it (its state is struct
 * session_member, head.h). The member authenticates and joins (1, 4,
 * 5), takes keys (6a, 6b, 6c) into the datapath, sends heartbeats (8),
 * checks the leader's (9) and notices a failed leader, asks for the key
 * (10), asks to leave or eject (11), and sends its host's application
 * datagrams to the leader in RELAY. The state machine itself, without
 * I/O, is ../member.h.
 */
#ifndef ANTIGONE_ROLE_MEMBER_H
#define ANTIGONE_ROLE_MEMBER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dp/kernel_nl.h"
#include "wire/proto.h"

/* Unanswered key requests (10) before a member joins again. */
#define MEMBER_MAX_ASKS 10

struct session;

/* Before the sockets: identities, K_A, timers. */
int member_open(struct session *s, const uint8_t key[CRYPTO_KEY_LEN]);
/* After the control socket is open: authentication (1) begins. */
void member_start(struct session *s, uint64_t now_ms);
void member_datagram(struct session *s, const uint8_t *in, size_t len,
		     uint64_t now_ms);
/* Whether a kernel event says our key is behind the leader's. */
bool member_behind(const struct session *s, const struct kernel_event *ev);
/* Asks the leader for the key (10), at most once a second. */
void member_ask_key(struct session *s, uint64_t now_ms);
/* Asks the leader to eject @id (11). -ENOTCONN if not joined. */
int member_ask_eject(struct session *s, const char id[PROTO_ID_LEN]);
/*
 * One of this host's datagrams from the relay inlet, to the leader in
 * RELAY; false if it could not be (not joined).
 */
bool member_relay(struct session *s, struct msg_relay *r);
void member_status_json(const struct session *s, FILE *out);
void member_status_text(const struct session *s, FILE *out);
/* Says goodbye (11) if joined; frees what the member holds. */
void member_close(struct session *s);

#endif
