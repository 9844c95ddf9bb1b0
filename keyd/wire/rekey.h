/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message 6c: the rekey. After a membership change the leader sends the
 * new view's key to the whole group at once, one block(X) per member,
 * split into parts that each carry whole blocks and a MAC under the new
 * key SK'. Apart from 6a and 6b (keyd/wire/keys.h) since a member reads it
 * differently: it finds its own block first, and a part without one can
 * only be checked once another part gave SK'.
 */
#ifndef ANTIGONE_WIRE_REKEY_H
#define ANTIGONE_WIRE_REKEY_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "keys.h"
#include "lib/crypto.h"

#define PROTO_REKEY_MIN		70	/* + 89 per block, >= 1 */

struct rekey_member {
	char id[PROTO_ID_LEN];
	uint32_t sender;
	const uint8_t *k_ch;		/* CRYPTO_KEY_LEN bytes */
};

/* 6c to encode; key.sender is unused (each member has its own). */
struct msg_rekey {
	struct view_id g;		/* the new view */
	uint64_t s_sl;
	struct key_grant key;
	size_t count;
	const struct rekey_member *members;
};

/* One decoded 6c datagram; blocks point into the datagram. */
struct msg_rekey_part {
	struct view_id g;
	uint64_t s_sl;
	uint16_t part, parts, count;
	const uint8_t *dgram;		/* for the blocks' AAD */
	const uint8_t *blocks;		/* count * PROTO_BLOCK_LEN */
};

/*
 * How many datagrams of at most max_dgram bytes 6c needs for count > 0
 * blocks, or -EMSGSIZE if not even one fits or more than 65535 would be
 * needed; -EINVAL for max_dgram > 65527. Returns a count, not 0. As
 * proto_key_members_parts() for 6b.
 */
int proto_rekey_parts(size_t count, size_t max_dgram);

/*
 * Splits m into proto_rekey_parts() datagrams of at most max_dgram bytes,
 * each complete and verifiable alone, and emits them in order. -EINVAL
 * also for duplicate identities.
 */
int proto_encode_rekey(const struct msg_rekey *m, size_t max_dgram,
		       proto_emit_fn emit, void *arg);

/*
 * A member's way in: finds its own block in the part, opens it with its
 * channel key, and checks the part's MAC with the SK it found. -ENOENT
 * (and nothing verified) if the part has no block for self: keep it and
 * check it with proto_decode_rekey() once another part gave SK'.
 */
int proto_decode_rekey_self(const uint8_t *buf, size_t len,
			    const char self[PROTO_ID_LEN],
			    const uint8_t k_ch[CRYPTO_KEY_LEN],
			    struct msg_rekey_part *m, struct key_grant *key);
/*
 * The leader's own 6c part, unverified: the number of blocks and, in
 * *ids, the first block's identity (the next ones PROTO_BLOCK_LEN apart).
 * 0 if buf is not a well-sized 6c.
 */
size_t proto_rekey_peek_ids(const uint8_t *buf, size_t len,
			    const uint8_t **ids);
/* Verifies a part under a known SK' (the MAC key). */
int proto_decode_rekey(const uint8_t *buf, size_t len,
		       const uint8_t sk[PROTO_SK_LEN],
		       struct msg_rekey_part *m);
/* The identity of block i of a decoded part (a C string). */
const char *proto_rekey_id(const struct msg_rekey_part *m, unsigned int i);
/* The index of id's block in a decoded part, or -ENOENT. */
int proto_rekey_find(const struct msg_rekey_part *m,
		     const char id[PROTO_ID_LEN]);
/* Opens block i of a decoded part: -EBADMSG, -EPROTO. */
int proto_rekey_open(const struct msg_rekey_part *m, unsigned int i,
		     const uint8_t k_ch[CRYPTO_KEY_LEN],
		     struct key_grant *key);

#endif
