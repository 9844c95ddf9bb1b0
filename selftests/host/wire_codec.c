// SPDX-License-Identifier: GPL-2.0
/*
 * The data wire format v1, part of its host tests (the fixture:
 * lib/wire_fixture.h): the module's own header codec and replay window (kmod/wire.c):
 * round trip, corruption, truncation, and the window against a table of
 * WireGuard-style steps and a bitmap model.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/wire_fixture.h"

/* ---- header codec ------------------------------------------------------ */

TEST(header_round_trip)
{
	static const struct antigone_hdr cases[] = {
		{ ANTIGONE_G_BOTH, 0, 7, 0x01020304, 0x1122334455667788ull },
		{ ANTIGONE_G_INTEGRITY, 0, 1, 0, 1 },
		{ ANTIGONE_G_CONFIDENTIALITY, 0, UINT32_MAX, UINT32_MAX,
		  UINT64_MAX },
	};
	u8 buf[HDR + TAG], want[HDR];
	struct antigone_hdr h;
	size_t i;

	/* The exact bytes: version 1 << 4 | guarantee, then big endian. */
	ASSERT_EQ(HDR, unhex("13000000 00000007 01020304 11223344 55667788",
			     want, sizeof(want)));
	antigone_hdr_pack(&cases[0], buf);
	EXPECT_EQ(0, memcmp(buf, want, HDR));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(buf, 0xee, sizeof(buf));
		antigone_hdr_pack(&cases[i], buf);
		memset(&h, 0xff, sizeof(h));
		ASSERT_EQ(0, antigone_hdr_parse(buf, sizeof(buf), &h));
		EXPECT_EQ(cases[i].guarantee, h.guarantee);
		EXPECT_EQ(0, h.flags);
		EXPECT_EQ(cases[i].epoch, h.epoch);
		EXPECT_EQ(cases[i].sender, h.sender);
		EXPECT_EQ(cases[i].seq, h.seq);
	}
}

/*
 * Every value of every byte of version/guarantee, flags and reserved. The
 * buffer is long enough for any guarantee, so only the field is judged. A
 * first byte naming another valid guarantee parses: the tag catches it.
 */
TEST(header_field_corruption)
{
	const struct antigone_hdr base = { ANTIGONE_G_BOTH, 0, 7, 9, 11 };
	u8 buf[HDR + TAG], orig[HDR + TAG];
	struct antigone_hdr h;
	int byte, v, want;

	memset(orig, 0, sizeof(orig));
	antigone_hdr_pack(&base, orig);
	for (byte = 0; byte < 4; byte++) {
		for (v = 0; v < 256; v++) {
			if (v == orig[byte])
				continue;
			memcpy(buf, orig, sizeof(buf));
			buf[byte] = (u8)v;
			want = -EPROTO;
			if (byte == 0 && v >> 4 == ANTIGONE_WIRE_VERSION &&
			    (v & 15) >= ANTIGONE_G_INTEGRITY &&
			    (v & 15) <= ANTIGONE_G_BOTH)
				want = 0;
			ASSERT_EQ(want,
				  antigone_hdr_parse(buf, sizeof(buf), &h))
				TH_LOG("byte %d = 0x%02x", byte, v);
			if (!want)
				EXPECT_EQ(v & 15, h.guarantee);
		}
	}
}

TEST(header_zero_epoch_seq)
{
	struct antigone_hdr h, in = { ANTIGONE_G_BOTH, 0, 7, 9, 11 };
	u8 buf[HDR + TAG] = { 0 };

	in.epoch = 0;
	antigone_hdr_pack(&in, buf);
	EXPECT_EQ(-EPROTO, antigone_hdr_parse(buf, sizeof(buf), &h));
	in.epoch = 7;
	in.seq = 0;
	antigone_hdr_pack(&in, buf);
	EXPECT_EQ(-EPROTO, antigone_hdr_parse(buf, sizeof(buf), &h));
	/* Sender 0 is the wire's to judge no more than any other index. */
	in.seq = 11;
	in.sender = 0;
	antigone_hdr_pack(&in, buf);
	EXPECT_EQ(0, antigone_hdr_parse(buf, sizeof(buf), &h));
}

