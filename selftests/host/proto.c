// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md). keyd/lib/crypto.c
 * against published vectors (FIPS-197, RFC 5869, RFC 4231, RFC 8439,
 * RFC 8032) and against datagrams built independently by
 * selftests/host/proto_vectors.py; keyd/wire/ for every message type:
 * round trip, every truncation, every bit flip, trailing bytes, identities,
 * the checks behind the AEADs and MACs, the split of 6b and 6c, and fuzz
 * loops for ASan and UBSan. Decoders always get a buffer of exactly the
 * length they are told, in its own allocation, so that ASan catches a read
 * one byte too far.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "../../keyd/lib/crypto.h"
#include "../../keyd/wire/proto.h"

#define I0 0x0102030405060708ull
#define I1 0x1112131415161718ull
#define I2 0x2122232425262728ull
#define S_SEQ 5ull

/* ---- helpers ------------------------------------------------------------ */

/* Decodes lowercase hex (spaces ignored); the byte count, or -1. */
static int unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static void fill_seq(uint8_t *p, size_t n, uint8_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(start + i);
}

/* A copy of exactly len bytes, in its own allocation. */
static uint8_t *dup_buf(const uint8_t *p, size_t len)
{
	uint8_t *b = malloc(len ? len : 1);

	if (!b)
		abort();
	memcpy(b, p, len);
	return b;
}

/* A deterministic generator, so that a fuzz failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t xrand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void fill_rand(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)xrand();
}

/* ---- the fixture: the same keys and names as proto_vectors.py ---------- */

static struct {
	uint8_t k_sl[32], k_a[32], k_b[32], k_c[32], sk[32];
	uint8_t k_ttp[32], k_ch[32], pi[16], s_a[16], pub[32];
	char sl[16], a[16], b[16], c[16], d[16];
	struct view_id g;
	struct crypto_sig_key *prg, *pug;
} F;

static int fixture_init(void)
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

static struct policy_block sample_policy(void)
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

static struct key_grant sample_grant(void)
{
	struct key_grant k = {
		.epoch = 7, .sender = 3,
		.suite = ANTIGONE_SUITE_CHACHA20_POLY1305,
		.lifetime_ms = 60000,
	};

	memcpy(k.sk, F.sk, 32);
	return k;
}

/* Keeps the single datagram an encoder emits. */
struct sink {
	uint8_t *buf;
	size_t cap, len;
	unsigned int n;
};

static int sink_one(const uint8_t *d, size_t len, unsigned int part,
		    void *arg)
{
	struct sink *s = arg;

	if (s->n++ || len > s->cap)
		return -ENOBUFS;
	memcpy(s->buf, d, len);
	s->len = len;
	return 0;
}

/* Keeps every datagram an encoder emits. */
struct parts {
	unsigned int n;
	uint8_t *buf[1024];
	size_t len[1024];
};

static int collect(const uint8_t *d, size_t len, unsigned int part,
		   void *arg)
{
	struct parts *p = arg;

	if (p->n == 1024 || part != p->n)
		return -ERANGE;
	p->buf[p->n] = dup_buf(d, len);
	p->len[p->n++] = len;
	return 0;
}

static void parts_free(struct parts *p)
{
	while (p->n)
		free(p->buf[--p->n]);
}

/* ---- a valid sample of each message ------------------------------------- */

static int make_auth_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_auth_req m = { .i0 = I0 };

	memcpy(m.a, F.a, 16);
	return proto_encode_auth_req(&m, buf, cap, len);
}

static int make_pair_req(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_pair_req m = { .i1 = I1 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	return proto_encode_pair_req(&m, buf, cap, len);
}

static int make_pair_resp(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_pair_resp m = { .i1 = I1 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	memcpy(m.pi, F.pi, 16);
	proto_id_set(m.role, "supplier");
	return proto_encode_pair_resp(&m, F.k_ttp, buf, cap, len);
}

static int make_auth_resp(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_auth_resp m = { .g = F.g, .i0 = I0, .i2 = I2 };

	memcpy(m.sl, F.sl, 16);
	memcpy(m.a, F.a, 16);
	memcpy(m.pug, F.pub, 32);
	m.policy = sample_policy();
	return proto_encode_auth_resp(&m, F.k_ch, buf, cap, len);
}

static int make_join(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_join m = { .i2 = I2 };

	memcpy(m.a, F.a, 16);
	return proto_encode_join(&m, F.k_ch, buf, cap, len);
}

static int make_key(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_key m = { .g = F.g, .s_sl = S_SEQ };

	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	return proto_encode_key(&m, F.k_ch, buf, cap, len);
}

static int make_key_members(uint8_t *buf, size_t cap, size_t *len)
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

static int make_rekey(uint8_t *buf, size_t cap, size_t *len)
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

static int make_member_hb(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_member_hb m = { .g = F.g, .s_a = S_SEQ };

	memcpy(m.a, F.a, 16);
	return proto_encode_member_hb(&m, F.k_ch, buf, cap, len);
}

static int make_leader_hb(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_leader_hb m = { .g = F.g, .s_sl = S_SEQ };

	return proto_encode_leader_hb(&m, F.prg, buf, cap, len);
}

static int make_retransmit(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_retransmit m = { .g = F.g };

	memcpy(m.a, F.a, 16);
	return proto_encode_retransmit(&m, buf, cap, len);
}

static int make_leave(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_leave m = { .g = F.g };

	memcpy(m.a, F.a, 16);
	memcpy(m.b, F.b, 16);		/* eject bob: B non-zero */
	return proto_encode_leave(&m, F.k_ch, buf, cap, len);
}

static uint8_t relay_payload[100];

static int make_relay(uint8_t *buf, size_t cap, size_t *len)
{
	struct msg_relay m = {
		.port = 5000, .data = relay_payload,
		.len = sizeof(relay_payload),
	};

	fill_seq(relay_payload, sizeof(relay_payload), 0x33);
	memcpy(m.a, F.a, 16);
	return proto_encode_relay(&m, F.k_ch, buf, cap, len);
}

/* ---- every decoder, with the fixture's keys ----------------------------- */

static int dec_auth_req(const uint8_t *b, size_t l)
{
	struct msg_auth_req m;

	return proto_decode_auth_req(b, l, &m);
}

static int dec_pair_req(const uint8_t *b, size_t l)
{
	struct msg_pair_req m;

	return proto_decode_pair_req(b, l, &m);
}

static int dec_pair_resp(const uint8_t *b, size_t l)
{
	struct msg_pair_resp m;

	return proto_decode_pair_resp(b, l, F.k_ttp, &m);
}

static int dec_auth_resp(const uint8_t *b, size_t l)
{
	struct msg_auth_resp m;

	return proto_decode_auth_resp(b, l, F.k_ch, &m);
}

static int dec_join(const uint8_t *b, size_t l)
{
	struct msg_join m;

	return proto_decode_join(b, l, F.k_ch, &m);
}

static int dec_key(const uint8_t *b, size_t l)
{
	struct msg_key m;

	return proto_decode_key(b, l, F.k_ch, &m);
}

static int dec_key_members(const uint8_t *b, size_t l)
{
	struct msg_key_members_part m;

	return proto_decode_key_members(b, l, F.k_ch, &m);
}

static int dec_rekey(const uint8_t *b, size_t l)
{
	struct msg_rekey_part m;

	return proto_decode_rekey(b, l, F.sk, &m);
}

static int dec_rekey_self(const uint8_t *b, size_t l)
{
	struct msg_rekey_part m;
	struct key_grant k;

	return proto_decode_rekey_self(b, l, F.a, F.k_ch, &m, &k);
}

static int dec_member_hb(const uint8_t *b, size_t l)
{
	struct msg_member_hb m;

	return proto_decode_member_hb(b, l, F.k_ch, &m);
}

static int dec_leader_hb(const uint8_t *b, size_t l)
{
	struct msg_leader_hb m;

	return proto_decode_leader_hb(b, l, F.pug, &m);
}

static int dec_retransmit(const uint8_t *b, size_t l)
{
	struct msg_retransmit m;

	return proto_decode_retransmit(b, l, &m);
}

static int dec_leave(const uint8_t *b, size_t l)
{
	struct msg_leave m;

	return proto_decode_leave(b, l, F.k_ch, &m);
}

static uint8_t relay_out[PROTO_DGRAM_MAX];

static int dec_relay(const uint8_t *b, size_t l)
{
	struct msg_relay m;

	return proto_decode_relay(b, l, F.k_ch, &m, relay_out,
				  sizeof(relay_out));
}

/* Unauthenticated types: decode and encode again (must give b back). */
static int again_auth_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen)
{
	struct msg_auth_req m;
	int ret = proto_decode_auth_req(b, l, &m);

	return ret ? ret : proto_encode_auth_req(&m, out, 4096, olen);
}

static int again_pair_req(const uint8_t *b, size_t l, uint8_t *out,
			  size_t *olen)
{
	struct msg_pair_req m;
	int ret = proto_decode_pair_req(b, l, &m);

	return ret ? ret : proto_encode_pair_req(&m, out, 4096, olen);
}

static int again_retransmit(const uint8_t *b, size_t l, uint8_t *out,
			    size_t *olen)
{
	struct msg_retransmit m;
	int ret = proto_decode_retransmit(b, l, &m);

	return ret ? ret : proto_encode_retransmit(&m, out, 4096, olen);
}

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

static const struct kind kinds[] = {
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
};

#define NKINDS ARRAY_SIZE(kinds)

struct sample {
	uint8_t buf[4096];
	size_t len;
};

static struct sample samples[NKINDS];

static int make_samples(void)
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

/* ---- published vectors, through the functions the protocol uses -------- */

TEST(kat_aes256_fips197)
{
	uint8_t key[32], pt[16], want[16], out[16];

	/* FIPS-197 appendix C.3: AES-256. */
	fill_seq(key, 32, 0);
	ASSERT_EQ(16, unhex("00112233445566778899aabbccddeeff", pt, 16));
	ASSERT_EQ(16, unhex("8ea2b7ca516745bfeafc49904b496089", want, 16));
	ASSERT_EQ(0, crypto_block_encrypt(key, pt, out));
	EXPECT_EQ(0, memcmp(out, want, 16));
}

TEST(kat_hkdf_rfc5869)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42];

	/* Test case 1. */
	memset(ikm, 0x0b, sizeof(ikm));
	fill_seq(salt, sizeof(salt), 0);
	fill_seq(info, sizeof(info), 0xf0);
	ASSERT_EQ(42, unhex("3cb25f25faacd57a90434f64d0362f2a"
			    "2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			    "34007208d5b887185865", want, 42));
	ASSERT_EQ(0, crypto_hkdf_sha256(ikm, 22, salt, 13, info, 10, okm, 42));
	EXPECT_EQ(0, memcmp(okm, want, 42));

	/* Test case 3: empty salt and info, as K_ttp and MAC_SK use. */
	ASSERT_EQ(42, unhex("8da4e775a563c18f715f802a063c5a31"
			    "b8a11f5c5ee1879ec3454e5f3c738d2d"
			    "9d201395faa4b61a96c8", want, 42));
	ASSERT_EQ(0, crypto_hkdf_sha256(ikm, 22, NULL, 0, NULL, 0, okm, 42));
	EXPECT_EQ(0, memcmp(okm, want, 42));

	EXPECT_EQ(-EINVAL, crypto_hkdf_sha256(ikm, 0, NULL, 0, NULL, 0, okm,
					      42));
	EXPECT_EQ(-EINVAL, crypto_hkdf_sha256(ikm, 22, NULL, 0, NULL, 0, okm,
					      255 * 32 + 1));
}

TEST(kat_hmac_sha256_rfc4231)
{
	static const char data[] = "what do ya want for nothing?";
	uint8_t out[32], want[32];

	/* Test case 2. */
	ASSERT_EQ(32, unhex("5bdcc146bf60754e6a042426089575c7"
			    "5a003f089d2739839dec58b964ec3843", want, 32));
	ASSERT_EQ(0, crypto_hmac_sha256((const uint8_t *)"Jefe", 4,
					(const uint8_t *)data, strlen(data),
					out));
	EXPECT_EQ(0, memcmp(out, want, 32));
}

TEST(kat_chacha20_poly1305_rfc8439)
{
	static const char text[] =
		"Ladies and Gentlemen of the class of '99: If I could offer "
		"you only one tip for the future, sunscreen would be it.";
	const size_t len = strlen(text);
	uint8_t key[32], nonce[12], aad[12], want[160], ct[160], out[160];

	/* Section 2.8.2. */
	fill_seq(key, 32, 0x80);
	ASSERT_EQ(12, unhex("070000004041424344454647", nonce, 12));
	ASSERT_EQ(12, unhex("50515253c0c1c2c3c4c5c6c7", aad, 12));
	ASSERT_EQ((int)len + 16, unhex(
		"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		"3ff4def08e4b7a9de576d26586cec64b6116"
		"1ae10b594f09e26a7e902ecbd0600691", want, sizeof(want)));
	ASSERT_EQ(0, crypto_aead_seal_nonce(key, nonce, aad, 12,
					    (const uint8_t *)text, len, ct));
	EXPECT_EQ(0, memcmp(ct, want, len + 16));
	ASSERT_EQ(0, crypto_aead_open(key, nonce, aad, 12, want, len + 16,
				      out));
	EXPECT_EQ(0, memcmp(out, text, len));

	/* A wrong tag, or wrong associated data: refused, nothing out. */
	want[len + 15] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_aead_open(key, nonce, aad, 12, want,
					     len + 16, out));
	EXPECT_NE(0, memcmp(out, text, len));
	want[len + 15] ^= 1;
	aad[0] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_aead_open(key, nonce, aad, 12, want,
					     len + 16, out));
	EXPECT_EQ(-EINVAL, crypto_aead_open(key, nonce, aad, 12, want, 15,
					    out));

	/* The random-nonce variant draws a new nonce each time. */
	{
		uint8_t n1[12], n2[12], c1[32], c2[32];

		ASSERT_EQ(0, crypto_aead_seal(key, n1, NULL, 0,
					      (const uint8_t *)text, 16, c1));
		ASSERT_EQ(0, crypto_aead_seal(key, n2, NULL, 0,
					      (const uint8_t *)text, 16, c2));
		EXPECT_NE(0, memcmp(n1, n2, 12));
		ASSERT_EQ(0, crypto_aead_open(key, n2, NULL, 0, c2, 32, out));
		EXPECT_EQ(0, memcmp(out, text, 16));
	}
}

