/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol v1 (docs/control-protocol.md): what every message
 * shares. Its sizes and types, the view id, identities and proto_peek();
 * below them the codec_* helpers the files of keyd/wire/ build their
 * messages with (integers, the header, identities, view ids, and the
 * prefix, AEAD and MAC shapes several messages share). Each mechanism's
 * messages are in a file of their own, all gathered by wire/proto.h.
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
 *
 * Decoders check in a fixed order: header, then lengths, then the clear
 * fields that need no key, then the tag, MAC or signature, and only then
 * what the authenticated content says. So every truncation or cut is
 * -EMSGSIZE where the length alone shows it, and a forged message costs
 * at most one AEAD, MAC or signature check before it is refused.
 */
#ifndef ANTIGONE_WIRE_CODEC_H
#define ANTIGONE_WIRE_CODEC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/crypto.h"

#define PROTO_VERSION		1
#define PROTO_PORT		4510
#define PROTO_HDR_LEN		8
#define PROTO_ID_LEN		16
#define PROTO_VIEW_LEN		32	/* name, number, random */
/* Largest UDP payload (65535 - 8), as tools/libwire. */
#define PROTO_DGRAM_MAX		65527
/* Default for the split of 6b and 6c: fits a 1500-byte MTU. */
#define PROTO_DGRAM_DEFAULT	1400

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
	PROTO_TIME_REQ = 0x0d,		/* 7d: docs/sender-authenticity.md */
	PROTO_TIME_RESP = 0x0e,
	PROTO_CHAIN = 0x0f,
	PROTO_CHAIN_ANNOUNCE = 0x10,
	PROTO_DISCLOSE = 0x11,
	PROTO_CHAIN_REQ = 0x12,
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

/* block(X), in 6a, 6b and 6c: a key grant sealed under X's channel key. */
#define PROTO_GRANT_LEN		45	/* sealed part of a block */
#define PROTO_BLOCK_LEN		89	/* X, nonce, grant, tag */
#define PROTO_SK_LEN		32

/* The sealed content of block(X). */
struct key_grant {
	uint32_t epoch;		/* = the view number of g */
	uint32_t sender;	/* X's sender index under this key */
	uint8_t suite;		/* enum antigone_suite */
	uint32_t lifetime_ms;
	uint8_t sk[PROTO_SK_LEN];	/* all 32 bytes key MAC_SK */
};

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

/* ---- keyd/wire/ only: the helpers its messages share --------------------- */

/*
 * Static inline here, not out of line in codec.c, so that the message
 * files inline them as the old keyd/proto.c did when it held them all. Out of
 * line, the frames of later calls moved, and a stale copy of a session
 * key deep down the stack (under libcrypto's frames), which they used to
 * overwrite, stayed: selftests/host/relay.c's no_key_survives_the_session
 * failed about one run in four.
 */

/* H || g || S: how 6a-6c and 8-9 begin (and what 6a-6c blocks bind). */
#define CODEC_PREFIX_LEN	(PROTO_HDR_LEN + PROTO_VIEW_LEN + 8)

/* Big-endian integers. */
static inline void codec_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void codec_put32(uint8_t *p, uint32_t v)
{
	codec_put16(p, (uint16_t)(v >> 16));
	codec_put16(p + 2, (uint16_t)v);
}

static inline void codec_put64(uint8_t *p, uint64_t v)
{
	codec_put32(p, (uint32_t)(v >> 32));
	codec_put32(p + 4, (uint32_t)v);
}

static inline uint16_t codec_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t codec_get32(const uint8_t *p)
{
	return (uint32_t)codec_get16(p) << 16 | codec_get16(p + 2);
}

static inline uint64_t codec_get64(const uint8_t *p)
{
	return (uint64_t)codec_get32(p) << 32 | codec_get32(p + 4);
}

/* H of a message of this type: magic, version, type, zero flags. */
static inline void codec_put_hdr(uint8_t *p, uint8_t type)
{
	p[0] = 'A';
	p[1] = 'G';
	p[2] = PROTO_VERSION;
	p[3] = type;
	memset(p + 4, 0, 4);
}

static inline bool codec_type_known(uint8_t type)
{
	switch (type) {
	case PROTO_AUTH_REQ: case PROTO_PAIR_REQ: case PROTO_PAIR_RESP:
	case PROTO_AUTH_RESP: case PROTO_JOIN: case PROTO_MEMBER_HB:
	case PROTO_LEADER_HB: case PROTO_RETRANSMIT: case PROTO_LEAVE:
	case PROTO_RELAY: case PROTO_KEY: case PROTO_KEY_MEMBERS:
	case PROTO_REKEY: case PROTO_TIME_REQ: case PROTO_TIME_RESP:
	case PROTO_CHAIN: case PROTO_CHAIN_ANNOUNCE: case PROTO_DISCLOSE:
	case PROTO_CHAIN_REQ:
		return true;
	}
	return false;
}

