// SPDX-License-Identifier: GPL-2.0
/*
 * Socket tagging (ANTIGONE_SO_ATTACH/DETACH) and the tagged datapath over
 * loopback: attach rules and errors, permissions, what a tagged receiver
 * accepts and what an untagged one sees. Runs in the VM, module loaded.
 */
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <poll.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "lib/vmtest.h"

static const uint8_t key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				   13, 14, 15, 16 };

static int make_group(struct kernel_nl *k, const char *name, uint8_t g,
		      int64_t uid, int64_t gid, bool with_key)
{
	struct kernel_group req;
	int ret;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "%s", name);
	req.guarantee = g;
	req.allow_uid = uid;
	req.allow_gid = gid;
	ret = kernel_group_new(k, &req, NULL);
	if (ret || !with_key)
		return ret;
	return kernel_key_add(k, name, 1, 7, key16, sizeof(key16), -1);
}

static int attach(int fd, int level, uint32_t id, const char *name,
		  uint8_t guarantee)
{
	struct antigone_attach req = { .group_id = id, .guarantee = guarantee };

	if (name)
		snprintf(req.group_name, sizeof(req.group_name), "%s", name);
	return setsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	       -errno : 0;
}

static int udp_bound(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_to(int fd, int port, const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	return sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a,
		      sizeof(a)) < 0 ? -errno : 0;
}

/* Bytes of the next datagram within 1 s, or -1. */
static ssize_t recv_within(int fd, char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 1000) != 1)
		return -1;
	return recv(fd, buf, len, 0);
}

FIXTURE(tag) {
	struct kernel_nl *k;
};

FIXTURE_SETUP(tag)
{
	/* Each test in its own netns: groups and loopback of its own. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link set lo up"));
	ASSERT_EQ(0, kernel_open(&self->k));
}

FIXTURE_TEARDOWN(tag)
{
	kernel_close(self->k);
}

TEST_F(tag, attach_report_detach)
{
	struct antigone_attach got;
	socklen_t len = sizeof(got);
	struct kernel_group g;
	int fd;

	ASSERT_EQ(0, make_group(self->k, "t1", ANTIGONE_G_INTEGRITY, -1, -1,
				false));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "t1", &g));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-ENOENT, getsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH,
				      &got, &len) ? -errno : 0);
	ASSERT_EQ(0, attach(fd, IPPROTO_IP, 0, "t1", ANTIGONE_G_BOTH));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &got, &len));
	EXPECT_EQ(sizeof(got), len);
	EXPECT_EQ(g.id, got.group_id);
	EXPECT_EQ(ANTIGONE_G_BOTH, got.guarantee);
	EXPECT_STREQ("t1", got.group_name);
	/* Once only. */
	EXPECT_EQ(-EBUSY, attach(fd, IPPROTO_IP, g.id, NULL, 0));
	EXPECT_EQ(0, setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_DETACH, NULL, 0));
	EXPECT_EQ(-ENOENT, setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_DETACH,
				      NULL, 0) ? -errno : 0);
	/* By id, with the group's own minimum. */
	EXPECT_EQ(0, attach(fd, IPPROTO_IP, g.id, NULL, 0));
	len = sizeof(got);
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &got, &len));
	EXPECT_EQ(ANTIGONE_G_INTEGRITY, got.guarantee);
	close(fd);
}

