// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath, test by test, under every variant: address family (IPv4,
 * IPv6) x suite (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) x guarantee
 * (7a integrity, 7b confidentiality, 7c both) x mode (transparent: the
 * groups have selectors and the sockets know nothing; tagged: no
 * selectors, both sockets attached). 36 variants, as the kernel's
 * net/tls.c runs its tests once per cipher.
 *
 *   netns tx                                     netns rx (the test's)
 *   sender socket, group g (sender 1)            receiver socket, group g
 *   va 10.9.0.1 fd00::1 ══════ veth ══════ vb 10.9.0.2 fd00::2
 *   AF_PACKET on va: crafted frames              AF_PACKET on vb: the wire
 *
 * Datagrams go to the multicast group 239.1.2.3 / ff0e::1:23, port 7100.
 * The kernel sender protects what the tests send; what they craft (replay,
 * tamper, epochs) is sealed by libwire under the same keys, as sender 7,
 * and sent on va. Every test runs in network namespaces of its own, made
 * by rtnetlink (an `ip` per step doubled the suite's time under TCG).
 * Tests: round_trip, replay, tamper, grace, unknown_epoch, mtu_growth,
 * gso. Runs in the VM; -v GLOB / -t GLOB pick variants and tests, e.g.
 *   datapath_variants -v 'ipv6_*_tagged' -t replay
 * Its fixture-free parts: lib/rtnl.c, lib/dpcapture.c, lib/dputil.c and
 * lib/ksft_select.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "lib/dpcapture.h"
#include "lib/dputil.h"
#include "lib/frame.h"
#include "lib/ksft_select.h"
#include "lib/rtnl.h"
#include "lib/vmtest.h"

#define PORT		7100
#define GROUP4		"239.1.2.3"
#define GROUP6		"ff0e::1:23"
#define SRC4		"10.9.0.1"
#define SRC6		"fd00::1"
#define CRAFT_SENDER	7	/* libwire's sender index; the kernel's is 1 */
#define CRAFT_SPORT	40000
#define GRACE_MS	300	/* the groups' rekey grace */
#define WAIT_MS		2000	/* bound of every wait for what must come */

static const uint8_t key_e1[32] = {
	0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9, 0xba,
	0xcb, 0xdc, 0xed, 0xfe, 0x0f, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56,
	0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0,
};
static const uint8_t key_e2[32] = {
	0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06, 0x17, 0x28, 0x39, 0x4a,
	0x5b, 0x6c, 0x7d, 0x8e, 0x9f, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
	0x60, 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9,
};

FIXTURE(datapath) {
	struct kernel_nl *ktx, *krx;
	int ns_tx, ns_rx;
	int tx;			/* sender, netns tx */
	int rx;			/* receiver, netns rx */
	int cap;		/* AF_PACKET on vb: what arrives */
	struct frame_link l;	/* AF_PACKET on va: what the tests craft */
	const char *grp, *src;
	uint8_t grp_bin[16];
	size_t keylen;
	uint8_t buf[65536];
};

FIXTURE_VARIANT(datapath) {
	int family;
	uint8_t suite;
	uint8_t guarantee;
	bool tagged;
};

/*
 * The variants, named family_suite_guarantee_mode, by the product of the
 * four lists below.
 */
#define DPV_FAM_ipv4		AF_INET
#define DPV_FAM_ipv6		AF_INET6
#define DPV_SUITE_aes128	ANTIGONE_SUITE_AES128_GCM
#define DPV_SUITE_aes256	ANTIGONE_SUITE_AES256_GCM
#define DPV_SUITE_chacha20	ANTIGONE_SUITE_CHACHA20_POLY1305
#define DPV_G_integrity		ANTIGONE_G_INTEGRITY
#define DPV_G_confidentiality	ANTIGONE_G_CONFIDENTIALITY
#define DPV_G_both		ANTIGONE_G_BOTH
#define DPV_TAGGED_transparent	false
#define DPV_TAGGED_tagged	true

#define DPV(F, S, G, M)							\
	FIXTURE_VARIANT_ADD(datapath, F##_##S##_##G##_##M) {		\
		.family = DPV_FAM_##F, .suite = DPV_SUITE_##S,		\
		.guarantee = DPV_G_##G, .tagged = DPV_TAGGED_##M,	\
	};
#define DPV_MODES(F, S, G)	DPV(F, S, G, transparent) DPV(F, S, G, tagged)
#define DPV_GUARANTEES(F, S)						\
	DPV_MODES(F, S, integrity) DPV_MODES(F, S, confidentiality)	\
	DPV_MODES(F, S, both)
#define DPV_SUITES(F)							\
	DPV_GUARANTEES(F, aes128) DPV_GUARANTEES(F, aes256)		\
	DPV_GUARANTEES(F, chacha20)

DPV_SUITES(ipv4)
DPV_SUITES(ipv6)

/* ---- helpers --------------------------------------------------------- */

/* Group "g" of the variant (a selector unless tagged), key of epoch 1. */
static int group_up(struct kernel_nl *k, const FIXTURE_VARIANT(datapath) *v,
		    const uint8_t *grp_bin, size_t keylen, uint32_t sender)
{
	struct kernel_group req;
	int ret;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "g");
	req.suite = v->suite;
	req.guarantee = v->guarantee;
	req.rekey_grace_ms = GRACE_MS;
	if (!v->tagged) {
		req.nsel = 1;
		req.sel[0].family = v->family;
		memcpy(req.sel[0].addr, grp_bin,
		       v->family == AF_INET ? 4 : 16);
		req.sel[0].port = PORT;
	}
	ret = kernel_group_new(k, &req, NULL);
	if (ret)
		return ret;
	return kernel_key_add(k, "g", 1, sender, key_e1, keylen, -1);
}

/* A libwire seal under the variant's suite: the datagram's length, 0. */
static size_t seal_as(const FIXTURE_VARIANT(datapath) *v, uint32_t epoch,
		      const uint8_t *key, uint64_t seq, const uint8_t *p,
		      size_t len, uint8_t *out, size_t cap)
{
	struct wire_key k;
	size_t n = 0;
	int kl = wire_key_len(v->suite);

	if (kl < 0 || wire_key_set(&k, v->suite, epoch, key, (size_t)kl))
		return 0;
	if (wire_seal(&k, v->guarantee, CRAFT_SENDER, seq, p, len, out, cap,
		      &n))
		n = 0;
	wire_key_wipe(&k);
	return n;
}

/* UDP @payload from va's address and @sport to the group, sent on va. */
static int inject(FIXTURE_DATA(datapath) *self,
		  const FIXTURE_VARIANT(datapath) *v, uint16_t sport,
		  const uint8_t *payload, size_t len)
{
	static uint8_t f[FRAME_MAX];
	struct frame_spec s;

	frame_spec_init(&s, v->family, self->src, self->grp, sport, PORT,
			payload, len);
	return frame_send(&self->l, f, frame_build(&self->l, f, &s));
}

/* The next frame to the group seen on vb within @ms, parsed; or false. */
static bool capture(FIXTURE_DATA(datapath) *self,
		    const FIXTURE_VARIANT(datapath) *v, struct seen *s, int ms)
{
	int64_t end = now_ms() + ms;
	ssize_t n;

	for (;;) {
		int left = (int)(end - now_ms());

		if (left <= 0)
			return false;
		n = vm_recv_within(self->cap, self->buf, sizeof(self->buf),
				   left);
		if (n < 0)
			return false;
		if (parse(self->buf, (size_t)n, v->family, self->grp_bin, s))
			return true;
	}
}

static void stats_of(struct __test_metadata *_metadata, struct kernel_nl *k,
		     uint64_t out[__ANTIGONE_STAT_MAX])
{
	struct kernel_group g;

	ASSERT_EQ(0, kernel_group_get(k, 0, "g", &g));
	memcpy(out, g.stats, sizeof(g.stats));
}

/*
 * Every counter of the receiver's group moved by exactly @want since
 * @before (IN_BYTES with IN_PKTS is the caller's to say).
 */
static void expect_moved(struct __test_metadata *_metadata,
			 struct kernel_nl *k,
			 const uint64_t before[__ANTIGONE_STAT_MAX],
			 const int64_t want[__ANTIGONE_STAT_MAX])
{
	uint64_t now[__ANTIGONE_STAT_MAX];
	int i;

	stats_of(_metadata, k, now);
	for (i = 1; i < __ANTIGONE_STAT_MAX; i++) {
		int64_t d = (int64_t)(now[i] - before[i]);

		if (d != want[i])
			TH_LOG("%s moved by %lld, not %lld",
			       kernel_stat_name(i), (long long)d,
			       (long long)want[i]);
		EXPECT_EQ(want[i], d);
	}
}

/* Nothing waits in the receiver's socket. */
static bool rx_empty(FIXTURE_DATA(datapath) *self)
{
	return recv(self->rx, self->buf, sizeof(self->buf), MSG_DONTWAIT) < 0 &&
	       errno == EAGAIN;
}

/* ---- setup ----------------------------------------------------------- */

static int open_ns(void)
{
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

FIXTURE_SETUP(datapath)
{
	const int fam = variant->family, zero = 0;
	unsigned int va, vb;

	self->tx = self->rx = self->cap = self->l.fd = -1;
	self->ns_tx = self->ns_rx = -1;
	self->grp = fam == AF_INET ? GROUP4 : GROUP6;
	self->src = fam == AF_INET ? SRC4 : SRC6;
	inet_pton(fam, self->grp, self->grp_bin);
	ASSERT_LT(0, wire_key_len(variant->suite));
	self->keylen = (size_t)wire_key_len(variant->suite);

	/* rx: the test's own namespace; tx: a second one, both held open. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->ns_rx = open_ns();
	ASSERT_LE(0, self->ns_rx);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	self->ns_tx = open_ns();
	ASSERT_LE(0, self->ns_tx);

	/* tx */
	ASSERT_EQ(0, rt_link_up("lo"));
	ASSERT_EQ(0, rt_veth("va", "vb", self->ns_rx));
	ASSERT_EQ(0, rt_link_up("va"));
	ASSERT_EQ(0, rt_addr("va", AF_INET, SRC4, 24));
	ASSERT_EQ(0, rt_addr("va", AF_INET6, SRC6, 64));
	va = if_nametoindex("va");
	ASSERT_NE(0, va);
	ASSERT_EQ(0, kernel_open(&self->ktx));
	ASSERT_EQ(0, group_up(self->ktx, variant, self->grp_bin, self->keylen,
			      1));
	self->tx = socket(fam, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->tx);
	if (fam == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = (int)va };

		ASSERT_EQ(0, setsockopt(self->tx, IPPROTO_IP, IP_MULTICAST_IF,
					&mr, sizeof(mr)));
		ASSERT_EQ(0, setsockopt(self->tx, IPPROTO_IP,
					IP_MULTICAST_LOOP, &zero,
					sizeof(zero)));
	} else {
		int idx = (int)va;

		ASSERT_EQ(0, setsockopt(self->tx, IPPROTO_IPV6,
					IPV6_MULTICAST_IF, &idx, sizeof(idx)));
		ASSERT_EQ(0, setsockopt(self->tx, IPPROTO_IPV6,
					IPV6_MULTICAST_LOOP, &zero,
					sizeof(zero)));
	}
	if (variant->tagged)
		ASSERT_EQ(0, attach_to(self->tx, fam, "g"));
	{
		/* The group's MAC: vb takes it as any multicast frame. */
		uint8_t mac[6] = { 0x01, 0x00, 0x5e, self->grp_bin[1] & 0x7f,
				   self->grp_bin[2], self->grp_bin[3] };

		if (fam == AF_INET6) {
			mac[0] = mac[1] = 0x33;
			memcpy(mac + 2, self->grp_bin + 12, 4);
		}
		ASSERT_EQ(0, frame_link_open(&self->l, "va", mac));
	}

	/* rx */
	ASSERT_EQ(0, setns(self->ns_rx, CLONE_NEWNET));
	ASSERT_EQ(0, rt_link_up("lo"));
	ASSERT_EQ(0, rt_link_up("vb"));
	ASSERT_EQ(0, rt_addr("vb", AF_INET, "10.9.0.2", 24));
	ASSERT_EQ(0, rt_addr("vb", AF_INET6, "fd00::2", 64));
	vb = if_nametoindex("vb");
	ASSERT_NE(0, vb);
	ASSERT_EQ(0, kernel_open(&self->krx));
	ASSERT_EQ(0, group_up(self->krx, variant, self->grp_bin, self->keylen,
			      0));
	self->rx = vm_udp_bound(fam, self->grp, PORT);
	ASSERT_LE(0, self->rx);
	if (fam == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = (int)vb };

		memcpy(&mr.imr_multiaddr, self->grp_bin, 4);
		ASSERT_EQ(0, setsockopt(self->rx, IPPROTO_IP,
					IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	} else {
		struct ipv6_mreq mr = { .ipv6mr_interface = vb };

		memcpy(&mr.ipv6mr_multiaddr, self->grp_bin, 16);
		ASSERT_EQ(0, setsockopt(self->rx, IPPROTO_IPV6,
					IPV6_JOIN_GROUP, &mr, sizeof(mr)));
	}
	if (variant->tagged)
		ASSERT_EQ(0, attach_to(self->rx, fam, "g"));
	{
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
					   .sll_protocol = htons(ETH_P_ALL),
					   .sll_ifindex = (int)vb };

		self->cap = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
		ASSERT_LE(0, self->cap);
		ASSERT_EQ(0, bind(self->cap, (struct sockaddr *)&sll,
				  sizeof(sll)));
	}

	/* Both ends up and va able to send (tx's addrconf is done). */
	ASSERT_EQ(0, setns(self->ns_tx, CLONE_NEWNET));
	ASSERT_TRUE(link_ready(SRC6, WAIT_MS));
	ASSERT_EQ(0, setns(self->ns_rx, CLONE_NEWNET));
}

FIXTURE_TEARDOWN(datapath)
{
	if (self->cap >= 0)
		close(self->cap);
	if (self->rx >= 0)
		close(self->rx);
	if (self->tx >= 0)
		close(self->tx);
	frame_link_close(&self->l);
	if (self->krx)
		kernel_close(self->krx);
	if (self->ktx)
		kernel_close(self->ktx);
	if (self->ns_tx >= 0)
		close(self->ns_tx);
	if (self->ns_rx >= 0)
		close(self->ns_rx);
}

/* ---- tests ----------------------------------------------------------- */

/* Nothing more reaches the receiver within @ms. */
static bool quiet(FIXTURE_DATA(datapath) *self, int ms)
{
	return vm_recv_within(self->rx, self->buf, sizeof(self->buf), ms) < 0;
}

/*
 * A datagram from the sender's socket arrives intact; on the wire it is
 * one version-1 datagram of epoch 1, sender 1, sequence 1, 20 or 36
 * bytes longer, in clear under 7a only, that libwire opens under the key.
 */
TEST_F(datapath, round_trip)
{
	const uint8_t g = variant->guarantee;
	uint8_t sent[200], got[2048], plain[2048];
	struct antigone_hdr h;
	struct wire_key k;
	size_t plen = 0;
	struct seen s;

	fill(sent, sizeof(sent), 3);
	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				sent, sizeof(sent)));
	ASSERT_EQ(sizeof(sent), vm_recv_within(self->rx, got, sizeof(got),
					       WAIT_MS));
	EXPECT_EQ(0, memcmp(got, sent, sizeof(sent)));

	ASSERT_TRUE(capture(self, variant, &s, WAIT_MS));
	EXPECT_FALSE(s.frag);
	ASSERT_TRUE(s.udp);
	EXPECT_EQ(PORT, s.dport);
	EXPECT_EQ(8 + sizeof(sent) + overhead(g), s.ulen);
	ASSERT_EQ(sizeof(sent) + overhead(g), s.plen);
	EXPECT_EQ(ANTIGONE_WIRE_VERSION << 4 | g, s.pl[0]);
	ASSERT_EQ(0, antigone_hdr_parse(s.pl, s.plen, &h));
	EXPECT_EQ(g, h.guarantee);
	EXPECT_EQ(1, h.epoch);
	EXPECT_EQ(1, h.sender);
	EXPECT_EQ(1, h.seq);
	/* The plaintext, or any 32 bytes of it, only under 7a. */
	EXPECT_EQ(g == ANTIGONE_G_INTEGRITY,
		  !memcmp(s.pl + ANTIGONE_WIRE_HDR_LEN, sent, sizeof(sent)));
	EXPECT_EQ(g == ANTIGONE_G_INTEGRITY,
		  memmem(s.pl, s.plen, sent + 100, 32) != NULL);
	ASSERT_EQ(0, wire_key_set(&k, variant->suite, 1, key_e1,
				  self->keylen));
	EXPECT_EQ(0, wire_open(&k, s.pl, s.plen, &h, plain, &plen));
	wire_key_wipe(&k);
	EXPECT_EQ(sizeof(sent), plen);
	EXPECT_EQ(0, memcmp(plain, sent, sizeof(sent)));

	EXPECT_EQ(1, vm_stat(self->ktx, "g", ANTIGONE_STAT_OUT_PKTS));
	EXPECT_EQ(sizeof(sent), vm_stat(self->ktx, "g",
					ANTIGONE_STAT_OUT_BYTES));
	EXPECT_EQ(1, vm_stat(self->krx, "g", ANTIGONE_STAT_IN_PKTS));
	EXPECT_EQ(sizeof(sent), vm_stat(self->krx, "g",
					ANTIGONE_STAT_IN_BYTES));
	EXPECT_TRUE(rx_empty(self));
}

