// SPDX-License-Identifier: GPL-2.0
/*
 * The relay in the kernel (GROUP_SET RELAY_MODE), without daemons, over
 * three network namespaces: the leader L between member M (10.61.1.0/24)
 * and member R (10.61.2.0/24). M's kernel sends its protected datagrams
 * by unicast to L; L's kernel checks each as a receiver would and sends
 * the same bytes on: multicast to R's link (RELAY_MULTICAST), or a copy
 * to every other member (RELAY_UNICAST). What L must not send on: a
 * replay, a forgery, a datagram under another member's sender index or
 * without a tag. Runs in the VM.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "lib/dputil.h"
#include "lib/frame.h"
#include "lib/rtnl.h"
#include "lib/vmtest.h"

#define GRP	"239.61.0.1"
#define PORT	7400
#define L_M	"10.61.1.1"	/* L on M's link */
#define M_ADDR	"10.61.1.2"
#define L_R	"10.61.2.1"	/* L on R's link */
#define R_ADDR	"10.61.2.2"
#define WAIT_MS	1000

static const uint8_t key16[16] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9,
				   7, 9, 3 };

enum { NS_L, NS_M, NS_R, NS_N };

static int open_ns(void)
{
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

static int group_up(struct kernel_nl *k, uint8_t guarantee, uint32_t sender)
{
	struct kernel_group req;
	int ret;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "g");
	req.guarantee = guarantee;
	req.nsel = 1;
	req.sel[0].family = AF_INET;
	inet_pton(AF_INET, GRP, req.sel[0].addr);
	req.sel[0].port = PORT;
	ret = kernel_group_new(k, &req, NULL);
	if (ret)
		return ret;
	return kernel_key_add(k, "g", 1, sender, key16, sizeof(key16), -1);
}

static struct kernel_relay_member member(const char *addr, uint32_t sender)
{
	struct kernel_relay_member m = { .family = AF_INET, .sender = sender };

	inet_pton(AF_INET, addr, m.addr);
	return m;
}

static int to_leader(struct kernel_nl *k, const char *leader)
{
	struct kernel_relay r = { .mode = ANTIGONE_RELAY_TO_LEADER,
				  .leader_family = AF_INET };

	inet_pton(AF_INET, leader, r.leader);
	return kernel_group_set_relay_mode(k, "g", &r);
}

static int leader_mode(struct kernel_nl *k, uint8_t mode, uint32_t ifindex)
{
	const struct kernel_relay_member m[] = {
		member(M_ADDR, 2), member(R_ADDR, 3),
	};
	struct kernel_relay r = { .mode = mode, .ifindex = ifindex,
				  .nmembers = 2, .members = m };

	return kernel_group_set_relay_mode(k, "g", &r);
}

/* A UDP socket bound to @addr:PORT, a member of GRP on @dev if given. */
static int receiver(const char *addr, const char *dev)
{
	int fd = vm_udp_bound(AF_INET, addr, PORT);
	struct ip_mreqn mr = { 0 };

	if (fd < 0 || !dev)
		return fd;
	mr.imr_ifindex = (int)if_nametoindex(dev);
	inet_pton(AF_INET, GRP, &mr.imr_multiaddr);
	if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A sender whose multicast leaves by @dev and is not looped back. */
static int mcast_sender(const char *dev)
{
	struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex(dev) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), zero = 0;

	if (fd >= 0 &&
	    (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ||
	     setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero,
			sizeof(zero)))) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE(krelay) {
	int ns[NS_N];
	struct kernel_nl *k[NS_N];
	int m_tx, m_raw, r_rx, l_rx;
	uint8_t buf[2048];
};

static void enter(FIXTURE_DATA(krelay) *self, int which)
{
	if (setns(self->ns[which], CLONE_NEWNET))
		perror("setns");
}

