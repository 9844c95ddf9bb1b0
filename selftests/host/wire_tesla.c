// SPDX-License-Identifier: GPL-2.0
/*
 * Sender authenticity (7d), the code the module and userspace share
 * (kmod/tesla.c, docs/sender-authenticity.md): the ext codec and its
 * refusals, the chain step, MAC key and MAC against vectors computed with
 * Python's hashlib (an independent BLAKE2s:
 *   hashlib.blake2s(b"antigone/1 7d chain", key=K, digest_size=16)
 * and so on), the schedule and time-bound arithmetic at its edges, and the
 * security condition against a model of a sender and a receiver whose
 * clocks are only known within their bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lib/wire_fixture.h"
#include "tesla.h"

#define KEY ANTIGONE_TESLA_KEY_LEN
#define EXT ANTIGONE_TESLA_EXT_LEN
#define MAC ANTIGONE_TESLA_MAC_LEN
#define MS 1000000ULL

static void key_of(const char *hex, u8 out[KEY])
{
	if (unhex(hex, out, KEY) != KEY)
		abort();
}

/* ---- ext codec ---------------------------------------------------------- */

TEST(ext_round_trip)
{
	struct antigone_tesla_ext e = { .interval = 9, .disclosed = 1 }, g;
	u8 buf[EXT + MAC + TAG], want[EXT];

	memset(e.key, 0xaa, KEY);
	ASSERT_EQ(EXT, unhex("00000009 00000001 aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa",
			     want, sizeof(want)));
	memset(buf, 0xee, sizeof(buf));
	antigone_tesla_ext_pack(&e, buf);
	EXPECT_EQ(0, memcmp(buf, want, EXT));
	/* the pack writes the ext and nothing after it */
	EXPECT_EQ(0xee, buf[EXT]);
	ASSERT_EQ(0, antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	EXPECT_EQ(9, g.interval);
	EXPECT_EQ(1, g.disclosed);
	EXPECT_EQ(0, memcmp(g.key, e.key, KEY));

	/* nothing disclosed: interval 1, key zero; and the largest values */
	memset(&e, 0, sizeof(e));
	e.interval = 1;
	antigone_tesla_ext_pack(&e, buf);
	ASSERT_EQ(0, antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	EXPECT_EQ(0, g.disclosed);
	e.interval = UINT32_MAX;
	e.disclosed = UINT32_MAX - 1;
	memset(e.key, 0xff, KEY);
	antigone_tesla_ext_pack(&e, buf);
	ASSERT_EQ(0, antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	EXPECT_EQ(UINT32_MAX, g.interval);
	EXPECT_EQ(UINT32_MAX - 1, g.disclosed);
}

TEST(ext_refusals)
{
	struct antigone_tesla_ext e = { .interval = 20, .disclosed = 12 }, g;
	u8 buf[EXT + MAC + TAG];
	size_t len, i;

	memset(e.key, 0x5c, KEY);
	antigone_tesla_ext_pack(&e, buf);
	/* room for the ext, the MAC and the tag, or EMSGSIZE */
	for (len = 0; len < sizeof(buf); len++)
		EXPECT_EQ(-EMSGSIZE, antigone_tesla_ext_parse(buf, len, &g));
	EXPECT_EQ(0, antigone_tesla_ext_parse(buf, sizeof(buf), &g));

	e.interval = 0;
	e.disclosed = 0;
	memset(e.key, 0, KEY);
	antigone_tesla_ext_pack(&e, buf);
	EXPECT_EQ(-EPROTO, antigone_tesla_ext_parse(buf, sizeof(buf), &g));

	/* a key disclosed in its own interval or later is never legitimate */
	e.interval = 7;
	e.disclosed = 7;
	antigone_tesla_ext_pack(&e, buf);
	EXPECT_EQ(-EPROTO, antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	e.disclosed = 8;
	antigone_tesla_ext_pack(&e, buf);
	EXPECT_EQ(-EPROTO, antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	e.disclosed = 6;
	antigone_tesla_ext_pack(&e, buf);
	EXPECT_EQ(0, antigone_tesla_ext_parse(buf, sizeof(buf), &g));

	/* nothing disclosed but a key: any one byte set is refused */
	e.disclosed = 0;
	for (i = 0; i < KEY; i++) {
		memset(e.key, 0, KEY);
		e.key[i] = 0x01;
		antigone_tesla_ext_pack(&e, buf);
		EXPECT_EQ(-EPROTO,
			  antigone_tesla_ext_parse(buf, sizeof(buf), &g));
	}
}

/* ---- chain, MAC key, MAC ---------------------------------------------- */

TEST(chain_vectors)
{
	u8 k[KEY], out[KEY], want[KEY], seed[KEY];

	key_of("000102030405060708090a0b0c0d0e0f", k);
	key_of("b5c3b1ed4b4aea600e048e06b9e5959e", want);
	antigone_tesla_step(k, out);
	EXPECT_EQ(0, memcmp(out, want, KEY));
	/* in place: the chain walks that way */
	antigone_tesla_step(k, k);
	EXPECT_EQ(0, memcmp(k, want, KEY));

	/* a chain of 16 from a seed of 0x11: K_15 and the commitment K_0 */
	memset(seed, 0x11, KEY);
	memcpy(k, seed, KEY);
	antigone_tesla_walk(k, 0);
	EXPECT_EQ(0, memcmp(k, seed, KEY));
	antigone_tesla_walk(k, 1);
	key_of("4a51247bda60593a8638beb9618b0f7e", want);
	EXPECT_EQ(0, memcmp(k, want, KEY));
	antigone_tesla_walk(k, 15);
	key_of("a4d1310bc48f33cdc770a4a9c27d8ab3", want);
	EXPECT_EQ(0, memcmp(k, want, KEY));
	memcpy(k, seed, KEY);
	antigone_tesla_walk(k, 16);
	EXPECT_EQ(0, memcmp(k, want, KEY));
}

TEST(mac_key_and_mac_vectors)
{
	static const char payload[] = "hello, group";
	u8 k[KEY], mk[KEY], want[KEY], hdr[HDR], hdr_want[HDR], ext[EXT];
	u8 data[200];
	u8 msg[HDR + EXT + sizeof(payload) - 1], mac[MAC];
	struct antigone_tesla_ext e = { .interval = 9, .disclosed = 1 };
	struct antigone_hdr h = { ANTIGONE_G_BOTH, 0, 7, 0x01020304, 5 };
	struct antigone_tesla_mac m;
	size_t cut, i;

	key_of("000102030405060708090a0b0c0d0e0f", k);
	antigone_tesla_mac_key(k, mk);
	key_of("1827586cea27e4f81bf11e2fe0078a8b", want);
	EXPECT_EQ(0, memcmp(mk, want, KEY));
	/* the labels keep the MAC key apart from the chain step */
	antigone_tesla_step(k, k);
	EXPECT_NE(0, memcmp(mk, k, KEY));

	/* A 7d datagram's MAC: header (first byte 0x17) || ext || payload. */
	h.guarantee = 7;
	antigone_hdr_pack(&h, hdr);
	memset(e.key, 0xaa, KEY);
	antigone_tesla_ext_pack(&e, ext);
	memcpy(msg, hdr, HDR);
	memcpy(msg + HDR, ext, EXT);
	memcpy(msg + HDR + EXT, payload, sizeof(payload) - 1);
	ASSERT_EQ(HDR, unhex("17000000 00000007 01020304 00000000 00000005",
			     hdr_want, HDR));
	ASSERT_EQ(0, memcmp(hdr, hdr_want, HDR));
	memset(k, 0x42, KEY);
	antigone_tesla_mac_key(k, mk);
	key_of("04ba789228e4072ef809a642173ab990", want);
	EXPECT_EQ(0, memcmp(mk, want, KEY));
	key_of("56ac3a2b2d929c53153ec62f0cf8fde5", want);
	/* any split into two pieces (an skb's head and a fragment) */
	for (cut = 0; cut <= sizeof(msg); cut++) {
		antigone_tesla_mac_init(&m, mk);
		antigone_tesla_mac_update(&m, msg, cut);
		antigone_tesla_mac_update(&m, msg + cut, sizeof(msg) - cut);
		antigone_tesla_mac_final(&m, mac);
		EXPECT_EQ(0, memcmp(mac, want, MAC));
	}

	/* more than three BLAKE2s blocks, byte by byte */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)i;
	key_of("b396dea0a7b97a317e496090574b4584", want);
	antigone_tesla_mac_init(&m, mk);
	for (i = 0; i < sizeof(data); i++)
		antigone_tesla_mac_update(&m, data + i, 1);
	antigone_tesla_mac_final(&m, mac);
	EXPECT_EQ(0, memcmp(mac, want, MAC));

	/* every bit of the input and of the key changes the MAC */
	for (i = 0; i < sizeof(msg) * 8; i += 7) {
		u8 flipped[sizeof(msg)], other[MAC];

		memcpy(flipped, msg, sizeof(msg));
		flipped[i / 8] ^= 1 << (i % 8);
		antigone_tesla_mac_init(&m, mk);
		antigone_tesla_mac_update(&m, flipped, sizeof(flipped));
		antigone_tesla_mac_final(&m, other);
		key_of("56ac3a2b2d929c53153ec62f0cf8fde5", want);
		EXPECT_NE(0, memcmp(other, want, MAC));
	}
}

/* ---- schedule ------------------------------------------------------------ */

TEST(schedule_limits)
{
	struct antigone_tesla_sched s = {
		.t0_ns = 0, .period_ns = 10 * MS, .chain_len = 8192, .lag = 8,
	};

	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.period_ns = ANTIGONE_TESLA_T_MIN_NS - 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
	s.period_ns = ANTIGONE_TESLA_T_MIN_NS;
	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.period_ns = ANTIGONE_TESLA_T_MAX_NS;
	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.period_ns = ANTIGONE_TESLA_T_MAX_NS + 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
	s.period_ns = 0;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
	s.period_ns = 10 * MS;
	s.lag = 0;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
	s.lag = ANTIGONE_TESLA_LAG_MAX;
	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.chain_len = ANTIGONE_TESLA_CHAIN_MIN - 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
	s.chain_len = ANTIGONE_TESLA_CHAIN_MIN;
	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.chain_len = ANTIGONE_TESLA_CHAIN_MAX;
	EXPECT_EQ(0, antigone_tesla_sched_valid(&s));
	s.chain_len = ANTIGONE_TESLA_CHAIN_MAX + 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_sched_valid(&s));
}

TEST(intervals_and_chains)
{
	struct antigone_tesla_sched s = {
		.t0_ns = 5000 * MS, .period_ns = 10 * MS, .chain_len = 16,
		.lag = 8,
	};

	EXPECT_EQ(0, antigone_tesla_interval(&s, 0));
	EXPECT_EQ(0, antigone_tesla_interval(&s, s.t0_ns - 1));
	EXPECT_EQ(1, antigone_tesla_interval(&s, s.t0_ns));
	EXPECT_EQ(1, antigone_tesla_interval(&s, s.t0_ns + s.period_ns - 1));
	EXPECT_EQ(2, antigone_tesla_interval(&s, s.t0_ns + s.period_ns));
	EXPECT_EQ(101, antigone_tesla_interval(&s, s.t0_ns + 1000 * MS));
	/* far beyond 2^32 intervals: saturates, never wraps to a small one */
	s.period_ns = ANTIGONE_TESLA_T_MIN_NS;
	EXPECT_EQ(UINT32_MAX, antigone_tesla_interval(&s, UINT64_MAX));

	EXPECT_EQ(0, antigone_tesla_chain_of(&s, 1));
	EXPECT_EQ(1, antigone_tesla_chain_pos(&s, 1));
	EXPECT_EQ(0, antigone_tesla_chain_of(&s, 16));
	EXPECT_EQ(16, antigone_tesla_chain_pos(&s, 16));
	EXPECT_EQ(1, antigone_tesla_chain_of(&s, 17));
	EXPECT_EQ(1, antigone_tesla_chain_pos(&s, 17));
	s.chain_len = ANTIGONE_TESLA_CHAIN_MAX;
	EXPECT_EQ((UINT32_MAX - 1) / 65536,
		  antigone_tesla_chain_of(&s, UINT32_MAX));
	EXPECT_EQ(65535, antigone_tesla_chain_pos(&s, UINT32_MAX));
	EXPECT_EQ(65536, antigone_tesla_chain_pos(&s, 65536 * 3));
}

/* ---- the time bound --------------------------------------------------- */

TEST(clock_bounds)
{
	struct antigone_tesla_clock c = {
		.t_s = 1000, .t_r = 3000, .t_sl = 1000 * MS, .drift_ppm = 0,
	};
	u64 now;

	EXPECT_EQ(0, antigone_tesla_clock_valid(&c));
	/* at the answer: the leader read t_sl at most 2000 ns ago */
	EXPECT_EQ(c.t_sl, antigone_tesla_clock_low(&c, 3000));
	EXPECT_EQ(c.t_sl + 2000, antigone_tesla_clock_up(&c, 3000));
	/* before the answer (a value from the past): low does not move */
	EXPECT_EQ(c.t_sl, antigone_tesla_clock_low(&c, 2000));
	EXPECT_EQ(c.t_sl, antigone_tesla_clock_low(&c, 0));
	EXPECT_EQ(c.t_sl, antigone_tesla_clock_up(&c, 0));

	/* one second later with 500 ppm: 500 us either way */
	c.drift_ppm = 500;
	now = c.t_s + 1000 * MS;
	EXPECT_EQ(c.t_sl + (now - c.t_r) - 500000,
		  antigone_tesla_clock_low(&c, now));
	EXPECT_EQ(c.t_sl + (now - c.t_s) + 500000,
		  antigone_tesla_clock_up(&c, now));
	/* drift rounds up: 1 ns at 1 ppm is 1 ns of doubt */
	c.drift_ppm = 1;
	EXPECT_EQ(c.t_sl + 1 + 1, antigone_tesla_clock_up(&c, c.t_s + 1));

	/* no overflow at the ends of the range */
	c.drift_ppm = ANTIGONE_TESLA_DRIFT_MAX_PPM;
	EXPECT_EQ(UINT64_MAX, antigone_tesla_clock_up(&c, UINT64_MAX));
	/* about 10% below the end, not wrapped round to a small value */
	EXPECT_GT(antigone_tesla_clock_low(&c, UINT64_MAX), UINT64_MAX / 10 * 8);
	EXPECT_LT(antigone_tesla_clock_low(&c, UINT64_MAX), UINT64_MAX / 10 * 9 + 1000);
	c.t_sl = UINT64_MAX - 10;
	EXPECT_EQ(UINT64_MAX, antigone_tesla_clock_up(&c, 1 * MS));

	c.drift_ppm = ANTIGONE_TESLA_DRIFT_MAX_PPM + 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_clock_valid(&c));
	c.drift_ppm = 0;
	c.t_r = c.t_s - 1;
	EXPECT_EQ(-EINVAL, antigone_tesla_clock_valid(&c));
}

/* xorshift64*: reproducible draws */
static u64 draw(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static u64 draw_in(u64 *s, u64 lo, u64 hi)
{
	return lo + draw(s) % (hi - lo + 1);
}

/*
 * The leader's clock runs at a rate within drift of ours: whatever moment
 * in [t_s, t_r] it read t_sl at and however fast it ran, its time at any
 * later moment lies within [low, up].
 */
TEST(clock_bounds_hold)
{
	u64 seed = 0x9e3779b97f4a7c15ULL;
	int n;

	for (n = 0; n < 200000; n++) {
		struct antigone_tesla_clock c;
		u64 read, now, elapsed, lead;
		s64 off;

		c.drift_ppm = (u32)draw_in(&seed, 0, 2000);
		c.t_s = draw_in(&seed, 0, 1ULL << 50);
		c.t_r = c.t_s + draw_in(&seed, 0, 50 * MS);
		c.t_sl = draw_in(&seed, 0, 1ULL << 50);
		read = draw_in(&seed, c.t_s, c.t_r);
		now = c.t_r + draw_in(&seed, 0, 600000 * MS);
		elapsed = now - read;
		/* the leader's elapsed time, off by up to drift (floored) */
		off = (s64)draw_in(&seed, 0, 2 * c.drift_ppm) - c.drift_ppm;
		lead = elapsed + (u64)((s64)(elapsed / 1000000) * off +
				       (s64)(elapsed % 1000000) * off /
				       1000000);
		if (off < 0 && (elapsed % 1000000) * -off % 1000000)
			lead--;	/* floor, not truncation */
		ASSERT_LE(antigone_tesla_clock_low(&c, now), c.t_sl + lead);
		ASSERT_GE(antigone_tesla_clock_up(&c, now), c.t_sl + lead);
	}
}

/* ---- the security condition -------------------------------------------- */

TEST(security_condition)
{
	/* lag 8, the receiver's bound says the sender is at most in 10 */
	EXPECT_FALSE(antigone_tesla_safe(0, 10, 8));
	EXPECT_FALSE(antigone_tesla_safe(1, 10, 8));
	EXPECT_FALSE(antigone_tesla_safe(2, 10, 8));	/* K_2 due in 10 */
	EXPECT_TRUE(antigone_tesla_safe(3, 10, 8));
	EXPECT_TRUE(antigone_tesla_safe(10, 10, 8));
	EXPECT_FALSE(antigone_tesla_safe(11, 10, 8));	/* from the future */
	EXPECT_FALSE(antigone_tesla_safe(1, 0, 8));	/* before t0 */
	EXPECT_TRUE(antigone_tesla_safe(1, 1, 1));
	EXPECT_FALSE(antigone_tesla_safe(1, 2, 1));
	/* no wrap at the top of the interval space */
	EXPECT_TRUE(antigone_tesla_safe(UINT32_MAX, UINT32_MAX, 255));
	EXPECT_FALSE(antigone_tesla_safe(UINT32_MAX - 255, UINT32_MAX, 255));
	EXPECT_TRUE(antigone_tesla_safe(UINT32_MAX - 254, UINT32_MAX, 255));

	EXPECT_TRUE(antigone_tesla_disclosable(2, 10, 8));
	EXPECT_FALSE(antigone_tesla_disclosable(3, 10, 8));
	EXPECT_FALSE(antigone_tesla_disclosable(0, 10, 8));
	EXPECT_FALSE(antigone_tesla_disclosable(UINT32_MAX, UINT32_MAX, 1));

	EXPECT_FALSE(antigone_tesla_expired(3, 18, 8));
	EXPECT_TRUE(antigone_tesla_expired(3, 19, 8));
	EXPECT_FALSE(antigone_tesla_expired(UINT32_MAX, UINT32_MAX, 255));
}

/* One host's view of the leader's clock: its offset and one sync. */
struct host {
	s64 offset;		/* local = leader + offset, >= 0 */
	struct antigone_tesla_clock c;
};

static void host_sync(struct host *h, u64 *seed, u64 at)
{
	u64 rtt = draw_in(seed, 0, 2 * MS), read = draw_in(seed, 0, rtt);

	h->offset = (s64)draw_in(seed, 0, 1ULL << 40);
	h->c.t_s = at + h->offset;
	h->c.t_r = h->c.t_s + rtt;
	h->c.t_sl = at + read;
	h->c.drift_ppm = 0;	/* clocks at the same rate: drift is above */
}

/*
 * A sender numbers with its lower bound and discloses K_i once its own
 * interval reaches i + d; a receiver judges with its upper bound. Whatever
 * the offsets and round trips, a datagram judged safe has a key the
 * sender had not disclosed yet at that moment, and one that arrives
 * within (d - 1) T minus both bounds' widths is judged safe.
 */
TEST(security_condition_model)
{
	struct antigone_tesla_sched s = {
		.t0_ns = 1000 * MS, .period_ns = 10 * MS, .chain_len = 8192,
		.lag = 8,
	};
	u64 seed = 0x1234567887654321ULL;
	int n, safe = 0, late = 0;

	for (n = 0; n < 200000; n++) {
		struct host tx, rx;
		u64 sync_at = draw_in(&seed, 0, 900 * MS);
		u64 sent = s.t0_ns + draw_in(&seed, 0, 10000 * MS);
		u64 delay = draw_in(&seed, 0, 120 * MS), arrive = sent + delay;
		u64 widths;
		u32 i, cur, i_max;

		host_sync(&tx, &seed, sync_at);
		host_sync(&rx, &seed, sync_at);
		i = antigone_tesla_interval(&s,
			antigone_tesla_clock_low(&tx.c, sent + tx.offset));
		if (!i)
			continue;
		cur = antigone_tesla_interval(&s,
			antigone_tesla_clock_low(&tx.c, arrive + tx.offset));
		i_max = antigone_tesla_interval(&s,
			antigone_tesla_clock_up(&rx.c, arrive + rx.offset));
		widths = (tx.c.t_r - tx.c.t_s) + (rx.c.t_r - rx.c.t_s);
		if (antigone_tesla_safe(i, i_max, s.lag)) {
			safe++;
			ASSERT_LT(cur, i + s.lag);	/* K_i not out yet */
		} else if (delay + widths < (s.lag - 1) * s.period_ns) {
			ASSERT_TRUE(0 && "a timely datagram was judged unsafe");
		} else {
			late++;
		}
	}
	/* both branches were exercised */
	EXPECT_GT(safe, 1000);
	EXPECT_GT(late, 1000);
}

/* ---- whole 7d datagrams (tools/libwire/wire7d.c) ------------------------ */

/*
 * Computed with tools/libwire/crosscheck.py's pure-Python AES-GCM and
 * ChaCha20-Poly1305 and hashlib's BLAKE2s: header (0x17, epoch 7, sender
 * 0x01020304, seq 0x1122334455667788), ext (interval 9, disclosing
 * interval 1's key aa x 16), payload "Antigone 7x test", K_9 = 42 x 16,
 * keys 00 01 02 ... as the 7a-7c vectors.
 */
static const char *const vectors_7d[3] = {
	"17000000000000070102030411223344556677880000000900000001"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa11194722831539d779cb00184f6f7735"
	"234b9907890ae0f389b115c08323f1a33b1ab5680c0995aff22cac93c894a91a",
	"17000000000000070102030411223344556677880000000900000001"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae4b122c2e40e9d4d7742de9f62d53c61"
	"2cb89b40a67a492bf29451137c7e9d9eaa61467ac389ba9887d8581505ae7e70",
	"17000000000000070102030411223344556677880000000900000001"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa831833f381884213c87296887bfd754a"
	"071a33e8c5706d92d60e9525b48d403f7e982e595503323eebf51b1278102265",
};

/* The vectors' key: 00 01 02 ... */
static void vector_key(struct wire_key *k, u8 suite)
{
	u8 bytes[WIRE_KEY_MAX];
	size_t i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (u8)i;
	if (wire_key_set(k, suite, 7, bytes, (size_t)wire_key_len(suite)))
		abort();
}

TEST(datagram_7d_vectors)
{
	static const char payload[] = "Antigone 7x test";
	struct antigone_tesla_ext e = { .interval = 9, .disclosed = 1 }, e2;
	u8 k9[KEY], other[KEY], want[200], out[200], back[200], mac[MAC];
	size_t plen = sizeof(payload) - 1, n, wlen, got, pos;
	struct antigone_hdr h;
	struct wire_key k;
	unsigned int i;

	memset(e.key, 0xaa, KEY);
	memset(k9, 0x42, KEY);
	memset(other, 0x43, KEY);
	for (i = 0; i < 3; i++) {
		vector_key(&k, suites[i]);
		wlen = (size_t)unhex(vectors_7d[i], want, sizeof(want));
		ASSERT_EQ(plen + ANTIGONE_TESLA_OVERHEAD, wlen);
		ASSERT_EQ(0, wire_seal_7d(&k, 0x01020304, 0x1122334455667788ull,
					  &e, k9, (const u8 *)payload, plen,
					  out, sizeof(out), &n));
		ASSERT_EQ(wlen, n);
		EXPECT_EQ(0, memcmp(out, want, n)) TH_LOG("suite %u", suites[i]);

		ASSERT_EQ(0, wire_open_7d(&k, out, n, &h, &e2, back, &got,
					  mac));
		EXPECT_EQ(plen, got);
		EXPECT_EQ(0, memcmp(back, payload, plen));
		EXPECT_EQ(9, e2.interval);
		EXPECT_EQ(1, e2.disclosed);
		EXPECT_EQ(0x01020304, h.sender);
		/* the sender's MAC, once its key K_9 is disclosed */
		EXPECT_EQ(0, wire_check_7d(out, back, got, mac, k9));
		/* a member with the group key but not K_9: opens, fails */
		EXPECT_EQ(-EBADMSG, wire_check_7d(out, back, got, mac, other));
		back[0] ^= 1;
		EXPECT_EQ(-EBADMSG, wire_check_7d(out, back, got, mac, k9));

		/* every bit is under the group AEAD or refused before it */
		for (pos = 0; pos < n * 8; pos++) {
			out[pos / 8] ^= 1 << (pos % 8);
			EXPECT_NE(0, wire_open_7d(&k, out, n, &h, &e2, back,
						  &got, mac));
			out[pos / 8] ^= 1 << (pos % 8);
		}
		/* neither guarantee's opener takes the other's datagram */
		EXPECT_EQ(-EPROTO, wire_open(&k, out, n, &h, back, &got));
		wlen = (size_t)unhex(wire_vectors[6 + i].udp, want,
				     sizeof(want));
		EXPECT_EQ(-EPROTO, wire_open_7d(&k, want, wlen, &h, &e2, back,
						&got, mac));
		/* shorter than header, ext, MAC and tag */
		EXPECT_EQ(-EMSGSIZE, wire_open_7d(&k, out,
						  ANTIGONE_TESLA_OVERHEAD - 1,
						  &h, &e2, back, &got, mac));
		wire_key_wipe(&k);
	}
	/* an ext no receiver takes is not sealed */
	vector_key(&k, suites[0]);
	e.disclosed = 9;
	EXPECT_EQ(-EINVAL, wire_seal_7d(&k, 1, 1, &e, k9, (const u8 *)payload,
					plen, out, sizeof(out), &n));
	e.disclosed = 1;
	EXPECT_EQ(-ENOBUFS, wire_seal_7d(&k, 1, 1, &e, k9,
					 (const u8 *)payload, plen, out,
					 plen + ANTIGONE_TESLA_OVERHEAD - 1,
					 &n));
	wire_key_wipe(&k);
}

/* ---- a receiver's chain: verification and derived keys ---------------- */

TEST(receiver_chain)
{
	u8 k[17][KEY], other[17][KEY], out[KEY];
	struct antigone_tesla_chain c;
	u32 budget = 100, first = 2 * 16 + 1;
	int i;

	/* chain 2 of 16: k[16] the seed, k[0] the commitment */
	memset(k[16], 0x5a, KEY);
	memset(other[16], 0x5b, KEY);
	for (i = 16; i > 0; i--) {
		antigone_tesla_step(k[i], k[i - 1]);
		antigone_tesla_step(other[i], other[i - 1]);
	}
	antigone_tesla_chain_init(&c, 2, 16, k[0]);
	EXPECT_TRUE(antigone_tesla_chain_holds(&c, first));
	EXPECT_TRUE(antigone_tesla_chain_holds(&c, first + 15));
	EXPECT_FALSE(antigone_tesla_chain_holds(&c, first - 1));
	EXPECT_FALSE(antigone_tesla_chain_holds(&c, first + 16));
	EXPECT_EQ(-ENOKEY, antigone_tesla_chain_key(&c, first, out));

	/* K of interval first + 3 is k[4]: four steps to the commitment */
	ASSERT_EQ(0, antigone_tesla_chain_verify(&c, first + 3, k[4], &budget));
	EXPECT_EQ(96, budget);
	EXPECT_EQ(first + 3, c.verified);
	/* and every earlier key follows from it */
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, antigone_tesla_chain_key(&c, first + i, out));
		EXPECT_EQ(0, memcmp(out, k[i + 1], KEY));
	}
	EXPECT_EQ(-ENOKEY, antigone_tesla_chain_key(&c, first + 4, out));
	EXPECT_EQ(-EALREADY, antigone_tesla_chain_verify(&c, first + 2, k[3],
							 &budget));
	/* another chain's key, a flipped bit: refused, the steps spent */
	EXPECT_EQ(-EBADMSG, antigone_tesla_chain_verify(&c, first + 5,
							other[6], &budget));
	EXPECT_EQ(94, budget);
	memcpy(out, k[6], KEY);
	out[0] ^= 1;
	EXPECT_EQ(-EBADMSG, antigone_tesla_chain_verify(&c, first + 5, out,
							&budget));
	EXPECT_EQ(92, budget);
	EXPECT_EQ(first + 3, c.verified);
	/* over budget: later, nothing spent */
	budget = 1;
	EXPECT_EQ(-EAGAIN, antigone_tesla_chain_verify(&c, first + 5, k[6],
						       &budget));
	EXPECT_EQ(1, budget);
	budget = 12;
	EXPECT_EQ(-ERANGE, antigone_tesla_chain_verify(&c, first + 16, k[16],
						       &budget));
	EXPECT_EQ(-ERANGE, antigone_tesla_chain_verify(&c, first - 1, k[0],
						       &budget));
	/* the chain's last key, twelve steps down to the one verified */
	ASSERT_EQ(0, antigone_tesla_chain_verify(&c, first + 15, k[16],
						 &budget));
	EXPECT_EQ(0, budget);
	ASSERT_EQ(0, antigone_tesla_chain_key(&c, first + 9, out));
	EXPECT_EQ(0, memcmp(out, k[10], KEY));

	/* the budget: 8 an interval, at most N + 8 */
	EXPECT_EQ(8, antigone_tesla_budget(0, 1, 16));
	EXPECT_EQ(24, antigone_tesla_budget(0, 3, 16));
	EXPECT_EQ(24, antigone_tesla_budget(20, 1, 16));
	EXPECT_EQ(65544, antigone_tesla_budget(0, UINT32_MAX, 65536));
}

/* ---- a sender's ring of its own keys ---------------------------------- */

/* Chain @c of 64 from a seed: k[1..64] its keys, k[0] its commitment. */
static void make_chain64(u8 k[65][KEY], u8 seed)
{
	int i;

	memset(k[64], seed, KEY);
	for (i = 64; i > 0; i--)
		antigone_tesla_step(k[i], k[i - 1]);
}

TEST(sender_ring)
{
	static struct antigone_tesla_ring r;
	u8 c0[65][KEY], c1[65][KEY], bad[3][KEY], out[KEY];
	u32 i;

	make_chain64(c0, 0x10);
	make_chain64(c1, 0x11);
	antigone_tesla_ring_init(&r);
	EXPECT_EQ(-ENOKEY, antigone_tesla_ring_get(&r, 1, out));
	/* chain 0 from its start: intervals 1..10 are k[1..10] */
	ASSERT_EQ(0, antigone_tesla_ring_push(&r, 1, c0[1], 10, 1, 64,
					      c0[0]));
	ASSERT_EQ(0, antigone_tesla_ring_get(&r, 7, out));
	EXPECT_EQ(0, memcmp(out, c0[7], KEY));
	EXPECT_EQ(-ENOKEY, antigone_tesla_ring_get(&r, 11, out));
	/* the next batch follows on */
	ASSERT_EQ(0, antigone_tesla_ring_push(&r, 11, c0[11], 54, 1, 64,
					      c0[0]));
	/* chain 1 (intervals 65..128) right after: checked on its commitment */
	ASSERT_EQ(0, antigone_tesla_ring_push(&r, 65, c1[1], 8, 65, 64,
					      c1[0]));
	for (i = 1; i <= 72; i++) {
		ASSERT_EQ(0, antigone_tesla_ring_get(&r, i, out));
		EXPECT_EQ(0, memcmp(out, i <= 64 ? c0[i] : c1[i - 64], KEY));
	}
	EXPECT_EQ(1, r.lo);
	EXPECT_EQ(72, r.hi);

	/* a daemon's mistakes: another chain's keys, a gap inside a batch */
	EXPECT_EQ(-EBADMSG, antigone_tesla_ring_push(&r, 73, c0[9], 4, 65,
						     64, c1[0]));
	memcpy(bad[0], c1[9], KEY);
	memcpy(bad[1], c1[11], KEY);
	memcpy(bad[2], c1[12], KEY);
	EXPECT_EQ(-EBADMSG, antigone_tesla_ring_push(&r, 73, bad[0], 3, 65, 64,
						     c1[0]));
	/* not of that chain, or none */
	EXPECT_EQ(-EINVAL, antigone_tesla_ring_push(&r, 64, c1[1], 1, 65, 64,
						    c1[0]));
	EXPECT_EQ(-EINVAL, antigone_tesla_ring_push(&r, 120, c1[56], 10, 65,
						    64, c1[0]));
	EXPECT_EQ(-EINVAL, antigone_tesla_ring_push(&r, 73, c1[9], 0, 65, 64,
						    c1[0]));
	/* nothing refused changed what is held */
	EXPECT_EQ(72, r.hi);

	/* after a gap, a batch in the middle of a chain: walked down */
	ASSERT_EQ(0, antigone_tesla_ring_push(&r, 100, c1[36], 5, 65, 64,
					      c1[0]));
	EXPECT_EQ(100, r.lo);
	EXPECT_EQ(104, r.hi);
	EXPECT_EQ(-ENOKEY, antigone_tesla_ring_get(&r, 72, out));
	ASSERT_EQ(0, antigone_tesla_ring_get(&r, 104, out));
	EXPECT_EQ(0, memcmp(out, c1[40], KEY));
}

/* More than a ring: the oldest keys go. */
TEST(sender_ring_wraps)
{
	static struct antigone_tesla_ring r;
	static u8 k[4097][KEY];
	u8 out[KEY];
	u32 i;

	memset(k[4096], 0x77, KEY);
	for (i = 4096; i > 0; i--)
		antigone_tesla_step(k[i], k[i - 1]);
	antigone_tesla_ring_init(&r);
	for (i = 1; i <= 4096; i += 512)
		ASSERT_EQ(0, antigone_tesla_ring_push(&r, i, k[i], 512, 1,
						      4096, k[0]));
	EXPECT_EQ(ANTIGONE_TESLA_RING, r.n);
	EXPECT_EQ(4096 - ANTIGONE_TESLA_RING + 1, r.lo);
	EXPECT_EQ(-ENOKEY, antigone_tesla_ring_get(&r, r.lo - 1, out));
	for (i = r.lo; i <= 4096; i++) {
		ASSERT_EQ(0, antigone_tesla_ring_get(&r, i, out));
		ASSERT_EQ(0, memcmp(out, k[i], KEY));
	}
}

TEST_HARNESS_MAIN