/*
 * The kernel's own protected datagram, taken off the wire and delivered
 * again: dropped, IN_REPLAYED +1 and no other counter moves. The sender's
 * next datagram still passes.
 */
TEST_F(datapath, replay)
{
	int64_t want[__ANTIGONE_STAT_MAX] = { [ANTIGONE_STAT_IN_REPLAYED] = 1 };
	uint64_t before[__ANTIGONE_STAT_MAX];
	uint8_t sent[100], got[2048], wire[2048];
	uint16_t sport;
	struct seen s;
	size_t wl;

	fill(sent, sizeof(sent), 5);
	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				sent, sizeof(sent)));
	ASSERT_EQ(sizeof(sent), vm_recv_within(self->rx, got, sizeof(got),
					       WAIT_MS));
	ASSERT_TRUE(capture(self, variant, &s, WAIT_MS));
	ASSERT_TRUE(s.udp);
	ASSERT_EQ(sizeof(sent) + overhead(variant->guarantee), s.plen);
	memcpy(wire, s.pl, s.plen);
	wl = s.plen;
	sport = s.sport;

	stats_of(_metadata, self->krx, before);
	ASSERT_EQ(0, inject(self, variant, sport, wire, wl));
	EXPECT_EQ(before[ANTIGONE_STAT_IN_REPLAYED] + 1,
		  wait_stat(self->krx, "g", ANTIGONE_STAT_IN_REPLAYED,
			    before[ANTIGONE_STAT_IN_REPLAYED] + 1, WAIT_MS));
	EXPECT_TRUE(quiet(self, 20));
	expect_moved(_metadata, self->krx, before, want);

	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				sent, sizeof(sent)));
	EXPECT_EQ(sizeof(sent), vm_recv_within(self->rx, got, sizeof(got),
					       WAIT_MS));
}

