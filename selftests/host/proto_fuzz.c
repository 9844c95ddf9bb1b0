// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md), part of its host
 * tests (the fixture: lib/proto_fixture.h): keyd/wire/: encoders refuse what decoders would, and fuzz loops
 * over random and mutated buffers for ASan and UBSan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

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
