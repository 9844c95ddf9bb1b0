// SPDX-License-Identifier: GPL-2.0
/*
 * The relay datapath (asymmetric and point-to-point transports) over
 * loopback, without daemons: GROUP_SET RELAY_PORT turns a group's
 * protected datagrams into port(2) || datagram to the inlet; a forwarding
 * socket sends such a datagram on unchanged, and a tagged receiver gets
 * the plaintext; a relaying group checks its ports on every local unicast
 * address; the netlink and sockopt rules around it. Runs in the VM.
 */
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <poll.h>

#include <netlink/attr.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "lib/vmtest.h"

static const uint8_t key16[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3,
				   4, 5, 6 };

/* A group with a key of epoch 1 (sender 7) and optionally a selector. */
static int make_group(struct kernel_nl *k, const char *name,
		      const char *sel_addr, uint16_t sel_port, int64_t uid)
{
	struct kernel_group req;
	int ret;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "%s", name);
	req.allow_uid = uid;
	if (sel_addr) {
		req.nsel = 1;
		req.sel[0].family = AF_INET;
		inet_pton(AF_INET, sel_addr, req.sel[0].addr);
		req.sel[0].port = sel_port;
	}
	ret = kernel_group_new(k, &req, NULL);
	if (ret)
		return ret;
	return kernel_key_add(k, name, 1, 7, key16, sizeof(key16), -1);
}

static int attach(int fd, const char *name, uint8_t flags)
{
	struct antigone_attach req = { .flags = flags };

	snprintf(req.group_name, sizeof(req.group_name), "%s", name);
	return setsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
			  sizeof(req)) ? -errno : 0;
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

static int send_to(int fd, int port, const void *msg, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	return sendto(fd, msg, len, 0, (struct sockaddr *)&a, sizeof(a)) < 0 ?
	       -errno : 0;
}

/* Bytes of the next datagram within 1 s, or -1; its source port. */
static ssize_t recv_within(int fd, uint8_t *buf, size_t len, int *from_port)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	ssize_t n;

	if (poll(&p, 1, 1000) != 1)
		return -1;
	n = recvfrom(fd, buf, len, 0, (struct sockaddr *)&a, &alen);
	if (from_port)
		*from_port = ntohs(a.sin_port);
	return n;
}

FIXTURE(relay) {
	struct kernel_nl *k;
};

FIXTURE_SETUP(relay)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system("ip link set lo up"));
	ASSERT_EQ(0, kernel_open(&self->k));
}

FIXTURE_TEARDOWN(relay)
{
	kernel_close(self->k);
}

/*
 * A tagged sender's datagram goes to the inlet as port || protected
 * datagram, from loopback, and not to its destination; the leader's
 * forwarding socket sends the protected part on unchanged and a tagged
 * receiver gets the plaintext.
 */