/*
 * One flipped byte of the body, then of the tag: each dropped as
 * IN_NOT_VALID under 7a and 7c, and the untouched datagram still passes
 * (its sequence never entered the window). 7b has no tag: the datagram
 * with the flipped body byte is delivered with exactly that byte flipped
 * (7b is malleable, docs/wire-format.md).
 */
TEST_F(datapath, tamper)
{
	int64_t want[__ANTIGONE_STAT_MAX] = { 0 };
	uint64_t before[__ANTIGONE_STAT_MAX];
	uint8_t p[64], d[2048], bad[2048], got[2048];
	const size_t at = ANTIGONE_WIRE_HDR_LEN + 5;
	size_t n;

	fill(p, sizeof(p), 11);
	n = seal_as(variant, 1, key_e1, 1, p, sizeof(p), d, sizeof(d));
	ASSERT_EQ(sizeof(p) + overhead(variant->guarantee), n);
	memcpy(bad, d, n);
	bad[at] ^= 0x01;
	stats_of(_metadata, self->krx, before);
	ASSERT_EQ(0, inject(self, variant, CRAFT_SPORT, bad, n));

	if (variant->guarantee == ANTIGONE_G_CONFIDENTIALITY) {
		ASSERT_EQ(sizeof(p), vm_recv_within(self->rx, got, sizeof(got),
						    WAIT_MS));
		EXPECT_EQ(p[5] ^ 0x01, got[5]);
		got[5] ^= 0x01;
		EXPECT_EQ(0, memcmp(got, p, sizeof(p)));
		want[ANTIGONE_STAT_IN_PKTS] = 1;
		want[ANTIGONE_STAT_IN_BYTES] = sizeof(p);
		expect_moved(_metadata, self->krx, before, want);
		return;
	}

	want[ANTIGONE_STAT_IN_NOT_VALID] = 1;
	EXPECT_EQ(before[ANTIGONE_STAT_IN_NOT_VALID] + 1,
		  wait_stat(self->krx, "g", ANTIGONE_STAT_IN_NOT_VALID,
			    before[ANTIGONE_STAT_IN_NOT_VALID] + 1, WAIT_MS));
	EXPECT_TRUE(quiet(self, 20));
	expect_moved(_metadata, self->krx, before, want);

	memcpy(bad, d, n);
	bad[n - 1] ^= 0x80;	/* the tag's last byte */
	ASSERT_EQ(0, inject(self, variant, CRAFT_SPORT, bad, n));
	want[ANTIGONE_STAT_IN_NOT_VALID] = 2;
	EXPECT_EQ(before[ANTIGONE_STAT_IN_NOT_VALID] + 2,
		  wait_stat(self->krx, "g", ANTIGONE_STAT_IN_NOT_VALID,
			    before[ANTIGONE_STAT_IN_NOT_VALID] + 2, WAIT_MS));
	EXPECT_TRUE(quiet(self, 20));
	expect_moved(_metadata, self->krx, before, want);

	ASSERT_EQ(0, inject(self, variant, CRAFT_SPORT, d, n));
	ASSERT_EQ(sizeof(p), vm_recv_within(self->rx, got, sizeof(got),
					    WAIT_MS));
	EXPECT_EQ(0, memcmp(got, p, sizeof(p)));
}

