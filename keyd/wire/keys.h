/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages 6a and 6b: the leader hands a member the group's key (6a KEY,
 * after a join or on request), with the view's other members (6b
 * KEY_MEMBERS, split into parts). Both carry block(X), the grant sealed
 * under X's channel key, and a MAC under the key itself, as 6c does
 * (keyd/wire/rekey.h); the group's rekey is there.
 */
#ifndef ANTIGONE_WIRE_KEYS_H
#define ANTIGONE_WIRE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"


/* The exact length of 6a; the fixed part of 6b. */
#define PROTO_KEY_LEN		153
#define PROTO_KEY_MEMBERS_MIN	159	/* + 16 per identity */

struct msg_key {			/* 6a: SL -> A */
	struct view_id g;
	uint64_t s_sl;
	char a[PROTO_ID_LEN];
	struct key_grant key;
};

/* 6b to encode: every member of the view but A and the leader. */
struct msg_key_members {
	struct view_id g;
	uint64_t s_sl;
	char a[PROTO_ID_LEN];
	struct key_grant key;
	size_t count;
	const char (*members)[PROTO_ID_LEN];
};

/* One decoded 6b datagram; members point into the datagram. */
struct msg_key_members_part {
	struct view_id g;
	uint64_t s_sl;
	char a[PROTO_ID_LEN];
	struct key_grant key;
	uint16_t part, parts, count;
	const char (*members)[PROTO_ID_LEN];
};

int proto_encode_key(const struct msg_key *m,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		     size_t cap, size_t *len);
int proto_decode_key(const uint8_t *buf, size_t len,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_key *m);

/*
 * How many datagrams of at most max_dgram bytes 6b needs for count
 * identities (0 gives 1), or -EMSGSIZE if not even one fits or more than
 * 65535 would be needed; -EINVAL for max_dgram > 65527. Returns a count,
 * not 0. As proto_rekey_parts() for 6c.
 */
int proto_key_members_parts(size_t count, size_t max_dgram);

/*
 * Splits m into proto_key_members_parts() datagrams of at most max_dgram
 * bytes, each complete and verifiable alone, and emits them in order.
 * -EINVAL also for duplicate identities or A among the others.
 */
int proto_encode_key_members(const struct msg_key_members *m,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     size_t max_dgram, proto_emit_fn emit, void *arg);
int proto_decode_key_members(const uint8_t *buf, size_t len,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     struct msg_key_members_part *m);

#endif
