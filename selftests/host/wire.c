// SPDX-License-Identifier: GPL-2.0
/*
 * The data wire format v1: the module's own header codec and replay window
 * (kmod/wire.c), the crypto of messages 7a-7c (tools/libwire) against
 * published and hard-coded vectors, and the wirepkt tool over loopback.
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
#include "../../tools/libwire/libwire.h"

#define HDR ANTIGONE_WIRE_HDR_LEN
#define TAG ANTIGONE_WIRE_TAG_LEN

static const u8 guarantees[] = {
	ANTIGONE_G_INTEGRITY, ANTIGONE_G_CONFIDENTIALITY, ANTIGONE_G_BOTH,
};

static const u8 suites[] = {
	ANTIGONE_SUITE_AES128_GCM, ANTIGONE_SUITE_AES256_GCM,
	ANTIGONE_SUITE_CHACHA20_POLY1305,
};

/* Decodes hex (whitespace ignored); the byte count, or -1 if malformed. */
static int unhex(const char *s, u8 *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\n')
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
		out[n++] = (u8)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

static void tohex(const u8 *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * len] = 0;
}

/* A key whose bytes depend on seed, so that two seeds differ. */
static void make_key(struct wire_key *k, u8 suite, u32 epoch, u8 seed)
{
	u8 bytes[WIRE_KEY_MAX];
	size_t i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (u8)(seed + 7 * i);
	if (wire_key_set(k, suite, epoch, bytes, (size_t)wire_key_len(suite)))
		abort();
}

static void fill(u8 *p, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + 13 * i);
}

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

/* ---- seal and open ------------------------------------------------------ */

static const size_t sizes[] = { 0, 1, 15, 16, 17, 1400 };

TEST(seal_open_round_trip)
{
	u8 payload[1400], out[1400 + ANTIGONE_WIRE_OVERHEAD];
	u8 back[sizeof(out)], body7b[1400], hdr[HDR];
	size_t gi, si, zi, outlen, plen;
	struct antigone_hdr h;
	struct wire_key k;

	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 42, (u8)si);
		for (zi = 0; zi < ARRAY_SIZE(sizes); zi++) {
			size_t len = sizes[zi];

			fill(payload, len, (u8)zi);
			for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
				u8 g = guarantees[gi];
				struct antigone_hdr in = { g, 0, 42, 5, 1000 };
				size_t taglen = antigone_tag_len(g);

				ASSERT_EQ(0, wire_seal(&k, g, 5, 1000, payload,
						       len, out, sizeof(out),
						       &outlen))
					TH_LOG("suite %u g %u len %zu",
					       suites[si], g, len);
				ASSERT_EQ(HDR + len + taglen, outlen);
				antigone_hdr_pack(&in, hdr);
				EXPECT_EQ(0, memcmp(out, hdr, HDR));
				if (g == ANTIGONE_G_INTEGRITY && len)
					EXPECT_EQ(0, memcmp(out + HDR, payload,
							    len));
				if (g != ANTIGONE_G_INTEGRITY && len >= 16)
					EXPECT_NE(0, memcmp(out + HDR, payload,
							    len));
				/* 7b and 7c share the keystream of N. */
				if (g == ANTIGONE_G_CONFIDENTIALITY && len)
					memcpy(body7b, out + HDR, len);
				if (g == ANTIGONE_G_BOTH && len)
					EXPECT_EQ(0, memcmp(body7b, out + HDR,
							    len));

				memset(back, 0xaa, sizeof(back));
				ASSERT_EQ(0, wire_open(&k, out, outlen, &h,
						       back, &plen))
					TH_LOG("suite %u g %u len %zu",
					       suites[si], g, len);
				ASSERT_EQ(len, plen);
				if (len)
					EXPECT_EQ(0, memcmp(back, payload,
							    len));
				EXPECT_EQ(g, h.guarantee);
				EXPECT_EQ(42, h.epoch);
				EXPECT_EQ(5, h.sender);
				EXPECT_EQ(1000, h.seq);
			}
		}
		wire_key_wipe(&k);
	}
}