static void check_ed25519(struct __test_metadata *_metadata,
			  const char *seedhex, const char *pubhex,
			  const char *msghex, const char *sighex)
{
	uint8_t seed[32], pub[32], want_pub[32], msg[8], sig[64], want[64];
	struct crypto_sig_key *k = NULL, *p = NULL;
	int mlen;

	ASSERT_EQ(32, unhex(seedhex, seed, 32));
	ASSERT_EQ(32, unhex(pubhex, want_pub, 32));
	mlen = unhex(msghex, msg, sizeof(msg));
	ASSERT_LE(0, mlen);
	ASSERT_EQ(64, unhex(sighex, want, 64));

	ASSERT_EQ(0, crypto_sig_from_seed(seed, &k));
	ASSERT_EQ(0, crypto_sig_public(k, pub));
	EXPECT_EQ(0, memcmp(pub, want_pub, 32));
	ASSERT_EQ(0, crypto_sig_sign(k, msg, (size_t)mlen, sig));
	EXPECT_EQ(0, memcmp(sig, want, 64));
	ASSERT_EQ(0, crypto_sig_from_public(want_pub, &p));
	EXPECT_EQ(0, crypto_sig_verify(p, msg, (size_t)mlen, want));
	want[0] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(p, msg, (size_t)mlen, want));
	want[0] ^= 1;
	want[63] ^= 0x80;	/* S out of range: malformed, not accepted */
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(p, msg, (size_t)mlen, want));
	/* A public key alone cannot sign. */
	EXPECT_EQ(-EINVAL, crypto_sig_sign(p, msg, (size_t)mlen, sig));
	crypto_sig_free(k);
	crypto_sig_free(p);
}

TEST(kat_ed25519_rfc8032)
{
	/* Section 7.1, tests 1 and 2. */
	check_ed25519(_metadata,
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	check_ed25519(_metadata,
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(ed25519_generated_keys)
{
	struct crypto_sig_key *k1 = NULL, *k2 = NULL;
	uint8_t p1[32], p2[32], sig[64];

	ASSERT_EQ(0, crypto_sig_generate(&k1));
	ASSERT_EQ(0, crypto_sig_generate(&k2));
	ASSERT_EQ(0, crypto_sig_public(k1, p1));
	ASSERT_EQ(0, crypto_sig_public(k2, p2));
	EXPECT_NE(0, memcmp(p1, p2, 32));
	ASSERT_EQ(0, crypto_sig_sign(k1, p2, 32, sig));
	EXPECT_EQ(0, crypto_sig_verify(k1, p2, 32, sig));
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(k2, p2, 32, sig));
	crypto_sig_free(k1);
	crypto_sig_free(k2);
	crypto_sig_free(NULL);
}

TEST(random_and_compare)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	uint64_t n1 = 0, n2 = 0;

	EXPECT_EQ(0, crypto_memeq(a, b, 32));
	b[31] = 1;
	EXPECT_EQ(-EBADMSG, crypto_memeq(a, b, 32));
	ASSERT_EQ(0, crypto_random(a, 32));
	ASSERT_EQ(0, crypto_random(b, 32));
	EXPECT_NE(0, memcmp(a, b, 32));
	ASSERT_EQ(0, crypto_nonce64(&n1));
	ASSERT_EQ(0, crypto_nonce64(&n2));
	EXPECT_NE(n1, n2);
	crypto_wipe(a, 32);
	memset(b, 0, 32);
	EXPECT_EQ(0, memcmp(a, b, 32));
}

/* ---- Leighton-Micali and the derived keys -------------------------------- */

TEST(leighton_micali)
{
	uint8_t k_sl[32], k_a[32], pi[16], s_member[16], s_leader[16];
	uint8_t ch_member[32], ch_leader[32], x[16];
	char sl[16], a[16], name[32];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, crypto_random(k_sl, 32));
		ASSERT_EQ(0, crypto_random(k_a, 32));
		snprintf(name, sizeof(name), "leader%u", i);
		ASSERT_EQ(0, proto_id_set(sl, name));
		snprintf(name, sizeof(name), "m-%u.x_y", i);
		ASSERT_EQ(0, proto_id_set(a, name));

		/* The TTP knows both keys; SL only its own and pi. */
		ASSERT_EQ(0, crypto_pair_key(k_sl, sl, k_a, a, pi));
		ASSERT_EQ(0, crypto_shared_member(k_a, sl, s_member));
		ASSERT_EQ(0, crypto_shared_leader(k_sl, a, pi, s_leader));
		EXPECT_EQ(0, memcmp(s_member, s_leader, 16));
		EXPECT_NE(0, memcmp(pi, s_member, 16));

		/* Both ends derive the same channel key, bound to I0. */
		ASSERT_EQ(0, crypto_k_ch(s_member, I0 + (uint64_t)i, sl, a,
					 ch_member));
		ASSERT_EQ(0, crypto_k_ch(s_leader, I0 + (uint64_t)i, sl, a,
					 ch_leader));
		EXPECT_EQ(0, memcmp(ch_member, ch_leader, 32));
		ASSERT_EQ(0, crypto_k_ch(s_leader, I0 + (uint64_t)i + 1, sl,
					 a, ch_leader));
		EXPECT_NE(0, memcmp(ch_member, ch_leader, 32));

		/* Another leader key does not find S_A. */
		k_sl[0] ^= 1;
		ASSERT_EQ(0, crypto_shared_leader(k_sl, a, pi, x));
		EXPECT_NE(0, memcmp(x, s_member, 16));
	}
}

/* ---- vectors built by proto_vectors.py (Python, no shared code) ---------- */

static const char vec_a_ksl[] = "c73ea8d178c5cd8d2bcd1e301eb531f3";
static const char vec_sl_ka[] = "a709671e7b1b1941528677ebe7e17455";
static const char vec_pi[] = "6037cfcf03ded4cc794b69dbf95445a6";
static const char vec_k_ttp[] =
	"8668275f62346cac791f6fdcf1897c344b833bf21087d06ad44f0403787632eb";
static const char vec_k_ch[] =
	"ba999cfb4cb0c9938bb338df392dab8b1862bda4fd7786e878514a99c3709749";
static const char vec_mac_sk[] = "c562ab738cc5f5da82db4d8a5d787797";
static const char vec_msg3[] =
	"41470103000000006c656164657200000000000000000000616c696365000000"
	"0000000000000000a0a1a2a3a4a5a6a7a8a9aaabc149ce58d466840874255fc2"
	"158e7b89b91a5c906d10c8f3c7232cdb5b79139dd132c6e43cad77b8512303ed"
	"ce1674babbb9a405185b3bbb";
static const char vec_msg4[] =
	"41470104000000006c656164657200000000000000000000616c696365000000"
	"0000000000000000a0a1a2a3a4a5a6a7a8a9aaab3f5ca2e913219da95bd60db3"
	"839b95fc963873c4b18987279eae515e2f14fe6afeabfe373232c3b9a4283199"
	"1ff723c93c7c128254e3d69da4e64e35e78bc3c363b538e258d6239e2c7d4037"
	"653125300a30d1d7f81ec841aec433656efd31c79b9a0a05de01fd6437146511"
	"31f57ce8613a07d52047899c73e9567da9065903c292b03f1981d132ed";
static const char vec_msg5[] =
	"4147010500000000616c6963650000000000000000000000a0a1a2a3a4a5a6a7"
	"a8a9aaab3942bb8a76219da95bd60db3839b95fcb71a50e094afa0080f9edc6e"
	"a9ecfbf264ba4f1ea6f57372";
static const char vec_msg6a[] =
	"4147016a00000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005616c6963650000000000000000000000"
	"a0a1a2a3a4a5a6a7a8a9aaab582ed2ee13219daa58d60d59e3dbd4bed57c3682"
	"f6c1ce6ac4c02f543522d8b0cc93c202006a9ae3ff746cc740e2365cd9fd4543"
	"effec9e9c02252869c2ec679999147cbbf17b671b3467ea43f";
