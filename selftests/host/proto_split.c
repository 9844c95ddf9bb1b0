// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md), part of its host
 * tests (the fixture: lib/proto_fixture.h): keyd/wire/: the policy block, and the split of 6b and 6c into
 * datagrams (1000 members, every size).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

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
	EXPECT_EQ(0, policy_of("0000 0f00 ff03aabbcc 0101 10 8000", &q));
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
	/* 7d: SG 7, its interval (1 ms .. 10 s, in us) and lag (>= 1) */
	EXPECT_EQ(0, policy_of("020107 0d04000003e8 0e0108", &q));
	EXPECT_EQ(7, q.sg);
	EXPECT_EQ(1000, q.tesla_t_us);
	EXPECT_EQ(8, q.tesla_d);
	EXPECT_EQ(-EPROTO, policy_of("0d04000003e7", &q));	/* 999 us */
	EXPECT_EQ(-EPROTO, policy_of("0d0400989681", &q));	/* 10 s + 1 */
	EXPECT_EQ(-EPROTO, policy_of("0d020000", &q));
	EXPECT_EQ(-EPROTO, policy_of("0e0100", &q));	/* lag 0 */
	EXPECT_EQ(-EPROTO, policy_of("020106", &q));	/* SG 6 */
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

TEST_HARNESS_MAIN