/*
 * Every single bit flip of a 7a or 7c datagram fails to open: the header
 * parse catches version, flags and reserved; the key's epoch check catches
 * the epoch; the tag catches everything else, guarantee nibble included.
 * One exception, by design: turning 7c (0x13) into 7b (0x12) yields a
 * valid 7b datagram, which nothing authenticates. It opens to the true
 * payload followed by 16 bytes of garbage (the tag XOR keystream), and a
 * receiver that requires 7c refuses it as weaker: antigone_guarantee_meets.
 */
TEST(bit_flips_7a_7c)
{
	static const u8 tagged[] = { ANTIGONE_G_INTEGRITY, ANTIGONE_G_BOTH };
	u8 payload[17], out[17 + ANTIGONE_WIRE_OVERHEAD], bad[sizeof(out)];
	u8 back[sizeof(out)];
	size_t si, gi, bit, outlen, plen;
	struct antigone_hdr h;
	struct wire_key k;

	fill(payload, sizeof(payload), 3);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 1);
		for (gi = 0; gi < ARRAY_SIZE(tagged); gi++) {
			u8 g = tagged[gi];

			ASSERT_EQ(0, wire_seal(&k, g, 0x01020304,
					       0x1122334455667788ull, payload,
					       sizeof(payload), out,
					       sizeof(out), &outlen));
			for (bit = 0; bit < outlen * 8; bit++) {
				size_t byte = bit / 8;
				u8 v = out[0] ^ (u8)(1u << (bit % 8));
				int want, ret;

				memcpy(bad, out, outlen);
				bad[byte] ^= (u8)(1u << (bit % 8));
				memset(back, 0xaa, sizeof(back));
				ret = wire_open(&k, bad, outlen, &h, back,
						&plen);
				if (byte == 0 && v == (1 << 4 |
					ANTIGONE_G_CONFIDENTIALITY)) {
					ASSERT_EQ(0, ret);
					EXPECT_EQ(ANTIGONE_G_CONFIDENTIALITY,
						  h.guarantee);
					EXPECT_EQ(sizeof(payload) + TAG, plen);
					EXPECT_EQ(0, memcmp(back, payload,
							    sizeof(payload)));
					EXPECT_FALSE(antigone_guarantee_meets(
						h.guarantee, g));
					continue;
				}
				if (byte == 0)
					want = (v >> 4 == 1 && (v & 15) >= 1 &&
						(v & 15) <= 3) ?
					       -EBADMSG : -EPROTO;
				else if (byte < 4)
					want = -EPROTO;
				else if (byte < 8)
					want = -EKEYREJECTED;
				else
					want = -EBADMSG;
				ASSERT_EQ(want, ret)
					TH_LOG("suite %u g %u bit %zu",
					       suites[si], g, bit);
				/* No plaintext escapes a failed check. */
				EXPECT_NE(0, memcmp(back, payload,
						    sizeof(payload)));
			}
		}
		wire_key_wipe(&k);
	}
}

/*
 * 7b has no tag: it is malleable. Flipping a body bit flips the same bit
 * of the payload and the datagram still opens; a changed sender or seq
 * opens to garbage (another keystream). Only the header fields the parser
 * or the epoch check sees are caught. Use 7b only where the sender's
 * identity and the payload's integrity come from elsewhere.
 */