/* Injects a 32-byte datagram sealed under @epoch/@key at @seq. */
static int inject_sealed(FIXTURE_DATA(datapath) *self,
			 const FIXTURE_VARIANT(datapath) *v, uint32_t epoch,
			 const uint8_t *key, uint64_t seq)
{
	uint8_t p[32], d[256];
	size_t n;

	fill(p, sizeof(p), (unsigned int)(epoch * 31 + seq));
	n = seal_as(v, epoch, key, seq, p, sizeof(p), d, sizeof(d));
	if (!n)
		return -EINVAL;
	return inject(self, v, CRAFT_SPORT, d, n);
}

/*
 * A rekey (KEY_ADD of epoch 2) keeps epoch 1 acceptable for the group's
 * grace (300 ms): within it both epochs pass, after it epoch 1 is
 * IN_OLD_EPOCH and the previous key is retired. The sender, rekeyed too,
 * goes on under epoch 2.
 */
TEST_F(datapath, grace)
{
	int64_t want[__ANTIGONE_STAT_MAX] = { [ANTIGONE_STAT_IN_OLD_EPOCH] = 1 };
	uint64_t before[__ANTIGONE_STAT_MAX];
	struct kernel_group gr;
	int64_t t0, t1, end;
	uint8_t got[2048];

	ASSERT_EQ(0, inject_sealed(self, variant, 1, key_e1, 1));
	ASSERT_EQ(32, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));

	t0 = now_ms();
	ASSERT_EQ(0, kernel_key_add(self->krx, "g", 2, 0, key_e2,
				    self->keylen, -1));
	t1 = now_ms();
	ASSERT_EQ(0, inject_sealed(self, variant, 1, key_e1, 2));
	ASSERT_EQ(32, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));
	TH_LOG("epoch 1 delivered %lld ms after the rekey",
	       (long long)(now_ms() - t0));
	ASSERT_EQ(0, inject_sealed(self, variant, 2, key_e2, 1));
	ASSERT_EQ(32, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));
	ASSERT_EQ(0, kernel_group_get(self->krx, 0, "g", &gr));
	EXPECT_EQ(2, gr.epoch);
	EXPECT_EQ(1, gr.prev_epoch);

	/* Past the grace: jiffies round up, give it two ticks more. */
	end = t1 + GRACE_MS + 30;
	while (now_ms() < end)
		usleep((useconds_t)(end - now_ms()) * 1000);
	stats_of(_metadata, self->krx, before);
	ASSERT_EQ(0, inject_sealed(self, variant, 1, key_e1, 3));
	EXPECT_EQ(before[ANTIGONE_STAT_IN_OLD_EPOCH] + 1,
		  wait_stat(self->krx, "g", ANTIGONE_STAT_IN_OLD_EPOCH,
			    before[ANTIGONE_STAT_IN_OLD_EPOCH] + 1, WAIT_MS));
	EXPECT_TRUE(quiet(self, 20));
	expect_moved(_metadata, self->krx, before, want);

	end = now_ms() + WAIT_MS;
	do {
		ASSERT_EQ(0, kernel_group_get(self->krx, 0, "g", &gr));
	} while (gr.prev_epoch && now_ms() < end && !usleep(5000));
	EXPECT_EQ(0, gr.prev_epoch);

	ASSERT_EQ(0, kernel_key_add(self->ktx, "g", 2, 1, key_e2,
				    self->keylen, -1));
	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				"after the rekey", 15));
	EXPECT_EQ(15, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));
	EXPECT_EQ(0, memcmp(got, "after the rekey", 15));
}

