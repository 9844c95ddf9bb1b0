// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture-free helpers of datapath_variants (see dputil.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/antigone.h>

#include "libwire.h"
#include "dputil.h"
#include "vmtest.h"

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int level_of(int family)
{
	return family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
}

size_t overhead(uint8_t g)
{
	return ANTIGONE_WIRE_HDR_LEN + antigone_tag_len(g);
}

int attach_to(int fd, int family, const char *name)
{
	struct antigone_attach req = { 0 };

	snprintf(req.group_name, sizeof(req.group_name), "%s", name);
	return setsockopt(fd, level_of(family), ANTIGONE_SO_ATTACH, &req,
			  sizeof(req)) ? -errno : 0;
}

/*
 * Whether @addr (fd00::1 in the tests) can be bound in the caller's
 * namespace within @ms: its DAD is over, which addrconf runs only after
 * the link is up, the qdisc attached and the multicast route in place.
 * Before that, the first datagrams of a test could be dropped on a noop
 * qdisc.
 */
bool link_ready(const char *addr, int ms)
{
	int64_t end = now_ms() + ms;

	do {
		struct sockaddr_storage ss;
		socklen_t len = vm_sockaddr(&ss, AF_INET6, addr, 0);
		int fd = socket(AF_INET6, SOCK_DGRAM, 0);
		int ret = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&ss, len);

		if (fd >= 0)
			close(fd);
		if (!ret)
			return true;
		usleep(2000);
	} while (now_ms() < end);
	return false;
}

uint64_t wait_stat(struct kernel_nl *k, const char *name, int stat,
		   uint64_t want, int ms)
{
	int64_t end = now_ms() + ms;
	uint64_t v;

	while ((v = vm_stat(k, name, stat)) < want && v != UINT64_MAX &&
	       now_ms() < end)
		usleep(2000);
	return v;
}

void fill(uint8_t *p, size_t len, unsigned int salt)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + salt);
}
