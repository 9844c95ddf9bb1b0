// SPDX-License-Identifier: GPL-2.0
/* The control protocol tests' fixture (see proto_fixture.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "proto_fixture.h"


/* ---- helpers ------------------------------------------------------------ */

void fill_seq(uint8_t *p, size_t n, uint8_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

/* A copy of exactly len bytes, in its own allocation. */
uint8_t *dup_buf(const uint8_t *p, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	if (!b)
		abort();
	memcpy(b, p, len);
	return b;
}

/* A deterministic generator, so that a fuzz failure reproduces. */
uint64_t rng_state = 0x9e3779b97f4a7c15ull;

uint64_t xrand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

void fill_rand(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)xrand();
}

/* ---- the fixture: the same keys and names as proto_vectors.py ---------- */

struct proto_fixture F;

int fixture_init(void)
{
	uint8_t seed[32];

	memset(&F, 0, sizeof(F));
	fill_seq(F.k_sl, 32, 0x00);
	fill_seq(F.k_a, 32, 0x20);
	fill_seq(F.sk, 32, 0x40);
	fill_seq(seed, 32, 0x60);
	fill_seq(F.k_b, 32, 0x80);
	fill_seq(F.k_c, 32, 0xc0);
	if (proto_id_set(F.sl, "leader") || proto_id_set(F.a, "alice") ||
	    proto_id_set(F.b, "bob") || proto_id_set(F.c, "carol") ||
	    proto_id_set(F.d, "dave") || proto_id_set(F.g.name, "grp"))
		return -1;
	F.g.number = 7;
	F.g.rnd = 0x1122334455667788ull;
	if (crypto_k_ttp(F.k_sl, F.sl, F.k_ttp) ||
	    crypto_pair_key(F.k_sl, F.sl, F.k_a, F.a, F.pi) ||
	    crypto_shared_member(F.k_a, F.sl, F.s_a) ||
	    crypto_k_ch(F.s_a, I0, F.sl, F.a, F.k_ch) ||
	    crypto_sig_from_seed(seed, &F.prg) ||
	    crypto_sig_public(F.prg, F.pub) ||
	    crypto_sig_from_public(F.pub, &F.pug))
		return -1;
	return 0;
}

struct policy_block sample_policy(void)
{
	static const uint8_t v6[16] = { 0xff, 0x0e, [14] = 0x45, [15] = 0x10 };
	struct policy_block p;

	memset(&p, 0, sizeof(p));
	p.present = 0x1ffe;		/* every known TLV */
	p.gg = 1 | 2 | 8;		/* join, leave, eject */
	p.sg = ANTIGONE_G_BOTH;
	p.rk_ms = 60000;
	p.hb_ms = 1000;
	p.mm = 1;
	p.fp = 3;
	p.suite = ANTIGONE_SUITE_CHACHA20_POLY1305;
	p.transport = 2;
	p.misses = 3;
	p.nselectors = 2;
	p.selectors[0].addr_len = 4;
	memcpy(p.selectors[0].addr, "\xef\x01\x02\x03", 4);
	p.selectors[0].port = 5000;
	p.selectors[1].addr_len = 16;
	memcpy(p.selectors[1].addr, v6, 16);
	p.selectors[1].port = 5001;
	p.grace_ms = 2000;
	p.group_addr_len = 16;
	memcpy(p.group_addr, v6, 16);
	p.group_port = 4512;
	return p;
}

struct key_grant sample_grant(void)
{
	struct key_grant k = {
		.epoch = 7, .sender = 3,
		.suite = ANTIGONE_SUITE_CHACHA20_POLY1305,
		.lifetime_ms = 60000,
	};

	memcpy(k.sk, F.sk, 32);
	return k;
}


int sink_one(const uint8_t *d, size_t len, unsigned int part,
		    void *arg)
{
	struct sink *s = arg;

	if (s->n++ || len > s->cap)
		return -ENOBUFS;
	memcpy(s->buf, d, len);
	s->len = len;
	return 0;
}


