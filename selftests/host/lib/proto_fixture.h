/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host tests of the control protocol share (selftests/host/proto_*.c):
 * the fixture (the same keys and names as proto_vectors.py), a valid sample
 * of each message kind, and every decoder with the fixture's keys.
 * Decoders always get a buffer of exactly the length they are told, in its
 * own allocation (dup_buf), so that ASan catches a read one byte too far.
 */
#ifndef ANTIGONE_SELFTESTS_PROTO_FIXTURE_H
#define ANTIGONE_SELFTESTS_PROTO_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "hex.h"
#include <stdint.h>

#include "../../../keyd/lib/crypto.h"
#include "../../../keyd/wire/proto.h"

#define I0 0x0102030405060708ull
#define I1 0x1112131415161718ull
#define I2 0x2122232425262728ull
#define S_SEQ 5ull

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
bool policy_eq(const struct policy_block *a,
		      const struct policy_block *b);
bool view_eq(const struct view_id *a, const struct view_id *b);
bool grant_eq(const struct key_grant *a, const struct key_grant *b);

#endif

struct proto_fixture {
	uint8_t k_sl[32], k_a[32], k_b[32], k_c[32], sk[32];
	uint8_t k_ttp[32], k_ch[32], pi[16], s_a[16], pub[32];
	char sl[16], a[16], b[16], c[16], d[16];
	struct view_id g;
	struct crypto_sig_key *prg, *pug;
};
extern struct proto_fixture F;

/* Keeps the single datagram an encoder emits. */
struct sink {
	uint8_t *buf;
	size_t cap, len;
	unsigned int n;
};

/* Keeps every datagram an encoder emits. */
struct parts {
	unsigned int n;
	uint8_t *buf[1024];
	size_t len[1024];
};

struct kind {
	const char *name;
	int (*make)(uint8_t *buf, size_t cap, size_t *len);
	int (*decode)(const uint8_t *buf, size_t len);
	/* Only for the unauthenticated types 1, 2, 10. */
	int (*again)(const uint8_t *buf, size_t len, uint8_t *out,
		     size_t *olen);
	bool variable;		/* extra bytes may move the tag instead */
	bool enoent;		/* 6c by self: a part without our block */
	size_t ids[3];		/* identities in clear, checked keyless */
	size_t view;		/* offset of a g in clear, or 0 */
};

struct sample {
	uint8_t buf[4096];
	size_t len;
};

/*
 * One a message kind: AUTH_REQ ... RELAY, REKEY decoded by a member, and
 * 7d's TIME_REQ ... CHAIN_REQ.
 */
#define NKINDS 20
extern const struct kind kinds[NKINDS];
extern struct sample samples[NKINDS];
extern uint64_t rng_state;
extern uint8_t relay_payload[100];
extern uint8_t relay_out[PROTO_DGRAM_MAX];

void fill_seq(uint8_t *p, size_t n, uint8_t start);
uint8_t *dup_buf(const uint8_t *p, size_t len);
uint64_t xrand(void);
void fill_rand(uint8_t *p, size_t n);
int fixture_init(void);
struct policy_block sample_policy(void);
struct key_grant sample_grant(void);
int sink_one(const uint8_t *d, size_t len, unsigned int part,
		    void *arg);
int collect(const uint8_t *d, size_t len, unsigned int part,
		   void *arg);
void parts_free(struct parts *p);
int make_auth_req(uint8_t *buf, size_t cap, size_t *len);
int make_pair_req(uint8_t *buf, size_t cap, size_t *len);
int make_pair_resp(uint8_t *buf, size_t cap, size_t *len);
int make_auth_resp(uint8_t *buf, size_t cap, size_t *len);
int make_join(uint8_t *buf, size_t cap, size_t *len);
int make_key(uint8_t *buf, size_t cap, size_t *len);
int make_key_members(uint8_t *buf, size_t cap, size_t *len);
int make_rekey(uint8_t *buf, size_t cap, size_t *len);
int make_member_hb(uint8_t *buf, size_t cap, size_t *len);
int make_leader_hb(uint8_t *buf, size_t cap, size_t *len);
int make_retransmit(uint8_t *buf, size_t cap, size_t *len);
int make_leave(uint8_t *buf, size_t cap, size_t *len);
int make_relay(uint8_t *buf, size_t cap, size_t *len);
struct tesla_entry sample_entry(uint32_t chain);
int make_time_req(uint8_t *buf, size_t cap, size_t *len);
int make_time_resp(uint8_t *buf, size_t cap, size_t *len);
int make_chain(uint8_t *buf, size_t cap, size_t *len);
int make_chain_announce(uint8_t *buf, size_t cap, size_t *len);
int make_disclose(uint8_t *buf, size_t cap, size_t *len);
int make_chain_req(uint8_t *buf, size_t cap, size_t *len);
int dec_auth_req(const uint8_t *b, size_t l);
int dec_pair_req(const uint8_t *b, size_t l);
int dec_pair_resp(const uint8_t *b, size_t l);
int dec_auth_resp(const uint8_t *b, size_t l);
int dec_join(const uint8_t *b, size_t l);
int dec_key(const uint8_t *b, size_t l);
int dec_key_members(const uint8_t *b, size_t l);
int dec_rekey(const uint8_t *b, size_t l);
int dec_rekey_self(const uint8_t *b, size_t l);
int dec_member_hb(const uint8_t *b, size_t l);
int dec_leader_hb(const uint8_t *b, size_t l);
int dec_retransmit(const uint8_t *b, size_t l);
int dec_leave(const uint8_t *b, size_t l);
int dec_relay(const uint8_t *b, size_t l);
int dec_time_req(const uint8_t *b, size_t l);
int dec_time_resp(const uint8_t *b, size_t l);
int dec_chain(const uint8_t *b, size_t l);
int dec_chain_announce(const uint8_t *b, size_t l);
int dec_disclose(const uint8_t *b, size_t l);
int dec_chain_req(const uint8_t *b, size_t l);
int again_auth_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen);
int again_pair_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen);
int again_retransmit(const uint8_t *b, size_t l, uint8_t *out,
			    size_t *olen);
int again_disclose(const uint8_t *b, size_t l, uint8_t *out, size_t *olen);
int again_chain_req(const uint8_t *b, size_t l, uint8_t *out, size_t *olen);
int make_samples(void);

bool policy_eq(const struct policy_block *a,
		      const struct policy_block *b);
bool view_eq(const struct view_id *a, const struct view_id *b);
bool grant_eq(const struct key_grant *a, const struct key_grant *b);

#endif
