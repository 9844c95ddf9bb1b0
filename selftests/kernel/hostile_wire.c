// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input against the module, each case a defect that once crashed
 * the kernel or let bytes through that should not pass:
 *
 *   frames    ─ va ══ veth ══ vb (10.9.0.2, fd00::2) ─ groups, receivers
 *   (AF_PACKET on va, so every IP and UDP field is ours to lie in)
 *
 * Lying UDP lengths (longer: skb_checksum BUG on 7b; shorter: silently
 * truncated authenticated plaintext), IP lengths the protection would
 * overflow, forged 7b moving an authenticated sender's window, a tagged
 * socket of one group taking another group's opened datagram, a socket
 * whose owner replaced its UDP encapsulation (a freed socket left listed:
 * oops at netns exit; egress in clear), raw sockets of protocol UDP, DF
 * datagrams fragmented with IP ID 0, epochs installed twice, GRO trains.
 * Every test runs in a network namespace of its own. Runs in the VM.
 *
 * This part (the other is hostile_local.c): frames from an AF_PACKET socket on va with lying UDP and IP
 * lengths, nested fragments and AH, per guarantee and family; forged 7b
 * moving an authenticated sender's window.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
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
#include <sys/wait.h>

#include <stdarg.h>
#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "lib/frame.h"
#include "lib/hostile.h"
#include "lib/vmtest.h"

/* ---- lying lengths, from the wire ------------------------------------- */

FIXTURE(wire) {
	struct kernel_nl *k;
	struct frame_link l;
	int rx;
};

FIXTURE_VARIANT(wire) {
	int family;
	const char *dst;
	uint8_t guarantee;
};

FIXTURE_VARIANT_ADD(wire, v4_integrity) {
	.family = AF_INET, .dst = "10.9.0.2",
	.guarantee = ANTIGONE_G_INTEGRITY,
};

FIXTURE_VARIANT_ADD(wire, v4_confidentiality) {
	.family = AF_INET, .dst = "10.9.0.2",
	.guarantee = ANTIGONE_G_CONFIDENTIALITY,
};

FIXTURE_VARIANT_ADD(wire, v4_both) {
	.family = AF_INET, .dst = "10.9.0.2", .guarantee = ANTIGONE_G_BOTH,
};

FIXTURE_VARIANT_ADD(wire, v6_confidentiality) {
	.family = AF_INET6, .dst = "fd00::2",
	.guarantee = ANTIGONE_G_CONFIDENTIALITY,
};

FIXTURE_VARIANT_ADD(wire, v6_both) {
	.family = AF_INET6, .dst = "fd00::2", .guarantee = ANTIGONE_G_BOTH,
};

FIXTURE_SETUP(wire)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, link_up(&self->l));
	ASSERT_EQ(0, kernel_open(&self->k));
	ASSERT_EQ(0, make_group(self->k, "g", variant->family, variant->dst,
				PORT, variant->guarantee, 0));
	self->rx = vm_udp_bound(variant->family, variant->dst, PORT);
	ASSERT_LE(0, self->rx);
}

FIXTURE_TEARDOWN(wire)
{
	close(self->rx);
	frame_link_close(&self->l);
	kernel_close(self->k);
}

/* The baseline the other cases lie against: a true datagram arrives. */
TEST_F(wire, truthful_datagram_delivered)
{
	uint8_t d[2048], f[FRAME_MAX], got[2048];
	size_t n = seal(d, variant->guarantee, 5, 1, "sixteen bytes ok");
	size_t fl = frame(&self->l, f, variant->family, variant->dst, PORT, d,
			  n, truth);

	ASSERT_LT(0, n);
	ASSERT_EQ(0, frame_send(&self->l, f, fl));
	ASSERT_EQ(16, vm_recv_within(self->rx, got, sizeof(got), 2000));
	EXPECT_EQ(0, memcmp(got, "sixteen bytes ok", 16));
	EXPECT_EQ(1, vm_stat(self->k, "g", ANTIGONE_STAT_IN_PKTS));
}

/*
 * UDP lengths that do not cover exactly what follows: longer (the
 * checksum of 7b once ran past the skb: BUG_ON in softirq, no key
 * needed), shorter (the stack would have cut authenticated plaintext),
 * below the header. Each is one counted drop and nothing is delivered.
 */