TEST(header_truncation)
{
	u8 buf[HDR + TAG];
	struct antigone_hdr h;
	size_t gi, len, min;

	for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
		struct antigone_hdr in = { guarantees[gi], 0, 7, 9, 11 };

		memset(buf, 0, sizeof(buf));
		antigone_hdr_pack(&in, buf);
		min = HDR + antigone_tag_len(guarantees[gi]);
		for (len = 0; len < min; len++)
			ASSERT_EQ(-EMSGSIZE, antigone_hdr_parse(buf, len, &h))
				TH_LOG("guarantee %u, len %zu", guarantees[gi],
				       len);
		EXPECT_EQ(0, antigone_hdr_parse(buf, min, &h));
	}
}

TEST(tag_len_nonce_and_meets)
{
	u8 nonce[ANTIGONE_NONCE_LEN], want[ANTIGONE_NONCE_LEN];
	int have, need;

	EXPECT_EQ(16, antigone_tag_len(ANTIGONE_G_INTEGRITY));
	EXPECT_EQ(0, antigone_tag_len(ANTIGONE_G_CONFIDENTIALITY));
	EXPECT_EQ(16, antigone_tag_len(ANTIGONE_G_BOTH));

	ASSERT_EQ(12, unhex("01020304 1122334455667788", want, sizeof(want)));
	antigone_nonce(0x01020304, 0x1122334455667788ull, nonce);
	EXPECT_EQ(0, memcmp(nonce, want, sizeof(nonce)));

	/* Integrity and confidentiality are bits; both has both. */
	for (have = 0; have < 5; have++)
		for (need = 1; need <= 3; need++)
			EXPECT_EQ(have >= 1 && have <= 3 &&
				  (have & need) == need,
				  antigone_guarantee_meets((u8)have, (u8)need))
				TH_LOG("have %d need %d", have, need);
}

/* ---- replay window ------------------------------------------------------ */

/*
 * WireGuard's drivers/net/wireguard/selftest/counter.c, with its counters
 * shifted by one (they start at 0, ours at 1, and 0 is never valid) and
 * its REJECT_AFTER_MESSAGES part replaced by the end of the u64 space.
 */
#define W ANTIGONE_REPLAY_WINDOW
#define L ((u64)W + 1)

static const struct replay_step {
	u64 seq;
	bool ok;
} replay_steps[] = {
	{ 1, true },
	{ 2, true },
	{ 2, false },			/* duplicate */
	{ 10, true },			/* a gap */
	{ 9, true },			/* late, in the window */
	{ 8, true },
	{ 8, false },
	{ L + 1, true },
	{ L, true },
	{ L, false },
	{ L - 1, true },
	{ 3, true },			/* W - 1 behind the top */
	{ 3, false },
	{ L + 17, true },
	{ 4, false },			/* now W + 14 behind: too old */
	{ L + 17, false },
	{ 4 * L + 1, true },		/* a jump of about 3 windows */
	{ 4 * L + 1 - (L - 1), true },	/* exactly W behind: the oldest */
	{ 11, false },
	{ 4 * L + 1 - L, false },	/* W + 1 behind */
	{ 4 * L + 1 - (L + 1), false },
	{ 4 * L + 1 - (L - 2), true },
	{ 4 * L + 2 - L, false },	/* seen, W behind */
	{ 0, false },			/* never valid */
	{ 1, false },
	/* The end of the sequence space. */
	{ UINT64_MAX - 1, true },
	{ 4 * L + 1, false },
	{ UINT64_MAX, true },
	{ UINT64_MAX, false },
	{ UINT64_MAX - 1, false },
	{ UINT64_MAX - 2, true },
	{ UINT64_MAX - W, true },
	{ UINT64_MAX - W - 1, false },
	{ UINT64_MAX - W + 1, true },
	{ UINT64_MAX - 3, true },
	{ 0, false },
};

/* Records seq, checking the pre-check agrees with the verdict. */
static bool replay(struct antigone_replay *r, u64 seq, bool *pre_wrong)
{
	bool pre = antigone_replay_precheck(r, seq);
	bool ok = antigone_replay_update(r, seq);

	/* The pre-check may pass a duplicate, never refuse a new one. */
	if (ok && !pre)
		*pre_wrong = true;
	return ok;
}