int collect(const uint8_t *d, size_t len, unsigned int part,
		   void *arg)
{
	struct parts *p = arg;

	if (p->n == 1024 || part != p->n)
		return -ERANGE;
	p->buf[p->n] = dup_buf(d, len);
	p->len[p->n++] = len;
	return 0;
}

void parts_free(struct parts *p)
{
	while (p->n)
		free(p->buf[--p->n]);
}

/* ---- a valid sample of each message ------------------------------------- */

int make_auth_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_auth_req m = { .i0 = I0 };

	memcpy(m.a, F.a, 16);
	return proto_encode_auth_req(&m, buf, cap, len);
}

int make_pair_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_pair_req m = { .i1 = I1 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	return proto_encode_pair_req(&m, buf, cap, len);
}

int make_pair_resp(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_pair_resp m = { .i1 = I1 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	memcpy(m.pi, F.pi, 16);
	proto_id_set(m.role, "supplier");
	return proto_encode_pair_resp(&m, F.k_ttp, buf, cap, len);
}

int make_auth_resp(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_auth_resp m = { .g = F.g, .i0 = I0, .i2 = I2 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	memcpy(m.pug, F.pub, 32);
	m.policy = sample_policy();
	return proto_encode_auth_resp(&m, F.k_ch, buf, cap, len);
}

int make_join(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_join m = { .i2 = I2 };

	memcpy(m.a, F.a, 16);
	return proto_encode_join(&m, F.k_ch, buf, cap, len);
}

int make_key(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_key m = { .g = F.g, .s_sl = S_SEQ };

	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	return proto_encode_key(&m, F.k_ch, buf, cap, len);
}

int make_key_members(uint8_t *buf, size_t cap, size_t *len)
{
	char others[3][16];
	struct msg_key_members m = {
		.g = F.g, .s_sl = S_SEQ, .count = 3, .members = others,
	};
	struct sink s = { .buf = buf, .cap = cap };
	int ret;

	memcpy(others[0], F.b, 16);
	memcpy(others[1], F.c, 16);
	memcpy(others[2], F.d, 16);
	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	ret = proto_encode_key_members(&m, F.k_ch, PROTO_DGRAM_DEFAULT,
				       sink_one, &s);
	*len = s.len;
	return ret;
}

int make_rekey(uint8_t *buf, size_t cap, size_t *len)
{
	struct rekey_member r[3] = {
		{ .sender = 3, .k_ch = F.k_ch },
		{ .sender = 4, .k_ch = F.k_b },
		{ .sender = 5, .k_ch = F.k_c },
	};
	struct msg_rekey m = {
		.g = F.g, .s_sl = S_SEQ, .count = 3, .members = r,
	};
	struct sink s = { .buf = buf, .cap = cap };
	int ret;

	memcpy(r[0].id, F.a, 16);
	memcpy(r[1].id, F.b, 16);
	memcpy(r[2].id, F.c, 16);
	m.key = sample_grant();
	ret = proto_encode_rekey(&m, PROTO_DGRAM_DEFAULT, sink_one, &s);
	*len = s.len;
	return ret;
}

int make_member_hb(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_member_hb m = { .g = F.g, .s_a = S_SEQ };

	memcpy(m.a, F.a, 16);
	return proto_encode_member_hb(&m, F.k_ch, buf, cap, len);
}

int make_leader_hb(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_leader_hb m = { .g = F.g, .s_sl = S_SEQ };

	return proto_encode_leader_hb(&m, F.prg, buf, cap, len);
}

int make_retransmit(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_retransmit m = { .g = F.g };

	memcpy(m.a, F.a, 16);
	return proto_encode_retransmit(&m, buf, cap, len);
}

int make_leave(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_leave m = { .g = F.g };

	memcpy(m.a, F.a, 16);
	memcpy(m.b, F.b, 16);		/* eject bob: B non-zero */
	return proto_encode_leave(&m, F.k_ch, buf, cap, len);
}

uint8_t relay_payload[100];

int make_relay(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_relay m = {
		.port = 5000, .data = relay_payload,
		.len = sizeof(relay_payload),
	};

	fill_seq(relay_payload, sizeof(relay_payload), 0x33);
	memcpy(m.a, F.a, 16);
	return proto_encode_relay(&m, F.k_ch, buf, cap, len);
}

/* 7d (docs/sender-authenticity.md): a chain entry for sender 3 of view 7 */
struct tesla_entry sample_entry(uint32_t chain)
{
	struct tesla_entry e = {
		.epoch = 7, .sender = 3, .chain = chain, .chain_len = 8192,
		.period_us = 10000, .lag = 8, .t0_ns = 123456789000ull,
	};

	fill_seq(e.commitment, sizeof(e.commitment), (uint8_t)(0x50 + chain));
	return e;
}

int make_time_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_time_req m = { .g = F.g, .nonce = I0 };

	memcpy(m.a, F.a, 16);
	return proto_encode_time_req(&m, F.k_ch, buf, cap, len);
}

int make_time_resp(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_time_resp m = { .g = F.g, .nonce = I0,
				   .t_sl_ns = 987654321012ull };

	memcpy(m.a, F.a, 16);
	return proto_encode_time_resp(&m, F.k_ch, buf, cap, len);
}

int make_chain(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_chain m = { .g = F.g, .e = sample_entry(0) };

	memcpy(m.a, F.a, 16);
	return proto_encode_chain(&m, F.k_ch, buf, cap, len);
}

int make_chain_announce(uint8_t *buf, size_t cap, size_t *len)
{
	struct tesla_entry e[2] = { sample_entry(0), sample_entry(1) };
	struct msg_chain_announce m = {
		.g = F.g, .s_sl = S_SEQ, .count = 2, .entries = e,
	};
	struct sink s = { .buf = buf, .cap = cap };
	int ret;

	e[1].sender = 4;
	ret = proto_encode_chain_announce(&m, F.prg, PROTO_DGRAM_DEFAULT,
					  sink_one, &s);
	*len = s.len;
	return ret;
}

int make_disclose(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_disclose m = { .epoch = 7, .sender = 3, .interval = 42 };

	memcpy(m.group, F.g.name, 16);
	fill_seq(m.key, sizeof(m.key), 0x77);
	return proto_encode_disclose(&m, buf, cap, len);
}

int make_chain_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_chain_req m = { .g = F.g, .epoch = 7, .sender = 4 };

	memcpy(m.a, F.a, 16);
	return proto_encode_chain_req(&m, buf, cap, len);
}