FIXTURE_SETUP(krelay)
{
	int i;

	for (i = 0; i < NS_N; i++) {
		self->ns[i] = -1;
		self->k[i] = NULL;
	}
	self->m_tx = self->m_raw = self->r_rx = self->l_rx = -1;
	for (i = NS_N - 1; i >= 0; i--) {
		ASSERT_EQ(0, unshare(CLONE_NEWNET));
		self->ns[i] = open_ns();
		ASSERT_LE(0, self->ns[i]);
		ASSERT_EQ(0, rt_link_up("lo"));
		ASSERT_EQ(0, kernel_open(&self->k[i]));
	}
	/* Now in L. */
	ASSERT_EQ(0, rt_veth("lm", "ml", self->ns[NS_M]));
	ASSERT_EQ(0, rt_veth("lr", "rl", self->ns[NS_R]));
	ASSERT_EQ(0, rt_link_up("lm"));
	ASSERT_EQ(0, rt_link_up("lr"));
	ASSERT_EQ(0, rt_addr("lm", AF_INET, L_M, 24));
	ASSERT_EQ(0, rt_addr("lr", AF_INET, L_R, 24));
	ASSERT_EQ(0, group_up(self->k[NS_L], ANTIGONE_G_BOTH, 1));
	self->l_rx = receiver("0.0.0.0", "lr");
	ASSERT_LE(0, self->l_rx);

	enter(self, NS_M);
	ASSERT_EQ(0, rt_link_up("ml"));
	ASSERT_EQ(0, rt_addr("ml", AF_INET, M_ADDR, 24));
	ASSERT_EQ(0, group_up(self->k[NS_M], ANTIGONE_G_BOTH, 2));
	ASSERT_EQ(0, to_leader(self->k[NS_M], L_M));
	self->m_tx = mcast_sender("ml");
	ASSERT_LE(0, self->m_tx);
	/* Unicast to L is not the group's in M: it leaves as it is. */
	self->m_raw = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->m_raw);

	enter(self, NS_R);
	ASSERT_EQ(0, rt_link_up("rl"));
	ASSERT_EQ(0, rt_addr("rl", AF_INET, R_ADDR, 24));
	ASSERT_EQ(0, group_up(self->k[NS_R], ANTIGONE_G_BOTH, 3));
	self->r_rx = receiver("0.0.0.0", "rl");
	ASSERT_LE(0, self->r_rx);

	enter(self, NS_L);
	ASSERT_EQ(0, leader_mode(self->k[NS_L], ANTIGONE_RELAY_MULTICAST,
				 if_nametoindex("lr")));
}

FIXTURE_TEARDOWN(krelay)
{
	int i;

	if (self->m_tx >= 0)
		close(self->m_tx);
	if (self->m_raw >= 0)
		close(self->m_raw);
	if (self->r_rx >= 0)
		close(self->r_rx);
	if (self->l_rx >= 0)
		close(self->l_rx);
	for (i = 0; i < NS_N; i++) {
		kernel_close(self->k[i]);
		if (self->ns[i] >= 0)
			close(self->ns[i]);
	}
}

/* R's socket's next datagram is @msg (within WAIT_MS). */
static bool r_gets(FIXTURE_DATA(krelay) *self, const char *msg)
{
	ssize_t n = vm_recv_within(self->r_rx, self->buf, sizeof(self->buf),
				   WAIT_MS);

	return n == (ssize_t)strlen(msg) && !memcmp(self->buf, msg, (size_t)n);
}

static bool r_gets_nothing(FIXTURE_DATA(krelay) *self)
{
	return vm_recv_within(self->r_rx, self->buf, sizeof(self->buf),
			      300) < 0;
}

/* A datagram sealed as M's kernel would (or not), sent by M to L as is. */
static int m_sends_raw(FIXTURE_DATA(krelay) *self, uint8_t guarantee,
		       uint32_t sender, uint64_t seq, const char *msg,
		       int flip, uint8_t *out, size_t *outlen)
{
	struct wire_key k;
	int ret;

	ret = wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 1, key16,
			   sizeof(key16));
	if (!ret)
		ret = wire_seal(&k, guarantee, sender, seq,
				(const uint8_t *)msg, strlen(msg), out, 512,
				outlen);
	wire_key_wipe(&k);
	if (ret)
		return ret;
	if (flip >= 0)
		out[flip] ^= 0x01;
	return vm_send_to(self->m_raw, AF_INET, L_M, PORT, out, *outlen);
}

/*
 * M's program multicasts; M's kernel sends the protected datagram to L by
 * unicast; L's kernel sends it on, multicast on R's link, unchanged: R's
 * kernel opens it, and L's own receiver gets the copy looped back.
 */