TEST(replay_table)
{
	struct antigone_replay r;
	bool pre_wrong = false;
	size_t i;

	antigone_replay_init(&r);
	for (i = 0; i < ARRAY_SIZE(replay_steps); i++)
		ASSERT_EQ(replay_steps[i].ok,
			  replay(&r, replay_steps[i].seq, &pre_wrong))
			TH_LOG("step %zu: seq %llu", i + 1,
			       (unsigned long long)replay_steps[i].seq);
	EXPECT_FALSE(pre_wrong);
}

/* WireGuard's whole-window loops, shifted by one likewise. */
TEST(replay_full_windows)
{
	struct antigone_replay r;
	bool pre_wrong = false;
	u64 i;

	antigone_replay_init(&r);
	for (i = 2; i <= W + 1; i++)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));
	EXPECT_TRUE(replay(&r, 1, &pre_wrong));
	EXPECT_FALSE(replay(&r, 1, &pre_wrong));

	antigone_replay_init(&r);
	for (i = 3; i <= W + 2; i++)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));
	EXPECT_TRUE(replay(&r, 2, &pre_wrong));
	EXPECT_FALSE(replay(&r, 1, &pre_wrong));

	antigone_replay_init(&r);
	for (i = W + 1; i >= 1; i--)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));

	antigone_replay_init(&r);
	for (i = W + 2; i >= 2; i--)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));
	EXPECT_FALSE(replay(&r, 1, &pre_wrong));

	antigone_replay_init(&r);
	for (i = W + 1; i >= 2; i--)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));
	EXPECT_TRUE(replay(&r, W + 2, &pre_wrong));
	EXPECT_FALSE(replay(&r, 1, &pre_wrong));

	antigone_replay_init(&r);
	for (i = W + 1; i >= 2; i--)
		ASSERT_TRUE(replay(&r, i, &pre_wrong));
	EXPECT_TRUE(replay(&r, 1, &pre_wrong));
	EXPECT_TRUE(replay(&r, W + 2, &pre_wrong));
	EXPECT_FALSE(pre_wrong);
}

/*
 * Against a plain model (every sequence seen, in a bitmap) over random
 * steps around the top, with jumps across word and ring boundaries.
 */
#define MODEL_BITS (1u << 23)
static u64 model_seen[MODEL_BITS / 64];

TEST(replay_model)
{
	struct antigone_replay r;
	u64 top = 0, seq, x = 0x9e3779b97f4a7c15ull;
	unsigned int fresh = 0, old = 0, dup = 0, jumps = 0;
	bool pre_wrong = false, want;
	int step;

	antigone_replay_init(&r);
	memset(model_seen, 0, sizeof(model_seen));
	for (step = 0; step < 300000; step++) {
		int64_t delta;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Mostly late, in and beyond the window; small advances. */
		delta = (int64_t)(x % 2600) - 2500;
		if (x % 997 == 0) {
			delta = (int64_t)(x % 9000);	/* a jump */
			jumps += delta > W;
		}
		seq = (int64_t)top + delta < 0 ? 0 : top + delta;
		ASSERT_LT(seq, MODEL_BITS);
		want = seq && (seq > top || top - seq <= W) &&
		       !(model_seen[seq / 64] >> (seq % 64) & 1);
		ASSERT_EQ(want, replay(&r, seq, &pre_wrong))
			TH_LOG("step %d: seq %llu top %llu", step,
			       (unsigned long long)seq,
			       (unsigned long long)top);
		if (want) {
			model_seen[seq / 64] |= 1ull << (seq % 64);
			if (seq > top)
				top = seq;
			fresh++;
		} else if (seq && seq <= top && top - seq > W) {
			old++;
		} else {
			dup++;
		}
	}
	EXPECT_FALSE(pre_wrong);
	/* Each kind of verdict was exercised plenty. */
	EXPECT_LT(10000, fresh);
	EXPECT_LT(10000, old);
	EXPECT_LT(10000, dup);
	EXPECT_LT(50, jumps);
}

TEST_HARNESS_MAIN
