// SPDX-License-Identifier: GPL-2.0
/*
 * 7d's control messages 0x0d-0x12 (keyd/wire/tesla.c,
 * docs/sender-authenticity.md), part of the control protocol's host tests
 * (the fixture: lib/proto_fixture.h; proto_tamper and proto_fuzz already
 * cut, extend, flip and fuzz each of them as a kind of the table): every
 * field round trips, the exact lengths, the announcement's split into
 * parts that verify alone, and the ranges encoders and decoders refuse
 * (a decoder's checked on content the leader's key really signed).
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

static bool entry_eq(const struct tesla_entry *a, const struct tesla_entry *b)
{
	return a->epoch == b->epoch && a->sender == b->sender &&
	       a->chain == b->chain && a->chain_len == b->chain_len &&
	       a->period_us == b->period_us && a->lag == b->lag &&
	       a->t0_ns == b->t0_ns &&
	       !memcmp(a->commitment, b->commitment, sizeof(a->commitment));
}

TEST(channel_messages_round_trip)
{
	struct msg_time_req rq = { .nonce = 0xfedcba9876543210ull };
	struct msg_time_resp rs = { .nonce = 1, .t_sl_ns = ~0ull };
	struct msg_chain c;
	struct msg_time_req rq2;
	struct msg_time_resp rs2;
	struct msg_chain c2;
	uint8_t buf[512];
	size_t len;

	ASSERT_EQ(0, make_samples());	/* F's keys and names */
	rq.g = F.g;
	rs.g = F.g;
	c.g = F.g;
	memcpy(rq.a, F.a, 16);
	ASSERT_EQ(0, proto_encode_time_req(&rq, F.k_ch, buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_TIME_REQ_LEN, len);
	ASSERT_EQ(0, proto_decode_time_req(buf, len, F.k_ch, &rq2));
	EXPECT_STREQ("alice", rq2.a);
	EXPECT_TRUE(view_eq(&F.g, &rq2.g));
	EXPECT_EQ(rq.nonce, rq2.nonce);
	/* another member's channel key does not open it */
	EXPECT_EQ(-EBADMSG, proto_decode_time_req(buf, len, F.k_b, &rq2));
	EXPECT_EQ(-ENOBUFS, proto_encode_time_req(&rq, F.k_ch, buf,
						  PROTO_TIME_REQ_LEN - 1, &len));

	memcpy(rs.a, F.a, 16);
	ASSERT_EQ(0, proto_encode_time_resp(&rs, F.k_ch, buf, sizeof(buf),
					    &len));
	EXPECT_EQ(PROTO_TIME_RESP_LEN, len);
	ASSERT_EQ(0, proto_decode_time_resp(buf, len, F.k_ch, &rs2));
	EXPECT_EQ(1, rs2.nonce);
	EXPECT_EQ(~0ull, rs2.t_sl_ns);
	/* a request is no answer: the types differ */
	ASSERT_EQ(0, proto_encode_time_req(&rq, F.k_ch, buf, sizeof(buf), &len));
	EXPECT_EQ(-EPROTO, proto_decode_time_resp(buf, len, F.k_ch, &rs2));

	memcpy(c.a, F.a, 16);
	c.e = sample_entry(5);
	ASSERT_EQ(0, proto_encode_chain(&c, F.k_ch, buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_CHAIN_LEN, len);
	ASSERT_EQ(0, proto_decode_chain(buf, len, F.k_ch, &c2));
	EXPECT_TRUE(entry_eq(&c.e, &c2.e));
	/* a member registers chains only for the view it is in */
	c.e.epoch = 6;
	EXPECT_EQ(-EINVAL, proto_encode_chain(&c, F.k_ch, buf, sizeof(buf),
					      &len));
}

TEST(entry_ranges)
{
	struct tesla_entry e = sample_entry(0);

	EXPECT_TRUE(proto_tesla_entry_valid(&e, 7));
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 6));	/* a future epoch */
	e.epoch = 0;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	e = sample_entry(0);
	e.lag = 0;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	e.lag = 255;
	EXPECT_TRUE(proto_tesla_entry_valid(&e, 7));
	e.period_us = PROTO_TESLA_T_MIN_US - 1;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	e.period_us = PROTO_TESLA_T_MAX_US + 1;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	e.period_us = PROTO_TESLA_T_MAX_US;
	EXPECT_TRUE(proto_tesla_entry_valid(&e, 7));
	e.chain_len = PROTO_TESLA_CHAIN_MIN - 1;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	e.chain_len = PROTO_TESLA_CHAIN_MAX + 1;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
	/* the chain's last interval must fit in 32 bits */
	e.chain_len = 65536;
	e.chain = 65534;	/* intervals up to 2^32 - 1 */
	EXPECT_TRUE(proto_tesla_entry_valid(&e, 7));
	e.chain = 65535;
	EXPECT_FALSE(proto_tesla_entry_valid(&e, 7));
}

