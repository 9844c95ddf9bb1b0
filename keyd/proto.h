/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encode and decode of the control protocol v1, messages 1-5, 6a-6c, 8-11
 * and RELAY (docs/control-protocol.md), with their encryption, MACs and
 * signatures (keyd/crypto.h).
 *
 * Encoders: proto_encode_X(msg, keys..., buf, cap, &len) validates msg
 * (-EINVAL: a non-canonical identity, a view number out of range, an
 * unknown suite, ...), writes one datagram and sets len; -ENOBUFS if cap
 * is too small.
 *
 * Decoders: proto_decode_X(buf, len, keys..., &msg) never reads outside
 * buf[0..len) and accepts only the exact layout. Errors, so that the
 * caller can count them by kind (decoders count nothing):
 *   -EMSGSIZE  shorter than the type's fixed part, longer than it allows,
 *              trailing bytes, a count that disagrees with the length
 *   -EPROTO    wrong magic, version or type, non-zero flags or reserved
 *              bytes, a non-canonical or inconsistent identity, a field
 *              out of its range
 *   -EBADMSG   an AEAD tag, MAC or signature that does not verify
 *   -E2BIG     a policy block with more than POLICY_MAX_SELECTORS
 *   -ENOENT    (6c only) no block for this member in this part
 * On failure the message struct is wiped. Identities are char[16], 1-15
 * characters NUL-padded (so also C strings); nonces and counters are
 * host-order integers, big endian on the wire.
 */
#ifndef ANTIGONE_PROTO_H
#define ANTIGONE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define PROTO_VERSION		1
#define PROTO_PORT		4510
#define PROTO_HDR_LEN		8
#define PROTO_ID_LEN		16
#define PROTO_VIEW_LEN		32	/* name, number, random */
#define PROTO_GRANT_LEN		45	/* sealed part of a block */
#define PROTO_BLOCK_LEN		89	/* X, nonce, grant, tag */
#define PROTO_SK_LEN		32
#define PROTO_PUG_LEN		CRYPTO_PUB_LEN
/* Largest UDP payload (65535 - 8), as tools/libwire. */
#define PROTO_DGRAM_MAX		65527
/* Default for the split of 6b and 6c: fits a 1500-byte MTU. */
#define PROTO_DGRAM_DEFAULT	1400
#define PROTO_POLICY_MAX	1024
#define POLICY_MAX_SELECTORS	16

/* Exact lengths; fixed parts of the variable ones. */
#define PROTO_AUTH_REQ_LEN	32
#define PROTO_PAIR_REQ_LEN	48
#define PROTO_PAIR_RESP_LEN	108
#define PROTO_AUTH_RESP_MIN	164	/* + policy block */
#define PROTO_JOIN_LEN		76
#define PROTO_KEY_LEN		153
#define PROTO_KEY_MEMBERS_MIN	159	/* + 16 per identity */
#define PROTO_REKEY_MIN		70	/* + 89 per block, >= 1 */
#define PROTO_MEMBER_HB_LEN	80
#define PROTO_LEADER_HB_LEN	112
#define PROTO_RETRANSMIT_LEN	56
#define PROTO_LEAVE_LEN		116
#define PROTO_RELAY_MIN		54	/* + datagram, >= 1 byte */

enum proto_type {
	PROTO_AUTH_REQ = 0x01,
	PROTO_PAIR_REQ = 0x02,
	PROTO_PAIR_RESP = 0x03,
	PROTO_AUTH_RESP = 0x04,
	PROTO_JOIN = 0x05,
	PROTO_MEMBER_HB = 0x08,
	PROTO_LEADER_HB = 0x09,
	PROTO_RETRANSMIT = 0x0a,
	PROTO_LEAVE = 0x0b,
	PROTO_RELAY = 0x0c,
	PROTO_KEY = 0x6a,
	PROTO_KEY_MEMBERS = 0x6b,
	PROTO_REKEY = 0x6c,
};

/* View id g: the view number is also the kernel's key epoch. */
struct view_id {
	char name[PROTO_ID_LEN];	/* the group name, canonical */
	uint64_t number;		/* 1 .. 2^32 - 1 */
	uint64_t rnd;
};

/* ---- policy block (message 4) ------------------------------------------- */

/* GG's bits: join 1, leave 2, failure 4, eject 8, time 16 (policy.h). */
enum policy_tlv {
	POLICY_TLV_GG = 1,		/* u8 bitmask */
	POLICY_TLV_SG = 2,		/* u8 enum antigone_guarantee */
	POLICY_TLV_RK = 3,		/* u32 rekey interval, ms */
	POLICY_TLV_HB = 4,		/* u32 heartbeat interval, ms */
	POLICY_TLV_MM = 5,		/* u8 0/1 */
	POLICY_TLV_FP = 6,		/* u8 0..3 */
	POLICY_TLV_SUITE = 7,		/* u8 enum antigone_suite */
	POLICY_TLV_TRANSPORT = 8,	/* u8 1..3 */
	POLICY_TLV_MISSES = 9,		/* u8 >= 1 */
	POLICY_TLV_SELECTOR = 10,	/* address (4/16) || port; repeats */
	POLICY_TLV_GRACE = 11,		/* u32 ms */
	POLICY_TLV_GROUP_ADDR = 12,	/* address (4 or 16) || port */
};

