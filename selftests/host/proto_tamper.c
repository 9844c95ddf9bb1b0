// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md), part of its host
 * tests (the fixture: lib/proto_fixture.h): keyd/wire/ against altered
 * messages, each test once per message kind: every truncation, trailing
 * bytes, every bit flip, identities and views, header fields; and the
 * checks behind the AEADs and MACs (messages re-sealed with bad content).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

/* ---- every message: truncation, bit flips, trailing bytes, identities ---- */

/*
 * Every test below runs once per message kind (the fixture's kinds[]), as
 * the kernel's net/tls.c runs each test per cipher: a failure names the
 * kind, and a new kind is a new variant.
 */
FIXTURE(message) {
	const struct kind *k;
	const uint8_t *buf;
	size_t len;
};

FIXTURE_VARIANT(message) {
	size_t kind;
	const char *name;	/* kinds[kind].name: the table's order */
};

FIXTURE_VARIANT_ADD(message, auth_req) { .kind = 0, .name = "AUTH_REQ" };
FIXTURE_VARIANT_ADD(message, pair_req) { .kind = 1, .name = "PAIR_REQ" };
FIXTURE_VARIANT_ADD(message, pair_resp) { .kind = 2, .name = "PAIR_RESP" };
FIXTURE_VARIANT_ADD(message, auth_resp) { .kind = 3, .name = "AUTH_RESP" };
FIXTURE_VARIANT_ADD(message, join) { .kind = 4, .name = "JOIN" };
FIXTURE_VARIANT_ADD(message, key) { .kind = 5, .name = "KEY" };
FIXTURE_VARIANT_ADD(message, key_members) { .kind = 6, .name = "KEY_MEMBERS" };
FIXTURE_VARIANT_ADD(message, rekey) { .kind = 7, .name = "REKEY" };
FIXTURE_VARIANT_ADD(message, rekey_self) { .kind = 8, .name = "REKEY/self" };
FIXTURE_VARIANT_ADD(message, member_hb) { .kind = 9, .name = "MEMBER_HB" };
FIXTURE_VARIANT_ADD(message, leader_hb) { .kind = 10, .name = "LEADER_HB" };
FIXTURE_VARIANT_ADD(message, retransmit) { .kind = 11, .name = "RETRANSMIT" };
FIXTURE_VARIANT_ADD(message, leave) { .kind = 12, .name = "LEAVE" };
FIXTURE_VARIANT_ADD(message, relay) { .kind = 13, .name = "RELAY" };
FIXTURE_VARIANT_ADD(message, time_req) { .kind = 14, .name = "TIME_REQ" };
FIXTURE_VARIANT_ADD(message, time_resp) { .kind = 15, .name = "TIME_RESP" };
FIXTURE_VARIANT_ADD(message, chain) { .kind = 16, .name = "CHAIN" };
FIXTURE_VARIANT_ADD(message, chain_announce) {
	.kind = 17, .name = "CHAIN_ANNOUNCE"
};
FIXTURE_VARIANT_ADD(message, disclose) { .kind = 18, .name = "DISCLOSE" };
FIXTURE_VARIANT_ADD(message, chain_req) { .kind = 19, .name = "CHAIN_REQ" };

FIXTURE_SETUP(message)
{
	ASSERT_EQ(0, make_samples());
	ASSERT_LT(variant->kind, NKINDS);
	ASSERT_STREQ(variant->name, kinds[variant->kind].name);
	self->k = &kinds[variant->kind];
	self->buf = samples[variant->kind].buf;
	self->len = samples[variant->kind].len;
}

FIXTURE_TEARDOWN(message)
{
}

TEST_F(message, truncation)
{
	const struct kind *k = self->k;
	size_t l, bad = 0;

	for (l = 0; l < self->len; l++) {
		uint8_t *b = dup_buf(self->buf, l);
		int ret = k->decode(b, l);
		bool ok = ret == -EMSGSIZE || (k->variable && ret == -EBADMSG);

		free(b);
		if (!ok && bad++ < 10)
			TH_LOG("%s cut to %zu: %d", k->name, l, ret);
	}
	EXPECT_EQ(0, bad);
}

