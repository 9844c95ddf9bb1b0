// SPDX-License-Identifier: GPL-2.0
/*
 * libantigone-tag.so: LD_PRELOAD shim that tags every UDP socket an
 * unmodified program creates with the Antigone group named in
 * ANTIGONE_TAG_GROUP (and ANTIGONE_TAG_GUARANTEE: integrity,
 * confidentiality or both). Run it through `antigone tag`.
 *
 * Fails closed: if a socket cannot be attached, socket() fails, so the
 * program can never send the group's traffic in clear.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/antigone.h>

#include "../../keyd/lib/names.h"

int socket(int domain, int type, int protocol);

static int (*real_socket)(int, int, int);

static int guarantee_from_env(void)
{
	const char *g = getenv("ANTIGONE_TAG_GUARANTEE");

	if (!g || !*g)
		return 0;
	return name_value(names_guarantee(), g);
}

int socket(int domain, int type, int protocol)
{
	struct antigone_attach req;
	const char *group;
	int fd, g, err;

	if (!real_socket)
		real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	fd = real_socket(domain, type, protocol);
	group = getenv("ANTIGONE_TAG_GROUP");
	if (fd < 0 || !group || (domain != AF_INET && domain != AF_INET6) ||
	    (type & 0xf) != SOCK_DGRAM ||
	    (protocol != 0 && protocol != IPPROTO_UDP))
		return fd;

	memset(&req, 0, sizeof(req));
	g = guarantee_from_env();
	if (g < 0 || strlen(group) > ANTIGONE_NAME_MAX) {
		err = EINVAL;
		goto fail;
	}
	req.guarantee = (__u8)g;
	strncpy(req.group_name, group, sizeof(req.group_name) - 1);
	if (setsockopt(fd, domain == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		       ANTIGONE_SO_ATTACH, &req, sizeof(req)) == 0)
		return fd;
	err = errno;
fail:
	fprintf(stderr, "antigone-tag: cannot attach a UDP socket to group "
		"'%s': %s\n", group, strerror(err));
	close(fd);
	errno = err;
	return -1;
}