#define POLICY_TLV_HAS(p, t)	(((p)->present >> (t)) & 1)

struct policy_selector {
	uint8_t addr_len;	/* 4 or 16 */
	uint8_t addr[16];
	uint16_t port;
};

/*
 * The policy block of message 4 as sent: the leader's configured policy
 * (keyd/policy.h) minus what only the leader applies. Only the fields whose
 * bit (1 << type) is set in present exist on the wire; SELECTOR is present
 * iff nselectors > 0.
 */
struct policy_block {
	uint32_t present;
	uint8_t gg, sg, mm, fp, suite, transport, misses;
	uint32_t rk_ms, hb_ms, grace_ms;
	uint8_t nselectors;
	struct policy_selector selectors[POLICY_MAX_SELECTORS];
	uint8_t group_addr_len;	/* 4 or 16 */
	uint8_t group_addr[16];
	uint16_t group_port;	/* != 0 */
};

/* TLVs in type order, selectors in array order; at most PROTO_POLICY_MAX. */
int proto_policy_encode(const struct policy_block *p, uint8_t *buf,
			size_t cap, size_t *len);
/* Skips unknown types; rejects a known one twice (but SELECTOR). */
int proto_policy_decode(const uint8_t *buf, size_t len,
			struct policy_block *p);

/* ---- identities and header ---------------------------------------------- */

/* Whether id[0..16) is canonical: name_valid() and NUL-padded. */
bool proto_id_valid(const char id[PROTO_ID_LEN]);
/* id from a C string: -EINVAL unless name_valid(name). */
int proto_id_set(char id[PROTO_ID_LEN], const char *name);
/*
 * Checks the header of any message and gives its type and, when the
 * message has one in clear, the identity the receiver looks its channel
 * up by (A; the block's member for 6a and 6b), else all zero (6c, 9).
 * Nothing is authenticated yet.
 */
int proto_peek(const uint8_t *buf, size_t len, uint8_t *type,
	       char id[PROTO_ID_LEN]);

/* ---- 1-5: authentication and join --------------------------------------- */

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

/* ---- 6a-6c: key distribution -------------------------------------------- */

/* The sealed content of block(X). */
struct key_grant {
	uint32_t epoch;		/* = the view number of g */
	uint32_t sender;	/* X's sender index under this key */
	uint8_t suite;		/* enum antigone_suite */
	uint32_t lifetime_ms;
	uint8_t sk[PROTO_SK_LEN];	/* all 32 bytes key MAC_SK */
};

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

/* Called once per datagram, parts in order; non-zero stops the encoder. */
typedef int (*proto_emit_fn)(const uint8_t *dgram, size_t len,
			     unsigned int part, void *arg);

int proto_encode_key(const struct msg_key *m,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		     size_t cap, size_t *len);
int proto_decode_key(const uint8_t *buf, size_t len,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_key *m);

/*
 * How many datagrams of at most max_dgram bytes 6b or 6c needs for count
 * identities (6b: 0 gives 1; 6c: count > 0), or -EMSGSIZE if not even one
 * fits or more than 65535 would be needed; -EINVAL for max_dgram > 65527.
 * These return a count, not 0.
 */
int proto_key_members_parts(size_t count, size_t max_dgram);
int proto_rekey_parts(size_t count, size_t max_dgram);

/*
 * Splits m into proto_*_parts() datagrams of at most max_dgram bytes,
 * each complete and verifiable alone, and emits them in order. -EINVAL
 * also for duplicate identities (or A among the others, for 6b).
 */
int proto_encode_key_members(const struct msg_key_members *m,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     size_t max_dgram, proto_emit_fn emit, void *arg);
int proto_decode_key_members(const uint8_t *buf, size_t len,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     struct msg_key_members_part *m);
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

/* ---- 8-11, RELAY --------------------------------------------------------- */

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

struct msg_leave {			/* 11: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	struct view_id g;
	char b[PROTO_ID_LEN];		/* zero: A leaves; else eject */
};

struct msg_relay {			/* 0x0c: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	uint16_t port;			/* != 0 */
	const uint8_t *data;		/* the protected 7a-7c datagram */
	size_t len;			/* >= 1 */
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
int proto_encode_leave(const struct msg_leave *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len);
int proto_decode_leave(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_leave *m);
int proto_encode_relay(const struct msg_relay *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len);
/* The datagram is decrypted into data[0..cap); m->data points there. */
int proto_decode_relay(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_relay *m,
		       uint8_t *data, size_t cap);

#endif
