/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sender authenticity (7d), its control messages 0x0d-0x12
 * (docs/sender-authenticity.md, "Control messages"): the time
 * synchronisation with the leader (TIME_REQ, TIME_RESP, under K_ch), a
 * member's chain commitment (CHAIN, under K_ch), the leader's signed
 * announcement of chains to the group (CHAIN_ANNOUNCE, split into parts,
 * Sig with PrG), the idle sender's key disclosure (DISCLOSE, in clear:
 * the chain authenticates the key) and a receiver's request for a chain
 * it lacks (CHAIN_REQ, in clear, rate limited by the leader).
 */
#ifndef ANTIGONE_WIRE_TESLA_H
#define ANTIGONE_WIRE_TESLA_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"

#define PROTO_TESLA_KEY_LEN	16
#define PROTO_TESLA_ENTRY_LEN	48

/* Exact lengths; CHAIN_ANNOUNCE is PROTO_CHAIN_ANNOUNCE_MIN + 48 per entry. */
#define PROTO_TIME_REQ_LEN	108
#define PROTO_TIME_RESP_LEN	116
#define PROTO_CHAIN_LEN		132
#define PROTO_CHAIN_ANNOUNCE_MIN	118	/* prefix, counts, Sig */
#define PROTO_DISCLOSE_LEN	52
#define PROTO_CHAIN_REQ_LEN	64

/* Ranges an entry's schedule must be in (kmod/tesla.h's, in wire units). */
#define PROTO_TESLA_T_MIN_US	1000u
#define PROTO_TESLA_T_MAX_US	10000000u
#define PROTO_TESLA_CHAIN_MIN	16u
#define PROTO_TESLA_CHAIN_MAX	65536u

/* One chain of one sender: what the leader vouches for. */
struct tesla_entry {
	uint32_t epoch;			/* 1 .. g's view number */
	uint32_t sender;
	uint32_t chain;			/* c: intervals cN+1 .. (c+1)N */
	uint32_t chain_len;		/* N */
	uint32_t period_us;		/* T */
	uint8_t lag;			/* d, >= 1 */
	uint64_t t0_ns;			/* schedule start, leader boottime */
	uint8_t commitment[PROTO_TESLA_KEY_LEN];	/* C_c = F(K_{cN+1}) */
};

struct msg_time_req {			/* 0x0d: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	struct view_id g;
	uint64_t nonce;
};

struct msg_time_resp {			/* 0x0e: SL -> A, under K_ch */
	char a[PROTO_ID_LEN];
	struct view_id g;
	uint64_t nonce;			/* A's, echoed */
	uint64_t t_sl_ns;		/* the leader's boottime */
};

struct msg_chain {			/* 0x0f: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	struct view_id g;
	struct tesla_entry e;		/* e.epoch = g's view number */
};

/* 0x10 to encode: all entries, split by the encoder. */
struct msg_chain_announce {
	struct view_id g;
	uint64_t s_sl;
	size_t count;			/* >= 1 */
	const struct tesla_entry *entries;
};

/* One decoded 0x10 datagram, verified; entries point into it. */
struct msg_chain_announce_part {
	struct view_id g;
	uint64_t s_sl;
	uint16_t part, parts, count;
	const uint8_t *entries;		/* count * PROTO_TESLA_ENTRY_LEN */
};

struct msg_disclose {			/* 0x11: A -> group, in clear */
	char group[PROTO_ID_LEN];
	uint32_t epoch;
	uint32_t sender;
	uint32_t interval;		/* j >= 1 */
	uint8_t key[PROTO_TESLA_KEY_LEN];	/* K_j */
};

struct msg_chain_req {			/* 0x12: A -> SL, in clear */
	struct view_id g;
	char a[PROTO_ID_LEN];
	uint32_t epoch;
	uint32_t sender;
};

/* Whether an entry's fields are in range (for the view number @view). */
bool proto_tesla_entry_valid(const struct tesla_entry *e, uint64_t view);

int proto_encode_time_req(const struct msg_time_req *m,
			  const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			  size_t cap, size_t *len);
int proto_decode_time_req(const uint8_t *buf, size_t len,
			  const uint8_t k_ch[CRYPTO_KEY_LEN],
			  struct msg_time_req *m);
int proto_encode_time_resp(const struct msg_time_resp *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_time_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_time_resp *m);
int proto_encode_chain(const struct msg_chain *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len);
int proto_decode_chain(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_chain *m);

/* Datagrams of at most max_dgram bytes for count > 0 entries, or -EMSGSIZE. */
int proto_chain_announce_parts(size_t count, size_t max_dgram);
/* Splits m into signed parts, each verifiable alone, emitted in order. */
int proto_encode_chain_announce(const struct msg_chain_announce *m,
				const struct crypto_sig_key *prg,
				size_t max_dgram, proto_emit_fn emit,
				void *arg);
/* Verifies one part with PuG; every entry is in range for g. */
int proto_decode_chain_announce(const uint8_t *buf, size_t len,
				const struct crypto_sig_key *pug,
				struct msg_chain_announce_part *m);
/* Entry i (< m->count) of a verified part. */
void proto_chain_announce_entry(const struct msg_chain_announce_part *m,
				unsigned int i, struct tesla_entry *e);

int proto_encode_disclose(const struct msg_disclose *m, uint8_t *buf,
			  size_t cap, size_t *len);
int proto_decode_disclose(const uint8_t *buf, size_t len,
			  struct msg_disclose *m);
int proto_encode_chain_req(const struct msg_chain_req *m, uint8_t *buf,
			   size_t cap, size_t *len);
int proto_decode_chain_req(const uint8_t *buf, size_t len,
			   struct msg_chain_req *m);

#endif
