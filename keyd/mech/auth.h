/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The authentication and join micro-protocols (messages 1-5), both sides,
 * without I/O: each function takes a received datagram and the time, and
 * produces the datagram to send. The roles' event loops do the sending,
 * which keeps every step testable on its own.
 */
#ifndef ANTIGONE_MECH_AUTH_H
#define ANTIGONE_MECH_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "wire/proto.h"

#define AUTH_PENDING_MAX	64	/* half-open authentications */
#define AUTH_PENDING_MS		5000	/* before a slot is reclaimed */

struct auth_pending {
	bool used;
	bool answered;			/* 4 sent: waiting for 5 */
	char a[PROTO_ID_LEN];
	uint64_t i0, i1, i2;
	uint8_t k_ch[CRYPTO_KEY_LEN];
	char role[PROTO_ID_LEN];	/* from the TTP (3) */
	uint64_t since_ms;
};

struct auth_leader {
	char sl[PROTO_ID_LEN];
	uint8_t k_sl[CRYPTO_KEY_LEN];
	struct auth_pending pending[AUTH_PENDING_MAX];
};

/* 1 -> 2: a PAIR_REQ for the TTP. -EBUSY: too many half-open. */
int auth_leader_on_auth_req(struct auth_leader *l, const uint8_t *in,
			    size_t len, uint64_t now_ms, uint8_t *out,
			    size_t cap, size_t *out_len);
/* 3 -> 4: the AUTH_RESP for the member, who is named in @a. */
int auth_leader_on_pair_resp(struct auth_leader *l, const uint8_t *in,
			     size_t len, const struct view_id *g,
			     const uint8_t pug[PROTO_PUG_LEN],
			     const struct policy_block *policy, uint8_t *out,
			     size_t cap, size_t *out_len,
			     char a[PROTO_ID_LEN]);
/*
 * 5: admits @a, whose channel key is @k_ch and whose role the TTP named
 * (@role); the slot is freed (I2 used).
 */
int auth_leader_on_join(struct auth_leader *l, const uint8_t *in, size_t len,
			char a[PROTO_ID_LEN], uint8_t k_ch[CRYPTO_KEY_LEN],
			char role[PROTO_ID_LEN]);
void auth_leader_wipe(struct auth_leader *l);

/*
 * Each try of 1 has a fresh I0; the answer (4) to any of the last few
 * still joins. With only the newest, a leader and TTP more than one retry
 * interval away (a satellite hop) would answer every try too late.
 */
#define AUTH_I0_KEEP		8

struct auth_member {
	char a[PROTO_ID_LEN];
	char sl[PROTO_ID_LEN];
	uint8_t k_a[CRYPTO_KEY_LEN];
	uint64_t i0;
	uint64_t i0_old[AUTH_I0_KEEP];	/* earlier tries' unanswered I0s */
	uint8_t k_ch[CRYPTO_KEY_LEN];
	bool joined;
	struct msg_auth_resp resp;	/* g, PuG and policy from 4 */
};

/* -> 1 with a fresh I0. */
int auth_member_start(struct auth_member *m, uint8_t *out, size_t cap,
		      size_t *out_len);
/*
 * 4 -> 5: checks I0 (this try's or one of the AUTH_I0_KEEP before),
 * derives K_ch, keeps g, PuG and the policy. -EBADMSG: it opens under the
 * K_ch of none of them (a wrong long-term key, or not an answer to us).
 */
int auth_member_on_auth_resp(struct auth_member *m, const uint8_t *in,
			     size_t len, uint8_t *out, size_t cap,
			     size_t *out_len);
void auth_member_wipe(struct auth_member *m);

#endif