TEST_F(krelay, multicast_relays_a_members_datagram)
{
	struct kernel_group g;

	enter(self, NS_M);
	ASSERT_EQ(0, vm_send_to(self->m_tx, AF_INET, GRP, PORT, "hello", 5));
	EXPECT_EQ(1, vm_stat(self->k[NS_M], "g", ANTIGONE_STAT_OUT_RELAYED));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets(self, "hello"));
	EXPECT_EQ(1, vm_stat(self->k[NS_R], "g", ANTIGONE_STAT_IN_PKTS));
	EXPECT_TRUE(r_gets_nothing(self));	/* once */

	enter(self, NS_L);
	EXPECT_EQ(5, vm_recv_within(self->l_rx, self->buf, sizeof(self->buf),
				    WAIT_MS));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_IN));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_COPIES));
	/* L's receiver checked the looped copy with the group's windows. */
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_IN_PKTS));
	EXPECT_EQ(0, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_IN_REPLAYED));

	ASSERT_EQ(0, kernel_group_get(self->k[NS_L], 0, "g", &g));
	EXPECT_EQ(ANTIGONE_RELAY_MULTICAST, g.relay.mode);
	EXPECT_EQ(2, g.relay.nmembers);
	EXPECT_EQ(if_nametoindex("lr"), g.relay.ifindex);
	enter(self, NS_M);
	ASSERT_EQ(0, kernel_group_get(self->k[NS_M], 0, "g", &g));
	EXPECT_EQ(ANTIGONE_RELAY_TO_LEADER, g.relay.mode);
	EXPECT_EQ(AF_INET, g.relay.family);
	EXPECT_EQ(0x0a3d0101, (uint32_t)g.relay.leader[0] << 24 |
			      (uint32_t)g.relay.leader[1] << 16 |
			      (uint32_t)g.relay.leader[2] << 8 | g.relay.leader[3]);
}

/*
 * What L's kernel must not send on: the same datagram twice, a forged or
 * altered one, one under another member's sender index, one without a
 * tag (7b), garbage. None of them moves the window: a later datagram of
 * M's still goes through.
 */
TEST_F(krelay, replays_forgeries_and_strangers_stay)
{
	uint8_t d[512], e[512];
	size_t n, m;

	enter(self, NS_M);
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_BOTH, 2, 1000, "one", -1, d,
				 &n));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets(self, "one"));

	enter(self, NS_M);
	ASSERT_EQ(0, vm_send_to(self->m_raw, AF_INET, L_M, PORT, d, n));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets_nothing(self));
	enter(self, NS_L);
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_IN_REPLAYED));

	/* Altered body; a forgery far ahead (it must not move the window). */
	enter(self, NS_M);
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_BOTH, 2, 1001, "two", 20, e,
				 &m));
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_BOTH, 2, 1ULL << 40, "far",
				 (int)m - 1, e, &m));
	/* Under R's index, from M's address; without a tag; garbage. */
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_BOTH, 3, 1002, "r's", -1, e,
				 &m));
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_CONFIDENTIALITY, 2, 1003,
				 "7b", -1, e, &m));
	ASSERT_EQ(0, vm_send_to(self->m_raw, AF_INET, L_M, PORT, "junk", 4));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets_nothing(self));
	enter(self, NS_L);
	EXPECT_EQ(2, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_IN_NOT_VALID));
	EXPECT_EQ(3, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_REFUSED));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_IN));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_COPIES));

	enter(self, NS_M);
	ASSERT_EQ(0, m_sends_raw(self, ANTIGONE_G_BOTH, 2, 1004, "three", -1,
				 e, &m));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets(self, "three"));
}

/*
 * Point-to-point: L sends every other member a copy by unicast, and its
 * own receivers get the plaintext; L's own datagrams go to every member.
 * R's group relays too (to L), so its port takes unicast.
 */
TEST_F(krelay, unicast_copies_to_every_other_member)
{
	int m_rx, l_tx;

	ASSERT_EQ(0, leader_mode(self->k[NS_L], ANTIGONE_RELAY_UNICAST, 0));
	l_tx = mcast_sender("lr");
	ASSERT_LE(0, l_tx);
	enter(self, NS_R);
	ASSERT_EQ(0, to_leader(self->k[NS_R], L_R));
	enter(self, NS_M);
	m_rx = receiver("0.0.0.0", NULL);
	ASSERT_LE(0, m_rx);

	ASSERT_EQ(0, vm_send_to(self->m_tx, AF_INET, GRP, PORT, "p2p", 3));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets(self, "p2p"));
	enter(self, NS_M);
	EXPECT_GT(0, vm_recv_within(m_rx, self->buf, sizeof(self->buf), 300));
	enter(self, NS_L);
	EXPECT_EQ(3, vm_recv_within(self->l_rx, self->buf, sizeof(self->buf),
				    WAIT_MS));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_IN));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_COPIES));

	/* L's own: a copy to each member, none multicast. */
	ASSERT_EQ(0, vm_send_to(l_tx, AF_INET, GRP, PORT, "own", 3));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_OUT_RELAYED));
	enter(self, NS_R);
	EXPECT_TRUE(r_gets(self, "own"));
	enter(self, NS_M);
	EXPECT_EQ(3, vm_recv_within(m_rx, self->buf, sizeof(self->buf),
				    WAIT_MS));
	EXPECT_EQ(0, memcmp(self->buf, "own", 3));
	close(m_rx);
	close(l_tx);
}