struct ev_seen {
	int n;
	struct kernel_event first;
};

static void on_event(const struct kernel_event *ev, void *arg)
{
	struct ev_seen *e = arg;

	if (ev->type == ANTIGONE_EV_UNKNOWN_EPOCH && !e->n++)
		e->first = *ev;
}

/*
 * A datagram under epoch 2 before the receiver has its key:
 * IN_UNKNOWN_EPOCH, nothing else, and an UNKNOWN_EPOCH event naming the
 * group, the epoch and the sender. Once the key is there, the very same
 * datagram passes.
 */
TEST_F(datapath, unknown_epoch)
{
	int64_t want[__ANTIGONE_STAT_MAX] = {
		[ANTIGONE_STAT_IN_UNKNOWN_EPOCH] = 1 };
	uint64_t before[__ANTIGONE_STAT_MAX];
	struct ev_seen seen = { 0 };
	struct kernel_nl *ev;
	uint8_t got[2048];
	int64_t end;

	ASSERT_EQ(0, kernel_events_open(&ev));
	stats_of(_metadata, self->krx, before);
	ASSERT_EQ(0, inject_sealed(self, variant, 2, key_e2, 1));
	EXPECT_EQ(before[ANTIGONE_STAT_IN_UNKNOWN_EPOCH] + 1,
		  wait_stat(self->krx, "g", ANTIGONE_STAT_IN_UNKNOWN_EPOCH,
			    before[ANTIGONE_STAT_IN_UNKNOWN_EPOCH] + 1,
			    WAIT_MS));
	EXPECT_TRUE(quiet(self, 20));
	expect_moved(_metadata, self->krx, before, want);

	end = now_ms() + WAIT_MS;
	while (!seen.n && now_ms() < end) {
		struct pollfd pfd = { .fd = kernel_events_fd(ev),
				      .events = POLLIN };

		if (poll(&pfd, 1, (int)(end - now_ms())) != 1)
			break;
		ASSERT_EQ(0, kernel_events_read(ev, on_event, &seen));
	}
	kernel_close(ev);
	ASSERT_EQ(1, seen.n);
	EXPECT_STREQ("g", seen.first.group_name);
	EXPECT_EQ(2, seen.first.epoch);
	EXPECT_EQ(CRAFT_SENDER, seen.first.sender);

	ASSERT_EQ(0, kernel_key_add(self->krx, "g", 2, 0, key_e2,
				    self->keylen, -1));
	ASSERT_EQ(0, inject_sealed(self, variant, 2, key_e2, 1));
	EXPECT_EQ(32, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));
}

