// SPDX-License-Identifier: GPL-2.0
/*
 * What the VM tests share (see vmtest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>

#include "../../../keyd/dp/kernel_nl.h"
#include "vmtest.h"

int vm_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

int vm_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int vm_become_userns_root(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 1;
	/* setuid made us undumpable: /proc/self would be root's. */
	prctl(PR_SET_DUMPABLE, 1);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 2;
	if (vm_write_file("/proc/self/setgroups", "deny") ||
	    vm_write_file("/proc/self/uid_map", "0 65534 1") ||
	    vm_write_file("/proc/self/gid_map", "0 65534 1"))
		return 3;
	return 0;
}

uint64_t vm_stat(struct kernel_nl *k, const char *name, int stat)
{
	struct kernel_group g;

	if (kernel_group_get(k, 0, name, &g))
		return UINT64_MAX;
	return g.stats[stat];
}

socklen_t vm_sockaddr(struct sockaddr_storage *ss, int family,
		      const char *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &a->sin6_addr);
		return sizeof(*a);
	}
}

int vm_udp_bound(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = vm_sockaddr(&ss, family, addr, port);
	int fd = socket(family, SOCK_DGRAM, 0);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&ss, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

int vm_send_to(int fd, int family, const char *addr, uint16_t port,
	       const void *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = vm_sockaddr(&ss, family, addr, port);

	return sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl) < 0 ?
	       -errno : 0;
}

ssize_t vm_recv_within(int fd, void *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return recv(fd, buf, len, MSG_DONTWAIT);
}