TEST_F(wire, lying_udp_length_dropped)
{
	static const int deltas[] = { 200, 1, -1, -5 };
	uint8_t d[2048], f[FRAME_MAX], got[2048];
	size_t n, fl, i, sent = 0;
	uint64_t seq = 10;

	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		struct lies lie = truth;

		n = seal(d, variant->guarantee, 5, seq++, "sixteen bytes ok");
		ASSERT_LT(0, n);
		lie.udp_len = (int)(sizeof(struct udphdr) + n) + deltas[i];
		fl = frame(&self->l, f, variant->family, variant->dst, PORT, d,
			   n, lie);
		ASSERT_EQ(0, frame_send(&self->l, f, fl));
		sent++;
	}
	for (i = 0; i < 8; i++) {
		struct lies lie = truth;

		n = seal(d, variant->guarantee, 5, seq++, "sixteen bytes ok");
		lie.udp_len = (int)i;	/* below the UDP header's own size */
		fl = frame(&self->l, f, variant->family, variant->dst, PORT, d,
			   n, lie);
		ASSERT_EQ(0, frame_send(&self->l, f, fl));
		sent++;
	}
	EXPECT_EQ(-1, vm_recv_within(self->rx, got, sizeof(got), 500));
	EXPECT_EQ(sent, vm_stat(self->k, "g", ANTIGONE_STAT_IN_MALFORMED));
	EXPECT_EQ(0, vm_stat(self->k, "g", ANTIGONE_STAT_IN_PKTS));
}

/*
 * An IP length that ends inside the UDP header: the ports say whose it is
 * (nftables matches it on them), the rest is missing. The stack trims the
 * frame to that length; each is one counted drop.
 */
TEST_F(wire, ip_length_inside_udp_header_counted)
{
	uint8_t d[2048], f[FRAME_MAX], got[2048];
	int ip_hdr = variant->family == AF_INET ? 20 : 0;
	size_t n, fl, cut, sent = 0;

	for (cut = 4; cut < sizeof(struct udphdr); cut++) {
		struct lies lie = truth;

		n = seal(d, variant->guarantee, 5, 10 + cut, "sixteen bytes ok");
		lie.ip_len = ip_hdr + (int)cut;
		fl = frame(&self->l, f, variant->family, variant->dst, PORT, d,
			   n, lie);
		ASSERT_EQ(0, frame_send(&self->l, f, fl));
		sent++;
	}
	EXPECT_EQ(-1, vm_recv_within(self->rx, got, sizeof(got), 500));
	EXPECT_EQ(sent, vm_stat(self->k, "g", ANTIGONE_STAT_IN_MALFORMED));
}

/* A true datagram to the group behind the IPv6 extension chain @ext. */
static size_t frame_behind_ext(const struct frame_link *l, uint8_t *out,
			       const char *dst, uint8_t guarantee,
			       uint8_t first, uint8_t *ext, size_t ext_len)
{
	uint8_t d[2048];
	struct frame_spec s;
	size_t n;

	n = seal(d, guarantee, 5, 1, "sixteen bytes ok");
	frame_spec_init(&s, AF_INET6, "fd00::1", dst, 40000, PORT, d, n);
	s.ext = ext;
	s.ext_len = ext_len;
	s.ext_first = first;
	return frame_build(l, out, &s);
}

/*
 * IPv6: a first fragment behind an atomic one survives the defrag before
 * LOCAL_IN. Its reassembly would come after our check: it is dropped.
 */
TEST_F(wire, nested_first_fragment_dropped)
{
	uint8_t f[FRAME_MAX], got[2048];
	/* fragment (atomic) -> fragment (offset 0, more) -> UDP */
	uint8_t ext[16] = { 44, 0, 0, 0, 0, 0, 0, 1,
			    IPPROTO_UDP, 0, 0, 1, 0, 0, 0, 2 };
	size_t fl;

	if (variant->family != AF_INET6)
		SKIP(return, "IPv6 only");
	fl = frame_behind_ext(&self->l, f, variant->dst, variant->guarantee,
			      44, ext, sizeof(ext));
	ASSERT_EQ(0, frame_send(&self->l, f, fl));
	EXPECT_EQ(-1, vm_recv_within(self->rx, got, sizeof(got), 500));
	EXPECT_EQ(1, vm_stat(self->k, "g", ANTIGONE_STAT_IN_MALFORMED));
}