/* ---- every decoder, with the fixture's keys ----------------------------- */

int dec_auth_req(const uint8_t *b, size_t l)
{
	struct msg_auth_req m;

	return proto_decode_auth_req(b, l, &m);
}

int dec_pair_req(const uint8_t *b, size_t l)
{
	struct msg_pair_req m;

	return proto_decode_pair_req(b, l, &m);
}

int dec_pair_resp(const uint8_t *b, size_t l)
{
	struct msg_pair_resp m;

	return proto_decode_pair_resp(b, l, F.k_ttp, &m);
}

int dec_auth_resp(const uint8_t *b, size_t l)
{
	struct msg_auth_resp m;

	return proto_decode_auth_resp(b, l, F.k_ch, &m);
}

int dec_join(const uint8_t *b, size_t l)
{
	struct msg_join m;

	return proto_decode_join(b, l, F.k_ch, &m);
}

int dec_key(const uint8_t *b, size_t l)
{
	struct msg_key m;

	return proto_decode_key(b, l, F.k_ch, &m);
}

int dec_key_members(const uint8_t *b, size_t l)
{
	struct msg_key_members_part m;

	return proto_decode_key_members(b, l, F.k_ch, &m);
}

int dec_rekey(const uint8_t *b, size_t l)
{
	struct msg_rekey_part m;

	return proto_decode_rekey(b, l, F.sk, &m);
}