/* The header of any message: magic, version, a known type, zero flags. */
static inline int codec_check_hdr(const uint8_t *buf, size_t len)
{
	if (len < PROTO_HDR_LEN)
		return -EMSGSIZE;
	if (buf[0] != 'A' || buf[1] != 'G' || buf[2] != PROTO_VERSION ||
	    !codec_type_known(buf[3]) || buf[4] || buf[5] || buf[6] ||
	    buf[7])
		return -EPROTO;
	return 0;
}

/* The header of a message of this type, and its length in [min, max]. */
static inline int codec_check_type(const uint8_t *buf, size_t len,
				   uint8_t type, size_t min, size_t max)
{
	int ret = codec_check_hdr(buf, len);

	if (ret)
		return ret;
	if (buf[3] != type)
		return -EPROTO;
	if (len < min || len > max)
		return -EMSGSIZE;
	return 0;
}

static inline bool codec_id_eq(const void *a, const void *b)
{
	return !memcmp(a, b, PROTO_ID_LEN);
}

/* A wire identity into out: -EPROTO unless canonical. */
static inline int codec_get_id(char *out, const uint8_t *p)
{
	if (!proto_id_valid((const char *)p))
		return -EPROTO;
	memcpy(out, p, PROTO_ID_LEN);
	return 0;
}

/*
 * Whether n identities at base, stride bytes apart, hold a duplicate: 1,
 * 0, or -ENOMEM.
 */
int codec_ids_dup(const uint8_t *base, size_t n, size_t stride);

/* A canonical name and a view number in 1 .. 2^32 - 1. */
static inline bool codec_view_valid(const struct view_id *g)
{
	return proto_id_valid(g->name) && g->number >= 1 &&
	       g->number <= UINT32_MAX;
}

static inline void codec_put_view(uint8_t *p, const struct view_id *g)
{
	memcpy(p, g->name, PROTO_ID_LEN);
	codec_put64(p + 16, g->number);
	codec_put64(p + 24, g->rnd);
}

/* g from the wire: -EPROTO unless codec_view_valid(). */
static inline int codec_get_view(const uint8_t *p, struct view_id *g)
{
	memcpy(g->name, p, PROTO_ID_LEN);
	g->number = codec_get64(p + 16);
	g->rnd = codec_get64(p + 24);
	return codec_view_valid(g) ? 0 : -EPROTO;
}

/* H || g || S at buf. */
static inline void codec_put_prefix(uint8_t *buf, uint8_t type,
				    const struct view_id *g, uint64_t s)
{
	codec_put_hdr(buf, type);
	codec_put_view(buf + PROTO_HDR_LEN, g);
	codec_put64(buf + PROTO_HDR_LEN + PROTO_VIEW_LEN, s);
}

/* g and S of a datagram whose length was checked. */
static inline int codec_get_prefix(const uint8_t *buf, struct view_id *g,
				   uint64_t *s)
{
	*s = codec_get64(buf + PROTO_HDR_LEN + PROTO_VIEW_LEN);
	return codec_get_view(buf + PROTO_HDR_LEN, g);
}

/*
 * The common shape H || ids (aad_len bytes in all) || n || AEAD(pt) of
 * 3-5, 11 and RELAY: seals pt_len bytes of pt into buf, whose first
 * aad_len bytes are written.
 */
static inline int codec_seal_tail(const uint8_t *key, uint8_t *buf,
				  size_t aad_len, const uint8_t *pt,
				  size_t pt_len)
{
	return crypto_aead_seal(key, buf + aad_len, buf, aad_len, pt, pt_len,
				buf + aad_len + CRYPTO_NONCE_LEN);
}

/* Opens the same shape: pt gets len - aad_len - 28 bytes. */
static inline int codec_open_tail(const uint8_t *key, const uint8_t *buf,
				  size_t len, size_t aad_len, uint8_t *pt)
{
	return crypto_aead_open(key, buf + aad_len, buf, aad_len,
				buf + aad_len + CRYPTO_NONCE_LEN,
				len - aad_len - CRYPTO_NONCE_LEN, pt);
}

/*
 * 0 if the computed MAC equals the CRYPTO_MAC_LEN bytes received at got.
 * The copy reads them in our own (sanitized) code, not only inside
 * libcrypto.
 */
static inline int codec_mac_equal(const uint8_t *mac, const uint8_t *got)
{
	uint8_t copy[CRYPTO_MAC_LEN];

	memcpy(copy, got, sizeof(copy));
	return crypto_memeq(mac, copy, sizeof(copy));
}

/*
 * What the encoders of messages split into parts (6b, 6c) call once per
 * datagram, parts in order; non-zero stops the encoder.
 */
typedef int (*proto_emit_fn)(const uint8_t *dgram, size_t len,
			     unsigned int part, void *arg);

#endif
