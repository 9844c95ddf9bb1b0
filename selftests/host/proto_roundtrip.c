// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md), part of its host
 * tests (the fixture: lib/proto_fixture.h): keyd/wire/: every message kind encoded and decoded back, and
 * proto_peek().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

/* ---- round trips --------------------------------------------------------- */

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
		"alice", "alice", "alice", "", "", "alice",
	};
	static const uint8_t types[NKINDS] = {
		1, 2, 3, 4, 5, 0x6a, 0x6b, 0x6c, 0x6c, 8, 9, 0x0a, 0x0b, 0x0c,
		0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
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

TEST_HARNESS_MAIN