int dec_rekey_self(const uint8_t *b, size_t l)
{
	struct msg_rekey_part m;
	struct key_grant k;

	return proto_decode_rekey_self(b, l, F.a, F.k_ch, &m, &k);
}

int dec_member_hb(const uint8_t *b, size_t l)
{
	struct msg_member_hb m;

	return proto_decode_member_hb(b, l, F.k_ch, &m);
}

int dec_leader_hb(const uint8_t *b, size_t l)
{
	struct msg_leader_hb m;

	return proto_decode_leader_hb(b, l, F.pug, &m);
}

int dec_retransmit(const uint8_t *b, size_t l)
{
	struct msg_retransmit m;

	return proto_decode_retransmit(b, l, &m);
}

int dec_leave(const uint8_t *b, size_t l)
{
	struct msg_leave m;

	return proto_decode_leave(b, l, F.k_ch, &m);
}

uint8_t relay_out[PROTO_DGRAM_MAX];

int dec_relay(const uint8_t *b, size_t l)
{
	struct msg_relay m;

	return proto_decode_relay(b, l, F.k_ch, &m, relay_out,
				  sizeof(relay_out));
}

int dec_time_req(const uint8_t *b, size_t l)
{
	struct msg_time_req m;

	return proto_decode_time_req(b, l, F.k_ch, &m);
}

int dec_time_resp(const uint8_t *b, size_t l)
{
	struct msg_time_resp m;

	return proto_decode_time_resp(b, l, F.k_ch, &m);
}

int dec_chain(const uint8_t *b, size_t l)
{
	struct msg_chain m;

	return proto_decode_chain(b, l, F.k_ch, &m);
}

int dec_chain_announce(const uint8_t *b, size_t l)
{
	struct msg_chain_announce_part m;

	return proto_decode_chain_announce(b, l, F.pug, &m);
}

int dec_disclose(const uint8_t *b, size_t l)
{
	struct msg_disclose m;

	return proto_decode_disclose(b, l, &m);
}

int dec_chain_req(const uint8_t *b, size_t l)
{
	struct msg_chain_req m;

	return proto_decode_chain_req(b, l, &m);
}

/* Unauthenticated types: decode and encode again (must give b back). */
int again_auth_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen)
{
	struct msg_auth_req m;
	int ret = proto_decode_auth_req(b, l, &m);

	return ret ? ret : proto_encode_auth_req(&m, out, 4096, olen);
}

int again_pair_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen)
{
	struct msg_pair_req m;
	int ret = proto_decode_pair_req(b, l, &m);

	return ret ? ret : proto_encode_pair_req(&m, out, 4096, olen);
}

int again_retransmit(const uint8_t *b, size_t l, uint8_t *out,
			    size_t *olen)
{
	struct msg_retransmit m;
	int ret = proto_decode_retransmit(b, l, &m);

	return ret ? ret : proto_encode_retransmit(&m, out, 4096, olen);
}


int again_disclose(const uint8_t *b, size_t l, uint8_t *out, size_t *olen)
{
	struct msg_disclose m;
	int ret = proto_decode_disclose(b, l, &m);

	return ret ? ret : proto_encode_disclose(&m, out, 4096, olen);
}

int again_chain_req(const uint8_t *b, size_t l, uint8_t *out, size_t *olen)
{
	struct msg_chain_req m;
	int ret = proto_decode_chain_req(b, l, &m);

	return ret ? ret : proto_encode_chain_req(&m, out, 4096, olen);
}