TEST(malleability_7b)
{
	u8 payload[17], out[17 + HDR], bad[sizeof(out)], back[sizeof(out)];
	size_t si, bit, outlen, plen, i;
	struct antigone_hdr h;
	struct wire_key k;

	fill(payload, sizeof(payload), 5);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 2);
		ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_CONFIDENTIALITY, 9, 77,
				       payload, sizeof(payload), out,
				       sizeof(out), &outlen));
		ASSERT_EQ(HDR + sizeof(payload), outlen);
		for (bit = HDR * 8; bit < outlen * 8; bit++) {
			memcpy(bad, out, outlen);
			bad[bit / 8] ^= (u8)(1u << (bit % 8));
			ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back,
					       &plen));
			ASSERT_EQ(sizeof(payload), plen);
			for (i = 0; i < plen; i++)
				ASSERT_EQ(payload[i] ^ (i == bit / 8 - HDR ?
					  1u << (bit % 8) : 0), back[i])
					TH_LOG("bit %zu byte %zu", bit, i);
		}
		/* 0x12 -> 0x13: now it claims a tag and fails it. */
		memcpy(bad, out, outlen);
		bad[0] ^= 1;
		EXPECT_EQ(-EBADMSG, wire_open(&k, bad, outlen, &h, back,
					      &plen));
		bad[0] ^= 3;	/* 0x10: no such guarantee */
		EXPECT_EQ(-EPROTO, wire_open(&k, bad, outlen, &h, back,
					     &plen));
		memcpy(bad, out, outlen);
		bad[7] ^= 1;	/* epoch */
		EXPECT_EQ(-EKEYREJECTED, wire_open(&k, bad, outlen, &h, back,
						   &plen));
		memcpy(bad, out, outlen);
		bad[11] ^= 1;	/* sender: another keystream */
		ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back, &plen));
		EXPECT_EQ(8, h.sender);
		EXPECT_NE(0, memcmp(back, payload, sizeof(payload)));
		memcpy(bad, out, outlen);
		bad[19] ^= 2;	/* seq */
		ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back, &plen));
		EXPECT_EQ(79, h.seq);
		EXPECT_NE(0, memcmp(back, payload, sizeof(payload)));
		wire_key_wipe(&k);
	}
}

TEST(wrong_key_epoch_suite)
{
	u8 payload[40], out[40 + ANTIGONE_WIRE_OVERHEAD], back[sizeof(out)];
	struct wire_key k, other, later, swapped;
	size_t si, gi, outlen, plen;
	struct antigone_hdr h;

	fill(payload, sizeof(payload), 9);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 1);
		make_key(&other, suites[si], 7, 2);
		make_key(&later, suites[si], 8, 1);
		for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
			u8 g = guarantees[gi];
			int ret;

			ASSERT_EQ(0, wire_seal(&k, g, 1, 1, payload,
					       sizeof(payload), out,
					       sizeof(out), &outlen));
			ret = wire_open(&other, out, outlen, &h, back, &plen);
			if (g == ANTIGONE_G_CONFIDENTIALITY) {
				/* Opens, to garbage: 7b cannot tell. */
				ASSERT_EQ(0, ret);
				EXPECT_NE(0, memcmp(back, payload, plen));
			} else {
				EXPECT_EQ(-EBADMSG, ret);
			}
			EXPECT_EQ(-EKEYREJECTED,
				  wire_open(&later, out, outlen, &h, back,
					    &plen));
		}
		wire_key_wipe(&k);
		wire_key_wipe(&other);
		wire_key_wipe(&later);
	}

	/* The same 32 key bytes under the other 32-byte suite. */
	make_key(&k, ANTIGONE_SUITE_AES256_GCM, 7, 1);
	make_key(&swapped, ANTIGONE_SUITE_CHACHA20_POLY1305, 7, 1);
	ASSERT_EQ(0, memcmp(k.key, swapped.key, 32));
	for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
		u8 g = guarantees[gi];

		ASSERT_EQ(0, wire_seal(&k, g, 1, 1, payload, sizeof(payload),
				       out, sizeof(out), &outlen));
		if (g == ANTIGONE_G_CONFIDENTIALITY) {
			ASSERT_EQ(0, wire_open(&swapped, out, outlen, &h,
					       back, &plen));
			EXPECT_NE(0, memcmp(back, payload, plen));
		} else {
			EXPECT_EQ(-EBADMSG, wire_open(&swapped, out, outlen,
						      &h, back, &plen));
		}
	}
	wire_key_wipe(&k);
	wire_key_wipe(&swapped);
}