/*
 * A full-MTU datagram (1472 bytes over IPv4, 1452 over IPv6, no DF)
 * outgrows the veth's 1500 bytes by the protection: it leaves in two
 * fragments, the first with the protected datagram's UDP header, and
 * arrives intact.
 */
TEST_F(datapath, mtu_growth)
{
	const size_t len = variant->family == AF_INET ? 1472 : 1452;
	const uint8_t g = variant->guarantee;
	int dont = variant->family == AF_INET ? IP_PMTUDISC_DONT :
						IPV6_PMTUDISC_DONT;
	uint8_t sent[1472], got[4096];
	int frags = 0, firsts = 0;
	struct seen s;

	fill(sent, len, 13);
	ASSERT_EQ(0, setsockopt(self->tx, level_of(variant->family),
				variant->family == AF_INET ? IP_MTU_DISCOVER :
							     IPV6_MTU_DISCOVER,
				&dont, sizeof(dont)));
	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				sent, len));
	ASSERT_EQ(len, vm_recv_within(self->rx, got, sizeof(got), WAIT_MS));
	EXPECT_EQ(0, memcmp(got, sent, len));

	/* Both fragments were on vb before the datagram could be whole. */
	while (frags < 2 && capture(self, variant, &s, WAIT_MS)) {
		EXPECT_TRUE(s.frag);
		frags++;
		if (!s.udp)
			continue;
		firsts++;
		EXPECT_EQ(8 + len + overhead(g), s.ulen);
		EXPECT_EQ(ANTIGONE_WIRE_VERSION << 4 | g, s.pl[0]);
	}
	EXPECT_EQ(2, frags);
	EXPECT_EQ(1, firsts);
	EXPECT_FALSE(capture(self, variant, &s, 20));
	EXPECT_EQ(1, vm_stat(self->ktx, "g", ANTIGONE_STAT_OUT_PKTS));
	EXPECT_EQ(1, vm_stat(self->krx, "g", ANTIGONE_STAT_IN_PKTS));
}