static const char vec_msg6c[] =
	"4147016c00000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005000000010002616c6963650000000000"
	"000000000000a0a1a2a3a4a5a6a7a8a9aaab582ed2ee13219daa58d60d59e3db"
	"d4bed57c3682f6c1ce6ac4c02f543522d8b0cc93c202006a9ae3ff746cc7401c"
	"5f58cf93fcfe70a1d832fec484f634626f6200000000000000000000000000b0"
	"b1b2b3b4b5b6b7b8b9babbc4caae30368c2d45afa1fd868e4b8d50831cc54ec6"
	"fedb5cba90511f8c54ae1d2e6a33a5350bb4f4e90250829046fb445dc7256c18"
	"5da107ae75022057906c9a038771a861bb847eeac7e89598";
static const char vec_msg8[] =
	"4147010800000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005616c6963650000000000000000000000"
	"1f3714c2230958e736cb32ba9a7ee3f5";
static const char vec_msg9[] =
	"4147010900000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005b68acd6960cd8fe8566aa1fbe462eb1b"
	"34ca4930a9da8004205d250901117ff5a112f3d5fcd9e97ddc02cc9d64ffc2c0"
	"961a1c5e73cea11d6a83d3f31f0e5904";
static const char vec_pug[] =
	"174553b456dddfc6908ecab1c101fe6ab21e2baa0617795b7d43a63482993fd5";

static void expect_hex(struct __test_metadata *_metadata, const char *hex,
		       const uint8_t *p, size_t len)
{
	uint8_t want[64];

	ASSERT_EQ((int)len, unhex(hex, want, sizeof(want)));
	EXPECT_EQ(0, memcmp(p, want, len));
}