TEST(bad_arguments)
{
	u8 payload[16] = { 0 }, out[16 + ANTIGONE_WIRE_OVERHEAD];
	u8 key[32] = { 0 }, back[sizeof(out)];
	struct wire_key k, bad;
	struct antigone_hdr h;
	size_t outlen, plen;

	EXPECT_EQ(16, wire_key_len(ANTIGONE_SUITE_AES128_GCM));
	EXPECT_EQ(32, wire_key_len(ANTIGONE_SUITE_AES256_GCM));
	EXPECT_EQ(32, wire_key_len(ANTIGONE_SUITE_CHACHA20_POLY1305));
	EXPECT_EQ(-EINVAL, wire_key_len(0));
	EXPECT_EQ(-EINVAL, wire_key_len(4));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 1,
					key, 32));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES256_GCM, 1,
					key, 16));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 0,
					key, 16));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, 9, 1, key, 16));

	make_key(&k, ANTIGONE_SUITE_AES128_GCM, 1, 0);
	EXPECT_EQ(-EINVAL, wire_seal(&k, 3, 1, 0, payload, 16, out,
				     sizeof(out), &outlen));	/* seq 0 */
	EXPECT_EQ(-EINVAL, wire_seal(&k, 0, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-EINVAL, wire_seal(&k, 4, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-ENOBUFS, wire_seal(&k, 3, 1, 1, payload, 16, out,
				      16 + ANTIGONE_WIRE_OVERHEAD - 1,
				      &outlen));
	EXPECT_EQ(-ENOBUFS, wire_seal(&k, 1, 1, 1, payload, 16, out,
				      16 + ANTIGONE_WIRE_OVERHEAD - 1,
				      &outlen));
	EXPECT_EQ(0, wire_seal(&k, 2, 1, 1, payload, 16, out, 16 + HDR,
			       &outlen));
	/* Checked before payload is read. */
	EXPECT_EQ(-EMSGSIZE, wire_seal(&k, 3, 1, 1, payload,
				       WIRE_PAYLOAD_MAX + 1, out, SIZE_MAX,
				       &outlen));
	EXPECT_EQ(-EMSGSIZE, wire_open(&k, out, WIRE_DGRAM_MAX + 1, &h, back,
				       &plen));

	bad = k;
	bad.keylen = 32;
	EXPECT_EQ(-EINVAL, wire_seal(&bad, 3, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-EINVAL, wire_open(&bad, out, 36, &h, back, &plen));
	bad = k;
	bad.epoch = 0;
	EXPECT_EQ(-EINVAL, wire_seal(&bad, 3, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));

	wire_key_wipe(&k);
	EXPECT_EQ(0, k.suite);
	EXPECT_EQ(0, k.keylen);

	EXPECT_EQ(ANTIGONE_SUITE_CHACHA20_POLY1305,
		  wire_suite_parse("chacha20-poly1305"));
	EXPECT_STREQ("aes256-gcm", wire_suite_name(ANTIGONE_SUITE_AES256_GCM));
	EXPECT_EQ(-EINVAL, wire_suite_parse("aes-128-gcm"));
	EXPECT_EQ(NULL, wire_suite_name(0));
	EXPECT_EQ(ANTIGONE_G_INTEGRITY, wire_guarantee_parse("integrity"));
	EXPECT_STREQ("both", wire_guarantee_name(ANTIGONE_G_BOTH));
	EXPECT_EQ(-EINVAL, wire_guarantee_parse("7c"));
	EXPECT_EQ(NULL, wire_guarantee_name(4));
}

/* ---- known answers ------------------------------------------------------ */

/* McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 4/16. */
static const char gcm_key[] = "feffe9928665731c6d6a8f9467308308";
static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char gcm_pt[] =
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm4_ct[] =
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
static const char gcm4_tag[] = "5bc94fbc3221a5db94fae95ae7121a47";
static const char gcm16_ct[] =
	"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
static const char gcm16_tag[] = "76fc6ece0f4e1768cddf8853bb2d551b";

/* RFC 8439: the sunscreen text, sections 2.4.2 and 2.8.2. */
static const char sunscreen[] =
	"Ladies and Gentlemen of the class of '99: If I could offer you only "
	"one tip for the future, sunscreen would be it.";
static const char rfc_242_ct[] =
	"6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	"f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	"07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	"5af90bbf74a35be6b40b8eedf2785e42874d";
static const char rfc_282_key[] =
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char rfc_282_nonce[] = "070000004041424344454647";
static const char rfc_282_aad[] = "50515253c0c1c2c3c4c5c6c7";
static const char rfc_282_ct[] =
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	"3ff4def08e4b7a9de576d26586cec64b6116";
static const char rfc_282_tag[] = "1ae10b594f09e26a7e902ecbd0600691";

/*
 * An AEAD vector through wire_aead_seal/open, and its ciphertext through
 * wire_stream_xor: the 7b keystream is the AEAD's for the same nonce.
 */
static void check_aead(struct __test_metadata *_metadata, u8 suite,
		       const char *keyhex, const char *noncehex,
		       const char *aadhex, const u8 *pt, size_t ptlen,
		       const char *cthex, const char *taghex)
{
	u8 kb[32], nonce[12], aad[32], ct[128], tag[16], out[128], t[16];
	struct wire_key k;
	int klen, aadlen;

	klen = unhex(keyhex, kb, sizeof(kb));
	ASSERT_EQ(0, wire_key_set(&k, suite, 1, kb, (size_t)klen));
	ASSERT_EQ(12, unhex(noncehex, nonce, sizeof(nonce)));
	aadlen = unhex(aadhex, aad, sizeof(aad));
	ASSERT_LE(0, aadlen);
	ASSERT_EQ((int)ptlen, unhex(cthex, ct, sizeof(ct)));
	ASSERT_EQ(16, unhex(taghex, tag, sizeof(tag)));

	ASSERT_EQ(0, wire_aead_seal(&k, nonce, aad, (size_t)aadlen, pt, ptlen,
				    out, t));
	EXPECT_EQ(0, memcmp(out, ct, ptlen));
	EXPECT_EQ(0, memcmp(t, tag, 16));
	ASSERT_EQ(0, wire_aead_open(&k, nonce, aad, (size_t)aadlen, ct, ptlen,
				    out, tag));
	EXPECT_EQ(0, memcmp(out, pt, ptlen));
	tag[15] ^= 0x80;
	EXPECT_EQ(-EBADMSG, wire_aead_open(&k, nonce, aad, (size_t)aadlen, ct,
					   ptlen, out, tag));
	EXPECT_NE(0, memcmp(out, pt, ptlen));	/* wiped */

	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, wire_stream_xor(&k, nonce, pt, ptlen, out));
	EXPECT_EQ(0, memcmp(out, ct, ptlen));
	wire_key_wipe(&k);
}

TEST(known_answer_aes_gcm)
{
	char key256[2 * sizeof(gcm_key)];
	u8 pt[60];

	ASSERT_EQ(60, unhex(gcm_pt, pt, sizeof(pt)));
	check_aead(_metadata, ANTIGONE_SUITE_AES128_GCM, gcm_key, gcm_iv,
		   gcm_aad, pt, sizeof(pt), gcm4_ct, gcm4_tag);
	snprintf(key256, sizeof(key256), "%s%s", gcm_key, gcm_key);
	check_aead(_metadata, ANTIGONE_SUITE_AES256_GCM, key256, gcm_iv,
		   gcm_aad, pt, sizeof(pt), gcm16_ct, gcm16_tag);
}

TEST(known_answer_chacha20_poly1305)
{
	const size_t len = strlen(sunscreen);
	u8 kb[32], nonce[12], ct[128], out[128];
	struct wire_key k;
	size_t i;

	check_aead(_metadata, ANTIGONE_SUITE_CHACHA20_POLY1305, rfc_282_key,
		   rfc_282_nonce, rfc_282_aad, (const u8 *)sunscreen, len,
		   rfc_282_ct, rfc_282_tag);

	/* 2.4.2 encrypts from block counter 1, as 7b does. */
	for (i = 0; i < sizeof(kb); i++)
		kb[i] = (u8)i;
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_CHACHA20_POLY1305, 1, kb,
				  32));
	ASSERT_EQ(12, unhex("000000000000004a00000000", nonce,
			    sizeof(nonce)));
	ASSERT_EQ((int)len, unhex(rfc_242_ct, ct, sizeof(ct)));
	ASSERT_EQ(0, wire_stream_xor(&k, nonce, (const u8 *)sunscreen, len,
				     out));
	EXPECT_EQ(0, memcmp(out, ct, len));
	wire_key_wipe(&k);
}