TEST_F(message, trailing_bytes)
{
	static const size_t extra[] = { 1, 2, 15, 16, 89, 200 };
	const struct kind *k = self->k;
	size_t j, bad = 0;

	for (j = 0; j < ARRAY_SIZE(extra); j++) {
		size_t l = self->len + extra[j];
		uint8_t *b = malloc(l);
		int ret;
		bool ok;

		ASSERT_NE(NULL, b);
		memcpy(b, self->buf, self->len);
		fill_rand(b + self->len, extra[j]);
		ret = k->decode(b, l);
		/* A longer 4, 6b, 6c or RELAY moves its tag or MAC. */
		ok = ret == -EMSGSIZE || (k->variable && ret == -EBADMSG);
		free(b);
		if (!ok && bad++ < 10)
			TH_LOG("%s + %zu bytes: %d", k->name, extra[j], ret);
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

TEST_F(message, bit_flips)
{
	size_t pos, bad = 0, changed = 0;
	int bit;

	for (pos = 0; pos < self->len; pos++) {
		for (bit = 0; bit < 8; bit++) {
			uint8_t *b = dup_buf(self->buf, self->len);
			bool ok;

			b[pos] ^= (uint8_t)(1 << bit);
			ok = flip_ok(self->k, b, self->len, pos, &changed);
			free(b);
			if (!ok && bad++ < 10)
				TH_LOG("%s byte %zu bit %d", self->k->name,
				       pos, bit);
		}
	}
	EXPECT_EQ(0, bad);
	/* An unauthenticated kind has flips that make another valid one. */
	if (self->k->again)
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

TEST_F(message, identities_and_views)
{
	const struct kind *k = self->k;
	size_t offs[4] = { k->ids[0], k->ids[1], k->ids[2], k->view };
	size_t j, len = self->len, bad = 0;
	int v;

	for (j = 0; j < 4; j++) {
		if (!offs[j])
			continue;
		for (v = 0; v < 6; v++) {
			uint8_t *b = dup_buf(self->buf, len);
			int ret;

			bad_id(b + offs[j], v);
			ret = k->decode(b, len);
			free(b);
			if (ret != -EPROTO && bad++ < 10)
				TH_LOG("%s id at %zu variant %d: %d", k->name,
				       offs[j], v, ret);
		}
	}
	if (k->view) {
		/* View numbers 0 and >= 2^32 are no epoch. */
		static const uint64_t nums[] = { 0, 1ull << 32, UINT64_MAX };

		for (j = 0; j < ARRAY_SIZE(nums); j++) {
			uint8_t *b = dup_buf(self->buf, len);
			int ret;

			put_be64(b + k->view + 16, nums[j]);
			ret = k->decode(b, len);
			free(b);
			if (ret != -EPROTO && bad++ < 10)
				TH_LOG("%s view #%zu: %d", k->name, j, ret);
		}
	}
	if (k->ids[1] == 24) {
		/* 2, 3, 4: SL and A must differ. */
		uint8_t *b = dup_buf(self->buf, len);
		int ret;

		memcpy(b + 24, b + 8, 16);
		ret = k->decode(b, len);
		free(b);
		if (ret != -EPROTO && bad++ < 10)
			TH_LOG("%s SL == A: %d", k->name, ret);
	}
	EXPECT_EQ(0, bad);
}

TEST_F(message, header_fields)
{
	const struct kind *k = self->k;
	uint8_t own = self->buf[3];
	size_t j, len = self->len, bad = 0;

	/* Every other type, known or not, on this decoder. */
	for (j = 0; j < 256; j++) {
		uint8_t *b;
		int ret;

		if (j == own)
			continue;
		b = dup_buf(self->buf, len);
		b[3] = (uint8_t)j;
		ret = k->decode(b, len);
		free(b);
		if (ret != -EPROTO && bad++ < 10)
			TH_LOG("%s as type %zu: %d", k->name, j, ret);
	}
	/* Magic, version, flags, each reserved byte. */
	for (j = 0; j < 8; j++) {
		uint8_t *b;
		int ret;

		if (j == 3)
			continue;
		b = dup_buf(self->buf, len);
		b[j] = j == 2 ? 2 : (uint8_t)(b[j] + 1);
		ret = k->decode(b, len);
		free(b);
		if (ret != -EPROTO && bad++ < 10)
			TH_LOG("%s header byte %zu: %d", k->name, j, ret);
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

TEST_HARNESS_MAIN