/*
 * One UDP_SEGMENT send of 4 x 1000 bytes: 4 datagrams on the wire, each
 * protected on its own (sequences 1-4, each once), and each segment
 * delivered intact.
 */
TEST_F(datapath, gso)
{
	enum { SEG = 1000, NSEG = 4 };
	const uint8_t g = variant->guarantee;
	uint8_t sent[SEG * NSEG], got[4096];
	bool delivered[NSEG] = { false }, seq_seen[NSEG + 1] = { false };
	int seg = SEG, i, j;
	struct antigone_hdr h;
	struct seen s;

	for (i = 0; i < NSEG; i++)
		fill(sent + i * SEG, SEG, 0x40 + 17 * i);
	ASSERT_EQ(0, setsockopt(self->tx, IPPROTO_UDP, UDP_SEGMENT, &seg,
				sizeof(seg)));
	ASSERT_EQ(0, vm_send_to(self->tx, variant->family, self->grp, PORT,
				sent, sizeof(sent)));
	for (i = 0; i < NSEG; i++) {
		ASSERT_EQ(SEG, vm_recv_within(self->rx, got, sizeof(got),
					      WAIT_MS));
		for (j = 0; j < NSEG; j++)
			if (!delivered[j] && !memcmp(got, sent + j * SEG, SEG))
				break;
		ASSERT_GT(NSEG, j);	/* one of the segments, not yet seen */
		delivered[j] = true;
	}
	EXPECT_TRUE(quiet(self, 20));

	for (i = 0; i < NSEG; i++) {
		ASSERT_TRUE(capture(self, variant, &s, WAIT_MS));
		EXPECT_FALSE(s.frag);
		ASSERT_TRUE(s.udp);
		ASSERT_EQ(SEG + overhead(g), s.plen);
		ASSERT_EQ(0, antigone_hdr_parse(s.pl, s.plen, &h));
		EXPECT_EQ(1, h.epoch);
		EXPECT_EQ(1, h.sender);
		ASSERT_LE(1, h.seq);
		ASSERT_GE(NSEG, h.seq);
		EXPECT_FALSE(seq_seen[h.seq]);
		seq_seen[h.seq] = true;
	}
	EXPECT_FALSE(capture(self, variant, &s, 20));
	EXPECT_EQ(NSEG, vm_stat(self->ktx, "g", ANTIGONE_STAT_OUT_PKTS));
	EXPECT_EQ(NSEG, vm_stat(self->krx, "g", ANTIGONE_STAT_IN_PKTS));
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "v:t:h")) != -1) {
		switch (opt) {
		case 'v':
			keep_variants(&_datapath_fixture_object, optarg);
			break;
		case 't':
			keep_tests(&_datapath_fixture_object, optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-v VARIANT_GLOB] [-t TEST_GLOB]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!_datapath_fixture_object.variant) {
		fprintf(stderr, "no variant matches\n");
		return 2;
	}
	return test_harness_run(argc, argv);
}