/*
 * The vectors of docs/wire-format.md (`wirepkt vectors`): key 00 01 02 ...,
 * epoch 7, sender 0x01020304, seq 0x1122334455667788, "Antigone 7x test".
 * Computed by libwire, then recomputed independently by
 * tools/libwire/crosscheck.py (pure-Python AES-GCM and ChaCha20-Poly1305,
 * and python3-cryptography); a change here is a change of the wire format.
 */
static const struct vector {
	u8 guarantee, suite;
	const char *udp;
} wire_vectors[] = {
	{ 1, 1, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"f45ec0f249581b4c7d2d4b8d705877d2" },
	{ 1, 2, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"aeefe9b9806b75e6b93a7a8360fc9f95" },
	{ 1, 3, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"1af301287deffe3c375c9a6dedcff844" },
	{ 2, 1, "1200000000000007010203041122334455667788"
		"11194722831539d779cb00184f6f7735" },
	{ 2, 2, "1200000000000007010203041122334455667788"
		"e4b122c2e40e9d4d7742de9f62d53c61" },
	{ 2, 3, "1200000000000007010203041122334455667788"
		"831833f381884213c87296887bfd754a" },
	{ 3, 1, "1300000000000007010203041122334455667788"
		"11194722831539d779cb00184f6f7735"
		"b2d6a03b683a7d41197dcdf2e5d64e8e" },
	{ 3, 2, "1300000000000007010203041122334455667788"
		"e4b122c2e40e9d4d7742de9f62d53c61"
		"764d2b193e5dada07efd8a72d6deafb6" },
	{ 3, 3, "1300000000000007010203041122334455667788"
		"831833f381884213c87296887bfd754a"
		"453087659470f15c4c15847f5631ded9" },
};