TEST_F(relay, redirect_then_forward)
{
	static const char msg[] = "relay me";
	struct kernel_group g;
	uint8_t buf[256], out[256];
	int tx, inlet, dst, fwd, from;
	ssize_t n;

	ASSERT_EQ(0, make_group(self->k, "rl", NULL, 0, -1));
	ASSERT_EQ(0, kernel_group_set_relay(self->k, "rl", 7100));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "rl", &g));
	EXPECT_EQ(7100, g.relay_port);

	inlet = udp_bound(7100);
	dst = udp_bound(7101);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(inlet, 0);
	ASSERT_GE(dst, 0);
	ASSERT_EQ(0, attach(tx, "rl", 0));
	ASSERT_EQ(0, attach(dst, "rl", 0));
	ASSERT_EQ(0, send_to(tx, 7101, msg, strlen(msg)));

	n = recv_within(inlet, buf, sizeof(buf), &from);
	ASSERT_EQ((ssize_t)(2 + strlen(msg) + ANTIGONE_WIRE_OVERHEAD), n);
	EXPECT_EQ(7101, buf[0] << 8 | buf[1]);
	EXPECT_EQ(ANTIGONE_WIRE_VERSION << 4 | ANTIGONE_G_BOTH, buf[2]);
	EXPECT_EQ(NULL, memmem(buf, (size_t)n, "relay", 5));
	/* Not to its destination as well. */
	EXPECT_EQ(-1, recv_within(dst, out, sizeof(out), NULL));
	EXPECT_EQ(1, vm_stat(self->k, "rl", ANTIGONE_STAT_OUT_RELAYED));
	EXPECT_EQ(1, vm_stat(self->k, "rl", ANTIGONE_STAT_OUT_PKTS));

	/* The leader's side: forwarded as it is, verified by the receiver. */
	fwd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, attach(fwd, "rl", ANTIGONE_ATTACH_FORWARD));
	ASSERT_EQ(0, send_to(fwd, 7101, buf + 2, (size_t)n - 2));
	ASSERT_EQ((ssize_t)strlen(msg), recv_within(dst, out, sizeof(out),
						    NULL));
	EXPECT_EQ(0, memcmp(out, msg, strlen(msg)));
	EXPECT_EQ(1, vm_stat(self->k, "rl", ANTIGONE_STAT_OUT_PKTS));
	EXPECT_EQ(1, vm_stat(self->k, "rl", ANTIGONE_STAT_IN_PKTS));
	/* The same bytes again are a replay. */
	ASSERT_EQ(0, send_to(fwd, 7101, buf + 2, (size_t)n - 2));
	EXPECT_EQ(-1, recv_within(dst, out, sizeof(out), NULL));
	EXPECT_EQ(1, vm_stat(self->k, "rl", ANTIGONE_STAT_IN_REPLAYED));

	/* Relaying off: straight to the destination again. */
	ASSERT_EQ(0, kernel_group_set_relay(self->k, "rl", 0));
	ASSERT_EQ(0, send_to(tx, 7101, msg, strlen(msg)));
	ASSERT_EQ((ssize_t)strlen(msg), recv_within(dst, out, sizeof(out),
						    NULL));
	EXPECT_EQ(-1, recv_within(inlet, buf, sizeof(buf), NULL));
	close(tx);
	close(dst);
	close(fwd);
	close(inlet);
}

/*
 * Transparent mode: an untagged program's datagram to the selector goes
 * to the inlet (multicast over the network: selftests/kernel/e2e_transport.sh).
 */
TEST_F(relay, selector_traffic_is_redirected)
{
	uint8_t buf[256];
	int tx, inlet;
	ssize_t n;

	ASSERT_EQ(0, make_group(self->k, "sel", "127.0.0.1", 7201, -1));
	ASSERT_EQ(0, kernel_group_set_relay(self->k, "sel", 7200));
	inlet = udp_bound(7200);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(inlet, 0);
	ASSERT_EQ(0, send_to(tx, 7201, "hello", 5));
	n = recv_within(inlet, buf, sizeof(buf), NULL);
	ASSERT_EQ(2 + 5 + ANTIGONE_WIRE_OVERHEAD, n);
	EXPECT_EQ(7201, buf[0] << 8 | buf[1]);
	close(tx);
	close(inlet);
}

/*
 * A relaying group owns its selectors' ports on every local unicast
 * address (the leader's copies arrive there): clear datagrams are dropped
 * and counted. Without relaying, unicast to that port is not the group's.
 */