/*
 * A relaying group owns its ports on L's unicast addresses whatever the
 * frame's link-layer destination: a clear datagram to L's address in a
 * broadcast frame is the relay's to refuse, not a program's to read.
 */
TEST_F(krelay, broadcast_frames_to_the_leaders_address_are_checked)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static uint8_t f[FRAME_MAX];
	struct frame_spec spec;
	struct frame_link l;
	size_t n;

	enter(self, NS_M);
	ASSERT_EQ(0, frame_link_open(&l, "ml", bcast));
	frame_spec_init(&spec, AF_INET, M_ADDR, L_M, 40000, PORT,
			(const uint8_t *)"clear", 5);
	n = frame_build(&l, f, &spec);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, frame_send(&l, f, n));
	frame_link_close(&l);
	enter(self, NS_L);
	EXPECT_GT(0, vm_recv_within(self->l_rx, self->buf, sizeof(self->buf),
				    300));
	EXPECT_EQ(1, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_REFUSED));
}

/* Off again: M's datagrams go to the selector as multicast. */
TEST_F(krelay, relay_none_restores_multicast)
{
	struct kernel_relay none = { .mode = ANTIGONE_RELAY_NONE };
	struct kernel_group g;

	enter(self, NS_M);
	ASSERT_EQ(0, kernel_group_set_relay_mode(self->k[NS_M], "g", &none));
	ASSERT_EQ(0, kernel_group_get(self->k[NS_M], 0, "g", &g));
	EXPECT_EQ(ANTIGONE_RELAY_NONE, g.relay.mode);
	enter(self, NS_L);
	{
		struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex("lm") };

		inet_pton(AF_INET, GRP, &mr.imr_multiaddr);
		ASSERT_EQ(0, setsockopt(self->l_rx, IPPROTO_IP,
					IP_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	}
	enter(self, NS_M);
	ASSERT_EQ(0, vm_send_to(self->m_tx, AF_INET, GRP, PORT, "mc", 2));
	enter(self, NS_L);
	EXPECT_EQ(2, vm_recv_within(self->l_rx, self->buf, sizeof(self->buf),
				    WAIT_MS));
	EXPECT_EQ(0, vm_stat(self->k[NS_L], "g", ANTIGONE_STAT_RELAY_IN));
	EXPECT_EQ(0, vm_stat(self->k[NS_M], "g", ANTIGONE_STAT_OUT_RELAYED));
	EXPECT_EQ(1, vm_stat(self->k[NS_M], "g", ANTIGONE_STAT_OUT_PKTS));
}

/* The netlink rules of RELAY_MODE. */
TEST(relay_mode_rules)
{
	const struct kernel_relay_member twice[] = {
		member(M_ADDR, 2), member(R_ADDR, 2),
	};
	struct kernel_relay r = { 0 };
	struct kernel_nl *k;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, kernel_open(&k));
	ASSERT_EQ(0, group_up(k, ANTIGONE_G_BOTH, 1));
	/* TO_LEADER needs a leader, and takes nothing else. */
	r.mode = ANTIGONE_RELAY_TO_LEADER;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.leader_family = AF_INET;
	inet_pton(AF_INET, L_M, r.leader);
	r.ifindex = 1;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.ifindex = 0;
	EXPECT_EQ(0, kernel_group_set_relay_mode(k, "g", &r));
	/* Leader modes take no leader; one sender index, one member. */
	r.mode = ANTIGONE_RELAY_UNICAST;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.leader_family = 0;
	r.members = twice;
	r.nmembers = 2;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.nmembers = 1;
	EXPECT_EQ(0, kernel_group_set_relay_mode(k, "g", &r));
	r.ifindex = 1;	/* unicast copies go by route */
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.mode = ANTIGONE_RELAY_UNICAST + 1;
	r.ifindex = 0;
	EXPECT_EQ(-ERANGE, kernel_group_set_relay_mode(k, "g", &r));

	/* 7b has no tag for a leader's kernel to check. */
	ASSERT_EQ(0, kernel_group_del(k, 0, "g"));
	ASSERT_EQ(0, group_up(k, ANTIGONE_G_CONFIDENTIALITY, 1));
	r.mode = ANTIGONE_RELAY_MULTICAST;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	r.mode = ANTIGONE_RELAY_TO_LEADER;
	r.nmembers = 0;
	r.leader_family = AF_INET;
	EXPECT_EQ(-EINVAL, kernel_group_set_relay_mode(k, "g", &r));
	kernel_close(k);
}

TEST_HARNESS_MAIN