TEST(vectors)
{
	u8 kb[32], out[64], back[64];
	char hex[129];
	struct antigone_hdr h;
	size_t i, outlen, plen;
	struct wire_key k;

	for (i = 0; i < sizeof(kb); i++)
		kb[i] = (u8)i;
	for (i = 0; i < ARRAY_SIZE(wire_vectors); i++) {
		const struct vector *v = &wire_vectors[i];

		ASSERT_EQ(0, wire_key_set(&k, v->suite, 7, kb,
					  (size_t)wire_key_len(v->suite)));
		ASSERT_EQ(0, wire_seal(&k, v->guarantee, 0x01020304,
				       0x1122334455667788ull,
				       (const u8 *)"Antigone 7x test", 16, out,
				       sizeof(out), &outlen));
		tohex(out, outlen, hex);
		EXPECT_STREQ(v->udp, hex)
			TH_LOG("guarantee %u suite %u", v->guarantee,
			       v->suite);
		ASSERT_EQ(0, wire_open(&k, out, outlen, &h, back, &plen));
		EXPECT_EQ(16, plen);
		EXPECT_EQ(0, memcmp(back, "Antigone 7x test", 16));
		wire_key_wipe(&k);
	}
}

/* ---- the wirepkt tool ---------------------------------------------------- */

/* The directory of this test binary, build/selftests/host. */
static bool self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	char *slash;

	if (n <= 0)
		return false;
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = 0;
	return true;
}

/* build/wirepkt, next to build/selftests/host/wire; $WIREPKT overrides. */
static bool wirepkt_path(char *path, size_t cap)
{
	const char *env = getenv("WIREPKT");
	char dir[PATH_MAX];

	int n;

	if (env)
		n = snprintf(path, cap, "%s", env);
	else if (self_dir(dir, sizeof(dir)))
		n = snprintf(path, cap, "%s/../../wirepkt", dir);
	else
		return false;
	return n > 0 && (size_t)n < cap && access(path, X_OK) == 0;
}