TEST(announce_split)
{
	static const size_t counts[] = { 1, 2, 26, 27, 100 };
	struct tesla_entry e[100];
	size_t i, k;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		e[i] = sample_entry((uint32_t)i);
		e[i].sender = (uint32_t)i + 1;
	}
	/* 26 entries of 48 bytes fit 1400 with the prefix and Sig */
	EXPECT_EQ(1, proto_chain_announce_parts(26, PROTO_DGRAM_DEFAULT));
	EXPECT_EQ(2, proto_chain_announce_parts(27, PROTO_DGRAM_DEFAULT));
	EXPECT_EQ(-EMSGSIZE, proto_chain_announce_parts(0, PROTO_DGRAM_DEFAULT));
	EXPECT_EQ(-EMSGSIZE, proto_chain_announce_parts(1, 165));
	EXPECT_EQ(1, proto_chain_announce_parts(1, 166));
	EXPECT_EQ(-EINVAL, proto_chain_announce_parts(1, PROTO_DGRAM_MAX + 1));

	for (k = 0; k < ARRAY_SIZE(counts); k++) {
		struct msg_chain_announce m = {
			.g = F.g, .s_sl = 9, .count = counts[k], .entries = e,
		};
		struct parts p = { 0 };
		size_t seen = 0;

		ASSERT_EQ(0, proto_encode_chain_announce(&m, F.prg,
							 PROTO_DGRAM_DEFAULT,
							 collect, &p));
		ASSERT_EQ((unsigned int)proto_chain_announce_parts(
				  counts[k], PROTO_DGRAM_DEFAULT), p.n);
		for (i = 0; i < p.n; i++) {
			struct msg_chain_announce_part a;
			struct tesla_entry got;
			unsigned int j;

			EXPECT_LE(p.len[i], PROTO_DGRAM_DEFAULT);
			ASSERT_EQ(0, proto_decode_chain_announce(p.buf[i],
								 p.len[i],
								 F.pug, &a));
			EXPECT_EQ(i, a.part);
			EXPECT_EQ(p.n, a.parts);
			EXPECT_EQ(9, a.s_sl);
			EXPECT_EQ(PROTO_CHAIN_ANNOUNCE_MIN +
				  a.count * PROTO_TESLA_ENTRY_LEN, p.len[i]);
			for (j = 0; j < a.count; j++) {
				proto_chain_announce_entry(&a, j, &got);
				EXPECT_TRUE(entry_eq(&e[seen + j], &got));
			}
			seen += a.count;
			/* not the leader's key: refused */
			{
				struct crypto_sig_key *other;

				ASSERT_EQ(0, crypto_sig_generate(&other));
				EXPECT_EQ(-EBADMSG,
					  proto_decode_chain_announce(
						  p.buf[i], p.len[i], other,
						  &a));
				crypto_sig_free(other);
			}
		}
		EXPECT_EQ(counts[k], seen);
		parts_free(&p);
	}

	/* an entry out of range is never announced */
	{
		struct msg_chain_announce m = {
			.g = F.g, .s_sl = 9, .count = 3, .entries = e,
		};
		struct parts p = { 0 };

		e[2].lag = 0;
		EXPECT_EQ(-EINVAL, proto_encode_chain_announce(
				      &m, F.prg, PROTO_DGRAM_DEFAULT, collect,
				      &p));
		EXPECT_EQ(0, p.n);
	}
}