TEST_F(tag, attach_errors)
{
	struct antigone_attach req = { 0 };
	int fd, tcp, fd6;

	ASSERT_EQ(0, make_group(self->k, "t2", ANTIGONE_G_INTEGRITY, -1, -1,
				false));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(fd, 0);
	strcpy(req.group_name, "t2");
	/* The size must be exact. */
	EXPECT_EQ(-1, setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
				 sizeof(req) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
				 sizeof(req) + 4));
	EXPECT_EQ(EINVAL, errno);
	req.reserved[1] = 1;
	EXPECT_EQ(-1, setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
				 sizeof(req)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-ENOENT, attach(fd, IPPROTO_IP, 0, "nosuch", 0));
	EXPECT_EQ(-ENOENT, attach(fd, IPPROTO_IP, 999999, NULL, 0));
	EXPECT_EQ(-EINVAL, attach(fd, IPPROTO_IP, 0, NULL, 0));
	/* Weaker than the group's minimum, or no guarantee at all. */
	EXPECT_EQ(-EINVAL, attach(fd, IPPROTO_IP, 0, "t2",
				  ANTIGONE_G_CONFIDENTIALITY));
	EXPECT_EQ(-EINVAL, attach(fd, IPPROTO_IP, 0, "t2", 4));
	/* Not UDP. */
	tcp = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_GE(tcp, 0);
	EXPECT_EQ(-EOPNOTSUPP, attach(tcp, IPPROTO_IP, 0, "t2", 0));
	close(tcp);
	/* IPv6 sockets through SOL_IPV6. */
	fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_GE(fd6, 0);
	EXPECT_EQ(0, attach(fd6, IPPROTO_IPV6, 0, "t2", 0));
	close(fd6);
	close(fd);
}

TEST_F(tag, unprivileged_attach_needs_allowance)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, make_group(self->k, "closed", 0, -1, -1, false));
	ASSERT_EQ(0, make_group(self->k, "byuid", 0, 65534, -1, false));
	ASSERT_EQ(0, make_group(self->k, "bygid", 0, -1, 4242, false));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		gid_t extra = 4242;
		int fails = 0, fd;

		if (setgroups(1, &extra) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		fails |= (attach(fd, IPPROTO_IP, 0, "closed", 0) != -EPERM) << 0;
		fails |= (attach(fd, IPPROTO_IP, 0, "byuid", 0) != 0) << 1;
		close(fd);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		fails |= (attach(fd, IPPROTO_IP, 0, "bygid", 0) != 0) << 2;
		close(fd);
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Tagged sender to tagged receiver over loopback: the plaintext arrives;
 * an untagged receiver of the same datagrams sees 36 bytes more of
 * ciphertext.
 */
TEST_F(tag, tagged_round_trip_over_loopback)
{
	char buf[256];
	int tx, rx, plain;

	ASSERT_EQ(0, make_group(self->k, "rt", ANTIGONE_G_BOTH, -1, -1, true));
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	rx = udp_bound(7001);
	plain = udp_bound(7002);
	ASSERT_GE(rx, 0);
	ASSERT_GE(plain, 0);
	ASSERT_EQ(0, attach(tx, IPPROTO_IP, 0, "rt", 0));
	ASSERT_EQ(0, attach(rx, IPPROTO_IP, 0, "rt", 0));

	ASSERT_EQ(0, send_to(tx, 7001, "attack at dawn"));
	ASSERT_EQ(14, recv_within(rx, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "attack at dawn", 14));

	ASSERT_EQ(0, send_to(tx, 7002, "attack at dawn"));
	ASSERT_EQ(14 + ANTIGONE_WIRE_OVERHEAD, recv_within(plain, buf,
							   sizeof(buf)));
	EXPECT_EQ(NULL, memmem(buf, sizeof(buf), "attack", 6));
	EXPECT_EQ(ANTIGONE_WIRE_VERSION << 4 | ANTIGONE_G_BOTH,
		  (uint8_t)buf[0]);

	EXPECT_EQ(2, vm_stat(self->k, "rt", ANTIGONE_STAT_OUT_PKTS));
	EXPECT_EQ(1, vm_stat(self->k, "rt", ANTIGONE_STAT_IN_PKTS));
	close(tx);
	close(rx);
	close(plain);
}

/* A tagged socket accepts nothing in clear; without a key nothing is sent
 * (fail closed), and a deleted group stops its sockets.
 */
TEST_F(tag, fails_closed)
{
	char buf[64];
	int tx, rx, clear;

	ASSERT_EQ(0, make_group(self->k, "fc", 0, -1, -1, false));
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	rx = udp_bound(7003);
	clear = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, attach(tx, IPPROTO_IP, 0, "fc", 0));
	ASSERT_EQ(0, attach(rx, IPPROTO_IP, 0, "fc", 0));

	EXPECT_EQ(-EPERM, send_to(tx, 7003, "no key yet"));
	EXPECT_EQ(1, vm_stat(self->k, "fc", ANTIGONE_STAT_OUT_NO_KEY));

	ASSERT_EQ(0, kernel_key_add(self->k, "fc", 1, 3, key16, 16, -1));
	ASSERT_EQ(0, send_to(clear, 7003, "in clear"));
	EXPECT_EQ(-1, recv_within(rx, buf, sizeof(buf)));
	EXPECT_EQ(1, vm_stat(self->k, "fc", ANTIGONE_STAT_IN_CLEAR));

	ASSERT_EQ(0, send_to(tx, 7003, "keyed"));
	EXPECT_EQ(5, recv_within(rx, buf, sizeof(buf)));

	ASSERT_EQ(0, kernel_group_del(self->k, 0, "fc"));
	EXPECT_EQ(-EPERM, send_to(tx, 7003, "group gone"));
	close(tx);
	close(rx);
	close(clear);
}