TEST(protocol_vectors)
{
	uint8_t b[16], mac[16], buf[512], out[512];
	size_t len, olen;
	int n;

	ASSERT_EQ(0, fixture_init());
	ASSERT_EQ(0, crypto_block_encrypt(F.k_sl, (const uint8_t *)F.a, b));
	expect_hex(_metadata, vec_a_ksl, b, 16);
	ASSERT_EQ(0, crypto_block_encrypt(F.k_a, (const uint8_t *)F.sl, b));
	expect_hex(_metadata, vec_sl_ka, b, 16);
	expect_hex(_metadata, vec_sl_ka, F.s_a, 16);
	expect_hex(_metadata, vec_pi, F.pi, 16);
	ASSERT_EQ(0, crypto_shared_leader(F.k_sl, F.a, F.pi, b));
	expect_hex(_metadata, vec_sl_ka, b, 16);
	expect_hex(_metadata, vec_k_ttp, F.k_ttp, 32);
	expect_hex(_metadata, vec_k_ch, F.k_ch, 32);
	ASSERT_EQ(0, crypto_mac_sk(F.sk, (const uint8_t *)"antigone", 8, mac));
	expect_hex(_metadata, vec_mac_sk, mac, 16);
	expect_hex(_metadata, vec_pug, F.pub, 32);

	/* 3 */
	{
		struct msg_pair_resp m;

		n = unhex(vec_msg3, buf, sizeof(buf));
		ASSERT_EQ(PROTO_PAIR_RESP_LEN, n);
		ASSERT_EQ(0, proto_decode_pair_resp(buf, (size_t)n, F.k_ttp,
						    &m));
		EXPECT_STREQ("leader", m.sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(0, memcmp(m.pi, F.pi, 16));
		EXPECT_EQ(I1, m.i1);
		EXPECT_STREQ("supplier", m.role);
	}
	/* 4, with an unknown TLV in its policy block */
	{
		struct msg_auth_resp m;

		n = unhex(vec_msg4, buf, sizeof(buf));
		ASSERT_LT(PROTO_AUTH_RESP_MIN, n);
		ASSERT_EQ(0, proto_decode_auth_resp(buf, (size_t)n, F.k_ch,
						    &m));
		EXPECT_STREQ("leader", m.sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_STREQ("grp", m.g.name);
		EXPECT_EQ(7, m.g.number);
		EXPECT_EQ(0x1122334455667788ull, m.g.rnd);
		EXPECT_EQ(I0, m.i0);
		EXPECT_EQ(I2, m.i2);
		EXPECT_EQ(0, memcmp(m.pug, F.pub, 32));
		EXPECT_EQ(1u << POLICY_TLV_GG | 1u << POLICY_TLV_SG |
			  1u << POLICY_TLV_RK | 1u << POLICY_TLV_SELECTOR,
			  m.policy.present);
		EXPECT_EQ(0x1f, m.policy.gg);
		EXPECT_EQ(3, m.policy.sg);
		EXPECT_EQ(60000, m.policy.rk_ms);
		ASSERT_EQ(1, m.policy.nselectors);
		EXPECT_EQ(4, m.policy.selectors[0].addr_len);
		EXPECT_EQ(0, memcmp(m.policy.selectors[0].addr,
				    "\xef\x01\x02\x03", 4));
		EXPECT_EQ(5000, m.policy.selectors[0].port);
	}
	/* 5 */
	{
		struct msg_join m;

		n = unhex(vec_msg5, buf, sizeof(buf));
		ASSERT_EQ(PROTO_JOIN_LEN, n);
		ASSERT_EQ(0, proto_decode_join(buf, (size_t)n, F.k_ch, &m));
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(I2, m.i2);
	}
	/* 6a */
	{
		struct msg_key m;

		n = unhex(vec_msg6a, buf, sizeof(buf));
		ASSERT_EQ(PROTO_KEY_LEN, n);
		ASSERT_EQ(0, proto_decode_key(buf, (size_t)n, F.k_ch, &m));
		EXPECT_EQ(S_SEQ, m.s_sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(7, m.key.epoch);
		EXPECT_EQ(3, m.key.sender);
		EXPECT_EQ(3, m.key.suite);
		EXPECT_EQ(60000, m.key.lifetime_ms);
		EXPECT_EQ(0, memcmp(m.key.sk, F.sk, 32));
	}
	/* 6c: two blocks, each member finds its own */
	{
		struct msg_rekey_part m;
		struct key_grant k;

		n = unhex(vec_msg6c, buf, sizeof(buf));
		ASSERT_EQ(PROTO_REKEY_MIN + 2 * PROTO_BLOCK_LEN, n);
		ASSERT_EQ(0, proto_decode_rekey_self(buf, (size_t)n, F.a,
						     F.k_ch, &m, &k));
		EXPECT_EQ(3, k.sender);
		EXPECT_EQ(0, memcmp(k.sk, F.sk, 32));
		EXPECT_EQ(0, m.part);
		EXPECT_EQ(1, m.parts);
		ASSERT_EQ(2, m.count);
		EXPECT_STREQ("alice", proto_rekey_id(&m, 0));
		EXPECT_STREQ("bob", proto_rekey_id(&m, 1));
		ASSERT_EQ(0, proto_decode_rekey_self(buf, (size_t)n, F.b,
						     F.k_b, &m, &k));
		EXPECT_EQ(4, k.sender);
		EXPECT_EQ(0, proto_decode_rekey(buf, (size_t)n, F.sk, &m));
		EXPECT_EQ(-ENOENT, proto_decode_rekey_self(buf, (size_t)n, F.c,
							   F.k_c, &m, &k));
	}
	/* 8 and 9 are deterministic: the encoders give the same bytes. */
	{
		struct msg_member_hb m = { .g = F.g, .s_a = S_SEQ };
		struct msg_member_hb d;

		memcpy(m.a, F.a, 16);
		n = unhex(vec_msg8, buf, sizeof(buf));
		ASSERT_EQ(PROTO_MEMBER_HB_LEN, n);
		ASSERT_EQ(0, proto_encode_member_hb(&m, F.k_ch, out,
						    sizeof(out), &olen));
		ASSERT_EQ((size_t)n, olen);
		EXPECT_EQ(0, memcmp(out, buf, olen));
		EXPECT_EQ(0, proto_decode_member_hb(buf, (size_t)n, F.k_ch,
						    &d));
	}
	{
		struct msg_leader_hb m = { .g = F.g, .s_sl = S_SEQ };
		struct msg_leader_hb d;

		n = unhex(vec_msg9, buf, sizeof(buf));
		ASSERT_EQ(PROTO_LEADER_HB_LEN, n);
		ASSERT_EQ(0, proto_encode_leader_hb(&m, F.prg, out,
						    sizeof(out), &len));
		ASSERT_EQ((size_t)n, len);
		EXPECT_EQ(0, memcmp(out, buf, len));
		EXPECT_EQ(0, proto_decode_leader_hb(buf, (size_t)n, F.pug,
						    &d));
		EXPECT_EQ(S_SEQ, d.s_sl);
	}
}

/* ---- round trips --------------------------------------------------------- */

static bool policy_eq(const struct policy_block *a,
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

static bool view_eq(const struct view_id *a, const struct view_id *b)
{
	return !memcmp(a->name, b->name, 16) && a->number == b->number &&
	       a->rnd == b->rnd;
}

static bool grant_eq(const struct key_grant *a, const struct key_grant *b)
{
	return a->epoch == b->epoch && a->sender == b->sender &&
	       a->suite == b->suite && a->lifetime_ms == b->lifetime_ms &&
	       !memcmp(a->sk, b->sk, 32);
}

TEST(round_trip_auth_req)
{
	struct msg_auth_req m;
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_auth_req(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_AUTH_REQ_LEN, len);
	EXPECT_EQ(0, memcmp(buf, "AG\x01\x01\0\0\0\0", 8));
	ASSERT_EQ(0, proto_decode_auth_req(buf, len, &m));
	EXPECT_STREQ("alice", m.a);
	EXPECT_EQ(I0, m.i0);
}

TEST(round_trip_pair_req)
{
	struct msg_pair_req m;
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_pair_req(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_PAIR_REQ_LEN, len);
	ASSERT_EQ(0, proto_decode_pair_req(buf, len, &m));
	EXPECT_STREQ("leader", m.sl);
	EXPECT_STREQ("alice", m.a);
	EXPECT_EQ(I1, m.i1);
}

TEST(round_trip_pair_resp)
{
	struct msg_pair_resp m;
	uint8_t other[32];
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_pair_resp(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_PAIR_RESP_LEN, len);
	ASSERT_EQ(0, proto_decode_pair_resp(buf, len, F.k_ttp, &m));
	EXPECT_EQ(0, memcmp(m.pi, F.pi, 16));
	EXPECT_EQ(I1, m.i1);
	/* Only the SL whose K_ttp it is can open it. */
	ASSERT_EQ(0, crypto_k_ttp(F.k_a, F.a, other));
	EXPECT_EQ(-EBADMSG, proto_decode_pair_resp(buf, len, other,
						   &m));
	EXPECT_EQ(0, m.i1);	/* wiped */
}

TEST(round_trip_auth_resp)
{
	struct msg_auth_resp m, e = { .g = { .number = 0 } };
	struct policy_block p = sample_policy();
	uint8_t pb[PROTO_POLICY_MAX];
	uint8_t buf[2048];
	size_t len, plen;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, proto_policy_encode(&p, pb, sizeof(pb), &plen));
	ASSERT_EQ(0, make_auth_resp(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_AUTH_RESP_MIN + plen, len);
	ASSERT_EQ(0, proto_decode_auth_resp(buf, len, F.k_ch, &m));
	EXPECT_STREQ("leader", m.sl);
	EXPECT_STREQ("alice", m.a);
	EXPECT_TRUE(view_eq(&F.g, &m.g));
	EXPECT_EQ(I0, m.i0);
	EXPECT_EQ(I2, m.i2);
	EXPECT_EQ(0, memcmp(m.pug, F.pub, 32));
	EXPECT_TRUE(policy_eq(&p, &m.policy));

	/* An empty policy block is allowed: 164 bytes. */
	e.g = F.g;
	memcpy(e.sl, F.sl, 16);
	memcpy(e.a, F.a, 16);
	ASSERT_EQ(0, proto_encode_auth_resp(&e, F.k_ch, buf,
					    sizeof(buf), &len));
	EXPECT_EQ(PROTO_AUTH_RESP_MIN, len);
	ASSERT_EQ(0, proto_decode_auth_resp(buf, len, F.k_ch, &m));
	EXPECT_EQ(0, m.policy.present);
}

TEST(round_trip_join)
{
	struct msg_join m;
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_join(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_JOIN_LEN, len);
	ASSERT_EQ(0, proto_decode_join(buf, len, F.k_ch, &m));
	EXPECT_STREQ("alice", m.a);
	EXPECT_EQ(I2, m.i2);
}

TEST(round_trip_keys)
{
	struct key_grant want = { 0 }, k;
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, make_samples());
	want = sample_grant();
	{
		struct msg_key m;

		ASSERT_EQ(0, make_key(buf, sizeof(buf), &len));
		EXPECT_EQ(PROTO_KEY_LEN, len);
		ASSERT_EQ(0, proto_decode_key(buf, len, F.k_ch, &m));
		EXPECT_TRUE(view_eq(&F.g, &m.g));
		EXPECT_EQ(S_SEQ, m.s_sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_TRUE(grant_eq(&want, &m.key));
		/* Another member's channel key opens nothing. */
		EXPECT_EQ(-EBADMSG, proto_decode_key(buf, len, F.k_b, &m));
	}
	{
		struct msg_key_members_part m;

		ASSERT_EQ(0, make_key_members(buf, sizeof(buf), &len));
		EXPECT_EQ(PROTO_KEY_MEMBERS_MIN + 3 * 16, len);
		ASSERT_EQ(0, proto_decode_key_members(buf, len, F.k_ch, &m));
		EXPECT_TRUE(view_eq(&F.g, &m.g));
		EXPECT_EQ(S_SEQ, m.s_sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_TRUE(grant_eq(&want, &m.key));
		EXPECT_EQ(0, m.part);
		EXPECT_EQ(1, m.parts);
		ASSERT_EQ(3, m.count);
		EXPECT_STREQ("bob", m.members[0]);
		EXPECT_STREQ("carol", m.members[1]);
		EXPECT_STREQ("dave", m.members[2]);
	}
	{
		struct msg_rekey_part m;
		const uint8_t *keys[3] = { F.k_ch, F.k_b, F.k_c };
		const char *ids[3] = { F.a, F.b, F.c };
		int i;

		ASSERT_EQ(0, make_rekey(buf, sizeof(buf), &len));
		EXPECT_EQ(PROTO_REKEY_MIN + 3 * PROTO_BLOCK_LEN, len);
		for (i = 0; i < 3; i++) {
			ASSERT_EQ(0, proto_decode_rekey_self(buf, len, ids[i],
							     keys[i], &m, &k));
			want.sender = 3 + (uint32_t)i;
			EXPECT_TRUE(grant_eq(&want, &k));
			EXPECT_TRUE(view_eq(&F.g, &m.g));
			EXPECT_EQ(S_SEQ, m.s_sl);
			EXPECT_EQ(i, proto_rekey_find(&m, ids[i]));
			ASSERT_EQ(0, proto_rekey_open(&m, (unsigned int)i,
						      keys[i], &k));
			EXPECT_TRUE(grant_eq(&want, &k));
			/* A block is only for its member. */
			EXPECT_EQ(-EBADMSG,
				  proto_rekey_open(&m, (unsigned int)i,
						   keys[(i + 1) % 3], &k));
		}
		EXPECT_EQ(-ENOENT, proto_rekey_find(&m, F.d));
		EXPECT_EQ(NULL, proto_rekey_id(&m, 3));
		EXPECT_EQ(-EINVAL, proto_rekey_open(&m, 3, F.k_ch, &k));
		ASSERT_EQ(0, proto_decode_rekey(buf, len, F.sk, &m));
		EXPECT_EQ(3, m.count);
		/* The MAC is under the new SK': another key fails it. */
		EXPECT_EQ(-EBADMSG, proto_decode_rekey(buf, len, F.k_b, &m));
		EXPECT_EQ(-ENOENT, proto_decode_rekey_self(buf, len, F.d,
							   F.k_ch, &m, &k));
	}
}

TEST(round_trip_member_hb)
{
	struct msg_member_hb m;
	static uint8_t buf[PROTO_DGRAM_MAX + 1];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_member_hb(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_MEMBER_HB_LEN, len);
	ASSERT_EQ(0, proto_decode_member_hb(buf, len, F.k_ch, &m));
	EXPECT_TRUE(view_eq(&F.g, &m.g));
	EXPECT_EQ(S_SEQ, m.s_a);
	EXPECT_STREQ("alice", m.a);
	EXPECT_EQ(-EBADMSG, proto_decode_member_hb(buf, len, F.k_b,
						   &m));
}

TEST(round_trip_leader_hb)
{
	struct msg_leader_hb m;
	struct crypto_sig_key *other = NULL;
	static uint8_t buf[PROTO_DGRAM_MAX + 1];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_leader_hb(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_LEADER_HB_LEN, len);
	ASSERT_EQ(0, proto_decode_leader_hb(buf, len, F.pug, &m));
	EXPECT_TRUE(view_eq(&F.g, &m.g));
	EXPECT_EQ(S_SEQ, m.s_sl);
	ASSERT_EQ(0, crypto_sig_generate(&other));
	EXPECT_EQ(-EBADMSG, proto_decode_leader_hb(buf, len, other,
						   &m));
	crypto_sig_free(other);
}

TEST(round_trip_retransmit)
{
	struct msg_retransmit m;
	static uint8_t buf[PROTO_DGRAM_MAX + 1];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_retransmit(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_RETRANSMIT_LEN, len);
	ASSERT_EQ(0, proto_decode_retransmit(buf, len, &m));
	EXPECT_TRUE(view_eq(&F.g, &m.g));
	EXPECT_STREQ("alice", m.a);
}

TEST(round_trip_leave)
{
	struct msg_leave m, l = { .g = { .number = 0 } };
	static uint8_t buf[PROTO_DGRAM_MAX + 1];
	size_t len;

	ASSERT_EQ(0, make_samples());
	l.g = F.g;
	ASSERT_EQ(0, make_leave(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_LEAVE_LEN, len);
	ASSERT_EQ(0, proto_decode_leave(buf, len, F.k_ch, &m));
	EXPECT_STREQ("alice", m.a);
	EXPECT_TRUE(view_eq(&F.g, &m.g));
	EXPECT_STREQ("bob", m.b);
	/* A plain leave: B all zero. */
	memcpy(l.a, F.a, 16);
	ASSERT_EQ(0, proto_encode_leave(&l, F.k_ch, buf, sizeof(buf),
					&len));
	ASSERT_EQ(0, proto_decode_leave(buf, len, F.k_ch, &m));
	EXPECT_STREQ("", m.b);
}

TEST(round_trip_relay)
{
	static uint8_t big[PROTO_DGRAM_MAX];
	struct msg_relay m, r = { .port = 4511, .data = big };
	size_t sizes[] = { 1, 20, 1400, PROTO_DGRAM_MAX - 54 };
	unsigned int i;
	static uint8_t buf[PROTO_DGRAM_MAX + 1];
	size_t len;

	ASSERT_EQ(0, make_samples());
	ASSERT_EQ(0, make_relay(buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_RELAY_MIN + sizeof(relay_payload), len);
	ASSERT_EQ(0, proto_decode_relay(buf, len, F.k_ch, &m,
					relay_out, sizeof(relay_out)));
	EXPECT_EQ(5000, m.port);
	ASSERT_EQ(sizeof(relay_payload), m.len);
	EXPECT_EQ(0, memcmp(m.data, relay_payload, m.len));
	/* Too small an output buffer: refused before decrypting. */
	EXPECT_EQ(-ENOBUFS, proto_decode_relay(buf, len, F.k_ch, &m,
					       relay_out, 99));

	fill_rand(big, sizeof(big));
	memcpy(r.a, F.b, 16);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		r.len = sizes[i];
		ASSERT_EQ(0, proto_encode_relay(&r, F.k_ch, buf,
						sizeof(buf), &len));
		EXPECT_EQ(PROTO_RELAY_MIN + sizes[i], len);
		ASSERT_EQ(0, proto_decode_relay(buf, len, F.k_ch, &m,
						relay_out,
						sizeof(relay_out)));
		EXPECT_STREQ("bob", m.a);
		EXPECT_EQ(4511, m.port);
		ASSERT_EQ(sizes[i], m.len);
		EXPECT_EQ(0, memcmp(m.data, big, m.len));
	}
	r.len = PROTO_DGRAM_MAX - 53;
	EXPECT_EQ(-EMSGSIZE, proto_encode_relay(&r, F.k_ch, buf,
						sizeof(buf), &len));
}

TEST(peek)
{
	static const char *const who[NKINDS] = {
		"alice", "alice", "alice", "alice", "alice", "alice", "alice",
		"", "", "alice", "", "alice", "alice", "alice",
	};
	static const uint8_t types[NKINDS] = {
		1, 2, 3, 4, 5, 0x6a, 0x6b, 0x6c, 0x6c, 8, 9, 0x0a, 0x0b, 0x0c,
	};
	char id[16];
	uint8_t t;
	size_t i;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		ASSERT_EQ(0, proto_peek(samples[i].buf, samples[i].len, &t,
					id)) TH_LOG("%s", kinds[i].name);
		EXPECT_EQ(types[i], t);
		EXPECT_STREQ(who[i], id);
	}
	EXPECT_EQ(-EMSGSIZE, proto_peek(samples[0].buf, 7, &t, id));
	EXPECT_EQ(-EMSGSIZE, proto_peek(samples[0].buf, 23, &t, id));
	samples[0].buf[3] = 0x07;	/* no such type */
	EXPECT_EQ(-EPROTO, proto_peek(samples[0].buf, samples[0].len, &t,
				      id));
	samples[0].buf[3] = 0x01;
	samples[0].buf[8] = '/';
	EXPECT_EQ(-EPROTO, proto_peek(samples[0].buf, samples[0].len, &t,
				      id));
}

/* ---- every message: truncation, bit flips, trailing bytes, identities ---- */

TEST(truncation)
{
	size_t i, l, bad = 0;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		const struct kind *k = &kinds[i];

		for (l = 0; l < samples[i].len; l++) {
			uint8_t *b = dup_buf(samples[i].buf, l);
			int ret = k->decode(b, l);
			bool ok = ret == -EMSGSIZE ||
				  (k->variable && ret == -EBADMSG);

			free(b);
			if (!ok && bad++ < 10)
				TH_LOG("%s cut to %zu: %d", k->name, l, ret);
		}
	}
	EXPECT_EQ(0, bad);
}

TEST(trailing_bytes)
{
	static const size_t extra[] = { 1, 2, 15, 16, 89, 200 };
	size_t i, j, bad = 0;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		const struct kind *k = &kinds[i];

		for (j = 0; j < ARRAY_SIZE(extra); j++) {
			size_t l = samples[i].len + extra[j];
			uint8_t *b = malloc(l);
			int ret;
			bool ok;

			ASSERT_NE(NULL, b);
			memcpy(b, samples[i].buf, samples[i].len);
			fill_rand(b + samples[i].len, extra[j]);
			ret = k->decode(b, l);
			/* A longer 4, 6b, 6c or RELAY moves its tag or MAC. */
			ok = ret == -EMSGSIZE ||
			     (k->variable && ret == -EBADMSG);
			free(b);
			if (!ok && bad++ < 10)
				TH_LOG("%s + %zu bytes: %d", k->name,
				       extra[j], ret);
		}
	}
	EXPECT_EQ(0, bad);
}

/*
 * Whether the decoder's answer to a sample with one bit flipped is right;
 * *changed counts the flips that gave another valid unauthenticated one.
 */
static bool flip_ok(const struct kind *k, const uint8_t *b, size_t len,
		    size_t pos, size_t *changed)
{
	uint8_t out[4096];
	size_t olen = 0;
	int ret = k->decode(b, len);

	if (!k->again)
		return ret == -EBADMSG || ret == -EPROTO ||
		       (k->enoent && ret == -ENOENT);
	if (pos < PROTO_HDR_LEN)
		return ret == -EPROTO;
	/*
	 * Unauthenticated: another valid message (a nonce, a letter), which
	 * encodes back to the same bytes, or -EPROTO; never a half-read one.
	 */
	ret = k->again(b, len, out, &olen);
	*changed += !ret;
	return ret == -EPROTO || (!ret && olen == len && !memcmp(out, b, len));
}

TEST(bit_flips)
{
	size_t i, pos, bad = 0, changed = 0;
	int bit;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		size_t len = samples[i].len;

		for (pos = 0; pos < len; pos++) {
			for (bit = 0; bit < 8; bit++) {
				uint8_t *b = dup_buf(samples[i].buf, len);
				bool ok;

				b[pos] ^= (uint8_t)(1 << bit);
				ok = flip_ok(&kinds[i], b, len, pos, &changed);
				free(b);
				if (!ok && bad++ < 10)
					TH_LOG("%s byte %zu bit %d",
					       kinds[i].name, pos, bit);
			}
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_LT(0, changed);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int n;

	for (n = 0; n < 8; n++)
		p[n] = (uint8_t)(v >> (56 - 8 * n));
}

/* Non-canonical forms of an identity, written at p. */
static void bad_id(uint8_t *p, int variant)
{
	switch (variant) {
	case 0:
		p[0] = '/';			/* a character not allowed */
		break;
	case 1:
		p[15] = 'x';			/* bytes after the NUL */
		break;
	case 2:
		memset(p, 'a', 16);		/* 16 characters, no NUL */
		break;
	case 3:
		memset(p, 0, 16);		/* empty */
		break;
	case 4:
		p[1] = ' ';
		break;
	case 5:
		p[0] = (uint8_t)'\xc3';		/* not ASCII */
		break;
	}
}

TEST(identities_and_views)
{
	size_t i, j, bad = 0;
	int v;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		const struct kind *k = &kinds[i];
		size_t len = samples[i].len;
		size_t offs[4] = { k->ids[0], k->ids[1], k->ids[2], k->view };

		for (j = 0; j < 4; j++) {
			if (!offs[j])
				continue;
			for (v = 0; v < 6; v++) {
				uint8_t *b = dup_buf(samples[i].buf, len);
				int ret;

				bad_id(b + offs[j], v);
				ret = k->decode(b, len);
				free(b);
				if (ret != -EPROTO && bad++ < 10)
					TH_LOG("%s id at %zu variant %d: %d",
					       k->name, offs[j], v, ret);
			}
		}
		if (k->view) {
			/* View numbers 0 and >= 2^32 are no epoch. */
			static const uint64_t nums[] = {
				0, 1ull << 32, UINT64_MAX,
			};

			for (j = 0; j < ARRAY_SIZE(nums); j++) {
				uint8_t *b = dup_buf(samples[i].buf, len);
				int ret;

				put_be64(b + k->view + 16, nums[j]);
				ret = k->decode(b, len);
				free(b);
				if (ret != -EPROTO && bad++ < 10)
					TH_LOG("%s view #%zu: %d", k->name, j,
					       ret);
			}
		}
		if (k->ids[1] == 24) {
			/* 2, 3, 4: SL and A must differ. */
			uint8_t *b = dup_buf(samples[i].buf, len);
			int ret;

			memcpy(b + 24, b + 8, 16);
			ret = k->decode(b, len);
			free(b);
			if (ret != -EPROTO && bad++ < 10)
				TH_LOG("%s SL == A: %d", k->name, ret);
		}
	}
	EXPECT_EQ(0, bad);
}

TEST(header_fields)
{
	size_t i, j, bad = 0;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < NKINDS; i++) {
		const struct kind *k = &kinds[i];
		size_t len = samples[i].len;
		uint8_t own = samples[i].buf[3];

		/* Every other type, known or not, on this decoder. */
		for (j = 0; j < 256; j++) {
			uint8_t *b = dup_buf(samples[i].buf, len);
			int ret;

			if (j == own) {
				free(b);
				continue;
			}
			b[3] = (uint8_t)j;
			ret = k->decode(b, len);
			free(b);
			if (ret != -EPROTO && bad++ < 10)
				TH_LOG("%s as type %zu: %d", k->name, j, ret);
		}
		/* Magic, version, flags, each reserved byte. */
		for (j = 0; j < 8; j++) {
			uint8_t *b = dup_buf(samples[i].buf, len);
			int ret;

			if (j == 3) {
				free(b);
				continue;
			}
			b[j] = j == 2 ? 2 : (uint8_t)(b[j] + 1);
			ret = k->decode(b, len);
			free(b);
			if (ret != -EPROTO && bad++ < 10)
				TH_LOG("%s header byte %zu: %d", k->name, j,
				       ret);
		}
	}
	EXPECT_EQ(0, bad);
}

/* ---- what only the keys vouch for: messages re-sealed with bad content --- */

/*
 * Opens the AEAD after the first aad_len bytes of msg, lets edit change the
 * plaintext, and seals it again under the same key and nonce: a message
 * that authenticates but says what the test wants.
 */
static int reseal(uint8_t *msg, size_t len, size_t aad_len,
		  const uint8_t *key, void (*edit)(uint8_t *pt))
{
	size_t ct_len = len - aad_len - CRYPTO_NONCE_LEN;
	uint8_t pt[2048];
	int ret;

	ret = crypto_aead_open(key, msg + aad_len, msg, aad_len,
			       msg + aad_len + CRYPTO_NONCE_LEN, ct_len, pt);
	if (ret)
		return ret;
	edit(pt);
	return crypto_aead_seal_nonce(key, msg + aad_len, msg, aad_len, pt,
				      ct_len - CRYPTO_TAG_LEN,
				      msg + aad_len + CRYPTO_NONCE_LEN);
}

/* The same for a key block at off (AAD: H || g || S || X), then the MAC. */
static int reseal_block(uint8_t *msg, size_t len, size_t off,
			const uint8_t *key, void (*edit)(uint8_t *pt))
{
	uint8_t aad[64], pt[PROTO_GRANT_LEN];
	int ret;

	memcpy(aad, msg, 48);
	memcpy(aad + 48, msg + off, 16);
	ret = crypto_aead_open(key, msg + off + 16, aad, 64, msg + off + 28,
			       PROTO_GRANT_LEN + CRYPTO_TAG_LEN, pt);
	if (ret)
		return ret;
	edit(pt);
	ret = crypto_aead_seal_nonce(key, msg + off + 16, aad, 64, pt,
				     PROTO_GRANT_LEN, msg + off + 28);
	return ret ? ret : crypto_mac_sk(F.sk, msg, len - 16, msg + len - 16);
}

static int remac(uint8_t *msg, size_t len)
{
	return crypto_mac_sk(F.sk, msg, len - 16, msg + len - 16);
}

static void edit_first_char(uint8_t *pt)
{
	pt[0] = 'b';			/* "alice" -> "blice" */
}

static void edit_4_inner_a(uint8_t *pt)
{
	pt[32] = 'b';
}

static void edit_4_view_zero(uint8_t *pt)
{
	memset(pt + 16, 0, 8);
}

static void edit_4_policy_len(uint8_t *pt)
{
	pt[96 + 1] = 2;			/* GG with 2 bytes */
}

static void edit_4_policy_value(uint8_t *pt)
{
	pt[96 + 5] = 4;			/* SG 4: no such guarantee */
}

static void edit_11_inner_a(uint8_t *pt)
{
	pt[32] = 'b';
}

static void edit_11_b_is_a(uint8_t *pt)
{
	memcpy(pt + 48, pt + 32, 16);
}

static void edit_11_b_bad(uint8_t *pt)
{
	pt[48 + 15] = 'x';
}

static void edit_11_view_bad(uint8_t *pt)
{
	pt[0] = '*';
}

static void edit_12_port_zero(uint8_t *pt)
{
	pt[0] = 0;
	pt[1] = 0;
}

static void edit_grant_epoch(uint8_t *pt)
{
	pt[3] = 8;			/* epoch 8 in view 7 */
}

static void edit_grant_suite(uint8_t *pt)
{
	pt[8] = 4;
}

static void edit_grant_suite0(uint8_t *pt)
{
	pt[8] = 0;
}

static size_t kind_index(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return i;
	abort();
}

/* A copy of a sample to edit. */
static uint8_t *sample_copy(const char *name, size_t *len)
{
	size_t i = kind_index(name);

	*len = samples[i].len;
	return dup_buf(samples[i].buf, samples[i].len);
}

TEST(authenticated_content)
{
	struct msg_auth_resp m4;
	struct msg_join m5;
	struct msg_leave m11;
	struct msg_relay m12;
	struct msg_key m6a;
	struct msg_key_members_part m6b;
	struct msg_rekey_part m6c;
	struct key_grant k;
	uint8_t *b;
	size_t len;

	ASSERT_EQ(0, make_samples());

	/* 4: the inner A is not the outer one; bad g; bad policy. */
	b = sample_copy("AUTH_RESP", &len);
	ASSERT_EQ(0, reseal(b, len, 40, F.k_ch, edit_4_inner_a));
	EXPECT_EQ(-EPROTO, proto_decode_auth_resp(b, len, F.k_ch, &m4));
	free(b);
	b = sample_copy("AUTH_RESP", &len);
	ASSERT_EQ(0, reseal(b, len, 40, F.k_ch, edit_4_view_zero));
	EXPECT_EQ(-EPROTO, proto_decode_auth_resp(b, len, F.k_ch, &m4));
	free(b);
	b = sample_copy("AUTH_RESP", &len);
	ASSERT_EQ(0, reseal(b, len, 40, F.k_ch, edit_4_policy_len));
	EXPECT_EQ(-EPROTO, proto_decode_auth_resp(b, len, F.k_ch, &m4));
	free(b);
	b = sample_copy("AUTH_RESP", &len);
	ASSERT_EQ(0, reseal(b, len, 40, F.k_ch, edit_4_policy_value));
	EXPECT_EQ(-EPROTO, proto_decode_auth_resp(b, len, F.k_ch, &m4));
	free(b);

	/* 5: the inner A is not the outer one. */
	b = sample_copy("JOIN", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_first_char));
	EXPECT_EQ(-EPROTO, proto_decode_join(b, len, F.k_ch, &m5));
	free(b);

	/* 11: inner A, B = A, B not canonical, bad g. */
	b = sample_copy("LEAVE", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_11_inner_a));
	EXPECT_EQ(-EPROTO, proto_decode_leave(b, len, F.k_ch, &m11));
	free(b);
	b = sample_copy("LEAVE", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_11_b_is_a));
	EXPECT_EQ(-EPROTO, proto_decode_leave(b, len, F.k_ch, &m11));
	free(b);
	b = sample_copy("LEAVE", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_11_b_bad));
	EXPECT_EQ(-EPROTO, proto_decode_leave(b, len, F.k_ch, &m11));
	free(b);
	b = sample_copy("LEAVE", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_11_view_bad));
	EXPECT_EQ(-EPROTO, proto_decode_leave(b, len, F.k_ch, &m11));
	free(b);

	/* RELAY: port 0. */
	b = sample_copy("RELAY", &len);
	ASSERT_EQ(0, reseal(b, len, 24, F.k_ch, edit_12_port_zero));
	EXPECT_EQ(-EPROTO, proto_decode_relay(b, len, F.k_ch, &m12,
					      relay_out, sizeof(relay_out)));
	free(b);

	/* 6a: an epoch that is not the view number; unknown suites. */
	b = sample_copy("KEY", &len);
	ASSERT_EQ(0, reseal_block(b, len, 48, F.k_ch, edit_grant_epoch));
	EXPECT_EQ(-EPROTO, proto_decode_key(b, len, F.k_ch, &m6a));
	free(b);
	b = sample_copy("KEY", &len);
	ASSERT_EQ(0, reseal_block(b, len, 48, F.k_ch, edit_grant_suite));
	EXPECT_EQ(-EPROTO, proto_decode_key(b, len, F.k_ch, &m6a));
	free(b);
	b = sample_copy("KEY", &len);
	ASSERT_EQ(0, reseal_block(b, len, 48, F.k_ch, edit_grant_suite0));
	EXPECT_EQ(-EPROTO, proto_decode_key(b, len, F.k_ch, &m6a));
	free(b);
	/* The sample itself still decodes after a no-op re-MAC. */
	b = sample_copy("KEY", &len);
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(0, proto_decode_key(b, len, F.k_ch, &m6a));
	free(b);

	/* 6b: members list (at 143, 16 each), counts (at 137). */
	b = sample_copy("KEY_MEMBERS", &len);
	b[143 + 16 + 15] = 'x';
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	memcpy(b + 143 + 32, b + 143, 16);	/* dave -> bob again */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	memcpy(b + 143, F.a, 16);		/* A among the others */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	b[142] = 2;				/* count 2 of 3 */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EMSGSIZE, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	b[138] = 1;				/* part 1 of 1 */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	b[140] = 0;				/* part 0 of 0 */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);
	b = sample_copy("KEY_MEMBERS", &len);
	ASSERT_EQ(0, reseal_block(b, len, 48, F.k_ch, edit_grant_epoch));
	EXPECT_EQ(-EPROTO, proto_decode_key_members(b, len, F.k_ch, &m6b));
	free(b);

	/* 6c: block identities (54 + 89 i), counts (at 48). */
	b = sample_copy("REKEY", &len);
	b[54 + 89 + 15] = 'x';
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_rekey(b, len, F.sk, &m6c));
	EXPECT_EQ(-EPROTO, proto_decode_rekey_self(b, len, F.a, F.k_ch, &m6c,
						   &k));
	free(b);
	b = sample_copy("REKEY", &len);
	memcpy(b + 54 + 2 * 89, b + 54 + 89, 16);	/* bob twice */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_rekey(b, len, F.sk, &m6c));
	free(b);
	b = sample_copy("REKEY", &len);
	b[53] = 4;				/* count 4 of 3 */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EMSGSIZE, proto_decode_rekey(b, len, F.sk, &m6c));
	free(b);
	b = sample_copy("REKEY", &len);
	b[49] = 1;				/* part 1 of 1 */
	ASSERT_EQ(0, remac(b, len));
	EXPECT_EQ(-EPROTO, proto_decode_rekey(b, len, F.sk, &m6c));
	free(b);
	b = sample_copy("REKEY", &len);
	ASSERT_EQ(0, reseal_block(b, len, 54, F.k_ch, edit_grant_epoch));
	EXPECT_EQ(-EPROTO, proto_decode_rekey_self(b, len, F.a, F.k_ch, &m6c,
						   &k));
	EXPECT_EQ(0, k.epoch);			/* wiped */
	free(b);
}