/* Runs a shell command line; its exit status, output in out. */
static int run(const char *cmd, char *out, size_t cap)
{
	size_t len = 0, n;
	FILE *f = popen(cmd, "r");
	int st;

	if (!f)
		return -1;
	while (len + 1 < cap && (n = fread(out + len, 1, cap - 1 - len, f)))
		len += n;
	out[len] = 0;
	while (fread((char[256]){ 0 }, 1, 256, f))
		;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void strip_space(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*d++ = *s;
	*d = 0;
}

static char big[65536], doc[65536];

/* Reads a whole file into buf, NUL-terminated; its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return -1;
	len = fread(buf, 1, cap - 1, f);
	buf[len] = 0;
	fclose(f);
	return len == cap - 1 ? -1 : (ssize_t)len;
}

/*
 * wirepkt prints the hard-coded vectors, and docs/wire-format.md ends
 * with its output verbatim.
 */
TEST(wirepkt_vectors)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], dir[PATH_MAX];
	char docpath[PATH_MAX + 32];
	size_t i, blen;
	ssize_t dlen;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	snprintf(cmd, sizeof(cmd), "'%s' vectors", path);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));

	blen = strlen(big);
	ASSERT_TRUE(self_dir(dir, sizeof(dir)));
	ASSERT_GT(sizeof(docpath),
		  (size_t)snprintf(docpath, sizeof(docpath),
				   "%s/../../../docs/wire-format.md", dir));
	dlen = read_file(docpath, doc, sizeof(doc));
	if (dlen < 0) {
		TH_LOG("cannot read %s", docpath);
	} else {
		ASSERT_LE(blen, (size_t)dlen);
		EXPECT_STREQ(big, doc + dlen - blen)
			TH_LOG("docs/wire-format.md does not end with the "
			       "output of 'wirepkt vectors': regenerate it");
	}

	strip_space(big);
	for (i = 0; i < ARRAY_SIZE(wire_vectors); i++)
		EXPECT_NE(NULL, strstr(big, wire_vectors[i].udp))
			TH_LOG("vector %zu missing from wirepkt vectors", i);
}

struct tmp {
	char dir[64];
	char key[96];
};

static int write_key(struct tmp *t, const char *hex, mode_t mode)
{
	int fd;

	snprintf(t->dir, sizeof(t->dir), "/tmp/antigone-wire.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->key, sizeof(t->key), "%s/key", t->dir);
	fd = open(t->key, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    fchmod(fd, mode)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void remove_key(struct tmp *t)
{
	unlink(t->key);
	rmdir(t->dir);
}

/* A bound loopback UDP socket and its port, or -1. */
static int udp_socket(u16 *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static const char test_key_hex[] = "000102030405060708090a0b0c0d0e0f\n";

TEST(wirepkt_usage_and_key_file)
{
	char path[PATH_MAX], cmd[PATH_MAX + 256];
	struct tmp t;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	snprintf(cmd, sizeof(cmd), "'%s' --help", path);
	EXPECT_EQ(0, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "EXIT STATUS"));
	snprintf(cmd, sizeof(cmd), "'%s' 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	snprintf(cmd, sizeof(cmd), "'%s' send --seq 1 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	snprintf(cmd, sizeof(cmd), "'%s' recv --port 0 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));

	/* Like ssh: a key others can read is refused, and said why. */
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0644));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 1 --sender 1 --seq 1 --to 127.0.0.1 9 2>&1",
		 path, t.key);
	EXPECT_EQ(1, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "chmod 600"));
	EXPECT_EQ(NULL, strstr(big, "000102"));	/* never echoed */
	/* The wrong length for the suite. */
	chmod(t.key, 0600);
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes256-gcm --key-file "
		 "'%s' --epoch 1 --sender 1 --seq 1 --to 127.0.0.1 9 2>&1",
		 path, t.key);
	EXPECT_EQ(1, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "64 hex digits"));
	remove_key(&t);
}