const struct kind kinds[NKINDS] = {
	{ "AUTH_REQ", make_auth_req, dec_auth_req, again_auth_req,
	  false, false, { 8 }, 0 },
	{ "PAIR_REQ", make_pair_req, dec_pair_req, again_pair_req,
	  false, false, { 8, 24 }, 0 },
	{ "PAIR_RESP", make_pair_resp, dec_pair_resp, NULL,
	  false, false, { 8, 24 }, 0 },
	{ "AUTH_RESP", make_auth_resp, dec_auth_resp, NULL,
	  true, false, { 8, 24 }, 0 },
	{ "JOIN", make_join, dec_join, NULL, false, false, { 8 }, 0 },
	{ "KEY", make_key, dec_key, NULL, false, false, { 48 }, 8 },
	{ "KEY_MEMBERS", make_key_members, dec_key_members, NULL,
	  true, false, { 48 }, 8 },
	{ "REKEY", make_rekey, dec_rekey, NULL, true, false, { 0 }, 8 },
	{ "REKEY/self", make_rekey, dec_rekey_self, NULL,
	  true, true, { 0 }, 8 },
	{ "MEMBER_HB", make_member_hb, dec_member_hb, NULL,
	  false, false, { 48 }, 8 },
	{ "LEADER_HB", make_leader_hb, dec_leader_hb, NULL,
	  false, false, { 0 }, 8 },
	{ "RETRANSMIT", make_retransmit, dec_retransmit, again_retransmit,
	  false, false, { 40 }, 8 },
	{ "LEAVE", make_leave, dec_leave, NULL, false, false, { 8 }, 0 },
	{ "RELAY", make_relay, dec_relay, NULL, true, false, { 8 }, 0 },
	{ "TIME_REQ", make_time_req, dec_time_req, NULL,
	  false, false, { 8 }, 0 },
	{ "TIME_RESP", make_time_resp, dec_time_resp, NULL,
	  false, false, { 8 }, 0 },
	{ "CHAIN", make_chain, dec_chain, NULL, false, false, { 8 }, 0 },
	{ "CHAIN_ANNOUNCE", make_chain_announce, dec_chain_announce, NULL,
	  true, false, { 0 }, 8 },
	{ "DISCLOSE", make_disclose, dec_disclose, again_disclose,
	  false, false, { 8 }, 0 },
	{ "CHAIN_REQ", make_chain_req, dec_chain_req, again_chain_req,
	  false, false, { 40 }, 8 },
};



struct sample samples[NKINDS];

int make_samples(void)
{
	size_t i;

	if (fixture_init())
		return -1;
	for (i = 0; i < NKINDS; i++)
		if (kinds[i].make(samples[i].buf, sizeof(samples[i].buf),
				  &samples[i].len))
			return -1;
	return 0;
}

/* ---- comparisons -------------------------------------------------------- */

bool policy_eq(const struct policy_block *a,
		      const struct policy_block *b)
{
	unsigned int i;

	if (a->present != b->present || a->gg != b->gg || a->sg != b->sg ||
	    a->mm != b->mm || a->fp != b->fp || a->suite != b->suite ||
	    a->transport != b->transport || a->misses != b->misses ||
	    a->rk_ms != b->rk_ms || a->hb_ms != b->hb_ms ||
	    a->grace_ms != b->grace_ms || a->nselectors != b->nselectors ||
	    a->group_addr_len != b->group_addr_len ||
	    a->group_port != b->group_port ||
	    memcmp(a->group_addr, b->group_addr, a->group_addr_len))
		return false;
	for (i = 0; i < a->nselectors; i++)
		if (a->selectors[i].addr_len != b->selectors[i].addr_len ||
		    a->selectors[i].port != b->selectors[i].port ||
		    memcmp(a->selectors[i].addr, b->selectors[i].addr,
			   a->selectors[i].addr_len))
			return false;
	return true;
}

bool view_eq(const struct view_id *a, const struct view_id *b)
{
	return !memcmp(a->name, b->name, 16) && a->number == b->number &&
	       a->rnd == b->rnd;
}

bool grant_eq(const struct key_grant *a, const struct key_grant *b)
{
	return a->epoch == b->epoch && a->sender == b->sender &&
	       a->suite == b->suite && a->lifetime_ms == b->lifetime_ms &&
	       !memcmp(a->sk, b->sk, 32);
}