/*
 * IPv6: a datagram behind AH is IPsec's to check first (xfrm sends it
 * through LOCAL_IN again without AH); opening it before would break AH's
 * check. With no SA here the stack drops it, and the group counts nothing.
 */
TEST_F(wire, ah_covered_datagram_left_to_ipsec)
{
	uint8_t f[FRAME_MAX], got[2048];
	/* AH, 16 bytes ((2 + 2) * 4), SPI 0x100 -> UDP */
	uint8_t ext[16] = { IPPROTO_UDP, 2, 0, 0, 0, 0, 1, 0,
			    0, 0, 0, 1 };
	size_t fl;

	if (variant->family != AF_INET6)
		SKIP(return, "IPv6 only");
	fl = frame_behind_ext(&self->l, f, variant->dst, variant->guarantee,
			      51, ext, sizeof(ext));
	ASSERT_EQ(0, frame_send(&self->l, f, fl));
	EXPECT_EQ(-1, vm_recv_within(self->rx, got, sizeof(got), 500));
	EXPECT_EQ(0, vm_stat(self->k, "g", ANTIGONE_STAT_IN_PKTS));
	EXPECT_EQ(0, vm_stat(self->k, "g", ANTIGONE_STAT_IN_MALFORMED));
	EXPECT_EQ(0, vm_stat(self->k, "g", ANTIGONE_STAT_IN_NOT_VALID));
}

/*
 * Forged 7b (anyone can: it has no tag) under an authenticated sender's
 * index and a far sequence must not move that sender's 7a/7c window.
 */
TEST(forged_7b_leaves_authenticated_window)
{
	uint8_t d[2048], f[FRAME_MAX], got[2048];
	struct kernel_nl *k;
	struct frame_link l;
	size_t n, fl;
	int rx;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, link_up(&l));
	ASSERT_EQ(0, kernel_open(&k));
	/* Minimum 7b: the group takes every guarantee. */
	ASSERT_EQ(0, make_group(k, "g", AF_INET, "10.9.0.2", PORT,
				ANTIGONE_G_CONFIDENTIALITY, 0));
	rx = vm_udp_bound(AF_INET, "10.9.0.2", PORT);
	ASSERT_LE(0, rx);

	n = seal(d, ANTIGONE_G_BOTH, 5, 1, "first, genuine.");
	fl = frame(&l, f, AF_INET, "10.9.0.2", PORT, d, n, truth);
	ASSERT_EQ(0, frame_send(&l, f, fl));
	ASSERT_EQ(15, vm_recv_within(rx, got, sizeof(got), 2000));

	/* The forger has no key: a 7b header and any body will do. */
	memset(d, 0x5a, 64);
	{
		struct antigone_hdr h = {
			.guarantee = ANTIGONE_G_CONFIDENTIALITY,
			.epoch = 1, .sender = 5, .seq = 1000000,
		};

		antigone_hdr_pack(&h, d);
	}
	fl = frame(&l, f, AF_INET, "10.9.0.2", PORT, d, 64, truth);
	ASSERT_EQ(0, frame_send(&l, f, fl));
	EXPECT_EQ(44, vm_recv_within(rx, got, sizeof(got), 2000));

	n = seal(d, ANTIGONE_G_BOTH, 5, 2, "second genuine.");
	fl = frame(&l, f, AF_INET, "10.9.0.2", PORT, d, n, truth);
	ASSERT_EQ(0, frame_send(&l, f, fl));
	EXPECT_EQ(15, vm_recv_within(rx, got, sizeof(got), 2000));
	EXPECT_EQ(0, vm_stat(k, "g", ANTIGONE_STAT_IN_REPLAYED));
	close(rx);
	frame_link_close(&l);
	kernel_close(k);
}

/* ---- local senders ----------------------------------------------------- */

TEST_HARNESS_MAIN