/* ---- policy block -------------------------------------------------------- */

static int policy_of(const char *hex, struct policy_block *p)
{
	uint8_t buf[PROTO_POLICY_MAX + 64];
	int n = unhex(hex, buf, sizeof(buf));

	if (n < 0)
		return -1000;
	return proto_policy_decode(buf, (size_t)n, p);
}

TEST(policy_block)
{
	struct policy_block p = sample_policy(), q;
	uint8_t buf[PROTO_POLICY_MAX + 64];
	size_t len, l;
	int i;

	/* Round trip, and every cut inside a TLV. */
	ASSERT_EQ(0, proto_policy_encode(&p, buf, sizeof(buf), &len));
	ASSERT_EQ(0, proto_policy_decode(buf, len, &q));
	EXPECT_TRUE(policy_eq(&p, &q));
	for (l = 0; l < len; l++) {
		uint8_t *b = dup_buf(buf, l);
		int ret = proto_policy_decode(b, l, &q);

		free(b);
		/* A cut at a TLV boundary is a shorter valid block. */
		EXPECT_TRUE(ret == 0 || ret == -EMSGSIZE);
	}
	ASSERT_EQ(0, proto_policy_decode(buf, 0, &q));
	EXPECT_EQ(0, q.present);
	ASSERT_EQ(-ENOBUFS, proto_policy_encode(&p, buf, len - 1, &l));

	/* Unknown types are skipped, whatever their length. */
	EXPECT_EQ(0, policy_of("0000 0d00 ff03aabbcc 0101 10 8000", &q));
	EXPECT_EQ(1u << POLICY_TLV_GG, q.present);
	EXPECT_EQ(0x10, q.gg);

	/* A known type with a wrong length, value, or twice. */
	EXPECT_EQ(-EPROTO, policy_of("010200 00", &q));
	EXPECT_EQ(-EPROTO, policy_of("0100", &q));
	EXPECT_EQ(-EPROTO, policy_of("03020000", &q));
	EXPECT_EQ(-EPROTO, policy_of("0a05 0102030405", &q));
	EXPECT_EQ(-EPROTO, policy_of("0c05 0102030405", &q));
	EXPECT_EQ(-EPROTO, policy_of("010120", &q));	/* GG bit 32 */
	EXPECT_EQ(-EPROTO, policy_of("020100", &q));	/* SG 0 */
	EXPECT_EQ(-EPROTO, policy_of("020104", &q));
	EXPECT_EQ(-EPROTO, policy_of("050102", &q));	/* MM 2 */
	EXPECT_EQ(-EPROTO, policy_of("060104", &q));	/* FP 4 */
	EXPECT_EQ(-EPROTO, policy_of("070104", &q));	/* suite 4 */
	EXPECT_EQ(-EPROTO, policy_of("070100", &q));
	EXPECT_EQ(-EPROTO, policy_of("080100", &q));	/* transport 0 */
	EXPECT_EQ(-EPROTO, policy_of("090100", &q));	/* misses 0 */
	EXPECT_EQ(-EPROTO, policy_of("010101 010102", &q));
	EXPECT_EQ(-EPROTO, policy_of("0304000000010304 00000002", &q));
	EXPECT_EQ(-EPROTO, policy_of("0c04 e0000001", &q));	/* no port */
	EXPECT_EQ(-EPROTO, policy_of("0c06 e00000010000", &q));	/* port 0 */
	EXPECT_EQ(0, policy_of("0c06 e000000111a0", &q));
	EXPECT_EQ(4, q.group_addr_len);
	EXPECT_EQ(4512, q.group_port);

	/* Overruns. */
	EXPECT_EQ(-EMSGSIZE, policy_of("01", &q));
	EXPECT_EQ(-EMSGSIZE, policy_of("0304 000000", &q));
	EXPECT_EQ(-EMSGSIZE, policy_of("ff05 00", &q));

	/* Selectors repeat, up to 16. */
	memset(&p, 0, sizeof(p));
	p.present = 1u << POLICY_TLV_SELECTOR;
	p.nselectors = POLICY_MAX_SELECTORS;
	for (i = 0; i < POLICY_MAX_SELECTORS; i++) {
		p.selectors[i].addr_len = i % 2 ? 16 : 4;
		p.selectors[i].addr[0] = (uint8_t)i;
		p.selectors[i].port = (uint16_t)(5000 + i);
	}
	ASSERT_EQ(0, proto_policy_encode(&p, buf, sizeof(buf), &len));
	ASSERT_EQ(0, proto_policy_decode(buf, len, &q));
	EXPECT_TRUE(policy_eq(&p, &q));
	memcpy(buf + len, "\x0a\x06\x01\x02\x03\x04\x00\x01", 8);
	EXPECT_EQ(-E2BIG, proto_policy_decode(buf, len + 8, &q));
	EXPECT_EQ(0, q.present);		/* wiped on failure */

	/* At most PROTO_POLICY_MAX bytes, even of unknown TLVs. */
	memset(buf, 0, sizeof(buf));
	for (l = 0; l + 257 <= PROTO_POLICY_MAX; l += 257) {
		buf[l] = 200;
		buf[l + 1] = 255;
	}
	EXPECT_EQ(0, proto_policy_decode(buf, l, &q));
	EXPECT_EQ(-EMSGSIZE, proto_policy_decode(buf, PROTO_POLICY_MAX + 1,
						 &q));

	/* The encoder refuses what the decoder would. */
	p = sample_policy();
	p.sg = 0;
	EXPECT_EQ(-EINVAL, proto_policy_encode(&p, buf, sizeof(buf), &len));
	p = sample_policy();
	p.nselectors = 0;
	EXPECT_EQ(-EINVAL, proto_policy_encode(&p, buf, sizeof(buf), &len));
	p = sample_policy();
	p.selectors[1].addr_len = 8;
	EXPECT_EQ(-EINVAL, proto_policy_encode(&p, buf, sizeof(buf), &len));
	p = sample_policy();
	p.present |= 1u << 13;
	EXPECT_EQ(-EINVAL, proto_policy_encode(&p, buf, sizeof(buf), &len));
	p = sample_policy();
	p.nselectors = POLICY_MAX_SELECTORS + 1;
	EXPECT_EQ(-EINVAL, proto_policy_encode(&p, buf, sizeof(buf), &len));
}