/* wirepkt send -> a socket of ours, opened with libwire. */
TEST(wirepkt_send)
{
	char path[PATH_MAX], cmd[PATH_MAX + 256];
	u8 buf[128], back[128], kb[16];
	struct antigone_hdr h;
	struct wire_key k;
	size_t plen;
	struct tmp t;
	ssize_t n;
	u16 port;
	int fd, i;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	fd = udp_socket(&port);
	if (fd < 0)
		SKIP(return, "no loopback UDP socket");
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0600));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 100 --count 2 "
		 "--to 127.0.0.1 %u", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "sent guarantee=both epoch=5 sender=3 "
			       "seq=101 len=47"));

	ASSERT_EQ(16, unhex(test_key_hex, kb, sizeof(kb)));
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 5, kb, 16));
	for (i = 0; i < 2; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		ASSERT_EQ(36 + 11, n);
		ASSERT_EQ(0, wire_open(&k, buf, (size_t)n, &h, back, &plen));
		EXPECT_EQ(3, h.sender);
		EXPECT_EQ(100 + i, h.seq);
		EXPECT_EQ(0, memcmp(back, i ? "wirepkt 101" : "wirepkt 100",
				    11));
	}

	/* --tamper 25 hits the body; --truncate 30 cuts into it. */
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 102 --tamper 25 "
		 "--to 127.0.0.1 %u >/dev/null", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(47, n);
	EXPECT_EQ(-EBADMSG, wire_open(&k, buf, (size_t)n, &h, back, &plen));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 103 --truncate 30 "
		 "--to 127.0.0.1 %u >/dev/null", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(30, n);
	EXPECT_EQ(-EMSGSIZE, wire_open(&k, buf, (size_t)n, &h, back, &plen));
	snprintf(cmd, sizeof(cmd), "'%s' send --raw --payload hello "
		 "--to 127.0.0.1 %u >/dev/null", path, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(5, n);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));

	wire_key_wipe(&k);
	remove_key(&t);
	close(fd);
}

/*
 * wirepkt recv <- datagrams of ours. recv binds when it starts, so send
 * until its verdict line comes back (a lost first datagram is harmless).
 */
static bool recv_line(const char *path, const char *key, const u8 *dgram,
		      size_t len, char *line, size_t cap)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	char portstr[8];
	int pipefd[2], s, tries, st;
	size_t got = 0;
	u16 port;
	pid_t pid;

	/* A free port: bind one, note it, let it go. */
	s = udp_socket(&port);
	if (s < 0)
		return false;
	close(s);
	snprintf(portstr, sizeof(portstr), "%u", port);
	if (pipe(pipefd))
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl(path, path, "recv", "--suite", "aes128-gcm",
		      "--key-file", key, "--epoch", "7", "--port", portstr,
		      "--timeout", "10000", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(port);
	for (tries = 0; tries < 100 && got == 0; tries++) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		ssize_t n;

		sendto(s, dgram, len, 0, (struct sockaddr *)&to, sizeof(to));
		if (poll(&p, 1, 100) <= 0)
			continue;
		while ((n = read(pipefd[0], line + got, cap - 1 - got)) > 0)
			got += (size_t)n;
	}
	line[got] = 0;
	close(s);
	close(pipefd[0]);
	if (!got)
		kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return got > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

TEST(wirepkt_recv)
{
	char path[PATH_MAX], line[512];
	u8 out[64], kb[16];
	struct wire_key k;
	size_t outlen;
	struct tmp t;
	u16 port;
	int fd;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	fd = udp_socket(&port);
	if (fd < 0)
		SKIP(return, "no loopback UDP socket");
	close(fd);
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0600));
	ASSERT_EQ(16, unhex(test_key_hex, kb, sizeof(kb)));
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 7, kb, 16));

	ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_INTEGRITY, 4, 9,
			       (const u8 *)"hi there", 8, out, sizeof(out),
			       &outlen));
	ASSERT_TRUE(recv_line(path, t.key, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("ok guarantee=integrity epoch=7 sender=4 seq=9 len=8 "
		     "payload=hi there\n", line);

	out[outlen - 1] ^= 1;
	ASSERT_TRUE(recv_line(path, t.key, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("fail error=EBADMSG len=44\n", line);

	ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_BOTH, 4, 10,
			       (const u8 *)"\x01\x02", 2, out, sizeof(out),
			       &outlen));
	ASSERT_TRUE(recv_line(path, t.key, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("ok guarantee=both epoch=7 sender=4 seq=10 len=2 "
		     "payload=<binary>\n", line);
	out[7] ^= 1;	/* epoch 6 */
	ASSERT_TRUE(recv_line(path, t.key, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("fail error=EKEYREJECTED len=38\n", line);

	wire_key_wipe(&k);
	remove_key(&t);
}

TEST_HARNESS_MAIN