/* A leader that signs nonsense is still not believed: re-signed content. */
TEST(announce_signed_content_checked)
{
	uint8_t b[PROTO_DGRAM_DEFAULT];
	struct msg_chain_announce_part a;
	size_t len;
	struct {
		size_t off;
		uint8_t val;
		int want;
	} cases[] = {
		{ 48 + 2, 0, -EPROTO },		/* parts 0 (high byte) */
		{ 48 + 5, 3, -EMSGSIZE },	/* count 3 with 2 entries */
		{ 54 + 20, 0, -EPROTO },	/* lag 0 */
		{ 54 + 21, 1, -EPROTO },	/* padding */
		{ 54 + 0, 9, -EPROTO },		/* epoch 9 in view 7 */
	};
	size_t i;

	ASSERT_EQ(0, make_samples());
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, make_chain_announce(b, sizeof(b), &len));
		if (cases[i].off == 48 + 2)
			b[48 + 3] = 0;	/* parts = 0 */
		else if (cases[i].off == 54 + 0)
			b[54 + 3] = cases[i].val;	/* low byte of epoch */
		else
			b[cases[i].off] = cases[i].val;
		ASSERT_EQ(0, crypto_sig_sign(F.prg, b, len - CRYPTO_SIG_LEN,
					     b + len - CRYPTO_SIG_LEN));
		EXPECT_EQ(cases[i].want,
			  proto_decode_chain_announce(b, len, F.pug, &a))
			TH_LOG("case %zu", i);
	}
	/* part >= parts */
	ASSERT_EQ(0, make_chain_announce(b, sizeof(b), &len));
	b[48 + 1] = 1;
	ASSERT_EQ(0, crypto_sig_sign(F.prg, b, len - CRYPTO_SIG_LEN,
				     b + len - CRYPTO_SIG_LEN));
	EXPECT_EQ(-EPROTO, proto_decode_chain_announce(b, len, F.pug, &a));
}

TEST(clear_messages)
{
	struct msg_disclose d = { .epoch = 1, .sender = 0, .interval = 1 }, d2;
	struct msg_chain_req r = { .epoch = 7, .sender = 2 }, r2;
	uint8_t buf[128];
	size_t len;

	ASSERT_EQ(0, make_samples());
	memcpy(d.group, F.g.name, 16);
	/* an all-zero key is what "nothing disclosed" means: never sent */
	EXPECT_EQ(-EINVAL, proto_encode_disclose(&d, buf, sizeof(buf), &len));
	memset(d.key, 0xa5, sizeof(d.key));
	ASSERT_EQ(0, proto_encode_disclose(&d, buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_DISCLOSE_LEN, len);
	ASSERT_EQ(0, proto_decode_disclose(buf, len, &d2));
	EXPECT_STREQ("grp", d2.group);
	EXPECT_EQ(1, d2.epoch);
	EXPECT_EQ(0, d2.sender);
	EXPECT_EQ(1, d2.interval);
	EXPECT_EQ(0, memcmp(d.key, d2.key, sizeof(d.key)));
	memset(buf + 36, 0, 16);
	EXPECT_EQ(-EPROTO, proto_decode_disclose(buf, len, &d2));
	d.interval = 0;
	EXPECT_EQ(-EINVAL, proto_encode_disclose(&d, buf, sizeof(buf), &len));

	r.g = F.g;
	memcpy(r.a, F.b, 16);
	ASSERT_EQ(0, proto_encode_chain_req(&r, buf, sizeof(buf), &len));
	EXPECT_EQ(PROTO_CHAIN_REQ_LEN, len);
	ASSERT_EQ(0, proto_decode_chain_req(buf, len, &r2));
	EXPECT_STREQ("bob", r2.a);
	EXPECT_EQ(7, r2.epoch);
	EXPECT_EQ(2, r2.sender);
	/* a chain of an epoch after the view is no chain to ask for */
	buf[59] = 8;
	EXPECT_EQ(-EPROTO, proto_decode_chain_req(buf, len, &r2));
	r.epoch = 8;
	EXPECT_EQ(-EINVAL, proto_encode_chain_req(&r, buf, sizeof(buf), &len));
}

TEST_HARNESS_MAIN
