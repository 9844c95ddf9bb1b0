// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifecycle: unload and reload while userspace holds netlink
 * sockets and while groups live in several network namespaces. Needs
 * ANTIGONE_KO (path of antigone.ko); leaves the module loaded.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"

static int run(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int reload(void)
{
	char cmd[512];
	const char *ko = getenv("ANTIGONE_KO");

	if (!ko)
		return -1;
	if (run("rmmod antigone 2>/dev/null; true"))
		return -1;
	snprintf(cmd, sizeof(cmd), "insmod '%s'", ko);
	return run(cmd);
}

static int create(struct kernel_nl *k, const char *name)
{
	struct kernel_group req;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "%s", name);
	return kernel_group_new(k, &req, NULL);
}

static int count(const struct kernel_group *g, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

FIXTURE(lifecycle) {
	struct kernel_nl *k;
};

FIXTURE_SETUP(lifecycle)
{
	if (!getenv("ANTIGONE_KO"))
		SKIP(return, "ANTIGONE_KO not set");
	ASSERT_EQ(0, reload());
	ASSERT_EQ(0, kernel_open(&self->k));
}

FIXTURE_TEARDOWN(lifecycle)
{
	kernel_close(self->k);
	/* Leave the module loaded for whatever runs next. */
	if (run("test -d /sys/module/antigone"))
		reload();
}

TEST_F(lifecycle, unload_with_open_socket_and_groups)
{
	struct kernel_info info;
	struct kernel_nl *k2;
	unsigned int n = 0;

	ASSERT_EQ(0, create(self->k, "held"));
	/* An open genetlink socket does not pin the module. */
	ASSERT_EQ(0, run("rmmod antigone"));
	/* The old socket now gets an error, not a crash or a hang. */
	EXPECT_NE(0, kernel_get_info(self->k, &info));
	EXPECT_EQ(-ENOENT, kernel_open(&k2));

	ASSERT_EQ(0, reload());
	ASSERT_EQ(0, kernel_open(&k2));
	ASSERT_EQ(0, kernel_group_dump(k2, count, &n));
	EXPECT_EQ(0, n);	/* nothing survives an unload */
	kernel_close(k2);
}

/* Namespaces still alive at unload: the pernet exit frees their groups. */
TEST_F(lifecycle, unload_with_groups_in_live_netns)
{
	pid_t pids[4];
	unsigned int i;
	int ready[2];
	char c;

	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pipe(ready));
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0) {
			struct kernel_nl *k;
			int ok;

			ok = !unshare(CLONE_NEWNET) && !kernel_open(&k) &&
			     !create(k, "a") && !create(k, "b");
			if (write(ready[1], ok ? "y" : "n", 1) != 1)
				_exit(1);
			pause();	/* holds the namespace until killed */
			_exit(0);
		}
		close(ready[1]);
		ASSERT_EQ(1, read(ready[0], &c, 1));
		close(ready[0]);
		EXPECT_EQ('y', c);
	}
	EXPECT_EQ(0, run("rmmod antigone"));
	for (i = 0; i < 4; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	ASSERT_EQ(0, reload());
}

/* Tagged sockets alive at unload are detached: they work on as ordinary
 * sockets and close cleanly afterwards; the module can come back.
 */
TEST_F(lifecycle, unload_with_live_tagged_sockets)
{
	static const uint8_t key[16] = { 9 };
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(7100),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct antigone_attach req = { 0 };
	struct kernel_group g;
	socklen_t len = sizeof(req);
	int fds[8], rx, i;
	char buf[16];

	kernel_group_init(&g);
	strcpy(g.name, "live");
	ASSERT_EQ(0, kernel_group_new(self->k, &g, NULL));
	ASSERT_EQ(0, kernel_key_add(self->k, "live", 1, 1, key, 16, -1));
	strcpy(req.group_name, "live");
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(rx, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, setsockopt(rx, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
				sizeof(req)));
	for (i = 0; i < 8; i++) {
		fds[i] = socket(i % 2 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		ASSERT_EQ(0, setsockopt(fds[i], i % 2 ? IPPROTO_IPV6 :
					IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
					sizeof(req)));
	}
	ASSERT_EQ(2, sendto(fds[0], "hi", 2, 0, (struct sockaddr *)&a,
			    sizeof(a)));
	ASSERT_EQ(2, recv(rx, buf, sizeof(buf), 0));

	ASSERT_EQ(0, run("rmmod antigone"));
	/* Plain UDP again, in clear. */
	ASSERT_EQ(2, sendto(fds[0], "hi", 2, 0, (struct sockaddr *)&a,
			    sizeof(a)));
	ASSERT_EQ(2, recv(rx, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hi", 2));
	for (i = 0; i < 8; i++)
		close(fds[i]);
	ASSERT_EQ(0, reload());
	/* The old socket is no longer tagged. */
	EXPECT_NE(0, getsockopt(rx, IPPROTO_IP, ANTIGONE_SO_ATTACH, &req,
				&len));
	close(rx);
}

/* Five rmmod/insmod cycles: under the debug kernel each waits for RCU
 * and netns teardown, past the harness's default 30 s on a slow host.
 */
TEST_F_TIMEOUT(lifecycle, reload_repeatedly, 300)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		struct kernel_nl *k;

		ASSERT_EQ(0, reload());
		ASSERT_EQ(0, kernel_open(&k));
		EXPECT_EQ(0, create(k, "r"));
		kernel_close(k);
	}
}

TEST_HARNESS_MAIN
