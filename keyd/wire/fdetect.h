/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages 8-10: failure detection (docs/control-protocol.md). Members
 * prove they are alive to the leader (8 MEMBER_HB), the leader signs its
 * own heartbeat to the group (9 LEADER_HB), and a member that missed a key
 * asks for it again (10 RETRANSMIT). The state machines, both sides, are
 * keyd/mech/fdetect.h.
 */
#ifndef ANTIGONE_WIRE_FDETECT_H
#define ANTIGONE_WIRE_FDETECT_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"

/* Exact lengths. */
#define PROTO_MEMBER_HB_LEN	80
#define PROTO_LEADER_HB_LEN	112
#define PROTO_RETRANSMIT_LEN	56

struct msg_member_hb {			/* 8: A -> SL, HMAC under K_ch */
	struct view_id g;
	uint64_t s_a;
	char a[PROTO_ID_LEN];
};

struct msg_leader_hb {			/* 9: SL -> group, Sig(PrG) */
	struct view_id g;
	uint64_t s_sl;
};

struct msg_retransmit {			/* 10: A -> SL, in clear */
	struct view_id g;
	char a[PROTO_ID_LEN];
};

int proto_encode_member_hb(const struct msg_member_hb *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_member_hb(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_member_hb *m);
int proto_encode_leader_hb(const struct msg_leader_hb *m,
			   const struct crypto_sig_key *prg, uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_leader_hb(const uint8_t *buf, size_t len,
			   const struct crypto_sig_key *pug,
			   struct msg_leader_hb *m);
int proto_encode_retransmit(const struct msg_retransmit *m, uint8_t *buf,
			    size_t cap, size_t *len);
int proto_decode_retransmit(const uint8_t *buf, size_t len,
			    struct msg_retransmit *m);

#endif