/* ---- 6b and 6c split ----------------------------------------------------- */

TEST(rekey_1000_members)
{
	enum { N = 1000 };
	static struct rekey_member r[N];
	static uint8_t keys[N][32];
	static unsigned char seen[N];
	struct msg_rekey m = { .count = N, .members = r };
	struct parts *p = calloc(1, sizeof(*p));
	struct msg_rekey_part part;
	struct key_grant k, want;
	unsigned int i, j, total = 0, bad = 0;
	const uint8_t *ids;
	const char *last;
	size_t peeked;
	int parts;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	m.g.number = 8;			/* the new view */
	m.s_sl = 42;
	m.key = sample_grant();
	m.key.epoch = 8;
	for (i = 0; i < N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "member-%u", i);
		ASSERT_EQ(0, proto_id_set(r[i].id, name));
		r[i].sender = i + 1;
		fill_rand(keys[i], 32);
		r[i].k_ch = keys[i];
	}
	parts = proto_rekey_parts(N, PROTO_DGRAM_DEFAULT);
	/* (1400 - 70) / 89 = 14 blocks a part. */
	ASSERT_EQ((N + 13) / 14, parts);
	ASSERT_EQ(0, proto_encode_rekey(&m, PROTO_DGRAM_DEFAULT, collect, p));
	ASSERT_EQ((unsigned int)parts, p->n);

	/* Every part alone: at most 1400 bytes, verified by SK'. */
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < p->n; i++) {
		EXPECT_GE(PROTO_DGRAM_DEFAULT, p->len[i]);
		ASSERT_EQ(0, proto_decode_rekey(p->buf[i], p->len[i], F.sk,
						&part));
		EXPECT_EQ(i, part.part);
		EXPECT_EQ(parts, part.parts);
		EXPECT_EQ(42, part.s_sl);
		EXPECT_EQ(8, part.g.number);
		/* The leader's unverified peek names the same blocks. */
		peeked = proto_rekey_peek_ids(p->buf[i], p->len[i], &ids);
		ASSERT_EQ(part.count, peeked);
		last = (const char *)ids + (peeked - 1) * PROTO_BLOCK_LEN;
		EXPECT_STREQ(proto_rekey_id(&part, 0), (const char *)ids);
		EXPECT_STREQ(proto_rekey_id(&part, part.count - 1), last);
		peeked = proto_rekey_peek_ids(p->buf[i], p->len[i] - 1, &ids);
		EXPECT_EQ(0, peeked);
		for (j = 0; j < part.count; j++) {
			unsigned int idx;

			ASSERT_EQ(1, sscanf(proto_rekey_id(&part, j),
					    "member-%u", &idx));
			ASSERT_GT(N, idx);
			seen[idx]++;
			total++;
		}
	}
	/* The union of the parts' identities is the member list. */
	EXPECT_EQ(N, total);
	for (i = 0; i < N; i++)
		bad += seen[i] != 1;
	EXPECT_EQ(0, bad);

	/* Each member finds its block in exactly one part. */
	want = m.key;
	for (i = 0; i < N; i++) {
		unsigned int found = 0;

		for (j = 0; j < p->n; j++) {
			int ret = proto_decode_rekey_self(p->buf[j], p->len[j],
							  r[i].id, keys[i],
							  &part, &k);

			if (ret == -ENOENT)
				continue;
			if (ret) {
				bad++;
				continue;
			}
			found++;
			want.sender = i + 1;
			bad += !grant_eq(&want, &k);
			bad += (unsigned int)proto_rekey_find(&part,
							      r[i].id) !=
			       i % 14;
		}
		bad += found != 1;
	}
	EXPECT_EQ(0, bad);

	/* A flipped bit fails its part alone. */
	p->buf[5][54 + 3 * 89 + 40] ^= 0x10;
	for (i = 0; i < p->n; i++)
		EXPECT_EQ(i == 5 ? -EBADMSG : 0,
			  proto_decode_rekey(p->buf[i], p->len[i], F.sk,
					     &part));
	/* Its members cannot use it (their block or the MAC fails)... */
	for (i = 5 * 14; i < 6 * 14; i++)
		EXPECT_EQ(-EBADMSG,
			  proto_decode_rekey_self(p->buf[5], p->len[5],
						  r[i].id, keys[i], &part,
						  &k));
	/* ...and the others still can. */
	EXPECT_EQ(0, proto_decode_rekey_self(p->buf[6], p->len[6],
					     r[6 * 14].id, keys[6 * 14],
					     &part, &k));
	parts_free(p);

	/* The largest datagrams: 735 blocks a part. */
	ASSERT_EQ(2, proto_rekey_parts(N, PROTO_DGRAM_MAX));
	ASSERT_EQ(0, proto_encode_rekey(&m, PROTO_DGRAM_MAX, collect, p));
	ASSERT_EQ(2, p->n);
	EXPECT_EQ(PROTO_REKEY_MIN + 735 * PROTO_BLOCK_LEN, p->len[0]);
	EXPECT_EQ(0, proto_decode_rekey(p->buf[0], p->len[0], F.sk, &part));
	EXPECT_EQ(0, proto_decode_rekey(p->buf[1], p->len[1], F.sk, &part));
	EXPECT_EQ(N - 735, part.count);
	parts_free(p);
	free(p);
}