TEST_F(relay, relaying_group_checks_unicast_on_its_ports)
{
	uint8_t buf[64];
	int rx, tx;

	ASSERT_EQ(0, make_group(self->k, "uc", "239.9.9.9", 7301, -1));
	rx = udp_bound(7301);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_GE(rx, 0);
	ASSERT_EQ(0, send_to(tx, 7301, "clear", 5));
	EXPECT_EQ(5, recv_within(rx, buf, sizeof(buf), NULL));

	ASSERT_EQ(0, kernel_group_set_relay(self->k, "uc", 7300));
	ASSERT_EQ(0, send_to(tx, 7301, "clear", 5));
	EXPECT_EQ(-1, recv_within(rx, buf, sizeof(buf), NULL));
	EXPECT_EQ(1, vm_stat(self->k, "uc", ANTIGONE_STAT_IN_CLEAR));

	/* Two relaying groups cannot both own a port. */
	ASSERT_EQ(0, make_group(self->k, "uc2", "239.9.9.10", 7301, -1));
	EXPECT_EQ(-EADDRINUSE, kernel_group_set_relay(self->k, "uc2", 7302));
	ASSERT_EQ(0, kernel_group_set_relay(self->k, "uc", 0));
	EXPECT_EQ(0, kernel_group_set_relay(self->k, "uc2", 7302));
	/* Deleting a relaying group lets go of its ports. */
	ASSERT_EQ(0, kernel_group_del(self->k, 0, "uc2"));
	EXPECT_EQ(0, kernel_group_set_relay(self->k, "uc", 7300));
	close(rx);
	close(tx);
}

TEST_F(relay, netlink_rules)
{
	struct kernel_group g;
	struct nlattr *nest;
	struct nl_msg *msg;

	ASSERT_EQ(0, make_group(self->k, "nl", NULL, 0, -1));
	EXPECT_EQ(-ENOENT, kernel_group_set_relay(self->k, "nosuch", 1));
	/* GROUP_SET needs the port; GROUP_NEW does not take it. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_SET, 0);
	ASSERT_NE(NULL, msg);
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "nl"));
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));	/* nothing to set */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_NEW, 0);
	ASSERT_NE(NULL, msg);
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "nl2"));
	ASSERT_EQ(0, nla_put_u16(msg, ANTIGONE_GROUP_A_RELAY_PORT, 5));
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));
	/* Nothing else changes in a live group. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_SET, 0);
	ASSERT_NE(NULL, msg);
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "nl"));
	ASSERT_EQ(0, nla_put_u16(msg, ANTIGONE_GROUP_A_RELAY_PORT, 5));
	ASSERT_EQ(0, nla_put_u8(msg, ANTIGONE_GROUP_A_SUITE, 2));
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));
	/* The heartbeat timeout does. */
	ASSERT_EQ(0, kernel_group_set_hb_timeout(self->k, "nl", 4321));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "nl", &g));
	EXPECT_EQ(4321, g.hb_timeout_ms);
	EXPECT_EQ(0, g.relay_port);
	/* Wrong size. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_SET, 0);
	ASSERT_NE(NULL, msg);
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "nl"));
	ASSERT_EQ(0, nla_put_u32(msg, ANTIGONE_GROUP_A_RELAY_PORT, 5));
	nla_nest_end(msg, nest);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));
}

/* Forwarding and relay settings are the admin's; unknown flags refused. */
TEST_F(relay, forwarding_needs_cap_net_admin)
{
	struct antigone_attach got;
	socklen_t len = sizeof(got);
	pid_t pid;
	int status, fd;

	ASSERT_EQ(0, make_group(self->k, "fw", NULL, 0, 65534));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(-EINVAL, attach(fd, "fw", 0x80));
	ASSERT_EQ(0, attach(fd, "fw", ANTIGONE_ATTACH_FORWARD));
	ASSERT_EQ(0, getsockopt(fd, IPPROTO_IP, ANTIGONE_SO_ATTACH, &got,
				&len));
	EXPECT_EQ(ANTIGONE_ATTACH_FORWARD, got.flags);
	close(fd);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct kernel_nl *k;
		int fails = 0;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		/* Allowed to tag, not to forward. */
		fails |= (attach(fd, "fw", ANTIGONE_ATTACH_FORWARD) != -EPERM);
		fails |= (attach(fd, "fw", 0) != 0) << 1;
		if (kernel_open(&k))
			_exit(101);
		fails |= (kernel_group_set_relay(k, "fw", 9) != -EPERM) << 2;
		kernel_close(k);
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