/* A receive-only key (sender index 0) cannot send. */
TEST_F(tag, receive_only_key_does_not_send)
{
	int tx;

	ASSERT_EQ(0, make_group(self->k, "ro", 0, -1, -1, false));
	ASSERT_EQ(0, kernel_key_add(self->k, "ro", 1, 0, key16, 16, -1));
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, attach(tx, IPPROTO_IP, 0, "ro", 0));
	EXPECT_EQ(-EPERM, send_to(tx, 7004, "x"));
	EXPECT_EQ(1, vm_stat(self->k, "ro", ANTIGONE_STAT_OUT_NO_KEY));
	close(tx);
}

/* Every tagged receiver of a multicast datagram gets it: each socket keeps
 * its own replay windows, so the second copy is no "replay".
 */
TEST_F(tag, each_tagged_socket_gets_its_multicast_copy)
{
	struct sockaddr_in any = { .sin_family = AF_INET,
				   .sin_port = htons(7005) };
	struct sockaddr_in grp = { .sin_family = AF_INET,
				   .sin_port = htons(7005) };
	struct ip_mreqn mreq = { 0 };
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	int one = 1, tx, rx[3], i, got = 0;
	char buf[64];

	ASSERT_EQ(0, system("ip link set lo multicast on && "
			    "ip route add 224.0.0.0/4 dev lo"));
	inet_pton(AF_INET, "239.9.9.9", &grp.sin_addr);
	mreq.imr_multiaddr = grp.sin_addr;
	mreq.imr_address = lo;
	ASSERT_EQ(0, make_group(self->k, "mc", 0, -1, -1, true));
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, setsockopt(tx, IPPROTO_IP, IP_MULTICAST_IF, &lo,
				sizeof(lo)));
	ASSERT_EQ(0, attach(tx, IPPROTO_IP, 0, "mc", 0));
	for (i = 0; i < 3; i++) {
		rx[i] = socket(AF_INET, SOCK_DGRAM, 0);
		ASSERT_EQ(0, setsockopt(rx[i], SOL_SOCKET, SO_REUSEADDR, &one,
					sizeof(one)));
		ASSERT_EQ(0, bind(rx[i], (struct sockaddr *)&any, sizeof(any)));
		ASSERT_EQ(0, setsockopt(rx[i], IPPROTO_IP, IP_ADD_MEMBERSHIP,
					&mreq, sizeof(mreq)));
		/* The third stays untagged: it sees the wire form. */
		if (i < 2)
			ASSERT_EQ(0, attach(rx[i], IPPROTO_IP, 0, "mc", 0));
	}
	ASSERT_EQ(4, sendto(tx, "copy", 4, 0, (struct sockaddr *)&grp,
			    sizeof(grp)));
	for (i = 0; i < 2; i++)
		got += recv_within(rx[i], buf, sizeof(buf)) == 4;
	EXPECT_EQ(2, got);
	EXPECT_EQ(4 + ANTIGONE_WIRE_OVERHEAD, recv_within(rx[2], buf,
							  sizeof(buf)));
	EXPECT_EQ(2, vm_stat(self->k, "mc", ANTIGONE_STAT_IN_PKTS));
	EXPECT_EQ(0, vm_stat(self->k, "mc", ANTIGONE_STAT_IN_REPLAYED));
	for (i = 0; i < 3; i++)
		close(rx[i]);
	close(tx);
}

TEST_HARNESS_MAIN