TEST(rekey_split_sizes)
{
	static struct rekey_member r[40];
	struct msg_rekey m = { .members = r };
	struct parts *p = calloc(1, sizeof(*p));
	struct msg_rekey_part part;
	size_t max, n, i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	m.key = sample_grant();
	for (i = 0; i < 40; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%zu", i);
		ASSERT_EQ(0, proto_id_set(r[i].id, name));
		r[i].k_ch = F.k_b;
	}
	/* Exactly at a block boundary, and one byte short of it. */
	for (max = PROTO_REKEY_MIN + PROTO_BLOCK_LEN;
	     max <= PROTO_REKEY_MIN + 5 * PROTO_BLOCK_LEN + 1; max++) {
		size_t per = (max - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN;

		for (n = 1; n <= 40; n += 13) {
			m.count = n;
			ASSERT_EQ((int)((n + per - 1) / per),
				  proto_rekey_parts(n, max));
			ASSERT_EQ(0, proto_encode_rekey(&m, max, collect, p));
			for (i = 0; i < p->n; i++) {
				ASSERT_GE(max, p->len[i]);
				ASSERT_EQ(0, proto_decode_rekey(p->buf[i],
								p->len[i],
								F.sk, &part));
			}
			parts_free(p);
		}
	}
	EXPECT_EQ(-EMSGSIZE, proto_rekey_parts(1, PROTO_REKEY_MIN + 88));
	EXPECT_EQ(-EINVAL, proto_rekey_parts(0, 1400));
	EXPECT_EQ(-EINVAL, proto_rekey_parts(1, PROTO_DGRAM_MAX + 1));
	EXPECT_EQ(-EMSGSIZE, proto_rekey_parts(65536, PROTO_REKEY_MIN + 89));
	m.count = 1;
	EXPECT_EQ(-EMSGSIZE, proto_encode_rekey(&m, PROTO_REKEY_MIN + 88,
						collect, p));
	free(p);
}

TEST(key_members_split)
{
	enum { N = 200 };
	static char others[N][16];
	static unsigned char seen[N];
	struct msg_key_members m = { .members = others };
	struct parts *p = calloc(1, sizeof(*p));
	struct msg_key_members_part part;
	unsigned int i, j, total = 0, bad = 0;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	m.s_sl = 9;
	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	for (i = 0; i < N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "other%u", i);
		ASSERT_EQ(0, proto_id_set(others[i], name));
	}
	m.count = N;
	/* (1400 - 159) / 16 = 77 identities a part. */
	ASSERT_EQ(3, proto_key_members_parts(N, PROTO_DGRAM_DEFAULT));
	ASSERT_EQ(0, proto_encode_key_members(&m, F.k_ch, PROTO_DGRAM_DEFAULT,
					      collect, p));
	ASSERT_EQ(3, p->n);
	for (i = 0; i < p->n; i++) {
		EXPECT_GE(PROTO_DGRAM_DEFAULT, p->len[i]);
		ASSERT_EQ(0, proto_decode_key_members(p->buf[i], p->len[i],
						      F.k_ch, &part));
		EXPECT_EQ(i, part.part);
		EXPECT_EQ(3, part.parts);
		EXPECT_EQ(7, part.key.epoch);
		EXPECT_EQ(0, memcmp(part.key.sk, F.sk, 32));
		for (j = 0; j < part.count; j++) {
			unsigned int idx;

			ASSERT_EQ(1, sscanf(part.members[j], "other%u", &idx));
			ASSERT_GT(N, idx);
			seen[idx]++;
			total++;
		}
	}
	EXPECT_EQ(N, total);
	for (i = 0; i < N; i++)
		bad += seen[i] != 1;
	EXPECT_EQ(0, bad);
	/* Each part fails alone. */
	p->buf[1][p->len[1] - 20] ^= 1;
	for (i = 0; i < p->n; i++)
		EXPECT_EQ(i == 1 ? -EBADMSG : 0,
			  proto_decode_key_members(p->buf[i], p->len[i],
						   F.k_ch, &part));
	parts_free(p);

	/* Alone with the leader: one part, no identities, no list. */
	m.count = 0;
	m.members = NULL;
	ASSERT_EQ(1, proto_key_members_parts(0, PROTO_DGRAM_DEFAULT));
	ASSERT_EQ(0, proto_encode_key_members(&m, F.k_ch, PROTO_DGRAM_DEFAULT,
					      collect, p));
	ASSERT_EQ(1, p->n);
	EXPECT_EQ(PROTO_KEY_MEMBERS_MIN, p->len[0]);
	ASSERT_EQ(0, proto_decode_key_members(p->buf[0], p->len[0], F.k_ch,
					      &part));
	EXPECT_EQ(0, part.count);
	parts_free(p);
	EXPECT_EQ(-EMSGSIZE, proto_key_members_parts(1,
						     PROTO_KEY_MEMBERS_MIN));
	free(p);
}

/* ---- encoders refuse what decoders would --------------------------------- */

TEST(encode_bad_auth_req)
{
	struct msg_auth_req m = { .i0 = 1 };
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, fixture_init());
	EXPECT_EQ(-EINVAL, proto_encode_auth_req(&m, buf, 2048, &len));
	memcpy(m.a, "alice\0\0\0\0\0\0\0\0\0\0x", 16);
	EXPECT_EQ(-EINVAL, proto_encode_auth_req(&m, buf, 2048, &len));
	ASSERT_EQ(0, proto_id_set(m.a, "alice"));
	EXPECT_EQ(-ENOBUFS, proto_encode_auth_req(&m, buf, 31, &len));
	EXPECT_EQ(0, proto_encode_auth_req(&m, buf, 32, &len));
}

