// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sdnotify.h"

static struct sockaddr_un notify_addr;
static socklen_t notify_len;
static uint64_t watchdog_ms;

void sdnotify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	const char *usec = getenv("WATCHDOG_USEC");
	const char *pid = getenv("WATCHDOG_PID");
	size_t n;

	if (path && (path[0] == '/' || path[0] == '@') &&
	    (n = strlen(path)) < sizeof(notify_addr.sun_path)) {
		notify_addr.sun_family = AF_UNIX;
		memcpy(notify_addr.sun_path, path, n);
		/* '@': an abstract name, its first byte NUL, not counted
		 * to a terminator.
		 */
		if (path[0] == '@')
			notify_addr.sun_path[0] = '\0';
		notify_len = (socklen_t)(offsetof(struct sockaddr_un,
						  sun_path) + n +
					 (path[0] == '/'));
	}
	/* A watchdog meant for another process (a forked parent's) is not
	 * ours to pet.
	 */
	if (usec && (!pid || strtol(pid, NULL, 10) == (long)getpid())) {
		unsigned long long us = strtoull(usec, NULL, 10);

		watchdog_ms = us / 2000;
		if (us && !watchdog_ms)
			watchdog_ms = 1;
	}
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int sdnotify(const char *state)
{
	ssize_t n;
	int fd, ret = 0;

	if (!notify_len)
		return -ENOTCONN;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (const struct sockaddr *)&notify_addr, notify_len);
	if (n < 0)
		ret = -errno;
	close(fd);
	return ret;
}

uint64_t sdnotify_watchdog_ms(void)
{
	return watchdog_ms;
}
