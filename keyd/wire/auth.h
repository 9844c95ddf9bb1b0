/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages 1-5: authentication and join (docs/control-protocol.md). A asks
 * SL (1), SL asks the TTP for their pair key (2, 3), SL answers A under the
 * new channel key with the view, PuG and the policy block (4), and A joins
 * (5). One mechanism, one file; the state machines are keyd/mech/auth.h
 * and keyd/mech/ttp.h.
 */
#ifndef ANTIGONE_WIRE_AUTH_H
#define ANTIGONE_WIRE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"
#include "policy_block.h"

#define PROTO_PUG_LEN		CRYPTO_PUB_LEN

/* Exact lengths; the fixed part of 4. */
#define PROTO_AUTH_REQ_LEN	32
#define PROTO_PAIR_REQ_LEN	48
#define PROTO_PAIR_RESP_LEN	108
#define PROTO_AUTH_RESP_MIN	164	/* + policy block */
#define PROTO_JOIN_LEN		76

struct msg_auth_req {			/* 1: A -> SL, unauthenticated */
	char a[PROTO_ID_LEN];
	uint64_t i0;
};

struct msg_pair_req {			/* 2: SL -> TTP, unauthenticated */
	char sl[PROTO_ID_LEN];
	char a[PROTO_ID_LEN];
	uint64_t i1;
};

struct msg_pair_resp {			/* 3: TTP -> SL, K_ttp(SL) */
	char sl[PROTO_ID_LEN];
	char a[PROTO_ID_LEN];
	uint8_t pi[CRYPTO_BLOCK_LEN];	/* key material: wipe */
	uint64_t i1;
	char role[PROTO_ID_LEN];	/* A's role in the registry */
};

struct msg_auth_resp {			/* 4: SL -> A, under K_ch */
	char sl[PROTO_ID_LEN];
	char a[PROTO_ID_LEN];
	struct view_id g;
	uint64_t i0, i2;
	uint8_t pug[PROTO_PUG_LEN];
	struct policy_block policy;
};

struct msg_join {			/* 5: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	uint64_t i2;
};

int proto_encode_auth_req(const struct msg_auth_req *m, uint8_t *buf,
			  size_t cap, size_t *len);
int proto_decode_auth_req(const uint8_t *buf, size_t len,
			  struct msg_auth_req *m);
int proto_encode_pair_req(const struct msg_pair_req *m, uint8_t *buf,
			  size_t cap, size_t *len);
int proto_decode_pair_req(const uint8_t *buf, size_t len,
			  struct msg_pair_req *m);
int proto_encode_pair_resp(const struct msg_pair_resp *m,
			   const uint8_t k_ttp[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_pair_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ttp[CRYPTO_KEY_LEN],
			   struct msg_pair_resp *m);
int proto_encode_auth_resp(const struct msg_auth_resp *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_auth_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_auth_resp *m);
int proto_encode_join(const struct msg_join *m,
		      const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		      size_t cap, size_t *len);
int proto_decode_join(const uint8_t *buf, size_t len,
		      const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_join *m);

#endif