TEST(encode_bad_pair_req)
{
	struct msg_pair_req m;
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, fixture_init());
	memset(&m, 0, sizeof(m));
	memcpy(m.sl, F.a, 16);
	memcpy(m.a, F.a, 16);
	EXPECT_EQ(-EINVAL, proto_encode_pair_req(&m, buf, 2048, &len));
	memcpy(m.sl, F.sl, 16);
	EXPECT_EQ(-ENOBUFS, proto_encode_pair_req(&m, buf, 47, &len));
	EXPECT_EQ(0, proto_encode_pair_req(&m, buf, 48, &len));
}

TEST(encode_bad_key)
{
	struct msg_key m = { .s_sl = 1 };
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	m.key.epoch = 6;
	EXPECT_EQ(-EINVAL, proto_encode_key(&m, F.k_ch, buf, 2048,
					    &len));
	m.key.epoch = 7;
	m.key.suite = 9;
	EXPECT_EQ(-EINVAL, proto_encode_key(&m, F.k_ch, buf, 2048,
					    &len));
	m.key.suite = 1;
	m.g.number = 1ull << 32;
	EXPECT_EQ(-EINVAL, proto_encode_key(&m, F.k_ch, buf, 2048,
					    &len));
	m.g.number = 7;
	EXPECT_EQ(-ENOBUFS, proto_encode_key(&m, F.k_ch, buf, 152,
					     &len));
	EXPECT_EQ(0, proto_encode_key(&m, F.k_ch, buf, 153, &len));
}

TEST(encode_bad_key_members)
{
	char others[2][16];
	struct msg_key_members m = {
		.count = 2, .members = others,
	};
	uint8_t buf[2048];
	struct sink s = { .buf = buf, .cap = sizeof(buf) };

	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	memcpy(m.a, F.a, 16);
	m.key = sample_grant();
	memcpy(others[0], F.b, 16);
	memcpy(others[1], F.b, 16);
	EXPECT_EQ(-EINVAL, proto_encode_key_members(&m, F.k_ch, 1400,
						    sink_one, &s));
	memcpy(others[1], F.a, 16);
	EXPECT_EQ(-EINVAL, proto_encode_key_members(&m, F.k_ch, 1400,
						    sink_one, &s));
	memcpy(others[1], F.c, 16);
	EXPECT_EQ(-EINVAL, proto_encode_key_members(&m, F.k_ch,
						    PROTO_DGRAM_MAX + 1,
						    sink_one, &s));
	EXPECT_EQ(0, proto_encode_key_members(&m, F.k_ch, 1400,
					      sink_one, &s));
	/* The emitter's error stops the encoder and comes back. */
	EXPECT_EQ(-ENOBUFS, proto_encode_key_members(&m, F.k_ch, 1400,
						     sink_one, &s));
}

TEST(encode_bad_rekey)
{
	struct rekey_member r[2] = {
		{ .k_ch = F.k_ch }, { .k_ch = F.k_b },
	};
	struct msg_rekey m = { .count = 2, .members = r };
	uint8_t buf[2048];
	struct sink s = { .buf = buf, .cap = sizeof(buf) };

	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	m.key = sample_grant();
	memcpy(r[0].id, F.a, 16);
	memcpy(r[1].id, F.a, 16);
	EXPECT_EQ(-EINVAL, proto_encode_rekey(&m, 1400, sink_one, &s));
	memcpy(r[1].id, F.b, 16);
	r[1].k_ch = NULL;
	EXPECT_EQ(-EINVAL, proto_encode_rekey(&m, 1400, sink_one, &s));
	r[1].k_ch = F.k_b;
	m.count = 0;
	EXPECT_EQ(-EINVAL, proto_encode_rekey(&m, 1400, sink_one, &s));
}

TEST(encode_bad_leave)
{
	struct msg_leave m = { .g = { .number = 0 } };
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, fixture_init());
	m.g = F.g;
	memcpy(m.a, F.a, 16);
	memcpy(m.b, F.a, 16);
	EXPECT_EQ(-EINVAL, proto_encode_leave(&m, F.k_ch, buf, 2048,
					      &len));
	memcpy(m.b, "bob\0\0\0\0\0\0\0\0\0\0\0\0x", 16);
	EXPECT_EQ(-EINVAL, proto_encode_leave(&m, F.k_ch, buf, 2048,
					      &len));
	memcpy(m.b, F.b, 16);
	EXPECT_EQ(-ENOBUFS, proto_encode_leave(&m, F.k_ch, buf, 115, &len));
	EXPECT_EQ(0, proto_encode_leave(&m, F.k_ch, buf, 116, &len));
}

TEST(encode_bad_relay)
{
	uint8_t d[4] = { 1, 2, 3, 4 };
	struct msg_relay m = { .port = 0, .data = d, .len = 4 };
	uint8_t buf[2048];
	size_t len;

	ASSERT_EQ(0, fixture_init());
	memcpy(m.a, F.a, 16);
	EXPECT_EQ(-EINVAL, proto_encode_relay(&m, F.k_ch, buf, 2048,
					      &len));
	m.port = 1;
	m.len = 0;
	EXPECT_EQ(-EINVAL, proto_encode_relay(&m, F.k_ch, buf, 2048,
					      &len));
	m.len = 4;
	EXPECT_EQ(-ENOBUFS, proto_encode_relay(&m, F.k_ch, buf, 57,
					       &len));
	EXPECT_EQ(0, proto_encode_relay(&m, F.k_ch, buf, 58, &len));
}

TEST(encode_bad_ids)
{
	char id[16];

	ASSERT_EQ(0, fixture_init());
	EXPECT_EQ(-EINVAL, proto_id_set(id, ""));
	EXPECT_EQ(-EINVAL, proto_id_set(id, "1234567890123456"));
	EXPECT_EQ(0, proto_id_set(id, "123456789012345"));
	EXPECT_TRUE(proto_id_valid(id));
	EXPECT_EQ('\0', id[15]);
}

/* ---- fuzz ---------------------------------------------------------------- */

/*
 * A decode of an authenticated type that succeeds on bytes other than one
 * of the samples is a forgery.
 */
static bool forged(size_t k, const uint8_t *b, size_t len, int ret)
{
	size_t i;

	if (ret || kinds[k].again)
		return false;
	for (i = 0; i < NKINDS; i++)
		if (len == samples[i].len && !memcmp(b, samples[i].buf, len))
			return false;
	return true;
}

/* Outcomes by kind, to show that the fuzz reaches past the header. */
struct outcomes {
	size_t ok, msgsize, proto, badmsg, noent, other;
};

static void tally(struct outcomes *o, int ret)
{
	if (!ret)
		o->ok++;
	else if (ret == -EMSGSIZE)
		o->msgsize++;
	else if (ret == -EPROTO)
		o->proto++;
	else if (ret == -EBADMSG)
		o->badmsg++;
	else if (ret == -ENOENT)	/* 6c: no block for self */
		o->noent++;
	else
		o->other++;
}

TEST(fuzz_random_buffers)
{
	static const uint8_t types[] = {
		1, 2, 3, 4, 5, 8, 9, 0x0a, 0x0b, 0x0c, 0x6a, 0x6b, 0x6c,
	};
	struct outcomes o = { 0 };
	size_t i, k, bad = 0;
	struct policy_block pol;
	uint8_t t;
	char id[16];

	ASSERT_EQ(0, make_samples());
	rng_state = 0x243f6a8885a308d3ull;
	for (i = 0; i < 200000; i++) {
		size_t s = xrand() % NKINDS;
		size_t len = xrand() % (samples[s].len + 64);
		uint8_t *b;

		if (!(i % 1000))
			len = xrand() % (PROTO_DGRAM_MAX + 16);
		b = malloc(len ? len : 1);
		ASSERT_NE(NULL, b);
		fill_rand(b, len);
		switch (xrand() % 4) {
		case 1:		/* a valid header of some type */
			if (len >= 8) {
				memcpy(b, "AG\x01\0\0\0\0\0", 8);
				b[3] = types[xrand() % sizeof(types)];
			}
			break;
		case 2:		/* a sample's prefix, random after it */
			memcpy(b, samples[s].buf,
			       len < samples[s].len ? len : samples[s].len);
			break;
		case 3:		/* the same at the sample's length */
			free(b);
			len = samples[s].len;
			b = malloc(len);
			ASSERT_NE(NULL, b);
			fill_rand(b, len);
			memcpy(b, samples[s].buf, 8 + xrand() % (len - 8));
			break;
		}
		for (k = 0; k < NKINDS; k++) {
			int ret = kinds[k].decode(b, len);

			tally(&o, ret);
			if ((ret > 0 || forged(k, b, len, ret)) && bad++ < 10)
				TH_LOG("%s: %d on random %zu bytes",
				       kinds[k].name, ret, len);
		}
		(void)proto_peek(b, len, &t, id);
		(void)proto_policy_decode(b, len, &pol);
		free(b);
	}
	TH_LOG("ok %zu, EMSGSIZE %zu, EPROTO %zu, EBADMSG %zu, ENOENT %zu",
	       o.ok, o.msgsize, o.proto, o.badmsg, o.noent);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, o.other);
	/* Past the header and the lengths, into the crypto, often. */
	EXPECT_LT(20000, o.badmsg);
}

TEST(fuzz_mutations)
{
	struct outcomes o = { 0 };
	uint8_t tmp[4096 + 256];
	size_t i, bad = 0;

	ASSERT_EQ(0, make_samples());
	rng_state = 0x13198a2e03707344ull;
	for (i = 0; i < 200000; i++) {
		size_t k = i % NKINDS, len = samples[k].len;
		int n = 1 + (int)(xrand() % 4), ret;
		uint8_t *b;

		memcpy(tmp, samples[k].buf, len);
		while (n--) {
			size_t pos = len ? xrand() % len : 0;

			switch (xrand() % 6) {
			case 0:
				if (len)
					tmp[pos] ^= (uint8_t)(1 << (i % 8));
				break;
			case 1:
				if (len)
					tmp[pos] = (uint8_t)xrand();
				break;
			case 2:		/* cut */
				len = pos;
				break;
			case 3:		/* grow */
				if (len < 4096) {
					size_t more = 1 + xrand() % 128;

					fill_rand(tmp + len, more);
					len += more;
				}
				break;
			case 4:		/* drop a byte */
				if (len) {
					memmove(tmp + pos, tmp + pos + 1,
						len - pos - 1);
					len--;
				}
				break;
			case 5:		/* another sample's bytes */
			{
				size_t src = xrand() % NKINDS;
				size_t cnt = samples[src].len;

				if (cnt > len - pos)
					cnt = len - pos;
				memcpy(tmp + pos, samples[src].buf, cnt);
				break;
			}
			}
		}
		b = dup_buf(tmp, len);
		ret = kinds[k].decode(b, len);
		tally(&o, ret);
		if ((ret > 0 || forged(k, b, len, ret)) && bad++ < 10)
			TH_LOG("%s: %d after mutation", kinds[k].name, ret);
		free(b);
	}
	TH_LOG("ok %zu, EMSGSIZE %zu, EPROTO %zu, EBADMSG %zu, ENOENT %zu",
	       o.ok, o.msgsize, o.proto, o.badmsg, o.noent);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, o.other);
	EXPECT_LT(20000, o.badmsg);
	EXPECT_LT(20000, o.proto);
}

TEST_HARNESS_MAIN
